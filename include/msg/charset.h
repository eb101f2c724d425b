/* SPDX-License-Identifier: ISC */
/*
 * charset.h: conversion of labelled text to UTF-8 through iconv.
 * Labels are mapped the way browsers map them (WHATWG Encoding Standard:
 * iso-8859-1 and us-ascii mean windows-1252, gb2312 means gb18030, ...;
 * 8-bit text under an ASCII label is read as UTF-8 when it is valid UTF-8).
 * Conversion never fails: invalid sequences become U+FFFD and decoding
 * goes on; an unknown or missing label falls back to UTF-8 when the bytes
 * are valid UTF-8, else to windows-1252, and says so in the flags.
 * iconv descriptors are cached (one per charset) for speed; the cache is
 * process-global and single-threaded, like the rest of pons.
 */
#ifndef PONS_MSG_CHARSET_H
#define PONS_MSG_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* Flags returned by charset_to_utf8(), or-ed. */
#define CHARSET_FALLBACK	0x01	/* label unknown or absent: guessed */
#define CHARSET_REPLACED	0x02	/* some bytes became U+FFFD */
#define CHARSET_UNKNOWN		0x04	/* a label was given but is not known */

/*
 * Convert p[0..len), labelled label[0..labellen) (NULL or empty: no
 * label), to UTF-8 appended to out.  assumed (a C string, may be NULL) is
 * the charset to use for unlabelled text that is not valid UTF-8 (the
 * user's assumed_charset); without it windows-1252 is used.  Returns the
 * CHARSET_* flags; never fails.  Output never contains invalid UTF-8;
 * NUL bytes in the input are kept (len is the truth).
 */
unsigned int	 charset_to_utf8(const char *label, size_t labellen,
		    const void *p, size_t len, const char *assumed,
		    struct buf *out);

/*
 * The name pons hands to iconv for a label (case-insensitive, surrounding
 * spaces and quotes ignored), e.g. "latin1" -> "WINDOWS-1252", or NULL if
 * the label is not known.  Borrowed: valid until the next call into
 * charset.c (names iconv knows outside the table live in the cache).
 */
const char	*charset_canon(const char *label, size_t labellen);
/* True for labels that mean UTF-8 (utf-8, utf8, unicode-1-1-utf-8, ...). */
bool		 charset_is_utf8(const char *label, size_t labellen);

/* True if p[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool		 charset_utf8_valid(const void *p, size_t len);
/*
 * Length of the longest prefix of p[0..len) that is well-formed UTF-8
 * (stops before the first bad sequence).
 */
size_t		 charset_utf8_prefix(const void *p, size_t len);
/* Append p[0..len) to out with each invalid sequence replaced by U+FFFD. */
unsigned int	 charset_utf8_repair(const void *p, size_t len,
		    struct buf *out);

/* Close the cached iconv descriptors (tests, exit). */
void		 charset_cache_clear(void);

#endif
