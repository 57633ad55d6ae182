/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text.c: which lexicons the tokenizers get. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/jb_datadir.h"
#include "engine/jb_text.h"

const char *jb_text_domain_path(void) {
  static char path[4200];
  return jb_datafile("lexicon/domain.txt", path, sizeof path) ? path : "";
}

int jb_text_load_lexicon(const jb_text_config *cfg, jb_lexicon **out, char *err,
                         size_t errlen) {
  static const jb_text_config defaults = {0};
  if (!out)
    return JB_EINVAL;
  *out = NULL;
  if (!cfg)
    cfg = &defaults;
  jb_lexicon *lx;
  int rc = jb_lexicon_new(&lx);
  if (rc != JB_OK)
    return rc;
  const char *main_path = cfg->main_lexicon;
  if (!main_path) {
    if (access(JB_DEFAULT_LEXICON, R_OK) == 0)
      rc = jb_lexicon_load(lx, JB_DEFAULT_LEXICON, 1.0, err, errlen);
  } else if (*main_path && strcmp(main_path, "none") != 0) {
    rc = jb_lexicon_load(lx, main_path, 1.0, err, errlen);
  }
  if (rc == JB_OK && !cfg->no_domain)
    rc = jb_lexicon_load(lx, jb_text_domain_path(), JB_DOMAIN_DEFAULT_FREQ, err, errlen);
  for (size_t i = 0; rc == JB_OK && i < cfg->nuser; i++)
    rc = jb_lexicon_load(lx, cfg->user[i], JB_DOMAIN_DEFAULT_FREQ, err, errlen);
  if (rc != JB_OK) {
    jb_lexicon_free(lx);
    return rc;
  }
  *out = lx;
  return JB_OK;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int jb_text_load_xlex(const char *lexdir, const char *cedict_path, jb_xlex **out, char *err,
                      size_t errlen) {
  if (!out)
    return JB_EINVAL;
  *out = NULL;
  if (err && errlen)
    err[0] = '\0';
  char shipped[4096];
  if (!lexdir) /* the shipped data (common/jb_datadir.h: installed, or the build tree's) */
    lexdir = jb_datafile("lexicon", shipped, sizeof shipped) ? shipped : "lexicon";
  char dir[4096], ced[4096];
  if ((size_t)snprintf(dir, sizeof dir, "%s/glossary", lexdir) >= sizeof dir)
    return JB_EINVAL;
  DIR *d = opendir(dir);
  if (!d) {
    if (err)
      snprintf(err, errlen, "%s: no glossary directory", dir);
    return JB_ENOENT;
  }
  char **paths = NULL;
  size_t n = 0, cap = 0;
  int rc = JB_OK;
  struct dirent *de;
  while (rc == JB_OK && (de = readdir(d)) != NULL) {
    size_t l = strlen(de->d_name);
    if (l < 5 || strcmp(de->d_name + l - 4, ".tsv") != 0 || de->d_name[0] == '.')
      continue;
    if (n == cap) {
      size_t nc = cap ? cap * 2 : 16;
      char **np = realloc(paths, nc * sizeof *np);
      if (!np) {
        rc = JB_ENOMEM;
        break;
      }
      paths = np;
      cap = nc;
    }
    size_t pl = strlen(dir) + l + 2;
    if (!(paths[n] = malloc(pl))) {
      rc = JB_ENOMEM;
      break;
    }
    snprintf(paths[n++], pl, "%s/%s", dir, de->d_name);
  }
  closedir(d);
  if (rc == JB_OK && n == 0) {
    if (err)
      snprintf(err, errlen, "%s: no glossary file (*.tsv)", dir);
    rc = JB_ENOENT;
  }
  if (rc == JB_OK) {
    qsort(paths, n, sizeof *paths, cmp_str);
    const char *cp = cedict_path && *cedict_path ? cedict_path : NULL;
    if (!cedict_path) {
      snprintf(ced, sizeof ced, "%s/cedict.u8", lexdir);
      cp = access(ced, R_OK) == 0 ? ced : NULL;
    }
    rc = jb_xlex_open(out, (const char *const *)paths, n, cp, err, errlen);
  }
  for (size_t i = 0; i < n; i++)
    free(paths[i]);
  free(paths);
  return rc;
}
