/* bench_latency.c: latency of jiebang match over a data directory holding
 * the synthetic world of bench/gen_world.py: the 200 challenges gc-0..gc-199
 * matched to outputs (top 10), each run REPEAT times; prints p50, p90, p99
 * and max in milliseconds. Run under `taskset -c 0` for one core.
 *
 *   bench/bench_latency DATA_DIR [REPEAT] [KIND]
 * JB_WEIGHTS=FILE: weights (docs/matching.md); JB_RECIPROCAL=1: with the
 * reciprocal score. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/jiebang.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_latency DATA_DIR [REPEAT] [KIND]\n");
    return 2;
  }
  int repeat = argc > 2 ? atoi(argv[2]) : 3;
  const char *kind = argc > 3 ? argv[3] : "output";
  jb_engine_opts o = {1, NULL, NULL, 0};
  jb_engine *e;
  char err[1024];
  if (jb_engine_open(argv[1], &o, &e, err, sizeof err) != JB_OK) {
    fprintf(stderr, "bench_latency: %s\n", err);
    return 1;
  }
  jb_match_weights w;
  jb_match_weights_init(&w);
  const char *wf = getenv("JB_WEIGHTS");
  if (wf && jb_match_weights_load(&w, wf, err, sizeof err) != JB_OK) {
    fprintf(stderr, "bench_latency: %s\n", err);
    return 1;
  }
  jb_stats st;
  jb_engine_stats(e, &st);
  size_t n = 200 * (size_t)repeat, k = 0;
  double *t = malloc(n * sizeof *t);
  for (int r = 0; r < repeat; r++)
    for (int i = 0; i < 200; i++) {
      char id[32];
      snprintf(id, sizeof id, "gc-%d", i);
      jb_match_req req = {"challenge", id, kind, 10, 0, &w, getenv("JB_RECIPROCAL") != NULL};
      char *json = NULL;
      double t0 = now_ms();
      int rc = jb_engine_match(e, &req, &json);
      t[k++] = now_ms() - t0;
      free(json);
      if (rc != JB_OK) {
        fprintf(stderr, "bench_latency: %s\n", jb_engine_error(e));
        return 1;
      }
    }
  qsort(t, k, sizeof *t, cmp);
  printf("%lld outputs, %lld experts: %zu matches (kind %s, top 10): p50 %.1f ms  p90 %.1f ms  "
         "p99 %.1f ms  max %.1f ms\n",
         (long long)st.records[2], (long long)st.records[1], k, kind, t[k / 2], t[k * 9 / 10],
         t[k * 99 / 100], t[k - 1]);
  free(t);
  jb_engine_close(e);
  return 0;
}
