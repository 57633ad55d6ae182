#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/messages_test.py: the engine's messages in the language asked for
(run by tests/messages.sh; docs/api.md "Languages" and "Message codes").

  - a validation error, the lint (GET .../lint and a refused publication), a
    transition refusal (409 and 403), application refusals (409, 400 naming
    members[i]), a store refusal (an unknown reference) and a key refusal
    answer in Chinese with Accept-Language: zh and in English with en, with
    the same stable code in errors[] (and the field path where there is one);
  - the English is the engine's own sentence (what the CLI prints);
  - with `lang = zh` in the configuration Chinese is the default and English
    is still there when asked for.

    python3 tests/messages_test.py JIEBANG WORKDIR
"""
import datetime
import http.client
import json
import os
import re
import sys

JIEBANG, WORK = sys.argv[1:3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest  # noqa: E402
from jbtest import Server, cli, ok  # noqa: E402

jbtest.JIEBANG, jbtest.WORK = JIEBANG, WORK

D = os.path.join(WORK, "d")
cli("import", "--quiet", "--demo", "--data", D)
ADMIN = cli("key", "create", "--role", "admin", "--data", D).stdout.strip()
ENT = cli("key", "create", "--role", "enterprise", "--org", "sz-chip-co", "--data", D).stdout.strip()
RES = cli("key", "create", "--role", "researcher", "--org", "sh-ic-univ", "--data", D).stdout.strip()
S = Server(D)
HAN = re.compile("[\u4e00-\u9fff]")


def req(method, path, body=None, key=ADMIN, lang=None):
    c = http.client.HTTPConnection(S.host, S.port, timeout=60)
    h = {"Authorization": "Bearer " + key} if key else {}
    if lang is not None:
        h["Accept-Language"] = lang
    data = None
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
        h["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    raw = r.read()
    ct = r.getheader("Content-Type", "")
    c.close()
    return r.status, (json.loads(raw) if raw else None), ct


def both(name, status, code, method, path, body=None, key=ADMIN, field=None, en=None, zh=None):
    """the request in English and in Chinese: the same status and code, the
    detail in each language; en and zh are substrings each detail holds"""
    out = {}
    for lang in ("en", "zh"):
        st, j, ct = req(method, path, body, key, lang)
        good = st == status and jbtest.is_problem(j, status, ct)
        errs = (j or {}).get("errors") or [{}]
        e = errs[0]
        good = good and e.get("code") == code and (field is None or e.get("field") == field)
        d = (j or {}).get("detail", "")
        if lang == "zh":
            good = good and HAN.search(d) and HAN.search(e.get("detail", "")) and (zh is None or zh in d)
        else:
            good = good and not HAN.search(d.replace("薄", "")) and (en is None or en in d)
        ok(good, "%s (%s): %d %s%s (%s %s)" % (name, lang, status, code, " at " + field if field else "", st, j))
        out[lang] = j
    return out


deadline = (datetime.date.today() + datetime.timedelta(days=180)).isoformat()
FULL = {"title": "车规级碳化硅功率模块高温封装可靠性攻关", "org": "sz-chip-co",
        "problem": "现有碳化硅模块在175℃结温下功率循环寿命不足。",
        "indicators": [{"name": "功率循环寿命", "target": 50000, "unit": "次"}],
        "deadline": deadline, "funding": {"amount": 3000000, "currency": "CNY"},
        "ip_terms": "背景知识产权归各方，项目成果归发榜方。"}

# ---- validation: a 400 naming the field ----------------------------------------------------
j = both("a bad date", 400, "not_valid_date", "POST", "/v1/challenges",
         dict(FULL, id="m-bad", deadline="2026-13-45"), ENT, field="deadline",
         en="deadline: '2026-13-45' is not a valid date", zh="字段 deadline：'2026-13-45' 不是有效日期")
ok(j["en"]["errors"][0]["detail"] == "'2026-13-45' is not a valid date",
   "errors[].detail holds the message without the field (%s)" % j["en"]["errors"])
both("a range", 400, "int_range", "POST", "/v1/challenges", dict(FULL, id="m-trl", trl_now=12), ENT,
     field="trl_now", en="trl_now: must be an integer from 1 to 9", zh="必须是 1 到 9 之间的整数")
both("an unknown field", 400, "unknown_field_for_a", "POST", "/v1/challenges", dict(FULL, id="m-x", colour=1), ENT,
     field="colour", en="colour: unknown field for a challenge", zh="challenge 记录没有这个字段")
both("an unknown reference", 400, "unknown_ref", "POST", "/v1/experts", {"id": "m-e", "name": "甲", "org": "nope"},
     field="org", en="org: unknown org 'nope'", zh="引用的 org 'nope' 不存在")
both("an invalid id", 400, "id_slash", "POST", "/v1/orgs", {"id": "a/b", "name": "乙"}, field="id",
     en="an id must not contain '/'", zh="标识不得包含 '/'")
both("a key's role", 400, "must_be_role", "POST", "/v1/keys", {"role": "king"}, field="role",
     en="role: must be one of", zh="必须是 admin、officer、enterprise、researcher 之一")
both("a key's org", 400, "no_org", "POST", "/v1/keys", {"role": "researcher", "org": "nope"}, field="org",
     en="org: no org 'nope'", zh="没有机构 'nope'")

both("an id against the URL", 400, "url_mismatch", "PUT", "/v1/orgs/sz-chip-co", {"id": "other", "name": "丁"},
     field="id", en="id: 'other' does not match the URL ('sz-chip-co')", zh="'other' 与请求地址中的 'sz-chip-co' 不一致")
both("a body that is a list", 400, "must_be_object", "POST", "/v1/orgs", [1], field="body",
     en="body: must be a JSON object", zh="字段 body：必须是 JSON 对象")

# ---- the lint: GET .../lint and a refused publication -----------------------------------------
st, j, _ = req("POST", "/v1/challenges", {"id": "m-thin", "title": "薄", "org": "sz-chip-co"}, ENT)
ok(st == 201, "a thin draft (%s %s)" % (st, j))
st, le, _ = req("GET", "/v1/challenges/m-thin/lint", key=ENT, lang="en")
st2, lz, _ = req("GET", "/v1/challenges/m-thin/lint", key=ENT, lang="zh")
codes = sorted(x["code"] for x in le["errors"])
ok(st == 200 and st2 == 200 and codes == sorted(x["code"] for x in lz["errors"]) and
   {"lint_problem_required", "lint_deadline_required", "lint_funding_required", "lint_ip_terms_required",
    "lint_no_measurable"} <= set(codes), "the lint's codes, the same in both languages (%s)" % codes)
ok(all(HAN.search(x["message"]) for x in lz["errors"]) and not any(HAN.search(x["message"]) for x in le["errors"]),
   "the lint's messages in the language asked for (%s / %s)" % (lz["errors"], le["errors"]))
ok(any(x["message"] == "须填写截止日期" for x in lz["errors"]), "a lint finding in Chinese (%s)" % lz["errors"])
for lang in ("en", "zh"):
    st, j, ct = req("POST", "/v1/challenges/m-thin/status", {"to": "published"}, ENT, lang)
    errs = (j or {}).get("errors", [])
    lint = lz if lang == "zh" else le
    ok(st == 400 and jbtest.is_problem(j, 400, ct) and sorted(e["code"] for e in errs) == codes and
       sorted(e["field"] for e in errs) == sorted(x["field"] for x in lint["errors"]) and
       [e["detail"] for e in errs] == [x["message"] for x in lint["errors"]],
       "a refused publication (%s) lists the lint's findings with their codes (%s)" % (lang, j))
    want = "尚不能发布：字段 " if lang == "zh" else "not ready to publish: "
    ok(j["detail"].startswith(want), "its detail in %s (%s)" % (lang, j["detail"]))

# ---- transitions: 409 and 403 --------------------------------------------------------------
both("draft to awarded", 409, "transition_not_allowed", "POST", "/v1/challenges/m-thin/status", {"to": "accepted"},
     ENT, en="a challenge in state draft cannot become accepted; allowed: published, cancelled",
     zh="处于 draft 状态的榜单不能变为 accepted；允许：published, cancelled")
both("an unknown state", 400, "not_a_state", "POST", "/v1/challenges/m-thin/status", {"to": "done"}, ENT,
     field="to", en="to: 'done' is not a state", zh="'done' 不是榜单状态")
st, j, _ = req("POST", "/v1/challenges", dict(FULL, id="m-full"), ENT)
ok(st == 201, "a full draft (%s %s)" % (st, j))
ok(req("POST", "/v1/challenges/m-full/status", {"to": "published"}, ENT)[0] == 200, "published")
both("a role refusal", 403, "transition_issuer_only", "POST", "/v1/challenges/m-full/status", {"to": "reviewing"},
     RES, en="published -> reviewing is for the issuing enterprise, officers and admins",
     zh="published -> reviewing 仅限发榜企业、主管部门人员和管理员")

# ---- applications ---------------------------------------------------------------------------
req("POST", "/v1/experts", {"id": "m-tl", "name": "负责人", "org": "sh-ic-univ"})
APP = {"lead_org": "sh-ic-univ", "team_lead": "m-tl", "plan": "分三阶段完成。",
       "budget": {"amount": 2800000, "currency": "CNY"}, "schedule": "两年", "commitment": "按期完成。"}
both("an application to a draft", 409, "app_not_published", "POST", "/v1/challenges/m-thin/applications", APP,
     ADMIN, en="applications are taken while the challenge is published; it is draft",
     zh="榜单处于 published 状态时才接受申报；当前为 draft")
both("a member twice", 400, "listed_twice", "POST", "/v1/challenges/m-full/applications",
     dict(APP, members=["pj-ic-lab", "pj-ic-lab"]), RES, field="members[1]",
     en="members[1]: 'pj-ic-lab' is listed twice", zh="字段 members[1]：'pj-ic-lab' 重复列出")
both("a required field", 400, "required", "POST", "/v1/challenges/m-full/applications",
     {k: v for k, v in APP.items() if k != "plan"}, RES, field="plan", en="plan: required", zh="为必填项")
ok(req("POST", "/v1/challenges/m-full/applications", APP, RES)[0] == 201, "a valid application")
both("a second application", 409, "app_exists", "POST", "/v1/challenges/m-full/applications", APP, RES,
     field="lead_org", en="'sh-ic-univ' has already applied to this challenge",
     zh="'sh-ic-univ' 已申报此榜单")
both("an award-only state", 409, "app_only_by_award", "POST", "/v1/challenges/m-full/applications/sh-ic-univ/status",
     {"to": "awarded"}, ADMIN, en="an application becomes awarded only with the award", zh="申报只能在揭榜时变为 awarded")
ok(req("POST", "/v1/challenges/m-full/applications/sh-ic-univ/status", {"to": "withdrawn"}, RES)[0] == 200,
   "the applicant withdraws")
both("withdrawn, then moved", 409, "app_move_final", "POST",
     "/v1/challenges/m-full/applications/sh-ic-univ/status", {"to": "shortlisted"}, ADMIN,
     en="an application in state withdrawn cannot become shortlisted; allowed: none (a final state)",
     zh="处于 withdrawn 状态的申报不能变为 shortlisted；withdrawn 是终态")
# the HTTP layer's own refusals of the same routes speak the language too
st, j, _ = req("POST", "/v1/challenges/m-full/applications/pj-ic-lab/status", {"to": "withdrawn"}, ADMIN, "zh")
ok(st == 404 and j["detail"] == "'pj-ic-lab' 未申报榜单 'm-full'", "no such application, in Chinese (%s)" % j)
for lang, want in (("en", "invalid JSON at column"), ("zh", "JSON 无效")):
    c = http.client.HTTPConnection(S.host, S.port, timeout=60)
    c.request("POST", "/v1/challenges/m-full/status", body=b'{"to":',
              headers={"Authorization": "Bearer " + ENT, "Content-Type": "application/json", "Accept-Language": lang})
    r = c.getresponse()
    j = json.loads(r.read())
    c.close()
    ok(r.status == 400 and want in j["detail"] and j["errors"][0]["code"] == "invalid_json",
       "a body that is not JSON (%s): %s" % (lang, j))

# ---- webhooks, match reviews ----------------------------------------------------------------
both("a webhook's description", 400, "hook_description", "POST", "/v1/webhooks",
     {"url": "http://127.0.0.1:9/h", "events": ["award"], "description": "x" * 300}, ENT,
     field="description", en="description: a string of up to 200 bytes", zh="须是不超过 200 字节的字符串")
both("a webhook's events", 400, "named_twice", "POST", "/v1/webhooks",
     {"url": "http://127.0.0.1:9/h", "events": ["award", "award"]}, ENT, field="events[1]",
     en="events[1]: 'award' is named twice", zh="'award' 重复列出")
# a webhook's target (api/netguard.c): the url's form and the address check, each language
for url, en, zh in (("ftp://127.0.0.1/h", "only http:// and https://", "只接受 http://"),
                    ("http://a@127.0.0.1/h", "user information", "用户信息"),
                    ("http://127.0.0.1:0/h", "a port of 1 to 65535", "端口"),
                    ("http://10.1.2.3/h", "not an allowed webhook target", "不是允许的 Webhook 目标")):
    for lang, want in (("en", en), ("zh", zh)):
        st, j, ct = req("POST", "/v1/webhooks", {"url": url, "events": ["award"]}, ENT, lang)
        d = (j or {}).get("detail", "")
        ok(st == 400 and jbtest.is_problem(j, 400, ct) and want in d and
           (bool(HAN.search(d)) == (lang == "zh")), "a webhook url %s (%s): %s %s" % (url, lang, st, d))

# the HTTP layer's own refusals of saved searches, statistics and matches
for path, body, key, status, zh in (
        ("/v1/saved", {"name": "x"}, RES, 400, "body: 须是 {\"search\""),
        ("/v1/saved", {"match": {"type": "challenge", "id": "m-thin"}}, RES, 400, "match: 未找到 challenge 'm-thin'"),
        ("/v1/stats", None, RES, 403, "统计数据仅限主管部门人员和管理员查看"),
        ("/v1/challenges/m-full/matches?kind=book", None, ENT, 400, "kind: 必须是 output、expert 或 org")):
    st, j, ct = req("POST" if body is not None else "GET", path, body, key, "zh")
    ok(st == status and jbtest.is_problem(j, status, ct) and j["detail"].startswith(zh),
       "%s in Chinese: %d (%s %s)" % (path, status, st, j))

# search and list parameters (api/h_records.c): each refusal in both languages
for path, en, zh in (("/v1/search", "q: required", "q: 必填"),
                     ("/v1/search?q=x&sort=best", "sort: relevance, deadline, funding or newest", "sort: 须是 relevance"),
                     ("/v1/search?q=x&deadline_from=2026-02", "deadline_from: an RFC 3339 date", "deadline_from: 须是 RFC 3339 日期"),
                     ("/v1/search?q=x&funding_min=-5", "funding_min: a non-negative number", "funding_min: 须是非负数"),
                     ("/v1/search?q=x&funding_min=9&funding_max=1", "funding_min: above funding_max", "funding_min: 大于 funding_max"),
                     ("/v1/search?q=x&region=1", "region: a region code prefix", "region: 须是 2、4 或 6 位数字"),
                     ("/v1/search?q=x&status=done", "status: not a challenge status", "status: 不是榜单状态"),
                     ("/v1/orgs?sort=title", "sort: id or newest", "sort: 须是 id 或 newest")):
    for lang, want in (("en", en), ("zh", zh)):
        st, j, ct = req("GET", path, None, RES, lang)
        d = (j or {}).get("detail", "")
        ok(st == 400 and jbtest.is_problem(j, 400, ct) and d.startswith(want) and
           bool(HAN.search(d)) == (lang == "zh"), "%s (%s): %s %s" % (path, lang, st, d))

# refusals by role (api/authz.c) and a webhook's note (api/h_webhooks.c)
for method, path, body, key, status, en, zh in (
        ("POST", "/v1/challenges", dict(FULL, id="m-res"), RES, 403, "a researcher key writes outputs and experts only",
         "科研机构密钥只能写入成果和专家"),
        ("DELETE", "/v1/challenges/m-full", None, ENT, 409, "only a draft is deleted", "只能删除草稿")):
    for lang, want in (("en", en), ("zh", zh)):
        st, j, ct = req(method, path, body, key, lang)
        d = (j or {}).get("detail", "")
        ok(st == status and jbtest.is_problem(j, status, ct) and d.startswith(want) and
           bool(HAN.search(d)) == (lang == "zh"), "%s %s refused (%s): %s %s" % (method, path, lang, st, d))
for lang, want in (("en", "the secret is shown once"), ("zh", "密钥只显示这一次")):
    st, j, _ = req("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/h", "events": ["award"]}, ENT, lang)
    ok(st == 201 and (j or {}).get("note", "").startswith(want), "a webhook's note (%s): %s %s" % (lang, st, j))

# a saved match whose record is gone (api/h_misc.c)
req("POST", "/v1/experts", {"id": "m-gone", "name": "将删除", "org": "pj-ic-lab"})
st, j, _ = req("POST", "/v1/saved", {"match": {"type": "expert", "id": "m-gone", "kind": "output"}}, RES)
sid = (j or {}).get("id")
ok(st == 201 and sid, "a saved match on an expert (%s %s)" % (st, j))
ok(req("DELETE", "/v1/experts/m-gone")[0] == 200, "the expert is deleted")
for lang, want in (("en", "the saved query's record is gone: expert 'm-gone'"), ("zh", "保存的检索所指记录已不存在：expert 'm-gone'")):
    st, j, ct = req("GET", "/v1/saved/%s/new" % sid, None, RES, lang)
    ok(st == 404 and jbtest.is_problem(j, 404, ct) and (j or {}).get("detail", "").startswith(want),
       "a saved match's record gone (%s): %s %s" % (lang, st, j))

# conflicts of interest listed on an application (engine/review.c), in the language asked for
st, j, _ = req("POST", "/v1/challenges", dict(FULL, id="m-coi"), ENT)
ok(st == 201 and req("POST", "/v1/challenges/m-coi/status", {"to": "published"}, ENT)[0] == 200, "m-coi published")
req("POST", "/v1/experts", {"id": "m-rev", "name": "评审", "org": "pj-ic-lab"})
ok(req("POST", "/v1/challenges/m-coi/reviewers", {"expert": "m-rev"})[0] == 201, "a reviewer from pj-ic-lab")
st, j, _ = req("POST", "/v1/challenges/m-coi/applications", dict(APP, members=["pj-ic-lab"]), RES, "zh")
cf = (j or {}).get("conflicts") or [{}]
ok(st == 201 and cf[0].get("code") == "coi_consortium" and cf[0].get("reviewer") == "m-rev" and
   cf[0].get("reason", "").startswith("利益冲突：评审专家所在机构 pj-ic-lab 属于由 sh-ic-univ 牵头的申报联合体") and
   "args" not in cf[0], "an application's conflict in Chinese (%s %s)" % (st, j))
for lang, want in (("en", "conflict of interest: the reviewer's org pj-ic-lab is in the consortium"),
                   ("zh", "利益冲突：评审专家所在机构 pj-ic-lab")):
    st, j, _ = req("GET", "/v1/challenges/m-coi/applications", None, ENT, lang)
    cf = ((j or {}).get("items") or [{}])[0].get("conflicts") or [{}]
    ok(st == 200 and cf[0].get("code") == "coi_consortium" and cf[0].get("reason", "").startswith(want) and
       "args" not in cf[0], "the issuer's list of applications, conflicts in %s (%s)" % (lang, cf))
    st, j, _ = req("GET", "/v1/challenges/m-coi/applications/sh-ic-univ", None, ENT, lang)
    cf = (j or {}).get("conflicts") or [{}]
    ok(st == 200 and cf[0].get("reason", "").startswith(want), "one application's conflicts in %s (%s)" % (lang, cf))

# ---- the default follows the `lang` key --------------------------------------------------------
S.stop()
CONF = os.path.join(WORK, "zh.conf")
with open(CONF, "w") as f:
    f.write("lang = zh\n")
S = Server(D, ["--config", CONF])
st, j, _ = req("POST", "/v1/challenges/m-thin/status", {"to": "accepted"}, ENT)
ok(st == 409 and j["errors"][0]["code"] == "transition_not_allowed" and j["detail"].startswith("处于 draft 状态的榜单"),
   "lang = zh: an engine message in Chinese by default (%s)" % j)
st, j, _ = req("POST", "/v1/challenges/m-thin/status", {"to": "accepted"}, ENT, "en-GB")
ok(st == 409 and j["detail"].startswith("a challenge in state draft"), "lang = zh: English when asked (%s)" % j)
st, j, _ = req("GET", "/v1/challenges/m-thin/lint", key=ENT)
ok(st == 200 and all(HAN.search(x["message"]) for x in j["errors"]), "lang = zh: the lint in Chinese (%s)" % j)
S.stop()

# the CLI keeps the engine's English
bad = os.path.join(WORK, "bad.jsonl")
with open(bad, "w") as f:
    f.write(json.dumps({"type": "challenge", "id": "m-cli", "title": "丙", "deadline": "2026-13-45"}) + "\n")
r = cli("import", "--data", D, bad, check=False)
ok(r.returncode != 0 and "deadline: '2026-13-45' is not a valid date" in r.stderr,
   "the CLI says the engine's English (%s)" % r.stderr.strip())

sys.exit(jbtest.finish())
