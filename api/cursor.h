/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cursor.h: the opaque cursors of every list of the HTTP API (docs/api.md,
 * "Pagination"): base64url (RFC 4648 section 5, no padding) of a version, the
 * list's kind, the position (the last row's sort key, or an offset) and a
 * check of both, so that an edited cursor is a 400 rather than a silent jump.
 * No HTTP library here: fuzzed on its own (tests/fuzz/fuzz_cursor.c). */
#ifndef JB_CURSOR_H
#define JB_CURSOR_H

#include <stddef.h>

/* The longest position a cursor carries (a stored id reaches 512 bytes). */
#define JB_CURSOR_POS_MAX 600
/* Room for any cursor jb_cursor_encode writes, with its NUL. */
#define JB_CURSOR_MAX 840

/* Writes the cursor of position pos (NUL-terminated, at most
 * JB_CURSOR_POS_MAX bytes) in the list of `kind` (a letter) into out (cap
 * bytes, NUL-terminated). Returns 0, or -1 (pos too long, cap too small:
 * out is then ""). Pure. */
int jb_cursor_encode(char kind, const char *pos, char *out, size_t cap);

/* Reads cursor cur (NUL-terminated) of the list of `kind`: 0 with the
 * position in out (cap bytes, NUL-terminated), or -1 when cur is not such a
 * cursor (not base64url, another version or list, a failed check, a
 * position with a NUL or too long for cap): out is then "". Pure. */
int jb_cursor_decode(const char *cur, char kind, char *out, size_t cap);

/* A malloc'd copy of obj — the text of a JSON object: '{', its members, '}'
 * as the last byte (NUL-terminated) — with the member "next_cursor" added
 * last: the cursor of position pos in the list of `kind` as a string, or
 * null when pos is NULL. A cursor is base64url, which JSON needs no escape
 * for, so the text is spliced, not parsed again (an answer the engine wrote
 * as JSON goes on as it is). NULL when obj is not so framed, pos does not
 * encode (too long) or out of memory; obj is never changed. Pure. */
char *jb_cursor_json_with_next(const char *obj, char kind, const char *pos);

#endif
