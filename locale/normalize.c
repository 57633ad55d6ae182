/* SPDX-License-Identifier: GPL-3.0-or-later */
/* normalize.c: validation, NFKC and Traditional to Simplified conversion
 * (then Taiwan words to the mainland's: regional.c) of the tokenizer's
 * input (tokenizer_int.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "locale/tokenizer_int.h"

/* ---------------------------------------------------------------------- */
/* normalisation                                                          */
/* ---------------------------------------------------------------------- */

/* Converts text[a..b) (UTF-16) to UTF-8 in t->u8 (NUL-terminated); returns
 * the byte length or a negative error. */
int64_t jb__tk_to_u8(jb_tokenizer *t, const UChar *s, int32_t n) {
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
    int64_t blen = jb__tk_to_u8(t, s + a, b - a);
    if (blen < 0)
      return (int)blen;
    char *res = opencc_convert_utf8(t->cc, t->u8, (size_t)blen);
    if (!res)
      return jb__tk_seterr(t, JB_EOPENCC, "OpenCC conversion failed");
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
int jb__tk_prepare(jb_tokenizer *t, const char *text, size_t len) {
  t->err[0] = '\0';
  t->erroff = 0;
  if (!text && len)
    return jb__tk_seterr(t, JB_EINVAL, "NULL text");
  if (len > t->o.max_input)
    return jb__tk_seterr(t, JB_ETOOBIG, "text of %zu bytes is longer than the limit of %zu bytes", len,
                  t->o.max_input);
  if (len > (size_t)INT32_MAX / 4)
    return jb__tk_seterr(t, JB_ETOOBIG, "text of %zu bytes is too long", len);
  size_t bad = 0;
  jb_utf8_status st = jb_utf8_validate(text, len, &bad);
  if (st != JB_UTF8_OK) {
    t->erroff = bad;
    return jb__tk_seterr(t, JB_EUTF8, "invalid UTF-8 at byte %zu: %s", bad, jb_utf8_status_str(st));
  }
  t->text = NULL;
  t->tlen = 0;
  if (len == 0)
    return JB_OK;
  if (grow16(&t->in16, &t->in16cap, (int64_t)len + 1) != JB_OK)
    return jb__tk_seterr(t, JB_ENOMEM, "out of memory");
  UErrorCode ec = U_ZERO_ERROR;
  int32_t n = 0;
  u_strFromUTF8(t->in16, t->in16cap, &n, text, (int32_t)len, &ec);
  if (U_FAILURE(ec))
    return jb__tk_seterr(t, JB_EICU, "ICU: %s", u_errorName(ec));
  /* NUL separates words like a space and never reaches a term */
  if (memchr(text, '\0', len))
    for (int32_t i = 0; i < n; i++)
      if (t->in16[i] == 0)
        t->in16[i] = u' ';
  int32_t span = unorm2_spanQuickCheckYes(t->nfkc, t->in16, n, &ec);
  if (U_FAILURE(ec))
    return jb__tk_seterr(t, JB_EICU, "ICU: %s", u_errorName(ec));
  if (span == n) {
    t->text = t->in16;
    t->tlen = n;
  } else {
    int64_t want = (int64_t)n + 64;
    for (;;) {
      if (grow16(&t->norm, &t->normcap, want) != JB_OK)
        return jb__tk_seterr(t, JB_ENOMEM, "out of memory");
      memcpy(t->norm, t->in16, (size_t)span * sizeof(UChar));
      ec = U_ZERO_ERROR;
      int32_t got = unorm2_normalizeSecondAndAppend(t->nfkc, t->norm, span, t->normcap,
                                                    t->in16 + span, n - span, &ec);
      if (ec == U_BUFFER_OVERFLOW_ERROR) {
        want = (int64_t)got + 16;
        continue;
      }
      if (U_FAILURE(ec))
        return jb__tk_seterr(t, JB_EICU, "ICU: %s", u_errorName(ec));
      t->text = t->norm;
      t->tlen = got;
      break;
    }
  }
  if (t->o.t2s) {
    int rc = convert_t2s(t);
    if (rc == JB_OK && t->regional)
      rc = jb__regional_apply(t);
    if (rc != JB_OK)
      return t->err[0] ? rc : jb__tk_seterr(t, rc, "%s", jb_strerror(rc));
  }
  if (t->o.variants && t->tlen > 0) {
    /* t->text is one of our own buffers */
    UChar *w = t->text == t->in16 ? t->in16 : t->text == t->norm ? t->norm
             : t->text == t->reg ? t->reg : t->conv;
    jb_fold_variants((uint16_t *)w, (size_t)t->tlen);
  }
  return JB_OK;
}

int jb_normalize(jb_tokenizer *t, const char *text, size_t len, const char **out,
                 size_t *outlen) {
  if (!t || !out)
    return JB_EINVAL;
  int rc = jb__tk_prepare(t, text, len);
  if (rc != JB_OK)
    return rc;
  int64_t n = jb__tk_to_u8(t, t->text ? t->text : u"", t->tlen);
  if (n < 0)
    return jb__tk_seterr(t, (int)n, "%s", jb_strerror((int)n));
  *out = t->u8;
  if (outlen)
    *outlen = (size_t)n;
  return JB_OK;
}

