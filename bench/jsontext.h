/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jsontext.h: what the benchmarks reading JSON records share (bench_quality,
 * bench_latency). */
#ifndef JB_BENCH_JSONTEXT_H
#define JB_BENCH_JSONTEXT_H

#include <jansson.h>

#include "engine/jiebang.h"

/* The string values of r's `keys` (NULL-terminated list; a key may hold a
 * string or an array of strings; others are skipped), joined with newlines.
 * Returns a malloc'd string ("" when there is none) for the caller to free,
 * or NULL when out of memory. */
char *bench_join(const json_t *r, const char *const *keys);

/* The default weights, then those of the file named by $JB_WEIGHTS when it
 * is set. 0, or 1 after a message on stderr prefixed with `prog`. */
int bench_weights(jb_match_weights *w, const char *prog);

#endif
