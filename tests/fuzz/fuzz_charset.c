/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_charset.c: fuzz target for locale/jb_charset.h. The first byte picks
 * the encoding (detection, or one of the accepted names), the rest is the
 * text. On success the output is valid UTF-8 of exactly *outlen bytes with
 * a NUL after, and text that was UTF-8 already comes back byte for byte
 * (less a BOM); on an encoding error the offset is inside the input and
 * the line at least 1; every message is NUL-terminated valid UTF-8. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locale/jb_charset.h"
#include "locale/jb_locale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

static const char *const ENC[] = {NULL, "utf-8", "GB18030", "gbk", "GB2312", "utf-16le",
                                  "UTF-16BE", "utf16", "latin1"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!size)
    return 0;
  const char *enc = ENC[data[0] % (sizeof ENC / sizeof ENC[0])];
  const char *in = (const char *)data + 1;
  size_t len = size - 1;
  char *out = NULL, used[16];
  size_t outlen = 0;
  jb_charset_error err;
  int rc = jb_charset_to_utf8(in, len, enc, &out, &outlen, used, sizeof used, &err);
  if (!memchr(err.message, '\0', sizeof err.message) ||
      jb_utf8_validate(err.message, strlen(err.message), NULL) != JB_UTF8_OK) {
    fprintf(stderr, "the message is not NUL-terminated UTF-8\n");
    abort();
  }
  if (rc == JB_OK) {
    if (!out || out[outlen] != '\0' || jb_utf8_validate(out, outlen, NULL) != JB_UTF8_OK) {
      fprintf(stderr, "output not valid UTF-8 (%s)\n", used);
      abort();
    }
    if (!strcmp(used, "UTF-8")) {
      size_t skip = len >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3) ? 3 : 0;
      if (outlen != len - skip || memcmp(out, in + skip, outlen)) {
        fprintf(stderr, "UTF-8 text changed\n");
        abort();
      }
    }
    free(out);
  } else {
    if (out) {
      fprintf(stderr, "output on an error\n");
      abort();
    }
    if (rc == JB_EUTF8 && err.line && (err.offset >= len || err.line > len + 1)) {
      fprintf(stderr, "offset %zu / line %zu outside %zu bytes\n", err.offset, err.line, len);
      abort();
    }
    if (rc == JB_EINVAL && enc && jb_charset_name(enc)) {
      fprintf(stderr, "an accepted encoding refused\n");
      abort();
    }
  }
  return 0;
}
