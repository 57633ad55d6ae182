/* SPDX-License-Identifier: GPL-3.0-or-later */
/* routes.c: the dispatch of a routed call on a worker thread: authenticate,
 * the table's role and query-parameter checks, then the table's handler
 * (routes.def, handlers.h). */
#include "config.h"

#include <string.h>

#include "api/authz.h"
#include "api/handlers.h"
#include "api/routes_table.h"

void jb__routes_run(jb_server *s, jb_call *c) {
  if (c->route < 0 || c->route >= R_NROUTES || !jb__routes[c->route].handler) {
    JB_FAILM(c, 404, NO_ROUTE);
    return;
  }
  const jb_route *r = &jb__routes[c->route];
  char err[1024];
  jb_engine *e = jb__srv_reader(s, err, sizeof err);
  if (!e) {
    jb__log_event(c, "reader_failed", NULL, err);
    JB_FAILM(c, 503, NO_READER);
    return;
  }
  jb_key_info k;
  if (!jb__authenticate(c, e, &k))
    return;
  /* the key's last use, written at most once a minute (the reader cannot
   * write); a busy writer is not waited for: a later request records it */
  jb_engine *w = k.stale_use ? jb__srv_writer_trylock(s) : NULL;
  if (w) {
    int rc = jb_engine_key_touch(w, k.id);
    if (rc != JB_OK && rc != JB_ELOCKED)
      jb__log_event(c, "key_touch_failed", jb_errname(rc), jb_engine_error(w));
    jb__srv_writer_unlock(s);
  }
  if (r->role == ROLE_ADMIN && strcmp(k.role, "admin")) {
    JB_FAILM(c, 403, ADMIN_ONLY, r->method, r->pattern);
    return;
  }
  if (r->role == ROLE_STAFF && !jb_authz_sees_all(&k)) {
    JB_FAILM(c, 403, STAFF_ONLY, r->method, r->pattern);
    return;
  }
  if (!jb__only_params(c, r->params))
    return;
  /* a route that takes `format` may answer a spreadsheet (api/h_sheets.c) */
  int want = 0;
  for (size_t i = 0; r->params && r->params[i]; i++)
    if (!strcmp(r->params[i], "format") && (want = jb__sheet_want(c)) < 0)
      return;
  r->handler(s, c, e, &k);
  if (want > 0)
    jb__sheet_answer(s, c, want);
}
