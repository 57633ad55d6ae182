#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/quality_tw.sh: the Chinese needs sets written the way Taiwan writes them (OpenCC's
# s2twp: Traditional characters and Taiwan words — 晶片, 軟體, 演算法, 最佳化, 訊號), matched against
# the same mainland CSL papers, with the Xapian n-gram peer on the same Taiwan text.
#   cd build && JB_POOL=DIR JB_SHARED=../../shared sh ../bench/quality.sh   # prepares DIR
#   sh ../bench/quality_tw.sh DIR
# Needs the `opencc` command (Debian package opencc) for the conversion. JIEBANG and BENCH
# name another build's binaries (to compare with a build before locale/regional.c).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
JIEBANG=${JIEBANG:-./jiebang}
BENCH=${BENCH:-./bench/bench_quality}
pool=${1:?usage: quality_tw.sh POOL_DIR (from JB_POOL=DIR bench/quality.sh)}
command -v opencc >/dev/null || { echo "quality_tw: the opencc command is needed (apt-get install opencc)" >&2; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for s in "$pool" "$pool/ho" "$pool/lf" "$pool/l2"; do cat "$s/needs.jsonl"; done | opencc -c s2twp.json > "$work/needs.jsonl"
"$JIEBANG" import --quiet --data "$work/d" "$pool/papers.jsonl"
"$JIEBANG" import --quiet --data "$work/d" "$work/needs.jsonl"
for s in "tuned:$pool" "held-out:$pool/ho" "long-form:$pool/lf" "long-form 2:$pool/l2"; do
  for f in full title; do
    opencc -c s2twp.json -i "${s#*:}/$f.tsv" -o "$work/$f.tsv"
    echo "== ${s%%:*} needs in Taiwan's words ($f text)"
    "$BENCH" "$work/d" "$pool/papers.jsonl" "$work/$f.tsv"
  done
done
