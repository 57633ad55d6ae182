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

/* ---- the fast path: the plain JSON the store writes, read directly ------------
 * jansson's reader costs ~150 instructions a byte (a character at a time
 * through its stream, a token at a time); a candidate's facts are ~350
 * bytes, read 100 times a match. This reader takes the common shape of a
 * stored record (compact, strings without escapes, integers) and gives
 * up, returning NULL, on anything else: an escape or a control character in
 * a string, a number with a fraction or an exponent or of more than 18
 * digits, nesting beyond 32, a duplicate key, invalid UTF-8 (jansson's
 * json_stringn checks), or text that is not JSON. The caller then reads the
 * text the old way, so what it gives is jansson's, value for value
 * (tests/fuzz/fuzz_record.c compares the two on every input). */

static json_t *fast_value(const char *s, size_t n, size_t *i, int depth);

/* the string at s[*i] (an opening quote) with no escape or control byte:
 * its bytes at *start, *slen; 0 when it is not such a string */
static int fast_str(const char *s, size_t n, size_t *i, size_t *start, size_t *slen) {
  size_t j = *i + 1;
  while (j < n && s[j] != '"') {
    if (s[j] == '\\' || (unsigned char)s[j] < 0x20)
      return 0;
    j++;
  }
  if (j >= n)
    return 0;
  *start = *i + 1;
  *slen = j - *start;
  *i = j + 1;
  return 1;
}

static json_t *fast_number(const char *s, size_t n, size_t *i) {
  size_t j = *i;
  int neg = j < n && s[j] == '-';
  j += (size_t)neg;
  size_t d0 = j;
  long long v = 0; /* 18 digits at most: no overflow */
  while (j < n && s[j] >= '0' && s[j] <= '9' && j - d0 < 18)
    v = v * 10 + (s[j++] - '0');
  size_t nd = j - d0;
  if (nd == 0 || (nd > 1 && s[d0] == '0'))
    return NULL;
  if (j < n && (s[j] == '.' || s[j] == 'e' || s[j] == 'E' || (s[j] >= '0' && s[j] <= '9')))
    return NULL;
  *i = j;
  return json_integer(neg ? -v : v);
}

/* after an object's member or an array's element at s[*j]: 1 with *j past
 * a ',' and the space after it (another follows), 0 with *j past the
 * closing byte `close`, -1 for anything else */
static int after_item(const char *s, size_t n, size_t *j, char close) {
  size_t k = skip_ws(s, *j, n);
  if (k < n && s[k] == ',') {
    *j = skip_ws(s, k + 1, n);
    return 1;
  }
  if (k < n && s[k] == close) {
    *j = k + 1;
    return 0;
  }
  return -1;
}

/* the members of the object at s[*i] ('{'), those named in drop skipped */
static json_t *fast_object(const char *s, size_t n, size_t *i, int depth,
                           const char *const *drop) {
  json_t *o = json_object();
  if (!o)
    return NULL;
  size_t j = skip_ws(s, *i + 1, n);
  if (j < n && s[j] == '}') {
    *i = j + 1;
    return o;
  }
  for (;;) {
    size_t ks, klen;
    if (j >= n || s[j] != '"' || !fast_str(s, n, &j, &ks, &klen))
      break;
    j = skip_ws(s, j, n);
    if (j >= n || s[j] != ':')
      break;
    j = skip_ws(s, j + 1, n);
    if (json_object_getn(o, s + ks, klen))
      break; /* a duplicate: jansson's refusal, said by jansson */
    if (dropped(s + ks, klen, drop)) {
      size_t e = skip_value(s, j, n);
      if (!e)
        break;
      j = e;
    } else {
      json_t *v = fast_value(s, n, &j, depth + 1);
      if (!v || json_object_setn_new(o, s + ks, klen, v) != 0)
        break; /* setn_new frees v on failure */
    }
    int more = after_item(s, n, &j, '}');
    if (more > 0)
      continue;
    if (more == 0) {
      *i = j;
      return o;
    }
    break;
  }
  json_decref(o);
  return NULL;
}

static json_t *fast_array(const char *s, size_t n, size_t *i, int depth) {
  json_t *a = json_array();
  if (!a)
    return NULL;
  size_t j = skip_ws(s, *i + 1, n);
  if (j < n && s[j] == ']') {
    *i = j + 1;
    return a;
  }
  for (;;) {
    json_t *v = fast_value(s, n, &j, depth + 1);
    if (!v || json_array_append_new(a, v) != 0)
      break;
    int more = after_item(s, n, &j, ']');
    if (more > 0)
      continue;
    if (more == 0) {
      *i = j;
      return a;
    }
    break;
  }
  json_decref(a);
  return NULL;
}

static int literal(const char *s, size_t n, size_t i, const char *word) {
  size_t l = strlen(word);
  return n - i >= l && !memcmp(s + i, word, l);
}

static json_t *fast_value(const char *s, size_t n, size_t *i, int depth) {
  size_t j = *i;
  if (j >= n || depth > 32)
    return NULL;
  json_t *v = NULL;
  switch (s[j]) {
  case '{':
    return fast_object(s, n, i, depth, NULL);
  case '[':
    return fast_array(s, n, i, depth);
  case '"': {
    size_t st, len;
    if (!fast_str(s, n, &j, &st, &len))
      return NULL;
    v = json_stringn(s + st, len); /* NULL for invalid UTF-8 */
    break;
  }
  case 't':
  case 'f':
  case 'n': {
    const char *w = s[j] == 't' ? "true" : s[j] == 'f' ? "false" : "null";
    if (!literal(s, n, j, w))
      return NULL;
    j += strlen(w);
    v = s[*i] == 't' ? json_true() : s[*i] == 'f' ? json_false() : json_null();
    break;
  }
  default:
    return fast_number(s, n, i);
  }
  *i = j;
  return v;
}

int jb_rec_parse_brief(const char *text, size_t len, const char *const *drop, json_t **out) {
  *out = NULL;
  size_t i = skip_ws(text, 0, len);
  if (i < len && text[i] == '{') {
    json_t *o = fast_object(text, len, &i, 1, drop);
    if (o && skip_ws(text, i, len) == len) {
      *out = o;
      return JB_OK;
    }
    json_decref(o);
  }
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
