/* SPDX-License-Identifier: GPL-3.0-or-later */
/* route_ids.h: the routes' ids R_<ID> and their count R_NROUTES, from the
 * route table (api/routes.def). Internal to api/. */
#ifndef JB_ROUTE_IDS_H
#define JB_ROUTE_IDS_H

/* the routes, in table order */
enum {
#define ROUTE(ID, METHOD, PATTERN, HANDLER, LOOP, PARAMS, ROLE, FLAGS, IDKIND) R_##ID,
#include "api/routes.def"
#undef ROUTE
  R_NROUTES
};

#endif
