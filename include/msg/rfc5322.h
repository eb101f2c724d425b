/* SPDX-License-Identifier: ISC */
/*
 * rfc5322.h: the header block of an Internet message (RFC 5322 section 2.2
 * and 3.6): find where it ends, iterate fields, look fields up, unfold and
 * decode values.  Pure: works over the caller's (pointer, length) bytes and
 * hands out views into them; only unfolding and decoding copy.
 *
 * Lenient where mail is commonly broken: LF or CR LF or a mix, an mbox
 * "From " first line (skipped), white space before the colon (RFC 5322
 * section 4.5.3 obsolete syntax), continuation lines before any field,
 * lines without a colon (skipped), 8-bit bytes (see rfc5322_value_decode).
 */
#ifndef PONS_MSG_RFC5322_H
#define PONS_MSG_RFC5322_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct err;

struct rfc5322_limits {
	size_t		 hdr_max;	/* header block bytes; 0: default */
	size_t		 count_max;	/* fields kept; 0: default */
};
#define RFC5322_HDR_MAX		(1024 * 1024)	/* default hdr_max */
#define RFC5322_COUNT_MAX	4096		/* default count_max */

/* One field: views into the parsed bytes. */
struct rfc5322_field {
	const char	*name;		/* without spaces or colon */
	size_t		 namelen;
	const char	*value;		/* raw: after the colon and leading
					 * white space, folds (CRLF WSP)
					 * kept, final line break dropped */
	size_t		 valuelen;
};

/*
 * Where the header block of p[0..len) ends.  Returns the offset of the
 * first body byte (just past the empty line) and stores in *hdrlen the
 * length of the header block itself, up to and including the line break of
 * its last field.  Without an empty line, all of p is header: returns len.
 * A message that starts with an empty line has no header: returns the
 * offset past it and *hdrlen = 0.
 */
size_t	 rfc5322_split(const char *p, size_t len, size_t *hdrlen);

/*
 * Iterate the fields of a header block h[0..len) (as found by
 * rfc5322_split).  *off starts at 0; each call fills f with the next field
 * and returns true, or returns false at the end.  Skips an mbox "From "
 * line at offset 0 and lines without a colon.  No allocation.
 */
bool	 rfc5322_field_next(const char *h, size_t len, size_t *off,
	    struct rfc5322_field *f);
/*
 * The same over a whole message p[0..len), without rfc5322_split first:
 * the fields of its header block, which the first empty line ends (the
 * fields rfc5322_field_next gives over the block rfc5322_split finds).
 */
bool	 rfc5322_header_next(const char *p, size_t len, size_t *off,
	    struct rfc5322_field *f);

/*
 * A parsed header block: an array of field views.  Owned by the caller
 * (rfc5322_hdr_fini); the views borrow the bytes given to
 * rfc5322_hdr_parse, which must outlive it.
 */
struct rfc5322_hdr {
	const char		*raw;		/* header block */
	size_t			 rawlen;
	size_t			 body;		/* offset of the body */
	struct rfc5322_field	*fields;
	size_t			 nfields;
	size_t			 cap;
	bool			 truncated;	/* a limit dropped fields */
};

/*
 * Split p[0..len) and index its header fields.  Returns 0; on a limit
 * (header block larger than hdr_max, more than count_max fields) the
 * fields found up to the limit are kept, truncated is set and e (may be
 * NULL) says which limit: callers may still use the result.  lim may be
 * NULL for the defaults.  Call rfc5322_hdr_fini() in every case.
 */
int	 rfc5322_hdr_parse(struct rfc5322_hdr *, const char *p, size_t len,
	    const struct rfc5322_limits *lim, struct err *e);
void	 rfc5322_hdr_fini(struct rfc5322_hdr *);

/*
 * The first field named name (ASCII case-insensitive), or NULL.  To see
 * repeated fields, pass the previous result as after (NULL to start).
 * Borrowed: valid until rfc5322_hdr_fini.
 */
const struct rfc5322_field *rfc5322_hdr_get(const struct rfc5322_hdr *,
	    const char *name, const struct rfc5322_field *after);
/* How many fields are named name. */
size_t	 rfc5322_hdr_count(const struct rfc5322_hdr *, const char *name);

/*
 * Unfold v[0..len) into out (appended): each line break followed by white
 * space is removed (RFC 5322 section 2.2.3), other bare CR and LF bytes
 * become spaces, leading and trailing white space is trimmed.  Bytes are
 * otherwise kept.
 */
void	 rfc5322_unfold(const char *v, size_t len, struct buf *out);

/*
 * Unfold v[0..len), then decode RFC 2047 encoded words and raw 8-bit
 * bytes into UTF-8 (appended to out): 8-bit text that is valid UTF-8 is
 * kept, otherwise it is read in charset (the message's charset, may be
 * NULL) or else windows-1252.  For unstructured fields such as Subject.
 * Returns CHARSET_* flags (see charset.h).
 */
unsigned int rfc5322_value_decode(const char *v, size_t len,
	    const char *charset, struct buf *out);

/*
 * True if v[0..len) equals name, ASCII case-insensitive (field names).
 */
bool	 rfc5322_name_is(const struct rfc5322_field *, const char *name);

#endif
