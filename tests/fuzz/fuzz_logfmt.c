/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_logfmt.c: fuzz target for the log line writer (jb_log_fields,
 * api/logfmt.c). Input: a byte for the buffer size, a byte for which of
 * CODE and NOTE are given, then EVENT, CODE, MSG and NOTE separated by NULs
 * (arbitrary bytes). The line must fit its buffer, parse with jansson, and
 * give back every string (bad bytes as U+FFFD), or a prefix of it on a
 * character boundary followed by "…" when it did not fit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/logfmt.h"
#include "locale/jb_locale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

#define ELLIPSIS "\xE2\x80\xA6"

/* the value of field f is s (repaired), or a cut of it when `may_cut` */
static void same(const json_t *j, const char *f, const char *s, int may_cut) {
  const char *v = json_string_value(json_object_get(j, f));
  char *r = jb_utf8_repaired(s);
  if (!v || !r)
    abort();
  if (strcmp(v, r)) {
    size_t vl = strlen(v);
    if (!may_cut || vl < 3 || strcmp(v + vl - 3, ELLIPSIS) || strncmp(v, r, vl - 3) ||
        vl - 3 >= strlen(r))
      abort();
  }
  free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  size_t cap = data[0] == 0xFF ? 1u << 16 : (size_t)data[0] * 8;
  unsigned which = data[1];
  char *in = malloc(size + 4), *buf = malloc(cap ? cap : 1);
  if (!in || !buf)
    abort();
  memcpy(in, data + 2, size - 2);
  memset(in + size - 2, 0, 6);
  const char *s[4];
  size_t at = 0;
  for (int k = 0; k < 4; k++) {
    s[k] = in + at;
    at += strlen(in + at);
    if (at < size - 2)
      at++;
  }
  const char *code = which & 1 ? s[1] : NULL, *note = which & 2 ? s[3] : NULL;
  size_t len = jb_log_fields(buf, cap, s[0], code, s[2], note);
  if (cap < JB_LOG_FIELDS_MIN) {
    if (len || (cap && buf[0]))
      abort();
  } else {
    if (len != strlen(buf) || len >= cap)
      abort();
    char *line = malloc(len + 3);
    if (!line)
      abort();
    line[0] = '{';
    memcpy(line + 1, buf, len);
    memcpy(line + 1 + len, "}", 2);
    json_error_t je;
    json_t *j = json_loads(line, JSON_REJECT_DUPLICATES, &je);
    if (!j || json_object_size(j) != 2u + !!code + !!note)
      abort();
    same(j, "event", s[0], 1);
    if (code)
      same(j, "code", s[1], 1);
    if (note)
      same(j, "note", s[3], 1);
    /* a message that fits even escaped at six bytes a byte is never cut */
    same(j, "message", s[2], strlen(s[2]) * 6 + 300 > cap);
    json_decref(j);
    free(line);
  }
  free(in);
  free(buf);
  return 0;
}
