# SPDX-License-Identifier: GPL-3.0-or-later
# One version everywhere: `jiebang --version`, configure.ac's AC_INIT, the
# OpenAPI document's info.version, NEWS and debian/changelog; and the library
# versions it prints are those the build found (pkg-config), each line there.
. "$JB_SRCDIR/tests/lib.sh"
out=$(jb --version) || { fail "jiebang --version failed"; finish; }
v=$(printf '%s\n' "$out" | sed -n '1s/^jiebang //p')
ac=$(sed -n 's/^AC_INIT(\[jiebang\], \[\([^]]*\)\].*/\1/p' "$JB_SRCDIR/configure.ac")
[ -n "$v" ] && [ "$v" = "$ac" ] || fail "--version says '$v', configure.ac '$ac'"
api=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["info"]["version"])' "$JB_SRCDIR/data/openapi.json")
[ "$api" = "$ac" ] || fail "data/openapi.json info.version is '$api', the package $ac"
grep -q "^\* $ac\b" "$JB_SRCDIR/NEWS" || fail "NEWS has no entry '* $ac'"
deb=$(sed -n '1s/^jiebang (\([^)]*\)).*/\1/p' "$JB_SRCDIR/debian/changelog")
[ "${deb%%-*}" = "$ac" ] || fail "debian/changelog's version is '$deb', the package $ac"
line() { printf '%s\n' "$out" | sed -n "s/^$1 //p"; }
for pair in Xapian:xapian-core SQLite:sqlite3 libmicrohttpd:libmicrohttpd libuv:libuv ICU:icu-uc; do
  name=${pair%%:*} mod=${pair#*:}
  got=$(line "$name")
  [ -n "$got" ] || { fail "--version has no '$name' line"; continue; }
  if command -v pkg-config >/dev/null && want=$(pkg-config --modversion "$mod" 2>/dev/null); then
    [ "$got" = "$want" ] || fail "--version: $name $got, pkg-config $mod $want"
  fi
done
commit=$(line commit)
[ -n "$commit" ] || fail "--version has no commit line"
if git -C "$JB_SRCDIR" rev-parse HEAD >/dev/null 2>&1 && [ ! -f "$JB_SRCDIR/.commit" ]; then
  # the commit built from is the tree's or one before it (a commit made since
  # the last build moves HEAD on)
  git -C "$JB_SRCDIR" merge-base --is-ancestor "${commit%-dirty}" HEAD 2>/dev/null \
    || fail "--version names commit $commit, not in the history of $(git -C "$JB_SRCDIR" rev-parse HEAD)"
fi
[ $fails -eq 0 ] && ok "version $v everywhere ($(printf '%s\n' "$out" | tr '\n' ';'))"
finish
