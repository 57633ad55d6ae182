/* SPDX-License-Identifier: GPL-3.0-or-later */
/* admission.h: the HTTP server's resource limits (docs/api.md "Limits"),
 * kept apart from the HTTP glue in server.c. Internal to api/; every
 * function runs on the loop thread (none is thread-safe).
 *
 *   connections  a per-address limit and a reserve of the last free slots
 *                for addresses that hold almost none (accept policy)
 *   deadlines    each request's head and body must arrive within
 *                limits.request_seconds; a sweep shuts down the sockets of
 *                connections that miss it
 *   gate         a bounded number of expensive jobs running at once, a
 *                bounded FIFO of waiting ones (the rest get 429)
 *   buckets      a token bucket per API key id (429 when empty) */
#ifndef JB_ADMISSION_H
#define JB_ADMISSION_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* ---- connections and deadlines ---- */

typedef struct jb_adm jb_adm;
typedef struct jb_adm_conn jb_adm_conn;

/* A table for `conn_max` connections, at most `per_ip` from one address and
 * the last `reserve` slots only for addresses holding fewer than 2;
 * `request_ms` is the head-and-body deadline, `between_ms` the time a
 * keep-alive connection may take for its next request line. NULL when out of
 * memory. Free with jb_adm_free (NULL is accepted). */
jb_adm *jb_adm_new(unsigned conn_max, unsigned per_ip, unsigned reserve, uint64_t request_ms,
                   uint64_t between_ms);
void jb_adm_free(jb_adm *a);

/* The accept policy for a connection from addr (before it exists): 1 admit,
 * 0 refuse (counted in refused_per_ip or refused_reserve). It counts
 * nothing: jb_adm_opened counts the connection once it exists (the library
 * may still drop an admitted one, out of memory, without opening it). */
int jb_adm_admit(jb_adm *a, const struct sockaddr *addr, socklen_t len);

/* A connection from addr starts (socket fd, now in ms): counts it and
 * returns its record (owned by a; valid until jb_adm_closed), its first
 * request's deadline running. NULL when out of memory (the connection then
 * is not counted and has no deadline). */
jb_adm_conn *jb_adm_opened(jb_adm *a, const struct sockaddr *addr, socklen_t len, int fd,
                           uint64_t now);
/* The connection is gone: uncounts it and frees c (NULL is accepted). */
void jb_adm_closed(jb_adm *a, jb_adm_conn *c);

/* The request line arrived (keep-alive requests after the first get their
 * request_ms deadline from here), the request is complete (no deadline while
 * it is answered), the answer went out (the next request's line must arrive
 * within between_ms). c may be NULL. */
void jb_adm_request_line(jb_adm *a, jb_adm_conn *c, uint64_t now);
void jb_adm_request_complete(jb_adm_conn *c);
void jb_adm_answered(jb_adm *a, jb_adm_conn *c, uint64_t now);

/* Shuts down (shutdown(2), both ways) the socket of every connection past
 * its deadline; the HTTP library then closes it. Returns how many. */
unsigned jb_adm_sweep(jb_adm *a, uint64_t now);

typedef struct {
  unsigned open;            /* connections counted now */
  uint64_t refused_per_ip;  /* refused: the address held its share */
  uint64_t refused_reserve; /* refused: only the reserve was left */
  uint64_t deadline_closes; /* connections shut down by the sweep */
  unsigned per_ip, reserve; /* the limits in force */
} jb_adm_stats;
void jb_adm_get_stats(const jb_adm *a, jb_adm_stats *st);

/* ---- the expensive-route gate ---- */

typedef struct {
  unsigned running, max_running; /* jobs handed to the pool */
  size_t head, len, cap;         /* the FIFO of waiting jobs */
  void **q;
  double avg_ms;                 /* moving average of a job's run time */
  uint64_t rejected;
} jb_gate;

/* max_running >= 1, cap >= 0 waiting jobs. 0 or JB_ENOMEM. */
int jb_gate_init(jb_gate *g, unsigned max_running, size_t cap);
void jb_gate_free(jb_gate *g);
/* 1: run job now (counted as running), 0: queued (run it when
 * jb_gate_done returns it), -1: the queue is full (counted as rejected). */
int jb_gate_enter(jb_gate *g, void *job);
/* A running job ended after ms: returns the next waiting job (now counted
 * as running; the caller runs it) or NULL. */
void *jb_gate_done(jb_gate *g, double ms);
/* Seconds a client should wait before trying again (1 to 60). */
unsigned jb_gate_retry_after(const jb_gate *g);

/* ---- per-key token buckets ---- */

typedef struct jb_bucket jb_bucket;
typedef struct {
  double rate, burst; /* tokens a second, bucket size; rate 0: off */
  jb_bucket *list;
  uint64_t rejected;
} jb_buckets;

void jb_buckets_init(jb_buckets *b, double rate, double burst);
void jb_buckets_free(jb_buckets *b);
/* 0 when key id may go on (no bucket yet, or a token left), else the seconds
 * until the next token (the caller answers 429; counted as rejected). Does
 * not take a token: jb_buckets_take does, once the key is authenticated. */
unsigned jb_buckets_check(jb_buckets *b, const char *id, uint64_t now_ms);
/* Takes a token from id's bucket (created full on first use). JB_OK or
 * JB_ENOMEM (then the key is not limited). */
int jb_buckets_take(jb_buckets *b, const char *id, uint64_t now_ms);

#endif
