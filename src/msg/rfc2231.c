/* SPDX-License-Identifier: ISC */
/*
 * MIME field values and parameters (RFC 2045 section 5.1, RFC 2231).
 * Pure: the value is cut into raw pieces (name, continuation index,
 * extended flag, unquoted bytes), then the pieces of each name are put
 * together and decoded to UTF-8.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg/charset.h"
#include "msg/rfc2047.h"
#include "msg/rfc2231.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xmalloc.h"

#define PIECES_TOTAL_MAX	512	/* raw pieces looked at per value */
#define NAME_MAX_LEN		128

struct piece {
	char		*name;		/* lower case, without "*N*" */
	int		 index;		/* -1: not a continuation */
	bool		 ext;		/* trailing '*': charset'lang'%XX */
	struct buf	 val;		/* unquoted bytes */
};

struct pieces {
	struct piece	*v;
	size_t		 n;
};

static bool	is_ws(char);
static size_t	skip_cfws(const char *, size_t, size_t);
static size_t	read_value(const char *, size_t, size_t, struct buf *);
static void	add_piece(struct pieces *, const char *, size_t,
		    struct buf *);
static void	assemble(struct rfc2231_params *, struct pieces *, size_t,
		    const char *);
static void	pct_decode(const char *, size_t, struct buf *);
static int	hexv(char);

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Skip white space and (nested) comments from i. */
static size_t
skip_cfws(const char *p, size_t len, size_t i)
{
	int	 depth;

	for (;;) {
		while (i < len && is_ws(p[i]))
			i++;
		if (i >= len || p[i] != '(')
			return i;
		for (depth = 0; i < len; i++) {
			if (p[i] == '\\' && i + 1 < len)
				i++;
			else if (p[i] == '(')
				depth++;
			else if (p[i] == ')' && --depth == 0) {
				i++;
				break;
			}
		}
	}
}

/*
 * A parameter value at i: a quoted string (unquoted into v) or a token.
 * lenient: an unquoted value runs to the next ';' (file names with
 * spaces), trailing white space and comments dropped; an unterminated
 * quoted string runs to the end.
 */
static size_t
read_value(const char *p, size_t len, size_t i, struct buf *v)
{
	size_t	 s, e;

	if (i < len && p[i] == '"') {
		for (i++; i < len && p[i] != '"'; i++) {
			if (p[i] == '\\' && i + 1 < len)
				i++;
			else if (p[i] == '\r' || p[i] == '\n')
				continue;
			if (v->len < RFC2231_VALUE_MAX)
				buf_add_byte(v, (unsigned char)p[i]);
		}
		return i < len ? i + 1 : i;
	}
	for (s = i; i < len && p[i] != ';' && p[i] != '"'; i++)
		if (p[i] == '(')
			break;
	e = i;
	while (e > s && is_ws(p[e - 1]))
		e--;
	if (e - s > RFC2231_VALUE_MAX)
		e = s + RFC2231_VALUE_MAX;
	buf_add(v, p + s, e - s);
	return i;
}

/* Takes the bytes of v.  name[0..len) is the attribute as written. */
static void
add_piece(struct pieces *ps, const char *name, size_t len, struct buf *v)
{
	struct piece	*pc;
	const char	*star;
	size_t		 base, i;
	uint64_t	 idx;

	pc = &ps->v[ps->n];
	memset(pc, 0, sizeof *pc);
	pc->index = -1;
	if (len > 0 && name[len - 1] == '*') {
		pc->ext = true;
		len--;
	}
	base = len;
	/* RFC 2231 section 3: "name*N" */
	if ((star = memchr(name, '*', len)) != NULL) {
		base = (size_t)(star - name);
		if (str_to_u64(star + 1, len - base - 1, 9999, &idx))
			pc->index = (int)idx;
		else
			pc->index = -2;		/* unreadable: dropped */
	}
	pc->name = xstrndup(name, base);
	for (i = 0; i < base; i++)
		if (pc->name[i] >= 'A' && pc->name[i] <= 'Z')
			pc->name[i] = (char)(pc->name[i] - 'A' + 'a');
	pc->val = *v;
	buf_init(v);
	ps->n++;
}

static int
hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 2231 section 4: %XX; lenient: a bad escape is kept as written. */
static void
pct_decode(const char *p, size_t len, struct buf *out)
{
	size_t	 i;
	int	 h, l;

	for (i = 0; i < len; i++) {
		if (p[i] == '%' && i + 2 < len && (h = hexv(p[i + 1])) >= 0 &&
		    (l = hexv(p[i + 2])) >= 0) {
			buf_add_byte(out, (unsigned char)(h << 4 | l));
			i += 2;
		} else
			buf_add_byte(out, (unsigned char)p[i]);
	}
}

static int
cmp_index(const void *a, const void *b)
{
	const struct piece *const *x = a, *const *y = b;

	return ((*x)->index > (*y)->index) - ((*x)->index < (*y)->index);
}

/* Decode a plain value: RFC 2047 words (a common mistake) and 8-bit. */
static char *
plain_value(const struct piece *pc, const char *charset)
{
	struct buf	 out = BUF_INIT;

	(void)rfc2047_decode(pc->val.data != NULL ? pc->val.data : "",
	    pc->val.len, charset, &out);
	return buf_take(&out, NULL);
}

/* Join and decode the RFC 2231 pieces of pieces[first]'s name. */
static char *
ext_value(struct pieces *ps, size_t first, const char *charset)
{
	struct piece	**sel;
	struct buf	 raw = BUF_INIT, out = BUF_INIT;
	const char	*cs = NULL, *v, *q1, *q2;
	size_t		 i, n = 0, cslen = 0, vlen;
	int		 last = -1;

	sel = xreallocarray(NULL, ps->n, sizeof *sel);
	for (i = first; i < ps->n && n < RFC2231_PIECES_MAX; i++)
		if (ps->v[i].index >= -1 && (ps->v[i].index >= 0 ||
		    ps->v[i].ext) && strcmp(ps->v[i].name,
		    ps->v[first].name) == 0)
			sel[n++] = &ps->v[i];
	/* lenient: pieces in any order; duplicates: the first wins */
	qsort(sel, n, sizeof *sel, cmp_index);
	for (i = 0; i < n; i++) {
		if (i > 0 && sel[i]->index == last)
			continue;
		last = sel[i]->index;
		v = sel[i]->val.data != NULL ? sel[i]->val.data : "";
		vlen = sel[i]->val.len;
		if (sel[i]->ext && i == 0 && sel[i]->index <= 0 &&
		    (q1 = memchr(v, '\'', vlen)) != NULL &&
		    (q2 = memchr(q1 + 1, '\'', vlen - (size_t)(q1 + 1 - v))) !=
		    NULL) {
			cs = v;
			cslen = (size_t)(q1 - v);
			vlen -= (size_t)(q2 + 1 - v);
			v = q2 + 1;
		}
		if (raw.len + vlen > RFC2231_VALUE_MAX)
			break;
		if (sel[i]->ext)
			pct_decode(v, vlen, &raw);
		else
			buf_add(&raw, v, vlen);
	}
	free(sel);
	(void)charset_to_utf8(cs, cslen, raw.data != NULL ? raw.data : "",
	    raw.len, charset, &out);
	buf_fini(&raw);
	return buf_take(&out, NULL);
}

static void
assemble(struct rfc2231_params *r, struct pieces *ps, size_t i,
    const char *charset)
{
	struct rfc2231_param	*pp;
	size_t			 j = 0;
	bool			 ext = false;

	/* Only the first piece of each name assembles it. */
	for (j = 0; j < i; j++)
		if (ps->v[j].index >= -1 &&
		    strcmp(ps->v[j].name, ps->v[i].name) == 0)
			return;
	if (r->n >= RFC2231_PARAMS_MAX || ps->v[i].name[0] == '\0')
		return;
	for (j = i; j < ps->n; j++)
		if (strcmp(ps->v[j].name, ps->v[i].name) == 0 &&
		    (ps->v[j].index >= 0 || ps->v[j].ext))
			ext = true;
	if (!ext) {
		for (j = i; j < ps->n && (ps->v[j].index != -1 ||
		    strcmp(ps->v[j].name, ps->v[i].name) != 0); j++)
			;
		if (j == ps->n)
			return;
	}
	r->v = xreallocarray(r->v, r->n + 1, sizeof *r->v);
	pp = &r->v[r->n++];
	pp->name = xstrdup(ps->v[i].name);
	pp->value = ext ? ext_value(ps, i, charset) :
	    plain_value(&ps->v[j], charset);
}

void
rfc2231_parse(struct rfc2231_params *r, const char *p, size_t len,
    const char *charset)
{
	struct pieces	 ps;
	struct buf	 v = BUF_INIT;
	size_t		 i, s, e, k;

	memset(r, 0, sizeof *r);
	ps.v = xreallocarray(NULL, PIECES_TOTAL_MAX, sizeof *ps.v);
	ps.n = 0;
	/* The leading value: type/subtype or disposition type. */
	i = skip_cfws(p, len, 0);
	for (s = i; i < len && p[i] != ';' && !is_ws(p[i]) && p[i] != '(';
	    i++)
		;
	/* lenient: no leading value, parameters only */
	if (memchr(p + s, '=', i - s) != NULL)
		i = s;
	r->value = xstrndup(p + s, i - s);
	for (k = 0; r->value[k] != '\0'; k++)
		if (r->value[k] >= 'A' && r->value[k] <= 'Z')
			r->value[k] = (char)(r->value[k] - 'A' + 'a');
	while (i < len && ps.n < PIECES_TOTAL_MAX) {
		i = skip_cfws(p, len, i);
		/* lenient: missing or doubled ';' */
		if (i < len && p[i] == ';') {
			i++;
			continue;
		}
		for (s = i; i < len && p[i] != '=' && p[i] != ';' &&
		    !is_ws(p[i]) && p[i] != '(' && p[i] != '"'; i++)
			;
		e = i;
		i = skip_cfws(p, len, i);
		if (e == s || i >= len || p[i] != '=' ||
		    e - s > NAME_MAX_LEN) {
			/* not a parameter: skip to the next ';' */
			while (i < len && p[i] != ';')
				i++;
			continue;
		}
		i = skip_cfws(p, len, i + 1);
		i = read_value(p, len, i, &v);
		add_piece(&ps, p + s, e - s, &v);
	}
	for (i = 0; i < ps.n; i++)
		if (ps.v[i].index >= -1)
			assemble(r, &ps, i, charset);
	for (i = 0; i < ps.n; i++) {
		free(ps.v[i].name);
		buf_fini(&ps.v[i].val);
	}
	free(ps.v);
	buf_fini(&v);
}

void
rfc2231_params_fini(struct rfc2231_params *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].value);
	}
	free(r->v);
	free(r->value);
	memset(r, 0, sizeof *r);
}

const char *
rfc2231_get(const struct rfc2231_params *r, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		if (strcasecmp(r->v[i].name, name) == 0)
			return r->v[i].value;
	return NULL;
}
