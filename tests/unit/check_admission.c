/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_admission.c: the server's limits without a server (api/admission.h):
 * per-address counting for IPv4 and IPv6, the reserve, deadlines on real
 * sockets, the gate's FIFO and bounds, the per-key buckets. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/admission.h"
#include "common/jb_error.h"

static struct sockaddr_storage v4(const char *ip) {
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  struct sockaddr_in *a = (struct sockaddr_in *)&ss;
  a->sin_family = AF_INET;
  inet_pton(AF_INET, ip, &a->sin_addr);
  return ss;
}

static struct sockaddr_storage v6(const char *ip) {
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
  a->sin6_family = AF_INET6;
  inet_pton(AF_INET6, ip, &a->sin6_addr);
  return ss;
}

#define SA(x) ((const struct sockaddr *)&(x))
#define L4 ((socklen_t)sizeof(struct sockaddr_in))
#define L6 ((socklen_t)sizeof(struct sockaddr_in6))

START_TEST(test_per_address) {
  jb_adm *a = jb_adm_new(100, 3, 0, 1000, 5000);
  ck_assert_ptr_nonnull(a);
  struct sockaddr_storage x = v4("10.0.0.1"), y = v4("10.0.0.2"), z = v6("2001:db8::1"),
                          zm = v6("::ffff:10.0.0.1"); /* the same host as x, mapped */
  jb_adm_conn *c[8];
  for (int i = 0; i < 3; i++) {
    ck_assert_int_eq(jb_adm_admit(a, SA(x), L4), 1);
    c[i] = jb_adm_opened(a, SA(x), L4, -1, 0);
  }
  ck_assert_int_eq(jb_adm_admit(a, SA(x), L4), 0);
  ck_assert_int_eq(jb_adm_admit(a, SA(zm), L6), 0); /* IPv4-mapped counts as the same address */
  ck_assert_int_eq(jb_adm_admit(a, SA(y), L4), 1);
  for (int i = 3; i < 6; i++)
    c[i] = jb_adm_opened(a, SA(z), L6, -1, 0);
  ck_assert_int_eq(jb_adm_admit(a, SA(z), L6), 0);
  jb_adm_closed(a, c[0]);
  ck_assert_int_eq(jb_adm_admit(a, SA(x), L4), 1); /* a slot back */
  jb_adm_stats st;
  jb_adm_get_stats(a, &st);
  ck_assert_uint_eq(st.open, 5);
  ck_assert_uint_eq(st.refused_per_ip, 3);
  for (int i = 1; i < 6; i++)
    jb_adm_closed(a, c[i]);
  jb_adm_closed(a, NULL);
  jb_adm_get_stats(a, &st);
  ck_assert_uint_eq(st.open, 0);
  jb_adm_free(a);
  jb_adm_free(NULL);
}
END_TEST

START_TEST(test_reserve) {
  /* 10 slots, 3 reserved: after 7 only addresses holding fewer than 2 */
  jb_adm *a = jb_adm_new(10, 10, 3, 1000, 5000);
  struct sockaddr_storage x = v4("192.0.2.1"), n1 = v4("192.0.2.2"), n2 = v6("2001:db8::2");
  for (int i = 0; i < 7; i++) {
    ck_assert_int_eq(jb_adm_admit(a, SA(x), L4), 1);
    jb_adm_opened(a, SA(x), L4, -1, 0);
  }
  ck_assert_int_eq(jb_adm_admit(a, SA(x), L4), 0);
  ck_assert_int_eq(jb_adm_admit(a, SA(n1), L4), 1);
  jb_adm_opened(a, SA(n1), L4, -1, 0);
  ck_assert_int_eq(jb_adm_admit(a, SA(n1), L4), 1); /* holds 1: still fewer than 2 */
  jb_adm_opened(a, SA(n1), L4, -1, 0);
  ck_assert_int_eq(jb_adm_admit(a, SA(n1), L4), 0);
  ck_assert_int_eq(jb_adm_admit(a, SA(n2), L6), 1);
  jb_adm_stats st;
  jb_adm_get_stats(a, &st);
  ck_assert_uint_eq(st.refused_reserve, 2);
  jb_adm_free(a); /* frees the records still open */
}
END_TEST

static int peer_closed(int fd) {
  char b;
  return recv(fd, &b, 1, MSG_DONTWAIT) == 0;
}

START_TEST(test_deadline) {
  jb_adm *a = jb_adm_new(10, 10, 0, 1000, 5000);
  struct sockaddr_storage x = v4("127.0.0.1");
  int p1[2], p2[2];
  ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, p1), 0);
  ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, p2), 0);
  jb_adm_conn *c1 = jb_adm_opened(a, SA(x), L4, p1[0], 0);
  jb_adm_conn *c2 = jb_adm_opened(a, SA(x), L4, p2[0], 0);
  /* the first request's line at 900 ms keeps the deadline of the opening */
  jb_adm_request_line(a, c1, 900);
  jb_adm_request_line(a, c2, 900);
  jb_adm_request_complete(c2); /* c2's request is in: no deadline while answered */
  ck_assert_uint_eq(jb_adm_sweep(a, 999), 0);
  ck_assert_uint_eq(jb_adm_sweep(a, 1000), 1);
  ck_assert_int_eq(peer_closed(p1[1]), 1);
  ck_assert_int_eq(peer_closed(p2[1]), 0);
  ck_assert_uint_eq(jb_adm_sweep(a, 2000), 0); /* once */
  /* keep-alive: the next line within 5 s of the answer, then 1 s for the rest */
  jb_adm_answered(a, c2, 2000);
  ck_assert_uint_eq(jb_adm_sweep(a, 6999), 0);
  jb_adm_request_line(a, c2, 6500);
  ck_assert_uint_eq(jb_adm_sweep(a, 7400), 0);
  ck_assert_uint_eq(jb_adm_sweep(a, 7500), 1);
  ck_assert_int_eq(peer_closed(p2[1]), 1);
  jb_adm_stats st;
  jb_adm_get_stats(a, &st);
  ck_assert_uint_eq(st.deadline_closes, 2);
  jb_adm_closed(a, c1);
  jb_adm_closed(a, c2);
  jb_adm_free(a);
  close(p1[0]), close(p1[1]), close(p2[0]), close(p2[1]);
}
END_TEST

START_TEST(test_gate) {
  jb_gate g;
  int jobs[6];
  ck_assert_int_eq(jb_gate_init(&g, 2, 3), 0);
  ck_assert_int_eq(jb_gate_enter(&g, &jobs[0]), 1);
  ck_assert_int_eq(jb_gate_enter(&g, &jobs[1]), 1);
  for (int i = 2; i < 5; i++)
    ck_assert_int_eq(jb_gate_enter(&g, &jobs[i]), 0);
  ck_assert_int_eq(jb_gate_enter(&g, &jobs[5]), -1);
  ck_assert_uint_eq(g.rejected, 1);
  unsigned ra = jb_gate_retry_after(&g);
  ck_assert(ra >= 1 && ra <= 60);
  /* in order, each taking the slot of the one that ended */
  ck_assert_ptr_eq(jb_gate_done(&g, 1000), &jobs[2]);
  ck_assert_int_eq(jb_gate_enter(&g, &jobs[5]), 0); /* room again; wraps around */
  ck_assert_ptr_eq(jb_gate_done(&g, 1000), &jobs[3]);
  ck_assert_ptr_eq(jb_gate_done(&g, 1000), &jobs[4]);
  ck_assert_ptr_eq(jb_gate_done(&g, 1000), &jobs[5]);
  ck_assert_uint_eq(g.running, 2);
  ck_assert_ptr_null(jb_gate_done(&g, 1000));
  ck_assert_ptr_null(jb_gate_done(&g, 1000));
  ck_assert_uint_eq(g.running, 0);
  jb_gate_free(&g);
  /* no queue: the third is refused at once */
  ck_assert_int_eq(jb_gate_init(&g, 1, 0), 0);
  ck_assert_int_eq(jb_gate_enter(&g, &jobs[0]), 1);
  ck_assert_int_eq(jb_gate_enter(&g, &jobs[1]), -1);
  jb_gate_free(&g);
  jb_gate_free(NULL);
}
END_TEST

START_TEST(test_buckets) {
  jb_buckets b;
  jb_buckets_init(&b, 2, 3); /* 2 a second, 3 at once */
  ck_assert_uint_eq(jb_buckets_check(&b, "k1", 0), 0); /* no bucket yet */
  for (int i = 0; i < 3; i++) {
    ck_assert_uint_eq(jb_buckets_check(&b, "k1", 0), 0);
    ck_assert_int_eq(jb_buckets_take(&b, "k1", 0), JB_OK);
  }
  ck_assert_uint_eq(jb_buckets_check(&b, "k1", 0), 1); /* empty: a token in 0.5 s, said as 1 */
  ck_assert_uint_eq(jb_buckets_check(&b, "k2", 0), 0); /* another key */
  ck_assert_uint_eq(jb_buckets_check(&b, "k1", 499), 1);
  ck_assert_uint_eq(jb_buckets_check(&b, "k1", 500), 0);
  ck_assert_int_eq(jb_buckets_take(&b, "k1", 500), JB_OK);
  ck_assert_uint_eq(jb_buckets_check(&b, "k1", 100000), 0); /* refilled, capped at 3 */
  for (int i = 0; i < 3; i++)
    jb_buckets_take(&b, "k1", 100000);
  ck_assert_uint_ne(jb_buckets_check(&b, "k1", 100000), 0);
  ck_assert_uint_eq(b.rejected, 3);
  jb_buckets_free(&b);
  jb_buckets_init(&b, 0, 0); /* off */
  for (int i = 0; i < 10; i++)
    jb_buckets_take(&b, "k1", 0);
  ck_assert_uint_eq(jb_buckets_check(&b, "k1", 0), 0);
  ck_assert_ptr_null(b.list);
  jb_buckets_free(&b);
  jb_buckets_free(NULL);
}
END_TEST

int main(void) {
  Suite *s = suite_create("admission");
  TCase *tc = tcase_create("admission");
  tcase_add_test(tc, test_per_address);
  tcase_add_test(tc, test_reserve);
  tcase_add_test(tc, test_deadline);
  tcase_add_test(tc, test_gate);
  tcase_add_test(tc, test_buckets);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
