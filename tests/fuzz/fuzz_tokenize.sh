# SPDX-License-Identifier: GPL-3.0-or-later
# Replays the tokenizer fuzz corpus plus 3000 deterministic mutations.
. "$JB_SRCDIR/tests/lib.sh"
replay_fuzz tokenize 3000 200
