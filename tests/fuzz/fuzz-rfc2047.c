/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: encoded words and charsets.  The input goes through
 * rfc2047_decode (without and with a fallback charset) and rfc2231_parse;
 * its first line is also used as a charset label for the rest, so iconv
 * and the built-in decoders see arbitrary bytes.  All output must be
 * valid UTF-8.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/charset.h"
#include "msg/rfc2047.h"
#include "msg/rfc2231.h"
#include "util/buf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_utf8(const struct buf *b)
{
	if (!charset_utf8_valid(b->data, b->len))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*p = (const char *)data, *nl;
	struct buf		 b = BUF_INIT;
	struct rfc2231_params	 ps;
	size_t			 i, lablen;

	(void)rfc2047_decode(p, size, NULL, &b);
	check_utf8(&b);
	buf_reset(&b);
	(void)rfc2047_decode(p, size, "shift_jis", &b);
	check_utf8(&b);
	rfc2231_parse(&ps, p, size, "koi8-r");
	for (i = 0; i < ps.n; i++)
		if (!charset_utf8_valid(ps.v[i].value, strlen(ps.v[i].value)))
			abort();
	rfc2231_params_fini(&ps);
	if ((nl = memchr(p, '\n', size < 64 ? size : 64)) != NULL) {
		lablen = (size_t)(nl - p);
		buf_reset(&b);
		(void)charset_to_utf8(p, lablen, nl + 1, size - lablen - 1,
		    NULL, &b);
		check_utf8(&b);
	}
	buf_fini(&b);
	return 0;
}
