/* SPDX-License-Identifier: GPL-3.0-or-later */
// xapian_version.cc: the linked Xapian's version, for `jiebang --version`.
#include <xapian.h>

#include "index/xapian_shim.h"

const char *jb_index_xapian_version(void) JB_IX_NOEXCEPT { return Xapian::version_string(); }
