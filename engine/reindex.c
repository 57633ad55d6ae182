/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reindex.c: the live reindex (jiebang.h, jb_live_reindex): a new index
 * built beside the current one from a read snapshot of the store on a
 * connection of its own, while the writer goes on writing and its indexer
 * goes on applying the outbox to the current index; then, under the
 * writer's lock, the outbox rows after the snapshot are applied to the new
 * index too (the rows stay: the writer does not prune while a rebuild
 * holds them), DIR/index is switched to it by one rename and the writer
 * moves over. Readers follow the link at their next refresh. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/engine_int.h"
#include "engine/jiebang.h"
#include "engine/store.h"

struct jb_live_reindex {
  char *dir;                /* the data directory */
  char target[64];          /* "index.N", the new directory's name */
  char newdir[PATH_MAX];    /* DIR/index.N */
  jb_engine *src;           /* a reader of the store: its snapshot, its tokenizer */
  jb_index *ix;             /* the new index's writer */
  int64_t last;             /* the snapshot's seq, then what the new index applied */
  jb__refused refused;      /* what the new index refused, quarantined at the switch */
  atomic_llong done, total; /* records indexed, records in the snapshot */
  atomic_int cancel;
  int built, switched;
  char err[1024];
};

static int fail(jb_live_reindex *r, int rc, const char *msg) {
  snprintf(r->err, sizeof r->err, "%s", msg && *msg ? msg : jb_strerror(rc));
  return rc;
}

int jb_live_reindex_start(jb_engine *w, jb_live_reindex **out) {
  *out = NULL;
  if (!w || w->o.readonly || w->in_batch || !w->ix)
    return JB_EINVAL;
  if (w->hold_prune)
    return jb__eset(w, JB_ECONFLICT, "a reindex is already running");
  jb_live_reindex *r = calloc(1, sizeof *r);
  if (!r || !(r->dir = strdup(w->dir))) {
    free(r);
    return JB_ENOMEM;
  }
  char cur[PATH_MAX];
  long gen = 0;
  if (jb__current_index(w, cur, sizeof cur))
    gen = strtol(cur + (strncmp(cur, "index.", 6) == 0 ? 6 : 0), NULL, 10);
  struct stat sb;
  do {
    snprintf(r->target, sizeof r->target, "index.%ld", ++gen);
    jb__data_path(w, r->target, r->newdir, sizeof r->newdir);
  } while (lstat(r->newdir, &sb) == 0);
  w->hold_prune = 1;
  *out = r;
  return JB_OK;
}

struct build_ctx {
  jb_live_reindex *r;
};

static int build_one(void *ctx, int type, const char *id, const char *body) {
  jb_live_reindex *r = ctx;
  if (atomic_load(&r->cancel)) {
    snprintf(r->src->err, sizeof r->src->err, "cancelled: the server is stopping");
    return JB_EINTERNAL;
  }
  r->src->err[0] = '\0';
  int rc = jb__index_record(r->src, r->ix, type, id, body);
  if (rc != JB_OK && jb__permanent(rc)) {
    rc = jb__refused_add(&r->refused, type, id, r->src->err);
    r->src->err[0] = '\0';
  }
  long long n = atomic_fetch_add(&r->done, 1) + 1;
  if (rc == JB_OK && n % 5000 == 0)
    rc = jb_index_commit(r->ix);
  return rc;
}

/* the test hook: JIEBANG_REINDEX_GATE=FILE holds the built index before its
 * switch until FILE exists (at most a minute), so that a test writes during
 * a reindex without depending on its speed */
static void gate(jb_live_reindex *r) {
  const char *f = getenv("JIEBANG_REINDEX_GATE");
  for (int i = 0; f && *f && i < 6000 && access(f, F_OK) != 0 && !atomic_load(&r->cancel); i++)
    usleep(10000);
}

int jb_live_reindex_build(jb_live_reindex *r) {
  if (!r || r->built)
    return JB_EINVAL;
  char err[1024];
  jb_engine_opts o = {1, NULL, NULL, 0};
  int rc = jb_engine_open(r->dir, &o, &r->src, err, sizeof err);
  if (rc != JB_OK)
    return fail(r, rc, err);
  if ((rc = jb_index_open_writer(r->newdir, &r->ix, err, sizeof err)) != JB_OK)
    return fail(r, rc, err);
  /* one read snapshot: the records and the sequence they include */
  int64_t total = 0;
  rc = jb__store_begin_read(r->src->st);
  if (rc == JB_OK && (rc = jb__store_last_seq(r->src->st, &r->last)) == JB_OK &&
      (rc = jb__store_count(r->src->st, -1, &total)) == JB_OK) {
    atomic_store(&r->total, (long long)total);
    rc = jb__store_foreach(r->src->st, -1, build_one, r);
  }
  if (rc != JB_OK)
    snprintf(err, sizeof err, "%s",
             r->src->err[0]                   ? r->src->err
             : jb__store_error(r->src->st)[0] ? jb__store_error(r->src->st)
                                              : jb_index_error(r->ix));
  jb__store_rollback(r->src->st);
  char v[64];
  if (rc == JB_OK) {
    jb__index_generation(r->src, v, sizeof v);
    if ((rc = jb_index_set_meta(r->ix, "generation", v, strlen(v))) == JB_OK)
      rc = jb_index_commit(r->ix);
    if (rc != JB_OK)
      snprintf(err, sizeof err, "index: %s", jb_index_error(r->ix));
  }
  if (rc != JB_OK)
    return fail(r, rc, err);
  gate(r);
  if (atomic_load(&r->cancel))
    return fail(r, JB_EINTERNAL, "cancelled: the server is stopping");
  r->built = 1;
  return JB_OK;
}

void jb_live_reindex_progress(jb_live_reindex *r, int64_t *done, int64_t *total) {
  *done = r ? (int64_t)atomic_load(&r->done) : 0;
  *total = r ? (int64_t)atomic_load(&r->total) : 0;
}

void jb_live_reindex_cancel(jb_live_reindex *r) {
  if (r)
    atomic_store(&r->cancel, 1);
}

const char *jb_live_reindex_error(const jb_live_reindex *r) {
  return r ? r->err : "";
}

const char *jb_live_reindex_target(const jb_live_reindex *r) {
  return r ? r->target : "";
}

int jb_live_reindex_finish(jb_engine *w, jb_live_reindex *r) {
  if (!w || !r || !r->built || r->switched || w->o.readonly || w->in_batch || !w->hold_prune)
    return JB_EINVAL;
  w->err[0] = '\0';
  /* what the snapshot refused, then the changes stored since the snapshot */
  int rc = jb__requarantine(w, &r->refused, r->last);
  if (rc == JB_OK)
    rc = jb__sync_into(w, r->ix, &r->last);
  char v[32];
  if (rc == JB_OK) {
    int len = snprintf(v, sizeof v, "%lld", (long long)r->last);
    if ((rc = jb_index_set_meta(r->ix, "applied_seq", v, (size_t)len)) != JB_OK ||
        (rc = jb_index_commit(r->ix)) != JB_OK)
      jb__eset(w, rc, "index: %s", jb_index_error(r->ix));
  }
  if (rc != JB_OK)
    return fail(r, rc, w->err);
  jb_index_close(r->ix);
  r->ix = NULL;
  /* switch: a new symlink renamed over the old one */
  char link[PATH_MAX], tmp[PATH_MAX], cur[PATH_MAX], old[PATH_MAX];
  jb__data_path(w, "index", link, sizeof link);
  jb__data_path(w, "index.tmp", tmp, sizeof tmp);
  if (!jb__current_index(w, cur, sizeof cur))
    cur[0] = '\0';
  unlink(tmp);
  if (symlink(r->target, tmp) != 0 || rename(tmp, link) != 0) {
    jb__eset(w, JB_EIO, "switching %s to %s: %s", link, r->target, strerror(errno));
    return fail(r, JB_EIO, w->err);
  }
  r->switched = 1;
  /* the writer moves over; its lock on the old index goes with it */
  jb_index_close(w->ix);
  w->ix = NULL;
  w->hold_prune = 0;
  w->applied = r->last;
  if ((rc = jb__open_index_writer(w)) != JB_OK)
    return fail(r, rc, w->err); /* the indexer's retry reopens it */
  if (cur[0]) {
    jb__data_path(w, cur, old, sizeof old);
    if (jb__remove_index_dir(old) != 0)
      jb__notice(w, "could not remove the old index %s: %s", old, strerror(errno));
  }
  /* the outbox rows both indexes hold go */
  return jb_engine_sync(w);
}

void jb_live_reindex_end(jb_engine *w, jb_live_reindex *r) {
  if (!r)
    return;
  if (w && !r->switched)
    w->hold_prune = 0;
  jb_index_close(r->ix);
  r->ix = NULL;
  if (!r->switched)
    jb__remove_index_dir(r->newdir);
  jb_engine_close(r->src);
  jb__refused_free(&r->refused);
  free(r->dir);
  free(r);
}
