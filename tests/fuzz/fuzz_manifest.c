/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_manifest.c: fuzz target for a backup MANIFEST's parser, and for the
 * functions that write a path or a version into a caller's buffer
 * (jb_datafile, jb_locale_icu_version) at every buffer size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/jb_datadir.h"
#include "common/jb_error.h"
#include "engine/backup.h"
#include "locale/jb_locale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);
void jb_fuzz_teardown(void) {}

static void terminated(const char *s, size_t cap) {
  if (!memchr(s, '\0', cap))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  jb_backup_info info;
  size_t errlen = size ? (size_t)data[0] % 200 : 0;
  char *err = malloc(errlen ? errlen : 1);
  if (!err)
    return 0;
  int rc = jb_backup_manifest_parse((const char *)data, size, &info, err, errlen);
  if (errlen)
    terminated(err, errlen);
  if (rc == JB_OK) {
    terminated(info.version, sizeof info.version);
    terminated(info.created, sizeof info.created);
    if (info.schema < 0 || info.records < 0 || info.last_seq < 0)
      abort();
    if (size < strlen(JB_BACKUP_MAGIC) || memcmp(data, JB_BACKUP_MAGIC, strlen(JB_BACKUP_MAGIC)))
      abort(); /* accepted without the magic line */
  } else if (rc != JB_ESYNTAX) {
    abort();
  } else if (errlen > 1 && !err[0]) {
    abort(); /* a refusal says why */
  }
  free(err);
  /* the input's text as a relative path, into a buffer of the input's size */
  char rel[256], buf[300];
  size_t rl = size < sizeof rel - 1 ? size : sizeof rel - 1;
  memcpy(rel, data, rl);
  rel[rl] = '\0';
  size_t cap = size % sizeof buf;
  char *r = jb_datafile(rel, buf, cap);
  if (cap == 0 ? r != NULL : (r ? (r != buf || !memchr(buf, '\0', cap)) : buf[0] != '\0'))
    abort();
  char ver[32];
  size_t vcap = size % sizeof ver;
  if (jb_locale_icu_version(vcap ? ver : NULL, vcap) != (vcap ? ver : NULL))
    abort();
  if (vcap)
    terminated(ver, vcap);
  return 0;
}
