#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/segeval.sh: word-segmentation quality on the SIGHAN 2005 bakeoff test
# sets, scored by the official scripts/score, with jieba (python3-jieba, with
# and without its HMM) and friso (when bench/friso_seg is built) on the same
# normalised text in the same run.
#
#   bench/segeval.sh [--sets "pku msr cityu as"] [--no-peers] [--out DIR]
#                    [--opts "jiebang tokenize options, e.g. --word-bonus 1"]
#
# Environment: JIEBANG (the binary, default ./jiebang), JB_SHARED (default
# ../shared next to the source tree). Prints one line per set and tool:
#   SET TOOL F1 RECALL PRECISION
# CityU and AS are Traditional Chinese: the input and the gold standard both go
# through `jiebang tokenize --normalize` (NFKC case folding, OpenCC t2s), so
# every tool sees the same text. No SIGHAN file is used as lexicon or training
# data; the training word lists only feed the scorer's OOV statistics.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
JIEBANG=${JIEBANG:-./jiebang}
JB_SHARED=${JB_SHARED:-$here/../shared}
FRISO_SEG=${FRISO_SEG:-$(dirname "$JIEBANG")/bench/friso_seg}
sets="pku msr cityu as"
peers=1
out=""
jbopts=""
while [ $# -gt 0 ]; do
  case $1 in
    --sets) sets=$2; shift 2 ;;
    --no-peers) peers=0; shift ;;
    --out) out=$2; shift 2 ;;
    --opts) jbopts=$2; shift 2 ;;
    *) echo "segeval: unknown option $1" >&2; exit 2 ;;
  esac
done
icwb=$JB_SHARED/data/icwb2
if [ ! -d "$icwb/testing" ]; then
  echo "segeval: $icwb is absent: SIGHAN data not available" >&2
  exit 77
fi
work=${out:-$(mktemp -d)}
mkdir -p "$work"
PERL=${PERL:-perl}
PY=/usr/bin/python3

score() { # words gold seg -> "F R P"
  "$PERL" "$icwb/scripts/score" "$1" "$2" "$3" 2>/dev/null | awk -F'\t' '
    /=== TOTAL TRUE WORDS RECALL/ {r=$2} /=== TOTAL TEST WORDS PRECISION/ {p=$2}
    /=== F MEASURE/ {f=$2} END {printf "%s %s %s\n", f, r, p}'
}

# jieba over normalised text, one output line per input line
cat > "$work/jieba_seg.py" <<'PYEOF'
import sys, jieba
jieba.setLogLevel(60)
hmm = sys.argv[1] == "hmm"
for line in sys.stdin:
    line = line.rstrip("\n")
    print(" ".join(w for w in jieba.cut(line, HMM=hmm) if w.strip()))
PYEOF

for s in $sets; do
  norm() { "$JIEBANG" tokenize --normalize; }
  norm < "$icwb/gold/${s}_test_gold.utf8" > "$work/$s.gold"
  norm < "$icwb/gold/${s}_training_words.utf8" > "$work/$s.words"
  norm < "$icwb/testing/${s}_test.utf8" > "$work/$s.input"
  # shellcheck disable=SC2086
  "$JIEBANG" tokenize --words $jbopts < "$icwb/testing/${s}_test.utf8" > "$work/$s.jiebang"
  echo "$s jiebang $(score "$work/$s.words" "$work/$s.gold" "$work/$s.jiebang")"
  if [ $peers = 1 ] && $PY -c 'import jieba' 2>/dev/null; then
    $PY "$work/jieba_seg.py" nohmm < "$work/$s.input" > "$work/$s.jieba"
    echo "$s jieba $(score "$work/$s.words" "$work/$s.gold" "$work/$s.jieba")"
    $PY "$work/jieba_seg.py" hmm < "$work/$s.input" > "$work/$s.jieba-hmm"
    echo "$s jieba-hmm $(score "$work/$s.words" "$work/$s.gold" "$work/$s.jieba-hmm")"
  fi
  if [ $peers = 1 ] && [ -n "$FRISO_SEG" ] && [ -x "$FRISO_SEG" ]; then
    "$FRISO_SEG" < "$work/$s.input" > "$work/$s.friso"
    echo "$s friso $(score "$work/$s.words" "$work/$s.gold" "$work/$s.friso")"
  fi
done
[ -n "$out" ] || rm -rf "$work"
