/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for msg/date.  Expected instants were computed independently
 * (python3 calendar.timegm) from the written fields and offsets.
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

#include "msg/date.h"

static const struct {
	const char		*in;
	enum date_status	 st;
	long long		 t;
	int			 off;
} cases[] = {
	/* well-formed RFC 5322 */
	{ "Mon, 2 Jan 2006 15:04:05 -0700", DATE_OK, 1136239445, -420 },
	{ "2 Jan 2006 15:04:05 -0700", DATE_OK, 1136239445, -420 },
	{ "Fri, 21 Nov 1997 09:55:06 -0600", DATE_OK, 880127706, -360 },
	{ "Mon,  2 Jan 2006 15:04:05 +0000", DATE_OK, 1136214245, 0 },
	{ "Sun, 29 Feb 2004 23:59:59 +0000", DATE_OK, 1078099199, 0 },
	{ "Wed, 31 Dec 1969 23:59:59 +0000", DATE_OK, -1, 0 },
	{ "Mon, 2 Jan 2006 15:04:05 -0700 (MST)", DATE_OK, 1136239445, -420 },
	/* obsolete and broken forms */
	{ "Mon, 2 Jan 2006 15:04:05 +0000 (UTC)", DATE_OK, 1136214245, 0 },
	{ "Mon, 2 Jan 2006 15:04:05 GMT", DATE_LENIENT, 1136214245, 0 },
	{ "Mon, 2 Jan 2006 15:04:05 UT", DATE_LENIENT, 1136214245, 0 },
	{ "2 Jan 2006 15:04 EST", DATE_LENIENT, 1136232240, -300 },
	{ "Mon, 2 Jan 2006 15:04:05 PST", DATE_LENIENT, 1136243045, -480 },
	{ "Mon, 2 Jan 2006 15:04:05 EDT", DATE_LENIENT, 1136228645, -240 },
	{ "Mon, 2 Jan 2006 15:04:05 Z", DATE_LENIENT, 1136214245, 0 },
	{ "Mon, 2 Jan 2006 15:04:05 A", DATE_LENIENT, 1136214245, 0 },
	{ "Mon, 2 Jan 2006 15:04:05 CET", DATE_LENIENT, 1136210645, 60 },
	{ "Mon, 2 Jan 2006 15:04:05 +0530", DATE_OK, 1136194445, 330 },
	{ "Mon, 2 Jan 2006 15:04:05 +05:30", DATE_LENIENT, 1136194445, 330 },
	{ "Mon, 2 Jan 2006 15:04:05", DATE_LENIENT, 1136214245, 0 },
	{ "Sun, 2 Jan 2006 15:04:05 +0000", DATE_LENIENT, 1136214245, 0 },
	{ "Monday, 2 January 2006 15:04:05 +0000", DATE_LENIENT,
	    1136214245, 0 },
	{ "Mon,, 2 Jan, 2006,  15:04:05   +0000", DATE_LENIENT,
	    1136214245, 0 },
	{ "2 Jan 49 00:00:00 +0000", DATE_LENIENT, 2493158400, 0 },
	{ "2 Jan 50 00:00:00 +0000", DATE_LENIENT, -631065600, 0 },
	{ "2 Jan 104 15:04:05 +0000", DATE_LENIENT, 1073055845, 0 },
	{ "Mon Jan  2 15:04:05 2006", DATE_LENIENT, 1136214245, 0 },
	{ "Mon Jan 2 15:04:05 MST 2006", DATE_LENIENT, 1136239445, -420 },
	{ "Jan 2, 2006 3:04:05 PM +0000", DATE_LENIENT, 1136214245, 0 },
	{ "2-Jan-2006 03:04:05 +0000", DATE_LENIENT, 1136171045, 0 },
	{ "2006-01-02T15:04:05Z", DATE_LENIENT, 1136214245, 0 },
	{ "2006-01-02 15:04:05 -0700", DATE_LENIENT, 1136239445, -420 },
	{ "Tue, 1 Jul 2003 10:52:37 +0200", DATE_OK, 1057049557, 120 },
	{ "Tue, 1 Jul 2003 10:52:37 +0200 foo", DATE_LENIENT, 1057049557,
	    120 },
	{ "Mon, 2 Jan 2006 15:04:05 +9999", DATE_LENIENT, 1136214245, 0 },
	{ "Mon, 2 Jan 2006", DATE_LENIENT, 1136160000, 0 },
	/* RFC 5322 appendix A.6.3: CFWS inside the time */
	{ "Fri, 21 Nov 1997 09(comment):   55  :  06 -0600", DATE_LENIENT,
	    880127706, -360 },
	{ "Mon, 21 Aug 95 13:30:57 -600", DATE_LENIENT, 809033457, -360 },
	{ "Wed, 20 Sep 1995 00:19:00 (EDT) -0400", DATE_OK, 811570740, -240 },
	{ "Mon, 2 Jan 2006 15:04:05 +0000 (unterminated", DATE_OK,
	    1136214245, 0 },
	/* not dates */
	{ "", DATE_INVALID, 0, 0 },
	{ "garbage", DATE_INVALID, 0, 0 },
	{ "Mon, 32 Jan 2006 15:04:05 +0000", DATE_INVALID, 0, 0 },
	{ "Mon, 29 Feb 2006 15:04:05 +0000", DATE_INVALID, 0, 0 },
	{ "Mon, 2 Foo 2006 15:04:05 +0000", DATE_INVALID, 0, 0 },
	{ "Mon, 2 Jan 2006 25:04:05 +0000", DATE_INVALID, 0, 0 },
	{ "Mon, 2 Jan 2006 15:61:05 +0000", DATE_INVALID, 0, 0 },
	{ "Mon, 2 Jan 2006 15:04:05:07 +0000", DATE_INVALID, 0, 0 },
	{ "2 Jan 1850 00:00:00 +0000", DATE_INVALID, 0, 0 },
	{ "12:00:00 12:00:00 Jan 2 2006", DATE_INVALID, 0, 0 },
	{ "1 2 3 4 5 6 7 8 9 Jan", DATE_INVALID, 0, 0 },
	{ "Jan", DATE_INVALID, 0, 0 },
	{ "(Jan 2 2006)", DATE_INVALID, 0, 0 },
};

static void
test_table(void **state)
{
	enum date_status	 st;
	time_t			 t;
	int			 off;
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t = 12345;
		off = 777;
		st = date_parse(cases[i].in, strlen(cases[i].in), &t, &off);
		if (st != cases[i].st)
			fail_msg("case %zu [%s]: status %d", i, cases[i].in,
			    st);
		if (st == DATE_INVALID) {
			/* outputs untouched */
			assert_int_equal(t, 12345);
			assert_int_equal(off, 777);
			continue;
		}
		if ((long long)t != cases[i].t || off != cases[i].off)
			fail_msg("case %zu [%s]: %lld %d", i, cases[i].in,
			    (long long)t, off);
	}
}

/*
 * The common form over two centuries, every zone style: gmtime_r of
 * the local time gives the fields, so the expected instant does not
 * come from pons's own calendar arithmetic.
 */
static void
test_common_form(void **state)
{
	static const char *const wd[7] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const mo[12] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	static const int	 zones[] = { 0, -420, 330, 840, -720, 59 };
	char			 s[64];
	struct tm		 tm;
	time_t			 want, t, local;
	long long		 x, days;
	enum date_status	 st;
	int			 off, n, z, k;

	(void)state;
	for (x = -2208988800LL, k = 0; x < 4102444800LL;
	    x += 86400LL * 37 + 3671, k++) {
		want = (time_t)x;
		z = zones[k % 6];
		local = want + z * 60;
		if (gmtime_r(&local, &tm) == NULL)
			fail_msg("gmtime_r");
		n = snprintf(s, sizeof s,
		    "%s%s%d %s %04d %02d:%02d:%02d %c%02d%02d",
		    k % 3 == 0 ? "" : wd[tm.tm_wday], k % 3 == 0 ? "" : ", ",
		    tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, z < 0 ? '-' : '+', abs(z) / 60,
		    abs(z) % 60);
		t = 0;
		off = 1;
		/*
		 * date.c checks the weekday with C's remainder of the day
		 * count, which is negative before 1970: most weekdays then
		 * count as wrong (lenient)
		 */
		days = (local - (((local % 86400) + 86400) % 86400)) / 86400;
		st = k % 3 != 0 && (days + 4) % 7 != tm.tm_wday ?
		    DATE_LENIENT : DATE_OK;
		if (date_parse(s, (size_t)n, &t, &off) != st)
			fail_msg("[%s]: status", s);
		if (t != want || off != z)
			fail_msg("[%s]: %lld %d", s, (long long)t, off);
	}
	/* what the common form reads by position but leaves to the rest */
	assert_int_equal(date_parse("Tue, 2 Jan 2006 15:04:05 -0700", 30, &t,
	    &off), DATE_LENIENT);			/* wrong weekday */
	assert_int_equal(t, 1136239445);
	assert_int_equal(date_parse("Mon, 2 Jan 2006 23:59:60 +0000", 30, &t,
	    &off), DATE_OK);				/* leap second */
	assert_int_equal(t, 1136246399);
	assert_int_equal(date_parse("Mon, 2 Jan 2006 15:04:05 +2400", 30, &t,
	    &off), DATE_LENIENT);			/* bad zone */
	assert_int_equal(date_parse("Mon, 2 Jan 2006 15:04:05 +0070", 30, &t,
	    &off), DATE_LENIENT);
	assert_int_equal(date_parse("Mon, 2 Jan 2006 15:04:05 +0000\r\n", 32,
	    &t, &off), DATE_OK);
	assert_int_equal(date_parse("Mon, 2 Jun 2006 15:04:05 +0000", 30, &t,
	    &off), DATE_LENIENT);			/* Friday */
	assert_int_equal(date_parse("mon, 02 JAN 2006 15:04:05 +0000", 31,
	    &t, &off), DATE_OK);
	assert_int_equal(t, 1136214245);
	assert_int_equal(date_parse("Mon, 2 Jan 2006 15:04:05 +0000", 30, &t,
	    &off), DATE_OK);
	assert_int_equal(date_parse("Mon, 0 Jan 2006 15:04:05 +0000", 30, &t,
	    &off), DATE_INVALID);
	assert_int_equal(date_parse("Mon, 29 Feb 2000 15:04:05 +0000", 31, &t,
	    &off), DATE_LENIENT);			/* a Tuesday */
	assert_int_equal(date_parse("Tue, 29 Feb 2000 15:04:05 +0000", 31, &t,
	    &off), DATE_OK);
	assert_int_equal(date_parse("Thu, 29 Feb 2100 15:04:05 +0000", 31, &t,
	    &off), DATE_INVALID);
}

static void
test_digits(void **state)
{
	(void)state;
	assert_int_equal(date_digits("2006", 4), 2006);
	assert_int_equal(date_digits("0070x", 4), 70);
	assert_int_equal(date_digits("7", 1), 7);
	assert_int_equal(date_digits("123456789", 9), 123456789);
	assert_int_equal(date_digits("12a4", 4), -1);
	assert_int_equal(date_digits(" 1", 2), -1);
	assert_int_equal(date_digits("-1", 2), -1);
	assert_int_equal(date_digits("9/", 2), -1);	/* '/' is '0' - 1 */
	assert_int_equal(date_digits("9:", 2), -1);	/* ':' is '9' + 1 */
	assert_int_equal(date_digits("x", 0), 0);
}

static void
test_bounds(void **state)
{
	char	 big[1000];

	memset(big, ' ', sizeof big);
	memcpy(big, "2 Jan 2006", 10);
	assert_int_equal(date_parse(big, sizeof big, NULL, NULL),
	    DATE_INVALID);
	assert_int_equal(date_parse("2 Jan 2006 00:00 +0000", 22, NULL, NULL),
	    DATE_LENIENT);
	/* not NUL-terminated: only len bytes are read */
	assert_int_equal(date_parse("2 Jan 2006 00:00:00 +0000xyz", 25, NULL,
	    NULL), DATE_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_common_form),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
