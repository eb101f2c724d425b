/* SPDX-License-Identifier: ISC */
/* bench-msg.h: shared helpers of the bench-msg program. */
#ifndef PONS_BENCH_MSG_H
#define PONS_BENCH_MSG_H

#include <stdint.h>

uint64_t	 bench_rand(void);
double		 bench_now(void);
/* CPU time of the process: the figure that survives a busy machine. */
double		 bench_cpu(void);
/* Header parsing and full MIME decode figures (bench-mime.c). */
void		 bench_mime(void);

#endif
