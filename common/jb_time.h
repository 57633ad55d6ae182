/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jb_time.h: the one conversion between the store's times (Unix seconds,
 * UTC) and what every answer shows: RFC 3339 in UTC with a "Z" and whole
 * seconds, "2026-12-02T01:23:45Z". The engine keeps and hashes seconds;
 * anything that shows a time to a person or a client converts here. */
#ifndef JB_TIME_H
#define JB_TIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JB_RFC3339_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" and the NUL */

/* Writes t (seconds since 1970-01-01T00:00:00Z; years 0000-9999) to out as
 * "YYYY-MM-DDTHH:MM:SSZ". Returns out; a time outside those years writes ""
 * and returns out (never NULL, never more than JB_RFC3339_LEN bytes). */
char *jb_time_rfc3339(int64_t t, char out[JB_RFC3339_LEN]);

/* Reads a time written by jb_time_rfc3339 (exactly that form: UTC, "Z",
 * whole seconds) into *t. Returns 0 (JB_OK) or JB_ESYNTAX (anything else,
 * *t unchanged). s may be NULL (JB_ESYNTAX). */
int jb_time_parse(const char *s, int64_t *t);

#ifdef __cplusplus
}
#endif
#endif
