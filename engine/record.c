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

/* where a validation error goes: the English text (err, el; err may be
 * NULL) and the catalogue message (m; never NULL) */
typedef struct {
  char *err;
  size_t el;
  jb_emsg *m;
} vout;

static int verr(const vout *o, const char *field, int id, ...) {
  va_list ap;
  va_start(ap, id);
  jb_emsg_vset(o->m, field, id, ap);
  va_end(ap);
  if (o->err && o->el)
    jb_emsg_render(o->m, JB_EMSG_EN, 1, o->err, o->el);
  return JB_EINVAL;
}
#define VERR(o, field, ID, ...)                                                                 \
  (JB_EMSG_CHECK(ID, ##__VA_ARGS__), verr((o), (field), JB_EM_##ID, ##__VA_ARGS__))

static size_t u8chars(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

/* one-line string of 1..max characters without control characters */
static int check_str(const json_t *v, const char *f, long min, long max, const vout *o) {
  if (!json_is_string(v))
    return VERR(o, f, must_be_string);
  const char *s = json_string_value(v);
  size_t len = json_string_length(v), n = u8chars(s, len);
  if ((long)n < min)
    return min == 1 ? VERR(o, f, must_not_be_empty) : VERR(o, f, too_short);
  if ((long)n > max)
    return VERR(o, f, longer_than_chars, max);
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
      return VERR(o, f, control_char, i);
  if (jb_utf8_validate(s, len, NULL) != JB_UTF8_OK)
    return VERR(o, f, invalid_utf8);
  return JB_OK;
}

static int check_text(const json_t *v, const char *f, long max, const vout *o) {
  if (!json_is_string(v))
    return VERR(o, f, must_be_string);
  const char *s = json_string_value(v);
  size_t len = json_string_length(v);
  if ((long)u8chars(s, len) > max)
    return VERR(o, f, longer_than_chars, max);
  for (size_t i = 0; i < len; i++)
    if (((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r') ||
        s[i] == 0x7F)
      return VERR(o, f, control_char, i);
  return JB_OK;
}

static int check_int(const json_t *v, const char *f, long min, long max, const vout *o) {
  if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
    return VERR(o, f, int_range, min, max);
  return JB_OK;
}

static int check_enum(const json_t *v, const char *f, const char *const *e, const vout *o) {
  if (json_is_string(v))
    for (size_t i = 0; e[i]; i++)
      if (!strcmp(json_string_value(v), e[i]))
        return JB_OK;
  char list[256] = "";
  for (size_t i = 0; e[i]; i++) {
    strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
    strncat(list, e[i], sizeof list - strlen(list) - 1);
  }
  return VERR(o, f, one_of, list);
}

/* a field code: segments of [a-z0-9_-] joined by '/' */
static int check_code(const json_t *v, const char *f, const vout *o) {
  if (!json_is_string(v))
    return VERR(o, f, must_be_string);
  const char *s = json_string_value(v);
  size_t len = strlen(s);
  if (len < 1 || len > 64)
    return VERR(o, f, field_code_length);
  int seg = 0;
  for (size_t i = 0; i <= len; i++) {
    char c = s[i];
    if (c == '/' || c == '\0') {
      if (seg == 0)
        return VERR(o, f, not_field_code,
                    s);
      seg = 0;
    } else if (islower((unsigned char)c) || isdigit((unsigned char)c) || c == '_' || c == '-') {
      seg++;
    } else {
      return VERR(o, f, not_field_code, s);
    }
  }
  return JB_OK;
}

static int check_region(const json_t *v, const char *f, int prefix_ok, const vout *o) {
  if (!json_is_string(v))
    return VERR(o, f, must_be_digits);
  const char *s = json_string_value(v);
  size_t len = strlen(s);
  int ok = prefix_ok ? (len == 2 || len == 4 || len == 6) : len == 6;
  for (size_t i = 0; ok && i < len; i++)
    ok = isdigit((unsigned char)s[i]);
  if (!ok)
    return prefix_ok ? VERR(o, f, not_region_prefix, s) : VERR(o, f, not_region_code, s);
  return JB_OK;
}

static int check_date(const json_t *v, const char *f, const vout *o) {
  int y, m, d;
  char tail;
  if (!json_is_string(v) || strlen(json_string_value(v)) != 10 ||
      sscanf(json_string_value(v), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return VERR(o, f, must_be_date);
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
      (m == 2 && d == 29 && !leap))
    return VERR(o, f, not_valid_date, json_string_value(v));
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

static int check_id(const char *s, size_t len, int rule, const vout *o) {
  size_t max = rule == JB_ID_STORED ? JB_ID_STORED_MAX_BYTES : JB_ID_MAX_BYTES;
  if (!s || len == 0)
    return VERR(o, "id", must_not_be_empty);
  if (len > max)
    return VERR(o, "id", id_too_long, max, len);
  size_t bad;
  if (jb_utf8_validate(s, len, &bad) != JB_UTF8_OK)
    return VERR(o, "id", invalid_utf8_at, bad);
  for (size_t i = 0, n; i < len; i += n) {
    uint32_t c = u8decode((const unsigned char *)s + i, &n);
    if (c == '/')
      return VERR(o, "id", id_slash);
    if (c < 0x20 || c == 0x7F)
      return VERR(o, "id", control_char_u, (unsigned)c, i);
    if (rule == JB_ID_STORED)
      continue;
    if (c == '\\')
      return VERR(o, "id", id_backslash);
    if (jb_is_invisible(c))
      return VERR(o, "id", id_invisible,
                  (unsigned)c, i);
  }
  if (rule != JB_ID_STORED && ((len == 1 && s[0] == '.') || (len == 2 && !memcmp(s, "..", 2))))
    return VERR(o, "id", id_dots);
  return JB_OK;
}

int jb_rec_check_id(const char *s, size_t len, int rule, char *err, size_t el) {
  jb_emsg m;
  vout o = {err, el, &m};
  return check_id(s, len, rule, &o);
}

/* an id: a reference or the record's own, under the rule for new records */
static int check_id_str(const json_t *v, const char *f, const vout *o) {
  if (!json_is_string(v))
    return VERR(o, f, must_be_string);
  int rc = check_id(json_string_value(v), json_string_length(v), JB_ID_NEW, o);
  if (rc != JB_OK && strcmp(f, "id")) {
    /* name the field: "org: ..." rather than "id: ..." */
    snprintf(o->m->field, sizeof o->m->field, "%s", f);
    if (o->err && o->el)
      jb_emsg_render(o->m, JB_EMSG_EN, 1, o->err, o->el);
  }
  return rc;
}

static int add_ref(jb_rec_ref *refs, size_t *nrefs, int type, const json_t *v, const char *f,
                   const vout *o) {
  if (*nrefs >= JB_REC_MAX_REFS)
    return VERR(o, f, too_many_refs, JB_REC_MAX_REFS);
  refs[*nrefs].type = type;
  refs[*nrefs].id = json_string_value(v);
  snprintf(refs[*nrefs].field, sizeof refs[*nrefs].field, "%s", f);
  (*nrefs)++;
  return JB_OK;
}

/* checks that obj has only keys from `allowed` */
static int only_keys(const json_t *obj, const char *f, const char *const *allowed,
                     const vout *o) {
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)obj, k, v) {
    size_t i = 0;
    while (allowed[i] && strcmp(allowed[i], k))
      i++;
    if (!allowed[i])
      return VERR(o, f, unknown_field_named, k);
  }
  return JB_OK;
}

static int check_field(const fspec *s, const json_t *v, jb_rec_ref *refs, size_t *nrefs,
                       const vout *o) {
  const char *f = s->name;
  char sub[96];
  int rc = JB_OK;
  switch (s->kind) {
  case F_STR:
    return check_str(v, f, s->min, s->max, o);
  case F_TEXT:
    return check_text(v, f, s->max, o);
  case F_ENUM:
    return check_enum(v, f, s->enums, o);
  case F_INT:
    return check_int(v, f, s->min, s->max, o);
  case F_DATE:
    return check_date(v, f, o);
  case F_REGION:
    return check_region(v, f, 0, o);
  case F_URL:
    if ((rc = check_str(v, f, 1, s->max, o)) != JB_OK)
      return rc;
    if (strncmp(json_string_value(v), "http://", 7) && strncmp(json_string_value(v), "https://", 8))
      return VERR(o, f, must_be_url);
    return JB_OK;
  case F_LANG: {
    if (!json_is_string(v))
      return VERR(o, f, must_be_lang);
    const char *l = json_string_value(v);
    size_t n = strlen(l);
    int ok = n >= 2 && n <= 12;
    for (size_t i = 0; ok && i < n; i++)
      ok = isalpha((unsigned char)l[i]) || (l[i] == '-' && i > 0);
    return ok ? JB_OK : VERR(o, f, not_lang, l);
  }
  case F_REF:
    if ((rc = check_id_str(v, f, o)) != JB_OK)
      return rc;
    return add_ref(refs, nrefs, s->ref, v, f, o);
  case F_CODES:
  case F_STRS:
  case F_REFS: {
    if (!json_is_array(v))
      return VERR(o, f, must_be_list);
    long maxn = s->kind == F_STRS ? s->min : s->max;
    if ((long)json_array_size(v) > maxn)
      return VERR(o, f, too_many_items, maxn);
    for (size_t i = 0; i < json_array_size(v); i++) {
      snprintf(sub, sizeof sub, "%s[%zu]", f, i);
      const json_t *x = json_array_get(v, i);
      if (s->kind == F_CODES)
        rc = check_code(x, sub, o);
      else if (s->kind == F_STRS)
        rc = check_str(x, sub, 1, s->max, o);
      else if ((rc = check_id_str(x, sub, o)) == JB_OK)
        rc = add_ref(refs, nrefs, s->ref, x, sub, o);
      if (rc != JB_OK)
        return rc;
    }
    return JB_OK;
  }
  case F_IP: {
    static const char *const keys[] = {"number", "status", "licensing", NULL};
    if (!json_is_object(v))
      return VERR(o, f, must_be_ip);
    if ((rc = only_keys(v, f, keys, o)) != JB_OK)
      return rc;
    const json_t *x;
    if ((x = json_object_get(v, "number")) && (rc = check_str(x, "ip.number", 1, 64, o)))
      return rc;
    if ((x = json_object_get(v, "status")) &&
        (rc = check_enum(x, "ip.status", IP_STATUSES, o)))
      return rc;
    if ((x = json_object_get(v, "licensing")) &&
        (rc = check_text(x, "ip.licensing", 2000, o)))
      return rc;
    return JB_OK;
  }
  case F_INDICATORS: {
    static const char *const keys[] = {"name", "target", "unit", NULL};
    if (!json_is_array(v))
      return VERR(o, f, must_be_indicators);
    if ((long)json_array_size(v) > s->max)
      return VERR(o, f, too_many_items, s->max);
    for (size_t i = 0; i < json_array_size(v); i++) {
      const json_t *ind = json_array_get(v, i), *x;
      snprintf(sub, sizeof sub, "%s[%zu]", f, i);
      if (!json_is_object(ind))
        return VERR(o, sub, must_be_indicator);
      if ((rc = only_keys(ind, sub, keys, o)) != JB_OK)
        return rc;
      char g[128];
      snprintf(g, sizeof g, "%s.name", sub);
      if (!(x = json_object_get(ind, "name")))
        return VERR(o, g, is_required);
      if ((rc = check_str(x, g, 1, 200, o)) != JB_OK)
        return rc;
      snprintf(g, sizeof g, "%s.target", sub);
      if ((x = json_object_get(ind, "target"))) {
        if (json_is_number(x)) {
          if (!isfinite(json_number_value(x)))
            return VERR(o, g, must_be_finite);
        } else if ((rc = check_str(x, g, 1, 200, o)) != JB_OK) {
          return VERR(o, g, number_or_short_string);
        }
      }
      snprintf(g, sizeof g, "%s.unit", sub);
      /* a dimensionless indicator (AUC, KS, a ratio) has no unit: "" is
       * accepted and stored absent (jb_rec_canonical) */
      if ((x = json_object_get(ind, "unit")) && (rc = check_str(x, g, 0, 32, o)) != JB_OK)
        return rc;
    }
    return JB_OK;
  }
  case F_FUNDING: {
    static const char *const keys[] = {"amount", "currency", NULL};
    if (!json_is_object(v))
      return VERR(o, f, must_be_funding);
    if ((rc = only_keys(v, f, keys, o)) != JB_OK)
      return rc;
    char name[48];
    const json_t *x = json_object_get(v, "amount");
    snprintf(name, sizeof name, "%s.amount", f);
    if (!x || !json_is_number(x) || !(json_number_value(x) >= 0) ||
        json_number_value(x) > 1e13)
      return VERR(o, name, amount_range);
    x = json_object_get(v, "currency");
    snprintf(name, sizeof name, "%s.currency", f);
    if (x) {
      const char *c = json_is_string(x) ? json_string_value(x) : "";
      if (strlen(c) != 3 || !isupper((unsigned char)c[0]) || !isupper((unsigned char)c[1]) ||
          !isupper((unsigned char)c[2]))
        return VERR(o, name, must_be_currency);
    }
    return JB_OK;
  }
  case F_ELIG: {
    static const char *const keys[] = {"org_kinds", "max_members", "regions", NULL};
    if (!json_is_object(v))
      return VERR(o, f, must_be_eligibility);
    if ((rc = only_keys(v, f, keys, o)) != JB_OK)
      return rc;
    const json_t *x;
    if ((x = json_object_get(v, "org_kinds"))) {
      if (!json_is_array(x) || json_array_size(x) > 7)
        return VERR(o, "eligibility.org_kinds", must_be_org_kinds);
      for (size_t i = 0; i < json_array_size(x); i++) {
        snprintf(sub, sizeof sub, "eligibility.org_kinds[%zu]", i);
        if ((rc = check_enum(json_array_get(x, i), sub, ORG_KINDS, o)) != JB_OK)
          return rc;
      }
    }
    if ((x = json_object_get(v, "max_members")) &&
        (rc = check_int(x, "eligibility.max_members", 1, 50, o)) != JB_OK)
      return rc;
    if ((x = json_object_get(v, "regions"))) {
      if (!json_is_array(x) || json_array_size(x) > 100)
        return VERR(o, "eligibility.regions", must_be_region_prefixes);
      for (size_t i = 0; i < json_array_size(x); i++) {
        snprintf(sub, sizeof sub, "eligibility.regions[%zu]", i);
        if ((rc = check_region(json_array_get(x, i), sub, 1, o)) != JB_OK)
          return rc;
      }
    }
    return JB_OK;
  }
  case F_CONF: {
    if (!json_is_object(v) || json_object_size(v) > 50)
      return VERR(o, f, must_be_text_map);
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) {
      snprintf(sub, sizeof sub, "confidential.%.60s", k);
      if (strlen(k) < 1 || strlen(k) > 64)
        return VERR(o, sub, key_length);
      if ((rc = check_text(x, sub, 20000, o)) != JB_OK)
        return rc;
    }
    return JB_OK;
  }
  }
  return JB_OK;
}

int jb_rec_validate(const json_t *rec, int *type, jb_rec_ref *refs, size_t *nrefs, char *err,
                    size_t el) {
  return jb_rec_validate_m(rec, type, refs, nrefs, err, el, NULL);
}

int jb_rec_validate_m(const json_t *rec, int *type, jb_rec_ref *refs, size_t *nrefs, char *err,
                      size_t el, jb_emsg *msg) {
  jb_emsg tmp;
  vout ov = {err, el, msg ? msg : &tmp}, *o = &ov;
  jb_emsg_clear(ov.m);
  *nrefs = 0;
  if (!json_is_object(rec))
    return VERR(o, "record", must_be_object);
  const json_t *tv = json_object_get(rec, "type");
  if (!tv)
    return VERR(o, "type", is_required);
  int t = json_is_string(tv) ? jb_rec_type_of(json_string_value(tv)) : -1;
  if (t < 0)
    return VERR(o, "type", must_be_type);
  const json_t *id = json_object_get(rec, "id");
  if (!id)
    return VERR(o, "id", is_required);
  int rc = check_id_str(id, "id", o);
  if (rc != JB_OK)
    return rc;
  const fspec *spec = SPECS[t];
  const char *req = (t == JB_REC_ORG || t == JB_REC_EXPERT) ? "name" : "title";
  if (!json_object_get(rec, req))
    return VERR(o, req, is_required);
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)rec, k, v) {
    if (!strcmp(k, "type") || !strcmp(k, "id"))
      continue;
    const fspec *s = spec;
    while (s->name && strcmp(s->name, k))
      s++;
    if (!s->name)
      return t == JB_REC_CHALLENGE ? VERR(o, k, unknown_field_for_a, TYPE_NAMES[t])
                                   : VERR(o, k, unknown_field_for_an, TYPE_NAMES[t]);
    if ((rc = check_field(s, v, refs, nrefs, o)) != JB_OK)
      return rc;
  }
  if (t == JB_REC_CHALLENGE) {
    const json_t *a = json_object_get(rec, "trl_now"), *b = json_object_get(rec, "trl_target");
    if (a && b && json_integer_value(b) < json_integer_value(a))
      return VERR(o, "trl_target", trl_below);
  }
  *type = t;
  return JB_OK;
}

int jb_rec_parse(const char *text, size_t len, json_t **out, char *err, size_t el) {
  return jb_rec_parse_m(text, len, out, err, el, NULL);
}

int jb_rec_parse_m(const char *text, size_t len, json_t **out, char *err, size_t el,
                   jb_emsg *msg) {
  jb_emsg tmp;
  vout o = {err, el, msg ? msg : &tmp};
  jb_emsg_clear(o.m);
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
        VERR(&o, NULL, json_too_deep);
        return JB_ESYNTAX;
      }
    } else if (c == '}' || c == ']') {
      depth--;
    }
  }
  json_error_t je;
  json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!j) {
    /* jansson's text may quote the input's bytes: cut them on a character
     * boundary */
    VERR(&o, NULL, invalid_json, je.column, je.text);
    jb_utf8_clip(o.m->arg[1].s);
    if (err && el)
      jb_emsg_render(o.m, JB_EMSG_EN, 1, err, el);
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
