/* SPDX-License-Identifier: ISC */
/*
 * compat.h: declarations for the libc functions configure found missing;
 * their replacements live beside this file (AC_REPLACE_FUNCS).
 */
#ifndef PONS_COMPAT_H
#define PONS_COMPAT_H

#include <stddef.h>

#ifndef HAVE_STRLCPY
size_t	 strlcpy(char *, const char *, size_t);
#endif
#ifndef HAVE_STRLCAT
size_t	 strlcat(char *, const char *, size_t);
#endif
#ifndef HAVE_REALLOCARRAY
void	*reallocarray(void *, size_t, size_t);
#endif
#ifndef HAVE_EXPLICIT_BZERO
void	 explicit_bzero(void *, size_t);
#endif

#endif
