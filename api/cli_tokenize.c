/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_tokenize.c: `jiebang tokenize` — what the index sees of a text. */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/cli.h"
#include "engine/jb_text.h"

void jb_cli_tokenize_help(FILE *out) {
  fprintf(out,
          "usage: jiebang tokenize [OPTIONS] < TEXT\n\n"
          "Reads UTF-8 text on standard input and prints, for each input line, the\n"
          "terms the index gets for it: one term a line as TERM<TAB>KIND<TAB>POSITION,\n"
          "kinds word, bigram, stem, pinyin; a blank line ends each input line.\n\n"
          "options:\n"
          "  --words          print only the word segmentation, words separated by a\n"
          "                   space, punctuation included, one output line per input line\n"
          "  --normalize      print the normalised text (NFKC case folding and\n"
          "                   Traditional to Simplified), one line per input line\n"
          "  --json           one JSON object per input line:\n"
          "                   {\"line\":N,\"terms\":[{\"term\",\"kind\",\"script\",\"pos\"}]}\n"
          "  --pinyin         add toneless pinyin terms for Han words (slow)\n"
          "  --translate      print what the (normalised) text gives in the other\n"
          "                   language: SOURCE<TAB>TRANSLATION<TAB>ORIGIN per candidate\n"
          "                   (origin glossary or cedict; best first; Chinese spans to\n"
          "                   English and English spans to Chinese, in text order); a\n"
          "                   blank line ends each input line\n"
          "  --lexdir DIR     bilingual lexicon directory for --translate (glossary/*.tsv\n"
          "                   and cedict.u8; default: the installed one, else the\n"
          "                   source tree's data/lexicon)\n"
          "  --cedict FILE    CC-CEDICT file for --translate instead of DIR/cedict.u8;\n"
          "                   'none' for the glossary only\n"
          "  --lexicon FILE   main word-frequency list instead of the default\n"
          "                   (" JB_DEFAULT_LEXICON "); 'none' for ICU only\n"
          "  --user-dict FILE extra dictionary, \"word [freq]\" per line (repeatable)\n"
          "  --no-domain      do not load the shipped domain dictionary\n"
          "  --no-t2s         keep Traditional Chinese as it is\n"
          "  --no-regional    keep Taiwan words as they are (晶片 stays, not 芯片)\n"
          "  --no-variants    keep variant forms as they are (黏度 stays, not 粘度)\n"
          "  --word-bonus X   per-word credit on the Han path (default 2.0)\n"
          "  --oov-bound X    single characters standing alone in fewer than X of their\n"
          "                   lexicon occurrences join into unknown words (default\n"
          "                   0.25; 0 disables)\n"
          "  -h, --help       this text\n\n"
          "A line that is not valid UTF-8 is reported on stderr with its number and\n"
          "gives an empty output line; the exit status is then 1.\n");
}

static const char *kind_name(int k) {
  switch (k) {
  case JB_TERM_WORD:
    return "word";
  case JB_TERM_BIGRAM:
    return "bigram";
  case JB_TERM_STEM:
    return "stem";
  case JB_TERM_PINYIN:
    return "pinyin";
  }
  return "?";
}

static const char *script_name(int s) {
  static const char *const names[] = {"?", "han", "latin", "numeric", "other", "punct"};
  return s >= 1 && s <= 5 ? names[s] : "?";
}

enum { MODE_TERMS, MODE_WORDS, MODE_NORMALIZE, MODE_TRANSLATE };

/* --translate: the spans of one line, both directions, in text order */
typedef struct {
  size_t start, seq;
  char *line; /* "source<TAB>translation<TAB>origin" lines */
} tr_span;

typedef struct {
  const char *text;
  tr_span *v;
  size_t n, cap;
  int oom;
} tr_acc;

static int tr_collect(void *ud, const jb_xlex_span *sp) {
  tr_acc *a = ud;
  size_t need = 1;
  for (size_t i = 0; i < sp->ncand; i++)
    need += sp->len + sp->cand[i].len + 12;
  char *buf = malloc(need);
  if (buf && a->n == a->cap) {
    size_t nc = a->cap ? a->cap * 2 : 16;
    tr_span *nv = realloc(a->v, nc * sizeof *nv);
    if (nv) {
      a->v = nv;
      a->cap = nc;
    }
  }
  if (!buf || a->n == a->cap) {
    free(buf);
    a->oom = 1;
    return JB_ENOMEM;
  }
  size_t o = 0;
  for (size_t i = 0; i < sp->ncand; i++)
    o += (size_t)snprintf(buf + o, need - o, "%.*s\t%s\t%s\n", (int)sp->len, a->text + sp->start,
                          sp->cand[i].text,
                          sp->cand[i].origin == JB_XLEX_GLOSSARY ? "glossary" : "cedict");
  a->v[a->n] = (tr_span){sp->start, a->n, buf};
  a->n++;
  return JB_OK;
}

static int tr_cmp(const void *x, const void *y) {
  const tr_span *a = x, *b = y;
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* prints the translation of norm[0..len); returns JB_OK or an error */
static int tr_print(const jb_xlex *xl, const char *norm, size_t len) {
  tr_acc a = {norm, NULL, 0, 0, 0};
  int rc = jb_xlex_translate(xl, norm, len, JB_XLEX_ZH2EN, tr_collect, &a);
  if (rc == JB_OK)
    rc = jb_xlex_translate(xl, norm, len, JB_XLEX_EN2ZH, tr_collect, &a);
  if (rc == JB_OK && a.n)
    qsort(a.v, a.n, sizeof *a.v, tr_cmp);
  for (size_t i = 0; i < a.n; i++) {
    if (rc == JB_OK)
      fputs(a.v[i].line, stdout);
    free(a.v[i].line);
  }
  free(a.v);
  putchar('\n');
  return rc;
}

int jb_cli_tokenize(int argc, char **argv) {
  static const struct option longopts[] = {
      {"words", no_argument, NULL, 'w'},       {"normalize", no_argument, NULL, 'n'},
      {"json", no_argument, NULL, 'j'},        {"pinyin", no_argument, NULL, 'p'},
      {"lexicon", required_argument, NULL, 'l'}, {"user-dict", required_argument, NULL, 'u'},
      {"no-domain", no_argument, NULL, 'D'},   {"no-t2s", no_argument, NULL, 'T'},
      {"no-variants", no_argument, NULL, 'V'}, {"no-regional", no_argument, NULL, 'R'},
      {"word-bonus", required_argument, NULL, 'b'}, {"oov-bound", required_argument, NULL, 'o'},
      {"translate", no_argument, NULL, 't'}, {"lexdir", required_argument, NULL, 'L'},
      {"cedict", required_argument, NULL, 'C'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  const char *lexdir = NULL, *cedict = NULL;
  int mode = MODE_TERMS, json = 0, pinyin = 0, opt;
  jb_text_config cfg = {0};
  const char **user = calloc((size_t)argc + 1, sizeof *user);
  jb_tokenizer_opts topts;
  jb_tokenizer_opts_init(&topts);
  if (!user)
    return 1;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (opt) {
    case 'w':
      mode = MODE_WORDS;
      break;
    case 'n':
      mode = MODE_NORMALIZE;
      break;
    case 'j':
      json = 1;
      break;
    case 't':
      mode = MODE_TRANSLATE;
      break;
    case 'L':
      lexdir = optarg;
      break;
    case 'C':
      cedict = optarg;
      break;
    case 'p':
      pinyin = 1;
      break;
    case 'l':
      cfg.main_lexicon = optarg;
      break;
    case 'u':
      user[cfg.nuser++] = optarg;
      break;
    case 'D':
      cfg.no_domain = 1;
      break;
    case 'T':
      topts.t2s = 0;
      break;
    case 'V':
      topts.variants = 0;
      break;
    case 'R':
      topts.regional = 0;
      break;
    case 'b': {
      char *end;
      topts.word_bonus = strtod(optarg, &end);
      if (*end || !(topts.word_bonus >= 0 && topts.word_bonus < 100)) {
        jb_cli_error("--word-bonus: '%s' is not a number from 0 to 100", optarg);
        free(user);
        return 2;
      }
      break;
    }
    case 'o': {
      char *end;
      topts.oov_bound = strtod(optarg, &end);
      if (*end || !(topts.oov_bound >= 0 && topts.oov_bound <= 1)) {
        jb_cli_error("--oov-bound: '%s' is not a number from 0 to 1", optarg);
        free(user);
        return 2;
      }
      break;
    }
    case 'h':
      jb_cli_tokenize_help(stdout);
      free(user);
      return 0;
    default:
      jb_cli_tokenize_help(stderr);
      free(user);
      return 2;
    }
  }
  if (optind < argc) {
    jb_cli_error("tokenize: unexpected argument '%s' (text is read from standard input)",
                 argv[optind]);
    free(user);
    return 2;
  }
  cfg.user = user;
  char err[512];
  jb_lexicon *lx = NULL;
  jb_tokenizer *tok = NULL;
  int rc = jb_text_load_lexicon(&cfg, &lx, err, sizeof err);
  free(user);
  if (rc != JB_OK) {
    jb_cli_error("%s", err[0] ? err : jb_strerror(rc));
    return 1;
  }
  rc = jb_tokenizer_new(lx, &topts, &tok);
  if (rc != JB_OK) {
    jb_cli_error("cannot create the tokenizer: %s", jb_strerror(rc));
    jb_lexicon_free(lx);
    return 1;
  }
  jb_xlex *xl = NULL;
  if (mode == MODE_TRANSLATE) {
    int none = cedict && strcmp(cedict, "none") == 0;
    rc = jb_text_load_xlex(lexdir, none ? "" : cedict, &xl, err, sizeof err);
    if (rc != JB_OK) {
      jb_cli_error("--translate: %s", err[0] ? err : jb_strerror(rc));
      jb_tokenizer_free(tok);
      jb_lexicon_free(lx);
      return 1;
    }
    if (!none && !jb_xlex_has_cedict(xl))
      fprintf(stderr, "jiebang: notice: CC-CEDICT not found (run data/lexicon/fetch-cedict.sh); "
                      "translating with the glossary only\n");
  }
  unsigned what = mode == MODE_WORDS ? (JB_TOK_WORDS | JB_TOK_PUNCT) : JB_TOK_INDEX;
  if (pinyin)
    what |= JB_TOK_PINYIN;
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  unsigned long lineno = 0;
  int status = 0;
  while ((got = getline(&line, &cap, stdin)) >= 0) {
    lineno++;
    size_t len = jb_cli_chomp(line, (size_t)got, lineno);
    const jb_term *terms = NULL;
    size_t n = 0;
    const char *norm = NULL;
    size_t nlen = 0;
    rc = mode == MODE_NORMALIZE || mode == MODE_TRANSLATE ? jb_normalize(tok, line, len, &norm, &nlen)
                                : jb_tokenize(tok, line, len, what, &terms, &n);
    if (rc != JB_OK) {
      jb_cli_error("line %lu: %s", lineno, jb_tokenizer_error(tok));
      status = 1;
      n = 0;
      nlen = 0;
      norm = "";
      if (rc != JB_EUTF8 && rc != JB_ETOOBIG)
        break;
    }
    if (mode == MODE_TRANSLATE) {
      if (rc == JB_OK && (rc = tr_print(xl, norm, nlen)) != JB_OK) {
        jb_cli_error("line %lu: %s", lineno, jb_strerror(rc));
        status = 1;
        break;
      } else if (rc != JB_OK) {
        putchar('\n');
      }
    } else if (json) {
      json_t *o = json_object(), *arr = json_array();
      json_object_set_new(o, "line", json_integer((json_int_t)lineno));
      if (mode == MODE_NORMALIZE) {
        json_object_set_new(o, "text", json_stringn(norm, nlen));
        json_decref(arr);
      } else {
        for (size_t i = 0; i < n; i++) {
          json_t *e = json_object();
          json_object_set_new(e, "term", json_stringn(terms[i].text, terms[i].len));
          json_object_set_new(e, "kind", json_string(kind_name(terms[i].kind)));
          json_object_set_new(e, "script", json_string(script_name(terms[i].script)));
          json_object_set_new(e, "pos", json_integer(terms[i].pos));
          json_array_append_new(arr, e);
        }
        json_object_set_new(o, mode == MODE_WORDS ? "words" : "terms", arr);
      }
      if (rc != JB_OK)
        json_object_set_new(o, "error", json_string(jb_tokenizer_error(tok)));
      char *s = json_dumps(o, JSON_COMPACT);
      if (s)
        puts(s);
      free(s);
      json_decref(o);
    } else if (mode == MODE_NORMALIZE) {
      fwrite(norm, 1, nlen, stdout);
      putchar('\n');
    } else if (mode == MODE_WORDS) {
      for (size_t i = 0; i < n; i++) {
        if (i)
          putchar(' ');
        fwrite(terms[i].text, 1, terms[i].len, stdout);
      }
      putchar('\n');
    } else {
      for (size_t i = 0; i < n; i++)
        printf("%s\t%s\t%u\n", terms[i].text, kind_name(terms[i].kind), terms[i].pos);
      putchar('\n');
    }
  }
  free(line);
  jb_xlex_free(xl);
  jb_tokenizer_free(tok);
  jb_lexicon_free(lx);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    jb_cli_error("write error on standard output");
    status = 1;
  }
  return status;
}
