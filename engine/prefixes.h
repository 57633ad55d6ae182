/* SPDX-License-Identifier: GPL-3.0-or-later */
/* prefixes.h: THE table of the index's term prefixes (the index vocabulary,
 * as notmuch's prefix table): every prefix a document gets
 * (engine/indexdoc.c) or a query or filter names (engine/search.c, the
 * matcher) comes from here, by name; tests/prefixes.sh checks that no
 * prefix literal is written anywhere else in engine/. Changing a prefix
 * changes the index: bump JB_MAP_VERSION (engine/indexdoc.h).
 *
 *   JB_PREFIXES(X): X(NAME, PREFIX, KIND, WHAT)
 *
 * NAME    JB_PFX_<NAME>, a constant string ("T")
 * PREFIX  the term prefix: text fields one capital letter (weighted, with
 *         positions), filters "X" and 1 to 3 capitals (boolean terms);
 *         "Q" (the unique id term) and "Z" (stems) belong to index/
 * KIND    TEXT or FILTER
 * WHAT    what the terms hold */
#ifndef JB_PREFIXES_H
#define JB_PREFIXES_H

#define JB_PREFIXES(X)                                                                             \
  /* text fields (wdf weight in indexdoc.c) */                                                     \
  X(TITLE, "T", TEXT, "title or name (x3), with pinyin for the names of orgs and experts")         \
  X(PROBLEM, "P", TEXT, "a challenge's problem (x2)")                                              \
  X(KEYWORDS, "K", TEXT, "keywords (x2)")                                                          \
  X(INDICATORS, "I", TEXT, "a challenge's indicators: name, target, unit (x2)")                    \
  X(DESCRIPTION, "D", TEXT, "description, abstract or bio (x1)")                                   \
  X(CREDENTIALS, "C", TEXT, "an org's credentials, an expert's job title (x1)")                    \
  X(BIGRAM, "G", TEXT, "the Han bigrams of every text field, each with its field's weight")        \
  X(UNIGRAM, "U", TEXT, "the characters of Han words of every text field (a recall family)")       \
  /* filters */                                                                                    \
  X(TYPE, "XT", FILTER, "the record type: org, expert, output, challenge")                         \
  X(STATUS, "XS", FILTER, "a challenge's status (draft when it has none)")                         \
  X(KIND, "XK", FILTER, "the record's kind")                                                       \
  X(REGION, "XR", FILTER, "the record's own region, as 2-, 4- and 6-digit prefixes")               \
  X(FIELD, "XF", FILTER, "field codes with their ancestors (ic/eda: ic, ic/eda)")                  \
  X(ORG, "XO", FILTER, "the record's org (an org: its own id)")                                    \
  X(EXPERT, "XE", FILTER, "an output's experts")                                                   \
  X(LANG, "XL", FILTER, "the record's language")                                                   \
  X(ORG_KIND, "XOK", FILTER, "the kind of the org behind the record (an org's own)")               \
  X(ORG_REGION, "XOR", FILTER, "the region prefixes of the org behind the record")                 \
  X(ELIG_KIND, "XEK", FILTER, "the org kinds a challenge admits (any when it sets none)")          \
  X(ELIG_REGION, "XER", FILTER, "the region prefixes a challenge admits (any when none)")

#define JB__PFX_CONST(name, prefix, kind, what)                                                    \
  static const char JB_PFX_##name[] __attribute__((unused)) = prefix;
JB_PREFIXES(JB__PFX_CONST)
#undef JB__PFX_CONST

#endif
