# SPDX-License-Identifier: GPL-3.0-or-later
# The web console end to end in headless Chromium (tests/console/console_test.mjs):
# an enterprise, an officer and a researcher against a real `jiebang serve`
# on the demo world. Needs /usr/bin/chromium and `npm ci` in tests/console.
# Screenshots for docs/console.md:
#   cd build && JB_SCREENSHOTS=$PWD/../docs/console make check TESTS=tests/console.sh
. "$JB_SRCDIR/tests/lib.sh"
CHROMIUM=${JB_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || skip "no $CHROMIUM (apt-get install chromium)"
command -v node >/dev/null || skip "node is needed"
[ -d "$JB_SRCDIR/tests/console/node_modules/playwright-core" ] ||
  skip "no playwright-core (cd tests/console && npm ci)"
[ "${JB_VALGRIND:-}" = 1 ] && skip "a browser test under valgrind would prove nothing about the C code"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
d="$work/d"
jb import --quiet --demo --data "$d" >/dev/null || fail "demo import"
key() { jb key create --data "$d" "$@" 2>/dev/null; }
export JB_KEY_ENT=$(key --role enterprise --org sz-chip-co) JB_KEY_OFF=$(key --role officer) \
  JB_KEY_RES=$(key --role researcher --org sh-ic-univ) JB_CHROMIUM="$CHROMIUM" JB_DATA="$d" JB_WORK="$work"
# JB_SCREENSHOTS=DIR: also write each main view as DIR/<view>.png (docs/console.md)
if node "$JB_SRCDIR/tests/console/console_test.mjs" ${JB_SCREENSHOTS:+--screenshots "$JB_SCREENSHOTS"}; then
  ok "web console end to end"
else
  fail "web console end to end (server log: $(tail -5 "$work/server.log" 2>/dev/null))"
fi
finish
