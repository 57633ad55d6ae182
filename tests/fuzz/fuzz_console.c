/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_console.c: fuzz target for the web console's file-name rule
 * (jb_console_name_ok: the one gate between a request path and the console
 * directory) and the lookup behind it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/console.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);

static jb_console *con;
void jb_fuzz_teardown(void) {
  jb_console_free(con);
  con = NULL;
}

/* the rule written again, independently: [a-z0-9_-]+ '.' (js|css|svg|html) */
static int expected(const char *s, size_t n) {
  const char *dot = memchr(s, '.', n);
  if (!dot || dot == s || n > 63)
    return 0;
  for (const char *p = s; p < dot; p++)
    if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_-", *p) || !*p)
      return 0;
  const char *ext = dot + 1;
  size_t el = n - (size_t)(ext - s);
  return (el == 2 && !memcmp(ext, "js", 2)) || (el == 3 && !memcmp(ext, "css", 3)) ||
         (el == 3 && !memcmp(ext, "svg", 3)) || (el == 4 && !memcmp(ext, "html", 4));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!con) {
    char err[256];
    if (!(con = jb_console_load(err, sizeof err)))
      abort();
  }
  char name[128];
  if (size >= sizeof name)
    size = sizeof name - 1;
  memcpy(name, data, size);
  name[size] = '\0';
  size_t n = strlen(name); /* a NUL ends the name, as in a C string */
  int ok = jb_console_name_ok(name);
  if (ok != expected(name, n))
    abort();
  if (ok && (strchr(name, '/') || strstr(name, "..")))
    abort();
  const char *body, *ctype;
  size_t len;
  if (jb_console_get(con, name, &body, &len, &ctype) == 0) {
    if (!ok || !body || !ctype)
      abort();
    volatile char touch = len ? body[len - 1] : 0; /* the bytes are readable */
    (void)touch;
  }
  return 0;
}
