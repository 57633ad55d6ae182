/* SPDX-License-Identifier: GPL-3.0-or-later */
/* messages.c: the message catalogue's table (messages.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "api/messages.h"

static const struct {
  const char *name, *en, *zh;
} MSGS[M_COUNT] = {
#define JB_MSG_ROW(ID) [M_##ID] = {#ID, MSG_EN_##ID, MSG_ZH_##ID},
    JB_MESSAGES(JB_MSG_ROW)
#undef JB_MSG_ROW
};

const char *jb_msg_format(jb_msg m, jb_lang lang) {
  if ((int)m < 0 || m >= M_COUNT)
    return NULL;
  return lang == JB_LANG_ZH ? MSGS[m].zh : MSGS[m].en;
}

const char *jb_msg_name(jb_msg m) { return (int)m < 0 || m >= M_COUNT ? NULL : MSGS[m].name; }

int jb_msg_vformat(char *buf, size_t cap, jb_msg m, jb_lang lang, va_list ap) {
  const char *f = jb_msg_format(m, lang);
  if (!f) {
    if (cap)
      buf[0] = '\0';
    return 0;
  }
  /* the formats come from the table above; every use is checked against
   * both at compile time (JB_MSG_CHECK) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  return vsnprintf(buf, cap, f, ap);
#pragma GCC diagnostic pop
}
