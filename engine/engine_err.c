/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_err.c: the engine handle's error sentence, its catalogue message
 * and detail, and the notice callback (engine_int.h, jiebang.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/engine_int.h"
#include "engine/jiebang.h"
#include "engine/store.h"

int jb__eset(jb_engine *e, int rc, const char *fmt, ...) {
  free(e->detail); /* a new refusal: the last one's detail goes */
  e->detail = NULL;
  jb_emsg_clear(&e->msg);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->err, sizeof e->err, fmt, ap);
  va_end(ap);
  return rc;
}

int jb__emsg(jb_engine *e, int rc, const char *field, int id, ...) {
  free(e->detail);
  e->detail = NULL;
  va_list ap;
  va_start(ap, id);
  jb_emsg_vset(&e->msg, field, id, ap);
  va_end(ap);
  jb_emsg_render(&e->msg, JB_EMSG_EN, 1, e->err, sizeof e->err);
  return rc;
}

int jb__eset_msg(jb_engine *e, int rc, const char *text, const jb_emsg *m) {
  jb__eset(e, rc, "%s", text);
  if (m && m->id != JB_EM_NONE)
    jb_emsg_copy(&e->msg, m);
  return rc;
}

int jb__eset_store(jb_engine *e, int rc) {
  return jb__eset_msg(e, rc, jb__store_error(e->st), jb__store_msg(e->st));
}

const jb_emsg *jb_engine_error_msg(const jb_engine *e) {
  return e && e->err[0] && e->msg.id != JB_EM_NONE ? &e->msg : NULL;
}

void jb__notice(jb_engine *e, const char *fmt, ...) {
  if (!e->o.notice)
    return;
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  e->o.notice(e->o.notice_ctx, buf);
}

const char *jb_engine_error(const jb_engine *e) { return e ? e->err : ""; }

const char *jb_engine_error_detail(const jb_engine *e) { return e ? e->detail : NULL; }
