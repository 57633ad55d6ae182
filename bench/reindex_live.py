#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/reindex_live.py: the live reindex (POST /v1/admin/reindex) against
its peer, the offline `jiebang reindex`, on the same store; and what a client
sees meanwhile: a writer PUTting one record after another and a reader
GETting records, their latencies before and during the rebuild, and every
write made during it found by search afterwards.

    python3 bench/reindex_live.py JIEBANG DATA_DIR [ROUNDS]

DATA_DIR holds an imported store (bench/import_bench.sh's CSL set, say); it
is reindexed in place. Prints medians of ROUNDS (default 3) runs."""
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time

JIEBANG, D = sys.argv[1], sys.argv[2]
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 3


def offline():
    t0 = time.monotonic()
    subprocess.run([JIEBANG, "reindex", "--data", D], check=True, capture_output=True)
    return time.monotonic() - t0


def serve():
    p = subprocess.Popen([JIEBANG, "serve", "--data", D, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    m = re.search(r"http://([0-9.]+):(\d+)", p.stdout.readline())
    return p, m.group(1), int(m.group(2))


def call(host, port, method, path, key, body=None):
    c = http.client.HTTPConnection(host, port, timeout=120)
    h = {"Authorization": "Bearer " + key}
    data = None
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
        h["Content-Type"] = "application/json"
    t0 = time.monotonic()
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    raw = r.read()
    ms = (time.monotonic() - t0) * 1000
    c.close()
    return r.status, (json.loads(raw) if raw else None), ms


def live(key, rnd):
    p, host, port = serve()
    orgs = call(host, port, "GET", "/v1/orgs?limit=1", key)[1]["items"]
    org = orgs[0]["id"]
    ids = [x["id"] for x in call(host, port, "GET", "/v1/outputs?limit=50", key)[1]["items"]]
    lat = {"read": {"before": [], "during": []}, "write": {"before": [], "during": []}}
    phase, stop, written = ["before"], threading.Event(), []

    def reader():
        i = 0
        while not stop.is_set():
            st, _, ms = call(host, port, "GET", "/v1/outputs/" + ids[i % len(ids)], key)
            lat["read"][phase[0]].append(ms)
            i += 1

    def writer():
        i = 0
        while not stop.is_set():
            rid = "rx-%d-%d" % (rnd, i)
            st, j, ms = call(host, port, "PUT", "/v1/outputs/" + rid,
                             key, {"title": "重建期间 zqxbench%d 成果 %d" % (rnd, i), "org": org, "kind": "paper"})
            if st in (200, 201):
                lat["write"][phase[0]].append(ms)
                if phase[0] == "during":
                    written.append(rid)
            i += 1
            time.sleep(0.02)

    ts = [threading.Thread(target=reader), threading.Thread(target=writer)]
    for t in ts:
        t.start()
    time.sleep(2)
    phase[0] = "during"
    t0 = time.monotonic()
    st, j, _ = call(host, port, "POST", "/v1/admin/reindex", key)
    assert st == 202, (st, j)
    while True:
        st, j, _ = call(host, port, "GET", "/v1/admin/reindex", key)
        if j["state"] in ("done", "failed"):
            break
        time.sleep(0.05)
    dur = time.monotonic() - t0
    phase[0] = "after"
    lat["read"]["after"] = []
    lat["write"]["after"] = []
    stop.set()
    for t in ts:
        t.join()
    assert j["state"] == "done", j
    time.sleep(0.5)
    found, cur = set(), None
    for _ in range(100):
        st, sj, _ = call(host, port, "GET", "/v1/search?q=zqxbench%d&type=output&limit=100%s" % (
            rnd, "&cursor=" + cur if cur else ""), key)
        found |= {h["id"] for h in sj.get("hits", [])}
        cur = sj.get("next_cursor")
        if not cur:
            break
    p.terminate()
    p.wait(60)
    missing = [w for w in written if w not in found]
    return dur, j["records_total"], lat, len(written), len(missing)


key = subprocess.run([JIEBANG, "key", "create", "--role", "admin", "--data", D], check=True,
                     capture_output=True, text=True).stdout.strip()
res = []
for r in range(ROUNDS):
    off = offline()
    dur, n, lat, nw, miss = live(key, r)
    res.append((off, dur, n, lat, nw, miss))
    print("round %d: offline reindex %.2f s; live reindex %.2f s of %d records; %d writes during it, %d missing "
          "from search after; read p50 before %.1f ms during %.1f ms; write p50 before %.1f ms during %.1f ms" % (
              r, off, dur, n, nw, miss, statistics.median(lat["read"]["before"]),
              statistics.median(lat["read"]["during"]), statistics.median(lat["write"]["before"]),
              statistics.median(lat["write"]["during"])), flush=True)
med = lambda xs: statistics.median(xs)  # noqa: E731
print("median of %d: offline %.2f s, live %.2f s (ratio %.2f); writes during the live one %d, missing %d" % (
    ROUNDS, med([x[0] for x in res]), med([x[1] for x in res]), med([x[1] / x[0] for x in res]),
    med([x[4] for x in res]), max(x[5] for x in res)))
