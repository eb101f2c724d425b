/* SPDX-License-Identifier: ISC */
/*
 * The pager's view of a message: walk the MIME tree, decode what can be
 * read, classify lines (header, quote, signature, attachment, note),
 * sanitize and wrap them.  Pure: never prints, never runs a program.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg/addr.h"
#include "msg/charset.h"
#include "msg/flowed.h"
#include "msg/html.h"
#include "msg/mime.h"
#include "msg/render.h"
#include "msg/rfc5322.h"
#include "msg/sanitize.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define RENDER_MIN_WIDTH	20	/* text columns kept after a prefix */
#define RENDER_HDR_INDENT	"    "	/* continuation of a header line */

static const char *const render_default_headers[] = { "From", "To", "Cc",
    "Date", "Subject", NULL };

struct render_ctx;
static void	 render_note(struct render_ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

struct render_ctx {
	struct render_doc	*doc;
	const struct mime_msg	*m;
	const struct render_opts *o;
	uint32_t		*attach;	/* part indices, in order */
	size_t			 nattach;
	bool			 shown;		/* some body text was shown */
	bool			 full;		/* RENDER_LINES_MAX reached */
};

static void
render_add(struct render_doc *doc, const char *p, size_t len,
    enum render_attr attr, int quote, size_t name_len)
{
	struct render_line	*l;

	if (doc->n == doc->cap) {
		doc->cap = doc->cap == 0 ? 64 : doc->cap * 2;
		doc->v = xreallocarray(doc->v, doc->cap, sizeof *doc->v);
	}
	l = &doc->v[doc->n++];
	l->text = xstrndup(p, len);
	l->len = len;
	l->attr = attr;
	l->quote = (uint8_t)(quote > RENDER_QUOTE_MAX ? RENDER_QUOTE_MAX :
	    quote);
	l->name_len = (uint16_t)(name_len > UINT16_MAX ? 0 : name_len);
}

/*
 * Add sanitized text s[0..len) wrapped at width: the first line starts
 * with first (already sanitized), later ones with cont; both count
 * against the width.
 */
static void
render_wrap(struct render_doc *doc, const char *first, const char *cont,
    const char *s, size_t len, int width, enum render_attr attr, int quote,
    size_t name_len)
{
	struct buf	 line = BUF_INIT;
	const char	*pre = first;
	size_t		 n, sp, end, next;
	uint32_t	 cp;
	int		 room;

	for (;;) {
		buf_reset(&line);
		buf_add_str(&line, pre);
		room = width - sanitize_width(pre, strlen(pre));
		if (width <= 0)
			room = -1;
		else if (room < RENDER_MIN_WIDTH)
			room = RENDER_MIN_WIDTH;
		/* Measure only what can fit: long lines stay linear. */
		if (room < 0 || (n = sanitize_cut(s, len, room, NULL)) == len) {
			buf_add(&line, s, len);
			render_add(doc, line.data, line.len, attr, quote,
			    name_len);
			break;
		}
		if (n == 0 && (n = sanitize_utf8_next(s, len, &cp)) == 0)
			n = 1;
		end = next = n;
		if (n < len && s[n] != ' ') {
			/* Break at the last space that fits. */
			for (sp = n; sp > 0 && s[sp - 1] != ' '; sp--)
				;
			if (sp > 0) {
				end = sp - 1;
				next = sp;
			}
		}
		while (end > 0 && s[end - 1] == ' ')
			end--;
		if (end == 0)
			end = next = n;
		buf_add(&line, s, end);
		render_add(doc, line.data, line.len, attr, quote, name_len);
		while (next < len && s[next] == ' ')
			next++;
		s += next;
		len -= next;
		pre = cont;
		name_len = 0;
		if (len == 0)
			break;
	}
	buf_fini(&line);
}

static bool
render_full(struct render_ctx *c)
{
	if (c->full)
		return true;
	if (c->doc->n >= RENDER_LINES_MAX) {
		render_add(c->doc, "[-- message too long: rest not shown --]",
		    40, RENDER_NOTE, 0, 0);
		c->full = true;
	}
	return c->full;
}

static void
render_note(struct render_ctx *c, const char *fmt, ...)
{
	struct buf	 raw = BUF_INIT, s = BUF_INIT;
	va_list		 ap;

	if (render_full(c))
		return;
	buf_add_str(&raw, "[-- ");
	va_start(ap, fmt);
	buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	buf_add_str(&raw, " --]");
	sanitize_append(&s, raw.data, raw.len, 0, 0);
	render_wrap(c->doc, "", "", s.data != NULL ? s.data : "", s.len,
	    c->o->width, RENDER_NOTE, 0, 0);
	buf_fini(&raw);
	buf_fini(&s);
}

/* One logical body line: find its quote depth, sanitize, wrap. */
static void
render_body_line(struct render_doc *doc, const char *p, size_t len,
    int width, bool sig)
{
	struct buf	 s = BUF_INIT, pre = BUF_INIT;
	size_t		 i = 0;
	int		 depth = 0, k;

	if (!sig) {
		while (i < len && p[i] == '>') {
			depth++;
			i++;
			if (i + 1 < len && p[i] == ' ' && p[i + 1] == '>')
				i++;
		}
		if (depth > 0 && i < len && p[i] == ' ')
			i++;
	}
	for (k = 0; k < depth && k < RENDER_QUOTE_MAX; k++)
		buf_add_byte(&pre, '>');
	if (depth > 0)
		buf_add_byte(&pre, ' ');
	sanitize_append(&s, p + i, len - i, 0, SANITIZE_TABS);
	render_wrap(doc, buf_str(&pre), buf_str(&pre), buf_str(&s), s.len,
	    width, sig ? RENDER_SIG : depth > 0 ? RENDER_QUOTE : RENDER_TEXT,
	    depth, 0);
	buf_fini(&s);
	buf_fini(&pre);
}

void
render_text(struct render_doc *doc, const char *p, size_t len, int width)
{
	const char	*nl, *end = p + len;
	size_t		 l;
	bool		 sig = false;

	while (p < end && doc->n < RENDER_LINES_MAX) {
		nl = memchr(p, '\n', (size_t)(end - p));
		l = nl == NULL ? (size_t)(end - p) : (size_t)(nl - p);
		if (l > 0 && p[l - 1] == '\r')
			l--;
		if (l == 3 && memcmp(p, "-- ", 3) == 0)
			sig = true;
		render_body_line(doc, p, l, width, sig);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

static bool
render_is_addr_field(const char *name)
{
	static const char *const f[] = { "from", "to", "cc", "bcc",
	    "reply-to", "sender", "resent-from", "resent-to", "resent-cc",
	    "mail-followup-to", NULL };
	size_t	 i;

	for (i = 0; f[i] != NULL; i++)
		if (strcasecmp(name, f[i]) == 0)
			return true;
	return false;
}

/* Append the decoded value of field f to out. */
static void
render_field_value(const struct rfc5322_field *f, const char *name,
    const char *charset, struct buf *out)
{
	struct addr_list	 al;
	size_t			 i;

	if (!render_is_addr_field(name)) {
		rfc5322_value_decode(f->value, f->valuelen, charset, out);
		return;
	}
	memset(&al, 0, sizeof al);
	addr_list_parse(&al, f->value, f->valuelen, charset);
	if (al.n == 0)
		rfc5322_value_decode(f->value, f->valuelen, charset, out);
	for (i = 0; i < al.n; i++) {
		if (i > 0)
			buf_add_str(out, ", ");
		if (al.v[i].addr[0] == '\0' && al.v[i].group != NULL) {
			buf_printf(out, "%s:;", al.v[i].group);
			continue;
		}
		if (al.v[i].name != NULL && al.v[i].name[0] != '\0')
			buf_printf(out, "%s <%s>", al.v[i].name, al.v[i].addr);
		else
			buf_add_str(out, al.v[i].addr);
	}
	addr_list_fini(&al);
}

static void
render_headers(struct render_ctx *c, const struct rfc5322_hdr *h,
    const char *charset)
{
	const char *const		*names;
	const struct rfc5322_field	*f;
	struct buf			 v = BUF_INIT, s = BUF_INIT,
					 first = BUF_INIT;
	size_t				 i;

	names = c->o->headers != NULL ? c->o->headers :
	    render_default_headers;
	for (i = 0; names[i] != NULL; i++) {
		for (f = rfc5322_hdr_get(h, names[i], NULL); f != NULL;
		    f = rfc5322_hdr_get(h, names[i], f)) {
			if (render_full(c))
				break;
			buf_reset(&v);
			buf_reset(&s);
			buf_reset(&first);
			render_field_value(f, names[i], charset, &v);
			sanitize_append(&first, names[i], strlen(names[i]), 0,
			    0);
			buf_add_str(&first, ": ");
			sanitize_append(&s, v.data != NULL ? v.data : "",
			    v.len, 0, 0);
			render_wrap(c->doc, buf_str(&first), RENDER_HDR_INDENT,
			    buf_str(&s), s.len, c->o->width, RENDER_HEADER, 0,
			    first.len - 1);
		}
	}
	buf_fini(&v);
	buf_fini(&s);
	buf_fini(&first);
}

static bool
render_has_8bit(const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((unsigned char)p[i] >= 0x80)
			return true;
	return false;
}

static void
render_text_part(struct render_ctx *c, const struct mime_part *pt)
{
	struct buf	 raw = BUF_INIT, conv = BUF_INIT, txt = BUF_INIT;
	unsigned int	 flags;
	bool		 html, valid;
	size_t		 i;
	const char	*as;

	mime_part_decode(pt, &raw);
	flags = charset_to_utf8(pt->charset,
	    pt->charset != NULL ? strlen(pt->charset) : 0, raw.data, raw.len,
	    c->o->assumed_charset, &conv);
	if (render_has_8bit(raw.data, raw.len)) {
		valid = charset_utf8_valid(raw.data, raw.len);
		as = valid ? "UTF-8" : c->o->assumed_charset != NULL &&
		    pt->charset == NULL ? c->o->assumed_charset :
		    "windows-1252";
		if (flags & CHARSET_UNKNOWN) {
			render_note(c, "charset %s unknown, shown as %s",
			    pt->charset, as);
		} else if ((flags & CHARSET_FALLBACK) && !valid)
			render_note(c, "no charset given, shown as %s", as);
	}
	if (pt->notes & MIME_NOTE_CTE)
		render_note(c, "unknown transfer encoding %s, shown as is",
		    pt->cte != NULL ? pt->cte : "");
	/* CRLF and lone CR to LF */
	buf_reset(&txt);
	for (i = 0; i < conv.len; i++) {
		if (conv.data[i] == '\r') {
			buf_add_byte(&txt, '\n');
			if (i + 1 < conv.len && conv.data[i + 1] == '\n')
				i++;
		} else
			buf_add_byte(&txt, (unsigned char)conv.data[i]);
	}
	html = strcmp(pt->type, "text/html") == 0;
	buf_reset(&conv);
	if (html) {
		if (c->o->html_cb == NULL || c->o->html_cb(c->o->html_arg,
		    buf_str(&txt), txt.len, &conv) != 0) {
			buf_reset(&conv);
			html_to_text(&conv, txt.data != NULL ? txt.data : "",
			    txt.len);
		}
	} else if (pt->flowed && strcmp(pt->type, "text/plain") == 0)
		flowed_reflow(&conv, txt.data != NULL ? txt.data : "",
		    txt.len, pt->delsp, c->o->width);
	else
		buf_add(&conv, txt.data != NULL ? txt.data : "", txt.len);
	if (c->shown && !render_full(c))
		render_add(c->doc, "", 0, RENDER_TEXT, 0, 0);
	if (!render_full(c))
		render_text(c->doc, conv.data != NULL ? conv.data : "",
		    conv.len, c->o->width);
	c->shown = true;
	buf_fini(&raw);
	buf_fini(&conv);
	buf_fini(&txt);
}

static void
render_attach(struct render_ctx *c, uint32_t idx)
{
	c->attach = xreallocarray(c->attach, c->nattach + 1,
	    sizeof *c->attach);
	c->attach[c->nattach++] = idx;
}

static void render_part(struct render_ctx *, uint32_t, unsigned int);

static void
render_children(struct render_ctx *c, uint32_t idx, uint32_t only,
    unsigned int depth)
{
	uint32_t	 k;

	for (k = c->m->parts[idx].child; k != MIME_NONE;
	    k = c->m->parts[k].next) {
		if (only == MIME_NONE || k == only)
			render_part(c, k, depth + 1);
		else
			render_attach(c, k);
	}
}

static void
render_part(struct render_ctx *c, uint32_t idx, unsigned int depth)
{
	const struct mime_part	*pt = &c->m->parts[idx];
	uint32_t		 pick;

	if (depth > MIME_DEPTH_MAX)
		return;
	if (pt->notes & (MIME_NOTE_DEPTH | MIME_NOTE_PARTS))
		render_note(c, "%s", pt->notes & MIME_NOTE_DEPTH ?
		    "parts nested too deeply: not shown" :
		    "too many parts: the rest not shown");
	if (strncmp(pt->type, "multipart/", 10) == 0) {
		if (pt->child == MIME_NONE) {
			if (!(pt->notes & MIME_NOTE_DEPTH)) {
				render_note(c, "%s has no parts, shown as text",
				    pt->type);
				render_text_part(c, pt);
			}
			return;
		}
		if (strcmp(pt->type, "multipart/alternative") == 0) {
			pick = mime_alternative_pick(c->m, idx);
			if (pick != MIME_NONE)
				render_part(c, pick, depth + 1);
			else	/* nothing to show: list them all */
				render_children(c, idx, MIME_NONE - 1, depth);
			return;
		}
		if (strcmp(pt->type, "multipart/related") == 0) {
			render_children(c, idx, mime_related_start(c->m, idx),
			    depth);
			return;
		}
		render_children(c, idx, MIME_NONE, depth);
		return;
	}
	if (mime_part_is_attachment(pt)) {
		render_attach(c, idx);
		return;
	}
	if (strncmp(pt->type, "message/", 8) == 0) {
		if (pt->child == MIME_NONE) {
			render_attach(c, idx);
			return;
		}
		if (c->shown && !render_full(c))
			render_add(c->doc, "", 0, RENDER_TEXT, 0, 0);
		render_note(c, "attached message");
		render_headers(c, &c->m->parts[pt->child].hdr,
		    c->m->parts[pt->child].charset);
		c->shown = false;
		render_part(c, pt->child, depth + 1);
		c->shown = true;
		return;
	}
	render_text_part(c, pt);
}

static void
render_size(struct buf *out, size_t n)
{
	if (n < 1024)
		buf_printf(out, "%zu B", n);
	else if (n < 1024 * 1024)
		buf_printf(out, "%zu KB", (n + 1023) / 1024);
	else
		buf_printf(out, "%.1f MB", (double)n / (1024.0 * 1024.0));
}

void
render_message(struct render_doc *doc, const struct mime_msg *m,
    const struct render_opts *opts)
{
	static const struct render_opts	 defaults = { .width = 80 };
	struct render_ctx		 c;
	const struct mime_part		*pt;
	struct buf			 raw = BUF_INIT, s = BUF_INIT;
	uint32_t			 tp;
	size_t				 i;

	memset(&c, 0, sizeof c);
	c.doc = doc;
	c.m = m;
	c.o = opts != NULL ? opts : &defaults;
	if (m->nparts == 0) {
		render_note(&c, "empty message");
		return;
	}
	tp = mime_text_part(m);
	render_headers(&c, &m->parts[0].hdr,
	    tp != MIME_NONE ? m->parts[tp].charset : m->parts[0].charset);
	render_add(doc, "", 0, RENDER_TEXT, 0, 0);
	render_part(&c, 0, 0);
	if (!c.shown)
		render_note(&c, "no text part");
	if (c.nattach > 0 && !render_full(&c))
		render_add(doc, "", 0, RENDER_TEXT, 0, 0);
	for (i = 0; i < c.nattach && !render_full(&c); i++) {
		pt = &m->parts[c.attach[i]];
		buf_reset(&raw);
		buf_reset(&s);
		buf_printf(&raw, "[%u] %s, ", pt->index, pt->type);
		render_size(&raw, pt->size);
		if (pt->filename != NULL)
			buf_printf(&raw, ", %s", pt->filename);
		sanitize_append(&s, raw.data, raw.len, 0, 0);
		render_wrap(doc, "", "    ", buf_str(&s), s.len,
		    c.o->width, RENDER_ATTACH, 0, 0);
	}
	buf_fini(&raw);
	buf_fini(&s);
	free(c.attach);
}

void
render_doc_fini(struct render_doc *doc)
{
	size_t	 i;

	for (i = 0; i < doc->n; i++)
		free(doc->v[i].text);
	free(doc->v);
	memset(doc, 0, sizeof *doc);
}

void
render_doc_text(const struct render_doc *doc, struct buf *out)
{
	size_t	 i;

	for (i = 0; i < doc->n; i++) {
		buf_add(out, doc->v[i].text, doc->v[i].len);
		buf_add_byte(out, '\n');
	}
}
