/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store_backup.c: a consistent copy of the SQLite store (SQLite's online
 * backup API), for `jiebang backup` and `jiebang restore` (engine/backup.c),
 * and the linked SQLite's version. */
#include "engine/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/backup.h"
#include "engine/store_int.h"

const char *jb_store_sqlite_version(void) { return sqlite3_libversion(); }

static int say(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int say(char *err, size_t errlen, int rc, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return rc;
}

/* One integer from sql on db; 0 without a row; -1 on error. */
static int64_t one_int(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    return -1;
  int64_t v = 0;
  int r = sqlite3_step(st);
  if (r == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  else if (r != SQLITE_DONE)
    v = -1;
  sqlite3_finalize(st);
  return v;
}

static int fsync_path(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  int r = fsync(fd);
  close(fd);
  return r;
}

int jb__store_snapshot(const char *src, const char *dst, int *schema, int64_t *records,
                       int64_t *last_seq, char *err, size_t errlen) {
  struct stat sb;
  if (stat(src, &sb) != 0)
    return say(err, errlen, JB_ENOENT, "%s: %s", src, strerror(errno));
  if (!S_ISREG(sb.st_mode))
    return say(err, errlen, JB_ESTORE, "%s is not a file%s", src, "");
  if (lstat(dst, &sb) == 0)
    return say(err, errlen, JB_EEXIST, "%s exists already%s", dst, "");
  sqlite3 *from = NULL, *to = NULL;
  int rc = JB_OK;
  char msg[512] = "";
  if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
    rc = say(err, errlen, JB_ESTORE, "%s: cannot open: %s", src,
             from ? sqlite3_errmsg(from) : "out of memory");
    goto out;
  }
  sqlite3_busy_timeout(from, 10000);
  if (sqlite3_open_v2(dst, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      NULL) != SQLITE_OK) {
    rc = say(err, errlen, JB_EIO, "%s: cannot create: %s", dst,
             to ? sqlite3_errmsg(to) : "out of memory");
    goto out;
  }
  /* the source's schema first: a file that is not a jiebang database is
   * refused before anything is copied */
  int64_t have = one_int(from, "SELECT max(version) FROM schema_version");
  if (have <= 0) {
    int prim = sqlite3_errcode(from) & 0xFF;
    rc = say(err, errlen, prim == SQLITE_BUSY ? JB_ELOCKED : JB_ESTORE,
             "%s is not a jiebang database (%s)", src,
             prim == SQLITE_OK ? "no schema version" : sqlite3_errmsg(from));
    goto out;
  }
  /* one step copies every page under one read transaction: a consistent
   * snapshot even while a server writes (WAL readers do not block it) */
  sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) {
    rc = say(err, errlen, JB_EIO, "%s: %s", dst, sqlite3_errmsg(to));
    goto out;
  }
  int step;
  for (int tries = 0; (step = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || step == SQLITE_LOCKED;
       tries++) {
    if (tries >= 100)
      break;
    sqlite3_sleep(100);
  }
  sqlite3_backup_finish(b);
  if (step != SQLITE_DONE) {
    int prim = step & 0xFF;
    snprintf(msg, sizeof msg, "%s", sqlite3_errstr(step));
    rc = say(err, errlen,
             prim == SQLITE_BUSY || prim == SQLITE_LOCKED ? JB_ELOCKED
             : prim == SQLITE_FULL || prim == SQLITE_IOERR ? JB_EIO
                                                            : JB_ESTORE,
             "copying the store: %s%s", msg,
             prim == SQLITE_FULL ? " (the disk is full)" : "");
    goto out;
  }
  /* the copy is one self-contained file */
  char *emsg = NULL;
  if (sqlite3_exec(to, "PRAGMA journal_mode=DELETE", NULL, NULL, &emsg) != SQLITE_OK) {
    snprintf(msg, sizeof msg, "%s", emsg ? emsg : sqlite3_errmsg(to));
    sqlite3_free(emsg);
    rc = say(err, errlen, JB_EIO, "%s: %s", dst, msg);
    goto out;
  }
  sqlite3_stmt *qc;
  if (sqlite3_prepare_v2(to, "PRAGMA quick_check", -1, &qc, NULL) != SQLITE_OK) {
    rc = say(err, errlen, JB_ESTORE, "%s: %s", dst, sqlite3_errmsg(to));
    goto out;
  }
  int r = sqlite3_step(qc);
  const unsigned char *verdict = r == SQLITE_ROW ? sqlite3_column_text(qc, 0) : NULL;
  snprintf(msg, sizeof msg, "%s", verdict ? (const char *)verdict : sqlite3_errmsg(to));
  sqlite3_finalize(qc);
  if (strcmp(msg, "ok") != 0) {
    rc = say(err, errlen, JB_ESTORE, "the copy fails SQLite's quick_check: %s%s", msg,
             " (the source is damaged: `jiebang verify` checks it)");
    goto out;
  }
  if (schema)
    *schema = (int)one_int(to, "SELECT max(version) FROM schema_version");
  if (records)
    *records = one_int(to, "SELECT count(*) FROM records");
  if (last_seq)
    *last_seq = one_int(to, "SELECT seq FROM sqlite_sequence WHERE name='outbox'");
out:
  sqlite3_close(from);
  if (to && sqlite3_close(to) != SQLITE_OK && rc == JB_OK)
    rc = say(err, errlen, JB_EIO, "%s: cannot close%s", dst, "");
  if (rc == JB_OK && fsync_path(dst) != 0)
    rc = say(err, errlen, JB_EIO, "%s: fsync: %s", dst, strerror(errno));
  if (rc != JB_OK && to) {
    unlink(dst);
    char j[4200];
    snprintf(j, sizeof j, "%s-journal", dst);
    unlink(j);
  }
  return rc;
}
