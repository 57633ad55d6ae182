/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_textout.c: the API's text writers — the search highlighter, the
 * error body, the log line fields, and message clipping (api/highlight.c,
 * api/logfmt.c, jb_utf8_clip). */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/highlight.h"
#include "api/logfmt.h"
#include "locale/jb_locale.h"
#include "tests/fuzz/hlcheck.h"

/* the highlight of title with words, checked by hl_check */
static char *hl(const char *title, const char *words) {
  char *out = jb_highlight(title, words);
  ck_assert_ptr_nonnull(out);
  const char *why = hl_check(title, out);
  ck_assert_msg(why == NULL, "%s: %s -> %s", why, title, out);
  return out;
}

static void hl_is(const char *title, const char *words, const char *want) {
  char *out = hl(title, words);
  ck_assert_str_eq(out, want);
  free(out);
}

START_TEST(test_highlight_cases) {
  hl_is("车规级碳化硅功率模块", "碳化硅", "车规级<em>碳化硅</em>功率模块");
  hl_is("<b>\"x\" & 'y'</b> data", "data x",
        "&lt;b&gt;&quot;<em>x</em>&quot; &amp; &#39;y&#39;&lt;/b&gt; <em>data</em>");
  hl_is("Silicon CARBIDE carbide", "carbide", "Silicon <em>CARBIDE</em> <em>carbide</em>");
  hl_is("abc", "ab bc", "<em>abc</em>");          /* overlapping: one <em> */
  hl_is("abcd", "ab cd", "<em>abcd</em>");        /* adjacent: one <em> */
  hl_is("vbnm <&> vbnm", "vbnm", "<em>vbnm</em> &lt;&amp;&gt; <em>vbnm</em>");
  hl_is("café", "\xa9", "café");                  /* never inside a character */
  hl_is("café", "\xc3", "café");
  hl_is("caf\xc3\xa9", "caf\xc3", "café");        /* nor ending inside one */
  hl_is("😀𠀀\"zqw'", "zqw", "😀𠀀&quot;<em>zqw</em>&#39;");
  hl_is("x\xffy", "y", "x\xEF\xBF\xBD<em>y</em>"); /* a bad byte is U+FFFD */
  hl_is("  a  ", "  a  ", "  <em>a</em>  ");       /* spaces only separate words */
  hl_is("ÉA éa", "a", "É<em>A</em> é<em>a</em>");  /* only ASCII letters fold */
  hl_is("plain", NULL, "plain");
  hl_is("", "a", "");
  ck_assert_ptr_null(jb_highlight(NULL, "a"));
}
END_TEST

/* the reproducer and every expanding character, at 500 characters
 * and far beyond: the output grows as needed */
START_TEST(test_highlight_growth) {
  static const char *const ch[] = {"<", ">", "&", "\"", "'"};
  static const char *const ent[] = {"&lt;", "&gt;", "&amp;", "&quot;", "&#39;"};
  for (size_t reps = 1; reps <= 20000; reps *= 7) {
    for (int k = 0; k < 5; k++) {
      size_t tl = reps * 2;
      char *title = malloc(tl + 1), *want = malloc(reps * 16 + 1);
      ck_assert_ptr_nonnull(title);
      ck_assert_ptr_nonnull(want);
      want[0] = '\0';
      for (size_t i = 0; i < reps; i++) {
        title[2 * i] = 'a';
        title[2 * i + 1] = ch[k][0];
      }
      title[tl] = '\0';
      size_t o = 0;
      for (size_t i = 0; i < reps; i++) {
        memcpy(want + o, "<em>a</em>", 10);
        o += 10;
        memcpy(want + o, ent[k], strlen(ent[k]));
        o += strlen(ent[k]);
      }
      want[o] = '\0';
      char *out = hl(title, "a");
      ck_assert_str_eq(out, want);
      free(out);
      free(title);
      free(want);
    }
  }
}
END_TEST

/* titles and words drawn from pieces that stress the highlighter: each
 * output is checked by hl_check, and a matched piece is inside <em> */
START_TEST(test_highlight_random) {
  static const char *const piece[] = {"a", "A", "&", "<", ">", "\"", "'", "碳", "化", "硅",
                                      "😀", " ", "data", "é", "\xff", "\xe7\xa2"};
  const size_t np = sizeof piece / sizeof *piece;
  uint64_t r = 42;
  for (int run = 0; run < 3000; run++) {
    char title[512] = "", words[64] = "";
    size_t tl = 0, wl = 0;
    int nt = (int)(r % 40);
    for (int i = 0; i < nt; i++) {
      r = r * 6364136223846793005ull + 1442695040888963407ull;
      const char *p = piece[(r >> 33) % np];
      memcpy(title + tl, p, strlen(p) + 1);
      tl += strlen(p);
    }
    r = r * 6364136223846793005ull + 1442695040888963407ull;
    for (int i = 0; i < 3; i++) {
      r = r * 6364136223846793005ull + 1442695040888963407ull;
      const char *p = piece[(r >> 33) % 11]; /* valid pieces */
      memcpy(words + wl, p, strlen(p));
      wl += strlen(p);
      words[wl++] = (r >> 40) % 2 ? ' ' : 'a';
      words[wl] = '\0';
    }
    char *out = hl(title, words);
    free(out);
  }
}
END_TEST

START_TEST(test_error_json) {
  char *b = jb__error_json("bad_request", "id: '碳化硅' does not match");
  ck_assert_str_eq(b, "{\"error\":{\"code\":\"bad_request\",\"message\":\"id: '碳化硅' does not match\"}}");
  free(b);
  /* a message cut inside a character keeps its field name */
  b = jb__error_json("bad_request", "id: '碳\xe7\xa2");
  json_t *j = json_loads(b, 0, NULL);
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "error"), "message")),
                   "id: '碳\xEF\xBF\xBD\xEF\xBF\xBD");
  json_decref(j);
  free(b);
  b = jb__error_json("x", "\"\\\n\x01");
  j = json_loads(b, 0, NULL);
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "\"\\\n\x01");
  json_decref(j);
  free(b);
}
END_TEST

/* "{" buf "}" parsed */
static json_t *fields(const char *buf) {
  size_t n = strlen(buf);
  char *line = malloc(n + 3);
  ck_assert_ptr_nonnull(line);
  line[0] = '{';
  memcpy(line + 1, buf, n);
  memcpy(line + 1 + n, "}", 2);
  json_error_t je;
  json_t *j = json_loads(line, JSON_REJECT_DUPLICATES, &je);
  ck_assert_msg(j != NULL, "%s: %s", je.text, line);
  free(line);
  return j;
}

START_TEST(test_log_fields) {
  char buf[1024];
  size_t n = jb_log_fields(buf, sizeof buf, "engine", NULL, "say \"hi\"\n", "retrying in 1 s");
  ck_assert_str_eq(buf, "\"event\":\"engine\",\"message\":\"say \\\"hi\\\"\\n\",\"note\":\"retrying in 1 s\"");
  ck_assert_uint_eq(n, strlen(buf));
  jb_log_fields(buf, sizeof buf, "internal_error", "EINTERNAL", "a\xff" "b\x01", NULL);
  ck_assert_str_eq(buf, "\"event\":\"internal_error\",\"code\":\"EINTERNAL\",\"message\":\"a\\ufffdb\\u0001\"");
  jb_log_fields(buf, sizeof buf, "e", NULL, NULL, NULL);
  ck_assert_str_eq(buf, "\"event\":\"e\",\"message\":\"\"");
  /* a long message is cut on a character boundary, ends in "…", and the
   * line still parses, for every buffer size from the smallest */
  char msg[6001];
  for (int i = 0; i < 2000; i++)
    memcpy(msg + 3 * i, "碳", 3);
  msg[6000] = '\0';
  for (size_t cap = JB_LOG_FIELDS_MIN; cap <= sizeof buf; cap += 37) {
    n = jb_log_fields(buf, cap, "engine", "ECODE", msg, "a note");
    ck_assert_uint_lt(n, cap);
    json_t *j = fields(buf);
    const char *m = json_string_value(json_object_get(j, "message"));
    size_t ml = strlen(m);
    ck_assert_uint_ge(ml, 6);
    ck_assert_str_eq(m + ml - 3, "\xE2\x80\xA6");
    ck_assert_int_eq(strncmp(m, msg, ml - 3), 0);
    ck_assert_uint_eq((ml - 3) % 3, 0);
    ck_assert_str_eq(json_string_value(json_object_get(j, "note")), "a note");
    json_decref(j);
  }
  ck_assert_uint_eq(jb_log_fields(buf, JB_LOG_FIELDS_MIN - 1, "e", NULL, "m", NULL), 0);
  ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_clip) {
  char a[] = "abc\xe7\xa2", b[] = "a\xff" "b", c[] = "碳化硅", d[] = "\xe7\xa2x", e[] = "ab\xf0\x9f\x98";
  ck_assert_uint_eq(jb_utf8_clip(a), 3);
  ck_assert_str_eq(a, "abc");
  ck_assert_uint_eq(jb_utf8_clip(b), 3);
  ck_assert_str_eq(b, "a?b");
  ck_assert_uint_eq(jb_utf8_clip(c), 9);
  ck_assert_str_eq(c, "碳化硅");
  jb_utf8_clip(d);
  ck_assert_str_eq(d, "??x");
  jb_utf8_clip(e);
  ck_assert_str_eq(e, "ab");
  ck_assert_uint_eq(jb_utf8_clip(NULL), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("textout");
  TCase *tc = tcase_create("textout");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_highlight_cases);
  tcase_add_test(tc, test_highlight_growth);
  tcase_add_test(tc, test_highlight_random);
  tcase_add_test(tc, test_error_json);
  tcase_add_test(tc, test_log_fields);
  tcase_add_test(tc, test_clip);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
