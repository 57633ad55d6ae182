/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_webhooks.c: the pure parts of webhooks — the signature
 * (jb_hook_sign against Python's hmac), the CIDR lists, the address check
 * (loopback by default; private, link-local, metadata and mapped addresses
 * refused), and the URL's parts. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "api/netguard.h"
#include "engine/jiebang.h"

START_TEST(test_sign) {
  char hex[65];
  const char *body = "{\"id\":\"evt_1\",\"data\":{\"title\":\"碳化硅\"}}";
  /* python3: hmac.new(secret, b"1764655200." + body, sha256).hexdigest() */
  ck_assert_int_eq(jb_hook_sign("whsec_test-secret-0123", 1764655200, body, strlen(body), hex),
                   JB_OK);
  ck_assert_str_eq(hex, "4ac5aeeae2739a206c8468afc821fd991d785d55c64eec58d69c927bab3b270c");
  ck_assert_int_eq(jb_hook_sign("whsec_test-secret-0123", 0, "", 0, hex), JB_OK);
  ck_assert_str_eq(hex, "1081f669d68d2f8bb3ca5f920431b9c5261608119f6f79ec7a970ac50e4fabd4");
  /* another timestamp or secret: another signature */
  char other[65];
  jb_hook_sign("whsec_test-secret-0123", 1764655201, body, strlen(body), other);
  ck_assert_str_ne(hex, other);
  ck_assert_int_eq(jb_hook_sign(NULL, 0, "", 0, hex), JB_EINVAL);
  ck_assert_int_eq(jb_hook_sign("s", 0, NULL, 0, hex), JB_EINVAL);
}
END_TEST

static int allows(const jb_cidrs *l, const char *addr) {
  struct sockaddr_in a4;
  struct sockaddr_in6 a6;
  memset(&a4, 0, sizeof a4);
  memset(&a6, 0, sizeof a6);
  if (inet_pton(AF_INET, addr, &a4.sin_addr) == 1) {
    a4.sin_family = AF_INET;
    return jb_cidrs_allow(l, (struct sockaddr *)&a4);
  }
  ck_assert_int_eq(inet_pton(AF_INET6, addr, &a6.sin6_addr), 1);
  a6.sin6_family = AF_INET6;
  return jb_cidrs_allow(l, (struct sockaddr *)&a6);
}

START_TEST(test_cidrs) {
  jb_cidrs l;
  char err[200];
  ck_assert_int_eq(jb_cidrs_parse(&l, JB_NETGUARD_DEFAULT, err, sizeof err), JB_OK);
  ck_assert_uint_eq(l.n, 2);
  ck_assert(allows(&l, "127.0.0.1"));
  ck_assert(allows(&l, "127.255.1.2"));
  ck_assert(allows(&l, "::1"));
  ck_assert(allows(&l, "::ffff:127.0.0.1")); /* mapped: as its IPv4 address */
  static const char *const refused[] = {
      "169.254.169.254", "10.0.0.1",  "172.16.0.1",      "192.168.1.1",
      "100.64.0.1",      "0.0.0.0",   "8.8.8.8",         "fe80::1",
      "fc00::1",         "::",        "::ffff:10.0.0.1", "::ffff:169.254.169.254",
      "2001:db8::1",     "128.0.0.1", "126.255.255.255"};
  for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
    ck_assert_msg(!allows(&l, refused[i]), "%s allowed by default", refused[i]);
  /* prefixes on and off byte boundaries, addresses alone */
  ck_assert_int_eq(
      jb_cidrs_parse(&l, "10.1.0.0/16,192.0.2.128/25 2001:db8::/33, 198.51.100.7", err, sizeof err),
      JB_OK);
  ck_assert_uint_eq(l.n, 4);
  ck_assert(allows(&l, "10.1.255.255") && !allows(&l, "10.2.0.0"));
  ck_assert(allows(&l, "192.0.2.200") && !allows(&l, "192.0.2.127"));
  ck_assert(allows(&l, "2001:db8:7fff::1") && !allows(&l, "2001:db8:8000::1"));
  ck_assert(allows(&l, "198.51.100.7") && !allows(&l, "198.51.100.8"));
  ck_assert(!allows(&l, "127.0.0.1")); /* the list replaces the default */
  ck_assert_int_eq(jb_cidrs_parse(&l, "0.0.0.0/0, ::/0", err, sizeof err), JB_OK);
  ck_assert(allows(&l, "169.254.169.254") && allows(&l, "fe80::1"));
  ck_assert_int_eq(jb_cidrs_parse(&l, "", err, sizeof err), JB_OK);
  ck_assert_uint_eq(l.n, 0);
  ck_assert(!allows(&l, "127.0.0.1"));
  /* errors name the item */
  static const char *const bad[] = {"10.0.0.0/33", "10.0.0.1/8", "::1/129",      "10.0.0/8", "x",
                                    "10.0.0.0/",   "10.0.0.0/a", "1.2.3.4/0008", "::1/-1"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    err[0] = '\0';
    ck_assert_msg(jb_cidrs_parse(&l, bad[i], err, sizeof err) == JB_ESYNTAX, "%s parsed", bad[i]);
    ck_assert_msg(err[0] == '\'', "%s: %s", bad[i], err);
    ck_assert_uint_eq(l.n, 0);
  }
  char many[2000] = "";
  for (int i = 0; i <= JB_NETGUARD_MAX; i++)
    snprintf(many + strlen(many), sizeof many - strlen(many), "10.0.%d.0/24,", i);
  ck_assert_int_eq(jb_cidrs_parse(&l, many, err, sizeof err), JB_ESYNTAX);
  ck_assert_int_eq(jb_cidrs_allow(&l, NULL), 0);
}
END_TEST

START_TEST(test_url) {
  char host[256], err[200];
  int port, https;
  ck_assert_int_eq(jb_url_parts("http://127.0.0.1:8099/hook?x=1", host, sizeof host, &port, &https, JB_LANG_EN,
                                err, sizeof err),
                   JB_OK);
  ck_assert_str_eq(host, "127.0.0.1");
  ck_assert_int_eq(port, 8099);
  ck_assert_int_eq(https, 0);
  ck_assert_int_eq(
      jb_url_parts("https://[::1]/h", host, sizeof host, &port, &https, JB_LANG_EN, err, sizeof err), JB_OK);
  ck_assert_str_eq(host, "::1");
  ck_assert_int_eq(port, 443);
  ck_assert_int_eq(https, 1);
  ck_assert_int_eq(
      jb_url_parts("https://hooks.example.com", host, sizeof host, &port, &https, JB_LANG_EN, err, sizeof err),
      JB_OK);
  ck_assert_str_eq(host, "hooks.example.com");
  static const char *const bad[] = {"ftp://h/",
                                    "http://",
                                    "http:///x",
                                    "http://u:p@h/",
                                    "http://h:0/",
                                    "http://h:65536/",
                                    "http://h:/",
                                    "http://h:8a/",
                                    "http://[::1/",
                                    "http://[::1]x/",
                                    "http://h /",
                                    "file:///etc/passwd",
                                    "gopher://127.0.0.1/",
                                    "http://h\x01/"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    err[0] = '\0';
    ck_assert_msg(jb_url_parts(bad[i], host, sizeof host, &port, &https, JB_LANG_EN, err, sizeof err) ==
                      JB_EINVAL,
                  "%s parsed", bad[i]);
    ck_assert_msg(!strncmp(err, "url: ", 5), "%s: %s", bad[i], err);
  }
  /* the check resolves and compares every address */
  jb_cidrs l;
  jb_cidrs_parse(&l, JB_NETGUARD_DEFAULT, err, sizeof err);
  ck_assert_int_eq(jb_netguard_check_url(&l, "http://127.0.0.1:1/x", JB_LANG_EN, err, sizeof err), JB_OK);
  ck_assert_int_eq(jb_netguard_check_url(&l, "http://[::1]:1/x", JB_LANG_EN, err, sizeof err), JB_OK);
  ck_assert_int_eq(jb_netguard_check_url(&l, "http://169.254.169.254/latest", JB_LANG_EN, err, sizeof err),
                   JB_EPERM);
  ck_assert(strstr(err, "169.254.169.254") != NULL);
  ck_assert_int_eq(jb_netguard_check_url(&l, "http://10.1.2.3/", JB_LANG_EN, err, sizeof err), JB_EPERM);
  ck_assert_int_eq(jb_netguard_check_url(&l, "http://no-such-host.invalid/", JB_LANG_EN, err, sizeof err),
                   JB_ENOENT);
  ck_assert_int_eq(jb_netguard_check_url(&l, "ftp://127.0.0.1/", JB_LANG_EN, err, sizeof err), JB_EINVAL);
}
END_TEST

int main(void) {
  Suite *s = suite_create("webhooks");
  TCase *tc = tcase_create("webhooks");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_sign);
  tcase_add_test(tc, test_cidrs);
  tcase_add_test(tc, test_url);
  suite_add_tcase(s, tc);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
