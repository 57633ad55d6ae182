/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jb_datadir.h: where jiebang's shipped data is (openapi.json, lexicon/,
 * demo/), found at run time so that no build-tree path is compiled in:
 *   1. $JIEBANG_DATADIR, when set and not empty;
 *   2. a binary in a build tree (its directory, or one of the two above it,
 *      holds config.status): that tree's data/ (make links it to the
 *      source's data/ in an out-of-tree build);
 *   3. the installed tree relative to the binary: BINDIR/../share/jiebang
 *      (a relocated prefix), when it holds openapi.json;
 *   4. the configured pkgdatadir.
 * The binary's own path comes from /proc/self/exe. */
#ifndef JB_DATADIR_H
#define JB_DATADIR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The data directory as above, computed once (thread-safe) and kept: a
 * static string, never NULL. */
const char *jb_datadir(void);

/* jb_datadir() + "/" + rel into buf (NUL-terminated). Returns buf, or NULL
 * when it does not fit in len (buf is then ""). */
char *jb_datafile(const char *rel, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
