/* SPDX-License-Identifier: GPL-3.0-or-later */
/* server_state.c: the running server's state as the handlers see it (the
 * engines, the configuration) and its log lines. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api/server_state.h"

static _Thread_local jb_engine *tl_reader;
static _Thread_local unsigned tl_gen;


const jb_server_config *jb__srv_config(const jb_server *s) { return &s->cfg; }
const jb_match_weights *jb__srv_weights(const jb_server *s) { return &s->weights; }
const jb_criteria *jb__srv_criteria(const jb_server *s) { return &s->criteria; }

jb_engine *jb__srv_reader(jb_server *s, char *err, size_t errlen) {
  if (tl_reader && tl_gen == s->gen)
    return tl_reader;
  jb_engine_opts o = {1, NULL, NULL, 0};
  jb_engine *e = NULL;
  if (jb_engine_open(s->cfg.data, &o, &e, err, errlen) != JB_OK)
    return NULL;
  uv_mutex_lock(&s->rlock);
  if (s->nreaders == MAX_READERS) {
    uv_mutex_unlock(&s->rlock);
    jb_engine_close(e);
    snprintf(err, errlen, "too many worker threads");
    return NULL;
  }
  s->readers[s->nreaders++] = e;
  uv_mutex_unlock(&s->rlock);
  tl_reader = e;
  tl_gen = s->gen;
  return e;
}

jb_engine *jb__srv_writer_lock(jb_server *s) {
  uv_mutex_lock(&s->wlock);
  return s->writer;
}

void jb__srv_writer_unlock(jb_server *s) { uv_mutex_unlock(&s->wlock); }

jb_engine *jb__srv_writer_trylock(jb_server *s) {
  return uv_mutex_trylock(&s->wlock) == 0 ? s->writer : NULL;
}

/* ---- logging and metrics (loop thread) --------------------------------------------- */

void jb__log_line(const char *fmt, ...) {
  char ts[40];
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  struct tm tm;
  gmtime_r(&now.tv_sec, &tm);
  size_t n = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(ts + n, sizeof ts - n, ".%03ldZ", now.tv_nsec / 1000000);
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fprintf(stderr, "{\"t\":\"%s\",%s}\n", ts, msg);
}

/* logs {"event":EVENT,"message":MSG} with MSG escaped as a JSON string, and
 * "note":NOTE when NOTE is given (jb_log_fields: always one valid line) */
void jb__log_message(const char *event, const char *msg, const char *note) {
  char f[1024];
  jb_log_fields(f, sizeof f, event, NULL, msg, note);
  jb__log_line("%s", f);
}
