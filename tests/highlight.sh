# SPDX-License-Identifier: GPL-3.0-or-later
# Search highlights through a real server (tests/highlight_test.py).
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
if python3 "$JB_SRCDIR/tests/highlight_test.py" "$JIEBANG" "$JB_SRCDIR" "$work"; then
  ok "search highlights"
else
  fail "search highlights (server log: $(tail -5 "$work/server.log" 2>/dev/null))"
fi
finish
