/* SPDX-License-Identifier: ISC */
/*
 * imap-utf7.h: modified UTF-7 mailbox names (RFC 3501 section 5.1.3).
 * Pure conversions between the wire form and UTF-8.
 */
#ifndef PONS_IMAP_IMAP_UTF7_H
#define PONS_IMAP_IMAP_UTF7_H

#include <stddef.h>

struct buf;
struct err;

/*
 * Append to out the UTF-8 form of the modified UTF-7 name p[0..len).
 * Returns 0, or -1 with e filled (ERR_PROTO) on invalid input: a byte
 * outside printable US-ASCII, an unterminated or malformed "&...-"
 * shift, printable ASCII encoded in base64, broken UTF-16 surrogates or
 * non-zero padding bits.  out is unchanged on error.
 */
int	 imap_utf7_decode(const char *p, size_t len, struct buf *out,
	    struct err *e);
/*
 * Append to out the modified UTF-7 form of the UTF-8 name p[0..len).
 * Returns 0, or -1 with e filled (ERR_INPUT) if p is not valid UTF-8 or
 * holds a NUL.  out is unchanged on error.
 */
int	 imap_utf7_encode(const char *p, size_t len, struct buf *out,
	    struct err *e);

#endif
