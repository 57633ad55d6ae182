#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The naive-dictionary peer of the cross-lingual benchmark (issue 15): turns
each query of a qrels file (qid<TAB>query<TAB>relevant, as
bench/quality_longform.py writes it) into the other language, word by word,
with CC-CEDICT, and writes the same qrels with the translation as the query,
so that the Xapian n-gram peer (bench_quality) and the FTS5 peer
(bench/quality_fts5.py) can run on it unchanged.

The translation is deliberately naive, the floor a real translation must beat.
--en2zh (English need -> Chinese terms): every English word (lower-cased; a
short stop list dropped; a plural -s / -es / -ies stripped when the word itself
has no hit) becomes the simplified headwords of the CC-CEDICT entries with a
gloss sense equal to the word (after dropping a leading "to ", "a ", "the ",
parenthesised remarks and bracketed pinyin), in dictionary order, at most
$JB_CEDICT_MAX per word (default 3); when no sense equals the word, the
headwords whose first sense containing the word (as a whole word) is the
shortest are taken instead (ties in dictionary order). No phrase lookup, no sense selection, no use of
the collection. Words with no hit and numbers are kept as they are.
--zh2en (Chinese need -> English words): the Chinese text is cut by forward
maximum matching on the simplified headwords (up to 8 characters), and each
word gives the words (stop list and single letters dropped) of its first
entry's first sense that is a translation (the same remarks dropped; senses
"surname ...", "variant of ...", "see ...", "CL:...", "used in ...", "abbr.
for ..." skipped); characters with no entry are dropped, runs of letters and
digits kept.

    python3 bench/cedict_peer.py --en2zh|--zh2en CEDICT.u8 QRELS.tsv > OUT.tsv

CEDICT.u8 is the plain CC-CEDICT text (Trad Simp [pinyin] /gloss/.../).
Exit status 77 (skip) when it is missing, 1 on a malformed input line.
"""
import collections
import os
import re
import sys

STOP = set("""a an and are as at be been but by can could do does for from had has have
how i if in into is it its itself more most must no not of on or our ours over per
should so such than that the their them then there these they this those through
to under up us very was we were what when where which while who whom why will with
within without would you your also any each other only same both all some""".split())

MAX = int(os.environ.get("JB_CEDICT_MAX", "3"))


def norm_sense(s):
    s = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", s)
    s = re.sub(r"^(to|a|an|the)\s+", "", s.strip().lower())
    return " ".join(s.split())


def load(path):
    exact = collections.defaultdict(list)  # word -> headwords, dictionary order
    part = collections.defaultdict(list)   # word -> (sense length, order, headword)
    order = 0
    line_re = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            m = line_re.match(line)
            if not m:
                continue
            simp = m.group(2)
            order += 1
            seen = set()
            for sense in m.group(3).split("/"):
                s = norm_sense(sense)
                if not s:
                    continue
                if " " not in s and simp not in exact[s]:
                    exact[s].append(simp)
                for w in set(re.findall(r"[a-z][a-z'-]*", s)):
                    if w not in seen:
                        seen.add(w)
                        part[w].append((len(s), order, simp))
    return exact, part


def lookup(word, exact, part):
    forms = [word]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s"):
        forms.append(word[:-1])
    for w in forms:
        if exact.get(w):
            return exact[w][:MAX]
    for w in forms:
        if part.get(w):
            out = []
            for _, _, h in sorted(part[w]):
                if h not in out:
                    out.append(h)
                if len(out) == MAX:
                    break
            return out
    return []


def translate(text, exact, part):
    terms = []
    for tok in re.findall(r"[A-Za-z][A-Za-z'-]*|\d[\w.]*", text):
        low = tok.lower()
        if low in STOP:
            continue
        if not low[0].isalpha():
            terms.append(tok)
            continue
        hits = lookup(low, exact, part)
        terms.extend(hits if hits else [tok])
    return " ".join(terms)


NOT_A_SENSE = re.compile(r"^(surname |(old |archaic )?variant of |see |cl:|used in |abbr\. for )")


def load_zh(path):
    """simplified headword -> English words of its first entry's first real sense"""
    first = {}
    line_re = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = line_re.match(line)
            if line.startswith("#") or not m or m.group(2) in first:
                continue
            for sense in m.group(3).split("/"):
                s = norm_sense(sense)
                if s and not NOT_A_SENSE.match(s):
                    words = [w for w in re.findall(r"[a-z0-9][a-z0-9'-]*", s) if w not in STOP and len(w) > 1]
                    if words:
                        first[m.group(2)] = words
                        break
    return first


def translate_zh(text, first):
    out = []
    i = 0
    while i < len(text):
        m = re.match(r"[A-Za-z0-9][A-Za-z0-9.+-]*", text[i:])
        if m:
            out.append(m.group(0))
            i += len(m.group(0))
            continue
        for n in range(min(8, len(text) - i), 0, -1):
            if text[i:i + n] in first:
                out.extend(first[text[i:i + n]])
                i += n
                break
        else:
            i += 1
    return " ".join(out)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("--en2zh", "--zh2en"):
        sys.exit("usage: cedict_peer.py --en2zh|--zh2en CEDICT.u8 QRELS.tsv")
    if not os.path.isfile(sys.argv[2]):
        print("cedict_peer: no CC-CEDICT at %s (set JB_CEDICT): peer skipped" % sys.argv[2],
              file=sys.stderr)
        sys.exit(77)
    if sys.argv[1] == "--en2zh":
        exact, part = load(sys.argv[2])
        tr = lambda q: translate(q, exact, part)
    else:
        first = load_zh(sys.argv[2])
        tr = lambda q: translate_zh(q, first)
    for n, line in enumerate(open(sys.argv[3], encoding="utf-8"), 1):
        f = line.rstrip("\n").split("\t")
        if len(f) != 3:
            sys.exit("%s:%d: want qid<TAB>query<TAB>relevant" % (sys.argv[3], n))
        f[1] = tr(f[1]) or f[1]
        sys.stdout.write("\t".join(f) + "\n")


if __name__ == "__main__":
    main()
