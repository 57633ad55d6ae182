#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/my_apps_test.py: GET /v1/me/applications (run by tests/my_apps.sh) —
the applications a key's org leads or is a member of, across every challenge
it may see, each with its own state and the challenge's title and state;
nobody else's; keyset pages that neither repeat nor skip; refusals.

    python3 tests/my_apps_test.py JIEBANG WORKDIR
"""
import datetime
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
for name, role, org in [("admin", "admin", None), ("officer", "officer", None), ("issuer", "enterprise", "sz-chip-co"),
                        ("a", "researcher", "sh-ic-univ"), ("b", "researcher", "pj-ic-lab"),
                        ("member", "researcher", "zj-pack-inst"), ("other", "researcher", "hp-chain-inst")]:
    K[name] = cli(*(["key", "create", "--role", role, "--data", D] + (["--org", org] if org else []))).stdout.strip()
S = Server(D)


def req(method, path, body=None, key=None):
    return S.call(method, path, body, key)


deadline = (datetime.date.today() + datetime.timedelta(days=120)).isoformat()
NEED = {"org": "sz-chip-co", "problem": "现有碳化硅模块在175℃结温下功率循环寿命不足，需要新型封装材料与互连结构。",
        "indicators": [{"name": "功率循环寿命", "target": 50000, "unit": "次"}], "deadline": deadline,
        "funding": {"amount": 3000000, "currency": "CNY"}, "ip_terms": "背景知识产权归各方，项目成果归发榜方。"}
APP = {"plan": "分三阶段。", "budget": {"amount": 1000000, "currency": "CNY"}, "schedule": "2027", "commitment": "按期完成。"}
for eid, org in (("ma-tl-a", "sh-ic-univ"), ("ma-tl-b", "pj-ic-lab")):
    ok(req("POST", "/v1/experts", {"id": eid, "name": "专家" + eid, "org": org}, K["admin"])[0] == 201, "expert " + eid)
CH = ["ma-%d" % i for i in range(1, 6)]
for i, cid in enumerate(CH):
    ok(req("POST", "/v1/challenges", dict(NEED, id=cid, title="需求 %d <b>&" % i), K["issuer"])[0] == 201, "draft " + cid)
    ok(req("POST", "/v1/challenges/%s/status" % cid, {"to": "published"}, K["issuer"])[0] == 200, "published " + cid)

# before applying: empty lists, in the one list shape
for who in K:
    st, j = req("GET", "/v1/me/applications", key=K[who])
    ok(st == 200 and j == {"items": [], "next_cursor": None, "total": 0},
       "%s has no applications yet (%s %s)" % (who, st, j))

# a leads on every challenge; b leads on two with zj-pack-inst as a member
for cid in CH:
    st, j = req("POST", "/v1/challenges/%s/applications" % cid, dict(APP, lead_org="sh-ic-univ", team_lead="ma-tl-a"), K["a"])
    ok(st == 201, "a applies to %s (%s %s)" % (cid, st, j))
for cid in CH[:2]:
    st, j = req("POST", "/v1/challenges/%s/applications" % cid,
                dict(APP, lead_org="pj-ic-lab", team_lead="ma-tl-b", members=["zj-pack-inst"]), K["b"])
    ok(st == 201, "b applies to %s with a member (%s %s)" % (cid, st, j))


def mine(who, limit=None):
    """every page of the key's list: (items, pages, totals)"""
    items, pages, totals, cur = [], 0, set(), None
    while True:
        q = "/v1/me/applications?" + "&".join(
            x for x in (("limit=%d" % limit) if limit else "", ("cursor=" + cur) if cur else "") if x)
        st, j = req("GET", q, key=K[who])
        if not ok(st == 200, "%s lists page %d (%s %s)" % (who, pages + 1, st, j)):
            return items, pages, totals
        items += j["items"]
        totals.add(j["total"])
        pages += 1
        cur = j["next_cursor"]
        if not cur or pages > 20:
            return items, pages, totals


items, pages, totals = mine("a")
ok(pages == 1 and totals == {5} and [(x["challenge"], x["lead_org"]) for x in items] == [(c, "sh-ic-univ") for c in CH],
   "a sees its five applications, by challenge (%s)" % [(x["challenge"], x["lead_org"]) for x in items])
ok(all(x["status"] == "submitted" and x["challenge_status"] == "published" for x in items),
   "each with its state and the challenge's (%s)" % [(x["status"], x["challenge_status"]) for x in items])
ok([x["challenge_title"] for x in items] == ["需求 %d <b>&" % i for i in range(5)], "and the challenge's title, as stored")
ok(all("conflicts" not in x for x in items), "an applicant does not see the reviewers' conflicts")
paged, pages, totals = mine("a", limit=2)
ok(pages == 3 and totals == {5} and [(x["challenge"], x["lead_org"]) for x in paged] == [(x["challenge"], x["lead_org"]) for x in items],
   "pages of 2: three pages, none repeated or skipped, total 5 on each (%d pages, %s)" % (pages, totals))
items, _, _ = mine("b")
ok([(x["challenge"], x["lead_org"]) for x in items] == [(c, "pj-ic-lab") for c in CH[:2]], "b sees only its own two")
items, _, _ = mine("member")
ok([(x["challenge"], x["lead_org"], x["members"]) for x in items] == [(c, "pj-ic-lab", ["zj-pack-inst"]) for c in CH[:2]],
   "a member org sees the consortium's applications it is in (%s)" % items)
for who in ("other", "issuer", "officer", "admin"):
    st, j = req("GET", "/v1/me/applications", key=K[who])
    ok(st == 200 and j["items"] == [] and j["total"] == 0, "%s applied to nothing: none (%s)" % (who, j))

# a state change shows: shortlisted, withdrawn, then the award
ok(req("POST", "/v1/challenges/ma-1/applications/sh-ic-univ/status", {"to": "shortlisted"}, K["officer"])[0] == 200, "shortlist")
ok(req("POST", "/v1/challenges/ma-2/applications/sh-ic-univ/status", {"to": "withdrawn"}, K["a"])[0] == 200, "withdraw")
ok(req("POST", "/v1/challenges/ma-1/status", {"to": "reviewing"}, K["officer"])[0] == 200, "ma-1 reviewing")
ok(req("POST", "/v1/challenges/ma-1/status", {"to": "awarded", "winners": ["pj-ic-lab"]}, K["officer"])[0] == 200,
   "ma-1 awarded to pj-ic-lab")
st_a = {x["challenge"]: (x["status"], x["challenge_status"]) for x in mine("a")[0]}
ok(st_a["ma-1"] == ("not_selected", "awarded") and st_a["ma-2"] == ("withdrawn", "published") and
   st_a["ma-3"] == ("submitted", "published"), "a sees the states change (%s)" % st_a)
st_b = {x["challenge"]: x["status"] for x in mine("member")[0]}
ok(st_b == {"ma-1": "awarded", "ma-2": "submitted"}, "the member sees its consortium's award (%s)" % st_b)

# a challenge the key can no longer see (back to draft by an operator's import) is left out
S.stop()
imp = os.path.join(WORK, "back.jsonl")
with open(imp, "w") as f:
    f.write('{"type":"challenge","id":"ma-5","title":"重回草稿","org":"sz-chip-co","status":"draft"}\n')
cli("import", "--quiet", "--data", D, imp)
S = Server(D)
got = [x["challenge"] for x in mine("a")[0]]
ok(got == CH[:4], "a challenge back in draft is not listed (%s)" % got)

# refusals
st, j = req("GET", "/v1/me/applications")
ok(st == 401, "no key: 401 (%s)" % st)
st, j = req("GET", "/v1/me/applications?cursor=nonsense", key=K["a"])
ok(st == 400 and is_problem(j, 400), "a bad cursor: a 400 problem (%s)" % j)
st, j = req("GET", "/v1/challenges/ma-1/applications?limit=1", key=K["officer"])
if ok(st == 200 and j["next_cursor"], "another list's cursor"):
    st, j = req("GET", "/v1/me/applications?cursor=" + j["next_cursor"], key=K["a"])
    ok(st == 400, "is refused here: cursors belong to their list (%s)" % st)
for q in ("limit=0", "limit=x", "org=pj-ic-lab", "status=submitted"):
    st, j = req("GET", "/v1/me/applications?" + q, key=K["a"])
    ok(st == 400 and is_problem(j, 400), "?%s: 400 (%s)" % (q, st))
st, j = req("POST", "/v1/me/applications", {}, K["a"])
ok(st == 405, "POST: 405 (%s)" % st)
S.stop()
sys.exit(jbtest.finish())
