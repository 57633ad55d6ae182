/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hooks.c: webhook subscriptions, the events that lifecycle changes write
 * in their own transaction, match.new after an index sync, and the delivery
 * bookkeeping (retries with backoff, disabling) — docs/webhooks.md. The
 * HTTP side (libcurl, the address guard) is api/webhook_send.c's. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/jb_time.h"
#include "engine/engine_int.h"
#include "engine/record.h"

static const char *const EVENTS[] = {"match.new",       "application.created", "application.state",
                                     "challenge.state", "award",               "milestone.due",
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

static int may_manage(const jb_actor *w, const jb_hook_row *r) {
  if (w->role && !strcmp(w->role, "admin"))
    return 1;
  if (w->role && !strcmp(w->role, "officer"))
    return !r->org && !strcmp(r->owner, w->actor);
  return org_role(w) && r->org && w->org && !strcmp(r->org, w->org);
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
    return jb__eset(e, JB_EINVAL, "body: must be a JSON object");
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)in, k, v) {
    if (strcmp(k, "url") && strcmp(k, "events") && strcmp(k, "secret") && strcmp(k, "active") &&
        strcmp(k, "challenge") && strcmp(k, "min_score") && strcmp(k, "description") &&
        strcmp(k, "saved"))
      return jb__eset(e, JB_EINVAL,
                      "%s: unknown field (url, events, secret, active, challenge, min_score, "
                      "saved, description)",
                      k);
  }
  json_t *b = cur ? json_deep_copy(cur) : json_object();
  if (!b)
    return JB_ENOMEM;
  int rc = JB_OK;
  json_t *x;
  if ((x = json_object_get(in, "url"))) {
    if (!json_is_string(x) || !url_ok(json_string_value(x)))
      rc = jb__eset(e, JB_EINVAL, "url: an http:// or https:// URL with a host, printable ASCII, "
                                  "at most 2000 bytes");
    else
      json_object_set(b, "url", x);
  } else if (!cur) {
    rc = jb__eset(e, JB_EINVAL, "url: required");
  }
  if (rc == JB_OK && (x = json_object_get(in, "events"))) {
    size_t n = json_array_size(x);
    if (!json_is_array(x) || n == 0)
      rc = jb__eset(e, JB_EINVAL, "events: a non-empty list of " JB_HOOK_EVENTS);
    for (size_t i = 0; rc == JB_OK && i < n; i++) {
      const char *name = json_string_value(json_array_get(x, i));
      if (!known_event(name))
        rc = jb__eset(e, JB_EINVAL, "events[%zu]: not an event (" JB_HOOK_EVENTS ")", i);
      for (size_t j = 0; rc == JB_OK && j < i; j++)
        if (!strcmp(name, json_string_value(json_array_get(x, j))))
          rc = jb__eset(e, JB_EINVAL, "events[%zu]: '%s' is named twice", i, name);
    }
    if (rc == JB_OK)
      json_object_set(b, "events", x);
  } else if (rc == JB_OK && !cur) {
    rc = jb__eset(e, JB_EINVAL, "events: required (" JB_HOOK_EVENTS ")");
  }
  if (rc == JB_OK && (x = json_object_get(in, "challenge"))) {
    if (json_is_null(x))
      json_object_del(b, "challenge");
    else if (!json_is_string(x) || !challenge_visible(e, w, json_string_value(x)))
      rc = jb__eset(e, JB_EINVAL, "challenge: no challenge '%s'",
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
      rc = jb__eset(e, JB_EINVAL, "saved: no saved search '%s' of the key that made the "
                                  "subscription",
                    json_is_string(x) ? json_string_value(x) : "(not a string)");
    else
      json_object_set(b, "saved", x);
    free(q);
  }
  if (rc == JB_OK && (x = json_object_get(in, "min_score"))) {
    if (json_is_null(x))
      json_object_del(b, "min_score");
    else if (!json_is_number(x) || !(json_number_value(x) >= 0 && json_number_value(x) <= 100))
      rc = jb__eset(e, JB_EINVAL, "min_score: a number from 0 to 100 (scores are 0-1 for outputs "
                                  "and experts)");
    else
      json_object_set_new(b, "min_score", json_real(json_number_value(x)));
  }
  if (rc == JB_OK && (x = json_object_get(in, "description"))) {
    if (!json_is_string(x) || strlen(json_string_value(x)) > 200)
      rc = jb__eset(e, JB_EINVAL, "description: a string of up to 200 bytes");
    else
      json_object_set(b, "description", x);
  }
  if (rc == JB_OK && (x = json_object_get(in, "active"))) {
    if (!json_is_boolean(x))
      rc = jb__eset(e, JB_EINVAL, "active: true or false");
    else
      *active = json_is_true(x);
  }
  if (rc == JB_OK && (x = json_object_get(in, "secret"))) {
    if (cur)
      rc = jb__eset(e, JB_EINVAL, "secret: set on create only (make a new subscription to change "
                                  "it)");
    else if (!json_is_string(x) || !secret_ok(json_string_value(x)))
      rc = jb__eset(e, JB_EINVAL, "secret: 16 to 200 printable ASCII characters without spaces");
    else
      *secret = json_string_value(x);
  }
  int mn = jb__in_list(json_object_get(b, "events"), "match.new");
  if (rc == JB_OK && mn && !json_object_get(b, "challenge") && !json_object_get(b, "saved"))
    rc = jb__eset(e, JB_EINVAL, "challenge: match.new needs the challenge whose match list it "
                                "follows (with min_score), or a saved search (saved)");
  if (rc == JB_OK && json_object_get(b, "saved") && json_object_get(b, "challenge"))
    rc = jb__eset(e, JB_EINVAL, "saved: follows a saved search; challenge a challenge's match "
                                "list: name one of them");
  if (rc == JB_OK && json_object_get(b, "saved") && !mn)
    rc = jb__eset(e, JB_EINVAL, "saved: only for match.new");

  if (rc == JB_OK && json_object_get(b, "min_score") &&
      !jb__in_list(json_object_get(b, "events"), "match.new"))
    rc = jb__eset(e, JB_EINVAL, "min_score: only for match.new");
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
                time_or_null(r->last_failure_at), "last_failure", r->last_failure,
                "failing_since", time_or_null(r->failing_since), "disabled_at",
                time_or_null(r->disabled_at)));
  if (!json_object_get(json_object_get(v, "state"), "last_failure"))
    json_object_set_new(json_object_get(v, "state"), "last_failure", json_null());
  return v;
}

static int dump(json_t *v, char **out) {
  *out = v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(6)) : NULL;
  json_decref(v);
  return *out ? JB_OK : JB_ENOMEM;
}

static int store_err(jb_engine *e, int rc) {
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
    return jb__eset(e, JB_EPERM, "webhooks belong to an org (enterprise and researcher keys) or "
                                 "to an officer or admin");
  if (org_role(w) && (!w->org || !*w->org))
    return jb__eset(e, JB_EPERM, "a %s key without an org has no webhooks", w->role);
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
  if ((rc = jb_rec_parse(json, strlen(json), &in, err, sizeof err)) != JB_OK)
    return jb__eset(e, rc, "%s", err);
  int active = 1;
  const char *given = NULL;
  rc = check_body(e, who, who->actor, in, NULL, &b, &active, &given);
  char id[24] = "w", secret[256];
  if (rc == JB_OK && (rc = jb__random_hex(id + 1, 8)) == JB_OK) {
    if (given) {
      snprintf(secret, sizeof secret, "%s", given);
    } else {
      memcpy(secret, "whsec_", 6);
      rc = jb__random_hex(secret + 6, 24);
    }
  }
  char *body = rc == JB_OK ? json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(6))
                           : NULL;
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
        rc = store_err(e, rc);
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
      rc = store_err(e, rc);
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
    return jb__eset(e, JB_ENOENT, "no webhook '%s'", id ? id : "");
  return rc == JB_OK ? rc : store_err(e, rc);
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
    return store_err(e, rc);
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
  int active = r.active;
  const char *given = NULL;
  if ((rc = jb_rec_parse(json, strlen(json), &in, err, sizeof err)) != JB_OK)
    jb__eset(e, rc, "%s", err);
  else if (!cur)
    rc = jb__eset(e, JB_ESTORE, "webhook '%s': its stored body does not parse", id);
  else
    rc = check_body(e, who, r.owner, in, cur, &b, &active, &given);
  char *body = rc == JB_OK ? json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(6))
                           : NULL;
  if (rc == JB_OK && !body)
    rc = JB_ENOMEM;
  if (rc == JB_OK) {
    int began;
    if ((rc = jb__tx_begin(e, &began)) == JB_OK) {
      rc = jb__store_hook_update(e->st, id, body, active, (int64_t)time(NULL));
      if (rc != JB_OK)
        rc = store_err(e, rc);
      if (rc == JB_OK)
        rc = jb_engine_audit(e, who->actor, "webhook_update", "webhook", id, r.body, body, "");
      rc = jb__tx_end(e, rc, began);
    }
  }
  jb__hook_row_free(&r);
  if (rc == JB_OK && (rc = jb__store_hook_get(e->st, id, &r)) == JB_OK) {
    rc = dump(view(&r), out);
    jb__hook_row_free(&r);
  } else if (rc != JB_OK && rc != JB_EINVAL) {
    rc = rc == JB_ENOMEM ? rc : store_err(e, rc);
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
      rc = store_err(e, rc);
    if (rc == JB_OK)
      rc = jb_engine_audit(e, who->actor, "webhook_delete", "webhook", id, r.body, NULL, "");
    rc = jb__tx_end(e, rc, began);
  }
  jb__hook_row_free(&r);
  return rc;
}

/* ---- events --------------------------------------------------------------------------- */

struct hearers {
  const char *type, *cid;
  const char *const *orgs;
  size_t norgs;
  const char *only; /* one subscription (match.new), or NULL */
  char (*ids)[24];
  size_t n, cap;
  int rc;
};

/* whether subscription r hears of an event (type, challenge cid, concerning orgs) */
static int hears_one(void *ctx, const jb_hook_row *r) {
  struct hearers *h = ctx;
  if (h->only && strcmp(h->only, r->id))
    return 0;
  json_t *b = json_loads(r->body, 0, NULL);
  int yes = b && jb__in_list(json_object_get(b, "events"), h->type);
  const char *c = b ? jb__sv(b, "challenge") : NULL;
  if (yes && c && (!h->cid || strcmp(c, h->cid)))
    yes = 0;
  if (yes && r->org && !h->only) { /* match.new: the one subscription, checked when made */
    int in = 0;
    for (size_t i = 0; i < h->norgs; i++)
      in |= h->orgs[i] && !strcmp(h->orgs[i], r->org);
    yes = in;
  }
  json_decref(b);
  if (!yes)
    return 0;
  if (h->n == h->cap) {
    size_t cap = h->cap ? h->cap * 2 : 8;
    char(*v)[24] = realloc(h->ids, cap * sizeof *v);
    if (!v)
      return JB_ENOMEM;
    h->ids = v;
    h->cap = cap;
  }
  snprintf(h->ids[h->n++], 24, "%s", r->id);
  return 0;
}

/* Writes event `type` about challenge cid (data consumed) with one delivery
 * per subscription that hears of it (only: that one alone). */
static int emit(jb_engine *e, const char *type, const char *cid, const char *const *orgs,
                size_t norgs, json_t *data, const char *only) {
  struct hearers h = {type, cid, orgs, norgs, only, NULL, 0, 0, 0};
  int rc = jb__store_hook_foreach(e->st, 1, hears_one, &h);
  if (rc != JB_OK || h.n == 0) {
    free(h.ids);
    json_decref(data);
    return rc == JB_OK ? JB_OK : store_err(e, rc);
  }
  char eid[40] = "evt_", ts[JB_RFC3339_LEN];
  int64_t now = (int64_t)time(NULL), seq = 0;
  rc = jb__random_hex(eid + 4, 12);
  json_t *p = json_pack("{s:s,s:s,s:s,s:o}", "id", eid, "type", type, "created_at",
                        jb_time_rfc3339(now, ts), "data", data ? data : json_object());
  char *payload = p ? json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(6)) : NULL;
  json_decref(p);
  if (rc == JB_OK && !payload)
    rc = JB_ENOMEM;
  if (rc == JB_OK && (rc = jb__store_event_add(e->st, eid, type, now, payload, &seq)) != JB_OK)
    rc = store_err(e, rc);
  for (size_t i = 0; rc == JB_OK && i < h.n; i++)
    if ((rc = jb__store_delivery_add(e->st, h.ids[i], seq, now * 1000)) != JB_OK)
      rc = store_err(e, rc);
  free(payload);
  free(h.ids);
  return rc;
}

static json_t *item(jb_engine *e, const char *kind, const char *cid, const char *key) {
  char *body = NULL;
  json_t *j = NULL;
  if (jb__store_item_get(e->st, kind, cid, key, &body) == JB_OK)
    j = json_loads(body, 0, NULL);
  free(body);
  return j;
}

/* milestone.due for the tranche of the plan due at `due`, if there is one
 * and it is not released: to the issuer and the winners */
static int tranche_due(jb_engine *e, const char *cid, const char *issuer, const json_t *m,
                       const char *due) {
  json_t *tr = json_object_get(m, "tranches");
  for (size_t i = 0; i < json_array_size(tr); i++) {
    json_t *t = json_array_get(tr, i);
    const char *d = jb__sv(t, "due");
    if (!d || strcmp(d, due) || json_object_get(t, "released_at"))
      continue;
    json_t *aw = item(e, "award", cid, "award"), *win = json_object_get(aw, "winners");
    const char *orgs[8] = {issuer};
    size_t n = 1;
    for (size_t k = 0; k < json_array_size(win) && n < 8; k++)
      orgs[n++] = json_string_value(json_array_get(win, k));
    int rc = emit(e, "milestone.due", cid, orgs, n,
                  json_pack("{s:s,s:I,s:s,s:O}", "challenge", cid, "tranche", (json_int_t)i, "due",
                            due, "share", json_object_get(t, "share")),
                  NULL);
    json_decref(aw);
    return rc;
  }
  return JB_OK;
}

int jb__hooks_on_audit(jb_engine *e, const char *action, const char *type, const char *id,
                       const char *after, const char *detail) {
  (void)detail;
  if (strcmp(type, "challenge") || !after)
    return JB_OK;
  int rc = JB_OK;
  char from[32] = "", to[32] = "";
  const char *arrow = strstr(action, "->"), *colon = strchr(action, ':');
  if (arrow && colon && colon < arrow) {
    snprintf(from, sizeof from, "%.*s", (int)(arrow - colon - 1), colon + 1);
    snprintf(to, sizeof to, "%s", arrow + 2);
  }
  if (!strncmp(action, "transition:", 11) && *to) {
    json_t *ch = json_loads(after, 0, NULL);
    const char *issuer = jb__sv(ch, "org");
    const char *orgs[1] = {issuer};
    rc = emit(e, "challenge.state", id, orgs, 1,
              json_pack("{s:s,s:s,s:s,s:s}", "challenge", id, "title", jb_rec_title(ch), "from",
                        from, "to", to),
              NULL);
    if (rc == JB_OK && !strcmp(to, "awarded")) {
      json_t *aw = item(e, "award", id, "award"), *win = json_object_get(aw, "winners");
      const char *wo[21] = {issuer};
      size_t n = 1;
      for (size_t k = 0; k < json_array_size(win) && n < 21; k++)
        wo[n++] = json_string_value(json_array_get(win, k));
      rc = emit(e, "award", id, wo, n,
                json_pack("{s:s,s:s,s:O}", "challenge", id, "title", jb_rec_title(ch), "winners",
                          win ? win : json_array()),
                NULL);
      json_decref(aw);
    }
    if (rc == JB_OK && !strcmp(to, "accepted")) {
      json_t *m = item(e, "milestones", id, "state");
      rc = tranche_due(e, id, issuer, m, "acceptance");
      json_decref(m);
    }
    json_decref(ch);
    return rc;
  }
  int created = !strcmp(action, "apply");
  if (created || (!strncmp(action, "application:", 12) && *to)) {
    json_t *app = json_loads(after, 0, NULL), *ch = jb__load_record(e, JB_REC_CHALLENGE, id);
    const char *lead = jb__sv(app, "lead_org");
    const char *orgs[2] = {ch ? jb__sv(ch, "org") : NULL, lead};
    json_t *data = created ? json_pack("{s:s,s:s?,s:O?}", "challenge", id, "org", lead, "members",
                                       json_object_get(app, "members"))
                           : json_pack("{s:s,s:s?,s:s,s:s}", "challenge", id, "org", lead, "from",
                                       from, "to", to);
    rc = emit(e, created ? "application.created" : "application.state", id, orgs, 2, data, NULL);
    json_decref(app);
    json_decref(ch);
    return rc;
  }
  if (!strcmp(action, "milestone:plan") || !strcmp(action, "milestone:stage_check")) {
    json_t *m = json_loads(after, 0, NULL), *ch = jb__load_record(e, JB_REC_CHALLENGE, id);
    const char *issuer = ch ? jb__sv(ch, "org") : NULL;
    if (!strcmp(action, "milestone:plan"))
      rc = tranche_due(e, id, issuer, m, "contract");
    else if (json_is_true(json_object_get(json_object_get(m, "stage_check"), "passed")))
      rc = tranche_due(e, id, issuer, m, "stage_check");
    json_decref(m);
    json_decref(ch);
  }
  return rc;
}

/* ---- match.new ------------------------------------------------------------------------ */

struct mn_hook {
  char id[24];
  char *challenge, *saved, *owner, *org; /* org NULL: an officer's or admin's */
  double min;
};

struct mn_list {
  struct mn_hook *v;
  size_t n, cap;
};

static void mn_free(struct mn_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].challenge);
    free(l->v[i].saved);
    free(l->v[i].owner);
    free(l->v[i].org);
  }
  free(l->v);
}

static char *dup_or_null(const char *s, int *fail) {
  char *d = s ? strdup(s) : NULL;
  if (s && !d)
    *fail = 1;
  return d;
}

static int mn_collect(void *ctx, const jb_hook_row *r) {
  struct mn_list *l = ctx;
  json_t *b = json_loads(r->body, 0, NULL);
  const char *c = jb__sv(b, "challenge"), *sv = jb__sv(b, "saved");
  int rc = 0;
  if (b && (c || sv) && jb__in_list(json_object_get(b, "events"), "match.new")) {
    if (l->n == l->cap) {
      size_t cap = l->cap ? l->cap * 2 : 8;
      struct mn_hook *v = realloc(l->v, cap * sizeof *v);
      if (!v) {
        json_decref(b);
        return JB_ENOMEM;
      }
      l->v = v;
      l->cap = cap;
    }
    struct mn_hook *h = &l->v[l->n++];
    int fail = 0;
    memset(h, 0, sizeof *h);
    snprintf(h->id, sizeof h->id, "%s", r->id);
    h->min = json_number_value(json_object_get(b, "min_score"));
    h->challenge = dup_or_null(c, &fail);
    h->saved = dup_or_null(sv, &fail);
    h->owner = dup_or_null(r->owner, &fail);
    h->org = dup_or_null(r->org, &fail);
    if (fail)
      rc = JB_ENOMEM;
  }
  json_decref(b);
  return rc;
}

/* whether the subscription's owner (org, NULL: officer or admin) sees (type, id): another
 * org's draft challenge does not exist for it */
static int owner_sees(jb_engine *e, const char *org, const char *type, const char *id) {
  if (!org || jb_rec_type_of(type) != JB_REC_CHALLENGE)
    return 1;
  json_t *ch = jb__load_record(e, JB_REC_CHALLENGE, id);
  int yes = ch && (strcmp(jb__status_of(ch), "draft") ||
                   (jb__sv(ch, "org") && !strcmp(jb__sv(ch, "org"), org)));
  json_decref(ch);
  return yes;
}

static void add_cand(json_t *out, const char *type, const char *id, const char *title,
                     double score) {
  json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:f}", "type", type, "id", id, "title",
                                       title ? title : "", "score", score));
}

/* the matches a subscription follows now, as [{type, id, title, score}] into out: its
 * challenge's match list, or its saved search's results (as GET /v1/saved/{id}/new has
 * them: a search's first 50 visible hits, a match's 50 best). JB_OK (also when what it
 * follows is gone: nothing), or an engine error. */
static int mn_current(jb_engine *e, const jb_match_weights *w, const struct mn_hook *h,
                      json_t *out) {
  const char *mtype = "challenge", *mid = h->challenge, *kind = NULL;
  json_t *q = NULL;
  if (h->saved) {
    char *text = NULL;
    if (jb__store_item_get(e->st, "saved", h->owner, h->saved, &text) != JB_OK)
      return JB_OK; /* the saved search was deleted */
    q = json_loads(text, 0, NULL);
    free(text);
    json_t *sq = json_object_get(q, "search"), *mq = json_object_get(q, "match");
    if (sq) {
      jb_hit *hits = NULL;
      size_t n = 0;
      int rc = jb_engine_search(e, jb__sv(sq, "q") ? jb__sv(sq, "q") : "", jb__sv(sq, "type"), 100,
                                &hits, &n);
      for (size_t i = 0; rc == JB_OK && i < n && json_array_size(out) < 50; i++)
        if (owner_sees(e, h->org, hits[i].type, hits[i].id))
          add_cand(out, hits[i].type, hits[i].id, hits[i].title, hits[i].score);
      jb_hits_free(hits, n);
      json_decref(q);
      return rc == JB_ENOENT ? JB_OK : rc;
    }
    mtype = jb__sv(mq, "type");
    mid = jb__sv(mq, "id");
    kind = jb__sv(mq, "kind");
  }
  int rc = JB_OK;
  if (mtype && mid && owner_sees(e, h->org, mtype, mid)) {
    jb_match_req r = {mtype, mid, kind, 50, 0, w, 0};
    char *text = NULL;
    rc = jb_engine_match(e, &r, &text);
    json_t *j = rc == JB_OK ? json_loads(text, 0, NULL) : NULL;
    free(text);
    json_t *ms = json_object_get(j, "matches");
    for (size_t k = 0; k < json_array_size(ms); k++) {
      json_t *m = json_array_get(ms, k);
      const char *t = jb__sv(m, "type"), *id = jb__sv(m, "id");
      if (t && id && owner_sees(e, h->org, t, id))
        add_cand(out, t, id, jb__sv(m, "title"), json_number_value(json_object_get(m, "score")));
    }
    json_decref(j);
    if (rc == JB_ENOENT || rc == JB_EINVAL) /* the record is gone, or no longer matchable */
      rc = JB_OK;
  }
  json_decref(q);
  return rc;
}

int jb_engine_hooks_match_new(jb_engine *e, const jb_match_weights *w, int64_t *events) {
  if (events)
    *events = 0;
  if (!e || e->o.readonly)
    return JB_EINVAL;
  if (!e->ix)
    return JB_OK;
  struct mn_list l = {0};
  int rc = jb__store_hook_foreach(e->st, 1, mn_collect, &l);
  if (rc != JB_OK && rc != JB_ENOMEM)
    rc = store_err(e, rc);
  for (size_t i = 0; rc == JB_OK && i < l.n; i++) {
    struct mn_hook *h = &l.v[i];
    json_t *cands = json_array();
    rc = cands ? mn_current(e, w, h, cands) : JB_ENOMEM;
    int began;
    if (rc == JB_OK && json_array_size(cands) && (rc = jb__tx_begin(e, &began)) == JB_OK) {
      for (size_t k = 0; rc == JB_OK && k < json_array_size(cands); k++) {
        json_t *m = json_array_get(cands, k);
        double score = json_number_value(json_object_get(m, "score"));
        const char *mt = jb__sv(m, "type"), *mid = jb__sv(m, "id");
        if (score < h->min)
          continue;
        char key[600];
        snprintf(key, sizeof key, "%s:%s", mt, mid);
        int fresh = jb__store_notified_add(e->st, h->id, key);
        if (fresh < 0) {
          rc = store_err(e, fresh);
        } else if (fresh) {
          json_t *data = json_pack("{s:s,s:s,s:s,s:f}", "type", mt, "id", mid, "title",
                                   jb__sv(m, "title"), "score", score);
          json_object_set_new(data, h->saved ? "saved" : "challenge",
                              json_string(h->saved ? h->saved : h->challenge));
          rc = emit(e, "match.new", h->challenge, NULL, 0, data, h->id);
          if (rc == JB_OK && events)
            (*events)++;
        }
      }
      rc = jb__tx_end(e, rc, began);
    }
    json_decref(cands);
  }
  mn_free(&l);
  return rc;
}

/* ---- delivery bookkeeping ------------------------------------------------------------- */

void jb_hook_deliveries_free(jb_hook_delivery *v, size_t n) { jb__hook_deliveries_free(v, n); }

int jb_engine_hooks_due(jb_engine *e, int64_t now_ms, size_t max, jb_hook_delivery **v, size_t *n,
                        int64_t *next_ms) {
  if (!e || !v || !n || !next_ms || e->o.readonly)
    return JB_EINVAL;
  int rc = jb__store_deliveries_due(e->st, now_ms, max, v, n, next_ms);
  if (rc != JB_OK)
    return store_err(e, rc);
  for (size_t i = 0; i < *n; i++) {
    json_t *b = json_loads((*v)[i].body, 0, NULL);
    const char *u = jb__sv(b, "url");
    (*v)[i].url = strdup(u ? u : "");
    json_decref(b);
    if (!(*v)[i].url) {
      jb_hook_deliveries_free(*v, *n);
      *v = NULL;
      *n = 0;
      return JB_ENOMEM;
    }
  }
  return JB_OK;
}

int jb_engine_hook_result(jb_engine *e, const jb_hook_delivery *d, int ok, const char *reason,
                          const jb_hook_policy *p, int64_t now_ms, int *outcome) {
  if (!e || !d || !p || e->o.readonly)
    return JB_EINVAL;
  int began, rc = jb__tx_begin(e, &began), out = JB_HOOK_DELIVERED;
  if (rc != JB_OK)
    return rc;
  int64_t now = now_ms / 1000;
  if (ok) {
    rc = jb__store_delivery_ok(e->st, d->hook, d->event, now);
  } else {
    double delay = (double)p->backoff_ms * pow(2.0, d->attempts < 40 ? d->attempts : 40);
    if (delay > (double)p->backoff_max_ms)
      delay = (double)p->backoff_max_ms;
    char hx[9];
    unsigned rnd = 0;
    if (jb__random_hex(hx, 4) == JB_OK)
      rnd = (unsigned)strtoul(hx, NULL, 16);
    delay *= 0.5 + 0.5 * ((double)rnd / 4294967295.0); /* jitter: 0.5 to 1 of the delay */
    int64_t at = now_ms + (int64_t)delay;
    if (at / 1000 - d->at > p->retry_for_s)
      at = 0;
    out = at ? JB_HOOK_RETRY : JB_HOOK_EXPIRED;
    rc = jb__store_delivery_failed(e->st, d->hook, d->event, now, reason ? reason : "failed", at);
    jb_hook_row r;
    if (rc == JB_OK && (rc = jb__store_hook_get(e->st, d->hook, &r)) == JB_OK) {
      if (r.active && r.failing_since && now - r.failing_since >= p->disable_after_s) {
        int64_t dropped;
        rc = jb__store_hook_disable(e->st, d->hook, now, &dropped);
        out = JB_HOOK_DISABLED;
      }
      jb__hook_row_free(&r);
    } else if (rc == JB_ENOENT) {
      rc = JB_OK; /* deleted meanwhile */
    }
  }
  if (rc != JB_OK)
    rc = store_err(e, rc);
  rc = jb__tx_end(e, rc, began);
  if (outcome)
    *outcome = out;
  return rc;
}
