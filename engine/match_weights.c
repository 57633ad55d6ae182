/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match_weights.c: the weights of matching and their file (docs/matching.md,
 * "Weights"). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/match_int.h"

#include <ctype.h>
#include <errno.h>

void jb_match_weights_init(jb_match_weights *w) {
  w->text = 0.50;
  w->field = 0.20;
  w->trl = 0.10;
  w->region = 0.08;
  w->freshness = 0.07;
  w->track = 0.05;
  w->funding = 0.05;
  w->recall = 100;
  w->elite = 60;
  w->words = 0.5;
  w->stems = 0.5;
  w->bigrams = 1.0;
  w->unigrams = 1.0;
  w->expand = 0; /* off: +0.005 keyword task, 0 on needs, 2x the time */
  w->expand_docs = 3;
  w->expand_terms = 10;
  w->src_title = 3.0;
  w->src_indicators = 2.0;
  w->src_keywords = 2.0;
  w->src_problem = 1.5;
  w->src_description = 2.0; /* a long need's substance: docs/benchmarks.md, stop 32 */
  w->cascade = 1;
  w->recall_share = 0;
  w->specific = 1.0;
  w->cascade_elite = 40; /* as 60 on every set, a third less time at 100k */
  w->translate = 0.7; /* translated terms below the need's own words */
}

int jb_match_weights_load(jb_match_weights *w, const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return JB_EIO;
  }
  char line[512];
  int lineno = 0, rc = JB_OK;
  while (rc == JB_OK && fgets(line, sizeof line, f)) {
    lineno++;
    char *p = line;
    while (isspace((unsigned char)*p))
      p++;
    if (*p == '#' || *p == '\0')
      continue;
    char key[64];
    double v;
    char *end;
    char *eq = strchr(p, '=');
    if (!eq || sscanf(p, "%63[a-z._ ]", key) != 1) {
      snprintf(err, errlen, "%s:%d: expected 'key = value'", path, lineno);
      rc = JB_ESYNTAX;
      break;
    }
    for (char *k = key + strlen(key); k > key && k[-1] == ' '; k--)
      k[-1] = '\0';
    v = strtod(eq + 1, &end);
    while (isspace((unsigned char)*end))
      end++;
    if (end == eq + 1 || *end || !(v >= 0) || v > 1e6) {
      snprintf(err, errlen, "%s:%d: %s: value must be a number >= 0", path, lineno, key);
      rc = JB_ESYNTAX;
      break;
    }
    static const char *const names[] = {"match.text",   "match.field",     "match.trl",
                                         "match.region", "match.freshness", "match.track",
                                         "match.words",  "match.stems",     "match.bigrams",
                                         "match.unigrams", "match.expand",
                                         "match.source_title", "match.source_indicators",
                                         "match.source_keywords", "match.source_problem",
                                         "match.source_description", "match.funding",
                                         "match.cascade", "match.recall_share", "match.specific",
                                         "match.translate"};
    double *slots[] = {&w->text,          &w->field,          &w->trl,          &w->region,
                       &w->freshness,     &w->track,          &w->words,        &w->stems,
                       &w->bigrams,       &w->unigrams,       &w->expand,       &w->src_title,
                       &w->src_indicators, &w->src_keywords,  &w->src_problem,  &w->src_description,
                       &w->funding,       &w->cascade,        &w->recall_share,       &w->specific,
                       &w->translate};
    _Static_assert(sizeof names / sizeof *names == sizeof slots / sizeof *slots,
                   "a slot for every key");
    int known = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
      if (!strcmp(key, names[i])) {
        *slots[i] = v;
        known = 1;
      }
    /* whole-number keys with their ranges */
    static const struct {
      const char *name;
      long min, max;
    } ints[] = {{"match.elite", 0, 100000},
                {"match.cascade_elite", 0, 100000},
                {"match.recall", 10, 5000},
                {"match.expand_docs", 0, 50},
                {"match.expand_terms", 0, 100}};
    size_t *islots[] = {&w->elite, &w->cascade_elite, &w->recall, &w->expand_docs, &w->expand_terms};
    for (size_t i = 0; i < sizeof ints / sizeof *ints && rc == JB_OK; i++) {
      if (strcmp(key, ints[i].name))
        continue;
      if (v < (double)ints[i].min || v > (double)ints[i].max || v != floor(v)) {
        snprintf(err, errlen, "%s:%d: %s must be a whole number from %ld to %ld", path, lineno,
                 ints[i].name, ints[i].min, ints[i].max);
        rc = JB_ESYNTAX;
        break;
      }
      *islots[i] = (size_t)v;
      known = 1;
    }
    if (rc != JB_OK)
      break;
    if (!known) {
      snprintf(err, errlen, "%s:%d: unknown key '%s'", path, lineno, key);
      rc = JB_ESYNTAX;
    }
  }
  fclose(f);
  return rc;
}
