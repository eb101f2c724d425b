/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for net/ without TLS: the line / exact-length reader over a
 * socketpair fed in pieces, the output queue, EOF, freeing inside a
 * callback, the resolver, connects over loopback (by name over every
 * address, refused, timed out against a listener whose backlog is full)
 * and the owner's progress deadline.  No assertion is about time taken.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "loop/loop.h"
#include "net/conn.h"
#include "net/resolve.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define WAIT_MS	10000	/* only a broken conn reaches it */

struct owner {
	struct loop	*loop;
	struct conn	*c;
	int		 connected;
	int		 readable;
	int		 drained;
	int		 closed;
	int		 errors;
	struct err	 err;
	bool		 free_in_readable;
	char		 lines[8][128];	/* lines read in the closed cb */
	int		 nlines;
};

static void
o_connected(struct conn *c, void *arg)
{
	((struct owner *)arg)->connected++;
}

static void
o_readable(struct conn *c, void *arg)
{
	struct owner	*o = arg;

	o->readable++;
	if (o->free_in_readable) {
		conn_free(c);
		o->c = NULL;
	}
}

static void
o_drained(struct conn *c, void *arg)
{
	((struct owner *)arg)->drained++;
}

static void
o_closed(struct conn *c, void *arg)
{
	struct owner	*o = arg;
	const char	*line;
	size_t		 len;

	o->closed++;
	while (o->nlines < 8 && conn_read_line(c, &line, &len, NULL) == 1) {
		snprintf(o->lines[o->nlines++], sizeof o->lines[0], "%.*s",
		    (int)len, line);
	}
}

static void
o_error(struct conn *c, const struct err *e, void *arg)
{
	struct owner	*o = arg;

	o->errors++;
	o->err = *e;
}

static const struct conn_cbs owner_cbs = {
	.connected = o_connected,
	.readable = o_readable,
	.drained = o_drained,
	.closed = o_closed,
	.error = o_error,
};

static struct owner	 o_snap;	/* for the wait conditions */
static int		 want_readable;

static bool
has_connected(void *arg)
{
	struct owner	*o = arg;

	return o->connected > 0 || o->errors > 0;
}

static bool
has_sent_all(void *arg)
{
	struct owner	*o = arg;

	return conn_pending(o->c) == 0 || o->errors > 0;
}

static bool
has_readable(void *arg)
{
	struct owner	*o = arg;

	return o->readable >= want_readable || o->errors > 0;
}

static bool
has_error(void *arg)
{
	return ((struct owner *)arg)->errors > 0;
}

static bool
has_closed(void *arg)
{
	struct owner	*o = arg;

	return o->closed > 0 || o->errors > 0;
}

/*
 * A conn over one end of a socketpair; *peer gets the other end.  With
 * coalesce, it gathers a stream's reads (conn_params.coalesce).
 */
static void
pair_open_with(struct owner *o, size_t line_max, bool coalesce, int *peer)
{
	struct conn_params p;
	int		 sv[2];

	memset(o, 0, sizeof *o);
	memset(&p, 0, sizeof p);
	p.host = "pair";
	p.tls = CONN_TLS_NONE;
	p.line_max = line_max;
	p.coalesce = coalesce;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	o->loop = loop_new();
	o->c = conn_new_fd(o->loop, sv[0], &p, &owner_cbs, o);
	*peer = sv[1];
	assert_int_equal(o->connected, 0);	/* never from conn_new_fd */
	assert_true(loop_run_until(o->loop, has_connected, o, WAIT_MS));
	assert_int_equal(o->connected, 1);
	assert_int_equal(conn_state(o->c), CONN_OPEN);
	assert_false(conn_is_tls(o->c));
}

static void
pair_open(struct owner *o, size_t line_max, int *peer)
{
	pair_open_with(o, line_max, false, peer);
}

static void
pair_close(struct owner *o, int peer)
{
	conn_free(o->c);
	close(peer);
	loop_free(o->loop);
}

/* Peer sends s; wait until the conn has told its owner once more. */
static void
feed(struct owner *o, int peer, const char *s)
{
	assert_int_equal(write(peer, s, strlen(s)), (ssize_t)strlen(s));
	want_readable = o->readable + 1;
	assert_true(loop_run_until(o->loop, has_readable, o, WAIT_MS));
	assert_int_equal(o->errors, 0);
}

static void
expect_line(struct owner *o, const char *want)
{
	const char	*line;
	size_t		 len;
	struct err	 e;

	assert_int_equal(conn_read_line(o->c, &line, &len, &e), 1);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(line, want, len);
}

static void
expect_no_line(struct owner *o)
{
	const char	*line;
	size_t		 len;
	struct err	 e;

	assert_int_equal(conn_read_line(o->c, &line, &len, &e), 0);
}

static void
test_lines_split_across_reads(void **state)
{
	struct owner	 o;
	int		 peer;

	pair_open(&o, 0, &peer);
	expect_no_line(&o);			/* nothing received yet */
	feed(&o, peer, "abc");
	expect_no_line(&o);
	feed(&o, peer, "def\r\nghi\nj");
	expect_line(&o, "abcdef");
	expect_line(&o, "ghi");			/* lenient: bare LF */
	expect_no_line(&o);
	feed(&o, peer, "kl\r");
	expect_no_line(&o);			/* CR alone ends nothing */
	feed(&o, peer, "\n\r\n");
	expect_line(&o, "jkl");
	expect_line(&o, "");			/* an empty line */
	expect_no_line(&o);
	assert_int_equal(conn_buffered(o.c), 0);
	pair_close(&o, peer);
}

/*
 * With coalescing on, pieces that stream in one after another (each read
 * within a millisecond of the last) wait for the conn's timer instead of
 * a wake-up each: every byte still arrives, in order, and the last small
 * piece after the stream is not left in the socket.
 */
/* Read the lines "piece N" that came, checking N counts up from *got. */
static void
read_pieces(struct owner *o, int *got)
{
	const char	*line;
	char		 want[32];
	size_t		 len;

	while (conn_read_line(o->c, &line, &len, NULL) == 1) {
		snprintf(want, sizeof want, "piece %d", (*got)++);
		assert_int_equal(len, strlen(want));
		assert_memory_equal(line, want, len);
	}
}

static void
test_coalesced_stream(void **state)
{
	struct owner	 o;
	char		 piece[32];
	int		 peer, i, got = 0;

	pair_open_with(&o, 0, true, &peer);
	for (i = 0; i < 200; i++) {
		snprintf(piece, sizeof piece, "piece %d\r\n", i);
		assert_int_equal(write(peer, piece, strlen(piece)),
		    (ssize_t)strlen(piece));
		/* the loop runs between pieces, as a stream's reader does */
		(void)loop_run_once(o.loop, 0);
		read_pieces(&o, &got);
	}
	while (got < 200) {
		want_readable = o.readable + 1;
		assert_true(loop_run_until(o.loop, has_readable, &o, WAIT_MS));
		read_pieces(&o, &got);
	}
	assert_int_equal(o.errors, 0);
	assert_int_equal(conn_buffered(o.c), 0);
	pair_close(&o, peer);
}

/*
 * An answer is read at once, even in the middle of a stream: a command
 * went out, so what comes next is its reply, and on a fast link a round
 * trip is shorter than the coalescing wait.
 */
static void
test_answer_not_coalesced(void **state)
{
	struct owner	 o;
	const char	*line;
	size_t		 len;
	char		 cmd[16];
	int		 peer, before;

	pair_open_with(&o, 0, true, &peer);
	/* a stream has just been read */
	assert_int_equal(write(peer, "data 1\r\n", 8), 8);
	want_readable = o.readable + 1;
	assert_true(loop_run_until(o.loop, has_readable, &o, WAIT_MS));
	assert_int_equal(conn_read_line(o.c, &line, &len, NULL), 1);
	/* a command goes out; its answer is there before the next pass */
	conn_write_str(o.c, "a1 NOOP\r\n");
	assert_true(loop_run_until(o.loop, has_sent_all, &o, WAIT_MS));
	assert_int_equal(read(peer, cmd, sizeof cmd), 9);
	assert_int_equal(write(peer, "a1 OK\r\n", 7), 7);
	before = o.readable;
	(void)loop_run_once(o.loop, 0);
	assert_int_equal(o.readable, before + 1);
	assert_int_equal(conn_read_line(o.c, &line, &len, NULL), 1);
	assert_int_equal(len, 5);
	assert_memory_equal(line, "a1 OK", 5);
	assert_int_equal(o.errors, 0);
	pair_close(&o, peer);
}

static void
test_line_max_enforced(void **state)
{
	struct owner	 o;
	struct err	 e;
	const char	*line;
	size_t		 len;
	int		 peer;

	pair_open(&o, 8, &peer);
	feed(&o, peer, "01234567\r\n");		/* exactly line_max: fine */
	expect_line(&o, "01234567");
	feed(&o, peer, "0123456");
	expect_no_line(&o);
	feed(&o, peer, "789abc");		/* 13 bytes, no end yet */
	memset(&e, 0, sizeof e);
	assert_int_equal(conn_read_line(o.c, &line, &len, &e), -1);
	assert_int_equal(e.cls, ERR_LIMIT);
	assert_non_null(strstr(e.msg, "longer than 8 bytes"));
	assert_non_null(strstr(e.msg, "pair"));
	/* The owner hears it from the loop, not from the call. */
	assert_int_equal(o.errors, 0);
	assert_true(loop_run_until(o.loop, has_error, &o, WAIT_MS));
	assert_int_equal(o.errors, 1);
	assert_int_equal(o.err.cls, ERR_LIMIT);
	assert_int_equal(conn_state(o.c), CONN_FAILED);
	pair_close(&o, peer);
}

static void
test_complete_line_too_long(void **state)
{
	struct owner	 o;
	struct err	 e;
	const char	*line;
	size_t		 len;
	int		 peer;

	pair_open(&o, 4, &peer);
	feed(&o, peer, "12345\r\n");
	assert_int_equal(conn_read_line(o.c, &line, &len, &e), -1);
	assert_int_equal(e.cls, ERR_LIMIT);
	assert_true(loop_run_until(o.loop, has_error, &o, WAIT_MS));
	assert_int_equal(o.errors, 1);
	pair_close(&o, peer);
}

static void
test_read_exact_literal(void **state)
{
	struct owner	 o;
	const char	*p;
	int		 peer;

	pair_open(&o, 0, &peer);
	feed(&o, peer, "* 1 FETCH (BODY[] {10}\r\n0123");
	expect_line(&o, "* 1 FETCH (BODY[] {10}");
	assert_int_equal(conn_read_exact(o.c, 10, &p), 0);
	assert_int_equal(conn_buffered(o.c), 4);	/* nothing consumed */
	feed(&o, peer, "45678");
	assert_int_equal(conn_read_exact(o.c, 10, &p), 0);
	feed(&o, peer, "9)\r\n+OK\r\n");
	assert_int_equal(conn_read_exact(o.c, 10, &p), 1);
	assert_memory_equal(p, "0123456789", 10);
	expect_line(&o, ")");
	assert_int_equal(conn_read_exact(o.c, 0, &p), 1);
	expect_line(&o, "+OK");
	pair_close(&o, peer);
}

static void
test_peek_consume(void **state)
{
	struct owner	 o;
	const char	*p;
	size_t		 len;
	int		 peer;

	pair_open(&o, 0, &peer);
	p = conn_peek(o.c, &len);
	assert_non_null(p);
	assert_int_equal(len, 0);
	feed(&o, peer, "bytes");
	p = conn_peek(o.c, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(p, "bytes", 5);
	conn_consume(o.c, 2);
	p = conn_peek(o.c, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(p, "tes", 3);
	conn_consume(o.c, 100);
	assert_int_equal(conn_buffered(o.c), 0);
	pair_close(&o, peer);
}

/* The peer side of the write test: read everything into a buffer. */
struct sink {
	char	*data;
	size_t	 len, want;
};

static void
sink_read(struct loop_fd *w, int fd, int events, void *arg)
{
	struct sink	*s = arg;
	ssize_t		 n;

	n = read(fd, s->data + s->len, s->want - s->len);
	if (n > 0)
		s->len += (size_t)n;
	if (n <= 0 || s->len == s->want)
		loop_fd_remove(w);
}

static bool
sink_full(void *arg)
{
	struct sink	*s = arg;

	return s->len == s->want && o_snap.drained > 0;
}

static void
d_drained(struct conn *c, void *arg)
{
	o_snap.drained++;
}

static void
test_write_queue(void **state)
{
	struct owner	 o;
	struct sink	 s;
	struct conn_params p;
	struct conn_cbs	 cbs = owner_cbs;
	char		*big;
	size_t		 bigsz = 3 * 1024 * 1024 + 17, i;
	int		 sv[2];

	memset(&o, 0, sizeof o);
	memset(&o_snap, 0, sizeof o_snap);
	memset(&p, 0, sizeof p);
	p.host = "pair";
	cbs.drained = d_drained;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	o.loop = loop_new();
	o.c = conn_new_fd(o.loop, sv[0], &p, &cbs, &o);
	/* Queued before connected: sent once the conn is up, in order. */
	conn_write(o.c, "hello ", 6);
	conn_write_take(o.c, xstrdup("world"), 5);
	conn_write_str(o.c, "!\r\n");
	big = xmalloc(bigsz);
	for (i = 0; i < bigsz; i++)
		big[i] = (char)('a' + i % 26);
	conn_write_take(o.c, big, bigsz);
	assert_int_equal(conn_pending(o.c), 14 + bigsz);
	s.want = 14 + bigsz;
	s.len = 0;
	s.data = xmalloc(s.want);
	loop_fd_add(o.loop, sv[1], LOOP_READ, sink_read, &s);
	assert_true(loop_run_until(o.loop, sink_full, &s, WAIT_MS));
	assert_int_equal(o.errors, 0);
	assert_int_equal(conn_pending(o.c), 0);
	assert_int_equal(o_snap.drained, 1);
	assert_memory_equal(s.data, "hello world!\r\n", 14);
	for (i = 0; i < bigsz; i++)
		if (s.data[14 + i] != (char)('a' + i % 26))
			break;
	assert_int_equal(i, bigsz);
	free(s.data);
	pair_close(&o, sv[1]);
}

static void
test_closed_keeps_input(void **state)
{
	struct owner	 o;
	int		 peer;

	pair_open(&o, 0, &peer);
	assert_int_equal(write(peer, "a\r\nbye\r\n", 8), 8);
	close(peer);
	assert_true(loop_run_until(o.loop, has_closed, &o, WAIT_MS));
	assert_int_equal(o.errors, 0);
	assert_int_equal(o.closed, 1);
	assert_true(o.readable >= 1);
	assert_int_equal(o.nlines, 2);
	assert_string_equal(o.lines[0], "a");
	assert_string_equal(o.lines[1], "bye");
	assert_int_equal(conn_state(o.c), CONN_CLOSED);
	/* Writes after the close are dropped, not crashed on. */
	conn_write_str(o.c, "late\r\n");
	assert_int_equal(conn_pending(o.c), 0);
	conn_free(o.c);
	loop_free(o.loop);
}

static void
test_free_inside_callback(void **state)
{
	struct owner	 o;
	int		 peer;

	pair_open(&o, 0, &peer);
	o.free_in_readable = true;
	assert_int_equal(write(peer, "x\r\n", 3), 3);
	close(peer);			/* EOF in the same read pass */
	assert_true(loop_run_until(o.loop, has_readable, &o, WAIT_MS));
	assert_null(o.c);
	/* No callback after the free, and the loop has nothing left. */
	assert_int_equal(loop_run(o.loop), 0);
	assert_int_equal(o.closed, 0);
	assert_int_equal(o.errors, 0);
	loop_free(o.loop);
}

static void
test_idle_timeout(void **state)
{
	struct owner	 o;
	int		 peer;

	pair_open(&o, 0, &peer);
	conn_set_timeout(o.c, 30);
	conn_set_timeout(o.c, 0);		/* disarmed: loop has only fds */
	assert_false(loop_run_until(o.loop, has_error, &o, 60));
	conn_set_timeout(o.c, 30);
	assert_true(loop_run_until(o.loop, has_error, &o, WAIT_MS));
	assert_int_equal(o.err.cls, ERR_TEMP);
	assert_non_null(strstr(o.err.msg, "timed out"));
	assert_non_null(strstr(o.err.msg, "pair"));
	pair_close(&o, peer);
}

static void
test_starttls_needs_open_clear_conn(void **state)
{
	struct owner	 o;
	struct err	 e;
	int		 peer;

	pair_open(&o, 0, &peer);
	conn_write_str(o.c, "unsent");
	assert_int_equal(conn_starttls(o.c, &e), -1);
	assert_int_equal(e.cls, ERR_LOCAL);
	assert_non_null(strstr(e.msg, "unsent"));
	pair_close(&o, peer);
}

/* Resolver. */

struct rres {
	int		 calls;
	int		 family;
	int		 naddr;
	struct err	 err;
	bool		 failed;
};

static void
r_cb(struct addrinfo *ai, const struct err *e, void *arg)
{
	struct rres	*r = arg;
	struct addrinfo	*a;

	r->calls++;
	if (e != NULL) {
		r->failed = true;
		r->err = *e;
		return;
	}
	r->family = ai->ai_family;
	for (a = ai; a != NULL; a = a->ai_next)
		r->naddr++;
	freeaddrinfo(ai);
}

static bool
r_done(void *arg)
{
	return ((struct rres *)arg)->calls > 0;
}

static void
test_resolve_literals_and_names(void **state)
{
	struct loop	*l = loop_new();
	struct rres	 r4, r6, rn, rc, rbad;

	memset(&r4, 0, sizeof r4);
	memset(&r6, 0, sizeof r6);
	memset(&rn, 0, sizeof rn);
	memset(&rc, 0, sizeof rc);
	memset(&rbad, 0, sizeof rbad);
	resolve_start(l, "127.0.0.1", "993", r_cb, &r4);
	resolve_start(l, "::1", "110", r_cb, &r6);
	resolve_start(l, "localhost", "143", r_cb, &rn);
	resolve_cancel(resolve_start(l, "localhost", "143", r_cb, &rc));
	resolve_start(l, "127.0.0.1", "no-such-service-x", r_cb, &rbad);
	assert_int_equal(r4.calls, 0);		/* never from the call */
	assert_true(loop_run_until(l, r_done, &r4, WAIT_MS));
	assert_true(loop_run_until(l, r_done, &r6, WAIT_MS));
	assert_true(loop_run_until(l, r_done, &rn, WAIT_MS));
	assert_true(loop_run_until(l, r_done, &rbad, WAIT_MS));
	assert_int_equal(r4.family, AF_INET);
	assert_int_equal(r4.naddr, 1);
	assert_int_equal(r6.family, AF_INET6);
	assert_false(rn.failed);
	assert_true(rn.naddr >= 1);
	assert_true(rbad.failed);
	assert_int_equal(rbad.err.cls, ERR_TEMP);
	assert_non_null(strstr(rbad.err.msg, "cannot resolve 127.0.0.1"));
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(rc.calls, 0);		/* cancelled: never called */
	loop_free(l);
}

/* Connects over loopback. */

static int
listen_loopback(int backlog, char *port, size_t portsz)
{
	struct sockaddr_in sin;
	socklen_t	 len = sizeof sin;
	int		 fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd != -1);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	if (backlog >= 0)
		assert_int_equal(listen(fd, backlog), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	snprintf(port, portsz, "%u", ntohs(sin.sin_port));
	return fd;
}

static struct conn *
tcp_open(struct owner *o, const char *host, const char *port,
    unsigned int timeout_ms)
{
	struct conn_params p;

	memset(&p, 0, sizeof p);
	p.host = host;
	p.port = port;
	p.tls = CONN_TLS_NONE;
	p.connect_timeout_ms = timeout_ms;
	return conn_new(o->loop, &p, &owner_cbs, o);
}

static void
test_connect_by_name_every_address(void **state)
{
	struct owner	 o;
	char		 port[16], buf[32];
	int		 lfd, afd;

	memset(&o, 0, sizeof o);
	o.loop = loop_new();
	/* IPv4 only: "localhost" may give ::1 first, which is refused. */
	lfd = listen_loopback(8, port, sizeof port);
	o.c = tcp_open(&o, "localhost", port, 0);
	assert_int_equal(conn_state(o.c), CONN_RESOLVING);
	conn_write_str(o.c, "a1 NOOP\r\n");
	assert_true(loop_run_until(o.loop, has_connected, &o, WAIT_MS));
	assert_int_equal(o.errors, 0);
	assert_int_equal(o.connected, 1);
	afd = accept(lfd, NULL, NULL);
	assert_true(afd != -1);
	assert_int_equal(write(afd, "a1 OK\r\n", 7), 7);
	want_readable = 1;
	assert_true(loop_run_until(o.loop, has_readable, &o, WAIT_MS));
	expect_line(&o, "a1 OK");
	assert_int_equal(read(afd, buf, sizeof buf), 9);
	assert_memory_equal(buf, "a1 NOOP\r\n", 9);
	conn_free(o.c);
	close(afd);
	close(lfd);
	loop_free(o.loop);
}

static void
test_connect_ipv6_literal(void **state)
{
	struct owner	 o;
	struct sockaddr_in6 sin6;
	socklen_t	 len = sizeof sin6;
	char		 port[16];
	int		 lfd, afd;

	lfd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	if (lfd == -1 || bind(lfd, (struct sockaddr *)&sin6, sizeof sin6) ==
	    -1) {
		if (lfd != -1)
			close(lfd);
		skip();		/* no IPv6 loopback here */
	}
	assert_int_equal(listen(lfd, 4), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin6, &len), 0);
	snprintf(port, sizeof port, "%u", ntohs(sin6.sin6_port));
	memset(&o, 0, sizeof o);
	o.loop = loop_new();
	o.c = tcp_open(&o, "::1", port, 0);
	assert_true(loop_run_until(o.loop, has_connected, &o, WAIT_MS));
	assert_int_equal(o.errors, 0);
	assert_int_equal(o.connected, 1);
	afd = accept(lfd, NULL, NULL);
	assert_true(afd != -1);
	conn_free(o.c);
	close(afd);
	close(lfd);
	loop_free(o.loop);
}

static void
test_connect_refused(void **state)
{
	struct owner	 o;
	char		 port[16];
	int		 fd;

	memset(&o, 0, sizeof o);
	o.loop = loop_new();
	fd = listen_loopback(-1, port, sizeof port);	/* bound, not listening */
	o.c = tcp_open(&o, "127.0.0.1", port, 0);
	assert_true(loop_run_until(o.loop, has_error, &o, WAIT_MS));
	assert_int_equal(o.connected, 0);
	assert_int_equal(o.err.cls, ERR_TEMP);
	assert_non_null(strstr(o.err.msg, "refused"));
	assert_non_null(strstr(o.err.msg, "127.0.0.1"));
	assert_non_null(strstr(o.err.msg, port));
	assert_int_equal(conn_state(o.c), CONN_FAILED);
	conn_free(o.c);
	close(fd);
	loop_free(o.loop);
}

static void
test_connect_timeout_full_backlog(void **state)
{
	struct owner	 o;
	struct sockaddr_in sin;
	char		 port[16];
	int		 lfd, fill[4], i;

	memset(&o, 0, sizeof o);
	o.loop = loop_new();
	/* Backlog 0 holds one connection; the next SYNs are dropped. */
	lfd = listen_loopback(0, port, sizeof port);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)atoi(port));
	for (i = 0; i < 4; i++) {
		fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		(void)connect(fill[i], (struct sockaddr *)&sin, sizeof sin);
	}
	o.c = tcp_open(&o, "127.0.0.1", port, 150);
	assert_true(loop_run_until(o.loop, has_error, &o, WAIT_MS));
	assert_int_equal(o.connected, 0);
	assert_int_equal(o.err.cls, ERR_TEMP);
	assert_non_null(strstr(o.err.msg, "timed out"));
	assert_non_null(strstr(o.err.msg, "127.0.0.1"));
	conn_free(o.c);
	for (i = 0; i < 4; i++)
		close(fill[i]);
	close(lfd);
	loop_free(o.loop);
}

static void
test_unknown_host_fails(void **state)
{
	struct owner	 o;

	memset(&o, 0, sizeof o);
	o.loop = loop_new();
	/* RFC 6761: .invalid never resolves. */
	o.c = tcp_open(&o, "pons-test.invalid", "143", 5000);
	assert_true(loop_run_until(o.loop, has_error, &o, WAIT_MS));
	assert_int_equal(o.err.cls, ERR_TEMP);
	assert_non_null(strstr(o.err.msg, "pons-test.invalid"));
	conn_free(o.c);
	loop_free(o.loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_split_across_reads),
		cmocka_unit_test(test_line_max_enforced),
		cmocka_unit_test(test_coalesced_stream),
		cmocka_unit_test(test_answer_not_coalesced),
		cmocka_unit_test(test_complete_line_too_long),
		cmocka_unit_test(test_read_exact_literal),
		cmocka_unit_test(test_peek_consume),
		cmocka_unit_test(test_write_queue),
		cmocka_unit_test(test_closed_keeps_input),
		cmocka_unit_test(test_free_inside_callback),
		cmocka_unit_test(test_idle_timeout),
		cmocka_unit_test(test_starttls_needs_open_clear_conn),
		cmocka_unit_test(test_resolve_literals_and_names),
		cmocka_unit_test(test_connect_by_name_every_address),
		cmocka_unit_test(test_connect_ipv6_literal),
		cmocka_unit_test(test_connect_refused),
		cmocka_unit_test(test_connect_timeout_full_backlog),
		cmocka_unit_test(test_unknown_host_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
