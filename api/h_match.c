/* SPDX-License-Identifier: GPL-3.0-or-later */
/* h_match.c: matches (GET /v1/{type}/{id}/matches) and suggestions (GET
 * /v1/challenges/{id}/suggest). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "api/authz.h"
#include "api/body.h"
#include "api/handlers.h"
#include "api/highlight.h"
#include "api/request.h"
#include "engine/record.h"
#include "locale/jb_locale.h"

/* ---- matches ---------------------------------------------------------------------------- */

/* the match reviews of challenge cid (a new reference; NULL on error):
 * all of them with their private notes (only_org NULL: officers and the
 * issuer), or the candidate's view of those of only_org (state and reason
 * code, no note) */
static json_t *reviews_of(jb_engine *e, const char *cid, const char *only_org) {
  char *rs = NULL;
  json_t *all =
      jb_engine_match_reviews(e, cid, only_org, &rs) == JB_OK ? json_loads(rs, 0, NULL) : NULL;
  free(rs);
  return all;
}

/* the review of candidate (type, id) among all, as shown in a match list
 * (the note only where the list of reviews carries it) */
static json_t *find_review(const json_t *all, const char *type, const char *id) {
  for (size_t x = 0; type && id && x < json_array_size(all); x++) {
    json_t *r = json_array_get(all, x);
    if (!strcmp(json_string_value(json_object_get(r, "type")), type) &&
        !strcmp(json_string_value(json_object_get(r, "id")), id))
      return json_pack("{s:O,s:O*,s:O*}", "state", json_object_get(r, "state"), "reason",
                       json_object_get(r, "reason"), "note", json_object_get(r, "note"));
  }
  return NULL;
}

/* Adds each match's review ("review": {state, reason[, note]}) and drops
 * dismissed matches from a challenge's list unless asked. A challenge's list
 * (seen by officers and its issuer: `sees`) shows its reviews with their
 * private notes; a candidate's list of open challenges shows each
 * challenge's review of this candidate, so a declined candidate learns the
 * reason code — the officer's note only when the viewer is an officer
 * (only_org NULL), never for the candidate's own org (only_org its org). */
static char *annotate_reviews(jb_engine *e, int sees, const char *only_org, const jb_call *c,
                              char *out, int with_dismissed) {
  json_t *j = json_loads(out, 0, NULL), *ms = json_object_get(j, "matches");
  if (!j)
    return out;
  int fwd = c->type == JB_REC_CHALLENGE;
  /* a challenge's list: its reviews, read once; a candidate's list: each
   * challenge's reviews in turn */
  json_t *mine = sees && fwd ? reviews_of(e, c->id, NULL) : NULL;
  json_t *kept = json_array();
  for (size_t i = 0; i < json_array_size(ms); i++) {
    json_t *m = json_array_get(ms, i), *rv = NULL;
    const char *mtype = json_string_value(json_object_get(m, "type"));
    const char *mid = json_string_value(json_object_get(m, "id"));
    if (sees && fwd) {
      rv = find_review(mine, mtype, mid);
    } else if (sees) {
      json_t *theirs = reviews_of(e, mid, only_org);
      rv = find_review(theirs, jb_rec_type_name(c->type), c->id);
      json_decref(theirs);
    }
    const char *state = rv ? json_string_value(json_object_get(rv, "state")) : NULL;
    if (fwd && state && !strcmp(state, "dismissed") && !with_dismissed) {
      json_decref(rv);
      continue;
    }
    if (rv)
      json_object_set_new(m, "review", rv);
    json_array_append(kept, m);
  }
  json_object_set_new(j, "matches", kept);
  json_decref(mine);
  char *n = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10));
  json_decref(j);
  if (!n)
    return out;
  free(out);
  return n;
}

void jb__h_matches(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  int is_ch = c->type == JB_REC_CHALLENGE;
  if (!jb__wait_seq(s, c, e))
    return;
  const char *type = jb_rec_type_name(c->type);
  int rc;
  json_t *rec = jb__stored_record(e, type, c->id);
  if (!rec || !jb_authz_visible(k, c->type, rec)) {
    json_decref(rec);
    JB_FAILM(c, 404, NOT_FOUND, type, c->id);
    return;
  }
  /* a challenge's reviews are shown to officers and its issuer; a
   * candidate's, to officers and (without notes) the candidate's own org */
  const char *owner = jb_authz_owner(c->type, rec);
  int officer = jb_authz_sees_all(k);
  int sees_reviews = officer || (is_ch ? jb_authz_is_issuer(k, rec)
                                       : k->org[0] && owner && !strcmp(owner, k->org));
  json_decref(rec);
  long long limit = 10;
  size_t offset = 0;
  int explain = 0, recip = 0;
  const char *kind = jb_qs_get(&c->qs, "kind");
  if (!jb__page_offset(s, c, 'm', 10, &limit, &offset) ||
      !jb__bool_param(c, "explain_filtered", &explain) || !jb__bool_param(c, "reciprocal", &recip))
    return;
  if (offset >= 100) {
    jb__fail(c, 400, "cursor: matches are ranked 100 deep");
    return;
  }
  if (kind && strcmp(kind, "output") && strcmp(kind, "expert") && strcmp(kind, "org")) {
    jb__fail(c, 400, "kind: must be output, expert or org");
    return;
  }
  int with_dismissed = 0;
  if (!jb__bool_param(c, "include_dismissed", &with_dismissed))
    return;
  /* the page, one more (is there a next?) and room for the dismissed ones
   * left out below: limit counts the matches shown */
  size_t want = offset + (size_t)limit + 11;
  if (want > 100)
    want = 100;
  jb_match_req r = {type, c->id, kind, want, explain, jb__srv_weights(s), recip};
  char *out = NULL;
  rc = jb_engine_match(e, &r, &out);
  if (rc == JB_OK)
    out = annotate_reviews(e, sees_reviews, officer ? NULL : k->org, c, out, with_dismissed);
  if (rc == JB_ENOENT) {
    jb__engine_refuse(c, e, 404);
    return;
  }
  if (rc != JB_OK) {
    jb__engine_fail(c, e, rc);
    return;
  }
  json_t *ans = json_loads(out, 0, NULL);
  free(out);
  json_t *all = json_object_get(ans, "matches");
  if (!json_is_array(all)) {
    json_decref(ans);
    jb__fail(c, 500, "internal error");
    return;
  }
  size_t n = json_array_size(all);
  json_t *page = json_array();
  for (size_t i = offset; i < n && json_array_size(page) < (size_t)limit; i++)
    json_array_append(page, json_array_get(all, i));
  char next[24] = "";
  if (offset + (size_t)limit < n)
    snprintf(next, sizeof next, "%zu", offset + (size_t)limit);
  /* fewer than asked of the ranking: that is all of them; else at least n */
  int estimated = n >= want;
  json_t *pg = jb__page_answer(page, 'm', next[0] ? next : NULL, (int64_t)n, estimated);
  const char *key;
  json_t *v;
  json_object_foreach(pg, key, v) {
    if (strcmp(key, "items"))
      json_object_set(ans, key, v);
  }
  json_object_set(ans, "matches", json_object_get(pg, "items"));
  json_decref(pg);
  jb__answer(c, 200, ans);
}

/* the vague-need assistant: terms the best candidates share and the need
 * lacks (whoever sees the challenge; accepting one is a PATCH) */
void jb__h_suggest(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  if (!jb__wait_seq(s, c, e))
    return;
  long long limit = 10;
  if (!jb__num_param(c, "limit", 1, 50, &limit))
    return;
  json_t *ch = jb__visible_challenge(c, e, k);
  if (!ch)
    return;
  json_decref(ch);
  char *out = NULL;
  int rc = jb_engine_suggest(e, c->id, jb__srv_weights(s), (size_t)limit, &out);
  if (rc == JB_ENOENT) {
    jb__engine_refuse(c, e, 404);
    return;
  }
  if (rc != JB_OK) {
    jb__engine_fail(c, e, rc);
    return;
  }
  c->status = 200;
  c->resp = out;
}

