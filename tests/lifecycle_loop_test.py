#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/lifecycle_loop_test.py: the 揭榜 loop closed, over HTTP (run by
tests/lifecycle_loop.sh) — drafts show their status, a refused publication
answers the lint's lists, applications move through their states (withdraw,
shortlist, the award's awarded / not_selected) as each role sees them (the
applicant, a member of another consortium, another applicant, the issuer, an
officer, a researcher of an uninvolved org, a researcher of the issuing org),
the applicant edits and reads its own application, reviewers are listed,
scores carry comments into the ranking, the award is readable and public,
keys are listed with their last use kept to the minute, and times are
RFC 3339 everywhere they are shown.

    python3 tests/lifecycle_loop_test.py JIEBANG WORKDIR
"""
import datetime
import json
import os
import re
import sys

JIEBANG, WORK = sys.argv[1:3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest  # noqa: E402
from jbtest import Server, cli, ok  # noqa: E402

jbtest.JIEBANG, jbtest.WORK = JIEBANG, WORK
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")


def req(method, path, body=None, key=None):
    return S.call(method, path, body, key)


def msg(j):
    """the sentence of an error answer, whichever error shape the server uses"""
    j = j or {}
    return j.get("detail") or (j.get("error") or {}).get("message") or ""


def recent(t, within=300):
    """t is RFC 3339 (UTC, whole seconds) and within `within` seconds of now"""
    if not isinstance(t, str) or not RFC3339.match(t):
        return False
    then = datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    return abs((datetime.datetime.now(datetime.timezone.utc) - then).total_seconds()) < within


D = os.path.join(WORK, "d")
cli("import", "--quiet", "--demo", "--data", D)
K, KID = {}, {}
ROLES = [("admin", "admin", None), ("officer", "officer", None), ("issuer", "enterprise", "sz-chip-co"),
         ("issuer_res", "researcher", "sz-chip-co"), ("a", "researcher", "sh-ic-univ"),
         ("b", "researcher", "pj-ic-lab"), ("b_member", "researcher", "zj-pack-inst"),
         ("c", "researcher", "xh-ai-univ"), ("other", "researcher", "hp-chain-inst")]
for name, role, org in ROLES:
    K[name] = cli(*(["key", "create", "--role", role, "--data", D] + (["--org", org] if org else []))).stdout.strip()
    KID[name] = K[name][3:20]
S = Server(D)
deadline = (datetime.date.today() + datetime.timedelta(days=120)).isoformat()
NEED = {"title": "车规级碳化硅功率模块高温封装可靠性攻关（闭环）", "org": "sz-chip-co",
        "problem": "现有碳化硅模块在175℃结温下功率循环寿命不足，需要新型封装材料与互连结构。",
        "indicators": [{"name": "功率循环寿命", "target": 50000, "unit": "次"}],
        "deadline": deadline, "funding": {"amount": 3000000, "currency": "CNY"},
        "ip_terms": "背景知识产权归各方，项目成果归发榜方。", "keywords": ["碳化硅", "封装"]}
APP = {"plan": "分三阶段：材料筛选、结构设计、可靠性验证。", "budget": {"amount": 2500000, "currency": "CNY"},
       "schedule": "2027-03 材料；2027-09 样品", "commitment": "按期完成指标。"}
for eid, org in (("lp-tl-a", "sh-ic-univ"), ("lp-tl-b", "pj-ic-lab"), ("lp-tl-c", "xh-ai-univ"), ("lp-rev", "hp-chain-inst")):
    ok(req("POST", "/v1/experts", {"id": eid, "name": "专家" + eid[3:], "org": org}, K["admin"])[0] == 201, "expert " + eid)

# ---- drafts show their status --------------------------------------------------------------
st, j = req("POST", "/v1/challenges", dict(NEED, id="lp-1"), K["issuer"])
ok(st == 201 and j["record"]["status"] == "draft", "a new challenge's answer says it is a draft (%s %s)" % (st, j))
st, j = req("GET", "/v1/challenges/lp-1", key=K["issuer"])
ok(st == 200 and j["status"] == "draft", "reading a draft shows \"status\": \"draft\" (%s)" % j)
st, j = req("GET", "/v1/challenges?status=draft&org=sz-chip-co", key=K["issuer"])
ok(st == 200 and any(x["id"] == "lp-1" for x in j["items"]) and all(x["status"] == "draft" for x in j["items"]),
   "a list of drafts shows each one's status (%s)" % [(x["id"], x.get("status")) for x in j.get("items", [])])
# a draft imported without any status (the operator's bulk load) reads as a draft too
imp = os.path.join(WORK, "legacy.jsonl")
with open(imp, "w") as f:
    f.write('{"type":"challenge","id":"lp-legacy","title":"没有状态的旧需求","org":"sz-chip-co"}\n')
S.stop()
cli("import", "--quiet", "--data", D, imp)
S = Server(D)
st, j = req("GET", "/v1/challenges/lp-legacy", key=K["officer"])
ok(st == 200 and j.get("status") == "draft", "a stored challenge without a status reads as a draft (%s)" % j)

# ---- publish with lint errors: the lint's own lists -------------------------------------------
st, lint = req("GET", "/v1/challenges/lp-legacy/lint", key=K["officer"])
ok(st == 200 and lint["ok"] is False and len(lint["errors"]) >= 4, "the lint of an incomplete need (%s)" % lint)
st, j = req("POST", "/v1/challenges/lp-legacy/status", {"to": "published"}, K["officer"])
ok(st == 400 and [{f: v for f, v in e.items() if f != "detail"} for e in j.get("errors", [])] == lint["errors"]
   and j.get("warnings") == lint["warnings"],
   "a refused publication answers the same errors and warnings as GET /lint (%s)" % j)
ok(j.get("errors") and all(set(e) == {"field", "code", "message", "detail"} and e["detail"] == e["message"]
                           for e in j["errors"]),
   "each with its field, code and message (and the problem's detail)")
ok("not ready to publish" in msg(j), "and the sentence naming them (%s)" % msg(j))
st, j = req("GET", "/v1/challenges/lp-legacy", key=K["officer"])
ok(j.get("status") == "draft", "nothing changed")

# ---- applications and their states, as each role sees them --------------------------------
ok(req("POST", "/v1/challenges/lp-1/status", {"to": "published"}, K["issuer"])[0] == 200, "lp-1 is published")
for key, lead, tl, extra in (("a", "sh-ic-univ", "lp-tl-a", {}), ("b", "pj-ic-lab", "lp-tl-b", {"members": ["zj-pack-inst"]}),
                             ("c", "xh-ai-univ", "lp-tl-c", {})):
    st, j = req("POST", "/v1/challenges/lp-1/applications", dict(APP, lead_org=lead, team_lead=tl, **extra), K[key])
    ok(st == 201 and j["status"] == "submitted" and recent(j["submitted_at"]),
       "%s applies: submitted, submitted_at in RFC 3339 (%s %s)" % (lead, st, j))
APPS = "/v1/challenges/lp-1/applications/"
# the one application: its orgs, the issuer, officers — for anyone else it does not exist
for who, lead, want in (("a", "sh-ic-univ", 200), ("a", "pj-ic-lab", 404), ("b_member", "pj-ic-lab", 200),
                        ("b_member", "sh-ic-univ", 404), ("issuer", "pj-ic-lab", 200), ("officer", "xh-ai-univ", 200),
                        ("admin", "sh-ic-univ", 200), ("other", "sh-ic-univ", 404), ("issuer_res", "sh-ic-univ", 404),
                        ("c", "sh-ic-univ", 404)):
    st, j = req("GET", APPS + lead, key=K[who])
    ok(st == want, "%s reads the application of %s: %s (%s %s)" % (who, lead, want, st, j))
    if st == 200:
        ok(j["lead_org"] == lead and j["status"] == "submitted" and recent(j["submitted_at"]),
           "with its state and RFC 3339 times (%s)" % j)
        ok(("conflicts" in j) == (who in ("issuer", "officer", "admin")), "conflicts only for the issuer and officers (%s)" % who)
ok(req("GET", APPS + "no-such-org", key=K["officer"])[0] == 404, "no such application: 404")
ok(req("GET", "/v1/challenges/no-such/applications/sh-ic-univ", key=K["officer"])[0] == 404, "no such challenge: 404")

# the applicant edits its own, open application before the deadline
st, j = req("PATCH", APPS + "sh-ic-univ", {"plan": "四个阶段：材料、结构、工艺、验证。"}, K["a"])
ok(st == 200 and j["plan"].startswith("四个阶段") and j["schedule"] == APP["schedule"] and j["status"] == "submitted"
   and recent(j["updated_at"]), "the applicant edits its plan; the rest stays (%s %s)" % (st, j))
st, j = req("GET", APPS + "sh-ic-univ", key=K["a"])
ok(j["plan"].startswith("四个阶段"), "the edit is stored")
# text that grows under escaping (JSON and HTML specials, a backslash, U+2028, a 4-byte
# character), long enough that every escaped byte counts: back byte for byte
GROW = ('"<a href=\'x\'>&amp;</a>\\ \u2028 𠀀 ' * 120).strip()
st, j = req("PATCH", APPS + "sh-ic-univ", {"plan": GROW}, K["a"])
ok(st == 200 and j["plan"] == GROW, "a plan that grows under escaping is stored as sent (%s)" % st)
st, j = req("GET", APPS + "sh-ic-univ", key=K["officer"])
ok(st == 200 and j["plan"] == GROW, "and read back byte for byte")
ok(req("PATCH", APPS + "sh-ic-univ", {"plan": "四个阶段：材料、结构、工艺、验证。"}, K["a"])[0] == 200, "the plan restored")
for body, want, what in (({"plan": ""}, 400, "an empty plan"), ({"budget": {"amount": -1}}, 400, "a bad budget"),
                         ({"lead_org": "xh-ai-univ"}, 400, "another lead org"), ({"score": 99}, 400, "an unknown field"),
                         ({"members": ["sz-chip-co"]}, 403, "the issuer as a member"),
                         ({"members": ["no-such-org"]}, 400, "an unknown member")):
    st, j = req("PATCH", APPS + "sh-ic-univ", body, K["a"])
    ok(st == want, "an edit with %s: %s (%s %s)" % (what, want, st, j))
ok(req("PATCH", APPS + "sh-ic-univ", {"plan": "别人的"}, K["c"])[0] == 404, "another applicant cannot edit it (it does not exist for it)")
ok(req("PATCH", APPS + "sh-ic-univ", {"plan": "发榜方改"}, K["issuer"])[0] == 403, "the issuer does not edit an application")

# withdraw, shortlist: the moves of the table
st, j = req("POST", APPS + "xh-ai-univ/status", {"to": "withdrawn", "note": "团队另有安排"}, K["c"])
ok(st == 200 and j["status"] == "withdrawn" and recent(j["decided_at"]), "the applicant withdraws (%s %s)" % (st, j))
st, j = req("POST", APPS + "xh-ai-univ/status", {"to": "withdrawn"}, K["c"])
ok(st == 409 and "final" in msg(j), "withdrawn twice: 409, a final state (%s)" % msg(j))
ok(req("PATCH", APPS + "xh-ai-univ", {"plan": "再来"}, K["c"])[0] == 409, "a withdrawn application is not edited")
ok(req("POST", "/v1/challenges/lp-1/applications", dict(APP, lead_org="xh-ai-univ", team_lead="lp-tl-c"), K["c"])[0] == 409,
   "nor submitted again under the same lead org")
ok(req("POST", APPS + "sh-ic-univ/status", {"to": "withdrawn"}, K["c"])[0] == 404, "another applicant cannot withdraw it")
ok(req("POST", APPS + "sh-ic-univ/status", {"to": "withdrawn"}, K["issuer"])[0] == 403, "nor the issuer")
ok(req("POST", APPS + "sh-ic-univ/status", {"to": "shortlisted"}, K["a"])[0] == 403, "the applicant does not shortlist itself")
st, j = req("POST", APPS + "sh-ic-univ/status", {"to": "shortlisted", "note": "技术路线清楚"}, K["officer"])
ok(st == 200 and j["status"] == "shortlisted", "an officer shortlists (%s %s)" % (st, j))
st, j = req("POST", APPS + "pj-ic-lab/status", {"to": "awarded"}, K["officer"])
ok(st == 409 and "award" in msg(j), "awarded only with the award (%s)" % msg(j))
for body in ({"to": "won"}, {}, {"to": "withdrawn", "extra": 1}, {"to": "withdrawn", "note": 5}, [1]):
    ok(req("POST", APPS + "pj-ic-lab/status", body, K["b"])[0] == 400, "a bad move body %s: 400" % (body,))
ok(req("POST", APPS + "no-such-org/status", {"to": "withdrawn"}, K["officer"])[0] == 404, "moving no application: 404")


def states(who):
    st, j = req("GET", "/v1/challenges/lp-1/applications", key=K[who])
    return st, {x["lead_org"]: x["status"] for x in j["items"]} if st == 200 else j


ok(states("issuer") == (200, {"sh-ic-univ": "shortlisted", "pj-ic-lab": "submitted", "xh-ai-univ": "withdrawn"}),
   "the issuer sees every application with its state (%s)" % (states("issuer"),))
ok(states("officer")[1] == states("issuer")[1], "so does an officer")
ok(states("a") == (200, {"sh-ic-univ": "shortlisted"}), "an applicant sees only its own (%s)" % (states("a"),))
ok(states("b_member") == (200, {"pj-ic-lab": "submitted"}), "a member org sees its consortium's (%s)" % (states("b_member"),))
ok(states("c") == (200, {"xh-ai-univ": "withdrawn"}), "the one who withdrew sees that (%s)" % (states("c"),))
ok(states("other") == (200, {}), "a researcher of another org sees none (%s)" % (states("other"),))
ok(states("issuer_res") == (200, {}), "a researcher of the issuing org sees none (%s)" % (states("issuer_res"),))
st, j = req("GET", "/v1/challenges/lp-1/applications", key=K["a"])
ok(j.get("award", "missing") is None, "before the award the list says award: null (%s)" % j.get("award", "missing"))

# ---- reviewers, listed -----------------------------------------------------------------------
ok(req("POST", "/v1/challenges/lp-1/reviewers", {"expert": "lp-rev"}, K["officer"])[0] == 201, "a reviewer is assigned")
for who, want in (("officer", 200), ("admin", 200), ("issuer", 200), ("a", 403), ("other", 403), ("issuer_res", 403)):
    st, j = req("GET", "/v1/challenges/lp-1/reviewers", key=K[who])
    ok(st == want, "%s lists the reviewers: %s (%s %s)" % (who, want, st, j))
    if st == 200:
        r = j["items"]
        ok(len(r) == 1 and r[0]["expert"] == "lp-rev" and r[0]["org"] == "hp-chain-inst" and r[0]["name"] == "专家rev"
           and r[0]["assigned_by"] == KID["officer"] and recent(r[0]["at"]), "the reviewer, who assigned it, when (%s)" % r)
ok(req("GET", "/v1/challenges/no-such/reviewers", key=K["officer"])[0] == 404, "reviewers of no challenge: 404")

# ---- review: scores with their comments; nothing moves for applicants any more ------------------
ok(req("POST", "/v1/challenges/lp-1/status", {"to": "reviewing"}, K["issuer"])[0] == 200, "lp-1 is under review")
st, j = req("POST", APPS + "pj-ic-lab/status", {"to": "withdrawn"}, K["b"])
ok(st == 409 and "published" in msg(j), "no withdrawal once reviewing (%s)" % msg(j))
ok(req("PATCH", APPS + "pj-ic-lab", {"plan": "晚了"}, K["b"])[0] == 409, "no edit once reviewing")
SC = {"technical": 35, "team": 25, "plan": 15, "budget": 8}
st, j = req("POST", "/v1/challenges/lp-1/scores", {"lead_org": "sh-ic-univ", "reviewer": "lp-rev", "scores": SC,
                                                    "comment": "方案扎实，风险可控。", "comments": {"technical": "封装路线清楚"}},
            K["officer"])
ok(st == 200 and j.get("comment") == "方案扎实，风险可控。" and j.get("comments") == {"technical": "封装路线清楚"},
   "scores with a comment per application and per criterion (%s %s)" % (st, j))
st, j = req("POST", "/v1/challenges/lp-1/scores", {"lead_org": "pj-ic-lab", "reviewer": "lp-rev",
                                                    "scores": {"technical": 30, "team": 20, "plan": 15, "budget": 8}}, K["officer"])
ok(st == 200, "scores without comments")
for extra, what in (({"comment": ""}, "an empty comment"), ({"comments": {"luck": "好"}}, "a comment on no criterion"),
                    ({"comments": {"team": 3}}, "a comment that is not text"), ({"comments": "好"}, "comments not an object"),
                    ({"comment": 7}, "a comment that is not text")):
    st, j = req("POST", "/v1/challenges/lp-1/scores", dict({"lead_org": "sh-ic-univ", "reviewer": "lp-rev", "scores": SC}, **extra),
                K["officer"])
    ok(st == 400, "scores with %s: 400 (%s %s)" % (what, st, j))
st, j = req("POST", "/v1/challenges/lp-1/scores", {"lead_org": "xh-ai-univ", "reviewer": "lp-rev", "scores": SC}, K["officer"])
ok(st == 409 and "withdrawn" in msg(j), "a withdrawn application is not scored (%s)" % msg(j))
st, j = req("GET", "/v1/challenges/lp-1/ranking", key=K["issuer"])
rank = {r["lead_org"]: r for r in j.get("ranking", [])}
ok(st == 200 and set(rank) == {"sh-ic-univ", "pj-ic-lab"}, "the ranking leaves the withdrawn out (%s)" % list(rank))
ok(rank["sh-ic-univ"]["status"] == "shortlisted" and rank["pj-ic-lab"]["status"] == "submitted", "and shows each state")
br = rank["sh-ic-univ"]["by_reviewer"]
ok(len(br) == 1 and br[0]["reviewer"] == "lp-rev" and br[0]["comment"] == "方案扎实，风险可控。"
   and br[0]["comments"] == {"technical": "封装路线清楚"} and br[0]["total"] == 83 and br[0]["scores"] == SC,
   "the ranking shows each review's scores and 评审意见 to the issuer (%s)" % br)
ok("comment" not in rank["pj-ic-lab"]["by_reviewer"][0], "no comment where none was given")
for who in ("a", "b", "other"):
    ok(req("GET", "/v1/challenges/lp-1/ranking", key=K[who])[0] == 403, "%s sees no scores or comments" % who)

# ---- the award: winners awarded, the rest not_selected, readable and public -------------------
ok(req("GET", "/v1/challenges/lp-1/award", key=K["officer"])[0] == 404, "no award yet: 404")
st, j = req("POST", "/v1/challenges/lp-1/status", {"to": "awarded", "winners": ["xh-ai-univ"]}, K["officer"])
ok(st == 400 and "withdrawn" in msg(j), "a withdrawn application cannot win (%s)" % msg(j))
st, j = req("POST", "/v1/challenges/lp-1/status", {"to": "awarded", "winners": ["sh-ic-univ"], "note": "评审会一致同意"},
            K["officer"])
ok(st == 200 and j["record"]["status"] == "awarded", "the award (%s %s)" % (st, j))
ok(states("issuer")[1] == {"sh-ic-univ": "awarded", "pj-ic-lab": "not_selected", "xh-ai-univ": "withdrawn"},
   "the winner is awarded, the other open one not_selected, the withdrawn stays (%s)" % (states("issuer"),))
ok(states("a")[1] == {"sh-ic-univ": "awarded"}, "the winner sees it won")
ok(states("b_member")[1] == {"pj-ic-lab": "not_selected"}, "the other consortium sees it was not selected")
ok(states("c")[1] == {"xh-ai-univ": "withdrawn"}, "the withdrawn one still sees withdrawn")
ok(states("other")[1] == {}, "others see no application")
st, j = req("GET", APPS + "pj-ic-lab", key=K["b"])
ok(st == 200 and j["status"] == "not_selected" and j["decided_by"] == KID["officer"] and recent(j["decided_at"]),
   "the not_selected application says when and by whom (%s)" % j)
ok(req("POST", APPS + "pj-ic-lab/status", {"to": "shortlisted"}, K["officer"])[0] == 409, "decided applications stay decided")
for who, full in (("other", False), ("a", False), ("b", False), ("issuer_res", False), ("issuer", True), ("officer", True),
                  ("admin", True)):
    st, aw = req("GET", "/v1/challenges/lp-1/award", key=K[who])
    good = (st == 200 and aw["winners"] == [{"application": "sh-ic-univ", "lead_org": "sh-ic-univ", "members": []}]
            and aw["by"] == KID["officer"] and recent(aw["at"]))
    ok(good, "%s reads the award: winners, when, by whom (%s %s)" % (who, st, aw))
    ok(("note" in aw) == full and (not full or aw["note"] == "评审会一致同意"),
       "the officer's note only for the issuer and officers (%s: %s)" % (who, aw.get("note")))
    st, ch = req("GET", "/v1/challenges/lp-1", key=K[who])
    ok(st == 200 and ch.get("award") == aw, "%s sees the same award on the challenge (%s)" % (who, ch.get("award")))
    ok("方案扎实" not in json.dumps(ch, ensure_ascii=False) and "by_reviewer" not in ch,
       "no scores or comments on the challenge (%s)" % who)
st, j = req("GET", "/v1/challenges/lp-1/applications", key=K["other"])
ok(j.get("award", {}).get("winners", [{}])[0].get("lead_org") == "sh-ic-univ", "the applications list carries the award too")
st, j = req("GET", "/v1/challenges/lp-1/ranking", key=K["issuer"])
ok(j.get("award", {}).get("winners", [{}])[0].get("lead_org") == "sh-ic-univ", "and the ranking")
st, j = req("GET", "/v1/challenges/lp-legacy", key=K["officer"])
ok("award" not in j, "a challenge without an award has no award field (%s)" % list(j))
# the award is read-only: a read-modify-write carries it back unchanged, any other award is a 400
st, ch = req("GET", "/v1/challenges/lp-1", key=K["issuer"])
ch["keywords"] = ch.get("keywords", []) + ["可靠性"]
st, j = req("PUT", "/v1/challenges/lp-1", ch, K["issuer"])
ok(st == 200 and "award" not in j["record"] and j["record"]["status"] == "awarded",
   "PUT of the challenge as read (award included) works; the award is not stored in the record (%s %s)" % (st, j))
bad = dict(ch, award=dict(ch["award"], winners=[{"application": "pj-ic-lab", "lead_org": "pj-ic-lab", "members": []}]))
st, j = req("PUT", "/v1/challenges/lp-1", bad, K["issuer"])
ok(st == 400 and "award" in msg(j), "a PUT that changes the award: 400 (%s %s)" % (st, msg(j)))
st, j = req("PATCH", "/v1/challenges/lp-1", {"award": None}, K["officer"])
ok(st == 400 and "award" in msg(j), "a PATCH that removes it: 400 (%s %s)" % (st, msg(j)))
st, j = req("PATCH", "/v1/challenges/lp-1", {"award": ch["award"], "title": ch["title"] + "（修订）"}, K["issuer"])
ok(st == 200 and j["record"]["title"].endswith("（修订）"), "a PATCH carrying it as read works (%s %s)" % (st, j))
st, j = req("PUT", "/v1/challenges/lp-legacy", {"title": "旧需求", "org": "sz-chip-co", "award": None}, K["officer"])
ok(st == 200, "award: null on a challenge without one is as read (%s %s)" % (st, j))
st, j = req("GET", "/v1/challenges/lp-1/award", key=K["other"])
ok(st == 200 and j["winners"][0]["lead_org"] == "sh-ic-univ", "the award is unchanged")

# ---- times in RFC 3339 in the audit log --------------------------------------------------------
st, j = req("GET", "/v1/audit?type=challenge&id=lp-1", key=K["officer"])
items = j["items"]
ok(items and all(recent(e["at"]) for e in items), "every audit entry's at is RFC 3339 (%s)" % [e["at"] for e in items][:3])
acts = [e["action"] for e in items]
for a in ("application:submitted->withdrawn", "application:submitted->shortlisted", "application_update",
          "application:shortlisted->awarded", "application:submitted->not_selected"):
    ok(a in acts, "the audit log has %s" % a)
st, j = req("GET", "/v1/audit?action=application&id=lp-1", key=K["officer"])
ok(st == 200 and len(j["items"]) == 4, "action=application lists the four moves (%s)" % [e["action"] for e in j["items"]])
st, j = req("GET", "/v1/audit/verify", key=K["officer"])
ok(st == 200, "the chain is intact (%s)" % j)

# ---- keys: listed, never a secret, last use kept to the minute ----------------------------------
st, j = req("GET", "/v1/keys", key=K["admin"])
ok(st == 200 and {k["id"] for k in j["items"]} == set(KID.values()), "an admin lists every key (%s)" % j)
raw = repr(j)
ok(all(K[n][21:] not in raw for n in K) and "hash" not in raw, "never a secret or a hash")
by = {k["id"]: k for k in j["items"]}
ok(all(set(k) == {"id", "role", "org", "created_at", "last_used_at", "revoked_at", "revoked"} for k in j["items"]),
   "each key: id, role, org, created_at, last_used_at, revoked_at, revoked")
ok(by[KID["issuer"]]["role"] == "enterprise" and by[KID["issuer"]]["org"] == "sz-chip-co" and by[KID["officer"]]["org"] is None,
   "with its role and org")
ok(all(recent(k["created_at"]) for k in j["items"]), "created_at in RFC 3339")
ok(recent(by[KID["a"]]["last_used_at"]) and recent(by[KID["admin"]]["last_used_at"]), "a used key shows when it was last used")
# a key used only now gets its first use; a second use within the minute writes nothing
kx = cli("key", "create", "--role", "researcher", "--org", "hp-chain-inst", "--data", D).stdout.strip()
st, j = req("GET", "/v1/keys/" + kx[3:20], key=K["admin"])
ok(st == 200 and j["last_used_at"] is None and j["revoked"] is False, "a new key was never used (%s)" % j)
req("GET", "/v1/challenges/lp-1", key=kx)
st, j1 = req("GET", "/v1/keys/" + kx[3:20], key=K["admin"])
ok(recent(j1["last_used_at"], 60), "after its first request it was used just now (%s)" % j1)
st, audit_before = req("GET", "/v1/audit", key=K["officer"])
req("GET", "/v1/challenges/lp-1", key=kx)
st, j2 = req("GET", "/v1/keys/" + kx[3:20], key=K["admin"])
ok(j2["last_used_at"] == j1["last_used_at"], "a second use within the minute is not written again (%s %s)" % (j1, j2))
st, audit_after = req("GET", "/v1/audit", key=K["officer"])
ok(len(audit_after["items"]) == len(audit_before["items"]), "a use is not an audit entry")
for who in ("officer", "issuer", "a"):
    ok(req("GET", "/v1/keys", key=K[who])[0] == 403, "%s does not list keys" % who)
    ok(req("GET", "/v1/keys/" + KID["admin"], key=K[who])[0] == 403, "%s does not read a key" % who)
ok(req("GET", "/v1/keys/k0000000000000000", key=K["admin"])[0] == 404, "no such key: 404")
ok(req("DELETE", "/v1/keys/" + kx[3:20], key=K["admin"])[0] == 200, "a key is revoked")
st, j = req("GET", "/v1/keys/" + kx[3:20], key=K["admin"])
ok(j["revoked"] is True and recent(j["revoked_at"]), "and shows when (%s)" % j)

ok(S.stop() == 0, "the server stops cleanly")
sys.exit(jbtest.finish())
