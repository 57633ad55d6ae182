/* routes.c: the routes of the HTTP API and their handlers (docs/api.md).
 * jb__route runs on the loop thread (pure); jb__routes_run on a worker. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "api/authz.h"
#include "api/body.h"
#include "api/highlight.h"
#include "api/server_int.h"
#include "engine/record.h"
#include "locale/jb_locale.h"

/* ---- routing -------------------------------------------------------------------------- */

static const char *const COLLECTIONS[4] = {"orgs", "experts", "outputs", "challenges"};

void jb_server_print_routes(FILE *out) {
  fprintf(out, "GET /healthz\nGET /metrics\nGET /v1/openapi.json\nPOST /v1/keys\n"
               "DELETE /v1/keys/{id}\nGET /v1/search\nPOST /v1/challenges/{id}/status\n"
               "GET /v1/challenges/{id}/lint\nGET /v1/audit\nGET /v1/audit/verify\n"
               "GET /v1/challenges/{id}/applications\nPOST /v1/challenges/{id}/applications\n"
               "POST /v1/challenges/{id}/reviewers\nPOST /v1/challenges/{id}/scores\n"
               "GET /v1/challenges/{id}/ranking\nGET /v1/challenges/{id}/milestones\n"
               "POST /v1/challenges/{id}/milestones/{step}\nGET /v1/challenges/{id}/match_reviews\n"
               "POST /v1/challenges/{id}/match_reviews\nGET /v1/saved\nPOST /v1/saved\n"
               "DELETE /v1/saved/{id}\nGET /v1/saved/{id}/new\nGET /v1/stats\n"
               "GET /v1/challenges/{id}/suggest\n");
  for (int t = 0; t < 4; t++)
    fprintf(out, "GET /v1/%s\nPOST /v1/%s\nGET /v1/%s/{id}\nPUT /v1/%s/{id}\n"
                 "PATCH /v1/%s/{id}\nDELETE /v1/%s/{id}\nGET /v1/%s/{id}/matches\n",
            COLLECTIONS[t], COLLECTIONS[t], COLLECTIONS[t], COLLECTIONS[t], COLLECTIONS[t],
            COLLECTIONS[t], COLLECTIONS[t]);
}

static int hexv(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes one path segment into out (cap bytes): 0; 400 for what no path
 * takes (a bad escape, invalid UTF-8, NUL or another control character, an
 * encoded '/', a literal "." or ".."); 1 for a segment only the id of
 * DELETE /v1/{type}s/{id} takes: an encoded '\\', or "." or ".." written
 * with escapes — what the earlier id rule let into the store. */
static int segment(const char *s, size_t len, char *out, size_t cap) {
  size_t o = 0;
  int soft = 0, escaped = 0;
  for (size_t i = 0; i < len; i++) {
    char ch = s[i];
    if (ch == '%') {
      int h, l;
      if (i + 2 >= len || (h = hexv(s[i + 1])) < 0 || (l = hexv(s[i + 2])) < 0)
        return 400;
      ch = (char)(h * 16 + l);
      i += 2;
      escaped = 1;
      if (ch == '\\')
        soft = 1;
    } else if (ch == '\\') {
      return 400;
    }
    if (o + 1 >= cap)
      return 400;
    if ((unsigned char)ch < 0x20 || ch == 0x7f || ch == '/')
      return 400;
    out[o++] = ch;
  }
  out[o] = '\0';
  size_t bad;
  if (o == 0 || jb_utf8_validate(out, o, &bad) != JB_UTF8_OK)
    return 400;
  if (!strcmp(out, ".") || !strcmp(out, ".."))
    return escaped ? 1 : 400;
  return soft;
}

static int route_path(const char *method, char (*seg)[JB_ID_STORED_MAX_BYTES + 8], size_t n,
                      jb_call *c, const char **allow);

int jb__route(const char *method, const char *path, jb_call *c, const char **allow) {
  char seg[5][JB_ID_STORED_MAX_BYTES + 8];
  int soft[5] = {0};
  size_t n = 0;
  c->route = -1;
  c->type = -1;
  c->id[0] = '\0';
  if (path[0] != '/')
    return 400;
  size_t pl = strlen(path);
  if (pl > 1 && path[pl - 1] == '/')
    return 404; /* "/v1/orgs/" is not "/v1/orgs" */
  const char *p = path + 1;
  int any_soft = 0;
  while (*p) {
    const char *e = strchr(p, '/');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (n == 5)
      return 404;
    if (len == 0)
      return 404; /* "//" or a trailing '/' */
    int st = segment(p, len, seg[n], sizeof seg[n]);
    if (st > 1)
      return st;
    any_soft |= soft[n] = st;
    n++;
    p += len;
    if (*p == '/')
      p++;
  }
  int st = route_path(method, seg, n, c, allow);
  /* an escaped '.', '..' or '\\' is a 400 everywhere but in the id of a
   * record's DELETE, so that records stored under the earlier id rule can be
   * removed */
  if (any_soft && !(st == 0 && c->route == R_RECORD && !strcmp(method, "DELETE") && n == 3 &&
                    soft[2] && !soft[0] && !soft[1]))
    return 400;
  return st;
}

/* The route of the decoded segments seg[0..n). */
static int route_path(const char *method, char (*seg)[JB_ID_STORED_MAX_BYTES + 8], size_t n,
                      jb_call *c, const char **allow) {
  int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
#define ONLY(cond, methods)                                                                   \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      *allow = methods;                                                                       \
      return 405;                                                                             \
    }                                                                                         \
  } while (0)
  if (n == 1 && !strcmp(seg[0], "healthz")) {
    ONLY(get, "GET");
    c->route = R_HEALTH;
    return 0;
  }
  if (n == 1 && !strcmp(seg[0], "metrics")) {
    ONLY(get, "GET");
    c->route = R_METRICS;
    return 0;
  }
  if (n < 2 || strcmp(seg[0], "v1"))
    return 404;
  if (n == 2 && !strcmp(seg[1], "openapi.json")) {
    ONLY(get, "GET");
    c->route = R_OPENAPI;
    return 0;
  }
  if (n == 2 && !strcmp(seg[1], "search")) {
    ONLY(get, "GET");
    c->route = R_SEARCH;
    return 0;
  }
  if (!strcmp(seg[1], "stats") && n == 2) {
    ONLY(get, "GET");
    c->route = R_STATS;
    return 0;
  }
  if (!strcmp(seg[1], "saved")) {
    if (n == 2) {
      ONLY(get || !strcmp(method, "POST"), "GET, POST");
      c->route = R_SAVED;
      return 0;
    }
    if (strlen(seg[2]) > 64)
      return 404;
    snprintf(c->id, sizeof c->id, "%s", seg[2]);
    if (n == 3) {
      ONLY(!strcmp(method, "DELETE"), "DELETE");
      c->route = R_SAVED;
      return 0;
    }
    if (n == 4 && !strcmp(seg[3], "new")) {
      ONLY(get, "GET");
      c->route = R_SAVED_NEW;
      return 0;
    }
    return 404;
  }
  if (!strcmp(seg[1], "audit")) {
    if (n == 2 || (n == 3 && !strcmp(seg[2], "verify"))) {
      ONLY(get, "GET");
      c->route = n == 2 ? R_AUDIT : R_AUDIT_VERIFY;
      return 0;
    }
    return 404;
  }
  if (!strcmp(seg[1], "keys")) {
    if (n == 2) {
      ONLY(!strcmp(method, "POST"), "POST");
      c->route = R_KEYS;
      return 0;
    }
    if (n == 3) {
      ONLY(!strcmp(method, "DELETE"), "DELETE");
      c->route = R_KEY;
      snprintf(c->id, sizeof c->id, "%s", seg[2]);
      return 0;
    }
    return 404;
  }
  int t = -1;
  for (int i = 0; i < 4; i++)
    if (!strcmp(seg[1], COLLECTIONS[i]))
      t = i;
  if (t < 0)
    return 404;
  c->type = t;
  if (n == 2) {
    ONLY(get || !strcmp(method, "POST"), "GET, POST");
    c->route = R_COLLECTION;
    return 0;
  }
  /* any id a record may have been stored under; a malformed one is no record */
  if (jb_rec_check_id(seg[2], strlen(seg[2]), JB_ID_STORED, NULL, 0) != JB_OK)
    return 404;
  snprintf(c->id, sizeof c->id, "%s", seg[2]);
  if (n == 3) {
    ONLY(get || !strcmp(method, "PUT") || !strcmp(method, "PATCH") || !strcmp(method, "DELETE"),
         "GET, PUT, PATCH, DELETE");
    c->route = R_RECORD;
    return 0;
  }
  if (n == 4 && !strcmp(seg[3], "matches")) {
    ONLY(get, "GET");
    c->route = R_MATCHES;
    return 0;
  }
  if (n == 4 && t == 3 && !strcmp(seg[3], "status")) {
    ONLY(!strcmp(method, "POST"), "POST");
    c->route = R_STATUS;
    return 0;
  }
  if (n == 4 && t == 3 && !strcmp(seg[3], "lint")) {
    ONLY(get, "GET");
    c->route = R_LINT;
    return 0;
  }
  if (n == 4 && t == 3 && !strcmp(seg[3], "suggest")) {
    ONLY(get, "GET");
    c->route = R_SUGGEST;
    return 0;
  }
  if (n == 4 && t == 3 && !strcmp(seg[3], "applications")) {
    ONLY(get || !strcmp(method, "POST"), "GET, POST");
    c->route = R_APPS;
    return 0;
  }
  if (n == 4 && t == 3 && (!strcmp(seg[3], "reviewers") || !strcmp(seg[3], "scores"))) {
    ONLY(!strcmp(method, "POST"), "POST");
    c->route = !strcmp(seg[3], "reviewers") ? R_REVIEWERS : R_SCORES;
    return 0;
  }
  if (t == 3 && n >= 4 && !strcmp(seg[3], "milestones")) {
    if (n == 4) {
      ONLY(get, "GET");
    } else {
      ONLY(!strcmp(method, "POST"), "POST");
      snprintf(c->step, sizeof c->step, "%.31s", seg[4]);
    }
    c->route = R_MILESTONES;
    return 0;
  }
  if (n == 4 && t == 3 && !strcmp(seg[3], "match_reviews")) {
    ONLY(get || !strcmp(method, "POST"), "GET, POST");
    c->route = R_MREVIEWS;
    return 0;
  }
  if (n == 4 && t == 3 && !strcmp(seg[3], "ranking")) {
    ONLY(get, "GET");
    c->route = R_RANKING;
    return 0;
  }
#undef ONLY
  return 404;
}

/* ---- helpers -------------------------------------------------------------------------- */

static void answer(jb_call *c, int status, json_t *body) {
  c->status = status;
  c->resp = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
  json_decref(body);
  if (!c->resp) {
    c->status = 500;
    c->resp = jb__error_json("internal", "out of memory");
  }
}

static void fail(jb_call *c, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(jb_call *c, int status, const char *fmt, ...) {
  char msg[1200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  c->status = status;
  c->resp = jb__error_json(jb__status_code(status), msg);
}

/* one JSON line on stderr for an event a request met (strings escaped) */
static void log_event(const char *event, const char *code, const char *message) {
  char f[2048];
  jb_log_fields(f, sizeof f, event, code, message, NULL);
  fprintf(stderr, "{%s}\n", f);
}

/* an engine error as an HTTP error: validation and references are the
 * caller's (400), conflicts 409, contention 503; anything else is ours and
 * its details go to the log only */
static void engine_fail(jb_call *c, jb_engine *e, int rc) {
  const char *m = e ? jb_engine_error(e) : "";
  switch (rc) {
  case JB_EINVAL:
  case JB_ESYNTAX:
  case JB_EUTF8:
  case JB_ETOOBIG:
    fail(c, 400, "%s", m[0] ? m : jb_strerror(rc));
    break;
  case JB_ENOENT:
    fail(c, 400, "%s", m[0] ? m : "a referenced record does not exist");
    break;
  case JB_ECONFLICT:
  case JB_EEXIST:
    fail(c, 409, "%s", m[0] ? m : jb_strerror(rc));
    break;
  case JB_ELOCKED:
    fail(c, 503, "the store is busy; try again");
    break;
  case JB_ESTALE:
    fail(c, 503, "the index moved on while it was read (many writes at once); try again");
    break;
  default:
    /* the details go to the log only, never to the client */
    log_event("internal_error", jb_errname(rc), m);
    fail(c, 500, "internal error (%s)", jb_errname(rc));
  }
}

/* checks that the query holds only the given parameters */
static int only_params(jb_call *c, const char *const *names) {
  for (size_t i = 0; i < c->qs.n; i++) {
    int ok = 0;
    for (size_t k = 0; names[k] && !ok; k++)
      ok = !strcmp(c->qs.v[i].key, names[k]);
    if (!ok) {
      fail(c, 400, "%s: unknown parameter", c->qs.v[i].key);
      return 0;
    }
  }
  return 1;
}

/* a whole-number parameter in [min, max]; *v keeps its default when absent */
static int num_param(jb_call *c, const char *name, long long min, long long max, long long *v) {
  const char *s = jb_qs_get(&c->qs, name);
  if (!s)
    return 1;
  char *end;
  errno = 0;
  long long n = strtoll(s, &end, 10);
  if (!*s || *end || errno || n < min || n > max || (*s == '+' || *s == ' ')) {
    fail(c, 400, "%s: must be a whole number from %lld to %lld", name, min, max);
    return 0;
  }
  *v = n;
  return 1;
}

static int bool_param(jb_call *c, const char *name, int *v) {
  const char *s = jb_qs_get(&c->qs, name);
  if (!s)
    return 1;
  if (!strcmp(s, "true") || !strcmp(s, "1"))
    *v = 1;
  else if (!strcmp(s, "false") || !strcmp(s, "0"))
    *v = 0;
  else {
    fail(c, 400, "%s: must be true or false", name);
    return 0;
  }
  return 1;
}

/* ---- authentication -------------------------------------------------------------------- */

static int authenticate(jb_call *c, jb_engine *e, jb_key_info *k) {
  if (!c->auth) {
    fail(c, 401, "an API key is required: Authorization: Bearer <key>");
    return 0;
  }
  if (strncmp(c->auth, "Bearer ", 7)) {
    fail(c, 401, "the Authorization header must be 'Bearer <key>'");
    return 0;
  }
  int rc = jb_engine_key_check(e, c->auth + 7, strlen(c->auth + 7), k);
  if (rc == JB_EPERM) {
    fail(c, 401, "the API key is not valid (unknown, revoked or mistyped)");
    return 0;
  }
  if (rc != JB_OK) {
    engine_fail(c, e, rc);
    return 0;
  }
  snprintf(c->key_id, sizeof c->key_id, "%s", k->id);
  return 1;
}

/* waits (bounded) until the index has applied min_seq */
static int wait_seq(jb_server *s, jb_call *c, jb_engine *e) {
  long long want = 0;
  if (!num_param(c, "min_seq", 0, INT64_MAX, &want))
    return 0;
  int64_t have = 0;
  unsigned waited = 0, max = jb__srv_config(s)->wait_max_ms;
  for (;;) {
    int rc = jb_engine_refresh(e, &have);
    if (rc != JB_OK) {
      engine_fail(c, e, rc);
      return 0;
    }
    if (have >= want)
      return 1;
    if (waited >= max)
      break;
    usleep(5000);
    waited += 5;
  }
  fail(c, 503, "the index has applied change %lld, not yet %lld (waited %u ms); retry",
       (long long)have, want, max);
  return 0;
}

static json_t *parse_record(const char *text) {
  return text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
}

/* the body as a C string (server.c keeps it NUL-terminated), or NULL after
 * a 400 when there is none or it holds a NUL byte */
static const char *body_text(jb_call *c, const char *what) {
  if (!c->body || !c->body_len || strlen(c->body) != c->body_len) {
    fail(c, 400, "body: %s is required (no NUL bytes)", what);
    return NULL;
  }
  return c->body;
}

/* the stored record (a new reference), or NULL when it is absent */
static json_t *load_record(jb_engine *e, const char *type, const char *id) {
  char *text = NULL;
  json_t *rec = jb_engine_get(e, type, id, &text) == JB_OK ? parse_record(text) : NULL;
  free(text);
  return rec;
}

/* 1 when (type, id) exists and k may see it */
static int sees_record(jb_engine *e, const jb_key_info *k, const char *type, const char *id) {
  json_t *rec = load_record(e, type, id);
  int vis = rec && jb_authz_visible(k, jb_rec_type_of(type), rec);
  json_decref(rec);
  return vis;
}

/* ---- records ---------------------------------------------------------------------------- */

static void get_record(jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const params[] = {"min_seq", NULL};
  if (!only_params(c, params))
    return;
  char *text = NULL;
  int rc = jb_engine_get(e, jb_rec_type_name(c->type), c->id, &text);
  if (rc == JB_ENOENT) {
    fail(c, 404, "%s '%s' not found", jb_rec_type_name(c->type), c->id);
    return;
  }
  if (rc != JB_OK) {
    engine_fail(c, e, rc);
    return;
  }
  if (c->type != JB_REC_CHALLENGE) {
    /* everyone with a key sees these whole: the stored canonical text as is */
    c->status = 200;
    c->resp = text;
    return;
  }
  json_t *rec = parse_record(text);
  free(text);
  if (!rec || !jb_authz_visible(k, c->type, rec)) {
    json_decref(rec);
    fail(c, 404, "%s '%s' not found", jb_rec_type_name(c->type), c->id);
    return;
  }
  json_t *out = jb_authz_redact(k, c->type, rec);
  json_decref(rec);
  answer(c, 200, out);
}

struct list_acc {
  json_t *items;
  const jb_key_info *k;
  int type;
  char last[513]; /* a stored id (legacy ids reach 512 bytes) */
};

static int list_one(void *ctx, const char *json) {
  struct list_acc *a = ctx;
  json_t *rec = parse_record(json);
  if (!rec)
    return JB_EINTERNAL;
  snprintf(a->last, sizeof a->last, "%s", json_string_value(json_object_get(rec, "id")));
  json_array_append_new(a->items, jb_authz_redact(a->k, a->type, rec));
  json_decref(rec);
  return 0;
}

static void list_records(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const params[] = {"kind", "field", "region", "status", "org",
                                       "limit", "cursor", "min_seq", NULL};
  if (!only_params(c, params))
    return;
  long long limit = 20;
  if (!num_param(c, "limit", 1, (long long)jb__srv_config(s)->page_max, &limit))
    return;
  jb_list_filter f = {jb_qs_get(&c->qs, "kind"), jb_qs_get(&c->qs, "status"),
                      jb_qs_get(&c->qs, "org"), jb_qs_get(&c->qs, "region"),
                      jb_qs_get(&c->qs, "field"), !jb_authz_sees_all(k), jb_authz_drafts_of(k)};
  struct list_acc a = {json_array(), k, c->type, ""};
  /* one more than asked: whether there is a next page */
  int rc = jb_engine_list(e, jb_rec_type_name(c->type), &f, jb_qs_get(&c->qs, "cursor"),
                          (size_t)limit + 1, list_one, &a);
  if (rc != JB_OK) {
    json_decref(a.items);
    engine_fail(c, e, rc);
    return;
  }
  json_t *next = json_null();
  if (json_array_size(a.items) > (size_t)limit) {
    json_array_remove(a.items, (size_t)limit);
    next = json_incref(json_object_get(json_array_get(a.items, (size_t)limit - 1), "id"));
  }
  answer(c, 200, json_pack("{s:o,s:o}", "items", a.items, "next_cursor", next));
}

static void add_similar(jb_server *s, jb_engine *e, const jb_key_info *k, const char *id,
                        json_t *ans);

static json_t *write_answer(jb_engine *e, int type, const char *id, int64_t seq) {
  json_t *rec = load_record(e, jb_rec_type_name(type), id);
  return json_pack("{s:o,s:I}", "record", rec ? rec : json_null(), "seq", (json_int_t)seq);
}

/* A challenge's status moves only through POST /v1/challenges/{id}/status
 * (checked and audited there). PUT and PATCH keep the stored status: a body
 * that leaves it out keeps it, one that names another status or removes it
 * (PATCH {"status": null}) is a 400. A new challenge is a draft. Returns 0
 * (rec carries the stored status), or 400 after answering. */
static int keep_status(jb_call *c, const json_t *old, json_t *rec, const char *id) {
  const char *was = old ? json_string_value(json_object_get(old, "status")) : NULL;
  if (!was)
    was = "draft";
  const char *next = jb_lifecycle_next(was) && *jb_lifecycle_next(was) ? jb_lifecycle_next(was)
                                                                       : "none";
  json_t *now = json_object_get(rec, "status");
  int removed = 0;
  if (!now && !strcmp(c->method, "PATCH")) {
    json_t *patch = json_loadb(c->body, c->body_len, 0, NULL);
    removed = json_is_null(json_object_get(patch, "status"));
    json_decref(patch);
  }
  if (removed || (now && !json_is_string(now)) ||
      (json_is_string(now) && strcmp(json_string_value(now), was))) {
    fail(c, 400, "status: changes only through POST /v1/challenges/%s/status (it is %s; next: %s)",
         id, was, next);
    return 400;
  }
  if (old && json_object_get(old, "status"))
    json_object_set(rec, "status", json_object_get(old, "status"));
  return 0;
}

static void write_record(jb_server *s, jb_call *c, const jb_key_info *k) {
  static const char *const none[] = {NULL};
  if (!only_params(c, none))
    return;
  const char *type = jb_rec_type_name(c->type);
  int is_post = c->route == R_COLLECTION, is_patch = !strcmp(c->method, "PATCH");
  int is_delete = !strcmp(c->method, "DELETE");
  char err[1024];
  json_t *rec = NULL;
  /* the body first: a malformed body is a 400 whoever sends it */
  if (!is_delete && !is_patch) {
    int rc = jb_api_body(c->body, c->body_len, type, is_post ? NULL : c->id, NULL, &rec, err,
                         sizeof err);
    if (rc != JB_OK) {
      fail(c, rc == JB_ENOMEM ? 503 : 400, "%s", err);
      return;
    }
  } else if (is_delete && c->body_len) {
    fail(c, 400, "DELETE takes no body");
    return;
  }
  const char *id = rec ? json_string_value(json_object_get(rec, "id")) : c->id;
  jb_engine *w = jb__srv_writer_lock(s);
  char *old_text = NULL;
  json_t *old = NULL;
  int rc = id ? jb_engine_get(w, type, id, &old_text) : JB_ENOENT;
  if (rc == JB_OK)
    old = parse_record(old_text);
  /* a stored body that no longer parses (damage, an older rule): officers
   * and admins may still delete it, with its raw text in the audit */
  int unreadable = rc == JB_OK && !old;
  if (rc != JB_OK && rc != JB_ENOENT) {
    engine_fail(c, w, rc);
    goto out;
  }
  if (old && !jb_authz_visible(k, c->type, old)) {
    fail(c, 404, "%s '%s' not found", type, id);
    goto out;
  }
  if (!old && (is_patch || is_delete) && !(is_delete && unreadable && jb_authz_sees_all(k))) {
    fail(c, 404, "%s '%s' not found", type, id);
    goto out;
  }
  if (old && is_post) {
    fail(c, 409, "%s '%s' exists (PUT or PATCH /v1/%ss/%s changes it)", type, id,
         type, id);
    goto out;
  }
  if (is_patch) {
    rc = jb_api_body(c->body, c->body_len, type, c->id, old, &rec, err, sizeof err);
    if (rc != JB_OK) {
      fail(c, rc == JB_ENOMEM ? 503 : 400, "%s", err);
      goto out;
    }
  }
  if (c->type == JB_REC_CHALLENGE && rec && keep_status(c, old, rec, id) != 0)
    goto out;
  const char *why = NULL;
  int st = jb_authz_check(k, is_delete ? JB_ACT_DELETE : old ? JB_ACT_UPDATE : JB_ACT_CREATE,
                          c->type, old, rec, &why);
  if (st) {
    if (st == 404)
      fail(c, 404, "%s '%s' not found", type, id);
    else
      fail(c, st, "%s", why ? why : "not allowed");
    goto out;
  }
  int64_t seq = 0;
  /* the change and its audit entry commit together */
  char *before = old ? jb_rec_canonical(old) : unreadable ? strdup(old_text) : NULL, *after = NULL;
  if ((rc = jb_engine_begin(w)) != JB_OK) {
    free(before);
    engine_fail(c, w, rc);
    goto out;
  }
  if (is_delete) {
    rc = jb_engine_delete(w, type, id, &seq);
  } else {
    after = jb_rec_canonical(rec);
    rc = after ? jb_engine_put_json(w, after, strlen(after), &seq) : JB_ENOMEM;
  }
  if (rc == JB_OK && (is_delete || seq))
    rc = jb_engine_audit(w, k->id, is_delete ? "delete" : old ? "update" : "create", type, id,
                         before, after, "");
  int rc2 = rc == JB_OK ? jb_engine_commit(w) : (jb_engine_rollback(w), rc);
  free(before);
  free(after);
  if (rc2 != JB_OK) {
    engine_fail(c, w, rc2);
    goto out;
  }
  c->wrote = seq;
  if (is_delete) {
    answer(c, 200, json_pack("{s:s,s:s,s:b,s:I}", "type", type, "id", id, "deleted", 1, "seq",
                             (json_int_t)seq));
    goto out;
  }
  json_t *ans = write_answer(w, c->type, id, seq);
  if (c->type == JB_REC_CHALLENGE && !old)
    add_similar(s, w, k, id, ans);
  answer(c, old ? 200 : 201, ans);
out:
  jb__srv_writer_unlock(s);
  free(old_text);
  json_decref(rec);
  json_decref(old);
}

/* Near-duplicate needs, reported with a new or newly published challenge
 * and by its lint: only those k may see (the same rule as every read:
 * another org's draft does not exist for the caller). */
static void add_similar(jb_server *s, jb_engine *e, const jb_key_info *k, const char *id,
                        json_t *ans) {
  char *sim = NULL;
  if (jb_engine_similar(e, id, jb__srv_config(s)->dup_threshold, &sim) != JB_OK) {
    free(sim);
    return;
  }
  json_t *all = json_loads(sim, 0, NULL), *seen = json_array();
  free(sim);
  for (size_t i = 0; i < json_array_size(all); i++) {
    json_t *x = json_array_get(all, i);
    if (sees_record(e, k, "challenge", json_string_value(json_object_get(x, "id"))))
      json_array_append(seen, x);
  }
  json_decref(all);
  json_object_set_new(ans, "similar", seen);
}

/* ---- lifecycle -------------------------------------------------------------------------- */

static void transition(jb_server *s, jb_call *c, const jb_key_info *k) {
  static const char *const none[] = {NULL};
  if (!only_params(c, none))
    return;
  json_t *b = NULL;
  char err[512];
  if (!c->body_len || jb_rec_parse(c->body, c->body_len, &b, err, sizeof err) != JB_OK) {
    fail(c, 400, "%s", c->body_len ? err : "body: {\"to\": STATE, \"note\": TEXT} is required");
    return;
  }
  const char *key;
  json_t *v;
  int bad = !json_is_object(b);
  json_object_foreach(b, key, v) {
    if (strcmp(key, "to") && strcmp(key, "note") && strcmp(key, "winners"))
      bad = 1;
  }
  const char *to = json_string_value(json_object_get(b, "to"));
  json_t *note = json_object_get(b, "note"), *winners = json_object_get(b, "winners");
  const char *wv[64];
  size_t nw = json_array_size(winners);
  if (winners && (!json_is_array(winners) || nw > 64))
    bad = 1;
  for (size_t i = 0; !bad && i < nw; i++)
    if (!(wv[i] = json_string_value(json_array_get(winners, i))))
      bad = 1;
  if (bad || !to || (note && !json_is_string(note)) || (winners && strcmp(to, "awarded"))) {
    json_decref(b);
    fail(c, 400, "body: {\"to\": STATE, \"note\": TEXT, \"winners\": [lead orgs] (awarded only)}");
    return;
  }
  jb_engine *w = jb__srv_writer_lock(s);
  int rc;
  json_t *ch = load_record(w, "challenge", c->id);
  if (!ch || !jb_authz_visible(k, JB_REC_CHALLENGE, ch)) {
    fail(c, 404, "challenge '%s' not found", c->id);
  } else {
    const char *from = json_string_value(json_object_get(ch, "status"));
    char was[32];
    snprintf(was, sizeof was, "%s", from ? from : "draft");
    jb_actor who = {k->id, k->role, k->org};
    int64_t seq = 0;
    rc = winners ? jb_engine_award(w, &who, c->id, wv, nw, jb__srv_config(s)->max_winners,
                                   json_string_value(note), &seq)
                 : jb_engine_transition(w, &who, c->id, to, json_string_value(note), &seq);
    if (rc == JB_OK) {
      c->wrote = seq;
      json_t *ans = write_answer(w, JB_REC_CHALLENGE, c->id, seq);
      json_object_set_new(ans, "transition", json_pack("{s:s,s:s}", "from", was, "to", to));
      if (!strcmp(to, "published"))
        add_similar(s, w, k, c->id, ans);
      answer(c, 200, ans);
    } else if (rc == JB_EPERM) {
      fail(c, 403, "%s", jb_engine_error(w));
    } else if (rc == JB_ECONFLICT) {
      fail(c, 409, "%s", jb_engine_error(w));
    } else {
      engine_fail(c, w, rc);
    }
  }
  jb__srv_writer_unlock(s);
  json_decref(ch);
  json_decref(b);
}

static void lint(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const params[] = {"min_days", NULL};
  if (!only_params(c, params))
    return;
  long long min_days = 30;
  if (!num_param(c, "min_days", 0, 3650, &min_days))
    return;
  char *text = NULL;
  int rc = jb_engine_get(e, "challenge", c->id, &text);
  json_t *ch = rc == JB_OK ? parse_record(text) : NULL;
  if (!ch || !jb_authz_visible(k, JB_REC_CHALLENGE, ch)) {
    free(text);
    json_decref(ch);
    fail(c, 404, "challenge '%s' not found", c->id);
    return;
  }
  json_decref(ch);
  char *out = NULL;
  rc = jb_challenge_lint(text, (long)(time(NULL) / 86400), (int)min_days, &out);
  free(text);
  if (rc != JB_OK) {
    engine_fail(c, NULL, rc);
    return;
  }
  json_t *j = json_loads(out, 0, NULL);
  free(out);
  if (j)
    add_similar(s, e, k, c->id, j);
  answer(c, 200, j);
}

/* ---- applications, reviewers, scores, ranking ---------------------------------------- */

/* the challenge if k may see it (else a 404 is answered and NULL returned) */
static json_t *visible_challenge(jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *ch = load_record(e, "challenge", c->id);
  if (!ch || !jb_authz_visible(k, JB_REC_CHALLENGE, ch)) {
    json_decref(ch);
    fail(c, 404, "challenge '%s' not found", c->id);
    return NULL;
  }
  return ch;
}

/* lifecycle engine errors: rules are 403/409, validation 400 */
static void rule_fail(jb_call *c, jb_engine *e, int rc) {
  if (rc == JB_EPERM)
    fail(c, 403, "%s", jb_engine_error(e));
  else if (rc == JB_ECONFLICT || rc == JB_EEXIST)
    fail(c, 409, "%s", jb_engine_error(e));
  else if (rc == JB_ENOENT)
    fail(c, 404, "%s", jb_engine_error(e));
  else
    engine_fail(c, e, rc);
}

static void applications(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const none[] = {NULL};
  if (!only_params(c, none))
    return;
  json_t *ch = visible_challenge(c, e, k);
  if (!ch)
    return;
  if (!strcmp(c->method, "POST")) {
    const char *body = body_text(c, "an application object");
    char *stored = NULL;
    if (!body) {
      json_decref(ch);
      return;
    }
    jb_engine *w = jb__srv_writer_lock(s);
    jb_actor who = {k->id, k->role, k->org};
    int rc = jb_engine_apply(w, &who, c->id, body, jb__srv_config(s)->max_members, &stored);
    if (rc == JB_OK)
      answer(c, 201, json_loads(stored, 0, NULL));
    else if (rc == JB_ESYNTAX || rc == JB_EINVAL)
      fail(c, 400, "%s", jb_engine_error(w));
    else
      rule_fail(c, w, rc);
    jb__srv_writer_unlock(s);
    free(stored);
    json_decref(ch);
    return;
  }
  /* the issuer and officers see every application; others only their own */
  char *out = NULL;
  int all = jb_authz_sees_all(k) || jb_authz_is_issuer(k, ch);
  int rc = jb_engine_applications(e, c->id, all ? NULL : k->org[0] ? k->org : "\x1f", &out);
  json_decref(ch);
  if (rc != JB_OK) {
    engine_fail(c, e, rc);
    return;
  }
  answer(c, 200, json_pack("{s:o}", "items", json_loads(out, 0, NULL)));
  free(out);
}

static void reviewers_or_scores(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const none[] = {NULL};
  if (!only_params(c, none))
    return;
  json_t *ch = visible_challenge(c, e, k);
  if (!ch)
    return;
  json_decref(ch);
  json_t *b = NULL;
  char err[512];
  if (!c->body_len || jb_rec_parse(c->body, c->body_len, &b, err, sizeof err) != JB_OK) {
    fail(c, 400, "%s", c->body_len ? err : "body: a JSON object is required");
    return;
  }
  int rev = c->route == R_REVIEWERS;
  const char *key;
  json_t *v;
  int bad = !json_is_object(b);
  json_object_foreach(b, key, v) {
    if (rev ? strcmp(key, "expert") != 0
            : (strcmp(key, "lead_org") && strcmp(key, "reviewer") && strcmp(key, "scores")))
      bad = 1;
  }
  const char *x1 = json_string_value(json_object_get(b, rev ? "expert" : "lead_org"));
  const char *x2 = rev ? "" : json_string_value(json_object_get(b, "reviewer"));
  json_t *sc = json_object_get(b, "scores");
  if (bad || !x1 || !x2 || (!rev && !json_is_object(sc))) {
    json_decref(b);
    fail(c, 400, rev ? "body: {\"expert\": ID}"
                     : "body: {\"lead_org\": ID, \"reviewer\": EXPERT, \"scores\": {...}}");
    return;
  }
  jb_engine *w = jb__srv_writer_lock(s);
  jb_actor who = {k->id, k->role, k->org};
  int rc;
  if (rev) {
    rc = jb_engine_assign_reviewer(w, &who, c->id, x1);
  } else {
    char *t = json_dumps(sc, JSON_COMPACT);
    rc = t ? jb_engine_score(w, &who, c->id, x1, x2, t, NULL, NULL, jb__srv_criteria(s)) : JB_ENOMEM;
    free(t);
  }
  if (rc == JB_OK)
    answer(c, rev ? 201 : 200, rev ? json_pack("{s:s,s:s}", "challenge", c->id, "reviewer", x1)
                                   : json_pack("{s:s,s:s,s:O}", "lead_org", x1, "reviewer", x2,
                                               "scores", sc));
  else if (rc == JB_EINVAL || rc == JB_ESYNTAX)
    fail(c, 400, "%s", jb_engine_error(w));
  else
    rule_fail(c, w, rc);
  jb__srv_writer_unlock(s);
  json_decref(b);
}

static void ranking(jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const none[] = {NULL};
  if (!only_params(c, none))
    return;
  json_t *ch = visible_challenge(c, e, k);
  if (!ch)
    return;
  int may = jb_authz_sees_all(k) || jb_authz_is_issuer(k, ch);
  json_decref(ch);
  if (!may) {
    fail(c, 403, "the ranking is for the issuer, officers and admins");
    return;
  }
  char *out = NULL;
  int rc = jb_engine_ranking(e, c->id, &out);
  if (rc != JB_OK) {
    engine_fail(c, e, rc);
    return;
  }
  answer(c, 200, json_pack("{s:o}", "ranking", json_loads(out, 0, NULL)));
  free(out);
}

/* ---- milestones, match review ----------------------------------------------------------- */

static void milestones(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const none[] = {NULL};
  if (!only_params(c, none))
    return;
  json_t *ch = visible_challenge(c, e, k);
  if (!ch)
    return;
  int may = jb_authz_sees_all(k) || jb_authz_is_issuer(k, ch);
  json_decref(ch);
  if (!c->step[0]) {
    if (!may) {
      fail(c, 403, "the milestones are for the issuer, officers and admins");
      return;
    }
    char *out = NULL;
    int rc = jb_engine_milestones(e, c->id, &out);
    if (rc != JB_OK) {
      engine_fail(c, e, rc);
      return;
    }
    answer(c, 200, json_loads(out, 0, NULL));
    free(out);
    return;
  }
  if (strcmp(c->step, "plan") && strcmp(c->step, "release") && strcmp(c->step, "stage_check") &&
      strcmp(c->step, "extension")) {
    fail(c, 404, "no such milestone step (plan, release, stage_check, extension)");
    return;
  }
  const char *body = body_text(c, "a JSON object");
  if (!body)
    return;
  jb_engine *w = jb__srv_writer_lock(s);
  jb_actor who = {k->id, k->role, k->org};
  int rc = jb_engine_milestone(w, &who, c->id, c->step, body, jb__srv_config(s)->first_share);
  if (rc == JB_OK) {
    char *out = NULL;
    if (jb_engine_milestones(w, c->id, &out) == JB_OK)
      answer(c, 200, json_loads(out, 0, NULL));
    else
      fail(c, 500, "internal error");
    free(out);
  } else if (rc == JB_EINVAL || rc == JB_ESYNTAX) {
    fail(c, 400, "%s", jb_engine_error(w));
  } else {
    rule_fail(c, w, rc);
  }
  jb__srv_writer_unlock(s);
}

static void match_reviews(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const none[] = {NULL};
  if (!only_params(c, none))
    return;
  json_t *ch = visible_challenge(c, e, k);
  if (!ch)
    return;
  int all = jb_authz_sees_all(k) || jb_authz_is_issuer(k, ch);
  json_decref(ch);
  if (!strcmp(c->method, "POST")) {
    const char *body = body_text(c, "a JSON object");
    if (!body)
      return;
    jb_engine *w = jb__srv_writer_lock(s);
    jb_actor who = {k->id, k->role, k->org};
    int rc = jb_engine_match_review(w, &who, c->id, body);
    if (rc == JB_OK)
      answer(c, 200, json_pack("{s:s,s:b}", "challenge", c->id, "reviewed", 1));
    else if (rc == JB_EINVAL || rc == JB_ESYNTAX)
      fail(c, 400, "%s", jb_engine_error(w));
    else
      rule_fail(c, w, rc);
    jb__srv_writer_unlock(s);
    return;
  }
  /* the issuer and officers see every review; a candidate's org its own,
   * with the reason of a dismissal (no black-box rejection) */
  char *out = NULL;
  int rc = jb_engine_match_reviews(e, c->id, all ? NULL : k->org[0] ? k->org : "\x1f", &out);
  if (rc != JB_OK) {
    engine_fail(c, e, rc);
    return;
  }
  answer(c, 200, json_pack("{s:o}", "items", json_loads(out, 0, NULL)));
  free(out);
}

/* ---- saved searches, statistics ---------------------------------------------------------- */

/* the current results of a saved query as ["type:id", ...] and {key: hit} */
static int saved_run(jb_server *s, jb_engine *e, const jb_key_info *k, const json_t *q,
                     json_t **keys, json_t **hits, char *err, size_t errlen) {
  *keys = json_array();
  *hits = json_object();
  json_t *sq = json_object_get(q, "search"), *mq = json_object_get(q, "match");
  (void)s;
  if (sq) {
    jb_hit *h = NULL;
    size_t n = 0;
    const char *type = json_string_value(json_object_get(sq, "type"));
    int rc = jb_engine_search(e, json_string_value(json_object_get(sq, "q")), type, 100, &h, &n);
    if (rc != JB_OK) {
      snprintf(err, errlen, "%s", jb_engine_error(e));
      return rc;
    }
    for (size_t i = 0; i < n && json_array_size(*keys) < 50; i++) {
      int t = jb_rec_type_of(h[i].type);
      if (t == JB_REC_CHALLENGE && !jb_authz_sees_all(k) && !sees_record(e, k, h[i].type, h[i].id))
        continue;
      char key[200];
      snprintf(key, sizeof key, "%s:%s", h[i].type, h[i].id);
      json_array_append_new(*keys, json_string(key));
      json_object_set_new(*hits, key, json_pack("{s:s,s:s,s:s,s:f}", "type", h[i].type, "id", h[i].id,
                                                "title", h[i].title ? h[i].title : "", "score", h[i].score));
    }
    jb_hits_free(h, n);
    return JB_OK;
  }
  const char *type = json_string_value(json_object_get(mq, "type"));
  const char *id = json_string_value(json_object_get(mq, "id"));
  /* visibility is checked when the query runs, not only when it was saved:
   * a challenge gone back to draft (or deleted) no longer exists for others */
  if (!sees_record(e, k, type, id)) {
    snprintf(err, errlen, "%s '%s' is gone or no longer visible to this key", type, id);
    return JB_ENOENT;
  }
  jb_match_req r = {type, id, json_string_value(json_object_get(mq, "kind")), 50, 0, NULL, 0};
  char *out = NULL;
  int rc = jb_engine_match(e, &r, &out);
  if (rc != JB_OK) {
    snprintf(err, errlen, "%s", jb_engine_error(e));
    return rc;
  }
  json_t *j = json_loads(out, 0, NULL), *ms = json_object_get(j, "matches");
  free(out);
  for (size_t i = 0; i < json_array_size(ms); i++) {
    json_t *m = json_array_get(ms, i);
    const char *mt = json_string_value(json_object_get(m, "type"));
    if (mt && jb_rec_type_of(mt) == JB_REC_CHALLENGE && !jb_authz_sees_all(k) &&
        !sees_record(e, k, mt, json_string_value(json_object_get(m, "id"))))
      continue;
    char key[200];
    snprintf(key, sizeof key, "%s:%s", json_string_value(json_object_get(m, "type")),
             json_string_value(json_object_get(m, "id")));
    json_array_append_new(*keys, json_string(key));
    json_object_set_new(*hits, key, json_pack("{s:O,s:O,s:O,s:O}", "type", json_object_get(m, "type"),
                                              "id", json_object_get(m, "id"), "title",
                                              json_object_get(m, "title"), "score",
                                              json_object_get(m, "score")));
  }
  json_decref(j);
  return JB_OK;
}

static void saved(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const none[] = {NULL};
  if (!only_params(c, none))
    return;
  if (!strcmp(c->method, "DELETE")) {
    jb_engine *w = jb__srv_writer_lock(s);
    int rc = jb_engine_saved_delete(w, k->id, c->id);
    jb__srv_writer_unlock(s);
    if (rc == JB_ENOENT)
      fail(c, 404, "no saved search '%s'", c->id);
    else if (rc != JB_OK)
      engine_fail(c, NULL, rc);
    else
      answer(c, 200, json_pack("{s:s,s:b}", "id", c->id, "deleted", 1));
    return;
  }
  if (strcmp(c->method, "POST")) {
    char *out = NULL;
    int rc = jb_engine_saved_list(e, k->id, &out);
    if (rc != JB_OK) {
      engine_fail(c, e, rc);
      return;
    }
    answer(c, 200, json_pack("{s:o}", "items", json_loads(out, 0, NULL)));
    free(out);
    return;
  }
  json_t *b = NULL;
  char err[512];
  if (!c->body_len || jb_rec_parse(c->body, c->body_len, &b, err, sizeof err) != JB_OK) {
    fail(c, 400, "%s", c->body_len ? err : "body: {\"search\": {...}} or {\"match\": {...}}");
    return;
  }
  json_t *sq = json_object_get(b, "search"), *mq = json_object_get(b, "match"), *name = json_object_get(b, "name");
  const char *why = NULL;
  if (!json_is_object(b) || json_object_size(b) != (size_t)(!!sq + !!mq + !!name) || !!sq == !!mq)
    why = "body: one of {\"search\": {\"q\", \"type\"}} or {\"match\": {\"type\", \"id\", \"kind\"}}, and a \"name\"";
  else if (name && (!json_is_string(name) || strlen(json_string_value(name)) > 200))
    why = "name: a string of up to 200 bytes";
  else if (sq && (!json_is_object(sq) || !json_is_string(json_object_get(sq, "q")) ||
                  json_object_size(sq) != 1u + !!json_object_get(sq, "type") ||
                  (json_object_get(sq, "type") && jb_rec_type_of(json_string_value(json_object_get(sq, "type"))) < 0)))
    why = "search: {\"q\": TEXT, \"type\": org|expert|output|challenge}";
  else if (mq && (!json_is_object(mq) || jb_rec_type_of(json_string_value(json_object_get(mq, "type"))) < 0 ||
                  !json_is_string(json_object_get(mq, "id")) ||
                  json_object_size(mq) != 2u + !!json_object_get(mq, "kind") ||
                  (json_object_get(mq, "kind") && !json_is_string(json_object_get(mq, "kind")))))
    why = "match: {\"type\": challenge|output|expert|org, \"id\": ID, \"kind\": output|expert|org}";
  if (why) {
    json_decref(b);
    fail(c, 400, "%s", why);
    return;
  }
  if (mq) { /* the record must be one the caller sees */
    const char *t = json_string_value(json_object_get(mq, "type")), *id = json_string_value(json_object_get(mq, "id"));
    if (!sees_record(e, k, t, id)) {
      fail(c, 400, "match: %s '%s' not found", t, id); /* t and id live in b */
      json_decref(b);
      return;
    }
  }
  unsigned char rnd[6];
  FILE *ur = fopen("/dev/urandom", "rb");
  size_t got = ur ? fread(rnd, 1, sizeof rnd, ur) : 0;
  if (ur)
    fclose(ur);
  if (got != sizeof rnd) {
    json_decref(b);
    fail(c, 503, "no randomness for an id");
    return;
  }
  char id[16];
  snprintf(id, sizeof id, "s%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
  json_object_set_new(b, "id", json_string(id));
  json_object_set_new(b, "seen", json_array());
  json_object_set_new(b, "last_look", json_null());
  char *text = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
  jb_engine *w = jb__srv_writer_lock(s);
  int rc = text ? jb_engine_saved_put(w, k->id, id, text, 1) : JB_ENOMEM;
  jb__srv_writer_unlock(s);
  free(text);
  if (rc != JB_OK) {
    json_decref(b);
    engine_fail(c, NULL, rc);
    return;
  }
  json_object_del(b, "seen");
  answer(c, 201, b);
}

static void saved_new(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const params[] = {"min_seq", NULL};
  if (!only_params(c, params) || !wait_seq(s, c, e))
    return;
  char *text = NULL, err[512] = "";
  if (jb_engine_saved_get(e, k->id, c->id, &text) != JB_OK) {
    fail(c, 404, "no saved search '%s'", c->id);
    return;
  }
  json_t *q = json_loads(text, 0, NULL), *keys = NULL, *hits = NULL;
  free(text);
  int rc = q ? saved_run(s, e, k, q, &keys, &hits, err, sizeof err) : JB_EINTERNAL;
  if (rc != JB_OK) {
    json_decref(q);
    json_decref(keys);
    json_decref(hits);
    if (rc == JB_ENOENT)
      fail(c, 404, "the saved query's record is gone: %s", err);
    else
      engine_fail(c, NULL, rc);
    return;
  }
  json_t *seen = json_object_get(q, "seen"), *fresh = json_array();
  for (size_t i = 0; i < json_array_size(keys); i++) {
    const char *key = json_string_value(json_array_get(keys, i));
    int old = 0;
    for (size_t j = 0; j < json_array_size(seen) && !old; j++)
      old = !strcmp(json_string_value(json_array_get(seen, j)), key);
    if (!old)
      json_array_append(fresh, json_object_get(hits, key));
  }
  json_t *prev = json_incref(json_object_get(q, "last_look"));
  json_object_set(q, "seen", keys);
  json_object_set_new(q, "last_look", json_integer((json_int_t)time(NULL)));
  char *upd = json_dumps(q, JSON_COMPACT | JSON_SORT_KEYS);
  jb_engine *w = jb__srv_writer_lock(s);
  rc = upd ? jb_engine_saved_put(w, k->id, c->id, upd, 0) : JB_ENOMEM;
  jb__srv_writer_unlock(s);
  free(upd);
  if (rc != JB_OK) {
    json_decref(prev);
    json_decref(fresh);
    engine_fail(c, NULL, rc);
  } else {
    answer(c, 200, json_pack("{s:s,s:o,s:o,s:I}", "id", c->id, "new", fresh, "previous_look", prev,
                             "matching_now", (json_int_t)json_array_size(keys)));
  }
  json_decref(q);
  json_decref(keys);
  json_decref(hits);
}

static void stats(jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const none[] = {NULL};
  if (!only_params(c, none))
    return;
  if (!jb_authz_sees_all(k)) {
    fail(c, 403, "the statistics are for officers and admins");
    return;
  }
  char *out = NULL;
  int rc = jb_engine_lifecycle_stats(e, &out);
  if (rc != JB_OK) {
    engine_fail(c, e, rc);
    return;
  }
  c->status = 200;
  c->resp = out;
}

static int audit_one(void *ctx, const char *json) {
  json_array_append_new(ctx, json_loads(json, 0, NULL));
  return 0;
}

static void audit_list(jb_server *s, jb_call *c, jb_engine *e) {
  static const char *const params[] = {"actor", "action", "type", "id", "after", "limit", NULL};
  if (!only_params(c, params))
    return;
  long long after = 0, limit = 50;
  if (!num_param(c, "after", 0, INT64_MAX, &after) ||
      !num_param(c, "limit", 1, (long long)jb__srv_config(s)->page_max, &limit))
    return;
  json_t *items = json_array();
  int rc = jb_engine_audit_list(e, jb_qs_get(&c->qs, "actor"), jb_qs_get(&c->qs, "action"),
                                jb_qs_get(&c->qs, "type"), jb_qs_get(&c->qs, "id"), after,
                                (size_t)limit, audit_one, items);
  if (rc != JB_OK) {
    json_decref(items);
    engine_fail(c, e, rc);
    return;
  }
  size_t n = json_array_size(items);
  json_t *next = n == (size_t)limit ? json_incref(json_object_get(json_array_get(items, n - 1), "seq"))
                                    : json_null();
  answer(c, 200, json_pack("{s:o,s:o}", "items", items, "next_after", next));
}

static void audit_verify(jb_call *c, jb_engine *e) {
  static const char *const none[] = {NULL};
  if (!only_params(c, none))
    return;
  int64_t n = 0, bad = 0;
  int rc = jb_engine_audit_verify(e, &n, &bad);
  if (rc == JB_OK)
    answer(c, 200, json_pack("{s:b,s:I}", "ok", 1, "entries", (json_int_t)n));
  else if (rc == JB_ECONFLICT)
    answer(c, 200, json_pack("{s:b,s:I,s:I,s:s}", "ok", 0, "entries", (json_int_t)n, "first_bad",
                             (json_int_t)bad, "reason", jb_engine_error(e)));
  else
    engine_fail(c, e, rc);
}

/* ---- search --------------------------------------------------------------------------- */

static void search(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const params[] = {"q", "type", "limit", "min_seq", NULL};
  if (!only_params(c, params) || !wait_seq(s, c, e))
    return;
  const jb_server_config *cfg = jb__srv_config(s);
  const char *q = jb_qs_get(&c->qs, "q"), *type = jb_qs_get(&c->qs, "type");
  if (!q || !*q) {
    fail(c, 400, "q: required");
    return;
  }
  size_t chars = 0, terms = 0;
  int in = 0;
  for (const char *p = q; *p; p++) {
    if (((unsigned char)*p & 0xC0) != 0x80)
      chars++;
    int sp = *p == ' ' || *p == '\t';
    if (!sp && !in)
      terms++;
    in = !sp;
  }
  if (chars > cfg->query_max) {
    fail(c, 400, "q: longer than %zu characters (limits.query_chars)", cfg->query_max);
    return;
  }
  if (terms > cfg->terms_max) {
    fail(c, 400, "q: more than %zu words (limits.query_terms)", cfg->terms_max);
    return;
  }
  if (type && jb_rec_type_of(type) < 0) {
    fail(c, 400, "type: must be org, expert, output or challenge");
    return;
  }
  long long limit = 10;
  if (!num_param(c, "limit", 1, (long long)cfg->page_max, &limit))
    return;
  jb_hit *hits = NULL;
  size_t n = 0;
  /* more than asked: others' drafts are dropped below */
  int rc = jb_engine_search(e, q, type, (size_t)limit + 50, &hits, &n);
  if (rc != JB_OK) {
    engine_fail(c, e, rc);
    return;
  }
  json_t *arr = json_array();
  for (size_t i = 0; i < n && json_array_size(arr) < (size_t)limit; i++) {
    int t = jb_rec_type_of(hits[i].type);
    if (t == JB_REC_CHALLENGE && !jb_authz_sees_all(k) &&
        !sees_record(e, k, hits[i].type, hits[i].id))
      continue;
    char *hl = jb_highlight(hits[i].title ? hits[i].title : "", hits[i].matched);
    json_t *words = json_array();
    /* every matched word, whole (a fixed buffer cut the last one) */
    char *buf = strdup(hits[i].matched ? hits[i].matched : "");
    for (char *save = NULL, *w = buf ? strtok_r(buf, " ", &save) : NULL; w;
         w = strtok_r(NULL, " ", &save))
      json_array_append_new(words, json_string(w));
    free(buf);
    json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:f,s:o,s:s}", "type", hits[i].type, "id",
                                         hits[i].id, "title", hits[i].title ? hits[i].title : "",
                                         "score", hits[i].score, "matched", words, "highlight",
                                         hl ? hl : ""));
    free(hl);
  }
  jb_hits_free(hits, n);
  answer(c, 200, json_pack("{s:s,s:o}", "q", q, "hits", arr));
}

/* ---- matches ---------------------------------------------------------------------------- */

/* the match reviews of challenge cid (a new reference; NULL on error):
 * all of them with their private notes (only_org NULL: officers and the
 * issuer), or the candidate's view of those of only_org (state and reason
 * code, no note) */
static json_t *reviews_of(jb_engine *e, const char *cid, const char *only_org) {
  char *rs = NULL;
  json_t *all =
      jb_engine_match_reviews(e, cid, only_org, &rs) == JB_OK ? json_loads(rs, 0, NULL) : NULL;
  free(rs);
  return all;
}

/* the review of candidate (type, id) among all, as shown in a match list
 * (the note only where the list of reviews carries it) */
static json_t *find_review(const json_t *all, const char *type, const char *id) {
  for (size_t x = 0; type && id && x < json_array_size(all); x++) {
    json_t *r = json_array_get(all, x);
    if (!strcmp(json_string_value(json_object_get(r, "type")), type) &&
        !strcmp(json_string_value(json_object_get(r, "id")), id))
      return json_pack("{s:O,s:O*,s:O*}", "state", json_object_get(r, "state"), "reason",
                       json_object_get(r, "reason"), "note", json_object_get(r, "note"));
  }
  return NULL;
}

/* Adds each match's review ("review": {state, reason[, note]}) and drops
 * dismissed matches from a challenge's list unless asked. A challenge's list
 * (seen by officers and its issuer: `sees`) shows its reviews with their
 * private notes; a candidate's list of open challenges shows each
 * challenge's review of this candidate, so a declined candidate learns the
 * reason code — the officer's note only when the viewer is an officer
 * (only_org NULL), never for the candidate's own org (only_org its org). */
static char *annotate_reviews(jb_engine *e, int sees, const char *only_org, const jb_call *c,
                              char *out, int with_dismissed) {
  json_t *j = json_loads(out, 0, NULL), *ms = json_object_get(j, "matches");
  if (!j)
    return out;
  int fwd = c->type == JB_REC_CHALLENGE;
  /* a challenge's list: its reviews, read once; a candidate's list: each
   * challenge's reviews in turn */
  json_t *mine = sees && fwd ? reviews_of(e, c->id, NULL) : NULL;
  json_t *kept = json_array();
  for (size_t i = 0; i < json_array_size(ms); i++) {
    json_t *m = json_array_get(ms, i), *rv = NULL;
    const char *mtype = json_string_value(json_object_get(m, "type"));
    const char *mid = json_string_value(json_object_get(m, "id"));
    if (sees && fwd) {
      rv = find_review(mine, mtype, mid);
    } else if (sees) {
      json_t *theirs = reviews_of(e, mid, only_org);
      rv = find_review(theirs, jb_rec_type_name(c->type), c->id);
      json_decref(theirs);
    }
    const char *state = rv ? json_string_value(json_object_get(rv, "state")) : NULL;
    if (fwd && state && !strcmp(state, "dismissed") && !with_dismissed) {
      json_decref(rv);
      continue;
    }
    if (rv)
      json_object_set_new(m, "review", rv);
    json_array_append(kept, m);
  }
  json_object_set_new(j, "matches", kept);
  json_decref(mine);
  char *n = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10));
  json_decref(j);
  if (!n)
    return out;
  free(out);
  return n;
}

static void matches(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const fwd[] = {"kind", "limit", "explain_filtered", "reciprocal",
                                    "include_dismissed", "min_seq", NULL};
  static const char *const rev[] = {"limit", "reciprocal", "min_seq", NULL};
  int is_ch = c->type == JB_REC_CHALLENGE;
  if (!only_params(c, is_ch ? fwd : rev) || !wait_seq(s, c, e))
    return;
  const char *type = jb_rec_type_name(c->type);
  int rc;
  json_t *rec = load_record(e, type, c->id);
  if (!rec || !jb_authz_visible(k, c->type, rec)) {
    json_decref(rec);
    fail(c, 404, "%s '%s' not found", type, c->id);
    return;
  }
  /* a challenge's reviews are shown to officers and its issuer; a
   * candidate's, to officers and (without notes) the candidate's own org */
  const char *owner = jb_authz_owner(c->type, rec);
  int officer = jb_authz_sees_all(k);
  int sees_reviews = officer || (is_ch ? jb_authz_is_issuer(k, rec)
                                       : k->org[0] && owner && !strcmp(owner, k->org));
  json_decref(rec);
  long long limit = 10;
  int explain = 0, recip = 0;
  const char *kind = jb_qs_get(&c->qs, "kind");
  if (!num_param(c, "limit", 1, (long long)jb__srv_config(s)->page_max, &limit) ||
      !bool_param(c, "explain_filtered", &explain) || !bool_param(c, "reciprocal", &recip))
    return;
  if (kind && strcmp(kind, "output") && strcmp(kind, "expert") && strcmp(kind, "org")) {
    fail(c, 400, "kind: must be output, expert or org");
    return;
  }
  int with_dismissed = 0;
  if (!bool_param(c, "include_dismissed", &with_dismissed))
    return;
  jb_match_req r = {type, c->id, kind, (size_t)limit, explain, jb__srv_weights(s), recip};
  char *out = NULL;
  rc = jb_engine_match(e, &r, &out);
  if (rc == JB_OK)
    out = annotate_reviews(e, sees_reviews, officer ? NULL : k->org, c, out, with_dismissed);
  if (rc == JB_ENOENT) {
    fail(c, 404, "%s", jb_engine_error(e));
    return;
  }
  if (rc != JB_OK) {
    engine_fail(c, e, rc);
    return;
  }
  c->status = 200;
  c->resp = out;
}

/* the vague-need assistant: terms the best candidates share and the need
 * lacks (whoever sees the challenge; accepting one is a PATCH) */
static void suggest(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  static const char *const params[] = {"limit", "min_seq", NULL};
  if (!only_params(c, params) || !wait_seq(s, c, e))
    return;
  long long limit = 10;
  if (!num_param(c, "limit", 1, 50, &limit))
    return;
  json_t *ch = visible_challenge(c, e, k);
  if (!ch)
    return;
  json_decref(ch);
  char *out = NULL;
  int rc = jb_engine_suggest(e, c->id, jb__srv_weights(s), (size_t)limit, &out);
  if (rc == JB_ENOENT) {
    fail(c, 404, "%s", jb_engine_error(e));
    return;
  }
  if (rc != JB_OK) {
    engine_fail(c, e, rc);
    return;
  }
  c->status = 200;
  c->resp = out;
}

/* ---- keys ------------------------------------------------------------------------------- */

static void create_key(jb_server *s, jb_call *c) {
  static const char *const none[] = {NULL};
  if (!only_params(c, none))
    return;
  json_t *b = NULL;
  char err[512];
  if (!c->body_len) {
    fail(c, 400, "body: {\"role\": ..., \"org\": ...} is required");
    return;
  }
  if (jb_rec_parse(c->body, c->body_len, &b, err, sizeof err) != JB_OK) {
    fail(c, 400, "%s", err);
    return;
  }
  const char *key;
  json_t *v;
  json_object_foreach(b, key, v) {
    if (strcmp(key, "role") && strcmp(key, "org")) {
      fail(c, 400, "%s: unknown field (role, org)", key);
      json_decref(b);
      return;
    }
  }
  json_t *role = json_object_get(b, "role"), *org = json_object_get(b, "org");
  if (!json_is_object(b) || !json_is_string(role) || (org && !json_is_string(org))) {
    fail(c, 400, "role: required string; org: string");
    json_decref(b);
    return;
  }
  jb_engine *w = jb__srv_writer_lock(s);
  jb_key_info info;
  char *secret = NULL;
  int rc = jb_engine_key_create(w, json_string_value(role), json_string_value(org), &info, &secret);
  if (rc == JB_OK)
    rc = jb_engine_audit(w, c->key_id, "key_create", "key", info.id, NULL, NULL, info.role);
  if (rc != JB_OK)
    engine_fail(c, w, rc);
  jb__srv_writer_unlock(s);
  json_decref(b);
  if (rc != JB_OK)
    return;
  answer(c, 201, json_pack("{s:s,s:s,s:s,s:s*,s:s}", "id", info.id, "key", secret, "role",
                           info.role, "org", info.org[0] ? info.org : NULL, "note",
                           "the key is shown once; only its hash is stored"));
  free(secret);
}

static void revoke_key(jb_server *s, jb_call *c) {
  static const char *const none[] = {NULL};
  if (!only_params(c, none))
    return;
  jb_engine *w = jb__srv_writer_lock(s);
  int rc = jb_engine_key_revoke(w, c->id);
  if (rc == JB_OK)
    rc = jb_engine_audit(w, c->key_id, "key_revoke", "key", c->id, NULL, NULL, "");
  jb__srv_writer_unlock(s);
  if (rc == JB_ENOENT)
    fail(c, 404, "no active key '%s'", c->id);
  else if (rc != JB_OK)
    engine_fail(c, NULL, rc);
  else
    answer(c, 200, json_pack("{s:s,s:b}", "id", c->id, "revoked", 1));
}

/* ---- dispatch --------------------------------------------------------------------------- */

void jb__routes_run(jb_server *s, jb_call *c) {
  char err[1024];
  jb_engine *e = jb__srv_reader(s, err, sizeof err);
  if (!e) {
    log_event("reader_failed", NULL, err);
    fail(c, 503, "the store cannot be read right now");
    return;
  }
  jb_key_info k;
  if (!authenticate(c, e, &k))
    return;
  int admin = !strcmp(k.role, "admin");
  int get = !strcmp(c->method, "GET") || !strcmp(c->method, "HEAD");
  switch (c->route) {
  case R_KEYS:
  case R_KEY:
    if (!admin) {
      fail(c, 403, "only admin keys manage keys");
      return;
    }
    if (c->route == R_KEYS)
      create_key(s, c);
    else
      revoke_key(s, c);
    return;
  case R_SEARCH:
    search(s, c, e, &k);
    return;
  case R_COLLECTION:
    if (get)
      list_records(s, c, e, &k);
    else
      write_record(s, c, &k);
    return;
  case R_RECORD:
    if (get)
      get_record(c, e, &k);
    else
      write_record(s, c, &k);
    return;
  case R_MATCHES:
    matches(s, c, e, &k);
    return;
  case R_STATUS:
    transition(s, c, &k);
    return;
  case R_LINT:
    lint(s, c, e, &k);
    return;
  case R_APPS:
    applications(s, c, e, &k);
    return;
  case R_REVIEWERS:
  case R_SCORES:
    reviewers_or_scores(s, c, e, &k);
    return;
  case R_RANKING:
    ranking(c, e, &k);
    return;
  case R_MILESTONES:
    milestones(s, c, e, &k);
    return;
  case R_MREVIEWS:
    match_reviews(s, c, e, &k);
    return;
  case R_SAVED:
    saved(s, c, e, &k);
    return;
  case R_SAVED_NEW:
    saved_new(s, c, e, &k);
    return;
  case R_STATS:
    stats(c, e, &k);
    return;
  case R_SUGGEST:
    suggest(s, c, e, &k);
    return;
  case R_AUDIT:
  case R_AUDIT_VERIFY:
    if (!jb_authz_sees_all(&k)) {
      fail(c, 403, "the audit log is for officers and admins");
      return;
    }
    if (c->route == R_AUDIT)
      audit_list(s, c, e);
    else
      audit_verify(c, e);
    return;
  default:
    fail(c, 404, "no such route");
  }
}
