/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for msg/codec: base64, quoted-printable, Q, uuencode; tables of
 * valid and broken input, and split invariance of the streaming decoders.
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

#include "msg/codec.h"
#include "util/buf.h"

struct ccase {
	enum codec_type	 type;
	const char	*in;
	const char	*want;
	size_t		 wantlen;	/* 0: strlen(want) */
};

static const struct ccase cases[] = {
	/* base64 */
	{ CODEC_BASE64, "aGVsbG8=", "hello", 0 },
	{ CODEC_BASE64, "aGVsbG8", "hello", 0 },		/* no padding */
	{ CODEC_BASE64, "aGVs\r\nbG8=\r\n", "hello", 0 },
	{ CODEC_BASE64, "aGV*sb!G8", "hello", 0 },		/* stray bytes */
	{ CODEC_BASE64, "QQ==QQ==", "AA", 0 },		/* concatenated */
	{ CODEC_BASE64, "QUJD", "ABC", 0 },
	{ CODEC_BASE64, "QUI=", "AB", 0 },
	{ CODEC_BASE64, "Q", "", 0 },				/* 6 bits: nothing */
	{ CODEC_BASE64, "", "", 0 },
	{ CODEC_BASE64, "AAEC", "\0\1\2", 3 },
	{ CODEC_BASE64, "_-8=", "\xff\xef", 2 },		/* URL-safe */
	/* quoted-printable */
	{ CODEC_QP, "a=3Db", "a=b", 0 },
	{ CODEC_QP, "caf=C3=A9", "caf\xc3\xa9", 0 },
	{ CODEC_QP, "caf=c3=a9", "caf\xc3\xa9", 0 },		/* lower case */
	{ CODEC_QP, "soft=\r\nbreak", "softbreak", 0 },
	{ CODEC_QP, "soft=\nbreak", "softbreak", 0 },
	{ CODEC_QP, "soft= \t\r\nbreak", "softbreak", 0 },
	{ CODEC_QP, "end=", "end", 0 },			/* soft break at end */
	{ CODEC_QP, "trail  \r\nx", "trail\r\nx", 0 },	/* rule 3 */
	{ CODEC_QP, "trail \t", "trail", 0 },
	{ CODEC_QP, "in side", "in side", 0 },
	{ CODEC_QP, "bad=ZZ", "bad=ZZ", 0 },			/* kept */
	{ CODEC_QP, "bad=4", "bad=4", 0 },
	{ CODEC_QP, "bad=4Z", "bad=4Z", 0 },
	{ CODEC_QP, "a = b", "a = b", 0 },
	{ CODEC_QP, "x=00y", "x\0y", 3 },
	{ CODEC_QP, "_under_", "_under_", 0 },
	/* RFC 2047 Q */
	{ CODEC_Q, "a_b=5Fc", "a b_c", 0 },
	{ CODEC_Q, "=E9t=e9", "\xe9t\xe9", 0 },
	{ CODEC_Q, "x=", "x=", 0 },
	{ CODEC_Q, "x=Q1", "x=Q1", 0 },
	/* uuencode */
	{ CODEC_UU, "begin 644 f.txt\n#86)C\n`\nend\n", "abc", 0 },
	{ CODEC_UU, "begin 644 f.txt\r\n#86)C\r\n`\r\nend\r\n", "abc", 0 },
	{ CODEC_UU, "junk\nbegin 600 x\n%:&5L;&\\\nend\ntrailer\n",
	    "hello", 0 },
	{ CODEC_UU, "#86)C\n", "abc", 0 },			/* no begin */
	{ CODEC_UU, "begin 644 f\n#86)\nend\n", "ab@", 0 },	/* short line */
	{ CODEC_UU, "begin 644 f\n#86)C", "abc", 0 },		/* no end, no NL */
	/* identity */
	{ CODEC_IDENTITY, "as\r\nis=3D", "as\r\nis=3D", 0 },
};

static void
decode_split(enum codec_type type, const char *in, size_t len,
    const size_t *cuts, size_t ncuts, struct buf *out)
{
	struct codec_dec	 d;
	size_t			 i, prev = 0;

	codec_dec_init(&d, type);
	for (i = 0; i < ncuts; i++) {
		codec_dec_feed(&d, in + prev, cuts[i] - prev, out);
		prev = cuts[i];
	}
	codec_dec_feed(&d, in + prev, len - prev, out);
	codec_dec_finish(&d, out);
}

static void
test_table(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, want;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		decode_split(cases[i].type, cases[i].in, strlen(cases[i].in),
		    NULL, 0, &b);
		want = cases[i].wantlen ? cases[i].wantlen :
		    strlen(cases[i].want);
		if (b.len != want || memcmp(b.data, cases[i].want, want) != 0)
			fail_msg("case %zu (%s): got [%s]", i, cases[i].in,
			    buf_str(&b));
	}
	buf_fini(&b);
}

/* Every single and double split of each case gives the same bytes. */
static void
test_split_table(void **state)
{
	struct buf	 whole = BUF_INIT, part = BUF_INIT;
	size_t		 i, a, c, len, cuts[2];

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		len = strlen(cases[i].in);
		buf_reset(&whole);
		decode_split(cases[i].type, cases[i].in, len, NULL, 0, &whole);
		for (a = 0; a <= len; a++) {
			for (c = a; c <= len; c++) {
				cuts[0] = a;
				cuts[1] = c;
				buf_reset(&part);
				decode_split(cases[i].type, cases[i].in, len,
				    cuts, 2, &part);
				if (part.len != whole.len || memcmp(part.data,
				    whole.data, whole.len) != 0)
					fail_msg("case %zu split %zu,%zu", i,
					    a, c);
			}
		}
	}
	buf_fini(&whole);
	buf_fini(&part);
}

/* Pseudo-random QP-ish input, byte at a time vs whole. */
static void
test_split_random(void **state)
{
	static const char alpha[] = "=A3f \t\r\nx_";
	struct buf	 whole = BUF_INIT, part = BUF_INIT;
	struct codec_dec d;
	char		 in[300];
	uint32_t	 seed = 12345;
	size_t		 i, k, len;
	int		 t;

	for (k = 0; k < 300; k++) {
		len = k % sizeof in;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = alpha[(seed >> 16) % (sizeof alpha - 1)];
		}
		for (t = CODEC_BASE64; t <= CODEC_UU; t++) {
			buf_reset(&whole);
			buf_reset(&part);
			decode_split((enum codec_type)t, in, len, NULL, 0,
			    &whole);
			codec_dec_init(&d, (enum codec_type)t);
			for (i = 0; i < len; i++)
				codec_dec_feed(&d, in + i, 1, &part);
			codec_dec_finish(&d, &part);
			assert_int_equal(part.len, whole.len);
			assert_memory_equal(part.data ? part.data : "",
			    whole.data ? whole.data : "", whole.len);
		}
	}
	buf_fini(&whole);
	buf_fini(&part);
}

/* A long run of spaces: decided in bounded steps, same for any split. */
static void
test_qp_long_spaces(void **state)
{
	struct buf	 whole = BUF_INIT, part = BUF_INIT;
	char		 in[400];
	size_t		 cut;

	memset(in, ' ', 300);
	memcpy(in + 300, "\r\nok", 4);
	decode_split(CODEC_QP, in, 304, NULL, 0, &whole);
	for (cut = 0; cut <= 304; cut++) {
		buf_reset(&part);
		decode_split(CODEC_QP, in, 304, &cut, 1, &part);
		assert_int_equal(part.len, whole.len);
		assert_memory_equal(part.data, whole.data, whole.len);
	}
	assert_memory_equal(whole.data + whole.len - 4, "\r\nok", 4);
	buf_fini(&whole);
	buf_fini(&part);
}

static void
test_base64_encode(void **state)
{
	static const char *const in[] = { "", "f", "fo", "foo", "foob",
	    "fooba", "foobar" };
	static const char *const out[] = { "", "Zg==", "Zm8=", "Zm9v",
	    "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };	/* RFC 4648 section 10 */
	struct buf	 b = BUF_INIT, d = BUF_INIT;
	unsigned char	 bin[256];
	size_t		 i;

	for (i = 0; i < 7; i++) {
		buf_reset(&b);
		codec_base64_encode(in[i], strlen(in[i]), &b);
		assert_string_equal(buf_str(&b), out[i]);
	}
	for (i = 0; i < sizeof bin; i++)
		bin[i] = (unsigned char)(255 - i);
	buf_reset(&b);
	codec_base64_encode(bin, sizeof bin, &b);
	codec_base64_decode(b.data, b.len, &d);
	assert_int_equal(d.len, sizeof bin);
	assert_memory_equal(d.data, bin, sizeof bin);
	buf_fini(&b);
	buf_fini(&d);
}

static void
test_cte(void **state)
{
	bool	 known;

	assert_int_equal(codec_type_from_cte(" Base64 ", 8, &known),
	    CODEC_BASE64);
	assert_true(known);
	assert_int_equal(codec_type_from_cte("QUOTED-PRINTABLE", 16, &known),
	    CODEC_QP);
	assert_int_equal(codec_type_from_cte("x-uuencode", 10, &known),
	    CODEC_UU);
	assert_int_equal(codec_type_from_cte("\"7bit\"", 6, &known),
	    CODEC_IDENTITY);
	assert_true(known);
	assert_int_equal(codec_type_from_cte("x-gzip64", 8, &known),
	    CODEC_IDENTITY);
	assert_false(known);
	assert_int_equal(codec_type_from_cte("", 0, NULL), CODEC_IDENTITY);
}

static void
test_uu_find(void **state)
{
	static const char text[] = "Hi,\nsee below.\n\nbegin 644 hello.txt\n"
	    "%:&5L;&\\\n`\nend\nbye\n";
	struct codec_uu_span	 sp;
	struct buf		 b = BUF_INIT;

	assert_true(codec_uu_find(text, sizeof text - 1, &sp));
	assert_int_equal(sp.mode, 0644);
	assert_int_equal(sp.namelen, 9);
	assert_memory_equal(sp.name, "hello.txt", 9);
	assert_memory_equal(text + sp.begin, "begin", 5);
	assert_string_equal(text + sp.end, "bye\n");
	codec_uu_decode(text + sp.begin, sp.end - sp.begin, &b);
	assert_string_equal(buf_str(&b), "hello");
	assert_false(codec_uu_find("begin here\nend\n", 15, &sp));
	assert_false(codec_uu_find("begin 644 x\nno end\n", 19, &sp));
	buf_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_split_table),
		cmocka_unit_test(test_split_random),
		cmocka_unit_test(test_qp_long_spaces),
		cmocka_unit_test(test_base64_encode),
		cmocka_unit_test(test_cte),
		cmocka_unit_test(test_uu_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
