/* SPDX-License-Identifier: GPL-3.0-or-later */
/* console.c: the web console's static files, loaded at start-up (console.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/console.h"
#include "common/jb_datadir.h"

#define MAX_FILES 64

typedef struct {
  char name[64];
  char *body;
  size_t len;
  const char *ctype;
} file;

struct jb_console {
  file f[MAX_FILES];
  size_t n;
};

static const struct {
  const char *ext, *ctype;
} TYPES[] = {{".js", "text/javascript; charset=utf-8"},
             {".css", "text/css; charset=utf-8"},
             {".svg", "image/svg+xml"},
             {".html", "text/html; charset=utf-8"}};

static const char *ctype_of(const char *name) {
  const char *dot = strrchr(name, '.');
  if (!dot)
    return NULL;
  for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
    if (!strcmp(dot, TYPES[i].ext))
      return TYPES[i].ctype;
  return NULL;
}

int jb_console_name_ok(const char *name) {
  size_t i = 0;
  for (; name[i] && name[i] != '.'; i++) {
    char ch = name[i];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
      return 0;
  }
  if (i == 0 || name[i] != '.' || strlen(name) > 63)
    return 0;
  if (strchr(name + i + 1, '.'))
    return 0;
  return ctype_of(name) != NULL;
}

static int read_all(const char *path, char **out, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  size_t cap = 4096, n = 0;
  char *b = malloc(cap);
  while (b) {
    size_t got = fread(b + n, 1, cap - n, f);
    n += got;
    if (n < cap)
      break;
    char *nb = cap < (size_t)8 << 20 ? realloc(b, cap * 2) : NULL;
    if (!nb) {
      free(b);
      b = NULL;
      break;
    }
    b = nb;
    cap *= 2;
  }
  int bad = ferror(f);
  fclose(f);
  if (!b || bad) {
    free(b);
    return -1;
  }
  *out = b;
  *len = n;
  return 0;
}

jb_console *jb_console_load(char *err, size_t errlen) {
  jb_console *con = calloc(1, sizeof *con);
  if (!con) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  /* the shipped data (common/jb_datadir.h: installed, or the build tree's) */
  char shipped[4096];
  const char *dirs[] = {jb_datafile("console", shipped, sizeof shipped)};
  for (size_t d = 0; d < 1; d++) {
    if (!dirs[d])
      continue;
    DIR *dir = opendir(dirs[d]);
    if (!dir)
      continue;
    struct dirent *de;
    while ((de = readdir(dir)) && con->n < MAX_FILES) {
      if (!jb_console_name_ok(de->d_name))
        continue;
      file *f = &con->f[con->n];
      char path[4200];
      snprintf(path, sizeof path, "%s/%s", dirs[d], de->d_name);
      if (read_all(path, &f->body, &f->len) != 0) {
        snprintf(err, errlen, "console: cannot read %s: %s", path, strerror(errno));
        closedir(dir);
        jb_console_free(con);
        return NULL;
      }
      snprintf(f->name, sizeof f->name, "%s", de->d_name);
      f->ctype = ctype_of(f->name);
      con->n++;
    }
    closedir(dir);
    break;
  }
  return con;
}

int jb_console_get(const jb_console *con, const char *name, const char **body, size_t *len,
                   const char **ctype) {
  if (!con || !jb_console_name_ok(name))
    return -1;
  for (size_t i = 0; i < con->n; i++)
    if (!strcmp(con->f[i].name, name)) {
      *body = con->f[i].body;
      *len = con->f[i].len;
      *ctype = con->f[i].ctype;
      return 0;
    }
  return -1;
}

void jb_console_free(jb_console *con) {
  if (!con)
    return;
  for (size_t i = 0; i < con->n; i++)
    free(con->f[i].body);
  free(con);
}
