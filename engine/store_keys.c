/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store_keys.c: the api_keys table (engine/store.h "API keys"); the
 * secret's hash is engine/keys.c's, this file only keeps rows. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/store.h"
#include "engine/store_int.h" /* <sqlite3.h>, as store_health.c has it */

int jb__store_key_add(jb_store *s, const char *id, const unsigned char *hash, size_t hlen,
                      const char *role, const char *org, int64_t now) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db,
                         "INSERT INTO api_keys(id, hash, role, org, created_at) "
                         "VALUES(?1, ?2, ?3, ?4, ?5)",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "key");
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_blob(st, 2, hash, (int)hlen, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
  if (org)
    sqlite3_bind_text(st, 4, org, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, now);
  int r = sqlite3_step(st);
  sqlite3_finalize(st);
  return r == SQLITE_DONE ? JB_OK : jb__st_sqlfail(s, "key");
}

static int prepare_keys(jb_store *s, const char *where, sqlite3_stmt **st) {
  char sql[200];
  snprintf(sql, sizeof sql,
           "SELECT id, hash, role, org, created_at, revoked_at, last_used_at "
           "FROM api_keys%s",
           where);
  if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) == SQLITE_OK)
    return JB_OK;
  return jb__st_sqlfail(s, "key");
}

static int64_t col_time(sqlite3_stmt *st, int i) {
  return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, i);
}

/* the row under st's cursor; JB_OK or JB_ENOMEM */
static int read_row(sqlite3_stmt *st, jb_key_row *row) {
  memset(row, 0, sizeof *row);
  snprintf(row->id, sizeof row->id, "%s", (const char *)sqlite3_column_text(st, 0));
  snprintf(row->role, sizeof row->role, "%s", (const char *)sqlite3_column_text(st, 2));
  if (sqlite3_column_type(st, 3) != SQLITE_NULL &&
      !(row->org = strdup((const char *)sqlite3_column_text(st, 3))))
    return JB_ENOMEM;
  row->created_at = col_time(st, 4);
  row->revoked_at = col_time(st, 5);
  row->last_used_at = col_time(st, 6);
  return JB_OK;
}

int jb__store_key_get(jb_store *s, const char *id, unsigned char *hash, size_t hlen,
                      jb_key_row *row) {
  memset(row, 0, sizeof *row);
  /* asked on every request: one statement kept for the connection's life */
  if (!s->key_get && prepare_keys(s, " WHERE id=?1", &s->key_get) != JB_OK)
    return JB_ESTORE;
  sqlite3_stmt *st = s->key_get;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int r = sqlite3_step(st), rc = JB_OK;
  if (r == SQLITE_ROW) {
    if ((size_t)sqlite3_column_bytes(st, 1) != hlen) {
      rc = jb__st_fail(s, JB_ESTORE, "key %s: stored hash has the wrong size", id);
    } else {
      memcpy(hash, sqlite3_column_blob(st, 1), hlen);
      rc = read_row(st, row);
    }
  } else if (r == SQLITE_DONE) {
    rc = JB_ENOENT;
  } else {
    rc = jb__st_sqlfail(s, "key");
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc;
}

static int key_update(jb_store *s, const char *sql, const char *id, int64_t now) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "key");
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, now);
  int r = sqlite3_step(st);
  sqlite3_finalize(st);
  if (r != SQLITE_DONE)
    return jb__st_sqlfail(s, "key");
  return sqlite3_changes(s->db) == 1 ? JB_OK : JB_ENOENT;
}

int jb__store_key_revoke(jb_store *s, const char *id, int64_t now) {
  int rc = key_update(s, "UPDATE api_keys SET revoked_at=?2 WHERE id=?1 AND revoked_at IS NULL", id,
                      now);
  return rc == JB_ENOENT ? JB__STM(s, JB_ENOENT, NULL, no_active_key, id) : rc;
}

int jb__store_key_touch(jb_store *s, const char *id, int64_t now) {
  int rc = key_update(s, "UPDATE api_keys SET last_used_at=?2 WHERE id=?1", id, now);
  return rc == JB_ENOENT ? JB__STM(s, JB_ENOENT, NULL, no_key, id) : rc;
}

int jb__store_key_foreach(jb_store *s, int (*cb)(void *ctx, const jb_key_row *row), void *ctx) {
  sqlite3_stmt *st;
  if (prepare_keys(s, " ORDER BY id", &st) != JB_OK)
    return JB_ESTORE;
  int r = SQLITE_DONE, rc = JB_OK;
  while (rc == JB_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
    jb_key_row row;
    rc = read_row(st, &row);
    if (rc == JB_OK)
      rc = cb(ctx, &row);
    free(row.org);
  }
  if (rc == JB_OK && r != SQLITE_DONE)
    rc = jb__st_sqlfail(s, "key");
  sqlite3_finalize(st);
  return rc;
}
