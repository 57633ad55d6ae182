/* SPDX-License-Identifier: GPL-3.0-or-later */
/* import.h: one import, whatever the records come from — JSONL lines or
 * the rows of a CSV file (any accepted encoding; engine/sheet.h maps its
 * columns) — for `jiebang import` and POST /v1/import alike: the same
 * records, the same checks (jb_engine_put_json), the same report. Internal
 * to api/. */
#ifndef JB_IMPORT_H
#define JB_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "engine/jiebang.h"

typedef struct jb_import_src jb_import_src;

/* A source of JSONL lines read from in (borrowed; not closed), named name
 * in messages. Returns JB_OK with *out, or JB_ENOMEM. */
int jb__src_jsonl(FILE *in, const char *name, jb_import_src **out);

/* A source of the rows of CSV text in[0..len) (copied), in encoding (NULL:
 * detected; locale/jb_charset.h); type a jb_rec_type every row has, or -1
 * for a type column; name the file's name in messages ("-" for standard
 * input). Returns JB_OK with *out; JB_EINVAL, JB_EUTF8 (the encoding, the
 * header row) with err as "NAME:LINE: why"; JB_ENOMEM. */
int jb__src_csv(const char *in, size_t len, const char *encoding, int type, const char *name,
                jb_import_src **out, char *err, size_t errlen);

/* The encoding a CSV source was read in ("UTF-8", "GB18030", ...; "" for JSONL). */
const char *jb__src_encoding(const jb_import_src *s);

/* Frees a source. NULL is accepted. */
void jb__src_free(jb_import_src *s);

/* The next record: 1 with *json (*len bytes; borrowed until the next call)
 * and *where (its line: a CSV row's first line); 0 at the end; JB_EINVAL
 * for a bad row or line (err says where and why: go on with the next);
 * JB_EIO for a read error or JB_ENOMEM (stop). */
int jb__src_next(jb_import_src *s, const char **json, size_t *len, unsigned long *where,
                 char *err, size_t errlen);

/* Writes where a record error msg (jb_engine_error: "deadline: ...") is:
 * "line N: msg" for JSONL, "NAME:N: column 截止日期: ..." for CSV (the
 * column as its header names it), for the record jb__src_next gave last. */
void jb__src_where(const jb_import_src *s, unsigned long where, const char *msg, char *out,
                   size_t cap);

/* Bytes consumed so far (progress). */
double jb__src_bytes(const jb_import_src *s);

/* What an import did. */
typedef struct {
  unsigned long changed, same, bad; /* committed (or, dry, would be) records; bad rows */
  unsigned long first, last;        /* the lines of the last batch committed */
  int stopped;                      /* 1: a failure stopped it (error says) */
  char error[1200];
} jb_import_report;

typedef struct {
  long batch; /* records per transaction */
  int dry;    /* roll back at the end: what would be imported */
  /* each bad record (msg as jb__src_where writes it); may be NULL */
  void (*on_bad)(void *ctx, unsigned long where, const char *msg);
  /* each committed batch, and now and then for progress; may be NULL */
  void (*on_commit)(void *ctx, const jb_import_report *r);
  void (*on_progress)(void *ctx, const jb_import_report *r, unsigned long pending);
  void *ctx;
  int lang; /* the language of record errors: JB_EMSG_EN (0) or JB_EMSG_ZH (engine/emsg.h) */
} jb_import_opts;

/* Imports every record of src into writer e in batches of o->batch: each
 * bad record is reported and changes nothing; valid ones are committed.
 * Returns 0 when every record was imported, 1 when any was bad or the
 * import stopped (r says which; a batch that could not be committed is
 * named in r->error and none of it stays). */
int jb__import_run(jb_engine *e, jb_import_src *src, const jb_import_opts *o,
                   jb_import_report *r);

#endif
