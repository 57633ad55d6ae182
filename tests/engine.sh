# SPDX-License-Identifier: GPL-3.0-or-later
# The store, import/export, sync and the CLI over a data directory.
. "$JB_SRCDIR/tests/lib.sh"
work=$(mktemp -d /tmp/jb_engine_XXXXXX)
trap 'rm -rf "$work"' EXIT
D=$work/d
demo=$JB_SRCDIR/data/demo/demo.jsonl
stat_of() { jb stats --json --data "$1" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"; }

# --- import the demo world -----------------------------------------------------
jb import --quiet --data "$D" --demo >/dev/null || fail "demo import exit $?"
[ "$(stat_of "$D" orgs)" -ge 20 ] && [ "$(stat_of "$D" experts)" -ge 60 ] && \
  [ "$(stat_of "$D" outputs)" -ge 200 ] && [ "$(stat_of "$D" challenges)" -ge 20 ] && ok "demo counts" \
  || fail "demo counts: $(jb stats --json --data "$D")"
n=$(wc -l < "$demo")
[ "$(stat_of "$D" indexed)" = "$n" ] && ok "index holds $n documents" || fail "indexed $(stat_of "$D" indexed)"
[ "$(stat_of "$D" outbox)" = 0 ] && ok "outbox drained" || fail "outbox $(stat_of "$D" outbox)"
seq1=$(stat_of "$D" last_seq)

# --- re-import changes nothing --------------------------------------------------
jb import --data "$D" "$demo" >/dev/null 2>"$work/err" || fail "re-import exit $?"
grep -q "(0 changed, $n unchanged)" "$work/err" && ok "re-import unchanged" || fail "re-import: $(cat "$work/err")"
[ "$(stat_of "$D" last_seq)" = "$seq1" ] && ok "no new sequence" || fail "sequence moved"

# --- export -> import -> export is identical -------------------------------------
jb export --data "$D" > "$work/a.jsonl" || fail "export"
jb import --quiet --data "$work/d2" "$work/a.jsonl" >/dev/null || fail "import of export"
jb export --data "$work/d2" > "$work/b.jsonl"
cmp -s "$work/a.jsonl" "$work/b.jsonl" && ok "round trip identical" || fail "round trip differs"
[ "$(wc -l < "$work/a.jsonl")" = "$n" ] && ok "export has every record" || fail "export lines"
jb export --data "$D" --type challenge | grep -c '"type":"challenge"' | grep -qx "$(stat_of "$D" challenges)" \
  && ok "export --type" || fail "export --type"

# --- bad lines: reported with numbers, nothing of them stored ----------------------
cat > "$work/bad.jsonl" <<'JSONL'
{"type":"org","id":"ok-org","name":"好的机构","kind":"lab"}
{"type":"org","id":"bad-kind","name":"x","kind":"company"}

{"type":"expert","id":"e-x","name":"某人","org":"no-such-org"}
{"type":"output","id":"o-x","title":"t","trl":10}
{"type":"challenge","id":"c-x","title":"t","deadline":"2027-02-30"}
{"type":"challenge","id":"c-y","title":"t","trl_now":5,"trl_target":3}
{"type":"output","id":"o-y","title":"t","colour":"red"}
{"type":"org","id":"o-z"}
{"type":"org","id":"dup","name":"a","name":"b"}
not json at all
{"type":"output","id":"o-ok","title":"一种芯片","org":"ok-org"}
JSONL
jb import --data "$work/d3" "$work/bad.jsonl" >/dev/null 2>"$work/err"; rc=$?
[ $rc = 1 ] && ok "bad file exit 1" || fail "bad file exit $rc"
for want in "line 2: kind: must be one of" "line 4: org: unknown org 'no-such-org'" \
  "line 5: trl: must be an integer from 1 to 9" "line 6: deadline: '2027-02-30' is not a valid date" \
  "line 7: trl_target: must not be below trl_now" "line 8: colour: unknown field" \
  "line 9: name: is required" "line 10: invalid JSON" "line 11: invalid JSON"; do
  grep -qF "$want" "$work/err" && ok "$want" || fail "missing '$want' in: $(cat "$work/err")"
done
[ "$(stat_of "$work/d3" orgs)" = 1 ] && [ "$(stat_of "$work/d3" outputs)" = 1 ] && \
  [ "$(stat_of "$work/d3" experts)" = 0 ] && ok "only the valid lines stored" || fail "stored: $(jb stats --json --data "$work/d3")"

# --- dry run stores nothing ----------------------------------------------------------
jb import --quiet --dry-run --data "$work/d4" "$demo" >/dev/null 2>&1 || fail "dry run exit $?"
# (a dry run opens the store read-only: it does not even create the directory)
{ [ ! -e "$work/d4" ] || [ "$(stat_of "$work/d4" orgs)" = 0 ]; } && ok "dry run stored nothing" || fail "dry run stored"

# --- upsert: a changed record replaces the old one, in the store and the index ----------
sed 's/车规级碳化硅功率模块封装可靠性提升/车规级碳化硅功率模块银烧结封装/' "$demo" | grep '"id": "ch-001"' > "$work/up.jsonl"
jb import --quiet --data "$D" "$work/up.jsonl" >/dev/null || fail "upsert exit"
jb get --data "$D" challenge ch-001 | grep -q "银烧结" && ok "upsert stored" || fail "upsert not stored"
jb search --data "$D" --type challenge 银烧结 | grep -q "ch-001" && ok "upsert indexed" || fail "upsert not indexed"
[ "$(stat_of "$D" indexed)" = "$n" ] && ok "no duplicate document" || fail "indexed $(stat_of "$D" indexed)"
jb get --data "$D" challenge nope >/dev/null 2>&1 && fail "get of a missing record" || ok "get missing: error"

# --- a crash between the SQLite commit and the Xapian commit is replayed ----------------
printf '%s\n' '{"type":"output","id":"crash-1","title":"崩溃恢复测试成果一"}' \
  '{"type":"output","id":"crash-2","title":"崩溃恢复测试成果二"}' > "$work/c.jsonl"
JIEBANG_FAULT=before-index-commit jb import --quiet --data "$D" "$work/c.jsonl" >/dev/null 2>&1; rc=$?
[ $rc = 86 ] && ok "fault before the index commit" || fail "fault exit $rc"
[ "$(stat_of "$D" outbox)" = 2 ] && ok "the store has the records, the outbox 2 changes" || fail "outbox $(stat_of "$D" outbox)"
jb verify --data "$D" >/dev/null 2>&1 && ok "replayed on open: verify ok" || fail "verify after replay"
jb search --data "$D" 崩溃恢复测试 | grep -q crash-2 && ok "replayed records searchable" || fail "not searchable"
printf '%s\n' '{"type":"output","id":"crash-3","title":"崩溃恢复测试成果三"}' > "$work/c3.jsonl"
JIEBANG_FAULT=after-index-commit jb import --quiet --data "$D" "$work/c3.jsonl" >/dev/null 2>&1
jb verify --data "$D" >/dev/null 2>&1 && ok "crash after the index commit: verify ok" || fail "verify 2"
[ "$(stat_of "$D" indexed)" = "$((n + 3))" ] && ok "no duplicates after replay" || fail "indexed $(stat_of "$D" indexed)"
: > "$work/empty.jsonl"
jb import --quiet --data "$D" "$work/empty.jsonl" >/dev/null 2>&1
[ "$(stat_of "$D" outbox)" = 0 ] && ok "rows applied before the crash are pruned at the next writer's open" \
  || fail "outbox $(stat_of "$D" outbox) after reopening for writing"

# --- reindex switches atomically; a generation mismatch rebuilds --------------------------
before=$(readlink "$D/index")
jb reindex --data "$D" 2>/dev/null || fail "reindex exit $?"
after=$(readlink "$D/index")
[ "$before" != "$after" ] && [ ! -e "$D/$before" ] && ok "reindex: $before -> $after" || fail "reindex $before $after"
jb verify --data "$D" >/dev/null && ok "verify after reindex" || fail "verify after reindex"
if command -v xapian-metadata >/dev/null 2>&1; then
  xapian-metadata set "$D/index" generation tok0-map0
  jb stats --data "$D" 2>"$work/err" >/dev/null
  grep -q "built as 'tok0-map0'.*until the next write" "$work/err" && ok "a reader says the index is of another generation" \
    || fail "reader on an old generation: $(cat "$work/err")"
  jb verify --data "$D" 2>"$work/err" >/dev/null || fail "verify after generation change"
  grep -q "rebuilding" "$work/err" && ok "generation mismatch rebuilt" || fail "no rebuild message: $(cat "$work/err")"
  [ "$(readlink "$D/index")" != "$after" ] && ok "new index directory" || fail "same index dir"
  # the server rebuilds too, and logs it as an event
  xapian-metadata set "$D/index" generation tok0-map0
  "$JIEBANG" serve --data "$D" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
  spid=$!
  for _ in $(seq 100); do grep -q listening "$work/serve.out" && break; sleep 0.1; done
  kill -TERM "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
  grep -q '"event":"engine","message":"the index was built as .tok0-map0.*rebuilding' "$work/serve.err" \
    && ok "serve logs the rebuild of an old index" || fail "serve rebuild: $(head -3 "$work/serve.err")"
fi

# --- a changed domain dictionary rebuilds the index: the generation carries the lexicon's
# fingerprint, so documents are never left segmented with the old words -----------------------
cp -r "$JB_SRCDIR/data" "$work/datadir" && chmod -R u+w "$work/datadir"
printf '示波相色谱仪\n' >> "$work/datadir/lexicon/domain.txt"
JIEBANG_DATADIR=$work/datadir jb stats --data "$D" 2>"$work/err" >/dev/null
grep -q "built as 'tok.*-lex.*until the next write" "$work/err" && ok "a reader sees the dictionary changed" \
  || fail "reader after a dictionary change: $(cat "$work/err")"
JIEBANG_DATADIR=$work/datadir jb verify --data "$D" 2>"$work/err" >/dev/null || fail "verify after a dictionary change"
grep -q "rebuilding" "$work/err" && ok "a changed dictionary rebuilds the index" || fail "no rebuild: $(cat "$work/err")"
JIEBANG_DATADIR=$work/datadir jb verify --data "$D" 2>"$work/err" >/dev/null
! grep -q "rebuilding" "$work/err" && ok "the same dictionary again: no rebuild" || fail "rebuilt twice: $(cat "$work/err")"
jb verify --data "$D" 2>"$work/err" >/dev/null
grep -q "rebuilding" "$work/err" && ok "the shipped dictionary back: rebuilt again" || fail "no rebuild back: $(cat "$work/err")"

# --- what a killed reindex leaves (index.N beside the current one) goes at the next writer ---
cp -r "$D/$(readlink "$D/index")" "$D/index.999"
mkdir "$D/index.keep" && touch "$D/index.keep/mine"
jb verify --data "$D" 2>"$work/err" >/dev/null || fail "verify with an orphan: $(cat "$work/err")"
[ ! -e "$D/index.999" ] && grep -q "removed index.999, left by an interrupted reindex" "$work/err" \
  && ok "orphan index directory removed" || fail "orphan: $(ls "$D") $(cat "$work/err")"
[ -f "$D/index.keep/mine" ] && ok "a directory not named index.N is left alone" || fail "index.keep removed"
jb verify --data "$D" >/dev/null && ok "verify after the orphan's removal" || fail "verify after orphan"
rm -rf "$D/index.keep"

# --- a database newer than this binary is refused, and left alone ---------------------------
if python3 -c 'import sqlite3' 2>/dev/null; then
  jb import --quiet --data "$work/d5" --demo >/dev/null
  python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("INSERT INTO schema_version VALUES(99)"); c.commit()' "$work/d5/jiebang.db"
  jb import --quiet --data "$work/d5" --demo >/dev/null 2>"$work/err"; rc=$?
  [ $rc = 1 ] && grep -q "schema version 99, newer than this jiebang" "$work/err" && ok "newer schema refused" \
    || fail "newer schema: $rc $(cat "$work/err")"
  jb stats --data "$work/d5" >/dev/null 2>&1 && fail "stats on a newer schema" || ok "stats refuses a newer schema"
fi

# --- a second writer is refused at once ---------------------------------------------------
awk 'BEGIN { for (i = 1; i <= 40000; i++) printf "{\"type\":\"output\",\"id\":\"w-%d\",\"title\":\"并发%d\"}\n", i, i }' > "$work/w.jsonl"
"$JIEBANG" import --quiet --data "$work/d6" "$work/w.jsonl" >/dev/null 2>&1 &
wpid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -e "$work/d6/index" ] && break; sleep 0.2; done
sleep 0.3
jb import --quiet --data "$work/d6" --demo >/dev/null 2>"$work/err"; rc=$?
if kill -0 $wpid 2>/dev/null; then
  [ $rc = 1 ] && grep -q "another jiebang process is writing" "$work/err" && ok "second writer refused" \
    || fail "second writer: $rc $(cat "$work/err")"
  jb search --data "$work/d6" --limit 1 并发 >/dev/null && ok "a reader runs beside the writer" || fail "reader beside writer"
fi
wait $wpid || fail "first writer failed"

# --- locking and bad arguments -----------------------------------------------------------
jb get --data "$work/nonexistent" org x >/dev/null 2>&1 && fail "get on a missing dir" || ok "missing dir: error"
jb import --data "$D" "$work/nope.jsonl" 2>"$work/err" >/dev/null; rc=$?
[ $rc = 1 ] && grep -q "nope.jsonl: cannot open" "$work/err" && ok "missing file" || fail "missing file: $rc"
jb search --data "$D" --limit 0 x >/dev/null 2>&1; [ $? = 2 ] && ok "bad --limit" || fail "bad --limit"
finish
