/* SPDX-License-Identifier: ISC */
/* Unit tests for msg/sanitize: placeholders, escape sequences, widths. */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "msg/sanitize.h"
#include "util/buf.h"

static const struct {
	const char	*in;
	size_t		 inlen;		/* 0: strlen(in) */
	unsigned int	 flags;
	const char	*want;
} cases[] = {
	{ "plain text", 0, 0, "plain text" },
	{ "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", 0, 0,
	    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac" },
	/* invalid bytes, one U+FFFD each */
	{ "a\xff" "b\xc3", 0, 0, "a\xef\xbf\xbd" "b\xef\xbf\xbd" },
	/* overlong '/' and an encoded surrogate */
	{ "\xc0\xaf\xed\xa0\x80", 0, 0,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	/* NUL, BEL, CR: control pictures */
	{ "a\0b\a\r", 5, 0, "a\xe2\x90\x80" "b\xe2\x90\x87\xe2\x90\x8d" },
	{ "x\x7fy", 0, 0, "x\xe2\x90\xa1y" },
	/* a whole CSI colour sequence collapses into one U+241B */
	{ "\x1b[1;31mred\x1b[0m", 0, 0, "\xe2\x90\x9bred\xe2\x90\x9b" },
	/* OSC 52 (clipboard write) terminated by BEL, and by ST */
	{ "a\x1b]52;c;ZXZpbA==\ab", 0, 0, "a\xe2\x90\x9b" "b" },
	{ "a\x1b]0;title\x1b\\b", 0, 0, "a\xe2\x90\x9b" "b" },
	/* an unterminated OSC stops at the line end */
	{ "a\x1b]0;evil\nnext", 0, SANITIZE_KEEP_NL,
	    "a\xe2\x90\x9b\nnext" },
	/* DCS and a two-byte escape (ESC c: full reset) */
	{ "\x1bPq#0\x1b\\z\x1b" "c!", 0, 0, "\xe2\x90\x9bz\xe2\x90\x9b!" },
	/* a lone ESC at the end */
	{ "end\x1b", 0, 0, "end\xe2\x90\x9b" },
	/* C1 CSI U+009B written in UTF-8 */
	{ "\xc2\x9b" "2J", 0, 0, "\xef\xbf\xbd" "2J" },
	/* RLO, LRI, PDI, LRM, ALM, ZWSP, BOM */
	{ "\xe2\x80\xaegnp.exe", 0, 0, "\xef\xbf\xbdgnp.exe" },
	{ "\xe2\x81\xa6x\xe2\x81\xa9\xe2\x80\x8e\xd8\x9c", 0, 0,
	    "\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "a\xe2\x80\x8b" "b\xef\xbb\xbf", 0, 0,
	    "a\xef\xbf\xbd" "b\xef\xbf\xbd" },
	/* ZWJ inside an emoji sequence stays */
	{ "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9", 0, 0,
	    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9" },
	/* LF without KEEP_NL is a control picture */
	{ "a\nb", 0, 0, "a\xe2\x90\x8a" "b" },
	{ "a\nb", 0, SANITIZE_KEEP_NL, "a\nb" },
	/* tabs: to the next multiple of 8, or one space */
	{ "ab\tc", 0, SANITIZE_TABS, "ab      c" },
	{ "\xe6\x97\xa5\tc", 0, SANITIZE_TABS, "\xe6\x97\xa5      c" },
	{ "ab\tc", 0, 0, "ab c" },
	{ "x\n\ty", 0, SANITIZE_TABS | SANITIZE_KEEP_NL, "x\n        y" },
	/* unassigned code point and noncharacter */
	{ "\xef\xbf\xbe", 0, 0, "\xef\xbf\xbd" },
};

static void
test_sanitize_table(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, len;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		len = cases[i].inlen ? cases[i].inlen : strlen(cases[i].in);
		buf_reset(&b);
		sanitize_append(&b, cases[i].in, len, 0, cases[i].flags);
		if (strcmp(buf_str(&b), cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\" want \"%s\"", i,
			    buf_str(&b), cases[i].want);
		/* The output is always clean, and sanitizing is idempotent. */
		if (!(cases[i].flags & SANITIZE_KEEP_NL))
			assert_true(sanitize_is_clean(b.data, b.len));
	}
	assert_false(sanitize_is_clean("a\x1b[m", 4));
	assert_false(sanitize_is_clean("\xe2\x80\xae", 3));
	assert_true(sanitize_is_clean("\xe6\x97\xa5", 3));
	buf_fini(&b);
}

static void
test_sanitize_every_byte(void **state)
{
	unsigned char	 in[256];
	char		*out;
	size_t		 i;

	for (i = 0; i < 256; i++)
		in[i] = (unsigned char)i;
	out = sanitize_dup((const char *)in, sizeof in, 0);
	assert_true(sanitize_is_clean(out, strlen(out)));
	assert_null(strchr(out, 0x1b));
	free(out);
}

static void
test_sanitize_width(void **state)
{
	struct buf	 b = BUF_INIT;

	/* Independent of the caller's locale. */
	setlocale(LC_ALL, "C");
	assert_int_equal(sanitize_width("abc", 3), 3);
	/* CJK: 2 columns each */
	assert_int_equal(sanitize_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 4);
	/* emoji */
	assert_int_equal(sanitize_width("\xf0\x9f\x98\x80", 4), 2);
	/* e + combining acute */
	assert_int_equal(sanitize_width("e\xcc\x81", 3), 1);
	assert_int_equal(sanitize_cp_width(0x1b), -1);
	assert_int_equal(sanitize_cp_width(0x4e00), 2);
	assert_int_equal(sanitize_append(&b, "", 0, 5, 0), 5);
	assert_int_equal(sanitize_append(&b, "\t", 1, 5, SANITIZE_TABS), 8);
	buf_fini(&b);
}

static void
test_sanitize_cut_fit(void **state)
{
	struct buf	 b = BUF_INIT;
	const char	*s = "a\xe6\x97\xa5" "b";	/* widths 1 2 1 */
	int		 w;

	assert_int_equal(sanitize_cut(s, strlen(s), 2, &w), 1);
	assert_int_equal(w, 1);
	assert_int_equal(sanitize_cut(s, strlen(s), 3, &w), 4);
	assert_int_equal(w, 3);
	assert_int_equal(sanitize_cut(s, strlen(s), 10, &w), 5);
	/* the combining mark stays with its base */
	assert_int_equal(sanitize_cut("ae\xcc\x81x", 5, 2, &w), 4);
	assert_int_equal(w, 2);

	sanitize_fit(&b, s, strlen(s), 3, false);
	assert_string_equal(buf_str(&b), "a\xe6\x97\xa5");
	buf_reset(&b);
	/* the wide char does not fit in column 2: padded instead */
	sanitize_fit(&b, s, strlen(s), 2, false);
	assert_string_equal(buf_str(&b), "a ");
	buf_reset(&b);
	sanitize_fit(&b, "hello world", 11, 6, true);
	assert_string_equal(buf_str(&b), "hello\xe2\x80\xa6");
	buf_reset(&b);
	sanitize_fit(&b, "hi", 2, 5, true);
	assert_string_equal(buf_str(&b), "hi   ");
	buf_reset(&b);
	/* raw input is sanitized before fitting */
	sanitize_fit(&b, "\x1b[2Jx", 5, 3, true);
	assert_string_equal(buf_str(&b), "\xe2\x90\x9bx ");
	assert_int_equal(sanitize_width(b.data, b.len), 3);
	buf_fini(&b);
}

static void
test_sanitize_utf8(void **state)
{
	struct buf	 b = BUF_INIT;
	uint32_t	 cp, cps[] = { 0x41, 0xe9, 0x20ac, 0x1f600, 0x10ffff };
	size_t		 i, n;

	for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		buf_reset(&b);
		sanitize_utf8_put(&b, cps[i]);
		n = sanitize_utf8_next(b.data, b.len, &cp);
		assert_int_equal(n, b.len);
		assert_int_equal(cp, cps[i]);
	}
	assert_int_equal(sanitize_utf8_next("\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(sanitize_utf8_next("\xe2\x82", 2, &cp), 0);
	buf_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize_table),
		cmocka_unit_test(test_sanitize_every_byte),
		cmocka_unit_test(test_sanitize_width),
		cmocka_unit_test(test_sanitize_cut_fit),
		cmocka_unit_test(test_sanitize_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
