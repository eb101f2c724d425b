/* SPDX-License-Identifier: ISC */
/*
 * conn.h: one client connection to a server, non-blocking from start to
 * end: name resolution off the loop thread, connect() over every address
 * in turn with a timeout, TLS (implicit, STARTTLS, or none), a queue of
 * output chunks and one input buffer with a line / exact-length reader.
 *
 * A conn knows nothing of IMAP or POP3: the session that owns it decides
 * what the bytes mean, traces protocol lines with log_proto() and arms the
 * "answer expected within N ms" deadline with conn_set_timeout().  The
 * conn itself only logs connects and errors (log_debug).
 *
 * Security defaults, which cannot be switched off: TLS 1.2 at least,
 * SNI, certificate chain AND host name (or IP address) verified against
 * the system store or params.ca_file.  A failed verification is an error
 * of class ERR_TLS naming the host, OpenSSL's reason and the certificate's
 * SHA-256 fingerprint; the UI may show that fingerprint, and if the user
 * trusts it, reconnect with params.pin_sha256 set to it.
 *
 * Callbacks are never called from inside a conn_* call made by the owner;
 * they come from the loop.  Every callback may call conn_free() on its
 * conn.
 */
#ifndef PONS_NET_CONN_H
#define PONS_NET_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct conn;
struct loop;

enum conn_tls {
	CONN_TLS_NONE,		/* clear text (the app allows it by policy) */
	CONN_TLS_IMPLICIT,	/* handshake right after connect (993, 995) */
	CONN_TLS_STARTTLS,	/* clear until the owner calls conn_starttls() */
};

enum conn_state {
	CONN_RESOLVING,		/* waiting for the resolver */
	CONN_CONNECTING,	/* TCP connect in progress */
	CONN_HANDSHAKE,		/* TLS handshake (implicit or STARTTLS) */
	CONN_OPEN,		/* bytes flow */
	CONN_CLOSED,		/* the peer closed; buffered input still readable */
	CONN_FAILED,		/* the error callback was called */
};

/* Defaults used when a params field is 0. */
#define CONN_CONNECT_TIMEOUT_MS	30000	/* per address, and per handshake */
#define CONN_LINE_MAX		65536	/* bytes, terminator excluded */

struct conn_params {
	const char	*host;		/* name or IP literal; copied */
	const char	*port;		/* "993", "imaps": copied */
	enum conn_tls	 tls;
	const char	*ca_file;	/* PEM; if set, the ONLY trust anchors */
	const char	*pin_sha256;	/* "AB:CD:..." leaf accepted even if
					   verification fails; NULL: none */
	unsigned int	 connect_timeout_ms;	/* 0: CONN_CONNECT_TIMEOUT_MS */
	size_t		 line_max;	/* 0: CONN_LINE_MAX */
	bool		 coalesce;	/* gather a stream's reads (conn.c) */
};

/*
 * What the conn tells its owner (arg is the conn_new() argument).  Any
 * member may be NULL.
 *  connected	TCP is up and, for CONN_TLS_IMPLICIT, the handshake and
 *		verification succeeded.  Queued output starts flowing.
 *  tls_ready	the conn_starttls() handshake succeeded.
 *  readable	new bytes were appended to the input buffer: read them
 *		with conn_read_line(), conn_read_exact(), conn_peek().
 *		Bytes not consumed stay for the next call.
 *  drained	the output queue became empty.
 *  closed	the peer closed the connection cleanly (EOF).  Input still
 *		buffered can be read; nothing more will arrive.
 *  error	the connection failed (e is borrowed for the call).  No
 *		other callback follows; the owner should conn_free().
 *		Classes: ERR_TEMP (resolve, refused, reset, timeout),
 *		ERR_TLS (handshake, verification), ERR_LIMIT (line too
 *		long), ERR_LOCAL (out of descriptors, bad ca_file).
 */
struct conn_cbs {
	void	(*connected)(struct conn *, void *arg);
	void	(*tls_ready)(struct conn *, void *arg);
	void	(*readable)(struct conn *, void *arg);
	void	(*drained)(struct conn *, void *arg);
	void	(*closed)(struct conn *, void *arg);
	void	(*error)(struct conn *, const struct err *e, void *arg);
};

/*
 * Start connecting to params->host and params->port.  params and cbs are
 * copied (cbs by value, strings duplicated).  Never fails here: every
 * failure, a bad ca_file included, arrives later through cbs->error.
 * Output may be queued at once; it is sent once connected.  Owned by the
 * caller; free with conn_free().
 */
struct conn	*conn_new(struct loop *, const struct conn_params *,
		    const struct conn_cbs *, void *arg);
/*
 * A conn over fd, which is already connected (a socketpair or a tunnel):
 * the conn takes fd (makes it non-blocking, closes it on free).  host in
 * params names the peer for messages and TLS verification; port is
 * unused.  With CONN_TLS_IMPLICIT the handshake starts at once.
 */
struct conn	*conn_new_fd(struct loop *, int fd, const struct conn_params *,
		    const struct conn_cbs *, void *arg);
/*
 * Close at once (a TLS close_notify is attempted, queued output is
 * dropped) and free.  Safe inside any callback of this conn.  NULL ok.
 */
void		 conn_free(struct conn *);

enum conn_state	 conn_state(const struct conn *);
/* The params host; borrowed until conn_free(). */
const char	*conn_host(const struct conn *);
bool		 conn_is_tls(const struct conn *);
/*
 * "TLSv1.3 TLS_AES_256_GCM_SHA384" once the handshake is done, else NULL.
 * Borrowed until conn_free().
 */
const char	*conn_tls_info(const struct conn *);
/*
 * SHA-256 of the server certificate as "AB:CD:..." (95 chars) once one was
 * received (also after a failed verification), else NULL.  Borrowed until
 * conn_free().
 */
const char	*conn_tls_fingerprint(const struct conn *);

/*
 * Upgrade an open clear-text conn to TLS in place (STARTTLS, after the
 * server's go-ahead).  Input already buffered in clear is DISCARDED, never
 * handed out as if it had come over TLS (RFC 3207 section 4.2, RFC 2595
 * section 3.1: a man in the middle may have injected it).  The output
 * queue must be empty.  cbs->tls_ready or cbs->error follows.  Returns 0,
 * or -1 with e set (ERR_LOCAL: wrong state or unsent output).
 */
int		 conn_starttls(struct conn *, struct err *e);

/* Queue a copy of p[0..len) for sending. */
void		 conn_write(struct conn *, const void *p, size_t len);
/* Queue p[0..len), taking it: the conn free()s it when sent or freed. */
void		 conn_write_take(struct conn *, void *p, size_t len);
/* Queue the C string s (copied). */
void		 conn_write_str(struct conn *, const char *s);
/* Bytes queued and not yet handed to the kernel (or to TLS). */
size_t		 conn_pending(const struct conn *);

/*
 * Deadline for progress: if no byte moves either way for ms milliseconds
 * from now, the conn fails with ERR_TEMP ("... timed out").  Every byte
 * sent or received restarts the count.  0 disarms.  An owner expecting an
 * answer sets it after sending; a session in IDLE sets a long one.
 */
void		 conn_set_timeout(struct conn *, unsigned int ms);

/*
 * The reader.  Returned pointers are borrowed: valid until the next call
 * of any conn_read_* / conn_peek / conn_consume on c, or until the current
 * callback returns, whichever comes first.
 *
 * conn_read_line: the next line without its terminator (CRLF; lenient:
 * a bare LF also ends a line and a CR before it is dropped).  Returns 1
 * with *line, *len set and the line consumed; 0 if no complete line is
 * buffered yet; -1 with e set (ERR_LIMIT) if the line is longer than
 * line_max: the conn is then failed, and cbs->error follows from the loop
 * (e may be NULL).
 */
int		 conn_read_line(struct conn *, const char **line, size_t *len,
		    struct err *e);
/*
 * conn_read_exact: the next n bytes (IMAP literals, POP3 blocks).  Returns
 * 1 with *p set and the bytes consumed, 0 if fewer than n are buffered.
 * n is the caller's to bound; the input buffer grows to hold it.
 */
int		 conn_read_exact(struct conn *, size_t n, const char **p);
/*
 * All buffered input (for byte-fed parsers): *len bytes at the returned
 * pointer (never NULL), nothing consumed.  Follow with conn_consume().
 */
const char	*conn_peek(struct conn *, size_t *len);
/* Drop the first n buffered bytes (n > buffered empties it). */
void		 conn_consume(struct conn *, size_t n);
/* Bytes buffered and not yet consumed. */
size_t		 conn_buffered(const struct conn *);

#endif
