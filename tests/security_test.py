#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/security_test.py: the authorisation and lifecycle defects an
independent probe found (issue 12, items 3-9, 18, 19), each through a real
server on loopback and in more shapes than its reproducer (run by
tests/security.sh):

  3  the status moves only through /status: PATCH null, PATCH/PUT another
     status, PUT without it, in every state and for every writing role
  4  near-duplicate detection shows only the challenges the caller may see
  5  a researcher key of the issuing org is not the issuer (drafts,
     confidential fields, applications, ranking, milestones, reviews)
  6  an officer's private note never reaches the candidate
  7  only drafts are deleted; a deleted challenge's items go with it
  8  conflicts of interest checked at application, scoring and ranking
  9  an org's own keys cannot change its kind or region
  18 saved match searches re-check visibility when read
  19 dimensionless indicators (empty unit) are accepted and stored absent

    python3 tests/security_test.py JIEBANG WORKDIR
"""
import datetime
import json
import os
import sqlite3
import sys
import urllib.parse

JIEBANG, WORK = sys.argv[1:3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest  # noqa: E402
from jbtest import Server, cli, ok  # noqa: E402

jbtest.JIEBANG, jbtest.WORK = JIEBANG, WORK
S = None


def req(method, path, body=None, key=None):
    return S.call(method, path, body, key)


def q(s):
    return urllib.parse.quote(s, safe="")


D = os.path.join(WORK, "d")
cli("import", "--quiet", "--demo", "--data", D)
K = {}
for name, role, org in [("admin", "admin", None), ("officer", "officer", None), ("ent", "enterprise", "sz-chip-co"),
                        ("ent2", "enterprise", "sh-auto-co"), ("res", "researcher", "sh-ic-univ"),
                        ("res2", "researcher", "pj-ic-lab"), ("res_sz", "researcher", "sz-chip-co"),
                        ("res_xh", "researcher", "xh-ai-univ")]:
    K[name] = cli(*(["key", "create", "--role", role, "--data", D] + (["--org", org] if org else []))).stdout.strip()
S = Server(D)
A = K["admin"]
deadline = (datetime.date.today() + datetime.timedelta(days=180)).isoformat()
FULL = {"title": "车规级碳化硅功率模块高温封装可靠性攻关", "org": "sz-chip-co",
        "problem": "现有碳化硅模块在175℃结温下功率循环寿命不足，需要新型封装材料与互连结构。",
        "indicators": [{"name": "功率循环寿命", "target": 50000, "unit": "次"}],
        "deadline": deadline, "funding": {"amount": 3000000, "currency": "CNY"},
        "ip_terms": "背景知识产权归各方，项目成果归发榜方，揭榜方可免费使用。", "keywords": ["碳化硅", "封装"]}
APP = {"plan": "分三阶段：材料筛选、结构设计、可靠性验证。", "budget": {"amount": 2800000, "currency": "CNY"},
       "schedule": "2027-03 材料；2027-09 样品；2028-03 验证", "commitment": "按期完成指标，接受中期检查。"}


def get(t, i, key=A):
    return req("GET", "/v1/%ss/%s" % (t, q(i)), key=key)


def new_challenge(cid, key="ent", **over):
    return req("POST", "/v1/challenges", dict(FULL, id=cid, **over), K[key])


def move(cid, to, key="admin", **extra):
    return req("POST", "/v1/challenges/%s/status" % q(cid), dict({"to": to}, **extra), K[key])


def expert(eid, org):
    st, j = req("POST", "/v1/experts", {"id": eid, "name": "专家" + eid, "org": org}, A)
    ok(st == 201, "expert %s (%s %s)" % (eid, st, j))


for eid, org in (("sx-tl1", "sh-ic-univ"), ("sx-tl2", "pj-ic-lab"), ("sx-tlxh", "xh-ai-univ"), ("sx-rev", "xh-ai-univ"),
                 ("sx-rev2", "hp-chain-inst"), ("sx-rev3", "sj-green-univ"), ("sx-tlzj", "zj-pack-inst")):
    expert(eid, org)


def reach(cid, state):
    """a challenge of sz-chip-co in `state` (with one application from published on)"""
    path = {"draft": [], "published": ["published"], "reviewing": ["published", "reviewing"],
            "awarded": ["published", "reviewing", "awarded"], "closed": ["published", "closed"],
            "cancelled": ["cancelled"], "in_progress": ["published", "reviewing", "awarded", "in_progress"]}[state]
    ok(new_challenge(cid)[0] == 201, "create " + cid)
    for to in path:
        extra = {"winners": ["sh-ic-univ"]} if to == "awarded" else {}
        st, j = move(cid, to, **extra)
        ok(st == 200, "%s -> %s (%s %s)" % (cid, to, st, j))
        if to == "published":
            st, j = req("POST", "/v1/challenges/%s/applications" % q(cid), dict(APP, lead_org="sh-ic-univ", team_lead="sx-tl1"),
                        K["res"])
            ok(st == 201, "apply to %s (%s %s)" % (cid, st, j))


# ---- 3: the status moves only through /status ----------------------------------------------
for state in ("published", "reviewing", "awarded", "closed", "cancelled"):
    cid = "sx-st-" + state
    reach(cid, state)
    for who in ("ent", "officer", "admin"):
        for body, what in (({"status": None}, "PATCH status null"), ({"status": "draft"}, "PATCH status draft"),
                           ({"status": "published"}, "PATCH status published"), ({"status": 5}, "PATCH status 5"),
                           ({"status": None, "title": "改题"}, "PATCH null with another field")):
            if body.get("status") == state:
                continue
            st, j = req("PATCH", "/v1/challenges/" + cid, body, K[who])
            ok(st == 400 and "status" in j["error"]["message"], "%s %s on %s: 400 (%s %s)" % (who, what, state, st, j))
            ok(get("challenge", cid)[1].get("status") == state, "%s %s leaves %s as it was" % (who, what, state))
        cur = get("challenge", cid)[1]
        body = {k: v for k, v in cur.items() if k not in ("status", "type", "id")}
        body["problem"] = cur["problem"] + "（" + who + "）"
        st, j = req("PUT", "/v1/challenges/" + cid, body, K[who])
        ok(st == 200 and (j or {}).get("record", {}).get("status") == state, "%s PUT without a status keeps %s (%s %s)" % (who, state, st, j))
        st, j = req("PUT", "/v1/challenges/" + cid, dict(body, status="draft"), K[who])
        ok(st == 400, "%s PUT with status draft on %s: 400 (%s)" % (who, state, st))
        st, j = req("PATCH", "/v1/challenges/" + cid, {"title": cur["title"] + "·"}, K[who])
        ok(st == 200 and (j or {}).get("record", {}).get("status") == state, "%s PATCH of the title keeps %s (%s)" % (who, state, st))
    # the bypass of the report: back to draft, then publish again
    st, _ = move(cid, "published", "ent")
    ok(st in (403, 409), "a %s challenge is not published again (%s)" % (state, st))
st, j = req("GET", "/v1/audit?type=challenge&id=sx-st-closed", key=K["officer"])
ok(any(e["action"] == "update" for e in j["items"]), "the kept-status updates are audited")
# a draft does not publish itself through PATCH or PUT (no lint, no transition)
new_challenge("sx-st-draft")
for body in ({"status": "published"}, {"status": "reviewing"}):
    st, j = req("PATCH", "/v1/challenges/sx-st-draft", body, K["ent"])
    ok(st == 400, "PATCH %s on a draft: 400 (%s)" % (body, st))
ok(get("challenge", "sx-st-draft")[1].get("status", "draft") == "draft", "the draft stays a draft")
st, j = req("POST", "/v1/challenges", dict(FULL, id="sx-st-new", status="published"), K["ent"])
ok(st == 400, "a new challenge cannot be created published (%s)" % st)
st, j = req("PATCH", "/v1/challenges/sx-st-draft", {"status": None}, K["ent"])
ok(st == 400, "PATCH status null on a draft: 400 as well (%s)" % st)

# ---- 4: near-duplicates only among what the caller sees ----------------------------------------
DUP = dict(FULL, title="新能源汽车电驱碳化硅功率模块耐高温封装材料与互连可靠性", problem="电驱逆变器中的碳化硅功率模块在高温下功率循环寿命不足，需要耐高温封装材料、银烧结互连和可靠性验证方法。")
ok(req("POST", "/v1/challenges", dict(DUP, id="sx-dup-a"), K["ent"])[0] == 201, "A's draft")
st, j = req("POST", "/v1/challenges", dict(DUP, id="sx-dup-a2"), K["ent"])
ok(st == 201 and "sx-dup-a" in [x["id"] for x in j.get("similar", [])], "the issuer's own near copy shows its own draft (%s)" % j.get("similar"))
st, j = req("POST", "/v1/challenges", dict(DUP, id="sx-dup-b", org="sh-auto-co"), K["ent2"])
ids = [x["id"] for x in j.get("similar", [])]
ok(st == 201 and "sx-dup-a" not in ids and "sx-dup-a2" not in ids, "B's near copy does not show A's drafts (%s)" % ids)
st, j = req("GET", "/v1/challenges/sx-dup-b/lint", key=K["ent2"])
ok(st == 200 and not {"sx-dup-a", "sx-dup-a2"} & {x["id"] for x in j.get("similar", [])}, "nor does B's lint (%s)" % j.get("similar"))
st, j = req("GET", "/v1/challenges/sx-dup-b/lint", key=K["officer"])
ok(st == 200 and "sx-dup-a" in [x["id"] for x in j.get("similar", [])], "an officer's lint of B shows A's draft (%s)" % j.get("similar"))
st, j = move("sx-dup-b", "published", "ent2")
ids = [x["id"] for x in (j or {}).get("similar", [])]
ok(st == 200 and "sx-dup-a" not in ids and "sx-dup-a2" not in ids, "nor does B's publication (%s %s)" % (st, ids))
st, j = req("POST", "/v1/challenges", dict(DUP, id="sx-dup-c"), K["officer"])
ok(st == 201 and "sx-dup-a" in [x["id"] for x in j.get("similar", [])], "an officer creating a copy sees A's draft")
ok(move("sx-dup-a", "published", "ent")[0] == 200, "A publishes")
st, j = req("GET", "/v1/challenges/sx-dup-b/lint", key=K["ent2"])
ok("sx-dup-a" in [x["id"] for x in j.get("similar", [])] and "sx-dup-a2" not in [x["id"] for x in j["similar"]],
   "once published, A shows in B's lint; A's other draft still does not (%s)" % j.get("similar"))

# ---- 5: a researcher of the issuing org is not the issuer ----------------------------------------
ok(new_challenge("sx-iss", confidential={"底价": "200万"})[0] == 201, "a draft with confidential fields")
ok(get("challenge", "sx-iss", K["ent"])[0] == 200, "the issuer sees its draft")
ok(get("challenge", "sx-iss", K["res_sz"])[0] == 404, "a researcher of the same org does not (404)")
st, j = req("GET", "/v1/challenges?org=sz-chip-co&limit=100", key=K["res_sz"])
ok(st == 200 and "sx-iss" not in [x["id"] for x in j["items"]], "nor in the list")
st, j = req("GET", "/v1/challenges/sx-iss/lint", key=K["res_sz"])
ok(st == 404, "nor its lint (%s)" % st)
ok(move("sx-iss", "published", "ent")[0] == 200, "published")
st, j = get("challenge", "sx-iss", K["res_sz"])
ok(st == 200 and "confidential" not in j, "a researcher of the org sees no confidential fields (%s)" % j.get("confidential"))
st, j = get("challenge", "sx-iss", K["ent"])
ok(st == 200 and "confidential" in j, "the issuer does")
st, j = req("POST", "/v1/challenges/sx-iss/applications", dict(APP, lead_org="pj-ic-lab", team_lead="sx-tl2"), K["res2"])
ok(st == 201, "an application with its plan and budget (%s %s)" % (st, j))
st, j = req("GET", "/v1/challenges/sx-iss/applications", key=K["res_sz"])
ok(st == 200 and j["items"] == [], "the researcher sees no other applicant's plan or budget (%s)" % j)
st, j = req("GET", "/v1/challenges/sx-iss/applications", key=K["ent"])
ok(st == 200 and [a["lead_org"] for a in j["items"]] == ["pj-ic-lab"], "the issuer sees the application")
st, j = req("POST", "/v1/challenges/sx-iss/match_reviews", {"type": "org", "id": "sh-ic-univ", "state": "dismissed",
                                                        "reason": "no_capacity", "note": "内部：该团队去年延期"}, K["ent"])
ok(st == 200, "the issuer reviews a match (%s %s)" % (st, j))
ok(req("POST", "/v1/challenges/sx-iss/match_reviews", {"type": "org", "id": "pj-ic-lab", "state": "shortlisted"},
       K["res_sz"])[0] == 403, "the researcher does not review matches")
st, j = req("GET", "/v1/challenges/sx-iss/match_reviews", key=K["res_sz"])
ok(st == 200 and all("note" not in r for r in j["items"]) and "内部" not in json.dumps(j, ensure_ascii=False),
   "the researcher does not see the internal notes (%s)" % j)
st, j = req("GET", "/v1/challenges/sx-iss/matches?kind=org&limit=50&include_dismissed=true", key=K["res_sz"])
ok(st == 200 and all("review" not in m for m in j["matches"]), "nor the reviews in the match list")
ok(move("sx-iss", "reviewing", "ent")[0] == 200, "reviewing")
for path in ("ranking", "milestones"):
    st, j = req("GET", "/v1/challenges/sx-iss/" + path, key=K["res_sz"])
    ok(st == 403, "the researcher does not see the %s (%s)" % (path, st))
    st, j = req("GET", "/v1/challenges/sx-iss/" + path, key=K["ent"])
    ok(st == 200, "the issuer does (%s %s)" % (path, st))
ok(move("sx-iss", "closed", "res_sz")[0] == 403, "nor moves the challenge")

# ---- 6: the private note stays with officers and the issuer --------------------------------------
# ch-001 (sz-chip-co): the officer dismisses its best output, expert and org candidates with a note
NOTE = "内部备注：预算不足且与竞品有合作"
cands = {}
for kind in ("output", "expert", "org"):
    st, j = req("GET", "/v1/challenges/ch-001/matches?kind=%s&limit=5" % kind, key=K["officer"])
    m = j["matches"][0]
    cands[kind] = m
    st, j = req("POST", "/v1/challenges/ch-001/match_reviews", {"type": kind, "id": m["id"], "state": "dismissed",
                                                            "reason": "too_early", "note": NOTE}, K["officer"])
    ok(st == 200, "dismiss %s %s (%s %s)" % (kind, m["id"], st, j))
for kind, m in cands.items():
    owner = m["id"] if kind == "org" else get(kind, m["id"])[1].get("org")
    kkey = cli("key", "create", "--role", "researcher", "--org", owner, "--data", D).stdout.strip()
    st, j = req("GET", "/v1/challenges/ch-001/match_reviews", key=kkey)
    mine = [r for r in j["items"] if r["id"] == m["id"]]
    ok(st == 200 and mine and mine[0]["reason"] == "too_early" and "note" not in mine[0] and "by" not in mine[0],
       "the %s candidate's org sees the reason code, not the note (%s)" % (kind, mine))
    ok(NOTE not in json.dumps(j, ensure_ascii=False), "no note anywhere in its list of reviews")
    st, j = req("GET", "/v1/%ss/%s/matches?limit=50" % (kind, q(m["id"])), key=kkey)
    hit = [x for x in j["matches"] if x["id"] == "ch-001"]
    ok(st == 200 and hit and hit[0].get("review", {}).get("reason") == "too_early",
       "the %s candidate's own match list shows ch-001's reason (%s)" % (kind, hit))
    ok(NOTE not in json.dumps(j, ensure_ascii=False), "the %s candidate's match list carries no note" % kind)
    st, j = req("GET", "/v1/%ss/%s/matches?limit=50" % (kind, q(m["id"])), key=K["officer"])
    hit = [x for x in j["matches"] if x["id"] == "ch-001"]
    ok(hit and hit[0].get("review", {}).get("note") == NOTE, "an officer sees the note in the candidate's list")
st, j = req("GET", "/v1/challenges/ch-001/matches?kind=output&limit=10&include_dismissed=true", key=K["ent"])
hit = [x for x in j["matches"] if x["id"] == cands["output"]["id"]]
ok(hit and hit[0]["review"]["note"] == NOTE, "the issuer sees the note in its own list")
st, j = req("GET", "/v1/challenges/ch-001/match_reviews", key=K["ent"])
ok(NOTE in json.dumps(j, ensure_ascii=False), "and in its reviews")

# ---- 7: only drafts are deleted; their items go with them ----------------------------------------
for state in ("published", "reviewing", "awarded", "closed", "cancelled"):
    cid = "sx-st-" + state
    before = req("GET", "/v1/challenges/%s/applications" % cid, key=A)[1]
    for who in ("ent", "officer", "admin"):
        st, j = req("DELETE", "/v1/challenges/" + cid, key=K[who])
        ok(st == 409 and "draft" in j["error"]["message"], "%s DELETE of a %s challenge: 409 (%s %s)" % (who, state, st, j))
    ok(get("challenge", cid)[0] == 200, "the %s challenge is still there" % state)
    ok(req("GET", "/v1/challenges/%s/applications" % cid, key=A)[1] == before, "with its applications")
ok(req("DELETE", "/v1/challenges/sx-st-draft", key=K["ent2"])[0] == 404, "another org's draft cannot be deleted (404)")
ok(req("POST", "/v1/challenges/sx-st-draft/match_reviews", {"type": "org", "id": "sh-ic-univ", "state": "shortlisted"},
       K["ent"])[0] == 200, "a draft's match review")
ok(req("DELETE", "/v1/challenges/sx-st-draft", key=K["ent"])[0] == 200, "the issuer deletes its draft")
ok(new_challenge("sx-st-draft")[0] == 201, "a new challenge under the same id")
st, j = req("GET", "/v1/challenges/sx-st-draft/match_reviews", key=K["ent"])
ok(st == 200 and j["items"] == [], "starts without the old one's reviews (%s)" % j)
db = sqlite3.connect(os.path.join(D, "jiebang.db"))
ok(db.execute("SELECT count(*) FROM lc_items WHERE challenge='sx-st-draft' AND kind<>'saved'").fetchone()[0] == 0,
   "no lifecycle row of the deleted draft is left in the store")
db.close()

# an org or expert a challenge's applications, reviewers or scores name is not deleted from under them
ok(req("POST", "/v1/orgs", {"id": "sx-org-m", "name": "联合体成员单位", "kind": "lab", "region": "310115"}, A)[0] == 201, "a member org")
ok(req("POST", "/v1/experts", {"id": "sx-lonely", "name": "无关专家", "org": "sx-org-m"}, A)[0] == 201, "an expert of it")
reach("sx-dep", "published")
st, j = req("POST", "/v1/challenges/sx-dep/applications", dict(APP, lead_org="pj-ic-lab", members=["sx-org-m"], team_lead="sx-tl2"),
            K["res2"])
ok(st == 201, "a consortium with the member (%s %s)" % (st, j))
ok(req("POST", "/v1/challenges/sx-dep/reviewers", {"expert": "sx-rev3"}, K["officer"])[0] == 201, "a reviewer")
ok(req("DELETE", "/v1/experts/sx-lonely", key=A)[0] == 200, "an expert nothing names is deleted")
for t, i in (("org", "sx-org-m"), ("expert", "sx-tl2"), ("expert", "sx-rev3")):
    st, j = req("DELETE", "/v1/%ss/%s" % (t, i), key=A)
    ok(st == 409 and "sx-dep" in j["error"]["message"], "DELETE %s %s named by a challenge's rows: 409 (%s %s)" % (t, i, st, j))
    ok(get(t, i)[0] == 200, "%s %s is still there" % (t, i))

# ---- 8: conflicts of interest wherever a reviewer and an application meet -----------------------
reach("sx-coi", "published")  # sh-ic-univ has applied (team lead sx-tl1)
ok(req("POST", "/v1/challenges/sx-coi/reviewers", {"expert": "sx-rev"}, K["officer"])[0] == 201, "sx-rev (xh-ai-univ) assigned")
ok(req("POST", "/v1/challenges/sx-coi/reviewers", {"expert": "sx-rev2"}, K["officer"])[0] == 201, "sx-rev2 (hp-chain-inst) assigned")
ok(req("POST", "/v1/challenges/sx-coi/reviewers", {"expert": "sx-rev3"}, K["officer"])[0] == 201, "sx-rev3 (sj-green-univ) assigned")
# the reviewer's org applies after the assignment: as lead ...
st, j = req("POST", "/v1/challenges/sx-coi/applications", dict(APP, lead_org="xh-ai-univ", team_lead="sx-tlxh"), K["res_xh"])
ok(st == 201 and [c["reviewer"] for c in j.get("conflicts", [])] == ["sx-rev"],
   "an application after the assignment names the conflicting reviewer (%s %s)" % (st, j))
# ... and as a member of a consortium
st, j = req("POST", "/v1/challenges/sx-coi/applications",
            dict(APP, lead_org="pj-ic-lab", members=["hp-chain-inst"], team_lead="sx-tl2"), K["res2"])
ok(st == 201 and [c["reviewer"] for c in j.get("conflicts", [])] == ["sx-rev2"], "a consortium member's reviewer too (%s)" % j)
st, j = req("GET", "/v1/challenges/sx-coi/applications", key=K["officer"])
conf = {a["lead_org"]: [c["reviewer"] for c in a.get("conflicts", [])] for a in j["items"]}
ok(conf == {"sh-ic-univ": [], "xh-ai-univ": ["sx-rev"], "pj-ic-lab": ["sx-rev2"]}, "officers see each application's conflicts (%s)" % conf)
st, j = req("GET", "/v1/challenges/sx-coi/applications", key=K["res_xh"])
ok(st == 200 and all("conflicts" not in a for a in j["items"]), "an applicant's own view names no reviewers")
ok(move("sx-coi", "reviewing")[0] == 200, "reviewing")
SC = {"technical": 30, "team": 20, "plan": 15, "budget": 8}
for rev, lead in (("sx-rev", "xh-ai-univ"), ("sx-rev2", "pj-ic-lab")):
    for who in ("officer", "admin"):
        st, j = req("POST", "/v1/challenges/sx-coi/scores", {"lead_org": lead, "reviewer": rev, "scores": SC}, K[who])
        ok(st == 409 and "conflict of interest" in j["error"]["message"], "%s scoring %s for %s: 409 (%s %s)" % (who, rev, lead, st, j))
st, j = req("POST", "/v1/challenges/sx-coi/scores", {"lead_org": "xh-ai-univ", "reviewer": "sx-rev", "scores": SC}, K["res_xh"])
ok(st == 409, "nor with the reviewer's own org key (%s)" % st)
for rev in ("sx-rev", "sx-rev2", "sx-rev3"):
    st, j = req("POST", "/v1/challenges/sx-coi/scores", {"lead_org": "sh-ic-univ", "reviewer": rev, "scores": SC}, K["officer"])
    ok(st == 200, "%s scores an application it has no conflict with (%s %s)" % (rev, st, j))
# the reviewer moves to the applying org after scoring: its score leaves the ranking
ok(req("PATCH", "/v1/experts/sx-rev3", {"org": "sh-ic-univ"}, A)[0] == 200, "sx-rev3 moves to sh-ic-univ")
st, j = req("GET", "/v1/challenges/sx-coi/ranking", key=K["officer"])
row = next(r for r in j["ranking"] if r["lead_org"] == "sh-ic-univ")
row.setdefault("recused", [])
ok(row["reviews"] == 2 and [x["reviewer"] for x in row["recused"]] == ["sx-rev3"],
   "the ranking leaves out the score of a reviewer who now conflicts (%s)" % row)
st, j = req("POST", "/v1/challenges/sx-coi/scores", {"lead_org": "sh-ic-univ", "reviewer": "sx-rev3", "scores": SC}, K["officer"])
ok(st == 409, "and the reviewer cannot score it again (%s)" % st)
# a shared output made after the assignment
ok(req("POST", "/v1/outputs", {"id": "sx-coauth", "title": "合作成果", "org": "pj-ic-lab", "experts": ["sx-tl2", "sx-rev"]},
       A)[0] == 201, "sx-rev and pj-ic-lab's team lead now share an output")
st, j = req("POST", "/v1/challenges/sx-coi/scores", {"lead_org": "pj-ic-lab", "reviewer": "sx-rev", "scores": SC}, K["officer"])
ok(st == 409 and "sx-coauth" in j["error"]["message"], "a shared output found at scoring time (%s %s)" % (st, j))

# ---- 9: kind and region are not the org's own to set ----------------------------------------------
for who, org in (("ent", "sz-chip-co"), ("res", "sh-ic-univ")):
    cur = get("org", org)[1]
    for body, what in (({"kind": "university" if cur["kind"] != "university" else "lab"}, "kind"),
                       ({"region": "310104" if cur["region"] != "310104" else "310110"}, "region"),
                       ({"kind": None}, "removing its kind"), ({"region": None}, "removing its region"),
                       ({"kind": "tto", "description": "更新"}, "kind beside another field")):
        st, j = req("PATCH", "/v1/orgs/" + org, body, K[who])
        ok(st == 403 and "kind and region" in j["error"]["message"], "%s PATCH of %s: 403 (%s %s)" % (who, what, st, j))
    body = {k: v for k, v in cur.items() if k not in ("type", "id")}
    st, j = req("PUT", "/v1/orgs/" + org, dict(body, kind="institute", region="320102"), K[who])
    ok(st == 403, "%s PUT with another kind and region: 403 (%s)" % (who, st))
    ok(get("org", org)[1] == cur, "%s's org is unchanged" % who)
    st, j = req("PATCH", "/v1/orgs/" + org, {"description": "本单位简介（更新）"}, K[who])
    ok(st == 200, "%s still edits its description (%s %s)" % (who, st, j))
    now = {k: v for k, v in get("org", org)[1].items() if k not in ("type", "id")}
    st, j = req("PUT", "/v1/orgs/" + org, now, K[who])
    ok(st == 200, "%s PUTs its org with kind and region unchanged (%s %s)" % (who, st, j))
st, j = req("PATCH", "/v1/orgs/sz-chip-co", {"kind": "university"}, K["officer"])
ok(st == 200, "an officer sets an org's kind (%s)" % st)
ok(req("PATCH", "/v1/orgs/sz-chip-co", {"kind": "enterprise"}, A)[0] == 200, "an admin sets it back")

# ---- 18: saved searches re-check visibility --------------------------------------------------------
reach("sx-saved", "published")
st, j = req("POST", "/v1/saved", {"match": {"type": "challenge", "id": "sx-saved", "kind": "output"}}, K["ent2"])
ok(st == 201, "another enterprise saves a match search on a published challenge (%s %s)" % (st, j))
sid = j["id"]
st, j = req("GET", "/v1/saved/%s/new" % sid, key=K["ent2"])
ok(st == 200 and j["matching_now"] > 0, "it has results while the challenge is published (%s)" % st)
st, j = req("POST", "/v1/saved", {"match": {"type": "output", "id": "sx-coauth"}}, K["res2"])
ok(st == 201, "a researcher saves its output's match list of challenges")
sid2 = j["id"]
S.stop()
# an admin puts the challenge back to draft with the data tools (the HTTP API cannot)
cur = json.loads(cli("get", "challenge", "sx-saved", "--data", D).stdout)
cur["status"] = "draft"
src = os.path.join(WORK, "back.jsonl")
with open(src, "w") as f:
    f.write(json.dumps(cur, ensure_ascii=False) + "\n")
cli("import", "--quiet", "--data", D, src)
S = Server(D)
st, j = req("GET", "/v1/saved/%s/new" % sid, key=K["ent2"])
ok(st == 404, "the saved search on a challenge gone back to draft answers 404 (%s %s)" % (st, j))
st, j = req("GET", "/v1/saved/%s/new" % sid2, key=K["res2"])
ok(st == 200 and "sx-saved" not in json.dumps(j), "a saved match list of challenges drops the draft (%s)" % st)

# ---- 19: dimensionless indicators -----------------------------------------------------------------
for i, ind in enumerate(({"name": "AUC", "target": "≥0.90", "unit": ""}, {"name": "KS值", "target": 0.45},
                         {"name": "良率", "target": "≥99.5%", "unit": ""})):
    cid = "sx-dim-%d" % i
    st, j = new_challenge(cid, indicators=[ind, {"name": "功率循环寿命", "target": 50000, "unit": "次"}])
    ok(st == 201, "%s: 201 (%s %s)" % (ind, st, j))
    ok("unit" not in j["record"]["indicators"][0] and j["record"]["indicators"][1]["unit"] == "次",
       "an empty unit is stored absent (%s)" % j["record"]["indicators"])
    st, j = req("GET", "/v1/challenges/%s/lint" % cid, key=K["ent"])
    ok(st == 200 and j["ok"], "the lint passes it (%s)" % j)
st, j = req("PUT", "/v1/challenges/sx-dim-1", dict(FULL, indicators=[{"name": "KS", "target": 0.4, "unit": ""}]), K["ent"])
ok(st == 200 and "unit" not in j["record"]["indicators"][0], "PUT with an empty unit stores it absent (%s)" % j)
for bad in ({"name": "AUC", "target": 0.9, "unit": 5}, {"name": "AUC", "target": 0.9, "unit": "x" * 33},
            {"name": "AUC", "target": 0.9, "unit": "a\tb"}):
    ok(new_challenge("sx-dim-bad", indicators=[bad])[0] == 400, "a wrong unit is still refused (%s)" % bad)

# ---- the vague-need assistant over HTTP: the challenge's visibility rules ---------------------------
st, j = req("GET", "/v1/challenges/ch-001/suggest?limit=3", key=K["res"])
ok(st == 200 and j["challenge"] == "ch-001" and 0 < len(j["suggestions"]) <= 3 and len(j["top"]) == 10,
   "suggestions for a published challenge (%s %s)" % (st, j))
ok(new_challenge("sx-sug", title="功率模块封装")[0] == 201, "a vague draft")
st, j = req("GET", "/v1/challenges/sx-sug/suggest", key=K["ent"])
ok(st == 200 and j["suggestions"], "its issuer gets suggestions for the draft (%s)" % st)
for who in ("ent2", "res_sz"):
    ok(req("GET", "/v1/challenges/sx-sug/suggest", key=K[who])[0] == 404, "%s: another org's draft has none (404)" % who)
for bad in ("limit=0", "limit=51", "limit=x", "kind=output"):
    ok(req("GET", "/v1/challenges/ch-001/suggest?" + bad, key=A)[0] == 400, "suggest?%s: 400" % bad)
ok(req("GET", "/v1/challenges/none/suggest", key=A)[0] == 404, "suggest for no challenge: 404")
# terms that grow under escaping come back whole and exact (JSON escaping of the answer)
ODD = ['钽酸锂"<声表>"&滤波\\', "O'Brien<&>振荡器", "\u2028行分隔/\"斜杠\""]
# two outputs carry them: a suggestion is what two of the top share at least
for oid, otitle in (("sx-esc", "钽酸锂声表面波滤波器温度补偿"), ("sx-esc2", "钽酸锂声表面波滤波器频率稳定")):
    ok(req("POST", "/v1/outputs", {"id": oid, "title": otitle, "org": "sh-ic-univ",
                                   "keywords": ODD}, K["res"])[0] == 201, "an output whose keywords grow under escaping")
ok(new_challenge("sx-esc-need", title="钽酸锂声表面波滤波器", problem="", keywords=[])[0] == 201, "a need it fits")
st, j = req("GET", "/v1/challenges/sx-esc-need/suggest?limit=50&min_seq=%d" % 0, key=K["ent"])
terms = [x["term"] for x in (j or {}).get("suggestions", [])]
ok(st == 200 and "sx-esc" in j["top"] and all(t in terms for t in ODD),
   "every escaping-heavy keyword is suggested byte for byte (%s %s)" % (st, terms[:8]))
ok(req("POST", "/v1/challenges/ch-001/suggest", {}, A)[0] == 405, "POST suggest: 405")

S.stop()
sys.exit(jbtest.finish())
