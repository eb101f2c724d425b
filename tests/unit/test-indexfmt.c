/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the index line formatter (ui/indexfmt.c) and the
 * sanitizing renderer it uses (ui/render.c): dates, flags, sizes, exact
 * widths with wide characters, placeholders for control characters.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <cmocka.h>

#include "app/folder.h"
#include "ui/indexfmt.h"
#include "ui/render.h"
#include "util/xmalloc.h"

#define NOW	((time_t)1795694400)	/* 2026-11-26 12:00:00 UTC */

/* Display columns of a UTF-8 string. */
static int
cols(const char *s)
{
	wchar_t		 wc;
	mbstate_t	 mbs;
	size_t		 n;
	int		 w = 0;

	memset(&mbs, 0, sizeof mbs);
	while (*s != '\0') {
		n = mbrtowc(&wc, s, strlen(s), &mbs);
		assert_true(n != (size_t)-1 && n != (size_t)-2);
		w += wcwidth(wc);
		s += n;
	}
	return w;
}

static void
test_indexfmt_dates(void **state)
{
	char	 out[32];

	indexfmt_date(NOW - 3600, NOW, out, sizeof out);
	assert_string_equal(out, "11:00");		/* today */
	indexfmt_date(NOW - 86400, NOW, out, sizeof out);
	assert_string_equal(out, "Nov 25");		/* this year */
	indexfmt_date(1767225600, NOW, out, sizeof out);	/* 2026-01-01 */
	assert_string_equal(out, "Jan 01");
	indexfmt_date(1767225599, NOW, out, sizeof out);	/* 2025-12-31 */
	assert_string_equal(out, "2025-12-31");
	indexfmt_date(0, NOW, out, sizeof out);
	assert_string_equal(out, "?");
}

static void
test_indexfmt_flags_size(void **state)
{
	char	 out[16];

	indexfmt_flags(FOLDER_RECENT, out);
	assert_string_equal(out, "N    ");
	indexfmt_flags(0, out);
	assert_string_equal(out, "O    ");
	indexfmt_flags(FOLDER_SEEN, out);
	assert_string_equal(out, "     ");
	indexfmt_flags(FOLDER_SEEN | FOLDER_ANSWERED | FOLDER_FLAGGED |
	    FOLDER_DELETED | FOLDER_ATTACH, out);
	assert_string_equal(out, " r!D+");
	indexfmt_size(512, out, sizeof out);
	assert_string_equal(out, "512");
	indexfmt_size(1229, out, sizeof out);
	assert_string_equal(out, "1.2K");
	indexfmt_size(34 * 1024, out, sizeof out);
	assert_string_equal(out, "34K");
	indexfmt_size(2200000, out, sizeof out);
	assert_string_equal(out, "2.1M");
	indexfmt_size(50ULL * 1024 * 1024, out, sizeof out);
	assert_string_equal(out, "50M");
}

static void
test_indexfmt_line_widths(void **state)
{
	struct indexfmt_row	 r;
	struct buf		 b = BUF_INIT;
	int			 widths[] = { 200, 100, 80, 61, 40, 20, 7 };
	size_t			 i;
	char			*want, *p;

	memset(&r, 0, sizeof r);
	r.flags = FOLDER_FLAGGED;
	r.date = NOW - 60;
	r.size = 4096;
	r.sender = "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e"
	    "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e"
	    "\xe5\xb1\xb1\xe7\x94\xb0";	/* 山田太郎山田太郎山田: 20 cols */
	r.subject = "\xe4\xbc\x9a\xe8\xad\xb0 \xf0\x9f\x93\x85 meeting "
	    "notes for everybody in the team and then some more words";
	r.tree = "";
	for (i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		buf_reset(&b);
		indexfmt_line(&r, NOW, widths[i], &b);
		if (cols(buf_str(&b)) != widths[i])
			fail_msg("width %d: got %d columns: \"%s\"", widths[i],
			    cols(buf_str(&b)), buf_str(&b));
	}
	buf_reset(&b);
	indexfmt_line(&r, NOW, 100, &b);
	assert_non_null(strstr(buf_str(&b), "O !   11:59"));
	assert_non_null(strstr(buf_str(&b), "4.0K"));
	/* "To:" for mail the user sent */
	r.flags |= FOLDER_FROMME;
	r.recipient = "bob@example.org";
	buf_reset(&b);
	indexfmt_line(&r, NOW, 100, &b);
	assert_non_null(strstr(buf_str(&b), "To: bob@example.org"));
	/* a size not known yet is blank, the columns stay where they are */
	r.size = 5;
	buf_reset(&b);
	indexfmt_line(&r, NOW, 100, &b);
	want = xstrdup(buf_str(&b));
	assert_non_null(p = strstr(want, "    5 "));
	p[4] = ' ';
	r.size = 0;
	buf_reset(&b);
	indexfmt_line(&r, NOW, 100, &b);
	assert_string_equal(buf_str(&b), want);
	free(want);
	buf_fini(&b);
}

static void
test_indexfmt_format(void **state)
{
	struct indexfmt_row	 r;
	struct indexfmt_spec	 spec;
	struct buf		 b = BUF_INIT;

	memset(&r, 0, sizeof r);
	r.flags = FOLDER_SEEN | FOLDER_FLAGGED;
	r.date = NOW - 86400 * 3;
	r.size = 2048;
	r.sender = "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e Yamada";
	r.subject = "Hello";
	r.tree = "";
	spec.format = "%4C %Z %D %-6.6F|%s %c %% %Q";
	spec.date = NULL;
	spec.recent = NULL;
	indexfmt_format(&spec, &r, 42, NOW, 60, &b);
	/* 山田 is 4 columns: "山田太" would be 6 */
	assert_string_equal(buf_str(&b), "  42   !   Nov 23 "
	    "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa|Hello 2.0K % %Q"
	    "                    ");
	assert_int_equal(cols(buf_str(&b)), 60);
	buf_reset(&b);
	spec.format = "%D|%D";
	spec.date = "%d.%m.%Y";
	spec.recent = "at %H:%M";
	r.date = NOW - 3600;
	indexfmt_format(&spec, &r, 1, NOW, 20, &b);
	assert_string_equal(buf_str(&b), "at 11:00|at 11:00   ");
	buf_reset(&b);
	r.date = NOW - 86400 * 400;
	indexfmt_format(&spec, &r, 1, NOW, 30, &b);
	assert_string_equal(buf_str(&b), "22.10.2025|22.10.2025         ");
	/* a long subject is cut at the width, wide characters whole */
	buf_reset(&b);
	spec.format = "%s";
	r.subject = "\xe4\xbc\x9a\xe8\xad\xb0\xe4\xbc\x9a";
	indexfmt_format(&spec, &r, 1, NOW, 5, &b);
	assert_string_equal(buf_str(&b), "\xe4\xbc\x9a\xe8\xad\xb0 ");
	buf_fini(&b);
}

static void
test_render_sanitize(void **state)
{
	struct buf	 b = BUF_INIT;
	const char	 evil[] = "a\033[31mred\033]0;title\007\xe2\x80\xae"
	    "rev\x9b\xff\r\n";
	size_t		 i;

	render_fit(&b, evil, sizeof evil - 1, 200, false);
	for (i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.data[i];

		assert_true(c >= 0x20 && c != 0x7f);
	}
	assert_null(strstr(buf_str(&b), "\xe2\x80\xae"));	/* no RLO */
	/* a whole escape sequence becomes one ␛ */
	assert_non_null(strstr(buf_str(&b), "a\xe2\x90\x9bred\xe2\x90\x9b"));
	assert_null(strstr(buf_str(&b), "[31m"));
	assert_non_null(strstr(buf_str(&b), "\xef\xbf\xbd"));	/* U+FFFD */
	/* wide characters: never straddle the edge */
	buf_reset(&b);
	assert_int_equal(render_fit(&b, "\xe6\x97\xa5\xe6\x9c\xac", 6, 3,
	    true), 3);
	assert_string_equal(buf_str(&b), "\xe6\x97\xa5 ");
	assert_int_equal(render_cut("\xe6\x97\xa5\xe6\x9c\xac", 6, 3), 3);
	assert_int_equal(render_width("e\xcc\x81x", 4), 2);	/* combining */
	buf_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_indexfmt_dates),
		cmocka_unit_test(test_indexfmt_flags_size),
		cmocka_unit_test(test_indexfmt_line_widths),
		cmocka_unit_test(test_indexfmt_format),
		cmocka_unit_test(test_render_sanitize),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
