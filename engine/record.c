/* SPDX-License-Identifier: GPL-3.0-or-later */
/* record.c: validation of the four record types. One table of fields per
 * type; every field that is present is checked, unknown fields are errors. */
#include "engine/record.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine_int.h" /* jb__sha256_hex */
#include "locale/jb_locale.h"

static const char *const TYPE_NAMES[] = {"org", "expert", "output", "challenge"};

const char *jb_rec_type_name(int t) {
  return t >= 0 && t < JB_REC_NTYPES ? TYPE_NAMES[t] : NULL;
}

int jb_rec_type_of(const char *name) {
  for (int t = 0; name && t < JB_REC_NTYPES; t++)
    if (!strcmp(name, TYPE_NAMES[t]))
      return t;
  return -1;
}

typedef enum {
  F_STR,        /* one-line string, 1..max characters */
  F_TEXT,       /* free text, 0..max characters */
  F_ENUM,       /* one of enums */
  F_INT,        /* integer min..max */
  F_DATE,       /* YYYY-MM-DD */
  F_CODES,      /* list of hierarchical field codes */
  F_REGION,     /* 6-digit administrative code */
  F_STRS,       /* list of one-line strings (max each), up to min items */
  F_REF,        /* id of a record of type ref */
  F_REFS,       /* list of ids of type ref */
  F_URL,        /* http(s) URL */
  F_IP,         /* {number, status, licensing} */
  F_INDICATORS, /* [{name, target, unit}] */
  F_FUNDING,    /* {amount, currency}: a challenge's funding, an output's price */
  F_ELIG,       /* {org_kinds, max_members, regions} */
  F_CONF,       /* object of string values */
  F_LANG        /* language tag */
} fkind;

typedef struct {
  const char *name;
  fkind kind;
  long min, max;
  const char *const *enums;
  int ref;
} fspec;

static const char *const ORG_KINDS[] = {"university", "lab", "institute", "tto", "enterprise",
                                        "hospital", "other", NULL};
static const char *const OUTPUT_KINDS[] = {"patent", "paper", "software", "prototype",
                                           "standard", "other", NULL};
static const char *const STATUSES[] = {"draft", "published", "reviewing", "awarded",
                                       "in_progress", "accepted", "failed", "closed",
                                       "cancelled", NULL};
static const char *const IP_STATUSES[] = {"pending", "granted", "expired", "licensed",
                                          "transferred", "other", NULL};

#define END {NULL, F_STR, 0, 0, NULL, 0}
static const fspec ORG[] = {{"name", F_STR, 1, 200, NULL, 0},
                            {"kind", F_ENUM, 0, 0, ORG_KINDS, 0},
                            {"region", F_REGION, 0, 0, NULL, 0},
                            {"fields", F_CODES, 0, 20, NULL, 0},
                            {"description", F_TEXT, 0, 20000, NULL, 0},
                            {"credentials", F_STRS, 20, 50, NULL, 0},
                            {"website", F_URL, 0, 300, NULL, 0},
                            END};
static const fspec EXPERT[] = {{"name", F_STR, 1, 100, NULL, 0},
                               {"org", F_REF, 0, 0, NULL, JB_REC_ORG},
                               {"title", F_STR, 1, 100, NULL, 0},
                               {"fields", F_CODES, 0, 20, NULL, 0},
                               {"keywords", F_STRS, 50, 64, NULL, 0},
                               {"bio", F_TEXT, 0, 20000, NULL, 0},
                               {"outputs_count", F_INT, 0, 100000, NULL, 0},
                               {"active_year", F_INT, 1950, 2100, NULL, 0},
                               END};
static const fspec OUTPUT[] = {{"title", F_STR, 1, 500, NULL, 0},
                               {"kind", F_ENUM, 0, 0, OUTPUT_KINDS, 0},
                               {"abstract", F_TEXT, 0, 50000, NULL, 0},
                               {"keywords", F_STRS, 50, 64, NULL, 0},
                               {"fields", F_CODES, 0, 20, NULL, 0},
                               {"org", F_REF, 0, 0, NULL, JB_REC_ORG},
                               {"experts", F_REFS, 0, 50, NULL, JB_REC_EXPERT},
                               {"trl", F_INT, 1, 9, NULL, 0},
                               {"year", F_INT, 1900, 2100, NULL, 0},
                               {"price", F_FUNDING, 0, 0, NULL, 0},
                               {"ip", F_IP, 0, 0, NULL, 0},
                               {"lang", F_LANG, 0, 0, NULL, 0},
                               END};
static const fspec CHALLENGE[] = {{"title", F_STR, 1, 500, NULL, 0},
                                  {"org", F_REF, 0, 0, NULL, JB_REC_ORG},
                                  {"problem", F_TEXT, 0, 20000, NULL, 0},
                                  {"description", F_TEXT, 0, 50000, NULL, 0},
                                  {"indicators", F_INDICATORS, 0, 50, NULL, 0},
                                  {"keywords", F_STRS, 50, 64, NULL, 0},
                                  {"fields", F_CODES, 0, 20, NULL, 0},
                                  {"trl_now", F_INT, 1, 9, NULL, 0},
                                  {"trl_target", F_INT, 1, 9, NULL, 0},
                                  {"funding", F_FUNDING, 0, 0, NULL, 0},
                                  {"deadline", F_DATE, 0, 0, NULL, 0},
                                  {"region", F_REGION, 0, 0, NULL, 0},
                                  {"eligibility", F_ELIG, 0, 0, NULL, 0},
                                  {"ip_terms", F_TEXT, 0, 5000, NULL, 0},
                                  {"confidential", F_CONF, 0, 0, NULL, 0},
                                  {"status", F_ENUM, 0, 0, STATUSES, 0},
                                  {"lang", F_LANG, 0, 0, NULL, 0},
                                  END};
static const fspec *const SPECS[] = {ORG, EXPERT, OUTPUT, CHALLENGE};

static int verr(char *err, size_t len, const char *field, const char *fmt, ...) {
  if (err && len) {
    int n = snprintf(err, len, "%s: ", field);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < len)
      vsnprintf(err + n, len - (size_t)n, fmt, ap);
    va_end(ap);
    jb_utf8_clip(err); /* a value cut by the buffer or by "%.60s" */
  }
  return JB_EINVAL;
}

static size_t u8chars(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

/* one-line string of 1..max characters without control characters */
static int check_str(const json_t *v, const char *f, long min, long max, char *err, size_t el) {
  if (!json_is_string(v))
    return verr(err, el, f, "must be a string");
  const char *s = json_string_value(v);
  size_t len = json_string_length(v), n = u8chars(s, len);
  if ((long)n < min)
    return verr(err, el, f, min == 1 ? "must not be empty" : "too short");
  if ((long)n > max)
    return verr(err, el, f, "longer than %ld characters", max);
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
      return verr(err, el, f, "control character at byte %zu", i);
  if (jb_utf8_validate(s, len, NULL) != JB_UTF8_OK)
    return verr(err, el, f, "invalid UTF-8");
  return JB_OK;
}

static int check_text(const json_t *v, const char *f, long max, char *err, size_t el) {
  if (!json_is_string(v))
    return verr(err, el, f, "must be a string");
  const char *s = json_string_value(v);
  size_t len = json_string_length(v);
  if ((long)u8chars(s, len) > max)
    return verr(err, el, f, "longer than %ld characters", max);
  for (size_t i = 0; i < len; i++)
    if (((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r') ||
        s[i] == 0x7F)
      return verr(err, el, f, "control character at byte %zu", i);
  return JB_OK;
}

static int check_int(const json_t *v, const char *f, long min, long max, char *err, size_t el) {
  if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
    return verr(err, el, f, "must be an integer from %ld to %ld", min, max);
  return JB_OK;
}

static int check_enum(const json_t *v, const char *f, const char *const *e, char *err,
                      size_t el) {
  if (json_is_string(v))
    for (size_t i = 0; e[i]; i++)
      if (!strcmp(json_string_value(v), e[i]))
        return JB_OK;
  char list[256] = "";
  for (size_t i = 0; e[i]; i++) {
    strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
    strncat(list, e[i], sizeof list - strlen(list) - 1);
  }
  return verr(err, el, f, "must be one of %s", list);
}

/* a field code: segments of [a-z0-9_-] joined by '/' */
static int check_code(const json_t *v, const char *f, char *err, size_t el) {
  if (!json_is_string(v))
    return verr(err, el, f, "must be a string");
  const char *s = json_string_value(v);
  size_t len = strlen(s);
  if (len < 1 || len > 64)
    return verr(err, el, f, "field code must have 1 to 64 characters");
  int seg = 0;
  for (size_t i = 0; i <= len; i++) {
    char c = s[i];
    if (c == '/' || c == '\0') {
      if (seg == 0)
        return verr(err, el, f, "'%s' is not a field code (lower-case segments joined by '/')",
                    s);
      seg = 0;
    } else if (islower((unsigned char)c) || isdigit((unsigned char)c) || c == '_' || c == '-') {
      seg++;
    } else {
      return verr(err, el, f, "'%s' is not a field code (lower-case segments joined by '/')", s);
    }
  }
  return JB_OK;
}

static int check_region(const json_t *v, const char *f, int prefix_ok, char *err, size_t el) {
  if (!json_is_string(v))
    return verr(err, el, f, "must be a string of digits");
  const char *s = json_string_value(v);
  size_t len = strlen(s);
  int ok = prefix_ok ? (len == 2 || len == 4 || len == 6) : len == 6;
  for (size_t i = 0; ok && i < len; i++)
    ok = isdigit((unsigned char)s[i]);
  if (!ok)
    return verr(err, el, f,
                prefix_ok ? "'%s' is not a region prefix (2, 4 or 6 digits)"
                          : "'%s' is not a 6-digit administrative code",
                s);
  return JB_OK;
}

static int check_date(const json_t *v, const char *f, char *err, size_t el) {
  int y, m, d;
  char tail;
  if (!json_is_string(v) || strlen(json_string_value(v)) != 10 ||
      sscanf(json_string_value(v), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return verr(err, el, f, "must be a date YYYY-MM-DD");
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
      (m == 2 && d == 29 && !leap))
    return verr(err, el, f, "'%s' is not a valid date", json_string_value(v));
  return JB_OK;
}

/* the code point at s[i..), valid UTF-8 assumed; *n gets its byte length */
static uint32_t u8decode(const unsigned char *s, size_t *n) {
  if (s[0] < 0x80)
    return *n = 1, s[0];
  if (s[0] < 0xE0)
    return *n = 2, ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
  if (s[0] < 0xF0)
    return *n = 3, ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  return *n = 4, ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
                 ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

int jb_rec_check_id(const char *s, size_t len, int rule, char *err, size_t el) {
  size_t max = rule == JB_ID_STORED ? JB_ID_STORED_MAX_BYTES : JB_ID_MAX_BYTES;
  if (!s || len == 0)
    return verr(err, el, "id", "must not be empty");
  if (len > max)
    return verr(err, el, "id", "longer than %zu bytes of UTF-8 (%zu)", max, len);
  size_t bad;
  if (jb_utf8_validate(s, len, &bad) != JB_UTF8_OK)
    return verr(err, el, "id", "invalid UTF-8 at byte %zu", bad);
  for (size_t i = 0, n; i < len; i += n) {
    uint32_t c = u8decode((const unsigned char *)s + i, &n);
    if (c == '/')
      return verr(err, el, "id", "an id must not contain '/'");
    if (c < 0x20 || c == 0x7F)
      return verr(err, el, "id", "control character U+%04X at byte %zu", (unsigned)c, i);
    if (rule == JB_ID_STORED)
      continue;
    if (c == '\\')
      return verr(err, el, "id", "an id must not contain '\\'");
    if (jb_is_invisible(c))
      return verr(err, el, "id", "white space or invisible character U+%04X at byte %zu",
                  (unsigned)c, i);
  }
  if (rule != JB_ID_STORED && ((len == 1 && s[0] == '.') || (len == 2 && !memcmp(s, "..", 2))))
    return verr(err, el, "id", "must not be '.' or '..'");
  return JB_OK;
}

/* an id: a reference or the record's own, under the rule for new records */
static int check_id_str(const json_t *v, const char *f, char *err, size_t el) {
  if (!json_is_string(v))
    return verr(err, el, f, "must be a string");
  int rc = jb_rec_check_id(json_string_value(v), json_string_length(v), JB_ID_NEW, err, el);
  if (rc != JB_OK && strcmp(f, "id") && err && el) {
    /* name the field: "org: ..." rather than "id: ..." */
    char why[256];
    snprintf(why, sizeof why, "%s", err + (strncmp(err, "id: ", 4) ? 0 : 4));
    return verr(err, el, f, "%s", why);
  }
  return rc;
}

static int add_ref(jb_rec_ref *refs, size_t *nrefs, int type, const json_t *v, const char *f,
                   char *err, size_t el) {
  if (*nrefs >= JB_REC_MAX_REFS)
    return verr(err, el, f, "more than %d references", JB_REC_MAX_REFS);
  refs[*nrefs].type = type;
  refs[*nrefs].id = json_string_value(v);
  snprintf(refs[*nrefs].field, sizeof refs[*nrefs].field, "%s", f);
  (*nrefs)++;
  return JB_OK;
}

/* checks that obj has only keys from `allowed` */
static int only_keys(const json_t *obj, const char *f, const char *const *allowed, char *err,
                     size_t el) {
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)obj, k, v) {
    size_t i = 0;
    while (allowed[i] && strcmp(allowed[i], k))
      i++;
    if (!allowed[i])
      return verr(err, el, f, "unknown field '%s'", k);
  }
  return JB_OK;
}

static int check_field(const fspec *s, const json_t *v, jb_rec_ref *refs, size_t *nrefs,
                       char *err, size_t el) {
  const char *f = s->name;
  char sub[96];
  int rc = JB_OK;
  switch (s->kind) {
  case F_STR:
    return check_str(v, f, s->min, s->max, err, el);
  case F_TEXT:
    return check_text(v, f, s->max, err, el);
  case F_ENUM:
    return check_enum(v, f, s->enums, err, el);
  case F_INT:
    return check_int(v, f, s->min, s->max, err, el);
  case F_DATE:
    return check_date(v, f, err, el);
  case F_REGION:
    return check_region(v, f, 0, err, el);
  case F_URL:
    if ((rc = check_str(v, f, 1, s->max, err, el)) != JB_OK)
      return rc;
    if (strncmp(json_string_value(v), "http://", 7) && strncmp(json_string_value(v), "https://", 8))
      return verr(err, el, f, "must start with http:// or https://");
    return JB_OK;
  case F_LANG: {
    if (!json_is_string(v))
      return verr(err, el, f, "must be a language tag such as zh or en");
    const char *l = json_string_value(v);
    size_t n = strlen(l);
    int ok = n >= 2 && n <= 12;
    for (size_t i = 0; ok && i < n; i++)
      ok = isalpha((unsigned char)l[i]) || (l[i] == '-' && i > 0);
    return ok ? JB_OK : verr(err, el, f, "'%s' is not a language tag such as zh or en", l);
  }
  case F_REF:
    if ((rc = check_id_str(v, f, err, el)) != JB_OK)
      return rc;
    return add_ref(refs, nrefs, s->ref, v, f, err, el);
  case F_CODES:
  case F_STRS:
  case F_REFS: {
    if (!json_is_array(v))
      return verr(err, el, f, "must be a list");
    long maxn = s->kind == F_STRS ? s->min : s->max;
    if ((long)json_array_size(v) > maxn)
      return verr(err, el, f, "more than %ld items", maxn);
    for (size_t i = 0; i < json_array_size(v); i++) {
      snprintf(sub, sizeof sub, "%s[%zu]", f, i);
      const json_t *x = json_array_get(v, i);
      if (s->kind == F_CODES)
        rc = check_code(x, sub, err, el);
      else if (s->kind == F_STRS)
        rc = check_str(x, sub, 1, s->max, err, el);
      else if ((rc = check_id_str(x, sub, err, el)) == JB_OK)
        rc = add_ref(refs, nrefs, s->ref, x, sub, err, el);
      if (rc != JB_OK)
        return rc;
    }
    return JB_OK;
  }
  case F_IP: {
    static const char *const keys[] = {"number", "status", "licensing", NULL};
    if (!json_is_object(v))
      return verr(err, el, f, "must be an object {number, status, licensing}");
    if ((rc = only_keys(v, f, keys, err, el)) != JB_OK)
      return rc;
    const json_t *x;
    if ((x = json_object_get(v, "number")) && (rc = check_str(x, "ip.number", 1, 64, err, el)))
      return rc;
    if ((x = json_object_get(v, "status")) &&
        (rc = check_enum(x, "ip.status", IP_STATUSES, err, el)))
      return rc;
    if ((x = json_object_get(v, "licensing")) &&
        (rc = check_text(x, "ip.licensing", 2000, err, el)))
      return rc;
    return JB_OK;
  }
  case F_INDICATORS: {
    static const char *const keys[] = {"name", "target", "unit", NULL};
    if (!json_is_array(v))
      return verr(err, el, f, "must be a list of {name, target, unit}");
    if ((long)json_array_size(v) > s->max)
      return verr(err, el, f, "more than %ld items", s->max);
    for (size_t i = 0; i < json_array_size(v); i++) {
      const json_t *ind = json_array_get(v, i), *x;
      snprintf(sub, sizeof sub, "%s[%zu]", f, i);
      if (!json_is_object(ind))
        return verr(err, el, sub, "must be an object {name, target, unit}");
      if ((rc = only_keys(ind, sub, keys, err, el)) != JB_OK)
        return rc;
      char g[128];
      snprintf(g, sizeof g, "%s.name", sub);
      if (!(x = json_object_get(ind, "name")))
        return verr(err, el, g, "is required");
      if ((rc = check_str(x, g, 1, 200, err, el)) != JB_OK)
        return rc;
      snprintf(g, sizeof g, "%s.target", sub);
      if ((x = json_object_get(ind, "target"))) {
        if (json_is_number(x)) {
          if (!isfinite(json_number_value(x)))
            return verr(err, el, g, "must be a finite number");
        } else if ((rc = check_str(x, g, 1, 200, err, el)) != JB_OK) {
          return verr(err, el, g, "must be a number or a string of up to 200 characters");
        }
      }
      snprintf(g, sizeof g, "%s.unit", sub);
      /* a dimensionless indicator (AUC, KS, a ratio) has no unit: "" is
       * accepted and stored absent (jb_rec_canonical) */
      if ((x = json_object_get(ind, "unit")) && (rc = check_str(x, g, 0, 32, err, el)) != JB_OK)
        return rc;
    }
    return JB_OK;
  }
  case F_FUNDING: {
    static const char *const keys[] = {"amount", "currency", NULL};
    if (!json_is_object(v))
      return verr(err, el, f, "must be an object {amount, currency}");
    if ((rc = only_keys(v, f, keys, err, el)) != JB_OK)
      return rc;
    char name[48];
    const json_t *x = json_object_get(v, "amount");
    snprintf(name, sizeof name, "%s.amount", f);
    if (!x || !json_is_number(x) || !(json_number_value(x) >= 0) ||
        json_number_value(x) > 1e13)
      return verr(err, el, name, "must be a number from 0 to 1e13");
    x = json_object_get(v, "currency");
    snprintf(name, sizeof name, "%s.currency", f);
    if (x) {
      const char *c = json_is_string(x) ? json_string_value(x) : "";
      if (strlen(c) != 3 || !isupper((unsigned char)c[0]) || !isupper((unsigned char)c[1]) ||
          !isupper((unsigned char)c[2]))
        return verr(err, el, name, "must be an ISO 4217 code such as CNY");
    }
    return JB_OK;
  }
  case F_ELIG: {
    static const char *const keys[] = {"org_kinds", "max_members", "regions", NULL};
    if (!json_is_object(v))
      return verr(err, el, f, "must be an object {org_kinds, max_members, regions}");
    if ((rc = only_keys(v, f, keys, err, el)) != JB_OK)
      return rc;
    const json_t *x;
    if ((x = json_object_get(v, "org_kinds"))) {
      if (!json_is_array(x) || json_array_size(x) > 7)
        return verr(err, el, "eligibility.org_kinds", "must be a list of org kinds");
      for (size_t i = 0; i < json_array_size(x); i++) {
        snprintf(sub, sizeof sub, "eligibility.org_kinds[%zu]", i);
        if ((rc = check_enum(json_array_get(x, i), sub, ORG_KINDS, err, el)) != JB_OK)
          return rc;
      }
    }
    if ((x = json_object_get(v, "max_members")) &&
        (rc = check_int(x, "eligibility.max_members", 1, 50, err, el)) != JB_OK)
      return rc;
    if ((x = json_object_get(v, "regions"))) {
      if (!json_is_array(x) || json_array_size(x) > 100)
        return verr(err, el, "eligibility.regions", "must be a list of region prefixes");
      for (size_t i = 0; i < json_array_size(x); i++) {
        snprintf(sub, sizeof sub, "eligibility.regions[%zu]", i);
        if ((rc = check_region(json_array_get(x, i), sub, 1, err, el)) != JB_OK)
          return rc;
      }
    }
    return JB_OK;
  }
  case F_CONF: {
    if (!json_is_object(v) || json_object_size(v) > 50)
      return verr(err, el, f, "must be an object of up to 50 text values");
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) {
      snprintf(sub, sizeof sub, "confidential.%.60s", k);
      if (strlen(k) < 1 || strlen(k) > 64)
        return verr(err, el, sub, "key must have 1 to 64 bytes");
      if ((rc = check_text(x, sub, 20000, err, el)) != JB_OK)
        return rc;
    }
    return JB_OK;
  }
  }
  return JB_OK;
}

int jb_rec_validate(const json_t *rec, int *type, jb_rec_ref *refs, size_t *nrefs, char *err,
                    size_t el) {
  *nrefs = 0;
  if (!json_is_object(rec))
    return verr(err, el, "record", "must be a JSON object");
  const json_t *tv = json_object_get(rec, "type");
  if (!tv)
    return verr(err, el, "type", "is required");
  int t = json_is_string(tv) ? jb_rec_type_of(json_string_value(tv)) : -1;
  if (t < 0)
    return verr(err, el, "type", "must be one of org, expert, output, challenge");
  const json_t *id = json_object_get(rec, "id");
  if (!id)
    return verr(err, el, "id", "is required");
  int rc = check_id_str(id, "id", err, el);
  if (rc != JB_OK)
    return rc;
  const fspec *spec = SPECS[t];
  const char *req = (t == JB_REC_ORG || t == JB_REC_EXPERT) ? "name" : "title";
  if (!json_object_get(rec, req))
    return verr(err, el, req, "is required");
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)rec, k, v) {
    if (!strcmp(k, "type") || !strcmp(k, "id"))
      continue;
    const fspec *s = spec;
    while (s->name && strcmp(s->name, k))
      s++;
    if (!s->name)
      return verr(err, el, k, "unknown field for a%s %s", t == JB_REC_CHALLENGE ? "" : "n",
                  TYPE_NAMES[t]);
    if ((rc = check_field(s, v, refs, nrefs, err, el)) != JB_OK)
      return rc;
  }
  if (t == JB_REC_CHALLENGE) {
    const json_t *a = json_object_get(rec, "trl_now"), *b = json_object_get(rec, "trl_target");
    if (a && b && json_integer_value(b) < json_integer_value(a))
      return verr(err, el, "trl_target", "must not be below trl_now");
  }
  *type = t;
  return JB_OK;
}

int jb_rec_parse(const char *text, size_t len, json_t **out, char *err, size_t el) {
  *out = NULL;
  /* nesting depth: records need 3 levels; refuse deep input before parsing */
  int depth = 0, in_str = 0;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    if (in_str) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_str = 0;
    } else if (c == '"') {
      in_str = 1;
    } else if (c == '{' || c == '[') {
      if (++depth > 32) {
        if (err && el)
          snprintf(err, el, "JSON nested deeper than 32 levels");
        return JB_ESYNTAX;
      }
    } else if (c == '}' || c == ']') {
      depth--;
    }
  }
  json_error_t je;
  json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!j) {
    if (err && el) {
      snprintf(err, el, "invalid JSON at column %d: %s", je.column, je.text);
      jb_utf8_clip(err); /* jansson's text may quote the input's bytes */
    }
    return JB_ESYNTAX;
  }
  *out = j;
  return JB_OK;
}

/* 1 when some indicator of rec has an empty unit */
static int empty_units(const json_t *rec) {
  const json_t *ind = json_object_get(rec, "indicators");
  for (size_t i = 0; i < json_array_size(ind); i++) {
    const char *u = json_string_value(json_object_get(json_array_get(ind, i), "unit"));
    if (u && !*u)
      return 1;
  }
  return 0;
}

char *jb_rec_canonical(const json_t *rec) {
  const size_t flags = JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17);
  if (!empty_units(rec))
    return json_dumps(rec, flags);
  json_t *c = json_deep_copy(rec), *ind = json_object_get(c, "indicators");
  if (!c)
    return NULL;
  for (size_t i = 0; i < json_array_size(ind); i++) {
    json_t *x = json_array_get(ind, i);
    const char *u = json_string_value(json_object_get(x, "unit"));
    if (u && !*u)
      json_object_del(x, "unit");
  }
  char *out = json_dumps(c, flags);
  json_decref(c);
  return out;
}

const char *jb_rec_title(const json_t *rec) {
  int t = jb_rec_type_of(json_string_value(json_object_get(rec, "type")));
  const json_t *v =
      json_object_get(rec, t == JB_REC_ORG || t == JB_REC_EXPERT ? "name" : "title");
  return json_is_string(v) ? json_string_value(v) : "";
}

void jb_rec_etag(const char *text, size_t len, char out[JB_REC_ETAG_SIZE]) {
  char hex[65];
  jb__sha256_hex(text, len, hex);
  snprintf(out, JB_REC_ETAG_SIZE, "\"%.32s\"", hex);
}
