/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csl.c: loading the CSL benchmark data. */
#include "bench/csl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

const char *csl_dir(void) {
  static char buf[4096];
  const char *shared = getenv("JB_SHARED");
  snprintf(buf, sizeof buf, "%s/data/csl", shared ? shared : "../shared");
  return buf;
}

static char *dup_str(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return strdup(json_is_string(v) ? json_string_value(v) : "");
}

long csl_load(const char *dir, csl_record **out) {
  char path[4096];
  snprintf(path, sizeof path, "%s/papers.jsonl", dir);
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  csl_record *r = NULL;
  long n = 0, cap = 0;
  char *line = NULL;
  size_t lcap = 0;
  while (getline(&line, &lcap, f) > 0) {
    json_error_t je;
    json_t *o = json_loads(line, 0, &je);
    if (!o)
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 1024;
      r = realloc(r, (size_t)cap * sizeof *r);
    }
    csl_record *c = &r[n++];
    memset(c, 0, sizeof *c);
    c->id = dup_str(o, "id");
    c->title = dup_str(o, "title");
    c->abstract = dup_str(o, "abstract");
    c->category = dup_str(o, "category");
    json_t *kw = json_object_get(o, "keywords");
    if (json_is_array(kw)) {
      c->nkeywords = json_array_size(kw);
      c->keywords = calloc(c->nkeywords + 1, sizeof *c->keywords);
      for (size_t i = 0; i < c->nkeywords; i++) {
        json_t *k = json_array_get(kw, i);
        c->keywords[i] = strdup(json_is_string(k) ? json_string_value(k) : "");
      }
    }
    json_decref(o);
  }
  fclose(f);
  snprintf(path, sizeof path, "%s/titles.tsv", dir);
  f = fopen(path, "r");
  if (f) {
    int header = 1;
    while (getline(&line, &lcap, f) > 0) {
      if (header) {
        header = 0;
        continue;
      }
      line[strcspn(line, "\r\n")] = '\0';
      char *t1 = strchr(line, '\t');
      if (!t1)
        continue;
      *t1 = '\0';
      char *t2 = strchr(t1 + 1, '\t');
      if (t2)
        *t2 = '\0';
      if (n == cap) {
        cap = cap ? cap * 2 : 1024;
        r = realloc(r, (size_t)cap * sizeof *r);
      }
      csl_record *c = &r[n++];
      memset(c, 0, sizeof *c);
      c->id = strdup(line);
      c->title = strdup(t1 + 1);
      c->abstract = strdup("");
      c->category = strdup(t2 ? t2 + 1 : "");
    }
    fclose(f);
  }
  free(line);
  *out = r;
  return n;
}

void csl_free(csl_record *r, long n) {
  for (long i = 0; i < n; i++) {
    free(r[i].id);
    free(r[i].title);
    free(r[i].abstract);
    free(r[i].category);
    for (size_t k = 0; k < r[i].nkeywords; k++)
      free(r[i].keywords[k]);
    free(r[i].keywords);
  }
  free(r);
}
