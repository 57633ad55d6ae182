/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_emsg.c: the engine's message catalogue (engine/emsg.h) — every
 * entry has both languages, its formats take the declared argument kinds
 * (same count and kinds in English and Chinese), the Chinese reads as
 * Chinese, codes are unique; capture and rendering, field paths, cuts on
 * character boundaries; the engine's English is what it always said. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "engine/emsg.h"
#include "engine/jiebang.h"
#include "engine/record.h"

static int has_han(const char *s) {
  /* a character of U+4E00..U+9FFF: E4 B8 80 .. E9 BF BF */
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p >= 0xE4 && *p <= 0xE9 && p[1] >= 0x80 && p[2] >= 0x80)
      return 1;
  return 0;
}

static int valid_utf8(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC2 ? 2 : 0;
    if (!n)
      return 0;
    for (size_t i = 1; i < n; i++)
      if ((p[i] & 0xC0) != 0x80)
        return 0;
    p += n;
  }
  return 1;
}

START_TEST(test_catalogue) {
  ck_assert_int_eq(jb_emsg_count(), JB_EM_COUNT);
  ck_assert_int_gt(jb_emsg_count(), 150);
  for (int i = 0; i < jb_emsg_count(); i++) {
    const char *code = jb_emsg_code(i), *en = jb_emsg_format(i, JB_EMSG_EN),
               *zh = jb_emsg_format(i, JB_EMSG_ZH), *kinds = jb_emsg_kinds(i);
    ck_assert_ptr_nonnull(code);
    ck_assert_msg(en && *en && zh && *zh, "%s: both languages", code);
    ck_assert_msg(strcmp(en, zh), "%s: the Chinese is not the English", code);
    ck_assert_msg(has_han(zh), "%s: the Chinese has Chinese characters (%s)", code, zh);
    ck_assert_msg(!has_han(en), "%s: the English has none (%s)", code, en);
    ck_assert_msg(valid_utf8(zh), "%s: valid UTF-8", code);
    char ke[16], kz[16];
    int ne = jb_emsg_format_kinds(en, ke, sizeof ke), nz = jb_emsg_format_kinds(zh, kz, sizeof kz);
    ck_assert_msg(ne >= 0 && nz >= 0, "%s: formats the renderer takes (%d %d)", code, ne, nz);
    ck_assert_msg(ne == nz && !strcmp(ke, kz), "%s: the same arguments in en (%s) and zh (%s)",
                  code, ke, kz);
    ck_assert_msg(!strcmp(ke, kinds), "%s: the declared kinds '%s' (formats: '%s')", code, kinds,
                  ke);
    ck_assert_msg(!strchr(en, '$'), "%s: the English takes its arguments in order", code);
    /* codes: lower-case, unique, found again */
    for (const char *p = code; *p; p++)
      ck_assert_msg((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_', "%s: a code",
                    code);
    ck_assert_int_eq(jb_emsg_of_code(code), i);
    /* a Chinese message does not end in an English full stop, nor mix in
     * the English field separator ": " after Chinese text */
    ck_assert_msg(zh[strlen(zh) - 1] != '.', "%s: no '.' at the end", code);
  }
  ck_assert_ptr_null(jb_emsg_code(-1));
  ck_assert_ptr_null(jb_emsg_code(JB_EM_COUNT));
  ck_assert_ptr_null(jb_emsg_format(JB_EM_COUNT, JB_EMSG_ZH));
  ck_assert_int_eq(jb_emsg_of_code("no_such_code"), JB_EM_NONE);
  ck_assert_int_eq(jb_emsg_of_code(NULL), JB_EM_NONE);
}
END_TEST

START_TEST(test_format_kinds) {
  char k[16];
  ck_assert_int_eq(jb_emsg_format_kinds("plain", k, sizeof k), 0);
  ck_assert_int_eq(jb_emsg_format_kinds("%s %zu %ld %lld %u %.4g %%", k, sizeof k), 6);
  ck_assert_str_eq(k, "suiiuf");
  ck_assert_int_eq(jb_emsg_format_kinds("%2$s %1$04X", k, sizeof k), 2);
  ck_assert_str_eq(k, "us");
  ck_assert_int_eq(jb_emsg_format_kinds("%1$s %s", k, sizeof k), -1);   /* mixed */
  ck_assert_int_eq(jb_emsg_format_kinds("%1$s %3$s", k, sizeof k), -1); /* a gap */
  ck_assert_int_eq(jb_emsg_format_kinds("%1$s %1$d", k, sizeof k), -1); /* two kinds */
  ck_assert_int_eq(jb_emsg_format_kinds("%n", k, sizeof k), -1);
  ck_assert_int_eq(jb_emsg_format_kinds("%*d", k, sizeof k), -1);
  ck_assert_int_eq(jb_emsg_format_kinds("%ls", k, sizeof k), -1);
  ck_assert_int_eq(jb_emsg_format_kinds("%s%s%s%s%s%s%s", k, sizeof k), -1); /* too many */
  ck_assert_int_eq(jb_emsg_format_kinds("%s %s", k, 2), -1);                 /* no room */
  ck_assert_int_eq(jb_emsg_format_kinds("trailing %", k, sizeof k), -1);
  ck_assert_int_eq(jb_emsg_format_kinds(NULL, k, sizeof k), -1);
}
END_TEST

START_TEST(test_render) {
  jb_emsg m;
  char b[300];
  JB_EMSG_CHECK(control_char_u, 0x7fu, (size_t)3);
  jb_emsg_set(&m, "id", JB_EM_control_char_u, 0x7fu, (size_t)3);
  ck_assert_int_eq(m.nargs, 2);
  jb_emsg_render(&m, JB_EMSG_EN, 1, b, sizeof b);
  ck_assert_str_eq(b, "id: control character U+007F at byte 3");
  jb_emsg_render(&m, JB_EMSG_ZH, 1, b, sizeof b);
  ck_assert_str_eq(b, "字段 id：第 3 字节处有控制字符 U+007F"); /* reordered */
  jb_emsg_render(&m, JB_EMSG_ZH, 0, b, sizeof b);
  ck_assert_str_eq(b, "第 3 字节处有控制字符 U+007F");
  /* a double, %% */
  jb_emsg_set(&m, "tranches[0]", JB_EM_tranche_first, 20.0);
  jb_emsg_render(&m, JB_EMSG_EN, 1, b, sizeof b);
  ck_assert_str_eq(
      b, "tranches[0]: the first tranche is due at contract and is at least 20 % of the funding");
  jb_emsg_render(&m, JB_EMSG_ZH, 0, b, sizeof b);
  ck_assert_str_eq(b, "第一笔须在签约时拨付，且不少于资助金额的 20%");
  /* no field: no prefix */
  jb_emsg_set(&m, NULL, JB_EM_challenge_not_found, "ch-9");
  jb_emsg_render(&m, JB_EMSG_ZH, 1, b, sizeof b);
  ck_assert_str_eq(b, "未找到榜单 'ch-9'");
  /* NULL strings, long strings cut on a character boundary */
  jb_emsg_set(&m, NULL, JB_EM_no_org, (const char *)NULL);
  jb_emsg_render(&m, JB_EMSG_EN, 0, b, sizeof b);
  ck_assert_str_eq(b, "no org '(null)'");
  char big[1000] = "";
  for (int i = 0; i < 300; i++)
    strcat(big, "榜");
  jb_emsg_set(&m, big, JB_EM_no_org, big);
  ck_assert(valid_utf8(m.field) && valid_utf8(m.arg[0].s));
  ck_assert_uint_lt(strlen(m.arg[0].s), JB_EMSG_STR);
  for (size_t cap = 1; cap < 40; cap++) {
    size_t n = jb_emsg_render(&m, JB_EMSG_ZH, 1, b, cap);
    ck_assert_uint_lt(n, cap);
    ck_assert_uint_eq(strlen(b), n);
    ck_assert(valid_utf8(b));
  }
  ck_assert_uint_eq(jb_emsg_render(&m, JB_EMSG_ZH, 1, b, 0), 0);
  /* out of range, cleared */
  jb_emsg_set(&m, "x", JB_EM_COUNT);
  ck_assert_int_eq(m.id, JB_EM_NONE);
  ck_assert_uint_eq(jb_emsg_render(&m, JB_EMSG_EN, 1, b, sizeof b), 0);
  ck_assert_str_eq(b, "");
  ck_assert_uint_eq(jb_emsg_render(NULL, JB_EMSG_EN, 1, b, sizeof b), 0);
  jb_emsg_clear(NULL);
  /* any format: a missing argument or a kind mismatch writes nothing */
  jb_emsg_set(&m, NULL, JB_EM_no_org, "o");
  jb_emsg_vformat("[%s|%d|%2$s|%q|%", &m, b, sizeof b);
  ck_assert_str_eq(b, "[o|||q|"); /* an unknown conversion: the % goes */
  jb_emsg_vformat("%999999s!", &m, b, sizeof b);
  ck_assert_uint_le(strlen(b), 101);
  /* field paths */
  ck_assert_str_eq(jb_emsg_item(b, sizeof b, "members", 2), "members[2]");
  ck_assert_str_eq(jb_emsg_key(b, sizeof b, "scores", "feasibility"), "scores.feasibility");
  ck_assert_str_eq(jb_emsg_item(b, 5, "members", 2), "memb");
}
END_TEST

/* the English the engine wrote before the catalogue, unchanged */
START_TEST(test_record_english) {
  static const struct {
    const char *json, *en, *zh, *code, *field;
  } C[] = {
      {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"deadline\":\"2026-13-45\"}",
       "deadline: '2026-13-45' is not a valid date", "字段 deadline：'2026-13-45' 不是有效日期",
       "not_valid_date", "deadline"},
      {"{\"type\":\"org\",\"id\":\"a\",\"name\":\"n\",\"extra\":1}",
       "extra: unknown field for an org", "字段 extra：org 记录没有这个字段",
       "unknown_field_for_an", "extra"},
      {"{\"type\":\"expert\",\"id\":\"e\",\"name\":\"n\",\"org\":\"a/b\"}",
       "org: an id must not contain '/'", "字段 org：标识不得包含 '/'", "id_slash", "org"},
      {"{\"type\":\"output\",\"id\":\"o\",\"title\":\"t\",\"keywords\":[\"a\",\"\"]}",
       "keywords[1]: must not be empty", "字段 keywords[1]：不能为空", "must_not_be_empty",
       "keywords[1]"},
      {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"trl_now\":5,\"trl_target\":3}",
       "trl_target: must not be below trl_now", "字段 trl_target：不得低于 trl_now", "trl_below",
       "trl_target"},
  };
  for (size_t i = 0; i < sizeof C / sizeof *C; i++) {
    json_t *j;
    char err[256], zh[300];
    jb_emsg m;
    ck_assert_int_eq(jb_rec_parse(C[i].json, strlen(C[i].json), &j, err, sizeof err), JB_OK);
    int type;
    jb_rec_ref refs[JB_REC_MAX_REFS];
    size_t n;
    ck_assert_int_eq(jb_rec_validate_m(j, &type, refs, &n, err, sizeof err, &m), JB_EINVAL);
    ck_assert_str_eq(err, C[i].en);
    ck_assert_str_eq(jb_emsg_code(m.id), C[i].code);
    ck_assert_str_eq(m.field, C[i].field);
    jb_emsg_render(&m, JB_EMSG_ZH, 1, zh, sizeof zh);
    ck_assert_str_eq(zh, C[i].zh);
    /* without a message: the same English */
    char err2[256];
    ck_assert_int_eq(jb_rec_validate(j, &type, refs, &n, err2, sizeof err2), JB_EINVAL);
    ck_assert_str_eq(err2, C[i].en);
    json_decref(j);
  }
  json_t *j;
  char err[256];
  jb_emsg m;
  ck_assert_int_eq(jb_rec_parse_m("{\"a\":", 5, &j, err, sizeof err, &m), JB_ESYNTAX);
  ck_assert_str_eq(jb_emsg_code(m.id), "invalid_json");
  ck_assert_ptr_nonnull(strstr(err, "invalid JSON at column"));
}
END_TEST

/* the lists the catalogue spells out are the engine's own (JB_HOOK_EVENTS,
 * JB_ROLES): each name in both languages */
static void names_in(const char *list, int id) {
  char buf[400];
  snprintf(buf, sizeof buf, "%s", list);
  ck_assert_ptr_nonnull(strstr(jb_emsg_format(id, JB_EMSG_EN), list));
  for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
    ck_assert_msg(strstr(jb_emsg_format(id, JB_EMSG_ZH), t), "%s names %s", jb_emsg_code(id), t);
}

START_TEST(test_lists) {
  names_in(JB_HOOK_EVENTS, JB_EM_hook_events);
  names_in(JB_HOOK_EVENTS, JB_EM_hook_not_event);
  names_in(JB_HOOK_EVENTS, JB_EM_hook_events_required);
  names_in(JB_ROLES, JB_EM_must_be_role);
}
END_TEST

/* a message back from its code and string arguments (a conflict of interest
 * crossing the engine's JSON), and the refusals of a wrong shape */
START_TEST(test_set_strings) {
  jb_emsg m;
  char buf[512];
  const char *two[] = {"org-a", "org-b"};
  ck_assert_int_eq(jb_emsg_set_strings(&m, "coi_consortium", two, 2), 0);
  ck_assert_int_eq(m.id, JB_EM_coi_consortium);
  jb_emsg_render(&m, JB_EMSG_ZH, 0, buf, sizeof buf);
  ck_assert_str_eq(buf, "利益冲突：评审专家所在机构 org-a 属于由 org-b 牵头的申报联合体");
  jb_emsg_render(&m, JB_EMSG_EN, 0, buf, sizeof buf);
  ck_assert_str_eq(buf, "conflict of interest: the reviewer's org org-a is in the consortium of the application led by org-b");
  ck_assert_int_eq(jb_emsg_set_strings(&m, "coi_consortium", two, 1), -1); /* one argument short */
  ck_assert_int_eq(m.id, JB_EM_NONE);
  ck_assert_int_eq(jb_emsg_set_strings(&m, "no_such_code", two, 2), -1);
  ck_assert_int_eq(jb_emsg_set_strings(&m, "audit_changed", two, 1), -1); /* an integer, not a string */
  ck_assert_int_eq(jb_emsg_set_strings(&m, NULL, two, 0), -1);
  const char *nul[] = {"org-a", NULL};
  ck_assert_int_eq(jb_emsg_set_strings(&m, "coi_consortium", nul, 2), -1);
  ck_assert_int_eq(jb_emsg_set_strings(&m, "coi_consortium", two, -1), -1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("emsg");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_catalogue);
  tcase_add_test(tc, test_format_kinds);
  tcase_add_test(tc, test_render);
  tcase_add_test(tc, test_record_english);
  tcase_add_test(tc, test_lists);
  tcase_add_test(tc, test_set_strings);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
