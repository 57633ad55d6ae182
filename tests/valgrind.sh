#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test program under valgrind (configure --enable-valgrind).
CK_FORK=no; export CK_FORK
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  --track-origins=yes "$@"
