/* SPDX-License-Identifier: GPL-3.0-or-later */
/* qs.h: the strict query-string parser of the HTTP API (no HTTP library
 * here: it is fuzzed on its own, tests/fuzz/fuzz_qs.c). */
#ifndef JB_QS_H
#define JB_QS_H

#include <stddef.h>

#define JB_QS_MAX_PAIRS 32

typedef struct {
  const char *key; /* NUL-terminated, points into the jb_qs */
  const char *val; /* decoded, NUL-terminated, valid UTF-8 */
} jb_qs_pair;

typedef struct {
  jb_qs_pair v[JB_QS_MAX_PAIRS];
  size_t n;
  char *buf; /* owns the decoded text */
} jb_qs;

/* Parses the part of a URL after '?' (s may be NULL or empty: no pairs).
 * Strict: keys are 1-32 characters of [a-z0-9_]; each key at most once;
 * `%XY` needs two hex digits; '+' is a space; values must decode to UTF-8
 * without control characters; at most JB_QS_MAX_PAIRS pairs. Returns JB_OK,
 * or JB_ESYNTAX with "name: reason" in err, or JB_ENOMEM; on error *q holds
 * nothing to free. On JB_OK the caller frees with jb_qs_free. */
int jb_qs_parse(const char *s, size_t len, jb_qs *q, char *err, size_t errlen);

/* The value of key, or NULL; valid until jb_qs_free. */
const char *jb_qs_get(const jb_qs *q, const char *key);

/* Frees what the parser kept; NULL and a zeroed jb_qs are accepted. */
void jb_qs_free(jb_qs *q);

#endif
