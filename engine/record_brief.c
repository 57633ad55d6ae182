/* SPDX-License-Identifier: GPL-3.0-or-later */
/* record_brief.c: a stored record parsed without its long texts (a match's
 * candidates need their facts, not their abstracts: parsing the abstracts
 * of 100 candidates was a fifth of a match's instructions at 100k outputs;
 * docs/benchmarks.md). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "engine/record.h"

static size_t skip_ws(const char *s, size_t i, size_t n) {
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
    i++;
  return i;
}

/* the end (one past the closing quote) of the string opening at s[i], 0 when
 * it does not close */
static size_t skip_str(const char *s, size_t i, size_t n) {
  for (i++; i < n; i++) {
    if (s[i] == '\\')
      i++;
    else if (s[i] == '"')
      return i + 1;
  }
  return 0;
}

/* the end of the value starting at s[i], 0 when the scan cannot follow it */
static size_t skip_value(const char *s, size_t i, size_t n) {
  if (i >= n)
    return 0;
  if (s[i] == '"')
    return skip_str(s, i, n);
  if (s[i] == '{' || s[i] == '[') {
    size_t depth = 0;
    for (; i < n; i++) {
      if (s[i] == '"') {
        size_t e = skip_str(s, i, n);
        if (!e)
          return 0;
        i = e - 1;
      } else if (s[i] == '{' || s[i] == '[') {
        depth++;
      } else if (s[i] == '}' || s[i] == ']') {
        if (--depth == 0)
          return i + 1;
      }
    }
    return 0;
  }
  size_t j = i; /* a number, true, false or null: up to the next delimiter */
  while (j < n && s[j] != ',' && s[j] != '}' && s[j] != ']' && s[j] != ' ' && s[j] != '\t' &&
         s[j] != '\n' && s[j] != '\r')
    j++;
  return j > i ? j : 0;
}

static int dropped(const char *key, size_t len, const char *const *drop) {
  for (size_t k = 0; drop && drop[k]; k++)
    if (strlen(drop[k]) == len && !memcmp(drop[k], key, len))
      return 1;
  return 0;
}

/* the text of the object at text without the members named in drop, in
 * *out (malloc'd) and *olen; 1 when some member was left out, 0 when none
 * was (*out NULL), -1 when the scan cannot follow the text or memory ran out */
static int strip(const char *s, size_t n, const char *const *drop, char **out, size_t *olen) {
  *out = NULL;
  size_t i = skip_ws(s, 0, n);
  if (i >= n || s[i] != '{')
    return -1;
  char *b = malloc(n + 2);
  if (!b)
    return -1;
  size_t o = 0, kept = 0;
  int left = 0, closed = 0;
  b[o++] = '{';
  i = skip_ws(s, i + 1, n);
  if (i < n && s[i] == '}') {
    i++;
    closed = 1;
  } else {
    for (;;) {
      if (i >= n || s[i] != '"')
        break;
      size_t ks = i, ke = skip_str(s, i, n);
      if (!ke)
        break;
      size_t c = skip_ws(s, ke, n);
      if (c >= n || s[c] != ':')
        break;
      size_t vs = skip_ws(s, c + 1, n), ve = skip_value(s, vs, n);
      if (!ve)
        break;
      /* a key written with escapes is not recognised, and so kept */
      if (dropped(s + ks + 1, ke - ks - 2, drop)) {
        left = 1;
      } else {
        if (kept++)
          b[o++] = ',';
        memcpy(b + o, s + ks, ve - ks);
        o += ve - ks;
      }
      i = skip_ws(s, ve, n);
      if (i < n && s[i] == ',') {
        i = skip_ws(s, i + 1, n);
        continue;
      }
      if (i < n && s[i] == '}') {
        i++;
        closed = 1;
      }
      break; /* the object's end, or text the scan does not follow */
    }
  }
  if (!closed) {
    free(b);
    return -1;
  }
  if (skip_ws(s, i, n) != n || !left) {
    free(b);
    return skip_ws(s, i, n) != n ? -1 : 0;
  }
  b[o++] = '}';
  *out = b;
  *olen = o;
  return 1;
}

int jb_rec_parse_brief(const char *text, size_t len, const char *const *drop, json_t **out) {
  *out = NULL;
  char *b = NULL;
  size_t blen = 0;
  if (strip(text, len, drop, &b, &blen) == 1) {
    *out = json_loadb(b, blen, JSON_REJECT_DUPLICATES, NULL);
    free(b);
    if (*out && json_is_object(*out))
      return JB_OK;
    json_decref(*out);
    *out = NULL;
  }
  /* nothing to leave out, or text the scan does not follow: all of it */
  int rc = jb_rec_parse(text, len, out, NULL, 0);
  for (size_t k = 0; rc == JB_OK && json_is_object(*out) && drop && drop[k]; k++)
    json_object_del(*out, drop[k]);
  return rc;
}
