/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api.c: the HTTP API's pure parts — query strings, record bodies,
 * object-level authorisation, problem details, Accept-Language, request ids. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "api/authz.h"
#include "api/body.h"
#include "api/messages.h"
#include "api/problem.h"
#include "api/qs.h"
#include "engine/record.h"

static const struct {
  const char *in;
  const char *err; /* NULL: parses */
} QS[] = {
    {"", NULL},
    {"a=1", NULL},
    {"q=%E7%A2%B3+%E5%8C%96&limit=5", NULL},
    {"flag", NULL},
    {"a=", NULL},
    {"a=1&a=2", "a: given twice"},
    {"a=%zz", "a: bad percent-encoding"},
    {"a=%4", "a: bad percent-encoding"},
    {"a=%", "a: bad percent-encoding"},
    {"a=%ff", "a: not valid UTF-8"},
    {"a=%01", "a: control characters"},
    {"a=%00", "a: control characters"},
    {"&", "query: empty parameter"},
    {"a=1&", "query: empty parameter"},
    {"a=1&&b=2", "query: empty parameter"},
    {"=1", "query: parameter without a name"},
    {"A=1", "query: parameter names"},
    {"a%20b=1", "query: parameter names"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1", "query: parameter name too long"},
};

START_TEST(test_qs) {
  for (size_t i = 0; i < sizeof QS / sizeof *QS; i++) {
    jb_qs q;
    char err[128] = "";
    int rc = jb_qs_parse(QS[i].in, strlen(QS[i].in), &q, err, sizeof err);
    if (!QS[i].err)
      ck_assert_msg(rc == JB_OK, "'%s': %s", QS[i].in, err);
    else
      ck_assert_msg(rc == JB_ESYNTAX && strstr(err, QS[i].err), "'%s': got '%s'", QS[i].in, err);
    jb_qs_free(&q);
  }
  jb_qs q;
  char err[128];
  const char *s = "q=%E7%A2%B3+%E5%8C%96&limit=5&flag";
  ck_assert_int_eq(jb_qs_parse(s, strlen(s), &q, err, sizeof err), JB_OK);
  ck_assert_str_eq(jb_qs_get(&q, "q"), "碳 化");
  ck_assert_str_eq(jb_qs_get(&q, "limit"), "5");
  ck_assert_str_eq(jb_qs_get(&q, "flag"), "");
  ck_assert_ptr_null(jb_qs_get(&q, "nope"));
  jb_qs_free(&q);
  jb_qs_free(NULL);
  /* 32 pairs parse, 33 do not */
  char many[400] = "";
  for (int i = 0; i < 33; i++)
    sprintf(many + strlen(many), "%sp%d=1", i ? "&" : "", i);
  ck_assert_int_eq(jb_qs_parse(many, strlen(many), &q, err, sizeof err), JB_ESYNTAX);
  *strrchr(many, '&') = '\0';
  ck_assert_int_eq(jb_qs_parse(many, strlen(many), &q, err, sizeof err), JB_OK);
  ck_assert_uint_eq(q.n, 32);
  jb_qs_free(&q);
}
END_TEST

START_TEST(test_body) {
  json_t *out;
  char err[256];
  const char *b = "{\"id\":\"o1\",\"name\":\"机构\"}";
  ck_assert_int_eq(jb_api_body(b, strlen(b), "org", NULL, NULL, &out, err, sizeof err), JB_OK);
  ck_assert_str_eq(json_string_value(json_object_get(out, "type")), "org");
  json_decref(out);
  /* PUT: the path's id is used, a different one is refused */
  b = "{\"name\":\"机构\"}";
  ck_assert_int_eq(jb_api_body(b, strlen(b), "org", "o2", NULL, &out, err, sizeof err), JB_OK);
  ck_assert_str_eq(json_string_value(json_object_get(out, "id")), "o2");
  json_decref(out);
  b = "{\"id\":\"o3\",\"name\":\"机构\"}";
  ck_assert_int_eq(jb_api_body(b, strlen(b), "org", "o2", NULL, &out, err, sizeof err), JB_EINVAL);
  ck_assert_ptr_null(out);
  ck_assert_ptr_nonnull(strstr(err, "id:"));
  /* POST needs an id; the type must agree */
  b = "{\"name\":\"机构\"}";
  ck_assert_int_eq(jb_api_body(b, strlen(b), "org", NULL, NULL, &out, err, sizeof err), JB_EINVAL);
  b = "{\"type\":\"expert\",\"id\":\"x\"}";
  ck_assert_int_eq(jb_api_body(b, strlen(b), "org", NULL, NULL, &out, err, sizeof err), JB_EINVAL);
  /* strict JSON */
  b = "{\"id\":\"x\",\"id\":\"y\"}";
  ck_assert_int_eq(jb_api_body(b, strlen(b), "org", NULL, NULL, &out, err, sizeof err), JB_ESYNTAX);
  ck_assert_int_eq(jb_api_body("", 0, "org", NULL, NULL, &out, err, sizeof err), JB_ESYNTAX);
  b = "[1]";
  ck_assert_int_eq(jb_api_body(b, strlen(b), "org", NULL, NULL, &out, err, sizeof err), JB_EINVAL);
  /* PATCH: RFC 7386 */
  json_t *base = json_loads("{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"problem\":\"p\","
                            "\"funding\":{\"amount\":5,\"currency\":\"CNY\"}}", 0, NULL);
  b = "{\"problem\":null,\"funding\":{\"currency\":null,\"amount\":7},\"keywords\":[\"k\"]}";
  ck_assert_int_eq(jb_api_body(b, strlen(b), "challenge", "c", base, &out, err, sizeof err), JB_OK);
  ck_assert_ptr_null(json_object_get(out, "problem"));
  ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(out, "funding"), "amount")), 7);
  ck_assert_ptr_null(json_object_get(json_object_get(out, "funding"), "currency"));
  ck_assert_str_eq(json_string_value(json_object_get(out, "title")), "t");
  ck_assert_str_eq(json_string_value(json_object_get(base, "problem")), "p"); /* base untouched */
  json_decref(out);
  b = "{\"id\":\"other\"}";
  ck_assert_int_eq(jb_api_body(b, strlen(b), "challenge", "c", base, &out, err, sizeof err), JB_EINVAL);
  json_decref(base);
}
END_TEST

static jb_key_info key(const char *role, const char *org) {
  jb_key_info k;
  memset(&k, 0, sizeof k);
  strcpy(k.id, "k0");
  strcpy(k.role, role);
  strcpy(k.org, org);
  return k;
}

START_TEST(test_problem) {
  /* Accept-Language: q-values decide, ties go to the earlier, q=0 excludes */
  static const struct {
    const char *h;
    jb_lang dflt, want;
  } AL[] = {
      {NULL, JB_LANG_EN, JB_LANG_EN},
      {"", JB_LANG_ZH, JB_LANG_ZH},
      {"zh", JB_LANG_EN, JB_LANG_ZH},
      {"ZH-cn", JB_LANG_EN, JB_LANG_ZH},
      {"zh-Hans-CN;q=0.9, en;q=0.8", JB_LANG_EN, JB_LANG_ZH},
      {"en;q=0.9, zh;q=0.95", JB_LANG_EN, JB_LANG_ZH},
      {"zh;q=0.5, en", JB_LANG_ZH, JB_LANG_EN},
      {"en, zh", JB_LANG_ZH, JB_LANG_EN},
      {"zh;q=0, en;q=0.1", JB_LANG_ZH, JB_LANG_EN},
      {"zh;q=0", JB_LANG_EN, JB_LANG_EN},
      {"fr, de;q=0.9", JB_LANG_ZH, JB_LANG_ZH},
      {"fr;q=1, zh;q=0.2", JB_LANG_EN, JB_LANG_ZH},
      {"*", JB_LANG_ZH, JB_LANG_ZH},
      {"en;q=0.3, *;q=0.5", JB_LANG_ZH, JB_LANG_ZH},
      {"zh;q=2, en", JB_LANG_ZH, JB_LANG_EN},   /* q above 1 is malformed: skipped */
      {"zh;q=abc", JB_LANG_EN, JB_LANG_EN},
      {"zhx, enx", JB_LANG_ZH, JB_LANG_ZH},      /* not our languages */
      {"  zh ;  q=0.7 ,en;q=0.6", JB_LANG_EN, JB_LANG_ZH},
      {",,,;;;", JB_LANG_EN, JB_LANG_EN},
  };
  for (size_t i = 0; i < sizeof AL / sizeof *AL; i++)
    ck_assert_msg(jb_lang_accept(AL[i].h, AL[i].dflt) == AL[i].want, "Accept-Language '%s'",
                  AL[i].h ? AL[i].h : "(null)");
  /* request ids: 1 to 128 visible ASCII */
  char id[200];
  memset(id, 'a', 128);
  id[128] = '\0';
  ck_assert(jb_request_id_ok(id));
  id[128] = 'a';
  id[129] = '\0';
  ck_assert(!jb_request_id_ok(id));
  ck_assert(!jb_request_id_ok(""));
  ck_assert(!jb_request_id_ok(NULL));
  ck_assert(!jb_request_id_ok("a b"));
  ck_assert(!jb_request_id_ok("tab\there"));
  ck_assert(!jb_request_id_ok("\xe5\xbc\x95"));
  ck_assert(jb_request_id_ok("trace:abc/123\"x"));
  /* field paths */
  char f[64];
  ck_assert_uint_eq(jb_detail_field("org: must exist", f, sizeof f), 3);
  ck_assert_str_eq(f, "org");
  ck_assert_uint_eq(jb_detail_field("members[2].org: no", f, sizeof f), 14);
  ck_assert_str_eq(f, "members[2].org");
  ck_assert_uint_eq(jb_detail_field("budget.total: x", f, sizeof f), 12);
  ck_assert_uint_eq(jb_detail_field("no field here", f, sizeof f), 0);
  ck_assert_uint_eq(jb_detail_field("Title: capital", f, sizeof f), 0);
  ck_assert_uint_eq(jb_detail_field("a[]: x", f, sizeof f), 0);
  ck_assert_uint_eq(jb_detail_field(".a: x", f, sizeof f), 0);
  ck_assert_uint_eq(jb_detail_field("a:x", f, sizeof f), 0);
  ck_assert_uint_eq(jb_detail_field("abcdef: x", f, 4), 0);
  /* every status has a type; every type's code is unique and its titles set */
  for (size_t i = 0; i < jb_problem_count(); i++) {
    const jb_problem_type *t = jb_problem_at(i);
    ck_assert(t->title_en[0] && t->title_zh[0]);
    ck_assert_ptr_eq(jb_problem_of_status(t->status), t);
    for (size_t k = 0; k < i; k++)
      ck_assert_str_ne(jb_problem_at(k)->code, t->code);
  }
  ck_assert_ptr_null(jb_problem_at(jb_problem_count()));
  /* the catalogue: every message in both languages, the same conversions in
   * the same order, and Chinese text in the Chinese one */
  for (int m = 0; m < M_COUNT; m++) {
    const char *en = jb_msg_format((jb_msg)m, JB_LANG_EN), *zh = jb_msg_format((jb_msg)m, JB_LANG_ZH);
    ck_assert_msg(en && zh && en[0] && zh[0], "message %s", jb_msg_name((jb_msg)m));
    ck_assert_msg(strcmp(en, zh) != 0, "message %s is not translated", jb_msg_name((jb_msg)m));
    char ce[64] = "", cz[64] = "";
    for (const char *p = en, *q = zh; p || q;) {
      p = p ? strchr(p, '%') : NULL;
      q = q ? strchr(q, '%') : NULL;
      if (!p || !q) {
        ck_assert_msg(!p && !q, "message %s: conversions differ", jb_msg_name((jb_msg)m));
        break;
      }
      size_t a = strspn(p + 1, "lz"), b = strspn(q + 1, "lz");
      snprintf(ce + strlen(ce), sizeof ce - strlen(ce), "%.*s;", (int)a + 1, p + 1);
      snprintf(cz + strlen(cz), sizeof cz - strlen(cz), "%.*s;", (int)b + 1, q + 1);
      p += a + 2;
      q += b + 2;
    }
    ck_assert_msg(!strcmp(ce, cz), "message %s: %s vs %s", jb_msg_name((jb_msg)m), ce, cz);
  }
  ck_assert_ptr_null(jb_msg_format(M_COUNT, JB_LANG_EN));
  ck_assert_str_eq(jb_problem_of_status(599)->code, "internal");
  ck_assert_str_eq(jb_problem_of_status(418)->code, "error");
  /* a body: errors kept only when well-formed */
  char *b = jb_problem_json(400, NULL, "name: bad", "[{\"field\":\"name\",\"detail\":\"bad\"}]", "r-1",
                            JB_LANG_ZH);
  ck_assert_ptr_nonnull(b);
  ck_assert_str_eq(b, "{\"type\":\"urn:jiebang:problem:bad_request\",\"title\":\"请求无效\",\"status\":400,"
                      "\"detail\":\"name: bad\",\"code\":\"bad_request\",\"errors\":[{\"field\":\"name\","
                      "\"detail\":\"bad\"}],\"request_id\":\"r-1\",\"error\":{\"code\":\"bad_request\","
                      "\"message\":\"name: bad\"}}");
  free(b);
  b = jb_problem_json(404, NULL, NULL, "[{\"field\":1}]", "", JB_LANG_EN);
  ck_assert_ptr_nonnull(b);
  ck_assert_ptr_null(strstr(b, "errors"));
  ck_assert_ptr_null(strstr(b, "request_id"));
  ck_assert_ptr_nonnull(strstr(b, "\"detail\":\"Not found\""));
  free(b);
}
END_TEST

START_TEST(test_authz) {
  json_t *draft = json_loads("{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"org\":\"e1\","
                             "\"confidential\":{\"a\":\"b\"}}", 0, NULL);
  json_t *pub = json_loads("{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"org\":\"e1\","
                           "\"status\":\"published\",\"confidential\":{\"a\":\"b\"}}", 0, NULL);
  json_t *pub2 = json_loads("{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"org\":\"e2\","
                            "\"status\":\"published\"}", 0, NULL);
  json_t *out = json_loads("{\"type\":\"output\",\"id\":\"o\",\"title\":\"t\",\"org\":\"u1\"}", 0, NULL);
  json_t *org = json_loads("{\"type\":\"org\",\"id\":\"e1\",\"name\":\"n\"}", 0, NULL);
  jb_key_info admin = key("admin", ""), off = key("officer", ""), e1 = key("enterprise", "e1"),
              e2 = key("enterprise", "e2"), u1 = key("researcher", "u1"), u2 = key("researcher", "u2");
  /* drafts: the owner and officers only; others get 404 */
  ck_assert(jb_authz_visible(&e1, JB_REC_CHALLENGE, draft));
  ck_assert(jb_authz_visible(&off, JB_REC_CHALLENGE, draft));
  ck_assert(!jb_authz_visible(&e2, JB_REC_CHALLENGE, draft));
  ck_assert(!jb_authz_visible(&u1, JB_REC_CHALLENGE, draft));
  ck_assert(!jb_authz_visible(NULL, JB_REC_CHALLENGE, pub));
  ck_assert_int_eq(jb_authz_check(&e2, JB_ACT_UPDATE, JB_REC_CHALLENGE, draft, draft, NULL), 404);
  ck_assert_int_eq(jb_authz_check(&e2, JB_ACT_UPDATE, JB_REC_CHALLENGE, pub, pub, NULL), 403);
  ck_assert_int_eq(jb_authz_check(&e1, JB_ACT_UPDATE, JB_REC_CHALLENGE, pub, pub, NULL), 0);
  /* handing a challenge to another org */
  ck_assert_int_eq(jb_authz_check(&e1, JB_ACT_UPDATE, JB_REC_CHALLENGE, pub, pub2, NULL), 403);
  ck_assert_int_eq(jb_authz_check(&e1, JB_ACT_CREATE, JB_REC_CHALLENGE, NULL, pub2, NULL), 403);
  ck_assert_int_eq(jb_authz_check(&e2, JB_ACT_CREATE, JB_REC_CHALLENGE, NULL, pub2, NULL), 0);
  ck_assert_int_eq(jb_authz_check(&e1, JB_ACT_DELETE, JB_REC_CHALLENGE, draft, NULL, NULL), 0);
  /* researchers: their org's outputs; enterprises do not write outputs */
  ck_assert_int_eq(jb_authz_check(&u1, JB_ACT_UPDATE, JB_REC_OUTPUT, out, out, NULL), 0);
  ck_assert_int_eq(jb_authz_check(&u2, JB_ACT_UPDATE, JB_REC_OUTPUT, out, out, NULL), 403);
  ck_assert_int_eq(jb_authz_check(&e1, JB_ACT_CREATE, JB_REC_OUTPUT, NULL, out, NULL), 403);
  ck_assert_int_eq(jb_authz_check(&u1, JB_ACT_CREATE, JB_REC_CHALLENGE, NULL, pub, NULL), 403);
  /* org records: the org itself updates; nobody but officers creates or deletes */
  ck_assert_int_eq(jb_authz_check(&e1, JB_ACT_UPDATE, JB_REC_ORG, org, org, NULL), 0);
  ck_assert_int_eq(jb_authz_check(&e2, JB_ACT_UPDATE, JB_REC_ORG, org, org, NULL), 403);
  ck_assert_int_eq(jb_authz_check(&e1, JB_ACT_DELETE, JB_REC_ORG, org, NULL, NULL), 403);
  ck_assert_int_eq(jb_authz_check(&e1, JB_ACT_CREATE, JB_REC_ORG, NULL, org, NULL), 403);
  ck_assert_int_eq(jb_authz_check(&admin, JB_ACT_DELETE, JB_REC_ORG, org, NULL, NULL), 0);
  ck_assert_int_eq(jb_authz_check(&off, JB_ACT_CREATE, JB_REC_ORG, NULL, org, NULL), 0);
  /* everyone reads published records */
  ck_assert_int_eq(jb_authz_check(&u2, JB_ACT_READ, JB_REC_CHALLENGE, pub, NULL, NULL), 0);
  /* confidential fields: owner and officers */
  json_t *r = jb_authz_redact(&e2, JB_REC_CHALLENGE, pub);
  ck_assert_ptr_null(json_object_get(r, "confidential"));
  ck_assert_ptr_nonnull(json_object_get(pub, "confidential")); /* the original is intact */
  json_decref(r);
  r = jb_authz_redact(&e1, JB_REC_CHALLENGE, pub);
  ck_assert_ptr_nonnull(json_object_get(r, "confidential"));
  json_decref(r);
  r = jb_authz_redact(&off, JB_REC_CHALLENGE, pub);
  ck_assert_ptr_nonnull(json_object_get(r, "confidential"));
  json_decref(r);
  /* one issuer rule: an enterprise key of the org, never a researcher key of it */
  jb_key_info r1 = key("researcher", "e1");
  ck_assert(jb_authz_is_issuer(&e1, pub));
  ck_assert(!jb_authz_is_issuer(&r1, pub));
  ck_assert(!jb_authz_is_issuer(&e2, pub));
  ck_assert(!jb_authz_is_issuer(&off, pub));
  ck_assert(!jb_authz_is_issuer(NULL, pub));
  ck_assert(!jb_authz_visible(&r1, JB_REC_CHALLENGE, draft));
  ck_assert_str_eq(jb_authz_drafts_of(&e1), "e1");
  ck_assert_ptr_null(jb_authz_drafts_of(&r1));
  ck_assert_ptr_null(jb_authz_drafts_of(&off));
  r = jb_authz_redact(&r1, JB_REC_CHALLENGE, pub);
  ck_assert_ptr_null(json_object_get(r, "confidential"));
  json_decref(r);
  /* only a draft is deleted, whoever asks */
  ck_assert_int_eq(jb_authz_check(&e1, JB_ACT_DELETE, JB_REC_CHALLENGE, pub, NULL, NULL), 409);
  ck_assert_int_eq(jb_authz_check(&admin, JB_ACT_DELETE, JB_REC_CHALLENGE, pub, NULL, NULL), 409);
  ck_assert_int_eq(jb_authz_check(&admin, JB_ACT_DELETE, JB_REC_CHALLENGE, draft, NULL, NULL), 0);
  /* an org's own keys do not set its kind or region; officers do */
  json_t *org_k = json_loads("{\"type\":\"org\",\"id\":\"e1\",\"name\":\"n\",\"kind\":\"lab\"}", 0, NULL);
  json_t *org_r = json_loads("{\"type\":\"org\",\"id\":\"e1\",\"name\":\"n\",\"region\":\"310110\"}", 0, NULL);
  json_t *org_d = json_loads("{\"type\":\"org\",\"id\":\"e1\",\"name\":\"m\"}", 0, NULL);
  ck_assert_int_eq(jb_authz_check(&e1, JB_ACT_UPDATE, JB_REC_ORG, org, org_k, NULL), 403);
  ck_assert_int_eq(jb_authz_check(&e1, JB_ACT_UPDATE, JB_REC_ORG, org, org_r, NULL), 403);
  ck_assert_int_eq(jb_authz_check(&e1, JB_ACT_UPDATE, JB_REC_ORG, org_k, org, NULL), 403);
  ck_assert_int_eq(jb_authz_check(&e1, JB_ACT_UPDATE, JB_REC_ORG, org, org_d, NULL), 0);
  ck_assert_int_eq(jb_authz_check(&off, JB_ACT_UPDATE, JB_REC_ORG, org, org_k, NULL), 0);
  json_decref(org_k);
  json_decref(org_r);
  json_decref(org_d);
  json_decref(draft);
  json_decref(pub);
  json_decref(pub2);
  json_decref(out);
  json_decref(org);
}
END_TEST

int main(void) {
  Suite *s = suite_create("api");
  TCase *tc = tcase_create("api");
  tcase_add_test(tc, test_qs);
  tcase_add_test(tc, test_body);
  tcase_add_test(tc, test_authz);
  tcase_add_test(tc, test_problem);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
