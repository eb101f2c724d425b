/* SPDX-License-Identifier: ISC */
/*
 * imap.h: the IMAP session, a protocol state machine without I/O.
 *
 * Server bytes go in (imap_session_input); out come bytes to send
 * (imap_session_output / _sent), typed events (the callback given to
 * imap_session_new) and the next deadline (imap_session_next_deadline,
 * honoured by calling imap_session_tick).  Requests (select, fetch,
 * store ...) queue a command and return at once with a command id; the
 * IMAP_EV_DONE event with that id tells how it ended.
 *
 * The session never sends credentials on a transport the app did not
 * declare encrypted unless params.allow_plaintext; it discards bytes
 * buffered before a STARTTLS upgrade; and it checks what the server says
 * against what it knows (EXISTS, sequence numbers, UIDs, UIDVALIDITY).
 */
#ifndef PONS_IMAP_IMAP_H
#define PONS_IMAP_IMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap/imap-parse.h"
#include "util/err.h"

struct buf;

enum imap_tls_mode {
	IMAP_TLS_IMPLICIT,	/* port 993: the transport is TLS from the start */
	IMAP_TLS_STARTTLS,	/* port 143, upgraded before login (RFC 9051 6.2.1) */
	IMAP_TLS_NONE,		/* clear text: login only if allow_plaintext */
};

typedef uint64_t (*imap_clock_cb)(void *arg);	/* milliseconds, monotonic */

struct imap_params {
	const char		*host;		/* label for logs */
	enum imap_tls_mode	 tls;
	bool			 allow_plaintext;
	bool			 use_idle;	/* IDLE when offered, else NOOP poll */
	uint64_t		 idle_restart;	/* ms; default 25 min */
	uint64_t		 poll_interval;	/* ms between NOOPs without IDLE */
	uint64_t		 cmd_timeout;	/* ms allowed for each response */
	uint32_t		 first_chunk;	/* headers in the first FETCH */
	uint32_t		 chunk;		/* headers per later FETCH */
	unsigned int		 chunks_ahead;	/* later FETCHes in flight at once */
	bool			 batch;		/* no screen to fill first: no head
						 * start, no first chunk alone */
	unsigned int		 pipeline_max;	/* commands in flight */
	uint32_t		 exists_max;	/* messages a mailbox may hold;
						 * the map costs 4 bytes each */
	struct imap_limits	 limits;
	imap_clock_cb		 clock;
	void			*clock_arg;
};

/*
 * Fill p with the defaults: implicit TLS, IDLE on, restart 25 min, poll
 * 60 s, timeout 60 s, a chunk of 50 alone, then chunks of 1000, 4 of them
 * in flight, 8 commands in flight, 10M messages.
 */
void	 imap_params_default(struct imap_params *p);

enum imap_state {
	IMAP_STATE_CONNECTING,	/* waiting for imap_session_start */
	IMAP_STATE_GREETING,	/* waiting for the server's greeting */
	IMAP_STATE_STARTTLS,	/* STARTTLS sent, or handshake running */
	IMAP_STATE_NOAUTH,	/* ready for login, or waiting for a password */
	IMAP_STATE_AUTHENTICATING,
	IMAP_STATE_AUTH,	/* logged in, nothing selected */
	IMAP_STATE_SELECTED,
	IMAP_STATE_LOGOUT,
	IMAP_STATE_CLOSED,	/* over: drop the connection */
};

enum imap_ev_type {
	IMAP_EV_STATE,		/* state changed to ev->state */
	IMAP_EV_GREETING,	/* text: the greeting */
	IMAP_EV_NEED_TLS,	/* STARTTLS accepted: handshake, then tls_ready */
	IMAP_EV_NEED_PASSWORD,	/* call imap_session_login */
	IMAP_EV_LOGGED_IN,	/* capabilities known, ENABLE done */
	IMAP_EV_MAILBOX,	/* mailbox (UTF-8), list */
	IMAP_EV_STATUS,		/* mailbox, status (status->have: what
				 * came; NOTIFY may send UNSEEN alone) */
	IMAP_EV_SELECTED,	/* mailbox, sel */
	IMAP_EV_RESYNC,		/* the cache of mailbox is invalid: text says why */
	IMAP_EV_EXISTS,		/* exists: new message count */
	IMAP_EV_UIDS,		/* uids: every UID of the selected mailbox */
	IMAP_EV_MESSAGE,	/* uid, fetch: headers and/or flags */
	IMAP_EV_BODY,		/* uid, section */
	IMAP_EV_EXPUNGE,	/* uid (0 if unknown), seq */
	IMAP_EV_VANISHED,	/* uids, earlier */
	IMAP_EV_PROGRESS,	/* done of total headers fetched */
	IMAP_EV_ALERT,		/* text: [ALERT], to show the user */
	IMAP_EV_BYE,		/* text */
	IMAP_EV_DONE,		/* cmd_id finished: err.cls ERR_NONE or not */
	IMAP_EV_WARN,		/* err: something odd, handled; show it */
	IMAP_EV_ERROR,		/* err: the session is over (state CLOSED) */
};

/* What a SELECT (or EXAMINE) established. */
struct imap_selected {
	uint32_t		 uidvalidity;
	uint32_t		 exists;
	uint32_t		 uidnext;	/* 0 if the server did not say */
	uint64_t		 highestmodseq;	/* 0: none (NOMODSEQ) */
	bool			 read_only;
	bool			 qresync;	/* QRESYNC was used */
	struct imap_strs	 flags;
	struct imap_strs	 permanent_flags;
};

/* An event.  Everything it points to is borrowed for the callback only. */
struct imap_event {
	enum imap_ev_type		 type;
	uint32_t			 cmd_id;	/* 0: unsolicited */
	enum imap_state			 state;
	struct err			 err;
	const char			*text;
	const char			*mailbox;	/* UTF-8 */
	const struct imap_list		*list;
	const struct imap_status	*status;
	const struct imap_selected	*sel;
	uint32_t			 uid;
	uint32_t			 seq;
	uint32_t			 exists;
	const struct imap_fetch		*fetch;
	const struct imap_section	*section;
	const struct imap_seqset	*uids;
	bool				 earlier;
	const struct imap_code		*code;		/* DONE: APPENDUID ... */
	uint32_t			 done, total;
};

typedef void (*imap_event_cb)(void *arg, const struct imap_event *);

struct imap_session;

/*
 * A new session; params is copied (strings too).  Events go to cb(arg, ev)
 * from inside the session's functions.  Free with imap_session_free.
 */
struct imap_session	*imap_session_new(const struct imap_params *,
			     imap_event_cb cb, void *arg);
void			 imap_session_free(struct imap_session *);

/*
 * The transport is up; encrypted says whether it is TLS (implicit TLS
 * must be up already).  Starts waiting for the greeting.
 */
void	 imap_session_start(struct imap_session *, bool encrypted);
/* The STARTTLS handshake after IMAP_EV_NEED_TLS succeeded. */
void	 imap_session_tls_ready(struct imap_session *);
/* Bytes from the server (any split). */
void	 imap_session_input(struct imap_session *, const void *, size_t);
/* The transport closed (EOF or error); the session ends with ERR_TEMP. */
void	 imap_session_eof(struct imap_session *);
/* Bytes to send: *p borrowed until the next call on s.  0 if none. */
size_t	 imap_session_output(struct imap_session *, const void **p);
/* n bytes of the output were written. */
void	 imap_session_sent(struct imap_session *, size_t n);
/* Earliest time (clock ms) tick must be called; 0 for none. */
uint64_t imap_session_next_deadline(const struct imap_session *);
/* Run timers due at now: timeouts, IDLE restart, NOOP poll. */
void	 imap_session_tick(struct imap_session *, uint64_t now);
enum imap_state imap_session_state(const struct imap_session *);
/* True if the server offers the capability (e.g. "IDLE", "AUTH=PLAIN"). */
bool	 imap_session_has_cap(const struct imap_session *, const char *);
const char *imap_state_name(enum imap_state);

/*
 * Requests.  Each returns a command id (> 0) and queues the command; the
 * outcome comes as IMAP_EV_DONE with that id.  They return 0 when the
 * session cannot take the request (closed, not logged in, bad argument),
 * with e filled.
 */
/* Credentials, copied and wiped after use.  Logged in: IMAP_EV_LOGGED_IN. */
uint32_t imap_session_login(struct imap_session *, const char *user,
	    const char *pass, struct err *e);
/* LIST "" "*" with SPECIAL-USE and LIST-STATUS returns when offered. */
uint32_t imap_session_list(struct imap_session *, struct err *e);
uint32_t imap_session_status(struct imap_session *, const char *mailbox,
	    struct err *e);
/* CREATE mailbox (UTF-8, encoded on the wire as for SELECT). */
uint32_t imap_session_create(struct imap_session *, const char *mailbox,
	    struct err *e);

/* What the cache knows of a mailbox, for QRESYNC / CONDSTORE. */
struct imap_known {
	uint32_t		 uidvalidity;	/* 0: nothing known */
	uint64_t		 highestmodseq;
	struct imap_seqset	 uids;		/* may be empty */
};
uint32_t imap_session_select(struct imap_session *, const char *mailbox,
	    const struct imap_known *known, bool read_only, struct err *e);
/*
 * Fetch the index headers (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ and
 * BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO
 * REFERENCES CONTENT-TYPE)], which comes as imap_fetch.header) of every
 * UID of the selected mailbox above after_uid, newest
 * first, in chunks; IMAP_EV_PROGRESS after each chunk, IMAP_EV_DONE at the
 * end.
 */
uint32_t imap_session_fetch_headers(struct imap_session *, uint32_t after_uid,
	    struct err *e);
/* Flags (and MODSEQ) of UIDs in the ranges: refresh without QRESYNC. */
uint32_t imap_session_fetch_flags(struct imap_session *,
	    const struct imap_range *, size_t n, uint64_t changedsince,
	    struct err *e);
/* BODY.PEEK[section] (peek) or BODY[section] of one message. */
uint32_t imap_session_fetch_body(struct imap_session *, uint32_t uid,
	    const char *section, bool peek, struct err *e);
uint32_t imap_session_fetch_structure(struct imap_session *, uint32_t uid,
	    struct err *e);
/* UID STORE +FLAGS / -FLAGS of flags (space-separated, e.g. "\\Seen"). */
uint32_t imap_session_store(struct imap_session *, const uint32_t *uids,
	    size_t n, bool add, const char *flags, struct err *e);
/* UID EXPUNGE of the UIDs with UIDPLUS, else EXPUNGE (all \Deleted). */
uint32_t imap_session_expunge(struct imap_session *, const uint32_t *uids,
	    size_t n, struct err *e);
uint32_t imap_session_copy(struct imap_session *, const uint32_t *uids,
	    size_t n, const char *mailbox, struct err *e);
/* UID MOVE, or COPY + STORE \Deleted + UID EXPUNGE (UIDPLUS) without MOVE. */
uint32_t imap_session_move(struct imap_session *, const uint32_t *uids,
	    size_t n, const char *mailbox, struct err *e);
/* APPEND msg[0..len) with flags (may be NULL). */
uint32_t imap_session_append(struct imap_session *, const char *mailbox,
	    const char *flags, const char *msg, size_t len, struct err *e);
uint32_t imap_session_noop(struct imap_session *, struct err *e);
/*
 * Ask the server to push changes (RFC 5465 NOTIFY: new mail, expunges and
 * flag changes of the selected folder with its index fields, and of every
 * other personal folder as STATUS), once per connection and only if it
 * offers NOTIFY; call it when the open folder is in step.  No event.
 */
void	 imap_session_notify(struct imap_session *);
uint32_t imap_session_logout(struct imap_session *, struct err *e);
/* Allow (on) or forbid IDLE while nothing else runs. */
void	 imap_session_idle(struct imap_session *, bool on);
/* True while an IDLE command is running. */
bool	 imap_session_is_idling(const struct imap_session *);

/* One line describing ev, for logs and transcript tests. */
void	 imap_event_format(const struct imap_event *, struct buf *out);

#endif
