/* SPDX-License-Identifier: GPL-3.0-or-later */
/* private.c: the data directory is private to its owner — 0700, its files
 * 0600 — because it holds API key hashes and the confidential fields of
 * challenges. New files get those modes from the process umask (077, set by
 * the jiebang binary, api/main.c) and the directory from its mkdir; a
 * directory made by an older jiebang (0755 and 0644) is fixed when a writer
 * opens it, with a notice. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/engine_int.h"

/* takes group and other bits off path (not following links); 1 when it
 * changed a mode, 0 when there was nothing to do or it could not */
static int tighten(const char *path, int *failed) {
  struct stat sb;
  if (lstat(path, &sb) != 0 || S_ISLNK(sb.st_mode) || !(sb.st_mode & 077))
    return 0;
  if (chmod(path, sb.st_mode & 0700) != 0) {
    (*failed)++;
    return 0;
  }
  return 1;
}

/* the entries of dir, one level down into directories (index.N) */
static int walk(const char *dir, int depth, int *failed) {
  int n = 0;
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s/%s", dir, de->d_name) >= (int)sizeof p)
      continue;
    n += tighten(p, failed);
    struct stat sb;
    if (depth == 0 && lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
      n += walk(p, 1, failed);
  }
  closedir(d);
  return n;
}

void jb__make_private(jb_engine *e) {
  int failed = 0;
  int n = tighten(e->dir, &failed) + walk(e->dir, 0, &failed);
  if (n)
    jb__notice(e,
               "made %d entries of %s private to their owner (directories 0700, files 0600): "
               "the data directory holds API key hashes and confidential fields",
               n, e->dir);
  if (failed)
    jb__notice(e, "could not make %d entries of %s private (chmod: not their owner?)", failed,
               e->dir);
}
