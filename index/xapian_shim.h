/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xapian_shim.h: a small C API over Xapian — the only door to it.
 *
 * index/ sees terms, never raw text: the caller turns text into terms with
 * locale/ and passes them in. It never logs and never reads configuration.
 * Only index/ includes <xapian.h> (xapian_shim.cc, xapian_search.cc and
 * xapian_expand.cc implement this header, sharing index/xapian_int.h;
 * xapian_peer.cc is the benchmarks' baseline); no C++ type crosses this
 * header, and no exception escapes it: every function catches Xapian::Error,
 * std::bad_alloc and everything else, returns a negative JB_E* code and keeps
 * a message in the handle (jb_index_error).
 *
 * Threads: a handle (jb_index, jb_ixdoc, jb_ixquery, jb_ixresults) belongs to
 * one thread at a time; give each thread its own reader. There is one writer
 * per database: opening a second writer fails at once with JB_ELOCKED.
 *
 * Terms in the database:
 *   id          "Q" type ":" id           (unique per document)
 *   word        field prefix + term       e.g. "T" "芯片"
 *   bigram      field prefix + "B" + term
 *   stem        "Z" + field prefix + term (Xapian's convention for stems)
 *   pinyin      field prefix + "Y" + term
 *   filter      filter prefix + value     (boolean: wdf 0, no positions)
 *   filter      filter prefix + ":" + value
 * A field prefix is one capital letter other than Q, X and Z (23 fields); a
 * filter prefix is "X" followed by 1 to 3 capital letters. Text terms are
 * lower case or Han (locale/ folds case), so the capitals B and Y that mark
 * bigrams and pinyin never run together with a term.
 *
 * Long terms: Xapian refuses terms over 245 bytes. A term (with its prefix)
 * longer than JB_IX_MAX_TERM bytes is cut at the last UTF-8 boundary that
 * leaves room for "#" and 8 hex digits of the FNV-1a hash of the whole term,
 * which are appended. Documents and queries use the same rule, so a long
 * term still matches itself, exactly.
 */
#ifndef JB_XAPIAN_SHIM_H
#define JB_XAPIAN_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "common/jb_error.h"

#ifdef __cplusplus
#define JB_IX_NOEXCEPT noexcept
extern "C" {
#else
#define JB_IX_NOEXCEPT
#endif

#define JB_IX_MAX_TERM 240
#define JB_IX_MAX_SLOT 1000
/* The longest id (bytes) of a document: far above any id rule of the store,
 * so that the index never refuses what the store holds. */
#define JB_IX_MAX_ID 65536

typedef struct jb_index jb_index;
typedef struct jb_ixdoc jb_ixdoc;
typedef struct jb_ixquery jb_ixquery;
typedef struct jb_ixresults jb_ixresults;

/* The kind of a text term (same values as locale/'s jb_term_kind). */
typedef enum {
  JB_IX_WORD = 1,
  JB_IX_BIGRAM = 2,
  JB_IX_STEM = 3,
  JB_IX_PINYIN = 4
} jb_ix_kind;

/* A text term as index/ receives it. */
typedef struct {
  const char *text; /* UTF-8, `len` bytes, not necessarily NUL-terminated */
  uint32_t len;
  uint32_t pos; /* position for phrases (0-based) */
  uint8_t kind; /* jb_ix_kind */
} jb_ix_term;

/* ---- databases ------------------------------------------------------------ */

/* Opens (creating it if needed) the database in directory `path` for
 * writing. Returns JB_OK with *out set, JB_ELOCKED when another writer holds
 * it, JB_EINDEX for other Xapian errors, JB_EINVAL, JB_ENOMEM. On error *out
 * is NULL and `err` (may be NULL) receives a message of at most errlen bytes. */
int jb_index_open_writer(const char *path, jb_index **out, char *err, size_t errlen) JB_IX_NOEXCEPT;

/* Opens a reader over one or more databases searched as one, with global
 * statistics: each entry of `where` is a local directory or "HOST:PORT" of a
 * xapian-tcpsrv (any entry containing ':' and no '/' is remote). Returns as
 * jb_index_open_writer (JB_ENOENT when a local database does not exist). */
int jb_index_open_reader(const char *const *where, size_t n, jb_index **out, char *err,
                         size_t errlen) JB_IX_NOEXCEPT;

/* Moves a reader to the newest committed revision. JB_OK or JB_EINDEX. */
int jb_index_reopen(jb_index *ix) JB_IX_NOEXCEPT;

/* Closes the handle; a writer's uncommitted changes are discarded. NULL is
 * accepted. Results and documents made with it stay valid (they hold copies). */
void jb_index_close(jb_index *ix) JB_IX_NOEXCEPT;

/* A sentence about the last error on `ix` ("" after a success); valid until
 * the next call on `ix`. */
const char *jb_index_error(const jb_index *ix) JB_IX_NOEXCEPT;

/* Document count (*n), JB_OK or JB_EINDEX. */
int jb_index_doccount(jb_index *ix, uint64_t *n) JB_IX_NOEXCEPT;

/* Revision of a single database (*rev; 0 for an empty new one). JB_EINVAL
 * for a reader over several databases. */
int jb_index_revision(jb_index *ix, uint64_t *rev) JB_IX_NOEXCEPT;

/* Metadata: a key (1..200 bytes) and a value (may be empty: deletes the key).
 * Set on a writer, it becomes visible with the next commit, together with the
 * documents put before it: both or neither. */
int jb_index_set_meta(jb_index *w, const char *key, const char *value, size_t vlen) JB_IX_NOEXCEPT;

/* Gets metadata into *value (malloc'd, NUL-terminated, caller frees; "" when
 * the key is absent) and *vlen (may be NULL). */
int jb_index_get_meta(jb_index *ix, const char *key, char **value, size_t *vlen) JB_IX_NOEXCEPT;

/* Commits everything put, deleted or set since the last commit, atomically.
 * Until then the changes are held in memory (commit in batches). */
int jb_index_commit(jb_index *w) JB_IX_NOEXCEPT;

/* ---- documents ------------------------------------------------------------ */

/* A new empty document in *out (caller frees with jb_ixdoc_free). */
int jb_ixdoc_new(jb_ixdoc **out) JB_IX_NOEXCEPT;
void jb_ixdoc_free(jb_ixdoc *d) JB_IX_NOEXCEPT;

/* Adds text terms under `field` (see the prefix rules). Each term's wdf
 * grows by `weight` (1..100: a title at 3 counts three times a body term) JB_IX_NOEXCEPT;
 * positions are term.pos + pos_offset (use a gap between the values of a
 * list field so that phrases do not span them). Empty terms are JB_EINVAL. */
int jb_ixdoc_add_terms(jb_ixdoc *d, const char *field, const jb_ix_term *terms, size_t n,
                       unsigned weight, uint32_t pos_offset) JB_IX_NOEXCEPT;

/* Adds a boolean filter term prefix+value (value 1..JB_IX_MAX_ID bytes, no
 * NUL; a long one is hashed as a long id is). */
int jb_ixdoc_add_filter(jb_ixdoc *d, const char *prefix, const char *value) JB_IX_NOEXCEPT;

/* Adds a filter for a hierarchical code and for each of its ancestors, cut at
 * `sep`: "ic/eda/pr" gives ic, ic/eda, ic/eda/pr. */
int jb_ixdoc_add_filter_path(jb_ixdoc *d, const char *prefix, const char *code, char sep) JB_IX_NOEXCEPT;

/* Adds a filter for each leading part of `code` of the given lengths that the
 * code has: region 310106 with lengths {2,4,6} gives 31, 3101, 310106. */
int jb_ixdoc_add_filter_prefixes(jb_ixdoc *d, const char *prefix, const char *code,
                                 const unsigned *lens, size_t nlens) JB_IX_NOEXCEPT;

/* Sets value slot `slot` (0..1000) to a number, stored sortable. */
int jb_ixdoc_set_number(jb_ixdoc *d, unsigned slot, double v) JB_IX_NOEXCEPT;

/* Puts the document under (type, id): replaces the document with that id or
 * adds it. Stored data: type and id, and (unless jb_index_set_forward turned
 * it off) the document's forward list: its terms with their wdf, uncompressed,
 * which jb_index_score_docs and the matched items of jb_index_search read
 * instead of Xapian's compressed term list (about a quarter of the work per
 * document; a document without one is read the old way, with the same
 * results). `d` is used during the call and left as it was: it may be reused
 * for another id or freed afterwards.
 * type: 1..32 bytes of [a-z_]; id: 1..JB_IX_MAX_ID bytes (an id term longer
 * than JB_IX_MAX_TERM is cut and ends in a 64-bit hash of the whole id, so
 * every id the store accepts has its document). */
int jb_index_put(jb_index *w, const char *type, const char *id, jb_ixdoc *d) JB_IX_NOEXCEPT;

/* Whether jb_index_put on writer w stores forward lists (on by default;
 * 0 turns it off, for a smaller index that scores given documents slower).
 * JB_OK, or JB_EINVAL when w is NULL or a reader. */
int jb_index_set_forward(jb_index *w, int on) JB_IX_NOEXCEPT;

/* The format of what jb_index_put writes: an index written under another
 * one still reads, but a caller that can rebuild should (the engine's index
 * generation carries it). */
#define JB_IX_FORMAT 2

/* Decodes len bytes at buf as a stored forward list and counts its terms:
 * JB_OK and *nterms (may be NULL), JB_ESYNTAX when they are not one (a search
 * then reads that document's Xapian term list), JB_EINVAL when buf is NULL
 * with len > 0, JB_ENOMEM; JB_EINTERNAL would mean the decoder broke its own
 * guarantees (offsets in order, terms ascending) or that the in-place reader
 * of the second stage disagrees with it (accepts another list, or gives
 * another term, wdf or length). For tests and the fuzz target; buf is only
 * read. */
int jb_ixfwd_check(const void *buf, size_t len, size_t *nterms) JB_IX_NOEXCEPT;

/* The number of documents holding the term jb_ixquery_add(q, field, kind,
 * text, len, w) would search for, over all the databases of ix, into *n (a
 * posting-list look-up: a one-term search's estimate, without the search).
 * JB_OK; JB_EINVAL for a NULL ix or n, or arguments jb_ixquery_add refuses;
 * a JB_E* of the index (message in jb_index_error). */
int jb_index_termfreq(jb_index *ix, const char *field, int kind, const char *text, size_t len,
                      uint64_t *n) JB_IX_NOEXCEPT;

/* 1 when a document (type, id) is in the database, 0 when not, <0 on error. */
int jb_index_has(jb_index *ix, const char *type, const char *id) JB_IX_NOEXCEPT;

/* Deletes the document (type, id); JB_OK also when it was not there. */
int jb_index_delete(jb_index *w, const char *type, const char *id) JB_IX_NOEXCEPT;

/* ---- queries ------------------------------------------------------------- */

int jb_ixquery_new(jb_ixquery **out) JB_IX_NOEXCEPT;
void jb_ixquery_free(jb_ixquery *q) JB_IX_NOEXCEPT;

/* Kinds and groups are passed as int (a jb_ix_kind, a jb_ix_group) so that a
 * wrong value is refused with JB_EINVAL instead of being undefined behaviour.
 *
 * Adds one weighted item (weight > 0) of the OR part: the term `text` of kind
 * `kind` in `field`. Returns the item's index (>= 0), used by the hit's
 * matched items, or a negative error. Adding the same (field, kind, text)
 * again adds to its weight and returns the same index. */
int jb_ixquery_add(jb_ixquery *q, const char *field, int kind, const char *text,
                   size_t len, double weight) JB_IX_NOEXCEPT;

/* Requires the term: documents without it do not match (it still counts
 * toward the score and the matched items). Returns the item index. */
int jb_ixquery_require(jb_ixquery *q, const char *field, int kind, const char *text,
                       size_t len, double weight) JB_IX_NOEXCEPT;

/* Adds a phrase of n >= 2 terms (consecutive positions) in `field` as one
 * weighted OR item; `required` makes it a condition. Returns the index of the
 * phrase item (its matched terms are reported term by term as usual). */
int jb_ixquery_add_phrase(jb_ixquery *q, const char *field, int kind,
                          const char *const *texts, size_t n, double weight, int required) JB_IX_NOEXCEPT;

typedef enum { JB_IX_ALL_OF = 1, JB_IX_ANY_OF = 2, JB_IX_NONE_OF = 3 } jb_ix_group;

/* Adds a filter group over prefix+values: all of them, any of them, or none
 * of them. Groups combine with AND. Filters do not change scores. */
int jb_ixquery_filter(jb_ixquery *q, int g, const char *prefix,
                      const char *const *values, size_t n) JB_IX_NOEXCEPT;

/* Keeps documents whose slot holds a number in [lo, hi]; NAN for an open end.
 * Documents without a value in the slot do not match. */
int jb_ixquery_range(jb_ixquery *q, unsigned slot, double lo, double hi) JB_IX_NOEXCEPT;

/* BM25 parameters (Xapian's BM25Weight: k1, k2, k3, b, min_normlen); the
 * defaults are Xapian's (1, 0, 1, 0.5, 0.5). */
int jb_ixquery_bm25(jb_ixquery *q, double k1, double k2, double k3, double b,
                    double min_normlen) JB_IX_NOEXCEPT;

/* Limits the OR part to its n strongest items (Xapian's OP_ELITE_SET, chosen
 * by their maximum weight in the database); 0 (the default) uses them all.
 * For long "more like this" queries. */
int jb_ixquery_elite(jb_ixquery *q, unsigned n) JB_IX_NOEXCEPT;

/* For a query whose first `own` items are in one language and the rest in
 * another (a translated need): when searched, the optional single-term
 * items the index lacks are left out (they match nothing, and Xapian rates an
 * absent term's maximum weight highest, so in an elite set it would take
 * the place of a term that is there), and the elite set (jb_ixquery_elite,
 * when set) gains one place for each of the first `own` items the index
 * holds, so that the need's own words do not crowd out its translations.
 * Scores and matched items are unchanged by the leaving out. JB_OK;
 * JB_EINVAL (q NULL). */
int jb_ixquery_elite_own(jb_ixquery *q, size_t own) JB_IX_NOEXCEPT;

/* Whether jb_index_search works out each hit's matched items (default on;
 * off saves much time on large queries over many hits). */
int jb_ixquery_set_matched(jb_ixquery *q, int on) JB_IX_NOEXCEPT;

/* Limits the results to the documents (types[i], ids[i]); n = 0 lifts the
 * limit. Replaces an earlier limit. */
int jb_ixquery_only(jb_ixquery *q, const char *const *types, const char *const *ids,
                    size_t n) JB_IX_NOEXCEPT;

/* Sorts by a value slot (ascending or not) instead of relevance; ties by
 * relevance. */
int jb_ixquery_sort_by(jb_ixquery *q, unsigned slot, int ascending) JB_IX_NOEXCEPT;

/* Runs the query on `ix`: hits offset..offset+limit-1 (limit <= 100000).
 * *out (caller frees) holds copies: it stays valid after the index changes or
 * closes. A reader that meets DatabaseModifiedError reopens and retries. An
 * empty query (no items, filters only) matches every document that passes the
 * filters, with score 0. */
int jb_index_search(jb_index *ix, const jb_ixquery *q, size_t offset, size_t limit,
                    jb_ixresults **out) JB_IX_NOEXCEPT;

/* Scores the documents (types[i], ids[i]) by the items of q with BM25 and
 * the collection's statistics, as jb_index_search would rank them under a
 * limit to those documents (the same formula and parameters; sums may
 * differ in the last bits), but from each document's term list: the cost
 * grows with n and the documents' lengths, not with the posting lists of
 * q's terms. q's filters, ranges, elite set and sort are not applied (the
 * documents are taken as given); a document lacking a required item scores
 * 0. *out (caller frees with jb_ixresults_free) holds one hit per document
 * in the order given, rank i: score 0 and no items for one that is not in
 * the database or has none of q's terms; the matched items (ascending)
 * when q's matched flag is on. Returns JB_OK, JB_EINVAL (NULL, n > 100000,
 * an invalid type or id, or q holds a phrase item), JB_ESTALE, JB_EINDEX,
 * JB_ENOMEM. */
int jb_index_score_docs(jb_index *ix, const jb_ixquery *q, const char *const *types,
                        const char *const *ids, size_t n, jb_ixresults **out) JB_IX_NOEXCEPT;

void jb_ixresults_free(jb_ixresults *r) JB_IX_NOEXCEPT;
size_t jb_ixresults_count(const jb_ixresults *r) JB_IX_NOEXCEPT; /* hits held */
uint64_t jb_ixresults_estimate(const jb_ixresults *r) JB_IX_NOEXCEPT; /* estimated total */

/* Hit i (0 <= i < count): type and id (NUL-terminated, owned by r), score,
 * rank (0-based, counting from the first match, not from offset). */
int jb_ixresults_hit(const jb_ixresults *r, size_t i, const char **type, const char **id,
                     double *score, size_t *rank) JB_IX_NOEXCEPT;

/* The query items that hit i matched, as item indices, ascending (owned by
 * r): the terms that explain the hit. A phrase item is listed when all its
 * terms are in the document. */
int jb_ixresults_matched(const jb_ixresults *r, size_t i, const int **items, size_t *n) JB_IX_NOEXCEPT;

/* ---- expand set ------------------------------------------------------------ */

typedef struct {
  char *field; /* field prefix of the term */
  int kind;    /* jb_ix_kind */
  char *text;  /* the term without prefixes */
  double weight;
} jb_ixexpand_term;

/* The up to `n` strongest terms (Xapian's expand set, TradWeight) of the
 * documents (types[i], ids[i]) against the whole database, restricted to the
 * given text fields and kinds (kinds is a bit set of 1 << kind; 0 = words
 * only). Unknown ids are skipped. *out is a malloc'd array of *nout terms,
 * freed with jb_ixexpand_free. */
int jb_index_expand(jb_index *ix, const char *const *types, const char *const *ids, size_t nids,
                    const char *const *fields, size_t nfields, unsigned kinds, size_t n,
                    jb_ixexpand_term **out, size_t *nout) JB_IX_NOEXCEPT;
void jb_ixexpand_free(jb_ixexpand_term *t, size_t n) JB_IX_NOEXCEPT;

/* Builds the database term for (field, kind, text) into buf (NUL-terminated)
 * with the long-term rule above; returns its length or a negative error. For
 * tests and the benchmark peers. */
int jb_ix_term_string(const char *field, int kind, const char *text, size_t len,
                      char *buf, size_t buflen) JB_IX_NOEXCEPT;

/* Xapian's version ("1.4.22"), static: index/xapian_version.cc. */
const char *jb_index_xapian_version(void) JB_IX_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
