/* SPDX-License-Identifier: GPL-3.0-or-later */
/* translate.c: the bilingual lexicon (jb_xlex, jb_locale.h): our glossary
 * and CC-CEDICT loaded into two maps, zh -> en and en -> zh, and the
 * longest-match walk over a text that reports each source span with its
 * candidate translations. Pure C: no ICU, no OpenCC, never logs. */
#include "config.h"

#include <errno.h>
#include <sys/types.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locale/jb_locale.h"

#define XLEX_MAX_TEXT ((size_t)1 << 20)
#define XLEX_MAX_LINE ((size_t)1 << 16)
#define XLEX_MAX_CAND 32 /* candidates kept per source term, all origins */

typedef struct {
  char *key;
  jb_xlex_cand *cand;
  size_t ncand, cap;
  int glossary; /* the glossary has this term: CEDICT adds nothing */
} xentry;

typedef struct {
  xentry *slot; /* open addressing; key == NULL is empty */
  size_t cap, n;
  size_t maxlen; /* longest key: characters (zh) or words (en) */
} xmap;

/* a CEDICT lone character for an English key, held until the whole file is
 * read (it follows every multi-character candidate of its key) */
typedef struct {
  char *key;
  size_t nwords;
  char zh[8];
  size_t zn;
} lone_pair;

struct jb_xlex {
  xmap zh; /* Han term -> English */
  xmap en; /* folded English words -> Han */
  int cedict;
  lone_pair *lone; /* while loading CEDICT */
  size_t nlone, caplone;
  void *aux; /* the owner's (jb_xlex_set_aux) */
  void (*free_aux)(void *);
};

/* ---------------------------------------------------------------- helpers */

static void seterr(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || errlen == 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  jb_utf8_clip(err);
}

static uint64_t fnv(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

/* decodes one code point of valid UTF-8 at s[i], its length in *u */
static uint32_t dec(const char *s, size_t n, size_t i, size_t *u) {
  unsigned char c = (unsigned char)s[i];
  size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (i + k > n)
    k = n - i;
  uint32_t cp = k == 1 ? c : c & (0x7Fu >> k);
  for (size_t j = 1; j < k; j++)
    cp = cp << 6 | ((unsigned char)s[i + j] & 0x3Fu);
  *u = k;
  return cp;
}

static int is_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* ------------------------------------------------------------------ maps */

static void map_free(xmap *m) {
  for (size_t i = 0; i < m->cap; i++) {
    xentry *e = &m->slot[i];
    if (!e->key)
      continue;
    for (size_t k = 0; k < e->ncand; k++)
      free((char *)e->cand[k].text);
    free(e->cand);
    free(e->key);
  }
  free(m->slot);
  memset(m, 0, sizeof *m);
}

static xentry *map_find(const xmap *m, const char *key, size_t n) {
  if (m->cap == 0)
    return NULL;
  for (size_t i = fnv(key, n) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
    xentry *e = &m->slot[i];
    if (!e->key)
      return NULL;
    if (strlen(e->key) == n && memcmp(e->key, key, n) == 0)
      return e;
  }
}

static int map_grow(xmap *m) {
  size_t cap = m->cap ? m->cap * 2 : 1024;
  xentry *slot = calloc(cap, sizeof *slot);
  if (!slot)
    return JB_ENOMEM;
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->slot[i].key)
      continue;
    size_t j = fnv(m->slot[i].key, strlen(m->slot[i].key)) & (cap - 1);
    while (slot[j].key)
      j = (j + 1) & (cap - 1);
    slot[j] = m->slot[i];
  }
  free(m->slot);
  m->slot = slot;
  m->cap = cap;
  return JB_OK;
}

/* the entry for key (created when absent); units = its length in
 * characters or words, for maxlen */
static int map_get(xmap *m, const char *key, size_t n, size_t units, xentry **out) {
  xentry *e = map_find(m, key, n);
  if (!e) {
    if ((m->n + 1) * 2 > m->cap && map_grow(m) != JB_OK)
      return JB_ENOMEM;
    size_t i = fnv(key, n) & (m->cap - 1);
    while (m->slot[i].key)
      i = (i + 1) & (m->cap - 1);
    e = &m->slot[i];
    char *k = malloc(n + 1);
    if (!k)
      return JB_ENOMEM;
    memcpy(k, key, n);
    k[n] = '\0';
    e->key = k;
    m->n++;
    if (units > m->maxlen)
      m->maxlen = units;
  }
  *out = e;
  return JB_OK;
}

static int same_text(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
    if (x >= 'A' && x <= 'Z')
      x = (unsigned char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = (unsigned char)(y - 'A' + 'a');
    if (x != y)
      return 0;
  }
  return 1;
}

/* adds candidate text[0..n) of origin o to e: the glossary's replace
 * CEDICT's, CEDICT's are ignored where the glossary has the term, and a
 * candidate already there (ASCII case aside) is not added twice */
static int add_cand(xentry *e, const char *text, size_t n, jb_xlex_origin o, int lone) {
  if (o == JB_XLEX_CEDICT && e->glossary)
    return JB_OK;
  if (o == JB_XLEX_GLOSSARY && !e->glossary) {
    for (size_t k = 0; k < e->ncand; k++)
      free((char *)e->cand[k].text);
    e->ncand = 0;
    e->glossary = 1;
  }
  size_t same_origin = 0;
  for (size_t k = 0; k < e->ncand; k++) {
    if (e->cand[k].len == n && same_text(e->cand[k].text, text, n))
      return JB_OK;
    same_origin++;
  }
  if (e->ncand >= XLEX_MAX_CAND || (o == JB_XLEX_CEDICT && same_origin >= JB_XLEX_MAX_CEDICT))
    return JB_OK;
  if (e->ncand == e->cap) {
    size_t cap = e->cap ? e->cap * 2 : 2;
    jb_xlex_cand *c = realloc(e->cand, cap * sizeof *c);
    if (!c)
      return JB_ENOMEM;
    e->cand = c;
    e->cap = cap;
  }
  char *t = malloc(n + 1);
  if (!t)
    return JB_ENOMEM;
  memcpy(t, text, n);
  t[n] = '\0';
  double prior = o == JB_XLEX_GLOSSARY ? 1.0 : lone ? 0.3 : 0.5;
  for (size_t k = 0; k < e->ncand; k++)
    prior *= o == JB_XLEX_GLOSSARY ? 0.9 : 0.8;
  e->cand[e->ncand++] = (jb_xlex_cand){t, n, o, prior};
  return JB_OK;
}

/* ------------------------------------------------------- English folding */

/* the plural of a lower-case word folded to its singular, in place;
 * returns the new length */
static size_t fold_plural(char *w, size_t n) {
  if (n <= 3 || w[n - 1] != 's')
    return n;
  if (w[n - 2] == 's' || w[n - 2] == 'u' || w[n - 2] == 'i')
    return n; /* glass, process, status, analysis */
  if (n > 4 && memcmp(w + n - 3, "ies", 3) == 0) {
    w[n - 3] = 'y';
    return n - 2; /* batteries */
  }
  if (n > 4 && (memcmp(w + n - 4, "sses", 4) == 0 || memcmp(w + n - 4, "ches", 4) == 0 ||
                memcmp(w + n - 4, "shes", 4) == 0 || memcmp(w + n - 3, "xes", 3) == 0))
    return n - 2; /* processes, switches, boxes */
  return n - 1;
}

/* English function words (jb_en_function_word): pronouns, determiners,
 * auxiliaries and modals, conjunctions, prepositions. Alone they are never
 * looked up: CC-CEDICT reversed turns them into noise in a need (who ->
 * 世界卫生组织, can -> 罐头, will -> 遗嘱, may -> 五月, about -> 关于, does ->
 * 雌鹿), and what they mean is the same in every text. Sorted, for the
 * binary search. */
static const char *const stop[] = {
    "a", "about", "above", "after", "again", "against", "all", "also", "although", "am", "among",
    "an", "and", "another", "any", "are", "as", "at", "be", "because", "been", "before", "being",
    "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "done",
    "during", "each", "either", "else", "for", "from", "further", "had", "has", "have", "having",
    "he", "her", "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "may",
    "me", "might", "mine", "more", "must", "my", "neither", "no", "nor", "not", "of", "off", "on",
    "once", "only", "onto", "or", "other", "our", "ours", "out", "over", "per", "s", "same",
    "shall", "she", "should", "since", "so", "some", "such", "than", "that", "the", "their",
    "theirs", "them", "then", "there", "these", "they", "this", "those", "though", "through", "to",
    "too", "under", "unless", "until", "up", "upon", "us", "used", "very", "via", "was", "we",
    "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why",
    "will", "with", "within", "without", "would", "you", "your", "yours"};

static int stop_cmp(const void *k, const void *e) {
  return strcmp(k, *(const char *const *)e);
}

int jb_en_function_word(const char *w, size_t n) {
  char key[16];
  if (!w || n == 0 || n >= sizeof key)
    return 0;
  for (size_t i = 0; i < n; i++)
    key[i] = (w[i] >= 'A' && w[i] <= 'Z') ? (char)(w[i] - 'A' + 'a') : w[i];
  key[n] = '\0';
  if (memchr(key, '\0', n))
    return 0;
  return bsearch(key, stop, sizeof stop / sizeof *stop, sizeof *stop, stop_cmp) != NULL;
}

typedef struct {
  size_t start, end; /* byte span in the source text */
  size_t off, len;   /* the folded word in the fold buffer */
  int stop;          /* a function word, as written or folded ("does", not "doe") */
} eword;

/* splits s[0..n) into words, folding each into buf (lower case, singular,
 * words separated by one space); returns the number of words, at most max */
static size_t en_words(const char *s, size_t n, char *buf, eword *w, size_t max) {
  size_t nw = 0, o = 0;
  for (size_t i = 0; i < n && nw < max;) {
    if (!is_alnum((unsigned char)s[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && is_alnum((unsigned char)s[j]))
      j++;
    if (nw)
      buf[o++] = ' ';
    size_t b = o;
    for (size_t k = i; k < j; k++) {
      char c = s[k];
      buf[o++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    int as_written = jb_en_function_word(buf + b, o - b);
    o = b + fold_plural(buf + b, o - b);
    w[nw++] = (eword){i, j, b, o - b, as_written || jb_en_function_word(buf + b, o - b)};
    i = j;
  }
  buf[o] = '\0';
  return nw;
}

/* the folded key of an English term into a malloc'd NUL-terminated string,
 * its words in *nwords; NULL when it has no words (or on ENOMEM, then
 * *nwords = SIZE_MAX) */
static char *en_key(const char *s, size_t n, size_t *nwords) {
  eword *w = malloc((n / 2 + 1) * sizeof *w);
  char *buf = malloc(n * 2 + 2);
  if (!w || !buf) {
    free(w);
    free(buf);
    *nwords = SIZE_MAX;
    return NULL;
  }
  size_t nw = en_words(s, n, buf, w, n / 2 + 1);
  free(w);
  *nwords = nw;
  if (nw == 0) {
    free(buf);
    return NULL;
  }
  return buf;
}

/* ------------------------------------------------------------ loading */

typedef struct {
  FILE *f;
  char *line;
  size_t cap;
  size_t lineno;
} reader;

/* reads the next line without its newline into r->line; 1 = a line,
 * 0 = end, JB_EIO, JB_ETOOBIG */
static int next_line(reader *r, size_t *len) {
  ssize_t n = getline(&r->line, &r->cap, r->f);
  if (n < 0)
    return ferror(r->f) ? JB_EIO : 0;
  r->lineno++;
  if ((size_t)n > XLEX_MAX_LINE)
    return JB_ETOOBIG;
  while (n > 0 && (r->line[n - 1] == '\n' || r->line[n - 1] == '\r'))
    r->line[--n] = '\0';
  *len = (size_t)n;
  return 1;
}

static size_t han_count(const char *s, size_t n, int *all_han) {
  size_t c = 0;
  *all_han = n > 0;
  for (size_t i = 0, u; i < n; i += u) {
    uint32_t cp = dec(s, n, i, &u);
    if (!jb_is_han(cp))
      *all_han = 0;
    c++;
  }
  return c;
}

/* CEDICT's zh[0..n) can stand for an English term in a Chinese text: it
 * holds a Han character and nothing but Han, ASCII letters and digits and
 * the middle dot of names (卡拉OK, 卡尔·马克思): not a zhuyin spelling (ㄏㄤ
 * for hot), the placeholder □ (for cool), a proverb of two clauses or a
 * Latin abbreviation as it is (PK). The glossary, reviewed, is taken as
 * written (可逆加成-断裂链转移聚合). */
static int offerable(const char *zh, size_t n) {
  int han = 0;
  for (size_t i = 0, u; i < n; i += u) {
    uint32_t cp = dec(zh, n, i, &u);
    if (jb_is_han(cp))
      han = 1;
    else if (!(cp < 0x80 && is_alnum((unsigned char)cp)) && cp != 0xB7)
      return 0;
  }
  return han;
}

static int add_pair(jb_xlex *x, const char *zh, size_t zn, const char *en, size_t enn,
                    jb_xlex_origin o) {
  int all_han;
  size_t chars = han_count(zh, zn, &all_han);
  xentry *e;
  int rc;
  if (all_han && chars <= JB_XLEX_MAX_ZH) {
    if ((rc = map_get(&x->zh, zh, zn, chars, &e)) != JB_OK ||
        (rc = add_cand(e, en, enn, o, 0)) != JB_OK)
      return rc;
  }
  if (o == JB_XLEX_CEDICT && !offerable(zh, zn))
    return JB_OK;
  size_t nw;
  char *key = en_key(en, enn, &nw);
  if (!key)
    return nw == SIZE_MAX ? JB_ENOMEM : JB_OK;
  if (nw > JB_XLEX_MAX_EN || (nw == 1 && jb_en_function_word(key, strlen(key)))) {
    free(key);
    return JB_OK;
  }
  /* a lone character is ambiguous (铁 for iron, but also 烫 for to iron):
   * offered for an English word only after its multi-character candidates,
   * at a lower prior, when the whole file has been read */
  if (o == JB_XLEX_CEDICT && chars < 2) {
    if (!all_han || zn >= sizeof x->lone[0].zh) {
      free(key);
      return JB_OK;
    }
    if (x->nlone == x->caplone) {
      size_t cap = x->caplone ? x->caplone * 2 : 1024;
      lone_pair *l = realloc(x->lone, cap * sizeof *l);
      if (!l) {
        free(key);
        return JB_ENOMEM;
      }
      x->lone = l;
      x->caplone = cap;
    }
    lone_pair *l = &x->lone[x->nlone++];
    l->key = key;
    l->nwords = nw;
    memcpy(l->zh, zh, zn);
    l->zn = zn;
    return JB_OK;
  }
  rc = map_get(&x->en, key, strlen(key), nw, &e);
  free(key);
  if (rc == JB_OK)
    rc = add_cand(e, zh, zn, o, 0);
  return rc;
}

/* the lone characters held while CEDICT was read, after every other
 * candidate of their keys; frees the list */
static int add_lone(jb_xlex *x) {
  int rc = JB_OK;
  for (size_t i = 0; i < x->nlone; i++) {
    xentry *e;
    lone_pair *l = &x->lone[i];
    if (rc == JB_OK && (rc = map_get(&x->en, l->key, strlen(l->key), l->nwords, &e)) == JB_OK)
      rc = add_cand(e, l->zh, l->zn, JB_XLEX_CEDICT, 1);
    free(l->key);
  }
  free(x->lone);
  x->lone = NULL;
  x->nlone = x->caplone = 0;
  return rc;
}

static int load_glossary(jb_xlex *x, const char *path, char *err, size_t errlen) {
  reader r = {fopen(path, "r"), NULL, 0, 0};
  if (!r.f) {
    seterr(err, errlen, "%s: %s", path, strerror(errno));
    return JB_EIO;
  }
  int rc;
  size_t n;
  while ((rc = next_line(&r, &n)) == 1) {
    const char *l = r.line;
    if (jb_utf8_validate(l, n, NULL) != JB_UTF8_OK) {
      seterr(err, errlen, "%s:%zu: invalid UTF-8", path, r.lineno);
      rc = JB_EUTF8;
      break;
    }
    if (n == 0 || l[0] == '#')
      continue;
    const char *t1 = memchr(l, '\t', n);
    const char *t2 = t1 ? memchr(t1 + 1, '\t', n - (size_t)(t1 + 1 - l)) : NULL;
    if (!t1 || !t2 || t1 == l || t2 == t1 + 1 || t2 + 1 == l + n) {
      seterr(err, errlen, "%s:%zu: want zh<TAB>en<TAB>area[<TAB>note]", path, r.lineno);
      rc = JB_ESYNTAX;
      break;
    }
    if ((rc = add_pair(x, l, (size_t)(t1 - l), t1 + 1, (size_t)(t2 - t1 - 1),
                       JB_XLEX_GLOSSARY)) != JB_OK)
      break;
    rc = 1;
  }
  if (rc == JB_EIO)
    seterr(err, errlen, "%s:%zu: read error: %s", path, r.lineno + 1, strerror(errno));
  else if (rc == JB_ETOOBIG)
    seterr(err, errlen, "%s:%zu: line too long", path, r.lineno);
  else if (rc == JB_ENOMEM)
    seterr(err, errlen, "%s: out of memory", path);
  free(r.line);
  fclose(r.f);
  return rc == 0 ? JB_OK : rc;
}

static int has_prefix(const char *s, size_t n, const char *p) {
  size_t k = strlen(p);
  return n >= k && memcmp(s, p, k) == 0;
}

/* cleans one CEDICT gloss into out (at least n+1 bytes); returns its
 * length, 0 when the gloss is no translation to use */
static size_t clean_gloss(const char *g, size_t n, char *out) {
  static const char *const drop[] = {"variant of",  "old variant of", "see ",     "see also",
                                     "surname ",    "CL:",            "used in",  "abbr. for",
                                     "also written", "also pr.",      "pr. ",     "erhua variant",
                                     "Japanese variant", "Taiwan pr.", "(old)"};
  size_t o = 0;
  int depth = 0;
  for (size_t i = 0; i < n; i++) { /* drop parentheticals and [pinyin] / 字|字 references */
    char c = g[i];
    if (c == '(' || c == '[')
      depth++;
    else if ((c == ')' || c == ']') && depth > 0)
      depth--;
    else if (depth == 0)
      out[o++] = c;
  }
  size_t b = 0;
  while (b < o && out[b] == ' ')
    b++;
  while (o > b && (out[o - 1] == ' ' || out[o - 1] == ',' || out[o - 1] == ';'))
    o--;
  for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
    if (has_prefix(g, n, drop[i]) || has_prefix(out + b, o - b, drop[i]))
      return 0;
  static const char *const lead[] = {"to ", "a ", "an ", "the "};
  for (size_t i = 0; i < sizeof lead / sizeof *lead; i++)
    if (has_prefix(out + b, o - b, lead[i])) {
      b += strlen(lead[i]);
      break;
    }
  if (o <= b)
    return 0;
  int letters = 0;
  for (size_t i = b; i < o; i++) {
    if (out[i] == '|' || (unsigned char)out[i] >= 0x80)
      return 0; /* cross-references to Han, pinyin with tone marks */
    letters += (out[i] | 0x20) >= 'a' && (out[i] | 0x20) <= 'z';
  }
  if (!letters)
    return 0; /* "100%", "7", "50-50": a number is the same in both languages */
  size_t words = 1;
  for (size_t i = b; i < o; i++)
    words += out[i] == ' ';
  if (words > 6)
    return 0;
  memmove(out, out + b, o - b);
  out[o - b] = '\0';
  return o - b;
}

static int load_cedict(jb_xlex *x, const char *path, char *err, size_t errlen) {
  reader r = {fopen(path, "r"), NULL, 0, 0};
  if (!r.f) {
    seterr(err, errlen, "%s: %s", path, strerror(errno));
    return JB_EIO;
  }
  char *buf = NULL;
  size_t bufcap = 0;
  int rc;
  size_t n;
  while ((rc = next_line(&r, &n)) == 1) {
    const char *l = r.line;
    if (jb_utf8_validate(l, n, NULL) != JB_UTF8_OK) {
      seterr(err, errlen, "%s:%zu: invalid UTF-8", path, r.lineno);
      rc = JB_EUTF8;
      break;
    }
    if (n == 0 || l[0] == '#')
      continue;
    /* Trad SP Simp SP [pinyin] SP /g/g/ */
    const char *sp1 = memchr(l, ' ', n);
    const char *simp = sp1 ? sp1 + 1 : NULL;
    const char *sp2 = simp ? memchr(simp, ' ', n - (size_t)(simp - l)) : NULL;
    const char *rb = sp2 ? memchr(sp2, ']', n - (size_t)(sp2 - l)) : NULL;
    const char *sl = rb ? memchr(rb, '/', n - (size_t)(rb - l)) : NULL;
    if (!sp1 || sp1 == l || !sp2 || sp2 == simp || sp2[1] != '[' || !rb || !sl ||
        sl != rb + 2 || rb[1] != ' ' || l[n - 1] != '/' || sl == l + n - 1) {
      seterr(err, errlen, "%s:%zu: want Trad Simp [pin1 yin1] /gloss/", path, r.lineno);
      rc = JB_ESYNTAX;
      break;
    }
    size_t sn = (size_t)(sp2 - simp);
    if (bufcap < n + 1) {
      char *nb = realloc(buf, n + 1);
      if (!nb) {
        rc = JB_ENOMEM;
        break;
      }
      buf = nb;
      bufcap = n + 1;
    }
    rc = JB_OK;
    for (const char *g = sl + 1; g < l + n && rc == JB_OK;) {
      const char *e = memchr(g, '/', (size_t)(l + n - g));
      if (!e)
        break;
      for (const char *p = g; p < e && rc == JB_OK;) { /* senses within a gloss: "a; b" */
        const char *q = memchr(p, ';', (size_t)(e - p));
        if (!q)
          q = e;
        size_t cn = clean_gloss(p, (size_t)(q - p), buf);
        if (cn)
          rc = add_pair(x, simp, sn, buf, cn, JB_XLEX_CEDICT);
        p = q + 1;
      }
      g = e + 1;
    }
    if (rc != JB_OK)
      break;
    rc = 1;
  }
  if (rc == JB_EIO)
    seterr(err, errlen, "%s:%zu: read error: %s", path, r.lineno + 1, strerror(errno));
  else if (rc == JB_ETOOBIG)
    seterr(err, errlen, "%s:%zu: line too long", path, r.lineno);
  else if (rc == JB_ENOMEM)
    seterr(err, errlen, "%s: out of memory", path);
  free(buf);
  free(r.line);
  fclose(r.f);
  return rc == 0 ? JB_OK : rc;
}

int jb_xlex_open(jb_xlex **out, const char *const *glossary, size_t nglossary,
                 const char *cedict, char *err, size_t errlen) {
  if (err && errlen)
    err[0] = '\0';
  if (!out)
    return JB_EINVAL;
  *out = NULL;
  if (nglossary > 0 && !glossary)
    return JB_EINVAL;
  for (size_t i = 0; i < nglossary; i++)
    if (!glossary[i])
      return JB_EINVAL;
  jb_xlex *x = calloc(1, sizeof *x);
  if (!x)
    return JB_ENOMEM;
  int rc = JB_OK;
  for (size_t i = 0; i < nglossary && rc == JB_OK; i++)
    rc = load_glossary(x, glossary[i], err, errlen);
  if (rc == JB_OK && cedict) {
    rc = load_cedict(x, cedict, err, errlen);
    int lrc = add_lone(x); /* frees the held characters on error too */
    if (rc == JB_OK)
      rc = lrc;
    x->cedict = rc == JB_OK;
  }
  if (rc != JB_OK) {
    jb_xlex_free(x);
    return rc;
  }
  *out = x;
  return JB_OK;
}

void jb_xlex_free(jb_xlex *x) {
  if (!x)
    return;
  map_free(&x->zh);
  map_free(&x->en);
  if (x->aux && x->free_aux)
    x->free_aux(x->aux);
  free(x);
}

void jb_xlex_set_aux(jb_xlex *x, void *aux, void (*free_aux)(void *)) {
  if (!x)
    return;
  if (x->aux && x->free_aux && x->aux != aux)
    x->free_aux(x->aux);
  x->aux = aux;
  x->free_aux = free_aux;
}

void *jb_xlex_aux(const jb_xlex *x) { return x ? x->aux : NULL; }

size_t jb_xlex_size(const jb_xlex *x, jb_xlex_dir dir) {
  if (!x)
    return 0;
  return dir == JB_XLEX_ZH2EN ? x->zh.n : dir == JB_XLEX_EN2ZH ? x->en.n : 0;
}

int jb_xlex_has_cedict(const jb_xlex *x) { return x && x->cedict; }

/* ------------------------------------------------------------ matching */

static int emit(const xentry *e, size_t start, size_t len, jb_xlex_cb cb, void *ud) {
  jb_xlex_span sp = {start, len, e->key, e->cand, e->ncand};
  return cb(ud, &sp);
}

static int walk_zh(const jb_xlex *x, const char *s, size_t n, jb_xlex_cb cb, void *ud) {
  size_t maxc = x->zh.maxlen;
  for (size_t i = 0, u; i < n;) {
    uint32_t cp = dec(s, n, i, &u);
    if (!jb_is_han(cp)) {
      i += u;
      continue;
    }
    /* byte ends of up to maxc Han characters from i */
    size_t ends[JB_XLEX_MAX_ZH + 1], k = 0, j = i;
    while (k < maxc && j < n) {
      size_t v;
      uint32_t c = dec(s, n, j, &v);
      if (!jb_is_han(c))
        break;
      j += v;
      ends[++k] = j;
    }
    const xentry *hit = NULL;
    size_t hk = 0;
    for (; k >= 1 && !hit; k--) {
      const xentry *e = map_find(&x->zh, s + i, ends[k] - i);
      if (e && e->ncand && (k > 1 || e->glossary)) {
        hit = e;
        hk = k;
      }
    }
    if (hit) {
      int rc = emit(hit, i, ends[hk] - i, cb, ud);
      if (rc)
        return rc;
      i = ends[hk];
    } else {
      i += u;
    }
  }
  return JB_OK;
}

/* every one of the k words at w is a function word: a lone one (can, will,
 * may) or a run of them (and their -> 及其, as well as -> 以及, in order to)
 * says nothing of the need in the other language */
static int all_stop(const eword *w, size_t k) {
  for (size_t i = 0; i < k; i++)
    if (!w[i].stop)
      return 0;
  return 1;
}

static int walk_en(const jb_xlex *x, const char *s, size_t n, jb_xlex_cb cb, void *ud) {
  eword *w = malloc((n / 2 + 1) * sizeof *w);
  char *buf = malloc(n * 2 + 2);
  if (!w || !buf) {
    free(w);
    free(buf);
    return JB_ENOMEM;
  }
  size_t nw = en_words(s, n, buf, w, n / 2 + 1);
  size_t maxw = x->en.maxlen;
  int rc = JB_OK;
  for (size_t i = 0; i < nw && rc == JB_OK;) {
    const xentry *hit = NULL;
    size_t hk = 0;
    for (size_t k = nw - i < maxw ? nw - i : maxw; k >= 1 && !hit; k--) {
      size_t a = w[i].off, b = w[i + k - 1].off + w[i + k - 1].len;
      const xentry *e = map_find(&x->en, buf + a, b - a);
      if (e && e->ncand && !all_stop(w + i, k)) {
        hit = e;
        hk = k;
      }
    }
    if (hit) {
      rc = emit(hit, w[i].start, w[i + hk - 1].end - w[i].start, cb, ud);
      i += hk;
    } else {
      i++;
    }
  }
  free(w);
  free(buf);
  return rc;
}

int jb_xlex_translate(const jb_xlex *x, const char *text, size_t len, jb_xlex_dir dir,
                      jb_xlex_cb cb, void *ud) {
  if (!x || !cb || (!text && len) || (dir != JB_XLEX_ZH2EN && dir != JB_XLEX_EN2ZH))
    return JB_EINVAL;
  if (len > XLEX_MAX_TEXT)
    return JB_ETOOBIG;
  if (len == 0)
    return JB_OK;
  if (jb_utf8_validate(text, len, NULL) != JB_UTF8_OK)
    return JB_EUTF8;
  return dir == JB_XLEX_ZH2EN ? walk_zh(x, text, len, cb, ud) : walk_en(x, text, len, cb, ud);
}
