/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: `jiebang COMMAND [OPTIONS]` — dispatch to the subcommands. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "api/cli.h"
#include "locale/jb_locale.h"

static const jb_cli_command COMMANDS[] = {
    {"import", "import records from JSONL (or the demo world)", jb_cli_import,
     jb_cli_import_help},
    {"export", "write the stored records as JSONL", jb_cli_export, jb_cli_export_help},
    {"get", "print one record", jb_cli_get, jb_cli_get_help},
    {"search", "ranked full-text search", jb_cli_search, jb_cli_search_help},
    {"match", "explained matches: challenge -> candidates, or record -> open challenges",
     jb_cli_match, jb_cli_match_help},
    {"suggest", "terms the best candidates share and a challenge lacks (the vague-need assistant)",
     jb_cli_suggest, jb_cli_suggest_help},
    {"stats", "counts, index and outbox state", jb_cli_stats, jb_cli_stats_help},
    {"reindex", "rebuild the index from the store and switch to it", jb_cli_reindex,
     jb_cli_reindex_help},
    {"verify", "check the store and that the index matches it", jb_cli_verify,
     jb_cli_verify_help},
    {"delete", "delete one stored record by type and exact id", jb_cli_delete,
     jb_cli_delete_help},
    {"serve", "run the HTTP API", jb_cli_serve, jb_cli_serve_help},
    {"key", "create or revoke an API key", jb_cli_key, jb_cli_key_help},
    {"audit", "verify or list the tamper-evident audit log", jb_cli_audit, jb_cli_audit_help},
    {"backup", "copy the store into a backup directory (beside a running server)",
     jb_cli_backup, jb_cli_backup_help},
    {"restore", "restore a backup into a data directory and rebuild its index", jb_cli_restore,
     jb_cli_restore_help},
    {"tokenize", "print the terms (or words) the index gets for text on stdin",
     jb_cli_tokenize, jb_cli_tokenize_help},
};
#define NCOMMANDS (sizeof COMMANDS / sizeof *COMMANDS)

void jb_cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("jiebang: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

size_t jb_cli_chomp(char *line, size_t len, unsigned long lineno) {
  while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    len--;
  if (lineno == 1 && len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) {
    memmove(line, line + 3, len - 3);
    len -= 3;
  }
  return len;
}

static void usage(FILE *out) {
  fprintf(out, "usage: jiebang COMMAND [OPTIONS]\n\n"
               "jiebang matches enterprise R&D challenges (揭榜挂帅) with research outputs,\n"
               "experts and organisations.\n\ncommands:\n");
  for (size_t i = 0; i < NCOMMANDS; i++)
    fprintf(out, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
  fprintf(out, "\n'jiebang COMMAND --help' describes a command. 'jiebang --version' prints "
               "the version.\n");
}

int main(int argc, char **argv) {
  /* what jiebang creates (the data directory's files, the index, exports
   * redirected by the shell are the shell's) is its owner's alone: the store
   * holds API key hashes and confidential fields (engine/private.c) */
  umask(077);
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    if (argc > 2 && strcmp(cmd, "help") == 0) {
      for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(argv[2], COMMANDS[i].name)) {
          COMMANDS[i].help(stdout);
          return 0;
        }
      jb_cli_error("unknown command '%s'", argv[2]);
      return 2;
    }
    usage(stdout);
    return 0;
  }
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
    jb_cli_version(stdout);
    return 0;
  }
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (!strcmp(cmd, COMMANDS[i].name)) {
      int status = COMMANDS[i].run(argc - 1, argv + 1);
      jb_locale_cleanup();
      return status;
    }
  jb_cli_error("unknown command '%s' (try 'jiebang --help')", cmd);
  return 2;
}
