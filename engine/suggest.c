/* suggest.c: the vague-need assistant (docs/matching.md "Suggestions").
 *
 * A short need ("碳化硅模块封装") lacks words its best candidates share
 * (银烧结, 功率循环, 热阻): no lexical method closes that gap alone, the
 * enterprise can. The assistant ranks the technical terms (author keywords
 * and their words, and the words of titles) that the best-matching outputs
 * carry and the need does not — by how many carry each, how high they rank
 * and how specific the term is — and says what the top list would become
 * with the term added. Accepting a term is one PATCH of the challenge's
 * keywords. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_int.h"
#include "engine/record.h"

/* the need's own text, lower-cased ASCII, to tell the terms it already has */
static char *need_text(const json_t *ch) {
  static const char *const fields[] = {"title", "problem", "description", NULL};
  size_t len = 1;
  for (int i = 0; fields[i]; i++)
    len += strlen(jb__sv(ch, fields[i]) ? jb__sv(ch, fields[i]) : "") + 1;
  const json_t *kw = json_object_get(ch, "keywords"), *ind = json_object_get(ch, "indicators");
  for (size_t i = 0; i < json_array_size(kw); i++)
    len += strlen(json_string_value(json_array_get(kw, i)) ? json_string_value(json_array_get(kw, i)) : "") + 1;
  for (size_t i = 0; i < json_array_size(ind); i++)
    len += strlen(jb__sv(json_array_get(ind, i), "name") ? jb__sv(json_array_get(ind, i), "name") : "") + 1;
  char *t = malloc(len), *p = t;
  if (!t)
    return NULL;
#define PUT(s)                                                                                     \
  do {                                                                                             \
    const char *s_ = (s);                                                                          \
    if (s_) {                                                                                      \
      size_t l_ = strlen(s_);                                                                      \
      memcpy(p, s_, l_);                                                                           \
      p += l_;                                                                                     \
      *p++ = '\n';                                                                                 \
    }                                                                                              \
  } while (0)
  for (int i = 0; fields[i]; i++)
    PUT(jb__sv(ch, fields[i]));
  for (size_t i = 0; i < json_array_size(kw); i++)
    PUT(json_string_value(json_array_get(kw, i)));
  for (size_t i = 0; i < json_array_size(ind); i++)
    PUT(jb__sv(json_array_get(ind, i), "name"));
#undef PUT
  *p = '\0';
  for (p = t; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  return t;
}

/* one candidate term: how many of the top carry it, and its support (the
 * carriers' rank weights times how specific the term is) */
typedef struct {
  char *term, *lower;
  int carriers;
  double support;
  json_t *by; /* the ids carrying it, best first */
} term;

static int by_support(const void *a, const void *b) {
  const term *x = a, *y = b;
  if (x->support != y->support)
    return x->support > y->support ? -1 : 1;
  if (x->carriers != y->carriers)
    return x->carriers > y->carriers ? -1 : 1;
  return strcmp(x->term, y->term);
}

static void terms_free(term *t, size_t n) {
  for (size_t i = 0; t && i < n; i++) {
    free(t[i].term);
    free(t[i].lower);
    json_decref(t[i].by);
  }
  free(t);
}

static char *lowered(const char *s, size_t len) {
  char *l = strndup(s, len);
  for (char *p = l; p && *p; p++)
    *p = (char)tolower((unsigned char)*p);
  return l;
}

/* the ids of a match list, in order (a new reference) */
static json_t *ids_of(const json_t *list) {
  json_t *ids = json_array(), *ms = json_object_get(list, "matches");
  for (size_t i = 0; i < json_array_size(ms); i++)
    json_array_append(ids, json_object_get(json_array_get(ms, i), "id"));
  return ids;
}

static int in_ids(const json_t *ids, const char *id) {
  for (size_t i = 0; i < json_array_size(ids); i++)
    if (!strcmp(json_string_value(json_array_get(ids, i)), id))
      return 1;
  return 0;
}

typedef struct {
  term *t;
  size_t n, cap;
} termset;

/* counts (text, len) as carried by candidate `id` at rank r (from 0) with
 * specificity spec, unless the need has it already */
static int carry(termset *ts, const char *need, const char *text, size_t len, const char *id,
                 size_t r, double spec) {
  char *lw = lowered(text, len);
  if (!lw)
    return JB_ENOMEM;
  if (!*lw || strstr(need, lw)) {
    free(lw);
    return JB_OK;
  }
  size_t i = 0;
  while (i < ts->n && strcmp(ts->t[i].lower, lw))
    i++;
  if (i == ts->n) {
    if (ts->n == ts->cap) {
      term *nt = realloc(ts->t, (ts->cap = ts->cap ? ts->cap * 2 : 64) * sizeof *nt);
      if (!nt) {
        free(lw);
        return JB_ENOMEM;
      }
      ts->t = nt;
    }
    ts->t[i] = (term){strndup(text, len), lw, 0, 0, json_array()};
    ts->n++;
    if (!ts->t[i].term || !ts->t[i].by)
      return JB_ENOMEM;
  } else {
    free(lw);
  }
  if (!in_ids(ts->t[i].by, id)) { /* a record naming a term twice counts once */
    ts->t[i].carriers++;
    ts->t[i].support += spec / sqrt((double)(r + 1));
    json_array_append_new(ts->t[i].by, json_string(id));
  }
  return JB_OK;
}

/* how specific a word is: rare in the general lexicon (碳化硅) over common
 * (研究, 方法, 系统), 1 for a word the lexicon does not know */
static double specificity(jb_engine *e, const char *w, size_t len) {
  return 1.0 / log(M_E + jb_lexicon_freq(e->lx, w, len));
}

/* The terms of the top candidates the need lacks: their author keywords
 * whole, and the words of their keywords and titles (Han words of two
 * characters or more, Latin words of three letters or more) — a need
 * rarely has a keyword verbatim but often lacks one of its words. */
static int gather(jb_engine *e, const json_t *top, const char *need, term **out, size_t *nout) {
  termset ts = {NULL, 0, 0};
  json_t *ms = json_object_get(top, "matches");
  int rc = JB_OK;
  for (size_t r = 0; rc == JB_OK && r < json_array_size(ms); r++) {
    const char *id = jb__sv(json_array_get(ms, r), "id");
    json_t *rec = id ? jb__load_record(e, JB_REC_OUTPUT, id) : NULL;
    const json_t *kw = json_object_get(rec, "keywords");
    for (size_t k = 0; rc == JB_OK && k <= json_array_size(kw); k++) {
      /* the keywords, then the title */
      const char *w = k < json_array_size(kw) ? json_string_value(json_array_get(kw, k))
                                              : jb__sv(rec, "title");
      if (!w || !*w)
        continue;
      if (k < json_array_size(kw))
        rc = carry(&ts, need, w, strlen(w), id, r, 1.0);
      const jb_term *t;
      size_t n;
      if (rc == JB_OK)
        rc = jb_tokenize(e->map.tok, w, strlen(w), JB_TOK_WORDS, &t, &n);
      for (size_t i = 0; rc == JB_OK && i < n; i++) {
        int han = t[i].script == JB_SCRIPT_HAN;
        if (t[i].kind != JB_TERM_WORD || t[i].len < (han ? 6u : 3u) ||
            (k < json_array_size(kw) && t[i].len == strlen(w)))
          continue; /* short, or the keyword itself (counted whole) */
        rc = carry(&ts, need, t[i].text, t[i].len, id, r, specificity(e, t[i].text, t[i].len));
      }
    }
    json_decref(rec);
  }
  if (rc != JB_OK) {
    terms_free(ts.t, ts.n);
    return rc;
  }
  *out = ts.t;
  *nout = ts.n;
  return JB_OK;
}

int jb_engine_suggest(jb_engine *e, const char *id, const jb_match_weights *weights, size_t limit,
                      char **json) {
  if (!e || !id || !json)
    return JB_EINVAL;
  *json = NULL;
  e->err[0] = '\0';
  if (limit < 1 || limit > 50)
    return jb__eset(e, JB_EINVAL, "limit: must be from 1 to 50");
  jb_match_weights w;
  if (weights)
    w = *weights;
  else
    jb_match_weights_init(&w);
  json_t *ch = jb__challenge_of(e, id), *top = NULL, *out = NULL, *now = NULL;
  if (!ch)
    return JB_ENOENT;
  jb_match_req r = {"challenge", id, "output", 10, 0, NULL, 0};
  term *t = NULL;
  size_t n = 0;
  char *need = need_text(ch);
  int rc = need ? jb__match_challenge(e, &r, &w, ch, &top) : JB_ENOMEM;
  if (rc == JB_OK)
    rc = gather(e, top, need, &t, &n);
  if (rc == JB_OK) {
    qsort(t, n, sizeof *t, by_support);
    now = ids_of(top);
    out = json_pack("{s:s,s:O,s:[]}", "challenge", id, "top", now, "suggestions");
    if (!out)
      rc = JB_ENOMEM;
  }
  /* what the top 10 would be with each term added to the keywords */
  for (size_t i = 0; rc == JB_OK && i < n && i < limit; i++) {
    json_t *changed = json_deep_copy(ch), *list = NULL;
    json_t *kw = json_object_get(changed, "keywords");
    if (!kw) {
      kw = json_array();
      json_object_set_new(changed, "keywords", kw);
    }
    json_array_append_new(kw, json_string(t[i].term));
    rc = jb__match_challenge(e, &r, &w, changed, &list);
    json_decref(changed);
    if (rc != JB_OK)
      break;
    json_t *then = ids_of(list), *enters = json_array(), *leaves = json_array();
    for (size_t k = 0; k < json_array_size(then); k++)
      if (!in_ids(now, json_string_value(json_array_get(then, k))))
        json_array_append(enters, json_array_get(then, k));
    for (size_t k = 0; k < json_array_size(now); k++)
      if (!in_ids(then, json_string_value(json_array_get(now, k))))
        json_array_append(leaves, json_array_get(now, k));
    json_array_append_new(json_object_get(out, "suggestions"),
                          json_pack("{s:s,s:f,s:i,s:i,s:O,s:{s:o,s:o,s:o}}", "term", t[i].term,
                                    "support", round(t[i].support * 1e4) / 1e4, "carried_by",
                                    t[i].carriers, "of", (int)json_array_size(now),
                                    "outputs", t[i].by, "if_added", "top", then, "enters",
                                    enters, "leaves", leaves));
    json_decref(list);
  }
  if (rc == JB_OK && !(*json = json_dumps(out, JSON_COMPACT)))
    rc = JB_ENOMEM;
  terms_free(t, n);
  free(need);
  json_decref(now);
  json_decref(out);
  json_decref(top);
  json_decref(ch);
  return rc;
}
