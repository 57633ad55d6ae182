/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match_explain.c: a match as JSON with its explanation: the matched words
 * per field, the need's Han character pairs it shares outside them, the
 * features, and the evidence that gave them. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/match_int.h"
#include "engine/prefixes.h"

static const char *const FEATURES[NFEAT] = {"text",      "field", "trl",    "region",
                                             "freshness", "track", "funding"};

static const char *field_name(char f) {
  switch (f) {
  case 'T': return "title";
  case 'K': return "keywords";
  case 'P': return "problem";
  case 'I': return "indicators";
  case 'D': return "text";
  case 'C': return "profile";
  }
  return "other";
}

/* appends word to arr, once */
static void add_word_to(json_t *arr, const char *word) {
  for (size_t k = 0; k < json_array_size(arr); k++)
    if (!strcmp(json_string_value(json_array_get(arr, k)), word))
      return;
  json_array_append_new(arr, json_string(word));
}

/* adds word to the list under key in obj (made when absent), once */
static void add_word(json_t *obj, const char *key, const char *word) {
  json_t *arr = json_object_get(obj, key);
  if (!arr) {
    arr = json_array();
    json_object_set_new(obj, key, arr);
  }
  add_word_to(arr, word);
}

/* item it of b is a matched word (not a Han bigram or character) */
static int is_word(const qbuild *b, int it) {
  return (size_t)it < b->n && b->label[it] && b->field[it] != JB_PFX_BIGRAM[0] &&
         b->field[it] != JB_PFX_UNIGRAM[0];
}

/* item it of b is of the family whose letter is f */
static int is_of(const qbuild *b, int it, char f) {
  return (size_t)it < b->n && b->label[it] && b->field[it] == f;
}

/* the bigram g spans two words c matched, the first ending with its first
 * character and the second starting with its second (代动 of 药代 动力学) */
static int bridges(const cand *c, const qbuild *b, const char *g) {
  size_t l1 = jb__u8_len((unsigned char)g[0]), gl = strlen(g);
  if (l1 >= gl)
    return 0;
  int ends = 0, starts = 0;
  for (size_t k = 0; k < c->nitems && !(ends && starts); k++) {
    if (!is_word(b, c->items[k]))
      continue;
    const char *w = b->label[c->items[k]];
    size_t wl = strlen(w);
    ends = ends || (wl >= l1 && !memcmp(w + wl - l1, g, l1));
    starts = starts || (wl >= gl - l1 && !memcmp(w, g + l1, gl - l1));
  }
  return ends && starts;
}

/* The Han bigram g has a function character in it (率的, 的变, 在线) */
static int has_function_char(const char *g) {
  size_t l1 = jb__u8_len((unsigned char)g[0]), gl = strlen(g);
  return l1 < gl && (jb__function_char(g, l1) || jb__function_char(g + l1, gl - l1));
}

/* The Han bigram g pairs a function character with its neighbour across a
 * word boundary of the need (率的 of 效率的提高, 的变 of 的变化) rather than
 * lying inside one of its words (在线 of 在线监测): it scores, as every
 * bigram does, but says nothing to a reader. words: b's word labels joined
 * by newlines (NULL: b's labels asked one by one). */
static int loose_pair(const qbuild *b, const char *g, const char *words) {
  if (!has_function_char(g))
    return 0;
  if (words)
    return strstr(words, g) == NULL;
  for (size_t k = 0; k < b->n; k++)
    if (is_word(b, (int)k) && strstr(b->label[k], g))
      return 0;
  return 1;
}

int jb__explain_prepare(qbuild *b) {
  if (b->loose && b->nloose == b->n)
    return JB_OK;
  size_t len = 1;
  for (size_t k = 0; k < b->n; k++)
    if (is_word(b, (int)k))
      len += strlen(b->label[k]) + 1;
  char *words = malloc(len), *p = words;
  unsigned char *loose = realloc(b->loose, b->n ? b->n : 1);
  if (!words || !loose) {
    free(words);
    if (loose)
      b->loose = loose;
    return JB_ENOMEM;
  }
  for (size_t k = 0; k < b->n; k++)
    if (is_word(b, (int)k)) {
      size_t l = strlen(b->label[k]);
      memcpy(p, b->label[k], l);
      p += l;
      *p++ = '\n';
    }
  *p = '\0';
  for (size_t k = 0; k < b->n; k++)
    loose[k] = is_of(b, (int)k, JB_PFX_BIGRAM[0]) && loose_pair(b, b->label[k], words);
  free(words);
  b->loose = loose;
  b->nloose = b->n;
  return JB_OK;
}

/* The need's own Han bigrams (not its translations': those are named by
 * their pairs in "translated") that c holds outside every word it matched
 * (电池 of 锂离子电池 in 燃料电池; 估计 of 准确估计 in 参数估计), none bridging
 * two of them, or, when it matched no word and no such bigram, the need's
 * characters it holds (a short source's characters, the unigram family), in
 * the need's order, at most PARTIAL_MAX: a match the words alone do not
 * explain still says what it shares. A bigram of a function character
 * across the need's words (loose_pair) is left out. NULL when there are
 * none. */
#define PARTIAL_MAX 12
static json_t *partial(const cand *c, const qbuild *b) {
  json_t *out = NULL;
  const char fam[2] = {JB_PFX_BIGRAM[0], JB_PFX_UNIGRAM[0]};
  int words = 0;
  for (size_t i = 0; i < c->nitems && !words; i++)
    words = is_word(b, c->items[i]);
  for (int f = 0; f < (words ? 1 : 2) && !(f == 1 && out); f++)
    for (size_t i = 0; i < c->nitems && json_array_size(out) < PARTIAL_MAX; i++) {
      int it = c->items[i];
      if (!is_of(b, it, fam[f]) || (b->xl && b->xl[it]))
        continue;
      /* the look-up first: bridges walks the candidate's items */
      int inside = f == 0 && (((size_t)it < b->nloose ? b->loose[it]
                                                      : loose_pair(b, b->label[it], NULL)) ||
                              bridges(c, b, b->label[it]));
      for (size_t k = 0; k < c->nitems && !inside; k++)
        inside = is_word(b, c->items[k]) && strstr(b->label[c->items[k]], b->label[it]);
      for (size_t k = 0; k < json_array_size(out) && !inside; k++)
        inside = strstr(json_string_value(json_array_get(out, k)), b->label[it]) != NULL;
      if (inside)
        continue;
      if (!out)
        out = json_array();
      add_word_to(out, b->label[it]);
    }
  return out;
}

json_t *jb__cand_explain(const cand *c, const qbuild *b) {
  json_t *terms = json_object(), *feat = json_object();
  for (size_t i = 0; i < c->nitems; i++) {
    int it = c->items[i];
    if (is_word(b, it))
      add_word(terms, field_name(b->field[it]), b->label[it]);
  }
  for (int k = 0; k < NFEAT; k++)
    json_object_set_new(feat, FEATURES[k], json_real(r6(c->f[k])));
  json_t *ex = json_object();
  json_object_set_new(ex, "terms", terms);
  json_t *part = partial(c, b);
  if (part)
    json_object_set_new(ex, "partial", part);
  json_object_set_new(ex, "features", feat);
  /* the query's own work that matched: which of its outputs and experts
   * gave which matched words (reverse matching from evidence) */
  json_t *by = json_object();
  for (size_t i = 0; b->src && i < c->nitems; i++) {
    int it = c->items[i];
    if (!is_word(b, it))
      continue;
    for (int s = 0; s < EV_SRCS && b->src[it][s]; s++)
      add_word(by, b->src[it][s], b->label[it]);
  }
  if (json_object_size(by)) {
    json_t *evidence = json_array();
    const char *key;
    json_t *words;
    json_object_foreach(by, key, words) {
      const char *colon = strchr(key, ':');
      json_array_append_new(evidence, json_pack("{s:s%,s:s,s:O}", "type", key, (size_t)(colon - key),
                                                "id", colon + 1, "terms", words));
    }
    json_object_set_new(ex, "evidence", evidence);
  }
  json_decref(by);
  /* the translations whose words or character pairs matched: "cathode
   * material → 正极材料" (for 正极材料, or 正极 of it) */
  json_t *tr = NULL;
  for (size_t i = 0; b->xl && b->plan && i < c->nitems; i++) {
    int it = c->items[i];
    const char *from, *to;
    if (!(is_word(b, it) || is_of(b, it, JB_PFX_BIGRAM[0])) || !b->xl[it] ||
        jb__xl_pair(b->plan, b->xl[it] - 1, &from, &to) != JB_OK)
      continue;
    json_t *s = json_sprintf("%s → %s", from, to);
    if (!tr)
      tr = json_array();
    int dup = 0;
    for (size_t k = 0; s && k < json_array_size(tr) && !dup; k++)
      dup = json_equal(json_array_get(tr, k), s);
    if (s && !dup)
      json_array_append(tr, s);
    json_decref(s);
  }
  if (tr)
    json_object_set_new(ex, "translated", tr);
  return ex;
}

json_t *jb__cand_json(const cand *c, const qbuild *b, double score) {
  json_t *m = json_object();
  json_object_set_new(m, "type", json_string(c->type));
  json_object_set_new(m, "id", json_string(c->id));
  json_object_set_new(m, "title", json_string(c->rec ? jb_rec_title(c->rec) : ""));
  json_object_set_new(m, "score", json_real(r6(score)));
  json_object_set_new(m, "explanation", jb__cand_explain(c, b));
  return m;
}
