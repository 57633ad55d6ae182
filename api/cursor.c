/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cursor.c: opaque list cursors (see cursor.h). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/cursor.h"

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* FNV-1a 32 of kind and pos: catches an edited cursor (not a secret) */
static uint32_t check(char kind, const char *pos, size_t n) {
  uint32_t h = 2166136261u;
  h = (h ^ (unsigned char)kind) * 16777619u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)pos[i]) * 16777619u;
  return h;
}

int jb_cursor_encode(char kind, const char *pos, char *out, size_t cap) {
  if (cap)
    out[0] = '\0';
  size_t n = strlen(pos);
  if (n > JB_CURSOR_POS_MAX)
    return -1;
  /* "1" kind pos "." 8 hex digits */
  unsigned char plain[JB_CURSOR_POS_MAX + 16];
  plain[0] = '1';
  plain[1] = (unsigned char)kind;
  memcpy(plain + 2, pos, n);
  char hex[10];
  snprintf(hex, sizeof hex, ".%08x", (unsigned)check(kind, pos, n));
  memcpy(plain + 2 + n, hex, 9);
  size_t len = n + 11, need = (len * 4 + 2) / 3 + 1;
  if (need > cap)
    return -1;
  size_t o = 0;
  for (size_t i = 0; i < len; i += 3) {
    uint32_t v = (uint32_t)plain[i] << 16;
    if (i + 1 < len)
      v |= (uint32_t)plain[i + 1] << 8;
    if (i + 2 < len)
      v |= plain[i + 2];
    out[o++] = B64[(v >> 18) & 63];
    out[o++] = B64[(v >> 12) & 63];
    if (i + 1 < len)
      out[o++] = B64[(v >> 6) & 63];
    if (i + 2 < len)
      out[o++] = B64[v & 63];
  }
  out[o] = '\0';
  return 0;
}

static int val(char ch) {
  const char *p = ch ? strchr(B64, ch) : NULL;
  return p ? (int)(p - B64) : -1;
}

int jb_cursor_decode(const char *cur, char kind, char *out, size_t cap) {
  if (cap)
    out[0] = '\0';
  size_t n = strlen(cur);
  if (n % 4 == 1 || n > ((JB_CURSOR_POS_MAX + 11) * 4 + 2) / 3 || cap == 0)
    return -1;
  unsigned char plain[JB_CURSOR_POS_MAX + 16];
  size_t len = 0;
  for (size_t i = 0; i < n; i += 4) {
    int a = val(cur[i]), b = i + 1 < n ? val(cur[i + 1]) : -1;
    int c = i + 2 < n ? val(cur[i + 2]) : 0, d = i + 3 < n ? val(cur[i + 3]) : 0;
    if (a < 0 || b < 0 || c < 0 || d < 0)
      return -1;
    uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
    plain[len++] = (unsigned char)(v >> 16);
    if (i + 2 < n)
      plain[len++] = (unsigned char)(v >> 8);
    if (i + 3 < n)
      plain[len++] = (unsigned char)v;
  }
  if (len < 11 || plain[0] != '1' || plain[1] != (unsigned char)kind || plain[len - 9] != '.')
    return -1;
  size_t pn = len - 11;
  const char *pos = (const char *)plain + 2;
  if (memchr(pos, '\0', pn) || pn + 1 > cap)
    return -1;
  char hex[10];
  snprintf(hex, sizeof hex, ".%08x", (unsigned)check(kind, pos, pn));
  if (memcmp(plain + len - 9, hex, 9))
    return -1;
  memcpy(out, pos, pn);
  out[pn] = '\0';
  return 0;
}

char *jb_cursor_json_with_next(const char *obj, char kind, const char *pos) {
  if (!obj)
    return NULL;
  size_t len = strlen(obj);
  if (len < 2 || obj[0] != '{' || obj[len - 1] != '}')
    return NULL;
  char cur[JB_CURSOR_MAX] = "";
  if (pos && jb_cursor_encode(kind, pos, cur, sizeof cur) != 0)
    return NULL;
  int empty = 1; /* no member yet: no comma */
  for (size_t i = 1; i + 1 < len && empty; i++)
    empty = obj[i] == ' ' || obj[i] == '\t' || obj[i] == '\n' || obj[i] == '\r';
  size_t cap = len + strlen(cur) + 32;
  char *out = malloc(cap);
  if (!out)
    return NULL;
  memcpy(out, obj, len - 1);
  snprintf(out + len - 1, cap - (len - 1), "%s\"next_cursor\":%s%s%s}", empty ? "" : ",",
           pos ? "\"" : "null", cur, pos ? "\"" : "");
  return out;
}
