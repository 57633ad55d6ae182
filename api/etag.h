/* SPDX-License-Identifier: GPL-3.0-or-later */
/* etag.h: the conditional request header fields of RFC 9110 section 13
 * (If-Match, If-None-Match) against an entity tag. No HTTP library here:
 * fuzzed on its own (tests/fuzz/fuzz_etag.c). */
#ifndef JB_ETAG_H
#define JB_ETAG_H

/* Evaluates a field value of If-Match (strong = 1: strong comparison,
 * RFC 9110 13.1.1) or If-None-Match (strong = 0: weak comparison, 13.1.2)
 * against the current representation's entity tag `etag` (a quoted strong
 * tag such as "\"ab12\"", or NULL when there is no current representation).
 *   hdr  "*" or a comma-separated list of entity tags (W/"x" or "x"), OWS
 *        around the commas; NUL-terminated, not modified
 * Returns 1 when the field matches ("*" matches any current
 * representation; a weak tag W/"x" never matches under strong comparison),
 * 0 when it does not, -1 when the field value is not of that grammar
 * (the caller answers 400). Pure; any thread. */
int jb_etag_match(const char *hdr, const char *etag, int strong);

#endif
