#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/quality_pool.py: the (need, paper) pairs of a judgment pool that
nobody has graded yet, for extending the judgments of bench/quality.
Reads the run files `JB_POOL=DIR sh bench/quality.sh` keeps (jiebang and the
Xapian n-gram peer whole and title alone, FTS5 trigram both forms, title +
accepted suggestions), pools the top DEPTH (default 10) of jiebang's runs,
and leaves out the pairs graded 1/2 in the set's judgment file, those read
before (bench/quality/pool_read.tsv: set, need, paper, grade, 0 included) and
those in the peers' top DEPTH: every first pool held the peers' top 10 (the
judgment files' headers say so) and the peers (index/xapian_peer.cc,
bench/quality_fts5.py) have not changed since, so what they retrieve was
read then and is graded or 0.
Writes the pairs left as TSV (set, need, paper) to OUT.tsv and, to judge
from, a blind list grouped by need (its whole text, then each paper's id,
title, keywords and abstract opening, shuffled, naming no system) to OUT.txt.

    python3 bench/quality_pool.py POOL_DIR CSL_PAPERS.jsonl OUT [DEPTH]
"""
import json
import os
import random
import sys

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "quality")
pool, papers_path, out = sys.argv[1:4]
depth = int(sys.argv[4]) if len(sys.argv) > 4 else 10
SETS = [("tuned", "", "judgments.tsv"), ("heldout", "ho", "heldout_judgments.tsv"),
        ("longform", "lf", "longform_judgments.tsv"), ("longform2", "l2", "longform2_judgments.tsv")]
RUNS = ["rf/jiebang.run", "rt/jiebang.run", "suggest.run"]
PEERS = ["rf/xapian.run", "rt/xapian.run", "fts5.full.run", "fts5.title.run"]


def top(path):
    """(need, paper) of the top DEPTH of a run file (the title form's need is its need)"""
    if not os.path.exists(path):
        sys.exit("%s: missing (run bench/quality.sh with JB_POOL=%s)" % (path, pool))
    for line in open(path, encoding="utf-8"):
        q, ids = line.rstrip("\n").split("\t")
        q = q[:-2] if q.endswith("-t") else q
        for pid in [x for x in ids.split(",") if x][:depth]:
            yield q, pid


def pairs(path, kind):
    """(need, paper) of a judgments file (kind 'j') or pool_read.tsv (kind 'r')"""
    got = {}
    if not os.path.exists(path):
        return got
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) != (3 if kind == "j" else 4):
            sys.exit("%s:%d: unexpected line" % (path, n))
        got[tuple(f[:3]) if kind == "r" else tuple(f[:2])] = f[-1]
    return got


read = pairs(os.path.join(here, "pool_read.tsv"), "r")
papers = {}
for line in open(papers_path, encoding="utf-8"):
    r = json.loads(line)
    papers[r["id"]] = r
left = []
needs = {}
for name, sub, jf in SETS:
    d = os.path.join(pool, sub)
    graded = pairs(os.path.join(here, jf), "j")
    for line in open(os.path.join(d, "full.tsv"), encoding="utf-8"):
        q, text, _ = line.rstrip("\n").split("\t")
        needs[q] = text
    seen = {qp for run in PEERS for qp in top(os.path.join(d, run))}
    for run in RUNS:
        for q, pid in top(os.path.join(d, run)):
            if (q, pid) not in graded and (name, q, pid) not in read and (q, pid) not in seen:
                seen.add((q, pid))
                left.append((name, q, pid))
left.sort()
with open(out + ".tsv", "w", encoding="utf-8") as f:
    for s, q, p in left:
        f.write("%s\t%s\t%s\n" % (s, q, p))
by = {}
for s, q, p in left:
    by.setdefault(q, []).append(p)
rnd = random.Random(13)
order = sorted(by)
rnd.shuffle(order)
with open(out + ".txt", "w", encoding="utf-8") as f:
    for q in order:
        f.write("#### NEED %s: %s\n" % (q, needs[q]))
        ps = sorted(by[q])
        rnd.shuffle(ps)
        for p in ps:
            r = papers[p]
            f.write("  %s | %s | KW: %s | AB: %s\n" % (p, r["title"], ";".join(r.get("keywords", [])),
                                                      r.get("abstract", "")[:260]))
print("%d unjudged pairs over %d needs: %s.tsv, %s.txt" % (len(left), len(by), out, out))
