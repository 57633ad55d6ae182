#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Synthesises a world of N research outputs (with N/5 experts, N/100 orgs and
200 challenges) from the CSL texts, for the matching latency benchmark.
Titles and abstracts are CSL's, recombined and numbered so that N can exceed
the 10,000 records; fields, regions, TRL and years are drawn with a fixed seed.

    python3 bench/gen_world.py CSL_DIR N > world.jsonl
"""
import json
import os
import random
import sys

d, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
papers = [json.loads(l) for l in open(os.path.join(d, "papers.jsonl"), encoding="utf-8")]
titles = [p["title"] for p in papers]
with open(os.path.join(d, "titles.tsv"), encoding="utf-8") as f:
    next(f)
    titles += [l.split("\t")[1] for l in f if "\t" in l]
abstracts = [p["abstract"] for p in papers if p.get("abstract")]
keywords = [k for p in papers for k in p.get("keywords", []) if k.strip()]
fields = ["ic/eda", "ic/design", "ic/power", "energy/storage", "energy/ccus", "ai/ml", "ai/cv",
          "health/imaging", "health/drug", "materials/nano", "civil/tunnel", "agri/food", "transport/its"]
regions = ["310106", "310115", "310110", "320102", "330106", "110108", "440305", "510107"]
kinds = ["university", "lab", "institute", "tto", "hospital"]
out = sys.stdout
norg = max(5, n // 100)
for i in range(norg):
    out.write(json.dumps({"type": "org", "id": "go-%d" % i, "name": "研究机构%d" % i, "kind": rnd.choice(kinds),
                          "region": rnd.choice(regions), "fields": rnd.sample(fields, 2)}, ensure_ascii=False) + "\n")
out.write(json.dumps({"type": "org", "id": "go-ent", "name": "发榜企业", "kind": "enterprise", "region": "310115"},
                     ensure_ascii=False) + "\n")
nexp = max(10, n // 5)
for i in range(nexp):
    out.write(json.dumps({"type": "expert", "id": "ge-%d" % i, "name": "专家%d" % i, "org": "go-%d" % (i % norg),
                          "keywords": rnd.sample(keywords, 3), "bio": rnd.choice(abstracts)[:300],
                          "fields": [rnd.choice(fields)], "outputs_count": rnd.randint(0, 200),
                          "active_year": rnd.randint(2010, 2026)}, ensure_ascii=False) + "\n")
for i in range(n):
    rec = {"type": "output", "id": "gp-%d" % i, "kind": "paper",
           "title": titles[i % len(titles)] + ("" if i < len(titles) else " %d" % i),
           "abstract": abstracts[(i * 7) % len(abstracts)][:600],
           "keywords": rnd.sample(keywords, 3), "fields": [rnd.choice(fields)],
           "org": "go-%d" % (i % norg), "experts": ["ge-%d" % (i % nexp)],
           "trl": rnd.randint(1, 9), "year": rnd.randint(2005, 2026)}
    if i % 3 == 0:  # a third state an asking price (0.5 to 20 million)
        rec["price"] = {"amount": ((i * 7919) % 40 + 1) * 500000, "currency": "CNY"}
    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
for i in range(200):
    out.write(json.dumps({"type": "challenge", "id": "gc-%d" % i, "org": "go-ent", "title": rnd.choice(titles),
                          "problem": rnd.choice(abstracts)[:400], "keywords": rnd.sample(keywords, 3),
                          "fields": [rnd.choice(fields)], "trl_now": 3, "trl_target": 6,
                          "region": "310115", "status": "published", "deadline": "2030-12-31",
                          "funding": {"amount": (i % 10 + 1) * 1000000, "currency": "CNY"}},
                         ensure_ascii=False) + "\n")
