/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_sheets.c: `jiebang export --format csv|xlsx`: records of a type, or
 * a challenge's matches, applications, review scores and ranking, or
 * milestones, as CSV (UTF-8 with a BOM by default) or .xlsx (api/table.h).
 * The command line is the operator's: it sees every field. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/cli.h"
#include "api/table.h"
#include "engine/jiebang.h"
#include "engine/record.h"

struct rec_acc {
  jb_table *t[4];
  int type; /* -1: one table per type (xlsx) or one for all (CSV) */
  int split;
  char err[600];
};

static int add_one(void *ctx, const char *json) {
  struct rec_acc *a = ctx;
  json_t *rec = json_loads(json, JSON_REJECT_DUPLICATES, NULL);
  if (!rec)
    return JB_EINTERNAL;
  int type = jb_rec_type_of(json_string_value(json_object_get(rec, "type")));
  jb_table *t = a->split && type >= 0 ? a->t[type] : a->t[0];
  int rc = jb__table_add_record(t, rec, a->err, sizeof a->err);
  if (rc == JB_EINVAL) {
    char e2[700];
    snprintf(e2, sizeof e2, "%s %s: %s", json_string_value(json_object_get(rec, "type")),
             json_string_value(json_object_get(rec, "id")), a->err);
    snprintf(a->err, sizeof a->err, "%s", e2);
  }
  json_decref(rec);
  return rc;
}

/* the list of a challenge's `what` as JSON (a new reference), or NULL after
 * printing why */
static json_t *challenge_list(jb_engine *e, const char *cid, const char *what) {
  char *out = NULL;
  int rc;
  const char *member = NULL;
  if (!strcmp(what, "matches")) {
    jb_match_req req;
    jb_match_req_init(&req);
    req.id = cid;
    req.limit = 100;
    rc = jb_engine_match(e, &req, &out);
    member = "matches";
  } else if (!strcmp(what, "applications")) {
    rc = jb_engine_applications(e, cid, NULL, &out);
  } else if (!strcmp(what, "scores")) {
    rc = jb_engine_ranking(e, cid, &out);
  } else if (!strcmp(what, "milestones")) {
    rc = jb_engine_milestones(e, cid, &out);
    member = "tranches";
  } else {
    jb_cli_error("--what: '%s' is not matches, applications, scores or milestones", what);
    return NULL;
  }
  if (rc != JB_OK) {
    jb_cli_error("challenge %s: %s", cid,
                 jb_engine_error(e)[0] ? jb_engine_error(e) : jb_strerror(rc));
    free(out);
    return NULL;
  }
  json_t *j = json_loads(out, 0, NULL);
  free(out);
  json_t *items = member && json_is_object(j) ? json_incref(json_object_get(j, member)) : NULL;
  if (member && json_is_object(j) && !items) /* milestones before any plan: {} */
    items = json_array();
  if (!member)
    items = json_incref(j);
  json_decref(j);
  if (!json_is_array(items)) {
    json_decref(items);
    jb_cli_error("challenge %s: the %s are not a list", cid, what);
    return NULL;
  }
  return items;
}

int jb__cli_export_sheet(const char *dir, const char *format, const char *type,
                         const char *challenge, const char *what, const char *path, int en,
                         int bom) {
  int xlsx = !strcmp(format, "xlsx");
  if (xlsx && !path) {
    jb_cli_error("--format xlsx: name the file with -o FILE");
    return 2;
  }
  int rtype = type ? jb_rec_type_of(type) : -1;
  if (type && rtype < 0) {
    jb_cli_error("--type: '%s' is not org, expert, output or challenge", type);
    return 2;
  }
  if (challenge && (type || !what)) {
    jb_cli_error(type ? "--challenge and --type do not mix"
                      : "--challenge: name --what (matches, applications, scores, milestones)");
    return 2;
  }
  if (what && !challenge) {
    jb_cli_error("--what: name the challenge with --challenge ID");
    return 2;
  }
  jb_engine *e = jb_cli_open(dir, 1);
  if (!e)
    return 1;
  jb_table tabs[4];
  const jb_table *sheets[4];
  size_t n = 0;
  int rc = JB_OK, status = 0;
  char err[800] = "";
  if (challenge) {
    jb__table_init(&tabs[0], what);
    json_t *items = challenge_list(e, challenge, what);
    if (!items) {
      jb__table_free(&tabs[0]);
      jb_engine_close(e);
      return 1;
    }
    rc = jb__table_json(&tabs[0], items);
    json_decref(items);
    sheets[n++] = &tabs[0];
  } else {
    struct rec_acc a = {{NULL}, rtype, xlsx && rtype < 0, ""};
    size_t nt = a.split ? 4 : 1;
    for (size_t i = 0; i < nt; i++) {
      int t = a.split ? (int)i : rtype;
      char name[32];
      snprintf(name, sizeof name, "%ss", t >= 0 ? jb_rec_type_name(t) : "record");
      jb__table_init(&tabs[i], name);
      if (rc == JB_OK)
        rc = jb__table_records(&tabs[i], t, en);
      a.t[i] = &tabs[i];
      sheets[n++] = &tabs[i];
    }
    if (rc == JB_OK) {
      rc = jb_engine_export(e, type, add_one, &a);
      if (rc != JB_OK)
        snprintf(err, sizeof err, "%s",
                 a.err[0] ? a.err : jb_engine_error(e)[0] ? jb_engine_error(e) : jb_strerror(rc));
    }
  }
  if (rc != JB_OK) {
    jb_cli_error("%s", err[0] ? err : jb_strerror(rc));
    status = 1;
  } else if (xlsx) {
    int xrc = jb__table_xlsx_file(sheets, n, path, err, sizeof err);
    if (xrc == JB_ETOOBIG) {
      jb_cli_error("%s: longer than the 32,767 characters an Excel cell holds (export CSV "
                   "instead)", err);
      status = 1;
    } else if (xrc != JB_OK) {
      jb_cli_error("%s", err);
      status = 1;
    }
  } else {
    jb_csv_out o = {0};
    if (jb__table_csv(sheets[0], bom, &o) != JB_OK) {
      jb_cli_error("out of memory");
      status = 1;
    } else {
      FILE *f = path ? fopen(path, "wb") : stdout;
      if (!f || fwrite(o.s, 1, o.len, f) != o.len || (f != stdout && fclose(f) != 0) ||
          fflush(stdout) != 0) {
        jb_cli_error("%s: cannot be written", path ? path : "standard output");
        status = 1;
      }
    }
    jb_csv_out_free(&o);
  }
  for (size_t i = 0; i < n; i++)
    jb__table_free(&tabs[i]);
  jb_engine_close(e);
  return status;
}
