#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Validate jiebang's zh<->en glossary files (issue 15; format in README.md beside this file).

Case is not checked (lower case except acronyms and proper names is the reviewer's
call: Streptomyces, Basel Accords and Ethereum Virtual Machine are names).

Usage: check.py [--count] FILE_OR_DIR...
A directory stands for every *.tsv file in it.  Each problem is printed as
FILE:LINE: field: message; the exit status is 1 if there was any, 2 on usage
errors, else 0.  With --count the number of pairs per area and in all is
printed on success.  Duplicate (zh, en) pairs are looked for across all the
files given, so pass the whole directory.
"""
import os
import re
import sys

AREAS = {
    "ic", "eda", "powersemi", "battery", "energy", "ccus", "materials", "chemistry",
    "environment", "xr", "blockchain", "ai", "datasec", "health", "imaging", "synbio",
    "agri", "aqua", "fintech", "general",
}


def is_han(ch):
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FA1F
            or 0xF900 <= o <= 0xFAFF)


# besides Han: what a mixed term like 5G基站, β-环糊精, Li-S电池 or 二维/三维 may hold
ZH_OTHER = re.compile(r"[A-Za-z0-9\-+/.·αβγδεθλμπσφωΑ-Ω′]")
EN_OK = re.compile(r"^[A-Za-z0-9α-ωΑ-Ω][A-Za-z0-9α-ωΑ-Ω \-+/.,'()&:′°%²³₂₃₄]*$")


def check_zh(zh):
    if not zh:
        return "empty"
    if not any(is_han(c) for c in zh):
        return "no Han character (a term with only Latin letters is not a Chinese term)"
    for c in zh:
        if is_han(c):
            continue
        if c.isspace():
            return "white space inside the term"
        if not ZH_OTHER.match(c):
            return "character %r (U+%04X) is neither Han nor allowed in a mixed term" % (c, ord(c))
    if re.match(r"^[A-Za-z0-9]", zh) is None and not is_han(zh[0]) and zh[0] not in "αβγδεθλμπσφωΑΒΓΔ":
        return "starts with %r" % zh[0]
    return None


def check_en(en):
    if not en:
        return "empty"
    if any(is_han(c) for c in en):
        return "Han character in the English side"
    if "  " in en:
        return "double space"
    if not EN_OK.match(en):
        bad = next((c for c in en if not re.match(r"[A-Za-z0-9α-ωΑ-Ω \-+/.,'()&:′°%²³₂₃₄]", c)), en[0])
        return "character %r (U+%04X) not allowed" % (bad, ord(bad))
    if en.endswith((",", ".", ":", "-", "/")):
        return "ends with punctuation %r" % en[-1]
    return None


def check_file(path, seen, counts, problems):
    try:
        raw = open(path, "rb").read()
    except OSError as e:
        problems.append("%s: cannot read: %s" % (path, e.strerror))
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        problems.append("%s:%d: invalid UTF-8 at byte %d" % (path, line, e.start))
        return
    if text.startswith("\ufeff"):
        problems.append("%s:1: byte order mark" % path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    else:
        problems.append("%s:%d: last line has no newline" % (path, len(lines)))
    first = lines[0] if lines else ""
    if not (first.startswith("#") and "written by the jiebang developers" in first
            and "GPL-3.0-or-later" in first):
        problems.append("%s:1: the first line must be a comment naming the area and saying "
                        "\"written by the jiebang developers; licence: same as the project "
                        "(GPL-3.0-or-later)\"" % path)
    for n, line in enumerate(lines, 1):
        where = "%s:%d" % (path, n)
        if "\r" in line:
            problems.append("%s: carriage return" % where)
            continue
        if line.startswith("#"):
            continue
        if line.strip() == "":
            if line:
                problems.append("%s: a blank line with white space" % where)
            continue
        if line != line.rstrip():
            problems.append("%s: trailing white space" % where)
        cols = line.split("\t")
        if len(cols) not in (3, 4):
            problems.append("%s: %d columns, want zh<TAB>en<TAB>area[<TAB>note]" % (where, len(cols)))
            continue
        zh, en, area = cols[0], cols[1], cols[2]
        for name, val in zip(("zh", "en", "area", "note"), cols):
            if val != val.strip():
                problems.append("%s: %s: leading or trailing white space" % (where, name))
        msg = check_zh(zh)
        if msg:
            problems.append("%s: zh %r: %s" % (where, zh, msg))
        msg = check_en(en)
        if msg:
            problems.append("%s: en %r: %s" % (where, en, msg))
        if area not in AREAS:
            problems.append("%s: area %r is not one of %s" % (where, area, " ".join(sorted(AREAS))))
        if len(cols) == 4 and not cols[3].strip():
            problems.append("%s: note: empty (leave the column out instead)" % where)
        key = (zh, en.lower())
        if key in seen:
            problems.append("%s: duplicate of %s: %s\t%s" % (where, seen[key], zh, en))
        else:
            seen[key] = where
            counts[area] = counts.get(area, 0) + 1


def main(argv):
    count = False
    args = []
    for a in argv[1:]:
        if a == "--count":
            count = True
        elif a.startswith("-"):
            sys.stderr.write("usage: check.py [--count] FILE_OR_DIR...\n")
            return 2
        else:
            args.append(a)
    if not args:
        sys.stderr.write("usage: check.py [--count] FILE_OR_DIR...\n")
        return 2
    files = []
    for a in args:
        if os.path.isdir(a):
            files += sorted(os.path.join(a, f) for f in os.listdir(a) if f.endswith(".tsv"))
        else:
            files.append(a)
    seen, counts, problems = {}, {}, []
    for f in files:
        check_file(f, seen, counts, problems)
    for p in problems:
        sys.stderr.write(p + "\n")
    if problems:
        sys.stderr.write("%d problem(s) in %d file(s)\n" % (len(problems), len(files)))
        return 1
    if count:
        for a in sorted(counts):
            print("%s\t%d" % (a, counts[a]))
        print("total\t%d" % sum(counts.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
