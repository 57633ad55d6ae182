/* SPDX-License-Identifier: GPL-3.0-or-later */
/* server_state.h: what the request handlers may ask of the running server
 * (api/server.c owns the state): the engines, the configuration, the
 * weights and criteria. Internal to api/. */
#ifndef JB_SERVER_STATE_H
#define JB_SERVER_STATE_H

#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>
#include <uv.h>

#include "api/admission.h"
#include "api/messages.h"
#include "api/netguard.h"
#include "api/request.h"
#include "api/route_ids.h"
#include "api/server.h"
#include "api/webhook_send.h"
#include "engine/jiebang.h"

/* ---- the state (server.c, server_state.c, metrics.c, indexer.c) ---------- */

#define MAX_READERS 256
#define NBUCKETS 12

struct jb_server {
  jb_server_config cfg;
  jb_match_weights weights;
  jb_criteria criteria;
  uv_loop_t loop;
  struct MHD_Daemon *d;
  uv_poll_t poll;
  uv_timer_t timer, drain, retry, sweep;
  uv_signal_t sigint, sigterm;
  jb_engine *writer;
  uv_mutex_t wlock, rlock;
  jb_engine *readers[MAX_READERS];
  size_t nreaders;
  unsigned gen;
  int stopping;
  uint64_t stop_at;
  unsigned inflight; /* requests between their first call and completion */
  unsigned jobs;     /* work items queued or running */
  int sync_queued, dirty;
  int64_t last_seq, applied, outbox;
  int64_t quarantined; /* records the indexer refused (jb_engine_quarantined) */
  uint64_t sync_failures;
  int sync_failing;       /* the last indexer run failed */
  int sync_retry_due;     /* its backoff has passed (writes do not shorten it) */
  unsigned sync_backoff;  /* ms until the next retry after a failure */
  char sync_error[256];   /* its message */
  /* limits (admission.c) */
  jb_adm *adm;
  jb_gate gate;
  jb_buckets buckets;
  uint64_t busy_429, rate_429;
  /* metrics */
  struct {
    char route[80]; /* the label: a route's pattern spelled, "unmatched", "refused" */
    uint64_t hist[NBUCKETS], n;
    double sum_ms;
  } series[128];
  size_t nseries;
  /* the series of (route + 2, type + 1): route -2 refused, -1 unmatched;
   * -1 until first counted (jb_serve sets every one to -1) */
  short series_of[R_NROUTES + 2][5];
  struct {
    int series, status;
    uint64_t n;
  } counts[512];
  size_t ncounts;
  uint64_t rid_seed, rid_next; /* request ids we make: seed-counter */
  uint64_t started_at;          /* the Unix time the server started */
  char *openapi;
  struct jb_console *console; /* the web console's files (api/console.h) */
  struct jb_reindex_job *reindex; /* the live reindex (api/h_admin.c) */
  size_t openapi_len;
  /* webhooks (api/webhook_send.c): the delivery thread, the targets allowed */
  jb_hooks *hooks;
  jb_cidrs hook_allow;
};

typedef struct {
  jb_server *s;
  struct MHD_Connection *conn;
  uint64_t t0;
  char *uri;
  int uri_too_long, started, body_too_big, have_resp, status;
  int expensive;        /* holds (or waits for) a slot of the expensive gate */
  int refused;          /* answered before routing (its head, its size, shutting down) */
  unsigned retry_after; /* seconds for a Retry-After header, 0: none */
  uint64_t t_run;       /* when its job went to the pool */
  jb_adm_conn *ac;      /* its connection's record (deadline), or NULL */
  char *body;
  size_t blen, bcap, resp_bytes;
  jb_call call; /* after the fields that on_uri zeroes */
  uv_work_t work;
} req;

/* the monotonic clock in ms (the limits' deadlines and buckets) */
static inline uint64_t jb__now_ms(void) { return uv_hrtime() / 1000000; }

/* One log line on stderr: {"t": RFC 3339 time, FMT's fields}. */
void jb__log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Logs {"event":EVENT,"message":MSG} with MSG escaped as a JSON string, and
 * "note":NOTE when NOTE is given (never NULL event). */
void jb__log_message(const char *event, const char *msg, const char *note);

/* Counts an answered request in /metrics (loop thread). metrics.c */
void jb__count(jb_server *s, const req *r, double ms);

/* The checks of a request's head before its body (precheck.c): 0, or the
 * status to answer with the message's id in *msg. */
int jb__precheck(jb_server *s, req *r, const char *method, jb_msg *msg);

/* Marks the index dirty and queues the indexer job unless one is queued or
 * its retry timer is pending (loop thread). indexer.c */
void jb__schedule_sync(jb_server *s);

/* The live reindex's job (h_admin.c): jb__reindex_new makes it (NULL: out of
 * memory); jb__reindex_stop cancels a running rebuild, waits for its thread
 * and frees the job (NULL: nothing). Call it after the loop has ended and
 * before the writer closes (the rebuild takes the writer lock to finish). */
struct jb_reindex_job *jb__reindex_new(void);
void jb__reindex_stop(struct jb_reindex_job *j);

/* ---- for the handlers ---------------------------------------------------- */

/* The calling worker's read-only engine (opened on first use and kept by the
 * server; never closed by the caller), or NULL with a message in err when it
 * cannot be opened. */
jb_engine *jb__srv_reader(jb_server *s, char *err, size_t errlen);

/* The one writer engine, under its lock: every call is paired with
 * jb__srv_writer_unlock on the same thread. Never NULL while serving. */
jb_engine *jb__srv_writer_lock(jb_server *s);
void jb__srv_writer_unlock(jb_server *s);
/* The writer when its lock is free at once (then paired with
 * jb__srv_writer_unlock), else NULL: for work that may be skipped. */
jb_engine *jb__srv_writer_trylock(jb_server *s);

/* The server's configuration, weights and review criteria: borrowed, valid
 * while the server runs, never changed after start-up. */
const jb_server_config *jb__srv_config(const jb_server *s);
const jb_match_weights *jb__srv_weights(const jb_server *s);
const jb_criteria *jb__srv_criteria(const jb_server *s);

#endif
