/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xapian_peer.h: Xapian's own text pipeline, as a baseline for benchmarks.
 *
 * Benchmarks compare jiebang's terms (locale/ + the shim) with what a Xapian
 * user gets out of the box: TermGenerator with FLAG_CJK_NGRAM for indexing
 * and QueryParser with FLAG_CJK_NGRAM for queries, its terms OR-ed (the
 * QueryParser's own combination ANDs the n-grams of a Chinese run and does
 * far worse on long queries). Not used by the product. Same error rules as
 * xapian_shim.h. */
#ifndef JB_XAPIAN_PEER_H
#define JB_XAPIAN_PEER_H

#include <stddef.h>

#include "common/jb_error.h"

#ifdef __cplusplus
#define JB_PEER_NOEXCEPT noexcept
extern "C" {
#else
#define JB_PEER_NOEXCEPT
#endif

typedef struct jb_peer jb_peer;

/* Opens (creates) a database at `path`, writable or read-only. */
int jb_peer_open(const char *path, int writable, jb_peer **out) JB_PEER_NOEXCEPT;
void jb_peer_close(jb_peer *p) JB_PEER_NOEXCEPT;

/* Indexes a document: `id` stored, title (wdf x3) and body through
 * TermGenerator with CJK n-grams and the English stemmer. */
int jb_peer_add(jb_peer *p, const char *id, const char *title, const char *body) JB_PEER_NOEXCEPT;
int jb_peer_commit(jb_peer *p) JB_PEER_NOEXCEPT;

/* Runs `query` (QueryParser terms, OR-ed, BM25) and writes up to `limit`
 * ids into ids[] (each malloc'd, caller frees). *n receives the count. */
int jb_peer_search(jb_peer *p, const char *query, size_t limit, char **ids,
                   size_t *n) JB_PEER_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
