/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xlsx.c: export tables as .xlsx — the one home of libxlsxwriter
 * (api/table.h). Cells are written as strings (never formulas: a cell
 * that starts with '=' is text here, so nothing needs neutralising) or,
 * for JSON numbers, as numbers. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "api/table.h"

/* Excel's limit of a cell's text */
#define XLSX_CELL_MAX 32767

static size_t u8chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

int jb__table_xlsx_file(const jb_table *const *t, size_t n, const char *path, char *err,
                        size_t errlen) {
  /* a cell Excel cannot hold is refused before anything is written */
  for (size_t s = 0; s < n; s++)
    for (size_t i = 0; i < t[s]->nrows * t[s]->ncols; i++)
      if (t[s]->cells[i].text && u8chars(t[s]->cells[i].text) > XLSX_CELL_MAX) {
        snprintf(err, errlen, "%s row %zu column %s", t[s]->name, i / t[s]->ncols + 2,
                 t[s]->head[i % t[s]->ncols]);
        return JB_ETOOBIG;
      }
  lxw_workbook *wb = workbook_new(path);
  if (!wb) {
    snprintf(err, errlen, "%s: cannot be written", path);
    return JB_EIO;
  }
  lxw_format *bold = workbook_add_format(wb);
  if (bold)
    format_set_bold(bold);
  for (size_t s = 0; s < n; s++) {
    lxw_worksheet *ws = workbook_add_worksheet(wb, t[s]->name[0] ? t[s]->name : NULL);
    if (!ws) {
      workbook_close(wb);
      snprintf(err, errlen, "%s: cannot add a worksheet", t[s]->name);
      return JB_ENOMEM;
    }
    for (size_t c = 0; c < t[s]->ncols; c++)
      worksheet_write_string(ws, 0, (lxw_col_t)c, t[s]->head[c], bold);
    worksheet_freeze_panes(ws, 1, 0);
    for (size_t r = 0; r < t[s]->nrows; r++)
      for (size_t c = 0; c < t[s]->ncols; c++) {
        const jb_cell *cell = &t[s]->cells[r * t[s]->ncols + c];
        if (!cell->text)
          continue;
        char *end;
        double d = cell->number ? strtod(cell->text, &end) : 0;
        if (cell->number && !*end)
          worksheet_write_number(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, d, NULL);
        else
          worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, cell->text, NULL);
      }
  }
  lxw_error rc = workbook_close(wb);
  if (rc != LXW_NO_ERROR) {
    snprintf(err, errlen, "%s: %s", path, lxw_strerror(rc));
    return JB_EIO;
  }
  return JB_OK;
}

int jb__table_xlsx_mem(const jb_table *const *t, size_t n, char **out, size_t *len, char *err,
                       size_t errlen) {
  *out = NULL;
  *len = 0;
  const char *dir = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/jiebang-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
  int fd = mkstemp(path);
  if (fd < 0) {
    snprintf(err, errlen, "a temporary file: %s", strerror(errno));
    return JB_EIO;
  }
  close(fd);
  int rc = jb__table_xlsx_file(t, n, path, err, errlen);
  FILE *f = rc == JB_OK ? fopen(path, "rb") : NULL;
  if (rc == JB_OK && !f) {
    snprintf(err, errlen, "a temporary file: %s", strerror(errno));
    rc = JB_EIO;
  }
  if (f) {
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    char *b = size >= 0 ? malloc((size_t)size + 1) : NULL;
    if (!b || fseek(f, 0, SEEK_SET) || fread(b, 1, (size_t)size, f) != (size_t)size) {
      free(b);
      snprintf(err, errlen, "a temporary file could not be read back");
      rc = b ? JB_EIO : JB_ENOMEM;
    } else {
      *out = b;
      *len = (size_t)size;
    }
    fclose(f);
  }
  unlink(path);
  return rc;
}
