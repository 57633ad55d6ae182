# SPDX-License-Identifier: GPL-3.0-or-later
# The zh<->en glossary (issue 15): every file passes data/lexicon/glossary/check.py,
# the checker refuses each kind of defect naming file and line, every Chinese
# term is already Simplified (the tokenizer's t2s leaves it alone), and
# there are enough pairs to matter.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 not found"
G="$JB_SRCDIR/data/lexicon/glossary"
CK="python3 $G/check.py"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

if counts=$($CK --count "$G" 2>"$tmp/err"); then ok "glossary passes check.py"
else fail "check.py: $(head -20 "$tmp/err")"; fi
total=$(printf '%s\n' "$counts" | awk -F'\t' '$1 == "total" { print $2 }')
[ "${total:-0}" -ge 1600 ] && ok "$total pairs" || fail "only ${total:-0} pairs (want >= 1600)"

# every file's first line names the area and the licence; every area tag is known
for f in "$G"/*.tsv; do
  head -1 "$f" | grep -q 'GPL-3.0-or-later' || fail "$(basename "$f"): no licence line"
done

# each defect, alone in an otherwise good file, is refused with FILE:LINE
H='# test: written by the jiebang developers; licence: same as the project (GPL-3.0-or-later)'
bad() { # name expected-message-part line2
  printf '%s\n良率\tyield\tic\n%s\n' "$H" "$3" > "$tmp/$1.tsv"
  if $CK "$tmp/$1.tsv" 2>"$tmp/$1.err"; then fail "$1: accepted"
  elif grep -q "$1.tsv:3: .*$2" "$tmp/$1.err"; then ok "$1 refused"
  else fail "$1: message $(cat "$tmp/$1.err")"; fi
}
bad columns '2 columns' "$(printf '正极\tcathode')"
bad columns5 '5 columns' "$(printf '正极\tcathode\tbattery\tnote\textra')"
bad latinzh 'no Han character' "$(printf 'cathode\tcathode\tbattery')"
bad punctzh 'neither Han nor allowed' "$(printf '正极，材料\tcathode material\tbattery')"
bad spacezh 'white space inside' "$(printf '正极 材料\tcathode material\tbattery')"
bad hanen 'Han character in the English' "$(printf '正极\t正极 cathode\tbattery')"
bad trailing 'trailing white space' "$(printf '正极\tcathode\tbattery ')"
bad area "area 'batteries' is not one of" "$(printf '正极\tcathode\tbatteries')"
bad dup 'duplicate of' "$(printf '良率\tyield\tic')"
bad dupcase 'duplicate of' "$(printf '良率\tYield\tic')"
bad emptynote 'note: empty' "$(printf '正极\tcathode\tbattery\t')"
bad cr 'carriage return' "$(printf '正极\tcathode\tbattery\r')"
# mixed terms and acronyms are fine
printf '%s\n5G基站\t5G base station\tgeneral\nβ-环糊精\tβ-cyclodextrin\tchemistry\n碳化硅\tSiC\tpowersemi\n肖特基二极管\tSchottky diode\tpowersemi\n黑曲霉\tAspergillus niger\tsynbio\n' "$H" > "$tmp/good.tsv"
$CK "$tmp/good.tsv" 2>"$tmp/good.err" && ok "mixed terms accepted" || fail "good file refused: $(cat "$tmp/good.err")"
# a duplicate across two files is found too
printf '%s\n芯片\tchip\tic\n' "$H" > "$tmp/x1.tsv"; cp "$tmp/x1.tsv" "$tmp/x2.tsv"
$CK "$tmp/x1.tsv" "$tmp/x2.tsv" 2>"$tmp/x.err" && fail "cross-file duplicate accepted" \
  || { grep -q 'x2.tsv:2: duplicate of .*x1.tsv:2' "$tmp/x.err" && ok "cross-file duplicate" || fail "cross-file: $(cat "$tmp/x.err")"; }
# invalid UTF-8 names its line
printf '%s\n良率\tyield\tic\n\300\257\tx\tic\n' "$H" > "$tmp/utf.tsv"
$CK "$tmp/utf.tsv" 2>"$tmp/utf.err" && fail "invalid UTF-8 accepted" \
  || { grep -q 'utf.tsv:3: invalid UTF-8' "$tmp/utf.err" && ok "invalid UTF-8" || fail "utf: $(cat "$tmp/utf.err")"; }

# Simplified: the tokenizer's normalisation (OpenCC t2s, case folding) leaves every term as it is
if [ -x "$JIEBANG" ]; then
  cat "$G"/*.tsv | grep -v '^#' | grep -v '^$' | cut -f1 > "$tmp/zh"
  "$JIEBANG" tokenize --normalize < "$tmp/zh" > "$tmp/norm" || fail "tokenize --normalize failed"
  changed=$(paste "$tmp/zh" "$tmp/norm" | awk -F'\t' 'tolower($1) != $2 { print $1 " -> " $2 }')
  [ -z "$changed" ] && ok "every zh term is Simplified" || fail "not in normal Simplified form: $changed"
else
  fail "$JIEBANG not built"
fi
finish
