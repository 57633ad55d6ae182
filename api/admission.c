/* SPDX-License-Identifier: GPL-3.0-or-later */
/* admission.c: connection limits, request deadlines, the expensive-route
 * gate and per-key token buckets (see admission.h). */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "api/admission.h"
#include "common/jb_error.h"

/* the least whole number >= x, for 0 <= x < 2^31 */
static unsigned up(double x) {
  unsigned u = (unsigned)x;
  return (double)u < x ? u + 1 : u;
}

/* ---- connections and deadlines ------------------------------------------------------ */

#define NADDR 1024 /* hash buckets of addresses */

typedef struct addr_count {
  struct addr_count *next;
  unsigned char key[16];
  unsigned n;
} addr_count;

struct jb_adm_conn {
  jb_adm_conn *prev, *next;
  addr_count *ac;
  int fd;
  int first;         /* its first request has not arrived yet */
  uint64_t deadline; /* ms; 0: none (being answered) */
};

struct jb_adm {
  unsigned conn_max, per_ip, reserve;
  uint64_t request_ms, between_ms;
  unsigned open;
  uint64_t refused_per_ip, refused_reserve, deadline_closes;
  jb_adm_conn *conns;
  addr_count *tab[NADDR];
};

/* the address as 16 bytes (IPv4 mapped into IPv6); 0 when it has none */
static int addr_key(const struct sockaddr *sa, socklen_t len, unsigned char key[16]) {
  memset(key, 0, 16);
  if (sa && sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
    key[10] = key[11] = 0xff;
    memcpy(key + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
    return 1;
  }
  if (sa && sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
    memcpy(key, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
    return 1;
  }
  return 0;
}

static unsigned addr_hash(const unsigned char key[16]) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < 16; i++)
    h = (h ^ key[i]) * 16777619u;
  return h % NADDR;
}

static addr_count *addr_find(jb_adm *a, const unsigned char key[16]) {
  for (addr_count *c = a->tab[addr_hash(key)]; c; c = c->next)
    if (!memcmp(c->key, key, 16))
      return c;
  return NULL;
}

jb_adm *jb_adm_new(unsigned conn_max, unsigned per_ip, unsigned reserve, uint64_t request_ms,
                   uint64_t between_ms) {
  jb_adm *a = calloc(1, sizeof *a);
  if (!a)
    return NULL;
  a->conn_max = conn_max;
  a->per_ip = per_ip;
  a->reserve = reserve < conn_max ? reserve : conn_max - 1;
  a->request_ms = request_ms;
  a->between_ms = between_ms;
  return a;
}

void jb_adm_free(jb_adm *a) {
  if (!a)
    return;
  while (a->conns) {
    jb_adm_conn *c = a->conns;
    a->conns = c->next;
    free(c);
  }
  for (size_t i = 0; i < NADDR; i++)
    while (a->tab[i]) {
      addr_count *c = a->tab[i];
      a->tab[i] = c->next;
      free(c);
    }
  free(a);
}

int jb_adm_admit(jb_adm *a, const struct sockaddr *addr, socklen_t len) {
  unsigned char key[16];
  if (!addr_key(addr, len, key))
    return 1; /* no address (a UNIX socket): only the total limit applies */
  const addr_count *c = addr_find(a, key);
  unsigned held = c ? c->n : 0;
  if (held >= a->per_ip) {
    a->refused_per_ip++;
    return 0;
  }
  /* the last `reserve` slots: only for an address with fewer than 2, so that
   * a new client still gets in while others hold the rest */
  if (a->open + a->reserve >= a->conn_max && held >= 2) {
    a->refused_reserve++;
    return 0;
  }
  return 1;
}

jb_adm_conn *jb_adm_opened(jb_adm *a, const struct sockaddr *addr, socklen_t len, int fd,
                           uint64_t now) {
  jb_adm_conn *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  unsigned char key[16];
  if (addr_key(addr, len, key)) {
    addr_count *ac = addr_find(a, key);
    if (!ac) {
      if (!(ac = calloc(1, sizeof *ac))) {
        free(c);
        return NULL;
      }
      memcpy(ac->key, key, 16);
      unsigned h = addr_hash(key);
      ac->next = a->tab[h];
      a->tab[h] = ac;
    }
    ac->n++;
    c->ac = ac;
  }
  c->fd = fd;
  c->first = 1;
  c->deadline = now + a->request_ms;
  c->next = a->conns;
  if (a->conns)
    a->conns->prev = c;
  a->conns = c;
  a->open++;
  return c;
}

void jb_adm_closed(jb_adm *a, jb_adm_conn *c) {
  if (!c)
    return;
  if (c->ac && --c->ac->n == 0) {
    addr_count **pp = &a->tab[addr_hash(c->ac->key)];
    while (*pp != c->ac)
      pp = &(*pp)->next;
    *pp = c->ac->next;
    free(c->ac);
  }
  if (c->prev)
    c->prev->next = c->next;
  else
    a->conns = c->next;
  if (c->next)
    c->next->prev = c->prev;
  a->open--;
  free(c);
}

void jb_adm_request_line(jb_adm *a, jb_adm_conn *c, uint64_t now) {
  if (!c)
    return;
  if (!c->first) /* the first request's deadline runs from the connection's start */
    c->deadline = now + a->request_ms;
  c->first = 0;
}

void jb_adm_request_complete(jb_adm_conn *c) {
  if (c)
    c->deadline = 0;
}

void jb_adm_answered(jb_adm *a, jb_adm_conn *c, uint64_t now) {
  if (c)
    c->deadline = now + a->between_ms;
}

unsigned jb_adm_sweep(jb_adm *a, uint64_t now) {
  unsigned n = 0;
  for (jb_adm_conn *c = a->conns; c; c = c->next)
    if (c->deadline && now >= c->deadline) {
      c->deadline = 0; /* once: the library closes it at its next run */
      shutdown(c->fd, SHUT_RDWR);
      n++;
    }
  a->deadline_closes += n;
  return n;
}

void jb_adm_get_stats(const jb_adm *a, jb_adm_stats *st) {
  st->open = a->open;
  st->refused_per_ip = a->refused_per_ip;
  st->refused_reserve = a->refused_reserve;
  st->deadline_closes = a->deadline_closes;
  st->per_ip = a->per_ip;
  st->reserve = a->reserve;
}

/* ---- the expensive-route gate ------------------------------------------------------- */

int jb_gate_init(jb_gate *g, unsigned max_running, size_t cap) {
  memset(g, 0, sizeof *g);
  g->max_running = max_running ? max_running : 1;
  g->cap = cap;
  g->avg_ms = 100;
  if (cap && !(g->q = calloc(cap, sizeof *g->q)))
    return JB_ENOMEM;
  return 0;
}

void jb_gate_free(jb_gate *g) {
  if (!g)
    return;
  free(g->q);
  g->q = NULL;
}

int jb_gate_enter(jb_gate *g, void *job) {
  if (g->running < g->max_running) {
    g->running++;
    return 1;
  }
  if (g->len < g->cap) {
    g->q[(g->head + g->len) % g->cap] = job;
    g->len++;
    return 0;
  }
  g->rejected++;
  return -1;
}

void *jb_gate_done(jb_gate *g, double ms) {
  g->avg_ms = g->avg_ms * 0.8 + ms * 0.2;
  if (g->len == 0) {
    g->running--;
    return NULL;
  }
  void *job = g->q[g->head];
  g->head = (g->head + 1) % g->cap;
  g->len--;
  return job; /* takes the slot the ended job held */
}

unsigned jb_gate_retry_after(const jb_gate *g) {
  /* the time the jobs ahead need on the slots there are */
  double s = (double)(g->len + g->running) * g->avg_ms / g->max_running / 1000;
  unsigned r = s > 60 ? 60 : up(s);
  return r < 1 ? 1 : r > 60 ? 60 : r;
}

/* ---- per-key token buckets ---------------------------------------------------------- */

struct jb_bucket {
  jb_bucket *next;
  char id[24];
  double tokens;
  uint64_t t; /* ms of the last refill */
};

void jb_buckets_init(jb_buckets *b, double rate, double burst) {
  memset(b, 0, sizeof *b);
  b->rate = rate;
  b->burst = burst < 1 ? 1 : burst;
}

void jb_buckets_free(jb_buckets *b) {
  if (!b)
    return;
  while (b->list) {
    jb_bucket *k = b->list;
    b->list = k->next;
    free(k);
  }
}

static jb_bucket *bucket(jb_buckets *b, const char *id, uint64_t now) {
  for (jb_bucket *k = b->list; k; k = k->next)
    if (!strcmp(k->id, id)) {
      if (now > k->t) {
        k->tokens += (double)(now - k->t) * b->rate / 1000;
        if (k->tokens > b->burst)
          k->tokens = b->burst;
        k->t = now;
      }
      return k;
    }
  return NULL;
}

unsigned jb_buckets_check(jb_buckets *b, const char *id, uint64_t now_ms) {
  if (b->rate <= 0 || !id || !*id)
    return 0;
  jb_bucket *k = bucket(b, id, now_ms);
  if (!k || k->tokens >= 1)
    return 0;
  b->rejected++;
  unsigned s = up((1 - k->tokens) / b->rate);
  return s < 1 ? 1 : s;
}

int jb_buckets_take(jb_buckets *b, const char *id, uint64_t now_ms) {
  if (b->rate <= 0 || !id || !*id)
    return JB_OK;
  jb_bucket *k = bucket(b, id, now_ms);
  if (!k) {
    if (!(k = calloc(1, sizeof *k)))
      return JB_ENOMEM;
    snprintf(k->id, sizeof k->id, "%s", id);
    k->tokens = b->burst;
    k->t = now_ms;
    k->next = b->list;
    b->list = k;
  }
  k->tokens -= 1; /* may go below 0: requests already under way when it emptied */
  return JB_OK;
}
