# SPDX-License-Identifier: GPL-3.0-or-later
# Replays the CSV fuzz corpus plus 5000 deterministic mutations.
. "$JB_SRCDIR/tests/lib.sh"
replay_fuzz csv 5000 300
