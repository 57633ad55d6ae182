/* SPDX-License-Identifier: GPL-3.0-or-later */
/* segment.c: the normalised text cut into pieces by script (ICU's word
 * breaks), Han runs segmented with the lexicon, dates and names kept whole
 * (tokenizer_int.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>

#include "locale/tokenizer_int.h"

/* ---------------------------------------------------------------------- */
/* segmentation into pieces                                               */
/* ---------------------------------------------------------------------- */

static int add_piece(jb_tokenizer *t, int32_t a, int32_t b, uint8_t script) {
  if (grow((void **)&t->pcs, &t->pcscap, t->npcs + 1, sizeof *t->pcs) != JB_OK)
    return JB_ENOMEM;
  t->pcs[t->npcs].start = a;
  t->pcs[t->npcs].end = b;
  t->pcs[t->npcs].split = -1;
  t->pcs[t->npcs].script = script;
  t->npcs++;
  return JB_OK;
}

static uint8_t classify(const UChar *s, int32_t a, int32_t b) {
  int digit = 0, latin = 1, han = 0, letter = 0;
  for (int32_t i = a; i < b;) {
    UChar32 c;
    U16_NEXT(s, i, b, c);
    if (jb_is_han((uint32_t)c))
      han = 1;
    if (u_isdigit(c))
      digit = 1;
    else if (u_isalpha(c)) {
      letter = 1;
      UErrorCode ec = U_ZERO_ERROR;
      if (uscript_getScript(c, &ec) != USCRIPT_LATIN)
        latin = 0;
    }
  }
  if (han)
    return JB_SCRIPT_HAN;
  if (digit)
    return JB_SCRIPT_NUMERIC;
  if (letter)
    return latin ? JB_SCRIPT_LATIN : JB_SCRIPT_OTHER;
  return JB_SCRIPT_PUNCT;
}

/* ICU word breaks over text[a..b): words, numbers, and (for the segmentation
 * output) punctuation pieces; white space is dropped. */
static int icu_pieces(jb_tokenizer *t, int32_t a, int32_t b) {
  UErrorCode ec = U_ZERO_ERROR;
  ubrk_setText(t->bi, t->text + a, b - a, &ec);
  if (U_FAILURE(ec))
    return JB_EICU;
  int32_t prev = ubrk_first(t->bi);
  for (int32_t cur = ubrk_next(t->bi); cur != UBRK_DONE; prev = cur, cur = ubrk_next(t->bi)) {
    int32_t pa = a + prev, pb = a + cur;
    int ws = 1;
    for (int32_t i = pa; i < pb && ws;) {
      UChar32 c;
      U16_NEXT(t->text, i, pb, c);
      if (!u_isUWhiteSpace(c) && !u_iscntrl(c) && c != 0x200B && c != 0xFEFF)
        ws = 0;
    }
    if (ws)
      continue;
    uint8_t sc = classify(t->text, pa, pb);
    /* a run of the same punctuation mark is one piece: —— …… */
    if (sc == JB_SCRIPT_PUNCT && t->npcs && t->pcs[t->npcs - 1].script == JB_SCRIPT_PUNCT &&
        t->pcs[t->npcs - 1].end == pa && pb - pa == 1 &&
        t->text[pa] == t->text[t->pcs[t->npcs - 1].start] &&
        t->pcs[t->npcs - 1].end - t->pcs[t->npcs - 1].start < 16) {
      t->pcs[t->npcs - 1].end = pb;
      continue;
    }
    if (add_piece(t, pa, pb, sc) != JB_OK)
      return JB_ENOMEM;
  }
  return JB_OK;
}

/* Value of a Chinese digit 〇..九, or -1. */
static int cn_digit(uint32_t c) {
  switch (c) {
  case 0x3007: case 0x25CB: case 0x96F6: return 0; /* 〇 ○ 零 */
  case 0x4E00: return 1; case 0x4E8C: return 2; case 0x4E09: return 3;
  case 0x56DB: return 4; case 0x4E94: return 5; case 0x516D: return 6;
  case 0x4E03: return 7; case 0x516B: return 8; case 0x4E5D: return 9;
  default: return -1;
  }
}

/* Value of a short Chinese numeral (一..九, 十, 二十一 ...), -1 if not one. */
static int cn_small(const uint32_t *c, int n) {
  int val = 0, cur = -1, seen_ten = 0;
  for (int i = 0; i < n; i++) {
    int d = cn_digit(c[i]);
    if (c[i] == 0x5341 /* 十 */) {
      if (seen_ten)
        return -1;
      seen_ten = 1;
      val = (cur < 0 ? 1 : cur) * 10;
      cur = -1;
    } else if (d >= 1 && cur < 0) {
      cur = d;
    } else {
      return -1;
    }
  }
  return val + (cur < 0 ? 0 : cur);
}

static int is_year_digit(uint32_t c) { return cn_digit(c) >= 0; }

/* Finds dates written in Chinese numerals inside cps[0..n) (二○○一年, 十二月,
 * 三十一日 after a month) and marks them as forced words: forced[i] holds
 * the end of the forced word that starts at i, or 0. Inner boundaries are
 * blocked. */
static void force_dates(const uint32_t *c, int n, int32_t *forced, uint8_t *blocked) {
  int month_end = -1;
  for (int i = 0; i < n; i++) {
    if (cn_digit(c[i]) < 0 && c[i] != 0x5341)
      continue;
    /* years: 2..4 year digits + 年 */
    int k = i;
    while (k < n && k - i < 5 && is_year_digit(c[k]))
      k++;
    if (k - i >= 2 && k - i <= 4 && k < n && c[k] == 0x5E74 /* 年 */ &&
        (i == 0 || !is_year_digit(c[i - 1]))) {
      forced[i] = k + 1;
      for (int j = i + 1; j <= k; j++)
        blocked[j] = 1;
      i = k;
      continue;
    }
    /* months 一..十二 + 月, days 一..三十一 + 日|号 right after a month */
    for (int len = 3; len >= 1; len--) {
      if (i + len >= n)
        continue;
      int v = cn_small(c + i, len);
      if (v <= 0)
        continue;
      uint32_t u = c[i + len];
      int ok = (u == 0x6708 /* 月 */ && v <= 12) ||
               ((u == 0x65E5 || u == 0x53F7) /* 日 号 */ && v <= 31 && month_end == i);
      if (!ok || (i > 0 && cn_small(c + i - 1, 1) >= 0))
        continue;
      forced[i] = i + len + 1;
      for (int j = i + 1; j <= i + len; j++)
        blocked[j] = 1;
      if (u == 0x6708)
        month_end = i + len + 1;
      i += len;
      break;
    }
  }
}

/* 1 when character c stands alone in fewer than oov_bound of its lexicon
 * occurrences (or never occurs): a bound morpheme. */
static int bound_char(const jb_tokenizer *t, uint32_t c) {
  if (cn_digit(c) >= 0 || !jb_is_han(c))
    return 0;
  uint32_t node = jb__lex_child(t->lx, 0, c);
  double alone = node ? t->lx->freq[node] : 0, inside = node ? t->lx->inword[node] : 0;
  return alone + inside <= 0 || alone < t->o.oov_bound * (alone + inside);
}

/* Grows the per-run arrays (which share one capacity) to hold `need`. */
static int han_arrays(jb_tokenizer *t, size_t need) {
  size_t cap = t->runcap ? t->runcap : 64;
  while (cap < need)
    cap *= 2;
  void *p;
  if (!(p = realloc(t->cps, cap * sizeof *t->cps)))
    return JB_ENOMEM;
  t->cps = p;
  if (!(p = realloc(t->offs, cap * sizeof *t->offs)))
    return JB_ENOMEM;
  t->offs = p;
  if (!(p = realloc(t->nxt, cap * sizeof *t->nxt)))
    return JB_ENOMEM;
  t->nxt = p;
  if (!(p = realloc(t->wb, cap * sizeof *t->wb)))
    return JB_ENOMEM;
  t->wb = p;
  if (!(p = realloc(t->best, cap * sizeof *t->best)))
    return JB_ENOMEM;
  t->best = p;
  if (!(p = realloc(t->blocked, cap)))
    return JB_ENOMEM;
  t->blocked = p;
  t->runcap = cap;
  return JB_OK;
}

/* Segments the Han run text[a..b) with the lexicon: maximum-probability path
 * over the word graph, each word scored log P(w) + word_bonus. */
static int han_pieces(jb_tokenizer *t, int32_t a, int32_t b) {
  const jb_lexicon *lx = t->lx;
  size_t need = (size_t)(b - a) + 2;
  if (need > t->runcap && (han_arrays(t, need) != JB_OK))
    return JB_ENOMEM;
  int n = 0;
  for (int32_t i = a; i < b;) {
    t->offs[n] = i;
    UChar32 c;
    U16_NEXT(t->text, i, b, c);
    t->cps[n++] = (uint32_t)c;
  }
  t->offs[n] = b;
  uint32_t *cps = t->cps;
  int32_t *forced = t->wb; /* reused: forced word ends */
  memset(forced, 0, (size_t)(n + 1) * sizeof *forced);
  memset(t->blocked, 0, (size_t)n + 1);
  force_dates(cps, n, forced, t->blocked);

  const double bonus = t->o.word_bonus, unk = -t->logtotal;
  double *best = t->best;
  best[n] = 0;
  for (int i = n - 1; i >= 0; i--) {
    if (t->blocked[i]) {
      best[i] = -INFINITY;
      t->nxt[i] = i + 1;
      continue;
    }
    if (forced[i]) {
      best[i] = bonus + best[forced[i]];
      t->nxt[i] = forced[i];
      continue;
    }
    double bv = -INFINITY;
    int bj = i + 1;
    uint32_t node = 0;
    int single = 0;
    for (int j = i; j < n && j - i < JB__LEX_MAXCHARS; j++) {
      node = jb__lex_child(lx, node, cps[j]);
      if (!node)
        break;
      double f = lx->freq[node];
      if (f > 0) {
        if (j == i)
          single = 1;
        double v = log(f) - t->logtotal + bonus + best[j + 1];
        if (v > bv) {
          bv = v;
          bj = j + 1;
        }
      }
    }
    if (!single) { /* an unknown character is a word of frequency 1 */
      double v = unk + bonus + best[i + 1];
      if (v > bv) {
        bv = v;
        bj = i + 1;
      }
    }
    best[i] = bv;
    t->nxt[i] = bj;
  }

  /* the path as word ends; forced[] is no longer needed, its array holds them */
  int32_t *ends = t->wb;
  int nw = 0;
  /* person names: surname + two single characters that are not function
   * characters nor frequent words on their own */
  const double name_max = 3.3e-4 * lx->total;
  for (int i = 0; i < n;) {
    int j = t->nxt[i];
    if (t->o.merge_names && j == i + 1 && j < n && t->nxt[j] == j + 1 && j + 1 < n &&
        t->nxt[j + 1] == j + 2 && in_set(t->surnames, t->nsurnames, cps[i])) {
      int ok = 1;
      for (int k = j; k <= j + 1 && ok; k++) {
        uint32_t node = jb__lex_child(lx, 0, cps[k]);
        double f = node ? lx->freq[node] : 0;
        if (in_set(t->funcs, t->nfuncs, cps[k]) || f >= name_max || cn_digit(cps[k]) >= 0)
          ok = 0;
      }
      if (ok)
        j = i + 3;
    }
    ends[nw++] = j;
    i = j;
  }
  /* unknown words: a run of single characters that each seldom stand alone
   * (bound morphemes: 冈 of 花冈) is a word the lexicon lacks; it is cut
   * into words of three characters, two where three would leave one */
  if (t->o.oov_bound > 0) {
    int o = 0, k = 0, start = 0;
    while (k < nw) {
      int run = 0;
      for (int s0 = start; k + run < nw; run++) {
        int e = ends[k + run];
        if (e - s0 != 1 || !bound_char(t, cps[s0]))
          break;
        s0 = e;
      }
      if (run < 2) {
        start = ends[o++] = ends[k++];
        continue;
      }
      while (run >= 2) {
        int take = run == 4 ? 2 : run < 3 ? run : 3;
        start = ends[o++] = ends[k + take - 1];
        k += take;
        run -= take;
      }
      if (run == 1)
        start = ends[o++] = ends[k++];
    }
    nw = o;
  }
  for (int k = 0, i = 0; k < nw; i = ends[k++])
    if (add_piece(t, t->offs[i], t->offs[ends[k]], JB_SCRIPT_HAN) != JB_OK)
      return JB_ENOMEM;
  return JB_OK;
}

int jb__tk_han_words(jb_tokenizer *t, int32_t a, int32_t b) {
  t->npcs = 0;
  return han_pieces(t, a, b);
}

static int is_ascii_number(const UChar *s, int32_t a, int32_t b) {
  for (int32_t i = a; i < b; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || ((s[i] == '.' || s[i] == ',') && i > a && i + 1 < b)))
      return 0;
  return b > a;
}

/* Splits the normalised text into pieces: Han runs through the lexicon (or
 * ICU without one), the rest through ICU; then joins a number with a
 * following 年 月 日 or %. */
int jb__tk_segment(jb_tokenizer *t) {
  t->npcs = 0;
  const UChar *s = t->text;
  int32_t n = t->tlen, i = 0;
  while (i < n) {
    UChar32 c;
    int32_t a = i;
    U16_NEXT(s, i, n, c);
    int han = jb_is_han((uint32_t)c);
    int32_t b = i;
    while (b < n) {
      int32_t k = b;
      U16_NEXT(s, k, n, c);
      if (jb_is_han((uint32_t)c) != han)
        break;
      b = k;
    }
    i = b;
    int rc = (han && t->lx && t->lx->nwords) ? han_pieces(t, a, b) : icu_pieces(t, a, b);
    if (rc != JB_OK)
      return rc;
  }
  /* number + unit */
  size_t o = 0;
  for (size_t k = 0; k < t->npcs; k++) {
    struct piece pc = t->pcs[k];
    if (o > 0) {
      struct piece *pr = &t->pcs[o - 1];
      if (pr->end == pc.start && pr->split < 0 && pc.end - pc.start == 1 &&
          is_ascii_number(s, pr->start, pr->end) &&
          (s[pc.start] == u'年' || s[pc.start] == u'月' || s[pc.start] == u'日' ||
           s[pc.start] == u'%')) {
        pr->split = pr->end;
        pr->end = pc.end;
        pr->script = JB_SCRIPT_NUMERIC;
        continue;
      }
    }
    t->pcs[o++] = pc;
  }
  t->npcs = o;
  return JB_OK;
}

