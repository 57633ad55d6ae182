#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/ids_test.py: ids through a real server (run by tests/ids.sh).

- every id shape the rule accepts (1-128 bytes: Latin, 2-byte, CJK 3-byte,
  emoji and CJK Ext-B 4-byte, Arabic, punctuation) goes through POST, GET,
  PUT, PATCH, matches and DELETE, percent-encoded;
- every White_Space, Cc, Cf, Zs, Zl, Zp character (from unicodedata, not a
  list), '.', '..', '\\', and ids one byte over the limit in each script are
  a 400 on POST and PUT, and change nothing;
- records stored under the earlier rule (' a ', U+3000, '.', '..', 'a\\b',
  67 CJK characters = 201 bytes, 100 emoji = 400 bytes, U+200B) and one whose
  body the index cannot read: the server starts, the index keeps up (min_seq
  reads answer), /metrics counts the quarantined one, and each is deleted
  over HTTP by its percent-encoded id.

    python3 tests/ids_test.py JIEBANG SRCDIR WORKDIR
"""
import http.client
import json
import os
import sqlite3
import sys
import time
import unicodedata
import urllib.parse

JIEBANG, SRC, WORK = sys.argv[1:4]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest  # noqa: E402
from jbtest import Server, cli, ok  # noqa: E402

jbtest.JIEBANG, jbtest.WORK = JIEBANG, WORK
D = os.path.join(WORK, "d")
S = None


def req(method, path, body=None, key=None):
    c = http.client.HTTPConnection(S.host, S.port, timeout=60)
    h = {"Authorization": "Bearer " + key} if key else {}
    if body is not None:
        body = json.dumps(body, ensure_ascii=False).encode()
        h["Content-Type"] = "application/json"
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    try:
        j = json.loads(data) if data else None
    except ValueError:
        j = None
    return r.status, j, data


def q(s):
    """one path segment: '.' and '..' escaped too, which urllib leaves"""
    e = urllib.parse.quote(s, safe="")
    return e.replace(".", "%2E") if s in (".", "..") else e


def last_seq():
    return req("GET", "/healthz")[1]["last_seq"]


def wait_applied(seq, secs=20):
    end = time.time() + secs
    while time.time() < end:
        j = req("GET", "/healthz")[1]
        if j["applied_seq"] >= seq:
            return True
        time.sleep(0.05)
    return False


cli("import", "--quiet", "--data", D, os.devnull)
ADMIN = cli("key", "create", "--role", "admin", "--data", D).stdout.strip()
S = Server(D)

# ---- accepted shapes: every route ---------------------------------------------------
good = ["a", "x" * 128, "中" * 42, "é" * 64, "😀" * 32, "\U00020000" * 32, "ا" * 64,
        "...", ".a", "a.", "a.b", "%41", "a+b", "o'k", "a?b#c&d=e;f", "~_-", "ü中😀z",
        "Ω" * 63 + "a", "中" * 42 + "ab"]
for i, gid in enumerate(good):
    n = len(gid.encode())
    assert n <= 128, gid
    word = "zqid%d" % i
    st, j, _ = req("POST", "/v1/orgs", {"id": gid, "name": "org " + word}, ADMIN)
    ok(st == 201 and j["record"]["id"] == gid, "POST id of %d bytes (%r): %s %s" % (n, gid[:8], st, j))
    p = "/v1/orgs/" + q(gid)
    st, j, _ = req("GET", p, key=ADMIN)
    ok(st == 200 and j["id"] == gid, "GET %r: %s" % (gid[:8], st))
    st, j, _ = req("PUT", p, {"name": "org " + word, "kind": "lab"}, ADMIN)
    ok(st == 200, "PUT %r: %s %s" % (gid[:8], st, j))
    st, j, _ = req("PATCH", p, {"region": "310106"}, ADMIN)
    ok(st == 200, "PATCH %r: %s %s" % (gid[:8], st, j))
    st, j, _ = req("GET", p + "/matches", key=ADMIN)
    ok(st == 200, "GET %r/matches: %s %s" % (gid[:8], st, j))
    seq = last_seq()
    st, j, _ = req("GET", "/v1/search?q=%s&min_seq=%d" % (word, seq), key=ADMIN)
    ok(st == 200 and any(h.get("id") == gid for h in j.get("hits", j.get("items", []))),
       "search with min_seq finds %r: %s %s" % (gid[:8], st, str(j)[:200]))
    st, j, _ = req("DELETE", p, key=ADMIN)
    ok(st == 200 and j.get("deleted") is True, "DELETE %r: %s %s" % (gid[:8], st, j))
    ok(req("GET", p, key=ADMIN)[0] == 404, "GET after DELETE %r is a 404" % gid[:8])
    # as a reference too
    st, _, _ = req("POST", "/v1/orgs", {"id": gid, "name": "o"}, ADMIN)
    st2, j2, _ = req("POST", "/v1/experts", {"id": "e" + str(i), "name": "n", "org": gid}, ADMIN)
    ok(st == 201 and st2 == 201, "an expert refers to org %r: %s %s" % (gid[:8], st2, j2))
    req("DELETE", "/v1/experts/e%d" % i, key=ADMIN)
    req("DELETE", p, key=ADMIN)

# ---- refused shapes: 400, nothing changes --------------------------------------------
invisible = [chr(c) for c in range(0x110000)
             if not 0xD800 <= c <= 0xDFFF and
             (unicodedata.category(chr(c)) in ("Cc", "Cf", "Zs", "Zl", "Zp") or chr(c).isspace())]
ok(len(invisible) > 200, "the invisible class is Unicode's (%d characters)" % len(invisible))
bad = [c for c in invisible] + ["a" + c + "b" for c in invisible]
bad += [" ", " a ", ".", "..", "a\\b", "a/b", "x" * 129, "中" * 43, "é" * 65, "😀" * 33,
        "\U00020000" * 33, "中" * 42 + "abc", ""]
before = last_seq()
wrong = []
for bid in bad:
    st, j, _ = req("POST", "/v1/orgs", {"id": bid, "name": "n"}, ADMIN)
    if st != 400 or "id" not in j["error"]["message"]:
        wrong.append(("POST", bid, st))
    # as a reference, named by its field
    st, j, _ = req("POST", "/v1/experts", {"id": "ok", "name": "n", "org": bid}, ADMIN)
    if st != 400 or not (j["error"]["message"].startswith("org:") or "\0" in bid):
        wrong.append(("POST ref", bid, st))
    if bid and "/" not in bid:
        st, j, _ = req("PUT", "/v1/orgs/" + q(bid), {"name": "n"}, ADMIN)
        if st != 400:
            wrong.append(("PUT", bid, st))
ok(not wrong, "%d refused shapes, each a 400 naming the id (wrong: %r)" % (len(bad), wrong[:5]))
ok(last_seq() == before, "refused ids changed nothing")
ok(req("GET", "/v1/orgs?limit=10", key=ADMIN)[1]["items"] == [], "no record was stored")

# ---- records stored under the earlier rule -------------------------------------------
ok(S.stop() == 0, "server stops")
legacy = [" a ", "\u3000", ".", "..", "a\\b", "中" * 67, "😀" * 100, "a\u200bb", "\u00a0x"]
db = sqlite3.connect(os.path.join(D, "jiebang.db"))
for lid in legacy:
    body = json.dumps({"id": lid, "name": "legacy", "type": "org"}, ensure_ascii=False,
                      separators=(",", ":"), sort_keys=True)
    db.execute("INSERT OR REPLACE INTO records(type, id, body, updated_at) VALUES(0, ?, ?, 0)", (lid, body))
    db.execute("INSERT INTO outbox(type, id, op) VALUES(0, ?, 'put')", (lid,))
# a body the index cannot read (a flipped byte): quarantined, not a wedge
db.execute("INSERT INTO records(type, id, body, updated_at) VALUES(0, 'bad1', "
           "CAST(X'7B226964223A2262616431222C226E616D65223A22E5FFBD222C2274797065223A226F7267227D' AS TEXT), 0)")
db.execute("INSERT INTO outbox(type, id, op) VALUES(0, 'bad1', 'put')")
db.commit()
db.close()
S = Server(D)
st, j, _ = req("GET", "/healthz")
ok(st == 200 and j["applied_seq"] == j["last_seq"], "the server starts and the index applied everything: %s" % j)
metrics = req("GET", "/metrics")[2].decode()
ok("jiebang_index_quarantined 1\n" in metrics, "/metrics counts the quarantined record")
log = open(os.path.join(WORK, "server.log")).read()
ok("quarantined org 'bad1'" in log, "the server log names the quarantined record")
# writes keep flowing: a min_seq read answers
st, j, _ = req("POST", "/v1/orgs", {"id": "after", "name": "zqafter"}, ADMIN)
st2, j2, _ = req("GET", "/v1/search?q=zqafter&min_seq=%d" % j["seq"], key=ADMIN)
ok(st == 201 and st2 == 200, "a write after the quarantine is searchable with min_seq: %s %s" % (st2, j2))
for lid in legacy:
    p = "/v1/orgs/" + q(lid)
    dots = lid in (".", "..") or "\\" in lid
    st, j, _ = req("GET", p, key=ADMIN)
    ok(st == (400 if dots else 200), "GET legacy %r: %s" % (lid[:6], st))
    st, j, _ = req("PUT", p, {"name": "n"}, ADMIN)
    ok(st == 400, "PUT cannot give a new version the legacy id %r: %s" % (lid[:6], st))
    st, j, _ = req("DELETE", p, key=ADMIN)
    ok(st == 200, "DELETE legacy %r: %s %s" % (lid[:6], st, j))
    st, j, _ = req("DELETE", p, key=ADMIN)
    ok(st == 404, "it is gone %r: %s" % (lid[:6], st))
# a body that does not parse: an admin (or officer) key still deletes it, its raw text audited
st, j, _ = req("DELETE", "/v1/orgs/bad1", key=ADMIN)
ok(st == 200, "DELETE of the unreadable record by an admin: %s %s" % (st, j))
st, j, _ = req("GET", "/v1/audit?type=org&id=bad1", key=ADMIN)
ok(st == 200 and [e["action"] for e in j["items"]][-1:] == ["delete"], "the delete is audited: %s" % j)
ok(S.stop() == 0, "server stops")
r = cli("verify", "--data", D, check=False)
ok(r.returncode == 0, "verify passes once the bad records are gone: %s" % r.stderr)
sys.exit(jbtest.finish())
