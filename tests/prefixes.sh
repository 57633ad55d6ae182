# SPDX-License-Identifier: GPL-3.0-or-later
# The index vocabulary is named once (engine/prefixes.h, as notmuch's prefix
# table): no term prefix is written as a literal anywhere else in engine/,
# and the table names each prefix once.
#
. "$JB_SRCDIR/tests/lib.sh"
cd "$JB_SRCDIR" || exit 1
KNOWN=""
# a prefix literal: "X" and 1-3 capitals (filters) or one capital (text fields)
pat='"(X[A-Z]{1,3}|[A-Z])"'
hits=$(grep -nE "$pat" engine/*.c engine/*.h | grep -v '^engine/prefixes\.h:' | grep -v 'extern "C"')
left=""
while IFS= read -r h; do
  [ -n "$h" ] || continue
  f=${h%%:*}
  case " $KNOWN " in
    *" $f "*) left="$left$h
" ;;
    *) fail "a prefix literal outside engine/prefixes.h: $h" ;;
  esac
done <<EOT
$hits
EOT
[ -n "$left" ] && printf 'known exceptions still to convert:\n%s' "$left"
# the table: each name and each prefix once, every prefix of the documented shape
table=$(sed -n 's/^ *X(\([A-Z_]*\), "\([A-Z]*\)", \(TEXT\|FILTER\),.*/\1 \2 \3/p' engine/prefixes.h)
n=$(printf '%s\n' "$table" | grep -c .)
[ "$n" -ge 20 ] || fail "engine/prefixes.h: $n prefixes read from the table"
[ "$(printf '%s\n' "$table" | cut -d' ' -f1 | sort -u | grep -c .)" = "$n" ] || fail "a name twice in the table"
[ "$(printf '%s\n' "$table" | cut -d' ' -f2 | sort -u | grep -c .)" = "$n" ] || fail "a prefix twice in the table"
printf '%s\n' "$table" | while read -r name p kind; do
  case $kind:$p in
    TEXT:[A-PR-WY]) ;;
    FILTER:X[A-Z]|FILTER:X[A-Z][A-Z]|FILTER:X[A-Z][A-Z][A-Z]) ;;
    *) fail "engine/prefixes.h: $name is $kind '$p' (text: one capital but Q, X, Z; filter: X + 1-3 capitals)" ;;
  esac
done
# and the converted files use it
for f in engine/indexdoc.c engine/search.c; do
  grep -q 'JB_PFX_' "$f" || fail "$f does not use the prefix table"
done
ok "term prefixes come from engine/prefixes.h ($n prefixes; known exceptions: $KNOWN)"
finish
