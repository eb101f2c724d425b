/* SPDX-License-Identifier: ISC */
/*
 * The index fields of a message from the index fetch's answer, decoded
 * with the message engine (msg/) the way app/local.c reads a Maildir
 * message.  Pure: no I/O.  Every string goes into one of the reused
 * buffers of struct imap_index.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "imap/imap-index.h"
#include "imap/imap-parse.h"
#include "msg/addr.h"
#include "msg/date.h"
#include "msg/rfc2047.h"
#include "msg/rfc5322.h"
#include "util/buf.h"
#include "util/str.h"
#include "imap-private.h"

/* The header fields of a row, in the order of hdr_names. */
enum hdr {
	H_FROM,
	H_TO,
	H_CC,
	H_SUBJECT,
	H_DATE,
	H_MSGID,
	H_IRT,
	H_REFS,
	H_COUNT,
};

static const struct {
	const char	*name;		/* upper case */
	const char	*usual;		/* as most mail writes it */
	size_t		 len;
} hdr_names[H_COUNT] = {
	{ "FROM", "From", 4 }, { "TO", "To", 2 }, { "CC", "Cc", 2 },
	{ "SUBJECT", "Subject", 7 }, { "DATE", "Date", 4 },
	{ "MESSAGE-ID", "Message-ID", 10 },
	{ "IN-REPLY-TO", "In-Reply-To", 11 },
	{ "REFERENCES", "References", 10 },
};

/* Which of ix->b holds what. */
enum {
	B_DATE,
	B_SUBJECT,
	B_FROM,
	B_TO,
	B_CC,
	B_FROM_SHOW,
	B_FROM_ADDR,
	B_TO_SHOW,
	B_TO_ADDR,
	B_MSGID,
	B_PARENT,
	B_TMP,
	B_TMP2,
};

/*
 * Byte classes for the address shortcut: RFC 5322 atext and '.' (a
 * plain name or address is made of them), white space and line ends,
 * and what may hide a comma inside an address (quotes, comments,
 * groups, domain literals, escapes).
 */
#define C_WORD	0x01
#define C_WSP	0x02
#define C_HIDE	0x04
#define C_AT	0x08

#define CL(c)	((unsigned char)( \
	(((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || \
	((c) >= '0' && (c) <= '9') || (c) == '!' || (c) == '#' || \
	(c) == '$' || (c) == '%' || (c) == '&' || (c) == '\'' || \
	(c) == '*' || (c) == '+' || (c) == '-' || (c) == '/' || \
	(c) == '=' || (c) == '?' || (c) == '^' || (c) == '_' || \
	(c) == '`' || (c) == '{' || (c) == '|' || (c) == '}' || \
	(c) == '~' || (c) == '.' ? C_WORD : 0) | \
	((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n' ? \
	C_WSP : 0) | \
	((c) == '"' || (c) == '(' || (c) == ':' || (c) == '[' || \
	(c) == '\\' ? C_HIDE : 0) | ((c) == '@' ? C_AT : 0)))
#define CL4(c)	CL(c), CL((c) + 1), CL((c) + 2), CL((c) + 3)
#define CL16(c)	CL4(c), CL4((c) + 4), CL4((c) + 8), CL4((c) + 12)
#define CL64(c)	CL16(c), CL16((c) + 16), CL16((c) + 32), CL16((c) + 48)

static const unsigned char cls[256] = {
	CL64(0), CL64(64), CL64(128), CL64(192)
};

#define IS(c, k)	((cls[(unsigned char)(c)] & (k)) != 0)

void
imap_index_init(struct imap_index *ix)
{
	size_t	 i;

	memset(&ix->row, 0, sizeof ix->row);
	for (i = 0; i < IMAP_INDEX_NBUF; i++)
		buf_init(&ix->b[i]);
}

void
imap_index_fini(struct imap_index *ix)
{
	size_t	 i;

	if (ix == NULL)
		return;
	for (i = 0; i < IMAP_INDEX_NBUF; i++)
		buf_fini(&ix->b[i]);
	memset(&ix->row, 0, sizeof ix->row);
}

static bool
has_fold(const char *v, size_t len)
{
	return memchr(v, '\n', len) != NULL || memchr(v, '\r', len) != NULL;
}

/*
 * v[0..len) unfolded into b (reset first); NULL for none.  An unfolded
 * value is its trimmed self: no copy through the unfolder.
 */
static const char *
idx_unfold(const char *v, size_t len, struct buf *b)
{
	buf_reset(b);
	if (v == NULL)
		return NULL;
	if (has_fold(v, len))
		rfc5322_unfold(v, len, b);
	else {
		str_trim(&v, &len);
		buf_add(b, v, len);
	}
	return buf_str(b);
}

/*
 * v[0..len) decoded into b (reset first) as rfc5322_value_decode does,
 * with tmp for the unfolding; NULL for none.
 */
static const char *
idx_decode(const char *v, size_t len, struct buf *b, struct buf *tmp)
{
	size_t	 i;

	buf_reset(b);
	if (v == NULL)
		return NULL;
	if (has_fold(v, len)) {
		buf_reset(tmp);
		rfc5322_unfold(v, len, tmp);
		v = buf_str(tmp);
		len = tmp->len;
	}
	str_trim(&v, &len);
	/* most values are plain printable ASCII: nothing to decode */
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] >= 0x7f ||
		    (v[i] == '=' && i + 1 < len && v[i + 1] == '?'))
			break;
	if (i == len)
		buf_add(b, v, len);
	else
		(void)rfc2047_decode(v, len, NULL, b);
	return buf_str(b);
}

/* The last "<id>" of v[0..len) into b (reset first); NULL if none. */
static const char *
idx_last_id(const char *v, size_t len, struct buf *b)
{
	const char	*lt = NULL, *gt, *q;
	size_t		 i;

	buf_reset(b);
	if (v == NULL)
		return NULL;
	for (i = len; i > 0; i--)
		if (v[i - 1] == '<') {
			lt = v + i - 1;
			break;
		}
	if (lt == NULL ||
	    (gt = memchr(lt, '>', len - (size_t)(lt - v))) == NULL)
		return NULL;
	/* lenient: folded inside the id; its white space is dropped */
	for (gt++; lt < gt; lt = q) {
		for (q = lt; q < gt && !IS(*q, C_WSP); q++)
			;
		buf_add(b, lt, (size_t)(q - lt));
		while (q < gt && IS(*q, C_WSP))
			q++;
	}
	return buf_str(b);
}

/*
 * How much of an address list to parse for its first address: up to the
 * first comma that ends a non-empty element, when nothing before it
 * (quotes, comments, groups, domain literals, escapes, a route inside
 * <>) could hide a comma inside an address.  A To: of a hundred
 * recipients then costs one.
 */
static size_t
idx_first_len(const char *v, size_t len)
{
	size_t	 i;
	bool	 text = false, angle = false;

	if (memchr(v, ',', len) == NULL)
		return len;	/* one element, as a From: nearly always is */
	for (i = 0; i < len; i++) {
		if (IS(v[i], C_WORD)) {
			text = true;
			continue;
		}
		switch (v[i]) {
		case ',':
			if (text && !angle)
				return i;
			break;		/* empty element, or a route */
		case '<':
			angle = text = true;
			break;
		case '>':
			angle = false;
			break;
		case '"': case '(': case ':': case '[': case '\\':
			return len;
		case ' ': case '\t': case '\r': case '\n':
			break;
		default:
			text = true;
			break;
		}
	}
	return len;
}

static bool
is_wsp_eol(char c)
{
	return IS(c, C_WSP);
}

/*
 * The common forms "a@b", "<a@b>" and "Some Name <a@b>" in printable
 * ASCII (the name may hold encoded words), read without the address
 * parser's allocations; the result is what msg/addr.c gives (the unit
 * test checks this over the corpus).  False for anything else.
 */
static bool
idx_addr_plain(const char *v, size_t len, struct buf *show,
    struct buf *spec, struct buf *tmp)
{
	size_t		 i, lt, w;
	const char	*n;
	size_t		 nlen;
	bool		 eq = false;	/* a '=' in the name */
	bool		 join = false;	/* its words need joining */
	unsigned char	 c;

	while (len > 0 && is_wsp_eol(v[len - 1]))
		len--;
	for (lt = 0; lt < len && v[lt] != '<'; lt++) {
		c = cls[(unsigned char)v[lt]];
		if (c & C_WORD) {
			if (v[lt] == '=')
				eq = true;
			continue;
		}
		if (!(c & C_WSP))
			return false;
		if (v[lt] != ' ' || (lt > 0 && v[lt - 1] == ' '))
			join = true;
	}
	if (lt == len) {			/* a bare address */
		for (i = 0; i < len && is_wsp_eol(v[i]); i++)
			;
		if (memchr(v + i, '@', len - i) == NULL)
			return false;
		for (lt = i; lt < len; lt++)
			if (!IS(v[lt], C_WORD | C_AT))
				return false;
		buf_add(spec, v + i, len - i);
		buf_add(show, v + i, len - i);
		return true;
	}
	if (v[len - 1] != '>' || lt + 2 >= len)
		return false;
	for (i = lt + 1; i < len - 1; i++)
		if (!IS(v[i], C_WORD | C_AT))
			return false;
	buf_add(spec, v + lt + 1, len - lt - 2);
	/* the name: words joined by one space, as the parser's phrase */
	if (!join) {
		/* single spaces only: the name is v[i..w) as it stands */
		for (i = 0; i < lt && v[i] == ' '; i++)
			;
		for (w = lt; w > i && v[w - 1] == ' '; w--)
			;
		if (!eq) {
			buf_add(show, w > i ? v + i : spec->data,
			    w > i ? w - i : spec->len);
			return true;
		}
		buf_add(tmp, v + i, w - i);
	} else for (i = 0; i < lt; i = w) {
		while (i < lt && is_wsp_eol(v[i]))
			i++;
		for (w = i; w < lt && !is_wsp_eol(v[w]); w++)
			;
		if (w == i)
			break;
		if (tmp->len > 0)
			buf_add_byte(tmp, ' ');
		buf_add(tmp, v + i, w - i);
	}
	n = buf_str(tmp);
	nlen = tmp->len;
	if (eq && memmem(n, nlen, "=?", 2) != NULL) {
		(void)rfc2047_decode(n, nlen, NULL, show);
		n = buf_str(show);
		nlen = show->len;
		while (nlen > 0 && is_wsp_eol(*n))
			n++, nlen--;
		while (nlen > 0 && is_wsp_eol(n[nlen - 1]))
			nlen--;
		buf_reset(tmp);
		buf_add(tmp, n, nlen);
		buf_reset(show);
	}
	buf_add(show, nlen > 0 ? tmp->data : spec->data,
	    nlen > 0 ? tmp->len : spec->len);
	return true;
}

/*
 * The first address of an address field v[0..len): its display text (the
 * name, else the address) and its addr-spec, as app/local.c shows them;
 * *showp "" and *specp NULL when there is none.
 */
static void
idx_addr(const char *v, size_t len, struct buf *show, struct buf *spec,
    struct buf *tmp, const char **showp, const char **specp)
{
	struct addr_list	 l;
	const struct addr	*x = NULL;
	size_t			 i, first;

	buf_reset(show);
	buf_reset(spec);
	*showp = "";
	*specp = NULL;
	if (v == NULL)
		return;
	first = idx_first_len(v, len);
	buf_reset(tmp);
	if (idx_addr_plain(v, first, show, spec, tmp)) {
		*showp = buf_str(show);
		*specp = buf_str(spec);
		return;
	}
	buf_reset(show);
	buf_reset(spec);
	memset(&l, 0, sizeof l);
	(void)addr_list_parse(&l, v, first, NULL);
	for (i = 0; i < l.n && x == NULL; i++)
		if (l.v[i].addr[0] != '\0')
			x = &l.v[i];	/* not an empty group */
	if (x == NULL && first < len) {
		/* nothing in the first element: the whole list */
		addr_list_fini(&l);
		memset(&l, 0, sizeof l);
		(void)addr_list_parse(&l, v, len, NULL);
		for (i = 0; i < l.n && x == NULL; i++)
			if (l.v[i].addr[0] != '\0')
				x = &l.v[i];
	}
	if (x != NULL) {
		buf_add_str(spec, x->addr);
		buf_add_str(show, x->name != NULL && x->name[0] != '\0' ?
		    x->name : x->addr);
		*showp = buf_str(show);
		*specp = buf_str(spec);
	}
	addr_list_fini(&l);
}

/*
 * The first field of each name of hdr_names in h[0..len), as views
 * (name NULL: absent).  Allocates nothing; reads at most
 * IMAP_INDEX_HDR_MAX bytes, cut at a line end.
 */
static void
idx_fields(const char *h, size_t len, struct rfc5322_field *fl)
{
	struct rfc5322_field	 f;
	size_t			 off = 0, hl = len, i;

	memset(fl, 0, H_COUNT * sizeof *fl);
	/* the limit at a line start: the header's empty line comes first */
	if (hl > IMAP_INDEX_HDR_MAX) {
		hl = IMAP_INDEX_HDR_MAX;
		while (hl > 0 && h[hl - 1] != '\n')
			hl--;
	}
	while (rfc5322_header_next(h, hl, &off, &f))
		for (i = 0; i < H_COUNT; i++)
			if (f.namelen == hdr_names[i].len &&
			    (memcmp(f.name, hdr_names[i].usual, f.namelen) ==
			    0 || imap_fold_eq(f.name, hdr_names[i].name,
			    f.namelen))) {
				if (fl[i].name == NULL)
					fl[i] = f;
				break;
			}
}

static int64_t
idx_date(const char *d, size_t len)
{
	time_t	 t;

	if (d == NULL || date_parse(d, len, &t, NULL) == DATE_INVALID ||
	    t < 0)
		return -1;
	return (int64_t)t;
}

const struct imap_index_row *
imap_index_fill(struct imap_index *ix, const char *h, size_t len)
{
	struct imap_index_row	*r = &ix->row;
	struct buf		*b = ix->b;
	struct rfc5322_field	 fl[H_COUNT];
	const char		*unused;

	memset(r, 0, sizeof *r);
	r->sent = -1;
	r->from_show = "";
	r->to_show = "";
	if (h == NULL)
		return r;
	idx_fields(h, len, fl);
	r->date = idx_unfold(fl[H_DATE].value, fl[H_DATE].valuelen,
	    &b[B_DATE]);
	r->sent = idx_date(r->date, b[B_DATE].len);
	r->subject = idx_decode(fl[H_SUBJECT].value, fl[H_SUBJECT].valuelen,
	    &b[B_SUBJECT], &b[B_TMP]);
	r->from = idx_unfold(fl[H_FROM].value, fl[H_FROM].valuelen,
	    &b[B_FROM]);
	r->to = idx_unfold(fl[H_TO].value, fl[H_TO].valuelen, &b[B_TO]);
	r->cc = idx_unfold(fl[H_CC].value, fl[H_CC].valuelen, &b[B_CC]);
	idx_addr(fl[H_FROM].value, fl[H_FROM].valuelen, &b[B_FROM_SHOW],
	    &b[B_FROM_ADDR], &b[B_TMP], &r->from_show, &r->from_addr);
	idx_addr(fl[H_TO].value, fl[H_TO].valuelen, &b[B_TO_SHOW],
	    &b[B_TO_ADDR], &b[B_TMP], &r->to_show, &unused);
	r->message_id = idx_unfold(fl[H_MSGID].value, fl[H_MSGID].valuelen,
	    &b[B_MSGID]);
	/* the parent as app/app-imap.c threads it: References first */
	if ((r->parent = idx_last_id(fl[H_REFS].value, fl[H_REFS].valuelen,
	    &b[B_PARENT])) == NULL)
		r->parent = idx_last_id(fl[H_IRT].value, fl[H_IRT].valuelen,
		    &b[B_PARENT]);
	return r;
}

/* ENVELOPE addresses as "name <mailbox@host>, ..." (b reset first). */
static const char *
env_addrs(const struct imap_addrs *as, struct buf *b)
{
	size_t	 i;

	buf_reset(b);
	for (i = 0; i < as->n; i++) {
		const struct imap_addr	*x = &as->v[i];

		if (x->host.p == NULL)
			continue;	/* group syntax markers */
		if (b->len > 0)
			buf_add(b, ", ", 2);
		if (x->name.p != NULL) {
			buf_add(b, x->name.p, x->name.len);
			buf_add(b, " <", 2);
		}
		if (x->mailbox.p != NULL)
			buf_add(b, x->mailbox.p, x->mailbox.len);
		buf_add_byte(b, '@');
		buf_add(b, x->host.p, x->host.len);
		if (x->name.p != NULL)
			buf_add_byte(b, '>');
	}
	return buf_str(b);
}

/* The first real ENVELOPE address: display text and addr-spec. */
static void
env_first(const struct imap_addrs *as, struct buf *show, struct buf *spec,
    struct buf *tmp, const char **showp, const char **specp)
{
	const struct imap_addr	*x;
	size_t			 i;

	buf_reset(show);
	buf_reset(spec);
	*showp = "";
	*specp = NULL;
	for (i = 0; i < as->n; i++) {
		x = &as->v[i];
		if (x->host.p == NULL)
			continue;	/* group syntax markers */
		if (x->mailbox.p != NULL)
			buf_add(spec, x->mailbox.p, x->mailbox.len);
		buf_add_byte(spec, '@');
		buf_add(spec, x->host.p, x->host.len);
		if (x->name.p != NULL && x->name.len > 0)
			(void)idx_decode(x->name.p, x->name.len, show, tmp);
		if (show->len == 0)
			buf_add(show, spec->data, spec->len);
		*showp = buf_str(show);
		*specp = buf_str(spec);
		return;
	}
}

const struct imap_index_row *
imap_index_fill_env(struct imap_index *ix, const struct imap_envelope *env)
{
	struct imap_index_row	*r = &ix->row;
	struct buf		*b = ix->b;
	const char		*unused;

	memset(r, 0, sizeof *r);
	r->date = idx_unfold(env->date.p, env->date.len, &b[B_DATE]);
	r->sent = idx_date(r->date, b[B_DATE].len);
	r->subject = idx_decode(env->subject.p, env->subject.len,
	    &b[B_SUBJECT], &b[B_TMP]);
	r->from = env_addrs(&env->from, &b[B_FROM]);
	r->to = env_addrs(&env->to, &b[B_TO]);
	r->cc = env_addrs(&env->cc, &b[B_CC]);
	env_first(&env->from, &b[B_FROM_SHOW], &b[B_FROM_ADDR], &b[B_TMP],
	    &r->from_show, &r->from_addr);
	env_first(&env->to, &b[B_TO_SHOW], &b[B_TO_ADDR], &b[B_TMP2],
	    &r->to_show, &unused);
	r->message_id = idx_unfold(env->message_id.p, env->message_id.len,
	    &b[B_MSGID]);
	r->parent = idx_last_id(env->in_reply_to.p, env->in_reply_to.len,
	    &b[B_PARENT]);
	return r;
}
