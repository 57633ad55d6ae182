# SPDX-License-Identifier: GPL-3.0-or-later
# The live reindex over HTTP (tests/reindex_live_test.py): POST
# /v1/admin/reindex, its state, 409 while one runs, writes during it kept.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if python3 "$JB_SRCDIR/tests/reindex_live_test.py" "$JIEBANG" "$work"; then
  ok "live reindex: 202, state, 409, writes during it searchable after the switch, a cancelled one"
else
  fail "live reindex (server log: $(tail -5 "$work/server.log" 2>/dev/null))"
fi
finish
