/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_tokenize.c: fuzz target for the tokenizer (UTF-8 validation,
 * normalisation, T2S, segmentation, terms). libFuzzer entry point; see
 * standalone.c for the corpus replayer used by make check. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/jb_text.h"
#include "locale/jb_locale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jb_lexicon *lx;
static jb_tokenizer *tok;

static void setup(void) {
  char err[256];
  if (jb_text_load_lexicon(NULL, &lx, err, sizeof err) != JB_OK ||
      jb_tokenizer_new(lx, NULL, &tok) != JB_OK)
    abort();
}

void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {
  jb_tokenizer_free(tok);
  jb_lexicon_free(lx);
  tok = NULL;
  lx = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!tok)
    setup();
  const jb_term *terms;
  size_t n;
  unsigned what = size ? (data[0] & 0x3Fu) : JB_TOK_INDEX;
  int rc = jb_tokenize(tok, (const char *)data, size, what, &terms, &n);
  int valid = jb_utf8_validate((const char *)data, size, NULL) == JB_UTF8_OK;
  if ((rc == JB_OK) != valid)
    abort(); /* valid input must tokenize, invalid input must be refused */
  if (rc == JB_OK)
    for (size_t i = 0; i < n; i++)
      if (strlen(terms[i].text) != terms[i].len || terms[i].len == 0 ||
          jb_utf8_validate(terms[i].text, terms[i].len, NULL) != JB_UTF8_OK)
        abort();
  const char *out;
  size_t olen;
  rc = jb_normalize(tok, (const char *)data, size, &out, &olen);
  if ((rc == JB_OK) != valid || (rc == JB_OK && strlen(out) != olen && !memchr(data, 0, size)))
    abort();
  return 0;
}
