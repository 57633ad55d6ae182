# SPDX-License-Identifier: GPL-3.0-or-later
# Lints data/openapi.json with Redocly's recommended rules: 0 errors and 0
# warnings. The CLI comes from $REDOCLY, from PATH, or from npx's cache
# (never downloaded here: .ci/run installs it); without one this skips.
. "$JB_SRCDIR/tests/lib.sh"
r=${REDOCLY:-}
if [ -z "$r" ] && command -v redocly >/dev/null; then r=redocly; fi
if [ -z "$r" ] && command -v npx >/dev/null && npx --no-install redocly --version >/dev/null 2>&1; then
  r="npx --no-install redocly"
fi
if [ -z "$r" ]; then
  echo "SKIP: redocly is not installed (npm install @redocly/cli, or set REDOCLY)"
  exit 77
fi
out=$($r lint --format=stylish "$JB_SRCDIR/data/openapi.json" 2>&1)
rc=$?
if [ $rc = 0 ] && ! printf '%s\n' "$out" | grep -Eq 'You have [0-9]+ (warning|error)'; then
  ok "redocly lint: 0 errors, 0 warnings"
else
  printf '%s\n' "$out" | grep -v '║\|╔\|╚' | tail -30
  fail "redocly lint of data/openapi.json (exit $rc)"
fi
finish
