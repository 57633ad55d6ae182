/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_netguard.c: fuzz target for the webhook address guard's parsers
 * (api/netguard.c): any input as a CIDR list parses or is refused with a
 * message and an empty list; what parses has at most JB_NETGUARD_MAX
 * ranges, each with a prefix in range and no host bit set, and contains its
 * own network address; any input as a URL is split or refused with a
 * sentence starting "url: ", and a split host is non-empty and NUL-free. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>

#include "api/netguard.h"
#include "common/jb_error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *in = malloc(size + 1);
  if (!in)
    return 0;
  memcpy(in, data, size);
  in[size] = '\0';
  jb_cidrs l;
  char err[300] = "";
  if (jb_cidrs_parse(&l, in, err, sizeof err) == JB_OK) {
    if (l.n > JB_NETGUARD_MAX)
      abort();
    for (size_t i = 0; i < l.n; i++) {
      unsigned max = l.r[i].v6 ? 128 : 32;
      if (l.r[i].prefix > max)
        abort();
      for (unsigned bit = l.r[i].prefix; bit < max; bit++)
        if (l.r[i].addr[bit / 8] & (0x80u >> (bit % 8)))
          abort();
      struct sockaddr_in a4;
      struct sockaddr_in6 a6;
      memset(&a4, 0, sizeof a4);
      memset(&a6, 0, sizeof a6);
      int yes;
      if (l.r[i].v6) {
        a6.sin6_family = AF_INET6;
        memcpy(&a6.sin6_addr, l.r[i].addr, 16);
        /* a mapped network is checked as IPv4: only the others must match */
        yes = IN6_IS_ADDR_V4MAPPED(&a6.sin6_addr) || jb_cidrs_allow(&l, (struct sockaddr *)&a6);
      } else {
        a4.sin_family = AF_INET;
        memcpy(&a4.sin_addr, l.r[i].addr, 4);
        yes = jb_cidrs_allow(&l, (struct sockaddr *)&a4);
      }
      if (!yes)
        abort();
    }
  } else if (l.n != 0 || !err[0]) {
    abort();
  }
  char host[256];
  int port = 0, https = 0;
  err[0] = '\0';
  if (jb_url_parts(in, host, sizeof host, &port, &https, JB_LANG_EN, err, sizeof err) == JB_OK) {
    if (!host[0] || port < 1 || port > 65535 || strlen(host) > 253)
      abort();
  } else if (strncmp(err, "url: ", 5)) {
    abort();
  }
  free(in);
  return 0;
}
