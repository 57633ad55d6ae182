/* SPDX-License-Identifier: GPL-3.0-or-later */
/* emsg.h: THE catalogue of the engine's messages — every sentence the
 * engine (record validation, lint, lifecycle, applications, review,
 * milestones, keys, saved searches, the store's refusals) can send to a
 * client, by id, in English and Chinese, and a message captured with its
 * arguments so that the HTTP API renders it in the request's language.
 *
 * A message is two printf formats, EM_EN_<id> and EM_ZH_<id>, and its
 * argument kinds; JB_EMSGS(X) lists X(id, KINDS). The id is the message's
 * stable machine-readable code (it is what clients see as "code"). KINDS
 * has one letter per argument: s (a string), i (a signed integer), u (an
 * unsigned integer), f (a double). The English format takes its arguments in
 * order (%s, %zu, %ld, ...); the Chinese one may reorder them with operand
 * numbers (%2$s) and must use each argument with the same kind
 * (tests/unit/check_emsg.c walks the catalogue). Uses go through
 * JB_EMSG_CHECK, which checks the arguments against BOTH formats at compile
 * time. The field path a message is about ("deadline", "members[2]") is
 * not in the formats: it travels beside the message.
 *
 * Pure: no I/O, no configuration. Rendering is fuzzed by
 * tests/fuzz/fuzz_emsg.c. Catalogue: engine/emsg_table.h. */
#ifndef JB_EMSG_H
#define JB_EMSG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "engine/emsg_table.h"

typedef enum {
  JB_EM_NONE = -1, /* a text without an entry (never reaches a client) */
#define JB_EM_ENUM(ID, KINDS) JB_EM_##ID,
  JB_EMSGS(JB_EM_ENUM)
#undef JB_EM_ENUM
      JB_EM_COUNT
} jb_emsg_id;

/* the languages (the same values as api/problem.h's jb_lang) */
enum { JB_EMSG_EN = 0, JB_EMSG_ZH = 1 };

/* Compile-time check of a use: the arguments against both formats (never
 * evaluated). */
#define JB_EMSG_CHECK(ID, ...)                                                                     \
  ((void)sizeof(printf(EM_EN_##ID, ##__VA_ARGS__)), (void)sizeof(printf(EM_ZH_##ID, ##__VA_ARGS__)))

#define JB_EMSG_MAX_ARGS 6
#define JB_EMSG_STR 256   /* bytes kept of a string argument (cut on a UTF-8 boundary) */
#define JB_EMSG_FIELD 160 /* bytes kept of the field path */

/* A message with its arguments, captured where it was said. */
typedef struct {
  int id;                    /* jb_emsg_id; JB_EM_NONE for none */
  char field[JB_EMSG_FIELD]; /* the field path it is about, "" for none */
  int nargs;
  struct jb_emsg_arg {
    char kind; /* 's', 'i', 'u', 'f' */
    long long i;
    unsigned long long u;
    double f;
    char s[JB_EMSG_STR];
  } arg[JB_EMSG_MAX_ARGS];
} jb_emsg;

/* The number of entries (JB_EM_COUNT). */
int jb_emsg_count(void);

/* The code of message id ("must_be_string"; static), NULL out of range. */
const char *jb_emsg_code(int id);

/* The id of a code, or JB_EM_NONE. */
int jb_emsg_of_code(const char *code);

/* The printf format of id in lang (JB_EMSG_EN, JB_EMSG_ZH; any other is
 * English) (static), NULL out of range. */
const char *jb_emsg_format(int id, int lang);

/* The declared argument kinds of id ("ss"; static), NULL out of range. */
const char *jb_emsg_kinds(int id);

/* The argument kinds a format uses, by argument position, written into
 * kinds (cap bytes, NUL-terminated): the number of arguments, or -1 when
 * the format is not one the renderer takes (an unknown conversion, '*',
 * %n, a gap in the operand numbers, operand numbers mixed with plain
 * conversions, an argument used with two kinds, more than
 * JB_EMSG_MAX_ARGS arguments, or kinds too small). */
int jb_emsg_format_kinds(const char *fmt, char *kinds, size_t cap);

/* m becomes "no message" (id JB_EM_NONE, no field, no arguments). NULL is
 * accepted. */
void jb_emsg_clear(jb_emsg *m);

/* Captures message id about field (NULL or "" for none; cut at
 * JB_EMSG_FIELD - 1 bytes) with its arguments, read as the English format
 * says (a NULL string is "(null)"; strings cut at JB_EMSG_STR - 1 bytes on
 * a UTF-8 boundary). An id out of range clears m. Use it through a checked
 * macro (JB__EM in engine_int.h). */
void jb_emsg_vset(jb_emsg *m, const char *field, int id, va_list ap);
void jb_emsg_set(jb_emsg *m, const char *field, int id, ...);

/* m becomes the message of code (jb_emsg_code) whose arguments are the n
 * strings args (as a message that crossed a JSON boundary comes back: its
 * code and its string arguments, each cut as jb_emsg_set cuts it), without
 * a field. 0, or -1 with m cleared when code is unknown or its kinds are not
 * n strings ("ss" for n = 2) or an argument is NULL. */
int jb_emsg_set_strings(jb_emsg *m, const char *code, const char *const *args, int n);

/* Copies src into dst (either may be NULL: nothing is done). */
void jb_emsg_copy(jb_emsg *dst, const jb_emsg *src);

/* Field paths: "name[i]" (jb_emsg_item) and "name.key" (jb_emsg_key; key
 * cut at 60 bytes on a UTF-8 boundary) written into buf (cap bytes,
 * NUL-terminated, cut at cap); returns buf. */
const char *jb_emsg_item(char *buf, size_t cap, const char *name, size_t i);
const char *jb_emsg_key(char *buf, size_t cap, const char *name, const char *key);

/* Renders format fmt with m's arguments into buf (cap bytes,
 * NUL-terminated; cut at cap on a UTF-8 boundary): the length written. A
 * conversion the renderer does not take, or whose argument m lacks or holds
 * with another kind, is written as nothing; width and precision are capped
 * at 100 and 1000. Any fmt is safe (fuzzed). */
size_t jb_emsg_vformat(const char *fmt, const jb_emsg *m, char *buf, size_t cap);

/* Renders m in lang into buf (cap bytes, NUL-terminated): with_field = 1
 * puts the field path first ("deadline: ..." in English, "字段 deadline：..."
 * in Chinese). The length written; 0 with buf "" when m holds no message. */
size_t jb_emsg_render(const jb_emsg *m, int lang, int with_field, char *buf, size_t cap);

#endif
