#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/item_etags_test.py: lifecycle items' own entity tags over HTTP (run
by tests/item_etags.sh): an application (GET, PATCH, its /status) and a
saved search (POST, the list, DELETE) carry the tag of their own stored
version: GET sends it and answers 304 to If-None-Match; a write with a stale
If-Match is a 412 problem naming the current tag and changes nothing; the
current tag writes and the answer carries the new one; a malformed field is
a 400; `If-Match: *` on an absent item is a 412. A score and a match review
(POST upserts) are checked against their own stored version, not the
challenge's; the ranking and the list of match reviews give each its tag.

    python3 tests/item_etags_test.py JIEBANG WORKDIR
"""
import datetime
import http.client
import json
import os
import sys

JIEBANG, WORK = sys.argv[1:3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest  # noqa: E402
from jbtest import Server, cli, is_problem, ok  # noqa: E402

jbtest.JIEBANG, jbtest.WORK = JIEBANG, WORK
D = os.path.join(WORK, "d")
cli("import", "--quiet", "--demo", "--data", D)
K = {}
for name, role, org in [("admin", "admin", None), ("officer", "officer", None), ("ent", "enterprise", "sz-chip-co"),
                        ("app", "researcher", "sh-ic-univ"), ("other", "researcher", "pj-ic-lab")]:
    K[name] = cli(*(["key", "create", "--role", role, "--data", D] + (["--org", org] if org else []))).stdout.strip()
S = Server(D)


def req(method, path, body=None, key=None, headers=None):
    c = http.client.HTTPConnection(S.host, S.port, timeout=60)
    h = dict(headers or {})
    if key:
        h["Authorization"] = "Bearer " + key
    data = None
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
        h["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    raw = r.read()
    hd = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    try:
        j = json.loads(raw) if raw else None
    except ValueError:
        j = None
    return r.status, j, hd, raw


def problem(st, j, h, want):
    return st == want and is_problem(j, want, h.get("content-type", ""))


deadline = (datetime.date.today() + datetime.timedelta(days=120)).isoformat()
CH = {"id": "et-c1", "title": "车规级碳化硅功率模块高温封装可靠性攻关", "org": "sz-chip-co",
      "problem": "现有碳化硅模块在175℃结温下功率循环寿命不足，需要新型封装材料与互连结构。",
      "indicators": [{"name": "功率循环寿命", "target": 50000, "unit": "次"}],
      "deadline": deadline, "funding": {"amount": 3000000, "currency": "CNY"},
      "ip_terms": "背景知识产权归各方，项目成果归发榜方，揭榜方可免费使用。", "keywords": ["碳化硅", "封装"]}
st, j, h, _ = req("POST", "/v1/challenges", CH, K["ent"])
ok(st == 201, "challenge (%s %s)" % (st, str(j)[:200]))
st, j, h, _ = req("POST", "/v1/challenges/et-c1/status", {"to": "published"}, K["ent"])
ok(st == 200, "published (%s %s)" % (st, str(j)[:300]))
req("POST", "/v1/experts", {"id": "et-tl", "name": "负责人", "org": "sh-ic-univ"}, K["admin"])
st, j, h, _ = req("POST", "/v1/challenges/et-c1/applications",
                  {"lead_org": "sh-ic-univ", "team_lead": "et-tl", "plan": "分阶段实施。",
                   "budget": {"amount": 1000000, "currency": "CNY"}, "schedule": "2027", "commitment": "按期完成。"},
                  K["app"])
ok(st == 201, "application (%s %s)" % (st, str(j)[:300]))
APP = "/v1/challenges/et-c1/applications/sh-ic-univ"
ctag = req("GET", "/v1/challenges/et-c1", key=K["ent"])[2].get("etag")

# ---- an application ---------------------------------------------------------------------
st, j, h, _ = req("GET", APP, key=K["app"])
t1 = h.get("etag", "")
ok(st == 200 and t1.startswith('"') and len(t1) == 34 and t1 != ctag,
   "GET an application: its own strong ETag, not the challenge's (%s vs %s)" % (t1, ctag))
st, j, h, _ = req("GET", APP, key=K["officer"])
ok(st == 200 and h.get("etag") == t1, "the same tag for every reader (the stored version's)")
st, j, h, raw = req("GET", APP, key=K["app"], headers={"If-None-Match": t1})
ok(st == 304 and raw == b"" and h.get("etag") == t1, "If-None-Match with its tag: 304 (%s)" % st)
st, j, h, raw = req("GET", APP, key=K["app"], headers={"If-None-Match": 'W/%s, "x"' % t1})
ok(st == 304, "If-None-Match compares weakly (%s)" % st)
st, j, h, _ = req("GET", APP, key=K["app"], headers={"If-None-Match": ctag})
ok(st == 200, "the challenge's tag is not the application's: 200 (%s)" % st)
st, j, h, _ = req("GET", APP, key=K["app"], headers={"If-None-Match": "nope"})
ok(problem(st, j, h, 400), "a malformed If-None-Match: 400 (%s)" % st)

stale = '"%s"' % ("0" * 32)
st, j, h, _ = req("PATCH", APP, {"plan": "改过的计划。"}, K["app"], headers={"If-Match": stale})
ok(problem(st, j, h, 412) and t1 in j.get("detail", ""), "PATCH with a stale If-Match: 412 naming the tag (%s %s)" % (st, j))
ok(req("GET", APP, key=K["app"])[1].get("plan") == "分阶段实施。", "and nothing changed")
st, j, h, _ = req("PATCH", APP, {"plan": "改过的计划。"}, K["app"], headers={"If-Match": ctag})
ok(problem(st, j, h, 412), "PATCH with the challenge's tag: 412, the item has its own (%s)" % st)
st, j, h, _ = req("PATCH", APP, {"plan": "改过的计划。"}, K["app"], headers={"If-Match": "W/" + t1})
ok(problem(st, j, h, 412), "a weak tag never matches If-Match (%s)" % st)
st, j, h, _ = req("PATCH", APP, {"plan": "改过的计划。"}, K["app"], headers={"If-Match": "garbage"})
ok(problem(st, j, h, 400), "a malformed If-Match: 400 (%s)" % st)
st, j, h, _ = req("PATCH", APP, {"plan": "改过的计划。"}, K["app"], headers={"If-Match": t1})
t2 = h.get("etag", "")
ok(st == 200 and j.get("plan") == "改过的计划。" and t2 and t2 != t1,
   "PATCH with the current tag: 200 and the new tag (%s %s)" % (st, t2))
st, j, h, _ = req("GET", APP, key=K["app"])
ok(h.get("etag") == t2, "GET answers the new tag")
st, j, h, _ = req("PATCH", APP, {"plan": "第二次。"}, K["app"], headers={"If-Match": t1})
ok(problem(st, j, h, 412) and t2 in j.get("detail", ""), "the old tag is now stale: 412 (%s)" % st)
ok(req("GET", "/v1/challenges/et-c1", key=K["ent"])[2].get("etag") == ctag,
   "an application's edit leaves the challenge's tag")
st, j, h, _ = req("PATCH", APP, {"plan": "无条件。"}, K["app"])
t3 = h.get("etag", "")
ok(st == 200 and t3 not in ("", t2), "without If-Match the write goes on (%s)" % st)

# its state: POST .../status
st, j, h, _ = req("POST", APP + "/status", {"to": "shortlisted"}, K["officer"], headers={"If-Match": t2})
ok(problem(st, j, h, 412), "a transition with a stale If-Match: 412 (%s)" % st)
ok(req("GET", APP, key=K["app"])[1].get("status") == "submitted", "and the state did not move")
st, j, h, _ = req("POST", APP + "/status", {"to": "shortlisted"}, K["officer"], headers={"If-Match": t3})
t4 = h.get("etag", "")
ok(st == 200 and j.get("status") == "shortlisted" and t4 not in ("", t3),
   "a transition with the current tag: 200 and the new tag (%s %s)" % (st, t4))
ok(req("GET", APP, key=K["app"])[2].get("etag") == t4, "GET agrees")
st, j, h, _ = req("POST", APP + "/status", {"to": "withdrawn"}, K["app"], headers={"If-Match": "*"})
ok(st == 200 and j.get("status") == "withdrawn", "If-Match: * matches an existing application (%s)" % st)
st, j, h, _ = req("POST", "/v1/challenges/et-c1/applications/pj-ic-lab/status", {"to": "withdrawn"},
                  K["officer"], headers={"If-Match": "*"})
ok(st == 404, "no such application: 404 before any precondition (%s)" % st)

# ---- a saved search -----------------------------------------------------------------------
st, j, h, _ = req("POST", "/v1/saved", {"search": {"q": "碳化硅"}, "name": "s1"}, K["ent"])
s1, st1 = (j or {}).get("id"), h.get("etag", "")
ok(st == 201 and st1 and j.get("etag") == st1, "POST /v1/saved: its ETag, also as etag (%s %s)" % (st, j))
st, j, h, _ = req("POST", "/v1/saved", {"search": {"q": "封装"}, "name": "s2"}, K["ent"])
s2 = (j or {}).get("id")
st, j, h, _ = req("GET", "/v1/saved", key=K["ent"])
tags = {x["id"]: x.get("etag") for x in (j or {}).get("items", [])}
ok(tags.get(s1) == st1 and tags.get(s2) and tags[s2] != st1, "the list gives each its tag (%s)" % tags)
st, j, h, _ = req("DELETE", "/v1/saved/" + s1, key=K["ent"], headers={"If-Match": tags.get(s2, stale)})
ok(problem(st, j, h, 412), "DELETE with another's tag: 412 (%s)" % st)
ok(s1 in [x["id"] for x in req("GET", "/v1/saved", key=K["ent"])[1]["items"]], "and it is still there")
st, j, h, _ = req("DELETE", "/v1/saved/" + s1, key=K["ent"], headers={"If-Match": st1})
ok(st == 200 and j.get("deleted") is True, "DELETE with its tag: 200 (%s %s)" % (st, j))
st, j, h, _ = req("DELETE", "/v1/saved/" + s1, key=K["ent"], headers={"If-Match": "*"})
ok(problem(st, j, h, 412), "If-Match: * on a deleted one: 412 (%s)" % st)
st, j, h, _ = req("DELETE", "/v1/saved/" + s2, key=K["ent"], headers={"If-Match": "bad"})
ok(problem(st, j, h, 400), "a malformed If-Match: 400 (%s)" % st)
st, j, h, _ = req("DELETE", "/v1/saved/" + s2, key=K["ent"])
ok(st == 200, "without If-Match: deleted (%s)" % st)

# ---- a score (a reviewer's scores of an application) ------------------------------------------
CH2 = dict(CH, id="et-c2")
ok(req("POST", "/v1/challenges", CH2, K["ent"])[0] == 201 and
   req("POST", "/v1/challenges/et-c2/status", {"to": "published"}, K["ent"])[0] == 200, "a second challenge")
req("POST", "/v1/experts", {"id": "et-rev", "name": "评审", "org": "pj-ic-lab"}, K["admin"])
ok(req("POST", "/v1/challenges/et-c2/applications",
       {"lead_org": "sh-ic-univ", "team_lead": "et-tl", "plan": "分阶段实施。",
        "budget": {"amount": 1000000, "currency": "CNY"}, "schedule": "2027", "commitment": "按期完成。"},
       K["app"])[0] == 201, "its application")
ok(req("POST", "/v1/challenges/et-c2/reviewers", {"expert": "et-rev"}, K["officer"])[0] == 201, "a reviewer")
ok(req("POST", "/v1/challenges/et-c2/status", {"to": "reviewing"}, K["ent"])[0] == 200, "reviewing")
SC = "/v1/challenges/et-c2/scores"
S1 = {"lead_org": "sh-ic-univ", "reviewer": "et-rev", "scores": {"technical": 30, "team": 20, "plan": 15, "budget": 8}}
S2 = dict(S1, scores={"technical": 35, "team": 25, "plan": 18, "budget": 9})
ctag2 = req("GET", "/v1/challenges/et-c2", key=K["ent"])[2].get("etag")
st, j, h, _ = req("POST", SC, S1, K["officer"], headers={"If-Match": "*"})
ok(problem(st, j, h, 412), "If-Match: * before any score: 412 (%s)" % st)
st, j, h, _ = req("POST", SC, S1, K["officer"], headers={"If-None-Match": "*"})
g1 = h.get("etag", "")
ok(st == 200 and g1.startswith('"') and len(g1) == 34 and j.get("etag") == g1 and g1 != ctag2,
   "the first score with If-None-Match: *: 200, its own ETag, also as etag (%s %s %s)" % (st, g1, j))
st, j, h, _ = req("POST", SC, S2, K["officer"], headers={"If-None-Match": "*"})
ok(problem(st, j, h, 412) and g1 in j.get("detail", ""), "If-None-Match: * on an existing score: 412 (%s %s)" % (st, j))
st, j, h, _ = req("GET", "/v1/challenges/et-c2/ranking", key=K["officer"])
rv = [x for r in (j or {}).get("ranking", []) for x in r.get("by_reviewer", [])]
ok(st == 200 and rv and rv[0].get("etag") == g1 and rv[0]["total"] == 73, "the ranking gives each review its tag (%s)" % rv)
st, j, h, _ = req("POST", SC, S2, K["officer"], headers={"If-Match": ctag2})
ok(problem(st, j, h, 412) and g1 in j.get("detail", ""), "the challenge's tag is not the score's: 412 (%s %s)" % (st, j))
st, j, h, _ = req("POST", SC, S2, K["officer"], headers={"If-Match": stale})
ok(problem(st, j, h, 412), "a stale If-Match: 412 (%s)" % st)
ok(req("GET", "/v1/challenges/et-c2/ranking", key=K["officer"])[1]["ranking"][0]["by_reviewer"][0]["total"] == 73,
   "and the score did not change")
st, j, h, _ = req("POST", SC, S2, K["officer"], headers={"If-Match": "nope"})
ok(problem(st, j, h, 400), "a malformed If-Match: 400 (%s)" % st)
st, j, h, _ = req("POST", SC, S2, K["officer"], headers={"If-Match": g1})
g2 = h.get("etag", "")
ok(st == 200 and g2 not in ("", g1) and j.get("etag") == g2, "the current tag: 200 and the new one (%s %s)" % (st, g2))
st, j, h, _ = req("POST", SC, S1, K["officer"], headers={"If-Match": g1})
ok(problem(st, j, h, 412) and g2 in j.get("detail", ""), "the old tag is now stale: 412 (%s)" % st)
ok(req("GET", "/v1/challenges/et-c2/ranking", key=K["officer"])[1]["ranking"][0]["by_reviewer"][0]["total"] == 87,
   "the score is the one written with the current tag")
ok(req("GET", "/v1/challenges/et-c2", key=K["ent"])[2].get("etag") == ctag2, "a score leaves the challenge's tag")

# ---- a match review (the issuer's annotation of a match) ---------------------------------------
MR = "/v1/challenges/et-c1/match_reviews"
oid = req("GET", "/v1/outputs?limit=1", key=K["ent"])[1]["items"][0]["id"]
M1 = {"type": "output", "id": oid, "state": "shortlisted"}
M2 = {"type": "output", "id": oid, "state": "dismissed", "reason": "too_early"}
st, j, h, _ = req("POST", MR, M1, K["ent"], headers={"If-Match": "*"})
ok(problem(st, j, h, 412), "If-Match: * before any review: 412 (%s)" % st)
st, j, h, _ = req("POST", MR, M1, K["ent"])
r1 = h.get("etag", "")
ok(st == 200 and r1.startswith('"') and len(r1) == 34 and j.get("etag") == r1 and j.get("id") == oid,
   "POST a match review: its own ETag, also as etag (%s %s %s)" % (st, r1, j))
st, j, h, _ = req("GET", MR, key=K["ent"])
tags = {x["id"]: x.get("etag") for x in (j or {}).get("items", [])}
ok(st == 200 and tags.get(oid) == r1, "the list gives each review its tag (%s)" % tags)
st, j, h, _ = req("POST", MR, M2, K["ent"], headers={"If-Match": stale})
ok(problem(st, j, h, 412) and r1 in j.get("detail", ""), "a stale If-Match: 412 naming the tag (%s %s)" % (st, j))
st, j, h, _ = req("GET", MR, key=K["ent"])
ok([x["state"] for x in j["items"] if x["id"] == oid] == ["shortlisted"], "and the review did not change")
st, j, h, _ = req("POST", MR, M2, K["ent"], headers={"If-None-Match": "*"})
ok(problem(st, j, h, 412), "If-None-Match: * on an existing review: 412 (%s)" % st)
st, j, h, _ = req("POST", MR, M2, K["ent"], headers={"If-Match": "W/" + r1})
ok(problem(st, j, h, 412), "a weak tag never matches If-Match (%s)" % st)
st, j, h, _ = req("POST", MR, M2, K["ent"], headers={"If-Match": r1})
r2 = h.get("etag", "")
ok(st == 200 and r2 not in ("", r1), "the current tag: 200 and the new one (%s %s)" % (st, r2))
st, j, h, _ = req("GET", MR, key=K["ent"])
ok([(x["state"], x.get("etag")) for x in j["items"] if x["id"] == oid] == [("dismissed", r2)],
   "the list shows the new review and tag (%s)" % j["items"])
st, j, h, _ = req("POST", MR, M1, K["ent"], headers={"If-Match": r1})
ok(problem(st, j, h, 412), "the old tag is now stale: 412 (%s)" % st)
st, j, h, _ = req("POST", MR, {"state": "shortlisted"}, K["ent"], headers={"If-Match": r2})
ok(problem(st, j, h, 400), "a review without its candidate: the engine's 400 (%s)" % st)


# ---- text that grows under escaping comes back whole: a score's comment, a review's note -------
# each kept at its byte limit (a comment 20,000 bytes, a note 2,000), made of what JSON escapes most
# (a control character: 6 bytes; a quote or a backslash: 2) with Chinese and U+2028 between
GROW = '"\\\u0001<&\u2028评'
def grown(limit):
    t = GROW * (limit // len(GROW.encode()) + 1)
    while len(t.encode()) > limit:
        t = t[:-1]
    return t + "x" * (limit - len(t.encode()))
C20K, N2K = grown(20000), grown(2000)
ok(len(C20K.encode()) == 20000 and len(N2K.encode()) == 2000, "the texts are at their limits")
S3 = dict(S2, comment=C20K, comments={"technical": N2K})
st, j, h, _ = req("POST", SC, S3, K["officer"])
ok(st == 200 and j.get("comment") == C20K and j.get("comments", {}).get("technical") == N2K,
   "a score whose comment grows fivefold under escaping: 200 and echoed whole (%s)" % st)
st, j, h, _ = req("GET", "/v1/challenges/et-c2/ranking", key=K["officer"])
rv = [x for r in (j or {}).get("ranking", []) for x in r.get("by_reviewer", [])]
ok(st == 200 and rv and rv[0].get("comment") == C20K and rv[0].get("comments", {}).get("technical") == N2K,
   "the ranking gives the comment back byte for byte (%s)" % st)
st, j, h, _ = req("POST", SC, dict(S2, comment=C20K + "x"), K["officer"])
ok(problem(st, j, h, 400), "a comment one byte over its limit: 400 (%s)" % st)
ok(req("GET", "/v1/challenges/et-c2/ranking", key=K["officer"])[1]["ranking"][0]["by_reviewer"][0].get("comment") == C20K,
   "and the stored comment did not change")
st, j, h, _ = req("POST", MR, dict(M2, note=N2K), K["ent"])
ok(st == 200, "a match review whose note grows under escaping: 200 (%s %s)" % (st, j))
st, j, h, _ = req("GET", MR, key=K["ent"])
ok(st == 200 and [x.get("note") for x in j["items"] if x["id"] == oid] == [N2K],
   "the list gives the note back byte for byte")
st, j, h, _ = req("POST", MR, dict(M2, note=N2K + "x"), K["ent"])
ok(problem(st, j, h, 400), "a note one byte over its limit: 400 (%s)" % st)

S.stop()
sys.exit(jbtest.finish())
