/* SPDX-License-Identifier: GPL-3.0-or-later */
/* emsg.c: the engine's message catalogue, capture and rendering (emsg.h). */
#include "engine/emsg.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct {
  const char *code, *kinds, *en, *zh;
} EMSGS[JB_EM_COUNT] = {
#define JB_EM_ROW(ID, KINDS) [JB_EM_##ID] = {#ID, KINDS, EM_EN_##ID, EM_ZH_##ID},
    JB_EMSGS(JB_EM_ROW)
#undef JB_EM_ROW
};

int jb_emsg_count(void) {
  return JB_EM_COUNT;
}

const char *jb_emsg_code(int id) {
  return id >= 0 && id < JB_EM_COUNT ? EMSGS[id].code : NULL;
}

int jb_emsg_of_code(const char *code) {
  for (int i = 0; code && i < JB_EM_COUNT; i++)
    if (!strcmp(EMSGS[i].code, code))
      return i;
  return JB_EM_NONE;
}

const char *jb_emsg_format(int id, int lang) {
  if (id < 0 || id >= JB_EM_COUNT)
    return NULL;
  return lang == JB_EMSG_ZH ? EMSGS[id].zh : EMSGS[id].en;
}

const char *jb_emsg_kinds(int id) {
  return id >= 0 && id < JB_EM_COUNT ? EMSGS[id].kinds : NULL;
}

/* ---- one conversion ------------------------------------------------------------------- */

typedef struct {
  int pos;         /* operand number (1-based) or 0 for the next one */
  char flags[8];   /* of "-+ #0", each once */
  int width, prec; /* -1 for none */
  int len;         /* 0 none, 'H' hh, 'h', 'l', 'L' ll, 'z', 'j', 't' */
  char conv;       /* d i u x X o s f F e E g G, or 0 for malformed */
  size_t n;        /* bytes of the conversion after the '%' */
} spec;

static int kind_of(char conv) {
  switch (conv) {
  case 'd':
  case 'i':
    return 'i';
  case 'u':
  case 'x':
  case 'X':
  case 'o':
    return 'u';
  case 's':
    return 's';
  case 'f':
  case 'F':
  case 'e':
  case 'E':
  case 'g':
  case 'G':
    return 'f';
  default:
    return 0;
  }
}

/* parses the conversion at p (just after a '%' that is not "%%") */
static spec parse_spec(const char *p) {
  spec s = {0, "", -1, -1, 0, 0, 0};
  size_t i = 0;
  /* an operand number: digits then '$' */
  size_t k = 0;
  int num = 0;
  while (p[k] >= '0' && p[k] <= '9' && k < 3)
    num = num * 10 + (p[k++] - '0');
  if (k && p[k] == '$' && num > 0) {
    s.pos = num;
    i = k + 1;
  }
  size_t nf = 0;
  while (p[i] && strchr("-+ #0", p[i])) {
    if (!strchr(s.flags, p[i]) && nf < sizeof s.flags - 1) {
      s.flags[nf++] = p[i];
      s.flags[nf] = '\0';
    }
    i++;
  }
  if (p[i] >= '0' && p[i] <= '9') {
    s.width = 0;
    while (p[i] >= '0' && p[i] <= '9') {
      if (s.width < 100000)
        s.width = s.width * 10 + (p[i] - '0');
      i++;
    }
  }
  if (p[i] == '.') {
    i++;
    s.prec = 0;
    while (p[i] >= '0' && p[i] <= '9') {
      if (s.prec < 100000)
        s.prec = s.prec * 10 + (p[i] - '0');
      i++;
    }
  }
  if (p[i] == 'h' && p[i + 1] == 'h')
    s.len = 'H', i += 2;
  else if (p[i] == 'l' && p[i + 1] == 'l')
    s.len = 'L', i += 2;
  else if (p[i] && strchr("hlzjt", p[i]))
    s.len = p[i++];
  if (p[i] && kind_of(p[i])) {
    s.conv = p[i++];
    /* a string takes no length modifier; a double only none or 'l' */
    if ((s.conv == 's' && s.len) || (kind_of(s.conv) == 'f' && s.len && s.len != 'l'))
      s.conv = 0;
  }
  s.n = i;
  return s;
}

int jb_emsg_format_kinds(const char *fmt, char *kinds, size_t cap) {
  char k[JB_EMSG_MAX_ARGS] = {0};
  int n = 0, seq = 0, positional = -1;
  if (!fmt)
    return -1;
  for (const char *p = fmt; *p; p++) {
    if (*p != '%')
      continue;
    if (p[1] == '%') {
      p++;
      continue;
    }
    spec s = parse_spec(p + 1);
    if (!s.conv)
      return -1;
    int pos = s.pos ? s.pos : ++seq;
    if (positional >= 0 && positional != (s.pos != 0))
      return -1;
    positional = s.pos != 0;
    if (pos > JB_EMSG_MAX_ARGS)
      return -1;
    int kd = kind_of(s.conv);
    if (k[pos - 1] && k[pos - 1] != kd)
      return -1;
    k[pos - 1] = (char)kd;
    if (pos > n)
      n = pos;
    p += s.n;
  }
  for (int i = 0; i < n; i++)
    if (!k[i])
      return -1; /* a gap: %1$s and %3$s without %2$ */
  if ((size_t)n + 1 > cap)
    return -1;
  memcpy(kinds, k, (size_t)n);
  kinds[n] = '\0';
  return n;
}

/* ---- capture -------------------------------------------------------------------------- */

/* the length of the longest prefix of s[0..n) that ends on a UTF-8
 * boundary (drops a cut multi-byte sequence) */
static size_t utf8_cut(const char *s, size_t n) {
  size_t i = n;
  size_t back = 0;
  while (i > 0 && back < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
    i--;
    back++;
  }
  if (i == 0)
    return back ? 0 : n;
  unsigned char lead = (unsigned char)s[i - 1];
  size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (lead < 0x80)
    return n - back; /* stray continuation bytes after ASCII: drop them */
  return back + 1 >= need ? n : i - 1;
}

/* src copied into dst (cap bytes), cut on a character boundary: a cut
 * character at the end of src too ("%.60s" of a caller) goes */
static void copy_cut(char *dst, size_t cap, const char *src) {
  size_t n = strlen(src);
  n = utf8_cut(src, n < cap ? n : cap - 1);
  memcpy(dst, src, n);
  dst[n] = '\0';
}

void jb_emsg_clear(jb_emsg *m) {
  if (!m)
    return;
  m->id = JB_EM_NONE;
  m->field[0] = '\0';
  m->nargs = 0;
}

void jb_emsg_vset(jb_emsg *m, const char *field, int id, va_list ap) {
  jb_emsg_clear(m);
  const char *fmt = jb_emsg_format(id, JB_EMSG_EN);
  if (!m || !fmt)
    return;
  m->id = id;
  copy_cut(m->field, sizeof m->field, field ? field : "");
  for (const char *p = fmt; *p && m->nargs < JB_EMSG_MAX_ARGS; p++) {
    if (*p != '%')
      continue;
    if (p[1] == '%') {
      p++;
      continue;
    }
    spec s = parse_spec(p + 1);
    if (!s.conv) /* the catalogue's test keeps this from happening */
      break;
    struct jb_emsg_arg *a = &m->arg[m->nargs++];
    a->kind = (char)kind_of(s.conv);
    a->i = 0;
    a->u = 0;
    a->f = 0;
    a->s[0] = '\0';
    if (a->kind == 's') {
      const char *v = va_arg(ap, const char *);
      copy_cut(a->s, sizeof a->s, v ? v : "(null)");
    } else if (a->kind == 'f') {
      a->f = va_arg(ap, double);
    } else if (a->kind == 'i') {
      switch (s.len) {
      case 'l':
        a->i = va_arg(ap, long);
        break;
      case 'L':
        a->i = va_arg(ap, long long);
        break;
      case 'z':
        a->i = (long long)va_arg(ap, size_t);
        break;
      case 'j':
        a->i = (long long)va_arg(ap, intmax_t);
        break;
      case 't':
        a->i = (long long)va_arg(ap, ptrdiff_t);
        break;
      default:
        a->i = va_arg(ap, int);
      }
    } else {
      switch (s.len) {
      case 'l':
        a->u = va_arg(ap, unsigned long);
        break;
      case 'L':
        a->u = va_arg(ap, unsigned long long);
        break;
      case 'z':
        a->u = va_arg(ap, size_t);
        break;
      case 'j':
        a->u = (unsigned long long)va_arg(ap, uintmax_t);
        break;
      case 't':
        a->u = (unsigned long long)va_arg(ap, ptrdiff_t);
        break;
      default:
        a->u = va_arg(ap, unsigned);
      }
    }
    p += s.n;
  }
}

void jb_emsg_set(jb_emsg *m, const char *field, int id, ...) {
  va_list ap;
  va_start(ap, id);
  jb_emsg_vset(m, field, id, ap);
  va_end(ap);
}

int jb_emsg_set_strings(jb_emsg *m, const char *code, const char *const *args, int n) {
  jb_emsg_clear(m);
  int id = code ? jb_emsg_of_code(code) : JB_EM_NONE;
  const char *kinds = jb_emsg_kinds(id);
  if (!m || !kinds || n < 0 || n > JB_EMSG_MAX_ARGS || strlen(kinds) != (size_t)n ||
      strspn(kinds, "s") != (size_t)n)
    return -1;
  for (int i = 0; i < n; i++)
    if (!args[i])
      return -1;
  m->id = id;
  m->nargs = n;
  for (int i = 0; i < n; i++) {
    struct jb_emsg_arg *a = &m->arg[i];
    a->kind = 's';
    a->i = 0;
    a->u = 0;
    a->f = 0;
    copy_cut(a->s, sizeof a->s, args[i]);
  }
  return 0;
}

void jb_emsg_copy(jb_emsg *dst, const jb_emsg *src) {
  if (dst && src && dst != src)
    memcpy(dst, src, sizeof *dst);
}

const char *jb_emsg_item(char *buf, size_t cap, const char *name, size_t i) {
  if (cap)
    snprintf(buf, cap, "%s[%zu]", name ? name : "", i);
  return buf;
}

const char *jb_emsg_key(char *buf, size_t cap, const char *name, const char *key) {
  char k[64];
  copy_cut(k, sizeof k - 3, key ? key : "");
  if (cap) {
    snprintf(buf, cap, "%s.%s", name ? name : "", k);
    buf[utf8_cut(buf, strlen(buf))] = '\0';
  }
  return buf;
}

/* ---- rendering ------------------------------------------------------------------------ */

typedef struct {
  char *buf;
  size_t cap, n;
} out;

static void put(out *o, const char *s, size_t n) {
  if (!o->cap)
    return;
  size_t room = o->cap - 1 - o->n;
  if (n > room)
    n = utf8_cut(s, room); /* a full buffer never ends inside a character */
  memcpy(o->buf + o->n, s, n);
  o->n += n;
  o->buf[o->n] = '\0';
}

/* one argument as the conversion s says (a snprintf of one value) */
static void put_arg(out *o, const spec *s, const struct jb_emsg_arg *a) {
  char f[32], tmp[1200];
  int kd = kind_of(s->conv);
  if (kd != a->kind)
    return;
  int w = s->width > 100 ? 100 : s->width, pr = s->prec > 1000 ? 1000 : s->prec;
  int n = snprintf(f, sizeof f, "%%%s", s->flags);
  if (w >= 0)
    n += snprintf(f + n, sizeof f - (size_t)n, "%d", w);
  if (pr >= 0)
    n += snprintf(f + n, sizeof f - (size_t)n, ".%d", pr);
  if (kd == 'i' || kd == 'u')
    n += snprintf(f + n, sizeof f - (size_t)n, "ll");
  snprintf(f + n, sizeof f - (size_t)n, "%c", s->conv);
  int r;
  /* f is built above from a parsed conversion, for the one value passed */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  if (kd == 's')
    r = snprintf(tmp, sizeof tmp, f, a->s);
  else if (kd == 'f')
    r = snprintf(tmp, sizeof tmp, f, a->f);
  else if (kd == 'i')
    r = snprintf(tmp, sizeof tmp, f, a->i);
  else
    r = snprintf(tmp, sizeof tmp, f, a->u);
#pragma GCC diagnostic pop
  if (r < 0)
    return;
  size_t len = (size_t)r < sizeof tmp ? (size_t)r : utf8_cut(tmp, sizeof tmp - 1);
  if (kd == 's' && pr >= 0)
    len = utf8_cut(tmp, len); /* a precision may cut a character */
  put(o, tmp, len);
}

size_t jb_emsg_vformat(const char *fmt, const jb_emsg *m, char *buf, size_t cap) {
  out o = {buf, cap, 0};
  if (cap)
    buf[0] = '\0';
  if (!fmt || !cap)
    return 0;
  int seq = 0;
  const char *p = fmt;
  while (*p) {
    const char *q = strchr(p, '%');
    size_t lit = q ? (size_t)(q - p) : strlen(p);
    put(&o, p, lit);
    p += lit;
    if (!*p)
      break;
    if (p[1] == '%') {
      put(&o, "%", 1);
      p += 2;
      continue;
    }
    spec s = parse_spec(p + 1);
    p += 1 + s.n;
    if (!s.conv)
      continue; /* malformed: dropped */
    int pos = s.pos ? s.pos : ++seq;
    if (m && pos >= 1 && pos <= m->nargs && pos <= JB_EMSG_MAX_ARGS)
      put_arg(&o, &s, &m->arg[pos - 1]);
  }
  o.n = utf8_cut(buf, o.n);
  buf[o.n] = '\0';
  return o.n;
}

size_t jb_emsg_render(const jb_emsg *m, int lang, int with_field, char *buf, size_t cap) {
  if (cap)
    buf[0] = '\0';
  const char *fmt = m ? jb_emsg_format(m->id, lang) : NULL;
  if (!fmt || !cap)
    return 0;
  size_t n = 0;
  if (with_field && m->field[0]) {
    out o = {buf, cap, 0};
    if (lang == JB_EMSG_ZH)
      put(&o, "字段 ", strlen("字段 "));
    put(&o, m->field, strlen(m->field));
    put(&o, lang == JB_EMSG_ZH ? "：" : ": ", strlen(lang == JB_EMSG_ZH ? "：" : ": "));
    n = o.n;
  }
  if (n + 1 >= cap) {
    n = utf8_cut(buf, n);
    buf[n] = '\0';
    return n;
  }
  return n + jb_emsg_vformat(fmt, m, buf + n, cap - n);
}
