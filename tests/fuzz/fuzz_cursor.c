/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_cursor.c: fuzz target for the list cursors (api/cursor.c): any input
 * decodes or is refused with out ""; what decodes re-encodes to the same
 * cursor; any position encodes and decodes back; jb_cursor_json_with_next
 * splices a cursor into any object's text and refuses anything else. */
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
  /* the input as an object's text: the cursor of the input's tail goes last */
  char *spl = jb_cursor_json_with_next(in, kind, size > 1 ? in + size / 2 : NULL);
  size_t il = strlen(in);
  int framed = il >= 2 && in[0] == '{' && in[il - 1] == '}';
  if (spl) {
    size_t sl = strlen(spl);
    if (!framed || sl <= il || memcmp(spl, in, il - 1) || spl[sl - 1] != '}' ||
        !strstr(spl + il - 1, "\"next_cursor\":"))
      abort();
    free(spl);
  } else if (framed && (size <= 1 || strlen(in + size / 2) <= JB_CURSOR_POS_MAX)) {
    abort(); /* a framed object and an encodable position always splice */
  }
  free(in);
  return 0;
}
