# SPDX-License-Identifier: GPL-3.0-or-later
# Replays the time fuzz corpus plus 5000 deterministic mutations.
. "$JB_SRCDIR/tests/lib.sh"
replay_fuzz time 5000 300
