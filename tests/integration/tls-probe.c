/* SPDX-License-Identifier: ISC */
/*
 * tls-probe: connect with net/conn the way a session would, and report.
 *
 *	tls-probe [-p imap|pop3] [-t implicit|starttls|none] [-c CAFILE]
 *	    [-P SHA256-PIN] [-T TIMEOUT_MS] HOST PORT
 *
 * Reads the greeting, upgrades with STARTTLS / STLS when asked, asks for
 * the capabilities, logs out, and prints one "key: value" line per fact:
 * greeting, tls, fingerprint, capability, bye.  On failure it prints
 * "error: CLASS: MESSAGE" and exits 1.  A test tool (the integration
 * tests run it against the Dovecot test bed), not part of pons.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop/loop.h"
#include "net/conn.h"
#include "util/err.h"
#include "util/str.h"

enum probe_state {
	PROBE_GREETING,		/* waiting for the greeting */
	PROBE_STARTTLS,		/* waiting for the go-ahead */
	PROBE_HANDSHAKE,	/* conn_starttls() called */
	PROBE_CAPA,		/* waiting for the capabilities */
	PROBE_BYE,		/* logout sent */
	PROBE_DONE,
};

struct probe {
	struct loop	*loop;
	struct conn	*c;
	bool		 pop3;
	enum conn_tls	 tls;
	enum probe_state state;
	int		 status;	/* exit status */
};

static void	 probe_send(struct probe *, const char *);
static void	 probe_finish(struct probe *, int);
static void	 probe_capa(struct probe *);
static bool	 probe_line(struct probe *, const char *, size_t);

static void
probe_send(struct probe *p, const char *s)
{
	conn_write_str(p->c, s);
}

static void
probe_finish(struct probe *p, int status)
{
	p->state = PROBE_DONE;
	p->status = status;
	loop_break(p->loop);
}

static void
probe_capa(struct probe *p)
{
	p->state = PROBE_CAPA;
	probe_send(p, p->pop3 ? "CAPA\r\n" : "a2 CAPABILITY\r\n");
}

/* One server line.  Returns false to stop reading (upgrade or done). */
static bool
probe_line(struct probe *p, const char *l, size_t n)
{
	struct err	 e;
	bool		 ok;

	ok = p->pop3 ? str_has_prefix_ci(l, n, "+OK") :
	    (str_has_prefix_ci(l, n, "* OK") ||
	    str_has_prefix_ci(l, n, "a1 OK") ||
	    str_has_prefix_ci(l, n, "a2 OK") ||
	    str_has_prefix_ci(l, n, "a3 OK"));
	switch (p->state) {
	case PROBE_GREETING:
		printf("greeting: %.*s\n", (int)n, l);
		if (!ok)
			return probe_finish(p, 1), false;
		if (p->tls != CONN_TLS_STARTTLS) {
			probe_capa(p);
			return true;
		}
		p->state = PROBE_STARTTLS;
		probe_send(p, p->pop3 ? "STLS\r\n" : "a1 STARTTLS\r\n");
		return true;
	case PROBE_STARTTLS:
		if (!p->pop3 && str_has_prefix_ci(l, n, "* "))
			return true;
		if (!ok) {
			printf("error: starttls refused: %.*s\n", (int)n, l);
			return probe_finish(p, 1), false;
		}
		p->state = PROBE_HANDSHAKE;
		if (conn_starttls(p->c, &e) == -1) {
			printf("error: %s: %s\n", err_class_name(e.cls), e.msg);
			probe_finish(p, 1);
		}
		return false;
	case PROBE_CAPA:
		if (p->pop3 ? (n == 1 && l[0] == '.') :
		    str_has_prefix_ci(l, n, "a2 ")) {
			p->state = PROBE_BYE;
			probe_send(p, p->pop3 ? "QUIT\r\n" : "a3 LOGOUT\r\n");
		} else if (!p->pop3 || !ok)
			printf("capability: %.*s\n", (int)n, l);
		return true;
	case PROBE_BYE:
		if (p->pop3 || str_has_prefix_ci(l, n, "a3 ")) {
			printf("bye: %.*s\n", (int)n, l);
			probe_finish(p, 0);
			return false;
		}
		return true;
	default:
		return false;
	}
}

static void
cb_connected(struct conn *c, void *arg)
{
	const char	*info = conn_tls_info(c);

	if (info != NULL)
		printf("tls: %s\nfingerprint: %s\n", info,
		    conn_tls_fingerprint(c));
}

static void
cb_tls_ready(struct conn *c, void *arg)
{
	cb_connected(c, arg);
	probe_capa(arg);
}

static void
cb_readable(struct conn *c, void *arg)
{
	struct probe	*p = arg;
	struct err	 e;
	const char	*l;
	size_t		 n;
	int		 r;

	while (p->state != PROBE_DONE && p->state != PROBE_HANDSHAKE &&
	    (r = conn_read_line(c, &l, &n, &e)) == 1)
		if (!probe_line(p, l, n))
			break;
}

static void
cb_closed(struct conn *c, void *arg)
{
	struct probe	*p = arg;

	if (p->state != PROBE_DONE) {
		printf("error: closed by the server\n");
		probe_finish(p, 1);
	}
}

static void
cb_error(struct conn *c, const struct err *e, void *arg)
{
	struct probe	*p = arg;

	printf("error: %s: %s\n", err_class_name(e->cls), e->msg);
	if ((p->state == PROBE_GREETING || p->state == PROBE_HANDSHAKE) &&
	    conn_tls_fingerprint(c) != NULL)
		printf("fingerprint: %s\n", conn_tls_fingerprint(c));
	probe_finish(p, 1);
}

static void
usage(void)
{
	fprintf(stderr, "usage: tls-probe [-p imap|pop3] "
	    "[-t implicit|starttls|none] [-c CAFILE] [-P PIN] [-T MS] "
	    "HOST PORT\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct conn_cbs cbs = {
		.connected = cb_connected,
		.tls_ready = cb_tls_ready,
		.readable = cb_readable,
		.closed = cb_closed,
		.error = cb_error,
	};
	struct conn_params cp;
	struct probe	 p;
	int		 ch;

	memset(&p, 0, sizeof p);
	memset(&cp, 0, sizeof cp);
	cp.tls = CONN_TLS_IMPLICIT;
	while ((ch = getopt(argc, argv, "c:p:P:t:T:")) != -1) {
		switch (ch) {
		case 'c':
			cp.ca_file = optarg;
			break;
		case 'p':
			p.pop3 = strcmp(optarg, "pop3") == 0;
			break;
		case 'P':
			cp.pin_sha256 = optarg;
			break;
		case 't':
			if (strcmp(optarg, "starttls") == 0)
				cp.tls = CONN_TLS_STARTTLS;
			else if (strcmp(optarg, "none") == 0)
				cp.tls = CONN_TLS_NONE;
			else if (strcmp(optarg, "implicit") != 0)
				usage();
			break;
		case 'T':
			cp.connect_timeout_ms = (unsigned int)atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	cp.host = argv[optind];
	cp.port = argv[optind + 1];
	p.tls = cp.tls;
	p.status = 1;
	p.loop = loop_new();
	p.c = conn_new(p.loop, &cp, &cbs, &p);
	/* Every wait is bounded: 10 s without a byte fails the probe. */
	conn_set_timeout(p.c, 10000);
	loop_run(p.loop);
	conn_free(p.c);
	loop_free(p.loop);
	return p.status;
}
