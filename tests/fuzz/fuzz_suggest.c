/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_suggest.c: fuzz target for the assistant's text joining
 * (jb__suggest_need_text in engine/suggest.c), which sizes a buffer from a
 * challenge's members and then writes them into it.
 * Input: a flag byte, then segments separated by NULs (arbitrary bytes, so
 * not always UTF-8): title, problem, description, then (flags & 7)
 * keywords, then indicator names. The flags also make the title a number,
 * put a non-string among the keywords, an indicator without a name or one
 * that is not an object, and a NUL inside the description. The answer is
 * checked against an independent rule: the present strings in order, each
 * up to its first NUL and followed by '\n', ASCII lower-cased. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

/* the expected text: appends s (up to its first NUL) and '\n', lowered */
static void expect(char *out, size_t *at, const char *s, size_t len) {
  for (size_t i = 0; i < len && s[i]; i++)
    out[(*at)++] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
  out[(*at)++] = '\n';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  unsigned flags = data[0];
  size_t nkw = flags & 7;
  const char *in = (const char *)data + 1;
  size_t left = size - 1;
  json_t *ch = json_object(), *kw = json_array(), *ind = json_array();
  char *want = malloc(2 * size + 64); /* the input's bytes, a '\n' each, a NUL */
  if (!ch || !kw || !ind || !want)
    abort();
  size_t at = 0, seg = 0;
  static const char *const fields[] = {"title", "problem", "description"};
  char *wkw = malloc(size + 16), *wind = malloc(size + 16); /* keywords, names */
  size_t nwkw = 0, nwind = 0;
  if (!wkw || !wind)
    abort();
  while (left) {
    const char *end = memchr(in, 0, left);
    size_t len = end ? (size_t)(end - in) : left;
    if (seg < 3) {
      if (seg == 0 && (flags & 0x08)) {
        json_object_set_new(ch, fields[seg], json_integer((json_int_t)len));
      } else if (seg == 2 && (flags & 0x40)) {
        /* a NUL inside: only the part before it is the need's text */
        char *two = malloc(len + 6);
        if (!two)
          abort();
        memcpy(two, in, len);
        memcpy(two + len, "\0TAIL", 5);
        json_object_set_new(ch, fields[seg], json_stringn_nocheck(two, len + 5));
        expect(want, &at, two, len);
        free(two);
      } else {
        json_object_set_new(ch, fields[seg], json_stringn_nocheck(in, len));
        expect(want, &at, in, len);
      }
    } else if (seg < 3 + nkw) {
      json_array_append_new(kw, json_stringn_nocheck(in, len));
      expect(wkw, &nwkw, in, len);
      if (flags & 0x10)
        json_array_append_new(kw, json_real(1.5));
    } else {
      json_t *o = json_object();
      json_object_set_new(o, "name", json_stringn_nocheck(in, len));
      json_array_append_new(ind, o);
      expect(wind, &nwind, in, len);
      if (flags & 0x20)
        json_array_append_new(ind, json_object()); /* no name */
      if (flags & 0x80)
        json_array_append_new(ind, json_string("not an object"));
    }
    seg++;
    if (!end)
      break;
    left -= len + 1;
    in = end + 1;
  }
  json_object_set_new(ch, "keywords", kw);
  json_object_set_new(ch, "indicators", ind);
  memcpy(want + at, wkw, nwkw);
  at += nwkw;
  memcpy(want + at, wind, nwind);
  at += nwind;
  want[at] = '\0';
  char *got = jb__suggest_need_text(ch);
  if (!got || strlen(got) != at || memcmp(got, want, at + 1) != 0)
    abort();
  free(got);
  free(want);
  free(wkw);
  free(wind);
  json_decref(ch);
  return 0;
}
