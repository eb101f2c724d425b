/* SPDX-License-Identifier: ISC */
/*
 * Encoded words in header text (RFC 2047, RFC 2231 section 5).  Pure: text
 * in, UTF-8 out.  Adjacent encoded words of one charset are decoded into a
 * single byte run and converted once, so that a character cut between two
 * words (as some encoders do) comes out whole.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "msg/charset.h"
#include "msg/codec.h"
#include "msg/rfc2047.h"
#include "util/buf.h"

#define CHARSET_LABEL_MAX	64

/* One encoded word, as views into the input. */
struct eword {
	const char	*cs;		/* charset, without "*lang" */
	size_t		 cslen;
	char		 enc;		/* 'B' or 'Q' */
	const char	*text;
	size_t		 textlen;
	size_t		 len;		/* whole word, "=?" to "?=" */
};

/*
 * The run of decoded bytes waiting for conversion.  A run labelled utf-8
 * is decoded straight into the output from out->len == start and only
 * checked at the end (direct); it goes through bytes and charset.c only
 * when it is not valid UTF-8 or starts with a byte order mark.
 */
struct run {
	struct buf	 bytes;
	const char	*cs;
	size_t		 cslen;
	bool		 open;
	bool		 direct;
	size_t		 start;
};

static bool	word_parse(const char *, size_t, struct eword *);
static unsigned int run_flush(struct run *, struct buf *);
static bool	all_space(const char *, size_t);
static unsigned int plain(const char *, size_t, const char *, struct buf *);

/*
 * Parse an encoded word at p[0..len) (p starts with "=?").  RFC 2047
 * section 2: charset and encoding are tokens, the text has no '?' followed
 * by '=' and no white space.
 */
static bool
word_parse(const char *p, size_t len, struct eword *w)
{
	size_t	 i = 2, cs, end;
	const char *star;

	if (len > RFC2047_WORD_MAX)
		len = RFC2047_WORD_MAX;
	cs = i;
	while (i < len && p[i] != '?' && p[i] != ' ' && p[i] != '\t' &&
	    p[i] != '\r' && p[i] != '\n' && p[i] != '"' && p[i] != '=')
		i++;
	if (i == cs || i - cs > CHARSET_LABEL_MAX || i + 3 > len ||
	    p[i] != '?')
		return false;
	w->cs = p + cs;
	w->cslen = i - cs;
	/* RFC 2231 section 5: "charset*language" */
	if ((star = memchr(w->cs, '*', w->cslen)) != NULL)
		w->cslen = (size_t)(star - w->cs);
	if (w->cslen == 0)
		return false;
	i++;
	if (p[i] == 'b' || p[i] == 'B')
		w->enc = 'B';
	else if (p[i] == 'q' || p[i] == 'Q')
		w->enc = 'Q';
	else
		return false;
	if (p[i + 1] != '?')
		return false;
	i += 2;
	w->text = p + i;
	for (end = i; end + 1 < len; end++) {
		if (p[end] == '?' && p[end + 1] == '=')
			break;
		if (p[end] == ' ' || p[end] == '\t' || p[end] == '\r' ||
		    p[end] == '\n')
			return false;
	}
	if (end + 1 >= len)
		return false;
	w->textlen = end - i;
	w->len = end + 2;
	return true;
}

/* Can the run stay as decoded: valid UTF-8 with no byte order mark? */
static bool
direct_ok(const char *p, size_t n)
{
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		return false;
	return charset_utf8_valid(p, n);
}

static unsigned int
run_flush(struct run *r, struct buf *out)
{
	unsigned int	 flags;

	if (!r->open)
		return 0;
	r->open = false;
	if (r->direct) {
		/* an empty run (out may have no buffer yet) is valid */
		if (out->len == r->start ||
		    direct_ok(out->data + r->start, out->len - r->start))
			return 0;	/* what charset_to_utf8 would give */
		buf_add(&r->bytes, out->data + r->start, out->len - r->start);
		buf_truncate(out, r->start);
	}
	flags = charset_to_utf8(r->cs, r->cslen, r->bytes.data, r->bytes.len,
	    NULL, out);
	buf_reset(&r->bytes);
	return flags;
}

static bool
all_space(const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
		    p[i] != '\n')
			return false;
	return true;
}

/* Text outside encoded words: 8-bit bytes are UTF-8 or charset. */
static unsigned int
plain(const char *p, size_t len, const char *charset, struct buf *out)
{
	if (len == 0)
		return 0;
	return charset_to_utf8(NULL, 0, p, len, charset, out);
}

unsigned int
rfc2047_decode(const char *p, size_t len, const char *charset,
    struct buf *out)
{
	struct run	 r;
	struct eword	 w;
	const char	*q;
	size_t		 off = 0, start = 0;
	unsigned int	 flags = 0;
	bool		 prev_word = false;

	if (len < 8 || (q = memmem(p, len, "=?", 2)) == NULL)
		return plain(p, len, charset, out);
	memset(&r, 0, sizeof r);
	buf_init(&r.bytes);
	while (off + 1 < len) {
		q = memmem(p + off, len - off, "=?", 2);
		if (q == NULL)
			break;
		off = (size_t)(q - p);
		if (!word_parse(p + off, len - off, &w)) {
			off += 2;
			continue;
		}
		/* RFC 2047 section 6.2: drop white space between words */
		if (!(prev_word && all_space(p + start, off - start))) {
			flags |= run_flush(&r, out);
			flags |= plain(p + start, off - start, charset, out);
		}
		if (r.open && (w.cslen != r.cslen ||
		    strncasecmp(w.cs, r.cs, w.cslen) != 0))
			flags |= run_flush(&r, out);
		if (!r.open) {
			r.open = true;
			r.cs = w.cs;
			r.cslen = w.cslen;
			/* "utf-8" itself: other labels take charset.c's path */
			r.direct = w.cslen == 5 && charset_is_utf8(w.cs, 5);
			r.start = out->len;
		}
		if (w.enc == 'B')
			codec_base64_decode(w.text, w.textlen, r.direct ? out :
			    &r.bytes);
		else
			codec_q_decode(w.text, w.textlen, r.direct ? out :
			    &r.bytes);
		off += w.len;
		start = off;
		prev_word = true;
	}
	flags |= run_flush(&r, out);
	flags |= plain(p + start, len - start, charset, out);
	buf_fini(&r.bytes);
	return flags;
}
