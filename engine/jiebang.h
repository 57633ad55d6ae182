/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jiebang.h: the engine's public API — records in the store, the search
 * index kept in sync with it, search.
 *
 * Data directory layout (one directory, nothing else to install):
 *   DIR/jiebang.db     SQLite, the system of record (WAL)
 *   DIR/index          symlink to the current Xapian database DIR/index.N
 *
 * Consistency: a write is one SQLite transaction that changes the record and
 * appends an outbox row; it is acknowledged only after COMMIT
 * (synchronous=FULL). jb_engine_sync() applies the outbox to the index
 * idempotently and stores the last applied sequence in the index's metadata
 * in the same Xapian commit, then prunes the outbox; on open the engine
 * replays what the index misses. The index records its generation (tokenizer
 * and mapping versions); a mismatch at open rebuilds it.
 *
 * Threads: a jb_engine is used by one thread at a time.
 */
#ifndef JIEBANG_H
#define JIEBANG_H

#include <stddef.h>
#include <stdint.h>

#include "common/jb_error.h"
#include "engine/emsg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The record types, as the store numbers them (names: jb_rec_type_name and
 * jb_rec_type_of in engine/record.h). */
typedef enum { JB_REC_ORG = 0, JB_REC_EXPERT, JB_REC_OUTPUT, JB_REC_CHALLENGE, JB_REC_NTYPES } jb_rec_type;

typedef struct jb_engine jb_engine;

typedef struct {
  int readonly; /* no writes, no index writer (several may run beside a writer) */
  /* called with a line for the user (rebuilds, replays); may be NULL */
  void (*notice)(void *ctx, const char *msg);
  void *notice_ctx;
  int defer_sync; /* puts and deletes leave the outbox to jb_engine_sync (a
                     server's indexer); by default each applies it at once */
} jb_engine_opts;

/* Opens (creating when writable) the data directory. Returns JB_OK,
 * JB_ELOCKED (another writer holds it), JB_EVERSION (database newer than this
 * binary), JB_EIO, JB_ENOENT (readonly and absent) or other codes, with a
 * sentence in err. `opts` may be NULL. */
int jb_engine_open(const char *dir, const jb_engine_opts *opts, jb_engine **out, char *err,
                   size_t errlen);

/* Opens only the store of the data directory (no index, no lexicon): for
 * API keys and plain reads beside a running server, which holds the index.
 * Writes made through it wait in the outbox for the index's owner. */
int jb_engine_open_store(const char *dir, const jb_engine_opts *opts, jb_engine **out, char *err,
                         size_t errlen);

/* Applies what is left in the outbox (unless opened with defer_sync) and
 * closes; NULL is accepted. */
void jb_engine_close(jb_engine *e);

/* A sentence about the last error ("" after a success), valid until the next
 * call on e. For a validation error it is "field: reason". */
const char *jb_engine_error(const jb_engine *e);

/* The last error as a catalogue message (engine/emsg.h: its code, field
 * path and arguments, to render in any language), or NULL when it has none
 * (an internal error, a success). Valid until the next call on e. */
const jb_emsg *jb_engine_error_msg(const jb_engine *e);

/* The structured detail of the last refusal, when it has one, else NULL:
 * after jb_engine_transition answered JB_EINVAL to a publication whose need
 * fails the lint, the lint as jb_challenge_lint gives it
 * ({"ok":false,"errors":[{"field","code","message"}],"warnings":[...]}). Valid until
 * the next call on e. */
const char *jb_engine_error_detail(const jb_engine *e);

/* Batches: between begin and commit, puts and deletes form one transaction.
 * Without begin, each put or delete commits on its own. */
int jb_engine_begin(jb_engine *e);
int jb_engine_commit(jb_engine *e);
int jb_engine_rollback(jb_engine *e);

/* Validates and stores one record given as JSON text (upsert by type and
 * id). *seq (may be NULL) receives its outbox sequence, 0 when the record was
 * already stored identically. Returns JB_OK, JB_ESYNTAX (not JSON), JB_EINVAL
 * (a field is wrong), JB_ENOENT (a reference to a record that does not exist)
 * and store errors; on error nothing is changed. */
int jb_engine_put_json(jb_engine *e, const char *json, size_t len, int64_t *seq);

/* Deletes a record; JB_ENOENT, JB_ECONFLICT (another record refers to it,
 * or an org or expert takes part in a challenge's applications, reviewers
 * or scores).
 * A challenge's lifecycle items (applications, reviewers, scores, award,
 * milestones, match reviews) are deleted with it in the same transaction;
 * whether a challenge may be deleted at all (drafts only, over HTTP) is the
 * caller's rule. */
int jb_engine_delete(jb_engine *e, const char *type, const char *id, int64_t *seq);

/* The seq of the change that created a record into *seq (0 for one stored
 * before schema 8): JB_OK, JB_EINVAL (type), JB_ENOENT, store errors. */
int jb_engine_created(jb_engine *e, const char *type, const char *id, int64_t *seq);

/* The stored canonical JSON of a record (malloc'd, caller frees). */
int jb_engine_get(jb_engine *e, const char *type, const char *id, char **json);

/* Calls cb with the canonical JSON of each record, type NULL for all (orgs,
 * experts, outputs, challenges: an order that re-imports), by id. */
int jb_engine_export(jb_engine *e, const char *type,
                     int (*cb)(void *ctx, const char *json), void *ctx);

/* Applies the outbox to the index (see above). */
int jb_engine_sync(jb_engine *e);

/* Builds a fresh index beside the current one from the store and switches to
 * it atomically. */
int jb_engine_reindex(jb_engine *e);

/* The live reindex (engine/reindex.c): a new index built beside the
 * current one while the writer keeps writing and syncing, then switched to
 * atomically. The calls, in order:
 *   jb_live_reindex_start (writer w, under the caller's writer lock): picks
 *     DIR/index.N and stops w pruning the outbox (the new index needs the
 *     rows stored after its snapshot). *out is the rebuild's handle. JB_OK,
 *     JB_EINVAL (w readonly, in a batch or without an index), JB_ECONFLICT
 *     (a rebuild already holds w), JB_ENOMEM.
 *   jb_live_reindex_build (any thread, without the writer lock; long): opens
 *     its own reader of the store, builds DIR/index.N from one read
 *     snapshot. JB_OK, or the error with jb_live_reindex_error's sentence
 *     (JB_EINTERNAL after jb_live_reindex_cancel).
 *   jb_live_reindex_finish (w, under the writer lock, after a successful
 *     build): quarantines what the snapshot refused, applies the outbox rows
 *     after the snapshot to the new index, switches DIR/index to it with one
 *     rename, moves w's index writer over, removes the old directory and
 *     prunes. JB_OK or the error (jb_live_reindex_error); after a failure
 *     before the switch the old index stays current and complete.
 *   jb_live_reindex_end (w under its lock, or NULL only after a switch):
 *     frees r (NULL: nothing), removes an unswitched DIR/index.N and lets w
 *     prune again. Always call it, whatever happened before.
 * jb_live_reindex_progress: records indexed so far and in the snapshot
 * (0, 0 before the snapshot), readable from any thread while it builds.
 * jb_live_reindex_cancel: asks a build to stop soon (any thread).
 * jb_live_reindex_error: the last failure's sentence ("" none); owned by r.
 * jb_live_reindex_target: the new directory's name ("index.N"); owned by r.
 * Readers (readonly engines) open the new directory at their next
 * jb_engine_refresh. */
typedef struct jb_live_reindex jb_live_reindex;
int jb_live_reindex_start(jb_engine *w, jb_live_reindex **out);
int jb_live_reindex_build(jb_live_reindex *r);
int jb_live_reindex_finish(jb_engine *w, jb_live_reindex *r);
void jb_live_reindex_end(jb_engine *w, jb_live_reindex *r);
void jb_live_reindex_progress(jb_live_reindex *r, int64_t *done, int64_t *total);
void jb_live_reindex_cancel(jb_live_reindex *r);
const char *jb_live_reindex_error(const jb_live_reindex *r);
const char *jb_live_reindex_target(const jb_live_reindex *r);

/* Closes the index writer and opens it again: after an index error (a full
 * disk, an I/O error) Xapian may have closed its writer for good, and every
 * later sync would fail until a restart. What the index had not committed is
 * dropped; the changes stay in the outbox and the next jb_engine_sync
 * applies them from the index's applied_seq. JB_OK; JB_EINVAL for a
 * read-only engine or inside a batch; else the opening's error (message in
 * jb_engine_error), and the engine has no index writer (jb_engine_sync
 * returns JB_EINVAL) until a reopen succeeds. */
int jb_engine_reopen_index(jb_engine *e);

/* ---- listing, sequence numbers, readers --------------------------------------------- */

/* Filters of jb_engine_list; NULL fields do not filter. */
typedef struct {
  const char *kind;   /* org kind or output kind */
  const char *status; /* challenge status ("draft" also matches an absent one) */
  const char *org;    /* the record's org (for orgs: the org itself) */
  const char *region; /* a prefix of the record's region code */
  const char *field;  /* a field code; also matches its descendants */
  int hide_drafts;    /* leave out draft challenges of orgs other than viewer_org */
  const char *viewer_org;
  /* the order: 0 by id; 1 newest first (by the seq of the change that
   * created each record: jb_engine_created), ties by id — the listing then
   * starts after the row (after_seq, after): created before after_seq, or
   * at after_seq with an id greater than after (the first page: INT64_MAX,
   * NULL). Neither changes jb_engine_list_count. */
  int newest;
  int64_t after_seq;
} jb_list_filter;

/* Calls cb with the canonical JSON of each record of `type` whose id is
 * greater than `after` (NULL: from the first; f->newest: see there) and that
 * passes f (may be NULL), by id (or f's order), at most `limit` (1..1000). The
 * JSON is valid during the call; a non-zero cb return stops the listing and
 * is returned. */
int jb_engine_list(jb_engine *e, const char *type, const jb_list_filter *f, const char *after,
                   size_t limit, int (*cb)(void *ctx, const char *json), void *ctx);

/* How many records jb_engine_list would give from the first with no limit
 * (the same filter, visibility included) into *n: JB_OK, JB_EINVAL (type),
 * or a store error. */
int jb_engine_list_count(jb_engine *e, const char *type, const jb_list_filter *f, int64_t *n);

/* The highest sequence number given to a change, the highest applied to the
 * index, and the changes waiting in the outbox. */
int jb_engine_seq(jb_engine *e, int64_t *last, int64_t *applied, int64_t *outbox);

/* A read-only engine: moves its index reader to the newest commit (opening
 * the index when it appeared after jb_engine_open) and gives the sequence
 * the index has applied (0 without an index). A writer gives its own. */
int jb_engine_refresh(jb_engine *e, int64_t *applied);

/* ---- API keys (engine/keys.c) ------------------------------------------------------- */

/* Roles, from most to least powerful. */
#define JB_ROLES "admin, officer, enterprise, researcher"

typedef struct {
  char id[24];   /* the key's public id ("k" + 16 hex digits) */
  char role[16];
  char org[129]; /* "" when the key has no org (admin, officer) */
  int64_t created_at, last_used_at; /* Unix seconds (jb_engine_key_check; 0: never used) */
  int stale_use; /* jb_engine_key_check: the recorded last use is a minute old or more
                    (or none): the caller should jb_engine_key_touch a writer */
} jb_key_info;

/* Creates an API key for `role` (admin, officer, enterprise, researcher)
 * tied to `org` (an existing org; required for enterprise and researcher,
 * optional otherwise). *secret (malloc'd, caller frees) is the whole key,
 * "jb_<id>_<43 characters>", shown once: only a BLAKE2b hash of it is stored.
 * info (may be NULL) receives its id, role and org. JB_EINVAL with a message
 * for a bad role, JB_ENOENT for an unknown org. */
int jb_engine_key_create(jb_engine *e, const char *role, const char *org, jb_key_info *info,
                         char **secret);

/* Checks a presented key (not NUL-terminated: len bytes). JB_OK with *info
 * filled, or JB_EPERM (malformed, unknown, revoked or wrong secret: the
 * caller cannot tell which). Comparison in constant time. */
int jb_engine_key_check(jb_engine *e, const char *key, size_t len, jb_key_info *info);

/* Revokes a key by its id; JB_ENOENT when there is no such active key. */
int jb_engine_key_revoke(jb_engine *e, const char *id);

/* Records that key `id` was used now (last_used_at). Callers do it when
 * jb_engine_key_check set info->stale_use, so a key costs at most one write
 * a minute however many requests it makes. No audit entry: a use changes no
 * data. JB_OK, JB_ENOENT (no such key), JB_EPERM (read-only engine),
 * JB_ELOCKED / JB_ESTORE. */
int jb_engine_key_touch(jb_engine *e, const char *id);

/* The keys, by id, as a JSON array (*json malloc'd, caller frees) of
 * {"id", "role", "org" (null for none), "created_at", "last_used_at" (null:
 * never, else to the minute), "revoked_at" (null), "revoked"} — times RFC
 * 3339 — never the secret or its hash. jb_engine_key_get: one key as that
 * object; JB_ENOENT for an unknown id. Both: JB_OK, JB_ENOMEM, store
 * errors (message in jb_engine_error). Read-only engines may call them. */
int jb_engine_key_list(jb_engine *e, char **json);
int jb_engine_key_get(jb_engine *e, const char *id, char **json);

/* ---- the 揭榜挂帅 lifecycle (engine/lifecycle.c, docs/lifecycle.md) ------------------- */

/* Who acts: the key id (or "cli:USER"), its role and org ("" for none). */
typedef struct {
  const char *actor;
  const char *role;
  const char *org;
} jb_actor;

/* The one rule for who acts as whom, used by the engine and the API alike.
 * jb_actor_is_officer: 1 for an officer's or an admin's actor (NULL: 0).
 * jb_actor_is_issuer: 1 when who acts as the issuer of a challenge of org
 * `issuer` (may be NULL: 0): an enterprise key of that org. A researcher key
 * of the same org is not the issuer: it sees no drafts, applications,
 * rankings, milestones or match reviews of its org's challenges. */
int jb_actor_is_officer(const jb_actor *who);
int jb_actor_is_issuer(const jb_actor *who, const char *issuer);

/* The states a challenge may move to from `from` ("draft" for NULL), as a
 * comma-separated list ("" for a final state); NULL for an unknown state. */
const char *jb_lifecycle_next(const char *from);

/* Checks a challenge's need (JSON text) for publication: *json (malloc'd) is
 * {"ok":bool,"errors":[{"field","code","message"}],"warnings":[...]}; errors
 * block publishing; "code" is the finding's catalogue code (engine/emsg.h),
 * "message" its English text. `today` is days since 1970-01-01, `min_days`
 * the fewest days before the deadline that are not a warning. JB_OK,
 * JB_ESYNTAX or JB_ENOMEM. jb_challenge_lint_lang: the same with the
 * messages in lang (JB_EMSG_EN, JB_EMSG_ZH). */
int jb_challenge_lint(const char *challenge, long today, int min_days, char **json);
int jb_challenge_lint_lang(const char *challenge, long today, int min_days, int lang, char **json);

/* Moves challenge `id` to state `to`, with a note: checks the transition
 * (JB_ECONFLICT naming the allowed ones), who may make it (JB_EPERM), and
 * for publication the lint (JB_EINVAL listing the problems); stores the new
 * status and an audit entry in one transaction. *seq gets the change's
 * sequence number. */
int jb_engine_transition(jb_engine *e, const jb_actor *who, const char *id, const char *to,
                         const char *note, int64_t *seq);

/* Challenges whose words overlap challenge `id`'s (Jaccard similarity of
 * their title, problem and description terms) at least `threshold` (0..1):
 * *json (malloc'd) is [{"id","title","similarity"}], most similar first. */
int jb_engine_similar(jb_engine *e, const char *id, double threshold, char **json);

/* ---- applications, review, award (engine/review.c) ------------------------------------ */

/* Submits an application (揭榜) to challenge cid: JSON {"lead_org",
 * "members":[org ids], "team_lead": expert id, "plan", "budget":{"amount",
 * "currency"}, "schedule", "commitment"}. Rules: the challenge is published
 * and its deadline not passed (JB_ECONFLICT); the actor is an officer or of
 * the lead org, the issuer is neither lead nor member, the lead org's kind
 * and region are eligible (JB_EPERM); at most max_members members
 * (eligibility.max_members when set), existing orgs, a team lead working for
 * one of them (JB_EINVAL); one application per lead org (JB_EEXIST).
 * *stored (may be NULL; malloc'd) is the stored application, with
 * "conflicts": [{"reviewer", "reason"}] (not stored) when an assigned
 * reviewer conflicts with it (that reviewer is recused from it: see
 * jb_engine_score and jb_engine_ranking). Audited. */
int jb_engine_apply(jb_engine *e, const jb_actor *who, const char *cid, const char *json,
                    unsigned max_members, char **stored);

/* The states of an application: submitted (on applying), shortlisted,
 * awarded, not_selected, withdrawn. Moves (one table, engine/applications.c):
 *   submitted -> shortlisted, shortlisted -> submitted: officers and admins,
 *     while the challenge is published or reviewing;
 *   submitted | shortlisted -> withdrawn: the applicant (a key of the lead
 *     org) or officers, while the challenge is published (final);
 *   submitted | shortlisted -> awarded | not_selected: only with the award.
 * jb_engine_application_status moves the application led by `lead` to `to`
 * with a note (NULL, or at most 20000 bytes), audited as
 * "application:FROM->TO". JB_EINVAL (an unknown state, a long note),
 * JB_ENOENT (no challenge or no such application), JB_ECONFLICT (a move
 * the table does not have, naming the allowed ones; the challenge in the
 * wrong state; awarded or not_selected asked for directly), JB_EPERM. */
int jb_engine_application_status(jb_engine *e, const jb_actor *who, const char *cid,
                                 const char *lead, const char *to, const char *note);

/* The applicant's edit of its open (submitted or shortlisted) application
 * led by `lead`: `json` is an object of the fields to replace (members,
 * team_lead, plan, budget, schedule, commitment; lead_org only unchanged);
 * the result meets every rule of jb_engine_apply again (the challenge
 * published and its deadline not passed included). Audited
 * ("application_update", with the hashes before and after). *stored as in
 * jb_engine_apply. JB_EINVAL/JB_ESYNTAX (the body), JB_ENOENT, JB_EPERM,
 * JB_ECONFLICT (closed application, challenge not published, deadline
 * passed), store errors. */
int jb_engine_application_update(jb_engine *e, const jb_actor *who, const char *cid,
                                 const char *lead, const char *json, unsigned max_members,
                                 char **stored);

/* One application of cid, led by `lead`, as JSON (*json malloc'd), with its
 * "status" and times in RFC 3339; with conflicts = 1 also its "conflicts"
 * with the assigned reviewers (for officers and the issuer). Who may read
 * it is the caller's rule (the applicant's orgs, the issuer, officers).
 * JB_ENOENT (no challenge, no such application), JB_ENOMEM, store errors. */
/* The stored text of the application of cid led by `lead` (*json malloc'd):
 * what its entity tag is computed from (it changes with every stored change
 * of the application: an edit, a state, the award). JB_ENOENT (no such
 * application), JB_ENOMEM, store errors. */
int jb_engine_application_stored(jb_engine *e, const char *cid, const char *lead, char **json);

int jb_engine_application_get(jb_engine *e, const char *cid, const char *lead, int conflicts,
                              char **json);

/* The applications of cid as a JSON array (malloc'd); only_org non-NULL
 * keeps those it leads or is a member of (the applicant's view), and with
 * cid NULL those of every challenge (GET /v1/me/applications; each carries
 * its "challenge" id; ordered by challenge, then lead org). The whole
 * list (only_org NULL: officers and the issuer) gives each application its
 * "conflicts" with the assigned reviewers ([] when none). JB_EINVAL (cid
 * and only_org both NULL), JB_ENOENT for an
 * unknown challenge (whole list), JB_EINTERNAL, store errors. Each has its
 * "status"; its times (submitted_at, updated_at, decided_at) are RFC 3339. */
int jb_engine_applications(jb_engine *e, const char *cid, const char *only_org, char **json);

/* Officers assign an expert as reviewer (published or reviewing). A
 * conflict of interest is JB_ECONFLICT with the reason: the reviewer's org
 * issued the challenge or is in an applying consortium, or the reviewer
 * shares an output with an application's team lead. Audited. */
int jb_engine_assign_reviewer(jb_engine *e, const jb_actor *who, const char *cid,
                              const char *expert);

/* Review criteria and their maximum points. */
#define JB_MAX_CRITERIA 8
typedef struct {
  size_t n;
  char name[JB_MAX_CRITERIA][32];
  double max[JB_MAX_CRITERIA];
} jb_criteria;

/* technical 40, team 30, plan 20, budget 10 */
void jb_criteria_default(jb_criteria *c);
/* "name:max, name:max" (lower-case names, maxima above 0); JB_ESYNTAX with
 * the reason in err, c unchanged. */
int jb_criteria_parse(jb_criteria *c, const char *spec, char *err, size_t errlen);

/* A reviewer's scores for the application led by lead_org, while reviewing:
 * an object with each criterion of crit (NULL: the defaults) from 0 to its
 * maximum; a later call replaces them. The review's comments (评审意见):
 * `comment` on the whole application (NULL: none) and `comments`, NULL or a
 * JSON object of criterion -> text; each text non-empty, at most 20000
 * bytes (JB_EINVAL). A withdrawn application is JB_ECONFLICT. Officers or a
 * key of the reviewer's
 * org (JB_EPERM). A reviewer in conflict of interest with this application
 * (the same rules as jb_engine_assign_reviewer, checked again now: the
 * application may have come later, the reviewer may have changed org) is
 * JB_ECONFLICT. Audited. */
int jb_engine_score(jb_engine *e, const jb_actor *who, const char *cid, const char *lead_org,
                    const char *expert, const char *scores, const char *comment,
                    const char *comments, const jb_criteria *crit);

/* The stored text of one lifecycle item of challenge cid, as written (the
 * text its entity tag is made of; *json malloc'd): kind "score" with key
 * lead_org and reviewer (a reviewer's scores of an application), or
 * "match_review" with key type and id (the review of candidate type:id).
 * JB_ENOENT when there is none, JB_EINVAL for another kind or a NULL
 * argument, JB_ENOMEM, store errors. */
int jb_engine_item_stored(jb_engine *e, const char *kind, const char *cid, const char *k1,
                          const char *k2, char **json);

/* The applications ranked by mean total score (ties by lead org):
 * [{"lead_org","status","mean","reviews","criteria":{...},"recused":[{"reviewer",
 * "reason"}],"by_reviewer":[{"reviewer","scores","total","comment",
 * "comments"}],"rank"}] (malloc'd; "comment" and "comments" only when given).
 * Scores of a reviewer who now conflicts with the application are left out
 * and listed under "recused"; withdrawn applications are not ranked.
 * JB_ENOENT for an unknown challenge. */
int jb_engine_ranking(jb_engine *e, const char *cid, char **json);

/* Names the winners (1..max_winners lead orgs of open applications:
 * submitted or shortlisted, else JB_EINVAL) and moves the challenge from
 * reviewing to awarded, in one transaction: the winners' applications
 * become awarded, every other open one not_selected (withdrawn ones stay
 * withdrawn). Audited (the transition, and each application's move). */
int jb_engine_award(jb_engine *e, const jb_actor *who, const char *cid, const char *const *winners,
                    size_t n, unsigned max_winners, const char *note, int64_t *seq);

/* The award of cid as JSON (*json malloc'd): {"winners": [{"application"
 * (an application is named by its lead org), "lead_org", "members"}], "at"
 * (RFC 3339), "by" (the actor)}, and with full = 1 also the officer's
 * "note". JB_ENOENT when cid has no award (not awarded yet, or never),
 * JB_EINTERNAL, JB_ENOMEM, store errors. Who may see which form is the
 * caller's rule (docs/lifecycle.md: the winners are public once awarded). */
int jb_engine_award_get(jb_engine *e, const char *cid, int full, char **json);

/* The reviewers assigned to cid, by expert id, as a JSON array (*json
 * malloc'd) of {"expert", "name", "org" (null when unknown), "assigned_by",
 * "at"}. JB_ENOENT for an unknown challenge, JB_EINTERNAL, JB_ENOMEM, store
 * errors. */
int jb_engine_reviewers(jb_engine *e, const char *cid, char **json);

/* Milestones of an awarded challenge: step "plan" {"tranches":[{"share",
 * "due": contract|stage_check|acceptance}]} (issuer or officers, while
 * awarded; shares add up to 1, the first is due at contract and is at least
 * first_share, at most one stage check), "release" {"tranche": i} (officers;
 * the contract tranche once awarded, the stage-check one after a passed stage
 * check, the acceptance one after acceptance), "stage_check" {"passed",
 * "note"} and "extension" {"months": 1-12, "reason"} (officers, in progress,
 * at most once each). Rule breaks are JB_ECONFLICT, bad bodies JB_EINVAL,
 * others' steps JB_EPERM. Audited. */
int jb_engine_milestone(jb_engine *e, const jb_actor *who, const char *cid, const char *step,
                        const char *json, double first_share);
/* The milestone state as JSON (malloc'd; {} before any plan). */
int jb_engine_milestones(jb_engine *e, const char *cid, char **json);

/* Marks a match of challenge cid: {"type","id","state": shortlisted |
 * contacted | dismissed, "reason": too_early | benefit_unclear | ip_conflict
 * | no_capacity | other (dismissals only, required), "note"} — the issuer or
 * officers; a later mark replaces it. Audited. */
int jb_engine_match_review(jb_engine *e, const jb_actor *who, const char *cid, const char *json);
/* The match reviews of cid (NULL: of every challenge) as a JSON array
 * (*json malloc'd). candidate_org NULL: every review whole, with the private
 * "note" and the reviewer's key ("by") — for officers and the issuer. Not
 * NULL: the candidate's view, only the reviews of candidate_org's
 * candidates, with state, reason code and time but without "note" and
 * "by". JB_OK, JB_EINVAL, JB_ENOMEM, JB_EINTERNAL (a stored review does not
 * parse), or a store error. */
int jb_engine_match_reviews(jb_engine *e, const char *cid, const char *candidate_org, char **json);

/* Saved searches of an owner (a key id): put (create = 1: JB_EEXIST when the
 * id is taken), get (JB_ENOENT), delete, list (a JSON array). The bodies are
 * the API's JSON, stored as given. */
int jb_engine_saved_put(jb_engine *e, const char *owner, const char *id, const char *json,
                        int create);
int jb_engine_saved_get(jb_engine *e, const char *owner, const char *id, char **json);
int jb_engine_saved_delete(jb_engine *e, const char *owner, const char *id);
int jb_engine_saved_list(jb_engine *e, const char *owner, char **json);

/* Officers' statistics: challenges by state and by top-level field,
 * applications per challenge, time from publication to award (from the
 * audit log), match-review outcomes and dismissal reasons. *json malloc'd. */
int jb_engine_lifecycle_stats(jb_engine *e, char **json);

/* ---- audit log (hash chain) ---------------------------------------------------------- */

/* Appends an entry: who did `action` to (type, id), with the SHA-256 of the
 * record before and after (JSON texts, NULL for none) and a detail line. In
 * the current batch when one is open, else in its own transaction. */
int jb_engine_audit(jb_engine *e, const char *actor, const char *action, const char *type,
                    const char *id, const char *before, const char *after, const char *detail);

/* Calls cb with each entry as JSON ({"seq","at","actor","action","type","id",
 * "before","after","detail","prev","hash"}) after seq `after`, matching the
 * non-NULL filters, at most limit (0: all). */
int jb_engine_audit_list(jb_engine *e, const char *actor, const char *action, const char *type,
                         const char *id, int64_t after, size_t limit,
                         int (*cb)(void *ctx, const char *json), void *ctx);

/* Recomputes the chain: JB_OK with *entries, or JB_ECONFLICT with
 * *first_bad the seq of the first entry that was edited, removed, reordered
 * or cut off (0 for the head), and the reason in jb_engine_error. */
int jb_engine_audit_verify(jb_engine *e, int64_t *entries, int64_t *first_bad);

typedef struct {
  char type[16];
  char *id;
  char *title;
  double score;
  char *matched; /* matched query words, space-separated */
  char *text;    /* the record's longer text (abstract, description, problem or bio; "" for none):
                    where a snippet comes from */
} jb_hit;

/* Ranked search: the query text through the tokenizer, words over all text
 * fields, bigrams and stems lower; `type` NULL for all types. *hits is a
 * malloc'd array of *n hits (free with jb_hits_free). */
int jb_engine_search(jb_engine *e, const char *query, const char *type, size_t limit,
                     jb_hit **hits, size_t *n);
void jb_hits_free(jb_hit *hits, size_t n);

/* Orders of jb_engine_search_req: relevance (BM25), deadline (soonest
 * first), funding (largest first), newest (the most recently created
 * first: by the seq of the change that created the record; records stored
 * before schema 8 count as created at 0); ties by relevance. An order by a
 * value leaves out the records without one (orgs, experts and outputs have
 * no deadline nor funding; every record has a creation). */
enum { JB_SORT_RELEVANCE = 0, JB_SORT_DEADLINE = 1, JB_SORT_FUNDING = 2, JB_SORT_NEWEST = 3 };

/* A search with filters, an order and a page (engine/search.c). NULL and
 * NAN members do not filter (jb_search_req_init sets every one so). */
typedef struct {
  const char *query; /* the query text (required) */
  const char *type;  /* org, expert, output, challenge */
  const char *status; /* a challenge status */
  int open;          /* published and the deadline not passed: needs today */
  const char *today; /* YYYY-MM-DD (UTC), for open */
  const char *deadline_from, *deadline_to; /* YYYY-MM-DD, inclusive */
  double funding_min, funding_max;         /* a challenge's funding amount, inclusive */
  const char *field;    /* a field code: the record's fields or their descendants */
  const char *region;   /* a prefix (2, 4 or 6 digits) of the region of the record's org */
  const char *org_kind; /* the kind of the record's org (the org's own for orgs) */
  int sort;             /* JB_SORT_* */
  size_t offset;        /* 0..100000 */
  size_t limit;         /* 1..1000 */
} jb_search_req;

void jb_search_req_init(jb_search_req *r);

/* Runs r: *hits (free with jb_hits_free) are hits offset..offset+limit-1
 * of the order; *estimate (may be NULL) is Xapian's estimate of all the
 * matches (get_matches_estimated). Filters do not change scores. JB_OK,
 * JB_EINVAL (a member out of range: message in jb_engine_error), JB_EINDEX
 * (no index while records are stored), JB_ENOMEM, index errors. Dates are
 * not checked here beyond parsing: the caller validates them. */
int jb_engine_search_req(jb_engine *e, const jb_search_req *r, jb_hit **hits, size_t *n,
                         uint64_t *estimate);

typedef struct {
  int64_t records[4]; /* org, expert, output, challenge */
  int64_t outbox;     /* changes not yet in the index */
  int64_t last_seq, applied_seq;
  uint64_t indexed;   /* documents in the index */
  char generation[64];
} jb_stats;

int jb_engine_stats(jb_engine *e, jb_stats *st);

/* ---- matching (docs/matching.md) ---------------------------------------------------- */

/* Feature weights of the re-ranking; the score of a match is the sum of its
 * feature contributions, each weight x a feature value in [0, 1]. */
typedef struct {
  double text;      /* BM25 relevance, relative to the best candidate */
  double field;     /* overlap of hierarchical field codes (prefix credit) */
  double trl;       /* technology readiness fit (outputs) */
  double region;    /* same district > city > province */
  double freshness; /* recent evidence (output year, expert activity) */
  double track;     /* expert track record (outputs count) */
  double funding;   /* the challenge's funding over an output's stated price */
  size_t recall;    /* candidates retrieved before re-ranking */
  size_t elite;     /* the recall query ORs only its strongest items (0: all) */
  /* query weights of the term families (0 leaves a family out) */
  double words, stems, bigrams, unigrams;
  /* query expansion: the `expand_terms` strongest terms (Xapian's expand
   * set) of the `expand_docs` best first-pass candidates join the query at
   * `expand` x their relative strength; 0 of either count turns it off */
  double expand;
  size_t expand_docs, expand_terms;
  /* weights of a challenge's own texts in its query (forward matching) */
  double src_title, src_indicators, src_keywords, src_problem, src_description;
  /* the cascade (forward matching): cascade > 0 re-scores the recalled
   * candidates with the whole need (every term of every source, no cap);
   * the text score is recall_share x the recall's BM25 + (1 - recall_share) x the whole
   * need's, each over its best; specific (0..1) weights each word of the
   * whole need by how specific it is (rare in the lexicon) to that power */
  double cascade, recall_share, specific;
  /* with the cascade on, the recall ORs only this many strongest items
   * instead of `elite` (0: all): stage 2 ranks, the recall need only find */
  size_t cascade_elite;
  /* cross-lingual matching (issue 15): an English need's translated Chinese
   * terms, a Chinese need's English ones, at `translate` x their source's
   * weight; 0 turns translation off */
  double translate;
} jb_match_weights;

/* The defaults (docs/matching.md). */
void jb_match_weights_init(jb_match_weights *w);

/* Reads "key = value" lines (match.text, match.field, match.trl, match.region,
 * match.freshness, match.track, match.words, match.stems, match.bigrams,
 * match.unigrams, match.recall, match.elite, match.expand, match.expand_docs,
 * match.expand_terms, match.source_title, match.source_indicators,
 * match.source_keywords, match.source_problem, match.source_description,
 * match.funding, match.cascade, match.recall_share, match.specific,
 * match.cascade_elite, match.translate;
 * '#' comments) into w. JB_OK, or
 * JB_EIO / JB_ESYNTAX with "FILE:LINE: reason" in err. */
int jb_match_weights_load(jb_match_weights *w, const char *path, char *err, size_t errlen);

typedef struct {
  jb_rec_type type; /* JB_REC_CHALLENGE: its best candidates; JB_REC_OUTPUT,
                       JB_REC_EXPERT or JB_REC_ORG: the open challenges it fits
                       (reverse) */
  const char *id;
  jb_rec_type kind; /* challenge only: JB_REC_OUTPUT (jb_match_req_init's),
                       JB_REC_EXPERT or JB_REC_ORG */
  size_t limit;     /* 1..100 (0: 10) */
  int explain_filtered; /* challenge only: also list candidates removed by a
                           hard filter, with the filter */
  const jb_match_weights *weights; /* NULL: defaults */
  int reciprocal; /* also rank each match's other direction (a search per
                     match shown) and report the reciprocal score */
  /* the match reviews (jb_engine_match_review) shown with each match, as
   * "review": {"state", "reason"[, "note"]}: reviews 0 shows none (for
   * whoever may not see them: the caller's rule); else a challenge's list
   * carries its reviews of each candidate, with their private notes (for
   * officers and the issuer), and leaves out the matches they dismissed
   * unless include_dismissed; a candidate's list carries each challenge's
   * review of this candidate: with its note when review_org is NULL
   * (officers), as the candidate org review_org sees it otherwise (state
   * and reason code, no note). */
  int reviews;
  const char *review_org;
  int include_dismissed;
} jb_match_req;

/* Sets r to the defaults: a challenge's best outputs, 10 of them, default
 * weights, no reviews (id still to set). */
void jb_match_req_init(jb_match_req *r);

/* Ranks matches; *json (malloc'd, caller frees) is
 *   {"query":{...},"matches":[{"type","id","title","score",
 *     "explanation":{"terms":{FIELD:[words]},"features":{NAME:contribution}},
 *     "evidence":[...] (orgs),
 *     "reciprocal":{"score","this_way","other_way","other_rank"} (on request),
 *     "review":{...} (on request)}],
 *   "filtered":[{"type","id","title","filter"}]}
 * best first, ties by id. JB_ENOENT when the record does not exist,
 * JB_EINVAL for a bad request (message in jb_engine_error), JB_ESTALE when
 * writers' commits kept discarding the revision a read-only engine stood on
 * (it moves on and runs the match again, five times at most). */
int jb_engine_match(jb_engine *e, const jb_match_req *req, char **json);

/* Loads now what matching would load on the first need that wants it — the
 * bilingual lexicon of cross-lingual matching (0.3 s and about 48 MB
 * with CC-CEDICT) — so that the first request does not pay it (the server's
 * warm-up calls it in every worker). JB_OK, also when there is no lexicon
 * to load (cross-lingual matching is then off, with a notice, as on first
 * use); JB_EINVAL when e is NULL. */
int jb_engine_match_prepare(jb_engine *e);

/* One page of a ranking (engine/match_page.c): the matches offset ..
 * offset+limit-1 of req's ranking (req->limit is ignored: the ranking is
 * cut at 100 deep, limit + 11 past offset so that the dismissed matches
 * left out still fill the page), as jb_engine_match's *json with the page's
 * "matches" and beside them "total" (the matches ranked: all of them, or a
 * lower bound) and "total_estimated": true when the ranking was cut. *more
 * is 1 when matches follow the page. JB_EINVAL (offset >= 100, limit 0 or
 * over 100, as jb_engine_match), as jb_engine_match otherwise. */
int jb_engine_match_page(jb_engine *e, const jb_match_req *req, size_t offset, size_t limit,
                         char **json, int *more);

/* The vague-need assistant for challenge id: the terms that its
 * best-matching outputs (the top 10 with weights w, NULL: the defaults)
 * carry and its own text (title, problem, description, keywords, indicator
 * names) lacks — their author keywords whole, and the words of their
 * titles, keywords and abstracts, carried by at least two of the 10 (a
 * carrier's title, keywords or abstract holds the term) — by support: the
 * sum over the carriers of 1 / sqrt(rank), times ln(N / the documents of
 * the collection holding it) (0, so left out, when over 5 % hold it: 研究,
 * 方法), times 1 / ln(e + its frequency in the general lexicon); of two terms
 * one inside the other only the stronger stays; ties by carriers, then
 * alphabetically; at most `limit` (1..50), each with what the top 10 would
 * be with the term added to the keywords. *json (malloc'd) is
 *   {"challenge", "top": [ids], "suggestions": [{"term", "support",
 *    "carried_by", "of", "outputs": [ids], "if_added": {"top", "enters",
 *    "leaves"}}]}.
 * Nothing is stored: accepting a term is a change of the keywords.
 * JB_ENOENT (no such challenge, or no index), JB_EINVAL (limit), JB_ENOMEM,
 * index errors. Costs one match per suggestion. */
int jb_engine_suggest(jb_engine *e, const char *id, const jb_match_weights *w, size_t limit,
                      char **json);

/* Checks the data directory: PRAGMA integrity_check; every stored record
 * parses, validates with today's rules (jb_rec_validate, id rule included)
 * and is canonical; the index holds exactly the stored records; nothing is
 * quarantined. Each problem goes to the notice callback as one sentence
 * naming the record; JB_OK when there is none, else JB_ESTORE or JB_EINDEX
 * with a count in jb_engine_error. */
int jb_engine_verify(jb_engine *e);

/* The quarantine: records whose change the indexer could not apply for a
 * reason retrying cannot fix (the index refused the record). The sync skips
 * them, removes their old document and goes on; a later version of the record
 * or its deletion that applies takes it out again; a reindex re-examines all.
 * jb_engine_quarantined: how many there are (0 for NULL). */
int64_t jb_engine_quarantined(const jb_engine *e);
/* Calls cb for each quarantined record (type name, id, the outbox seq of the
 * change, the error), oldest first; the strings are valid during the call. A
 * non-zero cb return stops it and is returned; else JB_OK or a store error. */
int jb_engine_quarantine_list(jb_engine *e,
                              int (*cb)(void *ctx, const char *type, const char *id, int64_t seq,
                                        const char *error),
                              void *ctx);

/* ---- webhooks (engine/hooks.c, docs/webhooks.md) --------------------------------------- */

/* The event types a subscription may ask for. */
#define JB_HOOK_EVENTS                                                                          \
  "match.new, application.created, application.state, challenge.state, award, milestone.due"

/* Subscriptions. Who owns one: an enterprise or researcher key's is its
 * org's (every key of the org manages it, and it hears of the org's
 * challenges and applications), an officer's is its own key's, an admin
 * manages all; an officer's or admin's hears of every challenge. One that
 * who may not manage does not exist for it (JB_ENOENT).
 * json: {"url" (http or https, required on create), "events" [names of
 * JB_HOOK_EVENTS, required on create], "secret" (16-200 printable ASCII;
 * generated when absent), "active" (default true), "challenge" (only its
 * events; match.new: its match list), "min_score" (match.new on a
 * challenge: 0-100, default 0), "saved" (match.new: a saved search of the
 * key that makes the subscription, instead of challenge), "description"};
 * update takes any of them but secret.
 * *out (malloc'd JSON) is the subscription with its delivery state
 * ({"state": {"delivered", "pending", "consecutive_failures",
 * "last_success_at", "last_failure_at", "last_failure", "failing_since",
 * "disabled_at"}}, times RFC 3339 or null); create's alone carries "secret"
 * (shown once). list gives a JSON array of those who sees, by id.
 * Errors: JB_EINVAL naming the field (jb_engine_error), JB_ENOENT, JB_EPERM
 * (a role without subscriptions), JB_ENOMEM, store errors. The URL's address
 * is the caller's to check (api/netguard.h). */
int jb_engine_hook_create(jb_engine *e, const jb_actor *who, const char *json, char **out);
int jb_engine_hook_get(jb_engine *e, const jb_actor *who, const char *id, char **out);
int jb_engine_hook_list(jb_engine *e, const jb_actor *who, char **out);
int jb_engine_hook_update(jb_engine *e, const jb_actor *who, const char *id, const char *json,
                          char **out);
int jb_engine_hook_delete(jb_engine *e, const jb_actor *who, const char *id);

/* One delivery to make (jb_engine_hooks_due): all strings malloc'd. */
typedef struct {
  char hook[24];
  int64_t event;     /* the event's sequence */
  char event_id[40]; /* "evt_" + 24 hex digits: what receivers deduplicate by */
  char type[32];
  int64_t at;        /* when the event was written (Unix seconds) */
  int attempts;      /* failed attempts so far */
  char *payload;     /* the JSON body to POST */
  char *secret;      /* the subscription's secret */
  char *body;        /* the subscription (its "url") */
  char *url;         /* unused by the store: jb_engine_hooks_due fills it from body */
} jb_hook_delivery;

/* The retry policy (the server's webhooks.* configuration). */
typedef struct {
  int64_t backoff_ms;       /* the first retry's delay; each retry doubles it */
  int64_t backoff_max_ms;   /* the longest delay */
  int64_t retry_for_s;      /* retries stop this long after the event */
  int64_t disable_after_s;  /* a subscription failing this long is disabled */
} jb_hook_policy;

enum { JB_HOOK_DELIVERED, JB_HOOK_RETRY, JB_HOOK_EXPIRED, JB_HOOK_DISABLED };

/* Up to max deliveries due at now_ms (Unix ms), oldest first, into *v (free
 * with jb_hook_deliveries_free, NULL is fine); *next_ms the earliest next
 * attempt of any delivery waiting (0: none). A writer only (JB_EINVAL).
 * JB_OK, JB_ENOMEM or a store error. */
int jb_engine_hooks_due(jb_engine *e, int64_t now_ms, size_t max, jb_hook_delivery **v, size_t *n,
                        int64_t *next_ms);
void jb_hook_deliveries_free(jb_hook_delivery *v, size_t n);

/* Records an attempt of d (ok: a 2xx; else reason, one sentence) in its own
 * transaction with policy p: a success removes the delivery; a failure is
 * retried after an exponential backoff with jitter (0.5-1 of the delay)
 * until p->retry_for_s after the event, then given up; a subscription
 * failing for p->disable_after_s is disabled (its deliveries dropped).
 * *outcome (may be NULL) gets JB_HOOK_*. JB_OK or a store error. */
int jb_engine_hook_result(jb_engine *e, const jb_hook_delivery *d, int ok, const char *reason,
                          const jb_hook_policy *p, int64_t now_ms, int *outcome);

/* match.new after an index sync: for every active subscription to match.new
 * on a challenge (its match list) or a saved search (its results), what
 * scores at least its min_score and it was not told of yet becomes one event
 * each (with the notified set, in one transaction per subscription). A writer with an index; *events (may be NULL) gets
 * how many were written. JB_OK or an engine error. */
int jb_engine_hooks_match_new(jb_engine *e, const jb_match_weights *w, int64_t *events);

/* The signature of a delivery (engine/keys.c, libsodium): the lowercase hex
 * HMAC-SHA256 of "TIMESTAMP.BODY" with the secret as key. hex gets 65 bytes.
 * JB_OK or JB_EINVAL (NULL argument). */
int jb_hook_sign(const char *secret, int64_t timestamp, const char *body, size_t len,
                 char hex[65]);

#ifdef __cplusplus
}
#endif
#endif
