/* SPDX-License-Identifier: GPL-3.0-or-later */
/* time.c: Unix seconds <-> RFC 3339 (common/jb_time.h). Pure arithmetic
 * (days from civil dates, H. Hinnant's algorithm): no time zone, no locale. */
#include "config.h"

#include "common/jb_time.h"

#include <stdio.h>
#include <string.h>

#include "common/jb_error.h"

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z */
#define T_MIN (-62167219200LL)
#define T_MAX 253402300799LL

char *jb_time_rfc3339(int64_t t, char out[JB_RFC3339_LEN]) {
  out[0] = '\0';
  if (t < T_MIN || t > T_MAX)
    return out;
  int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), y;
  int64_t secs = t - days * 86400;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  snprintf(out, JB_RFC3339_LEN, "%04d-%02u-%02uT%02d:%02d:%02dZ", (int)y, m, d, (int)(secs / 3600),
           (int)(secs / 60 % 60), (int)(secs % 60));
  return out;
}

static int digits(const char *s, int n, unsigned *v) {
  *v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return 0;
    *v = *v * 10 + (unsigned)(s[i] - '0');
  }
  return 1;
}

int jb_time_parse(const char *s, int64_t *t) {
  unsigned y, mo, d, h, mi, se;
  if (!s || strlen(s) != JB_RFC3339_LEN - 1 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
      s[13] != ':' || s[16] != ':' || s[19] != 'Z' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
      !digits(s + 8, 2, &d) || !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) ||
      !digits(s + 17, 2, &se))
    return JB_ESYNTAX;
  static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 ||
      mi > 59 || se > 59)
    return JB_ESYNTAX;
  *t = days_from_civil((int64_t)y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  return JB_OK;
}
