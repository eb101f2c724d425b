/* SPDX-License-Identifier: ISC */
/*
 * Address lists (RFC 5322 section 3.4 and 4.4).  Pure: the value is cut
 * into tokens (views into the input), the tokens into elements at
 * top-level commas, and each element into a display name and an address.
 * Lenient choices are marked and listed in doc/deviations.md.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "msg/addr.h"
#include "msg/charset.h"
#include "msg/rfc2047.h"
#include "util/buf.h"
#include "util/xmalloc.h"

enum tok_type {
	TOK_ATOM,		/* run of atext (and anything unexpected) */
	TOK_QUOTED,		/* quoted string, view includes the quotes */
	TOK_COMMENT,		/* view of the text inside the parentheses */
	TOK_DOMLIT,		/* [...] including the brackets */
	TOK_SPECIAL,		/* one of < > : ; @ , . */
};

struct tok {
	enum tok_type	 type;
	const char	*p;
	size_t		 len;
	bool		 space;		/* white space or comment before it */
};

struct toks {
	struct tok	*v;
	size_t		 n;
	size_t		 cap;
};

struct ctx {
	struct addr_list	*l;
	const char		*charset;
	char			*group;		/* current group name, owned */
	size_t			 members;	/* entries added in the group */
};

static bool	is_space(char);
static void	tok_add(struct toks *, enum tok_type, const char *, size_t,
		    bool);
static void	tokenize(const char *, size_t, struct toks *);
static void	unquote(const struct tok *, struct buf *);
static char	*phrase(const struct ctx *, const struct tok *, size_t,
		    size_t);
static char	*comment_name(const struct ctx *, const struct tok *, size_t,
		    size_t);
static char	*spec(const struct ctx *, const struct tok *, size_t,
		    size_t);
static void	add(struct ctx *, char *, char *);
static void	element(struct ctx *, const struct tok *, size_t, size_t);
static char	*to_utf8(const char *, size_t, const char *);

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The bytes that end an atom: white space and the specials.  NUL is text. */
static const bool atom_end[256] = {
	[' '] = true, ['\t'] = true, ['\r'] = true, ['\n'] = true,
	['"'] = true, ['('] = true, [')'] = true, ['['] = true, [']'] = true,
	['<'] = true, ['>'] = true, [':'] = true, [';'] = true, ['@'] = true,
	[','] = true, ['.'] = true,
};

static void
tok_add(struct toks *t, enum tok_type type, const char *p, size_t len,
    bool space)
{
	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 32 : t->cap * 2;
		t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
	}
	t->v[t->n].type = type;
	t->v[t->n].p = p;
	t->v[t->n].len = len;
	t->v[t->n].space = space;
	t->n++;
}

static void
tokenize(const char *p, size_t len, struct toks *t)
{
	size_t	 i = 0, s;
	int	 depth;
	bool	 space = false;

	while (i < len) {
		if (is_space(p[i])) {
			space = true;
			i++;
			continue;
		}
		s = i;
		switch (p[i]) {
		case '"':
			/* lenient: an unterminated string runs to the end */
			for (i++; i < len && p[i] != '"'; i++)
				if (p[i] == '\\' && i + 1 < len)
					i++;
			if (i < len)
				i++;
			tok_add(t, TOK_QUOTED, p + s, i - s, space);
			break;
		case '(':
			/* Comments nest (RFC 5322 3.2.2); no recursion. */
			for (depth = 0; i < len; i++) {
				if (p[i] == '\\' && i + 1 < len)
					i++;
				else if (p[i] == '(')
					depth++;
				else if (p[i] == ')' && --depth == 0)
					break;
			}
			tok_add(t, TOK_COMMENT, p + s + 1,
			    (i < len ? i : len) - s - 1, space);
			if (i < len)
				i++;
			/* a comment separates words like white space */
			space = true;
			continue;
		case '[':
			while (i < len && p[i] != ']')
				i++;
			if (i < len)
				i++;
			tok_add(t, TOK_DOMLIT, p + s, i - s, space);
			break;
		case '<': case '>': case ':': case ';': case '@': case ',':
		case '.':
			i++;
			tok_add(t, TOK_SPECIAL, p + s, 1, space);
			break;
		default:
			i++;
			while (i < len && !atom_end[(unsigned char)p[i]])
				i++;
			tok_add(t, TOK_ATOM, p + s, i - s, space);
			break;
		}
		space = false;
	}
}

/* Append the content of a quoted string, without quotes and escapes. */
static void
unquote(const struct tok *k, struct buf *b)
{
	size_t	 i, end, run;

	i = 1;
	end = k->len;
	if (end > 1 && k->p[end - 1] == '"')
		end--;
	while (i < end) {
		/* a run of plain bytes at once */
		for (run = i; run < end && k->p[run] != '\\' &&
		    k->p[run] != '\r' && k->p[run] != '\n'; run++)
			;
		buf_add(b, k->p + i, run - i);
		if ((i = run) >= end)
			break;
		if (k->p[i] == '\\' && i + 1 < end)
			buf_add_byte(b, (unsigned char)k->p[++i]);
		else if (k->p[i] == '\\')
			buf_add_byte(b, '\\');	/* a lone one at the end */
		/* CR and LF: a folded quoted string, dropped */
		i++;
	}
}

static char *
to_utf8(const char *p, size_t len, const char *charset)
{
	struct buf	 b = BUF_INIT;

	(void)charset_to_utf8(NULL, 0, p, len, charset, &b);
	return buf_take(&b, NULL);
}

/*
 * Display name from tokens [s, e): words joined by one space where the
 * input had white space, quoted strings unquoted, comments dropped, then
 * RFC 2047 words decoded.
 * lenient: encoded words inside quotes are decoded too (a common mistake
 * that readers honour).  NULL if nothing is left.
 */
static char *
phrase(const struct ctx *c, const struct tok *t, size_t s, size_t e)
{
	struct buf	 raw = BUF_INIT, out = BUF_INIT;
	const char	*p;
	size_t		 i, len;

	for (i = s; i < e; i++) {
		if (t[i].type == TOK_COMMENT)
			continue;
		if (raw.len > 0 && t[i].space)
			buf_add_byte(&raw, ' ');
		if (t[i].type == TOK_QUOTED)
			unquote(&t[i], &raw);
		else
			buf_add(&raw, t[i].p, t[i].len);
	}
	if (raw.len > 0)
		(void)rfc2047_decode(raw.data, raw.len, c->charset, &out);
	buf_fini(&raw);
	p = out.data;
	len = out.len;
	while (len > 0 && is_space(p[0])) {
		p++;
		len--;
	}
	while (len > 0 && is_space(p[len - 1]))
		len--;
	if (len == 0) {
		buf_fini(&out);
		return NULL;
	}
	if (p != out.data || len != out.len) {
		p = xstrndup(p, len);
		buf_fini(&out);
		return (char *)p;
	}
	return buf_take(&out, NULL);
}

/* lenient: the first non-empty comment names "addr (Name)". */
static char *
comment_name(const struct ctx *c, const struct tok *t, size_t s, size_t e)
{
	struct tok	 k;
	size_t		 i;
	char		*n;

	for (i = s; i < e; i++) {
		if (t[i].type != TOK_COMMENT)
			continue;
		k = t[i];
		k.type = TOK_ATOM;
		if ((n = phrase(c, &k, 0, 1)) != NULL)
			return n;
	}
	return NULL;
}

/* Address from tokens [s, e): joined without white space or comments. */
static char *
spec(const struct ctx *c, const struct tok *t, size_t s, size_t e)
{
	struct buf	 b = BUF_INIT;
	char		*r;
	size_t		 i;

	for (i = s; i < e; i++) {
		if (t[i].type == TOK_COMMENT)
			continue;
		buf_add(&b, t[i].p, t[i].len);
	}
	r = to_utf8(b.data != NULL ? b.data : "", b.len, c->charset);
	buf_fini(&b);
	return r;
}

static bool
is_sp(const struct tok *k, char ch)
{
	return k->type == TOK_SPECIAL && k->p[0] == ch;
}

/* Takes name and a (either may be NULL). */
static void
add(struct ctx *c, char *name, char *a)
{
	struct addr	*v;

	if (c->l->n >= ADDR_COUNT_MAX) {
		free(name);
		free(a);
		return;
	}
	c->l->v = xreallocarray(c->l->v, c->l->n + 1, sizeof *c->l->v);
	v = &c->l->v[c->l->n++];
	v->name = name;
	v->addr = a != NULL ? a : xstrdup("");
	v->group = c->group != NULL ? xstrdup(c->group) : NULL;
	c->members++;
}

/* One mailbox from tokens [s, e), which hold no top-level ',' or ';'. */
static void
element(struct ctx *c, const struct tok *t, size_t s, size_t e)
{
	size_t	 i, lt = e, gt, as, ae, at = e;
	char	*name;

	for (i = s; i < e; i++) {
		if (is_sp(&t[i], '<')) {
			lt = i;
			break;
		}
	}
	if (lt < e) {
		for (gt = lt + 1; gt < e && !is_sp(&t[gt], '>'); gt++)
			;
		as = lt + 1;
		/* RFC 5322 4.4 obs-route: "<@a,@b:local@domain>" */
		if (as < gt && is_sp(&t[as], '@')) {
			for (i = as; i < gt && !is_sp(&t[i], ':'); i++)
				;
			if (i < gt)
				as = i + 1;
		}
		name = phrase(c, t, s, lt);
		if (name == NULL)
			name = comment_name(c, t, s, e);
		add(c, name, spec(c, t, as, gt));
		return;
	}
	/* No angle brackets: find the address around the '@'. */
	for (i = s; i < e; i++) {
		if (is_sp(&t[i], '@')) {
			at = i;
			break;
		}
	}
	if (at == e) {
		/* lenient: no '@': one word is a local address, more a name */
		for (i = s, as = 0; i < e; i++)
			if (t[i].type != TOK_COMMENT)
				as++;
		if (as == 0)
			return;
		for (i = s; i < e && t[i].type == TOK_COMMENT; i++)
			;
		if (as == 1 && t[i].type == TOK_ATOM) {
			add(c, comment_name(c, t, s, e), spec(c, t, s, e));
			return;
		}
		add(c, phrase(c, t, s, e), NULL);
		return;
	}
	/*
	 * lenient: "Name local@domain" without brackets: the address is
	 * the run of tokens touching the '@' (or joined by dots).
	 */
	as = at;
	if (as > s && t[as - 1].type != TOK_COMMENT)
		as--;
	while (as > s && t[as - 1].type != TOK_COMMENT &&
	    (!t[as].space || is_sp(&t[as], '.') || is_sp(&t[as - 1], '.')))
		as--;
	ae = at + 1;
	if (ae < e && t[ae].type != TOK_COMMENT)
		ae++;
	while (ae < e && t[ae].type != TOK_COMMENT && (!t[ae].space ||
	    is_sp(&t[ae], '.') || is_sp(&t[ae - 1], '.')))
		ae++;
	name = phrase(c, t, s, as);
	if (name == NULL)
		name = comment_name(c, t, s, e);
	add(c, name, spec(c, t, as, ae));
}

size_t
addr_list_parse(struct addr_list *l, const char *p, size_t len,
    const char *charset)
{
	struct toks	 t = { NULL, 0, 0 };
	struct ctx	 c;
	size_t		 i, s = 0;
	bool		 angle = false;

	memset(&c, 0, sizeof c);
	c.l = l;
	c.charset = charset;
	if (len > ADDR_INPUT_MAX)
		len = ADDR_INPUT_MAX;
	tokenize(p, len, &t);
	for (i = 0; i < t.n; i++) {
		if (t.v[i].type != TOK_SPECIAL)
			continue;
		switch (t.v[i].p[0]) {
		case '<':
			angle = true;
			break;
		case '>':
			angle = false;
			break;
		case ',':
			/* a comma inside brackets belongs to a route */
			if (angle && i + 1 < t.n && is_sp(&t.v[i + 1], '@'))
				break;
			element(&c, t.v, s, i);
			s = i + 1;
			angle = false;
			break;
		case ':':
			if (angle)
				break;	/* end of a route */
			/* RFC 5322 3.4 group: "name: members;" */
			free(c.group);
			c.group = phrase(&c, t.v, s, i);
			if (c.group == NULL)
				c.group = xstrdup("");
			c.members = 0;
			s = i + 1;
			break;
		case ';':
			if (angle)
				break;
			element(&c, t.v, s, i);
			s = i + 1;
			if (c.group != NULL && c.members == 0)
				add(&c, NULL, NULL);
			free(c.group);
			c.group = NULL;
			break;
		}
	}
	element(&c, t.v, s, t.n);
	/* lenient: a group without its ';' */
	if (c.group != NULL && c.members == 0)
		add(&c, NULL, NULL);
	free(c.group);
	free(t.v);
	return l->n;
}

void
addr_list_fini(struct addr_list *l)
{
	size_t	 i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].addr);
		free(l->v[i].group);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
