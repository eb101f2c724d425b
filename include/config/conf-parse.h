/* SPDX-License-Identifier: ISC */
/*
 * conf-parse.h: the pure config file lexer.  Text in, one item per
 * meaningful line out to a callback.  No I/O, no option table: checking
 * names and values is the caller's job (conf.c).
 *
 * Syntax, one construct per line:
 *	# comment			(also ';'; only at the start of a line)
 *	[section]
 *	[section "subname"]		(\" and \\ escape inside the quotes)
 *	name = value			(value: rest of line, trimmed; a value
 *					 in double quotes keeps its spaces)
 * Lines end with LF or CRLF.  A line longer than CONF_LINE_MAX is an error.
 */
#ifndef PONS_CONFIG_CONF_PARSE_H
#define PONS_CONFIG_CONF_PARSE_H

#include <stddef.h>

#define CONF_LINE_MAX	4096	/* bytes, without the line end */

enum conf_item_kind {
	CONF_ITEM_SECTION,	/* section (and sub, if quoted name given) */
	CONF_ITEM_PAIR,		/* name = value */
	CONF_ITEM_ERROR,	/* message says what is wrong with the line */
};

struct conf_item {
	enum conf_item_kind	 kind;
	unsigned int		 line;		/* 1-based */
	const char		*section;	/* SECTION, PAIR: current section;
						   NULL before the first, "" after
						   a broken header (skip those) */
	const char		*sub;		/* quoted subname or NULL */
	const char		*name;		/* PAIR */
	const char		*value;		/* PAIR, unquoted */
	size_t			 value_off;	/* PAIR: byte offsets of the raw */
	size_t			 value_len;	/*  value text within the line */
	size_t			 line_off;	/* offset of the line in the text */
	size_t			 line_len;	/* without the line end */
	const char		*message;	/* ERROR */
};

/*
 * Called for each item; the strings are borrowed for the call only.
 * Return 0 to continue, -1 to stop.
 */
typedef int (*conf_item_cb)(void *arg, const struct conf_item *);

/*
 * Lex text[0..len); NULs in the text are errors.  Returns the number of
 * ERROR items seen, or -1 if the callback stopped it.
 */
int	 conf_parse(const char *text, size_t len, conf_item_cb, void *arg);

/* Quote value for writing if needed ("..." with escapes); appended to out. */
struct buf;
void	 conf_quote_value(const char *value, struct buf *out);

#endif
