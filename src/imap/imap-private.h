/* SPDX-License-Identifier: ISC */
/*
 * imap-private.h: internals shared by src/imap/imap-*.c only.
 */
#ifndef PONS_IMAP_PRIVATE_H
#define PONS_IMAP_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A bump allocator: everything of one response, freed as a unit. */
struct imap_arena_chunk {
	struct imap_arena_chunk	*next;
	size_t			 used;
	size_t			 cap;
	max_align_t		 data[];	/* the memory handed out */
};

struct imap_arena {
	struct imap_arena_chunk	*head;
};

void	 imap_arena_init(struct imap_arena *);
/*
 * Forget everything handed out; the arena is empty and reusable.  One
 * chunk of the usual size stays for the next response (a FETCH answer a
 * message would otherwise cost a malloc and a free).
 */
void	 imap_arena_reset(struct imap_arena *);
/* Free every chunk. */
void	 imap_arena_fini(struct imap_arena *);
/* Zeroed, 16-byte aligned memory valid until imap_arena_reset. */
void	*imap_arena_alloc(struct imap_arena *, size_t);

/* p[0..n) equals the upper-case ASCII up[0..n), ignoring case. */
bool	 imap_fold_eq(const char *p, const char *up, size_t n);

/* RFC 9051 date-time to seconds since the epoch (UTC), or -1. */
int64_t	 imap_date_time_parse(const char *, size_t);

#endif
