/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_sheets.c: spreadsheets without the binary — encodings detected and
 * converted (locale/jb_charset.h), the CSV reader's and writer's corners
 * (common/jb_csv.h), header rows and cells to records and back
 * (engine/sheet.h). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/jb_csv.h"
#include "engine/record.h"
#include "engine/sheet.h"
#include "locale/jb_charset.h"

/* 读 in GB18030, "标题" in GB18030 */
#define GB_BIAOTI "\xB1\xEA\xCC\xE2"

static char *conv(const char *in, size_t len, const char *enc, char *used, int *rc,
                  jb_charset_error *err) {
  char *out = NULL;
  size_t n = 0;
  *rc = jb_charset_to_utf8(in, len, enc, &out, &n, used, 16, err);
  if (*rc == JB_OK)
    ck_assert_uint_eq(strlen(out), n);
  return out;
}

START_TEST(test_charset) {
  char used[16];
  int rc;
  jb_charset_error err;
  char *o = conv("\xEF\xBB\xBF" "a,b", 6, NULL, used, &rc, &err);
  ck_assert_int_eq(rc, JB_OK);
  ck_assert_str_eq(o, "a,b");
  ck_assert_str_eq(used, "UTF-8");
  free(o);
  o = conv("id," GB_BIAOTI "\n", 8, NULL, used, &rc, &err);
  ck_assert_int_eq(rc, JB_OK);
  ck_assert_str_eq(o, "id,标题\n");
  ck_assert_str_eq(used, "GB18030");
  free(o);
  o = conv("id," GB_BIAOTI "\n", 8, "gbk", used, &rc, &err);
  ck_assert_int_eq(rc, JB_OK);
  ck_assert_str_eq(o, "id,标题\n");
  ck_assert_str_eq(used, "GBK");
  free(o);
  /* UTF-16 LE with its mark; a 4-byte GB18030 sequence (U+20000 𠀀: 95 32 82 36) */
  o = conv("\xFF\xFE" "a\0\n\0", 6, NULL, used, &rc, &err);
  ck_assert_int_eq(rc, JB_OK);
  ck_assert_str_eq(o, "a\n");
  ck_assert_str_eq(used, "UTF-16LE");
  free(o);
  o = conv("\x95\x32\x82\x36", 4, "GB18030", used, &rc, &err);
  ck_assert_int_eq(rc, JB_OK);
  ck_assert_str_eq(o, "\xF0\xA0\x80\x80");
  free(o);
  /* invalid bytes: the offset and line of the first */
  o = conv("a\nb\n\x81\x20", 6, "GB18030", used, &rc, &err);
  ck_assert_int_eq(rc, JB_EUTF8);
  ck_assert_ptr_null(o);
  ck_assert_uint_eq(err.offset, 4);
  ck_assert_uint_eq(err.line, 3);
  ck_assert_ptr_nonnull(strstr(err.message, "byte 4, line 3"));
  o = conv("ab\n" GB_BIAOTI, 7, "utf-8", used, &rc, &err);
  ck_assert_int_eq(rc, JB_EUTF8);
  ck_assert_uint_eq(err.offset, 3);
  ck_assert_uint_eq(err.line, 2);
  o = conv("x", 1, "latin1", used, &rc, &err);
  ck_assert_int_eq(rc, JB_EINVAL);
  ck_assert_ptr_nonnull(strstr(err.message, "latin1"));
  ck_assert_str_eq(jb_charset_name("utf_8"), "UTF-8");
  ck_assert_str_eq(jb_charset_name("Gb-2312"), "GB2312");
  ck_assert_ptr_null(jb_charset_name("big5"));
}
END_TEST

/* the fields of the next record, '|'-joined, or "END" / "ERR" */
static const char *next(jb_csv_reader *r, char *buf, size_t cap, size_t *line) {
  size_t nf;
  char err[200];
  int rc = jb_csv_next(r, &nf, line, err, sizeof err);
  if (rc == 0)
    return "END";
  if (rc < 0)
    return snprintf(buf, cap, "ERR %s", err), buf;
  buf[0] = '\0';
  for (size_t i = 0; i < nf; i++) {
    if (i)
      strncat(buf, "|", cap - strlen(buf) - 1);
    strncat(buf, r->field[i], cap - strlen(buf) - 1);
  }
  return buf;
}

START_TEST(test_csv_read) {
  const char *in = "\xEF\xBB\xBF" "a,\"b,c\",\"d\"\"e\"\r\n\"multi\r\nline\",x\rlast,\n,\n\"\"";
  jb_csv_reader r;
  jb_csv_reader_init(&r, in, strlen(in));
  char b[256];
  size_t line;
  ck_assert_str_eq(next(&r, b, sizeof b, &line), "a|b,c|d\"e");
  ck_assert_uint_eq(line, 1);
  ck_assert_str_eq(next(&r, b, sizeof b, &line), "multi\r\nline|x");
  ck_assert_uint_eq(line, 2);
  ck_assert_str_eq(next(&r, b, sizeof b, &line), "last|");
  ck_assert_uint_eq(line, 4);
  ck_assert_str_eq(next(&r, b, sizeof b, &line), "|");
  ck_assert_uint_eq(line, 5);
  ck_assert_str_eq(next(&r, b, sizeof b, &line), "");
  ck_assert_int_eq(r.quoted[0], 1);
  ck_assert_str_eq(next(&r, b, sizeof b, &line), "END");
  jb_csv_reader_free(&r);
  const char *bad = "a\"b,c\nok,1\n\"x\"y\nok2\n\"open";
  jb_csv_reader_init(&r, bad, strlen(bad));
  ck_assert_str_eq(next(&r, b, sizeof b, &line), "ERR line 1: a '\"' inside unquoted column 1 (quote the field and double the '\"')");
  ck_assert_str_eq(next(&r, b, sizeof b, &line), "ok|1");
  ck_assert_uint_eq(line, 2);
  ck_assert_str_eq(next(&r, b, sizeof b, &line), "ERR line 3: text after the closing quote of column 1");
  ck_assert_str_eq(next(&r, b, sizeof b, &line), "ok2");
  ck_assert_uint_eq(line, 4);
  ck_assert_str_eq(next(&r, b, sizeof b, &line), "ERR line 5: a quoted field is not closed before the end");
  jb_csv_reader_free(&r);
}
END_TEST

START_TEST(test_csv_write) {
  jb_csv_out o = {0};
  jb_csv_field(&o, "plain", 5, 1, 1);
  jb_csv_field(&o, "a,b", 3, 0, 1);
  jb_csv_field(&o, "say \"hi\"", 8, 0, 1);
  jb_csv_field(&o, "=1+1", 4, 0, 1);
  jb_csv_field(&o, "'-x", 3, 0, 1);
  jb_csv_field(&o, "", 0, 0, 1);
  jb_csv_field(&o, NULL, 0, 0, 1);
  jb_csv_field(&o, "@x", 2, 0, 0);
  jb_csv_end_row(&o);
  ck_assert_str_eq(o.s, "plain,\"a,b\",\"say \"\"hi\"\"\",\"'=1+1\",\"''-x\",\"\",,@x\r\n");
  ck_assert_uint_eq(jb_csv_unneutralise("''-x", 4), 1);
  ck_assert_uint_eq(jb_csv_unneutralise("'x", 2), 0);
  ck_assert_int_eq(jb_csv_is_formula("\t1", 2), 1);
  ck_assert_int_eq(jb_csv_is_formula("1-2", 3), 0);
  jb_csv_out_free(&o);
  jb_csv_out_free(NULL);
}
END_TEST

static jb_sheet_map *map_of(const char *const *names, size_t n, int type, char *err, int *rc) {
  size_t lens[16];
  for (size_t i = 0; i < n; i++)
    lens[i] = strlen(names[i]);
  jb_sheet_map *m = NULL;
  *rc = jb_sheet_map_new(names, lens, n, type, &m, err, 300);
  return m;
}

static char *row_of(jb_sheet_map *m, const char *const *cells, size_t n, int *rc, char *err) {
  size_t lens[16];
  for (size_t i = 0; i < n; i++)
    lens[i] = strlen(cells[i]);
  char *json = NULL;
  int type = -1;
  *rc = jb_sheet_row(m, cells, lens, NULL, n, &json, &type, err, 300);
  return json;
}

START_TEST(test_sheet_rows) {
  char err[300];
  int rc;
  const char *h[] = {" 编号 ", "标题", "Keywords", "截止日期", "资助金额", "联合体成员上限"};
  jb_sheet_map *m = map_of(h, 6, JB_REC_CHALLENGE, err, &rc);
  ck_assert_int_eq(rc, JB_OK);
  const char *c1[] = {"c1", "'=x", "锂电池、检测；a, b", "2026年1月5日", "1.5亿", "3"};
  char *j = row_of(m, c1, 6, &rc, err);
  ck_assert_int_eq(rc, 1);
  ck_assert_str_eq(j, "{\"deadline\":\"2026-01-05\",\"eligibility\":{\"max_members\":3},\"funding\":"
                      "{\"amount\":150000000},\"id\":\"c1\",\"keywords\":[\"锂电池\",\"检测\",\"a\",\"b\"],"
                      "\"title\":\"=x\",\"type\":\"challenge\"}");
  free(j);
  const char *c2[] = {"c2", "t", "", "", "很多", ""};
  j = row_of(m, c2, 6, &rc, err);
  ck_assert_int_eq(rc, JB_EINVAL);
  ck_assert_str_eq(err, "column 资助金额: '很多' is not a number");
  const char *c4[] = {"c4", "a\xFF", "", "", "", ""}; /* never from converted text; still an error */
  ck_assert_ptr_null(row_of(m, c4, 6, &rc, err));
  ck_assert_int_eq(rc, JB_EINVAL);
  ck_assert_str_eq(err, "column 标题: invalid UTF-8 at byte 1 of the cell");
  const char *c3[] = {" ", "", "", "", "", ""};
  ck_assert_ptr_null(row_of(m, c3, 6, &rc, err));
  ck_assert_int_eq(rc, 0);
  ck_assert_str_eq(jb_sheet_column_of(m, JB_REC_CHALLENGE, "deadline: bad"), "截止日期");
  ck_assert_str_eq(jb_sheet_column_of(m, JB_REC_CHALLENGE, "funding.amount: bad"), "资助金额");
  ck_assert_ptr_null(jb_sheet_column_of(m, JB_REC_CHALLENGE, "org: x"));
  jb_sheet_map_free(m);
  /* header errors */
  const char *h2[] = {"编号", "价钱"};
  ck_assert_ptr_null(map_of(h2, 2, JB_REC_CHALLENGE, err, &rc));
  ck_assert_int_eq(rc, JB_EINVAL);
  ck_assert_ptr_nonnull(strstr(err, "column 2 '价钱': no such column for challenge"));
  const char *h3[] = {"id", "title", "标题"};
  ck_assert_ptr_null(map_of(h3, 3, JB_REC_OUTPUT, err, &rc));
  ck_assert_ptr_nonnull(strstr(err, "the same field"));
  const char *h4[] = {"id", "title"};
  ck_assert_ptr_null(map_of(h4, 2, -1, err, &rc));
  ck_assert_ptr_nonnull(strstr(err, "no type (类型) column"));
  /* a type column: each row its own type, a field only where the type has it */
  const char *h5[] = {"类型", "编号", "名称", "职称"};
  m = map_of(h5, 4, -1, err, &rc);
  ck_assert_int_eq(rc, JB_OK);
  const char *r1[] = {"机构", "o1", "某大学", ""};
  j = row_of(m, r1, 4, &rc, err);
  ck_assert_str_eq(j, "{\"id\":\"o1\",\"name\":\"某大学\",\"type\":\"org\"}");
  free(j);
  const char *r2[] = {"org", "o1", "x", "教授"};
  ck_assert_ptr_null(row_of(m, r2, 4, &rc, err));
  ck_assert_str_eq(err, "column 职称: not a field of org");
  const char *r3[] = {"thing", "o1", "x", ""};
  ck_assert_ptr_null(row_of(m, r3, 4, &rc, err));
  ck_assert_ptr_nonnull(strstr(err, "column 类型: 'thing' is not"));
  jb_sheet_map_free(m);
  jb_sheet_map_free(NULL);
}
END_TEST

START_TEST(test_sheet_cells) {
  json_t *rec = json_loads("{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"keywords\":[\"a, b\",\"c\"],"
                           "\"fields\":[\"ic\",\"ai\"],\"funding\":{\"amount\":5e6,\"currency\":\"CNY\"},"
                           "\"eligibility\":{\"regions\":[]}}", 0, NULL);
  ck_assert_ptr_nonnull(rec);
  size_t n, idx[64];
  const jb_sheet_col *cols = jb_sheet_columns(&n);
  size_t k = jb_sheet_type_columns(JB_REC_CHALLENGE, idx, 64);
  ck_assert_uint_gt(k, 10);
  const char *want[][2] = {{"keywords", "[\"a, b\",\"c\"]"}, {"fields", "ic; ai"},
                           {"funding.amount", "5000000.0"}, {"eligibility.regions", "[]"},
                           {"title", "t"}};
  for (size_t w = 0; w < sizeof want / sizeof want[0]; w++)
    for (size_t i = 0; i < k; i++)
      if (!strcmp(cols[idx[i]].field, want[w][0])) {
        char *t = NULL;
        ck_assert_int_eq(jb_sheet_cell(&cols[idx[i]], rec, &t), JB_OK);
        ck_assert_str_eq(t, want[w][1]);
        free(t);
      }
  char err[200];
  ck_assert_int_eq(jb_sheet_covered(JB_REC_CHALLENGE, rec, err, sizeof err), JB_OK);
  json_object_set_new(rec, "award", json_true());
  ck_assert_int_eq(jb_sheet_covered(JB_REC_CHALLENGE, rec, err, sizeof err), JB_EINVAL);
  ck_assert_str_eq(err, "award: no spreadsheet column holds it");
  json_decref(rec);
  char h[64];
  ck_assert_str_eq(jb_sheet_header(&cols[0], 0, h, sizeof h), "类型");
  char *md = jb_sheet_columns_markdown();
  ck_assert_ptr_nonnull(strstr(md, "| deadline |  |  |  | ✓ | date | 截止日期, 截止时间 |"));
  free(md);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sheets");
  TCase *tc = tcase_create("all");
  tcase_add_test(tc, test_charset);
  tcase_add_test(tc, test_csv_read);
  tcase_add_test(tc, test_csv_write);
  tcase_add_test(tc, test_sheet_rows);
  tcase_add_test(tc, test_sheet_cells);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
