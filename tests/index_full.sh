# SPDX-License-Identifier: GPL-3.0-or-later
# The index writer reopens after a full disk (tests/limits_test.py disk): a
# size-limited tmpfs under the index, filled, written to, freed. Needs the
# right to mount (root); skipped (77) without it.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
timeout 120 python3 "$JB_SRCDIR/tests/limits_test.py" "$JIEBANG" "$JB_SRCDIR" "$work" disk
rc=$?
[ $rc -eq 77 ] && exit 77
if [ $rc -eq 0 ]; then
  ok "index writer reopens after a full disk"
else
  fail "index writer reopen (server log: $(tail -5 "$work/server.log" 2>/dev/null))"
fi
finish
