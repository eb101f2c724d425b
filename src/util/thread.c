/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <pthread.h>
#include <signal.h>

#include "util/thread.h"

int
thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t	 all, old;
	int		 rc;

	/* the new thread inherits the mask: block, start, restore */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
