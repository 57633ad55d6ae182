/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tokenizer.c: the tokenizer's construction and the terms it makes from the
 * pieces (normalize.c validates and normalises, segment.c cuts). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uclean.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "locale/tokenizer_int.h"

#define DEFAULT_MAX_INPUT ((size_t)16 << 20)

/* Surnames joined with a two-character given name (common single-character
 * surnames that are rarely function words). */
static const char SURNAMES[] =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范贾夏韦付邹孟熊秦邱尹薛闫段雷侯"
    "陶黎贺顾毛郝龚邵钱覃戴莫孔汤康施樊葛邢乔庞颜倪庄聂章鲁岳翟殷詹欧耿焦俞"
    "柳祝阮柯纪梅童凌毕裴霍涂苗翁冉骆蓝辛靳柴鲍喻祁蒲滕饶牟艾尤穆卓缪褚娄窦戚"
    "岑晏瞿桂佟臧闵苟邬卞姬仇栾隋刁巫寇甄虞敖巩佘邝";
/* Characters that are almost never part of a person's given name. */
static const char FUNCTION_CHARS[] =
    "的了在是和与或等也都就而及对从被把向为以之其这那有不没很更最又再已将会能可要"
    "说到上下中个们着过给让使由于但并且如果因所该此各每某些她他它我你您年月日时分"
    "说道称表示指出认为";


int jb__tk_seterr(jb_tokenizer *t, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(t->err, sizeof t->err, fmt, ap);
  va_end(ap);
  return rc;
}

static int cp_set(const char *utf8, uint32_t **out, size_t *n) {
  size_t len = strlen(utf8), k = 0;
  uint32_t *v = malloc((len + 1) * sizeof *v);
  if (!v)
    return JB_ENOMEM;
  for (size_t i = 0; i < len;) {
    UChar32 c;
    U8_NEXT_UNSAFE((const uint8_t *)utf8, i, c);
    v[k++] = (uint32_t)c;
  }
  qsort(v, k, sizeof *v, cmp_u32);
  *out = v;
  *n = k;
  return JB_OK;
}

/* ---------------------------------------------------------------------- */
/* construction                                                           */
/* ---------------------------------------------------------------------- */

void jb_tokenizer_opts_init(jb_tokenizer_opts *o) {
  if (!o)
    return;
  o->max_input = DEFAULT_MAX_INPUT;
  o->word_bonus = 2.0;
  o->t2s = 1;
  o->regional = 1;
  o->variants = 1;
  o->merge_names = 1;
  o->oov_bound = 0.25;
}

/* Marks every code point in TRAD_LO..TRAD_HI that OpenCC's t2s changes when
 * it stands alone, with one conversion of all of them, one per line. */
static int build_trad_map(jb_tokenizer *t) {
  size_t n = TRAD_HI - TRAD_LO + 1;
  char *buf = malloc(n * 4 + 1);
  t->trad = calloc((n + 7) / 8, 1);
  if (!buf || !t->trad) {
    free(buf);
    return JB_ENOMEM;
  }
  size_t k = 0;
  for (uint32_t c = TRAD_LO; c <= TRAD_HI; c++) {
    U8_APPEND_UNSAFE((uint8_t *)buf, k, c);
    buf[k++] = '\n';
  }
  char *out = opencc_convert_utf8(t->cc, buf, k);
  free(buf);
  if (!out)
    return JB_EOPENCC;
  const char *p = out;
  for (uint32_t c = TRAD_LO; c <= TRAD_HI && *p; c++) {
    const char *e = strchr(p, '\n');
    if (!e)
      break;
    size_t i = 0;
    UChar32 d = -1;
    if (e > p)
      U8_NEXT_UNSAFE((const uint8_t *)p, i, d);
    if (d != (UChar32)c || (size_t)(e - p) != i) {
      uint32_t o = c - TRAD_LO;
      t->trad[o >> 3] |= (uint8_t)(1u << (o & 7));
    }
    p = e + 1;
  }
  opencc_convert_utf8_free(out);
  return JB_OK;
}

int jb_tokenizer_new(const jb_lexicon *lx, const jb_tokenizer_opts *opts, jb_tokenizer **out) {
  if (!out)
    return JB_EINVAL;
  *out = NULL;
  jb_tokenizer *t = calloc(1, sizeof *t);
  if (!t)
    return JB_ENOMEM;
  t->cc = (opencc_t)-1;
  if (opts)
    t->o = *opts;
  else
    jb_tokenizer_opts_init(&t->o);
  if (!t->o.max_input)
    t->o.max_input = DEFAULT_MAX_INPUT;
  if (!(t->o.word_bonus >= 0 && t->o.word_bonus < 100) ||
      !(t->o.oov_bound >= 0 && t->o.oov_bound <= 1)) {
    free(t);
    return JB_EINVAL;
  }
  t->lx = lx;
  t->logtotal = (lx && lx->total > 0) ? log(lx->total) : 0;
  int rc = JB_OK;
  UErrorCode ec = U_ZERO_ERROR;
  t->nfkc = unorm2_getNFKCCasefoldInstance(&ec);
  if (U_SUCCESS(ec))
    t->bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &ec);
  if (U_FAILURE(ec)) {
    rc = JB_EICU;
    goto fail;
  }
  t->stem = sb_stemmer_new("english", NULL);
  if (!t->stem) {
    rc = JB_ENOMEM;
    goto fail;
  }
  if (t->o.t2s) {
    t->cc = opencc_open("t2s.json");
    if (t->cc == (opencc_t)-1) {
      rc = JB_EOPENCC;
      goto fail;
    }
    if ((rc = build_trad_map(t)) != JB_OK)
      goto fail;
    if (t->o.regional && (rc = jb__regional_new(t->cc, &t->regional)) != JB_OK)
      goto fail;
  }
  if ((rc = cp_set(SURNAMES, &t->surnames, &t->nsurnames)) != JB_OK ||
      (rc = cp_set(FUNCTION_CHARS, &t->funcs, &t->nfuncs)) != JB_OK)
    goto fail;
  *out = t;
  return JB_OK;
fail:
  jb_tokenizer_free(t);
  return rc;
}

void jb_tokenizer_free(jb_tokenizer *t) {
  if (!t)
    return;
  if (t->bi)
    ubrk_close(t->bi);
  if (t->pinyin)
    utrans_close(t->pinyin);
  if (t->cc != (opencc_t)-1 && t->cc)
    opencc_close(t->cc);
  jb__regional_free(t->regional);
  if (t->stem)
    sb_stemmer_delete(t->stem);
  free(t->trad);
  free(t->surnames);
  free(t->funcs);
  free(t->in16);
  free(t->norm);
  free(t->conv);
  free(t->reg);
  free(t->regok);
  free(t->work);
  free(t->u8);
  free(t->cps);
  free(t->offs);
  free(t->nxt);
  free(t->wb);
  free(t->best);
  free(t->blocked);
  free(t->pcs);
  free(t->terms);
  free(t->toff);
  free(t->arena);
  free(t);
}

const char *jb_tokenizer_error(const jb_tokenizer *t) { return t ? t->err : ""; }

void jb_locale_cleanup(void) { u_cleanup(); }
size_t jb_tokenizer_error_offset(const jb_tokenizer *t) { return t ? t->erroff : 0; }

/* ---------------------------------------------------------------------- */
/* terms                                                                  */
/* ---------------------------------------------------------------------- */

static int push_term(jb_tokenizer *t, const char *s, size_t len, uint32_t pos, uint8_t kind,
                     uint8_t script) {
  if (t->nterms == t->termcap) { /* terms and toff share one capacity */
    size_t cap = t->termcap ? t->termcap * 2 : 256;
    void *p = realloc(t->terms, cap * sizeof *t->terms);
    if (!p)
      return JB_ENOMEM;
    t->terms = p;
    if (!(p = realloc(t->toff, cap * sizeof *t->toff)))
      return JB_ENOMEM;
    t->toff = p;
    t->termcap = cap;
  }
  if (grow((void **)&t->arena, &t->arenacap, t->arenalen + len + 1, 1) != JB_OK)
    return JB_ENOMEM;
  memcpy(t->arena + t->arenalen, s, len);
  t->arena[t->arenalen + len] = '\0';
  jb_term *tm = &t->terms[t->nterms];
  t->toff[t->nterms] = t->arenalen;
  tm->len = (uint32_t)len;
  tm->pos = pos;
  tm->kind = kind;
  tm->script = script;
  t->nterms++;
  t->arenalen += len + 1;
  return JB_OK;
}

static int push16(jb_tokenizer *t, int32_t a, int32_t b, uint32_t pos, uint8_t kind,
                  uint8_t script) {
  int64_t n = jb__tk_to_u8(t, t->text + a, b - a);
  if (n < 0)
    return (int)n;
  return push_term(t, t->u8, (size_t)n, pos, kind, script);
}

static int pinyin_terms(jb_tokenizer *t, int32_t a, int32_t b, uint32_t *pypos) {
  UErrorCode ec = U_ZERO_ERROR;
  if (!t->pinyin) {
    UParseError pe;
    t->pinyin = utrans_openU(u"Han-Latin; Latin-ASCII; Lower", -1, UTRANS_FORWARD, NULL, 0,
                             &pe, &ec);
    if (U_FAILURE(ec)) {
      t->pinyin = NULL;
      return JB_EICU;
    }
  }
  /* each character is followed by a space: Han-Latin reads character by
   * character, but joins some runs ("〇〇" gave "lingling", one term for
   * two syllables); a syllable is at most 7 code units with its space */
  int32_t len = 0;
  int64_t cap = (int64_t)(b - a) * 16 + 16;
  if (grow16(&t->work, &t->workcap, cap) != JB_OK)
    return JB_ENOMEM;
  for (int32_t i = a; i < b;) {
    UChar32 c;
    U16_NEXT(t->text, i, b, c);
    U16_APPEND_UNSAFE(t->work, len, c);
    t->work[len++] = ' ';
  }
  int32_t limit = len;
  utrans_transUChars(t->pinyin, t->work, &len, t->workcap, 0, &limit, &ec);
  if (U_FAILURE(ec))
    return JB_EICU;
  /* a syllable is a run of a-z: a character ICU has no reading for stays
   * Han in the output and must not become a "pinyin" term */
  for (int32_t i = 0; i < len;) {
    while (i < len && !(t->work[i] >= 'a' && t->work[i] <= 'z'))
      i++;
    int32_t j = i;
    while (j < len && t->work[j] >= 'a' && t->work[j] <= 'z')
      j++;
    if (j > i) {
      int64_t n = jb__tk_to_u8(t, t->work + i, j - i);
      if (n < 0)
        return (int)n;
      int rc = push_term(t, t->u8, (size_t)n, (*pypos)++, JB_TERM_PINYIN, JB_SCRIPT_LATIN);
      if (rc != JB_OK)
        return rc;
    }
    i = j;
  }
  return JB_OK;
}

static int bigram_terms(jb_tokenizer *t, int32_t a, int32_t b, uint32_t *hanpos) {
  int32_t i = a;
  while (i < b) {
    int32_t j = i;
    UChar32 c;
    U16_NEXT(t->text, j, b, c);
    if (j >= b)
      break;
    int32_t k = j;
    U16_NEXT(t->text, k, b, c);
    int rc = push16(t, i, k, (*hanpos)++, JB_TERM_BIGRAM, JB_SCRIPT_HAN);
    if (rc != JB_OK)
      return rc;
    i = j;
  }
  (*hanpos)++; /* no bigram spans two runs */
  return JB_OK;
}

static int make_terms(jb_tokenizer *t, unsigned what) {
  uint32_t wpos = 0, hanpos = 0, pypos = 0;
  int rc = JB_OK;
  int32_t hanrun_start = -1, hanrun_end = -1;
  for (size_t k = 0; k < t->npcs && rc == JB_OK; k++) {
    struct piece pc = t->pcs[k];
    if (pc.script == JB_SCRIPT_PUNCT) {
      if (what & JB_TOK_PUNCT)
        rc = push16(t, pc.start, pc.end, wpos, JB_TERM_WORD, JB_SCRIPT_PUNCT);
      continue;
    }
    uint32_t pos = wpos++;
    if (what & JB_TOK_WORDS)
      rc = push16(t, pc.start, pc.end, pos, JB_TERM_WORD, pc.script);
    if (rc == JB_OK && (what & JB_TOK_PARTS) && pc.split > 0)
      rc = push16(t, pc.start, pc.split, pos, JB_TERM_WORD, JB_SCRIPT_NUMERIC);
    if (rc == JB_OK && (what & JB_TOK_STEMS) && pc.script == JB_SCRIPT_LATIN) {
      int64_t n = jb__tk_to_u8(t, t->text + pc.start, pc.end - pc.start);
      if (n < 0)
        return (int)n;
      const sb_symbol *st = sb_stemmer_stem(t->stem, (const sb_symbol *)t->u8, (int)n);
      if (!st)
        return JB_ENOMEM;
      rc = push_term(t, (const char *)st, (size_t)sb_stemmer_length(t->stem), pos, JB_TERM_STEM,
                     JB_SCRIPT_LATIN);
    }
    if (rc == JB_OK && (what & JB_TOK_PINYIN) && pc.script == JB_SCRIPT_HAN)
      rc = pinyin_terms(t, pc.start, pc.end, &pypos);
    /* bigrams once per maximal Han run, after its last word */
    if (rc == JB_OK && (what & JB_TOK_BIGRAMS) && pc.script == JB_SCRIPT_HAN) {
      if (hanrun_start < 0 || pc.start != hanrun_end)
        hanrun_start = pc.start;
      hanrun_end = pc.end;
      int last = k + 1 == t->npcs || t->pcs[k + 1].script != JB_SCRIPT_HAN ||
                 t->pcs[k + 1].start != pc.end;
      if (last) {
        rc = bigram_terms(t, hanrun_start, hanrun_end, &hanpos);
        hanrun_start = -1;
      }
    }
  }
  return rc;
}

int jb_tokenize(jb_tokenizer *t, const char *text, size_t len, unsigned what,
                const jb_term **terms, size_t *nterms) {
  if (!t || !terms || !nterms)
    return JB_EINVAL;
  *terms = NULL;
  *nterms = 0;
  t->nterms = 0;
  t->arenalen = 0;
  int rc = jb__tk_prepare(t, text, len);
  if (rc == JB_OK)
    rc = jb__tk_segment(t);
  if (rc == JB_OK)
    rc = make_terms(t, what);
  if (rc != JB_OK) {
    t->nterms = 0;
    return t->err[0] ? rc : jb__tk_seterr(t, rc, "%s", jb_strerror(rc));
  }
  for (size_t i = 0; i < t->nterms; i++)
    t->terms[i].text = t->arena + t->toff[i];
  *terms = t->terms;
  *nterms = t->nterms;
  return JB_OK;
}
