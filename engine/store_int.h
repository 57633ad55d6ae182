/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store_int.h: what the files of the store (engine/store*.c, the only ones
 * that see SQLite) share — internal to them. */
#ifndef JB_STORE_INT_H
#define JB_STORE_INT_H

#include <sqlite3.h>

#include "engine/emsg.h"
#include "engine/store.h"

struct jb_store {
  sqlite3 *db;
  jb_emsg msg; /* the catalogue message of err (JB_EM_NONE for text only) */
  char err[256];
  sqlite3_stmt *get, *put, *del_refs, *add_ref, *add_out, *exists, *del, *referrer, *key_get,
      *created;
};

/* Sets s->err (printf-style; no catalogue message) and returns rc. */
int jb__st_fail(jb_store *s, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Sets s->msg to message id about field (NULL for none) and s->err to its
 * English ("field: text"), and returns rc. Use it as
 * JB__STM(s, rc, field, ID, args...), which checks the arguments. */
int jb__st_failm(jb_store *s, int rc, const char *field, int id, ...);
#define JB__STM(s, rc, field, ID, ...)                                                          \
  (JB_EMSG_CHECK(ID, ##__VA_ARGS__), jb__st_failm((s), (rc), (field), JB_EM_##ID, ##__VA_ARGS__))
/* The last SQLite error of `what` in s->err: JB_ELOCKED for contention, else
 * JB_ESTORE (JB_EIO for a full disk), the sentence saying what to do. */
int jb__st_sqlfail(jb_store *s, const char *what);
/* Runs SQL without results: JB_OK, JB_ELOCKED or JB_ESTORE (s->err). */
int jb__st_exec(jb_store *s, const char *sql);
/* Resets st and binds ?1 = type, ?2 = id (borrowed until the next reset). */
void jb__st_bind_key(sqlite3_stmt *st, int type, const char *id);
/* One integer from sql (?1 = bind when bind >= 0); 0 without a row. */
int jb__st_int_query(jb_store *s, const char *sql, int bind, int64_t *out);
/* engine/store_health.c: why opening `path` failed (the last SQLite error
 * during `what`), said so that the reader knows what to do: a damaged or
 * foreign file, a read-only one, a full disk, a lock. Returns the JB_ code. */
int jb__st_open_fail(jb_store *s, const char *path, const char *what);
/* The schema version of an open database in *have (0 for a new, empty one);
 * JB_OK, or JB_ESTORE/JB_EIO/JB_ELOCKED from jb__st_open_fail, or JB_ESTORE
 * for a database with tables but no (or an empty) schema_version. */
int jb__st_schema_version(jb_store *s, const char *path, int *have);

#endif
