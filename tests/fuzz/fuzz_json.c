/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_json.c: fuzz target for the JSON error body the server builds from
 * untrusted text (jb__error_json, api/logfmt.c) and for jb_utf8_repaired.
 * Input: CODE, a NUL, MSG (arbitrary bytes). The body must parse with
 * jansson, hold exactly {"error":{"code","message"}}, and give back both
 * strings: as they were when valid UTF-8, else with U+FFFD for bad bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/logfmt.h"
#include "locale/jb_locale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

/* checks jb_utf8_repaired(s) against the validator, and returns it */
static char *repaired(const char *s) {
  size_t n = strlen(s);
  char *r = jb_utf8_repaired(s);
  if (!r || jb_utf8_validate(r, strlen(r), NULL) != JB_UTF8_OK || strlen(r) > 3 * n)
    abort();
  if (jb_utf8_validate(s, n, NULL) == JB_UTF8_OK) {
    if (strcmp(r, s))
      abort(); /* valid text is left as it is */
    for (size_t i = 0, u; i < n; i += u)
      if (!(u = jb_utf8_char_len(s + i, n - i)))
        abort(); /* and walks character by character */
  } else if (!strstr(r, "\xEF\xBF\xBD")) {
    abort(); /* a bad byte leaves a mark */
  }
  return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = malloc(size + 2);
  if (!buf)
    abort();
  memcpy(buf, data, size);
  buf[size] = buf[size + 1] = '\0';
  const char *code = buf, *msg = buf + strlen(buf) + (strlen(buf) < size);
  char *body = jb__error_json(code, msg);
  json_error_t je;
  json_t *j = body ? json_loads(body, JSON_REJECT_DUPLICATES, &je) : NULL;
  json_t *e = json_object_get(j, "error");
  if (!j || json_object_size(j) != 1 || json_object_size(e) != 2)
    abort();
  char *rc = repaired(code), *rm = repaired(msg);
  const char *jc = json_string_value(json_object_get(e, "code")),
             *jm = json_string_value(json_object_get(e, "message"));
  if (!jc || !jm || strcmp(jc, rc) || strcmp(jm, rm))
    abort();
  char *b2 = jb__error_json(NULL, NULL);
  if (!b2 || strcmp(b2, "{\"error\":{\"code\":\"\",\"message\":\"\"}}"))
    abort();
  free(b2);
  free(rc);
  free(rm);
  json_decref(j);
  free(body);
  free(buf);
  return 0;
}
