/* SPDX-License-Identifier: ISC */
/*
 * An IMAP account's open mailbox as the app's folder.  The imap_account
 * glue does the protocol, the cache and the reconnects; here its events
 * become folder rows (added, flagged, removed) and UI events, and UI
 * actions become STORE / UID EXPUNGE / FETCH requests.  Row numbers are
 * the folder's; each row's UID is kept in a parallel array with a hash
 * from UID to row.  Message texts fetched for reading are kept in a small
 * memory ring (the newest messages are fetched ahead so Enter opens them
 * at once).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/account.h"
#include "app/app.h"
#include "app/app-account.h"
#include "app/folder.h"
#include "app/imap-account.h"
#include "app/msgview.h"
#include "app/uidtab.h"
#include "imap/imap.h"
#include "imap/imap-parse.h"
#include "loop/loop.h"
#include "msg/addr.h"
#include "msg/date.h"
#include "msg/rfc5322.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define AI_BODIES	64		/* message texts kept in memory */
#define AI_BODY_MAX	(8U << 20)	/* bigger ones are not kept */
#define AI_PREFETCH	16		/* newest messages fetched ahead */
/*
 * New mail's text is fetched this long after it arrived, together: each
 * fetch ends IDLE, and Dovecot holds back the next change it has to tell
 * (0.5 s) after IDLE starts again, so another client's flag on the new
 * message (a phone marking it read, a filter) reached the screen 0.35 s
 * after a plain IDLE connection saw it.
 */
#define AI_NEWMAIL_MS	1000

struct ai_body {
	uint32_t	 uid;
	struct buf	 text;
};

struct app_imap {
	struct app		*app;
	struct imap_account	*acct;
	char			*mailbox;
	struct uidtab		 tab;		/* rows by UID (a row's UID is
						 * its folder order key) */
	struct loop_timer	*rebuild_timer;	/* armed: a rebuild is due */
	uint64_t		 rebuild_next;	/* no rebuild before this */
	bool			 opened;
	bool			 streaming;	/* headers in chunks, not open */
	struct ai_body		 bodies[AI_BODIES];
	size_t			 nextbody;
	uint32_t		 pending;	/* UID the user waits for */
	uint32_t		 asked[AI_BODIES];	/* bodies in flight */
	struct loop_timer	*tick;		/* offline countdown */
	uint64_t		 retry_at;
	char			 offline[256];
	char			 state[320];
	uint32_t		 asked_id[AI_BODIES];	/* their FETCH */
	struct imap_account_params p;	/* to log in later (no password) */
	bool			 later;		/* p is held */
	bool			 typed;		/* the user typed it */
	struct account_pwcmd	*pwcmd;		/* password_command running */
	char			*cmd;		/* password_command, or NULL */
	bool			 ask_queued;	/* need_password deferred */
	char			 refusal[256];	/* the server's, at login */
	struct ai_xfer		*xfer;		/* moves and copies */
	struct buf		 rowtext[5];	/* ai_add's, kept between rows */
	struct loop_timer	*newmail;	/* armed: new mail's text is due */
	uint32_t		 newuids[AI_PREFETCH];
	size_t			 nnew;
	uint32_t		*gone;		/* EXPUNGEd UIDs, rows not */
	size_t			 ngone, gonecap;	/* yet removed */
};

struct ai_xfer;
static void	ai_rebuild_now(struct loop_timer *, void *);
static void	ai_xfer_action(struct app_imap *, const struct imap_acc_event *);
static bool	ai_xfer_has(struct app_imap *, int64_t);
static void	ai_xfer_created(struct app_imap *, const struct imap_event *);
static int	ai_xfer_send(struct app_imap *, uint32_t, const char *, bool,
		    struct err *);
static void	ai_xfer_offline(struct app_imap *);
static void	ai_xfer_free(struct ai_xfer *);
static const struct app_backend_xfer ai_backend_xfer;
static struct ai_body *ai_body_cached(struct app_imap *, uint32_t);
static void	ai_event(void *, const struct imap_acc_event *);
static void	ai_pending_done(struct app_imap *, const struct err *);

/* UID to row */

/* The UID of row of f (ai_add makes it the row's order key). */
static uint32_t
ai_uid(const struct folder *f, size_t row)
{
	return folder_row(f, (uint32_t)row)->order;
}

static void
ai_tab_rebuild(struct app_imap *ai)
{
	struct folder	*f = app_folder(ai->app);
	size_t		 n = f != NULL ? folder_count(f) : 0, i;

	uidtab_clear(&ai->tab);
	for (i = 0; i < n; i++)
		uidtab_put(&ai->tab, ai_uid(f, i), (uint32_t)i);
}

static uint32_t
ai_row(const struct app_imap *ai, uint32_t uid)
{
	return uidtab_get(&ai->tab, uid);
}

/* Flags */

static unsigned int
ai_flag_bit(const char *p, size_t len)
{
	static const struct {
		const char	*name;
		unsigned int	 bit;
	} map[] = {
		{ "\\Seen", FOLDER_SEEN },
		{ "\\Answered", FOLDER_ANSWERED },
		{ "\\Flagged", FOLDER_FLAGGED },
		{ "\\Deleted", FOLDER_DELETED },
		{ "\\Draft", FOLDER_DRAFT },
		{ "$Forwarded", FOLDER_PASSED },
	};
	size_t	 i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strlen(map[i].name) == len &&
		    strncasecmp(map[i].name, p, len) == 0)
			return map[i].bit;
	return 0;
}

/* FOLDER_* bits of a space-separated flag list. */
static unsigned int
ai_flags_text(const char *s)
{
	unsigned int	 bits = 0;
	size_t		 n;

	while (s != NULL && *s != '\0') {
		n = strcspn(s, " ");
		bits |= ai_flag_bit(s, n);
		s += n;
		s += strspn(s, " ");
	}
	return bits;
}

static unsigned int
ai_flags_fetch(const struct imap_fetch *f)
{
	unsigned int	 bits = 0;
	size_t		 i;

	for (i = 0; i < f->flags.n; i++)
		bits |= ai_flag_bit(f->flags.v[i].p, f->flags.v[i].len);
	return bits;
}

#define AI_SERVER_FLAGS	(FOLDER_SEEN | FOLDER_ANSWERED | FOLDER_FLAGGED | \
	FOLDER_DELETED | FOLDER_DRAFT | FOLDER_PASSED)

/* Rows */

/*
 * The view is sorted (and threaded) again once per loop pass that
 * added rows, but while headers stream in, a rebuild of a large folder
 * costs more than the pass that called for it (a threaded 100,000 rows
 * take tens of milliseconds, and a stream brings ~100 passes).  So after
 * each rebuild the next waits AI_REBUILD_RATIO times as long as that one
 * took: rebuilds take at most 1/(1 + ratio) of the time, small folders
 * (a rebuild under a millisecond) see no delay, and the last rows are
 * shown at once when the mailbox is open (ai_rebuild_later's now).
 */
#define AI_REBUILD_RATIO	4

static void
ai_rebuild_later(struct app_imap *ai, bool now)
{
	uint64_t	 when = loop_now(), armed;

	if (!now && ai->rebuild_next > when)
		when = ai->rebuild_next;
	armed = loop_timer_deadline(ai->rebuild_timer);
	if (armed == 0 || armed > when)
		loop_timer_set_at(ai->rebuild_timer, when);
}

static void
ai_rebuild_now(struct loop_timer *t, void *arg)
{
	struct app_imap	*ai = arg;
	struct folder	*f = app_folder(ai->app);
	uint64_t	 t0, t1;

	(void)t;
	if (f == NULL)
		return;
	t0 = loop_now();
	folder_view_rebuild(f);
	app_emit_folder_changed(ai->app);
	t1 = loop_now();
	ai->rebuild_next = t1 + (t1 - t0) * AI_REBUILD_RATIO;
}

/* The last <id> of s, into out. */
static void
ai_last_id(const char *s, struct buf *out)
{
	const char	*lt, *gt;

	if (s == NULL)
		return;
	if ((lt = strrchr(s, '<')) != NULL && (gt = strchr(lt, '>')) != NULL)
		buf_add(out, lt + 1, (size_t)(gt - lt - 1));
}

static bool
ai_is_me(const char *me, const char *addr)
{
	const char	*p;
	size_t		 n = strlen(addr);

	if (me == NULL || n == 0)
		return false;
	for (p = me; (p = strcasestr(p, addr)) != NULL; p += n)
		if ((p == me || p[-1] == ',' || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return true;
	return false;
}

/* The first address of list s: display text to show, addr-spec to spec. */
static void
ai_addr(const char *s, struct buf *show, struct buf *spec)
{
	struct addr_list	 l;

	if (s == NULL)
		return;
	memset(&l, 0, sizeof l);
	if (addr_list_parse(&l, s, strlen(s), NULL) > 0) {
		buf_add_str(show, l.v[0].name != NULL && *l.v[0].name != '\0' ?
		    l.v[0].name : l.v[0].addr);
		if (spec != NULL)
			buf_add_str(spec, l.v[0].addr);
	}
	addr_list_fini(&l);
}

/*
 * uid in decimal, the row's key, in key (11 bytes at least); returned.
 * Not snprintf: a cold open of 100,000 rows spent 1.5% of its loop in
 * it.
 */
static const char *
ai_uid_key(char *key, uint32_t uid)
{
	char	 tmp[10];
	size_t	 n = 0, i;

	do
		tmp[n++] = (char)('0' + uid % 10);
	while ((uid /= 10) > 0);
	for (i = 0; i < n; i++)
		key[i] = tmp[n - 1 - i];
	key[n] = '\0';
	return key;
}

/* Add a row for m (not yet in the folder); the view is not rebuilt. */
static void
ai_add(struct app_imap *ai, const struct cache_msg *m)
{
	struct folder		*f = app_folder(ai->app);
	struct folder_msg	 fm;
	struct buf		*b = ai->rowtext;
	struct buf		*msgid = &b[0], *parent = &b[1];
	struct buf		*from = &b[2], *fromaddr = &b[3], *to = &b[4];
	const char		*faddr;
	char			 key[16];
	size_t			 i;
	time_t			 t;
	uint32_t		 row;

	if (f == NULL || m->uid == 0)
		return;
	for (i = 0; i < sizeof ai->rowtext / sizeof ai->rowtext[0]; i++)
		buf_reset(&b[i]);
	memset(&fm, 0, sizeof fm);
	/* rows come decoded (cache.h); parse only what an old row lacks */
	if (m->from_show != NULL) {
		fm.from = m->from_show;
		faddr = m->from_addr != NULL ? m->from_addr : "";
		fm.to = m->to_show != NULL ? m->to_show : "";
	} else {
		ai_addr(m->from, from, fromaddr);
		ai_addr(m->to, to, NULL);
		fm.from = buf_str(from);
		faddr = buf_str(fromaddr);
		fm.to = buf_str(to);
	}
	fm.subject = m->subject != NULL ? m->subject : "";
	ai_last_id(m->message_id, msgid);
	ai_last_id(m->in_reply_to, parent);
	fm.key = ai_uid_key(key, m->uid);
	fm.msgid = buf_str(msgid);
	fm.parent = buf_str(parent);
	fm.received = m->internaldate > 0 ? m->internaldate : 0;
	if (m->sent >= 0)
		fm.date = m->sent;
	else if (m->from_show == NULL && m->date != NULL &&
	    date_parse(m->date, strlen(m->date), &t, NULL) != DATE_INVALID)
		fm.date = t;
	else
		fm.date = fm.received;
	fm.size = m->size;
	fm.order = m->uid;	/* rows come newest first, chunk by chunk */
	fm.flags = ai_flags_text(m->flags);
	if (ai_is_me(app_me(ai->app), faddr))
		fm.flags |= FOLDER_FROMME;
	row = folder_add(f, &fm);
	uidtab_put(&ai->tab, m->uid, row);
}

/*
 * Drop the rows whose gone[] is set.  folder_remove_deleted() drops rows
 * by their deleted flag, so the user's own marks are set aside meanwhile.
 */
static size_t
ai_remove(struct app_imap *ai, const bool *gone)
{
	struct folder		*f = app_folder(ai->app);
	const struct folder_row	*r;
	size_t			 n, i, j, removed;
	bool			*marked;

	if (f == NULL)
		return 0;
	n = folder_count(f);
	for (i = 0; ai->pending != 0 && i < n; i++)
		if (gone[i] && ai_uid(f, i) == ai->pending) {
			struct err	 e;

			/* reported while row i is still its row */
			err_set(&e, ERR_PROTO, "this message was deleted on "
			    "the server");
			ai_pending_done(ai, &e);
		}
	marked = xcalloc(n ? n : 1, sizeof *marked);
	for (i = 0; i < n; i++) {
		r = folder_row(f, (uint32_t)i);
		marked[i] = (r->flags & FOLDER_DELETED) != 0;
		if (gone[i])
			folder_flags_set(f, (uint32_t)i,
			    r->flags | FOLDER_DELETED);
		else if (marked[i])
			folder_flags_set(f, (uint32_t)i,
			    r->flags & ~FOLDER_DELETED);
	}
	removed = folder_remove_deleted(f, NULL, NULL);
	for (i = j = 0; i < n; i++) {
		if (gone[i])
			continue;
		if (marked[i]) {
			r = folder_row(f, (uint32_t)j);
			folder_flags_set(f, (uint32_t)j,
			    r->flags | FOLDER_DELETED);
		}
		j++;
	}
	free(marked);
	ai_tab_rebuild(ai);
	if (removed > 0)
		ai_rebuild_later(ai, false);
	return removed;
}

/*
 * Remove the rows of UIDs in set (keep: those NOT in set): a search of
 * the sorted set per row, so a VANISHED of many ranges costs the rows
 * times its log, not times its size.
 */
static void
ai_remove_set(struct app_imap *ai, const struct imap_seqset *set, bool keep)
{
	struct folder		*f = app_folder(ai->app);
	struct imap_range	*r;
	size_t			 n, nr, i, k = 0;
	bool			*gone;

	if (f == NULL || (n = folder_count(f)) == 0)
		return;
	nr = imap_seqset_sorted(set, &r);
	gone = xcalloc(n, sizeof *gone);
	for (i = 0; i < n; i++)
		if ((gone[i] = imap_ranges_have(r, nr, ai_uid(f, i)) != keep))
			k++;
	if (k > 0)
		ai_remove(ai, gone);
	free(gone);
	free(r);
}

/*
 * The rows of the UIDs EXPUNGEd since the last call go, in one pass.  A
 * server without QRESYNC sends one EXPUNGE per message: removing each
 * row at once (a pass over the index and a new UID table each) held the
 * screen 18.7 s for an expunge of 5,000 of 30,000 messages.
 */
static void
ai_gone_flush(void *arg)
{
	struct app_imap	*ai = arg;
	struct folder	*f = app_folder(ai->app);
	uint32_t	 row;
	size_t		 i, k = 0;
	bool		*gone;

	if (ai->ngone == 0)
		return;
	(void)loop_defer_cancel(app_loop(ai->app), ai_gone_flush, ai);
	if (f != NULL && folder_count(f) > 0) {
		gone = xcalloc(folder_count(f), sizeof *gone);
		for (i = 0; i < ai->ngone; i++)
			if ((row = ai_row(ai, ai->gone[i])) != UINT32_MAX &&
			    !gone[row]) {
				gone[row] = true;
				k++;
			}
		if (k > 0)
			ai_remove(ai, gone);
		free(gone);
	}
	ai->ngone = 0;
}

/* uid's row goes with the others of this read (ai_gone_flush). */
static void
ai_remove_uid(struct app_imap *ai, uint32_t uid)
{
	if (ai->ngone == 0)
		loop_defer(app_loop(ai->app), ai_gone_flush, ai);
	if (ai->ngone == ai->gonecap) {
		ai->gonecap = ai->gonecap ? ai->gonecap * 2 : 64;
		ai->gone = xreallocarray(ai->gone, ai->gonecap,
		    sizeof *ai->gone);
	}
	ai->gone[ai->ngone++] = uid;
}

/* Message texts */

static struct ai_body *
ai_body(struct app_imap *ai, uint32_t uid)
{
	size_t	 i;

	for (i = 0; i < AI_BODIES; i++)
		if (ai->bodies[i].uid == uid && uid != 0)
			return &ai->bodies[i];
	return NULL;
}

static bool
ai_asked(struct app_imap *ai, uint32_t uid, bool add)
{
	size_t	 i;

	for (i = 0; i < AI_BODIES; i++)
		if (ai->asked[i] == uid)
			return true;
	if (!add)
		return false;
	for (i = 0; i < AI_BODIES; i++)
		if (ai->asked[i] == 0) {
			ai->asked[i] = uid;
			return false;
		}
	return true;	/* too many in flight: wait */
}

static void
ai_asked_clear(struct app_imap *ai, uint32_t uid)
{
	size_t	 i;

	for (i = 0; i < AI_BODIES; i++)
		if (ai->asked[i] == uid) {
			ai->asked[i] = 0;
			ai->asked_id[i] = 0;
		}
}

/* Remember which FETCH asks for uid, to tell when it ended without it. */
static void
ai_asked_id_set(struct app_imap *ai, uint32_t uid, uint32_t id)
{
	size_t	 i;

	for (i = 0; i < AI_BODIES; i++)
		if (ai->asked[i] == uid)
			ai->asked_id[i] = id;
}

/* The message the user waits for is here (e NULL) or will not come. */
static void
ai_pending_done(struct app_imap *ai, const struct err *e)
{
	uint32_t	 row = ai_row(ai, ai->pending);

	ai->pending = 0;
	if (row != UINT32_MAX)
		app_emit_message_ready(ai->app, row, e);
}

/*
 * Command id ended: a text it asked for and did not bring will not come
 * (the message was expunged meanwhile, or the server said NO).
 */
static void
ai_fetch_ended(struct app_imap *ai, const struct imap_event *ev)
{
	struct err	 e;
	uint32_t	 uid;
	size_t		 i;

	if (ev->cmd_id == 0)
		return;
	for (i = 0; i < AI_BODIES; i++) {
		if (ai->asked_id[i] != ev->cmd_id || ai->asked[i] == 0)
			continue;
		uid = ai->asked[i];
		ai->asked[i] = 0;
		ai->asked_id[i] = 0;
		if (uid != ai->pending)
			continue;
		if (ev->err.cls != ERR_NONE)
			e = ev->err;
		else
			err_set(&e, ERR_PROTO, "the server sent no text for "
			    "this message (deleted elsewhere?)");
		ai_pending_done(ai, &e);
	}
}

/* Ask for the text of uid unless held or asked for.  0, or -1 with e. */
static int
ai_fetch_body(struct app_imap *ai, uint32_t uid, struct err *e)
{
	uint32_t	 id;

	if (ai_body(ai, uid) != NULL || ai_asked(ai, uid, false))
		return 0;
	if (!ai->opened)
		return err_set(e, ERR_TEMP, "offline: this message is not "
		    "here yet");
	if ((id = imap_account_fetch_body(ai->acct, uid, "", e)) == 0)
		return -1;
	ai_asked(ai, uid, true);
	ai_asked_id_set(ai, uid, id);
	return 0;
}

/* The text of the new mail of the last AI_NEWMAIL_MS still here. */
static void
ai_newmail_fetch(struct loop_timer *t, void *arg)
{
	struct app_imap	*ai = arg;
	struct err	 e;
	size_t		 i;

	(void)t;
	for (i = 0; i < ai->nnew && ai->opened; i++)
		if (ai_row(ai, ai->newuids[i]) != UINT32_MAX &&
		    ai_fetch_body(ai, ai->newuids[i], &e) == -1)
			break;
	ai->nnew = 0;
}

/*
 * The AI_PREFETCH highest UIDs of the first n rows (the newest mail),
 * highest first, into top; how many.  Rows are in no UID order: a cold
 * open adds the newest chunk first, each chunk oldest first, and a warm
 * one loads the newest first.
 */
static size_t
ai_newest(const struct folder *f, size_t n, uint32_t *top)
{
	size_t		 i, j, k = 0;
	uint32_t	 u;

	for (i = 0; i < n; i++) {
		u = ai_uid(f, i);
		if (k == AI_PREFETCH && u <= top[k - 1])
			continue;
		j = k < AI_PREFETCH ? k++ : k - 1;
		for (; j > 0 && top[j - 1] < u; j--)
			top[j] = top[j - 1];
		top[j] = u;
	}
	return k;
}

/*
 * Fetch the newest mail's text ahead (deferred by ai_event to the pass
 * after the one that shows the mailbox open: looking in the cache first
 * waits for the last rows to be written).
 */
static void
ai_prefetch(void *arg)
{
	struct app_imap	*ai = arg;
	struct folder	*f = app_folder(ai->app);
	uint32_t	 top[AI_PREFETCH];
	size_t		 n, i;
	struct err	 e;

	if (f == NULL || !ai->opened)
		return;
	n = ai_newest(f, folder_count(f), top);
	for (i = 0; i < n; i++) {
		if (ai_body(ai, top[i]) != NULL ||
		    ai_body_cached(ai, top[i]) != NULL)
			continue;
		if (ai_fetch_body(ai, top[i], &e) == -1)
			break;
	}
}

/* A free slot of the ring (the oldest text goes), for uid. */
static struct ai_body *
ai_body_slot(struct app_imap *ai, uint32_t uid)
{
	struct ai_body	*b = &ai->bodies[ai->nextbody];

	ai->nextbody = (ai->nextbody + 1) % AI_BODIES;
	buf_fini(&b->text);
	buf_init(&b->text);
	b->uid = uid;
	return b;
}

/* The text of uid from the account's cache (kept from an earlier read). */
static struct ai_body *
ai_body_cached(struct app_imap *ai, uint32_t uid)
{
	struct buf	 t = BUF_INIT;
	struct ai_body	*b;

	if (!imap_account_body_get(ai->acct, uid, "", &t)) {
		buf_fini(&t);
		return NULL;
	}
	b = ai_body_slot(ai, uid);
	b->text = t;
	return b;
}

static void
ai_on_body(struct app_imap *ai, const struct imap_event *ev)
{
	struct ai_body	*b;
	const struct imap_section *sec = ev->section;

	ai_asked_clear(ai, ev->uid);
	if (sec == NULL || sec->spec.len != 0)
		return;
	if (sec->data.p == NULL) {
		/* BODY[] NIL: expunged by another client meanwhile */
		if (ev->uid == ai->pending && ev->uid != 0) {
			struct err	 e;

			err_set(&e, ERR_PROTO, "the server has no text for "
			    "this message (deleted elsewhere?)");
			ai_pending_done(ai, &e);
		}
		return;
	}
	/* a big text is kept only for the reader waiting for it */
	if (sec->data.len > AI_BODY_MAX && ev->uid != ai->pending)
		return;
	if ((b = ai_body(ai, ev->uid)) == NULL)
		b = ai_body_slot(ai, ev->uid);
	buf_reset(&b->text);
	buf_add(&b->text, sec->data.p, sec->data.len);
	if (ev->uid == ai->pending && ev->uid != 0)
		ai_pending_done(ai, NULL);
}

/* State words */

static void
ai_state(struct app_imap *ai, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ai_state(struct app_imap *ai, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(ai->state, sizeof ai->state, fmt, ap);
	va_end(ap);
	app_emit_state_changed(ai->app);
}

/* " · N changes wait" while the journal holds some, else "". */
static const char *
ai_waiting(struct app_imap *ai, char *b, size_t len)
{
	size_t	 n = ai->acct != NULL ? imap_account_waiting(ai->acct) : 0;

	b[0] = '\0';
	if (n > 0)
		snprintf(b, len, " · %zu change%s wait%s", n,
		    n == 1 ? "" : "s", n == 1 ? "s" : "");
	return b;
}

static void
ai_tick(struct loop_timer *t, void *arg)
{
	struct app_imap	*ai = arg;
	uint64_t	 now = loop_now();
	unsigned int	 left;
	char		 w[48];

	if (ai->retry_at == 0)
		return;
	left = ai->retry_at > now ?
	    (unsigned int)((ai->retry_at - now + 999) / 1000) : 0;
	ai_state(ai, "offline%s — retrying in %u s (%s)",
	    ai_waiting(ai, w, sizeof w), left, ai->offline);
	if (left > 0)
		loop_timer_set(t, 1000, 0);
}

static void
ai_on_session(struct app_imap *ai, const struct imap_event *ev,
    const struct cache_msg *msg)
{
	struct folder	*f = app_folder(ai->app);
	uint32_t	 row;
	unsigned int	 bits;

	switch (ev->type) {
	case IMAP_EV_STATE:
		ai->retry_at = 0;
		/* with password_command running, the login waits for it */
		if (ai->pwcmd != NULL && ev->state <= IMAP_STATE_AUTHENTICATING)
			ai_state(ai, "running password_command");
		else if (ev->state <= IMAP_STATE_STARTTLS)
			ai_state(ai, "connecting");
		else if (ev->state <= IMAP_STATE_AUTHENTICATING)
			ai_state(ai, "logging in");
		else if (ev->state == IMAP_STATE_AUTH ||
		    ev->state == IMAP_STATE_SELECTED)
			ai_state(ai, "connected · syncing");
		break;
	case IMAP_EV_PROGRESS:
		ai->streaming = !ai->opened;
		ai_state(ai, "syncing %u/%u", ev->done, ev->total);
		break;
	case IMAP_EV_MESSAGE:
		if (f == NULL || ev->uid == 0)
			break;
		if ((row = ai_row(ai, ev->uid)) == UINT32_MAX) {
			/* the glue made the row (decoded) from the headers */
			if (msg == NULL)
				break;
			ai_add(ai, msg);
			ai_rebuild_later(ai, false);
			/* new mail while open: its text soon (AI_NEWMAIL_MS) */
			if (ai->opened && ai->nnew < AI_PREFETCH) {
				ai->newuids[ai->nnew++] = ev->uid;
				if (!loop_timer_is_armed(ai->newmail))
					loop_timer_set(ai->newmail,
					    AI_NEWMAIL_MS, 0);
			}
			break;
		}
		/* the head start's rows come again with their size */
		if ((ev->fetch->have & IMAP_FETCH_SIZE) &&
		    folder_size_set(f, row, ev->fetch->size)) {
			if (folder_sort_get(f, NULL) == FOLDER_SORT_SIZE)
				ai_rebuild_later(ai, false);
			app_emit_row_changed(ai->app, row);
		}
		if (!(ev->fetch->have & IMAP_FETCH_FLAGS))
			break;
		bits = ai_flags_fetch(ev->fetch);
		bits |= folder_row(f, row)->flags & ~AI_SERVER_FLAGS;
		if (bits & FOLDER_SEEN)
			bits &= ~FOLDER_RECENT;
		if (bits != folder_row(f, row)->flags) {
			folder_flags_set(f, row, bits);
			app_emit_row_changed(ai->app, row);
		}
		break;
	case IMAP_EV_BODY:
		ai_on_body(ai, ev);
		break;
	case IMAP_EV_EXPUNGE:
		if (ev->uid != 0)
			ai_remove_uid(ai, ev->uid);
		break;
	case IMAP_EV_VANISHED:
		ai_gone_flush(ai);
		ai_remove_set(ai, ev->uids, false);
		break;
	case IMAP_EV_UIDS:
		ai_gone_flush(ai);
		ai_remove_set(ai, ev->uids, true);
		break;
	case IMAP_EV_RESYNC:
		ai->ngone = 0;	/* every row goes */
		if (f != NULL && folder_count(f) > 0) {
			bool	*gone = xcalloc(folder_count(f), sizeof *gone);

			memset(gone, 1, folder_count(f) * sizeof *gone);
			ai_remove(ai, gone);
			free(gone);
		}
		break;
	case IMAP_EV_ALERT:
		app_emit_note(ai->app, APP_NOTE_ERROR, ev->text);
		break;
	case IMAP_EV_WARN:
		app_emit_note(ai->app, APP_NOTE_INFO, ev->err.msg);
		break;
	case IMAP_EV_DONE:
		if (ev->err.cls == ERR_AUTH)	/* shown if the login ends */
			snprintf(ai->refusal, sizeof ai->refusal, "%s",
			    ev->err.msg);
		if (ev->err.cls != ERR_NONE && ev->err.msg[0] != '\0' &&
		    ai->opened)
			app_emit_note(ai->app, APP_NOTE_ERROR, ev->err.msg);
		ai_fetch_ended(ai, ev);
		break;
	default:
		break;
	}
}

/* Passwords */

static void
ai_ask(void *arg)
{
	struct app_imap	*ai = arg;

	const char	*why = ai->refusal, *p;

	ai->ask_queued = false;
	/* the server's words: "LOGIN failed: [AUTHENTICATIONFAILED] ..." */
	if ((p = strstr(why, "failed: ")) != NULL)
		why = p + strlen("failed: ");
	if (*why != '\0')
		ai_state(ai, "login refused: %s", why);
	else
		ai_state(ai, "waiting for the password");
	app_emit_need_password(ai->app, ai->p.name);
}

/* Ask the user, from the loop (the UI may not be listening yet). */
static void
ai_ask_later(struct app_imap *ai)
{
	if (ai->ask_queued)
		return;
	ai->ask_queued = true;
	loop_defer(app_loop(ai->app), ai_ask, ai);
}

/*
 * The login was refused: say why (the server's words), and ask again if
 * the user typed the password.  False if ev is not a refusal.
 */
static bool
ai_refused(struct app_imap *ai, const struct imap_acc_event *ev)
{
	const char	*why;

	if (ev->err.cls != ERR_AUTH)
		return false;
	why = ai->refusal[0] != '\0' ? ai->refusal : ev->err.msg;
	ai->retry_at = 0;
	snprintf(ai->offline, sizeof ai->offline, "%s", why);
	ai_state(ai, "offline: login refused");
	app_emit_note(ai->app, APP_NOTE_ERROR, why);
	if (ai->later && ai->typed) {
		app_secret_set(ai->app, ai->p.name, NULL);
		ai_ask_later(ai);
	}
	return true;
}

/* Drop the account (a refused or password-less connection). */
static void
ai_drop(struct app_imap *ai)
{
	struct imap_account	*old = ai->acct;

	/* the old account's last words are not for us */
	ai->acct = NULL;
	imap_account_free(old);
	ai->opened = false;
	ai->streaming = false;
	ai->pending = 0;
	memset(ai->asked, 0, sizeof ai->asked);
	memset(ai->asked_id, 0, sizeof ai->asked_id);
	ai->refusal[0] = '\0';
}

/*
 * Log in (again) with password, replacing a refused connection; NULL:
 * password_command runs, and the connection, TLS and the cache go ahead
 * meanwhile (ai_pwcmd_done hands the password over).
 */
static void
ai_login(struct app_imap *ai, const char *password)
{
	struct imap_account_params	 p = ai->p;
	struct err			 e;

	ai_drop(ai);
	p.password = password;
	p.password_later = password == NULL;
	ai->acct = imap_account_new(app_loop(ai->app), &p, ai_event, ai);
	ai_state(ai, "connecting");
	if (imap_account_open(ai->acct, ai->mailbox, &e) == -1)
		app_emit_note(ai->app, APP_NOTE_ERROR, e.msg);
}

static void
ai_pwcmd_done(void *arg, const char *password, const struct err *e)
{
	struct app_imap	*ai = arg;

	account_pwcmd_free(ai->pwcmd);
	ai->pwcmd = NULL;
	if (password == NULL) {
		ai_drop(ai);
		ai_state(ai, "offline: %s", e->msg);
		app_emit_note(ai->app, APP_NOTE_ERROR, e->msg);
		return;
	}
	ai->typed = false;
	if (ai->acct == NULL || !imap_account_password(ai->acct, password))
		ai_login(ai, password);
}

static void
ai_event(void *arg, const struct imap_acc_event *ev)
{
	struct app_imap	*ai = arg;

	if (ai->acct == NULL)		/* going: see ai_login(), ai_free() */
		return;
	switch (ev->type) {
	case IMAP_ACC_SESSION:
		/* the folder list's LIST / STATUS answers */
		app_folders_imap_event(app_folders(ai->app), ev->ev);
		ai_on_session(ai, ev->ev, ev->msg);
		ai_xfer_created(ai, ev->ev);
		break;
	case IMAP_ACC_CACHED:
		if (ai_row(ai, ev->msg->uid) == UINT32_MAX)
			ai_add(ai, ev->msg);
		ai_rebuild_later(ai, false);
		break;
	case IMAP_ACC_OPENED:
		ai->opened = true;
		ai->streaming = false;
		ai->refusal[0] = '\0';
		ai->retry_at = 0;
		ai_state(ai, "connected · idle");
		ai_rebuild_later(ai, true);
		loop_defer_next(app_loop(ai->app), ai_prefetch, ai);
		app_folders_imap_ready(app_folders(ai->app));
		break;
	case IMAP_ACC_OFFLINE:
		ai_xfer_offline(ai);
		ai->opened = false;
		ai->streaming = false;
		memset(ai->asked, 0, sizeof ai->asked);
		memset(ai->asked_id, 0, sizeof ai->asked_id);
		if (ai->pending != 0) {
			struct err	 e;

			err_set(&e, ev->err.cls, "offline: %s", ev->err.msg);
			ai_pending_done(ai, &e);
		}
		if (ai_refused(ai, ev))
			break;
		snprintf(ai->offline, sizeof ai->offline, "%s", ev->err.msg);
		if (ev->retry_in == 0) {
			char	 w[48];

			ai->retry_at = 0;
			ai_state(ai, "offline%s: %s",
			    ai_waiting(ai, w, sizeof w), ai->offline);
			break;
		}
		ai->retry_at = loop_now() + (uint64_t)ev->retry_in * 1000;
		ai_tick(ai->tick, ai);
		break;
	case IMAP_ACC_CONFLICT:
		/* a move's or copy's says so itself, with the row restored */
		if (!ai_xfer_has(ai, ev->action))
			app_emit_note(ai->app, APP_NOTE_ERROR, ev->err.msg);
		break;
	case IMAP_ACC_ACTION_DONE:
		ai_xfer_action(ai, ev);
		break;
	case IMAP_ACC_NOTE:
		app_emit_note(ai->app, ev->err.cls == ERR_NONE ? APP_NOTE_INFO :
		    APP_NOTE_ERROR, ev->err.msg);
		break;
	}
}

/* The backend hooks (app-account.h) */

static void
ai_free(void *arg)
{
	struct app_imap	*ai = arg;
	size_t		 i;

	struct imap_account	*acct;

	if (ai == NULL)
		return;
	/* first the account; what it still reports is dropped, and changes
	 * it sent are answered first (a copy cut off could be made twice;
	 * app_free() frees what is left) */
	acct = ai->acct;
	ai->acct = NULL;
	imap_account_retire(acct);
	account_pwcmd_free(ai->pwcmd);
	if (ai->ask_queued)
		loop_defer_cancel(app_loop(ai->app), ai_ask, ai);
	if (ai->later)
		imap_account_params_fini(&ai->p);
	free(ai->cmd);
	loop_timer_free(ai->rebuild_timer);
	for (i = 0; i < sizeof ai->rowtext / sizeof ai->rowtext[0]; i++)
		buf_fini(&ai->rowtext[i]);
	loop_timer_free(ai->tick);
	loop_timer_free(ai->newmail);
	(void)loop_defer_cancel(app_loop(ai->app), ai_prefetch, ai);
	(void)loop_defer_cancel(app_loop(ai->app), ai_gone_flush, ai);
	free(ai->gone);
	for (i = 0; i < AI_BODIES; i++)
		buf_fini(&ai->bodies[i].text);
	uidtab_fini(&ai->tab);
	free(ai->mailbox);
	ai_xfer_free(ai->xfer);
	free(ai);
}

static const char *
ai_state_text(void *arg)
{
	struct app_imap	*ai = arg;

	return ai->state;
}

static enum app_phase
ai_phase(void *arg)
{
	struct app_imap	*ai = arg;

	if (ai->streaming)
		return APP_PHASE_STREAMING;
	if (ai->acct != NULL && imap_account_connecting(ai->acct))
		return APP_PHASE_CONNECTING;
	return APP_PHASE_OTHER;
}

static int
ai_flags_change(void *arg, uint32_t row, unsigned int flags, struct err *e)
{
	static const struct {
		unsigned int	 bit;
		const char	*name;
	} map[] = {
		{ FOLDER_SEEN, "\\Seen" },
		{ FOLDER_ANSWERED, "\\Answered" },
		{ FOLDER_FLAGGED, "\\Flagged" },
		{ FOLDER_DELETED, "\\Deleted" },
		{ FOLDER_DRAFT, "\\Draft" },
	};
	struct app_imap	*ai = arg;
	struct folder	*f = app_folder(ai->app);
	unsigned int	 old;
	size_t		 i;
	uint32_t	 uid;

	if (f == NULL || row >= folder_count(f))
		return err_set(e, ERR_INPUT, "no message selected");
	old = folder_row(f, row)->flags;
	uid = ai_uid(f, row);
	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if ((old & map[i].bit) == (flags & map[i].bit))
			continue;
		if (imap_account_store(ai->acct, &uid, 1,
		    (flags & map[i].bit) != 0, map[i].name, e) == -1)
			return -1;
	}
	folder_flags_set(f, row, flags);
	return 0;
}

static int
ai_expunge(void *arg, size_t *n, struct err *e)
{
	struct app_imap		*ai = arg;
	struct folder		*f = app_folder(ai->app);
	uint32_t		*uids;
	bool			*gone;
	size_t			 i, count, k = 0;

	*n = 0;
	if (f == NULL)
		return err_set(e, ERR_INPUT, "no folder open");
	if (!ai->opened)
		return err_set(e, ERR_TEMP, "offline: expunge once "
		    "reconnected");
	count = folder_count(f);
	if (count == 0)
		return 0;
	uids = xreallocarray(NULL, count, sizeof *uids);
	gone = xcalloc(count, sizeof *gone);
	for (i = 0; i < count; i++)
		if (folder_row(f, (uint32_t)i)->flags & FOLDER_DELETED) {
			uids[k++] = ai_uid(f, i);
			gone[i] = true;
		}
	if (k > 0 && imap_account_expunge(ai->acct, uids, k, e) == 0) {
		free(uids);
		free(gone);
		return -1;
	}
	/* the server's VANISHED for them then finds no row */
	if (k > 0)
		*n = ai_remove(ai, gone);
	free(uids);
	free(gone);
	return 0;
}

static struct msgview *
ai_message_open(void *arg, uint32_t row, const struct msgview_opts *opts,
    struct err *e)
{
	struct app_imap	*ai = arg;
	struct folder	*f = app_folder(ai->app);
	struct ai_body	*b;

	if (f == NULL || row >= folder_count(f)) {
		err_set(e, ERR_INPUT, "no message selected");
		return NULL;
	}
	if ((b = ai_body(ai, ai_uid(f, row))) == NULL)
		b = ai_body_cached(ai, ai_uid(f, row));
	if (b != NULL)
		return msgview_new(b->text.data != NULL ? b->text.data : "",
		    b->text.len, opts);
	if (ai_fetch_body(ai, ai_uid(f, row), e) == -1)
		return NULL;
	ai->pending = ai_uid(f, row);
	/* not a failure: message_ready follows (app.h) */
	err_set(e, ERR_NONE, "Loading message…");
	return NULL;
}

static bool
ai_message_raw(void *arg, uint32_t row, const char **p, size_t *len)
{
	struct app_imap	*ai = arg;
	struct folder	*f = app_folder(ai->app);
	struct ai_body	*b;

	if (f == NULL || row >= folder_count(f))
		return false;
	if ((b = ai_body(ai, ai_uid(f, row))) == NULL &&
	    (b = ai_body_cached(ai, ai_uid(f, row))) == NULL)
		return false;
	*p = buf_str(&b->text);
	*len = b->text.len;
	return true;
}

/* Run password_command; 0, or -1 with e (also in the state words). */
static int
ai_pwcmd_run(struct app_imap *ai, struct err *e)
{
	ai_state(ai, "running password_command");
	if ((ai->pwcmd = account_pwcmd_start(app_loop(ai->app), ai->cmd, 0,
	    ai_pwcmd_done, ai, e)) == NULL) {
		ai_state(ai, "offline: %s", e->msg);
		return -1;
	}
	return 0;
}

/*
 * The password the user typed; NULL: try again (G) if the login is not
 * done: ask again, or run password_command again.
 */
static void
ai_password(void *arg, const char *password)
{
	struct app_imap	*ai = arg;
	struct err	 e;

	if (!ai->later || ai->pwcmd != NULL)
		return;		/* the configuration has it, or it runs */
	if (password != NULL) {
		ai->typed = true;
		app_secret_set(ai->app, ai->p.name, password);
		ai_login(ai, password);
		return;
	}
	if (ai->acct != NULL && (ai->opened || ai->refusal[0] == '\0'))
		return;		/* logged in, or not refused */
	if (ai->cmd == NULL)
		ai_ask_later(ai);
	else if (ai_pwcmd_run(ai, &e) == -1)
		app_emit_note(ai->app, APP_NOTE_ERROR, e.msg);
}

static void
ai_check(void *arg)
{
	struct app_imap	*ai = arg;

	if (ai->acct != NULL)
		imap_account_check(ai->acct);
}

/* The folder list (app-folders.c) asks through these two. */
static uint32_t
ai_list(void *arg, bool *with_status, struct err *e)
{
	struct app_imap		*ai = arg;
	struct imap_session	*s;

	if (!ai->opened || (s = imap_account_session(ai->acct)) == NULL)
		return err_set(e, ERR_TEMP, "offline"), 0;
	*with_status = imap_session_has_cap(s, "LIST-STATUS");
	return imap_account_list(ai->acct, e);
}

static uint32_t
ai_status(void *arg, const char *mailbox, struct err *e)
{
	struct app_imap	*ai = arg;

	if (!ai->opened)
		return err_set(e, ERR_TEMP, "offline"), 0;
	return imap_account_status(ai->acct, mailbox, e);
}

static bool
ai_sending(void *arg)
{
	struct app_imap	*ai = arg;

	return ai->acct != NULL && imap_account_sending(ai->acct);
}

static const struct app_backend ai_backend = {
	ai_state_text, ai_flags_change, ai_expunge, ai_message_open,
	ai_message_raw, ai_free, ai_password, ai_list, ai_status, ai_check,
	ai_phase, ai_sending
};

/* A new app_imap for mailbox, attached to app with an empty folder. */
static struct app_imap *
ai_attach(struct app *app, const char *name, const char *mailbox)
{
	struct app_imap	*ai;

	ai = xcalloc(1, sizeof *ai);
	uidtab_init(&ai->tab, 0);
	ai->app = app;
	ai->mailbox = xstrdup(mailbox);
	ai->tick = loop_timer_new(app_loop(app), ai_tick, ai);
	ai->rebuild_timer = loop_timer_new(app_loop(app), ai_rebuild_now, ai);
	ai->newmail = loop_timer_new(app_loop(app), ai_newmail_fetch, ai);
	snprintf(ai->state, sizeof ai->state, "connecting");
	app_backend_attach(app, &ai_backend, ai, folder_new(mailbox), name);
	app_backend_xfer_set(app, &ai_backend_xfer);
	return ai;
}

int
app_imap_open_later(struct app *app, const struct imap_account_params *p,
    const char *cmd, const char *mailbox, struct err *e)
{
	struct imap_account_params	 q;
	struct app_imap			*ai;

	if (app_loop(app) == NULL)
		return err_set(e, ERR_INPUT, "an IMAP account needs the event "
		    "loop");
	ai = ai_attach(app, p->name, mailbox);
	q = *p;
	q.password = NULL;	/* asked for later, never kept here */
	imap_account_params_copy(&ai->p, &q);
	ai->later = true;
	ai->cmd = cmd != NULL ? xstrdup(cmd) : NULL;
	if (cmd == NULL && app_secret_get(app, ai->p.name) != NULL) {
		/* typed before, for another folder of this account */
		ai->typed = true;
		ai_login(ai, app_secret_get(app, ai->p.name));
		return 0;
	}
	if (cmd == NULL) {
		ai_ask_later(ai);
		return 0;
	}
	ai_login(ai, NULL);	/* connects while the command runs */
	if (ai_pwcmd_run(ai, e) == -1) {
		ai_drop(ai);
		return -1;
	}
	return 0;
}

int
app_imap_open(struct app *app, const struct imap_account_params *p,
    const char *mailbox, struct err *e)
{
	struct app_imap	*ai;
	int		 rc;

	if (app_loop(app) == NULL)
		return err_set(e, ERR_INPUT, "an IMAP account needs the event "
		    "loop");
	ai = ai_attach(app, p->name, mailbox);
	ai->acct = imap_account_new(app_loop(app), p, ai_event, ai);
	rc = imap_account_open(ai->acct, ai->mailbox, e);
	app_emit_state_changed(app);
	return rc;
}

/*
 * Move and copy.  A request goes through the account's journal, behind
 * the flag changes and moves made before it (sent at once when nothing
 * waits; replayed after a reconnect when offline), and its outcome comes
 * back by action id.  The row stays until the server confirmed: with
 * MOVE or UIDPLUS its EXPUNGE removes it, otherwise it is marked deleted
 * as the server now has it.  A refusal shows the row as it really is
 * again and says why.  Completion takes the folder names from the folder
 * list (app_folder_names()).
 */

#define AI_XFER_MAX	256		/* requests waiting for the server */

struct ai_xfer_op {
	int64_t		 id;		/* action id; 0: free slot */
	uint32_t	 uid;
	bool		 move;
	bool		 marked;	/* shown deleted while it waits */
	char		*dest;
};

struct ai_xfer {
	struct ai_xfer_op	 ops[AI_XFER_MAX];
	struct ai_xfer_op	 ask;		/* refused for want of its
						 * folder: the user is asked */
	struct ai_xfer_op	 create;	/* id: the CREATE's command id;
						 * the transfer follows */
};

static struct ai_xfer *
ai_xfer(struct app_imap *ai)
{
	if (ai->xfer == NULL)
		ai->xfer = xcalloc(1, sizeof *ai->xfer);
	return ai->xfer;
}

static void
ai_xfer_free(struct ai_xfer *x)
{
	size_t	 i;

	if (x == NULL)
		return;
	for (i = 0; i < AI_XFER_MAX; i++)
		free(x->ops[i].dest);
	free(x->ask.dest);
	free(x->create.dest);
	free(x);
}

static struct ai_xfer_op *
ai_xfer_op(struct ai_xfer *x, int64_t id)
{
	size_t	 i;

	for (i = 0; i < AI_XFER_MAX; i++)
		if (x->ops[i].id == id)
			return &x->ops[i];
	return NULL;
}

static bool
ai_xfer_has(struct app_imap *ai, int64_t id)
{
	return id != 0 && ai->xfer != NULL && ai_xfer_op(ai->xfer, id) != NULL;
}

static void
ai_xfer_op_clear(struct ai_xfer_op *op)
{
	free(op->dest);
	memset(op, 0, sizeof *op);
}

static void
ai_xfer_note(struct app_imap *ai, enum app_note kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
ai_xfer_note(struct app_imap *ai, enum app_note kind, const char *fmt, ...)
{
	char	 text[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	app_emit_note(ai->app, kind, text);
}

/* Show row as marked deleted (the server has it so, or will have), or
 * not (a refused move). */
static void
ai_xfer_mark(struct app_imap *ai, uint32_t row, bool deleted)
{
	struct folder	*f = app_folder(ai->app);
	unsigned int	 flags;

	if (f == NULL || row == UINT32_MAX || row >= folder_count(f))
		return;
	flags = folder_row(f, row)->flags;
	flags = deleted ? flags | FOLDER_DELETED : flags & ~FOLDER_DELETED;
	if (flags == folder_row(f, row)->flags)
		return;
	folder_flags_set(f, row, flags);
	app_emit_row_changed(ai->app, row);
}

/*
 * The server has no folder op->dest ([TRYCREATE]): ask whether to create
 * it, as for a local folder; a yes comes back as ai_transfer() with
 * create (RFC 9051 7.1: TRYCREATE means CREATE may make it work).
 */
static void
ai_xfer_ask(struct app_imap *ai, struct ai_xfer_op *op, uint32_t row)
{
	struct ai_xfer	*x = ai->xfer;

	ai_xfer_op_clear(&x->ask);
	x->ask.uid = op->uid;
	x->ask.move = op->move;
	x->ask.dest = xstrdup(op->dest);
	ai_xfer_note(ai, APP_NOTE_ERROR, "Could not %s to %s: there is no "
	    "such folder on the server.", op->move ? "move" : "copy",
	    op->dest);
	app_emit_ask_create(ai->app, row, op->dest, op->move);
}

static void
ai_xfer_done(struct app_imap *ai, struct ai_xfer_op *op,
    const struct err *err, const struct imap_event *done)
{
	const char	*what = op->move ? "move" : "copy";
	uint32_t	 row = ai_row(ai, op->uid);

	if (err->cls != ERR_NONE) {
		if (op->marked)
			ai_xfer_mark(ai, row, false);
		if (done != NULL && done->code != NULL &&
		    done->code->type == IMAP_CODE_TRYCREATE &&
		    row != UINT32_MAX) {
			ai_xfer_ask(ai, op, row);
			return;
		}
		ai_xfer_note(ai, APP_NOTE_ERROR, "Could not %s to %s: %s",
		    what, op->dest, err->msg);
		return;
	}
	if (!op->move) {
		ai_xfer_note(ai, APP_NOTE_INFO, "Copied to %s.", op->dest);
		return;
	}
	/* MOVE or UID EXPUNGE already removed the row; else it is \Deleted */
	if (row != UINT32_MAX) {
		ai_xfer_mark(ai, row, true);
		ai_xfer_note(ai, APP_NOTE_INFO, "Moved to %s; the server "
		    "keeps the original marked deleted ($ expunges it).",
		    op->dest);
		return;
	}
	ai_xfer_note(ai, APP_NOTE_INFO, "Moved to %s.", op->dest);
}

/* An action left the account's journal: ours if it is a move or copy. */
static void
ai_xfer_action(struct app_imap *ai, const struct imap_acc_event *ev)
{
	struct ai_xfer_op	*op;

	if (ev->action == 0 || ai->xfer == NULL ||
	    (op = ai_xfer_op(ai->xfer, ev->action)) == NULL)
		return;
	if (ev->err.cls == ERR_TEMP && ev->action > 0)
		return;		/* still in the journal */
	ai_xfer_done(ai, op, &ev->err, ev->ev);
	ai_xfer_op_clear(op);
}

/* The CREATE asked for was answered: on success, the transfer again. */
static void
ai_xfer_created(struct app_imap *ai, const struct imap_event *ev)
{
	struct ai_xfer		*x = ai->xfer;
	struct ai_xfer_op	 op;
	struct err		 e;

	if (x == NULL || x->create.id == 0 || ev->type != IMAP_EV_DONE ||
	    ev->cmd_id != (uint32_t)x->create.id)
		return;
	op = x->create;
	memset(&x->create, 0, sizeof x->create);
	if (ev->err.cls != ERR_NONE && (ev->code == NULL ||
	    ev->code->type != IMAP_CODE_ALREADYEXISTS))
		ai_xfer_note(ai, APP_NOTE_ERROR, "Could not create %s: %s",
		    op.dest, ev->err.msg);
	else if (ai_row(ai, op.uid) == UINT32_MAX)
		ai_xfer_note(ai, APP_NOTE_INFO, "Created %s; the message is "
		    "no longer here to %s.", op.dest, op.move ? "move" : "copy");
	else if (ai_xfer_send(ai, op.uid, op.dest, op.move, &e) == -1)
		ai_xfer_note(ai, APP_NOTE_ERROR, "Created %s, but could not %s "
		    "to it: %s", op.dest, op.move ? "move" : "copy", e.msg);
	free(op.dest);
}

/* CREATE dest, then (ai_xfer_created) move or copy uid there. */
static int
ai_xfer_create(struct app_imap *ai, uint32_t uid, const char *dest,
    bool move, struct err *e)
{
	struct ai_xfer	*x = ai_xfer(ai);
	uint32_t	 id;

	/* the message asked about, even if rows moved while the user read
	 * the question */
	if (x->ask.dest != NULL && strcmp(x->ask.dest, dest) == 0 &&
	    ai_row(ai, x->ask.uid) != UINT32_MAX)
		uid = x->ask.uid;
	ai_xfer_op_clear(&x->ask);
	if (x->create.id != 0)
		return err_set(e, ERR_TEMP, "%s is being created already",
		    x->create.dest);
	if ((id = imap_account_create(ai->acct, dest, e)) == 0)
		return -1;
	x->create.id = id;
	x->create.uid = uid;
	x->create.move = move;
	x->create.dest = xstrdup(dest);
	ai_xfer_note(ai, APP_NOTE_INFO, "Creating %s…", dest);
	return 0;
}

/*
 * The link went.  Journaled requests wait for the reconnect; those sent
 * without a cache (negative ids) may or may not have run.
 */
static void
ai_xfer_offline(struct app_imap *ai)
{
	struct ai_xfer	*x = ai->xfer;
	size_t		 i, n = 0;

	if (x == NULL)
		return;
	for (i = 0; i < AI_XFER_MAX; i++)
		if (x->ops[i].id < 0) {
			ai_xfer_op_clear(&x->ops[i]);
			n++;
		}
	if (n > 0)
		ai_xfer_note(ai, APP_NOTE_ERROR, "The connection was lost "
		    "during a move or copy; the index shows the server's "
		    "state once reconnected.");
}

static int
ai_transfer(void *arg, uint32_t row, const char *dest, bool move,
    bool create, struct err *e)
{
	struct app_imap		*ai = arg;
	struct folder		*f = app_folder(ai->app);

	if (f == NULL || row >= folder_count(f))
		return err_set(e, ERR_INPUT, "no message selected");
	if (strcmp(dest, ai->mailbox) == 0 || (strcasecmp(dest, "INBOX") ==
	    0 && strcasecmp(ai->mailbox, "INBOX") == 0))
		return err_set(e, ERR_INPUT, "the message is already in %s",
		    dest);
	if (create)
		return ai_xfer_create(ai, ai_uid(f, row), dest, move, e);
	return ai_xfer_send(ai, ai_uid(f, row), dest, move, e);
}

/* Move or copy uid: journaled and sent in turn, its outcome a note. */
static int
ai_xfer_send(struct app_imap *ai, uint32_t uid, const char *dest, bool move,
    struct err *e)
{
	struct folder		*f = app_folder(ai->app);
	struct ai_xfer		*x = ai_xfer(ai);
	struct ai_xfer_op	*op;
	uint32_t		 row = ai_row(ai, uid);
	int64_t			 id;
	size_t			 i;
	bool			 now = ai->opened;

	if (f == NULL || row == UINT32_MAX)
		return err_set(e, ERR_INPUT, "no message selected");
	for (i = 0; i < AI_XFER_MAX; i++)
		if (x->ops[i].id != 0 && x->ops[i].uid == uid &&
		    x->ops[i].move)
			return err_set(e, ERR_TEMP, "this message is being "
			    "moved to %s already", x->ops[i].dest);
	if ((op = ai_xfer_op(x, 0)) == NULL)
		return err_set(e, ERR_TEMP, "too many moves waiting for the "
		    "server");
	if (imap_account_transfer(ai->acct, &uid, 1, dest, move, &id, e) ==
	    -1)
		return -1;
	op->id = id;
	op->uid = uid;
	op->move = move;
	op->dest = xstrdup(dest);
	if (now) {
		ai_xfer_note(ai, APP_NOTE_INFO, "%s to %s…", move ? "Moving" :
		    "Copying", dest);
		return 0;
	}
	if (move && !(folder_row(f, row)->flags & FOLDER_DELETED)) {
		op->marked = true;
		ai_xfer_mark(ai, row, true);
	}
	ai_xfer_note(ai, APP_NOTE_INFO, "%s: the %s to %s is saved "
	    "and goes to the server once %s.",
	    imap_account_is_ready(ai->acct) ? "Syncing" : "Offline",
	    move ? "move" : "copy", dest,
	    imap_account_is_ready(ai->acct) ? "the folder is in step" :
	    "reconnected");
	return 0;
}

static const struct app_backend_xfer ai_backend_xfer = {
	ai_transfer
};
