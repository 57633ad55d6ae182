/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backup.c: `jiebang backup` and `jiebang restore` — the directories, the
 * manifest and the order of the steps (engine/backup.h); the SQLite copy is
 * engine/store_backup.c's. */
#define _GNU_SOURCE /* nftw */
#include "config.h"

#include "engine/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/jiebang.h"
#include "engine/store.h"


static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, int rc, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return rc;
}

/* Fault injection for tests/backup.sh: JIEBANG_FAULT=<point> ends the
 * process at once (exit 86) there, as a kill -9 would. */
static void fault(const char *point) {
  const char *f = getenv("JIEBANG_FAULT");
  if (f && !strcmp(f, point))
    _exit(86);
}

static int fsync_path(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  int r = fsync(fd);
  close(fd);
  return r;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f) {
  (void)sb;
  (void)flag;
  (void)f;
  return remove(p);
}

/* Removes path and everything below it (absent: fine). 0 or -1 (errno). */
static int rm_tree(const char *path) {
  struct stat sb;
  if (lstat(path, &sb) != 0)
    return errno == ENOENT ? 0 : -1;
  if (!S_ISDIR(sb.st_mode))
    return unlink(path);
  return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int path2(char *buf, size_t len, const char *a, const char *b) {
  return snprintf(buf, len, "%s/%s", a, b) < (int)len ? 0 : -1;
}

int jb_backup(const char *dir, const char *dest, jb_backup_info *info, char *err, size_t errlen) {
  jb_backup_info local;
  if (!info)
    info = &local;
  memset(info, 0, sizeof *info);
  if (!dir || !*dir || !dest || !*dest)
    return fail(err, errlen, JB_EINVAL, "backup: a data directory and a destination are needed");
  char src[PATH_MAX], part[PATH_MAX], db[PATH_MAX], man[PATH_MAX], tmp[PATH_MAX];
  size_t dl = strlen(dest);
  while (dl > 1 && dest[dl - 1] == '/')
    dl--;
  if (path2(src, sizeof src, dir, "jiebang.db") ||
      snprintf(part, sizeof part, "%.*s.partial", (int)dl, dest) >= (int)sizeof part ||
      path2(db, sizeof db, part, "jiebang.db") || path2(man, sizeof man, part, "MANIFEST") ||
      path2(tmp, sizeof tmp, part, "MANIFEST.tmp"))
    return fail(err, errlen, JB_EINVAL, "backup: a path is too long");
  struct stat sb;
  if (stat(src, &sb) != 0)
    return fail(err, errlen, JB_ENOENT, "%s: no store here (%s)", dir, strerror(errno));
  if (lstat(dest, &sb) == 0)
    return fail(err, errlen, JB_EEXIST,
                "%s exists already: back up to a new name (a backup is never overwritten)", dest);
  /* what a killed backup left: incomplete by construction */
  if (rm_tree(part) != 0)
    return fail(err, errlen, JB_EIO, "%s (left by an interrupted backup) cannot be removed: %s",
                part, strerror(errno));
  if (mkdir(part, 0700) != 0)
    return fail(err, errlen, JB_EIO, "cannot create %s: %s", part, strerror(errno));
  char serr[600];
  int rc = jb__store_snapshot(src, db, &info->schema, &info->records, &info->last_seq, serr,
                              sizeof serr);
  if (rc != JB_OK) {
    rm_tree(part);
    return fail(err, errlen, rc, "backup of %s: %s", dir, serr);
  }
  fault("backup-before-manifest");
  snprintf(info->version, sizeof info->version, "%s", PACKAGE_VERSION);
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(info->created, sizeof info->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
  FILE *f = fopen(tmp, "w");
  int ok = f != NULL;
  if (f) {
    ok = fprintf(f,
                 JB_BACKUP_MAGIC "\nversion = %s\nschema = %d\nrecords = %lld\nlast_seq = %lld\n"
                                "created = %s\n",
                 info->version, info->schema, (long long)info->records,
                 (long long)info->last_seq, info->created) > 0;
    ok = fflush(f) == 0 && ok;
    ok = fsync(fileno(f)) == 0 && ok;
    ok = fclose(f) == 0 && ok;
  }
  if (!ok || rename(tmp, man) != 0 || fsync_path(part) != 0) {
    int e = errno;
    rm_tree(part);
    return fail(err, errlen, JB_EIO, "writing %s: %s", man, strerror(e));
  }
  fault("backup-before-rename");
  /* complete: one rename makes it a backup */
  if (rename(part, dest) != 0) {
    int e = errno;
    rm_tree(part);
    return fail(err, errlen, e == EEXIST || e == ENOTEMPTY ? JB_EEXIST : JB_EIO,
                "cannot rename %s to %s: %s", part, dest, strerror(e));
  }
  char parent[PATH_MAX];
  snprintf(parent, sizeof parent, "%.*s", (int)dl, dest);
  char *slash = strrchr(parent, '/');
  if (slash == parent)
    parent[1] = '\0';
  else if (slash)
    *slash = '\0';
  else
    snprintf(parent, sizeof parent, ".");
  fsync_path(parent);
  return JB_OK;
}

int jb_backup_read(const char *src, jb_backup_info *info, char *err, size_t errlen) {
  jb_backup_info local;
  if (!info)
    info = &local;
  memset(info, 0, sizeof *info);
  char man[PATH_MAX];
  if (!src || path2(man, sizeof man, src, "MANIFEST"))
    return fail(err, errlen, JB_EINVAL, "restore: no backup named");
  FILE *f = fopen(man, "r");
  if (!f) {
    struct stat sb;
    if (stat(src, &sb) != 0)
      return fail(err, errlen, JB_ENOENT, "%s: %s", src, strerror(errno));
    return fail(err, errlen, JB_ESYNTAX,
                "%s is not a jiebang backup (no MANIFEST; an interrupted backup is named "
                "*.partial)",
                src);
  }
  char text[4096];
  size_t n = fread(text, 1, sizeof text, f);
  int big = n == sizeof text;
  fclose(f);
  if (big)
    return fail(err, errlen, JB_ESYNTAX, "%s is over %zu bytes: not a jiebang backup manifest",
                man, sizeof text - 1);
  char perr[512];
  int rc = jb_backup_manifest_parse(text, n, info, perr, sizeof perr);
  if (rc != JB_OK)
    return fail(err, errlen, rc, "%s:%s", man, perr);
  return JB_OK;
}

static void say(void (*notice)(void *, const char *), void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(void (*notice)(void *, const char *), void *ctx, const char *fmt, ...) {
  if (!notice)
    return;
  char m[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m, sizeof m, fmt, ap);
  va_end(ap);
  notice(ctx, m);
}

int jb_restore(const char *src, const char *dir, int replace,
               void (*notice)(void *ctx, const char *msg), void *ctx, char *err, size_t errlen) {
  jb_backup_info info;
  int rc = jb_backup_read(src, &info, err, errlen);
  if (rc != JB_OK)
    return rc;
  if (!dir || !*dir)
    return fail(err, errlen, JB_EINVAL, "restore: no data directory named");
  if (info.schema > jb__store_schema_latest())
    return fail(err, errlen, JB_EVERSION,
                "%s has schema version %d, newer than this jiebang (%d; the backup was made by "
                "jiebang %s): restore it with that version or a newer one",
                src, info.schema, jb__store_schema_latest(), info.version);
  char from[PATH_MAX], db[PATH_MAX], staged[PATH_MAX], link[PATH_MAX], side[PATH_MAX];
  if (path2(from, sizeof from, src, "jiebang.db") || path2(db, sizeof db, dir, "jiebang.db") ||
      path2(staged, sizeof staged, dir, "jiebang.db.restore") ||
      path2(link, sizeof link, dir, "index") || path2(side, sizeof side, dir, "jiebang.db-wal"))
    return fail(err, errlen, JB_EINVAL, "restore: a path is too long");
  struct stat sb;
  if (stat(db, &sb) == 0) {
    if (!replace)
      return fail(err, errlen, JB_EEXIST,
                  "%s already holds a store: restore into a new directory, or pass --replace "
                  "(after stopping the server)",
                  dir);
    /* the writer lock says whether a server or another command writes it */
    jb_engine_opts o = {0, NULL, NULL, 1};
    jb_engine *e = NULL;
    char oerr[1024];
    rc = jb_engine_open(dir, &o, &e, oerr, sizeof oerr);
    jb_engine_close(e);
    if (rc == JB_ELOCKED)
      return fail(err, errlen, rc, "%s is in use (%s): stop the server first", dir, oerr);
    /* a store that does not open (damaged: the reason to restore) is replaced */
  } else if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
    return fail(err, errlen, JB_EIO, "cannot create the data directory %s: %s", dir,
                strerror(errno));
  }
  unlink(staged);
  char serr[600];
  int schema = 0;
  int64_t records = 0, last = 0;
  say(notice, ctx, "copying %s (%lld records, made %s by jiebang %s)", from,
      (long long)info.records, info.created, info.version);
  if ((rc = jb__store_snapshot(from, staged, &schema, &records, &last, serr, sizeof serr)) !=
      JB_OK)
    return fail(err, errlen, rc, "restore from %s: %s", src, serr);
  if (schema > jb__store_schema_latest() || records != info.records || last != info.last_seq) {
    unlink(staged);
    if (schema > jb__store_schema_latest())
      return fail(err, errlen, JB_EVERSION,
                  "%s has schema version %d, newer than this jiebang (%d): use a newer jiebang",
                  from, schema, jb__store_schema_latest());
    return fail(err, errlen, JB_ESTORE,
                "%s does not match its MANIFEST (%lld records and last change %lld, the manifest "
                "says %lld and %lld): it was changed after the backup",
                from, (long long)records, (long long)last, (long long)info.records,
                (long long)info.last_seq);
  }
  /* from here the old index goes first: whatever happens next, an open finds
   * no index and rebuilds it from the store it finds */
  if (unlink(link) != 0 && errno != ENOENT) {
    int e = errno;
    unlink(staged);
    return fail(err, errlen, JB_EIO, "cannot remove %s: %s", link, strerror(e));
  }
  /* the old index's directories: derived from the old store, no use now */
  DIR *d = opendir(dir);
  for (struct dirent *de; d && (de = readdir(d));) {
    char old[PATH_MAX];
    if (!strncmp(de->d_name, "index.", 6) && strcmp(de->d_name, "index.tmp") &&
        !path2(old, sizeof old, dir, de->d_name))
      rm_tree(old);
  }
  if (d)
    closedir(d);
  unlink(side); /* the old store's WAL must not be applied to the restored one */
  path2(side, sizeof side, dir, "jiebang.db-shm");
  unlink(side);
  fault("restore-before-rename");
  if (rename(staged, db) != 0 || fsync_path(dir) != 0) {
    int e = errno;
    unlink(staged);
    return fail(err, errlen, JB_EIO, "cannot move the restored store into %s: %s", dir,
                strerror(e));
  }
  say(notice, ctx, "rebuilding the index of %s from the restored store", dir);
  jb_engine_opts o = {0, notice, ctx, 0};
  jb_engine *e = NULL;
  char oerr[1024];
  if ((rc = jb_engine_open(dir, &o, &e, oerr, sizeof oerr)) != JB_OK)
    return fail(err, errlen, rc, "restored %s, but it does not open: %s", dir, oerr);
  jb_engine_close(e);
  return JB_OK;
}
