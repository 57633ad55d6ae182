# SPDX-License-Identifier: GPL-3.0-or-later
# The engine's messages (validation, lint, transitions, applications, keys,
# the store's refusals) in the language asked for, with their codes, against
# a real server on loopback (tests/messages_test.py).
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if timeout 170 python3 "$JB_SRCDIR/tests/messages_test.py" "$JIEBANG" "$work"; then
  ok "engine messages in English and Chinese"
else
  fail "engine messages in English and Chinese (server log: $(tail -3 "$work/server.log" 2>/dev/null))"
fi
finish
