/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match_xlate.c: query translation for cross-lingual matching (issue 15,
 * docs/matching.md "Across languages"). An English need gains Chinese
 * terms for Chinese candidates, a Chinese need English terms for English
 * ones: the bilingual lexicon (locale/translate.c: our glossary, then
 * CC-CEDICT) proposes the translations of each span, longest phrase first,
 * and the collection chooses among them — a candidate translation that is
 * not in the index is dropped, and one that co-occurs with the other
 * translated terms of the same need in the indexed documents is preferred to
 * one that does not, whatever the dictionary's order; the glossary's prior
 * ranks above CC-CEDICT's when the collection does not decide. The chosen
 * terms join the query at match.translate x their source's weight, like any
 * other term (stage 1 and stage 2), each labelled with its source for the
 * explanation. With the cascade (match.c) the probe search is not run: the
 * recall takes the senses prior and presence give (jb__xl_plan_deferred) and
 * the co-occurrence is read in the recall's own first hits, which choose the
 * senses of the second stage (jb__xl_rechoose). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/jb_text.h"
#include "engine/match_int.h"
#include "engine/prefixes.h"

/* ---- the lexicon, loaded on the first need that wants it ----------------------- */

const jb_xlex *jb__xl_lexicon(jb_engine *e) {
  if (e->xl_state == 0) {
    char err[512];
    e->xl_state = -1;
    int rc = jb_text_load_xlex(NULL, NULL, &e->xl, err, sizeof err);
    if (rc != JB_OK) {
      jb__notice(e, "cross-lingual matching is off: %s", err[0] ? err : jb_strerror(rc));
      e->xl = NULL;
    } else {
      e->xl_state = 1;
      if (!jb_xlex_has_cedict(e->xl))
        jb__notice(e, "no CC-CEDICT dictionary (data/lexicon/cedict.u8): cross-lingual matching "
                      "uses the glossary alone (%zu English, %zu Chinese terms)",
                   jb_xlex_size(e->xl, JB_XLEX_EN2ZH), jb_xlex_size(e->xl, JB_XLEX_ZH2EN));
    }
  }
  return e->xl_state == 1 ? e->xl : NULL;
}

int jb_engine_match_prepare(jb_engine *e) {
  if (!e)
    return JB_EINVAL;
  (void)jb__xl_lexicon(e);
  return JB_OK;
}

/* ---- which way, if any ------------------------------------------------------------ */

int jb__xl_stopword(const char *w, size_t n) {
  if (n == 1)
    return 1; /* a lone letter: an article, a unit (°C), a list mark */
  return jb_en_function_word(w, n);
}

/* Han characters and ASCII letters of the sources */
static void script_mix(const xl_src *s, size_t n, size_t *han, size_t *latin) {
  *han = *latin = 0;
  for (size_t i = 0; i < n; i++)
    for (const unsigned char *p = (const unsigned char *)s[i].text; p && *p;) {
      if (*p < 0x80) {
        *latin += (*p | 0x20) >= 'a' && (*p | 0x20) <= 'z';
        p++;
        continue;
      }
      uint32_t l = jb__u8_len(*p), cp = 0;
      if (l == 3 && p[1] && p[2])
        cp = ((uint32_t)(p[0] & 0x0f) << 12) | ((uint32_t)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
      *han += jb_is_han(cp);
      for (uint32_t k = 0; k < l && *p; k++)
        p++;
    }
}

int jb__xl_english(const xl_src *srcs, size_t n) {
  size_t han, latin;
  script_mix(srcs, n, &han, &latin);
  return latin >= 8 && latin > 4 * han;
}

/* Documents in English: those tagged lang "en", or with the word "the" in a
 * title, text or profile (a Chinese abstract hardly ever has it: 2 of the
 * 2,000 CSL papers). A Chinese need is translated only when they are at least
 * XL_EN_SHARE of the collection: a Chinese collection's rankings stay as
 * they are. */
#define XL_EN_SHARE 0.01
static int has_english(jb_engine *e) {
  uint64_t all = 0;
  if (jb_index_doccount(e->ix, &all) != JB_OK || all == 0)
    return 0;
  double en = 0;
  static const char *const f[] = {JB_PFX_TITLE, JB_PFX_DESCRIPTION, JB_PFX_CREDENTIALS};
  for (size_t i = 0; i < 3; i++) {
    double n = jb__term_docs(e, f[i], JB_IX_WORD, "the", 3);
    if (n > en)
      en = n;
  }
  jb_ixquery *q = NULL;
  jb_ixresults *res = NULL;
  const char *v = "en";
  if (jb_ixquery_new(&q) == JB_OK &&
      jb_ixquery_filter(q, JB_IX_ALL_OF, JB_PFX_LANG, &v, 1) == JB_OK &&
      jb_index_search(e->ix, q, 0, 0, &res) == JB_OK && (double)jb_ixresults_estimate(res) > en)
    en = (double)jb_ixresults_estimate(res);
  jb_ixresults_free(res);
  jb_ixquery_free(q);
  return en >= 3 && en >= XL_EN_SHARE * (double)all;
}

/* ---- the plan: spans, their candidates, the collection's choice ------------------ */

/* a probe item: one index term a candidate needs (a Han bigram, a lone Han
 * character, a Latin word in a text field) */
typedef struct {
  char field[2];
  int kind;
  char *text;
  size_t len;
  int word; /* Latin word: any of its fields counts */
  int qidx; /* its index in the probe query */
  double df;
} pitem;

typedef struct {
  size_t span;
  char *text;
  double prior;
  size_t *it; /* probe items (indices into the plan's items) */
  size_t nit;
  double df, cooc, score;
} pcand;

typedef struct {
  char *from; /* the source words, as normalised */
  char *key;
  size_t *src; /* the sources it occurs in */
  size_t nsrc;
  size_t c0, nc; /* its candidates: cands[c0 .. c0+nc) */
} pspan;

struct xl_plan {
  jb_xlex_dir dir;
  pspan *sp;
  size_t nsp, capsp;
  pcand *c;
  size_t nc, capc;
  pitem *it;
  size_t nit, capit;
  size_t *ith; /* items by hash (item_of): 1 + an index into it, 0 for free */
  size_t capith; /* a power of two, more than twice nit; 0 before the first */
  const xl_src *srcs;
  size_t nsrcs;
  /* the chosen terms: candidate index, weight (relative to the span's best) */
  size_t *pick;
  double *pickw;
  size_t npick;
};

void jb__xl_free(xl_plan *p) {
  if (!p)
    return;
  for (size_t i = 0; i < p->nsp; i++) {
    free(p->sp[i].from);
    free(p->sp[i].src);
  }
  for (size_t i = 0; i < p->nc; i++) {
    free(p->c[i].text);
    free(p->c[i].it);
  }
  for (size_t i = 0; i < p->nit; i++)
    free(p->it[i].text);
  free(p->sp);
  free(p->c);
  free(p->it);
  free(p->ith);
  free(p->pick);
  free(p->pickw);
  free(p);
}

size_t jb__xl_pairs(const xl_plan *p) { return p ? p->npick : 0; }

int jb__xl_pair(const xl_plan *p, size_t i, const char **from, const char **to) {
  if (!p || i >= p->npick)
    return JB_EINVAL;
  const pcand *c = &p->c[p->pick[i]];
  *from = p->sp[c->span].from;
  *to = c->text;
  return JB_OK;
}

/* grows an array to hold one more element */
static int grow(void **v, size_t *cap, size_t n, size_t size) {
  if (n < *cap)
    return JB_OK;
  size_t nc = *cap ? *cap * 2 : 32;
  void *nv = realloc(*v, nc * size);
  if (!nv)
    return JB_ENOMEM;
  *v = nv;
  *cap = nc;
  return JB_OK;
}

typedef struct {
  xl_plan *p;
  const char *text; /* the normalised source text */
  size_t src;
  int rc;
} walk_ctx;

static int on_span(void *ud, const jb_xlex_span *s) {
  walk_ctx *w = ud;
  xl_plan *p = w->p;
  /* a lone function word ("within", "about") says nothing of the need */
  if (p->dir == JB_XLEX_EN2ZH && !strchr(s->key, ' ') && jb__xl_stopword(s->key, strlen(s->key)))
    return 0;
  /* the same source term in another source (title and description): one
   * span, with both sources */
  for (size_t i = 0; i < p->nsp; i++)
    if (p->sp[i].key == s->key) {
      pspan *x = &p->sp[i];
      if (x->nsrc && x->src[x->nsrc - 1] == w->src)
        return 0;
      size_t *ns = realloc(x->src, (x->nsrc + 1) * sizeof *ns);
      if (!ns)
        return w->rc = JB_ENOMEM;
      x->src = ns;
      x->src[x->nsrc++] = w->src;
      return 0;
    }
  if (grow((void **)&p->sp, &p->capsp, p->nsp, sizeof *p->sp) != JB_OK)
    return w->rc = JB_ENOMEM;
  pspan *x = &p->sp[p->nsp];
  memset(x, 0, sizeof *x);
  x->key = (char *)s->key;
  x->from = strndup(w->text + s->start, s->len);
  x->src = malloc(sizeof *x->src);
  if (!x->from || !x->src) {
    free(x->from);
    free(x->src);
    return w->rc = JB_ENOMEM;
  }
  x->src[0] = w->src;
  x->nsrc = 1;
  x->c0 = p->nc;
  for (size_t k = 0; k < s->ncand; k++) {
    if (grow((void **)&p->c, &p->capc, p->nc, sizeof *p->c) != JB_OK)
      return w->rc = JB_ENOMEM;
    pcand *c = &p->c[p->nc];
    memset(c, 0, sizeof *c);
    c->span = p->nsp;
    c->prior = s->cand[k].prior;
    if (!(c->text = strndup(s->cand[k].text, s->cand[k].len)))
      return w->rc = JB_ENOMEM;
    p->nc++;
    x->nc++;
  }
  p->nsp++;
  return 0;
}

static uint64_t item_hash(const char *field, int kind, const char *text, size_t len) {
  uint64_t h = 1469598103934665603ULL; /* FNV-1a; a text field is one letter */
  h = (h ^ (unsigned char)field[0]) * 1099511628211ULL;
  h = (h ^ (unsigned)(kind + 1)) * 1099511628211ULL;
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)text[i]) * 1099511628211ULL;
  return h;
}

/* the slot of ith where the item (field, kind, text) is, or the free one
 * where it would go */
static size_t item_slot(const xl_plan *p, const char *field, int kind, const char *text,
                        size_t len) {
  size_t mask = p->capith - 1, k = (size_t)item_hash(field, kind, text, len) & mask;
  for (;; k = (k + 1) & mask) {
    size_t i = p->ith[k];
    if (!i)
      return k;
    const pitem *t = &p->it[i - 1];
    if (t->kind == kind && t->len == len && !strcmp(t->field, field) && !memcmp(t->text, text, len))
      return k;
  }
}

/* doubles the hash of the items; JB_OK or JB_ENOMEM */
static int item_rehash(xl_plan *p) {
  size_t cap = p->capith ? p->capith * 2 : 64;
  size_t *old = p->ith, oldcap = p->capith;
  if (!(p->ith = calloc(cap, sizeof *p->ith))) {
    p->ith = old;
    return JB_ENOMEM;
  }
  p->capith = cap;
  for (size_t k = 0; k < oldcap; k++)
    if (old[k]) {
      const pitem *t = &p->it[old[k] - 1];
      p->ith[item_slot(p, t->field, t->kind, t->text, t->len)] = old[k];
    }
  free(old);
  return JB_OK;
}

/* the item (field, kind, text) of the plan, added when new; its index in
 * *out. JB_OK or JB_ENOMEM. */
static int item_of(xl_plan *p, const char *field, int kind, const char *text, size_t len,
                   int word, size_t *out) {
  if (2 * (p->nit + 1) > p->capith && item_rehash(p) != JB_OK)
    return JB_ENOMEM;
  size_t k = item_slot(p, field, kind, text, len);
  if (p->ith[k]) {
    *out = p->ith[k] - 1;
    return JB_OK;
  }
  if (grow((void **)&p->it, &p->capit, p->nit, sizeof *p->it) != JB_OK)
    return JB_ENOMEM;
  pitem *t = &p->it[p->nit];
  memset(t, 0, sizeof *t);
  snprintf(t->field, sizeof t->field, "%s", field);
  t->kind = kind;
  t->len = len;
  t->word = word;
  t->qidx = -1;
  if (!(t->text = strndup(text, len)))
    return JB_ENOMEM;
  p->ith[k] = ++p->nit;
  *out = p->nit - 1;
  return JB_OK;
}

static int add_cand_item(pcand *c, size_t it) {
  for (size_t i = 0; i < c->nit; i++)
    if (c->it[i] == it)
      return JB_OK;
  size_t *n = realloc(c->it, (c->nit + 1) * sizeof *n);
  if (!n)
    return JB_ENOMEM;
  c->it = n;
  c->it[c->nit++] = it;
  return JB_OK;
}


/* the probe items of candidate c: a Han text's bigrams (a lone character:
 * its unigram), a Latin text's words (in the fields it is looked for in) */
static int cand_items(jb_engine *e, xl_plan *p, pcand *c, const char *targets) {
  const jb_term *t;
  size_t n;
  int rc = jb_tokenize(e->map.tok, c->text, strlen(c->text), JB_TOK_INDEX, &t, &n);
  size_t nbig = 0;
  for (size_t i = 0; rc == JB_OK && i < n; i++)
    nbig += t[i].kind == JB_TERM_BIGRAM;
  for (size_t i = 0; rc == JB_OK && i < n; i++) {
    size_t it;
    if (t[i].kind == JB_TERM_BIGRAM) {
      rc = item_of(p, JB_PFX_BIGRAM, JB_IX_BIGRAM, t[i].text, t[i].len, 0, &it);
      if (rc == JB_OK)
        rc = add_cand_item(c, it);
    } else if (t[i].kind == JB_TERM_WORD && t[i].script == JB_SCRIPT_HAN && nbig == 0) {
      rc = item_of(p, JB_PFX_UNIGRAM, JB_IX_WORD, t[i].text, t[i].len, 0, &it);
      if (rc == JB_OK)
        rc = add_cand_item(c, it);
    } else if (((t[i].kind == JB_TERM_STEM && t[i].script == JB_SCRIPT_LATIN) ||
                (t[i].kind == JB_TERM_WORD && t[i].script == JB_SCRIPT_NUMERIC)) &&
               !jb__xl_stopword(t[i].text, t[i].len)) {
      /* a Latin word by its stem (battery, batteries), a code as it is */
      /* one item per text field; the candidate holds the first, the rest
       * follow it (word = 1 marks the run) */
      size_t first = 0;
      for (const char *f = targets; *f && rc == JB_OK; f++) {
        char fl[2] = {*f, '\0'};
        rc = item_of(p, fl, t[i].kind, t[i].text, t[i].len, f == targets ? 1 : 2, &it);
        if (f == targets)
          first = it;
      }
      if (rc == JB_OK)
        rc = add_cand_item(c, first);
    }
  }
  return rc;
}

/* the fields items of a Latin word after its first (they follow it) */
static size_t word_fields(const xl_plan *p, size_t first) {
  size_t k = 1;
  while (first + k < p->nit && p->it[first + k].word == 2 &&
         p->it[first + k].len == p->it[first].len &&
         !memcmp(p->it[first + k].text, p->it[first].text, p->it[first].len))
    k++;
  return k;
}

/* The collection's choice. Every candidate's document frequency (the
 * fewest documents any of its items is in: an upper bound, exact for one
 * item); one probe search, the XL_PROBE_ELITE strongest items of the
 * candidates that occur ORed together under the candidates' type filter, and
 * in its first XL_PROBE documents, for each candidate, how many of the other
 * spans the documents holding it also cover: a sense that co-occurs with the
 * need's other translated terms is the need's sense. The elite set is the
 * recall's device: without it the probe ORed a need's hundreds of items,
 * common bigrams in every field among them, and cost as much as the rest of
 * the match (at 100k outputs an English need took 85 ms at the median; with
 * 25 items the same quality on both cross-lingual sets, docs/benchmarks.md). */
#define XL_PROBE 30
#define XL_PROBE_ELITE 25
/* translations kept per span, at most */
#define XL_KEEP 3
/* every candidate's document frequency, and its items' */
static void choose_df(jb_engine *e, xl_plan *p) {
  jb__xl_dfcache *dc = jb__xl_df_cache(e);
  for (size_t i = 0; i < p->nit; i++) {
    if (p->it[i].word == 2)
      continue;
    pitem *t = &p->it[i];
    if (t->word == 1) { /* a Latin word: its commonest field */
      size_t k = word_fields(p, i);
      for (size_t j = 0; j < k; j++) {
        double d = jb__xl_term_docs(e, dc, p->it[i + j].field, t->kind, t->text, t->len);
        if (d > t->df)
          t->df = d;
      }
    } else {
      t->df = jb__xl_term_docs(e, dc, t->field, t->kind, t->text, t->len);
    }
  }
  for (size_t i = 0; i < p->nc; i++) {
    pcand *c = &p->c[i];
    c->df = c->nit ? 1e300 : 0;
    for (size_t k = 0; k < c->nit; k++)
      if (p->it[c->it[k]].df < c->df)
        c->df = p->it[c->it[k]].df;
  }
}

/* the probe query in *out: the items of every candidate that occurs */
static int probe_query(xl_plan *p, jb_ixquery **out) {
  jb_ixquery *q = NULL;
  int rc = jb_ixquery_new(&q);
  for (size_t i = 0; i < p->nit; i++)
    p->it[i].qidx = -1;
  for (size_t i = 0; rc == JB_OK && i < p->nc; i++) {
    pcand *c = &p->c[i];
    if (c->df <= 0)
      continue;
    for (size_t k = 0; rc == JB_OK && k < c->nit; k++) {
      size_t first = c->it[k], nf = p->it[first].word ? word_fields(p, first) : 1;
      for (size_t j = 0; j < nf && rc == JB_OK; j++) {
        pitem *t = &p->it[first + j];
        int idx = jb_ixquery_add(q, t->field, t->kind, t->text, t->len, c->prior / (double)c->nit);
        if (idx < 0)
          rc = idx;
        else
          t->qidx = idx;
      }
    }
  }
  if (rc != JB_OK) {
    jb_ixquery_free(q);
    q = NULL;
  }
  *out = q;
  return rc;
}

/* the co-occurrence of each candidate (computed anew) in the hits of res
 * (best first), at most XL_PROBE of them: per hit, which probe items it
 * holds, which candidates, which spans */
static int cooc_from(xl_plan *p, const jb_ixresults *res) {
  for (size_t i = 0; i < p->nc; i++)
    p->c[i].cooc = 0;
  char *has = calloc(p->nit + 1, 1);
  char *cov = calloc(p->nsp + 1, 1);
  size_t nq = 0;
  for (size_t i = 0; i < p->nit; i++)
    if (p->it[i].qidx >= 0 && (size_t)p->it[i].qidx + 1 > nq)
      nq = (size_t)p->it[i].qidx + 1;
  int *q2it = malloc((nq + 1) * sizeof *q2it);
  int rc = has && cov && q2it ? JB_OK : JB_ENOMEM;
  for (size_t i = 0; rc == JB_OK && i < nq; i++)
    q2it[i] = -1;
  for (size_t i = 0; rc == JB_OK && i < p->nit; i++)
    if (p->it[i].qidx >= 0)
      q2it[p->it[i].qidx] = (int)i;
  size_t nh = jb_ixresults_count(res);
  if (nh > XL_PROBE)
    nh = XL_PROBE;
  for (size_t h = 0; rc == JB_OK && h < nh; h++) {
    const int *items;
    size_t ni;
    jb_ixresults_matched(res, h, &items, &ni);
    memset(has, 0, p->nit);
    memset(cov, 0, p->nsp);
    for (size_t k = 0; k < ni; k++)
      if (items[k] >= 0 && (size_t)items[k] < nq && q2it[items[k]] >= 0) {
        size_t it = (size_t)q2it[items[k]];
        while (p->it[it].word == 2) /* a field of a word: the word */
          it--;
        has[it] = 1;
      }
    size_t spans = 0;
    for (size_t i = 0; i < p->nc; i++) {
      pcand *c = &p->c[i];
      int in = c->nit > 0;
      for (size_t k = 0; in && k < c->nit; k++)
        in = has[c->it[k]];
      if (in && !cov[c->span]) {
        cov[c->span] = 1;
        spans++;
      }
    }
    for (size_t i = 0; i < p->nc; i++) {
      pcand *c = &p->c[i];
      int in = c->nit > 0;
      for (size_t k = 0; in && k < c->nit; k++)
        in = has[c->it[k]];
      if (in) /* the other spans this document covers, the higher ranked the more */
        c->cooc += (double)(spans - 1) / sqrt(1.0 + (double)h);
    }
  }
  free(has);
  free(cov);
  free(q2it);
  return rc;
}

static int choose(jb_engine *e, xl_plan *p, const char *typefield, const char *const *types,
                  size_t ntypes) {
  choose_df(e, p);
  jb_ixquery *q = NULL;
  int rc = probe_query(p, &q);
  if (rc == JB_OK && ntypes)
    rc = jb_ixquery_filter(q, ntypes > 1 ? JB_IX_ANY_OF : JB_IX_ALL_OF, typefield, types, ntypes);
  if (rc == JB_OK)
    rc = jb_ixquery_elite(q, XL_PROBE_ELITE);
  jb_ixresults *res = NULL;
  if (rc == JB_OK && (rc = jb_ixquery_set_matched(q, 1)) == JB_OK &&
      (rc = jb_index_search(e->ix, q, 0, XL_PROBE, &res)) != JB_OK)
    jb__eset(e, rc, "search: %s", jb_index_error(e->ix));
  if (rc == JB_OK)
    rc = cooc_from(p, res);
  jb_ixresults_free(res);
  jb_ixquery_free(q);
  return rc;
}

/* per span, the candidates worth adding (jb__xl_senses) */
static int pick(xl_plan *p) {
  free(p->pick);
  free(p->pickw);
  p->npick = 0;
  p->pick = malloc((p->nc ? p->nc : 1) * sizeof *p->pick);
  p->pickw = malloc((p->nc ? p->nc : 1) * sizeof *p->pickw);
  double *v = malloc((3 * p->nc + 1) * sizeof *v);
  if (!p->pick || !p->pickw || !v) {
    free(v);
    return JB_ENOMEM;
  }
  for (size_t s = 0; s < p->nsp; s++) {
    const pspan *x = &p->sp[s];
    double *prior = v, *df = v + x->nc, *cooc = v + 2 * x->nc;
    for (size_t i = 0; i < x->nc; i++) {
      prior[i] = p->c[x->c0 + i].prior;
      df[i] = p->c[x->c0 + i].df;
      cooc[i] = p->c[x->c0 + i].cooc;
    }
    size_t k = jb__xl_senses(prior, df, cooc, x->nc, p->pick + p->npick, p->pickw + p->npick);
    for (size_t i = 0; i < k; i++)
      p->pick[p->npick + i] += x->c0;
    p->npick += k;
  }
  free(v);
  return JB_OK;
}

size_t jb__xl_senses(const double *prior, const double *df, const double *cooc, size_t n,
                     size_t *pick, double *weight) {
  double maxc = 0, best = 0;
  for (size_t i = 0; i < n; i++)
    if (cooc[i] > maxc)
      maxc = cooc[i];
  /* a candidate the collection lacks is no translation of this need; one in
   * a single document is half there (a stray word), three or more fully */
  double score[JB_XLEX_MAX_CEDICT + 64];
  if (n > sizeof score / sizeof *score)
    n = sizeof score / sizeof *score;
  for (size_t i = 0; i < n; i++) {
    double presence = df[i] <= 0 ? 0 : fmin(1.0, log1p(df[i]) / log1p(3.0));
    score[i] = prior[i] * presence * (0.3 + (maxc > 0 ? cooc[i] / maxc : 0));
    if (score[i] > best)
      best = score[i];
  }
  size_t k = 0;
  while (best > 0 && k < XL_KEEP) {
    size_t bi = 0;
    double bs = 0;
    for (size_t i = 0; i < n; i++) {
      int taken = 0;
      for (size_t j = 0; j < k && !taken; j++)
        taken = pick[j] == i;
      if (!taken && score[i] > bs) {
        bs = score[i];
        bi = i;
      }
    }
    if (!(bs > 0.5 * best))
      break;
    pick[k] = bi;
    weight[k++] = bs / best;
  }
  return k;
}

/* jb__xl_plan, or with deferred the plan of jb__xl_plan_deferred */
static int make_plan(jb_engine *e, const jb_match_weights *w, const xl_src *srcs, size_t nsrcs,
                     const char *targets, const char *typefield, const char *const *types,
                     size_t ntypes, int deferred, xl_plan **out) {
  *out = NULL;
  if (!(w->translate > 0) || !e->ix || nsrcs == 0)
    return JB_OK;
  /* mostly English letters: to Chinese; Han text (model codes and acronyms
   * beside it stay as they are): to English, when the collection has English */
  jb_xlex_dir dir;
  size_t han, latin;
  script_mix(srcs, nsrcs, &han, &latin);
  if (jb__xl_english(srcs, nsrcs))
    dir = JB_XLEX_EN2ZH;
  else if (han >= 2 && has_english(e))
    dir = JB_XLEX_ZH2EN;
  else
    return JB_OK;
  const jb_xlex *xl = jb__xl_lexicon(e);
  if (!xl)
    return JB_OK;
  xl_plan *p = calloc(1, sizeof *p);
  if (!p)
    return JB_ENOMEM;
  p->dir = dir;
  p->srcs = srcs;
  p->nsrcs = nsrcs;
  int rc = JB_OK;
  for (size_t i = 0; rc == JB_OK && i < nsrcs; i++) {
    if (!srcs[i].text || !*srcs[i].text || !(srcs[i].w > 0))
      continue;
    const char *norm;
    size_t nlen;
    rc = jb_normalize(e->map.tok, srcs[i].text, strlen(srcs[i].text), &norm, &nlen);
    char *copy = rc == JB_OK ? strndup(norm, nlen) : NULL;
    if (rc == JB_OK && !copy)
      rc = JB_ENOMEM;
    walk_ctx wc = {p, copy, i, JB_OK};
    if (rc == JB_OK) {
      rc = jb_xlex_translate(xl, copy, nlen, dir, on_span, &wc);
      if (wc.rc != JB_OK)
        rc = wc.rc;
    }
    free(copy);
  }
  /* the items each candidate needs, looked for where the candidates' text is */
  for (size_t i = 0; rc == JB_OK && i < p->nc; i++)
    rc = cand_items(e, p, &p->c[i], targets);
  if (rc == JB_OK && p->nc && deferred)
    choose_df(e, p);
  else if (rc == JB_OK && p->nc)
    rc = choose(e, p, typefield, types, ntypes);
  if (rc == JB_OK)
    rc = pick(p);
  if (rc != JB_OK) {
    jb__xl_free(p);
    return rc;
  }
  *out = p;
  return JB_OK;
}

int jb__xl_plan(jb_engine *e, const jb_match_weights *w, const xl_src *srcs, size_t nsrcs,
                const char *targets, const char *typefield, const char *const *types,
                size_t ntypes, xl_plan **out) {
  return make_plan(e, w, srcs, nsrcs, targets, typefield, types, ntypes, 0, out);
}

int jb__xl_plan_deferred(jb_engine *e, const jb_match_weights *w, const xl_src *srcs,
                         size_t nsrcs, const char *targets, xl_plan **out) {
  return make_plan(e, w, srcs, nsrcs, targets, NULL, NULL, 0, 1, out);
}

int jb__xl_rechoose(jb_engine *e, xl_plan *p, const char *const *types, const char *const *ids,
                    size_t n) {
  if (!p || p->nc == 0)
    return JB_OK;
  if (n > XL_PROBE)
    n = XL_PROBE;
  jb_ixquery *q = NULL;
  jb_ixresults *res = NULL;
  int rc = probe_query(p, &q);
  if (rc == JB_OK && (rc = jb_ixquery_set_matched(q, 1)) == JB_OK &&
      (rc = jb_index_score_docs(e->ix, q, types, ids, n, &res)) != JB_OK)
    jb__eset(e, rc, "search: %s", jb_index_error(e->ix));
  if (rc == JB_OK)
    rc = cooc_from(p, res);
  jb_ixresults_free(res);
  jb_ixquery_free(q);
  if (rc == JB_OK)
    rc = pick(p);
  return rc;
}

int jb__xl_apply(jb_engine *e, qbuild *b, const xl_plan *p) {
  if (!p)
    return JB_OK;
  int rc = JB_OK;
  b->plan = p;
  size_t own = b->nitems;
  for (size_t i = 0; rc == JB_OK && i < p->npick; i++) {
    const pcand *c = &p->c[p->pick[i]];
    const pspan *x = &p->sp[c->span];
    b->cur_xl = i + 1;
    /* a Chinese word counts as much as it is specific (通过, 提升 less than
     * 热失控), as the whole need weighs its own words; an English source's
     * Chinese translation is weighed so by jb__qb_source itself */
    double spec = 1;
    if (p->dir == JB_XLEX_ZH2EN && b->w->specific > 0)
      spec = pow(1.0 / (1.0 + log10(1.0 + jb_lexicon_freq(e->lx, x->key, strlen(x->key)))),
                 b->w->specific);
    for (size_t k = 0; rc == JB_OK && k < x->nsrc; k++) {
      const xl_src *s = &p->srcs[x->src[k]];
      rc = jb__qb_source(e, b, c->text, s->w * b->w->translate * p->pickw[i] * spec, s->cap);
    }
  }
  b->cur_xl = 0;
  /* The recall's elite set is chosen by each item's maximum weight, and
   * Xapian gives a term the database lacks a high one (its idf is the
   * highest): the need's own words, in the other language, would take the
   * places of the translations that are there. The items the index lacks
   * are left out, and each own item it holds (rare: in the challenges of
   * the same language, which the type filter drops) gets a place of its
   * own. Giving every own item a place, present or not, had let a hundred
   * more translated items in, common ones among them: at 100k outputs half
   * the time of an English need, for the same quality. */
  if (rc == JB_OK && p->npick)
    rc = jb_ixquery_elite_own(b->q, own);
  return rc;
}
