/* SPDX-License-Identifier: GPL-3.0-or-later */
/* h_keys.c: keys (POST /v1/keys, GET /v1/keys[/{id}], DELETE /v1/keys/{id}) and GET /v1/me. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "api/authz.h"
#include "api/body.h"
#include "api/handlers.h"
#include "api/highlight.h"
#include "api/request.h"
#include "engine/record.h"
#include "locale/jb_locale.h"

/* ---- keys ------------------------------------------------------------------------------- */

void jb__h_key_create(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  json_t *b = NULL;
  char err[512];
  if (!c->body_len) {
    JB_FAILM(c, 400, KEY_BODY_REQUIRED);
    return;
  }
  jb_emsg pm;
  if (jb_rec_parse_m(c->body, c->body_len, &b, err, sizeof err, &pm) != JB_OK) {
    jb__fail_emsg(c, 400, &pm, err);
    return;
  }
  const char *key;
  json_t *v;
  json_object_foreach(b, key, v) {
    if (strcmp(key, "role") && strcmp(key, "org")) {
      JB_FAILM(c, 400, KEY_UNKNOWN_FIELD, key);
      json_decref(b);
      return;
    }
  }
  json_t *role = json_object_get(b, "role"), *org = json_object_get(b, "org");
  if (!json_is_object(b) || !json_is_string(role) || (org && !json_is_string(org))) {
    JB_FAILM(c, 400, KEY_FIELDS);
    json_decref(b);
    return;
  }
  jb_engine *w = jb__srv_writer_lock(s);
  jb_key_info info;
  char *secret = NULL;
  int rc = jb_engine_key_create(w, json_string_value(role), json_string_value(org), &info, &secret);
  if (rc == JB_OK)
    rc = jb_engine_audit(w, c->key_id, "key_create", "key", info.id, NULL, NULL, info.role);
  if (rc != JB_OK)
    jb__engine_fail(c, w, rc);
  jb__srv_writer_unlock(s);
  json_decref(b);
  if (rc != JB_OK)
    return;
  jb__answer(c, 201, json_pack("{s:s,s:s,s:s,s:s*,s:s}", "id", info.id, "key", secret, "role",
                           info.role, "org", info.org[0] ? info.org : NULL, "note",
                           "the key is shown once; only its hash is stored"));
  free(secret);
}

void jb__h_key_revoke(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  jb_engine *w = jb__srv_writer_lock(s);
  int rc = jb_engine_key_revoke(w, c->id);
  if (rc == JB_OK)
    rc = jb_engine_audit(w, c->key_id, "key_revoke", "key", c->id, NULL, NULL, "");
  jb__srv_writer_unlock(s);
  if (rc == JB_ENOENT)
    JB_FAILM(c, 404, NO_ACTIVE_KEY, c->id);
  else if (rc != JB_OK)
    jb__engine_fail(c, NULL, rc);
  else
    jb__answer(c, 200, json_pack("{s:s,s:b}", "id", c->id, "revoked", 1));
}


void jb__h_key_list(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  char *out = NULL;
  int rc = jb_engine_key_list(e, &out);
  jb__page_engine_list(s, c, e, rc, out, "keys", 'k', "id", NULL, NULL);
}

void jb__h_key_get(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  char *out = NULL;
  int rc = jb_engine_key_get(e, c->id, &out);
  if (rc == JB_ENOENT)
    JB_FAILM(c, 404, NO_KEY_ID, c->id);
  else if (rc != JB_OK)
    jb__engine_fail(c, e, rc);
  else
    jb__answer(c, 200, json_loads(out, 0, NULL));
  free(out);
}

/* GET /v1/me: the calling key's id, role and org, so that a client (the web
 * console) decides its views without trying routes */
void jb__h_me(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  (void)s;
  (void)e;
  jb__answer(c, 200, json_pack("{s:s,s:s,s:s*}", "id", k->id, "role", k->role, "org",
                               k->org[0] ? k->org : NULL));
}
