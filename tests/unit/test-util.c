/* SPDX-License-Identifier: ISC */
/* Unit tests for util/: buffers, checked arithmetic, errors, log redaction. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xmalloc.h"

static void
test_buf_grow_and_binary(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*p;
	size_t		 len, i;

	for (i = 0; i < 10000; i++)
		buf_add_byte(&b, (unsigned char)(i & 0xff));
	assert_int_equal(b.len, 10000);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], '\0');
	for (i = 0; i < 10000; i++)
		assert_int_equal((unsigned char)b.data[i], i & 0xff);
	buf_consume(&b, 9990);
	assert_int_equal(b.len, 10);
	assert_int_equal((unsigned char)b.data[0], 9990 & 0xff);
	p = buf_take(&b, &len);
	assert_int_equal(len, 10);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(p);
}

static void
test_buf_printf(void **state)
{
	struct buf	 b = BUF_INIT;
	char		 big[3000];

	assert_string_equal(buf_str(&b), "");
	buf_printf(&b, "%s-%d", "a", 42);
	assert_string_equal(buf_str(&b), "a-42");
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_printf(&b, "%s", big);
	assert_int_equal(b.len, 4 + sizeof big - 1);
	buf_truncate(&b, 2);
	assert_string_equal(buf_str(&b), "a-");
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	buf_fini(&b);
}

static void
test_size_checks(void **state)
{
	size_t		 out = 7;
	uint64_t	 v;

	assert_true(size_add(1, 2, &out));
	assert_int_equal(out, 3);
	assert_false(size_add(SIZE_MAX, 1, &out));
	assert_int_equal(out, 3);
	assert_false(size_mul(SIZE_MAX / 2 + 1, 2, &out));
	assert_true(size_mul(0, SIZE_MAX, &out));
	assert_int_equal(out, 0);

	assert_true(str_to_u64("4294967295", 10, UINT32_MAX, &v));
	assert_int_equal(v, 4294967295u);
	assert_false(str_to_u64("4294967296", 10, UINT32_MAX, &v));
	assert_false(str_to_u64("18446744073709551616", 20, UINT64_MAX, &v));
	assert_false(str_to_u64("", 0, UINT64_MAX, &v));
	assert_false(str_to_u64("1a", 2, UINT64_MAX, &v));
	assert_false(str_to_u64("-1", 2, UINT64_MAX, &v));
}

static void
test_str_helpers(void **state)
{
	const char	*p = "  hello \t";
	size_t		 len = strlen(p);

	str_trim(&p, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(p, "hello", 5);
	assert_true(str_eq_ci("OK", 2, "ok"));
	assert_false(str_eq_ci("OKAY", 4, "ok"));
	assert_true(str_has_prefix_ci("Content-Type: x", 15, "content-type:"));
	assert_false(str_has_prefix_ci("Con", 3, "content"));
}

static void
test_err(void **state)
{
	struct err	 e;

	assert_int_equal(err_set(&e, ERR_PROTO, "bad %s", "thing"), -1);
	assert_int_equal(e.cls, ERR_PROTO);
	assert_string_equal(e.msg, "bad thing");
	assert_string_equal(err_class_name(ERR_TLS), "tls");
	assert_int_equal(err_set(NULL, ERR_TEMP, "x"), -1);
	err_clear(&e);
	assert_int_equal(e.cls, ERR_NONE);
}

static const struct {
	const char	*in;
	bool		 secret;
	const char	*want;
} redact_cases[] = {
	{ "a1 LOGIN me@example.net hunter2", false, "a1 LOGIN <redacted>" },
	{ "a1 login \"me\" {7+}", false, "a1 login <redacted>" },
	{ "a2 AUTHENTICATE PLAIN AG1lAGh1bnRlcjI=", false,
	  "a2 AUTHENTICATE PLAIN <redacted>" },
	{ "PASS hunter2", false, "PASS <redacted>" },
	{ "pass hunter2", false, "pass <redacted>" },
	{ "AUTH PLAIN AG1lAGh1bnRlcjI=", false, "AUTH PLAIN <redacted>" },
	{ "APOP me c4c9334bac560ecc979e58001b3e22fb", false,
	  "APOP me <redacted>" },
	{ "AG1lAGh1bnRlcjI=", true, "<redacted>" },
	{ "a3 SELECT INBOX", false, "a3 SELECT INBOX" },
	{ "USER me", false, "USER me" },
	{ "a4 PASSWORDLESS x", false, "a4 PASSWORDLESS x" },
	{ "bell\a", false, "bell\\x07" },
};

static void
test_log_redact(void **state)
{
	char	 out[256];
	size_t	 i;

	for (i = 0; i < sizeof redact_cases / sizeof redact_cases[0]; i++) {
		log_redact(redact_cases[i].in, strlen(redact_cases[i].in),
		    redact_cases[i].secret, out, sizeof out);
		assert_string_equal(out, redact_cases[i].want);
	}
}

/* The log file, written through the real API, holds no password. */
static void
test_log_file_has_no_password(void **state)
{
	char	 path[] = "/tmp/pons-log-XXXXXX";
	char	 text[4096];
	int	 fd;
	ssize_t	 n;
	const char *lines[] = {
		"a1 LOGIN me hunter2", "PASS hunter2",
		"AUTH PLAIN AG1lAGh1bnRlcjI=", "a2 AUTHENTICATE PLAIN aHVudGVyMg==",
	};
	size_t	 i;

	fd = mkstemp(path);
	assert_true(fd != -1);
	assert_int_equal(log_open(path, LOG_PROTO), 0);
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
		log_proto("test", LOG_DIR_OUT, lines[i], strlen(lines[i]),
		    false);
	log_proto("test", LOG_DIR_OUT, "aHVudGVyMg==", 12, true);
	log_debug("password_command ran");
	log_close();
	n = read(fd, text, sizeof text - 1);
	assert_true(n > 0);
	text[n] = '\0';
	close(fd);
	unlink(path);
	assert_null(strstr(text, "hunter2"));
	assert_null(strstr(text, "aHVudGVyMg"));
	assert_null(strstr(text, "AG1lAGh1bnRlcjI"));
	assert_non_null(strstr(text, "LOGIN <redacted>"));
	assert_non_null(strstr(text, "password_command ran"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_grow_and_binary),
		cmocka_unit_test(test_buf_printf),
		cmocka_unit_test(test_size_checks),
		cmocka_unit_test(test_str_helpers),
		cmocka_unit_test(test_err),
		cmocka_unit_test(test_log_redact),
		cmocka_unit_test(test_log_file_has_no_password),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
