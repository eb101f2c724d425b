/* SPDX-License-Identifier: ISC */
/*
 * rfc2047.h: encoded words ("=?charset?B?...?=") in header text (RFC 2047,
 * with the RFC 2231 section 5 "charset*lang" form).  Pure: text in, UTF-8
 * out.  B and Q encodings, any charset charset.c knows; adjacent encoded
 * words are joined without the white space between them (section 6.2),
 * and adjacent words of the same charset are decoded into one byte run
 * before conversion so a multibyte character split across words survives.
 * Lenient, the way readers expect: encoded words glued to other text or
 * inside quoted strings are decoded; malformed words are left as written.
 */
#ifndef PONS_MSG_RFC2047_H
#define PONS_MSG_RFC2047_H

#include <stddef.h>

struct buf;

#define RFC2047_WORD_MAX	4096	/* longer "words" are left as text */

/*
 * Decode the encoded words in p[0..len) and append UTF-8 to out.  Text
 * outside encoded words is kept as is, except raw 8-bit bytes: kept when
 * valid UTF-8, else read in charset (C string, may be NULL) or else
 * windows-1252.  The input is not unfolded (see rfc5322_value_decode).
 * Returns CHARSET_* flags (charset.h); never fails.
 */
unsigned int	 rfc2047_decode(const char *p, size_t len, const char *charset,
		    struct buf *out);

#endif
