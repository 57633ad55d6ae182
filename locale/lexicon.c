/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lexicon.c: word list with frequencies, kept as a trie whose edges live in
 * one open-addressing hash table keyed by (node, code point). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "locale/lexicon_int.h"

int jb_lexicon_new(jb_lexicon **out) {
  if (!out)
    return JB_EINVAL;
  *out = NULL;
  jb_lexicon *lx = calloc(1, sizeof *lx);
  if (!lx)
    return JB_ENOMEM;
  lx->capnodes = 1024;
  lx->freq = calloc(lx->capnodes, sizeof *lx->freq);
  lx->inword = calloc(lx->capnodes, sizeof *lx->inword);
  lx->ecap = 2048;
  lx->ekeys = calloc(lx->ecap, sizeof *lx->ekeys);
  lx->evals = calloc(lx->ecap, sizeof *lx->evals);
  if (!lx->freq || !lx->inword || !lx->ekeys || !lx->evals) {
    jb_lexicon_free(lx);
    return JB_ENOMEM;
  }
  lx->nnodes = 1; /* the root */
  *out = lx;
  return JB_OK;
}

void jb_lexicon_free(jb_lexicon *lx) {
  if (!lx)
    return;
  free(lx->freq);
  free(lx->inword);
  free(lx->ekeys);
  free(lx->evals);
  free(lx);
}

size_t jb_lexicon_size(const jb_lexicon *lx) { return lx ? lx->nwords : 0; }

static void put_edge(uint64_t *keys, uint32_t *vals, size_t cap, uint64_t key, uint32_t val) {
  size_t mask = cap - 1;
  size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 17) & mask;
  while (keys[h] != 0)
    h = (h + 1) & mask;
  keys[h] = key;
  vals[h] = val;
}

static int grow_edges(jb_lexicon *lx) {
  size_t ncap = lx->ecap * 2;
  uint64_t *nk = calloc(ncap, sizeof *nk);
  uint32_t *nv = calloc(ncap, sizeof *nv);
  if (!nk || !nv) {
    free(nk);
    free(nv);
    return JB_ENOMEM;
  }
  for (size_t i = 0; i < lx->ecap; i++)
    if (lx->ekeys[i])
      put_edge(nk, nv, ncap, lx->ekeys[i], lx->evals[i]);
  free(lx->ekeys);
  free(lx->evals);
  lx->ekeys = nk;
  lx->evals = nv;
  lx->ecap = ncap;
  return JB_OK;
}

/* Returns the child of node by cp, creating it; 0 on out of memory. */
static uint32_t child_or_new(jb_lexicon *lx, uint32_t node, uint32_t cp) {
  uint32_t c = jb__lex_child(lx, node, cp);
  if (c)
    return c;
  if ((lx->ecount + 1) * 2 > lx->ecap && grow_edges(lx) != JB_OK)
    return 0;
  if (lx->nnodes == lx->capnodes) {
    uint32_t ncap = lx->capnodes * 2;
    double *nf = realloc(lx->freq, ncap * sizeof *nf);
    if (!nf)
      return 0;
    memset(nf + lx->capnodes, 0, (ncap - lx->capnodes) * sizeof *nf);
    lx->freq = nf;
    double *ni = realloc(lx->inword, ncap * sizeof *ni);
    if (!ni)
      return 0;
    memset(ni + lx->capnodes, 0, (ncap - lx->capnodes) * sizeof *ni);
    lx->inword = ni;
    lx->capnodes = ncap;
  }
  c = lx->nnodes++;
  put_edge(lx->ekeys, lx->evals, lx->ecap, (((uint64_t)node << 21) | cp) + 1, c);
  lx->ecount++;
  return c;
}

/* Decodes valid UTF-8 into code points; returns the count, or -1 when there
 * are more than `max`. */
static int decode(const char *s, size_t len, uint32_t *cps, int max) {
  int n = 0;
  size_t i = 0;
  while (i < len) {
    UChar32 c;
    U8_NEXT_UNSAFE((const uint8_t *)s, i, c);
    if (n == max)
      return -1;
    cps[n++] = (uint32_t)c;
  }
  return n;
}

static int all_han_nfkc_stable(const uint32_t *cps, int n) {
  for (int i = 0; i < n; i++)
    if (!jb_is_han(cps[i]) || (cps[i] >= 0xF900 && cps[i] <= 0xFAFF) || cps[i] >= 0x2F800)
      return 0;
  return 1;
}

/* NFKC case folding of a short word; fills cps, returns count or <0. */
static int normalise_word(const char *w, size_t len, uint32_t *cps, int max) {
  UChar src[4 * JB__LEX_MAXCHARS + 8], dst[8 * JB__LEX_MAXCHARS + 16];
  UErrorCode ec = U_ZERO_ERROR;
  int32_t slen = 0;
  u_strFromUTF8(src, (int32_t)(sizeof src / sizeof *src), &slen, w, (int32_t)len, &ec);
  if (U_FAILURE(ec))
    return -1;
  const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&ec);
  if (U_FAILURE(ec))
    return -2;
  int32_t dlen = unorm2_normalize(nf, src, slen, dst, (int32_t)(sizeof dst / sizeof *dst), &ec);
  if (U_FAILURE(ec))
    return -1;
  int n = 0;
  for (int32_t i = 0; i < dlen;) {
    UChar32 c;
    U16_NEXT(dst, i, dlen, c);
    if (n == max)
      return -1;
    cps[n++] = (uint32_t)c;
  }
  return n;
}

int jb_lexicon_add(jb_lexicon *lx, const char *word, size_t len, double freq) {
  if (!lx || !word || len == 0 || !(freq > 0) || !isfinite(freq))
    return JB_EINVAL;
  if (jb_utf8_validate(word, len, NULL) != JB_UTF8_OK)
    return JB_EUTF8;
  uint32_t cps[JB__LEX_MAXCHARS];
  int n = decode(word, len, cps, JB__LEX_MAXCHARS);
  if (n < 0)
    return JB_EINVAL;
  if (!all_han_nfkc_stable(cps, n)) {
    n = normalise_word(word, len, cps, JB__LEX_MAXCHARS);
    if (n == -2)
      return JB_EICU;
    if (n <= 0)
      return JB_EINVAL;
    for (int i = 0; i < n; i++)
      if (!jb_is_han(cps[i]))
        return JB_OK; /* not segmentable by the lexicon: ignored */
  }
  uint32_t node = 0;
  for (int i = 0; i < n; i++) {
    node = child_or_new(lx, node, cps[i]);
    if (!node)
      return JB_ENOMEM;
  }
  if (n > 1)
    for (int i = 0; i < n; i++) {
      uint32_t c = child_or_new(lx, 0, cps[i]);
      if (!c)
        return JB_ENOMEM;
      lx->inword[c] += freq;
    }
  if (lx->freq[node] == 0)
    lx->nwords++;
  lx->freq[node] += freq;
  lx->total += freq;
  return JB_OK;
}

double jb_lexicon_freq(const jb_lexicon *lx, const char *word, size_t len) {
  if (!lx || !word || jb_utf8_validate(word, len, NULL) != JB_UTF8_OK)
    return 0;
  uint32_t cps[JB__LEX_MAXCHARS];
  int n = decode(word, len, cps, JB__LEX_MAXCHARS);
  if (n <= 0)
    return 0;
  uint32_t node = 0;
  for (int i = 0; i < n; i++)
    if (!(node = jb__lex_child(lx, node, cps[i])))
      return 0;
  return lx->freq[node];
}

/* splitmix64's finaliser: a well-mixed 64-bit value of x */
static uint64_t mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/* Each node's hash is its path's (its parent's hash and its code point): a
 * parent is always created before its children, so one pass in node order
 * gives every path; the sum over the words (nodes with a frequency) of their
 * path and frequency mixed does not depend on the order of insertion. */
int jb_lexicon_fingerprint(const jb_lexicon *lx, uint64_t *out) {
  if (!lx || !out)
    return JB_EINVAL;
  uint32_t n = lx->nnodes;
  uint32_t *par = calloc(n ? n : 1, sizeof *par), *cp = calloc(n ? n : 1, sizeof *cp);
  uint64_t *h = calloc(n ? n : 1, sizeof *h);
  if (!par || !cp || !h) {
    free(par);
    free(cp);
    free(h);
    return JB_ENOMEM;
  }
  for (size_t i = 0; i < lx->ecap; i++)
    if (lx->ekeys[i] && lx->evals[i] < n) {
      uint64_t k = lx->ekeys[i] - 1;
      par[lx->evals[i]] = (uint32_t)(k >> 21);
      cp[lx->evals[i]] = (uint32_t)(k & 0x1FFFFF);
    }
  uint64_t sum = mix64(lx->nwords);
  h[0] = 0x6A09E667F3BCC908ULL;
  for (uint32_t v = 1; v < n; v++) {
    h[v] = mix64(h[par[v]] ^ mix64(cp[v]));
    if (lx->freq[v] > 0) {
      uint64_t bits;
      memcpy(&bits, &lx->freq[v], sizeof bits);
      sum += mix64(h[v] ^ mix64(bits));
    }
  }
  free(par);
  free(cp);
  free(h);
  *out = sum;
  return JB_OK;
}

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return rc;
}

int jb_lexicon_load(jb_lexicon *lx, const char *path, double default_freq, char *err,
                    size_t errlen) {
  if (err && errlen)
    err[0] = '\0';
  if (!lx || !path || !(default_freq > 0))
    return fail(err, errlen, JB_EINVAL, "invalid argument");
  FILE *f = fopen(path, "rb");
  if (!f)
    return fail(err, errlen, JB_EIO, "%s: %s", path, strerror(errno));
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  unsigned long lineno = 0;
  int rc = JB_OK;
  while ((got = getline(&line, &cap, f)) >= 0) {
    lineno++;
    size_t len = (size_t)got;
    size_t bad;
    if (jb_utf8_validate(line, len, &bad) != JB_UTF8_OK) {
      rc = fail(err, errlen, JB_EUTF8, "%s:%lu: invalid UTF-8 at byte %zu (%s)", path, lineno,
                bad + 1, jb_utf8_status_str(jb_utf8_validate(line, len, NULL)));
      break;
    }
    if (memchr(line, '\0', len)) {
      rc = fail(err, errlen, JB_ESYNTAX, "%s:%lu: NUL byte in line", path, lineno);
      break;
    }
    char *p = line;
    if (lineno == 1 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
      p += 3; /* byte order mark */
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0')
      continue;
    char *w = p;
    while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
      p++;
    size_t wlen = (size_t)(p - w);
    while (*p == ' ' || *p == '\t')
      p++;
    double freq = default_freq;
    if (*p && *p != '\n' && *p != '\r') {
      char *end;
      errno = 0;
      freq = strtod(p, &end);
      if (end == p || errno || !(freq > 0) || !isfinite(freq) ||
          (*end && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\r')) {
        char *e = p;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r')
          e++;
        rc = fail(err, errlen, JB_ESYNTAX, "%s:%lu: frequency '%.*s' is not a positive number",
                  path, lineno, (int)(e - p), p);
        break;
      }
    }
    int arc = jb_lexicon_add(lx, w, wlen, freq);
    if (arc == JB_EINVAL) {
      rc = fail(err, errlen, JB_ESYNTAX, "%s:%lu: word '%.*s' is longer than %d characters",
                path, lineno, (int)wlen, w, JB__LEX_MAXCHARS);
      break;
    }
    if (arc != JB_OK) {
      rc = fail(err, errlen, arc, "%s:%lu: %s", path, lineno, jb_strerror(arc));
      break;
    }
  }
  if (rc == JB_OK && ferror(f))
    rc = fail(err, errlen, JB_EIO, "%s: read error", path);
  free(line);
  fclose(f);
  return rc;
}
