# SPDX-License-Identifier: GPL-3.0-or-later
# Who includes whom (docs/architecture.md): one home per dependency.
. "$JB_SRCDIR/tests/lib.sh"
cd "$JB_SRCDIR" || exit 1
check() { # pattern dirs-allowed
  pat=$1; shift
  hits=$(grep -rlE "#include *<($pat)" --include='*.c' --include='*.h' --include='*.cc' \
    common locale index engine api 2>/dev/null)
  for f in $hits; do
    allowed=0
    for d in "$@"; do case $f in "$d"/*) allowed=1 ;; esac; done
    [ $allowed = 1 ] || fail "$f includes <$pat> outside $*"
  done
}
check 'unicode/|opencc/|libstemmer' locale
check 'xapian' index
check 'microhttpd' api
check 'sqlite3' engine
check 'uv\.h' api
check 'sodium' engine
check 'curl/' api
# libcurl only where webhooks are delivered
for f in $(grep -rlE '#include *<curl/' common locale index engine api); do
  [ "$f" = api/webhook_send.c ] || fail "$f includes <curl/...>"
done
# libsystemd only in api/service.c
for f in $(grep -rlE '#include *<systemd/' common locale index engine api); do
  [ "$f" = api/service.c ] || fail "$f includes <systemd/...>"
done
# SQLite only in the store (store.c, and store_health.c and store_keys.c through store_int.h), libsodium only in keys.c
for f in $(grep -rlE '#include *<sqlite3' engine); do
  case $f in engine/store.c|engine/store_int.h) ;; *) fail "$f includes <sqlite3.h>" ;; esac
done
for f in $(grep -rlE '#include *<sodium' engine); do [ "$f" = engine/keys.c ] || fail "$f includes <sodium.h>"; done
# libxlsxwriter only in api/xlsx.c (issue 18)
for f in $(grep -rlE '#include *<xlsxwriter' common locale index engine api); do
  [ "$f" = api/xlsx.c ] || fail "$f includes <xlsxwriter.h>"
done
# locale/ and index/ never log nor read configuration
if grep -rnE '\b(printf|fprintf|puts|fputs|getenv|syslog)\b *\(' locale index 2>/dev/null \
   | grep -v snprintf | grep -v vsnprintf; then
  fail "locale/ or index/ prints, logs or reads the environment"
fi
# locale/ sees nothing of the project above it
if grep -rnE '#include "(engine|api|index)/' locale; then fail "locale/ includes a higher layer"; fi
[ $fails -eq 0 ] && ok "layering"
finish
