# SPDX-License-Identifier: GPL-3.0-or-later
# Every source and script file carries its licence line (build-aux/spdx adds
# it; this fails naming each file that lacks it). It fails on a tree where
# build-aux/spdx has not been run yet: run it, then commit.
. "$JB_SRCDIR/tests/lib.sh"
out=$("${PYTHON3:-python3}" "$JB_SRCDIR/build-aux/spdx" --check "$JB_SRCDIR") || {
  printf '%s\n' "$out" | head -40
  fail "$(printf '%s\n' "$out" | grep -c .) files lack the SPDX line: run build-aux/spdx"
}
# the script is idempotent and adds the line in the file's own comment form
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mkdir -p "$t/api" "$t/tests"
printf 'int x;\n' > "$t/api/a.c"
printf '#!/bin/sh\necho hi\n' > "$t/tests/b.sh"
printf 'echo plain\n' > "$t/tests/c.sh"
"${PYTHON3:-python3}" "$JB_SRCDIR/build-aux/spdx" "$t" >/dev/null || fail "spdx failed on a scratch tree"
cp -r "$t" "$t.again"; trap 'rm -rf "$t" "$t.again"' EXIT
"${PYTHON3:-python3}" "$JB_SRCDIR/build-aux/spdx" "$t.again" >/dev/null
diff -r "$t" "$t.again" >/dev/null || fail "a second run of build-aux/spdx changed files"
[ "$(head -1 "$t/api/a.c")" = "/* SPDX-License-Identifier: GPL-3.0-or-later */" ] || fail "C file: $(head -1 "$t/api/a.c")"
[ "$(sed -n 1p "$t/tests/b.sh")" = "#!/bin/sh" ] && [ "$(sed -n 2p "$t/tests/b.sh")" = "# SPDX-License-Identifier: GPL-3.0-or-later" ] || fail "shebang script: $(head -2 "$t/tests/b.sh")"
[ "$(head -1 "$t/tests/c.sh")" = "# SPDX-License-Identifier: GPL-3.0-or-later" ] || fail "shell file: $(head -1 "$t/tests/c.sh")"
"${PYTHON3:-python3}" "$JB_SRCDIR/build-aux/spdx" --check "$t" >/dev/null || fail "--check fails on a tree spdx just fixed"
[ $fails -eq 0 ] && ok "spdx"
finish
