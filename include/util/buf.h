/* SPDX-License-Identifier: ISC */
/*
 * buf.h: a growable byte buffer.  The bytes are always followed by a NUL
 * (not counted in len) so text can be handed to libc, but a buf may hold
 * NULs itself: len is the truth.  Growth is checked; overflow is fatal.
 */
#ifndef PONS_UTIL_BUF_H
#define PONS_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;		/* NULL until the first add */
	size_t	 len;		/* bytes used, excluding the NUL */
	size_t	 cap;		/* bytes allocated */
};

#define BUF_INIT	{ NULL, 0, 0 }

void	 buf_init(struct buf *);
/* Free the storage; the buf is empty and reusable afterwards. */
void	 buf_fini(struct buf *);
/* Like buf_fini, but zeroes the bytes first (passwords, tokens). */
void	 buf_fini_secret(struct buf *);
/* Make room for at least n more bytes. */
void	 buf_reserve(struct buf *, size_t n);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_add_str(struct buf *, const char *);
void	 buf_add_byte(struct buf *, unsigned char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Drop the first n bytes (n > len empties it). */
void	 buf_consume(struct buf *, size_t n);
/* Set len to n (n <= len). */
void	 buf_truncate(struct buf *, size_t n);
/* Empty the buffer, keeping its storage. */
void	 buf_reset(struct buf *);
/*
 * Hand the NUL-terminated bytes to the caller (free() them); the buf is
 * left empty.  Never returns NULL; *lenp, if given, receives the length.
 */
char	*buf_take(struct buf *, size_t *lenp);
/* The bytes as a C string; borrowed until the next change. Never NULL. */
const char *buf_str(const struct buf *);

#endif
