/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_backup.c: `jiebang backup` and `jiebang restore` (engine/backup.h). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "api/cli.h"
#include "engine/backup.h"

void jb_cli_backup_help(FILE *out) {
  fprintf(out,
          "usage: jiebang backup [--data DIR] DEST\n\n"
          "Copies the store of DIR into the new directory DEST (jiebang.db and MANIFEST)\n"
          "as one consistent snapshot, also while a server writes (SQLite's online backup).\n"
          "The index is not copied: restore rebuilds it. DEST must not exist; a backup\n"
          "is written to DEST.partial and renamed when complete, so an interrupted one\n"
          "leaves no DEST. Prints what it saved.\n\n%s",
          jb_cli_data_help());
}

void jb_cli_restore_help(FILE *out) {
  fprintf(out,
          "usage: jiebang restore [--replace] [--data DIR] SRC\n\n"
          "Restores the backup SRC (made by `jiebang backup`) into DIR: copies the store,\n"
          "upgrades it when the backup is older, and rebuilds the index. DIR must hold no\n"
          "store, or --replace replaces it (stop the server first: a running server is\n"
          "refused). A backup newer than this jiebang is refused.\n\n"
          "  --replace            replace the store already in DIR\n%s",
          jb_cli_data_help());
}

static void notice(void *ctx, const char *msg) {
  (void)ctx;
  fprintf(stderr, "jiebang: %s\n", msg);
}

/* Parses [--data DIR] [--replace] and one operand; 0, or the exit status. */
static int parse(int argc, char **argv, int restore, const char **dir, const char **operand,
                 int *replace) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'd'},
                                     {"replace", no_argument, NULL, 'r'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  void (*help)(FILE *) = restore ? jb_cli_restore_help : jb_cli_backup_help;
  int opt;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (opt) {
    case 'd': *dir = optarg; break;
    case 'r':
      if (!restore) {
        jb_cli_error("backup: --replace is an option of restore (a backup is never replaced)");
        return 2;
      }
      *replace = 1;
      break;
    case 'h': help(stdout); return -1;
    default: help(stderr); return 2;
    }
  }
  if (argc - optind != 1) {
    jb_cli_error("%s: one %s is needed (see 'jiebang %s --help')", argv[0],
                 restore ? "backup directory SRC" : "destination DEST", argv[0]);
    return 2;
  }
  *operand = argv[optind];
  return 0;
}

int jb_cli_backup(int argc, char **argv) {
  const char *dir = "var", *dest = NULL;
  int replace = 0, st = parse(argc, argv, 0, &dir, &dest, &replace);
  if (st)
    return st < 0 ? 0 : st;
  jb_backup_info info;
  char err[1024];
  if (jb_backup(dir, dest, &info, err, sizeof err) != 0) {
    jb_cli_error("%s", err);
    return 1;
  }
  printf("backed up %s to %s: %lld records, last change %lld, schema %d\n", dir, dest,
         (long long)info.records, (long long)info.last_seq, info.schema);
  return 0;
}

int jb_cli_restore(int argc, char **argv) {
  const char *dir = "var", *src = NULL;
  int replace = 0, st = parse(argc, argv, 1, &dir, &src, &replace);
  if (st)
    return st < 0 ? 0 : st;
  char err[1024];
  if (jb_restore(src, dir, replace, notice, NULL, err, sizeof err) != 0) {
    jb_cli_error("%s", err);
    return 1;
  }
  jb_backup_info info;
  jb_backup_read(src, &info, NULL, 0);
  printf("restored %s into %s: %lld records, last change %lld\n", src, dir,
         (long long)info.records, (long long)info.last_seq);
  return 0;
}
