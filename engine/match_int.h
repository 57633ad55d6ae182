/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match_int.h: what the files of matching share (docs/matching.md); not
 * public. engine/match.c holds the two directions and the entry points,
 * match_query.c the query building, match_cands.c recall and the
 * cascade's re-score, match_features.c the re-ranking features,
 * match_explain.c the explanations, match_weights.c the weights. */
#ifndef JB_MATCH_INT_H
#define JB_MATCH_INT_H

#include <math.h>
#include <stddef.h>

#include <jansson.h>

#include "engine/engine_int.h"
#include "engine/record.h"

/* terms taken from a long text (problem, description, abstract, bio): its
 * beginning states the need; more terms cost time and add little */
#define LONG_CAP 80
/* records of evidence named per query item */
#define EV_SRCS 4
/* the features: text field trl region freshness track funding */
#define NFEAT 7

/* A query being built: the Xapian query and, per item, its text (a word, a
 * Han bigram or character; NULL only when out of memory), field (the
 * JB_PFX_BIGRAM or JB_PFX_UNIGRAM letter for those) and evidence.
 * Zero-initialise, set targets, elite, whole and w, then jb__qb_need or
 * jb__qb_source ...; free with jb__qb_free. */
typedef struct {
  jb_ixquery *q;
  char **label;        /* item -> its text */
  char *field;         /* item -> field letter */
  size_t n;
  size_t nitems;       /* items added (1 + the highest index) */
  const char *targets; /* the text fields the candidates have: "TKD" ... */
  unsigned elite;      /* recall ORs only this many strongest items */
  int whole;           /* the cascade's second stage: every term, no cap */
  const jb_match_weights *w;
  /* evidence (reverse matching from an org's or expert's work): the first
   * EV_SRCS records of its work that gave each item ("output:ID"; the query
   * record itself is not listed), the one being added, and the labels,
   * owned here */
  const char *(*src)[EV_SRCS];
  const char *cur;
  char **srcs;
  size_t nsrcs;
  /* translation (match_xlate.c): per item, 1 + the plan's pair that gave it
   * first (0: the need's own words), the pair being added, and the plan
   * (the caller's; it outlives b's explanations) */
  size_t *xl;
  size_t cur_xl;
  /* an English record: its function words and lone letters stay out of
   * the query (in a Chinese collection they are rare, so a BM25 weighs them
   * high, and they mean nothing) */
  int english;
  const struct xl_plan *plan;
  /* the cascade's second stage of a translated need: the plan whose senses
   * the recall's first hits choose (jb__xl_rechoose) and that is then
   * applied to this query, by the first re-score (match_cands.c) */
  struct xl_plan *xl_pending;
  /* for the explanations (jb__explain_prepare): per item, 1 when it is a
   * bigram pairing a function character across the need's words; NULL or
   * items from nloose on: not worked out, asked item by item */
  unsigned char *loose;
  size_t nloose;
} qbuild;

/* one text of the record a query is built from, as match_query.c adds it */
typedef struct {
  const char *text;
  double w;
  size_t cap;
} xl_src;
typedef struct xl_plan xl_plan;

/* A candidate: its record and org (references held), scores and the
 * matched query items (owned). */
typedef struct {
  char type[16];
  char *id;
  json_t *rec;  /* the candidate record */
  json_t *org;  /* its org (its own record for an org) */
  double bm25, score;
  double f[NFEAT]; /* contributions: text field trl region freshness track funding */
  int *items;
  size_t nitems;
  /* orgs: evidence */
  int nev;
  size_t ev[3];
  double evs[3], profile;
  size_t prof; /* 1 + index of the org's own profile candidate, 0 for none */
} cand;

/* the string member k of o, or NULL */
static inline const char *str(const json_t *o, const char *k) {
  const json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* a score as reported: rounded to 6 decimals */
static inline double r6(double x) { return round(x * 1e6) / 1e6; }

/* ---- match_query.c: every function returns JB_OK, JB_ENOMEM, or an index/
 * locale error code (JB_EINVAL, JB_ETOOBIG ...) ---- */

/* Adds the terms of one source text (NULL or "" adds nothing), weight w,
 * at most `cap` terms (cap LONG_CAP: a long text, its most specific
 * sentences; none cut when b->whole). */
int jb__qb_source(jb_engine *e, qbuild *b, const char *text, double w, size_t cap);
/* The candidates' type filter of a match of kind k (JB_REC_OUTPUT,
 * JB_REC_EXPERT; JB_REC_ORG: outputs, experts and orgs) in q, as "none of
 * the other types": JB_OK, JB_EINVAL (another k), JB_ENOMEM. */
int jb__qb_type_filter(jb_ixquery *q, int k);
/* each string of the JSON array arr as a short source */
int jb__qb_list(jb_engine *e, qbuild *b, const json_t *arr, double w);
/* A challenge's query in b->q (made here): title, indicators, keywords,
 * problem and description with the weights w, and the candidates' type
 * filter (kind; k the record type of kind, JB_REC_ORG: all three). */
int jb__qb_need(jb_engine *e, qbuild *b, const json_t *ch, const jb_match_weights *w,
                const char *kind, int k);
/* The texts of rec (a record of type `type`) that its query is built from,
 * with their weights and caps, for translation: *out (caller frees; its
 * strings are rec's) of *n. JB_OK or JB_ENOMEM. */
int jb__qb_srcs(const json_t *rec, int type, const jb_match_weights *w, xl_src **out, size_t *n);
/* an org's or expert's (type, id) work as evidence items of b, and of b2
 * too when not NULL (the cascade's whole query: each record read once for
 * both); sets e's error on a store error */
int jb__qb_evidence(jb_engine *e, qbuild *b, qbuild *b2, int type, const char *id);
/* frees what b holds (not b); a zeroed qbuild is accepted */
void jb__qb_free(qbuild *b);
/* 1 when s[0..len) is one of the single Han characters that are function
 * words in technical Chinese (particles, prepositions, conjunctions,
 * pronouns, light verbs: 的 与 在 和 ...), else 0 */
int jb__function_char(const char *s, size_t len);

/* ---- match_xlate.c: query translation (issue 15) ---- */


/* The bilingual lexicon of e, loaded on first use (jb_text_load_xlex: the
 * glossary and CC-CEDICT); a notice says when it cannot be loaded (NULL
 * then: no translation) or has no CC-CEDICT (the glossary alone). Owned by
 * e. */
const jb_xlex *jb__xl_lexicon(jb_engine *e);
/* The translations of a record's texts srcs[0..n) (the array must outlive
 * *out: jb__xl_apply reads its weights) chosen by the collection, in *out
 * (NULL when nothing is translated: match.translate 0, no index, a need in
 * neither direction, a Chinese need and a collection without English
 * documents, no lexicon). targets: the text fields the candidates have;
 * the probe search is filtered to typefield in types[0..ntypes) (any of
 * them). Returns JB_OK, JB_ENOMEM, or a tokenizer or index error (with
 * e's error set for the index). The caller frees *out with jb__xl_free. */
int jb__xl_plan(jb_engine *e, const jb_match_weights *w, const xl_src *srcs, size_t n,
                const char *targets, const char *typefield, const char *const *types,
                size_t ntypes, xl_plan **out);
/* As jb__xl_plan without the probe search: the senses chosen by prior and
 * presence alone (what jb__xl_senses gives with no co-occurrence), for the
 * cascade's recall; jb__xl_rechoose then chooses them anew from the
 * recall's hits for the second stage. Returns as jb__xl_plan. */
int jb__xl_plan_deferred(jb_engine *e, const jb_match_weights *w, const xl_src *srcs, size_t n,
                         const char *targets, xl_plan **out);
/* Chooses p's senses anew with the co-occurrence in the documents
 * (types[i], ids[i]), i < n, best first (the recall's hits; the first
 * 30 count), as the probe search's hits would: p's chosen pairs are
 * replaced, so a query p was applied to before keeps labels of the old
 * pairs (the caller drops that query's plan). JB_OK, JB_ENOMEM or an index
 * error (e's error set). */
int jb__xl_rechoose(jb_engine *e, xl_plan *p, const char *const *types, const char *const *ids,
                    size_t n);
/* Adds p's chosen translations to b, each at its source's weight x
 * match.translate x its share of its span's best, labelled with its pair;
 * p NULL adds nothing. JB_OK, JB_ENOMEM or a tokenizer error. */
int jb__xl_apply(jb_engine *e, qbuild *b, const xl_plan *p);
/* the number of chosen translations, and pair i: its source words and the
 * translation (owned by p); JB_EINVAL for i out of range */
size_t jb__xl_pairs(const xl_plan *p);
int jb__xl_pair(const xl_plan *p, size_t i, const char **from, const char **to);
/* NULL accepted */
void jb__xl_free(xl_plan *p);
/* The sense selection of one span: of its n candidate translations, with
 * their priors (the lexicon's: glossary 1, 0.9 ...; CC-CEDICT 0.5 ...),
 * document frequencies in the collection and co-occurrence with the need's
 * other translated terms (from the probe search), the ones worth adding,
 * best first, in pick[] (indices) with weight[] (their score over the
 * best's, in (0.5, 1]); both arrays hold at least 3. Score: prior x
 * presence (0 when the collection lacks it; 1 from three documents) x
 * (0.3 + co-occurrence over the span's best): the collection's evidence
 * outweighs the dictionary's order, the prior decides where there is none;
 * a candidate is kept when its score is over half the best, three at most.
 * Returns how many (0 when none occurs in the collection). */
size_t jb__xl_senses(const double *prior, const double *df, const double *cooc, size_t n,
                     size_t *pick, double *weight);
/* 1 when the texts srcs[0..n) are English (ASCII letters over four times
 * the Han characters, at least 8), else 0 */
int jb__xl_english(const xl_src *srcs, size_t n);
/* 1 when the folded Latin word w[0..n) says nothing of a need in any
 * collection (English function words, a lone letter), else 0 */
int jb__xl_stopword(const char *w, size_t n);

/* ---- xlate_df.c: document frequencies for the sense choice ---- */

typedef struct jb__xl_dfcache jb__xl_dfcache;
/* The cache of e's document frequencies, valid for the index as it is now
 * (the same handle, committed revision, document count and applied
 * sequence; any change empties it), or NULL when none can be kept (no
 * lexicon loaded, no index, a reader over several databases, no memory).
 * Owned by e's lexicon (freed with it); valid until e's next sync. */
jb__xl_dfcache *jb__xl_df_cache(jb_engine *e);
/* jb__term_docs (field, kind, text[0..len)) through cache c (NULL: none):
 * a count looked up once per index state. Never fails: a lookup the cache
 * cannot hold (no memory, a key over 256 bytes) is asked of the index. */
double jb__xl_term_docs(jb_engine *e, jb__xl_dfcache *c, const char *field, int kind,
                        const char *text, size_t len);

/* ---- match_cands.c: JB_OK, JB_ENOMEM, or an index error (with e's error
 * set: JB_EINDEX, JB_ESTALE ...) ---- */

/* orders candidates best score first, ties by type and id (qsort) */
int jb__cand_cmp(const void *a, const void *b);
/* frees c[0..n) and c; NULL accepted */
void jb__cands_free(cand *c, size_t n);
/* The recall: up to `limit` candidates of b's query in *out (caller frees
 * with jb__cands_free), each with its record, org and matched items. */
int jb__cands_recall(jb_engine *e, qbuild *b, size_t limit, cand **out, size_t *nout);
/* The matched items of b for the candidates `which` (pointers into an
 * array; those with items already keep them), and what their explanations
 * need from b (jb__explain_prepare). JB_OK, JB_ENOMEM or an index error. */
int jb__cands_matched(jb_engine *e, qbuild *b, cand **which, size_t n);
/* Recall (b), the cascade's second stage when b2 is given, the features
 * against `challenge` (NULL: each candidate is the challenge and `other`
 * the record matched from, other_org its org), expansion from the fields
 * xf when configured: the ranked candidates in *c (*keep of *n kept). */
int jb__cands_ranked(jb_engine *e, qbuild *b, qbuild *b2, const json_t *challenge,
                     const json_t *other, const json_t *other_org, const char *const *xf,
                     size_t nxf, cand **c, size_t *n, size_t *keep);

/* ---- match_features.c ---- */

/* c->f and c->score of candidate c against the need (a challenge, or for
 * the reverse direction the candidate is the challenge and `other` the
 * record), text score c->bm25 over maxbm25 */
void jb__cand_features(cand *c, const json_t *challenge, const json_t *other,
                       const json_t *other_org, double maxbm25, const jb_match_weights *w);

/* ---- match_explain.c: new JSON objects (caller decrefs; NULL only when
 * out of memory) ---- */

/* {"terms": {field: [word ...]}, "features": {...}, "evidence": [...]} */
json_t *jb__cand_explain(const cand *c, const qbuild *b);
/* {"type", "id", "title", "score", "explanation"} */
json_t *jb__cand_json(const cand *c, const qbuild *b, double score);
/* Works out once, for the explanations of b's matches, which of b's
 * bigrams pair a function character across the need's words (b->loose):
 * JB_OK or JB_ENOMEM. Called again, it works out the items added since. */
int jb__explain_prepare(qbuild *b);

#endif
