/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store_items.c: a challenge's lifecycle items, the lc_items table
 * (applications, reviewers, scores, award, saved searches: engine/store.h),
 * and the questions asked of them across records. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "engine/store.h"
#include "engine/store_int.h" /* <sqlite3.h>, as store_health.c has it */

/* prepares `sql` with an item's (kind, challenge, key) bound to ?1..?3 */
static int item_stmt(jb_store *s, const char *sql, const char *kind, const char *challenge,
                     const char *key, sqlite3_stmt **st) {
  if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "item");
  sqlite3_bind_text(*st, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(*st, 2, challenge, -1, SQLITE_STATIC);
  sqlite3_bind_text(*st, 3, key, -1, SQLITE_STATIC);
  return JB_OK;
}

int jb__store_item_put(jb_store *s, const char *kind, const char *challenge, const char *key,
                       const char *body, int64_t now, int insert_only) {
  sqlite3_stmt *st;
  const char *sql = insert_only ? "INSERT INTO lc_items(kind, challenge, key, body, at) "
                                  "VALUES(?1, ?2, ?3, ?4, ?5)"
                                : "INSERT INTO lc_items(kind, challenge, key, body, at) "
                                  "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(kind, challenge, key) "
                                  "DO UPDATE SET body = ?4, at = ?5";
  int rc = item_stmt(s, sql, kind, challenge, key, &st);
  if (rc != JB_OK)
    return rc;
  sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, now);
  int r = sqlite3_step(st);
  sqlite3_finalize(st);
  if (r == SQLITE_CONSTRAINT || (r & 0xFF) == SQLITE_CONSTRAINT)
    return JB__STM(s, JB_EEXIST, NULL, item_exists, kind, key);
  return r == SQLITE_DONE ? JB_OK : jb__st_sqlfail(s, "item");
}

int jb__store_item_get(jb_store *s, const char *kind, const char *challenge, const char *key,
                       char **body) {
  sqlite3_stmt *st;
  *body = NULL;
  int rc = item_stmt(s, "SELECT body FROM lc_items WHERE kind=?1 AND challenge=?2 AND key=?3",
                     kind, challenge, key, &st);
  if (rc != JB_OK)
    return rc;
  int r = sqlite3_step(st);
  if (r == SQLITE_ROW)
    rc = (*body = strdup((const char *)sqlite3_column_text(st, 0))) ? JB_OK : JB_ENOMEM;
  else
    rc = r == SQLITE_DONE ? JB__STM(s, JB_ENOENT, NULL, no_item, kind, key) : jb__st_sqlfail(s, "item");
  sqlite3_finalize(st);
  return rc;
}

int jb__store_item_foreach(jb_store *s, const char *kind, const char *challenge,
                           int (*cb)(void *ctx, const char *key, const char *body), void *ctx) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "SELECT key, body FROM lc_items WHERE kind=?1 AND "
                                "(?2 IS NULL OR challenge=?2) ORDER BY challenge, key",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "item");
  sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
  if (challenge)
    sqlite3_bind_text(st, 2, challenge, -1, SQLITE_STATIC);
  int r, rc = JB_OK;
  while (rc == JB_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
    rc = cb(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
  if (rc == JB_OK && r != SQLITE_DONE)
    rc = jb__st_sqlfail(s, "item");
  sqlite3_finalize(st);
  return rc;
}

int jb__store_item_delete(jb_store *s, const char *kind, const char *challenge, const char *key) {
  sqlite3_stmt *st;
  int rc = item_stmt(s, "DELETE FROM lc_items WHERE kind=?1 AND challenge=?2 AND key=?3", kind,
                     challenge, key, &st);
  if (rc != JB_OK)
    return rc;
  int r = sqlite3_step(st);
  sqlite3_finalize(st);
  if (r != SQLITE_DONE)
    return jb__st_sqlfail(s, "item");
  return sqlite3_changes(s->db) ? JB_OK : JB__STM(s, JB_ENOENT, NULL, no_item, kind, key);
}

int jb__store_shared_output(jb_store *s, const char *a, const char *b, char *out, size_t outlen) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT r1.id FROM refs r1 JOIN refs r2 ON r2.type = r1.type AND r2.id = "
                         "r1.id WHERE r1.type = ?1 AND r1.to_type = ?2 AND r1.to_id = ?3 AND "
                         "r2.to_type = ?2 AND r2.to_id = ?4 ORDER BY r1.id LIMIT 1",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "refs");
  sqlite3_bind_int(st, 1, JB_REC_OUTPUT);
  sqlite3_bind_int(st, 2, JB_REC_EXPERT);
  sqlite3_bind_text(st, 3, a, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, b, -1, SQLITE_STATIC);
  int r = sqlite3_step(st), found = r == SQLITE_ROW;
  if (found && outlen)
    snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return found ? 1 : r == SQLITE_DONE ? 0 : jb__st_sqlfail(s, "refs");
}

int jb__store_item_depends(jb_store *s, int type, const char *id, char *challenge, size_t clen) {
  const char *sql =
      type == JB_REC_ORG
          ? "SELECT challenge FROM lc_items WHERE kind = 'application' AND (key = ?1 OR EXISTS "
            "(SELECT 1 FROM json_each(body, '$.members') WHERE value = ?1)) LIMIT 1"
      : type == JB_REC_EXPERT
          ? "SELECT challenge FROM lc_items WHERE (kind = 'reviewer' AND key = ?1) OR (kind = "
            "'score' AND json_extract(body, '$.reviewer') = ?1) OR (kind = 'application' AND "
            "json_extract(body, '$.team_lead') = ?1) LIMIT 1"
          : NULL;
  if (!sql)
    return 0;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "item");
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int r = sqlite3_step(st), found = r == SQLITE_ROW;
  if (found && clen)
    snprintf(challenge, clen, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return found ? 1 : r == SQLITE_DONE ? 0 : jb__st_sqlfail(s, "item");
}

int jb__store_items_drop(jb_store *s, const char *challenge) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "DELETE FROM lc_items WHERE challenge=?1 AND kind<>'saved'", -1,
                         &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "item");
  sqlite3_bind_text(st, 1, challenge, -1, SQLITE_STATIC);
  int r = sqlite3_step(st);
  sqlite3_finalize(st);
  return r == SQLITE_DONE ? JB_OK : jb__st_sqlfail(s, "item");
}
