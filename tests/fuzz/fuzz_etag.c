/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_etag.c: fuzz target for the If-Match / If-None-Match evaluator
 * (api/etag.c). Input: the field value, then optionally a NUL byte and the
 * current entity tag. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/etag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = malloc(size + 2);
  if (!buf)
    return 0;
  memcpy(buf, data, size);
  buf[size] = buf[size + 1] = '\0';
  const char *hdr = buf, *etag = memchr(buf, '\0', size) ? buf + strlen(buf) + 1 : NULL;
  int s = jb_etag_match(hdr, etag, 1), w = jb_etag_match(hdr, etag, 0);
  int none = jb_etag_match(hdr, NULL, 1);
  if (s < -1 || s > 1 || w < -1 || w > 1)
    abort();
  if ((s == -1) != (w == -1) || (s == -1) != (none == -1)) /* one grammar */
    abort();
  if (s == 1 && w != 1) /* a strong match is a weak match */
    abort();
  if (none == 1) /* nothing matches an absent representation */
    abort();
  if (s == 1 && etag && strcmp(hdr, "*") && !strstr(hdr, etag) && !strchr(hdr, '*'))
    abort(); /* a listed match names the tag */
  free(buf);
  return 0;
}
