/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_dryrun.c: `jiebang import --dry-run`: the checks of an import without
 * a writer, so that it runs beside `jiebang serve` (which holds the data
 * directory's one writer). Each line is parsed and validated as the engine
 * would (jb_rec_parse, jb_rec_validate: fields, the id rule), its
 * references must name a stored record or one on an earlier line, and it
 * counts as unchanged when its canonical text is the stored one. The store
 * is opened read-only (or not at all when the directory does not exist
 * yet: then only the file's own records resolve references). */
#include "config.h"

#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api/cli.h"
#include "api/import.h"
#include "engine/jiebang.h"
#include "engine/record.h"

static int cmp(const void *a, const void *b) { return strcmp(a, b); }

static void on_notice(void *ctx, const char *msg) {
  (void)ctx;
  fprintf(stderr, "jiebang: %s\n", msg);
}

/* 1 when (type, id) is stored or was on an earlier line */
static int known(jb_engine *e, void **seen, int type, const char *id) {
  char key[600];
  snprintf(key, sizeof key, "%d\x1f%s", type, id);
  if (tfind(key, seen, cmp))
    return 1;
  char *text = NULL;
  int ok = e && jb_engine_get(e, jb_rec_type_name(type), id, &text) == JB_OK;
  free(text);
  return ok;
}

int jb__cli_import_dry(const char *dir, jb_import_src *src, const char *file, int quiet) {
  jb_engine_opts o = {1, on_notice, NULL, 0};
  jb_engine *e = NULL;
  char err[1024];
  int rc = jb_engine_open(dir, &o, &e, err, sizeof err);
  if (rc != JB_OK && rc != JB_ENOENT) {
    jb_cli_error("%s", err);
    return 1;
  }
  void *seen = NULL;
  unsigned long lineno = 0, bad = 0, changed = 0, same = 0;
  int status = 0;
  clock_t t0 = clock();
  char where[1600];
  for (;;) {
    const char *line;
    size_t len;
    int got = jb__src_next(src, &line, &len, &lineno, err, sizeof err);
    if (got == 0)
      break;
    if (got == JB_EINVAL) {
      fprintf(stderr, "%s\n", err);
      bad++;
      continue;
    }
    if (got < 0) {
      jb_cli_error("%s", err);
      status = 1;
      break;
    }
    json_t *rec = NULL;
    int type = -1;
    jb_rec_ref refs[JB_REC_MAX_REFS];
    size_t nrefs = 0;
    char why[512];
    if (jb_rec_parse(line, len, &rec, why, sizeof why) != JB_OK ||
        jb_rec_validate(rec, &type, refs, &nrefs, why, sizeof why) != JB_OK) {
      jb__src_where(src, lineno, why, where, sizeof where);
      fprintf(stderr, "%s\n", where);
      bad++;
      json_decref(rec);
      continue;
    }
    const char *id = json_string_value(json_object_get(rec, "id"));
    size_t r = 0;
    for (; r < nrefs; r++)
      if (!known(e, &seen, refs[r].type, refs[r].id))
        break;
    if (r < nrefs) {
      snprintf(why, sizeof why, "%s: %s '%s' does not exist", refs[r].field,
               jb_rec_type_name(refs[r].type), refs[r].id);
      jb__src_where(src, lineno, why, where, sizeof where);
      fprintf(stderr, "%s\n", where);
      bad++;
      json_decref(rec);
      continue;
    }
    char *canon = jb_rec_canonical(rec), *stored = NULL;
    if (!canon) {
      jb_cli_error("line %lu: out of memory", lineno);
      json_decref(rec);
      status = 1;
      break;
    }
    if (e && jb_engine_get(e, jb_rec_type_name(type), id, &stored) == JB_OK && !strcmp(stored, canon))
      same++;
    else
      changed++;
    free(stored);
    free(canon);
    char key[600];
    snprintf(key, sizeof key, "%d\x1f%s", type, id);
    char *dup = tfind(key, &seen, cmp) ? NULL : strdup(key);
    if (dup && !tsearch(dup, &seen, cmp))
      free(dup);
    json_decref(rec);
  }
  if (!quiet)
    fprintf(stderr,
            "dry run: would import %lu records (%lu changed, %lu unchanged), %lu bad lines, "
            "%.1f s; nothing was stored\n",
            changed + same, changed, same, bad, (double)(clock() - t0) / CLOCKS_PER_SEC);
  while (seen) { /* tdestroy is a GNU extension: take the root off until none is left */
    char *key = *(char **)seen;
    tdelete(key, &seen, cmp);
    free(key);
  }
  jb_engine_close(e);
  return status || bad ? 1 : 0;
}
