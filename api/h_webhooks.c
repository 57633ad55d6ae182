/* SPDX-License-Identifier: GPL-3.0-or-later */
/* h_webhooks.c: webhook subscriptions (POST/GET /v1/webhooks, GET/PATCH/
 * DELETE /v1/webhooks/{id}; docs/webhooks.md). The rules are the engine's
 * (engine/hooks.c); the target's address is checked here, against
 * webhooks.allow (api/netguard.h), before anything is stored. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/handlers.h"
#include "api/netguard.h"
#include "api/request.h"
#include "api/server_state.h"
#include "engine/record.h"

static void hook_fail(jb_call *c, jb_engine *e, int rc) {
  if (rc == JB_ENOENT)
    jb__engine_refuse(c, e, 404);
  else if (rc == JB_EPERM)
    jb__engine_refuse(c, e, 403);
  else
    jb__engine_fail(c, e, rc);
}

/* 1 when the body's url (if any) is an allowed target, else 0 after a 400 */
static int url_allowed(jb_server *s, jb_call *c, const char *text) {
  json_t *b = json_loads(text, 0, NULL);
  json_t *u = json_object_get(b, "url");
  int ok = 1;
  if (json_is_string(u)) {
    char err[400];
    int rc = jb_netguard_check_url(&s->hook_allow, json_string_value(u), (jb_lang)c->lang, err,
                                   sizeof err);
    if (rc != JB_OK) {
      jb__fail(c, 400, "%s", err);
      ok = 0;
    }
  }
  json_decref(b);
  return ok;
}

void jb__h_webhooks(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  jb_actor who = {k->id, k->role, k->org};
  char *out = NULL;
  if (!strcmp(c->method, "GET")) {
    int rc = jb_engine_hook_list(e, &who, &out);
    if (rc == JB_EPERM) {
      hook_fail(c, e, rc);
      return;
    }
    jb__page_engine_list(s, c, e, rc, out, "webhooks", 'w', "id", NULL, NULL);
    return;
  }
  const char *text = jb__body_text(c, "the webhook");
  if (!text || !url_allowed(s, c, text))
    return;
  jb_engine *w = jb__srv_writer_lock(s);
  int rc = jb_engine_hook_create(w, &who, text, &out);
  if (rc != JB_OK)
    hook_fail(c, w, rc);
  jb__srv_writer_unlock(s);
  if (rc == JB_OK) {
    json_t *v = json_loads(out, 0, NULL);
    json_object_set_new(v, "note", json_string(jb_msg_format(M_HOOK_SECRET_NOTE, (jb_lang)c->lang)));
    jb__answer(c, 201, v);
  }
  free(out);
}

void jb__h_webhook(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  jb_actor who = {k->id, k->role, k->org};
  char *out = NULL;
  int rc;
  if (!strcmp(c->method, "GET")) {
    rc = jb_engine_hook_get(e, &who, c->id, &out);
    if (rc != JB_OK)
      hook_fail(c, e, rc);
    else
      jb__answer(c, 200, json_loads(out, 0, NULL));
    free(out);
    return;
  }
  const char *text = NULL;
  if (!strcmp(c->method, "PATCH")) {
    if (!(text = jb__body_text(c, "the change")))
      return;
    /* one the key may not manage does not exist for it: a 404 before the url's
     * host is resolved, so no key learns what a name resolves to through
     * another's subscription */
    if ((rc = jb_engine_hook_get(e, &who, c->id, &out)) != JB_OK) {
      hook_fail(c, e, rc);
      return;
    }
    free(out);
    out = NULL;
    if (!url_allowed(s, c, text))
      return;
  }
  jb_engine *w = jb__srv_writer_lock(s);
  rc = text ? jb_engine_hook_update(w, &who, c->id, text, &out)
            : jb_engine_hook_delete(w, &who, c->id);
  if (rc != JB_OK)
    hook_fail(c, w, rc);
  jb__srv_writer_unlock(s);
  if (rc == JB_OK) {
    jb__answer(c, 200,
               text ? json_loads(out, 0, NULL) : json_pack("{s:s,s:b}", "id", c->id, "deleted", 1));
    if (text) /* made active again: its waiting deliveries are due */
      jb__hooks_wake(s);
  }
  free(out);
}
