/* SPDX-License-Identifier: GPL-3.0-or-later */
/* server.c: the HTTP server — libmicrohttpd in external-epoll mode driven by
 * one libuv loop (../shared/DESIGN.md §3, docs/api.md).
 *
 * The loop thread owns MHD: MHD's epoll fd is watched by one uv_poll_t and a
 * uv_timer re-armed from MHD_get_timeout. A request that needs the store or
 * the index is suspended, its jb_call runs on libuv's thread pool
 * (routes.c and the handlers the table routes.def names; each worker keeps
 * its own read-only engine, writes take the one writer's lock), and
 * after_cb resumes it with the answer. Every write wakes the indexer job
 * (indexer.c), which applies the outbox to the index (coalesced: at most one
 * queued). SIGINT/SIGTERM: stop accepting, let the requests in
 * flight finish, apply the outbox, close, exit 0. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <uv.h>

#include "api/admission.h"
#include "api/console.h"
#include "api/handlers.h"
#include "api/listen.h"
#include "api/request.h"
#include "api/routes_table.h"
#include "api/service.h"
#include "api/server_state.h"
#include "common/jb_datadir.h"
#include "locale/jb_locale.h"

/* ---- the server --------------------------------------------------------------------- */


static unsigned g_gen;


/* the engine's notices (an index rebuilt for a new tokenizer, changes applied
 * at start-up) as log events */
static void on_engine_notice(void *ctx, const char *msg) {
  (void)ctx;
  jb__log_message("engine", msg, NULL);
}

/* ---- MHD glue (loop thread) ---------------------------------------------------------- */

static void run_mhd(jb_server *s);

static void on_timer(uv_timer_t *t) { run_mhd(t->data); }

static void on_poll(uv_poll_t *p, int status, int events) {
  (void)status;
  (void)events;
  run_mhd(p->data);
}

static void run_mhd(jb_server *s) {
  if (!s->d)
    return;
  MHD_run(s->d);
  MHD_UNSIGNED_LONG_LONG to;
  if (MHD_get_timeout(s->d, &to) == MHD_YES)
    uv_timer_start(&s->timer, on_timer, to, 0);
  else
    uv_timer_stop(&s->timer);
}

static enum MHD_Result reply(req *r, int status, char *body, const char *ctype, const char *allow) {
  if (!body) { /* the answer could not be built */
    body = jb_problem_json(503, NULL, jb_msg_format(M_NO_MEMORY, r->call.lang), NULL,
                           r->call.request_id, r->call.lang);
    status = 503;
    ctype = NULL;
  }
  /* a spreadsheet (api/h_sheets.c): its own type, length and file name */
  int sheet = body && status < 300 && r->call.resp_type && !ctype;
  size_t len = body ? (sheet && r->call.resp_len ? r->call.resp_len : strlen(body)) : 0;
  if (sheet)
    ctype = r->call.resp_type;
  struct MHD_Response *resp =
      MHD_create_response_from_buffer_with_free_callback(len, body ? body : (char *)"", body ? free : NULL);
  if (!resp)
    return MHD_NO;
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                          ctype ? ctype : status >= 400 ? "application/problem+json"
                                                        : "application/json");
  if (r->call.request_id[0])
    MHD_add_response_header(resp, "X-Request-Id", r->call.request_id);
  /* /healthz is a probe a balancer calls constantly: nothing in it to sniff
   * or to keep out of a cache */
  if (r->call.route != R_HEALTH) {
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  }
  if (allow)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
  if (sheet && r->call.disposition[0])
    MHD_add_response_header(resp, "Content-Disposition", r->call.disposition);
  if (sheet && r->call.next_cursor[0])
    MHD_add_response_header(resp, "X-Next-Cursor", r->call.next_cursor);
  if (r->call.etag[0] && (status < 300 || status == 304))
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, r->call.etag);
  if (status == 401)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
  if (r->retry_after) {
    char ra[16];
    snprintf(ra, sizeof ra, "%u", r->retry_after);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
  }
  jb_adm_request_complete(r->ac); /* answered: the deadline no longer applies */
  r->status = status;
  r->resp_bytes = len;
  enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)status, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* an error answer: message m of the catalogue in the request's language
 * (use REPLYM, which checks the arguments against both formats), with an
 * Allow header when allow is not NULL */
static enum MHD_Result reply_msg_allow(req *r, int status, const char *allow, jb_msg m, ...) {
  char msg[600];
  va_list ap;
  va_start(ap, m);
  jb_msg_vformat(msg, sizeof msg, m, (jb_lang)r->call.lang, ap);
  va_end(ap);
  return reply(r, status, jb_problem_json(status, NULL, msg, NULL, r->call.request_id, r->call.lang),
               NULL, allow);
}
#define reply_msg(r, status, m) reply_msg_allow((r), (status), NULL, (m))
#define REPLYM(r, status, ID, ...)                                                             \
  (JB_MSG_CHECK(ID, ##__VA_ARGS__), reply_msg_allow((r), (status), NULL, M_##ID, ##__VA_ARGS__))

/* a file of the web console (docs/console.md): its bytes stay in s->console;
 * a strict CSP (no inline script, nothing from elsewhere), no sniffing, no
 * framing, and no CORS header */
static enum MHD_Result reply_console(req *r, const char *name) {
  const char *body, *ctype;
  size_t len;
  if (jb_console_get(r->s->console, name, &body, &len, &ctype) != 0)
    return REPLYM(r, 404, NO_ROUTE);
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
  if (!resp)
    return MHD_NO;
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
  MHD_add_response_header(resp, "Content-Security-Policy",
                          "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
  if (r->call.request_id[0])
    MHD_add_response_header(resp, "X-Request-Id", r->call.request_id);
  jb_adm_request_complete(r->ac);
  r->status = 200;
  r->resp_bytes = len;
  enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
  MHD_destroy_response(resp);
  return ret;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn) {
  jb_server *s = cls;
  /* not calloc: the call's arrays (query pairs, ids) are written before
   * they are read, and zeroing them was a tenth of a /healthz answer */
  req *r = malloc(sizeof *r);
  if (!r)
    return NULL;
  memset(r, 0, offsetof(req, call));
  memset(&r->work, 0, sizeof r->work);
  jb_call *c = &r->call;
  c->method[0] = c->id[0] = c->key_id[0] = c->step[0] = c->request_id[0] = c->org[0] = '\0';
  c->lang = s->cfg.lang;
  c->qs.n = 0;
  c->qs.buf = NULL;
  c->body = NULL;
  c->body_len = 0;
  c->auth = c->resp = NULL;
  c->if_match = c->if_none_match = NULL;
  c->etag[0] = '\0';
  c->content_type = c->accept = NULL;
  c->resp_type = NULL;
  c->resp_len = 0;
  c->disposition[0] = c->next_cursor[0] = '\0';
  c->status = 0;
  c->wrote = 0;
  r->s = s;
  r->conn = conn;
  r->t0 = uv_hrtime();
  r->call.route = -1;
  r->call.type = -1;
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  r->ac = ci ? ci->socket_context : NULL;
  jb_adm_request_line(s->adm, r->ac, jb__now_ms());
  size_t n = strlen(uri);
  if (n > s->cfg.url_max)
    r->uri_too_long = 1;
  else
    r->uri = strdup(uri);
  /* We parse the query ourselves, from our copy of the target (on_request).
   * Right after this callback libmicrohttpd (0.9.70 to 1.0, read in their sources) would split
   * the query in place, after the '?', into records in the connection's
   * memory pool: a few hundred empty parameters exhausted the pool and left
   * the request unanswered, thousands got its HTML 414. Ending its string
   * right after the '?' leaves it nothing to split; the buffer is MHD's
   * writable read buffer, which it is about to write into itself. */
  char *qmark = strchr((char *)(uintptr_t)uri, '?');
  if (qmark)
    qmark[1] = '\0';
  return r;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)conn;
  jb_server *s = cls;
  req *r = *con_cls;
  if (!r)
    return;
  jb_adm_answered(s->adm, r->ac, jb__now_ms());
  if (r->started) {
    s->inflight--;
    double ms = (double)(uv_hrtime() - r->t0) / 1e6;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && r->status == 0)
      r->status = 499; /* the client went away before its answer */
    jb__count(s, r, ms);
    if (s->cfg.log)
    {
      char label[128], rid[300];
      jb_request_id_field(rid, sizeof rid, r->call.request_id);
      jb__log_line("\"method\":\"%s\",\"route\":\"%s\",\"status\":%d,\"bytes\":%zu,\"ms\":%.3f,"
               "\"key\":\"%s\"%s%s",
               r->call.method, jb__route_label(r->call.route, r->call.type, label, sizeof label),
               r->status, r->resp_bytes,
               ms, r->call.key_id[0] ? r->call.key_id : "-",
               toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : ",\"aborted\":true", rid);
    }
  }
  jb_qs_free(&r->call.qs);
  free(r->call.auth);
  free(r->call.if_match);
  free(r->call.if_none_match);
  free(r->call.content_type);
  free(r->call.accept);
  free(r->call.resp);
  free(r->body);
  free(r->uri);
  free(r);
  *con_cls = NULL;
}

/* connections (admission.c): the accept policy, each connection's record
 * and the sweep that enforces limits.request_seconds */

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len) {
  jb_server *s = cls;
  return jb_adm_admit(s->adm, addr, len) ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
  jb_server *s = cls;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    const union MHD_ConnectionInfo *fd = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    const union MHD_ConnectionInfo *ad = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ad ? ad->client_addr : NULL;
    socklen_t len = !sa ? 0
                    : sa->sa_family == AF_INET6 ? (socklen_t)sizeof(struct sockaddr_in6)
                                                : (socklen_t)sizeof(struct sockaddr_in);
    *socket_context = fd ? jb_adm_opened(s->adm, sa, len, fd->connect_fd, jb__now_ms()) : NULL;
  } else {
    jb_adm_closed(s->adm, *socket_context);
    *socket_context = NULL;
  }
}

static void on_sweep(uv_timer_t *t) {
  jb_server *s = t->data;
  if (jb_adm_sweep(s->adm, jb__now_ms()))
    run_mhd(s); /* let MHD see the shut sockets now */
}

/* warm-up: every worker opens its read-only engine and loads the bilingual
 * lexicon before the port listens (loading the lexicons takes a while; the
 * first requests should not pay it).
 * The barrier holds each job until all have started, so each lands on its
 * own thread. */
typedef struct {
  uv_work_t w;
  jb_server *s;
  uv_barrier_t *b;
  char err[512];
  int ok;
} warmjob;

static void warm_work(uv_work_t *w) {
  warmjob *j = w->data;
  jb_engine *e = jb__srv_reader(j->s, j->err, sizeof j->err);
  j->ok = e != NULL;
  if (e)
    jb_engine_match_prepare(e);
  uv_barrier_wait(j->b);
}

static void warm_after(uv_work_t *w, int status) {
  (void)w;
  (void)status;
}

/* requests ------------------------------------------------------------------------------ */

static void work_cb(uv_work_t *w) {
  req *r = w->data;
  jb__routes_run(r->s, &r->call);
}

static void after_cb(uv_work_t *w, int status);

/* hands a suspended request's job to the pool (s->jobs counts it already):
 * 0, or -1 when the pool refused it (the caller answers 503) */
static int start_job(jb_server *s, req *r) {
  r->t_run = uv_hrtime();
  if (uv_queue_work(&s->loop, &r->work, work_cb, after_cb) != 0) {
    s->jobs--;
    if (r->expensive) {
      r->expensive = 0;
      req *next = jb_gate_done(&s->gate, 0);
      if (next && start_job(s, next) != 0) { /* the pool refuses all: answer it too */
        next->call.status = 503;
        next->call.resp = jb_problem_json(503, NULL, jb_msg_format(M_NO_QUEUE, next->call.lang),
                                          NULL, next->call.request_id, next->call.lang);
        next->have_resp = 1;
        MHD_resume_connection(next->conn);
      }
    }
    return -1;
  }
  return 0;
}

static void after_cb(uv_work_t *w, int status) {
  (void)status;
  req *r = w->data;
  jb_server *s = r->s;
  s->jobs--;
  r->have_resp = 1;
  if (r->call.key_id[0])
    jb_buckets_take(&s->buckets, r->call.key_id, jb__now_ms());
  if (r->expensive) {
    r->expensive = 0;
    req *next = jb_gate_done(&s->gate, (double)(uv_hrtime() - r->t_run) / 1e6);
    if (next && start_job(s, next) != 0) {
      next->call.status = 503;
      next->call.resp = jb_problem_json(503, NULL, jb_msg_format(M_NO_QUEUE, next->call.lang),
                                        NULL, next->call.request_id, next->call.lang);
      next->have_resp = 1;
      MHD_resume_connection(next->conn);
    }
  }
  if (strcmp(r->call.method, "GET") && r->call.status < 300)
    jb__hooks_wake(s); /* a change may have written webhook events */
  if (r->call.wrote) {
    jb__schedule_sync(s);
    int64_t seq = r->call.wrote;
    if (seq > s->last_seq)
      s->last_seq = seq;
  }
  MHD_resume_connection(r->conn);
  run_mhd(s);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls) {
  (void)url;
  (void)version;
  jb_server *s = cls;
  req *r = *con_cls;
  if (!r)
    return MHD_NO;
  if (!r->started) {
    r->started = 1;
    r->conn = conn;
    s->inflight++;
    snprintf(r->call.method, sizeof r->call.method, "%s", strlen(method) < 8 ? method : "OTHER");
    /* the request id (the client's when sane, else ours) and the language,
     * before anything can be refused */
    const char *rid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    if (rid && jb_request_id_ok(rid))
      snprintf(r->call.request_id, sizeof r->call.request_id, "%s", rid);
    else
      snprintf(r->call.request_id, sizeof r->call.request_id, "%012llx-%llx",
               (unsigned long long)(s->rid_seed & 0xffffffffffffull),
               (unsigned long long)++s->rid_next);
    r->call.lang = (int)jb_lang_accept(
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE),
        (jb_lang)s->cfg.lang);
    jb_msg msg = M_NO_MEMORY;
    int st = jb__precheck(s, r, method, &msg);
    if (st) {
      r->refused = 1;
      return reply_msg(r, st, msg);
    }
    return MHD_YES;
  }
  if (*upload_size) {
    if (!r->body_too_big) {
      if (r->blen + *upload_size > s->cfg.body_max) {
        r->body_too_big = 1;
        free(r->body);
        r->body = NULL;
        r->blen = r->bcap = 0;
      } else {
        if (r->blen + *upload_size + 1 > r->bcap) {
          size_t cap = r->bcap ? r->bcap : 4096;
          while (cap < r->blen + *upload_size + 1)
            cap *= 2;
          char *b = realloc(r->body, cap);
          if (!b)
            return MHD_NO;
          r->body = b;
          r->bcap = cap;
        }
        memcpy(r->body + r->blen, upload_data, *upload_size);
        r->blen += *upload_size;
        r->body[r->blen] = '\0';
      }
    }
    *upload_size = 0;
    return MHD_YES;
  }
  /* the whole request is in: its deadline no longer applies (a search may
   * wait in the expensive queue longer than limits.request_seconds) */
  jb_adm_request_complete(r->ac);
  if (r->have_resp) {
    char *body = r->call.resp;
    r->call.resp = NULL;
    return reply(r, r->call.status, body, NULL, NULL);
  }
  if (r->body_too_big) {
    r->refused = 1;
    return REPLYM(r, 413, BODY_TOO_LARGE);
  }
  if (s->stopping) {
    r->refused = 1;
    return REPLYM(r, 503, STOPPING);
  }
  /* route on the raw target: our own decoding, our own query parser */
  char *q = strchr(r->uri, '?');
  size_t plen = q ? (size_t)(q - r->uri) : strlen(r->uri);
  char path[4200];
  if (plen >= sizeof path) {
    r->refused = 1;
    return REPLYM(r, 414, PATH_TOO_LONG);
  }
  memcpy(path, r->uri, plen);
  path[plen] = '\0';
  const char *allow = NULL;
  int st = jb__route(method, path, &r->call, &allow);
  if (st == 405) {
    return reply_msg_allow(r, 405, allow, M_METHOD, r->call.method, allow);
  }
  if (st)
    return st == 404 ? REPLYM(r, 404, NO_ROUTE) : REPLYM(r, st, BAD_PATH);
  char err[256];
  int rc = jb_qs_parse(q ? q + 1 : NULL, q ? strlen(q + 1) : 0, &r->call.qs, err, sizeof err);
  if (rc != JB_OK)
    return rc == JB_ENOMEM ? REPLYM(r, 503, NO_MEMORY)
                           : reply(r, 400, jb_problem_json(400, NULL, err, NULL, r->call.request_id,
                                                           r->call.lang), NULL, NULL);
  if (jb__routes[r->call.route].flags & F_STATIC) {
    if (r->call.qs.n) /* the console's files take none */
      return REPLYM(r, 400, UNKNOWN_PARAM, r->call.qs.v[0].key);
    return reply_console(r, r->call.route == R_CONSOLE ? "index.html" : r->call.id);
  }
  if (jb__routes[r->call.route].flags & F_LOOP) {
    if (r->call.qs.n) /* the loop routes take none (the table's NONE) */
      return REPLYM(r, 400, UNKNOWN_PARAM, r->call.qs.v[0].key);
    const char *ctype = NULL;
    char *b = jb__routes[r->call.route].loop(s, &ctype);
    return reply(r, 200, b, ctype, NULL);
  }
  const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  if (auth && !(r->call.auth = strdup(auth)))
    return REPLYM(r, 503, NO_MEMORY);
  /* conditional requests (api/h_precond.c) */
  const char *im = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH);
  const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
  if ((im && !(r->call.if_match = strdup(im))) || (inm && !(r->call.if_none_match = strdup(inm))))
    return REPLYM(r, 503, NO_MEMORY);
  /* spreadsheets in and out (api/h_sheets.c) */
  const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
  const char *acc = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
  if ((ct && !(r->call.content_type = strdup(ct))) || (acc && !(r->call.accept = strdup(acc))))
    return REPLYM(r, 503, NO_MEMORY);
  r->call.body = r->body;
  r->call.body_len = r->blen;
  r->work.data = r;
  /* the per-key rate: by the id the key claims; only an authenticated
   * request takes a token (after_cb), so a forged id drains nothing */
  if (auth && !strncmp(auth, "Bearer jb_", 10) && strlen(auth) > 27) {
    char id[24];
    snprintf(id, sizeof id, "%.17s", auth + 10);
    unsigned wait = jb_buckets_check(&s->buckets, id, jb__now_ms());
    if (wait) {
      s->rate_429++;
      r->retry_after = wait;
      return REPLYM(r, 429, KEY_RATE);
    }
  }
  int go = 1;
  if (jb__route_expensive(r->call.route)) {
    go = jb_gate_enter(&s->gate, r);
    if (go < 0) {
      s->busy_429++;
      r->retry_after = jb_gate_retry_after(&s->gate);
      return REPLYM(r, 429, BUSY);
    }
    r->expensive = 1;
  }
  MHD_suspend_connection(conn);
  s->jobs++;
  if (go && start_job(s, r) != 0) {
    MHD_resume_connection(conn);
    return REPLYM(r, 503, NO_QUEUE);
  }
  return MHD_YES;
}

/* ---- start and stop ------------------------------------------------------------------ */

static void on_close(uv_handle_t *h) { (void)h; }

static void on_drain(uv_timer_t *t) {
  jb_server *s = t->data;
  if ((s->inflight || s->jobs) && uv_now(&s->loop) < s->stop_at)
    return;
  if (s->inflight || s->jobs)
    jb__log_line("\"event\":\"stopping\",\"message\":\"%u requests still open after 30 s: closing\"",
             s->inflight);
  if (s->jobs) /* a worker still runs: wait for it whatever the clock says */
    return;
  uv_timer_stop(t);
  MHD_stop_daemon(s->d);
  s->d = NULL;
  uv_poll_stop(&s->poll);
  uv_close((uv_handle_t *)&s->poll, on_close);
  uv_close((uv_handle_t *)&s->timer, on_close);
  uv_close((uv_handle_t *)&s->drain, on_close);
  uv_close((uv_handle_t *)&s->retry, on_close);
  uv_timer_stop(&s->sweep);
  uv_close((uv_handle_t *)&s->sweep, on_close);
  uv_close((uv_handle_t *)&s->sigint, on_close);
  uv_close((uv_handle_t *)&s->sigterm, on_close);
}

static void on_signal(uv_signal_t *h, int sig) {
  jb_server *s = h->data;
  if (s->stopping)
    return;
  s->stopping = 1;
  jb_service_stopping(); /* STOPPING=1; its handles closed */
  MHD_socket ls = MHD_quiesce_daemon(s->d);
  if (ls != MHD_INVALID_SOCKET)
    close(ls);
  jb__log_line("\"event\":\"stopping\",\"signal\":%d,\"in_flight\":%u", sig, s->inflight);
  s->stop_at = uv_now(&s->loop) + 30000;
  uv_timer_stop(&s->retry);
  uv_timer_start(&s->drain, on_drain, 0, 10);
}

static int load_openapi(jb_server *s, char *err, size_t errlen) {
  char where[4200];
  const char *paths[] = {jb_datafile("openapi.json", where, sizeof where) ? where : ""};
  for (size_t i = 0; i < 1; i++) {
    FILE *f = fopen(paths[i], "rb");
    if (!f)
      continue;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    s->openapi = n > 0 ? malloc((size_t)n + 1) : NULL;
    if (s->openapi && fread(s->openapi, 1, (size_t)n, f) == (size_t)n) {
      s->openapi[n] = '\0';
      s->openapi_len = (size_t)n;
      fclose(f);
      return 0;
    }
    fclose(f);
    free(s->openapi);
    s->openapi = NULL;
  }
  snprintf(err, errlen, "openapi.json not found in %s (JIEBANG_DATADIR sets where the data is)",
           jb_datadir());
  return -1;
}

int jb_serve(const jb_server_config *cfg, void (*ready)(const char *addr)) {
  jb_server *s = calloc(1, sizeof *s);
  if (!s) {
    jb__log_message("start_failed", "out of memory", NULL);
    return 1;
  }
  s->cfg = *cfg;
  s->gen = ++g_gen;
  memset(s->series_of, 0xff, sizeof s->series_of); /* every entry -1: not counted yet */
  s->started_at = (uint64_t)time(NULL);
  { /* request ids: a random seed (the time and pid when /dev/urandom fails) */
    FILE *ur = fopen("/dev/urandom", "rb");
    if (!ur || fread(&s->rid_seed, sizeof s->rid_seed, 1, ur) != 1)
      s->rid_seed = (uint64_t)uv_hrtime() ^ ((uint64_t)getpid() << 32);
    if (ur)
      fclose(ur);
  }
  char err[1024], addr[160];
  int fd = -1, rc = 1;
  jb_match_weights_init(&s->weights);
  if (cfg->weights[0] && jb_match_weights_load(&s->weights, cfg->weights, err, sizeof err) != JB_OK)
    goto fail;
  if (load_openapi(s, err, sizeof err) != 0)
    goto fail;
  if (!(s->console = jb_console_load(err, sizeof err)))
    goto fail;
  if (jb_criteria_parse(&s->criteria, cfg->criteria, err, sizeof err) != JB_OK)
    goto fail;
  jb_engine_opts o = {0, on_engine_notice, NULL, 1};
  if (jb_engine_open(cfg->data, &o, &s->writer, err, sizeof err) != JB_OK) {
    s->writer = NULL;
    goto fail;
  }
  jb_engine_seq(s->writer, &s->last_seq, &s->applied, &s->outbox);
  s->quarantined = jb_engine_quarantined(s->writer);
  if (jb_cidrs_parse(&s->hook_allow, cfg->hook_allow, err, sizeof err) != JB_OK)
    goto fail;
  if ((fd = jb_listen_socket(cfg->listen, addr, sizeof addr, err, sizeof err)) < 0)
    goto fail;
  char nw[16];
  snprintf(nw, sizeof nw, "%u", cfg->workers);
  setenv("UV_THREADPOOL_SIZE", nw, 1);
  uv_mutex_init(&s->wlock);
  uv_mutex_init(&s->rlock);
  uv_loop_init(&s->loop);
  if (!(s->reindex = jb__reindex_new())) {
    snprintf(err, sizeof err, "out of memory");
    goto fail_loop;
  }
  {
    uv_barrier_t b;
    uv_barrier_init(&b, cfg->workers);
    warmjob *wj = calloc(cfg->workers, sizeof *wj);
    int warm_ok = wj != NULL;
    for (unsigned i = 0; wj && i < cfg->workers; i++) {
      wj[i].s = s;
      wj[i].b = &b;
      wj[i].w.data = &wj[i];
      uv_queue_work(&s->loop, &wj[i].w, warm_work, warm_after);
    }
    if (wj)
      uv_run(&s->loop, UV_RUN_DEFAULT);
    for (unsigned i = 0; wj && i < cfg->workers; i++)
      if (!wj[i].ok && warm_ok) {
        snprintf(err, sizeof err, "%s", wj[i].err);
        warm_ok = 0;
      }
    free(wj);
    uv_barrier_destroy(&b);
    if (!warm_ok)
      goto fail_loop;
  }
  if (!(s->hooks = jb__hooks_start(s, err, sizeof err)))
    goto fail_loop;
  {
    unsigned per_ip = cfg->conn_per_ip ? cfg->conn_per_ip : cfg->conn_max / 20 > 8 ? cfg->conn_max / 20 : 8;
    unsigned reserve = cfg->conn_reserve ? cfg->conn_reserve : cfg->conn_max / 10;
    unsigned exp = cfg->expensive_workers ? cfg->expensive_workers : cfg->workers / 2;
    if (exp > cfg->workers)
      exp = cfg->workers;
    s->adm = jb_adm_new(cfg->conn_max, per_ip, reserve, (uint64_t)cfg->request_timeout * 1000,
                        (uint64_t)cfg->idle_timeout * 1000);
    jb_buckets_init(&s->buckets, cfg->key_rate / 60.0,
                    cfg->key_burst ? cfg->key_burst : cfg->key_rate / 10 > 1 ? cfg->key_rate / 10 : 1);
    if (!s->adm || jb_gate_init(&s->gate, exp ? exp : 1, cfg->expensive_queue) != 0) {
      snprintf(err, sizeof err, "out of memory");
      goto fail_loop;
    }
  }
  /* room for a request line of up to five times limits.url_bytes (so that
   * one well over it still gets our JSON 414, not MHD's HTML one: MHD no
   * longer splits the query into this pool, see on_uri) and for the headers
   * our limits admit with MHD's records of them. MHD clears the whole pool
   * for every request (docs/benchmarks.md: 36 KiB cost /healthz a tenth of
   * its rate against 20 KiB), so it grows only by the target's share. */
  size_t mem = 2 * cfg->url_max + cfg->header_max + 8192;
  s->d = MHD_start_daemon(
      MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME, 0, on_accept, s, on_request, s,
      MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
      s, MHD_OPTION_CONNECTION_LIMIT, cfg->conn_max, MHD_OPTION_CONNECTION_TIMEOUT,
      cfg->idle_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT, mem, MHD_OPTION_STRICT_FOR_CLIENT,
      1, MHD_OPTION_END);
  if (!s->d) {
    snprintf(err, sizeof err, "the HTTP daemon did not start on %s", addr);
    goto fail_loop;
  }
  fd = -1; /* MHD owns it now */
  const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_EPOLL_FD);
  uv_poll_init(&s->loop, &s->poll, di->epoll_fd);
  s->poll.data = s;
  uv_poll_start(&s->poll, UV_READABLE, on_poll);
  uv_timer_init(&s->loop, &s->timer);
  uv_timer_init(&s->loop, &s->drain);
  uv_timer_init(&s->loop, &s->retry);
  uv_timer_init(&s->loop, &s->sweep);
  s->timer.data = s->drain.data = s->retry.data = s->sweep.data = s;
  uv_timer_start(&s->sweep, on_sweep, 250, 250);
  uv_signal_init(&s->loop, &s->sigint);
  uv_signal_init(&s->loop, &s->sigterm);
  s->sigint.data = s->sigterm.data = s;
  uv_signal_start(&s->sigint, on_signal, SIGINT);
  uv_signal_start(&s->sigterm, on_signal, SIGTERM);
  if (s->outbox > 0)
    jb__schedule_sync(s);
  if (ready)
    ready(addr);
  jb_service_start(&s->loop, addr); /* READY=1, the watchdog, SIGHUP */
  run_mhd(s);
  uv_run(&s->loop, UV_RUN_DEFAULT);
  jb__hooks_stop(s->hooks); /* what is not delivered stays due in the store */
  s->hooks = NULL;
  /* a live reindex still building stops (its new directory goes) */
  jb__reindex_stop(s->reindex);
  s->reindex = NULL;
  /* every request answered, every worker idle: apply what is left */
  rc = 0;
  if ((s->sync_failing && jb_engine_reopen_index(s->writer) != JB_OK) ||
      jb_engine_sync(s->writer) != JB_OK) {
    jb__log_message("index_sync_failed", jb_engine_error(s->writer),
                    "the changes are stored and applied at the next start");
  }
  jb__log_line("\"event\":\"stopped\"");
fail_loop:
  jb__hooks_stop(s->hooks);
  s->hooks = NULL;
  jb__reindex_stop(s->reindex);
  uv_loop_close(&s->loop);
  for (size_t i = 0; i < s->nreaders; i++)
    jb_engine_close(s->readers[i]);
  uv_mutex_destroy(&s->wlock);
  uv_mutex_destroy(&s->rlock);
fail:
  if (rc != 0) /* one JSON line, as every other event (docs/operations.md, Logs) */
    jb__log_message("start_failed", err, NULL);
  if (fd >= 0)
    close(fd);
  jb_engine_close(s->writer);
  jb_adm_free(s->adm);
  jb_gate_free(&s->gate);
  jb_buckets_free(&s->buckets);
  free(s->openapi);
  jb_console_free(s->console);
  free(s);
  return rc;
}

