/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_translate.c: fuzz target for jb_xlex_translate (locale/translate.c),
 * both directions, over a lexicon of the test glossary and CEDICT sample.
 * Valid UTF-8 always translates, invalid never (and makes no callback);
 * spans come in text order, never overlap, lie inside the text on character
 * boundaries; a zh->en span is its key byte for byte, an en->zh span starts
 * and ends with an ASCII letter or digit; every candidate is a non-empty
 * NUL-terminated string of its stated length with a prior in (0, 1],
 * best first. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "locale/jb_locale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jb_xlex *xl;

void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {
  jb_xlex_free(xl);
  xl = NULL;
}

typedef struct {
  const char *text;
  size_t size, end, n;
  jb_xlex_dir dir;
} walk;

static int alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int check(void *ud, const jb_xlex_span *sp) {
  walk *w = ud;
  if (sp->len == 0 || sp->start < w->end || sp->start + sp->len > w->size || sp->ncand == 0)
    abort();
  const unsigned char *s = (const unsigned char *)w->text;
  if ((s[sp->start] & 0xC0) == 0x80 ||
      (sp->start + sp->len < w->size && (s[sp->start + sp->len] & 0xC0) == 0x80))
    abort(); /* never inside a character */
  if (w->dir == JB_XLEX_ZH2EN &&
      (strlen(sp->key) != sp->len || memcmp(sp->key, w->text + sp->start, sp->len) != 0))
    abort();
  if (w->dir == JB_XLEX_EN2ZH && (!alnum(s[sp->start]) || !alnum(s[sp->start + sp->len - 1])))
    abort();
  for (size_t i = 0; i < sp->ncand; i++) {
    const jb_xlex_cand *c = &sp->cand[i];
    if (!c->text || c->len == 0 || strlen(c->text) != c->len || !(c->prior > 0 && c->prior <= 1) ||
        (i && c->prior >= sp->cand[i - 1].prior) ||
        (c->origin != JB_XLEX_GLOSSARY && c->origin != JB_XLEX_CEDICT))
      abort();
  }
  w->end = sp->start + sp->len;
  w->n++;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!xl) {
    const char *g[] = {JB_TEST_SRCDIR "/tests/data/xlex_gloss.tsv"};
    if (jb_xlex_open(&xl, g, 1, JB_TEST_SRCDIR "/tests/data/cedict_mini.u8", NULL, 0) != JB_OK)
      abort();
  }
  int valid = jb_utf8_validate((const char *)data, size, NULL) == JB_UTF8_OK;
  for (int d = JB_XLEX_ZH2EN; d <= JB_XLEX_EN2ZH; d++) {
    walk w = {(const char *)data, size, 0, 0, (jb_xlex_dir)d};
    int rc = jb_xlex_translate(xl, (const char *)data, size, (jb_xlex_dir)d, check, &w);
    if ((rc == JB_OK) != (valid || size == 0) || (rc != JB_OK && w.n != 0))
      abort();
  }
  return 0;
}
