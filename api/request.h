/* SPDX-License-Identifier: GPL-3.0-or-later */
/* request.h: one API request's work (jb_call) and the helpers every handler
 * shares: answering, failing, query parameters, authentication, waiting for
 * the index, the body, stored records. Internal to api/. All run on a worker
 * thread except where noted. */
#ifndef JB_REQUEST_H
#define JB_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "api/logfmt.h"
#include "api/messages.h"
#include "api/problem.h"
#include "api/qs.h"
#include "engine/jiebang.h"

typedef struct jb_server jb_server;

/* One request's work, filled on the loop thread, run on a worker
 * (jb__routes_run), answered on the loop thread. */
typedef struct {
  /* in */
  int route;     /* R_* of api/routes_table.h, -1 for none */
  char method[8];
  int type;      /* record type of the path, -1 for none */
  char id[513];  /* record or key id of the path (JB_ID_STORED_MAX_BYTES + 1) */
  char step[32]; /* a sub-step of the path (milestones/{step}) */
  char org[513]; /* a second id of the path ({org}: an application's lead org) */
  char allow[64]; /* after a 405: the methods the path takes ("GET, POST") */
  jb_qs qs;
  const char *body; /* NUL-terminated (body_len bytes before the NUL), or NULL */
  size_t body_len;
  char *auth;    /* the Authorization header (malloc'd copy) or NULL */
  /* If-Match, If-None-Match (malloc'd copies, or NULL) */
  char *if_match, *if_none_match;
  char request_id[129]; /* X-Request-Id: the client's (jb_request_id_ok) or ours */
  int lang;      /* jb_lang of the answer's messages (Accept-Language, else `lang`) */
  /* out */
  int status;
  char *resp;    /* malloc'd JSON */
  char key_id[24];
  int64_t wrote; /* sequence number of the change made (0: none): wakes the indexer */
  char etag[36]; /* the answer's ETag ("" for none; jb_rec_etag) */
  /* spreadsheets (api/h_sheets.c): the request's Content-Type and Accept
   * (malloc'd copies or NULL); a 2xx answer's media type (static; NULL:
   * JSON), its length when it is not text (0: strlen), Content-Disposition
   * and next page's cursor (X-Next-Cursor) ("" for none) */
  char *content_type, *accept;
  const char *resp_type;
  size_t resp_len;
  char disposition[160];
  char next_cursor[1024];
} jb_call;

/* The error code of an HTTP status ("bad_request", "not_found", ...; static
 * storage; the problem type table of problem.c). Any thread. */
const char *jb__status_code(int status);

/* Sets c's answer: status and body (consumed; NULL for none). When the body
 * cannot be serialised the answer is a 500. */
void jb__answer(jb_call *c, int status, json_t *body);

/* Sets c's answer to an RFC 9457 problem (jb_problem_json) of the given
 * status with a printf detail, in c->lang, with c->request_id. A detail
 * that starts with a field path ("org: ...", "budget.total: ...",
 * "members[2]: ...") also lists it in errors[]. */
void jb__fail(jb_call *c, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* As jb__fail with message m of the catalogue (messages.h) in c->lang; use
 * it as JB_FAILM(c, status, ID, args...), which checks the arguments
 * against both languages' formats at compile time. */
void jb__failm(jb_call *c, int status, jb_msg m, ...);
#define JB_FAILM(c, status, ID, ...)                                                            \
  (JB_MSG_CHECK(ID, ##__VA_ARGS__), jb__failm((c), (status), M_##ID, ##__VA_ARGS__))

/* As jb__fail with errors[] given: errors is a JSON array of {"field",
 * "detail"} (consumed; NULL for none). */
void jb__fail_errors(jb_call *c, int status, json_t *errors, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));


/* An engine error as an HTTP error: validation and references are the
 * caller's (400), conflicts 409, contention 503; anything else is ours (500)
 * and its details go to the log only. e may be NULL. A message of the
 * engine's catalogue (engine/emsg.h) is rendered in c->lang, with its code
 * (and field path) in errors[] (jb__fail_emsg). */
void jb__engine_fail(jb_call *c, jb_engine *e, int rc);

/* The engine's last refusal as a problem of the given status (403, 404,
 * 409 for rules), rendered as jb__fail_emsg does; e may be NULL. */
void jb__engine_refuse(jb_call *c, jb_engine *e, int status);

/* A problem of the given status from catalogue message m in c->lang: the
 * detail is the message with its field path first, errors[] is
 * [{"code", "detail" (without the field), "field" (when it has one)}]. A
 * NULL m or one without an id gives a plain problem with text as the
 * detail (the status's code when text is NULL or ""). */
void jb__fail_emsg(jb_call *c, int status, const jb_emsg *m, const char *text);

/* The errors[] array of m in lang, as jb__fail_emsg writes it (a new
 * reference), or NULL when m is NULL, holds no message or out of memory. */
json_t *jb__emsg_errors(const jb_emsg *m, int lang);

/* One JSON line on stderr for an event a request met (strings escaped;
 * code may be NULL), with c's request id (c may be NULL). */
void jb__log_event(const jb_call *c, const char *event, const char *code, const char *message);



/* 1 when the query holds only the NULL-terminated names; else 0 after a 400. */
int jb__only_params(jb_call *c, const char *const *names);

/* A whole-number parameter in [min, max]: 1 (*v keeps its default when
 * absent), or 0 after a 400. */
int jb__num_param(jb_call *c, const char *name, long long min, long long max, long long *v);

/* A boolean parameter (true/false/1/0): 1, or 0 after a 400. */
int jb__bool_param(jb_call *c, const char *name, int *v);

/* Checks the Bearer key of c: 1 with *k filled (and c->key_id), or 0 after
 * a 401 (no, malformed or unknown key) or an engine error. */
int jb__authenticate(jb_call *c, jb_engine *e, jb_key_info *k);

/* Waits (bounded by limits.wait_max_ms) until the index has applied the
 * min_seq parameter: 1, or 0 after a 400 (bad min_seq) or 503 (not yet). */
int jb__wait_seq(jb_server *s, jb_call *c, jb_engine *e);

/* text parsed as JSON (duplicate keys refused): a new reference, or NULL
 * when text is NULL or not JSON */
json_t *jb__parse_record(const char *text);

/* The body as a C string (server.c keeps it NUL-terminated; borrowed from
 * c), or NULL after a 400 when there is none or it holds a NUL byte. `what`
 * names it in the message. */
const char *jb__body_text(jb_call *c, const char *what);

/* The stored record (a new reference), or NULL when it is absent. */
json_t *jb__stored_record(jb_engine *e, const char *type, const char *id);

/* 1 when (type, id) exists and k may see it, else 0. */
int jb__sees_record(jb_engine *e, const jb_key_info *k, const char *type, const char *id);

/* The challenge c->id as k may see it (a new reference), or NULL after a
 * 404 (absent or not visible to k). */
json_t *jb__visible_challenge(jb_call *c, jb_engine *e, const jb_key_info *k);

#endif
