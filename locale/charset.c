/* SPDX-License-Identifier: GPL-3.0-or-later */
/* charset.c: an imported file's encoding, detected (ICU's ucsdet) or
 * given, converted strictly to UTF-8 (ICU converters; jb_charset.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include "locale/jb_charset.h"
#include "locale/jb_locale.h"

/* the accepted encodings: what a user may write (compared without case,
 * '-' and '_') and what ICU calls them */
static const struct {
  const char *key, *name;
} ACCEPTED[] = {
    {"utf8", "UTF-8"},         {"utf8sig", "UTF-8"},       {"gb18030", "GB18030"},
    {"gbk", "GBK"},            {"cp936", "GBK"},           {"gb2312", "GB2312"},
    {"euccn", "GB2312"},       {"utf16", "UTF-16"},        {"utf16le", "UTF-16LE"},
    {"utf16be", "UTF-16BE"},
};

const char *jb_charset_name(const char *user) {
  char k[16];
  size_t n = 0;
  if (!user)
    return NULL;
  for (const char *p = user; *p; p++) {
    if (*p == '-' || *p == '_')
      continue;
    if (n + 1 >= sizeof k)
      return NULL;
    k[n++] = (char)tolower((unsigned char)*p);
  }
  k[n] = '\0';
  for (size_t i = 0; i < sizeof ACCEPTED / sizeof ACCEPTED[0]; i++)
    if (!strcmp(k, ACCEPTED[i].key))
      return ACCEPTED[i].name;
  return NULL;
}

/* err's message (printf; its offset and line are set by the caller) */
#define SET_ERR(err, ...)                                                                       \
  do {                                                                                          \
    if (err) {                                                                                  \
      snprintf((err)->message, sizeof (err)->message, __VA_ARGS__);                              \
      jb_utf8_clip((err)->message);                                                             \
    }                                                                                           \
  } while (0)

static void bad_at(jb_charset_error *err, const char *name, size_t off, size_t line) {
  if (!err)
    return;
  err->offset = off;
  err->line = line;
  SET_ERR(err, "not valid %s at byte %zu, line %zu: name the file's encoding or convert it",
          name, off, line);
}

static size_t lines_before(const char *s, size_t off) {
  size_t line = 1;
  for (size_t i = 0; i < off; i++)
    line += s[i] == '\n';
  return line;
}

static void set_used(char *used, size_t cap, const char *name) {
  if (used && cap)
    snprintf(used, cap, "%s", name);
}

/* UTF-8 in: the BOM skipped, validated, copied */
static int from_utf8(const char *in, size_t len, char **out, size_t *outlen,
                     jb_charset_error *err) {
  size_t skip = len >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3) ? 3 : 0, bad = 0;
  jb_utf8_status st = jb_utf8_validate(in + skip, len - skip, &bad);
  if (st != JB_UTF8_OK) {
    if (err) {
      err->offset = skip + bad;
      err->line = lines_before(in, skip + bad);
      SET_ERR(err,
              "not valid UTF-8 (%s) at byte %zu, line %zu: name the file's encoding "
              "(GB18030, GBK, ...) or convert it",
              jb_utf8_status_str(st), skip + bad, err->line);
    }
    return JB_EUTF8;
  }
  char *o = malloc(len - skip + 1);
  if (!o)
    return JB_ENOMEM;
  memcpy(o, in + skip, len - skip);
  o[len - skip] = '\0';
  *out = o;
  *outlen = len - skip;
  return JB_OK;
}

/* in through ICU's converter name to UTF-8; strict (the STOP callback) */
static int convert(const char *in, size_t len, const char *name, char **out, size_t *outlen,
                   jb_charset_error *err) {
  UErrorCode st = U_ZERO_ERROR;
  UConverter *cv = ucnv_open(name, &st);
  if (U_FAILURE(st)) {
    SET_ERR(err, "ICU has no converter for %s", name);
    return JB_EICU;
  }
  ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
  /* every encoding here makes at most one UTF-16 unit per input byte */
  size_t ucap = len + 2;
  UChar *u = malloc(ucap * sizeof *u);
  if (!u) {
    ucnv_close(cv);
    return JB_ENOMEM;
  }
  UChar *t = u;
  const char *src = in;
  ucnv_toUnicode(cv, &t, u + ucap, &src, in + len, NULL, 1, &st);
  if (U_FAILURE(st)) {
    int rc = JB_EICU;
    if (st == U_ILLEGAL_CHAR_FOUND || st == U_INVALID_CHAR_FOUND ||
        st == U_TRUNCATED_CHAR_FOUND) {
      char bad[32];
      int8_t nb = (int8_t)sizeof bad;
      UErrorCode s2 = U_ZERO_ERROR;
      ucnv_getInvalidChars(cv, bad, &nb, &s2);
      size_t off = (size_t)(src - in);
      if (U_SUCCESS(s2) && nb > 0 && (size_t)nb <= off)
        off -= (size_t)nb;
      size_t line = 1;
      for (const UChar *p = u; p < t; p++)
        line += *p == 0x0A;
      bad_at(err, name, off, line);
      rc = JB_EUTF8;
    } else {
      SET_ERR(err, "ICU failed to convert from %s: %s", name, u_errorName(st));
    }
    free(u);
    ucnv_close(cv);
    return rc;
  }
  ucnv_close(cv);
  const UChar *from = u;
  int32_t n = (int32_t)(t - u);
  if (n && from[0] == 0xFEFF) { /* a byte order mark the converter kept */
    from++;
    n--;
  }
  int32_t need = 0;
  st = U_ZERO_ERROR;
  size_t ocap = (size_t)n * 3 + 1;
  char *o = malloc(ocap);
  if (!o) {
    free(u);
    return JB_ENOMEM;
  }
  u_strToUTF8(o, (int32_t)ocap, &need, from, n, &st);
  free(u);
  if (U_FAILURE(st)) { /* an unpaired surrogate the converter let through */
    free(o);
    SET_ERR(err, "%s text holds an unpaired surrogate", name);
    return JB_EUTF8;
  }
  o[need] = '\0';
  *out = o;
  *outlen = (size_t)need;
  return JB_OK;
}

/* another East Asian encoding the detector may find: text in it would read
 * as nonsense GB18030, so it is refused rather than guessed */
static int rival(const char *name) {
  static const char *const R[] = {"Big5", "Shift_JIS", "EUC-JP", "EUC-KR", "ISO-2022-JP",
                                  "ISO-2022-KR", "ISO-2022-CN", NULL};
  for (size_t i = 0; R[i]; i++)
    if (!strcmp(name, R[i]))
      return 1;
  return 0;
}

/* the detector's verdict: "GB18030" when an accepted encoding is its best
 * match (or no rival is), NULL with *why (name, confidence) for a rival */
static const char *detect(const char *in, size_t len, char *why, size_t cap) {
  UErrorCode st = U_ZERO_ERROR;
  UCharsetDetector *d = ucsdet_open(&st);
  if (U_FAILURE(st))
    return "GB18030";
  /* a sample is enough for the statistics; the conversion checks it all */
  int32_t n = len > (1u << 20) ? (int32_t)(1u << 20) : (int32_t)len;
  ucsdet_setText(d, in, n, &st);
  int32_t found = 0;
  const UCharsetMatch **m = U_SUCCESS(st) ? ucsdet_detectAll(d, &found, &st) : NULL;
  const char *pick = "GB18030"; /* the last accepted candidate: its strict conversion decides */
  for (int32_t i = 0; m && U_SUCCESS(st) && i < found; i++) {
    UErrorCode s2 = U_ZERO_ERROR;
    const char *name = ucsdet_getName(m[i], &s2);
    if (U_FAILURE(s2) || !name)
      continue;
    /* UTF-16 only with its mark (handled before); GB2312 text is GB18030 text */
    if (!strcmp(name, "GB18030") || !strcmp(name, "GB2312") || !strcmp(name, "GBK"))
      break;
    if (rival(name)) {
      snprintf(why, cap, "%s (ICU's detector, confidence %d)", name,
               (int)ucsdet_getConfidence(m[i], &s2));
      pick = NULL;
      break;
    }
  }
  ucsdet_close(d);
  return pick;
}

int jb_charset_to_utf8(const char *in, size_t len, const char *encoding, char **out,
                       size_t *outlen, char *used, size_t usedcap, jb_charset_error *err) {
  *out = NULL;
  if (outlen)
    *outlen = 0;
  size_t dummy;
  if (!outlen)
    outlen = &dummy;
  if (err) {
    err->offset = err->line = 0;
    err->message[0] = '\0';
  }
  if (len > JB_CHARSET_MAX) {
    SET_ERR(err, "the input is larger than %zu MiB", JB_CHARSET_MAX >> 20);
    return JB_ETOOBIG;
  }
  if (!in)
    in = "";
  const unsigned char *b = (const unsigned char *)in;
  const char *name = NULL;
  if (encoding) {
    if (!(name = jb_charset_name(encoding))) {
      SET_ERR(err, "unknown encoding '%.40s': use UTF-8, GB18030, GBK, GB2312 or UTF-16",
              encoding);
      return JB_EINVAL;
    }
  } else if (len >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) {
    name = "UTF-8";
  } else if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
    name = "UTF-16LE";
  } else if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
    name = "UTF-16BE";
  } else if (jb_utf8_validate(in, len, NULL) == JB_UTF8_OK) {
    name = "UTF-8";
  } else {
    char why[96];
    if (!(name = detect(in, len, why, sizeof why))) {
      SET_ERR(err,
              "the text looks like %s, which is not accepted: convert it to UTF-8 or GB18030, "
              "or name its encoding (--encoding) if it is one of them",
              why);
      return JB_EINVAL;
    }
  }
  set_used(used, usedcap, name);
  if (!strcmp(name, "UTF-8"))
    return from_utf8(in, len, out, outlen, err);
  size_t skip = 0;
  if (!strcmp(name, "UTF-16LE") && len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
    skip = 2;
  if (!strcmp(name, "UTF-16BE") && len >= 2 && b[0] == 0xFE && b[1] == 0xFF)
    skip = 2;
  int rc = convert(in + skip, len - skip, name, out, outlen, err);
  if (rc == JB_EUTF8 && err && skip && err->line)
    bad_at(err, name, err->offset + skip, err->line);
  return rc;
}
