/* SPDX-License-Identifier: GPL-3.0-or-later */
/* table.c: export tables from records or JSON lists, and their CSV
 * (api/table.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/table.h"

/* a cell's JSON value written as the JSON answers write it (api/request.c: ten
 * significant digits, so 0.275859 stays 0.275859 and is not 0.27585900000000002) */
#define CELL_JSON (JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(10))
#include "engine/record.h"
#include "engine/sheet.h"

void jb__table_init(jb_table *t, const char *name) {
  memset(t, 0, sizeof *t);
  snprintf(t->name, sizeof t->name, "%s", name);
}

void jb__table_free(jb_table *t) {
  if (!t)
    return;
  for (size_t i = 0; i < t->ncols; i++)
    free(t->head[i]);
  free(t->head);
  for (size_t i = 0; i < t->nrows * t->ncols; i++)
    free(t->cells[i].text);
  free(t->cells);
  for (int k = 0; k < 4; k++)
    free(t->col_type[k]);
  memset(t, 0, sizeof *t);
}

/* the index of header h, adding it when new; -1 when out of memory */
static long column(jb_table *t, const char *h, int add) {
  for (size_t i = 0; i < t->ncols; i++)
    if (!strcmp(t->head[i], h))
      return (long)i;
  if (!add)
    return -1;
  if (t->cells) { /* a column after rows: widen every row */
    jb_cell *c = calloc((t->ncols + 1) * (t->rcap ? t->rcap : 1), sizeof *c);
    if (!c)
      return -1;
    for (size_t r = 0; r < t->nrows; r++)
      memcpy(c + r * (t->ncols + 1), t->cells + r * t->ncols, t->ncols * sizeof *c);
    free(t->cells);
    t->cells = c;
  }
  char **nh = realloc(t->head, (t->ncols + 1) * sizeof *nh);
  if (!nh)
    return -1;
  t->head = nh;
  if (!(t->head[t->ncols] = strdup(h)))
    return -1;
  for (int k = 0; k < 4; k++)
    if (t->col_type[k]) {
      int *n = realloc(t->col_type[k], (t->ncols + 1) * sizeof *n);
      if (!n)
        return -1;
      n[t->ncols] = -1;
      t->col_type[k] = n;
    }
  return (long)t->ncols++;
}

/* a new empty row: its cells, or NULL */
static jb_cell *new_row(jb_table *t) {
  if (t->nrows == t->rcap) {
    size_t cap = t->rcap ? t->rcap * 2 : 64;
    jb_cell *c = realloc(t->cells, cap * (t->ncols ? t->ncols : 1) * sizeof *c);
    if (!c)
      return NULL;
    t->cells = c;
    t->rcap = cap;
  }
  jb_cell *row = t->cells + t->nrows * t->ncols;
  memset(row, 0, t->ncols * sizeof *row);
  t->nrows++;
  return row;
}

int jb__table_records(jb_table *t, int type, int en) {
  size_t n;
  const jb_sheet_col *cols = jb_sheet_columns(&n);
  for (int k = 0; k < 4; k++)
    if (!(t->col_type[k] = calloc(1, sizeof(int))))
      return JB_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    if (type >= 0 && !(cols[i].types & (1u << type)))
      continue;
    char h[128];
    jb_sheet_header(&cols[i], en, h, sizeof h);
    long c = column(t, h, 1);
    if (c < 0)
      return JB_ENOMEM;
    for (int k = 0; k < 4; k++)
      if (cols[i].types & (1u << k))
        t->col_type[k][c] = (int)i;
  }
  return JB_OK;
}

int jb__table_add_record(jb_table *t, const json_t *rec, char *err, size_t errlen) {
  int type = jb_rec_type_of(json_string_value(json_object_get(rec, "type")));
  if (type < 0) {
    snprintf(err, errlen, "type: not a record");
    return JB_EINVAL;
  }
  if (jb_sheet_covered(type, rec, err, errlen) != JB_OK)
    return JB_EINVAL;
  size_t n;
  const jb_sheet_col *cols = jb_sheet_columns(&n);
  jb_cell *row = new_row(t);
  if (!row)
    return JB_ENOMEM;
  for (size_t c = 0; c < t->ncols; c++) {
    int k = t->col_type[type][c];
    if (k < 0)
      continue;
    if (jb_sheet_cell(&cols[k], rec, &row[c].text) != JB_OK)
      return JB_ENOMEM;
    row[c].number = cols[k].kind == JB_COL_INT || cols[k].kind == JB_COL_NUM;
  }
  return JB_OK;
}

/* the cells of object o under prefix into row (columns added as met) */
static int add_object(jb_table *t, size_t row, const json_t *o, const char *prefix, int depth) {
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)o, k, v) {
    char h[256];
    snprintf(h, sizeof h, "%s%s%s", prefix, *prefix ? "." : "", k);
    if (json_is_object(v) && depth < 1 && json_object_size(v)) {
      if (add_object(t, row, v, h, depth + 1))
        return JB_ENOMEM;
      continue;
    }
    long c = column(t, h, 1);
    if (c < 0)
      return JB_ENOMEM;
    jb_cell *cell = &t->cells[row * t->ncols + (size_t)c];
    free(cell->text);
    cell->text = json_is_string(v) ? strdup(json_string_value(v))
                 : json_is_null(v) ? NULL
                                   : json_dumps(v, CELL_JSON | JSON_SORT_KEYS);
    cell->number = json_is_number(v);
    if (!cell->text && !json_is_null(v))
      return JB_ENOMEM;
  }
  return JB_OK;
}

int jb__table_json(jb_table *t, const json_t *items) {
  if (!json_is_array(items))
    return JB_EINVAL;
  size_t i;
  const json_t *it;
  json_array_foreach(items, i, it) {
    if (!new_row(t))
      return JB_ENOMEM;
    if (json_is_object(it)) {
      if (add_object(t, t->nrows - 1, it, "", 0))
        return JB_ENOMEM;
    } else {
      long c = column(t, "value", 1);
      if (c < 0)
        return JB_ENOMEM;
      jb_cell *cell = &t->cells[(t->nrows - 1) * t->ncols + (size_t)c];
      cell->text = json_is_string(it) ? strdup(json_string_value(it))
                                      : json_dumps(it, CELL_JSON);
      if (!cell->text)
        return JB_ENOMEM;
    }
  }
  return JB_OK;
}

int jb__table_csv(const jb_table *t, int bom, jb_csv_out *o) {
  if (bom)
    jb_csv_raw(o, "\xEF\xBB\xBF", 3);
  for (size_t c = 0; c < t->ncols; c++)
    jb_csv_field(o, t->head[c], strlen(t->head[c]), c == 0, 1);
  jb_csv_end_row(o);
  for (size_t r = 0; r < t->nrows; r++) {
    const jb_cell *row = t->cells + r * t->ncols;
    for (size_t c = 0; c < t->ncols; c++)
      jb_csv_field(o, row[c].text, row[c].text ? strlen(row[c].text) : 0, c == 0, 1);
    jb_csv_end_row(o);
  }
  return o->failed ? JB_ENOMEM : JB_OK;
}
