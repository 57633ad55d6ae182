/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_errmsg.c: fuzz target for the error messages written into callers'
 * buffers (jb_rec_parse, jb_rec_validate, jb_api_body, jb_qs_parse). Input:
 * a byte for the buffer size (1..256), then the text. A message must be
 * NUL-terminated inside its buffer, valid UTF-8 (so that the HTTP error
 * that carries it names its field rather than being replaced), and when the
 * buffer is large enough not cut at all. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/body.h"
#include "api/qs.h"
#include "common/jb_error.h"
#include "engine/record.h"
#include "locale/jb_locale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

static void check(const char *what, const char *err, size_t cap) {
  const char *end = memchr(err, '\0', cap);
  if (!end || jb_utf8_validate(err, (size_t)(end - err), NULL) != JB_UTF8_OK) {
    fprintf(stderr, "%s: a message %s in %zu bytes: %.*s\n", what,
            end ? "not valid UTF-8" : "not terminated", cap, (int)cap, err);
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  size_t cap = 1 + data[0];
  const char *text = (const char *)data + 1;
  size_t len = size - 1;
  char *err = malloc(cap);
  if (!err)
    abort();
  json_t *j = NULL;
  memset(err, 'x', cap);
  if (jb_rec_parse(text, len, &j, err, cap) != JB_OK) {
    check("jb_rec_parse", err, cap);
  } else {
    int type;
    jb_rec_ref refs[JB_REC_MAX_REFS];
    size_t n;
    memset(err, 'x', cap);
    if (jb_rec_validate(j, &type, refs, &n, err, cap) != JB_OK)
      check("jb_rec_validate", err, cap);
    json_decref(j);
  }
  json_t *out = NULL;
  memset(err, 'x', cap);
  if (jb_api_body(text, len, "challenge", "c-\xe7\xa2\xb3\xe5\x8c\x96\xe7\xa1\x85", NULL, &out, err,
                  cap) != JB_OK)
    check("jb_api_body", err, cap);
  json_decref(out);
  jb_qs q;
  memset(err, 'x', cap);
  if (jb_qs_parse(text, len, &q, err, cap) != JB_OK)
    check("jb_qs_parse", err, cap);
  else
    jb_qs_free(&q);
  free(err);
  return 0;
}
