/* SPDX-License-Identifier: ISC */
/*
 * The IMAP session: a state machine between the response parser and the
 * app.  No I/O and no clock of its own: bytes in, bytes out, events out,
 * one deadline out.  See imap.h for the contract.
 *
 * Commands sit in two queues: setup commands (CAPABILITY, STARTTLS,
 * AUTHENTICATE, LOGIN, ENABLE) go first and alone; mailbox commands follow
 * once logged in, pipelined up to pipeline_max, with SELECT, IDLE and
 * LOGOUT alone on the wire.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "imap/imap-cmd.h"
#include "imap/imap-index.h"
#include "imap/imap-parse.h"
#include "imap/imap-utf7.h"
#include "msg/rfc5322.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xmalloc.h"
#include "compat.h"

enum pend_kind {
	K_CAPABILITY,
	K_STARTTLS,
	K_AUTHENTICATE,
	K_LOGIN,
	K_ENABLE,
	K_LIST,
	K_STATUS,
	K_SELECT,
	K_SEARCH_UIDS,
	K_FETCH_CHUNK,
	K_FETCH_HEAD,
	K_FETCH_NEW,
	K_FETCH,
	K_STORE,
	K_EXPUNGE,
	K_COPY,
	K_MOVE,
	K_APPEND,
	K_NOOP,
	K_POLL,
	K_IDLE,
	K_LOGOUT,
	K_NOTIFY,
	K_CREATE,
};

static const char *const pend_names[] = {
	"CAPABILITY", "STARTTLS", "AUTHENTICATE", "LOGIN", "ENABLE", "LIST",
	"STATUS", "SELECT", "SEARCH", "FETCH", "FETCH", "FETCH", "FETCH",
	"STORE", "EXPUNGE", "COPY", "MOVE", "APPEND", "NOOP", "NOOP", "IDLE",
	"LOGOUT", "NOTIFY", "CREATE",
};
_Static_assert(sizeof pend_names / sizeof pend_names[0] == K_CREATE + 1,
    "one name for each pend_kind");

static const char *const state_names[] = {
	"connecting", "greeting", "starttls", "noauth", "authenticating",
	"auth", "selected", "logout", "closed",
};

struct pend {
	struct pend		*next;
	enum pend_kind		 kind;
	uint32_t		 id;		/* request id, 0 for internal */
	bool			 last;		/* DONE is reported on this one */
	bool			 alone;		/* nothing else in flight with it */
	bool			 dep;		/* waits for the request's earlier
						 * commands to succeed */
	char			 tag[16];
	struct imap_cmd		 cmd;
	size_t			 sent;		/* bytes of cmd.b already out */
	size_t			 nwait;		/* next entry of cmd.waits */
	char			*mailbox;	/* SELECT STATUS: UTF-8 name */
	uint32_t		 count;		/* FETCH_CHUNK: UIDs in it */
	bool			 cold;		/* SELECT: nothing cached */
};

struct pq {
	struct pend		*head;
	struct pend		**tailp;
};

enum idle_state {
	IDLE_NONE,
	IDLE_STARTING,		/* IDLE sent, "+" awaited */
	IDLE_RUNNING,
	IDLE_DONE_SENT,		/* DONE sent, tagged OK awaited */
};

/* A fetch_headers request: UIDs newest first, in chunks. */
struct hdr_job {
	uint32_t		 id;		/* 0: no job */
	uint32_t		 after_uid;
	bool			 started;
	uint32_t		*uids;		/* ascending */
	size_t			 n;
	size_t			 next_hi;	/* uids[0..next_hi) still to fetch */
	uint32_t		 done;
	bool			 first;
	unsigned int		 inflight;	/* chunks queued or sent */
};

/*
 * The head start of a cold open of a large mailbox: the newest messages
 * by sequence number, before the UID SEARCH, which costs the server
 * time in proportion to the mailbox (0.2-0.4 s for 1,000,000 messages
 * in Dovecot) while this FETCH does not.  It asks for no RFC822.SIZE:
 * Dovecot takes a Maildir message's size from its file name, and the
 * first message it needs a name for makes it read the whole
 * dovecot-uidlist (0.15 s at 100,000 messages, while the other items
 * took 1 ms).  So the header job fetches these rows again, whole, in its
 * first chunk (the index shows their size from then on).
 *
 * A mailbox of one chunk or less is fetched whole by sequence number
 * instead, in one command, sizes included: its UID map comes with the
 * rows, so there is no UID SEARCH to wait for and no first screen sent
 * alone (at 1,000 messages all of it is on screen within 0.1 s, sooner
 * than by those two round trips).  The header job, asked for before the
 * SELECT's answer, then starts above the newest UID the head brought.
 */
struct hdr_head {
	bool			 on;		/* FETCH in flight */
	bool			 whole;		/* of every message, sizes too */
	bool			 brought;	/* rows came: the first screen */
};

struct imap_session {
	struct imap_params	 p;
	char			*host;
	imap_event_cb		 cb;
	void			*cb_arg;
	struct imap_parser	*parser;
	enum imap_state		 state;
	bool			 encrypted;
	bool			 caps_known;
	char			**caps;
	size_t			 ncaps;
	bool			 en_qresync, en_condstore, en_utf8;
	uint32_t		 next_tag;
	uint32_t		 next_id;
	struct buf		 out;
	struct pq		 setup;		/* queued setup commands */
	struct pq		 queue;		/* queued mailbox commands */
	struct pq		 flight;	/* sent, tagged answer awaited */
	unsigned int		 nflight;
	struct pend		*cont;		/* waits for "+" to send more */
	bool			 ready;		/* logged in and set up */
	uint32_t		 login_id;
	struct buf		 user, pass;	/* secret; wiped after use */
	bool			 have_creds;
	bool			 tried_login;	/* after AUTHENTICATE failed */
	struct buf		 login_caps;	/* CAPABILITY from tagged OK */
	/* the selected mailbox */
	char			*mailbox;
	struct imap_selected	 sel;
	struct imap_str		*flagv, *pflagv;
	uint32_t		*map;		/* seq - 1 → UID (0 unknown) */
	uint32_t		 exists;
	bool			 map_ready;
	bool			 in_resp;	/* a response is being handled */
	struct hdr_head		 head;
	bool			 await_closed;	/* old mailbox data until [CLOSED] */
	bool			 selecting;
	struct hdr_job		 job;
	/* time */
	uint64_t		 progress_at;	/* last complete response */
	bool			 waiting;	/* a response is awaited */
	enum idle_state		 idle;
	bool			 idle_on;
	bool			 idle_broken;
	uint64_t		 idle_since;
	uint64_t		 quiet_since;	/* for NOOP polling */
	bool			 enable_sent;
	bool			 greeted;
	bool			 tls_pending;	/* STARTTLS OK, no TLS yet */
	/* RFC 5465 NOTIFY */
	bool			 notify_sent;
	bool			 notify_on;	/* the server pushes events */
	uint32_t		 notify_from;	/* EXISTS before the new ones */
	uint64_t		 notify_check;	/* when their FETCH is due */
};

static void	 pump(struct imap_session *);
static void	 fail(struct imap_session *, enum err_class, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	 proceed(struct imap_session *);
static void	 do_login(struct imap_session *);
static void	 done_event(struct imap_session *, uint32_t, const char *,
		    const char *, const struct imap_resp *, enum err_class,
		    const char *);
static void	 job_finish(struct imap_session *, enum err_class,
		    const char *);
static void	 strs_free(struct imap_str *, size_t);
static void	 select_begin(struct imap_session *, struct pend *);

/* Small helpers */

static uint64_t
now_ms(const struct imap_session *s)
{
	return s->p.clock != NULL ? s->p.clock(s->p.clock_arg) : 0;
}

static void
emit(struct imap_session *s, struct imap_event *ev)
{
	ev->state = s->state;
	s->cb(s->cb_arg, ev);
}

static void
emit_simple(struct imap_session *s, enum imap_ev_type type, uint32_t id,
    const char *text)
{
	struct imap_event	 ev;

	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.cmd_id = id;
	ev.text = text;
	emit(s, &ev);
}

static void
emit_err(struct imap_session *s, enum imap_ev_type type, uint32_t id,
    enum err_class cls, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
emit_err(struct imap_session *s, enum imap_ev_type type, uint32_t id,
    enum err_class cls, const char *fmt, ...)
{
	struct imap_event	 ev;
	va_list			 ap;

	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.cmd_id = id;
	ev.err.cls = cls;
	va_start(ap, fmt);
	(void)vsnprintf(ev.err.msg, sizeof ev.err.msg, fmt, ap);
	va_end(ap);
	if (type == IMAP_EV_WARN)
		log_warn("imap %s: %s", s->host, ev.err.msg);
	emit(s, &ev);
}

static void
set_state(struct imap_session *s, enum imap_state st)
{
	struct imap_event	 ev;

	if (s->state == st)
		return;
	log_debug("imap %s: %s -> %s", s->host, state_names[s->state],
	    state_names[st]);
	s->state = st;
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_EV_STATE;
	emit(s, &ev);
}

const char *
imap_state_name(enum imap_state st)
{
	if ((size_t)st >= sizeof state_names / sizeof state_names[0])
		return "?";
	return state_names[st];
}

void
imap_params_default(struct imap_params *p)
{
	memset(p, 0, sizeof *p);
	p->host = "imap";
	p->tls = IMAP_TLS_IMPLICIT;
	p->use_idle = true;
	p->idle_restart = 25 * 60 * 1000;
	p->poll_interval = 60 * 1000;
	p->cmd_timeout = 60 * 1000;
	p->first_chunk = 50;
	p->chunk = 1000;
	p->chunks_ahead = 4;
	p->pipeline_max = 8;
	p->exists_max = 10000000;
	imap_limits_default(&p->limits);
}

static void
pq_init(struct pq *q)
{
	q->head = NULL;
	q->tailp = &q->head;
}

static void
pq_push(struct pq *q, struct pend *p)
{
	p->next = NULL;
	*q->tailp = p;
	q->tailp = &p->next;
}

static struct pend *
pq_pop(struct pq *q)
{
	struct pend	*p = q->head;

	if (p != NULL) {
		q->head = p->next;
		if (q->head == NULL)
			q->tailp = &q->head;
		p->next = NULL;
	}
	return p;
}

/* Unlink p from q (it must be there). */
static void
pq_remove(struct pq *q, struct pend *p)
{
	struct pend	**pp;

	for (pp = &q->head; *pp != NULL; pp = &(*pp)->next) {
		if (*pp != p)
			continue;
		*pp = p->next;
		if (*pp == NULL)
			q->tailp = pp;
		p->next = NULL;
		return;
	}
}

static void
pend_free(struct pend *p)
{
	if (p == NULL)
		return;
	imap_cmd_fini(&p->cmd);
	free(p->mailbox);
	free(p);
}

static void
pq_free(struct pq *q)
{
	struct pend	*p;

	while ((p = pq_pop(q)) != NULL)
		pend_free(p);
}

static enum imap_literal_mode
lit_mode(const struct imap_session *s)
{
	if (imap_session_has_cap(s, "LITERAL+"))
		return IMAP_LIT_PLUS;
	if (imap_session_has_cap(s, "LITERAL-"))
		return IMAP_LIT_MINUS;
	return IMAP_LIT_SYNC;
}

/* A new command with a fresh tag; the caller adds its words and ends it. */
static struct pend *
pend_new(struct imap_session *s, enum pend_kind kind, uint32_t id)
{
	struct pend	*p;

	p = xcalloc(1, sizeof *p);
	p->kind = kind;
	p->id = id;
	p->last = true;
	(void)snprintf(p->tag, sizeof p->tag, "a%u", ++s->next_tag);
	imap_cmd_init(&p->cmd, p->tag, lit_mode(s), s->en_utf8);
	p->alone = kind == K_SELECT || kind == K_IDLE || kind == K_LOGOUT ||
	    kind == K_STARTTLS || kind == K_AUTHENTICATE || kind == K_LOGIN;
	return p;
}

/* Capabilities */

bool
imap_session_has_cap(const struct imap_session *s, const char *cap)
{
	size_t	 i;

	for (i = 0; i < s->ncaps; i++)
		if (strcasecmp(s->caps[i], cap) == 0)
			return true;
	return false;
}

static void
caps_clear(struct imap_session *s)
{
	size_t	 i;

	for (i = 0; i < s->ncaps; i++)
		free(s->caps[i]);
	free(s->caps);
	s->caps = NULL;
	s->ncaps = 0;
	s->caps_known = false;
}

static void
caps_set(struct imap_session *s, const struct imap_strs *v)
{
	size_t	 i;

	caps_clear(s);
	s->caps = xreallocarray(NULL, v->n + 1, sizeof *s->caps);
	for (i = 0; i < v->n; i++)
		s->caps[s->ncaps++] = xstrndup(v->v[i].p, v->v[i].len);
	s->caps_known = true;
}

/* Output */

static void
out_log(struct imap_session *s, const char *p, size_t len, bool secret)
{
	const char	*nl;
	size_t		 n;

	while (len > 0) {
		nl = memchr(p, '\n', len);
		n = nl == NULL ? len : (size_t)(nl - p) + 1;
		log_proto(s->host, LOG_DIR_OUT, p,
		    n >= 2 && p[n - 2] == '\r' ? n - 2 : n, secret);
		p += n;
		len -= n;
	}
}

/* Put the next segment of p (to its next wait point, or the end) out. */
static void
pend_send_segment(struct imap_session *s, struct pend *p)
{
	size_t	 end = p->cmd.b.len;

	if (p->nwait < p->cmd.nwaits)
		end = p->cmd.waits[p->nwait];
	buf_add(&s->out, p->cmd.b.data + p->sent, end - p->sent);
	/* the first line of a secret command is redacted by verb; the rest
	 * (literal password, SASL data) is hidden whole */
	out_log(s, p->cmd.b.data + p->sent, end - p->sent,
	    p->cmd.secret && p->sent > 0);
	p->sent = end;
	s->cont = p->sent < p->cmd.b.len ? p : NULL;
	if (s->cont != NULL)
		p->nwait++;
}

static void
start_waiting(struct imap_session *s)
{
	if (!s->waiting) {
		s->waiting = true;
		s->progress_at = now_ms(s);
	}
}

static void
pend_send(struct imap_session *s, struct pend *p)
{
	if (p->kind == K_LOGOUT)
		set_state(s, IMAP_STATE_LOGOUT);
	if (p->kind == K_SELECT)
		select_begin(s, p);
	pq_push(&s->flight, p);
	s->nflight++;
	start_waiting(s);
	pend_send_segment(s, p);
}

/* Report the end of request id; what names the command. */
static void
done_event(struct imap_session *s, uint32_t id, const char *what,
    const char *mailbox, const struct imap_resp *r, enum err_class cls,
    const char *why)
{
	struct imap_event	 ev;

	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_EV_DONE;
	ev.cmd_id = id;
	ev.mailbox = mailbox;
	if (r != NULL && r->code.type != IMAP_CODE_NONE)
		ev.code = &r->code;
	if (cls != ERR_NONE) {
		ev.err.cls = cls;
		(void)snprintf(ev.err.msg, sizeof ev.err.msg, "%s failed: %s",
		    what, why);
	}
	emit(s, &ev);
}

/* The request of p (all of its commands) ended; report it once. */
static void
pend_done(struct imap_session *s, struct pend *p, const struct imap_resp *r,
    enum err_class cls, const char *why)
{
	if (p->id == 0 || !p->last)
		return;
	done_event(s, p->id, pend_names[p->kind], p->mailbox, r, cls, why);
}

/* Drop the queued commands of request id after one of them failed. */
static void
cancel_request(struct imap_session *s, uint32_t id)
{
	struct pend	*p, *next;

	for (p = s->queue.head; p != NULL; p = next) {
		next = p->next;
		if (p->id == id) {
			pq_remove(&s->queue, p);
			pend_free(p);
		}
	}
	for (p = s->flight.head; p != NULL; p = p->next)
		if (p->id == id)
			p->id = 0;	/* its answer reports nothing */
}

/* Requests */

static uint32_t
request_check(struct imap_session *s, struct err *e, bool need_selected)
{
	if (s->state == IMAP_STATE_CLOSED || s->state == IMAP_STATE_LOGOUT)
		return err_set(e, ERR_TEMP, "not connected"), 0;
	if (need_selected && s->mailbox == NULL)
		return err_set(e, ERR_INPUT, "no mailbox selected"), 0;
	return ++s->next_id;
}

static void
enqueue(struct imap_session *s, struct pend *p)
{
	imap_cmd_end(&p->cmd);
	pq_push(&s->queue, p);
	pump(s);
}

static void
enqueue_setup(struct imap_session *s, struct pend *p)
{
	imap_cmd_end(&p->cmd);
	pq_push(&s->setup, p);
	pump(s);
}

/* IDLE */

static bool
can_idle(const struct imap_session *s)
{
	return s->p.use_idle && s->idle_on && !s->idle_broken &&
	    imap_session_has_cap(s, "IDLE");
}

static void
idle_done(struct imap_session *s)
{
	buf_add(&s->out, "DONE\r\n", 6);
	log_proto(s->host, LOG_DIR_OUT, "DONE", 4, false);
	s->idle = IDLE_DONE_SENT;
	s->waiting = false;
	start_waiting(s);
}

/* Nothing to do in a selected mailbox: IDLE (or wait for the NOOP poll). */
static void
idle_maybe_enter(struct imap_session *s)
{
	struct pend	*p;

	if (s->state != IMAP_STATE_SELECTED || !s->ready || s->nflight > 0 ||
	    s->queue.head != NULL || s->idle != IDLE_NONE || s->selecting ||
	    (s->job.id != 0))
		return;
	if (!can_idle(s)) {
		if (s->quiet_since == 0)
			s->quiet_since = now_ms(s);
		return;
	}
	p = pend_new(s, K_IDLE, 0);
	imap_cmd_add(&p->cmd, "IDLE");
	imap_cmd_end(&p->cmd);
	s->idle = IDLE_STARTING;
	pend_send(s, p);
}

/* The pump: send whatever may be sent now. */

static bool
pend_may_go(const struct imap_session *s, const struct pend *p)
{
	const struct pend	*f = s->flight.head;

	if (s->cont != NULL)
		return false;
	if (s->nflight >= (s->p.pipeline_max ? s->p.pipeline_max : 1))
		return false;
	if (p->alone && s->nflight > 0)
		return false;
	/* nothing joins a command that must be alone */
	for (; f != NULL; f = f->next)
		if (f->alone || (p->dep && f->id == p->id))
			return false;
	return true;
}

/*
 * Send what may go.  Not while a response is being handled: a command
 * sent then (a SELECT queued behind others) would change the state the
 * handler goes on with, such as the UID map it is writing to.  The input
 * loop pumps after each response instead, so what goes out does not
 * depend on how the server's bytes were split into reads.
 */
static void
pump(struct imap_session *s)
{
	struct pend	*p;

	if (s->in_resp)
		return;
	if (s->state == IMAP_STATE_CLOSED)
		return;
	if (s->cont != NULL)
		return;
	while ((p = s->setup.head) != NULL && pend_may_go(s, p))
		pend_send(s, pq_pop(&s->setup));
	if (s->setup.head != NULL || !s->ready)
		return;
	if (s->queue.head != NULL) {
		if (s->idle == IDLE_RUNNING) {
			idle_done(s);
			return;
		}
		if (s->idle != IDLE_NONE)
			return;	/* wait for "+" or for IDLE's tagged OK */
		s->quiet_since = 0;
	}
	while ((p = s->queue.head) != NULL && pend_may_go(s, p))
		pend_send(s, pq_pop(&s->queue));
	idle_maybe_enter(s);
}

/* Failure: the session is over. */

static void
fail_pending(struct imap_session *s, struct pq *q, const char *why)
{
	struct pend	*p;

	while ((p = pq_pop(q)) != NULL) {
		if (p->id != 0 && p->last)
			pend_done(s, p, NULL, ERR_TEMP, why);
		pend_free(p);
	}
}

static void
fail(struct imap_session *s, enum err_class cls, const char *fmt, ...)
{
	struct imap_event	 ev;
	va_list			 ap;

	if (s->state == IMAP_STATE_CLOSED)
		return;
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_EV_ERROR;
	ev.err.cls = cls;
	va_start(ap, fmt);
	(void)vsnprintf(ev.err.msg, sizeof ev.err.msg, fmt, ap);
	va_end(ap);
	log_warn("imap %s: %s", s->host, ev.err.msg);
	s->cont = NULL;
	s->waiting = false;
	s->idle = IDLE_NONE;
	s->nflight = 0;
	buf_fini_secret(&s->pass);
	s->have_creds = false;
	set_state(s, IMAP_STATE_CLOSED);
	fail_pending(s, &s->flight, "connection lost");
	fail_pending(s, &s->setup, "connection lost");
	fail_pending(s, &s->queue, "connection lost");
	if (s->job.id != 0)
		job_finish(s, ERR_TEMP, "connection lost");
	if (s->login_id != 0)
		done_event(s, s->login_id, "LOGIN", NULL, NULL, cls, ev.err.msg);
	s->login_id = 0;
	emit(s, &ev);
}

/* Session object */

struct imap_session *
imap_session_new(const struct imap_params *params, imap_event_cb cb,
    void *arg)
{
	struct imap_session	*s;

	s = xcalloc(1, sizeof *s);
	s->p = *params;
	s->host = xstrdup(params->host != NULL ? params->host : "imap");
	s->p.host = s->host;
	if (s->p.cmd_timeout == 0)
		s->p.cmd_timeout = 60 * 1000;
	if (s->p.chunk == 0)
		s->p.chunk = 1000;
	if (s->p.chunks_ahead == 0)
		s->p.chunks_ahead = 1;
	if (s->p.first_chunk == 0)
		s->p.first_chunk = s->p.chunk;
	if (s->p.exists_max == 0)
		s->p.exists_max = 10000000;
	s->cb = cb;
	s->cb_arg = arg;
	s->parser = imap_parser_new(&s->p.limits);
	s->state = IMAP_STATE_CONNECTING;
	s->idle_on = true;
	buf_init(&s->out);
	buf_init(&s->user);
	buf_init(&s->pass);
	buf_init(&s->login_caps);
	pq_init(&s->setup);
	pq_init(&s->queue);
	pq_init(&s->flight);
	return s;
}

static void
mailbox_clear(struct imap_session *s)
{
	free(s->mailbox);
	s->mailbox = NULL;
	free(s->map);
	s->map = NULL;
	s->exists = 0;
	s->map_ready = false;
	strs_free(s->flagv, s->sel.flags.n);
	strs_free(s->pflagv, s->sel.permanent_flags.n);
	free(s->flagv);
	free(s->pflagv);
	s->flagv = s->pflagv = NULL;
	memset(&s->sel, 0, sizeof s->sel);
	free(s->job.uids);
	memset(&s->job, 0, sizeof s->job);
	memset(&s->head, 0, sizeof s->head);
}

void
imap_session_free(struct imap_session *s)
{
	if (s == NULL)
		return;
	pq_free(&s->setup);
	pq_free(&s->queue);
	pq_free(&s->flight);
	mailbox_clear(s);
	caps_clear(s);
	imap_parser_free(s->parser);
	buf_fini(&s->out);
	buf_fini_secret(&s->user);
	buf_fini_secret(&s->pass);
	buf_fini(&s->login_caps);
	free(s->host);
	free(s);
}

enum imap_state
imap_session_state(const struct imap_session *s)
{
	return s->state;
}

bool
imap_session_is_idling(const struct imap_session *s)
{
	return s->idle == IDLE_RUNNING;
}

void
imap_session_start(struct imap_session *s, bool encrypted)
{
	if (s->state != IMAP_STATE_CONNECTING)
		return;
	s->encrypted = encrypted;
	set_state(s, IMAP_STATE_GREETING);
	start_waiting(s);
}

size_t
imap_session_output(struct imap_session *s, const void **p)
{
	*p = s->out.data;
	return s->out.len;
}

void
imap_session_sent(struct imap_session *s, size_t n)
{
	buf_consume(&s->out, n);
}

void
imap_session_eof(struct imap_session *s)
{
	if (s->state == IMAP_STATE_LOGOUT || s->state == IMAP_STATE_CLOSED) {
		set_state(s, IMAP_STATE_CLOSED);
		return;
	}
	fail(s, ERR_TEMP, "%s closed the connection", s->host);
}

/* Login */

static void
base64_add(struct buf *out, const unsigned char *p, size_t len)
{
	static const char	 t[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t		 v;
	size_t			 i;

	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		buf_add_byte(out, (unsigned char)t[v >> 18]);
		buf_add_byte(out, (unsigned char)t[(v >> 12) & 63]);
		buf_add_byte(out, (unsigned char)t[(v >> 6) & 63]);
		buf_add_byte(out, (unsigned char)t[v & 63]);
	}
	if (len - i == 1) {
		v = (uint32_t)p[i] << 16;
		buf_add_byte(out, (unsigned char)t[v >> 18]);
		buf_add_byte(out, (unsigned char)t[(v >> 12) & 63]);
		buf_add_str(out, "==");
	} else if (len - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		buf_add_byte(out, (unsigned char)t[v >> 18]);
		buf_add_byte(out, (unsigned char)t[(v >> 12) & 63]);
		buf_add_byte(out, (unsigned char)t[(v >> 6) & 63]);
		buf_add_byte(out, '=');
	}
}

/* RFC 4616: authzid NUL authcid NUL passwd, base64 (RFC 4959 for SASL-IR). */
static void
sasl_plain(struct imap_session *s, struct imap_cmd *c)
{
	struct buf	 raw = BUF_INIT;

	buf_add_byte(&raw, '\0');
	buf_add(&raw, s->user.data, s->user.len);
	buf_add_byte(&raw, '\0');
	buf_add(&raw, s->pass.data, s->pass.len);
	base64_add(&c->b, (const unsigned char *)raw.data, raw.len);
	buf_fini_secret(&raw);
}

static bool
may_send_credentials(struct imap_session *s)
{
	if (s->encrypted || s->p.allow_plaintext)
		return true;
	fail(s, ERR_REFUSED, "%s: refusing to send the password over a "
	    "connection without TLS (allow_plaintext is off)", s->host);
	return false;
}

static void
do_login(struct imap_session *s)
{
	struct pend	*p;
	bool		 plain = imap_session_has_cap(s, "AUTH=PLAIN");

	if (!s->have_creds || s->state != IMAP_STATE_NOAUTH ||
	    !may_send_credentials(s))
		return;
	if (plain && !s->tried_login) {
		p = pend_new(s, K_AUTHENTICATE, 0);
		p->cmd.secret = true;
		imap_cmd_add(&p->cmd, "AUTHENTICATE PLAIN");
		if (imap_session_has_cap(s, "SASL-IR")) {
			imap_cmd_add(&p->cmd, " ");
			sasl_plain(s, &p->cmd);
		}
	} else if (imap_session_has_cap(s, "LOGINDISABLED")) {
		fail(s, ERR_REFUSED, "%s: server disables LOGIN and offers "
		    "no AUTH=PLAIN", s->host);
		return;
	} else {
		p = pend_new(s, K_LOGIN, 0);
		p->cmd.secret = true;
		imap_cmd_add(&p->cmd, "LOGIN ");
		imap_cmd_astring(&p->cmd, s->user.data, s->user.len);
		imap_cmd_add(&p->cmd, " ");
		imap_cmd_astring(&p->cmd, s->pass.data, s->pass.len);
	}
	set_state(s, IMAP_STATE_AUTHENTICATING);
	enqueue_setup(s, p);
}

uint32_t
imap_session_login(struct imap_session *s, const char *user,
    const char *pass, struct err *e)
{
	uint32_t	 id;

	if ((id = request_check(s, e, false)) == 0)
		return 0;
	if (s->state == IMAP_STATE_AUTH || s->state == IMAP_STATE_SELECTED ||
	    s->state == IMAP_STATE_AUTHENTICATING)
		return err_set(e, ERR_INPUT, "already logged in"), 0;
	buf_fini_secret(&s->user);
	buf_fini_secret(&s->pass);
	buf_add_str(&s->user, user);
	buf_add_str(&s->pass, pass);
	s->have_creds = true;
	s->tried_login = false;
	s->login_id = id;
	if (s->state == IMAP_STATE_NOAUTH)
		do_login(s);
	return id;
}

/* The steps between the greeting and a usable session. */
static void
proceed(struct imap_session *s)
{
	struct pend	*p;

	if (s->state == IMAP_STATE_CLOSED)
		return;
	if (!s->caps_known) {
		p = pend_new(s, K_CAPABILITY, 0);
		imap_cmd_add(&p->cmd, "CAPABILITY");
		enqueue_setup(s, p);
		return;
	}
	if (!s->encrypted && s->p.tls == IMAP_TLS_STARTTLS) {
		if (!imap_session_has_cap(s, "STARTTLS")) {
			fail(s, ERR_TLS, "%s does not offer STARTTLS; not "
			    "logging in without TLS", s->host);
			return;
		}
		set_state(s, IMAP_STATE_STARTTLS);
		p = pend_new(s, K_STARTTLS, 0);
		imap_cmd_add(&p->cmd, "STARTTLS");
		enqueue_setup(s, p);
		return;
	}
	if (!s->encrypted && s->p.tls == IMAP_TLS_IMPLICIT) {
		fail(s, ERR_TLS, "%s: the transport is not encrypted", s->host);
		return;
	}
	set_state(s, IMAP_STATE_NOAUTH);
	if (!s->have_creds) {
		emit_simple(s, IMAP_EV_NEED_PASSWORD, 0, NULL);
		return;
	}
	do_login(s);
}

void
imap_session_tls_ready(struct imap_session *s)
{
	if (s->state != IMAP_STATE_STARTTLS || !s->tls_pending)
		return;
	s->tls_pending = false;
	s->encrypted = true;
	caps_clear(s);		/* RFC 9051 6.2.1: forget what came before */
	proceed(s);
}

/*
 * NOTIFY (RFC 5465): one connection carries the news of every personal
 * mailbox.  The selected one sends EXISTS with the FETCH of what the index
 * needs (so no UID FETCH of our own), EXPUNGE or VANISHED and flag
 * FETCHes; the others send STATUS, which becomes IMAP_EV_STATUS.  Without
 * the capability nothing changes: IDLE on the selected mailbox.
 */

/* How long the FETCH of a notified new message may lag its EXISTS. */
#define NOTIFY_FETCH_GRACE	1000	/* ms */

/*
 * The index headers of a message: the header fields the index and
 * threading use, as one header block.  Cheaper than ENVELOPE for the
 * server (no parse and rebuild) and for pons (one literal, no nested
 * lists), and it carries References.
 */
#define INDEX_HEADER	"BODY.PEEK[HEADER.FIELDS (" IMAP_INDEX_FIELDS ")]"

static void	 queue_fetch_new(struct imap_session *);

static void
notify_send(struct imap_session *s)
{
	struct pend	*p;

	s->notify_sent = true;
	p = pend_new(s, K_NOTIFY, 0);
	/* RFC 5465 section 5.2: FlagChange needs MessageNew and
	 * MessageExpunge.  STATUS: every folder's counts as of now, for
	 * what changed since the folder list was read */
	imap_cmd_add(&p->cmd, "NOTIFY SET STATUS (SELECTED (MessageNew (UID "
	    "FLAGS INTERNALDATE RFC822.SIZE%s " INDEX_HEADER ") "
	    "MessageExpunge FlagChange)) (PERSONAL (MessageNew "
	    "MessageExpunge FlagChange))",
	    s->en_condstore || s->en_qresync ? " MODSEQ" : "");
	enqueue(s, p);
}

/*
 * Not at login: while NOTIFY watches other folders, Dovecot's SELECT of
 * a big mailbox is many times slower (0.1 s against 2.2 s at 1,000,000
 * messages, 0.02 s against 0.15 s at 100,000), so the owner asks once
 * the open mailbox is in step.
 */
void
imap_session_notify(struct imap_session *s)
{
	if (s->ready && !s->notify_sent && imap_session_has_cap(s, "NOTIFY"))
		notify_send(s);
}

/* New messages while NOTIFY is on: their FETCH should follow the EXISTS;
 * true if it is awaited, false to fetch them ourselves. */
static bool
notify_new(struct imap_session *s, uint32_t old)
{
	if (!s->notify_on)
		return false;
	if (s->notify_check == 0 || old < s->notify_from)
		s->notify_from = old;
	s->notify_check = now_ms(s) + NOTIFY_FETCH_GRACE;
	return true;
}

/* The grace is over (or a tagged answer came): fetch what did not come. */
static void
notify_check(struct imap_session *s)
{
	uint32_t	 seq;

	s->notify_check = 0;
	if (s->mailbox == NULL || !s->map_ready || s->selecting)
		return;
	for (seq = s->notify_from + 1; seq <= s->exists; seq++)
		if (s->map[seq - 1] == 0) {
			log_debug("imap %s: no FETCH came with new message "
			    "%u: fetching it", s->host, seq);
			queue_fetch_new(s);
			return;
		}
}

/* RFC 5465 section 5.8: the server gave up sending events. */
static void
notify_overflow(struct imap_session *s)
{
	if (!s->notify_on)
		return;
	s->notify_on = false;
	if (s->notify_check != 0)
		notify_check(s);
	emit_err(s, IMAP_EV_WARN, 0, ERR_TEMP, "%s stopped notifying changes "
	    "(NOTIFICATIONOVERFLOW); only the open folder stays live",
	    s->host);
}

/* After LOGIN/AUTHENTICATE OK: capabilities, ENABLE, then ready. */
static void
logged_in_next(struct imap_session *s)
{
	struct pend	*p;
	bool		 qr, cs, u8;

	if (!s->caps_known) {
		p = pend_new(s, K_CAPABILITY, 0);
		imap_cmd_add(&p->cmd, "CAPABILITY");
		enqueue_setup(s, p);
		return;
	}
	qr = imap_session_has_cap(s, "QRESYNC") && !s->en_qresync;
	cs = imap_session_has_cap(s, "CONDSTORE") && !s->en_condstore;
	u8 = imap_session_has_cap(s, "UTF8=ACCEPT") && !s->en_utf8;
	if (imap_session_has_cap(s, "ENABLE") && (qr || cs || u8) &&
	    !s->enable_sent) {
		/* RFC 5161; QRESYNC implies CONDSTORE (RFC 7162 3.2.3) */
		s->enable_sent = true;
		p = pend_new(s, K_ENABLE, 0);
		imap_cmd_add(&p->cmd, "ENABLE%s%s%s", qr ? " QRESYNC" : "",
		    cs && !qr ? " CONDSTORE" : "", u8 ? " UTF8=ACCEPT" : "");
		enqueue_setup(s, p);
		return;
	}
	s->ready = true;
	buf_fini_secret(&s->pass);
	s->have_creds = false;
	emit_simple(s, IMAP_EV_LOGGED_IN, 0, NULL);
	if (s->login_id != 0)
		done_event(s, s->login_id, "LOGIN", NULL, NULL, ERR_NONE, NULL);
	s->login_id = 0;
	pump(s);
}

static void
on_login_done(struct imap_session *s, struct pend *p,
    const struct imap_resp *r)
{
	uint32_t	 id = s->login_id;
	char		 text[160];

	if (r->type == IMAP_RESP_OK) {
		if (r->code.type == IMAP_CODE_CAPABILITY)
			caps_set(s, &r->code.atoms);
		else
			caps_clear(s);	/* RFC 9051 6.2.2: may have changed */
		set_state(s, IMAP_STATE_AUTH);
		logged_in_next(s);	/* reports the login id when set up */
		return;
	}
	(void)snprintf(text, sizeof text, "%.*s", (int)r->text.len,
	    r->text.p != NULL ? r->text.p : "");
	if (p->kind == K_AUTHENTICATE && r->type == IMAP_RESP_BAD &&
	    !imap_session_has_cap(s, "LOGINDISABLED")) {
		/* the mechanism did not work: LOGIN instead */
		s->tried_login = true;
		set_state(s, IMAP_STATE_NOAUTH);
		do_login(s);
		return;
	}
	buf_fini_secret(&s->pass);
	s->have_creds = false;
	set_state(s, IMAP_STATE_NOAUTH);
	if (id != 0)
		done_event(s, id, "LOGIN", NULL, r, ERR_AUTH, text);
	s->login_id = 0;
	emit_simple(s, IMAP_EV_NEED_PASSWORD, 0, NULL);
}

/* Greeting */

static void
on_greeting(struct imap_session *s, const struct imap_resp *r)
{
	char	 text[200];

	(void)snprintf(text, sizeof text, "%.*s", (int)r->text.len,
	    r->text.p != NULL ? r->text.p : "");
	if (r->kind != IMAP_KIND_UNTAGGED) {
		fail(s, ERR_PROTO, "%s: no greeting", s->host);
		return;
	}
	if (r->type == IMAP_RESP_BYE) {
		emit_simple(s, IMAP_EV_BYE, 0, text);
		fail(s, ERR_TEMP, "%s refused the connection: %s", s->host,
		    text);
		return;
	}
	if (r->type != IMAP_RESP_OK && r->type != IMAP_RESP_PREAUTH) {
		fail(s, ERR_PROTO, "%s: bad greeting", s->host);
		return;
	}
	if (r->code.type == IMAP_CODE_CAPABILITY)
		caps_set(s, &r->code.atoms);
	emit_simple(s, IMAP_EV_GREETING, 0, text);
	if (r->type == IMAP_RESP_PREAUTH) {
		if (!s->encrypted && s->p.tls != IMAP_TLS_NONE) {
			/* RFC 9051 6.2.1: no STARTTLS after PREAUTH */
			fail(s, ERR_TLS, "%s: PREAUTH on a connection without "
			    "TLS refused", s->host);
			return;
		}
		set_state(s, IMAP_STATE_AUTH);
		logged_in_next(s);
		return;
	}
	proceed(s);
}

/* Mailbox list and status */

/* The UTF-8 form of a wire mailbox name into out; raw on bad input. */
static void
name_decode(struct imap_session *s, const struct imap_str *w, struct buf *out)
{
	struct err	 e;

	buf_reset(out);
	if (w->p == NULL)
		return;
	if (!s->en_utf8 && imap_utf7_decode(w->p, w->len, out, &e) == 0)
		return;
	/* lenient: keep the bytes; the UI sanitises what it shows */
	buf_add(out, w->p, w->len);
}

uint32_t
imap_session_list(struct imap_session *s, struct err *e)
{
	struct pend	*p;
	uint32_t	 id;
	bool		 su, ls;

	if ((id = request_check(s, e, false)) == 0)
		return 0;
	p = pend_new(s, K_LIST, id);
	su = imap_session_has_cap(s, "SPECIAL-USE");
	ls = imap_session_has_cap(s, "LIST-STATUS");
	imap_cmd_add(&p->cmd, "LIST \"\" \"*\"");
	if (su || ls)
		imap_cmd_add(&p->cmd, " RETURN (%s%s%s)", su ? "SPECIAL-USE" :
		    "", su && ls ? " " : "", ls ?
		    "STATUS (MESSAGES UNSEEN UIDNEXT UIDVALIDITY)" : "");
	enqueue(s, p);
	return id;
}

uint32_t
imap_session_status(struct imap_session *s, const char *mailbox,
    struct err *e)
{
	struct pend	*p;
	uint32_t	 id;

	if ((id = request_check(s, e, false)) == 0)
		return 0;
	p = pend_new(s, K_STATUS, id);
	imap_cmd_add(&p->cmd, "STATUS ");
	if (imap_cmd_mailbox(&p->cmd, mailbox, strlen(mailbox), e) == -1) {
		pend_free(p);
		return 0;
	}
	imap_cmd_add(&p->cmd, " (MESSAGES UNSEEN UIDNEXT UIDVALIDITY%s)",
	    imap_session_has_cap(s, "CONDSTORE") ? " HIGHESTMODSEQ" : "");
	p->mailbox = xstrdup(mailbox);
	enqueue(s, p);
	return id;
}

uint32_t
imap_session_create(struct imap_session *s, const char *mailbox,
    struct err *e)
{
	struct pend	*p;
	uint32_t	 id;

	if ((id = request_check(s, e, false)) == 0)
		return 0;
	p = pend_new(s, K_CREATE, id);
	imap_cmd_add(&p->cmd, "CREATE ");
	if (imap_cmd_mailbox(&p->cmd, mailbox, strlen(mailbox), e) == -1) {
		pend_free(p);
		return 0;
	}
	p->mailbox = xstrdup(mailbox);
	enqueue(s, p);
	return id;
}

static void
on_list(struct imap_session *s, const struct imap_resp *r)
{
	struct imap_event	 ev;
	struct buf		 name = BUF_INIT;

	name_decode(s, &r->u.list.name, &name);
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_EV_MAILBOX;
	ev.mailbox = buf_str(&name);
	ev.list = &r->u.list;
	emit(s, &ev);
	buf_fini(&name);
}

static void
on_status(struct imap_session *s, const struct imap_resp *r)
{
	struct imap_event	 ev;
	struct buf		 name = BUF_INIT;

	name_decode(s, &r->u.status.mailbox, &name);
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_EV_STATUS;
	ev.mailbox = buf_str(&name);
	ev.status = &r->u.status;
	emit(s, &ev);
	buf_fini(&name);
}

/* Selecting */

uint32_t
imap_session_select(struct imap_session *s, const char *mailbox,
    const struct imap_known *known, bool read_only, struct err *e)
{
	struct pend	*p;
	uint32_t	 id;

	if ((id = request_check(s, e, false)) == 0)
		return 0;
	p = pend_new(s, K_SELECT, id);
	imap_cmd_add(&p->cmd, "%s ", read_only ? "EXAMINE" : "SELECT");
	if (imap_cmd_mailbox(&p->cmd, mailbox, strlen(mailbox), e) == -1) {
		pend_free(p);
		return 0;
	}
	if (s->en_qresync && known != NULL && known->uidvalidity != 0 &&
	    known->highestmodseq != 0) {
		/* RFC 7162 section 3.2.5 */
		imap_cmd_add(&p->cmd, " (QRESYNC (%u %llu", known->uidvalidity,
		    (unsigned long long)known->highestmodseq);
		if (known->uids.n > 0) {
			imap_cmd_add(&p->cmd, " ");
			imap_ranges_format(&p->cmd.b, known->uids.r,
			    known->uids.n);
		}
		imap_cmd_add(&p->cmd, "))");
	} else if (imap_session_has_cap(s, "CONDSTORE") && !s->en_condstore &&
	    !s->en_qresync)
		imap_cmd_add(&p->cmd, " (CONDSTORE)");
	p->mailbox = xstrdup(mailbox);
	p->cold = known == NULL || known->uidvalidity == 0;
	enqueue(s, p);
	return id;
}

static void
select_begin(struct imap_session *s, struct pend *p)
{
	s->await_closed = s->mailbox != NULL && s->en_qresync;
	mailbox_clear(s);
	s->mailbox = xstrdup(p->mailbox);
	s->selecting = true;
	s->sel.qresync = strstr(buf_str(&p->cmd.b), "(QRESYNC") != NULL;
}

static void
strs_copy(struct imap_session *s, const struct imap_strs *in,
    struct imap_str **vp, struct imap_strs *out)
{
	struct imap_str	*v;
	size_t		 i;

	free(*vp);
	v = xreallocarray(NULL, in->n + 1, sizeof *v);
	for (i = 0; i < in->n; i++) {
		v[i].p = xstrndup(in->v[i].p, in->v[i].len);
		v[i].len = in->v[i].len;
	}
	*vp = v;
	out->v = v;
	out->n = in->n;
}

static void
strs_free(struct imap_str *v, size_t n)
{
	size_t	 i;

	for (i = 0; v != NULL && i < n; i++)
		free((char *)v[i].p);
}

static void
sel_flags_set(struct imap_session *s, const struct imap_strs *in, bool perm)
{
	if (perm) {
		strs_free(s->pflagv, s->sel.permanent_flags.n);
		strs_copy(s, in, &s->pflagv, &s->sel.permanent_flags);
	} else {
		strs_free(s->flagv, s->sel.flags.n);
		strs_copy(s, in, &s->flagv, &s->sel.flags);
	}
}

static void	 queue_fetch_head(struct imap_session *, bool);

static void
queue_uid_search(struct imap_session *s)
{
	struct pend	*p;

	s->map_ready = false;
	p = pend_new(s, K_SEARCH_UIDS, 0);
	if (imap_session_has_cap(s, "ESEARCH"))
		imap_cmd_add(&p->cmd, "UID SEARCH RETURN (ALL) ALL");
	else
		imap_cmd_add(&p->cmd, "UID SEARCH ALL");
	enqueue(s, p);
}

static void
on_select_done(struct imap_session *s, struct pend *p,
    const struct imap_resp *r)
{
	struct imap_event	 ev;
	char			 text[160];

	s->selecting = false;
	if (r->type != IMAP_RESP_OK) {
		/* RFC 9051 6.3.2: a failed SELECT leaves nothing selected */
		mailbox_clear(s);
		if (s->state == IMAP_STATE_SELECTED)
			set_state(s, IMAP_STATE_AUTH);
		(void)snprintf(text, sizeof text, "%.*s", (int)r->text.len,
		    r->text.p != NULL ? r->text.p : "");
		pend_done(s, p, r, ERR_REFUSED, text);
		return;
	}
	s->sel.exists = s->exists;
	s->sel.read_only = r->code.type == IMAP_CODE_READ_ONLY;
	set_state(s, IMAP_STATE_SELECTED);
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_EV_SELECTED;
	ev.cmd_id = p->id;
	ev.mailbox = s->mailbox;
	ev.sel = &s->sel;
	emit(s, &ev);
	pend_done(s, p, r, ERR_NONE, NULL);
	if (!p->cold || s->exists == 0)
		queue_uid_search(s);
	else if (s->exists <= s->p.chunk && s->job.id != 0 &&
	    !s->job.started && s->job.after_uid == 0)
		queue_fetch_head(s, true);
	else if (!s->p.batch && s->exists > s->p.chunk &&
	    s->exists > s->p.first_chunk)
		queue_fetch_head(s, false);
	else
		queue_uid_search(s);
}

static void
queue_fetch_head(struct imap_session *s, bool whole)
{
	struct pend	*p;

	memset(&s->head, 0, sizeof s->head);
	s->head.on = true;
	s->head.whole = whole;
	p = pend_new(s, K_FETCH_HEAD, 0);
	imap_cmd_add(&p->cmd, "FETCH %u:%u (UID FLAGS INTERNALDATE%s%s "
	    INDEX_HEADER ")", whole ? 1 : s->exists - s->p.first_chunk + 1,
	    s->exists, whole ? " RFC822.SIZE" : "",
	    s->en_condstore || s->en_qresync ? " MODSEQ" : "");
	enqueue(s, p);
}

/* Sequence numbers and UIDs */

static void
map_resize(struct imap_session *s, uint32_t n)
{
	if (n > s->exists) {
		s->map = xreallocarray(s->map, n, sizeof *s->map);
		memset(s->map + s->exists, 0, (n - s->exists) *
		    sizeof *s->map);
	}
	s->exists = n;
}

/* The map is whole; tell the UIDs, n sorted ranges r. */
static void
map_set_ready(struct imap_session *s, struct imap_range *r, size_t n)
{
	struct imap_event	 ev;
	struct imap_seqset	 sorted;

	s->map_ready = true;
	sorted.r = r;
	sorted.n = n;
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_EV_UIDS;
	ev.uids = &sorted;
	ev.mailbox = s->mailbox;
	emit(s, &ev);
}

/* Fill the map from the UIDs in set, ascending; cost bounded by EXISTS. */
static void
map_from_set(struct imap_session *s, const struct imap_seqset *set)
{
	struct imap_range	*r;
	size_t			 n, i, k = 0;
	uint64_t		 u;

	n = imap_seqset_sorted(set, &r);
	for (i = 0; i < n && k < s->exists; i++)
		for (u = r[i].lo; u <= r[i].hi && k < s->exists; u++)
			s->map[k++] = (uint32_t)u;
	if (k != s->exists || i < n)
		emit_err(s, IMAP_EV_WARN, 0, ERR_PROTO, "%s: %s has %u "
		    "messages but UID SEARCH disagrees", s->host,
		    s->mailbox, s->exists);
	map_set_ready(s, r, n);
	free(r);
}

/*
 * After a whole head fetch: if it named a UID for every message, in
 * ascending order, the map is whole without a UID SEARCH.
 */
static bool
map_from_head(struct imap_session *s)
{
	struct imap_range	*r;
	size_t			 n = 0, i;

	for (i = 0; i < s->exists; i++)
		if (s->map[i] == 0 || (i > 0 && s->map[i] <= s->map[i - 1]))
			return false;
	r = xreallocarray(NULL, s->exists + 1, sizeof *r);
	for (i = 0; i < s->exists; i++) {
		if (n > 0 && r[n - 1].hi + 1 == s->map[i])
			r[n - 1].hi = s->map[i];
		else {
			r[n].lo = r[n].hi = s->map[i];
			n++;
		}
	}
	map_set_ready(s, r, n);
	free(r);
	return true;
}

static void
on_search(struct imap_session *s, const struct imap_resp *r)
{
	struct imap_range	*rr;
	struct imap_seqset	 set;
	size_t			 i;

	if (r->type == IMAP_RESP_ESEARCH) {
		map_from_set(s, &r->u.esearch.all);
		return;
	}
	rr = xreallocarray(NULL, r->u.search.n + 1, sizeof *rr);
	for (i = 0; i < r->u.search.n; i++)
		rr[i].lo = rr[i].hi = r->u.search.v[i];
	set.r = rr;
	set.n = r->u.search.n;
	map_from_set(s, &set);
	free(rr);
}

/* UID of sequence number seq, 0 when unknown or out of range. */
static uint32_t
map_uid(const struct imap_session *s, uint32_t seq)
{
	if (seq == 0 || seq > s->exists)
		return 0;
	return s->map[seq - 1];
}

static void
map_note(struct imap_session *s, uint32_t seq, uint32_t uid)
{
	uint32_t	 old;

	if (seq == 0 || seq > s->exists) {
		emit_err(s, IMAP_EV_WARN, 0, ERR_PROTO, "%s: FETCH for message "
		    "%u of %u in %s", s->host, seq, s->exists, s->mailbox);
		return;
	}
	old = s->map[seq - 1];
	if ((old != 0 && old != uid) ||
	    (seq > 1 && s->map[seq - 2] >= uid) ||
	    (seq < s->exists && s->map[seq] != 0 && s->map[seq] <= uid)) {
		emit_err(s, IMAP_EV_WARN, 0, ERR_PROTO, "%s: UID %u at "
		    "message %u contradicts what %s said before", s->host,
		    uid, seq, s->host);
		if (s->map_ready) {
			struct imap_event	 ev;

			memset(&ev, 0, sizeof ev);
			ev.type = IMAP_EV_RESYNC;
			ev.mailbox = s->mailbox;
			ev.text = "sequence numbers and UIDs disagree";
			emit(s, &ev);
			queue_uid_search(s);
		}
	}
	s->map[seq - 1] = uid;
}

/* The newest UID the map knows, 0 for none. */
static uint32_t
map_top(const struct imap_session *s)
{
	uint32_t	 top = 0, i;

	for (i = s->exists; i > 0 && top == 0; i--)
		top = s->map[i - 1];
	return top;
}

static void
queue_fetch_new(struct imap_session *s)
{
	struct pend	*p;

	for (p = s->queue.head; p != NULL; p = p->next)
		if (p->kind == K_FETCH_NEW)
			return;		/* one is enough */
	p = pend_new(s, K_FETCH_NEW, 0);
	imap_cmd_add(&p->cmd, "UID FETCH %u:* (UID FLAGS INTERNALDATE "
	    "RFC822.SIZE%s " INDEX_HEADER ")", map_top(s) + 1,
	    s->en_condstore || s->en_qresync ? " MODSEQ" : "");
	enqueue(s, p);
}

static void
on_exists(struct imap_session *s, uint32_t n)
{
	struct imap_event	 ev;
	uint32_t		 old = s->exists;

	/* the map costs 4 bytes a message: a server claiming billions
	 * would have pons allocate gigabytes */
	if (n > s->p.exists_max) {
		fail(s, ERR_LIMIT, "%s claims %u messages in %s (pons "
		    "handles up to %u)", s->host, n, s->mailbox,
		    s->p.exists_max);
		return;
	}
	if (s->selecting) {
		map_resize(s, n);
		return;
	}
	if (n < old) {
		/* only EXPUNGE may shrink a mailbox (RFC 9051 7.4.1) */
		s->exists = n;
		memset(&ev, 0, sizeof ev);
		ev.type = IMAP_EV_RESYNC;
		ev.mailbox = s->mailbox;
		ev.text = "EXISTS went down without EXPUNGE";
		log_warn("imap %s: EXISTS %u after %u in %s", s->host, n, old,
		    s->mailbox);
		emit(s, &ev);
		queue_uid_search(s);
		return;
	}
	if (n == old)
		return;
	map_resize(s, n);
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_EV_EXISTS;
	ev.exists = n;
	emit(s, &ev);
	if (s->map_ready && !notify_new(s, old))
		queue_fetch_new(s);
}

static void
on_expunge(struct imap_session *s, uint32_t seq)
{
	struct imap_event	 ev;
	uint32_t		 uid;

	if (seq == 0 || seq > s->exists) {
		emit_err(s, IMAP_EV_WARN, 0, ERR_PROTO, "%s: EXPUNGE of "
		    "message %u, but %s has %u", s->host, seq, s->mailbox,
		    s->exists);
		return;
	}
	uid = s->map[seq - 1];
	/* XXX O(n) per EXPUNGE; servers with QRESYNC send VANISHED */
	memmove(s->map + seq - 1, s->map + seq, (s->exists - seq) *
	    sizeof *s->map);
	s->exists--;
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_EV_EXPUNGE;
	ev.uid = uid;
	ev.seq = seq;
	ev.exists = s->exists;
	emit(s, &ev);
}

/* RFC 7162 section 3.2.10; cost O(known messages * log ranges). */
static void
on_vanished(struct imap_session *s, const struct imap_resp *r)
{
	struct imap_event	 ev;
	struct imap_range	*rr;
	size_t			 n, i, k = 0;

	n = imap_seqset_sorted(&r->u.vanished.uids, &rr);
	for (i = 0; i < s->exists; i++) {
		if (s->map[i] != 0 && imap_ranges_have(rr, n, s->map[i]))
			continue;
		s->map[k++] = s->map[i];
	}
	if (!r->u.vanished.earlier)
		s->exists = (uint32_t)k;
	else if (k != s->exists) {
		emit_err(s, IMAP_EV_WARN, 0, ERR_PROTO, "%s: VANISHED "
		    "(EARLIER) names messages that exist", s->host);
		s->exists = (uint32_t)k;
	}
	free(rr);
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_EV_VANISHED;
	ev.uids = &r->u.vanished.uids;
	ev.earlier = r->u.vanished.earlier;
	ev.exists = s->exists;
	emit(s, &ev);
}

static void
on_fetch(struct imap_session *s, const struct imap_resp *r)
{
	const struct imap_fetch	*f = &r->u.fetch;
	struct imap_event	 ev;
	uint32_t		 uid;
	size_t			 i;

	if (r->decode_err != NULL)
		emit_err(s, IMAP_EV_WARN, 0, ERR_PROTO, "%s: %s (message %u)",
		    s->host, r->decode_err, f->seq);
	if (f->have & IMAP_FETCH_UID) {
		uid = f->uid;
		map_note(s, f->seq, uid);
		if (s->head.on && (f->have & IMAP_FETCH_HEADER) && uid != 0)
			s->head.brought = true;
	} else if ((uid = map_uid(s, f->seq)) == 0) {
		log_warn("imap %s: FETCH for message %u whose UID is unknown",
		    s->host, f->seq);
		return;
	}
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_EV_MESSAGE;
	ev.uid = uid;
	ev.seq = f->seq;
	ev.fetch = f;
	if (f->have & ~(unsigned int)IMAP_FETCH_UID)
		emit(s, &ev);
	for (i = 0; i < f->nsections; i++) {
		ev.type = IMAP_EV_BODY;
		ev.section = &f->sections[i];
		emit(s, &ev);
	}
}

/* Header sync jobs */

static void	 job_next_chunk(struct imap_session *);

/*
 * After the first chunk, keep chunks_ahead chunks on the wire, so the
 * server never waits for us to ask for the next while we parse and store
 * the previous one.  The first chunk (the newest messages: the first
 * screen) goes alone: Dovecot holds back its answer while it works on
 * commands pipelined behind it.
 */
static void
job_fill(struct imap_session *s)
{
	while (s->job.next_hi > 0 && s->job.inflight < s->p.chunks_ahead)
		job_next_chunk(s);
}

static void
job_next_chunk(struct imap_session *s)
{
	struct hdr_job	*j = &s->job;
	struct pend	*p;
	size_t		 k, lo;

	k = j->first ? s->p.first_chunk : s->p.chunk;
	j->first = false;
	lo = j->next_hi > k ? j->next_hi - k : 0;
	p = pend_new(s, K_FETCH_CHUNK, 0);
	p->count = (uint32_t)(j->next_hi - lo);
	j->inflight++;
	imap_cmd_add(&p->cmd, "UID FETCH ");
	imap_seqset_format(&p->cmd.b, j->uids + lo, j->next_hi - lo);
	imap_cmd_add(&p->cmd, " (UID FLAGS INTERNALDATE RFC822.SIZE%s "
	    INDEX_HEADER ")", s->en_condstore || s->en_qresync ?
	    " MODSEQ" : "");
	j->next_hi = lo;
	enqueue(s, p);
}

static void
job_finish(struct imap_session *s, enum err_class cls, const char *why)
{
	uint32_t	 id = s->job.id;

	free(s->job.uids);
	memset(&s->job, 0, sizeof s->job);
	done_event(s, id, "FETCH", NULL, NULL, cls, why);
}

static void
job_start(struct imap_session *s)
{
	struct hdr_job	*j = &s->job;
	size_t		 i;

	j->started = true;
	j->uids = xreallocarray(NULL, s->exists + 1, sizeof *j->uids);
	for (i = 0; i < s->exists; i++) {
		if (s->map[i] <= j->after_uid)
			continue;
		j->uids[j->n++] = s->map[i];
	}
	j->next_hi = j->n;
	j->first = !s->head.brought && !s->p.batch;
	memset(&s->head, 0, sizeof s->head);
	if (j->n == 0) {
		struct pend	*p;

		/* nothing to fetch; a NOOP keeps DONE after the request
		 * returned, in order with what was queued before it */
		p = pend_new(s, K_FETCH_CHUNK, 0);
		imap_cmd_add(&p->cmd, "NOOP");
		enqueue(s, p);
		return;
	}
	if (j->first)
		job_next_chunk(s);
	else
		job_fill(s);	/* the first screen came with the head,
				 * or there is no screen */
}

static void
on_chunk_done(struct imap_session *s, struct pend *p,
    const struct imap_resp *r)
{
	struct imap_event	 ev;

	if (s->job.id == 0)
		return;
	if (r->type != IMAP_RESP_OK) {
		job_finish(s, ERR_REFUSED, "FETCH refused");
		return;
	}
	s->job.done += p->count;
	if (s->job.n == 0) {
		job_finish(s, ERR_NONE, NULL);
		return;
	}
	s->job.inflight--;
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_EV_PROGRESS;
	ev.cmd_id = s->job.id;
	ev.done = s->job.done;
	ev.total = (uint32_t)s->job.n;
	emit(s, &ev);
	job_fill(s);
	if (s->job.next_hi == 0 && s->job.inflight == 0)
		job_finish(s, ERR_NONE, NULL);
}

uint32_t
imap_session_fetch_headers(struct imap_session *s, uint32_t after_uid,
    struct err *e)
{
	uint32_t	 id;

	if ((id = request_check(s, e, true)) == 0)
		return 0;
	if (s->job.id != 0)
		job_finish(s, ERR_TEMP, "replaced by a newer request");
	s->job.id = id;
	s->job.after_uid = after_uid;
	if (s->map_ready && !s->selecting)
		job_start(s);
	return id;
}

/* Simple requests on the selected mailbox */

static struct pend *
uid_cmd(struct imap_session *s, enum pend_kind kind, uint32_t id,
    const char *verb, const uint32_t *uids, size_t n)
{
	struct pend	*p;

	p = pend_new(s, kind, id);
	imap_cmd_add(&p->cmd, "UID %s ", verb);
	imap_seqset_format(&p->cmd.b, uids, n);
	return p;
}

static bool
uids_valid(const uint32_t *uids, size_t n, struct err *e)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (uids[i] != 0)
			return true;
	err_set(e, ERR_INPUT, "no message given");
	return false;
}

uint32_t
imap_session_fetch_flags(struct imap_session *s,
    const struct imap_range *r, size_t n, uint64_t changedsince,
    struct err *e)
{
	struct pend	*p;
	uint32_t	 id;

	if (n == 0)
		return err_set(e, ERR_INPUT, "no message given"), 0;
	if ((id = request_check(s, e, true)) == 0)
		return 0;
	p = pend_new(s, K_FETCH, id);
	imap_cmd_add(&p->cmd, "UID FETCH ");
	imap_ranges_format(&p->cmd.b, r, n);
	imap_cmd_add(&p->cmd, " (UID FLAGS%s)", s->en_condstore ||
	    s->en_qresync ? " MODSEQ" : "");
	if (changedsince != 0 && (s->en_condstore || s->en_qresync))
		imap_cmd_add(&p->cmd, " (CHANGEDSINCE %llu)",
		    (unsigned long long)changedsince);
	enqueue(s, p);
	return id;
}

static bool
section_ok(const char *sec)
{
	for (; *sec != '\0'; sec++)
		if (!((*sec >= '0' && *sec <= '9') || *sec == '.' ||
		    (*sec >= 'A' && *sec <= 'Z') || (*sec >= 'a' && *sec <= 'z')))
			return false;
	return true;
}

uint32_t
imap_session_fetch_body(struct imap_session *s, uint32_t uid,
    const char *section, bool peek, struct err *e)
{
	struct pend	*p;
	uint32_t	 id;

	if (uid == 0 || !section_ok(section))
		return err_set(e, ERR_INPUT, "bad message or section"), 0;
	if ((id = request_check(s, e, true)) == 0)
		return 0;
	p = pend_new(s, K_FETCH, id);
	imap_cmd_add(&p->cmd, "UID FETCH %u (UID BODY%s[%s])", uid,
	    peek ? ".PEEK" : "", section);
	enqueue(s, p);
	return id;
}

uint32_t
imap_session_fetch_structure(struct imap_session *s, uint32_t uid,
    struct err *e)
{
	struct pend	*p;
	uint32_t	 id;

	if (uid == 0)
		return err_set(e, ERR_INPUT, "bad message"), 0;
	if ((id = request_check(s, e, true)) == 0)
		return 0;
	p = pend_new(s, K_FETCH, id);
	imap_cmd_add(&p->cmd, "UID FETCH %u (UID BODYSTRUCTURE)", uid);
	enqueue(s, p);
	return id;
}

static bool
flags_ok(const char *flags)
{
	for (; *flags != '\0'; flags++)
		if ((unsigned char)*flags < 0x20 || *flags == '(' ||
		    *flags == ')' || *flags == '"' || *flags == 0x7f)
			return false;
	return true;
}

uint32_t
imap_session_store(struct imap_session *s, const uint32_t *uids, size_t n,
    bool add, const char *flags, struct err *e)
{
	struct pend	*p;
	uint32_t	 id;

	if (!uids_valid(uids, n, e))
		return 0;
	if (!flags_ok(flags))
		return err_set(e, ERR_INPUT, "bad flag list"), 0;
	if ((id = request_check(s, e, true)) == 0)
		return 0;
	p = uid_cmd(s, K_STORE, id, "STORE", uids, n);
	imap_cmd_add(&p->cmd, " %sFLAGS (%s)", add ? "+" : "-", flags);
	enqueue(s, p);
	return id;
}

uint32_t
imap_session_expunge(struct imap_session *s, const uint32_t *uids, size_t n,
    struct err *e)
{
	struct pend	*p;
	uint32_t	 id;

	if (!uids_valid(uids, n, e))
		return 0;
	if ((id = request_check(s, e, true)) == 0)
		return 0;
	if (imap_session_has_cap(s, "UIDPLUS"))
		p = uid_cmd(s, K_EXPUNGE, id, "EXPUNGE", uids, n);
	else {
		p = pend_new(s, K_EXPUNGE, id);
		imap_cmd_add(&p->cmd, "EXPUNGE");
	}
	enqueue(s, p);
	return id;
}

static uint32_t
copy_or_move(struct imap_session *s, const uint32_t *uids, size_t n,
    const char *mailbox, bool move, struct err *e)
{
	struct pend	*p;
	uint32_t	 id;
	bool		 native = move && imap_session_has_cap(s, "MOVE");

	if (!uids_valid(uids, n, e))
		return 0;
	if ((id = request_check(s, e, true)) == 0)
		return 0;
	p = uid_cmd(s, native ? K_MOVE : K_COPY, id, native ? "MOVE" : "COPY",
	    uids, n);
	imap_cmd_add(&p->cmd, " ");
	if (imap_cmd_mailbox(&p->cmd, mailbox, strlen(mailbox), e) == -1) {
		pend_free(p);
		return 0;
	}
	if (!move || native) {
		enqueue(s, p);
		return id;
	}
	/* RFC 6851 section 3.3 without MOVE: COPY, STORE, UID EXPUNGE */
	p->last = false;
	enqueue(s, p);
	/* never pipelined: a failed COPY must not be followed by a delete */
	p = uid_cmd(s, K_STORE, id, "STORE", uids, n);
	p->dep = true;
	imap_cmd_add(&p->cmd, " +FLAGS.SILENT (\\Deleted)");
	if (imap_session_has_cap(s, "UIDPLUS")) {
		p->last = false;
		enqueue(s, p);
		p = uid_cmd(s, K_EXPUNGE, id, "EXPUNGE", uids, n);
		p->dep = true;
	}
	enqueue(s, p);
	return id;
}

uint32_t
imap_session_copy(struct imap_session *s, const uint32_t *uids, size_t n,
    const char *mailbox, struct err *e)
{
	return copy_or_move(s, uids, n, mailbox, false, e);
}

uint32_t
imap_session_move(struct imap_session *s, const uint32_t *uids, size_t n,
    const char *mailbox, struct err *e)
{
	return copy_or_move(s, uids, n, mailbox, true, e);
}

uint32_t
imap_session_append(struct imap_session *s, const char *mailbox,
    const char *flags, const char *msg, size_t len, struct err *e)
{
	struct pend	*p;
	uint32_t	 id;

	if (flags != NULL && !flags_ok(flags))
		return err_set(e, ERR_INPUT, "bad flag list"), 0;
	if ((id = request_check(s, e, false)) == 0)
		return 0;
	p = pend_new(s, K_APPEND, id);
	imap_cmd_add(&p->cmd, "APPEND ");
	if (imap_cmd_mailbox(&p->cmd, mailbox, strlen(mailbox), e) == -1) {
		pend_free(p);
		return 0;
	}
	if (flags != NULL && *flags != '\0')
		imap_cmd_add(&p->cmd, " (%s)", flags);
	imap_cmd_add(&p->cmd, " ");
	imap_cmd_literal(&p->cmd, msg, len);
	enqueue(s, p);
	return id;
}

uint32_t
imap_session_noop(struct imap_session *s, struct err *e)
{
	struct pend	*p;
	uint32_t	 id;

	if ((id = request_check(s, e, false)) == 0)
		return 0;
	p = pend_new(s, K_NOOP, id);
	imap_cmd_add(&p->cmd, "NOOP");
	enqueue(s, p);
	return id;
}

uint32_t
imap_session_logout(struct imap_session *s, struct err *e)
{
	struct pend	*p;
	uint32_t	 id;

	if ((id = request_check(s, e, false)) == 0)
		return 0;
	p = pend_new(s, K_LOGOUT, id);
	imap_cmd_add(&p->cmd, "LOGOUT");
	if (!s->ready) {
		imap_cmd_end(&p->cmd);
		pq_push(&s->setup, p);
		pump(s);
	} else
		enqueue(s, p);
	return id;
}

void
imap_session_idle(struct imap_session *s, bool on)
{
	s->idle_on = on;
	if (!on && s->idle == IDLE_RUNNING)
		idle_done(s);
	else if (on)
		pump(s);
}

/* Responses */

static void
on_code(struct imap_session *s, const struct imap_resp *r)
{
	struct imap_event	 ev;
	char			 text[200];

	switch (r->code.type) {
	case IMAP_CODE_ALERT:
		(void)snprintf(text, sizeof text, "%.*s", (int)r->text.len,
		    r->text.p != NULL ? r->text.p : "");
		emit_simple(s, IMAP_EV_ALERT, 0, text);
		break;
	case IMAP_CODE_CLOSED:
		s->await_closed = false;
		break;
	case IMAP_CODE_UIDVALIDITY:
		if (s->mailbox == NULL || s->await_closed)
			break;
		if (s->selecting) {
			s->sel.uidvalidity = (uint32_t)r->code.num;
			break;
		}
		if ((uint32_t)r->code.num == s->sel.uidvalidity)
			break;
		/* RFC 9051 2.3.1.1: every cached UID is now meaningless */
		log_warn("imap %s: UIDVALIDITY of %s changed", s->host,
		    s->mailbox);
		s->sel.uidvalidity = (uint32_t)r->code.num;
		memset(&ev, 0, sizeof ev);
		ev.type = IMAP_EV_RESYNC;
		ev.mailbox = s->mailbox;
		ev.text = "UIDVALIDITY changed";
		emit(s, &ev);
		memset(s->map, 0, s->exists * sizeof *s->map);
		queue_uid_search(s);
		break;
	case IMAP_CODE_UIDNEXT:
		if (s->selecting)
			s->sel.uidnext = (uint32_t)r->code.num;
		break;
	case IMAP_CODE_HIGHESTMODSEQ:
		if (s->selecting)
			s->sel.highestmodseq = r->code.num;
		break;
	case IMAP_CODE_NOMODSEQ:
		if (s->selecting)
			s->sel.highestmodseq = 0;
		break;
	case IMAP_CODE_PERMANENTFLAGS:
		if (s->selecting)
			sel_flags_set(s, &r->code.atoms, true);
		break;
	case IMAP_CODE_CAPABILITY:
		if (r->kind == IMAP_KIND_UNTAGGED || s->state <
		    IMAP_STATE_AUTHENTICATING)
			caps_set(s, &r->code.atoms);
		break;
	case IMAP_CODE_OTHER:
		if (str_eq_ci(r->code.name.p, r->code.name.len,
		    "NOTIFICATIONOVERFLOW"))
			notify_overflow(s);
		break;
	default:
		break;
	}
}

/* Data that only makes sense in the selected mailbox. */
static bool
mailbox_data_ok(struct imap_session *s, const struct imap_resp *r)
{
	if (s->mailbox == NULL || (s->state != IMAP_STATE_SELECTED &&
	    !s->selecting)) {
		log_warn("imap %s: %s with no mailbox selected ignored",
		    s->host, imap_resp_type_name(r->type));
		return false;
	}
	if (s->await_closed) {
		log_debug("imap %s: %s for the previous mailbox ignored",
		    s->host, imap_resp_type_name(r->type));
		return false;
	}
	return true;
}

static struct pend *
flight_find(struct imap_session *s, enum pend_kind kind)
{
	struct pend	*p;

	for (p = s->flight.head; p != NULL; p = p->next)
		if (p->kind == kind)
			return p;
	return NULL;
}

static void
on_untagged(struct imap_session *s, const struct imap_resp *r)
{
	bool	 authed = s->state == IMAP_STATE_AUTH ||
	    s->state == IMAP_STATE_SELECTED || s->state == IMAP_STATE_LOGOUT;

	switch (r->type) {
	case IMAP_RESP_OK:
	case IMAP_RESP_NO:
	case IMAP_RESP_BAD:
		on_code(s, r);
		return;
	case IMAP_RESP_BYE:
		if (s->state != IMAP_STATE_LOGOUT) {
			char	 text[200];

			(void)snprintf(text, sizeof text, "%.*s",
			    (int)r->text.len, r->text.p != NULL ? r->text.p :
			    "");
			emit_simple(s, IMAP_EV_BYE, 0, text);
			fail(s, ERR_TEMP, "%s said BYE: %s", s->host, text);
		}
		return;
	case IMAP_RESP_CAPABILITY:
		/* RFC 9051 6.2.1: capabilities before TLS are not trusted;
		 * the pre-TLS parser state was dropped, so these are fresh */
		caps_set(s, &r->u.caps);
		return;
	case IMAP_RESP_ENABLED:
		for (size_t i = 0; i < r->u.enabled.n; i++) {
			const struct imap_str	*c = &r->u.enabled.v[i];

			if (str_eq_ci(c->p, c->len, "QRESYNC"))
				s->en_qresync = s->en_condstore = true;
			else if (str_eq_ci(c->p, c->len, "CONDSTORE"))
				s->en_condstore = true;
			else if (str_eq_ci(c->p, c->len, "UTF8=ACCEPT"))
				s->en_utf8 = true;
		}
		return;
	default:
		break;
	}
	if (!authed) {
		log_warn("imap %s: %s before login ignored", s->host,
		    imap_resp_type_name(r->type));
		return;
	}
	switch (r->type) {
	case IMAP_RESP_LIST:
	case IMAP_RESP_LSUB:
		if (flight_find(s, K_LIST) != NULL)
			on_list(s, r);
		break;
	case IMAP_RESP_STATUS:
		on_status(s, r);
		break;
	case IMAP_RESP_SEARCH:
	case IMAP_RESP_ESEARCH:
		if (flight_find(s, K_SEARCH_UIDS) != NULL &&
		    mailbox_data_ok(s, r))
			on_search(s, r);
		break;
	case IMAP_RESP_FLAGS:
		if (mailbox_data_ok(s, r))
			sel_flags_set(s, &r->u.flags, false);
		break;
	case IMAP_RESP_EXISTS:
		if (mailbox_data_ok(s, r))
			on_exists(s, r->num);
		break;
	case IMAP_RESP_EXPUNGE:
		if (mailbox_data_ok(s, r))
			on_expunge(s, r->num);
		break;
	case IMAP_RESP_VANISHED:
		if (mailbox_data_ok(s, r))
			on_vanished(s, r);
		break;
	case IMAP_RESP_FETCH:
		if (mailbox_data_ok(s, r))
			on_fetch(s, r);
		break;
	default:
		log_debug("imap %s: %s ignored", s->host,
		    imap_resp_type_name(r->type));
		break;
	}
}

static void
on_continue(struct imap_session *s, const struct imap_resp *r)
{
	struct pend	*p = s->cont;
	struct pend	*a;
	struct imap_cmd	 c;

	if (s->idle == IDLE_STARTING) {
		s->idle = IDLE_RUNNING;
		s->idle_since = now_ms(s);
		s->waiting = false;
		if (s->queue.head != NULL || !s->idle_on)
			idle_done(s);
		return;
	}
	if (p != NULL) {
		pend_send_segment(s, p);
		if (s->cont == NULL)
			pump(s);
		return;
	}
	a = flight_find(s, K_AUTHENTICATE);
	if (a != NULL && s->have_creds && !a->cmd.secret_sent) {
		/* RFC 9051 6.2.2: the response to an empty "+" */
		imap_cmd_init(&c, NULL, IMAP_LIT_SYNC, false);
		c.secret = true;
		sasl_plain(s, &c);
		imap_cmd_end(&c);
		buf_add(&s->out, c.b.data, c.b.len);
		log_proto(s->host, LOG_DIR_OUT, c.b.data, c.b.len - 2, true);
		imap_cmd_fini(&c);
		a->cmd.secret_sent = true;
		return;
	}
	log_warn("imap %s: unexpected continuation \"%.*s\"", s->host,
	    (int)r->text.len, r->text.p != NULL ? r->text.p : "");
}

static struct pend *
flight_take(struct imap_session *s, const struct imap_str *tag)
{
	struct pend	*p;

	for (p = s->flight.head; p != NULL; p = p->next) {
		if (strlen(p->tag) == tag->len &&
		    memcmp(p->tag, tag->p, tag->len) == 0) {
			pq_remove(&s->flight, p);
			s->nflight--;
			if (s->cont == p)
				s->cont = NULL;
			return p;
		}
	}
	return NULL;
}

static void
on_tagged_kind(struct imap_session *s, struct pend *p,
    const struct imap_resp *r, const char *text)
{
	bool	 ok = r->type == IMAP_RESP_OK;

	switch (p->kind) {
	case K_CAPABILITY:
		if (!ok) {
			fail(s, ERR_PROTO, "%s: CAPABILITY failed", s->host);
			break;
		}
		if (!s->caps_known)
			s->caps_known = true;	/* lenient: an empty list */
		if (s->state == IMAP_STATE_AUTH)
			logged_in_next(s);
		else
			proceed(s);
		break;
	case K_STARTTLS:
		if (!ok) {
			fail(s, ERR_TLS, "%s refused STARTTLS: %s", s->host,
			    text);
			break;
		}
		/* RFC 9051 6.2.1: nothing received before TLS may count */
		imap_parser_reset(s->parser);
		caps_clear(s);
		s->tls_pending = true;
		emit_simple(s, IMAP_EV_NEED_TLS, 0, NULL);
		break;
	case K_AUTHENTICATE:
	case K_LOGIN:
		on_login_done(s, p, r);
		break;
	case K_ENABLE:
		logged_in_next(s);
		break;
	case K_NOTIFY:
		s->notify_on = ok;
		if (!ok)
			log_warn("imap %s: NOTIFY refused: %s; IDLE only",
			    s->host, text);
		break;
	case K_SELECT:
		on_select_done(s, p, r);
		break;
	case K_SEARCH_UIDS:
		if (!s->map_ready && ok && s->mailbox != NULL) {
			struct imap_seqset	 none = { NULL, 0 };

			map_from_set(s, &none);
		}
		if (s->job.id != 0 && !s->job.started)
			job_start(s);
		break;
	case K_FETCH_CHUNK:
		on_chunk_done(s, p, r);
		break;
	case K_FETCH_HEAD:
		/* refused or not: the UID map comes next, then the rest */
		s->head.on = false;
		if (!ok)
			memset(&s->head, 0, sizeof s->head);
		if (s->mailbox == NULL)
			break;
		if (!s->head.whole || !map_from_head(s))
			queue_uid_search(s);
		else if (s->job.id != 0 && !s->job.started) {
			/* every row is in: only newer ones are left */
			if (s->job.after_uid < map_top(s))
				s->job.after_uid = map_top(s);
			job_start(s);
		}
		break;
	case K_IDLE:
		s->idle = IDLE_NONE;
		if (!ok) {
			s->idle_broken = true;
			emit_err(s, IMAP_EV_WARN, 0, ERR_PROTO, "%s refused "
			    "IDLE: %s; polling instead", s->host, text);
		}
		break;
	case K_LOGOUT:
		set_state(s, IMAP_STATE_CLOSED);
		pend_done(s, p, r, ERR_NONE, NULL);
		break;
	default:
		if (ok) {
			pend_done(s, p, r, ERR_NONE, NULL);
			break;
		}
		/* one command of the request failed: drop the rest of it */
		cancel_request(s, p->id);
		if (p->id != 0)
			done_event(s, p->id, pend_names[p->kind], p->mailbox, r,
			    ERR_REFUSED, text);
		break;
	}
}

static void
on_tagged(struct imap_session *s, const struct imap_resp *r)
{
	struct pend	*p;
	char		 text[200];

	if ((p = flight_take(s, &r->tag)) == NULL) {
		emit_err(s, IMAP_EV_WARN, 0, ERR_PROTO, "%s: answer to "
		    "unknown tag %.*s ignored", s->host, (int)r->tag.len,
		    r->tag.p);
		return;
	}
	if (s->nflight == 0)
		s->waiting = false;
	if (s->notify_check != 0)
		notify_check(s);	/* its untagged data came before */
	on_code(s, r);
	(void)snprintf(text, sizeof text, "%.*s", (int)r->text.len,
	    r->text.p != NULL ? r->text.p : "");
	on_tagged_kind(s, p, r, text);
	pend_free(p);
}

static void
on_response(struct imap_session *s, const struct imap_resp *r)
{
	log_proto(s->host, LOG_DIR_IN, r->first_line.p, r->first_line.len,
	    false);
	s->progress_at = now_ms(s);
	if (!s->greeted) {
		s->greeted = true;
		s->waiting = false;
		on_greeting(s, r);
		return;
	}
	if (r->kind == IMAP_KIND_CONT)
		on_continue(s, r);
	else if (r->kind == IMAP_KIND_TAGGED)
		on_tagged(s, r);
	else
		on_untagged(s, r);
}

void
imap_session_input(struct imap_session *s, const void *data, size_t len)
{
	const struct imap_resp	*r;
	struct err		 e;
	enum imap_parse_status	 st;

	if (s->state == IMAP_STATE_CLOSED || s->state ==
	    IMAP_STATE_CONNECTING)
		return;
	if (s->tls_pending) {
		/* RFC 9051 6.2.1: clear text after STARTTLS's OK is not
		 * the server's (a man in the middle may inject it) */
		log_warn("imap %s: %zu bytes before TLS dropped", s->host, len);
		return;
	}
	/* lent until the loop ends: every response framed from it is copied */
	imap_parser_feed_borrow(s->parser, data, len);
	while (s->state != IMAP_STATE_CLOSED && !s->tls_pending) {
		st = imap_parser_next(s->parser, &r, &e);
		if (st == IMAP_PARSE_MORE)
			break;
		if (st == IMAP_PARSE_ERROR) {
			if (imap_parser_is_broken(s->parser)) {
				fail(s, e.cls, "%s: %s", s->host, e.msg);
				break;
			}
			emit_err(s, IMAP_EV_WARN, 0, e.cls, "%s: %s", s->host,
			    e.msg);
			continue;
		}
		/* after STARTTLS's OK the parser was reset: whatever came
		 * with it in clear text is gone, and next() says MORE */
		s->in_resp = true;
		on_response(s, r);
		s->in_resp = false;
		pump(s);	/* as if it had come alone */
	}
	imap_parser_keep(s->parser);
}

/* Time */

uint64_t
imap_session_next_deadline(const struct imap_session *s)
{
	uint64_t	 d = 0, t;

	if (s->state == IMAP_STATE_CLOSED)
		return 0;
	if (s->waiting)
		d = s->progress_at + s->p.cmd_timeout;
	if (s->idle == IDLE_RUNNING) {
		t = s->idle_since + s->p.idle_restart;
		d = d == 0 || t < d ? t : d;
	}
	if (s->notify_check != 0)
		d = d == 0 || s->notify_check < d ? s->notify_check : d;
	if (s->quiet_since != 0 && s->idle == IDLE_NONE && s->nflight == 0 &&
	    s->p.poll_interval != 0) {
		t = s->quiet_since + s->p.poll_interval;
		d = d == 0 || t < d ? t : d;
	}
	return d;
}

void
imap_session_tick(struct imap_session *s, uint64_t now)
{
	struct pend	*p;

	if (s->state == IMAP_STATE_CLOSED)
		return;
	if (s->waiting && now >= s->progress_at + s->p.cmd_timeout) {
		fail(s, ERR_TEMP, "%s did not answer within %llu s", s->host,
		    (unsigned long long)(s->p.cmd_timeout / 1000));
		return;
	}
	if (s->notify_check != 0 && now >= s->notify_check)
		notify_check(s);
	if (s->idle == IDLE_RUNNING &&
	    now >= s->idle_since + s->p.idle_restart) {
		/* RFC 2177: re-issue before the server's 30 minutes */
		idle_done(s);
		return;
	}
	if (s->quiet_since != 0 && s->idle == IDLE_NONE && s->nflight == 0 &&
	    s->p.poll_interval != 0 &&
	    now >= s->quiet_since + s->p.poll_interval) {
		s->quiet_since = 0;
		p = pend_new(s, K_POLL, 0);
		imap_cmd_add(&p->cmd, "NOOP");
		enqueue(s, p);
	}
}

/* Event text for logs and transcripts */

static void
fmt_str(struct buf *out, const char *p, size_t len)
{
	size_t	 i;

	buf_add_byte(out, '"');
	for (i = 0; i < len; i++) {
		unsigned char	 c = (unsigned char)p[i];

		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			buf_printf(out, "\\x%02x", c);
		else if (c == 0xc2 && i + 1 < len &&
		    (unsigned char)p[i + 1] >= 0x80 &&
		    (unsigned char)p[i + 1] <= 0x9f)	/* C1 as UTF-8 */
			buf_printf(out, "\\u%04x", (unsigned char)p[++i]);
		else
			buf_add_byte(out, c);
	}
	buf_add_byte(out, '"');
}

static void
fmt_strs(struct buf *out, const struct imap_strs *v)
{
	size_t	 i;

	buf_add_byte(out, '(');
	for (i = 0; i < v->n; i++) {
		if (i > 0)
			buf_add_byte(out, ' ');
		buf_add(out, v->v[i].p, v->v[i].len);
	}
	buf_add_byte(out, ')');
}

/* " name=n" without printf: a cold sync formats one line per message. */
static void
fmt_num(struct buf *out, const char *name, int64_t n)
{
	char		 d[24];
	size_t		 i = sizeof d;
	uint64_t	 u = n < 0 ? -(uint64_t)n : (uint64_t)n;

	do
		d[--i] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (n < 0)
		d[--i] = '-';
	buf_add_str(out, name);
	buf_add(out, d + i, sizeof d - i);
}

/* " header=LEN" and the decoded Subject of an index header block. */
static void
fmt_header(struct buf *out, const struct imap_str *h)
{
	struct rfc5322_field	 f;
	struct buf		 subj = BUF_INIT;
	size_t			 off = 0, hl;

	if (h->p == NULL) {
		buf_add_str(out, " header=NIL");
		return;
	}
	fmt_num(out, " header=", (int64_t)h->len);
	(void)rfc5322_split(h->p, h->len, &hl);
	while (rfc5322_field_next(h->p, hl, &off, &f))
		if (rfc5322_name_is(&f, "Subject")) {
			(void)rfc5322_value_decode(f.value, f.valuelen, NULL,
			    &subj);
			buf_add_str(out, " subject=");
			fmt_str(out, subj.data != NULL ? subj.data : "",
			    subj.len);
			break;
		}
	buf_fini(&subj);
}

static void
fmt_message(struct buf *out, const struct imap_event *ev)
{
	const struct imap_fetch	*f = ev->fetch;

	fmt_num(out, "message uid=", ev->uid);
	if (f->have & IMAP_FETCH_FLAGS) {
		buf_add_str(out, " flags=");
		fmt_strs(out, &f->flags);
	}
	if (f->have & IMAP_FETCH_SIZE)
		fmt_num(out, " size=", (int64_t)f->size);
	if (f->have & IMAP_FETCH_INTERNALDATE)
		fmt_num(out, " date=", f->internaldate_t);
	if (f->have & IMAP_FETCH_MODSEQ)
		fmt_num(out, " modseq=", (int64_t)f->modseq);
	if (f->have & IMAP_FETCH_HEADER)
		fmt_header(out, &f->header);
	if ((f->have & IMAP_FETCH_ENVELOPE) && f->env->subject.p != NULL) {
		buf_add_str(out, " subject=");
		fmt_str(out, f->env->subject.p, f->env->subject.len);
	}
	if (f->have & IMAP_FETCH_BODYSTRUCTURE)
		buf_printf(out, " parts=%zu", f->body->nparts);
}

static void
fmt_set(struct buf *out, const struct imap_seqset *set)
{
	if (set->n == 0)
		buf_add_str(out, "none");
	else
		imap_ranges_format(out, set->r, set->n);
}

void
imap_event_format(const struct imap_event *ev, struct buf *out)
{
	const struct imap_selected	*sel = ev->sel;

	switch (ev->type) {
	case IMAP_EV_STATE:
		buf_printf(out, "state %s", imap_state_name(ev->state));
		break;
	case IMAP_EV_GREETING:
		buf_printf(out, "greeting %s", ev->text);
		break;
	case IMAP_EV_NEED_TLS:
		buf_add_str(out, "need-tls");
		break;
	case IMAP_EV_NEED_PASSWORD:
		buf_add_str(out, "need-password");
		break;
	case IMAP_EV_LOGGED_IN:
		buf_add_str(out, "logged-in");
		break;
	case IMAP_EV_MAILBOX:
		buf_add_str(out, "mailbox ");
		fmt_str(out, ev->mailbox, strlen(ev->mailbox));
		if (ev->list->delim != -1)
			buf_printf(out, " delim=%c", ev->list->delim);
		buf_add_str(out, " attrs=");
		fmt_strs(out, &ev->list->raw_attrs);
		break;
	case IMAP_EV_STATUS:
		buf_add_str(out, "status ");
		fmt_str(out, ev->mailbox, strlen(ev->mailbox));
		/* only what came: NOTIFY's STATUS may carry UNSEEN alone */
		if (ev->status->have & IMAP_STATUS_MESSAGES)
			buf_printf(out, " messages=%u", ev->status->messages);
		if (ev->status->have & IMAP_STATUS_UNSEEN)
			buf_printf(out, " unseen=%u", ev->status->unseen);
		if (ev->status->have & IMAP_STATUS_UIDNEXT)
			buf_printf(out, " uidnext=%u", ev->status->uidnext);
		break;
	case IMAP_EV_SELECTED:
		buf_printf(out, "selected %s uidvalidity=%u exists=%u "
		    "uidnext=%u highestmodseq=%llu %s%s flags=", ev->mailbox,
		    sel->uidvalidity, sel->exists, sel->uidnext,
		    (unsigned long long)sel->highestmodseq,
		    sel->read_only ? "ro" : "rw", sel->qresync ? " qresync" :
		    "");
		fmt_strs(out, &sel->flags);
		break;
	case IMAP_EV_RESYNC:
		buf_printf(out, "resync %s: %s", ev->mailbox, ev->text);
		break;
	case IMAP_EV_EXISTS:
		buf_printf(out, "exists %u", ev->exists);
		break;
	case IMAP_EV_UIDS:
		buf_add_str(out, "uids ");
		fmt_set(out, ev->uids);
		break;
	case IMAP_EV_MESSAGE:
		fmt_message(out, ev);
		break;
	case IMAP_EV_BODY:
		buf_printf(out, "body uid=%u section=%s len=%zu", ev->uid,
		    ev->section->spec.p, ev->section->data.len);
		break;
	case IMAP_EV_EXPUNGE:
		buf_printf(out, "expunge uid=%u seq=%u", ev->uid, ev->seq);
		break;
	case IMAP_EV_VANISHED:
		buf_printf(out, "vanished%s ", ev->earlier ? " earlier" : "");
		fmt_set(out, ev->uids);
		break;
	case IMAP_EV_PROGRESS:
		buf_printf(out, "progress %u/%u", ev->done, ev->total);
		break;
	case IMAP_EV_ALERT:
		buf_printf(out, "alert %s", ev->text);
		break;
	case IMAP_EV_BYE:
		buf_printf(out, "bye %s", ev->text);
		break;
	case IMAP_EV_DONE:
		buf_printf(out, "done %u ", ev->cmd_id);
		if (ev->err.cls == ERR_NONE)
			buf_add_str(out, "ok");
		else
			buf_printf(out, "%s: %s", err_class_name(ev->err.cls),
			    ev->err.msg);
		if (ev->code != NULL)
			buf_printf(out, " [%s%s%s]",
			    imap_code_type_name(ev->code->type),
			    ev->code->raw.len > 0 ? " " : "",
			    ev->code->raw.len > 0 ? ev->code->raw.p : "");
		break;
	case IMAP_EV_WARN:
	case IMAP_EV_ERROR:
		buf_printf(out, "%s %s: %s", ev->type == IMAP_EV_WARN ?
		    "warn" : "error", err_class_name(ev->err.cls), ev->err.msg);
		break;
	}
}
