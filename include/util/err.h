/* SPDX-License-Identifier: ISC */
/*
 * err.h: an error with a class and a one-line, user-presentable message.
 * Functions fill a caller-provided struct err and return -1 (or a status),
 * so failure paths need no allocation.
 */
#ifndef PONS_UTIL_ERR_H
#define PONS_UTIL_ERR_H

enum err_class {
	ERR_NONE = 0,
	ERR_TEMP,	/* try again later: network, timeout, server busy */
	ERR_AUTH,	/* credentials refused */
	ERR_PROTO,	/* the peer broke the protocol */
	ERR_TLS,	/* handshake or certificate verification failed */
	ERR_REFUSED,	/* policy says no (e.g. clear-text login) */
	ERR_LOCAL,	/* disk, permissions, local resources */
	ERR_INPUT,	/* bad input from the user or a file */
	ERR_LIMIT,	/* a size or depth limit was hit */
};

struct err {
	enum err_class	 cls;
	char		 msg[256];	/* one line, NUL-terminated */
};

/* Fill e (which may be NULL) and return -1. */
int	 err_set(struct err *e, enum err_class, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Like err_set, with ": strerror(errno)" appended. */
int	 err_sys(struct err *e, enum err_class, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 err_clear(struct err *);
/* Short lower-case name of a class, for logs and tests. */
const char *err_class_name(enum err_class);

#endif
