#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/reindex_live_test.py: POST /v1/admin/reindex over HTTP (run by
tests/reindex_live.sh). The server is started with JIEBANG_REINDEX_GATE
naming a file that does not exist yet: the rebuild then waits, built but not
switched, until the test creates it, so the writes and reads "during the
reindex" happen during it whatever the machine's speed. Checks: 202 and the
state resource; admin only; a second POST while one runs is a 409 problem;
reads and writes go on during it (a write made during it is found by search
right away and, after the switch, in the new index); the index directory
switches (DIR/index → a new index.N, the old one gone); a second reindex
afterwards works; a write during the second one, stopped by SIGTERM while it
waits, is kept and the old index stays current.

    python3 tests/reindex_live_test.py JIEBANG WORKDIR
"""
import http.client
import json
import os
import sys
import time

JIEBANG, WORK = sys.argv[1:3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest  # noqa: E402
from jbtest import Server, cli, is_problem, ok  # noqa: E402

jbtest.JIEBANG, jbtest.WORK = JIEBANG, WORK
D = os.path.join(WORK, "d")
GATE = os.path.join(WORK, "gate")
cli("import", "--quiet", "--demo", "--data", D)
K = {r: cli("key", "create", "--role", r, "--data", D, *(["--org", "sz-chip-co"] if r == "enterprise" else [])).stdout.strip()
     for r in ("admin", "officer", "enterprise")}
os.environ["JIEBANG_REINDEX_GATE"] = GATE
S = Server(D)


def req(method, path, body=None, key=None):
    c = http.client.HTTPConnection(S.host, S.port, timeout=60)
    h = {"Authorization": "Bearer " + key} if key else {}
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


def wait_state(want, limit=600, built=False):
    """polls GET /v1/admin/reindex until its state is want (and, with built, every record of
    the snapshot is indexed: the rebuild waits at the gate); bounded by a count, not a time"""
    j = None
    for _ in range(limit):
        st, j, _ct = req("GET", "/v1/admin/reindex", key=K["admin"])
        if st == 200 and j.get("state") == want and (
                not built or 0 < j.get("records_total", 0) == j.get("records_done")):
            return j
        time.sleep(0.1)
    return j


def found(word, key="admin", extra=""):
    st, j, _ = req("GET", "/v1/search?q=%s&limit=20%s" % (word, extra), key=K[key])
    ok(st == 200, "search %s: %s %s" % (word, st, str(j)[:200]))
    return [h["id"] for h in (j or {}).get("hits", [])]


st, j, ct = req("GET", "/v1/admin/reindex", key=K["admin"])
ok(st == 200 and j == {"state": "idle"}, "before any: idle (%s %s)" % (st, j))
for who in ("officer", "enterprise"):
    st, j, ct = req("POST", "/v1/admin/reindex", key=K[who])
    ok(st == 403 and is_problem(j, 403, ct), "POST by %s: 403 (%s)" % (who, st))
    st, j, ct = req("GET", "/v1/admin/reindex", key=K[who])
    ok(st == 403, "GET by %s: 403 (%s)" % (who, st))
st, j, ct = req("POST", "/v1/admin/reindex?x=1", key=K["admin"])
ok(st == 400 and is_problem(j, 400, ct), "an unknown parameter: 400 (%s)" % st)

before = os.readlink(os.path.join(D, "index"))
st, j, ct = req("POST", "/v1/admin/reindex", key=K["admin"])
ok(st == 202 and j.get("state") == "running" and j.get("index", "").startswith("index.")
   and j["index"] != before and j.get("finished_at") is None and j.get("started_at", "").endswith("Z"),
   "POST: 202, running, towards a new index directory (%s %s)" % (st, j))
target = (j or {}).get("index")
st, j2, ct = req("POST", "/v1/admin/reindex", key=K["admin"])
ok(st == 409 and is_problem(j2, 409, ct) and target in j2.get("detail", ""),
   "a second POST while one runs: 409 naming it (%s %s)" % (st, j2))
j = wait_state("running", built=True)
ok(j.get("state") == "running" and j.get("records_total", 0) > 10, "the state counts the records (%s)" % j)
# reads and writes while it runs
st, j, ct = req("GET", "/v1/orgs/sz-chip-co", key=K["officer"])
ok(st == 200, "a read during the reindex (%s)" % st)
st, j, ct = req("PUT", "/v1/outputs/rx-during", {"title": "重建期间写入 zqxreidx 成果", "org": "sh-ic-univ",
                                                   "kind": "paper"}, K["admin"])
ok(st in (200, 201) and j.get("seq", 0) > 0, "a write during the reindex (%s %s)" % (st, str(j)[:200]))
seq = (j or {}).get("seq", 0)
ok(found("zqxreidx", extra="&min_seq=%d" % seq) == ["rx-during"], "found at once in the current index")
ok(os.readlink(os.path.join(D, "index")) == before, "still the old index while the rebuild waits")
# let it switch
open(GATE, "w").close()
j = wait_state("done")
ok(j.get("state") == "done" and j.get("finished_at") and j.get("error") is None
   and j.get("records_done") == j.get("records_total"), "the reindex is done (%s)" % j)
now = os.readlink(os.path.join(D, "index"))
ok(now == target, "DIR/index points at the new directory (%s → %s)" % (before, now))
ok(not os.path.exists(os.path.join(D, before)), "the old index directory is removed")
ok(found("zqxreidx") == ["rx-during"], "the write made during the reindex is in the new index")
st, j, ct = req("PUT", "/v1/outputs/rx-after", {"title": "重建之后 zqxreidy 成果", "org": "sh-ic-univ",
                                                  "kind": "paper"}, K["admin"])
ok(found("zqxreidy", extra="&min_seq=%d" % (j or {}).get("seq", 0)) == ["rx-after"],
   "a write after the switch is indexed into the new index")
# the indexer catches up in its own time (a later change may still be in flight): poll
for _ in range(600):
    st, j, ct = req("GET", "/healthz")
    if st == 200 and j.get("index_lag") == 0:
        break
    time.sleep(0.05)
ok(st == 200 and j.get("status") == "ok" and j.get("index_lag") == 0, "healthz ok, no lag (%s)" % j)
st, j, ct = req("GET", "/v1/audit?action=reindex", key=K["admin"])
ok(st == 200 and [x["id"] for x in j.get("items", [])] == [target], "the reindex is audited (%s)" % str(j)[:300])

# a second one, stopped by SIGTERM while it waits: the old index stays, nothing is lost
os.unlink(GATE)
st, j, ct = req("POST", "/v1/admin/reindex", key=K["admin"])
ok(st == 202 and j.get("index") != target, "a second reindex starts (%s %s)" % (st, j))
second = (j or {}).get("index")
wait_state("running")
st, j, ct = req("PUT", "/v1/outputs/rx-stop", {"title": "停止前 zqxreidz 成果", "org": "sh-ic-univ",
                                                 "kind": "paper"}, K["admin"])
ok(st in (200, 201), "a write during the second reindex (%s)" % st)
ok(S.stop() == 0, "SIGTERM during a reindex: exit 0")
ok(os.readlink(os.path.join(D, "index")) == target and not os.path.exists(os.path.join(D, second or "x")),
   "the cancelled rebuild's directory is gone, the index stays (%s)" % os.listdir(D))
r = cli("search", "--data", D, "zqxreidz")
ok("rx-stop" in r.stdout, "the write made during the cancelled reindex is searchable after the stop")
r = cli("verify", "--data", D, check=False)
ok(r.returncode == 0, "verify is clean afterwards: %s" % r.stderr[-300:])
sys.exit(jbtest.finish())
