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
# JB_POOL=DIR keeps every run file there (for bench/quality_pool.py: extending the judgments)
if [ -n "${JB_POOL:-}" ]; then
  work=$JB_POOL
  rm -rf "$work" && mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
python3 "$here/bench/quality_prep.py" "$JB_SHARED/data/csl" "$work"
python3 "$here/bench/quality_needs.py" "$here/bench/quality/needs.tsv" "$here/bench/quality/judgments.tsv" "$work"
"$JIEBANG" import --quiet --data "$work/d" "$work/papers.jsonl"
"$JIEBANG" import --quiet --data "$work/d" "$work/challenges.jsonl"
"$JIEBANG" import --quiet --data "$work/d" "$work/needs.jsonl"
python3 "$here/bench/quality_needs.py" "$here/bench/quality/heldout.tsv" "$here/bench/quality/heldout_judgments.tsv" "$work/ho"
"$JIEBANG" import --quiet --data "$work/d" "$work/ho/needs.jsonl"
python3 "$here/bench/quality_longform.py" "$here/bench/quality/longform.tsv" "$here/bench/quality/longform_judgments.tsv" "$work/lf"
"$JIEBANG" import --quiet --data "$work/d" "$work/lf/needs.jsonl"
FTS="SQLite FTS5 trigram (+LIKE for <3 chars)"
echo "== keyword task (author keyword -> papers listing it)"
python3 "$here/bench/quality_fts5.py" "$work/papers.jsonl" "$work/qrels.tsv" > "$work/fts5.run"
"$BENCH" "$work/d" "$work/papers.jsonl" "$work/qrels.tsv" "$FTS=$work/fts5.run"
# needs LABEL DIR: a needs set (DIR/needs_qrels.tsv from quality_needs.py), whole and title alone
needs() {
  grep -v -- '-t	' "$2/needs_qrels.tsv" > "$2/full.tsv"
  grep -- '-t	' "$2/needs_qrels.tsv" > "$2/title.tsv"
  echo "== $1 (full text)"
  python3 "$here/bench/quality_fts5.py" "$work/papers.jsonl" "$2/full.tsv" > "$2/fts5.full.run"
  mkdir -p "$2/rf" "$2/rt"
  JB_RUNS="$2/rf" "$BENCH" "$work/d" "$work/papers.jsonl" "$2/full.tsv" "$FTS=$2/fts5.full.run"
  # the title alone, and with the suggested terms a simulated user accepts (bench/suggest_sim.py)
  echo "== $1 (title text)"
  python3 "$here/bench/quality_fts5.py" "$work/papers.jsonl" "$2/title.tsv" > "$2/fts5.title.run"
  python3 "$here/bench/suggest_sim.py" "$JIEBANG" "$work/d" "$2/needs_qrels.tsv" "$2/suggest.run"
  JB_RUNS="$2/rt" "$BENCH" "$work/d" "$work/papers.jsonl" "$2/title.tsv" "$FTS=$2/fts5.title.run" \
    "jiebang title + accepted suggestions=$2/suggest.run"
}
needs "labelled needs: bench/quality/needs.tsv, judgments.tsv" "$work"
# the held-out needs: written and judged after every weight was chosen
needs "held-out needs: bench/quality/heldout.tsv, heldout_judgments.tsv" "$work/ho"
# the long-form needs: title + a 130-360 character description in an enterprise's words
needs "long-form needs: bench/quality/longform.tsv, longform_judgments.tsv" "$work/lf"
