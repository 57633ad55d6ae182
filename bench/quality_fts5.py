#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The SQLite FTS5 trigram peer of the quality benchmark: indexes the papers
(title, abstract, keywords) with the trigram tokenizer and ranks by bm25 the
OR of the query's trigrams (each run of letters and digits of the query, cut
at punctuation and spaces, gives its trigrams); a query shorter than 3
characters (which trigram silently misses) falls back to a LIKE scan of a
plain table. Prints one line per query: qid<TAB>id,id,... (best first, up to
50).

    python3 bench/quality_fts5.py PAPERS.jsonl QRELS.tsv
"""
import json
import re
import sqlite3
import sys

def trigrams(q):
    grams = []
    for run in re.findall(r"\w+", q):
        for i in range(len(run) - 2):
            g = run[i:i + 3]
            if g not in grams:
                grams.append(g)
    return grams[:300]

db = sqlite3.connect(":memory:")
db.execute("CREATE VIRTUAL TABLE p USING fts5(id UNINDEXED, title, abstract, keywords, tokenize='trigram')")
db.execute("CREATE TABLE plain(id TEXT, title TEXT, abstract TEXT, keywords TEXT)")
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    row = (r["id"], r["title"], r.get("abstract", ""), " ".join(r.get("keywords", [])))
    db.execute("INSERT INTO p VALUES(?,?,?,?)", row)
    db.execute("INSERT INTO plain VALUES(?,?,?,?)", row)
for line in open(sys.argv[2], encoding="utf-8"):
    qid, q, _ = line.rstrip("\n").split("\t")
    grams = trigrams(q)
    if grams:
        expr = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
        rows = db.execute("SELECT id FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT 50", (expr,)).fetchall()
    else:
        like = "%" + q + "%"
        rows = db.execute("SELECT id FROM plain WHERE title LIKE ? OR keywords LIKE ? OR abstract LIKE ? "
                          "ORDER BY (title LIKE ?) DESC, (keywords LIKE ?) DESC, id LIMIT 50",
                          (like, like, like, like, like)).fetchall()
    print("%s\t%s" % (qid, ",".join(r[0] for r in rows)))
