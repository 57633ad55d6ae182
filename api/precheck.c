/* SPDX-License-Identifier: GPL-3.0-or-later */
/* precheck.c: the checks a request's head gets before any body is read —
 * the target and header sizes, header names, framing, the body's length and
 * type (loop thread). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/messages.h"
#include "api/server_state.h"

struct hdrsum {
  size_t bytes;
  int content_length, transfer_encoding, bad_name;
  const char *cl, *te, *ct; /* the values, seen in the same pass */
};

/* RFC 9110 token characters */
static int is_token(const char *k) {
  if (!*k)
    return 0;
  for (; *k; k++)
    if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
          strchr("!#$%&'*+-.^_`|~", *k)))
      return 0;
  return 1;
}

static enum MHD_Result sum_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value) {
  (void)kind;
  struct hdrsum *h = cls;
  h->bytes += strlen(key) + (value ? strlen(value) : 0) + 4;
  if (!is_token(key))
    h->bad_name = 1;
  if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
    h->content_length++;
    h->cl = value;
  } else if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
    h->transfer_encoding++;
    h->te = value;
  } else if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_TYPE) && !h->ct) {
    h->ct = value;
  }
  return MHD_YES;
}

/* checks made before any body is read: 0 or a status with *msg */
int jb__precheck(jb_server *s, req *r, const char *method, jb_msg *msg) {
  if (r->uri_too_long) {
    *msg = M_URL_TOO_LONG;
    return 414;
  }
  if (!r->uri) {
    *msg = M_NO_MEMORY;
    return 503;
  }
  struct hdrsum h = {0};
  MHD_get_connection_values(r->conn, MHD_HEADER_KIND, sum_header, &h);
  if (h.bytes > s->cfg.header_max) {
    *msg = M_HEADERS_TOO_LARGE;
    return 431;
  }
  if (h.bad_name) {
    *msg = M_BAD_HEADER_NAME;
    return 400;
  }
  if (h.content_length > 1 || (h.content_length && h.transfer_encoding) || h.transfer_encoding > 1) {
    *msg = M_CL_AND_TE;
    return 400;
  }
  const char *te = h.te;
  if (te && strcasecmp(te, "chunked")) {
    *msg = M_ONLY_CHUNKED;
    return 400;
  }
  const char *cl = h.cl;
  if (cl) {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(cl, &end, 10);
    if (*cl < '0' || *cl > '9' || *end || errno) {
      *msg = M_BAD_CL;
      return 400;
    }
    if (n > s->cfg.body_max) {
      *msg = M_BODY_TOO_LARGE;
      return 413;
    }
  }
  int has_body = (cl && strcmp(cl, "0")) || te;
  if (!strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH")) {
    const char *ct = h.ct;
    /* a PATCH is a JSON merge patch (RFC 7386), as either type */
    int patch = !strcmp(method, "PATCH");
    size_t n = ct && patch && !strncasecmp(ct, "application/merge-patch+json", 28) ? 28 : 16;
    /* POST /v1/import also takes NDJSON and CSV (api/h_sheets.c) */
    size_t ul = strcspn(r->uri, "?");
    int import = !strcmp(method, "POST") && ul == 10 && !strncmp(r->uri, "/v1/import", 10);
    if (ct && import) {
      if (!strncasecmp(ct, "text/csv", 8))
        n = 8;
      else if (!strncasecmp(ct, "application/x-ndjson", 20))
        n = 20;
    }
    if (has_body && (!ct || (n == 16 && strncasecmp(ct, "application/json", 16)) ||
                     (ct[n] && ct[n] != ';' && ct[n] != ' '))) {
      *msg = patch ? M_PATCH_TYPE : import ? M_IMPORT_MEDIA : M_JSON_ONLY;
      return 415;
    }
  } else if (has_body) {
    *msg = M_NO_BODY;
    return 400;
  }
  return 0;
}

