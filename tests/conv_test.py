#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/conv_test.py: the conventions of issue 14 part 3 over HTTP (run by
tests/conv.sh): strong ETags on records, 304 on If-None-Match, If-Match on
every write (412 when stale, RFC 9110 '*' semantics), two writers racing on
one ETag (exactly one wins), merge patch (RFC 7386) and 415 for other
types; later sections: pagination, search filters, read-only commands,
modes.

    python3 tests/conv_test.py JIEBANG WORKDIR
"""
import atexit
import datetime
import http.client
import json
import os
import sys
import threading

JIEBANG, WORK = sys.argv[1:3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest  # noqa: E402
from jbtest import Server, cli, ok  # noqa: E402,F401

jbtest.JIEBANG, jbtest.WORK = JIEBANG, WORK


def req(method, path, body=None, key=None, headers=None, ctype="application/json"):
    """(status, parsed body or None, response headers)"""
    c = http.client.HTTPConnection(S.host, S.port, timeout=60)
    h = dict(headers or {})
    if key:
        h["Authorization"] = "Bearer " + key
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        if ctype:
            h["Content-Type"] = ctype
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    raw = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    try:
        j = json.loads(raw) if raw else None
    except ValueError:
        j = None
    return r.status, j, hdrs


def problem(st, j, h, want):
    """an RFC 9457 problem of status want (main's api/problem.c: type, status, code, request id)"""
    return (st == want and isinstance(j, dict) and j.get("status") == want and "error" in j and
            str(j.get("type", "")).startswith("urn:jiebang:problem:") and "request_id" in j and
            h.get("content-type", "").startswith("application/problem+json"))


D = os.path.join(WORK, "d")
cli("import", "--quiet", "--demo", "--data", D)
K = {}
for name, role, org in [("admin", "admin", None), ("officer", "officer", None), ("officer2", "officer", None),
                        ("ent", "enterprise", "sz-chip-co"), ("ent2", "enterprise", "sh-auto-co")]:
    K[name] = cli(*(["key", "create", "--role", role, "--data", D] + (["--org", org] if org else []))).stdout.strip()
S = Server(D)
atexit.register(lambda: S.p.poll() is None and S.p.kill())  # a failed check never leaves it running
deadline = (datetime.date.today() + datetime.timedelta(days=180)).isoformat()
FULL = {"title": "车规级碳化硅功率模块高温封装可靠性攻关", "org": "sz-chip-co",
        "problem": "现有碳化硅模块在175℃结温下功率循环寿命不足，需要新型封装材料与互连结构。",
        "indicators": [{"name": "功率循环寿命", "target": 50000, "unit": "次"}],
        "deadline": deadline, "funding": {"amount": 3000000, "currency": "CNY"},
        "ip_terms": "背景知识产权归各方，项目成果归发榜方，揭榜方可免费使用。", "keywords": ["碳化硅", "封装"]}

# ---- ETags, 304, If-Match ------------------------------------------------------------------
st, j, h = req("POST", "/v1/experts", {"id": "cv-e1", "name": "张三", "org": "sh-ic-univ",
                                        "fields": ["0809"], "bio": "功率器件"}, K["admin"])
ok(st == 201 and h.get("etag", "").startswith('"') and h["etag"].endswith('"') and len(h["etag"]) == 34,
   "a create answers a strong, quoted ETag (%s)" % h.get("etag"))
tag1 = h.get("etag")
st, j, h = req("GET", "/v1/experts/cv-e1", key=K["ent"])
ok(st == 200 and h.get("etag") == tag1, "GET answers the same ETag as the write")
st, j, h = req("GET", "/v1/experts/cv-e1", key=K["ent"], headers={"If-None-Match": tag1})
ok(st == 304 and h.get("etag") == tag1 and j is None, "If-None-Match with the current tag: 304, no body")
st, j, h = req("GET", "/v1/experts/cv-e1", key=K["ent"], headers={"If-None-Match": 'W/%s' % tag1})
ok(st == 304, "If-None-Match compares weakly (W/ tag matches)")
st, j, h = req("GET", "/v1/experts/cv-e1", key=K["ent"], headers={"If-None-Match": '"other", *'})
ok(problem(st, j, h, 400), "a malformed If-None-Match is a 400")
st, j, h = req("GET", "/v1/experts/cv-e1", key=K["ent"], headers={"If-None-Match": '"nope"'})
ok(st == 200 and j["id"] == "cv-e1", "If-None-Match with another tag: 200 in full")
st, j, h = req("GET", "/v1/experts/cv-e1", key=K["ent"], headers={"If-None-Match": '*'})
ok(st == 304, "If-None-Match: * on an existing record: 304")

# PUT with a stale tag is 412 and changes nothing; with the current one it goes through
st, j, h = req("PUT", "/v1/experts/cv-e1", {"name": "张三丰", "org": "sh-ic-univ"}, K["admin"],
               headers={"If-Match": tag1})
ok(st == 200 and h.get("etag") not in (None, tag1), "PUT with the current If-Match succeeds, new ETag")
tag2 = h.get("etag")
st, j, h = req("PUT", "/v1/experts/cv-e1", {"name": "李四", "org": "sh-ic-univ"}, K["admin"],
               headers={"If-Match": tag1})
ok(problem(st, j, h, 412) and j.get("error", {}).get("code", j.get("code", "")) in ("precondition_failed", "")
   or problem(st, j, h, 412), "PUT with a stale If-Match: 412 problem (%s %s)" % (st, j))
ok(req("GET", "/v1/experts/cv-e1", key=K["admin"])[1]["name"] == "张三丰", "the stale PUT changed nothing")
st, j, h = req("PATCH", "/v1/experts/cv-e1", {"bio": "x"}, K["admin"], headers={"If-Match": '"%s"' % ("0" * 32)})
ok(problem(st, j, h, 412), "PATCH with a stale If-Match: 412")
st, j, h = req("PATCH", "/v1/experts/cv-e1", {"bio": "x"}, K["admin"],
               headers={"If-Match": '"%s"' % ("0" * 32), "Accept-Language": "zh"})
ok(problem(st, j, h, 412) and "记录已被修改" in j.get("detail", "") and j.get("code") == "precondition_failed",
   "a 412 in Chinese with Accept-Language: zh (%s)" % j)
st, j, h = req("DELETE", "/v1/experts/cv-e1", key=K["admin"], headers={"If-Match": tag1})
ok(problem(st, j, h, 412), "DELETE with a stale If-Match: 412")
ok(req("GET", "/v1/experts/cv-e1", key=K["admin"])[0] == 200, "the stale DELETE deleted nothing")
st, j, h = req("PATCH", "/v1/experts/cv-e1", {"bio": "y"}, K["admin"], headers={"If-Match": 'W/%s' % tag2})
ok(problem(st, j, h, 412), "If-Match compares strongly: a weak tag never matches")
st, j, h = req("PATCH", "/v1/experts/cv-e1", {"bio": "y"}, K["admin"], headers={"If-Match": '"zz" , %s' % tag2})
ok(st == 200, "If-Match with a list holding the current tag succeeds")
tag3 = h.get("etag")
st, j, h = req("PATCH", "/v1/experts/cv-e1", {"bio": "z"}, K["admin"], headers={"If-Match": "*"})
ok(st == 200, "If-Match: * on an existing record succeeds")
st, j, h = req("PUT", "/v1/experts/cv-none", {"name": "无", "org": "sh-ic-univ"}, K["admin"],
               headers={"If-Match": "*"})
ok(problem(st, j, h, 412) and req("GET", "/v1/experts/cv-none", key=K["admin"])[0] == 404,
   "If-Match: * on an absent record: 412, nothing created")
st, j, h = req("PUT", "/v1/experts/cv-e1", {"name": "新", "org": "sh-ic-univ"}, K["admin"],
               headers={"If-None-Match": "*"})
ok(problem(st, j, h, 412), "If-None-Match: * on PUT of an existing record: 412 (create only)")
st, j, h = req("PUT", "/v1/experts/cv-e2", {"name": "新", "org": "sh-ic-univ"}, K["admin"],
               headers={"If-None-Match": "*"})
ok(st == 201, "If-None-Match: * on PUT of an absent record creates it")
st, j, h = req("PATCH", "/v1/experts/cv-e1", {"bio": "y"}, K["admin"], headers={"If-Match": 'abc'})
ok(problem(st, j, h, 400), "a malformed If-Match is a 400")

# two officers race on one ETag: exactly one wins, the other gets 412
cur = req("GET", "/v1/experts/cv-e1", key=K["admin"])[2]["etag"]
results = []


def racer(name, key):
    results.append(req("PATCH", "/v1/experts/cv-e1", {"bio": name}, key, headers={"If-Match": cur})[0])


for rnd in range(5):
    cur = req("GET", "/v1/experts/cv-e1", key=K["admin"])[2]["etag"]
    results = []
    ts = [threading.Thread(target=racer, args=("r%d-%d" % (rnd, i), K["officer" if i % 2 else "officer2"]))
          for i in range(4)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    ok(sorted(results) == [200, 412, 412, 412], "4 writers on one ETag: one 200, three 412 (%s)" % results)

# a lifecycle write honours If-Match on the challenge's ETag
st, j, h = req("POST", "/v1/challenges", dict(FULL, id="cv-c1"), K["ent"])
ctag = h.get("etag")
ok(st == 201 and ctag, "a new challenge has an ETag")
st, j, h = req("PATCH", "/v1/challenges/cv-c1", {"keywords": ["碳化硅", "封装", "烧结银"]}, K["ent"],
               headers={"If-Match": ctag})
ok(st == 200, "PATCH of the draft with its ETag")
st, j, h = req("POST", "/v1/challenges/cv-c1/status", {"to": "published"}, K["ent"], headers={"If-Match": ctag})
ok(problem(st, j, h, 412), "a transition with a stale If-Match: 412")
ok(req("GET", "/v1/challenges/cv-c1", key=K["ent"])[1].get("status", "draft") == "draft",
   "the stale transition changed nothing")
ctag = req("GET", "/v1/challenges/cv-c1", key=K["ent"])[2]["etag"]
st, j, h = req("POST", "/v1/challenges/cv-c1/status", {"to": "published"}, K["ent"], headers={"If-Match": ctag})
ok(st == 200 and h.get("etag") not in (None, ctag), "the transition with the current tag goes, new ETag")
st, j, h = req("POST", "/v1/challenges/cv-c1/reviewers", {"expert": "cv-e2"}, K["officer"],
               headers={"If-Match": ctag})
ok(problem(st, j, h, 412), "assigning a reviewer with a stale If-Match: 412")
st, j, h = req("GET", "/v1/challenges/cv-c1", key=K["ent2"], headers={"If-None-Match": h.get("etag", "")})
# ---- merge patch (RFC 7386) ----------------------------------------------------------------
req("PUT", "/v1/outputs/cv-o1", {"title": "烧结银互连", "org": "sh-ic-univ", "kind": "patent",
                                  "keywords": ["烧结银", "互连"], "abstract": "低温烧结银", "trl": 5}, K["admin"])
st, j, h = req("PATCH", "/v1/outputs/cv-o1", {"abstract": None, "keywords": ["银"]}, K["admin"],
               ctype="application/merge-patch+json")
rec = req("GET", "/v1/outputs/cv-o1", key=K["admin"])[1]
ok(st == 200 and "abstract" not in rec and rec["keywords"] == ["银"] and rec["trl"] == 5,
   "merge-patch: null deletes a member, arrays replace, the rest stays (%s %s %s)" % (st, j, rec))
st, j, h = req("PATCH", "/v1/challenges/cv-c1", {"funding": {"amount": 4000000}}, K["ent"],
               ctype="application/merge-patch+json; charset=utf-8")
rec = req("GET", "/v1/challenges/cv-c1", key=K["ent"])[1]
ok(st == 200 and rec["funding"] == {"amount": 4000000, "currency": "CNY"},
   "merge-patch: objects merge recursively (%s %s %s)" % (st, j, rec.get("funding")))
st, j, h = req("PATCH", "/v1/outputs/cv-o1", {"trl": 6}, K["admin"], ctype="application/json")
ok(st == 200 and req("GET", "/v1/outputs/cv-o1", key=K["admin"])[1]["trl"] == 6,
   "PATCH as application/json keeps working")
before = req("GET", "/v1/outputs/cv-o1", key=K["admin"])[1]
for ct in ("text/plain", "application/json-patch+json", "application/x-www-form-urlencoded"):
    st, j, h = req("PATCH", "/v1/outputs/cv-o1", {"trl": 2}, K["admin"], ctype=ct)
    ok(problem(st, j, h, 415), "PATCH as %s: 415" % ct)
ok(req("GET", "/v1/outputs/cv-o1", key=K["admin"])[1] == before, "the 415s changed nothing")

# ---- pagination: limit + opaque cursor -> next_cursor, total -----------------------------------
import base64  # noqa: E402
import urllib.parse  # noqa: E402


def walk(path, key, limit, field="items", between=None):
    """every page of a list: (items in order, totals seen, page sizes)"""
    out, totals, sizes, cur, pages = [], [], [], None, 0
    while True:
        sep = "&" if "?" in path else "?"
        st, j, h = req("GET", "%s%slimit=%d%s" % (path, sep, limit, "&cursor=" + urllib.parse.quote(cur) if cur else ""),
                       key=key)
        if not ok(st == 200 and isinstance(j, dict) and field in j and "total" in j and "next_cursor" in j,
                  "%s page %d: %s %s" % (path, pages, st, str(j)[:200])):
            return out, totals, sizes
        out += j[field]
        totals.append(j["total"])
        sizes.append(len(j[field]))
        cur = j["next_cursor"]
        pages += 1
        if between and pages == 1:
            between()
        if not cur or pages > 200:
            return out, totals, sizes


def pages_ok(name, items, totals, sizes, limit, ident, want_total=None):
    ids = [ident(x) for x in items]
    ok(len(ids) == len(set(ids)), "%s: no row twice across pages" % name)
    ok(all(n == limit for n in sizes[:-1]) and 0 < sizes[-1] <= limit if sizes else False,
       "%s: every page but the last holds exactly limit rows (%s)" % (name, sizes))
    if want_total is not None:
        ok(totals and totals[0] == want_total and len(ids) == want_total,
           "%s: total %s is exact (%d rows, want %d)" % (name, totals[:1], len(ids), want_total))


def tamper(cur):
    raw = bytearray(base64.urlsafe_b64decode(cur + "=" * (-len(cur) % 4)))
    raw[2] = ord("z") if raw[2] != ord("z") else ord("y")
    return base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")


# records: every output of one org, 3 a page
for i in range(8):
    req("PUT", "/v1/outputs/cv-p%02d" % i, {"title": "分页成果%d" % i, "org": "xh-ai-univ", "kind": "paper"}, K["admin"])
everything = req("GET", "/v1/outputs?org=xh-ai-univ&limit=100", key=K["admin"])[1]["items"]
items, totals, sizes = walk("/v1/outputs?org=xh-ai-univ", K["admin"], 3)
pages_ok("records", items, totals, sizes, 3, lambda x: x["id"], len(everything))
ok([x["id"] for x in items] == [x["id"] for x in everything], "records: pages in id order give the whole list")
st, j, h = req("GET", "/v1/outputs?org=xh-ai-univ&limit=3", key=K["admin"])
nc = j["next_cursor"]
ok(nc and "cv-p" not in nc, "records: the cursor is opaque (%s)" % nc)
st, j, h = req("GET", "/v1/outputs?limit=3&cursor=" + tamper(nc), key=K["admin"])
ok(problem(st, j, h, 400), "records: a tampered cursor is a 400")
st, j, h = req("GET", "/v1/outputs?limit=3&cursor=cv-p02", key=K["admin"])
ok(problem(st, j, h, 400), "records: a raw id as cursor is a 400")
st, j, h = req("GET", "/v1/audit?limit=3&cursor=" + nc, key=K["admin"])
ok(problem(st, j, h, 400), "another list's cursor is a 400")
# stable under concurrent inserts: a row inserted before the cursor shifts nothing
items, totals, sizes = walk("/v1/outputs?org=xh-ai-univ", K["admin"], 3,
                            between=lambda: req("PUT", "/v1/outputs/cv-p00a", {"title": "插入", "org": "xh-ai-univ"}, K["admin"]))
ids = [x["id"] for x in items]
ok(len(ids) == len(set(ids)) and set(x["id"] for x in everything) <= set(ids),
   "records: an insert during the walk repeats and skips nothing (%s)" % ids)
# limit counts rows the caller sees: others' drafts are filtered before the limit
for i in range(6):
    req("POST", "/v1/challenges", dict(FULL, id="cv-d%d" % i), K["ent"])
visible = req("GET", "/v1/challenges?limit=100", key=K["ent2"])[1]["items"]
ok(not any(x["id"].startswith("cv-d") for x in visible), "ent2 does not see sz-chip-co's drafts")
items, totals, sizes = walk("/v1/challenges", K["ent2"], 2)
pages_ok("records under visibility", items, totals, sizes, 2, lambda x: x["id"], len(visible))

# audit
n_audit = len(walk("/v1/audit?type=output", K["officer"], 100)[0])
items, totals, sizes = walk("/v1/audit?type=output", K["officer"], 4)
pages_ok("audit", items, totals, sizes, 4, lambda x: x["seq"], n_audit)
ok([x["seq"] for x in items] == sorted(x["seq"] for x in items), "audit: by seq")

# saved searches
for i in range(5):
    req("POST", "/v1/saved", {"search": {"q": "碳化硅 %d" % i}, "name": "s%d" % i}, K["ent"])
items, totals, sizes = walk("/v1/saved", K["ent"], 2)
pages_ok("saved searches", items, totals, sizes, 2, lambda x: x["id"], 5)

# applications of cv-c1 (published): one per lead org, filed by an officer
for org in ("sh-ic-univ", "pj-ic-lab", "zj-pack-inst", "xh-ai-univ", "hp-chain-inst"):
    req("POST", "/v1/experts", {"id": "cv-tl-" + org, "name": "负责人", "org": org}, K["admin"])
    st, j, h = req("POST", "/v1/challenges/cv-c1/applications",
                   {"lead_org": org, "team_lead": "cv-tl-" + org, "plan": "分阶段实施。",
                    "budget": {"amount": 1000000, "currency": "CNY"}, "schedule": "2027", "commitment": "按期完成。"},
                   K["officer"])
    ok(st == 201, "application of %s (%s %s)" % (org, st, str(j)[:160]))
items, totals, sizes = walk("/v1/challenges/cv-c1/applications", K["ent"], 2)
pages_ok("applications", items, totals, sizes, 2, lambda x: x["lead_org"], 5)

# match reviews of cv-c1 by its issuer
outs = [x["id"] for x in req("GET", "/v1/outputs?limit=5", key=K["ent"])[1]["items"]]
for oid in outs:
    st, j, h = req("POST", "/v1/challenges/cv-c1/match_reviews", {"type": "output", "id": oid, "state": "shortlisted"},
                   K["ent"])
    ok(st == 200, "match review of %s (%s %s)" % (oid, st, j))
items, totals, sizes = walk("/v1/challenges/cv-c1/match_reviews", K["ent"], 2)
pages_ok("match reviews", items, totals, sizes, 2, lambda x: (x["type"], x["id"]), len(outs))

# reviewers of cv-c1 (assigned by an officer; experts of an org that does not apply) and the
# API keys (admin): the same pages, keyed by expert and by id
for i in range(5):
    req("POST", "/v1/experts", {"id": "cv-rv%d" % i, "name": "评审%d" % i, "org": "sh-auto-co"}, K["admin"])
    st, j, h = req("POST", "/v1/challenges/cv-c1/reviewers", {"expert": "cv-rv%d" % i}, K["officer"])
    ok(st == 201, "reviewer cv-rv%d assigned (%s %s)" % (i, st, str(j)[:160]))
n_rev = len(req("GET", "/v1/challenges/cv-c1/reviewers?limit=100", key=K["officer"])[1]["items"])
items, totals, sizes = walk("/v1/challenges/cv-c1/reviewers", K["officer"], 2)
pages_ok("reviewers", items, totals, sizes, 2, lambda x: x["expert"], n_rev)
ok(n_rev >= 5 and [x["expert"] for x in items] == sorted(x["expert"] for x in items), "reviewers: by expert")
n_keys = len(req("GET", "/v1/keys?limit=100", key=K["admin"])[1]["items"])
items, totals, sizes = walk("/v1/keys", K["admin"], 2)
pages_ok("keys", items, totals, sizes, 2, lambda x: x["id"], n_keys)
ok(n_keys == len(K), "keys: every key created is listed (%d of %d)" % (n_keys, len(K)))
st, j, h = req("GET", "/v1/keys?limit=2&cursor=" + tamper(nc), key=K["admin"])
ok(problem(st, j, h, 400), "keys: a tampered cursor is a 400")
# the applications' page keeps the award beside items (null before it)
st, j, h = req("GET", "/v1/challenges/cv-c1/applications?limit=2", key=K["ent"])
ok(st == 200 and "award" in j and j["award"] is None and len(j["items"]) == 2,
   "applications: a page with the award beside items (%s)" % str(j)[:200])

# matches: pages of the ranking
whole = req("GET", "/v1/challenges/cv-c1/matches?limit=9&include_dismissed=true", key=K["ent"])[1]
items, totals, sizes = walk("/v1/challenges/cv-c1/matches?include_dismissed=true", K["ent"], 3, field="matches")
ok([x["id"] for x in items[:9]] == [x["id"] for x in whole["matches"]][:9] and len(items) >= 9,
   "matches: pages of 3 follow the ranking of one page of 9")
ok(all(n == 3 for n in sizes[:-1]), "matches: every page but the last holds limit rows (%s)" % sizes)
st, j, h = req("GET", "/v1/challenges/cv-c1/matches?limit=3&cursor=" + tamper(whole.get("next_cursor") or nc), key=K["ent"])
ok(problem(st, j, h, 400), "matches: a tampered cursor is a 400")

# ---- search: filters, orders, pages, snippets ---------------------------------------------------
today = datetime.date.today()
day = lambda n: (today + datetime.timedelta(days=n)).isoformat()  # noqa: E731
W = "zqxfilt"
SPEC = {"f1": ("ent", 30, 1000000, ["ic/power"], True), "f2": ("ent2", 90, 5000000, ["ai/robotics"], True),
        "f3": ("ent", 200, 3000000, ["ic/eda"], False)}
for cid, (who, dd, amount, fields, publish) in SPEC.items():
    org = "sz-chip-co" if who == "ent" else "sh-auto-co"
    body = dict(FULL, id="cv-" + cid, org=org, title="%s 难题 %s" % (W, cid), deadline=day(dd), fields=fields,
                funding={"amount": amount, "currency": "CNY"},
                description="背景说明很长的一段文字，用来检验摘要片段：这里出现关键词 %s 之后还有更多说明。" % W)
    st, j, h = req("POST", "/v1/challenges", body, K[who])
    ok(st == 201, "search fixture %s (%s %s)" % (cid, st, str(j)[:200]))
    if publish:
        ok(req("POST", "/v1/challenges/cv-%s/status" % cid, {"to": "published"}, K[who])[0] == 200, "publish " + cid)
req("PUT", "/v1/outputs/cv-so", {"title": "成果 %s" % W, "org": "xh-ai-univ", "kind": "paper",
                                  "abstract": "一段很长的摘要" * 10 + "，其中讲到 %s 的方法与结论。" % W + "后文" * 80}, K["admin"])


def settle():
    """waits until the indexer has applied every change"""
    import time
    for _ in range(200):
        h = req("GET", "/healthz")[1]
        if h["applied_seq"] >= h["last_seq"]:
            return
        time.sleep(0.05)


settle()


def ids(params, key="officer"):
    st, j, h = req("GET", "/v1/search?q=%s&limit=50%s" % (W, "&" + params if params else ""), key=K[key])
    ok(st == 200, "search %s: %s %s" % (params, st, str(j)[:200]))
    return [x["id"] for x in (j or {}).get("hits", [])], j


got, j = ids("")
ok({"cv-f1", "cv-f2", "cv-f3", "cv-so"} <= set(got), "search: the fixtures are found (%s)" % got)
ok(j.get("total_estimated") is True and j.get("total", 0) >= 4 and j.get("next_cursor") is None,
   "search: total is Xapian's estimate, marked (%s)" % {k: j.get(k) for k in ("total", "total_estimated", "next_cursor")})
ok(set(ids("type=challenge")[0]) == {"cv-f1", "cv-f2", "cv-f3"}, "filter type=challenge")
ok(ids("type=output")[0] == ["cv-so"], "filter type=output")
ok(set(ids("status=draft")[0]) == {"cv-f3"}, "filter status=draft")
ok(set(ids("status=draft", key="ent2")[0]) == set(), "status=draft for another org: its drafts stay hidden")
ok(set(ids("open=true")[0]) == {"cv-f1", "cv-f2"}, "filter open=true: published, deadline not passed")
ok(set(ids("deadline_from=%s&deadline_to=%s" % (day(60), day(120)))[0]) == {"cv-f2"}, "deadline range")
ok(set(ids("deadline_to=%s" % day(30))[0]) == {"cv-f1"}, "deadline_to is inclusive")
ok(set(ids("funding_min=2000000")[0]) == {"cv-f2", "cv-f3"}, "funding_min")
ok(set(ids("funding_max=1000000")[0]) == {"cv-f1"}, "funding_max is inclusive")
ok(set(ids("field=ic&type=challenge")[0]) == {"cv-f1", "cv-f3"}, "field prefix ic matches ic/power and ic/eda")
ok(set(ids("field=ic/eda")[0]) == {"cv-f3"}, "field ic/eda")
ok(set(ids("region=44&type=challenge")[0]) == {"cv-f1", "cv-f3"}, "region prefix of the issuing org (44)")
ok(set(ids("region=310114&type=challenge")[0]) == {"cv-f2"}, "region, 6 digits")
ok(set(ids("org_kind=enterprise")[0]) == {"cv-f1", "cv-f2", "cv-f3"}, "org_kind=enterprise")
ok(ids("org_kind=university&type=output")[0] == ["cv-so"], "org_kind=university")
ok(ids("sort=deadline")[0] == ["cv-f1", "cv-f2", "cv-f3"], "sort=deadline: soonest first (%s)" % ids("sort=deadline")[0])
ok(ids("sort=funding")[0] == ["cv-f2", "cv-f3", "cv-f1"], "sort=funding: largest first")
ok(ids("sort=relevance")[0] == got, "sort=relevance is the default order")
# newest: by creation (f1, f2, f3, then the output), not by the last change (f1 and f2 were
# published after f3 was created)
ok(ids("sort=newest")[0][:4] == ["cv-so", "cv-f3", "cv-f2", "cv-f1"],
   "sort=newest: the most recently created first (%s)" % ids("sort=newest")[0])
ok(ids("sort=newest&type=challenge")[0] == ["cv-f3", "cv-f2", "cv-f1"], "sort=newest with a filter")
req("PATCH", "/v1/challenges/cv-f1", {"title": "%s 难题 f1 改" % W}, K["ent"])
settle()
ok(ids("sort=newest&type=challenge")[0] == ["cv-f3", "cv-f2", "cv-f1"],
   "sort=newest: an edit keeps the record's place (%s)" % ids("sort=newest&type=challenge")[0])
items, totals, sizes = walk("/v1/search?q=%s&sort=newest" % W, K["officer"], 1, field="hits")
ok([x["id"] for x in items][:4] == ["cv-so", "cv-f3", "cv-f2", "cv-f1"], "sort=newest pages of 1 keep the order")
got, j = ids("")  # the edit moved cv-f1 in the ranking
hit = [x for x in j["hits"] if x["id"] == "cv-so"][0]
ok("<em>%s</em>" % W in hit["snippet"] and hit["snippet"].startswith("…") and hit["snippet"].endswith("…")
   and len(hit["snippet"]) < 200, "a snippet from the abstract around the match, highlighted (%s)" % hit["snippet"])
hit = [x for x in j["hits"] if x["id"] == "cv-f1"][0]
ok("<em>%s</em>" % W in hit["snippet"], "a snippet from a challenge's description (%s)" % hit["snippet"])
for bad in ("sort=newestx", "deadline_from=2027-02-30", "deadline_to=20270101", "funding_min=-1", "funding_max=abc",
            "region=4", "open=maybe", "status=nope", "type=people", "colour=red",
            "deadline_from=%s&deadline_to=%s" % (day(9), day(1)), "funding_min=9&funding_max=1", "cursor=abc"):
    st, j2, h = req("GET", "/v1/search?q=%s&%s" % (W, bad), key=K["officer"])
    ok(problem(st, j2, h, 400), "search %s: 400 (%s)" % (bad, st))
# pages: limit counts the hits shown (others' drafts dropped before the limit)
items, totals, sizes = walk("/v1/search?q=%s&type=challenge" % W, K["ent2"], 1, field="hits")
ok([x["id"] for x in items] and "cv-f3" not in [x["id"] for x in items] and all(n == 1 for n in sizes),
   "search pages of 1 for ent2: each holds one visible hit, no draft of another org (%s %s)"
   % ([x["id"] for x in items], sizes))
items, totals, sizes = walk("/v1/search?q=%s" % W, K["officer"], 2, field="hits")
ok([x["id"] for x in items] == got, "search: pages of 2 give the ranking of one page")

# ---- read-only commands beside a running server ----------------------------------------------
import hashlib  # noqa: E402
import stat  # noqa: E402
settle()
digest = lambda: hashlib.sha256(cli("export", "--data", D).stdout.encode()).hexdigest()  # noqa: E731
before = digest()
r = cli("verify", "--data", D, check=False)
ok(r.returncode == 0 and r.stdout.strip() == "ok" and "read-only" in r.stderr,
   "verify runs beside serve, read-only (%s %s)" % (r.returncode, r.stderr[:200]))
r = cli("get", "challenge", "cv-f1", "--data", D, check=False)
ok(r.returncode == 0 and "cv-f1" in r.stdout, "get runs beside serve")
r = cli("search", W, "--data", D, check=False)
ok(r.returncode == 0 and "cv-f1" in r.stdout, "search runs beside serve (%s)" % r.stderr[:200])
r = cli("stats", "--data", D, check=False)
ok(r.returncode == 0 and "challenges" in r.stdout, "stats runs beside serve")
lines = os.path.join(WORK, "dry.jsonl")
with open(lines, "w") as f:
    f.write(json.dumps({"type": "org", "id": "cv-dry-org", "name": "试运行研究所", "kind": "institute"}, ensure_ascii=False) + "\n")
    f.write(json.dumps({"type": "expert", "id": "cv-dry-e", "name": "试", "org": "cv-dry-org"}, ensure_ascii=False) + "\n")
    f.write(cli("get", "org", "sz-chip-co", "--data", D).stdout.replace("\n", "").replace("  ", "") + "\n")
r = cli("import", "--dry-run", "--data", D, lines, check=False)
ok(r.returncode == 0 and "would import 3 records (2 changed, 1 unchanged), 0 bad lines" in r.stderr,
   "import --dry-run runs beside serve: references to earlier lines resolve, a stored record is unchanged (%s)"
   % r.stderr.strip())
with open(lines, "a") as f:
    f.write(json.dumps({"type": "expert", "id": "cv-dry-e2", "name": "试", "org": "no-such-org"}) + "\n")
    f.write('{"type": "org", "id": "cv-dry-bad", "kind": 7}\n')
r = cli("import", "--dry-run", "--data", D, lines, check=False)
ok(r.returncode == 1 and "line 4:" in r.stderr and "no-such-org" in r.stderr and "line 5:" in r.stderr,
   "import --dry-run names each bad line (%s)" % r.stderr.strip())
r = cli("import", "--data", D, lines, check=False)
ok(r.returncode != 0 and "another jiebang process is writing" in r.stderr, "a real import is still refused (%s)" % r.stderr.strip())
ok(digest() == before and req("GET", "/v1/orgs/cv-dry-org", key=K["admin"])[0] == 404, "the read-only commands changed nothing")

# ---- the data directory is private: 0700, files 0600 ------------------------------------------


def modes(d):
    bad = []
    for root, dirs, files in os.walk(d):
        for n in dirs + files:
            p = os.path.join(root, n)
            st = os.lstat(p)
            if not stat.S_ISLNK(st.st_mode) and st.st_mode & 0o077:
                bad.append("%s %o" % (os.path.relpath(p, d), st.st_mode & 0o777))
    return bad


ok(stat.S_IMODE(os.stat(D).st_mode) == 0o700, "a new data directory is 0700 (%o)" % stat.S_IMODE(os.stat(D).st_mode))
ok(not modes(D), "every file under it is private, the index's too (%s)" % modes(D)[:5])
ok(stat.S_IMODE(os.stat(os.path.join(D, "jiebang.db")).st_mode) == 0o600, "jiebang.db is 0600")
D2 = os.path.join(WORK, "old")
cli("import", "--quiet", "--data", D2, lines, check=False)
os.chmod(D2, 0o755)
for root, dirs, files in os.walk(D2):
    for n in files:
        os.chmod(os.path.join(root, n), 0o644)
    for n in dirs:
        os.chmod(os.path.join(root, n), 0o755)
ok(len(modes(D2)) > 2, "an old-style directory (0755, 0644)")
r = cli("import", "--data", D2, lines, check=False)
ok(not modes(D2) and stat.S_IMODE(os.stat(D2).st_mode) == 0o700 and "private" in r.stderr,
   "a writer's open makes it private, with a notice (%s; %s)" % (modes(D2)[:3], r.stderr.strip()[:200]))
r = cli("stats", "--data", D2, check=False)
ok(r.returncode == 0 and "private" not in r.stderr, "then nothing more to say")

# ---- end ------------------------------------------------------------------------------------
S.stop()
sys.exit(jbtest.finish())
