/* SPDX-License-Identifier: GPL-3.0-or-later */
/* h_sheets.c: spreadsheets over HTTP (docs/api.md, "Spreadsheets").
 *
 * Out: a route whose parameters include `format` (routes.def: the record
 * lists, matches, applications, the ranking, milestones) answers CSV or
 * .xlsx for ?format=csv|xlsx or an Accept of text/csv or the .xlsx media
 * type. The handler runs as for JSON — the same visibility, redaction and
 * paging — and its JSON answer is what becomes the sheet, so a role sees
 * in a sheet exactly what it sees in JSON. Errors stay problem+json.
 *
 * In: POST /v1/import (admin) takes NDJSON (application/x-ndjson or
 * application/json) or CSV (text/csv, its charset parameter naming the
 * encoding, else detected) within limits.body_bytes, and answers the
 * import's report as `jiebang import` gives it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "api/handlers.h"
#include "api/import.h"
#include "api/request.h"
#include "api/server_state.h"
#include "api/table.h"
#include "engine/record.h"
#include "locale/jb_charset.h"
#include "locale/jb_locale.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

int jb__sheet_want(jb_call *c) {
  const char *f = jb_qs_get(&c->qs, "format");
  if (f) {
    if (!strcmp(f, "json"))
      return 0;
    if (!strcmp(f, "csv"))
      return 1;
    if (!strcmp(f, "xlsx"))
      return 2;
    JB_FAILM(c, 400, BAD_FORMAT);
    return -1;
  }
  const char *a = c->accept;
  if (a && strstr(a, "text/csv"))
    return 1;
  if (a && strstr(a, XLSX_TYPE))
    return 2;
  return 0;
}

/* the list in a JSON answer: the answer itself, its "items", or its first
 * member that is a list (matches, ranking, tranches); NULL for none */
static json_t *list_of(json_t *ans, json_t **one) {
  *one = NULL;
  if (json_is_array(ans))
    return ans;
  json_t *it = json_object_get(ans, "items");
  if (json_is_array(it))
    return it;
  const char *k;
  json_t *v;
  json_object_foreach(ans, k, v) if (json_is_array(v)) return v;
  *one = ans; /* one object: one row */
  return NULL;
}

/* an ASCII file name part from id ("" when it has other characters) */
static void safe_part(const char *id, char *out, size_t cap) {
  size_t n = 0;
  for (const char *p = id; *p && n + 1 < cap; p++) {
    char ch = *p;
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '-' || ch == '_')) {
      n = 0;
      break;
    }
    out[n++] = ch;
  }
  out[n] = '\0';
}

void jb__sheet_answer(jb_server *s, jb_call *c, int want) {
  (void)s;
  if (c->status != 200 || !c->resp || want <= 0)
    return;
  json_t *ans = json_loads(c->resp, 0, NULL);
  if (!ans) {
    free(c->resp); /* jb__answer and jb__fail set a new one */
    c->resp = NULL;
    JB_FAILM(c, 500, SHEET_FAILED);
    return;
  }
  const char *next = json_string_value(json_object_get(ans, "next_cursor"));
  /* a name for the sheet and the file: the route's last literal segment */
  const char *pat = jb__routes[c->route].pattern, *last = strrchr(pat, '/');
  char name[32];
  snprintf(name, sizeof name, "%s", last && last[1] != '{' ? last + 1 : "items");
  jb_table t;
  jb__table_init(&t, name);
  json_t *one;
  json_t *items = list_of(ans, &one);
  int rc = JB_OK;
  int records = c->type >= 0 && jb__routes[c->route].handler == jb__h_list_records;
  if (records) { /* a record list: the column table, as import reads it */
    rc = jb__table_records(&t, c->type, c->lang != JB_LANG_ZH);
    size_t i;
    json_t *rec;
    char err[256];
    json_array_foreach(items, i, rec) {
      if (rc != JB_OK)
        break;
      rc = jb__table_add_record(&t, rec, err, sizeof err);
    }
    if (rc == JB_EINVAL) { /* a field without a column: every key a column */
      jb__table_free(&t);
      jb__table_init(&t, name);
      rc = JB_OK;
      records = 0;
    }
  }
  if (!records && rc == JB_OK) {
    json_t *rows = items ? json_incref(items) : json_pack("[O]", one);
    rc = rows ? jb__table_json(&t, rows) : JB_ENOMEM;
    json_decref(rows);
  }
  char part[80] = "", fname[160];
  safe_part(c->id, part, sizeof part);
  snprintf(fname, sizeof fname, "%s%s%s.%s", part, part[0] ? "-" : "", name,
           want == 2 ? "xlsx" : "csv");
  if (rc == JB_OK && want == 1) {
    jb_csv_out o = {0};
    rc = jb__table_csv(&t, 1, &o);
    if (rc == JB_OK) {
      free(c->resp);
      c->resp = o.s;
      c->resp_len = o.len;
      c->resp_type = "text/csv; charset=utf-8";
    } else {
      jb_csv_out_free(&o);
    }
  } else if (rc == JB_OK) {
    char *out = NULL, err[300];
    size_t len = 0;
    const jb_table *tabs[1] = {&t};
    rc = jb__table_xlsx_mem(tabs, 1, &out, &len, err, sizeof err);
    if (rc == JB_OK) {
      free(c->resp);
      c->resp = out;
      c->resp_len = len;
      c->resp_type = XLSX_TYPE;
    } else if (rc == JB_ETOOBIG) {
      jb__table_free(&t);
      json_decref(ans);
      free(c->resp);
      c->resp = NULL;
      JB_FAILM(c, 400, XLSX_CELL, err);
      return;
    }
  }
  jb__table_free(&t);
  if (rc != JB_OK) {
    json_decref(ans);
    free(c->resp);
    c->resp = NULL;
    JB_FAILM(c, rc == JB_ENOMEM ? 503 : 500, SHEET_FAILED);
    return;
  }
  snprintf(c->disposition, sizeof c->disposition, "attachment; filename=\"%s\"", fname);
  if (next)
    snprintf(c->next_cursor, sizeof c->next_cursor, "%s", next);
  json_decref(ans);
}

/* ---- POST /v1/import ------------------------------------------------------------------------ */

struct bad_acc {
  json_t *errors;
  unsigned long n;
};

#define IMPORT_ERRORS_MAX 1000

static void on_bad(void *ctx, unsigned long where, const char *msg) {
  struct bad_acc *a = ctx;
  if (a->n++ < IMPORT_ERRORS_MAX)
    json_array_append_new(a->errors, json_pack("{s:I,s:s}", "line", (json_int_t)where, "message",
                                               msg));
}

void jb__h_import(jb_server *s, jb_call *c, jb_engine *e, const jb_key_info *k) {
  (void)e;
  const char *ct = c->content_type ? c->content_type : "";
  int csv = !strncasecmp(ct, "text/csv", 8);
  const char *type = jb_qs_get(&c->qs, "type"), *enc = jb_qs_get(&c->qs, "encoding");
  int dry = 0;
  if (!jb__bool_param(c, "dry_run", &dry))
    return;
  /* text/csv; charset=gb18030 names the encoding as ?encoding= does */
  char cs[32] = "";
  const char *p = NULL;
  for (const char *q = ct; csv && *q && !p; q++)
    if (!strncasecmp(q, "charset=", 8))
      p = q;
  if (p) {
    p += 8;
    size_t n = strcspn(p, "; \"");
    if (*p == '"')
      p++, n = strcspn(p, "\"");
    snprintf(cs, sizeof cs, "%.*s", (int)(n < sizeof cs ? n : sizeof cs - 1), p);
    if (!enc)
      enc = cs;
  }
  if (enc && !jb_charset_name(enc)) {
    char e40[48];
    snprintf(e40, sizeof e40, "%.40s", enc);
    jb_utf8_clip(e40);
    JB_FAILM(c, 400, IMPORT_ENCODING, e40);
    return;
  }
  int rtype = type ? jb_rec_type_of(type) : -1;
  if (type && rtype < 0) {
    JB_FAILM(c, 400, IMPORT_TYPE);
    return;
  }
  if (!csv && (type || enc)) {
    JB_FAILM(c, 400, IMPORT_CSV_ONLY, type ? "type" : "encoding");
    return;
  }
  if (!c->body || !c->body_len) {
    JB_FAILM(c, 400, IMPORT_EMPTY);
    return;
  }
  jb_import_src *src = NULL;
  FILE *mem = NULL;
  char err[1400];
  int rc;
  if (csv) {
    rc = jb__src_csv(c->body, c->body_len, enc, rtype, "body", &src, err, sizeof err);
  } else {
    mem = fmemopen((void *)c->body, c->body_len, "r");
    rc = mem ? jb__src_jsonl(mem, "body", &src) : JB_ENOMEM;
    if (rc != JB_OK)
      snprintf(err, sizeof err, "out of memory");
  }
  if (rc != JB_OK) {
    if (mem)
      fclose(mem);
    if (rc == JB_ENOMEM)
      JB_FAILM(c, 503, NO_MEMORY);
    else
      JB_FAILM(c, 400, IMPORT_CANNOT, err);
    return;
  }
  struct bad_acc acc = {json_array(), 0};
  jb_import_opts o = {500, dry, on_bad, NULL, NULL, &acc,
                      c->lang == JB_LANG_ZH ? JB_EMSG_ZH : JB_EMSG_EN};
  jb_import_report r;
  jb_engine *w = jb__srv_writer_lock(s);
  int64_t before = 0, last = 0;
  jb_engine_seq(w, &before, NULL, NULL);
  jb__import_run(w, src, &o, &r);
  jb_engine_seq(w, &last, NULL, NULL);
  if (!dry && r.changed) {
    char detail[200];
    snprintf(detail, sizeof detail, "%s import: %lu records changed, %lu unchanged, %lu bad",
             csv ? "CSV" : "NDJSON", r.changed, r.same, r.bad);
    int arc = jb_engine_audit(w, k->id, "import", csv ? "csv" : "ndjson", "-", NULL, NULL, detail);
    if (arc != JB_OK)
      jb__log_event(c, "audit_failed", jb_errname(arc), jb_engine_error(w));
  }
  jb__srv_writer_unlock(s);
  if (last > before)
    c->wrote = last;
  char used[16];
  snprintf(used, sizeof used, "%s", jb__src_encoding(src));
  jb__src_free(src);
  if (mem)
    fclose(mem);
  json_t *ans = json_pack("{s:s,s:I,s:I,s:I,s:I,s:b,s:o}", "format", csv ? "csv" : "ndjson",
                          "imported", (json_int_t)(r.changed + r.same), "changed",
                          (json_int_t)r.changed, "unchanged", (json_int_t)r.same, "bad",
                          (json_int_t)r.bad, "dry_run", dry, "errors", acc.errors);
  if (ans && csv)
    json_object_set_new(ans, "encoding", json_string(used));
  if (ans && r.stopped)
    json_object_set_new(ans, "stopped", json_string(r.error));
  if (ans && acc.n > IMPORT_ERRORS_MAX)
    json_object_set_new(ans, "errors_truncated", json_true());
  if (r.stopped && !r.changed && !r.same) {
    json_decref(ans);
    jb__log_event(c, "import_failed", NULL, r.error);
    JB_FAILM(c, 503, IMPORT_STOPPED, r.error);
    return;
  }
  jb__answer(c, 200, ans);
}
