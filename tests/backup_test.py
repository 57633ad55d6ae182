# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/backup_test.py: jiebang backup beside a server that writes, a backup
and a server killed half way, restore of the last good backup, and the
refusals (a running server, a newer backup, what is not a backup)."""
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest as t  # noqa: E402
from jbtest import ok  # noqa: E402

t.JIEBANG, SRC, t.WORK = sys.argv[1], sys.argv[2], sys.argv[3]
W = t.WORK
D = os.path.join(W, "d")


def manifest(b):
    with open(os.path.join(b, "MANIFEST"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    return lines[0], dict(l.split(" = ", 1) for l in lines[1:])


def stored_ids(d, prefix):
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(d, "jiebang.db"), uri=True)
    ids = {r[0] for r in db.execute("SELECT id FROM records WHERE id LIKE ?", (prefix + "%",))}
    db.close()
    return ids


def restored_clean(b, into, what):
    """restore b into the new directory into; verify; the records the manifest names"""
    r = t.cli("restore", "--data", into, b, check=False)
    if not ok(r.returncode == 0, "%s: restore: %s" % (what, r.stderr)):
        return False
    v = t.cli("verify", "--data", into, check=False)
    ok(v.returncode == 0, "%s: verify after restore: %s %s" % (what, v.stdout, v.stderr))
    _, m = manifest(b)
    st = t.cli("stats", "--json", "--data", into, check=False).stdout
    ok(st != "", "%s: stats after restore" % what)
    db = sqlite3.connect(os.path.join(into, "jiebang.db"))
    n = db.execute("SELECT count(*) FROM records").fetchone()[0]
    db.close()
    ok(str(n) == m["records"], "%s: %d records restored, the manifest says %s" % (what, n, m["records"]))
    # the index was rebuilt: a search finds a record of the demo world
    s = t.cli("search", "--data", into, "--type", "org", "碳化硅", check=False)
    ok(s.returncode == 0 and s.stdout.strip() != "", "%s: search after restore: %s" % (what, s.stderr))
    return True


t.cli("import", "--quiet", "--demo", "--data", D)
key = t.cli("key", "create", "--role", "admin", "--data", D).stdout.strip()
srv = t.Server(D)

# ---- backups while the server writes: each is a consistent snapshot holding
# every write acknowledged before it began
acked = []
stop = threading.Event()


serial = [0]


def writer():
    while not stop.is_set():
        i = serial[0]
        serial[0] += 1
        try:
            st, body = srv.call("POST", "/v1/orgs",
                                {"id": "bk-%d" % i, "name": "备份测试机构%d" % i, "kind": "institute"}, key)
        except OSError:
            return
        if st in (200, 201):
            acked.append("bk-%d" % i)


th = threading.Thread(target=writer)
th.start()
good = []
for k in range(3):
    before = set(acked)
    b = os.path.join(W, "b%d" % k)
    r = t.cli("backup", "--data", D, b, check=False)
    if ok(r.returncode == 0, "backup %d beside a writing server: %s" % (k, r.stderr)):
        magic, m = manifest(b)
        ok(magic == "jiebang-backup 1", "backup %d: manifest magic %r" % (k, magic))
        ok(re.match(r"^\d+ records", r.stdout.split(": ", 1)[1]) is not None, "backup %d says %r" % (k, r.stdout))
        good.append(b)
        missing = before - stored_ids(b, "bk-")
        ok(not missing, "backup %d lacks %d acknowledged writes (%s)" % (k, len(missing), sorted(missing)[:3]))
        restored_clean(b, os.path.join(W, "r%d" % k), "backup %d" % k)
stop.set()
th.join()
ok(len(acked) > 0, "the writer got writes acknowledged during the backups")

# ---- a backup that dies half way leaves no backup, and the next one works
b = os.path.join(W, "cut")
env = dict(os.environ, JIEBANG_FAULT="backup-before-rename")
r = subprocess.run([t.JIEBANG, "backup", "--data", D, b], env=env, capture_output=True, text=True)
ok(r.returncode == 86, "the fault point ends the backup (exit %d)" % r.returncode)
ok(not os.path.exists(b), "an interrupted backup left %s" % b)
ok(os.path.isdir(b + ".partial"), "an interrupted backup is left as .partial")
r = t.cli("backup", "--data", D, b, check=False)
ok(r.returncode == 0 and not os.path.exists(b + ".partial"),
   "the next backup to the same name: %s (partial left: %s)" % (r.stderr, os.path.exists(b + ".partial")))
if r.returncode == 0:
    good.append(b)

# ---- the server killed (kill -9) while backups run: each backup either
# completes, consistent, or leaves nothing
th = threading.Thread(target=writer)
stop.clear()
th.start()
procs = []
for k in range(3):
    b = os.path.join(W, "k%d" % k)
    procs.append((b, subprocess.Popen([t.JIEBANG, "backup", "--data", D, b],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    if k == 1:
        srv.p.send_signal(signal.SIGKILL)
        srv.p.wait(10)
for b, p in procs:
    out, err = p.communicate(timeout=60)
    if p.returncode == 0:
        good.append(b)
    else:
        ok(not os.path.exists(b), "a failed backup left %s: %s" % (b, err))
stop.set()
th.join()
ok(good and good[-1].startswith(os.path.join(W, "k")) or len(good) >= 4,
   "backups made around the kill: %s" % [os.path.basename(g) for g in good])

# ---- restore the last good backup over the killed server's directory
last = good[-1]
r = t.cli("restore", "--data", D, last, check=False)
ok(r.returncode != 0 and "--replace" in r.stderr, "restore over a store without --replace: %s" % r.stderr)
r = t.cli("restore", "--replace", "--data", D, last, check=False)
ok(r.returncode == 0, "restore --replace of the last good backup: %s" % r.stderr)
v = t.cli("verify", "--data", D, check=False)
ok(v.returncode == 0, "verify after restoring over the killed server's directory: %s %s" % (v.stdout, v.stderr))
_, m = manifest(last)
ok(len(stored_ids(D, "bk-")) == len(stored_ids(last, "bk-")), "the restored store is the backup's")
ok(not os.path.exists(os.path.join(D, "jiebang.db.restore")), "restore left its staging copy")

# ---- refusals, each changing nothing
srv = t.Server(D)
r = t.cli("restore", "--replace", "--data", D, good[0], check=False)
ok(r.returncode == 1 and "stop the server first" in r.stderr, "restore beside a running server: %s" % r.stderr)
ok(srv.call("GET", "/healthz")[0] == 200, "the server still answers after the refused restore")
srv.stop()
newer = os.path.join(W, "newer")
t.cli("backup", "--data", D, newer)
with open(os.path.join(newer, "MANIFEST"), encoding="utf-8") as f:
    text = f.read()
with open(os.path.join(newer, "MANIFEST"), "w", encoding="utf-8") as f:
    f.write(re.sub(r"schema = \d+", "schema = 999", text))
r = t.cli("restore", "--data", os.path.join(W, "n1"), newer, check=False)
ok(r.returncode == 1 and "newer than this jiebang" in r.stderr, "a newer backup: %s" % r.stderr)
ok(not os.path.exists(os.path.join(W, "n1", "jiebang.db")), "a refused restore wrote a store")
r = t.cli("restore", "--data", os.path.join(W, "n2"), D, check=False)
ok(r.returncode == 1 and "not a jiebang backup" in r.stderr, "a data directory is not a backup: %s" % r.stderr)
with open(os.path.join(newer, "MANIFEST"), "a", encoding="utf-8") as f:
    f.write("colour = blue\n")
r = t.cli("restore", "--data", os.path.join(W, "n3"), newer, check=False)
ok(r.returncode == 1 and "MANIFEST:7: unknown key 'colour'" in r.stderr, "a bad manifest line: %s" % r.stderr)
r = t.cli("backup", "--data", os.path.join(W, "nothing"), os.path.join(W, "b-none"), check=False)
ok(r.returncode == 1 and "no store here" in r.stderr and not os.path.exists(os.path.join(W, "b-none")),
   "a backup of no store: %s" % r.stderr)
r = t.cli("backup", "--data", D, good[0], check=False)
ok(r.returncode == 1 and "exists already" in r.stderr, "a backup over a backup: %s" % r.stderr)
r = t.cli("backup", "--data", D, check=False)
ok(r.returncode == 2, "backup without DEST is a usage error (%d)" % r.returncode)
sys.exit(t.finish())
