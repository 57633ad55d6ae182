/* SPDX-License-Identifier: GPL-3.0-or-later */
/* problem.c: the problem types table, RFC 9457 bodies, Accept-Language and
 * request ids (problem.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/logfmt.h"
#include "api/problem.h"

/* THE table of problem types: one per status the API answers */
static const jb_problem_type TYPES[] = {
    {400, "bad_request", "Bad request", "请求无效"},
    {401, "unauthorized", "Unauthorized", "未认证"},
    {403, "forbidden", "Forbidden", "无权访问"},
    {404, "not_found", "Not found", "未找到"},
    {405, "method_not_allowed", "Method not allowed", "不支持该方法"},
    {408, "request_timeout", "Request timeout", "请求超时"},
    {409, "conflict", "Conflict", "冲突"},
    {411, "length_required", "Length required", "需要 Content-Length"},
    {412, "precondition_failed", "Precondition failed", "前提条件不满足"},
    {413, "payload_too_large", "Payload too large", "请求体过大"},
    {414, "uri_too_long", "URI too long", "请求地址过长"},
    {415, "unsupported_media_type", "Unsupported media type", "不支持的媒体类型"},
    {422, "unprocessable", "Unprocessable content", "无法处理的内容"},
    {429, "too_many_requests", "Too many requests", "请求过多"},
    {431, "headers_too_large", "Request headers too large", "请求头过大"},
    {500, "internal", "Internal error", "内部错误"},
    {503, "unavailable", "Service unavailable", "服务暂不可用"},
};
static const jb_problem_type OTHER_4XX = {400, "error", "Error", "错误"};

const jb_problem_type *jb_problem_of_status(int status) {
  for (size_t i = 0; i < sizeof TYPES / sizeof *TYPES; i++)
    if (TYPES[i].status == status)
      return &TYPES[i];
  return status >= 500 ? &TYPES[sizeof TYPES / sizeof *TYPES - 2] : &OTHER_4XX;
}

size_t jb_problem_count(void) { return sizeof TYPES / sizeof *TYPES; }

const jb_problem_type *jb_problem_at(size_t i) {
  return i < sizeof TYPES / sizeof *TYPES ? &TYPES[i] : NULL;
}

/* errors parsed, when it is an array of objects with a string "detail" and,
 * when present, a string "field" and "code" */
static json_t *errors_array(const char *errors) {
  if (!errors)
    return NULL;
  json_t *a = json_loads(errors, JSON_REJECT_DUPLICATES, NULL);
  if (!json_is_array(a) || !json_array_size(a))
    goto bad;
  for (size_t i = 0; i < json_array_size(a); i++) {
    json_t *e = json_array_get(a, i);
    json_t *f = json_object_get(e, "field"), *k = json_object_get(e, "code");
    if (!json_is_object(e) || (f && !json_is_string(f)) || (k && !json_is_string(k)) ||
        !json_is_string(json_object_get(e, "detail")))
      goto bad;
  }
  return a;
bad:
  json_decref(a);
  return NULL;
}

char *jb_problem_json(int status, const char *code, const char *detail, const char *errors,
                      const char *request_id, jb_lang lang) {
  const jb_problem_type *t = jb_problem_of_status(status);
  const char *title = lang == JB_LANG_ZH ? t->title_zh : t->title_en;
  char *c = jb_utf8_repaired(code ? code : t->code), *d = jb_utf8_repaired(detail ? detail : title);
  char *rid = request_id && *request_id ? jb_utf8_repaired(request_id) : NULL;
  char *type = c ? malloc(strlen(JB_PROBLEM_BASE) + strlen(c) + 1) : NULL;
  json_t *p = NULL;
  if (c && d && type && (!request_id || !*request_id || rid)) {
    strcpy(type, JB_PROBLEM_BASE);
    strcat(type, c);
    p = json_pack("{s:s,s:s,s:i,s:s,s:s}", "type", type, "title", title, "status", status,
                  "detail", d, "code", c);
    json_t *errs = errors_array(errors);
    if (p && errs)
      json_object_set_new(p, "errors", errs);
    else
      json_decref(errs);
    if (p && rid)
      json_object_set_new(p, "request_id", json_string(rid));
    if (p)
      json_object_set_new(p, "error", json_pack("{s:s,s:s}", "code", c, "message", d));
  }
  char *out = p ? json_dumps(p, JSON_COMPACT) : NULL;
  json_decref(p);
  free(c);
  free(d);
  free(rid);
  free(type);
  return out;
}

/* ---- field paths ---------------------------------------------------------------------- */

size_t jb_detail_field(const char *d, char *buf, size_t cap) {
  /* a path: names of [a-z0-9_] joined by '.', each may end in [N] */
  size_t n = 0;
  int name = 0;
  while (d[n] && d[n] != ':') {
    char ch = d[n];
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')
      name = 1;
    else if (ch == '.' && name)
      name = 0;
    else if (ch == '[' && name) {
      size_t k = n + 1;
      while (d[k] >= '0' && d[k] <= '9')
        k++;
      if (k == n + 1 || d[k] != ']')
        return 0;
      n = k;
    } else
      return 0;
    n++;
  }
  if (!name || d[n] != ':' || d[n + 1] != ' ' || n >= cap)
    return 0;
  memcpy(buf, d, n);
  buf[n] = '\0';
  return n;
}

/* ---- Accept-Language ------------------------------------------------------------------ */

static int lower(int ch) { return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch; }

/* the range s[0..n) names lang ("zh", "zh-..."), or -2 for "*", -1 for
 * others */
static int range_lang(const char *s, size_t n) {
  if (n == 1 && s[0] == '*')
    return -2;
  if (n >= 2 && (n == 2 || s[2] == '-')) {
    if (lower(s[0]) == 'z' && lower(s[1]) == 'h')
      return JB_LANG_ZH;
    if (lower(s[0]) == 'e' && lower(s[1]) == 'n')
      return JB_LANG_EN;
  }
  return -1;
}

/* q of the parameters p[0..n) (";q=0.5"), 1000ths; -1 when malformed */
static int qvalue(const char *p, size_t n) {
  int q = 1000;
  size_t i = 0;
  while (i < n) {
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
      i++;
    if (i == n)
      break;
    if (p[i] != ';')
      return -1;
    i++;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
      i++;
    if (i + 1 < n && (p[i] == 'q' || p[i] == 'Q') && p[i + 1] == '=') {
      i += 2;
      if (i == n || (p[i] != '0' && p[i] != '1'))
        return -1;
      int whole = p[i++] - '0', frac = 0, digits = 0;
      if (i < n && p[i] == '.') {
        i++;
        while (i < n && p[i] >= '0' && p[i] <= '9' && digits < 3) {
          frac = frac * 10 + (p[i++] - '0');
          digits++;
        }
      }
      for (; digits < 3; digits++)
        frac *= 10;
      if (whole == 1 && frac)
        return -1;
      q = whole * 1000 + frac;
    } else { /* another parameter: skip it */
      while (i < n && p[i] != ';')
        i++;
    }
  }
  return q;
}

jb_lang jb_lang_accept(const char *h, jb_lang dflt) {
  if (!h)
    return dflt;
  int best = -1, best_q = 0;
  const char *p = h;
  while (*p) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    size_t a = 0;
    while (a < n && (p[a] == ' ' || p[a] == '\t'))
      a++;
    size_t b = a;
    while (b < n && p[b] != ';' && p[b] != ' ' && p[b] != '\t')
      b++;
    if (b > a) {
      int l = range_lang(p + a, b - a), q = qvalue(p + b, n - b);
      if (l == -2)
        l = (int)dflt;
      if (l >= 0 && q > best_q) {
        best = l;
        best_q = q;
      }
    }
    p += n;
    if (*p == ',')
      p++;
  }
  return best >= 0 ? (jb_lang)best : dflt;
}

int jb_request_id_ok(const char *s) {
  size_t n = 0;
  for (; s && s[n]; n++)
    if ((unsigned char)s[n] < 0x21 || (unsigned char)s[n] > 0x7e || n >= 128)
      return 0;
  return n > 0;
}

size_t jb_request_id_field(char *buf, size_t cap, const char *rid) {
  size_t n = 0;
  if (!rid || !*rid || cap < 20) {
    if (cap)
      buf[0] = '\0';
    return 0;
  }
  n = (size_t)snprintf(buf, cap, ",\"request_id\":\"");
  for (const char *p = rid; *p && n + 4 < cap; p++) {
    if (*p == '"' || *p == '\\')
      buf[n++] = '\\';
    buf[n++] = *p;
  }
  buf[n++] = '"';
  buf[n] = '\0';
  return n;
}
