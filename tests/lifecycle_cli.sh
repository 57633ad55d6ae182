# SPDX-License-Identifier: GPL-3.0-or-later
# The 揭榜 loop's CLI side: `jiebang key list [--json]` (never a secret, times
# in RFC 3339), and a data directory of the schema before last_used_at
# (version 5) still opening: a reader says how to upgrade it, a writer migrates it.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed"
work=$(mktemp -d /tmp/jb_lccli_XXXXXX)
trap 'rm -rf "$work"' EXIT
D=$work/d
printf '%s\n' '{"type":"org","id":"cli-org","name":"测试机构","kind":"university"}' > "$work/w.jsonl"
jb import --quiet --data "$D" "$work/w.jsonl" >/dev/null || fail "import exit $?"
jb key list --data "$D" > "$work/empty" || fail "key list on no keys: exit $?"
[ "$(wc -l < "$work/empty")" = 1 ] && head -1 "$work/empty" | grep -q '^ID  *ROLE  *ORG  *CREATED  *LAST USED  *REVOKED$' \
  && ok "no keys: the header alone" || fail "no keys: $(cat "$work/empty")"
[ "$(jb key list --json --data "$D")" = "[]" ] && ok "no keys: []" || fail "no keys --json"
s1=$(jb key create --role researcher --org cli-org --data "$D" 2>/dev/null)
s2=$(jb key create --role officer --data "$D" 2>/dev/null)
id1=$(printf '%s' "$s1" | cut -c4-20)
id2=$(printf '%s' "$s2" | cut -c4-20)
jb key revoke "$id2" --data "$D" 2>/dev/null || fail "revoke"
jb key list --json --data "$D" > "$work/list.json" || fail "key list --json exit $?"
jb key list --data "$D" > "$work/list.txt" || fail "key list exit $?"
for s in "$s1" "$s2"; do
  sec=$(printf '%s' "$s" | cut -c22-)
  grep -q -- "$sec" "$work/list.json" "$work/list.txt" && fail "a secret is listed"
done
ok "no secret in either listing"
python3 - "$work/list.json" "$id1" "$id2" <<'PY' && ok "key list --json: id, role, org, created, last used, revoked" || fail "key list --json: $(cat "$work/list.json")"
import json, re, sys, datetime
keys = json.load(open(sys.argv[1]))
id1, id2 = sys.argv[2:4]
assert [k["id"] for k in keys] == sorted([id1, id2]), keys
by = {k["id"]: k for k in keys}
for k in keys:
    assert set(k) == {"id", "role", "org", "created_at", "last_used_at", "revoked_at", "revoked"}, k
    t = datetime.datetime.strptime(k["created_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert abs((datetime.datetime.utcnow() - t).total_seconds()) < 120, k
    assert k["last_used_at"] is None
assert by[id1]["role"] == "researcher" and by[id1]["org"] == "cli-org" and by[id1]["revoked"] is False
assert by[id1]["revoked_at"] is None
assert by[id2]["role"] == "officer" and by[id2]["org"] is None and by[id2]["revoked"] is True
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", by[id2]["revoked_at"])
PY
grep -q "^$id1  *researcher  *cli-org  *20[0-9-]*T[0-9:]*Z  *-  *-\$" "$work/list.txt" \
  && grep -q "^$id2  *officer  *-  *20[0-9-]*T[0-9:]*Z  *-  *20[0-9-]*T[0-9:]*Z\$" "$work/list.txt" \
  && ok "key list: one row per key" || fail "key list: $(cat "$work/list.txt")"
jb key list --role admin --data "$D" 2>"$work/err"; rc=$?
[ $rc = 2 ] && grep -q "for key create" "$work/err" && ok "key list --role: a usage error" || fail "key list --role: $rc"
jb key create --json --role admin --data "$D" 2>"$work/err" >/dev/null; rc=$?
[ $rc = 2 ] && grep -q "for key list" "$work/err" && ok "key create --json: a usage error" || fail "key create --json: $rc"
jb key list --data "$work/none" 2>"$work/err"; rc=$?
[ $rc = 1 ] && [ -s "$work/err" ] && [ ! -e "$work/none/jiebang.db" ] && ok "key list of a missing directory: exit 1, nothing made" \
  || fail "key list of a missing directory: $rc $(cat "$work/err")"

# --- a data directory from before migration 6 ---------------------------------------------
python3 - "$D/jiebang.db" <<'PY' || fail "could not take the database back to schema 5"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
# undo every migration from 6 on (7: webhooks, 8: records.created_seq)
for t in ("wh_notified", "wh_deliveries", "wh_events", "webhooks"):
    db.execute("DROP TABLE IF EXISTS " + t)
if "created_seq" in [r[1] for r in db.execute("PRAGMA table_info(records)")]:
    db.execute("ALTER TABLE records DROP COLUMN created_seq")
db.execute("ALTER TABLE api_keys DROP COLUMN last_used_at")
db.execute("DELETE FROM schema_version WHERE version >= 6")
db.commit()
PY
jb key list --json --data "$D" > "$work/v5.json" 2>"$work/err"; rc=$?
[ $rc = 1 ] && grep -q "schema version 5.*upgrades it" "$work/err" \
  && ok "a read-only command on a schema-5 directory says how to upgrade it" || fail "schema 5 read-only: $rc $(cat "$work/err")"
jb key create --role admin --data "$D" >/dev/null 2>&1 || fail "key create on schema 5"
python3 - "$D/jiebang.db" <<'PY' && ok "a writer migrates it to schema 6 and on (last_used_at)" || fail "migration 6"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert max(v for (v,) in db.execute("SELECT version FROM schema_version")) >= 6
assert "last_used_at" in [r[1] for r in db.execute("PRAGMA table_info(api_keys)")]
assert db.execute("SELECT count(*) FROM api_keys").fetchone()[0] == 3
PY
[ "$(jb key list --data "$D" | grep -c "^$id1 ")" = 1 ] && ok "the migrated directory lists its old keys" || fail "after migration"
finish
