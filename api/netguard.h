/* SPDX-License-Identifier: GPL-3.0-or-later */
/* netguard.h: which addresses a webhook may reach (no server-side request
 * forgery, docs/webhooks.md): a list of CIDR ranges (webhooks.allow,
 * loopback by default), the URL's parts, and the check of every address a
 * host name resolves to. Pure C over the socket API, no libcurl: unit-tested
 * (tests/unit/check_api.c) and fuzzed (tests/fuzz/fuzz_netguard.c). */
#ifndef JB_NETGUARD_H
#define JB_NETGUARD_H

#include <stddef.h>
#include <stdint.h>

#include <sys/socket.h>

#include "api/problem.h"

#define JB_NETGUARD_MAX 64 /* ranges in one list */

typedef struct {
  struct {
    int v6;                 /* 0: IPv4 (4 bytes of addr), 1: IPv6 (16) */
    unsigned char addr[16]; /* the network, host bits cleared */
    unsigned prefix;        /* 0-32 or 0-128 */
  } r[JB_NETGUARD_MAX];
  size_t n;
} jb_cidrs;

/* The default of webhooks.allow: loopback only. */
#define JB_NETGUARD_DEFAULT "127.0.0.0/8, ::1/128"

/* Parses a list of ranges separated by commas and/or spaces ("10.0.0.0/8,
 * ::1/128, 192.0.2.7" — an address alone is a /32 or /128) into *out (an
 * empty text: no range, nothing allowed). JB_OK, or JB_ESYNTAX with a
 * sentence naming the item in err (a bad address, a prefix out of range, a
 * prefix with host bits set, more than JB_NETGUARD_MAX ranges). */
int jb_cidrs_parse(jb_cidrs *out, const char *text, char *err, size_t errlen);

/* 1 when the socket address (AF_INET or AF_INET6; an IPv4-mapped IPv6
 * address counts as its IPv4 address) is in one of the ranges, else 0
 * (other families: 0). */
int jb_cidrs_allow(const jb_cidrs *l, const struct sockaddr *sa);

/* The parts of an http:// or https:// URL: the host (an IPv6 literal
 * without its brackets) into host (size hostlen), the port (the scheme's
 * default when absent) and https (1 or 0). JB_OK, or JB_EINVAL with a
 * sentence in err: another scheme, user info ('@' in the authority), an
 * empty or too long host, a bad port, spaces or control characters; the
 * sentence in lang (api/messages.h). */
int jb_url_parts(const char *url, char *host, size_t hostlen, int *port, int *https, jb_lang lang,
                 char *err, size_t errlen);

/* Resolves url's host (getaddrinfo: blocking) and checks every address
 * against l: JB_OK when it resolves and all are allowed; JB_EPERM naming
 * the first refused address, JB_ENOENT when the host does not resolve,
 * JB_EINVAL for a bad URL; a sentence in lang in err that starts "url". */
int jb_netguard_check_url(const jb_cidrs *l, const char *url, jb_lang lang, char *err,
                          size_t errlen);

#endif
