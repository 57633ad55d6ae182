/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sheet.h: spreadsheet rows and records — THE table of columns (Chinese
 * and English header names → record fields, per record type; generated
 * into docs/records.md, "Spreadsheets", by `jiebang import --columns`, and
 * checked against it by tests/sheets.sh), a CSV row to the JSON record
 * that JSONL import takes (so validation is the same), and a record to
 * the cells of its row for export. jansson only; thread-safe. */
#ifndef JB_SHEET_H
#define JB_SHEET_H

#include <stddef.h>

#include <jansson.h>

#include "common/jb_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How a cell holds a field's value. */
typedef enum {
  JB_COL_LINE, /* a string as it is */
  JB_COL_TEXT, /* a string, line breaks allowed */
  JB_COL_LIST, /* a list of strings: split on 、 ; , ；(trimmed), or a JSON array */
  JB_COL_INT,  /* a whole number */
  JB_COL_NUM,  /* a number; 万 (1e4) and 亿 (1e8) after it multiply */
  JB_COL_DATE, /* YYYY-MM-DD (YYYY/M/D, YYYY.M.D and YYYY年M月D日 are read as that) */
  JB_COL_JSON  /* the field's JSON (indicators, confidential) */
} jb_col_kind;

typedef struct {
  unsigned types;    /* bit (1 << jb_rec_type) of each record type that has it */
  const char *field; /* the field ("title") or sub-field ("funding.amount") */
  const char *names; /* header names, '|'-separated; the first is the Chinese header */
  jb_col_kind kind;
} jb_sheet_col;

/* The table (static) and its length in *n. */
const jb_sheet_col *jb_sheet_columns(size_t *n);

/* The table as the Markdown of docs/records.md (malloc'd; NULL when out of memory). */
char *jb_sheet_columns_markdown(void);

/* The header a column is exported under: its first (Chinese) name, or its
 * field path when en; written into buf (cap bytes). Returns buf. */
const char *jb_sheet_header(const jb_sheet_col *c, int en, char *buf, size_t cap);

/* A header row read: which column each cell is, per record type. */
typedef struct jb_sheet_map jb_sheet_map;

/* Maps header cells (n of them, names[i] of lens[i] bytes) to columns. type:
 * a jb_rec_type every row has, or -1 when a type column (类型/type) names
 * it per row. Names are compared trimmed and without ASCII case; a name
 * may be any of a column's names or its field path.
 * Returns JB_OK with *out (free with jb_sheet_map_free); JB_EINVAL with
 * err naming the column ("column 3 '价钱': no such column for challenge
 * (...)", an empty or repeated name, no type column when type is -1, no
 * id column); JB_ENOMEM. */
int jb_sheet_map_new(const char *const *names, const size_t *lens, size_t n, int type,
                     jb_sheet_map **out, char *err, size_t errlen);
void jb_sheet_map_free(jb_sheet_map *m);

/* One row (n cells as above; quoted[i] 1 when cell i was quoted: an empty
 * quoted cell is "", an empty unquoted one is absent; quoted may be NULL)
 * as a record's compact JSON text in *json (malloc'd) and its type in
 * *type. A cell starting with "'" before a formula character loses that
 * "'" (jb_csv_unneutralise). Returns 1 with *json; 0 when every cell is
 * empty (a blank row: skip it); JB_EINVAL with err as "column 截止日期:
 * why" (the header as written) for a cell that cannot be that field's
 * value, a type that is not one, or more cells than headers; JB_ENOMEM.
 * Field rules are the record's (jb_engine_put_json checks them). */
int jb_sheet_row(const jb_sheet_map *m, const char *const *cells, const size_t *lens,
                 const unsigned char *quoted, size_t n, char **json, int *type, char *err,
                 size_t errlen);

/* The header (as written in the file) of the column that a record error
 * msg ("deadline: ...", "funding.amount: ...", "indicators[2].name: ...")
 * names, for rows of type; NULL when it names none. Borrowed from m. */
const char *jb_sheet_column_of(const jb_sheet_map *m, int type, const char *msg);

/* The columns of type t, in export order: their indices in the table in
 * idx (cap of them); returns how many. */
size_t jb_sheet_type_columns(int t, size_t *idx, size_t cap);

/* Column c's cell of record rec: a malloc'd text in *text, or NULL when the
 * record has no such field. Returns JB_OK or JB_ENOMEM. */
int jb_sheet_cell(const jb_sheet_col *c, const json_t *rec, char **text);

/* JB_OK when every field of rec (of type t) has a column, so that its row
 * re-imports to the same record; else JB_EINVAL with err naming the field. */
int jb_sheet_covered(int t, const json_t *rec, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* JB_SHEET_H */
