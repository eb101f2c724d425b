/* SPDX-License-Identifier: ISC */
/* Unit tests for msg/flowed: RFC 3676 unflowing and rewrapping. */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "msg/flowed.h"
#include "util/buf.h"

static const struct {
	const char	*in;
	bool		 delsp;
	int		 width;
	const char	*want;
} cases[] = {
	/* two flowed lines and a fixed one make one paragraph */
	{ "Hello there, \nthis is one \nparagraph.\n", false, 0,
	    "Hello there, this is one paragraph.\n" },
	/* DelSp=yes: the flowing space goes */
	{ "Hel\xc3\xa4 \nlo\n", true, 0, "Hel\xc3\xa4lo\n" },
	{ "Hel \nlo\n", false, 0, "Hel lo\n" },
	/* space-stuffing removed, fixed lines kept */
	{ " From me\n  indented\n", false, 0, "From me\n indented\n" },
	/* quote depth kept; a depth change ends the paragraph */
	{ "> a \n> b\n>> c \n>> d\ne\n", false, 0,
	    "> a b\n>> c d\ne\n" },
	{ "> a \n>> b\n", false, 0, "> a \n>> b\n" },
	/* stuffed quote marker */
	{ ">> x \n>>  y\n", false, 0, ">> x  y\n" },
	/* the signature separator never flows */
	{ "text\n-- \nsig \nline\n", false, 0, "text\n-- \nsig line\n" },
	/* CRLF input */
	{ "a \r\nb\r\n\r\nc\r\n", false, 0, "a b\n\nc\n" },
	/* rewrapped at 20 columns */
	{ "one two three four five \nsix seven eight nine ten\n", false, 20,
	    "one two three four\nfive six seven eight\nnine ten\n" },
	/* quoted: the prefix counts, at least 20 text columns remain */
	{ "> aaaa bbbb cccc dddd eeee ffff gggg\n", false, 22,
	    "> aaaa bbbb cccc dddd\n> eeee ffff gggg\n" },
	/* a long word stays whole */
	{ "short averyveryveryverylongwordthatwontfit end\n", false, 20,
	    "short\naveryveryveryverylongwordthatwontfit\nend\n" },
	/* wide characters count two columns */
	{ "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5 "
	  "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5 x\n",
	    false, 21,
	    "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5 "
	    "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\nx\n" },
	/* flowed last line without a fixed line after it */
	{ "dangling ", false, 0, "dangling \n" },
	{ "", false, 0, "" },
	{ "\n\n", false, 0, "\n\n" },
};

static void
test_flowed_table(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		flowed_reflow(&b, cases[i].in, strlen(cases[i].in),
		    cases[i].delsp, cases[i].width);
		if (strcmp(buf_str(&b), cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\" want \"%s\"", i,
			    buf_str(&b), cases[i].want);
	}
	buf_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flowed_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
