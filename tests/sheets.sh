# SPDX-License-Identifier: GPL-3.0-or-later
# Spreadsheets in and out (issue 18): a GB18030 CSV and a UTF-8 CSV with a
# BOM import to the same records; an explicit --encoding overrides the
# detection; CSV and .xlsx exports read back (the CSV re-imports to the same
# state, openpyxl reads the .xlsx); bad rows are named by row and column and
# change nothing; a formula cell is neutralised; docs/records.md's column
# table is the one the binary has.
. "$JB_SRCDIR/tests/lib.sh"
PY=python3
for p in /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done
command -v "$PY" >/dev/null || skip "python3 is needed"
work=$(mktemp -d /tmp/jb_sheets_XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

# ---- the same sheet in two encodings ---------------------------------------------------------
"$PY" - <<'PY'
rows = '''类型,编号,名称,标题,机构,关键词,截止日期,资助金额,币种,地区
org,o1,上海交通大学,,,,,,,310104
org,o2,深圳某电池企业,,,,,,,440305
challenge,c1,,高精度锂电池“析锂”在线检测,o2,锂电池、析锂；在线检测,2026/12/31,500万,CNY,
challenge,c2,,"含逗号, 与 ""引号"" 的标题",o1,"碳捕集,封存",2027年1月5日,12.5,CNY,
'''
open('gb.csv', 'wb').write(rows.encode('gb18030'))
open('bom.csv', 'wb').write(rows.replace('\n', '\r\n').encode('utf-8-sig'))
PY
jb import --quiet --data gb gb.csv || fail "GB18030 import: exit $?"
jb import --quiet --data bom bom.csv || fail "UTF-8 BOM import: exit $?"
jb import --data gbk --encoding GBK gb.csv 2> gbk.err >/dev/null || fail "--encoding GBK: exit $?"
grep -q "CSV in GBK" gbk.err && ok "--encoding names what is read" || fail "--encoding: $(cat gbk.err)"
jb import --data det gb.csv 2> det.err >/dev/null
grep -q "CSV in GB18030" det.err && ok "GB18030 detected" || fail "detection: $(cat det.err)"
jb export --data gb > gb.jsonl && jb export --data bom > bom.jsonl || fail "export"
[ "$(wc -l < gb.jsonl)" = 4 ] && cmp -s gb.jsonl bom.jsonl && ok "GB18030 and UTF-8+BOM CSVs import to the same 4 records" \
  || fail "the two encodings differ: $(diff gb.jsonl bom.jsonl | head -5)"
grep -q '"keywords":\["锂电池","析锂","在线检测"\]' gb.jsonl && grep -q '"deadline":"2026-12-31"' gb.jsonl \
  && grep -q '"amount":5000000' gb.jsonl && grep -q '"deadline":"2027-01-05"' gb.jsonl \
  && grep -q '"title":"含逗号, 与 \\"引号\\" 的标题"' gb.jsonl \
  && ok "lists split on 、 and ；, dates and 万 read, quotes unescaped" || fail "cells: $(cat gb.jsonl)"
jb import --data wrong --encoding utf-8 gb.csv 2> wrong.err >/dev/null
st=$?
[ $st = 1 ] && grep -q "gb.csv:1: not valid UTF-8 .* at byte 0, line 1" wrong.err && [ ! -e wrong/jiebang.db ] \
  && ok "a wrong --encoding: the byte and line named, exit 1, nothing stored" || fail "wrong encoding ($st): $(cat wrong.err); $(ls wrong 2>&1)"

# ---- bad rows: row and column named, the rest imported ---------------------------------------
printf '编号,标题,机构,截止日期,资助金额\nb1,好的,o1,2026-06-30,10\nb2,坏日期,o1,2026-02-30,10\nb3,坏金额,o1,2026-06-30,很多\nb4,"未闭合,o1\n' > bad.csv
jb import --data gb --type challenge bad.csv 2> bad.err >/dev/null
st=$?
[ $st = 1 ] && grep -q "^bad.csv:3: column 截止日期: deadline: '2026-02-30' is not a valid date" bad.err \
  && grep -q "^bad.csv:4: column 资助金额: '很多' is not a number" bad.err \
  && grep -q "^bad.csv:5: a quoted field is not closed" bad.err \
  && ok "bad rows named by row and column, exit 1" || fail "bad rows ($st): $(cat bad.err)"
jb get --data gb challenge b1 >/dev/null 2>&1 && ! jb get --data gb challenge b2 >/dev/null 2>&1 \
  && ! jb get --data gb challenge b3 >/dev/null 2>&1 && ok "the good row stored, the bad ones not" || fail "bad rows stored"
printf '编号,标题,价钱\nx,y,1\n' > badhead.csv
jb import --data gb --type challenge badhead.csv 2> badhead.err >/dev/null
[ $? = 1 ] && grep -q "badhead.csv:1: column 3 '价钱': no such column for challenge" badhead.err \
  && ok "an unknown header is refused, named" || fail "unknown header: $(cat badhead.err)"
jb import --data gb --type challenge --dry-run bad.csv 2> dry.err >/dev/null
[ $? = 1 ] && grep -q "^bad.csv:3: column 截止日期:" dry.err && ok "--dry-run names the same rows" || fail "dry run: $(cat dry.err)"

# ---- every field through CSV and back ----------------------------------------------------------
cat > rich.jsonl <<'J'
{"type":"org","id":"r-org","name":"测试 机构","kind":"enterprise","region":"310106","fields":["ic/eda","energy"],"description":"第一行\n第二行, 有逗号","credentials":["高新技术企业","专精特新"],"website":"https://example.cn/"}
{"type":"org","id":"r-uni","name":"某大学","kind":"university"}
{"type":"expert","id":"r-exp","name":"张三","org":"r-org","title":"教授","fields":["ic"],"keywords":["a, b","c"],"bio":"","outputs_count":12,"active_year":2024}
{"type":"output","id":"r-out","title":"@SUM(A1) 专利","kind":"patent","abstract":"-5 开头 锂电池析锂检测","keywords":["'=x","锂电池"],"fields":["ic"],"org":"r-uni","experts":["r-exp"],"trl":5,"year":2023,"price":{"amount":1.5e6,"currency":"CNY"},"ip":{"number":"CN123","status":"granted","licensing":"普通许可"},"lang":"zh"}
{"type":"challenge","id":"r-ch","title":"=HYPERLINK(\"http://x\",\"点我\")","org":"r-org","problem":"+1 问题 锂电池析锂检测","description":"  前后空格  ","indicators":[{"name":"精度","target":0.99,"unit":"%"},{"name":"AUC","target":"≥0.9"}],"keywords":["锂电池"],"fields":["energy/battery"],"trl_now":3,"trl_target":6,"funding":{"amount":3000000,"currency":"CNY"},"deadline":"2026-12-31","region":"310106","eligibility":{"org_kinds":["university","enterprise"],"max_members":3,"regions":[]},"ip_terms":"归发榜方","confidential":{"budget":"内部 200 万"},"status":"draft","lang":"zh"}
J
jb import --quiet --data rich rich.jsonl || fail "rich import: exit $?"
jb export --data rich > rich.out.jsonl
for h in zh en; do
  jb export --data rich --format csv --header $h -o rich.$h.csv || fail "export csv --header $h: exit $?"
  rm -rf back.$h
  jb import --quiet --data back.$h rich.$h.csv || fail "re-import of the $h CSV: exit $?"
  jb export --data back.$h > back.$h.jsonl
  cmp -s rich.out.jsonl back.$h.jsonl && ok "CSV export ($h headers) re-imports to the same state" \
    || fail "CSV ($h) round trip: $(diff rich.out.jsonl back.$h.jsonl | head -6)"
done
for t in org expert output challenge; do
  jb export --data rich --format csv --type $t -o one.csv && rm -rf one && jb import --quiet --data one --type $t one.csv 2>/dev/null
done
head -c 3 rich.zh.csv | od -An -tx1 | grep -q "ef bb bf" && ok "CSV starts with a UTF-8 BOM" || fail "no BOM"
jb export --data rich --format csv --no-bom | head -c 3 | od -An -tx1 | grep -q "ef bb bf" && fail "--no-bom wrote one" || ok "--no-bom"
"$PY" - rich.zh.csv <<'PY' && ok "formula cells neutralised with a leading '" || fail "formula cells not neutralised"
import csv, sys
cells = [c for row in csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')) for c in row]
bad = [c for c in cells if c[:1] in ('=', '+', '-', '@', '\t', '\r')]
want = ["'=HYPERLINK(\"http://x\",\"点我\")", "'@SUM(A1) 专利", "'-5 开头 锂电池析锂检测", "'+1 问题 锂电池析锂检测"]
sys.exit(1 if bad or any(w not in cells for w in want) else 0)
PY

# ---- .xlsx -------------------------------------------------------------------------------------
jb export --data rich --format xlsx -o rich.xlsx || fail "export xlsx: exit $?"
if "$PY" -c 'import openpyxl' 2>/dev/null; then
  "$PY" - rich.xlsx rich.out.jsonl <<'PY' && ok ".xlsx read by openpyxl: a sheet per type, every record, Chinese and numbers intact" || fail ".xlsx does not read back"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
recs = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
assert [ws.title for ws in wb] == ['orgs', 'experts', 'outputs', 'challenges'], wb.sheetnames
for r in recs:
    ws = wb[r['type'] + 's']
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    row = [x for x in rows[1:] if x[head.index('编号')] == r['id']]
    assert len(row) == 1, (r['id'], rows)
    row = dict(zip(head, row[0]))
    name = r.get('name') if r['type'] in ('org', 'expert') else r.get('title')
    key = {'org': '名称', 'expert': '姓名'}.get(r['type'], '标题')
    assert row[key] == name, (row[key], name)   # formulas are text in .xlsx, not neutralised
ch = dict(zip(*[list(x) for x in list(wb['challenges'].iter_rows(values_only=True))[:2]]))
assert ch['资助金额'] == 3000000 and ch['截止日期'] == '2026-12-31' and ch['保密信息'] == '{"budget":"内部 200 万"}', ch
PY
else
  echo "SKIP: openpyxl (python3-openpyxl) not there: the .xlsx is not read back"
fi

# a cell Excel cannot hold: the .xlsx is refused naming it, the CSV carries it
"$PY" -c 'import json; print(json.dumps({"type":"challenge","id":"long","title":"长","description":"字"*33000}, ensure_ascii=False))' > long.jsonl
jb import --quiet --data longd long.jsonl || fail "long import"
jb export --data longd --format xlsx -o long.xlsx 2> long.err
[ $? = 1 ] && grep -q "challenges row 2 column 描述: longer than the 32,767 characters an Excel cell holds" long.err \
  && ok "a cell over Excel's limit: the .xlsx refused, row and column named" || fail "long cell: $(cat long.err)"
jb export --data longd --format csv -o long.csv && rm -rf longb && jb import --quiet --data longb long.csv \
  && [ "$(jb export --data longb)" = "$(jb export --data longd)" ] && ok "the CSV carries a 33,000-character cell" || fail "long CSV"

# ---- a challenge's lists -------------------------------------------------------------------------
jb export --data rich --format csv --challenge r-ch --what applications -o apps.csv || fail "applications export: exit $?"
jb export --data rich --format csv --challenge r-ch --what milestones -o ms.csv || fail "milestones export: exit $?"
jb export --data rich --format csv --challenge r-ch --what matches -o m.csv || fail "matches export: exit $?"
head -1 m.csv | grep -q "score" && grep -q "r-out" m.csv && ok "a challenge's matches with their scores" || fail "matches: $(head -3 m.csv)"
jb export --data rich --format csv --challenge nope --what matches >/dev/null 2>&1 && fail "an unknown challenge exported" || ok "an unknown challenge: exit 1"
jb export --data rich --format xlsx 2>/dev/null && fail "xlsx to standard output" || ok "xlsx needs -o"

# ---- the column table in docs/records.md is the binary's --------------------------------------
jb import --columns > cols.md || fail "--columns: exit $?"
"$PY" - "$JB_SRCDIR/docs/records.md" cols.md <<'PY' && ok "docs/records.md holds the column table" || fail "docs/records.md's column table differs from 'jiebang import --columns'"
import sys
doc = open(sys.argv[1], encoding='utf-8').read()
table = open(sys.argv[2], encoding='utf-8').read()
a = doc.index('<!-- columns: jiebang import --columns -->\n') + len('<!-- columns: jiebang import --columns -->\n')
b = doc.index('<!-- /columns -->')
sys.exit(0 if doc[a:b] == table else 1)
PY

# ---- over HTTP (tests/sheets_http_test.py) -----------------------------------------------------
mkdir -p http
if "$PY" "$JB_SRCDIR/tests/sheets_http_test.py" "$JIEBANG" "$work/http"; then
  ok "spreadsheets over HTTP: formats, visibility, POST /v1/import"
else
  fail "spreadsheets over HTTP (server log: $(tail -3 "$work/http/server.log" 2>/dev/null))"
fi
finish
