/* SPDX-License-Identifier: ISC */
/*
 * imap-driver: a test driver over app/imap-account.c, for the fault tests
 * (tests/integration/test-imap-deadlink.sh, test-imap-faults.sh).  It runs
 * one account on the loop and takes commands on stdin, one a line, at any
 * time, so a shell test can act when it sees an event:
 *
 *	open MAILBOX		imap_account_open
 *	store UIDS +FLAGS	imap_account_store (journaled while offline)
 *	store UIDS -FLAGS
 *	move UIDS MAILBOX	imap_account_transfer ("did ... action=N")
 *	copy UIDS MAILBOX
 *	create MAILBOX		imap_account_create
 *	on-open COMMAND		run COMMAND from inside the next "opened"
 *				event, before the account goes on
 *	check			imap_account_check (probe the link now)
 *	quit			log out and exit (also on end of input)
 *
 * Every event is one line on stdout: "opened MAILBOX count=N", "offline
 * CLASS: MESSAGE retry=N", "conflict MESSAGE", "cached uid=N flags=(...)",
 * "action N ok" or "action N CLASS: MESSAGE [CODE]" when an action left
 * the journal, and "ev EVENT" for session events (imap_event_format,
 * states left out).
 *
 * Usage: imap-driver -h HOST -p PORT [-s implicit|starttls|none] [-P] [-R]
 *	[-a CA_FILE] -u USER -w PASSWORD [-t TIMEOUT_S] [-c CACHE_FILE]
 *	[-d PROTOCOL_LOG]
 * (-P: allow_plaintext; -R: no reconnect, as a one-shot command has)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/imap-account.h"
#include "imap/imap.h"
#include "imap/imap-parse.h"
#include "loop/loop.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct drv {
	struct loop		*loop;
	struct imap_account	*acct;
	struct loop_fd		*in;
	struct buf		 line;
	struct loop_timer	*stop;
	bool			 quitting;
	char			*on_open;	/* command for the next OPENED */
};

static void	 drv_command(struct drv *, char *);

static void
drv_event(void *arg, const struct imap_acc_event *ev)
{
	struct drv	*d = arg;
	struct buf	 b = BUF_INIT;

	switch (ev->type) {
	case IMAP_ACC_SESSION:
		if (ev->ev->type == IMAP_EV_STATE)
			break;
		buf_add_str(&b, "ev ");
		imap_event_format(ev->ev, &b);
		break;
	case IMAP_ACC_CACHED:
		buf_printf(&b, "cached uid=%u flags=(%s)", ev->msg->uid,
		    ev->msg->flags != NULL ? ev->msg->flags : "");
		break;
	case IMAP_ACC_OPENED:
		buf_printf(&b, "opened %s count=%u", ev->mailbox, ev->count);
		if (d->on_open != NULL) {
			char	*cmd = d->on_open;

			printf("%s\n", buf_str(&b));
			buf_reset(&b);
			d->on_open = NULL;
			drv_command(d, cmd);
			free(cmd);
		}
		break;
	case IMAP_ACC_ACTION_DONE:
		buf_printf(&b, "action %lld %s%s%s", (long long)ev->action,
		    ev->err.cls == ERR_NONE ? "ok" : err_class_name(ev->err.cls),
		    ev->err.cls == ERR_NONE ? "" : ": ",
		    ev->err.cls == ERR_NONE ? "" : ev->err.msg);
		if (ev->ev != NULL && ev->ev->code != NULL)
			buf_printf(&b, " [%s]",
			    imap_code_type_name(ev->ev->code->type));
		break;
	case IMAP_ACC_OFFLINE:
		buf_printf(&b, "offline %s: %s retry=%u",
		    err_class_name(ev->err.cls), ev->err.msg, ev->retry_in);
		if (d->quitting || ev->retry_in == 0)
			loop_break(d->loop);
		break;
	case IMAP_ACC_CONFLICT:
		buf_printf(&b, "conflict %s", ev->err.msg);
		break;
	case IMAP_ACC_NOTE:
		buf_printf(&b, "note %s", ev->err.msg);
		break;
	}
	if (b.len > 0) {
		printf("%s\n", buf_str(&b));
		fflush(stdout);
	}
	buf_fini(&b);
}

static void
drv_quit(struct drv *d)
{
	if (d->quitting)
		return;
	d->quitting = true;
	imap_account_logout(d->acct);
	loop_timer_set(d->stop, 3000, 0);
}

static int
drv_uids(const char *p, size_t len, uint32_t **uids, size_t *n)
{
	struct imap_range	*r;
	size_t			 nr, i;
	uint64_t		 u;

	*uids = NULL;
	*n = 0;
	if (!imap_seqset_parse(p, len, 100, &r, &nr))
		return -1;
	for (i = 0; i < nr; i++)
		for (u = r[i].lo; u <= r[i].hi && *n < 10000; u++) {
			*uids = xreallocarray(*uids, *n + 1, sizeof **uids);
			(*uids)[(*n)++] = (uint32_t)u;
		}
	free(r);
	return 0;
}

static void
drv_command(struct drv *d, char *cmd)
{
	struct err	 e;
	uint32_t	*uids;
	size_t		 n;
	char		*sp, *fl;
	int64_t		 id = 0;
	int		 rv = 0;

	err_clear(&e);
	if (strncmp(cmd, "on-open ", 8) == 0) {
		free(d->on_open);
		d->on_open = xstrdup(cmd + 8);
	} else if (strncmp(cmd, "open ", 5) == 0)
		rv = imap_account_open(d->acct, cmd + 5, &e);
	else if (strncmp(cmd, "store ", 6) == 0 &&
	    (sp = strchr(cmd + 6, ' ')) != NULL &&
	    (sp[1] == '+' || sp[1] == '-')) {
		fl = sp + 2;
		if (drv_uids(cmd + 6, (size_t)(sp - cmd - 6), &uids, &n) == -1)
			rv = err_set(&e, ERR_INPUT, "bad UIDs");
		else {
			rv = imap_account_store(d->acct, uids, n, sp[1] == '+',
			    fl, &e);
			free(uids);
		}
	} else if ((strncmp(cmd, "move ", 5) == 0 ||
	    strncmp(cmd, "copy ", 5) == 0) &&
	    (sp = strchr(cmd + 5, ' ')) != NULL) {
		if (drv_uids(cmd + 5, (size_t)(sp - cmd - 5), &uids, &n) == -1)
			rv = err_set(&e, ERR_INPUT, "bad UIDs");
		else {
			rv = imap_account_transfer(d->acct, uids, n, sp + 1,
			    cmd[0] == 'm', &id, &e);
			free(uids);
		}
	} else if (strncmp(cmd, "create ", 7) == 0)
		rv = imap_account_create(d->acct, cmd + 7, &e) == 0 ? -1 : 0;
	else if (strcmp(cmd, "check") == 0)
		imap_account_check(d->acct);
	else if (strcmp(cmd, "quit") == 0)
		drv_quit(d);
	else
		rv = err_set(&e, ERR_INPUT, "unknown command");
	if (id != 0)
		printf("did %s action=%lld\n", cmd, (long long)id);
	else
		printf("%s %s%s%s\n", rv == 0 ? "did" : "failed", cmd,
		    rv == 0 ? "" : ": ", rv == 0 ? "" : e.msg);
	fflush(stdout);
}

static void
drv_input(struct loop_fd *lf, int fd, int events, void *arg)
{
	struct drv	*d = arg;
	char		 chunk[512], *nl;
	ssize_t		 r;

	(void)events;
	r = read(fd, chunk, sizeof chunk);
	if (r <= 0) {
		loop_fd_remove(lf);
		d->in = NULL;
		drv_quit(d);
		return;
	}
	buf_add(&d->line, chunk, (size_t)r);
	while (d->line.len > 0 &&
	    (nl = memchr(d->line.data, '\n', d->line.len)) != NULL) {
		*nl = '\0';
		drv_command(d, d->line.data);
		buf_consume(&d->line, (size_t)(nl - d->line.data) + 1);
	}
}

static void
drv_stop(struct loop_timer *t, void *arg)
{
	struct drv	*d = arg;

	(void)t;
	loop_break(d->loop);
}

int
main(int argc, char **argv)
{
	struct imap_account_params	 p;
	struct drv			 d;
	int				 ch;

	memset(&p, 0, sizeof p);
	p.name = "drv";
	p.tls = IMAP_TLS_IMPLICIT;
	p.idle = true;
	p.reconnect = true;
	p.timeout = 5000;
	p.body_max = 1 << 20;
	p.count_rows = true;
	while ((ch = getopt(argc, argv, "a:c:d:h:p:PRs:t:u:w:")) != -1) {
		switch (ch) {
		case 'a':
			p.ca_file = optarg;
			break;
		case 'c':
			p.cache_path = optarg;
			break;
		case 'd':
			if (log_open(optarg, LOG_PROTO) == -1)
				return 2;
			break;
		case 'h':
			p.host = optarg;
			break;
		case 'p':
			p.port = optarg;
			break;
		case 'P':
			p.allow_plaintext = true;
			break;
		case 'R':
			p.reconnect = false;
			break;
		case 's':
			p.tls = strcmp(optarg, "starttls") == 0 ?
			    IMAP_TLS_STARTTLS : strcmp(optarg, "none") == 0 ?
			    IMAP_TLS_NONE : IMAP_TLS_IMPLICIT;
			break;
		case 't':
			p.timeout = strtoull(optarg, NULL, 10) * 1000;
			break;
		case 'u':
			p.user = optarg;
			break;
		case 'w':
			p.password = optarg;
			break;
		default:
			fprintf(stderr, "usage: imap-driver -h HOST -p PORT "
			    "[-s TLS] [-P] [-R] [-a CA] -u USER -w PASS [-t S] "
			    "[-c CACHE]\n");
			return 2;
		}
	}
	if (p.host == NULL || p.port == NULL)
		return 2;
	memset(&d, 0, sizeof d);
	buf_init(&d.line);
	d.loop = loop_new();
	d.stop = loop_timer_new(d.loop, drv_stop, &d);
	d.acct = imap_account_new(d.loop, &p, drv_event, &d);
	d.in = loop_fd_add(d.loop, 0, LOOP_READ, drv_input, &d);
	loop_run(d.loop);
	loop_fd_remove(d.in);
	imap_account_free(d.acct);
	loop_timer_free(d.stop);
	loop_free(d.loop);
	free(d.on_open);
	buf_fini(&d.line);
	log_close();
	return 0;
}
