/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of account_pwcmd: password_command run as a child that the
 * loop watches.  Real children (sh -c), a real loop; no timing assertions:
 * the child that must not block the loop waits on a FIFO that only a loop
 * timer of the test opens.
 */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/account.h"
#include "loop/loop.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct result {
	bool		 done;
	int		 calls;
	char		 pw[128];
	bool		 failed;
	struct err	 e;
	int		 ticks;		/* loop timer firings while waiting */
	const char	*fifo;
};

static void
on_done(void *arg, const char *password, const struct err *e)
{
	struct result	*r = arg;

	r->done = true;
	r->calls++;
	if (password != NULL)
		snprintf(r->pw, sizeof r->pw, "%s", password);
	else {
		r->failed = true;
		r->e = *e;
	}
}

static bool
is_done(void *arg)
{
	return ((struct result *)arg)->done;
}

/* Run cmd to its end; r receives the outcome. */
static void
run(const char *cmd, unsigned int timeout_ms, struct result *r)
{
	struct loop		*loop = loop_new();
	struct account_pwcmd	*pc;
	struct err		 e;

	memset(r, 0, sizeof *r);
	pc = account_pwcmd_start(loop, cmd, timeout_ms, on_done, r, &e);
	assert_non_null(pc);
	assert_true(loop_run_until(loop, is_done, r, 20000));
	assert_int_equal(r->calls, 1);
	account_pwcmd_free(pc);
	loop_free(loop);
}

static void
test_first_line(void **state)
{
	struct result	 r;

	(void)state;
	run("printf 'hunter2\\r\\nsecond line\\n'", 0, &r);
	assert_false(r.failed);
	assert_string_equal(r.pw, "hunter2");
	run("printf 'no newline at all'", 0, &r);
	assert_false(r.failed);
	assert_string_equal(r.pw, "no newline at all");
}

static void
test_failure(void **state)
{
	struct result	 r;

	(void)state;
	run("echo 'gpg: decryption failed: No secret key' >&2; echo partial; "
	    "exit 2", 0, &r);
	assert_true(r.failed);
	assert_int_equal(r.e.cls, ERR_INPUT);
	assert_non_null(strstr(r.e.msg, "exit status 2"));
	assert_non_null(strstr(r.e.msg, "gpg: decryption failed"));
	assert_null(strstr(r.e.msg, "partial"));	/* never the output */
	run("true", 0, &r);
	assert_true(r.failed);
	assert_non_null(strstr(r.e.msg, "printed no password"));
	run("kill -9 $$", 0, &r);
	assert_true(r.failed);
	assert_non_null(strstr(r.e.msg, "signal 9"));
	run("/nonexistent/pass show mail", 0, &r);
	assert_true(r.failed);
	assert_non_null(strstr(r.e.msg, "exit status 127"));
}

static void
test_timeout(void **state)
{
	struct result	 r;

	(void)state;
	/* a background child keeps the output open: the group is killed */
	run("sleep 30 & sleep 30", 300, &r);
	assert_true(r.failed);
	assert_non_null(strstr(r.e.msg, "did not finish"));
}

static void
open_fifo(struct loop_timer *t, void *arg)
{
	struct result	*r = arg;
	int		 fd;

	if (++r->ticks < 3) {
		loop_timer_set(t, 10, 0);
		return;
	}
	/* the child waits for this: the loop ran three times meanwhile */
	if ((fd = open(r->fifo, O_WRONLY | O_NONBLOCK)) != -1) {
		(void)write(fd, "go\n", 3);
		close(fd);
	} else
		loop_timer_set(t, 10, 0);
}

static void
test_loop_runs(void **state)
{
	struct loop		*loop = loop_new();
	struct loop_timer	*t;
	struct account_pwcmd	*pc;
	struct result		 r;
	struct err		 e;
	char			 dir[] = "/tmp/pons-pwcmd.XXXXXX", fifo[64];
	char			 cmd[160];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	snprintf(cmd, sizeof cmd, "read x < %s && echo \"pw-$x\"", fifo);
	memset(&r, 0, sizeof r);
	r.fifo = fifo;
	t = loop_timer_new(loop, open_fifo, &r);
	loop_timer_set(t, 10, 0);
	pc = account_pwcmd_start(loop, cmd, 0, on_done, &r, &e);
	assert_non_null(pc);
	assert_true(loop_run_until(loop, is_done, &r, 20000));
	assert_false(r.failed);
	assert_string_equal(r.pw, "pw-go");
	assert_true(r.ticks >= 3);
	account_pwcmd_free(pc);
	loop_timer_free(t);
	loop_free(loop);
	unlink(fifo);
	rmdir(dir);
}

static void
free_in_cb(void *arg, const char *password, const struct err *e)
{
	struct account_pwcmd	**pcp = arg;

	(void)password;
	(void)e;
	account_pwcmd_free(*pcp);
	*pcp = NULL;
}

static bool
is_freed(void *arg)
{
	return *(struct account_pwcmd **)arg == NULL;
}

static void
test_pwcmd_free(void **state)
{
	struct loop		*loop = loop_new();
	struct account_pwcmd	*pc;
	struct result		 r;
	struct err		 e;

	(void)state;
	/* freed while the child runs: killed, no callback */
	memset(&r, 0, sizeof r);
	pc = account_pwcmd_start(loop, "sleep 30", 0, on_done, &r, &e);
	assert_non_null(pc);
	loop_run_once(loop, 0);
	account_pwcmd_free(pc);
	loop_run_once(loop, 0);
	assert_int_equal(r.calls, 0);
	/* freed by its own callback */
	pc = account_pwcmd_start(loop, "echo pw", 0, free_in_cb, &pc, &e);
	assert_non_null(pc);
	assert_true(loop_run_until(loop, is_freed, &pc, 20000));
	account_pwcmd_free(NULL);
	loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_line),
		cmocka_unit_test(test_failure),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_loop_runs),
		cmocka_unit_test(test_pwcmd_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
