/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_tokenize.c: tokenizer throughput on the CSL abstracts, with ICU's
 * bare word BreakIterator over the same UTF-8 text in the same run as the
 * ceiling.
 *
 *   bench/bench_tokenize [CSL_DIR] [PASSES]
 *
 * Default input: the titles and abstracts of the 2,000 papers of
 * $JB_SHARED/data/csl (bench/csl.c; JB_SHARED defaults to ../shared). Prints MB/s (of UTF-8 input) for each stage; the best of PASSES
 * passes (default 5). Exit 77 when the data is absent. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "bench/csl.h"
#include "engine/jb_text.h"
#include "locale/jb_locale.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct {
  char **s;
  size_t *len, n, bytes;
} docs;

static void add(docs *d, const char *s, size_t len) {
  d->s = realloc(d->s, (d->n + 1) * sizeof *d->s);
  d->len = realloc(d->len, (d->n + 1) * sizeof *d->len);
  d->s[d->n] = strndup(s, len);
  d->len[d->n++] = len;
  d->bytes += len;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : csl_dir();
  int passes = argc > 2 ? atoi(argv[2]) : 5;
  csl_record *recs = NULL;
  long nrec = csl_load(dir, &recs);
  if (nrec < 0) {
    fprintf(stderr, "bench_tokenize: %s/papers.jsonl not found: CSL data not available\n", dir);
    return 77;
  }
  docs d = {0};
  for (long i = 0; i < nrec; i++) {
    if (!recs[i].abstract[0])
      continue; /* a title-only record: the papers are the input */
    add(&d, recs[i].title, strlen(recs[i].title));
    add(&d, recs[i].abstract, strlen(recs[i].abstract));
  }
  csl_free(recs, nrec);
  const char *path = dir;
  printf("input: %zu texts, %.2f MB (titles and abstracts of %s)\n", d.n, d.bytes / 1e6, path);

  /* ICU's bare word BreakIterator: the ceiling */
  UErrorCode ec = U_ZERO_ERROR;
  UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &ec);
  UText *ut = NULL;
  double best_icu = 1e9;
  size_t icu_words = 0;
  for (int p = 0; p < passes; p++) {
    double t0 = now();
    icu_words = 0;
    for (size_t i = 0; i < d.n; i++) {
      ec = U_ZERO_ERROR;
      ut = utext_openUTF8(ut, d.s[i], (int64_t)d.len[i], &ec);
      ubrk_setUText(bi, ut, &ec);
      for (int32_t b = ubrk_first(bi); b != UBRK_DONE; b = ubrk_next(bi))
        if (ubrk_getRuleStatus(bi) != UBRK_WORD_NONE)
          icu_words++;
    }
    double dt = now() - t0;
    if (dt < best_icu)
      best_icu = dt;
  }
  utext_close(ut);
  ubrk_close(bi);

  char err[512];
  jb_lexicon *lx;
  double t0 = now();
  if (jb_text_load_lexicon(NULL, &lx, err, sizeof err) != JB_OK) {
    fprintf(stderr, "bench_tokenize: %s\n", err);
    return 1;
  }
  double tload = now() - t0;
  jb_tokenizer *tok;
  t0 = now();
  if (jb_tokenizer_new(lx, NULL, &tok) != JB_OK)
    return 1;
  double tnew = now() - t0;
  const unsigned modes[] = {JB_TOK_WORDS, JB_TOK_INDEX};
  const char *names[] = {"jiebang words only", "jiebang index terms (words+bigrams+stems)"};
  double best[2] = {1e9, 1e9};
  size_t nterms[2] = {0, 0};
  for (int m = 0; m < 2; m++)
    for (int p = 0; p < passes; p++) {
      t0 = now();
      nterms[m] = 0;
      for (size_t i = 0; i < d.n; i++) {
        const jb_term *terms;
        size_t n;
        if (jb_tokenize(tok, d.s[i], d.len[i], modes[m], &terms, &n) != JB_OK) {
          fprintf(stderr, "tokenize failed: %s\n", jb_tokenizer_error(tok));
          return 1;
        }
        nterms[m] += n;
      }
      double dt = now() - t0;
      if (dt < best[m])
        best[m] = dt;
    }
  printf("lexicon load: %.0f ms (%zu words); tokenizer creation: %.1f ms\n", tload * 1e3,
         jb_lexicon_size(lx), tnew * 1e3);
  printf("%-44s %7.2f MB/s  %zu words\n", "ICU word BreakIterator (ceiling)",
         d.bytes / best_icu / 1e6, icu_words);
  for (int m = 0; m < 2; m++)
    printf("%-44s %7.2f MB/s  %zu terms  %.0f%% of ICU\n", names[m], d.bytes / best[m] / 1e6,
           nterms[m], 100.0 * best_icu / best[m]);
  jb_tokenizer_free(tok);
  jb_lexicon_free(lx);
  for (size_t i = 0; i < d.n; i++)
    free(d.s[i]);
  free(d.s);
  free(d.len);
  return 0;
}
