/* SPDX-License-Identifier: GPL-3.0-or-later */
/* routes_table.c: the route table (routes.def) and what is derived from it:
 * the router, the labels of logs and metrics, `serve --routes`. jb__route
 * runs on the loop thread (pure). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "api/console.h"
#include "api/handlers.h"
#include "api/routes_table.h"
#include "api/server.h"
#include "engine/record.h"
#include "locale/jb_locale.h"

#define PARAMS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE ((const char *const[]){NULL})

const jb_route jb__routes[R_NROUTES] = {
#define ROUTE(ID, METHOD, PATTERN, HANDLER, LOOP, PARAMS_, ROLE, FLAGS, IDKIND)                \
  [R_##ID] = {METHOD, PATTERN, HANDLER, LOOP, PARAMS_, ROLE_##ROLE, FLAGS, IDKIND},
#include "api/routes.def"
#undef ROUTE
};

/* the collections, by record type (JB_REC_*) */
static const char *const COLLECTIONS[4] = {"orgs", "experts", "outputs", "challenges"};

static int collection(const char *s, size_t len) {
  for (int i = 0; i < 4; i++)
    if (strlen(COLLECTIONS[i]) == len && !memcmp(s, COLLECTIONS[i], len))
      return i;
  return -1;
}

static int hexv(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes one path segment into out (cap bytes): 0; 400 for what no path
 * takes (a bad escape, invalid UTF-8, NUL or another control character, an
 * encoded '/', a literal "." or ".."); 1 for a segment only the id of
 * DELETE /v1/{type}s/{id} takes: an encoded '\\', or "." or ".." written
 * with escapes — what the earlier id rule let into the store. */
static int segment(const char *s, size_t len, char *out, size_t cap) {
  size_t o = 0;
  int soft = 0, escaped = 0;
  for (size_t i = 0; i < len; i++) {
    char ch = s[i];
    if (ch == '%') {
      int h, l;
      if (i + 2 >= len || (h = hexv(s[i + 1])) < 0 || (l = hexv(s[i + 2])) < 0)
        return 400;
      ch = (char)(h * 16 + l);
      i += 2;
      escaped = 1;
      if (ch == '\\')
        soft = 1;
    } else if (ch == '\\') {
      return 400;
    }
    if (o + 1 >= cap)
      return 400;
    if ((unsigned char)ch < 0x20 || ch == 0x7f || ch == '/')
      return 400;
    out[o++] = ch;
  }
  out[o] = '\0';
  size_t bad;
  if (o == 0 || jb_utf8_validate(out, o, &bad) != JB_UTF8_OK)
    return 400;
  if (!strcmp(out, ".") || !strcmp(out, ".."))
    return escaped ? 1 : 400;
  return soft;
}

#define SEG_CAP (JB_ID_STORED_MAX_BYTES + 8)
/* the most segments a pattern has (/v1/challenges/{id}/applications/{org}/status) */
#define MAX_SEGS 6

/* Whether the decoded segments seg[0..n) fit r's pattern; fills *id_seg,
 * *step_seg (indexes, -1 for none). */
static int fits(const jb_route *r, char (*seg)[SEG_CAP], size_t n, int *id_seg, int *step_seg,
                int *org_seg) {
  const char *p = r->pattern + 1;
  size_t i = 0;
  *id_seg = *step_seg = *org_seg = -1;
  if (!*p) /* "/" takes no segment */
    return n == 0;
  while (*p) {
    const char *e = strchr(p, '/');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (i == n)
      return 0;
    if (len == 6 && !memcmp(p, "{type}", 6)) {
      if (collection(seg[i], strlen(seg[i])) < 0)
        return 0;
    } else if (len == 7 && !memcmp(p, "{party}", 7)) {
      int t = collection(seg[i], strlen(seg[i]));
      if (t < 0 || t == JB_REC_CHALLENGE)
        return 0;
    } else if (len == 4 && !memcmp(p, "{id}", 4)) {
      if (r->idkind == ID_RECORD &&
          jb_rec_check_id(seg[i], strlen(seg[i]), JB_ID_STORED, NULL, 0) != JB_OK)
        return 0;
      if (r->idkind == ID_SAVED && strlen(seg[i]) > 64)
        return 0;
      *id_seg = (int)i;
    } else if (len == 6 && !memcmp(p, "{step}", 6)) {
      *step_seg = (int)i;
    } else if (len == 5 && !memcmp(p, "{org}", 5)) { /* a second id: an org's */
      if (jb_rec_check_id(seg[i], strlen(seg[i]), JB_ID_STORED, NULL, 0) != JB_OK)
        return 0;
      *org_seg = (int)i;
    } else if (len == 6 && !memcmp(p, "{file}", 6)) {
      if (!jb_console_name_ok(seg[i])) /* the console's file names only */
        return 0;
      *id_seg = (int)i;
    } else if (strlen(seg[i]) != len || memcmp(seg[i], p, len)) {
      return 0;
    }
    i++;
    p += len;
    if (*p == '/')
      p++;
  }
  return i == n;
}

/* The route of the decoded segments seg[0..n). */
static int route_path(const char *method, char (*seg)[SEG_CAP], size_t n, jb_call *c,
                      const char **allow) {
  const char *m = !strcmp(method, "HEAD") ? "GET" : method;
  size_t al = 0;
  int any = 0;
  c->allow[0] = '\0';
  for (int r = 0; r < R_NROUTES; r++) {
    int id_seg, step_seg, org_seg;
    if (!fits(&jb__routes[r], seg, n, &id_seg, &step_seg, &org_seg))
      continue;
    any = 1;
    if (strcmp(jb__routes[r].method, m)) {
      const char *have = strstr(c->allow, jb__routes[r].method);
      size_t ml = strlen(jb__routes[r].method);
      if (!(have && (have[ml] == ',' || have[ml] == '\0')) && al + ml + 3 < sizeof c->allow)
        al += (size_t)snprintf(c->allow + al, sizeof c->allow - al, "%s%s", al ? ", " : "",
                               jb__routes[r].method);
      continue;
    }
    c->route = r;
    if (n >= 2)
      c->type = collection(seg[1], strlen(seg[1]));
    if (id_seg >= 0)
      snprintf(c->id, sizeof c->id, "%s", seg[id_seg]);
    if (step_seg >= 0)
      snprintf(c->step, sizeof c->step, "%.31s", seg[step_seg]);
    if (org_seg >= 0)
      snprintf(c->org, sizeof c->org, "%s", seg[org_seg]);
    return 0;
  }
  if (!any)
    return 404;
  *allow = c->allow;
  return 405;
}

int jb__route(const char *method, const char *path, jb_call *c, const char **allow) {
  char seg[MAX_SEGS][SEG_CAP];
  int soft[MAX_SEGS] = {0};
  size_t n = 0;
  c->route = -1;
  c->type = -1;
  c->id[0] = '\0';
  c->step[0] = '\0';
  c->org[0] = '\0';
  if (path[0] != '/')
    return 400;
  size_t pl = strlen(path);
  if (pl > 1 && path[pl - 1] == '/')
    return 404; /* "/v1/orgs/" is not "/v1/orgs" */
  const char *p = path + 1;
  int any_soft = 0;
  while (*p) {
    const char *e = strchr(p, '/');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (n == MAX_SEGS)
      return 404;
    if (len == 0)
      return 404; /* "//" or a trailing '/' */
    int st = segment(p, len, seg[n], sizeof seg[n]);
    if (st > 1)
      return st;
    any_soft |= soft[n] = st;
    n++;
    p += len;
    if (*p == '/')
      p++;
  }
  int st = route_path(method, seg, n, c, allow);
  /* an escaped '.', '..' or '\\' is a 400 everywhere but in the id of a
   * route marked F_LEGACY_ID (a record's DELETE), so that records stored
   * under the earlier id rule can be removed */
  if (any_soft && !(st == 0 && (jb__routes[c->route].flags & F_LEGACY_ID) && n == 3 && soft[2] &&
                    !soft[0] && !soft[1]))
    return 400;
  return st;
}

/* pattern with {type} or {party} spelled as collection t */
static const char *spell(const char *pattern, int t, char *buf, size_t cap) {
  const char *ph = strstr(pattern, "{type}");
  size_t phl = 6;
  if (!ph) {
    ph = strstr(pattern, "{party}");
    phl = 7;
  }
  if (!ph || t < 0 || t > 3) {
    snprintf(buf, cap, "%s", pattern);
    return buf;
  }
  snprintf(buf, cap, "%.*s%s%s", (int)(ph - pattern), pattern, COLLECTIONS[t], ph + phl);
  return buf;
}

const char *jb__route_label(int route, int type, char *buf, size_t cap) {
  if (route < 0 || route >= R_NROUTES) {
    snprintf(buf, cap, "unmatched");
    return buf;
  }
  return spell(jb__routes[route].pattern, type, buf, cap);
}


int jb__route_expensive(int route) {
  return route >= 0 && route < R_NROUTES && (jb__routes[route].flags & F_EXPENSIVE);
}

void jb_server_print_routes(FILE *out) {
  char buf[128];
  for (int r = 0; r < R_NROUTES; r++) {
    const char *p = jb__routes[r].pattern;
    int from = 0, to = 0; /* the record types the pattern spans */
    if (strstr(p, "{type}"))
      to = 3;
    else if (strstr(p, "{party}"))
      to = 2;
    else
      from = to = -1;
    static const char *const ROLES[] = {"any", "admin", "staff"};
    char params[256] = "", flags[64] = "";
    for (const char *const *q = jb__routes[r].params; *q; q++)
      snprintf(params + strlen(params), sizeof params - strlen(params), "%s%s", params[0] ? "," : "",
               *q);
    snprintf(flags, sizeof flags, "%s%s%s%s", jb__routes[r].flags & F_EXPENSIVE ? "expensive," : "",
             jb__routes[r].flags & F_LOOP ? "loop," : "",
             jb__routes[r].flags & F_STATIC ? "static," : "",
             jb__routes[r].flags & F_LEGACY_ID ? "legacy_id," : "");
    if (flags[0])
      flags[strlen(flags) - 1] = '\0';
    for (int t = from; t <= to; t++)
      fprintf(out, "%s %s %s %s %s\n", jb__routes[r].method, spell(p, t, buf, sizeof buf),
              params[0] ? params : "-", ROLES[jb__routes[r].role], flags[0] ? flags : "-");
  }
}
