/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_cursor.c: fuzz target for the list cursors (api/cursor.c): any input
 * decodes or is refused with out ""; what decodes re-encodes to the same
 * cursor; any position encodes and decodes back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/cursor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *in = malloc(size + 1);
  if (!in)
    return 0;
  memcpy(in, data, size);
  in[size] = '\0';
  char pos[JB_CURSOR_POS_MAX + 1], cur[JB_CURSOR_MAX], back[JB_CURSOR_POS_MAX + 1];
  char kind = size ? (char)data[0] : 'r';
  if (jb_cursor_decode(in, 'r', pos, sizeof pos) == 0) {
    if (jb_cursor_encode('r', pos, cur, sizeof cur) != 0 || strcmp(cur, in))
      abort(); /* one cursor per position */
  } else if (pos[0]) {
    abort();
  }
  /* the input as a position (up to its first NUL) round-trips */
  if (strlen(in) <= JB_CURSOR_POS_MAX) {
    if (jb_cursor_encode(kind, in, cur, sizeof cur) != 0)
      abort();
    if (jb_cursor_decode(cur, kind, back, sizeof back) != 0 || strcmp(back, in))
      abort();
    if (kind != 'x' && jb_cursor_decode(cur, 'x', back, sizeof back) == 0)
      abort(); /* another list's cursor is refused */
    size_t n = strlen(cur);
    if (n) { /* one character changed: refused or another position, never a crash */
      cur[n / 2] = cur[n / 2] == 'A' ? 'B' : 'A';
      (void)jb_cursor_decode(cur, kind, back, sizeof back);
    }
  } else if (jb_cursor_encode(kind, in, cur, sizeof cur) != -1 || cur[0]) {
    abort();
  }
  free(in);
  return 0;
}
