/* SPDX-License-Identifier: GPL-3.0-or-later */
/* authz.c: object-level authorisation (see authz.h). */
#include "config.h"

#include <string.h>

#include "api/authz.h"
#include "engine/record.h"

int jb_authz_sees_all(const jb_key_info *k) {
  return k && (!strcmp(k->role, "admin") || !strcmp(k->role, "officer"));
}

const char *jb_authz_owner(int type, const json_t *rec) {
  return json_string_value(json_object_get(rec, type == JB_REC_ORG ? "id" : "org"));
}

int jb_authz_is_issuer(const jb_key_info *k, const json_t *ch) {
  if (!k)
    return 0;
  jb_actor a = {k->id, k->role, k->org};
  return jb_actor_is_issuer(&a, json_string_value(json_object_get(ch, "org")));
}

const char *jb_authz_drafts_of(const jb_key_info *k) {
  if (!k || !k->org[0])
    return NULL;
  jb_actor a = {k->id, k->role, k->org};
  return jb_actor_is_issuer(&a, k->org) ? k->org : NULL;
}

/* k's org owns rec; for a challenge only the issuer (an enterprise key of
 * its org) counts, never a researcher key of the same org */
static int owns(const jb_key_info *k, int type, const json_t *rec) {
  if (type == JB_REC_CHALLENGE)
    return jb_authz_is_issuer(k, rec);
  const char *o = jb_authz_owner(type, rec);
  return k && k->org[0] && o && !strcmp(o, k->org);
}

/* 1 when field f differs between a and b (absent counts as a value) */
static int changed(const json_t *a, const json_t *b, const char *f) {
  const json_t *x = json_object_get(a, f), *y = json_object_get(b, f);
  return (!x) != (!y) || (x && !json_equal((json_t *)x, (json_t *)y));
}

static int is_draft(const json_t *rec) {
  const char *s = json_string_value(json_object_get(rec, "status"));
  return !s || !strcmp(s, "draft");
}

int jb_authz_visible(const jb_key_info *k, int type, const json_t *rec) {
  if (!k)
    return 0;
  if (type != JB_REC_CHALLENGE || jb_authz_sees_all(k))
    return 1;
  return !is_draft(rec) || owns(k, type, rec);
}

/* the types a role writes, beyond its own org record */
static int writes_type(const jb_key_info *k, int type) {
  if (!strcmp(k->role, "enterprise"))
    return type == JB_REC_CHALLENGE;
  if (!strcmp(k->role, "researcher"))
    return type == JB_REC_OUTPUT || type == JB_REC_EXPERT;
  return 0;
}

int jb_authz_check_m(const jb_key_info *k, jb_action a, int type, const json_t *old,
                     const json_t *rec, jb_msg *why) {
  jb_msg dummy;
  if (!why)
    why = &dummy;
  *why = M_COUNT;
  if (!k)
    return 404;
  if (old && !jb_authz_visible(k, type, old))
    return 404;
  if (a == JB_ACT_READ)
    return 0;
  /* a challenge is deleted while it is a draft; later it is cancelled or
   * closed through its transitions, keeping its applications and audit */
  if (type == JB_REC_CHALLENGE && a == JB_ACT_DELETE && old && !is_draft(old)) {
    *why = M_AUTHZ_DELETE_DRAFT;
    return 409;
  }
  if (jb_authz_sees_all(k))
    return 0;
  /* an enterprise or researcher: its own org record, or its role's types
   * within its org, before and after the change */
  if (type == JB_REC_ORG) {
    if (a == JB_ACT_UPDATE && old && owns(k, type, old)) {
      /* kind and region decide eligibility: an org does not grant them itself */
      if (rec && (changed(old, rec, "kind") || changed(old, rec, "region"))) {
        *why = M_AUTHZ_KIND_REGION;
        return 403;
      }
      return 0;
    }
    *why = a == JB_ACT_UPDATE ? M_AUTHZ_ORG_UPDATE : M_AUTHZ_ORG_CREATE;
    return 403;
  }
  if (!writes_type(k, type)) {
    *why = !strcmp(k->role, "enterprise") ? M_AUTHZ_ENTERPRISE_TYPES : M_AUTHZ_RESEARCHER_TYPES;
    return 403;
  }
  if (old && !owns(k, type, old)) {
    *why = M_AUTHZ_OTHER_ORG;
    return 403;
  }
  if (rec && !owns(k, type, rec)) {
    *why = M_AUTHZ_OWN_ORG;
    return 403;
  }
  return 0;
}

json_t *jb_authz_redact(const jb_key_info *k, int type, json_t *rec) {
  if (type != JB_REC_CHALLENGE || jb_authz_sees_all(k) || owns(k, type, rec) ||
      !json_object_get(rec, "confidential"))
    return json_incref(rec);
  json_t *c = json_copy(rec);
  if (c)
    json_object_del(c, "confidential");
  return c;
}

int jb_authz_check(const jb_key_info *k, jb_action a, int type, const json_t *old,
                   const json_t *rec, const char **why) {
  jb_msg m;
  int st = jb_authz_check_m(k, a, type, old, rec, &m);
  if (why)
    *why = m == M_COUNT ? NULL : jb_msg_format(m, JB_LANG_EN);
  return st;
}
