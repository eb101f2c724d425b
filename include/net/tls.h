/* SPDX-License-Identifier: ISC */
/*
 * tls.h: the OpenSSL side of a conn, kept apart so conn.c reads as plain
 * socket code.  One SSL_CTX per tls object (ca_file may differ per
 * account).  Policy fixed here: TLS 1.2 minimum, SNI for names, chain and
 * host name (X509_VERIFY_PARAM_set1_host) or IP (set1_ip_asc) verified,
 * the handshake aborted on failure unless the leaf matches a pin.
 *
 * Used by conn.c only; other layers go through conn.h.
 */
#ifndef PONS_NET_TLS_H
#define PONS_NET_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

struct tls;

/* What a TLS call wants before it can make progress. */
enum tls_status {
	TLS_OK,			/* done (handshake) or n bytes moved */
	TLS_WANT_READ,		/* retry when the socket is readable */
	TLS_WANT_WRITE,		/* retry when the socket is writable */
	TLS_EOF,		/* the peer closed (close_notify or EOF) */
	TLS_ERROR,		/* e is set; the connection is dead */
};

/*
 * A client TLS state over the connected socket fd (not taken: the caller
 * closes it after tls_free()).  host: the name or IP literal to verify
 * and send as SNI.  ca_file: NULL for the system store, else the only
 * trust anchors.  pin: fingerprint "AB:CD:..." accepted despite a failed
 * verification, or NULL.  Returns NULL with e set (ERR_LOCAL, ERR_TLS).
 */
struct tls	*tls_new(int fd, const char *host, const char *ca_file,
		    const char *pin, struct err *e);
/*
 * Start making the context tls_new() will want for ca_file (NULL: the
 * system store) on a thread, so that its milliseconds overlap the
 * caller's own work; tls_new() waits for it, and keeps the last context
 * for later connections with the same anchors.
 */
void		 tls_warm(const char *ca_file);
/* Try to send close_notify once (never waits), then free.  NULL ok. */
void		 tls_free(struct tls *);
/* Drive the handshake; call again on the wanted readiness. */
enum tls_status	 tls_handshake(struct tls *, struct err *e);
/* Read up to len bytes; *n receives the count on TLS_OK. */
enum tls_status	 tls_read(struct tls *, void *p, size_t len, size_t *n,
		    struct err *e);
/* Write up to len bytes (partial writes allowed); *n on TLS_OK. */
enum tls_status	 tls_write(struct tls *, const void *p, size_t len, size_t *n,
		    struct err *e);
/* Bytes already decrypted inside OpenSSL, waiting for tls_read(). */
size_t		 tls_pending(const struct tls *);
/* "TLSv1.3 TLS_AES_256_GCM_SHA384"; NULL before the handshake is done. */
const char	*tls_info(const struct tls *);
/* Leaf certificate fingerprint once received, else NULL. Borrowed. */
const char	*tls_fingerprint(const struct tls *);

#endif
