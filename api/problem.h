/* SPDX-License-Identifier: GPL-3.0-or-later */
/* problem.h: RFC 9457 problem details — the one table of the HTTP API's
 * problem types (status, code, type URI, title in English and Chinese) and
 * the bodies built from it; the language a client asks for
 * (Accept-Language); the request id (X-Request-Id). Pure: no I/O, no
 * configuration; fuzzed by tests/fuzz/fuzz_problem.c. The engine's error
 * codes are common/jb_error.h; this is the HTTP side. */
#ifndef JB_PROBLEM_H
#define JB_PROBLEM_H

#include <stddef.h>

/* the languages messages come in */
typedef enum { JB_LANG_EN = 0, JB_LANG_ZH = 1 } jb_lang;

typedef struct {
  int status;
  const char *code;     /* "not_found": the last segment of the type URI */
  const char *title_en; /* the short, fixed summary of the type */
  const char *title_zh;
} jb_problem_type;

/* The prefix of every problem type URI: type = JB_PROBLEM_BASE + code. */
#define JB_PROBLEM_BASE "urn:jiebang:problem:"

/* The problem type of an HTTP status (4xx, 5xx); a status without a type of
 * its own gets "error" (4xx) or "internal" (5xx). Never NULL; static. */
const jb_problem_type *jb_problem_of_status(int status);

/* The number of types in the table, and the i-th (for the docs check and
 * the tests); NULL past the end. */
size_t jb_problem_count(void);
const jb_problem_type *jb_problem_at(size_t i);

/* An RFC 9457 body as compact JSON:
 *   {"type":URI,"title":T,"status":S,"detail":D,"code":C,
 *    ["errors":[{"field":F,"detail":M},...],] ["request_id":ID,]
 *    "error":{"code":C,"message":D}}
 * The title is in lang; "error" repeats code and detail for clients of the
 * earlier {"error":{...}} bodies. code NULL takes the status's; detail NULL
 * is the title. errors (may be NULL) is a JSON array text of objects with
 * a string "detail" and optional strings "field" and "code" (more members
 * are kept), taken as is when it parses as such an array and left out
 * otherwise. request_id NULL or "" is left out. Every string is
 * repaired as by jb_utf8_repaired. Returns a malloc'ed string the caller
 * frees, or NULL (out of memory). */
char *jb_problem_json(int status, const char *code, const char *detail, const char *errors,
                      const char *request_id, jb_lang lang);

/* The field path a detail starts with — names of [a-z0-9_] joined by '.',
 * each may end in [N], then ": " ("org" of "org: must be ...",
 * "members[2].org" of "members[2].org: ...") — copied into buf (cap bytes,
 * NUL-terminated): its length, or 0 (buf untouched) when the detail starts
 * with none or it does not fit. */
size_t jb_detail_field(const char *detail, char *buf, size_t cap);

/* The language of an Accept-Language header value (RFC 9110 §12.5.4): the
 * highest-q range we speak ("zh", "zh-*"; "en", "en-*"; "*" is dflt), ties
 * to the earlier; q=0 excludes; a malformed element is skipped. NULL, "" or
 * nothing we speak gives dflt. Never fails. */
jb_lang jb_lang_accept(const char *header, jb_lang dflt);

/* 1 when s (NUL-terminated) may be echoed as a request id: 1 to 128
 * visible ASCII characters (0x21-0x7e), else 0. */
int jb_request_id_ok(const char *s);

/* Writes the log field ,"request_id":"RID" into buf (cap bytes,
 * NUL-terminated), '"' and '\\' escaped (a sane id has no other character
 * JSON escapes): its length, or 0 (buf "") when rid is NULL or "" or
 * cap < 20. An id longer than the room left is cut. */
size_t jb_request_id_field(char *buf, size_t cap, const char *rid);

#endif
