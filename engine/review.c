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

const char *jb__sv(const json_t *o, const char *k) {
  return json_string_value(json_object_get(o, k));
}

json_t *jb__challenge_of(jb_engine *e, const char *id) {
  json_t *ch = jb__load_record(e, JB_REC_CHALLENGE, id);
  if (!ch)
    jb__eset(e, JB_ENOENT, "challenge '%s' not found", id);
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
    rc = jb__eset(e, JB_EEXIST, "%s", taken);
  else if (rc != JB_OK)
    rc = jb__eset(e, rc, "%s", jb__store_error(e->st));
  if (rc == JB_OK)
    rc = jb_engine_audit(e, who->actor, action, "challenge", cid, NULL, body, detail);
  return jb__tx_end(e, rc, began);
}

/* ---- applications ---------------------------------------------------------------------- */

static int text_field(json_t *app, const char *k, size_t max, int required, jb_engine *e) {
  json_t *v = json_object_get(app, k);
  if (!v)
    return required ? jb__eset(e, JB_EINVAL, "%s: required", k) : JB_OK;
  if (!json_is_string(v) || !*json_string_value(v))
    return jb__eset(e, JB_EINVAL, "%s: must be a non-empty string", k);
  if (strlen(json_string_value(v)) > max)
    return jb__eset(e, JB_EINVAL, "%s: longer than %zu bytes", k, max);
  return JB_OK;
}

int jb__in_list(const json_t *arr, const char *s) {
  for (size_t i = 0; s && i < json_array_size(arr); i++)
    if (!strcmp(json_string_value(json_array_get(arr, i)), s))
      return 1;
  return 0;
}

static json_t *recusals(jb_engine *e, const char *cid, const json_t *ch, const char *lead,
                        const json_t *app);

int jb_engine_apply(jb_engine *e, const jb_actor *who, const char *cid, const char *text,
                    unsigned max_members, char **out) {
  if (out)
    *out = NULL;
  if (!e || !who || !cid || !text || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  json_t *app = NULL, *ch = NULL, *lead = NULL, *tl = NULL;
  char err[256];
  int rc = jb_rec_parse(text, strlen(text), &app, err, sizeof err);
  if (rc != JB_OK)
    return jb__eset(e, rc, "%s", err);
  if (!json_is_object(app)) {
    rc = jb__eset(e, JB_EINVAL, "application: must be a JSON object");
    goto out;
  }
  static const char *const keys[] = {"lead_org", "members", "team_lead", "plan", "budget",
                                     "schedule", "commitment", NULL};
  const char *k;
  json_t *v;
  json_object_foreach(app, k, v) {
    int known = 0;
    for (int i = 0; keys[i]; i++)
      known |= !strcmp(k, keys[i]);
    if (!known) {
      rc = jb__eset(e, JB_EINVAL, "%s: unknown field (lead_org, members, team_lead, plan, budget, "
                                  "schedule, commitment)", k);
      goto out;
    }
  }
  if ((rc = text_field(app, "lead_org", 128, 1, e)) || (rc = text_field(app, "team_lead", 128, 1, e)) ||
      (rc = text_field(app, "plan", 50000, 1, e)) || (rc = text_field(app, "schedule", 20000, 1, e)) ||
      (rc = text_field(app, "commitment", 20000, 1, e)))
    goto out;
  json_t *budget = json_object_get(app, "budget");
  if (!json_is_object(budget) || !(json_number_value(json_object_get(budget, "amount")) > 0) ||
      json_object_size(budget) > 2 ||
      (json_object_size(budget) == 2 && !json_is_string(json_object_get(budget, "currency")))) {
    rc = jb__eset(e, JB_EINVAL, "budget: must be {\"amount\": a number above 0, \"currency\": CODE}");
    goto out;
  }
  json_t *members = json_object_get(app, "members");
  if (members && !json_is_array(members)) {
    rc = jb__eset(e, JB_EINVAL, "members: must be a list of org ids");
    goto out;
  }
  if (!(ch = jb__challenge_of(e, cid))) {
    rc = JB_ENOENT;
    goto out;
  }
  const char *lead_id = jb__sv(app, "lead_org"), *issuer = jb__sv(ch, "org");
  json_t *el = json_object_get(ch, "eligibility");
  unsigned maxm = max_members;
  if (json_is_integer(json_object_get(el, "max_members")))
    maxm = (unsigned)json_integer_value(json_object_get(el, "max_members"));
  if (json_array_size(members) > maxm) {
    rc = jb__eset(e, JB_EINVAL, "members: at most %u member orgs besides the lead", maxm);
    goto out;
  }
  for (size_t i = 0; i < json_array_size(members); i++) {
    const char *m = json_string_value(json_array_get(members, i));
    if (!m || jb__store_exists(e->st, JB_REC_ORG, m) != 1) {
      rc = jb__eset(e, JB_EINVAL, "members[%zu]: no org '%s'", i, m ? m : "(not a string)");
      goto out;
    }
    if (!strcmp(m, lead_id)) {
      rc = jb__eset(e, JB_EINVAL, "members[%zu]: the lead org is not also a member", i);
      goto out;
    }
    for (size_t j = 0; j < i; j++)
      if (!strcmp(m, json_string_value(json_array_get(members, j)))) {
        rc = jb__eset(e, JB_EINVAL, "members[%zu]: '%s' is listed twice", i, m);
        goto out;
      }
  }
  if (!(lead = jb__load_record(e, JB_REC_ORG, lead_id))) {
    rc = jb__eset(e, JB_EINVAL, "lead_org: no org '%s'", lead_id);
    goto out;
  }
  /* who applies: the lead org's own key, or an officer for it */
  if (!jb_actor_is_officer(who) && (!who->org || strcmp(who->org, lead_id))) {
    rc = jb__eset(e, JB_EPERM, "lead_org: a key of '%s' (or an officer) submits its application",
                  lead_id);
    goto out;
  }
  if (strcmp(jb__status_of(ch), "published")) {
    rc = jb__eset(e, JB_ECONFLICT, "applications are taken while the challenge is published; it is %s",
                  jb__status_of(ch));
    goto out;
  }
  const char *dl = jb__sv(ch, "deadline");
  char today[16];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(today, sizeof today, "%Y-%m-%d", &tm);
  if (dl && strcmp(dl, today) < 0) {
    rc = jb__eset(e, JB_ECONFLICT, "the deadline %s has passed: no more applications", dl);
    goto out;
  }
  if (issuer && (!strcmp(issuer, lead_id) || jb__in_list(members, issuer))) {
    rc = jb__eset(e, JB_EPERM, "the issuing org '%s' cannot apply to its own challenge", issuer);
    goto out;
  }
  json_t *kinds = json_object_get(el, "org_kinds");
  if (json_array_size(kinds) && !jb__in_list(kinds, jb__sv(lead, "kind"))) {
    rc = jb__eset(e, JB_EPERM, "eligibility.org_kinds: the lead org's kind '%s' is not admitted",
                  jb__sv(lead, "kind") ? jb__sv(lead, "kind") : "(none)");
    goto out;
  }
  json_t *regions = json_object_get(el, "regions");
  if (json_array_size(regions)) {
    const char *reg = jb__sv(lead, "region");
    int okr = 0;
    for (size_t i = 0; reg && i < json_array_size(regions); i++) {
      const char *p = json_string_value(json_array_get(regions, i));
      okr |= p && !strncmp(reg, p, strlen(p));
    }
    if (!okr) {
      rc = jb__eset(e, JB_EPERM, "eligibility.regions: the lead org's region %s is not admitted",
                    reg ? reg : "(none)");
      goto out;
    }
  }
  if (!(tl = jb__load_record(e, JB_REC_EXPERT, jb__sv(app, "team_lead")))) {
    rc = jb__eset(e, JB_EINVAL, "team_lead: no expert '%s'", jb__sv(app, "team_lead"));
    goto out;
  }
  const char *tlorg = jb__sv(tl, "org");
  if (!tlorg || (strcmp(tlorg, lead_id) && !jb__in_list(members, tlorg))) {
    rc = jb__eset(e, JB_EINVAL, "team_lead: '%s' works for none of the applying orgs",
                  jb__sv(app, "team_lead"));
    goto out;
  }
  json_object_set_new(app, "challenge", json_string(cid));
  json_object_set_new(app, "status", json_string("submitted"));
  json_object_set_new(app, "submitted_at", json_integer((json_int_t)now));
  json_object_set_new(app, "submitted_by", json_string(who->actor));
  if (!members)
    json_object_set_new(app, "members", json_array());
  char *body = jb_rec_canonical(app);
  if (!body) {
    rc = JB_ENOMEM;
    goto out;
  }
  char taken[300];
  snprintf(taken, sizeof taken, "'%s' has already applied to this challenge (one application per "
                                "lead org)", lead_id);
  rc = jb__put_audited(e, who, "application", cid, lead_id, body, 1, "apply", lead_id, taken);
  if (rc == JB_OK && out) {
    /* an assigned reviewer this application conflicts with is recused from
     * it (scoring refuses, the ranking leaves such scores out): say so */
    json_t *rec = recusals(e, cid, ch, lead_id, app);
    if (rec && json_array_size(rec)) {
      json_object_set_new(app, "conflicts", rec);
      rec = NULL;
      char *with = jb_rec_canonical(app);
      if (with) {
        free(body);
        body = with;
      }
    }
    json_decref(rec);
    *out = body;
  } else {
    free(body);
  }
out:
  json_decref(app);
  json_decref(ch);
  json_decref(lead);
  json_decref(tl);
  return rc;
}

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
    json_t *r = recusals(c->e, c->cid, c->ch, key, a);
    if (!r) {
      json_decref(a);
      return JB_ESTORE;
    }
    json_object_set_new(a, "conflicts", r);
  }
  json_array_append_new(c->arr, a);
  return 0;
}

int jb_engine_applications(jb_engine *e, const char *cid, const char *only_org, char **json) {
  if (!e || !cid || !json)
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

/* ---- reviewers and conflicts of interest ---------------------------------------------- */

/* The conflict of interest between reviewer `expert` (its record ex) and
 * one application (its lead org and stored body) of challenge ch — the one
 * rule checked wherever the two meet: at assignment, at application, at
 * scoring and in the ranking. 1 with a sentence in why, 0 when there is
 * none, or a store error (< 0). */
static int coi_pair(jb_engine *e, const json_t *ch, const char *expert, const json_t *ex,
                    const char *lead, const json_t *app, char *why, size_t wl) {
  const char *rorg = jb__sv(ex, "org"), *issuer = jb__sv(ch, "org"), *tl = jb__sv(app, "team_lead");
  if (rorg && issuer && !strcmp(rorg, issuer)) {
    snprintf(why, wl, "the reviewer's org %s issued the challenge", rorg);
    return 1;
  }
  if (rorg && (!strcmp(lead, rorg) || jb__in_list(json_object_get(app, "members"), rorg))) {
    snprintf(why, wl, "the reviewer's org %s is in the consortium of the application led by %s",
             rorg, lead);
    return 1;
  }
  if (tl && !strcmp(tl, expert)) {
    snprintf(why, wl, "the reviewer leads the team of the application led by %s", lead);
    return 1;
  }
  char out[200];
  int r = tl ? jb__store_shared_output(e->st, expert, tl, out, sizeof out) : 0;
  if (r == 1)
    snprintf(why, wl, "the reviewer and team lead %s share output %s", tl, out);
  else if (r < 0)
    jb__eset(e, r, "%s", jb__store_error(e->st));
  return r;
}

struct coi {
  jb_engine *e;
  const json_t *ch, *ex;
  const char *expert;
  char why[400];
};

/* stops at the first application the reviewer conflicts with */
static int app_conflict(void *ctx, const char *key, const char *body) {
  struct coi *c = ctx;
  json_t *a = json_loads(body, 0, NULL);
  if (!a)
    return JB_EINTERNAL;
  int r = coi_pair(c->e, c->ch, c->expert, c->ex, key, a, c->why, sizeof c->why);
  json_decref(a);
  return r;
}

/* The conflicts of the application (lead, app) with every assigned reviewer
 * of cid, as [{"reviewer", "reason"}] (a new reference; NULL on a store
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
  int c = ex ? coi_pair(r->e, r->ch, expert, ex, r->lead, r->app, why, sizeof why) : 0;
  json_decref(ex);
  if (c < 0)
    return r->rc = c;
  if (c == 1)
    json_array_append_new(r->out, json_pack("{s:s,s:s}", "reviewer", expert, "reason", why));
  return 0;
}

static json_t *recusals(jb_engine *e, const char *cid, const json_t *ch, const char *lead,
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
    return jb__eset(e, JB_EPERM, "officers and admins assign reviewers");
  json_t *ch = jb__challenge_of(e, cid);
  if (!ch)
    return JB_ENOENT;
  json_t *ex = jb__load_record(e, JB_REC_EXPERT, expert);
  int rc = JB_OK;
  const char *st = jb__status_of(ch);
  if (!ex) {
    rc = jb__eset(e, JB_EINVAL, "expert: no expert '%s'", expert);
  } else if (strcmp(st, "published") && strcmp(st, "reviewing")) {
    rc = jb__eset(e, JB_ECONFLICT, "reviewers are assigned while the challenge is published or "
                                   "reviewing; it is %s", st);
  } else {
    struct coi c = {e, ch, ex, expert, ""};
    const char *rorg = jb__sv(ex, "org");
    int r;
    if (rorg && jb__sv(ch, "org") && !strcmp(rorg, jb__sv(ch, "org")))
      rc = jb__eset(e, JB_ECONFLICT, "conflict of interest: the reviewer's org %s issued the "
                                     "challenge", rorg);
    else if ((r = jb__store_item_foreach(e->st, "application", cid, app_conflict, &c)) == 1)
      rc = jb__eset(e, JB_ECONFLICT, "conflict of interest: %s", c.why);
    else if (r != JB_OK)
      rc = e->err[0] ? r : jb__eset(e, r, "%s", jb__store_error(e->st));
  }
  if (rc == JB_OK) {
    json_t *r = json_pack("{s:s,s:s,s:I}", "expert", expert, "assigned_by", who->actor, "at",
                          (json_int_t)time(NULL));
    char *body = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS), taken[200];
    json_decref(r);
    snprintf(taken, sizeof taken, "%s is already a reviewer of this challenge", expert);
    rc = jb__put_audited(e, who, "reviewer", cid, expert, body, 1, "assign_reviewer", expert, taken);
    free(body);
  }
  json_decref(ex);
  json_decref(ch);
  return rc;
}

/* ---- scores, ranking, award ------------------------------------------------------------ */

int jb_engine_score(jb_engine *e, const jb_actor *who, const char *cid, const char *lead_org,
                    const char *expert, const char *scores, const jb_criteria *crit) {
  if (!e || !who || !cid || !lead_org || !expert || !scores || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  json_t *ch = jb__challenge_of(e, cid), *s = NULL, *ex = NULL;
  char *tmp = NULL, err[256];
  int rc = ch ? JB_OK : JB_ENOENT;
  if (rc == JB_OK && strcmp(jb__status_of(ch), "reviewing"))
    rc = jb__eset(e, JB_ECONFLICT, "scores are given while the challenge is reviewing; it is %s",
                  jb__status_of(ch));
  if (rc == JB_OK && jb__store_item_get(e->st, "reviewer", cid, expert, &tmp) != JB_OK)
    rc = jb__eset(e, JB_EINVAL, "reviewer: %s is not a reviewer of this challenge", expert);
  free(tmp);
  tmp = NULL;
  json_t *app = NULL;
  if (rc == JB_OK && jb__store_item_get(e->st, "application", cid, lead_org, &tmp) != JB_OK)
    rc = jb__eset(e, JB_ENOENT, "no application led by '%s'", lead_org);
  if (rc == JB_OK && !(app = json_loads(tmp, 0, NULL)))
    rc = jb__eset(e, JB_EINTERNAL, "the application led by '%s' does not parse", lead_org);
  free(tmp);
  if (rc == JB_OK && (ex = jb__load_record(e, JB_REC_EXPERT, expert)) && !jb_actor_is_officer(who) &&
      (!who->org || !jb__sv(ex, "org") || strcmp(who->org, jb__sv(ex, "org"))))
    rc = jb__eset(e, JB_EPERM, "officers, or a key of the reviewer's org, record scores");
  /* the conflict check meets the pair here too: the application may have
   * come after the assignment, or the reviewer changed org since */
  char why[400];
  int coi = rc == JB_OK && ex ? coi_pair(e, ch, expert, ex, lead_org, app, why, sizeof why) : 0;
  if (coi == 1)
    rc = jb__eset(e, JB_ECONFLICT, "conflict of interest: %s; %s is recused from this application",
                  why, expert);
  else if (coi < 0)
    rc = coi;
  json_decref(app);
  if (rc == JB_OK && (rc = jb_rec_parse(scores, strlen(scores), &s, err, sizeof err)) != JB_OK)
    jb__eset(e, rc, "%s", err);
  jb_criteria dflt;
  if (!crit) {
    jb_criteria_default(&dflt);
    crit = &dflt;
  }
  if (rc == JB_OK) {
    char want[400] = "";
    for (size_t i = 0; i < crit->n; i++)
      snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s (0-%g)", i ? ", " : "",
               crit->name[i], crit->max[i]);
    if (!json_is_object(s) || json_object_size(s) != crit->n)
      rc = jb__eset(e, JB_EINVAL, "scores: an object with %s", want);
    for (size_t i = 0; rc == JB_OK && i < crit->n; i++) {
      json_t *v = json_object_get(s, crit->name[i]);
      double x = json_number_value(v);
      if (!json_is_number(v) || x < 0 || x > crit->max[i])
        rc = jb__eset(e, JB_EINVAL, "scores.%s: a number from 0 to %g (scores: %s)", crit->name[i],
                      crit->max[i], want);
    }
  }
  if (rc == JB_OK) {
    json_t *r = json_pack("{s:s,s:s,s:O,s:s}", "lead_org", lead_org, "reviewer", expert, "scores",
                          s, "by", who->actor);
    char *body = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS), key[300];
    json_decref(r);
    snprintf(key, sizeof key, "%s\x1f%s", lead_org, expert);
    rc = jb__put_audited(e, who, "score", cid, key, body, 0, "score", lead_org, NULL);
    free(body);
  }
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
  json_object_set_new(r->by, key, json_pack("{s:s,s:f,s:i,s:{},s:[]}", "lead_org", key, "total",
                                            0.0, "reviews", 0, "criteria", "recused"));
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
    int coi = ex ? coi_pair(r->e, r->ch, expert, ex, lead, json_object_get(r->apps, lead), why,
                            sizeof why)
                 : 0;
    json_decref(ex);
    if (coi < 0) {
      rc = coi;
      row = NULL;
    } else if (coi == 1) {
      json_array_append_new(json_object_get(row, "recused"),
                            json_pack("{s:s,s:s}", "reviewer", expert, "reason", why));
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
  if (n == 0 || n > max_winners)
    return jb__eset(e, JB_EINVAL, "winners: name 1 to %u applications (their lead orgs)", max_winners);
  for (size_t i = 0; i < n; i++) {
    char *tmp = NULL;
    if (!winners[i] || jb__store_item_get(e->st, "application", cid, winners[i], &tmp) != JB_OK)
      return jb__eset(e, JB_EINVAL, "winners[%zu]: no application led by '%s'", i,
                      winners[i] ? winners[i] : "(null)");
    free(tmp);
    for (size_t j = 0; j < i; j++)
      if (!strcmp(winners[i], winners[j]))
        return jb__eset(e, JB_EINVAL, "winners[%zu]: '%s' is named twice", i, winners[i]);
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
  free(body);
  return jb__tx_end(e, rc, began);
}
