/* SPDX-License-Identifier: GPL-3.0-or-later */
/* h_admin.c: the live reindex (POST and GET /v1/admin/reindex): one rebuild
 * at a time on a thread of its own (not a worker of the pool, which keeps
 * answering), through the engine's jb_live_reindex calls: start and finish
 * under the writer lock, the long build without it. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api/handlers.h"
#include "api/request.h"
#include "common/jb_time.h"

enum { RX_IDLE, RX_RUNNING, RX_DONE, RX_FAILED };
static const char *const RX_STATE[] = {"idle", "running", "done", "failed"};

struct jb_reindex_job {
  uv_mutex_t mu; /* guards everything below */
  uv_thread_t th;
  int joinable; /* th was started and not joined */
  int state;
  jb_live_reindex *r; /* while it builds (progress, cancel) */
  int64_t started_at, finished_at, done, total;
  char target[64], by[24], error[512];
};

struct jb_reindex_job *jb__reindex_new(void) {
  struct jb_reindex_job *j = calloc(1, sizeof *j);
  if (j && uv_mutex_init(&j->mu) != 0) {
    free(j);
    j = NULL;
  }
  return j;
}

void jb__reindex_stop(struct jb_reindex_job *j) {
  if (!j)
    return;
  uv_mutex_lock(&j->mu);
  jb_live_reindex_cancel(j->r);
  int join = j->joinable;
  j->joinable = 0;
  uv_mutex_unlock(&j->mu);
  if (join)
    uv_thread_join(&j->th);
  uv_mutex_destroy(&j->mu);
  free(j);
}

/* the job's state as JSON (under j->mu) */
static json_t *job_json(struct jb_reindex_job *j) {
  json_t *o = json_pack("{s:s}", "state", RX_STATE[j->state]);
  if (!o || j->state == RX_IDLE)
    return o;
  if (j->r)
    jb_live_reindex_progress(j->r, &j->done, &j->total);
  char a[JB_RFC3339_LEN], b[JB_RFC3339_LEN];
  json_object_set_new(o, "index", json_string(j->target));
  json_object_set_new(o, "by", json_string(j->by));
  json_object_set_new(o, "started_at", json_string(jb_time_rfc3339(j->started_at, a)));
  json_object_set_new(o, "finished_at",
                      j->finished_at ? json_string(jb_time_rfc3339(j->finished_at, b))
                                     : json_null());
  json_object_set_new(o, "records_done", json_integer((json_int_t)j->done));
  json_object_set_new(o, "records_total", json_integer((json_int_t)j->total));
  json_object_set_new(o, "error", j->state == RX_FAILED ? json_string(j->error) : json_null());
  return o;
}

static void job_run(void *arg) {
  jb_server *s = arg;
  struct jb_reindex_job *j = s->reindex;
  uv_mutex_lock(&j->mu);
  jb_live_reindex *r = j->r;
  uv_mutex_unlock(&j->mu);
  int rc = jb_live_reindex_build(r);
  jb_engine *w = jb__srv_writer_lock(s);
  if (rc == JB_OK)
    rc = jb_live_reindex_finish(w, r);
  uv_mutex_lock(&j->mu);
  jb_live_reindex_progress(r, &j->done, &j->total);
  snprintf(j->error, sizeof j->error, "%s", jb_live_reindex_error(r));
  j->r = NULL;
  j->state = rc == JB_OK ? RX_DONE : RX_FAILED;
  j->finished_at = (int64_t)time(NULL);
  uv_mutex_unlock(&j->mu);
  jb_live_reindex_end(w, r);
  jb__srv_writer_unlock(s);
  char note[160];
  snprintf(note, sizeof note, "%s, %lld records", j->target, (long long)j->total);
  if (rc == JB_OK)
    jb__log_message("reindex_done", "the new index is current", note);
  else
    jb__log_message("reindex_failed", j->error, "the previous index stays current");
}

void jb__h_reindex_start(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  struct jb_reindex_job *j = s->reindex;
  uv_mutex_lock(&j->mu);
  if (j->state == RX_RUNNING) {
    char a[JB_RFC3339_LEN];
    JB_FAILM(c, 409, REINDEX_RUNNING, j->target, jb_time_rfc3339(j->started_at, a));
    uv_mutex_unlock(&j->mu);
    return;
  }
  if (j->joinable) { /* the last one's thread has ended: collect it */
    uv_thread_join(&j->th);
    j->joinable = 0;
  }
  jb_engine *w = jb__srv_writer_lock(s);
  jb_live_reindex *r = NULL;
  int rc = jb_live_reindex_start(w, &r);
  if (rc == JB_OK)
    rc = jb_engine_audit(w, c->key_id, "reindex", "index", jb_live_reindex_target(r), NULL, NULL,
                         "POST /v1/admin/reindex");
  if (rc != JB_OK) {
    if (rc == JB_ECONFLICT)
      JB_FAILM(c, 409, REINDEX_START, jb_engine_error(w));
    else
      jb__engine_fail(c, w, rc);
    jb_live_reindex_end(w, r);
    jb__srv_writer_unlock(s);
    uv_mutex_unlock(&j->mu);
    return;
  }
  jb__srv_writer_unlock(s);
  j->r = r;
  j->state = RX_RUNNING;
  j->started_at = (int64_t)time(NULL);
  j->finished_at = j->done = j->total = 0;
  j->error[0] = '\0';
  snprintf(j->target, sizeof j->target, "%s", jb_live_reindex_target(r));
  snprintf(j->by, sizeof j->by, "%s", c->key_id);
  if (uv_thread_create(&j->th, job_run, s) != 0) {
    j->r = NULL;
    j->state = RX_FAILED;
    snprintf(j->error, sizeof j->error, "could not start the reindex thread");
    w = jb__srv_writer_lock(s);
    jb_live_reindex_end(w, r);
    jb__srv_writer_unlock(s);
    uv_mutex_unlock(&j->mu);
    JB_FAILM(c, 500, REINDEX_THREAD);
    return;
  }
  j->joinable = 1;
  json_t *ans = job_json(j);
  uv_mutex_unlock(&j->mu);
  jb__answer(c, 202, ans);
}

void jb__h_reindex_status(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  struct jb_reindex_job *j = s->reindex;
  uv_mutex_lock(&j->mu);
  json_t *ans = job_json(j);
  uv_mutex_unlock(&j->mu);
  jb__answer(c, 200, ans);
}
