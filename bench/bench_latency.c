/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_latency.c: latency of jiebang match over a data directory holding
 * the synthetic world of bench/gen_world.py: the 200 challenges gc-0..gc-199
 * matched to outputs (top 10), each run REPEAT times; prints p50, p90, p99
 * and max in milliseconds, wall clock and (a second line) the thread's CPU
 * time, which other processes on a shared machine disturb less. Run under
 * `taskset -c 0` for one core. KIND "suggest" times jb_engine_suggest (10
 * suggestions) instead.
 *
 *   bench/bench_latency DATA_DIR [REPEAT] [KIND] [WORLD.jsonl]
 * JB_WEIGHTS=FILE: weights (docs/matching.md); JB_RECIPROCAL=1: with the
 * reciprocal score; JB_EACH=1: each match's challenge, wall and CPU
 * milliseconds on stderr (which needs are the slow ones); JB_MATCHES=N: the
 * first N challenges only (1..200; for a profile under callgrind). With WORLD (the
 * generator's file) the peer runs in the same process after it: Xapian's
 * TermGenerator with CJK n-grams over the same outputs (title, abstract,
 * keywords), each challenge's title, problem and keywords as one query, its
 * terms OR-ed under BM25, top 10. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "bench/jsontext.h"
#include "engine/jiebang.h"
#include "engine/record.h"
#include "index/xapian_peer.h"

static double clock_ms(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void) { return clock_ms(CLOCK_MONOTONIC); }

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, size_t k) {
  qsort(t, k, sizeof *t, cmp);
  printf("%s: p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms\n", what, t[k / 2],
         t[k * 9 / 10], t[k * 99 / 100], t[k - 1]);
}

/* the peer over the same world: index its outputs, then time its challenges */
static int peer_run(const char *world, int repeat) {
  char tmpl[] = "/tmp/jb_latency_XXXXXX";
  if (!mkdtemp(tmpl))
    return 1;
  char path[64];
  snprintf(path, sizeof path, "%s/peer", tmpl);
  jb_peer *p;
  if (jb_peer_open(path, 1, &p) != JB_OK)
    return 1;
  FILE *f = fopen(world, "r");
  if (!f)
    return 1;
  char *line = NULL, **queries = calloc(200, sizeof *queries);
  size_t cap = 0, nq = 0, ndocs = 0;
  while (getline(&line, &cap, f) > 0) {
    json_t *r = json_loads(line, 0, NULL);
    const char *type = json_string_value(json_object_get(r, "type"));
    static const char *const body_keys[] = {"abstract", "keywords", NULL},
                             *const query_keys[] = {"title", "problem", "keywords", NULL};
    char *body = NULL;
    if (type && !strcmp(type, "output") && (body = bench_join(r, body_keys)) != NULL) {
      jb_peer_add(p, json_string_value(json_object_get(r, "id")),
                  json_string_value(json_object_get(r, "title")), body);
      ndocs++;
    } else if (type && !strcmp(type, "challenge") && nq < 200 &&
               (body = bench_join(r, query_keys)) != NULL) {
      queries[nq++] = body;
      body = NULL;
    }
    free(body);
    json_decref(r);
  }
  free(line);
  fclose(f);
  jb_peer_commit(p);
  double *t = malloc((size_t)repeat * nq * sizeof *t);
  size_t k = 0;
  for (int r = 0; r < repeat; r++)
    for (size_t i = 0; i < nq; i++) {
      char *ids[10];
      size_t n = 0;
      double t0 = now_ms();
      jb_peer_search(p, queries[i], 10, ids, &n);
      t[k++] = now_ms() - t0;
      for (size_t j = 0; j < n; j++)
        free(ids[j]);
    }
  char what[160];
  snprintf(what, sizeof what,
           "peer, Xapian TermGenerator CJK n-grams OR over the same %zu outputs: %zu searches "
           "(top 10)",
           ndocs, k);
  if (k)
    report(what, t, k);
  free(t);
  for (size_t i = 0; i < nq; i++)
    free(queries[i]);
  free(queries);
  jb_peer_close(p);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
  return system(cmd) != 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_latency DATA_DIR [REPEAT] [KIND] [WORLD.jsonl]\n");
    return 2;
  }
  int repeat = argc > 2 ? atoi(argv[2]) : 3;
  const char *kind = argc > 3 ? argv[3] : "output";
  int sug = !strcmp(kind, "suggest"); /* the vague-need assistant, 10 suggestions */
  jb_engine_opts o = {1, NULL, NULL, 0};
  jb_engine *e;
  char err[1024];
  if (jb_engine_open(argv[1], &o, &e, err, sizeof err) != JB_OK) {
    fprintf(stderr, "bench_latency: %s\n", err);
    return 1;
  }
  jb_engine_match_prepare(e); /* as the server's warm-up: the lexicon loaded before */
  jb_match_weights w;
  if (bench_weights(&w, "bench_latency"))
    return 1;
  jb_stats st;
  jb_engine_stats(e, &st);
  int per = getenv("JB_MATCHES") ? atoi(getenv("JB_MATCHES")) : 200;
  if (per < 1 || per > 200) {
    fprintf(stderr, "bench_latency: JB_MATCHES must be 1..200\n");
    return 2;
  }
  size_t n = (size_t)per * (size_t)repeat, k = 0;
  double *t = malloc(n * sizeof *t), *cpu = malloc(n * sizeof *cpu);
  for (int r = 0; r < repeat; r++)
    for (int i = 0; i < per; i++) {
      char id[32];
      snprintf(id, sizeof id, "gc-%d", i);
      jb_match_req req;
      jb_match_req_init(&req);
      req.id = id;
      req.kind = sug ? JB_REC_OUTPUT : (jb_rec_type)jb_rec_type_of(kind);
      req.weights = &w;
      req.reciprocal = getenv("JB_RECIPROCAL") != NULL;
      char *json = NULL;
      double t0 = now_ms(), c0 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
      int rc = sug ? jb_engine_suggest(e, id, &w, 10, &json) : jb_engine_match(e, &req, &json);
      cpu[k] = clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
      t[k++] = now_ms() - t0;
      free(json);
      if (getenv("JB_EACH"))
        fprintf(stderr, "%s\t%.2f\t%.2f\n", id, t[k - 1], cpu[k - 1]);
      if (rc != JB_OK) {
        fprintf(stderr, "bench_latency: %s\n", jb_engine_error(e));
        return 1;
      }
    }
  char what[160];
  snprintf(what, sizeof what, "%lld outputs, %lld experts: %zu matches (kind %s, top 10)",
           (long long)st.records[2], (long long)st.records[1], k, kind);
  report(what, t, k);
  report("  the same, CPU time of the thread", cpu, k);
  free(t);
  free(cpu);
  jb_engine_close(e);
  return argc > 4 ? peer_run(argv[4], repeat) : 0;
}
