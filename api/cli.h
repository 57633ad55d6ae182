/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli.h: the jiebang command-line tool's subcommands. Each takes the argv
 * that follows the command name (argv[0] is the command) and returns the
 * process exit status: 0 success, 1 bad input or failure, 2 usage error. */
#ifndef JB_CLI_H
#define JB_CLI_H

#include <stdio.h>

typedef struct {
  const char *name;
  const char *summary;
  int (*run)(int argc, char **argv);
  void (*help)(FILE *out);
} jb_cli_command;

int jb_cli_tokenize(int argc, char **argv);
void jb_cli_tokenize_help(FILE *out);
int jb_cli_import(int argc, char **argv);
void jb_cli_import_help(FILE *out);
int jb_cli_export(int argc, char **argv);
void jb_cli_export_help(FILE *out);
int jb_cli_get(int argc, char **argv);
void jb_cli_get_help(FILE *out);
int jb_cli_search(int argc, char **argv);
void jb_cli_search_help(FILE *out);
int jb_cli_stats(int argc, char **argv);
void jb_cli_stats_help(FILE *out);
int jb_cli_reindex(int argc, char **argv);
void jb_cli_reindex_help(FILE *out);
int jb_cli_verify(int argc, char **argv);
int jb_cli_match(int argc, char **argv);
void jb_cli_match_help(FILE *out);
int jb_cli_suggest(int argc, char **argv);
void jb_cli_suggest_help(FILE *out);
void jb_cli_verify_help(FILE *out);
int jb_cli_serve(int argc, char **argv);
void jb_cli_serve_help(FILE *out);
int jb_cli_key(int argc, char **argv);
void jb_cli_key_help(FILE *out);
int jb_cli_audit(int argc, char **argv);
int jb_cli_delete(int argc, char **argv);
void jb_cli_delete_help(FILE *out);
void jb_cli_audit_help(FILE *out);
/* api/cli_backup.c */
int jb_cli_backup(int argc, char **argv);
void jb_cli_backup_help(FILE *out);
int jb_cli_restore(int argc, char **argv);
void jb_cli_restore_help(FILE *out);
/* api/version.c: the version lines of `jiebang --version` */
void jb_cli_version(FILE *out);

/* Opens the data directory dir (read-only or for writing) with notices on
 * stderr; NULL after printing why. Close with jb_engine_close. */
struct jb_engine;
struct jb_engine *jb_cli_open(const char *dir, int readonly);
/* import --dry-run (api/cli_dryrun.c): checks every record of src (named file
 * in messages) against the store of dir opened read-only — beside a running
 * server — and stores nothing. Exit status: 0, or 1 for bad lines or a
 * failure (each printed with its line number). */
struct jb_import_src;
int jb__cli_import_dry(const char *dir, struct jb_import_src *src, const char *file, int quiet);

/* export --format csv|xlsx (api/cli_sheets.c): records of type (NULL:
 * all), or challenge's list what, to path (NULL: standard output; xlsx
 * needs one); headers in English when en; a CSV BOM when bom. Exit status
 * 0, 1 (a failure, printed) or 2 (a usage error, printed). */
int jb__cli_export_sheet(const char *dir, const char *format, const char *type,
                         const char *challenge, const char *what, const char *path, int en,
                         int bom);

/* The help text's lines for --data and --help (static). */
const char *jb_cli_data_help(void);

/* Length of an input line without its line ending, and without the UTF-8
 * byte order mark on line 1 (moved out of the buffer). */
size_t jb_cli_chomp(char *line, size_t len, unsigned long lineno);

/* Prints "jiebang: <message>\n" to stderr (printf-style). */
void jb_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
