# SPDX-License-Identifier: GPL-3.0-or-later
# The systemd unit: the hardening the issue asks for is there, `systemd-analyze
# verify` is clean and `systemd-analyze security` rates its exposure at most
# 2.0 (offline: no systemd as PID 1 is needed). Skips without systemd-analyze.
. "$JB_SRCDIR/tests/lib.sh"
unit="$JB_BUILDDIR/jiebang.service"
[ -f "$unit" ] || { fail "no $unit (make builds it from data/jiebang.service.in)"; finish; }
for d in Type=notify WatchdogSec= StateDirectory=jiebang ProtectSystem=strict ProtectHome=yes \
         PrivateTmp=yes NoNewPrivileges=yes 'CapabilityBoundingSet=$' \
         'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX$' 'SystemCallFilter=@system-service$' \
         MemoryDenyWriteExecute=yes 'User=jiebang$'; do
  grep -q "^$d" "$unit" || fail "the unit lacks $d"
done
grep -q '@[a-z]*@' "$unit" && fail "the unit still holds a @placeholder@: $(grep '@[a-z]*@' "$unit")"
command -v systemd-analyze >/dev/null 2>&1 || { [ $fails -eq 0 ] && skip "no systemd-analyze (Debian package systemd)"; finish; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
# verify wants ExecStart's program to exist: point it at this build's binary
sed "s|^ExecStart=[^ ]*|ExecStart=$JIEBANG|" "$unit" > "$t/jiebang.service"
if ! out=$(systemd-analyze verify --man=no "$t/jiebang.service" 2>&1); then
  fail "systemd-analyze verify: $out"
fi
[ -z "$out" ] || fail "systemd-analyze verify is not silent: $out"
sec=$(systemd-analyze security --offline=true "$t/jiebang.service" 2>&1)
level=$(printf '%s\n' "$sec" | sed -n 's/.*Overall exposure level for jiebang.service: \([0-9.]*\).*/\1/p')
[ -n "$level" ] || fail "no exposure level in: $(printf '%s\n' "$sec" | tail -3)"
if [ -n "$level" ]; then
  awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }' || fail "exposure $level > 2.0"
  echo "exposure $level"
fi
[ $fails -eq 0 ] && ok "unit file (exposure ${level:-?})"
finish
