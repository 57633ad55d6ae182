/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sheet.c: the column table, rows to records and records to cells
 * (engine/sheet.h; docs/records.md, "Spreadsheets"). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/jb_csv.h"
#include "engine/record.h"
#include "engine/sheet.h"
#include "locale/jb_locale.h"

#define O (1u << JB_REC_ORG)
#define E (1u << JB_REC_EXPERT)
#define P (1u << JB_REC_OUTPUT)
#define C (1u << JB_REC_CHALLENGE)

/* THE table: export order; a field's names per type (a name is unique
 * within a type). English names after the Chinese ones; the field path is
 * always a name too. */
static const jb_sheet_col COLS[] = {
    {O | E | P | C, "type", "类型", JB_COL_LINE},
    {O | E | P | C, "id", "编号|ID", JB_COL_LINE},
    {O, "name", "名称|机构名称|单位名称", JB_COL_LINE},
    {E, "name", "姓名|专家姓名", JB_COL_LINE},
    {P | C, "title", "标题|成果名称|需求名称|榜单名称|题目", JB_COL_LINE},
    {E, "title", "职称|头衔", JB_COL_LINE},
    {O, "kind", "机构类型|类别", JB_COL_LINE},
    {P, "kind", "成果类型|类别", JB_COL_LINE},
    {C, "status", "状态", JB_COL_LINE},
    {E | P | C, "org", "机构|所属机构|发榜单位|机构编号", JB_COL_LINE},
    {O | C, "region", "地区|行政区划代码|地区代码", JB_COL_LINE},
    {O | E | P | C, "fields", "领域|技术领域", JB_COL_LIST},
    {E | P | C, "keywords", "关键词|关键字", JB_COL_LIST},
    {P, "experts", "专家|完成人", JB_COL_LIST},
    {C, "problem", "技术难题|难题|问题", JB_COL_TEXT},
    {O | C, "description", "描述|详情|需求描述|机构简介", JB_COL_TEXT},
    {E, "bio", "简介|个人简介", JB_COL_TEXT},
    {P, "abstract", "摘要", JB_COL_TEXT},
    {O, "credentials", "资质|资质认证", JB_COL_LIST},
    {O, "website", "网站|网址", JB_COL_LINE},
    {E, "outputs_count", "成果数|成果数量", JB_COL_INT},
    {E, "active_year", "活跃年份", JB_COL_INT},
    {P, "trl", "技术成熟度|TRL", JB_COL_INT},
    {P, "year", "年份", JB_COL_INT},
    {P, "price.amount", "价格|转让价格|price", JB_COL_NUM},
    {P, "price.currency", "价格币种|币种", JB_COL_LINE},
    {P, "ip.number", "专利号|知识产权编号", JB_COL_LINE},
    {P, "ip.status", "知识产权状态|专利状态", JB_COL_LINE},
    {P, "ip.licensing", "许可条件", JB_COL_TEXT},
    {C, "trl_now", "当前技术成熟度|当前TRL", JB_COL_INT},
    {C, "trl_target", "目标技术成熟度|目标TRL", JB_COL_INT},
    {C, "funding.amount", "资助金额|金额|榜额|funding", JB_COL_NUM},
    {C, "funding.currency", "资助币种|币种", JB_COL_LINE},
    {C, "deadline", "截止日期|截止时间", JB_COL_DATE},
    {C, "eligibility.org_kinds", "申报机构类型", JB_COL_LIST},
    {C, "eligibility.max_members", "联合体成员上限", JB_COL_INT},
    {C, "eligibility.regions", "申报地区", JB_COL_LIST},
    {C, "ip_terms", "知识产权约定", JB_COL_TEXT},
    {C, "indicators", "技术指标|指标", JB_COL_JSON},
    {C, "confidential", "保密信息", JB_COL_JSON},
    {P | C, "lang", "语言", JB_COL_LINE},
};
#define NCOLS (sizeof COLS / sizeof COLS[0])

/* the type column's Chinese values */
static const struct {
  const char *zh;
  int type;
} TYPE_ZH[] = {{"机构", JB_REC_ORG}, {"专家", JB_REC_EXPERT}, {"成果", JB_REC_OUTPUT},
               {"榜单", JB_REC_CHALLENGE}, {"需求", JB_REC_CHALLENGE}};

const jb_sheet_col *jb_sheet_columns(size_t *n) {
  *n = NCOLS;
  return COLS;
}

static const char *KIND_DOC[] = {"line", "text", "list", "integer", "number", "date", "JSON"};

char *jb_sheet_columns_markdown(void) {
  jb_csv_out o = {0};
  jb_csv_raw(&o, "| field | org | expert | output | challenge | cell | header names |\n", 68);
  jb_csv_raw(&o, "| --- | --- | --- | --- | --- | --- | --- |\n", 44);
  for (size_t i = 0; i < NCOLS; i++) {
    char line[512];
    char names[256];
    snprintf(names, sizeof names, "%s", COLS[i].names);
    for (char *p = names; (p = strchr(p, '|')); p++)
      *p = ',';
    /* the same field may be two rows (org name, expert name) */
    snprintf(line, sizeof line, "| %s | %s | %s | %s | %s | %s | %s |\n", COLS[i].field,
             COLS[i].types & O ? "✓" : "", COLS[i].types & E ? "✓" : "",
             COLS[i].types & P ? "✓" : "", COLS[i].types & C ? "✓" : "", KIND_DOC[COLS[i].kind],
             names);
    /* "a,b" reads better as "a, b" */
    char out[640];
    size_t k = 0;
    for (const char *p = line; *p && k + 2 < sizeof out; p++) {
      out[k++] = *p;
      if (*p == ',' && p > line)
        out[k++] = ' ';
    }
    out[k] = '\0';
    jb_csv_raw(&o, out, k);
  }
  if (o.failed) {
    jb_csv_out_free(&o);
    return NULL;
  }
  return o.s;
}

const char *jb_sheet_header(const jb_sheet_col *c, int en, char *buf, size_t cap) {
  if (en) {
    snprintf(buf, cap, "%s", c->field);
  } else {
    const char *bar = strchr(c->names, '|');
    snprintf(buf, cap, "%.*s", bar ? (int)(bar - c->names) : (int)strlen(c->names), c->names);
  }
  return buf;
}

size_t jb_sheet_type_columns(int t, size_t *idx, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < NCOLS; i++)
    if ((COLS[i].types & (1u << t)) && n < cap)
      idx[n++] = i;
  return n;
}

/* ---- the header row ------------------------------------------------------------------- */

struct jb_sheet_map {
  size_t n;
  int type;                  /* -1: the type column says */
  int type_col;              /* the cell index of the type column, -1 */
  char **header;             /* the names as written (trimmed) */
  int (*col)[JB_REC_NTYPES]; /* per cell, per type: index in COLS or -1 */
};

static void trim(const char **s, size_t *len) {
  while (*len && isspace((unsigned char)(*s)[0]))
    (*s)++, (*len)--;
  while (*len && isspace((unsigned char)(*s)[*len - 1]))
    (*len)--;
  /* a full-width space (U+3000) too */
  while (*len >= 3 && !memcmp(*s, "\xE3\x80\x80", 3))
    *s += 3, *len -= 3;
  while (*len >= 3 && !memcmp(*s + *len - 3, "\xE3\x80\x80", 3))
    *len -= 3;
}

/* 1 when name[0..len) is one of c's names or its field (ASCII case ignored) */
static int names_match(const jb_sheet_col *c, const char *name, size_t len) {
  if (strlen(c->field) == len && !strncasecmp(c->field, name, len))
    return 1;
  const char *p = c->names;
  while (*p) {
    const char *bar = strchr(p, '|');
    size_t n = bar ? (size_t)(bar - p) : strlen(p);
    if (n == len && !strncasecmp(p, name, len))
      return 1;
    if (!bar)
      break;
    p = bar + 1;
  }
  return 0;
}

void jb_sheet_map_free(jb_sheet_map *m) {
  if (!m)
    return;
  for (size_t i = 0; m->header && i < m->n; i++)
    free(m->header[i]);
  free(m->header);
  free(m->col);
  free(m);
}

int jb_sheet_map_new(const char *const *names, const size_t *lens, size_t n, int type,
                     jb_sheet_map **out, char *err, size_t errlen) {
  *out = NULL;
  jb_sheet_map *m = calloc(1, sizeof *m);
  if (!m || !(m->header = calloc(n ? n : 1, sizeof *m->header)) ||
      !(m->col = calloc(n ? n : 1, sizeof *m->col))) {
    jb_sheet_map_free(m);
    return JB_ENOMEM;
  }
  m->n = n;
  m->type = type;
  m->type_col = -1;
  int has_id = 0;
  for (size_t i = 0; i < n; i++) {
    const char *s = names[i];
    size_t len = lens[i];
    trim(&s, &len);
    if (!(m->header[i] = strndup(s, len))) {
      jb_sheet_map_free(m);
      return JB_ENOMEM;
    }
    if (!len) {
      snprintf(err, errlen, "column %zu: the header is empty", i + 1);
      jb_sheet_map_free(m);
      return JB_EINVAL;
    }
    int any = 0;
    for (int t = 0; t < JB_REC_NTYPES; t++) {
      m->col[i][t] = -1;
      for (size_t k = 0; k < NCOLS; k++)
        if ((COLS[k].types & (1u << t)) && names_match(&COLS[k], s, len)) {
          m->col[i][t] = (int)k;
          any = 1;
          break;
        }
    }
    /* type and id are the table's first two, columns of every type */
    if (m->col[i][0] == 0)
      m->type_col = (int)i;
    if (m->col[i][0] == 1)
      has_id = 1;
    if (!any || (type >= 0 && m->col[i][type] < 0)) {
      snprintf(err, errlen,
               "column %zu '%s': no such column%s%s (docs/records.md, \"Spreadsheets\", lists "
               "them)",
               i + 1, m->header[i], type >= 0 ? " for " : "",
               type >= 0 ? jb_rec_type_name(type) : "");
      jb_sheet_map_free(m);
      return JB_EINVAL;
    }
    for (size_t j = 0; j < i; j++)
      for (int t = 0; t < JB_REC_NTYPES; t++)
        if (m->col[j][t] >= 0 && m->col[j][t] == m->col[i][t] &&
            (type < 0 || t == type)) {
          snprintf(err, errlen, "column %zu '%s': the same field as column %zu '%s' (%s)", i + 1,
                   m->header[i], j + 1, m->header[j], COLS[m->col[i][t]].field);
          jb_sheet_map_free(m);
          return JB_EINVAL;
        }
  }
  if (!has_id || (type < 0 && m->type_col < 0)) {
    snprintf(err, errlen, "the header row has no %s column%s", !has_id ? "id (编号)" : "type (类型)",
             !has_id ? "" : ": name the record type (--type, ?type=) or add one");
    jb_sheet_map_free(m);
    return JB_EINVAL;
  }
  *out = m;
  return JB_OK;
}

const char *jb_sheet_column_of(const jb_sheet_map *m, int type, const char *msg) {
  if (!m || type < 0 || type >= JB_REC_NTYPES || !msg)
    return NULL;
  size_t n = strcspn(msg, ":[");
  char f[96];
  snprintf(f, sizeof f, "%.*s", (int)n, msg);
  /* "funding.amount" names its column; "confidential.x" the column of "confidential" */
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < m->n; i++) {
      int k = m->col[i][type];
      if (k >= 0 && !strcmp(COLS[k].field, f))
        return m->header[i];
    }
    char *dot = strrchr(f, '.');
    if (!dot)
      break;
    *dot = '\0';
  }
  return NULL;
}

/* ---- a row to a record ------------------------------------------------------------------ */

/* the object of the field's first part ("funding" of "funding.amount"),
 * made when absent; *leaf the last part */
static json_t *parent_of(json_t *rec, const char *field, char *leaf, size_t cap) {
  const char *dot = strchr(field, '.');
  if (!dot) {
    snprintf(leaf, cap, "%s", field);
    return rec;
  }
  char head[64];
  snprintf(head, sizeof head, "%.*s", (int)(dot - field), field);
  snprintf(leaf, cap, "%s", dot + 1);
  json_t *o = json_object_get(rec, head);
  if (!o) {
    o = json_object();
    if (!o || json_object_set_new(rec, head, o))
      return NULL;
  }
  return o;
}

static int is_sep(const char *s, size_t len, size_t i, size_t *n) {
  if (s[i] == ',' || s[i] == ';')
    return *n = 1, 1;
  /* 、 U+3001, ； U+FF1B, ， U+FF0C */
  if (i + 3 <= len && (!memcmp(s + i, "\xE3\x80\x81", 3) || !memcmp(s + i, "\xEF\xBC\x9B", 3) ||
                       !memcmp(s + i, "\xEF\xBC\x8C", 3)))
    return *n = 3, 1;
  return 0;
}

static json_t *list_of(const char *s, size_t len, int *bad) {
  *bad = 0;
  if (len && s[0] == '[') {
    json_error_t je;
    json_t *a = json_loadb(s, len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_array(a)) {
      json_decref(a);
      *bad = 1;
      return NULL;
    }
    return a;
  }
  json_t *a = json_array();
  size_t from = 0, n = 0;
  for (size_t i = 0; a && i <= len; i++) {
    if (i < len && !is_sep(s, len, i, &n))
      continue;
    const char *p = s + from;
    size_t l = i - from;
    trim(&p, &l);
    if (l && json_array_append_new(a, json_stringn(p, l))) {
      json_decref(a);
      return NULL;
    }
    if (i < len) {
      i += n - 1;
      from = i + 1;
    }
  }
  return a;
}

/* a number, with 万 or 亿 after it */
static json_t *number_of(const char *s, size_t len, int integer) {
  char buf[64];
  if (!len || len >= sizeof buf)
    return NULL;
  memcpy(buf, s, len);
  buf[len] = '\0';
  double mul = 1;
  size_t l = len;
  if (l > 3 && !strcmp(buf + l - 3, "万"))
    mul = 1e4, buf[l -= 3] = '\0';
  else if (l > 3 && !strcmp(buf + l - 3, "亿"))
    mul = 1e8, buf[l -= 3] = '\0';
  char *end;
  errno = 0;
  int digits = 1;
  for (size_t i = buf[0] == '-' ? 1 : 0; i < l; i++)
    digits = digits && isdigit((unsigned char)buf[i]);
  if (digits && l && !(l == 1 && buf[0] == '-')) {
    long long v = strtoll(buf, &end, 10);
    if (errno || *end)
      return NULL;
    if (mul == 1)
      return json_integer(v);
    double d = (double)v * mul;
    if (fabs(d) < 9e15)
      return json_integer((long long)d);
    return integer ? NULL : json_real(d);
  }
  if (integer)
    return NULL;
  double d = strtod(buf, &end);
  if (errno || *end || end == buf || !isfinite(d))
    return NULL;
  d *= mul;
  /* 1.5亿 is a whole number of yuan, as 500万 is */
  if (mul != 1 && d == floor(d) && fabs(d) < 9e15)
    return json_integer((long long)d);
  return json_real(d);
}

/* YYYY/M/D, YYYY.M.D, YYYY年M月D日 → YYYY-MM-DD; anything else as written */
static json_t *date_of(const char *s, size_t len) {
  char buf[64];
  if (len >= sizeof buf)
    return json_stringn(s, len);
  memcpy(buf, s, len);
  buf[len] = '\0';
  int y, m, d, used = 0;
  if ((sscanf(buf, "%4d/%2d/%2d%n", &y, &m, &d, &used) == 3 && (size_t)used == len) ||
      (sscanf(buf, "%4d.%2d.%2d%n", &y, &m, &d, &used) == 3 && (size_t)used == len) ||
      (sscanf(buf, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && (size_t)used == len) ||
      (sscanf(buf, "%4d年%2d月%2d日%n", &y, &m, &d, &used) == 3 && (size_t)used == len)) {
    if (y >= 0 && y <= 9999 && m >= 0 && m <= 99 && d >= 0 && d <= 99) {
      char out[16];
      snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
      return json_string(out);
    }
  }
  return json_stringn(s, len);
}

static int type_of(const char *s, size_t len) {
  for (int t = 0; t < JB_REC_NTYPES; t++)
    if (strlen(jb_rec_type_name(t)) == len && !strncasecmp(jb_rec_type_name(t), s, len))
      return t;
  for (size_t i = 0; i < sizeof TYPE_ZH / sizeof TYPE_ZH[0]; i++)
    if (strlen(TYPE_ZH[i].zh) == len && !memcmp(TYPE_ZH[i].zh, s, len))
      return TYPE_ZH[i].type;
  return -1;
}

int jb_sheet_row(const jb_sheet_map *m, const char *const *cells, const size_t *lens,
                 const unsigned char *quoted, size_t n, char **json, int *type, char *err,
                 size_t errlen) {
  *json = NULL;
  int empty = 1;
  for (size_t i = 0; i < n && empty; i++) {
    const char *s = cells[i];
    size_t l = lens[i];
    trim(&s, &l);
    empty = !l && !(quoted && quoted[i]);
  }
  if (empty)
    return 0;
  if (n > m->n) {
    snprintf(err, errlen, "column %zu: the row has %zu cells, the header %zu", m->n + 1, n, m->n);
    return JB_EINVAL;
  }
  int t = m->type;
  if (m->type_col >= 0 && (size_t)m->type_col < n) {
    const char *s = cells[m->type_col];
    size_t l = lens[m->type_col];
    trim(&s, &l);
    int rt = type_of(s, l);
    if (rt < 0 || (t >= 0 && rt != t)) {
      snprintf(err, errlen, "column %s: '%.*s' is not %s", m->header[m->type_col],
               (int)(l > 60 ? 60 : l), s,
               t >= 0 ? jb_rec_type_name(t) : "org, expert, output or challenge");
      jb_utf8_clip(err);
      return JB_EINVAL;
    }
    t = rt;
  }
  if (t < 0) {
    snprintf(err, errlen, "column %s: empty: the row has no record type",
             m->type_col >= 0 ? m->header[m->type_col] : "类型");
    return JB_EINVAL;
  }
  *type = t;
  json_t *rec = json_object();
  if (!rec)
    return JB_ENOMEM;
  json_object_set_new(rec, "type", json_string(jb_rec_type_name(t)));
  for (size_t i = 0; i < n; i++) {
    int k = m->col[i][t];
    const char *s = cells[i];
    size_t l = lens[i];
    s += jb_csv_unneutralise(s, l);
    l -= (size_t)(s - cells[i]);
    if ((int)i == m->type_col)
      continue;
    const jb_sheet_col *c = k >= 0 ? &COLS[k] : NULL;
    const char *ts = s;
    size_t tl = l;
    trim(&ts, &tl);
    if (!c) {
      if (tl) {
        snprintf(err, errlen, "column %s: not a field of %s", m->header[i], jb_rec_type_name(t));
        json_decref(rec);
        return JB_EINVAL;
      }
      continue;
    }
    int q = quoted && quoted[i];
    if (!l && !(q && (c->kind == JB_COL_LINE || c->kind == JB_COL_TEXT)))
      continue; /* absent */
    size_t badat = 0;
    if (jb_utf8_validate(s, l, &badat) != JB_UTF8_OK) { /* text read as UTF-8 never has it */
      snprintf(err, errlen, "column %s: invalid UTF-8 at byte %zu of the cell", m->header[i], badat);
      jb_utf8_clip(err);
      json_decref(rec);
      return JB_EINVAL;
    }
    json_t *v = NULL;
    int bad = 0;
    const char *why = NULL;
    switch (c->kind) {
    case JB_COL_LINE:
    case JB_COL_TEXT: v = json_stringn(s, l); break;
    case JB_COL_LIST:
      v = list_of(ts, tl, &bad);
      why = "not a list (items split on 、 ; , or ；, or a JSON array)";
      break;
    case JB_COL_INT:
      if (!tl)
        continue;
      v = number_of(ts, tl, 1);
      bad = !v;
      why = "not a whole number";
      break;
    case JB_COL_NUM:
      if (!tl)
        continue;
      v = number_of(ts, tl, 0);
      bad = !v;
      why = "not a number";
      break;
    case JB_COL_DATE:
      if (!tl)
        continue;
      v = date_of(ts, tl);
      break;
    case JB_COL_JSON: {
      if (!tl)
        continue;
      json_error_t je;
      v = json_loadb(ts, tl, JSON_REJECT_DUPLICATES, &je);
      bad = !v;
      why = "not JSON";
      break;
    }
    }
    if (bad) {
      snprintf(err, errlen, "column %s: '%.*s%s' is %s", m->header[i], (int)(tl > 60 ? 60 : tl),
               ts, tl > 60 ? "…" : "", why);
      jb_utf8_clip(err);
      json_decref(rec);
      return JB_EINVAL;
    }
    char leaf[64];
    json_t *parent = v ? parent_of(rec, c->field, leaf, sizeof leaf) : NULL;
    if (!v || !parent || json_object_set_new(parent, leaf, v)) {
      if (!parent)
        json_decref(v);
      json_decref(rec);
      return JB_ENOMEM;
    }
  }
  *json = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(rec);
  return *json ? 1 : JB_ENOMEM;
}

/* ---- a record to cells ------------------------------------------------------------------ */

static const json_t *value_of(const json_t *rec, const char *field) {
  const char *dot = strchr(field, '.');
  if (!dot)
    return json_object_get(rec, field);
  char head[64];
  snprintf(head, sizeof head, "%.*s", (int)(dot - field), field);
  return json_object_get(json_object_get(rec, head), dot + 1);
}

/* whether a list must be written as JSON to read back the same */
static int list_needs_json(const json_t *a) {
  if (!json_array_size(a))
    return 1;
  size_t i;
  const json_t *v;
  json_array_foreach(a, i, v) {
    if (!json_is_string(v))
      return 1;
    const char *s = json_string_value(v);
    size_t len = json_string_length(v), n, l = len;
    const char *p = s;
    trim(&p, &l);
    if (!len || l != len || (i == 0 && s[0] == '['))
      return 1;
    for (size_t k = 0; k < len; k++)
      if (is_sep(s, len, k, &n) || s[k] == '\n' || s[k] == '\r')
        return 1;
    /* a leading "'" before a formula character would be taken away on import */
    if (jb_csv_unneutralise(s, len))
      return 1;
  }
  return 0;
}

int jb_sheet_cell(const jb_sheet_col *c, const json_t *rec, char **text) {
  *text = NULL;
  const json_t *v = value_of(rec, c->field);
  if (!v)
    return JB_OK;
  if (json_is_string(v) && c->kind != JB_COL_JSON) {
    *text = strndup(json_string_value(v), json_string_length(v));
  } else if (c->kind == JB_COL_LIST && json_is_array(v) && !list_needs_json(v)) {
    jb_csv_out o = {0};
    size_t i;
    const json_t *x;
    json_array_foreach(v, i, x) {
      if (i)
        jb_csv_raw(&o, "; ", 2);
      jb_csv_raw(&o, json_string_value(x), json_string_length(x));
    }
    if (o.failed) {
      jb_csv_out_free(&o);
      return JB_ENOMEM;
    }
    *text = o.s;
  } else {
    *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
  }
  return *text ? JB_OK : JB_ENOMEM;
}

int jb_sheet_covered(int t, const json_t *rec, char *err, size_t errlen) {
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)rec, k, v) {
    int whole = 0, subs = 0;
    size_t kl = strlen(k);
    for (size_t i = 0; i < NCOLS; i++) {
      if (!(COLS[i].types & (1u << t)))
        continue;
      if (!strcmp(COLS[i].field, k))
        whole = 1;
      else if (!strncmp(COLS[i].field, k, kl) && COLS[i].field[kl] == '.')
        subs = 1;
    }
    if (whole)
      continue;
    if (subs && json_is_object(v)) {
      const char *sk;
      const json_t *sv;
      json_object_foreach((json_t *)v, sk, sv) {
        char f[160];
        snprintf(f, sizeof f, "%s.%s", k, sk);
        int found = 0;
        for (size_t i = 0; i < NCOLS && !found; i++)
          found = (COLS[i].types & (1u << t)) && !strcmp(COLS[i].field, f);
        if (!found) {
          snprintf(err, errlen, "%s: no spreadsheet column holds it", f);
          return JB_EINVAL;
        }
      }
      continue;
    }
    snprintf(err, errlen, "%s: no spreadsheet column holds it", k);
    return JB_EINVAL;
  }
  return JB_OK;
}
