/* SPDX-License-Identifier: GPL-3.0-or-later */
/* search.c: ranked search with filters, orders and pages (jiebang.h,
 * jb_engine_search_req): the query through the mapper, the filters on the
 * index's filter terms and value slots (engine/indexdoc.h), the hits with
 * their titles, longer texts and matched words from the store. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_int.h"
#include "engine/indexdoc.h"
#include "engine/prefixes.h"
#include "engine/jiebang.h"
#include "engine/record.h"
#include "engine/store.h"

int jb_engine_search(jb_engine *e, const char *query, const char *type, size_t limit,
                     jb_hit **hits, size_t *n) {
  jb_search_req r;
  jb_search_req_init(&r);
  r.query = query;
  r.type = type;
  r.limit = limit;
  return jb_engine_search_req(e, &r, hits, n, NULL);
}

void jb_search_req_init(jb_search_req *r) {
  memset(r, 0, sizeof *r);
  r->funding_min = r->funding_max = NAN;
  r->sort = JB_SORT_RELEVANCE;
}

/* the filters and the order of r on q */
static int add_filters(jb_engine *e, const jb_search_req *r, jb_ixquery *q) {
  int rc = JB_OK;
  const char *v;
#define FILTER(prefix, val)                                                                      \
  do {                                                                                           \
    v = (val);                                                                                   \
    if (rc == JB_OK && v)                                                                        \
      rc = jb_ixquery_filter(q, JB_IX_ALL_OF, prefix, &v, 1);                                    \
  } while (0)
  FILTER(JB_PFX_TYPE, r->type);
  FILTER(JB_PFX_STATUS, r->open ? "published" : r->status);
  FILTER(JB_PFX_FIELD, r->field);
  FILTER(JB_PFX_ORG_REGION, r->region); /* the region of the record's org (an org's own) */
  FILTER(JB_PFX_ORG_KIND, r->org_kind);
#undef FILTER
  double lo = NAN, hi = NAN;
  if (r->open)
    lo = (double)jb__days_from_date(r->today);
  if (r->deadline_from) {
    double f = (double)jb__days_from_date(r->deadline_from);
    lo = isnan(lo) || f > lo ? f : lo;
  }
  if (r->deadline_to)
    hi = (double)jb__days_from_date(r->deadline_to);
  if (rc == JB_OK && (!isnan(lo) || !isnan(hi)))
    rc = jb_ixquery_range(q, JB_SLOT_DEADLINE, lo, hi);
  if (rc == JB_OK && (!isnan(r->funding_min) || !isnan(r->funding_max)))
    rc = jb_ixquery_range(q, JB_SLOT_FUNDING, r->funding_min, r->funding_max);
  /* an order by a value leaves out what has none (an org has no deadline) */
  unsigned slot = r->sort == JB_SORT_DEADLINE ? JB_SLOT_DEADLINE
                  : r->sort == JB_SORT_NEWEST ? JB_SLOT_CREATED
                                              : JB_SLOT_FUNDING;
  if (rc == JB_OK && r->sort != JB_SORT_RELEVANCE &&
      (rc = jb_ixquery_range(q, slot, -1e300, 1e300)) == JB_OK)
    rc = jb_ixquery_sort_by(q, slot, r->sort == JB_SORT_DEADLINE);
  if (rc != JB_OK)
    return jb__eset(e, rc, "search: %s", jb_strerror(rc));
  return JB_OK;
}

/* the record's longer text, where a snippet comes from */
static const char *long_text(const json_t *rec) {
  static const char *const names[] = {"abstract", "description", "problem", "bio"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    const char *s = json_string_value(json_object_get(rec, names[i]));
    if (s && *s)
      return s;
  }
  return "";
}

int jb_engine_search_req(jb_engine *e, const jb_search_req *r, jb_hit **hits, size_t *n,
                         uint64_t *estimate) {
  *hits = NULL;
  *n = 0;
  if (estimate)
    *estimate = 0;
  if (!e || !r || !r->query || r->limit == 0 || r->limit > 1000 || r->offset > 100000)
    return JB_EINVAL;
  const char *query = r->query, *type = r->type;
  size_t limit = r->limit;
  e->err[0] = '\0';
  if (type && jb_rec_type_of(type) < 0)
    return JB__EM(e, JB_EINVAL, "type", must_be_type);
  if (r->open && !r->today)
    return JB__EM(e, JB_EINVAL, "open", open_needs_today);
  if (r->sort < JB_SORT_RELEVANCE || r->sort > JB_SORT_NEWEST)
    return JB__EM(e, JB_EINVAL, "sort", unknown_sort);
  if (!e->ix && e->o.readonly && jb_engine_refresh(e, NULL) != JB_OK)
    return JB_EINDEX;
  if (!e->ix) {
    int64_t records = 0;
    if (jb__store_count(e->st, -1, &records) != JB_OK)
      return jb__eset_store(e, JB_ESTORE);
    if (records == 0)
      return JB_OK; /* nothing stored yet: nothing to find */
    return jb__eset(e, JB_EINDEX,
                    "there is no search index at %s/index although the store holds %lld "
                    "records: `jiebang reindex --data %s` builds it",
                    e->dir, (long long)records, e->dir);
  }
  jb_ixquery *q;
  int rc = jb_ixquery_new(&q);
  if (rc != JB_OK)
    return rc;
  char **labels = NULL;
  size_t nlabels = 0;
  if ((rc = jb__map_query(&e->map, query, q, &labels, &nlabels)) != JB_OK) {
    jb_ixquery_free(q);
    jb__labels_free(labels, nlabels);
    return jb__eset(e, rc, "query: %s", jb_tokenizer_error(e->map.tok));
  }
  rc = add_filters(e, r, q);
  jb_ixresults *res = NULL;
  if (rc == JB_OK && (rc = jb_index_search(e->ix, q, r->offset, limit, &res)) != JB_OK)
    jb__eset(e, rc, "search: %s", jb_index_error(e->ix));
  if (rc == JB_OK && estimate)
    *estimate = jb_ixresults_estimate(res);
  jb_ixquery_free(q);
  size_t cnt = jb_ixresults_count(res);
  jb_hit *h = rc == JB_OK ? calloc(cnt ? cnt : 1, sizeof *h) : NULL;
  if (rc == JB_OK && !h)
    rc = JB_ENOMEM;
  for (size_t i = 0; rc == JB_OK && i < cnt; i++) {
    const char *t, *id;
    jb_ixresults_hit(res, i, &t, &id, &h[i].score, NULL);
    snprintf(h[i].type, sizeof h[i].type, "%s", t);
    h[i].id = strdup(id);
    char *body = NULL;
    json_t *rec = NULL;
    if (jb__store_get(e->st, jb_rec_type_of(t), id, &body) == JB_OK)
      jb_rec_parse(body, strlen(body), &rec, NULL, 0);
    h[i].title = strdup(rec ? jb_rec_title(rec) : "");
    h[i].text = strdup(rec ? long_text(rec) : "");
    json_decref(rec);
    free(body);
    /* the query words behind the matched items, each once */
    const int *items;
    size_t ni, len = 0;
    jb_ixresults_matched(res, i, &items, &ni);
    for (size_t k = 0; k < ni; k++)
      if ((size_t)items[k] < nlabels && labels[items[k]])
        len += strlen(labels[items[k]]) + 1;
    h[i].matched = calloc(len + 1, 1);
    for (size_t k = 0; h[i].matched && k < ni; k++) {
      const char *l = (size_t)items[k] < nlabels ? labels[items[k]] : NULL;
      if (!l)
        continue;
      size_t ll = strlen(l);
      int dup = 0;
      for (const char *p = h[i].matched; *p && !dup; p = strchr(p, ' ') ? strchr(p, ' ') + 1 : "")
        dup = !strncmp(p, l, ll) && (p[ll] == ' ' || p[ll] == '\0');
      if (!dup) {
        if (h[i].matched[0])
          strcat(h[i].matched, " ");
        strcat(h[i].matched, l);
      }
    }
    if (!h[i].id || !h[i].title || !h[i].text || !h[i].matched)
      rc = JB_ENOMEM;
  }
  jb_ixresults_free(res);
  jb__labels_free(labels, nlabels);
  if (rc != JB_OK) {
    jb_hits_free(h, cnt);
    return e->err[0] ? rc : jb__eset(e, rc, "%s", jb_strerror(rc));
  }
  *hits = h;
  *n = cnt;
  return JB_OK;
}

void jb_hits_free(jb_hit *hits, size_t n) {
  for (size_t i = 0; hits && i < n; i++) {
    free(hits[i].id);
    free(hits[i].title);
    free(hits[i].matched);
    free(hits[i].text);
  }
  free(hits);
}

double jb__term_docs(jb_engine *e, const char *field, int kind, const char *text, size_t len) {
  uint64_t n = 0;
  if (!e->ix || jb_index_termfreq(e->ix, field, kind, text, len, &n) != JB_OK)
    return 0;
  return (double)n;
}
