/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_xlate.c: the sense selection of cross-lingual matching
 * (engine/match_xlate.c, jb__xl_senses): the collection's co-occurrence
 * outweighs the dictionary's order, a translation the collection lacks is
 * never chosen, the prior (glossary above CC-CEDICT) decides where the
 * collection says nothing, at most three per span, weights in (0.5, 1];
 * and jb_engine_match_prepare, which loads the bilingual lexicon before the
 * first need wants it (the build tree's data/: the glossary at least). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/match_int.h"

/* yield: 产量 收率 产率 良率 (the glossary's order); beside wafers and defects
 * only 良率 co-occurs */
START_TEST(cooccurrence_beats_order) {
  double prior[] = {1.0, 0.9, 0.81, 0.729}, df[] = {40, 12, 9, 6}, cooc[] = {0, 0.5, 0, 6.2};
  size_t pick[3];
  double w[3];
  size_t k = jb__xl_senses(prior, df, cooc, 4, pick, w);
  ck_assert_uint_ge(k, 1);
  ck_assert_uint_eq(pick[0], 3);
  ck_assert_double_eq(w[0], 1.0);
  for (size_t i = 1; i < k; i++) {
    ck_assert_uint_ne(pick[i], 3);
    ck_assert(w[i] > 0.5 && w[i] <= 1.0);
  }
  /* 产量 without co-occurrence scores 0.3 against 良率's 0.729 x 1.3: out */
  for (size_t i = 0; i < k; i++)
    ck_assert_uint_ne(pick[i], 0);
}
END_TEST

/* a candidate the collection lacks is not chosen, whatever its prior */
START_TEST(absent_never_chosen) {
  double prior[] = {1.0, 0.5}, df[] = {0, 2}, cooc[] = {0, 0};
  size_t pick[3];
  double w[3];
  ck_assert_uint_eq(jb__xl_senses(prior, df, cooc, 2, pick, w), 1);
  ck_assert_uint_eq(pick[0], 1);
  double df0[] = {0, 0};
  ck_assert_uint_eq(jb__xl_senses(prior, df0, cooc, 2, pick, w), 0);
  ck_assert_uint_eq(jb__xl_senses(prior, df0, cooc, 0, pick, w), 0);
}
END_TEST

/* no co-occurrence: the prior decides, the glossary (1.0) over CC-CEDICT
 * (0.5), and the glossary's alternatives (0.9) stay beside it */
START_TEST(prior_without_evidence) {
  double prior[] = {0.5, 1.0, 0.9}, df[] = {30, 30, 30}, cooc[] = {0, 0, 0};
  size_t pick[3];
  double w[3];
  size_t k = jb__xl_senses(prior, df, cooc, 3, pick, w);
  ck_assert_uint_eq(k, 2);
  ck_assert_uint_eq(pick[0], 1);
  ck_assert_uint_eq(pick[1], 2);
  ck_assert_double_eq_tol(w[1], 0.9, 1e-12);
}
END_TEST

/* a stray word (one document) counts half of one in three or more */
START_TEST(presence_and_cap) {
  double prior[] = {1.0, 1.0}, df[] = {1, 3}, cooc[] = {0, 0};
  size_t pick[3];
  double w[3];
  size_t k = jb__xl_senses(prior, df, cooc, 2, pick, w);
  ck_assert_uint_eq(k, 1); /* 0.5 of the best is not over half */
  ck_assert_uint_eq(pick[0], 1);
  double p5[] = {1, 1, 1, 1, 1}, d5[] = {9, 9, 9, 9, 9}, c5[] = {1, 1, 1, 1, 1};
  ck_assert_uint_eq(jb__xl_senses(p5, d5, c5, 5, pick, w), 3);
  ck_assert_uint_eq(pick[0], 0); /* ties: the first */
}
END_TEST

START_TEST(prepare_loads_lexicon) {
  ck_assert_int_eq(jb_engine_match_prepare(NULL), JB_EINVAL);
  char dir[] = "/tmp/jb_xl_XXXXXX", err[512];
  ck_assert_ptr_nonnull(mkdtemp(dir));
  jb_engine_opts o = {0, NULL, NULL, 1};
  jb_engine *e = NULL;
  ck_assert_int_eq(jb_engine_open(dir, &o, &e, err, sizeof err), JB_OK);
  ck_assert_int_eq(e->xl_state, 0); /* nothing loaded on open */
  ck_assert_int_eq(jb_engine_match_prepare(e), JB_OK);
  ck_assert_int_eq(e->xl_state, 1);
  const jb_xlex *xl = e->xl;
  ck_assert_ptr_nonnull(xl);
  ck_assert_uint_gt(jb_xlex_size(xl, JB_XLEX_EN2ZH), 1000);
  ck_assert_int_eq(jb_engine_match_prepare(e), JB_OK); /* once only */
  ck_assert_ptr_eq(e->xl, xl);
  ck_assert_ptr_eq(jb__xl_lexicon(e), xl);
  jb_engine_close(e);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("xlate");
  TCase *tc = tcase_create("senses");
  tcase_add_test(tc, cooccurrence_beats_order);
  tcase_add_test(tc, absent_never_chosen);
  tcase_add_test(tc, prior_without_evidence);
  tcase_add_test(tc, presence_and_cap);
  suite_add_tcase(s, tc);
  TCase *tp = tcase_create("prepare");
  tcase_set_timeout(tp, 60);
  tcase_add_test(tp, prepare_loads_lexicon);
  suite_add_tcase(s, tp);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
