/* SPDX-License-Identifier: ISC */
/*
 * The event loop: poll() over the registered descriptors, a binary heap of
 * timers, a queue of deferred calls and a signal self-pipe.  It knows
 * nothing of what the descriptors are.  Handles removed while the loop is
 * dispatching are only marked; they are freed at the end of the pass, so a
 * callback may remove anything, itself included.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loop/loop.h"
#include "util/xmalloc.h"

#define LOOP_NSIG	65

struct loop_fd {
	struct loop	*loop;
	int		 fd;
	int		 events;	/* LOOP_READ | LOOP_WRITE */
	bool		 dead;		/* removed; freed at end of pass */
	bool		 internal;	/* the signal pipe: not "work" */
	loop_fd_cb	 cb;
	void		*arg;
};

struct loop_timer {
	struct loop	*loop;
	uint64_t	 deadline;	/* loop_now() ms */
	uint64_t	 interval;	/* ms; 0 = one-shot */
	uint64_t	 seq;		/* arming order, breaks ties */
	size_t		 slot;		/* index in the heap, or SIZE_MAX */
	struct loop_timer *prev, *next;	/* every timer of the loop */
	loop_timer_cb	 cb;
	void		*arg;
};

struct loop_call {
	loop_defer_cb	 cb;		/* NULL once cancelled */
	void		*arg;
	uint64_t	 pass;		/* runs on this pass or later */
};

struct loop_sig {
	loop_signal_cb	 cb;
	void		*arg;
	bool		 installed;
	struct sigaction old;
};

struct loop {
	struct loop_fd	**fds;		/* live and dead watchers */
	size_t		 nfds, fdcap;
	size_t		 ndead;
	struct pollfd	*pfd;
	struct loop_fd	**pfdw;		/* watcher behind each pfd */
	size_t		 pfdcap;

	struct loop_timer **heap;
	size_t		 nheap, heapcap;
	struct loop_timer *timers;	/* all of them, armed or not */
	uint64_t	 seq;

	struct loop_call *calls;	/* pending deferred calls */
	size_t		 ncalls, callcap;
	struct loop_call *running;	/* batch being run, for cancel */
	size_t		 nrunning;
	uint64_t	 pass;		/* loop_run_once()s begun */

	struct loop_sig	 sigs[LOOP_NSIG];
	struct loop_fd	*sigw;
	int		 sigfd[2];

	loop_pass_cb	 pass_cb;
	void		*pass_arg;
	bool		 broken;
};

/* The write end of the self-pipe, for the async-signal handler. */
static volatile sig_atomic_t loop_sig_wfd = -1;

static void	 loop_sig_handler(int);
static void	 loop_sig_read(struct loop_fd *, int, int, void *);
static void	 loop_fd_collect(struct loop *);
static int	 loop_fd_dispatch(struct loop *, size_t);
static size_t	 loop_pfd_build(struct loop *);
static int	 loop_timeout(struct loop *, int);
static int	 loop_timers_fire(struct loop *);
static int	 loop_calls_run(struct loop *);
static bool	 loop_has_work(const struct loop *);
static bool	 timer_before(const struct loop_timer *,
		    const struct loop_timer *);
static void	 heap_swap(struct loop *, size_t, size_t);
static void	 heap_up(struct loop *, size_t);
static void	 heap_down(struct loop *, size_t);
static void	 heap_insert(struct loop *, struct loop_timer *);
static void	 heap_delete(struct loop *, struct loop_timer *);

uint64_t
loop_now_us(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t
loop_now(void)
{
	return loop_now_us() / 1000;
}

struct loop *
loop_new(void)
{
	struct loop	*l;
	struct sigaction sa;

	l = xcalloc(1, sizeof *l);
	l->sigfd[0] = l->sigfd[1] = -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	return l;
}

void
loop_free(struct loop *l)
{
	size_t	 i;

	if (l == NULL)
		return;
	for (i = 0; i < LOOP_NSIG; i++)
		if (l->sigs[i].installed)
			loop_signal_set(l, (int)i, NULL, NULL);
	if (l->sigfd[0] != -1) {
		loop_sig_wfd = -1;
		close(l->sigfd[0]);
		close(l->sigfd[1]);
	}
	for (i = 0; i < l->nfds; i++)
		free(l->fds[i]);
	while (l->timers != NULL)
		loop_timer_free(l->timers);
	free(l->fds);
	free(l->pfd);
	free(l->pfdw);
	free(l->heap);
	free(l->calls);
	free(l);
}

void
loop_break(struct loop *l)
{
	l->broken = true;
}

void
loop_set_pass_cb(struct loop *l, loop_pass_cb cb, void *arg)
{
	l->pass_cb = cb;
	l->pass_arg = arg;
}

int
loop_run(struct loop *l)
{
	l->broken = false;
	while (!l->broken && loop_has_work(l))
		loop_run_once(l, -1);
	l->broken = false;
	return 0;
}

bool
loop_run_until(struct loop *l, loop_cond_cb cond, void *arg, int timeout_ms)
{
	uint64_t	 end, now;

	end = loop_now() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms);
	while (!cond(arg)) {
		now = loop_now();
		if (now >= end)
			return false;
		loop_run_once(l, (int)(end - now));
	}
	return true;
}

int
loop_run_once(struct loop *l, int max_wait_ms)
{
	size_t	 n;
	int	 ran = 0;

	l->pass++;
	n = loop_pfd_build(l);
	if (poll(l->pfd, n, loop_timeout(l, max_wait_ms)) == -1) {
		if (errno != EINTR)
			fatal("poll");
	} else
		ran += loop_fd_dispatch(l, n);
	ran += loop_timers_fire(l);
	ran += loop_calls_run(l);
	loop_fd_collect(l);
	if (l->pass_cb != NULL)
		l->pass_cb(l->pass_arg);
	return ran;
}

static bool
loop_has_work(const struct loop *l)
{
	size_t	 i;

	if (l->nheap > 0 || l->ncalls > 0)
		return true;
	for (i = 0; i < l->nfds; i++)
		if (!l->fds[i]->dead && !l->fds[i]->internal)
			return true;
	return false;
}

/* Poll timeout: the earliest timer, 0 with deferred calls, capped. */
static int
loop_timeout(struct loop *l, int max_wait_ms)
{
	uint64_t	 now, wait;
	int		 t = max_wait_ms;

	if (l->ncalls > 0)
		return 0;
	if (l->nheap == 0)
		return t;
	now = loop_now();
	wait = l->heap[0]->deadline > now ? l->heap[0]->deadline - now : 0;
	if (wait > INT32_MAX)
		wait = INT32_MAX;
	if (t < 0 || (uint64_t)t > wait)
		t = (int)wait;
	return t;
}

/* Descriptors. */

struct loop_fd *
loop_fd_add(struct loop *l, int fd, int events, loop_fd_cb cb, void *arg)
{
	struct loop_fd	*w;

	w = xcalloc(1, sizeof *w);
	w->loop = l;
	w->fd = fd;
	w->events = events & (LOOP_READ | LOOP_WRITE);
	w->cb = cb;
	w->arg = arg;
	if (l->nfds == l->fdcap) {
		l->fdcap = l->fdcap ? l->fdcap * 2 : 16;
		l->fds = xreallocarray(l->fds, l->fdcap, sizeof *l->fds);
	}
	l->fds[l->nfds++] = w;
	return w;
}

void
loop_fd_set_events(struct loop_fd *w, int events)
{
	w->events = events & (LOOP_READ | LOOP_WRITE);
}

int
loop_fd_get_events(const struct loop_fd *w)
{
	return w->events;
}

void
loop_fd_remove(struct loop_fd *w)
{
	if (w == NULL || w->dead)
		return;
	w->dead = true;
	w->loop->ndead++;
}

/* Free watchers removed during the pass (none is in use now). */
static void
loop_fd_collect(struct loop *l)
{
	size_t	 i, j;

	if (l->ndead == 0)
		return;
	for (i = j = 0; i < l->nfds; i++) {
		if (l->fds[i]->dead)
			free(l->fds[i]);
		else
			l->fds[j++] = l->fds[i];
	}
	l->nfds = j;
	l->ndead = 0;
}

static size_t
loop_pfd_build(struct loop *l)
{
	struct loop_fd	*w;
	size_t		 i, n = 0;

	loop_fd_collect(l);
	if (l->pfdcap < l->nfds) {
		l->pfdcap = l->fdcap;
		l->pfd = xreallocarray(l->pfd, l->pfdcap, sizeof *l->pfd);
		l->pfdw = xreallocarray(l->pfdw, l->pfdcap, sizeof *l->pfdw);
	}
	for (i = 0; i < l->nfds; i++) {
		w = l->fds[i];
		l->pfd[n].fd = w->fd;
		l->pfd[n].events = 0;
		l->pfd[n].revents = 0;
		if (w->events & LOOP_READ)
			l->pfd[n].events |= POLLIN;
		if (w->events & LOOP_WRITE)
			l->pfd[n].events |= POLLOUT;
		l->pfdw[n++] = w;
	}
	return n;
}

static int
loop_fd_dispatch(struct loop *l, size_t n)
{
	struct loop_fd	*w;
	size_t		 i;
	int		 ev, ran = 0;

	for (i = 0; i < n; i++) {
		w = l->pfdw[i];
		if (l->pfd[i].revents == 0 || w->dead)
			continue;
		ev = 0;
		if (l->pfd[i].revents & POLLIN)
			ev |= LOOP_READ;
		if (l->pfd[i].revents & POLLOUT)
			ev |= LOOP_WRITE;
		if (l->pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL))
			ev |= LOOP_ERROR;
		/* Only what was asked for, plus errors. */
		ev &= w->events | LOOP_ERROR;
		if (ev == 0)
			continue;
		w->cb(w, w->fd, ev, w->arg);
		ran++;
	}
	return ran;
}

/* Timers: a binary min-heap ordered by (deadline, seq). */

struct loop_timer *
loop_timer_new(struct loop *l, loop_timer_cb cb, void *arg)
{
	struct loop_timer *t;

	t = xcalloc(1, sizeof *t);
	t->loop = l;
	t->slot = SIZE_MAX;
	t->cb = cb;
	t->arg = arg;
	t->next = l->timers;
	if (l->timers != NULL)
		l->timers->prev = t;
	l->timers = t;
	return t;
}

void
loop_timer_set(struct loop_timer *t, uint64_t delay_ms, uint64_t interval_ms)
{
	loop_timer_stop(t);
	t->deadline = loop_now() + delay_ms;
	t->interval = interval_ms;
	heap_insert(t->loop, t);
}

void
loop_timer_set_at(struct loop_timer *t, uint64_t when_ms)
{
	loop_timer_stop(t);
	t->deadline = when_ms;
	t->interval = 0;
	heap_insert(t->loop, t);
}

void
loop_timer_stop(struct loop_timer *t)
{
	if (t->slot != SIZE_MAX)
		heap_delete(t->loop, t);
}

bool
loop_timer_is_armed(const struct loop_timer *t)
{
	return t->slot != SIZE_MAX;
}

uint64_t
loop_timer_deadline(const struct loop_timer *t)
{
	return t->slot != SIZE_MAX ? t->deadline : 0;
}

void
loop_timer_free(struct loop_timer *t)
{
	if (t == NULL)
		return;
	loop_timer_stop(t);
	if (t->prev != NULL)
		t->prev->next = t->next;
	else
		t->loop->timers = t->next;
	if (t->next != NULL)
		t->next->prev = t->prev;
	free(t);
}

/*
 * Fire the timers due now, earliest first.  A timer armed during this
 * phase (seq past the start mark) waits for the next pass, so a callback
 * that re-arms with delay 0 cannot spin here.
 */
static int
loop_timers_fire(struct loop *l)
{
	struct loop_timer *t;
	uint64_t	 now, mark;
	int		 ran = 0;

	if (l->nheap == 0)
		return 0;
	now = loop_now();
	mark = l->seq;
	while (l->nheap > 0) {
		t = l->heap[0];
		if (t->deadline > now || t->seq > mark)
			break;
		heap_delete(l, t);
		if (t->interval > 0) {
			t->deadline += t->interval;
			if (t->deadline <= now)
				t->deadline = now + t->interval;
			heap_insert(l, t);
		}
		t->cb(t, t->arg);	/* may free t */
		ran++;
	}
	return ran;
}

static bool
timer_before(const struct loop_timer *a, const struct loop_timer *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->seq < b->seq;
}

static void
heap_swap(struct loop *l, size_t i, size_t j)
{
	struct loop_timer *t = l->heap[i];

	l->heap[i] = l->heap[j];
	l->heap[j] = t;
	l->heap[i]->slot = i;
	l->heap[j]->slot = j;
}

static void
heap_up(struct loop *l, size_t i)
{
	while (i > 0 && timer_before(l->heap[i], l->heap[(i - 1) / 2])) {
		heap_swap(l, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
heap_down(struct loop *l, size_t i)
{
	size_t	 c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= l->nheap)
			break;
		if (c + 1 < l->nheap && timer_before(l->heap[c + 1], l->heap[c]))
			c++;
		if (!timer_before(l->heap[c], l->heap[i]))
			break;
		heap_swap(l, i, c);
		i = c;
	}
}

static void
heap_insert(struct loop *l, struct loop_timer *t)
{
	if (l->nheap == l->heapcap) {
		l->heapcap = l->heapcap ? l->heapcap * 2 : 16;
		l->heap = xreallocarray(l->heap, l->heapcap, sizeof *l->heap);
	}
	t->seq = ++l->seq;
	t->slot = l->nheap;
	l->heap[l->nheap++] = t;
	heap_up(l, t->slot);
}

static void
heap_delete(struct loop *l, struct loop_timer *t)
{
	size_t	 i = t->slot;

	t->slot = SIZE_MAX;
	if (--l->nheap == i)
		return;
	l->heap[i] = l->heap[l->nheap];
	l->heap[i]->slot = i;
	heap_down(l, i);
	heap_up(l, i);
}

/* Deferred calls. */

static void
loop_call_add(struct loop *l, loop_defer_cb cb, void *arg, uint64_t pass)
{
	if (l->ncalls == l->callcap) {
		l->callcap = l->callcap ? l->callcap * 2 : 16;
		l->calls = xreallocarray(l->calls, l->callcap, sizeof *l->calls);
	}
	l->calls[l->ncalls].cb = cb;
	l->calls[l->ncalls].arg = arg;
	l->calls[l->ncalls++].pass = pass;
}

void
loop_defer(struct loop *l, loop_defer_cb cb, void *arg)
{
	loop_call_add(l, cb, arg, 0);
}

void
loop_defer_next(struct loop *l, loop_defer_cb cb, void *arg)
{
	loop_call_add(l, cb, arg, l->pass + 1);
}

int
loop_defer_cancel(struct loop *l, loop_defer_cb cb, void *arg)
{
	size_t	 i, j;
	int	 n = 0;

	for (i = 0; i < l->nrunning; i++) {
		if (l->running[i].cb == cb && l->running[i].arg == arg) {
			l->running[i].cb = NULL;
			n++;
		}
	}
	for (i = j = 0; i < l->ncalls; i++) {
		if (l->calls[i].cb == cb && l->calls[i].arg == arg)
			n++;
		else
			l->calls[j++] = l->calls[i];
	}
	l->ncalls = j;
	return n;
}

/* Run the calls queued so far; the ones they queue wait a pass. */
static int
loop_calls_run(struct loop *l)
{
	struct loop_call *batch;
	loop_defer_cb	 cb;
	size_t		 i, n;
	int		 ran = 0;

	if (l->ncalls == 0)
		return 0;
	batch = l->calls;
	n = l->ncalls;
	l->calls = NULL;
	l->ncalls = l->callcap = 0;
	l->running = batch;
	l->nrunning = n;
	for (i = 0; i < n; i++) {
		if ((cb = batch[i].cb) == NULL)
			continue;
		batch[i].cb = NULL;
		if (batch[i].pass > l->pass) {	/* loop_defer_next */
			loop_call_add(l, cb, batch[i].arg, batch[i].pass);
			continue;
		}
		cb(batch[i].arg);
		ran++;
	}
	l->running = NULL;
	l->nrunning = 0;
	free(batch);
	return ran;
}

/* Signals: the handler writes the signal number into a self-pipe. */

static void
loop_sig_handler(int signo)
{
	int		 saved = errno;
	unsigned char	 c = (unsigned char)signo;

	if (loop_sig_wfd != -1)
		(void)write(loop_sig_wfd, &c, 1);
	errno = saved;
}

static void
loop_sig_read(struct loop_fd *w, int fd, int events, void *arg)
{
	struct loop	*l = arg;
	unsigned char	 buf[64];
	bool		 seen[LOOP_NSIG];
	ssize_t		 n, i;

	memset(seen, 0, sizeof seen);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (i = 0; i < n; i++)
			if (buf[i] < LOOP_NSIG)
				seen[buf[i]] = true;
	for (i = 0; i < LOOP_NSIG; i++)
		if (seen[i] && l->sigs[i].cb != NULL)
			l->sigs[i].cb((int)i, l->sigs[i].arg);
}

static int
loop_sig_pipe(struct loop *l)
{
	int	 i;

	if (l->sigfd[0] != -1)
		return 0;
	if (pipe(l->sigfd) == -1)
		fatal("pipe");
	for (i = 0; i < 2; i++) {
		fcntl(l->sigfd[i], F_SETFL,
		    fcntl(l->sigfd[i], F_GETFL) | O_NONBLOCK);
		fcntl(l->sigfd[i], F_SETFD, FD_CLOEXEC);
	}
	l->sigw = loop_fd_add(l, l->sigfd[0], LOOP_READ, loop_sig_read, l);
	l->sigw->internal = true;
	loop_sig_wfd = l->sigfd[1];
	return 0;
}

int
loop_signal_set(struct loop *l, int signo, loop_signal_cb cb, void *arg)
{
	struct loop_sig	*s;
	struct sigaction sa;

	if (signo <= 0 || signo >= LOOP_NSIG || signo == SIGKILL ||
	    signo == SIGSTOP)
		return -1;
	s = &l->sigs[signo];
	if (cb == NULL) {
		if (s->installed)
			sigaction(signo, &s->old, NULL);
		s->installed = false;
		s->cb = NULL;
		return 0;
	}
	loop_sig_pipe(l);
	s->cb = cb;
	s->arg = arg;
	if (s->installed)
		return 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = loop_sig_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (signo == SIGCHLD)
		sa.sa_flags |= SA_NOCLDSTOP;
	if (sigaction(signo, &sa, &s->old) == -1)
		return -1;
	s->installed = true;
	return 0;
}
