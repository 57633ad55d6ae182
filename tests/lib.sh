# SPDX-License-Identifier: GPL-3.0-or-later
# tests/lib.sh: helpers for the shell tests (sourced).
set -u
: "${JB_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${JB_BUILDDIR:=$PWD}"
: "${JIEBANG:=$JB_BUILDDIR/jiebang}"
: "${JB_SHARED:=$JB_SRCDIR/../shared}"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
# run the tool, under valgrind when make check was configured with it
jb() {
  if [ "${JB_VALGRIND:-}" = 1 ]; then
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$JIEBANG" "$@"
  else
    "$JIEBANG" "$@"
  fi
}
skip() { echo "SKIP: $*"; exit 77; }
finish() { if [ "$fails" -eq 0 ]; then exit 0; else echo "$fails check(s) failed"; exit 1; fi; }
# replay_fuzz NAME RUNS VG_RUNS: replays tests/fuzz/corpus/NAME through the
# fuzz target tests/fuzz/fuzz_NAME plus RUNS deterministic mutations (VG_RUNS
# under valgrind); its exit status is the target's
replay_fuzz() {
  if [ "${JB_VALGRIND:-}" = 1 ]; then
    CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      "$JB_BUILDDIR/tests/fuzz/fuzz_$1" --random "$3" "$JB_SRCDIR/tests/fuzz/corpus/$1"
  else
    "$JB_BUILDDIR/tests/fuzz/fuzz_$1" --random "$2" "$JB_SRCDIR/tests/fuzz/corpus/$1"
  fi
}
