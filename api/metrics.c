/* SPDX-License-Identifier: GPL-3.0-or-later */
/* metrics.c: the loop routes' answers — /metrics (the request counts and
 * latencies kept by jb__count), /healthz, /v1/openapi.json. Loop thread. */
#include "config.h"
#include "jb_commit.h" /* JB_COMMIT, made at build time (Makefile.am) */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <jansson.h>

#include "api/server_state.h"
#include "api/handlers.h"
#include "api/routes_table.h"

static const double BUCKETS_MS[NBUCKETS - 1] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000};

void jb__count(jb_server *s, const req *r, double ms) {
  /* one series per label: the routes of one path share it, spelled with the
   * path's record type; requests no route takes are "unmatched", those
   * refused before routing "refused" */
  int ri = r->refused ? 0 : r->call.route < 0 || r->call.route >= R_NROUTES ? 1 : r->call.route + 2;
  int ti = r->call.type >= 0 && r->call.type < 4 ? r->call.type + 1 : 0;
  size_t k = s->series_of[ri][ti] >= 0 ? (size_t)s->series_of[ri][ti] : s->nseries;
  if (k == s->nseries) { /* first of its kind: find its label, or add it */
    char label[80];
    if (r->refused)
      snprintf(label, sizeof label, "refused");
    else
      jb__route_label(r->call.route, r->call.type, label, sizeof label);
    k = 0;
    while (k < s->nseries && strcmp(s->series[k].route, label))
      k++;
  }
  if (k < s->nseries) {
    s->series_of[ri][ti] = (short)k;
  } else {
    if (k == sizeof s->series / sizeof *s->series)
      return; /* cannot happen: the table has fewer labels */
    memset(&s->series[k], 0, sizeof s->series[k]);
    if (r->refused)
      snprintf(s->series[k].route, sizeof s->series[k].route, "refused");
    else
      jb__route_label(r->call.route, r->call.type, s->series[k].route, sizeof s->series[k].route);
    s->series_of[ri][ti] = (short)k;
    s->nseries++;
  }
  size_t i = 0;
  while (i < s->ncounts && !(s->counts[i].series == (int)k && s->counts[i].status == r->status))
    i++;
  if (i == s->ncounts && s->ncounts < sizeof s->counts / sizeof *s->counts) {
    s->counts[i].series = (int)k;
    s->counts[i].status = r->status;
    s->counts[i].n = 0;
    s->ncounts++;
  }
  if (i < s->ncounts)
    s->counts[i].n++;
  int b = 0;
  while (b < NBUCKETS - 1 && ms > BUCKETS_MS[b])
    b++;
  s->series[k].hist[b]++;
  s->series[k].n++;
  s->series[k].sum_ms += ms;
}

/* the process's resident bytes, open descriptors and CPU seconds (Linux
 * /proc; -1 when unknown) */
static void process_stats(double *rss, double *fds, double *cpu) {
  *rss = *fds = *cpu = -1;
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long long size, res;
  if (f && fscanf(f, "%llu %llu", &size, &res) == 2)
    *rss = (double)res * (double)sysconf(_SC_PAGESIZE);
  if (f)
    fclose(f);
  DIR *d = opendir("/proc/self/fd");
  if (d) {
    long n = 0;
    while (readdir(d))
      n++;
    closedir(d);
    *fds = (double)(n - 3); /* ".", ".." and the directory's own descriptor */
  }
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) == 0)
    *cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

/* GET /metrics (Prometheus text format 0.0.4) */
char *jb__loop_metrics(jb_server *s, const char **ctype) {
  *ctype = "text/plain; version=0.0.4";
  size_t cap = 12288 + s->ncounts * 160 + s->nseries * (NBUCKETS + 2) * 160, n = 0;
  char *out = malloc(cap);
  if (!out)
    return NULL;
#define P(...) n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, __VA_ARGS__)
  P("# HELP jiebang_build_info The running build: version and git commit (1).\n"
    "# TYPE jiebang_build_info gauge\njiebang_build_info{version=\"%s\",commit=\"%s\"} 1\n",
    PACKAGE_VERSION, JB_COMMIT);
  P("# HELP jiebang_http_requests_total HTTP requests by route and status.\n"
    "# TYPE jiebang_http_requests_total counter\n");
  for (size_t i = 0; i < s->ncounts; i++)
    P("jiebang_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
      s->series[s->counts[i].series].route, s->counts[i].status,
      (unsigned long long)s->counts[i].n);
  P("# HELP jiebang_http_request_duration_seconds Time from a request's first byte to its "
    "answer, by route.\n# TYPE jiebang_http_request_duration_seconds histogram\n");
  for (size_t k = 0; k < s->nseries; k++) {
    uint64_t cum = 0;
    const char *rt = s->series[k].route;
    for (int b = 0; b < NBUCKETS; b++) {
      cum += s->series[k].hist[b];
      if (b < NBUCKETS - 1)
        P("jiebang_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n", rt,
          BUCKETS_MS[b] / 1000, (unsigned long long)cum);
      else
        P("jiebang_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n", rt,
          (unsigned long long)cum);
    }
    P("jiebang_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", rt,
      s->series[k].sum_ms / 1000);
    P("jiebang_http_request_duration_seconds_count{route=\"%s\"} %llu\n", rt,
      (unsigned long long)s->series[k].n);
  }
  double rss, fds, cpu;
  process_stats(&rss, &fds, &cpu);
  if (rss >= 0)
    P("# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
      "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %.0f\n", rss);
  if (fds >= 0)
    P("# HELP process_open_fds Number of open file descriptors.\n"
      "# TYPE process_open_fds gauge\nprocess_open_fds %.0f\n", fds);
  if (cpu >= 0)
    P("# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
      "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total %.6f\n", cpu);
  P("# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n"
    "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds %llu\n",
    (unsigned long long)s->started_at);
  P("# HELP jiebang_index_lag_changes Stored changes the index has not applied yet.\n"
    "# TYPE jiebang_index_lag_changes gauge\njiebang_index_lag_changes %lld\n",
    (long long)(s->last_seq > s->applied ? s->last_seq - s->applied : 0));
  P("# HELP jiebang_outbox_length Rows in the outbox (changes waiting for the indexer).\n"
    "# TYPE jiebang_outbox_length gauge\njiebang_outbox_length %lld\n",
    (long long)s->outbox);
  P("# HELP jiebang_store_last_seq Sequence number of the latest stored change.\n"
    "# TYPE jiebang_store_last_seq gauge\njiebang_store_last_seq %lld\n",
    (long long)s->last_seq);
  P("# HELP jiebang_index_applied_seq Sequence number the index has applied.\n"
    "# TYPE jiebang_index_applied_seq gauge\njiebang_index_applied_seq %lld\n",
    (long long)s->applied);
  P("# HELP jiebang_index_sync_failures_total Indexer runs that failed (retried).\n"
    "# TYPE jiebang_index_sync_failures_total counter\njiebang_index_sync_failures_total %llu\n",
    (unsigned long long)s->sync_failures);
  P("# HELP jiebang_index_quarantined Records the index refused and skips (`jiebang verify`).\n"
    "# TYPE jiebang_index_quarantined gauge\njiebang_index_quarantined %lld\n",
    (long long)s->quarantined);
  P("# HELP jiebang_http_requests_in_flight Requests being answered.\n"
    "# TYPE jiebang_http_requests_in_flight gauge\njiebang_http_requests_in_flight %u\n",
    s->inflight);
  P("# HELP jiebang_index_sync_failing 1 while the indexer's last run failed (/healthz: degraded).\n"
    "# TYPE jiebang_index_sync_failing gauge\njiebang_index_sync_failing %d\n", s->sync_failing);
  jb_adm_stats st;
  jb_adm_get_stats(s->adm, &st);
  P("# HELP jiebang_http_connections Open connections.\n"
    "# TYPE jiebang_http_connections gauge\njiebang_http_connections %u\n", st.open);
  P("# HELP jiebang_http_connections_refused_total Connections refused at accept.\n"
    "# TYPE jiebang_http_connections_refused_total counter\n"
    "jiebang_http_connections_refused_total{reason=\"per_ip\"} %llu\n"
    "jiebang_http_connections_refused_total{reason=\"reserve\"} %llu\n",
    (unsigned long long)st.refused_per_ip, (unsigned long long)st.refused_reserve);
  P("# HELP jiebang_http_deadline_closes_total Connections closed for missing "
    "limits.request_seconds.\n# TYPE jiebang_http_deadline_closes_total counter\n"
    "jiebang_http_deadline_closes_total %llu\n", (unsigned long long)st.deadline_closes);
  P("# HELP jiebang_http_throttled_total Requests answered 429.\n"
    "# TYPE jiebang_http_throttled_total counter\n"
    "jiebang_http_throttled_total{reason=\"expensive_queue\"} %llu\n"
    "jiebang_http_throttled_total{reason=\"key_rate\"} %llu\n",
    (unsigned long long)s->busy_429, (unsigned long long)s->rate_429);
  P("# HELP jiebang_expensive_jobs Search and match jobs running and waiting.\n"
    "# TYPE jiebang_expensive_jobs gauge\njiebang_expensive_jobs{state=\"running\"} %u\n"
    "jiebang_expensive_jobs{state=\"queued\"} %zu\n", s->gate.running, s->gate.len);
  n += jb__hooks_metrics(s, out + n, n < cap ? cap - n : 0);
#undef P
  if (n >= cap) { /* cannot happen with the sizes above; stay safe */
    out[cap - 1] = '\0';
  }
  return out;
}

/* /healthz: "ok", or "degraded" with the reason while the indexer fails
 * (the store still takes and keeps writes; the index lags). Always 200:
 * the server still answers (docs/api.md). */
char *jb__loop_health(jb_server *s, const char **ctype) {
  (void)ctype;
  int64_t lag = s->last_seq > s->applied ? s->last_seq - s->applied : 0;
  json_t *h = json_pack("{s:s,s:I,s:I,s:I}", "status", s->sync_failing ? "degraded" : "ok",
                        "last_seq", (json_int_t)s->last_seq, "applied_seq", (json_int_t)s->applied,
                        "index_lag", (json_int_t)lag);
  if (h && s->sync_failing) {
    char why[400];
    snprintf(why, sizeof why, "the indexer fails (retrying): %s", s->sync_error);
    json_t *m = json_string(why);
    json_object_set_new(h, "reason", m ? m : json_string("the indexer fails (retrying)"));
  }
  char *out = h ? json_dumps(h, JSON_COMPACT) : NULL;
  json_decref(h);
  return out;
}

/* GET /v1/openapi.json: the document read at start-up */
char *jb__loop_openapi(jb_server *s, const char **ctype) {
  (void)ctype;
  char *b = malloc(s->openapi_len + 1);
  if (b)
    memcpy(b, s->openapi, s->openapi_len + 1);
  return b;
}

