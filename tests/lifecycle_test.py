#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/lifecycle_test.py: the 揭榜挂帅 lifecycle over HTTP (run by
tests/lifecycle.sh) — a scenario from draft to acceptance, every invalid
transition, who may make which, need linting, near-duplicate needs, and the
audit log's hash chain under hand edits of the SQLite file.

    python3 tests/lifecycle_test.py JIEBANG WORKDIR
"""
import datetime
import os
import re
import shutil
import sqlite3
import subprocess
import sys

JIEBANG, WORK = sys.argv[1:3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest  # noqa: E402
from jbtest import Server, cli, ok  # noqa: E402,F401

jbtest.JIEBANG, jbtest.WORK = JIEBANG, WORK


def req(method, path, body=None, key=None):
    return S.call(method, path, body, key)


D = os.path.join(WORK, "d")
cli("import", "--quiet", "--demo", "--data", D)
K = {}
for name, role, org in [("admin", "admin", None), ("officer", "officer", None), ("ent", "enterprise", "sz-chip-co"),
                        ("ent2", "enterprise", "sh-auto-co"), ("res", "researcher", "sh-ic-univ"),
                        ("res2", "researcher", "pj-ic-lab")]:
    K[name] = cli(*(["key", "create", "--role", role, "--data", D] + (["--org", org] if org else []))).stdout.strip()
S = Server(D)
deadline = (datetime.date.today() + datetime.timedelta(days=180)).isoformat()
FULL = {"title": "车规级碳化硅功率模块高温封装可靠性攻关", "org": "sz-chip-co",
        "problem": "现有碳化硅模块在175℃结温下功率循环寿命不足，需要新型封装材料与互连结构。",
        "indicators": [{"name": "功率循环寿命", "target": 50000, "unit": "次"}],
        "deadline": deadline, "funding": {"amount": 3000000, "currency": "CNY"},
        "ip_terms": "背景知识产权归各方，项目成果归发榜方，揭榜方可免费使用。", "keywords": ["碳化硅", "封装"]}


def new_challenge(cid, key="ent", **over):
    body = dict(FULL, id=cid, **over)
    return req("POST", "/v1/challenges", body, K[key])


def move(cid, to, key="officer", note=None):
    body = {"to": to}
    if note:
        body["note"] = note
    return req("POST", "/v1/challenges/%s/status" % cid, body, K[key])


def seq():
    return req("GET", "/healthz")[1]["last_seq"]


# ---- the scenario: draft to acceptance -----------------------------------------------------
st, j = new_challenge("lc-main")
ok(st == 201 and j["record"].get("status", "draft") == "draft", "an enterprise creates a draft")
st, j = req("GET", "/v1/challenges/lc-main/lint", key=K["ent"])
ok(st == 200 and j["ok"] is True and j["errors"] == [], "a complete need passes the lint (%s)" % j)
# the people of the scenario (experts made here, not taken from the demo)
for eid, org in (("lc-tl1", "sh-ic-univ"), ("lc-tl2", "pj-ic-lab"), ("lc-ic2", "sh-ic-univ"), ("lc-issuer", "sz-chip-co"),
                 ("lc-member", "zj-pack-inst"), ("lc-rev", "xh-ai-univ"), ("lc-coauthor", "hp-chain-inst")):
    ok(req("POST", "/v1/experts", {"id": eid, "name": "专家" + eid[3:], "org": org}, K["admin"])[0] == 201, "expert " + eid)
by_org = {"sh-ic-univ": ["lc-tl1", "lc-ic2"], "pj-ic-lab": ["lc-tl2"], "sz-chip-co": ["lc-issuer"], "zj-pack-inst": ["lc-member"]}
TL1, TL2, REV, COAUTHOR = "lc-tl1", "lc-tl2", "lc-rev", "lc-coauthor"
req("POST", "/v1/outputs", {"id": "lc-coauthored", "title": "合作论文", "org": "sh-ic-univ",
                            "experts": [TL1, COAUTHOR]}, K["admin"])
APP = {"plan": "分三阶段：材料筛选、结构设计、可靠性验证。", "budget": {"amount": 2800000, "currency": "CNY"},
       "schedule": "2027-03 材料；2027-09 样品；2028-03 验证", "commitment": "按期完成指标，接受中期检查。"}
steps = [("published", "ent"), ("reviewing", "ent"), ("awarded", "officer"), ("in_progress", "ent"),
         ("accepted", "officer")]
prev = "draft"
for to, who in steps:
    if to == "reviewing":
        # 揭榜: two consortia apply; reviewers are assigned with conflict checks
        st, j = req("POST", "/v1/challenges/lc-main/applications", dict(APP, lead_org="sh-ic-univ", team_lead=TL1), K["res"])
        ok(st == 201 and j["status"] == "submitted" and j["lead_org"] == "sh-ic-univ", "the first team applies (%s %s)" % (st, j))
        st, j = req("POST", "/v1/challenges/lc-main/applications",
                    dict(APP, lead_org="pj-ic-lab", members=["zj-pack-inst"], team_lead=TL2), K["res2"])
        ok(st == 201, "a consortium applies (%s %s)" % (st, j))
        for expert, why in ((by_org["sz-chip-co"][0], "issued"), (by_org["zj-pack-inst"][0], "consortium"),
                            (by_org["sh-ic-univ"][-1], "consortium"), (COAUTHOR, "share output lc-coauthored")):
            st, j = req("POST", "/v1/challenges/lc-main/reviewers", {"expert": expert}, K["officer"])
            ok(st == 409 and why in j["error"]["message"], "conflict of interest '%s' blocks %s (%s %s)" % (why, expert, st, j))
        ok(req("POST", "/v1/challenges/lc-main/reviewers", {"expert": REV}, K["ent"])[0] == 403, "only officers assign reviewers")
        st, j = req("POST", "/v1/challenges/lc-main/reviewers", {"expert": REV}, K["officer"])
        ok(st == 201, "a reviewer without conflicts is assigned (%s %s)" % (st, j))
        ok(req("POST", "/v1/challenges/lc-main/reviewers", {"expert": REV}, K["officer"])[0] == 409, "assigned twice: 409")
        sc = {"technical": 35, "team": 25, "plan": 18, "budget": 8}
        ok(req("POST", "/v1/challenges/lc-main/scores", {"lead_org": "sh-ic-univ", "reviewer": REV, "scores": sc}, K["officer"])[0] == 409,
           "no scores before the review starts")
    if to == "awarded":
        sc1 = {"technical": 30, "team": 20, "plan": 15, "budget": 8}
        sc2 = {"technical": 36, "team": 26, "plan": 18, "budget": 9}
        for lead, sc in (("sh-ic-univ", sc1), ("pj-ic-lab", sc2)):
            st, j = req("POST", "/v1/challenges/lc-main/scores", {"lead_org": lead, "reviewer": REV, "scores": sc}, K["officer"])
            ok(st == 200, "the reviewer's scores for %s are recorded (%s %s)" % (lead, st, j))
        for bad, what in (({"technical": 41, "team": 1, "plan": 1, "budget": 1}, "out of range"),
                          ({"technical": 1, "team": 1, "plan": 1}, "a criterion missing"),
                          ({"technical": 1, "team": 1, "plan": 1, "budget": 1, "luck": 5}, "an unknown criterion")):
            ok(req("POST", "/v1/challenges/lc-main/scores", {"lead_org": "pj-ic-lab", "reviewer": REV, "scores": bad}, K["officer"])[0] == 400,
               "scores with %s: 400" % what)
        ok(req("POST", "/v1/challenges/lc-main/scores", {"lead_org": "pj-ic-lab", "reviewer": TL1, "scores": sc1}, K["officer"])[0] == 400,
           "scores from someone who is not a reviewer: 400")
        ok(req("POST", "/v1/challenges/lc-main/scores", {"lead_org": "pj-ic-lab", "reviewer": REV, "scores": sc2}, K["ent"])[0] == 403,
           "the issuer does not score")
        ok(req("POST", "/v1/challenges/lc-main/scores", {"lead_org": "pj-ic-lab", "reviewer": REV, "scores": sc2}, K["res"])[0] == 403,
           "an applicant does not score")
        krev = cli("key", "create", "--role", "researcher", "--org", "xh-ai-univ", "--data", D).stdout.strip()
        ok(req("POST", "/v1/challenges/lc-main/scores", {"lead_org": "pj-ic-lab", "reviewer": REV, "scores": sc2}, krev)[0] == 200,
           "a key of the reviewer's org records the reviewer's scores")
        ok(req("POST", "/v1/challenges/lc-main/scores", {"lead_org": "nope", "reviewer": REV, "scores": sc2}, K["officer"])[0] == 404,
           "scores for no application: 404")
        st, j = req("GET", "/v1/challenges/lc-main/ranking", key=K["ent"])
        ok(st == 200 and [r["lead_org"] for r in j["ranking"]] == ["pj-ic-lab", "sh-ic-univ"] and j["ranking"][0]["mean"] == 89,
           "the ranking orders the applications by score (%s)" % j)
        ok(req("GET", "/v1/challenges/lc-main/ranking", key=K["res"])[0] == 403, "applicants do not see the ranking")
        st, j = move("lc-main", "awarded", "officer")
        ok(st == 400 and "winners" in j["error"]["message"], "awarding needs the winners (%s)" % j)
        st, j = req("POST", "/v1/challenges/lc-main/status", {"to": "awarded", "winners": ["sz-chip-co"]}, K["officer"])
        ok(st == 400, "a winner must be an application (%s)" % j)
        st, j = req("POST", "/v1/challenges/lc-main/status", {"to": "awarded", "winners": ["pj-ic-lab", "sh-ic-univ"]}, K["officer"])
        ok(st == 400 and "1 to 1" in j["error"]["message"], "at most lifecycle.max_winners winners (%s)" % j)
        st, j = req("POST", "/v1/challenges/lc-main/status", {"to": "awarded", "winners": ["pj-ic-lab"]}, K["ent"])
        ok(st == 403, "the issuer does not award")
        st, j = req("POST", "/v1/challenges/lc-main/status", {"to": "awarded", "winners": ["pj-ic-lab"], "note": "第awarded步"}, K["officer"])
    else:
        st, j = move("lc-main", to, who, note="第%s步" % to)
    ok(st == 200 and j["record"]["status"] == to and j["transition"] == {"from": prev, "to": to},
       "%s moves the challenge %s -> %s (%s %s)" % (who, prev, to, st, j))
    prev = to
st, j = req("GET", "/v1/audit?type=challenge&id=lc-main", key=K["officer"])
actions = [e["action"] for e in j["items"]]
want = ["create", "transition:draft->published", "apply", "apply", "assign_reviewer", "transition:published->reviewing",
        "score", "score", "score", "transition:reviewing->awarded",
        "application:submitted->awarded", "application:submitted->not_selected",
        "transition:awarded->in_progress", "transition:in_progress->accepted"]
ok(actions == want, "every step is in the audit log, in order (%s)" % actions)
ok(all(e["after"] for e in j["items"]) and j["items"][0]["before"] == "",
   "entries carry digests of the record before and after")
ok(j["items"][5]["detail"] == "第reviewing步", "the note is kept")
k_ent = re.match(r"jb_(k[0-9a-f]{16})_", K["ent"]).group(1)
ok(j["items"][1]["actor"] == k_ent, "the actor is the key's id")

# ---- who may make which step ---------------------------------------------------------------
new_challenge("lc-roles")
ok(move("lc-roles", "published", "res")[0] == 404, "a researcher does not see another org's draft (404)")
ok(move("lc-roles", "published", "ent2")[0] == 404, "another enterprise does not see the draft (404)")
ok(move("lc-roles", "published", "ent")[0] == 200, "the issuer publishes")
st, j = move("lc-roles", "reviewing", "ent2")
ok(st == 403, "another enterprise cannot move a published challenge (%s)" % st)
ok(move("lc-roles", "cancelled", "ent")[0] == 403, "the issuer cannot cancel a published challenge")
ok(move("lc-roles", "reviewing", "res")[0] == 403, "a researcher cannot move a published challenge")
req("POST", "/v1/challenges/lc-roles/applications", dict(APP, lead_org="sh-ic-univ", team_lead=TL1), K["res"])
ok(move("lc-roles", "reviewing", "ent")[0] == 200, "the issuer starts the review")
st, j = move("lc-roles", "awarded", "ent")
ok(st == 403 and "officers" in j["error"]["message"], "only officers award (%s)" % j)
ok(req("POST", "/v1/challenges/lc-roles/status", {"to": "awarded", "winners": ["sh-ic-univ"]}, K["admin"])[0] == 200, "an admin awards")

# ---- every invalid transition -------------------------------------------------------------
ALLOWED = {"draft": ["published", "cancelled"], "published": ["reviewing", "closed", "cancelled"],
           "reviewing": ["awarded", "closed", "cancelled"], "awarded": ["in_progress", "cancelled"],
           "in_progress": ["accepted", "failed"], "accepted": [], "failed": [], "closed": [], "cancelled": []}
PATHS = {"draft": [], "published": ["published"], "reviewing": ["published", "reviewing"],
         "awarded": ["published", "reviewing", "awarded"], "in_progress": ["published", "reviewing", "awarded", "in_progress"],
         "accepted": ["published", "reviewing", "awarded", "in_progress", "accepted"],
         "failed": ["published", "reviewing", "awarded", "in_progress", "failed"],
         "closed": ["published", "closed"], "cancelled": ["cancelled"]}
n_invalid = 0
for state, path in PATHS.items():
    cid = "lc-s-" + state
    new_challenge(cid)
    for to in path:
        if to == "awarded":
            st = req("POST", "/v1/challenges/%s/status" % cid, {"to": "awarded", "winners": ["sh-ic-univ"]}, K["admin"])[0]
        else:
            st = move(cid, to, "admin")[0]
        ok(st == 200, "reach %s via %s" % (state, to))
        if to == "published":
            req("POST", "/v1/challenges/%s/applications" % cid, dict(APP, lead_org="sh-ic-univ", team_lead=TL1), K["officer"])
    for to in ALLOWED:
        if to in ALLOWED[state]:
            continue
        s0 = seq()
        st, j = move(cid, to, "admin")
        allowed = ", ".join(ALLOWED[state]) if ALLOWED[state] else "none (a final state)"
        ok(st == 409 and ("allowed: " + allowed) in j["error"]["message"] and seq() == s0,
           "%s -> %s is refused with the allowed ones (%s %s)" % (state, to, st, j))
        n_invalid += 1
    st, j = req("GET", "/v1/challenges/" + cid, key=K["admin"])
    ok(j.get("status", "draft") == state, "%s unchanged by the refused moves" % state)
print("invalid transitions tried: %d" % n_invalid)
ok(n_invalid == 81 - 12, "all %d invalid pairs tried" % n_invalid)
ok(move("lc-s-draft", "done", "admin")[0] == 400, "an unknown state is a 400")
ok(req("POST", "/v1/challenges/lc-s-draft/status", {"to": "published", "extra": 1}, K["admin"])[0] == 400,
   "unknown fields in a transition are a 400")
ok(req("POST", "/v1/challenges/nope/status", {"to": "published"}, K["admin"])[0] == 404, "unknown challenge: 404")
# the status is not a plain field
st, j = req("PATCH", "/v1/challenges/lc-s-draft", {"status": "published"}, K["ent"])
ok(st == 400 and "POST /v1/challenges/lc-s-draft/status" in j["error"]["message"], "PATCH cannot change the status")
st, j = req("POST", "/v1/challenges", dict(FULL, id="lc-pub", status="published"), K["ent"])
ok(st == 400, "a challenge cannot be created published")

# ---- need linting ------------------------------------------------------------------------
soon = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
past = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
LINT = [("problem", {"problem": None}, "problem", None),
        ("no measurable indicator", {"indicators": [{"name": "尽量可靠", "target": "越高越好"}]}, "indicators", "indicators[0]"),
        ("no indicators", {"indicators": None}, "indicators", None),
        ("no deadline", {"deadline": None}, "deadline", None),
        ("past deadline", {"deadline": past}, "deadline", None),
        ("no funding", {"funding": None}, "funding", None),
        ("zero funding", {"funding": {"amount": 0}}, "funding", None),
        ("no IP terms", {"ip_terms": None}, "ip_terms", None),
        ("vague indicator beside a good one", {"indicators": [FULL["indicators"][0], {"name": "良率", "target": "高"}]}, None, "indicators[1]"),
        ("indicator without a unit", {"indicators": [{"name": "寿命", "target": 5000}]}, None, "indicators[0]"),
        ("deadline too close", {"deadline": soon}, None, "deadline")]
for i, (name, over, err, warn) in enumerate(LINT):
    cid = "lc-lint-%d" % i
    body = dict(FULL, id=cid)
    for k, v in over.items():
        if v is None:
            body.pop(k, None)
        else:
            body[k] = v
    st, _ = req("POST", "/v1/challenges", body, K["ent"])
    st, j = req("GET", "/v1/challenges/%s/lint" % cid, key=K["ent"])
    errs = [e["field"] for e in j["errors"]]
    warns = [w["field"] for w in j["warnings"]]
    ok((err in errs) if err else errs == [], "lint %s: errors %s" % (name, errs))
    ok((warn in warns) if warn else True, "lint %s: warnings %s" % (name, warns))
    s0 = seq()
    st, j2 = move(cid, "published", "ent")
    if err:
        ok(st == 400 and err in j2["error"]["message"] and seq() == s0, "publishing with '%s' is refused, nothing changed (%s)" % (name, j2))
    else:
        ok(st == 200, "warnings do not block publishing (%s)" % name)
ok(req("GET", "/v1/challenges/lc-lint-0/lint", key=K["ent2"])[0] == 404, "lint of another org's draft: 404")

# ---- milestones -------------------------------------------------------------------------------
# lc-roles is awarded (above): the plan, releases, the stage check, one extension, the verdict
MS = "/v1/challenges/lc-roles/milestones/"
plan = {"tranches": [{"share": 0.6, "due": "contract"}, {"share": 0.3, "due": "stage_check"}, {"share": 0.1, "due": "acceptance"}]}
for name, body, want in [("a first tranche under 60 %", {"tranches": [{"share": 0.5, "due": "contract"}, {"share": 0.5, "due": "acceptance"}]}, 400),
                         ("shares not adding up to 1", {"tranches": [{"share": 0.6, "due": "contract"}, {"share": 0.3, "due": "acceptance"}]}, 400),
                         ("two stage checks", {"tranches": [{"share": 0.6, "due": "contract"}, {"share": 0.2, "due": "stage_check"}, {"share": 0.2, "due": "stage_check"}]}, 400),
                         ("the first tranche not at contract", {"tranches": [{"share": 1, "due": "acceptance"}]}, 400),
                         ("an unknown due", {"tranches": [{"share": 1, "due": "someday"}]}, 400),
                         ("an extra field", {"tranches": [{"share": 1, "due": "contract", "bonus": 1}]}, 400)]:
    st, j = req("POST", MS + "plan", body, K["officer"])
    ok(st == want, "plan with %s: %s (%s)" % (name, st, j))
ok(req("POST", MS + "plan", plan, K["res"])[0] == 403, "a researcher does not plan the funding")
st, j = req("POST", MS + "plan", plan, K["ent"])
ok(st == 200 and len(j["tranches"]) == 3, "the issuer sets the funding plan (%s)" % j)
ok(req("POST", MS + "plan", plan, K["officer"])[0] == 409, "the plan is set once")
ok(req("POST", MS + "release", {"tranche": 1}, K["officer"])[0] == 409, "the stage-check tranche waits")
ok(req("POST", MS + "release", {"tranche": 0}, K["ent"])[0] == 403, "the issuer does not release money")
ok(req("POST", MS + "release", {"tranche": 0}, K["officer"])[0] == 200, "the contract tranche is released")
ok(req("POST", MS + "release", {"tranche": 0}, K["officer"])[0] == 409, "a tranche is released once")
ok(req("POST", MS + "release", {"tranche": 7}, K["officer"])[0] == 400, "no such tranche")
ok(req("POST", MS + "stage_check", {"passed": True}, K["officer"])[0] == 409, "no stage check before the work starts")
ok(move("lc-roles", "in_progress", "ent")[0] == 200, "the contract is signed: in progress")
ok(req("POST", MS + "extension", {"months": 13, "reason": "设备延期"}, K["officer"])[0] == 400, "an extension is at most a year")
ok(req("POST", MS + "extension", {"months": 6, "reason": "设备延期到货"}, K["officer"])[0] == 200, "one extension")
ok(req("POST", MS + "extension", {"months": 1, "reason": "再延"}, K["officer"])[0] == 409, "only one extension")
ok(req("POST", MS + "stage_check", {"passed": "yes"}, K["officer"])[0] == 400, "a stage check needs passed true|false")
st, j = req("POST", MS + "stage_check", {"passed": True, "note": "中期检查通过"}, K["officer"])
ok(st == 200 and j["stage_check"]["passed"] is True, "the stage check passes")
ok(req("POST", MS + "stage_check", {"passed": True}, K["officer"])[0] == 409, "at most one stage check")
ok(req("POST", MS + "release", {"tranche": 1}, K["officer"])[0] == 200, "the stage-check tranche follows the passed check")
ok(req("POST", MS + "release", {"tranche": 2}, K["officer"])[0] == 409, "the acceptance tranche waits for acceptance")
ok(move("lc-roles", "accepted", "officer")[0] == 200, "accepted")
st, j = req("GET", "/v1/challenges/lc-roles/milestones", key=K["ent"])
ok(st == 200 and j["verdict"]["result"] == "accepted" and j["verdict"]["by"] and j["extension"]["months"] == 6,
   "the verdict is recorded with who and when (%s)" % j.get("verdict"))
ok(req("POST", MS + "release", {"tranche": 2}, K["officer"])[0] == 200, "the acceptance tranche is released")
ok(req("GET", "/v1/challenges/lc-roles/milestones", key=K["res"])[0] == 403, "milestones are not for applicants")
ok(req("POST", MS + "bonus", {}, K["officer"])[0] == 404, "an unknown step")

# ---- match review -----------------------------------------------------------------------------
st, j = req("GET", "/v1/challenges/ch-001/matches?limit=5", key=K["ent"])
top = j["matches"]
ok(len(top) >= 3, "ch-001 has matches to review")
c0, c1 = top[0], top[1]
MR = "/v1/challenges/ch-001/match_reviews"
for name, body, want in [("no reason for a dismissal", {"type": c0["type"], "id": c0["id"], "state": "dismissed"}, 400),
                         ("an unknown reason", {"type": c0["type"], "id": c0["id"], "state": "dismissed", "reason": "dislike"}, 400),
                         ("a reason without a dismissal", {"type": c0["type"], "id": c0["id"], "state": "contacted", "reason": "other"}, 400),
                         ("an unknown state", {"type": c0["type"], "id": c0["id"], "state": "loved"}, 400),
                         ("an unknown candidate", {"type": "output", "id": "nope", "state": "shortlisted"}, 400),
                         ("an unknown field", {"type": c0["type"], "id": c0["id"], "state": "shortlisted", "x": 1}, 400)]:
    ok(req("POST", MR, body, K["ent"])[0] == want, "match review with %s" % name)
ok(req("POST", MR, {"type": c0["type"], "id": c0["id"], "state": "shortlisted"}, K["ent2"])[0] == 403, "only the issuer and officers review matches")
ok(req("POST", MR, {"type": c0["type"], "id": c0["id"], "state": "shortlisted", "note": "技术对口"}, K["ent"])[0] == 200, "shortlisted")
ok(req("POST", MR, {"type": c1["type"], "id": c1["id"], "state": "dismissed", "reason": "ip_conflict", "note": "专利归属冲突"}, K["officer"])[0] == 200, "dismissed with a reason")
st, j = req("GET", "/v1/challenges/ch-001/matches?limit=5", key=K["ent"])
ids = [m["id"] for m in j["matches"]]
ok(c1["id"] not in ids and j["matches"][0].get("review", {}).get("state") == "shortlisted", "the list shows review states and hides dismissed ones")
st, j = req("GET", "/v1/challenges/ch-001/matches?limit=5&include_dismissed=true", key=K["ent"])
ok(any(m["id"] == c1["id"] and m["review"]["reason"] == "ip_conflict" for m in j["matches"]), "unless asked")
cand = req("GET", "/v1/%ss/%s" % (c1["type"], c1["id"]), key=K["admin"])[1]
corg = cand["id"] if c1["type"] == "org" else cand.get("org")
kc = cli("key", "create", "--role", "researcher", "--org", corg, "--data", D).stdout.strip()
st, j = req("GET", MR, key=kc)
ok(st == 200 and (c1["id"], "ip_conflict") in [(r["id"], r.get("reason")) for r in j["items"]]
   and all(r["candidate_org"] == corg for r in j["items"]),
   "the candidate's org sees its own dismissal and the reason, and only its own (%s)" % j)
if c1["type"] != "org":
    st, j = req("GET", "/v1/%ss/%s/matches?limit=50" % (c1["type"], c1["id"]), key=kc)
    ok(st == 200, "reverse matches for the candidate")
    r = [m for m in j["matches"] if m["id"] == "ch-001"]
    ok(not r or r[0].get("review", {}).get("reason") == "ip_conflict", "and the reason beside the challenge in its own list")
st, j = req("GET", MR, key=K["ent2"])
ok(st == 200 and j["items"] == [], "others see no reviews")

# ---- saved searches ------------------------------------------------------------------------------
st, j = req("POST", "/v1/saved", {"name": "碳化硅需求", "search": {"q": "碳化硅 封装", "type": "challenge"}}, K["res"])
ok(st == 201 and j["id"].startswith("s"), "a search is saved (%s)" % j)
sid = j["id"]
st, j = req("GET", "/v1/saved/%s/new" % sid, key=K["res"])
first = [x["id"] for x in j["new"]]
ok(st == 200 and first and j["previous_look"] is None, "the first look returns what matches (%s)" % first)
st, j = req("GET", "/v1/saved/%s/new" % sid, key=K["res"])
ok(st == 200 and j["new"] == [] and j["matching_now"] == len(first), "the second look: nothing new")
st, j = new_challenge("lc-saved-new", title="碳化硅模块封装新需求", problem="碳化硅封装的热应力问题需要解决。")
st, j = move("lc-saved-new", "published", "ent")
st, j = req("GET", "/v1/saved/%s/new?min_seq=%d" % (sid, j["seq"]), key=K["res"])
ok(st == 200 and [x["id"] for x in j["new"]] == ["lc-saved-new"], "a newly published need shows up as new (%s)" % j.get("new"))
ok(req("GET", "/v1/saved/%s/new" % sid, key=K["ent2"])[0] == 404, "saved searches are their owner's")
st, j = req("POST", "/v1/saved", {"match": {"type": "challenge", "id": "ch-001", "kind": "expert"}}, K["ent"])
ok(st == 201, "a match query is saved")
st, j2 = req("GET", "/v1/saved/%s/new" % j["id"], key=K["ent"])
ok(st == 200 and j2["new"] and all(x["type"] == "expert" for x in j2["new"]), "and runs")
for name, body in (("both kinds", {"search": {"q": "a"}, "match": {"type": "challenge", "id": "ch-001"}}),
                   ("neither", {"name": "x"}), ("a bad type", {"search": {"q": "a", "type": "book"}}),
                   ("an unknown field", {"search": {"q": "a"}, "colour": 1}),
                   ("another org's draft", {"match": {"type": "challenge", "id": "lc-s-draft"}})):
    ok(req("POST", "/v1/saved", body, K["res"])[0] == 400, "saving %s: 400" % name)
st, j = req("GET", "/v1/saved", key=K["res"])
ok(st == 200 and [x["id"] for x in j["items"]] == [sid], "the owner's list")
ok(req("DELETE", "/v1/saved/" + sid, key=K["res"])[0] == 200 and req("GET", "/v1/saved/%s/new" % sid, key=K["res"])[0] == 404,
   "a saved search is deleted")

# ---- application rules ----------------------------------------------------------------------
A = dict(APP, lead_org="sh-ic-univ", team_lead=TL1)
new_challenge("lc-app")
ok(req("POST", "/v1/challenges/lc-app/applications", A, K["officer"])[0] == 409, "no applications to a draft")
move("lc-app", "published", "ent")
for name, body, key, want in [
        ("the issuer leads", dict(A, lead_org="sz-chip-co", team_lead=by_org["sz-chip-co"][0]), "ent", 403),
        ("the issuer as a member", dict(A, members=["sz-chip-co"]), "res", 403),
        ("another org's key", A, "res2", 403),
        ("five members", dict(A, members=["pj-ic-lab", "zj-pack-inst", "jd-power-lab", "hp-chain-inst", "xh-ai-univ"]), "res", 400),
        ("an unknown member", dict(A, members=["nope"]), "res", 400),
        ("the lead also a member", dict(A, members=["sh-ic-univ"]), "res", 400),
        ("a member twice", dict(A, members=["pj-ic-lab", "pj-ic-lab"]), "res", 400),
        ("a team lead of another org", dict(A, team_lead=TL2), "res", 400),
        ("an unknown team lead", dict(A, team_lead="nope"), "res", 400),
        ("no plan", {k: v for k, v in A.items() if k != "plan"}, "res", 400),
        ("budget 0", dict(A, budget={"amount": 0}), "res", 400),
        ("an unknown field", dict(A, price=1), "res", 400)]:
    s0 = seq()
    st, j = req("POST", "/v1/challenges/lc-app/applications", body, K[key])
    ok(st == want, "application with %s: %s (want %s) %s" % (name, st, want, j))
ok(req("POST", "/v1/challenges/lc-app/applications", A, K["res"])[0] == 201, "a valid application")
ok(req("POST", "/v1/challenges/lc-app/applications", A, K["res"])[0] == 409, "one application per lead org")
ok(req("POST", "/v1/challenges/lc-app/applications", dict(A, lead_org="pj-ic-lab", team_lead=TL2, members=["sh-ic-univ"]), K["res2"])[0] == 201,
   "an org may be a member elsewhere")
for key, n in (("ent", 2), ("officer", 2), ("res", 2), ("res2", 1), ("ent2", 0)):
    st, j = req("GET", "/v1/challenges/lc-app/applications", key=K[key])
    ok(st == 200 and len(j["items"]) == n, "%s sees %d applications (%s)" % (key, n, len(j["items"]) if st == 200 else st))
# eligibility and the deadline
new_challenge("lc-elig", eligibility={"org_kinds": ["university"], "regions": ["11"]})
move("lc-elig", "published", "ent")
st, j = req("POST", "/v1/challenges/lc-elig/applications", dict(A, lead_org="pj-ic-lab", team_lead=TL2), K["res2"])
ok(st == 403 and "org_kinds" in j["error"]["message"], "an ineligible org kind (%s)" % j)
st, j = req("POST", "/v1/challenges/lc-elig/applications", A, K["res"])
ok(st == 403 and "regions" in j["error"]["message"], "an ineligible region (%s)" % j)
new_challenge("lc-late")
move("lc-late", "published", "ent")
req("PATCH", "/v1/challenges/lc-late", {"deadline": (datetime.date.today() - datetime.timedelta(days=1)).isoformat()}, K["ent"])
st, j = req("POST", "/v1/challenges/lc-late/applications", A, K["res"])
ok(st == 409 and "deadline" in j["error"]["message"], "no applications after the deadline (%s)" % j)

# ---- near-duplicate needs -----------------------------------------------------------------
st, j = new_challenge("lc-dup", title=FULL["title"] + "（第二批）")
sims = {x["id"]: x["similarity"] for x in j.get("similar", [])}
ok(st == 201 and "lc-main" in sims and sims["lc-main"] >= 0.6, "a near-identical need is reported on create (%s)" % sims)
st, j = req("POST", "/v1/challenges", {"id": "lc-other", "title": "医院门诊排队时间预测与分流", "org": "sz-chip-co",
                                       "problem": "门诊高峰拥堵，需要根据挂号数据预测排队时长。"}, K["ent"])
ok(st == 201 and all(x["id"] != "lc-main" for x in j.get("similar", [])), "an unrelated need is not (%s)" % j.get("similar"))
st, j = move("lc-dup", "published", "ent")
ok(st == 200 and any(x["id"] == "lc-main" for x in j.get("similar", [])), "and again on publish")
st, j = req("GET", "/v1/challenges/lc-dup/lint", key=K["ent"])
ok(any(x["id"] == "lc-main" for x in j.get("similar", [])), "and in the lint")

# ---- statistics -----------------------------------------------------------------------------
ok(req("GET", "/v1/stats", key=K["ent"])[0] == 403, "statistics are for officers")
st, j = req("GET", "/v1/stats", key=K["officer"])
ok(st == 200 and j["challenges_by_state"].get("accepted", 0) >= 2 and j["challenges_by_state"].get("published", 0) >= 20,
   "challenges by state (%s)" % j.get("challenges_by_state"))
ok(j["applications"]["per_challenge"].get("lc-app") == 2 and j["applications"]["total"] >= 5, "applications per challenge")
ok(j["time_to_award"]["awards"] >= 3 and j["time_to_award"]["mean_days"] is not None and j["time_to_award"]["mean_days"] >= 0,
   "time to award (%s)" % j["time_to_award"])
ok(j["match_reviews"]["by_state"] == {"shortlisted": 1, "dismissed": 1} and j["match_reviews"]["dismissed_by_reason"] == {"ip_conflict": 1},
   "match review outcomes by reason (%s)" % j["match_reviews"])
ok(sum(j["challenges_by_field"].values()) >= sum(j["challenges_by_state"].values()), "challenges by field")

# ---- the audit log over HTTP ----------------------------------------------------------------
ok(req("GET", "/v1/audit", key=K["res"])[0] == 403, "researchers do not read the audit log")
ok(req("GET", "/v1/audit/verify", key=K["ent"])[0] == 403, "enterprises do not verify it")
st, j = req("GET", "/v1/audit/verify", key=K["officer"])
ok(st == 200 and j["ok"] is True and j["entries"] > 50, "verify: intact (%s)" % j)
n_entries = j["entries"]
st, j = req("GET", "/v1/audit?action=transition&limit=5", key=K["officer"])
ok(st == 200 and len(j["items"]) == 5 and all(e["action"].startswith("transition:") for e in j["items"]) and j["next_cursor"],
   "filter by action, paged")
st, j2 = req("GET", "/v1/audit?action=transition&limit=5&cursor=%s" % j["next_cursor"], key=K["officer"])
ok(st == 200 and j2["items"][0]["seq"] > j["items"][-1]["seq"], "next page")
st, j = req("GET", "/v1/audit?actor=%s&limit=100" % k_ent, key=K["admin"])
ok(st == 200 and j["items"] and all(e["actor"] == k_ent for e in j["items"]), "filter by actor")
# a hand edit while the server runs: verify over HTTP names it
db = os.path.join(D, "jiebang.db")
con = sqlite3.connect(db)
orig = con.execute("SELECT detail FROM audit WHERE seq = 3").fetchone()[0]
con.execute("UPDATE audit SET detail = 'forged' WHERE seq = 3")
con.commit()
con.close()
st, j = req("GET", "/v1/audit/verify", key=K["officer"])
ok(st == 200 and j["ok"] is False and j["first_bad"] == 3 and "changed" in j["reason"], "an edited entry is named (%s)" % j)
con = sqlite3.connect(db)
con.execute("UPDATE audit SET detail = ? WHERE seq = 3", (orig,))
con.commit()
con.close()
ok(req("GET", "/v1/audit/verify", key=K["officer"])[1]["ok"] is True, "undoing the edit restores the chain")
ok(S.stop() == 0, "the server stops cleanly")

# ---- the lifecycle's configuration --------------------------------------------------------------
conf = os.path.join(WORK, "lc.conf")
with open(conf, "w") as f:
    f.write("lifecycle.criteria = novelty:10, fit:5\nlifecycle.duplicate_threshold = 0.99\n"
            "lifecycle.first_tranche_share = 0.8\nlifecycle.max_members = 1\nlog = 0\n")
S = Server(D, ["--config", conf])
ok(req("POST", "/v1/challenges/lc-s-reviewing/reviewers", {"expert": REV}, K["officer"])[0] == 201, "a reviewer for the configured run")
st, j = req("POST", "/v1/challenges/lc-s-reviewing/scores", {"lead_org": "sh-ic-univ", "reviewer": REV,
                                                             "scores": {"technical": 30, "team": 20, "plan": 10, "budget": 5}}, K["officer"])
ok(st == 400 and "novelty (0-10), fit (0-5)" in j["error"]["message"], "scores follow lifecycle.criteria (%s)" % j)
st, j = req("POST", "/v1/challenges/lc-s-reviewing/scores", {"lead_org": "sh-ic-univ", "reviewer": REV,
                                                             "scores": {"novelty": 9, "fit": 4}}, K["officer"])
ok(st == 200, "configured criteria are accepted")
st, j = req("GET", "/v1/challenges/lc-s-reviewing/ranking", key=K["officer"])
ok(st == 200 and j["ranking"][0]["criteria"] == {"novelty": 9, "fit": 4} and j["ranking"][0]["mean"] == 13, "and ranked (%s)" % j)
st, j = new_challenge("lc-dup2", title=FULL["title"] + "（第三批）")
ok(st == 201 and all(x["id"] != "lc-main" for x in j.get("similar", [])), "lifecycle.duplicate_threshold 0.99 (%s)" % j.get("similar"))
new_challenge("lc-cfg")
move("lc-cfg", "published", "ent")
st, j = req("POST", "/v1/challenges/lc-cfg/applications", dict(APP, lead_org="sh-ic-univ", team_lead=TL1,
                                                                 members=["pj-ic-lab", "zj-pack-inst"]), K["res"])
ok(st == 400 and "at most 1 member" in j["error"]["message"], "lifecycle.max_members (%s)" % j)
req("POST", "/v1/challenges/lc-cfg/applications", dict(APP, lead_org="sh-ic-univ", team_lead=TL1), K["res"])
move("lc-cfg", "reviewing", "ent")
req("POST", "/v1/challenges/lc-cfg/status", {"to": "awarded", "winners": ["sh-ic-univ"]}, K["officer"])
st, j = req("POST", "/v1/challenges/lc-cfg/milestones/plan", {"tranches": [{"share": 0.7, "due": "contract"}, {"share": 0.3, "due": "acceptance"}]}, K["officer"])
ok(st == 400 and "80 %" in j["error"]["message"], "lifecycle.first_tranche_share (%s)" % j)
ok(S.stop() == 0, "the configured server stops cleanly")
with open(conf, "w") as f:
    f.write("lifecycle.criteria = Novelty:10\n")
r = subprocess.run([JIEBANG, "serve", "--data", D, "--config", conf], capture_output=True, text=True, timeout=30)
ok(r.returncode == 1 and "lc.conf:1: criteria: names are lower-case" in r.stderr, "bad criteria stop the start (%r)" % r.stderr)

# ---- tampering by hand, verified from the command line --------------------------------------


def tampered(sql_steps):
    d2 = os.path.join(WORK, "t%d" % len(os.listdir(WORK)))
    shutil.copytree(D, d2)
    con = sqlite3.connect(os.path.join(d2, "jiebang.db"))
    for sql in sql_steps:
        con.execute(sql)
    con.commit()
    con.close()
    return cli("audit", "verify", "--data", d2, check=False)


r = cli("audit", "verify", "--data", D, check=False)
m = re.search(r"(\d+) entries, the chain is intact", r.stdout)
ok(r.returncode == 0 and m and int(m.group(1)) > n_entries, "CLI verify: intact (%s)" % r.stdout)
n_entries = int(m.group(1)) if m else n_entries
cols = "at, actor, action, type, id, before, after, detail, prev, hash"
cases = [
    ("edit an action", ["UPDATE audit SET action = 'update' WHERE seq = 7"], 7, "changed"),
    ("edit a timestamp", ["UPDATE audit SET at = at - 86400 WHERE seq = 12"], 12, "changed"),
    ("edit and rehash one entry", ["UPDATE audit SET detail = 'x', hash = '%s' WHERE seq = 9" % ("0" * 64)], 9, "changed"),
    ("delete an entry", ["DELETE FROM audit WHERE seq = 5"], 5, "missing"),
    ("delete the first entry", ["DELETE FROM audit WHERE seq = 1"], 1, "missing"),
    ("swap two entries", ["CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (4, 6)",
                          "UPDATE audit SET (%s) = (SELECT %s FROM t WHERE t.seq = 6) WHERE seq = 4" % (cols, cols),
                          "UPDATE audit SET (%s) = (SELECT %s FROM t WHERE t.seq = 4) WHERE seq = 6" % (cols, cols)], 4, "changed"),
    ("renumber to reorder", ["UPDATE audit SET seq = -1 WHERE seq = 8", "UPDATE audit SET seq = 8 WHERE seq = 10",
                             "UPDATE audit SET seq = 10 WHERE seq = -1"], 8, "changed"),
    ("cut off the last entries", ["DELETE FROM audit WHERE seq > %d" % (n_entries - 3)], n_entries - 2, "cut off"),
]
for name, steps, bad, word in cases:
    r = tampered(steps)
    m = re.search(r"first bad entry: (\d+)", r.stderr)
    ok(r.returncode == 1 and m and int(m.group(1)) == bad and word in r.stderr,
       "tamper '%s': verify names entry %d (%s)" % (name, bad, r.stderr.strip()))

sys.exit(jbtest.finish())
