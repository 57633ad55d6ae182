#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/deb_install.sh [BUILD_DIR]: the Debian package, end to end (run by
# .ci/run after the suite; not part of make check). From BUILD_DIR's
# `make dist` tarball it builds jiebang_<version>_amd64.deb with
# `dpkg-buildpackage -us -uc -b` (the suite has run already: nocheck), runs
# lintian (no errors), checks that the installed binary embeds no build path,
# then installs the .deb with its dependencies into a fresh Debian 12 minbase
# root (debootstrap; the root is cached under /var/cache/jiebang-ci), runs
# the installed binary there against its installed data (import the demo,
# serve on loopback, /healthz, backup, verify), removes it (the data stays)
# and purges it (the data goes). Needs root and the Debian archive.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-${BUILD_DIR:-build}}
case $BUILD_DIR in /*) ;; *) BUILD_DIR="$top/$BUILD_DIR" ;; esac
fails=0
fail() { echo "FAIL: deb_install: $*"; fails=$((fails + 1)); }
say() { echo "deb_install: $*"; }
[ "$(id -u)" = 0 ] || { echo "SKIP: deb_install needs root (debootstrap, chroot)"; exit 77; }
[ -f "$BUILD_DIR/Makefile" ] || { echo "deb_install: no configured build in $BUILD_DIR" >&2; exit 2; }
need="debhelper dpkg-dev fakeroot lintian debootstrap binutils"
missing=""
for p in $need; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  say "installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || { echo "deb_install: cannot install$missing" >&2; exit 1; }
fi
start=$(date +%s)
work=$(mktemp -d /tmp/jiebang-deb.XXXXXX)
root="$work/root"
cleanup() {
  for m in proc dev/pts dev; do mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"; done
  [ -n "${srv:-}" ] && kill "$srv" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# ---- build the .deb from the release tarball -----------------------------------
(cd "$BUILD_DIR" && make -s dist >/dev/null 2>"$work/dist.err") || { cat "$work/dist.err"; fail "make dist"; exit 1; }
version=$(sed -n 's/^VERSION = //p' "$BUILD_DIR/Makefile")
tar -C "$work" -xzf "$BUILD_DIR/jiebang-$version.tar.gz" || { fail "unpacking the tarball"; exit 1; }
say "dpkg-buildpackage in $work/jiebang-$version"
if ! (cd "$work/jiebang-$version" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
      dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1); then
  tail -40 "$work/build.log"; fail "dpkg-buildpackage"; exit 1
fi
arch=$(dpkg --print-architecture)
deb="$work/jiebang_${version}_${arch}.deb"
[ -f "$deb" ] || { ls "$work"; fail "no $deb"; exit 1; }
say "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB) in $(( $(date +%s) - start )) s"
lintian --no-tag-display-limit "$deb" > "$work/lintian.out" 2>&1
if grep -q '^E:' "$work/lintian.out"; then
  grep '^E:' "$work/lintian.out"; fail "lintian errors"
fi
say "lintian: $(grep -c '^E:' "$work/lintian.out") errors, $(grep -c '^W:' "$work/lintian.out") warnings"
grep '^W:' "$work/lintian.out" | head -20
dpkg-deb -x "$deb" "$work/x"
for p in "$work" "$top" "$BUILD_DIR"; do
  strings "$work/x/usr/bin/jiebang" | grep -qF "$p" && fail "the installed binary names the build path $p"
done
for f in usr/bin/jiebang usr/share/jiebang/openapi.json usr/share/jiebang/demo/demo.jsonl \
         usr/share/jiebang/lexicon/domain.txt etc/jiebang/jiebang.conf lib/systemd/system/jiebang.service \
         usr/share/man/man1/jiebang.1.gz usr/share/man/man5/jiebang.conf.5.gz; do
  [ -e "$work/x/$f" ] || fail "the package lacks /$f"
done
[ -e "$work/x/var/lib/jiebang" ] && fail "the package ships /var/lib/jiebang (postinst makes it)"

# ---- a fresh Debian 12 root --------------------------------------------------
cache=/var/cache/jiebang-ci
mkdir -p "$cache" 2>/dev/null || cache="$work"
tarball="$cache/bookworm-minbase.tar.gz"
if [ ! -s "$tarball" ]; then
  say "debootstrap --variant=minbase bookworm (cached in $tarball)"
  debootstrap --variant=minbase --make-tarball="$tarball.tmp" bookworm "$work/dl" >"$work/debootstrap.log" 2>&1 \
    && mv "$tarball.tmp" "$tarball" || { tail -20 "$work/debootstrap.log"; fail "debootstrap --make-tarball"; exit 1; }
  rm -rf "$work/dl"
fi
debootstrap --variant=minbase --unpack-tarball="$tarball" bookworm "$root" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log"; fail "debootstrap"; exit 1; }
say "root ready in $(( $(date +%s) - start )) s"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
in_root apt-get update -qq >"$work/apt.log" 2>&1 || { tail "$work/apt.log"; fail "apt-get update in the root"; exit 1; }
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$deb")" >>"$work/apt.log" 2>&1 \
  || { tail -30 "$work/apt.log"; fail "installing the .deb with apt in the root"; exit 1; }
say "installed in the root in $(( $(date +%s) - start )) s"
in_root getent passwd jiebang >/dev/null || fail "postinst made no user jiebang"
[ "$(in_root stat -c %U /var/lib/jiebang 2>/dev/null)" = jiebang ] || fail "/var/lib/jiebang is not the user jiebang's"
[ -L "$root/etc/systemd/system/multi-user.target.wants/jiebang.service" ] || fail "the unit is not enabled"
in_root jiebang --version > "$work/version" || fail "jiebang --version in the root"
head -1 "$work/version" | grep -qx "jiebang $version" || fail "--version says $(head -1 "$work/version")"
as_user() { chroot --userspec=jiebang:jiebang "$root" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=/var/lib/jiebang "$@"; }
as_user /usr/bin/jiebang import --quiet --demo --data /var/lib/jiebang >/dev/null 2>"$work/import.err" \
  || { cat "$work/import.err"; fail "import --demo from the installed data"; }
key=$(as_user /usr/bin/jiebang key create --role admin --data /var/lib/jiebang 2>/dev/null)
[ -n "$key" ] || fail "key create"
# the installed service's command line, on a free loopback port
# (chroot execs env, which execs jiebang: $! is the server's pid)
chroot --userspec=jiebang:jiebang "$root" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
  /usr/bin/jiebang serve --config /etc/jiebang/jiebang.conf --listen 127.0.0.1:0 \
  >"$work/serve.out" 2>"$work/serve.err" &
srv=$!
for _ in $(seq 100); do grep -q listening "$work/serve.out" && break; sleep 0.1; done
addr=$(sed -n 's|^jiebang: listening on http://||p' "$work/serve.out" | head -1)
if [ -z "$addr" ]; then
  cat "$work/serve.err"; fail "the installed server did not start"
else
  python3 - "$addr" "$key" <<'PY' || fail "the installed server's answers"
import http.client, json, sys
host, port = sys.argv[1].rsplit(":", 1)
def get(path, key=None):
    c = http.client.HTTPConnection(host, int(port), timeout=30)
    c.request("GET", path, headers={"Authorization": "Bearer " + key} if key else {})
    r = c.getresponse()
    return r.status, json.loads(r.read() or b"null")
st, h = get("/healthz")
assert st == 200 and h.get("status") == "ok", (st, h)
st, s = get("/v1/search?q=%E7%A2%B3%E5%8C%96%E7%A1%85", sys.argv[2])
assert st == 200 and s["hits"], (st, s)
st, o = get("/v1/openapi.json", sys.argv[2])
assert st == 200 and o["info"]["version"], (st, o.get("info"))
print("deb_install: /healthz ok, search %d hits, OpenAPI %s" % (len(s["hits"]), o["info"]["version"]))
PY
  grep -q '"event":"listening"' "$work/serve.err" || fail "no JSON listening event on stderr: $(head -3 "$work/serve.err")"
  as_user /usr/bin/jiebang backup --data /var/lib/jiebang /var/lib/jiebang/backup-1 >/dev/null \
    || fail "backup beside the installed server"
  kill "$srv"; wait "$srv" || fail "the server's exit status on SIGTERM"
  srv=
fi
as_user /usr/bin/jiebang verify --data /var/lib/jiebang >/dev/null || fail "verify in the root"
# ---- remove keeps the data, purge removes it ---------------------------------
in_root apt-get remove -y -qq jiebang >>"$work/apt.log" 2>&1 || fail "apt-get remove"
[ -f "$root/usr/bin/jiebang" ] && fail "remove left /usr/bin/jiebang"
[ -f "$root/var/lib/jiebang/jiebang.db" ] || fail "remove did not keep /var/lib/jiebang/jiebang.db"
in_root apt-get purge -y -qq jiebang >>"$work/apt.log" 2>&1 || fail "apt-get purge"
[ -e "$root/var/lib/jiebang" ] && fail "purge left /var/lib/jiebang"
[ -e "$root/etc/jiebang/jiebang.conf" ] && fail "purge left /etc/jiebang/jiebang.conf"
say "done in $(( $(date +%s) - start )) s"
if [ $fails -eq 0 ]; then echo "deb_install: 1 passed, 0 failed"; exit 0; fi
echo "deb_install: 0 passed, 1 failed ($fails checks)"; exit 1
