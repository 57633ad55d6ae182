/* SPDX-License-Identifier: GPL-3.0-or-later */
/* console.h: the web console's static files (GET / and GET /console/{file},
 * docs/console.md), read into memory once at start-up so that the loop
 * thread answers them without touching the disk. Internal to api/. */
#ifndef JB_CONSOLE_H
#define JB_CONSOLE_H

#include <stddef.h>

typedef struct jb_console jb_console;

/* Whether name may be a console file: [a-z0-9_-]+ then .js, .css, .svg or
 * .html, at most 63 bytes. 1 or 0. Pure; the only names ever looked up, so a
 * path can never leave the console directory. */
int jb_console_name_ok(const char *name);

/* Loads the console: every file of the shipped data's console/ directory
 * (jb_datafile: installed, or the build tree's) whose name passes
 * jb_console_name_ok (files of other names are ignored). Returns a console
 * (the caller frees it with jb_console_free), an empty one when the
 * directory does not exist (the API still serves; GET / is then a 404), or NULL when
 * out of memory or a file cannot be read (err says which, errlen bytes). */
jb_console *jb_console_load(char *err, size_t errlen);

/* The file called name: its bytes in *body (owned by con, valid until
 * jb_console_free), their count in *len and the Content-Type in *ctype (a
 * static string). 0, or -1 when there is no such file (or con is NULL). */
int jb_console_get(const jb_console *con, const char *name, const char **body, size_t *len,
                   const char **ctype);

/* Frees con; NULL is fine. */
void jb_console_free(jb_console *con);

#endif
