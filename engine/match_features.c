/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match_features.c: the re-ranking features of a candidate against a need
 * (field, TRL, region, freshness, track, funding) beside its text score. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/match_int.h"

#include <time.h>

static int segments(const char *c) {
  int n = 1;
  for (; *c; c++)
    n += *c == '/';
  return n;
}

/* shared leading segments of two codes */
static int shared(const char *a, const char *b) {
  int n = 0;
  for (;;) {
    size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
    if (la != lb || strncmp(a, b, la))
      return n;
    n++;
    if (!a[la] || !b[lb])
      return n;
    a += la + 1;
    b += lb + 1;
  }
}

/* mean over the need's codes of the best prefix credit among the candidate's */
static double field_overlap(const json_t *need, const json_t *other) {
  size_t n = json_array_size(need), m = json_array_size(other);
  if (!n || !m)
    return 0;
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    const char *a = json_string_value(json_array_get(need, i));
    double best = 0;
    for (size_t j = 0; j < m; j++) {
      const char *b = json_string_value(json_array_get(other, j));
      int sa = segments(a), sb = segments(b);
      double c = (double)shared(a, b) / (double)(sa > sb ? sa : sb);
      if (c > best)
        best = c;
    }
    sum += best;
  }
  return sum / (double)n;
}

/* readiness of an output for a need that starts at now and aims at target */
static double trl_fit(const json_t *need, const json_t *out) {
  const json_t *t = json_object_get(out, "trl");
  if (!json_is_integer(t))
    return 0;
  long trl = (long)json_integer_value(t);
  const json_t *a = json_object_get(need, "trl_now"), *b = json_object_get(need, "trl_target");
  long now = json_is_integer(a) ? (long)json_integer_value(a) : 1;
  long target = json_is_integer(b) ? (long)json_integer_value(b) : (now > 6 ? now : 6);
  if (trl >= target)
    return 1;
  if (trl >= now)
    return 0.5 + 0.5 * (double)(trl - now) / (double)(target - now > 0 ? target - now : 1);
  double f = 0.5 - 0.125 * (double)(now - trl);
  return f > 0 ? f : 0;
}

static double region_prox(const char *a, const char *b) {
  if (!a || !b || strlen(a) != 6 || strlen(b) != 6)
    return 0;
  if (!strncmp(a, b, 6))
    return 1;
  if (!strncmp(a, b, 4))
    return 0.7;
  if (!strncmp(a, b, 2))
    return 0.4;
  return 0.1; /* same country: both have a (Chinese) division code */
}

static int this_year(void) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

/* how much of an output's stated price the challenge's funding covers: 1
 * when the price is within it, funding / price above it; 0 when either is
 * not stated or both name different currencies (no evidence either way) */
static double funding_fit(const json_t *funding, const json_t *price) {
  const json_t *fa = json_object_get(funding, "amount"), *pa = json_object_get(price, "amount");
  if (!json_is_number(fa) || !json_is_number(pa))
    return 0;
  const char *fc = str(funding, "currency"), *pc = str(price, "currency");
  if (fc && pc && strcmp(fc, pc))
    return 0;
  double f = json_number_value(fa), p = json_number_value(pa);
  if (p <= f)
    return 1;
  return f / p;
}

static double freshness(int year) {
  if (year <= 0)
    return 0;
  double f = 1.0 - (double)(this_year() - year) / 10.0;
  return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* the features of candidate c against the need (a challenge, or for the
 * reverse direction the candidate is the challenge and need the record) */
void jb__cand_features(cand *c, const json_t *challenge, const json_t *other,
                       const json_t *other_org, double maxbm25, const jb_match_weights *w) {
  const json_t *out = !strcmp(c->type, "output") ? c->rec
                      : json_is_object(other) && !strcmp(str(other, "type"), "output") ? other
                                                                                       : NULL;
  const json_t *exp = !strcmp(c->type, "expert") ? c->rec
                      : json_is_object(other) && !strcmp(str(other, "type"), "expert") ? other
                                                                                       : NULL;
  const json_t *side = c->rec == challenge ? other : c->rec;
  const json_t *side_org = c->rec == challenge ? other_org : c->org;
  c->f[0] = w->text * (maxbm25 > 0 ? c->bm25 / maxbm25 : 0);
  c->f[1] = w->field * field_overlap(json_object_get(challenge, "fields"),
                                     json_object_get(side, "fields"));
  c->f[2] = out ? w->trl * trl_fit(challenge, out) : 0;
  c->f[3] = w->region * region_prox(str(challenge, "region"), str(side_org, "region"));
  int year = 0;
  if (out && json_is_integer(json_object_get(out, "year")))
    year = (int)json_integer_value(json_object_get(out, "year"));
  if (exp && json_is_integer(json_object_get(exp, "active_year")))
    year = (int)json_integer_value(json_object_get(exp, "active_year"));
  c->f[4] = w->freshness * freshness(year);
  c->f[5] = 0;
  if (exp && json_is_integer(json_object_get(exp, "outputs_count"))) {
    double tr = log1p((double)json_integer_value(json_object_get(exp, "outputs_count"))) / log(101);
    c->f[5] = w->track * (tr > 1 ? 1 : tr);
  }
  c->f[6] = out ? w->funding * funding_fit(json_object_get(challenge, "funding"),
                                            json_object_get(out, "price"))
                 : 0;
  c->score = 0;
  for (int k = 0; k < NFEAT; k++)
    c->score += c->f[k];
}
