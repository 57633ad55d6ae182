# SPDX-License-Identifier: GPL-3.0-or-later
# Cross-lingual matching (issue 15, docs/matching.md "Across languages"): an English need finds
# Chinese outputs and names each translation in its explanation; the collection picks the sense
# of an ambiguous word (yield: 良率 beside wafers and defects, 产量 beside maize); a Chinese need
# finds English outputs; an English-profile lab finds a Chinese challenge (reverse matching);
# match.translate = 0 turns it off. Every translation used here is in the glossary, so the checks
# hold with or without CC-CEDICT.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to read the JSON"
work=$(mktemp -d /tmp/jb_xl_XXXXXX)
trap 'rm -rf "$work"' EXIT
D=$work/d
cat > "$work/recs.jsonl" <<'JSONL'
{"type":"org","id":"cn-univ","name":"江东大学","kind":"university","region":"320102","description":"从事半导体制造、农业与化工研究的综合大学。"}
{"type":"org","id":"en-lab","name":"Northshore Wafer Lab","kind":"lab","region":"310110","description":"Our lab develops wafer defect inspection and inline metrology that raise yield in semiconductor fabs."}
{"type":"org","id":"en-firm","name":"Acme Foods","kind":"enterprise","region":"310110","description":"A food company."}
{"type":"org","id":"cn-firm","name":"江南晶圆制造公司","kind":"enterprise","region":"320102","description":"晶圆制造企业。"}
{"type":"output","id":"o-wafer","kind":"paper","org":"cn-univ","lang":"zh","title":"基于缺陷检测的晶圆制造良率提升方法","abstract":"针对晶圆厂新工艺良率爬坡慢的问题，利用缺陷检测图像与在线量测数据定位影响良率的工艺步骤。","keywords":["晶圆","良率","缺陷检测"]}
{"type":"output","id":"o-maize","kind":"paper","org":"cn-univ","lang":"zh","title":"氮肥施用对玉米产量的影响","abstract":"田间试验表明，合理施肥可使玉米产量提高百分之十二，籽粒品质同步改善。","keywords":["玉米","产量","施肥"]}
{"type":"output","id":"o-chem","kind":"paper","org":"cn-univ","lang":"zh","title":"催化加氢反应收率的优化","abstract":"通过调整催化剂载体与反应温度，目标产物收率达到百分之九十五。","keywords":["催化加氢","收率"]}
{"type":"output","id":"o-cathode","kind":"paper","org":"cn-univ","lang":"zh","title":"高镍正极材料的表面包覆与循环寿命","abstract":"采用氧化铝包覆高镍正极材料，抑制颗粒开裂，循环寿命显著提升。","keywords":["正极材料","包覆","循环寿命"]}
{"type":"output","id":"o-rice","kind":"paper","org":"cn-univ","lang":"zh","title":"水稻病虫害的遥感监测","abstract":"利用无人机多光谱影像监测水稻病虫害。","keywords":["水稻","遥感"]}
{"type":"output","id":"e-runaway","kind":"paper","org":"en-lab","lang":"en","title":"Early warning of thermal runaway in lithium-ion battery packs","abstract":"Gas and temperature sensors detect the venting that precedes thermal runaway by several minutes.","keywords":["thermal runaway","battery safety"]}
{"type":"output","id":"e-solar","kind":"paper","org":"en-lab","lang":"en","title":"Drone thermography for locating faulty photovoltaic modules","abstract":"Infrared images from drones locate hot spots in the modules of a solar plant.","keywords":["photovoltaic","hot spot"]}
{"type":"output","id":"e-steel","kind":"paper","org":"en-lab","lang":"en","title":"Fatigue of welded joints in the bogie frames of trains","abstract":"The fatigue life of the welded joints was measured under variable loads.","keywords":["fatigue","welding"]}
{"type":"challenge","id":"c-wafer","org":"en-firm","status":"published","deadline":"2099-12-31","title":"Raising wafer yield","description":"Our fab needs defect inspection that finds which process steps lower the wafer yield."}
{"type":"challenge","id":"c-maize","org":"en-firm","status":"published","deadline":"2099-12-31","title":"Raising maize yield","description":"We want fertiliser practice that raises maize yield on our farms."}
{"type":"challenge","id":"c-cathode","org":"en-firm","status":"published","deadline":"2099-12-31","title":"Longer cycle life for cathode materials","description":"Nickel-rich cathode material cracks during cycling; we want a surface coating."}
{"type":"challenge","id":"c-runaway","org":"cn-firm","status":"published","deadline":"2099-12-31","title":"储能电池热失控早期预警","description":"电池舱内一旦有电芯热失控就可能起火，希望在热失控前几分钟发出预警。"}
{"type":"challenge","id":"c-zhwafer","org":"cn-firm","status":"published","deadline":"2099-12-31","title":"晶圆良率提升","description":"新工艺良率爬坡慢，需要缺陷检测与在线量测手段找到影响良率的工艺。"}
JSONL
jb import --quiet --data "$D" "$work/recs.jsonl" >/dev/null || { fail "import the bilingual world"; finish; }

# xl TOP HAS LACKS MATCH-ARGS...: the first match is TOP, its explanation.translated holds HAS
# and not LACKS ("" for none)
xl() {
  top=$1; has=$2; lacks=$3; shift 3
  jb match --data "$D" --json --limit 3 "$@" 2>"$work/err" > "$work/out.json"
  python3 - "$work/out.json" "$top" "$has" "$lacks" <<'PY' && ok "$* -> $top with '$has'" || fail "$*: $(head -c 600 "$work/out.json")"
import json, sys
out, top, has, lacks = sys.argv[1:5]
ms = json.load(open(out, encoding="utf-8"))["matches"]
assert ms and ms[0]["id"] == top, [m["id"] for m in ms]
tr = ms[0]["explanation"].get("translated", [])
assert has in tr, tr
assert not lacks or lacks not in tr, tr
# the translated words are matched words of the explanation too
words = {w for v in ms[0]["explanation"]["terms"].values() for w in v}
assert any(w in has.split(" → ")[1] for w in words), (words, has)
PY
}
xl o-wafer "wafer → 晶圆" "" --challenge c-wafer
xl o-wafer "yield → 良率" "yield → 产量" --challenge c-wafer
xl o-maize "yield → 产量" "yield → 良率" --challenge c-maize
xl o-cathode "cathode materials → 正极材料" "" --challenge c-cathode
# without the cascade the senses come from the probe search of their own
# (with it, from the recall's first hits): the same choice
printf 'match.cascade = 0\n' > "$work/nocascade.conf"
xl o-wafer "yield → 良率" "yield → 产量" --challenge c-wafer --weights "$work/nocascade.conf"
xl o-maize "yield → 产量" "yield → 良率" --challenge c-maize --weights "$work/nocascade.conf"
# a Chinese need, English outputs
xl e-runaway "热失控 → thermal runaway" "" --challenge c-runaway
# reverse: an English-profile lab finds the Chinese challenge its profile fits
jb match --data "$D" --json --limit 5 --org en-lab > "$work/rev.json" 2>"$work/err"
python3 - "$work/rev.json" <<'PY' && ok "en-lab (English profile) finds c-zhwafer (Chinese), yield → 良率" || fail "reverse: $(head -c 600 "$work/rev.json")"
import json, sys
ms = {m["id"]: m for m in json.load(open(sys.argv[1], encoding="utf-8"))["matches"]}
assert "c-zhwafer" in ms, list(ms)
assert "yield → 良率" in ms["c-zhwafer"]["explanation"].get("translated", []), ms["c-zhwafer"]
assert "c-runaway" not in ms, list(ms)
PY
# every match of every need says what it shares: a matched word, the need's own character pairs
# (explanation.partial, never a translation's), or the translations it shares a word or a pair of
# (explanation.translated: the target and the candidate, as indexed, have a pair in common)
jb tokenize --normalize < "$work/recs.jsonl" > "$work/recs.norm"
for c in $(sed -n 's/.*"type":"challenge","id":"\([^"]*\)".*/\1/p' "$work/recs.jsonl"); do
  jb match --data "$D" --json --limit 10 --challenge "$c" 2>/dev/null
done > "$work/all.json"
python3 - "$work/recs.jsonl" "$work/recs.norm" "$work/all.json" <<'PY' && ok "every match is explained; pairs are the need's own, translations shared" || fail "explanations: $(head -c 600 "$work/all.json")"
import json, sys
norm = {}
for l, n in zip(open(sys.argv[1], encoding="utf-8"), open(sys.argv[2], encoding="utf-8")):
    norm[json.loads(l)["id"]] = n
seen = {"translated": 0, "partial": 0, "matches": 0}
for l in open(sys.argv[3], encoding="utf-8"):
    j = json.loads(l)
    need = norm[j["query"]["id"]]
    for m in j["matches"]:
        seen["matches"] += 1
        ex, cand = m["explanation"], norm[m["id"]]
        words = [w for v in ex["terms"].values() for w in v]
        assert words or ex.get("partial") or ex.get("translated"), m
        for p in ex.get("partial", []):
            seen["partial"] += 1
            assert p in need and p in cand, (j["query"]["id"], m["id"], p)
        for t in ex.get("translated", []):
            seen["translated"] += 1
            to = t.split(" → ")[1].lower()
            if to.isascii():  # an English target: one of its words, by its stem's first letters
                assert any(w[:4] in cand for w in to.split() if len(w) >= 3), (m["id"], t)
            else:  # a Chinese one: a character pair of it
                assert any(to[i:i + 2] in cand for i in range(max(len(to) - 1, 1))), (m["id"], t)
assert min(seen.values()) > 0, seen
PY
# the CLI's text form names the translations
jb match --data "$D" --challenge c-wafer --limit 1 2>/dev/null | grep -q "translated: .*yield → 良率" \
  && ok "the text form names the translations" || fail "text form: $(jb match --data "$D" --challenge c-wafer --limit 1 2>&1)"
# off: an English need then shares no word with the Chinese outputs
printf 'match.translate = 0\n' > "$work/off.txt"
jb match --data "$D" --json --challenge c-wafer --weights "$work/off.txt" > "$work/off.json" 2>/dev/null
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(any(m["id"].startswith("o-") for m in d["matches"]))' "$work/off.json" \
  && ok "match.translate = 0: no Chinese output for the English need" || fail "match.translate = 0: $(head -c 400 "$work/off.json")"
# a Chinese need in a collection without English documents is not translated
grep -v '"lang":"en"' "$work/recs.jsonl" | grep -v '"id":"c-wafer"\|"id":"c-maize"\|"id":"c-cathode"' > "$work/zh.jsonl"
jb import --quiet --data "$work/zh" "$work/zh.jsonl" >/dev/null
jb match --data "$work/zh" --json --challenge c-zhwafer > "$work/zh.json" 2>/dev/null
python3 -c '
import json, sys
ms = json.load(open(sys.argv[1]))["matches"]
sys.exit(not ms or ms[0]["id"] != "o-wafer" or any("translated" in m["explanation"] for m in ms))' "$work/zh.json" \
  && ok "a Chinese need in a Chinese collection: no translation, as before" || fail "Chinese collection: $(head -c 400 "$work/zh.json")"
finish
