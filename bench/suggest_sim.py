#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/suggest_sim.py: the vague-need assistant with a simulated user
(docs/benchmarks.md). For each title-only need (qid-t) of a needs qrels file
the user asks `jiebang suggest`, accepts those of the first 10 suggested terms
that occur in the need's own whole text (the words the enterprise would have
written had it written more), and the need is matched again with them as its
keywords. Writes a run file (qid-t<TAB>id,id,...) for bench_quality to score
beside the title-only and whole-need runs, and prints how many terms were
offered and accepted.

    python3 bench/suggest_sim.py JIEBANG DATA_DIR NEEDS_QRELS.tsv OUT.run
"""
import json
import os
import subprocess
import sys
import tempfile

jiebang, data, qrels, out = sys.argv[1:5]
whole, titles = {}, []
for line in open(qrels, encoding="utf-8"):
    qid, text, _ = line.rstrip("\n").split("\t")
    if qid.endswith("-t"):
        titles.append((qid, text))
    else:
        whole[qid] = text


def run(*args):
    r = subprocess.run([jiebang] + list(args) + ["--data", data], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("jiebang %s: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout


offered = accepted = helped = 0
recs, acc = [], {}
for qid, title in titles:
    sug = json.loads(run("suggest", "--challenge", qid, "--json"))["suggestions"][:10]
    full = whole[qid[:-2]].lower()
    terms = [s["term"] for s in sug if s["term"].lower() in full]
    offered += len(sug)
    accepted += len(terms)
    helped += bool(terms)
    acc[qid] = terms
    recs.append({"type": "challenge", "id": qid[:-2] + "-s", "title": title, "keywords": terms})
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
    for r in recs:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
run("import", "--quiet", f.name)
os.unlink(f.name)
with open(out, "w", encoding="utf-8") as o:
    for qid, _ in titles:
        m = json.loads(run("match", "--challenge", qid[:-2] + "-s", "--limit", "50", "--json"))
        o.write("%s\t%s\n" % (qid, ",".join(x["id"] for x in m["matches"])))
n = len(titles)
print("simulated user: %d needs, %.1f terms offered and %.1f accepted per need on average; %d needs gained a term"
      % (n, offered / max(n, 1), accepted / max(n, 1), helped))
