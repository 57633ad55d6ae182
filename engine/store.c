/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store.c: SQLite, the system of record. */
#include "engine/store.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "engine/store_int.h"


static const char *const MIGRATIONS[] = {
    /* 1 */
    "CREATE TABLE records(type INTEGER NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL, PRIMARY KEY(type, id)) WITHOUT ROWID;"
    "CREATE TABLE refs(type INTEGER NOT NULL, id TEXT NOT NULL, to_type INTEGER NOT NULL,"
    "  to_id TEXT NOT NULL, field TEXT NOT NULL,"
    "  FOREIGN KEY(type, id) REFERENCES records(type, id) ON DELETE CASCADE,"
    "  FOREIGN KEY(to_type, to_id) REFERENCES records(type, id));"
    "CREATE INDEX refs_from ON refs(type, id);"
    "CREATE INDEX refs_to ON refs(to_type, to_id);"
    "CREATE TABLE outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, type INTEGER NOT NULL,"
    "  id TEXT NOT NULL, op TEXT NOT NULL CHECK(op IN ('put', 'delete')));",
    /* 2: API keys, stored as a hash of the secret */
    "CREATE TABLE api_keys(id TEXT PRIMARY KEY, hash BLOB NOT NULL, role TEXT NOT NULL,"
    "  org TEXT, created_at INTEGER NOT NULL, revoked_at INTEGER) WITHOUT ROWID;",
    /* 3: the audit log, a hash chain, and its head */
    "CREATE TABLE audit(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
    "  action TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, before TEXT NOT NULL,"
    "  after TEXT NOT NULL, detail TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX audit_record ON audit(type, id);"
    "CREATE TABLE audit_head(one INTEGER PRIMARY KEY CHECK(one = 1), seq INTEGER NOT NULL,"
    "  hash TEXT NOT NULL);",
    /* 4: lifecycle items of a challenge (applications, reviewers, scores, award) */
    "CREATE TABLE lc_items(kind TEXT NOT NULL, challenge TEXT NOT NULL, key TEXT NOT NULL,"
    "  body TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY(kind, challenge, key)) WITHOUT ROWID;",
    /* 5: records the indexer could not apply (skipped, listed by verify) */
    "CREATE TABLE quarantine(type INTEGER NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL,"
    "  error TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY(type, id)) WITHOUT ROWID;",
    /* 6: when a key was last used (kept to the minute: engine/keys.c) */
    "ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;",
    /* 7: webhooks — subscriptions with their delivery state, the durable events and one
     * delivery row per (event, subscription), and what match.new has notified */
    "CREATE TABLE webhooks(id TEXT PRIMARY KEY, org TEXT, owner TEXT NOT NULL, body TEXT NOT NULL,"
    "  secret TEXT NOT NULL, active INTEGER NOT NULL, created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL, delivered INTEGER NOT NULL DEFAULT 0,"
    "  failures INTEGER NOT NULL DEFAULT 0, last_success_at INTEGER, last_failure_at INTEGER,"
    "  last_failure TEXT, failing_since INTEGER, disabled_at INTEGER) WITHOUT ROWID;"
    "CREATE TABLE wh_events(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
    "  type TEXT NOT NULL, at INTEGER NOT NULL, payload TEXT NOT NULL);"
    "CREATE TABLE wh_deliveries(hook TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,"
    "  event INTEGER NOT NULL REFERENCES wh_events(seq) ON DELETE CASCADE,"
    "  attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,"
    "  PRIMARY KEY(hook, event)) WITHOUT ROWID;"
    "CREATE INDEX wh_due ON wh_deliveries(next_at);"
    "CREATE INDEX wh_of_event ON wh_deliveries(event);"
    "CREATE TABLE wh_notified(hook TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,"
    "  key TEXT NOT NULL, PRIMARY KEY(hook, key)) WITHOUT ROWID;",
    /* 8: the seq of the change that created each record (sort=newest); 0 for
     * records stored before it */
    "ALTER TABLE records ADD COLUMN created_seq INTEGER NOT NULL DEFAULT 0;",
};
#define NMIGRATIONS (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS)

int jb__store_schema_latest(void) { return NMIGRATIONS; }

int jb__st_fail(jb_store *s, int rc, const char *fmt, ...) {
  jb_emsg_clear(&s->msg);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->err, sizeof s->err, fmt, ap);
  va_end(ap);
  return rc;
}

int jb__st_sqlfail(jb_store *s, const char *what) {
  int ext = sqlite3_extended_errcode(s->db);
  if ((ext & 0xFF) == SQLITE_CORRUPT || (ext & 0xFF) == SQLITE_NOTADB)
    return jb__st_fail(s, JB_ESTORE,
                "the database is damaged (%s: %s): `jiebang verify` checks it; restore it from a "
                "backup (`jiebang export` may still save what reads)",
                what, sqlite3_errmsg(s->db));
  if ((ext & 0xFF) == SQLITE_FULL)
    return jb__st_fail(s, JB_EIO, "the disk is full (%s): free space and try again", what);
  jb__st_fail(s, JB_ESTORE, "%s: %s", what, sqlite3_errmsg(s->db));
  if (ext == SQLITE_BUSY || (ext & 0xFF) == SQLITE_BUSY || (ext & 0xFF) == SQLITE_LOCKED)
    return JB_ELOCKED;
  return JB_ESTORE;
}

const char *jb__store_error(const jb_store *s) { return s ? s->err : ""; }

int jb__st_failm(jb_store *s, int rc, const char *field, int id, ...) {
  va_list ap;
  va_start(ap, id);
  jb_emsg_vset(&s->msg, field, id, ap);
  va_end(ap);
  jb_emsg_render(&s->msg, JB_EMSG_EN, 1, s->err, sizeof s->err);
  return rc;
}

const jb_emsg *jb__store_msg(const jb_store *s) {
  static const jb_emsg none = {JB_EM_NONE, "", 0, {{0, 0, 0, 0, ""}}};
  return s && s->msg.id != JB_EM_NONE && s->err[0] ? &s->msg : &none;
}

int jb__st_exec(jb_store *s, const char *sql) {
  char *msg = NULL;
  if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    jb__st_fail(s, JB_ESTORE, "%s", msg ? msg : sqlite3_errmsg(s->db));
    int busy = (sqlite3_errcode(s->db) & 0xFF) == SQLITE_BUSY;
    sqlite3_free(msg);
    return busy ? JB_ELOCKED : JB_ESTORE;
  }
  return JB_OK;
}

static int prep(jb_store *s, sqlite3_stmt **st, const char *sql) {
  if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "prepare");
  return JB_OK;
}

static int migrate(jb_store *s, const char *path) {
  int have = 0;
  int rc = jb__st_schema_version(s, path, &have);
  if (rc != JB_OK)
    return rc;
  if (have > NMIGRATIONS)
    return jb__st_fail(s, JB_EVERSION,
                "the database has schema version %d, newer than this jiebang (%d): use a newer "
                "jiebang",
                have, NMIGRATIONS);
  if (have == 0 && (rc = jb__st_exec(s, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER "
                                 "NOT NULL)")) != JB_OK)
    return jb__st_open_fail(s, path, "creating the schema");
  for (int v = have + 1; v <= NMIGRATIONS; v++) {
    if ((rc = jb__st_exec(s, "BEGIN IMMEDIATE")) != JB_OK)
      return rc == JB_ELOCKED ? rc : jb__st_open_fail(s, path, "migrating");
    char sql[64];
    snprintf(sql, sizeof sql, "INSERT INTO schema_version VALUES(%d)", v);
    if ((rc = jb__st_exec(s, MIGRATIONS[v - 1])) != JB_OK || (rc = jb__st_exec(s, sql)) != JB_OK) {
      jb__st_open_fail(s, path, "migrating");
      jb__st_exec(s, "ROLLBACK");
      return rc == JB_ELOCKED ? rc : JB_ESTORE;
    }
    if ((rc = jb__st_exec(s, "COMMIT")) != JB_OK)
      return rc == JB_ELOCKED ? rc : jb__st_open_fail(s, path, "migrating");
  }
  return JB_OK;
}

int jb__store_open(const char *path, int readonly, jb_store **out, char *err, size_t errlen) {
  *out = NULL;
  jb_store *s = calloc(1, sizeof *s);
  if (!s)
    return JB_ENOMEM;
  jb_emsg_clear(&s->msg);
  int flags = readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = JB_OK;
  if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
    rc = s->db ? jb__st_open_fail(s, path, "opening")
               : jb__st_fail(s, readonly ? JB_ENOENT : JB_EIO, "%s: cannot open", path);
    goto out;
  }
  sqlite3_busy_timeout(s->db, 5000);
  sqlite3_extended_result_codes(s->db, 1);
  if (!readonly && sqlite3_db_readonly(s->db, "main") == 1) {
    rc = jb__st_fail(s, JB_EIO,
              "%s is read-only (file permissions or read-only media): commands that only read "
              "(get, export, search, stats) work there, the others need it writable",
              path);
    goto out;
  }
  if ((rc = jb__st_exec(s, "PRAGMA foreign_keys=ON")) != JB_OK)
    goto out;
  /* reads through a memory map: no copy per page for the matcher's lookups */
  if ((rc = jb__st_exec(s, "PRAGMA mmap_size=1073741824")) != JB_OK)
    goto out;
  if (!readonly && ((rc = jb__st_exec(s, "PRAGMA journal_mode=WAL")) != JB_OK ||
                    (rc = jb__st_exec(s, "PRAGMA synchronous=FULL")) != JB_OK)) {
    rc = rc == JB_ELOCKED ? rc : jb__st_open_fail(s, path, "opening");
    goto out;
  }
  if (!readonly && (rc = migrate(s, path)) != JB_OK)
    goto out;
  if (readonly) {
    int have = 0;
    rc = jb__st_schema_version(s, path, &have);
    if (rc != JB_OK && (sqlite3_extended_errcode(s->db) & 0xFF) == SQLITE_CANTOPEN &&
        !strchr(path, '?') && !strchr(path, '#') && !strchr(path, '%')) {
      /* a WAL database on read-only media: no -shm can be made beside it, so it
       * is read as immutable (nothing can change it there anyway) */
      char uri[4200];
      snprintf(uri, sizeof uri, "file:%s?immutable=1", path);
      sqlite3_close(s->db);
      s->db = NULL;
      if (sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                          NULL) != SQLITE_OK) {
        rc = s->db ? jb__st_open_fail(s, path, "opening") : JB_ENOMEM;
        goto out;
      }
      sqlite3_extended_result_codes(s->db, 1);
      rc = jb__st_schema_version(s, path, &have);
    }
    if (rc != JB_OK)
      goto out;
    if (have != NMIGRATIONS) {
      rc = jb__st_fail(s, JB_EVERSION,
                have < NMIGRATIONS
                    ? "%s has schema version %d; this jiebang needs %d: any writing command "
                      "(import, serve, reindex) upgrades it"
                    : "%s has schema version %d, newer than this jiebang (%d): use a newer "
                      "jiebang",
                path, have, NMIGRATIONS);
      goto out;
    }
  }
  if ((rc = prep(s, &s->get, "SELECT body FROM records WHERE type=?1 AND id=?2")) ||
      (rc = prep(s, &s->created, "SELECT created_seq FROM records WHERE type=?1 AND id=?2")) ||
      (rc = prep(s, &s->exists, "SELECT 1 FROM records WHERE type=?1 AND id=?2")))
    goto out;
  if (!readonly &&
      ((rc = prep(s, &s->put,
                  "INSERT INTO records(type, id, body, updated_at, created_seq) "
                  "VALUES(?1, ?2, ?3, ?4, ?5) "
                  "ON CONFLICT(type, id) DO UPDATE SET body=excluded.body, "
                  "updated_at=excluded.updated_at")) ||
       (rc = prep(s, &s->del_refs, "DELETE FROM refs WHERE type=?1 AND id=?2")) ||
       (rc = prep(s, &s->add_ref,
                  "INSERT INTO refs(type, id, to_type, to_id, field) VALUES(?1, ?2, ?3, ?4, ?5)")) ||
       (rc = prep(s, &s->add_out, "INSERT INTO outbox(type, id, op) VALUES(?1, ?2, ?3)")) ||
       (rc = prep(s, &s->del, "DELETE FROM records WHERE type=?1 AND id=?2")) ||
       (rc = prep(s, &s->referrer,
                  "SELECT type, id, field FROM refs WHERE to_type=?1 AND to_id=?2 LIMIT 1"))))
    goto out;
out:
  if (rc != JB_OK) {
    if (err && errlen)
      snprintf(err, errlen, "%s", s->err);
    jb__store_close(s);
    return rc;
  }
  *out = s;
  return JB_OK;
}

void jb__store_close(jb_store *s) {
  if (!s)
    return;
  sqlite3_stmt *all[] = {s->get,    s->put, s->del_refs, s->add_ref, s->add_out,
                         s->exists, s->del, s->referrer, s->key_get, s->created};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++)
    sqlite3_finalize(all[i]);
  sqlite3_close(s->db);
  free(s);
}

int jb__store_begin(jb_store *s) { return jb__st_exec(s, "BEGIN IMMEDIATE"); }
int jb__store_begin_read(jb_store *s) { return jb__st_exec(s, "BEGIN DEFERRED"); }
int jb__store_savepoint(jb_store *s) { return jb__st_exec(s, "SAVEPOINT rec"); }
int jb__store_release(jb_store *s) { return jb__st_exec(s, "RELEASE rec"); }
int jb__store_rollback_to(jb_store *s) {
  int rc = jb__st_exec(s, "ROLLBACK TO rec");
  return rc == JB_OK ? jb__st_exec(s, "RELEASE rec") : rc;
}
int jb__store_commit(jb_store *s) { return jb__st_exec(s, "COMMIT"); }
int jb__store_rollback(jb_store *s) {
  return sqlite3_get_autocommit(s->db) ? JB_OK : jb__st_exec(s, "ROLLBACK");
}

void jb__st_bind_key(sqlite3_stmt *st, int type, const char *id) {
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  sqlite3_bind_int(st, 1, type);
  sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
}

int jb__store_exists(jb_store *s, int type, const char *id) {
  jb__st_bind_key(s->exists, type, id);
  int r = sqlite3_step(s->exists);
  sqlite3_reset(s->exists);
  if (r == SQLITE_ROW)
    return 1;
  return r == SQLITE_DONE ? 0 : jb__st_sqlfail(s, "exists");
}

int jb__store_get(jb_store *s, int type, const char *id, char **body) {
  *body = NULL;
  jb__st_bind_key(s->get, type, id);
  int r = sqlite3_step(s->get);
  if (r == SQLITE_ROW) {
    const char *b = (const char *)sqlite3_column_text(s->get, 0);
    *body = strdup(b ? b : "");
    sqlite3_reset(s->get);
    return *body ? JB_OK : JB_ENOMEM;
  }
  sqlite3_reset(s->get);
  if (r == SQLITE_DONE)
    return JB__STM(s, JB_ENOENT, NULL, record_not_found, jb_rec_type_name(type), id);
  return jb__st_sqlfail(s, "get");
}

static int outbox_add(jb_store *s, int type, const char *id, const char *op, int64_t *seq) {
  jb__st_bind_key(s->add_out, type, id);
  sqlite3_bind_text(s->add_out, 3, op, -1, SQLITE_STATIC);
  int r = sqlite3_step(s->add_out);
  sqlite3_reset(s->add_out);
  if (r != SQLITE_DONE)
    return jb__st_sqlfail(s, "outbox");
  *seq = sqlite3_last_insert_rowid(s->db);
  return JB_OK;
}

int jb__store_put(jb_store *s, int type, const char *id, const char *body,
                  const jb_rec_ref *refs, size_t nrefs, int64_t *seq) {
  *seq = 0;
  for (size_t i = 0; i < nrefs; i++) {
    int e = jb__store_exists(s, refs[i].type, refs[i].id);
    if (e < 0)
      return e;
    if (e == 0 && !(refs[i].type == type && !strcmp(refs[i].id, id)))
      return JB__STM(s, JB_ENOENT, refs[i].field, unknown_ref, jb_rec_type_name(refs[i].type),
                   refs[i].id);
  }
  jb__st_bind_key(s->get, type, id);
  int r = sqlite3_step(s->get);
  int same = r == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(s->get, 0), body);
  sqlite3_reset(s->get);
  if (r != SQLITE_ROW && r != SQLITE_DONE)
    return jb__st_sqlfail(s, "get");
  if (same)
    return JB_OK;
  /* the change's seq first: a new record is created by it (created_seq; an
   * existing one keeps its own). A failure below rolls the row back with
   * the caller's transaction. */
  int rc = outbox_add(s, type, id, "put", seq);
  if (rc != JB_OK)
    return rc;
  jb__st_bind_key(s->put, type, id);
  sqlite3_bind_text(s->put, 3, body, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s->put, 4, (sqlite3_int64)time(NULL));
  sqlite3_bind_int64(s->put, 5, (sqlite3_int64)*seq);
  r = sqlite3_step(s->put);
  sqlite3_reset(s->put);
  if (r != SQLITE_DONE)
    return jb__st_sqlfail(s, "put");
  jb__st_bind_key(s->del_refs, type, id);
  r = sqlite3_step(s->del_refs);
  sqlite3_reset(s->del_refs);
  if (r != SQLITE_DONE)
    return jb__st_sqlfail(s, "refs");
  for (size_t i = 0; i < nrefs; i++) {
    jb__st_bind_key(s->add_ref, type, id);
    sqlite3_bind_int(s->add_ref, 3, refs[i].type);
    sqlite3_bind_text(s->add_ref, 4, refs[i].id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s->add_ref, 5, refs[i].field, -1, SQLITE_STATIC);
    r = sqlite3_step(s->add_ref);
    sqlite3_reset(s->add_ref);
    if (r != SQLITE_DONE)
      return jb__st_sqlfail(s, "refs");
  }
  return JB_OK;
}

int jb__store_created(jb_store *s, int type, const char *id, int64_t *seq) {
  *seq = 0;
  jb__st_bind_key(s->created, type, id);
  int r = sqlite3_step(s->created);
  if (r == SQLITE_ROW)
    *seq = sqlite3_column_int64(s->created, 0);
  sqlite3_reset(s->created);
  if (r == SQLITE_DONE)
    return jb__st_fail(s, JB_ENOENT, "%s '%s' not found", jb_rec_type_name(type), id);
  return r == SQLITE_ROW ? JB_OK : jb__st_sqlfail(s, "created");
}

int jb__store_delete(jb_store *s, int type, const char *id, int64_t *seq) {
  *seq = 0;
  jb__st_bind_key(s->referrer, type, id);
  int r = sqlite3_step(s->referrer);
  if (r == SQLITE_ROW) {
    int rt = sqlite3_column_int(s->referrer, 0);
    JB__STM(s, JB_ECONFLICT, NULL, referred_to, jb_rec_type_name(type), id,
         jb_rec_type_name(rt), (const char *)sqlite3_column_text(s->referrer, 1),
         (const char *)sqlite3_column_text(s->referrer, 2));
    sqlite3_reset(s->referrer);
    return JB_ECONFLICT;
  }
  sqlite3_reset(s->referrer);
  jb__st_bind_key(s->del, type, id);
  r = sqlite3_step(s->del);
  sqlite3_reset(s->del);
  if (r != SQLITE_DONE)
    return jb__st_sqlfail(s, "delete");
  if (sqlite3_changes(s->db) == 0)
    return JB__STM(s, JB_ENOENT, NULL, record_not_found, jb_rec_type_name(type), id);
  return outbox_add(s, type, id, "delete", seq);
}

int jb__store_foreach(jb_store *s, int type,
                      int (*cb)(void *ctx, int type, const char *id, const char *body),
                      void *ctx) {
  sqlite3_stmt *st;
  const char *sql = type < 0 ? "SELECT type, id, body FROM records ORDER BY type, id"
                             : "SELECT type, id, body FROM records WHERE type=?1 ORDER BY id";
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "foreach");
  if (type >= 0)
    sqlite3_bind_int(st, 1, type);
  int rc = JB_OK, r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    rc = cb(ctx, sqlite3_column_int(st, 0), (const char *)sqlite3_column_text(st, 1),
            (const char *)sqlite3_column_text(st, 2));
    if (rc != 0)
      break;
  }
  if (rc == JB_OK && r != SQLITE_DONE)
    rc = jb__st_sqlfail(s, "foreach");
  sqlite3_finalize(st);
  return rc;
}

int jb__store_referrers(jb_store *s, int type, const char *id,
                        int (*cb)(void *ctx, int type, const char *id), void *ctx) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT DISTINCT type, id FROM refs WHERE to_type=?1 AND to_id=?2 "
                         "ORDER BY type, id",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "referrers");
  sqlite3_bind_int(st, 1, type);
  sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
  int rc = JB_OK, r;
  /* collect first: the callback may run other statements */
  size_t n = 0, cap = 16;
  struct ref { int type; char *id; } *v = malloc(cap * sizeof *v);
  while (v && (r = sqlite3_step(st)) == SQLITE_ROW) {
    if (n == cap) {
      struct ref *nv = realloc(v, (cap *= 2) * sizeof *v);
      if (!nv)
        break;
      v = nv;
    }
    v[n].type = sqlite3_column_int(st, 0);
    v[n].id = strdup((const char *)sqlite3_column_text(st, 1));
    n++;
  }
  sqlite3_finalize(st);
  if (!v)
    return JB_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    if (rc == JB_OK)
      rc = v[i].id ? cb(ctx, v[i].type, v[i].id) : JB_ENOMEM;
    free(v[i].id);
  }
  free(v);
  return rc;
}

int jb__st_int_query(jb_store *s, const char *sql, int bind, int64_t *out) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "query");
  if (bind >= 0)
    sqlite3_bind_int(st, 1, bind);
  int r = sqlite3_step(st);
  *out = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  return r == SQLITE_ROW || r == SQLITE_DONE ? JB_OK : jb__st_sqlfail(s, "query");
}

int jb__store_count(jb_store *s, int type, int64_t *n) {
  return type < 0 ? jb__st_int_query(s, "SELECT count(*) FROM records", -1, n)
                  : jb__st_int_query(s, "SELECT count(*) FROM records WHERE type=?1", type, n);
}

int jb__store_last_seq(jb_store *s, int64_t *seq) {
  return jb__st_int_query(s, "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name='outbox'), 0)",
                   -1, seq);
}

int jb__store_outbox_len(jb_store *s, int64_t *n) {
  return jb__st_int_query(s, "SELECT count(*) FROM outbox", -1, n);
}

int jb__store_outbox(jb_store *s, int64_t after, size_t max, jb_outbox_row **rows, size_t *n) {
  *rows = NULL;
  *n = 0;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "SELECT seq, type, id, op FROM outbox WHERE seq > ?1 "
                                "ORDER BY seq LIMIT ?2",
                         -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "outbox");
  sqlite3_bind_int64(st, 1, after);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
  jb_outbox_row *v = calloc(max ? max : 1, sizeof *v);
  if (!v) {
    sqlite3_finalize(st);
    return JB_ENOMEM;
  }
  size_t k = 0;
  int r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW && k < max) {
    v[k].seq = sqlite3_column_int64(st, 0);
    v[k].type = sqlite3_column_int(st, 1);
    v[k].id = strdup((const char *)sqlite3_column_text(st, 2));
    v[k].deleted = !strcmp((const char *)sqlite3_column_text(st, 3), "delete");
    if (!v[k].id) {
      jb__store_rows_free(v, k);
      sqlite3_finalize(st);
      return JB_ENOMEM;
    }
    k++;
  }
  sqlite3_finalize(st);
  if (r != SQLITE_DONE && r != SQLITE_ROW) {
    jb__store_rows_free(v, k);
    return jb__st_sqlfail(s, "outbox");
  }
  *rows = v;
  *n = k;
  return JB_OK;
}

void jb__store_rows_free(jb_outbox_row *rows, size_t n) {
  for (size_t i = 0; rows && i < n; i++)
    free(rows[i].id);
  free(rows);
}

int jb__store_prune(jb_store *s, int64_t upto) {
  char sql[96];
  snprintf(sql, sizeof sql, "DELETE FROM outbox WHERE seq <= %lld", (long long)upto);
  return jb__st_exec(s, sql);
}

int jb__store_check(jb_store *s, char *err, size_t errlen) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "integrity_check");
  int ok = sqlite3_step(st) == SQLITE_ROW &&
           !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
  if (!ok && err && errlen)
    snprintf(err, errlen, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return ok ? JB_OK : JB_ESTORE;
}

/* ---- listing ------------------------------------------------------------------------ */

/* the filters of a listing: every one a bound parameter; NULL disables it */
#define LIST_WHERE                                                                               \
  " WHERE type=?1 AND (CASE WHEN ?10 IS NULL THEN id > ?2"                                      \
  "      ELSE created_seq < ?10 OR (created_seq = ?10 AND id > ?2) END)"                         \
  " AND (?3 IS NULL OR json_extract(body, '$.kind') = ?3)"                                       \
  " AND (?4 IS NULL OR json_extract(body, '$.status') = ?4"                                      \
  "      OR (?4 = 'draft' AND json_extract(body, '$.status') IS NULL))"                          \
  " AND (?5 IS NULL OR json_extract(body, '$.org') = ?5 OR (?1 = 0 AND id = ?5))"                \
  " AND (?6 IS NULL OR substr(json_extract(body, '$.region'), 1, length(?6)) = ?6)"              \
  " AND (?7 IS NULL OR EXISTS (SELECT 1 FROM json_each(body, '$.fields')"                        \
  "      WHERE value = ?7 OR substr(value, 1, length(?7) + 1) = ?7 || '/'))"                     \
  " AND (?8 IS NULL OR ?1 <> 3 OR coalesce(json_extract(body, '$.status'), 'draft') <> 'draft'"  \
  "      OR json_extract(body, '$.org') = ?8)"

static void bind_filter(sqlite3_stmt *st, int type, const jb_store_filter *f, const char *after) {
  sqlite3_bind_int(st, 1, type);
  sqlite3_bind_text(st, 2, after ? after : "", -1, SQLITE_STATIC);
  const char *vals[] = {f ? f->kind : NULL, f ? f->status : NULL, f ? f->org : NULL,
                        f ? f->region : NULL, f ? f->field : NULL,
                        f && f->hide_drafts ? (f->viewer_org ? f->viewer_org : "") : NULL};
  for (int i = 0; i < 6; i++)
    if (vals[i])
      sqlite3_bind_text(st, 3 + i, vals[i], -1, SQLITE_STATIC);
    else
      sqlite3_bind_null(st, 3 + i);
  if (f && f->newest && after)
    sqlite3_bind_int64(st, 10, (sqlite3_int64)f->after_seq);
  else if (f && f->newest)
    sqlite3_bind_int64(st, 10, INT64_MAX);
  else
    sqlite3_bind_null(st, 10);
}

int jb__store_list(jb_store *s, int type, const jb_store_filter *f, const char *after,
                   size_t limit, int (*cb)(void *ctx, const char *id, const char *body),
                   void *ctx) {
  static const char by_id[] = "SELECT id, body FROM records" LIST_WHERE " ORDER BY id LIMIT ?9";
  static const char newest[] =
      "SELECT id, body FROM records" LIST_WHERE " ORDER BY created_seq DESC, id LIMIT ?9";
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, f && f->newest ? newest : by_id, -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "list");
  bind_filter(st, type, f, after);
  sqlite3_bind_int64(st, 9, (sqlite3_int64)limit);
  int r, rc = JB_OK;
  while (rc == JB_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
    rc = cb(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
  if (rc == JB_OK && r != SQLITE_DONE)
    rc = jb__st_sqlfail(s, "list");
  sqlite3_finalize(st);
  return rc;
}

int jb__store_count_filtered(jb_store *s, int type, const jb_store_filter *f, int64_t *n) {
  static const char sql[] = "SELECT count(*) FROM records" LIST_WHERE;
  sqlite3_stmt *st;
  *n = 0;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return jb__st_sqlfail(s, "count");
  jb_store_filter all = f ? *f : (jb_store_filter){0};
  all.newest = 0; /* a count is of the whole list, whatever its order */
  bind_filter(st, type, &all, NULL);
  int rc = JB_OK;
  if (sqlite3_step(st) == SQLITE_ROW)
    *n = sqlite3_column_int64(st, 0);
  else
    rc = jb__st_sqlfail(s, "count");
  sqlite3_finalize(st);
  return rc;
}
