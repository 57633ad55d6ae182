# SPDX-License-Identifier: GPL-3.0-or-later
# The installed sample configuration and jiebang.conf(5) agree with the server:
# every key of the sample (commented or not) is one the man page documents and
# the other way round, and the sample with every key uncommented starts a
# server (so each shown value is accepted).
. "$JB_SRCDIR/tests/lib.sh"
conf="$JB_BUILDDIR/jiebang.conf" man="$JB_BUILDDIR/jiebang.conf.5"
[ -f "$conf" ] && [ -f "$man" ] || { fail "make builds $conf and $man"; finish; }
t=$(mktemp -d); trap 'kill $pid 2>/dev/null; rm -rf "$t"' EXIT
pid=
sed -n 's/^#\{0,1\}\([a-z_.]*\) = .*/\1/p' "$conf" | sort -u > "$t/conf.keys"
sed -n 's/^\\fB\([a-z_.]*\)\\fR$/\1/p' "$man" | sort -u > "$t/man.keys"
[ -s "$t/conf.keys" ] && [ -s "$t/man.keys" ] || fail "no keys found (sample: $(wc -l < "$t/conf.keys"), man: $(wc -l < "$t/man.keys"))"
# and every key the loader knows (api/config.c: its table and its strcmp's)
{ sed -n 's/.*{"\([a-z_.]*\)", *offsetof.*/\1/p' "$JB_SRCDIR/api/config.c"
  grep -o 'strcmp(k, "[a-z_.]*")' "$JB_SRCDIR/api/config.c" | sed 's/.*"\(.*\)")/\1/'; } | sort -u > "$t/code.keys"
[ -s "$t/code.keys" ] || fail "no keys found in api/config.c"
c=$(comm -23 "$t/code.keys" "$t/man.keys")
[ -z "$c" ] || fail "keys api/config.c reads that jiebang.conf(5) does not document: $c"
grep -q '^Range: 1024 to 1073741824\.$' "$man" || fail "jiebang.conf(5) shows no range for limits.body_bytes"
d=$(comm -3 "$t/conf.keys" "$t/man.keys")
[ -z "$d" ] || fail "keys in only one of the sample and the man page (left: sample, right: man): $d"
# every key uncommented; the data directory and the port are the test's
sed -e 's/^#\([a-z_.]* = \)/\1/' -e "s|^data = .*|data = $t/data|" -e 's|^listen = .*|listen = 127.0.0.1:0|' \
  -e "s|^match.weights = .*||" "$conf" > "$t/all.conf"
"$JIEBANG" serve --config "$t/all.conf" > "$t/out" 2> "$t/err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$t/out" && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
grep -q '^jiebang: listening on http://127.0.0.1:' "$t/out" || fail "the sample with every key set does not start: $(cat "$t/err")"
kill $pid 2>/dev/null && wait $pid
pid=
[ $fails -eq 0 ] && ok "sample configuration ($(wc -l < "$t/conf.keys") keys) = jiebang.conf(5)"
finish
