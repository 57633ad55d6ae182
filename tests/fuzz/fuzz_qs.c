/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_qs.c: fuzz target for the HTTP API's query-string parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/qs.h"
#include "common/jb_error.h"
#include "locale/jb_locale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  jb_qs q;
  char err[128];
  int rc = jb_qs_parse((const char *)data, size, &q, err, sizeof err);
  if (rc == JB_ESYNTAX) {
    if (!memchr(err, '\0', sizeof err) || q.n || q.buf)
      abort(); /* a terminated message, nothing kept */
    return 0;
  }
  if (rc != JB_OK)
    return 0;
  if (q.n > JB_QS_MAX_PAIRS)
    abort();
  for (size_t i = 0; i < q.n; i++) {
    size_t bad, kl = strlen(q.v[i].key), vl = strlen(q.v[i].val);
    if (kl == 0 || kl > 32 || jb_utf8_validate(q.v[i].val, vl, &bad) != JB_UTF8_OK)
      abort();
    for (size_t k = 0; k < vl; k++)
      if ((unsigned char)q.v[i].val[k] < 0x20)
        abort();
    if (jb_qs_get(&q, q.v[i].key) != q.v[i].val) /* keys are unique */
      abort();
  }
  jb_qs_free(&q);
  return 0;
}
