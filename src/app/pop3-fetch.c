/* SPDX-License-Identifier: ISC */
/*
 * One POP3 download: conn (bytes) <-> session (protocol) <-> spool (disk).
 * The glue only moves bytes and applies the deletion policy; every rule of
 * the protocol lives in pop3-session.c and every rule of durability in
 * spool.c.  Nothing here prints.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/account.h"
#include "app/pop3-fetch.h"
#include "compat.h"
#include "loop/loop.h"
#include "net/conn.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct fetch_msg {
	uint32_t	 msgno;
	uint64_t	 size;
	char		*uidl;		/* NULL without UIDL */
	size_t		 ulen;
	bool		 dele_ok;	/* DELE answered +OK */
};

struct pop3_fetch {
	struct loop			*loop;
	struct pop3_fetch_params	 p;
	char				*name, *host, *port, *ca_file;
	char				*user, *spool_path;
	struct buf			 password;
	pop3_fetch_done_cb		 done_cb;
	void				*arg;
	pop3_fetch_progress_cb		 progress_cb;
	void				*progress_arg;
	struct pop3_fetch_result	 res;
	struct spool			*spool;
	struct conn			*conn;
	struct pop3_session		*sess;
	struct loop_timer		*timer;
	struct fetch_msg		*msgs;
	size_t				 nmsgs;
	uint32_t			 cur;		/* msgno being received */
	bool				 cur_open;
	uint64_t			 cur_bytes;
	struct buf			 top;		/* TOP n 0 header */
	uint32_t			*batch;		/* msgnos not committed */
	size_t				 nbatch, capbatch;
	uint32_t			*flight;	/* msgnos being committed */
	size_t				 nflight, capflight;
	size_t				 flight_fetched;
	struct loop_fd			*commit_w;	/* spool_commit_fd() */
	struct account_pwcmd		*pwcmd;	/* password_command, run
							 * while the conn
							 * comes up */
	bool				 pw_wait;	/* the login waits for it */
	bool				 conn_up;	/* connected (TLS done) */
	bool				 started;	/* session started */
	bool				 want_tls;
	bool				 finished;
	bool				 done;
};

static void	fetch_finish(struct pop3_fetch *, const struct err *);

static int
fetch_msg_cmp(const void *a, const void *b)
{
	const struct fetch_msg	*x = a, *y = b;

	return x->msgno < y->msgno ? -1 : x->msgno > y->msgno;
}

static struct fetch_msg *
fetch_msg_find(struct pop3_fetch *f, uint32_t msgno)
{
	struct fetch_msg	 key = { .msgno = msgno };

	if (f->nmsgs == 0)
		return NULL;
	return bsearch(&key, f->msgs, f->nmsgs, sizeof *f->msgs,
	    fetch_msg_cmp);
}

/* Hand the session's pending output to the conn; re-arm the deadline. */
static void
fetch_flush(struct pop3_fetch *f)
{
	struct buf	 out = BUF_INIT;
	int64_t		 d;

	if (f->finished)
		return;
	if (pop3_session_output(f->sess, &out) > 0)
		conn_write(f->conn, out.data, out.len);
	buf_fini_secret(&out);
	d = pop3_session_deadline(f->sess);
	if (d < 0)
		loop_timer_stop(f->timer);
	else
		loop_timer_set_at(f->timer, (uint64_t)d);
}

static void
fetch_fail_local(struct pop3_fetch *f, const struct err *e)
{
	pop3_session_quit(f->sess);	/* no more commands */
	fetch_finish(f, e);
}

static void
fetch_dele(struct pop3_fetch *f, uint32_t msgno)
{
	struct err	 e;

	if (pop3_session_dele(f->sess, msgno, &e) == -1)
		log_warn("%s: %s", f->name, e.msg);
}

/* Should msg m go now that it is durable (or was already held)? */
static bool
fetch_may_delete(struct pop3_fetch *f, const struct fetch_msg *m)
{
	if (m->uidl == NULL)	/* durable by the commit just done */
		return !f->p.policy.keep_on_server;
	return spool_should_delete(f->spool, m->uidl, m->ulen, &f->p.policy,
	    f->p.now) && spool_is_durable(f->spool, m->uidl, m->ulen);
}

static void
fetch_progress(struct pop3_fetch *f)
{
	if (f->progress_cb != NULL)
		f->progress_cb(f, f->progress_arg);
}

/* DELE what the policy allows among the n messages just committed. */
static void
fetch_dele_batch(struct pop3_fetch *f, const uint32_t *msgnos, size_t n)
{
	struct fetch_msg	*m;
	size_t			 i;

	for (i = 0; i < n; i++)
		if ((m = fetch_msg_find(f, msgnos[i])) != NULL &&
		    fetch_may_delete(f, m))
			fetch_dele(f, m->msgno);
}

static void	fetch_session_begin(struct pop3_fetch *);

/*
 * Start committing the pending messages in the spool's worker, so
 * receiving goes on while the disk syncs; their DELEs wait for
 * fetch_commit_done().  Nothing happens while another batch is in flight.
 */
static int
fetch_commit_start(struct pop3_fetch *f)
{
	uint32_t	*t;
	struct err	 e;
	size_t		 c;

	if (spool_commit_busy(f->spool))
		return 0;
	if (spool_pending(f->spool, NULL) == 0) {
		/* only duplicates without UIDL: nothing to make durable */
		fetch_dele_batch(f, f->batch, f->nbatch);
		f->nbatch = 0;
		return 0;
	}
	t = f->flight, f->flight = f->batch, f->batch = t;
	c = f->capflight, f->capflight = f->capbatch, f->capbatch = c;
	f->nflight = f->nbatch;
	f->nbatch = 0;
	f->flight_fetched = f->res.fetched;
	if (spool_commit_start(f->spool, &e) == -1) {
		f->nflight = 0;
		fetch_fail_local(f, &e);
		return -1;
	}
	return 0;
}

/* Everything answered, committed and deleted: say goodbye. */
static void
fetch_maybe_quit(struct pop3_fetch *f)
{
	if (f->finished || spool_commit_busy(f->spool) ||
	    spool_pending(f->spool, NULL) > 0 || f->nbatch > 0 ||
	    pop3_session_busy(f->sess) > 0)
		return;
	pop3_session_quit(f->sess);
}

/* A batch landed (or must land now): DELE its messages, start the next. */
static void
fetch_commit_done(struct pop3_fetch *f)
{
	struct err	 e;
	uint64_t	 bytes;

	if (!spool_commit_busy(f->spool))
		return;
	if (spool_commit_finish(f->spool, &e) == -1) {
		f->nflight = 0;
		fetch_fail_local(f, &e);
		return;
	}
	f->res.committed = f->flight_fetched;
	fetch_progress(f);
	fetch_dele_batch(f, f->flight, f->nflight);
	f->nflight = 0;
	/* group commit: what arrived meanwhile goes at once */
	if (spool_pending(f->spool, &bytes) > 0)
		fetch_commit_start(f);
}

static void
fetch_commit_ready(struct loop_fd *w, int fd, int events, void *arg)
{
	struct pop3_fetch	*f = arg;
	struct err		 e;

	if (f->finished)
		return;
	if (!f->started) {	/* the spool's check landed */
		if (spool_commit_finish(f->spool, &e) == -1)
			fetch_finish(f, &e);
		else
			fetch_session_begin(f);
		return;
	}
	fetch_commit_done(f);
	fetch_maybe_quit(f);
	fetch_flush(f);
}

/* After a failure: record what arrived whole (no DELE follows). */
static void
fetch_commit_rest(struct pop3_fetch *f)
{
	struct err	 e;

	f->nbatch = f->nflight = 0;
	if (spool_pending(f->spool, NULL) > 0 ||
	    spool_commit_busy(f->spool)) {
		if (spool_commit(f->spool, &e) == -1)
			log_warn("%s: %s", f->name, e.msg);
		else
			f->res.committed = f->res.fetched;
	}
}

static void
fetch_on_listing(struct pop3_fetch *f, const struct pop3_event *ev)
{
	struct fetch_msg	*m;
	struct err		 e;
	size_t			 i;

	f->res.listed = ev->nlist;
	f->msgs = xcalloc(ev->nlist + 1, sizeof *f->msgs);
	for (i = 0; i < ev->nlist; i++) {
		m = &f->msgs[f->nmsgs++];
		m->msgno = ev->list[i].msgno;
		m->size = ev->list[i].size;
		if (ev->list[i].uidl != NULL) {
			m->uidl = xstrndup(ev->list[i].uidl,
			    ev->list[i].uidl_len);
			m->ulen = ev->list[i].uidl_len;
		}
	}
	for (i = 0; i < f->nmsgs; i++) {
		m = &f->msgs[i];
		if (m->uidl != NULL && spool_has(f->spool, m->uidl, m->ulen,
		    m->size)) {
			if (fetch_may_delete(f, m))
				fetch_dele(f, m->msgno);
		} else if (f->p.size_limit > 0 && m->size > f->p.size_limit) {
			/* over the limit: only a look at its header */
			f->res.skipped_big++;
			if (pop3_session_top(f->sess, m->msgno, 0, &e) == -1)
				log_warn("%s: %s", f->name, e.msg);
		} else if (pop3_session_retr(f->sess, m->msgno, &e) == -1)
			log_warn("%s: %s", f->name, e.msg);
		else {
			f->res.queued++;
			f->res.queued_bytes += m->size;
		}
	}
	/*
	 * keep_on_server: no message fetched now can be deleted in this run
	 * (its record is younger than any delete_after_days), so QUIT goes
	 * right behind the last RETR and is answered without a round trip
	 * of its own, while the spool lands the last batch (fetch_on_done
	 * waits for it before the run counts as done).
	 */
	if (f->p.policy.keep_on_server)
		pop3_session_quit(f->sess);
}

static void
fetch_on_msg_end(struct pop3_fetch *f, const struct pop3_event *ev)
{
	struct err	 e;
	uint64_t	 bytes;
	bool		 dup;

	if (!f->cur_open)
		return;
	f->cur_open = false;
	if (spool_msg_end(f->spool, &dup, &e) == -1) {
		fetch_fail_local(f, &e);
		return;
	}
	if (dup)
		f->res.dups++;
	else {
		f->res.fetched++;
		f->res.bytes += f->cur_bytes;
	}
	if (f->nbatch == f->capbatch) {
		f->capbatch = f->capbatch ? f->capbatch * 2 : 64;
		f->batch = xreallocarray(f->batch, f->capbatch,
		    sizeof *f->batch);
	}
	f->batch[f->nbatch++] = ev->msgno;
	/*
	 * Group commit: whenever the disk is free it takes all that has
	 * arrived, so the last batch, the one nothing overlaps, is small.
	 */
	if (!spool_commit_busy(f->spool))
		fetch_commit_start(f);
	else if (spool_pending(f->spool, &bytes) >=
	    2 * (size_t)f->p.batch_msgs || bytes >= 2 * f->p.batch_bytes) {
		/* the disk is two batches behind: wait (bounds memory) */
		fetch_commit_done(f);
		return;
	}
	fetch_progress(f);
}

/* The header of a message left on the server, into the log. */
static void
fetch_on_top(struct pop3_fetch *f, const struct pop3_event *ev)
{
	const char	*subj;
	char		 line[128];
	size_t		 i, n;

	if (ev->type == POP3_EV_MSG_BEGIN)
		buf_reset(&f->top);
	else if (ev->type == POP3_EV_MSG_DATA && f->top.len < 16384)
		buf_add(&f->top, ev->data, ev->len);
	if (ev->type != POP3_EV_MSG_END)
		return;
	subj = strstr(buf_str(&f->top), "\nSubject:");
	n = 0;
	if (subj != NULL)
		for (i = 10; subj[i] != '\0' && subj[i] != '\n' &&
		    n + 1 < sizeof line; i++)
			line[n++] = subj[i] >= 0x20 && subj[i] < 0x7f ?
			    subj[i] : '?';
	line[n] = '\0';
	log_info("%s: message %u is over size_limit, left on the server:"
	    "%s", f->name, ev->msgno, line);
}

static void
fetch_on_msg(struct pop3_fetch *f, const struct pop3_event *ev)
{
	struct fetch_msg	*m;
	struct err		 e;

	if (ev->top) {
		fetch_on_top(f, ev);
		return;
	}
	switch (ev->type) {
	case POP3_EV_MSG_BEGIN:
		if ((m = fetch_msg_find(f, ev->msgno)) == NULL)
			return;
		if (spool_msg_begin(f->spool, m->uidl, m->ulen, m->size,
		    &e) == -1) {
			fetch_fail_local(f, &e);
			return;
		}
		f->cur = ev->msgno;
		f->cur_open = true;
		f->cur_bytes = 0;
		break;
	case POP3_EV_MSG_DATA:
		if (!f->cur_open)
			return;
		if (spool_msg_write(f->spool, ev->data, ev->len, &e) == -1) {
			f->cur_open = false;
			spool_msg_abort(f->spool);
			fetch_fail_local(f, &e);
			return;
		}
		f->cur_bytes += ev->len;
		break;
	case POP3_EV_MSG_END:
		fetch_on_msg_end(f, ev);
		break;
	default:
		f->res.failed++;
		log_warn("%s: message %u: %s", f->name, ev->msgno,
		    ev->err.msg);
		break;
	}
}

static void
fetch_on_done(struct pop3_fetch *f)
{
	struct err	 e;
	size_t		 i;

	/* an early QUIT (keep_on_server) may come before the last batch */
	while (!f->finished && (spool_commit_busy(f->spool) ||
	    spool_pending(f->spool, NULL) > 0)) {
		if (spool_commit_busy(f->spool))
			fetch_commit_done(f);
		else if (fetch_commit_start(f) == 0 &&
		    !spool_commit_busy(f->spool))
			break;
	}
	if (f->finished)
		return;
	for (i = 0; i < f->nmsgs; i++) {
		if (!f->msgs[i].dele_ok)
			continue;
		f->res.deleted++;
		if (f->msgs[i].uidl != NULL && spool_forget(f->spool,
		    f->msgs[i].uidl, f->msgs[i].ulen, &e) == -1)
			log_warn("%s: %s", f->name, e.msg);
	}
	if (f->res.failed > 0) {
		err_set(&e, ERR_PROTO, "%s: %zu message(s) could not be "
		    "retrieved", f->name, f->res.failed);
		fetch_finish(f, &e);
	} else
		fetch_finish(f, NULL);
}

static void
fetch_event(void *arg, const struct pop3_event *ev)
{
	struct pop3_fetch	*f = arg;
	struct fetch_msg	*m;

	if (f->finished)
		return;
	switch (ev->type) {
	case POP3_EV_STARTTLS:
		f->want_tls = true;
		break;
	case POP3_EV_NO_UIDL:
		f->res.no_uidl = true;
		break;
	case POP3_EV_LISTING:
		fetch_on_listing(f, ev);
		break;
	case POP3_EV_MSG_BEGIN:
	case POP3_EV_MSG_DATA:
	case POP3_EV_MSG_END:
	case POP3_EV_MSG_FAILED:
		fetch_on_msg(f, ev);
		break;
	case POP3_EV_DELE_OK:
		if ((m = fetch_msg_find(f, ev->msgno)) != NULL)
			m->dele_ok = true;
		break;
	case POP3_EV_DELE_FAILED:
		f->res.dele_failed++;
		log_warn("%s: DELE %u: %s", f->name, ev->msgno, ev->err.msg);
		break;
	case POP3_EV_IDLE:
		if (fetch_commit_start(f) == 0)
			fetch_maybe_quit(f);
		break;
	case POP3_EV_DONE:
		fetch_on_done(f);
		break;
	case POP3_EV_ERROR:
		/* a message cut short is never stored; complete ones are */
		if (f->cur_open) {
			spool_msg_abort(f->spool);
			f->cur_open = false;
		}
		fetch_commit_rest(f);
		fetch_finish(f, &ev->err);
		break;
	}
}

static void	fetch_readable(struct conn *, void *);

/* Connected, the password known and the spool checked: the session. */
static void
fetch_session_begin(struct pop3_fetch *f)
{
	size_t	 len;

	if (f->started || f->finished || !f->conn_up || f->pw_wait ||
	    spool_commit_busy(f->spool))
		return;
	f->started = true;
	pop3_session_start(f->sess, (int64_t)loop_now());
	/* the greeting may have come while the password was awaited */
	if (conn_peek(f->conn, &len) != NULL && len > 0)
		fetch_readable(f->conn, f);
	else
		fetch_flush(f);
}

static void
fetch_pw_ready(void *arg, const char *password, const struct err *e)
{
	struct pop3_fetch	*f = arg;

	account_pwcmd_free(f->pwcmd);
	f->pwcmd = NULL;
	if (f->finished)
		return;
	if (password == NULL) {
		fetch_finish(f, e);
		return;
	}
	pop3_session_set_password(f->sess, password);
	f->pw_wait = false;
	fetch_session_begin(f);
}

static void
fetch_connected(struct conn *c, void *arg)
{
	struct pop3_fetch	*f = arg;

	if (f->finished)	/* the spool did not open */
		return;
	f->conn_up = true;
	fetch_session_begin(f);
}

static void
fetch_tls_ready(struct conn *c, void *arg)
{
	struct pop3_fetch	*f = arg;

	pop3_session_tls_done(f->sess, (int64_t)loop_now());
	fetch_flush(f);
}

static void
fetch_readable(struct conn *c, void *arg)
{
	struct pop3_fetch	*f = arg;
	const char		*p;
	struct err		 e;
	size_t			 len;

	if (!f->started)	/* kept in the conn until the password is in */
		return;
	p = conn_peek(c, &len);
	pop3_session_input(f->sess, p, len, (int64_t)loop_now());
	if (f->finished)
		return;
	conn_consume(c, len);
	if (f->want_tls) {
		f->want_tls = false;
		if (conn_starttls(c, &e) == -1) {
			fetch_finish(f, &e);
			return;
		}
	}
	fetch_flush(f);
}

static void
fetch_closed(struct conn *c, void *arg)
{
	struct pop3_fetch	*f = arg;

	if (f->started)
		pop3_session_eof(f->sess, (int64_t)loop_now());
	if (!f->finished && (!f->started ||
	    pop3_session_finished(f->sess))) {
		struct err	 e;

		err_set(&e, ERR_TEMP, "%s: connection closed", f->name);
		fetch_finish(f, &e);
	}
}

static void
fetch_conn_error(struct conn *c, const struct err *e, void *arg)
{
	struct pop3_fetch	*f = arg;

	if (f->finished)
		return;
	if (f->cur_open) {
		spool_msg_abort(f->spool);
		f->cur_open = false;
	}
	fetch_commit_rest(f);
	fetch_finish(f, e);
}

static void
fetch_timer(struct loop_timer *t, void *arg)
{
	struct pop3_fetch	*f = arg;

	pop3_session_tick(f->sess, (int64_t)loop_now());
	fetch_flush(f);
}

static void
fetch_deferred_done(void *arg)
{
	struct pop3_fetch	*f = arg;

	f->done = true;
	account_pwcmd_free(f->pwcmd);	/* waits for the command */
	f->pwcmd = NULL;
	conn_free(f->conn);
	f->conn = NULL;
	loop_fd_remove(f->commit_w);
	f->commit_w = NULL;
	spool_free(f->spool);	/* lands a batch in flight, unlocks */
	f->spool = NULL;
	if (f->done_cb != NULL)
		f->done_cb(f, f->arg);
}

static void
fetch_finish(struct pop3_fetch *f, const struct err *e)
{
	if (f->finished)
		return;
	f->finished = true;
	if (f->timer != NULL)
		loop_timer_stop(f->timer);
	f->res.ok = e == NULL;
	if (e != NULL)
		f->res.err = *e;
	loop_defer(f->loop, fetch_deferred_done, f);
}

struct pop3_fetch *
pop3_fetch_new(struct loop *loop, const struct pop3_fetch_params *p,
    pop3_fetch_done_cb done_cb, void *arg)
{
	static const struct conn_cbs	 cbs = {
		fetch_connected, fetch_tls_ready, fetch_readable, NULL,
		fetch_closed, fetch_conn_error,
	};
	struct pop3_fetch		*f;
	struct pop3_config		 cfg;
	struct conn_params		 cp;
	struct err			 e;

	f = xcalloc(1, sizeof *f);
	f->loop = loop;
	f->p = *p;
	f->name = xstrdup(p->name != NULL ? p->name : "pop3");
	f->host = xstrdup(p->host != NULL ? p->host : "");
	f->port = xstrdup(p->port != NULL ? p->port : "995");
	f->ca_file = p->ca_file != NULL ? xstrdup(p->ca_file) : NULL;
	f->user = xstrdup(p->user != NULL ? p->user : "");
	f->spool_path = xstrdup(p->spool != NULL ? p->spool : "");
	buf_init(&f->password);
	buf_init(&f->top);
	if (p->password != NULL)
		buf_add_str(&f->password, p->password);
	f->p.password = NULL;
	if (f->p.batch_msgs == 0)
		f->p.batch_msgs = 512;
	if (f->p.batch_bytes == 0)
		f->p.batch_bytes = 32 * 1024 * 1024;
	f->done_cb = done_cb;
	f->arg = arg;
	f->timer = loop_timer_new(loop, fetch_timer, f);

	memset(&cfg, 0, sizeof cfg);
	cfg.peer = f->name;
	cfg.user = f->user;
	cfg.password = buf_str(&f->password);
	cfg.tls = p->tls;
	cfg.encrypted = p->tls == POP3_TLS_IMPLICIT;
	cfg.allow_plaintext = p->allow_plaintext;
	cfg.auth = p->auth;
	cfg.timeout_ms = p->timeout_ms;
	f->sess = pop3_session_new(&cfg, fetch_event, f);
	/* the lookup, TCP and TLS go on meanwhile; only the login waits */
	if (p->password == NULL && p->password_command != NULL) {
		f->pw_wait = true;
		if ((f->pwcmd = account_pwcmd_start_tty(loop,
		    p->password_command, fetch_pw_ready, f, &e)) == NULL) {
			f->pw_wait = false;
			fetch_finish(f, &e);
			return f;
		}
	}

	/*
	 * Connect first: the lookup, TCP and TLS go on (a thread, the
	 * kernel, then the loop) while the spool opens, and the spool is
	 * needed only once the listing is in.  A spool that cannot open
	 * ends the run before any login.
	 */
	memset(&cp, 0, sizeof cp);
	cp.host = f->host;
	cp.port = f->port;
	cp.tls = p->tls == POP3_TLS_IMPLICIT ? CONN_TLS_IMPLICIT :
	    p->tls == POP3_TLS_STARTTLS ? CONN_TLS_STARTTLS : CONN_TLS_NONE;
	cp.ca_file = f->ca_file;
	f->conn = conn_new(loop, &cp, &cbs, f);
	if ((f->spool = spool_open_unsettled(f->spool_path, &e)) == NULL) {
		fetch_finish(f, &e);
		return f;
	}
	/*
	 * A run that keeps every message it fetches on the server need not
	 * wait for the disk: nothing depends on it before the next open of
	 * the spool, which checks the files (and fetches a lost one again).
	 * A run that may delete keeps every batch durable before its DELEs.
	 */
	spool_set_deferred(f->spool, p->policy.keep_on_server);
	if (p->now != 0)
		spool_set_time(f->spool, p->now);
	if (p->test_stop_after != 0)
		spool_set_stop_after(f->spool, p->test_stop_after);
	f->commit_w = loop_fd_add(loop, spool_commit_fd(f->spool), LOOP_READ,
	    fetch_commit_ready, f);
	/*
	 * The check of the last deferred run waits for the disk: it runs
	 * in the spool's worker (the UI answers keys meanwhile), and the
	 * session begins once it landed (fetch_commit_ready).
	 */
	(void)spool_settle_start(f->spool);
	return f;
}

void
pop3_fetch_free(struct pop3_fetch *f)
{
	size_t	 i;

	if (f == NULL)
		return;
	if (!f->done)
		loop_defer_cancel(f->loop, fetch_deferred_done, f);
	account_pwcmd_free(f->pwcmd);
	conn_free(f->conn);
	loop_fd_remove(f->commit_w);
	spool_free(f->spool);
	pop3_session_free(f->sess);
	loop_timer_free(f->timer);
	for (i = 0; i < f->nmsgs; i++)
		free(f->msgs[i].uidl);
	free(f->msgs);
	free(f->batch);
	free(f->flight);
	buf_fini_secret(&f->password);
	buf_fini(&f->top);
	free(f->name);
	free(f->host);
	free(f->port);
	free(f->ca_file);
	free(f->user);
	free(f->spool_path);
	free(f);
}

void
pop3_fetch_set_progress(struct pop3_fetch *f, pop3_fetch_progress_cb cb,
    void *arg)
{
	f->progress_cb = cb;
	f->progress_arg = arg;
}

const struct pop3_fetch_result *
pop3_fetch_result(const struct pop3_fetch *f)
{
	return &f->res;
}

bool
pop3_fetch_is_done(const struct pop3_fetch *f)
{
	return f->done;
}

static void
fetch_run_done(struct pop3_fetch *f, void *arg)
{
	loop_break(arg);
}

int
pop3_fetch_run(struct loop *loop, const struct pop3_fetch_params *p,
    struct pop3_fetch_result *res)
{
	struct pop3_fetch	*f;

	f = pop3_fetch_new(loop, p, fetch_run_done, loop);
	while (!f->done)
		loop_run(loop);
	*res = f->res;
	pop3_fetch_free(f);
	return res->ok ? 0 : -1;
}
