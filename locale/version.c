/* SPDX-License-Identifier: GPL-3.0-or-later */
/* version.c: the linked ICU's version, for `jiebang --version`. */
#include "locale/jb_locale.h"

#include <stdio.h>

#include <unicode/uversion.h>

char *jb_locale_icu_version(char *buf, size_t buflen) {
  if (!buf || !buflen)
    return buf;
  UVersionInfo v;
  char s[U_MAX_VERSION_STRING_LENGTH];
  u_getVersion(v);
  u_versionToString(v, s);
  snprintf(buf, buflen, "%s", s);
  return buf;
}
