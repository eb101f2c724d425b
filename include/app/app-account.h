/* SPDX-License-Identifier: ISC */
/*
 * app-account.h: IMAP accounts in the interactive client (app.c does POP3
 * accounts and local Maildirs).  app_open_account() (app.h) hands an IMAP
 * account to app_imap_account_open(): its INBOX is painted from the cache
 * at once, then kept in step with the server (app-imap.c).
 *
 * The rest of this header is the app layer's own plumbing between app.c
 * and the IMAP backend; the UI never calls it.
 */
#ifndef PONS_APP_APP_ACCOUNT_H
#define PONS_APP_APP_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/events.h"
#include "util/err.h"

struct app;
struct conf_account;
struct folder;
struct imap_account_params;
struct loop;
struct msgview;
struct msgview_opts;

/*
 * app.c's app_open_account() hands IMAP accounts here: the account's
 * settings and password (password_command, run with sh -c, or password;
 * wiped once handed over) become imap_account parameters and its INBOX
 * becomes the open folder.  0, or -1 with e set.
 */
int	 app_imap_account_open(struct app *, const struct conf_account *,
	    struct err *e);

/* app.c, for the backends */
/*
 * The password typed for account in this run (borrowed), or NULL; set
 * keeps a copy (password NULL forgets it).  Wiped when forgotten.
 */
const char	*app_secret_get(struct app *, const char *account);
void		 app_secret_set(struct app *, const char *account,
		    const char *password);
struct loop	*app_loop(struct app *);
const char	*app_me(const struct app *);
void		 app_emit_folder_changed(struct app *);
void		 app_emit_row_changed(struct app *, uint32_t row);
void		 app_emit_state_changed(struct app *);
void		 app_emit_note(struct app *, enum app_note, const char *text);
void		 app_emit_need_password(struct app *, const char *account);
void		 app_emit_message_ready(struct app *, uint32_t row,
		    const struct err *e);
void		 app_emit_ask_create(struct app *, uint32_t row,
		    const char *folder, bool move);
/*
 * What an account adds to the open folder: each hook may be NULL (then
 * app.c does what it does for a local Maildir), except state and free.
 */
struct app_backend {
	/* Status line words, or NULL for the Maildir's own. */
	const char	*(*state)(void *);
	int		 (*flags_change)(void *, uint32_t row,
			    unsigned int flags, struct err *);
	int		 (*expunge)(void *, size_t *n, struct err *);
	struct msgview	*(*message_open)(void *, uint32_t row,
			    const struct msgview_opts *, struct err *);
	bool		 (*message_raw)(void *, uint32_t row, const char **p,
			    size_t *len);
	void		 (*free)(void *);
	/* The password the user typed (borrowed for the call). */
	void		 (*password)(void *, const char *password);
	/*
	 * The folder list: LIST of every mailbox (*with_status: the answer
	 * has STATUS too), STATUS of one; answers through
	 * app_folders_imap_event().  A command id, or 0 with e set.
	 */
	uint32_t	 (*list)(void *, bool *with_status, struct err *);
	uint32_t	 (*status)(void *, const char *mailbox, struct err *);
	/* Check the link now (app_link_check()); may be NULL. */
	void		 (*check)(void *);
	/* What it is doing (app_phase()); may be NULL. */
	enum app_phase	 (*phase)(void *);
	/* Changes sent and not yet answered (app_sending()); may be NULL. */
	bool		 (*sending)(void *);
};
/*
 * Close what was open and show folder f (taken) run by backend bk with
 * arg (taken: bk->free); account (copied) names it on the status line.
 */
void		 app_backend_attach(struct app *, const struct app_backend *bk,
		    void *arg, struct folder *f, const char *account);

/*
 * app-imap.c: open mailbox of an IMAP account (params copied) as the
 * app's folder: rows from the cache at once, then live.  0, or -1 with e.
 */
int		 app_imap_open(struct app *,
		    const struct imap_account_params *, const char *mailbox,
		    struct err *e);
/*
 * The same for an account whose password is not known yet (p->password
 * is ignored): the folder is shown at once, its state words say what it
 * waits for, then cmd (password_command) runs as a child the loop
 * watches, or with cmd NULL the user is asked (need_password, answered by
 * app_password_set()); a refused password the user typed is asked for
 * again.  0, or -1 with e.
 */
int		 app_imap_open_later(struct app *,
		    const struct imap_account_params *p, const char *cmd,
		    const char *mailbox, struct err *e);

/*
 * The move/copy hook of the attached backend (app-imap.c), set after
 * app_backend_attach() (which clears it): transfer sends or journals the
 * request for row (0, or -1 with e).  xf is borrowed (static).
 */
struct app_backend_xfer {
	int		 (*transfer)(void *, uint32_t row, const char *dest,
			    bool move, bool create, struct err *);
};
void		 app_backend_xfer_set(struct app *,
		    const struct app_backend_xfer *xf);

/*
 * Open mailbox of IMAP account ca (app-account.c): on a connection of its
 * own, so nothing of the mailbox before can reach this one's rows or
 * cache.  0, or -1 with e set.
 */
int		 app_imap_account_open_mailbox(struct app *,
		    const struct conf_account *ca, const char *mailbox,
		    struct err *e);
/*
 * app.c: open (account, folder).  acct NULL: a folder of the -f Maildir at
 * path; a POP3 account: its spool (path NULL) or a Maildir++ subfolder.
 */
int		 app_open_maildir_in(struct app *, struct conf_account *acct,
		    const char *path, const char *name, struct err *e);
int		 app_open_account_folder(struct app *, struct conf_account *,
		    const char *folder, const char *path, struct err *e);
struct conf	*app_conf(struct app *);
void		 app_emit_folders_changed(struct app *);
/* The open backend's list / status hooks; 0 with e if there are none. */
uint32_t	 app_backend_list(struct app *, bool *with_status,
		    struct err *e);
uint32_t	 app_backend_status(struct app *, const char *mailbox,
		    struct err *e);

/*
 * app-folders.c: the folder list glue (mailboxes.h) that app.c owns.
 */
struct app_folders;
struct imap_event;
struct mailboxes;
struct app_folders *app_folders_new(struct app *);
void		 app_folders_free(struct app_folders *);
struct app_folders *app_folders(struct app *);
/* Add the configuration's accounts (app_conf()) and scan the Maildirs. */
void		 app_folders_accounts(struct app_folders *);
/* The open folder closed (its backend is gone). */
void		 app_folders_closed(struct app_folders *);
/*
 * Folder (name) of account ca is open now; ca NULL: the -f Maildir, whose
 * root maildir_root names when it is (re)opened.
 */
void		 app_folders_opened(struct app_folders *,
		    const struct conf_account *ca, const char *maildir_root,
		    const char *folder);
/* The open IMAP account is in step: list its folders. */
void		 app_folders_imap_ready(struct app_folders *);
/* Every session event of the open IMAP account (LIST, STATUS, DONE). */
void		 app_folders_imap_event(struct app_folders *,
		    const struct imap_event *);
struct mailboxes *app_folders_model(struct app_folders *);
void		 app_folders_refresh(struct app_folders *);
/* Every APP_POLL_MS: rescan the Maildirs (cheap when nothing changed). */
void		 app_folders_poll(struct app_folders *);
int		 app_folders_open(struct app_folders *, size_t i,
		    struct err *e);
char		**app_folders_names(struct app_folders *, size_t *n);

#endif
