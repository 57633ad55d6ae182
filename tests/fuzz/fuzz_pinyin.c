/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_pinyin.c: fuzz target for the tokenizer's pinyin terms
 * (JB_TOK_PINYIN: ICU Han-Latin on each Han word). Every pinyin term must be
 * one toneless syllable of ASCII letters a-z (1..6 of them, script Latin),
 * their positions must count 0, 1, 2, … in text order, and there are never
 * more syllables than Han characters in the normalised text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/jb_text.h"
#include "locale/jb_locale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jb_lexicon *lx;
static jb_tokenizer *tok;

void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {
  jb_tokenizer_free(tok);
  jb_lexicon_free(lx);
  tok = NULL;
  lx = NULL;
}

/* Han characters in the valid UTF-8 s[0..n) */
static size_t han_chars(const char *s, size_t n) {
  size_t h = 0;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    size_t u = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = u == 1 ? c : c & (0x7Fu >> u);
    for (size_t k = 1; k < u && i + k < n; k++)
      cp = cp << 6 | ((unsigned char)s[i + k] & 0x3Fu);
    h += jb_is_han(cp) != 0;
    i += u;
  }
  return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[256];
  if (!tok && (jb_text_load_lexicon(NULL, &lx, err, sizeof err) != JB_OK ||
               jb_tokenizer_new(lx, NULL, &tok) != JB_OK))
    abort();
  const jb_term *terms;
  size_t n;
  int valid = jb_utf8_validate((const char *)data, size, NULL) == JB_UTF8_OK;
  int rc = jb_tokenize(tok, (const char *)data, size, JB_TOK_WORDS | JB_TOK_PINYIN, &terms, &n);
  if ((rc == JB_OK) != valid)
    abort(); /* valid text always gets its terms, invalid text never */
  if (rc != JB_OK)
    return 0;
  uint32_t next = 0;
  for (size_t i = 0; i < n; i++) {
    if (terms[i].kind != JB_TERM_PINYIN)
      continue;
    if (terms[i].script != JB_SCRIPT_LATIN || terms[i].len < 1 || terms[i].len > 6 ||
        strlen(terms[i].text) != terms[i].len || terms[i].pos != next++)
      abort();
    for (uint32_t k = 0; k < terms[i].len; k++)
      if (terms[i].text[k] < 'a' || terms[i].text[k] > 'z')
        abort();
  }
  const char *norm;
  size_t nlen;
  if (jb_normalize(tok, (const char *)data, size, &norm, &nlen) != JB_OK ||
      next > han_chars(norm, nlen))
    abort();
  return 0;
}
