/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_index.c: unit tests of the Xapian shim (index/xapian_shim.h). */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "index/xapian_shim.h"

static char tmpl[] = "/tmp/jb_ix_XXXXXX";
static char *dir;

static void mk(void) {
  strcpy(tmpl, "/tmp/jb_ix_XXXXXX");
  dir = mkdtemp(tmpl);
  ck_assert_ptr_nonnull(dir);
}

static void rm(void) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}

static const char *path(const char *name) {
  static char buf[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

/* Adds the space-separated words of `text` (positions 0..) in `field`. */
static void add_words(jb_ixdoc *d, const char *field, const char *text, unsigned weight,
                      int kind) {
  jb_ix_term terms[64];
  size_t n = 0;
  const char *p = text;
  while (*p) {
    while (*p == ' ')
      p++;
    const char *e = p;
    while (*e && *e != ' ')
      e++;
    if (e > p) {
      terms[n].text = p;
      terms[n].len = (uint32_t)(e - p);
      terms[n].pos = (uint32_t)n;
      terms[n].kind = (uint8_t)kind;
      n++;
    }
    p = e;
  }
  ck_assert_int_eq(jb_ixdoc_add_terms(d, field, terms, n, weight, 0), JB_OK);
}

typedef struct {
  const char *id, *title, *body, *region, *field, *status;
  double trl;
} sample;

static const sample SAMPLES[] = {
    {"o1", "芯片 设计", "集成电路 设计 工具 eda", "310106", "ic/eda", "published", 4},
    {"o2", "芯片 封装", "先进 封装 工艺", "310115", "ic/packaging", "published", 6},
    {"o3", "区块链 金融", "供应链 金融 区块链 平台", "110108", "fintech/blockchain", "draft", 7},
    {"o4", "医学 影像", "影像 辅助 诊断 深度 学习", "320102", "health/imaging", "published", 5},
    {"o5", "芯片 设计 验证", "形式化 验证 芯片", "310106", "ic/eda/verify", "closed", 3},
};
#define NSAMPLES (sizeof SAMPLES / sizeof *SAMPLES)

static void put_sample(jb_index *w, const sample *s) {
  jb_ixdoc *d;
  ck_assert_int_eq(jb_ixdoc_new(&d), JB_OK);
  add_words(d, "T", s->title, 3, JB_IX_WORD);
  add_words(d, "D", s->body, 1, JB_IX_WORD);
  static const unsigned lens[] = {2, 4, 6};
  ck_assert_int_eq(jb_ixdoc_add_filter_prefixes(d, "XR", s->region, lens, 3), JB_OK);
  ck_assert_int_eq(jb_ixdoc_add_filter_path(d, "XF", s->field, '/'), JB_OK);
  ck_assert_int_eq(jb_ixdoc_add_filter(d, "XS", s->status), JB_OK);
  ck_assert_int_eq(jb_ixdoc_add_filter(d, "XT", "output"), JB_OK);
  ck_assert_int_eq(jb_ixdoc_set_number(d, 0, s->trl), JB_OK);
  ck_assert_int_eq(jb_index_put(w, "output", s->id, d), JB_OK);
  jb_ixdoc_free(d);
}

static void build(const char *name, size_t from, size_t step) {
  jb_index *w;
  char err[256];
  ck_assert_msg(jb_index_open_writer(path(name), &w, err, sizeof err) == JB_OK, "%s", err);
  for (size_t i = from; i < NSAMPLES; i += step)
    put_sample(w, &SAMPLES[i]);
  ck_assert_int_eq(jb_index_commit(w), JB_OK);
  jb_index_close(w);
}

static jb_index *reader(const char *name) {
  jb_index *r;
  char err[256];
  const char *where[] = {path(name)};
  ck_assert_msg(jb_index_open_reader(where, 1, &r, err, sizeof err) == JB_OK, "%s", err);
  return r;
}

/* ids of the hits as "a,b,c" */
static const char *ids(jb_index *ix, jb_ixquery *q) {
  static char buf[1024];
  jb_ixresults *res;
  ck_assert_int_eq(jb_index_search(ix, q, 0, 50, &res), JB_OK);
  buf[0] = '\0';
  for (size_t i = 0; i < jb_ixresults_count(res); i++) {
    const char *id;
    ck_assert_int_eq(jb_ixresults_hit(res, i, NULL, &id, NULL, NULL), JB_OK);
    strcat(buf, i ? "," : "");
    strcat(buf, id);
  }
  jb_ixresults_free(res);
  return buf;
}

static int q_word(jb_ixquery *q, const char *field, const char *w, double weight) {
  return jb_ixquery_add(q, field, JB_IX_WORD, w, strlen(w), weight);
}

START_TEST(put_replace_delete) {
  mk();
  build("db", 0, 1);
  jb_index *w;
  char err[256];
  ck_assert_int_eq(jb_index_open_writer(path("db"), &w, err, sizeof err), JB_OK);
  uint64_t n;
  ck_assert_int_eq(jb_index_doccount(w, &n), JB_OK);
  ck_assert_uint_eq(n, NSAMPLES);
  /* replacing keeps one document per id and drops the old terms */
  jb_ixdoc *d;
  ck_assert_int_eq(jb_ixdoc_new(&d), JB_OK);
  add_words(d, "T", "量子 计算", 1, JB_IX_WORD);
  ck_assert_int_eq(jb_index_put(w, "output", "o1", d), JB_OK);
  /* the same document object can go under another id */
  ck_assert_int_eq(jb_index_put(w, "expert", "o1", d), JB_OK);
  ck_assert_int_eq(jb_index_delete(w, "output", "o2"), JB_OK);
  ck_assert_int_eq(jb_index_delete(w, "output", "never"), JB_OK);
  jb_ixdoc_free(d);
  ck_assert_int_eq(jb_index_commit(w), JB_OK);
  ck_assert_int_eq(jb_index_doccount(w, &n), JB_OK);
  ck_assert_uint_eq(n, NSAMPLES); /* -o2 +expert/o1 */
  jb_ixquery *q;
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  q_word(q, "T", "芯片", 1);
  ck_assert_str_eq(ids(w, q), "o5");
  jb_ixquery_free(q);
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  q_word(q, "T", "量子", 1);
  jb_ixresults *res;
  ck_assert_int_eq(jb_index_search(w, q, 0, 10, &res), JB_OK);
  ck_assert_uint_eq(jb_ixresults_count(res), 2);
  const char *type, *id;
  ck_assert_int_eq(jb_ixresults_hit(res, 0, &type, &id, NULL, NULL), JB_OK);
  ck_assert_str_eq(id, "o1");
  jb_ixresults_free(res);
  jb_ixquery_free(q);
  jb_index_close(w);
  rm();
}
END_TEST

START_TEST(filters_and_ranges) {
  mk();
  build("db", 0, 1);
  jb_index *r = reader("db");
  jb_ixquery *q;
  /* filters only: every matching document */
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  const char *sh[] = {"31"};
  ck_assert_int_eq(jb_ixquery_filter(q, JB_IX_ALL_OF, "XR", sh, 1), JB_OK);
  ck_assert_str_eq(ids(r, q), "o1,o2,o5");
  const char *ic[] = {"ic/eda"};
  ck_assert_int_eq(jb_ixquery_filter(q, JB_IX_ALL_OF, "XF", ic, 1), JB_OK);
  ck_assert_str_eq(ids(r, q), "o1,o5");
  const char *closed[] = {"closed", "draft"};
  ck_assert_int_eq(jb_ixquery_filter(q, JB_IX_NONE_OF, "XS", closed, 2), JB_OK);
  ck_assert_str_eq(ids(r, q), "o1");
  jb_ixquery_free(q);

  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  const char *any[] = {"310106", "11"};
  ck_assert_int_eq(jb_ixquery_filter(q, JB_IX_ANY_OF, "XR", any, 2), JB_OK);
  ck_assert_str_eq(ids(r, q), "o1,o3,o5");
  const char *fields[] = {"ic", "fintech"};
  ck_assert_int_eq(jb_ixquery_filter(q, JB_IX_ALL_OF, "XF", fields, 2), JB_OK);
  ck_assert_str_eq(ids(r, q), "");
  jb_ixquery_free(q);

  /* numeric ranges, closed and open */
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  ck_assert_int_eq(jb_ixquery_range(q, 0, 4, 6), JB_OK);
  ck_assert_str_eq(ids(r, q), "o1,o2,o4");
  jb_ixquery_free(q);
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  ck_assert_int_eq(jb_ixquery_range(q, 0, NAN, 4), JB_OK);
  ck_assert_str_eq(ids(r, q), "o1,o5");
  jb_ixquery_free(q);
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  ck_assert_int_eq(jb_ixquery_range(q, 0, 6.5, NAN), JB_OK);
  ck_assert_str_eq(ids(r, q), "o3");
  /* sort by the value, descending */
  jb_ixquery_free(q);
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  ck_assert_int_eq(jb_ixquery_sort_by(q, 0, 0), JB_OK);
  ck_assert_str_eq(ids(r, q), "o3,o2,o4,o1,o5");
  jb_ixquery_free(q);
  jb_index_close(r);
  rm();
}
END_TEST

START_TEST(weights_and_matched_items) {
  mk();
  build("db", 0, 1);
  jb_index *r = reader("db");
  jb_ixquery *q;
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  int i_chip = q_word(q, "T", "芯片", 2);
  int i_design = q_word(q, "D", "设计", 1);
  int i_verify = q_word(q, "D", "验证", 1);
  int i_none = q_word(q, "T", "不存在", 1);
  ck_assert_int_eq(q_word(q, "T", "芯片", 1), i_chip); /* same item again */
  ck_assert_int_ge(i_none, 0);
  jb_ixresults *res;
  ck_assert_int_eq(jb_index_search(r, q, 0, 10, &res), JB_OK);
  ck_assert_uint_eq(jb_ixresults_count(res), 3); /* o1 o2 o5 */
  ck_assert_uint_eq(jb_ixresults_estimate(res), 3);
  double last = INFINITY;
  for (size_t i = 0; i < 3; i++) {
    const char *id;
    double score;
    size_t rank;
    ck_assert_int_eq(jb_ixresults_hit(res, i, NULL, &id, &score, &rank), JB_OK);
    ck_assert_uint_eq(rank, i);
    ck_assert(score <= last && score > 0);
    last = score;
    const int *items;
    size_t n;
    ck_assert_int_eq(jb_ixresults_matched(res, i, &items, &n), JB_OK);
    if (!strcmp(id, "o1")) {
      ck_assert_uint_eq(n, 2);
      ck_assert_int_eq(items[0], i_chip);
      ck_assert_int_eq(items[1], i_design);
    } else if (!strcmp(id, "o5")) {
      ck_assert_uint_eq(n, 2);
      ck_assert_int_eq(items[0], i_chip);
      ck_assert_int_eq(items[1], i_verify);
    } else {
      ck_assert_str_eq(id, "o2");
      ck_assert_uint_eq(n, 1);
      ck_assert_int_eq(items[0], i_chip);
    }
  }
  jb_ixresults_free(res);
  /* required items */
  ck_assert_int_eq(jb_ixquery_require(q, "D", JB_IX_WORD, "验证", strlen("验证"), 1), i_verify);
  ck_assert_str_eq(ids(r, q), "o5");
  jb_ixquery_free(q);

  /* a title weight makes a title match outrank a body match */
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  q_word(q, "T", "区块链", 3);
  q_word(q, "D", "影像", 1);
  ck_assert_str_eq(ids(r, q), "o3,o4");
  jb_ixquery_free(q);
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  q_word(q, "T", "区块链", 0.1);
  q_word(q, "D", "影像", 5);
  ck_assert_str_eq(ids(r, q), "o4,o3");
  /* BM25 parameters change scores */
  jb_ixresults *a, *b;
  ck_assert_int_eq(jb_index_search(r, q, 0, 10, &a), JB_OK);
  ck_assert_int_eq(jb_ixquery_bm25(q, 2.0, 0, 1, 1.0, 0.5), JB_OK);
  ck_assert_int_eq(jb_index_search(r, q, 0, 10, &b), JB_OK);
  double sa, sb;
  jb_ixresults_hit(a, 0, NULL, NULL, &sa, NULL);
  jb_ixresults_hit(b, 0, NULL, NULL, &sb, NULL);
  ck_assert(fabs(sa - sb) > 1e-9);
  jb_ixresults_free(a);
  jb_ixresults_free(b);
  ck_assert_int_eq(jb_ixquery_bm25(q, -1, 0, 1, 0.5, 0.5), JB_EINVAL);
  jb_ixquery_free(q);

  /* phrases */
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  const char *ph[] = {"芯片", "设计"};
  int ip = jb_ixquery_add_phrase(q, "T", JB_IX_WORD, ph, 2, 1, 1);
  ck_assert_int_ge(ip, 0);
  ck_assert_str_eq(ids(r, q), "o1,o5");
  /* a phrase is listed as matched when all its terms are in the hit, beside
   * a single term that is one of them (the merge with the term list) */
  int i1 = jb_ixquery_add(q, "T", JB_IX_WORD, "设计", strlen("设计"), 1);
  ck_assert_int_ge(i1, 0);
  ck_assert_int_eq(jb_ixquery_set_matched(q, 1), JB_OK);
  jb_ixresults *pr;
  ck_assert_int_eq(jb_index_search(r, q, 0, 10, &pr), JB_OK);
  ck_assert_uint_eq(jb_ixresults_count(pr), 2);
  for (size_t h = 0; h < 2; h++) {
    const int *items;
    size_t n;
    ck_assert_int_eq(jb_ixresults_matched(pr, h, &items, &n), JB_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(items[0], ip < i1 ? ip : i1);
    ck_assert_int_eq(items[1], ip < i1 ? i1 : ip);
  }
  jb_ixresults_free(pr);
  jb_ixquery_free(q);
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  const char *ph2[] = {"设计", "芯片"};
  jb_ixquery_add_phrase(q, "T", JB_IX_WORD, ph2, 2, 1, 1);
  ck_assert_str_eq(ids(r, q), "");
  jb_ixquery_free(q);
  jb_index_close(r);
  rm();
}
END_TEST

/* jb_ixquery_elite_own: the index's absent items leave the query (no place
 * in the elite set), each own item it holds gains the elite a place */
START_TEST(elite_own) {
  mk();
  build("db", 0, 1);
  jb_index *r = reader("db");
  jb_ixquery *q;
  ck_assert_int_eq(jb_ixquery_elite_own(NULL, 0), JB_EINVAL);
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  ck_assert_int_ge(q_word(q, "T", "absentword", 5), 0); /* own, not in the index */
  ck_assert_int_ge(q_word(q, "T", "区块链", 1), 0);      /* own, in o3 */
  int i_img = q_word(q, "D", "影像", 2);                /* translated: o4 */
  ck_assert_int_ge(q_word(q, "D", "形式化", 1), 0);     /* translated: o5 */
  ck_assert_int_eq(jb_ixquery_elite(q, 1), JB_OK);
  ck_assert_int_eq(jb_ixquery_elite_own(q, 2), JB_OK);
  /* one place, one more for 区块链: 影像 (the stronger translation) */
  ck_assert_str_eq(ids(r, q), "o4,o3");
  jb_ixresults *res;
  ck_assert_int_eq(jb_ixquery_set_matched(q, 1), JB_OK);
  ck_assert_int_eq(jb_index_search(r, q, 0, 10, &res), JB_OK);
  const int *items;
  size_t n;
  double s_elite;
  ck_assert_int_eq(jb_ixresults_matched(res, 0, &items, &n), JB_OK);
  ck_assert_uint_eq(n, 1);
  ck_assert_int_eq(items[0], i_img);
  jb_ixresults_hit(res, 0, NULL, NULL, &s_elite, NULL);
  jb_ixresults_free(res);
  jb_ixquery_free(q);
  /* the score is the item's alone: leaving the absent item out changed none */
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  q_word(q, "D", "影像", 2);
  double s_alone;
  ck_assert_int_eq(jb_index_search(r, q, 0, 10, &res), JB_OK);
  jb_ixresults_hit(res, 0, NULL, NULL, &s_alone, NULL);
  ck_assert(fabs(s_elite - s_alone) < 1e-9);
  jb_ixresults_free(res);
  jb_ixquery_free(q);
  /* no own item present: the elite's one place goes to 影像 alone */
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  q_word(q, "T", "absentword", 5);
  q_word(q, "D", "影像", 2);
  q_word(q, "D", "形式化", 1);
  ck_assert_int_eq(jb_ixquery_elite(q, 1), JB_OK);
  ck_assert_int_eq(jb_ixquery_elite_own(q, 1), JB_OK);
  ck_assert_str_eq(ids(r, q), "o4");
  jb_ixquery_free(q);
  /* every item absent: nothing matches (not every document) */
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  q_word(q, "T", "absentword", 5);
  q_word(q, "D", "nowhere", 1);
  ck_assert_int_eq(jb_ixquery_elite_own(q, 1), JB_OK);
  ck_assert_str_eq(ids(r, q), "");
  jb_ixquery_free(q);
  jb_index_close(r);
  rm();
}
END_TEST

START_TEST(kinds_and_long_terms) {
  mk();
  jb_index *w;
  char err[256];
  ck_assert_int_eq(jb_index_open_writer(path("db"), &w, err, sizeof err), JB_OK);
  jb_ixdoc *d;
  ck_assert_int_eq(jb_ixdoc_new(&d), JB_OK);
  add_words(d, "T", "人工 工智 智能", 1, JB_IX_BIGRAM);
  add_words(d, "T", "system", 1, JB_IX_STEM);
  add_words(d, "T", "zhang wei", 1, JB_IX_PINYIN);
  char longt[400];
  memset(longt, 'a', sizeof longt - 1);
  longt[sizeof longt - 1] = '\0';
  jb_ix_term lt = {longt, (uint32_t)strlen(longt), 0, JB_IX_WORD};
  ck_assert_int_eq(jb_ixdoc_add_terms(d, "D", &lt, 1, 1, 0), JB_OK);
  ck_assert_int_eq(jb_index_put(w, "output", "k1", d), JB_OK);
  jb_ixdoc_free(d);
  ck_assert_int_eq(jb_index_commit(w), JB_OK);
  jb_ixquery *q;
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  ck_assert_int_ge(jb_ixquery_add(q, "T", JB_IX_BIGRAM, "工智", strlen("工智"), 1), 0);
  ck_assert_str_eq(ids(w, q), "k1");
  jb_ixquery_free(q);
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  ck_assert_int_ge(jb_ixquery_add(q, "T", JB_IX_WORD, "工智", strlen("工智"), 1), 0);
  ck_assert_str_eq(ids(w, q), ""); /* a bigram is not a word */
  jb_ixquery_free(q);
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  ck_assert_int_ge(jb_ixquery_add(q, "T", JB_IX_PINYIN, "wei", 3, 1), 0);
  ck_assert_int_ge(jb_ixquery_add(q, "T", JB_IX_STEM, "system", 6, 1), 0);
  ck_assert_str_eq(ids(w, q), "k1");
  jb_ixquery_free(q);
  /* the long term matches itself through the same rule */
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  ck_assert_int_ge(jb_ixquery_add(q, "D", JB_IX_WORD, longt, strlen(longt), 1), 0);
  ck_assert_str_eq(ids(w, q), "k1");
  jb_ixquery_free(q);
  char buf[300];
  int n = jb_ix_term_string("D", JB_IX_WORD, longt, strlen(longt), buf, sizeof buf);
  ck_assert_int_eq(n, JB_IX_MAX_TERM);
  ck_assert_int_eq(buf[JB_IX_MAX_TERM - 9], '#');
  /* a different long term with the same head gets another hash */
  longt[390] = 'b';
  char buf2[300];
  jb_ix_term_string("D", JB_IX_WORD, longt, strlen(longt), buf2, sizeof buf2);
  ck_assert_str_ne(buf, buf2);
  /* multi-byte text is cut on a character boundary */
  char han[400] = "";
  for (int i = 0; i < 100; i++)
    strcat(han, "芯");
  n = jb_ix_term_string("D", JB_IX_WORD, han, strlen(han), buf, sizeof buf);
  ck_assert_int_le(n, JB_IX_MAX_TERM);
  ck_assert_int_eq((n - 9 - 1) % 3, 0);
  jb_index_close(w);
  rm();
}
END_TEST

START_TEST(bad_input) {
  mk();
  jb_index *w;
  char err[256];
  ck_assert_int_eq(jb_index_open_writer(NULL, &w, err, sizeof err), JB_EINVAL);
  ck_assert_ptr_null(w);
  ck_assert_int_eq(jb_index_open_writer(path("db"), &w, err, sizeof err), JB_OK);
  jb_ixdoc *d;
  ck_assert_int_eq(jb_ixdoc_new(&d), JB_OK);
  jb_ix_term empty = {"", 0, 0, JB_IX_WORD};
  ck_assert_int_eq(jb_ixdoc_add_terms(d, "T", &empty, 1, 1, 0), JB_EINVAL);
  jb_ix_term ok = {"a", 1, 0, JB_IX_WORD};
  jb_ix_term badkind = {"a", 1, 0, 9};
  ck_assert_int_eq(jb_ixdoc_add_terms(d, "T", &badkind, 1, 1, 0), JB_EINVAL);
  ck_assert_int_eq(jb_ixdoc_add_terms(d, "Q", &ok, 1, 1, 0), JB_EINVAL);
  ck_assert_int_eq(jb_ixdoc_add_terms(d, "TT", &ok, 1, 1, 0), JB_EINVAL);
  ck_assert_int_eq(jb_ixdoc_add_terms(d, "t", &ok, 1, 1, 0), JB_EINVAL);
  ck_assert_int_eq(jb_ixdoc_add_terms(d, "T", &ok, 1, 0, 0), JB_EINVAL);
  ck_assert_int_eq(jb_ixdoc_add_terms(d, NULL, &ok, 1, 1, 0), JB_EINVAL);
  ck_assert_int_eq(jb_ixdoc_add_terms(NULL, "T", &ok, 1, 1, 0), JB_EINVAL);
  ck_assert_int_eq(jb_ixdoc_add_filter(d, "XR", ""), JB_EINVAL);
  ck_assert_int_eq(jb_ixdoc_add_filter(d, "R", "31"), JB_EINVAL);
  ck_assert_int_eq(jb_ixdoc_add_filter_path(d, "XF", "/ic", '/'), JB_EINVAL);
  ck_assert_int_eq(jb_ixdoc_set_number(d, 0, NAN), JB_EINVAL);
  ck_assert_int_eq(jb_ixdoc_set_number(d, 5000, 1), JB_EINVAL);
  ck_assert_int_eq(jb_index_put(w, "Output", "x", d), JB_EINVAL);
  ck_assert_int_eq(jb_index_put(w, "output", "", d), JB_EINVAL);
  ck_assert_int_eq(jb_index_put(w, "output", "x", NULL), JB_EINVAL);
  ck_assert_str_ne(jb_index_error(w), "");
  ck_assert_int_eq(jb_index_set_meta(w, "", "v", 1), JB_EINVAL);
  jb_ixquery *q;
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  ck_assert_int_eq(jb_ixquery_add(q, "T", JB_IX_WORD, "", 0, 1), JB_EINVAL);
  ck_assert_int_eq(jb_ixquery_add(q, "T", JB_IX_WORD, "a", 1, 0), JB_EINVAL);
  ck_assert_int_eq(jb_ixquery_add(q, "T", JB_IX_WORD, "a", 1, NAN), JB_EINVAL);
  ck_assert_int_eq(jb_ixquery_range(q, 0, 5, 1), JB_EINVAL);
  ck_assert_int_eq(jb_ixquery_range(q, 0, NAN, NAN), JB_EINVAL);
  const char *one[] = {"a"};
  ck_assert_int_eq(jb_ixquery_add_phrase(q, "T", JB_IX_WORD, one, 1, 1, 0), JB_EINVAL);
  ck_assert_int_eq(jb_ixquery_filter(q, (jb_ix_group)7, "XR", one, 1), JB_EINVAL);
  jb_ixresults *res;
  ck_assert_int_eq(jb_index_search(w, q, 0, 1000000, &res), JB_EINVAL);
  ck_assert_ptr_null(res);
  jb_ixquery_free(q);
  jb_ixdoc_free(d);
  jb_index_close(w);
  /* NULL is accepted by every destructor */
  jb_index_close(NULL);
  jb_ixdoc_free(NULL);
  jb_ixquery_free(NULL);
  jb_ixresults_free(NULL);
  jb_ixexpand_free(NULL, 0);
  /* a reader on a missing database */
  const char *where[] = {path("missing")};
  jb_index *r;
  ck_assert_int_eq(jb_index_open_reader(where, 1, &r, err, sizeof err), JB_ENOENT);
  ck_assert_ptr_null(r);
  ck_assert_str_ne(err, "");
  rm();
}
END_TEST

START_TEST(lock_conflict) {
  mk();
  jb_index *w, *w2;
  char err[256];
  ck_assert_int_eq(jb_index_open_writer(path("db"), &w, err, sizeof err), JB_OK);
  ck_assert_int_eq(jb_index_open_writer(path("db"), &w2, err, sizeof err), JB_ELOCKED);
  ck_assert_ptr_null(w2);
  ck_assert_msg(strstr(err, "lock") || strstr(err, "Lock"), "%s", err);
  /* also from another process, at once */
  pid_t pid = fork();
  if (pid == 0) {
    jb_index *x;
    _exit(jb_index_open_writer(path("db"), &x, NULL, 0) == JB_ELOCKED ? 0 : 1);
  }
  int st;
  waitpid(pid, &st, 0);
  ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  jb_index_close(w);
  ck_assert_int_eq(jb_index_open_writer(path("db"), &w2, err, sizeof err), JB_OK);
  jb_index_close(w2);
  rm();
}
END_TEST

START_TEST(metadata_atomic_with_documents) {
  mk();
  build("db", 0, 1);
  /* a child sets metadata and puts documents, and is killed before commit */
  pid_t pid = fork();
  if (pid == 0) {
    jb_index *w;
    if (jb_index_open_writer(path("db"), &w, NULL, 0) != JB_OK)
      _exit(3);
    jb_index_set_meta(w, "applied_seq", "42", 2);
    jb_ixdoc *d;
    jb_ixdoc_new(&d);
    jb_ix_term t = {"新", 3, 0, JB_IX_WORD};
    jb_ixdoc_add_terms(d, "T", &t, 1, 1, 0);
    jb_index_put(w, "output", "new1", d);
    jb_index_put(w, "output", "new2", d);
    kill(getpid(), SIGKILL);
    _exit(4);
  }
  int st;
  waitpid(pid, &st, 0);
  ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
  jb_index *r = reader("db");
  uint64_t n;
  char *v;
  ck_assert_int_eq(jb_index_doccount(r, &n), JB_OK);
  ck_assert_uint_eq(n, NSAMPLES);
  ck_assert_int_eq(jb_index_get_meta(r, "applied_seq", &v, NULL), JB_OK);
  ck_assert_str_eq(v, "");
  free(v);
  /* the same, committed: both are there */
  jb_index *w;
  ck_assert_int_eq(jb_index_open_writer(path("db"), &w, NULL, 0), JB_OK);
  ck_assert_int_eq(jb_index_set_meta(w, "applied_seq", "42", 2), JB_OK);
  jb_ixdoc *d;
  jb_ixdoc_new(&d);
  jb_ix_term t = {"新", 3, 0, JB_IX_WORD};
  jb_ixdoc_add_terms(d, "T", &t, 1, 1, 0);
  jb_index_put(w, "output", "new1", d);
  jb_ixdoc_free(d);
  uint64_t rev0, rev1;
  ck_assert_int_eq(jb_index_revision(r, &rev0), JB_OK);
  ck_assert_int_eq(jb_index_commit(w), JB_OK);
  /* close without commit discards */
  ck_assert_int_eq(jb_index_set_meta(w, "applied_seq", "43", 2), JB_OK);
  jb_index_close(w);
  /* the reader sees the new revision after reopen */
  ck_assert_int_eq(jb_index_doccount(r, &n), JB_OK);
  ck_assert_uint_eq(n, NSAMPLES);
  ck_assert_int_eq(jb_index_reopen(r), JB_OK);
  ck_assert_int_eq(jb_index_revision(r, &rev1), JB_OK);
  ck_assert_uint_gt(rev1, rev0);
  ck_assert_int_eq(jb_index_doccount(r, &n), JB_OK);
  ck_assert_uint_eq(n, NSAMPLES + 1);
  size_t vlen;
  ck_assert_int_eq(jb_index_get_meta(r, "applied_seq", &v, &vlen), JB_OK);
  ck_assert_str_eq(v, "42");
  ck_assert_uint_eq(vlen, 2);
  free(v);
  jb_index_close(r);
  rm();
}
END_TEST

START_TEST(expand_set) {
  mk();
  build("db", 0, 1);
  jb_index *r = reader("db");
  const char *types[] = {"output", "output"};
  const char *idv[] = {"o1", "o5"};
  const char *fields[] = {"T", "D"};
  jb_ixexpand_term *t;
  size_t n;
  ck_assert_int_eq(jb_index_expand(r, types, idv, 2, fields, 2, 0, 5, &t, &n), JB_OK);
  ck_assert_uint_gt(n, 0);
  ck_assert_uint_le(n, 5);
  int seen_chip = 0;
  for (size_t i = 0; i < n; i++) {
    ck_assert_int_eq(t[i].kind, JB_IX_WORD);
    ck_assert(t[i].field[0] == 'T' || t[i].field[0] == 'D');
    ck_assert(i == 0 || t[i].weight <= t[i - 1].weight);
    if (!strcmp(t[i].text, "芯片") || !strcmp(t[i].text, "设计") || !strcmp(t[i].text, "验证"))
      seen_chip = 1;
    /* no filter or id term leaks out */
    ck_assert_ptr_null(strchr(t[i].text, ':'));
  }
  ck_assert(seen_chip);
  jb_ixexpand_free(t, n);
  /* only the title field */
  const char *tf[] = {"T"};
  ck_assert_int_eq(jb_index_expand(r, types, idv, 2, tf, 1, 0, 20, &t, &n), JB_OK);
  for (size_t i = 0; i < n; i++)
    ck_assert_str_eq(t[i].field, "T");
  jb_ixexpand_free(t, n);
  /* unknown ids give nothing */
  const char *none[] = {"zzz"};
  ck_assert_int_eq(jb_index_expand(r, types, none, 1, fields, 2, 0, 5, &t, &n), JB_OK);
  ck_assert_uint_eq(n, 0);
  jb_ixexpand_free(t, n);
  jb_index_close(r);
  rm();
}
END_TEST

START_TEST(reader_survives_modification) {
  /* a reader left on an old revision while the writer commits many times
   * either still reads its snapshot or meets DatabaseModifiedError inside
   * the search, which the shim handles by reopening and retrying: no error
   * escapes; after jb_index_reopen the newest revision answers */
  mk();
  build("db", 0, 1);
  jb_index *r = reader("db");
  jb_ixquery *q;
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  q_word(q, "T", "芯片", 1);
  ck_assert_str_eq(ids(r, q), "o2,o1,o5"); /* shorter title first */
  jb_index *w;
  ck_assert_int_eq(jb_index_open_writer(path("db"), &w, NULL, 0), JB_OK);
  for (int round = 0; round < 30; round++) {
    for (size_t i = 0; i < NSAMPLES; i++) {
      jb_ixdoc *d;
      jb_ixdoc_new(&d);
      char words[64];
      snprintf(words, sizeof words, "%s r%d", round == 29 && i == 3 ? "芯片" : "别的", round);
      add_words(d, "T", words, 1, JB_IX_WORD);
      jb_index_put(w, "output", SAMPLES[i].id, d);
      jb_ixdoc_free(d);
    }
    ck_assert_int_eq(jb_index_commit(w), JB_OK);
  }
  jb_index_close(w);
  const char *got = ids(r, q); /* asserts JB_OK */
  ck_assert_msg(!strcmp(got, "o4") || !strcmp(got, "o2,o1,o5"), "%s", got);
  ck_assert_int_eq(jb_index_reopen(r), JB_OK);
  ck_assert_str_eq(ids(r, q), "o4");
  jb_ixquery_free(q);
  jb_index_close(r);
  rm();
}
END_TEST

/* ---- shards ----------------------------------------------------------------- */

static int free_port(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, (struct sockaddr *)&a, sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &len);
  int port = ntohs(a.sin_port);
  close(s);
  return port;
}

static pid_t tcpsrv(const char *db, int port) {
  pid_t pid = fork();
  if (pid == 0) {
    char p[16];
    snprintf(p, sizeof p, "%d", port);
    setpgid(0, 0); /* xapian-tcpsrv signals its whole process group on exit */
    execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", "127.0.0.1", "--port", p, "--quiet",
           db, (char *)NULL);
    _exit(127);
  }
  return pid;
}

static void ranking(jb_index *ix, char *out, size_t len) {
  jb_ixquery *q;
  ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
  q_word(q, "T", "芯片", 2);
  q_word(q, "D", "设计", 1);
  q_word(q, "D", "区块链", 1);
  q_word(q, "D", "影像", 1);
  q_word(q, "D", "验证", 1);
  jb_ixresults *res;
  ck_assert_int_eq(jb_index_search(ix, q, 0, 10, &res), JB_OK);
  size_t o = 0;
  out[0] = '\0';
  for (size_t i = 0; i < jb_ixresults_count(res); i++) {
    const char *id;
    double score;
    jb_ixresults_hit(res, i, NULL, &id, &score, NULL);
    o += (size_t)snprintf(out + o, len - o, "%s:%.6f ", id, score);
  }
  jb_ixresults_free(res);
  jb_ixquery_free(q);
}

START_TEST(shards_local_and_remote) {
  mk();
  build("all", 0, 1);
  build("s0", 0, 2);
  build("s1", 1, 2);
  char one[1024], two[1024], remote[1024];
  jb_index *r = reader("all");
  ranking(r, one, sizeof one);
  jb_index_close(r);
  const char *where[] = {path("s0"), path("s1")};
  char err[256];
  ck_assert_int_eq(jb_index_open_reader(where, 2, &r, err, sizeof err), JB_OK);
  ranking(r, two, sizeof two);
  uint64_t rev;
  ck_assert_int_eq(jb_index_revision(r, &rev), JB_EINVAL);
  jb_index_close(r);
  ck_assert_str_eq(two, one);

  if (system("command -v xapian-tcpsrv >/dev/null 2>&1") != 0) {
    fprintf(stderr, "skipping remote shards: xapian-tcpsrv not installed (xapian-tools)\n");
    rm();
    return;
  }
  int p0 = free_port(), p1 = free_port();
  while (p1 == p0)
    p1 = free_port();
  pid_t s0 = tcpsrv(path("s0"), p0), s1 = tcpsrv(path("s1"), p1);
  char a0[32], a1[32];
  snprintf(a0, sizeof a0, "127.0.0.1:%d", p0);
  snprintf(a1, sizeof a1, "127.0.0.1:%d", p1);
  const char *rw[] = {a0, a1};
  int rc = JB_EINDEX;
  for (int tries = 0; tries < 100 && rc != JB_OK; tries++) {
    rc = jb_index_open_reader(rw, 2, &r, err, sizeof err);
    if (rc != JB_OK)
      usleep(50000);
  }
  ck_assert_msg(rc == JB_OK, "remote shards: %s", err);
  ranking(r, remote, sizeof remote);
  jb_index_close(r);
  kill(s0, SIGTERM);
  kill(s1, SIGTERM);
  waitpid(s0, NULL, 0);
  waitpid(s1, NULL, 0);
  ck_assert_str_eq(remote, one);
  rm();
}
END_TEST

/* a small deterministic generator for the randomised tests */
static unsigned long rnd_state;
static unsigned rnd(unsigned n) {
  rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
  return (unsigned)((rnd_state >> 33) % n);
}

/* words w0..w59, the low ones common (a skewed draw) */
static void rnd_text(char *buf, size_t len, unsigned nwords) {
  buf[0] = '\0';
  for (unsigned i = 0; i < nwords; i++) {
    char w[16];
    unsigned a = rnd(60), b = rnd(60);
    snprintf(w, sizeof w, "%sw%u", i ? " " : "", a < b ? a : b);
    strncat(buf, w, len - strlen(buf) - 1);
  }
}

/* jb_index_score_docs gives, for any query and any documents, the score and
 * matched items that a search limited to those documents gives (0 and none
 * for a document the search does not return), over one database and over
 * two searched as one (global statistics) */
START_TEST(score_docs_as_search) {
  mk();
  rnd_state = 13;
  jb_index *w0, *w1;
  char err[256];
  ck_assert_msg(jb_index_open_writer(path("a"), &w0, err, sizeof err) == JB_OK, "%s", err);
  ck_assert_msg(jb_index_open_writer(path("b"), &w1, err, sizeof err) == JB_OK, "%s", err);
  /* b without forward lists: its documents are scored from Xapian's term
   * lists, a's from their forward lists, and a+b mixes the two */
  ck_assert_int_eq(jb_index_set_forward(w1, 0), JB_OK);
  ck_assert_int_eq(jb_index_set_forward(NULL, 0), JB_EINVAL);
  for (int i = 0; i < 300; i++) {
    jb_ixdoc *d;
    char text[512], id[16];
    ck_assert_int_eq(jb_ixdoc_new(&d), JB_OK);
    rnd_text(text, sizeof text, 1 + rnd(5));
    add_words(d, "T", text, 3, JB_IX_WORD);
    rnd_text(text, sizeof text, 1 + rnd(40));
    add_words(d, "D", text, 1, JB_IX_WORD);
    add_words(d, "D", text, 1, JB_IX_BIGRAM);
    ck_assert_int_eq(jb_ixdoc_add_filter(d, "XT", "output"), JB_OK);
    snprintf(id, sizeof id, "d%d", i);
    ck_assert_int_eq(jb_index_put(i % 3 ? w0 : w1, "output", id, d), JB_OK);
    jb_ixdoc_free(d);
  }
  ck_assert_int_eq(jb_index_commit(w0), JB_OK);
  ck_assert_int_eq(jb_index_commit(w1), JB_OK);
  jb_index_close(w0);
  jb_index_close(w1);
  const char *one[] = {path("a")}, *two[] = {path("a"), path("b")};
  for (int db = 0; db < 2; db++) {
    jb_index *r;
    ck_assert_int_eq(jb_index_open_reader(db ? two : one, db ? 2 : 1, &r, err, sizeof err), JB_OK);
    for (int round = 0; round < 60; round++) {
      jb_ixquery *q;
      ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
      unsigned nt = 1 + rnd(80);
      for (unsigned k = 0; k < nt; k++) {
        char t[16];
        snprintf(t, sizeof t, "w%u", rnd(70)); /* w60..w69: in no document */
        double wt = 0.05 + rnd(1000) / 100.0;
        int kind = rnd(4) ? JB_IX_WORD : JB_IX_BIGRAM;
        if (round % 10 == 9 && k == 0)
          ck_assert_int_ge(jb_ixquery_require(q, "D", kind, t, strlen(t), wt), 0);
        else
          ck_assert_int_ge(jb_ixquery_add(q, rnd(2) ? "T" : "D", kind, t, strlen(t), wt), 0);
      }
      if (round % 3 == 1)
        ck_assert_int_eq(jb_ixquery_bm25(q, 0.3 + rnd(20) / 10.0, 0, 1, rnd(11) / 10.0, 0.5),
                         JB_OK);
      /* documents: some of them (distinct), and ids not in the database */
      const char *types[40], *idv[40];
      char idbuf[40][16];
      size_t n = 1 + rnd(40);
      static const unsigned steps[] = {1, 3, 7, 9, 11, 13}; /* prime to 320 */
      unsigned start = rnd(320), step = steps[rnd(6)];
      for (size_t i = 0; i < n; i++) {
        snprintf(idbuf[i], sizeof idbuf[i], "d%u", (unsigned)((start + i * step) % 320));
        types[i] = "output";
        idv[i] = idbuf[i];
      }
      jb_ixresults *sd, *se;
      ck_assert_int_eq(jb_ixquery_set_matched(q, 1), JB_OK);
      ck_assert_int_eq(jb_index_score_docs(r, q, types, idv, n, &sd), JB_OK);
      ck_assert_int_eq(jb_ixquery_only(q, types, idv, n), JB_OK);
      ck_assert_int_eq(jb_index_search(r, q, 0, 100, &se), JB_OK);
      ck_assert_uint_eq(jb_ixresults_count(sd), n);
      size_t positive = 0;
      for (size_t i = 0; i < n; i++) {
        const char *id;
        double s1;
        size_t rank;
        ck_assert_int_eq(jb_ixresults_hit(sd, i, NULL, &id, &s1, &rank), JB_OK);
        ck_assert_str_eq(id, idv[i]);
        ck_assert_uint_eq(rank, i);
        const int *it1, *it2 = NULL;
        size_t n1, n2 = 0;
        ck_assert_int_eq(jb_ixresults_matched(sd, i, &it1, &n1), JB_OK);
        double s2 = 0;
        for (size_t h = 0; h < jb_ixresults_count(se); h++) {
          const char *hid;
          jb_ixresults_hit(se, h, NULL, &hid, NULL, NULL);
          if (!strcmp(hid, id)) {
            jb_ixresults_hit(se, h, NULL, NULL, &s2, NULL);
            jb_ixresults_matched(se, h, &it2, &n2);
          }
        }
        ck_assert_msg(fabs(s1 - s2) <= 1e-9 * (1 + fabs(s2)), "db %d round %d %s: %.12g vs %.12g",
                      db, round, id, s1, s2);
        positive += s1 > 0;
        ck_assert_uint_eq(n1, n2);
        for (size_t k = 0; k < n1; k++)
          ck_assert_int_eq(it1[k], it2[k]);
      }
      ck_assert_uint_eq(positive, jb_ixresults_count(se));
      jb_ixresults_free(sd);
      jb_ixresults_free(se);
      jb_ixquery_free(q);
    }
    /* jb_index_termfreq: a one-term search's estimate, absent terms 0 */
    for (unsigned k = 0; k < 70; k += 3) {
      char t[16];
      snprintf(t, sizeof t, "w%u", k);
      for (int kind = JB_IX_WORD; kind <= JB_IX_BIGRAM; kind++) {
        jb_ixquery *q1;
        jb_ixresults *r1;
        uint64_t f = 99;
        ck_assert_int_eq(jb_ixquery_new(&q1), JB_OK);
        ck_assert_int_ge(jb_ixquery_add(q1, "D", kind, t, strlen(t), 1), 0);
        ck_assert_int_eq(jb_index_search(r, q1, 0, 0, &r1), JB_OK);
        ck_assert_int_eq(jb_index_termfreq(r, "D", kind, t, strlen(t), &f), JB_OK);
        ck_assert_uint_eq(f, jb_ixresults_estimate(r1));
        ck_assert(k < 60 || kind != JB_IX_WORD || f == 0);
        jb_ixresults_free(r1);
        jb_ixquery_free(q1);
      }
    }
    uint64_t f = 99;
    ck_assert_int_eq(jb_index_termfreq(r, "d", JB_IX_WORD, "w1", 2, &f), JB_EINVAL);
    ck_assert_uint_eq(f, 0);
    ck_assert_int_eq(jb_index_termfreq(r, "D", JB_IX_WORD, "w1", 2, NULL), JB_EINVAL);
    ck_assert_int_eq(jb_index_termfreq(NULL, "D", JB_IX_WORD, "w1", 2, &f), JB_EINVAL);
    /* refused: phrase items, a bad id, NULL */
    jb_ixquery *q;
    ck_assert_int_eq(jb_ixquery_new(&q), JB_OK);
    const char *ph[] = {"w1", "w2"}, *t[] = {"output"}, *bad[] = {""}, *good[] = {"d1"};
    jb_ixresults *res = (jb_ixresults *)1;
    ck_assert_int_eq(jb_index_score_docs(r, q, t, bad, 1, &res), JB_EINVAL);
    ck_assert_ptr_null(res);
    ck_assert_int_eq(jb_index_score_docs(r, NULL, t, good, 1, &res), JB_EINVAL);
    ck_assert_int_eq(jb_index_score_docs(r, q, NULL, good, 1, &res), JB_EINVAL);
    ck_assert_int_eq(jb_index_score_docs(r, q, t, good, 0, &res), JB_OK);
    ck_assert_uint_eq(jb_ixresults_count(res), 0);
    jb_ixresults_free(res);
    ck_assert_int_ge(jb_ixquery_add_phrase(q, "D", JB_IX_WORD, ph, 2, 1, 0), 0);
    ck_assert_int_eq(jb_index_score_docs(r, q, t, good, 1, &res), JB_EINVAL);
    jb_ixquery_free(q);
    jb_index_close(r);
  }
  rm();
}
END_TEST

/* jb_ixfwd_check takes what xapian_forward.cc's format allows and nothing
 * else; a reader cannot be told to write forward lists */
START_TEST(forward_format) {
  static const struct {
    const char *b;
    size_t len;
    int rc;
    size_t n;
  } cases[] = {
      {"\x01\x00\x00", 3, JB_OK, 0},                                   /* no terms */
      {"\x01\x03\x02\x00\x02" "ab\x01\x01\x01" "c\x02", 12, JB_OK, 2}, /* ab 1, ac 2 */
      {"\x01\x03\x02\x00\x02" "ab\x01\x02\x00\x02", 10, JB_ESYNTAX, 0}, /* ab again */
      {"\x01\x03\x02\x00\x02" "ac\x01\x01\x01" "b\x02", 12, JB_ESYNTAX, 0}, /* descending */
      {"\x01\x03\x02\x00\x02" "ab\x01\x03\x01" "c\x02", 12, JB_ESYNTAX, 0}, /* shares 3 of 2 */
      {"\x01\x03\x01\x01\x02" "ab\x01", 8, JB_ESYNTAX, 0},         /* first term shares */
      {"\x01\x03\x01\x00\x02" "ab\x81", 8, JB_ESYNTAX, 0},         /* varint cut */
      {"\x01\x03\x01\x00\x02" "ab\x01\x00", 9, JB_ESYNTAX, 0},     /* a byte left over */
      {"\x01\x03\x05\x00\x02" "ab\x01", 8, JB_ESYNTAX, 0},         /* five terms said */
      /* terms past 8 bytes: the second shares 9, then one shares 2 */
      {"\x01\x04\x03\x00\x0a" "abcdefghij\x01\x09\x01" "k\x02\x02\x01" "d\x01", 24, JB_OK, 3},
      {"\x01\x04\x02\x00\x0a" "abcdefghij\x01\x09\x01" "a\x02", 20, JB_ESYNTAX, 0}, /* j > a */
      {"\x02\x00\x00", 3, JB_ESYNTAX, 0},                              /* another version */
      {"", 0, JB_ESYNTAX, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n = 99;
    ck_assert_msg(jb_ixfwd_check(cases[i].b, cases[i].len, &n) == cases[i].rc, "case %zu", i);
    ck_assert_msg(n == cases[i].n, "case %zu: %zu terms", i, n);
  }
  ck_assert_int_eq(jb_ixfwd_check(NULL, 1, NULL), JB_EINVAL);
  mk();
  jb_index *w, *r;
  char err[256];
  const char *where[] = {path("f")};
  ck_assert_int_eq(jb_index_open_writer(path("f"), &w, err, sizeof err), JB_OK);
  jb_index_close(w);
  ck_assert_int_eq(jb_index_open_reader(where, 1, &r, err, sizeof err), JB_OK);
  ck_assert_int_eq(jb_index_set_forward(r, 1), JB_EINVAL);
  jb_index_close(r);
  rm();
}
END_TEST

static Suite *index_suite(void) {
  Suite *s = suite_create("index");
  TCase *tc = tcase_create("shim");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, put_replace_delete);
  tcase_add_test(tc, filters_and_ranges);
  tcase_add_test(tc, weights_and_matched_items);
  tcase_add_test(tc, elite_own);
  tcase_add_test(tc, kinds_and_long_terms);
  tcase_add_test(tc, bad_input);
  tcase_add_test(tc, lock_conflict);
  tcase_add_test(tc, metadata_atomic_with_documents);
  tcase_add_test(tc, expand_set);
  tcase_add_test(tc, reader_survives_modification);
  tcase_add_test(tc, shards_local_and_remote);
  tcase_add_test(tc, score_docs_as_search);
  tcase_add_test(tc, forward_format);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(index_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
