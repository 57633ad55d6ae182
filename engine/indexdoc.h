/* SPDX-License-Identifier: GPL-3.0-or-later */
/* indexdoc.h: how a record becomes an index document and how query text
 * becomes an index query (internal to engine/). Change either and bump
 * JB_MAP_VERSION: the index generation then forces a rebuild. */
#ifndef JB_INDEXDOC_H
#define JB_INDEXDOC_H

#include <jansson.h>

#include "index/xapian_shim.h"
#include "locale/jb_locale.h"

#define JB_MAP_VERSION 4

/* value slots */
enum { JB_SLOT_TRL = 0, JB_SLOT_YEAR = 1, JB_SLOT_DEADLINE = 2, JB_SLOT_FUNDING = 3,
       JB_SLOT_TRL_NOW = 4, JB_SLOT_OUTPUTS = 5,
       /* the seq of the change that created the record (the store's created_seq) */
       JB_SLOT_CREATED = 6 };

typedef struct {
  jb_tokenizer *tok;
  jb_ix_term *conv, *uni;
  size_t convcap, unicap;
  /* loads a stored record (new reference, NULL when absent): the org of an
   * output or expert lends its kind and region to the document's filters */
  json_t *(*load)(void *ctx, int type, const char *id);
  void *load_ctx;
} jb_mapper;

/* Fills d from a validated record of type `type`.
 * Eligibility filters: XOK the kind and XOR the region prefixes of the org
 * behind a record (its own for an org, whose XO is its own id too); on a
 * challenge XEK the org kinds and XER the region prefixes it admits ("any"
 * when it sets none). */
int jb__map_record(jb_mapper *m, int type, const json_t *rec, jb_ixdoc *d);

/* Adds the items of a text query to q. *labels (malloc'd array of *nlabels
 * strings, free with jb__labels_free) gives for each item index the query
 * word or stem it stands for (NULL for bigram items). */
int jb__map_query(jb_mapper *m, const char *text, jb_ixquery *q, char ***labels,
                  size_t *nlabels);
void jb__labels_free(char **labels, size_t n);

/* Bytes of the UTF-8 sequence that starts with `lead` (valid UTF-8). */
uint32_t jb__u8_len(unsigned char lead);

/* Days since 1970-01-01 of a valid YYYY-MM-DD. */
long jb__days_from_date(const char *ymd);

#endif
