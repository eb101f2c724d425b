/* SPDX-License-Identifier: ISC */
/*
 * The OpenSSL side of a conn: context setup with pons's fixed policy,
 * the handshake, reads and writes on a non-blocking socket, and the words
 * of a failed verification.  It never touches the loop: it reports what
 * it wants (read or write readiness) and conn.c arranges the rest.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "net/tls.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define TLS_FP_LEN	(EVP_MAX_MD_SIZE * 3)
#define TLS_RBUF	(64 * 1024)	/* bytes of one read from the socket */

struct tls {
	SSL_CTX		*ctx;
	SSL		*ssl;
	char		*host;
	char		*pin;		/* NULL: no pinned certificate */
	char		 fp[TLS_FP_LEN];	/* leaf SHA-256, "" until seen */
	char		 info[128];	/* protocol and cipher */
	int		 verr;		/* first verification error */
	int		 vdepth;	/* its depth in the chain */
	bool		 pinned;	/* accepted by pin despite verr */
	bool		 done;		/* handshake complete */
	bool		 dead;		/* fatal error: no close_notify */
	/*
	 * Below OpenSSL: the socket, read TLS_RBUF bytes at a time, so a
	 * record costs no read() of its own (OpenSSL reads the 5-byte
	 * header and then the body of every record).
	 */
	int		 fd;
	char		*rbuf;
	size_t		 roff, rlen;	/* unread: rbuf[roff..rlen) */
	bool		 eof;		/* the socket read 0 */
};

static int	 tls_verify_cb(int, X509_STORE_CTX *);
static void	 tls_fp_set(struct tls *, X509 *);
static bool	 tls_is_ip(const char *);
static enum tls_status tls_status(struct tls *, int, const char *,
		    struct err *);
static void	 tls_ssl_err(struct tls *, const char *, struct err *);
static BIO	*tls_bio_new(struct tls *);

/* BIO read: from the buffer, which one read() of the socket refills. */
static int
tls_bio_read(BIO *b, char *out, size_t outl, size_t *got)
{
	struct tls	*t = BIO_get_data(b);
	ssize_t		 r;
	size_t		 n;

	BIO_clear_retry_flags(b);
	*got = 0;
	if (t->roff == t->rlen) {
		t->roff = t->rlen = 0;
		while ((r = read(t->fd, t->rbuf, TLS_RBUF)) == -1 &&
		    errno == EINTR)
			continue;
		if (r == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				BIO_set_retry_read(b);
			return 0;
		}
		if (r == 0) {
			t->eof = true;
			return 0;
		}
		t->rlen = (size_t)r;
	}
	n = t->rlen - t->roff;
	if (n > outl)
		n = outl;
	memcpy(out, t->rbuf + t->roff, n);
	t->roff += n;
	*got = n;
	return 1;
}

static int
tls_bio_write(BIO *b, const char *in, size_t inl, size_t *put)
{
	struct tls	*t = BIO_get_data(b);
	ssize_t		 r;

	BIO_clear_retry_flags(b);
	*put = 0;
	while ((r = send(t->fd, in, inl, MSG_NOSIGNAL)) == -1 &&
	    errno == EINTR)
		continue;
	if (r == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			BIO_set_retry_write(b);
		return 0;
	}
	*put = (size_t)r;
	return 1;
}

static long
tls_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct tls	*t = BIO_get_data(b);

	(void)num;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_EOF:	/* OpenSSL tells EOF from an error by it */
		return t->eof && t->roff == t->rlen;
	case BIO_CTRL_PENDING:
		return (long)(t->rlen - t->roff);
	case BIO_C_GET_FD:
		if (ptr != NULL)
			*(int *)ptr = t->fd;
		return t->fd;
	default:
		return 0;
	}
}

/*
 * The BIO under t->ssl, or NULL.  Its method is made once: OpenSSL hands
 * out a limited number of BIO type indexes.
 */
static BIO *
tls_bio_new(struct tls *t)
{
	static BIO_METHOD	*meth;
	BIO			*b;
	int			 type;

	if (meth == NULL) {
		if ((type = BIO_get_new_index()) == -1 ||
		    (meth = BIO_meth_new(type | BIO_TYPE_SOURCE_SINK,
		    "pons socket")) == NULL)
			return NULL;
		if (!BIO_meth_set_read_ex(meth, tls_bio_read) ||
		    !BIO_meth_set_write_ex(meth, tls_bio_write) ||
		    !BIO_meth_set_ctrl(meth, tls_bio_ctrl)) {
			BIO_meth_free(meth);
			meth = NULL;
			return NULL;
		}
	}
	if ((b = BIO_new(meth)) == NULL)
		return NULL;
	BIO_set_data(b, t);
	BIO_set_init(b, 1);
	t->rbuf = xmalloc(TLS_RBUF);
	return b;
}

/*
 * Contexts.  Making one (OpenSSL's configuration and providers, the trust
 * anchors) takes milliseconds, so the last one made is kept for the next
 * connection with the same anchors, and tls_warm() makes it on a thread
 * while the caller resolves, connects and opens its cache.  Only the
 * loop's thread touches the slot, except the maker's ctx, read after the
 * join.
 */
enum ctx_fail {
	CTX_OK,
	CTX_CA,		/* the CA file would not load */
	CTX_SSL		/* anything else */
};

static struct {
	char		*ca_file;	/* what ctx trusts; NULL: the system */
	bool		 filled;	/* ctx (or its failure) is for ca_file */
	bool		 making;	/* thread runs; join before reading */
	pthread_t	 thread;
	SSL_CTX		*ctx;		/* one reference; NULL if it failed */
} slot;

static SSL_CTX *
ctx_make(const char *ca_file, enum ctx_fail *why)
{
	SSL_CTX	*ctx;

	*why = CTX_SSL;
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return NULL;
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION))
		goto fail;
	/* lenient: mail servers often close without close_notify. */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF |
	    SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, tls_verify_cb);
	if (ca_file != NULL) {
		if (!SSL_CTX_load_verify_file(ctx, ca_file)) {
			*why = CTX_CA;
			goto fail;
		}
	} else if (!SSL_CTX_set_default_verify_paths(ctx))
		goto fail;
	*why = CTX_OK;
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

static bool
same_ca(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static void *
slot_make(void *arg)
{
	enum ctx_fail	 why;
	SSL_CTX		*ctx;

	(void)arg;
	ctx = ctx_make(slot.ca_file, &why);	/* fixed while making */
	ERR_clear_error();			/* this thread's queue */
	slot.ctx = ctx;				/* read after the join */
	return NULL;
}

/* The maker is done (at exit too: OpenSSL's own cleanup comes after). */
static void
slot_join(void)
{
	if (slot.making)
		pthread_join(slot.thread, NULL);
	slot.making = false;
}

/* Hold ctx (a reference of its own) as the context for ca_file. */
static void
slot_fill(const char *ca_file, SSL_CTX *ctx)
{
	SSL_CTX_free(slot.ctx);
	free(slot.ca_file);
	slot.ca_file = ca_file != NULL ? xstrdup(ca_file) : NULL;
	slot.ctx = ctx;
	if (ctx != NULL)
		SSL_CTX_up_ref(ctx);
	slot.filled = true;
}

void
tls_warm(const char *ca_file)
{
	static bool	 registered;

	slot_join();
	if (slot.filled && same_ca(slot.ca_file, ca_file))
		return;
	if (!registered) {
		/*
		 * OpenSSL registers its exit cleanup first, so ours runs
		 * before it (the options must not be 0, a no-op; these
		 * load no configuration)
		 */
		(void)OPENSSL_init_crypto(OPENSSL_INIT_ATFORK, NULL);
		registered = atexit(slot_join) == 0;
		if (!registered)
			return;
	}
	slot_fill(ca_file, NULL);	/* the key; the maker brings ctx */
	if (pthread_create(&slot.thread, NULL, slot_make, NULL) == 0)
		slot.making = true;
	else
		slot.filled = false;
}

/* A context (one reference for the caller) trusting ca_file. */
static SSL_CTX *
ctx_get(const char *ca_file, enum ctx_fail *why)
{
	SSL_CTX	*ctx;

	slot_join();
	if (slot.filled && same_ca(slot.ca_file, ca_file) &&
	    slot.ctx != NULL) {
		SSL_CTX_up_ref(slot.ctx);
		*why = CTX_OK;
		return slot.ctx;
	}
	/* none made, or it failed: again here, for the error's words */
	if ((ctx = ctx_make(ca_file, why)) != NULL)
		slot_fill(ca_file, ctx);
	return ctx;
}

static bool
tls_is_ip(const char *host)
{
	unsigned char	 a[16];

	return inet_pton(AF_INET, host, a) == 1 ||
	    inet_pton(AF_INET6, host, a) == 1;
}

static void
tls_fp_set(struct tls *t, X509 *x)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 n, i;
	char		*p = t->fp;

	if (X509_digest(x, EVP_sha256(), md, &n) != 1 || n == 0)
		return;
	for (i = 0; i < n; i++) {
		snprintf(p, 4, "%02X%s", md[i], i + 1 < n ? ":" : "");
		p += i + 1 < n ? 3 : 2;
	}
}

/*
 * Called by OpenSSL for each certificate of the chain, and again for each
 * error.  Records the leaf fingerprint and the first error; a pinned leaf
 * overrides the errors.  Returning 0 aborts the handshake.
 */
static int
tls_verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL		*ssl;
	struct tls	*t;
	X509		*leaf;

	ssl = X509_STORE_CTX_get_ex_data(xs,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	if (ssl == NULL || (t = SSL_get_app_data(ssl)) == NULL)
		return ok;
	leaf = X509_STORE_CTX_get0_cert(xs);
	if (t->fp[0] == '\0' && leaf != NULL)
		tls_fp_set(t, leaf);
	if (ok)
		return 1;
	if (t->verr == X509_V_OK) {
		t->verr = X509_STORE_CTX_get_error(xs);
		t->vdepth = X509_STORE_CTX_get_error_depth(xs);
	}
	if (t->pin != NULL && t->fp[0] != '\0' &&
	    strcasecmp(t->pin, t->fp) == 0) {
		t->pinned = true;
		return 1;
	}
	return 0;
}

struct tls *
tls_new(int fd, const char *host, const char *ca_file, const char *pin,
    struct err *e)
{
	struct tls	*t;
	X509_VERIFY_PARAM *vp;
	BIO		*bio;
	enum ctx_fail	 why;

	t = xcalloc(1, sizeof *t);
	t->host = xstrdup(host);
	t->pin = pin != NULL ? xstrdup(pin) : NULL;
	t->verr = X509_V_OK;
	ERR_clear_error();
	if ((t->ctx = ctx_get(ca_file, &why)) == NULL) {
		if (why != CTX_CA)
			goto fail;
		tls_free(t);
		ERR_clear_error();
		return err_set(e, ERR_LOCAL, "cannot load CA file %.150s",
		    ca_file), NULL;
	}
	if ((t->ssl = SSL_new(t->ctx)) == NULL)
		goto fail;
	SSL_set_app_data(t->ssl, t);
	t->fd = fd;
	if ((bio = tls_bio_new(t)) == NULL)
		goto fail;
	SSL_set_bio(t->ssl, bio, bio);
	vp = SSL_get0_param(t->ssl);
	X509_VERIFY_PARAM_set_hostflags(vp,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (tls_is_ip(host)) {
		if (!X509_VERIFY_PARAM_set1_ip_asc(vp, host))
			goto fail;
	} else {
		/* SNI only for names (RFC 6066 section 3). */
		if (!SSL_set_tlsext_host_name(t->ssl, host) ||
		    !X509_VERIFY_PARAM_set1_host(vp, host, 0))
			goto fail;
	}
	SSL_set_connect_state(t->ssl);
	return t;
fail:
	tls_ssl_err(t, "cannot set up TLS", e);
	if (e != NULL)
		e->cls = ERR_LOCAL;
	tls_free(t);
	return NULL;
}

void
tls_free(struct tls *t)
{
	if (t == NULL)
		return;
	if (t->ssl != NULL && t->done && !t->dead) {
		ERR_clear_error();
		(void)SSL_shutdown(t->ssl);
		ERR_clear_error();
	}
	SSL_free(t->ssl);
	SSL_CTX_free(t->ctx);
	free(t->rbuf);
	free(t->host);
	free(t->pin);
	free(t);
}

/* The first queued OpenSSL reason, or a fallback, after what. */
static void
tls_ssl_err(struct tls *t, const char *what, struct err *e)
{
	unsigned long	 code;
	const char	*reason = NULL;

	code = ERR_peek_last_error();
	if (code != 0)
		reason = ERR_reason_error_string(code);
	err_set(e, ERR_TLS, "%s with %.100s: %s", what, t->host,
	    reason != NULL ? reason : "unknown error");
	ERR_clear_error();
}

/* Map the result r of an SSL call to a status, filling e on failure. */
static enum tls_status
tls_status(struct tls *t, int r, const char *what, struct err *e)
{
	int	 saved = errno;

	switch (SSL_get_error(t->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		return TLS_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return TLS_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		return TLS_EOF;
	case SSL_ERROR_SYSCALL:
		t->dead = true;
		if (ERR_peek_error() != 0)
			break;
		if (saved == 0)
			return t->done ? TLS_EOF :
			    (err_set(e, ERR_TLS, "%s with %.100s: connection "
			    "closed by the server", what, t->host), TLS_ERROR);
		err_set(e, ERR_TEMP, "%s with %.100s: %s", what, t->host,
		    strerror(saved));
		return TLS_ERROR;
	default:
		t->dead = true;
		break;
	}
	tls_ssl_err(t, what, e);
	return TLS_ERROR;
}

enum tls_status
tls_handshake(struct tls *t, struct err *e)
{
	enum tls_status	 st;
	int		 r;

	ERR_clear_error();
	errno = 0;
	if ((r = SSL_connect(t->ssl)) != 1) {
		st = tls_status(t, r, "TLS handshake", e);
		if (st == TLS_EOF) {
			t->dead = true;
			return err_set(e, ERR_TLS, "TLS handshake with %.100s: "
			    "connection closed", t->host), TLS_ERROR;
		}
		if (st == TLS_ERROR && t->verr != X509_V_OK && !t->pinned)
			err_set(e, ERR_TLS, "TLS certificate of %.80s not "
			    "trusted: %s (SHA-256 %s)", t->host,
			    X509_verify_cert_error_string(t->verr),
			    t->fp[0] != '\0' ? t->fp : "unknown");
		return st;
	}
	if (SSL_get0_peer_certificate(t->ssl) == NULL) {
		t->dead = true;
		return err_set(e, ERR_TLS, "TLS handshake with %.100s: no "
		    "server certificate", t->host), TLS_ERROR;
	}
	if (t->pinned)
		log_debug("tls: %s: %s at depth %d overridden by the pinned "
		    "certificate %s", t->host,
		    X509_verify_cert_error_string(t->verr), t->vdepth, t->fp);
	snprintf(t->info, sizeof t->info, "%s %s", SSL_get_version(t->ssl),
	    SSL_get_cipher_name(t->ssl));
	t->done = true;
	return TLS_OK;
}

enum tls_status
tls_read(struct tls *t, void *p, size_t len, size_t *n, struct err *e)
{
	int	 r;

	/* the queue is nearly always empty: peeking is cheaper than clearing */
	if (ERR_peek_error() != 0)
		ERR_clear_error();
	errno = 0;
	if ((r = SSL_read_ex(t->ssl, p, len, n)) == 1)
		return TLS_OK;
	return tls_status(t, r, "TLS read", e);
}

enum tls_status
tls_write(struct tls *t, const void *p, size_t len, size_t *n, struct err *e)
{
	int	 r;

	ERR_clear_error();
	errno = 0;
	if ((r = SSL_write_ex(t->ssl, p, len, n)) == 1)
		return TLS_OK;
	return tls_status(t, r, "TLS write", e);
}

size_t
tls_pending(const struct tls *t)
{
	int	 n = SSL_pending(t->ssl);

	return n > 0 ? (size_t)n : 0;
}

const char *
tls_info(const struct tls *t)
{
	return t->done ? t->info : NULL;
}

const char *
tls_fingerprint(const struct tls *t)
{
	return t->fp[0] != '\0' ? t->fp : NULL;
}
