/* SPDX-License-Identifier: ISC */
/*
 * thread.h: starting a worker thread that leaves every signal to the
 * thread of the loop (its self-pipe).
 */
#ifndef PONS_UTIL_THREAD_H
#define PONS_UTIL_THREAD_H

#include <pthread.h>

/* pthread_create(t, NULL, fn, arg) with every signal blocked in t. */
int	 thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
