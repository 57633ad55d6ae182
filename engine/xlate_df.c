/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xlate_df.c: the document frequencies the translation's sense choice asks
 * for (match_xlate.c), kept while the index stays in one state. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "engine/jb_text.h"
#include "engine/match_int.h"

/* The sense choice asks the index for the documents of each candidate's terms
 * (a one-term search each, about 0.36 M instructions at 10k outputs; tens per
 * need). They are kept beside the lexicon (jb_xlex_set_aux: freed with it)
 * while the index is in the same state: the same handle, committed revision,
 * document count and applied sequence; any change empties them. A reader over
 * several databases has no single revision: it keeps nothing. The index of a
 * writer changes only by a sync, which commits (a batch that failed before
 * its commit is retried by the next sync; until then its uncommitted changes
 * may be seen by searches but not by these counts). */
typedef struct {
  char *key; /* field, kind and text, NUL-separated; NULL: an empty slot */
  size_t len;
  double df;
} dfent;

struct jb__xl_dfcache {
  const jb_index *ix;
  uint64_t rev, docs;
  int64_t applied;
  dfent *v;
  size_t cap, n;
};
typedef struct jb__xl_dfcache dfcache;

#define XL_DF_MAX 65536 /* entries before the cache starts again */

static void df_clear(dfcache *c) {
  for (size_t i = 0; i < c->cap; i++)
    free(c->v[i].key);
  free(c->v);
  c->v = NULL;
  c->cap = c->n = 0;
}

static void df_free(void *p) {
  if (!p)
    return;
  df_clear(p);
  free(p);
}

jb__xl_dfcache *jb__xl_df_cache(jb_engine *e) {
  if (!e->xl || e->xl_state != 1 || !e->ix)
    return NULL;
  uint64_t rev = 0, docs = 0;
  if (jb_index_revision(e->ix, &rev) != JB_OK || jb_index_doccount(e->ix, &docs) != JB_OK)
    return NULL;
  dfcache *c = jb_xlex_aux(e->xl);
  if (!c) {
    if (!(c = calloc(1, sizeof *c)))
      return NULL;
    jb_xlex_set_aux(e->xl, c, df_free);
    c->ix = NULL;
  }
  if (c->ix != e->ix || c->rev != rev || c->docs != docs || c->applied != e->applied ||
      c->n >= XL_DF_MAX) {
    df_clear(c);
    c->ix = e->ix;
    c->rev = rev;
    c->docs = docs;
    c->applied = e->applied;
  }
  return c;
}

static uint64_t df_hash(const char *k, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)k[i]) * 1099511628211ULL;
  return h;
}

/* the slot of key k (len n) in c: its entry, or the empty slot it goes in */
static dfent *df_slot(dfcache *c, const char *k, size_t n) {
  size_t m = c->cap - 1;
  for (size_t i = (size_t)df_hash(k, n) & m;; i = (i + 1) & m)
    if (!c->v[i].key || (c->v[i].len == n && !memcmp(c->v[i].key, k, n)))
      return &c->v[i];
}

static int df_grow(dfcache *c) {
  size_t ncap = c->cap ? c->cap * 2 : 1024;
  dfcache g = *c;
  g.v = calloc(ncap, sizeof *g.v);
  if (!g.v)
    return JB_ENOMEM;
  g.cap = ncap;
  for (size_t i = 0; i < c->cap; i++)
    if (c->v[i].key)
      *df_slot(&g, c->v[i].key, c->v[i].len) = c->v[i];
  free(c->v);
  c->v = g.v;
  c->cap = ncap;
  return JB_OK;
}

double jb__xl_term_docs(jb_engine *e, jb__xl_dfcache *c, const char *field, int kind,
                        const char *text, size_t len) {
  char buf[256];
  size_t fl = strlen(field), n = fl + 1 + 1 + len;
  if (!c || n > sizeof buf)
    return jb__term_docs(e, field, kind, text, len);
  memcpy(buf, field, fl);
  buf[fl] = '\0';
  buf[fl + 1] = (char)('0' + kind);
  memcpy(buf + fl + 2, text, len);
  if (c->cap) {
    dfent *s = df_slot(c, buf, n);
    if (s->key)
      return s->df;
  }
  double df = jb__term_docs(e, field, kind, text, len);
  if ((c->n + 1) * 2 > c->cap && df_grow(c) != JB_OK)
    return df;
  dfent *s = df_slot(c, buf, n);
  if (!(s->key = malloc(n)))
    return df;
  memcpy(s->key, buf, n);
  s->len = n;
  s->df = df;
  c->n++;
  return df;
}

