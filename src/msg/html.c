/* SPDX-License-Identifier: ISC */
/*
 * Built-in HTML to text: one pass over the bytes with a tiny tag
 * tokenizer and an output state (pending breaks, quote depth, list
 * stack).  Lenient: any byte sequence gives some text, nothing loops,
 * nesting is bounded by HTML_DEPTH_MAX.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/html.h"
#include "msg/sanitize.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xmalloc.h"

#define HTML_NAME_MAX	16
#define HTML_ENT_MAX	32

struct html_list {
	bool		 ordered;
	int		 n;
};

struct html_state {
	struct buf	*out;
	int		 quote;		/* blockquote depth (capped) */
	int		 quote_all;	/* blockquote depth, uncapped */
	int		 last_quote;	/* quote depth of the last line begun */
	struct html_list lists[HTML_DEPTH_MAX];
	int		 nlists;	/* capped */
	int		 nlists_all;	/* uncapped */
	int		 pre;
	bool		 head;		/* inside <head>: text ignored */
	int		 breaks;	/* pending: 1 line end, 2 blank line */
	int		 spaces;	/* pending spaces before the next text */
	bool		 bol;		/* at the beginning of an output line */
	bool		 any;		/* some text was written */
	bool		 bullet;	/* a list item awaits its bullet */
	struct buf	 links;		/* "[N] URL\n" lines */
	int		 nlinks;
	char		*href;		/* of the open <a>, owned */
	size_t		 a_start;	/* out->len when <a> opened */
};

static const struct {
	const char	*name;
	uint32_t	 cp;
} html_entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xa0 }, { "iexcl", 0xa1 },
	{ "cent", 0xa2 }, { "pound", 0xa3 }, { "curren", 0xa4 },
	{ "yen", 0xa5 }, { "brvbar", 0xa6 }, { "sect", 0xa7 },
	{ "uml", 0xa8 }, { "copy", 0xa9 }, { "ordf", 0xaa },
	{ "laquo", 0xab }, { "not", 0xac }, { "shy", 0xad }, { "reg", 0xae },
	{ "macr", 0xaf }, { "deg", 0xb0 }, { "plusmn", 0xb1 },
	{ "sup2", 0xb2 }, { "sup3", 0xb3 }, { "acute", 0xb4 },
	{ "micro", 0xb5 }, { "para", 0xb6 }, { "middot", 0xb7 },
	{ "cedil", 0xb8 }, { "sup1", 0xb9 }, { "ordm", 0xba },
	{ "raquo", 0xbb }, { "frac14", 0xbc }, { "frac12", 0xbd },
	{ "frac34", 0xbe }, { "iquest", 0xbf }, { "Agrave", 0xc0 },
	{ "Aacute", 0xc1 }, { "Acirc", 0xc2 }, { "Atilde", 0xc3 },
	{ "Auml", 0xc4 }, { "Aring", 0xc5 }, { "AElig", 0xc6 },
	{ "Ccedil", 0xc7 }, { "Egrave", 0xc8 }, { "Eacute", 0xc9 },
	{ "Ecirc", 0xca }, { "Euml", 0xcb }, { "Iacute", 0xcd },
	{ "Ntilde", 0xd1 }, { "Oacute", 0xd3 }, { "Ouml", 0xd6 },
	{ "times", 0xd7 }, { "Oslash", 0xd8 }, { "Uacute", 0xda },
	{ "Uuml", 0xdc }, { "szlig", 0xdf }, { "agrave", 0xe0 },
	{ "aacute", 0xe1 }, { "acirc", 0xe2 }, { "atilde", 0xe3 },
	{ "auml", 0xe4 }, { "aring", 0xe5 }, { "aelig", 0xe6 },
	{ "ccedil", 0xe7 }, { "egrave", 0xe8 }, { "eacute", 0xe9 },
	{ "ecirc", 0xea }, { "euml", 0xeb }, { "igrave", 0xec },
	{ "iacute", 0xed }, { "icirc", 0xee }, { "iuml", 0xef },
	{ "ntilde", 0xf1 }, { "ograve", 0xf2 }, { "oacute", 0xf3 },
	{ "ocirc", 0xf4 }, { "otilde", 0xf5 }, { "ouml", 0xf6 },
	{ "divide", 0xf7 }, { "oslash", 0xf8 }, { "ugrave", 0xf9 },
	{ "uacute", 0xfa }, { "ucirc", 0xfb }, { "uuml", 0xfc },
	{ "yuml", 0xff }, { "OElig", 0x152 }, { "oelig", 0x153 },
	{ "Scaron", 0x160 }, { "scaron", 0x161 }, { "fnof", 0x192 },
	{ "circ", 0x2c6 }, { "tilde", 0x2dc }, { "Alpha", 0x391 },
	{ "alpha", 0x3b1 }, { "beta", 0x3b2 }, { "gamma", 0x3b3 },
	{ "delta", 0x3b4 }, { "pi", 0x3c0 }, { "mu", 0x3bc },
	{ "ensp", 0x2002 }, { "emsp", 0x2003 }, { "thinsp", 0x2009 },
	{ "zwnj", 0x200c }, { "zwj", 0x200d }, { "lrm", 0x200e },
	{ "rlm", 0x200f }, { "ndash", 0x2013 }, { "mdash", 0x2014 },
	{ "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "sbquo", 0x201a },
	{ "ldquo", 0x201c }, { "rdquo", 0x201d }, { "bdquo", 0x201e },
	{ "dagger", 0x2020 }, { "Dagger", 0x2021 }, { "bull", 0x2022 },
	{ "hellip", 0x2026 }, { "permil", 0x2030 }, { "prime", 0x2032 },
	{ "lsaquo", 0x2039 }, { "rsaquo", 0x203a }, { "euro", 0x20ac },
	{ "trade", 0x2122 }, { "larr", 0x2190 }, { "uarr", 0x2191 },
	{ "rarr", 0x2192 }, { "darr", 0x2193 }, { "harr", 0x2194 },
	{ "minus", 0x2212 }, { "le", 0x2264 }, { "ge", 0x2265 },
	{ "ne", 0x2260 }, { "infin", 0x221e }, { "hearts", 0x2665 },
};

/* windows-1252 for &#128;-&#159; (HTML's numeric character reference rule). */
static const uint16_t html_cp1252[32] = {
	0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
	0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
};

static bool
html_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool
html_is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
html_is_alnum(unsigned char c)
{
	return html_is_alpha(c) || (c >= '0' && c <= '9');
}

/*
 * Decode the entity at p[0] == '&'.  Returns the bytes consumed (0 if it
 * is not an entity) and the code point in *cp.
 */
static size_t
html_entity(const char *p, size_t len, uint32_t *cp)
{
	size_t		 i, j, n;
	uint64_t	 v = 0;
	bool		 hex = false;

	if (len < 2)
		return 0;
	if (p[1] == '#') {
		i = 2;
		if (i < len && (p[i] == 'x' || p[i] == 'X')) {
			hex = true;
			i++;
		}
		for (j = i; j < len && j - i < 10; j++) {
			unsigned char c = (unsigned char)p[j];

			if (c >= '0' && c <= '9')
				v = v * (hex ? 16 : 10) + (c - '0');
			else if (hex && c >= 'a' && c <= 'f')
				v = v * 16 + (c - 'a' + 10);
			else if (hex && c >= 'A' && c <= 'F')
				v = v * 16 + (c - 'A' + 10);
			else
				break;
		}
		if (j == i)
			return 0;
		if (j < len && p[j] == ';')
			j++;
		if (v >= 0x80 && v <= 0x9f)
			*cp = html_cp1252[v - 0x80];
		else if (v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			*cp = 0xfffd;
		else
			*cp = (uint32_t)v;
		return j;
	}
	for (n = 1; n < len && n <= HTML_ENT_MAX && html_is_alnum(p[n]); n++)
		;
	if (n == 1)
		return 0;
	for (i = 0; i < sizeof html_entities / sizeof html_entities[0]; i++) {
		if (strlen(html_entities[i].name) != n - 1 ||
		    memcmp(html_entities[i].name, p + 1, n - 1) != 0)
			continue;
		*cp = html_entities[i].cp;
		/* lenient: legacy entities without the semicolon */
		return n < len && p[n] == ';' ? n + 1 : n;
	}
	return 0;
}

static void
html_prefix(struct html_state *st)
{
	int	 i, indent;

	st->last_quote = st->quote;
	for (i = 0; i < st->quote; i++)
		buf_add_byte(st->out, '>');
	if (st->quote > 0)
		buf_add_byte(st->out, ' ');
	indent = st->nlists > 0 ? 2 * (st->nlists - 1) : 0;
	if (!st->bullet && st->nlists > 0)
		indent += 2;
	for (i = 0; i < indent; i++)
		buf_add_byte(st->out, ' ');
	if (st->bullet) {
		if (st->nlists > 0 && st->lists[st->nlists - 1].ordered)
			buf_printf(st->out, "%d. ",
			    st->lists[st->nlists - 1].n);
		else
			buf_add_str(st->out, "\xe2\x80\xa2 ");
		st->bullet = false;
	}
}

/* Write pending breaks; called before text. */
static void
html_flush(struct html_state *st)
{
	int	 i, q;

	if (st->any && st->breaks > 0) {
		if (!st->bol)
			buf_add_byte(st->out, '\n');
		for (i = 1; i < st->breaks; i++) {
			for (q = 0; q < st->quote && q < st->last_quote; q++)
				buf_add_byte(st->out, '>');
			buf_add_byte(st->out, '\n');
		}
		st->bol = true;
	}
	st->breaks = 0;
	if (st->bol) {
		html_prefix(st);
		st->bol = false;
		st->spaces = 0;
	}
	for (; st->spaces > 0; st->spaces--)
		buf_add_byte(st->out, ' ');
}

static void
html_text(struct html_state *st, const char *p, size_t n)
{
	if (st->head || n == 0)
		return;
	html_flush(st);
	buf_add(st->out, p, n);
	st->any = true;
}

static void
html_break(struct html_state *st, int n)
{
	if (st->breaks < n)
		st->breaks = n;
	st->spaces = 0;
}

/* <br>: a line end that may also make an empty line. */
static void
html_br(struct html_state *st)
{
	if (!st->any || st->head)
		return;
	if (st->breaks > 0 || st->bol) {
		html_flush(st);
	}
	buf_add_byte(st->out, '\n');
	st->bol = true;
	st->spaces = 0;
}

/* Find the value of attribute name in the tag text t[0..len). */
static char *
html_attr(const char *t, size_t len, const char *name)
{
	struct buf	 v = BUF_INIT;
	size_t		 i = 0, ns, ne, vs, ve, nlen = strlen(name), k, m;
	char		 q;
	uint32_t	 cp;

	while (i < len) {
		while (i < len && (html_is_space(t[i]) || t[i] == '/'))
			i++;
		ns = i;
		while (i < len && !html_is_space(t[i]) && t[i] != '=' &&
		    t[i] != '/')
			i++;
		ne = i;
		while (i < len && html_is_space(t[i]))
			i++;
		vs = ve = i;
		if (i < len && t[i] == '=') {
			i++;
			while (i < len && html_is_space(t[i]))
				i++;
			if (i < len && (t[i] == '"' || t[i] == '\'')) {
				q = t[i++];
				vs = i;
				while (i < len && t[i] != q)
					i++;
				ve = i;
				if (i < len)
					i++;
			} else {
				vs = i;
				while (i < len && !html_is_space(t[i]))
					i++;
				ve = i;
			}
		}
		if (ne == ns) {
			if (i == ns)
				i++;
			continue;
		}
		if (!str_eq_ci(t + ns, ne - ns, name) || ne - ns != nlen)
			continue;
		for (k = vs; k < ve; k += m) {
			if (t[k] == '&' &&
			    (m = html_entity(t + k, ve - k, &cp)) > 0) {
				sanitize_utf8_put(&v, cp);
				continue;
			}
			m = 1;
			if (t[k] != '\n' && t[k] != '\r')
				buf_add_byte(&v, (unsigned char)t[k]);
		}
		return buf_take(&v, NULL);
	}
	return NULL;
}

static bool
html_name_is(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

static void
html_link_close(struct html_state *st)
{
	const char	*text;
	size_t		 tlen;

	if (st->href == NULL)
		return;
	text = st->out->data != NULL ? st->out->data + st->a_start : "";
	tlen = st->out->len - st->a_start;
	/* Skip in-page anchors, scripts, and links that show their URL. */
	if (st->href[0] != '\0' && st->href[0] != '#' &&
	    !str_has_prefix_ci(st->href, strlen(st->href), "javascript:") &&
	    st->nlinks < HTML_LINKS_MAX &&
	    !(tlen == strlen(st->href) && memcmp(text, st->href, tlen) == 0)) {
		st->nlinks++;
		buf_printf(&st->links, "[%d] %s\n", st->nlinks, st->href);
		if (st->any) {
			html_flush(st);
			buf_printf(st->out, "[%d]", st->nlinks);
		}
	}
	free(st->href);
	st->href = NULL;
}

static void
html_tag(struct html_state *st, const char *name, bool end, const char *t,
    size_t tlen)
{
	static const char *const para[] = { "p", "h1", "h2", "h3", "h4",
	    "h5", "h6", "table", "pre", "dl", "address", "center",
	    "figure", NULL };
	static const char *const line[] = { "div", "tr", "dt", "dd",
	    "section", "article", "header", "footer", "nav", "form",
	    "fieldset", "main", "aside", "caption", "tbody", "thead",
	    "tfoot", "hr", "body", "html", "option", "summary", NULL };
	struct html_list	*l;
	char			*alt;

	if (strcmp(name, "head") == 0) {
		st->head = !end;
		return;
	}
	if (strcmp(name, "body") == 0)
		st->head = false;
	if (strcmp(name, "br") == 0) {
		html_br(st);
		return;
	}
	if (html_name_is(name, para)) {
		html_break(st, 2);
		if (strcmp(name, "pre") == 0)
			st->pre += end ? (st->pre > 0 ? -1 : 0) : 1;
		return;
	}
	if (html_name_is(name, line)) {
		html_break(st, 1);
		return;
	}
	if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
		if (!end && !st->bol && st->breaks == 0)
			st->spaces = 2;
		return;
	}
	if (strcmp(name, "blockquote") == 0) {
		html_break(st, 2);
		if (!end)
			st->quote_all++;
		else if (st->quote_all > 0)
			st->quote_all--;
		st->quote = st->quote_all < HTML_DEPTH_MAX ? st->quote_all :
		    HTML_DEPTH_MAX;
		return;
	}
	if (strcmp(name, "ul") == 0 || strcmp(name, "ol") == 0 ||
	    strcmp(name, "menu") == 0) {
		st->bullet = false;
		if (end) {
			if (st->nlists_all > 0)
				st->nlists_all--;
			if (st->nlists > st->nlists_all)
				st->nlists = st->nlists_all;
			html_break(st, st->nlists_all == 0 ? 2 : 1);
			return;
		}
		html_break(st, st->nlists_all == 0 ? 2 : 1);
		if (st->nlists_all++ < HTML_DEPTH_MAX) {
			l = &st->lists[st->nlists++];
			l->ordered = name[0] == 'o';
			l->n = 0;
		}
		return;
	}
	if (strcmp(name, "li") == 0) {
		html_break(st, 1);
		if (!end) {
			if (st->nlists > 0)
				st->lists[st->nlists - 1].n++;
			st->bullet = true;
		}
		return;
	}
	if (strcmp(name, "a") == 0) {
		html_link_close(st);
		if (!end) {
			st->href = html_attr(t, tlen, "href");
			if (st->spaces > 0 && st->any)
				html_flush(st);
			st->a_start = st->out->len;
		}
		return;
	}
	if (strcmp(name, "img") == 0 && !end) {
		if ((alt = html_attr(t, tlen, "alt")) == NULL)
			alt = xstrdup("image");
		if (alt[0] != '\0') {
			html_text(st, "[", 1);
			html_text(st, alt, strlen(alt));
			html_text(st, "]", 1);
		}
		free(alt);
	}
}

/* Skip a raw-text element's content: find "</name" (any case). */
static size_t
html_skip_raw(const char *p, size_t len, size_t i, const char *name)
{
	size_t	 n = strlen(name);

	for (; i + 2 + n <= len; i++)
		if (p[i] == '<' && p[i + 1] == '/' &&
		    str_eq_ci(p + i + 2, n, name))
			return i;
	return len;
}

/* Parse the markup at p[i] == '<'; returns the index after it. */
static size_t
html_markup(struct html_state *st, const char *p, size_t len, size_t i)
{
	char		 name[HTML_NAME_MAX + 1];
	size_t		 j, k, n, ts;
	bool		 end = false;
	const char	*q;

	j = i + 1;
	if (j + 2 < len && p[j] == '!' && p[j + 1] == '-' && p[j + 2] == '-') {
		for (k = j + 3; k + 2 < len; k++)
			if (p[k] == '-' && p[k + 1] == '-' && p[k + 2] == '>')
				return k + 3;
		return len;
	}
	if (j < len && (p[j] == '!' || p[j] == '?')) {
		q = memchr(p + j, '>', len - j);
		return q == NULL ? len : (size_t)(q - p) + 1;
	}
	if (j < len && p[j] == '/') {
		end = true;
		j++;
	}
	if (j >= len || !html_is_alpha(p[j])) {
		html_text(st, "<", 1);
		return i + 1;
	}
	for (n = 0; j < len && (html_is_alnum(p[j]) || p[j] == '-' ||
	    p[j] == ':'); j++)
		if (n < HTML_NAME_MAX)
			name[n++] = (char)(p[j] | 0x20);
	name[n] = '\0';
	ts = j;
	/* The tag ends at the first '>' outside quotes. */
	for (k = j; k < len && p[k] != '>'; k++) {
		if (p[k] == '"' || p[k] == '\'') {
			q = memchr(p + k + 1, p[k], len - k - 1);
			if (q == NULL)
				break;
			k = (size_t)(q - p);
		}
	}
	if (k < len && p[k] != '>') {
		/* lenient: unbalanced quote; end at the next '>' */
		q = memchr(p + k, '>', len - k);
		k = q == NULL ? len : (size_t)(q - p);
	}
	html_tag(st, name, end, p + ts, k - ts);
	k = k < len ? k + 1 : len;
	if (!end && (strcmp(name, "script") == 0 ||
	    strcmp(name, "style") == 0 || strcmp(name, "title") == 0 ||
	    strcmp(name, "template") == 0 || strcmp(name, "noscript") == 0))
		k = html_skip_raw(p, len, k, name);
	return k;
}

void
html_to_text(struct buf *out, const char *p, size_t len)
{
	struct html_state	 st;
	struct buf		 ent = BUF_INIT;
	size_t			 i, run, n;
	uint32_t		 cp;

	memset(&st, 0, sizeof st);
	st.out = out;
	st.bol = true;
	buf_init(&st.links);
	i = 0;
	while (i < len) {
		if (p[i] == '<') {
			i = html_markup(&st, p, len, i);
			continue;
		}
		if (p[i] == '&' && (n = html_entity(p + i, len - i, &cp)) > 0) {
			buf_reset(&ent);
			sanitize_utf8_put(&ent, cp == 0xa0 ? ' ' : cp);
			html_text(&st, ent.data, ent.len);
			i += n;
			continue;
		}
		if (html_is_space(p[i])) {
			if (st.pre > 0) {
				if (p[i] == '\n')
					html_br(&st);
				else if (p[i] != '\r')
					html_text(&st, p + i, 1);
			} else if (!st.bol && st.any)
				st.spaces = st.breaks > 0 ? 0 : 1;
			i++;
			continue;
		}
		for (run = i; run < len && p[run] != '<' && p[run] != '&' &&
		    !html_is_space(p[run]); run++)
			;
		if (run == i)
			run++;
		html_text(&st, p + i, run - i);
		i = run;
	}
	html_link_close(&st);
	if (st.any && !st.bol)
		buf_add_byte(out, '\n');
	if (st.links.len > 0) {
		if (st.any)
			buf_add_byte(out, '\n');
		buf_add(out, st.links.data, st.links.len);
	}
	buf_fini(&st.links);
	buf_fini(&ent);
}
