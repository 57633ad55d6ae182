# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/jbtest.py: what the HTTP test scripts share — check counting, the
jiebang command line, and a server on a free loopback port."""
import atexit
import http.client
import json
import os
import re
import signal
import subprocess

JIEBANG = None  # set by the script: the jiebang binary
WORK = None     # set by the script: its scratch directory
counts = {"passed": 0, "failed": 0}
_servers = []  # every Server started: killed at exit, so a script that dies leaves none running


@atexit.register
def _kill_servers():
    for p in _servers:
        if p.poll() is None:
            p.kill()
            p.wait()


def ok(cond, what):
    """counts a check; prints it when it fails; returns cond"""
    if cond:
        counts["passed"] += 1
    else:
        counts["failed"] += 1
        print("FAIL:", what, flush=True)
    return cond


def cli(*args, check=True):
    """runs jiebang; with check, a failure ends the script"""
    r = subprocess.run([JIEBANG] + list(args), capture_output=True, text=True)
    if check and r.returncode != 0:
        raise SystemExit("jiebang %s: %s" % (" ".join(args), r.stderr))
    return r


class Server:
    """jiebang serve on 127.0.0.1:0; its log goes to WORK/server.log"""

    def __init__(self, data, extra=()):
        self.p = subprocess.Popen([JIEBANG, "serve", "--data", data, "--listen", "127.0.0.1:0"] + list(extra),
                                  stdout=subprocess.PIPE, stderr=open(os.path.join(WORK, "server.log"), "a"),
                                  text=True)
        _servers.append(self.p)
        line = self.p.stdout.readline()
        m = re.search(r"http://([0-9.]+):(\d+)", line)
        if not m:
            raise SystemExit("server did not start: %r" % line)
        self.host, self.port = m.group(1), int(m.group(2))

    def call(self, method, path, body=None, key=None):
        """one JSON request with an optional Bearer key: (status, parsed body or None)"""
        c = http.client.HTTPConnection(self.host, self.port, timeout=60)
        h = {"Authorization": "Bearer " + key} if key else {}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            h["Content-Type"] = "application/json"
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        raw = r.read()
        c.close()
        return r.status, (json.loads(raw) if raw else None)

    def stop(self, sig=signal.SIGTERM, wait=30):
        self.p.send_signal(sig)
        return self.p.wait(wait)


def metric(srv, name):
    """the whole-number value of the /metrics line NAME (labels included, as written) of the
    server srv (anything with host and port), or None when it has none"""
    c = http.client.HTTPConnection(srv.host, srv.port, timeout=10)
    c.request("GET", "/metrics")
    text = c.getresponse().read().decode()
    c.close()
    m = re.search(r"^%s (\d+)" % re.escape(name), text, re.M)
    return int(m.group(1)) if m else None


PROBLEM_BASE = "urn:jiebang:problem:"


def is_problem(j, status, ct=None):
    """an RFC 9457 problem (docs/api.md, "Errors") for this status: type,
    title, status, detail, code (the type's last part), the earlier
    {"error":{code,message}} beside them, errors[] of {detail} with a
    string field (the path) and code (the message's) where they apply, when
    present; ct, when given, is application/problem+json"""
    if ct is not None and not ct.startswith("application/problem+json"):
        return False
    if not isinstance(j, dict):
        return False
    for f in ("type", "title", "detail", "code"):
        if not isinstance(j.get(f), str) or not j[f]:
            return False
    if j.get("status") != status or j["type"] != PROBLEM_BASE + j["code"]:
        return False
    if j.get("error") != {"code": j["code"], "message": j["detail"]}:
        return False
    if "errors" in j and not (isinstance(j["errors"], list) and j["errors"] and all(
            isinstance(e, dict) and isinstance(e.get("field", ""), str) and isinstance(e.get("detail"), str)
            and isinstance(e.get("code", ""), str) for e in j["errors"])):
        return False
    # RFC 9457 extension members: a refused publication also carries the lint's warnings
    return set(j) <= {"type", "title", "status", "detail", "code", "errors", "request_id", "error", "warnings"}


def finish():
    print("%d passed, %d failed" % (counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0
