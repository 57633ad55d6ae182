/* SPDX-License-Identifier: GPL-3.0-or-later */
/* body.c: record bodies of the HTTP API (see body.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "api/body.h"
#include "common/jb_error.h"
#include "engine/record.h"
#include "locale/jb_locale.h"

/* RFC 7386: objects merge key by key, null removes, anything else replaces */
static json_t *merge(const json_t *target, const json_t *patch) {
  if (!json_is_object(patch))
    return json_deep_copy(patch);
  json_t *out = json_is_object(target) ? json_deep_copy(target) : json_object();
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)patch, k, v) {
    if (json_is_null(v)) {
      json_object_del(out, k);
    } else {
      json_t *m = merge(json_object_get(out, k), v);
      if (!m || json_object_set_new(out, k, m) != 0) {
        json_decref(out);
        return NULL;
      }
    }
  }
  return out;
}

static int check_same(const json_t *doc, const char *field, const char *want, char *err,
                      size_t errlen) {
  json_t *v = json_object_get(doc, field);
  if (!v)
    return JB_OK;
  if (!json_is_string(v)) {
    snprintf(err, errlen, "%s: must be a string", field);
    return JB_EINVAL;
  }
  if (want && strcmp(json_string_value(v), want)) {
    snprintf(err, errlen, "%s: '%.128s' does not match the URL ('%.128s'); it cannot be changed",
             field, json_string_value(v), want);
    jb_utf8_clip(err); /* "%.128s" may cut a character */
    return JB_EINVAL;
  }
  return JB_OK;
}

int jb_api_body(const char *body, size_t len, const char *type, const char *id,
                const json_t *base, json_t **out, char *err, size_t errlen) {
  *out = NULL;
  if (!body || len == 0) {
    snprintf(err, errlen, "body: a JSON object is required");
    return JB_ESYNTAX;
  }
  json_t *doc = NULL;
  int rc = jb_rec_parse(body, len, &doc, err, errlen);
  if (rc != JB_OK)
    return rc;
  if (!json_is_object(doc)) {
    json_decref(doc);
    snprintf(err, errlen, "body: must be a JSON object");
    return JB_EINVAL;
  }
  if ((rc = check_same(doc, "type", type, err, errlen)) != JB_OK ||
      (rc = check_same(doc, "id", id, err, errlen)) != JB_OK) {
    json_decref(doc);
    return rc;
  }
  if (!id && !json_is_string(json_object_get(doc, "id"))) {
    json_decref(doc);
    snprintf(err, errlen, "id: required");
    return JB_EINVAL;
  }
  json_t *rec = base ? merge(base, doc) : json_incref(doc);
  json_decref(doc);
  if (!rec) {
    snprintf(err, errlen, "out of memory");
    return JB_ENOMEM;
  }
  if (json_object_set_new(rec, "type", json_string(type)) != 0 ||
      (id && json_object_set_new(rec, "id", json_string(id)) != 0)) {
    json_decref(rec);
    snprintf(err, errlen, "type: not valid UTF-8");
    return JB_EINVAL;
  }
  *out = rec;
  return JB_OK;
}
