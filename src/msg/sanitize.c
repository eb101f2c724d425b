/* SPDX-License-Identifier: ISC */
/*
 * The terminal-safety sanitizer and display-width helpers (see
 * sanitize.h for the replacement table).  Pure: no I/O; the only state
 * is a lazily created C.UTF-8 locale object used for wcwidth().
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "msg/sanitize.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define CP_REPLACEMENT	0xfffd
#define CP_ESC_PIC	0x241b
#define CP_DEL_PIC	0x2421
#define CP_ELLIPSIS	0x2026

static locale_t	 sanitize_loc;
static int	 sanitize_loc_state;	/* 0 untried, 1 ok, -1 none */

size_t
sanitize_utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 c;
	size_t			 n, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* Shortest form only; no surrogates; nothing past U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

void
sanitize_utf8_put(struct buf *out, uint32_t cp)
{
	unsigned char	 s[4];

	if (cp < 0x80) {
		buf_add_byte(out, (unsigned char)cp);
		return;
	}
	if (cp < 0x800) {
		s[0] = 0xc0 | (cp >> 6);
		s[1] = 0x80 | (cp & 0x3f);
		buf_add(out, s, 2);
	} else if (cp < 0x10000) {
		s[0] = 0xe0 | (cp >> 12);
		s[1] = 0x80 | ((cp >> 6) & 0x3f);
		s[2] = 0x80 | (cp & 0x3f);
		buf_add(out, s, 3);
	} else {
		s[0] = 0xf0 | (cp >> 18);
		s[1] = 0x80 | ((cp >> 12) & 0x3f);
		s[2] = 0x80 | ((cp >> 6) & 0x3f);
		s[3] = 0x80 | (cp & 0x3f);
		buf_add(out, s, 4);
	}
}

/* Bidi controls and invisible format characters that must not pass. */
static bool
sanitize_cp_hidden(uint32_t cp)
{
	if (cp < 0xad)
		return false;
	return cp == 0xad || cp == 0x61c || cp == 0x180e ||
	    cp == 0x200b || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2060 && cp <= 0x206f) ||
	    cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) ||
	    (cp >= 0xe0000 && cp <= 0xe007f);
}

static int
sanitize_width_builtin(uint32_t cp)
{
	static const uint32_t	 zero[][2] = {
		{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
		{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x0e31, 0x0e31 },
		{ 0x0e34, 0x0e3a }, { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff },
		{ 0x200c, 0x200d }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
		{ 0xfe20, 0xfe2f },
	};
	static const uint32_t	 wide[][2] = {
		{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2e80, 0x303e },
		{ 0x3041, 0x33ff }, { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff },
		{ 0xa000, 0xa4cf }, { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff },
		{ 0xfe30, 0xfe4f }, { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 },
		{ 0x1f300, 0x1f64f }, { 0x1f900, 0x1f9ff },
		{ 0x20000, 0x3fffd },
	};
	size_t			 i;

	for (i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (cp >= zero[i][0] && cp <= zero[i][1])
			return 0;
	for (i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (cp >= wide[i][0] && cp <= wide[i][1])
			return 2;
	return 1;
}

int
sanitize_cp_width(uint32_t cp)
{
	locale_t	 old;
	int		 w;

	if (cp < 0x7f)
		return cp < 0x20 ? -1 : 1;
	if (cp < 0xa0)
		return -1;
	if (sanitize_loc_state == 0) {
		sanitize_loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		if (sanitize_loc == (locale_t)0)
			sanitize_loc = newlocale(LC_CTYPE_MASK, "en_US.UTF-8",
			    (locale_t)0);
		sanitize_loc_state = sanitize_loc != (locale_t)0 ? 1 : -1;
	}
	if (sanitize_loc_state < 0)
		return sanitize_width_builtin(cp);
	old = uselocale(sanitize_loc);
	w = wcwidth((wchar_t)cp);
	uselocale(old);
	return w;
}

/*
 * Length of the escape sequence starting at p[0] == ESC (ECMA-48 section
 * 5.4 for CSI, 8.3.89 etc. for the control strings).
 */
static size_t
sanitize_esc_len(const unsigned char *p, size_t len)
{
	size_t	 i, max;

	max = len < SANITIZE_SEQ_MAX ? len : SANITIZE_SEQ_MAX;
	if (max < 2)
		return 1;
	switch (p[1]) {
	case '[':
		for (i = 2; i < max && p[i] >= 0x20 && p[i] <= 0x3f; i++)
			;
		if (i < max && p[i] >= 0x40 && p[i] <= 0x7e)
			i++;
		return i;
	case ']':
	case 'P':
	case '_':
	case '^':
	case 'X':
		for (i = 2; i < max; i++) {
			if (p[i] == 0x07)
				return i + 1;
			if (p[i] == 0x1b && i + 1 < len && p[i + 1] == '\\')
				return i + 2;
			if (p[i] == '\n' || p[i] == 0x1b)
				return i;
		}
		return i;
	default:
		break;
	}
	for (i = 1; i < max && p[i] >= 0x20 && p[i] <= 0x2f; i++)
		;
	if (i < max && p[i] >= 0x30 && p[i] <= 0x7e)
		i++;
	return i;
}

int
sanitize_append(struct buf *out, const char *s, size_t len, int col,
    unsigned int flags)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, n, run;
	uint32_t		 cp;
	int			 w;

	buf_reserve(out, len);
	i = 0;
	while (i < len) {
		/* Fast path: a run of printable ASCII. */
		for (run = i; run < len && p[run] >= 0x20 && p[run] < 0x7f;
		    run++)
			;
		if (run > i) {
			buf_add(out, p + i, run - i);
			col += (int)(run - i);
			i = run;
			continue;
		}
		if (p[i] == '\n' && (flags & SANITIZE_KEEP_NL)) {
			buf_add_byte(out, '\n');
			col = 0;
			i++;
			continue;
		}
		if (p[i] == '\t') {
			if (flags & SANITIZE_TABS) {
				do {
					buf_add_byte(out, ' ');
					col++;
				} while (col % SANITIZE_TABSTOP != 0);
			} else {
				buf_add_byte(out, ' ');
				col++;
			}
			i++;
			continue;
		}
		if (p[i] == 0x1b) {
			i += sanitize_esc_len(p + i, len - i);
			sanitize_utf8_put(out, CP_ESC_PIC);
			col++;
			continue;
		}
		if (p[i] < 0x20) {
			sanitize_utf8_put(out, 0x2400 + p[i]);
			col++;
			i++;
			continue;
		}
		if (p[i] == 0x7f) {
			sanitize_utf8_put(out, CP_DEL_PIC);
			col++;
			i++;
			continue;
		}
		if ((n = sanitize_utf8_next(s + i, len - i, &cp)) == 0) {
			sanitize_utf8_put(out, CP_REPLACEMENT);
			col++;
			i++;
			continue;
		}
		if (sanitize_cp_hidden(cp) ||
		    (w = sanitize_cp_width(cp)) < 0) {
			sanitize_utf8_put(out, CP_REPLACEMENT);
			col++;
		} else {
			buf_add(out, p + i, n);
			col += w;
		}
		i += n;
	}
	return col;
}

char *
sanitize_dup(const char *p, size_t len, unsigned int flags)
{
	struct buf	 b = BUF_INIT;

	sanitize_append(&b, p, len, 0, flags);
	return buf_take(&b, NULL);
}

bool
sanitize_is_clean(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, n;
	uint32_t		 cp;

	for (i = 0; i < len; i += n) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			n = 1;
			continue;
		}
		if ((n = sanitize_utf8_next(s + i, len - i, &cp)) == 0 ||
		    cp < 0xa0 || sanitize_cp_hidden(cp) ||
		    sanitize_cp_width(cp) < 0)
			return false;
	}
	return true;
}

int
sanitize_width(const char *s, size_t len)
{
	size_t		 i, n;
	uint32_t	 cp;
	int		 w, total = 0;

	for (i = 0; i < len; i += n) {
		if ((unsigned char)s[i] < 0x80) {
			n = 1;
			total++;
			continue;
		}
		if ((n = sanitize_utf8_next(s + i, len - i, &cp)) == 0) {
			n = 1;
			total++;
			continue;
		}
		if ((w = sanitize_cp_width(cp)) > 0)
			total += w;
	}
	return total;
}

size_t
sanitize_cut(const char *s, size_t len, int cols, int *widthp)
{
	size_t		 i, n;
	uint32_t	 cp;
	int		 w, total = 0;

	for (i = 0; i < len; i += n) {
		if ((n = sanitize_utf8_next(s + i, len - i, &cp)) == 0) {
			n = 1;
			w = 1;
		} else if ((w = sanitize_cp_width(cp)) < 0)
			w = 1;
		/* A zero-width mark rides with the character before it. */
		if (w > 0 && total + w > cols)
			break;
		total += w;
	}
	if (widthp != NULL)
		*widthp = total;
	return i;
}

void
sanitize_fit(struct buf *out, const char *p, size_t len, int cols,
    bool ellipsis)
{
	struct buf	 tmp = BUF_INIT;
	size_t		 n;
	int		 w, width;

	if (cols <= 0)
		return;
	sanitize_append(&tmp, p, len, 0, 0);
	width = sanitize_width(tmp.data, tmp.len);
	if (width <= cols) {
		buf_add(out, tmp.data, tmp.len);
		w = width;
	} else if (ellipsis) {
		n = sanitize_cut(tmp.data, tmp.len, cols - 1, &w);
		buf_add(out, tmp.data, n);
		sanitize_utf8_put(out, CP_ELLIPSIS);
		w++;
	} else {
		n = sanitize_cut(tmp.data, tmp.len, cols, &w);
		buf_add(out, tmp.data, n);
	}
	for (; w < cols; w++)
		buf_add_byte(out, ' ');
	buf_fini(&tmp);
}
