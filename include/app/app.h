/* SPDX-License-Identifier: ISC */
/*
 * app.h: the app layer as the UI sees it: an open folder (model), actions
 * on its messages, and message views.  Calls return at once; for a local
 * Maildir the work is done in the call (a rename, an unlink), for a
 * network account it is queued and its result arrives as an event.
 */
#ifndef PONS_APP_APP_H
#define PONS_APP_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/events.h"
#include "util/err.h"

struct app;
struct conf_account;
struct folder;
struct loop;
struct msgview;
struct msgview_opts;

/* A new app reporting to ev (copied) with arg.  Free with app_free(). */
struct app	*app_new(const struct app_events *ev, void *arg);
void		 app_free(struct app *);
/*
 * Run on loop: from now on the open local Maildir is looked at every
 * APP_POLL_MS for new mail, which arrives as folder_changed.
 */
#define APP_POLL_MS	2000
void		 app_loop_set(struct app *, struct loop *);
/* Report to ev (copied) with arg from now on. */
void		 app_events_set(struct app *, const struct app_events *ev,
		    void *arg);

/*
 * Open the Maildir at path as the current folder (no account).  Returns 0,
 * or -1 with e set (ERR_LOCAL: not a Maildir, unreadable).
 */
int		 app_open_maildir(struct app *, const char *path, struct err *);
/*
 * Show folder f (taken) built by the caller, with no backend: flag
 * changes stay in the model, nothing is read or written (tests and
 * benchmarks).
 */
void		 app_folder_take(struct app *, struct folder *f);
/*
 * Open account a (borrowed: the conf must outlive the app).  A POP3
 * account shows its spool Maildir and downloads new mail in the
 * background (at once, then every check_interval); what the reader does
 * never touches the server.  IMAP accounts: ERR_REFUSED for now.
 */
int		 app_open_account(struct app *, struct conf_account *a,
		    struct err *e);
/*
 * The password the user typed for the open account (copied; kept wiped
 * in memory for later downloads); starts the download (POP3) or the
 * login (IMAP) that asked for it.
 */
void		 app_password_set(struct app *, const char *password);
/*
 * The process resumed (SIGCONT) or the clock jumped: an IMAP account
 * checks its link at once (a bounded DONE or NOOP), or retries at once
 * when offline.  The app also checks by itself every APP_POLL_MS whether
 * the machine slept.
 */
void		 app_link_check(struct app *);
/* Download new mail now (POP3).  0, or -1 with e (none, already busy). */
int		 app_fetch(struct app *, struct err *e);
/* The open folder (borrowed until the next app_open_*), or NULL. */
struct folder	*app_folder(struct app *);
/* Account name for the status line ("local" without an account). */
const char	*app_account_name(const struct app *);
/* Connection state in words ("local Maildir", "connected · idle", ...). */
const char	*app_state_text(const struct app *);
/* What the open account is doing, for the pace of the screen. */
enum app_phase {
	APP_PHASE_OTHER,	/* open, offline, or a local folder */
	APP_PHASE_CONNECTING,	/* resolving or TCP: nothing sent yet */
	/*
	 * A mailbox's headers stream in by the thousand (a cold open): the
	 * screen need not show each pass.  New mail once open is not this.
	 */
	APP_PHASE_STREAMING,
};
enum app_phase	 app_phase(const struct app *);
/*
 * Changes (flags, moves, copies) sent to the server and not yet answered,
 * by the open folder or one left behind: a program about to leave runs
 * the loop until there are none, so none is sent a second time by the
 * next start.  app_free() frees those still unanswered.
 */
bool		 app_sending(const struct app *);
/* The user's own address(es), comma-separated, to show "To:" for them. */
void		 app_me_set(struct app *, const char *addresses);

/*
 * Set and clear FOLDER_* flags of row (set wins).  Local: renames the
 * file at once.  Returns 0, or -1 with e set; the model is unchanged then.
 */
int		 app_flags_change(struct app *, uint32_t row, unsigned int set,
		    unsigned int clear, struct err *);
/* Remove the messages marked deleted.  *n receives how many. */
int		 app_expunge(struct app *, size_t *n, struct err *);
/*
 * Open row for reading: a message view owned by the caller
 * (msgview_free()), or NULL with e set.  opts: see msgview_new().  With
 * mark_read the message is marked read.  NULL with e->cls ERR_NONE is not
 * a failure: the text is being fetched and message_ready follows.
 */
struct msgview	*app_message_open(struct app *, uint32_t row,
		    const struct msgview_opts *opts, bool mark_read,
		    struct err *);
/*
 * The raw message of row, for ~b searches: p and len are borrowed until the
 * next call.  False if not available (not cached).
 */
bool		 app_message_raw(struct app *, uint32_t row, const char **p,
		    size_t *len);

/*
 * Move (move true) or copy row to the folder dest of the open account: an
 * IMAP mailbox, or a Maildir++ subfolder of the local Maildir or POP3
 * spool ("INBOX" is that Maildir itself; '/' or '.' separate levels).
 * Local: done in the call; a moved file keeps its flags, a moved row
 * leaves the folder (folder_changed).  IMAP: journaled and sent behind
 * earlier changes (MOVE, else COPY + STORE \Deleted + UID EXPUNGE); the
 * outcome arrives as a note, a moved row leaves once the server
 * confirmed, and a missing mailbox raises ask_create (events.h); with
 * create, the mailbox is created first.  A POP3 move never touches the
 * server.  Returns 0 (done or
 * queued), 1 if a local dest does not exist and create is false (ask,
 * then call again with create), or -1 with e set (nothing changed).
 */
int		 app_message_transfer(struct app *, uint32_t row,
		    const char *dest, bool move, bool create, struct err *e);
/*
 * The folder list.  app_conf_set() names the configuration (borrowed: it
 * must outlive the app) whose accounts the list shows.
 */
struct conf;
struct mailboxes;
void		 app_conf_set(struct app *, struct conf *);
/*
 * Every account with its folders, counts and roles (mailboxes.h); the
 * open folder's counts are the live model's.  Borrowed: valid until the
 * next app call.  Changes arrive as the folders_changed event.
 */
struct mailboxes *app_mailboxes(struct app *);
/* Rescan the Maildirs and ask the open IMAP account for counts now. */
void		 app_mailboxes_refresh(struct app *);
/*
 * Open entry i of app_mailboxes(): another folder of the open account,
 * or (an account's header or folder) another account, closing this one.
 * 0, or -1 with e set (nothing changed then, unless the account failed).
 */
int		 app_mailbox_open(struct app *, size_t i, struct err *);
/*
 * The folder names of the open account (the selectable ones, INBOX
 * first), for completion in move/copy prompts: a NULL-terminated array of
 * new strings, *n (may be NULL) gets the count.  Free with
 * app_folder_names_free().  Never NULL; empty before the first LIST.
 */
char		**app_folder_names(struct app *, size_t *n);
void		 app_folder_names_free(char **);

#endif
