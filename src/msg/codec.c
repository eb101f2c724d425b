/* SPDX-License-Identifier: ISC */
/*
 * Transfer codecs: base64 (RFC 2045 section 6.8), quoted-printable (section
 * 6.7), the RFC 2047 "Q" encoding and uuencode.  Pure and lenient: no input
 * makes a decoder fail, and the streaming decoders keep at most a few bytes
 * of carry, so any split of the input gives the same output.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "msg/codec.h"
#include "util/buf.h"
#include "util/str.h"

/* A run of spaces this long is decided without seeing its end. */
#define QP_WS_MAX	64

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* base64 value of a byte, 64 for '=', 0xff for anything else. */
static unsigned char	b64_val[256];
static bool		b64_ready;

static void	b64_init(void);
static void	b64_feed(struct codec_dec *, const unsigned char *, size_t,
		    struct buf *);
static size_t	qp_step(enum codec_type, const unsigned char *, size_t, bool,
		    struct buf *);
static void	hold_feed(struct codec_dec *, const unsigned char *, size_t,
		    struct buf *);
static void	uu_feed(struct codec_dec *, const unsigned char *, size_t,
		    struct buf *);
static void	uu_line(struct codec_dec *, const unsigned char *, size_t,
		    struct buf *);
static bool	uu_is_data(const unsigned char *, size_t);
static void	uu_data(const unsigned char *, size_t, struct buf *);
static int	hexval(unsigned char);

static void
b64_init(void)
{
	size_t	 i;

	memset(b64_val, 0xff, sizeof b64_val);
	for (i = 0; i < 64; i++)
		b64_val[(unsigned char)b64_alphabet[i]] = (unsigned char)i;
	b64_val['='] = 64;
	/* lenient: the URL-safe alphabet (RFC 4648 section 5) decodes too */
	b64_val['-'] = 62;
	b64_val['_'] = 63;
	b64_ready = true;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	/* lenient: lower-case hex digits (RFC 2045 says upper case) */
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

void
codec_dec_init(struct codec_dec *d, enum codec_type type)
{
	memset(d, 0, sizeof *d);
	d->type = type;
	if (!b64_ready)
		b64_init();
}

void
codec_dec_feed(struct codec_dec *d, const void *p, size_t len,
    struct buf *out)
{
	const unsigned char	*s = p;

	if (len == 0)
		return;
	switch (d->type) {
	case CODEC_BASE64:
		b64_feed(d, s, len, out);
		break;
	case CODEC_QP:
	case CODEC_Q:
		hold_feed(d, s, len, out);
		break;
	case CODEC_UU:
		uu_feed(d, s, len, out);
		break;
	default:
		buf_add(out, s, len);
		break;
	}
}

void
codec_dec_finish(struct codec_dec *d, struct buf *out)
{
	switch (d->type) {
	case CODEC_QP:
	case CODEC_Q:
		if (d->nhold > 0)
			(void)qp_step(d->type, d->hold, d->nhold, true, out);
		break;
	case CODEC_UU:
		if (d->nhold > 0 && !d->uu_overlong)
			uu_line(d, d->hold, d->nhold, out);
		break;
	default:
		/* base64: fewer than 8 leftover bits are padding */
		break;
	}
	d->nhold = 0;
	d->bits = d->nbits = 0;
	d->uu_overlong = false;
}

/*
 * lenient: characters outside the alphabet are skipped, missing padding is
 * fine, and '=' ends a quantum without ending the data, so concatenated
 * base64 blobs ("QQ==QQ==") decode as each one would.
 */
static void
b64_feed(struct codec_dec *d, const unsigned char *s, size_t len,
    struct buf *out)
{
	unsigned int	 bits = d->bits, nbits = d->nbits, v;
	unsigned char	*o;
	size_t		 i, n = 0;

	buf_reserve(out, len / 4 * 3 + 3);
	o = (unsigned char *)out->data + out->len;
	for (i = 0; i < len; i++) {
		v = b64_val[s[i]];
		if (v == 0xff)
			continue;
		if (v == 64) {
			bits = nbits = 0;
			continue;
		}
		bits = (bits << 6 | v) & 0xffffff;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			o[n++] = (unsigned char)(bits >> nbits);
		}
	}
	out->len += n;
	out->data[out->len] = '\0';
	d->bits = bits;
	d->nbits = nbits;
}

/*
 * Quoted-printable and Q steps over s[0..len): decode what can be decided
 * and return how many bytes were used.  Unless final, a tail that depends
 * on bytes not yet seen (an '=' near the end, white space that may be
 * trailing) is left unused; it is never longer than QP_WS_MAX + 3 bytes.
 */
static size_t
qp_step(enum codec_type type, const unsigned char *s, size_t len, bool final,
    struct buf *out)
{
	unsigned char	*o;
	size_t		 i = 0, j, n = 0;
	int		 hi, lo;

	buf_reserve(out, len);
	o = (unsigned char *)out->data + out->len;
	while (i < len) {
		if (s[i] == '_' && type == CODEC_Q) {
			o[n++] = ' ';
			i++;
		} else if (s[i] == '=') {
			if (i + 1 >= len) {
				if (!final)
					break;
				/* lenient: a soft break ends the data */
				if (type == CODEC_Q)
					o[n++] = '=';
				i++;
				continue;
			}
			if ((hi = hexval(s[i + 1])) >= 0) {
				if (i + 2 >= len && !final)
					break;
				if (i + 2 < len &&
				    (lo = hexval(s[i + 2])) >= 0) {
					o[n++] = (unsigned char)(hi << 4 | lo);
					i += 3;
				} else {
					/* lenient: "=X?" is kept as written */
					o[n++] = '=';
					i++;
				}
				continue;
			}
			if (type == CODEC_Q) {
				o[n++] = '=';
				i++;
				continue;
			}
			/* soft line break; white space may precede it */
			for (j = i + 1; j < len && j - i <= QP_WS_MAX &&
			    (s[j] == ' ' || s[j] == '\t'); j++)
				;
			if (j >= len && !final)
				break;
			if (j >= len) {
				i = j;
				continue;
			}
			if (s[j] == '\n') {
				i = j + 1;
			} else if (s[j] == '\r') {
				if (j + 1 >= len && !final)
					break;
				i = j + 1;
				if (i < len && s[i] == '\n')
					i++;
			} else {
				/* lenient: a lone '=' is kept as written */
				o[n++] = '=';
				i++;
			}
		} else if ((s[i] == ' ' || s[i] == '\t') && type == CODEC_QP) {
			/*
			 * Decide in runs of at most QP_WS_MAX so that the
			 * result does not depend on where the input is split:
			 * a full run is kept whatever follows it.
			 */
			for (j = i; j < len && j - i < QP_WS_MAX &&
			    (s[j] == ' ' || s[j] == '\t'); j++)
				;
			if (j - i < QP_WS_MAX && j >= len && !final)
				break;
			if (j - i < QP_WS_MAX && (j >= len || s[j] == '\r' ||
			    s[j] == '\n')) {
				/* RFC 2045 6.7 rule 3: drop trailing spaces */
				i = j;
				continue;
			}
			memcpy(o + n, s + i, j - i);
			n += j - i;
			i = j;
		} else
			o[n++] = s[i++];
	}
	out->len += n;
	out->data[out->len] = '\0';
	return i;
}

static void
hold_feed(struct codec_dec *d, const unsigned char *s, size_t len,
    struct buf *out)
{
	size_t	 take, used, rest;

	while (d->nhold > 0 && len > 0) {
		take = sizeof d->hold - d->nhold;
		if (take > len)
			take = len;
		memcpy(d->hold + d->nhold, s, take);
		s += take;
		len -= take;
		used = qp_step(d->type, d->hold, d->nhold + take, false, out);
		rest = d->nhold + take - used;
		memmove(d->hold, d->hold + used, rest);
		d->nhold = rest;
	}
	if (len == 0)
		return;
	used = qp_step(d->type, s, len, false, out);
	d->nhold = len - used;
	memcpy(d->hold, s + used, d->nhold);
}

/* Gather lines; a line longer than the hold buffer is not uuencode. */
static void
uu_feed(struct codec_dec *d, const unsigned char *s, size_t len,
    struct buf *out)
{
	const unsigned char	*nl;
	size_t			 n;

	while (len > 0 && d->uustate != 2) {
		nl = memchr(s, '\n', len);
		n = nl != NULL ? (size_t)(nl - s) : len;
		if (!d->uu_overlong && d->nhold + n <= sizeof d->hold) {
			memcpy(d->hold + d->nhold, s, n);
			d->nhold += n;
		} else
			d->uu_overlong = true;
		if (nl == NULL)
			return;
		if (!d->uu_overlong)
			uu_line(d, d->hold, d->nhold, out);
		d->nhold = 0;
		d->uu_overlong = false;
		s += n + 1;
		len -= n + 1;
	}
}

static void
uu_line(struct codec_dec *d, const unsigned char *l, size_t len,
    struct buf *out)
{
	while (len > 0 && (l[len - 1] == '\r' || l[len - 1] == ' ' ||
	    l[len - 1] == '\t'))
		len--;
	if (d->uustate == 0) {
		if (len >= 6 && memcmp(l, "begin ", 6) == 0) {
			d->uustate = 1;
			return;
		}
		/* lenient: data without its begin line */
		if (!uu_is_data(l, len))
			return;
		d->uustate = 1;
	}
	if (len == 3 && memcmp(l, "end", 3) == 0) {
		d->uustate = 2;
		return;
	}
	uu_data(l, len, out);
}

/* Does l look like a uuencoded data line (length byte agrees)? */
static bool
uu_is_data(const unsigned char *l, size_t len)
{
	size_t	 n, want, i;

	if (len < 2 || l[0] < 32 || l[0] > 96)
		return false;
	n = (l[0] - 32) & 63;
	if (n == 0)
		return false;
	want = (n + 2) / 3 * 4 + 1;
	if (len > want + 1 || len + 2 < want)
		return false;
	for (i = 1; i < len; i++)
		if (l[i] < 32 || l[i] > 96)
			return false;
	return true;
}

/* lenient: characters missing at the end (spaces stripped) count as 0 */
static void
uu_data(const unsigned char *l, size_t len, struct buf *out)
{
	unsigned char	 c[4], o[3];
	size_t		 n, i, k, pos = 1;

	if (len == 0 || l[0] < 32 || l[0] > 96)
		return;
	n = (l[0] - 32) & 63;
	while (n > 0) {
		for (k = 0; k < 4; k++, pos++)
			c[k] = pos < len ? (unsigned char)((l[pos] - 32) & 63) :
			    0;
		o[0] = (unsigned char)(c[0] << 2 | c[1] >> 4);
		o[1] = (unsigned char)(c[1] << 4 | c[2] >> 2);
		o[2] = (unsigned char)(c[2] << 6 | c[3]);
		i = n < 3 ? n : 3;
		buf_add(out, o, i);
		n -= i;
	}
}

enum codec_type
codec_type_from_cte(const char *p, size_t len, bool *known)
{
	static const struct {
		const char	*name;
		enum codec_type	 type;
	} tab[] = {
		{ "7bit", CODEC_IDENTITY },
		{ "8bit", CODEC_IDENTITY },
		{ "binary", CODEC_IDENTITY },
		{ "base64", CODEC_BASE64 },
		{ "quoted-printable", CODEC_QP },
		/* lenient: spellings seen in real mail */
		{ "7-bit", CODEC_IDENTITY },
		{ "8-bit", CODEC_IDENTITY },
		{ "x-uuencode", CODEC_UU },
		{ "x-uue", CODEC_UU },
		{ "uuencode", CODEC_UU },
		{ "uue", CODEC_UU },
	};
	size_t	 i;

	str_trim(&p, &len);
	while (len > 0 && (p[len - 1] == ';' || p[len - 1] == '"'))
		len--;
	while (len > 0 && p[0] == '"') {
		p++;
		len--;
	}
	for (i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		if (str_eq_ci(p, len, tab[i].name)) {
			if (known != NULL)
				*known = true;
			return tab[i].type;
		}
	}
	if (known != NULL)
		*known = false;
	return CODEC_IDENTITY;
}

static void
oneshot(enum codec_type type, const void *p, size_t len, struct buf *out)
{
	struct codec_dec	 d;

	codec_dec_init(&d, type);
	codec_dec_feed(&d, p, len, out);
	codec_dec_finish(&d, out);
}

void
codec_base64_decode(const void *p, size_t len, struct buf *out)
{
	oneshot(CODEC_BASE64, p, len, out);
}

void
codec_qp_decode(const void *p, size_t len, struct buf *out)
{
	oneshot(CODEC_QP, p, len, out);
}

void
codec_q_decode(const void *p, size_t len, struct buf *out)
{
	oneshot(CODEC_Q, p, len, out);
}

void
codec_uu_decode(const void *p, size_t len, struct buf *out)
{
	oneshot(CODEC_UU, p, len, out);
}

void
codec_base64_encode(const void *p, size_t len, struct buf *out)
{
	const unsigned char	*s = p;
	char			*o;
	size_t			 i, n = 0;
	unsigned int		 v;

	buf_reserve(out, (len + 2) / 3 * 4);
	o = out->data + out->len;
	for (i = 0; i + 3 <= len; i += 3) {
		v = (unsigned int)s[i] << 16 | (unsigned int)s[i + 1] << 8 |
		    s[i + 2];
		o[n++] = b64_alphabet[v >> 18];
		o[n++] = b64_alphabet[(v >> 12) & 63];
		o[n++] = b64_alphabet[(v >> 6) & 63];
		o[n++] = b64_alphabet[v & 63];
	}
	if (i < len) {
		v = (unsigned int)s[i] << 16;
		if (i + 1 < len)
			v |= (unsigned int)s[i + 1] << 8;
		o[n++] = b64_alphabet[v >> 18];
		o[n++] = b64_alphabet[(v >> 12) & 63];
		o[n++] = i + 1 < len ? b64_alphabet[(v >> 6) & 63] : '=';
		o[n++] = '=';
	}
	out->len += n;
	out->data[out->len] = '\0';
}

/* Is l[0..len) a "begin MODE NAME" line?  Fill mode and name. */
static bool
uu_begin(const char *l, size_t len, struct codec_uu_span *sp)
{
	size_t		 i = 6, digits = 0;
	unsigned int	 mode = 0;

	if (len < 8 || memcmp(l, "begin ", 6) != 0)
		return false;
	while (i < len && l[i] >= '0' && l[i] <= '7' && digits < 5) {
		mode = mode * 8 + (unsigned int)(l[i++] - '0');
		digits++;
	}
	if (digits < 3 || i >= len || l[i] != ' ')
		return false;
	i++;
	while (len > i && (l[len - 1] == '\r' || l[len - 1] == ' '))
		len--;
	if (i >= len)
		return false;
	sp->mode = mode;
	sp->name = l + i;
	sp->namelen = len - i;
	return true;
}

bool
codec_uu_find(const char *p, size_t len, struct codec_uu_span *sp)
{
	const char	*nl;
	size_t		 off = 0, n, l;
	bool		 in = false;

	while (off < len) {
		nl = memchr(p + off, '\n', len - off);
		n = nl != NULL ? (size_t)(nl - (p + off)) + 1 : len - off;
		if (!in && uu_begin(p + off, n - (nl != NULL), sp)) {
			sp->begin = off;
			in = true;
		} else if (in) {
			l = n - (nl != NULL);
			while (l > 0 && (p[off + l - 1] == '\r' ||
			    p[off + l - 1] == ' '))
				l--;
			if (l == 3 && memcmp(p + off, "end", 3) == 0) {
				sp->end = off + n;
				return true;
			}
		}
		off += n;
	}
	return false;
}
