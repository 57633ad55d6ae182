/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_store.c: the commands over a data directory — import, export, get,
 * search, stats, reindex, verify. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "api/cli.h"
#include "common/jb_datadir.h"
#include "engine/jiebang.h"

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
          "       jiebang import --demo\n\n"
          "Imports JSONL: one record a line (org, expert, output, challenge; see\n"
          "docs/records.md). Records are upserted by type and id; importing the same file\n"
          "again changes nothing. Valid lines are committed in batches; every bad line is\n"
          "reported as 'line N: field: reason' and changes nothing; the exit status is 1\n"
          "when any line failed. A record may refer only to records stored before it (orgs\n"
          "first: export writes that order).\n\n"
          "options:\n"
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

int jb_cli_import(int argc, char **argv) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'd'},
                                     {"dry-run", no_argument, NULL, 'n'},
                                     {"demo", no_argument, NULL, 'D'},
                                     {"batch", required_argument, NULL, 'b'},
                                     {"quiet", no_argument, NULL, 'q'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  const char *dir = "var";
  int dry = 0, demo = 0, quiet = 0, opt;
  long batch = 500;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (opt) {
    case 'd': dir = optarg; break;
    case 'n': dry = 1; break;
    case 'D': demo = 1; break;
    case 'q': quiet = 1; break;
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
  FILE *in = strcmp(file, "-") ? fopen(file, "rb") : stdin;
  if (!in) {
    jb_cli_error("%s: cannot open: %s", file, strerror(errno));
    return 1;
  }
  if (dry) { /* no writer: runs beside `jiebang serve` (api/cli_dryrun.c) */
    int st = jb__cli_import_dry(dir, in, file, quiet);
    if (in != stdin)
      fclose(in);
    return st;
  }
  struct stat sb;
  double total = (in != stdin && fstat(fileno(in), &sb) == 0) ? (double)sb.st_size : 0;
  jb_engine *e = open_engine(dir, 0);
  if (!e) {
    if (in != stdin)
      fclose(in);
    return 1;
  }
  int tty = !quiet && isatty(2);
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  unsigned long lineno = 0, first = 1, bad = 0, changed = 0, same = 0, inbatch = 0;
  /* what the open batch holds: counted as imported only once committed */
  unsigned long pchanged = 0, psame = 0;
  double bytes = 0, t0 = now(), last_draw = 0;
  int status = 0, rc = JB_OK;
  int open_batch = 0;
  while ((got = getline(&line, &cap, in)) >= 0) {
    lineno++;
    bytes += (double)got;
    size_t len = jb_cli_chomp(line, (size_t)got, lineno);
    size_t k = 0;
    while (k < len && (line[k] == ' ' || line[k] == '\t'))
      k++;
    if (k == len)
      continue; /* blank line */
    if (!open_batch) {
      if ((rc = jb_engine_begin(e)) != JB_OK) {
        jb_cli_error("%s", jb_engine_error(e));
        status = 1;
        break;
      }
      open_batch = 1;
      first = lineno;
    }
    int64_t seq = 0;
    rc = jb_engine_put_json(e, line, len, &seq);
    if (rc == JB_OK) {
      seq ? pchanged++ : psame++;
      inbatch++;
    } else if (rc == JB_EINVAL || rc == JB_ESYNTAX || rc == JB_ENOENT) {
      bad++;
      if (tty)
        fputs("\r\033[K", stderr);
      fprintf(stderr, "line %lu: %s\n", lineno, jb_engine_error(e));
      continue;
    } else {
      jb_cli_error("line %lu: %s", lineno, jb_engine_error(e));
      status = 1;
      break;
    }
    if (inbatch >= (unsigned long)batch) {
      if (dry) {
        /* keep one transaction: a later line may refer to this one */
      } else {
        if ((rc = jb_engine_commit(e)) != JB_OK) {
          jb_cli_error("lines %lu-%lu were not committed (%lu records): %s", first, lineno,
                       pchanged + psame, jb_engine_error(e));
          status = 1;
          open_batch = 0;
          pchanged = psame = 0;
          break;
        }
        changed += pchanged;
        same += psame;
        pchanged = psame = 0;
        open_batch = 0;
        if (!tty && !quiet) {
          printf("committed lines %lu-%lu\n", first, lineno);
          fflush(stdout);
        }
      }
      inbatch = 0;
    }
    if (tty && now() - last_draw > 0.2) {
      last_draw = now();
      double rate = (double)(changed + same + pchanged + psame) / (last_draw - t0 + 1e-9);
      if (total > 0) {
        double eta = (total - bytes) / (bytes / (last_draw - t0 + 1e-9));
        fprintf(stderr, "\r\033[K%5.1f%%  %lu records  %.0f rec/s  ETA %.0fs", 100 * bytes / total,
                changed + same + pchanged + psame, rate, eta);
      } else {
        fprintf(stderr, "\r\033[K%lu records  %.0f rec/s", changed + same + pchanged + psame,
                rate);
      }
    }
  }
  if (open_batch) {
    if (dry) {
      jb_engine_rollback(e);
      changed += pchanged; /* what would have been imported */
      same += psame;
    } else if (status) {
      jb_engine_rollback(e);
      if (pchanged + psame)
        jb_cli_error("lines %lu-%lu were not committed (%lu records)", first, lineno,
                     pchanged + psame);
    } else if ((rc = jb_engine_commit(e)) != JB_OK) {
      jb_cli_error("lines %lu-%lu were not committed (%lu records): %s", first, lineno,
                   pchanged + psame, jb_engine_error(e));
      status = 1;
    } else {
      changed += pchanged;
      same += psame;
      if (!tty && !quiet && inbatch) {
        printf("committed lines %lu-%lu\n", first, lineno);
        fflush(stdout);
      }
    }
  }
  if (tty)
    fputs("\r\033[K", stderr);
  if (ferror(in)) {
    jb_cli_error("%s: read error", file);
    status = 1;
  }
  free(line);
  if (in != stdin)
    fclose(in);
  double dt = now() - t0;
  if (!quiet)
    fprintf(stderr, "%s%lu records (%lu changed, %lu unchanged), %lu bad lines, %.1f s%s\n",
            dry ? "dry run: would import " : "imported ", changed + same, changed, same, bad, dt,
            dry ? "; nothing was stored" : status ? "; stopped early, see above" : "");
  jb_engine_close(e);
  return status || bad ? 1 : 0;
}

/* ---- export / get ---------------------------------------------------------- */

void jb_cli_export_help(FILE *out) {
  fprintf(out,
          "usage: jiebang export [--type TYPE] [--data DIR]\n\n"
          "Writes every record (or those of TYPE: org, expert, output, challenge) as JSONL\n"
          "on standard output, orgs first, then experts, outputs, challenges, each by id:\n"
          "the output re-imports to the same state. A stored record that import would\n"
          "refuse (it no longer parses or validates: see `jiebang verify`) stops the\n"
          "export with its name and exit status 1.\n\n%s",
          DATA_HELP);
}

static int print_line(void *ctx, const char *json) {
  (void)ctx;
  return fputs(json, stdout) < 0 || putchar('\n') == EOF ? JB_EIO : 0;
}

int jb_cli_export(int argc, char **argv) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'd'},
                                     {"type", required_argument, NULL, 't'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  const char *dir = "var", *type = NULL;
  int opt;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (opt) {
    case 'd': dir = optarg; break;
    case 't': type = optarg; break;
    case 'h': jb_cli_export_help(stdout); return 0;
    default: jb_cli_export_help(stderr); return 2;
    }
  }
  if (optind != argc) {
    jb_cli_error("export: unexpected argument '%s'", argv[optind]);
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
