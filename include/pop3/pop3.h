/* SPDX-License-Identifier: ISC */
/*
 * pop3.h: a POP3 client session (RFC 1939, CAPA RFC 2449, STLS RFC 2595,
 * AUTH RFC 5034) as a state machine without I/O.
 *
 * Server bytes go in (pop3_session_input), commands come out
 * (pop3_session_output), events are delivered through one callback, and
 * pop3_session_deadline() says when pop3_session_tick() must be called.
 * The caller owns the socket and TLS: when the session asks for STLS it
 * emits POP3_EV_STARTTLS and waits for pop3_session_tls_done().
 *
 * Times are milliseconds on any monotonic clock the caller chooses.
 * The callback must not free the session; it may queue commands.
 */
#ifndef PONS_POP3_POP3_H
#define PONS_POP3_POP3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pop3/pop3-parse.h"
#include "util/buf.h"
#include "util/err.h"

enum pop3_tls_mode {
	POP3_TLS_IMPLICIT,	/* the transport is TLS from the start (995) */
	POP3_TLS_STARTTLS,	/* upgrade with STLS; stop if not offered */
	POP3_TLS_NONE,		/* clear text: logins need allow_plaintext */
};

enum pop3_auth_mode {
	POP3_AUTH_AUTO,		/* AUTH PLAIN if offered, else USER/PASS */
	POP3_AUTH_USER,		/* USER/PASS only */
	POP3_AUTH_APOP,		/* APOP only (RFC 1939 section 7) */
};

struct pop3_config {
	const char		*peer;		/* name in log lines */
	const char		*user;
	const char		*password;	/* copied; wiped on free */
	enum pop3_tls_mode	 tls;
	bool			 encrypted;	/* transport already TLS */
	bool			 allow_plaintext;
	enum pop3_auth_mode	 auth;
	unsigned int		 pipeline_max;	/* commands in flight; 0: 32 */
	unsigned int		 timeout_ms;	/* per response; 0: 60 s */
	const struct pop3_limits *limits;	/* NULL: defaults */
};

enum pop3_event_type {
	POP3_EV_STARTTLS,	/* upgrade the transport, then tls_done() */
	POP3_EV_LISTING,	/* logged in; list/nlist is the maildrop */
	POP3_EV_NO_UIDL,	/* no UIDL: every message looks new */
	POP3_EV_MSG_BEGIN,	/* msgno: RETR/TOP accepted */
	POP3_EV_MSG_DATA,	/* msgno, data/len: LF line endings */
	POP3_EV_MSG_END,	/* msgno: the whole message arrived */
	POP3_EV_MSG_FAILED,	/* msgno: -ERR to RETR/TOP; err.msg */
	POP3_EV_DELE_OK,	/* msgno marked deleted (until QUIT) */
	POP3_EV_DELE_FAILED,	/* msgno: -ERR to DELE; err.msg */
	POP3_EV_IDLE,		/* every queued command was answered */
	POP3_EV_DONE,		/* QUIT answered: deletions committed */
	POP3_EV_ERROR,		/* err; the session is dead */
};

struct pop3_msginfo {
	uint32_t	 msgno;
	uint64_t	 size;		/* octets, as LIST says */
	const char	*uidl;		/* NULL without UIDL; not NUL-safe */
	size_t		 uidl_len;
};

struct pop3_event {
	enum pop3_event_type		 type;
	uint32_t			 msgno;
	bool				 top;	/* MSG_*: answer to TOP */
	const char			*data;
	size_t				 len;
	const struct pop3_msginfo	*list;	/* LISTING, by msgno */
	size_t				 nlist;
	struct err			 err;
};

typedef void (*pop3_event_cb)(void *arg, const struct pop3_event *);

/* Everything in ev is borrowed for the duration of the callback. */
struct pop3_session *pop3_session_new(const struct pop3_config *,
		    pop3_event_cb, void *arg);
void		 pop3_session_free(struct pop3_session *);
/* Replace the password (copied; the old one is wiped).  Before start. */
void		 pop3_session_set_password(struct pop3_session *,
		    const char *);
/* Connection is up: wait for the greeting (arms the deadline). */
void		 pop3_session_start(struct pop3_session *, int64_t now);
void		 pop3_session_input(struct pop3_session *, const void *,
		    size_t, int64_t now);
/* The peer closed the connection. */
void		 pop3_session_eof(struct pop3_session *, int64_t now);
void		 pop3_session_tick(struct pop3_session *, int64_t now);
/* Absolute time of the next deadline, or -1 for none. */
int64_t		 pop3_session_deadline(const struct pop3_session *);
/* Move pending command bytes to the end of out; returns how many. */
size_t		 pop3_session_output(struct pop3_session *, struct buf *out);
/* The transport is now TLS (after POP3_EV_STARTTLS). */
void		 pop3_session_tls_done(struct pop3_session *, int64_t now);
/*
 * Commands valid after POP3_EV_LISTING.  They are queued and pipelined
 * (when the server offers PIPELINING, up to pipeline_max in flight).
 * Return -1 (ERR_PROTO) when the session is not in the transaction state.
 */
int		 pop3_session_retr(struct pop3_session *, uint32_t msgno,
		    struct err *);
int		 pop3_session_top(struct pop3_session *, uint32_t msgno,
		    unsigned int lines, struct err *);
int		 pop3_session_dele(struct pop3_session *, uint32_t msgno,
		    struct err *);
/* Send QUIT after what is queued; POP3_EV_DONE follows its +OK. */
void		 pop3_session_quit(struct pop3_session *);
/* Commands queued or in flight. */
size_t		 pop3_session_busy(const struct pop3_session *);
/* True once dead (error) or done (QUIT answered). */
bool		 pop3_session_finished(const struct pop3_session *);
/* A capability from the last CAPA, e.g. "PIPELINING". */
bool		 pop3_session_has_capa(const struct pop3_session *,
		    const char *);
/* Name of the current state, for logs. */
const char	*pop3_session_state_name(const struct pop3_session *);

/* MD5 (RFC 1321) of p[0..len) as 32 lower-case hex digits + NUL. */
void		 pop3_md5_hex(const void *, size_t, char out[33]);

#endif
