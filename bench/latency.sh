#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/latency.sh: match latency at 10k and 100k synthetic outputs, one core.
#   cd build && JB_SHARED=../../shared sh ../bench/latency.sh [SIZES]
# JB_ENGLISH=1: the world's 200 challenges become the 35 English needs of
# bench/quality/english.tsv (gc-i is need i mod 35: its title and description,
# tagged lang "en"), so that every match is translated (docs/matching.md §7).
# JB_KEEP=DIR keeps the worlds and data directories there.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
JIEBANG=${JIEBANG:-./jiebang}
BENCH=${BENCH:-./bench/bench_latency}
JB_SHARED=${JB_SHARED:-$here/../shared}
[ -r "$JB_SHARED/data/csl/papers.jsonl" ] || { echo "latency: CSL data not found" >&2; exit 77; }
if [ -n "${JB_KEEP:-}" ]; then
  work=$JB_KEEP
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
for n in ${1:-10000 100000}; do
  python3 "$here/bench/gen_world.py" "$JB_SHARED/data/csl" "$n" > "$work/w$n.jsonl"
  if [ -n "${JB_ENGLISH:-}" ]; then
    python3 - "$here/bench/quality/english.tsv" "$work/w$n.jsonl" <<'PY'
import json, sys
needs = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")
         if l.strip() and not l.startswith("#")]
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for r in recs:
        if r["type"] == "challenge":
            _, title, desc, _ = needs[int(r["id"][3:]) % len(needs)]
            r.update(title=title, problem=desc, keywords=[], lang="en")
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
  fi
  rm -rf "$work/d$n"
  "$JIEBANG" import --quiet --batch 2000 --data "$work/d$n" "$work/w$n.jsonl"
  taskset -c 0 "$BENCH" "$work/d$n" 3 output "$work/w$n.jsonl"
  taskset -c 0 "$BENCH" "$work/d$n" 1 org
done
