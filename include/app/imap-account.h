/* SPDX-License-Identifier: ISC */
/*
 * imap-account.h: one IMAP account, live.  Glue between an imap session
 * (protocol), a net conn (bytes), the loop (a timer for the session's
 * deadline and the reconnect backoff) and the account's cache.
 *
 * It connects, logs in, opens a mailbox by painting it from the cache and
 * then asking the server only for what changed (QRESYNC, else the UID list
 * plus a flags refresh), keeps the cache in step with every event, and
 * reconnects with exponential backoff when the link is lost, reopening the
 * mailbox and replaying journaled actions.  Flag changes, moves and copies
 * all pass through the cache's journal and leave it once the server
 * answered, so they reach the server in the order they were made; an
 * action is replayed on a connection that has its own mailbox selected
 * (the open one's at once; each other mailbox's, once the open one is in
 * step, on a short-lived second connection), and one whose mailbox's
 * UIDVALIDITY changed is a conflict.
 */
#ifndef PONS_APP_IMAP_ACCOUNT_H
#define PONS_APP_IMAP_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap/imap.h"
#include "store/cache.h"

struct buf;

struct loop;
struct imap_account;

struct imap_account_params {
	const char		*name;		/* account name, for messages */
	const char		*host;
	const char		*port;
	enum imap_tls_mode	 tls;
	const char		*ca_file;	/* NULL: the system store */
	const char		*user;
	const char		*password;	/* wiped on free */
	bool			 password_later; /* NULL password: it comes
						 * by imap_account_password */
	bool			 allow_plaintext;
	bool			 idle;
	uint64_t		 idle_restart;	/* ms */
	uint64_t		 poll_interval;	/* ms */
	uint64_t		 timeout;	/* ms per answer */
	const char		*cache_path;	/* NULL: no cache */
	size_t			 body_max;
	bool			 reconnect;	/* retry with backoff when lost */
	bool			 one_shot;	/* leaves once opened: no NOTIFY */
	bool			 batch;		/* no screen: imap_params.batch */
	bool			 count_rows;	/* OPENED counts the cache's rows
						 * (waits for them to be written) */
	bool			 journal_only;	/* opens only to replay the
						 * mailbox's journal: paints
						 * nothing, logs out once it
						 * is empty */
};

enum imap_acc_ev_type {
	IMAP_ACC_SESSION,	/* ev: a session event, after the cache saw it */
	IMAP_ACC_CACHED,	/* msg: a row painted from the cache */
	IMAP_ACC_OPENED,	/* mailbox is in step with the server */
	IMAP_ACC_OFFLINE,	/* err; retry_in seconds (0: no retry) */
	IMAP_ACC_CONFLICT,	/* a journaled action could not be replayed */
	IMAP_ACC_ACTION_DONE,	/* action left the journal; err: how (ERR_NONE:
				 * applied); ev: the server's DONE, if any */
	IMAP_ACC_NOTE,		/* err: what the user should know, which stops
				 * nothing (the cache was damaged and made
				 * anew; a mailbox's changes wait; ERR_NONE:
				 * news, such as changes made offline sent) */
};

struct imap_acc_event {
	enum imap_acc_ev_type		 type;
	const struct imap_event		*ev;
	const struct cache_msg		*msg;		/* CACHED; SESSION with a
							 * MESSAGE of the index
							 * fetch: its row */
	const char			*mailbox;
	struct err			 err;
	unsigned int			 retry_in;
	uint32_t			 count;		/* OPENED, count_rows:
							 * rows in the cache */
	int64_t				 action;	/* CONFLICT, ACTION_DONE:
							 * the action's id */
};

typedef void (*imap_account_cb)(void *arg, const struct imap_acc_event *);

/*
 * Copy src into dst with strings of its own (name defaults to host); fini
 * frees them, the password wiped first.
 */
void	 imap_account_params_copy(struct imap_account_params *dst,
	    const struct imap_account_params *src);
void	 imap_account_params_fini(struct imap_account_params *);

/* Start connecting at once.  params and its strings are copied. */
struct imap_account	*imap_account_new(struct loop *,
			    const struct imap_account_params *,
			    imap_account_cb, void *arg);
void			 imap_account_free(struct imap_account *);
/*
 * Free it once the changes it sent are answered (or its link goes), from
 * the loop; at once if none is on its way.  It sends nothing new, says
 * nothing more, and no side account of another takes its mailbox's
 * journal meanwhile: a change cut off on the wire could be made twice.
 */
void			 imap_account_retire(struct imap_account *);
/* Retired accounts not yet gone; free them all (before the loop goes). */
bool			 imap_account_retired_any(void);
void			 imap_account_retired_free(void);
/*
 * The password promised by password_later (copied): the connection,
 * TLS and the cache went ahead without it, and the login waits for it.
 * False if the account was not waiting for one (it has one, or gave up:
 * make a new account).
 */
bool			 imap_account_password(struct imap_account *,
			    const char *password);
/* The session of the current connection, or NULL while offline. */
struct imap_session	*imap_account_session(struct imap_account *);
bool			 imap_account_is_ready(const struct imap_account *);
/* Resolving the host or connecting TCP: nothing sent to the server yet. */
bool			 imap_account_connecting(const struct imap_account *);
/* List the mailboxes (events IMAP_EV_MAILBOX, then DONE). */
uint32_t imap_account_list(struct imap_account *, struct err *);
/*
 * Open mailbox: rows from the cache first (IMAP_ACC_CACHED), then
 * SELECT and the resync; IMAP_ACC_OPENED when in step.  Remembered and
 * reopened after a reconnect.
 */
int	 imap_account_open(struct imap_account *, const char *mailbox,
	    struct err *);
/*
 * Set or clear flags on UIDs of the open mailbox; offline, the action
 * is journaled and replayed after the next reconnect.
 */
int	 imap_account_store(struct imap_account *, const uint32_t *uids,
	    size_t n, bool add, const char *flags, struct err *);
/*
 * Online only (0 with e set otherwise), sent at once: UID EXPUNGE of uids
 * (with UIDPLUS), and BODY.PEEK[section] of uid (the text arrives as an
 * IMAP_EV_BODY session event, and goes to the cache).  The command id.
 */
uint32_t imap_account_expunge(struct imap_account *, const uint32_t *uids,
	    size_t n, struct err *);
uint32_t imap_account_fetch_body(struct imap_account *, uint32_t uid,
	    const char *section, struct err *);
/* Append the cached part section of uid to out: 1, or 0 if not cached. */
int	 imap_account_body_get(struct imap_account *, uint32_t uid,
	    const char *section, struct buf *out);
/*
 * Check the link now (DONE or NOOP, answered within the timeout): after
 * the process resumes from a suspend or the clock jumped.  Offline, retry
 * at once instead of waiting out the backoff.
 */
void	 imap_account_check(struct imap_account *);
/* STATUS of mailbox (events IMAP_EV_STATUS, then DONE).  Command id. */
uint32_t imap_account_status(struct imap_account *, const char *mailbox,
	    struct err *);
/*
 * A journaled change (of the open mailbox, or of a side account's) or a
 * transfer sent without a cache is on its way: its answer has not come.
 */
bool	 imap_account_sending(const struct imap_account *);
/* Changes saved in the journal that the server has not had yet. */
size_t	 imap_account_waiting(struct imap_account *);
/* Log out and stop reconnecting. */
void	 imap_account_logout(struct imap_account *);
/*
 * The same once the open mailbox's journal has been sent (a batch run:
 * what waits there reaches the server too); at once if not in step.
 */
void	 imap_account_finish(struct imap_account *);

/*
 * Move (UID MOVE, else COPY + STORE \Deleted + UID EXPUNGE) or copy uids
 * of the open mailbox to mailbox.  Like a flag change, the action goes
 * into the journal first and is sent behind every earlier action on the
 * open mailbox (at once when nothing waits, else after the reconnect and
 * resync); *id is its id, and IMAP_ACC_ACTION_DONE with that id tells the
 * outcome (a refusal carries the server's DONE: [TRYCREATE] for a missing
 * mailbox).  Without a cache it is sent at once, online only.  0, or -1
 * with e set.
 */
int	 imap_account_transfer(struct imap_account *, const uint32_t *uids,
	    size_t n, const char *mailbox, bool move, int64_t *id,
	    struct err *e);
/*
 * CREATE mailbox, online only (0 with e set otherwise): the command id,
 * whose IMAP_EV_DONE tells the outcome.
 */
uint32_t imap_account_create(struct imap_account *, const char *mailbox,
	    struct err *e);

#endif
