/* SPDX-License-Identifier: GPL-3.0-or-later */
/* milestones.c: an awarded challenge's funding plan, tranches, stage check,
 * extension and verdict (docs/lifecycle.md "Milestones"). Audited like every
 * lifecycle change. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine_int.h"
#include "engine/record.h"

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
  int rc = jb__put_audited(e, who, "milestones", cid, "state", body, 0, action, detail, NULL);
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
  jb__times_out(m);
  *json = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(m);
  return *json ? JB_OK : JB_ENOMEM;
}

int jb_engine_milestone(jb_engine *e, const jb_actor *who, const char *cid, const char *step,
                        const char *json, double first_share) {
  if (!e || !who || !cid || !step || !json || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  json_t *ch = jb__challenge_of(e, cid), *in = NULL, *m = NULL;
  char err[256], detail[200] = "";
  jb_emsg pm;
  int rc = ch ? JB_OK : JB_ENOENT;
  const char *st = ch ? jb__status_of(ch) : "";
  const char *issuer = ch ? jb__sv(ch, "org") : NULL;
  int issuer_key = jb_actor_is_issuer(who, issuer);
  if (rc == JB_OK && (rc = jb_rec_parse_m(json, strlen(json), &in, err, sizeof err, &pm)) != JB_OK)
    jb__eset_msg(e, rc, err, &pm);
  if (rc == JB_OK && !json_is_object(in))
    rc = JB__EM(e, JB_EINVAL, "body", must_be_object);
  if (rc == JB_OK)
    m = milestones_of(e, cid);
  if (rc != JB_OK) {
    /* fall through to the end */
  } else if (!strcmp(step, "plan")) {
    /* the funding plan: at contract time, by officers or the issuer */
    json_t *tr = json_object_get(in, "tranches");
    if (!jb_actor_is_officer(who) && !issuer_key)
      rc = JB__EM(e, JB_EPERM, NULL, plan_by_issuer);
    else if (strcmp(st, "awarded"))
      rc = JB__EM(e, JB_ECONFLICT, NULL, plan_when_awarded, st);
    else if (m && json_object_get(m, "tranches"))
      rc = JB__EM(e, JB_ECONFLICT, NULL, plan_set_already);
    else if (json_object_size(in) != 1 || !json_is_array(tr) || json_array_size(tr) < 1 ||
             json_array_size(tr) > 3)
      rc = JB__EM(e, JB_EINVAL, "tranches", tranches_shape);
    else {
      double sum = 0;
      int order = -1, stage = 0;
      static const char *const dues[] = {"contract", "stage_check", "acceptance"};
      char f[JB_EMSG_FIELD];
      for (size_t i = 0; rc == JB_OK && i < json_array_size(tr); i++) {
        json_t *t = json_array_get(tr, i);
        const char *due = jb__sv(t, "due");
        double sh = json_number_value(json_object_get(t, "share"));
        int d = -1;
        for (int k = 0; due && k < 3; k++)
          if (!strcmp(due, dues[k]))
            d = k;
        if (!json_is_object(t) || json_object_size(t) != 2 || d < 0 || !(sh > 0 && sh <= 1))
          rc = JB__EM(e, JB_EINVAL, jb_emsg_item(f, sizeof f, "tranches", i), tranche_shape);
        else if (d <= order)
          rc = JB__EM(e, JB_EINVAL, jb_emsg_item(f, sizeof f, "tranches", i), tranche_order, due);
        else if (i == 0 && (d != 0 || sh + 1e-9 < first_share))
          rc = JB__EM(e, JB_EINVAL, "tranches[0]", tranche_first, first_share * 100);
        order = d;
        stage += d == 1;
        sum += sh;
      }
      if (rc == JB_OK && fabs(sum - 1) > 1e-6)
        rc = JB__EM(e, JB_EINVAL, "tranches", tranche_sum, sum);
      if (rc == JB_OK) {
        if (!m)
          m = json_object();
        json_object_set(m, "tranches", tr);
        snprintf(detail, sizeof detail, "%zu tranches", json_array_size(tr));
      }
    }
  } else {
    /* the steps of the work: officers only, while in progress */
    if (!jb_actor_is_officer(who))
      rc = JB__EM(e, JB_EPERM, NULL, milestone_officer_only, step);
    else if (!m || !json_object_get(m, "tranches"))
      rc = JB__EM(e, JB_ECONFLICT, NULL, no_plan);
    else if (!strcmp(step, "release")) {
      json_t *tr = json_object_get(m, "tranches"), *ix = json_object_get(in, "tranche");
      size_t i = json_is_integer(ix) ? (size_t)json_integer_value(ix) : (size_t)-1;
      json_t *t = json_array_get(tr, i);
      const char *due = jb__sv(t, "due");
      json_t *sc = json_object_get(m, "stage_check"), *vd = json_object_get(m, "verdict");
      if (json_object_size(in) != 1 || !t)
        rc = JB__EM(e, JB_EINVAL, "tranche", tranche_index, json_array_size(tr) - 1);
      else if (json_object_get(t, "released_at"))
        rc = JB__EM(e, JB_ECONFLICT, NULL, tranche_released, i);
      else if (!strcmp(due, "contract") && strcmp(st, "awarded") && strcmp(st, "in_progress"))
        rc = JB__EM(e, JB_ECONFLICT, NULL, contract_tranche_when, st);
      else if (!strcmp(due, "stage_check") && !json_is_true(json_object_get(sc, "passed")))
        rc = JB__EM(e, JB_ECONFLICT, NULL, stage_tranche_waits);
      else if (!strcmp(due, "acceptance") && strcmp(jb__sv(vd, "result") ? jb__sv(vd, "result") : "", "accepted"))
        rc = JB__EM(e, JB_ECONFLICT, NULL, acceptance_tranche_waits);
      else {
        json_object_set_new(t, "released_at", json_integer((json_int_t)time(NULL)));
        json_object_set_new(t, "released_by", json_string(who->actor));
        snprintf(detail, sizeof detail, "tranche %zu", i);
      }
    } else if (!strcmp(step, "stage_check")) {
      json_t *p = json_object_get(in, "passed"), *note = json_object_get(in, "note");
      if (strcmp(st, "in_progress"))
        rc = JB__EM(e, JB_ECONFLICT, NULL, stage_check_when, st);
      else if (json_object_get(m, "stage_check"))
        rc = JB__EM(e, JB_ECONFLICT, NULL, stage_check_once);
      else if (!json_is_boolean(p) || (note && !json_is_string(note)) ||
               json_object_size(in) != (note ? 2u : 1u))
        rc = JB__EM(e, JB_EINVAL, "body", stage_check_body);
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
        rc = JB__EM(e, JB_ECONFLICT, NULL, extension_when, st);
      else if (json_object_get(m, "extension"))
        rc = JB__EM(e, JB_ECONFLICT, NULL, extension_once);
      else if (!json_is_integer(mo) || json_integer_value(mo) < 1 || json_integer_value(mo) > 12 ||
               !json_is_string(reason) || json_object_size(in) != 2)
        rc = JB__EM(e, JB_EINVAL, "body", extension_body);
      else {
        json_object_set_new(m, "extension", json_pack("{s:O,s:O,s:s,s:I}", "months", mo, "reason",
                                                      reason, "by", who->actor, "at",
                                                      (json_int_t)time(NULL)));
        snprintf(detail, sizeof detail, "%lld months", (long long)json_integer_value(mo));
      }
    } else {
      rc = JB__EM(e, JB_EINVAL, "step", milestone_step);
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
