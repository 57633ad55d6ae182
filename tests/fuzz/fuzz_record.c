/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_record.c: fuzz target for the record parser and validator (the JSON
 * of import lines and, later, of HTTP bodies), and for the brief parser of
 * stored records (jb_rec_parse_brief): on every text jb_rec_parse accepts,
 * it gives the same members but the dropped ones. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

/* the brief parse of an accepted text j: every member of j not in drop,
 * equal, none of those in drop, and nothing j does not hold */
static void check_brief(const uint8_t *data, size_t size, const json_t *j) {
  static const char *const drop[] = {"abstract", "bio", "k", NULL};
  json_t *b = NULL;
  if (jb_rec_parse_brief((const char *)data, size, drop, &b) != JB_OK)
    abort();
  if (!json_is_object(j)) {
    if (!json_equal(b, (json_t *)j))
      abort();
    json_decref(b);
    return;
  }
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)j, k, v) {
    int dropped = 0;
    for (size_t i = 0; drop[i]; i++)
      dropped |= !strcmp(k, drop[i]);
    json_t *w = json_object_get(b, k);
    if (dropped ? w != NULL : !w || !json_equal(v, w))
      abort();
  }
  json_object_foreach(b, k, v) {
    json_t *w = json_object_get(j, k);
    if (!w || !json_equal(v, w))
      abort();
  }
  json_decref(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  json_t *j;
  char err[256];
  if (jb_rec_parse((const char *)data, size, &j, err, sizeof err) != JB_OK) {
    if (!memchr(err, '\0', sizeof err))
      abort(); /* the message is always terminated */
    json_t *b = NULL; /* the brief parse of refused text: no crash, an object or nothing */
    if (jb_rec_parse_brief((const char *)data, size, NULL, &b) == JB_OK || b)
      abort();
    return 0;
  }
  check_brief(data, size, j);
  int type;
  jb_rec_ref refs[JB_REC_MAX_REFS];
  size_t n;
  int rc = jb_rec_validate(j, &type, refs, &n, err, sizeof err);
  if (rc == JB_OK) {
    /* a valid record's canonical form parses and validates to the same form */
    char *c = jb_rec_canonical(j);
    json_t *k;
    if (!c || jb_rec_parse(c, strlen(c), &k, err, sizeof err) != JB_OK)
      abort();
    if (jb_rec_validate(k, &type, refs, &n, err, sizeof err) != JB_OK)
      abort();
    char *c2 = jb_rec_canonical(k);
    if (!c2 || strcmp(c, c2) != 0)
      abort();
    for (size_t i = 0; i < n; i++)
      if (!refs[i].id || !*refs[i].id)
        abort();
    free(c2);
    free(c);
    json_decref(k);
  } else if (rc != JB_EINVAL) {
    abort();
  }
  json_decref(j);
  return 0;
}
