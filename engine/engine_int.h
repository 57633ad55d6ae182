/* engine_int.h: the engine state shared by the files of engine/ (internal). */
#ifndef JB_ENGINE_INT_H
#define JB_ENGINE_INT_H

#include <jansson.h>

#include "engine/indexdoc.h"
#include "engine/jiebang.h"
#include "engine/store.h"

struct jb_engine {
  char *dir;
  jb_engine_opts o;
  jb_store *st;
  jb_index *ix; /* writer, or reader when readonly (may be NULL: no index yet) */
  jb_lexicon *lx;
  jb_mapper map;
  int in_batch;
  int64_t applied;
  char err[1024];
};

/* Sets the engine's error sentence and returns rc. */
int jb__eset(jb_engine *e, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A stored record, parsed (new reference), or NULL; ctx is the engine. */
json_t *jb__load_record(void *ctx, int type, const char *id);


/* A transaction of its own unless a batch is open: jb__tx_begin sets
 * *began; jb__tx_end commits on rc == JB_OK (else rolls back) when it began
 * one, and returns the outcome. */
int jb__tx_begin(jb_engine *e, int *began);
int jb__tx_end(jb_engine *e, int rc, int began);

/* jb_engine_transition; award = 1 lets it move to awarded (jb_engine_award). */
int jb__engine_transition_in(jb_engine *e, const jb_actor *who, const char *id, const char *to,
                             const char *note, int64_t *seq, int award);

/* Records the acceptance verdict with the milestones (inside a transaction). */
int jb__milestone_verdict(jb_engine *e, const jb_actor *who, const char *cid, const char *result);

/* SHA-256 of data as 64 lower-case hex digits (engine/keys.c: libsodium). */
void jb__sha256_hex(const void *data, size_t len, char out[65]);

#endif
