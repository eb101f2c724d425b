/* SPDX-License-Identifier: ISC */
/*
 * A client connection: resolve, connect over each address in turn, TLS
 * handshake (implicit or STARTTLS), then an output queue and an input
 * buffer.  Everything is driven by the loop; the owner hears back through
 * callbacks, which only ever come from a loop entry point (descriptor,
 * timer or deferred call), so an owner's conn_* call never re-enters it.
 *
 * Re-entrancy: every loop entry point holds c->busy; conn_free() inside a
 * callback only marks the conn, and the entry point frees it on the way
 * out.  After any owner callback, code checks c->freed and unwinds.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "loop/loop.h"
#include "net/conn.h"
#include "net/resolve.h"
#include "net/tls.h"
#include "util/err.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define CONN_READ_CHUNK	16384		/* bytes per read call */
#define CONN_READ_PASS	(1024 * 1024)	/* bytes read per loop pass */
/*
 * Coalescing reads.  A server streaming a big answer over TLS sends one
 * record (~2.4 KiB from Dovecot) at a time; waking up for each one, on a
 * machine whose cores the server's processes need too, took their CPU
 * in tiny slices: a cold sync of 100,000 headers ran 1.75x a client that
 * blocks in read().  So while a stream runs (the last read ended under
 * CONN_STREAM_US ago) and less than CONN_COALESCE_MIN is queued, the
 * conn waits CONN_COALESCE_MS before reading: the first bytes after a
 * pause (a notification) are read at once, and so is anything after a
 * write: that is an answer, and a round trip on a fast link is shorter
 * than the wait.  An IMAP account asks for it (conn_params.coalesce);
 * POP3's download gained nothing.
 */
#define CONN_STREAM_US		1000
#define CONN_COALESCE_MIN	(32 * 1024)
#define CONN_COALESCE_MS	1

struct conn_chunk {
	struct conn_chunk *next;
	char		*data;		/* owned */
	size_t		 len;
	size_t		 off;		/* bytes already sent */
};

struct conn {
	struct loop	*loop;
	char		*host;
	char		*port;
	char		*ca_file;
	char		*pin;
	enum conn_tls	 tlsmode;
	unsigned int	 connect_ms;
	size_t		 line_max;
	bool		 coalesce;	/* conn_params.coalesce */
	struct conn_cbs	 cbs;
	void		*arg;

	enum conn_state	 state;
	int		 fd;
	struct loop_fd	*w;
	struct resolve	*res;
	struct addrinfo	*ai;		/* the resolved list */
	struct addrinfo	*cur;		/* the address being tried */
	char		 addr[64];	/* cur as text */
	struct err	 lasterr;	/* of the last failed address */
	struct loop_timer *ctimer;	/* resolve, connect, handshake */
	struct loop_timer *itimer;	/* owner's progress deadline */
	struct loop_timer *rtimer;	/* armed: reads wait for it */
	uint64_t	 rd_us;		/* when the last read pass ended */
	bool		 wrote;		/* sent since the last read pass */
	unsigned int	 idle_ms;
	uint64_t	 progress;	/* loop_now() of the last byte moved */

	struct tls	*tls;
	bool		 upgrading;	/* handshake started by conn_starttls */
	bool		 rd_wants_w;	/* TLS read needs writability */
	bool		 wr_wants_r;	/* TLS write needs readability */
	char		 fp[96];	/* leaf fingerprint */
	char		 info[128];	/* TLS version and cipher */

	struct conn_chunk *qhead;
	struct conn_chunk **qtail;
	size_t		 qbytes;

	char		*in;		/* input: [inoff, inlen) unread */
	size_t		 inoff, inlen, incap;
	size_t		 scan;		/* no LF in [inoff, scan) */

	struct err	 err;		/* for a deferred failure */
	int		 busy;		/* loop entry points active */
	bool		 freed;		/* conn_free() while busy */
};

static struct conn *conn_alloc(struct loop *, const struct conn_params *,
		    const struct conn_cbs *, void *);
static void	 conn_destroy(struct conn *);
static void	 conn_enter(struct conn *);
static bool	 conn_leave(struct conn *);
static void	 conn_close_fd(struct conn *);
static void	 conn_fail(struct conn *, const struct err *);
static void	 conn_fail_later(struct conn *, const struct err *);
static void	 conn_deferred_fail(void *);
static void	 conn_deferred_read(void *);
static void	 conn_rtimeout(struct loop_timer *, void *);
static void	 conn_resolved(struct addrinfo *, const struct err *, void *);
static void	 conn_try(struct conn *);
static void	 conn_next_addr(struct conn *);
static void	 conn_tcp_up(struct conn *);
static void	 conn_handshake_start(struct conn *);
static void	 conn_handshake_step(struct conn *);
static void	 conn_io(struct loop_fd *, int, int, void *);
static void	 conn_events(struct conn *);
static enum tls_status conn_recv(struct conn *, char *, size_t, size_t *,
		    struct err *);
static enum tls_status conn_send(struct conn *, const char *, size_t,
		    size_t *, struct err *);
static bool	 conn_do_read(struct conn *);
static bool	 conn_do_write(struct conn *);
static void	 conn_ctimeout(struct loop_timer *, void *);
static void	 conn_itimeout(struct loop_timer *, void *);
static void	 conn_queue(struct conn *, char *, size_t);
static void	 conn_queue_free(struct conn *);
static void	 conn_in_reserve(struct conn *, size_t);

static struct conn *
conn_alloc(struct loop *l, const struct conn_params *p,
    const struct conn_cbs *cbs, void *arg)
{
	struct conn	*c;

	c = xcalloc(1, sizeof *c);
	c->loop = l;
	c->host = xstrdup(p->host != NULL ? p->host : "");
	c->port = xstrdup(p->port != NULL ? p->port : "");
	c->ca_file = p->ca_file != NULL ? xstrdup(p->ca_file) : NULL;
	c->pin = p->pin_sha256 != NULL ? xstrdup(p->pin_sha256) : NULL;
	c->tlsmode = p->tls;
	c->connect_ms = p->connect_timeout_ms != 0 ? p->connect_timeout_ms :
	    CONN_CONNECT_TIMEOUT_MS;
	c->line_max = p->line_max != 0 ? p->line_max : CONN_LINE_MAX;
	c->coalesce = p->coalesce;
	if (cbs != NULL)
		c->cbs = *cbs;
	c->arg = arg;
	c->fd = -1;
	c->qtail = &c->qhead;
	c->ctimer = loop_timer_new(l, conn_ctimeout, c);
	c->itimer = loop_timer_new(l, conn_itimeout, c);
	c->rtimer = loop_timer_new(l, conn_rtimeout, c);
	return c;
}

struct conn *
conn_new(struct loop *l, const struct conn_params *p,
    const struct conn_cbs *cbs, void *arg)
{
	struct conn	*c;
	struct err	 e;

	c = conn_alloc(l, p, cbs, arg);
	c->state = CONN_RESOLVING;
	if (c->ca_file != NULL && c->tlsmode != CONN_TLS_NONE &&
	    access(c->ca_file, R_OK) == -1) {
		err_sys(&e, ERR_LOCAL, "cannot read CA file %.150s", c->ca_file);
		conn_fail_later(c, &e);
		return c;
	}
	if (c->tlsmode != CONN_TLS_NONE)
		tls_warm(c->ca_file);	/* while resolving and connecting */
	loop_timer_set(c->ctimer, c->connect_ms, 0);
	log_debug("conn: %s port %s: resolving", c->host, c->port);
	c->res = resolve_start(l, c->host, c->port, conn_resolved, c);
	return c;
}

struct conn *
conn_new_fd(struct loop *l, int fd, const struct conn_params *p,
    const struct conn_cbs *cbs, void *arg)
{
	struct conn	*c;

	c = conn_alloc(l, p, cbs, arg);
	c->fd = fd;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	strlcpy(c->addr, "descriptor", sizeof c->addr);
	/* Connected already: the first writable event says so, from the loop. */
	c->state = CONN_CONNECTING;
	c->w = loop_fd_add(l, fd, LOOP_WRITE, conn_io, c);
	return c;
}

void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	if (c->busy > 0) {
		/* Inside one of our entry points: it frees c on the way out. */
		c->freed = true;
		conn_close_fd(c);
		return;
	}
	conn_destroy(c);
}

static void
conn_destroy(struct conn *c)
{
	conn_close_fd(c);
	resolve_cancel(c->res);
	if (c->ai != NULL)
		freeaddrinfo(c->ai);
	loop_timer_free(c->ctimer);
	loop_timer_free(c->itimer);
	loop_timer_free(c->rtimer);
	loop_defer_cancel(c->loop, conn_deferred_fail, c);
	loop_defer_cancel(c->loop, conn_deferred_read, c);
	conn_queue_free(c);
	free(c->in);
	free(c->host);
	free(c->port);
	free(c->ca_file);
	free(c->pin);
	free(c);
}

static void
conn_enter(struct conn *c)
{
	c->busy++;
}

/* Leave a loop entry point.  Returns false if c is gone. */
static bool
conn_leave(struct conn *c)
{
	if (--c->busy == 0 && c->freed) {
		conn_destroy(c);
		return false;
	}
	return !c->freed;
}

/* Drop the socket, TLS and the timers; the buffers stay. */
static void
conn_close_fd(struct conn *c)
{
	if (c->tls != NULL) {
		if (c->fp[0] == '\0' && tls_fingerprint(c->tls) != NULL)
			strlcpy(c->fp, tls_fingerprint(c->tls), sizeof c->fp);
		tls_free(c->tls);
		c->tls = NULL;
	}
	loop_fd_remove(c->w);
	c->w = NULL;
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	resolve_cancel(c->res);
	c->res = NULL;
	loop_timer_stop(c->ctimer);
	loop_timer_stop(c->itimer);
	loop_timer_stop(c->rtimer);
}

/* Fail now (from a loop entry point) and tell the owner. */
static void
conn_fail(struct conn *c, const struct err *e)
{
	if (c->state == CONN_FAILED || c->freed)
		return;
	log_debug("conn: %s: %s", c->host, e->msg);
	c->state = CONN_FAILED;
	conn_close_fd(c);
	conn_queue_free(c);
	if (c->cbs.error != NULL)
		c->cbs.error(c, e, c->arg);
}

/* Fail from an owner's call: the error callback comes from the loop. */
static void
conn_fail_later(struct conn *c, const struct err *e)
{
	if (c->state == CONN_FAILED)
		return;
	log_debug("conn: %s: %s", c->host, e->msg);
	c->state = CONN_FAILED;
	c->err = *e;
	conn_close_fd(c);
	conn_queue_free(c);
	loop_defer(c->loop, conn_deferred_fail, c);
}

static void
conn_deferred_fail(void *arg)
{
	struct conn	*c = arg;
	struct err	 e = c->err;

	conn_enter(c);
	if (c->cbs.error != NULL && !c->freed)
		c->cbs.error(c, &e, c->arg);
	conn_leave(c);
}

/* Resolution and connect. */

static void
conn_resolved(struct addrinfo *ai, const struct err *e, void *arg)
{
	struct conn	*c = arg;

	c->res = NULL;
	conn_enter(c);
	if (e != NULL)
		conn_fail(c, e);
	else {
		c->ai = c->cur = ai;
		conn_try(c);
	}
	conn_leave(c);
}

/* Start connect() on c->cur or the next address that takes it. */
static void
conn_try(struct conn *c)
{
	struct addrinfo	*a;
	struct err	 e;

	for (; (a = c->cur) != NULL; c->cur = a->ai_next) {
		if (getnameinfo(a->ai_addr, a->ai_addrlen, c->addr,
		    sizeof c->addr, NULL, 0, NI_NUMERICHOST) != 0)
			strlcpy(c->addr, "?", sizeof c->addr);
		log_debug("conn: %s port %s: connecting to %s", c->host,
		    c->port, c->addr);
		c->fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, a->ai_protocol);
		if (c->fd == -1) {
			err_sys(&c->lasterr, errno == EMFILE ||
			    errno == ENFILE ? ERR_LOCAL : ERR_TEMP,
			    "connect to %.100s (%s) port %.20s", c->host,
			    c->addr, c->port);
			continue;
		}
		if (connect(c->fd, a->ai_addr, a->ai_addrlen) == 0 ||
		    errno == EINPROGRESS) {
			c->state = CONN_CONNECTING;
			c->w = loop_fd_add(c->loop, c->fd, LOOP_WRITE, conn_io,
			    c);
			loop_timer_set(c->ctimer, c->connect_ms, 0);
			return;
		}
		err_sys(&c->lasterr, ERR_TEMP, "connect to %.100s (%s) port "
		    "%.20s", c->host, c->addr, c->port);
		close(c->fd);
		c->fd = -1;
	}
	if (c->lasterr.cls == ERR_NONE)
		err_set(&c->lasterr, ERR_TEMP, "connect to %.100s port %.20s: "
		    "no address", c->host, c->port);
	e = c->lasterr;
	conn_fail(c, &e);
}

static void
conn_next_addr(struct conn *c)
{
	log_debug("conn: %s", c->lasterr.msg);
	loop_fd_remove(c->w);
	c->w = NULL;
	close(c->fd);
	c->fd = -1;
	c->cur = c->cur->ai_next;
	conn_try(c);
}

/* The socket is writable while connecting: did connect() work? */
static void
conn_tcp_up(struct conn *c)
{
	int		 soerr = 0;
	socklen_t	 len = sizeof soerr;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1 &&
	    errno != ENOTSOCK)
		soerr = errno;
	if (soerr != 0) {
		errno = soerr;
		if (c->cur == NULL) {
			struct err e;

			err_sys(&e, ERR_TEMP, "connection to %.100s", c->host);
			conn_fail(c, &e);
			return;
		}
		err_sys(&c->lasterr, ERR_TEMP, "connect to %.100s (%s) port "
		    "%.20s", c->host, c->addr, c->port);
		conn_next_addr(c);
		return;
	}
	loop_timer_stop(c->ctimer);
	if (c->ai != NULL) {
		freeaddrinfo(c->ai);
		c->ai = c->cur = NULL;
	}
	log_debug("conn: %s port %s: connected to %s", c->host, c->port,
	    c->addr);
	c->progress = loop_now();
	if (c->tlsmode == CONN_TLS_IMPLICIT) {
		conn_handshake_start(c);
		if (c->state == CONN_HANDSHAKE)
			conn_handshake_step(c);
		return;
	}
	c->state = CONN_OPEN;
	conn_events(c);
	if (c->cbs.connected != NULL)
		c->cbs.connected(c, c->arg);
}

/* TLS. */

static void
conn_handshake_start(struct conn *c)
{
	struct err	 e;

	if ((c->tls = tls_new(c->fd, c->host, c->ca_file, c->pin, &e)) ==
	    NULL) {
		conn_fail(c, &e);
		return;
	}
	c->state = CONN_HANDSHAKE;
	loop_timer_set(c->ctimer, c->connect_ms, 0);
}

static void
conn_handshake_step(struct conn *c)
{
	struct err	 e;
	const char	*s;

	switch (tls_handshake(c->tls, &e)) {
	case TLS_WANT_READ:
		loop_fd_set_events(c->w, LOOP_READ);
		return;
	case TLS_WANT_WRITE:
		loop_fd_set_events(c->w, LOOP_WRITE);
		return;
	case TLS_OK:
		break;
	default:
		if ((s = tls_fingerprint(c->tls)) != NULL)
			strlcpy(c->fp, s, sizeof c->fp);
		conn_fail(c, &e);
		return;
	}
	loop_timer_stop(c->ctimer);
	strlcpy(c->fp, tls_fingerprint(c->tls), sizeof c->fp);
	strlcpy(c->info, tls_info(c->tls), sizeof c->info);
	log_debug("conn: %s: %s, certificate %s", c->host, c->info, c->fp);
	c->state = CONN_OPEN;
	c->progress = loop_now();
	conn_events(c);
	/* Records that came with the last handshake flight may be waiting. */
	loop_defer(c->loop, conn_deferred_read, c);
	if (c->upgrading) {
		c->upgrading = false;
		if (c->cbs.tls_ready != NULL)
			c->cbs.tls_ready(c, c->arg);
	} else if (c->cbs.connected != NULL)
		c->cbs.connected(c, c->arg);
}

int
conn_starttls(struct conn *c, struct err *e)
{
	size_t	 n;

	if (c->state != CONN_OPEN || c->tls != NULL)
		return err_set(e, ERR_LOCAL, "STARTTLS with %.100s: the "
		    "connection is not open in clear text", c->host);
	if (c->qbytes > 0)
		return err_set(e, ERR_LOCAL, "STARTTLS with %.100s: %zu bytes "
		    "still unsent", c->host, c->qbytes);
	/* RFC 3207 section 4.2, RFC 2595 section 3.1: drop what came before. */
	if ((n = c->inlen - c->inoff) > 0)
		log_debug("conn: %s: discarding %zu bytes received before "
		    "STARTTLS", c->host, n);
	c->inoff = c->inlen = c->scan = 0;
	if ((c->tls = tls_new(c->fd, c->host, c->ca_file, c->pin, e)) ==
	    NULL) {
		conn_fail_later(c, e);
		return -1;
	}
	c->upgrading = true;
	c->rd_wants_w = c->wr_wants_r = false;
	c->state = CONN_HANDSHAKE;
	loop_timer_set(c->ctimer, c->connect_ms, 0);
	/* The socket is writable: the first step runs from the loop. */
	loop_fd_set_events(c->w, LOOP_WRITE);
	return 0;
}

/* I/O. */

/* Poll interest for the current state. */
static void
conn_events(struct conn *c)
{
	int	 ev = 0;

	if (c->w == NULL || c->state != CONN_OPEN)
		return;
	ev = loop_timer_is_armed(c->rtimer) && !c->wr_wants_r ? 0 : LOOP_READ;
	if (c->qhead != NULL && !c->wr_wants_r)
		ev |= LOOP_WRITE;
	if (c->rd_wants_w)
		ev |= LOOP_WRITE;
	loop_fd_set_events(c->w, ev);
}

/*
 * Readable in the middle of a stream with little queued: wait a moment
 * for more (see CONN_COALESCE_MS) and say true; false to read now.
 */
static bool
conn_coalesce(struct conn *c)
{
	int	 queued = 0;

	if (loop_timer_is_armed(c->rtimer))
		return true;
	if (!c->coalesce || c->wrote || c->rd_us == 0 ||
	    loop_now_us() - c->rd_us >= CONN_STREAM_US ||
	    ioctl(c->fd, FIONREAD, &queued) == -1 ||
	    queued >= CONN_COALESCE_MIN)
		return false;
	loop_timer_set(c->rtimer, CONN_COALESCE_MS, 0);
	return true;
}

static void
conn_rtimeout(struct loop_timer *t, void *arg)
{
	struct conn	*c = arg;

	(void)t;
	conn_enter(c);
	if (c->state == CONN_OPEN && conn_do_read(c))
		conn_events(c);
	conn_leave(c);
}

static void
conn_io(struct loop_fd *w, int fd, int events, void *arg)
{
	struct conn	*c = arg;

	conn_enter(c);
	switch (c->state) {
	case CONN_CONNECTING:
		conn_tcp_up(c);
		break;
	case CONN_HANDSHAKE:
		conn_handshake_step(c);
		break;
	case CONN_OPEN:
		if ((events & LOOP_READ) && !(events & LOOP_ERROR) &&
		    !c->rd_wants_w && conn_coalesce(c))
			events &= ~LOOP_READ;
		if ((events & (LOOP_READ | LOOP_ERROR)) ||
		    ((events & LOOP_WRITE) && c->rd_wants_w))
			if (!conn_do_read(c))
				break;
		if ((events & LOOP_WRITE) ||
		    ((events & LOOP_READ) && c->wr_wants_r))
			if (!conn_do_write(c))
				break;
		conn_events(c);
		break;
	default:
		break;
	}
	conn_leave(c);
}

static void
conn_deferred_read(void *arg)
{
	struct conn	*c = arg;

	conn_enter(c);
	if (c->state == CONN_OPEN && conn_do_read(c))
		conn_events(c);
	conn_leave(c);
}

static void
conn_in_reserve(struct conn *c, size_t n)
{
	size_t	 used = c->inlen - c->inoff;

	if (c->incap - c->inlen >= n)
		return;
	if (c->inoff > 0) {
		memmove(c->in, c->in + c->inoff, used);
		c->scan = c->scan > c->inoff ? c->scan - c->inoff : 0;
		c->inoff = 0;
		c->inlen = used;
		if (c->incap - c->inlen >= n)
			return;
	}
	while (c->incap - c->inlen < n)
		c->incap = c->incap ? c->incap * 2 : CONN_READ_CHUNK * 2;
	c->in = xreallocarray(c->in, 1, c->incap);
}

/*
 * One read or write on the socket, through TLS or not: TLS_OK with *n
 * bytes moved, TLS_WANT_READ / TLS_WANT_WRITE (nothing moved; plain
 * sockets only ever want what was asked), TLS_EOF, or TLS_ERROR with e.
 */
static enum tls_status
conn_recv(struct conn *c, char *p, size_t len, size_t *n, struct err *e)
{
	ssize_t	 r;

	if (c->tls != NULL)
		return tls_read(c->tls, p, len, n, e);
	while ((r = recv(c->fd, p, len, 0)) == -1 && errno == EINTR)
		continue;
	if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return TLS_WANT_READ;
	if (r == -1)
		return err_sys(e, ERR_TEMP, "connection to %.100s", c->host),
		    TLS_ERROR;
	*n = (size_t)r;
	return r == 0 ? TLS_EOF : TLS_OK;
}

static enum tls_status
conn_send(struct conn *c, const char *p, size_t len, size_t *n,
    struct err *e)
{
	enum tls_status	 st;
	ssize_t		 r;

	if (c->tls != NULL) {
		st = tls_write(c->tls, p, len, n, e);
		if (st == TLS_EOF)
			err_set(e, ERR_TEMP, "connection to %.100s closed",
			    c->host);
		return st == TLS_EOF ? TLS_ERROR : st;
	}
	while ((r = send(c->fd, p, len, MSG_NOSIGNAL)) == -1 && errno == EINTR)
		continue;
	if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return TLS_WANT_WRITE;
	if (r == -1)
		return err_sys(e, ERR_TEMP, "connection to %.100s", c->host),
		    TLS_ERROR;
	*n = (size_t)r;
	return TLS_OK;
}

/*
 * Read what is there (up to CONN_READ_PASS), tell the owner, and handle
 * EOF.  Returns false if c failed, closed or was freed.
 */
static bool
conn_do_read(struct conn *c)
{
	struct err	 e;
	enum tls_status	 st = TLS_OK;
	size_t		 got = 0, n = 0;

	c->rd_wants_w = false;
	while (got < CONN_READ_PASS) {
		if (c->inoff == c->inlen)
			c->inoff = c->inlen = c->scan = 0;
		conn_in_reserve(c, CONN_READ_CHUNK);
		st = conn_recv(c, c->in + c->inlen, CONN_READ_CHUNK, &n, &e);
		if (st != TLS_OK)
			break;
		c->inlen += n;
		got += n;
	}
	if (st == TLS_ERROR) {
		conn_fail(c, &e);
		return false;
	}
	c->rd_wants_w = st == TLS_WANT_WRITE;
	/* Stopped for fairness: come back next pass, poll or not. */
	if (got >= CONN_READ_PASS)
		loop_defer(c->loop, conn_deferred_read, c);
	if (got > 0) {
		c->progress = loop_now();
		if (c->cbs.readable != NULL)
			c->cbs.readable(c, c->arg);
		if (c->freed || c->state != CONN_OPEN)
			return false;
		/* what follows a command is its answer: not a stream */
		c->rd_us = c->wrote ? 0 : loop_now_us();
		c->wrote = false;
	}
	if (st != TLS_EOF)
		return true;
	log_debug("conn: %s: closed by the server", c->host);
	c->state = CONN_CLOSED;
	conn_close_fd(c);
	if (c->cbs.closed != NULL)
		c->cbs.closed(c, c->arg);
	return false;
}

/* Send queued chunks until the socket is full.  False if c failed. */
static bool
conn_do_write(struct conn *c)
{
	struct conn_chunk *k;
	struct err	 e;
	enum tls_status	 st = TLS_OK;
	size_t		 n = 0;
	bool		 sent = false;

	while ((k = c->qhead) != NULL) {
		st = conn_send(c, k->data + k->off, k->len - k->off, &n, &e);
		if (st != TLS_OK)
			break;
		sent = true;
		k->off += n;
		c->qbytes -= n;
		if (k->off < k->len)
			continue;
		if ((c->qhead = k->next) == NULL)
			c->qtail = &c->qhead;
		free(k->data);
		free(k);
	}
	if (st == TLS_ERROR) {
		conn_fail(c, &e);
		return false;
	}
	c->wr_wants_r = st == TLS_WANT_READ;
	if (sent) {
		c->progress = loop_now();
		c->wrote = true;
	}
	if (sent && c->qhead == NULL && c->cbs.drained != NULL) {
		c->cbs.drained(c, c->arg);
		if (c->freed || c->state != CONN_OPEN)
			return false;
	}
	return true;
}

/* Timers. */

static void
conn_ctimeout(struct loop_timer *t, void *arg)
{
	struct conn	*c = arg;
	struct err	 e;

	conn_enter(c);
	switch (c->state) {
	case CONN_RESOLVING:
		err_set(&e, ERR_TEMP, "resolving %.100s timed out after %u ms",
		    c->host, c->connect_ms);
		conn_fail(c, &e);
		break;
	case CONN_CONNECTING:
		err_set(&c->lasterr, ERR_TEMP, "connect to %.100s (%s) port "
		    "%.20s timed out after %u ms", c->host, c->addr, c->port,
		    c->connect_ms);
		if (c->cur != NULL)
			conn_next_addr(c);
		else
			conn_fail(c, &c->lasterr);
		break;
	case CONN_HANDSHAKE:
		err_set(&e, ERR_TEMP, "TLS handshake with %.100s timed out "
		    "after %u ms", c->host, c->connect_ms);
		conn_fail(c, &e);
		break;
	default:
		break;
	}
	conn_leave(c);
}

void
conn_set_timeout(struct conn *c, unsigned int ms)
{
	c->idle_ms = ms;
	c->progress = loop_now();
	if (ms == 0 || c->state == CONN_FAILED || c->state == CONN_CLOSED)
		loop_timer_stop(c->itimer);
	else
		loop_timer_set(c->itimer, ms, 0);
}

/* Re-armed lazily: progress only moves c->progress forward. */
static void
conn_itimeout(struct loop_timer *t, void *arg)
{
	struct conn	*c = arg;
	struct err	 e;
	uint64_t	 due = c->progress + c->idle_ms;

	if (loop_now() < due) {
		loop_timer_set_at(t, due);
		return;
	}
	conn_enter(c);
	err_set(&e, ERR_TEMP, "connection to %.100s timed out: nothing "
	    "received or sent for %u ms", c->host, c->idle_ms);
	conn_fail(c, &e);
	conn_leave(c);
}

/* The output queue. */

static void
conn_queue(struct conn *c, char *p, size_t len)
{
	struct conn_chunk *k;

	if (len == 0 || c->state == CONN_FAILED || c->state == CONN_CLOSED ||
	    c->freed) {
		free(p);
		return;
	}
	k = xcalloc(1, sizeof *k);
	k->data = p;
	k->len = len;
	*c->qtail = k;
	c->qtail = &k->next;
	c->qbytes += len;
	conn_events(c);
}

static void
conn_queue_free(struct conn *c)
{
	struct conn_chunk *k;

	while ((k = c->qhead) != NULL) {
		c->qhead = k->next;
		free(k->data);
		free(k);
	}
	c->qtail = &c->qhead;
	c->qbytes = 0;
}

void
conn_write(struct conn *c, const void *p, size_t len)
{
	char	*copy;

	if (len == 0)
		return;
	copy = xmalloc(len);
	memcpy(copy, p, len);
	conn_queue(c, copy, len);
}

void
conn_write_take(struct conn *c, void *p, size_t len)
{
	conn_queue(c, p, len);
}

void
conn_write_str(struct conn *c, const char *s)
{
	conn_write(c, s, strlen(s));
}

size_t
conn_pending(const struct conn *c)
{
	return c->qbytes;
}

/* The reader. */

int
conn_read_line(struct conn *c, const char **line, size_t *len,
    struct err *e)
{
	struct err	 le;
	char		*p, *nl;
	size_t		 n;

	if (c->in == NULL)
		return 0;
	if (c->scan < c->inoff)
		c->scan = c->inoff;
	nl = memchr(c->in + c->scan, '\n', c->inlen - c->scan);
	if (nl == NULL) {
		c->scan = c->inlen;
		/* +1: the CR of a CRLF split from its LF. */
		if (c->inlen - c->inoff <= c->line_max + 1)
			return 0;
		goto toolong;
	}
	p = c->in + c->inoff;
	n = (size_t)(nl - p);
	/* lenient: a bare LF ends a line too. */
	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (n > c->line_max)
		goto toolong;
	c->inoff += (size_t)(nl - p) + 1;
	c->scan = c->inoff;
	*line = p;
	*len = n;
	return 1;
toolong:
	err_set(&le, ERR_LIMIT, "line from %.100s longer than %zu bytes",
	    c->host, c->line_max);
	if (e != NULL)
		*e = le;
	conn_fail_later(c, &le);
	return -1;
}

int
conn_read_exact(struct conn *c, size_t n, const char **p)
{
	if (c->inlen - c->inoff < n)
		return 0;
	*p = c->in + c->inoff;
	c->inoff += n;
	return 1;
}

const char *
conn_peek(struct conn *c, size_t *len)
{
	*len = c->inlen - c->inoff;
	return c->in != NULL ? c->in + c->inoff : "";
}

void
conn_consume(struct conn *c, size_t n)
{
	if (n > c->inlen - c->inoff)
		n = c->inlen - c->inoff;
	c->inoff += n;
}

size_t
conn_buffered(const struct conn *c)
{
	return c->inlen - c->inoff;
}

/* State. */

enum conn_state
conn_state(const struct conn *c)
{
	return c->state;
}

const char *
conn_host(const struct conn *c)
{
	return c->host;
}

bool
conn_is_tls(const struct conn *c)
{
	return c->tls != NULL && c->state == CONN_OPEN && !c->upgrading;
}

const char *
conn_tls_info(const struct conn *c)
{
	return c->info[0] != '\0' ? c->info : NULL;
}

const char *
conn_tls_fingerprint(const struct conn *c)
{
	if (c->fp[0] == '\0' && c->tls != NULL)
		return tls_fingerprint(c->tls);
	return c->fp[0] != '\0' ? c->fp : NULL;
}
