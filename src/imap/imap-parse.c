/* SPDX-License-Identifier: ISC */
/*
 * Pure IMAP response parser.  Never performs I/O; see imap-session.c for
 * protocol state.  imap-parse-frame (this file, top) cuts the stream into
 * whole responses; the tokenizer and decoders below turn one response into
 * struct imap_resp, with every allocation in one per-response arena.
 */
#include "config.h"

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap/imap-parse.h"
#include "msg/date.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/str.h"
#include "util/xmalloc.h"
#include "imap-private.h"

enum frame_state {
	FRAME_LINE,
	FRAME_LITERAL,
};

struct imap_parser {
	struct imap_limits	 lim;
	struct buf		 in;		/* fed, not yet framed */
	size_t			 in_off;	/* framed bytes at the front */
	/* bytes lent by feed_borrow: framed from here while in is empty */
	const char		*ext;
	size_t			 ext_len;
	size_t			 ext_off;
	struct buf		 resp_buf;	/* the response being framed */
	size_t			 line_start;	/* offset of its current line */
	enum frame_state	 state;
	uint64_t		 lit_left;
	size_t			 wire_len;
	size_t			 nuls;		/* added after literals */
	bool			 have_resp;	/* resp_buf holds a returned one */
	bool			 broken;
	struct imap_arena	 arena;
	struct imap_resp	 resp;
	char			 why[160];	/* decode_err text */
};

/* The tokenizer's view of one framed response. */
struct tok {
	const char		*b;
	size_t			 len;
	size_t			 pos;
	struct imap_arena	*arena;
	unsigned int		 depth_max;
	const char		*err;		/* first error, static text */
};

static const struct {
	const char		*name;
	enum imap_resp_type	 type;
} resp_types[] = {
	{ "OK", IMAP_RESP_OK },
	{ "NO", IMAP_RESP_NO },
	{ "BAD", IMAP_RESP_BAD },
	{ "BYE", IMAP_RESP_BYE },
	{ "PREAUTH", IMAP_RESP_PREAUTH },
	{ "CAPABILITY", IMAP_RESP_CAPABILITY },
	{ "FLAGS", IMAP_RESP_FLAGS },
	{ "EXISTS", IMAP_RESP_EXISTS },
	{ "RECENT", IMAP_RESP_RECENT },
	{ "EXPUNGE", IMAP_RESP_EXPUNGE },
	{ "VANISHED", IMAP_RESP_VANISHED },
	{ "FETCH", IMAP_RESP_FETCH },
	{ "LIST", IMAP_RESP_LIST },
	{ "LSUB", IMAP_RESP_LSUB },
	{ "STATUS", IMAP_RESP_STATUS },
	{ "SEARCH", IMAP_RESP_SEARCH },
	{ "ESEARCH", IMAP_RESP_ESEARCH },
	{ "ENABLED", IMAP_RESP_ENABLED },
	{ "ID", IMAP_RESP_ID },
	{ "NAMESPACE", IMAP_RESP_NAMESPACE },
	{ "+", IMAP_RESP_CONTINUE },
	{ "OTHER", IMAP_RESP_OTHER },
};

static const struct {
	const char		*name;
	enum imap_code_type	 type;
} code_types[] = {
	{ "", IMAP_CODE_NONE },
	{ "ALERT", IMAP_CODE_ALERT },
	{ "APPENDUID", IMAP_CODE_APPENDUID },
	{ "BADCHARSET", IMAP_CODE_BADCHARSET },
	{ "CAPABILITY", IMAP_CODE_CAPABILITY },
	{ "CLOSED", IMAP_CODE_CLOSED },
	{ "COPYUID", IMAP_CODE_COPYUID },
	{ "HIGHESTMODSEQ", IMAP_CODE_HIGHESTMODSEQ },
	{ "MODIFIED", IMAP_CODE_MODIFIED },
	{ "NOMODSEQ", IMAP_CODE_NOMODSEQ },
	{ "PARSE", IMAP_CODE_PARSE },
	{ "PERMANENTFLAGS", IMAP_CODE_PERMANENTFLAGS },
	{ "READ-ONLY", IMAP_CODE_READ_ONLY },
	{ "READ-WRITE", IMAP_CODE_READ_WRITE },
	{ "TRYCREATE", IMAP_CODE_TRYCREATE },
	{ "UIDNEXT", IMAP_CODE_UIDNEXT },
	{ "UIDNOTSTICKY", IMAP_CODE_UIDNOTSTICKY },
	{ "UIDVALIDITY", IMAP_CODE_UIDVALIDITY },
	{ "UNSEEN", IMAP_CODE_UNSEEN },
	{ "AUTHENTICATIONFAILED", IMAP_CODE_AUTHENTICATIONFAILED },
	{ "AUTHORIZATIONFAILED", IMAP_CODE_AUTHORIZATIONFAILED },
	{ "UNAVAILABLE", IMAP_CODE_UNAVAILABLE },
	{ "NONEXISTENT", IMAP_CODE_NONEXISTENT },
	{ "ALREADYEXISTS", IMAP_CODE_ALREADYEXISTS },
	{ "OTHER", IMAP_CODE_OTHER },
};

static const struct {
	const char	*name;
	unsigned int	 bit;
} mbox_attrs[] = {
	{ "\\Noinferiors", IMAP_MBOX_NOINFERIORS },
	{ "\\Noselect", IMAP_MBOX_NOSELECT },
	{ "\\Marked", IMAP_MBOX_MARKED },
	{ "\\Unmarked", IMAP_MBOX_UNMARKED },
	{ "\\HasChildren", IMAP_MBOX_HASCHILDREN },
	{ "\\HasNoChildren", IMAP_MBOX_HASNOCHILDREN },
	{ "\\NonExistent", IMAP_MBOX_NONEXISTENT },
	{ "\\Subscribed", IMAP_MBOX_SUBSCRIBED },
	{ "\\Remote", IMAP_MBOX_REMOTE },
	{ "\\All", IMAP_MBOX_ALL },
	{ "\\Archive", IMAP_MBOX_ARCHIVE },
	{ "\\Drafts", IMAP_MBOX_DRAFTS },
	{ "\\Flagged", IMAP_MBOX_FLAGGED },
	{ "\\Junk", IMAP_MBOX_JUNK },
	{ "\\Sent", IMAP_MBOX_SENT },
	{ "\\Trash", IMAP_MBOX_TRASH },
};

static bool	 frame_literal_at_end(const char *, size_t, uint64_t *);
static enum imap_parse_status frame_fail(struct imap_parser *, struct err *,
		    enum err_class, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static int	 resp_parse(struct imap_parser *, struct err *);
static bool	 tok_value(struct tok *, unsigned int, bool, struct imap_val *);
static bool	 tok_values(struct tok *, bool, const struct imap_val **,
		    size_t *);
static void	 decode_data(struct imap_parser *, struct imap_resp *);
static const struct imap_body *decode_body(struct imap_parser *,
		    const struct imap_val *);

/* Arena */

#define ARENA_CHUNK	8192	/* bytes of a usual chunk */

void
imap_arena_init(struct imap_arena *a)
{
	a->head = NULL;
}

void
imap_arena_reset(struct imap_arena *a)
{
	struct imap_arena_chunk	*c, *next, *keep = NULL;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (keep == NULL && c->cap == ARENA_CHUNK)
			keep = c;
		else
			free(c);
	}
	if (keep != NULL) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
}

void
imap_arena_fini(struct imap_arena *a)
{
	imap_arena_reset(a);
	free(a->head);
	a->head = NULL;
}

/* A new chunk for n (rounded) bytes, and n bytes of it. */
static void *
arena_grow(struct imap_arena *a, size_t n)
{
	struct imap_arena_chunk	*c;
	size_t			 cap, need;

	cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
	if (!size_add(cap, sizeof *c, &need))
		fatalx("arena: size overflow");
	c = xmalloc(need);
	c->cap = cap;
	c->used = n;
	if (a->head != NULL && n > ARENA_CHUNK) {
		/* a big one-off: keep the current chunk in front */
		c->next = a->head->next;
		a->head->next = c;
	} else {
		c->next = a->head;
		a->head = c;
	}
	return c->data;
}

/* n bytes, not zeroed: for memory the caller writes in full at once. */
static inline void *
arena_alloc_raw(struct imap_arena *a, size_t n)
{
	struct imap_arena_chunk	*c = a->head;
	void			*p;

	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	if (c == NULL || c->cap - c->used < n)
		return arena_grow(a, n);
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

void *
imap_arena_alloc(struct imap_arena *a, size_t n)
{
	void	*p;

	p = arena_alloc_raw(a, n);
	memset(p, 0, n);
	return p;
}

/* Grow an arena array of *n items to at least one more slot. */
static void *
arena_push(struct imap_arena *a, void *v, size_t *n, size_t *cap, size_t sz)
{
	void	*nv;
	size_t	 ncap;

	if (*n < *cap)
		return (char *)v + *n * sz;
	ncap = *cap == 0 ? 4 : *cap * 2;
	if (!size_mul(ncap, sz, &ncap) || (ncap /= sz) == 0)
		fatalx("arena: size overflow");
	nv = arena_alloc_raw(a, ncap * sz);
	if (*n > 0)
		memcpy(nv, v, *n * sz);
	*cap = ncap;
	return (char *)nv + *n * sz;
}

#define ARENA_PUSH(a, vec, n, cap) \
	((vec) = (void *)((char *)arena_push((a), (vec), &(n), &(cap), \
	    sizeof *(vec)) - (n) * sizeof *(vec)), &(vec)[(n)++])

static inline struct imap_str
arena_str(struct imap_arena *a, const char *p, size_t len)
{
	struct imap_str	 s;
	char		*q;

	q = arena_alloc_raw(a, len + 1);
	if (len > 0)
		memcpy(q, p, len);
	q[len] = '\0';
	s.p = q;
	s.len = len;
	return s;
}

/*
 * str_to_u64 without a division per digit: up to 19 digits cannot
 * overflow 64 bits, so they are summed and compared with max once.  The
 * index fetch reads five numbers a message.
 */
static bool
num_parse(const char *p, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (len == 0 || len > 19)
		return str_to_u64(p, len, max, out);
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* Parser object */

void
imap_limits_default(struct imap_limits *lim)
{
	lim->line_max = 1024 * 1024;
	lim->literal_max = 64 * 1024 * 1024;
	lim->resp_max = 128 * 1024 * 1024;
	lim->depth_max = 32;
}

struct imap_parser *
imap_parser_new(const struct imap_limits *lim)
{
	struct imap_parser	*p;

	p = xcalloc(1, sizeof *p);
	if (lim != NULL)
		p->lim = *lim;
	else
		imap_limits_default(&p->lim);
	if (p->lim.depth_max == 0)
		p->lim.depth_max = 1;
	buf_init(&p->in);
	buf_init(&p->resp_buf);
	imap_arena_init(&p->arena);
	return p;
}

void
imap_parser_free(struct imap_parser *p)
{
	if (p == NULL)
		return;
	buf_fini(&p->in);
	buf_fini(&p->resp_buf);
	imap_arena_fini(&p->arena);
	free(p);
}

void
imap_parser_reset(struct imap_parser *p)
{
	buf_reset(&p->in);
	buf_reset(&p->resp_buf);
	p->in_off = 0;
	p->ext = NULL;
	p->ext_len = p->ext_off = 0;
	p->line_start = 0;
	p->state = FRAME_LINE;
	p->lit_left = 0;
	p->wire_len = 0;
	p->nuls = 0;
	p->have_resp = false;
	p->broken = false;
	imap_arena_reset(&p->arena);
}

void
imap_parser_feed(struct imap_parser *p, const void *data, size_t len)
{
	imap_parser_keep(p);
	if (len > 0)
		buf_add(&p->in, data, len);
}

void
imap_parser_feed_borrow(struct imap_parser *p, const void *data, size_t len)
{
	if (p->ext != NULL || p->in_off < p->in.len) {
		imap_parser_feed(p, data, len);	/* behind what waits */
		return;
	}
	if (len == 0)
		return;
	p->ext = data;
	p->ext_len = len;
	p->ext_off = 0;
}

void
imap_parser_keep(struct imap_parser *p)
{
	const char	*rest;
	size_t		 n;

	if (p->ext == NULL)
		return;
	rest = p->ext + p->ext_off;
	n = p->ext_len - p->ext_off;
	p->ext = NULL;
	p->ext_len = p->ext_off = 0;
	if (n > 0)
		buf_add(&p->in, rest, n);
}

bool
imap_parser_is_broken(const struct imap_parser *p)
{
	return p->broken;
}

size_t
imap_parser_pending(const struct imap_parser *p)
{
	return p->in.len - p->in_off + (p->ext_len - p->ext_off) +
	    (p->have_resp ? 0 :
	    p->resp_buf.len - p->nuls);
}

/* Framer */

static enum imap_parse_status
frame_fail(struct imap_parser *p, struct err *e, enum err_class cls,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[sizeof e->msg];

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	p->broken = true;
	err_set(e, cls, "%s", msg);
	return IMAP_PARSE_ERROR;
}

/*
 * Does the line end with a literal announcement "{n}", "{n+}", "{n-}" or
 * "~{n}"?  RFC 9051 section 4.3: the literal follows the CRLF.
 */
static bool
frame_literal_at_end(const char *line, size_t len, uint64_t *n)
{
	size_t	 end, i;

	if (len < 3 || line[len - 1] != '}')
		return false;
	end = len - 1;
	if (line[end - 1] == '+' || line[end - 1] == '-')
		end--;
	i = end;
	while (i > 0 && line[i - 1] >= '0' && line[i - 1] <= '9')
		i--;
	if (i == end || i == 0 || line[i - 1] != '{' || end - i > 19)
		return false;
	return num_parse(line + i, end - i, UINT64_MAX, n);
}

/* The next unframed bytes: the lent ones once in is empty. */
static const char *
src_at(const struct imap_parser *p)
{
	if (p->ext != NULL)
		return p->ext + p->ext_off;
	return p->in.data != NULL ? p->in.data + p->in_off : "";
}

static size_t
src_avail(const struct imap_parser *p)
{
	return p->ext != NULL ? p->ext_len - p->ext_off : p->in.len - p->in_off;
}

static void
src_skip(struct imap_parser *p, size_t n)
{
	if (p->ext != NULL)
		p->ext_off += n;
	else
		p->in_off += n;
}

static void
frame_compact(struct imap_parser *p)
{
	if (p->ext != NULL) {
		if (p->ext_off == p->ext_len) {
			p->ext = NULL;
			p->ext_len = p->ext_off = 0;
		}
		return;
	}
	if (p->in_off == p->in.len) {
		buf_reset(&p->in);
		p->in_off = 0;
	} else if (p->in_off > 65536 && p->in_off > p->in.len / 2) {
		buf_consume(&p->in, p->in_off);
		p->in_off = 0;
	}
}

/* Append up to avail bytes of input to the response; -1 over a limit. */
static int
frame_take(struct imap_parser *p, size_t n, struct err *e)
{
	size_t	 total;

	if (!size_add(p->resp_buf.len, n, &total) ||
	    total > p->lim.resp_max) {
		frame_fail(p, e, ERR_LIMIT,
		    "IMAP response larger than %zu bytes", p->lim.resp_max);
		return -1;
	}
	buf_add(&p->resp_buf, src_at(p), n);
	src_skip(p, n);
	p->wire_len += n;
	return 0;
}

/*
 * The literal's bytes are in: a NUL after them (not on the wire, skipped
 * by tok_literal) lets the tokenizer hand the literal out in place.
 */
static void
frame_literal_end(struct imap_parser *p)
{
	buf_add_byte(&p->resp_buf, '\0');
	p->nuls++;
	p->state = FRAME_LINE;
	p->line_start = p->resp_buf.len;
}

/* Returns 1 when a whole response is in resp_buf, 0 for more, -1 error. */
static int
frame_step(struct imap_parser *p, struct err *e)
{
	const char	*nl, *line;
	size_t		 avail, take, llen;
	uint64_t	 n;
	bool		 is_lit;

	avail = src_avail(p);
	if (p->state == FRAME_LITERAL) {
		if (avail == 0)
			return 0;
		take = avail < p->lit_left ? avail : (size_t)p->lit_left;
		if (frame_take(p, take, e) == -1)
			return -1;
		p->lit_left -= take;
		if (p->lit_left == 0)
			frame_literal_end(p);
		return 2;
	}
	nl = avail == 0 ? NULL : memchr(src_at(p), '\n', avail);
	take = nl == NULL ? avail : (size_t)(nl - src_at(p));
	if (frame_take(p, take, e) == -1)
		return -1;
	llen = p->resp_buf.len - p->line_start;
	if (llen > p->lim.line_max + 1) {
		frame_fail(p, e, ERR_LIMIT, "IMAP line longer than %zu bytes",
		    p->lim.line_max);
		return -1;
	}
	if (nl == NULL)
		return 0;
	src_skip(p, 1);		/* the LF */
	p->wire_len++;
	/* lenient: a bare LF ends a line like CRLF */
	if (llen > 0 && p->resp_buf.data[p->resp_buf.len - 1] == '\r')
		buf_truncate(&p->resp_buf, p->resp_buf.len - 1), llen--;
	if (llen > p->lim.line_max) {
		frame_fail(p, e, ERR_LIMIT, "IMAP line longer than %zu bytes",
		    p->lim.line_max);
		return -1;
	}
	line = p->resp_buf.data + p->line_start;
	is_lit = frame_literal_at_end(line, llen, &n);
	buf_add(&p->resp_buf, "\r\n", 2);	/* may move line */
	if (!is_lit)
		return 1;
	if (n > p->lim.literal_max) {
		frame_fail(p, e, ERR_LIMIT,
		    "IMAP literal of %llu bytes exceeds %zu",
		    (unsigned long long)n, p->lim.literal_max);
		return -1;
	}
	if (p->resp_buf.len >= p->lim.resp_max ||
	    n >= p->lim.resp_max - p->resp_buf.len) {
		frame_fail(p, e, ERR_LIMIT,
		    "IMAP response larger than %zu bytes", p->lim.resp_max);
		return -1;
	}
	if (n > 0) {
		p->state = FRAME_LITERAL;
		p->lit_left = n;
	} else
		frame_literal_end(p);
	return 2;
}

enum imap_parse_status
imap_parser_next(struct imap_parser *p, const struct imap_resp **resp,
    struct err *e)
{
	int	 r;

	*resp = NULL;
	if (p->broken)
		return err_set(e, ERR_PROTO, "IMAP parser needs a reset"),
		    IMAP_PARSE_ERROR;
	imap_arena_reset(&p->arena);
	if (p->have_resp) {
		buf_reset(&p->resp_buf);
		p->line_start = 0;
		p->wire_len = 0;
		p->nuls = 0;
		p->have_resp = false;
	}
	for (;;) {
		r = frame_step(p, e);
		if (r == -1)
			return IMAP_PARSE_ERROR;
		if (r == 0) {
			frame_compact(p);
			return IMAP_PARSE_MORE;
		}
		if (r == 1)
			break;
	}
	frame_compact(p);
	p->have_resp = true;
	if (resp_parse(p, e) == -1)
		return IMAP_PARSE_ERROR;
	*resp = &p->resp;
	return IMAP_PARSE_RESP;
}

/* Tokenizer */

static bool
tok_fail(struct tok *t, const char *why)
{
	if (t->err == NULL)
		t->err = why;
	return false;
}

static bool
tok_at_eol(const struct tok *t)
{
	return t->pos + 1 < t->len && t->b[t->pos] == '\r' &&
	    t->b[t->pos + 1] == '\n';
}

static int
tok_peek(const struct tok *t)
{
	return t->pos < t->len ? (unsigned char)t->b[t->pos] : -1;
}

/* One or more spaces (lenient: RFC wants exactly one). */
static bool
tok_sp(struct tok *t)
{
	if (tok_peek(t) != ' ')
		return tok_fail(t, "expected a space");
	while (tok_peek(t) == ' ')
		t->pos++;
	return true;
}

static void
tok_skip_sp(struct tok *t)
{
	while (tok_peek(t) == ' ')
		t->pos++;
}

/*
 * Bytes of an atom: 1 anywhere, 2 also inside a response code (where ']'
 * ends it); 4 marks '[', which opens a bracketed part outside codes.
 * Lenient: 8-bit bytes and list-wildcards count.
 */
#define AT(c)	((unsigned char)((c) <= 0x20 || (c) == 0x7f || (c) == '(' || \
	(c) == ')' || (c) == '"' ? 0 : (c) == ']' ? 1 : (c) == '[' ? 7 : 3))
#define AT4(c)	AT(c), AT((c) + 1), AT((c) + 2), AT((c) + 3)
#define AT16(c)	AT4(c), AT4((c) + 4), AT4((c) + 8), AT4((c) + 12)
#define AT64(c)	AT16(c), AT16((c) + 16), AT16((c) + 32), AT16((c) + 48)

static const unsigned char atom_bytes[256] = {
	AT64(0), AT64(64), AT64(128), AT64(192)
};


/*
 * The end of the bracketed part that starts after q (just past its '['),
 * or NULL when a line end or the end of the response comes first.
 */
static const unsigned char *
atom_bracket_end(const unsigned char *q, const unsigned char *end)
{
	const unsigned char	*rb;
	size_t			 depth = 1, n;

	/* usually one ']' with no '[' or line end before it */
	if ((rb = memchr(q, ']', (size_t)(end - q))) != NULL) {
		n = (size_t)(rb - q);
		if (memchr(q, '[', n) == NULL && memchr(q, '\n', n) == NULL &&
		    memchr(q, '\r', n) == NULL)
			return rb + 1;
	}
	for (; q < end; q++)
		switch (*q) {
		case '\r':
		case '\n':
			return NULL;
		case '[':
			depth++;
			break;
		case ']':
			if (--depth == 0)
				return q + 1;
			break;
		default:
			break;
		}
	return NULL;
}

/*
 * An atom, with a bracketed part glued on as in BODY[HEADER.FIELDS (A B)]
 * or a [UIDVALIDITY 1] look-alike; '<' origins need no special case.
 */
static bool
tok_atom(struct tok *t, bool code, struct imap_str *out)
{
	const unsigned char	*b = (const unsigned char *)t->b;
	const unsigned char	*q = b + t->pos, *end = b + t->len;
	unsigned char		 k, want = code ? 2 : 1;

	while (q < end && ((k = atom_bytes[*q]) & want) != 0) {
		q++;
		if (!(k & 4) || code)
			continue;
		if ((q = atom_bracket_end(q, end)) == NULL) {
			t->pos = t->len;
			return tok_fail(t, "unterminated [ in atom");
		}
	}
	if (q == b + t->pos)
		return tok_fail(t, "expected an atom");
	*out = arena_str(t->arena, t->b + t->pos, (size_t)(q - b) - t->pos);
	t->pos = (size_t)(q - b);
	return true;
}

/*
 * The usual quoted string, one without escapes: its end found with
 * memchr, copied once.  False (nothing consumed) for anything else.
 */
static bool
quoted_plain(struct tok *t, struct imap_str *out)
{
	const char	*p = t->b + t->pos, *dq;
	size_t		 n;

	if ((dq = memchr(p, '"', t->len - t->pos)) == NULL)
		return false;
	n = (size_t)(dq - p);
	if (memchr(p, '\\', n) != NULL || memchr(p, '\n', n) != NULL ||
	    memchr(p, '\r', n) != NULL)
		return false;
	*out = arena_str(t->arena, p, n);
	t->pos += n + 1;
	return true;
}

static bool
tok_quoted(struct tok *t, struct imap_str *out)
{
	struct imap_str	 s;
	char		*q;
	size_t		 start, n = 0;
	int		 c;

	t->pos++;		/* the opening quote */
	start = t->pos;
	if (quoted_plain(t, out))
		return true;
	while ((c = tok_peek(t)) != '"') {
		if (c == -1 || c == '\r' || c == '\n')
			return tok_fail(t, "unterminated quoted string");
		if (c == '\\') {
			t->pos++;
			c = tok_peek(t);
			if (c == -1 || c == '\r' || c == '\n')
				return tok_fail(t, "bad escape in quoted string");
		}
		t->pos++;
	}
	s = arena_str(t->arena, t->b + start, t->pos - start);
	q = (char *)s.p;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] == '\\')	/* lenient: any escaped char */
			i++;
		q[n++] = s.p[i];
	}
	q[n] = '\0';
	s.len = n;
	t->pos++;		/* the closing quote */
	*out = s;
	return true;
}

static bool
tok_literal(struct tok *t, struct imap_val *v)
{
	size_t		 start;
	uint64_t	 n;

	if (tok_peek(t) == '~') {
		v->literal8 = true;
		t->pos++;
	}
	if (tok_peek(t) != '{')
		return tok_fail(t, "expected a literal");
	t->pos++;
	start = t->pos;
	while (tok_peek(t) >= '0' && tok_peek(t) <= '9')
		t->pos++;
	if (!num_parse(t->b + start, t->pos - start, UINT64_MAX, &n))
		return tok_fail(t, "bad literal length");
	if (tok_peek(t) == '+' || tok_peek(t) == '-')
		t->pos++;
	if (tok_peek(t) != '}')
		return tok_fail(t, "bad literal");
	t->pos++;
	if (!tok_at_eol(t))
		return tok_fail(t, "literal not at the end of a line");
	t->pos += 2;
	/* the framer put a NUL after the bytes: no copy needed */
	if (n >= t->len - t->pos || t->b[t->pos + n] != '\0')
		return tok_fail(t, "literal longer than the response");
	v->type = IMAP_VAL_STRING;
	v->literal = true;
	v->s.p = t->b + t->pos;
	v->s.len = (size_t)n;
	t->pos += (size_t)n + 1;
	return true;
}

/*
 * The next value into a new slot of the arena array *vec (*n used of
 * *cap); on failure the slot is given back.
 */
static bool
tok_push(struct tok *t, unsigned int depth, bool code, struct imap_val **vec,
    size_t *n, size_t *cap)
{
	struct imap_val	*v;

	if (*n < *cap)
		v = *vec + *n;
	else {
		v = arena_push(t->arena, *vec, n, cap, sizeof *v);
		*vec = v - *n;
	}
	memset(v, 0, sizeof *v);
	if (!tok_value(t, depth, code, v))
		return false;
	(*n)++;
	return true;
}

static bool
tok_list(struct tok *t, unsigned int depth, bool code, struct imap_val *v)
{
	struct imap_val		*items = NULL;
	size_t			 n = 0, cap = 0;

	if (depth >= t->depth_max)
		return tok_fail(t, "lists nested too deep");
	t->pos++;		/* ( */
	for (;;) {
		tok_skip_sp(t);	/* lenient: spaces around items */
		if (tok_peek(t) == ')')
			break;
		if (tok_peek(t) == -1 || tok_at_eol(t))
			return tok_fail(t, "unterminated list");
		if (!tok_push(t, depth + 1, code, &items, &n, &cap))
			return false;
	}
	t->pos++;		/* ) */
	v->type = IMAP_VAL_LIST;
	v->v = items;
	v->n = n;
	return true;
}

/* One value into v (zeroed by the caller). */
static bool
tok_value(struct tok *t, unsigned int depth, bool code, struct imap_val *v)
{
	int		 c = tok_peek(t);
	bool		 ok;

	if (c == '(')
		ok = tok_list(t, depth, code, v);
	else if (c == '"') {
		v->type = IMAP_VAL_STRING;
		ok = tok_quoted(t, &v->s);
	} else if (c == '{' || (c == '~' && t->pos + 1 < t->len &&
	    t->b[t->pos + 1] == '{'))
		ok = tok_literal(t, v);
	else {
		v->type = IMAP_VAL_ATOM;
		ok = tok_atom(t, code, &v->s);
		if (ok && v->s.len == 3 && (v->s.p[0] | 0x20) == 'n' &&
		    str_eq_ci(v->s.p, v->s.len, "NIL")) {
			v->type = IMAP_VAL_NIL;
			v->s.p = NULL;
			v->s.len = 0;
		}
	}
	return ok;
}

/* Values separated by spaces up to the end of the response (or ']'). */
static bool
tok_values(struct tok *t, bool code, const struct imap_val **out, size_t *np)
{
	struct imap_val		*vals = NULL;
	size_t			 n = 0, cap = 0;

	for (;;) {
		tok_skip_sp(t);
		if (tok_at_eol(t) || (code && tok_peek(t) == ']'))
			break;
		if (tok_peek(t) == -1)
			return tok_fail(t, "missing CRLF");
		if (!tok_push(t, 0, code, &vals, &n, &cap))
			return false;
	}
	*out = vals;
	*np = n;
	return true;
}

/*
 * The list of a FETCH, item by item.  When an item cannot be read, the
 * pairs before it stay in r->args (one list) and false is returned, so a
 * damaged answer still gives what it could (UID, FLAGS, sizes, headers).
 */
static bool
tok_fetch(struct tok *t, struct imap_resp *r)
{
	struct imap_val		*list, *items = NULL;
	size_t			 n = 0, cap = 0;
	bool			 ok = true;

	if (tok_peek(t) != '(')
		return tok_values(t, false, &r->args, &r->nargs);
	t->pos++;
	/* room for the index fetch's items at once (UID ... BODY[...]) */
	cap = 16;
	items = arena_alloc_raw(t->arena, cap * sizeof *items);
	for (;;) {
		tok_skip_sp(t);
		if (tok_peek(t) == ')') {
			t->pos++;
			break;
		}
		if (tok_peek(t) == -1 || tok_at_eol(t)) {
			ok = tok_fail(t, "unterminated list");
			break;
		}
		if (!tok_push(t, 1, false, &items, &n, &cap)) {
			ok = false;
			break;
		}
	}
	if (!ok)
		n -= n % 2;	/* a name without its value */
	list = imap_arena_alloc(t->arena, sizeof *list);
	list->type = IMAP_VAL_LIST;
	list->v = items;
	list->n = n;
	r->args = list;
	r->nargs = 1;
	return ok;
}

/* Value helpers */

static bool
val_num(const struct imap_val *v, uint64_t max, uint64_t *out)
{
	if (v == NULL || v->type != IMAP_VAL_ATOM)
		return false;
	return num_parse(v->s.p, v->s.len, max, out);
}

static bool
val_u32(const struct imap_val *v, uint32_t *out)
{
	uint64_t	 n;

	if (!val_num(v, UINT32_MAX, &n))
		return false;
	*out = (uint32_t)n;
	return true;
}

static bool
val_is(const struct imap_val *v, const char *s)
{
	return v != NULL && v->type == IMAP_VAL_ATOM &&
	    str_eq_ci(v->s.p, v->s.len, s);
}

bool
imap_fold_eq(const char *p, const char *up, size_t n)
{
	size_t		 i;
	unsigned char	 c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c != (unsigned char)up[i])
			return false;
	}
	return true;
}

/* The same for names servers send in upper case: memcmp first. */
static bool
ascii_eq_upper(const char *p, const char *up, size_t n)
{
	return memcmp(p, up, n) == 0 || imap_fold_eq(p, up, n);
}

/* val_is for an upper-case string literal: the length is compared first. */
#define VAL_IS(v, lit)	((v) != NULL && (v)->type == IMAP_VAL_ATOM && \
	(v)->s.len == sizeof(lit) - 1 && \
	ascii_eq_upper((v)->s.p, (lit), sizeof(lit) - 1))

/* nstring, lenient: an atom is taken as a string. */
static struct imap_str
val_nstr(const struct imap_val *v)
{
	struct imap_str	 none = { NULL, 0 };

	if (v == NULL || (v->type != IMAP_VAL_STRING &&
	    v->type != IMAP_VAL_ATOM))
		return none;
	return v->s;
}

static const struct imap_val *
val_at(const struct imap_val *list, size_t i)
{
	if (list == NULL || list->type != IMAP_VAL_LIST || i >= list->n)
		return NULL;
	return &list->v[i];
}

static struct imap_strs
vals_strs(struct imap_arena *a, const struct imap_val *v, size_t n)
{
	struct imap_strs	 out = { NULL, 0 };
	struct imap_str		*s;
	size_t			 i, k = 0;

	if (n == 0)
		return out;
	s = imap_arena_alloc(a, n * sizeof *s);
	for (i = 0; i < n; i++)
		if (v[i].type == IMAP_VAL_ATOM || v[i].type == IMAP_VAL_STRING)
			s[k++] = v[i].s;
	out.v = s;
	out.n = k;
	return out;
}

static void
decode_fail(struct imap_parser *p, const char *why)
{
	if (p->resp.decode_err == NULL) {
		(void)snprintf(p->why, sizeof p->why, "%s %s", why,
		    imap_resp_type_name(p->resp.type));
		p->resp.decode_err = p->why;
	}
}

/* Sequence sets */

static bool
seq_num(const char *p, size_t len, uint32_t *out)
{
	uint64_t	 n;

	if (len == 1 && p[0] == '*') {
		*out = UINT32_MAX;
		return true;
	}
	if (!num_parse(p, len, UINT32_MAX, &n) || n == 0)
		return false;
	*out = (uint32_t)n;
	return true;
}

/* Fill r (room for the number of commas + 1) from p; false on bad syntax. */
static bool
seqset_fill(const char *p, size_t len, struct imap_range *r, size_t *np)
{
	const char	*end = p + len, *comma, *colon;
	size_t		 n = 0;
	uint32_t	 a, b;

	if (len == 0)
		return false;
	while (p <= end) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (comma == NULL)
			comma = end;
		colon = memchr(p, ':', (size_t)(comma - p));
		if (colon == NULL) {
			if (!seq_num(p, (size_t)(comma - p), &a))
				return false;
			b = a;
		} else if (!seq_num(p, (size_t)(colon - p), &a) ||
		    !seq_num(colon + 1, (size_t)(comma - colon - 1), &b))
			return false;
		r[n].lo = a < b ? a : b;	/* RFC 9051: 4:2 == 2:4 */
		r[n].hi = a < b ? b : a;
		n++;
		p = comma + 1;
	}
	*np = n;
	return true;
}

static size_t
seqset_count(const char *p, size_t len)
{
	size_t	 n = 1;

	while (len-- > 0)
		if (*p++ == ',')
			n++;
	return n;
}

bool
imap_seqset_parse(const char *p, size_t len, size_t max_ranges,
    struct imap_range **out, size_t *np)
{
	struct imap_range	*r;
	size_t			 n = seqset_count(p, len);

	*out = NULL;
	*np = 0;
	if (n > max_ranges)
		return false;
	r = xreallocarray(NULL, n, sizeof *r);
	if (!seqset_fill(p, len, r, np)) {
		free(r);
		return false;
	}
	*out = r;
	return true;
}

bool
imap_seqset_contains(const struct imap_seqset *s, uint32_t uid)
{
	size_t	 i;

	/* ranges from the wire are not sorted; a linear scan is bounded */
	for (i = 0; i < s->n; i++)
		if (uid >= s->r[i].lo && uid <= s->r[i].hi)
			return true;
	return false;
}

static int
range_cmp(const void *a, const void *b)
{
	const struct imap_range	*x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

size_t
imap_seqset_sorted(const struct imap_seqset *set, struct imap_range **out)
{
	struct imap_range	*r;
	size_t			 i, n = 0;

	r = xreallocarray(NULL, set->n + 1, sizeof *r);
	if (set->n > 0)		/* an empty set may have no array */
		memcpy(r, set->r, set->n * sizeof *r);
	qsort(r, set->n, sizeof *r, range_cmp);
	for (i = 0; i < set->n; i++) {
		if (n > 0 && (r[i].lo <= r[n - 1].hi ||
		    r[i].lo - 1 == r[n - 1].hi)) {
			if (r[i].hi > r[n - 1].hi)
				r[n - 1].hi = r[i].hi;
			continue;
		}
		r[n++] = r[i];
	}
	*out = r;
	return n;
}

bool
imap_ranges_have(const struct imap_range *r, size_t n, uint32_t uid)
{
	size_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (uid < r[mid].lo)
			hi = mid;
		else if (uid > r[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

static bool
val_seqset(struct imap_arena *a, const struct imap_val *v,
    struct imap_seqset *out)
{
	struct imap_range	*r;
	size_t			 n;

	if (v == NULL || v->type != IMAP_VAL_ATOM)
		return false;
	r = imap_arena_alloc(a, seqset_count(v->s.p, v->s.len) * sizeof *r);
	if (!seqset_fill(v->s.p, v->s.len, r, &n))
		return false;
	out->r = r;
	out->n = n;
	return true;
}

/* Response codes (RFC 9051 section 7.1) */

static void
decode_code(struct imap_parser *p, struct imap_code *c,
    const struct imap_val *v, size_t n)
{
	size_t	 i;
	bool	 ok = true;

	c->type = IMAP_CODE_OTHER;
	for (i = 1; i < sizeof code_types / sizeof code_types[0]; i++)
		if (str_eq_ci(c->name.p, c->name.len, code_types[i].name))
			c->type = code_types[i].type;
	switch (c->type) {
	case IMAP_CODE_UIDNEXT:
	case IMAP_CODE_UIDVALIDITY:
	case IMAP_CODE_UNSEEN:
		ok = n >= 1 && val_num(&v[0], UINT32_MAX, &c->num);
		break;
	case IMAP_CODE_HIGHESTMODSEQ:
		ok = n >= 1 && val_num(&v[0], INT64_MAX, &c->num);
		break;
	case IMAP_CODE_APPENDUID:
		ok = n >= 2 && val_u32(&v[0], &c->uidvalidity) &&
		    val_seqset(&p->arena, &v[1], &c->set1);
		break;
	case IMAP_CODE_COPYUID:
		ok = n >= 3 && val_u32(&v[0], &c->uidvalidity) &&
		    val_seqset(&p->arena, &v[1], &c->set1) &&
		    val_seqset(&p->arena, &v[2], &c->set2);
		break;
	case IMAP_CODE_MODIFIED:
		ok = n >= 1 && val_seqset(&p->arena, &v[0], &c->set1);
		break;
	case IMAP_CODE_CAPABILITY:
		c->atoms = vals_strs(&p->arena, v, n);
		break;
	case IMAP_CODE_PERMANENTFLAGS:
	case IMAP_CODE_BADCHARSET:
		if (n >= 1 && v[0].type == IMAP_VAL_LIST)
			c->atoms = vals_strs(&p->arena, v[0].v, v[0].n);
		break;
	default:
		break;
	}
	if (!ok)
		decode_fail(p, "bad response code in");
}

/* "[" has been seen: the code, its arguments, "]". */
static bool
tok_code(struct imap_parser *p, struct tok *t, struct imap_code *c)
{
	const struct imap_val	*v = NULL;
	size_t			 n = 0, start, save;
	const char		*rb;

	t->pos++;
	if (!tok_atom(t, true, &c->name))
		return false;
	start = t->pos;
	if (tok_peek(t) == ' ') {
		save = t->pos;
		if (!tok_values(t, true, &v, &n) || tok_peek(t) != ']') {
			/* lenient: free text inside the brackets */
			t->err = NULL;
			t->pos = save;
			v = NULL;
			n = 0;
			rb = memchr(t->b + t->pos, ']', t->len - t->pos);
			if (rb == NULL || memchr(t->b + t->pos, '\n',
			    (size_t)(rb - (t->b + t->pos))) != NULL)
				return tok_fail(t, "unterminated response code");
			t->pos = (size_t)(rb - t->b);
		}
		start++;
	}
	if (tok_peek(t) != ']')
		return tok_fail(t, "unterminated response code");
	c->raw = arena_str(t->arena, t->b + start, t->pos - start);
	t->pos++;
	decode_code(p, c, v, n);
	return true;
}

/* resp-text: optional code, then text to the end of the line. */
static bool
tok_resp_text(struct imap_parser *p, struct tok *t, struct imap_resp *r)
{
	const char	*eol;
	size_t		 start;

	if (tok_at_eol(t))
		return true;	/* lenient: "a1 OK" with no text */
	if (!tok_sp(t))
		return false;
	if (tok_peek(t) == '[' && r->kind != IMAP_KIND_CONT) {
		if (!tok_code(p, t, &r->code))
			return false;
		tok_skip_sp(t);
	}
	start = t->pos;
	eol = memchr(t->b + start, '\r', t->len - start);
	while (eol != NULL && (size_t)(eol - t->b) + 1 < t->len &&
	    eol[1] != '\n')
		eol = memchr(eol + 1, '\r', t->len - (size_t)(eol + 1 - t->b));
	if (eol == NULL)
		return tok_fail(t, "missing CRLF");
	r->text = arena_str(t->arena, t->b + start, (size_t)(eol - t->b) -
	    start);
	t->pos = (size_t)(eol - t->b);
	return true;
}

/* Typed decoding */

static void
decode_envelope_addrs(struct imap_parser *p, const struct imap_val *v,
    struct imap_addrs *out)
{
	struct imap_addr	*a;
	const struct imap_val	*av;
	size_t			 i, k = 0;

	if (v == NULL || v->type != IMAP_VAL_LIST || v->n == 0)
		return;
	a = imap_arena_alloc(&p->arena, v->n * sizeof *a);
	for (i = 0; i < v->n; i++) {
		av = &v->v[i];
		if (av->type != IMAP_VAL_LIST || av->n < 4) {
			decode_fail(p, "bad address in");
			continue;
		}
		a[k].name = val_nstr(&av->v[0]);
		a[k].adl = val_nstr(&av->v[1]);
		a[k].mailbox = val_nstr(&av->v[2]);
		a[k].host = val_nstr(&av->v[3]);
		k++;
	}
	out->v = a;
	out->n = k;
}

static const struct imap_envelope *
decode_envelope(struct imap_parser *p, const struct imap_val *v)
{
	struct imap_envelope	*env;

	if (v == NULL || v->type != IMAP_VAL_LIST || v->n < 10) {
		decode_fail(p, "bad ENVELOPE in");
		if (v == NULL || v->type != IMAP_VAL_LIST)
			return NULL;
	}
	env = imap_arena_alloc(&p->arena, sizeof *env);
	env->date = val_nstr(val_at(v, 0));
	env->subject = val_nstr(val_at(v, 1));
	decode_envelope_addrs(p, val_at(v, 2), &env->from);
	decode_envelope_addrs(p, val_at(v, 3), &env->sender);
	decode_envelope_addrs(p, val_at(v, 4), &env->reply_to);
	decode_envelope_addrs(p, val_at(v, 5), &env->to);
	decode_envelope_addrs(p, val_at(v, 6), &env->cc);
	decode_envelope_addrs(p, val_at(v, 7), &env->bcc);
	env->in_reply_to = val_nstr(val_at(v, 8));
	env->message_id = val_nstr(val_at(v, 9));
	return env;
}

static size_t
decode_params(struct imap_parser *p, const struct imap_val *v,
    const struct imap_param **out)
{
	struct imap_param	*pa;
	size_t			 i, n;

	*out = NULL;
	if (v == NULL || v->type != IMAP_VAL_LIST || v->n < 2)
		return 0;
	n = v->n / 2;
	pa = imap_arena_alloc(&p->arena, n * sizeof *pa);
	for (i = 0; i < n; i++) {
		pa[i].name = val_nstr(&v->v[2 * i]);
		pa[i].value = val_nstr(&v->v[2 * i + 1]);
	}
	*out = pa;
	return n;
}

/* body-ext: disposition, language, location from index i of list v. */
static void
decode_body_ext(struct imap_parser *p, const struct imap_val *v, size_t i,
    struct imap_body *b)
{
	const struct imap_val	*d, *lang;

	d = val_at(v, i);
	if (d != NULL && d->type == IMAP_VAL_LIST && d->n >= 1) {
		b->disposition = val_nstr(&d->v[0]);
		b->ndparams = decode_params(p, val_at(d, 1), &b->dparams);
	}
	lang = val_at(v, i + 1);
	if (lang != NULL && lang->type == IMAP_VAL_LIST)
		lang = val_at(lang, 0);
	b->language = val_nstr(lang);
	b->location = val_nstr(val_at(v, i + 2));
}

static void
decode_body_multi(struct imap_parser *p, const struct imap_val *v,
    struct imap_body *b)
{
	struct imap_body	*parts;
	const struct imap_body	*part;
	size_t			 i, n = 0;

	while (n < v->n && v->v[n].type == IMAP_VAL_LIST)
		n++;
	parts = imap_arena_alloc(&p->arena, n * sizeof *parts);
	for (i = 0; i < n; i++) {
		if ((part = decode_body(p, &v->v[i])) != NULL)
			parts[i] = *part;
	}
	b->parts = parts;
	b->nparts = n;
	b->type = arena_str(&p->arena, "MULTIPART", 9);
	b->subtype = val_nstr(val_at(v, n));
	b->nparams = decode_params(p, val_at(v, n + 1), &b->params);
	decode_body_ext(p, v, n + 2, b);
}

static void
decode_body_single(struct imap_parser *p, const struct imap_val *v,
    struct imap_body *b)
{
	const struct imap_body	*inner;
	size_t			 ext = 7;

	b->type = val_nstr(val_at(v, 0));
	b->subtype = val_nstr(val_at(v, 1));
	b->nparams = decode_params(p, val_at(v, 2), &b->params);
	b->id = val_nstr(val_at(v, 3));
	b->description = val_nstr(val_at(v, 4));
	b->encoding = val_nstr(val_at(v, 5));
	if (!val_num(val_at(v, 6), UINT64_MAX, &b->size))
		decode_fail(p, "bad body size in");
	if (b->type.p != NULL && str_eq_ci(b->type.p, b->type.len, "MESSAGE") &&
	    b->subtype.p != NULL && (str_eq_ci(b->subtype.p, b->subtype.len,
	    "RFC822") || str_eq_ci(b->subtype.p, b->subtype.len, "GLOBAL")) &&
	    v->n >= 10) {
		b->env = decode_envelope(p, val_at(v, 7));
		if ((inner = decode_body(p, val_at(v, 8))) != NULL) {
			b->parts = inner;
			b->nparts = 1;
		}
		(void)val_num(val_at(v, 9), UINT64_MAX, &b->lines);
		ext = 10;
	} else if (b->type.p != NULL &&
	    str_eq_ci(b->type.p, b->type.len, "TEXT")) {
		(void)val_num(val_at(v, 7), UINT64_MAX, &b->lines);
		ext = 8;
	}
	b->md5 = val_nstr(val_at(v, ext));
	decode_body_ext(p, v, ext + 1, b);
}

/* The tokenizer already bounded the depth of v, so recursion is bounded. */
static const struct imap_body *
decode_body(struct imap_parser *p, const struct imap_val *v)
{
	struct imap_body	*b;

	if (v == NULL || v->type != IMAP_VAL_LIST || v->n < 2) {
		decode_fail(p, "bad BODYSTRUCTURE in");
		return NULL;
	}
	b = imap_arena_alloc(&p->arena, sizeof *b);
	if (v->v[0].type == IMAP_VAL_LIST)
		decode_body_multi(p, v, b);
	else
		decode_body_single(p, v, b);
	return b;
}

static int
month_index(const char *m)
{
	static const char	 months[] =
	    "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
	int			 i;

	for (i = 0; i < 12; i++)
		if (imap_fold_eq(m, months + 3 * i, 3))
			return i + 1;
	return 0;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * RFC 9051 date-time: "dd-Mon-yyyy hh:mm:ss +zzzz", the day also as " d"
 * or "d".  Read by position: it comes once per message of a header fetch.
 */
int64_t
imap_date_time_parse(const char *s, size_t len)
{
	int	 d, y, hh, mm, ss, zh, zm, mon, off;
	char	 m[4];

	if (len == 25) {		/* "d-Mon-yyyy ..." */
		d = date_digits(s, 1);
		s -= 1;
	} else if (len == 26)
		d = s[0] == ' ' ? date_digits(s + 1, 1) : date_digits(s, 2);
	else
		return -1;
	if (s[2] != '-' || s[6] != '-' || s[11] != ' ' || s[14] != ':' ||
	    s[17] != ':' || s[20] != ' ')
		return -1;
	memcpy(m, s + 3, 3);
	m[3] = '\0';
	y = date_digits(s + 7, 4);
	hh = date_digits(s + 12, 2);
	mm = date_digits(s + 15, 2);
	ss = date_digits(s + 18, 2);
	zh = date_digits(s + 22, 2);
	zm = date_digits(s + 24, 2);
	if ((mon = month_index(m)) == 0 || d < 1 || d > 31 || y < 0 ||
	    hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 ||
	    zh < 0 || zm < 0 || (s[21] != '+' && s[21] != '-'))
		return -1;
	off = (zh * 60 + zm) * 60;
	if (s[21] == '-')
		off = -off;
	return days_from_civil(y, mon, d) * 86400 + hh * 3600 + mm * 60 + ss -
	    off;
}

/* BODY[spec]<origin>, BINARY[spec]<origin>, RFC822, RFC822.HEADER ... */
static bool
fetch_section_key(const struct imap_str *k, struct imap_section *sec,
    struct imap_arena *a)
{
	const char	*lb, *rb, *end = k->p + k->len;
	uint64_t	 o;

	if (str_eq_ci(k->p, k->len, "RFC822")) {
		sec->spec = arena_str(a, "", 0);
		return true;
	}
	if (str_eq_ci(k->p, k->len, "RFC822.HEADER")) {
		sec->spec = arena_str(a, "HEADER", 6);
		return true;
	}
	if (str_eq_ci(k->p, k->len, "RFC822.TEXT")) {
		sec->spec = arena_str(a, "TEXT", 4);
		return true;
	}
	if (str_has_prefix_ci(k->p, k->len, "BODY["))
		lb = k->p + 4;
	else if (str_has_prefix_ci(k->p, k->len, "BINARY[")) {
		lb = k->p + 6;
		sec->binary = true;
	} else
		return false;
	rb = memchr(lb, ']', (size_t)(end - lb));
	while (rb != NULL && memchr(rb + 1, ']', (size_t)(end - rb - 1)))
		rb = memchr(rb + 1, ']', (size_t)(end - rb - 1));
	if (rb == NULL)
		return false;
	sec->spec = arena_str(a, lb + 1, (size_t)(rb - lb - 1));
	if (rb + 1 == end)
		return true;
	if (rb[1] != '<' || end[-1] != '>' ||
	    !num_parse(rb + 2, (size_t)(end - rb - 3), UINT32_MAX, &o))
		return false;
	sec->has_origin = true;
	sec->origin = (uint32_t)o;
	return true;
}

/*
 * BODY[HEADER.FIELDS (...)] without an origin: the index headers, which
 * never become a section of their own.
 */
static bool
is_header_fields(const struct imap_str *k)
{
	static const char	 key[] = "BODY[HEADER.FIELDS";
	size_t			 n = sizeof key - 1;

	return k->len > n + 1 && k->p[k->len - 1] == ']' &&
	    ascii_eq_upper(k->p, key, n) &&
	    (k->p[n] == ' ' || k->p[n] == '(');
}

static void
decode_fetch_item(struct imap_parser *p, struct imap_fetch *f,
    const struct imap_val *k, const struct imap_val *v,
    struct imap_section **secs, size_t *cap)
{
	struct imap_section		 sec;
	const struct imap_envelope	*env;
	const struct imap_body		*body;

	if (VAL_IS(k, "UID")) {
		if (!val_u32(v, &f->uid) || f->uid == 0)
			{ decode_fail(p, "bad UID in"); return; }
		f->have |= IMAP_FETCH_UID;
	} else if (VAL_IS(k, "FLAGS")) {
		if (v->type != IMAP_VAL_LIST)
			{ decode_fail(p, "bad FLAGS in"); return; }
		f->flags = vals_strs(&p->arena, v->v, v->n);
		f->have |= IMAP_FETCH_FLAGS;
	} else if (VAL_IS(k, "INTERNALDATE")) {
		f->internaldate = val_nstr(v);
		f->internaldate_t = f->internaldate.p == NULL ? -1 :
		    imap_date_time_parse(f->internaldate.p,
		    f->internaldate.len);
		f->have |= IMAP_FETCH_INTERNALDATE;
	} else if (VAL_IS(k, "RFC822.SIZE")) {
		if (!val_num(v, UINT64_MAX, &f->size))
			{ decode_fail(p, "bad RFC822.SIZE in"); return; }
		f->have |= IMAP_FETCH_SIZE;
	} else if (VAL_IS(k, "MODSEQ")) {
		if (!val_num(val_at(v, 0), INT64_MAX, &f->modseq))
			{ decode_fail(p, "bad MODSEQ in"); return; }
		f->have |= IMAP_FETCH_MODSEQ;
	} else if (VAL_IS(k, "ENVELOPE")) {
		/* a second, broken one keeps the first (have says so) */
		if ((env = decode_envelope(p, v)) != NULL) {
			f->env = env;
			f->have |= IMAP_FETCH_ENVELOPE;
		}
	} else if (VAL_IS(k, "BODYSTRUCTURE") || VAL_IS(k, "BODY")) {
		if ((body = decode_body(p, v)) != NULL) {
			f->body = body;
			f->have |= IMAP_FETCH_BODYSTRUCTURE;
		}
	} else if (k->type == IMAP_VAL_ATOM && is_header_fields(&k->s)) {
		if (v->type != IMAP_VAL_STRING && v->type != IMAP_VAL_NIL)
			{ decode_fail(p, "bad header fields in"); return; }
		/* lenient: NIL for a header block; the row is made without */
		if (v->type == IMAP_VAL_NIL)
			decode_fail(p, "no header block (NIL) in");
		f->header = v->s;
		f->have |= IMAP_FETCH_HEADER;
	} else if (k->type == IMAP_VAL_ATOM) {
		memset(&sec, 0, sizeof sec);
		if (!fetch_section_key(&k->s, &sec, &p->arena))
			return;		/* an item pons did not ask for */
		if (v->type != IMAP_VAL_STRING && v->type != IMAP_VAL_NIL &&
		    v->type != IMAP_VAL_ATOM)
			{ decode_fail(p, "bad section data in"); return; }
		sec.data = val_nstr(v);
		*ARENA_PUSH(&p->arena, *secs, f->nsections, *cap) = sec;
		f->sections = *secs;
	}
}

static void
decode_fetch(struct imap_parser *p, struct imap_resp *r)
{
	struct imap_fetch	*f = &r->u.fetch;
	struct imap_section	*secs = NULL;
	const struct imap_val	*l;
	size_t			 i, cap = 0;

	f->seq = r->num;
	f->internaldate_t = -1;
	if (r->nargs != 1 || r->args[0].type != IMAP_VAL_LIST)
		{ decode_fail(p, "bad"); return; }
	l = &r->args[0];
	if (l->n % 2 != 0)
		decode_fail(p, "odd item count in");
	for (i = 0; i + 1 < l->n; i += 2)
		decode_fetch_item(p, f, &l->v[i], &l->v[i + 1], &secs, &cap);
}

static void
decode_list(struct imap_parser *p, struct imap_resp *r)
{
	struct imap_list	*l = &r->u.list;
	const struct imap_val	*a, *ext;
	size_t			 i, j;

	l->delim = -1;
	if (r->nargs < 3 || (a = &r->args[0])->type != IMAP_VAL_LIST)
		{ decode_fail(p, "bad"); return; }
	l->raw_attrs = vals_strs(&p->arena, a->v, a->n);
	for (i = 0; i < l->raw_attrs.n; i++)
		for (j = 0; j < sizeof mbox_attrs / sizeof mbox_attrs[0]; j++)
			if (str_eq_ci(l->raw_attrs.v[i].p,
			    l->raw_attrs.v[i].len, mbox_attrs[j].name))
				l->attrs |= mbox_attrs[j].bit;
	if (r->args[1].type == IMAP_VAL_STRING && r->args[1].s.len == 1)
		l->delim = (unsigned char)r->args[1].s.p[0];
	else if (r->args[1].type != IMAP_VAL_NIL)
		decode_fail(p, "bad delimiter in");
	if (r->args[2].type == IMAP_VAL_NIL || r->args[2].type == IMAP_VAL_LIST)
		{ decode_fail(p, "bad mailbox name in"); return; }
	l->name = r->args[2].s;
	/* RFC 5258 mbox-list-extended: ("CHILDINFO" ("SUBSCRIBED") ...) */
	ext = r->nargs > 3 ? &r->args[3] : NULL;
	for (i = 0; ext != NULL && ext->type == IMAP_VAL_LIST &&
	    i + 1 < ext->n; i += 2) {
		const struct imap_str	*k = &ext->v[i].s;

		if (k->p == NULL)
			continue;
		if (str_eq_ci(k->p, k->len, "CHILDINFO")) {
			for (j = 0; j < ext->v[i + 1].n; j++)
				if (ext->v[i + 1].v[j].s.p != NULL &&
				    str_eq_ci(ext->v[i + 1].v[j].s.p,
				    ext->v[i + 1].v[j].s.len, "SUBSCRIBED"))
					l->childinfo_subscribed = true;
		} else if (str_eq_ci(k->p, k->len, "OLDNAME"))
			l->oldname = val_nstr(val_at(&ext->v[i + 1], 0));
	}
}

static const struct {
	const char	*name;
	unsigned int	 bit;
	size_t		 off;
	bool		 wide;
} status_items[] = {
	{ "MESSAGES", IMAP_STATUS_MESSAGES,
	    offsetof(struct imap_status, messages), false },
	{ "RECENT", IMAP_STATUS_RECENT,
	    offsetof(struct imap_status, recent), false },
	{ "UIDNEXT", IMAP_STATUS_UIDNEXT,
	    offsetof(struct imap_status, uidnext), false },
	{ "UIDVALIDITY", IMAP_STATUS_UIDVALIDITY,
	    offsetof(struct imap_status, uidvalidity), false },
	{ "UNSEEN", IMAP_STATUS_UNSEEN,
	    offsetof(struct imap_status, unseen), false },
	{ "DELETED", IMAP_STATUS_DELETED,
	    offsetof(struct imap_status, deleted), false },
	{ "HIGHESTMODSEQ", IMAP_STATUS_HIGHESTMODSEQ,
	    offsetof(struct imap_status, highestmodseq), true },
	{ "SIZE", IMAP_STATUS_SIZE,
	    offsetof(struct imap_status, size), true },
};

static void
decode_status(struct imap_parser *p, struct imap_resp *r)
{
	struct imap_status	*s = &r->u.status;
	const struct imap_val	*l;
	uint64_t		 n;
	size_t			 i, j;

	if (r->nargs < 2 || r->args[0].type == IMAP_VAL_LIST ||
	    r->args[0].type == IMAP_VAL_NIL ||
	    r->args[1].type != IMAP_VAL_LIST)
		{ decode_fail(p, "bad"); return; }
	s->mailbox = r->args[0].s;
	l = &r->args[1];
	for (i = 0; i + 1 < l->n; i += 2) {
		for (j = 0; j < sizeof status_items / sizeof status_items[0];
		    j++) {
			if (!val_is(&l->v[i], status_items[j].name))
				continue;
			if (!val_num(&l->v[i + 1], status_items[j].wide ?
			    UINT64_MAX : UINT32_MAX, &n)) {
				decode_fail(p, "bad number in");
				break;
			}
			if (status_items[j].wide)
				*(uint64_t *)((char *)s + status_items[j].off) = n;
			else
				*(uint32_t *)((char *)s + status_items[j].off) =
				    (uint32_t)n;
			s->have |= status_items[j].bit;
		}
	}
}

static void
decode_search(struct imap_parser *p, struct imap_resp *r)
{
	struct imap_search	*s = &r->u.search;
	uint32_t		*v;
	size_t			 i;

	if (r->nargs == 0)
		return;
	v = imap_arena_alloc(&p->arena, r->nargs * sizeof *v);
	for (i = 0; i < r->nargs; i++) {
		if (r->args[i].type == IMAP_VAL_LIST) {
			/* RFC 7162 section 3.1.5: (MODSEQ n) at the end */
			if (!val_is(val_at(&r->args[i], 0), "MODSEQ") ||
			    !val_num(val_at(&r->args[i], 1), INT64_MAX,
			    &s->modseq))
				decode_fail(p, "bad MODSEQ in");
			continue;
		}
		if (!val_u32(&r->args[i], &v[s->n]) || v[s->n] == 0) {
			decode_fail(p, "bad number in");
			continue;
		}
		s->n++;
	}
	s->v = v;
}

static void
decode_esearch(struct imap_parser *p, struct imap_resp *r)
{
	struct imap_esearch	*s = &r->u.esearch;
	const struct imap_val	*k, *v;
	size_t			 i = 0;
	uint64_t		 n;

	if (i < r->nargs && r->args[i].type == IMAP_VAL_LIST) {
		/* search-correlator: (TAG "a1") */
		if (val_is(val_at(&r->args[i], 0), "TAG"))
			s->tag = val_nstr(val_at(&r->args[i], 1));
		i++;
	}
	if (i < r->nargs && val_is(&r->args[i], "UID")) {
		s->uid = true;
		i++;
	}
	for (; i + 1 < r->nargs; i += 2) {
		k = &r->args[i];
		v = &r->args[i + 1];
		if (val_is(k, "MIN"))
			s->has_min = val_u32(v, &s->min);
		else if (val_is(k, "MAX"))
			s->has_max = val_u32(v, &s->max);
		else if (val_is(k, "COUNT"))
			s->has_count = val_u32(v, &s->count);
		else if (val_is(k, "ALL"))
			s->has_all = val_seqset(&p->arena, v, &s->all);
		else if (val_is(k, "MODSEQ")) {
			if (val_num(v, INT64_MAX, &n))
				s->modseq = n;
			else
				decode_fail(p, "bad MODSEQ in");
		}
	}
	if (i < r->nargs)
		decode_fail(p, "odd item count in");
}

static void
decode_vanished(struct imap_parser *p, struct imap_resp *r)
{
	struct imap_vanished	*vn = &r->u.vanished;
	size_t			 i = 0;

	if (r->nargs >= 1 && r->args[0].type == IMAP_VAL_LIST) {
		vn->earlier = val_is(val_at(&r->args[0], 0), "EARLIER");
		i++;
	}
	if (i + 1 != r->nargs || !val_seqset(&p->arena, &r->args[i], &vn->uids))
		decode_fail(p, "bad");
}

static void
decode_id(struct imap_parser *p, struct imap_resp *r)
{
	if (r->nargs != 1)
		{ decode_fail(p, "bad"); return; }
	if (r->args[0].type == IMAP_VAL_NIL)
		return;
	if (r->args[0].type != IMAP_VAL_LIST)
		{ decode_fail(p, "bad"); return; }
	r->u.id.n = decode_params(p, &r->args[0], &r->u.id.v);
}

static void
decode_nsgroup(struct imap_parser *p, const struct imap_val *v,
    struct imap_nsgroup *g)
{
	struct imap_ns		*ns;
	const struct imap_val	*d;
	size_t			 i;

	if (v->type == IMAP_VAL_NIL)
		return;
	if (v->type != IMAP_VAL_LIST)
		{ decode_fail(p, "bad"); return; }
	ns = imap_arena_alloc(&p->arena, (v->n + 1) * sizeof *ns);
	for (i = 0; i < v->n; i++) {
		ns[i].prefix = val_nstr(val_at(&v->v[i], 0));
		d = val_at(&v->v[i], 1);
		ns[i].delim = d != NULL && d->type == IMAP_VAL_STRING &&
		    d->s.len == 1 ? (unsigned char)d->s.p[0] : -1;
		if (ns[i].prefix.p == NULL)
			decode_fail(p, "bad");
	}
	g->v = ns;
	g->n = v->n;
}

static void
decode_data(struct imap_parser *p, struct imap_resp *r)
{
	switch (r->type) {
	case IMAP_RESP_CAPABILITY:
		r->u.caps = vals_strs(&p->arena, r->args, r->nargs);
		break;
	case IMAP_RESP_ENABLED:
		r->u.enabled = vals_strs(&p->arena, r->args, r->nargs);
		break;
	case IMAP_RESP_FLAGS:
		if (r->nargs != 1 || r->args[0].type != IMAP_VAL_LIST)
			{ decode_fail(p, "bad"); return; }
		r->u.flags = vals_strs(&p->arena, r->args[0].v, r->args[0].n);
		break;
	case IMAP_RESP_FETCH:
		decode_fetch(p, r);
		break;
	case IMAP_RESP_LIST:
	case IMAP_RESP_LSUB:
		decode_list(p, r);
		break;
	case IMAP_RESP_STATUS:
		decode_status(p, r);
		break;
	case IMAP_RESP_SEARCH:
		decode_search(p, r);
		break;
	case IMAP_RESP_ESEARCH:
		decode_esearch(p, r);
		break;
	case IMAP_RESP_VANISHED:
		decode_vanished(p, r);
		break;
	case IMAP_RESP_ID:
		decode_id(p, r);
		break;
	case IMAP_RESP_NAMESPACE:
		if (r->nargs != 3)
			{ decode_fail(p, "bad"); return; }
		decode_nsgroup(p, &r->args[0], &r->u.ns.personal);
		decode_nsgroup(p, &r->args[1], &r->u.ns.other);
		decode_nsgroup(p, &r->args[2], &r->u.ns.shared);
		break;
	default:
		break;
	}
}

/* Response structure */

static enum imap_resp_type
resp_type_of(const struct imap_str *k)
{
	size_t	 i;

	/* the answer to nearly every line of a header sync */
	if (k->len == 5 && ascii_eq_upper(k->p, "FETCH", 5))
		return IMAP_RESP_FETCH;
	for (i = 0; i < sizeof resp_types / sizeof resp_types[0]; i++)
		if (resp_types[i].type != IMAP_RESP_CONTINUE &&
		    resp_types[i].type != IMAP_RESP_OTHER && k->len > 0 &&
		    (k->p[0] | 0x20) == (resp_types[i].name[0] | 0x20) &&
		    str_eq_ci(k->p, k->len, resp_types[i].name))
			return resp_types[i].type;
	return IMAP_RESP_OTHER;
}

static bool
resp_is_status(enum imap_resp_type t)
{
	return t == IMAP_RESP_OK || t == IMAP_RESP_NO || t == IMAP_RESP_BAD ||
	    t == IMAP_RESP_BYE || t == IMAP_RESP_PREAUTH;
}

static bool
resp_is_numbered(enum imap_resp_type t)
{
	return t == IMAP_RESP_EXISTS || t == IMAP_RESP_RECENT ||
	    t == IMAP_RESP_EXPUNGE || t == IMAP_RESP_FETCH;
}

/* "tag SP" or "* SP" or "+"; then the keyword (with a number before it). */
static bool
resp_head(struct imap_parser *p, struct tok *t, struct imap_resp *r)
{
	struct imap_str	 num;
	uint64_t	 n;

	if (tok_peek(t) == '+') {
		r->kind = IMAP_KIND_CONT;
		r->type = IMAP_RESP_CONTINUE;
		t->pos++;
		return true;
	}
	if (tok_peek(t) == '*') {
		r->kind = IMAP_KIND_UNTAGGED;
		t->pos++;
	} else {
		r->kind = IMAP_KIND_TAGGED;
		if (!tok_atom(t, false, &r->tag))
			return false;
	}
	if (!tok_sp(t) || !tok_atom(t, true, &r->keyword))
		return false;
	if (r->kind == IMAP_KIND_TAGGED) {
		r->type = resp_type_of(&r->keyword);
		if (r->type != IMAP_RESP_OK && r->type != IMAP_RESP_NO &&
		    r->type != IMAP_RESP_BAD)
			return tok_fail(t, "tagged response is not OK, NO or BAD");
	} else if (r->keyword.p[0] >= '0' && r->keyword.p[0] <= '9') {
		num = r->keyword;
		if (!num_parse(num.p, num.len, UINT32_MAX, &n))
			return tok_fail(t, "bad message number");
		r->num = (uint32_t)n;
		if (!tok_sp(t) || !tok_atom(t, true, &r->keyword))
			return false;
		r->type = resp_type_of(&r->keyword);
		if (r->type != IMAP_RESP_OTHER && !resp_is_numbered(r->type))
			return tok_fail(t, "unexpected message number");
	} else {
		r->type = resp_type_of(&r->keyword);
		if (resp_is_numbered(r->type))
			return tok_fail(t, "missing message number");
	}
	return true;
}

static int
resp_parse(struct imap_parser *p, struct err *e)
{
	struct imap_resp	*r = &p->resp;
	struct tok		 t;
	const char		*nl;
	bool			 ok;

	memset(r, 0, sizeof *r);
	memset(&t, 0, sizeof t);
	t.b = p->resp_buf.data;
	t.len = p->resp_buf.len;
	t.arena = &p->arena;
	t.depth_max = p->lim.depth_max;
	r->wire_len = p->wire_len;
	nl = memchr(t.b, '\n', t.len);
	r->first_line.p = t.b;
	r->first_line.len = (size_t)(nl - t.b) - 1;
	ok = resp_head(p, &t, r);
	if (ok && (r->kind == IMAP_KIND_CONT || resp_is_status(r->type)))
		ok = tok_resp_text(p, &t, r);
	else if (ok && (tok_at_eol(&t) || (resp_is_numbered(r->type) &&
	    r->type != IMAP_RESP_FETCH)))
		ok = true;	/* EXISTS RECENT EXPUNGE take no arguments */
	else if (ok && r->type == IMAP_RESP_FETCH)
		ok = tok_sp(&t) && tok_fetch(&t, r);
	else if (ok)
		ok = tok_sp(&t) && tok_values(&t, false, &r->args, &r->nargs);
	if (ok && (!tok_at_eol(&t) || t.pos + 2 != t.len))
		ok = tok_fail(&t, "junk after the response");
	if (!ok && r->type == IMAP_RESP_FETCH && r->nargs == 1 &&
	    r->args[0].n > 0) {
		/* issue 4: the items read before the damage still count */
		decode_data(p, r);
		(void)snprintf(p->why, sizeof p->why, "%s in FETCH, items "
		    "after it ignored", t.err);
		r->decode_err = p->why;
		return 0;
	}
	if (!ok)
		return err_set(e, ERR_PROTO, "IMAP: %s in \"%.*s\"", t.err,
		    (int)(r->first_line.len > 60 ? 60 : r->first_line.len),
		    r->first_line.p);
	decode_data(p, r);
	return 0;
}

const char *
imap_resp_type_name(enum imap_resp_type t)
{
	size_t	 i;

	for (i = 0; i < sizeof resp_types / sizeof resp_types[0]; i++)
		if (resp_types[i].type == t)
			return resp_types[i].name;
	return "?";
}

const char *
imap_code_type_name(enum imap_code_type t)
{
	size_t	 i;

	for (i = 0; i < sizeof code_types / sizeof code_types[0]; i++)
		if (code_types[i].type == t)
			return code_types[i].name;
	return "?";
}
