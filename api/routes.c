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
    jb__fail(c, 404, "no such route");
    return;
  }
  const jb_route *r = &jb__routes[c->route];
  char err[1024];
  jb_engine *e = jb__srv_reader(s, err, sizeof err);
  if (!e) {
    jb__log_event("reader_failed", NULL, err);
    jb__fail(c, 503, "the store cannot be read right now");
    return;
  }
  jb_key_info k;
  if (!jb__authenticate(c, e, &k))
    return;
  if (r->role == ROLE_ADMIN && strcmp(k.role, "admin")) {
    jb__fail(c, 403, "%s %s is for admin keys only", r->method, r->pattern);
    return;
  }
  if (r->role == ROLE_STAFF && !jb_authz_sees_all(&k)) {
    jb__fail(c, 403, "%s %s is for officers and admins", r->method, r->pattern);
    return;
  }
  if (!jb__only_params(c, r->params))
    return;
  r->handler(s, c, e, &k);
}
