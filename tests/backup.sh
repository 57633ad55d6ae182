# SPDX-License-Identifier: GPL-3.0-or-later
# jiebang backup and restore (tests/backup_test.py): beside a writing server,
# a backup and a server killed half way, the last good backup restored and
# verified, the refusals.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if python3 "$JB_SRCDIR/tests/backup_test.py" "$JIEBANG" "$JB_SRCDIR" "$work"; then
  ok "backup and restore"
else
  fail "backup and restore (server log: $(tail -5 "$work/server.log" 2>/dev/null))"
fi
finish
