/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for the IMAP response parser.  The first byte chooses
 * the chunk size the stream is fed in (split invariance is part of what is
 * fuzzed); small limits make the limit paths reachable.  Index header
 * blocks and ENVELOPEs go on through imap-index.c, as the glue does.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "imap/imap-index.h"
#include "imap/imap-parse.h"
#include "util/err.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile size_t	 imap_fuzz_sink;	/* keeps the reads */

static void
drain(struct imap_parser *p, struct imap_index *ix)
{
	const struct imap_index_row	*row;
	const struct imap_fetch		*f;
	const struct imap_resp	*r;
	struct err		 e;
	enum imap_parse_status	 st;
	size_t			 i;

	for (;;) {
		st = imap_parser_next(p, &r, &e);
		if (st == IMAP_PARSE_MORE)
			return;
		if (st == IMAP_PARSE_ERROR) {
			if (imap_parser_is_broken(p))
				imap_parser_reset(p);
			continue;
		}
		/* touch what a session would read */
		imap_fuzz_sink += r->text.len + r->nargs;
		if (r->type == IMAP_RESP_FETCH) {
			f = &r->u.fetch;
			for (i = 0; i < f->nsections; i++)
				imap_fuzz_sink += f->sections[i].data.len;
			row = NULL;
			if (f->have & IMAP_FETCH_HEADER)
				row = imap_index_fill(ix, f->header.p,
				    f->header.len);
			else if (f->have & IMAP_FETCH_ENVELOPE)
				row = imap_index_fill_env(ix, f->env);
			if (row != NULL && row->subject != NULL)
				imap_fuzz_sink += row->subject[0];
		}
		if (r->type == IMAP_RESP_VANISHED)
			imap_fuzz_sink += imap_seqset_contains(&r->u.vanished.uids, 5);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imap_parser	*p;
	struct imap_limits	 lim;
	struct imap_index	 ix;
	size_t			 chunk, off;

	if (size == 0)
		return 0;
	chunk = (data[0] % 16) + 1;
	if (data[0] >= 0xf0)
		chunk = size;
	data++;
	size--;
	imap_limits_default(&lim);
	lim.line_max = 4096;
	lim.literal_max = 4096;
	lim.resp_max = 16384;
	lim.depth_max = 16;
	p = imap_parser_new(&lim);
	imap_index_init(&ix);
	for (off = 0; off < size; off += chunk) {
		imap_parser_feed(p, data + off,
		    size - off < chunk ? size - off : chunk);
		drain(p, &ix);
	}
	imap_index_fini(&ix);
	imap_parser_free(p);
	return 0;
}
