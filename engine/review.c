/* review.c: applications (揭榜), reviewers with conflict-of-interest checks,
 * scores, the ranking and the award (挂帅) — docs/lifecycle.md. Every change
 * is audited in the same transaction. */
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

static const char *sv(const json_t *o, const char *k) {
  return json_string_value(json_object_get(o, k));
}

/* the challenge, parsed, or NULL with JB_ENOENT set */
static json_t *challenge_of(jb_engine *e, const char *id) {
  json_t *ch = jb__load_record(e, JB_REC_CHALLENGE, id);
  if (!ch)
    jb__eset(e, JB_ENOENT, "challenge '%s' not found", id);
  return ch;
}

static const char *status_of(const json_t *ch) {
  const char *s = sv(ch, "status");
  return s ? s : "draft";
}

/* Stores a lifecycle item and its audit entry in one transaction (the
 * batch's when one is open). A taken key under insert_only is JB_EEXIST
 * with "taken" as the message. body NULL (out of memory) is JB_ENOMEM. */
static int put_audited(jb_engine *e, const jb_actor *who, const char *kind, const char *cid,
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

static int in_list(const json_t *arr, const char *s) {
  for (size_t i = 0; s && i < json_array_size(arr); i++)
    if (!strcmp(json_string_value(json_array_get(arr, i)), s))
      return 1;
  return 0;
}

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
  if (!(ch = challenge_of(e, cid))) {
    rc = JB_ENOENT;
    goto out;
  }
  const char *lead_id = sv(app, "lead_org"), *issuer = sv(ch, "org");
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
  if (!jb__is_officer(who) && (!who->org || strcmp(who->org, lead_id))) {
    rc = jb__eset(e, JB_EPERM, "lead_org: a key of '%s' (or an officer) submits its application",
                  lead_id);
    goto out;
  }
  if (strcmp(status_of(ch), "published")) {
    rc = jb__eset(e, JB_ECONFLICT, "applications are taken while the challenge is published; it is %s",
                  status_of(ch));
    goto out;
  }
  const char *dl = sv(ch, "deadline");
  char today[16];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(today, sizeof today, "%Y-%m-%d", &tm);
  if (dl && strcmp(dl, today) < 0) {
    rc = jb__eset(e, JB_ECONFLICT, "the deadline %s has passed: no more applications", dl);
    goto out;
  }
  if (issuer && (!strcmp(issuer, lead_id) || in_list(members, issuer))) {
    rc = jb__eset(e, JB_EPERM, "the issuing org '%s' cannot apply to its own challenge", issuer);
    goto out;
  }
  json_t *kinds = json_object_get(el, "org_kinds");
  if (json_array_size(kinds) && !in_list(kinds, sv(lead, "kind"))) {
    rc = jb__eset(e, JB_EPERM, "eligibility.org_kinds: the lead org's kind '%s' is not admitted",
                  sv(lead, "kind") ? sv(lead, "kind") : "(none)");
    goto out;
  }
  json_t *regions = json_object_get(el, "regions");
  if (json_array_size(regions)) {
    const char *reg = sv(lead, "region");
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
  if (!(tl = jb__load_record(e, JB_REC_EXPERT, sv(app, "team_lead")))) {
    rc = jb__eset(e, JB_EINVAL, "team_lead: no expert '%s'", sv(app, "team_lead"));
    goto out;
  }
  const char *tlorg = sv(tl, "org");
  if (!tlorg || (strcmp(tlorg, lead_id) && !in_list(members, tlorg))) {
    rc = jb__eset(e, JB_EINVAL, "team_lead: '%s' works for none of the applying orgs",
                  sv(app, "team_lead"));
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
  rc = put_audited(e, who, "application", cid, lead_id, body, 1, "apply", lead_id, taken);
  if (rc == JB_OK && out)
    *out = body;
  else
    free(body);
out:
  json_decref(app);
  json_decref(ch);
  json_decref(lead);
  json_decref(tl);
  return rc;
}

struct collect {
  json_t *arr;
  const char *only;
};

static int collect_app(void *ctx, const char *key, const char *body) {
  struct collect *c = ctx;
  json_t *a = json_loads(body, 0, NULL);
  if (!a)
    return JB_EINTERNAL;
  if (c->only && strcmp(key, c->only) && !in_list(json_object_get(a, "members"), c->only)) {
    json_decref(a);
    return 0;
  }
  json_array_append_new(c->arr, a);
  return 0;
}

int jb_engine_applications(jb_engine *e, const char *cid, const char *only_org, char **json) {
  if (!e || !cid || !json)
    return JB_EINVAL;
  *json = NULL;
  struct collect c = {json_array(), only_org};
  int rc = jb__store_item_foreach(e->st, "application", cid, collect_app, &c);
  if (rc == JB_OK && !(*json = json_dumps(c.arr, JSON_COMPACT)))
    rc = JB_ENOMEM;
  json_decref(c.arr);
  return rc;
}

/* ---- reviewers and conflicts of interest ---------------------------------------------- */

struct coi {
  jb_engine *e;
  const char *rorg, *expert;
  char why[400];
};

static int shares_output(void *ctx, int type, const char *id, const char *body) {
  (void)type;
  struct coi *c = ctx;
  json_t *o = json_loads(body, 0, NULL);
  json_t *ex = json_object_get(o, "experts");
  int hit = in_list(ex, c->expert) && in_list(ex, c->why); /* why holds the team lead here */
  json_decref(o);
  if (hit) {
    char tl[140];
    snprintf(tl, sizeof tl, "%s", c->why);
    snprintf(c->why, sizeof c->why, "the reviewer and team lead %s share output %s", tl, id);
    return 1;
  }
  return 0;
}

static int app_conflict(void *ctx, const char *key, const char *body) {
  struct coi *c = ctx;
  json_t *a = json_loads(body, 0, NULL);
  int hit = 0;
  if (c->rorg && (!strcmp(key, c->rorg) || in_list(json_object_get(a, "members"), c->rorg))) {
    snprintf(c->why, sizeof c->why, "the reviewer's org %s is in the consortium of the "
                                    "application led by %s", c->rorg, key);
    hit = 1;
  } else {
    snprintf(c->why, sizeof c->why, "%s", sv(a, "team_lead") ? sv(a, "team_lead") : "");
    hit = c->why[0] && jb__store_foreach(c->e->st, JB_REC_OUTPUT, shares_output, c) == 1;
    if (!hit)
      c->why[0] = '\0';
  }
  json_decref(a);
  return hit;
}

int jb_engine_assign_reviewer(jb_engine *e, const jb_actor *who, const char *cid,
                              const char *expert) {
  if (!e || !who || !cid || !expert || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  if (!jb__is_officer(who))
    return jb__eset(e, JB_EPERM, "officers and admins assign reviewers");
  json_t *ch = challenge_of(e, cid);
  if (!ch)
    return JB_ENOENT;
  json_t *ex = jb__load_record(e, JB_REC_EXPERT, expert);
  int rc = JB_OK;
  const char *st = status_of(ch);
  if (!ex) {
    rc = jb__eset(e, JB_EINVAL, "expert: no expert '%s'", expert);
  } else if (strcmp(st, "published") && strcmp(st, "reviewing")) {
    rc = jb__eset(e, JB_ECONFLICT, "reviewers are assigned while the challenge is published or "
                                   "reviewing; it is %s", st);
  } else {
    struct coi c = {e, sv(ex, "org"), expert, ""};
    if (c.rorg && sv(ch, "org") && !strcmp(c.rorg, sv(ch, "org")))
      rc = jb__eset(e, JB_ECONFLICT, "conflict of interest: the reviewer's org %s issued the "
                                     "challenge", c.rorg);
    else if (jb__store_item_foreach(e->st, "application", cid, app_conflict, &c) == 1)
      rc = jb__eset(e, JB_ECONFLICT, "conflict of interest: %s", c.why);
  }
  if (rc == JB_OK) {
    json_t *r = json_pack("{s:s,s:s,s:I}", "expert", expert, "assigned_by", who->actor, "at",
                          (json_int_t)time(NULL));
    char *body = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS), taken[200];
    json_decref(r);
    snprintf(taken, sizeof taken, "%s is already a reviewer of this challenge", expert);
    rc = put_audited(e, who, "reviewer", cid, expert, body, 1, "assign_reviewer", expert, taken);
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
  json_t *ch = challenge_of(e, cid), *s = NULL, *ex = NULL;
  char *tmp = NULL, err[256];
  int rc = ch ? JB_OK : JB_ENOENT;
  if (rc == JB_OK && strcmp(status_of(ch), "reviewing"))
    rc = jb__eset(e, JB_ECONFLICT, "scores are given while the challenge is reviewing; it is %s",
                  status_of(ch));
  if (rc == JB_OK && jb__store_item_get(e->st, "reviewer", cid, expert, &tmp) != JB_OK)
    rc = jb__eset(e, JB_EINVAL, "reviewer: %s is not a reviewer of this challenge", expert);
  free(tmp);
  tmp = NULL;
  if (rc == JB_OK && jb__store_item_get(e->st, "application", cid, lead_org, &tmp) != JB_OK)
    rc = jb__eset(e, JB_ENOENT, "no application led by '%s'", lead_org);
  free(tmp);
  if (rc == JB_OK && (ex = jb__load_record(e, JB_REC_EXPERT, expert)) && !jb__is_officer(who) &&
      (!who->org || !sv(ex, "org") || strcmp(who->org, sv(ex, "org"))))
    rc = jb__eset(e, JB_EPERM, "officers, or a key of the reviewer's org, record scores");
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
    rc = put_audited(e, who, "score", cid, key, body, 0, "score", lead_org, NULL);
    free(body);
  }
  json_decref(s);
  json_decref(ex);
  json_decref(ch);
  return rc;
}

struct rank {
  json_t *by; /* lead_org -> {total, n, criteria sums} */
};

static int rank_app(void *ctx, const char *key, const char *body) {
  (void)body;
  struct rank *r = ctx;
  json_object_set_new(r->by, key, json_pack("{s:s,s:f,s:i,s:{}}", "lead_org", key, "total", 0.0,
                                            "reviews", 0, "criteria"));
  return 0;
}

static int rank_score(void *ctx, const char *key, const char *body) {
  (void)key;
  struct rank *r = ctx;
  json_t *s = json_loads(body, 0, NULL);
  json_t *row = json_object_get(r->by, sv(s, "lead_org"));
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
  return 0;
}

static int by_total(const void *a, const void *b) {
  const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
  double p = json_real_value(json_object_get(x, "mean")), q = json_real_value(json_object_get(y, "mean"));
  if (p != q)
    return p > q ? -1 : 1;
  return strcmp(sv(x, "lead_org"), sv(y, "lead_org"));
}

int jb_engine_ranking(jb_engine *e, const char *cid, char **json) {
  if (!e || !cid || !json)
    return JB_EINVAL;
  *json = NULL;
  struct rank r = {json_object()};
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

/* ---- milestones ------------------------------------------------------------------------ */

/* The milestone state of an awarded challenge is one document:
 * {"tranches":[{"share","due":"contract|stage_check|acceptance","released_at","released_by"}],
 *  "stage_check":{"passed","note","by","at"}, "extension":{"months","reason","by","at"},
 *  "verdict":{"result","by","at"}} */

static json_t *milestones_of(jb_engine *e, const char *cid) {
  char *body = NULL;
  json_t *m = NULL;
  if (jb__store_item_get(e->st, "milestones", cid, "state", &body) == JB_OK)
    m = json_loads(body, 0, NULL);
  free(body);
  return m;
}

static int save_milestones(jb_engine *e, const jb_actor *who, const char *cid, json_t *m,
                           const char *action, const char *detail) {
  char *body = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
  int rc = put_audited(e, who, "milestones", cid, "state", body, 0, action, detail, NULL);
  free(body);
  return rc;
}

int jb_engine_milestones(jb_engine *e, const char *cid, char **json) {
  if (!e || !cid || !json)
    return JB_EINVAL;
  *json = NULL;
  json_t *m = milestones_of(e, cid);
  if (!m)
    m = json_object();
  *json = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(m);
  return *json ? JB_OK : JB_ENOMEM;
}

int jb_engine_milestone(jb_engine *e, const jb_actor *who, const char *cid, const char *step,
                        const char *json, double first_share) {
  if (!e || !who || !cid || !step || !json || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  json_t *ch = challenge_of(e, cid), *in = NULL, *m = NULL;
  char err[256], detail[200] = "";
  int rc = ch ? JB_OK : JB_ENOENT;
  const char *st = ch ? status_of(ch) : "";
  const char *issuer = ch ? sv(ch, "org") : NULL;
  int issuer_key = jb__is_issuer(who, issuer);
  if (rc == JB_OK && (rc = jb_rec_parse(json, strlen(json), &in, err, sizeof err)) != JB_OK)
    jb__eset(e, rc, "%s", err);
  if (rc == JB_OK && !json_is_object(in))
    rc = jb__eset(e, JB_EINVAL, "body: must be a JSON object");
  if (rc == JB_OK)
    m = milestones_of(e, cid);
  if (rc != JB_OK) {
    /* fall through to the end */
  } else if (!strcmp(step, "plan")) {
    /* the funding plan: at contract time, by officers or the issuer */
    json_t *tr = json_object_get(in, "tranches");
    if (!jb__is_officer(who) && !issuer_key)
      rc = jb__eset(e, JB_EPERM, "the funding plan is set by the issuer, officers and admins");
    else if (strcmp(st, "awarded"))
      rc = jb__eset(e, JB_ECONFLICT, "the funding plan is set when the challenge is awarded; it is %s", st);
    else if (m && json_object_get(m, "tranches"))
      rc = jb__eset(e, JB_ECONFLICT, "the funding plan is set already");
    else if (json_object_size(in) != 1 || !json_is_array(tr) || json_array_size(tr) < 1 ||
             json_array_size(tr) > 3)
      rc = jb__eset(e, JB_EINVAL, "tranches: 1 to 3 of {\"share\": 0-1, \"due\": contract | "
                                  "stage_check | acceptance}, in that order");
    else {
      double sum = 0;
      int order = -1, stage = 0;
      static const char *const dues[] = {"contract", "stage_check", "acceptance"};
      for (size_t i = 0; rc == JB_OK && i < json_array_size(tr); i++) {
        json_t *t = json_array_get(tr, i);
        const char *due = sv(t, "due");
        double sh = json_number_value(json_object_get(t, "share"));
        int d = -1;
        for (int k = 0; due && k < 3; k++)
          if (!strcmp(due, dues[k]))
            d = k;
        if (!json_is_object(t) || json_object_size(t) != 2 || d < 0 || !(sh > 0 && sh <= 1))
          rc = jb__eset(e, JB_EINVAL, "tranches[%zu]: {\"share\": above 0 up to 1, \"due\": contract "
                                      "| stage_check | acceptance}", i);
        else if (d <= order)
          rc = jb__eset(e, JB_EINVAL, "tranches[%zu]: due '%s' out of order or repeated (at most one "
                                      "stage check)", i, due);
        else if (i == 0 && (d != 0 || sh + 1e-9 < first_share))
          rc = jb__eset(e, JB_EINVAL, "tranches[0]: the first tranche is due at contract and is at "
                                      "least %.0f %% of the funding", first_share * 100);
        order = d;
        stage += d == 1;
        sum += sh;
      }
      if (rc == JB_OK && fabs(sum - 1) > 1e-6)
        rc = jb__eset(e, JB_EINVAL, "tranches: the shares add up to %.4g, not 1", sum);
      if (rc == JB_OK) {
        if (!m)
          m = json_object();
        json_object_set(m, "tranches", tr);
        snprintf(detail, sizeof detail, "%zu tranches", json_array_size(tr));
      }
    }
  } else {
    /* the steps of the work: officers only, while in progress */
    if (!jb__is_officer(who))
      rc = jb__eset(e, JB_EPERM, "%s is recorded by officers and admins", step);
    else if (!m || !json_object_get(m, "tranches"))
      rc = jb__eset(e, JB_ECONFLICT, "there is no funding plan yet");
    else if (!strcmp(step, "release")) {
      json_t *tr = json_object_get(m, "tranches"), *ix = json_object_get(in, "tranche");
      size_t i = json_is_integer(ix) ? (size_t)json_integer_value(ix) : (size_t)-1;
      json_t *t = json_array_get(tr, i);
      const char *due = sv(t, "due");
      json_t *sc = json_object_get(m, "stage_check"), *vd = json_object_get(m, "verdict");
      if (json_object_size(in) != 1 || !t)
        rc = jb__eset(e, JB_EINVAL, "tranche: the index of a tranche of the plan (0-%zu)",
                      json_array_size(tr) - 1);
      else if (json_object_get(t, "released_at"))
        rc = jb__eset(e, JB_ECONFLICT, "tranche %zu was released already", i);
      else if (!strcmp(due, "contract") && strcmp(st, "awarded") && strcmp(st, "in_progress"))
        rc = jb__eset(e, JB_ECONFLICT, "the contract tranche is released once awarded; it is %s", st);
      else if (!strcmp(due, "stage_check") && !json_is_true(json_object_get(sc, "passed")))
        rc = jb__eset(e, JB_ECONFLICT, "the stage-check tranche waits for a passed stage check");
      else if (!strcmp(due, "acceptance") && strcmp(sv(vd, "result") ? sv(vd, "result") : "", "accepted"))
        rc = jb__eset(e, JB_ECONFLICT, "the acceptance tranche waits for the acceptance");
      else {
        json_object_set_new(t, "released_at", json_integer((json_int_t)time(NULL)));
        json_object_set_new(t, "released_by", json_string(who->actor));
        snprintf(detail, sizeof detail, "tranche %zu", i);
      }
    } else if (!strcmp(step, "stage_check")) {
      json_t *p = json_object_get(in, "passed"), *note = json_object_get(in, "note");
      if (strcmp(st, "in_progress"))
        rc = jb__eset(e, JB_ECONFLICT, "the stage check is made while in progress; it is %s", st);
      else if (json_object_get(m, "stage_check"))
        rc = jb__eset(e, JB_ECONFLICT, "the stage check was made already (at most one)");
      else if (!json_is_boolean(p) || (note && !json_is_string(note)) ||
               json_object_size(in) != (note ? 2u : 1u))
        rc = jb__eset(e, JB_EINVAL, "body: {\"passed\": true|false, \"note\": TEXT}");
      else {
        json_object_set_new(m, "stage_check",
                            json_pack("{s:O,s:s,s:s,s:I}", "passed", p, "note",
                                      note ? json_string_value(note) : "", "by", who->actor, "at",
                                      (json_int_t)time(NULL)));
        snprintf(detail, sizeof detail, "%s", json_is_true(p) ? "passed" : "not passed");
      }
    } else if (!strcmp(step, "extension")) {
      json_t *mo = json_object_get(in, "months"), *reason = json_object_get(in, "reason");
      if (strcmp(st, "in_progress"))
        rc = jb__eset(e, JB_ECONFLICT, "an extension is granted while in progress; it is %s", st);
      else if (json_object_get(m, "extension"))
        rc = jb__eset(e, JB_ECONFLICT, "the extension was granted already (at most one)");
      else if (!json_is_integer(mo) || json_integer_value(mo) < 1 || json_integer_value(mo) > 12 ||
               !json_is_string(reason) || json_object_size(in) != 2)
        rc = jb__eset(e, JB_EINVAL, "body: {\"months\": 1-12, \"reason\": TEXT} (at most a year)");
      else {
        json_object_set_new(m, "extension", json_pack("{s:O,s:O,s:s,s:I}", "months", mo, "reason",
                                                      reason, "by", who->actor, "at",
                                                      (json_int_t)time(NULL)));
        snprintf(detail, sizeof detail, "%lld months", (long long)json_integer_value(mo));
      }
    } else {
      rc = jb__eset(e, JB_EINVAL, "step: plan, release, stage_check or extension");
    }
  }
  if (rc == JB_OK) {
    char action[48];
    snprintf(action, sizeof action, "milestone:%s", step);
    rc = save_milestones(e, who, cid, m, action, detail);
  }
  json_decref(m);
  json_decref(in);
  json_decref(ch);
  return rc;
}

/* the acceptance verdict, kept with the milestones (lifecycle.c calls it in
 * the transition's transaction) */
int jb__milestone_verdict(jb_engine *e, const jb_actor *who, const char *cid, const char *result) {
  json_t *m = milestones_of(e, cid);
  if (!m)
    m = json_object();
  json_object_set_new(m, "verdict", json_pack("{s:s,s:s,s:I}", "result", result, "by", who->actor,
                                              "at", (json_int_t)time(NULL)));
  char *body = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(m);
  int rc = body ? jb__store_item_put(e->st, "milestones", cid, "state", body, (int64_t)time(NULL), 0)
                : JB_ENOMEM;
  free(body);
  return rc;
}

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
  json_t *ch = challenge_of(e, cid), *in = NULL, *cand = NULL;
  char err[256];
  int rc = ch ? JB_OK : JB_ENOENT;
  if (rc == JB_OK && (rc = jb_rec_parse(json, strlen(json), &in, err, sizeof err)) != JB_OK)
    jb__eset(e, rc, "%s", err);
  const char *issuer = ch ? sv(ch, "org") : NULL;
  if (rc == JB_OK && !jb__is_officer(who) &&
      !jb__is_issuer(who, issuer))
    rc = jb__eset(e, JB_EPERM, "matches are reviewed by the issuer, officers and admins");
  const char *type = rc == JB_OK ? sv(in, "type") : NULL, *id = rc == JB_OK ? sv(in, "id") : NULL;
  const char *state = rc == JB_OK ? sv(in, "state") : NULL, *reason = rc == JB_OK ? sv(in, "reason") : NULL;
  json_t *note = rc == JB_OK ? json_object_get(in, "note") : NULL;
  if (rc == JB_OK) {
    const char *k;
    json_t *v;
    json_object_foreach(in, k, v) {
      if (strcmp(k, "type") && strcmp(k, "id") && strcmp(k, "state") && strcmp(k, "reason") &&
          strcmp(k, "note") && rc == JB_OK)
        rc = jb__eset(e, JB_EINVAL, "%s: unknown field (type, id, state, reason, note)", k);
    }
  }
  int t = type ? jb_rec_type_of(type) : -1;
  if (rc != JB_OK) {
  } else if (t < 0 || t == JB_REC_CHALLENGE || !id) {
    rc = jb__eset(e, JB_EINVAL, "type and id: the matched output, expert or org");
  } else if (!(cand = jb__load_record(e, t, id))) {
    rc = jb__eset(e, JB_EINVAL, "id: no %s '%s'", type, id);
  } else if (!one_of(state, REVIEW_STATES)) {
    rc = jb__eset(e, JB_EINVAL, "state: shortlisted, contacted or dismissed");
  } else if (!strcmp(state, "dismissed") && !one_of(reason, REASONS)) {
    rc = jb__eset(e, JB_EINVAL, "reason: a dismissal needs one of too_early, benefit_unclear, "
                                "ip_conflict, no_capacity, other");
  } else if (strcmp(state, "dismissed") && reason) {
    rc = jb__eset(e, JB_EINVAL, "reason: only a dismissal has a reason");
  } else if (note && (!json_is_string(note) || strlen(json_string_value(note)) > 2000)) {
    rc = jb__eset(e, JB_EINVAL, "note: a string of up to 2000 bytes");
  }
  if (rc == JB_OK) {
    const char *corg = t == JB_REC_ORG ? id : sv(cand, "org");
    json_t *r = json_pack("{s:s,s:s,s:s,s:s,s:s*,s:s,s:s,s:I,s:s*}", "challenge", cid, "type", type,
                          "id", id, "state", state, "reason", reason, "note",
                          note ? json_string_value(note) : "", "by", who->actor, "at",
                          (json_int_t)time(NULL), "candidate_org", corg);
    char *body = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS), key[200];
    json_decref(r);
    snprintf(key, sizeof key, "%s:%s", type, id);
    rc = put_audited(e, who, "match_review", cid, key, body, 0, "match_review", key, NULL);
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
  if (r && (!c->org || !strcmp(c->org, sv(r, "candidate_org") ? sv(r, "candidate_org") : "")))
    json_array_append_new(c->arr, r);
  else
    json_decref(r);
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

/* ---- saved searches ---------------------------------------------------------------------- */
/* kept as lifecycle items of kind "saved" under (owner key id, saved id) */

int jb_engine_saved_put(jb_engine *e, const char *owner, const char *id, const char *json,
                        int create) {
  if (!e || !owner || !id || !json || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  int rc = jb__store_item_put(e->st, "saved", owner, id, json, (int64_t)time(NULL), create);
  if (rc != JB_OK)
    jb__eset(e, rc, "%s", jb__store_error(e->st));
  return rc;
}

int jb_engine_saved_get(jb_engine *e, const char *owner, const char *id, char **json) {
  if (!e || !owner || !id || !json)
    return JB_EINVAL;
  int rc = jb__store_item_get(e->st, "saved", owner, id, json);
  if (rc != JB_OK)
    jb__eset(e, rc, "no saved search '%s'", id);
  return rc;
}

int jb_engine_saved_delete(jb_engine *e, const char *owner, const char *id) {
  if (!e || !owner || !id || e->o.readonly)
    return JB_EINVAL;
  int rc = jb__store_item_delete(e->st, "saved", owner, id);
  if (rc != JB_OK)
    jb__eset(e, rc, "no saved search '%s'", id);
  return rc;
}

int jb_engine_saved_list(jb_engine *e, const char *owner, char **json) {
  if (!e || !owner || !json)
    return JB_EINVAL;
  *json = NULL;
  struct collect c = {json_array(), NULL};
  int rc = jb__store_item_foreach(e->st, "saved", owner, collect_app, &c);
  if (rc == JB_OK && !(*json = json_dumps(c.arr, JSON_COMPACT)))
    rc = JB_ENOMEM;
  json_decref(c.arr);
  return rc;
}

/* ---- statistics for officers --------------------------------------------------------------- */

struct stats {
  json_t *by_state, *by_field, *apps, *reviews, *reasons;
  json_t *published_at; /* challenge -> time of publication (audit) */
  double award_days_sum;
  long awards;
};

static void bump(json_t *o, const char *k) {
  json_object_set_new(o, k, json_integer(json_integer_value(json_object_get(o, k)) + 1));
}

static int st_challenge(void *ctx, const char *json) {
  struct stats *s = ctx;
  json_t *ch = json_loads(json, 0, NULL);
  bump(s->by_state, status_of(ch));
  json_t *f = json_object_get(ch, "fields");
  json_t *seen = json_object();
  for (size_t i = 0; i < json_array_size(f); i++) {
    char top[64];
    snprintf(top, sizeof top, "%s", json_string_value(json_array_get(f, i)));
    top[strcspn(top, "/")] = '\0';
    if (!json_object_get(seen, top)) {
      json_object_set_new(seen, top, json_true());
      bump(s->by_field, top);
    }
  }
  if (!json_array_size(f))
    bump(s->by_field, "(none)");
  json_decref(seen);
  json_decref(ch);
  return 0;
}

static int st_app(void *ctx, const char *key, const char *body) {
  (void)key;
  struct stats *s = ctx;
  json_t *a = json_loads(body, 0, NULL);
  if (a)
    bump(s->apps, sv(a, "challenge"));
  json_decref(a);
  return 0;
}

static int st_review(void *ctx, const char *key, const char *body) {
  (void)key;
  struct stats *s = ctx;
  json_t *r = json_loads(body, 0, NULL);
  if (r) {
    bump(s->reviews, sv(r, "state"));
    if (sv(r, "reason"))
      bump(s->reasons, sv(r, "reason"));
  }
  json_decref(r);
  return 0;
}

static int st_audit(void *ctx, const char *json) {
  struct stats *s = ctx;
  json_t *a = json_loads(json, 0, NULL);
  const char *act = sv(a, "action"), *id = sv(a, "id");
  json_int_t at = json_integer_value(json_object_get(a, "at"));
  if (act && id && !strcmp(act, "transition:draft->published"))
    json_object_set_new(s->published_at, id, json_integer(at));
  else if (act && id && !strcmp(act, "transition:reviewing->awarded") &&
           json_object_get(s->published_at, id)) {
    s->award_days_sum += (double)(at - json_integer_value(json_object_get(s->published_at, id))) / 86400.0;
    s->awards++;
  }
  json_decref(a);
  return 0;
}

int jb_engine_lifecycle_stats(jb_engine *e, char **json) {
  if (!e || !json)
    return JB_EINVAL;
  *json = NULL;
  struct stats s = {json_object(), json_object(), json_object(), json_object(), json_object(),
                    json_object(), 0, 0};
  int rc = jb__export(e, "challenge", st_challenge, &s, 0);
  if (rc == JB_OK)
    rc = jb__store_item_foreach(e->st, "application", NULL, st_app, &s);
  if (rc == JB_OK)
    rc = jb__store_item_foreach(e->st, "match_review", NULL, st_review, &s);
  if (rc == JB_OK)
    rc = jb_engine_audit_list(e, NULL, "transition", NULL, NULL, 0, 0, st_audit, &s);
  long total = 0, nch = 0;
  const char *k;
  json_t *v;
  json_object_foreach(s.apps, k, v) {
    total += (long)json_integer_value(v);
    nch++;
  }
  json_t *out = json_pack(
      "{s:o,s:o,s:{s:o,s:I,s:I,s:f},s:{s:I,s:o},s:{s:O,s:O}}", "challenges_by_state", s.by_state,
      "challenges_by_field", s.by_field, "applications", "per_challenge", s.apps, "total",
      (json_int_t)total, "challenges_with_applications", (json_int_t)nch, "mean",
      nch ? round((double)total / (double)nch * 100) / 100 : 0.0, "time_to_award", "awards",
      (json_int_t)s.awards, "mean_days",
      s.awards ? json_real(round(s.award_days_sum / (double)s.awards * 100) / 100) : json_null(),
      "match_reviews", "by_state", s.reviews, "dismissed_by_reason", s.reasons);
  json_decref(s.reviews);
  json_decref(s.reasons);
  json_decref(s.published_at);
  if (rc == JB_OK && !(out && (*json = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS))))
    rc = JB_ENOMEM;
  json_decref(out);
  return rc;
}
