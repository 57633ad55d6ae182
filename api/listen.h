/* SPDX-License-Identifier: GPL-3.0-or-later */
/* listen.h: the server's listening socket. */
#ifndef JB_API_LISTEN_H
#define JB_API_LISTEN_H

#include <stddef.h>

/* Opens a non-blocking, close-on-exec TCP socket listening on SPEC, which is
 * "HOST:PORT" with HOST an IPv4 address, "[IPv6]" or empty (every IPv4
 * address), and PORT 0..65535 (0: the kernel picks one). Writes the address
 * actually bound ("127.0.0.1:8080", "[::1]:8080") into ADDR (ADDRLEN bytes,
 * truncated to fit). Returns the socket, which the caller closes, or -1 with
 * a sentence naming the spec (or the system's reason) in ERR (ERRLEN bytes). */
int jb_listen_socket(const char *spec, char *addr, size_t addrlen, char *err, size_t errlen);

#endif
