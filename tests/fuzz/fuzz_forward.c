/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_forward.c: fuzz target for the decoder of the index's forward lists
 * (index/xapian_forward.cc). Input: the stored value. The decoder must
 * refuse what it cannot read (JB_ESYNTAX) without reading past the input;
 * what it takes, its own second check (offsets in order, terms strictly
 * ascending) must take too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "index/xapian_shim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* a copy of exactly size bytes, so ASan sees any read beyond them */
  uint8_t *buf = malloc(size ? size : 1);
  if (!buf)
    return 0;
  memcpy(buf, data, size);
  size_t n = 0;
  int rc = jb_ixfwd_check(buf, size, &n);
  if (rc != JB_OK && rc != JB_ESYNTAX && rc != JB_ENOMEM)
    abort();
  /* each term takes 3 bytes at least, after 3 of header */
  if (rc == JB_OK && size >= 3 && n > (size - 3) / 3)
    abort();
  if (rc != JB_OK && n != 0)
    abort();
  free(buf);
  return 0;
}
