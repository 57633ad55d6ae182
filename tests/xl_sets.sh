# SPDX-License-Identifier: GPL-3.0-or-later
# The cross-lingual benchmark sets of issue 15 (bench/quality/english*.tsv, zh2en_*) stay
# well formed and judged, and the naive CC-CEDICT peer (bench/cedict_peer.py) translates as its
# header says, on a hand-written fixture in CC-CEDICT's format (tests/data/cedict_fixture.u8).
. "$JB_SRCDIR/tests/lib.sh"
q=$JB_SRCDIR/bench/quality
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
# the needs and their judgments load the way bench/quality.sh loads them
python3 "$JB_SRCDIR/bench/quality_longform.py" "$q/english.tsv" "$q/english_judgments.tsv" "$t/en" \
  && ok "english.tsv and english_judgments.tsv load" || fail "english set does not load"
python3 "$JB_SRCDIR/bench/quality_longform.py" "$q/zh2en_needs.tsv" "$q/zh2en_judgments.tsv" "$t/zx" \
  && ok "zh2en_needs.tsv and zh2en_judgments.tsv load" || fail "zh2en set does not load"
out=$(jb import --data "$t/d" "$q/zh2en_outputs.jsonl" 2>&1)
n=$(grep -c . "$q/zh2en_outputs.jsonl")
case $out in
  *"imported $n records"*", 0 bad lines"*) ok "zh2en_outputs.jsonl imports: $out" ;;
  *) fail "zh2en_outputs.jsonl: $out" ;;
esac
csl=$JB_SHARED/data/csl/papers.jsonl
[ -r "$csl" ] || { echo "note: CSL data not found at $csl: paper ids and English overlap not checked"; csl=""; }
python3 - "$q" "$csl" <<'PY' || fail "set checks"
import collections, json, re, sys
q, csl = sys.argv[1], sys.argv[2]
bad = 0
def no(msg):
    global bad
    bad += 1
    print("FAIL:", msg)
def rows(path):
    return [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8")
            if l.strip() and not l.startswith("#")]
def grades(path):
    g = collections.defaultdict(dict)
    for n, d, v in rows(path):
        g[n][d] = int(v)
    return g
en, zh = rows(q + "/english.tsv"), rows(q + "/zh2en_needs.tsv")
if len(en) < 25: no("%d English needs, want >= 25" % len(en))
if len(zh) < 15: no("%d Chinese needs, want >= 15" % len(zh))
for nid, title, desc, _ in en:
    if re.search(r"[\u3400-\u9fff]", title + desc): no(nid + ": Han characters in an English need")
    if len(desc) < 80 and len(desc.split()) < 15 or len(desc.split()) > 180:
        no("%s: description of %d characters, %d words" % (nid, len(desc), len(desc.split())))
for nid, title, desc, _ in zh:
    if not re.search(r"[\u4e00-\u9fff]", title): no(nid + ": no Chinese title")
outs = {json.loads(l)["id"] for l in open(q + "/zh2en_outputs.jsonl", encoding="utf-8")}
if len(outs) < 150: no("%d English outputs, want >= 150" % len(outs))
for name, needs, g, ids in (("english", en, grades(q + "/english_judgments.tsv"), None),
                            ("zh2en", zh, grades(q + "/zh2en_judgments.tsv"), outs)):
    for r in needs:
        if len(g[r[0]]) < 2: no("%s %s: %d relevant, want >= 2" % (name, r[0], len(g[r[0]])))
    if ids is not None:
        for n in g:
            for d in g[n]:
                if d not in ids: no("%s %s: unknown output %s" % (name, n, d))
if csl:
    papers = [json.loads(l) for l in open(csl, encoding="utf-8")]
    pid = {p["id"] for p in papers}
    for n, ds in grades(q + "/english_judgments.tsv").items():
        for d in ds:
            if d not in pid: no("english %s: unknown paper %s" % (n, d))
    # no run of 4 consecutive words of a need in any English text of the CSL data (runs of
    # letters and spaces: figures and units such as "0.5 mg/L" are no copied prose)
    def grams(text):
        for seg in re.split(r"[^a-z' ]+", text.lower()):
            w = seg.split()
            for i in range(len(w) - 3):
                yield tuple(w[i:i + 4])
    seen = set()
    for p in papers:
        seen.update(grams(" ".join([p["title"], p.get("abstract", "")] + p.get("keywords", []))))
    for nid, title, desc, _ in en:
        for g in grams(title + ". " + desc):
            if g in seen: no("%s: '%s' is in the CSL text" % (nid, " ".join(g)))
sys.exit(1 if bad else 0)
PY
[ "$fails" -eq 0 ] && ok "needs counts, lengths, languages, >= 2 relevant each, judged ids exist"
# the dictionary peer
fx=$JB_SRCDIR/tests/data/cedict_fixture.u8
printf 'a\tEarly warning of bearing faults in 2 batteries\tp1:2\nb-t\tfish ponds\t\n' > "$t/q.tsv"
got=$(python3 "$JB_SRCDIR/bench/cedict_peer.py" --en2zh "$fx" "$t/q.tsv")
# every headword with a sense equal to the word, in dictionary order; plural tried; stop words
# dropped; numbers kept; a word only inside longer senses takes the shortest of them
want=$(printf 'a\t早期 预警 轴承 故障 断层 错误 2 电池\tp1:2\nb-t\t鱼塘 池\t')
[ "$got" = "$want" ] && ok "en2zh word by word" || fail "en2zh: got [$got] want [$want]"
printf 'z\t电池早期故障预警 ABC-12 池\t\n' > "$t/z.tsv"
got=$(python3 "$JB_SRCDIR/bench/cedict_peer.py" --zh2en "$fx" "$t/z.tsv")
# longest headwords first; first real sense (surname skipped); Latin runs kept
want=$(printf 'z\tbattery early period fault early warning ABC-12 pond\t')
[ "$got" = "$want" ] && ok "zh2en forward maximum matching" || fail "zh2en: got [$got] want [$want]"
python3 "$JB_SRCDIR/bench/cedict_peer.py" --en2zh "$t/none.u8" "$t/q.tsv" > /dev/null 2> "$t/err"
rc=$?
[ "$rc" = 77 ] && grep -q 'no CC-CEDICT' "$t/err" && ok "missing dictionary: exit 77 with a notice" \
  || fail "missing dictionary: exit $rc"
printf 'only-one-field\n' > "$t/bad.tsv"
python3 "$JB_SRCDIR/bench/cedict_peer.py" --en2zh "$fx" "$t/bad.tsv" > /dev/null 2> "$t/err"
rc=$?
[ "$rc" != 0 ] && grep -q 'bad.tsv:1:' "$t/err" && ok "malformed qrels line named" || fail "malformed qrels: exit $rc"
finish
