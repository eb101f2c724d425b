/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for the POP3 response parser.  The first byte chooses
 * the chunk size and the expectations (BULK included); the rest is fed in
 * pieces and drained; every body piece also goes through the list helpers.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "pop3/pop3-parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_lines(const char *p, size_t len)
{
	const char	*a, *b;
	size_t		 al, bl;
	uint32_t	 n;
	uint64_t	 sz;

	if (len > 0 && p[len - 1] == '\n')
		len--;
	(void)pop3_parse_list_line(p, len, &n, &sz);
	(void)pop3_parse_uidl_line(p, len, &n, &a, &al);
	(void)pop3_parse_capa_line(p, len, &a, &al, &b, &bl);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pop3_limits	 lim = pop3_limits_default;
	struct pop3_parser	*p;
	struct pop3_item	 it;
	enum pop3_parse_status	 rc;
	uint8_t			 mode;
	size_t			 off = 0, step, n;
	unsigned int		 resp = 0;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	lim.chunk_max = 2 + (mode & 0x0f) * 7;
	lim.status_max = 64;
	lim.body_max = 4096;
	step = 1 + (mode >> 4) * 3;
	p = pop3_parser_new(&lim);
	pop3_parser_expect(p, POP3_EXPECT_MULTI);
	while (off < size) {
		n = size - off < step ? size - off : step;
		pop3_parser_feed(p, data + off, n);
		off += n;
		while ((rc = pop3_parser_next(p, &it)) != POP3_PARSE_MORE &&
		    rc != POP3_PARSE_ERROR) {
			if (rc == POP3_PARSE_DATA) {
				if (it.len == 0 || it.len > lim.chunk_max)
					__builtin_trap();
				fuzz_lines(it.data, it.len);
			}
			if (pop3_parser_idle(p))
				pop3_parser_expect(p, (enum pop3_expect)
				    ((mode >> (++resp % 7)) % 4));
		}
		if (rc == POP3_PARSE_ERROR)
			break;
	}
	pop3_parser_free(p);
	return 0;
}
