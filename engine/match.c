/* SPDX-License-Identifier: GPL-3.0-or-later */
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
 * Ties are broken by type and id: the same data gives the same order.
 *
 * This file: the hard filters, the two directions, the reciprocal score and
 * the entry points; the rest is in match_query.c (the query), match_cands.c
 * (recall, the cascade's re-score), match_features.c, match_explain.c and
 * match_weights.c (engine/match_int.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/match_int.h"
#include "engine/prefixes.h"

/* ---- hard filters ------------------------------------------------------------------------ */

static int forward_filters(jb_ixquery *q, const json_t *ch, const char *issuer) {
  int rc = JB_OK;
  if (issuer)
    rc = jb_ixquery_filter(q, JB_IX_NONE_OF, JB_PFX_ORG, &issuer, 1);
  const json_t *el = json_object_get(ch, "eligibility");
  const json_t *kinds = json_object_get(el, "org_kinds"), *regs = json_object_get(el, "regions");
  const char *v[128];
  size_t n = 0;
  for (size_t i = 0; i < json_array_size(kinds) && n < 128; i++)
    v[n++] = json_string_value(json_array_get(kinds, i));
  if (rc == JB_OK && n)
    rc = jb_ixquery_filter(q, JB_IX_ANY_OF, JB_PFX_ORG_KIND, v, n);
  n = 0;
  for (size_t i = 0; i < json_array_size(regs) && n < 128; i++)
    v[n++] = json_string_value(json_array_get(regs, i));
  if (rc == JB_OK && n)
    rc = jb_ixquery_filter(q, JB_IX_ANY_OF, JB_PFX_ORG_REGION, v, n);
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

static int forward(jb_engine *e, const jb_match_req *r, const jb_match_weights *w,
                   json_t *ch, json_t *outj) {
  int k = (int)r->kind;
  const char *kind = jb_rec_type_name(k);
  if (!kind || k == JB_REC_CHALLENGE)
    return JB__EM(e, JB_EINVAL, "kind", match_kind);
  qbuild b = {0}, b2 = {0};
  b.targets = b2.targets = k == JB_REC_OUTPUT ? "TKD" : "TKDC";
  b.w = b2.w = w;
  b2.whole = 1;
  int cascade = w->cascade > 0;
  b.elite = (unsigned)(cascade ? w->cascade_elite : w->elite);
  /* across languages: the need's translated terms join both stages */
  static const char *const all_types[] = {"output", "expert", "org"};
  xl_src *xs = NULL;
  size_t nxs = 0;
  xl_plan *xp = NULL;
  int rc = jb__qb_srcs(ch, JB_REC_CHALLENGE, w, &xs, &nxs);
  b.english = b2.english = rc == JB_OK && jb__xl_english(xs, nxs);
  if (rc == JB_OK)
    rc = jb__qb_need(e, &b, ch, w, kind, k);
  if (rc == JB_OK && cascade)
    rc = jb__qb_need(e, &b2, ch, w, kind, k);
  /* with the cascade, the recall takes the senses prior and presence give
   * and the second stage those the recall's first hits then choose (no
   * probe search of their own) */
  if (rc == JB_OK && cascade)
    rc = jb__xl_plan_deferred(e, w, xs, nxs, b.targets, &xp);
  else if (rc == JB_OK)
    rc = jb__xl_plan(e, w, xs, nxs, b.targets, JB_PFX_TYPE, k == JB_REC_ORG ? all_types : &kind,
                     k == JB_REC_ORG ? 3 : 1, &xp);
  if (rc == JB_OK)
    rc = jb__xl_apply(e, &b, xp);
  if (cascade) {
    b.plan = NULL; /* its pairs are the recall's, replaced by the second stage's */
    b2.xl_pending = xp;
  }
  /* what the explanations show: the whole need's matched words */
  qbuild *shown_q = cascade ? &b2 : &b;
  const char *issuer = str(ch, "org");
  /* without the hard filters first, for "why not" */
  cand *all = NULL;
  size_t nall = 0;
  if (rc == JB_OK && r->explain_filtered)
    rc = jb__cands_recall(e, &b, r->limit * 3, &all, &nall);
  if (rc == JB_OK)
    rc = forward_filters(b.q, ch, issuer);
  cand *c = NULL;
  size_t n = 0, keep = 0;
  /* expansion from the candidates' titles and keywords (an expert's title
   * is a name: keywords only) */
  static const char *const xout[] = {JB_PFX_TITLE, JB_PFX_KEYWORDS};
  static const char *const xother[] = {JB_PFX_KEYWORDS};
  if (rc == JB_OK)
    rc = jb__cands_ranked(e, &b, cascade ? &b2 : NULL, ch, NULL, NULL,
                       k == JB_REC_OUTPUT ? xout : xother, k == JB_REC_OUTPUT ? 2 : 1, &c, &n,
                       &keep);
  if (rc != JB_OK) {
    jb__cands_free(all, nall);
    jb__cands_free(c, n);
    jb__qb_free(&b);
    jb__qb_free(&b2);
    jb__xl_free(xp);
    free(xs);
    return rc;
  }
  json_t *matches = json_array();
  if (k != JB_REC_ORG) {
    size_t show = keep < r->limit ? keep : r->limit;
    cand **top = malloc((show ? show : 1) * sizeof *top);
    for (size_t i = 0; top && i < show; i++)
      top[i] = &c[i];
    int frc = top ? jb__cands_matched(e, shown_q, top, show) : JB_ENOMEM;
    free(top);
    if (frc != JB_OK) {
      json_decref(matches);
      jb__cands_free(all, nall);
      jb__cands_free(c, n);
      jb__qb_free(&b);
      jb__qb_free(&b2);
    jb__xl_free(xp);
    free(xs);
      return frc;
    }
    for (size_t i = 0; i < show; i++)
      json_array_append_new(matches, jb__cand_json(&c[i], shown_q, c[i].score));
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
    qsort(orgs, no, sizeof *orgs, jb__cand_cmp);
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
      jb__cands_matched(e, shown_q, shown, nshow);
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
      json_t *ex = jb__cand_explain(o, shown_q);
      json_object_set(ex, "features", feat);
      json_decref(feat);
      json_t *ev = json_array();
      for (int x = 0; x < o->nev; x++)
        json_array_append_new(ev, jb__cand_json(&c[o->ev[x]], shown_q, c[o->ev[x]].score));
      json_object_set_new(m, "explanation", ex);
      json_object_set_new(m, "evidence", ev);
      json_array_append_new(matches, m);
    }
    jb__cands_free(orgs, no);
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
  jb__cands_free(all, nall);
  jb__cands_free(c, n);
  jb__qb_free(&b);
  jb__qb_free(&b2);
  jb__xl_free(xp);
  free(xs);
  return JB_OK;
}

static long today_days(void) {
  time_t t = time(NULL);
  return (long)(t / 86400);
}

/* the queries of a record matched against the open challenges, b and (the
 * cascade's second stage, every term) b2 when not NULL: its own texts and,
 * for an expert or org, its work as evidence, read once for both */
static int reverse_sources(jb_engine *e, qbuild *b, qbuild *b2, int type, const json_t *rec) {
  int rc = JB_OK;
  for (int q = 0; q < 2 && rc == JB_OK; q++) {
    qbuild *x = q ? b2 : b;
    if (!x)
      continue;
    if (type == JB_REC_OUTPUT) {
      rc = jb__qb_source(e, x, str(rec, "title"), 3.0, 200);
      if (rc == JB_OK) rc = jb__qb_list(e, x, json_object_get(rec, "keywords"), 2.0);
      if (rc == JB_OK) rc = jb__qb_source(e, x, str(rec, "abstract"), 1.0, LONG_CAP);
    } else if (type == JB_REC_EXPERT) {
      rc = jb__qb_list(e, x, json_object_get(rec, "keywords"), 3.0);
      if (rc == JB_OK) rc = jb__qb_source(e, x, str(rec, "bio"), 1.0, LONG_CAP);
    } else {
      rc = jb__qb_source(e, x, str(rec, "description"), 1.5, LONG_CAP);
    }
  }
  if (rc == JB_OK && type != JB_REC_OUTPUT)
    rc = jb__qb_evidence(e, b, b2, type, str(rec, "id"));
  return rc;
}

static int reverse(jb_engine *e, const jb_match_req *r, const jb_match_weights *w, int type,
                   json_t *rec, json_t *outj) {
  qbuild b = {0}, b2 = {0};
  b.targets = b2.targets = "TPIKD";
  int cascade = w->cascade > 0;
  b.elite = (unsigned)(cascade ? w->cascade_elite : w->elite);
  b.w = b2.w = w;
  b2.whole = 1;
  /* across languages: an English profile's Chinese terms, and the reverse */
  xl_src *xs = NULL;
  size_t nxs = 0;
  xl_plan *xp = NULL;
  int rc = jb__qb_srcs(rec, type, w, &xs, &nxs);
  if (rc == JB_OK)
    rc = jb_ixquery_new(&b.q);
  if (rc == JB_OK && cascade)
    rc = jb_ixquery_new(&b2.q);
  if (rc != JB_OK) {
    jb__qb_free(&b);
    free(xs);
    return rc;
  }
  b.english = b2.english = jb__xl_english(xs, nxs);
  json_t *org = type == JB_REC_ORG ? json_incref(rec)
                : str(rec, "org")   ? jb__load_record(e, JB_REC_ORG, str(rec, "org"))
                                    : NULL;
  rc = reverse_sources(e, &b, cascade ? &b2 : NULL, type, rec);
  const char *ch = "challenge", *pub = "published";
  /* with the cascade, as forward: the recall's senses from prior and
   * presence, the second stage's from the recall's first hits */
  if (rc == JB_OK && cascade)
    rc = jb__xl_plan_deferred(e, w, xs, nxs, b.targets, &xp);
  else if (rc == JB_OK)
    rc = jb__xl_plan(e, w, xs, nxs, b.targets, JB_PFX_TYPE, &ch, 1, &xp);
  if (rc == JB_OK)
    rc = jb__xl_apply(e, &b, xp);
  if (cascade) {
    b.plan = NULL; /* its pairs are the recall's, replaced by the second stage's */
    b2.xl_pending = xp;
  }
  /* what the explanations show: the whole query's matched words */
  qbuild *shown_q = cascade ? &b2 : &b;
  if (rc == JB_OK) rc = jb_ixquery_filter(b.q, JB_IX_ALL_OF, JB_PFX_TYPE, &ch, 1);
  if (rc == JB_OK) rc = jb_ixquery_filter(b.q, JB_IX_ALL_OF, JB_PFX_STATUS, &pub, 1);
  if (rc == JB_OK) rc = jb_ixquery_range(b.q, JB_SLOT_DEADLINE, (double)today_days(), NAN);
  const char *oid = org ? str(org, "id") : NULL;
  if (rc == JB_OK && oid) rc = jb_ixquery_filter(b.q, JB_IX_NONE_OF, JB_PFX_ORG, &oid, 1);
  const char *kinds[2] = {"any", org ? str(org, "kind") : NULL};
  if (rc == JB_OK)
    rc = jb_ixquery_filter(b.q, JB_IX_ANY_OF, JB_PFX_ELIG_KIND, kinds, kinds[1] ? 2 : 1);
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
  if (rc == JB_OK) rc = jb_ixquery_filter(b.q, JB_IX_ANY_OF, JB_PFX_ELIG_REGION, regs, nr);
  cand *c = NULL;
  size_t n = 0;
  size_t keep = 0;
  static const char *const xch[] = {JB_PFX_TITLE, JB_PFX_KEYWORDS, JB_PFX_INDICATORS};
  if (rc == JB_OK)
    rc = jb__cands_ranked(e, &b, cascade ? &b2 : NULL, NULL, rec, org, xch, 3, &c, &n, &keep);
  if (rc == JB_OK) {
    size_t show = keep < r->limit ? keep : r->limit;
    cand **top = malloc((show ? show : 1) * sizeof *top);
    for (size_t i = 0; top && i < show; i++)
      top[i] = &c[i];
    rc = top ? jb__cands_matched(e, shown_q, top, show) : JB_ENOMEM;
    free(top);
    json_t *matches = json_array();
    for (size_t i = 0; rc == JB_OK && i < show; i++)
      json_array_append_new(matches, jb__cand_json(&c[i], shown_q, c[i].score));
    json_object_set_new(outj, "matches", matches);
  }
  jb__cands_free(c, n);
  json_decref(org);
  jb__qb_free(&b);
  jb__qb_free(&b2);
  jb__xl_free(xp);
  free(xs);
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
  jb_match_req q;
  jb_match_req_init(&q);
  q.type = (jb_rec_type)jb_rec_type_of(type);
  q.id = id;
  q.kind = kind ? (jb_rec_type)jb_rec_type_of(kind) : JB_REC_OUTPUT;
  q.limit = RECIP_DEPTH;
  q.weights = w;
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
  int fwd = r->type == JB_REC_CHALLENGE;
  for (size_t i = 0; i < json_array_size(ms); i++) {
    json_t *m = json_array_get(ms, i);
    const char *mtype = json_string_value(json_object_get(m, "type"));
    const char *mid = json_string_value(json_object_get(m, "id"));
    double here = best > 0 ? json_number_value(json_object_get(m, "score")) / best : 0, there;
    int rank;
    int rc = fwd ? other_way(e, w, mtype, mid, NULL, r->id, &there, &rank)
                 : other_way(e, w, "challenge", mid, jb_rec_type_name(r->type), r->id, &there,
                             &rank);
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
    return JB__EM(e, JB_EINVAL, "limit", limit_range, 100);
  jb_match_weights w = *weights;
  if (w.recall < req.limit)
    w.recall = req.limit;
  int type = (int)r->type;
  const char *tname = jb_rec_type_name(type);
  if (!tname)
    return JB__EM(e, JB_EINVAL, "type", match_type);
  if (!e->ix)
    return JB__EM(e, JB_ENOENT, NULL, no_index);
  json_t *rec = jb__load_record(e, type, r->id);
  if (!rec)
    return JB__EM(e, JB_ENOENT, NULL, record_not_found, tname, r->id);
  json_t *o = json_object(), *q = json_object();
  json_object_set_new(q, "type", json_string(tname));
  json_object_set_new(q, "id", json_string(r->id));
  json_object_set_new(q, "title", json_string(jb_rec_title(rec)));
  if (type == JB_REC_CHALLENGE)
    json_object_set_new(q, "kind", json_string(jb_rec_type_name(req.kind) ? jb_rec_type_name(req.kind)
                                                                          : "output"));
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
    return JB__EM(e, JB_ENOENT, NULL, no_index);
  json_t *o = json_object();
  int rc = o ? forward(e, &req, &w, ch, o) : JB_ENOMEM;
  if (rc != JB_OK) {
    json_decref(o);
    return rc;
  }
  *out = o;
  return JB_OK;
}

void jb_match_req_init(jb_match_req *r) {
  memset(r, 0, sizeof *r);
  r->type = JB_REC_CHALLENGE;
  r->kind = JB_REC_OUTPUT;
  r->limit = 10;
}

int jb__match_json(jb_engine *e, const jb_match_req *r, json_t **out) {
  if (!e || !r || !out || !r->id)
    return JB_EINVAL;
  *out = NULL;
  e->err[0] = '\0';
  jb_match_weights w;
  if (r->weights)
    w = *r->weights;
  else
    jb_match_weights_init(&w);
  int rc;
  /* a match reads the index several times (recall, the whole need, the
   * matched words, the other direction): when a writer's commits discard
   * the revision a reader stands on, the reader moves on and the match runs
   * again on one revision */
  for (int attempt = 0;; attempt++) {
    rc = match_one(e, r, &w, out);
    if (rc == JB_OK && r->reciprocal)
      rc = add_reciprocal(e, r, &w, *out);
    if (rc == JB_OK && r->reviews)
      rc = jb__match_annotate(e, r, *out);
    if (rc != JB_ESTALE || attempt >= 4 || !e->o.readonly || !e->ix)
      break;
    json_decref(*out);
    *out = NULL;
    jb_index_reopen(e->ix);
  }
  if (rc != JB_OK) {
    json_decref(*out);
    *out = NULL;
  }
  return rc;
}

int jb_engine_match(jb_engine *e, const jb_match_req *r, char **json) {
  if (!json)
    return JB_EINVAL;
  *json = NULL;
  json_t *out = NULL;
  int rc = jb__match_json(e, r, &out);
  if (rc == JB_OK && !(*json = json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(10))))
    rc = JB_ENOMEM;
  json_decref(out);
  return rc;
}
