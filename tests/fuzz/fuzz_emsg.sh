# SPDX-License-Identifier: GPL-3.0-or-later
# Replays the emsg fuzz corpus plus 3000 deterministic mutations.
. "$JB_SRCDIR/tests/lib.sh"
replay_fuzz emsg 3000 200
