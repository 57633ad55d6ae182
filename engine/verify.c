/* SPDX-License-Identifier: GPL-3.0-or-later */
/* verify.c: the store's honesty — the quarantine of records the indexer
 * cannot apply, and jb_engine_verify (every stored record parses, validates
 * and is in the index; every quarantined one is named). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "engine/engine_int.h"
#include "engine/jiebang.h"
#include "engine/record.h"
#include "engine/store.h"

/* ---- quarantine ------------------------------------------------------------------ */

int jb__permanent(int rc) {
  return rc == JB_EINVAL || rc == JB_ESYNTAX || rc == JB_EUTF8 || rc == JB_ETOOBIG;
}

int jb__quarantine(jb_engine *e, jb_index *w, int type, const char *id, int64_t seq, int rc) {
  if (!jb__permanent(rc))
    return rc;
  char why[600];
  snprintf(why, sizeof why, "%s", e->err[0] ? e->err : jb_strerror(rc));
  const char *tname = jb_rec_type_name(type);
  /* what the index held of it is out of date: it goes */
  int r = jb_index_delete(w, tname, id);
  if (r != JB_OK)
    return jb__eset(e, r, "index: %s", jb_index_error(w));
  if ((r = jb__store_quarantine_put(e->st, type, id, seq, why)) != JB_OK)
    return jb__eset_store(e, r);
  jb__store_quarantine_count(e->st, &e->quarantined);
  jb__notice(e,
             "quarantined %s '%s' (change %lld): %s; the index goes on without it (`jiebang "
             "verify` lists it; fix it with a new version or `jiebang delete %s ID`)",
             tname, id, (long long)seq, why, tname);
  e->err[0] = '\0';
  return JB_OK;
}

int jb__quarantine_release(jb_engine *e, int type, const char *id) {
  if (e->quarantined <= 0)
    return JB_OK;
  int rc = jb__store_quarantine_clear(e->st, type, id);
  if (rc == JB_OK)
    rc = jb__store_quarantine_count(e->st, &e->quarantined);
  return rc == JB_OK ? JB_OK : jb__eset_store(e, rc);
}

int jb__refused_add(jb__refused *r, int type, const char *id, const char *err) {
  if (r->n == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 16;
    struct jb__refused_item *nv = realloc(r->v, cap * sizeof *nv);
    if (!nv)
      return JB_ENOMEM;
    r->v = nv;
    r->cap = cap;
  }
  struct jb__refused_item *it = &r->v[r->n];
  it->type = type;
  it->id = strdup(id);
  it->err = strdup(err);
  if (!it->id || !it->err) {
    free(it->id);
    free(it->err);
    return JB_ENOMEM;
  }
  r->n++;
  return JB_OK;
}

int jb__requarantine(jb_engine *e, const jb__refused *r, int64_t last) {
  int rc = jb__store_quarantine_clear(e->st, 0, NULL);
  for (size_t i = 0; i < r->n && rc == JB_OK; i++) {
    rc = jb__store_quarantine_put(e->st, r->v[i].type, r->v[i].id, last, r->v[i].err);
    if (rc == JB_OK)
      jb__notice(e, "quarantined %s '%s': %s; the index goes on without it (`jiebang verify` "
                    "lists it)",
                 jb_rec_type_name(r->v[i].type), r->v[i].id, r->v[i].err);
  }
  if (rc == JB_OK)
    rc = jb__store_quarantine_count(e->st, &e->quarantined);
  return rc == JB_OK ? JB_OK : jb__eset_store(e, rc);
}

void jb__refused_free(jb__refused *r) {
  for (size_t i = 0; r && i < r->n; i++) {
    free(r->v[i].id);
    free(r->v[i].err);
  }
  if (r)
    free(r->v);
}

int64_t jb_engine_quarantined(const jb_engine *e) { return e ? e->quarantined : 0; }

struct qlist_ctx {
  int (*cb)(void *, const char *, const char *, int64_t, const char *);
  void *ctx;
};

static int qlist_one(void *ctx, const jb_quarantine_row *q) {
  struct qlist_ctx *c = ctx;
  return c->cb(c->ctx, jb_rec_type_name(q->type), q->id, q->seq, q->error);
}

int jb_engine_quarantine_list(jb_engine *e,
                              int (*cb)(void *ctx, const char *type, const char *id, int64_t seq,
                                        const char *error),
                              void *ctx) {
  if (!e || !cb)
    return JB_EINVAL;
  struct qlist_ctx c = {cb, ctx};
  int rc = jb__store_quarantine_foreach(e->st, qlist_one, &c);
  if (rc < 0 && jb__store_error(e->st)[0])
    jb__eset_store(e, rc);
  return rc;
}

/* ---- checking a stored record ------------------------------------------------------ */

int jb__check_stored(int type, const char *id, const char *body, char *err, size_t errlen) {
  const char *tname = jb_rec_type_name(type);
  json_t *rec = NULL;
  char why[512];
  size_t len = body ? strlen(body) : 0;
  int rc = jb_rec_parse(body ? body : "", len, &rec, why, sizeof why);
  if (rc == JB_OK) {
    int t;
    jb_rec_ref refs[JB_REC_MAX_REFS];
    size_t nrefs;
    rc = jb_rec_validate(rec, &t, refs, &nrefs, why, sizeof why);
    const char *rid = json_string_value(json_object_get(rec, "id"));
    if (rc == JB_OK && (t != type || !rid || strcmp(rid, id))) {
      snprintf(why, sizeof why, "its body is %s '%s', not what it is stored under",
               jb_rec_type_name(t), rid ? rid : "");
      rc = JB_EINVAL;
    }
    char *canon = rc == JB_OK ? jb_rec_canonical(rec) : NULL;
    if (rc == JB_OK && !canon)
      rc = JB_ENOMEM;
    else if (rc == JB_OK && strcmp(canon, body)) {
      snprintf(why, sizeof why, "its text is not the canonical form of its JSON");
      rc = JB_EINVAL;
    }
    free(canon);
    json_decref(rec);
  }
  if (rc == JB_ENOMEM)
    snprintf(err, errlen, "out of memory");
  else if (rc != JB_OK)
    snprintf(err, errlen, "stored %s '%s' is not a valid record (%s): fix it with a new version "
                          "or remove it with `jiebang delete %s ID`",
             tname, id, why, tname);
  return rc == JB_ENOMEM ? rc : rc != JB_OK ? JB_EINVAL : JB_OK;
}

/* ---- verify ------------------------------------------------------------------------- */

struct verify_ctx {
  jb_engine *e;
  int64_t records, present, bad;
};

static int verify_one(void *ctx, int type, const char *id, const char *body) {
  struct verify_ctx *c = ctx;
  char err[1024];
  c->records++;
  int rc = jb__check_stored(type, id, body, err, sizeof err);
  if (rc == JB_ENOMEM)
    return rc;
  if (rc != JB_OK) {
    c->bad++;
    jb__notice(c->e, "%s", err);
  }
  int has = c->e->ix ? jb_index_has(c->e->ix, jb_rec_type_name(type), id) : 0;
  if (has < 0)
    return jb__eset(c->e, JB_EINDEX, "index: %s", jb_index_error(c->e->ix));
  if (has)
    c->present++;
  else if (rc == JB_OK && c->e->ix) {
    c->bad++;
    jb__notice(c->e, "%s '%s' is in the store but not in the index", jb_rec_type_name(type), id);
  }
  return 0;
}

static int verify_quarantined(void *ctx, const char *type, const char *id, int64_t seq,
                              const char *error) {
  struct verify_ctx *c = ctx;
  c->bad++;
  jb__notice(c->e, "quarantined %s '%s' (change %lld, not in the index): %s", type, id,
             (long long)seq, error);
  return 0;
}

int jb_engine_verify(jb_engine *e) {
  if (!e)
    return JB_EINVAL;
  e->err[0] = '\0';
  char err[256];
  if (jb__store_check(e->st, err, sizeof err) != JB_OK)
    return jb__eset(e, JB_ESTORE,
                    "the database is damaged (integrity_check: %s): export what still reads "
                    "and restore from a backup",
                    err);
  struct verify_ctx c = {e, 0, 0, 0};
  int rc = jb__store_begin_read(e->st);
  if (rc == JB_OK)
    rc = jb__store_foreach(e->st, -1, verify_one, &c);
  if (rc == JB_OK)
    rc = jb_engine_quarantine_list(e, verify_quarantined, &c);
  jb__store_rollback(e->st);
  if (rc != JB_OK)
    return e->err[0] ? rc : jb__eset_store(e, rc);
  if (!e->ix)
    return jb__eset(e, JB_EINDEX, "there is no index: `jiebang reindex` builds it");
  uint64_t docs;
  if (jb_index_doccount(e->ix, &docs) != JB_OK)
    return jb__eset(e, JB_EINDEX, "index: %s", jb_index_error(e->ix));
  if ((int64_t)docs != c.present) {
    c.bad++;
    jb__notice(e, "the index holds %llu documents, of which %lld are stored records",
               (unsigned long long)docs, (long long)c.present);
  }
  if (c.bad)
    return jb__eset(e, c.records == c.present ? JB_EINDEX : JB_ESTORE,
                    "%lld problem%s in %lld records (listed above)", (long long)c.bad,
                    c.bad == 1 ? "" : "s", (long long)c.records);
  return JB_OK;
}
