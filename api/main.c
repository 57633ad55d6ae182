/* main.c: `jiebang COMMAND [OPTIONS]` — dispatch to the subcommands. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/cli.h"

static const jb_cli_command COMMANDS[] = {
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
    printf("jiebang %s\n", PACKAGE_VERSION);
    return 0;
  }
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (!strcmp(cmd, COMMANDS[i].name))
      return COMMANDS[i].run(argc - 1, argv + 1);
  jb_cli_error("unknown command '%s' (try 'jiebang --help')", cmd);
  return 2;
}
