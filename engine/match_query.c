/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match_query.c: building a match's weighted query from a record: its
 * sources and their weights, long texts' specific sentences, the whole need
 * of the cascade's second stage, and an org's or expert's evidence. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/match_int.h"
#include "engine/prefixes.h"

/* adds a query item and records its text (a word, a bigram, a character)
 * and field */
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
    size_t *x = realloc(b->xl, cap * sizeof *x);
    if (!x)
      return JB_ENOMEM;
    b->xl = x;
    memset(b->xl + b->n, 0, (cap - b->n) * sizeof *x);
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
  if ((size_t)idx >= b->nitems)
    b->nitems = (size_t)idx + 1;
  if (b->cur_xl && !b->xl[idx])
    b->xl[idx] = b->cur_xl;
  if (!b->label[idx]) {
    b->label[idx] = strndup(text, len);
    b->field[idx] = field[0];
  }
  return JB_OK;
}

/* declared in match_int.h */
int jb__function_char(const char *s, size_t len) {
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
 * (docs/benchmarks.md); the short sources (title, indicators, keywords) do,
 * but not a translated term (b->cur_xl): a need's translations are many
 * short texts whose characters (热 of 热管理) were the largest posting lists
 * of its recall, for no quality on the cross-lingual sets. */
int jb__qb_source(jb_engine *e, qbuild *b, const char *text, double w, size_t cap) {
  int is_long = cap == LONG_CAP, unigrams = !is_long && !b->cur_xl;
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
  } fields[] = {{JB_PFX_TITLE, 1.0},      {JB_PFX_KEYWORDS, 0.9},    {JB_PFX_PROBLEM, 0.8},
                {JB_PFX_INDICATORS, 0.8}, {JB_PFX_DESCRIPTION, 0.6}, {JB_PFX_CREDENTIALS, 0.4}};
  if (n > cap && !b->whole)
    n = cap;
  int stopped = 0;
  for (size_t i = 0; i < n && rc == JB_OK; i++) {
    if (t[i].kind == JB_TERM_BIGRAM) {
      if (b->w->bigrams > 0)
        rc = qadd(e, b, JB_PFX_BIGRAM, JB_IX_BIGRAM, t[i].text, t[i].len, w * b->w->bigrams);
      continue;
    }
    /* the characters of a Han word, against the unigram family U */
    if (t[i].kind == JB_TERM_WORD && t[i].script == JB_SCRIPT_HAN && b->w->unigrams > 0 && unigrams)
      for (uint32_t k = 0; k < t[i].len && rc == JB_OK;) {
        uint32_t cl = jb__u8_len((unsigned char)t[i].text[k]);
        rc = qadd(e, b, JB_PFX_UNIGRAM, JB_IX_WORD, t[i].text + k, cl, w * b->w->unigrams);
        k += cl;
      }
    /* a single Han character as a word is a function word (的 与 在),
     * left to the unigrams, or a content word (锌 锑 氮) kept as a word */
    if (t[i].kind == JB_TERM_WORD && t[i].script == JB_SCRIPT_HAN && t[i].len <= 4 &&
        jb__function_char(t[i].text, t[i].len))
      continue;
    if (b->english && t[i].script == JB_SCRIPT_LATIN) { /* a stop word and its stem */
      if (t[i].kind == JB_TERM_WORD)
        stopped = jb__xl_stopword(t[i].text, t[i].len);
      if (stopped)
        continue;
    }
    double kw = t[i].kind == JB_TERM_WORD ? b->w->words : b->w->stems;
    if (kw <= 0)
      continue;
    kw *= specific(e, b, &t[i]);
    for (size_t f = 0; f < sizeof fields / sizeof *fields && rc == JB_OK; f++)
      if (strchr(b->targets, fields[f].f[0]))
        rc = qadd(e, b, fields[f].f, t[i].kind, t[i].text, t[i].len, w * kw * fields[f].w);
    if (rc == JB_OK && t[i].kind == JB_TERM_WORD && t[i].script == JB_SCRIPT_LATIN)
      rc = qadd(e, b, JB_PFX_TITLE, JB_IX_PINYIN, t[i].text, t[i].len, w);
  }
  free(picked);
  return rc;
}

int jb__qb_list(jb_engine *e, qbuild *b, const json_t *arr, double w) {
  int rc = JB_OK;
  for (size_t i = 0; rc == JB_OK && i < json_array_size(arr); i++)
    rc = jb__qb_source(e, b, json_string_value(json_array_get(arr, i)), w, 64);
  return rc;
}

static int add_indicators(jb_engine *e, qbuild *b, const json_t *ind, double w) {
  int rc = JB_OK;
  for (size_t i = 0; rc == JB_OK && i < json_array_size(ind); i++)
    rc = jb__qb_source(e, b, str(json_array_get(ind, i), "name"), w, 64);
  return rc;
}

void jb__qb_free(qbuild *b) {
  for (size_t i = 0; i < b->n; i++)
    free(b->label[i]);
  free(b->label);
  free(b->field);
  free(b->src);
  free(b->xl);
  for (size_t i = 0; i < b->nsrcs; i++)
    free(b->srcs[i]);
  free(b->srcs);
  free(b->loose);
  jb_ixquery_free(b->q);
}


/* A challenge's query in b (recall: capped long texts; b->whole: every
 * term, each word weighted by how specific it is), with the candidates'
 * type filter. */
int jb__qb_need(jb_engine *e, qbuild *b, const json_t *ch, const jb_match_weights *w,
                const char *kind, int k) {
  int rc = jb_ixquery_new(&b->q);
  if (rc == JB_OK) rc = jb__qb_source(e, b, str(ch, "title"), w->src_title, 200);
  if (rc == JB_OK)
    rc = add_indicators(e, b, json_object_get(ch, "indicators"), w->src_indicators);
  if (rc == JB_OK) rc = jb__qb_list(e, b, json_object_get(ch, "keywords"), w->src_keywords);
  if (rc == JB_OK) rc = jb__qb_source(e, b, str(ch, "problem"), w->src_problem, LONG_CAP);
  if (rc == JB_OK)
    rc = jb__qb_source(e, b, str(ch, "description"), w->src_description, LONG_CAP);
  if (rc == JB_OK)
    rc = jb__qb_type_filter(b->q, k);
  return rc;
}

/* Every indexed record carries exactly one type term, so "one of these
 * types" is also "none of the others", and Xapian walks a filter's posting
 * lists: outputs are most of an index (100,000 of 120,200 records in the
 * latency world) and challenges a few hundred, so a match of outputs or orgs
 * filters out the other types, and one of experts keeps to its own. The
 * candidates and their scores are the same either way. */
int jb__qb_type_filter(jb_ixquery *q, int k) {
  if (k != JB_REC_OUTPUT && k != JB_REC_EXPERT && k != JB_REC_ORG)
    return JB_EINVAL;
  const char *names[JB_REC_NTYPES];
  if (k == JB_REC_EXPERT) {
    names[0] = jb_rec_type_name(k);
    return jb_ixquery_filter(q, JB_IX_ALL_OF, JB_PFX_TYPE, names, 1);
  }
  size_t n = 0; /* the types a match of kind k does not rank */
  for (int t = 0; t < JB_REC_NTYPES; t++)
    if (t == JB_REC_CHALLENGE || (k == JB_REC_OUTPUT && t != JB_REC_OUTPUT))
      names[n++] = jb_rec_type_name(t);
  return jb_ixquery_filter(q, JB_IX_NONE_OF, JB_PFX_TYPE, names, n);
}

static int push_src(xl_src **v, size_t *n, const char *text, double w, size_t cap) {
  if (!text || !*text || !(w > 0))
    return JB_OK;
  xl_src *nv = realloc(*v, (*n + 1) * sizeof *nv);
  if (!nv)
    return JB_ENOMEM;
  *v = nv;
  nv[(*n)++] = (xl_src){text, w, cap};
  return JB_OK;
}

int jb__qb_srcs(const json_t *rec, int type, const jb_match_weights *w, xl_src **out, size_t *n) {
  *out = NULL;
  *n = 0;
  int rc = JB_OK;
  const json_t *kw = json_object_get(rec, "keywords");
  if (type == JB_REC_CHALLENGE) {
    rc = push_src(out, n, str(rec, "title"), w->src_title, 200);
    const json_t *ind = json_object_get(rec, "indicators");
    for (size_t i = 0; rc == JB_OK && i < json_array_size(ind); i++)
      rc = push_src(out, n, str(json_array_get(ind, i), "name"), w->src_indicators, 64);
    for (size_t i = 0; rc == JB_OK && i < json_array_size(kw); i++)
      rc = push_src(out, n, json_string_value(json_array_get(kw, i)), w->src_keywords, 64);
    if (rc == JB_OK) rc = push_src(out, n, str(rec, "problem"), w->src_problem, LONG_CAP);
    if (rc == JB_OK) rc = push_src(out, n, str(rec, "description"), w->src_description, LONG_CAP);
  } else if (type == JB_REC_OUTPUT) { /* as match.c's reverse() weighs them */
    rc = push_src(out, n, str(rec, "title"), 3.0, 200);
    for (size_t i = 0; rc == JB_OK && i < json_array_size(kw); i++)
      rc = push_src(out, n, json_string_value(json_array_get(kw, i)), 2.0, 64);
    if (rc == JB_OK) rc = push_src(out, n, str(rec, "abstract"), 1.0, LONG_CAP);
  } else if (type == JB_REC_EXPERT) {
    for (size_t i = 0; rc == JB_OK && i < json_array_size(kw); i++)
      rc = push_src(out, n, json_string_value(json_array_get(kw, i)), 3.0, 64);
    if (rc == JB_OK) rc = push_src(out, n, str(rec, "bio"), 1.0, LONG_CAP);
  } else {
    rc = push_src(out, n, str(rec, "description"), 1.5, LONG_CAP);
  }
  if (rc != JB_OK) {
    free(*out);
    *out = NULL;
    *n = 0;
  }
  return rc;
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
  qbuild *b[2]; /* the queries fed (the second may be NULL) */
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

/* adds one record's title and keywords, or keywords, to the query b,
 * each item labelled with the record */
static int add_evidence_to(struct evidence *v, qbuild *b, int type, const char *id,
                           const json_t *rec) {
  char **s = realloc(b->srcs, (b->nsrcs + 1) * sizeof *s);
  size_t len = strlen(jb_rec_type_name(type)) + strlen(id) + 2;
  char *label = s ? malloc(len) : NULL;
  if (s)
    b->srcs = s;
  if (!label)
    return JB_ENOMEM;
  snprintf(label, len, "%s:%s", jb_rec_type_name(type), id);
  b->srcs[b->nsrcs++] = label;
  b->cur = label;
  /* the records of a type share one weight (1/sqrt n each): a term many of
   * them carry gathers it, one record's passing word stays faint */
  size_t all = v->all[type] < EVIDENCE_MAX ? v->all[type] : EVIDENCE_MAX;
  double share = 1.0 / sqrt((double)(all ? all : 1));
  /* keywords are the specific words of a piece of work; a title also says
   * 研究, 方法, 系统 — it speaks only for an output without keywords */
  const json_t *kw = json_object_get(rec, "keywords");
  int rc = JB_OK;
  if (json_array_size(kw))
    rc = jb__qb_list(v->e, b, kw, (type == JB_REC_OUTPUT ? EV_OUT_KEYWORDS : EV_EXP_KEYWORDS) * share);
  else if (type == JB_REC_OUTPUT)
    rc = jb__qb_source(v->e, b, str(rec, "title"), EV_TITLE * share, 200);
  b->cur = NULL;
  return rc;
}

/* adds one referring output's title and keywords, or expert's keywords, to
 * each query of v: the record read once for both */
static int add_evidence_one(void *ctx, int type, const char *id) {
  struct evidence *v = ctx;
  if ((type != JB_REC_OUTPUT && type != JB_REC_EXPERT) || v->n[type] >= EVIDENCE_MAX)
    return 0;
  json_t *rec = jb__load_record(v->e, type, id);
  if (!rec)
    return 0;
  v->n[type]++;
  int rc = JB_OK;
  for (int q = 0; q < 2 && rc == JB_OK; q++)
    if (v->b[q])
      rc = add_evidence_to(v, v->b[q], type, id, rec);
  json_decref(rec);
  return rc != JB_OK ? (v->rc = rc) : 0;
}

/* An org's reverse query draws on its work as well as its profile: its
 * outputs' titles and keywords and its experts' keywords; an expert's on
 * its outputs. A term many of them share gathers their weight, so the
 * strongest terms lead the recall (the elite set), and a profile in another
 * language, or none, still finds the challenges its work fits. */
int jb__qb_evidence(jb_engine *e, qbuild *b, qbuild *b2, int type, const char *id) {
  struct evidence v = {e, {b, b2}, JB_OK, {0}, {0}};
  int rc = jb__store_referrers(e->st, type, id, count_evidence, &v);
  if (rc == JB_OK)
    rc = jb__store_referrers(e->st, type, id, add_evidence_one, &v);
  if (rc != JB_OK && v.rc == JB_OK)
    jb__eset_store(e, rc);
  return v.rc != JB_OK ? v.rc : rc;
}
