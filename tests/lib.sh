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
