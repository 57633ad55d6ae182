/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_ids.c: the one id rule (jb_rec_check_id) against ICU's own tables for
 * every code point, and its limit in bytes for 1- to 4-byte scripts. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "engine/record.h"
#include "index/xapian_shim.h"

static size_t put_u8(char *o, uint32_t c) {
  if (c < 0x80)
    return o[0] = (char)c, 1;
  if (c < 0x800)
    return o[0] = (char)(0xC0 | (c >> 6)), o[1] = (char)(0x80 | (c & 0x3F)), 2;
  if (c < 0x10000)
    return o[0] = (char)(0xE0 | (c >> 12)), o[1] = (char)(0x80 | ((c >> 6) & 0x3F)),
           o[2] = (char)(0x80 | (c & 0x3F)), 3;
  return o[0] = (char)(0xF0 | (c >> 18)), o[1] = (char)(0x80 | ((c >> 12) & 0x3F)),
         o[2] = (char)(0x80 | ((c >> 6) & 0x3F)), o[3] = (char)(0x80 | (c & 0x3F)), 4;
}

/* what the rule must refuse in a new id, from ICU directly */
static int icu_refuses(uint32_t c) {
  if (c == '/' || c == '\\')
    return 1;
  if (u_hasBinaryProperty((UChar32)c, UCHAR_WHITE_SPACE))
    return 1;
  switch (u_charType((UChar32)c)) {
  case U_CONTROL_CHAR:
  case U_FORMAT_CHAR:
  case U_SPACE_SEPARATOR:
  case U_LINE_SEPARATOR:
  case U_PARAGRAPH_SEPARATOR:
    return 1;
  default:
    return 0;
  }
}

START_TEST(every_code_point) {
  char id[8], err[256];
  long refused = 0, cf = 0, ws = 0;
  for (uint32_t c = 0; c <= 0x10FFFF; c++) {
    if (c >= 0xD800 && c <= 0xDFFF)
      continue; /* not encodable in UTF-8 */
    /* alone, and between letters */
    for (int framed = 0; framed < 2; framed++) {
      size_t n = 0;
      if (framed)
        id[n++] = 'a';
      n += put_u8(id + n, c);
      if (framed)
        id[n++] = 'b';
      int want = icu_refuses(c) || (!framed && c == '.');
      int got = jb_rec_check_id(id, n, JB_ID_NEW, err, sizeof err) != JB_OK;
      ck_assert_msg(got == want, "U+%04X (%s): the rule %s it, ICU says %s", (unsigned)c,
                    framed ? "a_b" : "alone", got ? "refuses" : "accepts",
                    want ? "refuse" : "accept");
      /* the stored rule (what the earlier one let in) refuses only '/' and C0/DEL */
      int stored = jb_rec_check_id(id, n, JB_ID_STORED, NULL, 0) != JB_OK;
      ck_assert_msg(stored == (c == '/' || c < 0x20 || c == 0x7F), "stored rule, U+%04X",
                    (unsigned)c);
    }
    refused += icu_refuses(c);
    cf += u_charType((UChar32)c) == U_FORMAT_CHAR;
    ws += u_hasBinaryProperty((UChar32)c, UCHAR_WHITE_SPACE);
  }
  /* the class is ICU's, not a short list: Unicode 15 has 170 Cf, 25 White_Space */
  ck_assert_int_ge(cf, 150);
  ck_assert_int_ge(ws, 25);
  ck_assert_int_ge(refused, cf + 65);
}
END_TEST

/* n copies of c: accepted up to JB_ID_MAX_BYTES bytes, not one more */
START_TEST(limit_in_bytes) {
  static const uint32_t chars[] = {'a', 0xE9 /* é */, 0x4E2D /* 中 */, 0x1F600 /* 😀 */,
                                   0x20000 /* CJK Ext-B */, 0x0627 /* Arabic alef */};
  char id[600], err[256];
  for (size_t k = 0; k < sizeof chars / sizeof *chars; k++) {
    char one[4];
    size_t w = put_u8(one, chars[k]);
    size_t n = 0;
    while (n + w <= JB_ID_MAX_BYTES)
      memcpy(id + n, one, w), n += w;
    ck_assert_msg(jb_rec_check_id(id, n, JB_ID_NEW, err, sizeof err) == JB_OK,
                  "%zu bytes of U+%04X: %s", n, (unsigned)chars[k], err);
    memcpy(id + n, one, w);
    ck_assert_msg(jb_rec_check_id(id, n + w, JB_ID_NEW, err, sizeof err) == JB_EINVAL &&
                      strstr(err, "bytes"),
                  "%zu bytes of U+%04X accepted", n + w, (unsigned)chars[k]);
    /* the earlier rule counted 128 characters: such ids stay addressable */
    n = 0;
    for (int i = 0; i < 128; i++)
      memcpy(id + n, one, w), n += w;
    ck_assert_int_eq(jb_rec_check_id(id, n, JB_ID_STORED, NULL, 0), JB_OK);
  }
  memset(id, 'x', JB_ID_STORED_MAX_BYTES + 1);
  ck_assert_int_eq(jb_rec_check_id(id, JB_ID_STORED_MAX_BYTES + 1, JB_ID_STORED, NULL, 0),
                   JB_EINVAL);
}
END_TEST

START_TEST(shapes) {
  static const char *const bad[] = {"", " ", " a ", "a b", "\xe3\x80\x80", "\xc2\xa0",
                                    "a\xe2\x80\x8b", "\xef\xbb\xbf" "a", ".", "..", "a\\b",
                                    "a/b", "a\tb", "\xe2\x80\xa8", "\xe2\x81\xa0", "\xff"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    ck_assert_msg(jb_rec_check_id(bad[i], strlen(bad[i]), JB_ID_NEW, NULL, 0) == JB_EINVAL,
                  "bad id %zu accepted", i);
  static const char *const good[] = {"a", "...", ".a", "a.", "中文", "🚀x", "a-b_c.d~e",
                                     "%41", "a+b", "o'k", "a?b", "a#b", "a&b=c"};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++)
    ck_assert_msg(jb_rec_check_id(good[i], strlen(good[i]), JB_ID_NEW, NULL, 0) == JB_OK,
                  "good id %zu refused", i);
  /* a reference names the field it is in */
  const char *s = "{\"type\":\"expert\",\"id\":\"e\",\"name\":\"n\",\"org\":\" o \"}";
  json_t *j;
  char err[256];
  ck_assert_int_eq(jb_rec_parse(s, strlen(s), &j, NULL, 0), JB_OK);
  int type;
  jb_rec_ref refs[JB_REC_MAX_REFS];
  size_t nrefs;
  ck_assert_int_eq(jb_rec_validate(j, &type, refs, &nrefs, err, sizeof err), JB_EINVAL);
  ck_assert_msg(!strncmp(err, "org: white space", 16), "%s", err);
  json_decref(j);
}
END_TEST

/* the index holds every id the store can hold: long ids (hashed terms) of
 * each script, ids that share a long prefix stay apart, and a long org id
 * works as a filter value */
START_TEST(index_holds_long_ids) {
  char tmpl[] = "/tmp/jb_ids_XXXXXX";
  char *dir = mkdtemp(tmpl);
  ck_assert_ptr_nonnull(dir);
  char path[64], err[256];
  snprintf(path, sizeof path, "%s/ix", dir);
  jb_index *w;
  ck_assert_int_eq(jb_index_open_writer(path, &w, err, sizeof err), JB_OK);
  static const uint32_t chars[] = {'a', 0xE9, 0x4E2D, 0x1F600};
  char ids[8][600];
  size_t nid = 0;
  for (size_t k = 0; k < 4; k++) {
    char one[4];
    size_t wd = put_u8(one, chars[k]), n = 0;
    while (n + wd <= JB_ID_STORED_MAX_BYTES)
      memcpy(ids[nid] + n, one, wd), n += wd;
    ids[nid][n] = '\0';
    /* the same long prefix, another last character */
    memcpy(ids[nid + 1], ids[nid], n + 1);
    ids[nid + 1][n - wd] = 'z';
    ids[nid + 1][n - wd + 1] = '\0';
    nid += 2;
  }
  jb_ixdoc *d;
  ck_assert_int_eq(jb_ixdoc_new(&d), JB_OK);
  for (size_t i = 0; i < nid; i++) {
    ck_assert_int_eq(jb_ixdoc_add_filter(d, "XO", ids[i]), JB_OK);
    ck_assert_msg(jb_index_put(w, "org", ids[i], d) == JB_OK, "put %zu: %s", i, jb_index_error(w));
  }
  jb_ixdoc_free(d);
  ck_assert_int_eq(jb_index_commit(w), JB_OK);
  uint64_t docs = 0;
  ck_assert_int_eq(jb_index_doccount(w, &docs), JB_OK);
  ck_assert_uint_eq(docs, nid);
  for (size_t i = 0; i < nid; i++)
    ck_assert_int_eq(jb_index_has(w, "org", ids[i]), 1);
  ck_assert_int_eq(jb_index_delete(w, "org", ids[0]), JB_OK);
  ck_assert_int_eq(jb_index_has(w, "org", ids[0]), 0);
  ck_assert_int_eq(jb_index_has(w, "org", ids[1]), 1);
  ck_assert_int_eq(jb_index_commit(w), JB_OK);
  jb_index_close(w);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("ids");
  TCase *tc = tcase_create("rule");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, every_code_point);
  tcase_add_test(tc, limit_in_bytes);
  tcase_add_test(tc, shapes);
  tcase_add_test(tc, index_holds_long_ids);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
