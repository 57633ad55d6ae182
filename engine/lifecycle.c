/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lifecycle.c: the 揭榜挂帅 challenge lifecycle (docs/lifecycle.md) —
 * transitions and who may make them, need linting, near-duplicate needs, and
 * the tamper-evident audit log (a SHA-256 hash chain). */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/jb_time.h"
#include "locale/jb_locale.h"
#include "engine/engine_int.h"
#include "engine/record.h"

/* ---- transitions ------------------------------------------------------------------- */

enum { ISSUER = 1, OFFICER = 2 }; /* officer: officers and admins */

static const struct {
  const char *from, *to;
  int who;
} TRANSITIONS[] = {
    {"draft", "published", ISSUER | OFFICER},     {"draft", "cancelled", ISSUER | OFFICER},
    {"published", "reviewing", ISSUER | OFFICER}, {"published", "closed", ISSUER | OFFICER},
    {"published", "cancelled", OFFICER},          {"reviewing", "awarded", OFFICER},
    {"reviewing", "closed", OFFICER},             {"reviewing", "cancelled", OFFICER},
    {"awarded", "in_progress", ISSUER | OFFICER}, {"awarded", "cancelled", OFFICER},
    {"in_progress", "accepted", OFFICER},         {"in_progress", "failed", OFFICER},
};
#define NTRANS (sizeof TRANSITIONS / sizeof *TRANSITIONS)

static const char *const STATES[] = {"draft",       "published", "reviewing", "awarded", "in_progress",
                                     "accepted",    "failed",    "closed",    "cancelled"};

const char *jb_lifecycle_next(const char *from) {
  static char lists[9][96];
  if (!from)
    from = "draft";
  for (size_t s = 0; s < 9; s++) {
    if (strcmp(STATES[s], from))
      continue;
    if (!lists[s][0] && s < 5) { /* built once; the final states keep "" */
      char buf[96] = "";
      for (size_t i = 0; i < NTRANS; i++)
        if (!strcmp(TRANSITIONS[i].from, from))
          snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", buf[0] ? ", " : "",
                   TRANSITIONS[i].to);
      memcpy(lists[s], buf, sizeof buf);
    }
    return lists[s];
  }
  return NULL;
}

int jb_actor_is_officer(const jb_actor *w) {
  return w && w->role && (!strcmp(w->role, "admin") || !strcmp(w->role, "officer"));
}

int jb_actor_is_issuer(const jb_actor *w, const char *issuer) {
  return w && w->role && !strcmp(w->role, "enterprise") && issuer && w->org &&
         !strcmp(w->org, issuer);
}

int jb__tx_begin(jb_engine *e, int *began) {
  *began = 0;
  if (e->in_batch)
    return JB_OK;
  int rc = jb_engine_begin(e);
  *began = rc == JB_OK;
  return rc;
}

int jb__tx_end(jb_engine *e, int rc, int began) {
  if (!began)
    return rc;
  if (rc == JB_OK)
    return jb_engine_commit(e);
  jb_engine_rollback(e);
  return rc;
}

/* ---- lint ------------------------------------------------------------------------------ */

static int has_digit(const char *s) {
  for (; s && *s; s++)
    if (isdigit((unsigned char)*s))
      return 1;
  return 0;
}

/* adds the finding {"field", "code", "message"} (message id in lang) to arr */
static void problem(json_t *arr, const char *field, int lang, int id, ...) {
  jb_emsg m;
  char msg[600];
  va_list ap;
  va_start(ap, id);
  jb_emsg_vset(&m, field, id, ap);
  va_end(ap);
  jb_emsg_render(&m, lang, 0, msg, sizeof msg);
  json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "field", field, "code", jb_emsg_code(id),
                                       "message", msg));
}
#define PROBLEM(arr, field, lang, ID, ...)                                                      \
  (JB_EMSG_CHECK(ID, ##__VA_ARGS__), problem((arr), (field), (lang), JB_EM_##ID, ##__VA_ARGS__))

static long days_of(const char *date) {
  int y, m, d;
  if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return -1;
  struct tm tm = {0};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  return (long)(timegm(&tm) / 86400);
}

static json_t *lint_json(const json_t *ch, long today, int min_days, int lang) {
  json_t *errors = json_array(), *warnings = json_array();
  const char *p = json_string_value(json_object_get(ch, "problem"));
  if (!p || !*p)
    PROBLEM(errors, "problem", lang, lint_problem_required);
  json_t *ind = json_object_get(ch, "indicators");
  int measurable = 0;
  for (size_t i = 0; i < json_array_size(ind); i++) {
    json_t *x = json_array_get(ind, i), *t = json_object_get(x, "target");
    int num = json_is_number(t) || (json_is_string(t) && has_digit(json_string_value(t)));
    const char *unit = json_string_value(json_object_get(x, "unit"));
    measurable |= num;
    char f[48];
    snprintf(f, sizeof f, "indicators[%zu]", i);
    const char *name = json_string_value(json_object_get(x, "name"));
    if (!num)
      PROBLEM(warnings, f, lang, lint_indicator_no_number, name ? name : "");
    else if (!unit || !*unit)
      PROBLEM(warnings, f, lang, lint_indicator_no_unit, name ? name : "");
  }
  if (!measurable)
    PROBLEM(errors, "indicators", lang, lint_no_measurable);
  const char *dl = json_string_value(json_object_get(ch, "deadline"));
  long d = days_of(dl);
  if (!dl) {
    PROBLEM(errors, "deadline", lang, lint_deadline_required);
  } else if (d < today) {
    PROBLEM(errors, "deadline", lang, lint_deadline_passed);
  } else if (d - today < min_days) {
    PROBLEM(warnings, "deadline", lang, lint_deadline_close, d - today, min_days);
  }
  json_t *fu = json_object_get(ch, "funding");
  if (!fu || !(json_number_value(json_object_get(fu, "amount")) > 0))
    PROBLEM(errors, "funding", lang, lint_funding_required);
  const char *ip = json_string_value(json_object_get(ch, "ip_terms"));
  if (!ip || !*ip)
    PROBLEM(errors, "ip_terms", lang, lint_ip_terms_required);
  return json_pack("{s:b,s:o,s:o}", "ok", json_array_size(errors) == 0, "errors", errors,
                   "warnings", warnings);
}

int jb_challenge_lint(const char *challenge, long today, int min_days, char **out) {
  return jb_challenge_lint_lang(challenge, today, min_days, JB_EMSG_EN, out);
}

int jb_challenge_lint_lang(const char *challenge, long today, int min_days, int lang, char **out) {
  *out = NULL;
  json_t *ch = challenge ? json_loads(challenge, 0, NULL) : NULL;
  if (!json_is_object(ch)) {
    json_decref(ch);
    return JB_ESYNTAX;
  }
  json_t *r = lint_json(ch, today, min_days, lang);
  *out = json_dumps(r, JSON_COMPACT);
  json_decref(r);
  json_decref(ch);
  return *out ? JB_OK : JB_ENOMEM;
}

/* ---- audit ---------------------------------------------------------------------------- */

static void entry_hash(const jb_audit_row *a, char out[65]) {
  const char *f[] = {a->actor, a->action, a->type, a->id, a->before, a->after, a->detail, a->prev};
  size_t n = 64;
  for (int i = 0; i < 8; i++)
    n += strlen(f[i]) + 24;
  char *buf = malloc(n), *p = buf;
  if (!buf) {
    memset(out, '!', 64);
    out[64] = '\0';
    return;
  }
  /* length-prefixed fields: no two entries share an encoding */
  p += snprintf(p, n, "%lld;%lld;", (long long)a->seq, (long long)a->at);
  for (int i = 0; i < 8; i++)
    p += snprintf(p, n - (size_t)(p - buf), "%zu:%s;", strlen(f[i]), f[i]);
  jb__sha256_hex(buf, (size_t)(p - buf), out);
  free(buf);
}

int jb_engine_audit(jb_engine *e, const char *actor, const char *action, const char *type,
                    const char *id, const char *before, const char *after, const char *detail) {
  if (!e || e->o.readonly || !actor || !action || !type || !id)
    return JB_EINVAL;
  int own = !e->in_batch, rc;
  if (own && (rc = jb__store_begin(e->st)) != JB_OK)
    return jb__eset_store(e, rc);
  char prev[65], hb[65] = "", ha[65] = "", h[65];
  int64_t last;
  rc = jb__store_audit_head(e->st, &last, prev);
  if (before)
    jb__sha256_hex(before, strlen(before), hb);
  if (after)
    jb__sha256_hex(after, strlen(after), ha);
  jb_audit_row a = {last + 1, (int64_t)time(NULL), actor, action, type, id, hb, ha,
                    detail ? detail : "", prev, h};
  entry_hash(&a, h);
  if (rc == JB_OK)
    rc = jb__store_audit_add(e->st, &a);
  if (rc != JB_OK)
    jb__eset(e, rc, "audit: %s", jb__store_error(e->st));
  /* the webhook events of the change, in its transaction (engine/hooks_events.c) */
  if (rc == JB_OK)
    rc = jb__hooks_on_audit(e, action, type, id, after, detail);
  if (own) {
    if (rc == JB_OK && (rc = jb__store_commit(e->st)) != JB_OK)
      jb__eset_store(e, rc);
    if (rc != JB_OK)
      jb__store_rollback(e->st);
  }
  return rc;
}

struct alist {
  int (*cb)(void *, const char *);
  void *ctx;
};

static int alist_one(void *ctx, const jb_audit_row *a) {
  struct alist *l = ctx;
  char at[JB_RFC3339_LEN];
  json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq", (json_int_t)a->seq,
                        "at", jb_time_rfc3339(a->at, at), "actor", a->actor, "action", a->action, "type",
                        a->type, "id", a->id, "before", a->before, "after", a->after, "detail",
                        a->detail, "prev", a->prev, "hash", a->hash);
  char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  if (!s)
    return JB_ENOMEM;
  int rc = l->cb(l->ctx, s);
  free(s);
  return rc;
}

int jb_engine_audit_list(jb_engine *e, const char *actor, const char *action, const char *type,
                         const char *id, int64_t after, size_t limit,
                         int (*cb)(void *ctx, const char *json), void *ctx) {
  if (!e || !cb)
    return JB_EINVAL;
  jb_audit_row f = {0};
  f.actor = actor;
  f.action = action;
  f.type = type;
  f.id = id;
  struct alist l = {cb, ctx};
  int rc = jb__store_audit_foreach(e->st, &f, after, limit, alist_one, &l);
  if (rc < 0 && rc != JB_ENOMEM && jb__store_error(e->st)[0])
    jb__eset_store(e, rc);
  return rc;
}

struct verify {
  jb_engine *e;
  int64_t n, expect, bad;
  char prev[65];
};

static int verify_one(void *ctx, const jb_audit_row *a) {
  struct verify *v = ctx;
  char h[65];
  if (a->seq != v->expect) {
    v->bad = v->expect;
    if (a->seq > v->expect)
      JB__EM(v->e, JB_ECONFLICT, NULL, audit_missing, (long long)v->expect);
    else
      JB__EM(v->e, JB_ECONFLICT, NULL, audit_out_of_order, (long long)v->expect);
    return 1;
  }
  entry_hash(a, h);
  if (strcmp(h, a->hash)) {
    v->bad = a->seq;
    JB__EM(v->e, JB_ECONFLICT, NULL, audit_changed, (long long)a->seq);
    return 1;
  }
  if (strcmp(a->prev, v->prev)) {
    v->bad = a->seq;
    JB__EM(v->e, JB_ECONFLICT, NULL, audit_not_following, (long long)a->seq, (long long)(a->seq - 1));
    return 1;
  }
  snprintf(v->prev, sizeof v->prev, "%s", a->hash);
  v->n++;
  v->expect++;
  return 0;
}

int jb_engine_audit_verify(jb_engine *e, int64_t *entries, int64_t *first_bad) {
  if (!e || !entries || !first_bad)
    return JB_EINVAL;
  e->err[0] = '\0';
  *entries = *first_bad = 0;
  struct verify v = {e, 0, 1, -1, ""};
  snprintf(v.prev, sizeof v.prev, "%064d", 0);
  int rc = jb__store_begin_read(e->st);
  if (rc != JB_OK)
    return jb__eset_store(e, rc);
  rc = jb__store_audit_foreach(e->st, NULL, 0, 0, verify_one, &v);
  int64_t hseq = 0;
  char hhash[65];
  if (rc == JB_OK)
    rc = jb__store_audit_head(e->st, &hseq, hhash);
  jb__store_rollback(e->st);
  if (rc == 1) {
    *entries = v.n;
    *first_bad = v.bad;
    return JB_ECONFLICT;
  }
  if (rc != JB_OK)
    return jb__eset_store(e, rc);
  *entries = v.n;
  if (hseq != v.n || (v.n && strcmp(hhash, v.prev))) {
    *first_bad = v.n + 1 <= hseq ? v.n + 1 : hseq;
    return JB__EM(e, JB_ECONFLICT, NULL, audit_cut, (long long)v.n, (long long)hseq);
  }
  return JB_OK;
}

/* ---- transitions ---------------------------------------------------------------------- */

int jb_engine_transition(jb_engine *e, const jb_actor *who, const char *id, const char *to,
                         const char *note, int64_t *seq) {
  return jb__engine_transition_in(e, who, id, to, note, seq, 0);
}

int jb__engine_transition_in(jb_engine *e, const jb_actor *who, const char *id, const char *to,
                             const char *note, int64_t *seq, int award) {
  if (seq)
    *seq = 0;
  if (!e || !who || !who->actor || !id || !to || e->o.readonly)
    return JB_EINVAL;
  e->err[0] = '\0';
  free(e->detail);
  e->detail = NULL;
  char *before = NULL;
  int rc = jb__store_get(e->st, JB_REC_CHALLENGE, id, &before);
  if (rc != JB_OK)
    return JB__EM(e, rc, NULL, challenge_not_found, id);
  json_t *ch = json_loads(before, 0, NULL);
  /* a copy: the status string is replaced below */
  char from[32];
  const char *st = json_string_value(json_object_get(ch, "status"));
  snprintf(from, sizeof from, "%s", st ? st : "draft");
  const char *next = jb_lifecycle_next(from);
  int who_may = -1;
  for (size_t i = 0; i < NTRANS; i++)
    if (!strcmp(TRANSITIONS[i].from, from) && !strcmp(TRANSITIONS[i].to, to))
      who_may = TRANSITIONS[i].who;
  if (!jb_lifecycle_next(to)) {
    rc = JB__EM(e, JB_EINVAL, "to", not_a_state, to);
  } else if (who_may < 0) {
    rc = next && *next ? JB__EM(e, JB_ECONFLICT, NULL, transition_not_allowed, from, to, next)
                       : JB__EM(e, JB_ECONFLICT, NULL, transition_final, from, to);
  } else {
    const char *issuer = json_string_value(json_object_get(ch, "org"));
    int may = (jb_actor_is_officer(who) && (who_may & OFFICER)) ||
              ((who_may & ISSUER) && jb_actor_is_issuer(who, issuer));
    if (!may)
      rc = who_may & ISSUER ? JB__EM(e, JB_EPERM, NULL, transition_issuer_only, from, to)
                            : JB__EM(e, JB_EPERM, NULL, transition_officer_only, from, to);
  }
  if (rc == JB_OK && !strcmp(to, "awarded") && !award)
    rc = JB__EM(e, JB_EINVAL, "to", award_needs_winners);
  if (rc == JB_OK && !strcmp(to, "published")) {
    json_t *l = lint_json(ch, (long)(time(NULL) / 86400), 30, JB_EMSG_EN);
    json_t *errs = json_object_get(l, "errors");
    if (json_array_size(errs)) {
      char msg[900] = "";
      for (size_t i = 0; i < json_array_size(errs); i++) {
        json_t *x = json_array_get(errs, i);
        snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "%s%s: %s", i ? "; " : "",
                 json_string_value(json_object_get(x, "field")),
                 json_string_value(json_object_get(x, "message")));
      }
      rc = JB__EM(e, JB_EINVAL, NULL, not_ready_to_publish, msg);
      e->detail = json_dumps(l, JSON_COMPACT); /* the same shape as GET .../lint */
    }
    json_decref(l);
  }
  char *after = NULL;
  if (rc == JB_OK) {
    json_object_set_new(ch, "status", json_string(to));
    after = jb_rec_canonical(ch);
    if (!after)
      rc = JB_ENOMEM;
  }
  int began;
  if (rc == JB_OK && (rc = jb__tx_begin(e, &began)) == JB_OK) {
    char action[64], detail[600];
    snprintf(action, sizeof action, "transition:%s->%s", from, to);
    snprintf(detail, sizeof detail, "%.500s", note ? note : "");
    jb_utf8_clip(detail); /* a note cut inside a character */
    rc = jb_engine_put_json(e, after, strlen(after), seq);
    if (rc == JB_OK && (!strcmp(to, "accepted") || !strcmp(to, "failed")))
      rc = jb__milestone_verdict(e, who, id, to);
    if (rc == JB_OK)
      rc = jb_engine_audit(e, who->actor, action, "challenge", id, before, after, detail);
    rc = jb__tx_end(e, rc, began);
  }
  free(after);
  free(before);
  json_decref(ch);
  return rc;
}

/* ---- near-duplicate needs -------------------------------------------------------------- */

typedef struct {
  char **v;
  size_t n;
} termset;

static int scmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void set_free(termset *s) {
  for (size_t i = 0; i < s->n; i++)
    free(s->v[i]);
  free(s->v);
  s->v = NULL;
  s->n = 0;
}

/* the distinct word and bigram terms of a challenge's title, problem and
 * description */
static int terms_of(jb_engine *e, const json_t *ch, termset *out) {
  out->v = NULL;
  out->n = 0;
  size_t cap = 0;
  static const char *const fields[] = {"title", "problem", "description"};
  for (int f = 0; f < 3; f++) {
    const char *text = json_string_value(json_object_get(ch, fields[f]));
    if (!text)
      continue;
    const jb_term *t;
    size_t n;
    if (jb_tokenize(e->map.tok, text, strlen(text), JB_TOK_WORDS | JB_TOK_BIGRAMS, &t, &n) != JB_OK)
      continue;
    for (size_t i = 0; i < n; i++) {
      if (out->n == cap) {
        cap = cap ? cap * 2 : 64;
        char **v = realloc(out->v, cap * sizeof *v);
        if (!v) {
          set_free(out);
          return JB_ENOMEM;
        }
        out->v = v;
      }
      char *s = malloc(t[i].len + 3);
      if (!s) {
        set_free(out);
        return JB_ENOMEM;
      }
      s[0] = t[i].kind == JB_TERM_BIGRAM ? 'B' : 'W';
      s[1] = ':';
      memcpy(s + 2, t[i].text, t[i].len);
      s[t[i].len + 2] = '\0';
      out->v[out->n++] = s;
    }
  }
  if (out->n)
    qsort(out->v, out->n, sizeof *out->v, scmp);
  size_t o = 0; /* distinct */
  for (size_t i = 0; i < out->n; i++) {
    if (o && !strcmp(out->v[o - 1], out->v[i]))
      free(out->v[i]);
    else
      out->v[o++] = out->v[i];
  }
  out->n = o;
  return JB_OK;
}

static double jaccard(const termset *a, const termset *b) {
  size_t i = 0, j = 0, both = 0;
  while (i < a->n && j < b->n) {
    int c = strcmp(a->v[i], b->v[j]);
    if (c == 0) {
      both++;
      i++;
      j++;
    } else if (c < 0) {
      i++;
    } else {
      j++;
    }
  }
  size_t any = a->n + b->n - both;
  return any ? (double)both / (double)any : 0;
}

struct simctx {
  jb_engine *e;
  const char *self;
  termset mine;
  double threshold;
  json_t *out;
};

static int sim_one(void *ctx, int type, const char *id, const char *body) {
  (void)type;
  struct simctx *c = ctx;
  if (!strcmp(id, c->self))
    return 0;
  json_t *ch = json_loads(body, 0, NULL);
  termset t;
  int rc = ch ? terms_of(c->e, ch, &t) : JB_OK;
  if (ch && rc == JB_OK) {
    double s = jaccard(&c->mine, &t);
    if (s >= c->threshold)
      json_array_append_new(c->out, json_pack("{s:s,s:s,s:f}", "id", id, "title",
                                              jb_rec_title(ch), "similarity",
                                              round(s * 1000) / 1000));
    set_free(&t);
  }
  json_decref(ch);
  return rc == JB_OK ? 0 : rc;
}

static int by_similarity(const void *a, const void *b) {
  double x = json_real_value(json_object_get(*(json_t *const *)a, "similarity"));
  double y = json_real_value(json_object_get(*(json_t *const *)b, "similarity"));
  if (x != y)
    return x > y ? -1 : 1;
  return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "id")),
                json_string_value(json_object_get(*(json_t *const *)b, "id")));
}

int jb_engine_similar(jb_engine *e, const char *id, double threshold, char **json) {
  if (!e || !id || !json || !(threshold >= 0 && threshold <= 1))
    return JB_EINVAL;
  *json = NULL;
  e->err[0] = '\0';
  if (!e->map.tok)
    return JB__EM(e, JB_EINVAL, NULL, no_tokenizer);
  json_t *ch = jb__load_record(e, JB_REC_CHALLENGE, id);
  if (!ch)
    return JB__EM(e, JB_ENOENT, NULL, challenge_not_found, id);
  struct simctx c = {e, id, {NULL, 0}, threshold, json_array()};
  int rc = terms_of(e, ch, &c.mine);
  json_decref(ch);
  if (rc == JB_OK)
    rc = jb__store_foreach(e->st, JB_REC_CHALLENGE, sim_one, &c);
  set_free(&c.mine);
  if (rc == JB_OK) {
    size_t n = json_array_size(c.out);
    json_t **v = malloc((n ? n : 1) * sizeof *v);
    for (size_t i = 0; v && i < n; i++)
      v[i] = json_incref(json_array_get(c.out, i));
    if (v)
      qsort(v, n, sizeof *v, by_similarity);
    json_t *sorted = json_array();
    for (size_t i = 0; v && i < n; i++)
      json_array_append_new(sorted, v[i]);
    free(v);
    *json = json_dumps(sorted, JSON_COMPACT | JSON_REAL_PRECISION(6));
    json_decref(sorted);
    if (!*json)
      rc = JB_ENOMEM;
  }
  json_decref(c.out);
  return rc;
}
