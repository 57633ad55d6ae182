/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_match.c: the matching commands — match (explained matches both ways)
 * and suggest (the vague-need assistant). */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/cli.h"
#include "engine/jiebang.h"
#include "engine/record.h"

/* the defaults, or FILE's weights over them (--weights); 0, or 1 after the
 * message naming the file and line */
static int load_weights(const char *path, jb_match_weights *w) {
  jb_match_weights_init(w);
  char err[512];
  if (path && jb_match_weights_load(w, path, err, sizeof err) != JB_OK) {
    jb_cli_error("%s", err);
    return 1;
  }
  return 0;
}

/* ---- match ---------------------------------------------------------------------- */

void jb_cli_match_help(FILE *out) {
  fprintf(out,
          "usage: jiebang match --challenge ID [--kind output|expert|org] [--limit N] [--json]\n"
          "                     [--explain-filtered] [--reciprocal]\n"
          "       jiebang match --expert ID | --org ID | --output ID [--limit N] [--json]\n"
          "                     [--reciprocal]\n\n"
          "Ranks the best research outputs, experts or organisations for a challenge, or\n"
          "the open challenges (published, deadline not passed) that an expert, org or\n"
          "output fits. Every match carries its explanation: the matched words per field,\n"
          "the need's character pairs it shares outside them (partial) and each\n"
          "feature's contribution (they add up to the score). See docs/matching.md.\n\n"
          "  --kind K             candidates for a challenge (default output)\n"
          "  --limit N            1..100 (default 10)\n"
          "  --json               {\"query\":{...},\"matches\":[{\"type\",\"id\",\"title\",\"score\",\n"
          "                       \"explanation\":{\"terms\":{...},\"features\":{...}}}]}\n"
          "  --explain-filtered   also list candidates a hard filter removed, and why\n"
          "  --reciprocal         also rank each match's other direction: the reciprocal\n"
          "                       score (harmonic mean of both directions' fit)\n"
          "  --weights FILE       feature weights (match.text = 0.5 ...; docs/matching.md)\n%s",
          jb_cli_data_help());
}

int jb_cli_match(int argc, char **argv) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'd'},
                                     {"challenge", required_argument, NULL, 'c'},
                                     {"expert", required_argument, NULL, 'e'},
                                     {"org", required_argument, NULL, 'o'},
                                     {"output", required_argument, NULL, 'u'},
                                     {"kind", required_argument, NULL, 'k'},
                                     {"limit", required_argument, NULL, 'l'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"explain-filtered", no_argument, NULL, 'x'},
                                     {"reciprocal", no_argument, NULL, 'r'},
                                     {"weights", required_argument, NULL, 'w'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  const char *dir = "var", *weights = NULL;
  jb_match_req req;
  jb_match_req_init(&req);
  const char *kind = NULL;
  int json = 0, opt, nsel = 0;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (opt) {
    case 'd': dir = optarg; break;
    case 'c': req.type = JB_REC_CHALLENGE; req.id = optarg; nsel++; break;
    case 'e': req.type = JB_REC_EXPERT; req.id = optarg; nsel++; break;
    case 'o': req.type = JB_REC_ORG; req.id = optarg; nsel++; break;
    case 'u': req.type = JB_REC_OUTPUT; req.id = optarg; nsel++; break;
    case 'k': kind = optarg; break;
    case 'j': json = 1; break;
    case 'x': req.explain_filtered = 1; break;
    case 'r': req.reciprocal = 1; break;
    case 'w': weights = optarg; break;
    case 'l': {
      char *end;
      long v = strtol(optarg, &end, 10);
      if (*end || v < 1 || v > 100) {
        jb_cli_error("--limit: '%s' is not a number from 1 to 100", optarg);
        return 2;
      }
      req.limit = (size_t)v;
      break;
    }
    case 'h': jb_cli_match_help(stdout); return 0;
    default: jb_cli_match_help(stderr); return 2;
    }
  }
  if (nsel != 1 || optind != argc) {
    jb_cli_error("match: name exactly one of --challenge, --expert, --org, --output");
    return 2;
  }
  if (kind && req.type != JB_REC_CHALLENGE) {
    jb_cli_error("match: --kind goes with --challenge");
    return 2;
  }
  if (kind && strcmp(kind, "output") && strcmp(kind, "expert") && strcmp(kind, "org")) {
    jb_cli_error("--kind: must be output, expert or org");
    return 2;
  }
  if (kind)
    req.kind = (jb_rec_type)jb_rec_type_of(kind);
  jb_match_weights w;
  if (load_weights(weights, &w) != 0)
    return 1;
  req.weights = &w;
  jb_engine *e = jb_cli_open(dir, 1);
  if (!e)
    return 1;
  char *out = NULL;
  int rc = jb_engine_match(e, &req, &out);
  if (rc != JB_OK) {
    jb_cli_error("%s", jb_engine_error(e)[0] ? jb_engine_error(e) : jb_strerror(rc));
  } else if (json) {
    puts(out);
  } else {
    json_t *j = json_loads(out, 0, NULL), *q = json_object_get(j, "query");
    printf("%s %s: %s\n", json_string_value(json_object_get(q, "type")),
           json_string_value(json_object_get(q, "id")), json_string_value(json_object_get(q, "title")));
    json_t *ms = json_object_get(j, "matches");
    for (size_t i = 0; i < json_array_size(ms); i++) {
      json_t *m = json_array_get(ms, i), *f = json_object_get(json_object_get(m, "explanation"), "features");
      printf("%2zu. %.3f  %-9s %-16s %s\n    ", i + 1, json_real_value(json_object_get(m, "score")),
             json_string_value(json_object_get(m, "type")), json_string_value(json_object_get(m, "id")),
             json_string_value(json_object_get(m, "title")));
      const char *k;
      json_t *v;
      json_object_foreach(f, k, v) {
        if (json_real_value(v) > 0)
          printf(" %s %.3f", k, json_real_value(v));
      }
      json_t *rp = json_object_get(m, "reciprocal");
      if (rp) {
        json_t *rk = json_object_get(rp, "other_rank");
        printf(" | reciprocal %.3f (other way %.3f, ", json_real_value(json_object_get(rp, "score")),
               json_real_value(json_object_get(rp, "other_way")));
        if (json_is_integer(rk))
          printf("rank %lld)", (long long)json_integer_value(rk));
        else
          printf("not in its top %d)", 50);
      }
      json_t *t = json_object_get(json_object_get(m, "explanation"), "terms");
      json_object_foreach(t, k, v) {
        printf(" | %s:", k);
        for (size_t x = 0; x < json_array_size(v); x++)
          printf(" %s", json_string_value(json_array_get(v, x)));
      }
      /* what it shares beyond whole words: the need's character pairs */
      json_t *pa = json_object_get(json_object_get(m, "explanation"), "partial");
      if (json_array_size(pa))
        printf(" | partial:");
      for (size_t x = 0; x < json_array_size(pa); x++)
        printf(" %s", json_string_value(json_array_get(pa, x)));
      /* reverse matching: which of the query's outputs and experts matched */
      json_t *ev = json_object_get(json_object_get(m, "explanation"), "evidence");
      for (size_t x = 0; x < json_array_size(ev); x++) {
        json_t *one = json_array_get(ev, x), *words = json_object_get(one, "terms");
        printf("\n     from %s %s:", json_string_value(json_object_get(one, "type")),
               json_string_value(json_object_get(one, "id")));
        for (size_t y = 0; y < json_array_size(words); y++)
          printf(" %s", json_string_value(json_array_get(words, y)));
      }
      /* across languages: the translations it shares */
      json_t *tr = json_object_get(json_object_get(m, "explanation"), "translated");
      for (size_t x = 0; x < json_array_size(tr); x++)
        printf("%s%s", x ? "; " : "\n     translated: ", json_string_value(json_array_get(tr, x)));
      putchar('\n');
    }
    json_t *fl = json_object_get(j, "filtered");
    for (size_t i = 0; i < json_array_size(fl); i++) {
      json_t *x = json_array_get(fl, i);
      printf("  filtered: %s %s (%s): %s\n", json_string_value(json_object_get(x, "type")),
             json_string_value(json_object_get(x, "id")), json_string_value(json_object_get(x, "title")),
             json_string_value(json_object_get(x, "filter")));
    }
    if (json_array_size(ms) == 0)
      printf("no match\n");
    json_decref(j);
  }
  free(out);
  jb_engine_close(e);
  return rc == JB_OK ? 0 : 1;
}

/* ---- suggest --------------------------------------------------------------------- */

void jb_cli_suggest_help(FILE *out) {
  fprintf(out,
          "usage: jiebang suggest --challenge ID [--limit N] [--json]\n\n"
          "The vague-need assistant: the technical terms (author keywords, and the words\n"
          "of keywords and titles) that the challenge's best-matching outputs share and\n"
          "the need lacks, most supported first (carriers, their ranks, how specific the\n"
          "term is), each with how many of the top 10 carry it and how the top 10 would\n"
          "change with it added to the keywords. Accepting a term is one change of the\n"
          "challenge's keywords (PATCH /v1/challenges/ID {\"keywords\": [...]}).\n\n"
          "  --challenge ID       the challenge\n"
          "  --limit N            1..50 suggestions (default 10)\n"
          "  --json               {\"challenge\",\"top\":[ids],\"suggestions\":[{\"term\",\n"
          "                       \"carried_by\",\"of\",\"outputs\",\"if_added\":{\"top\",\n"
          "                       \"enters\",\"leaves\"}}]}\n"
          "  --weights FILE       feature weights (docs/matching.md)\n"
          "%s",
          jb_cli_data_help());
}

int jb_cli_suggest(int argc, char **argv) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'd'},
                                     {"challenge", required_argument, NULL, 'c'},
                                     {"limit", required_argument, NULL, 'l'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"weights", required_argument, NULL, 'w'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  const char *dir = "var", *weights = NULL, *id = NULL;
  long limit = 10;
  int json = 0, opt;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (opt) {
    case 'd': dir = optarg; break;
    case 'c': id = optarg; break;
    case 'j': json = 1; break;
    case 'w': weights = optarg; break;
    case 'l': {
      char *end;
      limit = strtol(optarg, &end, 10);
      if (*end || limit < 1 || limit > 50) {
        jb_cli_error("--limit: '%s' is not a number from 1 to 50", optarg);
        return 2;
      }
      break;
    }
    case 'h': jb_cli_suggest_help(stdout); return 0;
    default: jb_cli_suggest_help(stderr); return 2;
    }
  }
  if (!id || optind != argc) {
    jb_cli_error("suggest: --challenge ID is required (and nothing else)");
    return 2;
  }
  jb_match_weights w;
  if (load_weights(weights, &w) != 0)
    return 1;
  jb_engine *e = jb_cli_open(dir, 1);
  if (!e)
    return 1;
  char *out = NULL;
  int rc = jb_engine_suggest(e, id, &w, (size_t)limit, &out);
  if (rc != JB_OK) {
    jb_cli_error("%s", jb_engine_error(e)[0] ? jb_engine_error(e) : jb_strerror(rc));
  } else if (json) {
    puts(out);
  } else {
    json_t *j = json_loads(out, 0, NULL), *ss = json_object_get(j, "suggestions");
    printf("challenge %s: %zu suggestion%s\n", id, json_array_size(ss),
           json_array_size(ss) == 1 ? "" : "s");
    for (size_t i = 0; i < json_array_size(ss); i++) {
      json_t *x = json_array_get(ss, i), *ia = json_object_get(x, "if_added");
      printf("%2zu. %s  carried by %lld of the top %lld; if added: %zu enter, %zu leave\n", i + 1,
             json_string_value(json_object_get(x, "term")),
             (long long)json_integer_value(json_object_get(x, "carried_by")),
             (long long)json_integer_value(json_object_get(x, "of")),
             json_array_size(json_object_get(ia, "enters")), json_array_size(json_object_get(ia, "leaves")));
    }
    json_decref(j);
  }
  free(out);
  jb_engine_close(e);
  return rc == JB_OK ? 0 : 1;
}
