/* metrics.c: the loop routes' answers — /metrics (the request counts and
 * latencies kept by jb__count), /healthz, /v1/openapi.json. Loop thread. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api/server_state.h"
#include "api/handlers.h"
#include "api/routes_table.h"

static const double BUCKETS_MS[NBUCKETS - 1] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000};

void jb__count(jb_server *s, const req *r, double ms) {
  /* one series per label: the routes of one path share it, typed by the
   * record type of the path (7: none); -1 (unmatched) is its own */
  int series = jb__route_series(r->call.route), type = r->call.type;
  int key = series < 0 ? -1 : series * 8 + (type >= 0 && type < 4 ? type : 7);
  size_t i = 0;
  while (i < s->ncounts && !(s->counts[i].route == key && s->counts[i].status == r->status))
    i++;
  if (i == s->ncounts && s->ncounts < sizeof s->counts / sizeof *s->counts) {
    s->counts[i].route = key;
    s->counts[i].status = r->status;
    s->counts[i].n = 0;
    s->ncounts++;
  }
  if (i < s->ncounts)
    s->counts[i].n++;
  int b = 0;
  while (b < NBUCKETS - 1 && ms > BUCKETS_MS[b])
    b++;
  s->hist[b]++;
  s->nreq++;
  s->sum_ms += ms;
}

/* GET /metrics */
char *jb__loop_metrics(jb_server *s, const char **ctype) {
  *ctype = "text/plain; version=0.0.4";
  size_t cap = 8192 + s->ncounts * 160, n = 0;
  char *out = malloc(cap);
  if (!out)
    return NULL;
#define P(...) n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, __VA_ARGS__)
  P("# HELP jiebang_http_requests_total HTTP requests by route and status.\n"
    "# TYPE jiebang_http_requests_total counter\n");
  for (size_t i = 0; i < s->ncounts; i++) {
    int key = s->counts[i].route;
    char label[128];
    P("jiebang_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
      jb__route_label(key < 0 ? -1 : key / 8, key < 0 || key % 8 == 7 ? -1 : key % 8, label,
                      sizeof label),
      s->counts[i].status,
      (unsigned long long)s->counts[i].n);
  }
  P("# HELP jiebang_http_request_duration_seconds Time from a request's first byte to its "
    "answer.\n# TYPE jiebang_http_request_duration_seconds histogram\n");
  uint64_t cum = 0;
  for (int b = 0; b < NBUCKETS; b++) {
    cum += s->hist[b];
    if (b < NBUCKETS - 1)
      P("jiebang_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", BUCKETS_MS[b] / 1000,
        (unsigned long long)cum);
    else
      P("jiebang_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
        (unsigned long long)cum);
  }
  P("jiebang_http_request_duration_seconds_sum %.6f\n", s->sum_ms / 1000);
  P("jiebang_http_request_duration_seconds_count %llu\n", (unsigned long long)s->nreq);
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

