# SPDX-License-Identifier: GPL-3.0-or-later
# Authorisation and lifecycle rules under attack (tests/security_test.py).
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if python3 "$JB_SRCDIR/tests/security_test.py" "$JIEBANG" "$work"; then
  ok "status, drafts, issuer, notes, deletes, conflicts, org kind, saved searches, units"
else
  fail "security (server log: $(tail -3 "$work/server.log" 2>/dev/null))"
fi
finish
