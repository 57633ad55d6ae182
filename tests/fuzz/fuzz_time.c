/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_time.c: fuzz target for common/jb_time.h. The input as text: a time
 * jb_time_parse accepts is written back byte for byte by jb_time_rfc3339;
 * its first 8 bytes as a number of seconds: jb_time_rfc3339 writes exactly
 * 20 characters and a NUL (or "" outside the years 0000-9999), never past
 * JB_RFC3339_LEN, and jb_time_parse reads the same second back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jb_error.h"
#include "common/jb_time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

static void written(int64_t t, char *buf, size_t cap) {
  memset(buf, 'x', cap);
  jb_time_rfc3339(t, buf);
  const char *end = memchr(buf, '\0', JB_RFC3339_LEN);
  size_t n = end ? (size_t)(end - buf) : 0;
  if (!end || (n != 0 && n != JB_RFC3339_LEN - 1)) {
    fprintf(stderr, "jb_time_rfc3339(%lld): %zu characters\n", (long long)t, n);
    abort();
  }
  for (size_t i = JB_RFC3339_LEN; i < cap; i++)
    if (buf[i] != 'x') {
      fprintf(stderr, "jb_time_rfc3339(%lld) wrote past its buffer\n", (long long)t);
      abort();
    }
  int64_t back = 0;
  if (n && (jb_time_parse(buf, &back) != JB_OK || back != t)) {
    fprintf(stderr, "jb_time_rfc3339(%lld) = %s does not read back (%lld)\n", (long long)t, buf,
            (long long)back);
    abort();
  }
  if (!n && t >= -62167219200LL && t <= 253402300799LL) {
    fprintf(stderr, "jb_time_rfc3339(%lld): nothing for a time in 0000-9999\n", (long long)t);
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1), buf[48];
  if (!text)
    abort();
  memcpy(text, data, size);
  text[size] = '\0';
  int64_t t = 0;
  if (jb_time_parse(text, &t) == JB_OK) {
    jb_time_rfc3339(t, buf);
    if (strcmp(buf, text)) {
      fprintf(stderr, "jb_time_parse(%s) = %lld, written back as %s\n", text, (long long)t, buf);
      abort();
    }
  }
  free(text);
  uint64_t u = 0;
  for (size_t i = 0; i < 8 && i < size; i++)
    u = u << 8 | data[i];
  written((int64_t)u, buf, sizeof buf);
  /* the same bytes, read as a time near now (most inputs land in range) */
  written((int64_t)(u % 8000000000ULL) - 1000000000, buf, sizeof buf);
  return 0;
}
