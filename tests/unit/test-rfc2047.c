/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for msg/rfc2047 (encoded words) and msg/rfc2231 (MIME
 * parameters): tables of well-formed and broken input.
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

#include "msg/charset.h"
#include "msg/rfc2047.h"
#include "msg/rfc2231.h"
#include "util/buf.h"

static const struct {
	const char	*in;
	const char	*charset;
	const char	*want;
} words[] = {
	/* RFC 2047 section 8 examples */
	{ "(=?ISO-8859-1?Q?a?=)", NULL, "(a)" },
	{ "(=?ISO-8859-1?Q?a?= b)", NULL, "(a b)" },
	{ "(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", NULL, "(ab)" },
	{ "(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", NULL, "(ab)" },
	{ "(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", NULL, "(ab)" },
	{ "(=?ISO-8859-1?Q?a_b?=)", NULL, "(a b)" },
	{ "(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", NULL, "(a b)" },
	{ "=?US-ASCII?Q?Keith_Moore?=", NULL, "Keith Moore" },
	{ "=?ISO-8859-1?Q?Andr=E9?= Pirard", NULL, "Andr\xc3\xa9 Pirard" },
	{ "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=", NULL,
	    "If you can read this yo" },
	/* B and Q, case-insensitive, charsets through charset.c */
	{ "=?utf-8?b?w6k=?=", NULL, "\xc3\xa9" },
	{ "=?UTF-8?Q?caf=c3=a9?=", NULL, "caf\xc3\xa9" },
	{ "=?koi8-r?B?8NLJ18XU?=", NULL,
	    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82" },
	{ "=?iso-2022-jp?B?GyRCJF4kXyRgJGEkYhsoQg==?=", NULL,
	    "\xe3\x81\xbe\xe3\x81\xbf\xe3\x82\x80\xe3\x82\x81\xe3\x82\x82" },
	/* RFC 2231 section 5: language suffix */
	{ "=?US-ASCII*EN?Q?Keith_Moore?=", NULL, "Keith Moore" },
	/* a character split between two words (same charset) */
	{ "=?utf-8?Q?caf=C3?= =?utf-8?Q?=A9?=", NULL, "caf\xc3\xa9" },
	{ "=?utf-8?B?4oI=?= =?UTF-8?B?rA==?=", NULL, "\xe2\x82\xac" },
	/* mistakes readers expect to work */
	{ "Re:=?utf-8?Q?x?=", NULL, "Re:x" },
	{ "=?utf-8?Q?x?=tail", NULL, "xtail" },
	{ "\"=?utf-8?Q?J=C3=BCrgen?=\" <j@x>", NULL,
	    "\"J\xc3\xbcrgen\" <j@x>" },
	{ "=?utf-8?Q?a?b?=", NULL, "a?b" },
	{ "=?utf-8?Q?\?=", NULL, "" },
	{ "=?bogus?Q?caf=E9?=", NULL, "caf\xc3\xa9" },
	/* malformed words stay as written */
	{ "=?utf-8?X?abc?=", NULL, "=?utf-8?X?abc?=" },
	{ "=?utf-8?Q?no end", NULL, "=?utf-8?Q?no end" },
	{ "=?\?Q?x?=", NULL, "=?\?Q?x?=" },
	{ "=?utf-8?Q?sp ace?=", NULL, "=?utf-8?Q?sp ace?=" },
	{ "a =?", NULL, "a =?" },
	{ "=?*en?Q?x?=", NULL, "=?*en?Q?x?=" },
	/* white space between a word and text is kept */
	{ "=?utf-8?Q?a?= b =?utf-8?Q?c?=", NULL, "a b c" },
	/* raw 8-bit text: UTF-8 if valid, else the given charset */
	{ "caf\xc3\xa9", NULL, "caf\xc3\xa9" },
	{ "caf\xe9", NULL, "caf\xc3\xa9" },
	{ "\xf0\xd2\xc9 =?utf-8?Q?x?=", "koi8-r",
	    "\xd0\x9f\xd1\x80\xd0\xb8 x" },
	{ "", NULL, "" },
};

static void
test_words(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		buf_reset(&b);
		(void)rfc2047_decode(words[i].in, strlen(words[i].in),
		    words[i].charset, &b);
		if (strcmp(buf_str(&b), words[i].want) != 0)
			fail_msg("case %zu [%s]: got [%s]", i, words[i].in,
			    buf_str(&b));
	}
	buf_fini(&b);
}

/* The flags say when a charset was guessed or bytes were replaced. */
static void
test_word_flags(void **state)
{
	struct buf	 b = BUF_INIT;

	assert_int_equal(rfc2047_decode("=?utf-8?Q?ok?=", 14, NULL, &b), 0);
	buf_reset(&b);
	assert_int_equal(rfc2047_decode("=?bogus?Q?caf=E9?=", 18, NULL, &b),
	    CHARSET_FALLBACK | CHARSET_UNKNOWN);
	buf_reset(&b);
	assert_int_equal(rfc2047_decode("=?utf-8?Q?=FF?=", 15, NULL, &b),
	    CHARSET_REPLACED);
	assert_string_equal(buf_str(&b), "\xef\xbf\xbd");
	buf_reset(&b);
	assert_int_equal(rfc2047_decode("caf\xe9", 4, NULL, &b),
	    CHARSET_FALLBACK);
	buf_fini(&b);
}

/*
 * Runs labelled utf-8 are decoded in place and checked afterwards: what
 * is not valid UTF-8, or starts with a byte order mark, still comes out
 * as charset.c makes it, with text before and after left alone.
 */
static void
test_utf8_runs(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;
		unsigned int	 flags;
	} cases[] = {
		{ "pre =?utf-8?b?77u/YWJj?= post", "pre abc post", 0 },
		{ "=?utf-8?q?a=FFb?= =?UTF-8?q?c?=", "a\xef\xbf\xbd" "bc",
		    CHARSET_REPLACED },
		{ "=?utf-8?q?=FE=FF=00A?=x", "Ax", 0 },
		{ "=?utf-8?q?=FF=FE?= =?utf-8?q?A=00?=", "A", 0 },
		{ "=?utf-8?q?=E2=82?= =?utf-8?q?=AC?= =?utf-8?q?=E2?=",
		    "\xe2\x82\xac\xef\xbf\xbd", CHARSET_REPLACED },
		{ "=?utf-8?q?=C3?= =?iso-8859-1?q?=E9?= =?utf-8?q?=A9?=",
		    "\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd", CHARSET_REPLACED },
		{ "x =?Utf-8?B?w6k=?= y =?utf8?B?w6k=?=",
		    "x \xc3\xa9 y \xc3\xa9", 0 },
		{ "=?utf-8*en?q?=C3=A9?=", "\xc3\xa9", 0 },
	};
	struct buf	 b = BUF_INIT;
	unsigned int	 f;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		buf_add_str(&b, "kept:");
		f = rfc2047_decode(cases[i].in, strlen(cases[i].in), NULL,
		    &b);
		if (strncmp(buf_str(&b), "kept:", 5) != 0 ||
		    strcmp(buf_str(&b) + 5, cases[i].want) != 0 ||
		    f != cases[i].flags)
			fail_msg("case %zu [%s]: got [%s] flags %u", i,
			    cases[i].in, buf_str(&b), f);
	}
	buf_fini(&b);
}

/* A word longer than the limit is left alone; no crash, no huge output. */
/*
 * An empty UTF-8 word first, into a buffer that holds nothing yet: no
 * arithmetic on its NULL data (clang's UBSan stops at it).
 */
static void
test_empty_word_first(void **state)
{
	static const char *const in[] = { "=?utf-8?Q?\?=", "=?utf-8?B?\?= x" };
	static const char *const want[] = { "", " x" };
	struct buf	 b;
	size_t		 i;

	for (i = 0; i < 2; i++) {
		buf_init(&b);
		assert_int_equal(rfc2047_decode(in[i], strlen(in[i]), NULL,
		    &b), 0);
		assert_string_equal(buf_str(&b), want[i]);
		buf_fini(&b);
	}
}

static void
test_word_limit(void **state)
{
	struct buf	 in = BUF_INIT, out = BUF_INIT;
	size_t		 i;

	buf_add_str(&in, "=?utf-8?Q?");
	for (i = 0; i < RFC2047_WORD_MAX + 10; i++)
		buf_add_byte(&in, 'a');
	buf_add_str(&in, "?=");
	(void)rfc2047_decode(in.data, in.len, NULL, &out);
	assert_int_equal(out.len, in.len);
	buf_fini(&in);
	buf_fini(&out);
}

struct pcase {
	const char	*in;
	const char	*value;
	const char	*pairs[8];	/* name, value, ..., NULL */
};

static const struct pcase params[] = {
	{ "text/plain; charset=us-ascii", "text/plain",
	    { "charset", "us-ascii", NULL } },
	{ "Text/HTML; Charset=\"UTF-8\"", "text/html",
	    { "charset", "UTF-8", NULL } },
	{ "text/plain; charset=\"us-ascii\" (Plain text)", "text/plain",
	    { "charset", "us-ascii", NULL } },
	{ "multipart/mixed;\r\n boundary=\"--=_x\\\"y\"", "multipart/mixed",
	    { "boundary", "--=_x\"y", NULL } },
	/* RFC 2231 section 3: continuations */
	{ "message/external-body; access-type=URL;\r\n"
	    " URL*0=\"ftp://\";\r\n URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/"
	    "bulk-mailer.tar\"", "message/external-body",
	    { "access-type", "URL", "url",
	    "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar", NULL } },
	/* section 4: charset and language */
	{ "application/x-stuff;\r\n title*=us-ascii'en-us'This%20is%20"
	    "%2A%2A%2Afun%2A%2A%2A", "application/x-stuff",
	    { "title", "This is ***fun***", NULL } },
	/* section 4.1: both together */
	{ "application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20"
	    "more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"",
	    "application/x-stuff",
	    { "title", "This is even more ***fun*** isn't it!", NULL } },
	{ "attachment; filename*=UTF-8''%E2%82%AC%20rates.txt", "attachment",
	    { "filename", "\xe2\x82\xac rates.txt", NULL } },
	{ "attachment; filename*=iso-8859-1''caf%E9", "attachment",
	    { "filename", "caf\xc3\xa9", NULL } },
	/* lenient: pieces out of order, a gap, a duplicate */
	{ "a; n*2=c; n*0=a; n*1=b; n*1=X", "a", { "n", "abc", NULL } },
	{ "a; n*0=a; n*3=d", "a", { "n", "ad", NULL } },
	/* a multibyte character split between pieces */
	{ "a; f*0*=utf-8''%E2%82; f*1*=%AC", "a",
	    { "f", "\xe2\x82\xac", NULL } },
	/* RFC 2047 in a quoted file name (common mistake) */
	{ "attachment; filename=\"=?utf-8?B?w6kudHh0?=\"", "attachment",
	    { "filename", "\xc3\xa9.txt", NULL } },
	/* the RFC 2231 form beats a plain one; first duplicate wins */
	{ "a; name=\"plain.txt\"; name*=utf-8''ext.txt; size=1; SIZE=2", "a",
	    { "name", "ext.txt", "size", "1", NULL } },
	/* unquoted value with spaces, missing ';', stray ';' */
	{ "attachment; filename=my file.pdf;; x=1", "attachment",
	    { "filename", "my file.pdf", "x", "1", NULL } },
	{ "text/plain charset=utf-8", "text/plain",
	    { "charset", "utf-8", NULL } },
	/* raw 8-bit in a value */
	{ "attachment; filename=\"caf\xe9.txt\"", "attachment",
	    { "filename", "caf\xc3\xa9.txt", NULL } },
	/* no leading value, garbage, unterminated quote */
	{ "filename=x", "", { "filename", "x", NULL } },
	{ "text/plain; ; =; novalue; \"q\"=1; b=\"unterminated", "text/plain",
	    { "b", "unterminated", NULL } },
	{ "", "", { NULL } },
	/* extended value without quotes: taken as percent-encoded */
	{ "a; f*=%41%4", "a", { "f", "A%4", NULL } },
};

static void
test_params(void **state)
{
	struct rfc2231_params	 ps;
	size_t			 i, k, n;

	for (i = 0; i < sizeof params / sizeof params[0]; i++) {
		rfc2231_parse(&ps, params[i].in, strlen(params[i].in), NULL);
		if (strcmp(ps.value, params[i].value) != 0)
			fail_msg("case %zu: value [%s]", i, ps.value);
		for (n = 0; params[i].pairs[2 * n] != NULL; n++)
			;
		if (ps.n != n)
			fail_msg("case %zu: %zu params, want %zu", i, ps.n, n);
		for (k = 0; k < n; k++) {
			const char *got = rfc2231_get(&ps,
			    params[i].pairs[2 * k]);
			if (got == NULL || strcmp(got,
			    params[i].pairs[2 * k + 1]) != 0)
				fail_msg("case %zu: %s=[%s]", i,
				    params[i].pairs[2 * k], got ? got : "NULL");
		}
		rfc2231_params_fini(&ps);
	}
	rfc2231_params_fini(NULL);
}

/* Limits: many parameters and many pieces are cut, not fatal. */
static void
test_param_limits(void **state)
{
	struct rfc2231_params	 ps;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	buf_add_str(&b, "text/plain");
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "; p%zu=v", i);
	rfc2231_parse(&ps, b.data, b.len, NULL);
	assert_int_equal(ps.n, RFC2231_PARAMS_MAX);
	rfc2231_params_fini(&ps);
	buf_reset(&b);
	buf_add_str(&b, "a");
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "; f*%zu=x", i);
	rfc2231_parse(&ps, b.data, b.len, NULL);
	assert_int_equal(ps.n, 1);
	assert_int_equal(strlen(rfc2231_get(&ps, "f")), RFC2231_PIECES_MAX);
	rfc2231_params_fini(&ps);
	buf_fini(&b);
}

static int
teardown(void **state)
{
	charset_cache_clear();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_word_flags),
		cmocka_unit_test(test_utf8_runs),
		cmocka_unit_test(test_empty_word_first),
		cmocka_unit_test(test_word_limit),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_param_limits),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
