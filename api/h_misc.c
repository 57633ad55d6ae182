/* SPDX-License-Identifier: GPL-3.0-or-later */
/* h_misc.c: saved searches, statistics, the audit log. */
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
#include "common/jb_time.h"
#include "engine/record.h"
#include "locale/jb_locale.h"

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
      if (t == JB_REC_CHALLENGE && !jb_authz_sees_all(k) && !jb__sees_record(e, k, h[i].type, h[i].id))
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
  if (!jb__sees_record(e, k, type, id)) {
    snprintf(err, errlen, "%s '%s' is gone or no longer visible to this key", type, id);
    return JB_ENOENT;
  }
  jb_match_req r;
  jb_match_req_init(&r);
  r.type = (jb_rec_type)jb_rec_type_of(type);
  r.id = id;
  const char *kind = json_string_value(json_object_get(mq, "kind"));
  if (kind) /* checked when the search was saved */
    r.kind = (jb_rec_type)jb_rec_type_of(kind);
  r.limit = 50;
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
        !jb__sees_record(e, k, mt, json_string_value(json_object_get(m, "id"))))
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

/* a saved search's stored look (Unix seconds, or null) as it is shown: RFC 3339 */
static json_t *look_time(const json_t *v) {
  char ts[JB_RFC3339_LEN];
  return json_is_integer(v) ? json_string(jb_time_rfc3339(json_integer_value(v), ts)) : json_null();
}

void jb__h_saved(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  if (!strcmp(c->method, "DELETE")) {
    jb_engine *w = jb__srv_writer_lock(s);
    /* If-Match on the saved search's own tag, checked under the writer lock */
    char *text = NULL;
    int rc = c->if_match || c->if_none_match ? jb_engine_saved_get(w, k->id, c->id, &text) : JB_OK;
    if (rc != JB_OK && rc != JB_ENOENT) {
      jb__srv_writer_unlock(s);
      jb__engine_fail(c, NULL, rc);
      return;
    }
    if ((c->if_match || c->if_none_match) && jb__precondition(c, rc == JB_OK ? text : NULL)) {
      free(text);
      jb__srv_writer_unlock(s);
      return;
    }
    free(text);
    rc = jb_engine_saved_delete(w, k->id, c->id);
    jb__srv_writer_unlock(s);
    if (rc == JB_ENOENT)
      JB_FAILM(c, 404, NO_SAVED, c->id);
    else if (rc != JB_OK)
      jb__engine_fail(c, NULL, rc);
    else
      jb__answer(c, 200, json_pack("{s:s,s:b}", "id", c->id, "deleted", 1));
    return;
  }
  if (strcmp(c->method, "POST")) {
    char *out = NULL;
    int rc = jb_engine_saved_list(e, k->id, &out);
    if (rc != JB_OK) {
      jb__engine_fail(c, e, rc);
      return;
    }
    json_t *all = json_loads(out, 0, NULL), *it;
    size_t i;
    json_array_foreach(all, i, it) {
      if (json_object_get(it, "last_look"))
        json_object_set_new(it, "last_look", look_time(json_object_get(it, "last_look")));
      /* its own entity tag, for a DELETE with If-Match */
      char *text = NULL, tag[JB_REC_ETAG_SIZE];
      const char *sid = json_string_value(json_object_get(it, "id"));
      if (sid && jb_engine_saved_get(e, k->id, sid, &text) == JB_OK) {
        jb_rec_etag(text, strlen(text), tag);
        json_object_set_new(it, "etag", json_string(tag));
      }
      free(text);
    }
    free(out);
    if (!json_is_array(all)) {
      json_decref(all);
      JB_FAILM(c, 500, INTERNAL_ERROR);
      return;
    }
    jb__page_array(s, c, all, 's', "id", NULL);
    return;
  }
  json_t *b = NULL;
  char err[512];
  jb_emsg pm;
  if (!c->body_len || jb_rec_parse_m(c->body, c->body_len, &b, err, sizeof err, &pm) != JB_OK) {
    if (c->body_len)
      jb__fail_emsg(c, 400, &pm, err);
    else
      JB_FAILM(c, 400, SAVED_BODY_REQUIRED);
    return;
  }
  json_t *sq = json_object_get(b, "search"), *mq = json_object_get(b, "match"), *name = json_object_get(b, "name");
  jb_msg why = M_COUNT; /* none */
  if (!json_is_object(b) || json_object_size(b) != (size_t)(!!sq + !!mq + !!name) || !!sq == !!mq)
    why = M_SAVED_BODY;
  else if (name && (!json_is_string(name) || strlen(json_string_value(name)) > 200))
    why = M_SAVED_NAME;
  else if (sq && (!json_is_object(sq) || !json_is_string(json_object_get(sq, "q")) ||
                  json_object_size(sq) != 1u + !!json_object_get(sq, "type") ||
                  (json_object_get(sq, "type") && jb_rec_type_of(json_string_value(json_object_get(sq, "type"))) < 0)))
    why = M_SAVED_SEARCH;
  else if (mq && (!json_is_object(mq) || jb_rec_type_of(json_string_value(json_object_get(mq, "type"))) < 0 ||
                  !json_is_string(json_object_get(mq, "id")) ||
                  json_object_size(mq) != 2u + !!json_object_get(mq, "kind") ||
                  (json_object_get(mq, "kind") && !json_is_string(json_object_get(mq, "kind")))))
    why = M_SAVED_MATCH;
  if (why != M_COUNT) {
    json_decref(b);
    jb__failm(c, 400, why); /* the four take no arguments */
    return;
  }
  if (mq) { /* the record must be one the caller sees */
    const char *t = json_string_value(json_object_get(mq, "type")), *id = json_string_value(json_object_get(mq, "id"));
    if (!jb__sees_record(e, k, t, id)) {
      JB_FAILM(c, 400, SAVED_MATCH_NOT_FOUND, t, id); /* t and id live in b */
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
    JB_FAILM(c, 503, NO_RANDOM);
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
  char *stored = NULL;
  if (rc == JB_OK && jb_engine_saved_get(w, k->id, id, &stored) == JB_OK)
    jb_rec_etag(stored, strlen(stored), c->etag);
  jb__srv_writer_unlock(s);
  free(stored);
  free(text);
  if (rc != JB_OK) {
    json_decref(b);
    jb__engine_fail(c, NULL, rc);
    return;
  }
  json_object_del(b, "seen");
  json_object_set_new(b, "etag", json_string(c->etag));
  jb__answer(c, 201, b);
}

void jb__h_saved_new(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  if (!jb__wait_seq(s, c, e))
    return;
  char *text = NULL, err[512] = "";
  if (jb_engine_saved_get(e, k->id, c->id, &text) != JB_OK) {
    JB_FAILM(c, 404, NO_SAVED, c->id);
    return;
  }
  json_t *q = json_loads(text, 0, NULL), *keys = NULL, *hits = NULL;
  free(text);
  int rc = q ? saved_run(s, e, k, q, &keys, &hits, err, sizeof err) : JB_EINTERNAL;
  if (rc != JB_OK) {
    json_decref(keys);
    json_decref(hits);
    if (rc == JB_ENOENT) { /* the match's subject is gone or hidden (saved_run) */
      json_t *mq = json_object_get(q, "match");
      const char *gt = json_string_value(json_object_get(mq, "type"));
      const char *gi = json_string_value(json_object_get(mq, "id"));
      JB_FAILM(c, 404, SAVED_GONE, gt ? gt : "record", gi ? gi : "?");
    } else
      jb__engine_fail(c, NULL, rc);
    json_decref(q);
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
  json_t *prev = look_time(json_object_get(q, "last_look"));
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
    jb__engine_fail(c, NULL, rc);
  } else {
    jb__answer(c, 200, json_pack("{s:s,s:o,s:o,s:I}", "id", c->id, "new", fresh, "previous_look", prev,
                             "matching_now", (json_int_t)json_array_size(keys)));
  }
  json_decref(q);
  json_decref(keys);
  json_decref(hits);
}

void jb__h_stats(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  if (!jb_authz_sees_all(k)) {
    JB_FAILM(c, 403, STATS_STAFF);
    return;
  }
  char *out = NULL;
  int rc = jb_engine_lifecycle_stats(e, &out);
  if (rc != JB_OK) {
    jb__engine_fail(c, e, rc);
    return;
  }
  c->status = 200;
  c->resp = out;
}

static int audit_one(void *ctx, const char *json) {
  json_array_append_new(ctx, json_loads(json, 0, NULL));
  return 0;
}

static int audit_count(void *ctx, const char *json) {
  (void)json;
  ++*(int64_t *)ctx;
  return 0;
}

void jb__h_audit_list(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  long long limit;
  char pos[32];
  if (!jb__page_params(s, c, 'a', 50, &limit, pos, sizeof pos))
    return;
  long long after = 0;
  if (pos[0]) { /* the cursor holds the last entry's seq */
    char *end;
    after = strtoll(pos, &end, 10);
    if (*end || after < 0) {
      JB_FAILM(c, 400, BAD_CURSOR);
      return;
    }
  }
  const char *actor = jb_qs_get(&c->qs, "actor"), *action = jb_qs_get(&c->qs, "action"),
             *type = jb_qs_get(&c->qs, "type"), *id = jb_qs_get(&c->qs, "id");
  json_t *items = json_array();
  int64_t total = 0;
  int rc = jb_engine_audit_list(e, actor, action, type, id, after, (size_t)limit + 1, audit_one,
                                items);
  if (rc == JB_OK)
    rc = jb_engine_audit_list(e, actor, action, type, id, 0, 0, audit_count, &total);
  if (rc != JB_OK) {
    json_decref(items);
    jb__engine_fail(c, e, rc);
    return;
  }
  char next[32] = "";
  if (json_array_size(items) > (size_t)limit) {
    json_array_remove(items, (size_t)limit);
    snprintf(next, sizeof next, "%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(json_array_get(items, (size_t)limit - 1), "seq")));
  }
  jb__answer(c, 200, jb__page_answer(items, 'a', next[0] ? next : NULL, total, 0));
}

void jb__h_audit_verify(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  int64_t n = 0, bad = 0;
  int rc = jb_engine_audit_verify(e, &n, &bad);
  if (rc == JB_OK)
    jb__answer(c, 200, json_pack("{s:b,s:I}", "ok", 1, "entries", (json_int_t)n));
  else if (rc == JB_ECONFLICT) {
    /* the reason in the request's language, its catalogue code beside it */
    const jb_emsg *m = jb_engine_error_msg(e);
    char why[1024];
    if (m)
      jb_emsg_render(m, c->lang, 1, why, sizeof why);
    json_t *ans = json_pack("{s:b,s:I,s:I,s:s}", "ok", 0, "entries", (json_int_t)n, "first_bad",
                            (json_int_t)bad, "reason", m ? why : jb_engine_error(e));
    if (ans && m)
      json_object_set_new(ans, "code", json_string(jb_emsg_code(m->id)));
    jb__answer(c, 200, ans);
  }
  else
    jb__engine_fail(c, e, rc);
}

