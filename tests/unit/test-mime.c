/* SPDX-License-Identifier: ISC */
/* Unit tests for msg/mime: the part tree, decoding, the best text part. */
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
#include "util/buf.h"
#include "util/err.h"

/*
 * Each case: a message and the expected tree written as pre-order
 * "depth:type" items, plus the best text part and its decoded text.
 */
static const struct {
	const char	*name;
	const char	*msg;
	const char	*tree;
	int		 text_part;	/* -1: none */
	const char	*text;		/* of text_part */
	unsigned int	 notes;		/* MIME_NOTE_* expected (subset) */
} cases[] = {
	{ "plain, no MIME-Version, CRLF",
	  "Subject: x\r\n\r\nhello\r\nworld\r\n",
	  "0:text/plain", 0, "hello\nworld\n", 0 },
	{ "mbox From line skipped",
	  "From someone@example Mon Jan  1 00:00:00 2024\nSubject: x\n\nbody\n",
	  "0:text/plain", 0, "body\n", 0 },
	{ "alternative prefers plain; preamble and epilogue ignored",
	  "Content-Type: multipart/alternative; boundary=\"b1\"\n\n"
	  "preamble\n--b1\nContent-Type: text/html\n\n<p>h</p>\n"
	  "--b1\nContent-Type: text/plain; charset=us-ascii\n\nplain\n"
	  "--b1--\nepilogue\n",
	  "0:multipart/alternative 1:text/html 1:text/plain", 2, "plain", 0 },
	{ "empty plain alternative: the body walk still picks it",
	  "Content-Type: multipart/alternative; boundary=b\n\n"
	  "--b\nContent-Type: text/plain\n\n\n--b\nContent-Type: text/html\n\n<b>x</b>\n--b--\n",
	  "0:multipart/alternative 1:text/plain 1:text/html", 1, "", 0 },
	{ "html only",
	  "Content-Type: multipart/alternative; boundary=b\n\n"
	  "--b\nContent-Type: text/html\n\n<b>x</b>\n--b--\n",
	  "0:multipart/alternative 1:text/html", 1, "<b>x</b>", 0 },
	{ "missing final boundary: the last part runs to the end",
	  "Content-Type: multipart/mixed; boundary=zz\n\n"
	  "--zz\n\nfirst\n--zz\nContent-Type: text/plain\n\nsecond\nmore\n",
	  "0:multipart/mixed 1:text/plain 1:text/plain", 1, "first",
	  MIME_NOTE_NO_END },
	{ "boundaries that prefix one another",
	  "Content-Type: multipart/mixed; boundary=\"ab\"\n\n"
	  "--ab\nContent-Type: multipart/alternative; boundary=\"abc\"\n\n"
	  "--abc\nContent-Type: text/plain\n\ninner\n--abc--\n"
	  "--ab\nContent-Type: text/plain\n\nouter\n--ab--\n",
	  "0:multipart/mixed 1:multipart/alternative 2:text/plain "
	  "1:text/plain", 2, "inner", 0 },
	{ "inner multipart without close: the outer delimiter still ends it",
	  "Content-Type: multipart/mixed; boundary=\"out\"\n\n"
	  "--out\nContent-Type: multipart/mixed; boundary=\"in\"\n\n"
	  "--in\n\na\n"
	  "--out\nContent-Type: application/pdf\n\n%PDF\n--out--\n",
	  "0:multipart/mixed 1:multipart/mixed 2:text/plain "
	  "1:application/pdf", 2, "a", MIME_NOTE_NO_END },
	{ "delimiter with trailing white space; not a delimiter mid-line",
	  "Content-Type: multipart/mixed; boundary=q\n\n"
	  "--q  \n\nx --q\n--qq\n--q--\n",
	  "0:multipart/mixed 1:text/plain", 1, "x --q\n--qq", 0 },
	{ "base64 with junk and missing padding",
	  "Content-Type: text/plain; charset=utf-8\n"
	  "Content-Transfer-Encoding: BASE64\n\n"
	  "aGVs bG8g\n*d29y\nbGQ\n",
	  "0:text/plain", 0, "hello world", 0 },
	{ "quoted-printable, latin1 read as windows-1252",
	  "Content-Type: text/plain; charset=iso-8859-1\n"
	  "Content-Transfer-Encoding: quoted-printable\n\n"
	  "caf=E9 =80=\nsoft=3D\n",
	  "0:text/plain", 0, "caf\xc3\xa9 \xe2\x82\xacsoft=\n", 0 },
	{ "unknown charset, valid UTF-8 kept",
	  "Content-Type: text/plain; charset=x-bogus\n\n\xc3\xa9t\xc3\xa9\n",
	  "0:text/plain", 0, "\xc3\xa9t\xc3\xa9\n", 0 },
	{ "attached message recursed; its text is not the body",
	  "Content-Type: multipart/mixed; boundary=m\n\n"
	  "--m\nContent-Type: text/plain\n\nsee attached\n"
	  "--m\nContent-Type: message/rfc822\n\n"
	  "Subject: inner\nContent-Type: multipart/alternative; boundary=i\n\n"
	  "--i\nContent-Type: text/plain\n\nin\n--i--\n--m--\n",
	  "0:multipart/mixed 1:text/plain 1:message/rfc822 "
	  "2:multipart/alternative 3:text/plain", 1, "see attached", 0 },
	{ "digest parts default to message/rfc822",
	  "Content-Type: multipart/digest; boundary=d\n\n"
	  "--d\n\nSubject: one\n\nbody one\n--d--\n",
	  "0:multipart/digest 1:message/rfc822 2:text/plain", -1, NULL, 0 },
	{ "attachment skipped for the body; filename via RFC 2231",
	  "Content-Type: multipart/mixed; boundary=a\n\n"
	  "--a\nContent-Type: text/plain\n"
	  "Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.txt\n\n"
	  "file\n--a\nContent-Type: text/html\n\n<p>body</p>\n--a--\n",
	  "0:multipart/mixed 1:text/plain 1:text/html", 2, "<p>body</p>", 0 },
	{ "multipart without boundary read as text",
	  "Content-Type: multipart/mixed\n\nraw text\n",
	  "0:text/plain", 0, "raw text\n", MIME_NOTE_NO_BOUNDARY },
	{ "multipart with no delimiter at all",
	  "Content-Type: multipart/mixed; boundary=nope\n\nnothing\n",
	  "0:multipart/mixed", -1, NULL, MIME_NOTE_NO_PARTS },
	{ "bad Content-Type falls back to text/plain",
	  "Content-Type: garbage\n\nx\n",
	  "0:text/plain", 0, "x\n", 0 },
	{ "part without header/body separator",
	  "Content-Type: multipart/mixed; boundary=s\n\n"
	  "--s\nthis is text, no header\n--s--\n",
	  "0:multipart/mixed 1:text/plain", 1, "this is text, no header", 0 },
	{ "related: the start part decides",
	  "Content-Type: multipart/related; boundary=r; start=\"<h@x>\"\n\n"
	  "--r\nContent-Type: text/plain\nContent-ID: <p@x>\n\nnot me\n"
	  "--r\nContent-Type: text/html\nContent-ID: <h@x>\n\n<i>me</i>\n--r--\n",
	  "0:multipart/related 1:text/plain 1:text/html", 2, "<i>me</i>", 0 },
	{ "uuencoded body",
	  "Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode\n\n"
	  "begin 644 a.txt\n#86)C\n`\nend\n",
	  "0:text/plain", 0, "abc", 0 },
	{ "base64 message/rfc822 is decoded and recursed",
	  "Content-Type: multipart/mixed; boundary=e\n\n"
	  "--e\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
	  "U3ViamVjdDogaQoKYm9keQo=\n--e--\n",
	  "0:multipart/mixed 1:message/rfc822 2:text/plain", -1, NULL, 0 },
};

static char *
tree_string(const struct mime_msg *m)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < m->nparts; i++)
		buf_printf(&b, "%s%u:%s", i ? " " : "", m->parts[i].depth,
		    m->parts[i].type);
	return buf_take(&b, NULL);
}

static void
test_mime_table(void **state)
{
	struct mime_msg	 m;
	struct err	 e;
	struct buf	 t = BUF_INIT;
	char		*tree;
	uint32_t	 tp;
	size_t		 i, n;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(mime_parse(&m, cases[i].msg,
		    strlen(cases[i].msg), &e), 0);
		tree = tree_string(&m);
		if (strcmp(tree, cases[i].tree) != 0)
			fail_msg("%s: tree \"%s\"", cases[i].name, tree);
		free(tree);
		tp = mime_text_part(&m);
		if (cases[i].text_part < 0 ? tp != MIME_NONE :
		    tp != (uint32_t)cases[i].text_part)
			fail_msg("%s: text part %d", cases[i].name, (int)tp);
		if (cases[i].text != NULL) {
			buf_reset(&t);
			mime_part_text(&m.parts[tp], NULL, &t);
			n = strlen(cases[i].text);
			if (t.len != n || memcmp(t.data, cases[i].text, n) != 0)
				fail_msg("%s: text \"%s\"", cases[i].name,
				    buf_str(&t));
		}
		if ((m.notes & cases[i].notes) != cases[i].notes)
			fail_msg("%s: notes %#x", cases[i].name, m.notes);
		mime_msg_fini(&m);
	}
	buf_fini(&t);
	charset_cache_clear();
}

static void
test_mime_fields(void **state)
{
	static const char msg[] =
	    "Content-Type: multipart/mixed; boundary=a\n\n"
	    "--a\nContent-Type: TEXT/Plain; CharSet=\"ISO-8859-2\"; "
	    "format=flowed; delsp=yes\n\nx\n"
	    "--a\nContent-Type: application/octet-stream; name=\"=?utf-8?q?n=C3=A4me.bin?=\"\n"
	    "Content-Disposition: ATTACHMENT;\n filename*0=\"long\";\n filename*1=\"name.bin\"\n"
	    "Content-Transfer-Encoding: base64\n\nAAEC\n--a--\n";
	static const char alt[] = "Content-Type: multipart/alternative;"
	    " boundary=b\n\n--b\n\n\n--b\nContent-Type: text/html\n\nh\n--b--\n";
	struct mime_msg	 m;
	struct err	 e;

	assert_int_equal(mime_parse(&m, msg, strlen(msg), &e), 0);
	assert_int_equal(m.nparts, 3);
	assert_string_equal(m.parts[1].type, "text/plain");
	assert_string_equal(m.parts[1].charset, "iso-8859-2");
	assert_true(m.parts[1].flowed);
	assert_true(m.parts[1].delsp);
	assert_null(m.parts[1].filename);
	assert_string_equal(m.parts[2].disposition, "attachment");
	assert_string_equal(m.parts[2].filename, "longname.bin");
	assert_string_equal(m.parts[2].cte, "base64");
	assert_int_equal(m.parts[2].size, 3);
	assert_true(mime_part_is_attachment(&m.parts[2]));
	assert_false(mime_part_is_attachment(&m.parts[1]));
	assert_int_equal(m.parts[0].nchildren, 2);
	assert_int_equal(m.parts[0].child, 1);
	assert_int_equal(m.parts[1].next, 2);
	assert_int_equal(m.parts[2].parent, 0);
	mime_msg_fini(&m);

	/* ... but the pager shows the html of an empty plain alternative */
	assert_int_equal(mime_parse(&m, alt, strlen(alt), &e), 0);
	assert_int_equal(m.nparts, 3);
	assert_int_equal(mime_alternative_pick(&m, 0), 2);
	mime_msg_fini(&m);

	assert_int_equal(mime_parse(&m, "", 0, &e), -1);
	assert_int_equal(e.cls, ERR_INPUT);
	mime_msg_fini(&m);
}

static void
test_mime_limits(void **state)
{
	struct buf	 b = BUF_INIT;
	struct mime_msg	 m;
	struct err	 e;
	int		 i;

	/* Nesting far deeper than MIME_DEPTH_MAX. */
	for (i = 0; i < 200; i++)
		buf_printf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\""
		    "\n\n--b%d\n", i, i);
	buf_add_str(&b, "\nleaf\n");
	assert_int_equal(mime_parse(&m, b.data, b.len, &e), 0);
	assert_true(m.nparts <= MIME_DEPTH_MAX);
	assert_true(m.notes & MIME_NOTE_DEPTH);
	mime_msg_fini(&m);

	/* More parts than MIME_PARTS_MAX. */
	buf_reset(&b);
	buf_add_str(&b, "Content-Type: multipart/mixed; boundary=p\n\n");
	for (i = 0; i < MIME_PARTS_MAX + 50; i++)
		buf_add_str(&b, "--p\n\nx\n");
	assert_int_equal(mime_parse(&m, b.data, b.len, &e), 0);
	assert_int_equal(m.nparts, MIME_PARTS_MAX);
	assert_true(m.notes & MIME_NOTE_PARTS);
	mime_msg_fini(&m);
	buf_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mime_table),
		cmocka_unit_test(test_mime_fields),
		cmocka_unit_test(test_mime_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
