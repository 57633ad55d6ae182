/* SPDX-License-Identifier: GPL-3.0-or-later */
/* highlight.c: a search hit's title with its matched words in <em>
 * (highlight.h). The output is built in a growing buffer: how much a title
 * grows depends on its characters (an '&' is five bytes out, a matched
 * one-byte word eleven), so no fixed multiple of its length is a bound. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/highlight.h"
#include "api/logfmt.h"

typedef struct {
  char *p;
  size_t len, cap;
  int failed; /* out of memory: every later put is a no-op */
} sbuf;

static void put(sbuf *b, const char *s, size_t k) {
  if (b->failed)
    return;
  if (k >= SIZE_MAX - b->len) {
    b->failed = 1;
    return;
  }
  if (b->len + k + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + k + 1)
      cap = cap > SIZE_MAX / 2 ? b->len + k + 1 : cap * 2;
    char *np = realloc(b->p, cap);
    if (!np) {
      b->failed = 1;
      return;
    }
    b->p = np;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, k);
  b->len += k;
  b->p[b->len] = '\0';
}

static unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

/* 1 when title[i..i+wl) is word w, ASCII letters compared without case */
static int same(const char *title, size_t i, const char *w, size_t wl) {
  for (size_t k = 0; k < wl; k++)
    if (lower((unsigned char)title[i + k]) != lower((unsigned char)w[k]))
      return 0;
  return 1;
}

char *jb_highlight(const char *title, const char *matched) {
  if (!title)
    return NULL;
  size_t n = strlen(title);
  /* unit[i]: the length of the character (or of the lone bad byte) that
   * starts at i, 0 inside a character; mark[i]: byte i is in a match */
  unsigned char *unit = malloc(n + 1), *mark = calloc(n + 1, 1);
  sbuf b = {NULL, 0, 0, 0};
  if (!unit || !mark) {
    free(unit);
    free(mark);
    return NULL;
  }
  for (size_t i = 0; i < n;) {
    size_t u = jb_utf8_char_len(title + i, n - i);
    if (!u)
      u = 1;
    unit[i] = (unsigned char)u;
    memset(unit + i + 1, 0, u - 1);
    i += u;
  }
  unit[n] = 1; /* the end is a boundary */
  for (const char *w = matched ? matched : ""; *w;) {
    while (*w == ' ')
      w++;
    size_t wl = strcspn(w, " ");
    for (size_t i = 0; wl && i + wl <= n; i++)
      if (unit[i] && unit[i + wl] && same(title, i, w, wl))
        memset(mark + i, 1, wl);
    w += wl;
  }
  int open = 0;
  put(&b, "", 0);
  for (size_t i = 0; i < n; i += unit[i]) {
    if (mark[i] != open) {
      put(&b, open ? "</em>" : "<em>", open ? 5 : 4);
      open = mark[i];
    }
    size_t u = unit[i];
    switch (title[i]) {
    case '&': put(&b, "&amp;", 5); break;
    case '<': put(&b, "&lt;", 4); break;
    case '>': put(&b, "&gt;", 4); break;
    case '"': put(&b, "&quot;", 6); break;
    case '\'': put(&b, "&#39;", 5); break;
    default:
      if (u == 1 && (unsigned char)title[i] >= 0x80)
        put(&b, "\xEF\xBF\xBD", 3); /* not UTF-8: U+FFFD */
      else
        put(&b, title + i, u);
    }
  }
  if (open)
    put(&b, "</em>", 5);
  free(unit);
  free(mark);
  if (b.failed) {
    free(b.p);
    return NULL;
  }
  return b.p;
}

/* the first byte of the character at or after p (UTF-8 continuation bytes
 * are skipped; a text that is not UTF-8 is cut anywhere but the highlighter
 * writes U+FFFD for the broken bytes) */
static const char *char_start(const char *p, const char *end) {
  while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
    p++;
  return p;
}

/* the first occurrence of a word of matched in text (ASCII case folded), or NULL */
static const char *first_word(const char *text, size_t tl, const char *matched) {
  const char *best = NULL;
  for (const char *w = matched; w && *w;) {
    size_t wl = strcspn(w, " ");
    for (size_t i = 0; wl && i + wl <= tl && (!best || text + i < best); i++) {
      size_t k = 0;
      while (k < wl) {
        unsigned char a = (unsigned char)text[i + k], b = (unsigned char)w[k];
        if (a >= 'A' && a <= 'Z')
          a = (unsigned char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
          b = (unsigned char)(b - 'A' + 'a');
        if (a != b)
          break;
        k++;
      }
      if (k == wl && ((unsigned char)text[i] & 0xC0) != 0x80) {
        best = text + i;
        break;
      }
    }
    w += wl;
    while (*w == ' ')
      w++;
  }
  return best;
}

char *jb_snippet(const char *text, const char *matched, size_t chars) {
  if (!text || !*text)
    return strdup("");
  if (chars < 8)
    chars = 8;
  size_t tl = strlen(text);
  const char *end = text + tl, *hit = first_word(text, tl, matched);
  /* start a quarter of the window before the hit, on a character */
  const char *from = text;
  if (hit) {
    size_t back = 0;
    from = hit;
    while (from > text && back < chars / 4) {
      from--;
      if (((unsigned char)*from & 0xC0) != 0x80)
        back++;
    }
  }
  from = char_start(from, end);
  const char *to = from;
  for (size_t n = 0; to < end && n < chars; n++)
    to = char_start(to + 1, end);
  size_t len = (size_t)(to - from);
  int pre = from > text, post = to < end;
  char *cut = malloc(len + 7);
  if (!cut)
    return NULL;
  size_t o = 0;
  if (pre) {
    memcpy(cut, "\xE2\x80\xA6", 3);
    o = 3;
  }
  memcpy(cut + o, from, len);
  o += len;
  if (post) {
    memcpy(cut + o, "\xE2\x80\xA6", 3);
    o += 3;
  }
  cut[o] = '\0';
  char *out = jb_highlight(cut, matched);
  free(cut);
  return out;
}
