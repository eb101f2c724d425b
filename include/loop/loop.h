/* SPDX-License-Identifier: ISC */
/*
 * loop.h: the one event loop of pons.  A single thread poll()s every
 * registered descriptor (terminal, sockets, resolver pipes), a heap of
 * timers on CLOCK_MONOTONIC and a self-pipe that turns signals into
 * ordinary callbacks.  Nothing else in pons waits.
 *
 * One pass of the loop: poll (until the earliest timer, at once if deferred
 * calls are pending), dispatch ready descriptors, fire due timers in
 * deadline order, run the deferred calls queued before this point, then the
 * pass callback (the UI redraws there, once per pass).
 *
 * Every callback may add or remove any handle, including its own, and may
 * call loop_break().  Handles are owned by whoever created them; a removed
 * handle is freed by the loop at a safe point, never while it is in use.
 */
#ifndef PONS_LOOP_LOOP_H
#define PONS_LOOP_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop;
struct loop_fd;
struct loop_timer;

/* Interest and readiness bits of a descriptor. */
#define LOOP_READ	0x1
#define LOOP_WRITE	0x2
#define LOOP_ERROR	0x4	/* only reported: POLLERR, POLLHUP, POLLNVAL */

/* events: the LOOP_* bits that are ready (LOOP_ERROR may come alone). */
typedef void (*loop_fd_cb)(struct loop_fd *, int fd, int events, void *arg);
typedef void (*loop_timer_cb)(struct loop_timer *, void *arg);
typedef void (*loop_defer_cb)(void *arg);
typedef void (*loop_signal_cb)(int signo, void *arg);
typedef void (*loop_pass_cb)(void *arg);
typedef bool (*loop_cond_cb)(void *arg);

/*
 * A new loop.  Ignores SIGPIPE for the whole process (pons handles every
 * write error where it happens).  Never returns NULL.
 */
struct loop	*loop_new(void);
/*
 * Free the loop.  Descriptor watchers still registered and all timers
 * not yet freed go with it (their handles become invalid; descriptors
 * are not closed), pending deferred calls are dropped, and signals it handled get
 * their default disposition back.  NULL is fine.
 */
void		 loop_free(struct loop *);

/* Milliseconds on CLOCK_MONOTONIC; only differences mean anything. */
uint64_t	 loop_now(void);
/* The same clock in microseconds. */
uint64_t	 loop_now_us(void);

/*
 * Run passes until loop_break() is called, or until nothing is left to
 * wait for (no watcher, no armed timer, no deferred call; signal handlers
 * do not count).  Returns 0; the caller's own state says why it ended.
 */
int		 loop_run(struct loop *);
/*
 * One pass, waiting at most max_wait_ms for something to happen (-1: as
 * long as needed, 0: do not wait).  Returns the number of callbacks run
 * (descriptors, timers, deferred calls, signals; not the pass callback).
 */
int		 loop_run_once(struct loop *, int max_wait_ms);
/* Make loop_run() return after the current pass.  Safe in any callback. */
void		 loop_break(struct loop *);
/*
 * Run passes until cond(arg) is true (checked before the first pass and
 * after each one) or timeout_ms have passed.  Returns cond's last value.
 * Meant for tests and for short, bounded shutdown waits.
 */
bool		 loop_run_until(struct loop *, loop_cond_cb cond, void *arg,
		    int timeout_ms);
/* Called at the end of every pass (NULL clears it); one per loop. */
void		 loop_set_pass_cb(struct loop *, loop_pass_cb, void *arg);

/*
 * Watch fd for events (LOOP_READ and/or LOOP_WRITE; 0 keeps the watcher
 * but polls nothing).  The caller keeps fd open while watched and closes
 * it itself.  Returns a handle owned by the caller until loop_fd_remove().
 * At most one watcher per descriptor.
 */
struct loop_fd	*loop_fd_add(struct loop *, int fd, int events, loop_fd_cb,
		    void *arg);
/* Change the interest set; takes effect at the next poll. */
void		 loop_fd_set_events(struct loop_fd *, int events);
int		 loop_fd_get_events(const struct loop_fd *);
/*
 * Stop watching and release the handle (it must not be used again); the
 * callback will not be called again, even later in the current pass.
 * Safe inside any callback, its own included.  NULL is fine.
 */
void		 loop_fd_remove(struct loop_fd *);

/*
 * A timer, disarmed.  Owned by the caller until loop_timer_free(); the
 * loop never frees it by itself (except in loop_free()).
 */
struct loop_timer *loop_timer_new(struct loop *, loop_timer_cb, void *arg);
/*
 * Arm (or re-arm) t to fire delay_ms from now, then every interval_ms
 * (0: once).  A one-shot timer is disarmed when it fires and can be armed
 * again.  Timers with equal deadlines fire in the order they were armed.
 */
void		 loop_timer_set(struct loop_timer *, uint64_t delay_ms,
		    uint64_t interval_ms);
/* Arm t, once, for an absolute loop_now() time (in the past: next pass). */
void		 loop_timer_set_at(struct loop_timer *, uint64_t when_ms);
/* Disarm t; it stays allocated.  Safe inside any callback. */
void		 loop_timer_stop(struct loop_timer *);
bool		 loop_timer_is_armed(const struct loop_timer *);
/* Deadline (loop_now() time) of an armed timer; 0 if disarmed. */
uint64_t	 loop_timer_deadline(const struct loop_timer *);
/* Disarm and free t.  Safe inside any callback, its own included.  NULL ok. */
void		 loop_timer_free(struct loop_timer *);

/*
 * Call cb(arg) once, on the next pass after the current dispatch phase
 * (never from inside this call).  Calls queued by a deferred call run on
 * the following pass, so a deferred call that re-queues itself cannot
 * starve the loop.
 */
void		 loop_defer(struct loop *, loop_defer_cb, void *arg);
/*
 * The same on the pass after this one: after this pass's callback (the
 * screen), so what the call waits for does not hold the screen back.
 */
void		 loop_defer_next(struct loop *, loop_defer_cb, void *arg);
/* Drop every pending deferred call with this cb and arg.  Returns how many. */
int		 loop_defer_cancel(struct loop *, loop_defer_cb, void *arg);

/*
 * Deliver signo (SIGWINCH, SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGCONT, ...)
 * as cb(signo, arg) from the loop, through a self-pipe written by the
 * handler.  cb NULL restores the default disposition.  Several arrivals
 * before the loop runs may be merged into one call.  Only one loop in a
 * process should handle signals.  Returns 0, or -1 if signo is invalid.
 */
int		 loop_signal_set(struct loop *, int signo, loop_signal_cb,
		    void *arg);

#endif
