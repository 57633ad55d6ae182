/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_emsg.c: fuzz target for engine/emsg.c — capture (jb_emsg_set) and
 * rendering (jb_emsg_render, jb_emsg_vformat) of the engine's messages.
 * Input: a byte for the language, the field flag and the buffer size, a
 * byte for the message id (some out of range), then FIELD, up to six
 * ARGUMENTS and a FORMAT separated by NULs (arbitrary bytes). Every answer is
 * checked against an independent rule: the text fits the buffer and is
 * NUL-terminated at the length returned; with valid UTF-8 inputs it is valid
 * UTF-8; with room enough, each string argument (when short) appears in the
 * English, and the field path starts the text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/emsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

static int valid_utf8(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t n = *p < 0x80 ? 1 : *p >= 0xF5 ? 0 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC2 ? 2 : 0;
    if (!n)
      return 0;
    for (size_t i = 1; i < n; i++)
      if ((p[i] & 0xC0) != 0x80)
        return 0;
    p += n;
  }
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  int lang = data[0] & 1, with_field = (data[0] >> 1) & 1;
  size_t cap = data[0] >> 2; /* 0..63 */
  if (data[0] & 0x80)
    cap = 4096;
  int id = data[1] % (JB_EM_COUNT + 2) - 1; /* -1 and JB_EM_COUNT: out of range */
  char *in = malloc(size + 9);
  if (!in)
    abort();
  memcpy(in, data + 2, size - 2);
  memset(in + size - 2, 0, 10);
  const char *s[8];
  size_t at = 0;
  for (int k = 0; k < 8; k++) {
    s[k] = in + at;
    at += strlen(in + at);
    if (at < size - 2)
      at++;
  }
  const char *field = s[0], *fmt = s[7];
  int valid = 1;
  for (int k = 0; k < 8; k++)
    valid &= valid_utf8(s[k]) && strlen(s[k]) < JB_EMSG_STR - 1;
  /* capture: the arguments as the message's kinds say */
  const char *kinds = jb_emsg_kinds(id);
  jb_emsg m;
  jb_emsg_clear(&m);
  if (kinds) {
    m.id = id;
    snprintf(m.field, sizeof m.field, "%s", field);
    for (int k = 0; kinds[k] && k < JB_EMSG_MAX_ARGS; k++) {
      struct jb_emsg_arg *a = &m.arg[m.nargs++];
      a->kind = kinds[k];
      a->i = strtoll(s[1 + k], NULL, 10);
      a->u = strtoull(s[1 + k], NULL, 10);
      a->f = strtod(s[1 + k], NULL);
      snprintf(a->s, sizeof a->s, "%s", s[1 + k]);
    }
  }
  char *buf = malloc(cap ? cap : 1);
  if (!buf)
    abort();
  size_t n = jb_emsg_render(kinds ? &m : NULL, lang, with_field, buf, cap);
  if (cap && (n >= cap || strlen(buf) != n))
    abort();
  if (!cap && n)
    abort();
  if (!kinds && cap && n)
    abort(); /* no message: nothing */
  if (cap && valid && strlen(field) < JB_EMSG_FIELD && !valid_utf8(buf))
    abort();
  if (kinds && valid && cap == 4096 && lang == JB_EMSG_EN) {
    if (with_field && *field && strlen(field) < JB_EMSG_FIELD && strncmp(buf, field, strlen(field)))
      abort();
    for (int k = 0; k < m.nargs; k++)
      if (m.arg[k].kind == 's' && strlen(m.arg[k].s) < 200 && !strstr(buf, m.arg[k].s))
        abort();
  }
  /* any format with these arguments */
  n = jb_emsg_vformat(fmt, kinds ? &m : NULL, buf, cap);
  if (cap && (n >= cap || strlen(buf) != n))
    abort();
  char kb[16];
  (void)jb_emsg_format_kinds(fmt, kb, sizeof kb);
  /* field paths */
  char fp[40];
  jb_emsg_key(fp, sizeof fp, field, s[1]);
  if (strlen(fp) >= sizeof fp)
    abort();
  jb_emsg_item(fp, sizeof fp, field, size);
  if (strlen(fp) >= sizeof fp)
    abort();
  free(buf);
  free(in);
  return 0;
}
