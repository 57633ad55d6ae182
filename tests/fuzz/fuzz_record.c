/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_record.c: fuzz target for the record parser and validator (the JSON
 * of import lines and, later, of HTTP bodies). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  json_t *j;
  char err[256];
  if (jb_rec_parse((const char *)data, size, &j, err, sizeof err) != JB_OK) {
    if (!memchr(err, '\0', sizeof err))
      abort(); /* the message is always terminated */
    return 0;
  }
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
