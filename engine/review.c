/* SPDX-License-Identifier: GPL-3.0-or-later */
/* review.c: applications (揭榜), reviewers with conflict-of-interest checks,
 * scores, the ranking and the award (挂帅) — docs/lifecycle.md — and the
 * helpers the lifecycle files share (engine_int.h). Every change is audited
 * in the same transaction. Milestones are in milestones.c, match reviews and
 * saved searches in watch.c, the statistics in stats.c. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/jb_time.h"
#include "engine/engine_int.h"
#include "engine/record.h"

void jb_criteria_default(jb_criteria *c) {
  static const char *const names[] = {"technical", "team", "plan", "budget"};
  static const double max[] = {40, 30, 20, 10};
  memset(c, 0, sizeof *c);
  for (size_t i = 0; i < 4; i++) {
    snprintf(c->name[i], sizeof c->name[i], "%s", names[i]);
    c->max[i] = max[i];
  }
  c->n = 4;
}

int jb_criteria_parse(jb_criteria *c, const char *spec, char *err, size_t errlen) {
  jb_criteria x;
  memset(&x, 0, sizeof x);
  const char *p = spec;
  while (p && *p) {
    while (*p == ' ' || *p == ',')
      p++;
    if (!*p)
      break;
    const char *colon = strchr(p, ':');
    size_t nl = colon ? (size_t)(colon - p) : 0;
    if (x.n == JB_MAX_CRITERIA || !colon || nl == 0 || nl >= sizeof x.name[0]) {
      snprintf(err, errlen, "criteria: 'name:max, ...' with 1 to %d names of up to %zu "
                            "characters", JB_MAX_CRITERIA, sizeof x.name[0] - 1);
      return JB_ESYNTAX;
    }
    memcpy(x.name[x.n], p, nl);
    for (size_t i = 0; i < nl; i++)
      if (!(islower((unsigned char)p[i]) || p[i] == '_')) {
        snprintf(err, errlen, "criteria: names are lower-case letters and '_'");
        return JB_ESYNTAX;
      }
    char *end;
    x.max[x.n] = strtod(colon + 1, &end);
    if (end == colon + 1 || !(x.max[x.n] > 0 && x.max[x.n] <= 1000)) {
      snprintf(err, errlen, "criteria: %s: the maximum must be a number above 0 (up to 1000)",
               x.name[x.n]);
      return JB_ESYNTAX;
    }
    for (size_t i = 0; i < x.n; i++)
      if (!strcmp(x.name[i], x.name[x.n])) {
        snprintf(err, errlen, "criteria: %s is named twice", x.name[i]);
        return JB_ESYNTAX;
      }
    x.n++;
    p = end;
    while (*p == ' ')
      p++;
    if (*p && *p != ',') {
      snprintf(err, errlen, "criteria: expected ',' after %s's maximum", x.name[x.n - 1]);
      return JB_ESYNTAX;
    }
  }
  if (x.n == 0) {
    snprintf(err, errlen, "criteria: at least one 'name:max'");
    return JB_ESYNTAX;
  }
  *c = x;
  return JB_OK;
}

/* a key that holds a time: "at" or a name ending in "_at" */
static int time_key(const char *k) {
  size_t n = strlen(k);
  return !strcmp(k, "at") || (n > 3 && !strcmp(k + n - 3, "_at"));
}

void jb__times_out(json_t *j) {
  const char *k;
  json_t *v;
  size_t i;
  if (json_is_object(j)) {
    json_object_foreach(j, k, v) {
      if (json_is_integer(v) && time_key(k)) {
        char ts[JB_RFC3339_LEN];
        json_object_set_new(j, k, json_string(jb_time_rfc3339(json_integer_value(v), ts)));
      } else {
        jb__times_out(v);
      }
    }
  } else if (json_is_array(j)) {
    json_array_foreach(j, i, v) jb__times_out(v);
  }
}

const char *jb__sv(const json_t *o, const char *k) {
  return json_string_value(json_object_get(o, k));
}

json_t *jb__challenge_of(jb_engine *e, const char *id) {
  json_t *ch = jb__load_record(e, JB_REC_CHALLENGE, id);
  if (!ch)
    JB__EM(e, JB_ENOENT, NULL, challenge_not_found, id);
  return ch;
}

const char *jb__status_of(const json_t *ch) {
  const char *s = jb__sv(ch, "status");
  return s ? s : "draft";
}

int jb__put_audited(jb_engine *e, const jb_actor *who, const char *kind, const char *cid,
                    const char *key, const char *body, int insert_only, const char *action,
                    const char *detail, const char *taken) {
  if (!body)
    return JB_ENOMEM;
  int began, rc = jb__tx_begin(e, &began);
  if (rc != JB_OK)
    return rc;
  rc = jb__store_item_put(e->st, kind, cid, key, body, (int64_t)time(NULL), insert_only);
  if (rc == JB_EEXIST && taken)
    rc = jb__eset(e, JB_EEXIST, "%s", taken); /* the caller says it in the catalogue's words */
  else if (rc != JB_OK)
    rc = jb__eset_store(e, rc);
  if (rc == JB_OK)
    rc = jb_engine_audit(e, who->actor, action, "challenge", cid, NULL, body, detail);
  return jb__tx_end(e, rc, began);
}

int jb__in_list(const json_t *arr, const char *s) {
  for (size_t i = 0; s && i < json_array_size(arr); i++)
    if (!strcmp(json_string_value(json_array_get(arr, i)), s))
      return 1;
  return 0;
}

/* ---- reviewers and conflicts of interest ---------------------------------------------- */

/* The conflict of interest between reviewer `expert` (its record ex) and
 * one application (its lead org and stored body) of challenge ch — the one
 * rule checked wherever the two meet: at assignment, at application, at
 * scoring and in the ranking. 1 with a sentence in why, 0 when there is
 * none, or a store error (< 0). */
static int coi_pair(jb_engine *e, const json_t *ch, const char *expert, const json_t *ex,
                    const char *lead, const json_t *app, char *why, size_t wl, jb_emsg *wm) {
  const char *rorg = jb__sv(ex, "org"), *issuer = jb__sv(ch, "org"), *tl = jb__sv(app, "team_lead");
  jb_emsg tmp;
  if (!wm)
    wm = &tmp;
  if (rorg && issuer && !strcmp(rorg, issuer)) {
    snprintf(why, wl, "the reviewer's org %s issued the challenge", rorg);
    JB_EMSG_CHECK(coi_issuer, rorg);
    jb_emsg_set(wm, NULL, JB_EM_coi_issuer, rorg);
    return 1;
  }
  if (rorg && (!strcmp(lead, rorg) || jb__in_list(json_object_get(app, "members"), rorg))) {
    snprintf(why, wl, "the reviewer's org %s is in the consortium of the application led by %s",
             rorg, lead);
    JB_EMSG_CHECK(coi_consortium, rorg, lead);
    jb_emsg_set(wm, NULL, JB_EM_coi_consortium, rorg, lead);
    return 1;
  }
  if (tl && !strcmp(tl, expert)) {
    snprintf(why, wl, "the reviewer leads the team of the application led by %s", lead);
    JB_EMSG_CHECK(coi_team_lead, lead);
    jb_emsg_set(wm, NULL, JB_EM_coi_team_lead, lead);
    return 1;
  }
  char out[200];
  int r = tl ? jb__store_shared_output(e->st, expert, tl, out, sizeof out) : 0;
  if (r == 1) {
    snprintf(why, wl, "the reviewer and team lead %s share output %s", tl, out);
    JB_EMSG_CHECK(coi_shared_output, tl, out);
    jb_emsg_set(wm, NULL, JB_EM_coi_shared_output, tl, out);
  }
  else if (r < 0)
    jb__eset_store(e, r);
  return r;
}

/* A conflict as answers list it: {"reviewer", "code", "reason", "args"}
 * with wm (a coi_* message) in English as the reason, its code and its
 * string arguments, so that the API renders it in the request's language
 * (jb_emsg_set_strings); a new reference */
static json_t *coi_entry(const char *expert, const jb_emsg *wm) {
  char text[JB_EMSG_STR * JB_EMSG_MAX_ARGS + 200];
  jb_emsg_render(wm, JB_EMSG_EN, 0, text, sizeof text);
  json_t *args = json_array();
  for (int i = 0; i < wm->nargs; i++)
    json_array_append_new(args, json_string(wm->arg[i].s));
  return json_pack("{s:s,s:s,s:s,s:o}", "reviewer", expert, "code", jb_emsg_code(wm->id), "reason",
                   text, "args", args);
}

struct coi {
  jb_engine *e;
  const json_t *ch, *ex;
  const char *expert;
  char why[400];
  jb_emsg wm;
};

/* the refusal of a conflict of interest wm (a coi_* message): as it is, or
 * with "<expert> is recused from this application" (recused_*) when expert
 * is given; returns JB_ECONFLICT */
static int coi_refusal(jb_engine *e, jb_emsg *wm, const char *expert) {
  static const int pairs[][2] = {{JB_EM_coi_issuer, JB_EM_recused_issuer},
                                 {JB_EM_coi_consortium, JB_EM_recused_consortium},
                                 {JB_EM_coi_team_lead, JB_EM_recused_team_lead},
                                 {JB_EM_coi_shared_output, JB_EM_recused_shared_output}};
  for (size_t i = 0; expert && i < sizeof pairs / sizeof *pairs; i++)
    if (wm->id == pairs[i][0] && wm->nargs < JB_EMSG_MAX_ARGS) {
      wm->id = pairs[i][1];
      struct jb_emsg_arg *a = &wm->arg[wm->nargs++];
      a->kind = 's';
      snprintf(a->s, sizeof a->s, "%s", expert);
      break;
    }
  char text[1024];
  jb_emsg_render(wm, JB_EMSG_EN, 1, text, sizeof text);
  return jb__eset_msg(e, JB_ECONFLICT, text, wm);
}

/* stops at the first application the reviewer conflicts with */
static int app_conflict(void *ctx, const char *key, const char *body) {
  struct coi *c = ctx;
  json_t *a = json_loads(body, 0, NULL);
  if (!a)
    return JB_EINTERNAL;
  /* a withdrawn application meets no reviewer */
  int r = strcmp(jb__app_status(a), "withdrawn")
              ? coi_pair(c->e, c->ch, c->expert, c->ex, key, a, c->why, sizeof c->why, &c->wm)
              : 0;
  json_decref(a);
  return r;
}

/* The conflicts of the application (lead, app) with every assigned reviewer
 * of cid, as [{"reviewer", "code", "reason", "args"}] (code: a coi_*
 * message of emsg.h; reason: it in English; args: its string arguments) (a new reference; NULL on a store
 * error, with the engine's message set). */
struct recusals {
  jb_engine *e;
  const json_t *ch, *app;
  const char *lead;
  json_t *out;
  int rc;
};

static int recusal_of(void *ctx, const char *expert, const char *body) {
  (void)body;
  struct recusals *r = ctx;
  json_t *ex = jb__load_record(r->e, JB_REC_EXPERT, expert);
  char why[400];
  jb_emsg wm;
  jb_emsg_clear(&wm);
  int c = ex ? coi_pair(r->e, r->ch, expert, ex, r->lead, r->app, why, sizeof why, &wm) : 0;
  json_decref(ex);
  if (c < 0)
    return r->rc = c;
  if (c == 1)
    json_array_append_new(r->out, coi_entry(expert, &wm));
  return 0;
}

json_t *jb__recusals(jb_engine *e, const char *cid, const json_t *ch, const char *lead,
                     const json_t *app) {
  struct recusals r = {e, ch, app, lead, json_array(), JB_OK};
  int rc = jb__store_item_foreach(e->st, "reviewer", cid, recusal_of, &r);
  if (rc != JB_OK || r.rc != JB_OK) {
    json_decref(r.out);
    return NULL;
  }
  return r.out;
}

int jb_engine_assign_reviewer(jb_engine *e, const jb_actor *who, const char *cid,
                              const char *expert) {
  if (!e || !who || !cid || !expert || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  if (!jb_actor_is_officer(who))
    return JB__EM(e, JB_EPERM, NULL, assign_officer_only);
  json_t *ch = jb__challenge_of(e, cid);
  if (!ch)
    return JB_ENOENT;
  json_t *ex = jb__load_record(e, JB_REC_EXPERT, expert);
  int rc = JB_OK;
  const char *st = jb__status_of(ch);
  if (!ex) {
    rc = JB__EM(e, JB_EINVAL, "expert", no_expert, expert);
  } else if (strcmp(st, "published") && strcmp(st, "reviewing")) {
    rc = JB__EM(e, JB_ECONFLICT, NULL, assign_while_open, st);
  } else {
    struct coi c = {e, ch, ex, expert, "", {JB_EM_NONE, "", 0, {{0, 0, 0, 0, ""}}}};
    const char *rorg = jb__sv(ex, "org");
    int r;
    if (rorg && jb__sv(ch, "org") && !strcmp(rorg, jb__sv(ch, "org")))
      rc = JB__EM(e, JB_ECONFLICT, NULL, coi_issuer, rorg);
    else if ((r = jb__store_item_foreach(e->st, "application", cid, app_conflict, &c)) == 1)
      rc = coi_refusal(e, &c.wm, NULL);
    else if (r != JB_OK)
      rc = e->err[0] ? r : jb__eset_store(e, r);
  }
  if (rc == JB_OK) {
    json_t *r = json_pack("{s:s,s:s,s:I}", "expert", expert, "assigned_by", who->actor, "at",
                          (json_int_t)time(NULL));
    char *body = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS), taken[200];
    json_decref(r);
    snprintf(taken, sizeof taken, "%s is already a reviewer of this challenge", expert);
    rc = jb__put_audited(e, who, "reviewer", cid, expert, body, 1, "assign_reviewer", expert, taken);
    if (rc == JB_EEXIST)
      rc = JB__EM(e, JB_EEXIST, "expert", reviewer_exists, expert);
    free(body);
  }
  json_decref(ex);
  json_decref(ch);
  return rc;
}

/* ---- scores, ranking, award ------------------------------------------------------------ */

int jb__item_key(const char *kind, const char *k1, const char *k2, char key[JB__ITEM_KEY]) {
  if (!strcmp(kind, "score"))
    snprintf(key, JB__ITEM_KEY, "%s\x1f%s", k1, k2);
  else if (!strcmp(kind, "match_review"))
    snprintf(key, JB__ITEM_KEY, "%s:%s", k1, k2);
  else
    return JB_EINVAL;
  return JB_OK;
}

int jb_engine_item_stored(jb_engine *e, const char *kind, const char *cid, const char *k1,
                          const char *k2, char **json) {
  if (json)
    *json = NULL;
  if (!e || !kind || !cid || !k1 || !k2 || !json)
    return JB_EINVAL;
  char key[JB__ITEM_KEY];
  if (jb__item_key(kind, k1, k2, key) != JB_OK)
    return JB_EINVAL;
  e->err[0] = '\0';
  int rc = jb__store_item_get(e->st, kind, cid, key, json);
  if (rc != JB_OK && rc != JB_ENOENT && rc != JB_ENOMEM)
    jb__eset(e, rc, "%s", jb__store_error(e->st));
  return rc;
}

/* the review's comments: comment a text or NULL, comments NULL or a JSON
 * object of criterion -> text; *out (new reference) holds the parsed object */
static int check_comments(jb_engine *e, const char *comment, const char *comments,
                          const jb_criteria *crit, json_t **out) {
  *out = NULL;
  if (comment && (!*comment || strlen(comment) > 20000))
    return JB__EM(e, JB_EINVAL, "comment", comment_text);
  if (!comments)
    return JB_OK;
  char err[256];
  jb_emsg pm;
  json_t *c = NULL;
  int rc = jb_rec_parse_m(comments, strlen(comments), &c, err, sizeof err, &pm);
  if (rc != JB_OK)
    return jb__eset_msg(e, rc, err, &pm);
  if (!json_is_object(c))
    rc = JB__EM(e, JB_EINVAL, "comments", comments_object);
  char f[JB_EMSG_FIELD];
  const char *k;
  json_t *v;
  json_object_foreach(c, k, v) {
    if (rc != JB_OK)
      break;
    int known = 0;
    for (size_t i = 0; i < crit->n; i++)
      known |= !strcmp(crit->name[i], k);
    if (!known)
      rc = JB__EM(e, JB_EINVAL, jb_emsg_key(f, sizeof f, "comments", k), not_a_criterion);
    else if (!json_is_string(v) || !*json_string_value(v) || strlen(json_string_value(v)) > 20000)
      rc = JB__EM(e, JB_EINVAL, jb_emsg_key(f, sizeof f, "comments", k), comment_text);
  }
  if (rc == JB_OK)
    *out = c;
  else
    json_decref(c);
  return rc;
}

int jb_engine_score(jb_engine *e, const jb_actor *who, const char *cid, const char *lead_org,
                    const char *expert, const char *scores, const char *comment,
                    const char *comments, const jb_criteria *crit) {
  if (!e || !who || !cid || !lead_org || !expert || !scores || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  json_t *ch = jb__challenge_of(e, cid), *s = NULL, *ex = NULL;
  char *tmp = NULL, err[256];
  int rc = ch ? JB_OK : JB_ENOENT;
  if (rc == JB_OK && strcmp(jb__status_of(ch), "reviewing"))
    rc = JB__EM(e, JB_ECONFLICT, NULL, scores_while_reviewing, jb__status_of(ch));
  if (rc == JB_OK && jb__store_item_get(e->st, "reviewer", cid, expert, &tmp) != JB_OK)
    rc = JB__EM(e, JB_EINVAL, "reviewer", not_a_reviewer, expert);
  free(tmp);
  tmp = NULL;
  json_t *app = NULL;
  if (rc == JB_OK && jb__store_item_get(e->st, "application", cid, lead_org, &tmp) != JB_OK)
    rc = JB__EM(e, JB_ENOENT, NULL, no_application, lead_org);
  if (rc == JB_OK && !(app = json_loads(tmp, 0, NULL)))
    rc = jb__eset(e, JB_EINTERNAL, "the application led by '%s' does not parse", lead_org);
  free(tmp);
  if (rc == JB_OK && !strcmp(jb__app_status(app), "withdrawn"))
    rc = JB__EM(e, JB_ECONFLICT, NULL, app_withdrawn, lead_org);
  if (rc == JB_OK && (ex = jb__load_record(e, JB_REC_EXPERT, expert)) && !jb_actor_is_officer(who) &&
      (!who->org || !jb__sv(ex, "org") || strcmp(who->org, jb__sv(ex, "org"))))
    rc = JB__EM(e, JB_EPERM, NULL, score_by_reviewer);
  /* the conflict check meets the pair here too: the application may have
   * come after the assignment, or the reviewer changed org since */
  char why[400];
  jb_emsg wm, pm;
  int coi = rc == JB_OK && ex ? coi_pair(e, ch, expert, ex, lead_org, app, why, sizeof why, &wm) : 0;
  if (coi == 1)
    rc = coi_refusal(e, &wm, expert);
  else if (coi < 0)
    rc = coi;
  json_decref(app);
  if (rc == JB_OK && (rc = jb_rec_parse_m(scores, strlen(scores), &s, err, sizeof err, &pm)) != JB_OK)
    jb__eset_msg(e, rc, err, &pm);
  jb_criteria dflt;
  if (!crit) {
    jb_criteria_default(&dflt);
    crit = &dflt;
  }
  if (rc == JB_OK) {
    char want[400] = "", f[JB_EMSG_FIELD];
    for (size_t i = 0; i < crit->n; i++)
      snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s (0-%g)", i ? ", " : "",
               crit->name[i], crit->max[i]);
    if (!json_is_object(s) || json_object_size(s) != crit->n)
      rc = JB__EM(e, JB_EINVAL, "scores", scores_object, want);
    for (size_t i = 0; rc == JB_OK && i < crit->n; i++) {
      json_t *v = json_object_get(s, crit->name[i]);
      double x = json_number_value(v);
      if (!json_is_number(v) || x < 0 || x > crit->max[i])
        rc = JB__EM(e, JB_EINVAL, jb_emsg_key(f, sizeof f, "scores", crit->name[i]), score_range,
                      crit->max[i], want);
    }
  }
  json_t *cm = NULL;
  if (rc == JB_OK)
    rc = check_comments(e, comment, comments, crit, &cm);
  if (rc == JB_OK) {
    json_t *r = json_pack("{s:s,s:s,s:O,s:s,s:I}", "lead_org", lead_org, "reviewer", expert,
                          "scores", s, "by", who->actor, "at", (json_int_t)time(NULL));
    if (comment)
      json_object_set_new(r, "comment", json_string(comment));
    if (cm && json_object_size(cm))
      json_object_set(r, "comments", cm);
    char *body = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS), key[JB__ITEM_KEY];
    json_decref(r);
    jb__item_key("score", lead_org, expert, key);
    rc = jb__put_audited(e, who, "score", cid, key, body, 0, "score", lead_org, NULL);
    free(body);
  }
  json_decref(cm);
  json_decref(s);
  json_decref(ex);
  json_decref(ch);
  return rc;
}

struct rank {
  jb_engine *e;
  const json_t *ch;
  json_t *by;   /* lead_org -> {total, n, criteria sums, recused} */
  json_t *apps; /* lead_org -> the application */
};

static int rank_app(void *ctx, const char *key, const char *body) {
  struct rank *r = ctx;
  json_t *a = json_loads(body, 0, NULL);
  if (!a)
    return JB_EINTERNAL;
  json_object_set_new(r->apps, key, a);
  if (strcmp(jb__app_status(a), "withdrawn")) /* a withdrawn application is not ranked */
    json_object_set_new(r->by, key,
                        json_pack("{s:s,s:s,s:f,s:i,s:{},s:[],s:[]}", "lead_org", key, "status",
                                  jb__app_status(a), "total", 0.0, "reviews", 0, "criteria",
                                  "recused", "by_reviewer"));
  return 0;
}

static int rank_score(void *ctx, const char *key, const char *body) {
  (void)key;
  struct rank *r = ctx;
  json_t *s = json_loads(body, 0, NULL);
  const char *lead = jb__sv(s, "lead_org"), *expert = jb__sv(s, "reviewer");
  json_t *row = lead ? json_object_get(r->by, lead) : NULL;
  int rc = s ? JB_OK : JB_EINTERNAL;
  if (row && expert) {
    /* a score given before a conflict arose (the reviewer changed org, say)
     * is left out, and the ranking says so */
    json_t *ex = jb__load_record(r->e, JB_REC_EXPERT, expert);
    char why[400];
    jb_emsg wm;
    jb_emsg_clear(&wm);
    int coi = ex ? coi_pair(r->e, r->ch, expert, ex, lead, json_object_get(r->apps, lead), why,
                            sizeof why, &wm)
                 : 0;
    json_decref(ex);
    if (coi < 0) {
      rc = coi;
      row = NULL;
    } else if (coi == 1) {
      json_array_append_new(json_object_get(row, "recused"), coi_entry(expert, &wm));
      row = NULL;
    }
  }
  if (row) {
    json_t *c = json_object_get(row, "criteria"), *sc = json_object_get(s, "scores");
    double sum = 0;
    const char *ck;
    json_t *cv;
    json_object_foreach(sc, ck, cv) {
      double x = json_number_value(cv);
      sum += x;
      json_object_set_new(c, ck, json_real(json_real_value(json_object_get(c, ck)) + x));
    }
    json_object_set_new(row, "total", json_real(json_real_value(json_object_get(row, "total")) + sum));
    /* each review with its 评审意见, for those who see the scores */
    json_t *one = json_pack("{s:s,s:O,s:f}", "reviewer", expert ? expert : "", "scores", sc,
                            "total", sum);
    if (json_object_get(s, "comment"))
      json_object_set(one, "comment", json_object_get(s, "comment"));
    if (json_object_get(s, "comments"))
      json_object_set(one, "comments", json_object_get(s, "comments"));
    json_array_append_new(json_object_get(row, "by_reviewer"), one);
    json_object_set_new(row, "reviews",
                        json_integer(json_integer_value(json_object_get(row, "reviews")) + 1));
  }
  json_decref(s);
  return rc;
}

static int by_total(const void *a, const void *b) {
  const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
  double p = json_real_value(json_object_get(x, "mean")), q = json_real_value(json_object_get(y, "mean"));
  if (p != q)
    return p > q ? -1 : 1;
  return strcmp(jb__sv(x, "lead_org"), jb__sv(y, "lead_org"));
}

int jb_engine_ranking(jb_engine *e, const char *cid, char **json) {
  if (!e || !cid || !json)
    return JB_EINVAL;
  *json = NULL;
  json_t *ch = jb__challenge_of(e, cid);
  if (!ch)
    return JB_ENOENT;
  struct rank r = {e, ch, json_object(), json_object()};
  int rc = jb__store_item_foreach(e->st, "application", cid, rank_app, &r);
  if (rc == JB_OK)
    rc = jb__store_item_foreach(e->st, "score", cid, rank_score, &r);
  size_t n = json_object_size(r.by), i = 0;
  json_t **v = calloc(n ? n : 1, sizeof *v);
  const char *k;
  json_t *row;
  json_object_foreach(r.by, k, row) {
    json_int_t m = json_integer_value(json_object_get(row, "reviews"));
    json_t *c = json_object_get(row, "criteria");
    const char *ck;
    json_t *cv;
    json_object_foreach(c, ck, cv) {
      json_object_set_new(c, ck, json_real(m ? round(json_real_value(cv) / (double)m * 100) / 100 : 0));
    }
    json_object_set_new(row, "mean",
                        json_real(m ? round(json_real_value(json_object_get(row, "total")) /
                                            (double)m * 100) / 100
                                    : 0));
    json_object_del(row, "total");
    if (v)
      v[i++] = row;
  }
  if (v)
    qsort(v, i, sizeof *v, by_total);
  json_t *arr = json_array();
  for (size_t x = 0; v && x < i; x++) {
    json_object_set_new(v[x], "rank", json_integer((json_int_t)x + 1));
    json_array_append(arr, v[x]);
  }
  free(v);
  if (rc == JB_OK && !(*json = json_dumps(arr, JSON_COMPACT | JSON_REAL_PRECISION(8))))
    rc = JB_ENOMEM;
  json_decref(arr);
  json_decref(r.by);
  json_decref(r.apps);
  json_decref(ch);
  return rc;
}

int jb_engine_award(jb_engine *e, const jb_actor *who, const char *cid, const char *const *winners,
                    size_t n, unsigned max_winners, const char *note, int64_t *seq) {
  if (!e || !who || !cid || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  char f[JB_EMSG_FIELD];
  if (n == 0 || n > max_winners)
    return JB__EM(e, JB_EINVAL, "winners", winners_count, max_winners);
  for (size_t i = 0; i < n; i++) {
    char *tmp = NULL;
    if (!winners[i] || jb__store_item_get(e->st, "application", cid, winners[i], &tmp) != JB_OK)
      return JB__EM(e, JB_EINVAL, jb_emsg_item(f, sizeof f, "winners", i), no_application,
                    winners[i] ? winners[i] : "(null)");
    json_t *app = json_loads(tmp, 0, NULL);
    free(tmp);
    int open = app && jb__app_open(app);
    char st[32];
    snprintf(st, sizeof st, "%s", app ? jb__app_status(app) : "unreadable");
    json_decref(app);
    if (!open)
      return JB__EM(e, JB_EINVAL, jb_emsg_item(f, sizeof f, "winners", i), winner_not_open,
                    winners[i], st);
    for (size_t j = 0; j < i; j++)
      if (!strcmp(winners[i], winners[j]))
        return JB__EM(e, JB_EINVAL, jb_emsg_item(f, sizeof f, "winners", i), named_twice,
                      winners[i]);
  }
  int began, rc = jb__tx_begin(e, &began);
  if (rc != JB_OK)
    return rc;
  json_t *w = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(w, json_string(winners[i]));
  json_t *a = json_pack("{s:o,s:s,s:I,s:s}", "winners", w, "by", who->actor, "at",
                        (json_int_t)time(NULL), "note", note ? note : "");
  char *body = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(a);
  rc = body ? jb__store_item_put(e->st, "award", cid, "award", body, (int64_t)time(NULL), 0) : JB_ENOMEM;
  if (rc == JB_OK)
    rc = jb__engine_transition_in(e, who, cid, "awarded", note, seq, 1);
  /* the winners become awarded, the other open applications not_selected */
  if (rc == JB_OK)
    rc = jb__award_apps(e, who, cid, winners, n);
  free(body);
  return jb__tx_end(e, rc, began);
}

int jb_engine_award_get(jb_engine *e, const char *cid, int full, char **json) {
  if (!e || !cid || !json)
    return JB_EINVAL;
  *json = NULL;
  e->err[0] = '\0';
  char *body = NULL;
  int rc = jb__store_item_get(e->st, "award", cid, "award", &body);
  if (rc == JB_ENOENT)
    return JB__EM(e, JB_ENOENT, NULL, no_award, cid);
  if (rc != JB_OK)
    return jb__eset_store(e, rc);
  json_t *a = json_loads(body, 0, NULL), *out = NULL;
  free(body);
  json_t *w = json_object_get(a, "winners");
  if (!json_is_array(w)) {
    json_decref(a);
    return jb__eset(e, JB_EINTERNAL, "the award of '%s' does not parse", cid);
  }
  json_t *ws = json_array();
  for (size_t i = 0; i < json_array_size(w); i++) {
    const char *lead = json_string_value(json_array_get(w, i));
    char *ab = NULL;
    json_t *app = NULL;
    if (lead && jb__store_item_get(e->st, "application", cid, lead, &ab) == JB_OK)
      app = json_loads(ab, 0, NULL);
    free(ab);
    json_t *members = json_object_get(app, "members");
    json_array_append_new(ws, json_pack("{s:s,s:s,s:o}", "application", lead ? lead : "",
                                        "lead_org", lead ? lead : "", "members",
                                        members ? json_incref(members) : json_array()));
    json_decref(app);
  }
  out = json_pack("{s:o,s:O,s:O}", "winners", ws, "at", json_object_get(a, "at"), "by",
                  json_object_get(a, "by"));
  if (out && full && json_object_get(a, "note"))
    json_object_set(out, "note", json_object_get(a, "note"));
  json_decref(a);
  jb__times_out(out);
  if (!out || !(*json = json_dumps(out, JSON_COMPACT)))
    rc = JB_ENOMEM;
  json_decref(out);
  return rc;
}

/* ---- the reviewers of a challenge ------------------------------------------------------ */

struct revlist {
  jb_engine *e;
  json_t *arr;
};

static int reviewer_one(void *ctx, const char *expert, const char *body) {
  struct revlist *r = ctx;
  json_t *a = json_loads(body, 0, NULL), *ex = jb__load_record(r->e, JB_REC_EXPERT, expert);
  if (!a) {
    json_decref(ex);
    return JB_EINTERNAL;
  }
  json_object_set_new(a, "expert", json_string(expert));
  json_object_set_new(a, "name", ex && jb__sv(ex, "name") ? json_string(jb__sv(ex, "name")) : json_null());
  json_object_set_new(a, "org", ex && jb__sv(ex, "org") ? json_string(jb__sv(ex, "org")) : json_null());
  json_decref(ex);
  jb__times_out(a);
  json_array_append_new(r->arr, a);
  return 0;
}

int jb_engine_reviewers(jb_engine *e, const char *cid, char **json) {
  if (!e || !cid || !json)
    return JB_EINVAL;
  *json = NULL;
  e->err[0] = '\0';
  json_t *ch = jb__challenge_of(e, cid);
  if (!ch)
    return JB_ENOENT;
  json_decref(ch);
  struct revlist r = {e, json_array()};
  int rc = jb__store_item_foreach(e->st, "reviewer", cid, reviewer_one, &r);
  if (rc != JB_OK && !e->err[0])
    jb__eset_store(e, rc);
  if (rc == JB_OK && !(*json = json_dumps(r.arr, JSON_COMPACT)))
    rc = JB_ENOMEM;
  json_decref(r.arr);
  return rc;
}
