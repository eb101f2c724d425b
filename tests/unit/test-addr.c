/* SPDX-License-Identifier: ISC */
/* Unit tests for msg/addr: address lists, well-formed and broken. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "msg/addr.h"
#include "msg/charset.h"
#include "util/buf.h"

/* Expected entries as "name|addr|group" with "-" for NULL. */
static const struct {
	const char	*in;
	const char	*want[6];
} cases[] = {
	{ "a@b.c", { "-|a@b.c|-" } },
	{ "John Doe <john@example.com>", { "John Doe|john@example.com|-" } },
	{ "\"Doe, John\" <john@example.com>",
	    { "Doe, John|john@example.com|-" } },
	{ "\"a \\\"q\\\" b\" <x@y>", { "a \"q\" b|x@y|-" } },
	{ "a@b, c@d,, e@f", { "-|a@b|-", "-|c@d|-", "-|e@f|-" } },
	/* comments: dropped, or the name when there is no other */
	{ "john@example.com (John Doe)", { "John Doe|john@example.com|-" } },
	{ "John <j@x> (work)", { "John|j@x|-" } },
	{ "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
	    { "Pete|pete@silly.test|-" } },
	/* groups (RFC 5322 appendix A.1.3) */
	{ "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
	    { "Ed Jones|c@a.test|A Group", "-|joe@where.test|A Group",
	    "John|jdoe@one.test|A Group" } },
	{ "undisclosed-recipients:;", { "-||undisclosed-recipients" } },
	{ "Undisclosed recipients:", { "-||Undisclosed recipients" } },
	{ "g: a@b; c@d", { "-|a@b|g", "-|c@d|-" } },
	/* obsolete route, missing brackets, missing '>' */
	{ "<@r1.test,@r2.test:joe@x.test>", { "-|joe@x.test|-" } },
	{ "Joe Q. Public <john.q.public@example.com>",
	    { "Joe Q. Public|john.q.public@example.com|-" } },
	{ "Bare Name bare@host.com", { "Bare Name|bare@host.com|-" } },
	{ "Name <a@b", { "Name|a@b|-" } },
	{ "Name <a@b, c@d", { "Name|a@b|-", "-|c@d|-" } },
	{ "john @ example . com", { "-|john@example.com|-" } },
	{ "<>", { "-||-" } },
	/* RFC 2047 in names, also inside quotes */
	{ "=?utf-8?Q?J=C3=BCrgen?= <j@x>", { "J\xc3\xbcrgen|j@x|-" } },
	{ "\"=?utf-8?Q?J=C3=BCrgen?=\" <j@x>", { "J\xc3\xbcrgen|j@x|-" } },
	{ "=?utf-8?B?TXlTdXJ2ZXk=?=\r\n =?UTF-8?B?LmNvbSAmIEM=?= <m@x>",
	    { "MySurvey.com & C|m@x|-" } },
	{ "j@x (=?iso-8859-1?Q?Andr=E9?=)", { "Andr\xc3\xa9|j@x|-" } },
	/* raw 8-bit names */
	{ "Ingo L\xfctkebohle <i@x>", { "Ingo L\xc3\xbctkebohle|i@x|-" } },
	{ "\"\xd0\xae\" <i@x>", { "\xd0\xae|i@x|-" } },
	/* odd leftovers */
	{ "postmaster", { "-|postmaster|-" } },
	{ "Just A Name", { "Just A Name||-" } },
	{ "\"quoted@local\"@x.test", { "-|\"quoted@local\"@x.test|-" } },
	{ "a@[192.0.2.1]", { "-|a@[192.0.2.1]|-" } },
	{ "", { NULL } },
	{ " , ;(only comment)", { NULL } },
	{ "\"unterminated <a@b>", { "unterminated <a@b>||-" } },
	/* quoted names: folds dropped, escapes kept, a lone '\' at the end */
	{ "\"a\r\n b\\\r\nc\\\"d\" <x@y>", { "a b\rc\"d|x@y|-" } },
	{ "\"ab\\", { "ab\\||-" } },
	/* every special ends an atom */
	{ "a;b:c,d<e@f>g", { "-|a|-", "-|c|b", "d|e@f|b" } },
	{ "w(x)y[z]@q.r", { "w|y[z]@q.r|-" } },
};

static void
fmt(struct buf *b, const struct addr *a)
{
	buf_reset(b);
	buf_printf(b, "%s|%s|%s", a->name ? a->name : "-", a->addr,
	    a->group ? a->group : "-");
}

static void
test_table(void **state)
{
	struct addr_list l;
	struct buf	 b = BUF_INIT;
	size_t		 i, k, n;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&l, 0, sizeof l);
		n = addr_list_parse(&l, cases[i].in, strlen(cases[i].in), NULL);
		for (k = 0; k < n; k++) {
			fmt(&b, &l.v[k]);
			if (cases[i].want[k] == NULL ||
			    strcmp(buf_str(&b), cases[i].want[k]) != 0)
				fail_msg("case %zu [%s] entry %zu: [%s]", i,
				    cases[i].in, k, buf_str(&b));
		}
		if (cases[i].want[n] != NULL)
			fail_msg("case %zu: only %zu entries", i, n);
		addr_list_fini(&l);
	}
	addr_list_fini(NULL);
	buf_fini(&b);
}

static void
test_limits(void **state)
{
	struct addr_list l = { NULL, 0 };
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < 3000; i++)
		buf_printf(&b, "u%zu@x, ", i);
	assert_int_equal(addr_list_parse(&l, b.data, b.len, NULL),
	    ADDR_COUNT_MAX);
	addr_list_fini(&l);
	/* deeply nested comments: no recursion, no crash */
	buf_reset(&b);
	for (i = 0; i < 100000; i++)
		buf_add_byte(&b, '(');
	buf_add_str(&b, "a@b");
	assert_int_equal(addr_list_parse(&l, b.data, b.len, NULL), 0);
	addr_list_fini(&l);
	/* NUL bytes are text, not terminators (found by fuzzing) */
	assert_int_equal(addr_list_parse(&l, "a\0b@c, d@e", 11, NULL), 2);
	assert_int_equal(l.v[0].addr[1], '\0');
	assert_string_equal(l.v[1].addr, "d@e");
	addr_list_fini(&l);
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
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
