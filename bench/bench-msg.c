/* SPDX-License-Identifier: ISC */
/*
 * bench-msg: speed of the message engine on generated data (make bench).
 * Deterministic input, built in memory, so runs compare across machines:
 *   - threading 1,000,000 synthetic messages (References chains, replies
 *     that lost their references, missing parents, dates out of order);
 *   - header parsing (MB/s) and full MIME decode plus render (msgs/s)
 *     over a generated set of typical messages.
 * Prints one line per figure.  Not part of make check.
 *
 *	bench/bench-msg [MESSAGES [thread]]	("thread": threading only)
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg/thread.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include "bench-msg.h"

static uint64_t	 bench_seed = 88172645463325252ULL;

uint64_t
bench_rand(void)
{
	bench_seed ^= bench_seed << 13;
	bench_seed ^= bench_seed >> 7;
	bench_seed ^= bench_seed << 17;
	return bench_seed;
}

double
bench_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
bench_cpu(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
bench_thread(size_t n)
{
	static const char *const subjects[] = { "Meeting on Friday",
	    "Build broken", "Lunch?", "Quarterly report", "Re: Lunch?",
	    "AW: Quarterly report", "Holiday plans", "Patch review" };
	struct thread_msg	*m;
	struct thread_result	 r;
	struct err		 e;
	char			*ids, *refs;
	size_t			 i, p, idw = 40, refw = 2 * 40 + 2;
	double			 t0, t1, c0, c1;
	uint64_t		 x;
	int			 len;

	m = xcalloc(n, sizeof *m);
	ids = xcalloc(n, idw);
	refs = xcalloc(n, refw);
	for (i = 0; i < n; i++) {
		x = bench_rand();
		len = snprintf(ids + i * idw, idw, "<%zu.%08x@bench.example>",
		    i, (unsigned int)(x & 0xffffffff));
		m[i].msgid = ids + i * idw;
		m[i].msgid_len = (size_t)len;
		m[i].subject = subjects[(x >> 32) % 8];
		m[i].subject_len = strlen(m[i].subject);
		/* mostly in date order, with some jitter */
		m[i].date = (int64_t)i * 60 + (int64_t)((x >> 40) % 600);
		if (i == 0 || (x >> 8) % 10 < 3)
			continue;		/* a new thread */
		/* reply to a recent message; keep parent's parent too */
		p = i - 1 - (size_t)((x >> 16) % (i < 500 ? i : 500));
		if ((x >> 24) % 50 == 0)
			continue;		/* lost its references */
		len = snprintf(refs + i * refw, refw, "%.*s %.*s",
		    m[p].refs_len > 0 ? (int)strcspn(m[p].refs, " ") : 0,
		    m[p].refs != NULL ? m[p].refs : "",
		    (int)m[p].msgid_len, m[p].msgid);
		m[i].refs = refs + i * refw;
		m[i].refs_len = (size_t)len;
	}
	t0 = bench_now();
	c0 = bench_cpu();
	if (thread_build(&r, m, n, &e) == -1) {
		fprintf(stderr, "thread: %s\n", e.msg);
		exit(1);
	}
	c1 = bench_cpu();
	t1 = bench_now();
	printf("thread: %zu messages in %.3f s wall, %.3f s CPU "
	    "(%.0f msgs/s by CPU time)\n", n, t1 - t0, c1 - c0,
	    (double)n / (c1 - c0));
	thread_result_free(&r);
	free(m);
	free(ids);
	free(refs);
}

int
main(int argc, char **argv)
{
	size_t	 n = 1000000;

	if (argc > 1)
		n = strtoul(argv[1], NULL, 10);
	bench_thread(n);
	/* "bench-msg N thread" times the threader alone (for profiling) */
	if (argc > 2 && strcmp(argv[2], "thread") == 0)
		return 0;
	bench_mime();
	return 0;
}
