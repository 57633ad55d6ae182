/* SPDX-License-Identifier: GPL-3.0-or-later */
/* service.h: jiebang serve under a service manager (systemd): readiness,
 * the watchdog, and SIGHUP. Built with libsystemd when configure finds it
 * (HAVE_SYSTEMD); without it every call is a no-op apart from logging, and
 * jb_service_support says so. Outside systemd (no NOTIFY_SOCKET, no
 * WATCHDOG_USEC) the calls do nothing either. The loop thread only. */
#ifndef JB_SERVICE_H
#define JB_SERVICE_H

#include <uv.h>

/* Called once the port listens and the workers are warm: logs the
 * {"event":"listening","addr":"http://ADDR"} line on stderr, sends
 * READY=1 (with MAINPID and a STATUS naming ADDR), starts a timer on `loop`
 * that sends WATCHDOG=1 at half of WatchdogSec (so a stalled loop is killed
 * and restarted by systemd), and handles SIGHUP (logged as
 * "reload_unsupported": the process keeps running, docs/operations.md says
 * what needs a restart). The handles do not keep the loop alive. Returns 0,
 * or -1 when a handle could not be started (logged; serving goes on). */
int jb_service_start(uv_loop_t *loop, const char *addr);

/* Called when the server begins to stop: sends STOPPING=1 and closes the
 * handles jb_service_start made (so that the loop can close). Safe to call
 * when jb_service_start was not called, and more than once. */
void jb_service_stopping(void);

/* A phrase for `jiebang --version`: "libsystemd 252" or "no libsystemd
 * (sd_notify and the watchdog are off)". Static. */
const char *jb_service_support(void);

#endif
