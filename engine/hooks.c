/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hooks.c: webhook subscriptions — who owns and manages them, their
 * validation, their view with the delivery state (docs/webhooks.md). The
 * events and the delivery bookkeeping are hooks_events.c's; the HTTP side
 * (libcurl, the address guard) is api/webhook_send.c's. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/jb_time.h"
#include "engine/engine_int.h"
#include "engine/record.h"

static const char *const EVENTS[] = {"match.new",
                                     "application.created",
                                     "application.state",
                                     "challenge.state",
                                     "award",
                                     "milestone.due",
                                     NULL};

static int known_event(const char *s) {
  for (int i = 0; s && EVENTS[i]; i++)
    if (!strcmp(EVENTS[i], s))
      return 1;
  return 0;
}

/* ---- who owns and manages a subscription ---------------------------------------------- */

static int org_role(const jb_actor *w) {
  return w->role && (!strcmp(w->role, "enterprise") || !strcmp(w->role, "researcher"));
}

int jb__hook_issuer_side(const json_t *body) {
  const char *role = jb__sv(body, "owner_role");
  return role && !strcmp(role, "enterprise");
}

/* whether w may see and change subscription r: an org's subscriptions are its
 * keys', except that one an enterprise key made (the issuer's side: it hears
 * the org's challenges) is not a researcher key's, which could otherwise point
 * it at itself */
static int may_manage(const jb_actor *w, const jb_hook_row *r) {
  if (w->role && !strcmp(w->role, "admin"))
    return 1;
  if (w->role && !strcmp(w->role, "officer"))
    return !r->org && !strcmp(r->owner, w->actor);
  if (!org_role(w) || !r->org || !w->org || strcmp(r->org, w->org))
    return 0;
  if (!strcmp(w->role, "enterprise"))
    return 1;
  json_t *b = json_loads(r->body, 0, NULL);
  int issuer_side = jb__hook_issuer_side(b);
  json_decref(b);
  return !issuer_side;
}

/* ---- validation ----------------------------------------------------------------------- */

static int url_ok(const char *u) {
  size_t n = strlen(u);
  if (n > 2000 || (strncmp(u, "http://", 7) && strncmp(u, "https://", 8)))
    return 0;
  const char *host = u + (u[4] == 's' ? 8 : 7);
  if (!*host || *host == '/' || *host == ':' || *host == '?' || *host == '#')
    return 0;
  for (const unsigned char *p = (const unsigned char *)u; *p; p++)
    if (*p <= 0x20 || *p >= 0x7f)
      return 0;
  return 1;
}

static int secret_ok(const char *s) {
  size_t n = strlen(s);
  if (n < 16 || n > 200)
    return 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x21 || *p > 0x7e)
      return 0;
  return 1;
}

/* A challenge w may name in a subscription: it exists and w sees it
 * (another org's draft does not exist). */
static int challenge_visible(jb_engine *e, const jb_actor *w, const char *cid) {
  json_t *ch = jb__load_record(e, JB_REC_CHALLENGE, cid);
  if (!ch)
    return 0;
  const char *org = jb__sv(ch, "org");
  int ok = strcmp(jb__status_of(ch), "draft") || jb_actor_is_officer(w) ||
           (org && w->org && !strcmp(org, w->org));
  json_decref(ch);
  return ok;
}

/* Checks `in` (a parsed object) over the current body `cur` (NULL on
 * create) and builds the body to store in *out (a new reference); *active
 * is set when in has "active", *secret when it has "secret". */
static int check_body(jb_engine *e, const jb_actor *w, const char *owner, const json_t *in,
                      const json_t *cur, json_t **out, int *active, const char **secret) {
  *out = NULL;
  if (!json_is_object(in))
    return JB__EM(e, JB_EINVAL, "body", must_be_object);
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)in, k, v) {
    if (strcmp(k, "url") && strcmp(k, "events") && strcmp(k, "secret") && strcmp(k, "active") &&
        strcmp(k, "challenge") && strcmp(k, "min_score") && strcmp(k, "description") &&
        strcmp(k, "saved"))
      return JB__EM(e, JB_EINVAL, k, hook_unknown_field);
  }
  json_t *b = cur ? json_deep_copy(cur) : json_object();
  if (!b)
    return JB_ENOMEM;
  int rc = JB_OK;
  json_t *x;
  if ((x = json_object_get(in, "url"))) {
    if (!json_is_string(x) || !url_ok(json_string_value(x)))
      rc = JB__EM(e, JB_EINVAL, "url", hook_url);
    else
      json_object_set(b, "url", x);
  } else if (!cur) {
    rc = JB__EM(e, JB_EINVAL, "url", required);
  }
  if (rc == JB_OK && (x = json_object_get(in, "events"))) {
    size_t n = json_array_size(x);
    char f[JB_EMSG_FIELD];
    if (!json_is_array(x) || n == 0)
      rc = JB__EM(e, JB_EINVAL, "events", hook_events);
    for (size_t i = 0; rc == JB_OK && i < n; i++) {
      const char *name = json_string_value(json_array_get(x, i));
      if (!known_event(name))
        rc = JB__EM(e, JB_EINVAL, jb_emsg_item(f, sizeof f, "events", i), hook_not_event);
      for (size_t j = 0; rc == JB_OK && j < i; j++)
        if (!strcmp(name, json_string_value(json_array_get(x, j))))
          rc = JB__EM(e, JB_EINVAL, jb_emsg_item(f, sizeof f, "events", i), named_twice, name);
    }
    if (rc == JB_OK)
      json_object_set(b, "events", x);
  } else if (rc == JB_OK && !cur) {
    rc = JB__EM(e, JB_EINVAL, "events", hook_events_required);
  }
  if (rc == JB_OK && (x = json_object_get(in, "challenge"))) {
    if (json_is_null(x))
      json_object_del(b, "challenge");
    else if (!json_is_string(x) || !challenge_visible(e, w, json_string_value(x)))
      rc = JB__EM(e, JB_EINVAL, "challenge", no_challenge,
                  json_is_string(x) ? json_string_value(x) : "(not a string)");
    else
      json_object_set(b, "challenge", x);
  }
  if (rc == JB_OK && (x = json_object_get(in, "saved"))) {
    char *q = NULL;
    if (json_is_null(x))
      json_object_del(b, "saved");
    else if (!json_is_string(x) ||
             jb__store_item_get(e->st, "saved", owner, json_string_value(x), &q) != JB_OK)
      rc = JB__EM(e, JB_EINVAL, "saved", hook_no_saved,
                  json_is_string(x) ? json_string_value(x) : "(not a string)");
    else
      json_object_set(b, "saved", x);
    free(q);
  }
  if (rc == JB_OK && (x = json_object_get(in, "min_score"))) {
    if (json_is_null(x))
      json_object_del(b, "min_score");
    else if (!json_is_number(x) || !(json_number_value(x) >= 0 && json_number_value(x) <= 100))
      rc = JB__EM(e, JB_EINVAL, "min_score", hook_min_score);
    else
      json_object_set_new(b, "min_score", json_real(json_number_value(x)));
  }
  if (rc == JB_OK && (x = json_object_get(in, "description"))) {
    if (!json_is_string(x) || strlen(json_string_value(x)) > 200)
      rc = JB__EM(e, JB_EINVAL, "description", hook_description);
    else
      json_object_set(b, "description", x);
  }
  if (rc == JB_OK && (x = json_object_get(in, "active"))) {
    if (!json_is_boolean(x))
      rc = JB__EM(e, JB_EINVAL, "active", hook_active);
    else
      *active = json_is_true(x);
  }
  if (rc == JB_OK && (x = json_object_get(in, "secret"))) {
    if (cur)
      rc = JB__EM(e, JB_EINVAL, "secret", hook_secret_create_only);
    else if (!json_is_string(x) || !secret_ok(json_string_value(x)))
      rc = JB__EM(e, JB_EINVAL, "secret", hook_secret);
    else
      *secret = json_string_value(x);
  }
  int mn = jb__in_list(json_object_get(b, "events"), "match.new");
  if (rc == JB_OK && mn && !json_object_get(b, "challenge") && !json_object_get(b, "saved"))
    rc = JB__EM(e, JB_EINVAL, "challenge", hook_match_new_needs);
  if (rc == JB_OK && json_object_get(b, "saved") && json_object_get(b, "challenge"))
    rc = JB__EM(e, JB_EINVAL, "saved", hook_saved_or_challenge);
  if (rc == JB_OK && json_object_get(b, "saved") && !mn)
    rc = JB__EM(e, JB_EINVAL, "saved", hook_only_match_new);

  if (rc == JB_OK && json_object_get(b, "min_score") &&
      !jb__in_list(json_object_get(b, "events"), "match.new"))
    rc = JB__EM(e, JB_EINVAL, "min_score", hook_only_match_new);
  if (rc != JB_OK) {
    json_decref(b);
    return rc;
  }
  *out = b;
  return JB_OK;
}

/* ---- the view ------------------------------------------------------------------------- */

static json_t *time_or_null(int64_t t) {
  char ts[JB_RFC3339_LEN];
  return t ? json_string(jb_time_rfc3339(t, ts)) : json_null();
}

static json_t *view(const jb_hook_row *r) {
  json_t *v = json_loads(r->body, 0, NULL);
  if (!v)
    return NULL;
  json_object_set_new(v, "id", json_string(r->id));
  json_object_set_new(v, "active", json_boolean(r->active));
  json_object_set_new(v, "org", r->org ? json_string(r->org) : json_null());
  json_object_set_new(v, "owner", json_string(r->owner));
  json_object_set_new(v, "created_at", time_or_null(r->created_at));
  json_object_set_new(v, "updated_at", time_or_null(r->updated_at));
  json_object_set_new(
      v, "state",
      json_pack("{s:I,s:I,s:I,s:o,s:o,s:s?,s:o,s:o}", "delivered", (json_int_t)r->delivered,
                "pending", (json_int_t)r->pending, "consecutive_failures", (json_int_t)r->failures,
                "last_success_at", time_or_null(r->last_success_at), "last_failure_at",
                time_or_null(r->last_failure_at), "last_failure", r->last_failure, "failing_since",
                time_or_null(r->failing_since), "disabled_at", time_or_null(r->disabled_at)));
  if (!json_object_get(json_object_get(v, "state"), "last_failure"))
    json_object_set_new(json_object_get(v, "state"), "last_failure", json_null());
  return v;
}

static int dump(json_t *v, char **out) {
  *out = v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(6)) : NULL;
  json_decref(v);
  return *out ? JB_OK : JB_ENOMEM;
}

int jb__hooks_store_err(jb_engine *e, int rc) {
  if (rc == JB_ENOMEM || rc == JB_ENOENT)
    return rc;
  return jb__eset(e, rc, "%s", jb__store_error(e->st));
}

/* ---- the subscriptions ---------------------------------------------------------------- */

static int check_who(jb_engine *e, const jb_actor *w) {
  if (!e || !w || !w->actor || !w->role)
    return JB_EINVAL;
  e->err[0] = '\0';
  if (!org_role(w) && strcmp(w->role, "admin") && strcmp(w->role, "officer"))
    return JB__EM(e, JB_EPERM, NULL, hook_who);
  if (org_role(w) && (!w->org || !*w->org))
    return JB__EM(e, JB_EPERM, NULL, hook_no_org, w->role);
  return JB_OK;
}

int jb_engine_hook_create(jb_engine *e, const jb_actor *who, const char *json, char **out) {
  if (out)
    *out = NULL;
  if (!json || !out)
    return JB_EINVAL;
  int rc = check_who(e, who);
  if (rc != JB_OK)
    return rc;
  if (e->o.readonly)
    return JB_EINVAL;
  json_t *in = NULL, *b = NULL;
  char err[256];
  jb_emsg pm;
  if ((rc = jb_rec_parse_m(json, strlen(json), &in, err, sizeof err, &pm)) != JB_OK)
    return jb__eset_msg(e, rc, err, &pm);
  int active = 1;
  const char *given = NULL;
  rc = check_body(e, who, who->actor, in, NULL, &b, &active, &given);
  /* the role it was made with: an enterprise key's subscription is the issuer's side
   * (jb__hook_issuer_side); never taken from the body (an unknown field there) */
  if (rc == JB_OK && json_object_set_new(b, "owner_role", json_string(who->role)) != 0)
    rc = JB_ENOMEM;
  char id[24] = "w", secret[256];
  if (rc == JB_OK && (rc = jb__random_hex(id + 1, 8)) == JB_OK) {
    if (given) {
      snprintf(secret, sizeof secret, "%s", given);
    } else {
      memcpy(secret, "whsec_", 6);
      rc = jb__random_hex(secret + 6, 24);
    }
  }
  char *body =
      rc == JB_OK ? json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(6)) : NULL;
  if (rc == JB_OK && !body)
    rc = JB_ENOMEM;
  if (rc == JB_OK) {
    jb_hook_row r = {0};
    snprintf(r.id, sizeof r.id, "%s", id);
    r.org = org_role(who) ? (char *)who->org : NULL;
    r.owner = (char *)who->actor;
    r.body = body;
    r.secret = secret;
    r.active = active;
    r.created_at = (int64_t)time(NULL);
    int began;
    if ((rc = jb__tx_begin(e, &began)) == JB_OK) {
      rc = jb__store_hook_add(e->st, &r);
      if (rc != JB_OK)
        rc = jb__hooks_store_err(e, rc);
      if (rc == JB_OK)
        rc = jb_engine_audit(e, who->actor, "webhook_create", "webhook", id, NULL, body, "");
      rc = jb__tx_end(e, rc, began);
    }
  }
  if (rc == JB_OK) {
    jb_hook_row r;
    rc = jb__store_hook_get(e->st, id, &r);
    if (rc == JB_OK) {
      json_t *v = view(&r);
      if (v)
        json_object_set_new(v, "secret", json_string(r.secret));
      rc = dump(v, out);
      jb__hook_row_free(&r);
    } else {
      rc = jb__hooks_store_err(e, rc);
    }
  }
  free(body);
  json_decref(b);
  json_decref(in);
  return rc;
}

/* the row of id when who manages it (JB_ENOENT otherwise) */
static int managed(jb_engine *e, const jb_actor *who, const char *id, jb_hook_row *r) {
  int rc = id ? jb__store_hook_get(e->st, id, r) : JB_ENOENT;
  if (rc == JB_OK && !may_manage(who, r)) {
    jb__hook_row_free(r);
    rc = JB_ENOENT;
  }
  if (rc == JB_ENOENT)
    return JB__EM(e, JB_ENOENT, NULL, no_webhook, id ? id : "");
  return rc == JB_OK ? rc : jb__hooks_store_err(e, rc);
}

int jb_engine_hook_get(jb_engine *e, const jb_actor *who, const char *id, char **out) {
  if (out)
    *out = NULL;
  if (!out)
    return JB_EINVAL;
  int rc = check_who(e, who);
  jb_hook_row r;
  if (rc != JB_OK || (rc = managed(e, who, id, &r)) != JB_OK)
    return rc;
  rc = dump(view(&r), out);
  jb__hook_row_free(&r);
  return rc;
}

struct lister {
  const jb_actor *who;
  json_t *arr;
};

static int list_one(void *ctx, const jb_hook_row *r) {
  struct lister *l = ctx;
  if (!may_manage(l->who, r))
    return 0;
  json_t *v = view(r);
  if (!v)
    return JB_ENOMEM;
  json_array_append_new(l->arr, v);
  return 0;
}

int jb_engine_hook_list(jb_engine *e, const jb_actor *who, char **out) {
  if (out)
    *out = NULL;
  if (!out)
    return JB_EINVAL;
  int rc = check_who(e, who);
  if (rc != JB_OK)
    return rc;
  struct lister l = {who, json_array()};
  rc = jb__store_hook_foreach(e->st, 0, list_one, &l);
  if (rc != JB_OK) {
    json_decref(l.arr);
    return jb__hooks_store_err(e, rc);
  }
  return dump(l.arr, out);
}

int jb_engine_hook_update(jb_engine *e, const jb_actor *who, const char *id, const char *json,
                          char **out) {
  if (out)
    *out = NULL;
  if (!json || !out)
    return JB_EINVAL;
  int rc = check_who(e, who);
  if (rc != JB_OK)
    return rc;
  if (e->o.readonly)
    return JB_EINVAL;
  jb_hook_row r;
  if ((rc = managed(e, who, id, &r)) != JB_OK)
    return rc;
  json_t *in = NULL, *cur = json_loads(r.body, 0, NULL), *b = NULL;
  char err[256];
  jb_emsg pm;
  int active = r.active;
  const char *given = NULL;
  if ((rc = jb_rec_parse_m(json, strlen(json), &in, err, sizeof err, &pm)) != JB_OK)
    jb__eset_msg(e, rc, err, &pm);
  else if (!cur)
    rc = jb__eset(e, JB_ESTORE, "webhook '%s': its stored body does not parse", id);
  else
    rc = check_body(e, who, r.owner, in, cur, &b, &active, &given);
  char *body =
      rc == JB_OK ? json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(6)) : NULL;
  if (rc == JB_OK && !body)
    rc = JB_ENOMEM;
  if (rc == JB_OK) {
    int began;
    if ((rc = jb__tx_begin(e, &began)) == JB_OK) {
      rc = jb__store_hook_update(e->st, id, body, active, (int64_t)time(NULL));
      if (rc != JB_OK)
        rc = jb__hooks_store_err(e, rc);
      if (rc == JB_OK)
        rc = jb_engine_audit(e, who->actor, "webhook_update", "webhook", id, r.body, body, "");
      rc = jb__tx_end(e, rc, began);
    }
  }
  jb__hook_row_free(&r);
  if (rc == JB_OK) { /* the answer: the subscription as it is now */
    if ((rc = jb__store_hook_get(e->st, id, &r)) == JB_OK) {
      rc = dump(view(&r), out);
      jb__hook_row_free(&r);
    } else {
      rc = jb__hooks_store_err(e, rc);
    }
  }
  free(body);
  json_decref(b);
  json_decref(in);
  json_decref(cur);
  return rc;
}

int jb_engine_hook_delete(jb_engine *e, const jb_actor *who, const char *id) {
  int rc = check_who(e, who);
  if (rc != JB_OK)
    return rc;
  if (e->o.readonly)
    return JB_EINVAL;
  jb_hook_row r;
  if ((rc = managed(e, who, id, &r)) != JB_OK)
    return rc;
  int began;
  if ((rc = jb__tx_begin(e, &began)) == JB_OK) {
    rc = jb__store_hook_delete(e->st, id);
    if (rc != JB_OK)
      rc = jb__hooks_store_err(e, rc);
    if (rc == JB_OK)
      rc = jb_engine_audit(e, who->actor, "webhook_delete", "webhook", id, r.body, NULL, "");
    rc = jb__tx_end(e, rc, began);
  }
  jb__hook_row_free(&r);
  return rc;
}
