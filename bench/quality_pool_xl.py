#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/quality_pool_xl.py: the (need, paper) pairs of the English-needs pool
(bench/quality/english.tsv against the CSL papers, issue 15) that nobody has
graded yet. Reads the run files `JB_POOL=DIR sh bench/quality.sh` keeps under
DIR/en (jiebang whole and title alone: rf/jiebang.run, rt/jiebang.run), pools
their top DEPTH (default 10), and leaves out the pairs graded 1/2 in
english_judgments.tsv, those read before (pool_read.tsv, set "english") and
those in the top DEPTH of the first pool's peers, which have not changed
(Xapian n-grams and FTS5 on the English, both on the naive CC-CEDICT
translation: rf/xapian.run, rt/xapian.run, fts5.*.run, cedict.*/xapian.run,
cedict.*.fts5.run). Writes the pairs left as TSV (set, need, paper) to OUT.tsv
and, to judge from, a blind list grouped by need (its whole text, then each
paper's id, title, keywords and abstract opening, shuffled, naming no
system) to OUT.txt.

    python3 bench/quality_pool_xl.py POOL_DIR CSL_PAPERS.jsonl OUT [DEPTH]
"""
import json
import os
import random
import sys

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "quality")
if len(sys.argv) not in (4, 5):
    sys.exit(__doc__)
pool, papers_path, out = sys.argv[1:4]
depth = int(sys.argv[4]) if len(sys.argv) > 4 else 10
en = os.path.join(pool, "en")
RUNS = ["rf/jiebang.run", "rt/jiebang.run"]
PEERS = ["rf/xapian.run", "rt/xapian.run", "fts5.full.run", "fts5.title.run",
         "cedict.full/xapian.run", "cedict.title/xapian.run", "cedict.full.fts5.run",
         "cedict.title.fts5.run"]


def top(path):
    if not os.path.exists(path):
        sys.exit("%s: missing (run bench/quality.sh with JB_POOL=%s)" % (path, pool))
    for line in open(path, encoding="utf-8"):
        q, _, ids = line.rstrip("\n").partition("\t")
        q = q[:-2] if q.endswith("-t") else q
        for pid in [x for x in ids.split(",") if x][:depth]:
            yield q, pid


def known():
    got = set()
    for line in open(os.path.join(here, "english_judgments.tsv"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        got.add((f[0], f[1]))
    path = os.path.join(here, "pool_read.tsv")
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) >= 3 and f[0] == "english":
            got.add((f[1], f[2]))
    return got


seen = known()
for p in PEERS:
    seen.update(top(os.path.join(en, p)))
new = []
for r in RUNS:
    for pair in top(os.path.join(en, r)):
        if pair not in seen and pair not in new:
            new.append(pair)
needs = {}
for line in open(os.path.join(here, "english.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    f = line.rstrip("\n").split("\t")
    needs[f[0]] = f[1] + " — " + f[2]
papers = {}
for line in open(papers_path, encoding="utf-8"):
    p = json.loads(line)
    papers[p["id"]] = p
with open(out + ".tsv", "w", encoding="utf-8") as f:
    for q, pid in sorted(new):
        f.write("english\t%s\t%s\n" % (q, pid))
rnd = random.Random(15)
with open(out + ".txt", "w", encoding="utf-8") as f:
    for q in sorted({q for q, _ in new}):
        f.write("## %s %s\n" % (q, needs.get(q, "")))
        ids = [pid for qq, pid in new if qq == q]
        rnd.shuffle(ids)
        for pid in ids:
            p = papers.get(pid, {})
            f.write("%s | %s | %s | %s\n" % (pid, p.get("title", ""), ";".join(p.get("keywords", [])),
                                             p.get("abstract", "")[:110]))
        f.write("\n")
print("%d pairs to judge over %d needs" % (len(new), len({q for q, _ in new})))
