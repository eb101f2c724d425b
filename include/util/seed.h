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

#endif
