/* SPDX-License-Identifier: GPL-3.0-or-later */
/* authz.h: who may see and change which record (object-level checks of the
 * HTTP API, docs/api.md "Roles"). Pure functions over a key and records:
 * no I/O, tested in tests/unit/check_api.c.
 *
 *   admin       everything, and API keys
 *   officer     every record, read and write (platform operators)
 *   enterprise  writes its org's challenges and its own org record (but not
 *               its kind or region, which decide eligibility); the issuer of
 *               its org's challenges: sees their drafts, confidential fields,
 *               applications, ranking, milestones and match reviews
 *   researcher  writes its org's outputs and experts and its own org record
 *               (not kind or region); never the issuer, even of its org's
 *               challenges
 * Everyone with a key reads orgs, experts, outputs, and challenges that are
 * not drafts (without their confidential fields). Another org's draft does
 * not exist for the caller (404), so its existence does not leak. */
#ifndef JB_AUTHZ_H
#define JB_AUTHZ_H

#include <jansson.h>

#include "api/messages.h"
#include "engine/jiebang.h"

typedef enum { JB_ACT_READ, JB_ACT_CREATE, JB_ACT_UPDATE, JB_ACT_DELETE } jb_action;

/* 1 for admin and officer keys */
int jb_authz_sees_all(const jb_key_info *k);

/* The org owning a record: an org owns itself; others name theirs in "org"
 * (NULL when absent). Borrowed from rec. */
const char *jb_authz_owner(int type, const json_t *rec);

/* 1 when k may see rec at all (0: answer 404). */
int jb_authz_visible(const jb_key_info *k, int type, const json_t *rec);

/* 1 when k acts as the issuer of challenge ch (jb_actor_is_issuer: an
 * enterprise key of the challenge's org); NULL k: 0. */
int jb_authz_is_issuer(const jb_key_info *k, const json_t *ch);

/* The org whose drafts k sees besides the published challenges of all
 * (the org k is the issuer for), borrowed from k; NULL for none. Officers
 * and admins see every draft (jb_authz_sees_all). */
const char *jb_authz_drafts_of(const jb_key_info *k);

/* The HTTP status for action a by k: 0 allowed, 403, 404, or 409 (deleting
 * a challenge that is no longer a draft, whoever asks). `old` is the
 * stored record (NULL on create), `rec` the one to store (NULL on read and
 * delete). *why (may be NULL) gets the refusal's sentence in English (static)
 * for a 403 or 409, else NULL. */
int jb_authz_check(const jb_key_info *k, jb_action a, int type, const json_t *old,
                   const json_t *rec, const char **why);
/* As jb_authz_check, *why (may be NULL) getting the refusal's message of
 * the catalogue (api/messages.h, rendered in the request's language), or
 * M_COUNT when there is none. */
int jb_authz_check_m(const jb_key_info *k, jb_action a, int type, const json_t *old,
                     const json_t *rec, jb_msg *why);

/* rec as k may see it: a new reference, without "confidential" unless k
 * sees all or owns the challenge. */
json_t *jb_authz_redact(const jb_key_info *k, int type, json_t *rec);

#endif
