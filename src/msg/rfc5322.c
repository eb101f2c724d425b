/* SPDX-License-Identifier: ISC */
/*
 * RFC 5322 header blocks over (pointer, length) views.  Pure and
 * allocation-light: finding the end of the header and iterating fields
 * allocate nothing, indexing a block allocates one growing array, and only
 * unfolding or decoding a value copies bytes.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "msg/charset.h"
#include "msg/rfc2047.h"
#include "msg/rfc5322.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/str.h"
#include "util/xmalloc.h"

static size_t	line_end(const char *, size_t, size_t);
static bool	is_wsp(char);
static size_t	next_eol(const char *, size_t, size_t);

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Offset just past the '\n' of the line at off, or len. */
static size_t
line_end(const char *p, size_t len, size_t off)
{
	const char	*nl;

	nl = memchr(p + off, '\n', len - off);
	return nl != NULL ? (size_t)(nl - p) + 1 : len;
}

size_t
rfc5322_split(const char *p, size_t len, size_t *hdrlen)
{
	const char	*nl;
	size_t		 off = 0, i;

	/* An empty first line: no header at all. */
	if (len > 0 && p[0] == '\n') {
		*hdrlen = 0;
		return 1;
	}
	if (len > 1 && p[0] == '\r' && p[1] == '\n') {
		*hdrlen = 0;
		return 2;
	}
	while (off < len) {
		nl = memchr(p + off, '\n', len - off);
		if (nl == NULL)
			break;
		i = (size_t)(nl - p) + 1;
		/* lenient: LF LF, CRLF CRLF and any mix end the header */
		if (i < len && p[i] == '\n') {
			*hdrlen = i;
			return i + 1;
		}
		if (i + 1 < len && p[i] == '\r' && p[i + 1] == '\n') {
			*hdrlen = i;
			return i + 2;
		}
		off = i;
	}
	*hdrlen = len;
	return len;
}

/* Is the line at o (a line start) empty, as rfc5322_split sees it? */
static bool
is_empty_line(const char *h, size_t len, size_t o)
{
	return h[o] == '\n' || (h[o] == '\r' && o + 1 < len &&
	    h[o + 1] == '\n');
}

/* rfc5322_field_next; with blank, an empty line ends the block. */
static bool
field_next(const char *h, size_t len, size_t *off, struct rfc5322_field *f,
    bool blank)
{
	size_t	 o = *off, i, e, v;

	while (o < len) {
		if (blank && is_empty_line(h, len, o)) {
			*off = len;
			return false;
		}
		e = line_end(h, len, o);
		/* lenient: an mbox "From " line opens the block */
		if (o == 0 && len >= 5 && memcmp(h, "From ", 5) == 0) {
			o = e;
			continue;
		}
		/* Field name: printable ASCII except ':' (RFC 5322 3.6.8). */
		for (i = o; i < e && h[i] != ':' && h[i] != '\n' &&
		    h[i] != '\r' && !is_wsp(h[i]); i++)
			;
		v = i;
		/* lenient: white space before the colon (section 4.5.3) */
		while (i < e && is_wsp(h[i]))
			i++;
		if (v == o || i >= e || h[i] != ':') {
			/* lenient: a line that is no field is skipped, with
			 * its continuation lines */
			o = e;
			while (o < len && is_wsp(h[o]))
				o = line_end(h, len, o);
			continue;
		}
		f->name = h + o;
		f->namelen = v - o;
		i++;
		while (i < e && is_wsp(h[i]))
			i++;
		/* Continuation lines start with white space. */
		while (e < len && is_wsp(h[e]))
			e = line_end(h, len, e);
		*off = e;
		if (e > i && h[e - 1] == '\n')
			e--;
		if (e > i && h[e - 1] == '\r')
			e--;
		f->value = h + i;
		f->valuelen = e > i ? e - i : 0;
		return true;
	}
	*off = o;
	return false;
}

bool
rfc5322_field_next(const char *h, size_t len, size_t *off,
    struct rfc5322_field *f)
{
	return field_next(h, len, off, f, false);
}

bool
rfc5322_header_next(const char *p, size_t len, size_t *off,
    struct rfc5322_field *f)
{
	return field_next(p, len, off, f, true);
}

int
rfc5322_hdr_parse(struct rfc5322_hdr *hp, const char *p, size_t len,
    const struct rfc5322_limits *lim, struct err *e)
{
	struct rfc5322_field	 f;
	size_t			 hdr_max = RFC5322_HDR_MAX;
	size_t			 count_max = RFC5322_COUNT_MAX;
	size_t			 off = 0, hl;

	memset(hp, 0, sizeof *hp);
	if (lim != NULL && lim->hdr_max > 0)
		hdr_max = lim->hdr_max;
	if (lim != NULL && lim->count_max > 0)
		count_max = lim->count_max;
	hp->body = rfc5322_split(p, len, &hl);
	if (hl > hdr_max) {
		/* Keep whole lines up to the limit. */
		while (hl > 0 && (hl > hdr_max || p[hl - 1] != '\n'))
			hl--;
		hp->truncated = true;
		(void)err_set(e, ERR_LIMIT, "header block exceeds %zu bytes",
		    hdr_max);
	}
	hp->raw = p;
	hp->rawlen = hl;
	while (rfc5322_field_next(p, hl, &off, &f)) {
		if (hp->nfields == count_max) {
			hp->truncated = true;
			(void)err_set(e, ERR_LIMIT,
			    "more than %zu header fields", count_max);
			break;
		}
		if (hp->nfields == hp->cap) {
			hp->cap = hp->cap == 0 ? 32 : hp->cap * 2;
			hp->fields = xreallocarray(hp->fields, hp->cap,
			    sizeof *hp->fields);
		}
		hp->fields[hp->nfields++] = f;
	}
	return 0;
}

void
rfc5322_hdr_fini(struct rfc5322_hdr *hp)
{
	if (hp == NULL)
		return;
	free(hp->fields);
	memset(hp, 0, sizeof *hp);
}

bool
rfc5322_name_is(const struct rfc5322_field *f, const char *name)
{
	return str_eq_ci(f->name, f->namelen, name);
}

const struct rfc5322_field *
rfc5322_hdr_get(const struct rfc5322_hdr *hp, const char *name,
    const struct rfc5322_field *after)
{
	size_t	 i = 0;

	if (after != NULL)
		i = (size_t)(after - hp->fields) + 1;
	for (; i < hp->nfields; i++)
		if (str_eq_ci(hp->fields[i].name, hp->fields[i].namelen, name))
			return &hp->fields[i];
	return NULL;
}

size_t
rfc5322_hdr_count(const struct rfc5322_hdr *hp, const char *name)
{
	size_t	 i, n = 0;

	for (i = 0; i < hp->nfields; i++)
		if (str_eq_ci(hp->fields[i].name, hp->fields[i].namelen, name))
			n++;
	return n;
}

/* Offset of the next CR or LF at or after i, or len. */
static size_t
next_eol(const char *v, size_t len, size_t i)
{
	const char	*lf, *cr;
	size_t		 end;

	lf = memchr(v + i, '\n', len - i);
	end = lf != NULL ? (size_t)(lf - v) : len;
	cr = memchr(v + i, '\r', end - i);
	return cr != NULL ? (size_t)(cr - v) : end;
}

void
rfc5322_unfold(const char *v, size_t len, struct buf *out)
{
	size_t	 i, j;

	while (len > 0 && (is_wsp(v[0]) || v[0] == '\r' || v[0] == '\n')) {
		v++;
		len--;
	}
	while (len > 0 && (is_wsp(v[len - 1]) || v[len - 1] == '\r' ||
	    v[len - 1] == '\n'))
		len--;
	buf_reserve(out, len);
	for (i = 0; i < len; i = j) {
		j = next_eol(v, len, i);
		buf_add(out, v + i, j - i);
		if (j == len)
			break;
		/* RFC 5322 2.2.3: CRLF followed by WSP is removed */
		if (v[j] == '\r' && j + 1 < len && v[j + 1] == '\n')
			j++;
		j++;
		if (j < len && is_wsp(v[j]))
			continue;
		/* lenient: a stray CR or LF becomes a space */
		buf_add_byte(out, ' ');
	}
}

unsigned int
rfc5322_value_decode(const char *v, size_t len, const char *charset,
    struct buf *out)
{
	struct buf	 u = BUF_INIT;
	unsigned int	 flags;

	if (memchr(v, '\n', len) == NULL && memchr(v, '\r', len) == NULL) {
		str_trim(&v, &len);
		return rfc2047_decode(v, len, charset, out);
	}
	rfc5322_unfold(v, len, &u);
	flags = rfc2047_decode(u.data != NULL ? u.data : "", u.len, charset,
	    out);
	buf_fini(&u);
	return flags;
}
