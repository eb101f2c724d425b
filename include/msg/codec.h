/* SPDX-License-Identifier: ISC */
/*
 * codec.h: content transfer decoders (base64, quoted-printable, the RFC 2047
 * "Q" variant, uuencode) and a base64 encoder.  Pure: bytes in, bytes out
 * appended to a struct buf owned by the caller.  Decoders never fail: bad
 * input is decoded as readers expect (see doc/deviations.md), and the
 * streaming decoders give the same output for any split of the input.
 */
#ifndef PONS_MSG_CODEC_H
#define PONS_MSG_CODEC_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

enum codec_type {
	CODEC_IDENTITY = 0,	/* 7bit, 8bit, binary, unknown: copied */
	CODEC_BASE64,
	CODEC_QP,		/* RFC 2045 section 6.7 */
	CODEC_Q,		/* RFC 2047 section 4.2: also '_' is a space */
	CODEC_UU,		/* x-uuencode body (begin ... end) */
};

/*
 * Streaming decoder state: embed it, codec_dec_init(), feed any number of
 * chunks, then codec_dec_finish().  No allocation; the state is a few
 * bytes of carry.
 */
struct codec_dec {
	enum codec_type	 type;
	unsigned int	 bits;		/* base64: pending bits */
	unsigned int	 nbits;		/* base64: how many */
	unsigned char	 hold[80];	/* QP: undecided tail; UU: a line */
	size_t		 nhold;
	int		 uustate;	/* UU: 0 before, 1 in body, 2 done */
	bool		 uu_overlong;	/* UU: current line exceeded hold */
};

void	 codec_dec_init(struct codec_dec *, enum codec_type);
/* Decode p[0..len) and append the result to out. */
void	 codec_dec_feed(struct codec_dec *, const void *p, size_t len,
	    struct buf *out);
/* Flush what is held back (a trailing '=' or partial line) into out. */
void	 codec_dec_finish(struct codec_dec *, struct buf *out);

/*
 * Map a Content-Transfer-Encoding value (case-insensitive, surrounding
 * spaces ignored) to a codec; unknown or empty values give CODEC_IDENTITY
 * and *known = false (known may be NULL).
 */
enum codec_type	 codec_type_from_cte(const char *p, size_t len, bool *known);

/* One-shot helpers: decode all of p[0..len) into out (appended). */
void	 codec_base64_decode(const void *p, size_t len, struct buf *out);
void	 codec_qp_decode(const void *p, size_t len, struct buf *out);
void	 codec_q_decode(const void *p, size_t len, struct buf *out);
/* Base64 with '=' padding, no line breaks (AUTH PLAIN, RFC 4648). */
void	 codec_base64_encode(const void *p, size_t len, struct buf *out);

/*
 * uuencode.  codec_uu_find() looks in text p[0..len) for a "begin MODE
 * NAME" line and its "end" line; on success it fills the span (offsets
 * into p; name is a view into p) and returns true.  codec_uu_decode()
 * decodes the data lines of the first block found (or, without a begin
 * line, treats all of p as data lines) into out.
 */
struct codec_uu_span {
	size_t		 begin;		/* offset of the "begin" line */
	size_t		 end;		/* offset just past the "end" line */
	unsigned int	 mode;		/* file mode from the begin line */
	const char	*name;		/* view into p, not NUL-terminated */
	size_t		 namelen;
};
bool	 codec_uu_find(const char *p, size_t len, struct codec_uu_span *);
void	 codec_uu_decode(const void *p, size_t len, struct buf *out);

#endif
