/* SPDX-License-Identifier: ISC */
/*
 * Modified UTF-7 (RFC 3501 section 5.1.3): printable US-ASCII stands for
 * itself except "&", which starts a shift into modified base64 ("," for
 * "/", no padding) of UTF-16BE, ended by "-"; "&-" is "&".
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap/imap-utf7.h"
#include "util/buf.h"
#include "util/err.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == ',')
		return 63;
	return -1;
}

static void
utf8_put(struct buf *out, uint32_t cp)
{
	if (cp < 0x80)
		buf_add_byte(out, (unsigned char)cp);
	else if (cp < 0x800) {
		buf_add_byte(out, (unsigned char)(0xc0 | (cp >> 6)));
		buf_add_byte(out, (unsigned char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_add_byte(out, (unsigned char)(0xe0 | (cp >> 12)));
		buf_add_byte(out, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_add_byte(out, (unsigned char)(0x80 | (cp & 0x3f)));
	} else {
		buf_add_byte(out, (unsigned char)(0xf0 | (cp >> 18)));
		buf_add_byte(out, (unsigned char)(0x80 | ((cp >> 12) & 0x3f)));
		buf_add_byte(out, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_add_byte(out, (unsigned char)(0x80 | (cp & 0x3f)));
	}
}

/* Decode one shift p[0..len) (between "&" and "-"); -1 if malformed. */
static int
utf7_shift_decode(const char *p, size_t len, struct buf *out)
{
	uint32_t	 bits = 0, hi = 0, u;
	int		 nbits = 0, v;
	size_t		 i;

	for (i = 0; i < len; i++) {
		if ((v = b64_value((unsigned char)p[i])) == -1)
			return -1;
		bits = (bits << 6) | (uint32_t)v;
		nbits += 6;
		if (nbits < 16)
			continue;
		nbits -= 16;
		u = (bits >> nbits) & 0xffff;
		bits &= (1u << nbits) - 1;
		if (hi != 0) {
			if (u < 0xdc00 || u > 0xdfff)
				return -1;
			utf8_put(out, 0x10000 + ((hi - 0xd800) << 10) +
			    (u - 0xdc00));
			hi = 0;
		} else if (u >= 0xd800 && u <= 0xdbff)
			hi = u;
		else if (u >= 0xdc00 && u <= 0xdfff)
			return -1;
		else if (u >= 0x20 && u <= 0x7e)
			return -1;	/* must have been written directly */
		else
			utf8_put(out, u);
	}
	/* leftover: fewer than 6 bits, all zero, and no half pair */
	if (hi != 0 || nbits >= 6 || bits != 0)
		return -1;
	return 0;
}

int
imap_utf7_decode(const char *p, size_t len, struct buf *out, struct err *e)
{
	size_t		 i, j, mark = out->len;
	unsigned char	 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)p[i];
		if (c < 0x20 || c > 0x7e)
			goto bad;
		if (c != '&') {
			buf_add_byte(out, c);
			continue;
		}
		for (j = i + 1; j < len && p[j] != '-'; j++)
			;
		if (j == len)
			goto bad;
		if (j == i + 1)
			buf_add_byte(out, '&');
		else if (utf7_shift_decode(p + i + 1, j - i - 1, out) == -1)
			goto bad;
		i = j;
	}
	return 0;
bad:
	buf_truncate(out, mark);
	return err_set(e, ERR_PROTO, "invalid modified UTF-7 mailbox name");
}

/* Next code point of UTF-8 p[*i..len); -1 if invalid. */
static int32_t
utf8_next(const unsigned char *p, size_t len, size_t *i)
{
	uint32_t	 cp, min;
	size_t		 n, k;
	unsigned char	 c = p[*i];

	if (c < 0x80)
		n = 0, cp = c, min = 0;
	else if ((c & 0xe0) == 0xc0)
		n = 1, cp = c & 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		n = 2, cp = c & 0x0f, min = 0x800;
	else if ((c & 0xf8) == 0xf0)
		n = 3, cp = c & 0x07, min = 0x10000;
	else
		return -1;
	if (len - *i <= n)
		return -1;
	for (k = 1; k <= n; k++) {
		if ((p[*i + k] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[*i + k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*i += n + 1;
	return (int32_t)cp;
}

static void
utf7_put16(struct buf *out, uint32_t u, uint32_t *bits, int *nbits)
{
	*bits = (*bits << 16) | u;
	*nbits += 16;
	while (*nbits >= 6) {
		*nbits -= 6;
		buf_add_byte(out, b64[(*bits >> *nbits) & 0x3f]);
	}
	*bits &= (1u << *nbits) - 1;
}

int
imap_utf7_encode(const char *p, size_t len, struct buf *out, struct err *e)
{
	const unsigned char	*u = (const unsigned char *)p;
	size_t			 i = 0, mark = out->len;
	int32_t			 cp;
	uint32_t		 bits = 0;
	int			 nbits = 0;
	bool			 shifted = false;

	while (i < len) {
		if ((cp = utf8_next(u, len, &i)) <= 0)
			goto bad;
		if (cp >= 0x20 && cp <= 0x7e) {
			if (shifted) {
				if (nbits > 0)
					buf_add_byte(out,
					    b64[(bits << (6 - nbits)) & 0x3f]);
				buf_add_byte(out, '-');
				shifted = false;
				bits = 0;
				nbits = 0;
			}
			buf_add_str(out, cp == '&' ? "&-" : (char[]){
			    (char)cp, '\0' });
			continue;
		}
		if (!shifted) {
			buf_add_byte(out, '&');
			shifted = true;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			utf7_put16(out, 0xd800 + ((uint32_t)cp >> 10), &bits,
			    &nbits);
			utf7_put16(out, 0xdc00 + ((uint32_t)cp & 0x3ff), &bits,
			    &nbits);
		} else
			utf7_put16(out, (uint32_t)cp, &bits, &nbits);
	}
	if (shifted) {
		if (nbits > 0)
			buf_add_byte(out, b64[(bits << (6 - nbits)) & 0x3f]);
		buf_add_byte(out, '-');
	}
	return 0;
bad:
	buf_truncate(out, mark);
	return err_set(e, ERR_INPUT, "mailbox name is not valid UTF-8");
}
