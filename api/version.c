/* SPDX-License-Identifier: GPL-3.0-or-later */
/* version.c: `jiebang --version` — this build and the libraries it runs
 * with, each asked through its own layer (Xapian through index/, ICU
 * through locale/, SQLite through the engine's store). */
#include "config.h"

#include <stdio.h>

#include <microhttpd.h>
#include <uv.h>

#include "api/cli.h"
#include "api/service.h"
#include "engine/backup.h"
#include "index/xapian_shim.h"
#include "jb_commit.h"
#include "locale/jb_locale.h"

void jb_cli_version(FILE *out) {
  char icu[32];
  fprintf(out,
          "jiebang %s\n"
          "commit %s\n"
          "Xapian %s\n"
          "ICU %s\n"
          "SQLite %s\n"
          "libmicrohttpd %s\n"
          "libuv %s\n"
          "service %s\n",
          PACKAGE_VERSION, JB_COMMIT, jb_index_xapian_version(),
          jb_locale_icu_version(icu, sizeof icu), jb_store_sqlite_version(), MHD_get_version(),
          uv_version_string(), jb_service_support());
}
