/* SPDX-License-Identifier: GPL-3.0-or-later */
/* import.c: import sources (JSONL, CSV) and the batched import itself
 * (api/import.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/cli.h"
#include "api/import.h"
#include "common/jb_csv.h"
#include "engine/sheet.h"
#include "locale/jb_charset.h"
#include "locale/jb_locale.h"

struct jb_import_src {
  int csv;
  /* JSONL */
  FILE *in;
  char *line;
  size_t cap;
  unsigned long lineno;
  /* CSV */
  char *text;
  size_t len;
  jb_csv_reader rd;
  jb_sheet_map *map;
  char *json;
  int type;
  char name[256];
  char encoding[16];
  double bytes;
};

int jb__src_jsonl(FILE *in, const char *name, jb_import_src **out) {
  jb_import_src *s = calloc(1, sizeof *s);
  if (!s)
    return JB_ENOMEM;
  s->in = in;
  snprintf(s->name, sizeof s->name, "%s", name ? name : "-");
  jb_utf8_clip(s->name);
  s->type = -1;
  *out = s;
  return JB_OK;
}

/* "line N: why" of the CSV reader as "NAME:N: why" */
static void csv_msg(const jb_import_src *s, const char *why, char *err, size_t errlen) {
  unsigned long n = 0;
  int used = 0;
  if (sscanf(why, "line %lu: %n", &n, &used) == 1 && used > 0)
    snprintf(err, errlen, "%s:%lu: %s", s->name, n, why + used);
  else
    snprintf(err, errlen, "%s: %s", s->name, why);
  jb_utf8_clip(err);
}

int jb__src_csv(const char *in, size_t len, const char *encoding, int type, const char *name,
                jb_import_src **out, char *err, size_t errlen) {
  *out = NULL;
  jb_import_src *s = calloc(1, sizeof *s);
  if (!s)
    return JB_ENOMEM;
  s->csv = 1;
  s->type = -1;
  snprintf(s->name, sizeof s->name, "%s", name ? name : "-");
  jb_utf8_clip(s->name);
  jb_charset_error ce;
  int rc = jb_charset_to_utf8(in, len, encoding, &s->text, &s->len, s->encoding,
                              sizeof s->encoding, &ce);
  if (rc != JB_OK) {
    if (rc == JB_EUTF8)
      snprintf(err, errlen, "%s:%zu: %s", s->name, ce.line, ce.message);
    else
      snprintf(err, errlen, "%s: %s", s->name, rc == JB_ENOMEM ? "out of memory" : ce.message);
    jb_utf8_clip(err);
    jb__src_free(s);
    return rc == JB_ENOMEM ? JB_ENOMEM : rc == JB_EUTF8 ? JB_EUTF8 : JB_EINVAL;
  }
  jb_csv_reader_init(&s->rd, s->text, s->len);
  size_t nf, line;
  char why[600];
  do {
    rc = jb_csv_next(&s->rd, &nf, &line, why, sizeof why);
    /* blank lines before the header are skipped */
  } while (rc == 1 && nf == 1 && s->rd.flen[0] == 0 && !s->rd.quoted[0]);
  if (rc != 1) {
    if (rc == 0)
      snprintf(err, errlen, "%s: no header row (the first row names the columns)", s->name);
    else if (rc == JB_ENOMEM)
      snprintf(err, errlen, "%s: out of memory", s->name);
    else
      csv_msg(s, why, err, errlen);
    jb__src_free(s);
    return rc == JB_ENOMEM ? JB_ENOMEM : JB_EINVAL;
  }
  rc = jb_sheet_map_new(s->rd.field, s->rd.flen, nf, type, &s->map, why, sizeof why);
  if (rc != JB_OK) {
    snprintf(err, errlen, "%s:%zu: %s", s->name, line, rc == JB_ENOMEM ? "out of memory" : why);
    jb_utf8_clip(err);
    jb__src_free(s);
    return rc;
  }
  *out = s;
  return JB_OK;
}

const char *jb__src_encoding(const jb_import_src *s) { return s ? s->encoding : ""; }

void jb__src_free(jb_import_src *s) {
  if (!s)
    return;
  free(s->line);
  free(s->text);
  free(s->json);
  jb_csv_reader_free(&s->rd);
  jb_sheet_map_free(s->map);
  free(s);
}

double jb__src_bytes(const jb_import_src *s) { return s->csv ? (double)s->rd.pos : s->bytes; }

int jb__src_next(jb_import_src *s, const char **json, size_t *len, unsigned long *where,
                 char *err, size_t errlen) {
  if (!s->csv) {
    ssize_t got;
    while ((got = getline(&s->line, &s->cap, s->in)) >= 0) {
      s->lineno++;
      s->bytes += (double)got;
      size_t n = jb_cli_chomp(s->line, (size_t)got, s->lineno), k = 0;
      while (k < n && (s->line[k] == ' ' || s->line[k] == '\t'))
        k++;
      if (k == n)
        continue; /* blank line */
      *json = s->line;
      *len = n;
      *where = s->lineno;
      return 1;
    }
    if (ferror(s->in)) {
      snprintf(err, errlen, "%s: read error", s->name);
      return JB_EIO;
    }
    return 0;
  }
  for (;;) {
    size_t nf, line;
    char why[600];
    int rc = jb_csv_next(&s->rd, &nf, &line, why, sizeof why);
    *where = line;
    if (rc == 0)
      return 0;
    if (rc == JB_ENOMEM) {
      snprintf(err, errlen, "out of memory");
      return JB_ENOMEM;
    }
    if (rc < 0) {
      csv_msg(s, why, err, errlen);
      return JB_EINVAL;
    }
    free(s->json);
    s->json = NULL;
    rc = jb_sheet_row(s->map, s->rd.field, s->rd.flen, s->rd.quoted, nf, &s->json, &s->type,
                      why, sizeof why);
    if (rc == 0)
      continue; /* a blank row */
    if (rc == JB_ENOMEM) {
      snprintf(err, errlen, "out of memory");
      return JB_ENOMEM;
    }
    if (rc < 0) {
      snprintf(err, errlen, "%s:%zu: %s", s->name, line, why);
      jb_utf8_clip(err);
      return JB_EINVAL;
    }
    *json = s->json;
    *len = strlen(s->json);
    return 1;
  }
}

void jb__src_where(const jb_import_src *s, unsigned long where, const char *msg, char *out,
                   size_t cap) {
  if (!s->csv) {
    snprintf(out, cap, "line %lu: %s", where, msg);
  } else {
    const char *col = jb_sheet_column_of(s->map, s->type, msg);
    if (col)
      snprintf(out, cap, "%s:%lu: column %s: %s", s->name, where, col, msg);
    else
      snprintf(out, cap, "%s:%lu: %s", s->name, where, msg);
  }
  jb_utf8_clip(out);
}

int jb__import_run(jb_engine *e, jb_import_src *src, const jb_import_opts *o,
                   jb_import_report *r) {
  memset(r, 0, sizeof *r);
  unsigned long first = 0, last = 0, inbatch = 0, pchanged = 0, psame = 0;
  int open_batch = 0, rc = JB_OK;
  char err[1024], msg[1200];
  for (;;) {
    const char *json;
    size_t len;
    unsigned long where = 0;
    int got = jb__src_next(src, &json, &len, &where, err, sizeof err);
    if (got == 0)
      break;
    if (got == JB_EINVAL) {
      r->bad++;
      if (o->on_bad)
        o->on_bad(o->ctx, where, err);
      continue;
    }
    if (got < 0) {
      snprintf(r->error, sizeof r->error, "%s", err);
      r->stopped = 1;
      break;
    }
    if (!open_batch) {
      if ((rc = jb_engine_begin(e)) != JB_OK) {
        snprintf(r->error, sizeof r->error, "%s", jb_engine_error(e));
        r->stopped = 1;
        break;
      }
      open_batch = 1;
      first = where;
    }
    last = where;
    int64_t seq = 0;
    rc = jb_engine_put_json(e, json, len, &seq);
    if (rc == JB_OK) {
      seq ? pchanged++ : psame++;
      inbatch++;
    } else if (rc == JB_EINVAL || rc == JB_ESYNTAX || rc == JB_ENOENT) {
      r->bad++;
      const jb_emsg *em = o->lang != JB_EMSG_EN ? jb_engine_error_msg(e) : NULL;
      if (em) { /* "field: message", the field as the English says it: its column is found */
        char text[900];
        jb_emsg_render(em, o->lang, 0, text, sizeof text);
        snprintf(err, sizeof err, "%s%s%s", em->field, em->field[0] ? ": " : "", text);
      }
      jb__src_where(src, where, em ? err : jb_engine_error(e), msg, sizeof msg);
      if (o->on_bad)
        o->on_bad(o->ctx, where, msg);
      continue;
    } else {
      jb__src_where(src, where, jb_engine_error(e), msg, sizeof msg);
      snprintf(r->error, sizeof r->error, "%s", msg);
      r->stopped = 1;
      break;
    }
    if (inbatch >= (unsigned long)o->batch && !o->dry) {
      /* a dry run keeps one transaction: a later record may refer to this one */
      if ((rc = jb_engine_commit(e)) != JB_OK) {
        snprintf(r->error, sizeof r->error, "lines %lu-%lu were not committed (%lu records): %s",
                 first, last, pchanged + psame, jb_engine_error(e));
        r->stopped = 1;
        open_batch = 0;
        pchanged = psame = 0;
        break;
      }
      r->changed += pchanged;
      r->same += psame;
      pchanged = psame = 0;
      open_batch = 0;
      r->first = first;
      r->last = last;
      if (o->on_commit)
        o->on_commit(o->ctx, r);
      inbatch = 0;
    }
    if (o->on_progress)
      o->on_progress(o->ctx, r, pchanged + psame);
  }
  if (open_batch) {
    if (o->dry) {
      jb_engine_rollback(e);
      r->changed += pchanged; /* what would have been imported */
      r->same += psame;
    } else if (r->stopped) {
      jb_engine_rollback(e);
      if (pchanged + psame) {
        size_t n = strlen(r->error);
        snprintf(r->error + n, sizeof r->error - n, "%slines %lu-%lu were not committed (%lu records)",
                 n ? "; " : "", first, last, pchanged + psame);
      }
    } else if ((rc = jb_engine_commit(e)) != JB_OK) {
      snprintf(r->error, sizeof r->error, "lines %lu-%lu were not committed (%lu records): %s",
               first, last, pchanged + psame, jb_engine_error(e));
      r->stopped = 1;
    } else {
      r->changed += pchanged;
      r->same += psame;
      r->first = first;
      r->last = last;
      if (inbatch && o->on_commit)
        o->on_commit(o->ctx, r);
    }
  }
  jb_utf8_clip(r->error);
  return r->stopped || r->bad ? 1 : 0;
}
