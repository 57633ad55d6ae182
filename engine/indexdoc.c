/* SPDX-License-Identifier: GPL-3.0-or-later */
/* indexdoc.c: records → index documents, query text → index queries.
 *
 * The prefixes of the text fields and filters, what each holds and the text
 * fields' weights: the one table, engine/prefixes.h.
 * Confidential challenge fields are never indexed. */
#include "engine/indexdoc.h"
#include "engine/prefixes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/record.h"

uint32_t jb__u8_len(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

static int add_text(jb_mapper *m, jb_ixdoc *d, const char *field, const char *text,
                    unsigned weight, uint32_t off, int pinyin) {
  if (!text || !*text)
    return JB_OK;
  const jb_term *t;
  size_t n;
  int rc = jb_tokenize(m->tok, text, strlen(text), JB_TOK_INDEX | (pinyin ? JB_TOK_PINYIN : 0),
                       &t, &n);
  if (rc != JB_OK)
    return rc;
  if (n > m->convcap) {
    size_t cap = n * 2;
    jb_ix_term *c = realloc(m->conv, cap * sizeof *c);
    if (!c)
      return JB_ENOMEM;
    m->conv = c;
    m->convcap = cap;
  }
  size_t nw = 0, nb = n;
  for (size_t i = 0; i < n; i++) {
    jb_ix_term x = {t[i].text, t[i].len, t[i].pos, t[i].kind};
    if (t[i].kind == JB_TERM_BIGRAM)
      m->conv[--nb] = x;
    else
      m->conv[nw++] = x;
  }
  rc = jb_ixdoc_add_terms(d, field, m->conv, nw, weight, off);
  /* the characters of Han words, one recall family across all fields (U):
   * they match a need to a text across segmentation differences */
  size_t nu = 0;
  for (size_t i = 0; i < n && rc == JB_OK; i++) {
    if (t[i].kind != JB_TERM_WORD || t[i].script != JB_SCRIPT_HAN)
      continue;
    for (uint32_t k = 0; k < t[i].len;) {
      uint32_t cl = jb__u8_len((unsigned char)t[i].text[k]);
      if (nu == m->unicap) {
        size_t cap = m->unicap ? m->unicap * 2 : 256;
        jb_ix_term *u = realloc(m->uni, cap * sizeof *u);
        if (!u)
          return JB_ENOMEM;
        m->uni = u;
        m->unicap = cap;
      }
      m->uni[nu++] = (jb_ix_term){t[i].text + k, cl, t[i].pos, JB_IX_WORD};
      k += cl;
    }
  }
  if (rc == JB_OK && nu)
    rc = jb_ixdoc_add_terms(d, JB_PFX_UNIGRAM, m->uni, nu, weight, off);
  if (rc == JB_OK && nb < n)
    rc = jb_ixdoc_add_terms(d, JB_PFX_BIGRAM, m->conv + nb, n - nb, weight, off);
  return rc;
}

static const char *str(const json_t *rec, const char *key) {
  const json_t *v = json_object_get(rec, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* each string of a list field, 1000 positions apart */
static int add_list(jb_mapper *m, jb_ixdoc *d, const char *field, const json_t *arr,
                    unsigned weight, uint32_t base) {
  for (size_t i = 0; json_is_array(arr) && i < json_array_size(arr); i++) {
    const json_t *v = json_array_get(arr, i);
    int rc = add_text(m, d, field, json_is_string(v) ? json_string_value(v) : NULL, weight,
                      base + (uint32_t)i * 1000, 0);
    if (rc != JB_OK)
      return rc;
  }
  return JB_OK;
}

long jb__days_from_date(const char *ymd) {
  int y, mo, dd;
  if (sscanf(ymd, "%4d-%2d-%2d", &y, &mo, &dd) != 3)
    return 0;
  /* days from civil (Howard Hinnant's algorithm) */
  y -= mo <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int set_int(jb_ixdoc *d, unsigned slot, const json_t *v) {
  return json_is_integer(v) ? jb_ixdoc_set_number(d, slot, (double)json_integer_value(v)) : JB_OK;
}

static const unsigned REGION_LENS[] = {2, 4, 6};

/* the kind and region of the org behind a record, as XOK / XOR filters */
static int org_filters(jb_ixdoc *d, const json_t *org) {
  const char *s;
  int rc = JB_OK;
  if (org && (s = str(org, "kind")))
    rc = jb_ixdoc_add_filter(d, JB_PFX_ORG_KIND, s);
  if (rc == JB_OK && org && (s = str(org, "region")))
    rc = jb_ixdoc_add_filter_prefixes(d, JB_PFX_ORG_REGION, s, REGION_LENS, 3);
  return rc;
}

int jb__map_record(jb_mapper *m, int type, const json_t *rec, jb_ixdoc *d) {
  int rc = JB_OK;
  int named = type == JB_REC_ORG || type == JB_REC_EXPERT;
#define TRY(x)                                                                                   \
  do {                                                                                           \
    if ((rc = (x)) != JB_OK)                                                                     \
      return rc;                                                                                 \
  } while (0)
  TRY(add_text(m, d, JB_PFX_TITLE, jb_rec_title(rec), 3, 0, named));
  TRY(jb_ixdoc_add_filter(d, JB_PFX_TYPE, jb_rec_type_name(type)));
  const char *s;
  if ((s = str(rec, "kind")))
    TRY(jb_ixdoc_add_filter(d, JB_PFX_KIND, s));
  if ((s = str(rec, "org")))
    TRY(jb_ixdoc_add_filter(d, JB_PFX_ORG, s));
  if (type == JB_REC_ORG) {
    TRY(jb_ixdoc_add_filter(d, JB_PFX_ORG, json_string_value(json_object_get(rec, "id"))));
    TRY(org_filters(d, rec));
  } else if (s && m->load) {
    json_t *org = m->load(m->load_ctx, JB_REC_ORG, s);
    rc = org_filters(d, org);
    json_decref(org);
    if (rc != JB_OK)
      return rc;
  }
  if ((s = str(rec, "lang")))
    TRY(jb_ixdoc_add_filter(d, JB_PFX_LANG, s));
  if ((s = str(rec, "region"))) {
    TRY(jb_ixdoc_add_filter_prefixes(d, JB_PFX_REGION, s, REGION_LENS, 3));
  }
  const json_t *f = json_object_get(rec, "fields");
  for (size_t i = 0; json_is_array(f) && i < json_array_size(f); i++)
    TRY(jb_ixdoc_add_filter_path(d, JB_PFX_FIELD, json_string_value(json_array_get(f, i)),
                                 '/'));
  TRY(add_list(m, d, JB_PFX_KEYWORDS, json_object_get(rec, "keywords"), 2, 0));
  switch (type) {
  case JB_REC_ORG:
    TRY(add_text(m, d, JB_PFX_DESCRIPTION, str(rec, "description"), 1, 0, 0));
    TRY(add_list(m, d, JB_PFX_CREDENTIALS, json_object_get(rec, "credentials"), 1, 0));
    break;
  case JB_REC_EXPERT:
    TRY(add_text(m, d, JB_PFX_CREDENTIALS, str(rec, "title"), 1, 0, 0));
    TRY(add_text(m, d, JB_PFX_DESCRIPTION, str(rec, "bio"), 1, 0, 0));
    TRY(set_int(d, JB_SLOT_YEAR, json_object_get(rec, "active_year")));
    TRY(set_int(d, JB_SLOT_OUTPUTS, json_object_get(rec, "outputs_count")));
    break;
  case JB_REC_OUTPUT: {
    TRY(add_text(m, d, JB_PFX_DESCRIPTION, str(rec, "abstract"), 1, 0, 0));
    const json_t *ex = json_object_get(rec, "experts");
    for (size_t i = 0; json_is_array(ex) && i < json_array_size(ex); i++)
      TRY(jb_ixdoc_add_filter(d, JB_PFX_EXPERT, json_string_value(json_array_get(ex, i))));
    TRY(set_int(d, JB_SLOT_TRL, json_object_get(rec, "trl")));
    TRY(set_int(d, JB_SLOT_YEAR, json_object_get(rec, "year")));
    break;
  }
  case JB_REC_CHALLENGE: {
    TRY(add_text(m, d, JB_PFX_PROBLEM, str(rec, "problem"), 2, 0, 0));
    TRY(add_text(m, d, JB_PFX_DESCRIPTION, str(rec, "description"), 1, 0, 0));
    const json_t *ind = json_object_get(rec, "indicators");
    for (size_t i = 0; json_is_array(ind) && i < json_array_size(ind); i++) {
      const json_t *x = json_array_get(ind, i), *tg = json_object_get(x, "target");
      char buf[512], num[64] = "";
      if (json_is_number(tg))
        snprintf(num, sizeof num, "%g", json_number_value(tg));
      snprintf(buf, sizeof buf, "%s %s %s", str(x, "name") ? str(x, "name") : "",
               json_is_string(tg) ? json_string_value(tg) : num, str(x, "unit") ? str(x, "unit") : "");
      TRY(add_text(m, d, JB_PFX_INDICATORS, buf, 2, (uint32_t)i * 1000, 0));
    }
    s = str(rec, "status");
    TRY(jb_ixdoc_add_filter(d, JB_PFX_STATUS, s ? s : "draft"));
    const json_t *el = json_object_get(rec, "eligibility");
    const json_t *kinds = json_object_get(el, "org_kinds"), *regs = json_object_get(el, "regions");
    if (json_array_size(kinds) == 0)
      TRY(jb_ixdoc_add_filter(d, JB_PFX_ELIG_KIND, "any"));
    for (size_t i = 0; i < json_array_size(kinds); i++)
      TRY(jb_ixdoc_add_filter(d, JB_PFX_ELIG_KIND, json_string_value(json_array_get(kinds, i))));
    if (json_array_size(regs) == 0)
      TRY(jb_ixdoc_add_filter(d, JB_PFX_ELIG_REGION, "any"));
    for (size_t i = 0; i < json_array_size(regs); i++)
      TRY(jb_ixdoc_add_filter(d, JB_PFX_ELIG_REGION,
                              json_string_value(json_array_get(regs, i))));
    TRY(set_int(d, JB_SLOT_TRL, json_object_get(rec, "trl_target")));
    TRY(set_int(d, JB_SLOT_TRL_NOW, json_object_get(rec, "trl_now")));
    if ((s = str(rec, "deadline")))
      TRY(jb_ixdoc_set_number(d, JB_SLOT_DEADLINE, (double)jb__days_from_date(s)));
    const json_t *fu = json_object_get(json_object_get(rec, "funding"), "amount");
    if (json_is_number(fu))
      TRY(jb_ixdoc_set_number(d, JB_SLOT_FUNDING, json_number_value(fu)));
    break;
  }
  }
#undef TRY
  return JB_OK;
}

void jb__labels_free(char **labels, size_t n) {
  for (size_t i = 0; labels && i < n; i++)
    free(labels[i]);
  free(labels);
}

static int label(char ***labels, size_t *n, int idx, const char *text, size_t len) {
  if (idx < 0)
    return idx;
  if ((size_t)idx >= *n) {
    size_t cap = (size_t)idx + 16;
    char **l = realloc(*labels, cap * sizeof *l);
    if (!l)
      return JB_ENOMEM;
    memset(l + *n, 0, (cap - *n) * sizeof *l);
    *labels = l;
    *n = cap;
  }
  if (text && !(*labels)[idx] && !((*labels)[idx] = strndup(text, len)))
    return JB_ENOMEM;
  return JB_OK;
}

int jb__map_query(jb_mapper *m, const char *text, jb_ixquery *q, char ***labels,
                  size_t *nlabels) {
  *labels = NULL;
  *nlabels = 0;
  const jb_term *t;
  size_t n;
  int rc = jb_tokenize(m->tok, text, strlen(text), JB_TOK_INDEX, &t, &n);
  if (rc != JB_OK)
    return rc;
  static const struct {
    const char *f;
    double w;
  } fields[] = {{JB_PFX_TITLE, 1.0},      {JB_PFX_PROBLEM, 0.8},     {JB_PFX_KEYWORDS, 0.8},
                {JB_PFX_INDICATORS, 0.8}, {JB_PFX_DESCRIPTION, 0.6}, {JB_PFX_CREDENTIALS, 0.5}};
  for (size_t i = 0; i < n; i++) {
    if (t[i].kind == JB_TERM_BIGRAM) {
      rc = label(labels, nlabels,
                 jb_ixquery_add(q, JB_PFX_BIGRAM, JB_IX_BIGRAM, t[i].text, t[i].len, 0.3), NULL, 0);
      if (rc != JB_OK)
        return rc;
      continue;
    }
    double kw = t[i].kind == JB_TERM_WORD ? 1.0 : 0.5;
    if (t[i].kind == JB_TERM_WORD && t[i].script == JB_SCRIPT_LATIN) {
      /* a Latin word may be the pinyin of a name: 张伟 is found by "zhang wei" */
      int idx = jb_ixquery_add(q, JB_PFX_TITLE, JB_IX_PINYIN, t[i].text, t[i].len, 1.0);
      if ((rc = label(labels, nlabels, idx, t[i].text, t[i].len)) != JB_OK)
        return rc;
    }
    for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
      int idx = jb_ixquery_add(q, fields[f].f, t[i].kind, t[i].text, t[i].len, kw * fields[f].w);
      if ((rc = label(labels, nlabels, idx, t[i].text, t[i].len)) != JB_OK)
        return rc;
    }
  }
  return JB_OK;
}
