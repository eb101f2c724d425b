/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: the sanitizer and the width helpers.  Output must be
 * clean, idempotent, and cutting must never split a character.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/flowed.h"
#include "msg/html.h"
#include "msg/sanitize.h"
#include "util/buf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 a = BUF_INIT, b = BUF_INIT;
	const char	*p = (const char *)data;
	size_t		 n, i;
	uint32_t	 cp;
	int		 w, cols;

	sanitize_append(&a, p, size, 0, SANITIZE_TABS);
	if (!sanitize_is_clean(a.data != NULL ? a.data : "", a.len))
		abort();
	sanitize_append(&b, a.data != NULL ? a.data : "", a.len, 0,
	    SANITIZE_TABS);
	if (a.len != b.len || (a.len > 0 && memcmp(a.data, b.data, a.len)))
		abort();
	cols = size > 0 ? data[0] % 64 : 10;
	n = sanitize_cut(a.data != NULL ? a.data : "", a.len, cols, &w);
	if (w > cols || n > a.len)
		abort();
	if (n < a.len && sanitize_utf8_next(a.data + n, a.len - n, &cp) == 0)
		abort();
	buf_reset(&b);
	sanitize_fit(&b, p, size, cols, true);
	if (cols > 0 && sanitize_width(b.data, b.len) != cols)
		abort();
	/* The text converters feed the sanitizer: fuzz them here too. */
	buf_reset(&b);
	flowed_reflow(&b, p, size, size > 1 && (data[1] & 1), cols);
	buf_reset(&b);
	html_to_text(&b, p, size);
	for (i = 0; i < b.len; i++)
		if (b.data[i] == '\0' && memchr(p, '\0', size) == NULL)
			abort();
	buf_fini(&a);
	buf_fini(&b);
	return 0;
}
