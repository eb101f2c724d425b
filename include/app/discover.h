/* SPDX-License-Identifier: ISC */
/*
 * discover.h: finding the mail settings for an email address.
 *
 * From "me@example.net" pons builds a list of candidates: the usual host
 * names (imap., mail. and the domain itself for IMAP; pop., pop3., mail.
 * and the domain for POP3) on the usual ports (993 and 995 with implicit
 * TLS, 143 with STARTTLS, 110 with STLS).  Every candidate is probed at
 * once on the event loop, each with its own timeouts: connect, TLS with
 * the certificate verified (never switched off), the CAPABILITY / CAPA
 * answers.  Then, per protocol, pons logs in on the best candidate that
 * answered, and on the next one only if that one failed for a reason
 * other than the password: a wrong password is tried once per user form,
 * not on every host (servers lock accounts that fail too often).
 *
 * A password is only ever sent over TLS whose certificate was verified.
 * The user is the full address; if the server refuses it, the local part
 * is tried on the same connection.  Nothing here prints; progress and the
 * result come through callbacks from the loop.
 */
#ifndef PONS_APP_DISCOVER_H
#define PONS_APP_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

struct buf;
struct loop;

enum discover_proto {
	DISCOVER_IMAP,
	DISCOVER_POP3,
};

enum discover_tls {
	DISCOVER_TLS_IMPLICIT,	/* TLS from the first byte (993, 995) */
	DISCOVER_TLS_STARTTLS,	/* STARTTLS (IMAP 143) or STLS (POP3 110) */
};

enum discover_status {
	DISCOVER_PENDING,	/* still being probed */
	DISCOVER_UNREACHABLE,	/* no such server here (error says why) */
	DISCOVER_FOUND,		/* a server of this protocol answered */
};

enum discover_login {
	DISCOVER_LOGIN_NOT_TRIED,	/* no password, or another won */
	DISCOVER_LOGIN_OK,
	DISCOVER_LOGIN_REFUSED,		/* the server said no to the credentials */
	DISCOVER_LOGIN_FAILED,		/* no answer, locked, unsupported ... */
};

/* Capability bits (caps), IMAP and POP3 alike. */
#define DISCOVER_CAP_IDLE	0x0001	/* IMAP IDLE (RFC 2177) */
#define DISCOVER_CAP_CONDSTORE	0x0002	/* RFC 7162 */
#define DISCOVER_CAP_QRESYNC	0x0004	/* RFC 7162 */
#define DISCOVER_CAP_UIDPLUS	0x0008	/* RFC 4315 */
#define DISCOVER_CAP_MOVE	0x0010	/* RFC 6851 */
#define DISCOVER_CAP_STARTTLS	0x0020	/* IMAP STARTTLS, POP3 STLS */
#define DISCOVER_CAP_NOLOGIN	0x0040	/* IMAP LOGINDISABLED */
#define DISCOVER_CAP_SASLIR	0x0080	/* IMAP SASL-IR (RFC 4959) */
#define DISCOVER_CAP_UIDL	0x0100	/* POP3 UIDL */
#define DISCOVER_CAP_PIPELINING	0x0200	/* POP3 PIPELINING (RFC 2449) */
#define DISCOVER_CAP_USER	0x0400	/* POP3 USER/PASS */
#define DISCOVER_CAP_TOP	0x0800	/* POP3 TOP */
#define DISCOVER_CAP_PLAIN	0x1000	/* SASL PLAIN offered */
#define DISCOVER_CAP_IMAP4REV2	0x2000	/* RFC 9051 */

/*
 * One place to look.  Strings are owned by the discover object and stay
 * valid until discover_free(); those from the server are sanitized.
 */
struct discover_candidate {
	enum discover_proto	 proto;
	char			*host;
	unsigned int		 std_port;	/* 993, 143, 995, 110 */
	unsigned int		 port;		/* after the port map */
	enum discover_tls	 tls;
	unsigned int		 order;		/* place in the probe order */

	enum discover_status	 status;
	bool			 cert_ok;	/* TLS up, certificate verified */
	char			*fingerprint;	/* SHA-256 "AB:CD:..." or NULL */
	char			*tls_info;	/* "TLSv1.3 ..." or NULL */
	char			*error;		/* why unreachable, or what is
						   wrong with a found server
						   (certificate, no STARTTLS);
						   NULL if nothing */
	bool			 caps_known;
	bool			 caps_logged_in; /* caps as listed after
						   the login (IMAP lists
						   more then) */
	unsigned int		 caps;		/* DISCOVER_CAP_* */
	char			*sasl;		/* "PLAIN LOGIN ..." or NULL */

	enum discover_login	 login;
	char			*login_user;	/* the user name tried last */
	char			*login_msg;	/* the server's answer, or why */
};

/* Standard port → the port actually tried (to 0: do not try it). */
struct discover_port {
	unsigned int	 from;
	unsigned int	 to;
};

struct discover_opts {
	const char *const		*hosts;	/* replace the usual names */
	size_t				 nhosts;
	const struct discover_port	*ports;	/* port map */
	size_t				 nports;
	const char			*ca_file; /* the ONLY trust anchors */
	unsigned int			 timeout_ms; /* each step; 0: 10 s */
};

#define DISCOVER_TIMEOUT_MS	10000

/* The outcome: every candidate, best first.  Borrowed until discover_free. */
struct discover_result {
	const struct discover_candidate *const	*v;
	size_t					 n;
	const char				*email;
	bool					 login_asked; /* a password was given */
};

/*
 * progress: a candidate changed (status, certificate, login); it may be
 * read, not kept.  done: every probe is over; the result is borrowed until
 * discover_free(), which done may call.  progress must not call it.
 */
struct discover_cbs {
	void	(*progress)(const struct discover_candidate *, void *arg);
	void	(*done)(const struct discover_result *, void *arg);
};

struct discover;

/*
 * Start finding the settings for email.  password NULL: only look (no
 * login is tried).  email, password and opts are copied (the password is
 * wiped when freed).  Returns NULL with e set (ERR_INPUT) if the address
 * or the options make no sense (no '@', empty parts, a bad host name, no
 * candidate left after the port map); otherwise the callbacks follow from
 * the loop.  Owned by the caller.
 */
struct discover	*discover_start(struct loop *, const char *email,
		    const char *password, const struct discover_opts *,
		    const struct discover_cbs *, void *arg, struct err *e);
/* Stop every probe at once and free everything.  NULL ok. */
void		 discover_free(struct discover *);

/*
 * The candidates for email and opts, in probe order (the order logins are
 * tried in, per protocol): implicit TLS first, then the protocol's own
 * host name, then mail., then the domain.  *out is xcalloc'ed, free it
 * with discover_candidates_free().  Returns -1 with e set (ERR_INPUT) as
 * for discover_start().  Pure; exposed for tests.
 */
int		 discover_candidates(const char *email,
		    const struct discover_opts *,
		    struct discover_candidate **out, size_t *n, struct err *e);
void		 discover_candidates_free(struct discover_candidate *, size_t n);
/*
 * The result order (qsort of pointers): logged in first, then verified
 * and not tried or refused, then login failed, then certificate problems,
 * then unreachable; within each, implicit TLS before STARTTLS, IMAP before
 * POP3, then probe order.
 */
int		 discover_rank_cmp(const void *, const void *);
/*
 * A candidate pons can use as it is: found, certificate verified, and the
 * login ok (or not tried because no password was given).
 */
bool		 discover_usable(const struct discover_candidate *,
		    bool login_asked);

/*
 * Parse a port map "993=1993,143=1143" (to 0: skip that port) into *out
 * (xreallocarray'ed, free() it).  Returns -1 with e set (ERR_INPUT).
 */
int		 discover_port_map_parse(const char *s,
		    struct discover_port **out, size_t *n, struct err *e);

/* "IMAP", "POP3"; "implicit TLS", "STARTTLS" / "STLS" in plain words. */
const char	*discover_proto_name(enum discover_proto);
const char	*discover_tls_name(enum discover_proto, enum discover_tls);
/* The capabilities worth telling a person about, "IDLE CONDSTORE ...". */
void		 discover_caps_describe(const struct discover_candidate *,
		    struct buf *out);

#endif
