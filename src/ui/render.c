/* SPDX-License-Identifier: ISC */
/*
 * Sanitizing, width-aware text output for ncurses, on top of the message
 * engine's sanitizer (msg/sanitize.h): this file only cuts and pads.
 */
#include "config.h"

#include <string.h>

#include "msg/sanitize.h"
#include "ui/render.h"

/* Scratch for the sanitized text; the UI is single-threaded. */
static struct buf	render_tmp;

int
render_fit(struct buf *out, const char *s, size_t len, int cols, bool pad)
{
	size_t	 cut;
	int	 used = 0;

	if (cols < 0)
		cols = 0;
	buf_reset(&render_tmp);
	sanitize_append(&render_tmp, s, len, 0, 0);
	cut = sanitize_cut(buf_str(&render_tmp), render_tmp.len, cols, &used);
	if (out != NULL)
		buf_add(out, render_tmp.data != NULL ? render_tmp.data : "",
		    cut);
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
	if (sanitize_is_clean(s, len))
		return sanitize_cut(s, len, cols, NULL);
	/* raw text: cut on the sanitized form, map back by re-sanitizing */
	{
		size_t	 lo = 0, hi = len, mid;

		while (lo < hi) {	/* longest prefix that fits */
			mid = lo + (hi - lo + 1) / 2;
			if (render_width(s, mid) <= cols)
				lo = mid;
			else
				hi = mid - 1;
		}
		return lo;
	}
}

int
render_width(const char *s, size_t len)
{
	int	 w;

	buf_reset(&render_tmp);
	sanitize_append(&render_tmp, s, len, 0, 0);
	w = sanitize_width(buf_str(&render_tmp), render_tmp.len);
	return w;
}
