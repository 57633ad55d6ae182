# SPDX-License-Identifier: GPL-3.0-or-later
# GET /v1/me/applications over HTTP (tests/my_apps_test.py): each key's own
# applications across challenges, with their states, cursor-paginated.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if python3 "$JB_SRCDIR/tests/my_apps_test.py" "$JIEBANG" "$work"; then
  ok "my applications: own only, across challenges, states, paging, refusals"
else
  fail "my applications (server log: $(tail -3 "$work/server.log" 2>/dev/null))"
fi
finish
