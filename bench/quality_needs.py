#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Turns bench/quality/needs.tsv (our own labelled set: id, title, problem,
indicator name|target|unit, keywords;...) into challenge JSONL, twice: the
whole need (id) and the title alone (id-t), plus a qrels file for both forms
from bench/quality/judgments.tsv (need id, paper id, grade 2/1; anything not
listed is 0).

    python3 bench/quality_needs.py NEEDS.tsv JUDGMENTS.tsv OUTDIR
"""
import collections
import json
import os
import sys

needs_path, judg_path, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
grades = collections.defaultdict(dict)
if os.path.exists(judg_path):
    for line in open(judg_path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        nid, pid, g = line.rstrip("\n").split("\t")
        grades[nid][pid] = int(g)
with open(os.path.join(out, "needs.jsonl"), "w", encoding="utf-8") as f, \
     open(os.path.join(out, "needs_qrels.tsv"), "w", encoding="utf-8") as q:
    for line in open(needs_path, encoding="utf-8"):
        nid, title, problem, ind, kws = line.rstrip("\n").split("\t")
        name, target, unit = ind.split("|")
        keywords = [k for k in kws.split(";") if k]
        full = {"type": "challenge", "id": nid, "title": title, "problem": problem,
                "indicators": [{"name": name, "target": target, "unit": unit}], "keywords": keywords}
        f.write(json.dumps(full, ensure_ascii=False) + "\n")
        f.write(json.dumps({"type": "challenge", "id": nid + "-t", "title": title}, ensure_ascii=False) + "\n")
        rel = ",".join("%s:%d" % (p, g) for p, g in sorted(grades[nid].items()) if g > 0)
        fulltext = " ".join([title, problem, name, target, unit] + keywords)
        q.write("%s\t%s\t%s\n" % (nid, fulltext, rel))
        q.write("%s-t\t%s\t%s\n" % (nid, title, rel))
