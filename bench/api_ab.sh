#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/api_ab.sh: two jiebang binaries side by side on the demo world —
# /healthz and GET one record, wrk -t1 -c8 4 s each, the two servers taking
# turns ROUNDS times (servers on core 0, wrk on core 1), so that both meet
# the same machine. Prints "PATH A|B req/s..." per line; quote medians.
#   OLD=/path/to/old/jiebang NEW=./jiebang sh ../bench/api_ab.sh [ROUNDS]
set -eu
OLD=${OLD:?set OLD to the baseline jiebang binary}
NEW=${NEW:-./jiebang}
rounds=${1:-5}
command -v wrk >/dev/null || { echo "api_ab: wrk is needed (apt-get install wrk)" >&2; exit 77; }
w=$(mktemp -d)
p1= p2=
trap 'kill $p1 $p2 2>/dev/null || true; rm -rf "$w"' EXIT
"$NEW" import --quiet --demo --data "$w/d"
key=$("$NEW" key create --role officer --data "$w/d" 2>/dev/null)
printf 'log = 0\n' > "$w/c"
cp -r "$w/d" "$w/d2"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pa=$(port); pb=$(port)
taskset -c 0 "$OLD" serve --data "$w/d" --listen "127.0.0.1:$pa" --config "$w/c" >/dev/null 2>&1 & p1=$!
taskset -c 0 "$NEW" serve --data "$w/d2" --listen "127.0.0.1:$pb" --config "$w/c" >/dev/null 2>&1 & p2=$!
sleep 3
for path in /healthz /v1/challenges/ch-001; do
  a="" b=""
  for i in $(seq "$rounds"); do
    a="$a $(taskset -c 1 wrk -t1 -c8 -d4s -H "Authorization: Bearer $key" "http://127.0.0.1:$pa$path" | awk '/Requests\/sec/ {print $2}')"
    b="$b $(taskset -c 1 wrk -t1 -c8 -d4s -H "Authorization: Bearer $key" "http://127.0.0.1:$pb$path" | awk '/Requests\/sec/ {print $2}')"
  done
  echo "$path OLD$a"
  echo "$path NEW$b"
done
