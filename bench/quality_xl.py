#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sets the language tag of every record of a JSONL file (in place): the
cross-lingual sets of bench/quality.sh (issue 15) reuse bench/quality_longform.py
for their needs, which writes no "lang", and the needs say what they are
("en" for bench/quality/english.tsv, "zh" for zh2en_needs.tsv).

    python3 bench/quality_xl.py TAG FILE.jsonl
"""
import json
import re
import sys

if len(sys.argv) != 3 or not re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", sys.argv[1]):
    sys.exit("usage: quality_xl.py TAG FILE.jsonl (TAG: a language tag such as en, zh)")
tag, path = sys.argv[1], sys.argv[2]
recs = []
for n, line in enumerate(open(path, encoding="utf-8"), 1):
    if not line.strip():
        continue
    try:
        r = json.loads(line)
    except ValueError as e:
        sys.exit("%s:%d: %s" % (path, n, e))
    if not isinstance(r, dict):
        sys.exit("%s:%d: not a JSON object" % (path, n))
    r["lang"] = tag
    recs.append(r)
with open(path, "w", encoding="utf-8") as f:
    for r in recs:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
