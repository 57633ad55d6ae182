# SPDX-License-Identifier: GPL-3.0-or-later
# The HTTP API's conventions against a real server on loopback
# (tests/conventions_test.py): RFC 9457 problem details on every error class,
# X-Request-Id, messages in the language asked for, strict query
# parameters, /metrics.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if timeout 170 python3 "$JB_SRCDIR/tests/conventions_test.py" "$JIEBANG" "$work"; then
  ok "API conventions"
else
  fail "API conventions (server log: $(tail -3 "$work/server.log" 2>/dev/null))"
fi
finish
