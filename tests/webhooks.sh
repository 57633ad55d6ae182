# SPDX-License-Identifier: GPL-3.0-or-later
# Webhooks end to end (tests/webhooks_test.py): subscriptions and their
# roles, a receiver on loopback that fails, times out and succeeds, kill -9
# during deliveries, every event exactly once after deduplication, signatures,
# forbidden targets.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if python3 "$JB_SRCDIR/tests/webhooks_test.py" "$JIEBANG" "$work"; then
  ok "webhooks: roles, validation, retries, kill -9, exactly once after dedup, signatures, SSRF guard"
else
  fail "webhooks (server log: $(tail -5 "$work/server.log" 2>/dev/null))"
fi
finish
