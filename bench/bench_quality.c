/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_quality.c: ranking quality on judged queries — jiebang's matcher
 * (jiebang match --challenge, through the engine API) and Xapian's
 * TermGenerator with CJK n-grams OR-ed under BM25, in the same run; an extra
 * run file (e.g. the FTS5 peer's) can be scored beside them.
 *
 *   bench/bench_quality DATA_DIR PAPERS.jsonl QRELS.tsv [NAME=RUNFILE ...]
 *
 * QRELS: qid<TAB>query<TAB>relevant ids, each as id or id:grade (grade 1 or
 * 2; plain ids count 1). RUNFILE: qid<TAB>id,id,... Prints nDCG@10 (gain
 * 2^grade - 1), MRR@10 and Recall@50 per system. With JB_RUNS=DIR it also
 * writes its own systems' runs there (for pooling judgments). With
 * JB_REVERSE=1 the queries are outputs (qid an output id, query its text)
 * and jiebang ranks the open challenges each fits (jiebang match --output;
 * JB_REVERSE=org: orgs, jiebang match --org);
 * PAPERS.jsonl then holds the challenges as the peer indexes them (id,
 * title, abstract, keywords: bench/quality_reverse.py). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "engine/jiebang.h"
#include "bench/jsontext.h"
#include "index/xapian_peer.h"

typedef struct {
  char *qid, *query, **rel;
  int *grade;
  size_t nrel;
} qrel;

static FILE *run_out(const char *dir, const char *name) {
  if (!dir)
    return NULL;
  char p[4096];
  snprintf(p, sizeof p, "%s/%s.run", dir, name);
  return fopen(p, "w");
}

typedef struct {
  double ndcg, mrr, recall;
  double *per; /* nDCG@10 by query index */
  size_t nper; /* queries seen */
} metrics;

/* the grade of id for q (0 when not judged relevant) */
static int is_rel(const qrel *q, const char *id) {
  for (size_t i = 0; i < q->nrel; i++)
    if (!strcmp(q->rel[i], id))
      return q->grade[i];
  return 0;
}

/* one line of a run file: qid<TAB>id,id,...; f may be NULL */
static void write_run(FILE *f, const char *qid, char **ids, size_t n) {
  if (!f)
    return;
  fprintf(f, "%s\t", qid);
  for (size_t k = 0; k < n; k++)
    fprintf(f, "%s%s", k ? "," : "", ids[k]);
  fputc('\n', f);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int cmp_int_desc(const void *a, const void *b) {
  return *(const int *)b - *(const int *)a;
}

/* per-query nDCG@10 of every system, by query index, for the paired
 * bootstrap of print() */
#define MAXQ 4096
static double per_j[MAXQ];

static void add_metrics(metrics *m, const qrel *q, size_t qi, char **ids, size_t n) {
  double dcg = 0, idcg = 0;
  size_t found = 0;
  double rr = 0;
  for (size_t i = 0; i < n && i < 50; i++) {
    int g = is_rel(q, ids[i]);
    if (!g)
      continue;
    if (i < 10) {
      dcg += (pow(2, g) - 1) / log2((double)i + 2);
      if (rr == 0)
        rr = 1.0 / (double)(i + 1);
    }
    found++;
  }
  int *gs = malloc((q->nrel ? q->nrel : 1) * sizeof *gs);
  for (size_t i = 0; i < q->nrel; i++)
    gs[i] = q->grade[i];
  qsort(gs, q->nrel, sizeof *gs, cmp_int_desc);
  for (size_t i = 0; i < q->nrel && i < 10; i++)
    idcg += (pow(2, gs[i]) - 1) / log2((double)i + 2);
  free(gs);
  double nd = idcg > 0 ? dcg / idcg : 0;
  if (qi < MAXQ) {
    m->per[qi] = nd;
    m->nper++;
  }
  m->ndcg += nd;
  m->mrr += rr;
  m->recall += q->nrel ? (double)found / (double)(q->nrel < 50 ? q->nrel : 50) : 0;
}

static char **split(char *s, size_t *n) {
  size_t cap = 8;
  char **v = malloc(cap * sizeof *v);
  *n = 0;
  for (char *save = NULL, *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    if (*n == cap)
      v = realloc(v, (cap *= 2) * sizeof *v);
    v[(*n)++] = t;
  }
  return v;
}

/* A peer's line also gives jiebang's nDCG@10 minus the peer's with a 95 %
 * paired bootstrap interval (10,000 resamples of the queries, fixed seed):
 * an interval that holds 0 is a difference this set cannot tell apart. */
static void print(const char *name, const metrics *m, size_t nq) {
  printf("%-40s %8.3f %8.3f %9.3f", name, m->ndcg / (double)nq, m->mrr / (double)nq,
         m->recall / (double)nq);
  if (m->per != per_j && m->nper == nq && nq > 1) {
    enum { B = 10000 };
    static double d[B];
    unsigned long long x = 88172645463325252ULL;
    for (int b = 0; b < B; b++) {
      double s = 0;
      for (size_t i = 0; i < nq; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t k = (size_t)(x % nq);
        s += per_j[k] - m->per[k];
      }
      d[b] = s / (double)nq;
    }
    qsort(d, B, sizeof *d, cmp_double);
    double mean = 0;
    for (size_t i = 0; i < nq; i++)
      mean += per_j[i] - m->per[i];
    printf("   %+.3f [%+.3f, %+.3f]", mean / (double)nq, d[B / 40], d[B - 1 - B / 40]);
  }
  putchar('\n');
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: bench_quality DATA_DIR PAPERS.jsonl QRELS.tsv [NAME=RUNFILE ...]\n");
    return 2;
  }
  FILE *f = fopen(argv[3], "r");
  if (!f)
    return 77;
  qrel *qs = NULL;
  size_t nq = 0;
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 0) {
    line[strcspn(line, "\n")] = '\0';
    char *a = strtok(line, "\t"), *b = strtok(NULL, "\t"), *c = strtok(NULL, "\t");
    if (!a || !b)
      continue;
    if (!c)
      c = "";
    qs = realloc(qs, (nq + 1) * sizeof *qs);
    qs[nq].qid = strdup(a);
    qs[nq].query = strdup(b);
    char *cc = strdup(c);
    qs[nq].rel = split(cc, &qs[nq].nrel);
    qs[nq].grade = malloc((qs[nq].nrel ? qs[nq].nrel : 1) * sizeof(int));
    for (size_t k = 0; k < qs[nq].nrel; k++) {
      char *colon = strchr(qs[nq].rel[k], ':');
      qs[nq].grade[k] = colon ? atoi(colon + 1) : 1;
      if (colon)
        *colon = '\0';
    }
    nq++;
  }
  fclose(f);
  printf("%zu queries\n%-40s %8s %8s %9s   %s\n", nq, "system", "nDCG@10", "MRR@10", "Recall@50",
         "jiebang - it, nDCG@10 [95% CI]");

  /* jiebang */
  jb_engine *e;
  char err[1024];
  jb_engine_opts o = {1, NULL, NULL, 0};
  if (jb_engine_open(argv[1], &o, &e, err, sizeof err) != JB_OK) {
    fprintf(stderr, "bench_quality: %s\n", err);
    return 1;
  }
  metrics mj = {0};
  mj.per = per_j;
  const char *runs = getenv("JB_RUNS"), *reverse = getenv("JB_REVERSE");
  jb_match_weights mw;
  if (bench_weights(&mw, "bench_quality"))
    return 1;
  FILE *rj = run_out(runs, "jiebang"), *rx = run_out(runs, "xapian");
  for (size_t i = 0; i < nq; i++) {
    jb_match_req r;
    jb_match_req_init(&r);
    r.id = qs[i].qid;
    if (reverse)
      r.type = strcmp(reverse, "org") ? JB_REC_OUTPUT : JB_REC_ORG;
    r.limit = 50;
    r.weights = &mw;
    char *js = NULL;
    char *ids[50];
    size_t n = 0;
    if (jb_engine_match(e, &r, &js) == JB_OK) {
      json_t *j = json_loads(js, 0, NULL), *ms = json_object_get(j, "matches");
      for (size_t k = 0; k < json_array_size(ms) && n < 50; k++)
        ids[n++] = strdup(json_string_value(json_object_get(json_array_get(ms, k), "id")));
      json_decref(j);
    }
    free(js);
    add_metrics(&mj, &qs[i], i, ids, n);
    write_run(rj, qs[i].qid, ids, n);
    for (size_t k = 0; k < n; k++)
      free(ids[k]);
  }
  jb_engine_close(e);
  print("jiebang match", &mj, nq);

  /* Xapian TermGenerator + CJK n-grams, OR-ed, BM25 */
  char tmpl[] = "/tmp/jb_quality_XXXXXX";
  char *dir = mkdtemp(tmpl);
  char pdb[4200];
  snprintf(pdb, sizeof pdb, "%s/xapian", dir);
  jb_peer *p;
  if (jb_peer_open(pdb, 1, &p) != JB_OK)
    return 1;
  f = fopen(argv[2], "r");
  while (f && getline(&line, &cap, f) > 0) {
    json_t *r = json_loads(line, 0, NULL);
    if (!r)
      continue;
    static const char *const body_keys[] = {"abstract", "keywords", NULL};
    char *body = bench_join(r, body_keys);
    if (body)
      jb_peer_add(p, json_string_value(json_object_get(r, "id")),
                  json_string_value(json_object_get(r, "title")), body);
    free(body);
    json_decref(r);
  }
  if (f)
    fclose(f);
  jb_peer_commit(p);
  static double per_x[MAXQ];
  metrics mx = {0};
  mx.per = per_x;
  for (size_t i = 0; i < nq; i++) {
    char *ids[50];
    size_t n = 0;
    jb_peer_search(p, qs[i].query, 50, ids, &n);
    add_metrics(&mx, &qs[i], i, ids, n);
    write_run(rx, qs[i].qid, ids, n);
    for (size_t k = 0; k < n; k++)
      free(ids[k]);
  }
  jb_peer_close(p);
  print("Xapian TermGenerator CJK n-grams OR", &mx, nq);
  if (rj)
    fclose(rj);
  if (rx)
    fclose(rx);
  char cmd[4300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    return 1;

  /* extra run files */
  for (int a = 4; a < argc; a++) {
    char *eq = strchr(argv[a], '=');
    if (!eq)
      continue;
    *eq = '\0';
    FILE *rf = fopen(eq + 1, "r");
    if (!rf)
      continue;
    static double per_r[MAXQ];
    metrics mr = {0};
    mr.per = per_r;
    while (getline(&line, &cap, rf) > 0) {
      line[strcspn(line, "\n")] = '\0';
      char *tab = strchr(line, '\t');
      if (!tab)
        continue;
      *tab = '\0';
      for (size_t i = 0; i < nq; i++)
        if (!strcmp(qs[i].qid, line)) {
          size_t n;
          char **ids = split(tab + 1, &n);
          add_metrics(&mr, &qs[i], i, ids, n);
          free(ids);
        }
    }
    fclose(rf);
    print(argv[a], &mr, nq);
  }
  free(line);
  for (size_t i = 0; i < nq; i++) {
    free(qs[i].qid);
    free(qs[i].query);
    free(qs[i].nrel ? qs[i].rel[0] : NULL);
    free(qs[i].rel);
    free(qs[i].grade);
  }
  free(qs);
  return 0;
}
