/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match_page.c: one page of a match ranking (jiebang.h,
 * jb_engine_match_page): the ranking cut deep enough for the page and for
 * the dismissed matches left out of it, sliced, with its total — so the
 * HTTP API passes the engine's JSON on without parsing it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "engine/engine_int.h"
#include "engine/jiebang.h"

/* matches are ranked at most this deep (docs/api.md, "Pagination") */
#define RANK_DEPTH 100

int jb_engine_match_page(jb_engine *e, const jb_match_req *req, size_t offset, size_t limit,
                         char **json, int *more) {
  if (!json || !more)
    return JB_EINVAL;
  *json = NULL;
  *more = 0;
  if (!e || !req)
    return JB_EINVAL;
  if (offset >= RANK_DEPTH)
    return jb__eset(e, JB_EINVAL, "cursor: matches are ranked %d deep", RANK_DEPTH);
  if (limit == 0 || limit > RANK_DEPTH)
    return jb__eset(e, JB_EINVAL, "limit: must be from 1 to %d", RANK_DEPTH);
  /* the page, one more (is there a next?) and room for the dismissed ones
   * left out: limit counts the matches shown */
  size_t want = offset + limit + 11;
  if (want > RANK_DEPTH)
    want = RANK_DEPTH;
  jb_match_req r = *req;
  r.limit = want;
  json_t *out = NULL;
  int rc = jb__match_json(e, &r, &out);
  if (rc != JB_OK)
    return rc;
  json_t *all = json_object_get(out, "matches"), *page = json_array();
  size_t n = json_array_size(all);
  for (size_t i = offset; page && i < n && json_array_size(page) < limit; i++)
    json_array_append(page, json_array_get(all, i));
  *more = offset + limit < n;
  /* fewer than asked of the ranking: that is all of them; else at least n */
  if (!page || json_object_set_new(out, "matches", page) != 0 ||
      json_object_set_new(out, "total", json_integer((json_int_t)n)) != 0 ||
      (n >= want && json_object_set_new(out, "total_estimated", json_true()) != 0))
    rc = JB_ENOMEM;
  if (rc == JB_OK && !(*json = json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(10))))
    rc = JB_ENOMEM;
  json_decref(out);
  if (rc != JB_OK)
    *more = 0;
  return rc;
}
