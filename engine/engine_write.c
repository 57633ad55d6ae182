/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_write.c: writes through the engine handle — batches (begin,
 * commit, rollback), putting a record and deleting one, each followed by
 * the sync of the index. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_int.h"
#include "engine/jiebang.h"
#include "engine/record.h"
#include "engine/store.h"

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
