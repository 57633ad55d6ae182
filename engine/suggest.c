/* suggest.c: the vague-need assistant (docs/matching.md "Suggestions").
 *
 * A short need ("碳化硅模块封装") lacks words its best candidates share
 * (银烧结, 功率循环, 热阻): no lexical method closes that gap alone, the
 * enterprise can. The assistant ranks the technical terms (author keywords)
 * that the best-matching outputs carry and the need does not, with how many
 * of them carry each, and what the top list would become with the term
 * added. Accepting a term is one PATCH of the challenge's keywords. */
#include "config.h"

#include <ctype.h>
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

/* one candidate term: how many of the top carry it, their ranks' weight */
typedef struct {
  char *term, *lower;
  int carriers;
  double weight; /* sum of 1/rank over the carriers */
  json_t *by;    /* the ids carrying it, best first */
} term;

static int by_support(const void *a, const void *b) {
  const term *x = a, *y = b;
  if (x->carriers != y->carriers)
    return x->carriers > y->carriers ? -1 : 1;
  if (x->weight != y->weight)
    return x->weight > y->weight ? -1 : 1;
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

static char *lowered(const char *s) {
  char *l = strdup(s);
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

/* collects the keywords of the top candidates the need does not have */
static int gather(jb_engine *e, const json_t *top, const char *need, term **out, size_t *nout) {
  term *t = NULL;
  size_t n = 0, cap = 0;
  json_t *ms = json_object_get(top, "matches");
  for (size_t r = 0; r < json_array_size(ms); r++) {
    const char *id = jb__sv(json_array_get(ms, r), "id");
    json_t *rec = id ? jb__load_record(e, JB_REC_OUTPUT, id) : NULL;
    const json_t *kw = json_object_get(rec, "keywords");
    for (size_t k = 0; k < json_array_size(kw); k++) {
      const char *w = json_string_value(json_array_get(kw, k));
      char *lw = w && *w ? lowered(w) : NULL;
      if (!lw || strstr(need, lw)) {
        free(lw);
        continue;
      }
      size_t i = 0;
      while (i < n && strcmp(t[i].lower, lw))
        i++;
      if (i == n) {
        if (n == cap) {
          term *nt = realloc(t, (cap = cap ? cap * 2 : 32) * sizeof *t);
          if (!nt) {
            free(lw);
            json_decref(rec);
            terms_free(t, n);
            return JB_ENOMEM;
          }
          t = nt;
        }
        t[n] = (term){strdup(w), lw, 0, 0, json_array()};
        lw = NULL;
        if (!t[n].term || !t[n].by) {
          json_decref(rec);
          terms_free(t, n + 1);
          return JB_ENOMEM;
        }
        n++;
      }
      free(lw);
      if (!in_ids(t[i].by, id)) { /* a record listing a keyword twice counts once */
        t[i].carriers++;
        t[i].weight += 1.0 / (double)(r + 1);
        json_array_append_new(t[i].by, json_string(id));
      }
    }
    json_decref(rec);
  }
  *out = t;
  *nout = n;
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
                          json_pack("{s:s,s:i,s:i,s:O,s:{s:o,s:o,s:o}}", "term", t[i].term,
                                    "carried_by", t[i].carriers, "of", (int)json_array_size(now),
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
