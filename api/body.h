/* SPDX-License-Identifier: GPL-3.0-or-later */
/* body.h: request bodies of record writes (no HTTP library here: fuzzed on
 * its own, tests/fuzz/fuzz_body.c). */
#ifndef JB_BODY_H
#define JB_BODY_H

#include <stddef.h>

#include <jansson.h>

#include "engine/emsg.h"

/* Turns the body of a write on /v1/{type}s[/{id}] into the record to store.
 *   body, len   the request body (need not be NUL-terminated)
 *   type        the record type of the path ("org", ...)
 *   id          the id of the path, NULL for POST (the body names it)
 *   base        PATCH: the stored record the body is merged into (RFC 7386
 *               JSON merge patch: null removes a field); NULL otherwise
 * Strict JSON (jb_rec_parse: duplicate keys, invalid UTF-8, deep nesting,
 * numbers out of range are errors); the body must be an object; "type" and
 * "id" may be left out but must agree with the path when given (they are
 * read-only: a PATCH cannot change them). On JB_OK *out is the record (a new
 * reference) with type and id set; it is not validated here (the engine
 * does that). Otherwise JB_ESYNTAX (not JSON) or JB_EINVAL with
 * "field: reason" in err, and *out is NULL. */
int jb_api_body(const char *body, size_t len, const char *type, const char *id,
                const json_t *base, json_t **out, char *err, size_t errlen);
/* As jb_api_body, with the refusal's catalogue message (engine/emsg.h) in
 * *msg (may be NULL) to render in the request's language. */
int jb_api_body_m(const char *body, size_t len, const char *type, const char *id,
                  const json_t *base, json_t **out, char *err, size_t errlen, jb_emsg *msg);

#endif
