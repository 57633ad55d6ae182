/* SPDX-License-Identifier: GPL-3.0-or-later */
/* webhook_send.c: the webhook delivery thread — the only file that sees
 * libcurl (docs/webhooks.md). It takes the due deliveries from the writer
 * engine (under its lock, briefly), POSTs each off the loop thread with its
 * signature, and records the outcome (retry with backoff, give up, disable:
 * engine/hooks.c). Redirects are not followed; only http and https; every
 * address curl connects to passes webhooks.allow first (the open-socket
 * callback), so a name that resolves elsewhere at delivery time — DNS
 * rebinding — is refused too. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/server_state.h"
#include "api/webhook_send.h"

#define BATCH 16

struct jb_hooks {
  jb_server *s;
  uv_thread_t th;
  uv_mutex_t mu;
  uv_cond_t cv;
  int stop, woken, started;
  uint64_t counts[JB_HOOK_OUTCOMES];
  uint64_t refused;
};

static const char *const OUTCOMES[JB_HOOK_OUTCOMES] = {"delivered", "retry", "expired", "disabled"};

/* the address guard at connect time */
typedef struct {
  const jb_cidrs *allow;
  int refused;
  char addr[INET6_ADDRSTRLEN];
} guard;

static curl_socket_t open_guarded(void *clientp, curlsocktype purpose, struct curl_sockaddr *a) {
  guard *g = clientp;
  if (purpose != CURLSOCKTYPE_IPCXN || !jb_cidrs_allow(g->allow, &a->addr)) {
    g->refused = 1;
    const void *x = a->family == AF_INET6
                        ? (const void *)&((struct sockaddr_in6 *)(void *)&a->addr)->sin6_addr
                        : (const void *)&((struct sockaddr_in *)(void *)&a->addr)->sin_addr;
    if (!inet_ntop(a->family, x, g->addr, sizeof g->addr))
      snprintf(g->addr, sizeof g->addr, "?");
    return CURL_SOCKET_BAD;
  }
  return socket(a->family, a->socktype, a->protocol);
}

/* the receiver's answer is not read beyond this */
static size_t discard(char *p, size_t size, size_t n, void *ctx) {
  (void)p;
  size_t *seen = ctx;
  *seen += size * n;
  return *seen > 65536 ? 0 : size * n;
}

/* one attempt: 1 for a 2xx, else 0 with a reason */
static int post(CURL *c, const jb_server_config *cfg, const jb_cidrs *allow,
                const jb_hook_delivery *d, char *reason, size_t rlen, int *refused) {
  *refused = 0;
  int64_t ts = (int64_t)time(NULL);
  char sig[65], h[4][200];
  size_t len = strlen(d->payload);
  if (jb_hook_sign(d->secret, ts, d->payload, len, sig) != JB_OK) {
    snprintf(reason, rlen, "the signature could not be made");
    return 0;
  }
  snprintf(h[0], sizeof h[0], "X-Jiebang-Event-Id: %s", d->event_id);
  snprintf(h[1], sizeof h[1], "X-Jiebang-Event: %s", d->type);
  snprintf(h[2], sizeof h[2], "X-Jiebang-Timestamp: %lld", (long long)ts);
  snprintf(h[3], sizeof h[3], "X-Jiebang-Signature: t=%lld,v1=%s", (long long)ts, sig);
  struct curl_slist *hl = curl_slist_append(NULL, "Content-Type: application/json");
  hl = hl ? curl_slist_append(hl, "User-Agent: jiebang-webhooks/" PACKAGE_VERSION) : NULL;
  hl = hl ? curl_slist_append(hl, "Expect:") : NULL; /* no 100-continue round trip */
  for (int i = 0; hl && i < 4; i++)
    hl = curl_slist_append(hl, h[i]);
  if (!hl) {
    snprintf(reason, rlen, "out of memory");
    return 0;
  }
  guard g = {allow, 0, ""};
  size_t seen = 0;
  char ebuf[CURL_ERROR_SIZE] = "";
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, d->url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROXY, ""); /* no proxy from the environment: it would be the target */
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)cfg->hook_timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)cfg->hook_timeout_ms);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_guarded);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &g);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, d->payload);
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &seen);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
  CURLcode res = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(hl);
  if (g.refused) {
    *refused = 1;
    snprintf(reason, rlen, "refused: %s is not an allowed webhook target (webhooks.allow)", g.addr);
    return 0;
  }
  if (res == CURLE_WRITE_ERROR && code >= 200 && code < 300)
    return 1; /* a long answer after a 2xx: delivered */
  if (res != CURLE_OK) {
    if (res == CURLE_OPERATION_TIMEDOUT)
      snprintf(reason, rlen, "no answer within %u ms (webhooks.timeout_ms)", cfg->hook_timeout_ms);
    else
      snprintf(reason, rlen, "%s", ebuf[0] ? ebuf : curl_easy_strerror(res));
    return 0;
  }
  if (code >= 200 && code < 300)
    return 1;
  snprintf(reason, rlen, "HTTP %ld%s", code,
           code >= 300 && code < 400 ? " (a redirect: webhooks do not follow redirects)" : "");
  return 0;
}

static int64_t now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void run(void *arg) {
  jb_hooks *h = arg;
  jb_server *s = h->s;
  const jb_server_config *cfg = jb__srv_config(s);
  jb_hook_policy pol = {cfg->hook_backoff_ms, (int64_t)cfg->hook_backoff_max_s * 1000,
                        cfg->hook_retry_s, cfg->hook_disable_s};
  CURL *c = curl_easy_init();
  if (!c) {
    jb__log_message("webhook_failed", "libcurl could not start: no webhook is delivered", NULL);
    return;
  }
  for (;;) {
    uv_mutex_lock(&h->mu);
    int stop = h->stop;
    h->woken = 0;
    uv_mutex_unlock(&h->mu);
    if (stop)
      break;
    jb_hook_delivery *v = NULL;
    size_t n = 0;
    int64_t next = 0;
    jb_engine *w = jb__srv_writer_lock(s);
    int rc = jb_engine_hooks_due(w, now_ms(), BATCH, &v, &n, &next);
    if (rc != JB_OK)
      jb__log_message("webhook_failed", jb_engine_error(w), "retried in a second");
    jb__srv_writer_unlock(s);
    for (size_t i = 0; i < n; i++) {
      uv_mutex_lock(&h->mu);
      stop = h->stop;
      uv_mutex_unlock(&h->mu);
      if (stop)
        break; /* the rest stay due: the next start delivers them */
      char reason[400] = "";
      int refused, ok = post(c, cfg, &s->hook_allow, &v[i], reason, sizeof reason, &refused);
      int outcome = JB_HOOK_DELIVERED;
      w = jb__srv_writer_lock(s);
      rc = jb_engine_hook_result(w, &v[i], ok, reason, &pol, now_ms(), &outcome);
      if (rc != JB_OK)
        jb__log_message("webhook_failed", jb_engine_error(w), "the attempt is made again");
      jb__srv_writer_unlock(s);
      uv_mutex_lock(&h->mu);
      if (rc == JB_OK)
        h->counts[outcome]++;
      h->refused += (uint64_t)refused;
      uv_mutex_unlock(&h->mu);
      if (rc == JB_OK && outcome != JB_HOOK_DELIVERED) {
        char note[160];
        snprintf(note, sizeof note, "webhook %s, event %s: %s", v[i].hook, v[i].event_id,
                 OUTCOMES[outcome]);
        jb__log_message("webhook_failed", reason, note);
      }
    }
    jb_hook_deliveries_free(v, n);
    if (n == BATCH && rc == JB_OK)
      continue; /* more may be due */
    int64_t wait = 5000, t = now_ms();
    if (rc != JB_OK)
      wait = 1000;
    else if (next > 0)
      wait = next > t ? next - t : 0;
    if (wait > 5000)
      wait = 5000; /* a look now and then, whatever woke or not */
    if (wait == 0)
      continue;
    uv_mutex_lock(&h->mu);
    if (!h->stop && !h->woken)
      uv_cond_timedwait(&h->cv, &h->mu, (uint64_t)wait * 1000000u);
    uv_mutex_unlock(&h->mu);
  }
  curl_easy_cleanup(c);
}

jb_hooks *jb__hooks_start(jb_server *s, char *err, size_t errlen) {
  jb_hooks *h = calloc(1, sizeof *h);
  if (!h) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  h->s = s;
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    snprintf(err, errlen, "libcurl could not be initialised");
    free(h);
    return NULL;
  }
  uv_mutex_init(&h->mu);
  uv_cond_init(&h->cv);
  if (uv_thread_create(&h->th, run, h) != 0) {
    snprintf(err, errlen, "the webhook delivery thread did not start");
    uv_cond_destroy(&h->cv);
    uv_mutex_destroy(&h->mu);
    curl_global_cleanup();
    free(h);
    return NULL;
  }
  h->started = 1;
  return h;
}

void jb__hooks_wake(jb_server *s) {
  jb_hooks *h = s ? s->hooks : NULL;
  if (!h)
    return;
  uv_mutex_lock(&h->mu);
  h->woken = 1;
  uv_cond_signal(&h->cv);
  uv_mutex_unlock(&h->mu);
}

void jb__hooks_stop(jb_hooks *h) {
  if (!h)
    return;
  uv_mutex_lock(&h->mu);
  h->stop = 1;
  uv_cond_signal(&h->cv);
  uv_mutex_unlock(&h->mu);
  uv_thread_join(&h->th);
  uv_cond_destroy(&h->cv);
  uv_mutex_destroy(&h->mu);
  curl_global_cleanup();
  free(h);
}

size_t jb__hooks_metrics(jb_server *s, char *out, size_t cap) {
  jb_hooks *h = s->hooks;
  uint64_t counts[JB_HOOK_OUTCOMES] = {0}, refused = 0;
  if (h) {
    uv_mutex_lock(&h->mu);
    memcpy(counts, h->counts, sizeof counts);
    refused = h->refused;
    uv_mutex_unlock(&h->mu);
  }
  size_t n = 0;
#define P(...) n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, __VA_ARGS__)
  P("# HELP jiebang_webhook_attempts_total Webhook delivery attempts by outcome (delivered; "
    "retry: failed, tried again; expired: failed, retries over; disabled: failed, the "
    "subscription disabled).\n# TYPE jiebang_webhook_attempts_total counter\n");
  for (int i = 0; i < JB_HOOK_OUTCOMES; i++)
    P("jiebang_webhook_attempts_total{outcome=\"%s\"} %llu\n", OUTCOMES[i],
      (unsigned long long)counts[i]);
  P("# HELP jiebang_webhook_refused_total Attempts refused because the target's address is not "
    "allowed (webhooks.allow).\n# TYPE jiebang_webhook_refused_total counter\n"
    "jiebang_webhook_refused_total %llu\n",
    (unsigned long long)refused);
#undef P
  return n;
}
