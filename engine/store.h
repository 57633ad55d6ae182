/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store.h: the SQLite system of record (internal to engine/). The only
 * place that includes <sqlite3.h> is engine/store.c.
 *
 * Schema (migrations in store.c, version in table schema_version):
 *   records(type, id, body, updated_at)  canonical JSON per (type, id)
 *   refs(type, id, to_type, to_id, field) references, foreign keys
 *   outbox(seq, type, id, op)             changes not yet in the index
 *   api_keys(id, hash, role, org, created_at, revoked_at, last_used_at)
 *   audit(seq, at, actor, action, type, id, before, after, detail, prev, hash)
 *   audit_head(seq, hash)                  the last entry, for truncation
 *   lc_items(kind, challenge, key, body, at) applications, reviewers, scores, awards
 *   quarantine(type, id, seq, error, at)  what the indexer could not apply
 *   webhooks, wh_events, wh_deliveries, wh_notified  webhooks (store_hooks.c)
 * Every change of a record appends an outbox row in the same transaction.
 * Durability: WAL, synchronous=FULL, foreign_keys=ON. */
#ifndef JB_STORE_H
#define JB_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/jiebang.h"
#include "engine/record.h"

#define JB_STORE_SCHEMA_VERSION 7

typedef struct jb_store jb_store;

typedef struct {
  int64_t seq;
  int type;
  char *id;
  int deleted; /* 1: op was delete */
} jb_outbox_row;

/* Opens or creates the database file; migrates it; a database newer than
 * this binary is JB_EVERSION. */
int jb__store_open(const char *path, int readonly, jb_store **out, char *err, size_t errlen);
void jb__store_close(jb_store *s);
const char *jb__store_error(const jb_store *s);
/* The catalogue message of the last error (emsg.h; id JB_EM_NONE when it
 * has none), valid until the next call on s; never NULL. */
const jb_emsg *jb__store_msg(const jb_store *s);

/* Write transactions (BEGIN IMMEDIATE; waits up to 5 s for another writer). */
int jb__store_begin(jb_store *s);
int jb__store_commit(jb_store *s);
int jb__store_rollback(jb_store *s);
/* Savepoints inside a write transaction: one record's changes all or none. */
int jb__store_savepoint(jb_store *s);
int jb__store_release(jb_store *s);
int jb__store_rollback_to(jb_store *s);
/* Read snapshot (BEGIN DEFERRED), ended by commit or rollback. */
int jb__store_begin_read(jb_store *s);

/* Inside a write transaction: stores `body` under (type, id) with its refs
 * (each must exist: else JB_ENOENT naming the field). *seq is the outbox
 * sequence of the change, or 0 when the stored body was already identical. */
int jb__store_put(jb_store *s, int type, const char *id, const char *body,
                  const jb_rec_ref *refs, size_t nrefs, int64_t *seq);
/* Inside a write transaction: deletes; JB_ENOENT if absent, JB_ECONFLICT when
 * another record refers to it (the message names it). */
int jb__store_delete(jb_store *s, int type, const char *id, int64_t *seq);

/* 1 if (type, id) exists, 0 if not, <0 on error. */
int jb__store_exists(jb_store *s, int type, const char *id);
/* The body (malloc'd) or JB_ENOENT. */
int jb__store_get(jb_store *s, int type, const char *id, char **body);
/* The seq of the change that created (type, id) into *seq (0 for a record
 * stored before schema 8); JB_OK, JB_ENOENT (absent), JB_ESTORE. */
int jb__store_created(jb_store *s, int type, const char *id, int64_t *seq);

/* Calls cb for every record of `type` (-1: all, in type order org, expert,
 * output, challenge), by id; a non-zero return from cb stops with it. */
int jb__store_foreach(jb_store *s, int type,
                      int (*cb)(void *ctx, int type, const char *id, const char *body),
                      void *ctx);
int jb__store_count(jb_store *s, int type, int64_t *n);
/* Calls cb for every record that refers to (type, id). */
int jb__store_referrers(jb_store *s, int type, const char *id,
                        int (*cb)(void *ctx, int type, const char *id), void *ctx);

/* Outbox rows with seq > after, at most max, ascending (free with
 * jb__store_rows_free). */
int jb__store_outbox(jb_store *s, int64_t after, size_t max, jb_outbox_row **rows, size_t *n);
void jb__store_rows_free(jb_outbox_row *rows, size_t n);
/* Deletes outbox rows with seq <= upto (its own transaction). */
int jb__store_prune(jb_store *s, int64_t upto);
/* The quarantine: records the indexer could not apply (an error retrying
 * cannot fix), by (type, id), with the outbox seq, the error and when (Unix
 * seconds). Each call is one statement (its own transaction outside a batch).
 * put replaces the entry of (type, id); clear removes it (id NULL: all);
 * foreach calls cb in seq order, the row's strings valid during the call, and
 * stops at a non-zero return, which it returns. */
typedef struct {
  int type;
  const char *id;
  int64_t seq;
  const char *error;
  int64_t at;
} jb_quarantine_row;
int jb__store_quarantine_put(jb_store *s, int type, const char *id, int64_t seq,
                             const char *error);
int jb__store_quarantine_clear(jb_store *s, int type, const char *id);
int jb__store_quarantine_count(jb_store *s, int64_t *n);
int jb__store_quarantine_foreach(jb_store *s, int (*cb)(void *ctx, const jb_quarantine_row *q),
                                 void *ctx);

/* The highest sequence ever given (0 for none), and the outbox length. */
int jb__store_last_seq(jb_store *s, int64_t *seq);
int jb__store_outbox_len(jb_store *s, int64_t *n);
/* PRAGMA integrity_check: JB_OK when "ok". */
int jb__store_check(jb_store *s, char *err, size_t errlen);

/* Filters of jb__store_list (NULL: no filter). */
typedef struct {
  const char *kind;   /* org or output kind */
  const char *status; /* challenge status ("draft" also matches an absent one) */
  const char *org;    /* the record's org (an org: its own id) */
  const char *region; /* prefix of the record's region */
  const char *field;  /* a field code or an ancestor of one ("ic" matches "ic/eda") */
  int hide_drafts;    /* challenges: drafts only of viewer_org */
  const char *viewer_org;
} jb_store_filter;

/* Calls cb(id, body) for the records of `type` with id > after (NULL: from
 * the start) passing f, by id, at most limit; a non-zero cb return stops
 * with it. id and body are valid during the call only. */
int jb__store_list(jb_store *s, int type, const jb_store_filter *f, const char *after,
                   size_t limit, int (*cb)(void *ctx, const char *id, const char *body),
                   void *ctx);
/* How many records of type pass f (the rows jb__store_list would give from
 * the first, without a limit) into *n: JB_OK or JB_ESTORE. */
int jb__store_count_filtered(jb_store *s, int type, const jb_store_filter *f, int64_t *n);

/* API keys (engine/store_keys.c). A key's row; times are Unix seconds, 0
 * for never (last_used_at, revoked_at). */
typedef struct {
  char id[24];
  char role[16];
  char *org; /* malloc'd, NULL for none */
  int64_t created_at, last_used_at, revoked_at;
} jb_key_row;
/* add: JB_ESTORE if the id exists. get: JB_ENOENT; the hash (hlen bytes)
 * into hash, the rest into *row (row->org malloc'd or NULL: the caller
 * frees it). revoke: JB_ENOENT when absent or already revoked. touch: sets
 * last_used_at = now (one statement; JB_ENOENT for no such key). foreach:
 * every key by id, cb's row valid during the call; a non-zero return stops
 * with it. */
int jb__store_key_add(jb_store *s, const char *id, const unsigned char *hash, size_t hlen,
                      const char *role, const char *org, int64_t now);
int jb__store_key_get(jb_store *s, const char *id, unsigned char *hash, size_t hlen,
                      jb_key_row *row);
int jb__store_key_revoke(jb_store *s, const char *id, int64_t now);
int jb__store_key_touch(jb_store *s, const char *id, int64_t now);
int jb__store_key_foreach(jb_store *s, int (*cb)(void *ctx, const jb_key_row *row), void *ctx);

/* Lifecycle items (JSON bodies) of a challenge under (kind, key). put: an
 * upsert, or with insert_only JB_EEXIST when the key is taken; get:
 * JB_ENOENT, *body malloc'd; foreach: by key (challenge NULL: every
 * challenge's, by challenge and key). */
int jb__store_item_put(jb_store *s, const char *kind, const char *challenge, const char *key,
                       const char *body, int64_t now, int insert_only);
int jb__store_item_get(jb_store *s, const char *kind, const char *challenge, const char *key,
                       char **body);
int jb__store_item_foreach(jb_store *s, const char *kind, const char *challenge,
                           int (*cb)(void *ctx, const char *key, const char *body), void *ctx);
int jb__store_item_delete(jb_store *s, const char *kind, const char *challenge, const char *key);
/* The first output (by id) that names both experts a and b, through the
 * refs table: *out (size outlen) gets its id. 1 (found), 0 (none), or
 * JB_ESTORE. */
int jb__store_shared_output(jb_store *s, const char *a, const char *b, char *out, size_t outlen);

/* Whether a lifecycle item depends on org or expert `id` (type JB_REC_ORG:
 * an application it leads or is a member of; JB_REC_EXPERT: a reviewer
 * assignment, a score, or an application it leads as team lead): 1 with
 * the challenge's id in *challenge (size clen), 0 for none, or JB_ESTORE.
 * Other types: 0. */
int jb__store_item_depends(jb_store *s, int type, const char *id, char *challenge, size_t clen);

/* Removes every lifecycle item of a challenge (applications, reviewers,
 * scores, award, milestones, match reviews; not saved searches, which are
 * kept under their owner's key id). JB_OK however many there were, or
 * JB_ESTORE. */
int jb__store_items_drop(jb_store *s, const char *challenge);

/* One audit entry (strings borrowed). */
typedef struct {
  int64_t seq, at;
  const char *actor, *action, *type, *id, *before, *after, *detail, *prev, *hash;
} jb_audit_row;

/* The last entry's seq and hash (0 and 64 zeros for an empty log). */
int jb__store_audit_head(jb_store *s, int64_t *seq, char hash[65]);
/* Inside a write transaction: appends a (computed) entry and moves the head. */
int jb__store_audit_add(jb_store *s, const jb_audit_row *a);
/* Entries with seq > after passing f's non-NULL actor, action (also its
 * "action:..." forms), type, id; at most limit (0: all), by seq. */
int jb__store_audit_foreach(jb_store *s, const jb_audit_row *f, int64_t after, size_t limit,
                            int (*cb)(void *ctx, const jb_audit_row *row), void *ctx);


/* Webhooks (engine/store_hooks.c; the rules are engine/hooks.c's). All run
 * inside the caller's transaction. A subscription's row: strings malloc'd
 * (org NULL for an officer's or admin's), times Unix seconds (0: never);
 * pending is the deliveries waiting. jb__hook_row_free frees the strings
 * (NULL is fine).
 * hook_add: JB_EEXIST for a taken id. hook_update: body and active (made
 * active again, the failure streak and disabled_at are cleared); JB_ENOENT.
 * hook_get: JB_ENOENT. hook_foreach: by id (active_only: only active ones),
 * cb's row valid during the call, a non-zero return stops with it.
 * hook_delete: with its deliveries and notified set (foreign keys); JB_ENOENT.
 * event_add: *seq gets the event's sequence. delivery_add: one row, next_at
 * in Unix ms (an existing (hook, event) is kept).
 * deliveries_due: up to max deliveries of active subscriptions due at now_ms,
 * oldest first, copied (free with jb__hook_deliveries_free); *next_ms the
 * earliest next_at of any waiting delivery (0: none).
 * delivery_ok: removes it, counts a success; delivery_failed: counts the
 * failure with its reason, then reschedules it at retry_at_ms or (0) gives
 * it up; hook_disable: inactive with disabled_at, its deliveries dropped
 * (*dropped). Events no delivery names any more are removed.
 * notified_add: 1 when key was new to the hook's set, 0 when it was there.
 * Errors: JB_ESTORE/JB_ELOCKED/JB_EIO (jb__store_error), JB_ENOMEM. */
typedef struct {
  char id[24];
  char *org, *owner, *body, *secret, *last_failure;
  int active;
  int64_t created_at, updated_at, delivered, failures, last_success_at, last_failure_at,
      failing_since, disabled_at, pending;
} jb_hook_row;
void jb__hook_row_free(jb_hook_row *r);
void jb__hook_deliveries_free(jb_hook_delivery *v, size_t n);
int jb__store_hook_add(jb_store *s, const jb_hook_row *r);
int jb__store_hook_update(jb_store *s, const char *id, const char *body, int active, int64_t now);
int jb__store_hook_get(jb_store *s, const char *id, jb_hook_row *r);
int jb__store_hook_foreach(jb_store *s, int active_only,
                           int (*cb)(void *ctx, const jb_hook_row *r), void *ctx);
int jb__store_hook_delete(jb_store *s, const char *id);
int jb__store_event_add(jb_store *s, const char *eid, const char *type, int64_t at,
                        const char *payload, int64_t *seq);
int jb__store_delivery_add(jb_store *s, const char *hook, int64_t event, int64_t next_at_ms);
int jb__store_deliveries_due(jb_store *s, int64_t now_ms, size_t max, jb_hook_delivery **out,
                             size_t *n, int64_t *next_ms);
int jb__store_delivery_ok(jb_store *s, const char *hook, int64_t event, int64_t now);
int jb__store_delivery_failed(jb_store *s, const char *hook, int64_t event, int64_t now,
                              const char *reason, int64_t retry_at_ms);
int jb__store_hook_disable(jb_store *s, const char *hook, int64_t now, int64_t *dropped);
int jb__store_notified_add(jb_store *s, const char *hook, const char *key);
/* How many events and deliveries wait (for statistics). */
int jb__store_events_count(jb_store *s, int64_t *events, int64_t *deliveries);

/* engine/store.c: the schema version this binary writes (its migrations). */
int jb__store_schema_latest(void);

/* engine/store_backup.c: copies the SQLite database `src` (open beside
 * writers: WAL readers do not block them) to a new file `dst` with SQLite's
 * online backup API, as one consistent snapshot; the copy is a rollback-
 * journal database (one file), passes PRAGMA quick_check and is fsync'd.
 * The copy's schema version, record count and last outbox sequence go into
 * *schema, *records, *last_seq (each may be NULL). JB_OK; JB_ENOENT (no
 * src), JB_EEXIST (dst exists), JB_ESTORE (not a database, damaged, or no
 * jiebang schema), JB_EIO (writing dst: a full disk), JB_ELOCKED (src stayed
 * locked for 10 s); a sentence in err. On failure dst is removed. */
int jb__store_snapshot(const char *src, const char *dst, int *schema, int64_t *records,
                       int64_t *last_seq, char *err, size_t errlen);

#endif
