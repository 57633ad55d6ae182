/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_sync.c: the index beside the store — its directory and generation,
 * applying the outbox to it (sync), and rebuilding it from the store
 * (reindex). The live reindex is engine/reindex.c. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/engine_int.h"
#include "engine/indexdoc.h"
#include "engine/jiebang.h"
#include "engine/record.h"
#include "engine/store.h"

#define SYNC_BATCH 1000

void jb__data_path(const jb_engine *e, const char *name, char *buf, size_t len) {
  snprintf(buf, len, "%s/%s", e->dir, name);
}

void jb__index_generation(const jb_engine *e, char *buf, size_t len) {
  snprintf(buf, len, "tok%d-map%d-ix%d-lex%016llx", JB_TOKENIZER_VERSION, JB_MAP_VERSION,
           JB_IX_FORMAT, (unsigned long long)e->lexfp);
}

/* Fault injection for the crash tests: JIEBANG_FAULT=<point> ends the
 * process at once (exit 86) when it reaches that point. */
static void fault(const char *point) {
  const char *f = getenv("JIEBANG_FAULT");
  if (f && !strcmp(f, point))
    _exit(86);
}

int jb__index_meta_int(jb_engine *e, const char *key, int64_t *v) {
  char *s = NULL;
  int rc = jb_index_get_meta(e->ix, key, &s, NULL);
  if (rc != JB_OK)
    return jb__eset(e, rc, "index: %s", jb_index_error(e->ix));
  *v = strtoll(s, NULL, 10);
  free(s);
  return JB_OK;
}

/* ---- index maintenance -------------------------------------------------------- */

json_t *jb__load_record(void *ctx, int type, const char *id) {
  jb_engine *e = ctx;
  char *body = NULL;
  json_t *rec = NULL;
  if (jb__store_get(e->st, type, id, &body) == JB_OK)
    jb_rec_parse(body, strlen(body), &rec, NULL, 0);
  free(body);
  return rec;
}

json_t *jb__load_record_brief(jb_engine *e, int type, const char *id) {
  /* the long free texts of each type; what a match reads of a candidate
   * (title, org, fields, TRL, year, price, region, kind...) is short */
  static const char *const drop[] = {"abstract", "bio", "description", "problem", NULL};
  char *body = NULL;
  json_t *rec = NULL;
  if (jb__store_get(e->st, type, id, &body) == JB_OK)
    jb_rec_parse_brief(body, strlen(body), drop, &rec);
  free(body);
  return rec;
}

struct dep_ctx {
  jb_engine *e;
  jb_index *w;
};

static int reindex_dependent(void *ctx, int type, const char *id) {
  struct dep_ctx *c = ctx;
  char *body = NULL;
  int rc = jb__store_get(c->e->st, type, id, &body);
  if (rc == JB_OK && (rc = jb__index_record(c->e, c->w, type, id, body)) != JB_OK)
    rc = jb__quarantine(c->e, c->w, type, id, 0, rc);
  free(body);
  return rc == JB_ENOENT ? JB_OK : rc;
}

/* Puts (or deletes) one record's document into index w. */
int jb__index_record(jb_engine *e, jb_index *w, int type, const char *id, const char *body) {
  const char *tname = jb_rec_type_name(type);
  if (!body)
    return jb_index_delete(w, tname, id);
  json_t *rec;
  char err[256];
  int rc = jb_rec_parse(body, strlen(body), &rec, err, sizeof err);
  if (rc != JB_OK)
    return jb__eset(e, JB_ESYNTAX, "stored %s '%s' is not valid JSON: %s", tname, id, err);
  jb_ixdoc *d;
  int64_t created = 0;
  if ((rc = jb_ixdoc_new(&d)) == JB_OK) {
    rc = jb__map_record(&e->map, type, rec, d);
    /* when it was created, for sort=newest: the store's, not the index's */
    if (rc == JB_OK && (rc = jb__store_created(e->st, type, id, &created)) != JB_OK)
      jb__eset(e, rc, "%s", jb__store_error(e->st));
    if (rc == JB_OK)
      rc = jb_ixdoc_set_number(d, JB_SLOT_CREATED, (double)created);
    if (rc == JB_OK)
      rc = jb_index_put(w, tname, id, d);
    jb_ixdoc_free(d);
  }
  json_decref(rec);
  if (rc != JB_OK && !e->err[0])
    jb__eset(e, rc, "indexing %s '%s': %s", tname, id, jb_index_error(w));
  return rc;
}

/* 1 when the outbox may be pruned up to what index ix applied: ix is the
 * engine's own index, no batch is open and no live rebuild needs the rows */
static int may_prune(const jb_engine *e, const jb_index *ix) {
  return ix == e->ix && !e->in_batch && !e->hold_prune;
}

int jb__sync_into(jb_engine *e, jb_index *ix, int64_t *applied) {
  for (;;) {
    jb_outbox_row *rows;
    size_t n;
    int rc = jb__store_outbox(e->st, *applied, SYNC_BATCH, &rows, &n);
    if (rc != JB_OK)
      return jb__eset(e, rc, "%s", jb__store_error(e->st));
    if (n == 0) {
      jb__store_rows_free(rows, n);
      /* rows the index has applied but a crash kept from being pruned */
      int64_t left = 0;
      if (may_prune(e, ix) && jb__store_outbox_len(e->st, &left) == JB_OK && left > 0 &&
          (rc = jb__store_prune(e->st, *applied)) != JB_OK)
        return jb__eset(e, rc, "%s", jb__store_error(e->st));
      return JB_OK;
    }
    for (size_t i = 0; i < n && rc == JB_OK; i++) {
      char *body = NULL;
      /* the current body: later changes of the same record are applied too,
       * which is harmless (idempotent) */
      int g = jb__store_get(e->st, rows[i].type, rows[i].id, &body);
      if (g != JB_OK && g != JB_ENOENT)
        rc = jb__eset(e, g, "%s", jb__store_error(e->st));
      else if ((rc = jb__index_record(e, ix, rows[i].type, rows[i].id,
                                  g == JB_OK ? body : NULL)) == JB_OK)
        rc = jb__quarantine_release(e, rows[i].type, rows[i].id);
      else
        /* one record the index refuses must not stop the others */
        rc = jb__quarantine(e, ix, rows[i].type, rows[i].id, rows[i].seq, rc);
      /* an org lends its kind and region to the documents of what refers to it */
      if (rc == JB_OK && g == JB_OK && rows[i].type == JB_REC_ORG) {
        struct dep_ctx dc = {e, ix};
        rc = jb__store_referrers(e->st, JB_REC_ORG, rows[i].id, reindex_dependent, &dc);
      }
      free(body);
    }
    int64_t upto = rows[n - 1].seq;
    jb__store_rows_free(rows, n);
    if (rc != JB_OK)
      return rc;
    char v[32];
    int len = snprintf(v, sizeof v, "%lld", (long long)upto);
    if ((rc = jb_index_set_meta(ix, "applied_seq", v, (size_t)len)) != JB_OK)
      return jb__eset(e, rc, "index: %s", jb_index_error(ix));
    fault("before-index-commit");
    if ((rc = jb_index_commit(ix)) != JB_OK)
      return jb__eset(e, rc, "index: %s", jb_index_error(ix));
    fault("after-index-commit");
    *applied = upto;
    if (may_prune(e, ix) && (rc = jb__store_prune(e->st, upto)) != JB_OK)
      return jb__eset(e, rc, "%s", jb__store_error(e->st));
  }
}

int jb_engine_sync(jb_engine *e) {
  if (!e || e->o.readonly || !e->ix)
    return JB_EINVAL;
  e->err[0] = '\0';
  return jb__sync_into(e, e->ix, &e->applied);
}

struct rebuild_ctx {
  jb_engine *e;
  jb_index *w;
  long n;
  jb__refused refused; /* quarantined after the read snapshot */
};

static int rebuild_one(void *ctx, int type, const char *id, const char *body) {
  struct rebuild_ctx *c = ctx;
  c->e->err[0] = '\0';
  int rc = jb__index_record(c->e, c->w, type, id, body);
  if (rc != JB_OK && jb__permanent(rc)) {
    rc = jb__refused_add(&c->refused, type, id, c->e->err);
    c->e->err[0] = '\0';
    return rc;
  }
  if (rc == JB_OK && ++c->n % 5000 == 0)
    rc = jb_index_commit(c->w);
  return rc;
}

int jb__current_index(const jb_engine *e, char *cur, size_t len) {
  char link[PATH_MAX];
  jb__data_path(e, "index", link, sizeof link);
  ssize_t got = readlink(link, cur, len - 1);
  cur[got > 0 ? got : 0] = '\0';
  return got > 0;
}

int jb__remove_index_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return errno == ENOENT ? 0 : -1;
  struct dirent *de;
  char p[PATH_MAX];
  int rc = 0;
  while ((de = readdir(d)) != NULL) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
    if (unlink(p) != 0)
      rc = -1;
  }
  closedir(d);
  return rmdir(dir) == 0 ? rc : -1;
}

/* Removes DIR/index.N directories that DIR/index does not point at: what a
 * reindex killed before its switch leaves. Only the holder of the index's
 * write lock calls this, so no rebuild is under way. */
void jb__remove_orphans(jb_engine *e) {
  char cur[PATH_MAX];
  if (!jb__current_index(e, cur, sizeof cur))
    return;
  DIR *d = opendir(e->dir);
  if (!d)
    return;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    const char *n = de->d_name;
    if (strncmp(n, "index.", 6) || !strcmp(n, cur) || !n[6] ||
        strspn(n + 6, "0123456789") != strlen(n + 6))
      continue;
    char p[PATH_MAX];
    jb__data_path(e, n, p, sizeof p);
    if (jb__remove_index_dir(p) == 0)
      jb__notice(e, "removed %s, left by an interrupted reindex", n);
    else
      jb__notice(e, "could not remove %s, left by an interrupted reindex: %s", n, strerror(errno));
  }
  closedir(d);
}

/* Builds DIR/index.N from the store and points DIR/index at it. */
int jb__rebuild(jb_engine *e) {
  char link[PATH_MAX], target[PATH_MAX], cur[PATH_MAX], tmp[PATH_MAX], newdir[PATH_MAX];
  jb__data_path(e, "index", link, sizeof link);
  long gen = 0;
  if (jb__current_index(e, cur, sizeof cur))
    gen = strtol(cur + (strncmp(cur, "index.", 6) == 0 ? 6 : 0), NULL, 10);
  struct stat sb;
  do
    snprintf(target, sizeof target, "index.%ld", ++gen);
  while ((jb__data_path(e, target, newdir, sizeof newdir), lstat(newdir, &sb) == 0));
  jb_index *w;
  char err[512];
  int rc = jb_index_open_writer(newdir, &w, err, sizeof err);
  if (rc != JB_OK)
    return jb__eset(e, rc, "index: %s", err);
  /* one read snapshot: the records and the sequence they include */
  int64_t last = 0;
  struct rebuild_ctx c = {e, w, 0, {NULL, 0, 0}};
  rc = jb__store_begin_read(e->st);
  if (rc == JB_OK && (rc = jb__store_last_seq(e->st, &last)) == JB_OK)
    rc = jb__store_foreach(e->st, -1, rebuild_one, &c);
  if (rc != JB_OK && !e->err[0] && jb__store_error(e->st)[0])
    jb__eset(e, rc, "reindex: %s", jb__store_error(e->st));
  jb__store_rollback(e->st);
  char v[64];
  if (rc == JB_OK) {
    int len = snprintf(v, sizeof v, "%lld", (long long)last);
    rc = jb_index_set_meta(w, "applied_seq", v, (size_t)len);
  }
  if (rc == JB_OK) {
    jb__index_generation(e, v, sizeof v);
    rc = jb_index_set_meta(w, "generation", v, strlen(v));
  }
  if (rc == JB_OK)
    rc = jb_index_commit(w);
  if (rc != JB_OK) {
    if (!e->err[0])
      jb__eset(e, rc, "reindex: %s", jb_index_error(w));
    jb_index_close(w);
    jb__refused_free(&c.refused);
    return rc;
  }
  jb_index_close(w);
  rc = jb__requarantine(e, &c.refused, last);
  jb__refused_free(&c.refused);
  if (rc != JB_OK)
    return rc;
  /* switch: a new symlink renamed over the old one */
  jb__data_path(e, "index.tmp", tmp, sizeof tmp);
  unlink(tmp);
  if (symlink(target, tmp) != 0 || rename(tmp, link) != 0)
    return jb__eset(e, JB_EIO, "switching %s to %s: %s", link, target, strerror(errno));
  if (cur[0]) {
    char old[PATH_MAX];
    jb__data_path(e, cur, old, sizeof old);
    if (jb__remove_index_dir(old) != 0)
      jb__notice(e, "could not remove the old index %s: %s", old, strerror(errno));
  }
  e->applied = last;
  return JB_OK;
}

int jb__open_index_writer(jb_engine *e) {
  char link[PATH_MAX], err[512];
  jb__data_path(e, "index", link, sizeof link);
  int rc = jb_index_open_writer(link, &e->ix, err, sizeof err);
  if (rc == JB_ELOCKED)
    return jb__eset(e, rc, "another jiebang process is writing to %s", e->dir);
  if (rc != JB_OK)
    return jb__eset(e, rc, "index: %s", err);
  return JB_OK;
}

int jb_engine_reindex(jb_engine *e) {
  if (!e || e->o.readonly || e->in_batch)
    return JB_EINVAL;
  e->err[0] = '\0';
  /* the writer lock of the old index is kept until the new one is ready, so
   * no other writer slips in; then it moves to the new index */
  int rc = jb__rebuild(e);
  jb_index_close(e->ix);
  e->ix = NULL;
  if (rc != JB_OK)
    return rc;
  if ((rc = jb__open_index_writer(e)) != JB_OK)
    return rc;
  return jb_engine_sync(e);
}

int jb_engine_reopen_index(jb_engine *e) {
  if (!e || e->o.readonly || e->in_batch)
    return JB_EINVAL;
  e->err[0] = '\0';
  jb_index_close(e->ix);
  e->ix = NULL;
  int rc = jb__open_index_writer(e);
  if (rc == JB_OK && (rc = jb__index_meta_int(e, "applied_seq", &e->applied)) != JB_OK) {
    jb_index_close(e->ix);
    e->ix = NULL;
  }
  return rc;
}

