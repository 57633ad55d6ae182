#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/http_test.py: the HTTP API against a real server on a loopback port
(run by tests/http.sh). Every endpoint; the role x action x own/other matrix;
a corpus of bad requests, each answered with its 4xx JSON error and the store
unchanged; concurrent writers and readers; read-your-writes with min_seq;
graceful shutdown with requests in flight.

    python3 tests/http_test.py JIEBANG SRCDIR WORKDIR
"""
import hashlib
import http.client
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

JIEBANG, SRC, WORK = sys.argv[1:4]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest  # noqa: E402
from jbtest import Server, cli, metric, ok  # noqa: E402,F401

jbtest.JIEBANG, jbtest.WORK = JIEBANG, WORK


def req(method, path, body=None, key=None, headers=None, ctype="application/json"):
    c = http.client.HTTPConnection(S.host, S.port, timeout=60)
    h = dict(headers or {})
    if key:
        h["Authorization"] = "Bearer " + key
    if body is not None:
        if not isinstance(body, (bytes, bytearray)):
            body = json.dumps(body, ensure_ascii=False).encode()
        if ctype:
            h.setdefault("Content-Type", ctype)
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    try:
        j = json.loads(data) if data else None
    except ValueError:
        j = None
    return r.status, j, data


def raw(payload, read_all=True):
    """sends bytes as they are; returns (status, body bytes)"""
    s = socket.create_connection((S.host, S.port), timeout=10)
    try:
        s.sendall(payload)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered early (413) and closed
    buf = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            buf += d
            if not read_all and b"\r\n\r\n" in buf:
                head, _, rest = buf.partition(b"\r\n\r\n")
                m = re.search(rb"content-length: *(\d+)", head, re.I)
                if m and len(rest) >= int(m.group(1)):
                    break
    except socket.timeout:
        pass
    s.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3})", buf)
    body = buf.partition(b"\r\n\r\n")[2]
    return (int(m.group(1)) if m else 0), body


def q(s):
    return urllib.parse.quote(s, safe="")


# ---- setup ---------------------------------------------------------------------------
D = os.path.join(WORK, "d")
cli("import", "--quiet", "--demo", "--data", D)
recs = [json.loads(l) for l in cli("export", "--data", D).stdout.splitlines()]
by = {(r["type"], r["id"]): r for r in recs}
K = {}
for name, role, org in [("admin", "admin", None), ("officer", "officer", None),
                        ("ent", "enterprise", "sz-chip-co"), ("ent2", "enterprise", "sh-auto-co"),
                        ("res", "researcher", "sh-ic-univ"), ("res2", "researcher", "pj-ic-lab")]:
    args = ["key", "create", "--role", role, "--data", D] + (["--org", org] if org else [])
    K[name] = cli(*args).stdout.strip()
S = Server(D)
ADMIN = K["admin"]


def last_seq():
    return req("GET", "/healthz")[1]["last_seq"]


def export_digest():
    st, j, _ = req("GET", "/healthz")
    return j["last_seq"]


def is_error(j, status):
    return jbtest.is_problem(j, status)


# ---- endpoints --------------------------------------------------------------------------
st, j, _ = req("GET", "/healthz")
ok(st == 200 and j["status"] == "ok" and j["applied_seq"] == j["last_seq"], "healthz")
st, j, raw_api = req("GET", "/v1/openapi.json")
ok(st == 200 and j["openapi"].startswith("3.1"), "openapi.json served")
# every route is in the OpenAPI document and every documented operation is a route
TABLE = [l.split() for l in cli("serve", "--routes").stdout.splitlines()]
routes = set(tuple(r[:2]) for r in TABLE)
documented = set((m.upper(), p) for p, ops in j["paths"].items() for m in ops)
ok(routes == documented, "routes == OpenAPI operations (missing %s, extra %s)" %
   (sorted(routes - documented), sorted(documented - routes)))
# each operation as the route table has it: its query parameters exactly, the
# errors it can answer declared as problems, an operationId, a 2xx with a
# schema and an example
API = j
ok(API["info"].get("license", {}).get("name"), "the OpenAPI document states a license")
opids = []
for method, path, params, role, flags in TABLE:
    op = API["paths"].get(path, {}).get(method.lower())
    if op is None:
        continue
    opids.append(op.get("operationId"))
    qp = {p["name"] for p in op.get("parameters", []) if p.get("in") == "query"}
    want = set() if params == "-" else set(params.split(","))
    ok(qp == want, "%s %s: query parameters %s as the table's %s" % (method, path, sorted(qp), sorted(want)))
    need = {"400", "414", "431", "503"} | (set() if "loop" in flags or "static" in flags else {"401", "429", "500"})
    need |= {"403"} if role != "any" else set()
    need |= {"404"} if "{id}" in path else set()
    need |= {"413", "415"} if method in ("POST", "PUT", "PATCH") else set()
    resp = op["responses"]
    ok(need <= set(resp), "%s %s declares %s (missing %s)" % (method, path, sorted(need), sorted(need - set(resp))))
    for s, r in resp.items():
        if s[0] in "45":
            ref = r.get("$ref", "").split("/")[-1]
            r = API["components"]["responses"].get(ref, r)
            ok("application/problem+json" in r.get("content", {}), "%s %s %s is a problem" % (method, path, s))
    good = [r for s, r in resp.items() if s[0] == "2" and all("schema" in mt and "example" in mt
                                                            for mt in r.get("content", {}).values()) and r.get("content")]
    ok(good, "%s %s: a 2xx with a schema and an example" % (method, path))
ok(len(opids) == len(TABLE) and None not in opids and len(set(opids)) == len(opids), "operationIds: one each, unique")

# keys
st, j, _ = req("POST", "/v1/keys", {"role": "researcher", "org": "xh-ai-univ"}, ADMIN)
ok(st == 201 and j["key"].startswith("jb_") and j["role"] == "researcher", "admin creates a key")
newkey, newid = j["key"], j["id"]
ok(req("GET", "/v1/orgs/xh-ai-univ", key=newkey)[0] == 200, "the new key works")
ok(req("POST", "/v1/keys", {"role": "admin"}, K["officer"])[0] == 403, "officer cannot create keys")
ok(req("DELETE", "/v1/keys/" + newid, key=K["ent"])[0] == 403, "enterprise cannot revoke keys")
ok(req("DELETE", "/v1/keys/" + newid, key=ADMIN)[0] == 200, "admin revokes a key")
ok(req("GET", "/v1/orgs/xh-ai-univ", key=newkey)[0] == 401, "a revoked key is refused")
ok(req("DELETE", "/v1/keys/" + newid, key=ADMIN)[0] == 404, "revoking twice: 404")
ok(req("POST", "/v1/keys", {"role": "enterprise"}, ADMIN)[0] == 400, "enterprise key without org: 400")
ok(req("POST", "/v1/keys", {"role": "enterprise", "org": "nope"}, ADMIN)[0] == 400, "key for unknown org: 400")

# records: each type, create / get / put / patch / list / delete
samples = {
    "org": {"id": "t-org", "name": "测试研究院", "kind": "institute", "region": "310104", "fields": ["ic/eda"]},
    "expert": {"id": "t-exp", "name": "李测试", "org": "t-org", "keywords": ["碳化硅"]},
    "output": {"id": "t-out", "title": "一种碳化硅功率模块测试方法", "kind": "patent", "org": "t-org", "trl": 5, "year": 2025},
    "challenge": {"id": "t-ch", "title": "功率模块测试挑战", "org": "t-org", "status": "draft", "confidential": {"note": "秘密"}},
}
coll = {"org": "orgs", "expert": "experts", "output": "outputs", "challenge": "challenges"}
for t in ["org", "expert", "output", "challenge"]:
    st, j, _ = req("POST", "/v1/%s" % coll[t], samples[t], ADMIN)
    ok(st == 201 and j["record"]["id"] == samples[t]["id"] and j["seq"] > 0, "POST %s" % t)
    ok(req("POST", "/v1/%s" % coll[t], samples[t], ADMIN)[0] == 409, "POST %s twice: 409" % t)
    st, j, _ = req("GET", "/v1/%s/%s" % (coll[t], samples[t]["id"]), key=ADMIN)
    ok(st == 200 and all(j[k] == v for k, v in samples[t].items()), "GET %s round trip" % t)
    body = dict(samples[t]); body.pop("id")
    st, j, _ = req("PUT", "/v1/%s/%s" % (coll[t], samples[t]["id"]), body, ADMIN)
    ok(st == 200, "PUT %s (replace)" % t)
    st, j, _ = req("PATCH", "/v1/%s/%s" % (coll[t], samples[t]["id"]), {"fields": ["ic/power"]}, ADMIN)
    ok(st == 200 and j["record"]["fields"] == ["ic/power"], "PATCH %s" % t)
st, j, _ = req("PATCH", "/v1/outputs/t-out", {"year": None}, ADMIN)
ok(st == 200 and "year" not in j["record"], "PATCH null removes a field")
st, j, _ = req("PUT", "/v1/orgs/t-org2", {"name": "新机构"}, ADMIN)
ok(st == 201, "PUT creates")
# lists: filters and pagination
st, j, _ = req("GET", "/v1/outputs?org=t-org", key=ADMIN)
ok(st == 200 and [x["id"] for x in j["items"]] == ["t-out"], "list filter org")
st, j, _ = req("GET", "/v1/orgs?kind=enterprise&limit=100", key=ADMIN)
ok(st == 200 and len(j["items"]) == 8 and all(x["kind"] == "enterprise" for x in j["items"]), "list filter kind")
st, j, _ = req("GET", "/v1/orgs?region=31&limit=100", key=ADMIN)
ok(st == 200 and j["items"] and all(x["region"].startswith("31") for x in j["items"]), "list filter region prefix")
st, j, _ = req("GET", "/v1/outputs?field=ic&limit=100", key=ADMIN)
ok(st == 200 and j["items"] and all(any(f == "ic" or f.startswith("ic/") for f in x["fields"]) for x in j["items"]), "list filter field prefix")
st, j, _ = req("GET", "/v1/challenges?status=published&limit=100", key=ADMIN)
ok(st == 200 and len(j["items"]) == 21, "list filter status")
seen, cursor, pages = [], None, 0
while True:
    st, j, _ = req("GET", "/v1/outputs?limit=7" + ("&cursor=" + q(cursor) if cursor else ""), key=K["res"])
    if st != 200:
        break
    seen += [x["id"] for x in j["items"]]
    pages += 1
    cursor = j["next_cursor"]
    if not cursor:
        break
n_out = sum(1 for r in recs if r["type"] == "output") + 1
ok(len(seen) == n_out and seen == sorted(seen) and len(set(seen)) == n_out, "pagination walks every output once (%d pages)" % pages)
# search with highlights
st, j, _ = req("GET", "/v1/search?q=" + q("碳化硅") + "&limit=5", key=K["res"])
ok(st == 200 and j["hits"] and "<em>碳化硅</em>" in j["hits"][0]["highlight"], "search highlights")
st, j, _ = req("GET", "/v1/search?q=" + q("碳化硅") + "&type=output", key=K["res"])
ok(st == 200 and j["hits"] and all(h["type"] == "output" for h in j["hits"]), "search by type")
# matches, both directions
st, j, _ = req("GET", "/v1/challenges/ch-001/matches?limit=5", key=K["res"])
ok(st == 200 and j["matches"] and all("explanation" in m for m in j["matches"]), "challenge -> outputs")
fsum = all(abs(sum(m["explanation"]["features"].values()) - m["score"]) < 1e-4 for m in j["matches"])
ok(fsum, "explanations add up")
for kind in ("expert", "org"):
    st, j, _ = req("GET", "/v1/challenges/ch-001/matches?kind=%s&limit=3" % kind, key=K["officer"])
    ok(st == 200 and j["matches"] and all(m["type"] == kind for m in j["matches"]), "challenge -> %s" % kind)
st, j, _ = req("GET", "/v1/challenges/ch-001/matches?explain_filtered=true&reciprocal=true&limit=3", key=K["officer"])
ok(st == 200 and "filtered" in j and all("reciprocal" in m for m in j["matches"]), "explain_filtered and reciprocal")
for t, i in (("outputs", "out-148"), ("experts", "exp-004"), ("orgs", "hp-chain-inst")):
    st, j, _ = req("GET", "/v1/%s/%s/matches" % (t, i), key=K["res"])
    ok(st == 200 and all(m["type"] == "challenge" for m in j["matches"]), "%s -> open challenges" % t)
# delete, references
ok(req("DELETE", "/v1/orgs/t-org", key=ADMIN)[0] == 409, "delete a referenced org: 409")
for t in ["challenge", "output", "expert", "org"]:
    st, j, _ = req("DELETE", "/v1/%s/%s" % (coll[t], samples[t]["id"]), key=ADMIN)
    ok(st == 200 and j["deleted"] is True, "DELETE %s" % t)
    ok(req("GET", "/v1/%s/%s" % (coll[t], samples[t]["id"]), key=ADMIN)[0] == 404, "GET deleted %s: 404" % t)

# ---- read-your-writes --------------------------------------------------------------------
ryw = 0
for i in range(10):
    word = "读写验证%d号样机" % i
    st, j, _ = req("POST", "/v1/outputs", {"id": "ryw-%d" % i, "title": word, "org": "sh-ic-univ"}, K["res"])
    st2, j2, _ = req("GET", "/v1/search?q=%s&type=output&min_seq=%d" % (q(word), j["seq"]), key=K["res"])
    ryw += st == 201 and st2 == 200 and any(h["id"] == "ryw-%d" % i for h in j2["hits"])
ok(ryw == 10, "read-your-writes: a search with min_seq sees the write (%d/10)" % ryw)

# ---- roles x actions x own/other --------------------------------------------------------
ADMIN_ORGS = {"ent": "sz-chip-co", "ent2": "sh-auto-co", "res": "sh-ic-univ", "res2": "pj-ic-lab"}
# a draft of sz-chip-co, with confidential fields
req("PUT", "/v1/challenges/m-draft", {"title": "内部草稿需求", "org": "sz-chip-co", "status": "draft",
                                     "confidential": {"budget": "500万"}}, ADMIN)


def expect(role, action, t, owner, status_draft):
    """the documented rule (docs/api.md), written independently of authz.c"""
    if role in ("admin", "officer"):
        return "ok"
    mine = owner == ADMIN_ORGS[role]
    # only an enterprise key of the org is a challenge's issuer; a researcher
    # key of the same org sees no drafts
    if t == "challenge" and status_draft and not (mine and role.startswith("ent")):
        return 404
    if action == "read":
        return "ok"
    if t == "org":
        return "ok" if action == "update" and mine else 403
    writes = {"ent": ("challenge",), "ent2": ("challenge",), "res": ("output", "expert"), "res2": ("output", "expert")}[role]
    if t not in writes:
        return 403
    return "ok" if mine else 403


n_matrix = 0
targets = [("challenge", "ch-001", "sz-chip-co", False), ("challenge", "m-draft", "sz-chip-co", True),
           ("challenge", "ch-003", "sh-auto-co", False), ("org", "sz-chip-co", "sz-chip-co", False),
           ("org", "sh-ic-univ", "sh-ic-univ", False)]
outs = [r for r in recs if r["type"] == "output"]
for org in ("sh-ic-univ", "pj-ic-lab"):
    o = next(r for r in outs if r.get("org") == org)
    targets.append(("output", o["id"], org, False))
exps = [r for r in recs if r["type"] == "expert"]
for org in ("sh-ic-univ", "pj-ic-lab"):
    e = next((r for r in exps if r.get("org") == org), None)
    if e:
        targets.append(("expert", e["id"], org, False))
for role in ("admin", "officer", "ent", "ent2", "res", "res2"):
    for t, i, owner, draft in targets:
        path = "/v1/%s/%s" % (coll[t], q(i))
        # read
        st, j, _ = req("GET", path, key=K[role])
        want = expect(role, "read", t, owner, draft)
        ok((st == 200) if want == "ok" else st == want, "%s GET %s %s: %s want %s" % (role, t, i, st, want))
        if st == 200 and t == "challenge":
            sees = role in ("admin", "officer") or (owner == ADMIN_ORGS.get(role) and role.startswith("ent"))
            has_conf = "confidential" in j
            stored_conf = i in ("ch-001", "m-draft")
            ok(has_conf == (stored_conf and sees), "%s confidential of %s: %s" % (role, i, has_conf))
        # update (a PATCH that changes nothing of substance: same keywords back)
        cur = req("GET", path, key=ADMIN)[1]
        st, j, _ = req("PATCH", path, {"fields": cur.get("fields", ["ic"])}, K[role])
        want = expect(role, "update", t, owner, draft)
        ok((st == 200) if want == "ok" else st == want, "%s PATCH %s %s: %s want %s" % (role, t, i, st, want))
        if st == 200 and "fields" not in cur:  # restore
            req("PATCH", path, {"fields": None}, ADMIN)
        n_matrix += 2
    # create and delete, own org and another org
    for t in ("challenge", "output", "expert", "org"):
        for org in ("own", "other"):
            owner = ADMIN_ORGS.get(role, "sz-chip-co") if org == "own" else "zj-pack-inst"
            rid = "mx-%s-%s-%s" % (role, t, org)
            body = {"id": rid, "title": "矩阵测试"} if t in ("challenge", "output") else {"id": rid, "name": "矩阵测试"}
            if t != "org":
                body["org"] = owner
            else:
                body["id"] = rid
            st, j, _ = req("POST", "/v1/%s" % coll[t], body, K[role])
            want = expect(role, "create", t, owner if t != "org" else rid, False)
            if role not in ("admin", "officer") and t == "org":
                want = 403
            ok((st == 201) if want == "ok" else st == want, "%s POST %s (%s org): %s want %s" % (role, t, org, st, want))
            if st != 201:
                req("POST", "/v1/%s" % coll[t], body, ADMIN)
            st, j, _ = req("DELETE", "/v1/%s/%s" % (coll[t], rid), key=K[role])
            # a challenge made without a status is a draft: another org's is invisible
            want = expect(role, "delete", t, owner if t != "org" else rid, t == "challenge")
            if role not in ("admin", "officer") and t == "org":
                want = 403
            ok((st == 200) if want == "ok" else st == want, "%s DELETE %s (%s org): %s want %s" % (role, t, org, st, want))
            if st != 200:
                req("DELETE", "/v1/%s/%s" % (coll[t], rid), key=ADMIN)
            n_matrix += 2
# moving one's record to another org is refused
st, _, _ = req("PATCH", "/v1/challenges/ch-001", {"org": "sh-auto-co"}, K["ent"])
ok(st == 403, "an enterprise cannot hand its challenge to another org")
# lists and search hide others' drafts
for role, sees in (("ent", True), ("ent2", False), ("res", False), ("officer", True)):
    st, j, _ = req("GET", "/v1/challenges?limit=100", key=K[role])
    ok(("m-draft" in [x["id"] for x in j["items"]]) == sees, "%s list shows m-draft: %s" % (role, sees))
    st, j, _ = req("GET", "/v1/search?q=" + q("内部草稿需求") + "&type=challenge", key=K[role])
    ok(("m-draft" in [h["id"] for h in j["hits"]]) == sees, "%s search shows m-draft: %s" % (role, sees))
    st, j, _ = req("GET", "/v1/challenges/m-draft/matches", key=K[role])
    ok((st == 200) == sees and (sees or st == 404), "%s matches of m-draft: %s" % (role, st))
print("role matrix: %d checks" % n_matrix, flush=True)

# ---- the bad-input corpus ----------------------------------------------------------------
cases = []  # (name, callable -> (status, body bytes), expected status)
parser_cases = []  # malformed HTTP framing: libmicrohttpd's own 400 (not JSON), nothing changed


def body_case(name, path, payload, want, method="POST", key=ADMIN, ctype="application/json"):
    def run():
        st, j, data = req(method, path, payload, key, ctype=ctype)
        return st, data
    cases.append((name, run, want))


for i, b in enumerate([b"", b"{", b"}", b"[", b"{\"id\":}", b"{\"id\":\"a\",}", b"{'id':'a'}", b"{id:\"a\"}",
                       b"{\"id\":\"a\" \"name\":\"b\"}", b"{\"id\":NaN}", b"{\"id\":Infinity}", b"{\"id\":\"a\"} x",
                       b"{\"id\":\"a\"}{\"id\":\"b\"}", b"\"just a string\"", b"42", b"null", b"true", b"[]",
                       b"[{\"id\":\"a\",\"name\":\"b\"}]", b"{\"id\":\"a\",\"name\":\"b\",\"name\":\"c\"}",
                       b"{\"id\":\"a\",\"id\":\"a\",\"name\":\"b\"}", b"/* c */{\"id\":\"a\",\"name\":\"b\"}",
                       b"{\"id\":\"a\",\"name\":\"\\u0000\"}", b"{\"id\":\"a\",\"name\":\"\\ud800\"}",
                       b"{\"id\":\"a\",\"name\":\"b\\q\"}", b"{\"id\":\"a\",\"name\":\"\x01\"}",
                       b"{\"id\":\"a\",\"name\":\"b\",\"x\":" + b"[" * 40 + b"]" * 40 + b"}",
                       b"{\"id\":\"a\",\"name\":\"b\",\"n\":1e400}", b"{\"id\":\"a\",\"name\":\"b\",\"n\":18446744073709551616}",
                       b"{\"id\":\"a\",\"name\":\"b\",\"n\":-}", b"{\"id\":\"a\",\"name\":\"b\",\"n\":01}",
                       b"{\"id\":\"a\",\"name\":\"b\",\"n\":.5}", b"{\"id\":\"a\",\"name\":tru}",
                       b"{\"id\":\"a\",\"name\":\"unterminated}", b"\xef\xbb\xbf\xef\xbb\xbf{}",
                       b"{\"id\":1,\"name\":\"b\"}", b"{\"name\":\"b\"}", b"{\"id\":\"\",\"name\":\"b\"}",
                       b"{\"id\":\"a/b\",\"name\":\"b\"}", b"{\"id\":\"" + b"x" * 200 + b"\",\"name\":\"b\"}"]):
    body_case("malformed JSON #%d" % i, "/v1/orgs", b, 400)
for i, b in enumerate([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe4\xb8", b"\xf8\x88\x80\x80\x80", b"\x80",
                       b"\xf4\x90\x80\x80", b"\xe0\x80\xaf", b"abc\xfe", b"\xc3"]):
    body_case("invalid UTF-8 in a value #%d" % i, "/v1/orgs", b"{\"id\":\"u%d\",\"name\":\"" % i + b + b"\"}", 400)
    body_case("invalid UTF-8 in a key #%d" % i, "/v1/orgs", b"{\"id\":\"u%d\",\"" % i + b + b"\":\"x\"}", 400)
wrong = {
    "orgs": [{"name": 1}, {"name": ""}, {"name": "x" * 300}, {"name": "a", "kind": "company"}, {"name": "a", "region": "12"},
             {"name": "a", "region": 310104}, {"name": "a", "fields": "ic"}, {"name": "a", "fields": ["IC/EDA"]},
             {"name": "a", "website": "ftp://x"}, {"name": "a", "credentials": "x"}, {"name": "a", "hack": 1},
             {"name": "a", "role": "admin"}, {"name": "a", "description": ["x"]}, {"name": "a\nb"}, {}],
    "experts": [{"name": "a", "org": "nope"}, {"name": "a", "outputs_count": -1}, {"name": "a", "outputs_count": "3"},
                {"name": "a", "active_year": 1800}, {"name": "a", "keywords": [1]}, {"name": "a", "keywords": "x"},
                {"name": "a", "org": 5}, {"name": "a", "bio": 5}, {"name": "a", "is_admin": True}],
    "outputs": [{"title": "a", "trl": 10}, {"title": "a", "trl": 0}, {"title": "a", "trl": "5"}, {"title": "a", "trl": 5.5},
                {"title": "a", "year": 1800}, {"title": "a", "kind": "book"}, {"title": "a", "experts": ["nope"]},
                {"title": "a", "experts": "exp-001"}, {"title": "a", "ip": {"status": "stolen"}}, {"title": "a", "ip": "x"},
                {"title": "a", "lang": "z"}, {"title": 5}, {"title": "a", "org": "nope"}, {"title": "a", "abstract": None}],
    "challenges": [{"title": "a", "deadline": "2027-02-30"}, {"title": "a", "deadline": "soon"},
                   {"title": "a", "trl_now": 5, "trl_target": 3}, {"title": "a", "funding": {"amount": -1}},
                   {"title": "a", "funding": {"currency": "CNY"}}, {"title": "a", "status": "done"},
                   {"title": "a", "indicators": [{"target": 3}]}, {"title": "a", "indicators": "x"},
                   {"title": "a", "eligibility": {"org_kinds": ["alien"]}}, {"title": "a", "eligibility": {"regions": ["1"]}},
                   {"title": "a", "confidential": "x"}, {"title": "a", "region": "abc"}, {"title": "a", "org": "nope"},
                   {"title": "a", "seq": 5}, {"title": "a", "created_by": "x"}],
}
for c, lst in wrong.items():
    for i, b in enumerate(lst):
        b = dict(b)
        b["id"] = "w-%s-%d" % (c, i)
        body_case("wrong field %s #%d %s" % (c, i, sorted(b)), "/v1/" + c, b, 400)
body_case("type disagrees with the path", "/v1/orgs", {"id": "x1", "type": "expert", "name": "a"}, 400)
body_case("type is not a string", "/v1/orgs", {"id": "x1", "type": 5, "name": "a"}, 400)
body_case("PUT id disagrees with the path", "/v1/orgs/x2", {"id": "x3", "name": "a"}, 400, method="PUT")
body_case("PATCH changes the id", "/v1/orgs/sz-chip-co", {"id": "other"}, 400, method="PATCH")
body_case("PATCH changes the type", "/v1/orgs/sz-chip-co", {"type": "expert"}, 400, method="PATCH")
body_case("PATCH removes a required field", "/v1/orgs/sz-chip-co", {"name": None}, 400, method="PATCH")
body_case("PATCH with a bad value", "/v1/orgs/sz-chip-co", {"kind": "spaceship"}, 400, method="PATCH")
body_case("PATCH with an array body", "/v1/orgs/sz-chip-co", [1], 400, method="PATCH")
body_case("PATCH an unknown record", "/v1/orgs/nope", {"name": "a"}, 404, method="PATCH")
body_case("POST an existing record", "/v1/orgs", {"id": "sz-chip-co", "name": "a"}, 409)
body_case("DELETE a referenced org", "/v1/orgs/sz-chip-co", None, 409, method="DELETE")
body_case("DELETE an unknown record", "/v1/orgs/nope", None, 404, method="DELETE")
body_case("no Content-Type", "/v1/orgs", b"{\"id\":\"ct\",\"name\":\"a\"}", 415, ctype=None)
body_case("text/plain", "/v1/orgs", b"{\"id\":\"ct\",\"name\":\"a\"}", 415, ctype="text/plain")
body_case("application/jsonx", "/v1/orgs", b"{\"id\":\"ct\",\"name\":\"a\"}", 415, ctype="application/jsonx")
body_case("form data", "/v1/orgs", b"id=ct&name=a", 415, ctype="application/x-www-form-urlencoded")
body_case("keys: unknown field", "/v1/keys", {"role": "admin", "scope": "all"}, 400)
body_case("keys: bad role", "/v1/keys", {"role": "root"}, 400)
body_case("keys: role not a string", "/v1/keys", {"role": 1}, 400)
body_case("keys: malformed", "/v1/keys", b"{\"role\":", 400)
body_case("GET with a body", "/v1/orgs/sz-chip-co", b"{}", 400, method="GET")
body_case("DELETE with a body", "/v1/orgs/nope", b"{}", 400, method="DELETE")


def get_case(name, path, want, key=ADMIN, headers=None):
    def run():
        st, j, data = req("GET", path, None, key, headers)
        return st, data
    cases.append((name, run, want))


for name, qs in [("unknown parameter", "?colour=red"), ("duplicate parameter", "?limit=1&limit=2"),
                 ("bad percent-encoding", "?kind=%zz"), ("truncated percent-encoding", "?kind=%4"),
                 ("invalid UTF-8 in a value", "?kind=%ff"), ("control character", "?kind=a%01b"),
                 ("NUL in a value", "?kind=a%00b"), ("limit 0", "?limit=0"), ("limit 101", "?limit=101"),
                 ("limit not a number", "?limit=abc"), ("limit negative", "?limit=-1"), ("limit 1e2", "?limit=1e2"),
                 ("limit with a sign", "?limit=+5"), ("limit empty", "?limit="), ("empty pair", "?a=1&&b=2"),
                 ("trailing &", "?limit=1&"), ("name missing", "?=x"), ("upper-case name", "?Limit=1"),
                 ("name too long", "?" + "a" * 40 + "=1"), ("too many parameters", "?" + "&".join("p%d=1" % i for i in range(40))),
                 ("cursor invalid UTF-8", "?cursor=%c3"), ("lone &", "?&")]:
    get_case("list: " + name, "/v1/orgs" + qs, 400)
for name, qs in [("q missing", ""), ("q empty", "?q="), ("q too long", "?q=" + q("测" * 300)),
                 ("too many words", "?q=" + q(" ".join("w%d" % i for i in range(40)))), ("type unknown", "?q=a&type=book"),
                 ("limit too big", "?q=a&limit=500"), ("min_seq negative", "?q=a&min_seq=-1"),
                 ("min_seq not a number", "?q=a&min_seq=x"), ("q invalid UTF-8", "?q=%e4%b8"), ("unknown parameter", "?q=a&debug=1")]:
    get_case("search: " + name, "/v1/search" + qs, 400)
for name, qs in [("kind unknown", "?kind=person"), ("explain_filtered not a boolean", "?explain_filtered=maybe"),
                 ("reciprocal not a boolean", "?reciprocal=yes"), ("limit 0", "?limit=0"), ("unknown parameter", "?sort=x")]:
    get_case("matches: " + name, "/v1/challenges/ch-001/matches" + qs, 400)
get_case("reverse matches take no kind", "/v1/outputs/out-148/matches?kind=org", 400)
get_case("matches of an unknown record", "/v1/challenges/nope/matches", 404)
get_case("healthz takes no parameters", "/healthz?x=1", 400)
# injection-looking values are plain values: no error, no effect
for name, qs in [("SQL in kind", "?kind=" + q("' OR 1=1 --")), ("SQL in org", "?org=" + q("x'); DROP TABLE records; --")),
                 ("LIKE wildcard in region", "?region=" + q("%")), ("JSON path in field", "?field=" + q("$.id"))]:
    def run(qs=qs):
        st, j, data = req("GET", "/v1/orgs" + qs, key=ADMIN)
        return (st if st != 200 or j["items"] else 299), data
    cases.append(("injection as a filter value (%s): empty page" % name, run, 299))
# auth
for name, h in [("no Authorization", None), ("Basic", "Basic YWRtaW46YWRtaW4="), ("Bearer without key", "Bearer "),
                ("garbage key", "Bearer garbage"), ("lower-case bearer", "bearer " + ADMIN),
                ("key with a wrong secret", "Bearer " + ADMIN[:-4] + "AAAA"), ("key id unknown", "Bearer jb_k0000000000000000_" + "A" * 43),
                ("revoked key", "Bearer " + newkey), ("key plus junk", "Bearer " + ADMIN + "x")]:
    def run(h=h):
        st, j, data = req("GET", "/v1/orgs", None, None, {"Authorization": h} if h else None)
        return st, data
    cases.append(("auth: " + name, run, 401))
# methods and routes
for m, p, want in [("PUT", "/v1/orgs", 405), ("DELETE", "/v1/search", 405), ("POST", "/healthz", 405),
                   ("PATCH", "/v1/keys", 405), ("PUT", "/v1/keys/x", 405), ("OPTIONS", "/v1/orgs", 405),
                   ("POST", "/v1/orgs/x/matches", 405), ("GET", "/v1/widgets", 404), ("GET", "/v2/orgs", 404),
                   ("GET", "/v1/orgs/x/y", 404), ("GET", "/v1/ORGS", 404), ("GET", "/nope", 404), ("GET", "/console", 404), ("GET", "/console/", 404), ("GET", "/console/a/b.js", 404), ("GET", "/v1", 404)]:
    def run(m=m, p=p):
        st, j, data = req(m, p, None, ADMIN)
        return st, data
    cases.append(("route: %s %s" % (m, p), run, want))
# raw requests: paths curl would normalise, oversize lines, conflicting headers
auth = ("Authorization: Bearer %s\r\n" % ADMIN).encode()
host = ("Host: %s:%d\r\n" % (S.host, S.port)).encode()
for name, path, want in [("dot-dot", "/v1/orgs/../keys", 400), ("encoded dot-dot", "/v1/orgs/%2e%2e", 400),
                         ("encoded slash", "/v1/orgs/a%2Fb", 400), ("dot-dot at the top", "/v1/../v1/orgs", 400),
                         ("double slash", "//v1/orgs", 404), ("trailing slash", "/v1/orgs/", 404),
                         ("encoded NUL", "/v1/orgs/%00", 400), ("bad escape in the path", "/v1/orgs/%zz", 400),
                         ("backslash", "/v1/orgs/a%5cb", 400), ("dot", "/v1/orgs/.", 400),
                         ("invalid UTF-8 in the path", "/v1/orgs/%ff", 400), ("no leading slash", "v1/orgs", 400)]:
    cases.append(("path: " + name, lambda path=path: raw(b"GET " + path.encode() + b" HTTP/1.1\r\n" + host + auth + b"Connection: close\r\n\r\n"), want))
cases.append(("URL over limits.url_bytes", lambda: raw(b"GET /v1/orgs?cursor=" + b"a" * 5000 + b" HTTP/1.1\r\n" + host + auth + b"Connection: close\r\n\r\n"), 414))
cases.append(("headers over limits.header_bytes", lambda: raw(b"GET /v1/orgs HTTP/1.1\r\n" + host + auth + b"X-Big: " + b"a" * 9000 + b"\r\nConnection: close\r\n\r\n"), 431))
cases.append(("many headers", lambda: raw(b"GET /v1/orgs HTTP/1.1\r\n" + host + auth + b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 100) for i in range(90)) + b"Connection: close\r\n\r\n"), 431))
body = b"{\"id\":\"smuggle\",\"name\":\"a\"}"
post = b"POST /v1/orgs HTTP/1.1\r\n" + host + auth + b"Content-Type: application/json\r\nConnection: close\r\n"
cases.append(("Content-Length and Transfer-Encoding", lambda: raw(post + b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n" % len(body) + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"), 400))
cases.append(("two different Content-Lengths", lambda: raw(post + b"Content-Length: %d\r\nContent-Length: 5\r\n\r\n" % len(body) + body), 400))
cases.append(("two equal Content-Lengths", lambda: raw(post + b"Content-Length: %d\r\nContent-Length: %d\r\n\r\n" % (len(body), len(body)) + body), 400))
cases.append(("Transfer-Encoding gzip", lambda: raw(post + b"Transfer-Encoding: gzip\r\n\r\n" + body), 400))
parser_cases.append(("Content-Length not a number", lambda: raw(post + b"Content-Length: 12a\r\n\r\n" + body), 400))
parser_cases.append(("Content-Length negative", lambda: raw(post + b"Content-Length: -1\r\n\r\n" + body), 400))
big = b"{\"id\":\"big\",\"name\":\"" + b"x" * (1 << 20) + b"\"}"
cases.append(("body over 1 MiB", lambda: raw(post + b"Content-Length: %d\r\n\r\n" % len(big) + big), 413))
cases.append(("chunked body over 1 MiB", lambda: raw(post + b"Transfer-Encoding: chunked\r\n\r\n" + b"".join(b"%x\r\n" % 65536 + b"x" * 65536 + b"\r\n" for _ in range(17)) + b"0\r\n\r\n"), 413))
cases.append(("Content-Length of 10 MiB", lambda: raw(post + b"Content-Length: 10485760\r\n\r\n" + body, read_all=False), 413))
parser_cases.append(("header without a colon", lambda: raw(b"GET /v1/orgs HTTP/1.1\r\n" + host + auth + b"Broken header\r\nConnection: close\r\n\r\n"), 400))
parser_cases.append(("no Host in HTTP/1.1", lambda: raw(b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n"), 400))
cases.append(("space in the header name", lambda: raw(b"GET /v1/orgs HTTP/1.1\r\n" + host + auth + b"X A: 1\r\nConnection: close\r\n\r\n"), 400))
parser_cases.append(("chunked body with a bad chunk size", lambda: raw(post + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + b"\r\n0\r\n\r\n"), 400))

# obs-fold: RFC 9112 lets a server replace it with spaces (libmicrohttpd does): one request
st, _ = raw(b"GET /v1/orgs?limit=1 HTTP/1.1\r\n" + host + auth + b"X-A: 1\r\n  folded\r\nConnection: close\r\n\r\n")
ok(st == 200, "obsolete line folding is read as one header of one request")
before = last_seq()
before_export = cli("export", "--data", D).stdout
n_bad, json_ok = 0, 0
for name, run, want in cases:
    s0 = last_seq()
    try:
        st, data = run()
    except Exception as ex:  # noqa: BLE001 - a crash of the server shows as a failed case
        st, data = -1, repr(ex).encode()
    try:
        j = json.loads(data) if data else None
    except ValueError:
        j = None
    good = st == want
    if want != 299:
        good = good and is_error(j, st)
        json_ok += is_error(j, st)
    n_bad += 1
    ok(good and last_seq() == s0, "bad input '%s': got %s (want %s) %s" % (name, st, want, data[:160]))
for name, run, want in parser_cases:
    s0 = last_seq()
    st, data = run()
    n_bad += 1
    ok(st == want and last_seq() == s0, "malformed HTTP '%s': got %s (want %s from the HTTP parser)" % (name, st, want))
after_export = cli("export", "--data", D).stdout
ok(last_seq() == before and before_export == after_export, "the corpus changed nothing in the store")
print("bad-input corpus: %d cases" % n_bad, flush=True)
ok(n_bad >= 200, "at least 200 bad-input cases (%d)" % n_bad)
# injection strings are stored verbatim and harmless
evil = "Robert'); DROP TABLE records;-- <script>alert(1)</script> ${jndi:ldap://x} %s%n"
st, j, _ = req("POST", "/v1/orgs", {"id": "evil-org", "name": evil, "description": evil}, ADMIN)
st2, j2, _ = req("GET", "/v1/orgs/evil-org", key=ADMIN)
ok(st == 201 and j2["name"] == evil and j2["description"] == evil, "injection strings are stored verbatim")
ok(req("GET", "/v1/orgs?limit=100", key=ADMIN)[0] == 200, "the store still answers after them")

# ---- concurrent writers and readers ------------------------------------------------------
req("PUT", "/v1/orgs/conc-org", {"name": "并发测试机构", "kind": "lab"}, ADMIN)
results, errors = [], []


def writer(w):
    for i in range(25):
        st, j, _ = req("POST", "/v1/outputs", {"id": "conc-%d-%02d" % (w, i), "title": "并发写入 %d %d" % (w, i),
                                                "org": "conc-org"}, ADMIN)
        if st == 201:
            results.append(j["seq"])
        else:
            errors.append((st, "POST", (j or {}).get("detail")))


def reader():
    for i in range(40):
        st, j, _ = req("GET", "/v1/outputs?org=conc-org&limit=100", key=K["res"])
        if st != 200:
            errors.append((st, "list", (j or {}).get("detail")))
        st, j, _ = req("GET", "/v1/search?q=" + q("并发写入") + "&limit=5", key=K["res"])
        if st != 200:
            errors.append((st, "search", (j or {}).get("detail")))


ths = [threading.Thread(target=writer, args=(w,)) for w in range(8)] + [threading.Thread(target=reader) for _ in range(3)]
for t in ths:
    t.start()
for t in ths:
    t.join()
ids = []
cursor = None
while True:
    st, j, _ = req("GET", "/v1/outputs?org=conc-org&limit=100" + ("&cursor=" + q(cursor) if cursor else ""), key=ADMIN)
    ids += [x["id"] for x in j["items"]]
    cursor = j["next_cursor"]
    if not cursor:
        break
ok(not errors and len(results) == 200 and len(set(results)) == 200, "200 concurrent writes acknowledged with distinct seqs (errors %s)" % errors[:5])
ok(len(ids) == 200 and len(set(ids)) == 200, "all 200 stored once (%d)" % len(ids))
st, j, _ = req("GET", "/v1/search?q=" + q("并发写入") + "&limit=100&min_seq=%d" % max(results), key=ADMIN)
ok(st == 200 and len(j["hits"]) == 100, "and all indexed (min_seq of the last)")

# ---- metrics -------------------------------------------------------------------------------
st, _, data = req("GET", "/metrics")
text = data.decode()
ok(st == 200 and 'jiebang_http_requests_total{route="/v1/orgs",status="200"}' in text
   and "jiebang_http_request_duration_seconds_bucket" in text and "jiebang_index_lag_changes" in text
   and "jiebang_outbox_length" in text, "metrics: requests by route and status, latency, index lag, outbox")

# ---- graceful shutdown with requests in flight -------------------------------------------
# SIGTERM with two requests open, neither left to chance: a slow match sent whole (the server has
# it when /metrics counts it beside the /metrics request itself) is answered; a write whose body
# is half sent is answered 503 (shutting down) once the rest arrives, and stores nothing
def in_flight():
    return metric(S, "jiebang_http_requests_in_flight") or 0


def read_answer(sk):
    got = b""
    while True:
        chunk = sk.recv(65536)
        if not chunk:
            return got
        got += chunk


body = json.dumps({"title": "停机时写入的成果", "kind": "paper", "org": "sh-ic-univ"}, ensure_ascii=False).encode()
half = socket.create_connection((S.host, S.port), timeout=30)
half.sendall(b"PUT /v1/outputs/in-flight HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " +
             ADMIN.encode() + b"\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) +
             body[:10])
t0 = time.monotonic()
while in_flight() < 2 and time.monotonic() - t0 < 20:
    time.sleep(0.02)
slow = socket.create_connection((S.host, S.port), timeout=30)
slow.sendall(b"GET /v1/challenges/ch-001/matches?limit=100&reciprocal=true&kind=org HTTP/1.1\r\nHost: x\r\n"
             b"Connection: close\r\nAuthorization: Bearer " + ADMIN.encode() + b"\r\n\r\n")
seen = 0  # 3 with the /metrics request; the match may also be answered before it is seen
while seen < 3 and not select.select([slow], [], [], 0)[0] and time.monotonic() - t0 < 20:
    seen = in_flight()
ok(seen >= 2, "both requests reached the server before SIGTERM (%d in flight)" % seen)
S.p.send_signal(signal.SIGTERM)
got = read_answer(slow)
slow.close()
ok(got.startswith(b"HTTP/1.1 200") and got.rstrip().endswith(b"}"), "the request in flight was answered whole (%r)" % got[:40])
half.sendall(body[10:])
got = read_answer(half)
half.close()
ok(got.startswith(b"HTTP/1.1 503") and b"application/problem+json" in got and b"shutting down" in got,
   "the half-sent write: a 503 problem, shutting down (%r)" % got[-200:])
code = S.p.wait(30)
ok(code == 0, "SIGTERM: exit 0 (%s)" % code)
ok(cli("get", "output", "in-flight", "--data", D, check=False).returncode != 0, "the refused write stored nothing")
log = open(os.path.join(WORK, "server.log")).read()
ok('"event":"stopped"' in log, "the server logged its stop")
ok(ADMIN not in log and K["ent"] not in log, "keys never reach the log")
ok(re.search(r'"method":"GET","route":"/v1/orgs","status":200,"bytes":\d+,"ms":[0-9.]+,"key":"k[0-9a-f]{16}"', log) is not None,
   "one structured line per request")
ok(cli("verify", "--data", D, check=False).returncode == 0, "store and index agree after the stop")
# start-up failures: one line, non-zero exit
S2 = Server(D)
r = subprocess.run([JIEBANG, "serve", "--data", os.path.join(WORK, "other"), "--listen", "%s:%d" % (S2.host, S2.port)],
                   capture_output=True, text=True, timeout=30)
ok(r.returncode != 0 and "cannot listen" in r.stderr and r.stderr.count("\n") == 1, "port taken: one line (%r)" % r.stderr)
try:
    ev = json.loads(r.stderr)
except ValueError:
    ev = {}
ok(ev.get("event") == "start_failed" and "cannot listen" in ev.get("message", "") and ev.get("t", "").endswith("Z"),
   "the start-up failure is one JSON event, as every other log line (%r)" % r.stderr)
r = subprocess.run([JIEBANG, "serve", "--data", D, "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=30)
ok(r.returncode != 0 and r.stderr.count("\n") == 1 and ("lock" in r.stderr.lower() or "another jiebang" in r.stderr), "index locked: one line (%r)" % r.stderr)
S2.stop()
os.makedirs(os.path.join(WORK, "ro"), exist_ok=True)
os.chmod(os.path.join(WORK, "ro"), 0o555)
if os.geteuid() != 0:
    r = subprocess.run([JIEBANG, "serve", "--data", os.path.join(WORK, "ro", "d"), "--listen", "127.0.0.1:0"],
                       capture_output=True, text=True, timeout=30)
    ok(r.returncode != 0 and r.stderr.count("\n") == 1, "data dir unwritable: one line (%r)" % r.stderr)
r = subprocess.run([JIEBANG, "serve", "--data", "/proc/jiebang-nope", "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=30)
ok(r.returncode != 0 and r.stderr.count("\n") == 1, "data dir cannot be made: one line (%r)" % r.stderr)

# connection limits and the idle timeout, from the configuration file
conf = os.path.join(WORK, "limits.conf")
with open(conf, "w") as f:
    f.write("# test limits\nlimits.connections_per_ip = 3\nlimits.idle_seconds = 1\nlog = 0\n")
S = Server(D, ["--config", conf])
socks = [socket.create_connection((S.host, S.port), timeout=5) for _ in range(3)]
for sk in socks:
    sk.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    ok(sk.recv(4096).startswith(b"HTTP/1.1 200"), "connection within the per-IP limit is served")
extra = socket.create_connection((S.host, S.port), timeout=5)
try:
    extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    got = extra.recv(4096)
except (ConnectionResetError, BrokenPipeError):
    got = b""
ok(got == b"", "a 4th connection from the same address is closed (limits.connections_per_ip = 3)")
extra.close()
time.sleep(2.5)
closed = 0
for sk in socks:
    try:
        closed += sk.recv(4096) == b""
    except (ConnectionResetError, socket.timeout):
        closed += 1
    sk.close()
ok(closed == 3, "idle connections are closed after limits.idle_seconds (%d/3)" % closed)
ok(S.stop() == 0, "second server stops cleanly")
# bad configuration: one line naming FILE:LINE
with open(conf, "w") as f:
    f.write("log = 0\nlimits.body_bytes = lots\n")
r = subprocess.run([JIEBANG, "serve", "--data", D, "--config", conf], capture_output=True, text=True, timeout=30)
ok(r.returncode == 1 and "limits.conf:2: limits.body_bytes must be a whole number" in r.stderr, "bad config value (%r)" % r.stderr)
with open(conf, "w") as f:
    f.write("colour = blue\n")
r = subprocess.run([JIEBANG, "serve", "--data", D, "--config", conf], capture_output=True, text=True, timeout=30)
ok(r.returncode == 1 and "limits.conf:1: unknown key 'colour'" in r.stderr, "unknown config key (%r)" % r.stderr)

sys.exit(jbtest.finish())
