/* SPDX-License-Identifier: GPL-3.0-or-later */
/* listen.c: the server's listening socket from an ADDR:PORT spec (api/listen.h). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/listen.h"

int jb_listen_socket(const char *spec, char *addr, size_t addrlen, char *err, size_t errlen) {
  char host[128];
  const char *colon = strrchr(spec, ':');
  if (!colon || colon == spec + strlen(spec) - 1) {
    snprintf(err, errlen, "--listen: '%s' is not ADDR:PORT", spec);
    return -1;
  }
  snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
  char *end;
  long port = strtol(colon + 1, &end, 10);
  if (*end || port < 0 || port > 65535) {
    snprintf(err, errlen, "--listen: '%s' is not a port", colon + 1);
    return -1;
  }
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  socklen_t sl;
  int fam;
  size_t hl = strlen(host);
  if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
    host[hl - 1] = '\0';
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1) {
      snprintf(err, errlen, "--listen: '%s' is not an IPv6 address", host + 1);
      return -1;
    }
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons((uint16_t)port);
    sl = sizeof *a6;
    fam = AF_INET6;
  } else {
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    if (inet_pton(AF_INET, hl ? host : "0.0.0.0", &a4->sin_addr) != 1) {
      snprintf(err, errlen, "--listen: '%s' is not an IPv4 address", host);
      return -1;
    }
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    sl = sizeof *a4;
    fam = AF_INET;
  }
  int fd = socket(fam, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  int one = 1;
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 512) != 0) {
    snprintf(err, errlen, "cannot listen on %s: %s", spec, strerror(errno));
    if (fd >= 0)
      close(fd);
    return -1;
  }
  getsockname(fd, (struct sockaddr *)&ss, &sl);
  char ip[INET6_ADDRSTRLEN] = "";
  if (fam == AF_INET) {
    inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, ip, sizeof ip);
    snprintf(addr, addrlen, "%s:%u", ip, ntohs(((struct sockaddr_in *)&ss)->sin_port));
  } else {
    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, ip, sizeof ip);
    snprintf(addr, addrlen, "[%s]:%u", ip, ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
  }
  return fd;
}
