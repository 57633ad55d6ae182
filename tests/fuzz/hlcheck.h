/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hlcheck.h: the properties of a highlight (api/highlight.h), shared by the
 * fuzz target and the unit tests. hl_check(title, out) returns NULL when
 * out is a valid highlight of title, else what is wrong (a static string). */
#ifndef JB_HLCHECK_H
#define JB_HLCHECK_H

#include <stdlib.h>
#include <string.h>

#include "api/logfmt.h"
#include "locale/jb_locale.h"

static const char *hl_check(const char *title, const char *out) {
  static const char *const ent[][2] = {
      {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
  size_t n = strlen(out);
  if (jb_utf8_validate(out, n, NULL) != JB_UTF8_OK)
    return "not valid UTF-8";
  char *want = jb_utf8_repaired(title), *plain = malloc(n + 1);
  const char *why = NULL;
  if (!want || !plain)
    abort();
  size_t o = 0;
  int open = 0;
  for (size_t i = 0; i < n && !why;) {
    if (!strncmp(out + i, "<em>", 4)) {
      if (open)
        why = "<em> inside <em>";
      else if (!strncmp(out + i + 4, "</em>", 5))
        why = "an empty <em></em>";
      else if (i >= 5 && !strncmp(out + i - 5, "</em>", 5))
        why = "</em><em>: adjacent matches not joined";
      open = 1;
      i += 4;
    } else if (!strncmp(out + i, "</em>", 5)) {
      if (!open)
        why = "</em> without <em>";
      open = 0;
      i += 5;
    } else if (out[i] == '&') {
      size_t k = 0;
      while (k < 5 && strncmp(out + i, ent[k][0], strlen(ent[k][0])))
        k++;
      if (k == 5) {
        why = "a bare & or an unknown entity";
        break;
      }
      plain[o++] = ent[k][1][0];
      i += strlen(ent[k][0]);
    } else if (out[i] == '<' || out[i] == '>' || out[i] == '"' || out[i] == '\'') {
      why = "an unescaped < > \" or '";
    } else {
      if (open && ((unsigned char)out[i] & 0xC0) == 0x80 && i >= 4 && !strncmp(out + i - 4, "<em>", 4))
        why = "<em> inside a character";
      if (!open && ((unsigned char)out[i] & 0xC0) == 0x80 && i >= 5 && !strncmp(out + i - 5, "</em>", 5))
        why = "</em> inside a character";
      plain[o++] = out[i++];
    }
  }
  plain[o] = '\0';
  if (!why && open)
    why = "an <em> left open";
  if (!why && strcmp(plain, want))
    why = "unescaping without the tags does not give the title back";
  free(want);
  free(plain);
  return why;
}

#endif /* JB_HLCHECK_H */
