/* SPDX-License-Identifier: GPL-3.0-or-later */
/* routes_table.h: the route table (api/routes.def) and the router built on
 * it. Internal to api/. */
#ifndef JB_ROUTES_TABLE_H
#define JB_ROUTES_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "api/request.h"
#include "api/route_ids.h"
#include "api/server_state.h"


enum { F_EXPENSIVE = 1, F_LOOP = 2, F_LEGACY_ID = 4, F_STATIC = 8 };
enum { ROLE_ANY, ROLE_ADMIN, ROLE_STAFF };
enum { ID_NONE, ID_RECORD, ID_SAVED, ID_ANY };

/* a worker route's handler: runs after authentication, the role check and
 * the parameter check; sets c->status and c->resp (jb__answer, jb__fail) */
typedef void jb_handler(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k);
/* a loop route's answer: a malloc'd body (NULL: out of memory) and its
 * content type in *ctype (NULL: application/json) */
typedef char *jb_loop_handler(jb_server *s, const char **ctype);

typedef struct {
  const char *method;
  const char *pattern;
  jb_handler *handler;
  jb_loop_handler *loop;
  const char *const *params; /* NULL-terminated */
  int role, flags, idkind;
} jb_route;

/* the table, R_NROUTES entries */
extern const jb_route jb__routes[R_NROUTES];

/* Routes method + path (the raw path, without the query): fills c->route,
 * c->type, c->id, c->step. Returns 0; 400 (a segment no path takes: a bad
 * escape, invalid UTF-8, a control character, an encoded '/', "." or ".."),
 * 404 (no such path) or 405 (*allow then points at c->allow: the methods the
 * path takes, in table order). Loop thread; pure. */
int jb__route(const char *method, const char *path, jb_call *c, const char **allow);

/* The route's label in logs and /metrics: its pattern with {type} or {party}
 * spelled as the record type of the path ("/v1/orgs/{id}"); "unmatched" for
 * route -1. Writes into buf (cap bytes, NUL-terminated) and returns buf. */
const char *jb__route_label(int route, int type, char *buf, size_t cap);

/* 1 when route's work grows with the index (F_EXPENSIVE), else 0. */
int jb__route_expensive(int route);

/* Runs a routed worker call: authenticates, checks the role and the query
 * parameters from the table, then runs the handler (api/routes.c). */
void jb__routes_run(jb_server *s, jb_call *c);

#endif
