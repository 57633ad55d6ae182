/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stats.c: the lifecycle statistics for officers (GET /v1/stats):
 * challenges by state and field, applications, match-review outcomes, time
 * to award. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/jb_time.h"
#include "engine/engine_int.h"
#include "engine/record.h"

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
  bump(s->by_state, jb__status_of(ch));
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
    bump(s->apps, jb__sv(a, "challenge"));
  json_decref(a);
  return 0;
}

static int st_review(void *ctx, const char *key, const char *body) {
  (void)key;
  struct stats *s = ctx;
  json_t *r = json_loads(body, 0, NULL);
  if (r) {
    bump(s->reviews, jb__sv(r, "state"));
    if (jb__sv(r, "reason"))
      bump(s->reasons, jb__sv(r, "reason"));
  }
  json_decref(r);
  return 0;
}

static int st_audit(void *ctx, const char *json) {
  struct stats *s = ctx;
  json_t *a = json_loads(json, 0, NULL);
  const char *act = jb__sv(a, "action"), *id = jb__sv(a, "id");
  int64_t t = 0; /* the audit list shows RFC 3339: back to seconds */
  jb_time_parse(jb__sv(a, "at"), &t);
  json_int_t at = (json_int_t)t;
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
