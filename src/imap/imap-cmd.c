/* SPDX-License-Identifier: ISC */
/*
 * IMAP command formatting.  Decides between atom, quoted string and
 * literal for every argument, and records where a synchronizing literal
 * makes the sender wait for the server's "+".  No I/O.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap/imap-cmd.h"
#include "imap/imap-parse.h"
#include "imap/imap-utf7.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

void
imap_cmd_init(struct imap_cmd *c, const char *tag, enum imap_literal_mode lit,
    bool utf8)
{
	memset(c, 0, sizeof *c);
	buf_init(&c->b);
	c->lit = lit;
	c->utf8 = utf8;
	if (tag != NULL)
		buf_printf(&c->b, "%s ", tag);
}

void
imap_cmd_fini(struct imap_cmd *c)
{
	if (c->secret)
		buf_fini_secret(&c->b);
	else
		buf_fini(&c->b);
	free(c->waits);
	c->waits = NULL;
	c->nwaits = 0;
}

void
imap_cmd_add(struct imap_cmd *c, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	buf_vprintf(&c->b, fmt, ap);
	va_end(ap);
}

bool
imap_is_atom(const char *p, size_t len)
{
	size_t		 i;
	unsigned char	 ch;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		ch = (unsigned char)p[i];
		/* RFC 9051 atom-specials, plus "]" which resp-specials adds */
		if (ch <= 0x20 || ch >= 0x7f || strchr("(){%*\"\\]", ch) != NULL)
			return false;
	}
	/* "NIL" as an atom would read as NIL */
	return !(len == 3 && strncasecmp(p, "NIL", 3) == 0);
}

static bool
cmd_is_quotable(const struct imap_cmd *c, const char *p, size_t len)
{
	size_t		 i;
	unsigned char	 ch;

	if (len > 1024)
		return false;
	for (i = 0; i < len; i++) {
		ch = (unsigned char)p[i];
		if (ch == '\0' || ch == '\r' || ch == '\n')
			return false;
		if (ch >= 0x80 && !c->utf8)	/* RFC 6855 section 3 */
			return false;
	}
	return true;
}

void
imap_cmd_literal(struct imap_cmd *c, const char *p, size_t len)
{
	bool	 nonsync;

	nonsync = c->lit == IMAP_LIT_PLUS ||
	    (c->lit == IMAP_LIT_MINUS && len <= IMAP_LITERAL_MINUS_MAX);
	buf_printf(&c->b, "{%zu%s}\r\n", len, nonsync ? "+" : "");
	if (!nonsync) {
		c->waits = xreallocarray(c->waits, c->nwaits + 1,
		    sizeof *c->waits);
		c->waits[c->nwaits++] = c->b.len;
	}
	buf_add(&c->b, p, len);
}

void
imap_cmd_string(struct imap_cmd *c, const char *p, size_t len)
{
	size_t	 i;

	if (!cmd_is_quotable(c, p, len)) {
		imap_cmd_literal(c, p, len);
		return;
	}
	buf_add_byte(&c->b, '"');
	for (i = 0; i < len; i++) {
		if (p[i] == '"' || p[i] == '\\')
			buf_add_byte(&c->b, '\\');
		buf_add_byte(&c->b, (unsigned char)p[i]);
	}
	buf_add_byte(&c->b, '"');
}

void
imap_cmd_astring(struct imap_cmd *c, const char *p, size_t len)
{
	if (imap_is_atom(p, len))
		buf_add(&c->b, p, len);
	else
		imap_cmd_string(c, p, len);
}

int
imap_cmd_mailbox(struct imap_cmd *c, const char *name, size_t len,
    struct err *e)
{
	struct buf	 w = BUF_INIT;

	if (c->utf8) {
		/* validate: encoding fails on invalid UTF-8 */
		if (imap_utf7_encode(name, len, &w, e) == -1)
			return -1;
		imap_cmd_astring(c, name, len);
	} else {
		if (imap_utf7_encode(name, len, &w, e) == -1)
			return -1;
		imap_cmd_astring(c, w.data, w.len);
	}
	buf_fini(&w);
	return 0;
}

void
imap_cmd_end(struct imap_cmd *c)
{
	buf_add(&c->b, "\r\n", 2);
}

static int
uid_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
range_put(struct buf *out, uint32_t lo, uint32_t hi, bool first)
{
	if (!first)
		buf_add_byte(out, ',');
	if (lo == UINT32_MAX)
		buf_add_byte(out, '*');
	else
		buf_printf(out, "%u", lo);
	if (hi == lo)
		return;
	if (hi == UINT32_MAX)
		buf_add_str(out, ":*");
	else
		buf_printf(out, ":%u", hi);
}

void
imap_seqset_format(struct buf *out, const uint32_t *uids, size_t n)
{
	uint32_t	*v, lo, hi;
	size_t		 i;
	bool		 first = true;

	if (n == 0)
		return;
	v = xreallocarray(NULL, n, sizeof *v);
	memcpy(v, uids, n * sizeof *v);
	for (i = 1; i < n && v[i - 1] <= v[i]; i++)
		;
	if (i < n)	/* a chunk of the UID map is sorted already */
		qsort(v, n, sizeof *v, uid_cmp);
	lo = hi = 0;
	for (i = 0; i < n; i++) {
		if (v[i] == 0)
			continue;
		if (lo != 0 && (v[i] == hi || v[i] == hi + 1)) {
			hi = v[i];
			continue;
		}
		if (lo != 0) {
			range_put(out, lo, hi, first);
			first = false;
		}
		lo = hi = v[i];
	}
	if (lo != 0)
		range_put(out, lo, hi, first);
	free(v);
}

void
imap_ranges_format(struct buf *out, const struct imap_range *r, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		range_put(out, r[i].lo, r[i].hi, i == 0);
}
