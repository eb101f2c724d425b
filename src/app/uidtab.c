/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/uidtab.h"
#include "util/seed.h"
#include "util/xmalloc.h"

#define UIDTAB_MIN_BITS	10

/*
 * Multiply-shift: the high bits of uid times an odd multiplier.  For a
 * multiplier the server cannot know, two UIDs share a slot with chance
 * about 2 / slots, whatever UIDs it chose.
 */
static size_t
slot_of(const struct uidtab *t, uint32_t uid)
{
	return (uint32_t)(uid * t->mul) >> (32 - t->bits);
}

void
uidtab_init(struct uidtab *t, uint32_t mul)
{
	memset(t, 0, sizeof *t);
	t->mul = (mul != 0 ? mul : (uint32_t)seed_random()) | 1;
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
