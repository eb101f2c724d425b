/* SPDX-License-Identifier: ISC */
/*
 * Sanitizing, width-aware text output for ncurses.  XXX: the message
 * engine's sanitizer (msg/sanitize.h) replaces the decoder below once it
 * lands; the contract (visible placeholders, column widths) stays.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "ui/render.h"

#define RENDER_BAD	0xfffd		/* U+FFFD REPLACEMENT CHARACTER */

/* Decode one UTF-8 sequence at p (len > 0); *n gets its length. */
static uint32_t
render_decode(const unsigned char *p, size_t len, size_t *n)
{
	uint32_t	 c, min;
	size_t		 need, i;

	*n = 1;
	if (p[0] < 0x80)
		return p[0];
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 1; c = p[0] & 0x1f; min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 2; c = p[0] & 0x0f; min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 3; c = p[0] & 0x07; min = 0x10000;
	} else
		return RENDER_BAD;
	if (len < need + 1)
		return RENDER_BAD;
	for (i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return RENDER_BAD;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return RENDER_BAD;
	*n = need + 1;
	return c;
}

static bool
render_is_bidi(uint32_t c)
{
	return c == 0x061c || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* The code point to show for c, and its width. */
static uint32_t
render_map(uint32_t c, int *w)
{
	int	 cw;

	*w = 1;
	if (c == '\t')
		return ' ';
	if (c < 0x20)
		return 0x2400 + c;	/* U+2400.. control pictures: ␛ */
	if (c == 0x7f)
		return 0x2421;		/* ␡ */
	if ((c >= 0x80 && c <= 0x9f) || render_is_bidi(c))
		return RENDER_BAD;
	cw = wcwidth((wchar_t)c);
	if (cw < 0)
		return RENDER_BAD;
	*w = cw;
	return c;
}

static void
render_put(struct buf *out, uint32_t c)
{
	unsigned char	 b[4];
	size_t		 n;

	if (c < 0x80) {
		b[0] = (unsigned char)c; n = 1;
	} else if (c < 0x800) {
		b[0] = (unsigned char)(0xc0 | (c >> 6));
		b[1] = (unsigned char)(0x80 | (c & 0x3f)); n = 2;
	} else if (c < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (c >> 12));
		b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (c & 0x3f)); n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (c >> 18));
		b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (c & 0x3f)); n = 4;
	}
	buf_add(out, b, n);
}

int
render_fit(struct buf *out, const char *s, size_t len, int cols, bool pad)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	int			 used = 0, w;
	uint32_t		 c;

	while (i < len) {
		c = render_map(render_decode(p + i, len - i, &n), &w);
		if (used + w > cols)
			break;
		if (w == 0 && used == 0)	/* lone combining mark */
			c = RENDER_BAD, w = 1;
		if (out != NULL)
			render_put(out, c);
		used += w;
		i += n;
	}
	while (pad && used < cols) {
		if (out != NULL)
			buf_add_byte(out, ' ');
		used++;
	}
	return used;
}

size_t
render_cut(const char *s, size_t len, int cols)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	int			 used = 0, w;

	while (i < len) {
		render_map(render_decode(p + i, len - i, &n), &w);
		if (w == 0 && used == 0)
			w = 1;
		if (used + w > cols)
			break;
		used += w;
		i += n;
	}
	return i;
}

int
render_width(const char *s, size_t len)
{
	return render_fit(NULL, s, len, 1 << 30, false);
}
