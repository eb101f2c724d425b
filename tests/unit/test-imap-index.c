/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the index row of a message made from the index fetch's
 * header block (imap-index.c): RFC 2047 subjects, folded addresses with
 * display names, the threading parent from References or In-Reply-To,
 * missing and garbled fields, an ENVELOPE, buffers reused across rows,
 * and the first-address shortcut checked against the full address parser
 * over a table and the shared corpus.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "corpus.h"

#include "imap/imap-index.h"
#include "imap/imap-parse.h"
#include "msg/addr.h"
#include "msg/rfc5322.h"
#include "util/buf.h"

static const struct imap_index_row *
fill(struct imap_index *ix, const char *h)
{
	return imap_index_fill(ix, h, strlen(h));
}

static void
test_typical(void **state)
{
	struct imap_index		 ix;
	const struct imap_index_row	*r;

	(void)state;
	imap_index_init(&ix);
	r = fill(&ix,
	    "From: =?utf-8?q?J=C3=B6rg?= Smith\r\n"
	    " <jm@example.org>\r\n"
	    "To: Ann <ann@example.org>,\r\n\tbob@example.org\r\n"
	    "Cc: c@example.org\r\n"
	    "Subject: =?iso-8859-1?q?Gr=FC=DFe?= aus\r\n"
	    " =?utf-8?b?S8O2bG4=?=\r\n"
	    "Date: Mon, 3 Mar 2025 10:00:00 +0100\r\n"
	    "Message-ID: <m3@example.org>\r\n"
	    "In-Reply-To: <m2@example.org>\r\n"
	    "References: <m0@example.org>\r\n"
	    " <m1@example.org> <m2@example.org>\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "\r\n");
	assert_string_equal(r->subject, "Grüße aus Köln");
	assert_string_equal(r->from_show, "Jörg Smith");
	assert_string_equal(r->from_addr, "jm@example.org");
	assert_string_equal(r->from, "=?utf-8?q?J=C3=B6rg?= Smith "
	    "<jm@example.org>");
	assert_string_equal(r->to_show, "Ann");
	assert_string_equal(r->to, "Ann <ann@example.org>,\tbob@example.org");
	assert_string_equal(r->cc, "c@example.org");
	assert_string_equal(r->date, "Mon, 3 Mar 2025 10:00:00 +0100");
	assert_int_equal(r->sent, 1740992400);
	assert_string_equal(r->message_id, "<m3@example.org>");
	assert_string_equal(r->parent, "<m2@example.org>");
	imap_index_fini(&ix);
}

/* The parent: the last id of References, else of In-Reply-To. */
static void
test_parent(void **state)
{
	static const struct {
		const char	*hdr;
		const char	*parent;	/* NULL: none */
	} cases[] = {
		{ "References: <a@x> <b@x>\r\nIn-Reply-To: <c@x>\r\n\r\n",
		    "<b@x>" },
		{ "In-Reply-To: <c@x> (sent by c)\r\n\r\n", "<c@x>" },
		{ "In-Reply-To: Your mail of Monday <c@x>\r\n", "<c@x>" },
		/* References without an id: In-Reply-To */
		{ "References: junk\r\nIn-Reply-To: <c@x>\r\n\r\n", "<c@x>" },
		{ "References: <unterminated\r\nIn-Reply-To: <c@x>\r\n\r\n",
		    "<c@x>" },
		/* folded inside an id */
		{ "References: <a@x> <long\r\n .id@x>\r\n\r\n", "<long.id@x>" },
		{ "Subject: none\r\n\r\n", NULL },
		{ "References:\r\nIn-Reply-To:\r\n\r\n", NULL },
	};
	struct imap_index		 ix;
	const struct imap_index_row	*r;
	size_t				 i;

	(void)state;
	imap_index_init(&ix);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		r = fill(&ix, cases[i].hdr);
		if (cases[i].parent == NULL) {
			if (r->parent != NULL)
				fail_msg("case %zu: parent %s", i, r->parent);
		} else if (r->parent == NULL ||
		    strcmp(r->parent, cases[i].parent) != 0)
			fail_msg("case %zu: parent %s, want %s", i,
			    r->parent != NULL ? r->parent : "(none)",
			    cases[i].parent);
	}
	imap_index_fini(&ix);
}

static void
assert_empty(const struct imap_index_row *r)
{
	assert_null(r->date);
	assert_int_equal(r->sent, -1);
	assert_null(r->subject);
	assert_null(r->from);
	assert_null(r->to);
	assert_null(r->cc);
	assert_string_equal(r->from_show, "");
	assert_null(r->from_addr);
	assert_string_equal(r->to_show, "");
	assert_null(r->message_id);
	assert_null(r->parent);
}

static void
test_missing(void **state)
{
	struct imap_index	 ix;

	(void)state;
	imap_index_init(&ix);
	assert_empty(imap_index_fill(&ix, NULL, 0));
	assert_empty(fill(&ix, ""));
	assert_empty(fill(&ix, "\r\n"));
	/* Dovecot's answer when none of the fields is there */
	assert_empty(fill(&ix, "\r\n\r\n"));
	/* fields after the empty line are body, not header */
	assert_empty(fill(&ix, "\r\nSubject: body\r\n"));
	imap_index_fini(&ix);
}

static void
test_garbled(void **state)
{
	struct imap_index		 ix;
	const struct imap_index_row	*r;
	static const char		 junk[] =
	    "\x01\x02 no colon here\r\n"
	    " a continuation of nothing\r\n"
	    "Subject: caf\xe9 \x1b[31mred\r\n"
	    "Date: the day after tomorrow\r\n"
	    "From: not an address at all\r\n"
	    "To: ;;;,,,<<<\r\n"
	    "Subject: a second subject\r\n"
	    "Message-ID:\r\n"
	    "\x7f\x80\xff: binary name\r\n"
	    "From ";		/* cut off in the middle */

	(void)state;
	imap_index_init(&ix);
	r = imap_index_fill(&ix, junk, sizeof junk - 1);
	/* raw latin-1 becomes UTF-8; the first Subject counts; the escape
	 * is kept for the terminal's sanitizer (ui/render.c) to show */
	assert_string_equal(r->subject, "café \x1b[31mred");
	assert_string_equal(r->date, "the day after tomorrow");
	assert_int_equal(r->sent, -1);
	assert_string_equal(r->from, "not an address at all");
	assert_non_null(r->from_show);
	assert_string_equal(r->to, ";;;,,,<<<");
	assert_non_null(r->to_show);
	assert_string_equal(r->message_id, "");
	assert_null(r->parent);
	/* a long header block is read up to the cap, whole lines only */
	{
		struct buf	 big = BUF_INIT;

		buf_add_str(&big, "Subject: first\r\n");
		while (big.len < IMAP_INDEX_HDR_MAX)
			buf_add_str(&big, "X-Filler: 0123456789abcdef\r\n");
		buf_add_str(&big, "From: late@example.org\r\n\r\n");
		r = imap_index_fill(&ix, big.data, big.len);
		assert_string_equal(r->subject, "first");
		assert_null(r->from);
		buf_fini(&big);
	}
	imap_index_fini(&ix);
}

/* One set of buffers for many rows: each row sees only its own fields. */
static void
test_reuse(void **state)
{
	struct imap_index		 ix;
	const struct imap_index_row	*r;
	char				 h[256], want[64];
	int				 i;

	(void)state;
	imap_index_init(&ix);
	for (i = 0; i < 1000; i++) {
		if (i % 2 == 0)
			snprintf(h, sizeof h, "Subject: row %d\r\nFrom: "
			    "\"N%d\" <n%d@x>\r\nReferences: <r%d@x>\r\n\r\n",
			    i, i, i, i);
		else
			snprintf(h, sizeof h, "To: t%d@x\r\n\r\n", i);
		r = fill(&ix, h);
		if (i % 2 == 0) {
			snprintf(want, sizeof want, "row %d", i);
			assert_string_equal(r->subject, want);
			snprintf(want, sizeof want, "N%d", i);
			assert_string_equal(r->from_show, want);
			snprintf(want, sizeof want, "<r%d@x>", i);
			assert_string_equal(r->parent, want);
			assert_null(r->to);
		} else {
			assert_null(r->subject);
			assert_string_equal(r->from_show, "");
			assert_null(r->parent);
			snprintf(want, sizeof want, "t%d@x", i);
			assert_string_equal(r->to_show, want);
		}
	}
	imap_index_fini(&ix);
}

static void
test_envelope(void **state)
{
	struct imap_addr		 from[2], to[1];
	struct imap_envelope		 env;
	struct imap_index		 ix;
	const struct imap_index_row	*r;

	(void)state;
	memset(&env, 0, sizeof env);
	memset(from, 0, sizeof from);
	memset(to, 0, sizeof to);
	from[0].mailbox.p = "grp";		/* group start: no host */
	from[0].mailbox.len = 3;
	from[1].name.p = "=?utf-8?q?J=C3=B6rg?=";
	from[1].name.len = strlen(from[1].name.p);
	from[1].mailbox.p = "jm";
	from[1].mailbox.len = 2;
	from[1].host.p = "example.org";
	from[1].host.len = 11;
	to[0].mailbox.p = "ann";
	to[0].mailbox.len = 3;
	to[0].host.p = "x";
	to[0].host.len = 1;
	env.from.v = from;
	env.from.n = 2;
	env.to.v = to;
	env.to.n = 1;
	env.subject.p = "=?utf-8?b?S8O2bG4=?=";
	env.subject.len = strlen(env.subject.p);
	env.date.p = "Mon, 3 Mar 2025 10:00:00 +0100";
	env.date.len = strlen(env.date.p);
	env.in_reply_to.p = "<a@x> <b@x>";
	env.in_reply_to.len = strlen(env.in_reply_to.p);
	imap_index_init(&ix);
	r = imap_index_fill_env(&ix, &env);
	assert_string_equal(r->subject, "Köln");
	assert_string_equal(r->from_show, "Jörg");
	assert_string_equal(r->from_addr, "jm@example.org");
	assert_string_equal(r->from, "=?utf-8?q?J=C3=B6rg?= <jm@example.org>");
	assert_string_equal(r->to_show, "ann@x");
	assert_int_equal(r->sent, 1740992400);
	assert_string_equal(r->parent, "<b@x>");
	assert_null(r->message_id);
	imap_index_fini(&ix);
}

/*
 * The first address the row shows must be the one the full parser finds:
 * the row parses only up to the first comma when that is safe.
 */
static void
check_first(struct imap_index *ix, const char *v, size_t len,
    const char *where)
{
	const struct imap_index_row	*r;
	struct addr_list		 l;
	struct buf			 h = BUF_INIT;
	const char			*show = "", *addr = NULL;
	size_t				 i;

	memset(&l, 0, sizeof l);
	(void)addr_list_parse(&l, v, len, NULL);
	for (i = 0; i < l.n; i++)
		if (l.v[i].addr[0] != '\0') {
			addr = l.v[i].addr;
			show = l.v[i].name != NULL && l.v[i].name[0] != '\0' ?
			    l.v[i].name : addr;
			break;
		}
	buf_add_str(&h, "From: ");
	buf_add(&h, v, len);
	buf_add_str(&h, "\r\n\r\n");
	r = imap_index_fill(ix, h.data, h.len);
	if (strcmp(r->from_show, show) != 0 || (addr == NULL) !=
	    (r->from_addr == NULL) || (addr != NULL &&
	    strcmp(addr, r->from_addr) != 0))
		fail_msg("%s: \"%.*s\": got %s / %s, want %s / %s", where,
		    (int)len, v, r->from_show, r->from_addr != NULL ?
		    r->from_addr : "(none)", show, addr != NULL ? addr :
		    "(none)");
	addr_list_fini(&l);
	buf_fini(&h);
}

static void
test_first_address(void **state)
{
	static const char *const lists[] = {
		"a@b, c@d",
		"Ann <a@b>, Bob <c@d>",
		"\"Doe, John\" <j@x>, b@c",
		"a@b (Comment, with comma), c@d",
		"Group: a@b, c@d;, e@f",
		"undisclosed-recipients:;, x@y",
		"=?utf-8?q?Doe,_J?= <x@y>, z@w",
		", , a@b",
		",",
		"<a@b>, <c@d>",
		"a.b@c.d,e@f",
		"Ann\r\n <a@b>,\r\n\tBob <c@d>",
		"[weird, domain] <a@b>, c@d",
		"a\\,b@c, d@e",
		"<@route,@other:a@b>, c@d",
		"no address here, a@b",
		"a@b <c@d, e@f>",
		"Ann <a@b> junk, c@d",
		"a@b c@d, e@f",
		"<a@b> <c@d>, e@f",
		"<,a@b>, c@d",
		"<a@b, c@d",
		"Ann <>, c@d",
		"@, a@b",
		"Ann;, c@d",
		/* the forms read without the address parser */
		"  a@b  ",
		"Ann  Lee\r\n <a@b>",
		"=?utf-8?q?=C3=A9?= <a@b>",
		"=?utf-8?q?x?= =?utf-8?q?y?=\r\n\t<a@b>, c@d",
		"J. R. Doe <a@b>",
		". <a@b>",
		"=?utf-8?q?_?= <a@b>",
		"=?utf-8?q?_a_?= <a@b>",
		"=?bogus?x?y?= <a@b>",
		"Ann <a@b@c>",
		"a@b@c",
		"a@",
		"@b",
		"Ann <a b@c>",
		"a..b@c",
		"Ann <a@b>>",
		"Ann <<a@b>",
		"Ann <a@b",
		"Ann",
		"Ann Lee",
		"a.b",
		"Caf\xc3\xa9 <a@b>",
		"Caf\xe9 <a@b>",
		"Ann\x01 <a@b>",
	};
	struct imap_index	 ix;
	size_t			 i;

	(void)state;
	imap_index_init(&ix);
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
		check_first(&ix, lists[i], strlen(lists[i]), "table");
	imap_index_fini(&ix);
}

/* Random lists of the characters that matter, against the full parser. */
static void
test_first_address_random(void **state)
{
	static const char *const bits[] = {
		"a", "b", "@", "<", ">", " ", "\r\n ", ".", ",", "\"", "(",
		")", ":", ";", "\\", "[", "]", "=?utf-8?q?", "?=", "_", "=C3",
		"=A9", "\xe9", "x@y", "Ann ", "<a@b>", "\t", "Bo  Li ",
		"Al\tMa ",
	};
	struct imap_index	 ix;
	char			 v[64];
	size_t			 i, n, len;
	uint32_t		 seed = 12345;

	(void)state;
	imap_index_init(&ix);
	for (i = 0; i < 20000; i++) {
		len = 0;
		for (n = 0; n < 1 + i % 9; n++) {
			const char	*b;

			seed = seed * 1103515245 + 12345;
			b = bits[(seed >> 16) % (sizeof bits / sizeof bits[0])];
			if (len + strlen(b) >= sizeof v)
				break;
			memcpy(v + len, b, strlen(b));
			len += strlen(b);
		}
		check_first(&ix, v, len, "random");
	}
	imap_index_fini(&ix);
}

/* Every From, To and Cc of the shared corpus, as check_first. */
static void
test_first_address_corpus(void **state)
{
	static const char *const names[] = { "From", "To", "Cc" };
	struct imap_index		 ix;
	struct rfc5322_hdr		 h;
	const struct rfc5322_field	*f;
	const char			*dir;
	char				 path[8192 + 4200], line[8192];
	char				*tab, *msg;
	FILE				*mf;
	size_t				 n, i, checked = 0;

	(void)state;
	if ((dir = test_corpus_dir()) == NULL) {
		print_message("# corpus not found (set PONS_CORPUS); "
		    "not checked\n");
		return;
	}
	snprintf(path, sizeof path, "%s/MANIFEST.tsv", dir);
	assert_non_null(mf = fopen(path, "r"));
	imap_index_init(&ix);
	while (fgets(line, sizeof line, mf) != NULL) {
		if ((tab = strchr(line, '\t')) == NULL ||
		    strncmp(line, "file\t", 5) == 0)
			continue;
		*tab = '\0';
		snprintf(path, sizeof path, "%s/%s", dir, line);
		if ((msg = test_corpus_slurp(path, &n)) == NULL)
			continue;
		rfc5322_hdr_parse(&h, msg, n, NULL, NULL);
		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			for (f = NULL; (f = rfc5322_hdr_get(&h, names[i],
			    f)) != NULL; checked++)
				check_first(&ix, f->value, f->valuelen, line);
		rfc5322_hdr_fini(&h);
		free(msg);
	}
	fclose(mf);
	imap_index_fini(&ix);
	assert_true(checked > 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typical),
		cmocka_unit_test(test_parent),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_garbled),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_first_address),
		cmocka_unit_test(test_first_address_random),
		cmocka_unit_test(test_first_address_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
