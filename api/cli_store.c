/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_store.c: the commands over a data directory — import, export, get,
 * search, stats, reindex, verify. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "api/cli.h"
#include "api/import.h"
#include "common/jb_datadir.h"
#include "engine/jiebang.h"
#include "engine/record.h"
#include "engine/sheet.h"
#include "locale/jb_charset.h"

static const char *DATA_HELP = "  --data DIR       the data directory (default ./var)\n"
                               "  -h, --help       this text\n";

static void on_notice(void *ctx, const char *msg) {
  (void)ctx;
  fprintf(stderr, "jiebang: %s\n", msg);
}

static jb_engine *open_engine(const char *dir, int readonly) {
  jb_engine_opts o = {readonly, on_notice, NULL, 0};
  jb_engine *e;
  char err[1024];
  int rc = jb_engine_open(dir, &o, &e, err, sizeof err);
  if (rc != JB_OK) {
    jb_cli_error("%s", err);
    return NULL;
  }
  return e;
}

jb_engine *jb_cli_open(const char *dir, int readonly) { return open_engine(dir, readonly); }

const char *jb_cli_data_help(void) { return DATA_HELP; }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- import ------------------------------------------------------------------ */

void jb_cli_import_help(FILE *out) {
  fprintf(out,
          "usage: jiebang import [OPTIONS] FILE|-\n"
          "       jiebang import --demo\n"
          "       jiebang import --columns\n\n"
          "Imports JSONL: one record a line (org, expert, output, challenge; see\n"
          "docs/records.md), or CSV: a header row naming the columns in Chinese or English\n"
          "(标题/title, 截止日期/deadline ...; `--columns` prints the table), one record a\n"
          "row, in UTF-8 (with or without a BOM), GB18030/GBK/GB2312 or UTF-16 with a BOM,\n"
          "detected unless --encoding names it. Records are upserted by type and id;\n"
          "importing the same file again changes nothing. Valid records are committed in\n"
          "batches; every bad one is reported ('line N: field: reason', for CSV\n"
          "'FILE:N: column 截止日期: reason') and changes nothing; the exit status is 1 when\n"
          "any failed. A record may refer only to records stored before it (orgs first:\n"
          "export writes that order).\n\n"
          "options:\n"
          "  --format F       jsonl or csv (default: csv for a FILE ending in .csv, else jsonl)\n"
          "  --encoding ENC   CSV: UTF-8, GB18030, GBK, GB2312, UTF-16LE, UTF-16BE\n"
          "  --type TYPE      CSV: every row is a TYPE (org, expert, output, challenge);\n"
          "                   without it a type (类型) column names each row's\n"
          "  --columns        print the CSV column table (Markdown) and exit\n"
          "  --dry-run        validate everything, store nothing\n"
          "  --demo           import the demo world shipped in data/demo/\n"
          "  --batch N        records per transaction (default 500)\n"
          "  --quiet          no progress\n%s",
          DATA_HELP);
}

static const char *demo_path(void) {
  static char p[4200];
  return jb_datafile("demo/demo.jsonl", p, sizeof p) ? p : "";
}

/* the whole of in (a CSV file is converted as a whole): malloc'd, or NULL */
static char *slurp(FILE *in, size_t *len) {
  size_t cap = 65536, n = 0;
  char *b = malloc(cap);
  while (b) {
    size_t got = fread(b + n, 1, cap - n, in);
    n += got;
    if (got == 0)
      break;
    if (n == cap) {
      if (cap > JB_CHARSET_MAX) /* jb_charset_to_utf8 says how much is too much */
        break;
      char *nb = realloc(b, cap * 2);
      if (!nb) {
        free(b);
        return NULL;
      }
      b = nb;
      cap *= 2;
    }
  }
  if (b && ferror(in)) {
    free(b);
    return NULL;
  }
  *len = n;
  return b;
}

struct cli_progress {
  int tty, quiet;
  double t0, last_draw, total;
  jb_import_src *src;
};

static void cli_bad(void *ctx, unsigned long where, const char *msg) {
  struct cli_progress *p = ctx;
  (void)where;
  if (p->tty)
    fputs("\r\033[K", stderr);
  fprintf(stderr, "%s\n", msg);
}

static void cli_commit(void *ctx, const jb_import_report *r) {
  struct cli_progress *p = ctx;
  if (!p->tty && !p->quiet) {
    printf("committed lines %lu-%lu\n", r->first, r->last);
    fflush(stdout);
  }
}

static void cli_progress(void *ctx, const jb_import_report *r, unsigned long pending) {
  struct cli_progress *p = ctx;
  if (!p->tty || now() - p->last_draw <= 0.2)
    return;
  p->last_draw = now();
  unsigned long n = r->changed + r->same + pending;
  double rate = (double)n / (p->last_draw - p->t0 + 1e-9), bytes = jb__src_bytes(p->src);
  if (p->total > 0 && bytes > 0) {
    double eta = (p->total - bytes) / (bytes / (p->last_draw - p->t0 + 1e-9));
    fprintf(stderr, "\r\033[K%5.1f%%  %lu records  %.0f rec/s  ETA %.0fs", 100 * bytes / p->total,
            n, rate, eta);
  } else {
    fprintf(stderr, "\r\033[K%lu records  %.0f rec/s", n, rate);
  }
}

int jb_cli_import(int argc, char **argv) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'd'},
                                     {"dry-run", no_argument, NULL, 'n'},
                                     {"demo", no_argument, NULL, 'D'},
                                     {"batch", required_argument, NULL, 'b'},
                                     {"quiet", no_argument, NULL, 'q'},
                                     {"format", required_argument, NULL, 'f'},
                                     {"encoding", required_argument, NULL, 'E'},
                                     {"type", required_argument, NULL, 't'},
                                     {"columns", no_argument, NULL, 'C'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  const char *dir = "var", *format = NULL, *encoding = NULL, *type = NULL;
  int dry = 0, demo = 0, quiet = 0, opt;
  long batch = 500;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (opt) {
    case 'd': dir = optarg; break;
    case 'n': dry = 1; break;
    case 'D': demo = 1; break;
    case 'q': quiet = 1; break;
    case 'f': format = optarg; break;
    case 'E': encoding = optarg; break;
    case 't': type = optarg; break;
    case 'C': {
      char *md = jb_sheet_columns_markdown();
      if (!md)
        return 1;
      fputs(md, stdout);
      free(md);
      return 0;
    }
    case 'b': {
      char *end;
      batch = strtol(optarg, &end, 10);
      if (*end || batch < 1 || batch > 100000) {
        jb_cli_error("--batch: '%s' is not a number from 1 to 100000", optarg);
        return 2;
      }
      break;
    }
    case 'h': jb_cli_import_help(stdout); return 0;
    default: jb_cli_import_help(stderr); return 2;
    }
  }
  const char *file = demo ? demo_path() : optind < argc ? argv[optind] : NULL;
  if (!file || (!demo && optind + 1 != argc)) {
    jb_cli_error("import: name one FILE (or - for standard input), or use --demo");
    return 2;
  }
  size_t fl = strlen(file);
  int csv = format ? !strcmp(format, "csv") : fl > 4 && !strcasecmp(file + fl - 4, ".csv");
  if (format && !csv && strcmp(format, "jsonl")) {
    jb_cli_error("--format: '%s' is not jsonl or csv", format);
    return 2;
  }
  if (!csv && (encoding || type)) {
    jb_cli_error("--%s: only for --format csv", encoding ? "encoding" : "type");
    return 2;
  }
  if (encoding && !jb_charset_name(encoding)) {
    jb_cli_error("--encoding: '%s' is not UTF-8, GB18030, GBK, GB2312, UTF-16LE or UTF-16BE",
                 encoding);
    return 2;
  }
  int rtype = type ? jb_rec_type_of(type) : -1;
  if (type && rtype < 0) {
    jb_cli_error("--type: '%s' is not org, expert, output or challenge", type);
    return 2;
  }
  FILE *in = strcmp(file, "-") ? fopen(file, "rb") : stdin;
  if (!in) {
    jb_cli_error("%s: cannot open: %s", file, strerror(errno));
    return 1;
  }
  struct stat sb;
  double total = (in != stdin && fstat(fileno(in), &sb) == 0) ? (double)sb.st_size : 0;
  jb_import_src *src = NULL;
  int rc;
  if (csv) {
    size_t len = 0;
    char *text = slurp(in, &len), err[1400];
    if (!text) {
      jb_cli_error("%s: read error", file);
      if (in != stdin)
        fclose(in);
      return 1;
    }
    rc = jb__src_csv(text, len, encoding, rtype, file, &src, err, sizeof err);
    free(text);
    if (rc != JB_OK) {
      jb_cli_error("%s", rc == JB_ENOMEM ? "out of memory" : err);
      if (in != stdin)
        fclose(in);
      return 1;
    }
    if (!quiet)
      fprintf(stderr, "%s: CSV in %s\n", file, jb__src_encoding(src));
    total = 0; /* the converted text, not the file, is what is read */
  } else if ((rc = jb__src_jsonl(in, file, &src)) != JB_OK) {
    jb_cli_error("out of memory");
    if (in != stdin)
      fclose(in);
    return 1;
  }
  if (dry) { /* no writer: runs beside `jiebang serve` (api/cli_dryrun.c) */
    int st = jb__cli_import_dry(dir, src, file, quiet);
    jb__src_free(src);
    if (in != stdin)
      fclose(in);
    return st;
  }
  jb_engine *e = open_engine(dir, 0);
  if (!e) {
    jb__src_free(src);
    if (in != stdin)
      fclose(in);
    return 1;
  }
  struct cli_progress pg = {!quiet && isatty(2), quiet, now(), 0, total, src};
  jb_import_opts io = {batch, 0, cli_bad, cli_commit, cli_progress, &pg, JB_EMSG_EN};
  jb_import_report r;
  int status = jb__import_run(e, src, &io, &r);
  if (pg.tty)
    fputs("\r\033[K", stderr);
  if (r.stopped)
    jb_cli_error("%s", r.error);
  jb__src_free(src);
  if (in != stdin)
    fclose(in);
  double dt = now() - pg.t0;
  if (!quiet)
    fprintf(stderr, "imported %lu records (%lu changed, %lu unchanged), %lu bad %s, %.1f s%s\n",
            r.changed + r.same, r.changed, r.same, r.bad, csv ? "rows" : "lines", dt,
            r.stopped ? "; stopped early, see above" : "");
  jb_engine_close(e);
  return status;
}

/* ---- export / get ---------------------------------------------------------- */

void jb_cli_export_help(FILE *out) {
  fprintf(out,
          "usage: jiebang export [--type TYPE] [--data DIR]\n"
          "       jiebang export --format csv|xlsx [--type TYPE | --challenge ID --what W]\n"
          "                      [-o FILE] [--header zh|en] [--no-bom]\n\n"
          "Writes every record (or those of TYPE: org, expert, output, challenge) as JSONL\n"
          "on standard output, orgs first, then experts, outputs, challenges, each by id:\n"
          "the output re-imports to the same state. A stored record that import would\n"
          "refuse (it no longer parses or validates: see `jiebang verify`) stops the\n"
          "export with its name and exit status 1.\n\n"
          "With --format csv (UTF-8 with a BOM, RFC 4180; cells a spreadsheet would run\n"
          "as formulas get a leading ') or xlsx (one worksheet per type; -o FILE needed)\n"
          "the records are rows under the column table's headers (`jiebang import\n"
          "--columns`), Chinese by default, and a CSV re-imports to the same state.\n"
          "--challenge ID --what W writes that challenge's matches (scores and\n"
          "explanations), applications, scores (the review ranking) or milestones.\n\n"
          "  -o FILE          write FILE instead of standard output\n"
          "  --header zh|en   column headers in Chinese (default) or as field names\n"
          "  --no-bom         CSV without the UTF-8 byte order mark\n%s",
          DATA_HELP);
}

static int print_line(void *ctx, const char *json) {
  (void)ctx;
  return fputs(json, stdout) < 0 || putchar('\n') == EOF ? JB_EIO : 0;
}

int jb_cli_export(int argc, char **argv) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'd'},
                                     {"type", required_argument, NULL, 't'},
                                     {"format", required_argument, NULL, 'f'},
                                     {"challenge", required_argument, NULL, 'c'},
                                     {"what", required_argument, NULL, 'w'},
                                     {"header", required_argument, NULL, 'H'},
                                     {"no-bom", no_argument, NULL, 'B'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  const char *dir = "var", *type = NULL, *format = NULL, *challenge = NULL, *what = NULL,
             *path = NULL, *header = "zh";
  int opt, bom = 1;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
    switch (opt) {
    case 'd': dir = optarg; break;
    case 't': type = optarg; break;
    case 'f': format = optarg; break;
    case 'c': challenge = optarg; break;
    case 'w': what = optarg; break;
    case 'o': path = optarg; break;
    case 'H': header = optarg; break;
    case 'B': bom = 0; break;
    case 'h': jb_cli_export_help(stdout); return 0;
    default: jb_cli_export_help(stderr); return 2;
    }
  }
  if (optind != argc) {
    jb_cli_error("export: unexpected argument '%s'", argv[optind]);
    return 2;
  }
  if (strcmp(header, "zh") && strcmp(header, "en")) {
    jb_cli_error("--header: '%s' is not zh or en", header);
    return 2;
  }
  if (format && (!strcmp(format, "csv") || !strcmp(format, "xlsx")))
    return jb__cli_export_sheet(dir, format, type, challenge, what, path, !strcmp(header, "en"),
                                bom);
  if (format && strcmp(format, "jsonl")) {
    jb_cli_error("--format: '%s' is not jsonl, csv or xlsx", format);
    return 2;
  }
  if (challenge || what || path) {
    jb_cli_error("%s: only with --format csv or xlsx",
                 challenge ? "--challenge" : what ? "--what" : "-o");
    return 2;
  }
  jb_engine *e = open_engine(dir, 1);
  if (!e)
    return 1;
  int rc = jb_engine_export(e, type, print_line, NULL);
  if (rc != JB_OK)
    jb_cli_error("%s", jb_engine_error(e)[0] ? jb_engine_error(e) : jb_strerror(rc));
  jb_engine_close(e);
  if (fflush(stdout) != 0)
    rc = JB_EIO;
  return rc == JB_OK ? 0 : 1;
}

void jb_cli_get_help(FILE *out) {
  fprintf(out, "usage: jiebang get TYPE ID [--data DIR]\n\n"
               "Prints one stored record as indented JSON.\n\n%s",
          DATA_HELP);
}

int jb_cli_get(int argc, char **argv) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'd'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  const char *dir = "var";
  int opt;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (opt) {
    case 'd': dir = optarg; break;
    case 'h': jb_cli_get_help(stdout); return 0;
    default: jb_cli_get_help(stderr); return 2;
    }
  }
  if (argc - optind != 2) {
    jb_cli_error("get: name TYPE and ID");
    return 2;
  }
  jb_engine *e = open_engine(dir, 1);
  if (!e)
    return 1;
  char *json;
  int rc = jb_engine_get(e, argv[optind], argv[optind + 1], &json);
  if (rc == JB_OK) {
    json_t *j = json_loads(json, 0, NULL);
    char *pretty = j ? json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
    puts(pretty ? pretty : json);
    free(pretty);
    json_decref(j);
    free(json);
  } else {
    jb_cli_error("%s", jb_engine_error(e));
  }
  jb_engine_close(e);
  return rc == JB_OK ? 0 : 1;
}

/* ---- search ------------------------------------------------------------------ */

void jb_cli_search_help(FILE *out) {
  fprintf(out,
          "usage: jiebang search [--type TYPE] [--limit N] [--json] QUERY...\n\n"
          "Ranked full-text search over every record (or those of TYPE). Prints rank,\n"
          "score, type, id, title and the query words each hit matched.\n\n"
          "  --type TYPE      org, expert, output or challenge\n"
          "  --limit N        hits to print, 1..1000 (default 10)\n"
          "  --json           {\"query\":...,\"hits\":[{\"type\",\"id\",\"title\",\"score\",\"matched\"}]}\n%s",
          DATA_HELP);
}

int jb_cli_search(int argc, char **argv) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'd'},
                                     {"type", required_argument, NULL, 't'},
                                     {"limit", required_argument, NULL, 'l'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  const char *dir = "var", *type = NULL;
  long limit = 10;
  int json = 0, opt;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (opt) {
    case 'd': dir = optarg; break;
    case 't': type = optarg; break;
    case 'j': json = 1; break;
    case 'l': {
      char *end;
      limit = strtol(optarg, &end, 10);
      if (*end || limit < 1 || limit > 1000) {
        jb_cli_error("--limit: '%s' is not a number from 1 to 1000", optarg);
        return 2;
      }
      break;
    }
    case 'h': jb_cli_search_help(stdout); return 0;
    default: jb_cli_search_help(stderr); return 2;
    }
  }
  if (optind >= argc) {
    jb_cli_error("search: give a QUERY");
    return 2;
  }
  size_t qlen = 0;
  for (int i = optind; i < argc; i++)
    qlen += strlen(argv[i]) + 1;
  char *query = calloc(qlen + 1, 1);
  if (!query)
    return 1;
  for (int i = optind; i < argc; i++) {
    if (i > optind)
      strcat(query, " ");
    strcat(query, argv[i]);
  }
  jb_engine *e = open_engine(dir, 1);
  if (!e) {
    free(query);
    return 1;
  }
  jb_hit *hits;
  size_t n;
  int rc = jb_engine_search(e, query, type, (size_t)limit, &hits, &n);
  if (rc != JB_OK) {
    jb_cli_error("%s", jb_engine_error(e));
  } else if (json) {
    json_t *o = json_object(), *arr = json_array();
    json_object_set_new(o, "query", json_string(query));
    for (size_t i = 0; i < n; i++) {
      json_t *h = json_object();
      json_object_set_new(h, "type", json_string(hits[i].type));
      json_object_set_new(h, "id", json_string(hits[i].id));
      json_object_set_new(h, "title", json_string(hits[i].title));
      json_object_set_new(h, "score", json_real(hits[i].score));
      json_t *m = json_array();
      char *save = NULL;
      for (char *w = strtok_r(hits[i].matched, " ", &save); w; w = strtok_r(NULL, " ", &save))
        json_array_append_new(m, json_string(w));
      json_object_set_new(h, "matched", m);
      json_array_append_new(arr, h);
    }
    json_object_set_new(o, "hits", arr);
    char *s = json_dumps(o, JSON_COMPACT);
    puts(s ? s : "{}");
    free(s);
    json_decref(o);
  } else {
    for (size_t i = 0; i < n; i++)
      printf("%2zu. %6.3f  %-9s %-20s %s  [%s]\n", i + 1, hits[i].score, hits[i].type,
             hits[i].id, hits[i].title, hits[i].matched);
    if (n == 0)
      printf("no match for '%s'\n", query);
  }
  if (rc == JB_OK)
    jb_hits_free(hits, n);
  free(query);
  jb_engine_close(e);
  return rc == JB_OK ? 0 : 1;
}

/* ---- stats, reindex, verify -------------------------------------------------- */

void jb_cli_stats_help(FILE *out) {
  fprintf(out, "usage: jiebang stats [--json] [--data DIR]\n\n"
               "Records per type, index documents, outbox length and sequences.\n\n%s",
          DATA_HELP);
}

static int simple_opts(int argc, char **argv, const char **dir, int *json,
                       void (*help)(FILE *)) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'd'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  int opt;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (opt) {
    case 'd': *dir = optarg; break;
    case 'j':
      if (!json) {
        help(stderr);
        return 2;
      }
      *json = 1;
      break;
    case 'h': help(stdout); return 0;
    default: help(stderr); return 2;
    }
  }
  if (optind != argc) {
    jb_cli_error("unexpected argument '%s'", argv[optind]);
    return 2;
  }
  return -1;
}

int jb_cli_stats(int argc, char **argv) {
  const char *dir = "var";
  int json = 0, r = simple_opts(argc, argv, &dir, &json, jb_cli_stats_help);
  if (r >= 0)
    return r;
  jb_engine *e = open_engine(dir, 1);
  if (!e)
    return 1;
  jb_stats st;
  int rc = jb_engine_stats(e, &st);
  if (rc != JB_OK) {
    jb_cli_error("%s", jb_engine_error(e));
  } else if (json) {
    printf("{\"orgs\":%lld,\"experts\":%lld,\"outputs\":%lld,\"challenges\":%lld,"
           "\"indexed\":%llu,\"outbox\":%lld,\"last_seq\":%lld,\"applied_seq\":%lld,"
           "\"generation\":\"%s\"}\n",
           (long long)st.records[0], (long long)st.records[1], (long long)st.records[2],
           (long long)st.records[3], (unsigned long long)st.indexed, (long long)st.outbox,
           (long long)st.last_seq, (long long)st.applied_seq, st.generation);
  } else {
    printf("orgs        %lld\nexperts     %lld\noutputs     %lld\nchallenges  %lld\n"
           "indexed     %llu documents (generation %s)\noutbox      %lld changes not yet "
           "indexed\nsequence    %lld last, %lld applied to the index\n",
           (long long)st.records[0], (long long)st.records[1], (long long)st.records[2],
           (long long)st.records[3], (unsigned long long)st.indexed, st.generation,
           (long long)st.outbox, (long long)st.last_seq, (long long)st.applied_seq);
  }
  jb_engine_close(e);
  return rc == JB_OK ? 0 : 1;
}

void jb_cli_reindex_help(FILE *out) {
  fprintf(out, "usage: jiebang reindex [--data DIR]\n\n"
               "Builds a fresh index beside the current one from the store and switches to\n"
               "it atomically; the old one is removed.\n\n%s",
          DATA_HELP);
}

int jb_cli_reindex(int argc, char **argv) {
  const char *dir = "var";
  int r = simple_opts(argc, argv, &dir, NULL, jb_cli_reindex_help);
  if (r >= 0)
    return r;
  jb_engine *e = open_engine(dir, 0);
  if (!e)
    return 1;
  double t0 = now();
  int rc = jb_engine_reindex(e);
  jb_stats st;
  if (rc == JB_OK && (rc = jb_engine_stats(e, &st)) == JB_OK)
    fprintf(stderr, "reindexed %llu documents in %.1f s\n", (unsigned long long)st.indexed,
            now() - t0);
  if (rc != JB_OK)
    jb_cli_error("%s", jb_engine_error(e));
  jb_engine_close(e);
  return rc == JB_OK ? 0 : 1;
}

void jb_cli_verify_help(FILE *out) {
  fprintf(out, "usage: jiebang verify [--data DIR]\n\n"
               "Checks the store (PRAGMA integrity_check), that every stored record parses\n"
               "and validates with today's rules (id rule included), that the index holds\n"
               "exactly the stored records and that none is quarantined (a record the index\n"
               "refused). Each problem is one line naming the record; exit 0 when there is\n"
               "none, 1 otherwise (`jiebang delete TYPE ID` removes a bad record).\n\n%s",
          DATA_HELP);
}

int jb_cli_verify(int argc, char **argv) {
  const char *dir = "var";
  int r = simple_opts(argc, argv, &dir, NULL, jb_cli_verify_help);
  if (r >= 0)
    return r;
  /* as a writer when it can (an open replays the outbox, rebuilds an index of
   * another generation and removes an interrupted reindex's leftovers, so
   * what is checked is the settled state); beside `jiebang serve`, which
   * holds the one writer, read-only */
  jb_engine_opts o = {0, on_notice, NULL, 0};
  jb_engine *e = NULL;
  char err[1024];
  int orc = jb_engine_open(dir, &o, &e, err, sizeof err);
  if (orc == JB_ELOCKED) {
    fprintf(stderr, "jiebang: another process writes to %s: verifying read-only\n", dir);
    e = open_engine(dir, 1);
  } else if (orc != JB_OK) {
    jb_cli_error("%s", err);
    e = NULL;
  }
  if (!e)
    return 1;
  int rc = jb_engine_verify(e);
  if (rc == JB_OK)
    printf("ok\n");
  else
    jb_cli_error("%s", jb_engine_error(e));
  jb_engine_close(e);
  return rc == JB_OK ? 0 : 1;
}
