/* SPDX-License-Identifier: GPL-3.0-or-later */
/* etag.c: If-Match and If-None-Match (see etag.h). */
#include "config.h"

#include <string.h>

#include "api/etag.h"

static int ows(char ch) { return ch == ' ' || ch == '\t'; }

/* etagc of RFC 9110 8.8.3: %x21 / %x23-7E / obs-text */
static int etagc(unsigned char ch) { return ch == 0x21 || (ch >= 0x23 && ch != 0x7F); }

int jb_etag_match(const char *hdr, const char *etag, int strong) {
  if (!hdr)
    return -1;
  const char *p = hdr;
  while (ows(*p))
    p++;
  if (*p == '*') {
    p++;
    while (ows(*p))
      p++;
    if (*p)
      return -1;
    return etag != NULL;
  }
  size_t elen = etag ? strlen(etag) : 0;
  int found = 0, any = 0;
  for (;;) {
    while (ows(*p) || *p == ',') /* empty list elements are allowed (RFC 9110 5.6.1) */
      p++;
    if (!*p)
      break;
    int weak = 0;
    if (p[0] == 'W' && p[1] == '/') {
      weak = 1;
      p += 2;
    }
    if (*p != '"')
      return -1;
    const char *start = p++;
    while (*p && etagc((unsigned char)*p))
      p++;
    if (*p != '"')
      return -1;
    p++;
    size_t tlen = (size_t)(p - start);
    any = 1;
    if (etag && tlen == elen && !memcmp(start, etag, tlen) && !(weak && strong))
      found = 1;
    while (ows(*p))
      p++;
    if (*p && *p != ',')
      return -1;
  }
  if (!any)
    return -1;
  return found;
}
