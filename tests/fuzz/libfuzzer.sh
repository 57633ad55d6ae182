#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds a fuzz target as a libFuzzer binary with clang (ASan + UBSan) and
# runs it: tests/fuzz/libfuzzer.sh [SECONDS] [TARGET] (default 60 s,
# tokenize; targets: FUZZ_TARGETS in Makefile.am). Needs clang and a built
# build directory (BUILD_DIR, default build): its config.h, and its
# libapi.a and libjiebang.a for whatever a target's sources call beyond
# themselves (record.c calls the keys hash and the message catalogue, which
# bring the rest of the engine). Only the sources listed here are
# instrumented for coverage; the libraries' libraries come from JB_FUZZ_LIBS
# (make fuzz passes its DEP_LIBS) or pkg-config.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
target=${2:-tokenize}
out=${OUT:-/tmp/jb-fuzz}/$target
BUILD_DIR=${BUILD_DIR:-build}
mkdir -p "$out/corpus"
case $target in
  tokenize) src="locale/*.c common/error.c common/datadir.c engine/text.c"; max=512 ;;
  record) src="engine/record.c engine/record_brief.c locale/utf8.c common/error.c"; max=4096 ;;
  qs) src="api/qs.c locale/utf8.c common/error.c"; max=1024 ;;
  body) src="api/body.c engine/record.c locale/utf8.c common/error.c"; max=4096 ;;
  highlight) src="api/highlight.c api/logfmt.c locale/utf8.c"; max=2048 ;;
  json) src="api/logfmt.c locale/utf8.c"; max=2048 ;;
  logfmt) src="api/logfmt.c locale/utf8.c"; max=4096 ;;
  pinyin) src="locale/*.c common/error.c common/datadir.c engine/text.c"; max=512 ;;
  translate) src="locale/*.c common/error.c"; max=1024 ;;
  console) src="api/console.c common/datadir.c"; max=128 ;;
  cursor) src="api/cursor.c"; max=1024 ;;
  errmsg) src="api/body.c api/qs.c engine/record.c locale/utf8.c common/error.c"; max=4096 ;;
  time) src="common/time.c common/error.c"; max=64 ;;
  manifest) src="engine/manifest.c common/datadir.c locale/version.c"; max=4096 ;;
  charset) src="locale/charset.c locale/utf8.c common/error.c"; max=4096 ;;
  csv) src="common/csv_read.c common/csv_write.c engine/sheet.c engine/record.c locale/utf8.c common/error.c"; max=4096 ;;
  problem) src="api/problem.c api/logfmt.c engine/emsg.c locale/utf8.c"; max=4096 ;;
  etag) src="api/etag.c"; max=1024 ;;
  netguard) src="api/netguard.c"; max=512 ;;
  emsg) src="engine/emsg.c"; max=4096 ;;
  suggest) src="engine/suggest.c"; max=4096 ;;
  forward) # C++: instrumented on its own, then linked like the C sources
    clang++ -std=c++17 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr \
      -I. -I"$BUILD_DIR" \
      $(pkg-config --cflags xapian-core) -c index/xapian_forward.cc -o "$out/xapian_forward.o" || exit 1
    src="$out/xapian_forward.o"; max=4096 ;;
  *) echo "libfuzzer.sh: unknown target $target" >&2; exit 2 ;;
esac
for a in libapi.a libjiebang.a; do
  [ -f "$BUILD_DIR/$a" ] || { echo "libfuzzer.sh: no $BUILD_DIR/$a (build it first)" >&2; exit 2; }
done
libs=${JB_FUZZ_LIBS:-"$(pkg-config --libs sqlite3 xapian-core opencc icu-uc icu-i18n jansson libsodium) -lstemmer -lm"}
# shellcheck disable=SC2086
clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -I"$BUILD_DIR" \
  -DJB_PKGDATADIR=\"/nonexistent\" -DJB_TEST_SRCDIR=\"$PWD\" \
  $(pkg-config --cflags icu-uc opencc jansson libsodium) \
  "tests/fuzz/fuzz_$target.c" $src "$BUILD_DIR/libapi.a" "$BUILD_DIR/libjiebang.a" \
  -o "$out/fuzz_$target" $libs -lstdc++
cp "tests/fuzz/corpus/$target"/* "$out/corpus/"
export JIEBANG_DATADIR="$PWD/data"
cd "$out" && "./fuzz_$target" -max_total_time="$secs" -max_len="$max" corpus
