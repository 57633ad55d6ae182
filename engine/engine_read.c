/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_read.c: reads through the engine handle — one record, its creation
 * sequence, export, statistics, filtered lists and their counts, and the
 * sequence numbers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_int.h"
#include "engine/jiebang.h"
#include "engine/record.h"
#include "engine/store.h"

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

int jb_engine_created(jb_engine *e, const char *type, const char *id, int64_t *seq) {
  if (!e || !id || !seq)
    return JB_EINVAL;
  *seq = 0;
  int t = jb_rec_type_of(type);
  if (t < 0)
    return jb__eset(e, JB_EINVAL, "type: must be one of org, expert, output, challenge");
  int rc = jb__store_created(e->st, t, id, seq);
  if (rc != JB_OK)
    jb__eset(e, rc, "%s", jb__store_error(e->st));
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
    if (jb__index_meta_int(e, "applied_seq", &a) != JB_OK)
      return JB_EINDEX;
    st->applied_seq = a;
  }
  return JB_OK;
}

/* ---- listing, sequence numbers ----------------------------------------------------- */

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
    sf.newest = f->newest;
    sf.after_seq = f->after_seq;
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
