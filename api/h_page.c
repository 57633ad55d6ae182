/* SPDX-License-Identifier: GPL-3.0-or-later */
/* h_page.c: the one pagination style of every list (docs/api.md,
 * "Pagination"): `limit` and an opaque `cursor` in, {"items", "next_cursor"
 * (null at the end), "total"} out. A cursor holds the last row's sort key
 * (keyset paging: rows inserted before it do not shift the next page) or,
 * for ranked lists, an offset. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/cursor.h"
#include "api/handlers.h"
#include "api/request.h"

int jb__page_params(jb_server *s, jb_call *c, char kind, long long dflt, long long *limit,
                    char *pos, size_t cap) {
  *limit = dflt;
  pos[0] = '\0';
  if (!jb__num_param(c, "limit", 1, (long long)jb__srv_config(s)->page_max, limit))
    return 0;
  const char *cur = jb_qs_get(&c->qs, "cursor");
  if (cur && jb_cursor_decode(cur, kind, pos, cap) != 0) {
    JB_FAILM(c, 400, BAD_CURSOR);
    return 0;
  }
  return 1;
}

int jb__page_offset(jb_server *s, jb_call *c, char kind, long long dflt, long long *limit,
                    size_t *offset) {
  char pos[32];
  *offset = 0;
  if (!jb__page_params(s, c, kind, dflt, limit, pos, sizeof pos))
    return 0;
  if (pos[0]) {
    char *end;
    unsigned long long v = strtoull(pos, &end, 10);
    if (*end || pos[0] < '0' || pos[0] > '9' || v > 1000000) {
      JB_FAILM(c, 400, BAD_CURSOR);
      return 0;
    }
    *offset = (size_t)v;
  }
  return 1;
}

json_t *jb__page_answer(json_t *items, char kind, const char *next, int64_t total, int estimated) {
  char cur[JB_CURSOR_MAX];
  json_t *nc = next && jb_cursor_encode(kind, next, cur, sizeof cur) == 0 ? json_string(cur)
                                                                           : json_null();
  json_t *ans = json_pack("{s:o,s:o,s:I}", "items", items, "next_cursor", nc, "total",
                          (json_int_t)total);
  if (ans && estimated)
    json_object_set_new(ans, "total_estimated", json_true());
  return ans;
}

struct keyed {
  const char *key;
  size_t i;
};

static int by_key(const void *a, const void *b) {
  const struct keyed *x = a, *y = b;
  int r = strcmp(x->key, y->key);
  return r ? r : (x->i > y->i) - (x->i < y->i);
}

void jb__page_array(jb_server *s, jb_call *c, json_t *all, char kind, const char *field,
                    const char *field2) {
  jb__page_array_with(s, c, all, kind, field, field2, NULL);
}

void jb__page_engine_list(jb_server *s, jb_call *c, jb_engine *e, int rc, char *out,
                          const char *what, char kind, const char *field, const char *field2,
                          json_t *extra) {
  json_t *list = rc == JB_OK ? json_loads(out, 0, NULL) : NULL;
  free(out);
  if (rc != JB_OK) {
    json_decref(extra);
    jb__engine_fail(c, e, rc);
  } else if (!json_is_array(list)) {
    json_decref(list);
    json_decref(extra);
    JB_FAILM(c, 500, INTERNAL, what);
  } else {
    jb__page_array_with(s, c, list, kind, field, field2, extra);
  }
}

void jb__page_array_with(jb_server *s, jb_call *c, json_t *all, char kind, const char *field,
                         const char *field2, json_t *extra) {
  long long limit;
  char pos[JB_CURSOR_POS_MAX + 1];
  if (!jb__page_params(s, c, kind, 50, &limit, pos, sizeof pos)) {
    json_decref(all);
    json_decref(extra);
    return;
  }
  size_t n = json_array_size(all);
  struct keyed *ks = calloc(n ? n : 1, sizeof *ks);
  char **own = calloc(n ? n : 1, sizeof *own);
  if (!ks || !own) {
    free(ks);
    free(own);
    json_decref(all);
    json_decref(extra);
    JB_FAILM(c, 503, NO_MEMORY);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    json_t *it = json_array_get(all, i);
    const char *a = json_string_value(json_object_get(it, field));
    const char *b = field2 ? json_string_value(json_object_get(it, field2)) : NULL;
    if (field2) { /* "a\x1fb": one key of two fields */
      size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0;
      own[i] = malloc(la + lb + 2);
      if (own[i]) {
        memcpy(own[i], a ? a : "", la);
        own[i][la] = '\x1f';
        memcpy(own[i] + la + 1, b ? b : "", lb + 1);
      }
    }
    ks[i].key = field2 ? (own[i] ? own[i] : "") : a ? a : "";
    ks[i].i = i;
  }
  qsort(ks, n, sizeof *ks, by_key);
  json_t *items = json_array();
  size_t i = 0;
  if (pos[0])
    while (i < n && strcmp(ks[i].key, pos) <= 0)
      i++;
  for (; i < n && json_array_size(items) < (size_t)limit; i++)
    json_array_append(items, json_array_get(all, ks[i].i));
  const char *next = i < n && json_array_size(items) ? ks[i - 1].key : NULL;
  json_t *ans = jb__page_answer(items, kind, next, (int64_t)n, 0);
  if (ans && extra)
    json_object_update(ans, extra);
  json_decref(extra);
  jb__answer(c, 200, ans);
  for (size_t j = 0; j < n; j++)
    free(own[j]);
  free(own);
  free(ks);
  json_decref(all);
}
