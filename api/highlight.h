/* SPDX-License-Identifier: GPL-3.0-or-later */
/* highlight.h: a search hit's title and snippet with its matched words in <em>. Pure:
 * no I/O, no configuration; fuzzed by tests/fuzz/fuzz_highlight.c. */
#ifndef JB_HIGHLIGHT_H
#define JB_HIGHLIGHT_H

/* Returns the NUL-terminated title with every occurrence of each word of
 * `matched` (words separated by spaces; NULL or "" marks nothing) inside
 * <em>…</em>, and & < > " ' written as &amp; &lt; &gt; &quot; &#39;.
 * Occurrences are found case-insensitively for ASCII letters and only
 * start and end on character boundaries (never inside a multibyte UTF-8
 * character); overlapping and adjacent occurrences share one <em>. A byte
 * of the title that is not part of well-formed UTF-8 comes out as U+FFFD,
 * so the result is always valid UTF-8; for a valid title, removing the
 * tags and unescaping gives the title back. The output grows as needed
 * (no bound on the title's length but memory). Returns a malloc'ed string
 * the caller frees, or NULL when out of memory or title is NULL. */
char *jb_highlight(const char *title, const char *matched);

/* A snippet of a longer text (an abstract, a description) for a search hit:
 * at most `chars` characters (at least 8; fewer is taken as 8) of text
 * around the first occurrence of a word of `matched` (ASCII letters folded;
 * the start of the text when none occurs), cut on character boundaries
 * with "…" where text was cut, then highlighted and escaped as by
 * jb_highlight. "" for a NULL or empty text. Returns a malloc'ed string
 * the caller frees, or NULL when out of memory. */
char *jb_snippet(const char *text, const char *matched, size_t chars);

#endif /* JB_HIGHLIGHT_H */
