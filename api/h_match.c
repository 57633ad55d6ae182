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
#include "api/cursor.h"
#include "api/handlers.h"
#include "api/highlight.h"
#include "api/request.h"
#include "engine/record.h"
#include "locale/jb_locale.h"

/* ---- matches ---------------------------------------------------------------------------- */

void jb__h_matches(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  int is_ch = c->type == JB_REC_CHALLENGE;
  if (!jb__wait_seq(s, c, e))
    return;
  const char *type = jb_rec_type_name(c->type);
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
    JB_FAILM(c, 400, MATCH_DEPTH);
    return;
  }
  int kt = kind ? jb_rec_type_of(kind) : JB_REC_OUTPUT;
  if (kt < 0 || kt == JB_REC_CHALLENGE) {
    JB_FAILM(c, 400, MATCH_KIND);
    return;
  }
  int with_dismissed = 0;
  if (!jb__bool_param(c, "include_dismissed", &with_dismissed))
    return;
  jb_match_req r;
  jb_match_req_init(&r);
  r.type = (jb_rec_type)c->type;
  r.id = c->id;
  r.kind = (jb_rec_type)kt;
  r.explain_filtered = explain;
  r.weights = jb__srv_weights(s);
  r.reciprocal = recip;
  r.reviews = sees_reviews;
  r.review_org = officer ? NULL : k->org;
  r.include_dismissed = with_dismissed;
  char *out = NULL, next[24] = "";
  int more = 0;
  int rc = jb_engine_match_page(e, &r, offset, (size_t)limit, &out, &more);
  if (rc == JB_ENOENT) {
    jb__engine_refuse(c, e, 404);
    return;
  }
  if (rc != JB_OK) {
    jb__engine_fail(c, e, rc);
    return;
  }
  if (more)
    snprintf(next, sizeof next, "%zu", offset + (size_t)limit);
  /* the engine's page goes on as it came, with its cursor spliced in */
  char *ans = jb_cursor_json_with_next(out, 'm', more ? next : NULL);
  free(out);
  if (!ans) {
    JB_FAILM(c, 503, NO_MEMORY);
    return;
  }
  c->status = 200;
  c->resp = ans;
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

