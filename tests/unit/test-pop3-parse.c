/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for pop3/pop3-parse: status lines and codes, multi-line
 * bodies with dot-unstuffing, bare LF, caps, split invariance.
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

#include "pop3/pop3-parse.h"
#include "pop3/pop3.h"
#include "util/buf.h"
#include "util/xmalloc.h"

struct run {
	struct pop3_parser	*p;
	const char		*expects;	/* 'L', 'M', 'S' per response */
	size_t			 next;
	struct buf		 body;
	struct buf		 out;		/* canonical transcript */
	bool			 failed;
};

/* Run the table with POP3_EXPECT_BULK for every 'M' (same results). */
static bool	 bulk;

static void
run_expect_next(struct run *r)
{
	enum pop3_expect	 ex = POP3_EXPECT_LINE;

	if (r->expects[r->next] == '\0')
		return;
	if (r->expects[r->next] == 'M')
		ex = bulk ? POP3_EXPECT_BULK : POP3_EXPECT_MULTI;
	else if (r->expects[r->next] == 'S')
		ex = POP3_EXPECT_SASL;
	r->next++;
	pop3_parser_expect(r->p, ex);
}

static void
run_drain(struct run *r)
{
	struct pop3_item	 it;
	enum pop3_parse_status	 rc;

	while (!r->failed) {
		rc = pop3_parser_next(r->p, &it);
		switch (rc) {
		case POP3_PARSE_MORE:
			return;
		case POP3_PARSE_STATUS:
			assert_int_equal(strlen(it.status.text),
			    it.status.text_len);
			buf_printf(&r->out, "S%c[%s]%s\n", it.status.cont ?
			    'c' : it.status.ok ? '+' : '-',
			    pop3_code_name(it.status.code), it.status.text);
			if (pop3_parser_idle(r->p))
				run_expect_next(r);
			break;
		case POP3_PARSE_DATA:
			assert_true(it.len > 0);
			assert_true(it.eol == (it.data[it.len - 1] == '\n'));
			buf_add(&r->body, it.data, it.len);
			break;
		case POP3_PARSE_END:
			buf_printf(&r->out, "B%zu:", r->body.len);
			buf_add(&r->out, r->body.data, r->body.len);
			buf_add_str(&r->out, "\n");
			buf_reset(&r->body);
			run_expect_next(r);
			break;
		case POP3_PARSE_ERROR:
			buf_printf(&r->out, "X%s\n", err_class_name(it.err.cls));
			r->failed = true;
			return;
		}
	}
}

/* Parse in[0..len) fed as pieces cut at cut1 and cut2; returns transcript */
static char *
run_parse(const char *in, size_t len, const char *expects, size_t cut1,
    size_t cut2, size_t chunk_max)
{
	struct pop3_limits	 lim = pop3_limits_default;
	struct run		 r;
	char			*s;

	memset(&r, 0, sizeof r);
	lim.chunk_max = chunk_max;
	r.p = pop3_parser_new(&lim);
	r.expects = expects;
	buf_init(&r.body);
	buf_init(&r.out);
	run_expect_next(&r);
	if (cut1 > len)
		cut1 = len;
	if (cut2 < cut1)
		cut2 = cut1;
	if (cut2 > len)
		cut2 = len;
	pop3_parser_feed(r.p, in, cut1);
	run_drain(&r);
	pop3_parser_feed(r.p, in + cut1, cut2 - cut1);
	run_drain(&r);
	pop3_parser_feed(r.p, in + cut2, len - cut2);
	run_drain(&r);
	if (r.body.len > 0 && !r.failed)
		buf_printf(&r.out, "P%zu\n", r.body.len);
	buf_fini(&r.body);
	pop3_parser_free(r.p);
	s = buf_take(&r.out, NULL);
	return s;
}

static const struct {
	const char	*in;
	const char	*expects;
	const char	*want;
} cases[] = {
	/* greeting with an APOP timestamp */
	{ "+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n", "L",
	  "S+[]POP3 ready <1896.697170952@dbc.mtview.ca.us>\n" },
	{ "+OK\r\n", "L", "S+[]\n" },
	{ "+ok lower case\r\n", "L", "S+[]lower case\n" },
	{ "-ERR [IN-USE] Mailbox locked\r\n", "L",
	  "S-[IN-USE]Mailbox locked\n" },
	{ "-ERR [LOGIN-DELAY] wait\r\n", "L", "S-[LOGIN-DELAY]wait\n" },
	{ "-ERR [SYS/TEMP] disk\r\n-ERR [SYS/PERM] gone\r\n", "LL",
	  "S-[SYS/TEMP]disk\nS-[SYS/PERM]gone\n" },
	{ "-ERR [AUTH] bad password\r\n", "L", "S-[AUTH]bad password\n" },
	{ "-ERR [IN-USE/extra] x\r\n", "L", "S-[IN-USE]x\n" },
	{ "-ERR [XFOO] y\r\n", "L", "S-[OTHER]y\n" },
	{ "-ERR [broken\r\n", "L", "S-[][broken\n" },
	/* multi-line: stuffing, lone dots, bare LF, CR inside a line */
	{ "+OK\r\nline1\r\n..dot\r\n.\r\n", "M", "S+[]\nB11:line1\n.dot\n\n" },
	{ "+OK\r\n..\r\n...\r\n.. \r\n .\r\na.b\r\n.\r\n", "M",
	  "S+[]\nB15:.\n..\n. \n .\na.b\n\n" },
	{ "+OK\nA\nB\n.\n", "M", "S+[]\nB4:A\nB\n\n" },
	{ "+OK\r\na\rb\r\n\r\n.\r\n", "M", "S+[]\nB5:a\rb\n\n\n" },
	{ "+OK\r\n.\r\n", "M", "S+[]\nB0:\n" },
	{ "+OK 2 msgs\r\n1 10\r\n2 20\r\n.\r\n+OK bye\r\n", "ML",
	  "S+[]2 msgs\nB10:1 10\n2 20\n\nS+[]bye\n" },
	/* lenient: a dot before a non-dot is dropped */
	{ "+OK\r\n.x\r\n.\r\n", "M", "S+[]\nB2:x\n\n" },
	{ "+OK\r\n.\rx\r\n.\r\n", "M", "S+[]\nB3:\rx\n\n" },
	/* -ERR to a multi-line command is a single line */
	{ "-ERR no such message\r\n+OK\r\nx\r\n.\r\n", "MM",
	  "S-[]no such message\nS+[]\nB2:x\n\n" },
	/* SASL continuation */
	{ "+ \r\n+OK welcome\r\n", "SS", "Sc[]\nS+[]welcome\n" },
	{ "+\r\n", "S", "Sc[]\n" },
	/* invalid */
	{ "HELLO\r\n", "L", "Xproto\n" },
	{ "+OKAY\r\n", "L", "Xproto\n" },
	{ "+ \r\n", "L", "Xproto\n" },
	{ "\r\n", "L", "Xproto\n" },
	{ "+OK\r\nunfinished\r\n", "M", "S+[]\nP11\n" },
};

static void
test_pop3_parse_table(void **state)
{
	size_t	 i, len, cut, chunk;
	char	*got;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		len = strlen(cases[i].in);
		got = run_parse(cases[i].in, len, cases[i].expects, len, len,
		    64 * 1024);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got [%s] want [%s]", i, got,
			    cases[i].want);
		free(got);
		/* split invariance: every pair of cut points, tiny chunks */
		for (chunk = 2; chunk <= 65536; chunk = chunk == 2 ? 3 :
		    chunk == 3 ? 65536 : 65537)
			for (cut = 0; cut <= len; cut++) {
				size_t	 cut2;

				for (cut2 = cut; cut2 <= len; cut2++) {
					got = run_parse(cases[i].in, len,
					    cases[i].expects, cut, cut2, chunk);
					if (strcmp(got, cases[i].want) != 0)
						fail_msg("case %zu cut %zu/%zu"
						    " chunk %zu: got [%s]", i,
						    cut, cut2, chunk, got);
					free(got);
				}
			}
	}
}

static void
test_pop3_parse_byte_at_a_time(void **state)
{
	static const char	 in[] = "+OK 3 octets\r\nab\r\n..\r\n.\r\n"
	    "-ERR [IN-USE] busy\r\n";
	struct pop3_parser	*p;
	struct pop3_item	 it;
	struct buf		 body = BUF_INIT;
	size_t			 i;
	int			 statuses = 0, ends = 0;
	enum pop3_parse_status	 rc;

	p = pop3_parser_new(NULL);
	pop3_parser_expect(p, POP3_EXPECT_MULTI);
	for (i = 0; i < sizeof in - 1; i++) {
		pop3_parser_feed(p, in + i, 1);
		while ((rc = pop3_parser_next(p, &it)) != POP3_PARSE_MORE) {
			assert_int_not_equal(rc, POP3_PARSE_ERROR);
			if (rc == POP3_PARSE_STATUS) {
				statuses++;
				if (statuses == 2) {
					assert_false(it.status.ok);
					assert_int_equal(it.status.code,
					    POP3_CODE_IN_USE);
				}
			} else if (rc == POP3_PARSE_DATA)
				buf_add(&body, it.data, it.len);
			else if (rc == POP3_PARSE_END)
				ends++;
		}
	}
	assert_int_equal(statuses, 2);
	assert_int_equal(ends, 1);
	assert_string_equal(buf_str(&body), "ab\n.\n");
	assert_true(pop3_parser_idle(p));
	buf_fini(&body);
	pop3_parser_free(p);
}

/* A 100 KB line must come out intact: same bytes, one LF, no padding. */
static void
test_pop3_parse_long_line(void **state)
{
	struct buf	 in = BUF_INIT, want = BUF_INIT;
	size_t		 i, cuts[] = { 0, 1, 5, 65535, 65536, 65537, 100004,
			     100005, 100006, 100007 };
	char		*got;

	buf_add_str(&in, "+OK\r\n");
	buf_add_str(&want, "S+[]\nB100001:");
	for (i = 0; i < 100000; i++) {
		buf_add_byte(&in, (unsigned char)('A' + i % 50));
		buf_add_byte(&want, (unsigned char)('A' + i % 50));
	}
	buf_add_str(&in, "\r\n.\r\n");
	buf_add_str(&want, "\n\n");
	for (i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		got = run_parse(in.data, in.len, "M", cuts[i], cuts[i] + 3,
		    64 * 1024);
		assert_string_equal(got, buf_str(&want));
		free(got);
	}
	buf_fini(&in);
	buf_fini(&want);
}

static void
test_pop3_parse_limits(void **state)
{
	struct pop3_limits	 lim = pop3_limits_default;
	struct pop3_parser	*p;
	struct pop3_item	 it;
	char			 big[2000];
	size_t			 i;

	/* a status line that never ends */
	memset(big, 'x', sizeof big);
	p = pop3_parser_new(NULL);
	pop3_parser_feed(p, "+OK ", 4);
	assert_int_equal(pop3_parser_next(p, &it), POP3_PARSE_MORE);
	pop3_parser_feed(p, big, sizeof big);
	assert_int_equal(pop3_parser_next(p, &it), POP3_PARSE_ERROR);
	assert_int_equal(it.err.cls, ERR_LIMIT);
	assert_int_equal(pop3_parser_next(p, &it), POP3_PARSE_ERROR);
	pop3_parser_free(p);

	/* a body over body_max */
	lim.body_max = 100;
	p = pop3_parser_new(&lim);
	pop3_parser_expect(p, POP3_EXPECT_MULTI);
	pop3_parser_feed(p, "+OK\r\n", 5);
	assert_int_equal(pop3_parser_next(p, &it), POP3_PARSE_STATUS);
	for (i = 0; i < 20; i++)
		pop3_parser_feed(p, "0123456789\r\n", 12);
	while (pop3_parser_next(p, &it) == POP3_PARSE_DATA)
		;
	assert_int_equal(pop3_parser_next(p, &it), POP3_PARSE_ERROR);
	assert_int_equal(it.err.cls, ERR_LIMIT);
	pop3_parser_free(p);

	/* STLS: bytes after the +OK are discarded (RFC 2595 section 4) */
	p = pop3_parser_new(NULL);
	pop3_parser_feed(p, "+OK go\r\n-ERR injected\r\n", 24);
	assert_int_equal(pop3_parser_next(p, &it), POP3_PARSE_STATUS);
	assert_true(it.status.ok);
	pop3_parser_discard(p);
	assert_int_equal(pop3_parser_pending(p), 0);
	assert_int_equal(pop3_parser_next(p, &it), POP3_PARSE_MORE);
	pop3_parser_free(p);
}

/* POP3_EXPECT_BULK: the whole table and the long line again. */
static void
test_pop3_parse_bulk_table(void **state)
{
	bulk = true;
	test_pop3_parse_table(state);
	test_pop3_parse_long_line(state);
	bulk = false;
}

/*
 * POP3_EXPECT_BULK joins whole lines: one piece for a body that arrived
 * at once, pieces never over chunk_max, a stop before each dot line, and
 * for a pseudo-random body (stuffed dots, bare LFs, long lines) fed in
 * random slices the same bytes as POP3_EXPECT_MULTI.
 */
static void
test_pop3_parse_bulk_pieces(void **state)
{
	static const char	 in[] = "+OK\r\nab\r\ncd\nef\r\n..g\r\nh\r\n"
	    ".\r\n";
	struct pop3_limits	 lim = pop3_limits_default;
	struct pop3_parser	*p;
	struct pop3_item	 it;
	struct buf		 msg = BUF_INIT, want = BUF_INIT;
	unsigned int		 seed = 7;
	size_t			 i, j, pieces, len;
	char			*a, *b;

	p = pop3_parser_new(NULL);
	pop3_parser_expect(p, POP3_EXPECT_BULK);
	pop3_parser_feed(p, in, sizeof in - 1);
	assert_int_equal(pop3_parser_next(p, &it), POP3_PARSE_STATUS);
	assert_int_equal(pop3_parser_next(p, &it), POP3_PARSE_DATA);
	assert_int_equal(it.len, 9);
	assert_memory_equal(it.data, "ab\ncd\nef\n", 9);
	assert_true(it.eol);
	assert_int_equal(pop3_parser_next(p, &it), POP3_PARSE_DATA);
	assert_int_equal(it.len, 5);
	assert_memory_equal(it.data, ".g\nh\n", 5);
	assert_int_equal(pop3_parser_next(p, &it), POP3_PARSE_END);
	assert_true(pop3_parser_idle(p));
	pop3_parser_free(p);

	lim.chunk_max = 7;
	p = pop3_parser_new(&lim);
	pop3_parser_expect(p, POP3_EXPECT_BULK);
	pop3_parser_feed(p, in, sizeof in - 1);
	pieces = 0;
	while ((i = pop3_parser_next(p, &it)) != POP3_PARSE_END) {
		assert_int_not_equal(i, POP3_PARSE_ERROR);
		assert_int_not_equal(i, POP3_PARSE_MORE);
		if (i == POP3_PARSE_DATA) {
			assert_true(it.len <= 7);
			buf_add(&want, it.data, it.len);
			pieces++;
		}
	}
	assert_string_equal(buf_str(&want), "ab\ncd\nef\n.g\nh\n");
	assert_true(pieces >= 3);
	pop3_parser_free(p);
	buf_reset(&want);

	buf_add_str(&msg, "+OK\r\n");
	for (i = 0; i < 3000; i++) {
		seed = seed * 1103515245 + 12345;
		len = (seed >> 16) % (i % 97 == 0 ? 3000 : 80);
		if ((seed >> 8) % 5 == 0)
			buf_add_str(&msg, "..");
		for (j = 0; j < len; j++)
			buf_add_byte(&msg, (unsigned char)('a' + j % 26));
		buf_add_str(&msg, (seed >> 4) % 7 == 0 ? "\n" : "\r\n");
	}
	buf_add_str(&msg, ".\r\n");
	for (i = 0; i < 20; i++) {
		seed = seed * 1103515245 + 12345;
		j = (seed >> 8) % msg.len;
		len = j + (seed >> 4) % (msg.len - j);
		a = run_parse(msg.data, msg.len, "M", j, len, 1024);
		bulk = true;
		b = run_parse(msg.data, msg.len, "M", j, len, 1024);
		bulk = false;
		assert_true(strncmp(a, "S+[]\nB", 6) == 0);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	buf_fini(&msg);
	buf_fini(&want);
}

static void
test_pop3_parse_list_helpers(void **state)
{
	static const struct {
		const char	*line;
		bool		 ok;
		uint32_t	 msgno;
		uint64_t	 size;
	} lists[] = {
		{ "1 120", true, 1, 120 },
		{ "42   7", true, 42, 7 },
		{ "3 99 extra", true, 3, 99 },
		{ "0 10", false, 0, 0 },
		{ "1", false, 0, 0 },
		{ "1 x", false, 0, 0 },
		{ "x 1", false, 0, 0 },
		{ "1 10x", false, 0, 0 },
		{ "99999999999 1", false, 0, 0 },
		{ "", false, 0, 0 },
	};
	static const struct {
		const char	*line;
		bool		 ok;
		uint32_t	 msgno;
		const char	*uid;
	} uidls[] = {
		{ "1 whqtswO00WBw418f9t5JxYwZ", true, 1, "whqtswO00WBw418f9t5JxYwZ" },
		{ "2 ../../etc/passwd", true, 2, "../../etc/passwd" },
		{ "3 a ", true, 3, "a" },
		{ "3 a b", false, 0, NULL },
		{ "3 ", false, 0, NULL },
		{ "3 \x01", false, 0, NULL },
		{ "x y", false, 0, NULL },
	};
	const char	*name, *args, *uid;
	size_t		 i, nlen, alen, ulen;
	uint32_t	 msgno;
	uint64_t	 size;
	char		 big[POP3_UIDL_MAX + 10];

	for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		assert_int_equal(pop3_parse_list_line(lists[i].line,
		    strlen(lists[i].line), &msgno, &size), lists[i].ok);
		if (lists[i].ok) {
			assert_int_equal(msgno, lists[i].msgno);
			assert_int_equal(size, lists[i].size);
		}
	}
	for (i = 0; i < sizeof uidls / sizeof uidls[0]; i++) {
		assert_int_equal(pop3_parse_uidl_line(uidls[i].line,
		    strlen(uidls[i].line), &msgno, &uid, &ulen), uidls[i].ok);
		if (uidls[i].ok) {
			assert_int_equal(msgno, uidls[i].msgno);
			assert_int_equal(ulen, strlen(uidls[i].uid));
			assert_memory_equal(uid, uidls[i].uid, ulen);
		}
	}
	memset(big, 'u', sizeof big);
	big[0] = '1';
	big[1] = ' ';
	assert_false(pop3_parse_uidl_line(big, sizeof big, &msgno, &uid,
	    &ulen));
	assert_true(pop3_parse_uidl_line(big, POP3_UIDL_MAX + 2, &msgno,
	    &uid, &ulen));

	assert_true(pop3_parse_capa_line("SASL PLAIN LOGIN", 16, &name,
	    &nlen, &args, &alen));
	assert_int_equal(nlen, 4);
	assert_memory_equal(args, "PLAIN LOGIN", alen);
	assert_true(pop3_parse_capa_line("PIPELINING", 10, &name, &nlen,
	    &args, &alen));
	assert_int_equal(alen, 0);
	assert_false(pop3_parse_capa_line("", 0, &name, &nlen, &args,
	    &alen));
}

/* RFC 1321 appendix A.5 test suite, plus a block-boundary case. */
static void
test_pop3_md5(void **state)
{
	static const struct {
		const char	*in;
		const char	*hex;
	} t[] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz",
		  "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "1234567890123456789012345678901234567890123456789012345678901234"
		  "5678901234567890", "57edf4a22be3c955ac49da2e2107b67a" },
		{ "<1896.697170952@dbc.mtview.ca.us>tanstaaf",
		  "c4c9334bac560ecc979e58001b3e22fb" },
	};
	char	 out[33];
	size_t	 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		pop3_md5_hex(t[i].in, strlen(t[i].in), out);
		assert_string_equal(out, t[i].hex);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pop3_parse_table),
		cmocka_unit_test(test_pop3_parse_byte_at_a_time),
		cmocka_unit_test(test_pop3_parse_long_line),
		cmocka_unit_test(test_pop3_parse_limits),
		cmocka_unit_test(test_pop3_parse_bulk_table),
		cmocka_unit_test(test_pop3_parse_bulk_pieces),
		cmocka_unit_test(test_pop3_parse_list_helpers),
		cmocka_unit_test(test_pop3_md5),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
