/* SPDX-License-Identifier: ISC */
/*
 * Pure config file lexer: text in, (section | name = value | error) items
 * out to a callback, each with its line number and the byte span of the
 * value so the writer can replace exactly that span.  Never performs I/O
 * and knows nothing of the option table (conf.c checks names and values).
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "config/conf-parse.h"
#include "util/buf.h"

struct conf_lex {
	struct buf	 section;
	struct buf	 sub;
	bool		 have_section;
	bool		 have_sub;
	struct buf	 name;
	struct buf	 value;
};

static bool
conf_is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool
conf_is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static int
conf_emit_error(struct conf_item *it, conf_item_cb cb, void *arg,
    const char *msg, int *nerr)
{
	it->kind = CONF_ITEM_ERROR;
	it->message = msg;
	(*nerr)++;
	return cb(arg, it);
}

/* [name] or [name "sub"], with an optional comment after the ']'. */
static const char *
conf_lex_section(struct conf_lex *lx, const char *p, const char *end)
{
	buf_reset(&lx->section);
	buf_reset(&lx->sub);
	lx->have_section = false;
	lx->have_sub = false;
	p++;				/* '[' */
	while (p < end && conf_is_space(*p))
		p++;
	while (p < end && conf_is_ident(*p))
		buf_add_byte(&lx->section, (unsigned char)*p++);
	if (lx->section.len == 0)
		return "missing section name after [";
	while (p < end && conf_is_space(*p))
		p++;
	if (p < end && *p == '"') {
		lx->have_sub = true;
		for (p++; p < end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < end &&
			    (p[1] == '"' || p[1] == '\\'))
				p++;
			buf_add_byte(&lx->sub, (unsigned char)*p);
		}
		if (p == end)
			return "unterminated quoted name in section header";
		p++;
		while (p < end && conf_is_space(*p))
			p++;
	}
	if (p == end || *p != ']')
		return "section header must end with ]";
	for (p++; p < end && conf_is_space(*p); p++)
		;
	if (p < end && *p != '#' && *p != ';')
		return "unexpected text after ]";
	lx->have_section = true;
	return NULL;
}

/* name = value; backslash escapes a character of the name ("\=", "\#"). */
static const char *
conf_lex_pair(struct conf_lex *lx, const char *line, const char *p,
    const char *end, struct conf_item *it)
{
	const char	*n0 = p, *n1, *v0, *v1, *q;

	buf_reset(&lx->name);
	buf_reset(&lx->value);
	for (; p < end && *p != '='; p++)
		if (*p == '\\' && p + 1 < end)
			p++;
	if (p == end)
		return "expected \"name = value\"";
	for (n1 = p; n1 > n0 && conf_is_space(n1[-1]); n1--)
		;
	/* A name ending in an escaped space keeps it. */
	if (n1 < p && n1 > n0 && n1[-1] == '\\')
		n1++;
	if (n1 == n0)
		return "missing name before =";
	buf_add(&lx->name, n0, (size_t)(n1 - n0));
	for (v0 = p + 1; v0 < end && conf_is_space(*v0); v0++)
		;
	for (v1 = end; v1 > v0 && conf_is_space(v1[-1]); v1--)
		;
	it->value_off = (size_t)(v0 - line);
	it->value_len = (size_t)(v1 - v0);
	if (v0 < v1 && *v0 == '"') {
		for (q = v0 + 1; q < v1 && *q != '"'; q++) {
			if (*q == '\\' && q + 1 < v1 &&
			    (q[1] == '"' || q[1] == '\\'))
				q++;
			buf_add_byte(&lx->value, (unsigned char)*q);
		}
		if (q == v1)
			return "unterminated quoted value";
		if (q != v1 - 1)
			return "unexpected text after the quoted value";
	} else
		buf_add(&lx->value, v0, (size_t)(v1 - v0));
	return NULL;
}

static void
conf_lex_fini(struct conf_lex *lx)
{
	buf_fini(&lx->section);
	buf_fini(&lx->sub);
	buf_fini(&lx->name);
	buf_fini(&lx->value);
}

int
conf_parse(const char *text, size_t len, conf_item_cb cb, void *arg)
{
	struct conf_lex	 lx;
	struct conf_item it;
	const char	*line, *end, *p, *msg, *nl;
	size_t		 off = 0;
	unsigned int	 lineno = 0;
	int		 nerr = 0, rv = 0;

	memset(&lx, 0, sizeof lx);
	while (off < len && rv == 0) {
		line = text + off;
		nl = memchr(line, '\n', len - off);
		end = nl != NULL ? nl : text + len;
		off = (size_t)(end - text) + (nl != NULL ? 1 : 0);
		if (end > line && end[-1] == '\r')
			end--;
		lineno++;
		memset(&it, 0, sizeof it);
		it.line = lineno;
		it.line_off = (size_t)(line - text);
		it.line_len = (size_t)(end - line);
		if (end - line > CONF_LINE_MAX) {
			rv = conf_emit_error(&it, cb, arg, "line too long",
			    &nerr);
			continue;
		}
		if (memchr(line, '\0', (size_t)(end - line)) != NULL) {
			rv = conf_emit_error(&it, cb, arg,
			    "the line contains a NUL byte", &nerr);
			continue;
		}
		for (p = line; p < end && conf_is_space(*p); p++)
			;
		if (p == end || *p == '#' || *p == ';')
			continue;
		if (*p == '[') {
			msg = conf_lex_section(&lx, p, end);
			if (msg != NULL) {
				/* Lines up to the next header belong to no
				   known section: section "" tells the caller
				   to skip them quietly. */
				buf_reset(&lx.section);
				lx.have_section = true;
				lx.have_sub = false;
				rv = conf_emit_error(&it, cb, arg, msg, &nerr);
				continue;
			}
			it.kind = CONF_ITEM_SECTION;
		} else {
			msg = conf_lex_pair(&lx, line, p, end, &it);
			if (msg != NULL) {
				rv = conf_emit_error(&it, cb, arg, msg, &nerr);
				continue;
			}
			it.kind = CONF_ITEM_PAIR;
			it.name = buf_str(&lx.name);
			it.value = buf_str(&lx.value);
		}
		it.section = lx.have_section ? buf_str(&lx.section) : NULL;
		it.sub = lx.have_section && lx.have_sub ? buf_str(&lx.sub) :
		    NULL;
		rv = cb(arg, &it);
	}
	conf_lex_fini(&lx);
	return rv == -1 ? -1 : nerr;
}

void
conf_quote_value(const char *v, struct buf *out)
{
	size_t	 len = strlen(v);

	if (len == 0 || (!conf_is_space(v[0]) && !conf_is_space(v[len - 1]) &&
	    v[0] != '"')) {
		buf_add(out, v, len);
		return;
	}
	buf_add_byte(out, '"');
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\')
			buf_add_byte(out, '\\');
		buf_add_byte(out, (unsigned char)*v);
	}
	buf_add_byte(out, '"');
}
