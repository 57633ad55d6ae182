# SPDX-License-Identifier: GPL-3.0-or-later
# Replays the pinyin fuzz corpus plus 2000 deterministic mutations.
. "$JB_SRCDIR/tests/lib.sh"
replay_fuzz pinyin 2000 100
