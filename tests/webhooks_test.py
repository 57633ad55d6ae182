#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/webhooks_test.py: webhooks end to end (run by tests/webhooks.sh) —
subscriptions and their role rules, validation naming the field, the
secret shown once, a receiver on loopback that fails, times out and then
succeeds, signatures that verify, a forbidden target refused at
subscription time (and at delivery time when the name resolves elsewhere),
kill -9 of the server during deliveries, and every acknowledged change's
event arriving exactly once after deduplication by event id. Retries are
made short through the configuration; every wait polls with a generous
bound, so a slow machine only makes it slower.

    python3 tests/webhooks_test.py JIEBANG WORKDIR
"""
import datetime
import hashlib
import hmac
import http.server
import json
import os
import signal
import sys
import threading
import time

JIEBANG, WORK = sys.argv[1:3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest  # noqa: E402
from jbtest import Server, cli, ok  # noqa: E402

jbtest.JIEBANG, jbtest.WORK = JIEBANG, WORK


# ---- the receiver ------------------------------------------------------------------------------

class Receiver:
    """An HTTP receiver on 127.0.0.1: each POST is checked (the signature with
    the secret of its path, the headers against the body) and recorded; the
    answer follows `plan`, a list of 'fail' (500), 'slow' (answers after
    `slow` seconds), 'redirect' (302), then 'ok' (204) for ever."""

    def __init__(self):
        self.lock = threading.Lock()
        self.got = []        # (path, event id, type, body dict, signature ok)
        self.secrets = {}    # path -> secret
        self.plan = []
        self.slow = 5.0
        self.bad = []        # what did not verify
        rec = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n)
                with rec.lock:
                    step = "fail" if self.path.startswith("/fail") else rec.plan.pop(0) if rec.plan else "ok"
                if step == "slow":
                    time.sleep(rec.slow)
                if step in ("fail", "slow", "redirect"):
                    self.send_response({"fail": 500, "slow": 200, "redirect": 302}[step])
                    if step == "redirect":
                        self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    if step != "slow":
                        return
                    # a slow answer arrives after the sender gave up: not counted as delivered
                    return
                ts = self.headers.get("X-Jiebang-Timestamp", "")
                sig = self.headers.get("X-Jiebang-Signature", "")
                eid = self.headers.get("X-Jiebang-Event-Id", "")
                typ = self.headers.get("X-Jiebang-Event", "")
                secret = rec.secrets.get(self.path, "")
                want = hmac.new(secret.encode(), ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
                parts = dict(p.split("=", 1) for p in sig.split(",") if "=" in p)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                good = (bool(secret) and parts.get("t") == ts and
                        hmac.compare_digest(parts.get("v1", ""), want) and
                        isinstance(body, dict) and body.get("id") == eid and body.get("type") == typ and
                        abs(time.time() - int(ts or 0)) < 600)
                with rec.lock:
                    rec.got.append((self.path, eid, typ, body, good))
                    if not good:
                        rec.bad.append((self.path, eid, sig))
                self.send_response(204)
                self.end_headers()

        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.srv.daemon_threads = True
        self.port = self.srv.server_address[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def events(self, path=None):
        with self.lock:
            return [g for g in self.got if path is None or g[0] == path]


def wait_for(cond, what, bound=90):
    """polls cond() until true or `bound` seconds pass"""
    end = time.time() + bound
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.1)
    return ok(False, "waited %d s for %s" % (bound, what))


R = Receiver()
D = os.path.join(WORK, "d")
cli("import", "--quiet", "--demo", "--data", D)
K = {}
for name, role, org in [("admin", "admin", None), ("officer", "officer", None), ("officer2", "officer", None),
                        ("issuer", "enterprise", "sz-chip-co"), ("other_ent", "enterprise", "hp-chain-inst"),
                        ("a", "researcher", "sh-ic-univ"), ("issuer_res", "researcher", "sz-chip-co")]:
    K[name] = cli(*(["key", "create", "--role", role, "--data", D] + (["--org", org] if org else []))).stdout.strip()
CONF = os.path.join(WORK, "jiebang.conf")
with open(CONF, "w") as f:
    f.write("webhooks.backoff_ms = 50\nwebhooks.backoff_max_seconds = 1\nwebhooks.timeout_ms = 2000\n"
            "webhooks.retry_seconds = 600\nlog = 0\n")
S = Server(D, ["--config", CONF])


def req(method, path, body=None, key=None):
    return S.call(method, path, body, key)


def detail(j):
    return (j or {}).get("detail") or ""


# ---- subscriptions: validation naming the field ------------------------------------------------
BAD = [({"events": ["award"]}, "url"),
       ({"url": "ftp://127.0.0.1/x", "events": ["award"]}, "url"),
       ({"url": R.url("/x"), "events": []}, "events"),
       ({"url": R.url("/x"), "events": ["nope"]}, "events[0]"),
       ({"url": R.url("/x"), "events": ["award", "award"]}, "events[1]"),
       ({"url": R.url("/x"), "events": ["match.new"]}, "challenge"),
       ({"url": R.url("/x"), "events": ["award"], "secret": "short"}, "secret"),
       ({"url": R.url("/x"), "events": ["award"], "active": "yes"}, "active"),
       ({"url": R.url("/x"), "events": ["award"], "colour": 1}, "colour"),
       ({"url": R.url("/x"), "events": ["award"], "challenge": "no-such"}, "challenge"),
       ({"url": "http://169.254.169.254/latest/meta-data", "events": ["award"]}, "url"),
       ({"url": "http://10.0.0.1/hook", "events": ["award"]}, "url"),
       ({"url": "http://user@127.0.0.1/hook", "events": ["award"]}, "url")]
for body, field in BAD:
    st, j = req("POST", "/v1/webhooks", body, K["issuer"])
    fields = [e.get("field") for e in (j or {}).get("errors", [])]
    ok(st == 400 and jbtest.is_problem(j, 400) and (detail(j).startswith(field + ":") or field in fields),
       "%s is refused naming %s (%s %s)" % (body, field, st, detail(j)))
st, j = req("GET", "/v1/webhooks", key=K["issuer"])
ok(st == 200 and j["items"] == [], "nothing was stored by the refused requests (%s)" % j)

# the issuer's subscription: its org's challenges; the secret is shown once
st, j = req("POST", "/v1/webhooks", {"url": R.url("/issuer"), "description": "发榜方",
                                     "events": ["challenge.state", "application.created", "application.state",
                                                "award", "milestone.due"]}, K["issuer"])
ok(st == 201 and j["secret"].startswith("whsec_") and j["org"] == "sz-chip-co" and j["active"] is True,
   "an enterprise key's subscription is its org's, with a generated secret (%s %s)" % (st, j))
HI = j["id"]
R.secrets["/issuer"] = j["secret"]
st, j = req("GET", "/v1/webhooks/" + HI, key=K["issuer"])
ok(st == 200 and "secret" not in j and j["state"]["delivered"] == 0, "the secret is never shown again (%s)" % j)
ok(req("GET", "/v1/webhooks/" + HI, key=K["other_ent"])[0] == 404, "another org's key does not see it")
ok(req("PATCH", "/v1/webhooks/" + HI, {"active": False}, K["a"])[0] == 404, "nor changes it")
st, j = req("PATCH", "/v1/webhooks/" + HI, {"url": "http://10.1.2.3/x"}, K["a"])
ok(st == 404 and "10.1.2.3" not in json.dumps(j), "nor learns how a url would be judged through it (%s %s)" % (st, j))
st, j = req("PATCH", "/v1/webhooks/w-none", {"url": "http://10.1.2.3/x"}, K["issuer"])
ok(st == 404, "a PATCH of no subscription is a 404 whatever its url (%s %s)" % (st, j))
ok(req("GET", "/v1/webhooks/" + HI, key=K["issuer_res"])[0] == 404 and
   req("PATCH", "/v1/webhooks/" + HI, {"url": R.url("/issuer_res")}, K["issuer_res"])[0] == 404 and
   HI not in [h["id"] for h in req("GET", "/v1/webhooks", key=K["issuer_res"])[1]["items"]],
   "a researcher key of the issuing org neither sees nor re-points the enterprise's subscription")
ok(req("GET", "/v1/webhooks/" + HI, key=K["admin"])[0] == 200, "an admin sees every subscription")
ok(req("GET", "/v1/webhooks/" + HI, key=K["officer"])[0] == 404, "an officer sees its own only")
for body, field in (({"events": ["nope"]}, "events[0]"), ({"url": "http://169.254.169.254/"}, "url"),
                    ({"min_score": 0.5}, "min_score")):
    st, j = req("PATCH", "/v1/webhooks/" + HI, body, K["issuer"])
    ok(st == 400 and detail(j).startswith(field + ":"), "PATCH %s is refused naming %s (%s)" % (body, field, detail(j)))
st, j = req("GET", "/v1/webhooks/" + HI, key=K["issuer"])
ok(j["url"] == R.url("/issuer") and len(j["events"]) == 5, "and changes nothing (%s)" % j)
st, j = req("PATCH", "/v1/webhooks/" + HI, {"secret": "x" * 20}, K["issuer"])
ok(st == 400 and detail(j).startswith("secret:"), "the secret is not changed by PATCH (%s)" % detail(j))

# the officer's: every challenge, with its own secret
SECRET = "officer-secret-0123456789"
st, j = req("POST", "/v1/webhooks", {"url": R.url("/officer"), "events": ["challenge.state", "application.created"],
                                     "secret": SECRET}, K["officer"])
ok(st == 201 and j["secret"] == SECRET and j["org"] is None, "an officer's subscription, its secret given (%s)" % j)
HO = j["id"]
R.secrets["/officer"] = SECRET
st, j = req("GET", "/v1/webhooks", key=K["officer2"])
ok(st == 200 and j["items"] == [], "another officer does not list it (%s)" % j)
st, j = req("GET", "/v1/webhooks?limit=1", key=K["admin"])
ok(st == 200 and len(j["items"]) == 1 and j.get("next_cursor"), "the list pages with a cursor (%s)" % j)
st, j2 = req("GET", "/v1/webhooks?limit=1&cursor=" + j["next_cursor"], key=K["admin"])
ok(st == 200 and len(j2["items"]) == 1 and j2["items"][0]["id"] != j["items"][0]["id"], "the next page (%s)" % j2)

# the applicant org's: its application's moves, the award, the milestones; not the challenge's states
st, j = req("POST", "/v1/webhooks", {"url": R.url("/applicant"),
                                     "events": ["challenge.state", "application.state", "award", "milestone.due"]},
            K["a"])
ok(st == 201 and j["org"] == "sh-ic-univ", "a researcher key's subscription is its org's (%s)" % j)
R.secrets["/applicant"] = j["secret"]

# an uninvolved org's subscription hears nothing of sz-chip-co's challenges
st, j = req("POST", "/v1/webhooks", {"url": R.url("/other"), "events": ["challenge.state", "award"]}, K["other_ent"])
ok(st == 201, "another org subscribes (%s)" % j)
R.secrets["/other"] = j["secret"]

# a researcher key of the issuing org is not the issuer (docs/api.md "Roles"): it does not
# hear of the challenge's states, the applications of others, the award or the tranches
st, j = req("POST", "/v1/webhooks", {"url": R.url("/issuer_res"),
                                     "events": ["challenge.state", "application.created", "application.state",
                                                "award", "milestone.due"]}, K["issuer_res"])
ok(st == 201 and j["org"] == "sz-chip-co", "a researcher key of the issuing org subscribes (%s)" % j)
R.secrets["/issuer_res"] = j["secret"]

# ---- events of acknowledged changes ------------------------------------------------------------
deadline = (datetime.date.today() + datetime.timedelta(days=120)).isoformat()
NEED = {"title": "车规级碳化硅功率模块高温封装可靠性攻关（通知）", "org": "sz-chip-co",
        "problem": "现有碳化硅模块在175℃结温下功率循环寿命不足，需要新型封装材料与互连结构。",
        "indicators": [{"name": "功率循环寿命", "target": 50000, "unit": "次"}],
        "deadline": deadline, "funding": {"amount": 3000000, "currency": "CNY"},
        "ip_terms": "背景知识产权归各方，项目成果归发榜方。", "keywords": ["碳化硅", "封装"]}
ok(req("POST", "/v1/experts", {"id": "wh-tl-a", "name": "专家甲", "org": "sh-ic-univ"}, K["admin"])[0] == 201, "an expert")
# the first deliveries: the receiver fails, then times out, then redirects; each is
# retried (planned before the first change: the delivery thread may send at once)
with R.lock:
    R.plan = ["fail", "slow", "redirect"]
acked = []  # (path, type, check) of every acknowledged change
ok(req("POST", "/v1/challenges", dict(NEED, id="wh-1"), K["issuer"])[0] == 201, "a draft")
st, _ = req("POST", "/v1/challenges/wh-1/status", {"to": "published"}, K["issuer"])
ok(st == 200, "published")
acked += [("/issuer", "challenge.state"), ("/officer", "challenge.state")]
APP = {"plan": "分三阶段：材料筛选、结构设计、可靠性验证。", "budget": {"amount": 2500000, "currency": "CNY"},
       "schedule": "2027-03 材料；2027-09 样品", "commitment": "按期完成指标。", "lead_org": "sh-ic-univ",
       "team_lead": "wh-tl-a"}
st, j = req("POST", "/v1/challenges/wh-1/applications", APP, K["a"])
ok(st == 201, "an application (%s %s)" % (st, j))
acked += [("/issuer", "application.created"), ("/officer", "application.created")]
st, _ = req("POST", "/v1/challenges/wh-1/applications/sh-ic-univ/status", {"to": "shortlisted"}, K["officer"])
ok(st == 200, "shortlisted")
acked += [("/issuer", "application.state")]


def types(path):
    return sorted(g[2] for g in {g[1]: g for g in R.events(path)}.values())


wait_for(lambda: len({g[1] for g in R.events("/issuer")}) >= 3 and len({g[1] for g in R.events("/officer")}) >= 2,
         "the first events to arrive")
ok(types("/issuer") == ["application.created", "application.state", "challenge.state"],
   "the issuer hears of its challenge and the application (%s)" % types("/issuer"))
ok(types("/officer") == ["application.created", "challenge.state"], "the officer hears what it asked (%s)" % types("/officer"))
ok(R.events("/other") == [], "another org hears nothing of them")
ok(R.events("/issuer_res") == [], "a researcher key of the issuing org hears nothing of others' applications (%s)"
   % R.events("/issuer_res"))
wait_for(lambda: all(h["state"]["pending"] == 0 for h in req("GET", "/v1/webhooks", key=K["admin"])[1]["items"]),
         "nothing pending")
st, j = req("GET", "/v1/webhooks", key=K["admin"])
sts = [h["state"] for h in j["items"] if h["state"]["delivered"]]
reasons = sorted(x["last_failure"] for x in sts if x["last_failure"])
ok(st == 200 and reasons and all(x["last_success_at"] for x in sts) and
   all(x["last_failure_at"] for x in sts if x["last_failure"]) and
   any(r.startswith("HTTP 500") or r.startswith("no answer within") or r.startswith("HTTP 302") for r in reasons),
   "the states show the failures with their reasons and the successes (%s)" % sts)
c = jbtest.http.client.HTTPConnection(S.host, S.port, timeout=30)
c.request("GET", "/metrics")
metrics = c.getresponse().read().decode()
c.close()
def metric(name):
    for line in metrics.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return -1
ok(metric('jiebang_webhook_attempts_total{outcome="retry"}') >= 3 and
   metric('jiebang_webhook_attempts_total{outcome="delivered"}') >= 5,
   "/metrics counts attempts by outcome (%s, %s)" % (metric('jiebang_webhook_attempts_total{outcome="retry"}'),
                                                      metric('jiebang_webhook_attempts_total{outcome="delivered"}')))
per_retry = sum(float(l.split()[-1]) for l in metrics.splitlines()
                if l.startswith("jiebang_webhook_subscription_attempts_total{") and 'outcome="retry"' in l)
ok(metric('jiebang_webhook_subscription_attempts_total{webhook="%s",outcome="delivered"}' % HI) == 3 and
   per_retry == metric('jiebang_webhook_attempts_total{outcome="retry"}'),
   "/metrics counts them by subscription too (%s retries)" % per_retry)
body = [g for g in R.events("/issuer") if g[2] == "application.created"][0][3]
ok(body["data"]["challenge"] == "wh-1" and body["data"]["org"] == "sh-ic-univ" and body["id"].startswith("evt_")
   and body["created_at"].endswith("Z"), "an event's body: id, type, created_at, data (%s)" % body)

# ---- match.new: the challenge's matches above a score, each notified once ------------------------
st, j = req("POST", "/v1/webhooks", {"url": R.url("/match"), "events": ["match.new"], "challenge": "wh-1",
                                     "min_score": 0.01}, K["issuer"])
ok(st == 201, "a match.new subscription on the issuer's challenge (%s %s)" % (st, j))
R.secrets["/match"] = j["secret"]
st, j = req("POST", "/v1/webhooks", {"url": R.url("/x"), "events": ["match.new"], "challenge": "wh-1",
                                     "min_score": -1}, K["issuer"])
ok(st == 400 and detail(j).startswith("min_score:"), "a negative min_score is refused (%s)" % detail(j))
# a saved search's new results, for the key that saved it
st, j = req("POST", "/v1/saved", {"search": {"q": "碳化硅 封装 功率循环", "type": "output"}, "name": "SiC"}, K["a"])
ok(st == 201, "a saved search (%s %s)" % (st, j))
SAVED = j["id"]
st, j = req("POST", "/v1/webhooks", {"url": R.url("/x"), "events": ["match.new"], "saved": SAVED}, K["issuer"])
ok(st == 400 and detail(j).startswith("saved:"), "another key's saved search is refused (%s)" % detail(j))
st, j = req("POST", "/v1/webhooks", {"url": R.url("/x"), "events": ["award"], "saved": SAVED}, K["a"])
ok(st == 400 and detail(j).startswith("saved:"), "saved is for match.new only (%s)" % detail(j))
st, j = req("POST", "/v1/webhooks", {"url": R.url("/saved"), "events": ["match.new"], "saved": SAVED}, K["a"])
ok(st == 201 and j["saved"] == SAVED, "match.new on a saved search (%s %s)" % (st, j))
R.secrets["/saved"] = j["secret"]
OUT = {"id": "wh-out-1", "type": "output", "kind": "paper", "org": "sh-ic-univ", "year": 2025,
       "title": "车规级碳化硅功率模块高温封装可靠性与功率循环寿命研究",
       "abstract": "研究碳化硅功率模块在175℃结温下的封装材料、互连结构与功率循环寿命。",
       "keywords": ["碳化硅", "功率模块", "封装", "功率循环"]}
ok(req("POST", "/v1/outputs", OUT, K["admin"])[0] == 201, "a new output that fits wh-1")
wait_for(lambda: any(g[3]["data"]["id"] == "wh-out-1" for g in R.events("/match")), "match.new of the new output")
wait_for(lambda: any(g[3]["data"]["id"] == "wh-out-1" for g in R.events("/saved")), "the saved search's new result")
ok(all(g[3]["data"]["saved"] == SAVED and g[3]["data"]["type"] == "output" for g in R.events("/saved")),
   "each names the saved search and an output")
first = {(g[3]["data"]["type"], g[3]["data"]["id"]) for g in R.events("/match")}
ok(all(g[3]["data"]["challenge"] == "wh-1" and g[3]["data"]["score"] >= 0.01 for g in R.events("/match")),
   "each match.new names the challenge and a score above min_score")
ok(req("PATCH", "/v1/outputs/wh-out-1", {"year": 2026}, K["admin"])[0] == 200, "the output changes")
ok(req("POST", "/v1/orgs", {"id": "wh-org-x", "name": "无关机构", "kind": "enterprise"}, K["admin"])[0] == 201, "another write")
time.sleep(1.5)
ev = {g[1]: g for g in R.events("/match")}
sv = {g[1]: g for g in R.events("/saved")}
ok(len(sv) == len({g[3]["data"]["id"] for g in sv.values()}), "a saved search's result is notified once (%d)" % len(sv))
pairs = {(g[3]["data"]["type"], g[3]["data"]["id"]) for g in ev.values()}
ok(len(ev) == len(pairs) and first <= pairs,
   "a match already notified is not notified again (%d events, %d matches)" % (len(ev), len(pairs)))

# ---- the award and the milestones --------------------------------------------------------------
ok(req("POST", "/v1/challenges/wh-1/status", {"to": "reviewing"}, K["issuer"])[0] == 200, "wh-1 under review")
st, j = req("POST", "/v1/challenges/wh-1/status", {"to": "awarded", "winners": ["sh-ic-univ"]}, K["officer"])
ok(st == 200, "wh-1 awarded (%s %s)" % (st, j))
st, j = req("POST", "/v1/challenges/wh-1/milestones/plan",
            {"tranches": [{"share": 0.6, "due": "contract"}, {"share": 0.4, "due": "acceptance"}]}, K["issuer"])
ok(st in (200, 201), "the funding plan (%s %s)" % (st, j))
acked += [("/issuer", "challenge.state"), ("/officer", "challenge.state"), ("/issuer", "challenge.state"),
          ("/officer", "challenge.state"), ("/issuer", "award"), ("/issuer", "application.state"),
          ("/issuer", "milestone.due")]
wait_for(lambda: {"award", "milestone.due"} <= {g[2] for g in R.events("/applicant")}, "the applicant's award and milestone")
app = {g[1]: g for g in R.events("/applicant")}.values()
ok(sorted(g[2] for g in app) == ["application.state", "application.state", "award", "milestone.due"],
   "the applicant hears its application's moves, the award and the tranche, not the challenge's states (%s)"
   % sorted(g[2] for g in app))
aw = [g[3]["data"] for g in app if g[2] == "award"][0]
ok(aw["winners"] == ["sh-ic-univ"] and aw["challenge"] == "wh-1", "the award names the winners (%s)" % aw)
md = [g[3]["data"] for g in app if g[2] == "milestone.due"][0]
ok(md["due"] == "contract" and md["tranche"] == 0 and md["share"] == 0.6, "the contract tranche is due (%s)" % md)
mv = sorted((g[3]["data"]["from"], g[3]["data"]["to"]) for g in app if g[2] == "application.state")
ok(mv == [("shortlisted", "awarded"), ("submitted", "shortlisted")], "its application's moves (%s)" % mv)

# ---- kill -9 during deliveries -----------------------------------------------------------------
with R.lock:
    R.plan = ["slow"] * 2
R.slow = 4.0
for i in range(2, 8):
    ok(req("POST", "/v1/challenges", dict(NEED, id="wh-%d" % i, title=NEED["title"] + str(i)), K["issuer"])[0] == 201,
       "draft wh-%d" % i)
    st, _ = req("POST", "/v1/challenges/wh-%d/status" % i, {"to": "published"}, K["issuer"])
    ok(st == 200, "wh-%d published" % i)
    acked += [("/issuer", "challenge.state"), ("/officer", "challenge.state")]
    if i == 4:
        time.sleep(0.3)
        S.p.send_signal(signal.SIGKILL)
        S.p.wait(30)
        S = Server(D, ["--config", CONF])
st, _ = req("POST", "/v1/challenges/wh-2/status", {"to": "closed"}, K["issuer"])
ok(st == 200, "wh-2 closed")
acked += [("/issuer", "challenge.state"), ("/officer", "challenge.state")]
S.p.send_signal(signal.SIGKILL)  # again, with deliveries waiting
S.p.wait(30)
S = Server(D, ["--config", CONF])


def distinct(path):
    return {g[1]: g for g in R.events(path)}


want = {p: sum(1 for a in acked if a[0] == p) for p in ("/issuer", "/officer")}
wait_for(lambda: all(len(distinct(p)) >= n for p, n in want.items()), "every acknowledged change's event", 120)
for p, n in want.items():
    got = distinct(p)
    ok(len(got) == n, "%s: %d acknowledged changes, %d distinct events (ids dedup the retries)" % (p, n, len(got)))
    ts = sorted(g[2] for g in got.values())
    ok(ts == sorted(a[1] for a in acked if a[0] == p), "%s: the events are the changes' (%s)" % (p, ts))
states = sorted((g[3]["data"]["challenge"], g[3]["data"]["to"]) for g in distinct("/officer").values()
                if g[2] == "challenge.state")
ok(states == sorted([("wh-%d" % i, "published") for i in range(1, 8)] + [("wh-2", "closed"), ("wh-1", "reviewing"),
                                                                         ("wh-1", "awarded")]),
   "one challenge.state per transition, exactly (%s)" % states)
ok(R.bad == [], "every signature verifies (%s)" % R.bad[:3])
ok(R.events("/other") == [], "the uninvolved org still heard nothing")
ok(R.events("/issuer_res") == [], "nor the issuing org's researcher key: no award, no tranche (%s)" % R.events("/issuer_res"))

# ---- a subscription whose target turns forbidden ------------------------------------------------
# allowed when subscribed, refused at delivery once the allowed ranges change (as when a name
# comes to resolve elsewhere): the connect-time check, not only the subscription-time one
S.stop()
with open(CONF, "a") as f:
    f.write("webhooks.allow = 192.0.2.0/24\n")
S = Server(D, ["--config", CONF])
ok(req("POST", "/v1/challenges", dict(NEED, id="wh-9", title=NEED["title"] + "9"), K["issuer"])[0] == 201, "wh-9")
ok(req("POST", "/v1/challenges/wh-9/status", {"to": "published"}, K["issuer"])[0] == 200, "wh-9 published")
wait_for(lambda: "refused" in (req("GET", "/v1/webhooks/" + HO, key=K["officer"])[1]["state"]["last_failure"] or ""),
         "the delivery to a forbidden address to be refused")
ok(not any(g[3]["data"].get("challenge") == "wh-9" for g in R.events()), "nothing reached the receiver")
st, j = req("POST", "/v1/webhooks", {"url": R.url("/late"), "events": ["award"]}, K["admin"])
ok(st == 400 and detail(j).startswith("url:") and "127.0.0.1" in detail(j),
   "loopback itself is refused once webhooks.allow leaves it out (%s)" % detail(j))

# ---- a receiver that always fails: disabled after webhooks.disable_after_seconds -------------------
S.stop()
with open(CONF, "w") as f:
    f.write("webhooks.backoff_ms = 50\nwebhooks.backoff_max_seconds = 1\nwebhooks.timeout_ms = 2000\n"
            "webhooks.retry_seconds = 600\nwebhooks.disable_after_seconds = 2\nlog = 0\n")
S = Server(D, ["--config", CONF])
st, j = req("POST", "/v1/webhooks", {"url": R.url("/fail"), "events": ["challenge.state"]}, K["officer2"])
ok(st == 201, "a subscription to a receiver that always fails (%s)" % j)
HF = j["id"]
R.secrets["/fail"] = R.secrets["/fine"] = j["secret"]
ok(req("POST", "/v1/challenges/wh-3/status", {"to": "closed"}, K["issuer"])[0] == 200, "wh-3 closed")


def fstate():
    return req("GET", "/v1/webhooks/" + HF, key=K["officer2"])[1]


wait_for(lambda: fstate()["active"] is False, "the failing subscription to be disabled")
j = fstate()
ok(j["state"]["disabled_at"] and j["state"]["pending"] == 0 and j["state"]["consecutive_failures"] >= 2
   and j["state"]["last_failure"] == "HTTP 500" and j["state"]["delivered"] == 0,
   "disabled: when, why, its deliveries dropped (%s)" % j["state"])
st, j = req("PATCH", "/v1/webhooks/" + HF, {"active": True, "url": R.url("/fine")}, K["officer2"])
ok(st == 200 and j["active"] is True and j["state"]["disabled_at"] is None and j["state"]["consecutive_failures"] == 0
   and j["url"].endswith("/fine"), "enabled again with another URL: the streak starts over (%s)" % j)
ok(req("POST", "/v1/challenges/wh-4/status", {"to": "closed"}, K["issuer"])[0] == 200, "wh-4 closed")
wait_for(lambda: fstate()["state"]["delivered"] == 1, "the next event to reach the new URL")
c = jbtest.http.client.HTTPConnection(S.host, S.port, timeout=30)
c.request("GET", "/metrics")
metrics = c.getresponse().read().decode()
c.close()
ok(metric('jiebang_webhook_attempts_total{outcome="disabled"}') >= 1, "/metrics counts the disabling")
S.stop()
S = Server(D, ["--config", CONF])

# ---- delete ---------------------------------------------------------------------------------------
ok(req("DELETE", "/v1/webhooks/" + HO, key=K["officer2"])[0] == 404, "another officer cannot delete it")
st, j = req("DELETE", "/v1/webhooks/" + HO, key=K["officer"])
ok(st == 200 and j["deleted"] is True, "its owner deletes it")
ok(req("GET", "/v1/webhooks/" + HO, key=K["officer"])[0] == 404, "gone")
S.stop()
print("%d passed, %d failed" % (jbtest.counts["passed"], jbtest.counts["failed"]))
sys.exit(1 if jbtest.counts["failed"] else 0)
