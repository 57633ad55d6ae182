# Replays the tokenizer fuzz corpus plus 3000 deterministic mutations.
. "$JB_SRCDIR/tests/lib.sh"
runs=3000
[ "${JB_VALGRIND:-}" = 1 ] && runs=200
if [ "${JB_VALGRIND:-}" = 1 ]; then
  CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "$JB_BUILDDIR/tests/fuzz/fuzz_tokenize" --random $runs "$JB_SRCDIR/tests/fuzz/corpus/tokenize"
else
  "$JB_BUILDDIR/tests/fuzz/fuzz_tokenize" --random $runs "$JB_SRCDIR/tests/fuzz/corpus/tokenize"
fi
