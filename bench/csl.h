/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csl.h: the CSL records of ../shared/data/csl for the benchmarks: 2,000
 * papers (title, abstract, keywords) and 8,000 titles. */
#ifndef JB_BENCH_CSL_H
#define JB_BENCH_CSL_H

#include <stddef.h>

typedef struct {
  char *id, *title, *abstract; /* abstract "" for titles-only records */
  char **keywords;
  size_t nkeywords;
  char *category;
} csl_record;

/* Loads papers.jsonl then titles.tsv from `dir`; returns the count, or -1
 * when the files are absent. *out is malloc'd; free with csl_free. */
long csl_load(const char *dir, csl_record **out);
void csl_free(csl_record *r, long n);
/* ../shared/data/csl, or $JB_SHARED/data/csl; static string. */
const char *csl_dir(void);

#endif
