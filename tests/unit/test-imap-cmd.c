/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for IMAP command formatting and modified UTF-7: quoting
 * decisions, literal modes, sequence-set compression, and tables of valid
 * and invalid mailbox names.
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

#include "imap/imap-cmd.h"
#include "imap/imap-parse.h"
#include "imap/imap-utf7.h"
#include "util/buf.h"
#include "util/err.h"

static const struct {
	const char	*utf8;
	const char	*utf7;
} utf7_good[] = {
	{ "INBOX", "INBOX" },
	{ "", "" },
	{ "a&b", "a&-b" },
	{ "&", "&-" },
	{ "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac"
	  "\xe8\xaa\x9e", "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
	{ "Entw\xc3\xbc" "rfe", "Entw&APw-rfe" },
	{ "Gel\xc3\xb6schte Elemente", "Gel&APY-schte Elemente" },
	{ "\xf0\x9f\x93\xa7 mail", "&2D3c5w- mail" },
	{ "\xc3\xa9\xc3\xa9\xc3\xa9", "&AOkA6QDp-" },
	{ "x/y", "x/y" },
};

static const char *const utf7_bad[] = {
	"&",			/* unterminated */
	"&AGE",			/* unterminated */
	"&AGE-",		/* "a" must be sent directly */
	"&2D3-",		/* lone high surrogate */
	"&3-c-",		/* bad base64 length / low surrogate */
	"&APx-",		/* non-zero padding bits */
	"&A,-",			/* leftover of 12 bits */
	"a\001b",		/* control byte */
	"caf\xc3\xa9",		/* 8-bit byte */
	"&!!-",			/* not base64 */
	"&APw/-",		/* "/" is not modified base64 */
};

static void
test_utf7_tables(void **state)
{
	struct buf	 b = BUF_INIT;
	struct err	 e;
	size_t		 i;

	for (i = 0; i < sizeof utf7_good / sizeof utf7_good[0]; i++) {
		buf_reset(&b);
		if (imap_utf7_encode(utf7_good[i].utf8,
		    strlen(utf7_good[i].utf8), &b, &e) != 0)
			fail_msg("encode %zu: %s", i, e.msg);
		assert_string_equal(buf_str(&b), utf7_good[i].utf7);
		buf_reset(&b);
		if (imap_utf7_decode(utf7_good[i].utf7,
		    strlen(utf7_good[i].utf7), &b, &e) != 0)
			fail_msg("decode %zu: %s", i, e.msg);
		assert_string_equal(buf_str(&b), utf7_good[i].utf8);
	}
	for (i = 0; i < sizeof utf7_bad / sizeof utf7_bad[0]; i++) {
		buf_reset(&b);
		buf_add_str(&b, "keep");
		if (imap_utf7_decode(utf7_bad[i], strlen(utf7_bad[i]), &b,
		    &e) != -1)
			fail_msg("decoded bad name \"%s\" as \"%s\"",
			    utf7_bad[i], buf_str(&b));
		assert_int_equal(e.cls, ERR_PROTO);
		assert_string_equal(buf_str(&b), "keep");
	}
	/* invalid UTF-8 is refused on the way out */
	buf_reset(&b);
	assert_int_equal(imap_utf7_encode("a\xc3", 2, &b, &e), -1);
	assert_int_equal(imap_utf7_encode("\xed\xa0\x80", 3, &b, &e), -1);
	assert_int_equal(imap_utf7_encode("\xc0\xaf", 2, &b, &e), -1);
	assert_int_equal(imap_utf7_encode("a\0b", 3, &b, &e), -1);
	assert_int_equal(b.len, 0);
	buf_fini(&b);
}

static void
test_cmd_quoting(void **state)
{
	struct imap_cmd	 c;
	struct err	 e;

	imap_cmd_init(&c, "a1", IMAP_LIT_SYNC, false);
	imap_cmd_add(&c, "LOGIN ");
	imap_cmd_astring(&c, "joe", 3);
	imap_cmd_add(&c, " ");
	imap_cmd_astring(&c, "p\"w \\x", 6);
	imap_cmd_end(&c);
	assert_string_equal(buf_str(&c.b), "a1 LOGIN joe \"p\\\"w \\\\x\"\r\n");
	assert_int_equal(c.nwaits, 0);
	imap_cmd_fini(&c);

	/* NIL, empty and specials are never atoms */
	imap_cmd_init(&c, "a2", IMAP_LIT_SYNC, false);
	imap_cmd_astring(&c, "NIL", 3);
	imap_cmd_add(&c, " ");
	imap_cmd_astring(&c, "", 0);
	imap_cmd_add(&c, " ");
	imap_cmd_astring(&c, "a]b", 3);
	imap_cmd_add(&c, " ");
	imap_cmd_astring(&c, "*", 1);
	assert_string_equal(buf_str(&c.b), "a2 \"NIL\" \"\" \"a]b\" \"*\"");
	imap_cmd_fini(&c);

	/* CR/LF need a literal; synchronizing: the sender waits after {n} */
	imap_cmd_init(&c, "a3", IMAP_LIT_SYNC, false);
	imap_cmd_add(&c, "LOGIN u ");
	imap_cmd_astring(&c, "x\r\ny", 4);
	imap_cmd_end(&c);
	assert_string_equal(buf_str(&c.b), "a3 LOGIN u {4}\r\nx\r\ny\r\n");
	assert_int_equal(c.nwaits, 1);
	assert_int_equal(c.waits[0], strlen("a3 LOGIN u {4}\r\n"));
	imap_cmd_fini(&c);

	imap_cmd_init(&c, "a4", IMAP_LIT_PLUS, false);
	imap_cmd_literal(&c, "abc", 3);
	assert_string_equal(buf_str(&c.b), "a4 {3+}\r\nabc");
	assert_int_equal(c.nwaits, 0);
	imap_cmd_fini(&c);

	/* LITERAL-: non-synchronizing only up to 4096 bytes */
	{
		static char	 big[IMAP_LITERAL_MINUS_MAX + 1];

		memset(big, 'x', sizeof big);
		imap_cmd_init(&c, "a5", IMAP_LIT_MINUS, false);
		imap_cmd_literal(&c, big, IMAP_LITERAL_MINUS_MAX);
		assert_int_equal(c.nwaits, 0);
		imap_cmd_literal(&c, big, sizeof big);
		assert_int_equal(c.nwaits, 1);
		assert_non_null(strstr(buf_str(&c.b), "{4097}\r\n"));
		assert_non_null(strstr(buf_str(&c.b), "{4096+}\r\n"));
		imap_cmd_fini(&c);
	}

	/* mailbox names: modified UTF-7, or UTF-8 under UTF8=ACCEPT */
	imap_cmd_init(&c, "a6", IMAP_LIT_SYNC, false);
	imap_cmd_add(&c, "SELECT ");
	assert_int_equal(imap_cmd_mailbox(&c, "Entw\xc3\xbc" "rfe", 9, &e), 0);
	imap_cmd_add(&c, " ");
	assert_int_equal(imap_cmd_mailbox(&c, "Sent Items", 10, &e), 0);
	assert_int_equal(imap_cmd_mailbox(&c, "\xff", 1, &e), -1);
	assert_string_equal(buf_str(&c.b), "a6 SELECT Entw&APw-rfe "
	    "\"Sent Items\"");
	imap_cmd_fini(&c);

	imap_cmd_init(&c, "a7", IMAP_LIT_SYNC, true);
	imap_cmd_add(&c, "SELECT ");
	assert_int_equal(imap_cmd_mailbox(&c, "Entw\xc3\xbc" "rfe", 9, &e), 0);
	assert_string_equal(buf_str(&c.b), "a7 SELECT \"Entw\xc3\xbc" "rfe\"");
	imap_cmd_fini(&c);
}

static void
test_seqset_format(void **state)
{
	static const struct {
		uint32_t	 uids[12];
		size_t		 n;
		const char	*want;
	} cases[] = {
		{ { 1, 2, 3, 7, 9, 10 }, 6, "1:3,7,9:10" },
		{ { 10, 9, 3, 1, 2, 7 }, 6, "1:3,7,9:10" },
		{ { 5, 5, 5 }, 3, "5" },
		{ { 0, 0 }, 2, "" },
		{ { 4294967294u, 4294967295u }, 2, "4294967294:*" },
		{ { 1, 3, 5 }, 3, "1,3,5" },
		{ { 1, 2, 3, 9, 4 }, 5, "1:4,9" },	/* unsorted last */
		{ { 2, 1 }, 2, "1:2" },
		{ { 0 }, 0, "" },
	};
	struct imap_range	 r[2] = { { 1, UINT32_MAX }, { 7, 7 } };
	struct buf		 b = BUF_INIT;
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		imap_seqset_format(&b, cases[i].uids, cases[i].n);
		assert_string_equal(buf_str(&b), cases[i].want);
	}
	buf_reset(&b);
	imap_ranges_format(&b, r, 2);
	assert_string_equal(buf_str(&b), "1:*,7");
	buf_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf7_tables),
		cmocka_unit_test(test_cmd_quoting),
		cmocka_unit_test(test_seqset_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
