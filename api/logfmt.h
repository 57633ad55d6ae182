/* SPDX-License-Identifier: GPL-3.0-or-later */
/* logfmt.h: JSON text the server writes from untrusted text (error bodies,
 * log lines). Pure: no I/O, no configuration; fuzzed by tests/fuzz. */
#ifndef JB_LOGFMT_H
#define JB_LOGFMT_H

#include <stddef.h>

/* Byte length (1..4) of the well-formed UTF-8 character at s[0..len), or 0
 * when s does not start one (a stray or bad byte, a cut or overlong
 * sequence, a surrogate) or len is 0. */
size_t jb_utf8_char_len(const char *s, size_t len);

/* A copy of the NUL-terminated s in which every byte that does not belong
 * to a well-formed UTF-8 character is replaced by U+FFFD, so that a
 * message cut in the middle of a character (a fixed buffer, "%.60s") or
 * holding an input's bad bytes can still be put into JSON; NULL s gives "".
 * Returns a malloc'ed string the caller frees, or NULL (out of memory). */
char *jb_utf8_repaired(const char *s);

/* The body of an HTTP error, {"error":{"code":CODE,"message":MSG}}, as
 * compact JSON (MSG repaired as by jb_utf8_repaired; NULL is ""). Returns a
 * malloc'ed string the caller frees, or NULL (out of memory). */
char *jb__error_json(const char *code, const char *msg);

/* The smallest buffer jb_log_fields accepts. */
#define JB_LOG_FIELDS_MIN 256

/* Writes the fields of one JSON log line (without the braces) into buf:
 *   "event":EVENT[,"code":CODE],"message":MSG[,"note":NOTE]
 * CODE and NOTE are left out when NULL; a NULL MSG is "". Every string is
 * escaped as JSON ('"', '\\', control characters; bytes that are not
 * well-formed UTF-8 become \ufffd), so that the line always parses. EVENT,
 * CODE and NOTE keep at most 60 bytes of escaped text each, and MSG what is
 * left of cap; a string that does not fit is cut on a character boundary and
 * ends in "…". The result is NUL-terminated and shorter than cap. Returns
 * its length, or 0 when cap < JB_LOG_FIELDS_MIN (buf is then "" when cap > 0). */
size_t jb_log_fields(char *buf, size_t cap, const char *event, const char *code, const char *msg,
                     const char *note);

#endif /* JB_LOGFMT_H */
