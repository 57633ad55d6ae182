/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_record.c: every validation rule of engine/record.c, table-driven. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "engine/record.h"

typedef struct {
  const char *json;
  const char *err; /* NULL: valid; else a substring of "field: reason" */
} vcase;

static const vcase CASES[] = {
    /* envelope */
    {"[]", "record: must be a JSON object"},
    {"{\"id\":\"a\",\"name\":\"n\"}", "type: is required"},
    {"{\"type\":\"person\",\"id\":\"a\"}", "type: must be one of"},
    {"{\"type\":\"org\",\"name\":\"n\"}", "id: is required"},
    {"{\"type\":\"org\",\"id\":\"\",\"name\":\"n\"}", "id: must not be empty"},
    {"{\"type\":\"org\",\"id\":\"a/b\",\"name\":\"n\"}", "id: an id must not contain '/'"},
    {"{\"type\":\"org\",\"id\":7,\"name\":\"n\"}", "id: must be a string"},
    {"{\"type\":\"org\",\"id\":\"a\\u0001\",\"name\":\"n\"}", "id: control character"},
    {"{\"type\":\"org\",\"id\":\"a\"}", "name: is required"},
    {"{\"type\":\"output\",\"id\":\"a\"}", "title: is required"},
    {"{\"type\":\"org\",\"id\":\"a\",\"name\":\"n\",\"extra\":1}", "extra: unknown field for an org"},
    /* org */
    {"{\"type\":\"org\",\"id\":\"a\",\"name\":\"复旦\",\"kind\":\"university\",\"region\":\"310106\","
     "\"fields\":[\"ic/eda\",\"health\"],\"description\":\"多行\\n文本\",\"credentials\":[\"高新技术企业\"],"
     "\"website\":\"https://x.example\"}",
     NULL},
    {"{\"type\":\"org\",\"id\":\"a\",\"name\":\"n\",\"kind\":\"company\"}", "kind: must be one of university"},
    {"{\"type\":\"org\",\"id\":\"a\",\"name\":\"n\",\"region\":\"3101\"}", "region: '3101' is not a 6-digit"},
    {"{\"type\":\"org\",\"id\":\"a\",\"name\":\"n\",\"region\":\"31010a\"}", "region:"},
    {"{\"type\":\"org\",\"id\":\"a\",\"name\":\"n\",\"fields\":[\"IC/EDA\"]}", "fields[0]: 'IC/EDA' is not a field code"},
    {"{\"type\":\"org\",\"id\":\"a\",\"name\":\"n\",\"fields\":[\"ic//eda\"]}", "fields[0]:"},
    {"{\"type\":\"org\",\"id\":\"a\",\"name\":\"n\",\"fields\":[\"ic/\"]}", "fields[0]:"},
    {"{\"type\":\"org\",\"id\":\"a\",\"name\":\"n\",\"fields\":\"ic\"}", "fields: must be a list"},
    {"{\"type\":\"org\",\"id\":\"a\",\"name\":\"n\",\"website\":\"ftp://x\"}", "website: must start with http"},
    {"{\"type\":\"org\",\"id\":\"a\",\"name\":\"n\",\"credentials\":[\"\"]}", "credentials[0]: must not be empty"},
    {"{\"type\":\"org\",\"id\":\"a\",\"name\":\"n\\nx\"}", "name: control character"},
    /* expert */
    {"{\"type\":\"expert\",\"id\":\"e\",\"name\":\"张伟\",\"org\":\"o\",\"title\":\"教授\",\"keywords\":[\"EDA\"],"
     "\"bio\":\"b\",\"outputs_count\":12,\"active_year\":2025}",
     NULL},
    {"{\"type\":\"expert\",\"id\":\"e\",\"name\":\"n\",\"outputs_count\":-1}", "outputs_count: must be an integer from 0"},
    {"{\"type\":\"expert\",\"id\":\"e\",\"name\":\"n\",\"active_year\":1800}", "active_year: must be an integer from 1950"},
    {"{\"type\":\"expert\",\"id\":\"e\",\"name\":\"n\",\"active_year\":2020.5}", "active_year: must be an integer"},
    {"{\"type\":\"expert\",\"id\":\"e\",\"name\":\"n\",\"org\":\"\"}", "org: must not be empty"},
    /* output */
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"kind\":\"patent\",\"trl\":9,\"year\":2024,\"experts\":[\"e1\",\"e2\"],"
     "\"ip\":{\"number\":\"CN1\",\"status\":\"granted\",\"licensing\":\"可许可\"},\"lang\":\"zh-Hans\"}",
     NULL},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"kind\":\"book\"}", "kind: must be one of patent"},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"price\":{\"amount\":300000,\"currency\":\"CNY\"}}", NULL},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"price\":{\"amount\":-5}}", "price.amount: must be a number from 0"},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"price\":{\"amount\":5,\"currency\":\"yuan\"}}", "price.currency: must be an ISO 4217"},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"price\":{\"amount\":5,\"per\":\"year\"}}", "price: unknown field 'per'"},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"price\":300000}", "price: must be an object {amount, currency}"},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"trl\":0}", "trl: must be an integer from 1 to 9"},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"trl\":\"5\"}", "trl: must be an integer"},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"year\":2101}", "year:"},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"ip\":{\"status\":\"sold\"}}", "ip.status: must be one of"},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"ip\":{\"owner\":\"x\"}}", "ip: unknown field 'owner'"},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"ip\":\"CN1\"}", "ip: must be an object"},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"lang\":\"z\"}", "lang:"},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"experts\":[\"a\",3]}", "experts[1]: must be a string"},
    {"{\"type\":\"output\",\"id\":\"p\",\"title\":\"\"}", "title: must not be empty"},
    /* challenge */
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"org\":\"o\",\"problem\":\"p\",\"indicators\":[{\"name\":\"良率\",\"target\":99.5,"
     "\"unit\":\"%\"},{\"name\":\"寿命\",\"target\":\"≥10万次\"}],\"trl_now\":3,\"trl_target\":6,\"funding\":{\"amount\":5000000,"
     "\"currency\":\"CNY\"},\"deadline\":\"2028-02-29\",\"region\":\"310115\",\"eligibility\":{\"org_kinds\":[\"university\"],"
     "\"max_members\":3,\"regions\":[\"31\",\"3201\",\"330106\"]},\"ip_terms\":\"共有\",\"confidential\":{\"note\":\"内部\"},"
     "\"status\":\"published\"}",
     NULL},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"indicators\":[{\"target\":1}]}", "indicators[0].name: is required"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"indicators\":[{\"name\":\"n\",\"target\":[1]}]}", "indicators[0].target: must be a number or a string"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"indicators\":[{\"name\":\"n\",\"unit\":\"abcdefghijklmnopqrstuvwxyzabcdefg\"}]}", "indicators[0].unit: longer than 32"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"indicators\":[{\"name\":\"n\",\"weight\":1}]}", "indicators[0]: unknown field 'weight'"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"trl_now\":6,\"trl_target\":4}", "trl_target: must not be below trl_now"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"funding\":{\"amount\":-1}}", "funding.amount: must be a number"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"funding\":{\"amount\":1,\"currency\":\"rmb\"}}", "funding.currency: must be an ISO 4217"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"funding\":{\"currency\":\"CNY\"}}", "funding.amount:"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"deadline\":\"2027-13-01\"}", "deadline: '2027-13-01' is not a valid date"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"deadline\":\"2027-02-29\"}", "deadline: '2027-02-29' is not a valid date"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"deadline\":\"2027/02/01\"}", "deadline: must be a date"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"eligibility\":{\"org_kinds\":[\"company\"]}}", "eligibility.org_kinds[0]: must be one of"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"eligibility\":{\"max_members\":0}}", "eligibility.max_members: must be an integer from 1 to 50"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"eligibility\":{\"regions\":[\"310\"]}}", "eligibility.regions[0]: '310' is not a region prefix"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"eligibility\":{\"cities\":[]}}", "eligibility: unknown field 'cities'"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"status\":\"open\"}", "status: must be one of draft"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"confidential\":{\"k\":5}}", "confidential.k: must be a string"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"confidential\":[]}", "confidential: must be an object"},
    {"{\"type\":\"challenge\",\"id\":\"c\",\"title\":\"t\",\"ip_terms\":7}", "ip_terms: must be a string"},
};

START_TEST(rules) {
  for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
    json_t *j;
    char err[512] = "";
    ck_assert_msg(jb_rec_parse(CASES[i].json, strlen(CASES[i].json), &j, err, sizeof err) == JB_OK,
                  "case %zu does not parse: %s", i, err);
    int type;
    jb_rec_ref refs[JB_REC_MAX_REFS];
    size_t nrefs;
    int rc = jb_rec_validate(j, &type, refs, &nrefs, err, sizeof err);
    if (CASES[i].err)
      ck_assert_msg(rc == JB_EINVAL && strstr(err, CASES[i].err),
                    "case %zu: want '%s', got rc %d '%s'", i, CASES[i].err, rc, err);
    else
      ck_assert_msg(rc == JB_OK, "case %zu should be valid: %s", i, err);
    json_decref(j);
  }
}
END_TEST

START_TEST(references_collected) {
  const char *s = "{\"type\":\"output\",\"id\":\"p\",\"title\":\"t\",\"org\":\"o1\",\"experts\":[\"e1\",\"e2\"]}";
  json_t *j;
  ck_assert_int_eq(jb_rec_parse(s, strlen(s), &j, NULL, 0), JB_OK);
  int type;
  jb_rec_ref refs[JB_REC_MAX_REFS];
  size_t n;
  ck_assert_int_eq(jb_rec_validate(j, &type, refs, &n, NULL, 0), JB_OK);
  ck_assert_int_eq(type, JB_REC_OUTPUT);
  ck_assert_uint_eq(n, 3);
  ck_assert_int_eq(refs[0].type, JB_REC_ORG);
  ck_assert_str_eq(refs[0].id, "o1");
  ck_assert_str_eq(refs[0].field, "org");
  ck_assert_int_eq(refs[2].type, JB_REC_EXPERT);
  ck_assert_str_eq(refs[2].field, "experts[1]");
  json_decref(j);
}
END_TEST

START_TEST(parsing_is_strict) {
  json_t *j;
  char err[256];
  static const char *const bad[] = {
      "{\"a\":1,\"a\":2}",             /* duplicate key */
      "{\"a\":\"\xc0\xaf\"}",          /* invalid UTF-8 */
      "{\"a\":\"x\\u0000y\"}",         /* NUL escape */
      "{\"a\":123456789012345678901234567890}", /* integer overflow */
      "{\"a\":1",                     /* truncated */
      "",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    ck_assert_msg(jb_rec_parse(bad[i], strlen(bad[i]), &j, err, sizeof err) == JB_ESYNTAX,
                  "case %zu parsed", i);
  char deep[200];
  memset(deep, '[', 40);
  memset(deep + 40, ']', 40);
  deep[80] = '\0';
  ck_assert_int_eq(jb_rec_parse(deep, 80, &j, err, sizeof err), JB_ESYNTAX);
  ck_assert_ptr_nonnull(strstr(err, "deeper than 32"));
  /* a string full of brackets is not nesting */
  const char *ok = "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}";
  ck_assert_int_eq(jb_rec_parse(ok, strlen(ok), &j, err, sizeof err), JB_OK);
  json_decref(j);
}
END_TEST

START_TEST(canonical_form) {
  const char *s = "{ \"type\" : \"org\", \"name\":\"乙\",  \"id\":\"a\" }";
  json_t *j;
  ck_assert_int_eq(jb_rec_parse(s, strlen(s), &j, NULL, 0), JB_OK);
  char *c = jb_rec_canonical(j);
  ck_assert_str_eq(c, "{\"id\":\"a\",\"name\":\"乙\",\"type\":\"org\"}");
  ck_assert_str_eq(jb_rec_title(j), "乙");
  free(c);
  json_decref(j);
  ck_assert_str_eq(jb_rec_type_name(JB_REC_CHALLENGE), "challenge");
  ck_assert_ptr_null(jb_rec_type_name(9));
  ck_assert_int_eq(jb_rec_type_of("expert"), JB_REC_EXPERT);
  ck_assert_int_eq(jb_rec_type_of("nope"), -1);
}
END_TEST

/* jb_rec_parse_brief gives what jb_rec_parse gives, without the dropped
 * members, on the shapes its fast reader takes and on those it leaves to
 * jansson (escapes, reals, long integers, deep nesting), and refuses what
 * jansson refuses outside the dropped members */
START_TEST(brief_parse) {
  static const char *const drop[] = {"abstract", "bio", NULL};
  static const char *const same[] = {
      "{\"id\":\"a\",\"title\":\"乙丙\",\"trl\":9,\"year\":-2021,\"abstract\":\"x\\\"y\"}",
      "{ \"k\" : [ 1 , [ ] , { } , true , false , null , \"\" ] , \"bio\" : {\"a\":[1,2]} }",
      "{\"t\":\"a\\nb\",\"u\":\"\\u4e59\"}",              /* escapes: jansson's */
      "{\"p\":{\"amount\":1.5,\"e\":2e3,\"big\":1234567890123456789}}", /* reals, 19 digits */
      "{\"n\":123456789012345678,\"m\":-0,\"z\":0}",
      "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", /* 31 deep */
      "{\"abstract\":1,\"abstract\":2,\"x\":\"y\"}", /* a dropped duplicate */
      "{}",
  };
  for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
    json_t *full, *brief;
    ck_assert_msg(jb_rec_parse_brief(same[i], strlen(same[i]), drop, &brief) == JB_OK, "%zu", i);
    if (jb_rec_parse(same[i], strlen(same[i]), &full, NULL, 0) == JB_OK) {
      for (size_t k = 0; drop[k]; k++)
        json_object_del(full, drop[k]);
      ck_assert_msg(json_equal(full, brief), "case %zu", i);
      json_decref(full);
    }
    ck_assert_ptr_null(json_object_get(brief, "abstract"));
    json_decref(brief);
  }
  static const char *const refused[] = {
      "{\"a\":1,\"a\":2}",       "{\"a\":01}",        "{\"a\":\"\x01\"}",
      "{\"a\":\"\xff\"}",       "{\"a\":tru}",       "{\"a\":1} x",
      "{\"a\":1,}",               "{\"a\" 1}",         "{\"a\":12345678901234567890123}",
      "{\"a\":\"b}",             "",                   "{\"a\":[1 2]}",
  };
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    json_t *brief = (json_t *)1;
    ck_assert_msg(jb_rec_parse_brief(refused[i], strlen(refused[i]), drop, &brief) == JB_ESYNTAX,
                  "refused %zu", i);
    ck_assert_ptr_null(brief);
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("record");
  TCase *tc = tcase_create("validation");
  tcase_add_test(tc, rules);
  tcase_add_test(tc, references_collected);
  tcase_add_test(tc, parsing_is_strict);
  tcase_add_test(tc, canonical_form);
  tcase_add_test(tc, brief_parse);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
