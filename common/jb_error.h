/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jb_error.h: the one table of jiebang error codes.
 *
 * Every public jiebang function that can fail returns 0 (JB_OK) or one of
 * the negative codes below; no other values are ever returned as errors.
 * jb_strerror() turns a code into a static English sentence.
 */
#ifndef JB_ERROR_H
#define JB_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, message) */
#define JB_ERRNO_MAP(X)                                                        \
  X(OK, 0, "success")                                                          \
  X(ENOMEM, -1, "out of memory")                                               \
  X(EINVAL, -2, "invalid argument")                                            \
  X(EUTF8, -3, "invalid UTF-8")                                                \
  X(ETOOBIG, -4, "input too large")                                            \
  X(EIO, -5, "input/output error")                                             \
  X(ENOENT, -6, "not found")                                                   \
  X(EICU, -7, "ICU error")                                                     \
  X(EOPENCC, -8, "OpenCC error")                                               \
  X(ESYNTAX, -9, "syntax error")                                               \
  X(ELOCKED, -10, "locked by another writer")                                  \
  X(EINDEX, -11, "search index error")                                         \
  X(ESTORE, -12, "store error")                                                \
  X(EEXIST, -13, "already exists")                                             \
  X(ECONFLICT, -14, "conflict")                                                \
  X(EPERM, -15, "permission denied")                                           \
  X(EVERSION, -16, "version mismatch")                                         \
  X(EINTERNAL, -17, "internal error")                                         \
  X(ESTALE, -18, "the index moved on during the read; read again")

typedef enum {
#define JB__ERR_ENUM(name, value, msg) JB_##name = value,
  JB_ERRNO_MAP(JB__ERR_ENUM)
#undef JB__ERR_ENUM
} jb_errno;

/* Returns a static, NUL-terminated message for `code` (never NULL; an
 * unknown code gives "unknown error"). The string lives forever. */
const char *jb_strerror(int code);

/* Returns the symbolic name of `code` ("EUTF8"), static, never NULL. */
const char *jb_errname(int code);

#ifdef __cplusplus
}
#endif
#endif /* JB_ERROR_H */
