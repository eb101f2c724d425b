/* SPDX-License-Identifier: ISC */
/*
 * The search/limit pattern language (see pattern.h): a recursive-descent
 * parser into a small tree, and a matcher over folder rows.  Pure: no
 * I/O, no clock (the caller passes "now").
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/folder.h"
#include "app/pattern.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define PATTERN_TEXT_MAX	1000
#define PATTERN_DEPTH_MAX	64

enum pnode_type {
	PN_AND, PN_OR, PN_NOT,
	PN_FROM, PN_TO, PN_SUBJECT, PN_BODY, PN_WORD,
	PN_FLAG_SET, PN_FLAG_CLEAR, PN_ALL,
	PN_DATE
};

struct pnode {
	enum pnode_type	 type;
	struct pnode	*a, *b;
	char		*text;		/* lower-cased for ASCII */
	unsigned int	 flag;
	int64_t		 lo, hi;	/* PN_DATE: [lo, hi) epoch seconds */
};

struct pattern {
	struct pnode	*root;
	pattern_body_cb	 body_cb;
	void		*body_arg;
	bool		 needs_body;
};

struct pparser {
	const char	*s;
	size_t		 pos;
	time_t		 now;
	struct err	*e;
	bool		 needs_body;
};

static struct pnode	*pp_or(struct pparser *, unsigned int);

static void
pnode_free(struct pnode *n)
{
	if (n == NULL)
		return;
	pnode_free(n->a);
	pnode_free(n->b);
	free(n->text);
	free(n);
}

static struct pnode *
pnode_new(enum pnode_type t)
{
	struct pnode	*n = xcalloc(1, sizeof *n);

	n->type = t;
	return n;
}

static void
pp_space(struct pparser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')
		p->pos++;
}

static struct pnode *
pp_fail(struct pparser *p, const char *what)
{
	err_set(p->e, ERR_INPUT, "pattern column %zu: %s", p->pos + 1, what);
	return NULL;
}

/* A word or a quoted string; NULL with error if none. */
static char *
pp_text(struct pparser *p)
{
	struct buf	 b = BUF_INIT;
	char		 q;
	size_t		 i;

	pp_space(p);
	q = p->s[p->pos];
	if (q == '"' || q == '\'') {
		p->pos++;
		while (p->s[p->pos] != q) {
			if (p->s[p->pos] == '\0') {
				buf_fini(&b);
				pp_fail(p, "unterminated quote");
				return NULL;
			}
			if (p->s[p->pos] == '\\' && p->s[p->pos + 1] != '\0')
				p->pos++;
			buf_add_byte(&b, (unsigned char)p->s[p->pos++]);
		}
		p->pos++;
	} else {
		while (p->s[p->pos] != '\0' && strchr(" \t()|&", p->s[p->pos])
		    == NULL)
			buf_add_byte(&b, (unsigned char)p->s[p->pos++]);
		if (b.len == 0) {
			pp_fail(p, "text expected");
			return NULL;
		}
	}
	for (i = 0; i < b.len; i++)
		b.data[i] = (char)tolower((unsigned char)b.data[i]);
	return buf_take(&b, NULL);
}

/* Days from the civil date (proleptic Gregorian) to 1970-01-01. */
static int64_t
pp_days(int64_t y, int64_t m, int64_t d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* YYYY-MM-DD at p->pos (UTC day start); false if not there. */
static bool
pp_isodate(struct pparser *p, int64_t *out)
{
	const char	*s = p->s + p->pos;
	int		 y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    m < 1 || m > 12 || d < 1 || d > 31 || y < 1900)
		return false;
	*out = pp_days(y, m, d) * 86400;
	p->pos += 10;
	return true;
}

static struct pnode *
pp_date_relative(struct pparser *p, struct pnode *n, char dir)
{
	unsigned long	 count = 0;
	int64_t		 unit, span;
	size_t		 digits = 0;

	p->pos++;
	while (isdigit((unsigned char)p->s[p->pos]) && digits++ < 6)
		count = count * 10 + (unsigned long)(p->s[p->pos++] - '0');
	switch (p->s[p->pos]) {
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	case 'm': unit = 30 * 86400; break;
	case 'y': unit = 365 * 86400; break;
	default:
		pnode_free(n);
		return pp_fail(p, "date unit d, w, m or y expected");
	}
	if (digits == 0) {
		pnode_free(n);
		return pp_fail(p, "number expected");
	}
	p->pos++;
	span = (int64_t)count * unit;
	if (dir == '<') {		/* newer than */
		n->lo = (int64_t)p->now - span;
		n->hi = INT64_MAX;
	} else {			/* older than */
		n->lo = INT64_MIN;
		n->hi = (int64_t)p->now - span;
	}
	return n;
}

/* ~d RANGE */
static struct pnode *
pp_date(struct pparser *p)
{
	struct pnode	*n = pnode_new(PN_DATE);
	int64_t		 t;
	bool		 have_lo;

	pp_space(p);
	if (p->s[p->pos] == '<' || p->s[p->pos] == '>')
		return pp_date_relative(p, n, p->s[p->pos]);
	n->lo = INT64_MIN;
	n->hi = INT64_MAX;
	have_lo = pp_isodate(p, &t);
	if (have_lo)
		n->lo = t;
	if (strncmp(p->s + p->pos, "..", 2) == 0) {
		p->pos += 2;
		if (pp_isodate(p, &t))
			n->hi = t + 86400;
		else if (!have_lo) {
			pnode_free(n);
			return pp_fail(p, "date YYYY-MM-DD expected");
		}
	} else if (have_lo)
		n->hi = n->lo + 86400;
	else {
		pnode_free(n);
		return pp_fail(p, "date range expected (YYYY-MM-DD, A..B, <3d)");
	}
	return n;
}

static struct pnode *
pp_tilde(struct pparser *p)
{
	static const struct {
		char		 c;
		enum pnode_type	 type;
		unsigned int	 flag;
	} table[] = {
		{ 'f', PN_FROM, 0 },		{ 's', PN_SUBJECT, 0 },
		{ 't', PN_TO, 0 },		{ 'b', PN_BODY, 0 },
		{ 'N', PN_FLAG_CLEAR, FOLDER_SEEN },
		{ 'O', PN_FLAG_SET, FOLDER_SEEN },
		{ 'F', PN_FLAG_SET, FOLDER_FLAGGED },
		{ 'D', PN_FLAG_SET, FOLDER_DELETED },
		{ 'r', PN_FLAG_SET, FOLDER_ANSWERED },
		{ 'a', PN_FLAG_SET, FOLDER_ATTACH },
		{ 'A', PN_ALL, 0 },
	};
	struct pnode	*n;
	size_t		 i;
	char		 c = p->s[p->pos + 1];

	if (c == 'd') {
		p->pos += 2;
		return pp_date(p);
	}
	for (i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].c == c)
			break;
	if (i == sizeof table / sizeof table[0]) {
		p->pos++;
		return pp_fail(p, "unknown ~ operator");
	}
	p->pos += 2;
	n = pnode_new(table[i].type);
	n->flag = table[i].flag;
	if (n->type == PN_FROM || n->type == PN_SUBJECT || n->type == PN_TO ||
	    n->type == PN_BODY) {
		if ((n->text = pp_text(p)) == NULL) {
			pnode_free(n);
			return NULL;
		}
		if (n->type == PN_BODY)
			p->needs_body = true;
	}
	return n;
}

static struct pnode *
pp_unary(struct pparser *p, unsigned int depth)
{
	struct pnode	*n;

	if (depth > PATTERN_DEPTH_MAX)
		return pp_fail(p, "nested too deeply");
	pp_space(p);
	switch (p->s[p->pos]) {
	case '\0':
		return pp_fail(p, "pattern expected");
	case '!':
		p->pos++;
		if ((n = pp_unary(p, depth + 1)) == NULL)
			return NULL;
		{
			struct pnode	*not = pnode_new(PN_NOT);

			not->a = n;
			return not;
		}
	case '(':
		p->pos++;
		if ((n = pp_or(p, depth + 1)) == NULL)
			return NULL;
		pp_space(p);
		if (p->s[p->pos] != ')') {
			pnode_free(n);
			return pp_fail(p, "')' expected");
		}
		p->pos++;
		return n;
	case ')':
	case '|':
	case '&':
		return pp_fail(p, "pattern expected");
	case '~':
		return pp_tilde(p);
	default:
		n = pnode_new(PN_WORD);
		if ((n->text = pp_text(p)) == NULL) {
			pnode_free(n);
			return NULL;
		}
		return n;
	}
}

static struct pnode *
pp_and(struct pparser *p, unsigned int depth)
{
	struct pnode	*l, *r, *n;

	if ((l = pp_unary(p, depth)) == NULL)
		return NULL;
	for (;;) {
		pp_space(p);
		if (p->s[p->pos] == '&')
			p->pos++;
		else if (p->s[p->pos] == '\0' || p->s[p->pos] == '|' ||
		    p->s[p->pos] == ')')
			return l;
		if ((r = pp_unary(p, depth)) == NULL) {
			pnode_free(l);
			return NULL;
		}
		n = pnode_new(PN_AND);
		n->a = l;
		n->b = r;
		l = n;
	}
}

static struct pnode *
pp_or(struct pparser *p, unsigned int depth)
{
	struct pnode	*l, *r, *n;

	if ((l = pp_and(p, depth)) == NULL)
		return NULL;
	for (;;) {
		pp_space(p);
		if (p->s[p->pos] != '|')
			return l;
		p->pos++;
		if ((r = pp_and(p, depth)) == NULL) {
			pnode_free(l);
			return NULL;
		}
		n = pnode_new(PN_OR);
		n->a = l;
		n->b = r;
		l = n;
	}
}

struct pattern *
pattern_parse(const char *text, time_t now, struct err *e)
{
	struct pparser	 p = { text, 0, now, e, false };
	struct pattern	*pat;
	struct pnode	*root;

	if (strlen(text) > PATTERN_TEXT_MAX) {
		err_set(e, ERR_LIMIT, "pattern longer than %d bytes",
		    PATTERN_TEXT_MAX);
		return NULL;
	}
	if ((root = pp_or(&p, 0)) == NULL)
		return NULL;
	pp_space(&p);
	if (p.s[p.pos] != '\0') {
		pnode_free(root);
		pp_fail(&p, p.s[p.pos] == ')' ? "unbalanced ')'" :
		    "unexpected text");
		return NULL;
	}
	pat = xcalloc(1, sizeof *pat);
	pat->root = root;
	pat->needs_body = p.needs_body;
	return pat;
}

void
pattern_free(struct pattern *pat)
{
	if (pat == NULL)
		return;
	pnode_free(pat->root);
	free(pat);
}

void
pattern_body_set(struct pattern *pat, pattern_body_cb cb, void *arg)
{
	pat->body_cb = cb;
	pat->body_arg = arg;
}

bool
pattern_needs_body(const struct pattern *pat)
{
	return pat->needs_body;
}

/* ASCII lower case of a byte, without a locale lookup per byte. */
static inline unsigned char
pattern_fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Offset of the first c in h[from..end), or end. */
static size_t
pattern_find(const unsigned char *h, size_t from, size_t end,
    unsigned char c)
{
	const unsigned char	*q;

	if (from >= end || (q = memchr(h + from, c, end - from)) == NULL)
		return end;
	return (size_t)(q - h);
}

/*
 * ASCII case-insensitive search of needle (already lower case) in hay.
 * The places where the first letter occurs, in either case, are found
 * with memchr(), so a search of a large folder (the match set of `/`)
 * does not compare every byte of every subject.
 */
static bool
pattern_contains(const char *hay, size_t haylen, const char *needle)
{
	const unsigned char	*h = (const unsigned char *)hay;
	const unsigned char	*nd = (const unsigned char *)needle;
	size_t			 n = strlen(needle), i, j, end, lo, up;
	unsigned char		 first, upper;

	if (n == 0)
		return true;
	if (n > haylen)
		return false;
	first = nd[0];
	upper = first >= 'a' && first <= 'z' ? (unsigned char)(first - 32) :
	    first;
	end = haylen - n + 1;		/* starts to try: [0, end) */
	lo = pattern_find(h, 0, end, first);
	up = upper != first ? pattern_find(h, 0, end, upper) : end;
	while ((i = lo < up ? lo : up) < end) {
		for (j = 1; j < n; j++)
			if (pattern_fold(h[i + j]) != nd[j])
				break;
		if (j == n)
			return true;
		if (i == lo)
			lo = pattern_find(h, i + 1, end, first);
		else
			up = pattern_find(h, i + 1, end, upper);
	}
	return false;
}

static bool
pattern_field(const struct folder *f, uint32_t off, const char *needle)
{
	const char	*s = folder_str(f, off);

	return pattern_contains(s, strlen(s), needle);
}

static bool
pnode_match(const struct pattern *pat, const struct pnode *n,
    const struct folder *f, uint32_t row)
{
	const struct folder_row	*r = folder_row(f, row);
	const char		*body;
	size_t			 len;

	switch (n->type) {
	case PN_AND:
		return pnode_match(pat, n->a, f, row) &&
		    pnode_match(pat, n->b, f, row);
	case PN_OR:
		return pnode_match(pat, n->a, f, row) ||
		    pnode_match(pat, n->b, f, row);
	case PN_NOT:
		return !pnode_match(pat, n->a, f, row);
	case PN_FROM:
		return pattern_field(f, r->from, n->text);
	case PN_TO:
		return pattern_field(f, r->to, n->text);
	case PN_SUBJECT:
		return pattern_field(f, r->subject, n->text);
	case PN_WORD:
		return pattern_field(f, r->from, n->text) ||
		    pattern_field(f, r->subject, n->text);
	case PN_BODY:
		if (pat->body_cb == NULL ||
		    !pat->body_cb(pat->body_arg, f, row, &body, &len))
			return false;
		return pattern_contains(body, len, n->text);
	case PN_FLAG_SET:
		return (r->flags & n->flag) != 0;
	case PN_FLAG_CLEAR:
		return (r->flags & n->flag) == 0;
	case PN_ALL:
		return true;
	case PN_DATE:
		return r->date >= n->lo && r->date < n->hi;
	}
	return false;
}

bool
pattern_match(const struct pattern *pat, const struct folder *f,
    uint32_t row)
{
	if (folder_row(f, row) == NULL)
		return false;
	return pnode_match(pat, pat->root, f, row);
}
