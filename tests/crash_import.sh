# SPDX-License-Identifier: GPL-3.0-or-later
# kill -9 during import, 24 times at random moments, restarting each time.
# Afterwards: integrity_check ok, every batch the importer reported committed
# is present (with that round's version or a later one), no record twice,
# and after the next open the index holds exactly the store's records.
. "$JB_SRCDIR/tests/lib.sh"
work=$(mktemp -d /tmp/jb_crash_XXXXXX)
trap 'rm -rf "$work"' EXIT
D=$work/d
N=${JB_CRASH_RECORDS:-60000}
ROUNDS=24
killed=0 # the importer runs natively even in a valgrind build: it is killed, not checked
seed=$$
: > "$work/reported"
for r in $(seq 1 $ROUNDS); do
  # every round rewrites every record (title carries the round) so each run writes
  awk -v n="$N" -v r="$r" 'BEGIN { for (i = 1; i <= n; i++)
    printf "{\"type\":\"output\",\"id\":\"k-%d\",\"title\":\"压力测试成果%d第%d版\",\"abstract\":\"用于崩溃测试的集成电路成果摘要 %d\",\"trl\":%d}\n", i, i, r, i, i % 9 + 1 }' \
    > "$work/in.jsonl"
  "$JIEBANG" import --batch 250 --data "$D" "$work/in.jsonl" > "$work/out.$r" 2>"$work/err.$r" &
  pid=$!
  # a random moment from 0.05 s to about 1.6 s: from the start in odd rounds (a
  # kill in start-up, while the last kill's outbox is applied), from the first
  # committed batch in even ones (start-up alone can take longer than 1.6 s on
  # a loaded machine; waited for up to 30 s)
  w=0
  while [ $((r % 2)) = 0 ] && [ ! -s "$work/out.$r" ] && kill -0 $pid 2>/dev/null && [ $w -lt 600 ]; do
    sleep 0.05; w=$((w + 1))
  done
  ms=$(( (seed * 1103515245 + r * 12345) % 1550 + 50 )); seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
  sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  grep -q "^imported " "$work/err.$r" || killed=$((killed + 1))
  sed -n "s/^committed lines \([0-9]*\)-\([0-9]*\)$/$r \1 \2/p" "$work/out.$r" >> "$work/reported"
  if grep -q "another jiebang process" "$work/err.$r"; then fail "round $r: lock left behind"; fi
done
echo "batches reported committed across the rounds: $(wc -l < "$work/reported")"
[ $killed -ge 20 ] && ok "$killed of $ROUNDS imports killed mid-way" || fail "only $killed imports were killed mid-way"
[ -s "$work/reported" ] || fail "no batch was ever reported committed (kills too early?)"

# the next open replays the outbox; verify = integrity_check + index == store
"$JIEBANG" verify --data "$D" > "$work/verify" 2>&1 && ok "verify: $(tail -1 "$work/verify")" \
  || fail "verify: $(cat "$work/verify")"
"$JIEBANG" export --data "$D" > "$work/export.jsonl" || fail "export"
dups=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$work/export.jsonl" | sort | uniq -d | wc -l)
[ "$dups" = 0 ] && ok "no duplicated record" || fail "$dups duplicated ids"
# every reported batch present, with its round's version or a later one
sed -n 's/.*"id":"k-\([0-9]*\)".*第\([0-9]*\)版.*/\1 \2/p' "$work/export.jsonl" > "$work/have"
missing=$(awk 'NR == FNR { v[$1] = $2; next }
  { for (i = $2; i <= $3; i++) if (!(i in v) || v[i] < $1) bad++ }
  END { print bad + 0 }' "$work/have" "$work/reported")
[ "$missing" = 0 ] && ok "every reported batch is present" || fail "$missing records of reported batches missing or older"
"$JIEBANG" stats --json --data "$D" > "$work/stats"
grep -q '"outbox":0' "$work/stats" && ok "outbox drained after open" || fail "stats: $(cat "$work/stats")"
finish
