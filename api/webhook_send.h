/* SPDX-License-Identifier: GPL-3.0-or-later */
/* webhook_send.h: the webhook delivery thread of `jiebang serve`
 * (api/webhook_send.c, the only file with libcurl; docs/webhooks.md).
 * Internal to api/. */
#ifndef JB_WEBHOOK_SEND_H
#define JB_WEBHOOK_SEND_H

#include <stddef.h>

typedef struct jb_server jb_server;
typedef struct jb_hooks jb_hooks;

/* the outcomes counted in /metrics: JB_HOOK_DELIVERED .. JB_HOOK_DISABLED */
#define JB_HOOK_OUTCOMES 4

/* Starts the thread (after the writer engine is open; libcurl's global
 * initialisation happens here, before any other thread uses it): a new
 * handle, or NULL with a sentence in err. It delivers what is due at once
 * (deliveries left by an earlier run included), then whenever woken or a
 * retry comes due. */
jb_hooks *jb__hooks_start(jb_server *s, char *err, size_t errlen);

/* Tells the thread that events may have been written (any thread; a
 * server without the thread: nothing). */
void jb__hooks_wake(jb_server *s);

/* Stops the thread after the attempt in flight (bounded by
 * webhooks.timeout_ms) and frees h (NULL is fine). What was not delivered
 * stays due in the store. */
void jb__hooks_stop(jb_hooks *h);

/* The /metrics lines of the webhooks (counters by outcome, refusals) into
 * out (cap bytes, snprintf's rules): the length they need. Loop thread. */
size_t jb__hooks_metrics(jb_server *s, char *out, size_t cap);

#endif
