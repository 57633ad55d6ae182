/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_locale.c: unit tests of locale/ (tokenizer, lexicon, UTF-8). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/jb_text.h"
#include "locale/jb_locale.h"

static jb_lexicon *mini;  /* tests/data/mini_lexicon.txt */
static jb_lexicon *full;  /* default configuration: jieba's dict + domain */
static int have_full;

static const char *srcdir(void) {
  const char *s = getenv("JB_SRCDIR");
  return s ? s : ".";
}

static void load_lexicons(void) {
  char path[4096], err[512];
  snprintf(path, sizeof path, "%s/tests/data/mini_lexicon.txt", srcdir());
  ck_assert_int_eq(jb_lexicon_new(&mini), JB_OK);
  int rc = jb_lexicon_load(mini, path, 1000, err, sizeof err);
  ck_assert_msg(rc == JB_OK, "%s", err);
  have_full = access(JB_DEFAULT_LEXICON, R_OK) == 0;
  ck_assert_msg(have_full, "the default lexicon " JB_DEFAULT_LEXICON " is missing: install python3-jieba (./quickstart does)");
  ck_assert_int_eq(jb_text_load_lexicon(NULL, &full, err, sizeof err), JB_OK);
}

static void free_lexicons(void) {
  jb_lexicon_free(mini);
  jb_lexicon_free(full);
  mini = full = NULL;
}

/* Joins the terms of `kind` (0: all) as "a|b|c" into a static buffer. */
static const char *joined(jb_tokenizer *t, const char *text, unsigned what, int kind) {
  static char buf[65536];
  const jb_term *terms;
  size_t n;
  int rc = jb_tokenize(t, text, strlen(text), what, &terms, &n);
  ck_assert_msg(rc == JB_OK, "tokenize '%s': %s", text, jb_tokenizer_error(t));
  size_t o = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    if (kind && terms[i].kind != kind)
      continue;
    o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", o ? "|" : "", terms[i].text);
    ck_assert(o < sizeof buf);
  }
  return buf;
}

static jb_tokenizer *tok_with(const jb_lexicon *lx) {
  jb_tokenizer *t = NULL;
  ck_assert_int_eq(jb_tokenizer_new(lx, NULL, &t), JB_OK);
  return t;
}

/* a tokenizer without the unknown-word rule: the bare lexicon path */
static jb_tokenizer *tok_plain(const jb_lexicon *lx) {
  jb_tokenizer_opts o;
  jb_tokenizer_opts_init(&o);
  o.oov_bound = 0;
  jb_tokenizer *t = NULL;
  ck_assert_int_eq(jb_tokenizer_new(lx, &o, &t), JB_OK);
  return t;
}

#define WORDS(t, s) joined((t), (s), JB_TOK_WORDS, 0)

/* ---- UTF-8 ------------------------------------------------------------- */

START_TEST(utf8_classes) {
  static const struct {
    const char *s;
    size_t len;
    jb_utf8_status st;
    size_t off;
  } cases[] = {
      {"abc", 3, JB_UTF8_OK, 0},
      {"a\0b", 3, JB_UTF8_OK, 0},
      {"\xe4\xb8\xad\xe6\x96\x87", 6, JB_UTF8_OK, 0},
      {"\xf0\x9f\x98\x80", 4, JB_UTF8_OK, 0},
      {"ab\x80", 3, JB_UTF8_STRAY, 2},
      {"\xbf", 1, JB_UTF8_STRAY, 0},
      {"x\xc0\xaf", 3, JB_UTF8_OVERLONG, 1},
      {"\xc1\xbf", 2, JB_UTF8_OVERLONG, 0},
      {"\xe0\x80\xaf", 3, JB_UTF8_OVERLONG, 0},
      {"\xf0\x80\x80\xaf", 4, JB_UTF8_OVERLONG, 0},
      {"\xed\xa0\x80", 3, JB_UTF8_SURROGATE, 0},
      {"\xed\xbf\xbf", 3, JB_UTF8_SURROGATE, 0},
      {"\xf4\x90\x80\x80", 4, JB_UTF8_TOOBIG, 0},
      {"\xf5\x80\x80\x80", 4, JB_UTF8_BADLEAD, 0},
      {"\xff", 1, JB_UTF8_BADLEAD, 0},
      {"\xe4\xb8", 2, JB_UTF8_TRUNCATED, 0},
      {"ok\xe4\xb8z", 5, JB_UTF8_TRUNCATED, 2},
      {"\xf0\x9f\x98", 3, JB_UTF8_TRUNCATED, 0},
      {"\xc3", 1, JB_UTF8_TRUNCATED, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t off = 99;
    jb_utf8_status st = jb_utf8_validate(cases[i].s, cases[i].len, &off);
    ck_assert_msg(st == cases[i].st, "case %zu: got %d want %d", i, st, cases[i].st);
    if (st != JB_UTF8_OK)
      ck_assert_msg(off == cases[i].off, "case %zu: offset %zu", i, off);
  }
}
END_TEST

START_TEST(tokenize_rejects_invalid_utf8) {
  jb_tokenizer *t = tok_with(mini);
  static const char *const bad[] = {"abc\x80", "\xc0\xaf", "\xed\xa0\x80", "中\xe6\x96",
                                    "\xf4\x90\x80\x80", "\xfe"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    const jb_term *terms = (const jb_term *)1;
    size_t n = 7;
    int rc = jb_tokenize(t, bad[i], strlen(bad[i]), JB_TOK_INDEX, &terms, &n);
    ck_assert_int_eq(rc, JB_EUTF8);
    ck_assert_ptr_null(terms);
    ck_assert_uint_eq(n, 0);
    ck_assert_msg(strstr(jb_tokenizer_error(t), "invalid UTF-8 at byte"), "%s",
                  jb_tokenizer_error(t));
  }
  ck_assert_uint_eq((jb_tokenize(t, "abc\x80", 4, JB_TOK_WORDS, &(const jb_term *){0},
                                 &(size_t){0}),
                     jb_tokenizer_error_offset(t)),
                    3);
  /* the tokenizer is still usable afterwards */
  ck_assert_str_eq(WORDS(t, "人工智能"), "人工智能");
  ck_assert_str_eq(jb_tokenizer_error(t), "");
  jb_tokenizer_free(t);
}
END_TEST

START_TEST(embedded_nul_and_limits) {
  jb_tokenizer_opts o;
  jb_tokenizer_opts_init(&o);
  o.max_input = 64;
  jb_tokenizer *t;
  ck_assert_int_eq(jb_tokenizer_new(mini, &o, &t), JB_OK);
  const jb_term *terms;
  size_t n;
  /* NUL separates words like white space */
  ck_assert_int_eq(jb_tokenize(t, "alpha\0beta", 10, JB_TOK_WORDS, &terms, &n), JB_OK);
  ck_assert_uint_eq(n, 2);
  ck_assert_str_eq(terms[0].text, "alpha");
  ck_assert_str_eq(terms[1].text, "beta");
  char big[65];
  memset(big, 'a', sizeof big);
  ck_assert_int_eq(jb_tokenize(t, big, 65, JB_TOK_WORDS, &terms, &n), JB_ETOOBIG);
  ck_assert_int_eq(jb_tokenize(t, big, 64, JB_TOK_WORDS, &terms, &n), JB_OK);
  ck_assert_uint_eq(n, 1);
  ck_assert_int_eq(jb_tokenize(t, NULL, 0, JB_TOK_WORDS, &terms, &n), JB_OK);
  ck_assert_uint_eq(n, 0);
  ck_assert_int_eq(jb_tokenize(t, NULL, 3, JB_TOK_WORDS, &terms, &n), JB_EINVAL);
  ck_assert_int_eq(jb_tokenize(t, "", 0, JB_TOK_INDEX, &terms, &n), JB_OK);
  ck_assert_uint_eq(n, 0);
  jb_tokenizer_free(t);
  jb_tokenizer_free(NULL);
  jb_lexicon_free(NULL);
}
END_TEST

START_TEST(one_mebibyte) {
  jb_tokenizer *t = tok_with(full);
  static const char unit[] = "人工智能芯片设计需求 AI chips 28nm 。";
  size_t ulen = strlen(unit), total = (size_t)1 << 20;
  char *text = malloc(total);
  ck_assert_ptr_nonnull(text);
  size_t len = 0;
  while (len + ulen <= total) {
    memcpy(text + len, unit, ulen);
    len += ulen;
  }
  while (len < total)
    text[len++] = ' ';
  const jb_term *terms;
  size_t n;
  ck_assert_int_eq(jb_tokenize(t, text, len, JB_TOK_INDEX, &terms, &n), JB_OK);
  size_t reps = total / ulen, nano = 0;
  for (size_t i = 0; i < n; i++)
    if (terms[i].kind == JB_TERM_WORD && !strcmp(terms[i].text, "28nm"))
      nano++;
  ck_assert_uint_eq(nano, reps);
  /* positions of words strictly increase */
  uint32_t last = 0;
  int first = 1;
  for (size_t i = 0; i < n; i++)
    if (terms[i].kind == JB_TERM_WORD) {
      ck_assert(first || terms[i].pos >= last);
      first = 0;
      last = terms[i].pos;
    }
  free(text);
  jb_tokenizer_free(t);
}
END_TEST

/* ---- normalisation ----------------------------------------------------- */

/* with t2s or the variant folding turned off, `in` comes out of
 * normalisation as it went in */
static void normalized_as_is(const jb_lexicon *lx, int t2s, int variants, const char *in) {
  jb_tokenizer_opts o;
  jb_tokenizer_opts_init(&o);
  o.t2s = t2s;
  o.variants = variants;
  jb_tokenizer *t;
  ck_assert_int_eq(jb_tokenizer_new(lx, &o, &t), JB_OK);
  const char *out;
  size_t n;
  ck_assert_int_eq(jb_normalize(t, in, strlen(in), &out, &n), JB_OK);
  ck_assert_str_eq(out, in);
  jb_tokenizer_free(t);
}

START_TEST(normalisation) {
  jb_tokenizer *t = tok_with(mini);
  const char *out;
  size_t n;
  ck_assert_int_eq(jb_normalize(t, "ＡＩ　２０２４", strlen("ＡＩ　２０２４"), &out, &n), JB_OK);
  ck_assert_str_eq(out, "ai 2024");
  ck_assert_int_eq(jb_normalize(t, "Straße ÉCOLE", strlen("Straße ÉCOLE"), &out, &n), JB_OK);
  ck_assert_str_eq(out, "strasse école");
  ck_assert_int_eq(jb_normalize(t, "區塊鏈技術", strlen("區塊鏈技術"), &out, &n), JB_OK);
  ck_assert_str_eq(out, "区块链技术");
  /* phrase-aware conversion: 乾隆 stays, 乾燥 becomes 干燥 */
  ck_assert_int_eq(jb_normalize(t, "乾隆皇帝", strlen("乾隆皇帝"), &out, &n), JB_OK);
  ck_assert_str_eq(out, "乾隆皇帝");
  ck_assert_int_eq(jb_normalize(t, "頭髮乾燥", strlen("頭髮乾燥"), &out, &n), JB_OK);
  ck_assert_str_eq(out, "头发干燥");
  ck_assert_str_eq(WORDS(t, "ＡＩ"), "ai");
  jb_tokenizer_free(t);

  normalized_as_is(mini, 0, 1, "區塊鏈");
}
END_TEST

/* each pair's two texts give the same index terms */
static void same_terms(jb_tokenizer *t, const char *const (*pairs)[2], size_t n) {
  char a[1024];
  for (size_t i = 0; i < n; i++) {
    snprintf(a, sizeof a, "%s", joined(t, pairs[i][0], JB_TOK_INDEX, 0));
    ck_assert_msg(!strcmp(a, joined(t, pairs[i][1], JB_TOK_INDEX, 0)), "%s vs %s", pairs[i][0],
                  pairs[i][1]);
  }
}

/* variant spellings give the same terms; words that only look alike stay */
START_TEST(variant_forms) {
  jb_tokenizer *t = tok_with(full);
  static const char *const same[][2] = {
      {"高黏度柑橘园土壤", "高粘度柑桔园土壤"}, {"图象处理与像素", "图像处理与象素"},
      {"皂甙提取", "皂苷提取"},               {"矽卡岩型矿床", "硅卡岩型矿床"},
      {"叠代算法", "迭代算法"},               {"化学成份", "化学成分"},
      {"影象匹配", "影像匹配"}};
  same_terms(t, same, sizeof same / sizeof *same);
  const char *out;
  size_t n;
  ck_assert_int_eq(jb_normalize(t, "桔梗的现象与对象，重叠的股份", strlen("桔梗的现象与对象，重叠的股份"), &out, &n), JB_OK);
  ck_assert_str_eq(out, "桔梗的现象与对象,重叠的股份");
  /* same length in UTF-16: offsets do not move */
  uint16_t u[] = {u'黏', u'象', u'素', u'象', u'成', u'份', u'份'};
  ck_assert_uint_eq(jb_fold_variants(u, 7), 3);
  ck_assert(u[0] == u'粘' && u[1] == u'像' && u[3] == u'象' && u[5] == u'分' && u[6] == u'份');
  ck_assert_uint_eq(jb_fold_variants(u, 0), 0);
  jb_tokenizer_free(t);
  normalized_as_is(full, 1, 0, "黏度");
}
END_TEST

START_TEST(traditional_same_terms) {
  jb_tokenizer *t = tok_with(full);
  char simp[1024];
  snprintf(simp, sizeof simp, "%s", joined(t, "区块链技术在供应链金融中的应用", JB_TOK_INDEX, 0));
  ck_assert_str_eq(joined(t, "區塊鏈技術在供應鏈金融中的應用", JB_TOK_INDEX, 0), simp);
  ck_assert_str_eq(WORDS(t, "區塊鏈"), "区块链");
  jb_tokenizer_free(t);
}
END_TEST

/* Taiwan words become the mainland's (locale/regional.c): the same terms
 * either way; the mainland's own words, and a key inside a longer word,
 * stay */
START_TEST(regional_vocabulary) {
  jb_tokenizer *t = tok_with(full);
  static const char *const same[][2] = {
      {"影像處理晶片設計", "影像处理芯片设计"}, {"記憶體與硬碟", "内存与硬盘"},
      {"嵌入式軟體與韌體", "嵌入式软件与固件"}, {"機器學習演算法", "机器学习算法"},
      {"乙醯膽鹼受體", "乙酰胆碱受体"},        {"奈米碳化矽", "纳米碳化硅"},
      {"伺服器叢集", "服务器集群"},            {"人工智慧晶片", "人工智能芯片"}};
  same_terms(t, same, sizeof same / sizeof *same);
  static const char *const stay[] = {"建立核心序列文件通道的方程式", "多工况过程监控",
                                     "指标与程序", "生产线上的质量", "显著性检测",
                                     "程式化表演", "那杜老师"};
  const char *out;
  size_t n;
  for (size_t i = 0; i < sizeof stay / sizeof *stay; i++) {
    ck_assert_int_eq(jb_normalize(t, stay[i], strlen(stay[i]), &out, &n), JB_OK);
    ck_assert_str_eq(out, stay[i]);
  }
  /* a key standing alone, at either end of the text */
  ck_assert_int_eq(jb_normalize(t, "晶片", strlen("晶片"), &out, &n), JB_OK);
  ck_assert_str_eq(out, "芯片");
  ck_assert_int_eq(jb_normalize(t, "用程式設計", strlen("用程式設計"), &out, &n), JB_OK);
  ck_assert_str_eq(out, "用编程");
  /* where the segmenter cuts: a longer key inside a word gives way to a
   * shorter one (会议室 holds 视讯会议's end, 视讯 stands alone); a rare
   * word across a key's edge does not stop it (网路上 of 网际网路上); a
   * compound of a key and a lexicon word is cut between them */
  static const char *const conv[][2] = {{"視訊會議室", "视频会议室"}, {"網際網路上", "互联网上"},
                                        {"記憶體晶片", "内存芯片"},   {"應用程式", "应用程序"},
                                        {"作業系統核心", "操作系统核心"}, {"乙醯胺", "乙酰胺"}};
  for (size_t i = 0; i < sizeof conv / sizeof *conv; i++) {
    ck_assert_int_eq(jb_normalize(t, conv[i][0], strlen(conv[i][0]), &out, &n), JB_OK);
    ck_assert_str_eq(out, conv[i][1]);
  }
  jb_tokenizer_free(t);
  /* without a lexicon no word guards a key; turned off, nothing changes */
  t = tok_with(NULL);
  ck_assert_int_eq(jb_normalize(t, "記憶體晶片", strlen("記憶體晶片"), &out, &n), JB_OK);
  ck_assert_str_eq(out, "内存芯片");
  jb_tokenizer_free(t);
  jb_tokenizer_opts o;
  jb_tokenizer_opts_init(&o);
  o.regional = 0;
  ck_assert_int_eq(jb_tokenizer_new(full, &o, &t), JB_OK);
  ck_assert_int_eq(jb_normalize(t, "晶片", strlen("晶片"), &out, &n), JB_OK);
  ck_assert_str_eq(out, "晶片");
  jb_tokenizer_free(t);
}
END_TEST

/* ---- segmentation ------------------------------------------------------ */

START_TEST(lexicon_segmentation) {
  jb_tokenizer *t = tok_plain(mini);
  ck_assert_str_eq(WORDS(t, "人工智能技术"), "人工智能|技术");
  ck_assert_str_eq(WORDS(t, "集成电路设计"), "集成|电路|设计");
  /* out-of-lexicon characters still give words */
  ck_assert_str_eq(WORDS(t, "鑫淼"), "鑫|淼");
  jb_tokenizer_free(t);

  t = tok_with(full);
  ck_assert_str_eq(WORDS(t, "集成电路设计"), "集成电路|设计");
  ck_assert_str_eq(WORDS(t, "脑机接口"), "脑机接口");
  ck_assert_str_eq(WORDS(t, "上海市静安区"), "上海市|静安区");
  ck_assert_str_eq(WORDS(t, "合成生物学研究"), "合成生物学|研究");
  jb_tokenizer_free(t);
}
END_TEST

START_TEST(icu_fallback_without_lexicon) {
  jb_tokenizer *t = tok_with(NULL);
  const char *w = WORDS(t, "人工智能 AI");
  ck_assert_msg(strstr(w, "ai") != NULL, "%s", w);
  ck_assert_msg(strlen(w) > 0 && strstr(w, "人") != NULL, "%s", w);
  jb_tokenizer_free(t);
}
END_TEST

START_TEST(unknown_words) {
  /* characters that seldom stand alone, left single by the path, form words */
  jb_tokenizer *t = tok_with(mini);
  ck_assert_str_eq(WORDS(t, "鑫淼"), "鑫淼");
  ck_assert_str_eq(WORDS(t, "鑫淼鑫淼"), "鑫淼|鑫淼");         /* four: two and two */
  ck_assert_str_eq(WORDS(t, "鑫淼鑫淼鑫"), "鑫淼鑫|淼鑫");     /* five: three and two */
  ck_assert_str_eq(WORDS(t, "的鑫是"), "的|鑫|是");           /* free words stay apart */
  jb_tokenizer_free(t);
  t = tok_with(full);
  ck_assert_str_eq(WORDS(t, "花冈事件"), "花冈|事件");
  jb_tokenizer_free(t);
}
END_TEST

START_TEST(user_dictionary) {
  jb_tokenizer *t = tok_plain(mini);
  ck_assert_str_eq(WORDS(t, "鑫淼科技"), "鑫|淼|科|技");
  jb_tokenizer_free(t);
  char path[] = "/tmp/jb_userdict_XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  FILE *f = fdopen(fd, "w");
  fputs("# user terms\n鑫淼\n科技 5000\n", f);
  fclose(f);
  jb_lexicon *lx;
  char err[256];
  ck_assert_int_eq(jb_lexicon_new(&lx), JB_OK);
  char mp[4096];
  snprintf(mp, sizeof mp, "%s/tests/data/mini_lexicon.txt", srcdir());
  ck_assert_int_eq(jb_lexicon_load(lx, mp, 1000, err, sizeof err), JB_OK);
  ck_assert_int_eq(jb_lexicon_load(lx, path, 2000, err, sizeof err), JB_OK);
  ck_assert(jb_lexicon_freq(lx, "鑫淼", strlen("鑫淼")) == 2000);
  ck_assert(jb_lexicon_freq(lx, "科技", strlen("科技")) == 5000);
  t = tok_plain(lx);
  ck_assert_str_eq(WORDS(t, "鑫淼科技"), "鑫淼|科技");
  jb_tokenizer_free(t);
  jb_lexicon_free(lx);
  unlink(path);
}
END_TEST

/* the fingerprint is the content's: the same words and frequencies in any
 * order agree; a word more, a frequency changed, or a word moved to another
 * path (a prefix shared differently) disagree */
START_TEST(lexicon_fingerprint) {
  static const char *const words[] = {"碳化硅", "碳化", "功率模块", "功率", "银烧结", "模块"};
  jb_lexicon *a, *b, *c;
  uint64_t fa, fb, fc, fe;
  ck_assert_int_eq(jb_lexicon_new(&a), JB_OK);
  ck_assert_int_eq(jb_lexicon_new(&b), JB_OK);
  ck_assert_int_eq(jb_lexicon_fingerprint(a, &fe), JB_OK);
  for (int i = 0; i < 6; i++) {
    ck_assert_int_eq(jb_lexicon_add(a, words[i], strlen(words[i]), 10 + i), JB_OK);
    ck_assert_int_eq(jb_lexicon_add(b, words[5 - i], strlen(words[5 - i]), 15 - i), JB_OK);
  }
  ck_assert_int_eq(jb_lexicon_fingerprint(a, &fa), JB_OK);
  ck_assert_int_eq(jb_lexicon_fingerprint(b, &fb), JB_OK);
  ck_assert(fa == fb);
  ck_assert(fa != fe);
  /* a frequency changed */
  ck_assert_int_eq(jb_lexicon_add(b, "模块", strlen("模块"), 1), JB_OK);
  ck_assert_int_eq(jb_lexicon_fingerprint(b, &fb), JB_OK);
  ck_assert(fa != fb);
  /* one word more */
  ck_assert_int_eq(jb_lexicon_new(&c), JB_OK);
  for (int i = 0; i < 6; i++)
    ck_assert_int_eq(jb_lexicon_add(c, words[i], strlen(words[i]), 10 + i), JB_OK);
  ck_assert_int_eq(jb_lexicon_add(c, "气相色谱", strlen("气相色谱"), 3), JB_OK);
  ck_assert_int_eq(jb_lexicon_fingerprint(c, &fc), JB_OK);
  ck_assert(fc != fa);
  jb_lexicon_free(c);
  /* the same characters as other words: 碳化 硅 and 碳 化硅 are not 碳化硅 */
  jb_lexicon *d, *g;
  uint64_t fd, fg;
  ck_assert_int_eq(jb_lexicon_new(&d), JB_OK);
  ck_assert_int_eq(jb_lexicon_new(&g), JB_OK);
  ck_assert_int_eq(jb_lexicon_add(d, "碳化", strlen("碳化"), 5), JB_OK);
  ck_assert_int_eq(jb_lexicon_add(d, "硅", strlen("硅"), 5), JB_OK);
  ck_assert_int_eq(jb_lexicon_add(g, "碳", strlen("碳"), 5), JB_OK);
  ck_assert_int_eq(jb_lexicon_add(g, "化硅", strlen("化硅"), 5), JB_OK);
  ck_assert_int_eq(jb_lexicon_fingerprint(d, &fd), JB_OK);
  ck_assert_int_eq(jb_lexicon_fingerprint(g, &fg), JB_OK);
  ck_assert(fd != fg);
  ck_assert_int_eq(jb_lexicon_fingerprint(NULL, &fd), JB_EINVAL);
  ck_assert_int_eq(jb_lexicon_fingerprint(d, NULL), JB_EINVAL);
  jb_lexicon_free(d);
  jb_lexicon_free(g);
  jb_lexicon_free(a);
  jb_lexicon_free(b);
}
END_TEST

START_TEST(lexicon_errors) {
  jb_lexicon *lx;
  char err[512];
  ck_assert_int_eq(jb_lexicon_new(&lx), JB_OK);
  ck_assert_int_eq(jb_lexicon_load(lx, "/nonexistent/jb.txt", 1, err, sizeof err), JB_EIO);
  ck_assert_msg(strstr(err, "/nonexistent/jb.txt"), "%s", err);
  char path[] = "/tmp/jb_baddict_XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fdopen(fd, "w");
  fputs("好的 10\n坏的 ten\n", f);
  fclose(f);
  ck_assert_int_eq(jb_lexicon_load(lx, path, 1, err, sizeof err), JB_ESYNTAX);
  ck_assert_msg(strstr(err, ":2: frequency 'ten'"), "%s", err);
  f = fopen(path, "w");
  fputs("好的 10\n\n\xe4\xb8 3\n", f);
  fclose(f);
  ck_assert_int_eq(jb_lexicon_load(lx, path, 1, err, sizeof err), JB_EUTF8);
  ck_assert_msg(strstr(err, ":3: invalid UTF-8"), "%s", err);
  f = fopen(path, "w");
  fputs("好的 -3\n", f);
  fclose(f);
  ck_assert_int_eq(jb_lexicon_load(lx, path, 1, err, sizeof err), JB_ESYNTAX);
  unlink(path);
  ck_assert_int_eq(jb_lexicon_add(lx, "", 0, 1), JB_EINVAL);
  ck_assert_int_eq(jb_lexicon_add(lx, "好", 3, 0), JB_EINVAL);
  ck_assert_int_eq(jb_lexicon_add(lx, "\xff", 1, 1), JB_EUTF8);
  /* non-Han entries are ignored, full-width compatibility forms folded */
  size_t before = jb_lexicon_size(lx);
  ck_assert_int_eq(jb_lexicon_add(lx, "B超", strlen("B超"), 5), JB_OK);
  ck_assert_uint_eq(jb_lexicon_size(lx), before);
  jb_lexicon_free(lx);
}
END_TEST

START_TEST(mixed_scripts_numbers_codes) {
  jb_tokenizer *t = tok_with(full);
  ck_assert_str_eq(WORDS(t, "支持5G和ISO26262的28nm芯片"), "支持|5g|和|iso26262|的|28nm|芯片");
  ck_assert_str_eq(WORDS(t, "H2O 3.5 GHz"), "h2o|3.5|ghz");
  ck_assert_str_eq(WORDS(t, "2001年12月31日"), "2001年|12月|31日");
  ck_assert_str_eq(WORDS(t, "二○○一年十二月三十一日"), "二○○一年|十二月|三十一日");
  ck_assert_str_eq(WORDS(t, "增长17%"), "增长|17%");
  /* script and parts */
  const jb_term *terms;
  size_t n;
  ck_assert_int_eq(jb_tokenize(t, "2001年 EDA", strlen("2001年 EDA"), JB_TOK_INDEX, &terms, &n),
                   JB_OK);
  ck_assert_str_eq(terms[0].text, "2001年");
  ck_assert_int_eq(terms[0].script, JB_SCRIPT_NUMERIC);
  ck_assert_str_eq(terms[1].text, "2001");
  ck_assert_uint_eq(terms[1].pos, terms[0].pos);
  /* punctuation is dropped from terms, kept with JB_TOK_PUNCT */
  ck_assert_str_eq(WORDS(t, "芯片，设计！"), "芯片|设计");
  ck_assert_str_eq(joined(t, "芯片，设计！", JB_TOK_WORDS | JB_TOK_PUNCT, 0), "芯片|,|设计|!");
  ck_assert_str_eq(joined(t, "——好", JB_TOK_WORDS | JB_TOK_PUNCT, 0), "——|好");
  jb_tokenizer_free(t);
}
END_TEST

START_TEST(bigrams_and_positions) {
  jb_tokenizer *t = tok_with(mini);
  ck_assert_str_eq(joined(t, "人工智能技术", JB_TOK_BIGRAMS, JB_TERM_BIGRAM),
                   "人工|工智|智能|能技|技术");
  ck_assert_str_eq(joined(t, "人工智能 AI 芯片", JB_TOK_BIGRAMS, 0), "人工|工智|智能|芯片");
  const jb_term *terms;
  size_t n;
  const char *s = "区块链 and 技术研究";
  ck_assert_int_eq(jb_tokenize(t, s, strlen(s), JB_TOK_INDEX, &terms, &n), JB_OK);
  /* words: 区块链 and 技术 研究 at 0 1 2 3; the stem of and at 1 */
  uint32_t wpos[8];
  size_t nw = 0;
  for (size_t i = 0; i < n; i++) {
    if (terms[i].kind == JB_TERM_WORD)
      wpos[nw++] = terms[i].pos;
    if (terms[i].kind == JB_TERM_STEM)
      ck_assert_uint_eq(terms[i].pos, 1);
  }
  ck_assert_uint_eq(nw, 4);
  for (uint32_t i = 0; i < 4; i++)
    ck_assert_uint_eq(wpos[i], i);
  /* bigrams of one run are consecutive, and the next run does not continue them */
  uint32_t bp[8];
  size_t nb = 0;
  for (size_t i = 0; i < n; i++)
    if (terms[i].kind == JB_TERM_BIGRAM)
      bp[nb++] = terms[i].pos;
  ck_assert_uint_eq(nb, 5); /* 区块 块链 | 技术 术研 研究 */
  ck_assert_uint_eq(bp[1], bp[0] + 1);
  ck_assert_uint_gt(bp[2], bp[1] + 1);
  ck_assert_uint_eq(bp[4], bp[2] + 2);
  jb_tokenizer_free(t);
}
END_TEST

START_TEST(stems) {
  jb_tokenizer *t = tok_with(mini);
  ck_assert_str_eq(joined(t, "Running systems connected", JB_TOK_INDEX, JB_TERM_STEM),
                   "run|system|connect");
  ck_assert_str_eq(joined(t, "Running systems", JB_TOK_INDEX, JB_TERM_WORD), "running|systems");
  /* numbers and codes get no stem */
  ck_assert_str_eq(joined(t, "5G 28nm", JB_TOK_INDEX, JB_TERM_STEM), "");
  jb_tokenizer_free(t);
}
END_TEST

START_TEST(pinyin) {
  jb_tokenizer *t = tok_with(full);
  ck_assert_str_eq(joined(t, "张伟", JB_TOK_WORDS | JB_TOK_PINYIN, JB_TERM_PINYIN), "zhang|wei");
  ck_assert_str_eq(joined(t, "张伟", JB_TOK_WORDS, JB_TERM_PINYIN), "");
  const jb_term *terms;
  size_t n;
  ck_assert_int_eq(jb_tokenize(t, "李娜 Li", strlen("李娜 Li"), JB_TOK_WORDS | JB_TOK_PINYIN,
                               &terms, &n),
                   JB_OK);
  uint32_t p0 = 99, p1 = 99;
  for (size_t i = 0; i < n; i++)
    if (terms[i].kind == JB_TERM_PINYIN) {
      if (!strcmp(terms[i].text, "li"))
        p0 = terms[i].pos;
      if (!strcmp(terms[i].text, "na"))
        p1 = terms[i].pos;
    }
  ck_assert_uint_eq(p1, p0 + 1);
  jb_tokenizer_free(t);
}
END_TEST

START_TEST(names_merge) {
  jb_tokenizer *t = tok_with(full);
  /* surname + two-character given name becomes one word */
  const char *w = WORDS(t, "记者梁利根报道");
  ck_assert_msg(strstr(w, "梁利根") != NULL, "%s", w);
  jb_tokenizer_free(t);
  jb_tokenizer_opts o;
  jb_tokenizer_opts_init(&o);
  o.merge_names = 0;
  o.oov_bound = 0;
  ck_assert_int_eq(jb_tokenizer_new(full, &o, &t), JB_OK);
  w = WORDS(t, "记者梁利根报道");
  ck_assert_msg(strstr(w, "梁利根") == NULL, "%s", w);
  jb_tokenizer_free(t);
}
END_TEST

START_TEST(same_terms_for_query_and_index) {
  /* two tokenizers on one lexicon give identical output (no hidden state) */
  jb_tokenizer *a = tok_with(full), *b = tok_with(full);
  const char *s = "面向工业互联网的边缘计算芯片 Edge AI SoC，功耗≤5W";
  char first[4096];
  snprintf(first, sizeof first, "%s", joined(a, s, JB_TOK_INDEX, 0));
  joined(a, "别的文本", JB_TOK_INDEX, 0);
  ck_assert_str_eq(joined(b, s, JB_TOK_INDEX, 0), first);
  ck_assert_str_eq(joined(a, s, JB_TOK_INDEX, 0), first);
  jb_tokenizer_free(a);
  jb_tokenizer_free(b);
}
END_TEST

START_TEST(errors_table) {
  ck_assert_str_eq(jb_strerror(JB_OK), "success");
  ck_assert_str_eq(jb_strerror(JB_EUTF8), "invalid UTF-8");
  ck_assert_str_eq(jb_errname(JB_ELOCKED), "ELOCKED");
  ck_assert_str_eq(jb_strerror(-999), "unknown error");
  ck_assert_int_eq(jb_tokenizer_new(NULL, NULL, NULL), JB_EINVAL);
  jb_tokenizer_opts o;
  jb_tokenizer_opts_init(&o);
  o.word_bonus = -1;
  jb_tokenizer *t = (jb_tokenizer *)1;
  ck_assert_int_eq(jb_tokenizer_new(NULL, &o, &t), JB_EINVAL);
  ck_assert_ptr_null(t);
  jb_tokenizer_opts_init(&o);
  o.oov_bound = 1.5;
  ck_assert_int_eq(jb_tokenizer_new(NULL, &o, &t), JB_EINVAL);
}
END_TEST

static Suite *locale_suite(void) {
  Suite *s = suite_create("locale");
  TCase *tc = tcase_create("core");
  tcase_add_unchecked_fixture(tc, load_lexicons, free_lexicons);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, utf8_classes);
  tcase_add_test(tc, tokenize_rejects_invalid_utf8);
  tcase_add_test(tc, embedded_nul_and_limits);
  tcase_add_test(tc, one_mebibyte);
  tcase_add_test(tc, normalisation);
  tcase_add_test(tc, traditional_same_terms);
  tcase_add_test(tc, regional_vocabulary);
  tcase_add_test(tc, variant_forms);
  tcase_add_test(tc, lexicon_segmentation);
  tcase_add_test(tc, icu_fallback_without_lexicon);
  tcase_add_test(tc, unknown_words);
  tcase_add_test(tc, user_dictionary);
  tcase_add_test(tc, lexicon_errors);
  tcase_add_test(tc, lexicon_fingerprint);
  tcase_add_test(tc, mixed_scripts_numbers_codes);
  tcase_add_test(tc, bigrams_and_positions);
  tcase_add_test(tc, stems);
  tcase_add_test(tc, pinyin);
  tcase_add_test(tc, names_merge);
  tcase_add_test(tc, same_terms_for_query_and_index);
  tcase_add_test(tc, errors_table);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(locale_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
