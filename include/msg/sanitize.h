/* SPDX-License-Identifier: ISC */
/*
 * sanitize.h: the one sanitizer for text from mail and servers on its way
 * to the terminal, and display-width helpers for the result.
 *
 * Input is treated as UTF-8.  Output is valid UTF-8 holding only printable
 * characters (plus LF when SANITIZE_KEEP_NL is given).  What is replaced,
 * and by what (each placeholder is one column wide):
 *   - a byte that is not part of valid UTF-8 (overlong forms, surrogates,
 *     code points above U+10FFFF, truncated sequences): U+FFFD;
 *   - C0 controls U+0000-001F: the Control Picture U+2400+c (so NUL shows
 *     as U+2400, BEL as U+2407, CR as U+240D);
 *   - DEL: U+2421;
 *   - ESC together with the whole sequence it starts (CSI ... final byte,
 *     OSC/DCS/APC/PM/SOS ... BEL or ST, or a two-byte escape): one U+241B.
 *     An unterminated string sequence stops at a line end or after
 *     SANITIZE_SEQ_MAX bytes, so it can never hide more than that;
 *   - C1 controls U+0080-009F (8-bit CSI, OSC, ...): U+FFFD;
 *   - bidirectional controls (U+061C, U+200E, U+200F, U+202A-202E,
 *     U+2066-2069) and other invisible format characters (U+00AD,
 *     U+180E, U+200B, U+2060-2064, U+206A-206F, U+FEFF, U+FFF9-FFFB,
 *     U+E0000-E007F): U+FFFD.  ZWNJ and ZWJ (U+200C, U+200D) and the
 *     variation selectors stay: scripts and emoji need them and they
 *     cannot reorder or hide text;
 *   - anything wcwidth() calls unprintable (unassigned, noncharacters,
 *     line/paragraph separators): U+FFFD.
 * A tab becomes spaces up to the next multiple of 8 columns when
 * SANITIZE_TABS is given, else one space.
 *
 * Widths come from wcwidth() evaluated in a private C.UTF-8 locale
 * (newlocale + uselocale around each call), so the caller's setlocale()
 * does not matter; when no UTF-8 locale exists a built-in approximation
 * (combining marks 0, East Asian wide and emoji ranges 2, else 1) is
 * used.  Nothing here prints or allocates beyond the output buffer.
 */
#ifndef PONS_MSG_SANITIZE_H
#define PONS_MSG_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define SANITIZE_SEQ_MAX	256	/* bytes an escape sequence may swallow */
#define SANITIZE_TABSTOP	8

enum sanitize_flags {
	SANITIZE_KEEP_NL = 0x01,	/* LF passes through and resets the column */
	SANITIZE_TABS = 0x02,		/* expand tabs to tab stops */
};

/*
 * Decode one UTF-8 character from p[0..len) (len > 0) into *cp.  Returns
 * its length, or 0 if p does not start a valid, shortest-form sequence.
 */
size_t	 sanitize_utf8_next(const char *p, size_t len, uint32_t *cp);
/* Append the UTF-8 encoding of cp (<= U+10FFFF, not a surrogate) to out. */
void	 sanitize_utf8_put(struct buf *out, uint32_t cp);

/*
 * Append the sanitized form of p[0..len) to out.  col is the display
 * column the text starts at (for tab stops).  Returns the column after
 * the last character written (counted from the last LF, if any).
 */
int	 sanitize_append(struct buf *out, const char *p, size_t len, int col,
	    unsigned int flags);
/* The sanitized text as a NUL-terminated string owned by the caller. */
char	*sanitize_dup(const char *p, size_t len, unsigned int flags);
/* True if p[0..len) would come out of sanitize_append() unchanged. */
bool	 sanitize_is_clean(const char *p, size_t len);

/* Display columns of one code point: 0, 1 or 2 (-1 if unprintable). */
int	 sanitize_cp_width(uint32_t cp);
/* Display columns of sanitized text (an invalid byte counts 1). */
int	 sanitize_width(const char *p, size_t len);
/*
 * The number of leading bytes of sanitized text p[0..len) that fit in
 * cols columns, never cutting a character (a combining mark stays with
 * its base).  *widthp, if not NULL, receives their width.
 */
size_t	 sanitize_cut(const char *p, size_t len, int cols, int *widthp);
/*
 * Append p[0..len) (raw: it is sanitized first) to out, cut and padded
 * with spaces to exactly cols columns, for index columns.  A cut string
 * ends in U+2026 when ellipsis is set.  A wide character that does not
 * fit in the last column is replaced by a space.
 */
void	 sanitize_fit(struct buf *out, const char *p, size_t len, int cols,
	    bool ellipsis);

#endif
