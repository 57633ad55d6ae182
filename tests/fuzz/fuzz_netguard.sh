# SPDX-License-Identifier: GPL-3.0-or-later
# Replays the webhook address guard's fuzz corpus (CIDR lists, URLs) plus
# 5000 deterministic mutations.
. "$JB_SRCDIR/tests/lib.sh"
replay_fuzz netguard 5000 300
