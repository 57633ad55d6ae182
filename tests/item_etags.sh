# SPDX-License-Identifier: GPL-3.0-or-later
# Lifecycle items' own entity tags over HTTP (tests/item_etags_test.py):
# applications, saved searches, scores and match reviews: If-Match / If-None-Match, 304 and 412.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if python3 "$JB_SRCDIR/tests/item_etags_test.py" "$JIEBANG" "$work"; then
  ok "applications, saved searches, scores and match reviews: own ETags, 304, 412 on a stale If-Match"
else
  fail "item ETags (server log: $(tail -3 "$work/server.log" 2>/dev/null))"
fi
finish
