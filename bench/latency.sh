#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/latency.sh: match latency at 10k and 100k synthetic outputs, one core.
#   cd build && JB_SHARED=../../shared sh ../bench/latency.sh [SIZES]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
JIEBANG=${JIEBANG:-./jiebang}
BENCH=${BENCH:-./bench/bench_latency}
JB_SHARED=${JB_SHARED:-$here/../shared}
[ -r "$JB_SHARED/data/csl/papers.jsonl" ] || { echo "latency: CSL data not found" >&2; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in ${1:-10000 100000}; do
  python3 "$here/bench/gen_world.py" "$JB_SHARED/data/csl" "$n" > "$work/w$n.jsonl"
  "$JIEBANG" import --quiet --batch 2000 --data "$work/d$n" "$work/w$n.jsonl"
  taskset -c 0 "$BENCH" "$work/d$n" 3 output "$work/w$n.jsonl"
  taskset -c 0 "$BENCH" "$work/d$n" 1 org
done
