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

/* h_match.c: matches and suggestions */
jb_handler jb__h_matches, jb__h_suggest;

/* h_lifecycle.c: status, lint, applications, reviewers, scores, ranking,
 * milestones, match reviews */
jb_handler jb__h_transition, jb__h_lint, jb__h_applications, jb__h_reviewers_or_scores,
    jb__h_ranking, jb__h_milestones, jb__h_match_reviews, jb__h_application,
    jb__h_application_status, jb__h_reviewers, jb__h_award;
/* The award of challenge cid (record ch) as k sees it: winners, when, by
 * whom for whoever sees the challenge, with the officer's note for the
 * issuer, officers and admins (docs/lifecycle.md); a new reference, or NULL
 * when there is no award (h_lifecycle.c). */
json_t *jb__award_view(jb_engine *e, const jb_key_info *k, const json_t *ch, const char *cid);

/* h_misc.c: saved searches, statistics, audit */
jb_handler jb__h_saved, jb__h_saved_new, jb__h_stats, jb__h_audit_list, jb__h_audit_verify;

/* h_keys.c: keys */
jb_handler jb__h_key_create, jb__h_key_revoke, jb__h_key_list, jb__h_key_get, jb__h_me;

/* server.c: the loop routes */
jb_loop_handler jb__loop_health, jb__loop_metrics, jb__loop_openapi;

#endif
