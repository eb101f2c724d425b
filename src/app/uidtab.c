/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/uidtab.h"
#include "util/seed.h"
#include "util/xmalloc.h"

#define UIDTAB_MIN_BITS	10
#define UIDTAB_RUN_BITS	3	/* 8 slots of 8 bytes: a cache line */

/*
 * The UID's run of 8 picks a block of 8 slots (a cache line), uid % 8
 * the slot in it: the UIDs of a FETCH come in runs, whose lookups then
 * share a cache line (hashing each UID alone missed the cache on nearly
 * every lookup of a cold open, 3% of its loop).  The block is the high
 * bits of the run mixed with the table's seed, which the server cannot
 * know (seed_mix; multiply-shift alone spread runs of consecutive
 * numbers badly for some multipliers: a walk of 544 slots past its own
 * in 200 tables of 100,000 UIDs).
 */
static size_t
slot_of(const struct uidtab *t, uint32_t uid)
{
	uint64_t	 h = seed_mix(uid >> UIDTAB_RUN_BITS, t->seed);

	return (size_t)(h >> (64 - (t->bits - UIDTAB_RUN_BITS))) <<
	    UIDTAB_RUN_BITS | (uid & ((1U << UIDTAB_RUN_BITS) - 1));
}

void
uidtab_init(struct uidtab *t, uint64_t seed)
{
	memset(t, 0, sizeof *t);
	t->seed = seed != 0 ? seed : seed_random();
}

void
uidtab_fini(struct uidtab *t)
{
	free(t->v);
	t->v = NULL;
	t->bits = 0;
	t->n = 0;
}

void
uidtab_clear(struct uidtab *t)
{
	if (t->v != NULL)
		memset(t->v, 0, ((size_t)1 << t->bits) * sizeof *t->v);
	t->n = 0;
}

/* Put without growing: the table has a free slot. */
static void
put_slot(struct uidtab *t, uint32_t uid, uint32_t row)
{
	size_t	 mask = ((size_t)1 << t->bits) - 1, h;

	for (h = slot_of(t, uid); t->v[h].uid != 0; h = (h + 1) & mask)
		if (t->v[h].uid == uid) {
			t->v[h].row = row;
			return;
		}
	t->v[h].uid = uid;
	t->v[h].row = row;
	t->n++;
}

/* At most half full: a lookup walks little past its slot. */
static void
grow(struct uidtab *t)
{
	struct uidtab_slot	*old = t->v;
	size_t			 i, oldcap = t->v != NULL ?
	    (size_t)1 << t->bits : 0;

	t->bits = t->bits == 0 ? UIDTAB_MIN_BITS : t->bits + 1;
	t->v = xcalloc((size_t)1 << t->bits, sizeof *t->v);
	t->n = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].uid != 0)
			put_slot(t, old[i].uid, old[i].row);
	free(old);
}

void
uidtab_put(struct uidtab *t, uint32_t uid, uint32_t row)
{
	if (uid == 0)
		return;
	if (t->v == NULL || (t->n + 1) * 2 > (size_t)1 << t->bits)
		grow(t);
	put_slot(t, uid, row);
}

uint32_t
uidtab_get(const struct uidtab *t, uint32_t uid)
{
	size_t	 mask, h;

	if (t->v == NULL || uid == 0)
		return UIDTAB_NONE;
	mask = ((size_t)1 << t->bits) - 1;
	for (h = slot_of(t, uid); t->v[h].uid != 0; h = (h + 1) & mask)
		if (t->v[h].uid == uid)
			return t->v[h].row;
	return UIDTAB_NONE;
}

size_t
uidtab_probe_max(const struct uidtab *t)
{
	size_t	 cap, mask, i, d, max = 0;

	if (t->v == NULL)
		return 0;
	cap = (size_t)1 << t->bits;
	mask = cap - 1;
	for (i = 0; i < cap; i++) {
		if (t->v[i].uid == 0)
			continue;
		d = (i - slot_of(t, t->v[i].uid)) & mask;
		if (d > max)
			max = d;
	}
	return max;
}
