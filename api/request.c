/* SPDX-License-Identifier: GPL-3.0-or-later */
/* request.c: the helpers every handler shares (request.h). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "api/authz.h"
#include "api/body.h"
#include "api/handlers.h"
#include "api/highlight.h"
#include "api/request.h"
#include "engine/record.h"
#include "locale/jb_locale.h"

/* ---- helpers -------------------------------------------------------------------------- */

void jb__answer(jb_call *c, int status, json_t *body) {
  c->status = status;
  c->resp = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
  json_decref(body);
  if (!c->resp) {
    c->status = 500;
    c->resp = jb_problem_json(500, NULL, "out of memory", NULL, c->request_id, c->lang);
  }
}


static void fail_text(jb_call *c, int status, json_t *errors, const char *msg) {
  char field[128];
  if (!errors && status == 400 && jb_detail_field(msg, field, sizeof field)) {
    size_t fl = strlen(field);
    errors = json_pack("[{s:s,s:s}]", "field", field, "detail", msg + fl + 2);
  }
  char *etext = errors ? json_dumps(errors, JSON_COMPACT) : NULL;
  json_decref(errors);
  c->status = status;
  free(c->resp);
  c->resp = jb_problem_json(status, NULL, msg, etext, c->request_id, c->lang);
  free(etext);
}

void jb__fail(jb_call *c, int status, const char *fmt, ...) {
  char msg[1200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fail_text(c, status, NULL, msg);
}

void jb__failm(jb_call *c, int status, jb_msg m, ...) {
  char msg[1200];
  va_list ap;
  va_start(ap, m);
  jb_msg_vformat(msg, sizeof msg, m, (jb_lang)c->lang, ap);
  va_end(ap);
  fail_text(c, status, NULL, msg);
}

void jb__fail_errors(jb_call *c, int status, json_t *errors, const char *fmt, ...) {
  char msg[1200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fail_text(c, status, errors, msg);
}


/* one JSON line on stderr for an event a request met (strings escaped) */
void jb__log_event(const jb_call *c, const char *event, const char *code, const char *message) {
  char f[2048], rid[300];
  jb_log_fields(f, sizeof f, event, code, message, NULL);
  jb_request_id_field(rid, sizeof rid, c ? c->request_id : NULL);
  fprintf(stderr, "{%s%s}\n", f, rid);
}

json_t *jb__emsg_errors(const jb_emsg *m, int lang) {
  char d[1200];
  if (!m || m->id == JB_EM_NONE)
    return NULL;
  jb_emsg_render(m, lang, 0, d, sizeof d);
  json_t *e = json_pack("{s:s,s:s}", "code", jb_emsg_code(m->id), "detail", d);
  if (e && m->field[0])
    json_object_set_new(e, "field", json_string(m->field));
  json_t *a = e ? json_array() : NULL;
  if (a)
    json_array_append_new(a, e);
  else
    json_decref(e);
  return a;
}

void jb__fail_emsg(jb_call *c, int status, const jb_emsg *m, const char *text) {
  if (!m || m->id == JB_EM_NONE) {
    jb__fail(c, status, "%s", text && *text ? text : jb__status_code(status));
    return;
  }
  char d[1400];
  jb_emsg_render(m, c->lang, 1, d, sizeof d);
  jb__fail_errors(c, status, jb__emsg_errors(m, c->lang), "%s", d);
}

void jb__engine_refuse(jb_call *c, jb_engine *e, int status) {
  jb__fail_emsg(c, status, jb_engine_error_msg(e), e ? jb_engine_error(e) : "");
}

/* an engine error as an HTTP error: validation and references are the
 * caller's (400), conflicts 409, contention 503; anything else is ours and
 * its details go to the log only. The engine's message is rendered in the
 * request's language when it is one of the catalogue's. */
void jb__engine_fail(jb_call *c, jb_engine *e, int rc) {
  const char *m = e ? jb_engine_error(e) : "";
  const jb_emsg *em = e ? jb_engine_error_msg(e) : NULL;
  switch (rc) {
  case JB_EINVAL:
  case JB_ESYNTAX:
  case JB_EUTF8:
  case JB_ETOOBIG:
    jb__fail_emsg(c, 400, em, m[0] ? m : jb_strerror(rc));
    break;
  case JB_ENOENT:
    jb__fail_emsg(c, 400, em, m[0] ? m : "a referenced record does not exist");
    break;
  case JB_ECONFLICT:
  case JB_EEXIST:
    jb__fail_emsg(c, 409, em, m[0] ? m : jb_strerror(rc));
    break;
  case JB_ELOCKED:
    JB_FAILM(c, 503, STORE_BUSY);
    break;
  case JB_ESTALE:
    JB_FAILM(c, 503, INDEX_STALE);
    break;
  default:
    /* the details go to the log only, never to the client */
    jb__log_event(c, "internal_error", jb_errname(rc), m);
    JB_FAILM(c, 500, INTERNAL, jb_errname(rc));
  }
}

/* checks that the query holds only the given parameters */
int jb__only_params(jb_call *c, const char *const *names) {
  for (size_t i = 0; i < c->qs.n; i++) {
    int ok = 0;
    for (size_t k = 0; names[k] && !ok; k++)
      ok = !strcmp(c->qs.v[i].key, names[k]);
    if (!ok) {
      JB_FAILM(c, 400, UNKNOWN_PARAM, c->qs.v[i].key);
      return 0;
    }
  }
  return 1;
}

/* a whole-number parameter in [min, max]; *v keeps its default when absent */
int jb__num_param(jb_call *c, const char *name, long long min, long long max, long long *v) {
  const char *s = jb_qs_get(&c->qs, name);
  if (!s)
    return 1;
  char *end;
  errno = 0;
  long long n = strtoll(s, &end, 10);
  if (!*s || *end || errno || n < min || n > max || (*s == '+' || *s == ' ')) {
    JB_FAILM(c, 400, BAD_NUMBER, name, min, max);
    return 0;
  }
  *v = n;
  return 1;
}

int jb__bool_param(jb_call *c, const char *name, int *v) {
  const char *s = jb_qs_get(&c->qs, name);
  if (!s)
    return 1;
  if (!strcmp(s, "true") || !strcmp(s, "1"))
    *v = 1;
  else if (!strcmp(s, "false") || !strcmp(s, "0"))
    *v = 0;
  else {
    JB_FAILM(c, 400, BAD_BOOL, name);
    return 0;
  }
  return 1;
}

/* ---- authentication -------------------------------------------------------------------- */

int jb__authenticate(jb_call *c, jb_engine *e, jb_key_info *k) {
  if (!c->auth) {
    JB_FAILM(c, 401, NO_KEY);
    return 0;
  }
  if (strncmp(c->auth, "Bearer ", 7)) {
    JB_FAILM(c, 401, BAD_AUTH);
    return 0;
  }
  int rc = jb_engine_key_check(e, c->auth + 7, strlen(c->auth + 7), k);
  if (rc == JB_EPERM) {
    JB_FAILM(c, 401, BAD_KEY);
    return 0;
  }
  if (rc != JB_OK) {
    jb__engine_fail(c, e, rc);
    return 0;
  }
  snprintf(c->key_id, sizeof c->key_id, "%s", k->id);
  return 1;
}

/* waits (bounded) until the index has applied min_seq */
int jb__wait_seq(jb_server *s, jb_call *c, jb_engine *e) {
  long long want = 0;
  if (!jb__num_param(c, "min_seq", 0, INT64_MAX, &want))
    return 0;
  int64_t have = 0;
  unsigned waited = 0, max = jb__srv_config(s)->wait_max_ms;
  for (;;) {
    int rc = jb_engine_refresh(e, &have);
    if (rc != JB_OK) {
      jb__engine_fail(c, e, rc);
      return 0;
    }
    if (have >= want)
      return 1;
    if (waited >= max)
      break;
    usleep(5000);
    waited += 5;
  }
  JB_FAILM(c, 503, WAIT_SEQ,
       (long long)have, want, max);
  return 0;
}

json_t *jb__parse_record(const char *text) {
  return text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
}

/* the body as a C string (server.c keeps it NUL-terminated), or NULL after
 * a 400 when there is none or it holds a NUL byte */
const char *jb__body_text(jb_call *c, const char *what) {
  if (!c->body || !c->body_len || strlen(c->body) != c->body_len) {
    JB_FAILM(c, 400, BODY_REQUIRED, what);
    return NULL;
  }
  return c->body;
}

/* the stored record (a new reference), or NULL when it is absent */
json_t *jb__stored_record(jb_engine *e, const char *type, const char *id) {
  char *text = NULL;
  json_t *rec = jb_engine_get(e, type, id, &text) == JB_OK ? jb__parse_record(text) : NULL;
  free(text);
  return rec;
}

/* 1 when (type, id) exists and k may see it */
int jb__sees_record(jb_engine *e, const jb_key_info *k, const char *type, const char *id) {
  json_t *rec = jb__stored_record(e, type, id);
  int vis = rec && jb_authz_visible(k, jb_rec_type_of(type), rec);
  json_decref(rec);
  return vis;
}

/* the challenge if k may see it (else a 404 is answered and NULL returned) */
json_t *jb__visible_challenge(jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *ch = jb__stored_record(e, "challenge", c->id);
  if (!ch || !jb_authz_visible(k, JB_REC_CHALLENGE, ch)) {
    json_decref(ch);
    JB_FAILM(c, 404, CHALLENGE_NOT_FOUND, c->id);
    return NULL;
  }
  return ch;
}

const char *jb__status_code(int status) { return jb_problem_of_status(status)->code; }

