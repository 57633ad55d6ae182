/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_int.h: the engine state shared by the files of engine/ (internal). */
#ifndef JB_ENGINE_INT_H
#define JB_ENGINE_INT_H

#include <jansson.h>

#include "engine/emsg.h"
#include "engine/indexdoc.h"
#include "engine/jiebang.h"
#include "engine/store.h"

struct jb_engine {
  char *dir;
  jb_engine_opts o;
  jb_store *st;
  jb_index *ix; /* writer, or reader when readonly (may be NULL: no index yet) */
  jb_lexicon *lx;
  uint64_t lexfp; /* jb_lexicon_fingerprint of lx, part of the index generation */
  jb_mapper map;
  jb_xlex *xl;  /* the bilingual lexicon, loaded by the first need that is translated */
  int xl_state; /* 0 not tried, 1 loaded, -1 unavailable (a notice said why) */
  int in_batch;
  int hold_prune; /* a live rebuild (engine/reindex.c) needs the outbox rows */
  char ixname[64]; /* a reader's: the DIR/index.N its index was opened at */
  int64_t applied;
  int64_t quarantined; /* rows in the store's quarantine table */
  char err[1024];
  jb_emsg msg;  /* the catalogue message of err (jb_engine_error_msg) */
  char *detail; /* jb_engine_error_detail (malloc'd or NULL) */
};

/* engine/engine_sync.c, for engine/engine.c, engine_read.c and reindex.c:
 * jb__data_path: DIR/name into buf.
 * jb__index_generation: the generation of the index e writes
 *   ("tokN-mapM-ixK-lexF": the tokenizer, the mapping, the shim's
 *   JB_IX_FORMAT and the fingerprint of e's lexicon, so that a changed main
 *   lexicon or domain dictionary rebuilds an index segmented with the old).
 * jb__index_record: puts (body NULL: deletes) one record's document into
 * index w, with e's mapper and store; JB_OK or the error (message in e->err).
 * jb__sync_into: applies the outbox rows after *applied to index ix (a batch
 * a commit, each recording its applied_seq), advancing *applied; prunes
 * only when ix is e's own index and no rebuild holds the rows.
 * jb__current_index: the name DIR/index points at ("index.N") into cur; 0
 * when there is no such link, else 1.
 * jb__remove_index_dir: removes an index directory (files only): 0 or -1.
 * jb__open_index_writer: opens e->ix as the writer of DIR/index: JB_OK,
 * JB_ELOCKED (another writer), index errors (message in e->err).
 * jb__index_meta_int: the integer under key in e->ix's metadata into *v
 * (0 when unset): JB_OK or an index error (message in e->err).
 * jb__rebuild: builds DIR/index.N from one read snapshot of the store and
 * points DIR/index at it (the old directory removed), setting e->applied:
 * JB_OK, or a store, index or I/O error (message in e->err), DIR/index
 * unchanged.
 * jb__remove_orphans: removes the DIR/index.N directories that DIR/index
 * does not point at (an interrupted reindex's), with a notice for each;
 * only the holder of the index's write lock calls it. */
void jb__data_path(const jb_engine *e, const char *name, char *buf, size_t len);
void jb__index_generation(const jb_engine *e, char *buf, size_t len);
int jb__index_record(jb_engine *e, jb_index *w, int type, const char *id, const char *body);
int jb__sync_into(jb_engine *e, jb_index *ix, int64_t *applied);
int jb__current_index(const jb_engine *e, char *cur, size_t len);
int jb__remove_index_dir(const char *dir);
int jb__open_index_writer(jb_engine *e);
int jb__index_meta_int(jb_engine *e, const char *key, int64_t *v);
int jb__rebuild(jb_engine *e);
void jb__remove_orphans(jb_engine *e);
/* search.c: the documents holding one index term (field prefix, kind, text
 * of len bytes), its exact frequency (jb_index_termfreq: a posting-list
 * look-up, not a search); 0 when there is none, no index or on error */
double jb__term_docs(jb_engine *e, const char *field, int kind, const char *text, size_t len);

/* engine/private.c: takes group and other permissions off the data
 * directory, its entries and those of its index directories (0700, 0600),
 * with a notice naming how many changed (writers, at open). */
void jb__make_private(jb_engine *e);

/* engine/engine_err.c. Sets the engine's error sentence and returns rc. */
int jb__eset(jb_engine *e, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Sets the engine's error to catalogue message id (emsg.h) about field
 * (NULL for none), its English ("field: text") in err, and returns rc. Use
 * it as JB__EM(e, rc, field, ID, args...), which checks the arguments
 * against both languages' formats at compile time. */
int jb__emsg(jb_engine *e, int rc, const char *field, int id, ...);
#define JB__EM(e, rc, field, ID, ...)                                                           \
  (JB_EMSG_CHECK(ID, ##__VA_ARGS__), jb__emsg((e), (rc), (field), JB_EM_##ID, ##__VA_ARGS__))

/* Sets the engine's error to text and, when m holds one, its catalogue
 * message (a validation's, the store's): returns rc. jb__eset_store does so
 * with the store's last error. */
int jb__eset_msg(jb_engine *e, int rc, const char *text, const jb_emsg *m);
int jb__eset_store(jb_engine *e, int rc);

/* Sends a sentence to the notice callback of the engine's options (if any). */
void jb__notice(jb_engine *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* engine/verify.c. jb__permanent: 1 for an error applying a record to the
 * index that retrying cannot fix (the record is what is refused: JB_EINVAL,
 * JB_ESYNTAX, JB_EUTF8, JB_ETOOBIG); transient ones (disk full, locks, I/O)
 * are retried by the next sync.
 * jb__quarantine: after applying (type, id) of outbox row `seq` to index w
 * failed with rc (message in e->err): for a permanent rc, removes its old
 * document from w, records it in the quarantine table, tells the notice
 * callback and returns JB_OK (the sync goes on); any other rc is returned.
 * jb__quarantine_release: (type, id) was applied: its quarantine entry goes
 * (id NULL: all entries); JB_OK or a store error.
 * jb__check_stored: the stored body of (type, id) parses strictly, validates
 * with today's rules, is canonical and names itself: JB_OK, JB_EINVAL with a
 * sentence naming the record and what to do in err, or JB_ENOMEM. */
int jb__permanent(int rc);
int jb__quarantine(jb_engine *e, jb_index *w, int type, const char *id, int64_t seq, int rc);
int jb__quarantine_release(jb_engine *e, int type, const char *id);
int jb__check_stored(int type, const char *id, const char *body, char *err, size_t errlen);

/* What a rebuild's index refused, to quarantine once its read snapshot ends:
 * jb__refused_add copies (type, id, err) (JB_OK or JB_ENOMEM);
 * jb__requarantine makes the quarantine table exactly the list (change
 * `last`), telling the notice callback of each; jb__refused_free frees the
 * copies (the list itself is the caller's; a zeroed one is empty). */
typedef struct {
  struct jb__refused_item {
    int type;
    char *id, *err;
  } *v;
  size_t n, cap;
} jb__refused;
int jb__refused_add(jb__refused *r, int type, const char *id, const char *err);
int jb__requarantine(jb_engine *e, const jb__refused *r, int64_t last);
void jb__refused_free(jb__refused *r);

/* engine/engine_read.c: jb_engine_export; check = 0 skips the check of each record (for readers
 * inside the engine that tolerate a bad record, like the statistics). */
int jb__export(jb_engine *e, const char *type, int (*cb)(void *ctx, const char *json), void *ctx,
               int check);

/* engine/engine_sync.c: a stored record, parsed (new reference), or NULL;
 * ctx is the engine (the mapper's loader). */
json_t *jb__load_record(void *ctx, int type, const char *id);
/* As jb__load_record, without the record's long texts (abstract, bio,
 * description, problem): for readers of its facts (a match's
 * candidates and their orgs), which parse a fraction of the text. */
json_t *jb__load_record_brief(jb_engine *e, int type, const char *id);


/* A transaction of its own unless a batch is open: jb__tx_begin sets
 * *began; jb__tx_end commits on rc == JB_OK (else rolls back) when it began
 * one, and returns the outcome. */
int jb__tx_begin(jb_engine *e, int *began);
int jb__tx_end(jb_engine *e, int rc, int began);

/* jb_engine_transition; award = 1 lets it move to awarded (jb_engine_award). */
int jb__engine_transition_in(jb_engine *e, const jb_actor *who, const char *id, const char *to,
                             const char *note, int64_t *seq, int award);

/* Records the acceptance verdict with the milestones (inside a transaction). */
/* Matches an in-memory challenge ch (not necessarily stored: the vague-need
 * assistant asks what a changed need would get) for r->kind and r->limit
 * with weights w: *out (a new reference) is {"matches": [...]} as in
 * jb_engine_match, without "query". JB_OK, JB_ENOENT (no index), JB_EINVAL,
 * JB_ENOMEM, index errors. */
int jb__match_challenge(jb_engine *e, const jb_match_req *r, const jb_match_weights *w,
                        json_t *ch, json_t **out);

/* jb_engine_match's answer as JSON (*out a new reference; NULL after an
 * error): engine/match.c. */
int jb__match_json(jb_engine *e, const jb_match_req *r, json_t **out);

/* The match reviews of r (r->reviews set) added to each match of out's
 * "matches" as "review", the dismissed ones left out of a challenge's list
 * unless r->include_dismissed (engine/watch.c). JB_OK, JB_ESTORE, JB_ENOMEM. */
int jb__match_annotate(jb_engine *e, const jb_match_req *r, json_t *out);

/* Shared by the lifecycle files (review.c): a string field of o (borrowed,
 * NULL when absent or not a string); the challenge id, parsed (a new
 * reference), or NULL with JB_ENOENT set; a challenge's status ("draft"
 * when unset); 1 when the JSON array arr holds the string s. */
const char *jb__sv(const json_t *o, const char *k);
json_t *jb__challenge_of(jb_engine *e, const char *id);
const char *jb__status_of(const json_t *ch);
int jb__in_list(const json_t *arr, const char *s);
/* Stores a lifecycle item and its audit entry in one transaction (the
 * batch's when one is open). A taken key under insert_only is JB_EEXIST
 * with "taken" as the message. body NULL (out of memory) is JB_ENOMEM. */
int jb__put_audited(jb_engine *e, const jb_actor *who, const char *kind, const char *cid,
                    const char *key, const char *body, int insert_only, const char *action,
                    const char *detail, const char *taken);

/* engine/review.c: the conflicts of application (lead, app) of challenge
 * ch with every assigned reviewer, as [{"reviewer", "reason"}] (a new
 * reference; NULL on a store error, the engine's message set). */
json_t *jb__recusals(jb_engine *e, const char *cid, const json_t *ch, const char *lead,
                     const json_t *app);

/* The one edge between stored times (Unix seconds) and what is shown:
 * every integer under "at" or a key ending in "_at", at any depth of j,
 * becomes its RFC 3339 text (common/jb_time.h). */
void jb__times_out(json_t *j);

/* engine/applications.c: an application's state ("submitted" when unset);
 * 1 while it is open (submitted or shortlisted: it can still win);
 * jb__award_apps, inside the award's transaction: the winners' open
 * applications become awarded and every other open one not_selected, each
 * audited. */
const char *jb__app_status(const json_t *app);
int jb__app_open(const json_t *app);
int jb__award_apps(jb_engine *e, const jb_actor *who, const char *cid, const char *const *winners,
                   size_t n);

int jb__milestone_verdict(jb_engine *e, const jb_actor *who, const char *cid, const char *result);

/* SHA-256 of data as 64 lower-case hex digits (engine/keys.c: libsodium). */
void jb__sha256_hex(const void *data, size_t len, char out[65]);

/* engine/keys.c: nbytes (at most 64) random bytes as 2*nbytes hex digits
 * and a NUL into out. JB_OK, JB_EINVAL, JB_EINTERNAL (libsodium). */
int jb__random_hex(char *out, size_t nbytes);

/* engine/hooks_events.c: called by jb_engine_audit inside the change's
 * transaction, after its entry: writes the webhook events the change causes
 * (challenge.state, award, application.created, application.state,
 * milestone.due), each with one delivery per subscription that hears of it.
 * JB_OK (also when nobody listens), or a store error with the message set. */
int jb__hooks_on_audit(jb_engine *e, const char *action, const char *type, const char *id,
                       const char *after, const char *detail);
/* engine/hooks_events.c: writes event `type` about challenge cid (may be
 * NULL; data consumed, NULL for {}) with one delivery per active
 * subscription that hears of it — asks for the type, names no other
 * challenge, and is an officer's or admin's or one of the orgs' (only: that
 * subscription alone, whatever its org). orgs[0] is the challenge's issuer,
 * heard only by subscriptions on the issuer's side (jb__hook_issuer_side).
 * Nothing is written when none hears. JB_OK or a store error (message set).
 * engine/hooks.c: jb__hooks_store_err: a store error rc as the engine's
 * (its message set; JB_ENOMEM and JB_ENOENT as they are).
 * jb__hook_issuer_side: 1 when a subscription's stored body (NULL: 0) was made
 * by an enterprise key, the issuer's side of its org's challenges. */
int jb__hooks_emit(jb_engine *e, const char *type, const char *cid, const char *const *orgs,
                   size_t norgs, json_t *data, const char *only);
int jb__hooks_store_err(jb_engine *e, int rc);
int jb__hook_issuer_side(const json_t *body);

/* suggest.c: a challenge's own text, to tell the terms it already has: its
 * title, problem and description, then its keywords and its indicators'
 * names, each string member followed by '\n' (members that are absent or
 * not strings are left out, as are the bytes after an embedded NUL), with
 * ASCII lower-cased, NUL-terminated. Returns a new string the caller frees,
 * or NULL when memory ran out. Fuzzed by tests/fuzz/fuzz_suggest.c. */
char *jb__suggest_need_text(const json_t *ch);

/* review.c: the store key of a lifecycle item, as jb_engine_score,
 * jb_engine_match_review and jb_engine_item_stored use it: a score's
 * (lead org, expert) as "lead\x1fexpert", a match review's (type, id) as
 * "type:id", into key (JB__ITEM_KEY bytes: ids are at most JB_ID_MAX_BYTES).
 * Returns JB_OK, or JB_EINVAL for another kind. */
#define JB__ITEM_KEY 300
int jb__item_key(const char *kind, const char *k1, const char *k2, char key[JB__ITEM_KEY]);

#endif
