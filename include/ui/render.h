/* SPDX-License-Identifier: ISC */
/*
 * render.h: the one way text from mail reaches the screen.  Every string
 * is sanitized here (control characters, escape sequences, bidi controls
 * and invalid UTF-8 become visible placeholders) and cut to a width in
 * terminal columns (wcwidth, never bytes), so mail cannot drive the
 * terminal and wide characters line up.
 */
#ifndef PONS_UI_RENDER_H
#define PONS_UI_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/*
 * Append to out the sanitized s[0..len), cut to at most cols columns (a
 * wide character that would straddle the edge is left out); with pad,
 * spaces fill up to cols.  Returns the columns used.
 */
int	 render_fit(struct buf *out, const char *s, size_t len, int cols,
	    bool pad);
/*
 * Bytes of s[0..len) that fit in cols columns once sanitized (a prefix
 * that ends on a character boundary).
 */
size_t	 render_cut(const char *s, size_t len, int cols);
/* Columns s[0..len) takes once sanitized. */
int	 render_width(const char *s, size_t len);

#endif
