/* SPDX-License-Identifier: ISC */
/*
 * Accounts of the configuration as protocol parameters: connection options,
 * password_command and the cache file name, read in one place.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "app/account.h"
#include "app/imap-account.h"
#include "app/pop3-fetch.h"
#include "config/conf.h"
#include "config/options.h"
#include "loop/loop.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/thread.h"
#include "util/xmalloc.h"

#define ACCOUNT_PASSWORD_MAX	4096
#define ACCOUNT_PWCMD_TIMEOUT	120000	/* ms */
#define ACCOUNT_PWCMD_REAP	20	/* ms between waitpid() tries */
#define ACCOUNT_PWCMD_ERRMAX	160	/* bytes of stderr kept */

struct account_pwcmd {
	struct loop		*loop;
	pid_t			 pid;		/* -1: reaped */
	int			 fd[2];		/* stdout, stderr; -1: closed */
	struct loop_fd		*w[2];
	struct loop_timer	*deadline;
	struct loop_timer	*reap;
	unsigned int		 timeout;	/* ms */
	char			 out[ACCOUNT_PASSWORD_MAX];	/* wiped */
	size_t			 outlen;
	char			 errtext[ACCOUNT_PWCMD_ERRMAX];
	size_t			 errlen;
	account_pwcmd_cb	 cb;
	void			*arg;
	/*
	 * account_pwcmd_start_tty: the command runs as account_password_run
	 * runs it, on thread tid, whose end is a byte on fd[0] (written to
	 * wr); result and error are read only once it is joined.
	 */
	char			*cmd;
	pthread_t		 tid;
	bool			 joinable;
	int			 wr;
	char			*result;	/* wiped */
	struct err		 result_err;
};

char *
account_password_run(const char *cmd, struct err *e)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[512], *pw;
	size_t		 n;
	FILE		*fp;
	int		 status;

	fflush(NULL);
	if ((fp = popen(cmd, "r")) == NULL) {
		err_sys(e, ERR_INPUT, "password_command");
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (b.len < ACCOUNT_PASSWORD_MAX)
			buf_add(&b, chunk, n);
	explicit_bzero(chunk, sizeof chunk);
	status = pclose(fp);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		buf_fini_secret(&b);
		err_set(e, ERR_INPUT, "password_command failed (status %d)",
		    status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) :
		    -1);
		return NULL;
	}
	/* the first line, without CR/LF */
	n = strcspn(buf_str(&b), "\r\n");
	pw = xstrndup(buf_str(&b), n);
	buf_fini_secret(&b);
	return pw;
}

static void
pwcmd_close(struct account_pwcmd *pc, int i)
{
	loop_fd_remove(pc->w[i]);
	pc->w[i] = NULL;
	if (pc->fd[i] != -1)
		close(pc->fd[i]);
	pc->fd[i] = -1;
}

/* Stop watching and waiting; the child, if any, is killed and reaped. */
static void
pwcmd_release(struct account_pwcmd *pc)
{
	if (pc->joinable) {
		/* a command that prompts on the terminal: ours to wait for */
		pthread_join(pc->tid, NULL);
		pc->joinable = false;
	}
	pwcmd_close(pc, 0);
	pwcmd_close(pc, 1);
	if (pc->wr != -1)
		close(pc->wr);
	pc->wr = -1;
	loop_timer_stop(pc->deadline);
	loop_timer_stop(pc->reap);
	if (pc->pid > 0) {
		/* the whole group: sh and whatever it started */
		(void)kill(-pc->pid, SIGKILL);
		(void)kill(pc->pid, SIGKILL);
		while (waitpid(pc->pid, NULL, 0) == -1 && errno == EINTR)
			;
		pc->pid = -1;
	}
}

/* The first line of stderr, for the error message ("" if none). */
static const char *
pwcmd_errline(struct account_pwcmd *pc)
{
	size_t	 n;

	pc->errtext[pc->errlen < sizeof pc->errtext ? pc->errlen :
	    sizeof pc->errtext - 1] = '\0';
	n = strcspn(pc->errtext, "\r\n");
	pc->errtext[n] = '\0';
	return pc->errtext;
}

/* The child is gone (status) or timed out: report, once. */
static void
pwcmd_finish(struct account_pwcmd *pc, int status, bool timed_out)
{
	char			 pw[ACCOUNT_PASSWORD_MAX + 1];
	const char		*why;
	struct err		 e;
	account_pwcmd_cb	 cb = pc->cb;
	void			*arg = pc->arg;
	size_t			 n;
	bool			 ok = false;

	pwcmd_release(pc);
	why = pwcmd_errline(pc);
	for (n = 0; n < pc->outlen; n++)
		if (pc->out[n] == '\r' || pc->out[n] == '\n' ||
		    pc->out[n] == '\0')
			break;
	if (timed_out)
		err_set(&e, ERR_INPUT, "password_command did not finish "
		    "within %u s", (pc->timeout + 999) / 1000);
	else if (!WIFEXITED(status))
		err_set(&e, ERR_INPUT, "password_command was killed by "
		    "signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	else if (WEXITSTATUS(status) != 0)
		err_set(&e, ERR_INPUT, "password_command failed (exit status "
		    "%d)%s%s", WEXITSTATUS(status), *why != '\0' ? ": " : "",
		    why);
	else if (n == 0)
		err_set(&e, ERR_INPUT, "password_command printed no password");
	else {
		memcpy(pw, pc->out, n);
		pw[n] = '\0';
		ok = true;
	}
	explicit_bzero(pc->out, sizeof pc->out);
	pc->outlen = 0;
	/* pc may be freed by the callback */
	cb(arg, ok ? pw : NULL, ok ? NULL : &e);
	explicit_bzero(pw, sizeof pw);
}

static void
pwcmd_try_reap(struct account_pwcmd *pc)
{
	pid_t	 r;
	int	 status;

	while ((r = waitpid(pc->pid, &status, WNOHANG)) == -1 &&
	    errno == EINTR)
		;
	if (r == 0) {			/* output closed, still running */
		loop_timer_set(pc->reap, ACCOUNT_PWCMD_REAP, 0);
		return;
	}
	if (r == -1)
		status = 127 << 8;
	pc->pid = -1;
	pwcmd_finish(pc, status, false);
}

static void
pwcmd_readable(struct loop_fd *w, int fd, int events, void *arg)
{
	struct account_pwcmd	*pc = arg;
	char			 chunk[512];
	ssize_t			 r;
	int			 i = fd == pc->fd[0] ? 0 : 1;
	size_t			 room;

	(void)w;
	(void)events;
	for (;;) {
		r = read(fd, chunk, sizeof chunk);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (r <= 0) {
			pwcmd_close(pc, i);
			break;
		}
		/* keep what fits, read and drop the rest */
		if (i == 0) {
			room = sizeof pc->out - pc->outlen;
			room = (size_t)r < room ? (size_t)r : room;
			memcpy(pc->out + pc->outlen, chunk, room);
			pc->outlen += room;
		} else {
			room = sizeof pc->errtext - pc->errlen;
			room = (size_t)r < room ? (size_t)r : room;
			memcpy(pc->errtext + pc->errlen, chunk, room);
			pc->errlen += room;
		}
	}
	explicit_bzero(chunk, sizeof chunk);
	if (pc->fd[0] == -1 && pc->fd[1] == -1)
		pwcmd_try_reap(pc);
}

static void
pwcmd_reap_cb(struct loop_timer *t, void *arg)
{
	(void)t;
	pwcmd_try_reap(arg);
}

static void
pwcmd_deadline_cb(struct loop_timer *t, void *arg)
{
	(void)t;
	pwcmd_finish(arg, 0, true);
}

/* In the child: stdin from /dev/null, the pipes as stdout and stderr. */
static void
pwcmd_child(const char *cmd, const int *out, const int *errp)
{
	int	 nul;

	(void)setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	if ((nul = open("/dev/null", O_RDONLY)) != -1) {
		dup2(nul, STDIN_FILENO);
		if (nul != STDIN_FILENO)
			close(nul);
	}
	dup2(out[1], STDOUT_FILENO);
	dup2(errp[1], STDERR_FILENO);
	close(out[0]);
	close(out[1]);
	close(errp[0]);
	close(errp[1]);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

struct account_pwcmd *
account_pwcmd_start(struct loop *loop, const char *cmd,
    unsigned int timeout_ms, account_pwcmd_cb cb, void *arg, struct err *e)
{
	struct account_pwcmd	*pc;
	int			 out[2] = { -1, -1 }, errp[2] = { -1, -1 }, i;
	pid_t			 pid;

	if (pipe(out) == -1 || pipe(errp) == -1) {
		err_sys(e, ERR_LOCAL, "password_command: pipe");
		goto fail;
	}
	if ((pid = fork()) == -1) {
		err_sys(e, ERR_LOCAL, "password_command: fork");
		goto fail;
	}
	if (pid == 0)
		pwcmd_child(cmd, out, errp);
	(void)setpgid(pid, pid);	/* either side may win the race */
	close(out[1]);
	close(errp[1]);
	pc = xcalloc(1, sizeof *pc);
	pc->loop = loop;
	pc->wr = -1;
	pc->pid = pid;
	pc->fd[0] = out[0];
	pc->fd[1] = errp[0];
	pc->cb = cb;
	pc->arg = arg;
	pc->timeout = timeout_ms != 0 ? timeout_ms : ACCOUNT_PWCMD_TIMEOUT;
	for (i = 0; i < 2; i++) {
		(void)fcntl(pc->fd[i], F_SETFD, FD_CLOEXEC);
		(void)fcntl(pc->fd[i], F_SETFL,
		    fcntl(pc->fd[i], F_GETFL) | O_NONBLOCK);
		pc->w[i] = loop_fd_add(loop, pc->fd[i], LOOP_READ,
		    pwcmd_readable, pc);
	}
	pc->deadline = loop_timer_new(loop, pwcmd_deadline_cb, pc);
	pc->reap = loop_timer_new(loop, pwcmd_reap_cb, pc);
	loop_timer_set(pc->deadline, pc->timeout, 0);
	return pc;
fail:
	for (i = 0; i < 2; i++) {
		if (out[i] != -1)
			close(out[i]);
		if (errp[i] != -1)
			close(errp[i]);
	}
	return NULL;
}

static void *
pwcmd_thread(void *arg)
{
	struct account_pwcmd	*pc = arg;
	char			 c = 0;

	pc->result = account_password_run(pc->cmd, &pc->result_err);
	while (write(pc->wr, &c, 1) == -1 && errno == EINTR)
		;
	return NULL;
}

/* The thread's byte came: join it, then report. */
static void
pwcmd_thread_done(struct loop_fd *w, int fd, int events, void *arg)
{
	struct account_pwcmd	*pc = arg;
	account_pwcmd_cb	 cb = pc->cb;
	void			*cbarg = pc->arg;
	struct err		 e;
	char			*pw;

	(void)w;
	(void)fd;
	(void)events;
	pwcmd_release(pc);
	pw = pc->result;
	pc->result = NULL;
	e = pc->result_err;
	/* pc may be freed by the callback */
	cb(cbarg, pw, pw != NULL ? NULL : &e);
	if (pw != NULL) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
}

struct account_pwcmd *
account_pwcmd_start_tty(struct loop *loop, const char *cmd,
    account_pwcmd_cb cb, void *arg, struct err *e)
{
	struct account_pwcmd	*pc;
	int			 p[2], i, rc;

	if (pipe(p) == -1)
		return err_sys(e, ERR_LOCAL, "password_command: pipe"), NULL;
	pc = xcalloc(1, sizeof *pc);
	pc->loop = loop;
	pc->pid = -1;
	pc->fd[0] = p[0];
	pc->fd[1] = -1;
	pc->wr = p[1];
	pc->cb = cb;
	pc->arg = arg;
	pc->cmd = xstrdup(cmd);
	/* never armed here; made so that release and free need no case */
	pc->deadline = loop_timer_new(loop, pwcmd_deadline_cb, pc);
	pc->reap = loop_timer_new(loop, pwcmd_reap_cb, pc);
	for (i = 0; i < 2; i++)
		(void)fcntl(p[i], F_SETFD, FD_CLOEXEC);
	pc->w[0] = loop_fd_add(loop, pc->fd[0], LOOP_READ, pwcmd_thread_done,
	    pc);
	if ((rc = thread_start(&pc->tid, pwcmd_thread, pc)) != 0) {
		errno = rc;
		err_sys(e, ERR_LOCAL, "password_command: thread");
		account_pwcmd_free(pc);
		return NULL;
	}
	pc->joinable = true;
	return pc;
}

void
account_pwcmd_free(struct account_pwcmd *pc)
{
	if (pc == NULL)
		return;
	pwcmd_release(pc);
	loop_timer_free(pc->deadline);
	loop_timer_free(pc->reap);
	explicit_bzero(pc->out, sizeof pc->out);
	if (pc->result != NULL) {
		explicit_bzero(pc->result, strlen(pc->result));
		free(pc->result);
	}
	free(pc->cmd);
	free(pc);
}

int
account_password(const struct opts *o, const char *typed, char **out,
    struct err *e)
{
	const char	*cmd = opt_str(o, OPT_ACCOUNT_PASSWORD_COMMAND);
	const char	*pw = opt_str(o, OPT_ACCOUNT_PASSWORD);

	*out = NULL;
	if (cmd != NULL)
		return (*out = account_password_run(cmd, e)) == NULL ? -1 : 0;
	if (pw == NULL)
		pw = typed;
	if (pw == NULL)
		return 1;
	*out = xstrdup(pw);
	return 0;
}

char *
account_cache_path(const char *name, struct err *e)
{
	char	*dir = conf_cache_dir(), *path, *p;

	/* mkdir -p; the name is the account's, never a server's string */
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		(void)mkdir(dir, 0700);
		*p = '/';
	}
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		err_sys(e, ERR_LOCAL, "%s", dir);
		free(dir);
		return NULL;
	}
	path = xasprintf("%s/%s.imap.sqlite", dir, name);
	free(dir);
	return path;
}

/*
 * The options both protocols share; 0, or -1 with e set.  With typed
 * ACCOUNT_NO_PASSWORD the password is left for the caller to find.
 */
#define ACCOUNT_NO_PASSWORD	((const char *)&account_no_password)
static const char account_no_password;

static int
account_common(const struct conf_account *a, const char *typed,
    struct account_strings *s, struct err *e)
{
	const struct opts	*o = conf_account_opts(a);
	const char		*ca = opt_str(o, OPT_ACCOUNT_CA_FILE);

	memset(s, 0, sizeof *s);
	if (opt_str(o, OPT_ACCOUNT_HOST) == NULL ||
	    opt_str(o, OPT_ACCOUNT_USER) == NULL)
		return err_set(e, ERR_INPUT, "account %s: host and user must "
		    "be set", conf_account_name(a));
	snprintf(s->port, sizeof s->port, "%d", conf_account_port(a));
	s->ca_file = ca != NULL ? conf_expand_path(ca) : NULL;
	if (typed == ACCOUNT_NO_PASSWORD)
		return 0;
	return account_password(o, typed, &s->password, e);
}

int
account_pop3_params(const struct conf_account *a, const char *typed,
    struct pop3_fetch_params *p, struct account_strings *s, struct err *e)
{
	const struct opts	*o = conf_account_opts(a);
	int			 rc;

	memset(p, 0, sizeof *p);
	if ((rc = account_common(a, typed, s, e)) != 0)
		return rc;
	p->name = conf_account_name(a);
	p->host = opt_str(o, OPT_ACCOUNT_HOST);
	p->port = s->port;
	switch (opt_enum(o, OPT_ACCOUNT_TLS)) {
	case OPT_TLS_STARTTLS:
		p->tls = POP3_TLS_STARTTLS;
		break;
	case OPT_TLS_NONE:
		p->tls = POP3_TLS_NONE;
		break;
	default:
		p->tls = POP3_TLS_IMPLICIT;
		break;
	}
	p->ca_file = s->ca_file;
	p->user = opt_str(o, OPT_ACCOUNT_USER);
	p->password = s->password;
	p->allow_plaintext = opt_bool(o, OPT_ACCOUNT_ALLOW_PLAINTEXT);
	p->auth = opt_bool(o, OPT_ACCOUNT_APOP) ? POP3_AUTH_APOP :
	    POP3_AUTH_AUTO;
	p->policy.keep_on_server = opt_bool(o, OPT_ACCOUNT_KEEP_ON_SERVER);
	p->policy.delete_after_days =
	    (unsigned int)opt_int(o, OPT_ACCOUNT_DELETE_AFTER_DAYS);
	p->size_limit = (uint64_t)opt_size(o, OPT_ACCOUNT_SIZE_LIMIT);
	p->timeout_ms = (unsigned int)opt_duration(o, OPT_ACCOUNT_TIMEOUT) *
	    1000;
	p->now = time(NULL);
	p->spool = s->spool = conf_account_spool(a);
	return 0;
}

int
account_imap_params(const struct conf_account *a, const char *typed,
    bool cache, struct imap_account_params *p, struct account_strings *s,
    struct err *e)
{
	const struct opts	*o = conf_account_opts(a);
	int			 rc;

	memset(p, 0, sizeof *p);
	if ((rc = account_common(a, typed, s, e)) != 0)
		return rc;
	if (cache &&
	    (s->cache = account_cache_path(conf_account_name(a), e)) == NULL)
		return -1;
	p->name = conf_account_name(a);
	p->host = opt_str(o, OPT_ACCOUNT_HOST);
	p->port = s->port;
	switch (opt_enum(o, OPT_ACCOUNT_TLS)) {
	case OPT_TLS_STARTTLS:
		p->tls = IMAP_TLS_STARTTLS;
		break;
	case OPT_TLS_NONE:
		p->tls = IMAP_TLS_NONE;
		break;
	default:
		p->tls = IMAP_TLS_IMPLICIT;
		break;
	}
	p->ca_file = s->ca_file;
	p->user = opt_str(o, OPT_ACCOUNT_USER);
	p->password = s->password;
	p->allow_plaintext = opt_bool(o, OPT_ACCOUNT_ALLOW_PLAINTEXT);
	p->idle = opt_bool(o, OPT_ACCOUNT_IDLE);
	p->idle_restart = (uint64_t)opt_duration(o, OPT_ACCOUNT_IDLE_RESTART) *
	    1000;
	p->poll_interval = (uint64_t)opt_duration(o,
	    OPT_ACCOUNT_POLL_INTERVAL) * 1000;
	p->timeout = (uint64_t)opt_duration(o, OPT_ACCOUNT_TIMEOUT) * 1000;
	p->body_max = (size_t)opt_size(o, OPT_ACCOUNT_CACHE_MAX_BODY);
	p->cache_path = s->cache;
	p->reconnect = true;
	return 0;
}

int
account_pop3_params_bare(const struct conf_account *a,
    struct pop3_fetch_params *p, struct account_strings *s, struct err *e)
{
	return account_pop3_params(a, ACCOUNT_NO_PASSWORD, p, s, e);
}

int
account_imap_params_bare(const struct conf_account *a, bool cache,
    struct imap_account_params *p, struct account_strings *s, struct err *e)
{
	return account_imap_params(a, ACCOUNT_NO_PASSWORD, cache, p, s, e);
}

void
account_strings_fini(struct account_strings *s)
{
	if (s->password != NULL) {
		explicit_bzero(s->password, strlen(s->password));
		free(s->password);
	}
	free(s->ca_file);
	free(s->spool);
	free(s->cache);
	memset(s, 0, sizeof *s);
}
