#!/bin/sh
# Builds the fuzz targets as libFuzzer binaries with clang (ASan + UBSan) and
# runs one: tests/fuzz/libfuzzer.sh [SECONDS] (default 60). Needs clang and a
# configured build directory (BUILD_DIR, default build) for config.h.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
out=${OUT:-/tmp/jb-fuzz}
BUILD_DIR=${BUILD_DIR:-build}
mkdir -p "$out"
clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -I"$BUILD_DIR" \
  -DJB_PKGDATADIR=\"/nonexistent\" -DJB_SRCDATADIR=\""$PWD/data"\" \
  $(pkg-config --cflags icu-uc opencc) \
  tests/fuzz/fuzz_tokenize.c locale/*.c common/error.c engine/text.c \
  -o "$out/fuzz_tokenize" $(pkg-config --libs icu-uc icu-i18n opencc) -lstemmer -lm -lstdc++
mkdir -p "$out/corpus"
cp tests/fuzz/corpus/tokenize/* "$out/corpus/"
cd "$out" && ./fuzz_tokenize -max_total_time="$secs" -max_len=512 corpus
