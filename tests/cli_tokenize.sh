# SPDX-License-Identifier: GPL-3.0-or-later
# jiebang tokenize: the CLI's output formats and errors.
. "$JB_SRCDIR/tests/lib.sh"

out=$(printf '人工智能芯片设计\n區塊鏈技術\n' | jb tokenize --words) || fail "tokenize --words exit $?"
[ "$out" = "$(printf '人工智能 芯片 设计\n区块链 技术')" ] && ok "--words" || fail "--words gave: $out"

out=$(printf 'ＡＩ Chips\n' | jb tokenize --normalize)
[ "$out" = "ai chips" ] && ok "--normalize" || fail "--normalize gave: $out"

out=$(printf 'Running chips\n' | jb tokenize)
echo "$out" | grep -q "^run	stem	0$" && echo "$out" | grep -q "^chips	word	1$" && ok "terms" \
  || fail "terms gave: $out"

out=$(printf '芯片\n' | jb tokenize --json)
[ "$out" = '{"line":1,"terms":[{"term":"芯片","kind":"word","script":"han","pos":0},{"term":"芯片","kind":"bigram","script":"han","pos":0}]}' ] \
  && ok "--json" || fail "--json gave: $out"

out=$(printf '张伟\n' | jb tokenize --pinyin | grep pinyin | cut -f1 | tr '\n' ' ')
[ "$out" = "zhang wei " ] && ok "--pinyin" || fail "--pinyin gave: $out"

# invalid UTF-8 on line 2: message names the line, output stays aligned, exit 1
out=$(printf 'a\n\300\257b\nc\n' | jb tokenize --words 2>err.$$); rc=$?
[ $rc -eq 1 ] && ok "bad line exit 1" || fail "bad line exit $rc"
grep -q "line 2: invalid UTF-8 at byte 0: overlong encoding" err.$$ && ok "bad line message" \
  || fail "message: $(cat err.$$)"
[ "$out" = "$(printf 'a\n\nc')" ] && ok "aligned output" || fail "output: $out"
rm -f err.$$

# a user dictionary extends the lexicon; a bad one is refused with file:line
printf '鑫淼科技\n' > ud.$$
out=$(printf '鑫淼科技有限公司\n' | jb tokenize --words --user-dict ud.$$)
[ "$out" = "鑫淼科技 有限公司" ] && ok "--user-dict" || fail "--user-dict gave: $out"
printf '好 1\n坏 x\n' > ud.$$
printf 'x\n' | jb tokenize --user-dict ud.$$ >/dev/null 2>err.$$ && fail "bad dict accepted"
grep -q "ud.$$:2: frequency 'x'" err.$$ && ok "bad dict message" || fail "message: $(cat err.$$)"
rm -f ud.$$ err.$$

jb tokenize --help | grep -q -- "--words" && ok "--help" || fail "--help"
jb tokenize --bogus >/dev/null 2>&1; [ $? -eq 2 ] && ok "bad option exit 2" || fail "bad option"
jb nosuch >/dev/null 2>&1; [ $? -eq 2 ] && ok "unknown command exit 2" || fail "unknown command"
jb --version | grep -q "^jiebang " && ok "--version" || fail "--version"
# --translate: each span's candidates in the other language, glossary before CEDICT,
# Traditional input normalised first; a missing CEDICT is a notice, a bad lexicon an error
mkdir -p xl.$$/glossary && cp "$JB_SRCDIR/tests/data/xlex_gloss.tsv" xl.$$/glossary/t.tsv
out=$(printf '正極材料與研究\nLithium-ion Batteries\n' | jb tokenize --translate --lexdir xl.$$ \
  --cedict "$JB_SRCDIR/tests/data/cedict_mini.u8" 2>err.$$); rc=$?
want=$(printf '正极材料\tcathode material\tglossary\n研究\tresearch\tcedict\n研究\tstudy\tcedict\n研究\tlook into\tcedict\n\nlithium-ion batteries\t锂离子电池\tglossary')
[ $rc -eq 0 ] && [ "$out" = "$want" ] && ok "--translate" || fail "--translate gave ($rc): $out"
[ -s err.$$ ] && fail "--translate stderr: $(cat err.$$)"
out=$(printf '正极\n' | jb tokenize --translate --lexdir xl.$$ 2>err.$$); rc=$?
[ $rc -eq 0 ] && grep -q "notice: CC-CEDICT not found" err.$$ && [ "$out" = "$(printf '正极\tcathode\tglossary\n正极\tpositive electrode\tglossary')" ] \
  && ok "--translate without CEDICT" || fail "--translate without CEDICT ($rc): $out / $(cat err.$$)"
out=$(printf '正极\n' | jb tokenize --translate --lexdir xl.$$ --cedict none 2>err.$$)
[ ! -s err.$$ ] && ok "--cedict none: no notice" || fail "--cedict none: $(cat err.$$)"
printf 'bad line\n' > xl.$$/glossary/u.tsv
printf 'x\n' | jb tokenize --translate --lexdir xl.$$ >/dev/null 2>err.$$; rc=$?
[ $rc -eq 1 ] && grep -q "u.tsv:1: want zh<TAB>en<TAB>area" err.$$ && ok "bad glossary refused" \
  || fail "bad glossary ($rc): $(cat err.$$)"
printf 'x\n' | jb tokenize --translate --lexdir /nonexistent >/dev/null 2>err.$$; rc=$?
[ $rc -eq 1 ] && grep -q "/nonexistent/glossary" err.$$ && ok "no glossary refused" || fail "no glossary ($rc): $(cat err.$$)"
rm -rf xl.$$ err.$$
finish
