/* SPDX-License-Identifier: GPL-3.0-or-later */
/* server.h: `jiebang serve` — the HTTP API (docs/api.md). libmicrohttpd in
 * external-epoll mode on a libuv loop (one thread); handlers that touch the
 * store or the index run on libuv's thread pool, each worker with its own
 * read-only engine; writes go through the one writer engine. */
#ifndef JB_SERVER_H
#define JB_SERVER_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
  char listen[128];      /* "ADDR:PORT" (IPv4 or [IPv6]) */
  char data[4096];       /* data directory */
  char weights[4096];    /* match weights file, "" for the defaults */
  size_t body_max;       /* bytes of a request body (413) */
  size_t url_max;        /* bytes of the request target (414) */
  size_t header_max;     /* bytes of all request headers (431) */
  unsigned conn_max;     /* connections in total */
  unsigned conn_per_ip;  /* connections from one address (0: conn_max/20, at least 8) */
  unsigned conn_reserve; /* last free connections kept for new addresses (0: conn_max/10) */
  unsigned idle_timeout; /* seconds a connection may sit idle */
  unsigned request_timeout; /* seconds for a request's head and body to arrive */
  unsigned expensive_workers; /* search/match jobs running at once (0: workers/2, at least 1) */
  unsigned expensive_queue;   /* search/match jobs waiting for one (then 429) */
  unsigned key_rate;     /* requests a minute per API key (0: no limit) */
  unsigned key_burst;    /* requests a key may make at once (0: a tenth of key_rate, at least 1) */
  size_t query_max;      /* characters of a search query */
  size_t terms_max;      /* words of a search query */
  size_t page_max;       /* largest `limit` of a list or search */
  unsigned wait_max_ms;  /* longest wait for min_seq */
  unsigned workers;      /* thread-pool size (UV_THREADPOOL_SIZE) */
  int log;               /* one JSON line per request on stderr */
  unsigned max_members;  /* member orgs of an application besides the lead */
  unsigned max_winners;  /* winners an award may name */
  double first_share;    /* least share of the first (contract) tranche */
  double dup_threshold;  /* Jaccard similarity from which needs are near-duplicates */
  char criteria[400];    /* review criteria, "name:max, ..." */
  int lang;              /* messages' language when the client asks none: 0 en, 1 zh (jb_lang) */
  /* webhooks (docs/webhooks.md) */
  unsigned hook_timeout_ms;    /* one delivery attempt, connect to answer */
  unsigned hook_backoff_ms;    /* the first retry's delay (doubling) */
  unsigned hook_backoff_max_s; /* the longest delay between retries */
  unsigned hook_retry_s;       /* retries stop this long after the event */
  unsigned hook_disable_s;     /* a subscription failing this long is disabled */
  char hook_allow[2048];       /* CIDR ranges webhooks may reach (api/netguard.h) */
} jb_server_config;

/* The defaults of docs/api.md. */
void jb_server_config_init(jb_server_config *c);

/* Reads "key = value" lines ('#' comments) into c; unknown keys and bad
 * values are errors naming FILE:LINE in err. JB_OK, JB_EIO or JB_ESYNTAX. */
int jb_server_config_load(jb_server_config *c, const char *path, char *err, size_t errlen);

/* Runs the server until SIGINT or SIGTERM (then: stop accepting, finish the
 * requests in flight, apply the outbox to the index, return 0). Start-up
 * failures print one line on stderr and return 1. `ready` (may be NULL) is
 * called once the port listens. */
int jb_serve(const jb_server_config *c, void (*ready)(const char *addr));

/* Prints the route table, one line per method and path: "METHOD PATH PARAMS
 * ROLE FLAGS" — PATH with {id} and {step}, PARAMS the query parameters it
 * takes joined by ',', ROLE any, admin or staff (officers and admins),
 * FLAGS of expensive, loop, legacy_id joined by ','; "-" for none. The
 * OpenAPI check (tests/http_test.py) reads it. */
void jb_server_print_routes(FILE *out);

#endif
