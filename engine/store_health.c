/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store_health.c: the store's own diagnosis — why a database cannot be
 * opened, said so that the reader knows what to do — and the quarantine
 * table of records the indexer could not apply. */
#include "engine/store_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int jb__st_open_fail(jb_store *s, const char *path, const char *what) {
  int prim = sqlite3_extended_errcode(s->db) & 0xFF;
  const char *m = sqlite3_errmsg(s->db);
  if (prim == SQLITE_CORRUPT || prim == SQLITE_NOTADB)
    return jb__st_fail(s, JB_ESTORE,
                "%s is damaged or is not a jiebang database (%s: %s): restore it from a backup; "
                "`jiebang export` of a copy may still save what reads",
                path, what, m);
  if (prim == SQLITE_READONLY || prim == SQLITE_CANTOPEN || prim == SQLITE_PERM ||
      prim == SQLITE_AUTH)
    return jb__st_fail(s, JB_EIO,
                "%s cannot be written (%s: %s): the file, its directory or the medium is "
                "read-only; commands that only read (get, export, search, stats) work there, "
                "the others need it writable",
                path, what, m);
  if (prim == SQLITE_FULL)
    return jb__st_fail(s, JB_EIO, "%s: the disk is full (%s): free space and try again", path, what);
  if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
    return jb__st_fail(s, JB_ELOCKED, "%s is locked by another process (%s): try again", path, what);
  return jb__st_fail(s, JB_ESTORE, "%s: %s: %s", path, what, m);
}

int jb__st_schema_version(jb_store *s, const char *path, int *have) {
  sqlite3_stmt *st;
  *have = 0;
  if (sqlite3_prepare_v2(s->db, "SELECT max(version) FROM schema_version", -1, &st, NULL) !=
      SQLITE_OK) {
    /* no table: a new database, unless it has records without one */
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) !=
        SQLITE_OK)
      return jb__st_open_fail(s, path, "reading the schema");
    int r = sqlite3_step(st);
    int tables = r == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (r != SQLITE_ROW)
      return jb__st_open_fail(s, path, "reading the schema");
    if (tables > 0)
      return jb__st_fail(s, JB_ESTORE,
                  "%s has tables but no schema_version: it is damaged or is not a jiebang "
                  "database; restore it from a backup",
                  path);
    return JB_OK;
  }
  int r = sqlite3_step(st);
  if (r == SQLITE_ROW)
    *have = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (r != SQLITE_ROW)
    return jb__st_open_fail(s, path, "reading the schema version");
  if (*have == 0)
    return jb__st_fail(s, JB_ESTORE,
                "%s has an empty schema_version: it is damaged; restore it from a backup", path);
  return JB_OK;
}

/* ---- quarantine ---------------------------------------------------------------------- */

int jb__store_quarantine_put(jb_store *s, int type, const char *id, int64_t seq,
                             const char *error) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO quarantine(type, id, seq, error, at) "
                                "VALUES(?1, ?2, ?3, ?4, ?5)", -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "quarantine");
  jb__st_bind_key(st, type, id);
  sqlite3_bind_int64(st, 3, seq);
  sqlite3_bind_text(st, 4, error, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
  int r = sqlite3_step(st);
  sqlite3_finalize(st);
  return r == SQLITE_DONE ? JB_OK : jb__st_sqlfail(s, "quarantine");
}

int jb__store_quarantine_clear(jb_store *s, int type, const char *id) {
  sqlite3_stmt *st;
  const char *sql = id ? "DELETE FROM quarantine WHERE type=?1 AND id=?2" : "DELETE FROM quarantine";
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "quarantine");
  if (id)
    jb__st_bind_key(st, type, id);
  int r = sqlite3_step(st);
  sqlite3_finalize(st);
  return r == SQLITE_DONE ? JB_OK : jb__st_sqlfail(s, "quarantine");
}

int jb__store_quarantine_count(jb_store *s, int64_t *n) {
  return jb__st_int_query(s, "SELECT count(*) FROM quarantine", -1, n);
}

int jb__store_quarantine_foreach(jb_store *s, int (*cb)(void *ctx, const jb_quarantine_row *q),
                                 void *ctx) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "SELECT type, id, seq, error, at FROM quarantine ORDER BY seq",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "quarantine");
  int rc = JB_OK, r;
  while (rc == JB_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
    jb_quarantine_row q = {sqlite3_column_int(st, 0), (const char *)sqlite3_column_text(st, 1),
                           sqlite3_column_int64(st, 2), (const char *)sqlite3_column_text(st, 3),
                           sqlite3_column_int64(st, 4)};
    rc = cb(ctx, &q);
  }
  if (rc == JB_OK && r != SQLITE_DONE)
    rc = jb__st_sqlfail(s, "quarantine");
  sqlite3_finalize(st);
  return rc;
}

