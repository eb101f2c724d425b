/* SPDX-License-Identifier: ISC */
/*
 * flowed.h: RFC 3676 format=flowed text reflowed for display.  Pure: text
 * in, text out.
 */
#ifndef PONS_MSG_FLOWED_H
#define PONS_MSG_FLOWED_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/*
 * Append to out the format=flowed text p[0..len) (UTF-8 or not: bytes
 * are copied as they are; LF or CRLF line ends) with its paragraphs
 * joined and rewrapped at width display columns (0: not rewrapped, each
 * paragraph one line).  Space-stuffing is removed (RFC 3676 section
 * 4.4); with delsp the space that marks a flowed line is deleted too
 * (section 4.2).  Quote depth is kept: a quoted output line starts with
 * one '>' per level and one space, and the width includes that prefix.
 * A word longer than the width stays whole on its own line.  The
 * signature separator "-- " is never joined.  Every output line ends in
 * LF.
 */
void	 flowed_reflow(struct buf *out, const char *p, size_t len, bool delsp,
	    int width);

#endif
