/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store_audit.c: the audit log's rows and its head (the hash chain itself is
 * engine/lifecycle.c's; engine/store.h "Audit log"). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "engine/store.h"
#include "engine/store_int.h" /* <sqlite3.h>, as store_health.c has it */

int jb__store_audit_head(jb_store *s, int64_t *seq, char hash[65]) {
  sqlite3_stmt *st;
  *seq = 0;
  snprintf(hash, 65, "%064d", 0);
  if (sqlite3_prepare_v2(s->db, "SELECT seq, hash FROM audit_head WHERE one = 1", -1, &st, NULL) !=
      SQLITE_OK)
    return jb__st_sqlfail(s, "audit");
  int r = sqlite3_step(st);
  if (r == SQLITE_ROW) {
    *seq = sqlite3_column_int64(st, 0);
    snprintf(hash, 65, "%s", (const char *)sqlite3_column_text(st, 1));
  }
  sqlite3_finalize(st);
  return r == SQLITE_ROW || r == SQLITE_DONE ? JB_OK : jb__st_sqlfail(s, "audit");
}

int jb__store_audit_add(jb_store *s, const jb_audit_row *a) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db,
                         "INSERT INTO audit(seq, at, actor, action, type, id, before, after, detail,"
                         " prev, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "audit");
  sqlite3_bind_int64(st, 1, a->seq);
  sqlite3_bind_int64(st, 2, a->at);
  const char *t[] = {a->actor, a->action, a->type, a->id, a->before, a->after, a->detail, a->prev, a->hash};
  for (int i = 0; i < 9; i++)
    sqlite3_bind_text(st, 3 + i, t[i] ? t[i] : "", -1, SQLITE_STATIC);
  int r = sqlite3_step(st);
  sqlite3_finalize(st);
  if (r != SQLITE_DONE)
    return jb__st_sqlfail(s, "audit");
  if (sqlite3_prepare_v2(s->db, "INSERT INTO audit_head(one, seq, hash) VALUES(1, ?1, ?2) "
                                "ON CONFLICT(one) DO UPDATE SET seq = ?1, hash = ?2",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "audit");
  sqlite3_bind_int64(st, 1, a->seq);
  sqlite3_bind_text(st, 2, a->hash, -1, SQLITE_STATIC);
  r = sqlite3_step(st);
  sqlite3_finalize(st);
  return r == SQLITE_DONE ? JB_OK : jb__st_sqlfail(s, "audit");
}

int jb__store_audit_foreach(jb_store *s, const jb_audit_row *f, int64_t after, size_t limit,
                            int (*cb)(void *ctx, const jb_audit_row *row), void *ctx) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT seq, at, actor, action, type, id, before, after, detail, prev, hash"
                         " FROM audit WHERE seq > ?1 AND (?2 IS NULL OR actor = ?2)"
                         " AND (?3 IS NULL OR action = ?3 OR action LIKE ?3 || ':%')"
                         " AND (?4 IS NULL OR type = ?4) AND (?5 IS NULL OR id = ?5)"
                         " ORDER BY seq LIMIT ?6",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "audit");
  sqlite3_bind_int64(st, 1, after);
  const char *v[] = {f ? f->actor : NULL, f ? f->action : NULL, f ? f->type : NULL, f ? f->id : NULL};
  for (int i = 0; i < 4; i++)
    if (v[i])
      sqlite3_bind_text(st, 2 + i, v[i], -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 6, limit ? (sqlite3_int64)limit : -1);
  int r, rc = JB_OK;
  while (rc == JB_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
    jb_audit_row a;
    a.seq = sqlite3_column_int64(st, 0);
    a.at = sqlite3_column_int64(st, 1);
    const char **t[] = {&a.actor, &a.action, &a.type, &a.id, &a.before, &a.after, &a.detail, &a.prev, &a.hash};
    for (int i = 0; i < 9; i++) {
      const unsigned char *x = sqlite3_column_text(st, 2 + i);
      *t[i] = x ? (const char *)x : "";
    }
    rc = cb(ctx, &a);
  }
  if (rc == JB_OK && r != SQLITE_DONE)
    rc = jb__st_sqlfail(s, "audit");
  sqlite3_finalize(st);
  return rc;
}
