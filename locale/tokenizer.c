/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tokenizer.c: validation, normalisation, segmentation and term generation.
 *
 * Offsets inside this file are UTF-16 code-unit offsets into the normalised
 * text (ICU's native form) unless a name says otherwise.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <opencc/opencc.h>
#include <unicode/ubrk.h>
#include <unicode/uclean.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "locale/lexicon_int.h"

#define DEFAULT_MAX_INPUT ((size_t)16 << 20)
#define TRAD_LO 0x3400u /* bitmap of characters OpenCC's t2s changes */
#define TRAD_HI 0x9FFFu

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

struct jb_tokenizer {
  const jb_lexicon *lx;
  jb_tokenizer_opts o;
  double logtotal;
  const UNormalizer2 *nfkc;
  UBreakIterator *bi;
  opencc_t cc;
  uint8_t *trad; /* bit per code point TRAD_LO..TRAD_HI */
  struct sb_stemmer *stem;
  UTransliterator *pinyin; /* created on first use */
  uint32_t *surnames, *funcs;
  size_t nsurnames, nfuncs;

  /* scratch, reused across calls */
  UChar *in16, *norm, *conv, *work;
  int32_t in16cap, normcap, convcap, workcap;
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

/* ---------------------------------------------------------------------- */
/* small helpers                                                          */
/* ---------------------------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
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

static int grow16(UChar **p, int32_t *cap, int64_t need) {
  if (need > INT32_MAX / 2)
    return JB_ETOOBIG;
  size_t c = (size_t)*cap;
  int rc = grow((void **)p, &c, (size_t)need, sizeof(UChar));
  *cap = (int32_t)c;
  return rc;
}

static int seterr(jb_tokenizer *t, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(t->err, sizeof t->err, fmt, ap);
  va_end(ap);
  return rc;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
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

static int in_set(const uint32_t *v, size_t n, uint32_t c) {
  return bsearch(&c, v, n, sizeof *v, cmp_u32) != NULL;
}

static int is_trad(const jb_tokenizer *t, uint32_t c) {
  if (!t->trad || c < TRAD_LO || c > TRAD_HI)
    return 0;
  c -= TRAD_LO;
  return (t->trad[c >> 3] >> (c & 7)) & 1;
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
  if (t->stem)
    sb_stemmer_delete(t->stem);
  free(t->trad);
  free(t->surnames);
  free(t->funcs);
  free(t->in16);
  free(t->norm);
  free(t->conv);
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
/* normalisation                                                          */
/* ---------------------------------------------------------------------- */

/* Converts text[a..b) (UTF-16) to UTF-8 in t->u8 (NUL-terminated); returns
 * the byte length or a negative error. */
static int64_t to_u8(jb_tokenizer *t, const UChar *s, int32_t n) {
  size_t need = (size_t)n * 3 + 1;
  if (grow((void **)&t->u8, &t->u8cap, need, 1) != JB_OK)
    return JB_ENOMEM;
  UErrorCode ec = U_ZERO_ERROR;
  int32_t got = 0;
  u_strToUTF8(t->u8, (int32_t)t->u8cap, &got, s, n, &ec);
  if (U_FAILURE(ec))
    return JB_EICU;
  t->u8[got] = '\0';
  return got;
}

/* Traditional → Simplified for every Han run that holds a character OpenCC
 * changes; runs of characters shared by both scripts are left alone. */
static int convert_t2s(jb_tokenizer *t) {
  const UChar *s = t->text;
  int32_t n = t->tlen, i = 0, copied = 0, olen = 0;
  int any = 0;
  while (i < n) {
    UChar32 c;
    int32_t a = i;
    U16_NEXT(s, i, n, c);
    if (!jb_is_han((uint32_t)c))
      continue;
    int trad = is_trad(t, (uint32_t)c);
    int32_t b = i;
    while (b < n) {
      int32_t k = b;
      U16_NEXT(s, k, n, c);
      if (!jb_is_han((uint32_t)c))
        break;
      trad |= is_trad(t, (uint32_t)c);
      b = k;
    }
    i = b;
    if (!trad)
      continue;
    /* copy the untouched text before the run, then the converted run */
    if (!any) {
      any = 1;
      if (grow16(&t->conv, &t->convcap, (int64_t)n + 16) != JB_OK)
        return JB_ENOMEM;
    }
    if (grow16(&t->conv, &t->convcap, (int64_t)olen + (a - copied)) != JB_OK)
      return JB_ENOMEM;
    memcpy(t->conv + olen, s + copied, (size_t)(a - copied) * sizeof(UChar));
    olen += a - copied;
    int64_t blen = to_u8(t, s + a, b - a);
    if (blen < 0)
      return (int)blen;
    char *res = opencc_convert_utf8(t->cc, t->u8, (size_t)blen);
    if (!res)
      return seterr(t, JB_EOPENCC, "OpenCC conversion failed");
    size_t rlen = strlen(res);
    if (grow16(&t->conv, &t->convcap, (int64_t)olen + (int64_t)rlen + 1) != JB_OK) {
      opencc_convert_utf8_free(res);
      return JB_ENOMEM;
    }
    UErrorCode ec = U_ZERO_ERROR;
    int32_t got = 0;
    u_strFromUTF8(t->conv + olen, t->convcap - olen, &got, res, (int32_t)rlen, &ec);
    opencc_convert_utf8_free(res);
    if (U_FAILURE(ec))
      return JB_EICU;
    olen += got;
    copied = b;
  }
  if (!any)
    return JB_OK;
  if (grow16(&t->conv, &t->convcap, (int64_t)olen + (n - copied) + 1) != JB_OK)
    return JB_ENOMEM;
  memcpy(t->conv + olen, s + copied, (size_t)(n - copied) * sizeof(UChar));
  olen += n - copied;
  t->text = t->conv;
  t->tlen = olen;
  return JB_OK;
}

size_t jb_fold_variants(uint16_t *s, size_t n) {
  /* a character folded only inside these words: the word, the index of the
   * character in it, and what it becomes */
  static const struct {
    uint16_t w[2];
    uint8_t at;
    uint16_t to;
  } ctx[] = {
      {{u'图', u'象'}, 1, u'像'}, {{u'影', u'象'}, 1, u'像'}, {{u'录', u'象'}, 1, u'像'},
      {{u'象', u'素'}, 0, u'像'}, {{u'象', u'元'}, 0, u'像'}, {{u'叠', u'代'}, 0, u'迭'},
      {{u'成', u'份'}, 1, u'分'},
  };
  size_t changed = 0;
  for (size_t i = 0; i < n; i++) {
    uint16_t c = s[i], to = 0;
    switch (c) {
    case u'黏': to = u'粘'; break;
    case u'橘': to = u'桔'; break;
    case u'甙': to = u'苷'; break;
    case u'矽': to = u'硅'; break;
    case u'硷': to = u'碱'; break;
    case u'噁': to = u'恶'; break;
    case u'象':
    case u'叠':
    case u'份':
      for (size_t k = 0; k < sizeof ctx / sizeof *ctx && !to; k++) {
        if (ctx[k].w[ctx[k].at] != c || i < ctx[k].at || i - ctx[k].at + 2 > n)
          continue;
        size_t start = i - ctx[k].at;
        if (s[start] == ctx[k].w[0] && s[start + 1] == ctx[k].w[1])
          to = ctx[k].to;
      }
      break;
    default:
      break;
    }
    if (to) {
      s[i] = to;
      changed++;
    }
  }
  return changed;
}

/* Validates and normalises `text` into t->text/t->tlen. */
static int prepare(jb_tokenizer *t, const char *text, size_t len) {
  t->err[0] = '\0';
  t->erroff = 0;
  if (!text && len)
    return seterr(t, JB_EINVAL, "NULL text");
  if (len > t->o.max_input)
    return seterr(t, JB_ETOOBIG, "text of %zu bytes is longer than the limit of %zu bytes", len,
                  t->o.max_input);
  if (len > (size_t)INT32_MAX / 4)
    return seterr(t, JB_ETOOBIG, "text of %zu bytes is too long", len);
  size_t bad = 0;
  jb_utf8_status st = jb_utf8_validate(text, len, &bad);
  if (st != JB_UTF8_OK) {
    t->erroff = bad;
    return seterr(t, JB_EUTF8, "invalid UTF-8 at byte %zu: %s", bad, jb_utf8_status_str(st));
  }
  t->text = NULL;
  t->tlen = 0;
  if (len == 0)
    return JB_OK;
  if (grow16(&t->in16, &t->in16cap, (int64_t)len + 1) != JB_OK)
    return seterr(t, JB_ENOMEM, "out of memory");
  UErrorCode ec = U_ZERO_ERROR;
  int32_t n = 0;
  u_strFromUTF8(t->in16, t->in16cap, &n, text, (int32_t)len, &ec);
  if (U_FAILURE(ec))
    return seterr(t, JB_EICU, "ICU: %s", u_errorName(ec));
  /* NUL separates words like a space and never reaches a term */
  if (memchr(text, '\0', len))
    for (int32_t i = 0; i < n; i++)
      if (t->in16[i] == 0)
        t->in16[i] = u' ';
  int32_t span = unorm2_spanQuickCheckYes(t->nfkc, t->in16, n, &ec);
  if (U_FAILURE(ec))
    return seterr(t, JB_EICU, "ICU: %s", u_errorName(ec));
  if (span == n) {
    t->text = t->in16;
    t->tlen = n;
  } else {
    int64_t want = (int64_t)n + 64;
    for (;;) {
      if (grow16(&t->norm, &t->normcap, want) != JB_OK)
        return seterr(t, JB_ENOMEM, "out of memory");
      memcpy(t->norm, t->in16, (size_t)span * sizeof(UChar));
      ec = U_ZERO_ERROR;
      int32_t got = unorm2_normalizeSecondAndAppend(t->nfkc, t->norm, span, t->normcap,
                                                    t->in16 + span, n - span, &ec);
      if (ec == U_BUFFER_OVERFLOW_ERROR) {
        want = (int64_t)got + 16;
        continue;
      }
      if (U_FAILURE(ec))
        return seterr(t, JB_EICU, "ICU: %s", u_errorName(ec));
      t->text = t->norm;
      t->tlen = got;
      break;
    }
  }
  if (t->o.t2s) {
    int rc = convert_t2s(t);
    if (rc != JB_OK)
      return t->err[0] ? rc : seterr(t, rc, "%s", jb_strerror(rc));
  }
  if (t->o.variants && t->tlen > 0) {
    /* t->text is one of our own buffers */
    UChar *w = t->text == t->in16 ? t->in16 : t->text == t->norm ? t->norm : t->conv;
    jb_fold_variants((uint16_t *)w, (size_t)t->tlen);
  }
  return JB_OK;
}

int jb_normalize(jb_tokenizer *t, const char *text, size_t len, const char **out,
                 size_t *outlen) {
  if (!t || !out)
    return JB_EINVAL;
  int rc = prepare(t, text, len);
  if (rc != JB_OK)
    return rc;
  int64_t n = to_u8(t, t->text ? t->text : u"", t->tlen);
  if (n < 0)
    return seterr(t, (int)n, "%s", jb_strerror((int)n));
  *out = t->u8;
  if (outlen)
    *outlen = (size_t)n;
  return JB_OK;
}

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

static int is_ascii_number(const UChar *s, int32_t a, int32_t b) {
  for (int32_t i = a; i < b; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || ((s[i] == '.' || s[i] == ',') && i > a && i + 1 < b)))
      return 0;
  return b > a;
}

/* Splits the normalised text into pieces: Han runs through the lexicon (or
 * ICU without one), the rest through ICU; then joins a number with a
 * following 年 月 日 or %. */
static int segment(jb_tokenizer *t) {
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
  int64_t n = to_u8(t, t->text + a, b - a);
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
      int64_t n = to_u8(t, t->work + i, j - i);
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
      int64_t n = to_u8(t, t->text + pc.start, pc.end - pc.start);
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
  int rc = prepare(t, text, len);
  if (rc == JB_OK)
    rc = segment(t);
  if (rc == JB_OK)
    rc = make_terms(t, what);
  if (rc != JB_OK) {
    t->nterms = 0;
    return t->err[0] ? rc : seterr(t, rc, "%s", jb_strerror(rc));
  }
  for (size_t i = 0; i < t->nterms; i++)
    t->terms[i].text = t->arena + t->toff[i];
  *terms = t->terms;
  *nterms = t->nterms;
  return JB_OK;
}
