/* server_int.h: what server.c (loop, HTTP, threads) and routes.c (routing
 * and handlers) share. Internal to api/. */
#ifndef JB_SERVER_INT_H
#define JB_SERVER_INT_H

#include <stdint.h>

#include <uv.h>

#include "api/logfmt.h" /* jb__error_json */
#include "api/qs.h"
#include "api/server.h"
#include "engine/jiebang.h"

/* routes (the order of ROUTES in routes.c) */
enum {
  R_HEALTH,
  R_METRICS,
  R_OPENAPI,
  R_KEYS,       /* POST /v1/keys */
  R_KEY,        /* DELETE /v1/keys/{id} */
  R_SEARCH,     /* GET /v1/search */
  R_COLLECTION, /* GET, POST /v1/{type}s */
  R_RECORD,     /* GET, PUT, PATCH, DELETE /v1/{type}s/{id} */
  R_MATCHES,    /* GET /v1/{type}s/{id}/matches */
  R_STATUS,     /* POST /v1/challenges/{id}/status */
  R_LINT,       /* GET /v1/challenges/{id}/lint */
  R_AUDIT,      /* GET /v1/audit */
  R_AUDIT_VERIFY, /* GET /v1/audit/verify */
  R_APPS,       /* GET, POST /v1/challenges/{id}/applications */
  R_REVIEWERS,  /* POST /v1/challenges/{id}/reviewers */
  R_SCORES,     /* POST /v1/challenges/{id}/scores */
  R_RANKING,    /* GET /v1/challenges/{id}/ranking */
  R_MILESTONES, /* GET /v1/challenges/{id}/milestones, POST .../milestones/{step} */
  R_MREVIEWS,   /* GET, POST /v1/challenges/{id}/match_reviews */
  R_SAVED,      /* GET, POST /v1/saved; DELETE /v1/saved/{id} (id set) */
  R_SAVED_NEW,  /* GET /v1/saved/{id}/new */
  R_STATS,      /* GET /v1/stats */
  R_SUGGEST,    /* GET /v1/challenges/{id}/suggest */
  R_NROUTES
};

/* One request's work, filled on the loop thread, run on a worker
 * (jb__routes_run), answered on the loop thread. */
typedef struct {
  /* in */
  int route;
  char method[8];
  int type;      /* record type of the path, -1 for none */
  char id[513];  /* record or key id of the path (JB_ID_STORED_MAX_BYTES + 1) */
  char step[32]; /* a sub-step of the path (milestones/{step}) */
  jb_qs qs;
  const char *body; /* NUL-terminated (body_len bytes before the NUL), or NULL */
  size_t body_len;
  char *auth;    /* the Authorization header (malloc'd copy) or NULL */
  /* out */
  int status;
  char *resp;    /* malloc'd JSON */
  char key_id[24];
  int64_t wrote; /* sequence number of the change made (0: none): wakes the indexer */
} jb_call;

typedef struct jb_server jb_server;

/* The path's route: fills c->route, c->type, c->id. Returns 0, 404 (no such
 * path) or 405 (*allow gets the methods the path takes). */
int jb__route(const char *method, const char *path, jb_call *c, const char **allow);

/* Runs a routed call on a worker thread. */
void jb__routes_run(jb_server *s, jb_call *c);

/* for routes.c: the calling worker's read-only engine (opened on first use;
 * NULL with a message in err when it cannot be), the writer under its lock,
 * the configuration and the weights */
jb_engine *jb__srv_reader(jb_server *s, char *err, size_t errlen);
jb_engine *jb__srv_writer_lock(jb_server *s);
void jb__srv_writer_unlock(jb_server *s);
const jb_server_config *jb__srv_config(const jb_server *s);
const jb_match_weights *jb__srv_weights(const jb_server *s);
const jb_criteria *jb__srv_criteria(const jb_server *s);

/* the error code for an HTTP status ("bad_request", "not_found", ...) */
const char *jb__status_code(int status);

#endif
