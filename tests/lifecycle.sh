# SPDX-License-Identifier: GPL-3.0-or-later
# The 揭榜挂帅 lifecycle over HTTP (tests/lifecycle_test.py).
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if python3 "$JB_SRCDIR/tests/lifecycle_test.py" "$JIEBANG" "$work"; then
  ok "lifecycle, lint, duplicates, audit chain"
else
  fail "lifecycle (server log: $(tail -3 "$work/server.log" 2>/dev/null))"
fi
finish
