/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_lifecycle.c: the 揭榜 loop at the engine's level — the time helper
 * against the C library's own calendar, the states of an application (the
 * table's moves, who, when), the applicant's edit, the award read back, the
 * reviewers' list, review comments in the ranking, API keys listed and their
 * last use kept to the minute, the refused publication's lint, and the audit
 * entries of each move. A store-only engine in a fresh directory. */
#include "config.h"

#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/jb_time.h"
#include "engine/jiebang.h"

/* ---- the time helper ------------------------------------------------------------------ */

START_TEST(rfc3339_matches_gmtime) {
  char a[JB_RFC3339_LEN], b[32];
  /* every day boundary of 1965-2105 and a pseudo-random second in each */
  uint64_t x = 88172645463325252ULL;
  long n = 0;
  for (int64_t t = -157766400; t < 4290000000LL; t += 86400) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    int64_t ts[] = {t, t + (int64_t)(x % 86400), t - 1};
    for (int i = 0; i < 3; i++) {
      /* plain ifs: check's asserts mark a point per call, too slow for 150000 */
      time_t tt = (time_t)ts[i];
      struct tm tm;
      int64_t back = 0;
      if (!gmtime_r(&tt, &tm))
        ck_abort_msg("gmtime_r(%lld)", (long long)ts[i]);
      strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
      if (strcmp(jb_time_rfc3339(ts[i], a), b))
        ck_abort_msg("%lld: %s, gmtime says %s", (long long)ts[i], a, b);
      if (jb_time_parse(a, &back) != JB_OK || back != ts[i])
        ck_abort_msg("%s reads back as %lld, not %lld", a, (long long)back, (long long)ts[i]);
      n++;
    }
  }
  ck_assert_int_eq(n, 3 * 51479); /* every day boundary was checked */
  ck_assert_str_eq(jb_time_rfc3339(0, a), "1970-01-01T00:00:00Z");
  ck_assert_str_eq(jb_time_rfc3339(951782400, a), "2000-02-29T00:00:00Z");
  ck_assert_str_eq(jb_time_rfc3339(253402300799LL, a), "9999-12-31T23:59:59Z");
  ck_assert_str_eq(jb_time_rfc3339(253402300800LL, a), "");
  ck_assert_str_eq(jb_time_rfc3339(-62167219201LL, a), "");
}
END_TEST

START_TEST(rfc3339_parse_refuses) {
  static const char *const bad[] = {"",
                                    "2026-12-02",
                                    "2026-12-02T01:23:45",
                                    "2026-12-02T01:23:45+08:00",
                                    "2026-12-02T01:23:45.5Z",
                                    "2026-13-02T01:23:45Z",
                                    "2026-02-29T01:23:45Z",
                                    "2026-12-32T01:23:45Z",
                                    "2026-12-02T24:00:00Z",
                                    "2026-12-02t01:23:45Z",
                                    "2026-12-02T01:60:00Z",
                                    "２026-12-02T01:23:45Z",
                                    "2026-12-02 01:23:45Z",
                                    "-026-12-02T01:23:45Z",
                                    NULL};
  int64_t t = 42;
  for (int i = 0; bad[i]; i++) {
    ck_assert_msg(jb_time_parse(bad[i], &t) == JB_ESYNTAX, "accepted '%s'", bad[i]);
    ck_assert_int_eq(t, 42);
  }
  ck_assert_int_eq(jb_time_parse(NULL, &t), JB_ESYNTAX);
  ck_assert_int_eq(jb_time_parse("2024-02-29T23:59:59Z", &t), JB_OK);
  ck_assert_int_eq(t, 1709251199);
}
END_TEST

/* ---- a small world -------------------------------------------------------------------- */

static char dir[64];
static jb_engine *E;
static const jb_actor OFFICER = {"k-officer", "officer", ""};
static const jb_actor ISSUER = {"k-issuer", "enterprise", "t-issuer"};
static const jb_actor A = {"k-a", "researcher", "t-a"}, B = {"k-b", "enterprise", "t-b"},
                      C = {"k-c", "researcher", "t-c"};

static void put(const char *json) {
  int rc = jb_engine_put_json(E, json, strlen(json), NULL);
  ck_assert_msg(rc == JB_OK, "%s: %s", json, jb_engine_error(E));
}

static json_t *parsed(char *text) {
  ck_assert_ptr_nonnull(text);
  json_t *j = json_loads(text, 0, NULL);
  free(text);
  ck_assert_ptr_nonnull(j);
  return j;
}

static const char *sv(const json_t *o, const char *k) {
  return json_string_value(json_object_get(o, k));
}

/* a time as the engine shows it: RFC 3339, UTC, whole seconds, within a minute of now */
static void is_now(const char *s) {
  int64_t t = 0;
  ck_assert_msg(s && jb_time_parse(s, &t) == JB_OK, "not RFC 3339: %s", s ? s : "(null)");
  int64_t now = (int64_t)time(NULL);
  ck_assert_msg(t <= now && t > now - 60, "%s is not now", s);
}

static const char *app_status(const char *lead) {
  static char st[32];
  char *out = NULL;
  ck_assert_int_eq(jb_engine_application_get(E, "t-ch", lead, 0, &out), JB_OK);
  json_t *a = parsed(out);
  snprintf(st, sizeof st, "%s", sv(a, "status"));
  json_decref(a);
  return st;
}

static void setup(void) {
  snprintf(dir, sizeof dir, "/tmp/jb_lc_XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char err[512];
  jb_engine_opts o = {0, NULL, NULL, 1};
  ck_assert_int_eq(jb_engine_open_store(dir, &o, &E, err, sizeof err), JB_OK);
  static const char *const orgs[] = {"t-issuer", "t-a", "t-b", "t-c", "t-rev", "t-m"};
  for (int i = 0; i < 6; i++) {
    char j[200];
    snprintf(j, sizeof j, "{\"type\":\"org\",\"id\":\"%s\",\"name\":\"机构%d\",\"kind\":\"%s\"}",
             orgs[i], i, i ? "university" : "enterprise");
    put(j);
    snprintf(j, sizeof j,
             "{\"type\":\"expert\",\"id\":\"x-%s\",\"name\":\"专家%d\",\"org\":\"%s\"}", orgs[i], i,
             orgs[i]);
    put(j);
  }
  time_t later = time(NULL) + 90 * 86400;
  struct tm tm;
  gmtime_r(&later, &tm);
  char dl[16], ch[1200];
  strftime(dl, sizeof dl, "%Y-%m-%d", &tm);
  snprintf(
      ch, sizeof ch,
      "{\"type\":\"challenge\",\"id\":\"t-ch\",\"title\":\"碳化硅模块封装\",\"org\":\"t-issuer\","
      "\"status\":\"published\",\"problem\":\"寿命不足\",\"deadline\":\"%s\","
      "\"indicators\":[{\"name\":\"寿命\",\"target\":50000,\"unit\":\"次\"}],"
      "\"funding\":{\"amount\":1000000,\"currency\":\"CNY\"},\"ip_terms\":\"归发榜方\"}",
      dl);
  put(ch);
  put("{\"type\":\"challenge\",\"id\":\"t-draft\",\"title\":\"草稿\",\"org\":\"t-issuer\"}");
}

static void teardown(void) {
  jb_engine_close(E);
  E = NULL;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}

static void apply(const jb_actor *who, const char *lead) {
  char j[600], *out = NULL;
  snprintf(j, sizeof j,
           "{\"lead_org\":\"%s\",\"team_lead\":\"x-%s\",\"plan\":\"三步\","
           "\"budget\":{\"amount\":900000,\"currency\":\"CNY\"},\"schedule\":\"一年\","
           "\"commitment\":\"按期\"}",
           lead, lead);
  int rc = jb_engine_apply(E, who, "t-ch", j, 4, &out);
  ck_assert_msg(rc == JB_OK, "apply %s: %s", lead, jb_engine_error(E));
  json_t *a = parsed(out);
  ck_assert_str_eq(sv(a, "status"), "submitted");
  is_now(sv(a, "submitted_at"));
  json_decref(a);
}

/* ---- the states of an application ------------------------------------------------------- */

START_TEST(application_states) {
  apply(&A, "t-a");
  apply(&B, "t-b");
  apply(&C, "t-c");
  /* the applicant withdraws its own, not another's; twice is a conflict */
  ck_assert_int_eq(jb_engine_application_status(E, &C, "t-ch", "t-b", "withdrawn", NULL), JB_EPERM);
  ck_assert_int_eq(jb_engine_application_status(E, &ISSUER, "t-ch", "t-b", "withdrawn", NULL),
                   JB_EPERM);
  ck_assert_int_eq(jb_engine_application_status(E, &B, "t-ch", "t-b", "withdrawn", "另有安排"),
                   JB_OK);
  ck_assert_str_eq(app_status("t-b"), "withdrawn");
  ck_assert_int_eq(jb_engine_application_status(E, &B, "t-ch", "t-b", "withdrawn", NULL),
                   JB_ECONFLICT);
  ck_assert_int_eq(jb_engine_application_status(E, &OFFICER, "t-ch", "t-b", "shortlisted", NULL),
                   JB_ECONFLICT);
  ck_assert_ptr_nonnull(strstr(jb_engine_error(E), "none (a final state)"));
  /* officers shortlist (and take off the list); applicants do not */
  ck_assert_int_eq(jb_engine_application_status(E, &A, "t-ch", "t-a", "shortlisted", NULL),
                   JB_EPERM);
  ck_assert_int_eq(jb_engine_application_status(E, &OFFICER, "t-ch", "t-a", "shortlisted", NULL),
                   JB_OK);
  ck_assert_str_eq(app_status("t-a"), "shortlisted");
  /* awarded and not_selected come only with the award; unknown states are refused */
  ck_assert_int_eq(jb_engine_application_status(E, &OFFICER, "t-ch", "t-a", "awarded", NULL),
                   JB_ECONFLICT);
  ck_assert_ptr_nonnull(strstr(jb_engine_error(E), "only with the award"));
  ck_assert_int_eq(jb_engine_application_status(E, &OFFICER, "t-ch", "t-a", "won", NULL),
                   JB_EINVAL);
  ck_assert_int_eq(jb_engine_application_status(E, &OFFICER, "t-ch", "t-zz", "shortlisted", NULL),
                   JB_ENOENT);
  ck_assert_int_eq(jb_engine_application_status(E, &OFFICER, "t-nope", "t-a", "shortlisted", NULL),
                   JB_ENOENT);
  /* the applicant edits its open application, with the rules of applying */
  char *out = NULL;
  ck_assert_int_eq(jb_engine_application_update(
                       E, &A, "t-ch", "t-a", "{\"plan\":\"四步\",\"members\":[\"t-m\"]}", 4, &out),
                   JB_OK);
  json_t *a = parsed(out);
  ck_assert_str_eq(sv(a, "plan"), "四步");
  ck_assert_str_eq(sv(a, "status"), "shortlisted");
  ck_assert_str_eq(sv(a, "schedule"), "一年");
  is_now(sv(a, "updated_at"));
  is_now(sv(a, "submitted_at"));
  json_decref(a);
  ck_assert_int_eq(jb_engine_application_update(E, &C, "t-ch", "t-a", "{\"plan\":\"x\"}", 4, NULL),
                   JB_EPERM);
  ck_assert_int_eq(jb_engine_application_update(E, &A, "t-ch", "t-a", "{\"score\":1}", 4, NULL),
                   JB_EINVAL);
  ck_assert_int_eq(
      jb_engine_application_update(E, &A, "t-ch", "t-a", "{\"members\":[\"t-issuer\"]}", 4, NULL),
      JB_EPERM); /* the issuer cannot join */
  ck_assert_int_eq(
      jb_engine_application_update(E, &A, "t-ch", "t-a", "{\"lead_org\":\"t-c\"}", 4, NULL),
      JB_EINVAL);
  ck_assert_int_eq(
      jb_engine_application_update(E, &A, "t-ch", "t-a", "{\"budget\":{\"amount\":0}}", 4, NULL),
      JB_EINVAL);
  ck_assert_int_eq(
      jb_engine_application_update(E, &B, "t-ch", "t-b", "{\"plan\":\"回来\"}", 4, NULL),
      JB_ECONFLICT); /* withdrawn is final */
  ck_assert_str_eq(app_status("t-a"), "shortlisted");
  /* what the applicant sees of the list: its own, with its state */
  ck_assert_int_eq(jb_engine_applications(E, "t-ch", "t-b", &out), JB_OK);
  json_t *l = parsed(out);
  ck_assert_uint_eq(json_array_size(l), 1);
  ck_assert_str_eq(sv(json_array_get(l, 0), "status"), "withdrawn");
  is_now(sv(json_array_get(l, 0), "decided_at"));
  json_decref(l);

  /* review: reviewers, listed (one conflicts: its org is in A's consortium) */
  ck_assert_int_eq(jb_engine_assign_reviewer(E, &OFFICER, "t-ch", "x-t-m"), JB_ECONFLICT);
  ck_assert_int_eq(jb_engine_assign_reviewer(E, &OFFICER, "t-ch", "x-t-rev"), JB_OK);
  ck_assert_int_eq(jb_engine_reviewers(E, "t-ch", &out), JB_OK);
  l = parsed(out);
  ck_assert_uint_eq(json_array_size(l), 1);
  ck_assert_str_eq(sv(json_array_get(l, 0), "expert"), "x-t-rev");
  ck_assert_str_eq(sv(json_array_get(l, 0), "org"), "t-rev");
  ck_assert_str_eq(sv(json_array_get(l, 0), "name"), "专家4");
  ck_assert_str_eq(sv(json_array_get(l, 0), "assigned_by"), "k-officer");
  is_now(sv(json_array_get(l, 0), "at"));
  json_decref(l);
  ck_assert_int_eq(jb_engine_reviewers(E, "t-nope", &out), JB_ENOENT);
  ck_assert_int_eq(jb_engine_transition(E, &OFFICER, "t-ch", "reviewing", NULL, NULL), JB_OK);
  ck_assert_int_eq(jb_engine_application_status(E, &C, "t-ch", "t-c", "withdrawn", NULL),
                   JB_ECONFLICT);
  ck_assert_ptr_nonnull(
      strstr(jb_engine_error(E), "while the challenge is published; it is reviewing"));
  ck_assert_int_eq(
      jb_engine_application_update(E, &A, "t-ch", "t-a", "{\"plan\":\"五步\"}", 4, NULL),
      JB_ECONFLICT);

  /* scores with their 评审意见, shown per reviewer in the ranking */
  const char *sc = "{\"technical\":35,\"team\":25,\"plan\":15,\"budget\":8}";
  ck_assert_int_eq(jb_engine_score(E, &OFFICER, "t-ch", "t-a", "x-t-rev", sc, "总体可行",
                                   "{\"technical\":\"封装路线清楚\"}", NULL),
                   JB_OK);
  ck_assert_int_eq(jb_engine_score(E, &OFFICER, "t-ch", "t-c", "x-t-rev", sc, NULL, NULL, NULL),
                   JB_OK);
  ck_assert_int_eq(jb_engine_score(E, &OFFICER, "t-ch", "t-b", "x-t-rev", sc, NULL, NULL, NULL),
                   JB_ECONFLICT); /* withdrawn */
  ck_assert_int_eq(
      jb_engine_score(E, &OFFICER, "t-ch", "t-a", "x-t-rev", sc, NULL, "{\"price\":\"贵\"}", NULL),
      JB_EINVAL);
  ck_assert_int_eq(jb_engine_score(E, &OFFICER, "t-ch", "t-a", "x-t-rev", sc, "", NULL, NULL),
                   JB_EINVAL);
  ck_assert_int_eq(
      jb_engine_score(E, &OFFICER, "t-ch", "t-a", "x-t-rev", sc, NULL, "{\"team\":7}", NULL),
      JB_EINVAL);
  ck_assert_int_eq(jb_engine_ranking(E, "t-ch", &out), JB_OK);
  l = parsed(out);
  ck_assert_uint_eq(json_array_size(l), 2); /* the withdrawn one is not ranked */
  json_t *ra = NULL, *rc_ = NULL;
  for (size_t i = 0; i < 2; i++) {
    json_t *r = json_array_get(l, i);
    ck_assert_str_ne(sv(r, "lead_org"), "t-b");
    if (!strcmp(sv(r, "lead_org"), "t-a"))
      ra = r;
    else
      rc_ = r;
  }
  ck_assert_ptr_nonnull(ra);
  ck_assert_ptr_nonnull(rc_);
  ck_assert_str_eq(sv(ra, "status"), "shortlisted");
  json_t *rv = json_array_get(json_object_get(ra, "by_reviewer"), 0);
  ck_assert_str_eq(sv(rv, "reviewer"), "x-t-rev");
  ck_assert_str_eq(sv(rv, "comment"), "总体可行");
  ck_assert_str_eq(sv(json_object_get(rv, "comments"), "technical"), "封装路线清楚");
  ck_assert(json_real_value(json_object_get(rv, "total")) == 83);
  rv = json_array_get(json_object_get(rc_, "by_reviewer"), 0);
  ck_assert_ptr_null(json_object_get(rv, "comment"));
  json_decref(l);

  /* the award: not to a withdrawn application; then winners awarded, the rest not_selected */
  ck_assert_int_eq(jb_engine_award_get(E, "t-ch", 0, &out), JB_ENOENT);
  const char *wb[] = {"t-b"}, *wa[] = {"t-a"};
  ck_assert_int_eq(jb_engine_award(E, &OFFICER, "t-ch", wb, 1, 1, NULL, NULL), JB_EINVAL);
  ck_assert_ptr_nonnull(strstr(jb_engine_error(E), "withdrawn"));
  ck_assert_int_eq(jb_engine_award(E, &OFFICER, "t-ch", wa, 1, 1, "评审会一致同意", NULL), JB_OK);
  ck_assert_str_eq(app_status("t-a"), "awarded");
  ck_assert_str_eq(app_status("t-b"), "withdrawn");
  ck_assert_str_eq(app_status("t-c"), "not_selected");
  ck_assert_int_eq(jb_engine_application_status(E, &OFFICER, "t-ch", "t-c", "shortlisted", NULL),
                   JB_ECONFLICT);
  for (int full = 0; full < 2; full++) {
    ck_assert_int_eq(jb_engine_award_get(E, "t-ch", full, &out), JB_OK);
    json_t *aw = parsed(out);
    json_t *w = json_array_get(json_object_get(aw, "winners"), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(aw, "winners")), 1);
    ck_assert_str_eq(sv(w, "application"), "t-a");
    ck_assert_str_eq(sv(w, "lead_org"), "t-a");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(w, "members"), 0)), "t-m");
    ck_assert_str_eq(sv(aw, "by"), "k-officer");
    is_now(sv(aw, "at"));
    if (full)
      ck_assert_str_eq(sv(aw, "note"), "评审会一致同意");
    else
      ck_assert_ptr_null(json_object_get(aw, "note"));
    json_decref(aw);
  }
}
END_TEST

/* every move is in the audit log, with RFC 3339 times */
struct seen {
  int n, moves[8];
};
static int audit_one(void *ctx, const char *json) {
  struct seen *s = ctx;
  json_t *a = json_loads(json, 0, NULL);
  ck_assert_ptr_nonnull(a);
  is_now(sv(a, "at"));
  static const char *const want[] = {"application:submitted->withdrawn",
                                     "application:submitted->shortlisted",
                                     "application:shortlisted->awarded",
                                     "application:submitted->not_selected",
                                     "application_update",
                                     NULL};
  for (int i = 0; want[i]; i++)
    if (!strcmp(sv(a, "action"), want[i]))
      s->moves[i]++;
  s->n++;
  json_decref(a);
  return 0;
}

START_TEST(moves_are_audited) {
  apply(&A, "t-a");
  apply(&C, "t-c");
  ck_assert_int_eq(jb_engine_application_status(E, &OFFICER, "t-ch", "t-a", "shortlisted", "优先"),
                   JB_OK);
  ck_assert_int_eq(jb_engine_application_status(E, &OFFICER, "t-ch", "t-a", "submitted", NULL),
                   JB_OK);
  ck_assert_int_eq(jb_engine_application_status(E, &OFFICER, "t-ch", "t-a", "shortlisted", NULL),
                   JB_OK);
  ck_assert_int_eq(
      jb_engine_application_update(E, &OFFICER, "t-ch", "t-c", "{\"plan\":\"改\"}", 4, NULL),
      JB_OK);
  ck_assert_int_eq(jb_engine_transition(E, &OFFICER, "t-ch", "reviewing", NULL, NULL), JB_OK);
  const char *wa[] = {"t-a"};
  ck_assert_int_eq(jb_engine_award(E, &OFFICER, "t-ch", wa, 1, 1, NULL, NULL), JB_OK);
  struct seen s = {0, {0}};
  ck_assert_int_eq(jb_engine_audit_list(E, NULL, "application", NULL, NULL, 0, 0, audit_one, &s),
                   JB_OK);
  ck_assert_int_eq(s.moves[1], 2);
  ck_assert_int_eq(s.moves[2], 1);
  ck_assert_int_eq(s.moves[3], 1);
  int64_t n = 0, bad = 0;
  ck_assert_int_eq(jb_engine_audit_verify(E, &n, &bad), JB_OK);
  s = (struct seen){0, {0}};
  ck_assert_int_eq(jb_engine_audit_list(E, NULL, NULL, NULL, NULL, 0, 0, audit_one, &s), JB_OK);
  ck_assert_int_eq(s.moves[4], 1);
  ck_assert_int_eq(s.n, (int)n);
}
END_TEST

/* a refused publication keeps the lint, in GET /lint's shape */
START_TEST(publish_refusal_detail) {
  ck_assert_int_eq(jb_engine_transition(E, &ISSUER, "t-draft", "published", NULL, NULL), JB_EINVAL);
  const char *d = jb_engine_error_detail(E);
  ck_assert_ptr_nonnull(d);
  json_t *l = json_loads(d, 0, NULL);
  ck_assert_ptr_nonnull(l);
  ck_assert(json_is_false(json_object_get(l, "ok")));
  ck_assert(json_is_array(json_object_get(l, "warnings")));
  const char *fields[] = {"problem", "indicators", "deadline", "funding", "ip_terms"};
  json_t *errs = json_object_get(l, "errors");
  ck_assert_uint_eq(json_array_size(errs), 5);
  for (size_t i = 0; i < 5; i++) {
    ck_assert_str_eq(sv(json_array_get(errs, i), "field"), fields[i]);
    ck_assert_ptr_nonnull(sv(json_array_get(errs, i), "message"));
  }
  /* the same list jb_challenge_lint gives */
  char *text = NULL, *lint = NULL;
  ck_assert_int_eq(jb_engine_get(E, "challenge", "t-draft", &text), JB_OK);
  ck_assert_int_eq(jb_challenge_lint(text, (long)(time(NULL) / 86400), 30, &lint), JB_OK);
  json_t *l2 = parsed(lint);
  ck_assert(json_equal(json_object_get(l, "errors"), json_object_get(l2, "errors")));
  free(text);
  json_decref(l2);
  json_decref(l);
  /* gone with the next refusal of another kind */
  ck_assert_int_eq(jb_engine_transition(E, &ISSUER, "t-draft", "awarded", NULL, NULL),
                   JB_ECONFLICT);
  ck_assert_ptr_null(jb_engine_error_detail(E));
}
END_TEST

/* ---- keys ------------------------------------------------------------------------------- */

START_TEST(keys_listed) {
  jb_key_info info, k2;
  char *secret = NULL, *s2 = NULL, *out = NULL;
  ck_assert_int_eq(jb_engine_key_create(E, "enterprise", "t-a", &info, &secret), JB_OK);
  ck_assert_int_eq(jb_engine_key_create(E, "admin", NULL, &k2, &s2), JB_OK);
  ck_assert_int_eq(jb_engine_key_list(E, &out), JB_OK);
  ck_assert_ptr_null(strstr(out, secret + 21)); /* never the secret */
  ck_assert_ptr_null(strstr(out, "hash"));
  json_t *l = parsed(out);
  ck_assert_uint_eq(json_array_size(l), 2);
  size_t i;
  json_t *k;
  int found = 0;
  json_array_foreach(l, i, k) {
    ck_assert_uint_eq(json_object_size(k), 7);
    is_now(sv(k, "created_at"));
    ck_assert(json_is_null(json_object_get(k, "last_used_at")));
    ck_assert(json_is_false(json_object_get(k, "revoked")));
    if (!strcmp(sv(k, "id"), info.id)) {
      found++;
      ck_assert_str_eq(sv(k, "role"), "enterprise");
      ck_assert_str_eq(sv(k, "org"), "t-a");
    } else {
      ck_assert_str_eq(sv(k, "id"), k2.id);
      ck_assert(json_is_null(json_object_get(k, "org")));
    }
  }
  ck_assert_int_eq(found, 1);
  json_decref(l);
  /* a first use asks for a touch; after it, not again within the minute */
  jb_key_info c;
  ck_assert_int_eq(jb_engine_key_check(E, secret, strlen(secret), &c), JB_OK);
  ck_assert_int_eq(c.stale_use, 1);
  ck_assert_int_eq(c.last_used_at, 0);
  ck_assert_int_eq(jb_engine_key_touch(E, c.id), JB_OK);
  ck_assert_int_eq(jb_engine_key_check(E, secret, strlen(secret), &c), JB_OK);
  ck_assert_int_eq(c.stale_use, 0);
  ck_assert(c.last_used_at > 0);
  ck_assert_int_eq(jb_engine_key_get(E, info.id, &out), JB_OK);
  json_t *one = parsed(out);
  is_now(sv(one, "last_used_at"));
  json_decref(one);
  ck_assert_int_eq(jb_engine_key_touch(E, "k0000000000000000"), JB_ENOENT);
  ck_assert_int_eq(jb_engine_key_get(E, "k0000000000000000", &out), JB_ENOENT);
  ck_assert_ptr_null(out);
  /* revoked: shown as such, and no longer accepted */
  ck_assert_int_eq(jb_engine_key_revoke(E, k2.id), JB_OK);
  ck_assert_int_eq(jb_engine_key_get(E, k2.id, &out), JB_OK);
  one = parsed(out);
  ck_assert(json_is_true(json_object_get(one, "revoked")));
  is_now(sv(one, "revoked_at"));
  json_decref(one);
  ck_assert_int_eq(jb_engine_key_check(E, s2, strlen(s2), &c), JB_EPERM);
  free(secret);
  free(s2);
}
END_TEST

/* ---- webhook events: in the change's transaction, retried, given up, disabled ------------ */

static int64_t ms_now(void) { return (int64_t)time(NULL) * 1000; }

static size_t due(int64_t at, jb_hook_delivery **v) {
  size_t n = 0;
  int64_t next = 0;
  ck_assert_int_eq(jb_engine_hooks_due(E, at, 16, v, &n, &next), JB_OK);
  return n;
}

static json_t *hook(const jb_actor *who, const char *id) {
  char *out = NULL;
  ck_assert_int_eq(jb_engine_hook_get(E, who, id, &out), JB_OK);
  return parsed(out);
}

START_TEST(hook_events) {
  char *out = NULL;
  ck_assert_int_eq(jb_engine_hook_create(E, &ISSUER, "{\"url\":\"http://127.0.0.1:9/i\","
                   "\"events\":[\"application.created\",\"challenge.state\"]}", &out), JB_OK);
  json_t *h = parsed(out);
  char hid[24];
  snprintf(hid, sizeof hid, "%s", sv(h, "id"));
  ck_assert_str_eq(sv(h, "org"), "t-issuer");
  ck_assert(strlen(sv(h, "secret")) == 6 + 48);
  json_decref(h);
  ck_assert_int_eq(jb_engine_hook_create(E, &B, "{\"url\":\"http://127.0.0.1:9/b\","
                   "\"events\":[\"application.created\"]}", &out), JB_OK);
  json_t *hb = parsed(out);
  char bid[24];
  snprintf(bid, sizeof bid, "%s", sv(hb, "id"));
  json_decref(hb);
  /* who manages which */
  ck_assert_int_eq(jb_engine_hook_get(E, &B, hid, &out), JB_ENOENT);
  ck_assert_int_eq(jb_engine_hook_get(E, &OFFICER, hid, &out), JB_ENOENT);
  static const jb_actor ADMIN = {"k-admin", "admin", ""};
  json_decref(hook(&ADMIN, hid));
  ck_assert_int_eq(jb_engine_hook_delete(E, &A, hid), JB_ENOENT);
  ck_assert_int_eq(jb_engine_hook_create(E, &ISSUER, "{\"url\":\"http://127.0.0.1:9/i\","
                   "\"events\":[\"award\"],\"challenge\":\"t-nope\"}", &out), JB_EINVAL);
  ck_assert_msg(!strncmp(jb_engine_error(E), "challenge:", 10), "%s", jb_engine_error(E));
  jb_hook_delivery *v = NULL;
  /* a change rolled back takes its event with it */
  ck_assert_int_eq(jb_engine_begin(E), JB_OK);
  apply(&A, "t-a");
  ck_assert_int_eq(jb_engine_rollback(E), JB_OK);
  ck_assert_uint_eq(due(ms_now() + 86400000, &v), 0);
  jb_hook_deliveries_free(v, 0);
  /* one committed: one delivery, to the issuer's subscription only (t-b is not concerned) */
  apply(&A, "t-a");
  ck_assert_uint_eq(due(ms_now() + 1000, &v), 1);
  ck_assert_str_eq(v[0].hook, hid);
  ck_assert_str_eq(v[0].type, "application.created");
  ck_assert_str_eq(v[0].url, "http://127.0.0.1:9/i");
  ck_assert(!strncmp(v[0].event_id, "evt_", 4) && strlen(v[0].event_id) == 28);
  json_t *p = json_loads(v[0].payload, 0, NULL);
  ck_assert_str_eq(sv(p, "id"), v[0].event_id);
  ck_assert_str_eq(sv(json_object_get(p, "data"), "org"), "t-a");
  json_decref(p);
  h = hook(&ISSUER, hid);
  json_t *st = json_object_get(h, "state");
  ck_assert_int_eq(json_integer_value(json_object_get(st, "pending")), 1);
  json_decref(h);
  h = hook(&B, bid);
  ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h, "state"), "pending")), 0);
  json_decref(h);
  /* a failure is retried after the backoff (0.5-1 of it), then given up */
  jb_hook_policy pol = {1000, 1000, 3600, 86400};
  int outcome = -1;
  ck_assert_int_eq(jb_engine_hook_result(E, &v[0], 0, "HTTP 500", &pol, ms_now(), &outcome), JB_OK);
  ck_assert_int_eq(outcome, JB_HOOK_RETRY);
  jb_hook_deliveries_free(v, 1);
  ck_assert_uint_eq(due(ms_now() - 1, &v), 0);
  jb_hook_deliveries_free(v, 0);
  ck_assert_uint_eq(due(ms_now() + 2000, &v), 1);
  ck_assert_int_eq(v[0].attempts, 1);
  pol.retry_for_s = 0;
  ck_assert_int_eq(jb_engine_hook_result(E, &v[0], 0, "timeout", &pol, ms_now() + 2000, &outcome), JB_OK);
  ck_assert_int_eq(outcome, JB_HOOK_EXPIRED);
  jb_hook_deliveries_free(v, 1);
  ck_assert_uint_eq(due(ms_now() + 86400000, &v), 0);
  jb_hook_deliveries_free(v, 0);
  h = hook(&ISSUER, hid);
  st = json_object_get(h, "state");
  ck_assert_int_eq(json_integer_value(json_object_get(st, "consecutive_failures")), 2);
  ck_assert_str_eq(sv(st, "last_failure"), "timeout");
  ck_assert_int_eq(json_integer_value(json_object_get(st, "pending")), 0);
  json_decref(h);
  /* a success clears the streak */
  ck_assert_int_eq(jb_engine_transition(E, &OFFICER, "t-draft", "cancelled", NULL, NULL), JB_OK);
  ck_assert_uint_eq(due(ms_now() + 1000, &v), 1);
  ck_assert_str_eq(v[0].type, "challenge.state");
  ck_assert_int_eq(jb_engine_hook_result(E, &v[0], 1, NULL, &pol, ms_now(), &outcome), JB_OK);
  ck_assert_int_eq(outcome, JB_HOOK_DELIVERED);
  jb_hook_deliveries_free(v, 1);
  h = hook(&ISSUER, hid);
  st = json_object_get(h, "state");
  ck_assert_int_eq(json_integer_value(json_object_get(st, "delivered")), 1);
  ck_assert_int_eq(json_integer_value(json_object_get(st, "consecutive_failures")), 0);
  is_now(sv(st, "last_success_at"));
  json_decref(h);
  /* failing for disable_after_s: disabled, nothing left to deliver */
  ck_assert_int_eq(jb_engine_application_status(E, &A, "t-ch", "t-a", "withdrawn", NULL), JB_OK);
  ck_assert_uint_eq(due(ms_now() + 1000, &v), 0); /* the issuer asked no application.state */
  jb_hook_deliveries_free(v, 0);
  apply(&C, "t-c");
  ck_assert_uint_eq(due(ms_now() + 1000, &v), 1);
  pol.disable_after_s = 0;
  ck_assert_int_eq(jb_engine_hook_result(E, &v[0], 0, "HTTP 410", &pol, ms_now(), &outcome), JB_OK);
  ck_assert_int_eq(outcome, JB_HOOK_DISABLED);
  jb_hook_deliveries_free(v, 1);
  h = hook(&ISSUER, hid);
  ck_assert(json_is_false(json_object_get(h, "active")));
  is_now(sv(json_object_get(h, "state"), "disabled_at"));
  json_decref(h);
  ck_assert_int_eq(jb_engine_hook_update(E, &ISSUER, hid, "{\"active\":true}", &out), JB_OK);
  h = parsed(out);
  ck_assert(json_is_true(json_object_get(h, "active")));
  ck_assert(json_is_null(json_object_get(json_object_get(h, "state"), "disabled_at")));
  json_decref(h);
  ck_assert_int_eq(jb_engine_hook_delete(E, &ISSUER, hid), JB_OK);
  ck_assert_int_eq(jb_engine_hook_get(E, &ISSUER, hid, &out), JB_ENOENT);
}
END_TEST

int main(void) {
  Suite *s = suite_create("lifecycle");
  TCase *t = tcase_create("time");
  tcase_set_timeout(t, 60);
  tcase_add_test(t, rfc3339_matches_gmtime);
  tcase_add_test(t, rfc3339_parse_refuses);
  suite_add_tcase(s, t);
  TCase *tc = tcase_create("loop");
  tcase_set_timeout(tc, 60);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, application_states);
  tcase_add_test(tc, moves_are_audited);
  tcase_add_test(tc, publish_refusal_detail);
  tcase_add_test(tc, keys_listed);
  tcase_add_test(tc, hook_events);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
