/* SPDX-License-Identifier: ISC */
/*
 * "pons imap-sync": a batch front end to one IMAP account, for scripts and
 * for the integration tests (there is no screen yet).  Every line printed
 * goes through sync_print, which replaces control bytes.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/account.h"
#include "app/imap-account.h"
#include "app/imap-sync.h"
#include "config/conf.h"
#include "config/options.h"
#include "imap/imap.h"
#include "loop/loop.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"
#include "compat.h"

struct sync {
	struct loop		*loop;
	struct imap_account	*acct;
	bool			 list;
	int			 watch;		/* seconds, -1: none */
	char			**acts;
	size_t			 nacts, next_act;
	uint32_t		 act_id;
	uint32_t		 list_id;
	bool			 opened;
	bool			 failed;
	bool			 done;
	struct loop_timer	*stop;
	struct account_pwcmd	*pwcmd;		/* password_command running */
	const char		*mailbox;
	size_t			 painted;
};

/* -T: each line starts with the milliseconds since the start. */
static uint64_t	 sync_t0;
static bool	 sync_times;
static bool	 sync_quiet;	/* -q: no line per message */

/*
 * Print a line with control bytes made visible: the wire never drives
 * the terminal.  Runs of clean bytes go out whole; stdout is flushed once
 * per loop pass (sync_flush), not once per line, so a sync of many
 * messages is not one write per message, and a reader still sees each
 * line before pons waits again.
 */
static void
sync_print(const char *p, size_t len)
{
	size_t		 i, run;
	unsigned char	 c;

	if (sync_times)
		printf("%llu ", (unsigned long long)(loop_now() - sync_t0));
	for (i = 0; i < len; i += run) {
		for (run = 0; i + run < len; run++) {
			c = (unsigned char)p[i + run];
			if (c < 0x20 || c == 0x7f)
				break;
		}
		if (run > 0)
			fwrite(p + i, 1, run, stdout);
		else {
			printf("\\x%02x", (unsigned char)p[i]);
			run = 1;
		}
	}
	putchar('\n');
}

static void
sync_flush(void *arg)
{
	(void)arg;
	fflush(stdout);
}

static void
sync_finish(struct sync *s)
{
	if (s->done)
		return;
	s->done = true;
	imap_account_finish(s->acct);		/* the journal's first */
	loop_timer_set(s->stop, 5000, 0);	/* don't wait for ever */
}

static int
sync_parse_uids(const char *p, uint32_t **uids, size_t *n)
{
	struct imap_range	*r;
	size_t			 nr, i;
	uint64_t		 u;

	*uids = NULL;
	*n = 0;
	if (!imap_seqset_parse(p, strcspn(p, " "), 100, &r, &nr))
		return -1;
	for (i = 0; i < nr; i++)
		for (u = r[i].lo; u <= r[i].hi && *n < 100000; u++) {
			*uids = xreallocarray(*uids, *n + 1, sizeof **uids);
			(*uids)[(*n)++] = (uint32_t)u;
		}
	free(r);
	return 0;
}

/* Run the next -x action; false when there is none left. */
static bool
sync_next_act(struct sync *s)
{
	struct imap_session	*ss = imap_account_session(s->acct);
	struct err		 e;
	uint32_t		*uids;
	size_t			 n;
	char			*a, *arg;

	if (s->next_act >= s->nacts || ss == NULL)
		return false;
	a = s->acts[s->next_act++];
	arg = strchr(a, ' ');
	if (arg == NULL || sync_parse_uids(arg + 1, &uids, &n) == -1) {
		fprintf(stderr, "pons: bad action: %s\n", a);
		s->failed = true;
		return false;
	}
	arg = strchr(arg + 1, ' ');
	err_clear(&e);
	if (strncmp(a, "store ", 6) == 0 && arg != NULL)
		s->act_id = imap_session_store(ss, uids, n, arg[1] == '+',
		    arg + 2, &e);
	else if (strncmp(a, "expunge ", 8) == 0)
		s->act_id = imap_session_expunge(ss, uids, n, &e);
	else if (strncmp(a, "move ", 5) == 0 && arg != NULL)
		s->act_id = imap_session_move(ss, uids, n, arg + 1, &e);
	else if (strncmp(a, "copy ", 5) == 0 && arg != NULL)
		s->act_id = imap_session_copy(ss, uids, n, arg + 1, &e);
	else
		err_set(&e, ERR_INPUT, "unknown action");
	free(uids);
	if (s->act_id == 0) {
		fprintf(stderr, "pons: %s: %s\n", a, e.msg);
		s->failed = true;
		return false;
	}
	return true;
}

static void
sync_after_open(struct sync *s)
{
	if (sync_next_act(s))
		return;
	if (s->watch > 0)
		loop_timer_set(s->stop, (uint64_t)s->watch * 1000, 0);
	else
		sync_finish(s);
}

static void
sync_session_event(struct sync *s, const struct imap_event *ev)
{
	struct buf	 b = BUF_INIT;

	if (ev->type == IMAP_EV_STATE || (sync_quiet &&
	    (ev->type == IMAP_EV_MESSAGE || ev->type == IMAP_EV_UIDS)))
		return;
	imap_event_format(ev, &b);
	sync_print(b.data, b.len);
	buf_fini(&b);
	if (ev->type == IMAP_EV_LOGGED_IN && s->list) {
		struct err	 e;

		s->list_id = imap_account_list(s->acct, &e);
	}
	if (ev->type != IMAP_EV_DONE)
		return;
	if (ev->cmd_id == s->act_id && s->act_id != 0) {
		s->act_id = 0;
		if (ev->err.cls != ERR_NONE)
			s->failed = true;
		sync_after_open(s);
	}
}

static void
sync_event(void *arg, const struct imap_acc_event *ev)
{
	struct sync	*s = arg;
	struct buf	 b = BUF_INIT;

	switch (ev->type) {
	case IMAP_ACC_SESSION:
		sync_session_event(s, ev->ev);
		break;
	case IMAP_ACC_CACHED:
		if (sync_quiet && s->painted++ > 0)
			break;
		buf_printf(&b, "cached uid=%u flags=(%s) from=%s subject=%s",
		    ev->msg->uid, ev->msg->flags != NULL ? ev->msg->flags : "",
		    ev->msg->from_show != NULL ? ev->msg->from_show : "",
		    ev->msg->subject != NULL ? ev->msg->subject : "");
		sync_print(b.data, b.len);
		break;
	case IMAP_ACC_OPENED:
		buf_printf(&b, "opened %s count=%u", ev->mailbox, ev->count);
		sync_print(b.data, b.len);
		if (!s->opened) {
			s->opened = true;
			sync_after_open(s);
		}
		break;
	case IMAP_ACC_OFFLINE:
		buf_printf(&b, "offline %s: %s%s", err_class_name(ev->err.cls),
		    ev->err.msg, ev->retry_in ? " (retrying)" : "");
		sync_print(b.data, b.len);
		if (s->done || ev->retry_in == 0) {
			if (!s->done)
				s->failed = true;
			loop_break(s->loop);
		}
		break;
	case IMAP_ACC_CONFLICT:
	case IMAP_ACC_NOTE:
		buf_printf(&b, "%s %s", ev->type == IMAP_ACC_NOTE ? "note" :
		    "conflict", ev->err.msg);
		sync_print(b.data, b.len);
		break;
	case IMAP_ACC_ACTION_DONE:	/* a journaled change replayed */
		buf_printf(&b, "action %lld %s%s%s", (long long)ev->action,
		    ev->err.cls == ERR_NONE ? "ok" : err_class_name(ev->err.cls),
		    ev->err.cls == ERR_NONE ? "" : ": ",
		    ev->err.cls == ERR_NONE ? "" : ev->err.msg);
		sync_print(b.data, b.len);
		break;
	}
	buf_fini(&b);
}

static void
sync_stop(struct loop_timer *t, void *arg)
{
	struct sync	*s = arg;

	(void)t;
	if (!s->done)
		sync_finish(s);
	else
		loop_break(s->loop);
}

/*
 * The default account's parameters; strs holds what they borrow.  With a
 * password_command, *cmd is it and the password comes later (the
 * connection goes ahead meanwhile).
 */
static int
sync_params(struct conf *c, struct imap_account_params *p, bool cache,
    struct account_strings *strs, const char **cmd)
{
	struct conf_account	*a = conf_account_default(c);
	struct err		 e;
	int			 rc;

	memset(strs, 0, sizeof *strs);
	if (a == NULL) {
		fprintf(stderr, "pons: no account configured\n");
		return -1;
	}
	if (opt_enum(conf_account_opts(a), OPT_ACCOUNT_PROTOCOL) !=
	    OPT_PROTO_IMAP) {
		fprintf(stderr, "pons: account %s is not IMAP\n",
		    conf_account_name(a));
		return -1;
	}
	*cmd = opt_str(conf_account_opts(a), OPT_ACCOUNT_PASSWORD_COMMAND);
	if (*cmd != NULL) {
		rc = account_imap_params_bare(a, cache, p, strs, &e);
		p->password_later = true;
	} else if ((rc = account_imap_params(a, NULL, cache, p, strs,
	    &e)) == 1)
		fprintf(stderr, "pons: account %s needs a password\n",
		    conf_account_name(a));
	if (rc == -1)
		fprintf(stderr, "pons: %s\n", e.msg);
	return rc == 0 ? 0 : -1;
}

static void
sync_password(void *arg, const char *password, const struct err *e)
{
	struct sync	*s = arg;

	account_pwcmd_free(s->pwcmd);
	s->pwcmd = NULL;
	if (password != NULL) {
		(void)imap_account_password(s->acct, password);
		return;
	}
	fprintf(stderr, "pons: %s\n", e->msg);
	s->failed = true;
	loop_break(s->loop);
}

int
imap_sync_main(struct conf *c, int argc, char **argv)
{
	struct imap_account_params	 p;
	struct account_strings		 strs;
	struct sync			 s;
	struct err			 e;
	const char			*cmd;
	bool				 cache = true;
	uint64_t			 idle_restart = 0;
	int				 ch, rc;

	memset(&s, 0, sizeof s);
	s.watch = -1;
	optind = 1;
	sync_t0 = loop_now();
	while ((ch = getopt(argc, argv, "ClqR:Tw:x:")) != -1) {
		switch (ch) {
		case 'q':
			sync_quiet = true;
			break;
		case 'T':
			sync_times = true;
			break;
		case 'R':
			idle_restart = strtoull(optarg, NULL, 10) * 1000;
			break;
		case 'C':
			cache = false;
			break;
		case 'l':
			s.list = true;
			break;
		case 'w':
			s.watch = atoi(optarg);
			break;
		case 'x':
			s.acts = xreallocarray(s.acts, s.nacts + 1,
			    sizeof *s.acts);
			s.acts[s.nacts++] = optarg;
			break;
		default:
			fprintf(stderr, "usage: pons imap-sync [-ClqT] [-R SECONDS]"
			    " [-w SECONDS] [-x ACTION]... [MAILBOX]\n");
			return 2;
		}
	}
	s.mailbox = optind < argc ? argv[optind] : "INBOX";
	if (sync_params(c, &p, cache, &strs, &cmd) == -1) {
		account_strings_fini(&strs);
		free(s.acts);
		return 1;
	}
	if (idle_restart != 0)
		p.idle_restart = idle_restart;	/* tests: below the 1 min floor */
	p.one_shot = s.watch <= 0;	/* nothing to push to: no NOTIFY */
	p.batch = true;			/* and no screen to fill first */
	p.count_rows = true;		/* "opened ... count=N" */
	s.loop = loop_new();
	s.stop = loop_timer_new(s.loop, sync_stop, &s);
	loop_set_pass_cb(s.loop, sync_flush, NULL);
	/* the command runs while the cache opens and TLS is set up */
	if (cmd != NULL && (s.pwcmd = account_pwcmd_start_tty(s.loop, cmd,
	    sync_password, &s, &e)) == NULL) {
		fprintf(stderr, "pons: %s\n", e.msg);
		s.failed = true;
	}
	s.acct = imap_account_new(s.loop, &p, sync_event, &s);
	account_strings_fini(&strs);
	if (imap_account_open(s.acct, s.mailbox, &e) == -1)
		fprintf(stderr, "pons: %s\n", e.msg);
	if (!s.failed)
		loop_run(s.loop);
	account_pwcmd_free(s.pwcmd);
	fflush(stdout);
	rc = s.failed || !s.opened ? 1 : 0;
	imap_account_free(s.acct);
	loop_timer_free(s.stop);
	loop_free(s.loop);
	free(s.acts);
	return rc;
}
