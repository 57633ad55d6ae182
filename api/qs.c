/* SPDX-License-Identifier: GPL-3.0-or-later */
/* qs.c: strict query strings (see qs.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/qs.h"
#include "common/jb_error.h"
#include "locale/jb_locale.h"

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* decodes s[0..len) into out (room for len + 1); returns the length or -1 */
static long decode(const char *s, size_t len, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '%') {
      int h, l;
      if (i + 2 >= len || (h = hexval(s[i + 1])) < 0 || (l = hexval(s[i + 2])) < 0)
        return -1;
      out[o++] = (char)(h * 16 + l);
      i += 2;
    } else {
      out[o++] = s[i] == '+' ? ' ' : s[i];
    }
  }
  out[o] = '\0';
  return (long)o;
}

static int fail(char *err, size_t errlen, const char *name, const char *reason) {
  if (err && errlen) {
    snprintf(err, errlen, "%s: %s", name, reason);
    jb_utf8_clip(err); /* the name is the client's, and the buffer may cut it */
  }
  return JB_ESYNTAX;
}

int jb_qs_parse(const char *s, size_t len, jb_qs *q, char *err, size_t errlen) {
  memset(q, 0, sizeof *q);
  if (!s || len == 0)
    return JB_OK;
  char *buf = malloc(len + 2 * JB_QS_MAX_PAIRS + 2); /* each pair adds at most 2 NULs */
  if (!buf)
    return JB_ENOMEM;
  size_t used = 0, i = 0;
  int rc = JB_OK;
  while (i <= len && rc == JB_OK) {
    size_t j = i;
    while (j < len && s[j] != '&')
      j++;
    if (j == i) { /* empty pair: "a=1&&b=2", a trailing '&' or a lone '&' */
      rc = fail(err, errlen, "query", "empty parameter");
      break;
    }
    const char *eq = memchr(s + i, '=', j - i);
    size_t klen = eq ? (size_t)(eq - (s + i)) : j - i;
    char key[33];
    if (klen == 0 || klen > 32) {
      rc = fail(err, errlen, "query", klen ? "parameter name too long" : "parameter without a name");
      break;
    }
    memcpy(key, s + i, klen);
    key[klen] = '\0';
    for (size_t k = 0; k < klen && rc == JB_OK; k++)
      if (!((key[k] >= 'a' && key[k] <= 'z') || (key[k] >= '0' && key[k] <= '9') || key[k] == '_'))
        rc = fail(err, errlen, "query", "parameter names are lower-case letters, digits and '_'");
    if (rc != JB_OK)
      break;
    if (jb_qs_get(q, key)) {
      rc = fail(err, errlen, key, "given twice");
      break;
    }
    if (q->n == JB_QS_MAX_PAIRS) {
      rc = fail(err, errlen, "query", "more than 32 parameters");
      break;
    }
    char *kout = buf + used;
    memcpy(kout, key, klen + 1);
    used += klen + 1;
    char *vout = buf + used;
    const char *v = eq ? eq + 1 : s + j;
    size_t vlen = (size_t)(s + j - v);
    long dl = decode(v, vlen, vout);
    if (dl < 0) {
      rc = fail(err, errlen, key, "bad percent-encoding");
      break;
    }
    size_t bad;
    if (jb_utf8_validate(vout, (size_t)dl, &bad) != JB_UTF8_OK) {
      rc = fail(err, errlen, key, "not valid UTF-8");
      break;
    }
    for (long k = 0; k < dl; k++)
      if ((unsigned char)vout[k] < 0x20 || vout[k] == 0x7f) {
        rc = fail(err, errlen, key, "control characters are not allowed");
        break;
      }
    if (rc != JB_OK)
      break;
    used += (size_t)dl + 1;
    q->v[q->n].key = kout;
    q->v[q->n].val = vout;
    q->n++;
    i = j + 1;
    if (j == len)
      break;
  }
  if (rc != JB_OK) {
    free(buf);
    memset(q, 0, sizeof *q);
    return rc;
  }
  q->buf = buf;
  return JB_OK;
}

const char *jb_qs_get(const jb_qs *q, const char *key) {
  for (size_t i = 0; q && i < q->n; i++)
    if (!strcmp(q->v[i].key, key))
      return q->v[i].val;
  return NULL;
}

void jb_qs_free(jb_qs *q) {
  if (!q)
    return;
  free(q->buf);
  memset(q, 0, sizeof *q);
}
