#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/highlight_test.py: search highlights through a real server on a
loopback port (run by tests/highlight.sh). Regression for the heap overflow
of issue 12: a title of "a&" x 250 and a search for "a" aborted the server
(the highlight buffer was sized 6 bytes a title byte; "a&" gives 15). Titles
of every character HTML escaping expands (& < > " '), at the longest title
an output may have, interleaved with matched and unmatched words, CJK and
characters outside the BMP; each highlight must be well-nested <em>, only
complete entities, and give the title back once the tags are dropped and
the entities unescaped. The server must still answer afterwards, and again
after a restart.

    python3 tests/highlight_test.py JIEBANG SRCDIR WORKDIR
"""
import html
import http.client
import json
import os
import re
import sys
import urllib.parse

JIEBANG, SRC, WORK = sys.argv[1:4]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest  # noqa: E402
from jbtest import Server, cli, ok  # noqa: E402

jbtest.JIEBANG, jbtest.WORK = JIEBANG, WORK

TITLE_MAX = 500  # characters of an output's title (engine/record.c)


def req(method, path, body=None, key=None):
    c = http.client.HTTPConnection(S.host, S.port, timeout=60)
    h = {"Authorization": "Bearer " + key} if key else {}
    if body is not None:
        body = json.dumps(body, ensure_ascii=False).encode()
        h["Content-Type"] = "application/json"
    try:
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
    except (ConnectionError, http.client.HTTPException, OSError) as e:
        return 0, None, str(e).encode()
    finally:
        c.close()
    try:
        return r.status, json.loads(data), data
    except ValueError:
        return r.status, None, data


ENT = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}


def problem(title, hl):
    """None when hl is a valid highlight of title, else what is wrong"""
    depth = 0
    plain = []
    i = 0
    while i < len(hl):
        if hl.startswith("<em>", i):
            if depth:
                return "<em> inside <em> at %d" % i
            if hl.startswith("</em>", i + 4):
                return "empty <em></em> at %d" % i
            depth, i = 1, i + 4
        elif hl.startswith("</em>", i):
            if not depth:
                return "</em> without <em> at %d" % i
            depth, i = 0, i + 5
        elif hl[i] == "&":
            e = next((e for e in ENT if hl.startswith(e, i)), None)
            if not e:
                return "bare & or unknown entity at %d: %r" % (i, hl[i:i + 8])
            plain.append(ENT[e])
            i += len(e)
        elif hl[i] in "<>\"'":
            return "unescaped %r at %d" % (hl[i], i)
        else:
            plain.append(hl[i])
            i += 1
    if depth:
        return "<em> left open"
    if "".join(plain) != title:
        return "unescaped text is not the title"
    if "\ufffd" in hl:
        return "U+FFFD in the highlight of a valid title"
    return None


def marked(hl):
    """the texts inside <em>, unescaped"""
    return [html.unescape(m) for m in re.findall(r"<em>(.*?)</em>", hl)]


def search(word, seq, key):
    st, j, data = req("GET", "/v1/search?q=%s&type=output&limit=50&min_seq=%d"
                      % (urllib.parse.quote(word, safe=""), seq), key=key)
    return st, j, data


D = os.path.join(WORK, "d")
cli("import", "--quiet", "--demo", "--data", D)
RES = cli("key", "create", "--role", "researcher", "--org", "sh-ic-univ", "--data", D).stdout.strip()
S = Server(D)

# (id, title, query, the texts that must be inside <em>, the exact highlight or None)
CASES = [
    ("hl1", "a&" * 250, "a", ["a"] * 250, "<em>a</em>&amp;" * 250),  # the reproducer
]
# every expanding character, alone and around a matched one-letter word,
# at the longest title: the largest growth per character there is
H = TITLE_MAX // 2
for n, ch in enumerate("<>&\""):
    ent = html.escape(ch, quote=True)
    CASES.append(("hl-x%d" % n, (ch + "a") * H, "a", ["a"] * H, (ent + "<em>a</em>") * H))
    CASES.append(("hl-y%d" % n, ("b" + ch) * H, "b", ["b"] * H, ("<em>b</em>" + ent) * H))
# an apostrophe inside a word keeps the word whole ("a'a" is one word): the
# title is found by a word in front of it, at the longest title again
CASES.append(("hl-x4", "hlq " + "'a" * (H - 2), "hlq", ["hlq"], "<em>hlq</em> " + "&#39;a" * (H - 2)))
CASES.append(("hl-y4", "a'" * (H - 2) + " hlp", "hlp", ["hlp"], "a&#39;" * (H - 2) + " <em>hlp</em>"))
CASES += [
    # matched and unmatched words interleaved with the escapes
    ("hl-mix", 'Silicon "carbide" <SiC> & wafer\'s 碳化硅 modules, carbide\'s edge', "carbide",
     ["carbide", "carbide"], None),
    # CJK: the match is whole characters, the title's other characters untouched
    ("hl-cjk", ("碳化硅&功率<模块>" * 50)[:TITLE_MAX], "碳化硅", ["碳化硅"] * 50, None),
    # characters outside the BMP (4 UTF-8 bytes) next to escapes and a match
    ("hl-astral", ("😀𠀀\"zqw'" * 100)[:TITLE_MAX], "zqw", ["zqw"] * 71, None),
    # case: ASCII letters match without case, the title's case is kept
    ("hl-case", "QWERTZ & qwertz <Qwertz>", "qwertz", ["QWERTZ", "qwertz", "Qwertz"], None),
    # <em> boundaries: a match at the very start and the very end
    ("hl-edge", "vbnm <&> vbnm", "vbnm", ["vbnm", "vbnm"], "<em>vbnm</em> &lt;&amp;&gt; <em>vbnm</em>"),
]
seq = 0
for cid, title, _, _, _ in CASES:
    st, j, data = req("POST", "/v1/outputs", {"id": cid, "title": title, "org": "sh-ic-univ"}, RES)
    ok(st == 201, "POST %s (%d chars): %d %r" % (cid, len(title), st, data[:200]))
    if st == 201:
        seq = max(seq, j["seq"])


def check_all(when):
    for cid, title, word, want, exact in CASES:
        st, j, data = search(word, seq, RES)
        if not ok(st == 200 and j is not None, "%s search %r for %s: %d %r" % (when, word, cid, st, data[:200])):
            continue
        hit = next((h for h in j["hits"] if h["id"] == cid), None)
        if not ok(hit is not None, "%s search %r finds %s" % (when, word, cid)):
            continue
        hl = hit["highlight"]
        p = problem(title, hl)
        ok(p is None, "%s %s: highlight valid (%s): %r" % (when, cid, p, hl[:120]))
        got = [m.lower() for m in marked(hl)]
        ok(got == [w.lower() for w in want], "%s %s: marked %r, want %r" % (when, cid, got[:8], want[:8]))
        if exact is not None:
            ok(hl == exact, "%s %s: highlight is %r…" % (when, cid, hl[:80]))


check_all("first")
st, j, _ = req("GET", "/healthz")
ok(st == 200 and j and j["status"] == "ok", "the server still answers after the searches")
ok(S.stop() == 0, "server stops cleanly")
S = Server(D)
check_all("after restart")
ok(S.stop() == 0, "restarted server stops cleanly")
sys.exit(jbtest.finish())
