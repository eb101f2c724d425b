/* SPDX-License-Identifier: ISC */
/* Unit tests for msg/html: the built-in HTML to text converter. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "msg/html.h"
#include "util/buf.h"

static const struct {
	const char	*in;
	const char	*want;
} cases[] = {
	{ "<p>Hello   <b>world</b></p><p>Second\nparagraph</p>",
	    "Hello world\n\nSecond paragraph\n" },
	{ "line one<br>line two<br/><br />after blank",
	    "line one\nline two\n\nafter blank\n" },
	{ "<html><head><title>T</title><style>p{color:red}</style></head>"
	  "<body><script>alert('x<p>')</script>Text</body></html>",
	    "Text\n" },
	/* head without a closing tag ends at <body> */
	{ "<head><meta charset=utf-8><body>Shown", "Shown\n" },
	{ "<ul><li>one<li>two</ul>after",
	    "\xe2\x80\xa2 one\n\xe2\x80\xa2 two\n\nafter\n" },
	{ "<ol><li>a</li><li>b<ol><li>c</li></ol></li></ol>",
	    "1. a\n2. b\n  1. c\n" },
	{ "<h1>Title</h1><div>a</div><div>b</div>",
	    "Title\n\na\nb\n" },
	{ "<p>before</p><blockquote>quoted<blockquote>deeper</blockquote>"
	  "</blockquote><p>after</p>",
	    "before\n\n> quoted\n>\n>> deeper\n\nafter\n" },
	{ "Go <a href=\"https://example.org/x?a=1&amp;b=2\">here</a> now",
	    "Go here[1] now\n\n[1] https://example.org/x?a=1&b=2\n" },
	/* a link showing its own URL, an anchor, javascript: not listed */
	{ "<a href='http://a.example/'>http://a.example/</a> "
	  "<a href=#top>top</a> <a href=\"javascript:x()\">js</a>",
	    "http://a.example/ top js\n" },
	{ "&lt;tag&gt; &amp; &quot;q&quot; &copy; &#233; &#x1F600; "
	  "&#150; &nbsp;x &bogus; &amp",
	    "<tag> & \"q\" \xc2\xa9 \xc3\xa9 \xf0\x9f\x98\x80 "
	    "\xe2\x80\x93  x &bogus; &\n" },
	{ "&#0;&#xD800;&#99999999;", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\n" },
	{ "<pre>a  b\n  c</pre>d", "a  b\n  c\n\nd\n" },
	{ "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
	    "a  b\nc\n" },
	{ "<!-- hidden <p> --><p>x</p><!doctype html>", "x\n" },
	{ "a < b and c<3", "a < b and c<3\n" },
	{ "<img src=x.png alt=\"logo\"> text", "[logo] text\n" },
	{ "<img src=cid:x> <img alt=\"\" src=spacer.gif>", "[image]\n" },
	{ "<p title='a>b'>quoted gt</p>", "quoted gt\n" },
	{ "unterminated <b", "unterminated\n" },
	{ "", "" },
	{ "<p></p><br><br>", "" },
};

static void
test_html_table(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		html_to_text(&b, cases[i].in, strlen(cases[i].in));
		if (strcmp(buf_str(&b), cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\" want \"%s\"", i,
			    buf_str(&b), cases[i].want);
	}
	buf_fini(&b);
}

static void
test_html_deep_nesting(void **state)
{
	struct buf	 in = BUF_INIT, out = BUF_INIT;
	int		 i;

	for (i = 0; i < 10000; i++)
		buf_add_str(&in, "<blockquote><ul><li>");
	buf_add_str(&in, "deep");
	html_to_text(&out, in.data, in.len);
	/* Quote depth is capped: 32 '>' then a space. */
	assert_non_null(strstr(buf_str(&out),
	    ">>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>> "));
	assert_null(strstr(buf_str(&out),
	    ">>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>"));
	assert_non_null(strstr(buf_str(&out), "deep"));
	buf_fini(&in);
	buf_fini(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_table),
		cmocka_unit_test(test_html_deep_nesting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
