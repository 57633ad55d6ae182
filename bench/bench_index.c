/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_index.c: indexing and query throughput on the 10,000 CSL records —
 * jiebang (locale/ terms through the Xapian shim) against Xapian's own
 * TermGenerator with CJK n-grams, in the same run.
 *
 *   bench/bench_index [QUERIES]      (default 2000 title queries)
 *
 * Each record: title (wdf x3), abstract, keywords. Queries: the titles of
 * every 5th record; each should find its own record (known-item MRR@10 is
 * printed as a sanity check of the two pipelines, not as the quality
 * benchmark). Exit 77 when ../shared/data/csl is absent. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench/csl.h"
#include "engine/jb_text.h"
#include "index/xapian_peer.h"
#include "index/xapian_shim.h"
#include "locale/jb_locale.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double dir_mb(const char *path) {
  DIR *d = opendir(path);
  if (!d)
    return 0;
  double total = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    char p[4096];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", path, e->d_name);
    if (e->d_name[0] != '.' && stat(p, &st) == 0 && S_ISREG(st.st_mode))
      total += (double)st.st_size;
  }
  closedir(d);
  return total / 1e6;
}

static jb_ix_term *conv;
static size_t convcap;

/* Words and stems go to the record's field; the bigrams of every field go to
 * one recall field "G" (with the field's weight and its own position range),
 * so a query asks each bigram once. */
static int add_text(jb_tokenizer *tok, jb_ixdoc *d, const char *field, const char *text,
                    unsigned weight, uint32_t off) {
  const jb_term *t;
  size_t n;
  if (jb_tokenize(tok, text, strlen(text), JB_TOK_INDEX, &t, &n) != JB_OK)
    return -1;
  if (n > convcap) {
    convcap = n * 2;
    conv = realloc(conv, convcap * sizeof *conv);
  }
  size_t nw = 0, nb = n;
  for (size_t i = 0; i < n; i++) {
    jb_ix_term x = {t[i].text, t[i].len, t[i].pos, t[i].kind};
    if (t[i].kind == JB_TERM_BIGRAM)
      conv[--nb] = x;
    else
      conv[nw++] = x;
  }
  int rc = jb_ixdoc_add_terms(d, field, conv, nw, weight, off);
  if (rc == JB_OK)
    rc = jb_ixdoc_add_terms(d, "G", conv + nb, n - nb, weight, off);
  return rc;
}

/* the query of the benchmark: words in all fields, bigrams and stems lower */
static int build_query(jb_tokenizer *tok, jb_ixquery *q, const char *text) {
  const jb_term *t;
  size_t n;
  if (jb_tokenize(tok, text, strlen(text), JB_TOK_INDEX, &t, &n) != JB_OK)
    return -1;
  static const char *const fields[] = {"T", "A", "K"};
  for (size_t i = 0; i < n; i++) {
    if (t[i].kind == JB_TERM_BIGRAM) {
      if (jb_ixquery_add(q, "G", JB_IX_BIGRAM, t[i].text, t[i].len, 0.3) < 0)
        return -1;
      continue;
    }
    double w = t[i].kind == JB_TERM_WORD ? 1.0 : 0.5;
    for (int f = 0; f < 3; f++)
      if (jb_ixquery_add(q, fields[f], t[i].kind, t[i].text, t[i].len, w) < 0)
        return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  long nq = argc > 1 ? atol(argv[1]) : 2000;
  csl_record *r;
  long n = csl_load(csl_dir(), &r);
  if (n < 0) {
    fprintf(stderr, "bench_index: %s not found: CSL data not available\n", csl_dir());
    return 77;
  }
  double bytes = 0;
  for (long i = 0; i < n; i++) {
    bytes += (double)(strlen(r[i].title) + strlen(r[i].abstract));
    for (size_t k = 0; k < r[i].nkeywords; k++)
      bytes += (double)strlen(r[i].keywords[k]);
  }
  char tmpl[] = "/tmp/jb_bench_XXXXXX";
  char *dir = mkdtemp(tmpl);
  char ours[4200], peer[4200];
  snprintf(ours, sizeof ours, "%s/jiebang", dir);
  snprintf(peer, sizeof peer, "%s/xapian", dir);
  printf("records: %ld (%.2f MB of text)\n", n, bytes / 1e6);

  /* ---- jiebang ---- */
  char err[512];
  jb_lexicon *lx;
  jb_tokenizer *tok;
  if (jb_text_load_lexicon(NULL, &lx, err, sizeof err) != JB_OK ||
      jb_tokenizer_new(lx, NULL, &tok) != JB_OK) {
    fprintf(stderr, "bench_index: %s\n", err);
    return 1;
  }
  jb_index *w;
  if (jb_index_open_writer(ours, &w, err, sizeof err) != JB_OK) {
    fprintf(stderr, "bench_index: %s\n", err);
    return 1;
  }
  double t0 = now();
  jb_ixdoc *d = NULL;
  for (long i = 0; i < n; i++) {
    jb_ixdoc_new(&d);
    if (add_text(tok, d, "T", r[i].title, 3, 0) != JB_OK ||
        add_text(tok, d, "A", r[i].abstract, 1, 1000) != JB_OK) {
      fprintf(stderr, "bench_index: record %s failed\n", r[i].id);
      return 1;
    }
    for (size_t k = 0; k < r[i].nkeywords; k++)
      add_text(tok, d, "K", r[i].keywords[k], 2, (uint32_t)(100000 + k * 100));
    if (jb_index_put(w, "output", r[i].id, d) != JB_OK) {
      fprintf(stderr, "bench_index: %s\n", jb_index_error(w));
      return 1;
    }
    jb_ixdoc_free(d);
    if (i % 2000 == 1999)
      jb_index_commit(w);
  }
  jb_index_commit(w);
  double t_ours = now() - t0;
  jb_index_close(w);

  /* ---- Xapian TermGenerator, CJK n-grams ---- */
  jb_peer *p;
  if (jb_peer_open(peer, 1, &p) != JB_OK)
    return 1;
  t0 = now();
  size_t bodycap = 1 << 16;
  char *body = malloc(bodycap);
  for (long i = 0; i < n; i++) {
    size_t need = strlen(r[i].abstract) + 2;
    for (size_t k = 0; k < r[i].nkeywords; k++)
      need += strlen(r[i].keywords[k]) + 1;
    if (need > bodycap) {
      bodycap = need * 2;
      body = realloc(body, bodycap);
    }
    strcpy(body, r[i].abstract);
    for (size_t k = 0; k < r[i].nkeywords; k++) {
      strcat(body, "\n");
      strcat(body, r[i].keywords[k]);
    }
    jb_peer_add(p, r[i].id, r[i].title, body);
    if (i % 2000 == 1999)
      jb_peer_commit(p);
  }
  jb_peer_commit(p);
  double t_peer = now() - t0;
  free(body);

  printf("\n%-34s %10s %8s %10s\n", "indexing", "docs/s", "MB/s", "index MB");
  printf("%-34s %10.0f %8.2f %10.1f\n", "jiebang (locale terms + shim)", n / t_ours,
         bytes / 1e6 / t_ours, dir_mb(ours));
  printf("%-34s %10.0f %8.2f %10.1f\n", "Xapian TermGenerator CJK n-grams", n / t_peer,
         bytes / 1e6 / t_peer, dir_mb(peer));
  printf("ratio jiebang / TermGenerator: %.2f\n", (n / t_ours) / (n / t_peer));

  /* ---- queries ---- */
  const char *where[] = {ours};
  jb_index *rd;
  if (jb_index_open_reader(where, 1, &rd, err, sizeof err) != JB_OK)
    return 1;
  long step = n / nq > 0 ? n / nq : 1;
  long done = 0;
  double rr_ours = 0, rr_peer = 0;
  t0 = now();
  for (long i = 0; i < n && done < nq; i += step, done++) {
    jb_ixquery *q;
    jb_ixquery_new(&q);
    build_query(tok, q, r[i].title);
    jb_ixresults *res;
    if (jb_index_search(rd, q, 0, 10, &res) != JB_OK)
      return 1;
    for (size_t k = 0; k < jb_ixresults_count(res); k++) {
      const char *id;
      jb_ixresults_hit(res, k, NULL, &id, NULL, NULL);
      if (!strcmp(id, r[i].id)) {
        rr_ours += 1.0 / (double)(k + 1);
        break;
      }
    }
    jb_ixresults_free(res);
    jb_ixquery_free(q);
  }
  double tq_ours = now() - t0;
  long nqo = done;
  done = 0;
  t0 = now();
  for (long i = 0; i < n && done < nq; i += step, done++) {
    char *ids[10];
    size_t got;
    if (jb_peer_search(p, r[i].title, 10, ids, &got) != JB_OK)
      return 1;
    for (size_t k = 0; k < got; k++) {
      if (!strcmp(ids[k], r[i].id) && rr_peer >= 0) {
        rr_peer += 1.0 / (double)(k + 1);
        for (size_t j = k; j < got; j++)
          free(ids[j]);
        break;
      }
      free(ids[k]);
    }
  }
  double tq_peer = now() - t0;
  printf("\n%-34s %10s %12s\n", "title queries (top 10)", "queries/s", "known-item MRR@10");
  printf("%-34s %10.0f %12.3f\n", "jiebang", nqo / tq_ours, rr_ours / nqo);
  printf("%-34s %10.0f %12.3f\n", "Xapian QueryParser n-grams OR", done / tq_peer,
         rr_peer / done);
  printf("ratio jiebang / TermGenerator: %.2f\n", (nqo / tq_ours) / (done / tq_peer));

  jb_index_close(rd);
  jb_peer_close(p);
  jb_tokenizer_free(tok);
  jb_lexicon_free(lx);
  free(conv);
  csl_free(r, n);
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    return 1;
  return 0;
}
