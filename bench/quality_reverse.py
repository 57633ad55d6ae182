#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/quality_reverse.py: the reverse direction (an output's open
challenges, `jiebang match --output ID`) judged with the needs sets'
judgments read the other way round. The whole-need forms of every needs set
of a quality.sh pool become published challenges of one enterprise; each
CSL paper judged relevant (grade 1 or 2) to at least one of them is a query,
its relevant challenges those that graded it. Writes into OUT:

  world.jsonl   the enterprise and the challenges, to import beside the papers
  needs.jsonl   the challenges as the Xapian peer indexes them (id, title,
                abstract: problem, description and indicator names; keywords)
  qrels.tsv     paper id<TAB>its title, keywords and abstract<TAB>need:grade,...
  papers.jsonl  the papers, those judged grade 2 for a need given to an org of
                that need's (the first need by id that graded them 2: rev-org-NEED,
                with no profile), for `jiebang match --org` from evidence alone
  orgs.tsv      org id<TAB>its papers' titles and keywords<TAB>need:grade,... (the
                needs that graded any of its papers, at the best grade)

    python3 bench/quality_reverse.py POOL OUT

A paper was judged only against the needs whose pools held it (their top 10s
by every system): a need on another topic that would fit it counts as not
relevant, so the figures are a lower bound for every system alike.
"""
import json
import os
import sys

pool, out = sys.argv[1:3]
os.makedirs(out, exist_ok=True)
sets = [d for d in (pool, os.path.join(pool, "ho"), os.path.join(pool, "lf"), os.path.join(pool, "l2"))
        if os.path.exists(os.path.join(d, "needs_qrels.tsv"))]
needs, grades = {}, {}
for d in sets:
    for line in open(os.path.join(d, "needs.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        if r.get("type") == "challenge" and not r["id"].endswith(("-t", "-s")):
            needs[r["id"]] = r
    for line in open(os.path.join(d, "needs_qrels.tsv"), encoding="utf-8"):
        qid, _, rel = line.rstrip("\n").split("\t")
        if qid.endswith("-t"):
            continue
        for x in rel.split(","):
            if x:
                pid, g = x.split(":") if ":" in x else (x, "1")
                grades.setdefault(pid, {})[qid] = int(g)
papers = {}
for line in open(os.path.join(pool, "papers.jsonl"), encoding="utf-8"):
    r = json.loads(line)
    papers[r["id"]] = r
ORG = "rev-enterprise"
with open(os.path.join(out, "world.jsonl"), "w", encoding="utf-8") as w, \
        open(os.path.join(out, "needs.jsonl"), "w", encoding="utf-8") as nd:
    w.write(json.dumps({"type": "org", "id": ORG, "name": "评测用企业", "kind": "enterprise"},
                       ensure_ascii=False) + "\n")
    for nid in sorted(needs):
        r = dict(needs[nid], org=ORG, status="published", deadline="2099-12-31")
        w.write(json.dumps(r, ensure_ascii=False) + "\n")
        body = " ".join([r.get("problem", ""), r.get("description", "")] +
                        [i.get("name", "") for i in r.get("indicators", [])])
        nd.write(json.dumps({"id": nid, "title": r.get("title", ""), "abstract": body,
                             "keywords": r.get("keywords", [])}, ensure_ascii=False) + "\n")
n = 0
with open(os.path.join(out, "qrels.tsv"), "w", encoding="utf-8") as q:
    for pid in sorted(grades):
        p = papers.get(pid)
        if not p:
            continue
        text = " ".join([p.get("title", "")] + p.get("keywords", []) + [p.get("abstract", "")])
        text = " ".join(text.split())
        rel = ",".join("%s:%d" % (k, v) for k, v in sorted(grades[pid].items()))
        q.write("%s\t%s\t%s\n" % (pid, text, rel))
        n += 1
# orgs from evidence: each need's grade-2 papers (not yet given to another) make one org
owner = {}
for pid in sorted(grades):
    best = sorted(k for k, v in grades[pid].items() if v == 2)
    if best and pid in papers:
        owner[pid] = "rev-org-" + best[0]
members = {}
for pid, o in owner.items():
    members.setdefault(o, []).append(pid)
with open(os.path.join(out, "papers.jsonl"), "w", encoding="utf-8") as f:
    for o in sorted(members):
        f.write(json.dumps({"type": "org", "id": o, "name": o, "kind": "university"}) + "\n")
    for pid in sorted(papers):
        r = dict(papers[pid])
        if pid in owner:
            r["org"] = owner[pid]
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
with open(os.path.join(out, "orgs.tsv"), "w", encoding="utf-8") as f:
    for o in sorted(members):
        rel = {}
        for pid in members[o]:
            for k, v in grades[pid].items():
                rel[k] = max(rel.get(k, 0), v)
        text = " ".join(" ".join([papers[pid].get("title", "")] + papers[pid].get("keywords", []))
                        for pid in members[o])
        f.write("%s\t%s\t%s\n" % (o, " ".join(text.split()),
                                  ",".join("%s:%d" % kv for kv in sorted(rel.items()))))
print("reverse: %d challenges, %d papers judged relevant to one or more, %d orgs of grade-2 papers"
      % (len(needs), n, len(members)))
