/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_highlight.c: fuzz target for the search highlighter (api/highlight.c).
 * Input: TITLE, a NUL, then the matched words (without a NUL the words are
 * the title's first three bytes). Checks every output with hl_check (valid
 * UTF-8, well-nested <em>, complete escapes, the title given back) and that
 * a word found at character boundaries is marked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/highlight.h"
#include "tests/fuzz/hlcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = malloc(size + 4);
  if (!buf)
    abort();
  memcpy(buf, data, size);
  buf[size] = '\0';
  const char *title = buf, *words;
  size_t tl = strlen(buf);
  char w3[4] = {0};
  if (tl < size) {
    words = buf + tl + 1;
  } else {
    memcpy(w3, buf, tl < 3 ? tl : 3);
    words = w3;
  }
  /* the snippet of the same text: checked as a highlight of its own cut */
  char *snip = jb_snippet(title, words, 1 + size % 64);
  if (!snip || jb_utf8_validate(snip, strlen(snip), NULL) != JB_UTF8_OK)
    abort();
  size_t opens = 0, closes = 0;
  for (const char *p = snip; (p = strstr(p, "<em>")); p++)
    opens++;
  for (const char *p = snip; (p = strstr(p, "</em>")); p++)
    closes++;
  if (opens != closes || (tl && !snip[0]) || (!tl && snip[0]))
    abort();
  free(snip);
  char *out = jb_highlight(title, words);
  if (!out)
    abort();
  const char *why = hl_check(title, out);
  if (why)
    abort();
  /* a valid ASCII word the title holds (exactly) is marked */
  size_t wl = strcspn(words, " ");
  int ascii = wl > 0;
  for (size_t k = 0; k < wl; k++)
    ascii &= (unsigned char)words[k] >= 0x20 && (unsigned char)words[k] < 0x7F &&
             !strchr("&<>\"'", words[k]);
  if (ascii && jb_utf8_validate(title, tl, NULL) == JB_UTF8_OK) {
    char w[64];
    if (wl < sizeof w) {
      memcpy(w, words, wl);
      w[wl] = '\0';
      if (strstr(title, w) && !strstr(out, "<em>"))
        abort();
    }
  }
  if (jb_highlight(NULL, words) != NULL)
    abort();
  free(out);
  free(buf);
  return 0;
}
