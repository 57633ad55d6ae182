/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jb_text.h: the text configuration of a jiebang process — which lexicons
 * the tokenizers use — composed from locale/ (which reads no configuration
 * itself). */
#ifndef JB_TEXT_H
#define JB_TEXT_H

#include <stddef.h>

#include "locale/jb_locale.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Frequency given to an entry of the domain and user dictionaries that
 * states none: high enough that a listed term beats its pieces. */
#define JB_DOMAIN_DEFAULT_FREQ 2000.0

typedef struct {
  const char *main_lexicon;  /* NULL: the configured default (python3-jieba's
                                dict.txt); "" or "none": no main lexicon */
  int no_domain;             /* 1: skip the shipped domain dictionary */
  const char *const *user;   /* extra dictionaries, loaded last */
  size_t nuser;
} jb_text_config;

/* Loads the lexicon described by `cfg` (NULL for the defaults) into a new
 * *out, owned by the caller (jb_lexicon_free). A missing default main lexicon
 * is not an error (Han text then falls back to ICU plus the domain list); a
 * missing file that was named explicitly is. Returns JB_OK or the error of
 * jb_lexicon_load(), with the message in err. */
int jb_text_load_lexicon(const jb_text_config *cfg, jb_lexicon **out, char *err,
                         size_t errlen);

/* The bilingual lexicon for cross-lingual matching (issue 15): every
 * glossary file (*.tsv, in name order) of LEXDIR/glossary and, when it is
 * readable, the CC-CEDICT file (cedict_path; NULL: LEXDIR/cedict.u8; "": none).
 * lexdir NULL: the installed pkgdatadir/lexicon when it has a glossary,
 * else the source tree's data/lexicon. A missing CEDICT is not an error
 * (check jb_xlex_has_cedict: cross-lingual matching then has the glossary
 * only); a cedict_path named explicitly and unreadable is. Returns JB_OK;
 * JB_ENOENT (no glossary file: err names the directory); or the error of
 * jb_xlex_open(), with the message in err. *out is the caller's
 * (jb_xlex_free); NULL on error. */
int jb_text_load_xlex(const char *lexdir, const char *cedict_path, jb_xlex **out, char *err,
                      size_t errlen);

/* Path of the shipped domain dictionary (installed copy, else the source
 * tree's data/lexicon/domain.txt). Static string. */
const char *jb_text_domain_path(void);

#ifdef __cplusplus
}
#endif
#endif
