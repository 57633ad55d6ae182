# SPDX-License-Identifier: GPL-3.0-or-later
# Replays the suggest (text joining) fuzz corpus plus 3000 deterministic mutations.
. "$JB_SRCDIR/tests/lib.sh"
replay_fuzz suggest 3000 200
