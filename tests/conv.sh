# SPDX-License-Identifier: GPL-3.0-or-later
# Conventions of issue 14 part 3 over HTTP (tests/conv_test.py): ETags and
# conditional writes, merge patch, one pagination style, search filters,
# read-only commands beside serve, the data directory's modes.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if python3 "$JB_SRCDIR/tests/conv_test.py" "$JIEBANG" "$work"; then
  ok "conditional requests, merge patch, pagination, search filters, read-only beside serve, modes"
else
  fail "conventions (server log: $(tail -3 "$work/server.log" 2>/dev/null))"
fi
finish
