/* SPDX-License-Identifier: ISC */
/*
 * html.h: a small built-in text/html to plain text converter for the
 * pager.  Pure: HTML (already converted to UTF-8) in, text out.  It does
 * not fetch, run or load anything; an external converter (mailcap-style
 * copiousoutput) is run by app/ through the render hook (render.h).
 */
#ifndef PONS_MSG_HTML_H
#define PONS_MSG_HTML_H

#include <stddef.h>

struct buf;

#define HTML_DEPTH_MAX	32	/* list and blockquote nesting kept */
#define HTML_LINKS_MAX	1000	/* links numbered; later ones are not */

/*
 * Append to out the readable text of the HTML document p[0..len):
 * paragraphs and headings separated by a blank line, <br> as a line
 * break, list items with bullets or numbers (indented two columns per
 * level), <blockquote> lines prefixed with one '>' per level and a
 * space (as render.h expects of quoted text), <pre> kept as it is,
 * table cells separated by two spaces, entities (named and numeric,
 * with &#128;-&#159; read as windows-1252 as browsers do) decoded, and
 * the content of <script>, <style>, <head>, <title> and comments
 * dropped.  An image shows as "[ALT]", or "[image]" without alt (an
 * empty alt hides it).  A link's target is shown as "[N]" after its text and listed
 * at the end as "[N] URL".  Every output line ends in LF.  Text is not
 * wrapped; bytes are copied, not sanitized.
 */
void	 html_to_text(struct buf *out, const char *p, size_t len);

#endif
