# SPDX-License-Identifier: GPL-3.0-or-later
# Ids over HTTP: every shape the id rule accepts is addressable on every
# route, every shape it refuses is a 400 that changes nothing, and records
# stored under the earlier rule (or refused by the index) neither wedge the
# indexer nor stay undeletable (tests/ids_test.py).
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if python3 "$JB_SRCDIR/tests/ids_test.py" "$JIEBANG" "$JB_SRCDIR" "$work"; then
  ok "ids over HTTP"
else
  fail "ids over HTTP (server log: $(tail -5 "$work/server.log" 2>/dev/null))"
fi
finish
