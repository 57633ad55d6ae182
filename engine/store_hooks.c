/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store_hooks.c: the webhook tables of migration 7 (engine/store.h
 * "Webhooks"): subscriptions and their delivery state, the durable events,
 * one delivery row per (subscription, event), and the match.new notified
 * set. The rules are engine/hooks.c's; this file only keeps rows. Every
 * function runs inside the caller's transaction (none opens its own). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/store.h"
#include "engine/store_int.h" /* <sqlite3.h>, as store_keys.c has it */

static int64_t col_i64(sqlite3_stmt *st, int i) {
  return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, i);
}

static char *col_dup(sqlite3_stmt *st, int i) {
  if (sqlite3_column_type(st, i) == SQLITE_NULL)
    return NULL;
  return strdup((const char *)sqlite3_column_text(st, i));
}

void jb__hook_row_free(jb_hook_row *r) {
  if (!r)
    return;
  free(r->org);
  free(r->owner);
  free(r->body);
  free(r->secret);
  free(r->last_failure);
  memset(r, 0, sizeof *r);
}

#define HOOK_COLS                                                                                  \
  "id, org, owner, body, secret, active, created_at, updated_at, delivered, failures,"             \
  " last_success_at, last_failure_at, last_failure, failing_since, disabled_at,"                   \
  " (SELECT count(*) FROM wh_deliveries d WHERE d.hook = webhooks.id)"

static int read_hook(sqlite3_stmt *st, jb_hook_row *r) {
  memset(r, 0, sizeof *r);
  snprintf(r->id, sizeof r->id, "%s", (const char *)sqlite3_column_text(st, 0));
  r->org = col_dup(st, 1);
  r->owner = col_dup(st, 2);
  r->body = col_dup(st, 3);
  r->secret = col_dup(st, 4);
  r->active = (int)col_i64(st, 5);
  r->created_at = col_i64(st, 6);
  r->updated_at = col_i64(st, 7);
  r->delivered = col_i64(st, 8);
  r->failures = col_i64(st, 9);
  r->last_success_at = col_i64(st, 10);
  r->last_failure_at = col_i64(st, 11);
  r->last_failure = col_dup(st, 12);
  r->failing_since = col_i64(st, 13);
  r->disabled_at = col_i64(st, 14);
  r->pending = col_i64(st, 15);
  if (!r->owner || !r->body || !r->secret) {
    jb__hook_row_free(r);
    return JB_ENOMEM;
  }
  return JB_OK;
}

int jb__store_hook_add(jb_store *s, const jb_hook_row *r) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db,
                         "INSERT INTO webhooks(id, org, owner, body, secret, active, created_at, "
                         "updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "webhook");
  sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
  if (r->org)
    sqlite3_bind_text(st, 2, r->org, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, r->owner, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, r->body, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, r->secret, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 6, r->active);
  sqlite3_bind_int64(st, 7, r->created_at);
  int x = sqlite3_step(st);
  sqlite3_finalize(st);
  if (x == SQLITE_CONSTRAINT || (x & 0xFF) == SQLITE_CONSTRAINT)
    return jb__st_fail(s, JB_EEXIST, "webhook '%s' exists", r->id);
  return x == SQLITE_DONE ? JB_OK : jb__st_sqlfail(s, "webhook");
}

int jb__store_hook_update(jb_store *s, const char *id, const char *body, int active, int64_t now) {
  sqlite3_stmt *st;
  /* made active again: the failure streak starts over */
  if (sqlite3_prepare_v2(s->db,
                         "UPDATE webhooks SET body=?2, updated_at=?4,"
                         " disabled_at = CASE WHEN ?3 THEN NULL ELSE disabled_at END,"
                         " failing_since = CASE WHEN ?3 AND active = 0 THEN NULL ELSE failing_since END,"
                         " failures = CASE WHEN ?3 AND active = 0 THEN 0 ELSE failures END,"
                         " active=?3 WHERE id=?1",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "webhook");
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 3, active);
  sqlite3_bind_int64(st, 4, now);
  int x = sqlite3_step(st);
  sqlite3_finalize(st);
  if (x != SQLITE_DONE)
    return jb__st_sqlfail(s, "webhook");
  return sqlite3_changes(s->db) ? JB_OK : JB_ENOENT;
}

int jb__store_hook_get(jb_store *s, const char *id, jb_hook_row *r) {
  memset(r, 0, sizeof *r);
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "SELECT " HOOK_COLS " FROM webhooks WHERE id=?1", -1, &st, NULL) !=
      SQLITE_OK)
    return jb__st_sqlfail(s, "webhook");
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int x = sqlite3_step(st), rc;
  if (x == SQLITE_ROW)
    rc = read_hook(st, r);
  else if (x == SQLITE_DONE)
    rc = JB_ENOENT;
  else
    rc = jb__st_sqlfail(s, "webhook");
  sqlite3_finalize(st);
  return rc;
}

int jb__store_hook_foreach(jb_store *s, int active_only,
                           int (*cb)(void *ctx, const jb_hook_row *r), void *ctx) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db,
                         active_only ? "SELECT " HOOK_COLS " FROM webhooks WHERE active ORDER BY id"
                                     : "SELECT " HOOK_COLS " FROM webhooks ORDER BY id",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "webhook");
  int x, rc = JB_OK;
  while (rc == JB_OK && (x = sqlite3_step(st)) == SQLITE_ROW) {
    jb_hook_row r;
    if ((rc = read_hook(st, &r)) != JB_OK)
      break;
    rc = cb(ctx, &r);
    jb__hook_row_free(&r);
  }
  if (rc == JB_OK && x != SQLITE_DONE)
    rc = jb__st_sqlfail(s, "webhook");
  sqlite3_finalize(st);
  return rc;
}

/* events no delivery names any more are removed */
static int prune_events(jb_store *s) {
  return jb__st_exec(s, "DELETE FROM wh_events WHERE NOT EXISTS (SELECT 1 FROM wh_deliveries d "
                        "WHERE d.event = wh_events.seq)");
}

int jb__store_hook_delete(jb_store *s, const char *id) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "DELETE FROM webhooks WHERE id=?1", -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "webhook");
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int x = sqlite3_step(st);
  sqlite3_finalize(st);
  if (x != SQLITE_DONE)
    return jb__st_sqlfail(s, "webhook");
  if (!sqlite3_changes(s->db))
    return JB_ENOENT;
  return prune_events(s);
}

int jb__store_event_add(jb_store *s, const char *eid, const char *type, int64_t at,
                        const char *payload, int64_t *seq) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "INSERT INTO wh_events(id, type, at, payload) VALUES(?1,?2,?3,?4)",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "webhook event");
  sqlite3_bind_text(st, 1, eid, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, at);
  sqlite3_bind_text(st, 4, payload, -1, SQLITE_STATIC);
  int x = sqlite3_step(st);
  sqlite3_finalize(st);
  if (x != SQLITE_DONE)
    return jb__st_sqlfail(s, "webhook event");
  *seq = sqlite3_last_insert_rowid(s->db);
  return JB_OK;
}

int jb__store_delivery_add(jb_store *s, const char *hook, int64_t event, int64_t next_at_ms) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO wh_deliveries(hook, event, next_at) "
                                "VALUES(?1, ?2, ?3)",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "webhook delivery");
  sqlite3_bind_text(st, 1, hook, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, event);
  sqlite3_bind_int64(st, 3, next_at_ms);
  int x = sqlite3_step(st);
  sqlite3_finalize(st);
  return x == SQLITE_DONE ? JB_OK : jb__st_sqlfail(s, "webhook delivery");
}

void jb__hook_deliveries_free(jb_hook_delivery *v, size_t n) {
  for (size_t i = 0; v && i < n; i++) {
    free(v[i].url);
    free(v[i].secret);
    free(v[i].payload);
    free(v[i].body);
  }
  free(v);
}

int jb__store_deliveries_due(jb_store *s, int64_t now_ms, size_t max, jb_hook_delivery **out,
                             size_t *n, int64_t *next_ms) {
  *out = NULL;
  *n = 0;
  *next_ms = 0;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT d.hook, d.event, d.attempts, e.id, e.type, e.at, e.payload,"
                         " w.secret, w.body FROM wh_deliveries d JOIN wh_events e ON e.seq = d.event"
                         " JOIN webhooks w ON w.id = d.hook WHERE w.active AND d.next_at <= ?1"
                         " ORDER BY d.next_at, d.event LIMIT ?2",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "webhook deliveries");
  sqlite3_bind_int64(st, 1, now_ms);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)(max ? max : 1));
  jb_hook_delivery *v = calloc(max ? max : 1, sizeof *v);
  int x, rc = v ? JB_OK : JB_ENOMEM;
  while (rc == JB_OK && (x = sqlite3_step(st)) == SQLITE_ROW) {
    jb_hook_delivery *d = &v[*n];
    snprintf(d->hook, sizeof d->hook, "%s", (const char *)sqlite3_column_text(st, 0));
    d->event = sqlite3_column_int64(st, 1);
    d->attempts = (int)sqlite3_column_int64(st, 2);
    snprintf(d->event_id, sizeof d->event_id, "%s", (const char *)sqlite3_column_text(st, 3));
    snprintf(d->type, sizeof d->type, "%s", (const char *)sqlite3_column_text(st, 4));
    d->at = sqlite3_column_int64(st, 5);
    d->payload = col_dup(st, 6);
    d->secret = col_dup(st, 7);
    d->body = col_dup(st, 8);
    (*n)++;
    if (!d->payload || !d->secret || !d->body)
      rc = JB_ENOMEM;
  }
  if (rc == JB_OK && x != SQLITE_DONE)
    rc = jb__st_sqlfail(s, "webhook deliveries");
  sqlite3_finalize(st);
  if (rc == JB_OK) {
    int64_t next = 0;
    rc = jb__st_int_query(s, "SELECT coalesce(min(d.next_at), 0) FROM wh_deliveries d JOIN webhooks w"
                             " ON w.id = d.hook WHERE w.active", -1, &next);
    *next_ms = next;
  }
  if (rc != JB_OK) {
    jb__hook_deliveries_free(v, *n);
    *n = 0;
    return rc;
  }
  *out = v;
  return JB_OK;
}

static int run1(jb_store *s, const char *sql, const char *hook, int64_t a, int64_t b,
                const char *text) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "webhook state");
  sqlite3_bind_text(st, 1, hook, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, a);
  sqlite3_bind_int64(st, 3, b);
  if (text)
    sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
  int x = sqlite3_step(st);
  sqlite3_finalize(st);
  return x == SQLITE_DONE ? JB_OK : jb__st_sqlfail(s, "webhook state");
}

int jb__store_delivery_ok(jb_store *s, const char *hook, int64_t event, int64_t now) {
  int rc = run1(s, "DELETE FROM wh_deliveries WHERE hook=?1 AND event=?2", hook, event, 0, NULL);
  if (rc == JB_OK)
    rc = run1(s, "UPDATE webhooks SET delivered = delivered + 1, failures = 0, failing_since = NULL,"
                 " last_success_at = ?2 WHERE id=?1",
              hook, now, 0, NULL);
  return rc == JB_OK ? prune_events(s) : rc;
}

int jb__store_delivery_failed(jb_store *s, const char *hook, int64_t event, int64_t now,
                              const char *reason, int64_t retry_at_ms) {
  int rc = run1(s, "UPDATE webhooks SET failures = failures + 1, last_failure_at = ?2,"
                   " last_failure = ?4, failing_since = coalesce(failing_since, ?2)"
                   " WHERE id=?1",
                hook, now, 0, reason);
  if (rc != JB_OK)
    return rc;
  if (retry_at_ms > 0)
    return run1(s, "UPDATE wh_deliveries SET attempts = attempts + 1, next_at = ?3"
                   " WHERE hook=?1 AND event=?2",
                hook, event, retry_at_ms, NULL);
  rc = run1(s, "DELETE FROM wh_deliveries WHERE hook=?1 AND event=?2", hook, event, 0, NULL);
  return rc == JB_OK ? prune_events(s) : rc;
}

int jb__store_hook_disable(jb_store *s, const char *hook, int64_t now, int64_t *dropped) {
  *dropped = 0;
  int rc = run1(s, "UPDATE webhooks SET active = 0, disabled_at = ?2 WHERE id=?1", hook,
                now, 0, NULL);
  if (rc == JB_OK) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "DELETE FROM wh_deliveries WHERE hook=?1", -1, &st, NULL) !=
        SQLITE_OK)
      return jb__st_sqlfail(s, "webhook state");
    sqlite3_bind_text(st, 1, hook, -1, SQLITE_STATIC);
    int x = sqlite3_step(st);
    sqlite3_finalize(st);
    if (x != SQLITE_DONE)
      return jb__st_sqlfail(s, "webhook state");
    *dropped = sqlite3_changes(s->db);
    rc = prune_events(s);
  }
  return rc;
}

int jb__store_notified_add(jb_store *s, const char *hook, const char *key) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO wh_notified(hook, key) VALUES(?1, ?2)", -1,
                         &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "webhook notified");
  sqlite3_bind_text(st, 1, hook, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
  int x = sqlite3_step(st);
  sqlite3_finalize(st);
  if (x != SQLITE_DONE)
    return jb__st_sqlfail(s, "webhook notified");
  return sqlite3_changes(s->db) ? 1 : 0;
}

int jb__store_events_count(jb_store *s, int64_t *events, int64_t *deliveries) {
  int rc = jb__st_int_query(s, "SELECT count(*) FROM wh_events", -1, events);
  return rc == JB_OK ? jb__st_int_query(s, "SELECT count(*) FROM wh_deliveries", -1, deliveries)
                     : rc;
}
