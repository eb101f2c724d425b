/* SPDX-License-Identifier: ISC */
/*
 * Pure POP3 response parser: status lines, multi-line bodies with
 * dot-unstuffing.  Never performs I/O; see pop3-session.c for protocol
 * state.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pop3/pop3-parse.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xmalloc.h"

const struct pop3_limits pop3_limits_default = {
	.status_max = 1024,
	.chunk_max = 64 * 1024,
	.body_max = (uint64_t)1 << 30,
};

enum pop3_parse_state {
	POP3_ST_STATUS,		/* waiting for a status line */
	POP3_ST_BOL,		/* in a body, at the start of a line */
	POP3_ST_MID,		/* in a body, inside a line */
	POP3_ST_ERROR,
};

struct pop3_parser {
	struct pop3_limits	 lim;
	struct buf		 in;
	size_t			 off;		/* first unparsed byte */
	enum pop3_parse_state	 state;
	enum pop3_expect	 expect;
	uint64_t		 body_len;	/* raw bytes of this body */
	bool			 bulk;		/* this body: join lines */
	struct err		 err;
};

static const struct {
	const char	*name;
	enum pop3_code	 code;
} pop3_codes[] = {
	{ "IN-USE", POP3_CODE_IN_USE },
	{ "LOGIN-DELAY", POP3_CODE_LOGIN_DELAY },
	{ "SYS/TEMP", POP3_CODE_SYS_TEMP },
	{ "SYS/PERM", POP3_CODE_SYS_PERM },
	{ "AUTH", POP3_CODE_AUTH },
};

struct pop3_parser *
pop3_parser_new(const struct pop3_limits *lim)
{
	struct pop3_parser	*p;

	p = xcalloc(1, sizeof *p);
	p->lim = lim != NULL ? *lim : pop3_limits_default;
	if (p->lim.chunk_max < 2)
		p->lim.chunk_max = 2;
	if (p->lim.status_max < 8)
		p->lim.status_max = 8;
	buf_init(&p->in);
	p->state = POP3_ST_STATUS;
	p->expect = POP3_EXPECT_LINE;
	return p;
}

void
pop3_parser_free(struct pop3_parser *p)
{
	if (p == NULL)
		return;
	buf_fini(&p->in);
	free(p);
}

void
pop3_parser_feed(struct pop3_parser *p, const void *data, size_t len)
{
	/* drop what earlier items used, so the buffer stays bounded */
	if (p->off > 0 && (p->off == p->in.len || p->off >= 64 * 1024)) {
		buf_consume(&p->in, p->off);
		p->off = 0;
	}
	if (len > 0)
		buf_add(&p->in, data, len);
}

void
pop3_parser_expect(struct pop3_parser *p, enum pop3_expect ex)
{
	if (p->state == POP3_ST_STATUS)
		p->expect = ex;
}

bool
pop3_parser_idle(const struct pop3_parser *p)
{
	return p->state == POP3_ST_STATUS;
}

void
pop3_parser_discard(struct pop3_parser *p)
{
	buf_reset(&p->in);
	p->off = 0;
	if (p->state != POP3_ST_ERROR)
		p->state = POP3_ST_STATUS;
	p->expect = POP3_EXPECT_LINE;
}

size_t
pop3_parser_pending(const struct pop3_parser *p)
{
	return p->in.len - p->off;
}

const char *
pop3_code_name(enum pop3_code code)
{
	size_t	 i;

	for (i = 0; i < sizeof pop3_codes / sizeof pop3_codes[0]; i++)
		if (pop3_codes[i].code == code)
			return pop3_codes[i].name;
	return code == POP3_CODE_OTHER ? "OTHER" : "";
}

static enum pop3_parse_status
pop3_parser_fail(struct pop3_parser *p, struct pop3_item *it,
    enum err_class cls, const char *msg)
{
	p->state = POP3_ST_ERROR;
	err_set(&p->err, cls, "POP3 server: %s", msg);
	it->err = p->err;
	return POP3_PARSE_ERROR;
}

/* RFC 2449 section 8: "[CODE]" or "[CODE/sub...]" at the start of text */
static void
pop3_status_code(char *text, size_t len, struct pop3_status *st)
{
	char	*end;
	size_t	 i, n, clen;

	st->text = text;
	st->text_len = len;
	if (len == 0 || text[0] != '[' ||
	    (end = memchr(text, ']', len)) == NULL)
		return;
	clen = (size_t)(end - text) - 1;
	st->code = POP3_CODE_OTHER;
	for (i = 0; i < sizeof pop3_codes / sizeof pop3_codes[0]; i++) {
		n = strlen(pop3_codes[i].name);
		if (clen >= n && str_has_prefix_ci(text + 1, clen,
		    pop3_codes[i].name) && (clen == n || text[1 + n] == '/')) {
			st->code = pop3_codes[i].code;
			break;
		}
	}
	n = (size_t)(end - text) + 1;
	while (n < len && text[n] == ' ')
		n++;
	st->text = text + n;
	st->text_len = len - n;
}

/* Parse the status line line[0..len) (NUL-terminated in place). */
static bool
pop3_status_parse(struct pop3_parser *p, char *line, size_t len,
    struct pop3_status *st)
{
	size_t	 n;

	memset(st, 0, sizeof *st);
	if (p->expect == POP3_EXPECT_SASL && line[0] == '+' &&
	    (len == 1 || line[1] == ' ')) {
		/* RFC 5034 section 4: "+" SP base64 */
		st->ok = st->cont = true;
		n = len > 1 ? 2 : 1;
		st->text = line + n;
		st->text_len = len - n;
		return true;
	}
	if (str_has_prefix_ci(line, len, "+OK")) {
		st->ok = true;
		n = 3;
	} else if (str_has_prefix_ci(line, len, "-ERR"))
		n = 4;
	else
		return false;
	if (n < len && line[n] != ' ')
		return false;
	while (n < len && line[n] == ' ')
		n++;
	pop3_status_code(line + n, len - n, st);
	return true;
}

static enum pop3_parse_status
pop3_parser_status(struct pop3_parser *p, struct pop3_item *it)
{
	char	*base, *lf;
	size_t	 avail = p->in.len - p->off, len;

	if (avail == 0)
		return POP3_PARSE_MORE;	/* and maybe no buffer yet */
	base = p->in.data + p->off;
	if ((lf = memchr(base, '\n', avail)) == NULL) {
		if (avail > p->lim.status_max)
			return pop3_parser_fail(p, it, ERR_LIMIT,
			    "status line too long");
		return POP3_PARSE_MORE;
	}
	len = (size_t)(lf - base);
	if (len + 1 > p->lim.status_max)
		return pop3_parser_fail(p, it, ERR_LIMIT,
		    "status line too long");
	p->off += len + 1;
	if (len > 0 && base[len - 1] == '\r')
		len--;
	base[len] = '\0';
	if (!pop3_status_parse(p, base, len, &it->status))
		return pop3_parser_fail(p, it, ERR_PROTO,
		    "response is neither +OK nor -ERR");
	if ((p->expect == POP3_EXPECT_MULTI ||
	    p->expect == POP3_EXPECT_BULK) && it->status.ok) {
		p->state = POP3_ST_BOL;
		p->body_len = 0;
		p->bulk = p->expect == POP3_EXPECT_BULK;
	}
	p->expect = POP3_EXPECT_LINE;
	return POP3_PARSE_STATUS;
}

/*
 * RFC 1939 section 3: a line starting with "." is byte-stuffed; "." CRLF
 * alone ends the body.  Returns MORE, END, or DATA after handling the dot
 * (DATA meaning: go on scanning the line).
 */
static enum pop3_parse_status
pop3_parser_dot(struct pop3_parser *p)
{
	const char	*b;
	size_t		 avail = p->in.len - p->off;

	if (avail == 0)
		return POP3_PARSE_MORE;
	b = p->in.data + p->off;
	if (b[0] != '.')
		return POP3_PARSE_DATA;
	if (avail < 2)
		return POP3_PARSE_MORE;
	if (b[1] == '\n') {
		p->off += 2;
		return POP3_PARSE_END;
	}
	if (b[1] == '\r') {
		if (avail < 3)
			return POP3_PARSE_MORE;
		if (b[2] == '\n') {
			p->off += 3;
			return POP3_PARSE_END;
		}
	}
	/* lenient: a dot before anything else is dropped, stuffed or not */
	p->off++;
	p->body_len++;
	return POP3_PARSE_DATA;
}

/*
 * POP3_EXPECT_BULK: join the whole lines from p->off, up to chunk_max
 * bytes, into one piece at p->off, moving each line down over the CRs
 * dropped before it.  Stops before a line starting with a dot (left for
 * pop3_parser_dot) and at a line without its LF yet.  Returns the piece
 * length, 0 when not even the first line is whole (the caller then cuts
 * it as a long line); the state is then BOL.
 */
static size_t
pop3_parser_lines(struct pop3_parser *p)
{
	char	*b = p->in.data + p->off, *end = p->in.data + p->in.len;
	char	*r = b, *w = b, *lf;
	size_t	 n, room, avail, out;

	for (;;) {
		room = p->lim.chunk_max - (size_t)(w - b);
		avail = (size_t)(end - r);
		if ((lf = memchr(r, '\n', avail < room ? avail : room)) == NULL)
			break;
		n = (size_t)(lf - r) + 1;
		out = n >= 2 && r[n - 2] == '\r' ? n - 1 : n;
		if (w != r)
			memmove(w, r, out - 1);
		w[out - 1] = '\n';
		w += out;
		r += n;
		p->body_len += n;
		if (r == end || *r == '.')
			break;
	}
	if (w == b)
		return 0;
	p->off = (size_t)(r - p->in.data);
	p->state = POP3_ST_BOL;
	return (size_t)(w - b);
}

static enum pop3_parse_status
pop3_parser_body(struct pop3_parser *p, struct pop3_item *it)
{
	enum pop3_parse_status	 rc;
	char			*b, *lf;
	size_t			 avail, scan, n;

	if (p->state == POP3_ST_BOL) {
		if ((rc = pop3_parser_dot(p)) == POP3_PARSE_END) {
			p->state = POP3_ST_STATUS;
			return rc;
		}
		if (rc == POP3_PARSE_MORE)
			return rc;
		p->state = POP3_ST_MID;
	}
	avail = p->in.len - p->off;
	if (avail == 0)
		return POP3_PARSE_MORE;
	b = p->in.data + p->off;
	if (p->bulk && (n = pop3_parser_lines(p)) > 0) {
		if (p->body_len > p->lim.body_max)
			return pop3_parser_fail(p, it, ERR_LIMIT,
			    "multi-line response too large");
		it->data = b;
		it->len = n;
		it->eol = true;
		return POP3_PARSE_DATA;
	}
	scan = avail < p->lim.chunk_max ? avail : p->lim.chunk_max;
	if ((lf = memchr(b, '\n', scan)) != NULL) {
		n = (size_t)(lf - b) + 1;
		p->off += n;
		p->body_len += n;
		if (n >= 2 && b[n - 2] == '\r') {
			b[n - 2] = '\n';	/* CRLF -> LF, in place */
			n--;
		}
		it->eol = true;
		p->state = POP3_ST_BOL;
	} else if (avail >= p->lim.chunk_max) {
		n = p->lim.chunk_max;
		if (b[n - 1] == '\r')
			n--;		/* it may be half of a CRLF */
		p->off += n;
		p->body_len += n;
		it->eol = false;
	} else
		return POP3_PARSE_MORE;
	if (p->body_len > p->lim.body_max)
		return pop3_parser_fail(p, it, ERR_LIMIT,
		    "multi-line response too large");
	it->data = b;
	it->len = n;
	return POP3_PARSE_DATA;
}

enum pop3_parse_status
pop3_parser_next(struct pop3_parser *p, struct pop3_item *it)
{
	it->data = NULL;
	it->len = 0;
	it->eol = false;
	switch (p->state) {
	case POP3_ST_ERROR:
		it->err = p->err;
		return POP3_PARSE_ERROR;
	case POP3_ST_STATUS:
		return pop3_parser_status(p, it);
	default:
		return pop3_parser_body(p, it);
	}
}

static size_t
pop3_digits(const char *s, size_t len)
{
	size_t	 i = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

static size_t
pop3_spaces(const char *s, size_t len)
{
	size_t	 i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* "N" then spaces; returns the offset after them, 0 on error */
static size_t
pop3_msgno(const char *s, size_t len, uint32_t *msgno)
{
	uint64_t	 v;
	size_t		 n, sp;

	n = pop3_digits(s, len);
	if (n == 0 || !str_to_u64(s, n, UINT32_MAX, &v) || v == 0)
		return 0;
	sp = pop3_spaces(s + n, len - n);
	if (sp == 0)
		return 0;
	*msgno = (uint32_t)v;
	return n + sp;
}

bool
pop3_parse_list_line(const char *s, size_t len, uint32_t *msgno,
    uint64_t *size)
{
	size_t	 off, n;

	if ((off = pop3_msgno(s, len, msgno)) == 0)
		return false;
	n = pop3_digits(s + off, len - off);
	if (n == 0 || !str_to_u64(s + off, n, UINT64_MAX / 2, size))
		return false;
	/* lenient: RFC 1939 section 5 lets servers append more after SIZE */
	return off + n == len || s[off + n] == ' ' || s[off + n] == '\t';
}

bool
pop3_parse_uidl_line(const char *s, size_t len, uint32_t *msgno,
    const char **uid, size_t *uid_len)
{
	size_t	 off, i;

	if ((off = pop3_msgno(s, len, msgno)) == 0)
		return false;
	/* RFC 1939 section 7: 1 to 70 octets in 0x21..0x7E */
	for (i = off; i < len && s[i] > 0x20 && s[i] < 0x7f; i++)
		;
	if (i == off || i - off > POP3_UIDL_MAX)
		return false;
	if (i + pop3_spaces(s + i, len - i) != len)
		return false;
	*uid = s + off;
	*uid_len = i - off;
	return true;
}

bool
pop3_parse_capa_line(const char *s, size_t len, const char **name,
    size_t *name_len, const char **args, size_t *args_len)
{
	size_t	 i;

	for (i = 0; i < len && s[i] > 0x20 && s[i] < 0x7f; i++)
		;
	if (i == 0 || (i < len && s[i] != ' ' && s[i] != '\t'))
		return false;
	*name = s;
	*name_len = i;
	i += pop3_spaces(s + i, len - i);
	*args = s + i;
	*args_len = len - i;
	return true;
}
