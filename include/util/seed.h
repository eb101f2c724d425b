/* SPDX-License-Identifier: ISC */
/*
 * seed.h: random seeds for hash tables whose keys others choose (UIDs,
 * UIDLs, Message-IDs), so that no one can pick keys that collide.  Not
 * for secrets.
 */
#ifndef PONS_UTIL_SEED_H
#define PONS_UTIL_SEED_H

#include <stdint.h>

/* A random value (getentropy; failing that, the clock and the pid). */
uint64_t	 seed_random(void);
/*
 * A table's slot hash: h mixed with the table's seed by murmur3's 64-bit
 * finalizer.  Every bit of the result depends on every bit of h, and
 * which keys share the high or the low bits depends on the seed.
 */
uint64_t	 seed_mix(uint64_t h, uint64_t seed);

#endif
