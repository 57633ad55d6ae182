#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/conventions_test.py: the HTTP API's conventions (run by
tests/conventions.sh; docs/api.md "Errors", "Request ids", "Languages").

  - every error class answers an RFC 9457 problem (application/problem+json:
    type, title, status, detail, code), validation errors with errors[] and
    the field path — routing, authentication, roles, parameters, bodies,
    records, conflicts, and the early refusals of the server (413, 414,
    415, 431, 429);
  - X-Request-Id: a sane client id is echoed (header and problem body) and
    logged; an insane one (too long, spaces, non-ASCII) or none gets ours,
    unique per request; every answer carries one.

    python3 tests/conventions_test.py JIEBANG WORKDIR
"""
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time

JIEBANG, WORK = sys.argv[1:3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest  # noqa: E402
from jbtest import Server, cli, ok  # noqa: E402

jbtest.JIEBANG, jbtest.WORK = JIEBANG, WORK

D = os.path.join(WORK, "d")
cli("import", "--quiet", "--demo", "--data", D)
ADMIN = cli("key", "create", "--role", "admin", "--data", D).stdout.strip()
ENT = cli("key", "create", "--role", "enterprise", "--org", "sz-chip-co", "--data", D).stdout.strip()
SWEEP = [cli("key", "create", "--role", "admin", "--data", D).stdout.strip() for _ in range(4)]
RES = cli("key", "create", "--role", "researcher", "--org", "sh-ic-univ", "--data", D).stdout.strip()
CONF = os.path.join(WORK, "serve.conf")
with open(CONF, "w") as f:
    f.write("limits.body_bytes = 2048\nlimits.url_bytes = 512\nlimits.header_bytes = 2048\n"
            "limits.key_requests_per_minute = 600\nlimits.key_burst = 40\n")
S = Server(D, ["--config", CONF])


def req(method, path, body=None, key=ADMIN, headers=None, ctype="application/json"):
    """(status, parsed body or None, headers dict with lower-case names)"""
    c = http.client.HTTPConnection(S.host, S.port, timeout=60)
    h = dict(headers or {})
    if key:
        h["Authorization"] = "Bearer " + key
    if body is not None:
        if not isinstance(body, (bytes, bytearray)):
            body = json.dumps(body, ensure_ascii=False).encode()
        if ctype:
            h["Content-Type"] = ctype
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    hd = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    try:
        j = json.loads(data) if data else None
    except ValueError:
        j = None
    return r.status, j, hd


def problem(name, status, resp, field=None):
    st, j, h = resp
    good = st == status and jbtest.is_problem(j, status, h.get("content-type", ""))
    good = good and j.get("request_id") == h.get("x-request-id")
    if field is not None:
        good = good and any(e.get("field") == field for e in j.get("errors", []))
    return ok(good, "%s: a %d problem%s (%s %s %s)" % (name, status, " naming %s" % field if field else "",
                                                       st, h.get("content-type"), j))


# ---- 1. problem details on every error class ---------------------------------------------
problem("no such path", 404, req("GET", "/v1/nothing"))
problem("bad path segment", 400, req("GET", "/v1/orgs/%ZZ"))
r = req("PUT", "/v1/search")
problem("method not allowed", 405, r)
ok(r[2].get("allow") == "GET", "405 keeps its Allow header (%s)" % r[2].get("allow"))
problem("no key", 401, req("GET", "/v1/orgs", key=None))
problem("unknown key", 401, req("GET", "/v1/orgs", key="jb_0123456789abcdefg_nope"))
problem("a role refusal", 403, req("GET", "/v1/audit", key=RES))
problem("an admin route", 403, req("POST", "/v1/keys", {"role": "admin"}, key=RES))
problem("unknown parameter", 400, req("GET", "/v1/orgs?colour=red"))
problem("a bad number", 400, req("GET", "/v1/orgs?limit=abc"))
problem("loop route parameters", 400, req("GET", "/metrics?x=1", key=None))
problem("no such record", 404, req("GET", "/v1/orgs/no-such-org"))
problem("not JSON", 400, req("POST", "/v1/orgs", b"{not json"))
problem("a field's validation", 400, req("POST", "/v1/orgs", {"id": "conv-1", "name": 5}), field="name")
problem("a missing field", 400, req("POST", "/v1/experts", {"id": "conv-e1", "name": "某人", "org": "no-such-org"}))
req("POST", "/v1/orgs", {"id": "conv-dup", "name": "重复"})
problem("a conflict", 409, req("POST", "/v1/orgs", {"id": "conv-dup", "name": "重复"}))
problem("unsupported media type", 415, req("POST", "/v1/orgs", {"id": "conv-2", "name": "x"}, ctype="text/plain"))
problem("body too large", 413, req("POST", "/v1/orgs", {"id": "conv-3", "name": "x" * 4000}))
problem("target too long", 414, req("GET", "/v1/orgs/" + "a" * 600))
problem("headers too large", 431, req("GET", "/v1/orgs", headers={"X-Pad": "p" * 3000}))
problem("a status change in PATCH", 400, req("PATCH", "/v1/challenges/ch-001", {"status": "closed"}), field="status")

# 429: the per-key rate (burst 40), counted per key
seen429 = None
for i in range(80):
    r = req("GET", "/v1/stats", key=RES)
    if r[0] == 429:
        seen429 = r
        break
ok(seen429 is not None and problem("over the key rate", 429, seen429) and "retry-after" in seen429[2],
   "the key rate answers a 429 problem with Retry-After")

# a publication the lint refuses lists the lint's errors, field by field
st, j, _ = req("POST", "/v1/challenges", {"id": "conv-thin", "title": "薄", "org": "sz-chip-co"}, key=ENT)
ok(st == 201, "a thin draft (%s %s)" % (st, j))
st, lint, _ = req("GET", "/v1/challenges/conv-thin/lint", key=ENT)
want = sorted(e["field"] for e in lint["errors"])
r = req("POST", "/v1/challenges/conv-thin/status", {"to": "published"}, key=ENT)
problem("publishing with lint errors", 400, r)
got = sorted(e["field"] for e in (r[1] or {}).get("errors", []))
ok(want and got == want, "the refusal lists the lint's errors (%s; lint %s)" % (got, want))

# ---- 5. unknown query parameters are a 400 on every route (from the route table) ----------------
nroutes = 0
for line in cli("serve", "--routes").stdout.splitlines():
    method, path = line.split()[:2]
    path = path.replace("{id}", "ch-001" if "/challenges/" in path else "x1").replace("{step}", "plan").replace("{file}", "app.js")
    st, j, h = req(method, path + "?bogus_param=1", body={} if method in ("POST", "PUT", "PATCH") else None,
                   key=SWEEP[nroutes % len(SWEEP)])  # keys in turn: each stays under its burst
    nroutes += 1
    ok(st == 400 and jbtest.is_problem(j, 400, h.get("content-type")) and "bogus_param" in j["detail"],
       "%s %s?bogus_param=1: 400 (%s %s)" % (method, path, st, j))
ok(nroutes > 40, "every route tried (%d)" % nroutes)
# a list takes the filters its records have
for path, st_want in (("/v1/orgs?status=published", 400), ("/v1/challenges?status=published", 200),
                      ("/v1/experts?kind=lab", 400), ("/v1/orgs?kind=lab", 200), ("/v1/outputs?region=31", 400),
                      ("/v1/challenges?region=31", 200), ("/v1/experts?field=ic", 200)):
    st, j, _ = req("GET", path)
    ok(st == st_want, "%s: %d (%s %s)" % (path, st_want, st, j if st >= 400 else ""))

# ---- 3. languages -------------------------------------------------------------------------
def lang_of(hdrs, path="/v1/orgs?colour=red"):
    st, j, _ = req("GET", path, headers=hdrs)
    return j

j = lang_of({"Accept-Language": "zh-CN"})
ok(j["title"] == "请求无效" and j["detail"] == "colour: 未知参数" and j["errors"][0]["field"] == "colour",
   "Accept-Language: zh-CN answers in Chinese (%s)" % j)
j = lang_of({})
ok(j["title"] == "Bad request" and j["detail"] == "colour: unknown parameter", "no Accept-Language: English (%s)" % j)
ok(lang_of({"Accept-Language": "en;q=0.5, zh;q=0.9"})["title"] == "请求无效", "q-values decide (zh 0.9 over en 0.5)")
ok(lang_of({"Accept-Language": "zh;q=0, en"})["title"] == "Bad request", "q=0 excludes zh")
ok(lang_of({"Accept-Language": "fr, zh-TW;q=0.3"})["title"] == "请求无效", "the best language we speak")
j = lang_of({"Accept-Language": "zh"}, "/v1/orgs/no-such-org")
ok(j["detail"] == "未找到 org 'no-such-org'" and j["title"] == "未找到", "a 404 in Chinese (%s)" % j)
j = req("GET", "/v1/orgs", key=None, headers={"Accept-Language": "zh"})[1]
ok(j["detail"].startswith("需要 API 密钥"), "a 401 in Chinese (%s)" % j)
j = req("POST", "/v1/orgs", {"id": "conv-4", "name": "x" * 4000}, headers={"Accept-Language": "zh"})[1]
ok(j["detail"] == "请求体超过 limits.body_bytes" and j["status"] == 413, "an early refusal in Chinese (%s)" % j)
r = req("DELETE", "/v1/search", headers={"Accept-Language": "zh"})
ok(r[1]["detail"] == "此处不允许 DELETE（允许：GET）", "a 405 in Chinese (%s)" % r[1])

# ---- 2. request ids ----------------------------------------------------------------------
st, j, h = req("GET", "/healthz", key=None, headers={"X-Request-Id": "client-id-42"})
ok(st == 200 and h.get("x-request-id") == "client-id-42", "a client's id is echoed on a 200 (%s)" % h.get("x-request-id"))
st, j, h = req("GET", "/v1/nothing", headers={"X-Request-Id": "trace:abc/123"})
ok(h.get("x-request-id") == "trace:abc/123" and j.get("request_id") == "trace:abc/123",
   "a client's id is echoed in a problem (%s)" % j)
ids = set()
for bad in (None, "x" * 129, "has space", "引号"):
    hd = {"X-Request-Id": bad} if bad is not None else {}
    try:
        st, j, h = req("GET", "/v1/stats", headers={k: v.encode("utf-8").decode("latin-1") for k, v in hd.items()})
    except Exception as e:  # noqa: BLE001
        ok(False, "request with id %r: %s" % (bad, e))
        continue
    rid = h.get("x-request-id", "")
    ok(st == 200 and rid and rid != bad and re.fullmatch(r"[\x21-\x7e]{1,128}", rid),
       "id %r is replaced by ours (%r)" % (bad, rid))
    ids.add(rid)
ok(len(ids) == 4, "our ids differ per request (%s)" % ids)
ok(any(req("GET", "/healthz", key=None)[2].get("x-request-id") for _ in range(1)), "every answer carries an id")
edge = "e" * 128
ok(req("GET", "/healthz", key=None, headers={"X-Request-Id": edge})[2].get("x-request-id") == edge,
   "128 characters are still the client's")
# ---- 4. /metrics --------------------------------------------------------------------------
def parse_exposition(text):
    """an independent reader of the Prometheus text format 0.0.4: families
    with HELP and TYPE before their samples; (families, samples) or raises"""
    fams, samples, typ = {}, [], None
    sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+]+|\+Inf|NaN)$')
    label = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            parts = line.split(" ", 3)
            fams.setdefault(parts[2], {})[parts[1]] = parts[3]
            continue
        m = sample.match(line)
        if not m:
            raise ValueError("bad line %r" % line)
        name, labels = m.group(1), {}
        rest = m.group(3) or ""
        while rest:
            lm = label.match(rest)
            if not lm:
                raise ValueError("bad labels %r" % line)
            labels[lm.group(1)] = lm.group(2)
            rest = rest[lm.end():]
        base = re.sub(r"_(bucket|sum|count)$", "", name) if name not in fams else name
        if base not in fams or "TYPE" not in fams[base] or "HELP" not in fams[base]:
            raise ValueError("sample before its HELP/TYPE: %r" % line)
        samples.append((name, labels, float(m.group(4))))
    return fams, samples


c = http.client.HTTPConnection(S.host, S.port, timeout=60)
c.request("GET", "/metrics")
mr = c.getresponse()
text = mr.read().decode()
c.close()
ok(mr.status == 200 and mr.getheader("Content-Type", "").startswith("text/plain; version=0.0.4"), "metrics served")
try:
    fams, samples = parse_exposition(text)
    ok(True, "the exposition parses")
except ValueError as e:
    fams, samples = {}, []
    ok(False, "the exposition parses: %s" % e)


def series(name, **want):
    return [(lb, v) for n, lb, v in samples if n == name and all(lb.get(k) == x for k, x in want.items())]


ok(series("jiebang_http_requests_total", route="unmatched", status="404"), "a path no route takes is 'unmatched'")
ok(series("jiebang_http_requests_total", route="refused", status="413") and
   series("jiebang_http_requests_total", route="refused", status="431"), "early refusals are 'refused'")
ok(not series("jiebang_http_requests_total", route="/healthz", status="404") and
   not series("jiebang_http_requests_total", route="/healthz", status="413"), "nothing refused is counted as /healthz")
routes = {lb["route"] for lb, _ in series("jiebang_http_requests_total")}
ok(all(r in ("unmatched", "refused") or r.startswith("/") for r in routes), "route labels are patterns (%s)" % routes)
ok(not any("no-such-org" in r or "conv-" in r for r in routes), "no ids in route labels")
keys = [(tuple(sorted(lb.items()))) for lb, _ in series("jiebang_http_requests_total")]
ok(len(keys) == len(set(keys)), "no series twice")
for rt in ("/v1/orgs", "/v1/orgs/{id}", "unmatched"):
    b = [(lb["le"], v) for lb, v in series("jiebang_http_request_duration_seconds_bucket", route=rt)]
    cnt = series("jiebang_http_request_duration_seconds_count", route=rt)
    vals = [v for _, v in b]
    ok(b and b[-1][0] == "+Inf" and vals == sorted(vals) and cnt and cnt[0][1] == vals[-1] and vals[-1] >= 1,
       "a latency histogram for %s (cumulative, +Inf = count) %s" % (rt, b[-2:]))
total = sum(v for _, v in series("jiebang_http_requests_total"))
hist = sum(v for _, v in series("jiebang_http_request_duration_seconds_count"))
ok(total == hist and total > 30, "every counted request is in a histogram (%s, %s)" % (total, hist))
bi = series("jiebang_build_info")
ok(len(bi) == 1 and bi[0][1] == 1 and re.fullmatch(r"\d+\.\d+\.\d+", bi[0][0].get("version", "")) and
   re.fullmatch(r"[0-9a-f]{7,40}(-dirty)?|unknown", bi[0][0].get("commit", "")), "jiebang_build_info %s" % bi)
rss = series("process_resident_memory_bytes")
fds = series("process_open_fds")
cpu = series("process_cpu_seconds_total")
start = series("process_start_time_seconds")
ok(rss and rss[0][1] > 1e6 and fds and 3 < fds[0][1] < 10000 and cpu and cpu[0][1] > 0 and start and
   abs(start[0][1] - time.time()) < 3600, "process metrics (%s %s %s %s)" % (rss, fds, cpu, start))
ok(fams.get("process_cpu_seconds_total", {}).get("TYPE") == "counter" and
   fams.get("jiebang_http_request_duration_seconds", {}).get("TYPE") == "histogram", "metric types")
promtool = shutil.which("promtool")
if promtool:
    p = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True)
    ok(p.returncode == 0 and not p.stdout.strip() and not p.stderr.strip(),
       "promtool check metrics is clean (%s %s)" % (p.stdout, p.stderr))
else:
    print("note: promtool not installed; the exposition was checked by this test's own reader")

# the log line of the request names its id
req("GET", "/v1/orgs/no-such-org", headers={"X-Request-Id": "log-me-7"})
S.stop()
log = open(os.path.join(WORK, "server.log"), encoding="utf-8", errors="replace").read().splitlines()
lines = [json.loads(x) for x in log if x.startswith("{")]
mine = [x for x in lines if x.get("request_id") == "log-me-7"]
ok(len(mine) == 1 and mine[0].get("status") == 404, "the access log names the request id (%s)" % mine)
ok(all("request_id" in x for x in lines if "route" in x), "every access log line has a request id")

# the default language from the config file; a client still gets English when it asks
with open(CONF, "a") as f:
    f.write("lang = zh\n")
S = Server(D, ["--config", CONF])
ok(lang_of({})["title"] == "请求无效", "lang = zh: Chinese by default")
ok(lang_of({"Accept-Language": "en-GB"})["detail"] == "colour: unknown parameter", "lang = zh: English when asked")
S.stop()
with open(os.path.join(WORK, "bad.conf"), "w") as f:
    f.write("lang = fr\n")
r = cli("serve", "--data", D, "--listen", "127.0.0.1:0", "--config", os.path.join(WORK, "bad.conf"), check=False)
ok(r.returncode == 1 and "bad.conf:1" in r.stderr and "lang" in r.stderr, "lang = fr is refused naming the line (%s)" % r.stderr)

sys.exit(jbtest.finish())
