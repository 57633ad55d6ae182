/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backup.h: backups of a data directory and their restore (docs/operations.md).
 *
 * A backup is a directory DEST holding
 *   DEST/jiebang.db   a consistent copy of the store (SQLite's online backup
 *                     API: taken while a server writes), one file
 *   DEST/MANIFEST     "jiebang-backup 1" and key = value lines: the jiebang
 *                     version that made it, schema, records, last_seq, created
 * The index is not copied: it is derived from the store, and restore rebuilds
 * it, so a backup never pairs a store with an index of another moment.
 *
 * A backup is made in DEST.partial and renamed to DEST when complete and
 * fsync'd: a backup killed half way leaves no DEST (only DEST.partial, which
 * the next backup to DEST removes), so the last complete one stays the last
 * good one.
 */
#ifndef JB_BACKUP_H
#define JB_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "common/jb_error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int schema;        /* the store's schema version */
  int64_t records;   /* stored records */
  int64_t last_seq;  /* the last change's sequence number */
  char version[32];  /* jiebang version that made the backup */
  char created[32];  /* UTC, ISO 8601 */
} jb_backup_info;

/* Backs up the data directory `dir` into the new directory `dest` (its
 * parent must exist). Works beside a running server. *info (may be NULL) gets
 * what was saved. JB_OK; JB_ENOENT (no dir/jiebang.db), JB_EEXIST (dest
 * exists), JB_ESTORE (the store is damaged or not jiebang's), JB_EIO (writing
 * dest, e.g. a full disk), JB_ELOCKED; err gets a sentence. Nothing is left
 * at dest on failure. */
int jb_backup(const char *dir, const char *dest, jb_backup_info *info, char *err, size_t errlen);

/* Reads a backup's MANIFEST into *info. JB_OK, JB_ENOENT (no such backup),
 * JB_ESYNTAX (not a jiebang backup, or a MANIFEST line this binary does not
 * know: the line is named in err). */
int jb_backup_read(const char *src, jb_backup_info *info, char *err, size_t errlen);

/* Restores the backup `src` into the data directory `dir` (created if
 * absent). A dir that already holds a store is replaced only with
 * `replace` set, and only when no jiebang process is writing it (stop the
 * server first). The store is copied, migrated when the backup is older,
 * and the index rebuilt from it. `notice` (may be NULL) gets progress lines.
 * JB_OK; JB_EEXIST (dir holds a store, replace not set), JB_ELOCKED (a
 * server writes dir), JB_EVERSION (the backup's schema is newer than this
 * binary), JB_ENOENT, JB_ESYNTAX (not a backup), JB_ESTORE, JB_EIO; err gets
 * a sentence. A restore interrupted half way leaves either the old store or
 * the backup's, and no index: the next open (or the same restore again)
 * rebuilds it. */
int jb_restore(const char *src, const char *dir, int replace,
               void (*notice)(void *ctx, const char *msg), void *ctx, char *err, size_t errlen);

/* The first line of a MANIFEST. */
#define JB_BACKUP_MAGIC "jiebang-backup 1"

/* Parses a MANIFEST's text (len bytes, need not be NUL-terminated) into
 * *info (zeroed first): the magic line, then "key = value" lines with keys
 * version, created (text, cut to fit), schema, records, last_seq (whole
 * numbers >= 0). JB_OK, or JB_ESYNTAX with "LINE: reason" in err (always
 * NUL-terminated when errlen > 0). engine/manifest.c: pure, fuzzed. */
int jb_backup_manifest_parse(const char *text, size_t len, jb_backup_info *info, char *err,
                             size_t errlen);

/* The linked SQLite's version ("3.40.1"), static. */
const char *jb_store_sqlite_version(void);

#ifdef __cplusplus
}
#endif
#endif
