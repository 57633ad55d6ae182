/* SPDX-License-Identifier: GPL-3.0-or-later */
/* record.h: the JSON shape of jiebang's records (org, expert, output,
 * challenge) and its validation — shared by import, export and the HTTP API.
 * The full field list is in docs/records.md. */
#ifndef JB_RECORD_H
#define JB_RECORD_H

#include <stddef.h>

#include <jansson.h>

#include "common/jb_error.h"
#include "engine/emsg.h"
#include "engine/jiebang.h" /* jb_rec_type */

/* "org", "expert", "output", "challenge"; NULL for an invalid value. */
const char *jb_rec_type_name(int t);
/* The type of a name, or -1. */
int jb_rec_type_of(const char *name);

/* The id rule, in one place: import, HTTP bodies and the router call
 * jb_rec_check_id (docs/records.md).
 *
 * JB_ID_NEW, for every id given to a record from now on: 1..JB_ID_MAX_BYTES
 * bytes of valid UTF-8, no '/' or '\\', no control character, no Unicode
 * White_Space and no character of category Cf, Zs, Zl or Zp (jb_is_invisible:
 * U+00A0, U+3000, U+200B, U+FEFF, ...), and not "." or "..". Every such id can
 * be written percent-encoded as one path segment of every route.
 *
 * JB_ID_STORED, what the earlier rule let into a store (1..128 characters:
 * up to JB_ID_STORED_MAX_BYTES bytes, valid UTF-8, no '/', no control
 * character): for addressing records that already exist (get, delete), never
 * for creating one. */
enum { JB_ID_NEW = 0, JB_ID_STORED = 1 };
#define JB_ID_MAX_BYTES 128
#define JB_ID_STORED_MAX_BYTES 512

/* Checks s[0..len) against `rule`. JB_OK, or JB_EINVAL with "id: reason" in
 * err (may be NULL; at most errlen bytes, NUL-terminated). */
int jb_rec_check_id(const char *s, size_t len, int rule, char *err, size_t errlen);

/* A reference from a record to another record, to be checked by the store. */
typedef struct {
  int type;          /* jb_rec_type of the target */
  const char *id;    /* points into the record's JSON, valid while it lives */
  char field[64];    /* where it was found: "org", "experts[2]" */
} jb_rec_ref;

#define JB_REC_MAX_REFS 64

/* Validates a parsed record. On JB_OK, *type is its type and refs[0..*nrefs)
 * the references it makes (the caller checks they exist). On JB_EINVAL `err`
 * holds "field: reason" (e.g. "trl: must be an integer from 1 to 9"). The
 * record is not modified. */
int jb_rec_validate(const json_t *rec, int *type, jb_rec_ref *refs, size_t *nrefs, char *err,
                    size_t errlen);
/* As jb_rec_validate, and on JB_EINVAL *msg (may be NULL) holds the
 * catalogue message (engine/emsg.h) with its field path, to render in any
 * language. */
int jb_rec_validate_m(const json_t *rec, int *type, jb_rec_ref *refs, size_t *nrefs, char *err,
                      size_t errlen, jb_emsg *msg);

/* Parses one JSON text (strict: duplicate keys, invalid UTF-8, NUL escapes,
 * nesting deeper than 32 and numbers that do not fit are errors) into *out
 * (caller json_decref's). JB_OK or JB_ESYNTAX with the message in err. */
int jb_rec_parse(const char *text, size_t len, json_t **out, char *err, size_t errlen);
/* As jb_rec_parse, with the catalogue message in *msg (may be NULL) on
 * JB_ESYNTAX (json_too_deep, invalid_json). */
int jb_rec_parse_m(const char *text, size_t len, json_t **out, char *err, size_t errlen,
                   jb_emsg *msg);

/* As jb_rec_parse, for a stored record's text (which jb_rec_parse accepted
 * when it was written), without its top-level members named in drop (a
 * NULL-terminated list, may be NULL): the long texts a reader does not need
 * are skipped instead of parsed. *out holds every member of the text that is
 * not in drop, as jb_rec_parse gives it; a member in drop whose key the text
 * writes with escapes may be kept. Text that jb_rec_parse refuses may parse
 * when its fault lies inside a dropped member. Returns JB_OK with *out (the
 * caller json_decref's) or JB_ESYNTAX (*out NULL). Thread-safe; reads len
 * bytes of text. */
int jb_rec_parse_brief(const char *text, size_t len, const char *const *drop, json_t **out);

/* The canonical text of a record: compact, keys sorted, UTF-8 kept, an
 * indicator's empty unit left out (a dimensionless indicator is stored
 * without one). malloc'd; NULL when out of memory. */
char *jb_rec_canonical(const json_t *rec);

/* The title of a record: "title", or "name" for orgs and experts (borrowed,
 * "" when absent). */
const char *jb_rec_title(const json_t *rec);

/* The strong entity tag (RFC 9110 8.8.3) of a stored text (a record's
 * canonical JSON): '"' + the first 32 hex digits of its SHA-256 + '"',
 * NUL-terminated in out. Equal texts give equal tags; any change of the
 * stored text changes it. Pure; len bytes of text are read. */
#define JB_REC_ETAG_SIZE 35
void jb_rec_etag(const char *text, size_t len, char out[JB_REC_ETAG_SIZE]);

#endif
