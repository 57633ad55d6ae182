/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine.c: the engine handle's life — opening the data directory (store,
 * lexicon, tokenizer, index; a stale or missing index is rebuilt), closing
 * it, and a reader's refresh of its index. */
#include "config.h"

#include <errno.h>
#include <limits.h>
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

/* Compares the open index's generation with this binary's: 1 when they
 * differ (the index's in was[], this binary's in want[]), 0 when they agree,
 * or a negative error code. */
static int stale_generation(jb_engine *e, char *was, size_t wlen, char *want, size_t len) {
  char *gen = NULL;
  jb__index_generation(e, want, len);
  int rc = jb_index_get_meta(e->ix, "generation", &gen, NULL);
  if (rc != JB_OK)
    return rc;
  snprintf(was, wlen, "%s", gen[0] ? gen : "(unknown)");
  int differs = strcmp(gen, want) != 0;
  free(gen);
  return differs;
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
  jb__data_path(e, "jiebang.db", p, sizeof p);
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
  if ((rc = jb_lexicon_fingerprint(e->lx, &e->lexfp)) != JB_OK) {
    jb__eset(e, rc, "lexicon: %s", jb_strerror(rc));
    goto fail;
  }
  e->map.load = jb__load_record;
  e->map.load_ctx = e;
  if ((rc = jb_tokenizer_new(e->lx, NULL, &e->map.tok)) != JB_OK) {
    jb__eset(e, rc, "tokenizer: %s", jb_strerror(rc));
    goto fail;
  }
  jb__data_path(e, "index", p, sizeof p);
  if (e->o.readonly) {
    const char *where[] = {p};
    jb__current_index(e, e->ixname, sizeof e->ixname);
    if (access(p, R_OK) == 0 &&
        (rc = jb_index_open_reader(where, 1, &e->ix, lerr, sizeof lerr)) != JB_OK) {
      jb__eset(e, rc, "index: %s", lerr);
      goto fail;
    }
    /* a reader cannot rebuild: it says so, and the next writer will */
    char was[80], want[80];
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
    if ((rc = jb__rebuild(e)) != JB_OK)
      goto fail;
  } else if (S_ISLNK(sb.st_mode) && stat(p, &sb) != 0 && errno == ENOENT) {
    /* the index is derived from the store: a link to a missing directory
     * (deleted, or moved without it) is rebuilt, and said so */
    char cur[PATH_MAX];
    jb__current_index(e, cur, sizeof cur);
    jb__notice(e, "%s points at %s, which does not exist: rebuilding the index from the store",
               p, cur);
    if ((rc = jb__rebuild(e)) != JB_OK)
      goto fail;
  }
  if ((rc = jb__open_index_writer(e)) != JB_OK)
    goto fail;
  jb__remove_orphans(e);
  char was[80], want[80];
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
  if ((rc = jb__index_meta_int(e, "applied_seq", &e->applied)) != JB_OK)
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

/* ---- a reader's refresh ---------------------------------------------------------- */

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
      jb__data_path(e, "index", p, sizeof p);
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
    if ((rc = jb__index_meta_int(e, "applied_seq", &e->applied)) != JB_OK)
      return rc;
  }
  if (applied)
    *applied = e->applied;
  return JB_OK;
}
