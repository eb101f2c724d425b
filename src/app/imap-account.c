/* SPDX-License-Identifier: ISC */
/*
 * One live IMAP account: session <-> conn <-> loop, with the cache kept in
 * step.  The four pieces of glue of STYLE.md: conn readable -> session
 * input; after any session call, session output -> conn; one timer armed
 * from the session's deadline; session events -> cache and owner.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/imap-account.h"
#include "imap/imap.h"
#include "imap/imap-cmd.h"
#include "imap/imap-index.h"
#include "imap/imap-parse.h"
#include "loop/loop.h"
#include "net/conn.h"
#include "store/cache.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xmalloc.h"
#include "compat.h"

enum open_step {
	OPEN_NONE,
	OPEN_SELECTING,		/* SELECT sent */
	OPEN_FLAGS,		/* flags refresh (no QRESYNC) */
	OPEN_HEADERS,		/* new headers */
	OPEN_DONE,
};

struct imap_account {
	struct loop			*loop;
	struct imap_account_params	 p;
	imap_account_cb			 cb;
	void				*cb_arg;
	struct conn			*conn;
	struct imap_session		*s;
	struct loop_timer		*deadline;
	struct loop_timer		*retry;
	unsigned int			 backoff;	/* seconds */
	struct cache			*cache;
	bool				 cache_later;	/* new file: after login */
	bool				 in_tx;
	uint64_t			 tx_since;	/* loop ms it began */
	struct buf			 scratch[1];	/* acc_msg_fill's */
	struct imap_index		 index;		/* its strings */
	struct cache_msg		 row;		/* the last MESSAGE of the
							 * index fetch, as a row */
	bool				 have_row;
	uint32_t			 paint_below;	/* cached rows under this
							 * UID still to paint */
	size_t				 paint_slice;	/* rows in the next slice */
	bool				 paint_wait;	/* let a pass draw first */
	bool				 painting;	/* slices still to come */
	bool				 open_waits;	/* OPENED once painted */
	bool				 ready;
	bool				 stopping;
	bool				 finishing;	/* imap_account_finish() */
	char				*mailbox;	/* open, or to reopen */
	enum open_step			 step;
	uint32_t			 step_id;
	uint32_t			 max_uid;	/* highest cached UID */
	uint32_t			 head_max;	/* highest UID cached while
							 * selecting */
	struct cache_mailbox		 known;		/* from the cache */
	bool				 known_qresync;	/* SELECT used it */
	uint32_t			 sel_uidnext;	/* from the SELECT */
	uint64_t			 sel_modseq;
	struct err			 last_err;	/* why the session ended */
	bool				 give_up;	/* drop, no retry */
	bool				 reopen;	/* drop, connect again at
							 * once */
	unsigned int			 login_tries;
	bool				 pw_wait;	/* greeted; no password
							 * yet (password_later) */
	uint32_t			 replay_id;
	int64_t				 replay_action;
	struct loop_timer		*probe;		/* silence: check the link */
	struct imap_range		*live;		/* UIDs on the server, sorted,
							 * disjoint */
	size_t				 nlive, livecap;
	uint32_t			*direct;	/* transfers sent without a
							 * cache: their command ids */
	size_t				 ndirect;
	struct imap_account		*side;		/* replaying another
							 * mailbox's journal */
	char				**side_tried;	/* mailboxes it ran for
							 * on this connection */
	size_t				 nside_tried;
	unsigned int			 side_sent;	/* its actions applied */
	struct err			 side_lost;	/* why it ended before
							 * its logout */
	bool				 retired;	/* imap_account_retire() */
	struct acc_note			*notes;		/* to tell the owner from
							 * the loop */
	size_t				 nnotes;
};

/* What the owner is told from the loop (acc_note). */
struct acc_note {
	enum imap_acc_ev_type	 type;
	int64_t			 action;
	struct err		 err;
	char			*mailbox;
};

static void	 acc_connect(struct imap_account *);
static void	 acc_flush(struct imap_account *);
static void	 acc_replay_next(struct imap_account *);
static void	 acc_action_done(struct imap_account *, int64_t,
		    const struct imap_event *, const struct err *);
static bool	 acc_direct_take(struct imap_account *, uint32_t);
static void	 acc_replay_deferred(void *);
static int	 acc_select(struct imap_account *, struct err *);
static void	 acc_check_closed(struct imap_account *, const struct err *);
static void	 acc_probe_arm(struct imap_account *);
static void	 acc_paint_more(void *);
static int	 acc_paint_slice(struct imap_account *, size_t, struct err *);
static void	 acc_paint_stop(struct imap_account *);
static bool	 acc_paint_failed(struct imap_account *, const struct err *);
static void	 acc_drop(struct imap_account *, const struct err *);
static void	 acc_opened(struct imap_account *);
static void	 acc_side_stop(struct imap_account *);
static void	 acc_retire_check(struct imap_account *);
static bool	 acc_retired_on(const struct imap_account *, const char *);
static void	 acc_retired_forget(struct imap_account *);
static void	 acc_all_add(struct imap_account *);
static void	 acc_retire_done(void *);
static void	 acc_side_forget(struct imap_account *);
static void	 acc_side_next(struct imap_account *);
static void	 acc_notes_drop(struct imap_account *);
static void	 acc_notes_pass(void *);
static void	 acc_note(struct imap_account *, enum imap_acc_ev_type,
		    int64_t, const struct err *, const char *);

/*
 * Painting from the cache: the first screen's rows at once, the rest in
 * growing slices on the loop, each one after a pass that draws what came
 * before it, so the index shows and takes keys while the rest streams.
 */
#define ACC_PAINT_FIRST	256
#define ACC_PAINT_SLICE	2048
#define ACC_PAINT_MAX	32768

static uint64_t
acc_clock(void *arg)
{
	(void)arg;
	return loop_now();
}

static void
acc_emit(struct imap_account *a, struct imap_acc_event *ev)
{
	a->cb(a->cb_arg, ev);
}

static void
acc_warn_cache(struct imap_account *a, const struct err *e)
{
	log_warn("imap %s: %s", a->p.name, e->msg);
}

/*
 * Cache transactions.  While a mailbox opens, one per FETCH chunk (the
 * session's PROGRESS event ends it) or per ACC_TX_MS of input, whichever
 * comes first: a commit per read would rewrite the same pages into the
 * WAL many times over.  Once open, one per batch of input.
 */
#define ACC_TX_MS	250

static void
acc_tx_begin(struct imap_account *a)
{
	struct err	 e;

	if (a->cache == NULL || a->in_tx)
		return;
	if (cache_begin(a->cache, &e) == 0) {
		a->in_tx = true;
		a->tx_since = loop_now();
	} else
		acc_warn_cache(a, &e);
}

static void
acc_tx_end(struct imap_account *a)
{
	struct err	 e;

	if (!a->in_tx)
		return;
	a->in_tx = false;
	if (cache_commit(a->cache, &e) == -1)
		acc_warn_cache(a, &e);
}

/* Flags of a FETCH as one space-separated string (owned by b). */
static const char *
acc_flags(const struct imap_fetch *f, struct buf *b)
{
	size_t	 i;

	buf_reset(b);
	for (i = 0; i < f->flags.n; i++) {
		if (i > 0)
			buf_add_byte(b, ' ');
		buf_add(b, f->flags.v[i].p, f->flags.v[i].len);
	}
	return buf_str(b);
}

/* The row's fields any FETCH of the index fetch gives; strings "". */
static struct cache_msg *
acc_msg_base(struct imap_account *a, const struct imap_event *ev)
{
	const struct imap_fetch	*f = ev->fetch;
	struct cache_msg	*m = &a->row;

	memset(m, 0, sizeof *m);
	m->uid = ev->uid;
	m->flags = acc_flags(f, &a->scratch[0]);
	m->modseq = f->modseq;
	m->internaldate = f->internaldate_t;
	m->size = f->size;
	m->sent = -1;
	m->from_show = "";	/* decoded: no second try from m->from */
	return m;
}

/*
 * The index row of a FETCH with the index header fields (or, when a
 * server sends one, an ENVELOPE) in a->row, strings in a->index until the
 * next call: decoded once here for the cache and for the owner's event,
 * and never again when the cache paints it.  The parent for threading
 * (the last id of References, else In-Reply-To) goes in in_reply_to.
 */
static const struct cache_msg *
acc_msg_fill(struct imap_account *a, const struct imap_event *ev)
{
	const struct imap_fetch		*f = ev->fetch;
	struct cache_msg		*m = acc_msg_base(a, ev);
	const struct imap_index_row	*r;

	if (f->have & IMAP_FETCH_HEADER)
		r = imap_index_fill(&a->index, f->header.p, f->header.len);
	else
		r = imap_index_fill_env(&a->index, f->env);
	m->date = r->date;
	m->sent = r->sent;
	m->subject = r->subject;
	m->from = r->from;
	m->to = r->to;
	m->cc = r->cc;
	m->from_show = r->from_show;
	m->from_addr = r->from_addr;
	m->to_show = r->to_show;
	m->message_id = r->message_id;
	m->in_reply_to = r->parent;
	return m;
}

static void
acc_cache_message(struct imap_account *a, const struct imap_event *ev)
{
	const struct imap_fetch	*f = ev->fetch;
	struct err		 e;

	a->have_row = false;
	if (ev->uid == 0)
		return;
	a->have_row = true;
	if ((f->have & IMAP_FETCH_HEADER) ||
	    ((f->have & IMAP_FETCH_ENVELOPE) && f->env != NULL))
		acc_msg_fill(a, ev);
	else if (f->have & (IMAP_FETCH_INTERNALDATE | IMAP_FETCH_SIZE))
		acc_msg_base(a, ev);	/* issue 4: header fields unreadable,
					 * the row all the same */
	else
		a->have_row = false;	/* flags only */
	if (a->cache == NULL || a->mailbox == NULL)
		return;
	acc_tx_begin(a);
	if (!a->have_row) {
		if ((f->have & IMAP_FETCH_FLAGS) && cache_flags_put(a->cache,
		    a->mailbox, ev->uid, acc_flags(f, &a->scratch[0]),
		    f->modseq, &e) == -1)
			acc_warn_cache(a, &e);
		return;
	}
	if (cache_msg_put(a->cache, a->mailbox, &a->row, &e) == -1)
		acc_warn_cache(a, &e);
	/*
	 * Rows before the UID map (the session's head start on a cold
	 * open) are the newest: counted in max_uid only once the header
	 * fetch below them asked from the old max_uid is done.
	 */
	if (a->step == OPEN_SELECTING) {
		if (ev->uid > a->head_max)
			a->head_max = ev->uid;
	} else if (ev->uid > a->max_uid)
		a->max_uid = ev->uid;
}

static void
acc_cache_ranges(struct imap_account *a, const struct imap_seqset *set,
    bool keep)
{
	uint32_t	*lo, *hi;
	size_t		 i;
	struct err	 e;

	if (a->cache == NULL || a->mailbox == NULL)
		return;
	acc_tx_begin(a);
	if (!keep) {
		/* one statement per range, whatever its width */
		for (i = 0; i < set->n; i++)
			if (cache_msgs_delete(a->cache, a->mailbox,
			    set->r[i].lo, set->r[i].hi, &e) == -1)
				acc_warn_cache(a, &e);
		return;
	}
	lo = xreallocarray(NULL, set->n + 1, sizeof *lo);
	hi = xreallocarray(NULL, set->n + 1, sizeof *hi);
	for (i = 0; i < set->n; i++) {
		lo[i] = set->r[i].lo;
		hi[i] = set->r[i].hi;
	}
	if (cache_msgs_keep_only(a->cache, a->mailbox, lo, hi, set->n, &e) ==
	    -1)
		acc_warn_cache(a, &e);
	free(lo);
	free(hi);
}

/* Opening a mailbox, step by step */

/*
 * Headers are fetched newest first, so a fetch cut off by a lost link
 * leaves a cache whose highest UID says nothing of the older ones: only
 * UIDs below the UIDNEXT of the last complete sync are known to be in.
 */
static uint32_t
acc_after_uid(const struct imap_account *a)
{
	if (a->known.uidnext == 0)
		return 0;
	return a->max_uid < a->known.uidnext - 1 ? a->max_uid :
	    a->known.uidnext - 1;
}

/* In step: the cache, and what the next reconnect asks for, say so. */
static void
acc_set_state(struct imap_account *a)
{
	struct err	 e;
	uint32_t	 next;

	/* lenient: a server that gave no UIDNEXT; all we hold is in */
	next = a->sel_uidnext != 0 ? a->sel_uidnext : a->max_uid + 1;
	if (a->cache != NULL && cache_mailbox_set_state(a->cache, a->mailbox,
	    next, a->sel_modseq, &e) == -1) {
		acc_warn_cache(a, &e);
		return;
	}
	a->known.uidnext = next;
	a->known.highestmodseq = a->sel_modseq;
}

static void
acc_open_step(struct imap_account *a, enum open_step step)
{
	struct imap_range	 r;
	struct err		 e;

	a->step = step;
	a->step_id = 0;
	switch (step) {
	case OPEN_FLAGS:
		if (a->max_uid == 0) {
			acc_open_step(a, OPEN_HEADERS);
			return;
		}
		r.lo = 1;
		r.hi = a->max_uid;
		a->step_id = imap_session_fetch_flags(a->s, &r, 1,
		    a->known.highestmodseq, &e);
		break;
	case OPEN_HEADERS:
		a->step_id = imap_session_fetch_headers(a->s, acc_after_uid(a),
		    &e);
		break;
	case OPEN_DONE:
		if (a->head_max > a->max_uid)
			a->max_uid = a->head_max;
		a->head_max = 0;
		acc_tx_end(a);
		if (!a->p.one_shot)
			imap_session_notify(a->s);	/* if not yet: see there */
		/* opened means every cached row is painted, too */
		if (a->painting)
			a->open_waits = true;
		else
			acc_opened(a);
		return;
	default:
		return;
	}
	if (a->step_id == 0)
		log_warn("imap %s: %s", a->p.name, e.msg);
}

static void
acc_opened(struct imap_account *a)
{
	struct imap_acc_event	 ev;
	struct cache_mailbox	 mb;
	struct err		 e;

	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_ACC_OPENED;
	ev.mailbox = a->mailbox;
	if (a->p.count_rows && a->cache != NULL &&
	    cache_mailbox_get(a->cache, a->mailbox, &mb, &e) == 1)
		ev.count = mb.count;
	acc_emit(a, &ev);
	/* the journal is in the cache, which waits for the last rows to be
	 * written: after the pass that shows the mailbox open */
	loop_defer_next(a->loop, acc_replay_deferred, a);
}

static void
acc_on_selected(struct imap_account *a, const struct imap_event *ev)
{
	struct err	 e;
	int		 rv = 0;

	if (a->cache != NULL) {
		acc_tx_begin(a);
		rv = cache_mailbox_set_uidvalidity(a->cache, a->mailbox,
		    ev->sel->uidvalidity, &e);
		if (rv == -1)
			acc_warn_cache(a, &e);
		if (rv == 1) {
			a->max_uid = 0;	/* everything cached was discarded */
			acc_paint_stop(a);
		}
	}
	if (rv == 1)
		a->known.highestmodseq = 0;
	a->known.uidvalidity = ev->sel->uidvalidity;
	/* stored once the new headers are in: a crash before that must
	 * not make the next reopen skip them */
	a->sel_uidnext = ev->sel->uidnext;
	a->sel_modseq = ev->sel->highestmodseq;
}

/*
 * A side account's mailbox would not open: its actions wait (for the next
 * connection, or for the user to open it), and the owner hears why.
 */
static void
acc_side_refused(struct imap_account *a, const struct err *why)
{
	struct imap_acc_event	 ae;

	memset(&ae, 0, sizeof ae);
	ae.type = IMAP_ACC_NOTE;
	ae.mailbox = a->mailbox;
	err_set(&ae.err, why->cls, "changes made in %s wait: the server "
	    "would not open it: %s", a->mailbox, why->msg);
	acc_emit(a, &ae);
	imap_account_logout(a);
}

static void
acc_on_done(struct imap_account *a, const struct imap_event *ev)
{
	if (ev->cmd_id == a->replay_id && a->replay_id != 0) {
		struct imap_acc_event	 ae;

		a->replay_id = 0;
		if (ev->err.cls == ERR_TEMP) {
			/* the link went with the answer: the action stays
			 * in the journal for the next connection */
			return;
		}
		if (ev->err.cls != ERR_NONE) {
			memset(&ae, 0, sizeof ae);
			ae.type = IMAP_ACC_CONFLICT;
			ae.err = ev->err;
			ae.mailbox = a->mailbox;
			ae.action = a->replay_action;
			acc_emit(a, &ae);
		}
		acc_action_done(a, a->replay_action, ev, &ev->err);
		acc_replay_next(a);
		return;
	}
	if (acc_direct_take(a, ev->cmd_id)) {
		acc_action_done(a, -(int64_t)ev->cmd_id, ev, &ev->err);
		acc_retire_check(a);
	}
	if (ev->cmd_id == 0 || ev->cmd_id != a->step_id)
		return;
	switch (a->step) {
	case OPEN_SELECTING:
		if (ev->err.cls != ERR_NONE) {
			a->step = OPEN_NONE;
			if (a->p.journal_only && ev->err.cls != ERR_TEMP)
				acc_side_refused(a, &ev->err);
			return;
		}
		/* QRESYNC already sent what changed: only new headers */
		break;
	case OPEN_FLAGS:
		if (ev->err.cls == ERR_TEMP) {
			a->step = OPEN_NONE;	/* the reconnect reopens */
			return;
		}
		acc_open_step(a, OPEN_HEADERS);
		break;
	case OPEN_HEADERS:
		/*
		 * In step in the last chunk's transaction: both are in or
		 * neither, and the loop does not wait for the rows to be
		 * written first.
		 */
		if (ev->err.cls == ERR_NONE)
			acc_set_state(a);
		acc_tx_end(a);
		if (ev->err.cls == ERR_TEMP) {
			/* cut off mid-fetch: not in step, and the cache must
			 * not say so (the reconnect fetches the rest) */
			a->step = OPEN_NONE;
			return;
		}
		acc_open_step(a, OPEN_DONE);
		break;
	default:
		break;
	}
}

/* Keep the server's UID list: a journaled action on a UID not in it
 * is a conflict, not a silent no-op (UID STORE ignores missing UIDs). */
static void
acc_live_set(struct imap_account *a, const struct imap_seqset *set)
{
	free(a->live);
	a->nlive = imap_seqset_sorted(set, &a->live);
	a->livecap = a->nlive;	/* at least; acc_live_room grows it */
}

/* Room for n ranges. */
static void
acc_live_room(struct imap_account *a, size_t n)
{
	if (n <= a->livecap)
		return;
	a->livecap = a->livecap * 2 > n ? a->livecap * 2 : n;
	a->live = xreallocarray(a->live, a->livecap, sizeof *a->live);
}

static bool
acc_live_has(const struct imap_account *a, uint32_t uid)
{
	return imap_ranges_have(a->live, a->nlive, uid);
}

/* A UID the server just told of (new mail). */
static void
acc_live_add(struct imap_account *a, uint32_t uid)
{
	size_t	 i;

	if (uid == 0 || acc_live_has(a, uid))
		return;
	if (a->nlive > 0 && a->live[a->nlive - 1].hi == uid - 1) {
		a->live[a->nlive - 1].hi = uid;
		return;
	}
	acc_live_room(a, a->nlive + 1);
	for (i = a->nlive; i > 0 && a->live[i - 1].lo > uid; i--)
		a->live[i] = a->live[i - 1];
	a->live[i].lo = a->live[i].hi = uid;
	a->nlive++;
}

/*
 * UIDs lo..hi are gone: two searches and one move of the ranges after
 * them, not the width.  A server without QRESYNC sends one EXPUNGE per
 * message; copying every range into a new array for each one took 73%
 * of pons's CPU in an expunge of 16,667 of 33,332 messages.
 */
static void
acc_live_remove(struct imap_account *a, uint32_t lo, uint32_t hi)
{
	struct imap_range	 keep[2];
	size_t			 i, j, b, e, mid, k = 0;

	/* i: the first range ending at lo or later; j: the first one
	 * starting after hi (the ranges are sorted and disjoint) */
	for (b = 0, e = a->nlive; b < e; )
		if (a->live[mid = b + (e - b) / 2].hi < lo)
			b = mid + 1;
		else
			e = mid;
	i = b;
	for (e = a->nlive; b < e; )
		if (a->live[mid = b + (e - b) / 2].lo <= hi)
			b = mid + 1;
		else
			e = mid;
	j = b;
	if (i == j)
		return;
	if (a->live[i].lo < lo)
		keep[k++] = (struct imap_range){ a->live[i].lo, lo - 1 };
	if (a->live[j - 1].hi > hi)
		keep[k++] = (struct imap_range){ hi + 1, a->live[j - 1].hi };
	acc_live_room(a, a->nlive - (j - i) + k);
	memmove(a->live + i + k, a->live + j, (a->nlive - j) * sizeof *a->live);
	memcpy(a->live + i, keep, k * sizeof *keep);
	a->nlive = a->nlive - (j - i) + k;
}

static void
acc_live_remove_set(struct imap_account *a, const struct imap_seqset *set)
{
	size_t	 i;

	for (i = 0; i < set->n; i++)
		acc_live_remove(a, set->r[i].lo, set->r[i].hi);
}

/* After the UID list: without QRESYNC drop vanished rows, refresh flags. */
static void
acc_on_uids(struct imap_account *a, const struct imap_event *ev)
{
	acc_live_set(a, ev->uids);
	if (a->step != OPEN_SELECTING)
		return;
	if (a->s != NULL && a->known.uidvalidity != 0 && !a->known_qresync)
		acc_cache_ranges(a, ev->uids, true);
	acc_open_step(a, a->known_qresync ? OPEN_HEADERS : OPEN_FLAGS);
}

/*
 * Open the cache now if it was left for later (acc_cache_later): before
 * anything reads or writes it.
 */
static void
acc_cache_now(struct imap_account *a)
{
	struct err	 e, note;
	int		 rv;

	if (!a->cache_later)
		return;
	a->cache_later = false;
	rv = cache_open(a->p.cache_path, a->p.body_max, &a->cache, &e);
	if (rv == 0)
		return;
	note = e;
	if (rv == -1) {
		log_warn("imap %s: %s; going on without a cache", a->p.name,
		    e.msg);
		err_set(&note, e.cls, "%s; going on without a cache: folders "
		    "open from the server, changes need it online", e.msg);
	} else
		log_warn("imap %s: %s", a->p.name, e.msg);
	acc_note(a, IMAP_ACC_NOTE, 0, &note, NULL);
}

/*
 * The output queue is empty: once that includes the login, a new cache
 * file is made while the server checks the password.
 */
static void
acc_drained(struct conn *c, void *arg)
{
	struct imap_account	*a = arg;

	(void)c;
	if (a->login_tries > 0)
		acc_cache_now(a);
}

static void
acc_login(struct imap_account *a)
{
	struct err	 e;

	/* the same password twice would only fail twice */
	if (a->p.password == NULL || a->login_tries++ > 0) {
		err_set(&a->last_err, ERR_AUTH, "%s: login refused",
		    a->p.name);
		a->give_up = true;
	} else if (imap_session_login(a->s, a->p.user, a->p.password,
	    &e) == 0)
		log_warn("imap %s: %s", a->p.name, e.msg);
}

static void
acc_on_event(void *arg, const struct imap_event *ev)
{
	struct imap_account	*a = arg;
	struct imap_acc_event	 ae;
	struct err		 e;

	switch (ev->type) {
	case IMAP_EV_NEED_PASSWORD:
		if (a->p.password == NULL && a->p.password_later)
			a->pw_wait = true;	/* imap_account_password() */
		else
			acc_login(a);
		break;
	case IMAP_EV_ERROR:
		a->last_err = ev->err;
		break;
	case IMAP_EV_NEED_TLS:
		if (conn_starttls(a->conn, &e) == -1)
			log_warn("imap %s: %s", a->p.name, e.msg);
		break;
	case IMAP_EV_LOGGED_IN:
		acc_cache_now(a);	/* PREAUTH sends no login */
		a->ready = true;
		a->backoff = 0;
		acc_probe_arm(a);
		/*
		 * A mailbox the cache holds paints from it, so a SELECT made
		 * slower by NOTIFY costs no first screen, and NOTIFY set
		 * before it pushes the selected mailbox's news sooner than
		 * set after (new mail 0.4 s before Dovecot's IDLE says it).
		 * A cold open sets it once in step (OPEN_DONE).
		 */
		if (!a->p.one_shot && a->known.uidvalidity != 0)
			imap_session_notify(a->s);
		if (a->mailbox != NULL && acc_select(a, &e) == -1)
			log_warn("imap %s: %s", a->p.name, e.msg);
		break;
	case IMAP_EV_SELECTED:
		a->known_qresync = ev->sel->qresync;
		acc_on_selected(a, ev);
		break;
	case IMAP_EV_UIDS:
		acc_on_uids(a, ev);
		break;
	case IMAP_EV_MESSAGE:
		acc_live_add(a, ev->uid);
		acc_cache_message(a, ev);
		break;
	case IMAP_EV_BODY:
		if (a->cache != NULL && a->mailbox != NULL) {
			acc_tx_begin(a);
			if (cache_body_put(a->cache, a->mailbox, ev->uid,
			    ev->section->spec.p, ev->section->data.p,
			    ev->section->data.len, &e) == -1)
				acc_warn_cache(a, &e);
		}
		break;
	case IMAP_EV_EXPUNGE:
		if (ev->uid != 0)
			acc_live_remove(a, ev->uid, ev->uid);
		if (a->cache != NULL && ev->uid != 0) {
			acc_tx_begin(a);
			if (cache_msgs_delete(a->cache, a->mailbox, ev->uid,
			    ev->uid, &e) == -1)
				acc_warn_cache(a, &e);
		}
		break;
	case IMAP_EV_VANISHED:
		acc_live_remove_set(a, ev->uids);
		acc_cache_ranges(a, ev->uids, false);
		break;
	case IMAP_EV_PROGRESS:
		/* the last chunk's ends with the job (acc_on_done) */
		if (ev->done < ev->total)
			acc_tx_end(a);
		break;
	case IMAP_EV_RESYNC:
		a->max_uid = 0;
		acc_paint_stop(a);
		break;
	default:
		break;
	}
	memset(&ae, 0, sizeof ae);
	ae.type = IMAP_ACC_SESSION;
	ae.ev = ev;
	ae.mailbox = a->mailbox;
	if (ev->type == IMAP_EV_MESSAGE && a->have_row)
		ae.msg = &a->row;
	acc_emit(a, &ae);
	if (ev->type == IMAP_EV_DONE)
		acc_on_done(a, ev);
}

/* Transport */

static void
acc_arm(struct imap_account *a)
{
	uint64_t	 d;

	if (a->s == NULL)
		return;
	d = imap_session_next_deadline(a->s);
	if (d == 0)
		loop_timer_stop(a->deadline);
	else
		loop_timer_set_at(a->deadline, d);
}

static void
acc_flush(struct imap_account *a)
{
	const void	*p;
	size_t		 n;

	if (a->s == NULL || a->conn == NULL)
		return;
	if ((n = imap_session_output(a->s, &p)) > 0) {
		conn_write(a->conn, p, n);
		imap_session_sent(a->s, n);
	}
	acc_arm(a);
}

/*
 * A link can die silently: no reset, no EOF, packets just vanish.  Every
 * command's answer has a deadline in the session, but an IDLE with no
 * news waits for nothing.  So after timeout ms without a byte from the
 * server, ask for one: DONE (IDLE's tagged OK) or NOOP, whose answer is
 * then bounded by the same timeout.  A dead link is noticed within two
 * timeouts, whatever the session was doing.
 */
static void
acc_probe_arm(struct imap_account *a)
{
	if (a->s != NULL && a->ready && a->p.timeout != 0)
		loop_timer_set(a->probe, a->p.timeout, 0);
}

static void
acc_probe(struct loop_timer *t, void *arg)
{
	struct imap_account	*a = arg;
	struct err		 e;

	(void)t;
	if (a->s == NULL || !a->ready)
		return;
	log_debug("imap %s: nothing heard for %llu ms: probing", a->p.name,
	    (unsigned long long)a->p.timeout);
	if (imap_session_is_idling(a->s)) {
		imap_session_idle(a->s, false);	/* DONE */
		imap_session_idle(a->s, true);	/* IDLE again after its OK */
	} else if (imap_session_noop(a->s, &e) == 0)
		log_warn("imap %s: %s", a->p.name, e.msg);
	acc_flush(a);
	acc_probe_arm(a);
	acc_check_closed(a, NULL);
}

static void
acc_drop(struct imap_account *a, const struct err *why)
{
	struct imap_acc_event	 ev;

	acc_tx_end(a);
	loop_timer_stop(a->probe);
	free(a->live);
	a->live = NULL;
	a->nlive = a->livecap = 0;
	conn_free(a->conn);
	a->conn = NULL;
	imap_session_free(a->s);
	a->s = NULL;
	a->ready = false;
	a->step = OPEN_NONE;
	a->replay_id = 0;
	free(a->direct);
	a->direct = NULL;
	a->ndirect = 0;
	acc_side_stop(a);
	loop_timer_stop(a->deadline);
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_ACC_OFFLINE;
	ev.err = *why;
	if (a->reopen) {
		/* acc_paint_more: opened again at once, reconnect or not */
		a->reopen = false;
		ev.retry_in = 1;
		loop_timer_set(a->retry, 0, 0);
	} else if (a->p.reconnect && !a->stopping && !a->give_up &&
	    why->cls == ERR_TEMP) {
		/* only a lost link is worth retrying: not a refusal, TLS or
		 * auth */
		a->backoff = a->backoff == 0 ? 1 : a->backoff * 2;
		if (a->backoff > 60)
			a->backoff = 60;
		ev.retry_in = a->backoff;
		loop_timer_set(a->retry, (uint64_t)a->backoff * 1000, 0);
	}
	acc_emit(a, &ev);
	acc_retire_check(a);	/* nothing more can come */
}

/* The session said it is over (error, BYE, logout). */
static void
acc_check_closed(struct imap_account *a, const struct err *last)
{
	struct err	 e;

	if (a->s == NULL || (!a->give_up &&
	    imap_session_state(a->s) != IMAP_STATE_CLOSED))
		return;
	if (last != NULL)
		e = *last;
	else if (a->last_err.cls != ERR_NONE)
		e = a->last_err;
	else
		err_set(&e, ERR_TEMP, "%s: connection closed", a->p.name);
	acc_drop(a, &e);
}

static void
acc_readable(struct conn *c, void *arg)
{
	struct imap_account	*a = arg;
	const char		*p;
	size_t			 n;

	p = conn_peek(c, &n);
	acc_probe_arm(a);
	imap_session_input(a->s, p, n);
	if (a->conn != NULL)
		conn_consume(c, n);
	if (a->step == OPEN_DONE || a->step == OPEN_NONE ||
	    loop_now() - a->tx_since >= ACC_TX_MS)
		acc_tx_end(a);
	acc_flush(a);
	acc_check_closed(a, NULL);
}

static void
acc_connected(struct conn *c, void *arg)
{
	struct imap_account	*a = arg;

	imap_session_start(a->s, conn_is_tls(c));
	acc_flush(a);
}

static void
acc_tls_ready(struct conn *c, void *arg)
{
	struct imap_account	*a = arg;

	(void)c;
	imap_session_tls_ready(a->s);
	acc_flush(a);
	acc_check_closed(a, NULL);
}

static void
acc_closed(struct conn *c, void *arg)
{
	struct imap_account	*a = arg;
	struct err		 e;

	(void)c;
	imap_session_eof(a->s);
	err_set(&e, ERR_TEMP, "%s closed the connection", a->p.host);
	if (!a->stopping || imap_session_state(a->s) != IMAP_STATE_CLOSED)
		acc_drop(a, &e);
	else
		acc_check_closed(a, &e);
}

static void
acc_error(struct conn *c, const struct err *e, void *arg)
{
	struct imap_account	*a = arg;

	(void)c;
	acc_drop(a, e);
}

static void
acc_deadline(struct loop_timer *t, void *arg)
{
	struct imap_account	*a = arg;

	(void)t;
	if (a->s == NULL)
		return;
	imap_session_tick(a->s, loop_now());
	acc_flush(a);
	acc_check_closed(a, NULL);
}

static void
acc_retry(struct loop_timer *t, void *arg)
{
	(void)t;
	acc_connect(arg);
}

static void
acc_conn_params(const struct imap_account *a, struct conn_params *cp)
{
	memset(cp, 0, sizeof *cp);
	cp->host = a->p.host;
	cp->port = a->p.port;
	cp->tls = a->p.tls == IMAP_TLS_IMPLICIT ? CONN_TLS_IMPLICIT :
	    a->p.tls == IMAP_TLS_STARTTLS ? CONN_TLS_STARTTLS : CONN_TLS_NONE;
	cp->ca_file = a->p.ca_file;
	/* the TLS handshake of a dead link must not outwait the timeout */
	cp->connect_timeout_ms = (unsigned int)a->p.timeout;
	cp->coalesce = true;	/* header fetches stream: see net/conn.c */
}

static void
acc_connect(struct imap_account *a)
{
	static const struct conn_cbs	 cbs = {
		.connected = acc_connected,
		.tls_ready = acc_tls_ready,
		.readable = acc_readable,
		.drained = acc_drained,
		.closed = acc_closed,
		.error = acc_error,
	};
	struct imap_params	 sp;
	struct conn_params	 cp;

	imap_params_default(&sp);
	sp.host = a->p.name;
	sp.tls = a->p.tls;
	sp.allow_plaintext = a->p.allow_plaintext;
	sp.use_idle = a->p.idle;
	if (a->p.idle_restart != 0)
		sp.idle_restart = a->p.idle_restart;
	if (a->p.poll_interval != 0)
		sp.poll_interval = a->p.poll_interval;
	if (a->p.timeout != 0)
		sp.cmd_timeout = a->p.timeout;
	sp.batch = a->p.batch;
	sp.clock = acc_clock;
	err_clear(&a->last_err);
	a->login_tries = 0;
	a->pw_wait = false;
	a->s = imap_session_new(&sp, acc_on_event, a);
	acc_conn_params(a, &cp);
	a->conn = conn_new(a->loop, &cp, &cbs, a);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
imap_account_params_copy(struct imap_account_params *dst,
    const struct imap_account_params *src)
{
	*dst = *src;
	dst->name = xstrdup(src->name != NULL ? src->name : src->host);
	dst->host = xstrdup(src->host);
	dst->port = xstrdup(src->port);
	dst->ca_file = dup_or_null(src->ca_file);
	dst->user = dup_or_null(src->user);
	dst->password = dup_or_null(src->password);
	dst->cache_path = dup_or_null(src->cache_path);
}

void
imap_account_params_fini(struct imap_account_params *p)
{
	if (p->password != NULL) {
		explicit_bzero((char *)p->password, strlen(p->password));
		free((char *)p->password);
	}
	free((char *)p->name);
	free((char *)p->host);
	free((char *)p->port);
	free((char *)p->ca_file);
	free((char *)p->user);
	free((char *)p->cache_path);
	memset(p, 0, sizeof *p);
}

struct imap_account *
imap_account_new(struct loop *loop, const struct imap_account_params *p,
    imap_account_cb cb, void *arg)
{
	struct imap_account	*a;
	struct stat		 st;

	a = xcalloc(1, sizeof *a);
	a->loop = loop;
	acc_all_add(a);
	imap_account_params_copy(&a->p, p);
	a->cb = cb;
	a->cb_arg = arg;
	imap_index_init(&a->index);
	a->deadline = loop_timer_new(loop, acc_deadline, a);
	a->retry = loop_timer_new(loop, acc_retry, a);
	a->probe = loop_timer_new(loop, acc_probe, a);
	/*
	 * Connecting first: the name is resolved and the TLS context made
	 * on threads, and the TCP handshake runs, while the cache opens
	 * here; a mailbox opened right after this still paints from the
	 * cache before the loop sees the server's first byte.  A cache
	 * that does not exist yet has nothing to paint, and making one
	 * takes several syncs: that waits until the login has left
	 * (acc_drained), when the loop has nothing else to do.
	 */
	acc_connect(a);
	a->cache_later = p->cache_path != NULL;
	if (a->cache_later && stat(p->cache_path, &st) == 0)
		acc_cache_now(a);
	return a;
}

bool
imap_account_password(struct imap_account *a, const char *password)
{
	if (!a->p.password_later || a->p.password != NULL)
		return false;
	a->p.password = xstrdup(password);
	if (a->pw_wait && a->s != NULL) {
		a->pw_wait = false;
		acc_login(a);
		acc_flush(a);
		acc_check_closed(a, NULL);
	}
	return true;
}

/*
 * Accounts let go with changes on their way (imap_account_retire): each
 * frees itself from the loop once they are answered or its link went.
 * Every account is in acc_all, so that the end of a retired one lets the
 * others of its cache replay what it held them back from.
 */
static struct imap_account	**acc_retired;
static size_t			 acc_nretired;
static struct imap_account	**acc_all;
static size_t			 acc_nall;

static void
acc_all_add(struct imap_account *a)
{
	acc_all = xreallocarray(acc_all, acc_nall + 1, sizeof *acc_all);
	acc_all[acc_nall++] = a;
}

/* Take a out of the list *v of *n (order not kept; emptied: freed). */
static void
acc_list_remove(struct imap_account ***v, size_t *n, struct imap_account *a)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if ((*v)[i] == a) {
			(*v)[i] = (*v)[--*n];
			break;
		}
	if (*n == 0) {
		free(*v);
		*v = NULL;
	}
}

static void
acc_all_remove(struct imap_account *a)
{
	acc_list_remove(&acc_all, &acc_nall, a);
}

static void
acc_retired_forget(struct imap_account *a)
{
	if (!a->retired)
		return;
	a->retired = false;
	(void)loop_defer_cancel(a->loop, acc_retire_done, a);
	acc_list_remove(&acc_retired, &acc_nretired, a);
}

static void
acc_retire_done(void *arg)
{
	struct imap_account	*r = arg, *o;
	size_t			 i;

	for (i = 0; i < acc_nall; i++) {
		o = acc_all[i];
		if (o == r || o->retired || o->p.cache_path == NULL ||
		    r->p.cache_path == NULL ||
		    strcmp(o->p.cache_path, r->p.cache_path) != 0)
			continue;
		(void)loop_defer_cancel(o->loop, acc_replay_deferred, o);
		loop_defer(o->loop, acc_replay_deferred, o);
	}
	imap_account_free(r);
}

static void
acc_retire_check(struct imap_account *a)
{
	if (!a->retired || imap_account_sending(a))
		return;
	(void)loop_defer_cancel(a->loop, acc_retire_done, a);
	loop_defer(a->loop, acc_retire_done, a);
}

/* r is on mailbox of a's cache: its open mailbox, or its side's. */
static bool
acc_same_box(const struct imap_account *r, const struct imap_account *a,
    const char *mailbox)
{
	return r->mailbox != NULL && r->p.cache_path != NULL &&
	    a->p.cache_path != NULL &&
	    strcmp(r->p.cache_path, a->p.cache_path) == 0 &&
	    strcmp(r->mailbox, mailbox) == 0;
}

/* A retired account of a's cache may still send mailbox's changes. */
static bool
acc_retired_on(const struct imap_account *a, const char *mailbox)
{
	const struct imap_account	*r;
	size_t				 i;

	for (i = 0; i < acc_nretired; i++) {
		r = acc_retired[i];
		if (acc_same_box(r, a, mailbox) ||
		    (r->side != NULL && acc_same_box(r->side, a, mailbox)))
			return true;
	}
	return false;
}

static void
acc_retired_event(void *arg, const struct imap_acc_event *ev)
{
	(void)arg;
	(void)ev;
}

void
imap_account_retire(struct imap_account *a)
{
	if (a == NULL)
		return;
	if (!imap_account_sending(a)) {
		imap_account_free(a);
		return;
	}
	a->retired = true;
	a->stopping = true;		/* no reconnect: what is cut stays
					 * in the journal */
	a->cb = acc_retired_event;	/* its owner is gone */
	a->cb_arg = NULL;
	acc_notes_drop(a);
	loop_timer_stop(a->retry);
	acc_retired = xreallocarray(acc_retired, acc_nretired + 1,
	    sizeof *acc_retired);
	acc_retired[acc_nretired++] = a;
}

bool
imap_account_retired_any(void)
{
	return acc_nretired > 0;
}

void
imap_account_retired_free(void)
{
	while (acc_nretired > 0)
		imap_account_free(acc_retired[acc_nretired - 1]);
}

void
imap_account_free(struct imap_account *a)
{
	size_t	 i;

	if (a == NULL)
		return;
	acc_retired_forget(a);
	acc_all_remove(a);
	(void)loop_defer_cancel(a->loop, acc_paint_more, a);
	(void)loop_defer_cancel(a->loop, acc_replay_deferred, a);
	acc_side_stop(a);
	acc_notes_drop(a);
	acc_tx_end(a);
	conn_free(a->conn);
	imap_session_free(a->s);
	loop_timer_free(a->deadline);
	loop_timer_free(a->retry);
	loop_timer_free(a->probe);
	free(a->live);
	free(a->direct);
	cache_close(a->cache);
	for (i = 0; i < sizeof a->scratch / sizeof a->scratch[0]; i++)
		buf_fini(&a->scratch[i]);
	imap_index_fini(&a->index);
	imap_account_params_fini(&a->p);
	free(a->mailbox);
	free(a);
}

struct imap_session *
imap_account_session(struct imap_account *a)
{
	return a->s;
}

bool
imap_account_is_ready(const struct imap_account *a)
{
	return a->ready;
}

bool
imap_account_connecting(const struct imap_account *a)
{
	enum conn_state	 st;

	if (a->conn == NULL)
		return false;
	st = conn_state(a->conn);
	return st == CONN_RESOLVING || st == CONN_CONNECTING;
}

uint32_t
imap_account_list(struct imap_account *a, struct err *e)
{
	uint32_t	 id;

	if (a->s == NULL)
		return err_set(e, ERR_TEMP, "%s is offline", a->p.name), 0;
	id = imap_session_list(a->s, e);
	acc_flush(a);
	return id;
}

static void
acc_paint_row(void *arg, const struct cache_msg *m)
{
	struct imap_account	*a = arg;
	struct imap_acc_event	 ev;

	if (m->uid > a->max_uid)
		a->max_uid = m->uid;
	a->paint_below = m->uid;
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_ACC_CACHED;
	ev.msg = m;
	ev.mailbox = a->mailbox;
	acc_emit(a, &ev);
}

/* Nothing painted (journal_only): what to resync from is all it needs. */
static void
acc_newest_row(void *arg, const struct cache_msg *m)
{
	struct imap_account	*a = arg;

	a->max_uid = m->uid;
}

/* Paint up to n more cached rows; schedule the rest.  0 or -1 with e. */
static int
acc_paint_slice(struct imap_account *a, size_t n, struct err *e)
{
	int	 rows;

	if ((rows = cache_msgs_load_below(a->cache, a->mailbox,
	    a->paint_below, n, acc_paint_row, a, e)) == -1)
		return -1;
	if ((size_t)rows < n || a->paint_below <= 1) {
		acc_paint_stop(a);	/* all painted */
		return 0;
	}
	a->paint_slice = n < ACC_PAINT_SLICE ? ACC_PAINT_SLICE :
	    n * 2 > ACC_PAINT_MAX ? ACC_PAINT_MAX : n * 2;
	a->paint_wait = true;
	a->painting = true;
	loop_defer(a->loop, acc_paint_more, a);
	return 0;
}

/*
 * No more slices: the mailbox changed, or its cached rows were dropped
 * (a later slice would repaint rows fetched anew, and raise max_uid).
 */
static void
acc_paint_stop(struct imap_account *a)
{
	(void)loop_defer_cancel(a->loop, acc_paint_more, a);
	a->paint_below = 0;
	a->painting = false;
	if (a->open_waits) {
		a->open_waits = false;
		acc_opened(a);
	}
}

static void
acc_paint_more(void *arg)
{
	struct imap_account	*a = arg;
	struct err		 e;

	if (a->cache == NULL || a->mailbox == NULL)
		return;
	if (a->paint_wait) {
		/* a deferred call runs before the pass draws: wait one */
		a->paint_wait = false;
		loop_defer(a->loop, acc_paint_more, a);
		return;
	}
	if (acc_paint_slice(a, a->paint_slice, &e) == 0 ||
	    !acc_paint_failed(a, &e))
		return;
	if (a->s == NULL || a->step == OPEN_NONE)
		return;		/* the SELECT to come starts from nothing */
	/* the SELECT asked for what changed since what the cache said it
	 * held: start the open again, from nothing */
	err_set(&e, ERR_TEMP, "%s: reopening %s", a->p.name, a->mailbox);
	a->reopen = true;
	acc_drop(a, &e);
}

/*
 * A cached row of the open mailbox could not be read (the file is damaged
 * under it): the rows below it would be missing from the index, since the
 * server is only asked for what changed.  The mailbox's rows and state are
 * dropped from the cache, and the user told; true if the open must start
 * again (the caller's to do: before the SELECT there is nothing to redo).
 */
static bool
acc_paint_failed(struct imap_account *a, const struct err *why)
{
	struct err	 e, note;

	acc_warn_cache(a, why);
	a->open_waits = false;	/* not in step: no OPENED for this open */
	acc_paint_stop(a);
	if (a->cache == NULL || a->mailbox == NULL)
		return false;
	if (cache_mailbox_drop(a->cache, a->mailbox, &e) == -1) {
		/* it would be painted from, and fail, after every reopen */
		acc_warn_cache(a, &e);
		acc_tx_end(a);
		cache_close(a->cache);
		a->cache = NULL;
	}
	memset(&a->known, 0, sizeof a->known);
	a->max_uid = 0;
	a->known_qresync = false;
	err_set(&note, ERR_LOCAL, "the cache of %s was damaged (%s): its "
	    "messages are fetched again", a->mailbox, why->msg);
	acc_note(a, IMAP_ACC_NOTE, 0, &note, a->mailbox);
	return true;
}

/* SELECT the open mailbox with what the cache knows. */
static int
acc_select(struct imap_account *a, struct err *e)
{
	struct imap_known	 k;

	memset(&k, 0, sizeof k);
	k.uidvalidity = a->known.uidvalidity;
	k.highestmodseq = a->known.highestmodseq;
	a->step = OPEN_SELECTING;
	a->head_max = 0;
	a->step_id = imap_session_select(a->s, a->mailbox, &k, false, e);
	acc_flush(a);
	if (a->step_id == 0) {
		a->step = OPEN_NONE;
		return -1;
	}
	return 0;
}

int
imap_account_open(struct imap_account *a, const char *mailbox,
    struct err *e)
{
	char			*m = xstrdup(mailbox);

	free(a->mailbox);
	a->mailbox = m;
	a->max_uid = 0;
	memset(&a->known, 0, sizeof a->known);
	a->known_qresync = false;
	free(a->live);
	a->live = NULL;
	a->nlive = a->livecap = 0;
	a->open_waits = false;	/* that was another mailbox */
	acc_paint_stop(a);
	acc_side_forget(a);
	/* paint from the cache at once, newest first: the first screen now,
	 * the rest from the loop (rows the server removes meanwhile leave
	 * the cache first, so a later slice never brings them back) */
	if (a->cache != NULL &&
	    cache_mailbox_peek(a->cache, m, &a->known, e) == 1 &&
	    (a->p.journal_only ? cache_msgs_load_below(a->cache, m, 0, 1,
	    acc_newest_row, a, e) : acc_paint_slice(a, ACC_PAINT_FIRST,
	    e)) == -1)
		(void)acc_paint_failed(a, e);	/* the SELECT below starts
						 * from nothing */
	if (a->s == NULL || !a->ready)
		return 0;	/* selected once logged in */
	return acc_select(a, e);
}

static uint32_t
acc_replay_one(struct imap_account *a, const struct cache_action *act,
    const uint32_t *uids, size_t n, struct err *e)
{
	switch (act->kind) {
	case CACHE_ACT_FLAG_ADD:
	case CACHE_ACT_FLAG_REMOVE:
		return imap_session_store(a->s, uids, n,
		    act->kind == CACHE_ACT_FLAG_ADD, act->arg, e);
	case CACHE_ACT_EXPUNGE:
		return imap_session_expunge(a->s, uids, n, e);
	case CACHE_ACT_COPY:
		return imap_session_copy(a->s, uids, n, act->arg, e);
	case CACHE_ACT_MOVE:
		return imap_session_move(a->s, uids, n, act->arg, e);
	}
	return 0;
}

/* What a journaled action did, for messages: "+\Flagged", "move to X". */
static void
acc_action_text(const struct cache_action *act, struct buf *b)
{
	switch (act->kind) {
	case CACHE_ACT_FLAG_ADD:
		buf_printf(b, "+%s", act->arg != NULL ? act->arg : "");
		break;
	case CACHE_ACT_FLAG_REMOVE:
		buf_printf(b, "-%s", act->arg != NULL ? act->arg : "");
		break;
	case CACHE_ACT_EXPUNGE:
		buf_add_str(b, "expunge");
		break;
	case CACHE_ACT_COPY:
	case CACHE_ACT_MOVE:
		buf_printf(b, "%s to %s", act->kind == CACHE_ACT_COPY ? "copy" :
		    "move", act->arg != NULL ? act->arg : "");
		break;
	}
}

/* Report act (or some of its UIDs) as not applied; *out (if not NULL)
 * the same words. */
static void
acc_conflict(struct imap_account *a, const struct cache_action *act,
    const char *why, struct err *out)
{
	struct imap_acc_event	 ev;
	struct buf		 what = BUF_INIT;

	acc_action_text(act, &what);
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_ACC_CONFLICT;
	ev.mailbox = act->mailbox;
	ev.action = act->id;
	err_set(&ev.err, ERR_REFUSED, "%s: %s of %s in %s not "
	    "applied: %s", a->p.name, buf_str(&what), act->uids, act->mailbox,
	    why);
	log_warn("imap %s", ev.err.msg);
	acc_emit(a, &ev);
	if (out != NULL)
		*out = ev.err;
	buf_fini(&what);
}

/* Action id left the journal (or was answered, without a cache). */
static void
acc_action_done(struct imap_account *a, int64_t id,
    const struct imap_event *done, const struct err *why)
{
	struct imap_acc_event	 ev;
	struct err		 e;

	if (id > 0 && a->cache != NULL &&
	    cache_journal_done(a->cache, id, &e) == -1)
		acc_warn_cache(a, &e);
	memset(&ev, 0, sizeof ev);
	ev.type = IMAP_ACC_ACTION_DONE;
	ev.ev = done;
	ev.mailbox = a->mailbox;
	ev.action = id;
	if (why != NULL)
		ev.err = *why;
	acc_emit(a, &ev);
}

/*
 * The UIDs of a journaled action that still exist on the server into
 * *uids; those gone are reported as a conflict (in *why).  -1 if the
 * action cannot be read.
 */
static int
acc_replay_uids(struct imap_account *a, const struct cache_action *act,
    uint32_t **uids, size_t *nu, struct err *why)
{
	struct imap_range	*r = NULL;
	uint32_t		*gone = NULL;
	size_t			 n = 0, ng = 0, i;
	uint64_t		 u;
	struct buf		 b = BUF_INIT;

	*uids = NULL;
	*nu = 0;
	if (!imap_seqset_parse(act->uids, strlen(act->uids), 1000, &r, &n))
		return -1;
	for (i = 0; i < n; i++)
		for (u = r[i].lo; u <= r[i].hi && *nu + ng < 10000; u++) {
			if (acc_live_has(a, (uint32_t)u)) {
				*uids = xreallocarray(*uids, *nu + 1,
				    sizeof **uids);
				(*uids)[(*nu)++] = (uint32_t)u;
			} else {
				gone = xreallocarray(gone, ng + 1,
				    sizeof *gone);
				gone[ng++] = (uint32_t)u;
			}
		}
	free(r);
	if (ng > 0) {
		imap_seqset_format(&b, gone, ng);
		buf_add_str(&b, ng == 1 ? " was" : " were");
		buf_add_str(&b, " deleted on the server meanwhile");
		acc_conflict(a, act, buf_str(&b), why);
		buf_fini(&b);
	}
	free(gone);
	return 0;
}

/*
 * Send act (its UIDs still on the server), or settle it: 1 if sent (its
 * DONE comes later), 0 if it left the journal, -1 if it stays there (the
 * link went).
 */
static int
acc_replay_act(struct imap_account *a, const struct cache_action *act)
{
	uint32_t	*uids = NULL;
	size_t		 nu = 0;
	struct err	 e, why;

	err_clear(&why);
	err_clear(&e);
	/* RFC 9051 2.3.1.1: with a new UIDVALIDITY the UIDs name other
	 * messages, or none */
	if (act->uidvalidity != a->known.uidvalidity)
		acc_conflict(a, act, "the folder was deleted and made again "
		    "on the server (its UIDVALIDITY changed)", &why);
	else if (acc_replay_uids(a, act, &uids, &nu, &why) == -1)
		acc_conflict(a, act, "the journal entry is unreadable", &why);
	else if (nu > 0) {
		a->replay_action = act->id;
		a->replay_id = acc_replay_one(a, act, uids, nu, &e);
		free(uids);
		if (a->replay_id != 0)
			return 1;
		if (e.cls == ERR_TEMP)
			return -1;	/* not connected after all: keep it */
		acc_conflict(a, act, e.msg, &why);
	}
	free(uids);
	acc_action_done(a, act->id, NULL, &why);
	return 0;
}

/*
 * Replay the open mailbox's journal in order, one action at a time (the
 * next one once the DONE of this one came), so actions reach the server
 * as they were made, whether taken offline or online.
 *
 * An action is replayed on a connection that has its own mailbox
 * selected: a SELECT of another mailbox on this one would end IDLE and
 * NOTIFY here and bring that mailbox's untagged data into this one's
 * state and cache.  So once the open mailbox's journal is empty, each
 * other mailbox with actions waiting gets a side account of its own
 * (acc_side_next).  Order across mailboxes does not matter: a journaled
 * action names UIDs of its own mailbox only.
 */
static void
acc_replay_next(struct imap_account *a)
{
	struct cache_action	 act;
	struct err		 e;
	int64_t			 last = 0;
	int			 rv = -1;

	if (a->retired) {
		acc_retire_check(a);	/* the rest waits in the journal */
		return;
	}
	/* a side account, or a retired one, still on this mailbox goes
	 * first: the same action sent on both would be applied twice */
	if (a->side != NULL && a->mailbox != NULL &&
	    strcmp(a->side->mailbox, a->mailbox) == 0)
		return;		/* acc_side_reap calls again */
	if (a->mailbox != NULL && acc_retired_on(a, a->mailbox))
		return;		/* acc_retire_done calls again */
	while (a->cache != NULL && a->s != NULL && a->step == OPEN_DONE &&
	    a->replay_id == 0 && a->mailbox != NULL &&
	    imap_session_state(a->s) != IMAP_STATE_CLOSED) {
		rv = cache_journal_first_in(a->cache, a->mailbox, &act, &e);
		if (rv == -1)
			acc_warn_cache(a, &e);
		if (rv == 1 && act.id == last) {
			/* it could not be removed: stop rather than spin */
			cache_action_fini(&act);
			rv = -1;
			break;
		}
		if (rv != 1)
			break;
		last = act.id;
		rv = acc_replay_act(a, &act);
		cache_action_fini(&act);
		if (rv != 0)
			break;
	}
	acc_flush(a);
	if (a->replay_id != 0 || a->s == NULL || a->step != OPEN_DONE)
		return;		/* not in step, or not done */
	if (a->p.journal_only || a->finishing)
		imap_account_logout(a);	/* all it came for, or stuck */
	else if (rv == 0)
		acc_side_next(a);
}

/*
 * The side account: one mailbox other than the open one, whose journal
 * waits, opened on a connection of its own with journal_only, and freed
 * once it logged out.  One at a time, each mailbox once per connection of
 * this account (a mailbox the server would not open waits for the next
 * one, or for the user to open it).  What it reports is passed on from
 * the loop, never from inside its own calls: the owner may free this
 * account when told, and with it the side.
 */
static bool
acc_side_tried(const struct imap_account *a, const char *mailbox)
{
	size_t	 i;

	for (i = 0; i < a->nside_tried; i++)
		if (strcmp(a->side_tried[i], mailbox) == 0)
			return true;
	return false;
}

static void
acc_notes_drop(struct imap_account *a)
{
	size_t	 i;

	(void)loop_defer_cancel(a->loop, acc_notes_pass, a);
	for (i = 0; i < a->nnotes; i++)
		free(a->notes[i].mailbox);
	free(a->notes);
	a->notes = NULL;
	a->nnotes = 0;
}

static void
acc_notes_pass(void *arg)
{
	struct imap_account	*a = arg;
	struct acc_note		*notes = a->notes;
	size_t			 n = a->nnotes, i;
	imap_account_cb		 cb = a->cb;
	void			*cb_arg = a->cb_arg;
	struct imap_acc_event	 ev;

	/* taken first: the owner may free a from its callback */
	a->notes = NULL;
	a->nnotes = 0;
	for (i = 0; i < n; i++) {
		memset(&ev, 0, sizeof ev);
		ev.type = notes[i].type;
		ev.action = notes[i].action;
		ev.err = notes[i].err;
		ev.mailbox = notes[i].mailbox;
		cb(cb_arg, &ev);
	}
	for (i = 0; i < n; i++)
		free(notes[i].mailbox);
	free(notes);
}

/* Tell the owner from the loop (see acc_notes_pass). */
static void
acc_note(struct imap_account *a, enum imap_acc_ev_type type, int64_t action,
    const struct err *err, const char *mailbox)
{
	struct acc_note	*no;

	a->notes = xreallocarray(a->notes, a->nnotes + 1, sizeof *a->notes);
	no = &a->notes[a->nnotes++];
	no->type = type;
	no->action = action;
	no->err = *err;
	no->mailbox = dup_or_null(mailbox);
	(void)loop_defer_cancel(a->loop, acc_notes_pass, a);
	loop_defer(a->loop, acc_notes_pass, a);
}

static void
acc_side_reap(void *arg)
{
	struct imap_account	*a = arg;
	struct err		 e;

	if (a->side_sent > 0) {
		err_clear(&e);
		snprintf(e.msg, sizeof e.msg, "%u change%s made offline in %s "
		    "reached the server", a->side_sent, a->side_sent == 1 ?
		    "" : "s", a->side->mailbox);
		acc_note(a, IMAP_ACC_NOTE, 0, &e, a->side->mailbox);
	}
	if (a->side_lost.cls != ERR_NONE) {
		/* not logged in, or cut off: the rest is still journaled */
		err_set(&e, a->side_lost.cls, "changes made offline in %s "
		    "wait: %s", a->side->mailbox, a->side_lost.msg);
		acc_note(a, IMAP_ACC_NOTE, 0, &e, a->side->mailbox);
	}
	imap_account_free(a->side);
	a->side = NULL;
	acc_replay_next(a);	/* the open mailbox's, then the next side */
}

static void
acc_side_event(void *arg, const struct imap_acc_event *ev)
{
	struct imap_account	*a = arg;

	switch (ev->type) {
	case IMAP_ACC_ACTION_DONE:
		if (ev->err.cls == ERR_NONE)
			a->side_sent++;
		/* FALLTHROUGH */
	case IMAP_ACC_CONFLICT:
	case IMAP_ACC_NOTE:
		acc_note(a, ev->type, ev->action, &ev->err, ev->mailbox);
		break;
	case IMAP_ACC_OFFLINE:
		/* logged out, or lost: never freed from inside its calls */
		if (!a->side->stopping && a->side_lost.cls == ERR_NONE)
			a->side_lost = ev->err;
		(void)loop_defer_cancel(a->loop, acc_side_reap, a);
		loop_defer(a->loop, acc_side_reap, a);
		break;
	default:
		break;
	}
}

/* Each mailbox may be tried again (a new connection, or mailbox). */
static void
acc_side_forget(struct imap_account *a)
{
	size_t	 i;

	for (i = 0; i < a->nside_tried; i++)
		free(a->side_tried[i]);
	free(a->side_tried);
	a->side_tried = NULL;
	a->nside_tried = 0;
}

static void
acc_side_stop(struct imap_account *a)
{
	(void)loop_defer_cancel(a->loop, acc_side_reap, a);
	imap_account_free(a->side);
	a->side = NULL;
	acc_side_forget(a);
}

/* Start the side account on the next mailbox whose journal waits. */
static void
acc_side_next(struct imap_account *a)
{
	struct imap_account_params	 p;
	struct err			 e;
	char				**names, *pick = NULL;
	size_t				 n, i;

	if (a->side != NULL || a->p.one_shot || a->p.journal_only ||
	    a->cache == NULL || !a->ready || a->step != OPEN_DONE)
		return;
	if (cache_journal_mailboxes(a->cache, &names, &n, &e) == -1) {
		acc_warn_cache(a, &e);
		return;
	}
	for (i = 0; i < n; i++) {
		if (pick == NULL && strcmp(names[i], a->mailbox) != 0 &&
		    !acc_side_tried(a, names[i]) &&
		    !acc_retired_on(a, names[i]))
			pick = names[i];
		else
			free(names[i]);
	}
	free(names);
	if (pick == NULL)
		return;
	a->side_tried = xreallocarray(a->side_tried, a->nside_tried + 1,
	    sizeof *a->side_tried);
	a->side_tried[a->nside_tried++] = pick;
	p = a->p;
	p.password_later = false;
	p.reconnect = false;
	p.one_shot = true;
	p.journal_only = true;
	p.count_rows = false;
	p.idle = false;
	log_info("imap %s: replaying the journal of %s", a->p.name, pick);
	a->side_sent = 0;
	err_clear(&a->side_lost);
	a->side = imap_account_new(a->loop, &p, acc_side_event, a);
	if (imap_account_open(a->side, pick, &e) == -1) {
		log_warn("imap %s: %s", a->p.name, e.msg);
		imap_account_free(a->side);
		a->side = NULL;
	}
}

/* Journal an action on uids of the open mailbox, replayed on reconnect. */
static int
acc_journal(struct imap_account *a, enum cache_action_kind kind,
    const uint32_t *uids, size_t n, const char *arg, int64_t *id,
    struct err *e)
{
	struct cache_action	 act;
	struct buf		 set = BUF_INIT;
	int			 rv;

	imap_seqset_format(&set, uids, n);
	memset(&act, 0, sizeof act);
	act.kind = kind;
	act.mailbox = a->mailbox;
	act.uidvalidity = a->known.uidvalidity;
	act.uids = (char *)buf_str(&set);
	act.arg = (char *)arg;
	rv = cache_journal_add(a->cache, &act, e);
	if (id != NULL)
		*id = act.id;
	buf_fini(&set);
	return rv;
}

/*
 * Every change goes through the journal and leaves it only once the
 * server answered: one lost with the link mid-command is replayed after
 * the reconnect, and changes reach the server in the order they were made.
 */
int
imap_account_store(struct imap_account *a, const uint32_t *uids, size_t n,
    bool add, const char *flags, struct err *e)
{
	int			 rv;

	acc_cache_now(a);
	if (a->cache == NULL) {
		if (a->s == NULL || !a->ready || a->step != OPEN_DONE)
			return err_set(e, ERR_TEMP, "%s is offline",
			    a->p.name);
		rv = imap_session_store(a->s, uids, n, add, flags, e) == 0 ?
		    -1 : 0;
		acc_flush(a);
		return rv;
	}
	if (a->mailbox == NULL)
		return err_set(e, ERR_INPUT, "%s: no folder open", a->p.name);
	rv = acc_journal(a, add ? CACHE_ACT_FLAG_ADD : CACHE_ACT_FLAG_REMOVE,
	    uids, n, flags, NULL, e);
	if (rv == 0)
		acc_replay_next(a);	/* online: sent now, behind earlier ones */
	return rv;
}

uint32_t
imap_account_expunge(struct imap_account *a, const uint32_t *uids,
    size_t n, struct err *e)
{
	uint32_t	 id;

	if (a->s == NULL || !a->ready || a->step != OPEN_DONE) {
		err_set(e, ERR_TEMP, "%s is offline", a->p.name);
		return 0;
	}
	id = imap_session_expunge(a->s, uids, n, e);
	acc_flush(a);
	return id;
}

uint32_t
imap_account_fetch_body(struct imap_account *a, uint32_t uid,
    const char *section, struct err *e)
{
	uint32_t	 id;

	if (a->s == NULL || !a->ready || a->step != OPEN_DONE) {
		err_set(e, ERR_TEMP, "%s is offline", a->p.name);
		return 0;
	}
	id = imap_session_fetch_body(a->s, uid, section, true, e);
	acc_flush(a);
	return id;
}

int
imap_account_body_get(struct imap_account *a, uint32_t uid,
    const char *section, struct buf *out)
{
	struct err	 e;
	int		 rv;

	if (a->cache == NULL || a->mailbox == NULL)
		return 0;
	if ((rv = cache_body_get(a->cache, a->mailbox, uid, section, out,
	    &e)) == -1)
		acc_warn_cache(a, &e);
	return rv == 1;
}

void
imap_account_check(struct imap_account *a)
{
	if (a->s != NULL) {
		if (a->ready)
			acc_probe(a->probe, a);
		return;
	}
	if (!a->stopping && loop_timer_is_armed(a->retry)) {
		loop_timer_stop(a->retry);
		acc_connect(a);
	}
}

bool
imap_account_sending(const struct imap_account *a)
{
	if (a->s == NULL)
		return false;	/* nothing can come: it stays in the journal */
	return a->replay_id != 0 || a->ndirect > 0 ||
	    (a->side != NULL && imap_account_sending(a->side));
}

size_t
imap_account_waiting(struct imap_account *a)
{
	struct err	 e;
	size_t		 n;

	/* a cache still to be made (acc_cache_now) holds no journal: the
	 * status line's tick does not make it */
	if (a->cache == NULL)
		return 0;
	if (cache_journal_count(a->cache, &n, &e) == -1) {
		acc_warn_cache(a, &e);
		return 0;
	}
	return n;
}

void
imap_account_logout(struct imap_account *a)
{
	struct err	 e;

	a->stopping = true;
	loop_timer_stop(a->retry);
	if (a->s != NULL && imap_session_logout(a->s, &e) != 0)
		acc_flush(a);
}

static void
acc_replay_deferred(void *arg)
{
	acc_replay_next(arg);
}

void
imap_account_finish(struct imap_account *a)
{
	if (a->s == NULL || a->step != OPEN_DONE) {
		imap_account_logout(a);
		return;
	}
	a->finishing = true;	/* acc_replay_next logs out */
	(void)loop_defer_cancel(a->loop, acc_replay_deferred, a);
	loop_defer(a->loop, acc_replay_deferred, a);
}

/* Without a cache a transfer is sent at once; its DONE is its outcome. */
static int
acc_direct_transfer(struct imap_account *a, const uint32_t *uids,
    size_t n, const char *mailbox, bool move, int64_t *id, struct err *e)
{
	uint32_t	 cmd;

	if (a->s == NULL || !a->ready || a->step != OPEN_DONE)
		return err_set(e, ERR_TEMP, "%s is offline", a->p.name);
	cmd = move ? imap_session_move(a->s, uids, n, mailbox, e) :
	    imap_session_copy(a->s, uids, n, mailbox, e);
	acc_flush(a);
	if (cmd == 0)
		return -1;
	a->direct = xreallocarray(a->direct, a->ndirect + 1,
	    sizeof *a->direct);
	a->direct[a->ndirect++] = cmd;
	*id = -(int64_t)cmd;
	return 0;
}

/* Whether cmd is a transfer sent without a cache (forgotten now). */
static bool
acc_direct_take(struct imap_account *a, uint32_t cmd)
{
	size_t	 i;

	for (i = 0; i < a->ndirect; i++)
		if (a->direct[i] == cmd && cmd != 0) {
			a->direct[i] = a->direct[--a->ndirect];
			return true;
		}
	return false;
}

/*
 * Through the journal like a flag change: a move made right after a
 * reconnect must not overtake a flag change still waiting there, or the
 * flag change finds its message gone.
 */
int
imap_account_transfer(struct imap_account *a, const uint32_t *uids,
    size_t n, const char *mailbox, bool move, int64_t *id, struct err *e)
{
	*id = 0;
	acc_cache_now(a);
	if (a->cache == NULL)
		return acc_direct_transfer(a, uids, n, mailbox, move, id, e);
	if (a->mailbox == NULL)
		return err_set(e, ERR_INPUT, "%s: no folder open", a->p.name);
	if (a->known.uidvalidity == 0)
		return err_set(e, ERR_TEMP, "%s: %s is not in step with the "
		    "server yet", a->p.name, a->mailbox);
	if (acc_journal(a, move ? CACHE_ACT_MOVE : CACHE_ACT_COPY, uids, n,
	    mailbox, id, e) == -1)
		return -1;
	/* online: sent now, behind earlier ones; from the loop, so that
	 * the outcome never comes before the caller has the id */
	loop_defer(a->loop, acc_replay_deferred, a);
	return 0;
}

uint32_t
imap_account_create(struct imap_account *a, const char *mailbox,
    struct err *e)
{
	uint32_t	 id;

	if (a->s == NULL || !a->ready) {
		err_set(e, ERR_TEMP, "%s is offline", a->p.name);
		return 0;
	}
	id = imap_session_create(a->s, mailbox, e);
	acc_flush(a);
	return id;
}

uint32_t
imap_account_status(struct imap_account *a, const char *mailbox,
    struct err *e)
{
	uint32_t	 id;

	if (a->s == NULL)
		return err_set(e, ERR_TEMP, "%s is offline", a->p.name), 0;
	id = imap_session_status(a->s, mailbox, e);
	acc_flush(a);
	return id;
}
