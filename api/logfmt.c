/* SPDX-License-Identifier: GPL-3.0-or-later */
/* logfmt.c: JSON text the server writes from untrusted text (logfmt.h). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/logfmt.h"
#include "locale/jb_locale.h"

size_t jb_utf8_char_len(const char *s, size_t len) {
  if (!len)
    return 0;
  unsigned char c = (unsigned char)s[0];
  size_t need = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
  if (!need || need > len || jb_utf8_validate(s, need, NULL) != JB_UTF8_OK)
    return 0;
  return need;
}

char *jb_utf8_repaired(const char *s) {
  if (!s)
    s = "";
  size_t n = strlen(s), o = 0;
  if (n > (SIZE_MAX - 1) / 3)
    return NULL;
  char *out = malloc(n * 3 + 1); /* a bad byte grows to three */
  if (!out)
    return NULL;
  for (size_t i = 0; i < n;) {
    size_t u = jb_utf8_char_len(s + i, n - i);
    if (u) {
      memcpy(out + o, s + i, u);
      o += u;
      i += u;
    } else {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
    }
  }
  out[o] = '\0';
  return out;
}

char *jb__error_json(const char *code, const char *msg) {
  char *c = jb_utf8_repaired(code), *m = jb_utf8_repaired(msg);
  json_t *e = c && m ? json_pack("{s:{s:s,s:s}}", "error", "code", c, "message", m) : NULL;
  char *out = e ? json_dumps(e, JSON_COMPACT) : NULL;
  json_decref(e);
  free(c);
  free(m);
  return out;
}

/* ---- log fields ------------------------------------------------------------------ */

/* the escaped form of the character (or bad byte) at s[0..n): *adv bytes of
 * input, the written length returned; out holds at least 7 bytes */
static size_t esc_unit(const char *s, size_t n, size_t *adv, char *out) {
  unsigned char c = (unsigned char)s[0];
  size_t u = jb_utf8_char_len(s, n);
  *adv = u ? u : 1;
  if (!u) {
    memcpy(out, "\\ufffd", 6);
    return 6;
  }
  if (c == '"' || c == '\\') {
    out[0] = '\\';
    out[1] = (char)c;
    return 2;
  }
  if (c < 0x20) {
    const char *named = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : NULL;
    if (named) {
      memcpy(out, named, 2);
      return 2;
    }
    snprintf(out, 7, "\\u%04x", c);
    return 6;
  }
  memcpy(out, s, u);
  return u;
}

/* appends s, quoted and escaped, to buf[*len..) using at most `room` bytes
 * of escaped text (the quotes aside); a cut string ends in "…" */
static void put_str(char *buf, size_t *len, const char *s, size_t room) {
  size_t n = strlen(s), full = 0, adv;
  char tmp[8];
  for (size_t i = 0; i < n && full <= room; i += adv)
    full += esc_unit(s + i, n - i, &adv, tmp);
  int cut = full > room;
  size_t limit = cut ? room - 3 : room, o = *len;
  buf[o++] = '"';
  for (size_t i = 0, used = 0; i < n; i += adv) {
    size_t k = esc_unit(s + i, n - i, &adv, tmp);
    if (used + k > limit)
      break;
    memcpy(buf + o, tmp, k);
    o += k;
    used += k;
  }
  if (cut) {
    memcpy(buf + o, "\xE2\x80\xA6", 3);
    o += 3;
  }
  buf[o++] = '"';
  buf[o] = '\0';
  *len = o;
}

#define SHORT_ROOM 60

size_t jb_log_fields(char *buf, size_t cap, const char *event, const char *code, const char *msg,
                     const char *note) {
  if (cap < JB_LOG_FIELDS_MIN) {
    if (cap)
      buf[0] = '\0';
    return 0;
  }
  size_t len = 0;
  memcpy(buf, "\"event\":", 8);
  len = 8;
  put_str(buf, &len, event ? event : "", SHORT_ROOM);
  if (code) {
    memcpy(buf + len, ",\"code\":", 8);
    len += 8;
    put_str(buf, &len, code, SHORT_ROOM);
  }
  memcpy(buf + len, ",\"message\":", 11);
  len += 11;
  /* what the message may use: all but its quotes, the note and the NUL */
  size_t after = 2 + (note ? 8 + 2 + SHORT_ROOM : 0) + 1;
  put_str(buf, &len, msg ? msg : "", cap - len - after);
  if (note) {
    memcpy(buf + len, ",\"note\":", 8);
    len += 8;
    put_str(buf, &len, note, SHORT_ROOM);
  }
  return len;
}
