/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_csv.c: fuzz target for common/jb_csv.h and engine/sheet.h. The
 * input is read as CSV; every row's fields stay inside the input's size;
 * written back (jb_csv_field, with and without the formula guard) and read
 * again they are the same fields (the guard's "'" taken away by
 * jb_csv_unneutralise); the first row as a header and the others as rows
 * make records (jb_sheet_row) that are JSON objects with a type. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/jb_csv.h"
#include "engine/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

static void round_trip(const jb_csv_reader *r, size_t nf, int guard) {
  jb_csv_out o = {0};
  for (size_t i = 0; i < nf; i++)
    jb_csv_field(&o, r->field[i], r->flen[i], i == 0, guard);
  jb_csv_end_row(&o);
  if (o.failed)
    abort();
  jb_csv_reader b;
  jb_csv_reader_init(&b, o.s, o.len);
  size_t n2, line;
  char err[256];
  /* a first field starting with a BOM would be skipped as one: not compared */
  int skip = o.len >= 3 && !memcmp(o.s, "\xEF\xBB\xBF", 3);
  int rc = jb_csv_next(&b, &n2, &line, err, sizeof err);
  if (!skip && (rc != 1 || n2 != nf)) {
    fprintf(stderr, "a written row reads back as %d, %zu fields (not %zu)\n", rc, n2, nf);
    abort();
  }
  for (size_t i = 0; !skip && i < nf; i++) {
    size_t off = guard ? jb_csv_unneutralise(b.field[i], b.flen[i]) : 0;
    if (b.flen[i] - off != r->flen[i] || memcmp(b.field[i] + off, r->field[i], r->flen[i])) {
      fprintf(stderr, "field %zu changed through the writer (guard %d)\n", i, guard);
      abort();
    }
  }
  jb_csv_reader_free(&b);
  jb_csv_out_free(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (!text)
    abort();
  memcpy(text, data, size);
  text[size] = '\0';
  jb_csv_reader r;
  jb_csv_reader_init(&r, text, size);
  jb_sheet_map *m = NULL, *mt = NULL;
  size_t nf, line, rows = 0;
  char err[512];
  int rc;
  while ((rc = jb_csv_next(&r, &nf, &line, err, sizeof err)) != 0) {
    if (rc == JB_ENOMEM)
      abort();
    if (rc < 0) {
      if (!memchr(err, '\0', sizeof err))
        abort();
      continue;
    }
    if (nf < 1 || nf > JB_CSV_MAX_FIELDS)
      abort();
    for (size_t i = 0; i < nf; i++)
      if (r.flen[i] > size || r.field[i][r.flen[i]] != '\0')
        abort();
    round_trip(&r, nf, 0);
    round_trip(&r, nf, 1);
    if (rows++ == 0) {
      jb_sheet_map_new(r.field, r.flen, nf, -1, &m, err, sizeof err);
      jb_sheet_map_new(r.field, r.flen, nf, 3, &mt, err, sizeof err);
      continue;
    }
    jb_sheet_map *maps[2] = {m, mt};
    for (int k = 0; k < 2; k++) {
      if (!maps[k])
        continue;
      char *json = NULL;
      int type = -1;
      int got = jb_sheet_row(maps[k], r.field, r.flen, r.quoted, nf, &json, &type, err,
                             sizeof err);
      if (got == 1) {
        json_t *j = json_loads(json, JSON_ALLOW_NUL, NULL); /* a NUL in a cell is \u0000 */
        if (!json_is_object(j) || !json_is_string(json_object_get(j, "type")) || type < 0) {
          fprintf(stderr, "a row made %s\n", json);
          abort();
        }
        const char *col = jb_sheet_column_of(maps[k], type, "deadline: x");
        (void)col;
        json_decref(j);
      } else if (got < 0 && !memchr(err, '\0', sizeof err)) {
        abort();
      }
      free(json);
    }
  }
  jb_sheet_map_free(m);
  jb_sheet_map_free(mt);
  jb_csv_reader_free(&r);
  free(text);
  return 0;
}
