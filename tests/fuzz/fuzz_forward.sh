# SPDX-License-Identifier: GPL-3.0-or-later
# Replays the forward-list decoder's fuzz corpus plus 5000 deterministic mutations.
. "$JB_SRCDIR/tests/lib.sh"
replay_fuzz forward 5000 300
