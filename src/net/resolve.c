/* SPDX-License-Identifier: ISC */
/*
 * Name resolution off the loop thread.  Each lookup of a name gets a
 * detached helper thread that calls getaddrinfo() and then writes one byte
 * into a socketpair watched by the loop.  The job the thread fills is
 * shared by the two sides and reference counted, so either may finish
 * first: a cancelled lookup's thread frees the job itself.  IP literals
 * need no thread and are answered through a deferred call.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop/loop.h"
#include "net/resolve.h"
#include "util/err.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct resolve_job {
	atomic_int	 refs;		/* the thread and the loop side */
	char		*host;
	char		*port;
	struct addrinfo	*ai;		/* result, until taken */
	int		 gai;		/* getaddrinfo() status */
	int		 sys;		/* errno for EAI_SYSTEM */
	int		 wfd;		/* the thread's end */
};

struct resolve {
	struct loop	*loop;
	struct resolve_job *job;	/* NULL for literals */
	int		 rfd;
	struct loop_fd	*w;
	resolve_cb	 cb;
	void		*arg;
};

static void	 job_unref(struct resolve_job *);
static void	*resolve_thread(void *);
static void	 resolve_done(struct resolve *, struct resolve_job *);
static void	 resolve_read(struct loop_fd *, int, int, void *);
static void	 resolve_now(void *);
static void	 resolve_hints(struct addrinfo *, int);

static void
resolve_hints(struct addrinfo *h, int flags)
{
	memset(h, 0, sizeof *h);
	h->ai_family = AF_UNSPEC;
	h->ai_socktype = SOCK_STREAM;
	h->ai_protocol = IPPROTO_TCP;
	h->ai_flags = flags;
}

static void
job_unref(struct resolve_job *j)
{
	if (atomic_fetch_sub(&j->refs, 1) != 1)
		return;
	if (j->ai != NULL)
		freeaddrinfo(j->ai);
	free(j->host);
	free(j->port);
	free(j);
}

static void *
resolve_thread(void *arg)
{
	struct resolve_job *j = arg;
	struct addrinfo	 hints;
	char		 c = 'r';

	resolve_hints(&hints, 0);
	j->gai = getaddrinfo(j->host, j->port, &hints, &j->ai);
	j->sys = errno;
	/* MSG_NOSIGNAL: the loop side may have closed its end (cancel). */
	(void)send(j->wfd, &c, 1, MSG_NOSIGNAL);
	close(j->wfd);
	job_unref(j);
	return NULL;
}

struct resolve *
resolve_start(struct loop *l, const char *host, const char *port,
    resolve_cb cb, void *arg)
{
	struct resolve	*r;
	struct resolve_job *j;
	struct addrinfo	 hints;
	pthread_attr_t	 attr;
	pthread_t	 tid;
	int		 sv[2];

	r = xcalloc(1, sizeof *r);
	r->loop = l;
	r->rfd = -1;
	r->cb = cb;
	r->arg = arg;
	j = xcalloc(1, sizeof *j);
	atomic_init(&j->refs, 1);
	j->host = xstrdup(host);
	j->port = xstrdup(port);
	j->wfd = -1;
	r->job = j;

	/* An IP literal converts at once and never blocks. */
	resolve_hints(&hints, AI_NUMERICHOST);
	j->gai = getaddrinfo(host, port, &hints, &j->ai);
	if (j->gai != EAI_NONAME) {
		j->sys = errno;
		loop_defer(l, resolve_now, r);
		return r;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
		j->gai = EAI_SYSTEM;
		j->sys = errno;
		loop_defer(l, resolve_now, r);
		return r;
	}
	r->rfd = sv[0];
	j->wfd = sv[1];
	atomic_fetch_add(&j->refs, 1);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if ((errno = pthread_create(&tid, &attr, resolve_thread, j)) != 0) {
		j->gai = EAI_SYSTEM;
		j->sys = errno;
		close(j->wfd);
		atomic_fetch_sub(&j->refs, 1);
		pthread_attr_destroy(&attr);
		loop_defer(l, resolve_now, r);
		return r;
	}
	pthread_attr_destroy(&attr);
	r->w = loop_fd_add(l, r->rfd, LOOP_READ, resolve_read, r);
	log_debug("resolve: looking up %s port %s", host, port);
	return r;
}

void
resolve_cancel(struct resolve *r)
{
	if (r == NULL)
		return;
	loop_defer_cancel(r->loop, resolve_now, r);
	loop_fd_remove(r->w);
	if (r->rfd != -1)
		close(r->rfd);
	job_unref(r->job);
	free(r);
}

/* Hand the result to the callback, then free the handle. */
static void
resolve_done(struct resolve *r, struct resolve_job *j)
{
	struct addrinfo	*ai = NULL;
	struct err	 e;
	resolve_cb	 cb = r->cb;
	void		*arg = r->arg;
	int		 failed;

	failed = j->gai != 0 || j->ai == NULL;
	if (failed) {
		if (j->gai == EAI_SYSTEM)
			err_set(&e, ERR_TEMP, "cannot resolve %.100s: %s",
			    j->host, strerror(j->sys));
		else
			err_set(&e, ERR_TEMP, "cannot resolve %.100s: %s",
			    j->host, j->gai != 0 ? gai_strerror(j->gai) :
			    "no address");
		log_debug("resolve: %s", e.msg);
	} else {
		ai = j->ai;
		j->ai = NULL;
	}
	r->cb = NULL;
	loop_fd_remove(r->w);
	r->w = NULL;
	if (r->rfd != -1)
		close(r->rfd);
	r->rfd = -1;
	job_unref(j);
	free(r);
	cb(ai, failed ? &e : NULL, arg);
}

static void
resolve_read(struct loop_fd *w, int fd, int events, void *arg)
{
	struct resolve	*r = arg;
	char		 c;

	if (recv(fd, &c, 1, 0) == -1 && errno == EAGAIN)
		return;
	resolve_done(r, r->job);
}

/* A literal, or a failure before any thread ran. */
static void
resolve_now(void *arg)
{
	struct resolve	*r = arg;

	resolve_done(r, r->job);
}
