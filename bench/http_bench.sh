#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/http_bench.sh: wrk against jiebang serve on the 10k CSL records
# (/healthz, GET one record, search, match) and, in the same run, against a
# bare libmicrohttpd hello-world in the same mode (bench/hello_mhd), both as
# jiebang answers (keep-alive) and as libmicrohttpd's tutorial does (on the
# first call, which makes libmicrohttpd close each connection). The
# servers run on core 0, wrk on core 1.
#   cd build && JB_SHARED=../../shared sh ../bench/http_bench.sh [SECONDS]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
JIEBANG=${JIEBANG:-./jiebang}
HELLO=${HELLO:-./bench/hello_mhd}
JB_SHARED=${JB_SHARED:-$here/../shared}
secs=${1:-10}
command -v wrk >/dev/null || { echo "http_bench: wrk is needed (apt-get install wrk)" >&2; exit 77; }
[ -r "$JB_SHARED/data/csl/papers.jsonl" ] || { echo "http_bench: CSL data not found" >&2; exit 77; }
work=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null || true; done; rm -rf "$work"' EXIT
python3 "$here/bench/csl2jsonl.py" "$JB_SHARED/data/csl" > "$work/csl.jsonl"
"$JIEBANG" import --quiet --data "$work/d" "$work/csl.jsonl"
python3 - "$work/csl.jsonl" > "$work/ch.jsonl" <<'PY'
import json, sys
first = next(r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "output")
print(json.dumps({"type": "challenge", "id": "bench-ch", "title": first["title"], "status": "published"}, ensure_ascii=False))
PY
"$JIEBANG" import --quiet --data "$work/d" "$work/ch.jsonl"
id=$(grep -m1 '"type": "output"' "$work/csl.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
key=$("$JIEBANG" key create --role officer --data "$work/d" 2>/dev/null)
printf 'log = 0\n' > "$work/serve.conf"
taskset -c 0 "$JIEBANG" serve --data "$work/d" --listen 127.0.0.1:0 --config "$work/serve.conf" > "$work/serve.out" 2>"$work/serve.err" &
pids="$pids $!"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
taskset -c 0 "$HELLO" "$port" > "$work/hello.out" &
pids="$pids $!"
port2=$((port + 1))
taskset -c 0 "$HELLO" "$port2" --first-call > "$work/hello2.out" &
pids="$pids $!"
for i in $(seq 50); do grep -q listening "$work/serve.out" "$work/hello.out" 2>/dev/null && [ -s "$work/hello.out" ] && [ -s "$work/serve.out" ] && break; sleep 0.1; done
addr=$(sed -n 's|.*http://||p' "$work/serve.out")
run() { # name url [auth]
  if [ -n "${3:-}" ]; then
    taskset -c 1 wrk -t1 -c32 -d"${secs}s" --latency -H "Authorization: Bearer $key" "$2" > "$work/wrk.out"
  else
    taskset -c 1 wrk -t1 -c32 -d"${secs}s" --latency "$2" > "$work/wrk.out"
  fi
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.out")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk.out")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.out")
  printf '%-44s %10s req/s  p50 %8s  p99 %8s  %s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:+non-2xx: $non2xx}"
  echo "$rps" > "$work/last"
}
q=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("碳化硅 功率模块"))')
echo "wrk -t1 -c32 -d${secs}s; servers on core 0, wrk on core 1"
# the ratios: three interleaved rounds of the peer, /healthz and GET record, medians
: > "$work/rounds"
for round in 1 2 3; do
  run "round $round: hello-world, keep-alive (peer)" "http://127.0.0.1:$port/"; h=$(cat "$work/last")
  run "round $round: jiebang GET /healthz" "http://$addr/healthz"; hz=$(cat "$work/last")
  run "round $round: jiebang GET /v1/outputs/{id}" "http://$addr/v1/outputs/$id" auth; rc=$(cat "$work/last")
  echo "$h $hz $rc" >> "$work/rounds"
done
run "bare MHD hello-world, tutorial style (peer)" "http://127.0.0.1:$port2/"; hello2=$(cat "$work/last")
run "jiebang GET /v1/search?q=..." "http://$addr/v1/search?q=$q" auth
run "jiebang GET /v1/challenges/{id}/matches" "http://$addr/v1/challenges/bench-ch/matches" auth
python3 - "$work/rounds" "$hello2" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
h, hz, rc = (statistics.median(c) for c in zip(*rows))
t = float(sys.argv[2])
print("medians of 3: hello-world %.0f, /healthz %.0f, GET record %.0f req/s" % (h, hz, rc))
print("vs keep-alive hello-world: healthz %.0f %%, GET record %.0f %% (rounds: %s)" % (
    100 * hz / h, 100 * rc / h, ", ".join("%.0f/%.0f" % (100 * r[1] / r[0], 100 * r[2] / r[0]) for r in rows)))
print("vs tutorial-style hello-world (a connection per request): healthz %.0f %%, GET record %.0f %%" % (100 * hz / t, 100 * rc / t))
PY
