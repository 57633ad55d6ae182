/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match_cands.c: the candidates of a match: recall, the cascade's
 * re-score by the whole need, query expansion, the features and the order,
 * and the matched words of those shown. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/match_int.h"

int jb__cand_cmp(const void *a, const void *b) {
  const cand *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  int c = strcmp(x->type, y->type);
  return c ? c : strcmp(x->id, y->id);
}

void jb__cands_free(cand *c, size_t n) {
  for (size_t i = 0; c && i < n; i++) {
    free(c[i].id);
    free(c[i].items);
    json_decref(c[i].rec);
    json_decref(c[i].org);
  }
  free(c);
}

/* copies items[0..ni) to c's matched items; JB_OK or JB_ENOMEM */
static int set_items(cand *c, const int *items, size_t ni) {
  free(c->items);
  c->items = malloc((ni ? ni : 1) * sizeof *c->items);
  c->nitems = 0;
  if (!c->items)
    return JB_ENOMEM;
  if (ni)
    memcpy(c->items, items, ni * sizeof *items);
  c->nitems = ni;
  return JB_OK;
}

/* Works out the matched query items of the candidates `which` (pointers
 * into the candidate array) that have none yet (the cascade's re-score gives
 * them) with one search limited to them, and what their explanations need
 * from b (jb__explain_prepare). */
int jb__cands_matched(jb_engine *e, qbuild *b, cand **which, size_t n) {
  if (jb__explain_prepare(b) != JB_OK)
    return JB_ENOMEM;
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    m += which[i]->nitems == 0;
  if (m == 0)
    return JB_OK;
  const char **types = malloc(m * sizeof *types), **ids = malloc(m * sizeof *ids);
  int rc = types && ids ? JB_OK : JB_ENOMEM;
  for (size_t i = 0, k = 0; rc == JB_OK && i < n; i++)
    if (which[i]->nitems == 0) {
      types[k] = which[i]->type;
      ids[k++] = which[i]->id;
    }
  jb_ixresults *res = NULL;
  if (rc == JB_OK && (rc = jb_ixquery_only(b->q, types, ids, m)) == JB_OK &&
      (rc = jb_ixquery_set_matched(b->q, 1)) == JB_OK &&
      (rc = jb_index_search(e->ix, b->q, 0, m, &res)) != JB_OK)
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
      if ((rc = set_items(c, items, ni)) != JB_OK)
        break;
    }
  }
  jb_ixresults_free(res);
  jb_ixquery_only(b->q, NULL, NULL, 0);
  jb_ixquery_set_matched(b->q, 0);
  free(types);
  free(ids);
  return rc;
}

int jb__cands_recall(jb_engine *e, qbuild *b, size_t limit, cand **out, size_t *nout) {
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
      jb__cands_free(c, i + 1);
      for (size_t j = 0; j < norgs; j++)
        json_decref(orgs[j]);
      free(orgs);
      jb_ixresults_free(res);
      return JB_ENOMEM;
    }
    if (ni) /* items may be NULL when there are none */
      memcpy(c[i].items, items, ni * sizeof *items);
    c[i].nitems = ni;
    c[i].rec = jb__load_record_brief(e, jb_rec_type_of(t), id);
    if (!strcmp(t, "org")) {
      c[i].org = json_incref(c[i].rec);
    } else if (c[i].rec && str(c[i].rec, "org")) {
      const char *oid = str(c[i].rec, "org");
      size_t j = 0;
      while (j < norgs && strcmp(str(orgs[j], "id") ? str(orgs[j], "id") : "", oid))
        j++;
      if (j == norgs && (orgs[j] = jb__load_record_brief(e, JB_REC_ORG, oid)) != NULL)
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
      rc = jb__qb_source(e, b, t[i].text, w->expand * t[i].weight / t[0].weight, 8);
  *added = rc == JB_OK ? nt : 0;
  jb_ixexpand_free(t, nt);
  return rc;
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
    jb__cand_features(&c[i], challenge ? challenge : c[i].rec, other, other_org, maxb, w);
  qsort(c, keep, sizeof *c, jb__cand_cmp);
  return keep;
}

/* The cascade's second stage: the recalled candidates re-scored by the
 * whole need (b2) from their own term lists (jb_index_score_docs: BM25
 * under the collection's statistics, as a search limited to them would
 * give, at a cost that grows with the candidates and not with the whole
 * need's posting lists); each candidate's text score becomes recall_share
 * x its recall BM25 + (1 - recall_share) x its whole-need BM25 (each over
 * its best), and its matched items are the whole need's (those shown need
 * no search of their own). */
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
  /* a translated need: its senses from the recall's first hits, then its
   * translations join the whole need (once: after an expansion the same) */
  if (rc == JB_OK && b2->xl_pending) {
    rc = jb__xl_rechoose(e, b2->xl_pending, types, ids, n);
    if (rc == JB_OK)
      rc = jb__xl_apply(e, b2, b2->xl_pending);
    b2->xl_pending = NULL;
  }
  jb_ixresults *res = NULL;
  if (rc == JB_OK && (rc = jb_ixquery_set_matched(b2->q, 1)) == JB_OK &&
      (rc = jb_index_score_docs(e->ix, b2->q, types, ids, n, &res)) != JB_OK)
    jb__eset(e, rc, "search: %s", jb_index_error(e->ix));
  double max1 = 0, max2 = 0;
  for (size_t i = 0; i < n; i++)
    if (c[i].bm25 > max1)
      max1 = c[i].bm25;
  /* hit i is candidate i */
  for (size_t i = 0; rc == JB_OK && i < n && i < jb_ixresults_count(res); i++) {
    const int *items;
    size_t ni;
    jb_ixresults_hit(res, i, NULL, NULL, &bm2[i], NULL);
    if (bm2[i] > max2)
      max2 = bm2[i];
    jb_ixresults_matched(res, i, &items, &ni);
    rc = set_items(&c[i], items, ni); /* the recall's items are not the whole need's */
  }
  double s1 = b2->w->recall_share;
  for (size_t i = 0; rc == JB_OK && i < n; i++)
    c[i].bm25 = s1 * (max1 > 0 ? c[i].bm25 / max1 : 0) + (1 - s1) * (max2 > 0 ? bm2[i] / max2 : 0);
  jb_ixresults_free(res);
  jb_ixquery_set_matched(b2->q, 0);
  free(types);
  free(ids);
  free(bm2);
  return rc;
}

/* Recall (b), the cascade's second stage when b2 is given, then the
 * features: the ranked candidates in *c (*keep of *n kept). */
int jb__cands_ranked(jb_engine *e, qbuild *b, qbuild *b2, const json_t *challenge,
                     const json_t *other, const json_t *other_org, const char *const *xf,
                     size_t nxf, cand **c, size_t *n, size_t *keep) {
  *keep = 0;
  int rc = jb__cands_recall(e, b, b->w->recall, c, n);
  if (rc == JB_OK && b2)
    rc = rescore(e, b2, *c, *n);
  if (rc != JB_OK)
    return rc;
  *keep = rank_cands(*c, *n, challenge, other, other_org, b->w);
  size_t added = 0;
  rc = expand_query(e, b, *c, *keep, xf, nxf, &added);
  if (rc == JB_OK && added) {
    jb__cands_free(*c, *n);
    *c = NULL;
    *n = *keep = 0;
    rc = jb__cands_recall(e, b, b->w->recall, c, n);
    if (rc == JB_OK && b2)
      rc = rescore(e, b2, *c, *n);
    if (rc == JB_OK)
      *keep = rank_cands(*c, *n, challenge, other, other_org, b->w);
  }
  return rc;
}
