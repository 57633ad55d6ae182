/* SPDX-License-Identifier: GPL-3.0-or-later */
/* handlers.h: the handlers the route table (api/routes.def) names, by
 * resource file. Each answers c (jb__answer / jb__fail); see jb_handler in
 * routes_table.h. Internal to api/. */
#ifndef JB_HANDLERS_H
#define JB_HANDLERS_H

#include "api/routes_table.h"

/* h_records.c: records and search */
jb_handler jb__h_get_record, jb__h_list_records, jb__h_write_record, jb__h_search;
/* Near-duplicate needs of challenge id that k may see, as "similar" in ans
 * (h_records.c; used by create, publish and lint). */
void jb__add_similar(jb_server *s, jb_engine *e, const jb_key_info *k, const char *id,
                     json_t *ans);
/* The answer to a write: {"record": the stored record or null, "seq"}. */
json_t *jb__write_answer(jb_engine *e, int type, const char *id, int64_t seq);

/* h_precond.c: conditional requests (RFC 9110 13).
 * jb__precondition: If-Match (strong) and If-None-Match (weak) of a write
 * against the stored text of its target (NULL: absent); 0 to go on, else
 * 400 (a malformed field) or 412 after answering. Call it under the writer
 * lock, inside the write's transaction (api/h_records.c).
 * jb__not_modified: a GET's ETag from the stored text into c->etag; 1 after
 * a 304 (If-None-Match matched), -1 after a 400, 0 to answer in full.
 * jb__challenge_precondition: jb__precondition against challenge c->id as
 * stored in w (lifecycle writes; under the writer lock); 0, or the status
 * after answering (400, 412, store errors).
 * jb__set_etag: c->etag from the stored (type, id), "" when absent.
 * (A PATCH's media type, application/merge-patch+json or application/json,
 * is checked with the headers in server.c: 415 before any work.) */
int jb__precondition(jb_call *c, const char *stored);
int jb__not_modified(jb_call *c, const char *stored);
int jb__challenge_precondition(jb_call *c, jb_engine *w);
/* jb__stored_precondition: the end of every such check, given the read's
 * rc and the stored text (taken, freed here): a store error answered (its
 * status returned), an absent item (JB_ENOENT) checked as "none", else
 * jb__precondition against the text. */
int jb__stored_precondition(jb_call *c, jb_engine *w, int rc, char *text);
void jb__set_etag(jb_call *c, jb_engine *e, const char *type, const char *id);

/* h_page.c: the one pagination style (docs/api.md, "Pagination"); cursors
 * of api/cursor.h, one kind letter per list.
 * jb__page_params: `limit` (default dflt, 1..limits.page_max) and the
 * decoded `cursor` of the list of kind into pos (cap bytes; "" for the first
 * page): 1, or 0 after a 400 (a bad limit, a tampered or foreign cursor).
 * jb__page_offset: the same for ranked lists, whose cursor is an offset.
 * jb__page_answer: {"items": items (consumed), "next_cursor": the cursor of
 * next (NULL: null, the end), "total", and "total_estimated": true when
 * estimated}; NULL when out of memory.
 * jb__page_array: answers a page of the whole array all (consumed; already
 * only what the caller may see) in the order of its members field (and
 * field2, when not NULL), keyset after the cursor; total = its size;
 * jb__page_array_with: the same, with the members of the object extra
 * (consumed, NULL: none) added beside items (an application list's award).
 * jb__page_engine_list: answers the engine's list answer rc, out (a JSON
 * array as text, freed here; extra consumed) as jb__page_array_with does:
 * rc not JB_OK is jb__engine_fail's answer, out not an array a 500 naming
 * what. */
int jb__page_params(jb_server *s, jb_call *c, char kind, long long dflt, long long *limit,
                    char *pos, size_t cap);
int jb__page_offset(jb_server *s, jb_call *c, char kind, long long dflt, long long *limit,
                    size_t *offset);
json_t *jb__page_answer(json_t *items, char kind, const char *next, int64_t total, int estimated);
void jb__page_array(jb_server *s, jb_call *c, json_t *all, char kind, const char *field,
                    const char *field2);
void jb__page_array_with(jb_server *s, jb_call *c, json_t *all, char kind, const char *field,
                         const char *field2, json_t *extra);
void jb__page_engine_list(jb_server *s, jb_call *c, jb_engine *e, int rc, char *out,
                          const char *what, char kind, const char *field, const char *field2,
                          json_t *extra);

/* h_match.c: matches and suggestions */
jb_handler jb__h_matches, jb__h_suggest;

/* h_lifecycle.c: status, lint, applications, reviewers, scores, ranking,
 * milestones, match reviews */
jb_handler jb__h_transition, jb__h_lint, jb__h_applications, jb__h_reviewers_or_scores,
    jb__h_ranking, jb__h_milestones, jb__h_match_reviews, jb__h_application,
    jb__h_application_status, jb__h_reviewers, jb__h_award, jb__h_my_applications;
/* The award of challenge cid (record ch) as k sees it: winners, when, by
 * whom for whoever sees the challenge, with the officer's note for the
 * issuer, officers and admins (docs/lifecycle.md); a new reference, or NULL
 * when there is no award (h_lifecycle.c). */
json_t *jb__award_view(jb_engine *e, const jb_key_info *k, const json_t *ch, const char *cid);

/* h_misc.c: saved searches, statistics, audit */
jb_handler jb__h_saved, jb__h_saved_new, jb__h_stats, jb__h_audit_list, jb__h_audit_verify;

/* h_keys.c: keys */
jb_handler jb__h_key_create, jb__h_key_revoke, jb__h_key_list, jb__h_key_get, jb__h_me;

/* h_webhooks.c: webhook subscriptions */
jb_handler jb__h_webhooks, jb__h_webhook;
/* h_admin.c: the live reindex (POST starts it: 202, 409 while one runs; GET
 * its state) */
jb_handler jb__h_reindex_start, jb__h_reindex_status;
/* h_sheets.c: spreadsheets (docs/api.md, "Spreadsheets").
 * jb__h_import: POST /v1/import.
 * jb__sheet_want: what a route that takes `format` is to answer: 0 JSON, 1
 * CSV, 2 .xlsx (?format=, else Accept), or -1 after a 400.
 * jb__sheet_answer: turns c's 200 JSON answer into that (want 1 or 2):
 * record lists through the column table, other lists a column per key;
 * c->resp_type, resp_len, disposition and next_cursor set; a failure
 * replaces the answer with a problem. */
jb_handler jb__h_import;
int jb__sheet_want(jb_call *c);
void jb__sheet_answer(jb_server *s, jb_call *c, int want);

/* server.c: the loop routes */
jb_loop_handler jb__loop_health, jb__loop_metrics, jb__loop_openapi;

#endif
