/* text.c: which lexicons the tokenizers get. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "common/jb_datadir.h"
#include "engine/jb_text.h"

const char *jb_text_domain_path(void) {
  static char path[4200];
  return jb_datafile("lexicon/domain.txt", path, sizeof path) ? path : "";
}

int jb_text_load_lexicon(const jb_text_config *cfg, jb_lexicon **out, char *err,
                         size_t errlen) {
  static const jb_text_config defaults = {0};
  if (!out)
    return JB_EINVAL;
  *out = NULL;
  if (!cfg)
    cfg = &defaults;
  jb_lexicon *lx;
  int rc = jb_lexicon_new(&lx);
  if (rc != JB_OK)
    return rc;
  const char *main_path = cfg->main_lexicon;
  if (!main_path) {
    if (access(JB_DEFAULT_LEXICON, R_OK) == 0)
      rc = jb_lexicon_load(lx, JB_DEFAULT_LEXICON, 1.0, err, errlen);
  } else if (*main_path && strcmp(main_path, "none") != 0) {
    rc = jb_lexicon_load(lx, main_path, 1.0, err, errlen);
  }
  if (rc == JB_OK && !cfg->no_domain)
    rc = jb_lexicon_load(lx, jb_text_domain_path(), JB_DOMAIN_DEFAULT_FREQ, err, errlen);
  for (size_t i = 0; rc == JB_OK && i < cfg->nuser; i++)
    rc = jb_lexicon_load(lx, cfg->user[i], JB_DOMAIN_DEFAULT_FREQ, err, errlen);
  if (rc != JB_OK) {
    jb_lexicon_free(lx);
    return rc;
  }
  *out = lx;
  return JB_OK;
}
