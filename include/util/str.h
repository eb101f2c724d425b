/* SPDX-License-Identifier: ISC */
/*
 * str.h: checked size arithmetic and small helpers for (pointer, length)
 * text, which is how protocol data travels: never assumed NUL-terminated.
 */
#ifndef PONS_UTIL_STR_H
#define PONS_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* *out = a + b (or a * b); false, with *out untouched, on overflow. */
bool	 size_add(size_t a, size_t b, size_t *out);
bool	 size_mul(size_t a, size_t b, size_t *out);

/*
 * Parse p[0..len) as a decimal number no greater than max: digits only,
 * no sign, no spaces.  Returns false on anything else or on overflow.
 */
bool	 str_to_u64(const char *p, size_t len, uint64_t max, uint64_t *out);
/* Case-insensitive (ASCII) equality of p[0..len) and the C string s. */
bool	 str_eq_ci(const char *p, size_t len, const char *s);
/* True if p[0..len) starts with the C string prefix, ASCII case folded. */
bool	 str_has_prefix_ci(const char *p, size_t len, const char *prefix);
/* Trim ASCII spaces and tabs from both ends, adjusting *p and *len. */
void	 str_trim(const char **p, size_t *len);

#endif
