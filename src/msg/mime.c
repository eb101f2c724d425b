/* SPDX-License-Identifier: ISC */
/*
 * The MIME part tree.  Top-down: an entity's header is indexed, its
 * Content-Type decides whether its body is split on the boundary
 * (RFC 2046 section 5.1.1), recursed into as a message (section 5.2.1),
 * or kept as a leaf.  Splitting is done on the enclosing slice only, so a
 * broken inner part can never swallow its parent's next delimiter.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg/charset.h"
#include "msg/codec.h"
#include "msg/mime.h"
#include "msg/rfc2231.h"
#include "msg/rfc5322.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/str.h"
#include "util/xmalloc.h"

struct mime_ctx {
	struct mime_msg	*m;
	struct buf	 scratch;	/* decoded-size counting */
};

static char *
mime_lower_dup(const char *s)
{
	char	*d, *p;

	d = xstrdup(s);
	for (p = d; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p |= 0x20;
	return d;
}

static bool
mime_is_field_line(const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (p[i] == ':')
			return i > 0;
		if ((unsigned char)p[i] <= ' ' || (unsigned char)p[i] >= 0x7f) {
			/* obsolete syntax: white space before the colon */
			while (i < len && (p[i] == ' ' || p[i] == '\t'))
				i++;
			return i < len && p[i] == ':' && i > 0;
		}
	}
	return false;
}

/*
 * Where the header of the entity p[0..len) ends: *hdrlen bytes of header,
 * body from the return value.  The header stops at an empty line, or
 * (lenient) at the first line that is neither a field nor a continuation.
 */
static size_t
mime_header_end(const char *p, size_t len, size_t *hdrlen, bool *nosep)
{
	const char	*nl;
	size_t		 i = 0, n, l;
	bool		 any = false;

	*nosep = false;
	while (i < len) {
		nl = memchr(p + i, '\n', len - i);
		n = nl == NULL ? len : (size_t)(nl - p) + 1;
		l = (nl == NULL ? len : (size_t)(nl - p)) - i;
		if (l > 0 && p[i + l - 1] == '\r')
			l--;
		if (l == 0) {
			*hdrlen = i;
			return n;
		}
		if ((p[i] == ' ' || p[i] == '\t') && any) {
			i = n;
			continue;
		}
		if (!mime_is_field_line(p + i, l)) {
			*nosep = true;
			*hdrlen = i;
			return i;
		}
		any = true;
		i = n;
	}
	*hdrlen = len;
	*nosep = true;
	return len;
}

static uint32_t
mime_part_add(struct mime_msg *m, uint32_t parent, uint32_t depth)
{
	struct mime_part	*pt;

	if (m->nparts >= MIME_PARTS_MAX)
		return MIME_NONE;
	if (m->nparts == m->cap) {
		m->cap = m->cap == 0 ? 8 : m->cap * 2;
		m->parts = xreallocarray(m->parts, m->cap, sizeof *m->parts);
	}
	pt = &m->parts[m->nparts];
	memset(pt, 0, sizeof *pt);
	pt->index = (uint32_t)m->nparts;
	pt->parent = parent;
	pt->depth = depth;
	pt->next = pt->child = MIME_NONE;
	pt->codec = CODEC_IDENTITY;
	return (uint32_t)m->nparts++;
}

static void
mime_note(struct mime_msg *m, uint32_t idx, unsigned int note)
{
	m->parts[idx].notes |= note;
	m->notes |= note;
}

/* A usable type/subtype: a token, a slash, a token. */
static bool
mime_type_ok(const char *t)
{
	const char	*s;

	if (t == NULL || (s = strchr(t, '/')) == NULL || s == t ||
	    s[1] == '\0' || strchr(s + 1, '/') != NULL)
		return false;
	for (; *t != '\0'; t++)
		if ((unsigned char)*t <= ' ' || (unsigned char)*t >= 0x7f)
			return false;
	return true;
}

static void
mime_read_header(struct mime_part *pt, const char *deftype)
{
	const struct rfc5322_field	*f;
	struct rfc2231_params		 ps;
	struct buf			 b = BUF_INIT;
	const char			*v;
	bool				 known;
	size_t				 n;

	memset(&ps, 0, sizeof ps);
	if ((f = rfc5322_hdr_get(&pt->hdr, "Content-Type", NULL)) != NULL) {
		rfc2231_parse(&ps, f->value, f->valuelen, NULL);
		if (mime_type_ok(ps.value))
			pt->type = mime_lower_dup(ps.value);
		if ((v = rfc2231_get(&ps, "charset")) != NULL && *v != '\0')
			pt->charset = mime_lower_dup(v);
		if ((v = rfc2231_get(&ps, "boundary")) != NULL && *v != '\0')
			pt->boundary = xstrdup(v);
		if ((v = rfc2231_get(&ps, "format")) != NULL)
			pt->flowed = strcasecmp(v, "flowed") == 0;
		if ((v = rfc2231_get(&ps, "delsp")) != NULL)
			pt->delsp = strcasecmp(v, "yes") == 0;
		if ((v = rfc2231_get(&ps, "name")) != NULL && *v != '\0')
			pt->filename = xstrdup(v);
		rfc2231_params_fini(&ps);
	}
	if (pt->type == NULL)
		pt->type = xstrdup(deftype);
	if ((f = rfc5322_hdr_get(&pt->hdr, "Content-Disposition",
	    NULL)) != NULL) {
		rfc2231_parse(&ps, f->value, f->valuelen, NULL);
		if (ps.value != NULL && ps.value[0] != '\0')
			pt->disposition = mime_lower_dup(ps.value);
		if ((v = rfc2231_get(&ps, "filename")) != NULL && *v != '\0') {
			free(pt->filename);
			pt->filename = xstrdup(v);
		}
		rfc2231_params_fini(&ps);
	}
	if ((f = rfc5322_hdr_get(&pt->hdr, "Content-Transfer-Encoding",
	    NULL)) != NULL) {
		rfc5322_unfold(f->value, f->valuelen, &b);
		if (b.len > 0) {
			pt->cte = mime_lower_dup(buf_str(&b));
			pt->codec = codec_type_from_cte(b.data, b.len, &known);
			if (!known)
				pt->notes |= MIME_NOTE_CTE;
		}
		buf_reset(&b);
	}
	if ((f = rfc5322_hdr_get(&pt->hdr, "Content-ID", NULL)) != NULL) {
		rfc5322_unfold(f->value, f->valuelen, &b);
		v = buf_str(&b);
		n = b.len;
		if (n >= 2 && v[0] == '<' && v[n - 1] == '>')
			pt->content_id = xstrndup(v + 1, n - 2);
		else if (n > 0)
			pt->content_id = xstrdup(v);
	}
	buf_fini(&b);
}

static uint32_t mime_entity(struct mime_ctx *, const char *, size_t,
    uint32_t, uint32_t, const char *);

/*
 * Find the next delimiter line "--boundary" (at a line start, followed by
 * "--", white space or the line end) in p[from..len).  Returns its start
 * and sets *after (the first byte of the next line) and *close.
 */
static bool
mime_delim_next(const char *p, size_t len, size_t from, const char *bnd,
    size_t blen, size_t *start, size_t *after, bool *close)
{
	const char	*q;
	size_t		 i, j;

	while (from + blen <= len) {
		if ((q = memmem(p + from, len - from, bnd, blen)) == NULL)
			return false;
		i = (size_t)(q - p);
		from = i + 1;
		if (i > 0 && p[i - 1] != '\n')
			continue;
		j = i + blen;
		*close = j + 1 < len && p[j] == '-' && p[j + 1] == '-';
		if (*close)
			j += 2;
		while (j < len && (p[j] == ' ' || p[j] == '\t'))
			j++;
		if (j < len && p[j] == '\r')
			j++;
		if (j < len && p[j] != '\n')
			continue;
		*start = i;
		*after = j < len ? j + 1 : len;
		return true;
	}
	return false;
}

/* The line break before a delimiter belongs to it (RFC 2046 5.1.1). */
static size_t
mime_trim_crlf(const char *p, size_t start, size_t end)
{
	if (end > start && p[end - 1] == '\n')
		end--;
	if (end > start && p[end - 1] == '\r')
		end--;
	return end;
}

static void
mime_link(struct mime_msg *m, uint32_t parent, uint32_t *last, uint32_t c)
{
	if (c == MIME_NONE)
		return;
	if (*last == MIME_NONE)
		m->parts[parent].child = c;
	else
		m->parts[*last].next = c;
	*last = c;
	m->parts[parent].nchildren++;
}

static void
mime_split(struct mime_ctx *ctx, uint32_t idx)
{
	struct mime_msg	*m = ctx->m;
	char		*bnd;
	const char	*body = m->parts[idx].body, *deftype;
	size_t		 len = m->parts[idx].bodylen, blen, s, a, s2, a2, end;
	uint32_t	 depth = m->parts[idx].depth, last = MIME_NONE, c;
	bool		 close, close2;

	bnd = xasprintf("--%s", m->parts[idx].boundary);
	blen = strlen(bnd);
	deftype = strcmp(m->parts[idx].type, "multipart/digest") == 0 ?
	    "message/rfc822" : "text/plain";
	if (!mime_delim_next(body, len, 0, bnd, blen, &s, &a, &close)) {
		mime_note(m, idx, MIME_NOTE_NO_PARTS);
		free(bnd);
		return;
	}
	while (!close) {
		if (mime_delim_next(body, len, a, bnd, blen, &s2, &a2,
		    &close2))
			end = mime_trim_crlf(body, a, s2);
		else {
			mime_note(m, idx, MIME_NOTE_NO_END);
			end = len;
			close2 = true;
		}
		c = mime_entity(ctx, body + a, end - a, idx, depth + 1,
		    deftype);
		if (c == MIME_NONE) {
			mime_note(m, idx, MIME_NOTE_PARTS);
			break;
		}
		mime_link(m, idx, &last, c);
		a = a2;
		close = close2;
	}
	free(bnd);
}

static size_t
mime_decoded_size(struct mime_ctx *ctx, const struct mime_part *pt)
{
	size_t	 n;

	if (pt->codec == CODEC_IDENTITY)
		return pt->bodylen;
	buf_reset(&ctx->scratch);
	mime_part_decode(pt, &ctx->scratch);
	n = ctx->scratch.len;
	if (ctx->scratch.cap > 1024 * 1024)
		buf_fini(&ctx->scratch);
	return n;
}

static uint32_t
mime_entity(struct mime_ctx *ctx, const char *p, size_t len, uint32_t parent,
    uint32_t depth, const char *deftype)
{
	struct mime_msg		*m = ctx->m;
	struct mime_part	*pt;
	struct err		 e;
	struct buf		 dec;
	const char		*body;
	size_t			 hdrlen, off, blen;
	uint32_t		 idx, last = MIME_NONE, c;
	bool			 nosep;

	if ((idx = mime_part_add(m, parent, depth)) == MIME_NONE)
		return MIME_NONE;
	pt = &m->parts[idx];
	off = mime_header_end(p, len, &hdrlen, &nosep);
	if (rfc5322_hdr_parse(&pt->hdr, p, hdrlen, NULL, &e) == -1 ||
	    pt->hdr.truncated)
		pt->notes |= MIME_NOTE_HDR_LIMIT;
	if (nosep && hdrlen > 0 && off < len)
		pt->notes |= MIME_NOTE_NO_SEP;
	pt->body = p + off;
	pt->bodylen = len - off;
	mime_read_header(pt, deftype);
	m->notes |= pt->notes;

	if (strncmp(pt->type, "multipart/", 10) == 0) {
		if (pt->boundary == NULL) {
			mime_note(m, idx, MIME_NOTE_NO_BOUNDARY);
			free(pt->type);
			pt->type = xstrdup("text/plain");
		} else if (depth + 1 >= MIME_DEPTH_MAX) {
			mime_note(m, idx, MIME_NOTE_DEPTH);
		} else {
			mime_split(ctx, idx);
			pt = &m->parts[idx];
			pt->size = pt->bodylen;
			return idx;
		}
	} else if (strcmp(pt->type, "message/rfc822") == 0 ||
	    strcmp(pt->type, "message/global") == 0) {
		if (depth + 1 >= MIME_DEPTH_MAX)
			mime_note(m, idx, MIME_NOTE_DEPTH);
		else {
			body = pt->body;
			blen = pt->bodylen;
			if (pt->codec != CODEC_IDENTITY) {
				/* lenient: an encoded message; keep it decoded */
				buf_init(&dec);
				mime_part_decode(pt, &dec);
				m->bufs = xreallocarray(m->bufs, m->nbufs + 1,
				    sizeof *m->bufs);
				body = m->bufs[m->nbufs++] = buf_take(&dec,
				    &blen);
			}
			c = mime_entity(ctx, body, blen, idx, depth + 1,
			    "text/plain");
			if (c == MIME_NONE)
				mime_note(m, idx, MIME_NOTE_PARTS);
			mime_link(m, idx, &last, c);
			pt = &m->parts[idx];
			pt->size = blen;
			return idx;
		}
	}
	pt->size = mime_decoded_size(ctx, pt);
	return idx;
}

int
mime_parse(struct mime_msg *m, const char *p, size_t len, struct err *e)
{
	struct mime_ctx	 ctx;
	const char	*nl;

	memset(m, 0, sizeof *m);
	if (len == 0)
		return err_set(e, ERR_INPUT, "empty message");
	/* An mbox separator line is not part of the message. */
	if (len >= 5 && memcmp(p, "From ", 5) == 0) {
		if ((nl = memchr(p, '\n', len)) == NULL)
			nl = p + len - 1;
		len -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	m->raw = p;
	m->rawlen = len;
	ctx.m = m;
	buf_init(&ctx.scratch);
	mime_entity(&ctx, p, len, MIME_NONE, 0, "text/plain");
	buf_fini(&ctx.scratch);
	return 0;
}

void
mime_msg_fini(struct mime_msg *m)
{
	struct mime_part	*pt;
	size_t			 i;

	for (i = 0; i < m->nparts; i++) {
		pt = &m->parts[i];
		free(pt->type);
		free(pt->charset);
		free(pt->filename);
		free(pt->disposition);
		free(pt->cte);
		free(pt->boundary);
		free(pt->content_id);
		rfc5322_hdr_fini(&pt->hdr);
	}
	free(m->parts);
	for (i = 0; i < m->nbufs; i++)
		free(m->bufs[i]);
	free(m->bufs);
	memset(m, 0, sizeof *m);
}

void
mime_part_decode(const struct mime_part *pt, struct buf *out)
{
	struct codec_dec	 d;

	if (pt->codec == CODEC_IDENTITY) {
		buf_add(out, pt->body, pt->bodylen);
		return;
	}
	codec_dec_init(&d, pt->codec);
	codec_dec_feed(&d, pt->body, pt->bodylen, out);
	codec_dec_finish(&d, out);
}

unsigned int
mime_part_text(const struct mime_part *pt, const char *assumed,
    struct buf *out)
{
	struct buf	 raw = BUF_INIT, conv = BUF_INIT;
	unsigned int	 flags;
	size_t		 i;
	const char	*s;

	mime_part_decode(pt, &raw);
	flags = charset_to_utf8(pt->charset,
	    pt->charset != NULL ? strlen(pt->charset) : 0, raw.data, raw.len,
	    assumed, &conv);
	buf_reserve(out, conv.len);
	s = conv.data;
	for (i = 0; i < conv.len; i++) {
		if (s[i] == '\r') {
			buf_add_byte(out, '\n');
			if (i + 1 < conv.len && s[i + 1] == '\n')
				i++;
		} else
			buf_add_byte(out, (unsigned char)s[i]);
	}
	buf_fini(&raw);
	buf_fini(&conv);
	return flags;
}

bool
mime_part_is_attachment(const struct mime_part *pt)
{
	if (pt->disposition != NULL && strcmp(pt->disposition, "attachment")
	    == 0)
		return true;
	return strncmp(pt->type, "text/", 5) != 0 &&
	    strncmp(pt->type, "multipart/", 10) != 0 &&
	    strcmp(pt->type, "message/rfc822") != 0 &&
	    strcmp(pt->type, "message/global") != 0;
}

uint32_t
mime_alternative_pick(const struct mime_msg *m, uint32_t alt)
{
	uint32_t	 c, best[4] = { MIME_NONE, MIME_NONE, MIME_NONE,
			    MIME_NONE };
	const char	*t;
	int		 rank, i;

	for (c = m->parts[alt].child; c != MIME_NONE; c = m->parts[c].next) {
		t = m->parts[c].type;
		if (m->parts[c].disposition != NULL &&
		    strcmp(m->parts[c].disposition, "attachment") == 0)
			continue;
		/* An empty plain part loses to anything with content. */
		if (strcmp(t, "text/plain") == 0)
			rank = m->parts[c].size > 0 ? 0 : 3;
		else if (strncmp(t, "multipart/", 10) == 0 ||
		    strncmp(t, "message/", 8) == 0)
			rank = 1;
		else if (strcmp(t, "text/html") == 0)
			rank = 2;
		else if (strncmp(t, "text/", 5) == 0)
			rank = 3;
		else
			continue;
		if (best[rank] == MIME_NONE)
			best[rank] = c;
	}
	for (i = 0; i < 4; i++)
		if (best[i] != MIME_NONE)
			return best[i];
	return MIME_NONE;
}

uint32_t
mime_related_start(const struct mime_msg *m, uint32_t idx)
{
	const struct mime_part		*pt = &m->parts[idx];
	const struct rfc5322_field	*f;
	struct rfc2231_params		 ps;
	const char			*start = NULL;
	uint32_t			 c, pick = pt->child;
	size_t				 n;

	memset(&ps, 0, sizeof ps);
	if ((f = rfc5322_hdr_get(&pt->hdr, "Content-Type", NULL)) != NULL) {
		rfc2231_parse(&ps, f->value, f->valuelen, NULL);
		start = rfc2231_get(&ps, "start");
	}
	if (start != NULL) {
		if (*start == '<')
			start++;
		n = strcspn(start, ">");
		for (c = pt->child; c != MIME_NONE; c = m->parts[c].next)
			if (m->parts[c].content_id != NULL &&
			    strncmp(m->parts[c].content_id, start, n) == 0 &&
			    m->parts[c].content_id[n] == '\0') {
				pick = c;
				break;
			}
	}
	rfc2231_params_fini(&ps);
	return pick;
}

/*
 * Walk as a body finder does: attachments skipped, multipart/related
 * only through its start part, messages not entered.  Records the first
 * text/plain and the first text/html met.
 */
static void
mime_find_body(const struct mime_msg *m, uint32_t idx, uint32_t *plain,
    uint32_t *html, unsigned int depth)
{
	const struct mime_part	*pt = &m->parts[idx];
	uint32_t		 c, pick;

	if (*plain != MIME_NONE || depth > MIME_DEPTH_MAX)
		return;
	if (pt->disposition != NULL && strcmp(pt->disposition, "attachment")
	    == 0)
		return;
	if (strcmp(pt->type, "text/plain") == 0) {
		*plain = idx;
		return;
	}
	if (strcmp(pt->type, "text/html") == 0) {
		if (*html == MIME_NONE)
			*html = idx;
		return;
	}
	if (strncmp(pt->type, "multipart/", 10) != 0)
		return;
	if (strcmp(pt->type, "multipart/related") != 0) {
		for (c = pt->child; c != MIME_NONE; c = m->parts[c].next)
			mime_find_body(m, c, plain, html, depth + 1);
		return;
	}
	pick = mime_related_start(m, idx);
	if (pick != MIME_NONE)
		mime_find_body(m, pick, plain, html, depth + 1);
}

uint32_t
mime_text_part(const struct mime_msg *m)
{
	uint32_t	 plain = MIME_NONE, html = MIME_NONE;

	if (m->nparts == 0)
		return MIME_NONE;
	mime_find_body(m, 0, &plain, &html, 0);
	return plain != MIME_NONE ? plain : html;
}
