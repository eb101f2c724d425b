/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: a message's header block through rfc5322, and each
 * field through the parser that reads it (addr, date, rfc2231, rfc2047);
 * the body through the transfer decoders, checking that any split of the
 * input decodes like the whole and that decoded text is valid UTF-8.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/addr.h"
#include "msg/charset.h"
#include "msg/codec.h"
#include "msg/date.h"
#include "msg/rfc2231.h"
#include "msg/rfc5322.h"
#include "util/buf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_utf8(const struct buf *b)
{
	if (!charset_utf8_valid(b->data, b->len))
		abort();
}

static void
field(const struct rfc5322_field *f, const char *cs)
{
	struct addr_list	 l = { NULL, 0 };
	struct rfc2231_params	 ps;
	struct buf		 b = BUF_INIT;
	time_t			 t;
	int			 off;
	size_t			 i;

	(void)rfc5322_value_decode(f->value, f->valuelen, cs, &b);
	check_utf8(&b);
	if (rfc5322_name_is(f, "from") || rfc5322_name_is(f, "to") ||
	    rfc5322_name_is(f, "cc") || rfc5322_name_is(f, "reply-to")) {
		(void)addr_list_parse(&l, f->value, f->valuelen, cs);
		for (i = 0; i < l.n; i++) {
			if (l.v[i].name != NULL && !charset_utf8_valid(
			    l.v[i].name, strlen(l.v[i].name)))
				abort();
			if (!charset_utf8_valid(l.v[i].addr,
			    strlen(l.v[i].addr)))
				abort();
		}
		addr_list_fini(&l);
	} else if (rfc5322_name_is(f, "date"))
		(void)date_parse(f->value, f->valuelen, &t, &off);
	else if (rfc5322_name_is(f, "content-type") ||
	    rfc5322_name_is(f, "content-disposition")) {
		rfc2231_parse(&ps, f->value, f->valuelen, cs);
		for (i = 0; i < ps.n; i++)
			if (!charset_utf8_valid(ps.v[i].value,
			    strlen(ps.v[i].value)))
				abort();
		rfc2231_params_fini(&ps);
	}
	buf_fini(&b);
}

static void
body(const uint8_t *p, size_t len, enum codec_type type)
{
	struct codec_dec	 d;
	struct buf		 whole = BUF_INIT, part = BUF_INIT;
	size_t			 cut = len / 3, cut2 = len / 3 * 2;

	codec_dec_init(&d, type);
	codec_dec_feed(&d, p, len, &whole);
	codec_dec_finish(&d, &whole);
	codec_dec_init(&d, type);
	codec_dec_feed(&d, p, cut, &part);
	codec_dec_feed(&d, p + cut, cut2 - cut, &part);
	codec_dec_feed(&d, p + cut2, len - cut2, &part);
	codec_dec_finish(&d, &part);
	if (whole.len != part.len || (whole.len > 0 &&
	    memcmp(whole.data, part.data, whole.len) != 0))
		abort();
	buf_fini(&whole);
	buf_fini(&part);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rfc5322_limits		 lim = { 64 * 1024, 256 };
	struct rfc5322_hdr		 h;
	const struct rfc5322_field	*ct;
	struct rfc2231_params		 ps;
	const char			*cs = NULL;
	size_t				 i;
	int				 t;

	(void)rfc5322_hdr_parse(&h, (const char *)data, size, &lim, NULL);
	memset(&ps, 0, sizeof ps);
	if ((ct = rfc5322_hdr_get(&h, "content-type", NULL)) != NULL) {
		rfc2231_parse(&ps, ct->value, ct->valuelen, NULL);
		cs = rfc2231_get(&ps, "charset");
	}
	for (i = 0; i < h.nfields; i++)
		field(&h.fields[i], cs);
	if (h.body <= size)
		for (t = CODEC_BASE64; t <= CODEC_UU; t++)
			body(data + h.body, size - h.body, (enum codec_type)t);
	rfc2231_params_fini(&ps);
	rfc5322_hdr_fini(&h);
	return 0;
}
