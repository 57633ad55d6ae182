# SPDX-License-Identifier: GPL-3.0-or-later
# The store's honesty through the binary: verify catches a flipped byte (in
# 1-, 3- and 4-byte characters, and bodies that parse but do not validate or
# are not canonical) and names the record; export never writes what import
# would refuse; a record the index refuses is quarantined, not a wedge, and
# `jiebang delete` removes any stored record; damaged, read-only and
# index-less data directories say what is wrong and what to do; the import
# summary counts only committed records.
. "$JB_SRCDIR/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed (to edit a store behind jiebang's back)"
work=$(mktemp -d /tmp/jb_honesty_XXXXXX)
mnt=""
cleanup() { [ -n "$mnt" ] && umount "$mnt" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
D=$work/d
# sql DIR PYTHON-STATEMENTS: runs Python with db = the store of DIR, then commits
sql() { python3 -c "import sqlite3; db = sqlite3.connect('$1/jiebang.db'); $2; db.commit()"; }
cat > "$work/seed.jsonl" <<'J'
{"type":"org","id":"o-ascii","name":"plain name"}
{"type":"org","id":"o-cjk","name":"上海碳化硅研究院"}
{"type":"org","id":"o-emoji","name":"lab 🚀 rocket"}
{"type":"org","id":"o-trl","name":"x"}
{"type":"output","id":"p-trl","title":"碳化硅 模块","trl":5}
{"type":"org","id":"o-canon","name":"y"}
{"type":"org","id":"o-latin","name":"café"}
J
jb import --quiet --data "$D" "$work/seed.jsonl" >/dev/null || fail "seed import"
jb verify --data "$D" >/dev/null 2>&1 && ok "a clean store verifies" || fail "clean verify"

# --- item 13: flipped bytes and invalid stored records ------------------------
# (id, Python expression turning body bytes b into the damaged body, what verify must say)
while IFS='|' read -r type id expr want; do
  cp -r "$D" "$work/f"
  sql "$work/f" "b = db.execute(\"SELECT body FROM records WHERE id='$id'\").fetchone()[0].encode(); b = $expr; db.execute(\"UPDATE records SET body = CAST(? AS TEXT) WHERE id='$id'\", (b,))"
  jb verify --data "$work/f" >"$work/out" 2>&1; rc=$?
  [ $rc = 1 ] && grep -q "$type '$id'.*$want" "$work/out" && ok "verify: $id ($want) exits 1 naming it" \
    || fail "verify of $id: exit $rc: $(cat "$work/out")"
  jb export --data "$work/f" >"$work/exp" 2>"$work/err"; rc=$?
  [ $rc = 1 ] && grep -q "export stopped before it: stored $type '$id'" "$work/err" && \
    ! grep -q "\"id\":\"$id\"" "$work/exp" && iconv -f UTF-8 -t UTF-8 "$work/exp" >/dev/null 2>&1 \
    && ok "export: $id refused, nothing invalid written" || fail "export of $id: exit $rc $(cat "$work/err")"
  rm -rf "$work/f"
done <<'T'
org|o-ascii|b.replace(b'plain', b'pl\xe1in')|invalid JSON
org|o-cjk|b.replace('碳'.encode(), b'\xe7\xff\xb3')|invalid JSON
org|o-emoji|b.replace('🚀'.encode(), b'\xf0\x9f\x9a')|invalid JSON
org|o-ascii|b.replace(b'"name"', b'"nam\x01"')|invalid JSON
org|o-latin|b.replace('é'.encode(), b'\xc3\x28')|invalid JSON
output|p-trl|b.replace(b'"trl":5', b'"trl":99')|trl: must be an integer
org|o-canon|b.replace(b',', b', ')|not the canonical form
org|o-trl|b.replace(b'"id":"o-trl"', b'"id":"o-trX"')|not what it is stored under
T

# --- item 2: a record the index refuses is quarantined; start-up never fails ---
cp -r "$D" "$work/q"
sql "$work/q" "db.execute(\"INSERT INTO records(type, id, body, updated_at) VALUES(0, 'o-bad', CAST(X'7B226964223A226F2D626164222C226E616D65223A22E5FFBD222C2274797065223A226F7267227D' AS TEXT), 0)\"); db.execute(\"INSERT INTO outbox(type, id, op) VALUES(0, 'o-bad', 'put')\")"
long=$(python3 -c "print('中' * 67)") # 201 bytes: the landed index refused it
sql "$work/q" "i = '$long'; db.execute('INSERT INTO records(type, id, body, updated_at) VALUES(0, ?, ?, 0)', (i, '{\"id\":\"%s\",\"name\":\"long\",\"type\":\"org\"}' % i)); db.execute(\"INSERT INTO outbox(type, id, op) VALUES(0, ?, 'put')\", (i,))"
printf '{"type":"org","id":"o-new","name":"新 组织"}\n' > "$work/new.jsonl"
jb import --data "$work/q" "$work/new.jsonl" >/dev/null 2>"$work/err" \
  && grep -q "quarantined org 'o-bad'" "$work/err" && ok "import goes on past a record the index refuses, and says so" \
  || fail "import with a bad stored record: $(cat "$work/err")"
jb search --data "$work/q" 组织 | grep -q "o-new" && ok "the rest is indexed" || fail "o-new not searchable"
jb search --data "$work/q" long | grep -q "中中中" && ok "a 201-byte id is indexed" || fail "the long id is not in the index"
jb reindex --data "$work/q" >/dev/null 2>"$work/err" && grep -q "quarantined org 'o-bad'" "$work/err" \
  && ok "reindex exits 0 and quarantines it again" || fail "reindex: $(cat "$work/err")"
jb stats --data "$work/q" >/dev/null 2>&1 && ok "stats opens" || fail "stats"
jb verify --data "$work/q" >/dev/null 2>"$work/err"; rc=$?
[ $rc = 1 ] && grep -q "quarantined org 'o-bad'" "$work/err" && grep -q "stored org '$long' is not a valid record (id: longer than 128 bytes" "$work/err" \
  && ok "verify lists the quarantined record and the over-long id, exit 1" || fail "verify: $rc $(cat "$work/err")"
jb delete org o-bad --data "$work/q" >/dev/null 2>&1 && jb delete org "$long" --data "$work/q" >/dev/null 2>&1 \
  && ok "jiebang delete removes both" || fail "delete"
jb delete org o-bad --data "$work/q" >/dev/null 2>"$work/err"; rc=$?
[ $rc = 1 ] && grep -q "not found" "$work/err" && ok "deleting it again: not found, exit 1" || fail "second delete: $rc"
jb verify --data "$work/q" >/dev/null 2>&1 && ok "verify passes afterwards" || fail "verify after delete"
jb audit verify --data "$work/q" >/dev/null 2>&1 || fail "audit chain after delete"
jb delete org o-cjk --data "$work/q" >/dev/null 2>"$work/err"; rc=$?
[ $rc = 0 ] && ok "delete of an unreferenced record" || fail "delete o-cjk: $(cat "$work/err")"
jb delete output p-trl --data "$work/q" >/dev/null || fail "delete p-trl"
jb delete nope x --data "$work/q" >/dev/null 2>"$work/err"; [ $? = 1 ] && grep -q "type:" "$work/err" \
  && ok "delete of a bad type names it" || fail "delete bad type"

# --- item 14: what is wrong and what to do -----------------------------------------
# (the WAL is folded into the file first, so the copies hold the data)
sql "$D" "db.execute('PRAGMA wal_checkpoint(TRUNCATE)')"
mkdir "$work/c1" "$work/c2"
cp "$D/jiebang.db" "$work/c1/"; cp "$D/jiebang.db" "$work/c2/"
python3 -c "
f = open('$work/c1/jiebang.db', 'r+b'); f.write(b'not a database!!' * 6); f.close()
f = open('$work/c2/jiebang.db', 'r+b'); f.seek(4096); f.write(b'\xff' * 8192); f.close()"
for c in c1 c2; do
  for cmd in "get org o-ascii" "export" "import /dev/null" "verify" "serve --listen 127.0.0.1:0"; do
    timeout 20 "$JIEBANG" $cmd --data "$work/$c" >/dev/null 2>"$work/err"; rc=$?
    if [ $rc = 1 ] && grep -q "damaged" "$work/err" && grep -q "backup" "$work/err" && \
       ! grep -q "schema version 0\|already exists" "$work/err"; then
      ok "$c: $cmd says the database is damaged and what to do"
    else
      fail "$c: $cmd: exit $rc: $(cat "$work/err")"
    fi
  done
done
# an index link to a missing directory: readers say so, the next writer rebuilds
cp -r "$D" "$work/g"
rm -rf "$work/g"/index.*
jb search --data "$work/g" 碳化硅 >/dev/null 2>"$work/err"; rc=$?
[ $rc = 1 ] && grep -q "no search index.*jiebang reindex" "$work/err" && ok "search without an index: exit 1, says how to build it" \
  || fail "search without index: $rc $(cat "$work/err")"
jb import --data "$work/g" /dev/null >/dev/null 2>"$work/err"; rc=$?
[ $rc = 0 ] && grep -q "does not exist: rebuilding the index" "$work/err" && ok "a dangling index link is rebuilt, and said so" \
  || fail "dangling link: $rc $(cat "$work/err")"
jb search --data "$work/g" 碳化硅 | grep -q p-trl && ok "search works after the rebuild" || fail "search after rebuild"
rm -f "$work/g/index"; rm -rf "$work/g"/index.*
jb search --data "$work/g" 碳化硅 >/dev/null 2>&1; [ $? = 1 ] && ok "search with no index link: exit 1" || fail "no index link"
# read-only media: get and export work, writers say what is wrong
if [ "$(id -u)" = 0 ] && mkdir "$work/ro" && mount --bind "$D" "$work/ro" 2>/dev/null; then
  mnt=$work/ro
  if mount -o remount,bind,ro "$mnt" 2>/dev/null; then
    rm -f "$D/jiebang.db-shm" "$D/jiebang.db-wal" 2>/dev/null
    jb get org o-cjk --data "$mnt" | grep -q 上海 && ok "get on read-only media" || fail "get read-only"
    [ "$(jb export --data "$mnt" | wc -l)" = 7 ] && ok "export on read-only media" || fail "export read-only"
    jb search --data "$mnt" 碳化硅 | grep -q p-trl && ok "search on read-only media" || fail "search read-only"
    jb import --data "$mnt" /dev/null >/dev/null 2>"$work/err"; rc=$?
    [ $rc = 1 ] && grep -q "not writable" "$work/err" && ok "import on read-only media says so" || fail "import read-only: $(cat "$work/err")"
  else
    ok "read-only remount not allowed here: skipped"
  fi
  umount "$mnt"; mnt=""
else
  ok "bind mounts need root: read-only media skipped"
fi
chmod 0444 "$D/jiebang.db"
if [ "$(id -u)" != 0 ]; then
  jb import --data "$D" /dev/null >/dev/null 2>"$work/err"; rc=$?
  [ $rc = 1 ] && grep -q "read-only" "$work/err" && ok "a read-only database file says so" || fail "read-only file: $(cat "$work/err")"
fi
chmod 0644 "$D/jiebang.db"

# --- item 15: the import summary counts only committed records ---------------------
if [ "$(id -u)" = 0 ] && mkdir "$work/full" && mount -t tmpfs -o size=600k tmpfs "$work/full" 2>/dev/null; then
  mnt=$work/full
  python3 -c "
import json
for i in range(3000):
    print(json.dumps({'type': 'org', 'id': 'o%05d' % i, 'name': 'org %d' % i, 'description': '碳化硅功率模块 %d ' % i * 20}, ensure_ascii=False))" > "$work/big.jsonl"
  # libxapian (1.4) leaks two objects when a commit fails with ENOSPC (in
  # WritableDatabase::commit and ~Database, not in jiebang's code): leak
  # checks are off for this one run, and it runs without valgrind
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    "$JIEBANG" import --batch 500 --data "$mnt/d" "$work/big.jsonl" >"$work/out" 2>"$work/err"; rc=$?
  said=$(sed -n 's/^imported \([0-9]*\) records.*/\1/p' "$work/err")
  stored=$(python3 -c "import sqlite3; print(sqlite3.connect('file:$mnt/d/jiebang.db?mode=ro', uri=True).execute('SELECT count(*) FROM records').fetchone()[0])")
  [ $rc = 1 ] && grep -q "were not committed" "$work/err" && ok "a full disk: exit 1, names the lines not committed" \
    || fail "full disk: exit $rc: $(tail -3 "$work/err")"
  [ -n "$said" ] && [ "$said" = "$stored" ] && [ "$said" -lt 3000 ] && ok "the summary counts the $said records the store holds" \
    || fail "summary after a full disk: said ${said:-nothing}, the store holds $stored: $(tail -2 "$work/err")"
  # the store fills first (the index lives elsewhere, behind its link): the
  # batch that SQLite cannot commit is not counted
  rm -rf "$mnt/d"; mkdir "$mnt/d"
  jb import --quiet --data "$work/ixhome" /dev/null >/dev/null 2>&1 || fail "index home"
  ln -s "$work/ixhome/$(readlink "$work/ixhome/index")" "$mnt/d/index"
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    "$JIEBANG" import --batch 500 --data "$mnt/d" "$work/big.jsonl" >"$work/out" 2>"$work/err"; rc=$?
  said=$(sed -n 's/^imported \([0-9]*\) records.*/\1/p' "$work/err")
  stored=$(python3 -c "import sqlite3; print(sqlite3.connect('file:$mnt/d/jiebang.db?mode=ro', uri=True).execute('SELECT count(*) FROM records').fetchone()[0])")
  [ $rc = 1 ] && grep -q "were not committed" "$work/err" && grep -q "disk is full" "$work/err" \
    && ok "the store's disk full: exit 1, names the lines not committed" || fail "store full: exit $rc: $(tail -3 "$work/err")"
  [ -n "$said" ] && [ "$said" = "$stored" ] && ok "the summary counts the $said records the store holds" \
    || fail "summary after the store's disk filled: said ${said:-nothing}, the store holds $stored"
  umount "$mnt"; mnt=""
else
  ok "tmpfs needs root: the full-disk import skipped"
fi
# a clean import: the summary counts every committed line
printf '{"type":"org","id":"a1","name":"n"}\n{"type":"org","id":"a2","name":"n"}\n' > "$work/two.jsonl"
jb import --batch 1 --data "$work/s" "$work/two.jsonl" >/dev/null 2>"$work/err"
grep -q "imported 2 records" "$work/err" && ok "summary of a clean import" || fail "clean summary: $(cat "$work/err")"
finish
