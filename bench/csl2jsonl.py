#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Converts the CSL data (../shared/data/csl) into jiebang JSONL: one org per
discipline and one output (kind paper) per paper or title.

    python3 bench/csl2jsonl.py [CSL_DIR] > csl.jsonl
"""
import json
import os
import sys

d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.environ.get("JB_SHARED", "../shared"), "data", "csl")
papers = [json.loads(l) for l in open(os.path.join(d, "papers.jsonl"), encoding="utf-8")]
titles = []
with open(os.path.join(d, "titles.tsv"), encoding="utf-8") as f:
    next(f)
    for line in f:
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 2:
            titles.append({"id": parts[0], "title": parts[1], "category": parts[2] if len(parts) > 2 else ""})

orgs = {}
def org_of(cat):
    if cat not in orgs:
        orgs[cat] = "csl-org-%03d" % (len(orgs) + 1)
        print(json.dumps({"type": "org", "id": orgs[cat], "name": (cat or "未分类") + "研究所", "kind": "institute"},
                         ensure_ascii=False))
    return orgs[cat]

for p in papers:
    org = org_of(p.get("category", ""))
    rec = {"type": "output", "id": p["id"], "kind": "paper", "title": p["title"][:500],
           "abstract": p.get("abstract", "")[:50000], "org": org, "lang": "zh"}
    kws = [k[:64] for k in p.get("keywords", []) if k.strip()][:50]
    if kws:
        rec["keywords"] = kws
    print(json.dumps(rec, ensure_ascii=False))
for t in titles:
    org = org_of(t["category"])
    print(json.dumps({"type": "output", "id": t["id"], "kind": "paper", "title": t["title"][:500],
                      "org": org, "lang": "zh"}, ensure_ascii=False))
