/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config.c: the server's configuration — its defaults and the config file
 * (docs/api.md). */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include <errno.h>
#include <stddef.h>
#include <unistd.h>

#include "api/netguard.h"
#include "api/server.h"
#include "engine/jiebang.h"

/* ---- configuration ------------------------------------------------------------------ */

void jb_server_config_init(jb_server_config *c) {
  memset(c, 0, sizeof *c);
  snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
  snprintf(c->data, sizeof c->data, "var");
  c->body_max = 1 << 20;
  c->url_max = 4096;
  c->header_max = 8192; /* as nginx and Apache allow per line */
  c->conn_max = 1000;
  c->conn_per_ip = 0;
  c->conn_reserve = 0;
  c->idle_timeout = 60;
  c->request_timeout = 10; /* as nginx's client_header_timeout would be, tightened */
  c->expensive_workers = 0;
  c->expensive_queue = 16;
  c->key_rate = 0;
  c->key_burst = 0;
  c->query_max = 256;
  c->terms_max = 32;
  c->page_max = 100;
  c->wait_max_ms = 5000;
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  c->workers = n > 2 ? (unsigned)n : 2; /* more threads than cores only add switches */
  c->log = 1;
  c->max_members = 4;
  c->max_winners = 1;
  c->first_share = 0.6;
  c->dup_threshold = 0.6;
  snprintf(c->criteria, sizeof c->criteria, "technical:40, team:30, plan:20, budget:10");
  c->hook_timeout_ms = 10000;
  c->hook_backoff_ms = 1000;
  c->hook_backoff_max_s = 3600;
  c->hook_retry_s = 86400;
  c->hook_disable_s = 3 * 86400;
  snprintf(c->hook_allow, sizeof c->hook_allow, "%s", JB_NETGUARD_DEFAULT);
}

int jb_server_config_load(jb_server_config *c, const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return JB_EIO;
  }
  static const struct {
    const char *key;
    size_t off;
    int is_size; /* size_t, else unsigned */
    unsigned long long min, max;
  } nums[] = {
      {"limits.body_bytes", offsetof(jb_server_config, body_max), 1, 1024, 1ull << 30},
      {"limits.url_bytes", offsetof(jb_server_config, url_max), 1, 256, 65536},
      {"limits.header_bytes", offsetof(jb_server_config, header_max), 1, 1024, 65536},
      {"limits.connections", offsetof(jb_server_config, conn_max), 0, 1, 100000},
      {"limits.connections_per_ip", offsetof(jb_server_config, conn_per_ip), 0, 0, 100000},
      {"limits.connections_reserve", offsetof(jb_server_config, conn_reserve), 0, 0, 100000},
      {"limits.idle_seconds", offsetof(jb_server_config, idle_timeout), 0, 1, 86400},
      {"limits.request_seconds", offsetof(jb_server_config, request_timeout), 0, 1, 3600},
      {"limits.expensive_workers", offsetof(jb_server_config, expensive_workers), 0, 0, 128},
      {"limits.expensive_queue", offsetof(jb_server_config, expensive_queue), 0, 0, 100000},
      {"limits.key_requests_per_minute", offsetof(jb_server_config, key_rate), 0, 0, 6000000},
      {"limits.key_burst", offsetof(jb_server_config, key_burst), 0, 0, 1000000},
      {"limits.query_chars", offsetof(jb_server_config, query_max), 1, 1, 100000},
      {"limits.query_terms", offsetof(jb_server_config, terms_max), 1, 1, 1000},
      {"limits.page_size", offsetof(jb_server_config, page_max), 1, 1, 1000},
      {"limits.min_seq_wait_ms", offsetof(jb_server_config, wait_max_ms), 0, 0, 600000},
      {"workers", offsetof(jb_server_config, workers), 0, 1, 128},
      {"log", offsetof(jb_server_config, log), 2, 0, 1},
      {"lifecycle.max_members", offsetof(jb_server_config, max_members), 0, 0, 50},
      {"lifecycle.max_winners", offsetof(jb_server_config, max_winners), 0, 1, 20},
      {"webhooks.timeout_ms", offsetof(jb_server_config, hook_timeout_ms), 0, 100, 120000},
      {"webhooks.backoff_ms", offsetof(jb_server_config, hook_backoff_ms), 0, 10, 3600000},
      {"webhooks.backoff_max_seconds", offsetof(jb_server_config, hook_backoff_max_s), 0, 1, 86400},
      {"webhooks.retry_seconds", offsetof(jb_server_config, hook_retry_s), 0, 0, 30 * 86400},
      {"webhooks.disable_after_seconds", offsetof(jb_server_config, hook_disable_s), 0, 1,
       365 * 86400},
  };
  char line[8192];
  int lineno = 0, rc = JB_OK;
  while (rc == JB_OK && fgets(line, sizeof line, f)) {
    lineno++;
    char *p = line, *eq, *v, *end;
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p == '#' || *p == '\n' || *p == '\0')
      continue;
    p[strcspn(p, "\r\n")] = '\0';
    if (!(eq = strchr(p, '='))) {
      snprintf(err, errlen, "%s:%d: expected 'key = value'", path, lineno);
      rc = JB_ESYNTAX;
      break;
    }
    char *k = p, *ke = eq;
    while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
      ke--;
    *ke = '\0';
    v = eq + 1;
    while (*v == ' ' || *v == '\t')
      v++;
    for (end = v + strlen(v); end > v && (end[-1] == ' ' || end[-1] == '\t'); end--)
      end[-1] = '\0';
    if (!strcmp(k, "lifecycle.first_tranche_share") || !strcmp(k, "lifecycle.duplicate_threshold")) {
      double x = strtod(v, &end);
      if (end == v || *end || !(x >= 0 && x <= 1)) {
        snprintf(err, errlen, "%s:%d: %s must be a number from 0 to 1", path, lineno, k);
        rc = JB_ESYNTAX;
        break;
      }
      if (!strcmp(k, "lifecycle.first_tranche_share"))
        c->first_share = x;
      else
        c->dup_threshold = x;
      continue;
    }
    if (!strcmp(k, "lang")) {
      if (strcmp(v, "en") && strcmp(v, "zh")) {
        snprintf(err, errlen, "%s:%d: lang must be en or zh", path, lineno);
        rc = JB_ESYNTAX;
        break;
      }
      c->lang = !strcmp(v, "zh");
      continue;
    }
    if (!strcmp(k, "webhooks.allow")) {
      jb_cidrs l;
      char cerr[200];
      if (strlen(v) >= sizeof c->hook_allow || jb_cidrs_parse(&l, v, cerr, sizeof cerr) != JB_OK) {
        snprintf(err, errlen, "%s:%d: webhooks.allow: %s", path, lineno,
                 strlen(v) >= sizeof c->hook_allow ? "too long" : cerr);
        rc = JB_ESYNTAX;
        break;
      }
      memcpy(c->hook_allow, v, strlen(v) + 1);
      continue;
    }
    if (!strcmp(k, "lifecycle.criteria")) {
      jb_criteria cr;
      char cerr[200];
      if (strlen(v) >= sizeof c->criteria || jb_criteria_parse(&cr, v, cerr, sizeof cerr) != JB_OK) {
        snprintf(err, errlen, "%s:%d: %s", path, lineno,
                 strlen(v) >= sizeof c->criteria ? "lifecycle.criteria: too long" : cerr);
        rc = JB_ESYNTAX;
        break;
      }
      memcpy(c->criteria, v, strlen(v) + 1);
      continue;
    }
    if (!strcmp(k, "listen") || !strcmp(k, "data") || !strcmp(k, "match.weights")) {
      char *dst = !strcmp(k, "listen") ? c->listen : !strcmp(k, "data") ? c->data : c->weights;
      size_t cap = !strcmp(k, "listen") ? sizeof c->listen : sizeof c->data;
      if (!*v || strlen(v) >= cap) {
        snprintf(err, errlen, "%s:%d: %s: empty or too long", path, lineno, k);
        rc = JB_ESYNTAX;
      } else {
        memcpy(dst, v, strlen(v) + 1);
      }
      continue;
    }
    size_t i = 0;
    while (i < sizeof nums / sizeof *nums && strcmp(nums[i].key, k))
      i++;
    if (i == sizeof nums / sizeof *nums) {
      snprintf(err, errlen, "%s:%d: unknown key '%s'", path, lineno, k);
      rc = JB_ESYNTAX;
      break;
    }
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (!*v || *end || errno || *v == '-' || n < nums[i].min || n > nums[i].max) {
      snprintf(err, errlen, "%s:%d: %s must be a whole number from %llu to %llu", path, lineno,
               k, nums[i].min, nums[i].max);
      rc = JB_ESYNTAX;
      break;
    }
    char *base = (char *)c + nums[i].off;
    if (nums[i].is_size == 1)
      *(size_t *)(void *)base = (size_t)n;
    else if (nums[i].is_size == 0)
      *(unsigned *)(void *)base = (unsigned)n;
    else
      *(int *)(void *)base = (int)n;
  }
  fclose(f);
  return rc;
}
