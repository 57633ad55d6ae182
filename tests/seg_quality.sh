# SPDX-License-Identifier: GPL-3.0-or-later
# Segmentation quality floor on the SIGHAN 2005 test sets (../shared/data/icwb2).
# Measured: see docs/benchmarks.md. The floors sit just under the measured F1.
. "$JB_SRCDIR/tests/lib.sh"
[ -d "$JB_SHARED/data/icwb2/testing" ] || skip "SIGHAN data not found at $JB_SHARED/data/icwb2 (../shared absent)"
[ -r /usr/lib/python3/dist-packages/jieba/dict.txt ] || skip "python3-jieba's dict.txt not installed"
res=$(JIEBANG="$JIEBANG" JB_SHARED="$JB_SHARED" sh "$JB_SRCDIR/bench/segeval.sh" --no-peers) \
  || { fail "segeval failed"; finish; }
echo "$res"
floor() { # set min
  f=$(echo "$res" | awk -v s="$1" '$1 == s && $2 == "jiebang" {print $3}')
  if [ -z "$f" ]; then fail "$1: no score"; return; fi
  if awk -v f="$f" -v m="$2" 'BEGIN {exit !(f >= m)}'; then ok "$1 F1 $f >= $2"; else fail "$1 F1 $f < $2"; fi
}
floor pku 0.868
floor msr 0.868
floor cityu 0.826
floor as 0.842
finish
