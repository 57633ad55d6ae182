/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lexicon_int.h: the lexicon's trie, for the segmenter (internal). */
#ifndef JB_LEXICON_INT_H
#define JB_LEXICON_INT_H

#include "locale/jb_locale.h"

#define JB__LEX_MAXCHARS 64 /* longest word, in code points */

struct jb_lexicon {
  double *freq;       /* per trie node; 0 when the node is only a prefix */
  double *inword;     /* per depth-1 node (a character): summed frequency of
                         the longer words that contain it */
  uint32_t nnodes, capnodes;
  uint64_t *ekeys;    /* edge hash: key = (node << 21 | cp) + 1; 0 = empty */
  uint32_t *evals;    /* child node */
  size_t ecap, ecount;
  double total;       /* sum of all frequencies */
  size_t nwords;
};

/* Child of `node` by code point `cp`, or 0 when there is none (0 is the root,
 * never a child). */
static inline uint32_t jb__lex_child(const jb_lexicon *lx, uint32_t node, uint32_t cp) {
  uint64_t key = (((uint64_t)node << 21) | cp) + 1;
  size_t mask = lx->ecap - 1;
  size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 17) & mask;
  for (;;) {
    uint64_t k = lx->ekeys[h];
    if (k == key)
      return lx->evals[h];
    if (k == 0)
      return 0;
    h = (h + 1) & mask;
  }
}

#endif
