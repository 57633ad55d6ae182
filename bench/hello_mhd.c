/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hello_mhd.c: the peer of the HTTP benchmark — a bare libmicrohttpd server
 * in the mode jiebang uses (external epoll, driven by a libuv loop), answering
 * every request with a fixed small JSON body from the loop thread.
 *
 *   bench/hello_mhd PORT [--first-call]
 *
 * By default it answers on the access handler's second call, as jiebang
 * does, and keeps connections alive. --first-call answers on the first call
 * like libmicrohttpd's tutorial hello-world; libmicrohttpd 0.9.75 then closes
 * the connection after each answer (a new TCP connection per request). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>
#include <uv.h>

static struct MHD_Daemon *d;
static uv_timer_t timer;
static int first_call;
static const char BODY[] = "{\"status\":\"ok\",\"last_seq\":0,\"applied_seq\":0}";

static void run(void);
static void on_timer(uv_timer_t *t) { (void)t; run(); }
static void on_poll(uv_poll_t *p, int st, int ev) { (void)p; (void)st; (void)ev; run(); }

static void run(void) {
  MHD_run(d);
  MHD_UNSIGNED_LONG_LONG to;
  if (MHD_get_timeout(d, &to) == MHD_YES)
    uv_timer_start(&timer, on_timer, to, 0);
  else
    uv_timer_stop(&timer);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *up,
                                  size_t *upsize, void **con_cls) {
  (void)cls; (void)url; (void)method; (void)version; (void)up;
  static int marker;
  if (!*con_cls && !first_call) { /* headers only (answering now closes the connection) */
    *con_cls = &marker;
    return MHD_YES;
  }
  if (*upsize) {
    *upsize = 0;
    return MHD_YES;
  }
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(BODY), (void *)BODY, MHD_RESPMEM_PERSISTENT);
  MHD_add_response_header(r, "Content-Type", "application/json");
  enum MHD_Result ret = MHD_queue_response(c, 200, r);
  MHD_destroy_response(r);
  return ret;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--first-call"))) {
    fprintf(stderr, "usage: hello_mhd PORT [--first-call]\n");
    return 2;
  }
  first_call = argc == 3;
  d = MHD_start_daemon(MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME, (uint16_t)atoi(argv[1]), NULL,
                       NULL, on_request, NULL, MHD_OPTION_CONNECTION_LIMIT, 1000u,
                       MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "hello_mhd: cannot start on port %s\n", argv[1]);
    return 1;
  }
  uv_loop_t *loop = uv_default_loop();
  uv_poll_t poll;
  uv_poll_init(loop, &poll, MHD_get_daemon_info(d, MHD_DAEMON_INFO_EPOLL_FD)->epoll_fd);
  uv_poll_start(&poll, UV_READABLE, on_poll);
  uv_timer_init(loop, &timer);
  printf("hello_mhd: listening on %s\n", argv[1]);
  fflush(stdout);
  run();
  return uv_run(loop, UV_RUN_DEFAULT);
}
