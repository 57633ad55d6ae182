/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jb_charset.h: the encoding of an imported file (a spreadsheet's CSV) and
 * its conversion to UTF-8, with ICU's charset detector (ucsdet) and
 * converters (docs/records.md, "Spreadsheets").
 *
 * Only the encodings spreadsheet programs in China write are accepted:
 * UTF-8 (with or without a byte order mark), GB18030 and its subsets GBK
 * and GB2312, and UTF-16 (LE or BE) when it starts with its byte order
 * mark. Detection, in this order: a byte order mark; text that is valid
 * UTF-8 (all ASCII included); else GB18030 (its strict conversion
 * decides) unless ICU's detector ranks another East Asian encoding (Big5,
 * Shift_JIS, EUC-JP, EUC-KR, ISO-2022-*) above the GB family: then the text
 * is refused, not guessed.
 * Invalid bytes are an error naming their byte offset and line, never
 * replaced. Like the rest of locale/, this never logs and reads no
 * configuration. Thread-safe (no shared state). */
#ifndef JB_CHARSET_H
#define JB_CHARSET_H

#include <stddef.h>

#include "common/jb_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest input converted (bytes). */
#define JB_CHARSET_MAX ((size_t)256 << 20)

/* Where and why a conversion failed. */
typedef struct {
  size_t offset;     /* byte offset of the first invalid byte in the input */
  size_t line;       /* its line, from 1 (LF-terminated lines of the input) */
  char message[200]; /* an English sentence naming the encoding, offset and line */
} jb_charset_error;

/* The canonical name of an accepted encoding given by a user ("utf8",
 * "UTF-8", "gbk", "GB2312", "gb18030", "utf-16le", ... any case, '-' or
 * '_' or nothing between the parts): "UTF-8", "GB18030", "GBK", "GB2312",
 * "UTF-16LE", "UTF-16BE" or "UTF-16" (static storage); NULL for any other
 * name. */
const char *jb_charset_name(const char *user);

/* Converts in[0..len) to UTF-8 without a byte order mark.
 *   encoding  an accepted name (jb_charset_name) that overrides detection
 *             (a byte order mark of that encoding is still skipped), or
 *             NULL to detect
 * On JB_OK *out is a malloc'd NUL-terminated UTF-8 text of *outlen bytes
 * (the caller frees it; NUL bytes of the input are kept, so *outlen counts
 * them) and, when used is not NULL, the encoding that was read is written
 * there ("UTF-8", "GB18030", ...; usedcap bytes, truncated).
 * Returns JB_OK; JB_EINVAL when encoding is not accepted, or the detector
 * finds a rival encoding (err says which);
 * JB_EUTF8 when the input holds bytes invalid in the encoding (err->offset,
 * err->line and err->message name the first); JB_ETOOBIG when len exceeds
 * JB_CHARSET_MAX (256 MiB); JB_ENOMEM; JB_EICU for an ICU failure (err says which). On error
 * *out is NULL. err may be NULL. */
int jb_charset_to_utf8(const char *in, size_t len, const char *encoding, char **out,
                       size_t *outlen, char *used, size_t usedcap, jb_charset_error *err);

#ifdef __cplusplus
}
#endif

#endif /* JB_CHARSET_H */
