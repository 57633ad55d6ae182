# SPDX-License-Identifier: GPL-3.0-or-later
# Taiwan vocabulary (issue 15, locale/regional.c): an output written in Taiwan's words and
# script (晶片, 記憶體, 模組, 軟體) is found by a mainland need (芯片, 内存, 模块, 软件) and the
# reverse, its explanation naming the shared words; the mainland's own words that a blanket tw2sp
# would rewrite (程序 → 进程, 指标 → 指针) still find their own outputs only.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to read the JSON"
work=$(mktemp -d /tmp/jb_regional_XXXXXX)
trap 'rm -rf "$work"' EXIT
D=$work/d
cat > "$work/recs.jsonl" <<'JSONL'
{"type":"org","id":"tw-univ","name":"新竹科技大學","kind":"university","region":"710000","description":"半導體與嵌入式系統研究。"}
{"type":"org","id":"cn-univ","name":"江东大学","kind":"university","region":"320102","description":"综合大学。"}
{"type":"org","id":"cn-firm","name":"江南电驱公司","kind":"enterprise","region":"320102","description":"电驱动企业。"}
{"type":"org","id":"tw-firm","name":"台北車電公司","kind":"enterprise","region":"710000","description":"車用電子企業。"}
{"type":"output","id":"o-tw-chip","kind":"paper","org":"tw-univ","lang":"zh","title":"車用碳化矽功率模組之閘極驅動晶片設計","abstract":"針對電動車逆變器，設計低延遲閘極驅動晶片，並以嵌入式軟體校準記憶體中的參數。","keywords":["驅動晶片","功率模組"]}
{"type":"output","id":"o-cn-proc","kind":"paper","org":"cn-univ","lang":"zh","title":"审批程序与考核指标体系研究","abstract":"梳理行政审批程序，建立考核指标体系。","keywords":["审批程序","考核指标"]}
{"type":"output","id":"o-cn-os","kind":"paper","org":"cn-univ","lang":"zh","title":"嵌入式操作系统的进程调度与指针安全","abstract":"分析进程调度延迟与指针越界。","keywords":["进程调度","指针"]}
{"type":"challenge","id":"c-cn-chip","org":"cn-firm","status":"published","deadline":"2099-12-31","title":"碳化硅功率模块驱动芯片","description":"需要车规级栅极驱动芯片，嵌入式软件在内存中校准参数。"}
{"type":"challenge","id":"c-cn-proc","org":"cn-firm","status":"published","deadline":"2099-12-31","title":"优化审批程序","description":"希望梳理审批程序并建立考核指标。"}
{"type":"challenge","id":"c-tw-chip","org":"tw-firm","status":"published","deadline":"2099-12-31","title":"功率模組驅動晶片","description":"需要驅動晶片與記憶體校準軟體。"}
JSONL
jb import --quiet --data "$D" "$work/recs.jsonl" >/dev/null || { fail "import the world"; finish; }

# top NEED TOP WORDS: the first output of NEED's match is TOP and its explanation's terms hold
# every word of WORDS (space-separated)
top() {
  jb match --data "$D" --json --limit 3 --challenge "$1" > "$work/out.json" 2>"$work/err" ||
    { fail "match $1: $(cat "$work/err")"; return; }
  python3 - "$work/out.json" "$2" "$3" <<'PY' && ok "$1 -> $2 sharing $3" || fail "$1: $(head -c 800 "$work/out.json")"
import json, sys
m = json.load(open(sys.argv[1]))["matches"]
assert m and m[0]["id"] == sys.argv[2], [x["id"] for x in m]
words = {w for ws in m[0]["explanation"]["terms"].values() for w in ws}
missing = [w for w in sys.argv[3].split() if w not in words]
assert not missing, (missing, sorted(words))
PY
}
top c-cn-chip o-tw-chip "芯片 模块 碳化硅 内存"
top c-tw-chip o-tw-chip "芯片 模块 驱动"
# 程序 and 指标 are the mainland's own words: the administrative output, not the one on
# processes and pointers
top c-cn-proc o-cn-proc "程序 指标"
# what the index holds for the Taiwan text
out=$(printf '驅動晶片與記憶體\n方程式與程序\n' | jb tokenize --words)
[ "$out" = "$(printf '驱动 芯片 与 内存\n方程式 与 程序')" ] && ok "tokenize: $out" || fail "tokenize gave: $out"
out=$(printf '驅動晶片\n' | jb tokenize --words --no-regional)
[ "$out" = "驱动 晶片" ] && ok "--no-regional keeps 晶片" || fail "--no-regional gave: $out"
finish
