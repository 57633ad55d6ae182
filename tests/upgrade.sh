# SPDX-License-Identifier: GPL-3.0-or-later
# Upgrades: a data directory of every schema version so far opens with this
# binary (migrated by the first writing command), verifies clean and answers;
# one newer than the binary is refused with a clear message and left as it is.
# The fixtures are tests/data/schema/vN.sql, each migration's SQL as it
# shipped, and records.sql; a migration edited after it shipped (which would
# leave old directories behind) fails here too.
. "$JB_SRCDIR/tests/lib.sh"
fx="$JB_SRCDIR/tests/data/schema"
py=${PYTHON3:-python3}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
# the migrations in engine/store.c must be the fixtures, in number and text
"$py" - "$JB_SRCDIR/engine/store.c" "$fx" <<'PY' || fail "engine/store.c's migrations differ from tests/data/schema"
import os, re, sys
src = open(sys.argv[1], encoding="utf-8").read()
start = src.index("MIGRATIONS[] = {")
block = src[start:src.index("};", start)]
migs, cur = [], None
for line in block.splitlines():
    if re.match(r"\s*/\* \d+", line):
        cur = []
        migs.append(cur)
        continue
    if cur is not None:
        cur += re.findall(r'"((?:[^"\\]|\\.)*)"', line)
norm = lambda s: re.sub(r"\s+", "", s)
bad = 0
for i, m in enumerate(migs, 1):
    p = os.path.join(sys.argv[2], f"v{i}.sql")
    if not os.path.exists(p):
        print(f"migration {i} has no fixture {p}: add it (its SQL as it ships)")
        bad = 1
        continue
    text = "".join(l for l in open(p, encoding="utf-8") if not l.startswith("--"))
    if norm(text) != norm("".join(m)):
        print(f"migration {i} in engine/store.c is not {p}: a shipped migration must not change")
        bad = 1
sys.exit(bad)
PY
latest=$("$py" - "$JB_SRCDIR/engine/store.c" <<'PY'
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
start = src.index("MIGRATIONS[] = {")
print(len(re.findall(r"^\s*/\* \d+", src[start:src.index("};", start)], re.M)))
PY
)
[ "$latest" -ge 1 ] 2>/dev/null || { fail "no migrations found in engine/store.c"; finish; }
mkdb() { # DIR N [extra SQL]: a data directory as schema version N left it
  mkdir -p "$1"
  "$py" - "$fx" "$2" "$1/jiebang.db" "${3:-}" <<'PY'
import sqlite3, sys
fx, n, path, extra = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
db = sqlite3.connect(path)
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)")
for v in range(1, n + 1):
    db.executescript(open(f"{fx}/v{v}.sql", encoding="utf-8").read())
    db.execute("INSERT INTO schema_version VALUES(?)", (v,))
db.executescript(open(f"{fx}/records.sql", encoding="utf-8").read())
if extra:
    db.executescript(extra)
db.commit()
db.close()
PY
}
schema_of() { "$py" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select max(version) from schema_version").fetchone()[0])' "$1/jiebang.db"; }
for n in $(seq 1 "$latest"); do
  d="$t/v$n"
  mkdb "$d" "$n"
  if [ "$n" -lt "$latest" ]; then
    # a reader says what to do, and changes nothing
    out=$(jb get --data "$d" org sh-ic-univ 2>&1) && fail "v$n: a read of an old schema passed: $out"
    case $out in *"schema version $n; this jiebang needs $latest"*"upgrades it"*) ;;
      *) fail "v$n: a read of an old schema said: $out" ;; esac
    [ "$(schema_of "$d")" = "$n" ] || fail "v$n: a reader changed the schema"
  fi
  out=$(jb verify --data "$d" 2>&1) || fail "v$n: verify (a writer: it upgrades) failed: $out"
  [ "$(schema_of "$d")" = "$latest" ] || fail "v$n: schema $(schema_of "$d") after the upgrade, want $latest"
  out=$(jb verify --data "$d" 2>&1) || fail "v$n: verify after the upgrade: $out"
  jb get --data "$d" expert exp-001 2>&1 | grep -q '"id": *"exp-001"' || fail "v$n: get expert exp-001"
  jb search --data "$d" --type output 低功耗 2>&1 | grep -q out-001 || \
    jb search --data "$d" --type org 集成电路 2>&1 | grep -q sh-ic-univ || fail "v$n: search finds nothing"
  out=$(jb key create --role admin --data "$d" 2>/dev/null) && [ -n "$out" ] || fail "v$n: a key on the upgraded store"
done
# a downgrade: a directory from a newer jiebang is refused and left unchanged
d="$t/newer"
mkdb "$d" "$latest" "INSERT INTO schema_version VALUES($((latest + 1)));"
sum=$(cksum < "$d/jiebang.db")
for cmd in "reindex" "verify" "stats" "import --quiet /dev/null"; do
  # shellcheck disable=SC2086
  out=$(jb $cmd --data "$d" 2>&1) && fail "downgrade: '$cmd' ran on a newer schema: $out"
  case $out in *"schema version $((latest + 1)), newer than this jiebang ($latest)"*) ;;
    *) fail "downgrade: '$cmd' said: $out" ;; esac
done
[ "$(cksum < "$d/jiebang.db")" = "$sum" ] || fail "downgrade: the newer store was changed"
[ "$(schema_of "$d")" = $((latest + 1)) ] || fail "downgrade: the schema version moved"
[ $fails -eq 0 ] && ok "upgrade from schema 1..$latest, downgrade refused"
finish
