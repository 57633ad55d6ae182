#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/expensive_bench.py: GET-record and write latency while 64 clients
keep asking for reciprocal matches (docs/benchmarks.md, issue 12 item 11).

    python3 bench/expensive_bench.py JIEBANG [CONFIG_LINES...]

imports the demo world into a scratch directory, starts the server with the
given configuration lines (e.g. "workers = 4"), runs 64 match clients (16 per
loopback address) for 6 s and reads and writes from two other addresses."""
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import jbtest  # noqa: E402

jbtest.JIEBANG = sys.argv[1]
jbtest.WORK = tempfile.mkdtemp()
D = os.path.join(jbtest.WORK, "d")
jbtest.cli("import", "--quiet", "--demo", "--data", D)
KEY = jbtest.cli("key", "create", "--role", "admin", "--data", D).stdout.strip()
conf = os.path.join(jbtest.WORK, "conf")
with open(conf, "w") as f:
    f.write("log = 0\n" * (os.environ.get("JB_BENCH_LOG") is None) + "".join(l + "\n" for l in sys.argv[2:]))
S = jbtest.Server(D, ["--config", conf])
chs = [json.loads(l)["id"] for l in jbtest.cli("export", "--type", "challenge", "--data", D).stdout.splitlines()]


def req(method, path, body=None, src="127.0.0.1"):
    t = time.monotonic()
    c = http.client.HTTPConnection(S.host, S.port, timeout=120, source_address=(src, 0))
    h = {"Authorization": "Bearer " + KEY}
    if body is not None:
        h["Content-Type"] = "application/json"
        body = json.dumps(body).encode()
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    r.read()
    c.close()
    return r.status, time.monotonic() - t


stop = threading.Event()
stats = {}
lock = threading.Lock()


def match(i):
    while not stop.is_set():
        try:
            st, _ = req("GET", "/v1/challenges/%s/matches?reciprocal=true&limit=20" % chs[i % len(chs)],
                        src="127.0.1.%d" % (i % 4 + 1))
        except OSError:
            st = 0
        with lock:
            stats[st] = stats.get(st, 0) + 1
        if st == 429:
            time.sleep(0.05)


ts = [threading.Thread(target=match, args=(i,), daemon=True) for i in range(64)]
for t in ts:
    t.start()
time.sleep(1)
reads, writes = [], []
end = time.monotonic() + 6
i = 0
while time.monotonic() < end:
    st, dt = req("GET", "/v1/orgs/sz-chip-co", src="127.0.2.1")
    reads.append(dt * 1000)
    if i % 4 == 0:
        st, dt = req("PUT", "/v1/orgs/bench-%d" % i, {"name": "b %d" % i}, src="127.0.2.2")
        writes.append(dt * 1000)
    i += 1
stop.set()
for t in ts:
    t.join(120)
S.stop()
shutil.rmtree(jbtest.WORK, ignore_errors=True)
q = lambda v, p: sorted(v)[min(len(v) - 1, int(len(v) * p))]
print("matches by status %s; GET record p50 %.1f ms p99 %.1f ms (n=%d); write p50 %.1f ms p99 %.1f ms (n=%d)"
      % (dict(sorted(stats.items())), statistics.median(reads), q(reads, 0.99), len(reads),
         statistics.median(writes), q(writes, 0.99), len(writes)))
