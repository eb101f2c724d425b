/* SPDX-License-Identifier: ISC */
/*
 * RFC 3676 format=flowed: unflow into paragraphs (keeping quote depth),
 * then rewrap each paragraph greedily at display width.
 */
#include "config.h"

#include <string.h>

#include "msg/flowed.h"
#include "msg/sanitize.h"
#include "util/buf.h"

#define FLOWED_MIN_WIDTH	20	/* text columns left after a deep quote */

static int
flowed_char_width(const char *p, size_t len, size_t *n)
{
	uint32_t	 cp;
	int		 w;

	if ((*n = sanitize_utf8_next(p, len, &cp)) == 0) {
		*n = 1;
		return 1;
	}
	if ((w = sanitize_cp_width(cp)) < 0)
		return 1;
	return w;
}

static void
flowed_prefix(struct buf *out, int depth)
{
	int	 i;

	for (i = 0; i < depth; i++)
		buf_add_byte(out, '>');
	if (depth > 0)
		buf_add_byte(out, ' ');
}

/* Emit one paragraph, wrapped at width columns (0: no wrap). */
static void
flowed_emit(struct buf *out, const char *p, size_t len, int depth, int width)
{
	size_t	 start, i, n, brk;
	int	 w, col, room;

	room = width;
	if (width > 0 && depth > 0)
		room -= depth + 1;
	if (width > 0 && room < FLOWED_MIN_WIDTH)
		room = FLOWED_MIN_WIDTH;
	start = 0;
	while (start < len || start == 0) {
		col = 0;
		brk = 0;
		for (i = start; i < len; i += n) {
			if (p[i] == ' ' && i > start)
				brk = i;
			w = flowed_char_width(p + i, len - i, &n);
			if (width > 0 && col + w > room && p[i] != ' ' &&
			    brk > start)
				break;
			col += w;
		}
		if (i >= len)
			brk = len;
		flowed_prefix(out, depth);
		buf_add(out, p + start, brk - start);
		buf_add_byte(out, '\n');
		if (brk >= len)
			break;
		/* The space at the break is consumed by the line end. */
		start = brk + 1;
		if (start >= len)
			break;
	}
}

void
flowed_reflow(struct buf *out, const char *p, size_t len, bool delsp,
    int width)
{
	struct buf	 para = BUF_INIT;
	const char	*line, *eol, *end = p + len;
	size_t		 llen;
	int		 depth, pdepth = -1;
	bool		 flowed, open = false;

	for (line = p; line < end; line = eol + 1) {
		if ((eol = memchr(line, '\n', (size_t)(end - line))) == NULL)
			eol = end;
		llen = (size_t)(eol - line);
		if (llen > 0 && line[llen - 1] == '\r')
			llen--;
		for (depth = 0; (size_t)depth < llen && line[depth] == '>';
		    depth++)
			;
		line += depth;
		llen -= (size_t)depth;
		/* Section 4.4: one leading space is stuffing. */
		if (llen > 0 && line[0] == ' ') {
			line++;
			llen--;
		}
		/* Section 4.3: a quote-depth change ends the paragraph. */
		if (open && depth != pdepth) {
			flowed_emit(out, para.data, para.len, pdepth, width);
			buf_reset(&para);
			open = false;
		}
		flowed = llen > 0 && line[llen - 1] == ' ' &&
		    !(llen == 3 && memcmp(line, "-- ", 3) == 0);
		if (flowed && delsp)
			llen--;
		buf_add(&para, line, llen);
		pdepth = depth;
		open = true;
		if (!flowed) {
			flowed_emit(out, para.data, para.len, depth, width);
			buf_reset(&para);
			open = false;
		}
		if (eol == end)
			break;
	}
	if (open)
		flowed_emit(out, para.data, para.len, pdepth, width);
	buf_fini(&para);
}
