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

static int owns(const jb_key_info *k, int type, const json_t *rec) {
  const char *o = jb_authz_owner(type, rec);
  return k && k->org[0] && o && !strcmp(o, k->org);
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

int jb_authz_check(const jb_key_info *k, jb_action a, int type, const json_t *old,
                   const json_t *rec, const char **why) {
  const char *dummy;
  if (!why)
    why = &dummy;
  *why = NULL;
  if (!k)
    return 404;
  if (old && !jb_authz_visible(k, type, old))
    return 404;
  if (a == JB_ACT_READ || jb_authz_sees_all(k))
    return 0;
  /* an enterprise or researcher: its own org record, or its role's types
   * within its org, before and after the change */
  if (type == JB_REC_ORG) {
    if (a == JB_ACT_UPDATE && old && owns(k, type, old))
      return 0;
    *why = a == JB_ACT_UPDATE ? "only the org itself, officers and admins change an org record"
                              : "only officers and admins create or delete orgs";
    return 403;
  }
  if (!writes_type(k, type)) {
    *why = !strcmp(k->role, "enterprise") ? "an enterprise key writes challenges only"
                                          : "a researcher key writes outputs and experts only";
    return 403;
  }
  if (old && !owns(k, type, old)) {
    *why = "the record belongs to another org";
    return 403;
  }
  if (rec && !owns(k, type, rec)) {
    *why = "org: must be the key's own org";
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
