/* SPDX-License-Identifier: ISC */
/* Checked arithmetic and (pointer, length) string helpers. */
#include "config.h"

#include <string.h>

#include "util/str.h"

bool
size_add(size_t a, size_t b, size_t *out)
{
	if (a > SIZE_MAX - b)
		return false;
	*out = a + b;
	return true;
}

bool
size_mul(size_t a, size_t b, size_t *out)
{
	if (b != 0 && a > SIZE_MAX / b)
		return false;
	*out = a * b;
	return true;
}

bool
str_to_u64(const char *p, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		unsigned	 d;

		if (p[i] < '0' || p[i] > '9')
			return false;
		d = (unsigned)(p[i] - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static int
str_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

bool
str_has_prefix_ci(const char *p, size_t len, const char *prefix)
{
	size_t	 i, n = strlen(prefix);

	if (len < n)
		return false;
	for (i = 0; i < n; i++)
		if (str_lower((unsigned char)p[i]) !=
		    str_lower((unsigned char)prefix[i]))
			return false;
	return true;
}

bool
str_eq_ci(const char *p, size_t len, const char *s)
{
	return len == strlen(s) && str_has_prefix_ci(p, len, s);
}

void
str_trim(const char **p, size_t *len)
{
	while (*len > 0 && (**p == ' ' || **p == '\t'))
		(*p)++, (*len)--;
	while (*len > 0 && ((*p)[*len - 1] == ' ' || (*p)[*len - 1] == '\t'))
		(*len)--;
}
