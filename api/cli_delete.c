/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_delete.c: `jiebang delete TYPE ID` — the administrator's way to remove
 * one stored record, whatever its id (also one the id rule of today would
 * refuse, stored under an earlier rule) and whatever its body (also one that
 * no longer parses or validates, or that the index quarantined). */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/cli.h"
#include "engine/jiebang.h"

void jb_cli_delete_help(FILE *out) {
  fprintf(out,
          "usage: jiebang delete TYPE ID [--data DIR]\n\n"
          "Deletes one stored record (TYPE: org, expert, output, challenge) by its exact\n"
          "id, also one stored under an earlier id rule or one that `jiebang verify`\n"
          "reports as invalid or quarantined. Refused while another record refers to it\n"
          "(the referrer is named). Audited as actor cli:$USER. Run it beside a stopped\n"
          "server (it needs the index's write lock).\n\n%s",
          jb_cli_data_help());
}

int jb_cli_delete(int argc, char **argv) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'd'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  const char *dir = "var";
  int opt;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (opt) {
    case 'd': dir = optarg; break;
    case 'h': jb_cli_delete_help(stdout); return 0;
    default: jb_cli_delete_help(stderr); return 2;
    }
  }
  if (argc - optind != 2) {
    jb_cli_error("delete: name TYPE and ID");
    return 2;
  }
  const char *type = argv[optind], *id = argv[optind + 1];
  jb_engine *e = jb_cli_open(dir, 0);
  if (!e)
    return 1;
  int rc;
  char *before = NULL;
  int64_t seq = 0;
  if ((rc = jb_engine_get(e, type, id, &before)) == JB_OK && (rc = jb_engine_begin(e)) == JB_OK) {
    char actor[128];
    const char *user = getenv("USER");
    snprintf(actor, sizeof actor, "cli:%.100s", user && *user ? user : "unknown");
    rc = jb_engine_delete(e, type, id, &seq);
    if (rc == JB_OK)
      rc = jb_engine_audit(e, actor, "delete", type, id, before, NULL, "jiebang delete");
    rc = rc == JB_OK ? jb_engine_commit(e) : (jb_engine_rollback(e), rc);
  }
  if (rc == JB_OK)
    printf("deleted %s '%s' (change %lld)\n", type, id, (long long)seq);
  else
    jb_cli_error("%s", jb_engine_error(e)[0] ? jb_engine_error(e) : jb_strerror(rc));
  free(before);
  jb_engine_close(e);
  return rc == JB_OK ? 0 : 1;
}
