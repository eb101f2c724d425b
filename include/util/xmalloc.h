/* SPDX-License-Identifier: ISC */
/*
 * xmalloc.h: allocation that never returns NULL, and the fatal exit.
 *
 * Policy (written once, here): pons does not try to limp on after an
 * allocation fails.  Every x* function calls fatalx() instead of returning
 * NULL; fatalx() first runs the hook registered with fatal_set_hook() (the
 * UI registers one that restores the terminal), then prints one line to
 * stderr and exits with status 70 (EX_SOFTWARE).  Sizes are multiplied with
 * overflow checks; an overflow is treated like exhausted memory.
 */
#ifndef PONS_UTIL_XMALLOC_H
#define PONS_UTIL_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
/* Copy of p[0..len) plus a terminating NUL.  Owned by the caller. */
char	*xstrndup(const char *p, size_t len);
/* Formatted string owned by the caller. */
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run before printing a fatal error (e.g. endwin()).  NULL clears it. */
void	 fatal_set_hook(void (*hook)(void));
/* Print "pons: MESSAGE" (plus strerror(errno) for fatal) and exit(70). */
void	 fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	 fatalx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
