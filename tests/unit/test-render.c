/* SPDX-License-Identifier: ISC */
/* Unit tests for msg/render: the pager's lines and their attributes. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "msg/charset.h"
#include "msg/mime.h"
#include "msg/render.h"
#include "msg/sanitize.h"
#include "util/buf.h"
#include "util/err.h"

/* Render msg; lines as "A|text" with A the attribute letter. */
static char *
show(const char *msg, const struct render_opts *o)
{
	static const char	 attr[] = "THQSAN";
	struct mime_msg		 m;
	struct render_doc	 d;
	struct err		 e;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	assert_int_equal(mime_parse(&m, msg, strlen(msg), &e), 0);
	memset(&d, 0, sizeof d);
	render_message(&d, &m, o);
	for (i = 0; i < d.n; i++) {
		assert_int_equal(strlen(d.v[i].text), d.v[i].len);
		assert_true(sanitize_is_clean(d.v[i].text, d.v[i].len));
		if (d.v[i].attr == RENDER_QUOTE)
			buf_printf(&b, "Q%u|%s\n", d.v[i].quote, d.v[i].text);
		else
			buf_printf(&b, "%c|%s\n", attr[d.v[i].attr],
			    d.v[i].text);
	}
	render_doc_fini(&d);
	mime_msg_fini(&m);
	return buf_take(&b, NULL);
}

static void
check(const char *msg, int width, const char *want)
{
	struct render_opts	 o;
	char			*got;

	memset(&o, 0, sizeof o);
	o.width = width;
	got = show(msg, &o);
	if (strcmp(got, want) != 0)
		fail_msg("got:\n%s\nwant:\n%s", got, want);
	free(got);
}

static void
test_render_headers_quotes_sig(void **state)
{
	check("From: =?utf-8?q?J=C3=B6rg?= <j@example.org>\n"
	    "To: a@example.org, \"B, C\" <b@example.org>\n"
	    "Subject: =?iso-8859-1?q?caf=E9?= \x1b[31mred\n"
	    "X-Other: not shown\n\n"
	    "Hi,\n> quoted\n> > deeper\n>>> deepest\nback\n-- \nsig\n",
	    0,
	    "H|From: J\xc3\xb6rg <j@example.org>\n"
	    "H|To: a@example.org, B, C <b@example.org>\n"
	    "H|Subject: caf\xc3\xa9 \xe2\x90\x9bred\n"
	    "T|\n"
	    "T|Hi,\n"
	    "Q1|> quoted\n"
	    "Q2|>> deeper\n"
	    "Q3|>>> deepest\n"
	    "T|back\n"
	    "S|-- \n"
	    "S|sig\n");
}

static void
test_render_wrap(void **state)
{
	/* Words wrap at 24 columns; the quote prefix is repeated; a long
	 * word is cut at the width; tabs expand. */
	check("Subject: s\n\n"
	    "one two three four five six seven\n"
	    "> alpha beta gamma delta epsilon\n"
	    "abcdefghijklmnopqrstuvwxyz0123\n"
	    "a\tb\n",
	    24,
	    "H|Subject: s\n"
	    "T|\n"
	    "T|one two three four five\n"
	    "T|six seven\n"
	    "Q1|> alpha beta gamma delta\n"
	    "Q1|> epsilon\n"
	    "T|abcdefghijklmnopqrstuvwx\n"
	    "T|yz0123\n"
	    "T|a       b\n");
}

static void
test_render_parts(void **state)
{
	check("Subject: parts\n"
	    "Content-Type: multipart/mixed; boundary=b\n\n"
	    "--b\nContent-Type: multipart/alternative; boundary=a\n\n"
	    "--a\nContent-Type: text/html\n\n<p>html</p>\n"
	    "--a\nContent-Type: text/plain\n\nplain text\n--a--\n"
	    "--b\nContent-Type: text/html\n\n<p>Second <a href=\"http://x.example/\">link</a></p>\n"
	    "--b\nContent-Type: image/png; name=\"=?utf-8?b?w6kucG5n?=\"\n"
	    "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
	    "--b\nContent-Type: text/plain; charset=x-unknown-cs\n"
	    "Content-Disposition: attachment; filename=notes.txt\n\nn\n"
	    "--b--\n",
	    80,
	    "H|Subject: parts\n"
	    "T|\n"
	    "T|plain text\n"
	    "T|\n"
	    "T|Second link[1]\n"
	    "T|\n"
	    "T|[1] http://x.example/\n"
	    "T|\n"
	    "A|[5] image/png, 8 B, \xc3\xa9.png\n"
	    "A|[6] text/plain, 1 B, notes.txt\n");
}

static void
test_render_notes(void **state)
{
	/* Unknown charset on 8-bit text that is not UTF-8. */
	check("Content-Type: text/plain; charset=x-bogus\n\ncaf\xe9\n", 0,
	    "T|\n"
	    "N|[-- charset x-bogus unknown, shown as windows-1252 --]\n"
	    "T|caf\xc3\xa9\n");
	/* No text at all. */
	check("Subject: pic\nContent-Type: image/gif\n\nGIF89a\n", 0,
	    "H|Subject: pic\n"
	    "T|\n"
	    "N|[-- no text part --]\n"
	    "T|\n"
	    "A|[0] image/gif, 7 B\n");
	/* An attached message shows its own headers. */
	check("Content-Type: multipart/mixed; boundary=m\n\n"
	    "--m\n\nsee below\n"
	    "--m\nContent-Type: message/rfc822\n\n"
	    "From: x@example.org\nSubject: inner\n\ninner body\n--m--\n", 0,
	    "T|\n"
	    "T|see below\n"
	    "T|\n"
	    "N|[-- attached message --]\n"
	    "H|From: x@example.org\n"
	    "H|Subject: inner\n"
	    "T|inner body\n");
}

static void
test_render_related(void **state)
{
	/* The start part is shown; the other parts are attachments. */
	check("Content-Type: multipart/related; boundary=r; start=\"<h@x>\"\n\n"
	    "--r\nContent-Type: image/gif\nContent-ID: <i@x>\n\nGIF\n"
	    "--r\nContent-Type: text/html\nContent-ID: <h@x>\n\n<p>me</p>\n--r--\n",
	    0,
	    "T|\n"
	    "T|me\n"
	    "T|\n"
	    "A|[1] image/gif, 3 B\n");
}

static void
test_render_flowed(void **state)
{
	check("Content-Type: text/plain; format=flowed\n\n"
	    "This is a long \nflowed paragraph \nthat wraps.\n"
	    "> quoted and \n> joined\n", 20,
	    "T|\n"
	    "T|This is a long\n"
	    "T|flowed paragraph\n"
	    "T|that wraps.\n"
	    "Q1|> quoted and joined\n");
}

static int
html_hook(void *arg, const char *html, size_t len, struct buf *out)
{
	int	*called = arg;

	(*called)++;
	buf_printf(out, "external: %zu bytes\n", len);
	return 0;
}

static void
test_render_html_hook(void **state)
{
	struct render_opts	 o;
	int			 called = 0;
	char			*got;

	memset(&o, 0, sizeof o);
	o.width = 80;
	o.html_cb = html_hook;
	o.html_arg = &called;
	o.headers = (const char *const[]){ "Subject", NULL };
	got = show("From: f@x\nSubject: h\nContent-Type: text/html\n\n"
	    "<p>12345</p>", &o);
	assert_int_equal(called, 1);
	assert_string_equal(got, "H|Subject: h\nT|\nT|external: 12 bytes\n");
	free(got);
}

static void
test_render_text_api(void **state)
{
	struct render_doc	 d;
	struct buf		 b = BUF_INIT;

	memset(&d, 0, sizeof d);
	render_text(&d, "a\n\xe2\x80\xae" "b\n", 6, 0);
	render_doc_text(&d, &b);
	assert_string_equal(buf_str(&b), "a\n\xef\xbf\xbd" "b\n");
	render_doc_fini(&d);
	buf_fini(&b);
	charset_cache_clear();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_headers_quotes_sig),
		cmocka_unit_test(test_render_wrap),
		cmocka_unit_test(test_render_parts),
		cmocka_unit_test(test_render_notes),
		cmocka_unit_test(test_render_related),
		cmocka_unit_test(test_render_flowed),
		cmocka_unit_test(test_render_html_hook),
		cmocka_unit_test(test_render_text_api),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
