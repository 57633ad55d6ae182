/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jsontext.c: see jsontext.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/jsontext.h"

char *bench_join(const json_t *r, const char *const *keys) {
  size_t len = 0;
  char *buf = calloc(1, 1);
  for (size_t k = 0; buf && keys[k]; k++) {
    const json_t *v = json_object_get(r, keys[k]);
    size_t n = json_is_array(v) ? json_array_size(v) : 1;
    for (size_t i = 0; i < n; i++) {
      const char *s = json_string_value(json_is_array(v) ? json_array_get(v, i) : v);
      if (!s)
        continue;
      size_t sl = strlen(s);
      char *nb = realloc(buf, len + sl + 2);
      if (!nb) {
        free(buf);
        return NULL;
      }
      buf = nb;
      if (len)
        buf[len++] = '\n';
      memcpy(buf + len, s, sl + 1);
      len += sl;
    }
  }
  return buf;
}

int bench_weights(jb_match_weights *w, const char *prog) {
  char err[1024];
  jb_match_weights_init(w);
  const char *wf = getenv("JB_WEIGHTS");
  if (wf && jb_match_weights_load(w, wf, err, sizeof err) != JB_OK) {
    fprintf(stderr, "%s: %s\n", prog, err);
    return 1;
  }
  return 0;
}
