# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/service_test.py: jiebang serve under a service manager's protocol —
READY=1 only once it answers, WATCHDOG=1 at half of WATCHDOG_USEC, STOPPING=1
on SIGTERM, SIGHUP logged without stopping it, the JSON listening event."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import http.client

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jbtest as t  # noqa: E402
from jbtest import ok  # noqa: E402

t.JIEBANG, SRC, t.WORK = sys.argv[1], sys.argv[2], sys.argv[3]
W = t.WORK
support = t.cli("--version").stdout
if "no libsystemd" in support:
    print("SKIP: built without libsystemd")
    sys.exit(77)
D = os.path.join(W, "d")
t.cli("import", "--quiet", "--demo", "--data", D)
path = os.path.join(W, "notify")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
sock.settimeout(10)
env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="400000")
log = open(os.path.join(W, "server.log"), "w")
p = subprocess.Popen([t.JIEBANG, "serve", "--data", D, "--listen", "127.0.0.1:0"], env=env,
                     stdout=subprocess.PIPE, stderr=log, text=True)
line = p.stdout.readline()
m = re.search(r"http://([0-9.]+):(\d+)", line)
ok(m is not None, "the first line on standard output names the address: %r" % line)


def recv():
    try:
        return sock.recv(4096).decode()
    except socket.timeout:
        return ""


msgs = []
t0 = time.time()
while not any("READY=1" in x for x in msgs) and time.time() - t0 < 10:
    msgs.append(recv())
ready = [x for x in msgs if "READY=1" in x]
ok(ready, "READY=1 sent: %r" % msgs)
if ready:
    ok("MAINPID=%d" % p.pid in ready[0], "READY names MAINPID: %r" % ready[0])
    ok("STATUS=listening on http://" in ready[0], "READY has a STATUS: %r" % ready[0])
if m:
    # ready means answering
    c = http.client.HTTPConnection(m.group(1), int(m.group(2)), timeout=10)
    c.request("GET", "/healthz")
    ok(c.getresponse().status == 200, "/healthz right after READY=1")
    c.close()
# WATCHDOG=1 every 200 ms (half of 400 ms): at least 3 in a second
pings, t0 = 0, time.time()
while time.time() - t0 < 1.0:
    x = recv()
    pings += x.count("WATCHDOG=1")
ok(pings >= 3, "WATCHDOG=1 pings in a second: %d" % pings)
p.send_signal(signal.SIGHUP)
time.sleep(0.3)
ok(p.poll() is None, "SIGHUP did not stop the server")
p.send_signal(signal.SIGTERM)
stopping = ""
t0 = time.time()
while "STOPPING=1" not in stopping and time.time() - t0 < 10:
    stopping += recv()
ok("STOPPING=1" in stopping, "STOPPING=1 on SIGTERM: %r" % stopping)
ok(p.wait(30) == 0, "exit status 0 after SIGTERM")
log.close()
events = []
for l in open(os.path.join(W, "server.log"), encoding="utf-8"):
    try:
        events.append(json.loads(l))
    except ValueError:
        ok(False, "a log line that is not JSON: %r" % l)
names = [e.get("event") for e in events]
ok("listening" in names, "a listening event: %s" % names)
lis = [e for e in events if e.get("event") == "listening"]
if lis and m:
    ok(lis[0].get("message") == "http://%s:%s" % (m.group(1), m.group(2)), "listening names the address: %r" % lis[0])
ok("watchdog" in names and "reload_unsupported" in names and "stopped" in names,
   "watchdog, reload_unsupported and stopped events: %s" % names)
# outside a service manager nothing is sent and nothing breaks
p = subprocess.Popen([t.JIEBANG, "serve", "--data", D, "--listen", "127.0.0.1:0"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                     env={k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "WATCHDOG_USEC")})
ok("listening" in p.stdout.readline(), "serves without NOTIFY_SOCKET")
p.send_signal(signal.SIGTERM)
ok(p.wait(30) == 0, "stops without NOTIFY_SOCKET")
sys.exit(t.finish())
