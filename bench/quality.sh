#!/bin/sh
# bench/quality.sh: the automatic keyword task of the matching quality
# benchmark (a CSL author keyword as the need; the papers listing it are the
# relevant ones), for jiebang and its peers in the same run.
#   cd build && JB_SHARED=../../shared sh ../bench/quality.sh
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
JIEBANG=${JIEBANG:-./jiebang}
BENCH=${BENCH:-./bench/bench_quality}
JB_SHARED=${JB_SHARED:-$here/../shared}
[ -r "$JB_SHARED/data/csl/papers.jsonl" ] || { echo "quality: CSL data not found" >&2; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/bench/quality_prep.py" "$JB_SHARED/data/csl" "$work"
"$JIEBANG" import --quiet --data "$work/d" "$work/papers.jsonl"
"$JIEBANG" import --quiet --data "$work/d" "$work/challenges.jsonl"
python3 "$here/bench/quality_fts5.py" "$work/papers.jsonl" "$work/qrels.tsv" > "$work/fts5.run"
"$BENCH" "$work/d" "$work/papers.jsonl" "$work/qrels.tsv" "SQLite FTS5 trigram (+LIKE for <3 chars)=$work/fts5.run"
