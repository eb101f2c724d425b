/* SPDX-License-Identifier: ISC */
/*
 * app-account.h: the interactive client's accounts.  app_open_account()
 * opens an account of the configuration as the app's current folder: an
 * IMAP account live (app-imap.c: the INBOX painted from the cache, then
 * kept in step with the server), a POP3 account as its local spool
 * Maildir with downloads run in the background (app-pop3.c).
 *
 * The rest of this header is the app layer's own plumbing between app.c
 * and the two backends; the UI never calls it.
 */
#ifndef PONS_APP_APP_ACCOUNT_H
#define PONS_APP_APP_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/events.h"
#include "util/err.h"

struct app;
struct conf;
struct folder;
struct imap_account_params;
struct loop;
struct msgview;
struct msgview_opts;

/*
 * Open account name (NULL: the default account) of c on the app, which
 * must have its loop set.  Returns 0, or -1 with e set.  c is only read
 * during the call.
 */
int	 app_open_account(struct app *, const struct conf *c, const char *name,
	    struct err *e);

/* app.c, for the backends */
struct loop	*app_loop(struct app *);
const char	*app_me(const struct app *);
void		 app_emit_folder_changed(struct app *);
void		 app_emit_row_changed(struct app *, uint32_t row);
void		 app_emit_state_changed(struct app *);
void		 app_emit_note(struct app *, enum app_note, const char *text);
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
	/* A row is about to be marked deleted. */
	void		 (*deleting)(void *);
	/* The user asked for new mail (fetch-mail). */
	void		 (*fetch)(void *);
	void		 (*free)(void *);
};
/*
 * Attach backend bk with arg (taken: bk->free) to the app.  With f (taken)
 * it replaces what was open; with f NULL it joins the open folder.
 */
void		 app_backend_attach(struct app *, const struct app_backend *bk,
		    void *arg, struct folder *f);
/* Account name shown on the status line (copied). */
void		 app_account_name_set(struct app *, const char *name);

/*
 * app-imap.c: open mailbox of an IMAP account (params copied) as the
 * app's folder: rows from the cache at once, then live.  0, or -1 with e.
 */
int		 app_imap_open(struct app *,
		    const struct imap_account_params *, const char *mailbox,
		    struct err *e);
/*
 * app-pop3.c: downloads of a POP3 account (params copied) into the spool
 * Maildir the app has open: one now, then every interval_s (0: none).
 */
struct pop3_fetch_params;
void		 app_pop3_open(struct app *, const struct pop3_fetch_params *,
		    unsigned int interval_s);

/*
 * Start a download of new mail on a POP3 account ("G"); false if the open
 * folder is no POP3 account.
 */
bool		 app_fetch_mail(struct app *);

#endif
