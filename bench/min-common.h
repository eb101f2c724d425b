/* SPDX-License-Identifier: ISC */
/*
 * min-common.h: the shared part of the two minimal reference clients used by
 * the benchmarks as the floor nobody can beat.  They do only the protocol
 * work, blocking, over verified TLS; they are not part of pons.
 */
#ifndef PONS_BENCH_MIN_COMMON_H
#define PONS_BENCH_MIN_COMMON_H

#include <stddef.h>

#include <openssl/ssl.h>

struct min_conn {
	SSL	*ssl;
	char	 in[65536];	/* bytes received, not yet consumed */
	size_t	 off;		/* first unconsumed byte */
	size_t	 len;		/* end of received bytes */
};

/* Connect to 127.0.0.1:port, verify "localhost" against ca; exit on error. */
void	 min_connect(struct min_conn *, int port, const char *ca);
void	 min_send(struct min_conn *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Next line without CRLF in a static buffer; *len its length. */
char	*min_line(struct min_conn *, size_t *len);
/* Copy exactly n bytes into dst (may be NULL to skip). */
void	 min_read(struct min_conn *, char *dst, size_t n);

#endif
