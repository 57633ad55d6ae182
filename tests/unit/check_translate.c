/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_translate.c: the bilingual lexicon (locale/translate.c, jb_xlex):
 * loading and its errors, CEDICT gloss cleaning, the glossary's precedence,
 * longest match both ways, span offsets, and every pair of the shipped
 * glossary found again in both directions. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/jb_text.h"
#include "locale/jb_locale.h"

#define TDATA JB_TEST_SRCDIR "/tests/data"

/* what a translation gave: "key=cand|cand;" per span, and the spans */
typedef struct {
  char out[8192];
  size_t starts[256], lens[256];
  size_t n;
  const char *text;
  int stop_after; /* > 0: return 99 at that span */
} acc;

static int collect(void *ud, const jb_xlex_span *sp) {
  acc *a = ud;
  ck_assert_uint_ge(sp->ncand, 1);
  ck_assert_uint_gt(sp->len, 0);
  if (a->n) /* in text order, never overlapping */
    ck_assert_uint_ge(sp->start, a->starts[a->n - 1] + a->lens[a->n - 1]);
  if (a->n < 256) {
    a->starts[a->n] = sp->start;
    a->lens[a->n] = sp->len;
  }
  a->n++;
  size_t o = strlen(a->out);
  o += (size_t)snprintf(a->out + o, sizeof a->out - o, "%s=", sp->key);
  for (size_t i = 0; i < sp->ncand; i++) {
    ck_assert_uint_eq(strlen(sp->cand[i].text), sp->cand[i].len);
    ck_assert(sp->cand[i].prior > 0 && sp->cand[i].prior <= 1);
    if (i) /* best first */
      ck_assert(sp->cand[i].prior < sp->cand[i - 1].prior);
    o += (size_t)snprintf(a->out + o, sizeof a->out - o, "%s%s%s", i ? "|" : "",
                          sp->cand[i].origin == JB_XLEX_CEDICT ? "~" : "", sp->cand[i].text);
  }
  snprintf(a->out + o, sizeof a->out - o, ";");
  return a->stop_after && (int)a->n == a->stop_after ? 99 : 0;
}

static jb_xlex *open_fixture(void) {
  const char *g[] = {TDATA "/xlex_gloss.tsv"};
  char err[256];
  jb_xlex *x = NULL;
  int rc = jb_xlex_open(&x, g, 1, TDATA "/cedict_mini.u8", err, sizeof err);
  ck_assert_msg(rc == JB_OK, "open: %s: %s", jb_errname(rc), err);
  ck_assert(jb_xlex_has_cedict(x));
  return x;
}

static const char *tr(const jb_xlex *x, const char *text, jb_xlex_dir dir, acc *a) {
  memset(a, 0, sizeof *a);
  a->text = text;
  int rc = jb_xlex_translate(x, text, strlen(text), dir, collect, a);
  ck_assert_msg(rc == JB_OK, "%s: %s", text, jb_errname(rc));
  return a->out;
}

START_TEST(test_zh2en) {
  jb_xlex *x = open_fixture();
  acc a;
  /* longest first: 正极材料 whole, not 正极 + 材料; the glossary's 正极 hides CEDICT's anode */
  ck_assert_str_eq(tr(x, "正极材料与正极", JB_XLEX_ZH2EN, &a),
                   "正极材料=cathode material;正极=cathode|positive electrode;");
  ck_assert_uint_eq(a.starts[0], 0);
  ck_assert_uint_eq(a.lens[0], strlen("正极材料"));
  ck_assert_uint_eq(a.starts[1], strlen("正极材料与"));
  /* CEDICT cleaned: CL:, (bound form), variant of, see, surname, "to ", articles; "a; b" split */
  ck_assert_str_eq(tr(x, "材料刻蚀栅栏研究", JB_XLEX_ZH2EN, &a),
                   "材料=~material|~data;刻蚀=~etch;栅栏=~fence|~railing;研究=~research|~study|~look into;");
  /* a lone Han character: the glossary's (硅) yes, CEDICT's (栅, 张) no */
  ck_assert_str_eq(tr(x, "硅栅张", JB_XLEX_ZH2EN, &a), "硅=silicon;");
  /* spans are byte offsets of the text as given; non-Han text splits runs */
  ck_assert_str_eq(tr(x, "SiC碳化硅，5G基站 功率模块!", JB_XLEX_ZH2EN, &a),
                   "碳化硅=SiC|silicon carbide;功率模块=power module;");
  ck_assert_uint_eq(a.starts[0], 3);
  ck_assert(memcmp(a.text + a.starts[1], "功率模块", a.lens[1]) == 0);
  ck_assert_str_eq(tr(x, "", JB_XLEX_ZH2EN, &a), "");
  jb_xlex_free(x);
}
END_TEST

/* the priors of the first span's candidates */
static int priors(void *ud, const jb_xlex_span *sp) {
  double *p = ud;
  for (size_t i = 0; i < sp->ncand && i < 4; i++)
    p[i] = sp->cand[i].prior;
  return 1;
}

START_TEST(test_priors) {
  jb_xlex *x = open_fixture();
  double p[4] = {0};
  ck_assert_int_eq(jb_xlex_translate(x, "正极", strlen("正极"), JB_XLEX_ZH2EN, priors, p), 1);
  ck_assert(p[0] == 1.0 && p[1] > 0.89 && p[1] < 0.91);
  ck_assert_int_eq(jb_xlex_translate(x, "研究", strlen("研究"), JB_XLEX_ZH2EN, priors, p), 1);
  ck_assert(p[0] == 0.5 && p[1] > 0.39 && p[1] < 0.41 && p[2] < p[1]);
  jb_xlex_free(x);
}
END_TEST

START_TEST(test_en2zh) {
  jb_xlex *x = open_fixture();
  acc a;
  /* folded: case, hyphens, plurals; longest phrase first */
  ck_assert_str_eq(tr(x, "Lithium-ion Batteries and POWER MODULES.", JB_XLEX_EN2ZH, &a),
                   "lithium ion battery=锂离子电池;power module=功率模块;");
  ck_assert_uint_eq(a.starts[0], 0);
  ck_assert_uint_eq(a.lens[0], strlen("Lithium-ion Batteries"));
  ck_assert_uint_eq(a.starts[1], strlen("Lithium-ion Batteries and "));
  /* glossary before CEDICT for the same English (cathode only from the glossary);
   * CEDICT reversed: regarding -> 关于, but a lone function word (about, on)
   * never matches, as written or plural-folded (does, not doe);
   * CEDICT's single characters come after its multi-character candidates */
  ck_assert_str_eq(tr(x, "about the cathode on research", JB_XLEX_EN2ZH, &a),
                   "cathode=正极;research=~研究;");
  ck_assert_str_eq(tr(x, "Regarding what it does", JB_XLEX_EN2ZH, &a), "regarding=~关于;");
  ck_assert_str_eq(tr(x, "a doe", JB_XLEX_EN2ZH, &a), "doe=~雌鹿;");
  /* nor does a run of them (and their, such as); beside a content word
   * (example) the phrase is looked up */
  ck_assert_str_eq(tr(x, "cathodes and their research, such as", JB_XLEX_EN2ZH, &a),
                   "cathode=正极;research=~研究;");
  ck_assert_str_eq(tr(x, "for example", JB_XLEX_EN2ZH, &a), "for example=~例如;");
  ck_assert_str_eq(tr(x, "lithium ions", JB_XLEX_EN2ZH, &a), "lithium ion=~锂离子;");
  ck_assert_str_eq(tr(x, "sic", JB_XLEX_EN2ZH, &a), "sic=碳化硅;");
  /* a gloss without a letter ("100%", "70") is no translation: a number is
   * the same in both languages */
  ck_assert_str_eq(tr(x, "100% authentic, 70 to the core", JB_XLEX_EN2ZH, &a),
                   "authentic=~地地道道;the core=~地地道道;");
  ck_assert_str_eq(tr(x, "七十", JB_XLEX_ZH2EN, &a), "七十=~seventy;");
  /* CEDICT's zhuyin (ㄏㄤ), placeholder (□), bare Latin (PK) and two-clause
   * proverbs are never offered for English */
  ck_assert_str_eq(tr(x, "hot, cool, compete, in for a penny", JB_XLEX_EN2ZH, &a), "");
  /* mixed Chinese terms are offered for English */
  ck_assert_str_eq(tr(x, "a 5G base station", JB_XLEX_EN2ZH, &a), "5g base station=5G基站;");
  jb_xlex_free(x);
}
END_TEST

/* the one list of English function words, shared with the engine */
START_TEST(test_function_word) {
  ck_assert(jb_en_function_word("the", 3));
  ck_assert(jb_en_function_word("Via", 3));
  ck_assert(jb_en_function_word("WHO", 3));
  ck_assert(jb_en_function_word("within", 6));
  ck_assert(jb_en_function_word("s", 1));
  ck_assert(jb_en_function_word("more", 4));
  ck_assert(jb_en_function_word("thereof", 5)); /* "there", by length */
  ck_assert(!jb_en_function_word("thereof", 7));
  ck_assert(!jb_en_function_word("cathode", 7));
  ck_assert(!jb_en_function_word("b", 1));
  ck_assert(!jb_en_function_word("th\0e", 4)); /* a NUL inside is no word */
  ck_assert(!jb_en_function_word("thethethethethethe", 18)); /* longer than any word */
  ck_assert(!jb_en_function_word(NULL, 3));
  ck_assert(!jb_en_function_word("the", 0));
}
END_TEST

START_TEST(test_errors) {
  jb_xlex *x = open_fixture();
  acc a;
  memset(&a, 0, sizeof a);
  /* invalid UTF-8: an error and no callback */
  ck_assert_int_eq(jb_xlex_translate(x, "正极\xff", 7, JB_XLEX_ZH2EN, collect, &a), JB_EUTF8);
  ck_assert_uint_eq(a.n, 0);
  ck_assert_int_eq(jb_xlex_translate(NULL, "a", 1, JB_XLEX_ZH2EN, collect, &a), JB_EINVAL);
  ck_assert_int_eq(jb_xlex_translate(x, "a", 1, JB_XLEX_ZH2EN, NULL, &a), JB_EINVAL);
  ck_assert_int_eq(jb_xlex_translate(x, NULL, 1, JB_XLEX_ZH2EN, collect, &a), JB_EINVAL);
  ck_assert_int_eq(jb_xlex_translate(x, "a", 1, (jb_xlex_dir)7, collect, &a), JB_EINVAL);
  ck_assert_int_eq(jb_xlex_translate(x, NULL, 0, JB_XLEX_ZH2EN, collect, &a), JB_OK);
  char *big = calloc((1u << 20) + 2, 1);
  ck_assert_ptr_nonnull(big);
  ck_assert_int_eq(jb_xlex_translate(x, big, (1u << 20) + 1, JB_XLEX_ZH2EN, collect, &a),
                   JB_ETOOBIG);
  free(big);
  /* the callback's value stops the walk */
  memset(&a, 0, sizeof a);
  a.stop_after = 1;
  ck_assert_int_eq(jb_xlex_translate(x, "正极正极", strlen("正极正极"), JB_XLEX_ZH2EN, collect, &a),
                   99);
  ck_assert_uint_eq(a.n, 1);
  ck_assert_uint_eq(jb_xlex_size(x, (jb_xlex_dir)0), 0);
  ck_assert_uint_gt(jb_xlex_size(x, JB_XLEX_ZH2EN), 5);
  ck_assert_uint_gt(jb_xlex_size(x, JB_XLEX_EN2ZH), 5);
  jb_xlex_free(x);
  jb_xlex_free(NULL);

  /* loading: each problem named, nothing returned */
  char err[256], path[] = "/tmp/jb_xlex_XXXXXX";
  const char *g[] = {path};
  jb_xlex *y = (jb_xlex *)&a;
  ck_assert_int_eq(jb_xlex_open(NULL, g, 1, NULL, err, sizeof err), JB_EINVAL);
  ck_assert_int_eq(jb_xlex_open(&y, NULL, 1, NULL, err, sizeof err), JB_EINVAL);
  ck_assert_ptr_null(y);
  const char *gnull[] = {NULL};
  ck_assert_int_eq(jb_xlex_open(&y, gnull, 1, NULL, err, sizeof err), JB_EINVAL);
  const char *gmiss[] = {"/nonexistent/g.tsv"};
  ck_assert_int_eq(jb_xlex_open(&y, gmiss, 1, NULL, err, sizeof err), JB_EIO);
  ck_assert_ptr_null(y);
  ck_assert_ptr_nonnull(strstr(err, "/nonexistent/g.tsv"));
  static const struct {
    const char *glossary, *cedict, *where;
    int rc;
  } bad[] = {
      {"# c\n正极\tcathode\tbattery\n正极 cathode\n", NULL, ":3:", JB_ESYNTAX},
      {"正极\tcathode\n", NULL, ":1:", JB_ESYNTAX},
      {"正极\t\tbattery\n", NULL, ":1:", JB_ESYNTAX},
      {"\t正极\tbattery\n", NULL, ":1:", JB_ESYNTAX},
      {"正极\tcathode\t\n", NULL, ":1:", JB_ESYNTAX},
      {"# ok\n\xc0\xaf\tx\tic\n", NULL, ":2:", JB_EUTF8},
      {"正极\tcathode\tbattery\n", "正極 正极 [zheng4 ji2] /anode/\n正極 正极 anode\n", ":2:",
       JB_ESYNTAX},
      {"正极\tcathode\tbattery\n", "正極 正极 [zheng4 ji2] anode/\n", ":1:", JB_ESYNTAX},
      {"正极\tcathode\tbattery\n", "正极 [zheng4] /anode/\n", ":1:", JB_ESYNTAX},
      {"正极\tcathode\tbattery\n", "# x\n正極 正极 [zheng4 ji2] /an\xffode/\n", ":2:", JB_EUTF8},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, bad[i].glossary, strlen(bad[i].glossary)),
                     (ssize_t)strlen(bad[i].glossary));
    close(fd);
    char cpath[] = "/tmp/jb_xlex_cXXXXXX";
    if (bad[i].cedict) {
      fd = mkstemp(cpath);
      ck_assert_int_ge(fd, 0);
      ck_assert_int_eq(write(fd, bad[i].cedict, strlen(bad[i].cedict)),
                       (ssize_t)strlen(bad[i].cedict));
      close(fd);
    }
    y = (jb_xlex *)&a;
    int rc = jb_xlex_open(&y, g, 1, bad[i].cedict ? cpath : NULL, err, sizeof err);
    ck_assert_msg(rc == bad[i].rc, "case %zu: %s (%s)", i, jb_errname(rc), err);
    ck_assert_ptr_null(y);
    ck_assert_msg(strstr(err, bad[i].where) != NULL, "case %zu: %s", i, err);
    ck_assert_msg(strstr(err, bad[i].cedict ? cpath : path) != NULL, "case %zu: %s", i, err);
    unlink(path);
    if (bad[i].cedict)
      unlink(cpath);
    strcpy(path, "/tmp/jb_xlex_XXXXXX");
  }
  /* err may be NULL */
  ck_assert_int_eq(jb_xlex_open(&y, gmiss, 1, NULL, NULL, 0), JB_EIO);
}
END_TEST

/* the shipped glossary: every pair is found again, whole, both ways (but a
 * lone English function word, which is never looked up) */
START_TEST(test_shipped_glossary) {
  char err[512];
  jb_xlex *x = NULL;
  int rc = jb_text_load_xlex(JB_TEST_SRCDIR "/data/lexicon", "", &x, err, sizeof err);
  ck_assert_msg(rc == JB_OK, "%s: %s", jb_errname(rc), err);
  ck_assert_uint_ge(jb_xlex_size(x, JB_XLEX_ZH2EN), 1200);
  ck_assert(!jb_xlex_has_cedict(x));
  FILE *ls = popen("cat " JB_TEST_SRCDIR "/data/lexicon/glossary/*.tsv", "r");
  ck_assert_ptr_nonnull(ls);
  char line[1024];
  size_t pairs = 0;
  while (fgets(line, sizeof line, ls)) {
    if (line[0] == '#' || line[0] == '\n')
      continue;
    char *zh = line, *en = strchr(line, '\t');
    ck_assert_ptr_nonnull(en);
    *en++ = '\0';
    char *t = strchr(en, '\t');
    ck_assert_ptr_nonnull(t);
    *t = '\0';
    pairs++;
    acc a;
    int all_han = 1;
    for (const char *p = zh; *p; p++)
      if ((unsigned char)*p < 0x80)
        all_han = 0;
    if (all_han && strlen(zh) <= 3 * JB_XLEX_MAX_ZH) {
      tr(x, zh, JB_XLEX_ZH2EN, &a);
      ck_assert_msg(a.n == 1 && a.starts[0] == 0 && a.lens[0] == strlen(zh), "%s: %s", zh, a.out);
      char want[600];
      snprintf(want, sizeof want, "=%s", en);
      char want2[600];
      snprintf(want2, sizeof want2, "|%s", en);
      ck_assert_msg(strstr(a.out, want) || strstr(a.out, want2), "%s -> %s: %s", zh, en, a.out);
    }
    tr(x, en, JB_XLEX_EN2ZH, &a);
    if (!strcmp(en, "WHO") || !strcmp(en, "via")) {
      /* English function words are never looked up alone (who, via) */
      ck_assert_msg(a.n == 0, "%s: %s", en, a.out);
      continue;
    }
    ck_assert_msg(a.n == 1 && a.starts[0] == 0, "%s: %s", en, a.out);
    char want[600], want2[600];
    snprintf(want, sizeof want, "=%s", zh);
    snprintf(want2, sizeof want2, "|%s", zh);
    size_t zl = strlen(zh);
    const char *hit = strstr(a.out, want), *hit2 = strstr(a.out, want2);
    int ok = (hit && (hit[zl + 1] == ';' || hit[zl + 1] == '|')) ||
             (hit2 && (hit2[zl + 1] == ';' || hit2[zl + 1] == '|'));
    ck_assert_msg(ok, "%s -> %s: %s", en, zh, a.out);
  }
  pclose(ls);
  ck_assert_uint_ge(pairs, 1600);
  jb_xlex_free(x);
  /* a directory without a glossary is refused, named */
  ck_assert_int_eq(jb_text_load_xlex("/nonexistent", NULL, &x, err, sizeof err), JB_ENOENT);
  ck_assert_ptr_null(x);
  ck_assert_ptr_nonnull(strstr(err, "/nonexistent/glossary"));
}
END_TEST

/* the real CC-CEDICT when it was fetched: it loads, and cleans */
START_TEST(test_real_cedict) {
  const char *path = JB_TEST_SRCDIR "/data/lexicon/cedict.u8";
  if (access(path, R_OK) != 0) {
    fprintf(stderr, "check_translate: SKIP real CC-CEDICT (%s absent; make fetch-cedict)\n", path);
    return;
  }
  char err[512];
  jb_xlex *x = NULL;
  int rc = jb_text_load_xlex(JB_TEST_SRCDIR "/data/lexicon", path, &x, err, sizeof err);
  ck_assert_msg(rc == JB_OK, "%s: %s", jb_errname(rc), err);
  ck_assert(jb_xlex_has_cedict(x));
  ck_assert_uint_ge(jb_xlex_size(x, JB_XLEX_ZH2EN), 80000);
  acc a;
  /* the glossary's sense, not CEDICT's, for the terms it has */
  ck_assert_str_eq(tr(x, "正极材料", JB_XLEX_ZH2EN, &a), "正极材料=cathode material;");
  tr(x, "正极", JB_XLEX_ZH2EN, &a);
  ck_assert_ptr_null(strstr(a.out, "anode"));
  /* no candidate keeps CEDICT's markup */
  tr(x, "我们研究了材料的影响因素和机理并且测量", JB_XLEX_ZH2EN, &a);
  ck_assert_uint_ge(a.n, 4);
  ck_assert_ptr_null(strstr(a.out, "CL:"));
  ck_assert_ptr_null(strstr(a.out, "("));
  ck_assert_ptr_null(strstr(a.out, "["));
  ck_assert_ptr_null(strstr(a.out, "variant of"));
  ck_assert_ptr_null(strstr(a.out, "=~to "));
  tr(x, "supplier of sensors", JB_XLEX_EN2ZH, &a);
  ck_assert_ptr_nonnull(strstr(a.out, "供应商"));
  jb_xlex_free(x);
}
END_TEST

int main(void) {
  Suite *s = suite_create("translate");
  TCase *tc = tcase_create("translate");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_zh2en);
  tcase_add_test(tc, test_en2zh);
  tcase_add_test(tc, test_priors);
  tcase_add_test(tc, test_errors);
  tcase_add_test(tc, test_function_word);
  tcase_add_test(tc, test_shipped_glossary);
  tcase_add_test(tc, test_real_cedict);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
