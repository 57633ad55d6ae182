/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv_write.c: the RFC 4180 writer and the formula guard (jb_csv.h). */
#include <stdlib.h>
#include <string.h>

#include "common/jb_csv.h"

int jb_csv_raw(jb_csv_out *o, const char *s, size_t len) {
  if (o->failed)
    return JB_ENOMEM;
  if (o->len + len + 1 > o->cap) {
    size_t cap = o->cap ? o->cap : 1024;
    while (cap < o->len + len + 1) {
      if (cap > ((size_t)-1) / 2) {
        o->failed = 1;
        return JB_ENOMEM;
      }
      cap *= 2;
    }
    char *b = realloc(o->s, cap);
    if (!b) {
      o->failed = 1;
      return JB_ENOMEM;
    }
    o->s = b;
    o->cap = cap;
  }
  if (len)
    memcpy(o->s + o->len, s, len);
  o->len += len;
  o->s[o->len] = '\0';
  return JB_OK;
}

static int trigger(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

int jb_csv_is_formula(const char *s, size_t len) {
  size_t i = 0;
  while (i < len && s[i] == '\'')
    i++;
  return i < len && trigger(s[i]);
}

size_t jb_csv_unneutralise(const char *s, size_t len) {
  return len && s[0] == '\'' && jb_csv_is_formula(s, len) ? 1 : 0;
}

int jb_csv_field(jb_csv_out *o, const char *s, size_t len, int first, int neutralise) {
  if (!first && jb_csv_raw(o, ",", 1))
    return JB_ENOMEM;
  if (!s)
    return JB_OK;
  int guard = neutralise && jb_csv_is_formula(s, len);
  int quote = guard || !len || s[0] == ' ' || s[len - 1] == ' ';
  for (size_t i = 0; i < len && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
  if (!quote)
    return jb_csv_raw(o, s, len);
  if (jb_csv_raw(o, "\"", 1) || (guard && jb_csv_raw(o, "'", 1)))
    return JB_ENOMEM;
  size_t from = 0;
  for (size_t i = 0; i < len; i++)
    if (s[i] == '"') {
      if (jb_csv_raw(o, s + from, i + 1 - from) || jb_csv_raw(o, "\"", 1))
        return JB_ENOMEM;
      from = i + 1;
    }
  return jb_csv_raw(o, s + from, len - from) || jb_csv_raw(o, "\"", 1) ? JB_ENOMEM : JB_OK;
}

int jb_csv_end_row(jb_csv_out *o) { return jb_csv_raw(o, "\r\n", 2); }

void jb_csv_out_free(jb_csv_out *o) {
  if (!o)
    return;
  free(o->s);
  memset(o, 0, sizeof *o);
}
