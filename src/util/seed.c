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
