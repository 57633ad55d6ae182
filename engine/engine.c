/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine.c: the data directory — store, index and the sync between them. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/engine_int.h"
#include "engine/indexdoc.h"
#include "engine/jb_text.h"
#include "engine/jiebang.h"
#include "engine/record.h"
#include "engine/store.h"

#define SYNC_BATCH 1000


/* ---- helpers -------------------------------------------------------------------- */

int jb__eset(jb_engine *e, int rc, const char *fmt, ...) {
  free(e->detail); /* a new refusal: the last one's detail goes */
  e->detail = NULL;
  jb_emsg_clear(&e->msg);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->err, sizeof e->err, fmt, ap);
  va_end(ap);
  return rc;
}

int jb__emsg(jb_engine *e, int rc, const char *field, int id, ...) {
  free(e->detail);
  e->detail = NULL;
  va_list ap;
  va_start(ap, id);
  jb_emsg_vset(&e->msg, field, id, ap);
  va_end(ap);
  jb_emsg_render(&e->msg, JB_EMSG_EN, 1, e->err, sizeof e->err);
  return rc;
}

int jb__eset_msg(jb_engine *e, int rc, const char *text, const jb_emsg *m) {
  jb__eset(e, rc, "%s", text);
  if (m && m->id != JB_EM_NONE)
    jb_emsg_copy(&e->msg, m);
  return rc;
}

int jb__eset_store(jb_engine *e, int rc) {
  return jb__eset_msg(e, rc, jb__store_error(e->st), jb__store_msg(e->st));
}

const jb_emsg *jb_engine_error_msg(const jb_engine *e) {
  return e && e->err[0] && e->msg.id != JB_EM_NONE ? &e->msg : NULL;
}

void jb__notice(jb_engine *e, const char *fmt, ...) {
  if (!e->o.notice)
    return;
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  e->o.notice(e->o.notice_ctx, buf);
}

void jb__data_path(const jb_engine *e, const char *name, char *buf, size_t len) {
  snprintf(buf, len, "%s/%s", e->dir, name);
}
#define path_of jb__data_path

void jb__index_generation(char *buf, size_t len) {
  snprintf(buf, len, "tok%d-map%d", JB_TOKENIZER_VERSION, JB_MAP_VERSION);
}

/* Compares the open index's generation with this binary's: 1 when they
 * differ (the index's in was[], this binary's in want[]), 0 when they agree,
 * or a negative error code. */
static int stale_generation(jb_engine *e, char *was, size_t wlen, char *want, size_t len) {
  char *gen = NULL;
  jb__index_generation(want, len);
  int rc = jb_index_get_meta(e->ix, "generation", &gen, NULL);
  if (rc != JB_OK)
    return rc;
  snprintf(was, wlen, "%s", gen[0] ? gen : "(unknown)");
  int differs = strcmp(gen, want) != 0;
  free(gen);
  return differs;
}

const char *jb_engine_error(const jb_engine *e) { return e ? e->err : ""; }

const char *jb_engine_error_detail(const jb_engine *e) { return e ? e->detail : NULL; }

/* Fault injection for the crash tests: JIEBANG_FAULT=<point> ends the
 * process at once (exit 86) when it reaches that point. */
static void fault(const char *point) {
  const char *f = getenv("JIEBANG_FAULT");
  if (f && !strcmp(f, point))
    _exit(86);
}

static int index_meta_int(jb_engine *e, const char *key, int64_t *v) {
  char *s = NULL;
  int rc = jb_index_get_meta(e->ix, key, &s, NULL);
  if (rc != JB_OK)
    return jb__eset(e, rc, "index: %s", jb_index_error(e->ix));
  *v = strtoll(s, NULL, 10);
  free(s);
  return JB_OK;
}

/* ---- index maintenance -------------------------------------------------------- */

#define current_index jb__current_index
#define remove_index_dir jb__remove_index_dir
#define open_index_writer jb__open_index_writer

json_t *jb__load_record(void *ctx, int type, const char *id) {
  jb_engine *e = ctx;
  char *body = NULL;
  json_t *rec = NULL;
  if (jb__store_get(e->st, type, id, &body) == JB_OK)
    jb_rec_parse(body, strlen(body), &rec, NULL, 0);
  free(body);
  return rec;
}

struct dep_ctx {
  jb_engine *e;
  jb_index *w;
};

#define index_record jb__index_record

static int reindex_dependent(void *ctx, int type, const char *id) {
  struct dep_ctx *c = ctx;
  char *body = NULL;
  int rc = jb__store_get(c->e->st, type, id, &body);
  if (rc == JB_OK && (rc = index_record(c->e, c->w, type, id, body)) != JB_OK)
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
      else if ((rc = index_record(e, ix, rows[i].type, rows[i].id,
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
  int rc = index_record(c->e, c->w, type, id, body);
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
  path_of(e, "index", link, sizeof link);
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
static void remove_orphans(jb_engine *e) {
  char cur[PATH_MAX];
  if (!current_index(e, cur, sizeof cur))
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
    path_of(e, n, p, sizeof p);
    if (remove_index_dir(p) == 0)
      jb__notice(e, "removed %s, left by an interrupted reindex", n);
    else
      jb__notice(e, "could not remove %s, left by an interrupted reindex: %s", n, strerror(errno));
  }
  closedir(d);
}

/* Builds DIR/index.N from the store and points DIR/index at it. */
static int rebuild(jb_engine *e) {
  char link[PATH_MAX], target[PATH_MAX], cur[PATH_MAX], tmp[PATH_MAX], newdir[PATH_MAX];
  path_of(e, "index", link, sizeof link);
  long gen = 0;
  if (current_index(e, cur, sizeof cur))
    gen = strtol(cur + (strncmp(cur, "index.", 6) == 0 ? 6 : 0), NULL, 10);
  struct stat sb;
  do
    snprintf(target, sizeof target, "index.%ld", ++gen);
  while ((path_of(e, target, newdir, sizeof newdir), lstat(newdir, &sb) == 0));
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
    jb__index_generation(v, sizeof v);
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
  path_of(e, "index.tmp", tmp, sizeof tmp);
  unlink(tmp);
  if (symlink(target, tmp) != 0 || rename(tmp, link) != 0)
    return jb__eset(e, JB_EIO, "switching %s to %s: %s", link, target, strerror(errno));
  if (cur[0]) {
    char old[PATH_MAX];
    path_of(e, cur, old, sizeof old);
    if (remove_index_dir(old) != 0)
      jb__notice(e, "could not remove the old index %s: %s", old, strerror(errno));
  }
  e->applied = last;
  return JB_OK;
}

int jb__open_index_writer(jb_engine *e) {
  char link[PATH_MAX], err[512];
  path_of(e, "index", link, sizeof link);
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
  int rc = rebuild(e);
  jb_index_close(e->ix);
  e->ix = NULL;
  if (rc != JB_OK)
    return rc;
  if ((rc = open_index_writer(e)) != JB_OK)
    return rc;
  return jb_engine_sync(e);
}

int jb_engine_reopen_index(jb_engine *e) {
  if (!e || e->o.readonly || e->in_batch)
    return JB_EINVAL;
  e->err[0] = '\0';
  jb_index_close(e->ix);
  e->ix = NULL;
  int rc = open_index_writer(e);
  if (rc == JB_OK && (rc = index_meta_int(e, "applied_seq", &e->applied)) != JB_OK) {
    jb_index_close(e->ix);
    e->ix = NULL;
  }
  return rc;
}

/* ---- open / close ------------------------------------------------------------- */

static int open_impl(const char *dir, const jb_engine_opts *opts, int store_only, jb_engine **out,
                     char *err, size_t errlen);

int jb_engine_open(const char *dir, const jb_engine_opts *opts, jb_engine **out, char *err,
                   size_t errlen) {
  return open_impl(dir, opts, 0, out, err, errlen);
}

int jb_engine_open_store(const char *dir, const jb_engine_opts *opts, jb_engine **out, char *err,
                         size_t errlen) {
  return open_impl(dir, opts, 1, out, err, errlen);
}

static int open_impl(const char *dir, const jb_engine_opts *opts, int store_only, jb_engine **out,
                     char *err, size_t errlen) {
  *out = NULL;
  jb_engine *e = calloc(1, sizeof *e);
  if (!e)
    return JB_ENOMEM;
  jb_emsg_clear(&e->msg);
  if (opts)
    e->o = *opts;
  e->dir = strdup(dir && *dir ? dir : "var");
  int rc = JB_OK;
  char p[PATH_MAX], lerr[512];
  if (!e->dir) {
    rc = JB_ENOMEM;
    goto fail;
  }
  if (!e->o.readonly && mkdir(e->dir, 0700) != 0 && errno != EEXIST) {
    rc = jb__eset(e, JB_EIO, "cannot create the data directory %s: %s", e->dir, strerror(errno));
    goto fail;
  }
  if (e->o.readonly && access(e->dir, R_OK) != 0) {
    rc = jb__eset(e, JB_ENOENT, "no data directory %s (import something first)", e->dir);
    goto fail;
  }
  path_of(e, "jiebang.db", p, sizeof p);
  if (!e->o.readonly && access(e->dir, W_OK) != 0) {
    rc = jb__eset(e, JB_EIO, "the data directory %s is not writable", e->dir);
    goto fail;
  }
  if ((rc = jb__store_open(p, e->o.readonly, &e->st, lerr, sizeof lerr)) != JB_OK) {
    jb__eset(e, rc, "%s", lerr);
    goto fail;
  }
  if ((rc = jb__store_quarantine_count(e->st, &e->quarantined)) != JB_OK) {
    jb__eset(e, rc, "%s", jb__store_error(e->st));
    goto fail;
  }
  if (store_only) {
    e->o.defer_sync = 1; /* no index here: the index's owner applies the outbox */
    *out = e;
    return JB_OK;
  }
  if ((rc = jb_text_load_lexicon(NULL, &e->lx, lerr, sizeof lerr)) != JB_OK) {
    jb__eset(e, rc, "%s", lerr);
    goto fail;
  }
  e->map.load = jb__load_record;
  e->map.load_ctx = e;
  if ((rc = jb_tokenizer_new(e->lx, NULL, &e->map.tok)) != JB_OK) {
    jb__eset(e, rc, "tokenizer: %s", jb_strerror(rc));
    goto fail;
  }
  path_of(e, "index", p, sizeof p);
  if (e->o.readonly) {
    const char *where[] = {p};
    jb__current_index(e, e->ixname, sizeof e->ixname);
    if (access(p, R_OK) == 0 &&
        (rc = jb_index_open_reader(where, 1, &e->ix, lerr, sizeof lerr)) != JB_OK) {
      jb__eset(e, rc, "index: %s", lerr);
      goto fail;
    }
    /* a reader cannot rebuild: it says so, and the next writer will */
    char was[64], want[64];
    if (e->ix && stale_generation(e, was, sizeof was, want, sizeof want) == 1)
      jb__notice(e,
             "the index was built as '%s', this jiebang reads '%s': answers may miss terms "
             "until the next write or `jiebang reindex` rebuilds it",
             was, want);
    *out = e;
    return JB_OK;
  }
  struct stat sb;
  if (lstat(p, &sb) != 0) {
    if ((rc = rebuild(e)) != JB_OK)
      goto fail;
  } else if (S_ISLNK(sb.st_mode) && stat(p, &sb) != 0 && errno == ENOENT) {
    /* the index is derived from the store: a link to a missing directory
     * (deleted, or moved without it) is rebuilt, and said so */
    char cur[PATH_MAX];
    current_index(e, cur, sizeof cur);
    jb__notice(e, "%s points at %s, which does not exist: rebuilding the index from the store",
               p, cur);
    if ((rc = rebuild(e)) != JB_OK)
      goto fail;
  }
  if ((rc = open_index_writer(e)) != JB_OK)
    goto fail;
  remove_orphans(e);
  char was[64], want[64];
  int mismatch = stale_generation(e, was, sizeof was, want, sizeof want);
  if (mismatch < 0) {
    rc = mismatch;
    jb__eset(e, rc, "index: %s", jb_index_error(e->ix));
    goto fail;
  }
  if (mismatch)
    jb__notice(e, "the index was built as '%s', this jiebang writes '%s': rebuilding it", was, want);
  if (mismatch && (rc = jb_engine_reindex(e)) != JB_OK)
    goto fail;
  if ((rc = index_meta_int(e, "applied_seq", &e->applied)) != JB_OK)
    goto fail;
  int64_t pending = 0;
  jb__store_outbox_len(e->st, &pending);
  if (pending > 0)
    jb__notice(e, "applying %lld stored changes to the index", (long long)pending);
  if ((rc = jb_engine_sync(e)) != JB_OK)
    goto fail;
  jb__make_private(e);
  *out = e;
  return JB_OK;
fail:
  if (err && errlen)
    snprintf(err, errlen, "%s", e->err[0] ? e->err : jb_strerror(rc));
  jb_engine_close(e);
  return rc;
}

void jb_engine_close(jb_engine *e) {
  if (!e)
    return;
  if (e->in_batch)
    jb_engine_rollback(e);
  if (e->ix && !e->o.readonly && e->st && !e->o.defer_sync)
    jb_engine_sync(e);
  jb_index_close(e->ix);
  jb__store_close(e->st);
  jb_tokenizer_free(e->map.tok);
  free(e->map.conv);
  free(e->map.uni);
  jb_lexicon_free(e->lx);
  jb_xlex_free(e->xl);
  free(e->detail);
  free(e->dir);
  free(e);
}

/* ---- writes --------------------------------------------------------------------- */

/* After a COMMIT the change is stored and acknowledged: an index that cannot
 * take it now (disk full, a lock) catches up at the next sync, since its
 * outbox rows stay; the caller is told it succeeded, the notice says why the
 * index lags. */
static int sync_after_commit(jb_engine *e) {
  if (e->o.defer_sync || jb_engine_sync(e) == JB_OK)
    return JB_OK;
  jb__notice(e, "stored, but the index could not take it yet (%s); it catches up at the next "
                "sync",
             e->err);
  e->err[0] = '\0';
  return JB_OK;
}

int jb_engine_begin(jb_engine *e) {
  if (!e || e->o.readonly || e->in_batch)
    return JB_EINVAL;
  int rc = jb__store_begin(e->st);
  if (rc != JB_OK)
    return jb__eset_store(e, rc);
  e->in_batch = 1;
  return JB_OK;
}

int jb_engine_commit(jb_engine *e) {
  if (!e || !e->in_batch)
    return JB_EINVAL;
  int rc = jb__store_commit(e->st);
  if (rc != JB_OK) {
    jb__eset_store(e, rc);
    jb__store_rollback(e->st);
    e->in_batch = 0;
    return rc;
  }
  e->in_batch = 0;
  return sync_after_commit(e);
}

int jb_engine_rollback(jb_engine *e) {
  if (!e || !e->in_batch)
    return JB_EINVAL;
  e->in_batch = 0;
  return jb__store_rollback(e->st);
}

int jb_engine_put_json(jb_engine *e, const char *json, size_t len, int64_t *seq) {
  if (seq)
    *seq = 0;
  if (!e || !json || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  json_t *rec;
  int rc = jb_rec_parse_m(json, len, &rec, e->err, sizeof e->err, &e->msg);
  if (rc != JB_OK)
    return rc;
  int type;
  jb_rec_ref refs[JB_REC_MAX_REFS];
  size_t nrefs;
  rc = jb_rec_validate_m(rec, &type, refs, &nrefs, e->err, sizeof e->err, &e->msg);
  char *body = rc == JB_OK ? jb_rec_canonical(rec) : NULL;
  if (rc == JB_OK && !body)
    rc = jb__eset(e, JB_ENOMEM, "out of memory");
  int own = rc == JB_OK && !e->in_batch;
  if (own && (rc = jb__store_begin(e->st)) != JB_OK)
    jb__eset_store(e, rc);
  int64_t s = 0;
  if (rc == JB_OK && e->in_batch && (rc = jb__store_savepoint(e->st)) != JB_OK)
    jb__eset_store(e, rc);
  else if (rc == JB_OK) {
    const char *id = json_string_value(json_object_get(rec, "id"));
    rc = jb__store_put(e->st, type, id, body, refs, nrefs, &s);
    if (rc != JB_OK)
      jb__eset_store(e, rc);
    if (e->in_batch) {
      int r2 = rc == JB_OK ? jb__store_release(e->st) : jb__store_rollback_to(e->st);
      if (rc == JB_OK && r2 != JB_OK)
        rc = jb__eset_store(e, r2);
    }
  }
  if (own) {
    if (rc == JB_OK) {
      rc = jb__store_commit(e->st);
      if (rc != JB_OK)
        jb__eset_store(e, rc);
    }
    if (rc != JB_OK)
      jb__store_rollback(e->st);
    else
      rc = sync_after_commit(e);
  }
  free(body);
  json_decref(rec);
  if (rc == JB_OK && seq)
    *seq = s;
  return rc;
}

int jb_engine_delete(jb_engine *e, const char *type, const char *id, int64_t *seq) {
  if (seq)
    *seq = 0;
  if (!e || e->o.readonly || !id)
    return JB_EINVAL;
  e->err[0] = '\0';
  int t = jb_rec_type_of(type);
  if (t < 0)
    return JB__EM(e, JB_EINVAL, "type", must_be_type);
  int own = !e->in_batch, rc = JB_OK;
  if (own && (rc = jb__store_begin(e->st)) != JB_OK)
    return jb__eset_store(e, rc);
  int64_t s = 0;
  /* a failed delete changes nothing (it checks before it deletes). An org
   * or expert that a challenge's applications, reviewers or scores name
   * stays while they do, like a record another refers to; a challenge's
   * applications, scores, award, milestones and reviews go with it, so a new
   * challenge of the same id starts empty. */
  char dep[200];
  int d = jb__store_item_depends(e->st, t, id, dep, sizeof dep);
  if (d == 1) {
    rc = JB__EM(e, JB_ECONFLICT, NULL, takes_part, type, id, dep);
  } else {
    rc = d < 0 ? d : jb__store_delete(e->st, t, id, &s);
    if (rc == JB_OK && t == JB_REC_CHALLENGE)
      rc = jb__store_items_drop(e->st, id);
    if (rc != JB_OK)
      jb__eset_store(e, rc);
  }
  if (own) {
    if (rc == JB_OK && (rc = jb__store_commit(e->st)) != JB_OK)
      jb__eset_store(e, rc);
    if (rc != JB_OK)
      jb__store_rollback(e->st);
    else
      rc = sync_after_commit(e);
  }
  if (rc == JB_OK && seq)
    *seq = s;
  return rc;
}

/* ---- reads ------------------------------------------------------------------------ */

int jb_engine_get(jb_engine *e, const char *type, const char *id, char **json) {
  if (!e || !id || !json)
    return JB_EINVAL;
  int t = jb_rec_type_of(type);
  if (t < 0)
    return JB__EM(e, JB_EINVAL, "type", must_be_type);
  int rc = jb__store_get(e->st, t, id, json);
  if (rc != JB_OK)
    jb__eset_store(e, rc);
  return rc;
}

struct export_ctx {
  jb_engine *e;
  int (*cb)(void *, const char *);
  void *ctx;
  int check;
};

static int export_one(void *ctx, int type, const char *id, const char *body) {
  struct export_ctx *c = ctx;
  /* never write what import would refuse */
  char err[1024];
  int rc = c->check ? jb__check_stored(type, id, body, err, sizeof err) : JB_OK;
  if (rc != JB_OK)
    return jb__eset(c->e, rc, "export stopped before it: %s", err);
  return c->cb(c->ctx, body);
}

int jb__export(jb_engine *e, const char *type, int (*cb)(void *ctx, const char *json), void *ctx,
               int check) {
  if (!e || !cb)
    return JB_EINVAL;
  int t = -1;
  if (type && (t = jb_rec_type_of(type)) < 0)
    return JB__EM(e, JB_EINVAL, "type", must_be_type);
  e->err[0] = '\0';
  struct export_ctx c = {e, cb, ctx, check};
  int rc = jb__store_begin_read(e->st);
  if (rc == JB_OK)
    rc = jb__store_foreach(e->st, t, export_one, &c);
  jb__store_rollback(e->st);
  if (rc != JB_OK && !e->err[0])
    jb__eset_store(e, rc);
  return rc;
}

int jb_engine_export(jb_engine *e, const char *type, int (*cb)(void *ctx, const char *json),
                     void *ctx) {
  return jb__export(e, type, cb, ctx, 1);
}

int jb_engine_stats(jb_engine *e, jb_stats *st) {
  if (!e || !st)
    return JB_EINVAL;
  memset(st, 0, sizeof *st);
  int rc = JB_OK;
  for (int t = 0; t < 4 && rc == JB_OK; t++)
    rc = jb__store_count(e->st, t, &st->records[t]);
  if (rc == JB_OK)
    rc = jb__store_outbox_len(e->st, &st->outbox);
  if (rc == JB_OK)
    rc = jb__store_last_seq(e->st, &st->last_seq);
  if (rc != JB_OK)
    return jb__eset_store(e, rc);
  if (e->ix) {
    char *g = NULL;
    if (jb_index_doccount(e->ix, &st->indexed) != JB_OK ||
        jb_index_get_meta(e->ix, "generation", &g, NULL) != JB_OK)
      return jb__eset(e, JB_EINDEX, "index: %s", jb_index_error(e->ix));
    snprintf(st->generation, sizeof st->generation, "%s", g);
    free(g);
    int64_t a;
    if (index_meta_int(e, "applied_seq", &a) != JB_OK)
      return JB_EINDEX;
    st->applied_seq = a;
  }
  return JB_OK;
}

/* ---- listing, sequence numbers, readers ------------------------------------------- */

struct list_ctx {
  int (*cb)(void *, const char *);
  void *ctx;
};

static int list_one(void *ctx, const char *id, const char *body) {
  (void)id;
  struct list_ctx *c = ctx;
  return c->cb(c->ctx, body);
}

/* the store's filter for a list filter (NULL: none) */
static jb_store_filter store_filter(const jb_list_filter *f) {
  jb_store_filter sf = {0};
  if (f) {
    sf.kind = f->kind;
    sf.status = f->status;
    sf.org = f->org;
    sf.region = f->region;
    sf.field = f->field;
    sf.hide_drafts = f->hide_drafts;
    sf.viewer_org = f->viewer_org;
  }
  return sf;
}

int jb_engine_list(jb_engine *e, const char *type, const jb_list_filter *f, const char *after,
                   size_t limit, int (*cb)(void *ctx, const char *json), void *ctx) {
  if (!e || !cb || limit == 0 || limit > 1000)
    return JB_EINVAL;
  e->err[0] = '\0';
  int t = jb_rec_type_of(type);
  if (t < 0)
    return JB__EM(e, JB_EINVAL, "type", must_be_type);
  jb_store_filter sf = store_filter(f);
  struct list_ctx c = {cb, ctx};
  int rc = jb__store_list(e->st, t, &sf, after, limit, list_one, &c);
  if (rc < 0 && rc != JB_ENOMEM && jb__store_error(e->st)[0])
    jb__eset_store(e, rc);
  return rc;
}

int jb_engine_list_count(jb_engine *e, const char *type, const jb_list_filter *f, int64_t *n) {
  if (!e || !n)
    return JB_EINVAL;
  e->err[0] = '\0';
  int t = jb_rec_type_of(type);
  if (t < 0)
    return JB__EM(e, JB_EINVAL, "type", must_be_type);
  jb_store_filter sf = store_filter(f);
  int rc = jb__store_count_filtered(e->st, t, &sf, n);
  if (rc != JB_OK)
    jb__eset_store(e, rc);
  return rc;
}

int jb_engine_seq(jb_engine *e, int64_t *last, int64_t *applied, int64_t *outbox) {
  if (!e)
    return JB_EINVAL;
  int rc = JB_OK;
  if (last && (rc = jb__store_last_seq(e->st, last)) != JB_OK)
    return jb__eset_store(e, rc);
  if (outbox && (rc = jb__store_outbox_len(e->st, outbox)) != JB_OK)
    return jb__eset_store(e, rc);
  if (applied)
    *applied = e->applied;
  return JB_OK;
}

int jb_engine_refresh(jb_engine *e, int64_t *applied) {
  if (!e)
    return JB_EINVAL;
  e->err[0] = '\0';
  if (e->o.readonly) {
    int rc;
    /* a live reindex switched DIR/index to a new directory: open that one
     * (the old one is removed; its open files still answer until then) */
    char cur[64];
    if (e->ix && jb__current_index(e, cur, sizeof cur) && strcmp(cur, e->ixname) != 0) {
      jb_index_close(e->ix);
      e->ix = NULL;
    }
    if (!e->ix) {
      char p[4200], lerr[512];
      path_of(e, "index", p, sizeof p);
      const char *where[] = {p};
      if (access(p, R_OK) != 0) {
        e->applied = 0;
        if (applied)
          *applied = 0;
        return JB_OK;
      }
      jb__current_index(e, e->ixname, sizeof e->ixname);
      if ((rc = jb_index_open_reader(where, 1, &e->ix, lerr, sizeof lerr)) != JB_OK)
        return jb__eset(e, rc, "index: %s", lerr);
    } else if ((rc = jb_index_reopen(e->ix)) != JB_OK) {
      return jb__eset(e, rc, "index: %s", jb_index_error(e->ix));
    }
    if ((rc = index_meta_int(e, "applied_seq", &e->applied)) != JB_OK)
      return rc;
  }
  if (applied)
    *applied = e->applied;
  return JB_OK;
}
