/* SPDX-License-Identifier: GPL-3.0-or-later */
/* watch.c: what officers and users follow — match reviews (shortlisted,
 * contacted, dismissed with a reason; the candidate's view without the
 * officers' notes) and saved searches (docs/lifecycle.md). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine_int.h"
#include "engine/record.h"

/* ---- match review --------------------------------------------------------------------- */

static const char *const REVIEW_STATES[] = {"shortlisted", "contacted", "dismissed", NULL};
static const char *const REASONS[] = {"too_early", "benefit_unclear", "ip_conflict", "no_capacity",
                                      "other", NULL};

static int one_of(const char *s, const char *const *set) {
  for (int i = 0; s && set[i]; i++)
    if (!strcmp(s, set[i]))
      return 1;
  return 0;
}

int jb_engine_match_review(jb_engine *e, const jb_actor *who, const char *cid, const char *json) {
  if (!e || !who || !cid || !json || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  json_t *ch = jb__challenge_of(e, cid), *in = NULL, *cand = NULL;
  char err[256];
  jb_emsg pm;
  int rc = ch ? JB_OK : JB_ENOENT;
  if (rc == JB_OK && (rc = jb_rec_parse_m(json, strlen(json), &in, err, sizeof err, &pm)) != JB_OK)
    jb__eset_msg(e, rc, err, &pm);
  const char *issuer = ch ? jb__sv(ch, "org") : NULL;
  if (rc == JB_OK && !jb_actor_is_officer(who) &&
      !jb_actor_is_issuer(who, issuer))
    rc = JB__EM(e, JB_EPERM, NULL, match_review_by_issuer);
  const char *type = rc == JB_OK ? jb__sv(in, "type") : NULL, *id = rc == JB_OK ? jb__sv(in, "id") : NULL;
  const char *state = rc == JB_OK ? jb__sv(in, "state") : NULL, *reason = rc == JB_OK ? jb__sv(in, "reason") : NULL;
  json_t *note = rc == JB_OK ? json_object_get(in, "note") : NULL;
  if (rc == JB_OK) {
    const char *k;
    json_t *v;
    json_object_foreach(in, k, v) {
      if (strcmp(k, "type") && strcmp(k, "id") && strcmp(k, "state") && strcmp(k, "reason") &&
          strcmp(k, "note") && rc == JB_OK)
        rc = JB__EM(e, JB_EINVAL, k, match_review_unknown_field);
    }
  }
  int t = type ? jb_rec_type_of(type) : -1;
  if (rc != JB_OK) {
  } else if (t < 0 || t == JB_REC_CHALLENGE || !id) {
    rc = JB__EM(e, JB_EINVAL, "type and id", match_review_target);
  } else if (!(cand = jb__load_record(e, t, id))) {
    rc = JB__EM(e, JB_EINVAL, "id", no_item, type, id);
  } else if (!one_of(state, REVIEW_STATES)) {
    rc = JB__EM(e, JB_EINVAL, "state", match_review_state);
  } else if (!strcmp(state, "dismissed") && !one_of(reason, REASONS)) {
    rc = JB__EM(e, JB_EINVAL, "reason", match_review_reason);
  } else if (strcmp(state, "dismissed") && reason) {
    rc = JB__EM(e, JB_EINVAL, "reason", match_review_no_reason);
  } else if (note && (!json_is_string(note) || strlen(json_string_value(note)) > 2000)) {
    rc = JB__EM(e, JB_EINVAL, "note", match_review_note);
  }
  if (rc == JB_OK) {
    const char *corg = t == JB_REC_ORG ? id : jb__sv(cand, "org");
    json_t *r = json_pack("{s:s,s:s,s:s,s:s,s:s*,s:s,s:s,s:I,s:s*}", "challenge", cid, "type", type,
                          "id", id, "state", state, "reason", reason, "note",
                          note ? json_string_value(note) : "", "by", who->actor, "at",
                          (json_int_t)time(NULL), "candidate_org", corg);
    char *body = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS), key[JB__ITEM_KEY];
    json_decref(r);
    jb__item_key("match_review", type, id, key);
    rc = jb__put_audited(e, who, "match_review", cid, key, body, 0, "match_review", key, NULL);
    free(body);
  }
  json_decref(cand);
  json_decref(in);
  json_decref(ch);
  return rc;
}

struct mrs {
  json_t *arr;
  const char *org;
};

static int collect_review(void *ctx, const char *key, const char *body) {
  (void)key;
  struct mrs *c = ctx;
  json_t *r = json_loads(body, 0, NULL);
  if (!r)
    return JB_EINTERNAL;
  if (c->org && strcmp(c->org, jb__sv(r, "candidate_org") ? jb__sv(r, "candidate_org") : "")) {
    json_decref(r);
    return 0;
  }
  if (c->org) { /* the candidate's view: the reason code, not the officers' note */
    json_object_del(r, "note");
    json_object_del(r, "by");
  }
  jb__times_out(r);
  json_array_append_new(c->arr, r);
  return 0;
}

int jb_engine_match_reviews(jb_engine *e, const char *cid, const char *candidate_org, char **json) {
  if (!e || !json)
    return JB_EINVAL;
  *json = NULL;
  struct mrs c = {json_array(), candidate_org};
  int rc = jb__store_item_foreach(e->st, "match_review", cid, collect_review, &c);
  if (rc == JB_OK && !(*json = json_dumps(c.arr, JSON_COMPACT)))
    rc = JB_ENOMEM;
  json_decref(c.arr);
  return rc;
}

/* the match reviews of challenge cid as a new array (all, or as the
 * candidate org sees them), NULL on error */
static json_t *reviews_of(jb_engine *e, const char *cid, const char *candidate_org) {
  struct mrs c = {json_array(), candidate_org};
  if (!c.arr || jb__store_item_foreach(e->st, "match_review", cid, collect_review, &c) != JB_OK) {
    json_decref(c.arr);
    return NULL;
  }
  return c.arr;
}

/* the review of candidate (type, id) among all, as a match list shows it
 * (the note only where the list of reviews carries it): a new reference */
static json_t *find_review(const json_t *all, const char *type, const char *id) {
  for (size_t x = 0; type && id && x < json_array_size(all); x++) {
    json_t *r = json_array_get(all, x);
    const char *rt = json_string_value(json_object_get(r, "type"));
    const char *ri = json_string_value(json_object_get(r, "id"));
    if (rt && ri && !strcmp(rt, type) && !strcmp(ri, id))
      return json_pack("{s:O,s:O*,s:O*}", "state", json_object_get(r, "state"), "reason",
                       json_object_get(r, "reason"), "note", json_object_get(r, "note"));
  }
  return NULL;
}

int jb__match_annotate(jb_engine *e, const jb_match_req *r, json_t *out) {
  json_t *ms = json_object_get(out, "matches");
  int fwd = r->type == JB_REC_CHALLENGE;
  const char *tname = jb_rec_type_name(r->type);
  /* a challenge's list: its reviews, read once; a candidate's list: each
   * challenge's reviews in turn */
  json_t *mine = fwd ? reviews_of(e, r->id, NULL) : NULL;
  json_t *kept = json_array();
  if ((fwd && !mine) || !kept || !tname) {
    json_decref(mine);
    json_decref(kept);
    return jb__eset(e, JB_ESTORE, "match reviews: %s", jb__store_error(e->st));
  }
  for (size_t i = 0; i < json_array_size(ms); i++) {
    json_t *m = json_array_get(ms, i), *rv = NULL;
    const char *mtype = json_string_value(json_object_get(m, "type"));
    const char *mid = json_string_value(json_object_get(m, "id"));
    if (fwd) {
      rv = find_review(mine, mtype, mid);
    } else if (mid) {
      json_t *theirs = reviews_of(e, mid, r->review_org);
      rv = find_review(theirs, tname, r->id);
      json_decref(theirs);
    }
    const char *state = rv ? json_string_value(json_object_get(rv, "state")) : NULL;
    if (fwd && state && !strcmp(state, "dismissed") && !r->include_dismissed) {
      json_decref(rv);
      continue;
    }
    if (rv)
      json_object_set_new(m, "review", rv);
    json_array_append(kept, m);
  }
  json_decref(mine);
  return json_object_set_new(out, "matches", kept) == 0 ? JB_OK : JB_ENOMEM;
}

/* ---- saved searches ---------------------------------------------------------------------- */
/* kept as lifecycle items of kind "saved" under (owner key id, saved id) */

static int collect_saved(void *ctx, const char *key, const char *body) {
  (void)key;
  json_t *q = json_loads(body, 0, NULL);
  if (!q)
    return JB_EINTERNAL;
  json_array_append_new(ctx, q);
  return 0;
}

int jb_engine_saved_put(jb_engine *e, const char *owner, const char *id, const char *json,
                        int create) {
  if (!e || !owner || !id || !json || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  int rc = jb__store_item_put(e->st, "saved", owner, id, json, (int64_t)time(NULL), create);
  if (rc != JB_OK)
    jb__eset_store(e, rc);
  return rc;
}

int jb_engine_saved_get(jb_engine *e, const char *owner, const char *id, char **json) {
  if (!e || !owner || !id || !json)
    return JB_EINVAL;
  int rc = jb__store_item_get(e->st, "saved", owner, id, json);
  if (rc != JB_OK)
    JB__EM(e, rc, NULL, no_saved_search, id);
  return rc;
}

int jb_engine_saved_delete(jb_engine *e, const char *owner, const char *id) {
  if (!e || !owner || !id || e->o.readonly)
    return JB_EINVAL;
  int rc = jb__store_item_delete(e->st, "saved", owner, id);
  if (rc != JB_OK)
    JB__EM(e, rc, NULL, no_saved_search, id);
  return rc;
}

int jb_engine_saved_list(jb_engine *e, const char *owner, char **json) {
  if (!e || !owner || !json)
    return JB_EINVAL;
  *json = NULL;
  json_t *arr = json_array();
  int rc = jb__store_item_foreach(e->st, "saved", owner, collect_saved, arr);
  if (rc == JB_OK && !(*json = json_dumps(arr, JSON_COMPACT)))
    rc = JB_ENOMEM;
  json_decref(arr);
  return rc;
}
