/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suggest.c: the vague-need assistant (docs/matching.md "Suggestions").
 *
 * A short need ("碳化硅模块封装") lacks words its best candidates share
 * (银烧结, 功率循环, 热阻): no lexical method closes that gap alone, the
 * enterprise can. The assistant ranks the terms (author keywords whole, the
 * words of titles, keywords and abstracts) that at least two of the
 * best-matching outputs carry and the need does not — pseudo-relevance
 * feedback: by how many carry each and how high they rank, times how
 * specific the term is in the collection (IDF; generic ones like 研究, 方法,
 * 结果表明 are dropped by their collection frequency) and away from everyday
 * language, one of two near-duplicates dropped — and says what the top list
 * would become with the term added. Accepting a term is one PATCH of the
 * challenge's keywords. Only the challenge record is read: a title-only need
 * gets suggestions from its title alone. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_int.h"
#include "engine/record.h"
#include "engine/prefixes.h"

/* the need's own text (declared in engine_int.h) */
char *jb__suggest_need_text(const json_t *ch) {
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

/* one candidate term: which of the top carry it (in title, keywords or
 * abstract), its support (the carriers' rank weights), how specific it is
 * to the collection, and the score the suggestions are ordered by */
typedef struct {
  char *term, *lower;
  int carriers;
  double support, idf, score;
  json_t *by; /* the ids carrying it, best first */
} term;

static int by_score(const void *a, const void *b) {
  const term *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
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

/* the distinct candidate terms, with an open-addressing hash on the
 * lower-cased text (a top 10's abstracts give about a thousand) */
typedef struct {
  term *t;
  size_t n, cap;
  size_t *slot; /* index + 1 into t, 0 = empty */
  size_t nslot;
} termset;

static size_t hash_of(const char *s) {
  size_t h = 1469598103934665603u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

static int rehash(termset *ts) {
  size_t ns = ts->nslot ? ts->nslot * 2 : 256;
  size_t *sl = calloc(ns, sizeof *sl);
  if (!sl)
    return JB_ENOMEM;
  for (size_t i = 0; i < ts->n; i++) {
    size_t h = hash_of(ts->t[i].lower) & (ns - 1);
    while (sl[h])
      h = (h + 1) & (ns - 1);
    sl[h] = i + 1;
  }
  free(ts->slot);
  ts->slot = sl;
  ts->nslot = ns;
  return JB_OK;
}

/* 1 when text[0..len) can be one term: an author keyword that lists several
 * with an enumeration comma or a semicolon (船舶、舰船工程; 、 ， ； ;) names
 * more than one thing (its words are still candidates); any other keyword
 * stays whole (PM2.5, 2,4-D, TiO2/石墨烯, silicon carbide) */
static int one_term(const char *text, size_t len) {
  static const char *const seps[] = {"\xe3\x80\x81", "\xef\xbc\x8c", "\xef\xbc\x9b", ";"};
  for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
    size_t n = strlen(seps[i]);
    for (size_t k = 0; k + n <= len; k++)
      if (!memcmp(text + k, seps[i], n))
        return 0;
  }
  return len > 0;
}

/* adds (text, len) as a candidate unless the need has it, it is not one
 * term or it is there already */
static int add_term(termset *ts, const char *need, const char *text, size_t len) {
  if (!one_term(text, len))
    return JB_OK;
  char *lw = lowered(text, len);
  if (!lw)
    return JB_ENOMEM;
  if (!*lw || strstr(need, lw)) {
    free(lw);
    return JB_OK;
  }
  if ((ts->n + 1) * 2 > ts->nslot && rehash(ts) != JB_OK) {
    free(lw);
    return JB_ENOMEM;
  }
  size_t h = hash_of(lw) & (ts->nslot - 1);
  while (ts->slot[h] && strcmp(ts->t[ts->slot[h] - 1].lower, lw))
    h = (h + 1) & (ts->nslot - 1);
  if (ts->slot[h]) {
    free(lw);
    return JB_OK;
  }
  if (ts->n == ts->cap) {
    term *nt = realloc(ts->t, (ts->cap = ts->cap ? ts->cap * 2 : 256) * sizeof *nt);
    if (!nt) {
      free(lw);
      return JB_ENOMEM;
    }
    ts->t = nt;
  }
  ts->t[ts->n] = (term){strndup(text, len), lw, 0, 0, 0, 0, NULL};
  ts->slot[h] = ++ts->n;
  return ts->t[ts->n - 1].term ? JB_OK : JB_ENOMEM;
}

/* the words of a text worth suggesting: Han words of two characters or
 * more, Latin words of three letters or more (not numbers) */
static int add_words(jb_engine *e, termset *ts, const char *need, const char *text) {
  const jb_term *t;
  size_t n;
  if (!text || !*text)
    return JB_OK;
  int rc = jb_tokenize(e->map.tok, text, strlen(text), JB_TOK_WORDS, &t, &n);
  for (size_t i = 0; rc == JB_OK && i < n; i++) {
    int han = t[i].script == JB_SCRIPT_HAN;
    if (t[i].kind != JB_TERM_WORD || (!han && t[i].script != JB_SCRIPT_LATIN) ||
        t[i].len < (han ? 6u : 3u))
      continue;
    rc = add_term(ts, need, t[i].text, t[i].len);
  }
  return rc;
}

/* How many documents of the collection hold the term, at most: for a Han
 * term the fewest documents any of its Han bigrams is in (the G family every
 * text field feeds; the bigrams of one word mostly come together), else the
 * documents with the word in its commonest text field. At least 1. */
static double doc_freq(jb_engine *e, const char *lw) {
  size_t len = strlen(lw), nc = 0;
  const char *c[64];
  for (size_t k = 0; k < len && nc < 64; k += jb__u8_len((unsigned char)lw[k]))
    c[nc++] = lw + k;
  int han = nc >= 2 && nc < 64;
  for (size_t i = 0; han && i < nc; i++)
    han = jb__u8_len((unsigned char)*c[i]) == 3;
  double df = -1;
  if (han) {
    for (size_t i = 0; i + 1 < nc; i++) {
      double n = jb__term_docs(e, JB_PFX_BIGRAM, JB_IX_BIGRAM, c[i], (size_t)(c[i + 1] - c[i]) + 3);
      if (df < 0 || n < df)
        df = n;
    }
  } else {
    static const char *const f[] = {JB_PFX_TITLE, JB_PFX_KEYWORDS, JB_PFX_DESCRIPTION};
    for (int i = 0; i < 3; i++) {
      double n = jb__term_docs(e, f[i], JB_IX_WORD, lw, len);
      if (n > df)
        df = n;
    }
  }
  return df > 1 ? df : 1;
}

/* How far a term is from everyday language: 1 for a word the general
 * lexicon does not know, less the commoner it is there (能够, 发生, 范围
 * are rare in no collection's abstracts but common everywhere). */
static double plain(jb_engine *e, const char *lw) {
  return 1.0 / log(M_E + jb_lexicon_freq(e->lx, lw, strlen(lw)));
}

/* Suggestion knobs (docs/matching.md "Suggestions"; chosen on the tuned set
 * of bench/quality only): a term is generic when more than GENERIC of the
 * collection holds it (研究, 方法, 系统 ...); only the SCORED strongest by
 * support get their collection frequency looked up; a term needs
 * MIN_CARRIERS of the top. */
#define SUG_GENERIC 0.05
#define SUG_SCORED 80
#define SUG_MIN_CARRIERS 2
/* a carrier holding the term only in its abstract, not in its title or
 * keywords, counts this much: abstracts share their genre's words (优于,
 * 该文, 对照组) where titles and keywords name techniques (measured on the
 * tuned, held-out and long-form sets; docs/benchmarks.md) */
#define SUG_ABSTRACT_ONLY 0.2

/* the first place text holds word: for a Latin one a whole word (min is
 * not in mining, sar not in sarcoma), else anywhere; NULL when nowhere */
static const char *occurrence(const char *text, const char *word, int latin) {
  size_t n = strlen(word);
  for (const char *at = strstr(text, word); at; at = strstr(at + 1, word))
    if (!latin || ((at == text || !isalnum((unsigned char)at[-1])) && !isalnum((unsigned char)at[n])))
      return at;
  return NULL;
}

/* The terms of the top candidates the need lacks: their author keywords
 * whole, and the words of their titles, keywords and abstracts; each
 * carried by the candidates whose text holds it, scored by support (rank-
 * weighted carriers) times its specificity in the collection (IDF), generic
 * ones and near-duplicates of a stronger term (one inside the other) left
 * out. */
static int gather(jb_engine *e, const json_t *top, const char *need, term **out, size_t *nout) {
  termset ts = {NULL, 0, 0, NULL, 0};
  json_t *ms = json_object_get(top, "matches");
  size_t nd = json_array_size(ms);
  char **text = calloc(nd ? nd : 1, sizeof *text);
  size_t *head = calloc(nd ? nd : 1, sizeof *head); /* where the abstract starts */
  int rc = text && head ? JB_OK : JB_ENOMEM;
  for (size_t r = 0; rc == JB_OK && r < nd; r++) {
    const char *id = jb__sv(json_array_get(ms, r), "id");
    json_t *rec = id ? jb__load_record(e, JB_REC_OUTPUT, id) : NULL;
    const json_t *kw = json_object_get(rec, "keywords");
    const char *ti = jb__sv(rec, "title"), *ab = jb__sv(rec, "abstract");
    size_t tl = (ti ? strlen(ti) : 0) + (ab ? strlen(ab) : 0) + 3;
    for (size_t k = 0; k < json_array_size(kw); k++) {
      const char *w = json_string_value(json_array_get(kw, k));
      tl += (w ? strlen(w) : 0) + 1;
    }
    char *all = malloc(tl), *p = all;
    if (!all)
      rc = JB_ENOMEM;
    for (size_t k = 0; rc == JB_OK && k < json_array_size(kw); k++) {
      const char *w = json_string_value(json_array_get(kw, k));
      if (!w || !*w)
        continue;
      rc = add_term(&ts, need, w, strlen(w));
      if (rc == JB_OK)
        rc = add_words(e, &ts, need, w);
      p += sprintf(p, "%s\n", w);
    }
    if (rc == JB_OK)
      rc = add_words(e, &ts, need, ti);
    if (rc == JB_OK)
      rc = add_words(e, &ts, need, ab);
    if (all) {
      p += sprintf(p, "%s\n", ti ? ti : "");
      head[r] = (size_t)(p - all);
      p += sprintf(p, "%s", ab ? ab : "");
      text[r] = lowered(all, (size_t)(p - all));
      free(all);
      if (!text[r])
        rc = JB_ENOMEM;
    }
    json_decref(rec);
  }
  /* carriers and support */
  for (size_t i = 0; rc == JB_OK && i < ts.n; i++) {
    term *t = &ts.t[i];
    const char *at;
    /* a Latin word only an abstract holds is mostly a unit or a method's
     * initials (min, rsd, sem); in a title or keywords it names a technique
     * (sar, mppt, uasb) */
    int latin = (unsigned char)t->lower[0] < 0x80;
    if (!(t->by = json_array()))
      rc = JB_ENOMEM;
    for (size_t r = 0; rc == JB_OK && r < nd; r++)
      if (text[r] && (at = occurrence(text[r], t->lower, latin))) {
        t->carriers++;
        t->support += (at < text[r] + head[r] ? 1.0 : latin ? 0 : SUG_ABSTRACT_ONLY) / sqrt((double)(r + 1));
        json_array_append_new(t->by, json_string(jb__sv(json_array_get(ms, r), "id")));
      }
    /* a term one candidate alone holds is its author's, not what the top shares */
    t->score = t->carriers < SUG_MIN_CARRIERS ? 0 : t->support;
  }
  /* specificity of the strongest by support, from the collection */
  uint64_t ndocs = 0;
  if (rc == JB_OK && ts.n) {
    qsort(ts.t, ts.n, sizeof *ts.t, by_score);
    if (jb_index_doccount(e->ix, &ndocs) != JB_OK || ndocs < 1)
      ndocs = 1;
  }
  size_t ns = ts.n < SUG_SCORED ? ts.n : SUG_SCORED;
  for (size_t i = 0; rc == JB_OK && i < ns && ts.t[i].score > 0; i++) {
    term *t = &ts.t[i];
    double df = doc_freq(e, t->lower);
    t->idf = df > SUG_GENERIC * (double)ndocs ? 0 : log((double)ndocs / df);
    t->score *= t->idf * plain(e, t->lower);
  }
  for (size_t i = ns; i < ts.n; i++)
    ts.t[i].score = 0;
  if (rc == JB_OK && ns) /* ts.t is NULL when the top shares no term */
    qsort(ts.t, ns, sizeof *ts.t, by_score);
  /* near-duplicates: a term inside a stronger one, or holding one */
  size_t kept = 0;
  for (size_t i = 0; rc == JB_OK && i < ns; i++) {
    term *t = &ts.t[i];
    int dup = !(t->score > 0);
    for (size_t j = 0; !dup && j < kept; j++)
      dup = strstr(ts.t[j].lower, t->lower) || strstr(t->lower, ts.t[j].lower);
    if (dup)
      continue;
    term tmp = ts.t[kept];
    ts.t[kept++] = *t;
    *t = tmp;
  }
  for (size_t r = 0; text && r < nd; r++)
    free(text[r]);
  free(text);
  free(head);
  free(ts.slot);
  if (rc != JB_OK) {
    terms_free(ts.t, ts.n);
    return rc;
  }
  /* the rest are freed here; the kept ones go to the caller */
  for (size_t i = kept; i < ts.n; i++) {
    free(ts.t[i].term);
    free(ts.t[i].lower);
    json_decref(ts.t[i].by);
  }
  *out = ts.t;
  *nout = kept;
  return JB_OK;
}

int jb_engine_suggest(jb_engine *e, const char *id, const jb_match_weights *weights, size_t limit,
                      char **json) {
  if (!e || !id || !json)
    return JB_EINVAL;
  *json = NULL;
  e->err[0] = '\0';
  if (limit < 1 || limit > 50)
    return JB__EM(e, JB_EINVAL, "limit", limit_range, 50);
  jb_match_weights w;
  if (weights)
    w = *weights;
  else
    jb_match_weights_init(&w);
  json_t *ch = jb__challenge_of(e, id), *top = NULL, *out = NULL, *now = NULL;
  if (!ch)
    return JB_ENOENT;
  jb_match_req r;
  jb_match_req_init(&r);
  r.id = id;
  term *t = NULL;
  size_t n = 0;
  char *need = jb__suggest_need_text(ch);
  int rc = need ? jb__match_challenge(e, &r, &w, ch, &top) : JB_ENOMEM;
  if (rc == JB_OK)
    rc = gather(e, top, need, &t, &n);
  if (rc == JB_OK) {
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
                                    "support", round(t[i].score * 1e4) / 1e4, "carried_by",
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
