/* SPDX-License-Identifier: GPL-3.0-or-later */
/* manifest.c: a backup's MANIFEST parsed from its text (engine/backup.h). */
#include "engine/backup.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *err, size_t errlen, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return JB_ESYNTAX;
}

/* s[0..n) as a printable name for a message: at most 40 bytes, other bytes as '?' */
static void shown(const char *s, size_t n, char out[48]) {
  size_t k = 0;
  for (size_t i = 0; i < n && k < 40; i++)
    out[k++] = (s[i] >= 0x21 && s[i] <= 0x7e) ? s[i] : '?';
  out[k] = '\0';
}

int jb_backup_manifest_parse(const char *text, size_t len, jb_backup_info *info, char *err,
                             size_t errlen) {
  jb_backup_info local;
  if (!info)
    info = &local;
  memset(info, 0, sizeof *info);
  if (err && errlen)
    err[0] = '\0';
  if (!text)
    return bad(err, errlen, "1: empty: not a jiebang backup manifest");
  size_t pos = 0;
  unsigned lineno = 0;
  while (pos < len) {
    const char *line = text + pos;
    const char *nl = memchr(line, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - line) : len - pos;
    pos += n + (nl ? 1 : 0);
    lineno++;
    if (memchr(line, '\0', n))
      return bad(err, errlen, "%u: a NUL byte", lineno);
    if (lineno == 1) {
      if (n != strlen(JB_BACKUP_MAGIC) || memcmp(line, JB_BACKUP_MAGIC, n))
        return bad(err, errlen, "1: not a jiebang backup manifest (want '%s')", JB_BACKUP_MAGIC);
      continue;
    }
    const char *eq = memchr(line, '=', n);
    if (!eq || eq == line || eq[-1] != ' ' || (size_t)(eq - line) + 1 >= n || eq[1] != ' ')
      return bad(err, errlen, "%u: want 'key = value'", lineno);
    size_t kl = (size_t)(eq - line) - 1;
    const char *val = eq + 2;
    size_t vl = n - (size_t)(val - line);
    char k[48], v[48];
    shown(line, kl, k);
    shown(val, vl, v);
    if (kl == 7 && !memcmp(line, "version", 7)) {
      snprintf(info->version, sizeof info->version, "%.*s", (int)vl, val);
      continue;
    }
    if (kl == 7 && !memcmp(line, "created", 7)) {
      snprintf(info->created, sizeof info->created, "%.*s", (int)vl, val);
      continue;
    }
    int64_t *dst = NULL;
    int is_schema = 0;
    if (kl == 6 && !memcmp(line, "schema", 6))
      is_schema = 1;
    else if (kl == 7 && !memcmp(line, "records", 7))
      dst = &info->records;
    else if (kl == 8 && !memcmp(line, "last_seq", 8))
      dst = &info->last_seq;
    else
      return bad(err, errlen, "%u: unknown key '%s'", lineno, k);
    if (vl == 0 || vl > 18)
      return bad(err, errlen, "%u: %s: '%s' is not a whole number", lineno, k, v);
    int64_t x = 0;
    for (size_t i = 0; i < vl; i++) {
      if (val[i] < '0' || val[i] > '9')
        return bad(err, errlen, "%u: %s: '%s' is not a whole number", lineno, k, v);
      x = x * 10 + (val[i] - '0');
    }
    if (is_schema)
      info->schema = x > INT_MAX ? INT_MAX : (int)x;
    else
      *dst = x;
  }
  if (lineno == 0)
    return bad(err, errlen, "1: empty: not a jiebang backup manifest");
  return JB_OK;
}
