/* SPDX-License-Identifier: GPL-3.0-or-later */
/* indexer.c: the indexer job — applies the outbox to the index on a worker
 * after writes (coalesced: at most one queued), retried with backoff while
 * it fails. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api/server_state.h"

/* indexer ------------------------------------------------------------------------------ */

typedef struct {
  uv_work_t w;
  jb_server *s;
  int rc, reopen;
  int64_t last, applied, outbox, quarantined;
  char err[512];
} syncjob;

static void sync_work(uv_work_t *w) {
  syncjob *j = w->data;
  jb_engine *e = jb__srv_writer_lock(j->s);
  /* after a failure the index writer may be closed for good (Xapian's
   * DatabaseClosedError after a full disk): open it again first */
  j->rc = j->reopen ? jb_engine_reopen_index(e) : JB_OK;
  if (j->rc == JB_OK)
    j->rc = jb_engine_sync(e);
  if (j->rc != JB_OK)
    snprintf(j->err, sizeof j->err, "%s", jb_engine_error(e));
  /* match.new against the index just synced (engine/hooks.c); its failure
   * is logged and the next sync tries again */
  int64_t fresh = 0;
  if (j->rc == JB_OK && jb_engine_hooks_match_new(e, jb__srv_weights(j->s), &fresh) != JB_OK)
    jb__log_message("webhook_failed", jb_engine_error(e), "match.new is computed again at the next sync");
  if (fresh > 0)
    jb__hooks_wake(j->s);
  jb_engine_seq(e, &j->last, &j->applied, &j->outbox);
  j->quarantined = jb_engine_quarantined(e);
  jb__srv_writer_unlock(j->s);
}


static void on_retry(uv_timer_t *t) {
  jb_server *s = t->data;
  s->sync_retry_due = 1;
  jb__schedule_sync(s);
}

static void sync_after(uv_work_t *w, int status) {
  (void)status;
  syncjob *j = w->data;
  jb_server *s = j->s;
  s->jobs--;
  s->sync_queued = 0;
  if (j->last > s->last_seq)
    s->last_seq = j->last;
  s->applied = j->applied;
  s->outbox = j->outbox;
  s->quarantined = j->quarantined;
  if (j->rc != JB_OK) {
    s->sync_failures++;
    /* backoff: 0.5 s, doubling up to 10 s */
    s->sync_backoff = s->sync_backoff ? (s->sync_backoff >= 5000 ? 10000 : s->sync_backoff * 2) : 500;
    { /* at most one line per retry: writes do not run the indexer while it fails */
      char note[80];
      snprintf(note, sizeof note, "retrying in %.1f s; the changes are stored", s->sync_backoff / 1000.0);
      jb__log_message("index_sync_failed", j->err, note);
    }
    s->sync_failing = 1;
    snprintf(s->sync_error, sizeof s->sync_error, "%s", j->err);
    s->dirty = 1;
    if (!s->stopping)
      uv_timer_start(&s->retry, on_retry, s->sync_backoff, 0);
  } else {
    if (s->sync_failing)
      jb__log_message("index_sync_recovered", "the indexer applies the outbox again", NULL);
    s->sync_failing = 0;
    s->sync_backoff = 0;
    s->sync_error[0] = '\0';
    if (s->dirty)
      jb__schedule_sync(s);
  }
  free(j);
}

void jb__schedule_sync(jb_server *s) {
  s->dirty = 1;
  if (s->sync_queued || (s->sync_failing && !s->sync_retry_due))
    return; /* running, or failing: the retry timer runs it */
  s->sync_retry_due = 0;
  syncjob *j = calloc(1, sizeof *j);
  if (!j)
    return; /* the next write or the shutdown applies it */
  j->s = s;
  j->w.data = j;
  j->reopen = s->sync_failing;
  s->sync_queued = 1;
  s->dirty = 0;
  s->jobs++;
  if (uv_queue_work(&s->loop, &j->w, sync_work, sync_after) != 0) {
    s->jobs--;
    s->sync_queued = 0;
    s->dirty = 1;
    free(j);
  }
}

