/* SPDX-License-Identifier: GPL-3.0-or-later */
/* service.c: readiness, the watchdog and SIGHUP for a service manager
 * (api/service.h). libsystemd lives here only. */
#include "config.h"

#include "api/service.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "api/logfmt.h"

static struct {
  int started, closed;
  uv_timer_t watchdog;
  uv_signal_t sighup;
  int have_watchdog, have_sighup;
} svc;

static void event(const char *name, const char *msg, const char *note) {
  char ts[40], f[1024];
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  struct tm tm;
  gmtime_r(&now.tv_sec, &tm);
  size_t n = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(ts + n, sizeof ts - n, ".%03ldZ", now.tv_nsec / 1000000);
  jb_log_fields(f, sizeof f, name, NULL, msg, note);
  fprintf(stderr, "{\"t\":\"%s\",%s}\n", ts, f);
}

#ifdef HAVE_SYSTEMD
static void on_watchdog(uv_timer_t *t) {
  (void)t;
  sd_notify(0, "WATCHDOG=1");
}
#endif

static void on_sighup(uv_signal_t *h, int sig) {
  (void)h;
  (void)sig;
  event("reload_unsupported", "SIGHUP: configuration and weights are read at start only",
        "restart to apply changes (docs/operations.md)");
}

int jb_service_start(uv_loop_t *loop, const char *addr) {
  char msg[300];
  snprintf(msg, sizeof msg, "http://%s", addr);
  event("listening", msg, NULL);
  if (svc.started)
    return 0;
  svc.started = 1;
  int rc = 0;
  if (uv_signal_init(loop, &svc.sighup) == 0) {
    svc.have_sighup = 1;
    uv_unref((uv_handle_t *)&svc.sighup);
    if (uv_signal_start(&svc.sighup, on_sighup, SIGHUP) != 0)
      rc = -1;
  } else {
    rc = -1;
  }
#ifdef HAVE_SYSTEMD
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec >= 2000) {
    if (uv_timer_init(loop, &svc.watchdog) == 0) {
      svc.have_watchdog = 1;
      uv_unref((uv_handle_t *)&svc.watchdog);
      uint64_t ms = usec / 2000;
      uv_timer_start(&svc.watchdog, on_watchdog, ms, ms);
      snprintf(msg, sizeof msg, "WATCHDOG=1 every %llu ms", (unsigned long long)ms);
      event("watchdog", msg, NULL);
    } else {
      rc = -1;
    }
  }
  char status[400];
  snprintf(status, sizeof status, "READY=1\nSTATUS=listening on http://%s\nMAINPID=%ld", addr,
           (long)getpid());
  sd_notify(0, status);
#endif
  if (rc != 0)
    event("service_error", "the SIGHUP handler or the watchdog timer did not start", NULL);
  return rc;
}

static void on_close(uv_handle_t *h) { (void)h; }

void jb_service_stopping(void) {
  if (!svc.started || svc.closed)
    return;
  svc.closed = 1;
#ifdef HAVE_SYSTEMD
  sd_notify(0, "STOPPING=1");
#endif
  if (svc.have_watchdog) {
    uv_timer_stop(&svc.watchdog);
    uv_close((uv_handle_t *)&svc.watchdog, on_close);
  }
  if (svc.have_sighup) {
    uv_signal_stop(&svc.sighup);
    uv_close((uv_handle_t *)&svc.sighup, on_close);
  }
}

const char *jb_service_support(void) {
#ifdef HAVE_SYSTEMD
  return "libsystemd (sd_notify readiness, watchdog)";
#else
  return "no libsystemd (sd_notify and the watchdog are off)";
#endif
}
