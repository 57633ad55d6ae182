/* SPDX-License-Identifier: GPL-3.0-or-later */
/* h_records.c: the records routes (GET, POST /v1/{type}; GET, PUT, PATCH,
 * DELETE /v1/{type}/{id}) and search (GET /v1/search). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "api/authz.h"
#include "api/body.h"
#include "api/cursor.h"
#include "api/handlers.h"
#include "api/highlight.h"
#include "api/request.h"
#include "engine/record.h"
#include "locale/jb_locale.h"

/* ---- records ---------------------------------------------------------------------------- */

/* A challenge as it is shown: one that never left draft may be stored
 * without a status (an import); every read says "draft" (docs/lifecycle.md). */
static json_t *shown(int type, json_t *rec) {
  if (type == JB_REC_CHALLENGE && json_is_object(rec) && !json_object_get(rec, "status"))
    json_object_set_new(rec, "status", json_string("draft"));
  return rec;
}

void jb__h_get_record(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  char *text = NULL;
  int rc = jb_engine_get(e, jb_rec_type_name(c->type), c->id, &text);
  if (rc == JB_ENOENT) {
    JB_FAILM(c, 404, NOT_FOUND, jb_rec_type_name(c->type), c->id);
    return;
  }
  if (rc != JB_OK) {
    jb__engine_fail(c, e, rc);
    return;
  }
  if (c->type != JB_REC_CHALLENGE) {
    /* everyone with a key sees these whole: the stored canonical text as is */
    if (jb__not_modified(c, text)) {
      free(text);
      return;
    }
    c->status = 200;
    c->resp = text;
    return;
  }
  json_t *rec = jb__parse_record(text);
  if (!rec || !jb_authz_visible(k, c->type, rec)) {
    free(text);
    json_decref(rec);
    JB_FAILM(c, 404, NOT_FOUND, jb_rec_type_name(c->type), c->id);
    return;
  }
  /* the tag of the stored version (what If-Match compares), after the
   * visibility check: an unseen draft has no tag to probe */
  int nm = jb__not_modified(c, text);
  free(text);
  if (nm) {
    json_decref(rec);
    return;
  }
  json_t *out = shown(c->type, jb_authz_redact(k, c->type, rec));
  json_t *award = jb__award_view(e, k, rec, c->id); /* public once awarded */
  if (award)
    json_object_set_new(out, "award", award);
  json_decref(rec);
  jb__answer(c, 200, out);
}

struct list_acc {
  json_t *items;
  const jb_key_info *k;
  int type;
  char last[513]; /* a stored id (legacy ids reach 512 bytes) */
};

static int list_one(void *ctx, const char *json) {
  struct list_acc *a = ctx;
  json_t *rec = jb__parse_record(json);
  if (!rec)
    return JB_EINTERNAL;
  snprintf(a->last, sizeof a->last, "%s", json_string_value(json_object_get(rec, "id")));
  json_array_append_new(a->items, shown(a->type, jb_authz_redact(a->k, a->type, rec)));
  json_decref(rec);
  return 0;
}

void jb__h_list_records(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  long long limit;
  char pos[JB_CURSOR_POS_MAX + 1];
  /* sort=id (the default) or newest: each order its own cursors ('r', 'n') */
  const char *sort = jb_qs_get(&c->qs, "sort");
  if (sort && strcmp(sort, "id") && strcmp(sort, "newest")) {
    JB_FAILM(c, 400, LIST_SORT);
    return;
  }
  int newest = sort && !strcmp(sort, "newest");
  char kind = newest ? 'n' : 'r';
  if (!jb__page_params(s, c, kind, 20, &limit, pos, sizeof pos))
    return;
  /* visibility (others' drafts) is in the store's filter: limit counts
   * rows the caller sees */
  jb_list_filter f = {jb_qs_get(&c->qs, "kind"), jb_qs_get(&c->qs, "status"),
                      jb_qs_get(&c->qs, "org"), jb_qs_get(&c->qs, "region"),
                      jb_qs_get(&c->qs, "field"), !jb_authz_sees_all(k), jb_authz_drafts_of(k),
                      newest, INT64_MAX};
  /* a newest cursor's position is "SEQ:ID" (the last row's creation and id) */
  const char *after = pos[0] ? pos : NULL;
  if (newest && after) {
    char *end;
    long long seq = strtoll(pos, &end, 10);
    if (*end != ':' || seq < 0) { /* our own cursor, checked: never happens */
      JB_FAILM(c, 400, BAD_CURSOR);
      return;
    }
    f.after_seq = seq;
    after = end + 1;
  }
  struct list_acc a = {json_array(), k, c->type, ""};
  int64_t total = 0;
  /* one more than asked: whether there is a next page */
  int rc = jb_engine_list(e, jb_rec_type_name(c->type), &f, after, (size_t)limit + 1, list_one,
                          &a);
  if (rc == JB_OK)
    rc = jb_engine_list_count(e, jb_rec_type_name(c->type), &f, &total);
  if (rc != JB_OK) {
    json_decref(a.items);
    jb__engine_fail(c, e, rc);
    return;
  }
  const char *next = NULL;
  char npos[JB_CURSOR_POS_MAX + 1];
  if (json_array_size(a.items) > (size_t)limit) {
    json_array_remove(a.items, (size_t)limit);
    next = json_string_value(json_object_get(json_array_get(a.items, (size_t)limit - 1), "id"));
    int64_t seq = 0;
    if (next && newest) {
      if ((rc = jb_engine_created(e, jb_rec_type_name(c->type), next, &seq)) != JB_OK) {
        json_decref(a.items);
        jb__engine_fail(c, e, rc);
        return;
      }
      snprintf(npos, sizeof npos, "%lld:%s", (long long)seq, next);
      next = npos;
    }
  }
  jb__answer(c, 200, jb__page_answer(a.items, kind, next, total, 0));
}

void jb__add_similar(jb_server *s, jb_engine *e, const jb_key_info *k, const char *id,
                        json_t *ans);

json_t *jb__write_answer(jb_engine *e, int type, const char *id, int64_t seq) {
  json_t *rec = shown(type, jb__stored_record(e, jb_rec_type_name(type), id));
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
    JB_FAILM(c, 400, STATUS_ROUTE,
         id, was, next);
    return 400;
  }
  if (old && json_object_get(old, "status"))
    json_object_set(rec, "status", json_object_get(old, "status"));
  return 0;
}

/* A challenge's award is shown with it (GET) but made only by the award
 * transition: a PUT or PATCH body may carry it back as it was read (it is
 * dropped, so read-modify-write works), any other award is a 400. Returns
 * 0 with *text and *len the body to parse (*own a malloc'd copy or NULL),
 * or 400 after answering. */
static int drop_award(jb_call *c, jb_engine *e, const jb_key_info *k, const char **text,
                      size_t *len, char **own) {
  *text = c->body;
  *len = c->body_len;
  *own = NULL;
  json_t *b = c->body_len ? json_loadb(c->body, c->body_len, JSON_REJECT_DUPLICATES, NULL) : NULL;
  json_t *aw = json_object_get(b, "award");
  if (!aw) { /* malformed bodies are jb_api_body's to refuse */
    json_decref(b);
    return 0;
  }
  json_t *ch = c->id[0] ? jb__stored_record(e, "challenge", c->id) : NULL;
  json_t *now = ch && jb_authz_visible(k, JB_REC_CHALLENGE, ch) ? jb__award_view(e, k, ch, c->id)
                                                                : NULL;
  int same = now ? json_equal(aw, now) : json_is_null(aw);
  json_decref(now);
  json_decref(ch);
  if (same) {
    json_object_del(b, "award");
    *own = json_dumps(b, JSON_COMPACT);
  }
  json_decref(b);
  if (!same || !*own) {
    if (same)
      JB_FAILM(c, 503, NO_MEMORY);
    else
      JB_FAILM(c, 400, AWARD_READ_ONLY, c->id[0] ? c->id : "ID");
    return 400;
  }
  *text = *own;
  *len = strlen(*own);
  return 0;
}

void jb__h_write_record(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  const char *type = jb_rec_type_name(c->type);
  int is_post = c->route == R_CREATE, is_patch = !strcmp(c->method, "PATCH");
  int is_delete = !strcmp(c->method, "DELETE");
  char err[1024], *own = NULL;
  jb_emsg bm;
  json_t *rec = NULL;
  const char *body = c->body;
  size_t body_len = c->body_len;
  if (c->type == JB_REC_CHALLENGE && !is_delete && drop_award(c, e, k, &body, &body_len, &own))
    return;
  /* the body first: a malformed body is a 400 whoever sends it */
  if (!is_delete && !is_patch) {
    int rc = jb_api_body_m(body, body_len, type, is_post ? NULL : c->id, NULL, &rec, err,
                           sizeof err, &bm);
    if (rc != JB_OK) {
      free(own);
      jb__fail_emsg(c, rc == JB_ENOMEM ? 503 : 400, &bm, err);
      return;
    }
  } else if (is_delete && c->body_len) {
    JB_FAILM(c, 400, DELETE_BODY);
    return;
  }
  const char *id = rec ? json_string_value(json_object_get(rec, "id")) : c->id;
  jb_engine *w = jb__srv_writer_lock(s);
  char *old_text = NULL;
  json_t *old = NULL;
  int rc = id ? jb_engine_get(w, type, id, &old_text) : JB_ENOENT;
  if (rc == JB_OK)
    old = jb__parse_record(old_text);
  /* a stored body that no longer parses (damage, an older rule): officers
   * and admins may still delete it, with its raw text in the audit */
  int unreadable = rc == JB_OK && !old;
  if (rc != JB_OK && rc != JB_ENOENT) {
    jb__engine_fail(c, w, rc);
    goto out;
  }
  if (old && !jb_authz_visible(k, c->type, old)) {
    JB_FAILM(c, 404, NOT_FOUND, type, id);
    goto out;
  }
  if (!old && (is_patch || is_delete) && !(is_delete && unreadable && jb_authz_sees_all(k))) {
    JB_FAILM(c, 404, NOT_FOUND, type, id);
    goto out;
  }
  if (old && is_post) {
    JB_FAILM(c, 409, EXISTS, type, id,
         type, id);
    goto out;
  }
  if (is_patch) {
    rc = jb_api_body_m(body, body_len, type, c->id, old, &rec, err, sizeof err, &bm);
    if (rc != JB_OK) {
      jb__fail_emsg(c, rc == JB_ENOMEM ? 503 : 400, &bm, err);
      goto out;
    }
  }
  if (c->type == JB_REC_CHALLENGE && rec && keep_status(c, old, rec, id) != 0)
    goto out;
  jb_msg why = M_COUNT;
  int st = jb_authz_check_m(k, is_delete ? JB_ACT_DELETE : old ? JB_ACT_UPDATE : JB_ACT_CREATE,
                          c->type, old, rec, &why);
  if (st) {
    if (st == 404)
      JB_FAILM(c, 404, NOT_FOUND, type, id);
    else if (why != M_COUNT)
      jb__failm(c, st, why); /* the catalogue's sentences take no arguments */
    else
      JB_FAILM(c, st, NOT_ALLOWED);
    goto out;
  }
  int64_t seq = 0;
  /* the change and its audit entry commit together */
  char *before = old ? jb_rec_canonical(old) : unreadable ? strdup(old_text) : NULL, *after = NULL;
  if ((rc = jb_engine_begin(w)) != JB_OK) {
    free(before);
    jb__engine_fail(c, w, rc);
    goto out;
  }
  /* If-Match / If-None-Match against the version this transaction is about
   * to replace: read again inside it, so no other write can come between
   * the check and the change (RFC 9110 13.1) */
  if (c->if_match || c->if_none_match) {
    char *cur = NULL;
    int grc = id ? jb_engine_get(w, type, id, &cur) : JB_ENOENT;
    int pst = 0;
    if (grc != JB_OK && grc != JB_ENOENT) {
      jb__engine_fail(c, w, grc);
      pst = 500;
    } else if ((grc == JB_OK) != (old_text != NULL) || (cur && strcmp(cur, old_text))) {
      JB_FAILM(c, 409, CHANGED_WHILE_CHECKED, type, id);
      pst = 409;
    } else {
      pst = jb__precondition(c, grc == JB_OK ? cur : NULL);
    }
    free(cur);
    if (pst) {
      jb_engine_rollback(w);
      free(before);
      goto out;
    }
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
    jb__engine_fail(c, w, rc2);
    goto out;
  }
  c->wrote = seq;
  if (is_delete) {
    jb__answer(c, 200, json_pack("{s:s,s:s,s:b,s:I}", "type", type, "id", id, "deleted", 1, "seq",
                             (json_int_t)seq));
    goto out;
  }
  jb__set_etag(c, w, type, id);
  json_t *ans = jb__write_answer(w, c->type, id, seq);
  if (c->type == JB_REC_CHALLENGE && !old)
    jb__add_similar(s, w, k, id, ans);
  jb__answer(c, old ? 200 : 201, ans);
out:
  jb__srv_writer_unlock(s);
  free(own);
  free(old_text);
  json_decref(rec);
  json_decref(old);
}

/* Near-duplicate needs, reported with a new or newly published challenge
 * and by its lint: only those k may see (the same rule as every read:
 * another org's draft does not exist for the caller). */
void jb__add_similar(jb_server *s, jb_engine *e, const jb_key_info *k, const char *id,
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
    if (jb__sees_record(e, k, "challenge", json_string_value(json_object_get(x, "id"))))
      json_array_append(seen, x);
  }
  json_decref(all);
  json_object_set_new(ans, "similar", seen);
}

/* ---- search --------------------------------------------------------------------------- */

/* an RFC 3339 full-date (YYYY-MM-DD, a real day) */
static int full_date(const char *v) {
  int y, m, d;
  char tail;
  if (strlen(v) != 10 || v[4] != '-' || v[7] != '-' ||
      sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9'))
      return 0;
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
    return 0;
  return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* a non-negative amount, or NAN when absent; 0 after a 400 */
static int amount_param(jb_call *c, const char *name, double *v) {
  const char *t = jb_qs_get(&c->qs, name);
  *v = NAN;
  if (!t)
    return 1;
  char *end;
  errno = 0;
  double x = strtod(t, &end);
  if (!*t || *end || errno || !isfinite(x) || x < 0 || (t[0] < '0' || t[0] > '9')) {
    JB_FAILM(c, 400, BAD_AMOUNT, name);
    return 0;
  }
  *v = x;
  return 1;
}

/* the filters, order and page of GET /v1/search into r: 1, or 0 after a 400 */
static int search_params(jb_call *c, jb_search_req *r, char today[11]) {
  r->type = jb_qs_get(&c->qs, "type");
  r->status = jb_qs_get(&c->qs, "status");
  r->field = jb_qs_get(&c->qs, "field");
  r->region = jb_qs_get(&c->qs, "region");
  r->org_kind = jb_qs_get(&c->qs, "org_kind");
  r->deadline_from = jb_qs_get(&c->qs, "deadline_from");
  r->deadline_to = jb_qs_get(&c->qs, "deadline_to");
  if (r->type && jb_rec_type_of(r->type) < 0) {
    JB_FAILM(c, 400, IMPORT_TYPE);
    return 0;
  }
  if (r->status && !jb_lifecycle_next(r->status)) {
    JB_FAILM(c, 400, BAD_STATUS_FILTER);
    return 0;
  }
  if (r->region) {
    size_t n = strlen(r->region), d = strspn(r->region, "0123456789");
    if (d != n || (n != 2 && n != 4 && n != 6)) {
      JB_FAILM(c, 400, BAD_REGION_FILTER);
      return 0;
    }
  }
  if (r->field && (!*r->field || strlen(r->field) > 64)) {
    JB_FAILM(c, 400, BAD_FIELD_FILTER);
    return 0;
  }
  if (r->org_kind && (!*r->org_kind || strlen(r->org_kind) > 32)) {
    JB_FAILM(c, 400, BAD_ORG_KIND_FILTER);
    return 0;
  }
  if ((r->deadline_from && !full_date(r->deadline_from)) ||
      (r->deadline_to && !full_date(r->deadline_to))) {
    JB_FAILM(c, 400, BAD_DATE_PARAM,
             r->deadline_from && !full_date(r->deadline_from) ? "deadline_from" : "deadline_to");
    return 0;
  }
  if (r->deadline_from && r->deadline_to && strcmp(r->deadline_from, r->deadline_to) > 0) {
    JB_FAILM(c, 400, DEADLINE_ORDER);
    return 0;
  }
  if (!amount_param(c, "funding_min", &r->funding_min) ||
      !amount_param(c, "funding_max", &r->funding_max))
    return 0;
  if (!isnan(r->funding_min) && !isnan(r->funding_max) && r->funding_min > r->funding_max) {
    JB_FAILM(c, 400, FUNDING_ORDER);
    return 0;
  }
  if (!jb__bool_param(c, "open", &r->open))
    return 0;
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(today, 11, "%Y-%m-%d", &tm);
  r->today = today;
  const char *sort = jb_qs_get(&c->qs, "sort");
  if (sort) {
    /* indexed by JB_SORT_* */
    static const char *const names[] = {"relevance", "deadline", "funding", "newest"};
    r->sort = -1;
    for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
      if (!strcmp(sort, names[i]))
        r->sort = i;
    if (r->sort < 0) {
      JB_FAILM(c, 400, SEARCH_SORT);
      return 0;
    }
  }
  /* a deadline or funding filter, open or an order by them: only challenges have them */
  return 1;
}

void jb__h_search(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  if (!jb__wait_seq(s, c, e))
    return;
  const jb_server_config *cfg = jb__srv_config(s);
  const char *q = jb_qs_get(&c->qs, "q");
  if (!q || !*q) {
    JB_FAILM(c, 400, Q_REQUIRED);
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
    JB_FAILM(c, 400, Q_TOO_LONG, cfg->query_max);
    return;
  }
  if (terms > cfg->terms_max) {
    JB_FAILM(c, 400, Q_TOO_MANY, cfg->terms_max);
    return;
  }
  jb_search_req r;
  jb_search_req_init(&r);
  r.query = q;
  char today[11];
  if (!search_params(c, &r, today))
    return;
  long long limit;
  size_t offset;
  if (!jb__page_offset(s, c, 'q', 10, &limit, &offset))
    return;
  int all_seen = jb_authz_sees_all(k);
  json_t *arr = json_array();
  uint64_t estimate = 0;
  size_t next = 0;
  int more = 0;
  /* limit counts the hits shown: others' drafts are dropped as they come,
   * and the next chunk is fetched until the page (and one more) is full */
  for (int round = 0; round < 20 && !more; round++) {
    jb_hit *hits = NULL;
    size_t n = 0;
    r.offset = offset;
    r.limit = (size_t)limit + 1 + (round ? 50 : 10);
    uint64_t est = 0;
    int rc = jb_engine_search_req(e, &r, &hits, &n, &est);
    if (rc != JB_OK) {
      json_decref(arr);
      jb__engine_fail(c, e, rc);
      return;
    }
    if (!round)
      estimate = est;
    size_t i = 0;
    for (; i < n; i++) {
      int t = jb_rec_type_of(hits[i].type);
      if (t == JB_REC_CHALLENGE && !all_seen && !jb__sees_record(e, k, hits[i].type, hits[i].id))
        continue;
      if (json_array_size(arr) == (size_t)limit) {
        more = 1; /* a visible hit after the page: there is a next page, from here */
        break;
      }
      char *hl = jb_highlight(hits[i].title ? hits[i].title : "", hits[i].matched);
      char *sn = jb_snippet(hits[i].text, hits[i].matched, 120);
      json_t *words = json_array();
      /* every matched word, whole (a fixed buffer cut the last one) */
      char *buf = strdup(hits[i].matched ? hits[i].matched : "");
      for (char *save = NULL, *w = buf ? strtok_r(buf, " ", &save) : NULL; w;
           w = strtok_r(NULL, " ", &save))
        json_array_append_new(words, json_string(w));
      free(buf);
      json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:f,s:o,s:s,s:s}", "type", hits[i].type,
                                           "id", hits[i].id, "title",
                                           hits[i].title ? hits[i].title : "", "score",
                                           hits[i].score, "matched", words, "highlight",
                                           hl ? hl : "", "snippet", sn ? sn : ""));
      free(hl);
      free(sn);
    }
    offset += i;
    next = offset;
    jb_hits_free(hits, n);
    if (n < r.limit) /* the ranking is exhausted */
      break;
  }
  char cur[24] = "";
  if (more)
    snprintf(cur, sizeof cur, "%zu", next);
  json_t *ans = jb__page_answer(arr, 'q', more ? cur : NULL, (int64_t)estimate, 1);
  json_object_set(ans, "hits", json_object_get(ans, "items"));
  json_object_del(ans, "items");
  json_object_set_new(ans, "q", json_string(q));
  jb__answer(c, 200, ans);
}
