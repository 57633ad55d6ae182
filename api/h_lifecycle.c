/* SPDX-License-Identifier: GPL-3.0-or-later */
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

/* The lint errors of a refused publication as problem errors[] ({"field",
 * "detail"} plus the lint's own members: "code", "message"; a new
 * reference), or NULL when there are none: a refused publication lists what
 * GET .../lint lists. lint is the engine's detail (jb_challenge_lint's JSON,
 * English) or NULL; in Chinese, or when it is NULL, the stored challenge id
 * is linted again in lang. *warnings gets the lint's warnings (a new
 * reference) or NULL; *summary (malloc'd, or NULL) the errors as one
 * sentence in lang ("not ready to publish: field: message; ..."). */
static json_t *lint_errors(jb_engine *w, const char *id, const char *lint, int lang,
                           json_t **warnings, char **summary) {
  char *text = NULL, *out = NULL;
  json_t *errs = NULL, *l = NULL;
  *warnings = NULL;
  *summary = NULL;
  if (lint && lang == JB_LANG_EN)
    l = json_loads(lint, 0, NULL);
  else if (jb_engine_get(w, "challenge", id, &text) == JB_OK &&
           jb_challenge_lint_lang(text, (long)(time(NULL) / 86400), 30, lang, &out) == JB_OK)
    l = json_loads(out, 0, NULL);
  char all[900] = "";
  json_t *x;
  size_t i;
  json_array_foreach(json_object_get(l, "errors"), i, x) {
    const char *f = json_string_value(json_object_get(x, "field"));
    const char *m = json_string_value(json_object_get(x, "message"));
    if (!f || !m)
      continue;
    if (!errs)
      errs = json_array();
    json_t *e = json_deep_copy(x);
    json_object_set_new(e, "detail", json_string(m));
    json_array_append_new(errs, e);
    size_t n = strlen(all);
    if (lang == JB_LANG_ZH)
      snprintf(all + n, sizeof all - n, "%s字段 %s：%s", n ? "；" : "", f, m);
    else
      snprintf(all + n, sizeof all - n, "%s%s: %s", n ? "; " : "", f, m);
  }
  if (errs) {
    jb_emsg sm;
    char s[1100];
    JB_EMSG_CHECK(not_ready_to_publish, all);
    jb_emsg_set(&sm, NULL, JB_EM_not_ready_to_publish, all);
    jb_emsg_render(&sm, lang, 0, s, sizeof s);
    *summary = strdup(s);
  }
  json_t *wa = json_object_get(l, "warnings");
  if (json_is_array(wa))
    *warnings = json_incref(wa);
  json_decref(l);
  free(text);
  free(out);
  return errs;
}

/* adds the lint's "warnings" to c's problem answer */
static void with_warnings(jb_call *c, json_t *warnings) {
  json_t *ans = c->resp ? json_loads(c->resp, 0, NULL) : NULL;
  char *out = NULL;
  if (json_is_object(ans)) {
    json_object_set(ans, "warnings", warnings);
    out = json_dumps(ans, JSON_COMPACT);
  }
  if (out) {
    free(c->resp);
    c->resp = out;
  }
  json_decref(ans);
}

void jb__h_transition(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *b = NULL;
  char err[512];
  jb_emsg pm;
  if (!c->body_len || jb_rec_parse_m(c->body, c->body_len, &b, err, sizeof err, &pm) != JB_OK) {
    if (c->body_len)
      jb__fail_emsg(c, 400, &pm, err);
    else
      JB_FAILM(c, 400, TRANSITION_BODY_REQUIRED);
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
    JB_FAILM(c, 400, TRANSITION_BODY);
    return;
  }
  jb_engine *w = jb__srv_writer_lock(s);
  int rc;
  json_t *ch = jb__stored_record(w, "challenge", c->id);
  if (!ch || !jb_authz_visible(k, JB_REC_CHALLENGE, ch)) {
    JB_FAILM(c, 404, CHALLENGE_NOT_FOUND, c->id);
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
      jb__engine_refuse(c, w, 403);
    } else if (rc == JB_ECONFLICT) {
      jb__engine_refuse(c, w, 409);
    } else if (rc == JB_EINVAL && !strcmp(to, "published") && !winners) {
      json_t *warnings = NULL;
      char *summary = NULL;
      json_t *errs =
          lint_errors(w, c->id, jb_engine_error_detail(w), c->lang, &warnings, &summary);
      if (errs) {
        jb__fail_errors(c, 400, errs, "%s", summary ? summary : jb_engine_error(w));
        free(summary);
        if (warnings)
          with_warnings(c, warnings);
      } else {
        jb__engine_fail(c, w, rc);
      }
      json_decref(warnings);
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
    JB_FAILM(c, 404, CHALLENGE_NOT_FOUND, c->id);
    return;
  }
  json_decref(ch);
  char *out = NULL;
  rc = jb_challenge_lint_lang(text, (long)(time(NULL) / 86400), (int)min_days, c->lang, &out);
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

/* lifecycle engine errors: rules are 403/409, a missing item 404; the rest
 * (validation 400 with the engine's message, contention 503, ours 500) as
 * jb__engine_fail answers them */
static void rule_fail(jb_call *c, jb_engine *e, int rc) {
  if (rc == JB_EPERM)
    jb__engine_refuse(c, e, 403);
  else if (rc == JB_ECONFLICT || rc == JB_EEXIST)
    jb__engine_refuse(c, e, 409);
  else if (rc == JB_ENOENT)
    jb__engine_refuse(c, e, 404);
  else
    jb__engine_fail(c, e, rc);
}

/* The conflicts of interest the engine lists (an application's
 * "conflicts", a ranking row's "recused": {"reviewer", "code", "reason",
 * "args"}, the reason in English) with each reason rendered in lang from
 * its code and arguments, and "args" dropped: anywhere in x (changed in
 * place; the engine's answers nest a few levels). */
static void local_conflicts(json_t *x, int lang) {
  size_t i;
  json_t *v;
  const char *key;
  if (json_is_array(x)) {
    json_array_foreach(x, i, v) local_conflicts(v, lang);
    return;
  }
  json_t *args = json_object_get(x, "args"), *code = json_object_get(x, "code");
  if (json_is_array(args) && json_is_string(code) && json_is_string(json_object_get(x, "reason"))) {
    const char *av[JB_EMSG_MAX_ARGS];
    int n = (int)json_array_size(args);
    for (int j = 0; j < n && j < JB_EMSG_MAX_ARGS; j++)
      av[j] = json_string_value(json_array_get(args, (size_t)j));
    jb_emsg m;
    char text[JB_EMSG_STR * JB_EMSG_MAX_ARGS + 200];
    if (lang != JB_LANG_EN &&
        jb_emsg_set_strings(&m, json_string_value(code), av, n <= JB_EMSG_MAX_ARGS ? n : -1) == 0 &&
        jb_emsg_render(&m, lang, 0, text, sizeof text))
      json_object_set_new(x, "reason", json_string(text));
    json_object_del(x, "args");
    return;
  }
  json_object_foreach(x, key, v) {
    if (json_is_array(v) || json_is_object(v))
      local_conflicts(v, lang);
  }
}

/* the engine's application (or list) text as JSON, its conflicts in c's
 * language (NULL when it does not parse) */
static json_t *app_json(const jb_call *c, const char *text) {
  json_t *j = text ? json_loads(text, 0, NULL) : NULL;
  local_conflicts(j, c->lang);
  return j;
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
      jb__answer(c, 201, app_json(c, stored));
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
  if (rc == JB_OK && all) { /* the staff's list carries conflicts */
    json_t *l = app_json(c, out);
    char *t = l ? json_dumps(l, JSON_COMPACT) : NULL;
    json_decref(l);
    if (t) {
      free(out);
      out = t;
    }
  }
  json_t *award = rc == JB_OK ? jb__award_view(e, k, ch, c->id) : NULL;
  json_decref(ch);
  jb__page_engine_list(s, c, e, rc, out, "applications", 'p', "lead_org", NULL,
                       rc == JB_OK ? json_pack("{s:o}", "award", award ? award : json_null()) : NULL);
}

/* GET /v1/me/applications: the applications the caller's org leads or is a
 * member of, across the challenges the key may see, each with the
 * challenge's "challenge_title" and "challenge_status" beside its own
 * "status"; a key without an org has none. Keyset-paged by (challenge, lead
 * org). */
void jb__h_my_applications(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  char *out = NULL;
  int rc = k->org[0] ? jb_engine_applications(e, NULL, k->org, &out) : JB_OK;
  json_t *all = rc != JB_OK ? NULL : out ? json_loads(out, 0, NULL) : json_array();
  free(out);
  if (rc != JB_OK) {
    jb__engine_fail(c, e, rc);
    return;
  }
  if (!json_is_array(all)) {
    json_decref(all);
    JB_FAILM(c, 500, INTERNAL, "applications");
    return;
  }
  json_t *mine = json_array();
  size_t i;
  json_t *a;
  json_array_foreach(all, i, a) {
    const char *cid = json_string_value(json_object_get(a, "challenge"));
    json_t *ch = cid ? jb__stored_record(e, "challenge", cid) : NULL;
    /* a challenge that went back to draft (an operator's import) is not shown */
    if (ch && jb_authz_visible(k, JB_REC_CHALLENGE, ch)) {
      const char *st = json_string_value(json_object_get(ch, "status"));
      json_t *title = json_object_get(ch, "title");
      json_object_set(a, "challenge_title", title ? title : json_null());
      json_object_set_new(a, "challenge_status", json_string(st ? st : "draft"));
      json_array_append(mine, a);
    }
    json_decref(ch);
  }
  json_decref(all);
  jb__page_array(s, c, mine, 'y', "challenge", "lead_org");
}

/* A score's or a match review's own entity tag (jb_engine_item_stored:
 * kind "score" keyed by lead org and reviewer, "match_review" by type and
 * id) into tag (JB_REC_ETAG_SIZE bytes): 1, or 0 with tag "" when there is
 * none or it cannot be read */
static int item_tag(jb_engine *e, const char *cid, const char *kind, const char *k1,
                    const char *k2, char *tag) {
  char *text = NULL;
  tag[0] = '\0';
  if (k1 && k2 && jb_engine_item_stored(e, kind, cid, k1, k2, &text) == JB_OK)
    jb_rec_etag(text, strlen(text), tag);
  free(text);
  return tag[0] != '\0';
}

/* If-Match / If-None-Match of a write to a score or match review against
 * its own stored version, under the writer lock w (so no write comes
 * between the check and the change): 0 to go on, else the status after
 * answering (400, 412, store errors) */
static int item_precondition(jb_call *c, jb_engine *w, const char *kind, const char *k1,
                             const char *k2) {
  if (!c->if_match && !c->if_none_match)
    return 0;
  char *text = NULL;
  int rc = jb_engine_item_stored(w, kind, c->id, k1, k2, &text);
  return jb__stored_precondition(c, w, rc, text);
}

/* an answer's "etag" beside its ETag header: the item's tag into c->etag
 * and, when ans is an object, as its "etag" member */
static void item_answer_tag(jb_call *c, jb_engine *w, const char *kind, const char *k1,
                            const char *k2, json_t *ans) {
  if (item_tag(w, c->id, kind, k1, k2, c->etag) && json_is_object(ans))
    json_object_set_new(ans, "etag", json_string(c->etag));
}

void jb__h_reviewers_or_scores(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *ch = jb__visible_challenge(c, e, k);
  if (!ch)
    return;
  json_decref(ch);
  json_t *b = NULL;
  char err[512];
  jb_emsg pm;
  if (!c->body_len || jb_rec_parse_m(c->body, c->body_len, &b, err, sizeof err, &pm) != JB_OK) {
    if (c->body_len)
      jb__fail_emsg(c, 400, &pm, err);
    else
      JB_FAILM(c, 400, OBJECT_REQUIRED);
    return;
  }
  int rev = c->route == R_REVIEWERS;
  const char *key;
  json_t *v;
  int bad = !json_is_object(b);
  json_object_foreach(b, key, v) {
    if (rev ? strcmp(key, "expert") != 0
            : (strcmp(key, "lead_org") && strcmp(key, "reviewer") && strcmp(key, "scores") &&
               strcmp(key, "comment") && strcmp(key, "comments")))
      bad = 1;
  }
  const char *x1 = json_string_value(json_object_get(b, rev ? "expert" : "lead_org"));
  const char *x2 = rev ? "" : json_string_value(json_object_get(b, "reviewer"));
  json_t *sc = json_object_get(b, "scores"), *cm = json_object_get(b, "comment");
  json_t *cms = json_object_get(b, "comments");
  if (bad || !x1 || !x2 || (!rev && !json_is_object(sc)) || (cm && !json_is_string(cm)) ||
      (cms && !json_is_object(cms))) {
    json_decref(b);
    if (rev)
      JB_FAILM(c, 400, REVIEWER_BODY);
    else
      JB_FAILM(c, 400, SCORE_BODY);
    return;
  }
  jb_engine *w = jb__srv_writer_lock(s);
  jb_actor who = {k->id, k->role, k->org};
  int rc;
  /* a reviewer's assignment is checked against the challenge's tag, a
   * score against its own */
  if (rev ? jb__challenge_precondition(c, w) : item_precondition(c, w, "score", x1, x2)) {
    rc = -1; /* answered (412) */
  } else if (rev) {
    rc = jb_engine_assign_reviewer(w, &who, c->id, x1);
  } else {
    char *t = json_dumps(sc, JSON_COMPACT), *ct = cms ? json_dumps(cms, JSON_COMPACT) : NULL;
    rc = t && (ct || !cms) ? jb_engine_score(w, &who, c->id, x1, x2, t, json_string_value(cm), ct,
                                             jb__srv_criteria(s))
                           : JB_ENOMEM;
    free(t);
    free(ct);
  }
  json_t *ans = NULL;
  if (rc == JB_OK && !rev) {
    ans = json_pack("{s:s,s:s,s:O}", "lead_org", x1, "reviewer", x2, "scores", sc);
    if (cm)
      json_object_set(ans, "comment", cm);
    if (cms && json_object_size(cms))
      json_object_set(ans, "comments", cms);
    item_answer_tag(c, w, "score", x1, x2, ans);
  }
  if (rc == -1)
    ;
  else if (rc == JB_OK)
    jb__answer(c, rev ? 201 : 200, rev ? json_pack("{s:s,s:s}", "challenge", c->id, "reviewer", x1)
                                   : ans);
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
  json_t *award = may ? jb__award_view(e, k, ch, c->id) : NULL;
  json_decref(ch);
  if (!may) {
    JB_FAILM(c, 403, RANKING_STAFF);
    return;
  }
  char *out = NULL;
  int rc = jb_engine_ranking(e, c->id, &out);
  if (rc != JB_OK) {
    json_decref(award);
    jb__engine_fail(c, e, rc);
    return;
  }
  json_t *rk = app_json(c, out), *row;
  size_t i;
  json_array_foreach(rk, i, row) { /* each review with its own tag (If-Match of a new score) */
    const char *lead = json_string_value(json_object_get(row, "lead_org"));
    json_t *one;
    size_t j;
    json_array_foreach(json_object_get(row, "by_reviewer"), j, one) {
      char tag[JB_REC_ETAG_SIZE];
      if (item_tag(e, c->id, "score", lead,
                   json_string_value(json_object_get(one, "reviewer")), tag))
        json_object_set_new(one, "etag", json_string(tag));
    }
  }
  jb__answer(c, 200, json_pack("{s:o,s:o}", "ranking", rk ? rk : json_null(), "award",
                               award ? award : json_null()));
  free(out);
}

/* ---- the award, one application, its moves, the reviewers' list ---------------------- */

json_t *jb__award_view(jb_engine *e, const jb_key_info *k, const json_t *ch, const char *cid) {
  char *out = NULL;
  int full = jb_authz_sees_all(k) || jb_authz_is_issuer(k, ch);
  if (jb_engine_award_get(e, cid, full, &out) != JB_OK)
    return NULL;
  json_t *a = json_loads(out, 0, NULL);
  free(out);
  return a;
}

/* the application of c->org in challenge ch as k may see it: the lead's or
 * a member's key, the issuer, officers (else NULL after a 404) */
static json_t *visible_application(jb_call *c, jb_engine *e, const jb_key_info *k,
                                   const json_t *ch) {
  int staff = jb_authz_sees_all(k) || jb_authz_is_issuer(k, ch);
  char *out = NULL;
  int rc = jb_engine_application_get(e, c->id, c->org, staff, &out);
  json_t *a = rc == JB_OK ? app_json(c, out) : NULL;
  free(out);
  if (rc != JB_OK && rc != JB_ENOENT) {
    jb__engine_fail(c, e, rc);
    return NULL;
  }
  const char *lead = json_string_value(json_object_get(a, "lead_org"));
  int mine = k->org[0] && lead && !strcmp(k->org, lead);
  json_t *members = json_object_get(a, "members");
  for (size_t i = 0; k->org[0] && i < json_array_size(members); i++) {
    const char *m = json_string_value(json_array_get(members, i));
    mine |= m && !strcmp(m, k->org);
  }
  if (!a || !(staff || mine)) {
    json_decref(a);
    JB_FAILM(c, 404, NO_APPLICATION_OF, c->org, c->id);
    return NULL;
  }
  return a;
}

/* The application's own entity tag into c->etag (the stored text's), "" when
 * it cannot be read */
static void app_etag(jb_call *c, jb_engine *e) {
  char *text = NULL;
  c->etag[0] = '\0';
  if (jb_engine_application_stored(e, c->id, c->org, &text) == JB_OK)
    jb_rec_etag(text, strlen(text), c->etag);
  free(text);
}

/* If-Match / If-None-Match of a write to the application against its own
 * stored version, under the writer lock w: 0 to go on, else the status
 * after answering (400, 412, store errors) */
static int app_precondition(jb_call *c, jb_engine *w) {
  if (!c->if_match && !c->if_none_match)
    return 0;
  char *text = NULL;
  int rc = jb_engine_application_stored(w, c->id, c->org, &text);
  return jb__stored_precondition(c, w, rc, text);
}

void jb__h_application(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *ch = jb__visible_challenge(c, e, k);
  if (!ch)
    return;
  json_t *a = visible_application(c, e, k, ch);
  json_decref(ch);
  if (!a)
    return;
  if (!strcmp(c->method, "GET")) {
    char *text = NULL;
    int rc = jb_engine_application_stored(e, c->id, c->org, &text);
    int nm = rc == JB_OK ? jb__not_modified(c, text) : 0;
    free(text);
    if (nm)
      json_decref(a); /* answered: 304, or 400 for a malformed If-None-Match */
    else
      jb__answer(c, 200, a);
    return;
  }
  json_decref(a);
  const char *body = jb__body_text(c, "an object of the fields to change");
  if (!body)
    return;
  jb_engine *w = jb__srv_writer_lock(s);
  if (app_precondition(c, w)) {
    jb__srv_writer_unlock(s);
    return;
  }
  jb_actor who = {k->id, k->role, k->org};
  char *stored = NULL;
  int rc = jb_engine_application_update(w, &who, c->id, c->org, body,
                                        jb__srv_config(s)->max_members, &stored);
  if (rc == JB_OK) {
    jb__answer(c, 200, app_json(c, stored));
    app_etag(c, w);
  } else {
    rule_fail(c, w, rc);
  }
  jb__srv_writer_unlock(s);
  free(stored);
}

void jb__h_application_status(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *ch = jb__visible_challenge(c, e, k);
  if (!ch)
    return;
  json_t *a = visible_application(c, e, k, ch);
  json_decref(ch);
  if (!a)
    return;
  json_decref(a);
  json_t *b = NULL;
  char err[512];
  jb_emsg pm;
  if (!c->body_len || jb_rec_parse_m(c->body, c->body_len, &b, err, sizeof err, &pm) != JB_OK) {
    if (c->body_len)
      jb__fail_emsg(c, 400, &pm, err);
    else
      JB_FAILM(c, 400, TRANSITION_BODY_REQUIRED);
    return;
  }
  const char *key;
  json_t *v;
  int bad = !json_is_object(b);
  json_object_foreach(b, key, v) {
    if (strcmp(key, "to") && strcmp(key, "note"))
      bad = 1;
  }
  const char *to = json_string_value(json_object_get(b, "to"));
  json_t *note = json_object_get(b, "note");
  if (bad || !to || (note && !json_is_string(note))) {
    json_decref(b);
    JB_FAILM(c, 400, APP_STATUS_BODY);
    return;
  }
  jb_engine *w = jb__srv_writer_lock(s);
  if (app_precondition(c, w)) {
    jb__srv_writer_unlock(s);
    json_decref(b);
    return;
  }
  jb_actor who = {k->id, k->role, k->org};
  int rc = jb_engine_application_status(w, &who, c->id, c->org, to, json_string_value(note));
  char *out = NULL;
  if (rc == JB_OK && (rc = jb_engine_application_get(w, c->id, c->org, 0, &out)) == JB_OK) {
    jb__answer(c, 200, json_loads(out, 0, NULL));
    app_etag(c, w);
  } else {
    rule_fail(c, w, rc);
  }
  jb__srv_writer_unlock(s);
  free(out);
  json_decref(b);
}

void jb__h_reviewers(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *ch = jb__visible_challenge(c, e, k);
  if (!ch)
    return;
  int may = jb_authz_sees_all(k) || jb_authz_is_issuer(k, ch);
  json_decref(ch);
  if (!may) {
    JB_FAILM(c, 403, REVIEWERS_STAFF);
    return;
  }
  char *out = NULL;
  int rc = jb_engine_reviewers(e, c->id, &out);
  jb__page_engine_list(s, c, e, rc, out, "reviewers", 'w', "expert", NULL, NULL);
}

void jb__h_award(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *ch = jb__visible_challenge(c, e, k);
  if (!ch)
    return;
  json_t *a = jb__award_view(e, k, ch, c->id);
  json_decref(ch);
  if (!a) {
    JB_FAILM(c, 404, NO_AWARD_YET, c->id);
    return;
  }
  jb__answer(c, 200, a);
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
      JB_FAILM(c, 403, MILESTONES_STAFF);
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
    JB_FAILM(c, 404, NO_STEP);
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
      JB_FAILM(c, 500, INTERNAL_ERROR);
    free(out);
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
    /* the review's own tag is its candidate's (type, id); a body without
     * them is the engine's 400 */
    json_t *in = json_loads(body, 0, NULL);
    const char *type = json_string_value(json_object_get(in, "type"));
    const char *id = json_string_value(json_object_get(in, "id"));
    jb_engine *w = jb__srv_writer_lock(s);
    jb_actor who = {k->id, k->role, k->org};
    int rc = type && id && item_precondition(c, w, "match_review", type, id)
                 ? -1
                 : jb_engine_match_review(w, &who, c->id, body);
    if (rc == -1) {
      ; /* answered (412) */
    } else if (rc == JB_OK) {
      json_t *ans = json_pack("{s:s,s:s,s:s,s:b}", "challenge", c->id, "type", type, "id", id,
                              "reviewed", 1);
      item_answer_tag(c, w, "match_review", type, id, ans);
      jb__answer(c, 200, ans);
    } else {
      rule_fail(c, w, rc);
    }
    jb__srv_writer_unlock(s);
    json_decref(in);
    return;
  }
  /* the issuer and officers see every review; a candidate's org its own,
   * with the reason of a dismissal (no black-box rejection) */
  char *out = NULL;
  int rc = jb_engine_match_reviews(e, c->id, all ? NULL : k->org[0] ? k->org : "\x1f", &out);
  json_t *l = rc == JB_OK ? json_loads(out, 0, NULL) : NULL, *r;
  size_t i;
  json_array_foreach(l, i, r) { /* each review with its own tag */
    char tag[JB_REC_ETAG_SIZE];
    if (item_tag(e, c->id, "match_review", json_string_value(json_object_get(r, "type")),
                 json_string_value(json_object_get(r, "id")), tag))
      json_object_set_new(r, "etag", json_string(tag));
  }
  char *t = json_is_array(l) ? json_dumps(l, JSON_COMPACT) : NULL;
  json_decref(l);
  if (t) {
    free(out);
    out = t;
  }
  jb__page_engine_list(s, c, e, rc, out, "match reviews", 'v', "type", "id", NULL);
}

