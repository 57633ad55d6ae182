/* SPDX-License-Identifier: GPL-3.0-or-later */
/* h_precond.c: conditional requests (RFC 9110 section 13) and the media
 * type of a PATCH (RFC 7386) for the record and lifecycle handlers. An
 * entity tag is jb_rec_etag of the record's stored canonical text: it names
 * the stored version, whoever reads it (a redacted view of a challenge
 * carries the tag of the version it was cut from). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api/etag.h"
#include "api/handlers.h"
#include "api/request.h"
#include "engine/record.h"

int jb__precondition(jb_call *c, const char *stored) {
  char tag[JB_REC_ETAG_SIZE];
  if (stored)
    jb_rec_etag(stored, strlen(stored), tag);
  if (c->if_match) {
    int m = jb_etag_match(c->if_match, stored ? tag : NULL, 1);
    if (m < 0) {
      JB_FAILM(c, 400, BAD_IF_MATCH);
      return 400;
    }
    if (!m) {
      if (stored)
        JB_FAILM(c, 412, STALE_ETAG, tag);
      else
        JB_FAILM(c, 412, NO_RECORD_MATCH);
      return 412;
    }
  }
  if (c->if_none_match) {
    int m = jb_etag_match(c->if_none_match, stored ? tag : NULL, 0);
    if (m < 0) {
      JB_FAILM(c, 400, BAD_IF_NONE_MATCH);
      return 400;
    }
    if (m) {
      if (stored)
        JB_FAILM(c, 412, RECORD_EXISTS, tag);
      else
        JB_FAILM(c, 412, NONE_MATCH_FAILED);
      return 412;
    }
  }
  return 0;
}

int jb__not_modified(jb_call *c, const char *stored) {
  jb_rec_etag(stored, strlen(stored), c->etag);
  if (!c->if_none_match)
    return 0;
  int m = jb_etag_match(c->if_none_match, c->etag, 0);
  if (m < 0) {
    JB_FAILM(c, 400, BAD_IF_NONE_MATCH);
    return -1;
  }
  if (!m)
    return 0;
  free(c->resp);
  c->resp = strdup("");
  if (c->resp)
    c->status = 304;
  else
    JB_FAILM(c, 503, NO_MEMORY);
  return 1;
}

void jb__set_etag(jb_call *c, jb_engine *e, const char *type, const char *id) {
  char *text = NULL;
  c->etag[0] = '\0';
  if (jb_engine_get(e, type, id, &text) == JB_OK && text)
    jb_rec_etag(text, strlen(text), c->etag);
  free(text);
}

int jb__challenge_precondition(jb_call *c, jb_engine *w) {
  if (!c->if_match && !c->if_none_match)
    return 0;
  char *text = NULL;
  int rc = jb_engine_get(w, "challenge", c->id, &text);
  return jb__stored_precondition(c, w, rc, text);
}

int jb__stored_precondition(jb_call *c, jb_engine *w, int rc, char *text) {
  if (rc != JB_OK && rc != JB_ENOENT) {
    free(text);
    jb__engine_fail(c, w, rc);
    return c->status;
  }
  int st = jb__precondition(c, rc == JB_OK ? text : NULL);
  free(text);
  return st;
}
