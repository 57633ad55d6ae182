/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jb_locale.h: text → terms, the same for indexing and for querying.
 *
 * This module knows ICU, OpenCC and Snowball and nothing of the rest of
 * jiebang. It never logs and never reads configuration: everything it
 * needs is passed in.
 *
 * Pipeline (docs/architecture.md, "Text to terms"):
 *   1. validate UTF-8 (invalid input is an error, never dropped);
 *   2. NFKC case folding (full-width → half-width, ＡＩ → ai);
 *   3. Traditional → Simplified Chinese with OpenCC's phrase-aware t2s
 *      (乾隆 stays 乾隆, where ICU's transliterator writes 干隆), then
 *      Taiwan words to the mainland's, by OpenCC's tw2sp for a reviewed
 *      list of its entries, where the word stands on its own (晶片 → 芯片,
 *      記憶體 → 内存; 程式 of 方程式 stays; locale/regional.c), then
 *      variant forms to one (黏度 and 粘度, 柑橘 and 柑桔, 图象 and 图像:
 *      jb_fold_variants below);
 *   4. segmentation: Han runs by a lexicon and the maximum-probability path
 *      over the word graph (ICU's word BreakIterator when no lexicon is
 *      given); everything else by ICU's word BreakIterator;
 *   5. terms: words, Han character bigrams, English stems, pinyin.
 *
 * Threads: a jb_lexicon is read-only once loaded and may be shared by any
 * number of tokenizers in any threads, as long as nobody adds to it while
 * they use it. A jb_tokenizer is NOT thread-safe: use one per thread.
 */
#ifndef JB_LOCALE_H
#define JB_LOCALE_H

#include <stddef.h>
#include <stdint.h>

#include "common/jb_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * UTF-8 validation
 * ---------------------------------------------------------------------- */

/* Why a byte sequence is not valid UTF-8. */
typedef enum {
  JB_UTF8_OK = 0,
  JB_UTF8_STRAY,     /* continuation byte where a sequence must start */
  JB_UTF8_BADLEAD,   /* 0xC0, 0xC1 or 0xF5..0xFF */
  JB_UTF8_TRUNCATED, /* sequence cut short by the end or by a non-continuation */
  JB_UTF8_OVERLONG,  /* a longer form than the code point needs */
  JB_UTF8_SURROGATE, /* U+D800..U+DFFF encoded */
  JB_UTF8_TOOBIG     /* above U+10FFFF */
} jb_utf8_status;

/* Checks that s[0..len) is well-formed UTF-8 (RFC 3629). NUL bytes are valid
 * (U+0000). Returns JB_UTF8_OK, or the first problem with its byte offset in
 * *bad_offset (when bad_offset is not NULL). */
jb_utf8_status jb_utf8_validate(const char *s, size_t len, size_t *bad_offset);

/* Returns a static English description of `st`, e.g. "overlong encoding". */
const char *jb_utf8_status_str(jb_utf8_status st);

/* Makes the NUL-terminated message s valid UTF-8 in place, for text written
 * into a fixed buffer: a trailing incomplete sequence (what snprintf into a
 * full buffer or "%.Ns" leaves of a cut character) is removed, and any other
 * byte that is not part of a well-formed character becomes '?'. Returns the
 * new length. NULL is accepted (returns 0). */
size_t jb_utf8_clip(char *s);

/* ------------------------------------------------------------------------
 * Lexicon: words with frequencies, for Han segmentation
 * ---------------------------------------------------------------------- */

typedef struct jb_lexicon jb_lexicon;

/* Creates an empty lexicon in *out. Returns JB_OK or JB_ENOMEM. The caller
 * owns it and frees it with jb_lexicon_free(). */
int jb_lexicon_new(jb_lexicon **out);

/* Frees the lexicon; NULL is accepted. No tokenizer made with it may be used
 * afterwards. */
void jb_lexicon_free(jb_lexicon *lx);

/* Adds a word (UTF-8, `len` bytes) with a frequency > 0. The word is NFKC
 * case-folded first; a word that then is not made only of Han characters
 * (see jb_is_han) is ignored (returns JB_OK and is not counted), because only
 * Han runs are segmented with the lexicon. Adding a word again adds to its
 * frequency. Returns JB_OK, JB_EINVAL (empty, > 32 characters, freq <= 0),
 * JB_EUTF8 or JB_ENOMEM. Must not be called while a tokenizer uses `lx`. */
int jb_lexicon_add(jb_lexicon *lx, const char *word, size_t len, double freq);

/* Loads a word list: one entry a line, "word [frequency [anything]]",
 * separated by spaces or tabs; '#' starts a comment line; blank lines are
 * skipped; an entry without a frequency gets `default_freq`. Returns JB_OK,
 * JB_EIO (cannot read: message names the file), JB_ESYNTAX or JB_EUTF8 (the
 * message names the file and line). On error the entries before the bad line
 * stay added. `err` (may be NULL) receives a NUL-terminated message of at most
 * `errlen` bytes. */
int jb_lexicon_load(jb_lexicon *lx, const char *path, double default_freq,
                    char *err, size_t errlen);

/* Number of distinct words in the lexicon. */
size_t jb_lexicon_size(const jb_lexicon *lx);

/* Frequency of a word (already normalised, UTF-8), 0 when absent. */
double jb_lexicon_freq(const jb_lexicon *lx, const char *word, size_t len);

/* A 64-bit fingerprint of the lexicon's content in *out: its words and
 * their frequencies, whatever the order they were added in, so that an index
 * can tell whether it was segmented with the same lexicon. Equal lexicons
 * give equal fingerprints; a word added, removed or given another frequency
 * changes it (but for a 2^-64 chance). Returns JB_OK, JB_EINVAL (lx or out
 * NULL) or JB_ENOMEM. */
int jb_lexicon_fingerprint(const jb_lexicon *lx, uint64_t *out);

/* ------------------------------------------------------------------------
 * Tokenizer
 * ---------------------------------------------------------------------- */

typedef enum {
  JB_TERM_WORD = 1,   /* a segmented word: Han word, Latin word, number, code */
  JB_TERM_BIGRAM = 2, /* two adjacent Han characters, for recall */
  JB_TERM_STEM = 3,   /* Snowball English stem of a Latin word */
  JB_TERM_PINYIN = 4  /* one toneless pinyin syllable of a Han word */
} jb_term_kind;

typedef enum {
  JB_SCRIPT_HAN = 1,
  JB_SCRIPT_LATIN = 2,   /* letters only, lower-case */
  JB_SCRIPT_NUMERIC = 3, /* a number or a code with digits: 5g 28nm iso26262 3.5 */
  JB_SCRIPT_OTHER = 4,   /* kana, hangul, other scripts */
  JB_SCRIPT_PUNCT = 5    /* punctuation and symbols: only with JB_TOK_PUNCT */
} jb_term_script;

typedef struct {
  const char *text; /* normalised UTF-8, NUL-terminated */
  uint32_t len;     /* bytes, without the NUL */
  /* Position for phrase matching. Each family counts on its own: words and
   * stems share the index of the word in the text; bigrams count Han
   * characters; pinyin counts syllables. Consecutive items of a family have
   * consecutive positions. */
  uint32_t pos;
  uint8_t kind;   /* jb_term_kind */
  uint8_t script; /* jb_term_script */
} jb_term;

/* What jb_tokenize() produces (bit set). */
#define JB_TOK_WORDS 0x01u   /* the word segmentation */
#define JB_TOK_BIGRAMS 0x02u /* Han bigrams */
#define JB_TOK_STEMS 0x04u   /* English stems of Latin words */
#define JB_TOK_PINYIN 0x08u  /* pinyin of Han words (slow: ~0.3 MB/s) */
#define JB_TOK_PARTS 0x10u   /* parts of merged words: "2001" of "2001年" */
#define JB_TOK_PUNCT 0x20u   /* punctuation pieces as WORD terms (script
                                JB_SCRIPT_PUNCT, position of the next word):
                                for showing a segmentation, not for the index */
/* What the index and the query builder use. */
#define JB_TOK_INDEX (JB_TOK_WORDS | JB_TOK_BIGRAMS | JB_TOK_STEMS | JB_TOK_PARTS)

typedef struct {
  size_t max_input;  /* longest input in bytes; default 16 MiB */
  double word_bonus; /* log-probability credit per word on the Han path;
                        higher gives finer words; default 2.0 */
  int t2s;           /* convert Traditional to Simplified; default 1 */
  int regional;      /* with t2s: Taiwan words to the mainland's (晶片 →
                        芯片; locale/regional.c); default 1 */
  int variants;      /* fold variant characters and words (jb_fold_variants);
                        default 1 */
  int merge_names;   /* join surname + two-character given name; default 1 */
  double oov_bound;  /* a run of single characters that each stand alone in
                        fewer than this share of their lexicon occurrences
                        becomes words (unknown words); 0 disables; default 0.25 */
} jb_tokenizer_opts;

/* Fills `o` with the defaults above. */
void jb_tokenizer_opts_init(jb_tokenizer_opts *o);

typedef struct jb_tokenizer jb_tokenizer;

/* Creates a tokenizer. `lx` is borrowed (may be NULL: Han text is then
 * segmented by ICU alone) and must outlive the tokenizer, unchanged. `opts`
 * may be NULL for the defaults. ICU, OpenCC and Snowball objects are created
 * here, once (OpenCC's table: ~15 ms; with `regional`, OpenCC's tw2sp.json is
 * opened once more to convert the Taiwan words' list, then closed). Returns
 * JB_OK, JB_ENOMEM, JB_EICU or JB_EOPENCC (t2s.json or tw2sp.json not
 * found); on error *out is NULL. */
int jb_tokenizer_new(const jb_lexicon *lx, const jb_tokenizer_opts *opts,
                     jb_tokenizer **out);

/* Frees the tokenizer and every term it returned; NULL is accepted. */
void jb_tokenizer_free(jb_tokenizer *t);

/* Turns text[0..len) into terms. `what` is a set of JB_TOK_* bits. On JB_OK,
 * *terms points to *nterms terms, in text order (a word is followed by its
 * stem and parts), owned by `t` and valid until the next call on `t` or
 * jb_tokenizer_free(). Empty text gives zero terms. Returns JB_OK, JB_EINVAL
 * (NULL text with len > 0), JB_EUTF8 (see jb_tokenizer_error), JB_ETOOBIG
 * (len > max_input), JB_ENOMEM, JB_EICU or JB_EOPENCC. */
int jb_tokenize(jb_tokenizer *t, const char *text, size_t len, unsigned what,
                const jb_term **terms, size_t *nterms);

/* The text after validation, NFKC case folding and Traditional → Simplified:
 * what the segmenter sees. *out is NUL-terminated UTF-8 owned by `t`, valid
 * until the next call on `t`. Returns as jb_tokenize(). */
int jb_normalize(jb_tokenizer *t, const char *text, size_t len,
                 const char **out, size_t *outlen);

/* A sentence about the last error on `t` ("invalid UTF-8 at byte 17:
 * truncated sequence"); "" when the last call succeeded. Valid until the
 * next call on `t`. */
const char *jb_tokenizer_error(const jb_tokenizer *t);

/* Byte offset of the last JB_EUTF8 error. */
size_t jb_tokenizer_error_offset(const jb_tokenizer *t);

/* Returns 1 when code point `c` is a Han character for segmentation
 * (CJK unified ideographs and extensions, compatibility ideographs, 〇 and
 * the ○ used as zero in Chinese numerals), else 0. */
int jb_is_han(uint32_t c);

/* Returns 1 when code point `c` is invisible or blank in an identifier:
 * Unicode White_Space, or general category Cc (controls), Cf (format:
 * U+200B, U+200D, U+FEFF, U+2060, bidi controls, tags), Zs, Zl, Zp or Cs, or
 * above U+10FFFF (ICU's tables, so the whole class, not a list); else 0. */
int jb_is_invisible(uint32_t c);

/* Frees ICU's process-wide caches (u_cleanup). Call only at process exit,
 * after every tokenizer and lexicon is freed and no thread uses ICU; for
 * leak checkers. */
void jb_locale_cleanup(void);

/* Folds variant forms of Simplified Chinese in place, each to one form, so
 * that either spelling finds the other: 黏→粘, 橘→桔, 甙→苷, 矽→硅, 硷→碱,
 * 噁→恶 everywhere (the first character is only ever another spelling of
 * the second: 黏度/粘度, 柑橘/柑桔, 皂甙/皂苷, 矽卡岩/硅卡岩), and 象→像 only in 图象 影象 录象 象素 象元, 叠→迭 only in
 * 叠代, 份→分 only in 成份 (现象, 对象, 重叠 and 股份 stay). Every fold is
 * one UTF-16 code unit for one, so offsets into the text do not move.
 * `s` holds `n` UTF-16 code units. Returns how many were changed. */
size_t jb_fold_variants(uint16_t *s, size_t n);

/* Version of the tokenizer's output: changes whenever the terms produced
 * for some text change. Part of the index generation. */
#define JB_TOKENIZER_VERSION 4

/* ICU's version ("72.1") into buf (NUL-terminated, truncated to buflen);
 * returns buf. locale/version.c. */
char *jb_locale_icu_version(char *buf, size_t buflen);

/* ------------------------------------------------------------------------
 * Bilingual lexicon: zh <-> en term translation (locale/translate.c, issue 15)
 *
 * Built from our glossary files (data/lexicon/glossary/<area>.tsv: zh<TAB>en<TAB>
 * area[<TAB>note]) and, optionally, CC-CEDICT (cedict.u8: "Trad Simp [pin1
 * yin1] /gloss/gloss/" lines). Pure lookup: no ICU, no OpenCC, no I/O after
 * jb_xlex_open. Read-only once open: one jb_xlex may be shared by any number
 * of threads.
 *
 * Matching (jb_xlex_translate):
 *   zh -> en: in each run of Han characters, the longest substring (up to
 *     JB_XLEX_MAX_ZH characters) that is a source term, then on after it;
 *     where none starts, one character on. A single Han character is only
 *     a match when the glossary has it (CEDICT's single characters are too
 *     ambiguous). The text is matched as given: pass text through
 *     jb_normalize first so Traditional input finds the Simplified terms.
 *   en -> zh: the text's words (runs of ASCII letters and digits; anything
 *     else, hyphens included, separates) are lower-cased and their plurals
 *     folded (batteries -> battery, processes -> process, MOSFETs ->
 *     mosfet); the longest phrase of up to JB_XLEX_MAX_EN words that is a
 *     source term matches, then on after it; a phrase of English function
 *     words only (jb_en_function_word: who, can, will, may, about, via; as
 *     written or folded; alone or in a run: and their, such as) never
 *     does, in the glossary or in CEDICT; beside a content word it may.
 * Candidates: for each source term, the glossary's translations (file
 * order, first = preferred) or, only when the glossary has none for that
 * term, CEDICT's (cleaned: no "variant of", "surname", "CL:", "see ...",
 * parentheticals, the "to " of verbs, no gloss without a letter such as
 * "100%"; at most JB_XLEX_MAX_CEDICT). For an
 * English term CEDICT's single characters (铁 for iron, 盐 for salt) come
 * after all its multi-character candidates, at a lower prior.
 * Priors: glossary 1.0, 0.9, 0.81, ...; CEDICT 0.5, 0.4, 0.32, ...; its
 * single characters 0.3 x 0.8^k (k candidates before them), so every
 * glossary candidate ranks above every CEDICT one. Choosing among them is
 * the caller's job (the collection decides the sense).
 * ---------------------------------------------------------------------- */

#define JB_XLEX_MAX_ZH 16    /* longest zh source term matched, in characters */
#define JB_XLEX_MAX_EN 8     /* longest en source term matched, in words */
#define JB_XLEX_MAX_CEDICT 8 /* CEDICT candidates kept per source term */

typedef struct jb_xlex jb_xlex;

typedef enum { JB_XLEX_ZH2EN = 1, JB_XLEX_EN2ZH = 2 } jb_xlex_dir;
typedef enum { JB_XLEX_GLOSSARY = 1, JB_XLEX_CEDICT = 2 } jb_xlex_origin;

/* One candidate translation. text is NUL-terminated UTF-8 owned by the
 * jb_xlex, valid until jb_xlex_free. */
typedef struct {
  const char *text;
  size_t len;
  jb_xlex_origin origin;
  double prior; /* (0, 1]; higher = more likely; glossary above CEDICT */
} jb_xlex_cand;

/* One matched source span: text[start .. start+len) of the caller's text,
 * the source term it matched (key: Han as given, or the folded English
 * words joined by one space; owned by the jb_xlex) and its candidates,
 * best first (ncand >= 1). */
typedef struct {
  size_t start, len;
  const char *key;
  const jb_xlex_cand *cand;
  size_t ncand;
} jb_xlex_span;

/* Called once per span, in text order. A non-zero return stops the walk and
 * becomes jb_xlex_translate's return value. */
typedef int (*jb_xlex_cb)(void *ud, const jb_xlex_span *span);

/* Loads the nglossary glossary files glossary[0..nglossary) (paths, none
 * NULL; nglossary may be 0) in order, and, when cedict is not NULL, CC-CEDICT, into *out.
 * Returns JB_OK; JB_EINVAL (out NULL, or glossary NULL with n > 0);
 * JB_EIO (a file cannot be opened or read: err names it and errno's
 * text); JB_ESYNTAX (a glossary line without zh<TAB>en<TAB>area, or a
 * CEDICT line not "Trad Simp [pinyin] /gloss/": err names file:line);
 * JB_EUTF8 (invalid UTF-8: err names file:line); JB_ENOMEM. On error *out
 * is NULL and nothing is left allocated. err (may be NULL) receives a
 * NUL-terminated message of at most errlen bytes. The caller owns *out. */
int jb_xlex_open(jb_xlex **out, const char *const *glossary, size_t nglossary,
                 const char *cedict, char *err, size_t errlen);

/* Frees the lexicon and every string it gave out; NULL is accepted. */
void jb_xlex_free(jb_xlex *x);

/* The owner's slot: data its owner keeps beside the lexicon (the engine: the
 * document frequencies of candidate translations, engine/match_xlate.c),
 * freed with free_aux by jb_xlex_free. Not part of the read-only lexicon:
 * its owner alone may set or use it, from one thread. jb_xlex_set_aux frees
 * the data set before (with its own function); jb_xlex_aux returns the data
 * (NULL when none). */
void jb_xlex_set_aux(jb_xlex *x, void *aux, void (*free_aux)(void *));
void *jb_xlex_aux(const jb_xlex *x);

/* Number of distinct source terms for `dir` (0 for an unknown dir). */
size_t jb_xlex_size(const jb_xlex *x, jb_xlex_dir dir);

/* Non-zero when CC-CEDICT was loaded. */
int jb_xlex_has_cedict(const jb_xlex *x);

/* Non-zero when w[0..n) (ASCII case ignored) is an English function word:
 * a pronoun, determiner, auxiliary or modal, conjunction or preposition
 * (who, can, will, may, about, via; 138 words, one list for the lexicon and
 * the engine); 0 otherwise, and for w NULL or n 0. */
int jb_en_function_word(const char *w, size_t n);

/* Translates text[0..len) in direction dir, calling cb(ud, span) for every
 * matched span in text order (the span and its arrays live only during the
 * call). Returns JB_OK; JB_EINVAL (x, cb or a non-empty text NULL, or an
 * unknown dir); JB_EUTF8 (text is not valid UTF-8; no callback made);
 * JB_ETOOBIG (len > 1 MiB); or the callback's non-zero value. */
int jb_xlex_translate(const jb_xlex *x, const char *text, size_t len, jb_xlex_dir dir,
                      jb_xlex_cb cb, void *ud);

#ifdef __cplusplus
}
#endif
#endif /* JB_LOCALE_H */
