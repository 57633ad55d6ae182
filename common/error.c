/* SPDX-License-Identifier: GPL-3.0-or-later */
/* error.c: messages for the codes in jb_error.h. */
#include "common/jb_error.h"

const char *jb_strerror(int code) {
  switch (code) {
#define JB__ERR_MSG(name, value, msg)                                          \
  case value:                                                                  \
    return msg;
    JB_ERRNO_MAP(JB__ERR_MSG)
#undef JB__ERR_MSG
  }
  return "unknown error";
}

const char *jb_errname(int code) {
  switch (code) {
#define JB__ERR_NAME(name, value, msg)                                         \
  case value:                                                                  \
    return #name;
    JB_ERRNO_MAP(JB__ERR_NAME)
#undef JB__ERR_NAME
  }
  return "EUNKNOWN";
}
