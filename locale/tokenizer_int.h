/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tokenizer_int.h: the tokenizer's state and the helpers its three files
 * share (internal): tokenizer.c (construction and terms), normalize.c
 * (validation, NFKC, Traditional to Simplified) and segment.c (pieces and
 * the lexicon segmenter).
 *
 * Offsets are UTF-16 code-unit offsets into the normalised text (ICU's
 * native form) unless a name says otherwise.
 */
#ifndef JB_TOKENIZER_INT_H
#define JB_TOKENIZER_INT_H

#include <stdint.h>
#include <stdlib.h>

#include <libstemmer.h>
#include <opencc/opencc.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>

#include "locale/lexicon_int.h"

#define TRAD_LO 0x3400u /* bitmap of characters OpenCC's t2s changes */
#define TRAD_HI 0x9FFFu

/* the Taiwan words converted to the mainland's (regional.c) */
typedef struct jb__regional jb__regional;

struct jb_tokenizer {
  const jb_lexicon *lx;
  jb_tokenizer_opts o;
  double logtotal;
  const UNormalizer2 *nfkc;
  UBreakIterator *bi;
  opencc_t cc;
  uint8_t *trad; /* bit per code point TRAD_LO..TRAD_HI */
  jb__regional *regional; /* NULL when o.regional or o.t2s is off */
  struct sb_stemmer *stem;
  UTransliterator *pinyin; /* created on first use */
  uint32_t *surnames, *funcs;
  size_t nsurnames, nfuncs;

  /* scratch, reused across calls */
  UChar *in16, *norm, *conv, *reg, *work;
  int32_t in16cap, normcap, convcap, regcap, workcap;
  uint8_t *regok; /* regional.c: word boundaries of the text, by position */
  size_t regokcap;
  const UChar *text; /* the normalised text: one of the buffers above */
  int32_t tlen;
  char *u8;
  size_t u8cap;
  uint32_t *cps;
  int32_t *offs, *nxt, *wb;
  double *best;
  uint8_t *blocked;
  size_t runcap;
  struct piece { int32_t start, end, split; uint8_t script; } *pcs;
  size_t npcs, pcscap;
  jb_term *terms;
  size_t *toff;
  size_t nterms, termcap;
  char *arena;
  size_t arenalen, arenacap;
  char err[200];
  size_t erroff;
};

/* sets t->err from the format and returns rc (tokenizer.c) */
int jb__tk_seterr(jb_tokenizer *t, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* normalize.c */
/* Converts s[0..n) (UTF-16) to UTF-8 in t->u8 (NUL-terminated); returns the
 * byte length, or JB_ENOMEM / JB_EICU (negative). t->u8 stays valid until
 * the next call on t. */
int64_t jb__tk_to_u8(jb_tokenizer *t, const UChar *s, int32_t n);
/* Validates and normalises text into t->text / t->tlen: JB_OK, JB_EINVAL
 * (NULL text), JB_ETOOBIG, JB_EUTF8 (t->erroff is the byte), JB_ENOMEM,
 * JB_EICU, JB_EOPENCC, each with t->err set. */
int jb__tk_prepare(jb_tokenizer *t, const char *text, size_t len);

/* regional.c */
/* Builds the table of Taiwan words and their mainland replacements, each
 * key in its simplified form (by t2s, a Traditional → Simplified converter
 * the caller keeps) and its replacement from OpenCC's tw2sp: JB_OK,
 * JB_ENOMEM or JB_EOPENCC (tw2sp.json not found, or a conversion that did
 * not give one line a key). *out is NULL on error. */
int jb__regional_new(opencc_t t2s, jb__regional **out);
void jb__regional_free(jb__regional *r); /* NULL is accepted */
/* Replaces in t->text each key that stands as a word, or words, of its
 * own — the segmenter (jb__tk_han_words, run on each Han run that holds a
 * key) puts a boundary at its start and end — by its replacement; a
 * one-character key everywhere; without a lexicon every key. t->text may
 * then point to t->reg; t->pcs is the segmenter's scratch. JB_OK,
 * JB_ENOMEM or JB_ETOOBIG. */
int jb__regional_apply(jb_tokenizer *t);

/* segment.c */
/* Cuts t->text into pieces (t->pcs, t->npcs): JB_OK, JB_ENOMEM or JB_EICU. */
int jb__tk_segment(jb_tokenizer *t);
/* The lexicon's words of the Han run t->text[a..b) alone, as t->pcs (t->lx
 * must hold words): JB_OK or JB_ENOMEM. */
int jb__tk_han_words(jb_tokenizer *t, int32_t a, int32_t b);

/* ---- small helpers ---- */
static inline int grow(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap)
    return JB_OK;
  size_t n = *cap ? *cap : 64;
  while (n < need)
    n *= 2;
  void *q = realloc(*p, n * elem);
  if (!q)
    return JB_ENOMEM;
  *p = q;
  *cap = n;
  return JB_OK;
}

static inline int grow16(UChar **p, int32_t *cap, int64_t need) {
  if (need > INT32_MAX / 2)
    return JB_ETOOBIG;
  size_t c = (size_t)*cap;
  int rc = grow((void **)p, &c, (size_t)need, sizeof(UChar));
  *cap = (int32_t)c;
  return rc;
}


static inline int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}


static inline int in_set(const uint32_t *v, size_t n, uint32_t c) {
  return bsearch(&c, v, n, sizeof *v, cmp_u32) != NULL;
}

static inline int is_trad(const jb_tokenizer *t, uint32_t c) {
  if (!t->trad || c < TRAD_LO || c > TRAD_HI)
    return 0;
  c -= TRAD_LO;
  return (t->trad[c >> 3] >> (c & 7)) & 1;
}
#endif
