# SPDX-License-Identifier: GPL-3.0-or-later
# Matching on the demo world: expected candidates, hard filters, explanations
# that add up, reverse matching of open challenges only, determinism.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to read the JSON"
work=$(mktemp -d /tmp/jb_match_XXXXXX)
trap 'rm -rf "$work"' EXIT
D=$work/d
jb import --quiet --data "$D" --demo >/dev/null || { fail "demo import"; finish; }
jb export --data "$D" > "$work/all.jsonl"
m() { jb match --data "$D" --json "$@"; }

top() { # expected id in the top N of: m ARGS
  want=$1; n=$2; shift 2
  m --limit "$n" "$@" | python3 -c 'import sys,json; print(" ".join(x["id"] for x in json.load(sys.stdin)["matches"]))' > "$work/top"
  grep -qw -- "$want" "$work/top" && ok "$want in the top $n of $*" || fail "$want not in the top $n of $*: $(cat "$work/top")"
}
top out-148 5 --challenge ch-001
top out-182 5 --challenge ch-001
top exp-062 3 --challenge ch-011 --kind expert
top jd-power-lab 3 --challenge ch-001 --kind org
top ch-001 3 --expert exp-004
top ch-001 1 --output out-148
top ch-005 3 --org hp-chain-inst
# reverse matching from evidence: an org whose profile is in English while its work is in
# Chinese, an org with no profile at all, and an expert with keywords and outputs only
top ch-001 1 --org lg-wbg-lab
top ch-003 1 --org mh-cell-inst
top ch-001 1 --expert exp-wbg1
evidence() { # org/expert ID, challenge, an output that must be named as evidence with a word
  m --limit 5 "--$1" "$2" | python3 -c '
import sys, json
ch, out, word = sys.argv[1:4]
m = [x for x in json.load(sys.stdin)["matches"] if x["id"] == ch][0]
ev = {(e["type"], e["id"]): e["terms"] for e in m["explanation"].get("evidence", [])}
sys.exit(0 if word in ev.get(("output", out), []) else 1)' "$3" "$4" "$5" \
    && ok "$1 $2 -> $3 names $4 ($5) as evidence" || fail "$1 $2 -> $3 does not name $4 ($5) as evidence"
}
evidence org lg-wbg-lab ch-001 out-wbg1 碳化硅
evidence org mh-cell-inst ch-003 out-cell1 预警
evidence expert exp-wbg1 ch-001 out-wbg1 碳化硅

# the cascade: the recalled candidates are re-scored with the whole need, so a word past the
# long text's 80-term budget (its last, least specific sentence) is matched and explained; with
# match.cascade = 0 it is not
D1='碳化硅MOSFET栅极氧化层可靠性与阈值电压漂移需要评估。氮化镓高电子迁移率晶体管动态导通电阻退化机理需要表征。宽禁带器件双脉冲测试平台寄生电感需要抑制。SiC肖特基二极管浪涌电流能力需要验证。功率器件结壳热阻瞬态测量方法需要建立。IGBT键合线脱落与焊料层空洞检测需要无损手段。'
printf '{"type":"challenge","id":"ch-whole","title":"车规功率器件可靠性","org":"sz-chip-co","description":"%s另外，模块互连拟采用银烧结工艺。"}\n' "$D1" > "$work/whole.jsonl"
jb import --quiet --data "$D" "$work/whole.jsonl" >/dev/null || fail "import the whole-need challenge"
printf 'match.cascade = 0\n' > "$work/nocascade.txt"
explains() { # WORD ID MATCH-OPTIONS...: exit 0 when the match ID's explanation has WORD
  word=$1; out=$2; shift 2
  jb match --json --limit 10 "$@" | python3 -c '
import sys, json
w, o = sys.argv[1:3]
ms = [x for x in json.load(sys.stdin)["matches"] if x["id"] == o]
sys.exit(0 if ms and any(w in v for v in ms[0]["explanation"]["terms"].values()) else 1)' "$word" "$out"
}
explains 烧结 out-wbg1 --data "$D" --challenge ch-whole && ok "the cascade explains a word of the whole need past the budget" \
  || fail "the cascade does not explain 烧结 for out-wbg1"
explains 烧结 out-wbg1 --data "$D" --challenge ch-whole --weights "$work/nocascade.txt" && fail "without the cascade 烧结 is explained (the check cannot fail)" \
  || ok "without the cascade the word past the budget is not asked"
# and the reverse direction: an output whose abstract says 银烧结 only in its last sentence is
# offered the challenge on it, 烧结 explained, by the cascade's whole query
printf '{"type":"output","id":"out-long","kind":"paper","title":"车规功率器件可靠性评估方法","abstract":"%s另外，模块互连拟采用银烧结工艺。"}\n{"type":"challenge","id":"ch-sinter","org":"sz-chip-co","status":"published","deadline":"2099-12-31","title":"碳化硅功率模块银烧结互连","description":"车规级碳化硅功率器件的芯片互连需要耐高温的银烧结工艺，评估其热阻与可靠性。"}\n' "$D1" > "$work/long.jsonl"
cp -r "$D" "$work/rv"  # a world of its own: the checks below read the demo world's lists
jb import --quiet --data "$work/rv" "$work/long.jsonl" >/dev/null || fail "import the long output"
explains 烧结 ch-sinter --data "$work/rv" --output out-long && ok "reverse: the cascade explains a word of the whole abstract past the budget" \
  || fail "reverse: the cascade does not explain 烧结 for ch-sinter"
explains 烧结 ch-sinter --data "$work/rv" --output out-long --weights "$work/nocascade.txt" && fail "reverse without the cascade explains 烧结 (the check cannot fail)" \
  || ok "reverse without the cascade: the word past the budget is not asked"
explains 碳化硅 ch-sinter --data "$work/rv" --output out-long --weights "$work/nocascade.txt" && ok "reverse without the cascade still finds ch-sinter" \
  || fail "reverse without the cascade: ch-sinter not matched on 碳化硅"

# the vague-need assistant: a two-word need gets the terms its best outputs share; each says
# which outputs carry it and what the top 10 becomes with it added — and accepting one gives
# exactly that list
printf '{"type":"challenge","id":"ch-vague","title":"功率模块封装","org":"sz-chip-co"}\n' > "$work/vague.jsonl"
jb import --quiet --data "$D" "$work/vague.jsonl" >/dev/null || fail "import the vague challenge"
jb suggest --data "$D" --json --challenge ch-vague > "$work/sug.json" || fail "suggest ch-vague"
python3 - "$work/all.jsonl" "$work/sug.json" "$work/accept.jsonl" <<'PY' && ok "suggestions: lacked, carried, ordered" || fail "suggestions: $(head -c 400 "$work/sug.json")"
import json, re, sys
recs = {(r["type"], r["id"]): r for r in map(json.loads, open(sys.argv[1]))}
s = json.load(open(sys.argv[2]))
sug = s["suggestions"]
assert 0 < len(sug) <= 10, len(sug)
assert len(s["top"]) == 10
prev = None
for x in sug:
    assert x["term"].lower() not in "功率模块封装", x
    assert 2 <= x["carried_by"] == len(x["outputs"]) <= x["of"] == 10, x  # shared by two at least
    text = lambda r: (" ".join(r.get("keywords", [])) + " " + r["title"] + " " + r.get("abstract", "")).lower()
    holds = lambda r: (re.search(r"(?<![a-z0-9])%s(?![a-z0-9])" % re.escape(x["term"].lower()), text(r)) is not None
                       if x["term"][0].isascii() else x["term"].lower() in text(r))
    for o in x["outputs"]:  # an author keyword of the output, or a word of its keywords, title or abstract
        assert o in s["top"] and holds(recs[("output", o)]), (x, o)
    # every output of the top holding the term is named, and none other
    assert [o for o in s["top"] if holds(recs[("output", o)])] == x["outputs"], x
for i, x in enumerate(sug):  # no near-duplicates: no term inside another
    for y in sug[:i]:
        assert x["term"].lower() not in y["term"].lower() and y["term"].lower() not in x["term"].lower(), (x, y)
    assert prev is None or prev >= x["support"], "not ordered by support"
    prev = x["support"]
    ia = x["if_added"]
    assert set(ia["enters"]) == set(ia["top"]) - set(s["top"]) and set(ia["leaves"]) == set(s["top"]) - set(ia["top"])
json.dump(sug[0], open(sys.argv[3] + ".first", "w"), ensure_ascii=False)
with open(sys.argv[3], "w") as f:
    f.write(json.dumps({"type": "challenge", "id": "ch-vague", "title": "功率模块封装", "org": "sz-chip-co",
                        "keywords": [sug[0]["term"]]}, ensure_ascii=False) + "\n")
PY
jb import --quiet --data "$D" "$work/accept.jsonl" >/dev/null || fail "accept the first suggestion"
m --challenge ch-vague --limit 10 | python3 -c '
import sys, json
got = [x["id"] for x in json.load(sys.stdin)["matches"]]
want = json.load(open(sys.argv[1]))["if_added"]["top"]
sys.exit(0 if got == want else 1)' "$work/accept.jsonl.first" \
  && ok "accepting a suggestion gives the top 10 it announced" || fail "accepted suggestion: another top 10"
jb suggest --data "$D" --challenge ch-vague --json | python3 -c '
import sys, json
first = json.load(open(sys.argv[1]))["term"]
sys.exit(0 if first not in [x["term"] for x in json.load(sys.stdin)["suggestions"]] else 1)' "$work/accept.jsonl.first" \
  && ok "an accepted term is no longer suggested" || fail "an accepted term is suggested again"
jb suggest --data "$D" --challenge ch-none 2>"$work/err" && fail "suggest for no challenge succeeded" || \
  { grep -q "ch-none" "$work/err" && ok "suggest for no challenge names it" || fail "suggest for no challenge: $(cat "$work/err")"; }
jb suggest --data "$D" --challenge ch-vague --limit 0 2>/dev/null; [ $? = 2 ] && ok "suggest --limit 0: usage error" || fail "suggest --limit 0"
# needs with nothing to share (punctuation only, one English word, one Han character): no
# suggestion and no match is an answer, not an error (the empty list once reached qsort as NULL)
cp -r "$D" "$work/odd"
cat > "$work/odd.jsonl" <<'JSONL'
{"type":"challenge","id":"odd-1","org":"sz-chip-co","status":"published","deadline":"2099-12-31","title":"”","description":"—，","keywords":["①","“"]}
{"type":"challenge","id":"odd-2","org":"sz-chip-co","status":"published","deadline":"2099-12-31","title":"yield","lang":"en"}
{"type":"challenge","id":"odd-3","org":"sz-chip-co","status":"published","deadline":"2099-12-31","title":"。 ","description":"&amp; "}
{"type":"challenge","id":"odd-4","org":"sz-chip-co","status":"published","deadline":"2099-12-31","title":"中"}
JSONL
jb import --quiet --data "$work/odd" "$work/odd.jsonl" >/dev/null || fail "import the odd needs"
for c in odd-1 odd-2 odd-3 odd-4; do
  jb suggest --data "$work/odd" --challenge "$c" --json > "$work/odd.json" 2>"$work/err" &&
    python3 -c 'import json,sys; assert isinstance(json.load(open(sys.argv[1]))["suggestions"], list)' "$work/odd.json" \
    && ok "suggest $c: a list" || fail "suggest $c: $(head -c 300 "$work/err")"
  for k in output org expert; do
    jb match --data "$work/odd" --challenge "$c" --kind "$k" --json > "$work/odd.json" 2>"$work/err" &&
      python3 -c 'import json,sys; assert isinstance(json.load(open(sys.argv[1]))["matches"], list)' "$work/odd.json" \
      || fail "match $c --kind $k: $(head -c 300 "$work/err")"
  done
done

# what a suggestion is: one term (an author keyword listing two, 船舶、舰船工程, is not; its words
# may be; tests/security_test.py keeps keywords with quotes and brackets whole), a Latin word carried as a whole word (sar is not in sarcoma), and not a word that only
# the abstracts hold (min, the unit of 30 min)
cp -r "$D" "$work/sg"
cat > "$work/sg.jsonl" <<'JSONL'
{"type":"org","id":"sg-lab","name":"涂层实验室","kind":"university","region":"310000"}
{"type":"output","id":"sg-1","kind":"paper","org":"sg-lab","title":"SAR监测下水性涂料耐磨改性","keywords":["水性涂料","船舶、舰船工程","纳米二氧化硅"],"abstract":"以纳米二氧化硅改性水性涂料，固化30 min后测试耐磨性。"}
{"type":"output","id":"sg-2","kind":"paper","org":"sg-lab","title":"水性涂料的SAR表征与耐磨","keywords":["水性涂料","船舶、舰船工程","纳米二氧化硅"],"abstract":"水性涂料经纳米二氧化硅改性，搅拌10 min，耐磨提高。"}
{"type":"output","id":"sg-3","kind":"paper","org":"sg-lab","title":"水性涂料耐磨的纳米二氧化硅改性","keywords":["水性涂料","纳米二氧化硅"],"abstract":"用于mining设备的水性涂料，与sarcoma无关，经改性耐磨提高，放置5 min。"}
{"type":"challenge","id":"sg-need","org":"sz-chip-co","status":"published","deadline":"2099-12-31","title":"水性涂料耐磨"}
JSONL
jb import --quiet --data "$work/sg" "$work/sg.jsonl" >/dev/null || fail "import the suggestion world"
jb suggest --data "$work/sg" --challenge sg-need --json > "$work/sg.json" || fail "suggest sg-need"
python3 - "$work/sg.json" <<'PY' && ok "suggestions: one term each, Latin words whole, not the abstracts' units" || fail "suggestions of sg-need: $(head -c 600 "$work/sg.json")"
import json, sys
sug = {x["term"]: x for x in json.load(open(sys.argv[1]))["suggestions"]}
assert "纳米二氧化硅" in sug, sug.keys()  # the check can fail: the world gives suggestions
assert not [t for t in sug if any(c in t for c in "、，；;")], sug.keys()
assert "min" not in sug, sug["min"]
assert sug["sar"]["outputs"] == ["sg-1", "sg-2"], sug["sar"]
PY

# every match of every challenge, all kinds, and every reverse list: contributions add up to
# the score, hard filters hold, the issuer never appears, only open challenges come back
for c in $(sed -n 's/.*"id":"\(ch-[0-9]*\)".*"type":"challenge".*/\1/p' "$work/all.jsonl"); do
  for k in output expert org; do m --challenge "$c" --kind "$k" --limit 20 --explain-filtered; done
done > "$work/fwd.jsonl"
for x in exp-001 exp-004 exp-030 exp-062; do m --expert "$x" --limit 20; done > "$work/rev.jsonl"
for x in out-001 out-148 out-200; do m --output "$x" --limit 20; done >> "$work/rev.jsonl"
for x in hp-chain-inst sh-ic-univ jingan-health-inst; do m --org "$x" --limit 20; done >> "$work/rev.jsonl"
# the records as the index reads them (NFKC, Traditional to Simplified), line for line
jb tokenize --normalize < "$work/all.jsonl" > "$work/all.norm"
# and as the segmenter reads them (the words of each record, punctuation and JSON included)
jb tokenize --words < "$work/all.norm" > "$work/all.words"
python3 - "$work/all.jsonl" "$work/fwd.jsonl" "$work/rev.jsonl" "$work/all.norm" "$work/all.words" > "$work/check" <<'PY'
import json, sys, datetime
recs = {}; norm = {}; segs = {}
for l, ln, lw in zip(open(sys.argv[1]), open(sys.argv[4]), open(sys.argv[5])):
    r = json.loads(l); recs[(r["type"], r["id"])] = r; norm[(r["type"], r["id"])] = ln
    segs[(r["type"], r["id"])] = lw.split()
# function characters (a part of engine/match_query.c's list): a pair holding one is shown only
# when it lies inside one of the need's words (在线 of 在线监测), never across two (率的, 的变)
FUNC = set("的地得了着过在与和及或对为是于以之其而并由从向把被将也都又就")
def org_of(t, i):
    r = recs[(t, i)]
    return r if t == "org" else recs.get(("org", r.get("org", "")))
bad = []; n = 0; nf = 0; kinds = {}
cases = {"within": 0, "above": 0, "currency": 0, "no price": 0, "features": 0, "country": 0, "partial": 0}
import math
YEAR = datetime.date.today().year
def field_overlap(need, cand):
    if not need or not cand: return 0
    def shared(a, b):
        n = 0
        for x, y in zip(a.split("/"), b.split("/")):
            if x != y: break
            n += 1
        return n
    return sum(max(shared(a, b) / max(a.count("/") + 1, b.count("/") + 1) for b in cand) for a in need) / len(need)
def trl_fit(ch, out):
    if "trl" not in out: return 0
    t, now = out["trl"], ch.get("trl_now", 1)
    target = ch.get("trl_target", max(now, 6))
    if t >= target: return 1
    if t >= now: return 0.5 + 0.5 * (t - now) / max(target - now, 1)
    return max(0.5 - 0.125 * (now - t), 0)
def region(a, b):
    if not a or not b or len(a) != 6 or len(b) != 6: return 0
    return 1 if a == b else 0.7 if a[:4] == b[:4] else 0.4 if a[:2] == b[:2] else 0.1
def fresh(year):
    return 0 if not year else min(max(1 - (YEAR - year) / 10, 0), 1)
# every feature but text, worked out again from the records (docs/matching.md)
def features(ch, side, side_org, f, where):
    want = {"field": 0.20 * field_overlap(ch.get("fields", []), side.get("fields", [])),
            "trl": 0.10 * trl_fit(ch, side) if side["type"] == "output" else 0,
            "region": 0.08 * region(ch.get("region"), (side_org or {}).get("region")),
            "freshness": 0.07 * fresh(side.get("year") if side["type"] == "output" else side.get("active_year") if side["type"] == "expert" else 0),
            "track": 0.05 * min(math.log1p(side["outputs_count"]) / math.log(101), 1) if side["type"] == "expert" and "outputs_count" in side else 0}
    for k, v in want.items():
        if abs(f[k] - v) > 1e-5: bad.append("%s %s: %s, want %s" % (k, where, f[k], v))
    cases["features"] += 1
    if want["region"] > 0 and want["region"] < 0.08 * 0.4: cases["country"] += 1
# every match says what it shares: a matched word, or the need's Han character pairs it holds
# outside them (explanation.partial: pairs of the need and of the candidate, none inside a word
# or bridging two; single characters only when nothing else matched)
def explained(mt, need, cand):
    ex = mt["explanation"]
    words = [w for ws in ex["terms"].values() for w in ws]
    part = ex.get("partial", [])
    if not words and not part and not ex.get("translated") and not mt.get("evidence"): bad.append("unexplained %s %s" % (need["id"], mt["id"]))
    if "partial" in ex and not part: bad.append("empty partial %s" % mt["id"])
    ntext, ctext = norm[(need["type"], need["id"])], norm[(cand["type"], cand["id"])]
    if any(len(p) == 1 for p in part) and (words or any(len(p) == 2 for p in part)): bad.append("characters beside words %s %s" % (need["id"], mt["id"]))
    for p in part:
        cases["partial"] += 1
        bridge = len(p) == 2 and any(w.endswith(p[0]) for w in words) and any(w.startswith(p[1]) for w in words)
        if len(p) not in (1, 2) or p not in ntext or any(p in w for w in words) or bridge: bad.append("partial %s %s: %s" % (need["id"], mt["id"], p))
        if mt["type"] != "org" and p not in ctext: bad.append("partial %s not in %s" % (p, mt["id"]))
        if len(p) == 2 and (p[0] in FUNC or p[1] in FUNC) and not any(p in w for w in segs[(need["type"], need["id"])]):
            bad.append("partial %s %s: %s pairs a function character across two words" % (need["id"], mt["id"], p))
def funding(ch, out, got, where):
    fu, pr = ch.get("funding"), out.get("price")
    want = 0.0
    if not fu or not pr: cases["no price"] += 1
    elif fu.get("currency") and pr.get("currency") and fu["currency"] != pr["currency"]: cases["currency"] += 1
    elif pr["amount"] <= fu["amount"]: want = 1.0; cases["within"] += 1
    else: want = fu["amount"] / pr["amount"]; cases["above"] += 1
    if abs(0.05 * want - got) > 1e-5: bad.append("funding %s: %s, want %s" % (where, got, 0.05 * want))
for l in open(sys.argv[2]):
    j = json.loads(l); ch = recs[("challenge", j["query"]["id"])]; el = ch.get("eligibility", {})
    kinds[j["query"]["kind"]] = kinds.get(j["query"]["kind"], 0) + len(j["matches"])
    for mt in j["matches"]:
        n += 1
        if mt["type"] != j["query"]["kind"]: bad.append("type %s %s for kind %s" % (ch["id"], mt["id"], j["query"]["kind"]))
        for ev in mt.get("evidence", []):
            if ev["type"] not in ("output", "expert"): bad.append("evidence type %s" % ev["id"])
        f = mt["explanation"]["features"]
        if abs(sum(f.values()) - mt["score"]) > 1e-4: bad.append("sum %s %s" % (ch["id"], mt["id"]))
        explained(mt, ch, recs[(mt["type"], mt["id"])])
        if mt["type"] == "output": funding(ch, recs[("output", mt["id"])], f["funding"], ch["id"] + " " + mt["id"])
        if mt["type"] != "org": features(ch, recs[(mt["type"], mt["id"])], org_of(mt["type"], mt["id"]), f, ch["id"] + " " + mt["id"])
        if mt["type"] == "expert" and f["funding"] != 0: bad.append("funding for an expert")
        o = org_of(mt["type"], mt["id"])
        if o and o["id"] == ch.get("org"): bad.append("issuer %s %s" % (ch["id"], mt["id"]))
        if el.get("org_kinds") and (not o or o.get("kind") not in el["org_kinds"]): bad.append("kind %s %s" % (ch["id"], mt["id"]))
        if el.get("regions") and (not o or not any(o.get("region", "").startswith(p) for p in el["regions"])): bad.append("region %s %s" % (ch["id"], mt["id"]))
        for ev in mt.get("evidence", []):
            if org_of(ev["type"], ev["id"])["id"] != mt["id"]: bad.append("evidence %s" % ev["id"])
            if ev["type"] == "output": funding(ch, recs[("output", ev["id"])], ev["explanation"]["features"]["funding"], "evidence " + ev["id"])
    scores = [mt["score"] for mt in j["matches"]]
    if scores != sorted(scores, reverse=True): bad.append("order %s" % ch["id"])
    for fl in j.get("filtered", []):
        nf += 1
        o = org_of(fl["type"], fl["id"])
        if fl["filter"].startswith("issuer") and o["id"] != ch.get("org"): bad.append("why-not issuer")
        if fl["filter"].startswith("eligibility.org_kinds") and o.get("kind") in el.get("org_kinds", []): bad.append("why-not kind")
today = datetime.date.today().isoformat()
for l in open(sys.argv[3]):
    j = json.loads(l); q = recs[(j["query"]["type"], j["query"]["id"])]
    qo = org_of(j["query"]["type"], j["query"]["id"])
    for mt in j["matches"]:
        n += 1; ch = recs[("challenge", mt["id"])]
        if ch.get("status", "draft") != "published": bad.append("not open %s" % mt["id"])
        if ch.get("deadline", "9999") < today: bad.append("past deadline %s" % mt["id"])
        if qo and ch.get("org") == qo["id"]: bad.append("own challenge %s" % mt["id"])
        f = mt["explanation"]["features"]
        if abs(sum(f.values()) - mt["score"]) > 1e-4: bad.append("sum rev %s" % mt["id"])
        if j["query"]["type"] == "output": funding(ch, q, f["funding"], q["id"] + " " + ch["id"])
        features(ch, q, qo, f, q["id"] + " " + ch["id"])
# every case of the funding fit and of the region's levels was met
if min(cases.values()) == 0: bad.append("feature cases not all met: %s" % cases)
# every kind came back: the type filter admits what it should, not only that it keeps others out
if sorted(k for k, c in kinds.items() if c) != ["expert", "org", "output"]: bad.append("kinds %s" % kinds)
print("matches", n, "filtered", nf, "cases", cases)
print("\n".join(bad[:20]) if bad else "all good")
PY
cat "$work/check"
grep -q "all good" "$work/check" && ok "explanations add up; every match is of the kind asked; filters, issuer, open challenges, funding fit hold" || fail "checks: $(cat "$work/check")"
nf=$(sed -n 's/.*filtered \([0-9]*\).*/\1/p' "$work/check")
[ "${nf:-0}" -gt 0 ] && ok "why-not lists name the failing filter ($nf)" || fail "no filtered candidate reported"

# determinism
m --challenge ch-003 --kind org > "$work/a"; m --challenge ch-003 --kind org > "$work/b"
cmp -s "$work/a" "$work/b" && ok "deterministic" || fail "two runs differ"
# reciprocal score: both directions agree with the lists they come from
m --challenge ch-001 --reciprocal --limit 5 > "$work/rf"
m --output out-148 --reciprocal --limit 5 > "$work/rr"
python3 - "$work/rf" "$work/rr" "$D" "$JIEBANG" <<'PY' > "$work/rc" 2>&1
import json, subprocess, sys
def run(*a):
    return json.loads(subprocess.run([sys.argv[4], "match", "--data", sys.argv[3], "--json", "--limit", "50"] + list(a), capture_output=True, text=True, check=True).stdout)
bad = []
for path, fwd in ((sys.argv[1], True), (sys.argv[2], False)):
    j = json.load(open(path)); ms = j["matches"]; q = j["query"]
    if not ms: bad.append("no matches in " + path)
    best = ms[0]["score"] if ms else 0
    for m in ms:
        r = m.get("reciprocal")
        if r is None: bad.append("no reciprocal for %s" % m["id"]); continue
        a, b = r["this_way"], r["other_way"]
        if abs(a - m["score"] / best) > 1e-5: bad.append("this_way %s" % m["id"])
        hm = 2 * a * b / (a + b) if a + b else 0
        if abs(hm - r["score"]) > 1e-5: bad.append("harmonic mean %s" % m["id"])
        # the other direction's list, asked directly
        o = run("--" + m["type"], m["id"]) if fwd else run("--challenge", m["id"], "--kind", q["type"])
        ids = [x["id"] for x in o["matches"]]
        if q["id"] in ids:
            if r["other_rank"] != ids.index(q["id"]) + 1: bad.append("rank %s" % m["id"])
            if abs(o["matches"][ids.index(q["id"])]["score"] / o["matches"][0]["score"] - b) > 1e-5: bad.append("other_way %s" % m["id"])
        elif r["other_rank"] is not None or b != 0: bad.append("absent yet ranked %s" % m["id"])
print("\n".join(bad) if bad else "all good")
PY
grep -q "all good" "$work/rc" && ok "reciprocal scores: harmonic mean of both lists, ranks agree" || fail "reciprocal: $(cat "$work/rc")"
grep -q '"reciprocal"' "$work/rf" && ! m --challenge ch-001 --limit 2 | grep -q '"reciprocal"' && ok "reciprocal only on request" || fail "reciprocal on request"
# bad requests
jb match --data "$D" --challenge nope >/dev/null 2>"$work/err"; [ $? = 1 ] && grep -q "not found" "$work/err" && ok "unknown challenge" || fail "unknown challenge"
jb match --data "$D" --challenge ch-001 --kind person >/dev/null 2>&1; [ $? = 2 ] && ok "bad kind" || fail "bad kind"
jb match --data "$D" --expert exp-001 --kind org >/dev/null 2>&1; [ $? = 2 ] && ok "--kind only with --challenge" || fail "kind with expert"
printf 'match.text = 1\nmatch.field = 0\nmatch.trl = 0\nmatch.region = 0\nmatch.freshness = 0\nmatch.track = 0\nmatch.funding = 0\n' > "$work/w.conf"
m --challenge ch-001 --weights "$work/w.conf" --limit 1 | python3 -c 'import sys,json
f = json.load(sys.stdin)["matches"][0]["explanation"]["features"]
sys.exit(0 if f["text"] == 1 and sum(f.values()) == 1 else 1)' && ok "weights from a file" || fail "weights file"
# the challenge's own texts weigh as configured: with only the title left, every matched word is the title's
printf 'match.source_indicators = 0\nmatch.source_keywords = 0\nmatch.source_problem = 0\nmatch.source_description = 0\n' > "$work/src.conf"
m --challenge ch-001 --weights "$work/src.conf" --limit 10 | python3 -c 'import sys,json
j = json.load(sys.stdin); t = j["query"]["title"]
words = {w for x in j["matches"] for ws in x["explanation"]["terms"].values() for w in ws}
sys.exit(0 if j["matches"] and words and all(w in t for w in words) else 1)' && ok "source weights: title alone asks only title words" || fail "source weights"
m --challenge ch-001 --limit 10 | python3 -c 'import sys,json
j = json.load(sys.stdin); t = j["query"]["title"]
sys.exit(0 if any(w not in t for x in j["matches"] for ws in x["explanation"]["terms"].values() for w in ws) else 1)' && ok "default source weights ask beyond the title" || fail "default sources"
# a long problem gives its most specific sentences: boilerplate first, the need in its last sentence
B='我公司是一家以技术创新为核心竞争力的国家级高新技术企业，长期重视产学研合作。现面向全国高校、科研院所和新型研发机构公开征集解决方案。希望与具备相关研究基础的团队开展深度合作，共同推动成果转化和产业化应用。'
printf '{"type":"challenge","id":"ch-long","title":"合作需求征集","problem":"%s需要车规级碳化硅功率模块的封装材料与热阻测试方法。"}\n' "$B" > "$work/long.jsonl"
jb import --quiet --data "$D" "$work/long.jsonl" >/dev/null || fail "import the long challenge"
m --challenge ch-long --limit 5 | python3 -c 'import sys,json
j = json.load(sys.stdin)
words = {w for x in j["matches"] for ws in x["explanation"]["terms"].values() for w in ws}
sys.exit(0 if "碳化硅" in words and {"out-148", "out-182", "out-wbg1", "out-wbg2"} & {x["id"] for x in j["matches"]} else 1)' \
  && ok "a long problem: its specific last sentence is asked, not cut off" || fail "long problem: $(m --challenge ch-long --limit 3 | head -c 600)"
printf 'match.colour = 1\n' > "$work/bad.conf"
jb match --data "$D" --challenge ch-001 --weights "$work/bad.conf" 2>"$work/err" >/dev/null
grep -q "bad.conf:1: unknown key 'match.colour'" "$work/err" && ok "bad weights file" || fail "bad weights: $(cat "$work/err")"
finish
