/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for app/discover: the candidate list (domain → host names ×
 * ports × TLS modes, host overrides, the port map), the ranking, the port
 * map parser, and a whole run on loopback where nothing listens.  The
 * runs against real servers are in tests/integration/test-discover.sh.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "app/discover.h"
#include "loop/loop.h"
#include "util/buf.h"
#include "util/err.h"

struct want {
	enum discover_proto	 proto;
	const char		*host;
	unsigned int		 port;
	enum discover_tls	 tls;
};

#define I DISCOVER_IMAP
#define P DISCOVER_POP3
#define TI DISCOVER_TLS_IMPLICIT
#define TS DISCOVER_TLS_STARTTLS

static void
check_list(const char *email, const struct discover_opts *o,
    const struct want *w, size_t nw)
{
	struct discover_candidate	*v;
	struct err			 e;
	size_t				 n, i;

	assert_int_equal(discover_candidates(email, o, &v, &n, &e), 0);
	assert_int_equal(n, nw);
	for (i = 0; i < n; i++) {
		assert_int_equal(v[i].proto, w[i].proto);
		assert_string_equal(v[i].host, w[i].host);
		assert_int_equal(v[i].port, w[i].port);
		assert_int_equal(v[i].tls, w[i].tls);
		assert_int_equal(v[i].order, i);
		assert_int_equal(v[i].status, DISCOVER_PENDING);
		assert_int_equal(v[i].login, DISCOVER_LOGIN_NOT_TRIED);
	}
	discover_candidates_free(v, n);
}

static void
test_candidates_default(void **state)
{
	static const struct want w[] = {
		{ I, "imap.example.net", 993, TI },
		{ I, "mail.example.net", 993, TI },
		{ I, "example.net", 993, TI },
		{ P, "pop.example.net", 995, TI },
		{ P, "pop3.example.net", 995, TI },
		{ P, "mail.example.net", 995, TI },
		{ P, "example.net", 995, TI },
		{ I, "imap.example.net", 143, TS },
		{ I, "mail.example.net", 143, TS },
		{ I, "example.net", 143, TS },
		{ P, "pop.example.net", 110, TS },
		{ P, "pop3.example.net", 110, TS },
		{ P, "mail.example.net", 110, TS },
		{ P, "example.net", 110, TS },
	};

	(void)state;
	check_list("me@example.net", NULL, w, sizeof w / sizeof w[0]);
	/* The last '@' separates the domain. */
	check_list("\"odd@name\"@example.net", NULL, w, sizeof w / sizeof w[0]);
}

static void
test_candidates_hosts_and_ports(void **state)
{
	static const char *const hosts[] = { "localhost", "127.0.0.1" };
	static const struct discover_port ports[] = {
		{ 993, 1993 }, { 143, 0 }, { 995, 1995 }, { 110, 1110 },
	};
	static const struct want w[] = {
		{ I, "localhost", 1993, TI },
		{ I, "127.0.0.1", 1993, TI },
		{ P, "localhost", 1995, TI },
		{ P, "127.0.0.1", 1995, TI },
		{ P, "localhost", 1110, TS },
		{ P, "127.0.0.1", 1110, TS },
	};
	struct discover_opts	 o;

	(void)state;
	memset(&o, 0, sizeof o);
	o.hosts = hosts;
	o.nhosts = 2;
	o.ports = ports;
	o.nports = 4;
	check_list("alice@example.org", &o, w, sizeof w / sizeof w[0]);
}

static void
test_candidates_bad(void **state)
{
	static const char *const bad_host[] = { "ok.example", "bad host" };
	static const struct discover_port none[] = {
		{ 993, 0 }, { 143, 0 }, { 995, 0 }, { 110, 0 },
	};
	static const char *const bad[] = {
		"", "no-at-sign", "@example.net", "me@", "me@bad_domain!",
		"me@.example.net", "me @example.net", "me@exa\nmple.net",
	};
	struct discover_candidate	*v;
	struct discover_opts		 o;
	struct err			 e;
	size_t				 n, i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear(&e);
		assert_int_equal(discover_candidates(bad[i], NULL, &v, &n, &e),
		    -1);
		assert_int_equal(e.cls, ERR_INPUT);
		assert_null(v);
		assert_int_equal(n, 0);
	}
	memset(&o, 0, sizeof o);
	o.hosts = bad_host;
	o.nhosts = 2;
	assert_int_equal(discover_candidates("me@example.net", &o, &v, &n, &e),
	    -1);
	assert_non_null(strstr(e.msg, "bad host"));
	memset(&o, 0, sizeof o);
	o.ports = none;
	o.nports = 4;
	assert_int_equal(discover_candidates("me@example.net", &o, &v, &n, &e),
	    -1);
	assert_non_null(strstr(e.msg, "no port"));
}

static void
test_port_map(void **state)
{
	static const char *const bad[] = {
		"", "993", "993=", "=1", "0=5", "993=70000", "993=1,", "a=b",
		"993=1;995=2", "993 =1",
	};
	struct discover_port	*v;
	struct err		 e;
	size_t			 n, i;

	(void)state;
	assert_int_equal(discover_port_map_parse("993=1993,143=0,110=65535",
	    &v, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].from, 993);
	assert_int_equal(v[0].to, 1993);
	assert_int_equal(v[1].from, 143);
	assert_int_equal(v[1].to, 0);
	assert_int_equal(v[2].to, 65535);
	free(v);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(discover_port_map_parse(bad[i], &v, &n, &e),
		    -1);
		assert_int_equal(e.cls, ERR_INPUT);
		assert_null(v);
	}
}

static struct discover_candidate
mk(enum discover_proto proto, enum discover_tls tls, unsigned int order,
    enum discover_status st, bool cert_ok, enum discover_login login)
{
	struct discover_candidate	 c;

	memset(&c, 0, sizeof c);
	c.proto = proto;
	c.tls = tls;
	c.order = order;
	c.status = st;
	c.cert_ok = cert_ok;
	c.login = login;
	return c;
}

static void
test_rank(void **state)
{
	struct discover_candidate	 c[9];
	const struct discover_candidate	*v[9];
	/* The expected order, by index into c. */
	static const size_t		 want[9] = { 1, 2, 5, 6, 0, 4, 3, 8, 7 };
	size_t				 i, k;

	(void)state;
	c[0] = mk(I, TS, 0, DISCOVER_FOUND, true, DISCOVER_LOGIN_NOT_TRIED);
	c[1] = mk(I, TI, 1, DISCOVER_FOUND, true, DISCOVER_LOGIN_OK);
	c[2] = mk(P, TI, 2, DISCOVER_FOUND, true, DISCOVER_LOGIN_OK);
	c[3] = mk(I, TI, 3, DISCOVER_FOUND, false, DISCOVER_LOGIN_NOT_TRIED);
	c[4] = mk(P, TS, 4, DISCOVER_FOUND, true, DISCOVER_LOGIN_NOT_TRIED);
	c[5] = mk(I, TI, 5, DISCOVER_FOUND, true, DISCOVER_LOGIN_REFUSED);
	c[6] = mk(P, TI, 6, DISCOVER_FOUND, true, DISCOVER_LOGIN_NOT_TRIED);
	c[7] = mk(I, TS, 7, DISCOVER_PENDING, false, DISCOVER_LOGIN_NOT_TRIED);
	c[8] = mk(I, TI, 8, DISCOVER_UNREACHABLE, false,
	    DISCOVER_LOGIN_NOT_TRIED);
	/* Every rotation of the input gives the same order. */
	for (k = 0; k < 9; k++) {
		for (i = 0; i < 9; i++)
			v[i] = &c[(i + k) % 9];
		qsort(v, 9, sizeof v[0], discover_rank_cmp);
		for (i = 0; i < 9; i++)
			assert_ptr_equal(v[i], &c[want[i]]);
	}
	/* Equal but for the probe order: the earlier one first. */
	c[0] = mk(I, TI, 4, DISCOVER_FOUND, true, DISCOVER_LOGIN_OK);
	c[1] = mk(I, TI, 2, DISCOVER_FOUND, true, DISCOVER_LOGIN_OK);
	v[0] = &c[0];
	v[1] = &c[1];
	qsort(v, 2, sizeof v[0], discover_rank_cmp);
	assert_ptr_equal(v[0], &c[1]);

	assert_true(discover_usable(&c[0], true));
	c[0].login = DISCOVER_LOGIN_NOT_TRIED;
	assert_false(discover_usable(&c[0], true));
	assert_true(discover_usable(&c[0], false));
	c[0].cert_ok = false;
	assert_false(discover_usable(&c[0], false));
}

static void
test_caps_describe(void **state)
{
	struct discover_candidate	 c;
	struct buf			 b = BUF_INIT;
	char				 sasl[] = "PLAIN LOGIN";

	(void)state;
	c = mk(I, TI, 0, DISCOVER_FOUND, true, DISCOVER_LOGIN_OK);
	c.caps = DISCOVER_CAP_IDLE | DISCOVER_CAP_MOVE | DISCOVER_CAP_UIDL |
	    DISCOVER_CAP_QRESYNC;
	c.sasl = sasl;
	discover_caps_describe(&c, &b);
	/* UIDL is a POP3 word: not listed for IMAP. */
	assert_string_equal(b.data, "IDLE QRESYNC MOVE SASL PLAIN LOGIN");
	buf_reset(&b);
	c.proto = P;
	c.caps = DISCOVER_CAP_UIDL | DISCOVER_CAP_PIPELINING |
	    DISCOVER_CAP_STARTTLS | DISCOVER_CAP_IDLE;
	c.sasl = NULL;
	discover_caps_describe(&c, &b);
	assert_string_equal(b.data, "UIDL PIPELINING STLS");
	buf_fini(&b);
	assert_string_equal(discover_tls_name(I, TS), "STARTTLS");
	assert_string_equal(discover_tls_name(P, TS), "STLS");
	assert_string_equal(discover_tls_name(P, TI), "implicit TLS");
}

/* A loopback port nobody listens on (bound, then closed). */
static unsigned int
closed_port(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

struct run {
	bool		 done;
	unsigned int	 progress;
	size_t		 n, unreachable;
	char		 first_error[256];
};

static void
run_progress(const struct discover_candidate *c, void *arg)
{
	struct run	*r = arg;

	(void)c;
	r->progress++;
}

static void
run_done(const struct discover_result *res, void *arg)
{
	struct run	*r = arg;
	size_t		 i;

	r->done = true;
	r->n = res->n;
	for (i = 0; i < res->n; i++) {
		if (res->v[i]->status == DISCOVER_UNREACHABLE)
			r->unreachable++;
		assert_int_equal(res->v[i]->login, DISCOVER_LOGIN_NOT_TRIED);
		assert_false(res->v[i]->cert_ok);
	}
	snprintf(r->first_error, sizeof r->first_error, "%s",
	    res->v[0]->error != NULL ? res->v[0]->error : "");
}

static bool
run_is_done(void *arg)
{
	return ((struct run *)arg)->done;
}

static void
test_nothing_listening(void **state)
{
	static const char *const hosts[] = { "127.0.0.1" };
	static const struct discover_cbs cbs = { run_progress, run_done };
	struct discover_port	 ports[4];
	struct discover_opts	 o;
	struct discover		*d;
	struct loop		*loop;
	struct run		 r;
	struct err		 e;
	unsigned int		 closed = closed_port();

	(void)state;
	ports[0] = (struct discover_port){ 993, closed };
	ports[1] = (struct discover_port){ 143, closed };
	ports[2] = (struct discover_port){ 995, closed };
	ports[3] = (struct discover_port){ 110, closed };
	memset(&o, 0, sizeof o);
	o.hosts = hosts;
	o.nhosts = 1;
	o.ports = ports;
	o.nports = 4;
	o.timeout_ms = 5000;
	memset(&r, 0, sizeof r);
	loop = loop_new();
	d = discover_start(loop, "alice@localhost", "secret", &o, &cbs, &r,
	    &e);
	assert_non_null(d);
	assert_true(loop_run_until(loop, run_is_done, &r, 20000));
	assert_int_equal(r.n, 4);
	assert_int_equal(r.unreachable, 4);
	assert_true(r.progress >= 4);
	assert_non_null(strstr(r.first_error, "refused"));
	discover_free(d);
	loop_free(loop);
}

/* A server that accepts and never greets: each probe step has a deadline. */
static void
test_silent_server(void **state)
{
	static const char *const hosts[] = { "127.0.0.1" };
	static const struct discover_cbs cbs = { run_progress, run_done };
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	struct discover_port	 ports[4];
	struct discover_opts	 o;
	struct discover		*d;
	struct loop		*loop;
	struct run		 r;
	struct err		 e;
	int			 fd;

	(void)state;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	ports[0] = (struct discover_port){ 993, 0 };
	ports[1] = (struct discover_port){ 143, ntohs(sin.sin_port) };
	ports[2] = (struct discover_port){ 995, 0 };
	ports[3] = (struct discover_port){ 110, 0 };
	memset(&o, 0, sizeof o);
	o.hosts = hosts;
	o.nhosts = 1;
	o.ports = ports;
	o.nports = 4;
	o.timeout_ms = 200;
	memset(&r, 0, sizeof r);
	loop = loop_new();
	d = discover_start(loop, "alice@localhost", "secret", &o, &cbs, &r,
	    &e);
	assert_non_null(d);
	assert_true(loop_run_until(loop, run_is_done, &r, 20000));
	assert_int_equal(r.n, 1);
	assert_int_equal(r.unreachable, 1);
	assert_non_null(strstr(r.first_error, "timed out"));
	discover_free(d);
	loop_free(loop);
	close(fd);
}

/* Freed while the probes are still running: nothing leaks or fires. */
static void
test_free_early(void **state)
{
	static const struct discover_cbs cbs = { run_progress, run_done };
	static const char *const hosts[] = { "127.0.0.1", "localhost" };
	struct discover_opts	 o;
	struct discover		*d;
	struct loop		*loop;
	struct run		 r;
	struct err		 e;

	(void)state;
	memset(&o, 0, sizeof o);
	o.hosts = hosts;
	o.nhosts = 2;
	memset(&r, 0, sizeof r);
	loop = loop_new();
	d = discover_start(loop, "alice@localhost", NULL, &o, &cbs, &r, &e);
	assert_non_null(d);
	loop_run_once(loop, 0);
	discover_free(d);
	loop_run_once(loop, 10);
	assert_false(r.done);
	loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_candidates_default),
		cmocka_unit_test(test_candidates_hosts_and_ports),
		cmocka_unit_test(test_candidates_bad),
		cmocka_unit_test(test_port_map),
		cmocka_unit_test(test_rank),
		cmocka_unit_test(test_caps_describe),
		cmocka_unit_test(test_nothing_listening),
		cmocka_unit_test(test_silent_server),
		cmocka_unit_test(test_free_early),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
