/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv_read.c: the RFC 4180 reader (jb_csv.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jb_csv.h"

void jb_csv_reader_init(jb_csv_reader *r, const char *s, size_t len) {
  memset(r, 0, sizeof *r);
  r->s = s ? s : "";
  r->len = s ? len : 0;
  r->line = 1;
  if (r->len >= 3 && !memcmp(r->s, "\xEF\xBB\xBF", 3))
    r->pos = 3;
}

void jb_csv_reader_free(jb_csv_reader *r) {
  if (!r)
    return;
  free(r->buf);
  r->buf = NULL;
  r->cap = 0;
}

/* the end of a line at i (CRLF, LF or CR): its length, else 0 */
static size_t eol(const jb_csv_reader *r, size_t i) {
  if (i >= r->len)
    return 0;
  if (r->s[i] == '\n')
    return 1;
  if (r->s[i] == '\r')
    return i + 1 < r->len && r->s[i + 1] == '\n' ? 2 : 1;
  return 0;
}

/* after an error: on to the start of the next line (outside quotes no
 * longer known: the next physical line) */
static void skip_line(jb_csv_reader *r) {
  size_t n;
  while (r->pos < r->len && !(n = eol(r, r->pos)))
    r->pos++;
  if (r->pos < r->len) {
    r->pos += eol(r, r->pos);
    r->line++;
  }
}

int jb_csv_next(jb_csv_reader *r, size_t *nfields, size_t *line, char *err, size_t errlen) {
  *nfields = 0;
  *line = r->line;
  if (r->pos >= r->len)
    return 0;
  /* the row's unquoted text is never longer than its source */
  size_t start_line = r->line, need = r->len - r->pos + 1;
  if (need > r->cap) {
    size_t cap = r->cap ? r->cap : 256;
    while (cap < need)
      cap *= 2;
    /* a row is usually much shorter than the rest of the input: grow by
     * what this row takes, found as we go, but never beyond need */
    char *b = realloc(r->buf, cap < need ? need : cap);
    if (!b)
      return JB_ENOMEM;
    r->buf = b;
    r->cap = cap < need ? need : cap;
  }
  size_t out = 0, nf = 0;
  for (;;) { /* one field */
    if (nf == JB_CSV_MAX_FIELDS) {
      if (err)
        snprintf(err, errlen, "line %zu: more than %d columns", start_line, JB_CSV_MAX_FIELDS);
      skip_line(r);
      return JB_ETOOBIG;
    }
    size_t fstart = out;
    r->quoted[nf] = r->pos < r->len && r->s[r->pos] == '"';
    if (r->quoted[nf]) {
      r->pos++;
      for (;;) {
        if (r->pos >= r->len) {
          if (err)
            snprintf(err, errlen, "line %zu: a quoted field is not closed before the end",
                     start_line);
          return JB_ESYNTAX;
        }
        char c = r->s[r->pos];
        if (c == '"') {
          if (r->pos + 1 < r->len && r->s[r->pos + 1] == '"') {
            r->buf[out++] = '"';
            r->pos += 2;
            continue;
          }
          r->pos++;
          break;
        }
        size_t n = eol(r, r->pos);
        if (n) {
          r->line++;
          memcpy(r->buf + out, r->s + r->pos, n);
          out += n;
          r->pos += n;
          continue;
        }
        r->buf[out++] = c;
        r->pos++;
      }
      if (r->pos < r->len && r->s[r->pos] != ',' && !eol(r, r->pos)) {
        if (err)
          snprintf(err, errlen, "line %zu: text after the closing quote of column %zu",
                   r->line, nf + 1);
        skip_line(r);
        return JB_ESYNTAX;
      }
    } else {
      while (r->pos < r->len && r->s[r->pos] != ',' && !eol(r, r->pos)) {
        if (r->s[r->pos] == '"') {
          if (err)
            snprintf(err, errlen,
                     "line %zu: a '\"' inside unquoted column %zu (quote the field and double "
                     "the '\"')",
                     r->line, nf + 1);
          skip_line(r);
          return JB_ESYNTAX;
        }
        r->buf[out++] = r->s[r->pos++];
      }
    }
    r->buf[out++] = '\0';
    r->field[nf] = r->buf + fstart;
    r->flen[nf] = out - fstart - 1;
    nf++;
    if (r->pos < r->len && r->s[r->pos] == ',') {
      r->pos++;
      continue;
    }
    size_t n = eol(r, r->pos);
    if (n) {
      r->pos += n;
      r->line++;
    }
    break;
  }
  *nfields = nf;
  return 1;
}
