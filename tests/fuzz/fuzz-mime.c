/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: the MIME parser and everything the pager does with
 * its result (best text part, transfer and charset decoding, rendering
 * at two widths).  Checks that rendered lines are always clean.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/mime.h"
#include "msg/render.h"
#include "msg/sanitize.h"
#include "util/buf.h"
#include "util/err.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mime_msg		 m;
	struct render_doc	 d;
	struct render_opts	 o;
	struct err		 e;
	struct buf		 b = BUF_INIT;
	uint32_t		 tp;
	size_t			 i;
	int			 w;

	if (mime_parse(&m, (const char *)data, size, &e) == 0) {
		if ((tp = mime_text_part(&m)) != MIME_NONE)
			mime_part_text(&m.parts[tp], NULL, &b);
		for (w = 0; w <= 40; w += 40) {
			memset(&o, 0, sizeof o);
			memset(&d, 0, sizeof d);
			o.width = w;
			render_message(&d, &m, &o);
			for (i = 0; i < d.n; i++)
				if (!sanitize_is_clean(d.v[i].text, d.v[i].len))
					abort();
			render_doc_fini(&d);
		}
	}
	mime_msg_fini(&m);
	buf_fini(&b);
	return 0;
}
