/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_problem.c: fuzz target for api/problem.c — Accept-Language
 * (jb_lang_accept), request ids (jb_request_id_ok), field paths
 * (jb_detail_field) and problem bodies (jb_problem_json). Input: a byte for
 * the status and language, then HEADER, DETAIL, ERRORS and ID separated by
 * NULs (arbitrary bytes). Every answer is checked against an independent
 * rule: the language is one we speak, the id rule holds byte by byte, a
 * field path is a prefix of the detail followed by ": ", and the body parses
 * with the status, the repaired detail and the request id. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/logfmt.h"
#include "api/problem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  int status = 400 + data[0] % 200;
  jb_lang lang = data[0] & 0x80 ? JB_LANG_ZH : JB_LANG_EN;
  char *in = malloc(size + 5);
  if (!in)
    abort();
  memcpy(in, data + 1, size - 1);
  memset(in + size - 1, 0, 6);
  const char *s[4];
  size_t at = 0;
  for (int k = 0; k < 4; k++) {
    s[k] = in + at;
    at += strlen(in + at);
    if (at < size - 1)
      at++;
  }
  jb_lang l = jb_lang_accept(s[0], lang);
  if (l != JB_LANG_EN && l != JB_LANG_ZH)
    abort();
  if (!*s[0] && l != lang)
    abort();
  /* the id rule, byte by byte */
  size_t idl = strlen(s[3]);
  int want = idl >= 1 && idl <= 128;
  for (size_t i = 0; i < idl && want; i++)
    want = (unsigned char)s[3][i] >= 0x21 && (unsigned char)s[3][i] <= 0x7e;
  if (jb_request_id_ok(s[3]) != want)
    abort();
  /* the log field: fits, and parses back to the id when the id is sane */
  char fld[300];
  size_t cap = data[0] >= 128 ? 300 : (size_t)data[0];
  size_t fn = jb_request_id_field(fld, cap, want ? s[3] : NULL);
  if (cap && (fn >= cap || strlen(fld) != fn))
    abort();
  if (want && cap >= 300) {
    char line[400];
    snprintf(line, sizeof line, "{\"a\":1%s}", fld);
    json_t *lj = json_loads(line, 0, NULL);
    if (!lj || strcmp(json_string_value(json_object_get(lj, "request_id")), s[3]))
      abort();
    json_decref(lj);
  }
  char f[64];
  size_t fl = jb_detail_field(s[1], f, sizeof f);
  if (fl && (fl >= sizeof f || strlen(f) != fl || strncmp(s[1], f, fl) || s[1][fl] != ':' ||
             s[1][fl + 1] != ' '))
    abort();
  char *b = jb_problem_json(status, NULL, s[1], s[2], want ? s[3] : NULL, lang);
  if (b) {
    json_t *j = json_loads(b, 0, NULL);
    char *rep = jb_utf8_repaired(s[1]);
    if (!j || !rep || json_integer_value(json_object_get(j, "status")) != status ||
        strcmp(json_string_value(json_object_get(j, "detail")), rep) ||
        strncmp(json_string_value(json_object_get(j, "type")), JB_PROBLEM_BASE,
                strlen(JB_PROBLEM_BASE)))
      abort();
    json_t *rid = json_object_get(j, "request_id");
    if (want ? !json_is_string(rid) || strcmp(json_string_value(rid), s[3]) : rid != NULL)
      abort();
    json_t *errs = json_object_get(j, "errors");
    if (errs && !json_is_array(errs))
      abort();
    free(rep);
    json_decref(j);
    free(b);
  }
  free(in);
  return 0;
}
