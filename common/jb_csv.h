/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jb_csv.h: CSV as RFC 4180 has it, read from and written to UTF-8 text
 * (docs/records.md, "Spreadsheets"). No dependency; thread-safe (each
 * reader and writer is its own object).
 *
 * Reading: fields separated by ',', records by CRLF or LF (a lone CR
 * too); a field in double quotes may hold ',', line breaks and '""' (one
 * '"'); a UTF-8 byte order mark at the start is skipped. A '"' inside an
 * unquoted field, anything but a separator after a closing quote, and a
 * quote still open at the end are errors naming the line; the reader then
 * goes on at the next line, so one bad row does not hide the others.
 *
 * Writing: a field is quoted when it is empty, holds ',', '"', CR or LF, or
 * starts or ends with a space; '"' is doubled. With neutralising on, a cell that
 * a spreadsheet program would run as a formula (it starts with '=', '+',
 * '-', '@', a tab or CR, after any number of "'") gets one "'" in front
 * (OWASP, "CSV Injection"); jb_csv_unneutralise takes exactly that one
 * away again, so an export re-imports to the same text. */
#ifndef JB_CSV_H
#define JB_CSV_H

#include <stddef.h>

#include "common/jb_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most fields a row may have. */
#define JB_CSV_MAX_FIELDS 256

/* A reader over borrowed text: s must outlive it. */
typedef struct {
  const char *s;
  size_t len, pos;
  size_t line;     /* the line the next record starts on, from 1 */
  char *buf;       /* the current row's unquoted fields, each NUL-terminated */
  size_t cap;
  const char *field[JB_CSV_MAX_FIELDS];
  size_t flen[JB_CSV_MAX_FIELDS];
  unsigned char quoted[JB_CSV_MAX_FIELDS]; /* 1: the field was in quotes ("" is not absent) */
} jb_csv_reader;

/* Starts reading s[0..len). Never fails. */
void jb_csv_reader_init(jb_csv_reader *r, const char *s, size_t len);

/* Frees the reader's row buffer (the struct is the caller's). NULL is accepted. */
void jb_csv_reader_free(jb_csv_reader *r);

/* The next record: *nfields fields in r->field[i] (r->flen[i] bytes, NUL
 * after; valid until the next call), *line the line it starts on.
 * Returns 1 for a record, 0 at the end, JB_ESYNTAX for a malformed record
 * (err names its line and why; the reader has moved past it, so call
 * again for the next), JB_ETOOBIG for a row of more than JB_CSV_MAX_FIELDS
 * fields (skipped likewise), JB_ENOMEM. A blank line is a record of one
 * empty field. err may be NULL. */
int jb_csv_next(jb_csv_reader *r, size_t *nfields, size_t *line, char *err, size_t errlen);

/* A growing output buffer. Zero-initialise it; on a failed allocation
 * `failed` is set and later appends do nothing. */
typedef struct {
  char *s;       /* NUL-terminated, malloc'd (NULL while empty) */
  size_t len, cap;
  int failed;
} jb_csv_out;

/* Appends len bytes of s raw. Returns JB_OK or JB_ENOMEM (then o->failed). */
int jb_csv_raw(jb_csv_out *o, const char *s, size_t len);

/* Appends one field s[0..len), quoted as needed; after the first field of
 * a row pass first = 0 to put a ',' before it. neutralise: as above. s
 * NULL is an absent value (nothing between the separators); an empty s is
 * written "" so that a reader of jb_csv_reader.quoted tells them apart.
 * Returns JB_OK or JB_ENOMEM. */
int jb_csv_field(jb_csv_out *o, const char *s, size_t len, int first, int neutralise);

/* Ends a row (CRLF, as RFC 4180 writes it). Returns JB_OK or JB_ENOMEM. */
int jb_csv_end_row(jb_csv_out *o);

/* Frees o->s and zeroes o. NULL is accepted. */
void jb_csv_out_free(jb_csv_out *o);

/* 1 when a cell of len bytes at s would be run as a formula (and so gets
 * its "'"), else 0. */
int jb_csv_is_formula(const char *s, size_t len);

/* The cell's text without the one "'" a neutralised export put before it:
 * the offset to start at (1 or 0). */
size_t jb_csv_unneutralise(const char *s, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* JB_CSV_H */
