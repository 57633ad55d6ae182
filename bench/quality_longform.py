#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Turns bench/quality/longform.tsv (the long-form needs: id, title,
description, keywords;... which may be empty) into challenge JSONL, twice:
the whole need (id: title, description and any keywords) and the title alone
(id-t), plus a qrels file for both forms from bench/quality/longform_judgments.tsv
(need id, paper id, grade 2/1; anything not listed is 0), in the format
bench/quality_needs.py writes, so that quality.sh runs it the same way.
Lines starting with '#' are comments.

    python3 bench/quality_longform.py LONGFORM.tsv JUDGMENTS.tsv OUTDIR
"""
import collections
import json
import os
import sys

needs_path, judg_path, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
grades = collections.defaultdict(dict)
if os.path.exists(judg_path):
    for n, line in enumerate(open(judg_path, encoding="utf-8"), 1):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) != 3 or f[2] not in ("1", "2"):
            sys.exit("%s:%d: want need<TAB>paper<TAB>1|2" % (judg_path, n))
        grades[f[0]][f[1]] = int(f[2])
seen = set()
with open(os.path.join(out, "needs.jsonl"), "w", encoding="utf-8") as f, \
     open(os.path.join(out, "needs_qrels.tsv"), "w", encoding="utf-8") as q:
    for n, line in enumerate(open(needs_path, encoding="utf-8"), 1):
        if line.startswith("#") or not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) != 4 or not fields[0] or not fields[1] or not fields[2] or fields[0] in seen:
            sys.exit("%s:%d: want a new id, title, description and keywords (may be empty)"
                     % (needs_path, n))
        nid, title, desc, kws = fields
        seen.add(nid)
        keywords = [k for k in kws.split(";") if k]
        full = {"type": "challenge", "id": nid, "title": title, "description": desc}
        if keywords:
            full["keywords"] = keywords
        f.write(json.dumps(full, ensure_ascii=False) + "\n")
        f.write(json.dumps({"type": "challenge", "id": nid + "-t", "title": title}, ensure_ascii=False) + "\n")
        rel = ",".join("%s:%d" % (p, g) for p, g in sorted(grades[nid].items()))
        q.write("%s\t%s\t%s\n" % (nid, " ".join([title, desc] + keywords), rel))
        q.write("%s-t\t%s\t%s\n" % (nid, title, rel))
unknown = set(grades) - seen
if unknown:
    sys.exit("%s: judgments for unknown needs: %s" % (judg_path, " ".join(sorted(unknown))))
