/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for loop/: timer order, repeating timers, removal of timers
 * and descriptors inside callbacks, signals through the self-pipe,
 * deferred calls, descriptor readiness with a pipe.  Assertions are on
 * order and counts, never on how long anything took.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "loop/loop.h"

#define WAIT_MS	5000	/* generous bound: only a broken loop hits it */

struct rec {
	int	 order[32];
	int	 n;
};

struct tctx {
	struct rec		*rec;
	int			 id;
	struct loop_timer	*self;
	struct loop_timer	*victim;	/* freed by this callback */
	struct loop		*loop;
	int			 fired;
	int			 stop_after;
};

static void
rec_add(struct rec *r, int id)
{
	if (r->n < (int)(sizeof r->order / sizeof r->order[0]))
		r->order[r->n++] = id;
}

static void
t_record(struct loop_timer *t, void *arg)
{
	struct tctx	*c = arg;

	c->fired++;
	rec_add(c->rec, c->id);
	if (c->victim != NULL) {
		loop_timer_free(c->victim);
		c->victim = NULL;
	}
	if (c->stop_after > 0 && c->fired >= c->stop_after)
		loop_timer_free(t);	/* free itself, repeating */
}

static bool
count_reached(void *arg)
{
	struct tctx	*c = arg;

	return c->fired >= c->stop_after;
}

static void
test_timers_in_deadline_order(void **state)
{
	struct loop	*l = loop_new();
	struct rec	 r;
	struct tctx	 c[5];
	int		 delays[5] = { 40, 10, 30, 0, 20 };
	uint64_t	 base = loop_now();
	int		 i;

	memset(&r, 0, sizeof r);
	memset(c, 0, sizeof c);
	for (i = 0; i < 5; i++) {
		c[i].rec = &r;
		c[i].id = i;
		c[i].self = loop_timer_new(l, t_record, &c[i]);
		loop_timer_set_at(c[i].self, base + (uint64_t)delays[i]);
	}
	assert_int_equal(loop_run(l), 0);	/* returns: nothing left */
	assert_int_equal(r.n, 5);
	assert_int_equal(r.order[0], 3);
	assert_int_equal(r.order[1], 1);
	assert_int_equal(r.order[2], 4);
	assert_int_equal(r.order[3], 2);
	assert_int_equal(r.order[4], 0);
	for (i = 0; i < 5; i++) {
		assert_false(loop_timer_is_armed(c[i].self));
		loop_timer_free(c[i].self);
	}
	loop_free(l);
}

static void
test_timers_equal_deadline_fifo(void **state)
{
	struct loop	*l = loop_new();
	struct rec	 r;
	struct tctx	 c[6];
	uint64_t	 when = loop_now() + 5;
	int		 i;

	memset(&r, 0, sizeof r);
	memset(c, 0, sizeof c);
	for (i = 0; i < 6; i++) {
		c[i].rec = &r;
		c[i].id = i;
		c[i].self = loop_timer_new(l, t_record, &c[i]);
		loop_timer_set_at(c[i].self, when);
	}
	loop_run(l);
	assert_int_equal(r.n, 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(r.order[i], i);
	loop_free(l);	/* frees the (disarmed) timers too */
}

static void
test_timer_repeating(void **state)
{
	struct loop	*l = loop_new();
	struct rec	 r;
	struct tctx	 c;

	memset(&r, 0, sizeof r);
	memset(&c, 0, sizeof c);
	c.rec = &r;
	c.stop_after = 4;
	c.self = loop_timer_new(l, t_record, &c);
	loop_timer_set(c.self, 1, 2);
	assert_true(loop_run_until(l, count_reached, &c, WAIT_MS));
	/* It freed itself on the 4th firing: nothing is left to run. */
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(c.fired, 4);
	loop_free(l);
}

static void
test_timer_free_other_inside_callback(void **state)
{
	struct loop	*l = loop_new();
	struct rec	 r;
	struct tctx	 a, b;

	memset(&r, 0, sizeof r);
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.rec = b.rec = &r;
	a.id = 1;
	b.id = 2;
	a.self = loop_timer_new(l, t_record, &a);
	b.self = loop_timer_new(l, t_record, &b);
	/* Same deadline: a fires first and frees b before its turn. */
	loop_timer_set_at(a.self, loop_now());
	loop_timer_set_at(b.self, loop_now());
	a.victim = b.self;
	loop_run(l);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.order[0], 1);
	assert_int_equal(b.fired, 0);
	loop_timer_free(a.self);
	loop_free(l);
}

static void
test_timer_stop_and_rearm(void **state)
{
	struct loop	*l = loop_new();
	struct rec	 r;
	struct tctx	 c;

	memset(&r, 0, sizeof r);
	memset(&c, 0, sizeof c);
	c.rec = &r;
	c.self = loop_timer_new(l, t_record, &c);
	loop_timer_set(c.self, 1000000, 0);
	assert_true(loop_timer_is_armed(c.self));
	assert_true(loop_timer_deadline(c.self) > loop_now());
	loop_timer_stop(c.self);
	assert_false(loop_timer_is_armed(c.self));
	assert_int_equal(loop_timer_deadline(c.self), 0);
	loop_run(l);			/* returns at once: nothing armed */
	assert_int_equal(c.fired, 0);
	loop_timer_set(c.self, 0, 0);
	loop_run(l);
	assert_int_equal(c.fired, 1);
	loop_timer_free(c.self);
	loop_free(l);
}

/* Many timers, deadlines in a scrambled order, fire sorted. */
struct many {
	uint64_t	 deadline;
	uint64_t	*last;
	int		*fired;
	bool		*sorted;
};

static void
t_many(struct loop_timer *t, void *arg)
{
	struct many	*m = arg;

	if (m->deadline < *m->last)
		*m->sorted = false;
	*m->last = m->deadline;
	(*m->fired)++;
}

static void
test_timers_many_sorted(void **state)
{
	struct loop	*l = loop_new();
	struct loop_timer *t[1000];
	struct many	 m[1000];
	uint64_t	 base = loop_now(), last = 0;
	int		 i, fired = 0;
	bool		 sorted = true;

	for (i = 0; i < 1000; i++) {
		/* 0..49 ms, scrambled (7 is coprime with 50). */
		m[i] = (struct many){ base + (uint64_t)(i * 7 % 50), &last,
		    &fired, &sorted };
		t[i] = loop_timer_new(l, t_many, &m[i]);
		loop_timer_set_at(t[i], m[i].deadline);
	}
	/* Stop a tenth of them: they must not fire. */
	for (i = 0; i < 1000; i += 10)
		loop_timer_stop(t[i]);
	loop_run(l);
	assert_int_equal(fired, 900);
	assert_true(sorted);
	loop_free(l);
}

struct rearm {
	struct loop	*loop;
	int		 fired;
};

static void
t_rearm_zero(struct loop_timer *t, void *arg)
{
	struct rearm	*r = arg;

	if (++r->fired < 3)
		loop_timer_set(t, 0, 0);	/* again, "now" */
}

static void
test_timer_rearm_zero_waits_a_pass(void **state)
{
	struct loop	*l = loop_new();
	struct loop_timer *t;
	struct rearm	 r = { l, 0 };

	t = loop_timer_new(l, t_rearm_zero, &r);
	loop_timer_set(t, 0, 0);
	/* One firing per pass: re-arming inside the callback cannot spin. */
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(r.fired, 1);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(r.fired, 2);
	loop_run(l);
	assert_int_equal(r.fired, 3);
	loop_timer_free(t);
	loop_free(l);
}

/* Deferred calls. */

struct dctx {
	struct loop	*loop;
	struct rec	*rec;
	int		 id;
	int		 requeue;
};

static void
d_record(void *arg)
{
	struct dctx	*d = arg;

	rec_add(d->rec, d->id);
	if (d->requeue-- > 0)
		loop_defer(d->loop, d_record, d);
}

static void
test_defer_order_and_next_pass(void **state)
{
	struct loop	*l = loop_new();
	struct rec	 r;
	struct dctx	 a, b, c;

	memset(&r, 0, sizeof r);
	a = (struct dctx){ l, &r, 1, 2 };
	b = (struct dctx){ l, &r, 2, 0 };
	c = (struct dctx){ l, &r, 3, 0 };
	loop_defer(l, d_record, &a);
	loop_defer(l, d_record, &b);
	loop_defer(l, d_record, &c);
	assert_int_equal(loop_defer_cancel(l, d_record, &c), 1);
	assert_int_equal(r.n, 0);		/* never run from loop_defer */
	/* Pass 1 runs a and b; a's re-queue waits for pass 2. */
	assert_int_equal(loop_run_once(l, 0), 2);
	assert_int_equal(r.n, 2);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.order[0], 1);
	assert_int_equal(r.order[1], 2);
	assert_int_equal(r.order[2], 1);
	assert_int_equal(r.order[3], 1);
	loop_free(l);
}

/* A timer's callback queues d now and e after this pass. */
struct next_ctx {
	struct loop	*loop;
	struct dctx	*now, *next;
};

static void
t_defer_both(struct loop_timer *t, void *arg)
{
	struct next_ctx	*nc = arg;

	(void)t;
	loop_defer(nc->loop, d_record, nc->now);
	loop_defer_next(nc->loop, d_record, nc->next);
}

static void
rec_pass(void *arg)
{
	rec_add(arg, 100);
}

static void
test_defer_next_after_pass_cb(void **state)
{
	struct loop		*l = loop_new();
	struct loop_timer	*t;
	struct rec		 r;
	struct dctx		 a, b, c;
	struct next_ctx		 nc = { l, &a, &b };

	memset(&r, 0, sizeof r);
	a = (struct dctx){ l, &r, 1, 0 };
	b = (struct dctx){ l, &r, 2, 0 };
	c = (struct dctx){ l, &r, 3, 0 };
	loop_set_pass_cb(l, rec_pass, &r);
	t = loop_timer_new(l, t_defer_both, &nc);
	loop_timer_set(t, 0, 0);
	/* the timer, a, the pass callback; b only on the next pass */
	assert_int_equal(loop_run_once(l, 0), 2);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.order[0], 1);
	assert_int_equal(r.order[1], 100);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.order[2], 2);
	assert_int_equal(r.order[3], 100);
	/* queued outside a pass: the next pass; and it can be cancelled */
	loop_defer_next(l, d_record, &b);
	loop_defer_next(l, d_record, &c);
	assert_int_equal(loop_defer_cancel(l, d_record, &c), 1);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(r.n, 6);
	assert_int_equal(r.order[4], 2);
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(r.n, 7);
	loop_timer_free(t);
	loop_free(l);
}

struct cancel_ctx {
	struct loop	*loop;
	struct dctx	*other;
	int		 ran;
};

static void
d_cancel_other(void *arg)
{
	struct cancel_ctx *cc = arg;

	cc->ran++;
	loop_defer_cancel(cc->loop, d_record, cc->other);
}

static void
test_defer_cancel_inside_batch(void **state)
{
	struct loop	*l = loop_new();
	struct rec	 r;
	struct dctx	 b;
	struct cancel_ctx cc;

	memset(&r, 0, sizeof r);
	b = (struct dctx){ l, &r, 2, 0 };
	cc = (struct cancel_ctx){ l, &b, 0 };
	loop_defer(l, d_cancel_other, &cc);
	loop_defer(l, d_record, &b);
	loop_run(l);
	assert_int_equal(cc.ran, 1);
	assert_int_equal(r.n, 0);
	loop_free(l);
}

/* Descriptors. */

struct fctx {
	struct loop_fd	*w;
	int		 reads;
	int		 writes;
	char		 got[64];
	size_t		 ngot;
	struct loop_fd	*victim;
	bool		 remove_self;
};

static void
f_cb(struct loop_fd *w, int fd, int events, void *arg)
{
	struct fctx	*f = arg;
	ssize_t		 n;

	if (events & LOOP_READ) {
		f->reads++;
		n = read(fd, f->got + f->ngot, sizeof f->got - f->ngot - 1);
		if (n > 0)
			f->ngot += (size_t)n;
	}
	if (events & LOOP_WRITE)
		f->writes++;
	if (f->victim != NULL) {
		loop_fd_remove(f->victim);
		f->victim = NULL;
	}
	if (f->remove_self) {
		loop_fd_remove(w);
		f->w = NULL;
	}
}

static void
test_fd_pipe_readiness(void **state)
{
	struct loop	*l = loop_new();
	struct fctx	 f;
	int		 p[2];

	memset(&f, 0, sizeof f);
	assert_int_equal(pipe(p), 0);
	f.w = loop_fd_add(l, p[0], LOOP_READ, f_cb, &f);
	assert_int_equal(loop_run_once(l, 0), 0);	/* nothing to read */
	assert_int_equal(f.reads, 0);
	assert_int_equal(write(p[1], "ping", 4), 4);
	assert_int_equal(loop_run_once(l, WAIT_MS), 1);
	assert_int_equal(f.reads, 1);
	assert_int_equal(f.ngot, 4);
	assert_memory_equal(f.got, "ping", 4);
	/* Interest cleared: readable data is not reported. */
	loop_fd_set_events(f.w, 0);
	assert_int_equal(loop_fd_get_events(f.w), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(loop_run_once(l, 0), 0);
	loop_fd_set_events(f.w, LOOP_READ);
	assert_int_equal(loop_run_once(l, WAIT_MS), 1);
	assert_int_equal(f.ngot, 5);
	loop_fd_remove(f.w);
	loop_run(l);			/* returns: nothing watched */
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

static void
test_fd_write_and_hup(void **state)
{
	struct loop	*l = loop_new();
	struct fctx	 f;
	int		 p[2];

	memset(&f, 0, sizeof f);
	assert_int_equal(pipe(p), 0);
	f.w = loop_fd_add(l, p[1], LOOP_WRITE, f_cb, &f);
	assert_int_equal(loop_run_once(l, WAIT_MS), 1);
	assert_int_equal(f.writes, 1);
	loop_fd_remove(f.w);
	/* The write end closed: the read end sees EOF (readable or HUP). */
	close(p[1]);
	f.w = loop_fd_add(l, p[0], LOOP_READ, f_cb, &f);
	f.remove_self = true;
	assert_int_equal(loop_run_once(l, WAIT_MS), 1);
	assert_null(f.w);
	assert_int_equal(loop_run_once(l, 0), 0);
	close(p[0]);
	loop_free(l);
}

static void
test_fd_remove_other_inside_callback(void **state)
{
	struct loop	*l = loop_new();
	struct fctx	 a, b;
	int		 p[2], q[2];

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(pipe(q), 0);
	a.w = loop_fd_add(l, p[0], LOOP_READ, f_cb, &a);
	b.w = loop_fd_add(l, q[0], LOOP_READ, f_cb, &b);
	a.victim = b.w;			/* a runs first (added first) */
	assert_int_equal(write(p[1], "a", 1), 1);
	assert_int_equal(write(q[1], "b", 1), 1);
	assert_int_equal(loop_run_once(l, WAIT_MS), 1);
	assert_int_equal(a.reads, 1);
	assert_int_equal(b.reads, 0);	/* removed before its turn */
	/* And it stays removed. */
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(b.reads, 0);
	/* Removing itself inside the callback. */
	a.remove_self = true;
	assert_int_equal(write(p[1], "a", 1), 1);
	assert_int_equal(loop_run_once(l, WAIT_MS), 1);
	assert_null(a.w);
	assert_int_equal(write(p[1], "a", 1), 1);
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(a.reads, 2);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	loop_free(l);
}

/* Signals. */

struct sctx {
	int	 count[65];
	int	 last;
};

static void
s_cb(int signo, void *arg)
{
	struct sctx	*s = arg;

	s->count[signo]++;
	s->last = signo;
}

static bool
s_seen_usr1(void *arg)
{
	return ((struct sctx *)arg)->count[SIGUSR1] > 0;
}

static void
test_signals_as_events(void **state)
{
	struct loop	*l = loop_new();
	struct sctx	 s;
	int		 sigs[] = { SIGWINCH, SIGCHLD, SIGTERM, SIGINT, SIGHUP,
			    SIGCONT };
	size_t		 i;

	memset(&s, 0, sizeof s);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		assert_int_equal(loop_signal_set(l, sigs[i], s_cb, &s), 0);
		assert_int_equal(raise(sigs[i]), 0);
		/* Delivered from the loop, not from the handler. */
		assert_int_equal(s.count[sigs[i]], 0);
		assert_int_equal(loop_run_once(l, WAIT_MS), 1);
		assert_int_equal(s.count[sigs[i]], 1);
		assert_int_equal(s.last, sigs[i]);
	}
	assert_int_equal(loop_signal_set(l, 0, s_cb, &s), -1);
	assert_int_equal(loop_signal_set(l, SIGKILL, s_cb, &s), -1);
	/* Handlers alone are not work: loop_run returns. */
	assert_int_equal(loop_run(l), 0);
	loop_free(l);	/* restores the default dispositions */
}

static void
test_signal_with_run_until(void **state)
{
	struct loop	*l = loop_new();
	struct sctx	 s;

	memset(&s, 0, sizeof s);
	loop_signal_set(l, SIGUSR1, s_cb, &s);
	assert_false(loop_run_until(l, s_seen_usr1, &s, 10));
	raise(SIGUSR1);
	assert_true(loop_run_until(l, s_seen_usr1, &s, WAIT_MS));
	assert_int_equal(s.count[SIGUSR1], 1);
	loop_signal_set(l, SIGUSR1, NULL, NULL);
	loop_free(l);
}

/* loop_break and the pass callback. */

struct bctx {
	struct loop	*loop;
	int		 passes;
	int		 ticks;
};

static void
b_tick(struct loop_timer *t, void *arg)
{
	struct bctx	*b = arg;

	if (++b->ticks == 3)
		loop_break(b->loop);
}

static void
b_pass(void *arg)
{
	((struct bctx *)arg)->passes++;
}

static void
test_break_and_pass_cb(void **state)
{
	struct loop	*l = loop_new();
	struct loop_timer *t;
	struct bctx	 b;

	memset(&b, 0, sizeof b);
	b.loop = l;
	loop_set_pass_cb(l, b_pass, &b);
	t = loop_timer_new(l, b_tick, &b);
	loop_timer_set(t, 0, 1);		/* repeating: never "done" */
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(b.ticks, 3);
	assert_true(b.passes >= 3);
	assert_true(loop_timer_is_armed(t));
	loop_free(l);				/* frees t */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_in_deadline_order),
		cmocka_unit_test(test_timers_equal_deadline_fifo),
		cmocka_unit_test(test_timer_repeating),
		cmocka_unit_test(test_timer_free_other_inside_callback),
		cmocka_unit_test(test_timer_stop_and_rearm),
		cmocka_unit_test(test_timers_many_sorted),
		cmocka_unit_test(test_timer_rearm_zero_waits_a_pass),
		cmocka_unit_test(test_defer_order_and_next_pass),
		cmocka_unit_test(test_defer_next_after_pass_cb),
		cmocka_unit_test(test_defer_cancel_inside_batch),
		cmocka_unit_test(test_fd_pipe_readiness),
		cmocka_unit_test(test_fd_write_and_hup),
		cmocka_unit_test(test_fd_remove_other_inside_callback),
		cmocka_unit_test(test_signals_as_events),
		cmocka_unit_test(test_signal_with_run_until),
		cmocka_unit_test(test_break_and_pass_cb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
