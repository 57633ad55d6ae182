/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hooks_events.c: the webhook events — written by lifecycle changes in
 * their own transaction (jb__hooks_on_audit), match.new after an index sync
 * — and the delivery bookkeeping (retries with backoff and jitter, expiry,
 * disabling); docs/webhooks.md. Subscriptions are in hooks.c. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/jb_time.h"
#include "engine/engine_int.h"
#include "engine/record.h"

/* ---- events --------------------------------------------------------------------------- */

struct hearers {
  const char *type, *cid;
  const char *const *orgs; /* orgs[0]: the challenge's issuer, heard on its side */
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
  int as_issuer = 0, as_other = 0;
  if (yes && r->org && !h->only) { /* match.new: the one subscription, checked when made */
    for (size_t i = 0; i < h->norgs; i++)
      if (h->orgs[i] && !strcmp(h->orgs[i], r->org))
        *(i == 0 ? &as_issuer : &as_other) = 1;
    yes = as_issuer || as_other;
  }
  /* the issuer's side of a challenge is its enterprise keys' (jb_actor_is_issuer):
   * a researcher key's subscription hears of it only as an applicant or winner */
  if (yes && as_issuer && !as_other && !jb__hook_issuer_side(b))
    yes = 0;
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
int jb__hooks_emit(jb_engine *e, const char *type, const char *cid, const char *const *orgs,
                   size_t norgs, json_t *data, const char *only) {
  struct hearers h = {type, cid, orgs, norgs, only, NULL, 0, 0, 0};
  int rc = jb__store_hook_foreach(e->st, 1, hears_one, &h);
  if (rc != JB_OK || h.n == 0) {
    free(h.ids);
    json_decref(data);
    return rc == JB_OK ? JB_OK : jb__hooks_store_err(e, rc);
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
    rc = jb__hooks_store_err(e, rc);
  for (size_t i = 0; rc == JB_OK && i < h.n; i++)
    if ((rc = jb__store_delivery_add(e->st, h.ids[i], seq, now * 1000)) != JB_OK)
      rc = jb__hooks_store_err(e, rc);
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
    const char *orgs[21] = {issuer}; /* lifecycle.max_winners is at most 20 */
    size_t n = 1;
    for (size_t k = 0; k < json_array_size(win) && n < 21; k++)
      orgs[n++] = json_string_value(json_array_get(win, k));
    int rc =
        jb__hooks_emit(e, "milestone.due", cid, orgs, n,
                       json_pack("{s:s,s:I,s:s,s:O}", "challenge", cid, "tranche", (json_int_t)i,
                                 "due", due, "share", json_object_get(t, "share")),
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
    if (!ch)
      return JB_OK; /* cannot be: the record as stored, canonical */
    const char *issuer = jb__sv(ch, "org");
    const char *orgs[1] = {issuer};
    rc = jb__hooks_emit(e, "challenge.state", id, orgs, 1,
                        json_pack("{s:s,s:s,s:s,s:s}", "challenge", id, "title", jb_rec_title(ch),
                                  "from", from, "to", to),
                        NULL);
    if (rc == JB_OK && !strcmp(to, "awarded")) {
      json_t *aw = item(e, "award", id, "award"), *win = json_object_get(aw, "winners");
      const char *wo[21] = {issuer}; /* lifecycle.max_winners is at most 20 */
      size_t n = 1;
      for (size_t k = 0; k < json_array_size(win) && n < 21; k++)
        wo[n++] = json_string_value(json_array_get(win, k));
      rc = jb__hooks_emit(e, "award", id, wo, n,
                          json_pack("{s:s,s:s,s:o}", "challenge", id, "title", jb_rec_title(ch),
                                    "winners", win ? json_incref(win) : json_array()),
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
    rc = jb__hooks_emit(e, created ? "application.created" : "application.state", id, orgs, 2, data,
                        NULL);
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
    jb_match_req r;
    jb_match_req_init(&r);
    r.type = (jb_rec_type)jb_rec_type_of(mtype);
    r.id = mid;
    if (kind && jb_rec_type_of(kind) >= 0)
      r.kind = (jb_rec_type)jb_rec_type_of(kind);
    r.limit = 50;
    r.weights = w;
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
    rc = jb__hooks_store_err(e, rc);
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
          rc = jb__hooks_store_err(e, fresh);
        } else if (fresh) {
          json_t *data = json_pack("{s:s,s:s,s:s,s:f}", "type", mt, "id", mid, "title",
                                   jb__sv(m, "title"), "score", score);
          json_object_set_new(data, h->saved ? "saved" : "challenge",
                              json_string(h->saved ? h->saved : h->challenge));
          rc = jb__hooks_emit(e, "match.new", h->challenge, NULL, 0, data, h->id);
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

void jb_hook_deliveries_free(jb_hook_delivery *v, size_t n) {
  jb__hook_deliveries_free(v, n);
}

int jb_engine_hooks_due(jb_engine *e, int64_t now_ms, size_t max, jb_hook_delivery **v, size_t *n,
                        int64_t *next_ms) {
  if (!e || !v || !n || !next_ms || e->o.readonly)
    return JB_EINVAL;
  int rc = jb__store_deliveries_due(e->st, now_ms, max, v, n, next_ms);
  if (rc != JB_OK)
    return jb__hooks_store_err(e, rc);
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
    rc = jb__hooks_store_err(e, rc);
  rc = jb__tx_end(e, rc, began);
  if (outcome)
    *outcome = out;
  return rc;
}
