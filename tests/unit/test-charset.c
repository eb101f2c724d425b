/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for msg/charset: label mapping, conversion through iconv and
 * the built-in decoders, replacement of bad bytes, fallback flags.
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
#include "util/buf.h"

static void
test_canon(void **state)
{
	static const struct {
		const char	*label;
		const char	*want;	/* NULL: unknown */
	} t[] = {
		{ "utf-8", "UTF-8" }, { "UTF8", "UTF-8" },
		{ " \"utf-8\" ", "UTF-8" },
		{ "latin1", "WINDOWS-1252" }, { "ISO-8859-1", "WINDOWS-1252" },
		{ "us-ascii", "US-ASCII" }, { "ascii", "US-ASCII" },
		{ "iso-8859-9", "WINDOWS-1254" }, { "tis-620", "CP874" },
		{ "gb2312", "GB18030" }, { "GBK", "GB18030" },
		{ "x-gbk", "GB18030" }, { "ks_c_5601-1987", "CP949" },
		{ "euc-kr", "CP949" }, { "unicode-1-1-utf-7", "UTF-7" },
		{ "shift_jis", "CP932" }, { "iso-8859-15", "ISO-8859-15" },
		{ "x-user-defined", "x-user-defined" },
		{ "koi8-r", "KOI8-R" }, { "big5", "BIG5-HKSCS" },
		/* not in the table, known to iconv */
		{ "cp850", "CP850" }, { "IBM437", "IBM437" },
		/* unknown or meaningless */
		{ "x-unknown", NULL }, { "unknown-8bit", NULL },
		{ "no-such-charset", NULL }, { "", NULL },
		{ "utf-8//TRANSLIT", NULL }, { "char", NULL },
	};
	size_t		 i;
	const char	*got;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		got = charset_canon(t[i].label, strlen(t[i].label));
		if (t[i].want == NULL ? got != NULL : got == NULL ||
		    strcmp(got, t[i].want) != 0)
			fail_msg("%s: got %s", t[i].label, got ? got : "NULL");
	}
	assert_true(charset_is_utf8("UTF-8", 5));
	assert_false(charset_is_utf8("latin1", 6));
}

struct conv {
	const char	*label;
	const char	*in;
	size_t		 inlen;		/* 0: strlen */
	const char	*assumed;
	const char	*want;
	unsigned int	 flags;
	size_t		 wantlen;	/* 0: strlen */
};

static const struct conv convs[] = {
	{ "utf-8", "caf\xc3\xa9", 0, NULL, "caf\xc3\xa9", 0 },
	{ "iso-8859-1", "caf\xe9", 0, NULL, "caf\xc3\xa9", 0 },
	/* WHATWG: latin1 is windows-1252, so 0x80 is the euro sign */
	{ "iso-8859-1", "\x80", 0, NULL, "\xe2\x82\xac", 0 },
	{ "us-ascii", "\x93q\x94", 0, NULL, "\xe2\x80\x9cq\xe2\x80\x9d", 0 },
	/* 8-bit under an ASCII label: UTF-8 when it is valid UTF-8 */
	{ "us-ascii", "caf\xc3\xa9", 0, NULL, "caf\xc3\xa9", CHARSET_FALLBACK },
	{ "iso-8859-15", "\xa4", 0, NULL, "\xe2\x82\xac", 0 },
	{ "koi8-r", "\xf0\xd2\xc9", 0, NULL, "\xd0\x9f\xd1\x80\xd0\xb8", 0 },
	{ "gb2312", "\xc4\xe3\xba\xc3", 0, NULL, "\xe4\xbd\xa0\xe5\xa5\xbd",
	    0 },
	{ "ks_c_5601-1987", "\xc7\xd1", 0, NULL, "\xed\x95\x9c", 0 },
	{ "shift_jis", "\x82\xa0", 0, NULL, "\xe3\x81\x82", 0 },
	{ "iso-2022-jp", "\x1b$B$\"\x1b(B", 0, NULL, "\xe3\x81\x82", 0 },
	{ "utf-7", "+AOk-t", 0, NULL, "\xc3\xa9t", 0 },
	{ "utf-16be", "\0A\0\xe9", 4, NULL, "A\xc3\xa9", 0 },
	{ "x-user-defined", "a\x80\xff", 0, NULL,
	    "a\xef\x9e\x80\xef\x9f\xbf", 0 },
	/* invalid sequences become U+FFFD, decoding goes on */
	{ "utf-8", "a\xffz", 0, NULL, "a\xef\xbf\xbdz", CHARSET_REPLACED },
	{ "utf-8", "a\xe2\x82z", 0, NULL, "a\xef\xbf\xbdz", CHARSET_REPLACED },
	{ "utf-8", "\xc0\xaf", 0, NULL, "\xef\xbf\xbd\xef\xbf\xbd",
	    CHARSET_REPLACED },				/* overlong */
	{ "utf-8", "\xed\xa0\x80", 0, NULL,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", CHARSET_REPLACED },
	{ "shift_jis", "a\x82", 0, NULL, "a\xef\xbf\xbd", CHARSET_REPLACED },
	{ "gb2312", "\xff\xff" "ok", 0, NULL, NULL, CHARSET_REPLACED },
	/* unknown or missing labels */
	{ NULL, "plain", 0, NULL, "plain", 0 },
	{ NULL, "caf\xc3\xa9", 0, NULL, "caf\xc3\xa9", CHARSET_FALLBACK },
	{ NULL, "caf\xe9", 0, NULL, "caf\xc3\xa9", CHARSET_FALLBACK },
	{ NULL, "\xf0\xd2\xc9", 0, "koi8-r", "\xd0\x9f\xd1\x80\xd0\xb8",
	    CHARSET_FALLBACK },
	{ "x-unknown", "caf\xe9", 0, NULL, "caf\xc3\xa9", CHARSET_FALLBACK },
	{ "bogus", "caf\xc3\xa9", 0, NULL, "caf\xc3\xa9",
	    CHARSET_FALLBACK | CHARSET_UNKNOWN },
	{ "bogus", "abc", 0, NULL, "abc", CHARSET_UNKNOWN },
	/* mostly UTF-8 with one bad byte stays UTF-8 */
	{ NULL, "\xd0\xae\xd0\xbd\xd0\xb8\xf1", 0, NULL,
	    "\xd0\xae\xd0\xbd\xd0\xb8\xef\xbf\xbd",
	    CHARSET_FALLBACK | CHARSET_REPLACED },
	/* a byte order mark beats the label, and is dropped */
	{ "iso-8859-1", "\xef\xbb\xbf" "caf\xc3\xa9", 0, NULL, "caf\xc3\xa9",
	    0 },
	{ NULL, "\xff\xfe" "A\0", 4, NULL, "A", 0 },
	{ "utf-8", "\xfe\xff" "\0A", 4, NULL, "A", 0 },
	/* NUL bytes are kept */
	{ "utf-8", "a\0b", 3, NULL, "a\0b", 0, 3 },
	/* UTF-8 labels in any case and form, and near misses */
	{ "UtF-8", "a\xffz", 0, NULL, "a\xef\xbf\xbdz", CHARSET_REPLACED },
	{ "UTF-8", "caf\xc3\xa9", 0, NULL, "caf\xc3\xa9", 0 },
	{ " \"utf-8\"", "caf\xc3\xa9", 0, NULL, "caf\xc3\xa9", 0 },
	{ "utf_8", "caf\xe9", 0, NULL, "caf\xc3\xa9",
	    CHARSET_FALLBACK | CHARSET_UNKNOWN },
	{ "utf-9", "caf\xe9", 0, NULL, "caf\xc3\xa9",
	    CHARSET_FALLBACK | CHARSET_UNKNOWN },
	{ "vtf-8", "abc", 0, NULL, "abc", CHARSET_UNKNOWN },
};

static void
test_convert(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, inlen, wl;
	unsigned int	 f;

	for (i = 0; i < sizeof convs / sizeof convs[0]; i++) {
		buf_reset(&b);
		inlen = convs[i].inlen ? convs[i].inlen : strlen(convs[i].in);
		f = charset_to_utf8(convs[i].label, convs[i].label ?
		    strlen(convs[i].label) : 0, convs[i].in, inlen,
		    convs[i].assumed, &b);
		if (f != convs[i].flags)
			fail_msg("case %zu: flags %u, want %u", i, f,
			    convs[i].flags);
		if (!charset_utf8_valid(b.data, b.len))
			fail_msg("case %zu: invalid UTF-8 out", i);
		if (convs[i].want == NULL)
			continue;
		wl = convs[i].wantlen ? convs[i].wantlen :
		    strlen(convs[i].want);
		if (b.len != wl || memcmp(b.data, convs[i].want, wl) != 0)
			fail_msg("case %zu: got [%s]", i, buf_str(&b));
	}
	buf_fini(&b);
}

static void
test_utf8_valid(void **state)
{
	static const struct {
		const char	*s;
		size_t		 prefix;
	} t[] = {
		{ "", 0 }, { "abc", 3 }, { "\xc3\xa9", 2 },
		{ "\xe2\x82\xac", 3 }, { "\xf0\x9f\x98\x80", 4 },
		{ "\xf4\x8f\xbf\xbf", 4 },		/* U+10FFFF */
		{ "\xf4\x90\x80\x80", 0 },		/* beyond */
		{ "\xc3", 0 }, { "\xc1\xbf", 0 },	/* overlong */
		{ "\xe0\x80\xaf", 0 }, { "\xed\xbf\xbf", 0 },
		{ "abcdefghij\xff", 10 }, { "\x80", 0 },
		{ "12345678\xc3\xa9" "12345678", 18 },
	};
	size_t	 i, len;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		len = strlen(t[i].s);
		assert_int_equal(charset_utf8_prefix(t[i].s, len), t[i].prefix);
		assert_int_equal(charset_utf8_valid(t[i].s, len),
		    t[i].prefix == len);
	}
}

/* Many labels in turn: the descriptor cache evicts and stays correct. */
static void
test_cache(void **state)
{
	static const char *const labels[] = { "cp850", "cp437", "cp852",
	    "cp855", "cp857", "cp860", "cp861", "cp862", "cp863", "cp864",
	    "cp865", "cp869", "koi8-u", "iso-8859-2", "iso-8859-3",
	    "iso-8859-4", "iso-8859-5", "iso-8859-6", "iso-8859-7",
	    "iso-8859-8", "iso-8859-10", "iso-8859-13", "iso-8859-14",
	    "iso-8859-16", "windows-1250", "windows-1251", "koi8-r" };
	struct buf	 b = BUF_INIT;
	size_t		 i, round;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < sizeof labels / sizeof labels[0]; i++) {
			buf_reset(&b);
			assert_int_equal(charset_to_utf8(labels[i],
			    strlen(labels[i]), "ok", 2, NULL, &b), 0);
			assert_string_equal(buf_str(&b), "ok");
		}
		buf_reset(&b);
		charset_to_utf8("koi8-r", 6, "\xf0", 1, NULL, &b);
		assert_string_equal(buf_str(&b), "\xd0\x9f");
	}
	charset_cache_clear();
	charset_cache_clear();
	buf_fini(&b);
}

/* Labels iconv accepts under odd spellings: output is still UTF-8. */
static void
test_iconv_checked(void **state)
{
	static const char bad[] = "\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80ok";
	struct buf	 b = BUF_INIT;

	(void)charset_to_utf8("utf)8", 5, bad, sizeof bad - 1, NULL, &b);
	assert_true(charset_utf8_valid(b.data, b.len));
	assert_memory_equal(b.data + b.len - 2, "ok", 2);
	buf_reset(&b);
	(void)charset_to_utf8("utf-7", 5, "+2AA-x", 6, NULL, &b);
	assert_true(charset_utf8_valid(b.data, b.len));
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
		cmocka_unit_test(test_canon),
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_iconv_checked),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
