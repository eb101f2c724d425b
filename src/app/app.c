/* SPDX-License-Identifier: ISC */
/*
 * The app layer: owns the open folder and its backend, turns UI actions
 * into backend work and reports back through the events table.  Draws
 * nothing and prints nothing.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/account.h"
#include "app/app.h"
#include "app/app-account.h"
#include "app/folder.h"
#include "app/imap-account.h"
#include "app/mailboxes.h"
#include "app/msgview.h"
#include "app/pop3-fetch.h"
#include "config/conf.h"
#include "config/options.h"
#include "local.h"
#include "loop/loop.h"
#include "store/maildir.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* A password the user typed, kept for the run. */
struct app_secret {
	char	*account;
	char	*password;
};

#define APP_HELD_MAX	8	/* notes kept for a listener to come */

struct app_held {
	enum app_note	 kind;
	char		*text;
};

struct app {
	struct app_events	 ev;
	void			*arg;
	struct folder		*folder;
	struct local		*local;
	char			*me;
	const char		*state;
	struct buf		 raw;		/* app_message_raw() scratch */
	struct loop_timer	*poll;		/* new mail in a local Maildir */
	struct loop		*loop;		/* NULL: load folders at once */
	bool			 loading;	/* slices of the scan pending */
	size_t			 rebuilt_at;	/* rows at the last rebuild */
	char			 statebuf[256];
	struct conf_account	*acct;		/* POP3 account, or NULL */
	struct pop3_fetch	*fetch;		/* download running */
	struct loop_timer	*check;		/* next download */
	bool			 del_noted;	/* POP3 delete note shown */
	const struct app_backend *bk;		/* IMAP account, or NULL */
	void			*bkarg;
	char			*account;	/* its name, or NULL */
	uint64_t		 mono_ms, boot_ms, real_ms; /* app_clock_jumped */
	struct app_secret	*secrets;	/* passwords typed, per account */
	size_t			 nsecrets;
	struct account_pwcmd	*pwcmd;		/* POP3 password_command */
	const struct app_backend_xfer *bkx;	/* its move/copy, or NULL */
	bool			 move_noted;	/* POP3 move note shown */
	struct conf		*conf;		/* accounts, or NULL */
	struct app_folders	*fl;		/* the folder list */
	/* said while nobody listened (before the screen): app_events_set */
	struct app_held		 held[APP_HELD_MAX];
	size_t			 nheld;
	char			*held_password;	/* need_password's account */
};

#define APP_JUMP_MS	3000	/* clocks apart by more: a sleep or a jump */
#define APP_LOAD_FIRST	1000	/* messages read before the first screen */
#define APP_LOAD_SLICE	500	/* messages read per loop pass */

static void	app_load_slice(void *);
static void	app_poll(struct loop_timer *, void *);
static void	app_load_step(struct app *, size_t);
static void	app_loaded(struct app *, bool);

struct app *
app_new(const struct app_events *ev, void *arg)
{
	struct app	*a;
	const char	*email;

	a = xcalloc(1, sizeof *a);
	if (ev != NULL)
		a->ev = *ev;
	a->arg = arg;
	a->state = "no folder";
	buf_init(&a->raw);
	a->fl = app_folders_new(a);
	if ((email = getenv("EMAIL")) != NULL)
		a->me = xstrdup(email);
	return a;
}

static uint64_t
app_clock_ms(clockid_t id)
{
	struct timespec	 ts;

	if (clock_gettime(id, &ts) == -1)
		return 0;
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Since the last call, did the machine sleep (boot time ran on while the
 * monotonic clock stood) or the wall clock jump?  Either way a link that
 * looks alive may be long dead.
 */
static bool
app_clock_jumped(struct app *a)
{
	uint64_t	 mono = app_clock_ms(CLOCK_MONOTONIC);
	uint64_t	 boot = app_clock_ms(CLOCK_BOOTTIME);
	uint64_t	 real = app_clock_ms(CLOCK_REALTIME);
	int64_t		 dm, db, dr;
	bool		 jumped;

	dm = (int64_t)(mono - a->mono_ms);
	db = (int64_t)(boot - a->boot_ms);
	dr = (int64_t)(real - a->real_ms);
	jumped = a->mono_ms != 0 && (db - dm > APP_JUMP_MS ||
	    dr - dm > APP_JUMP_MS || dm - dr > APP_JUMP_MS);
	a->mono_ms = mono;
	a->boot_ms = boot;
	a->real_ms = real;
	return jumped;
}

void
app_link_check(struct app *a)
{
	if (a->bk != NULL && a->bk->check != NULL)
		a->bk->check(a->bkarg);
}

static void
app_poll(struct loop_timer *t, void *arg)
{
	struct app	*a = arg;
	struct err	 e;
	size_t		 added;
	char		 note[64];

	if (t != NULL && app_clock_jumped(a))
		app_link_check(a);	/* resumed from a sleep */
	if (t != NULL && a->fl != NULL)
		app_folders_poll(a->fl);	/* other folders' counts */
	if (a->local == NULL || a->loading)
		return;
	if (local_poll(a->local, a->folder, &added, &e) == -1) {
		if (a->ev.note != NULL)
			a->ev.note(a->arg, APP_NOTE_ERROR, e.msg);
		return;
	}
	if (added == 0)
		return;
	folder_view_rebuild(a->folder);
	if (a->ev.folder_changed != NULL)
		a->ev.folder_changed(a->arg);
	snprintf(note, sizeof note, "%zu new message%s.", added,
	    added == 1 ? "" : "s");
	if (a->ev.note != NULL)
		a->ev.note(a->arg, APP_NOTE_INFO, note);
}

void
app_loop_set(struct app *a, struct loop *loop)
{
	a->loop = loop;
	loop_timer_free(a->poll);
	a->poll = loop_timer_new(loop, app_poll, a);
	loop_timer_set(a->poll, APP_POLL_MS, APP_POLL_MS);
}

void
app_events_set(struct app *a, const struct app_events *ev, void *arg)
{
	size_t	 i;
	char	*account;

	memset(&a->ev, 0, sizeof a->ev);
	if (ev != NULL)
		a->ev = *ev;
	a->arg = arg;
	/* what was said before: the account may run before the screen */
	if (a->ev.note != NULL) {
		for (i = 0; i < a->nheld; i++) {
			a->ev.note(a->arg, a->held[i].kind, a->held[i].text);
			free(a->held[i].text);
		}
		a->nheld = 0;
	}
	if (a->ev.need_password != NULL && a->held_password != NULL) {
		account = a->held_password;
		a->held_password = NULL;
		a->ev.need_password(a->arg, account);
		free(account);
	}
}

static void
app_close(struct app *a)
{
	account_pwcmd_free(a->pwcmd);
	a->pwcmd = NULL;
	pop3_fetch_free(a->fetch);
	a->fetch = NULL;
	loop_timer_free(a->check);
	a->check = NULL;
	a->acct = NULL;
	if (a->bk != NULL)
		a->bk->free(a->bkarg);
	a->bk = NULL;
	a->bkarg = NULL;
	a->bkx = NULL;
	free(a->account);
	a->account = NULL;
	if (a->loading && a->loop != NULL)
		loop_defer_cancel(a->loop, app_load_slice, a);
	a->loading = false;
	local_close(a->local);
	a->local = NULL;
	folder_free(a->folder);
	a->folder = NULL;
	if (a->fl != NULL)
		app_folders_closed(a->fl);
}

void
app_free(struct app *a)
{
	if (a == NULL)
		return;
	app_close(a);
	imap_account_retired_free();	/* those the server did not answer */
	app_folders_free(a->fl);
	a->fl = NULL;
	while (a->nsecrets > 0)
		app_secret_set(a, a->secrets[a->nsecrets - 1].account, NULL);
	free(a->secrets);
	loop_timer_free(a->poll);
	buf_fini(&a->raw);
	free(a->me);
	while (a->nheld > 0)
		free(a->held[--a->nheld].text);
	free(a->held_password);
	free(a);
}

void
app_me_set(struct app *a, const char *addresses)
{
	free(a->me);
	a->me = addresses != NULL ? xstrdup(addresses) : NULL;
}

/* Load the Maildir at path as the open folder (no account yet). */
static int
app_maildir_load(struct app *a, const char *path, struct err *e)
{
	struct folder	*f;
	struct local	*l;
	const char	*name;
	size_t		 n;

	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	name = path;
	{
		char	*copy = xstrndup(path, n), *slash;

		slash = strrchr(copy, '/');
		f = folder_new(slash != NULL && slash[1] != '\0' ? slash + 1 :
		    copy);
		free(copy);
	}
	if ((l = local_open(name, f, a->me, e)) == NULL) {
		folder_free(f);
		return -1;
	}
	app_close(a);
	a->folder = f;
	a->local = l;
	a->loading = true;
	a->rebuilt_at = 0;
	if (a->loop == NULL) {		/* no loop: read it all now */
		bool	 done = false;

		while (!done)
			if (local_load(l, f, SIZE_MAX, &done, e) == -1)
				break;
		app_loaded(a, true);
		return 0;
	}
	app_load_step(a, APP_LOAD_FIRST);
	return 0;
}

int
app_open_maildir(struct app *a, const char *path, struct err *e)
{
	if (app_maildir_load(a, path, e) == -1)
		return -1;
	app_folders_opened(a->fl, NULL, path, "INBOX");
	return 0;
}

/*
 * After a slice: rebuild the view when the folder grew by half since the
 * last rebuild (so sorting costs stay O(n log n) overall) or at the end.
 */
static void
app_loaded(struct app *a, bool done)
{
	size_t	 n = folder_count(a->folder);

	if (done || n >= a->rebuilt_at + a->rebuilt_at / 2 + APP_LOAD_FIRST ||
	    a->rebuilt_at == 0) {
		folder_view_rebuild(a->folder);
		a->rebuilt_at = n;
		if (a->ev.folder_changed != NULL)
			a->ev.folder_changed(a->arg);
	}
	if (done) {
		a->loading = false;
		if (a->acct == NULL)
			a->state = "local Maildir";
	} else {
		snprintf(a->statebuf, sizeof a->statebuf,
		    "loading: %zu messages read", n);
		a->state = a->statebuf;
		loop_defer(a->loop, app_load_slice, a);
	}
	if (a->ev.state_changed != NULL)
		a->ev.state_changed(a->arg);
}

static void
app_load_step(struct app *a, size_t max)
{
	struct err	 e;
	bool		 done;

	if (local_load(a->local, a->folder, max, &done, &e) == -1 &&
	    a->ev.note != NULL)
		a->ev.note(a->arg, APP_NOTE_ERROR, e.msg);
	app_loaded(a, done);
}

static void
app_load_slice(void *arg)
{
	struct app	*a = arg;

	if (a->loading && a->local != NULL)
		app_load_step(a, APP_LOAD_SLICE);
}

void
app_folder_take(struct app *a, struct folder *f)
{
	app_close(a);
	a->folder = f;
	a->state = "memory";
	if (a->ev.folder_changed != NULL)
		a->ev.folder_changed(a->arg);
}

struct folder *
app_folder(struct app *a)
{
	return a->folder;
}

const char *
app_account_name(const struct app *a)
{
	if (a->account != NULL)
		return a->account;
	return a->acct != NULL ? conf_account_name(a->acct) : "local";
}

static void
app_state_set(struct app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
app_state_set(struct app *a, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(a->statebuf, sizeof a->statebuf, fmt, ap);
	va_end(ap);
	a->state = a->statebuf;
	if (a->ev.state_changed != NULL)
		a->ev.state_changed(a->arg);
}

static void
app_note(struct app *a, enum app_note kind, const char *text)
{
	if (a->ev.note != NULL) {
		a->ev.note(a->arg, kind, text);
		return;
	}
	if (a->nheld == APP_HELD_MAX) {		/* the oldest goes */
		free(a->held[0].text);
		memmove(a->held, a->held + 1, --a->nheld * sizeof *a->held);
	}
	a->held[a->nheld].kind = kind;
	a->held[a->nheld++].text = xstrdup(text);
}

static void
app_fetch_progress(struct pop3_fetch *f, void *arg)
{
	struct app			*a = arg;
	const struct pop3_fetch_result	*r = pop3_fetch_result(f);

	app_state_set(a, "POP3: downloading %zu/%zu", r->fetched,
	    r->queued);
	app_poll(NULL, a);	/* show what was committed at once */
}

static void
app_fetch_done(struct pop3_fetch *f, void *arg)
{
	struct app			*a = arg;
	const struct pop3_fetch_result	*r = pop3_fetch_result(f);
	int64_t				 every;

	if (r->ok)
		app_state_set(a, "POP3 spool \xc2\xb7 %zu new, %zu on the "
		    "server", r->fetched, r->listed);
	else {
		app_state_set(a, "POP3 spool \xc2\xb7 offline: %s",
		    r->err.msg);
		app_note(a, APP_NOTE_ERROR, r->err.msg);
	}
	if (!r->ok && r->err.cls == ERR_AUTH)
		/* a typed password that was refused is asked for again */
		app_secret_set(a, conf_account_name(a->acct), NULL);
	pop3_fetch_free(f);
	a->fetch = NULL;
	app_poll(NULL, a);
	every = opt_duration(conf_account_opts(a->acct),
	    OPT_ACCOUNT_CHECK_INTERVAL);
	if (every > 0 && a->check != NULL)
		loop_timer_set(a->check, (uint64_t)every * 1000, 0);
}

/* Start the download with p (password included). */
static void
app_fetch_start(struct app *a, const struct pop3_fetch_params *p)
{
	app_state_set(a, "POP3: connecting to %s", p->host);
	a->fetch = pop3_fetch_new(a->loop, p, app_fetch_done, a);
	pop3_fetch_set_progress(a->fetch, app_fetch_progress, a);
}

/* password_command answered (from the loop): download, or say why not. */
static void
app_pwcmd_done(void *arg, const char *password, const struct err *why)
{
	struct app			*a = arg;
	struct pop3_fetch_params	 p;
	struct account_strings		 strs;
	struct err			 e;

	account_pwcmd_free(a->pwcmd);
	a->pwcmd = NULL;
	if (password == NULL)
		e = *why;
	else if (account_pop3_params_bare(a->acct, &p, &strs, &e) == 0) {
		p.password = password;
		app_fetch_start(a, &p);
		account_strings_fini(&strs);
		return;
	} else
		account_strings_fini(&strs);
	app_state_set(a, "POP3 spool \xc2\xb7 not fetched: %s", e.msg);
	app_note(a, APP_NOTE_ERROR, e.msg);
}

int
app_fetch(struct app *a, struct err *e)
{
	struct pop3_fetch_params	 p;
	struct account_strings		 strs;
	const char			*cmd;
	int				 rc = 0;

	if (a->bk != NULL && a->bk->password != NULL) {
		a->bk->password(a->bkarg, NULL);	/* IMAP: log in again */
		return 0;
	}
	if (a->acct == NULL || a->loop == NULL)
		return err_set(e, ERR_INPUT, "no POP3 account to fetch");
	if (a->fetch != NULL || a->pwcmd != NULL)
		return err_set(e, ERR_TEMP, "already downloading");
	/* run on the loop: a password manager may take its time */
	if ((cmd = opt_str(conf_account_opts(a->acct),
	    OPT_ACCOUNT_PASSWORD_COMMAND)) != NULL) {
		if ((a->pwcmd = account_pwcmd_start(a->loop, cmd, 0,
		    app_pwcmd_done, a, e)) == NULL) {
			app_state_set(a, "POP3 spool \xc2\xb7 not fetched: %s",
			    e->msg);
			return -1;
		}
		app_state_set(a, "POP3 spool \xc2\xb7 running "
		    "password_command");
		return 0;
	}
	switch (account_pop3_params(a->acct,
	    app_secret_get(a, conf_account_name(a->acct)), &p, &strs, e)) {
	case -1:
		app_state_set(a, "POP3 spool \xc2\xb7 not fetched: %s",
		    e->msg);
		rc = -1;
		break;
	case 1:
		app_state_set(a, "POP3 spool \xc2\xb7 waiting for the "
		    "password");
		app_emit_need_password(a, conf_account_name(a->acct));
		break;
	default:
		app_fetch_start(a, &p);
		break;
	}
	account_strings_fini(&strs);
	return rc;
}

/*
 * Passwords the user typed are kept, wiped, for the run, one per account
 * name, so that switching folders or accounts does not ask again and a
 * password never goes to another account's server.
 */
const char *
app_secret_get(struct app *a, const char *account)
{
	size_t	 i;

	for (i = 0; account != NULL && i < a->nsecrets; i++)
		if (strcmp(a->secrets[i].account, account) == 0)
			return a->secrets[i].password;
	return NULL;
}

void
app_secret_set(struct app *a, const char *account, const char *password)
{
	struct app_secret	*s;
	size_t			 i;

	if (account == NULL)
		return;
	for (i = 0; i < a->nsecrets; i++)
		if (strcmp(a->secrets[i].account, account) == 0)
			break;
	if (i < a->nsecrets) {
		s = &a->secrets[i];
		explicit_bzero(s->password, strlen(s->password));
		free(s->password);
		if (password != NULL) {
			s->password = xstrdup(password);
			return;
		}
		free(s->account);
		a->secrets[i] = a->secrets[--a->nsecrets];
		return;
	}
	if (password == NULL)
		return;
	a->secrets = xreallocarray(a->secrets, a->nsecrets + 1,
	    sizeof *a->secrets);
	s = &a->secrets[a->nsecrets++];
	s->account = xstrdup(account);
	s->password = xstrdup(password);
}

void
app_password_set(struct app *a, const char *password)
{
	struct err	 e;

	if (a->bk != NULL && a->bk->password != NULL) {
		a->bk->password(a->bkarg, password);
		return;
	}
	if (a->acct == NULL || password == NULL)
		return;
	app_secret_set(a, conf_account_name(a->acct), password);
	if (app_fetch(a, &e) == -1)
		app_note(a, APP_NOTE_ERROR, e.msg);
}

static void
app_check(struct loop_timer *t, void *arg)
{
	struct app	*a = arg;
	struct err	 e;

	if (app_fetch(a, &e) == -1)
		app_note(a, APP_NOTE_ERROR, e.msg);
}

int
app_open_maildir_in(struct app *a, struct conf_account *acct,
    const char *path, const char *name, struct err *e)
{
	if (app_maildir_load(a, path, e) == -1)
		return -1;
	if (acct == NULL) {	/* a folder of the -f Maildir */
		if (strcmp(name, "INBOX") != 0)
			folder_name_set(a->folder, name);
		app_folders_opened(a->fl, NULL, NULL, name);
		return 0;
	}
	folder_name_set(a->folder, name);
	a->acct = acct;
	a->del_noted = false;
	app_state_set(a, "POP3 spool");
	if (a->loop != NULL) {
		a->check = loop_timer_new(a->loop, app_check, a);
		loop_timer_set(a->check, 0, 0);	/* first download at once */
	}
	app_folders_opened(a->fl, acct, NULL, name);
	return 0;
}

int
app_open_account_folder(struct app *a, struct conf_account *acct,
    const char *folder, const char *path, struct err *e)
{
	struct maildir	*md;
	char		*spool;
	int		 rc;

	if (opt_enum(conf_account_opts(acct), OPT_ACCOUNT_PROTOCOL) !=
	    OPT_PROTO_POP3) {
		/* app-account.c */
		if (app_imap_account_open_mailbox(a, acct, folder, e) == -1)
			return -1;
		app_folders_opened(a->fl, acct, NULL, folder);
		return 0;
	}
	if (path != NULL)
		return app_open_maildir_in(a, acct, path, folder, e);
	spool = conf_account_spool(acct);
	/* a new account has no spool yet: make it */
	if ((md = maildir_open(spool, true, e)) == NULL) {
		free(spool);
		return -1;
	}
	maildir_free(md);
	rc = app_open_maildir_in(a, acct, spool, "INBOX", e);
	free(spool);
	return rc;
}

int
app_open_account(struct app *a, struct conf_account *acct, struct err *e)
{
	return app_open_account_folder(a, acct, "INBOX", NULL, e);
}

const char *
app_state_text(const struct app *a)
{
	const char	*s;

	if (a->bk != NULL && (s = a->bk->state(a->bkarg)) != NULL)
		return s;
	return a->state;
}

enum app_phase
app_phase(const struct app *a)
{
	if (a->bk == NULL || a->bk->phase == NULL)
		return APP_PHASE_OTHER;
	return a->bk->phase(a->bkarg);
}

bool
app_sending(const struct app *a)
{
	/* the folders left behind (imap_account_retire) count too */
	return imap_account_retired_any() || (a->bk != NULL &&
	    a->bk->sending != NULL && a->bk->sending(a->bkarg));
}

int
app_flags_change(struct app *a, uint32_t row, unsigned int set,
    unsigned int clear, struct err *e)
{
	const struct folder_row	*r;
	unsigned int		 flags;

	if (a->folder == NULL || (r = folder_row(a->folder, row)) == NULL)
		return err_set(e, ERR_INPUT, "no message selected");
	flags = (r->flags & ~clear) | set;
	if (flags == r->flags)
		return 0;
	if (a->bk != NULL && a->bk->flags_change != NULL) {
		if (a->bk->flags_change(a->bkarg, row, flags, e) == -1)
			return -1;
	} else if (a->local == NULL)
		folder_flags_set(a->folder, row, flags);
	else if (local_flags_write(a->local, a->folder, row, flags, e) == -1)
		return -1;
	if ((set & FOLDER_DELETED) && a->acct != NULL && !a->del_noted) {
		a->del_noted = true;
		app_note(a, APP_NOTE_INFO, "POP3: deleting works on the local "
		    "spool only; the server is not touched.");
	}
	if (a->ev.row_changed != NULL)
		a->ev.row_changed(a->arg, row);
	return 0;
}

int
app_expunge(struct app *a, size_t *n, struct err *e)
{
	int	 rc;

	*n = 0;
	if (a->folder == NULL)
		return err_set(e, ERR_INPUT, "no folder open");
	if (a->loading)
		return err_set(e, ERR_TEMP, "the folder is still loading");
	if (a->bk != NULL && a->bk->expunge != NULL)
		rc = a->bk->expunge(a->bkarg, n, e);
	else if (a->local == NULL) {
		*n = folder_remove_deleted(a->folder, NULL, NULL);
		rc = 0;
	} else
		rc = local_expunge(a->local, a->folder, n, e);
	if (*n > 0 && a->ev.folder_changed != NULL)
		a->ev.folder_changed(a->arg);
	return rc;
}

struct msgview *
app_message_open(struct app *a, uint32_t row,
    const struct msgview_opts *opts, bool mark_read, struct err *e)
{
	struct buf	 raw = BUF_INIT;
	struct msgview	*v;
	struct err	 ignore;

	if (a->folder == NULL || folder_row(a->folder, row) == NULL) {
		err_set(e, ERR_INPUT, "no message selected");
		return NULL;
	}
	if (a->bk != NULL && a->bk->message_open != NULL) {
		if ((v = a->bk->message_open(a->bkarg, row, opts, e)) != NULL &&
		    mark_read)
			app_flags_change(a, row, FOLDER_SEEN, FOLDER_RECENT,
			    &ignore);
		return v;
	}
	if (a->local == NULL) {
		err_set(e, ERR_INPUT, "no message text in this folder");
		return NULL;
	}
	if (local_read(a->local, a->folder, row, &raw, e) == -1) {
		buf_fini(&raw);
		return NULL;
	}
	v = msgview_new(raw.data != NULL ? raw.data : "", raw.len, opts);
	buf_fini(&raw);
	/* lenient: a failed rename does not stop reading */
	if (mark_read)
		app_flags_change(a, row, FOLDER_SEEN, FOLDER_RECENT, &ignore);
	return v;
}

bool
app_message_raw(struct app *a, uint32_t row, const char **p, size_t *len)
{
	buf_reset(&a->raw);
	if (a->bk != NULL && a->bk->message_raw != NULL && a->folder != NULL)
		return a->bk->message_raw(a->bkarg, row, p, len);
	if (a->folder == NULL || a->local == NULL ||
	    local_read(a->local, a->folder, row, &a->raw, NULL) == -1)
		return false;
	*p = buf_str(&a->raw);
	*len = a->raw.len;
	return true;
}

/* Plumbing for the IMAP backend (app-account.h) */

struct loop *
app_loop(struct app *a)
{
	return a->loop;
}

const char *
app_me(const struct app *a)
{
	return a->me;
}

void
app_emit_folder_changed(struct app *a)
{
	if (a->ev.folder_changed != NULL)
		a->ev.folder_changed(a->arg);
}

void
app_emit_row_changed(struct app *a, uint32_t row)
{
	if (a->ev.row_changed != NULL)
		a->ev.row_changed(a->arg, row);
}

void
app_emit_state_changed(struct app *a)
{
	if (a->ev.state_changed != NULL)
		a->ev.state_changed(a->arg);
}

void
app_emit_note(struct app *a, enum app_note kind, const char *text)
{
	app_note(a, kind, text);
}

void
app_emit_need_password(struct app *a, const char *account)
{
	if (a->ev.need_password != NULL)
		a->ev.need_password(a->arg, account);
	else {
		free(a->held_password);
		a->held_password = xstrdup(account);
	}
}

void
app_emit_ask_create(struct app *a, uint32_t row, const char *folder,
    bool move)
{
	if (a->ev.ask_create != NULL)
		a->ev.ask_create(a->arg, row, folder, move);
}

void
app_emit_message_ready(struct app *a, uint32_t row, const struct err *e)
{
	if (a->ev.message_ready != NULL)
		a->ev.message_ready(a->arg, row, e);
}

void
app_backend_attach(struct app *a, const struct app_backend *bk, void *arg,
    struct folder *f, const char *account)
{
	app_close(a);
	a->folder = f;
	a->bk = bk;
	a->bkarg = arg;
	a->account = account != NULL ? xstrdup(account) : NULL;
	app_emit_folder_changed(a);
}

/* Move and copy */

void
app_backend_xfer_set(struct app *a, const struct app_backend_xfer *xf)
{
	a->bkx = xf;
}

/* The Maildir of dest for the open local folder (made if create). */
static int
app_local_dest(struct app *a, const char *dest, bool create,
    struct maildir **md, struct err *e)
{
	char		*root, *path, *mark, *cur;
	struct stat	 st;
	int		 rc = -1, fd;

	*md = NULL;
	root = local_root(local_path(a->local));
	path = local_subfolder_path(root, dest, e);
	cur = xstrdup(local_path(a->local));
	while (strlen(cur) > 1 && cur[strlen(cur) - 1] == '/')
		cur[strlen(cur) - 1] = '\0';
	if (path == NULL)
		goto out;
	if (strcmp(path, cur) == 0) {
		err_set(e, ERR_INPUT, "the message is already in %s", dest);
		goto out;
	}
	if (stat(path, &st) == -1 && errno == ENOENT && !create) {
		rc = 1;
		goto out;
	}
	if ((*md = maildir_open(path, create, e)) == NULL)
		goto out;
	/* Maildir++: a subfolder says so (Courier, Dovecot) */
	mark = xasprintf("%s/maildirfolder", path);
	if (create && strcmp(path, root) != 0 && stat(mark, &st) == -1 &&
	    (fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) != -1)
		close(fd);
	free(mark);
	rc = 0;
out:
	free(cur);
	free(path);
	free(root);
	return rc;
}

int
app_message_transfer(struct app *a, uint32_t row, const char *dest,
    bool move, bool create, struct err *e)
{
	struct maildir	*md;
	const char	*verb = move ? "Moved" : "Copied";
	char		 note[512];
	int		 rc;

	if (a->folder == NULL || folder_row(a->folder, row) == NULL)
		return err_set(e, ERR_INPUT, "no message selected");
	if (dest == NULL || dest[strspn(dest, " ")] == '\0')
		return err_set(e, ERR_INPUT, "no folder named");
	if (a->bk != NULL) {
		if (a->bkx == NULL || a->bkx->transfer == NULL)
			return err_set(e, ERR_REFUSED, "this account cannot "
			    "move or copy messages");
		return a->bkx->transfer(a->bkarg, row, dest, move, create, e);
	}
	if (a->local == NULL)
		return err_set(e, ERR_INPUT, "no message files in this folder");
	if (a->loading)
		return err_set(e, ERR_TEMP, "the folder is still loading");
	if ((rc = app_local_dest(a, dest, create, &md, e)) != 0)
		return rc;
	rc = local_transfer(a->local, a->folder, row, md, move, e);
	maildir_free(md);
	if (rc == -1)
		return -1;
	if (move && a->acct != NULL && !a->move_noted) {
		a->move_noted = true;
		snprintf(note, sizeof note, "%s to %s (POP3: on the local spool "
		    "only; the server is not touched).", verb, dest);
	} else
		snprintf(note, sizeof note, "%s to %s.", verb, dest);
	if (move && a->ev.folder_changed != NULL)
		a->ev.folder_changed(a->arg);
	app_note(a, APP_NOTE_INFO, note);
	return 0;
}

/* The folder list */

void
app_conf_set(struct app *a, struct conf *c)
{
	a->conf = c;
	app_folders_accounts(a->fl);
}

struct conf *
app_conf(struct app *a)
{
	return a->conf;
}

struct mailboxes *
app_mailboxes(struct app *a)
{
	return app_folders_model(a->fl);
}

void
app_mailboxes_refresh(struct app *a)
{
	app_folders_refresh(a->fl);
}

int
app_mailbox_open(struct app *a, size_t i, struct err *e)
{
	return app_folders_open(a->fl, i, e);
}

char **
app_folder_names(struct app *a, size_t *n)
{
	return app_folders_names(a->fl, n);
}

void
app_folder_names_free(char **names)
{
	mailboxes_names_free(names);
}

void
app_emit_folders_changed(struct app *a)
{
	if (a->ev.folders_changed != NULL)
		a->ev.folders_changed(a->arg);
}

uint32_t
app_backend_list(struct app *a, bool *with_status, struct err *e)
{
	if (a->bk == NULL || a->bk->list == NULL)
		return err_set(e, ERR_INPUT, "no IMAP account open"), 0;
	return a->bk->list(a->bkarg, with_status, e);
}

uint32_t
app_backend_status(struct app *a, const char *mailbox, struct err *e)
{
	if (a->bk == NULL || a->bk->status == NULL)
		return err_set(e, ERR_INPUT, "no IMAP account open"), 0;
	return a->bk->status(a->bkarg, mailbox, e);
}

struct app_folders *
app_folders(struct app *a)
{
	return a->fl;
}
