/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_body.c: fuzz target for the HTTP API's record bodies (strict JSON,
 * path agreement, JSON merge patch onto a stored record). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/body.h"
#include "common/jb_error.h"
#include "engine/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

static void check(const json_t *rec, const char *type, const char *id) {
  if (!json_is_object(rec) || strcmp(json_string_value(json_object_get(rec, "type")), type))
    abort();
  if (id && strcmp(json_string_value(json_object_get(rec, "id")), id))
    abort();
  if (!json_is_string(json_object_get(rec, "id")))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char base_text[] =
      "{\"type\":\"challenge\",\"id\":\"c1\",\"title\":\"碳化硅\",\"indicators\":[{\"name\":\"寿命\","
      "\"target\":3}],\"confidential\":{\"a\":\"b\"}}";
  json_t *base = json_loads(base_text, 0, NULL), *out = NULL;
  char err[256];
  /* POST (id from the body), PUT (id from the path), PATCH (merged) */
  int rc = jb_api_body((const char *)data, size, "challenge", NULL, NULL, &out, err, sizeof err);
  if (rc == JB_OK) {
    check(out, "challenge", NULL);
    json_decref(out);
  } else if (out || !memchr(err, '\0', sizeof err)) {
    abort();
  }
  rc = jb_api_body((const char *)data, size, "org", "o1", NULL, &out, err, sizeof err);
  if (rc == JB_OK) {
    check(out, "org", "o1");
    json_decref(out);
  } else if (out) {
    abort();
  }
  rc = jb_api_body((const char *)data, size, "challenge", "c1", base, &out, err, sizeof err);
  if (rc == JB_OK) {
    check(out, "challenge", "c1");
    /* the merge never changes the base */
    char *b = json_dumps(base, JSON_SORT_KEYS | JSON_COMPACT);
    json_t *fresh = json_loads(base_text, 0, NULL);
    char *f = json_dumps(fresh, JSON_SORT_KEYS | JSON_COMPACT);
    if (!b || !f || strcmp(b, f))
      abort();
    free(b);
    free(f);
    json_decref(fresh);
    /* what a PATCH produces is validated like any record, without crashing */
    int type;
    jb_rec_ref refs[JB_REC_MAX_REFS];
    size_t n;
    jb_rec_validate(out, &type, refs, &n, err, sizeof err);
    json_decref(out);
  } else if (out) {
    abort();
  }
  json_decref(base);
  return 0;
}
