/* SPDX-License-Identifier: GPL-3.0-or-later */
/* body.c: record bodies of the HTTP API (see body.h). */
#include "config.h"

#include <stdarg.h>
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

/* a refusal: message id about field in *m and its English in err */
static int refuse(int rc, jb_emsg *m, char *err, size_t errlen, const char *field, int id, ...) {
  va_list ap;
  va_start(ap, id);
  jb_emsg_vset(m, field, id, ap);
  va_end(ap);
  if (err && errlen)
    jb_emsg_render(m, JB_EMSG_EN, 1, err, errlen);
  return rc;
}
#define REFUSE(rc, m, err, errlen, field, ID, ...)                                              \
  (JB_EMSG_CHECK(ID, ##__VA_ARGS__),                                                            \
   refuse((rc), (m), (err), (errlen), (field), JB_EM_##ID, ##__VA_ARGS__))

static int check_same(const json_t *doc, const char *field, const char *want, char *err,
                      size_t errlen, jb_emsg *m) {
  json_t *v = json_object_get(doc, field);
  if (!v)
    return JB_OK;
  if (!json_is_string(v))
    return REFUSE(JB_EINVAL, m, err, errlen, field, must_be_string);
  /* "%.128s" may cut a character: the renderer cuts on a boundary */
  if (want && strcmp(json_string_value(v), want))
    return REFUSE(JB_EINVAL, m, err, errlen, field, url_mismatch, json_string_value(v), want);
  return JB_OK;
}

int jb_api_body(const char *body, size_t len, const char *type, const char *id,
                const json_t *base, json_t **out, char *err, size_t errlen) {
  return jb_api_body_m(body, len, type, id, base, out, err, errlen, NULL);
}

int jb_api_body_m(const char *body, size_t len, const char *type, const char *id,
                  const json_t *base, json_t **out, char *err, size_t errlen, jb_emsg *msg) {
  jb_emsg tmp, *m = msg ? msg : &tmp;
  jb_emsg_clear(m);
  *out = NULL;
  if (!body || len == 0)
    return REFUSE(JB_ESYNTAX, m, err, errlen, "body", body_object_required);
  json_t *doc = NULL;
  int rc = jb_rec_parse_m(body, len, &doc, err, errlen, m);
  if (rc != JB_OK)
    return rc;
  if (!json_is_object(doc)) {
    json_decref(doc);
    return REFUSE(JB_EINVAL, m, err, errlen, "body", must_be_object);
  }
  if ((rc = check_same(doc, "type", type, err, errlen, m)) != JB_OK ||
      (rc = check_same(doc, "id", id, err, errlen, m)) != JB_OK) {
    json_decref(doc);
    return rc;
  }
  if (!id && !json_is_string(json_object_get(doc, "id"))) {
    json_decref(doc);
    return REFUSE(JB_EINVAL, m, err, errlen, "id", required);
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
    return REFUSE(JB_EINVAL, m, err, errlen, "type", not_valid_utf8);
  }
  *out = rec;
  return JB_OK;
}
