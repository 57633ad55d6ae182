/* SPDX-License-Identifier: GPL-3.0-or-later */
/* netguard.c: the webhook address guard (api/netguard.h). */
#include "config.h"

#include <stdarg.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include "api/messages.h"
#include "api/netguard.h"
#include "common/jb_error.h"

static int set_range(jb_cidrs *out, const char *item, size_t len, char *err, size_t errlen) {
  char buf[80], *slash;
  if (len >= sizeof buf) {
    snprintf(err, errlen, "'%.40s...': not an address range (ADDRESS or ADDRESS/PREFIX)", item);
    return JB_ESYNTAX;
  }
  memcpy(buf, item, len);
  buf[len] = '\0';
  if (out->n == JB_NETGUARD_MAX) {
    snprintf(err, errlen, "more than %d ranges", JB_NETGUARD_MAX);
    return JB_ESYNTAX;
  }
  unsigned prefix = 0;
  int has_prefix = (slash = strchr(buf, '/')) != NULL;
  if (has_prefix) {
    *slash = '\0';
    const char *p = slash + 1;
    if (!*p || strlen(p) > 3) {
      snprintf(err, errlen, "'%s': a prefix length after '/' is needed", item[0] ? buf : "");
      return JB_ESYNTAX;
    }
    for (; *p; p++) {
      if (!isdigit((unsigned char)*p)) {
        snprintf(err, errlen, "'%s/%s': the prefix length is not a number", buf, slash + 1);
        return JB_ESYNTAX;
      }
      prefix = prefix * 10 + (unsigned)(*p - '0');
    }
  }
  unsigned char a[16];
  int v6;
  if (inet_pton(AF_INET, buf, a) == 1)
    v6 = 0;
  else if (inet_pton(AF_INET6, buf, a) == 1)
    v6 = 1;
  else {
    snprintf(err, errlen, "'%s': not an IPv4 or IPv6 address", buf);
    return JB_ESYNTAX;
  }
  unsigned max = v6 ? 128 : 32;
  if (!has_prefix)
    prefix = max;
  if (prefix > max) {
    snprintf(err, errlen, "'%s/%u': the prefix length is more than %u", buf, prefix, max);
    return JB_ESYNTAX;
  }
  for (unsigned bit = prefix; bit < max; bit++)
    if (a[bit / 8] & (0x80u >> (bit % 8))) {
      snprintf(err, errlen, "'%s/%u': host bits are set (the network is written with them 0)", buf,
               prefix);
      return JB_ESYNTAX;
    }
  out->r[out->n].v6 = v6;
  memset(out->r[out->n].addr, 0, 16);
  memcpy(out->r[out->n].addr, a, v6 ? 16 : 4);
  out->r[out->n].prefix = prefix;
  out->n++;
  return JB_OK;
}

int jb_cidrs_parse(jb_cidrs *out, const char *text, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  if (!text)
    return JB_OK;
  const char *p = text;
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == ',')
      p++;
    if (!*p)
      return JB_OK;
    size_t len = strcspn(p, " \t,");
    int rc = set_range(out, p, len, err, errlen);
    if (rc != JB_OK) {
      memset(out, 0, sizeof *out);
      return rc;
    }
    p += len;
  }
}

static int in_range(const unsigned char *a, const unsigned char *net, unsigned prefix) {
  unsigned full = prefix / 8, rest = prefix % 8;
  if (memcmp(a, net, full))
    return 0;
  if (!rest)
    return 1;
  unsigned char mask = (unsigned char)(0xFFu << (8 - rest));
  return (a[full] & mask) == (net[full] & mask);
}

int jb_cidrs_allow(const jb_cidrs *l, const struct sockaddr *sa) {
  if (!l || !sa)
    return 0;
  unsigned char a[16];
  int v6;
  if (sa->sa_family == AF_INET) {
    memcpy(a, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
    v6 = 0;
  } else if (sa->sa_family == AF_INET6) {
    const struct in6_addr *x = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(x)) {
      memcpy(a, x->s6_addr + 12, 4);
      v6 = 0;
    } else {
      memcpy(a, x->s6_addr, 16);
      v6 = 1;
    }
  } else {
    return 0;
  }
  for (size_t i = 0; i < l->n; i++)
    if (l->r[i].v6 == v6 && in_range(a, l->r[i].addr, l->r[i].prefix))
      return 1;
  return 0;
}

/* a message of the catalogue (api/messages.h) in lang into err, its arguments
 * checked against both formats */
static void say(char *err, size_t errlen, jb_msg m, jb_lang lang, ...) {
  va_list ap;
  va_start(ap, lang);
  jb_msg_vformat(err, errlen, m, lang, ap);
  va_end(ap);
}
#define SAY(ID, ...) (JB_MSG_CHECK(ID, ##__VA_ARGS__), say(err, errlen, M_##ID, lang, ##__VA_ARGS__))

int jb_url_parts(const char *url, char *host, size_t hostlen, int *port, int *https, jb_lang lang,
                 char *err, size_t errlen) {
  host[0] = '\0';
  const char *p;
  if (!strncmp(url, "http://", 7)) {
    *https = 0;
    *port = 80;
    p = url + 7;
  } else if (!strncmp(url, "https://", 8)) {
    *https = 1;
    *port = 443;
    p = url + 8;
  } else {
    SAY(URL_SCHEME);
    return JB_EINVAL;
  }
  for (const unsigned char *c = (const unsigned char *)url; *c; c++)
    if (*c <= 0x20 || *c >= 0x7f) {
      SAY(URL_CHARS);
      return JB_EINVAL;
    }
  size_t alen = strcspn(p, "/?#");
  if (memchr(p, '@', alen)) {
    SAY(URL_USERINFO);
    return JB_EINVAL;
  }
  const char *h = p, *hend, *colon;
  if (*h == '[') {
    const char *close = memchr(h, ']', alen);
    if (!close) {
      SAY(URL_V6_OPEN);
      return JB_EINVAL;
    }
    h++;
    hend = close;
    colon = close + 1 < p + alen && close[1] == ':' ? close + 1 : NULL;
    if (!colon && close + 1 != p + alen) {
      SAY(URL_V6_TRAIL);
      return JB_EINVAL;
    }
  } else {
    colon = memchr(h, ':', alen);
    hend = colon ? colon : p + alen;
  }
  size_t hl = (size_t)(hend - h);
  if (hl == 0 || hl >= hostlen || hl > 253) {
    if (hl)
      SAY(URL_HOST_LONG);
    else
      SAY(URL_HOST_MISSING);
    return JB_EINVAL;
  }
  if (colon) {
    const char *q = colon + 1, *end = p + alen;
    long v = 0;
    if (q == end || end - q > 5) {
      SAY(URL_PORT);
      return JB_EINVAL;
    }
    for (; q < end; q++) {
      if (!isdigit((unsigned char)*q)) {
        SAY(URL_PORT);
        return JB_EINVAL;
      }
      v = v * 10 + (*q - '0');
    }
    if (v < 1 || v > 65535) {
      SAY(URL_PORT);
      return JB_EINVAL;
    }
    *port = (int)v;
  }
  memcpy(host, h, hl);
  host[hl] = '\0';
  return JB_OK;
}

int jb_netguard_check_url(const jb_cidrs *l, const char *url, jb_lang lang, char *err,
                          size_t errlen) {
  char host[256];
  int port, https;
  int rc = jb_url_parts(url, host, sizeof host, &port, &https, lang, err, errlen);
  if (rc != JB_OK)
    return rc;
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  char ps[8];
  snprintf(ps, sizeof ps, "%d", port);
  int g = getaddrinfo(host, ps, &hints, &res);
  if (g != 0) {
    hints.ai_flags = 0; /* loopback-only machines: AI_ADDRCONFIG hides ::1 */
    g = getaddrinfo(host, ps, &hints, &res);
  }
  if (g != 0 || !res) {
    SAY(URL_NO_RESOLVE, host, gai_strerror(g));
    return JB_ENOENT;
  }
  rc = JB_OK;
  for (struct addrinfo *ai = res; ai && rc == JB_OK; ai = ai->ai_next) {
    if (!jb_cidrs_allow(l, ai->ai_addr)) {
      char a[INET6_ADDRSTRLEN] = "?";
      const void *x = ai->ai_family == AF_INET
                          ? (const void *)&((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr
                          : (const void *)&((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr;
      inet_ntop(ai->ai_family, x, a, sizeof a);
      SAY(URL_FORBIDDEN, a, host);
      rc = JB_EPERM;
    }
  }
  freeaddrinfo(res);
  return rc;
}
