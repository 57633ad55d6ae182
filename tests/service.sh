# SPDX-License-Identifier: GPL-3.0-or-later
# sd_notify readiness, the watchdog, SIGHUP and the JSON events of jiebang
# serve (tests/service_test.py), against a notify socket of the test's own.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$JB_SRCDIR/tests/service_test.py" "$JIEBANG" "$JB_SRCDIR" "$work"
rc=$?
[ $rc = 77 ] && skip "built without libsystemd"
if [ $rc = 0 ]; then ok "service protocol"; else fail "service protocol (log: $(tail -5 "$work/server.log" 2>/dev/null))"; fi
finish
