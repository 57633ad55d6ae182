/* h_lifecycle.c: a challenge's lifecycle: status, lint, applications,
 * reviewers, scores, ranking, milestones, match reviews. */
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

/* ---- lifecycle -------------------------------------------------------------------------- */

void jb__h_transition(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *b = NULL;
  char err[512];
  if (!c->body_len || jb_rec_parse(c->body, c->body_len, &b, err, sizeof err) != JB_OK) {
    jb__fail(c, 400, "%s", c->body_len ? err : "body: {\"to\": STATE, \"note\": TEXT} is required");
    return;
  }
  const char *key;
  json_t *v;
  int bad = !json_is_object(b);
  json_object_foreach(b, key, v) {
    if (strcmp(key, "to") && strcmp(key, "note") && strcmp(key, "winners"))
      bad = 1;
  }
  const char *to = json_string_value(json_object_get(b, "to"));
  json_t *note = json_object_get(b, "note"), *winners = json_object_get(b, "winners");
  const char *wv[64];
  size_t nw = json_array_size(winners);
  if (winners && (!json_is_array(winners) || nw > 64))
    bad = 1;
  for (size_t i = 0; !bad && i < nw; i++)
    if (!(wv[i] = json_string_value(json_array_get(winners, i))))
      bad = 1;
  if (bad || !to || (note && !json_is_string(note)) || (winners && strcmp(to, "awarded"))) {
    json_decref(b);
    jb__fail(c, 400, "body: {\"to\": STATE, \"note\": TEXT, \"winners\": [lead orgs] (awarded only)}");
    return;
  }
  jb_engine *w = jb__srv_writer_lock(s);
  int rc;
  json_t *ch = jb__stored_record(w, "challenge", c->id);
  if (!ch || !jb_authz_visible(k, JB_REC_CHALLENGE, ch)) {
    jb__fail(c, 404, "challenge '%s' not found", c->id);
  } else if (jb__challenge_precondition(c, w)) {
    /* answered: a stale If-Match (412); the writer lock keeps the check and
     * the change together (the only writer of the store) */
  } else {
    const char *from = json_string_value(json_object_get(ch, "status"));
    char was[32];
    snprintf(was, sizeof was, "%s", from ? from : "draft");
    jb_actor who = {k->id, k->role, k->org};
    int64_t seq = 0;
    rc = winners ? jb_engine_award(w, &who, c->id, wv, nw, jb__srv_config(s)->max_winners,
                                   json_string_value(note), &seq)
                 : jb_engine_transition(w, &who, c->id, to, json_string_value(note), &seq);
    if (rc == JB_OK) {
      c->wrote = seq;
      jb__set_etag(c, w, "challenge", c->id);
      json_t *ans = jb__write_answer(w, JB_REC_CHALLENGE, c->id, seq);
      json_object_set_new(ans, "transition", json_pack("{s:s,s:s}", "from", was, "to", to));
      if (!strcmp(to, "published"))
        jb__add_similar(s, w, k, c->id, ans);
      jb__answer(c, 200, ans);
    } else if (rc == JB_EPERM) {
      jb__fail(c, 403, "%s", jb_engine_error(w));
    } else if (rc == JB_ECONFLICT) {
      jb__fail(c, 409, "%s", jb_engine_error(w));
    } else {
      jb__engine_fail(c, w, rc);
    }
  }
  jb__srv_writer_unlock(s);
  json_decref(ch);
  json_decref(b);
}

void jb__h_lint(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  long long min_days = 30;
  if (!jb__num_param(c, "min_days", 0, 3650, &min_days))
    return;
  char *text = NULL;
  int rc = jb_engine_get(e, "challenge", c->id, &text);
  json_t *ch = rc == JB_OK ? jb__parse_record(text) : NULL;
  if (!ch || !jb_authz_visible(k, JB_REC_CHALLENGE, ch)) {
    free(text);
    json_decref(ch);
    jb__fail(c, 404, "challenge '%s' not found", c->id);
    return;
  }
  json_decref(ch);
  char *out = NULL;
  rc = jb_challenge_lint(text, (long)(time(NULL) / 86400), (int)min_days, &out);
  free(text);
  if (rc != JB_OK) {
    jb__engine_fail(c, NULL, rc);
    return;
  }
  json_t *j = json_loads(out, 0, NULL);
  free(out);
  if (j)
    jb__add_similar(s, e, k, c->id, j);
  jb__answer(c, 200, j);
}

/* lifecycle engine errors: rules are 403/409, validation 400 */
static void rule_fail(jb_call *c, jb_engine *e, int rc) {
  if (rc == JB_EPERM)
    jb__fail(c, 403, "%s", jb_engine_error(e));
  else if (rc == JB_ECONFLICT || rc == JB_EEXIST)
    jb__fail(c, 409, "%s", jb_engine_error(e));
  else if (rc == JB_ENOENT)
    jb__fail(c, 404, "%s", jb_engine_error(e));
  else
    jb__engine_fail(c, e, rc);
}

void jb__h_applications(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *ch = jb__visible_challenge(c, e, k);
  if (!ch)
    return;
  if (!strcmp(c->method, "POST")) {
    const char *body = jb__body_text(c, "an application object");
    char *stored = NULL;
    if (!body) {
      json_decref(ch);
      return;
    }
    jb_engine *w = jb__srv_writer_lock(s);
    jb_actor who = {k->id, k->role, k->org};
    int rc = jb__challenge_precondition(c, w) ? -1
             : jb_engine_apply(w, &who, c->id, body, jb__srv_config(s)->max_members, &stored);
    if (rc == -1)
      ; /* answered (412) */
    else if (rc == JB_OK)
      jb__answer(c, 201, json_loads(stored, 0, NULL));
    else if (rc == JB_ESYNTAX || rc == JB_EINVAL)
      jb__fail(c, 400, "%s", jb_engine_error(w));
    else
      rule_fail(c, w, rc);
    jb__srv_writer_unlock(s);
    free(stored);
    json_decref(ch);
    return;
  }
  /* the issuer and officers see every application; others only their own */
  char *out = NULL;
  int all = jb_authz_sees_all(k) || jb_authz_is_issuer(k, ch);
  int rc = jb_engine_applications(e, c->id, all ? NULL : k->org[0] ? k->org : "\x1f", &out);
  json_decref(ch);
  if (rc != JB_OK) {
    jb__engine_fail(c, e, rc);
    return;
  }
  json_t *list = json_loads(out, 0, NULL);
  free(out);
  if (!json_is_array(list)) {
    json_decref(list);
    jb__fail(c, 500, "internal error");
    return;
  }
  jb__page_array(s, c, list, 'p', "lead_org", NULL);
}

void jb__h_reviewers_or_scores(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *ch = jb__visible_challenge(c, e, k);
  if (!ch)
    return;
  json_decref(ch);
  json_t *b = NULL;
  char err[512];
  if (!c->body_len || jb_rec_parse(c->body, c->body_len, &b, err, sizeof err) != JB_OK) {
    jb__fail(c, 400, "%s", c->body_len ? err : "body: a JSON object is required");
    return;
  }
  int rev = c->route == R_REVIEWERS;
  const char *key;
  json_t *v;
  int bad = !json_is_object(b);
  json_object_foreach(b, key, v) {
    if (rev ? strcmp(key, "expert") != 0
            : (strcmp(key, "lead_org") && strcmp(key, "reviewer") && strcmp(key, "scores")))
      bad = 1;
  }
  const char *x1 = json_string_value(json_object_get(b, rev ? "expert" : "lead_org"));
  const char *x2 = rev ? "" : json_string_value(json_object_get(b, "reviewer"));
  json_t *sc = json_object_get(b, "scores");
  if (bad || !x1 || !x2 || (!rev && !json_is_object(sc))) {
    json_decref(b);
    jb__fail(c, 400, rev ? "body: {\"expert\": ID}"
                     : "body: {\"lead_org\": ID, \"reviewer\": EXPERT, \"scores\": {...}}");
    return;
  }
  jb_engine *w = jb__srv_writer_lock(s);
  jb_actor who = {k->id, k->role, k->org};
  int rc;
  if (jb__challenge_precondition(c, w)) {
    rc = -1; /* answered (412) */
  } else if (rev) {
    rc = jb_engine_assign_reviewer(w, &who, c->id, x1);
  } else {
    char *t = json_dumps(sc, JSON_COMPACT);
    rc = t ? jb_engine_score(w, &who, c->id, x1, x2, t, jb__srv_criteria(s)) : JB_ENOMEM;
    free(t);
  }
  if (rc == -1)
    ;
  else if (rc == JB_OK)
    jb__answer(c, rev ? 201 : 200, rev ? json_pack("{s:s,s:s}", "challenge", c->id, "reviewer", x1)
                                   : json_pack("{s:s,s:s,s:O}", "lead_org", x1, "reviewer", x2,
                                               "scores", sc));
  else if (rc == JB_EINVAL || rc == JB_ESYNTAX)
    jb__fail(c, 400, "%s", jb_engine_error(w));
  else
    rule_fail(c, w, rc);
  jb__srv_writer_unlock(s);
  json_decref(b);
}

void jb__h_ranking(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *ch = jb__visible_challenge(c, e, k);
  if (!ch)
    return;
  int may = jb_authz_sees_all(k) || jb_authz_is_issuer(k, ch);
  json_decref(ch);
  if (!may) {
    jb__fail(c, 403, "the ranking is for the issuer, officers and admins");
    return;
  }
  char *out = NULL;
  int rc = jb_engine_ranking(e, c->id, &out);
  if (rc != JB_OK) {
    jb__engine_fail(c, e, rc);
    return;
  }
  jb__answer(c, 200, json_pack("{s:o}", "ranking", json_loads(out, 0, NULL)));
  free(out);
}

/* ---- milestones, match review ----------------------------------------------------------- */

void jb__h_milestones(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *ch = jb__visible_challenge(c, e, k);
  if (!ch)
    return;
  int may = jb_authz_sees_all(k) || jb_authz_is_issuer(k, ch);
  json_decref(ch);
  if (!c->step[0]) {
    if (!may) {
      jb__fail(c, 403, "the milestones are for the issuer, officers and admins");
      return;
    }
    char *out = NULL;
    int rc = jb_engine_milestones(e, c->id, &out);
    if (rc != JB_OK) {
      jb__engine_fail(c, e, rc);
      return;
    }
    jb__answer(c, 200, json_loads(out, 0, NULL));
    free(out);
    return;
  }
  if (strcmp(c->step, "plan") && strcmp(c->step, "release") && strcmp(c->step, "stage_check") &&
      strcmp(c->step, "extension")) {
    jb__fail(c, 404, "no such milestone step (plan, release, stage_check, extension)");
    return;
  }
  const char *body = jb__body_text(c, "a JSON object");
  if (!body)
    return;
  jb_engine *w = jb__srv_writer_lock(s);
  jb_actor who = {k->id, k->role, k->org};
  int rc = jb__challenge_precondition(c, w)
               ? -1
               : jb_engine_milestone(w, &who, c->id, c->step, body, jb__srv_config(s)->first_share);
  if (rc == -1) {
    /* answered (412) */
  } else if (rc == JB_OK) {
    char *out = NULL;
    if (jb_engine_milestones(w, c->id, &out) == JB_OK)
      jb__answer(c, 200, json_loads(out, 0, NULL));
    else
      jb__fail(c, 500, "internal error");
    free(out);
  } else if (rc == JB_EINVAL || rc == JB_ESYNTAX) {
    jb__fail(c, 400, "%s", jb_engine_error(w));
  } else {
    rule_fail(c, w, rc);
  }
  jb__srv_writer_unlock(s);
}

void jb__h_match_reviews(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *ch = jb__visible_challenge(c, e, k);
  if (!ch)
    return;
  int all = jb_authz_sees_all(k) || jb_authz_is_issuer(k, ch);
  json_decref(ch);
  if (!strcmp(c->method, "POST")) {
    const char *body = jb__body_text(c, "a JSON object");
    if (!body)
      return;
    jb_engine *w = jb__srv_writer_lock(s);
    jb_actor who = {k->id, k->role, k->org};
    int rc = jb__challenge_precondition(c, w) ? -1 : jb_engine_match_review(w, &who, c->id, body);
    if (rc == -1)
      ; /* answered (412) */
    else if (rc == JB_OK)
      jb__answer(c, 200, json_pack("{s:s,s:b}", "challenge", c->id, "reviewed", 1));
    else if (rc == JB_EINVAL || rc == JB_ESYNTAX)
      jb__fail(c, 400, "%s", jb_engine_error(w));
    else
      rule_fail(c, w, rc);
    jb__srv_writer_unlock(s);
    return;
  }
  /* the issuer and officers see every review; a candidate's org its own,
   * with the reason of a dismissal (no black-box rejection) */
  char *out = NULL;
  int rc = jb_engine_match_reviews(e, c->id, all ? NULL : k->org[0] ? k->org : "\x1f", &out);
  if (rc != JB_OK) {
    jb__engine_fail(c, e, rc);
    return;
  }
  json_t *list = json_loads(out, 0, NULL);
  free(out);
  if (!json_is_array(list)) {
    json_decref(list);
    jb__fail(c, 500, "internal error");
    return;
  }
  jb__page_array(s, c, list, 'v', "type", "id");
}

