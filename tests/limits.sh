# SPDX-License-Identifier: GPL-3.0-or-later
# The HTTP server's resource limits against a real server on loopback
# addresses (tests/limits_test.py): deadlines, connection limits, oversize
# heads, the expensive share, the per-key rate, the index writer's reopen.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
if timeout 150 python3 "$JB_SRCDIR/tests/limits_test.py" "$JIEBANG" "$JB_SRCDIR" "$work"; then
  ok "HTTP limits"
else
  fail "HTTP limits (server log: $(tail -5 "$work/server.log" 2>/dev/null))"
fi
finish
