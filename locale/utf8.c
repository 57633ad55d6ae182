/* SPDX-License-Identifier: GPL-3.0-or-later */
/* utf8.c: strict UTF-8 validation (RFC 3629, Unicode table 3-7). */
#include <string.h>

#include "locale/jb_locale.h"

#include <unicode/uchar.h>

jb_utf8_status jb_utf8_validate(const char *str, size_t len, size_t *bad_offset) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < len) {
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t need;
    uint32_t cp, min;
    if (c < 0xC0) {
      if (bad_offset)
        *bad_offset = i;
      return JB_UTF8_STRAY;
    } else if (c < 0xC2) {
      if (bad_offset)
        *bad_offset = i;
      return JB_UTF8_OVERLONG; /* C0/C1 only start overlong 2-byte forms */
    } else if (c < 0xE0) {
      need = 1, cp = c & 0x1Fu, min = 0x80;
    } else if (c < 0xF0) {
      need = 2, cp = c & 0x0Fu, min = 0x800;
    } else if (c < 0xF5) {
      need = 3, cp = c & 0x07u, min = 0x10000;
    } else {
      if (bad_offset)
        *bad_offset = i;
      return JB_UTF8_BADLEAD;
    }
    for (size_t k = 1; k <= need; k++) {
      if (i + k >= len || (s[i + k] & 0xC0u) != 0x80u) {
        if (bad_offset)
          *bad_offset = i;
        return JB_UTF8_TRUNCATED;
      }
      cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    jb_utf8_status st = JB_UTF8_OK;
    if (cp < min)
      st = JB_UTF8_OVERLONG;
    else if (cp >= 0xD800 && cp <= 0xDFFF)
      st = JB_UTF8_SURROGATE;
    else if (cp > 0x10FFFF)
      st = JB_UTF8_TOOBIG;
    if (st != JB_UTF8_OK) {
      if (bad_offset)
        *bad_offset = i;
      return st;
    }
    i += need + 1;
  }
  return JB_UTF8_OK;
}

const char *jb_utf8_status_str(jb_utf8_status st) {
  switch (st) {
  case JB_UTF8_OK:
    return "valid";
  case JB_UTF8_STRAY:
    return "stray continuation byte";
  case JB_UTF8_BADLEAD:
    return "byte that never appears in UTF-8";
  case JB_UTF8_TRUNCATED:
    return "truncated sequence";
  case JB_UTF8_OVERLONG:
    return "overlong encoding";
  case JB_UTF8_SURROGATE:
    return "encoded surrogate";
  case JB_UTF8_TOOBIG:
    return "code point above U+10FFFF";
  }
  return "invalid";
}

int jb_is_han(uint32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x323AF) || (c >= 0xF900 && c <= 0xFAFF) ||
         c == 0x3007 || c == 0x25CB;
}

int jb_is_invisible(uint32_t c) {
  if (c > 0x10FFFF)
    return 1;
  if (u_hasBinaryProperty((UChar32)c, UCHAR_WHITE_SPACE))
    return 1;
  switch (u_charType((UChar32)c)) {
  case U_CONTROL_CHAR:      /* Cc */
  case U_FORMAT_CHAR:       /* Cf */
  case U_SPACE_SEPARATOR:   /* Zs */
  case U_LINE_SEPARATOR:    /* Zl */
  case U_PARAGRAPH_SEPARATOR: /* Zp */
  case U_SURROGATE:         /* Cs */
    return 1;
  default:
    return 0;
  }
}

size_t jb_utf8_clip(char *s) {
  if (!s)
    return 0;
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    size_t need = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    if (need && i + need <= n && jb_utf8_validate(s + i, need, NULL) == JB_UTF8_OK) {
      i += need;
      continue;
    }
    /* a lead byte whose continuation bytes run to the end was cut there */
    size_t k = i + 1;
    while (need && k < n && k < i + need && ((unsigned char)s[k] & 0xC0) == 0x80)
      k++;
    if (need && k == n) {
      s[i] = '\0';
      return i;
    }
    s[i++] = '?';
  }
  return n;
}
