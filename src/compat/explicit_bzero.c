/* SPDX-License-Identifier: ISC */
/* explicit_bzero for libcs that lack it: a memset the compiler keeps. */
#include "config.h"

#include <string.h>

#include "compat.h"

void
explicit_bzero(void *p, size_t n)
{
	void	*(*volatile set)(void *, int, size_t) = memset;

	set(p, 0, n);
}
