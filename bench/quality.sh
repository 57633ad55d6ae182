#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
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
python3 "$here/bench/quality_longform.py" "$here/bench/quality/longform2.tsv" "$here/bench/quality/longform2_judgments.tsv" "$work/l2"
"$JIEBANG" import --quiet --data "$work/d" "$work/l2/needs.jsonl"
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
# the second long-form set: written and judged by a helper on 2026-12-07, after every weight but
# match.source_description was chosen (docs/benchmarks.md)
needs "long-form needs, set 2: bench/quality/longform2.tsv, longform2_judgments.tsv" "$work/l2"

# ---- the reverse direction: an output's and an org's open challenges ----------------------------
# The judgments above read the other way round (bench/quality_reverse.py): the whole needs become
# published challenges, each paper judged relevant to one is a query (jiebang match --output), and
# each need's grade-2 papers make an org with no profile (jiebang match --org: its evidence alone).
python3 "$here/bench/quality_reverse.py" "$work" "$work/rev"
"$JIEBANG" import --quiet --data "$work/rev/d" "$work/papers.jsonl"
"$JIEBANG" import --quiet --data "$work/rev/d" "$work/rev/world.jsonl"
"$JIEBANG" import --quiet --data "$work/rev/do" "$work/rev/papers.jsonl"
"$JIEBANG" import --quiet --data "$work/rev/do" "$work/rev/world.jsonl"
echo "== reverse: an output's open challenges (jiebang match --output)"
JB_REVERSE=output "$BENCH" "$work/rev/d" "$work/rev/needs.jsonl" "$work/rev/qrels.tsv"
echo "== reverse: an org's open challenges from its outputs alone (jiebang match --org)"
JB_REVERSE=org "$BENCH" "$work/rev/do" "$work/rev/needs.jsonl" "$work/rev/orgs.tsv"

# ---- cross-lingual sets (issue 15) ------------------------------------------------------------
# English needs (bench/quality/english.tsv, judged in english_judgments.tsv) against the Chinese
# CSL papers, and Chinese needs (zh2en_needs.tsv, zh2en_judgments.tsv) against English outputs
# written for them (zh2en_outputs.jsonl, in a data directory of their own so that the Chinese sets
# above never see them). Beside jiebang and the Xapian n-gram and FTS5 peers on the need's own text,
# the naive dictionary peer: bench/cedict_peer.py translates the need word by word with CC-CEDICT
# and the same two peers run on its output. CC-CEDICT comes from $JB_CEDICT, else the build's
# data/lexicon/cedict.u8; without it the dictionary peer is skipped with a notice.
JB_CEDICT=${JB_CEDICT:-./data/lexicon/cedict.u8}
[ -r "$JB_CEDICT" ] || echo "quality: no CC-CEDICT at $JB_CEDICT (set JB_CEDICT): dictionary peer skipped" >&2
# xl_form LABEL DIR DATA PAPERS DIRECTION FORM: one form (full or title) of a cross-lingual set
# (DIR/needs_qrels.tsv from quality_longform.py); DIRECTION (en2zh or zh2en) is the way the
# dictionary peer translates
xl_form() {
  echo "== $1 ($6 text)"
  python3 "$here/bench/quality_fts5.py" "$4" "$2/$6.tsv" > "$2/fts5.$6.run"
  if [ -r "$JB_CEDICT" ]; then
    python3 "$here/bench/cedict_peer.py" "--$5" "$JB_CEDICT" "$2/$6.tsv" > "$2/cedict.$6.tsv"
    mkdir -p "$2/cedict.$6"
    JB_RUNS="$2/cedict.$6" "$BENCH" "$3" "$4" "$2/cedict.$6.tsv" > /dev/null
    python3 "$here/bench/quality_fts5.py" "$4" "$2/cedict.$6.tsv" > "$2/cedict.$6.fts5.run"
    "$BENCH" "$3" "$4" "$2/$6.tsv" "$FTS=$2/fts5.$6.run" \
      "CEDICT naive + Xapian n-grams=$2/cedict.$6/xapian.run" "CEDICT naive + FTS5=$2/cedict.$6.fts5.run"
  else
    "$BENCH" "$3" "$4" "$2/$6.tsv" "$FTS=$2/fts5.$6.run"
  fi
}
xl_needs() {
  grep -v -- '-t	' "$2/needs_qrels.tsv" > "$2/full.tsv"
  grep -- '-t	' "$2/needs_qrels.tsv" > "$2/title.tsv"
  xl_form "$@" full
  xl_form "$@" title
}
# English needs -> Chinese papers: the papers again in a data directory of their own, so that the
# English needs change no statistic the Chinese sets above are ranked with
python3 "$here/bench/quality_longform.py" "$here/bench/quality/english.tsv" \
  "$here/bench/quality/english_judgments.tsv" "$work/en"
python3 "$here/bench/quality_xl.py" en "$work/en/needs.jsonl"
"$JIEBANG" import --quiet --data "$work/en/d" "$work/papers.jsonl"
"$JIEBANG" import --quiet --data "$work/en/d" "$work/en/needs.jsonl"
xl_needs "English needs -> Chinese papers: bench/quality/english.tsv, english_judgments.tsv" \
  "$work/en" "$work/en/d" "$work/papers.jsonl" en2zh
# Chinese needs -> English outputs
if [ -r "$here/bench/quality/zh2en_needs.tsv" ]; then
  python3 "$here/bench/quality_longform.py" "$here/bench/quality/zh2en_needs.tsv" \
    "$here/bench/quality/zh2en_judgments.tsv" "$work/zx"
  python3 "$here/bench/quality_xl.py" zh "$work/zx/needs.jsonl"
  "$JIEBANG" import --quiet --data "$work/zx/d" "$here/bench/quality/zh2en_outputs.jsonl"
  "$JIEBANG" import --quiet --data "$work/zx/d" "$work/zx/needs.jsonl"
  xl_needs "Chinese needs -> English outputs: bench/quality/zh2en_needs.tsv, zh2en_judgments.tsv" \
    "$work/zx" "$work/zx/d" "$here/bench/quality/zh2en_outputs.jsonl" zh2en
fi
