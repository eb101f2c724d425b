/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "util/seed.h"

uint64_t
seed_random(void)
{
	struct timespec	 ts;
	uint64_t	 s;

	if (getentropy(&s, sizeof s) == 0)
		return s;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_nsec << 32 ^ (uint64_t)ts.tv_sec) *
	    0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
}

uint64_t
seed_mix(uint64_t h, uint64_t seed)
{
	h ^= seed;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}
