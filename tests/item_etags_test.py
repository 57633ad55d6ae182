#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/item_etags_test.py: lifecycle items' own entity tags over HTTP (run
by tests/item_etags.sh): an application (GET, PATCH, its /status) and a
saved search (POST, the list, DELETE) carry the tag of their own stored
version: GET sends it and answers 304 to If-None-Match; a write with a stale
If-Match is a 412 problem naming the current tag and changes nothing; the
current tag writes and the answer carries the new one; a malformed field is
a 400; `If-Match: *` on an absent item is a 412.

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

S.stop()
sys.exit(jbtest.finish())
