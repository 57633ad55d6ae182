/* SPDX-License-Identifier: GPL-3.0-or-later */
/* datadir.c: where the shipped data is (common/jb_datadir.h). */
#include "config.h"

#include "common/jb_datadir.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[PATH_MAX];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int exists(const char *d, const char *name) {
  char p[PATH_MAX];
  if (snprintf(p, sizeof p, "%s/%s", d, name) >= (int)sizeof p)
    return 0;
  return access(p, F_OK) == 0;
}

static void find(void) {
  const char *env = getenv("JIEBANG_DATADIR");
  if (env && *env && strlen(env) < sizeof dir) {
    snprintf(dir, sizeof dir, "%s", env);
    return;
  }
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
      *slash = '\0';
    /* a build tree: the binary (build/jiebang, build/tests/unit/x) is at
     * most two levels below config.status */
    char up[PATH_MAX];
    snprintf(up, sizeof up, "%s", exe);
    for (int level = 0; level < 3; level++) {
      if (exists(up, "config.status") && exists(up, "data/openapi.json")) {
        snprintf(dir, sizeof dir, "%s/data", up);
        return;
      }
      char *s = strrchr(up, '/');
      if (!s || s == up)
        break;
      *s = '\0';
    }
    /* an installed tree, wherever its prefix went */
    char rel[PATH_MAX];
    if (snprintf(rel, sizeof rel, "%s/../share/jiebang", exe) < (int)sizeof rel &&
        exists(rel, "openapi.json")) {
      char *real = realpath(rel, NULL);
      snprintf(dir, sizeof dir, "%s", real ? real : rel);
      free(real);
      return;
    }
  }
  snprintf(dir, sizeof dir, "%s", JB_PKGDATADIR);
}

const char *jb_datadir(void) {
  pthread_once(&once, find);
  return dir;
}

char *jb_datafile(const char *rel, char *buf, size_t len) {
  if (!buf || !len)
    return NULL;
  if (snprintf(buf, len, "%s/%s", jb_datadir(), rel ? rel : "") >= (int)len) {
    buf[0] = '\0';
    return NULL;
  }
  return buf;
}
