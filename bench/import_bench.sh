#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/import_bench.sh: end-to-end import of the 10,000 CSL records.
# Prints records/s of `jiebang import` (validate, SQLite, outbox, index) and of
# `jiebang reindex` (indexing alone, from the store), bytes per record of the
# database and the index, and peak RSS of each. Exit 77 without the data.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
JIEBANG=${JIEBANG:-./jiebang}
JB_SHARED=${JB_SHARED:-$here/../shared}
[ -r "$JB_SHARED/data/csl/papers.jsonl" ] || { echo "import_bench: CSL data not found" >&2; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/bench/csl2jsonl.py" "$JB_SHARED/data/csl" > "$work/csl.jsonl"
n=$(grep -c '"type": "output"' "$work/csl.jsonl")
all=$(wc -l < "$work/csl.jsonl")
/usr/bin/time -f "%e %M" -o "$work/t1" "$JIEBANG" import --quiet --data "$work/d" "$work/csl.jsonl"
/usr/bin/time -f "%e %M" -o "$work/t2" "$JIEBANG" reindex --data "$work/d" 2>/dev/null
db=$(stat -c %s "$work/d/jiebang.db")
ix=$(du -sb "$work/d/$(readlink "$work/d/index")" | cut -f1)
read -r s1 m1 < "$work/t1"
read -r s2 m2 < "$work/t2"
printf 'records: %s (%s outputs), %.2f MB of JSONL\n' "$all" "$n" "$(awk -v b="$(stat -c %s "$work/csl.jsonl")" 'BEGIN{print b/1e6}')"
awk -v a="$all" -v s1="$s1" -v s2="$s2" -v m1="$m1" -v m2="$m2" -v db="$db" -v ix="$ix" 'BEGIN {
  printf "%-38s %8.0f records/s  %6.2f s  peak RSS %5.0f MB\n", "import end to end", a / s1, s1, m1 / 1024
  printf "%-38s %8.0f records/s  %6.2f s  peak RSS %5.0f MB\n", "indexing alone (reindex from store)", a / s2, s2, m2 / 1024
  printf "%-38s %8.0f bytes/record (%.1f MB)\n", "SQLite database", db / a, db / 1e6
  printf "%-38s %8.0f bytes/record (%.1f MB)\n", "Xapian index", ix / a, ix / 1e6
}'
