/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for the config file: the pure lexer, the loader with
 * its table checks and messages, --dump-config, and the writer.  Checks
 * one property besides "no crash": writing with no edits gives back the
 * input byte for byte, and editing every value keeps the line count.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/conf-parse.h"
#include "config/conf.h"
#include "../../src/config/conf-private.h"
#include "util/buf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz_edits {
	struct conf_edit	 v[64];
	size_t			 n;
};

static int
fuzz_item(void *arg, const struct conf_item *it)
{
	struct fuzz_edits	*ed = arg;

	if (it->kind == CONF_ITEM_PAIR && ed->n < 64) {
		ed->v[ed->n].kind = CONF_EDIT_REPLACE;
		ed->v[ed->n].line = it->line;
		ed->v[ed->n].value = " new value ";
		ed->n++;
	}
	return 0;
}

static size_t
fuzz_lines(const char *p, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		if (p[i] == '\n')
			n++;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char		*text = (const char *)data;
	struct conf		*c;
	struct conf_msgs	 msgs;
	struct buf		 out = BUF_INIT;
	struct fuzz_edits	 ed;

	if (len > CONF_FILE_MAX)
		return 0;
	c = conf_new();
	conf_msgs_init(&msgs);
	(void)conf_load_text(c, "fuzz", text, len, &msgs);
	conf_dump(c, &out);
	conf_msgs_fini(&msgs);
	conf_free(c);
	buf_reset(&out);

	conf_write_text(text, len, NULL, 0, &out);
	if (out.len != len || (len > 0 && memcmp(out.data, text, len) != 0))
		abort();
	buf_reset(&out);
	memset(&ed, 0, sizeof ed);
	conf_parse(text, len, fuzz_item, &ed);
	conf_write_text(text, len, ed.v, ed.n, &out);
	if (fuzz_lines(out.data != NULL ? out.data : "", out.len) !=
	    fuzz_lines(text, len))
		abort();
	buf_fini(&out);
	return 0;
}
