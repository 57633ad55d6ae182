/* SPDX-License-Identifier: GPL-3.0-or-later */
/* applications.c: applications (揭榜) to a challenge — submission, the
 * applicant's edits, the states of an application and who moves them, the
 * lists and the single read (docs/lifecycle.md "Applications"). Reviewers,
 * scores, the ranking and the award are in review.c. Every change is
 * audited in the same transaction. An application is named by its lead org
 * (one per lead org and challenge). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/jb_time.h"
#include "engine/engine_int.h"
#include "engine/record.h"

/* ---- the states of an application ----------------------------------------------------- */

enum { APPLICANT = 1, OFFICER = 2, AWARD = 4 }; /* officer: officers and admins */

/* The one table of an application's moves: from, to, who, and the
 * challenge states in which the move is made. awarded and not_selected
 * come only with the award (jb_engine_award), in its transaction. */
static const struct {
  const char *from, *to;
  int who;
  const char *during; /* challenge states, '|'-separated */
} MOVES[] = {
    {"submitted", "shortlisted", OFFICER, "published|reviewing"},
    {"shortlisted", "submitted", OFFICER, "published|reviewing"},
    {"submitted", "withdrawn", APPLICANT | OFFICER, "published"},
    {"shortlisted", "withdrawn", APPLICANT | OFFICER, "published"},
    {"submitted", "awarded", AWARD, "reviewing"},
    {"shortlisted", "awarded", AWARD, "reviewing"},
    {"submitted", "not_selected", AWARD, "reviewing"},
    {"shortlisted", "not_selected", AWARD, "reviewing"},
};
#define NMOVES (sizeof MOVES / sizeof *MOVES)

static const char *const APP_STATES[] = {"submitted",    "shortlisted", "awarded",
                                         "not_selected", "withdrawn",   NULL};

const char *jb__app_status(const json_t *app) {
  const char *s = jb__sv(app, "status");
  return s ? s : "submitted";
}

int jb__app_open(const json_t *app) {
  const char *s = jb__app_status(app);
  return !strcmp(s, "submitted") || !strcmp(s, "shortlisted");
}

static int in_states(const char *list, const char *st) {
  size_t n = strlen(st);
  for (const char *p = list; p && *p;) {
    const char *bar = strchr(p, '|');
    size_t l = bar ? (size_t)(bar - p) : strlen(p);
    if (l == n && !strncmp(p, st, n))
      return 1;
    p = bar ? bar + 1 : NULL;
  }
  return 0;
}

/* the moves from `from` that a caller (not the award) may ask for, as "a, b" */
static void moves_from(const char *from, char *out, size_t n) {
  out[0] = '\0';
  for (size_t i = 0; i < NMOVES; i++)
    if (!strcmp(MOVES[i].from, from) && !(MOVES[i].who & AWARD))
      snprintf(out + strlen(out), n - strlen(out), "%s%s", out[0] ? ", " : "", MOVES[i].to);
}

/* app is parsed and stored under (cid, lead); moves it to `to` in the open
 * transaction with its audit entry. The caller checked the move. */
static int store_move(jb_engine *e, const jb_actor *who, const char *cid, const char *lead,
                      json_t *app, const char *to, const char *note) {
  char action[64], detail[700];
  snprintf(action, sizeof action, "application:%s->%s", jb__app_status(app), to);
  snprintf(detail, sizeof detail, "%s%s%.500s", lead, note && *note ? ": " : "", note ? note : "");
  json_object_set_new(app, "status", json_string(to));
  json_object_set_new(app, "decided_at", json_integer((json_int_t)time(NULL)));
  json_object_set_new(app, "decided_by", json_string(who->actor));
  char *body = jb_rec_canonical(app);
  int rc = body ? jb__store_item_put(e->st, "application", cid, lead, body, (int64_t)time(NULL), 0)
                : JB_ENOMEM;
  if (rc != JB_OK && rc != JB_ENOMEM)
    rc = jb__eset_store(e, rc);
  if (rc == JB_OK)
    rc = jb_engine_audit(e, who->actor, action, "challenge", cid, NULL, body, detail);
  free(body);
  return rc;
}

static json_t *stored_app(jb_engine *e, const char *cid, const char *lead) {
  char *body = NULL;
  json_t *a = NULL;
  if (jb__store_item_get(e->st, "application", cid, lead, &body) == JB_OK)
    a = json_loads(body, 0, NULL);
  free(body);
  return a;
}

int jb_engine_application_status(jb_engine *e, const jb_actor *who, const char *cid,
                                 const char *lead, const char *to, const char *note) {
  if (!e || !who || !who->actor || !cid || !lead || !to || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  int known = 0;
  for (int i = 0; APP_STATES[i]; i++)
    known |= !strcmp(APP_STATES[i], to);
  if (!known)
    return JB__EM(e, JB_EINVAL, "to", app_not_a_state, to);
  if (note && strlen(note) > 20000)
    return JB__EM(e, JB_EINVAL, "note", note_too_long);
  json_t *ch = jb__challenge_of(e, cid);
  if (!ch)
    return JB_ENOENT;
  json_t *app = stored_app(e, cid, lead);
  int rc = JB_OK;
  const char *st = jb__status_of(ch);
  if (!app) {
    rc = JB__EM(e, JB_ENOENT, NULL, no_application, lead);
    goto out;
  }
  const char *from = jb__app_status(app);
  int m = -1;
  for (size_t i = 0; i < NMOVES; i++)
    if (!strcmp(MOVES[i].from, from) && !strcmp(MOVES[i].to, to))
      m = (int)i;
  char allowed[200];
  moves_from(from, allowed, sizeof allowed);
  if (m < 0 || (MOVES[m].who & AWARD)) {
    if (m >= 0)
      rc = JB__EM(e, JB_ECONFLICT, NULL, app_only_by_award, to, cid);
    else
      rc = allowed[0] ? JB__EM(e, JB_ECONFLICT, NULL, app_move_not_allowed, from, to, allowed)
                      : JB__EM(e, JB_ECONFLICT, NULL, app_move_final, from, to);
    goto out;
  }
  int applicant = who->org && *who->org && !strcmp(who->org, lead);
  if (!((MOVES[m].who & OFFICER) && jb_actor_is_officer(who)) &&
      !((MOVES[m].who & APPLICANT) && applicant)) {
    rc = MOVES[m].who & APPLICANT ? JB__EM(e, JB_EPERM, NULL, app_move_applicant, from, to)
                                  : JB__EM(e, JB_EPERM, NULL, app_move_officer, from, to);
    goto out;
  }
  if (!in_states(MOVES[m].during, st)) {
    rc = !strcmp(MOVES[m].during, "published")
             ? JB__EM(e, JB_ECONFLICT, NULL, app_move_while_published, to, st)
             : JB__EM(e, JB_ECONFLICT, NULL, app_move_while_open, to, st);
    goto out;
  }
  int began;
  if ((rc = jb__tx_begin(e, &began)) == JB_OK) {
    rc = store_move(e, who, cid, lead, app, to, note);
    rc = jb__tx_end(e, rc, began);
  }
out:
  json_decref(app);
  json_decref(ch);
  return rc;
}

static int collect_key(void *ctx, const char *key, const char *body) {
  (void)body;
  return json_array_append_new(ctx, json_string(key)) == 0 ? 0 : JB_ENOMEM;
}

int jb__award_apps(jb_engine *e, const jb_actor *who, const char *cid, const char *const *winners,
                   size_t n) {
  /* the keys first: the items table is not changed under its own cursor */
  json_t *keys = json_array();
  int rc = keys ? jb__store_item_foreach(e->st, "application", cid, collect_key, keys) : JB_ENOMEM;
  for (size_t i = 0; rc == JB_OK && i < json_array_size(keys); i++) {
    const char *lead = json_string_value(json_array_get(keys, i));
    json_t *app = stored_app(e, cid, lead);
    if (!app) {
      rc = jb__eset(e, JB_EINTERNAL, "the application of %s led by %s does not parse", cid, lead);
      break;
    }
    if (jb__app_open(app)) {
      int won = 0;
      for (size_t w = 0; w < n; w++)
        won |= !strcmp(winners[w], lead);
      rc = store_move(e, who, cid, lead, app, won ? "awarded" : "not_selected", NULL);
    }
    json_decref(app);
  }
  json_decref(keys);
  return rc;
}

/* ---- submission and edits ------------------------------------------------------------- */

static int text_field(json_t *app, const char *k, size_t max, int required, jb_engine *e) {
  json_t *v = json_object_get(app, k);
  if (!v)
    return required ? JB__EM(e, JB_EINVAL, k, required) : JB_OK;
  if (!json_is_string(v) || !*json_string_value(v))
    return JB__EM(e, JB_EINVAL, k, non_empty_string);
  if (strlen(json_string_value(v)) > max)
    return JB__EM(e, JB_EINVAL, k, longer_than_bytes, max);
  return JB_OK;
}

/* the fields an applicant writes (the rest the engine keeps) */
static const char *const FIELDS[] = {"lead_org", "members",  "team_lead",  "plan",
                                     "budget",   "schedule", "commitment", NULL};

/* app's keys are all FIELDS */
static int known_fields(jb_engine *e, const json_t *app) {
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)app, k, v) {
    int known = 0;
    for (int i = 0; FIELDS[i]; i++)
      known |= !strcmp(k, FIELDS[i]);
    if (!known)
      return JB__EM(e, JB_EINVAL, k, app_unknown_field);
  }
  return JB_OK;
}

/* Every rule an application meets when it is submitted or edited, in the
 * order their answers are given: its fields, its members, who sends it, the
 * challenge's state and deadline, the issuer, eligibility, the team lead. */
static int check_fields(jb_engine *e, json_t *app) {
  int rc;
  if ((rc = text_field(app, "lead_org", 128, 1, e)) ||
      (rc = text_field(app, "team_lead", 128, 1, e)) ||
      (rc = text_field(app, "plan", 50000, 1, e)) ||
      (rc = text_field(app, "schedule", 20000, 1, e)) ||
      (rc = text_field(app, "commitment", 20000, 1, e)))
    return rc;
  json_t *budget = json_object_get(app, "budget");
  if (!json_is_object(budget) || !(json_number_value(json_object_get(budget, "amount")) > 0) ||
      json_object_size(budget) > 2 ||
      (json_object_size(budget) == 2 && !json_is_string(json_object_get(budget, "currency"))))
    return JB__EM(e, JB_EINVAL, "budget", app_budget);
  json_t *members = json_object_get(app, "members");
  if (members && !json_is_array(members))
    return JB__EM(e, JB_EINVAL, "members", app_members_list);
  return JB_OK;
}

static int check_app(jb_engine *e, const jb_actor *who, const json_t *ch, json_t *app,
                     unsigned max_members) {
  int rc = check_fields(e, app);
  if (rc != JB_OK)
    return rc;
  json_t *members = json_object_get(app, "members");
  const char *lead_id = jb__sv(app, "lead_org"), *issuer = jb__sv(ch, "org");
  json_t *el = json_object_get(ch, "eligibility");
  unsigned maxm = max_members;
  if (json_is_integer(json_object_get(el, "max_members")))
    maxm = (unsigned)json_integer_value(json_object_get(el, "max_members"));
  if (json_array_size(members) > maxm)
    return JB__EM(e, JB_EINVAL, "members", app_members_max, maxm);
  char f[JB_EMSG_FIELD];
  for (size_t i = 0; i < json_array_size(members); i++) {
    const char *m = json_string_value(json_array_get(members, i));
    if (!m || jb__store_exists(e->st, JB_REC_ORG, m) != 1)
      return JB__EM(e, JB_EINVAL, jb_emsg_item(f, sizeof f, "members", i), no_org,
                    m ? m : "(not a string)");
    if (!strcmp(m, lead_id))
      return JB__EM(e, JB_EINVAL, jb_emsg_item(f, sizeof f, "members", i), member_is_lead);
    for (size_t j = 0; j < i; j++)
      if (!strcmp(m, json_string_value(json_array_get(members, j))))
        return JB__EM(e, JB_EINVAL, jb_emsg_item(f, sizeof f, "members", i), listed_twice, m);
  }
  json_t *lead = jb__load_record(e, JB_REC_ORG, lead_id), *tl = NULL;
  if (!lead)
    return JB__EM(e, JB_EINVAL, "lead_org", no_org, lead_id);
  const char *dl = jb__sv(ch, "deadline");
  char today[16];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(today, sizeof today, "%Y-%m-%d", &tm);
  json_t *kinds = json_object_get(el, "org_kinds"), *regions = json_object_get(el, "regions");
  const char *reg = jb__sv(lead, "region");
  int okr = !json_array_size(regions);
  for (size_t i = 0; reg && i < json_array_size(regions); i++) {
    const char *p = json_string_value(json_array_get(regions, i));
    okr |= p && !strncmp(reg, p, strlen(p));
  }
  /* who applies: the lead org's own key, or an officer for it */
  if (!jb_actor_is_officer(who) && (!who->org || strcmp(who->org, lead_id)))
    rc = JB__EM(e, JB_EPERM, "lead_org", app_submit_by_lead, lead_id);
  else if (strcmp(jb__status_of(ch), "published"))
    rc = JB__EM(e, JB_ECONFLICT, NULL, app_not_published, jb__status_of(ch));
  else if (dl && strcmp(dl, today) < 0)
    rc = JB__EM(e, JB_ECONFLICT, NULL, app_deadline_passed, dl);
  else if (issuer && (!strcmp(issuer, lead_id) || jb__in_list(members, issuer)))
    rc = JB__EM(e, JB_EPERM, NULL, app_own_challenge, issuer);
  else if (json_array_size(kinds) && !jb__in_list(kinds, jb__sv(lead, "kind")))
    rc = JB__EM(e, JB_EPERM, "eligibility.org_kinds", app_kind_not_admitted, jb__sv(lead, "kind") ? jb__sv(lead, "kind") : "(none)");
  else if (!okr)
    rc = JB__EM(e, JB_EPERM, "eligibility.regions", app_region_not_admitted, reg ? reg : "(none)");
  else if (!(tl = jb__load_record(e, JB_REC_EXPERT, jb__sv(app, "team_lead"))))
    rc = JB__EM(e, JB_EINVAL, "team_lead", no_expert, jb__sv(app, "team_lead"));
  else if (!jb__sv(tl, "org") ||
           (strcmp(jb__sv(tl, "org"), lead_id) && !jb__in_list(members, jb__sv(tl, "org"))))
    rc = JB__EM(e, JB_EINVAL, "team_lead", team_lead_not_member, jb__sv(app, "team_lead"));
  json_decref(lead);
  json_decref(tl);
  return rc;
}

/* app as an answer: with its conflicts when any (not stored), times in RFC 3339 */
static char *answer_of(jb_engine *e, const char *cid, const json_t *ch, const char *lead,
                       json_t *app) {
  json_t *rec = jb__recusals(e, cid, ch, lead, app);
  if (rec && json_array_size(rec))
    json_object_set(app, "conflicts", rec);
  json_decref(rec);
  jb__times_out(app);
  return jb_rec_canonical(app);
}

int jb_engine_apply(jb_engine *e, const jb_actor *who, const char *cid, const char *text,
                    unsigned max_members, char **out) {
  if (out)
    *out = NULL;
  if (!e || !who || !cid || !text || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  json_t *app = NULL, *ch = NULL;
  char err[256];
  jb_emsg pm;
  int rc = jb_rec_parse_m(text, strlen(text), &app, err, sizeof err, &pm);
  if (rc != JB_OK)
    return jb__eset_msg(e, rc, err, &pm);
  if (!json_is_object(app))
    rc = JB__EM(e, JB_EINVAL, "application", must_be_object);
  /* the fields' own rules come before the challenge's existence */
  if (rc == JB_OK && (rc = known_fields(e, app)) == JB_OK && (rc = check_fields(e, app)) == JB_OK &&
      !(ch = jb__challenge_of(e, cid)))
    rc = JB_ENOENT;
  if (rc == JB_OK)
    rc = check_app(e, who, ch, app, max_members);
  char *body = NULL;
  const char *lead_id = jb__sv(app, "lead_org");
  if (rc == JB_OK) {
    json_object_set_new(app, "challenge", json_string(cid));
    json_object_set_new(app, "status", json_string("submitted"));
    json_object_set_new(app, "submitted_at", json_integer((json_int_t)time(NULL)));
    json_object_set_new(app, "submitted_by", json_string(who->actor));
    if (!json_object_get(app, "members"))
      json_object_set_new(app, "members", json_array());
    if (!(body = jb_rec_canonical(app)))
      rc = JB_ENOMEM;
  }
  if (rc == JB_OK) {
    char taken[300];
    snprintf(taken, sizeof taken,
             "'%s' has already applied to this challenge (one application "
             "per lead org)",
             lead_id);
    rc = jb__put_audited(e, who, "application", cid, lead_id, body, 1, "apply", lead_id, taken);
    if (rc == JB_EEXIST)
      rc = JB__EM(e, JB_EEXIST, "lead_org", app_exists, lead_id);
  }
  if (rc == JB_OK && out && !(*out = answer_of(e, cid, ch, lead_id, app)))
    rc = JB_ENOMEM;
  free(body);
  json_decref(app);
  json_decref(ch);
  return rc;
}

int jb_engine_application_update(jb_engine *e, const jb_actor *who, const char *cid,
                                 const char *lead, const char *text, unsigned max_members,
                                 char **out) {
  if (out)
    *out = NULL;
  if (!e || !who || !cid || !lead || !text || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  json_t *in = NULL, *ch = NULL, *app = NULL;
  char err[256], *body = NULL, *before = NULL;
  jb_emsg pm;
  int rc = jb_rec_parse_m(text, strlen(text), &in, err, sizeof err, &pm);
  if (rc != JB_OK)
    return jb__eset_msg(e, rc, err, &pm);
  if (!json_is_object(in) || !json_object_size(in))
    rc = JB__EM(e, JB_EINVAL, "application", app_change_fields);
  if (rc == JB_OK)
    rc = known_fields(e, in);
  if (rc == JB_OK && jb__sv(in, "lead_org") && strcmp(jb__sv(in, "lead_org"), lead))
    rc = JB__EM(e, JB_EINVAL, "lead_org", app_keeps_lead, lead);
  if (rc == JB_OK && !(ch = jb__challenge_of(e, cid)))
    rc = JB_ENOENT;
  if (rc == JB_OK && !(app = stored_app(e, cid, lead)))
    rc = JB__EM(e, JB_ENOENT, NULL, no_application, lead);
  if (rc == JB_OK && !jb_actor_is_officer(who) && (!who->org || strcmp(who->org, lead)))
    rc = JB__EM(e, JB_EPERM, "lead_org", app_change_by_lead, lead);
  if (rc == JB_OK && !jb__app_open(app))
    rc =
        JB__EM(e, JB_ECONFLICT, NULL, app_closed, jb__app_status(app));
  if (rc == JB_OK) {
    before = jb_rec_canonical(app);
    const char *k;
    json_t *v;
    json_object_foreach(in, k, v) json_object_set(app, k, v);
    rc = check_app(e, who, ch, app, max_members);
  }
  if (rc == JB_OK) {
    json_object_set_new(app, "updated_at", json_integer((json_int_t)time(NULL)));
    json_object_set_new(app, "updated_by", json_string(who->actor));
    if (!(body = jb_rec_canonical(app)))
      rc = JB_ENOMEM;
  }
  int began = 0;
  if (rc == JB_OK && (rc = jb__tx_begin(e, &began)) == JB_OK) {
    rc = jb__store_item_put(e->st, "application", cid, lead, body, (int64_t)time(NULL), 0);
    if (rc != JB_OK)
      rc = jb__eset_store(e, rc);
    else
      rc = jb_engine_audit(e, who->actor, "application_update", "challenge", cid, before, body,
                           lead);
    rc = jb__tx_end(e, rc, began);
  }
  if (rc == JB_OK && out && !(*out = answer_of(e, cid, ch, lead, app)))
    rc = JB_ENOMEM;
  free(before);
  free(body);
  json_decref(in);
  json_decref(app);
  json_decref(ch);
  return rc;
}

/* ---- reads ----------------------------------------------------------------------------- */

struct collect {
  jb_engine *e;
  const char *cid;
  const json_t *ch; /* the challenge when the whole list is asked */
  json_t *arr;
  const char *only;
};

static int collect_app(void *ctx, const char *key, const char *body) {
  struct collect *c = ctx;
  json_t *a = json_loads(body, 0, NULL);
  if (!a)
    return JB_EINTERNAL;
  if (c->only && strcmp(key, c->only) && !jb__in_list(json_object_get(a, "members"), c->only)) {
    json_decref(a);
    return 0;
  }
  if (c->ch) { /* officers and the issuer see each application's conflicts */
    json_t *r = jb__recusals(c->e, c->cid, c->ch, key, a);
    if (!r) {
      json_decref(a);
      return JB_ESTORE;
    }
    json_object_set_new(a, "conflicts", r);
  }
  if (!json_object_get(a, "status"))
    json_object_set_new(a, "status", json_string("submitted"));
  jb__times_out(a);
  json_array_append_new(c->arr, a);
  return 0;
}

int jb_engine_applications(jb_engine *e, const char *cid, const char *only_org, char **json) {
  if (!e || !json || (!cid && !only_org))
    return JB_EINVAL;
  *json = NULL;
  json_t *ch = only_org ? NULL : jb__challenge_of(e, cid);
  if (!only_org && !ch)
    return JB_ENOENT;
  struct collect c = {e, cid, ch, json_array(), only_org};
  int rc = jb__store_item_foreach(e->st, "application", cid, collect_app, &c);
  if (rc == JB_OK && !(*json = json_dumps(c.arr, JSON_COMPACT)))
    rc = JB_ENOMEM;
  json_decref(c.arr);
  json_decref(ch);
  return rc;
}

int jb_engine_application_get(jb_engine *e, const char *cid, const char *lead, int conflicts,
                              char **json) {
  if (!e || !cid || !lead || !json)
    return JB_EINVAL;
  *json = NULL;
  e->err[0] = '\0';
  json_t *ch = jb__challenge_of(e, cid);
  if (!ch)
    return JB_ENOENT;
  json_t *a = stored_app(e, cid, lead);
  int rc = a ? JB_OK : JB__EM(e, JB_ENOENT, NULL, no_application, lead);
  struct collect c = {e, cid, conflicts ? ch : NULL, json_array(), NULL};
  char *body = a ? json_dumps(a, JSON_COMPACT) : NULL;
  if (rc == JB_OK)
    rc = body ? collect_app(&c, lead, body) : JB_ENOMEM;
  if (rc == JB_OK && !(*json = json_dumps(json_array_get(c.arr, 0), JSON_COMPACT)))
    rc = JB_ENOMEM;
  free(body);
  json_decref(c.arr);
  json_decref(a);
  json_decref(ch);
  return rc;
}

int jb_engine_application_stored(jb_engine *e, const char *cid, const char *lead, char **json) {
  if (!e || !cid || !lead || !json)
    return JB_EINVAL;
  *json = NULL;
  e->err[0] = '\0';
  int rc = jb__store_item_get(e->st, "application", cid, lead, json);
  if (rc == JB_ENOENT)
    return jb__eset(e, rc, "no application led by '%s'", lead);
  if (rc != JB_OK && rc != JB_ENOMEM)
    jb__eset(e, rc, "%s", jb__store_error(e->st));
  return rc;
}
