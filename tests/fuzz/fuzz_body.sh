# Replays the request-body fuzz corpus plus 5000 deterministic mutations.
. "$JB_SRCDIR/tests/lib.sh"
runs=5000
[ "${JB_VALGRIND:-}" = 1 ] && runs=300
if [ "${JB_VALGRIND:-}" = 1 ]; then
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "$JB_BUILDDIR/tests/fuzz/fuzz_body" --random $runs "$JB_SRCDIR/tests/fuzz/corpus/body"
else
  "$JB_BUILDDIR/tests/fuzz/fuzz_body" --random $runs "$JB_SRCDIR/tests/fuzz/corpus/body"
fi
