/* SPDX-License-Identifier: GPL-3.0-or-later */
/* table.h: what an export writes — a header and rows of text cells — made
 * from records (through the column table, engine/sheet.h) or from any
 * JSON list of objects (a match list, applications, a ranking,
 * milestones: one column per key, an object's members one level down as
 * "a.b" columns, lists and anything deeper one JSON cell), and written as CSV (api/table.c) or
 * .xlsx (api/xlsx.c, the one home of libxlsxwriter). Internal to api/. */
#ifndef JB_TABLE_H
#define JB_TABLE_H

#include <stddef.h>

#include <jansson.h>

#include "common/jb_csv.h"

typedef struct {
  char *text;  /* malloc'd; NULL: absent */
  int number;  /* 1: a JSON number (a number cell in .xlsx) */
} jb_cell;

typedef struct {
  char name[32];    /* the worksheet's name ("challenges", "matches") */
  size_t ncols, nrows, rcap;
  char **head;      /* ncols headers */
  jb_cell *cells;   /* nrows * ncols, row-major */
  int *col_type[4]; /* records: per record type, the column table index of each column (-1) */
} jb_table;

/* Starts an empty table named name. */
void jb__table_init(jb_table *t, const char *name);
/* Frees what t holds (not t). NULL is accepted. */
void jb__table_free(jb_table *t);

/* A table for records of type (a jb_rec_type), or of every type (-1: the
 * union of their columns, one column per header), headers in English
 * (field paths) when en, else Chinese. Returns JB_OK or JB_ENOMEM. */
int jb__table_records(jb_table *t, int type, int en);

/* Appends record rec (its type's cells) to a table of jb__table_records.
 * Returns JB_OK; JB_EINVAL when the record has a field no column holds
 * (err names it; nothing appended); JB_ENOMEM. */
int jb__table_add_record(jb_table *t, const json_t *rec, char *err, size_t errlen);

/* A table of the objects of array items (borrowed): the columns in the
 * order keys first appear. Returns JB_OK, JB_EINVAL when items is not an
 * array, JB_ENOMEM. */
int jb__table_json(jb_table *t, const json_t *items);

/* t as CSV into o: a UTF-8 byte order mark first when bom (what
 * spreadsheet programs need to read Chinese), CRLF rows, formula cells
 * neutralised. Returns JB_OK or JB_ENOMEM. */
int jb__table_csv(const jb_table *t, int bom, jb_csv_out *o);

/* The n tables as one .xlsx workbook (a worksheet each) written to path.
 * Returns JB_OK; JB_ETOOBIG when a cell is longer than Excel's 32,767
 * characters (err is where: "challenges row 5 column 描述"; export CSV);
 * JB_EIO when the file cannot be written (err says why); JB_ENOMEM. */
int jb__table_xlsx_file(const jb_table *const *t, size_t n, const char *path, char *err,
                        size_t errlen);

/* The same into memory: *out (malloc'd, *len bytes), through a temporary
 * file in $TMPDIR (/tmp). Returns as jb__table_xlsx_file. */
int jb__table_xlsx_mem(const jb_table *const *t, size_t n, char **out, size_t *len, char *err,
                       size_t errlen);

#endif
