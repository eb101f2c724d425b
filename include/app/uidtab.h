/* SPDX-License-Identifier: ISC */
/*
 * uidtab.h: a folder's rows by IMAP UID, an open-addressing hash table.
 * UIDs come from the server, so the hash takes a random seed per table:
 * a server that picks its UIDs cannot make them collide (with a fixed
 * multiplier, 32,767 UIDs that are multiples of 2^17 all fell in one
 * slot, and each insertion walked past all before it).
 */
#ifndef PONS_APP_UIDTAB_H
#define PONS_APP_UIDTAB_H

#include <stddef.h>
#include <stdint.h>

#define UIDTAB_NONE	UINT32_MAX

struct uidtab_slot {
	uint32_t	 uid;		/* 0: free */
	uint32_t	 row;
};

struct uidtab {
	struct uidtab_slot	*v;
	unsigned int		 bits;	/* 1 << bits slots */
	size_t			 n;
	uint64_t		 seed;	/* see slot_of() */
};

/* An empty table; seed 0: a random one (else that one, for tests). */
void		 uidtab_init(struct uidtab *, uint64_t seed);
void		 uidtab_fini(struct uidtab *);
/* Forget every UID (the slots stay allocated). */
void		 uidtab_clear(struct uidtab *);
/* uid (not 0) is at row now, replacing what it was at. */
void		 uidtab_put(struct uidtab *, uint32_t uid, uint32_t row);
/* The row of uid, or UIDTAB_NONE. */
uint32_t	 uidtab_get(const struct uidtab *, uint32_t uid);
/* The longest walk a lookup takes from its slot (for tests). */
size_t		 uidtab_probe_max(const struct uidtab *);

#endif
