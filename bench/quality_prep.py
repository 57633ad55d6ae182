#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prepares the automatic keyword task of the matching quality benchmark from
the CSL papers: papers as outputs (JSONL), one challenge per query keyword
(JSONL, title = the keyword), and the judgments (TSV: qid, keyword, relevant
paper ids). A keyword is a query when 2 to 30 papers list it; up to 300
queries spread evenly over the eligible keywords in keyword order
(deterministic).

    python3 bench/quality_prep.py CSL_DIR OUTDIR
"""
import collections
import json
import os
import sys

d, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
papers = [json.loads(l) for l in open(os.path.join(d, "papers.jsonl"), encoding="utf-8")]
by_kw = collections.defaultdict(list)
with open(os.path.join(out, "papers.jsonl"), "w", encoding="utf-8") as f:
    for p in papers:
        kws = [k.strip()[:64] for k in p.get("keywords", []) if k.strip()][:50]
        for k in set(kws):
            by_kw[k].append(p["id"])
        rec = {"type": "output", "id": p["id"], "kind": "paper", "title": p["title"][:500],
               "abstract": p.get("abstract", "")[:50000], "lang": "zh"}
        if kws:
            rec["keywords"] = kws
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
eligible = sorted(k for k, v in by_kw.items() if 2 <= len(v) <= 30)
step = max(1, len(eligible) // 300)
queries = eligible[::step][:300]
with open(os.path.join(out, "challenges.jsonl"), "w", encoding="utf-8") as f, \
     open(os.path.join(out, "qrels.tsv"), "w", encoding="utf-8") as g:
    for i, k in enumerate(queries):
        qid = "kwq-%04d" % (i + 1)
        f.write(json.dumps({"type": "challenge", "id": qid, "title": k}, ensure_ascii=False) + "\n")
        g.write("%s\t%s\t%s\n" % (qid, k, ",".join(sorted(by_kw[k]))))
print(len(papers), "papers,", len(queries), "keyword queries", file=sys.stderr)
