/* match.c: explained, two-directional matching (docs/matching.md).
 *
 * 1. Recall: a weighted query from the record's text (title above indicators
 *    and keywords above problem and description; words above stems above
 *    bigrams) retrieves `recall` candidates with BM25 under the hard filters
 *    (type, issuer excluded, eligible org kinds and regions; for the reverse
 *    direction: published challenges whose deadline has not passed).
 * 2. Re-rank: score = sum of weight x feature over text, field, trl, region,
 *    freshness, track, funding; every contribution is reported.
 * 3. Orgs are ranked from their outputs, experts and profile, with evidence.
 * Ties are broken by type and id: the same data gives the same order. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine_int.h"
#include "engine/record.h"

void jb_match_weights_init(jb_match_weights *w) {
  w->text = 0.50;
  w->field = 0.20;
  w->trl = 0.10;
  w->region = 0.08;
  w->freshness = 0.07;
  w->track = 0.05;
  w->funding = 0.05;
  w->recall = 100;
  w->elite = 60;
  w->words = 0.5;
  w->stems = 0.5;
  w->bigrams = 1.0;
  w->unigrams = 1.0;
  w->expand = 0; /* off: +0.005 keyword task, 0 on needs, 2x the time */
  w->expand_docs = 3;
  w->expand_terms = 10;
  w->src_title = 3.0;
  w->src_indicators = 2.0;
  w->src_keywords = 2.0;
  w->src_problem = 1.5;
  w->src_description = 1.0;
  w->cascade = 1;
  w->recall_share = 0;
  w->specific = 1.0;
}

int jb_match_weights_load(jb_match_weights *w, const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return JB_EIO;
  }
  char line[512];
  int lineno = 0, rc = JB_OK;
  while (rc == JB_OK && fgets(line, sizeof line, f)) {
    lineno++;
    char *p = line;
    while (isspace((unsigned char)*p))
      p++;
    if (*p == '#' || *p == '\0')
      continue;
    char key[64];
    double v;
    char *end;
    char *eq = strchr(p, '=');
    if (!eq || sscanf(p, "%63[a-z._ ]", key) != 1) {
      snprintf(err, errlen, "%s:%d: expected 'key = value'", path, lineno);
      rc = JB_ESYNTAX;
      break;
    }
    for (char *k = key + strlen(key); k > key && k[-1] == ' '; k--)
      k[-1] = '\0';
    v = strtod(eq + 1, &end);
    while (isspace((unsigned char)*end))
      end++;
    if (end == eq + 1 || *end || !(v >= 0) || v > 1e6) {
      snprintf(err, errlen, "%s:%d: %s: value must be a number >= 0", path, lineno, key);
      rc = JB_ESYNTAX;
      break;
    }
    static const char *const names[] = {"match.text",   "match.field",     "match.trl",
                                         "match.region", "match.freshness", "match.track",
                                         "match.words",  "match.stems",     "match.bigrams",
                                         "match.unigrams", "match.expand",
                                         "match.source_title", "match.source_indicators",
                                         "match.source_keywords", "match.source_problem",
                                         "match.source_description", "match.funding",
                                         "match.cascade", "match.recall_share", "match.specific"};
    double *slots[] = {&w->text,          &w->field,          &w->trl,          &w->region,
                       &w->freshness,     &w->track,          &w->words,        &w->stems,
                       &w->bigrams,       &w->unigrams,       &w->expand,       &w->src_title,
                       &w->src_indicators, &w->src_keywords,  &w->src_problem,  &w->src_description,
                       &w->funding,       &w->cascade,        &w->recall_share,       &w->specific};
    _Static_assert(sizeof names / sizeof *names == sizeof slots / sizeof *slots,
                   "a slot for every key");
    int known = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
      if (!strcmp(key, names[i])) {
        *slots[i] = v;
        known = 1;
      }
    /* whole-number keys with their ranges */
    static const struct {
      const char *name;
      long min, max;
    } ints[] = {{"match.elite", 0, 100000},
                {"match.recall", 10, 5000},
                {"match.expand_docs", 0, 50},
                {"match.expand_terms", 0, 100}};
    size_t *islots[] = {&w->elite, &w->recall, &w->expand_docs, &w->expand_terms};
    for (size_t i = 0; i < sizeof ints / sizeof *ints && rc == JB_OK; i++) {
      if (strcmp(key, ints[i].name))
        continue;
      if (v < (double)ints[i].min || v > (double)ints[i].max || v != floor(v)) {
        snprintf(err, errlen, "%s:%d: %s must be a whole number from %ld to %ld", path, lineno,
                 ints[i].name, ints[i].min, ints[i].max);
        rc = JB_ESYNTAX;
        break;
      }
      *islots[i] = (size_t)v;
      known = 1;
    }
    if (rc != JB_OK)
      break;
    if (!known) {
      snprintf(err, errlen, "%s:%d: unknown key '%s'", path, lineno, key);
      rc = JB_ESYNTAX;
    }
  }
  fclose(f);
  return rc;
}

/* ---- features ------------------------------------------------------------------ */

static const char *str(const json_t *o, const char *k) {
  const json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static int segments(const char *c) {
  int n = 1;
  for (; *c; c++)
    n += *c == '/';
  return n;
}

/* shared leading segments of two codes */
static int shared(const char *a, const char *b) {
  int n = 0;
  for (;;) {
    size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
    if (la != lb || strncmp(a, b, la))
      return n;
    n++;
    if (!a[la] || !b[lb])
      return n;
    a += la + 1;
    b += lb + 1;
  }
}

/* mean over the need's codes of the best prefix credit among the candidate's */
static double field_overlap(const json_t *need, const json_t *cand) {
  size_t n = json_array_size(need), m = json_array_size(cand);
  if (!n || !m)
    return 0;
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    const char *a = json_string_value(json_array_get(need, i));
    double best = 0;
    for (size_t j = 0; j < m; j++) {
      const char *b = json_string_value(json_array_get(cand, j));
      int sa = segments(a), sb = segments(b);
      double c = (double)shared(a, b) / (double)(sa > sb ? sa : sb);
      if (c > best)
        best = c;
    }
    sum += best;
  }
  return sum / (double)n;
}

/* readiness of an output for a need that starts at now and aims at target */
static double trl_fit(const json_t *need, const json_t *out) {
  const json_t *t = json_object_get(out, "trl");
  if (!json_is_integer(t))
    return 0;
  long trl = (long)json_integer_value(t);
  const json_t *a = json_object_get(need, "trl_now"), *b = json_object_get(need, "trl_target");
  long now = json_is_integer(a) ? (long)json_integer_value(a) : 1;
  long target = json_is_integer(b) ? (long)json_integer_value(b) : (now > 6 ? now : 6);
  if (trl >= target)
    return 1;
  if (trl >= now)
    return 0.5 + 0.5 * (double)(trl - now) / (double)(target - now > 0 ? target - now : 1);
  double f = 0.5 - 0.125 * (double)(now - trl);
  return f > 0 ? f : 0;
}

static double region_prox(const char *a, const char *b) {
  if (!a || !b || strlen(a) != 6 || strlen(b) != 6)
    return 0;
  if (!strncmp(a, b, 6))
    return 1;
  if (!strncmp(a, b, 4))
    return 0.7;
  if (!strncmp(a, b, 2))
    return 0.4;
  return 0.1; /* same country: both have a (Chinese) division code */
}

static int this_year(void) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

/* how much of an output's stated price the challenge's funding covers: 1
 * when the price is within it, funding / price above it; 0 when either is
 * not stated or both name different currencies (no evidence either way) */
static double funding_fit(const json_t *funding, const json_t *price) {
  const json_t *fa = json_object_get(funding, "amount"), *pa = json_object_get(price, "amount");
  if (!json_is_number(fa) || !json_is_number(pa))
    return 0;
  const char *fc = str(funding, "currency"), *pc = str(price, "currency");
  if (fc && pc && strcmp(fc, pc))
    return 0;
  double f = json_number_value(fa), p = json_number_value(pa);
  if (p <= f)
    return 1;
  return f / p;
}

static double freshness(int year) {
  if (year <= 0)
    return 0;
  double f = 1.0 - (double)(this_year() - year) / 10.0;
  return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* ---- query building ---------------------------------------------------------------- */

/* terms taken from a long text (problem, description, abstract, bio): its
 * beginning states the need; more terms cost time and add little */
#define LONG_CAP 80
/* records of evidence named per query item */
#define EV_SRCS 4

typedef struct {
  jb_ixquery *q;
  char **label;        /* item -> word */
  char *field;         /* item -> field letter */
  size_t n;
  const char *targets; /* the text fields the candidates have: "TKD" ... */
  unsigned elite;      /* recall ORs only this many strongest items */
  int whole;           /* the cascade's second stage: every term, no cap */
  const jb_match_weights *w;
  /* evidence (reverse matching from an org's or expert's work): the first
   * EV_SRCS records of its work that gave each item ("output:ID"; the query
   * record itself is not listed), the one being added, and the labels,
   * owned here */
  const char *(*src)[EV_SRCS];
  const char *cur;
  char **srcs;
  size_t nsrcs;
} qbuild;

/* adds a query item and records its word (none for n-grams) and field */
static int qadd(jb_engine *e, qbuild *b, const char *field, int kind, const char *text, size_t len,
                double w) {
  (void)e;
  int idx = jb_ixquery_add(b->q, field, kind, text, len, w);
  if (idx < 0)
    return idx;
  if ((size_t)idx >= b->n) {
    size_t cap = (size_t)idx + 64;
    char **l = realloc(b->label, cap * sizeof *l);
    if (!l)
      return JB_ENOMEM;
    b->label = l;
    char *f = realloc(b->field, cap);
    if (!f)
      return JB_ENOMEM;
    b->field = f;
    const char *(*sr)[EV_SRCS] = realloc(b->src, cap * sizeof *sr);
    if (!sr)
      return JB_ENOMEM;
    b->src = sr;
    memset(b->label + b->n, 0, (cap - b->n) * sizeof *l);
    memset(b->field + b->n, 0, cap - b->n);
    memset(b->src + b->n, 0, (cap - b->n) * sizeof *sr);
    b->n = cap;
  }
  for (int k = 0; b->cur && k < EV_SRCS; k++) {
    if (b->src[idx][k] == b->cur)
      break;
    if (!b->src[idx][k]) {
      b->src[idx][k] = b->cur;
      break;
    }
  }
  if (!b->label[idx]) {
    b->label[idx] = kind == JB_IX_BIGRAM || field[0] == 'U' ? NULL : strndup(text, len);
    b->field[idx] = field[0];
  }
  return JB_OK;
}

/* the single characters that are function words in technical Chinese
 * (particles, prepositions, conjunctions, pronouns, light verbs) */
static int function_char(const char *s, size_t len) {
  static const char set[] = "的地得了着过在与和及或对为是中于以之其而并由从向把被将等上下也都又就"
                            "所这那此各个种用有无不可能会要需使让做后前内外间时一二两每给"
                            "至自到按经且但若则即因如很更最较已未还再们我你他它";
  char key[8];
  if (len == 0 || len >= sizeof key)
    return 0;
  memcpy(key, s, len);
  key[len] = '\0';
  return strstr(set, key) != NULL;
}

/* the end of the sentence that starts at s: after 。！？；, a newline or
 * ASCII . ! ? ; followed by a space, or the end of the text */
static const char *sentence_end(const char *s) {
  static const char *const stops[] = {"。", "！", "？", "；"}; /* 3 bytes each */
  for (const char *p = s; *p; p++) {
    if (*p == '\n' || (strchr(".!?;", *p) && (p[1] == ' ' || !p[1])))
      return p + 1;
    for (size_t k = 0; k < sizeof stops / sizeof *stops; k++)
      if (!strncmp(p, stops[k], 3))
        return p + 3;
  }
  return s + strlen(s);
}

typedef struct {
  size_t off, len, order, terms;
  double common; /* mean log lexicon frequency of its words: low is specific */
} sentence;

static int by_specific(const void *a, const void *b) {
  const sentence *x = a, *y = b;
  if (x->common != y->common)
    return x->common < y->common ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static int by_order(const void *a, const void *b) {
  const sentence *x = a, *y = b;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* For a long text with more than `cap` terms: its most specific sentences
 * (those whose words are rarest in the lexicon: a need's technical sentences
 * over its boilerplate), in their own order, as long as they fit in the cap
 * (the most specific one always). *out is a malloc'd text for the caller to
 * free. */
static int specific_sentences(jb_engine *e, const char *text, size_t cap, char **out) {
  *out = NULL;
  const jb_term *t;
  size_t n;
  int rc = JB_OK;
  size_t ns = 0, ncap = 16;
  sentence *sv = malloc(ncap * sizeof *sv);
  for (const char *p = text; sv && *p && rc == JB_OK;) {
    const char *end = sentence_end(p);
    if (ns == ncap) {
      sentence *nv = realloc(sv, (ncap *= 2) * sizeof *sv);
      if (!nv) {
        rc = JB_ENOMEM;
        break;
      }
      sv = nv;
    }
    sentence *x = &sv[ns];
    x->off = (size_t)(p - text);
    x->len = (size_t)(end - p);
    x->order = ns++;
    rc = jb_tokenize(e->map.tok, p, x->len, JB_TOK_INDEX, &t, &n);
    double sum = 0;
    size_t words = 0;
    for (size_t i = 0; rc == JB_OK && i < n; i++)
      if (t[i].kind == JB_TERM_WORD && t[i].len > 3) { /* two characters or more */
        sum += log1p(jb_lexicon_freq(e->lx, t[i].text, t[i].len));
        words++;
      }
    x->terms = n;
    x->common = words ? sum / (double)words : 1e9;
    p = end;
  }
  if (!sv || rc != JB_OK) {
    free(sv);
    return rc != JB_OK ? rc : JB_ENOMEM;
  }
  qsort(sv, ns, sizeof *sv, by_specific);
  size_t keep = 0, used = 0;
  while (keep < ns && (keep == 0 || used + sv[keep].terms <= cap))
    used += sv[keep++].terms;
  qsort(sv, keep, sizeof *sv, by_order);
  size_t len = 0;
  for (size_t i = 0; i < keep; i++)
    len += sv[i].len + 1;
  char *o = malloc(len + 1), *q = o;
  for (size_t i = 0; o && i < keep; i++) {
    memcpy(q, text + sv[i].off, sv[i].len);
    q += sv[i].len;
    *q++ = '\n';
  }
  if (o)
    *q = '\0';
  free(sv);
  *out = o;
  return o ? JB_OK : JB_ENOMEM;
}

/* The whole need (the cascade's second stage): a word counts as much as it
 * is specific, (1 / (1 + log10(1 + f)))^match.specific with f its frequency
 * in the lexicon, so a company's boilerplate (我公司, 合作, 研究) does not
 * outweigh its problem (碳化硅, 银烧结). Bigrams keep their weight (weighing
 * them by their own frequency measured worse: docs/benchmarks.md). 1 in the
 * recall. */
static double specific(jb_engine *e, const qbuild *b, const jb_term *t) {
  if (!b->whole || b->w->specific <= 0)
    return 1;
  return pow(1.0 / (1.0 + log10(1.0 + jb_lexicon_freq(e->lx, t->text, t->len))), b->w->specific);
}

/* adds the terms of one source text, weight w, capped at `cap` terms (a long
 * text: its most specific sentences, specific_sentences). A long text (cap
 * LONG_CAP) gives no unigrams: its characters' long posting lists cost a
 * third of the time at 100k outputs and added nothing measured
 * (docs/benchmarks.md); the short sources (title, indicators, keywords) do. */
static int add_source(jb_engine *e, qbuild *b, const char *text, double w, size_t cap) {
  int is_long = cap == LONG_CAP;
  if (!text || !*text || w <= 0)
    return JB_OK;
  const jb_term *t;
  size_t n;
  int rc = jb_tokenize(e->map.tok, text, strlen(text), JB_TOK_INDEX, &t, &n);
  if (rc != JB_OK)
    return rc;
  /* a long text over its budget: its most specific sentences, tokenized anew
   * (the whole need of the cascade's second stage keeps every term) */
  char *picked = NULL;
  if (is_long && n > cap && !b->whole) {
    if ((rc = specific_sentences(e, text, cap, &picked)) == JB_OK)
      rc = jb_tokenize(e->map.tok, picked, strlen(picked), JB_TOK_INDEX, &t, &n);
    if (rc != JB_OK) {
      free(picked);
      return rc;
    }
  }
  static const struct {
    const char *f;
    double w;
  } fields[] = {{"T", 1.0}, {"K", 0.9}, {"P", 0.8}, {"I", 0.8}, {"D", 0.6}, {"C", 0.4}};
  if (n > cap && !b->whole)
    n = cap;
  for (size_t i = 0; i < n && rc == JB_OK; i++) {
    if (t[i].kind == JB_TERM_BIGRAM) {
      if (b->w->bigrams > 0)
        rc = qadd(e, b, "G", JB_IX_BIGRAM, t[i].text, t[i].len, w * b->w->bigrams);
      continue;
    }
    /* the characters of a Han word, against the unigram family U */
    if (t[i].kind == JB_TERM_WORD && t[i].script == JB_SCRIPT_HAN && b->w->unigrams > 0 && !is_long)
      for (uint32_t k = 0; k < t[i].len && rc == JB_OK;) {
        uint32_t cl = jb__u8_len((unsigned char)t[i].text[k]);
        rc = qadd(e, b, "U", JB_IX_WORD, t[i].text + k, cl, w * b->w->unigrams);
        k += cl;
      }
    /* a single Han character as a word is a function word (的 与 在),
     * left to the unigrams, or a content word (锌 锑 氮) kept as a word */
    if (t[i].kind == JB_TERM_WORD && t[i].script == JB_SCRIPT_HAN && t[i].len <= 4 &&
        function_char(t[i].text, t[i].len))
      continue;
    double kw = t[i].kind == JB_TERM_WORD ? b->w->words : b->w->stems;
    if (kw <= 0)
      continue;
    kw *= specific(e, b, &t[i]);
    for (size_t f = 0; f < sizeof fields / sizeof *fields && rc == JB_OK; f++)
      if (strchr(b->targets, fields[f].f[0]))
        rc = qadd(e, b, fields[f].f, t[i].kind, t[i].text, t[i].len, w * kw * fields[f].w);
    if (rc == JB_OK && t[i].kind == JB_TERM_WORD && t[i].script == JB_SCRIPT_LATIN)
      rc = qadd(e, b, "T", JB_IX_PINYIN, t[i].text, t[i].len, w);
  }
  free(picked);
  return rc;
}

static int add_list(jb_engine *e, qbuild *b, const json_t *arr, double w) {
  int rc = JB_OK;
  for (size_t i = 0; rc == JB_OK && i < json_array_size(arr); i++)
    rc = add_source(e, b, json_string_value(json_array_get(arr, i)), w, 64);
  return rc;
}

static int add_indicators(jb_engine *e, qbuild *b, const json_t *ind, double w) {
  int rc = JB_OK;
  for (size_t i = 0; rc == JB_OK && i < json_array_size(ind); i++)
    rc = add_source(e, b, str(json_array_get(ind, i), "name"), w, 64);
  return rc;
}

static void qfree(qbuild *b) {
  for (size_t i = 0; i < b->n; i++)
    free(b->label[i]);
  free(b->label);
  free(b->field);
  free(b->src);
  for (size_t i = 0; i < b->nsrcs; i++)
    free(b->srcs[i]);
  free(b->srcs);
  jb_ixquery_free(b->q);
}

#define NFEAT 7

/* a score as reported: rounded to 6 decimals */
static double r6(double x) { return round(x * 1e6) / 1e6; }

/* ---- candidates ----------------------------------------------------------------------- */

typedef struct {
  char type[16];
  char *id;
  json_t *rec;  /* the candidate record */
  json_t *org;  /* its org (its own record for an org) */
  double bm25, score;
  double f[NFEAT]; /* contributions: text field trl region freshness track funding */
  int *items;
  size_t nitems;
  /* orgs: evidence */
  int nev;
  size_t ev[3];
  double evs[3], profile;
  size_t prof; /* 1 + index of the org's own profile candidate, 0 for none */
} cand;

static const char *const FEATURES[NFEAT] = {"text",      "field", "trl",    "region",
                                             "freshness", "track", "funding"};

static int cand_cmp(const void *a, const void *b) {
  const cand *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  int c = strcmp(x->type, y->type);
  return c ? c : strcmp(x->id, y->id);
}

static void cands_free(cand *c, size_t n) {
  for (size_t i = 0; c && i < n; i++) {
    free(c[i].id);
    free(c[i].items);
    json_decref(c[i].rec);
    json_decref(c[i].org);
  }
  free(c);
}

/* Works out the matched query items of the candidates `which` (pointers
 * into the candidate array) with one search limited to them. */
static int fill_matched(jb_engine *e, qbuild *b, cand **which, size_t n) {
  if (n == 0)
    return JB_OK;
  const char **types = malloc(n * sizeof *types), **ids = malloc(n * sizeof *ids);
  int rc = types && ids ? JB_OK : JB_ENOMEM;
  for (size_t i = 0; rc == JB_OK && i < n; i++) {
    types[i] = which[i]->type;
    ids[i] = which[i]->id;
  }
  jb_ixresults *res = NULL;
  if (rc == JB_OK && (rc = jb_ixquery_only(b->q, types, ids, n)) == JB_OK &&
      (rc = jb_ixquery_set_matched(b->q, 1)) == JB_OK &&
      (rc = jb_index_search(e->ix, b->q, 0, n, &res)) != JB_OK)
    jb__eset(e, rc, "search: %s", jb_index_error(e->ix));
  for (size_t h = 0; rc == JB_OK && h < jb_ixresults_count(res); h++) {
    const char *t, *id;
    const int *items;
    size_t ni;
    jb_ixresults_hit(res, h, &t, &id, NULL, NULL);
    jb_ixresults_matched(res, h, &items, &ni);
    for (size_t i = 0; i < n; i++) {
      cand *c = which[i];
      if (strcmp(c->type, t) || strcmp(c->id, id) || c->nitems)
        continue;
      free(c->items);
      c->items = malloc((ni ? ni : 1) * sizeof *c->items);
      if (!c->items) {
        rc = JB_ENOMEM;
        break;
      }
      if (ni)
        memcpy(c->items, items, ni * sizeof *items);
      c->nitems = ni;
    }
  }
  jb_ixresults_free(res);
  jb_ixquery_only(b->q, NULL, NULL, 0);
  jb_ixquery_set_matched(b->q, 0);
  free(types);
  free(ids);
  return rc;
}

static int run_recall(jb_engine *e, qbuild *b, size_t limit, cand **out, size_t *nout) {
  jb_ixresults *res;
  *out = NULL;
  *nout = 0;
  jb_ixquery_set_matched(b->q, 0);
  jb_ixquery_elite(b->q, b->elite);
  int rc = jb_index_search(e->ix, b->q, 0, limit, &res);
  if (rc != JB_OK)
    return jb__eset(e, rc, "search: %s", jb_index_error(e->ix));
  size_t n = jb_ixresults_count(res);
  cand *c = calloc(n ? n : 1, sizeof *c);
  if (!c) {
    jb_ixresults_free(res);
    return JB_ENOMEM;
  }
  /* candidates share orgs (a university's many outputs): each org is read once */
  json_t **orgs = calloc(n ? n : 1, sizeof *orgs);
  size_t norgs = 0;
  if (!orgs) {
    free(c);
    jb_ixresults_free(res);
    return JB_ENOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    const char *t, *id;
    const int *items;
    size_t ni;
    jb_ixresults_hit(res, i, &t, &id, &c[i].bm25, NULL);
    jb_ixresults_matched(res, i, &items, &ni);
    snprintf(c[i].type, sizeof c[i].type, "%s", t);
    c[i].id = strdup(id);
    c[i].items = malloc((ni ? ni : 1) * sizeof *c[i].items);
    if (!c[i].id || !c[i].items) {
      cands_free(c, i + 1);
      for (size_t j = 0; j < norgs; j++)
        json_decref(orgs[j]);
      free(orgs);
      jb_ixresults_free(res);
      return JB_ENOMEM;
    }
    if (ni) /* items may be NULL when there are none */
      memcpy(c[i].items, items, ni * sizeof *items);
    c[i].nitems = ni;
    c[i].rec = jb__load_record(e, jb_rec_type_of(t), id);
    if (!strcmp(t, "org")) {
      c[i].org = json_incref(c[i].rec);
    } else if (c[i].rec && str(c[i].rec, "org")) {
      const char *oid = str(c[i].rec, "org");
      size_t j = 0;
      while (j < norgs && strcmp(str(orgs[j], "id") ? str(orgs[j], "id") : "", oid))
        j++;
      if (j == norgs && (orgs[j] = jb__load_record(e, JB_REC_ORG, oid)) != NULL)
        norgs++;
      c[i].org = j < norgs ? json_incref(orgs[j]) : NULL;
    }
  }
  for (size_t j = 0; j < norgs; j++)
    json_decref(orgs[j]);
  free(orgs);
  jb_ixresults_free(res);
  *out = c;
  *nout = n;
  return JB_OK;
}

/* Drops candidates whose BM25 is below 5 % of the best: they matched on
 * generic words only. Returns the new count (the array keeps its order). */
static size_t cut_weak(cand *c, size_t n, double maxb) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (c[i].bm25 >= 0.05 * maxb) {
      cand tmp = c[o];
      c[o] = c[i];
      c[i] = tmp;
      o++;
    }
  }
  return o;
}

/* Query expansion (pseudo-relevance feedback): the strongest terms of the
 * best first-pass candidates c[0..keep) in the text fields `fields` join the
 * query, weighted by their strength relative to the first. A short need
 * ("风机主轴承早期故障预警") gains the vocabulary its best answers share
 * (振动信号, 故障特征). Sets *added to the number of terms added. */
static int expand_query(jb_engine *e, qbuild *b, const cand *c, size_t keep,
                        const char *const *fields, size_t nfields, size_t *added) {
  const jb_match_weights *w = b->w;
  size_t nd = keep < w->expand_docs ? keep : w->expand_docs;
  *added = 0;
  if (nd == 0 || w->expand_terms == 0 || !(w->expand > 0))
    return JB_OK;
  const char *types[50], *ids[50];
  for (size_t i = 0; i < nd && i < 50; i++) {
    types[i] = c[i].type;
    ids[i] = c[i].id;
  }
  jb_ixexpand_term *t = NULL;
  size_t nt = 0;
  int rc = jb_index_expand(e->ix, types, ids, nd, fields, nfields, 0, w->expand_terms, &t, &nt);
  if (rc != JB_OK)
    return jb__eset(e, rc, "expand: %s", jb_index_error(e->ix));
  for (size_t i = 0; rc == JB_OK && i < nt; i++)
    if (t[0].weight > 0 && t[i].weight > 0)
      rc = add_source(e, b, t[i].text, w->expand * t[i].weight / t[0].weight, 8);
  *added = rc == JB_OK ? nt : 0;
  jb_ixexpand_free(t, nt);
  return rc;
}

/* the features of candidate c against the need (a challenge, or for the
 * reverse direction the candidate is the challenge and need the record) */
static void score(cand *c, const json_t *challenge, const json_t *other, const json_t *other_org,
                  double maxbm25, const jb_match_weights *w) {
  const json_t *out = !strcmp(c->type, "output") ? c->rec
                      : json_is_object(other) && !strcmp(str(other, "type"), "output") ? other
                                                                                       : NULL;
  const json_t *exp = !strcmp(c->type, "expert") ? c->rec
                      : json_is_object(other) && !strcmp(str(other, "type"), "expert") ? other
                                                                                       : NULL;
  const json_t *side = c->rec == challenge ? other : c->rec;
  const json_t *side_org = c->rec == challenge ? other_org : c->org;
  c->f[0] = w->text * (maxbm25 > 0 ? c->bm25 / maxbm25 : 0);
  c->f[1] = w->field * field_overlap(json_object_get(challenge, "fields"),
                                     json_object_get(side, "fields"));
  c->f[2] = out ? w->trl * trl_fit(challenge, out) : 0;
  c->f[3] = w->region * region_prox(str(challenge, "region"), str(side_org, "region"));
  int year = 0;
  if (out && json_is_integer(json_object_get(out, "year")))
    year = (int)json_integer_value(json_object_get(out, "year"));
  if (exp && json_is_integer(json_object_get(exp, "active_year")))
    year = (int)json_integer_value(json_object_get(exp, "active_year"));
  c->f[4] = w->freshness * freshness(year);
  c->f[5] = 0;
  if (exp && json_is_integer(json_object_get(exp, "outputs_count"))) {
    double tr = log1p((double)json_integer_value(json_object_get(exp, "outputs_count"))) / log(101);
    c->f[5] = w->track * (tr > 1 ? 1 : tr);
  }
  c->f[6] = out ? w->funding * funding_fit(json_object_get(challenge, "funding"),
                                            json_object_get(out, "price"))
                 : 0;
  c->score = 0;
  for (int k = 0; k < NFEAT; k++)
    c->score += c->f[k];
}

/* Scores candidates c[0..n) against a challenge (NULL: each candidate is the
 * challenge and `other` the record matched from), drops the weak ones and
 * sorts the rest best first. Returns how many are kept. */
static size_t rank_cands(cand *c, size_t n, const json_t *challenge, const json_t *other,
                         const json_t *other_org, const jb_match_weights *w) {
  double maxb = 0;
  for (size_t i = 0; i < n; i++)
    if (c[i].bm25 > maxb)
      maxb = c[i].bm25;
  size_t keep = cut_weak(c, n, maxb);
  for (size_t i = 0; i < keep; i++)
    score(&c[i], challenge ? challenge : c[i].rec, other, other_org, maxb, w);
  qsort(c, keep, sizeof *c, cand_cmp);
  return keep;
}

/* Recall, re-rank, and (when configured) expand the query from the best
 * candidates and do both again. xf: the text fields to expand from. */
/* The cascade's second stage: the recalled candidates re-scored by the
 * whole need (b2) in one search limited to them, under the collection's
 * statistics; each candidate's text score becomes recall_share x its recall BM25
 * + (1 - recall_share) x its whole-need BM25 (each over its best); the
 * matched items of those shown are the whole need's (fill_matched with b2). */
static int rescore(jb_engine *e, qbuild *b2, cand *c, size_t n) {
  if (n == 0)
    return JB_OK;
  const char **types = malloc(n * sizeof *types), **ids = malloc(n * sizeof *ids);
  double *bm2 = calloc(n, sizeof *bm2);
  int rc = types && ids && bm2 ? JB_OK : JB_ENOMEM;
  for (size_t i = 0; rc == JB_OK && i < n; i++) {
    types[i] = c[i].type;
    ids[i] = c[i].id;
  }
  jb_ixresults *res = NULL;
  /* scores only: the matched words are worked out for the candidates shown
   * (fill_matched with b2), as listing them for every candidate costs more
   * than the scoring itself */
  if (rc == JB_OK && (rc = jb_ixquery_only(b2->q, types, ids, n)) == JB_OK &&
      (rc = jb_ixquery_set_matched(b2->q, 0)) == JB_OK &&
      (rc = jb_index_search(e->ix, b2->q, 0, n, &res)) != JB_OK)
    jb__eset(e, rc, "search: %s", jb_index_error(e->ix));
  double max1 = 0, max2 = 0;
  for (size_t i = 0; i < n; i++)
    if (c[i].bm25 > max1)
      max1 = c[i].bm25;
  for (size_t h = 0; rc == JB_OK && h < jb_ixresults_count(res); h++) {
    const char *t, *id;
    double bm;
    jb_ixresults_hit(res, h, &t, &id, &bm, NULL);
    for (size_t i = 0; i < n; i++) {
      if (strcmp(c[i].type, t) || strcmp(c[i].id, id))
        continue;
      bm2[i] = bm;
      if (bm > max2)
        max2 = bm;
      c[i].nitems = 0; /* the recall's items are not the whole need's */
      break;
    }
  }
  double s1 = b2->w->recall_share;
  for (size_t i = 0; rc == JB_OK && i < n; i++)
    c[i].bm25 = s1 * (max1 > 0 ? c[i].bm25 / max1 : 0) + (1 - s1) * (max2 > 0 ? bm2[i] / max2 : 0);
  jb_ixresults_free(res);
  jb_ixquery_only(b2->q, NULL, NULL, 0);
  free(types);
  free(ids);
  free(bm2);
  return rc;
}

/* Recall (b), the cascade's second stage when b2 is given, then the
 * features: the ranked candidates in *c (*keep of *n kept). */
static int recall_ranked(jb_engine *e, qbuild *b, qbuild *b2, const json_t *challenge,
                         const json_t *other, const json_t *other_org, const char *const *xf,
                         size_t nxf, cand **c, size_t *n, size_t *keep) {
  *keep = 0;
  int rc = run_recall(e, b, b->w->recall, c, n);
  if (rc == JB_OK && b2)
    rc = rescore(e, b2, *c, *n);
  if (rc != JB_OK)
    return rc;
  *keep = rank_cands(*c, *n, challenge, other, other_org, b->w);
  size_t added = 0;
  rc = expand_query(e, b, *c, *keep, xf, nxf, &added);
  if (rc == JB_OK && added) {
    cands_free(*c, *n);
    *c = NULL;
    *n = *keep = 0;
    rc = run_recall(e, b, b->w->recall, c, n);
    if (rc == JB_OK && b2)
      rc = rescore(e, b2, *c, *n);
    if (rc == JB_OK)
      *keep = rank_cands(*c, *n, challenge, other, other_org, b->w);
  }
  return rc;
}

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

/* adds word to the list under key in obj (made when absent), once */
static void add_word(json_t *obj, const char *key, const char *word) {
  json_t *arr = json_object_get(obj, key);
  if (!arr) {
    arr = json_array();
    json_object_set_new(obj, key, arr);
  }
  for (size_t k = 0; k < json_array_size(arr); k++)
    if (!strcmp(json_string_value(json_array_get(arr, k)), word))
      return;
  json_array_append_new(arr, json_string(word));
}

static json_t *explain(const cand *c, const qbuild *b) {
  json_t *terms = json_object(), *feat = json_object();
  for (size_t i = 0; i < c->nitems; i++) {
    int it = c->items[i];
    if ((size_t)it < b->n && b->label[it])
      add_word(terms, field_name(b->field[it]), b->label[it]);
  }
  for (int k = 0; k < NFEAT; k++)
    json_object_set_new(feat, FEATURES[k], json_real(r6(c->f[k])));
  json_t *ex = json_object();
  json_object_set_new(ex, "terms", terms);
  json_object_set_new(ex, "features", feat);
  /* the query's own work that matched: which of its outputs and experts
   * gave which matched words (reverse matching from evidence) */
  json_t *by = json_object();
  for (size_t i = 0; b->src && i < c->nitems; i++) {
    int it = c->items[i];
    if ((size_t)it >= b->n || !b->label[it])
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
  return ex;
}

static json_t *match_json(const cand *c, const qbuild *b, double score) {
  json_t *m = json_object();
  json_object_set_new(m, "type", json_string(c->type));
  json_object_set_new(m, "id", json_string(c->id));
  json_object_set_new(m, "title", json_string(c->rec ? jb_rec_title(c->rec) : ""));
  json_object_set_new(m, "score", json_real(r6(score)));
  json_object_set_new(m, "explanation", explain(c, b));
  return m;
}

/* ---- hard filters ------------------------------------------------------------------------ */

static int forward_filters(jb_ixquery *q, const json_t *ch, const char *issuer) {
  int rc = JB_OK;
  if (issuer)
    rc = jb_ixquery_filter(q, JB_IX_NONE_OF, "XO", &issuer, 1);
  const json_t *el = json_object_get(ch, "eligibility");
  const json_t *kinds = json_object_get(el, "org_kinds"), *regs = json_object_get(el, "regions");
  const char *v[128];
  size_t n = 0;
  for (size_t i = 0; i < json_array_size(kinds) && n < 128; i++)
    v[n++] = json_string_value(json_array_get(kinds, i));
  if (rc == JB_OK && n)
    rc = jb_ixquery_filter(q, JB_IX_ANY_OF, "XOK", v, n);
  n = 0;
  for (size_t i = 0; i < json_array_size(regs) && n < 128; i++)
    v[n++] = json_string_value(json_array_get(regs, i));
  if (rc == JB_OK && n)
    rc = jb_ixquery_filter(q, JB_IX_ANY_OF, "XOR", v, n);
  return rc;
}

/* the hard filter a candidate fails, or NULL */
static const char *failed_filter(const cand *c, const json_t *ch, const char *issuer, char *buf,
                                 size_t len) {
  const char *org = c->org ? str(c->org, "id") : NULL;
  if (issuer && org && !strcmp(org, issuer))
    return "issuer: the issuing org is never matched to its own challenge";
  const json_t *el = json_object_get(ch, "eligibility");
  const json_t *kinds = json_object_get(el, "org_kinds"), *regs = json_object_get(el, "regions");
  const char *kind = c->org ? str(c->org, "kind") : NULL;
  if (json_array_size(kinds)) {
    int ok = 0;
    for (size_t i = 0; kind && i < json_array_size(kinds); i++)
      ok |= !strcmp(kind, json_string_value(json_array_get(kinds, i)));
    if (!ok) {
      snprintf(buf, len, "eligibility.org_kinds: org kind %s is not admitted", kind ? kind : "(unknown)");
      return buf;
    }
  }
  const char *region = c->org ? str(c->org, "region") : NULL;
  if (json_array_size(regs)) {
    int ok = 0;
    for (size_t i = 0; region && i < json_array_size(regs); i++) {
      const char *p = json_string_value(json_array_get(regs, i));
      ok |= !strncmp(region, p, strlen(p));
    }
    if (!ok) {
      snprintf(buf, len, "eligibility.regions: region %s is outside the admitted regions",
               region ? region : "(unknown)");
      return buf;
    }
  }
  return NULL;
}

/* ---- the two directions --------------------------------------------------------------- */

/* A challenge's query in b (recall: capped long texts; b->whole: every
 * term, each word weighted by how specific it is), with the candidates'
 * type filter. */
static int need_query(jb_engine *e, qbuild *b, const json_t *ch, const jb_match_weights *w,
                      const char *kind, int k) {
  int rc = jb_ixquery_new(&b->q);
  if (rc == JB_OK) rc = add_source(e, b, str(ch, "title"), w->src_title, 200);
  if (rc == JB_OK)
    rc = add_indicators(e, b, json_object_get(ch, "indicators"), w->src_indicators);
  if (rc == JB_OK) rc = add_list(e, b, json_object_get(ch, "keywords"), w->src_keywords);
  if (rc == JB_OK) rc = add_source(e, b, str(ch, "problem"), w->src_problem, LONG_CAP);
  if (rc == JB_OK)
    rc = add_source(e, b, str(ch, "description"), w->src_description, LONG_CAP);
  static const char *const types[] = {"output", "expert", "org"};
  if (rc == JB_OK)
    rc = k == JB_REC_ORG ? jb_ixquery_filter(b->q, JB_IX_ANY_OF, "XT", types, 3)
                         : jb_ixquery_filter(b->q, JB_IX_ALL_OF, "XT", &kind, 1);
  return rc;
}

static int forward(jb_engine *e, const jb_match_req *r, const jb_match_weights *w,
                   json_t *ch, json_t *outj) {
  const char *kind = r->kind ? r->kind : "output";
  int k = jb_rec_type_of(kind);
  if (k < 0 || k == JB_REC_CHALLENGE)
    return jb__eset(e, JB_EINVAL, "kind: must be output, expert or org");
  qbuild b = {0}, b2 = {0};
  b.targets = b2.targets = k == JB_REC_OUTPUT ? "TKD" : "TKDC";
  b.elite = (unsigned)w->elite;
  b.w = b2.w = w;
  b2.whole = 1;
  int cascade = w->cascade > 0;
  int rc = need_query(e, &b, ch, w, kind, k);
  if (rc == JB_OK && cascade)
    rc = need_query(e, &b2, ch, w, kind, k);
  /* what the explanations show: the whole need's matched words */
  qbuild *shown_q = cascade ? &b2 : &b;
  const char *issuer = str(ch, "org");
  /* without the hard filters first, for "why not" */
  cand *all = NULL;
  size_t nall = 0;
  if (rc == JB_OK && r->explain_filtered)
    rc = run_recall(e, &b, r->limit * 3, &all, &nall);
  if (rc == JB_OK)
    rc = forward_filters(b.q, ch, issuer);
  cand *c = NULL;
  size_t n = 0, keep = 0;
  /* expansion from the candidates' titles and keywords (an expert's title
   * is a name: keywords only) */
  static const char *const xout[] = {"T", "K"}, *const xother[] = {"K"};
  if (rc == JB_OK)
    rc = recall_ranked(e, &b, cascade ? &b2 : NULL, ch, NULL, NULL,
                       k == JB_REC_OUTPUT ? xout : xother, k == JB_REC_OUTPUT ? 2 : 1, &c, &n,
                       &keep);
  if (rc != JB_OK) {
    cands_free(all, nall);
    cands_free(c, n);
    qfree(&b);
    qfree(&b2);
    return rc;
  }
  json_t *matches = json_array();
  if (k != JB_REC_ORG) {
    size_t show = keep < r->limit ? keep : r->limit;
    cand **top = malloc((show ? show : 1) * sizeof *top);
    for (size_t i = 0; top && i < show; i++)
      top[i] = &c[i];
    int frc = top ? fill_matched(e, shown_q, top, show) : JB_ENOMEM;
    free(top);
    if (frc != JB_OK) {
      json_decref(matches);
      cands_free(all, nall);
      cands_free(c, n);
      qfree(&b);
      qfree(&b2);
      return frc;
    }
    for (size_t i = 0; i < show; i++)
      json_array_append_new(matches, match_json(&c[i], shown_q, c[i].score));
  } else {
    /* orgs from their evidence: best + 1/2 second + 1/4 third, + 1/2 profile */
    size_t no = 0;
    cand *orgs = calloc(n ? n : 1, sizeof *orgs);
    for (size_t i = 0; orgs && i < keep; i++) {
      const char *oid = c[i].org ? str(c[i].org, "id") : NULL;
      if (!oid)
        continue;
      size_t j = 0;
      while (j < no && strcmp(orgs[j].id, oid))
        j++;
      if (j == no) {
        snprintf(orgs[no].type, sizeof orgs[no].type, "org");
        orgs[no].id = strdup(oid);
        orgs[no].rec = json_incref(c[i].org);
        orgs[no].org = json_incref(c[i].org);
        no++;
      }
      cand *o = &orgs[j];
      if (!strcmp(c[i].type, "org")) {
        if (o->profile == 0) {
          o->profile = c[i].score;
          o->prof = i + 1;
        }
      } else if (o->nev < 3) {
        o->ev[o->nev] = i;
        o->evs[o->nev++] = c[i].score;
      }
    }
    for (size_t j = 0; j < no; j++)
      orgs[j].score = orgs[j].evs[0] + 0.5 * orgs[j].evs[1] + 0.25 * orgs[j].evs[2] +
                      0.5 * orgs[j].profile;
    qsort(orgs, no, sizeof *orgs, cand_cmp);
    /* matched items for what is shown: evidence and profiles of the top orgs */
    size_t nshow = 0, show_cap = 4 * (no < r->limit ? no : r->limit) + 1;
    cand **shown = malloc(show_cap * sizeof *shown);
    for (size_t j = 0; shown && j < no && j < r->limit; j++) {
      for (int x = 0; x < orgs[j].nev; x++)
        shown[nshow++] = &c[orgs[j].ev[x]];
      if (orgs[j].prof)
        shown[nshow++] = &c[orgs[j].prof - 1];
    }
    if (shown)
      fill_matched(e, shown_q, shown, nshow);
    free(shown);
    for (size_t j = 0; j < no && j < r->limit; j++) {
      if (orgs[j].prof) {
        const cand *pc = &c[orgs[j].prof - 1];
        free(orgs[j].items);
        orgs[j].items = malloc((pc->nitems ? pc->nitems : 1) * sizeof *orgs[j].items);
        if (orgs[j].items) {
          if (pc->nitems)
            memcpy(orgs[j].items, pc->items, pc->nitems * sizeof *pc->items);
          orgs[j].nitems = pc->nitems;
        }
      }
    }
    for (size_t j = 0; j < no && j < r->limit; j++) {
      cand *o = &orgs[j];
      json_t *m = json_object();
      json_object_set_new(m, "type", json_string("org"));
      json_object_set_new(m, "id", json_string(o->id));
      json_object_set_new(m, "title", json_string(jb_rec_title(o->rec)));
      json_object_set_new(m, "score", json_real(r6(o->score)));
      json_t *feat = json_object();
      static const double factor[3] = {1, 0.5, 0.25};
      static const char *const names[3] = {"evidence_1", "evidence_2", "evidence_3"};
      for (int x = 0; x < 3; x++)
        json_object_set_new(feat, names[x], json_real(r6(factor[x] * o->evs[x])));
      json_object_set_new(feat, "profile", json_real(r6(0.5 * o->profile)));
      json_t *ex = explain(o, shown_q);
      json_object_set(ex, "features", feat);
      json_decref(feat);
      json_t *ev = json_array();
      for (int x = 0; x < o->nev; x++)
        json_array_append_new(ev, match_json(&c[o->ev[x]], shown_q, c[o->ev[x]].score));
      json_object_set_new(m, "explanation", ex);
      json_object_set_new(m, "evidence", ev);
      json_array_append_new(matches, m);
    }
    cands_free(orgs, no);
  }
  json_object_set_new(outj, "matches", matches);
  if (r->explain_filtered) {
    json_t *filt = json_array();
    char buf[160];
    for (size_t i = 0; i < nall; i++) {
      const char *why = failed_filter(&all[i], ch, issuer, buf, sizeof buf);
      if (!why)
        continue;
      json_t *x = json_object();
      json_object_set_new(x, "type", json_string(all[i].type));
      json_object_set_new(x, "id", json_string(all[i].id));
      json_object_set_new(x, "title", json_string(all[i].rec ? jb_rec_title(all[i].rec) : ""));
      json_object_set_new(x, "filter", json_string(why));
      json_array_append_new(filt, x);
    }
    json_object_set_new(outj, "filtered", filt);
  }
  cands_free(all, nall);
  cands_free(c, n);
  qfree(&b);
  qfree(&b2);
  return JB_OK;
}

static long today_days(void) {
  time_t t = time(NULL);
  return (long)(t / 86400);
}

/* at most this many outputs, and experts, of an org (of an expert: outputs)
 * feed its reverse query, the first by id */
#define EVIDENCE_MAX 30
/* the weights of the evidence: outputs' keywords (their titles when they
 * have none), experts' keywords — beside a profile's 1.5 and an expert's own
 * keywords' 3.0 */
#define EV_TITLE 0.5
#define EV_OUT_KEYWORDS 0.75
#define EV_EXP_KEYWORDS 0.5

struct evidence {
  jb_engine *e;
  qbuild *b;
  int rc;
  size_t n[4];   /* per type: added so far */
  size_t all[4]; /* per type: referring records (the first pass) */
};

static int count_evidence(void *ctx, int type, const char *id) {
  (void)id;
  struct evidence *v = ctx;
  if (type >= 0 && type < 4)
    v->all[type]++;
  return 0;
}

/* adds one referring output's title and keywords, or expert's keywords,
 * to the query, each item labelled with its record */
static int add_evidence_one(void *ctx, int type, const char *id) {
  struct evidence *v = ctx;
  if ((type != JB_REC_OUTPUT && type != JB_REC_EXPERT) || v->n[type] >= EVIDENCE_MAX)
    return 0;
  json_t *rec = jb__load_record(v->e, type, id);
  if (!rec)
    return 0;
  qbuild *b = v->b;
  char **s = realloc(b->srcs, (b->nsrcs + 1) * sizeof *s);
  size_t len = strlen(jb_rec_type_name(type)) + strlen(id) + 2;
  char *label = s ? malloc(len) : NULL;
  if (s)
    b->srcs = s;
  if (!label) {
    json_decref(rec);
    return v->rc = JB_ENOMEM;
  }
  snprintf(label, len, "%s:%s", jb_rec_type_name(type), id);
  b->srcs[b->nsrcs++] = label;
  b->cur = label;
  v->n[type]++;
  /* the records of a type share one weight (1/sqrt n each): a term many of
   * them carry gathers it, one record's passing word stays faint */
  size_t all = v->all[type] < EVIDENCE_MAX ? v->all[type] : EVIDENCE_MAX;
  double share = 1.0 / sqrt((double)(all ? all : 1));
  /* keywords are the specific words of a piece of work; a title also says
   * 研究, 方法, 系统 — it speaks only for an output without keywords */
  const json_t *kw = json_object_get(rec, "keywords");
  int rc = JB_OK;
  if (json_array_size(kw))
    rc = add_list(v->e, b, kw, (type == JB_REC_OUTPUT ? EV_OUT_KEYWORDS : EV_EXP_KEYWORDS) * share);
  else if (type == JB_REC_OUTPUT)
    rc = add_source(v->e, b, str(rec, "title"), EV_TITLE * share, 200);
  b->cur = NULL;
  json_decref(rec);
  return rc != JB_OK ? (v->rc = rc) : 0;
}

/* An org's reverse query draws on its work as well as its profile: its
 * outputs' titles and keywords and its experts' keywords; an expert's on
 * its outputs. A term many of them share gathers their weight, so the
 * strongest terms lead the recall (the elite set), and a profile in another
 * language, or none, still finds the challenges its work fits. */
static int add_evidence(jb_engine *e, qbuild *b, int type, const char *id) {
  struct evidence v = {e, b, JB_OK, {0}, {0}};
  int rc = jb__store_referrers(e->st, type, id, count_evidence, &v);
  if (rc == JB_OK)
    rc = jb__store_referrers(e->st, type, id, add_evidence_one, &v);
  if (rc != JB_OK && v.rc == JB_OK)
    jb__eset(e, rc, "%s", jb__store_error(e->st));
  return v.rc != JB_OK ? v.rc : rc;
}

static int reverse(jb_engine *e, const jb_match_req *r, const jb_match_weights *w, int type,
                   json_t *rec, json_t *outj) {
  qbuild b = {0};
  b.targets = "TPIKD";
  b.elite = (unsigned)w->elite;
  b.w = w;
  int rc = jb_ixquery_new(&b.q);
  if (rc != JB_OK)
    return rc;
  json_t *org = type == JB_REC_ORG ? json_incref(rec)
                : str(rec, "org")   ? jb__load_record(e, JB_REC_ORG, str(rec, "org"))
                                    : NULL;
  if (type == JB_REC_OUTPUT) {
    rc = add_source(e, &b, str(rec, "title"), 3.0, 200);
    if (rc == JB_OK) rc = add_list(e, &b, json_object_get(rec, "keywords"), 2.0);
    if (rc == JB_OK) rc = add_source(e, &b, str(rec, "abstract"), 1.0, LONG_CAP);
  } else if (type == JB_REC_EXPERT) {
    rc = add_list(e, &b, json_object_get(rec, "keywords"), 3.0);
    if (rc == JB_OK) rc = add_source(e, &b, str(rec, "bio"), 1.0, LONG_CAP);
    if (rc == JB_OK) rc = add_evidence(e, &b, JB_REC_EXPERT, str(rec, "id"));
  } else {
    rc = add_source(e, &b, str(rec, "description"), 1.5, LONG_CAP);
    if (rc == JB_OK) rc = add_evidence(e, &b, JB_REC_ORG, str(rec, "id"));
  }
  const char *ch = "challenge", *pub = "published";
  if (rc == JB_OK) rc = jb_ixquery_filter(b.q, JB_IX_ALL_OF, "XT", &ch, 1);
  if (rc == JB_OK) rc = jb_ixquery_filter(b.q, JB_IX_ALL_OF, "XS", &pub, 1);
  if (rc == JB_OK) rc = jb_ixquery_range(b.q, JB_SLOT_DEADLINE, (double)today_days(), NAN);
  const char *oid = org ? str(org, "id") : NULL;
  if (rc == JB_OK && oid) rc = jb_ixquery_filter(b.q, JB_IX_NONE_OF, "XO", &oid, 1);
  const char *kinds[2] = {"any", org ? str(org, "kind") : NULL};
  if (rc == JB_OK) rc = jb_ixquery_filter(b.q, JB_IX_ANY_OF, "XEK", kinds, kinds[1] ? 2 : 1);
  const char *regs[4] = {"any"};
  size_t nr = 1;
  char p2[3], p4[5];
  const char *reg = org ? str(org, "region") : NULL;
  if (reg && strlen(reg) == 6) {
    snprintf(p2, sizeof p2, "%.2s", reg);
    snprintf(p4, sizeof p4, "%.4s", reg);
    regs[nr++] = p2;
    regs[nr++] = p4;
    regs[nr++] = reg;
  }
  if (rc == JB_OK) rc = jb_ixquery_filter(b.q, JB_IX_ANY_OF, "XER", regs, nr);
  cand *c = NULL;
  size_t n = 0;
  size_t keep = 0;
  static const char *const xch[] = {"T", "K", "I"};
  if (rc == JB_OK)
    rc = recall_ranked(e, &b, NULL, NULL, rec, org, xch, 3, &c, &n, &keep);
  if (rc == JB_OK) {
    size_t show = keep < r->limit ? keep : r->limit;
    cand **top = malloc((show ? show : 1) * sizeof *top);
    for (size_t i = 0; top && i < show; i++)
      top[i] = &c[i];
    rc = top ? fill_matched(e, &b, top, show) : JB_ENOMEM;
    free(top);
    json_t *matches = json_array();
    for (size_t i = 0; rc == JB_OK && i < show; i++)
      json_array_append_new(matches, match_json(&c[i], &b, c[i].score));
    json_object_set_new(outj, "matches", matches);
  }
  cands_free(c, n);
  json_decref(org);
  qfree(&b);
  return rc;
}

/* ---- reciprocal score ----------------------------------------------------------------- */

/* How far down its own list `from` (type, id) puts `want`: its score over
 * the best score of that list (0 when `want` is not among the first
 * RECIP_DEPTH), and its 1-based rank (0: not there). */
#define RECIP_DEPTH 50
static int match_one(jb_engine *e, const jb_match_req *r, const jb_match_weights *w,
                     json_t **out);

static int other_way(jb_engine *e, const jb_match_weights *w, const char *type, const char *id,
                     const char *kind, const char *want, double *fit, int *rank) {
  jb_match_req q = {type, id, kind, RECIP_DEPTH, 0, w, 0};
  json_t *out = NULL;
  *fit = 0;
  *rank = 0;
  int rc = match_one(e, &q, w, &out);
  if (rc != JB_OK)
    return rc;
  json_t *ms = json_object_get(out, "matches");
  double best = json_number_value(json_object_get(json_array_get(ms, 0), "score"));
  for (size_t i = 0; i < json_array_size(ms); i++) {
    json_t *m = json_array_get(ms, i);
    if (strcmp(json_string_value(json_object_get(m, "id")), want))
      continue;
    *fit = best > 0 ? json_number_value(json_object_get(m, "score")) / best : 0;
    *rank = (int)i + 1;
    break;
  }
  json_decref(out);
  return JB_OK;
}

/* The reciprocal score of every match of `out`: the harmonic mean of this
 * direction's fit (score / best score of this list) and the other's (the
 * query record's score in the match's own list / that list's best). A
 * challenge matched from a candidate is the candidate's list of open
 * challenges; a candidate matched from a challenge is the challenge's list of
 * candidates of the candidate's type. */
static int add_reciprocal(jb_engine *e, const jb_match_req *r, const jb_match_weights *w,
                          json_t *out) {
  json_t *ms = json_object_get(out, "matches");
  double best = json_number_value(json_object_get(json_array_get(ms, 0), "score"));
  int fwd = !strcmp(r->type, "challenge");
  for (size_t i = 0; i < json_array_size(ms); i++) {
    json_t *m = json_array_get(ms, i);
    const char *mtype = json_string_value(json_object_get(m, "type"));
    const char *mid = json_string_value(json_object_get(m, "id"));
    double here = best > 0 ? json_number_value(json_object_get(m, "score")) / best : 0, there;
    int rank;
    int rc = fwd ? other_way(e, w, mtype, mid, NULL, r->id, &there, &rank)
                 : other_way(e, w, "challenge", mid, r->type, r->id, &there, &rank);
    if (rc != JB_OK)
      return rc;
    json_t *x = json_object();
    json_object_set_new(x, "score", json_real(here + there > 0 ? r6(2 * here * there / (here + there)) : 0));
    json_object_set_new(x, "this_way", json_real(r6(here)));
    json_object_set_new(x, "other_way", json_real(r6(there)));
    json_object_set_new(x, "other_rank", rank ? json_integer(rank) : json_null());
    json_object_set_new(m, "reciprocal", x);
  }
  return JB_OK;
}

/* One direction's list as JSON (*out, caller decrefs). */
static int match_one(jb_engine *e, const jb_match_req *r, const jb_match_weights *weights,
                     json_t **out) {
  *out = NULL;
  jb_match_req req = *r;
  if (!req.limit)
    req.limit = 10;
  if (req.limit > 100)
    return jb__eset(e, JB_EINVAL, "limit: must be from 1 to 100");
  jb_match_weights w = *weights;
  if (w.recall < req.limit)
    w.recall = req.limit;
  int type = jb_rec_type_of(r->type);
  if (type < 0)
    return jb__eset(e, JB_EINVAL, "type: must be challenge, output, expert or org");
  if (!e->ix)
    return jb__eset(e, JB_ENOENT, "there is no index yet (import records first)");
  json_t *rec = jb__load_record(e, type, r->id);
  if (!rec)
    return jb__eset(e, JB_ENOENT, "%s '%s' not found", r->type, r->id);
  json_t *o = json_object(), *q = json_object();
  json_object_set_new(q, "type", json_string(r->type));
  json_object_set_new(q, "id", json_string(r->id));
  json_object_set_new(q, "title", json_string(jb_rec_title(rec)));
  if (type == JB_REC_CHALLENGE)
    json_object_set_new(q, "kind", json_string(req.kind ? req.kind : "output"));
  else
    json_object_set_new(q, "kind", json_string("challenge"));
  json_object_set_new(o, "query", q);
  int rc = type == JB_REC_CHALLENGE ? forward(e, &req, &w, rec, o)
                                    : reverse(e, &req, &w, type, rec, o);
  json_decref(rec);
  if (rc != JB_OK) {
    json_decref(o);
    return rc;
  }
  *out = o;
  return JB_OK;
}

int jb__match_challenge(jb_engine *e, const jb_match_req *r, const jb_match_weights *weights,
                        json_t *ch, json_t **out) {
  *out = NULL;
  jb_match_req req = *r;
  if (!req.limit)
    req.limit = 10;
  jb_match_weights w = *weights;
  if (w.recall < req.limit)
    w.recall = req.limit;
  if (!e->ix)
    return jb__eset(e, JB_ENOENT, "there is no index yet (import records first)");
  json_t *o = json_object();
  int rc = o ? forward(e, &req, &w, ch, o) : JB_ENOMEM;
  if (rc != JB_OK) {
    json_decref(o);
    return rc;
  }
  *out = o;
  return JB_OK;
}

int jb_engine_match(jb_engine *e, const jb_match_req *r, char **json) {
  if (!e || !r || !json || !r->type || !r->id)
    return JB_EINVAL;
  *json = NULL;
  e->err[0] = '\0';
  jb_match_weights w;
  if (r->weights)
    w = *r->weights;
  else
    jb_match_weights_init(&w);
  json_t *out = NULL;
  int rc;
  /* a match reads the index several times (recall, the whole need, the
   * matched words, the other direction): when a writer's commits discard
   * the revision a reader stands on, the reader moves on and the match runs
   * again on one revision */
  for (int attempt = 0;; attempt++) {
    rc = match_one(e, r, &w, &out);
    if (rc == JB_OK && r->reciprocal)
      rc = add_reciprocal(e, r, &w, out);
    if (rc != JB_ESTALE || attempt >= 4 || !e->o.readonly || !e->ix)
      break;
    json_decref(out);
    out = NULL;
    jb_index_reopen(e->ix);
  }
  if (rc == JB_OK && !(*json = json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(10))))
    rc = JB_ENOMEM;
  json_decref(out);
  return rc;
}
