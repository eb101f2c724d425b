/* SPDX-License-Identifier: ISC */
/*
 * TLS tests for net/conn against real servers on loopback: `openssl
 * s_server` with the test certificates of tests/server/mkcerts.sh (good,
 * expired, wrong host, self-signed, other CA, TLS 1.1 only), and a small
 * python3 STARTTLS server that injects a line right before the upgrade.
 * Verification is never switched off: each bad certificate must fail
 * with its own reason and its fingerprint in the message.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "loop/loop.h"
#include "net/conn.h"
#include "util/err.h"

#define WAIT_MS	20000	/* only a broken conn or server reaches it */
#define BULK	3000000
#define BULK_STR "3000000"

static char	 certdir[1024];
static char	 srcdir[1024];

struct server {
	pid_t	 pid;
	char	 port[16];
	char	 out[PATH_MAX];
};

struct owner {
	struct loop	*loop;
	struct conn	*c;
	int		 connected;
	int		 tls_ready;
	int		 readable;
	int		 closed;
	int		 errors;
	struct err	 err;
	char		 lines[8][128];
	int		 nlines;
	bool		 injected;	/* the STARTTLS test saw the junk */
	const char	*upgrade_on;	/* line after which to conn_starttls */
	size_t		 left_in_clear;	/* buffered when it did */
	int		 starttls_rc;
	size_t		 bulk;		/* exact read expected after "SHA" */
	size_t		 want_exact;
	bool		 exact_ok;
};

static void
o_connected(struct conn *c, void *arg)
{
	((struct owner *)arg)->connected++;
}

static void
o_tls_ready(struct conn *c, void *arg)
{
	((struct owner *)arg)->tls_ready++;
}

/* The bytes the STARTTLS server sends back after BULK. */
static bool
pattern_ok(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] != i % 251)
			return false;
	return true;
}

/* Collect every complete line, and an exact read when one is due. */
static void
o_readable(struct conn *c, void *arg)
{
	struct owner	*o = arg;
	const char	*line;
	size_t		 len;
	struct err	 e;

	o->readable++;
	for (;;) {
		if (o->want_exact > 0) {
			if (conn_read_exact(c, o->want_exact, &line) != 1)
				break;
			o->exact_ok = pattern_ok(line, o->want_exact);
			o->want_exact = 0;
			continue;
		}
		if (o->nlines >= 8 || conn_read_line(c, &line, &len, &e) != 1)
			break;
		snprintf(o->lines[o->nlines++], sizeof o->lines[0], "%.*s",
		    (int)len, line);
		if (strstr(o->lines[o->nlines - 1], "INJECTED") != NULL)
			o->injected = true;
		if (o->bulk > 0 && strncmp(line, "SHA ", 4) == 0)
			o->want_exact = o->bulk;
		/* As a session does after the tagged OK to STARTTLS. */
		if (o->upgrade_on != NULL &&
		    strcmp(o->lines[o->nlines - 1], o->upgrade_on) == 0) {
			o->upgrade_on = NULL;
			o->left_in_clear = conn_buffered(c);
			o->starttls_rc = conn_starttls(c, &e);
			break;
		}
	}
}

static void
o_closed(struct conn *c, void *arg)
{
	((struct owner *)arg)->closed++;
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
	.tls_ready = o_tls_ready,
	.readable = o_readable,
	.closed = o_closed,
	.error = o_error,
};

static bool
has_connected(void *arg)
{
	struct owner	*o = arg;

	return o->connected > 0 || o->errors > 0;
}

static bool
has_tls_ready(void *arg)
{
	struct owner	*o = arg;

	return o->tls_ready > 0 || o->errors > 0;
}

static bool
has_closed(void *arg)
{
	struct owner	*o = arg;

	return o->closed > 0 || o->errors > 0;
}

static int	 want_lines;

static bool
has_lines(void *arg)
{
	struct owner	*o = arg;

	return o->nlines >= want_lines || o->errors > 0 || o->closed > 0;
}

static void
path(char *out, const char *name)
{
	snprintf(out, PATH_MAX, "%s/%s", certdir, name);
}

/* "AB:CD:..." SHA-256 of the certificate certdir/NAME.pem. */
static void
fingerprint(const char *name, char *out, size_t outsz)
{
	char		 p[PATH_MAX], pem[64];
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 n, i;
	FILE		*f;
	X509		*x;
	size_t		 off = 0;

	snprintf(pem, sizeof pem, "%s.pem", name);
	path(p, pem);
	assert_non_null(f = fopen(p, "r"));
	assert_non_null(x = PEM_read_X509(f, NULL, NULL, NULL));
	fclose(f);
	assert_int_equal(X509_digest(x, EVP_sha256(), md, &n), 1);
	X509_free(x);
	for (i = 0; i < n && off + 4 <= outsz; i++)
		off += (size_t)snprintf(out + off, outsz - off, "%02X%s", md[i],
		    i + 1 < n ? ":" : "");
}

static void
sleep_ms(long ms)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * Start argv with stdout and stderr in a file, and wait for the line
 * "PREFIXport" in it.  Returns 0, or -1 if the server never said so.
 */
static int
server_start(struct server *s, char *const argv[], const char *prefix)
{
	static int	 seq;
	char		 buf[4096], *p;
	int		 fd, tries;
	ssize_t		 n;

	memset(s, 0, sizeof *s);
	snprintf(s->out, sizeof s->out, "%s/server-%d.out", certdir, seq++);
	if ((s->pid = fork()) == 0) {
		fd = open(s->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		fd = open("/dev/null", O_RDONLY);
		dup2(fd, 0);
		close(fd);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		_exit(127);
	}
	assert_true(s->pid > 0);
	for (tries = 0; tries < 1000; tries++) {
		sleep_ms(10);
		if ((fd = open(s->out, O_RDONLY)) == -1)
			continue;
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		if ((p = strstr(buf, prefix)) != NULL &&
		    strchr(p, '\n') != NULL) {
			p += strlen(prefix);
			snprintf(s->port, sizeof s->port, "%.*s",
			    (int)strspn(p, "0123456789"), p);
			return 0;
		}
	}
	return -1;
}

static void
server_stop(struct server *s)
{
	int	 status;

	kill(s->pid, SIGTERM);
	waitpid(s->pid, &status, 0);
}

/* s_server with certificate NAME (NAME.pem, NAME.key), extra args. */
static void
s_server_start(struct server *s, const char *name, const char *const *extra)
{
	char	 cert[PATH_MAX], key[PATH_MAX], pem[64], k[64];
	char	*argv[16];
	int	 i = 0;

	snprintf(pem, sizeof pem, "%s.pem", name);
	snprintf(k, sizeof k, "%s.key", name);
	path(cert, pem);
	path(key, k);
	argv[i++] = (char *)"openssl";
	argv[i++] = (char *)"s_server";
	argv[i++] = (char *)"-accept";
	argv[i++] = (char *)"127.0.0.1:0";
	argv[i++] = (char *)"-cert";
	argv[i++] = cert;
	argv[i++] = (char *)"-key";
	argv[i++] = key;
	argv[i++] = (char *)"-rev";		/* echo lines reversed */
	while (extra != NULL && *extra != NULL && i < 15)
		argv[i++] = (char *)*extra++;
	argv[i] = NULL;
	assert_int_equal(server_start(s, argv, "ACCEPT 127.0.0.1:"), 0);
}

static void
tls_open(struct owner *o, const char *host, const char *port,
    const char *ca, const char *pin)
{
	struct conn_params p;
	char		 cafile[PATH_MAX];

	memset(o, 0, sizeof *o);
	memset(&p, 0, sizeof p);
	o->loop = loop_new();
	p.host = host;
	p.port = port;
	p.tls = CONN_TLS_IMPLICIT;
	if (ca != NULL) {
		path(cafile, ca);
		p.ca_file = cafile;
	}
	p.pin_sha256 = pin;
	o->c = conn_new(o->loop, &p, &owner_cbs, o);
	assert_true(loop_run_until(o->loop, has_connected, o, WAIT_MS));
}

static void
tls_close(struct owner *o)
{
	conn_free(o->c);
	loop_free(o->loop);
}

/* A certificate that must be refused with reason in the message. */
static void
expect_refused(const char *name, const char *host, const char *ca,
    const char *reason)
{
	struct server	 s;
	struct owner	 o;
	char		 fp[128];

	fingerprint(name, fp, sizeof fp);
	s_server_start(&s, name, NULL);
	tls_open(&o, host, s.port, ca, NULL);
	assert_int_equal(o.connected, 0);
	assert_int_equal(o.errors, 1);
	assert_int_equal(o.err.cls, ERR_TLS);
	print_message("# %s: %s\n", name, o.err.msg);
	assert_non_null(strstr(o.err.msg, reason));
	assert_non_null(strstr(o.err.msg, fp));
	assert_non_null(strstr(o.err.msg, host));
	assert_non_null(conn_tls_fingerprint(o.c));
	assert_string_equal(conn_tls_fingerprint(o.c), fp);
	assert_false(conn_is_tls(o.c));
	assert_int_equal(conn_state(o.c), CONN_FAILED);
	tls_close(&o);
	server_stop(&s);
}

static void
test_good_cert_round_trip(void **state)
{
	struct server	 s;
	struct owner	 o;
	char		 fp[128];

	fingerprint("server", fp, sizeof fp);
	s_server_start(&s, "server", NULL);
	tls_open(&o, "localhost", s.port, "ca.pem", NULL);
	assert_int_equal(o.errors, 0);
	assert_int_equal(o.connected, 1);
	assert_true(conn_is_tls(o.c));
	assert_non_null(conn_tls_info(o.c));
	assert_non_null(strstr(conn_tls_info(o.c), "TLSv1."));
	assert_string_equal(conn_tls_fingerprint(o.c), fp);
	conn_write_str(o.c, "hello pons\n");
	want_lines = 1;
	assert_true(loop_run_until(o.loop, has_lines, &o, WAIT_MS));
	assert_int_equal(o.errors, 0);
	assert_string_equal(o.lines[0], "snop olleh");
	tls_close(&o);
	server_stop(&s);
}

static void
test_good_cert_by_ip(void **state)
{
	struct server	 s;
	struct owner	 o;

	s_server_start(&s, "server", NULL);
	/* set1_ip_asc: the IP SAN 127.0.0.1 is checked, not a name. */
	tls_open(&o, "127.0.0.1", s.port, "ca.pem", NULL);
	assert_int_equal(o.errors, 0);
	assert_int_equal(o.connected, 1);
	tls_close(&o);
	server_stop(&s);
}

static void
test_wrong_host(void **state)
{
	expect_refused("wronghost", "localhost", "ca.pem", "hostname mismatch");
}

static void
test_wrong_ip(void **state)
{
	expect_refused("wronghost", "127.0.0.1", "ca.pem",
	    "IP address mismatch");
}

static void
test_expired(void **state)
{
	expect_refused("expired", "localhost", "ca.pem",
	    "certificate has expired");
}

static void
test_self_signed(void **state)
{
	expect_refused("selfsigned", "localhost", "ca.pem",
	    "self-signed certificate");
}

static void
test_other_ca(void **state)
{
	expect_refused("othersigned", "localhost", "ca.pem",
	    "unable to get local issuer certificate");
}

static void
test_system_store_is_default(void **state)
{
	/* The test CA is not in the system store: refused, not trusted. */
	expect_refused("server", "localhost", NULL,
	    "unable to get local issuer certificate");
}

static void
test_pinned_fingerprint(void **state)
{
	struct server	 s;
	struct owner	 o;
	char		 fp[128], other[128];

	fingerprint("selfsigned", fp, sizeof fp);
	fingerprint("server", other, sizeof other);
	s_server_start(&s, "selfsigned", NULL);
	tls_open(&o, "localhost", s.port, "ca.pem", fp);
	assert_int_equal(o.errors, 0);
	assert_int_equal(o.connected, 1);
	assert_string_equal(conn_tls_fingerprint(o.c), fp);
	tls_close(&o);
	server_stop(&s);

	/* A pin for another certificate changes nothing. */
	s_server_start(&s, "selfsigned", NULL);
	tls_open(&o, "localhost", s.port, "ca.pem", other);
	assert_int_equal(o.errors, 1);
	assert_int_equal(o.err.cls, ERR_TLS);
	assert_non_null(strstr(o.err.msg, fp));
	tls_close(&o);
	server_stop(&s);
}

static void
test_tls11_only_server_refused(void **state)
{
	static const char *const old[] = { "-tls1_1", "-cipher",
		"ALL:@SECLEVEL=0", NULL };
	struct server	 s;
	struct owner	 o;

	s_server_start(&s, "server", old);
	tls_open(&o, "localhost", s.port, "ca.pem", NULL);
	assert_int_equal(o.connected, 0);
	assert_int_equal(o.errors, 1);
	assert_int_equal(o.err.cls, ERR_TLS);
	print_message("# tls1.1: %s\n", o.err.msg);
	assert_non_null(strstr(o.err.msg, "localhost"));
	assert_non_null(strstr(o.err.msg, "protocol"));
	tls_close(&o);
	server_stop(&s);
}

static void
test_bad_ca_file(void **state)
{
	struct owner	 o;

	/* Refused before any connect: the port is never used. */
	tls_open(&o, "127.0.0.1", "9", "no-such-ca.pem", NULL);
	assert_int_equal(o.errors, 1);
	assert_int_equal(o.err.cls, ERR_LOCAL);
	assert_non_null(strstr(o.err.msg, "no-such-ca.pem"));
	tls_close(&o);
}

static void
test_starttls_discards_injected_bytes(void **state)
{
	struct server	 s;
	struct owner	 o;
	struct conn_params p;
	struct err	 e;
	char		 script[PATH_MAX], cert[PATH_MAX], key[PATH_MAX];
	char		 cafile[PATH_MAX], fp[128], sha[80];
	char		*argv[5], *big;
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	size_t		 i;

	snprintf(script, sizeof script,
	    "%s/tests/integration/starttls-server.py", srcdir);
	path(cert, "server.pem");
	path(key, "server.key");
	path(cafile, "ca.pem");
	fingerprint("server", fp, sizeof fp);
	argv[0] = (char *)"python3";
	argv[1] = script;
	argv[2] = cert;
	argv[3] = key;
	argv[4] = NULL;
	assert_int_equal(server_start(&s, argv, "PORT "), 0);

	memset(&o, 0, sizeof o);
	memset(&p, 0, sizeof p);
	o.loop = loop_new();
	p.host = "localhost";
	p.port = s.port;
	p.tls = CONN_TLS_STARTTLS;
	p.ca_file = cafile;
	o.c = conn_new(o.loop, &p, &owner_cbs, &o);
	assert_true(loop_run_until(o.loop, has_connected, &o, WAIT_MS));
	assert_int_equal(o.connected, 1);
	assert_false(conn_is_tls(o.c));
	want_lines = 1;
	assert_true(loop_run_until(o.loop, has_lines, &o, WAIT_MS));
	assert_string_equal(o.lines[0], "* OK pons test server");
	o.upgrade_on = "a1 OK begin TLS";
	o.starttls_rc = 1;
	conn_write_str(o.c, "a1 STARTTLS\r\n");
	assert_true(loop_run_until(o.loop, has_tls_ready, &o, WAIT_MS));
	assert_string_equal(o.lines[1], "a1 OK begin TLS");
	assert_int_equal(o.starttls_rc, 0);
	/* The injected line came in the same segment, and was dropped. */
	assert_true(o.left_in_clear > 0);
	assert_false(o.injected);
	assert_int_equal(o.errors, 0);
	assert_int_equal(o.tls_ready, 1);
	assert_true(conn_is_tls(o.c));
	assert_string_equal(conn_tls_fingerprint(o.c), fp);
	want_lines = 3;
	assert_true(loop_run_until(o.loop, has_lines, &o, WAIT_MS));
	assert_string_equal(o.lines[2], "* AFTER TLS");

	/* Megabytes each way: partial TLS writes, reads over many passes. */
	big = malloc(BULK);
	assert_non_null(big);
	for (i = 0; i < BULK; i++)
		big[i] = (char)(i * 7 + i / 1000);
	assert_int_equal(EVP_Digest(big, BULK, md, &mdlen, EVP_sha256(),
	    NULL), 1);
	strcpy(sha, "SHA ");
	for (i = 0; i < mdlen; i++)
		snprintf(sha + 4 + 2 * i, 3, "%02x", md[i]);
	o.bulk = BULK;
	conn_write_str(o.c, "BULK " BULK_STR "\r\n");
	conn_write_take(o.c, big, BULK);
	want_lines = 5;
	assert_true(loop_run_until(o.loop, has_lines, &o, WAIT_MS));
	assert_int_equal(o.errors, 0);
	assert_string_equal(o.lines[3], sha);
	assert_true(o.exact_ok);
	assert_string_equal(o.lines[4], "DONE");

	conn_write_str(o.c, "ping\r\n");
	want_lines = 6;
	assert_true(loop_run_until(o.loop, has_lines, &o, WAIT_MS));
	assert_string_equal(o.lines[5], "echo ping");
	assert_false(o.injected);
	/* A second upgrade is refused. */
	assert_int_equal(conn_starttls(o.c, &e), -1);
	assert_int_equal(e.cls, ERR_LOCAL);
	/* The server closes without close_notify: a close, not an error */
	assert_true(loop_run_until(o.loop, has_closed, &o, WAIT_MS));
	assert_int_equal(o.errors, 0);
	assert_int_equal(o.closed, 1);
	tls_close(&o);
	server_stop(&s);
}

static int
find_mkcerts(char *out, size_t outsz)
{
	const char	*env;

	if ((env = getenv("PONS_MKCERTS")) != NULL)
		snprintf(out, outsz, "%s", env);
	else
		snprintf(out, outsz, "%s/tests/server/mkcerts.sh", srcdir);
	return access(out, X_OK);
}

static int
setup(void **state)
{
	char	 cmd[3 * PATH_MAX], mk[PATH_MAX];
	const char *tmp;

	if (find_mkcerts(mk, sizeof mk) == -1)
		return -1;
	if ((tmp = getenv("TMPDIR")) == NULL)
		tmp = "/tmp";
	snprintf(certdir, sizeof certdir, "%s/pons-net-tls.XXXXXX", tmp);
	if (mkdtemp(certdir) == NULL)
		return -1;
	snprintf(cmd, sizeof cmd, "'%s' '%s' >/dev/null", mk, certdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	char	 cmd[PATH_MAX + 16];

	if (certdir[0] != '\0' && getenv("PONS_KEEP_CERTS") == NULL) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", certdir);
		(void)system(cmd);
	}
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_cert_round_trip),
		cmocka_unit_test(test_good_cert_by_ip),
		cmocka_unit_test(test_wrong_host),
		cmocka_unit_test(test_wrong_ip),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_self_signed),
		cmocka_unit_test(test_other_ca),
		cmocka_unit_test(test_system_store_is_default),
		cmocka_unit_test(test_pinned_fingerprint),
		cmocka_unit_test(test_tls11_only_server_refused),
		cmocka_unit_test(test_bad_ca_file),
		cmocka_unit_test(test_starttls_discards_injected_bytes),
	};
	const char	*env;
	char		 mk[PATH_MAX];

	snprintf(srcdir, sizeof srcdir, "%s",
	    (env = getenv("PONS_SRCDIR")) != NULL ? env : PONS_SRCDIR);
	if (find_mkcerts(mk, sizeof mk) == -1) {
		printf("1..0 # SKIP %s not there yet\n", mk);
		return 0;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
