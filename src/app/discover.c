/* SPDX-License-Identifier: ISC */
/*
 * Account discovery: probes the usual host names and ports of a domain
 * concurrently on the loop, reads CAPABILITY / CAPA, verifies the
 * certificate, logs in once per protocol on the best candidate.  Uses
 * net/conn for sockets and TLS, the pure IMAP and POP3 parsers for the
 * answers; never blocks and never prints.  A password goes out only over
 * TLS that verified.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"

#include "app/discover.h"
#include "imap/imap-cmd.h"
#include "imap/imap-parse.h"
#include "loop/loop.h"
#include "msg/codec.h"
#include "msg/sanitize.h"
#include "net/conn.h"
#include "pop3/pop3-parse.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xmalloc.h"

#define DISCOVER_TEXT_MAX	200	/* bytes of server text kept */
#define DISCOVER_CAPA_LINE_MAX	1024	/* one POP3 CAPA line */
#define DISCOVER_SASL_MAX	256	/* bytes of the SASL list */

enum probe_state {
	PROBE_CONNECTING,	/* conn_new() called */
	PROBE_GREETING,		/* waiting for the greeting */
	PROBE_CAPA,		/* CAPABILITY / CAPA sent */
	PROBE_STARTTLS,		/* STARTTLS / STLS sent */
	PROBE_HANDSHAKE,	/* conn_starttls() called */
	PROBE_READY,		/* capabilities known over verified TLS */
	PROBE_AUTH,		/* AUTHENTICATE, LOGIN, AUTH sent */
	PROBE_USER,		/* POP3 USER sent */
	PROBE_PASS,		/* POP3 PASS sent */
	PROBE_CAPA_AFTER,	/* IMAP: CAPABILITY after the login */
	PROBE_LOGOUT,		/* LOGOUT / QUIT sent */
	PROBE_DONE,		/* the conn is gone */
};

struct discover;

struct probe {
	struct discover			*d;
	struct discover_candidate	 c;
	char				*peer;		/* "host:port" for logs */
	struct conn			*conn;
	enum probe_state		 st;
	bool				 tls_up;	/* TLS verified */
	struct imap_parser		*ip;
	struct pop3_parser		*pp;
	unsigned int			 tagn;
	char				 tag[16];	/* of the command in flight */
	int				 user_form;	/* 0 address, 1 local part */
	struct buf			 line;		/* POP3 CAPA line */
	bool				 line_long;
	unsigned int			 new_caps;	/* POP3 CAPA being read */
	struct buf			 new_sasl;
	struct buf			 pend;		/* secret: rest of LOGIN */
	size_t				*waits;		/* offsets in pend */
	size_t				 nwaits;
	size_t				 sent;		/* bytes of pend sent */
	size_t				 waiti;
};

struct discover {
	struct loop			*loop;
	struct discover_cbs		 cbs;
	void				*arg;
	char				*email;
	char				*local;		/* the part before '@' */
	char				*password;	/* NULL: look only */
	char				*ca_file;
	unsigned int			 timeout_ms;
	struct probe			*probes;
	size_t				 n;
	struct {
		bool	 decided;	/* the login question is settled */
		int	 user_form;	/* the next user form to try */
	}				 login[2];
	bool				 finishing;
	const struct discover_candidate	**ranked;
	struct discover_result		 result;
};

static void	 probe_advance(struct discover *);
static void	 probe_finish(struct probe *);
static void	 probe_fail(struct probe *, const char *);
static void	 probe_ready(struct probe *);
static void	 probe_login(struct probe *);

const char *
discover_proto_name(enum discover_proto proto)
{
	return proto == DISCOVER_IMAP ? "IMAP" : "POP3";
}

const char *
discover_tls_name(enum discover_proto proto, enum discover_tls tls)
{
	if (tls == DISCOVER_TLS_IMPLICIT)
		return "implicit TLS";
	return proto == DISCOVER_IMAP ? "STARTTLS" : "STLS";
}

/* Host names: letters, digits, '-', '.', '_'; ':' for IPv6 literals. */
static bool
discover_host_ok(const char *h, size_t len)
{
	size_t	 i;

	if (len == 0 || len > 253 || h[0] == '.' || h[0] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)h[i]) && strchr("-._:", h[i]) ==
		    NULL)
			return false;
	return true;
}

static unsigned int
discover_map_port(const struct discover_opts *o, unsigned int std)
{
	size_t	 i;

	for (i = 0; o != NULL && i < o->nports; i++)
		if (o->ports[i].from == std)
			return o->ports[i].to;
	return std;
}

static void
discover_add(struct discover_candidate **v, size_t *n, size_t *cap,
    enum discover_proto proto, enum discover_tls tls, const char *host,
    const struct discover_opts *o)
{
	struct discover_candidate	*c;
	unsigned int			 std;

	if (proto == DISCOVER_IMAP)
		std = tls == DISCOVER_TLS_IMPLICIT ? 993 : 143;
	else
		std = tls == DISCOVER_TLS_IMPLICIT ? 995 : 110;
	if (discover_map_port(o, std) == 0)
		return;
	if (*n == *cap) {
		*cap = *cap == 0 ? 16 : *cap * 2;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	c = &(*v)[*n];
	memset(c, 0, sizeof *c);
	c->proto = proto;
	c->tls = tls;
	c->host = xstrdup(host);
	c->std_port = std;
	c->port = discover_map_port(o, std);
	c->order = (unsigned int)*n;
	c->status = DISCOVER_PENDING;
	c->login = DISCOVER_LOGIN_NOT_TRIED;
	(*n)++;
}

int
discover_candidates(const char *email, const struct discover_opts *o,
    struct discover_candidate **out, size_t *np, struct err *e)
{
	static const char *const imap_pre[] = { "imap.", "mail.", "" };
	static const char *const pop3_pre[] = { "pop.", "pop3.", "mail.", "" };
	struct discover_candidate	*v = NULL;
	const char			*at, *dom;
	char				*h;
	size_t				 n = 0, cap = 0, i, k;
	int				 t, pr;

	*out = NULL;
	*np = 0;
	if (email == NULL || (at = strrchr(email, '@')) == NULL ||
	    at == email || at[1] == '\0')
		return err_set(e, ERR_INPUT,
		    "\"%s\" is not an email address (name@domain)",
		    email == NULL ? "" : email);
	for (i = 0; email[i] != '\0'; i++)
		if ((unsigned char)email[i] <= ' ' || email[i] == 0x7f)
			return err_set(e, ERR_INPUT,
			    "an email address has no spaces or control "
			    "characters");
	dom = at + 1;
	if (!discover_host_ok(dom, strlen(dom)))
		return err_set(e, ERR_INPUT, "\"%s\" is not a domain name",
		    dom);
	for (i = 0; o != NULL && i < o->nhosts; i++)
		if (o->hosts[i] == NULL ||
		    !discover_host_ok(o->hosts[i], strlen(o->hosts[i])))
			return err_set(e, ERR_INPUT,
			    "\"%s\" is not a host name",
			    o->hosts[i] == NULL ? "" : o->hosts[i]);
	/* Implicit TLS first: it never shows a byte in clear. */
	for (t = 0; t < 2; t++) {
		for (pr = 0; pr < 2; pr++) {
			if (o != NULL && o->nhosts > 0) {
				for (k = 0; k < o->nhosts; k++)
					discover_add(&v, &n, &cap,
					    (enum discover_proto)pr,
					    (enum discover_tls)t,
					    o->hosts[k], o);
				continue;
			}
			k = pr == DISCOVER_IMAP ? 3 : 4;
			for (i = 0; i < k; i++) {
				h = xasprintf("%s%s", pr == DISCOVER_IMAP ?
				    imap_pre[i] : pop3_pre[i], dom);
				discover_add(&v, &n, &cap,
				    (enum discover_proto)pr,
				    (enum discover_tls)t, h, o);
				free(h);
			}
		}
	}
	if (n == 0) {
		free(v);
		return err_set(e, ERR_INPUT,
		    "the port map leaves no port to try");
	}
	*out = v;
	*np = n;
	return 0;
}

static void
discover_candidate_fini(struct discover_candidate *c)
{
	free(c->host);
	free(c->fingerprint);
	free(c->tls_info);
	free(c->error);
	free(c->sasl);
	free(c->login_user);
	free(c->login_msg);
	memset(c, 0, sizeof *c);
}

void
discover_candidates_free(struct discover_candidate *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		discover_candidate_fini(&v[i]);
	free(v);
}

/* Lower is better. */
static int
discover_score(const struct discover_candidate *c)
{
	if (c->status != DISCOVER_FOUND)
		return c->status == DISCOVER_UNREACHABLE ? 4 : 5;
	if (!c->cert_ok)
		return 3;
	/*
	 * A refusal counts as much as not trying: the same password would
	 * be refused there too, and the implicit TLS one should stay first.
	 */
	switch (c->login) {
	case DISCOVER_LOGIN_OK:
		return 0;
	case DISCOVER_LOGIN_NOT_TRIED:
	case DISCOVER_LOGIN_REFUSED:
		return 1;
	default:
		return 2;
	}
}

int
discover_rank_cmp(const void *pa, const void *pb)
{
	const struct discover_candidate	*a, *b;
	int				 sa, sb;

	a = *(const struct discover_candidate *const *)pa;
	b = *(const struct discover_candidate *const *)pb;
	sa = discover_score(a);
	sb = discover_score(b);
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (a->tls != b->tls)
		return a->tls == DISCOVER_TLS_IMPLICIT ? -1 : 1;
	if (a->proto != b->proto)
		return a->proto == DISCOVER_IMAP ? -1 : 1;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return 0;
}

bool
discover_usable(const struct discover_candidate *c, bool login_asked)
{
	if (c->status != DISCOVER_FOUND || !c->cert_ok)
		return false;
	if (login_asked)
		return c->login == DISCOVER_LOGIN_OK;
	return true;
}

int
discover_port_map_parse(const char *s, struct discover_port **out,
    size_t *np, struct err *e)
{
	struct discover_port	*v = NULL;
	const char		*p = s, *eq, *end;
	uint64_t		 from, to;
	size_t			 n = 0;

	*out = NULL;
	*np = 0;
	for (;;) {
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		if ((eq = memchr(p, '=', (size_t)(end - p))) == NULL ||
		    !str_to_u64(p, (size_t)(eq - p), 65535, &from) ||
		    from == 0 ||
		    !str_to_u64(eq + 1, (size_t)(end - eq - 1), 65535, &to)) {
			free(v);
			return err_set(e, ERR_INPUT, "bad port map \"%s\": "
			    "expected PORT=PORT[,PORT=PORT...]", s);
		}
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n].from = (unsigned int)from;
		v[n].to = (unsigned int)to;
		n++;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	*out = v;
	*np = n;
	return 0;
}

void
discover_caps_describe(const struct discover_candidate *c, struct buf *out)
{
	static const struct {
		unsigned int	 bit;
		const char	*imap, *pop3;
	} names[] = {
		{ DISCOVER_CAP_IMAP4REV2, "IMAP4rev2", NULL },
		{ DISCOVER_CAP_IDLE, "IDLE", NULL },
		{ DISCOVER_CAP_CONDSTORE, "CONDSTORE", NULL },
		{ DISCOVER_CAP_QRESYNC, "QRESYNC", NULL },
		{ DISCOVER_CAP_UIDPLUS, "UIDPLUS", NULL },
		{ DISCOVER_CAP_MOVE, "MOVE", NULL },
		{ DISCOVER_CAP_UIDL, NULL, "UIDL" },
		{ DISCOVER_CAP_TOP, NULL, "TOP" },
		{ DISCOVER_CAP_PIPELINING, NULL, "PIPELINING" },
		{ DISCOVER_CAP_USER, NULL, "USER" },
		{ DISCOVER_CAP_STARTTLS, "STARTTLS", "STLS" },
		{ DISCOVER_CAP_NOLOGIN, "LOGINDISABLED", NULL },
	};
	const char	*name;
	size_t		 i, start = out->len;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		name = c->proto == DISCOVER_IMAP ? names[i].imap :
		    names[i].pop3;
		if (name == NULL || (c->caps & names[i].bit) == 0)
			continue;
		buf_printf(out, "%s%s", out->len > start ? " " : "", name);
	}
	if (c->sasl != NULL)
		buf_printf(out, "%sSASL %s", out->len > start ? " " : "",
		    c->sasl);
}

/* Replace *dst by the sanitized, shortened server text. */
static void
probe_set_text(char **dst, const char *p, size_t len)
{
	free(*dst);
	if (len > DISCOVER_TEXT_MAX)
		len = DISCOVER_TEXT_MAX;
	*dst = sanitize_dup(p, len, 0);
}

static void
probe_set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s == NULL ? NULL : xstrdup(s);
}

static void
probe_progress(struct probe *p)
{
	if (p->d->cbs.progress != NULL)
		p->d->cbs.progress(&p->c, p->d->arg);
}

/* Send one line (CRLF added) and expect an answer in time. */
static void
probe_send(struct probe *p, const char *line, bool secret)
{
	log_proto(p->peer, LOG_DIR_OUT, line, strlen(line), secret);
	conn_write_str(p->conn, line);
	conn_write(p->conn, "\r\n", 2);
	conn_set_timeout(p->conn, p->d->timeout_ms);
}

/* Send "TAG command" for IMAP, remembering the tag. */
static void
probe_imap_cmd(struct probe *p, const char *cmd)
{
	char	*line;

	snprintf(p->tag, sizeof p->tag, "d%u", ++p->tagn);
	line = xasprintf("%s %s", p->tag, cmd);
	probe_send(p, line, false);
	free(line);
}

static bool
probe_is_tag(const struct probe *p, const struct imap_resp *r)
{
	return r->kind == IMAP_KIND_TAGGED &&
	    str_eq_ci(r->tag.p, r->tag.len, p->tag);
}

static void
probe_sasl_add(struct buf *b, const char *p, size_t len)
{
	size_t	 i;

	if (b->len + len + 1 > DISCOVER_SASL_MAX)
		return;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '-' &&
		    p[i] != '_')
			return;
	if (b->len > 0)
		buf_add_byte(b, ' ');
	buf_add(b, p, len);
}

/* A complete capability list replaces the one known before. */
static void
probe_imap_caps(struct probe *p, const struct imap_strs *caps)
{
	static const struct {
		const char	*name;
		unsigned int	 bit;
	} known[] = {
		{ "IDLE", DISCOVER_CAP_IDLE },
		{ "CONDSTORE", DISCOVER_CAP_CONDSTORE },
		{ "QRESYNC", DISCOVER_CAP_QRESYNC },
		{ "UIDPLUS", DISCOVER_CAP_UIDPLUS },
		{ "MOVE", DISCOVER_CAP_MOVE },
		{ "STARTTLS", DISCOVER_CAP_STARTTLS },
		{ "LOGINDISABLED", DISCOVER_CAP_NOLOGIN },
		{ "SASL-IR", DISCOVER_CAP_SASLIR },
		{ "IMAP4rev2", DISCOVER_CAP_IMAP4REV2 },
		{ "AUTH=PLAIN", DISCOVER_CAP_PLAIN },
	};
	struct buf		 sasl = BUF_INIT;
	const struct imap_str	*s;
	size_t			 i, k;

	p->c.caps = 0;
	for (i = 0; i < caps->n; i++) {
		s = &caps->v[i];
		for (k = 0; k < sizeof known / sizeof known[0]; k++)
			if (str_eq_ci(s->p, s->len, known[k].name))
				p->c.caps |= known[k].bit;
		if (str_has_prefix_ci(s->p, s->len, "AUTH="))
			probe_sasl_add(&sasl, s->p + 5, s->len - 5);
	}
	free(p->c.sasl);
	p->c.sasl = sasl.len > 0 ? buf_take(&sasl, NULL) : NULL;
	buf_fini(&sasl);
	p->c.caps_known = true;
	p->c.caps_logged_in = p->c.login == DISCOVER_LOGIN_OK ||
	    p->st == PROBE_CAPA_AFTER;
}

/* The capabilities are in: upgrade, or wait for the login. */
static void
probe_caps_done(struct probe *p)
{
	if (p->tls_up) {
		probe_ready(p);
		return;
	}
	/* RFC 3501 6.2.1, RFC 2595 4: clear text until the upgrade. */
	if ((p->c.caps & DISCOVER_CAP_STARTTLS) == 0 && p->c.caps_known) {
		probe_set_str(&p->c.error, p->c.proto == DISCOVER_IMAP ?
		    "the server offers no STARTTLS: pons will not log in "
		    "without TLS" :
		    "the server offers no STLS: pons will not log in "
		    "without TLS");
		probe_finish(p);
		return;
	}
	p->st = PROBE_STARTTLS;
	if (p->c.proto == DISCOVER_IMAP)
		probe_imap_cmd(p, "STARTTLS");
	else {
		pop3_parser_expect(p->pp, POP3_EXPECT_LINE);
		probe_send(p, "STLS", false);
	}
}

static void
probe_starttls(struct probe *p)
{
	struct err	 e;

	p->st = PROBE_HANDSHAKE;
	if (p->c.proto == DISCOVER_IMAP)
		imap_parser_reset(p->ip);
	else
		pop3_parser_discard(p->pp);
	if (conn_starttls(p->conn, &e) == -1)
		probe_fail(p, e.msg);
}

/* Where a login ends, well or badly: log out politely and finish. */
static void
probe_logout(struct probe *p)
{
	p->st = PROBE_LOGOUT;
	if (p->c.proto == DISCOVER_IMAP)
		probe_imap_cmd(p, "LOGOUT");
	else {
		pop3_parser_expect(p->pp, POP3_EXPECT_LINE);
		probe_send(p, "QUIT", false);
	}
}

static void
probe_login_ok(struct probe *p)
{
	struct discover	*d = p->d;

	p->c.login = DISCOVER_LOGIN_OK;
	d->login[p->c.proto].decided = true;
	probe_progress(p);
	if (p->c.proto == DISCOVER_IMAP && p->st != PROBE_CAPA_AFTER) {
		/* RFC 9051 6.2: capabilities may change after login. */
		p->st = PROBE_CAPA_AFTER;
		probe_imap_cmd(p, "CAPABILITY");
		return;
	}
	probe_logout(p);
}

/*
 * The credentials were refused.  Try the local part once, on the same
 * connection; after that the question is settled for this protocol.
 */
static void
probe_login_refused(struct probe *p, const char *text, size_t len)
{
	struct discover	*d = p->d;

	p->c.login = DISCOVER_LOGIN_REFUSED;
	probe_set_text(&p->c.login_msg, text, len);
	probe_progress(p);
	if (p->user_form == 0) {
		p->user_form = 1;
		d->login[p->c.proto].user_form = 1;
		probe_login(p);
		return;
	}
	d->login[p->c.proto].decided = true;
	probe_logout(p);
}

static void
probe_login_failed(struct probe *p, const char *text, size_t len)
{
	p->c.login = DISCOVER_LOGIN_FAILED;
	probe_set_text(&p->c.login_msg, text, len);
	probe_progress(p);
	probe_logout(p);
}

/* Send pend up to the next place a continuation must be waited for. */
static void
probe_send_pend(struct probe *p)
{
	size_t	 to;

	to = p->waiti < p->nwaits ? p->waits[p->waiti++] : p->pend.len;
	conn_write(p->conn, p->pend.data + p->sent, to - p->sent);
	p->sent = to;
	conn_set_timeout(p->conn, p->d->timeout_ms);
}

static void
probe_pend_clear(struct probe *p)
{
	buf_fini_secret(&p->pend);
	free(p->waits);
	p->waits = NULL;
	p->nwaits = p->waiti = p->sent = 0;
}

/* "\0user\0password", base64 (RFC 4616). */
static void
probe_plain(struct probe *p, const char *user, struct buf *out)
{
	struct buf	 raw = BUF_INIT;

	buf_add_byte(&raw, 0);
	buf_add_str(&raw, user);
	buf_add_byte(&raw, 0);
	buf_add_str(&raw, p->d->password);
	codec_base64_encode(raw.data, raw.len, out);
	buf_fini_secret(&raw);
}

static void
probe_imap_login(struct probe *p, const char *user)
{
	struct imap_cmd	 cmd;
	struct buf	 b64 = BUF_INIT;

	snprintf(p->tag, sizeof p->tag, "d%u", ++p->tagn);
	probe_pend_clear(p);
	if (p->c.caps & DISCOVER_CAP_PLAIN) {
		probe_plain(p, user, &b64);
		if (p->c.caps & DISCOVER_CAP_SASLIR)
			buf_printf(&p->pend, "%s AUTHENTICATE PLAIN %s\r\n",
			    p->tag, b64.data);
		else {
			/* The response goes after the "+" (RFC 9051 6.2.2). */
			buf_printf(&p->pend, "%s AUTHENTICATE PLAIN\r\n%s\r\n",
			    p->tag, b64.data);
			p->waits = xmalloc(sizeof *p->waits);
			p->waits[0] = strlen(p->tag) +
			    sizeof " AUTHENTICATE PLAIN\r\n" - 1;
			p->nwaits = 1;
		}
		buf_fini_secret(&b64);
	} else {
		imap_cmd_init(&cmd, p->tag, IMAP_LIT_SYNC, false);
		cmd.secret = true;
		imap_cmd_add(&cmd, "LOGIN ");
		imap_cmd_astring(&cmd, user, strlen(user));
		imap_cmd_add(&cmd, " ");
		imap_cmd_astring(&cmd, p->d->password,
		    strlen(p->d->password));
		imap_cmd_end(&cmd);
		buf_add(&p->pend, cmd.b.data, cmd.b.len);
		if (cmd.nwaits > 0) {
			p->waits = xreallocarray(NULL, cmd.nwaits,
			    sizeof *p->waits);
			memcpy(p->waits, cmd.waits,
			    cmd.nwaits * sizeof *p->waits);
			p->nwaits = cmd.nwaits;
		}
		imap_cmd_fini(&cmd);
	}
	log_proto(p->peer, LOG_DIR_OUT, p->pend.data,
	    p->nwaits > 0 ? p->waits[0] - 2 : p->pend.len - 2, false);
	probe_send_pend(p);
}

static void
probe_pop3_login(struct probe *p, const char *user)
{
	struct buf	 b64 = BUF_INIT;
	char		*line;

	if (p->c.caps & DISCOVER_CAP_PLAIN) {
		/* RFC 5034 4: the initial response saves a round trip. */
		probe_plain(p, user, &b64);
		line = xasprintf("AUTH PLAIN %s", b64.data);
		buf_fini_secret(&b64);
		p->st = PROBE_AUTH;
		pop3_parser_expect(p->pp, POP3_EXPECT_SASL);
		probe_send(p, line, false);
		explicit_bzero(line, strlen(line));
		free(line);
		return;
	}
	line = xasprintf("USER %s", user);
	p->st = PROBE_USER;
	pop3_parser_expect(p->pp, POP3_EXPECT_LINE);
	probe_send(p, line, false);
	free(line);
}

/* Log in on a ready probe, with the current user form. */
static void
probe_login(struct probe *p)
{
	static const char	*nologin =
	    "the server disables LOGIN and offers no AUTH=PLAIN";
	const char		*user;

	user = p->user_form == 0 ? p->d->email : p->d->local;
	probe_set_str(&p->c.login_user, user);
	/* Never a password without verified TLS. */
	if (!p->tls_up || !conn_is_tls(p->conn) || p->d->password == NULL) {
		probe_fail(p, "internal error: login without TLS");
		return;
	}
	if (p->c.proto == DISCOVER_IMAP) {
		if ((p->c.caps & (DISCOVER_CAP_NOLOGIN | DISCOVER_CAP_PLAIN)) ==
		    DISCOVER_CAP_NOLOGIN) {
			probe_login_failed(p, nologin, strlen(nologin));
			return;
		}
		p->st = PROBE_AUTH;
		probe_imap_login(p, user);
	} else
		probe_pop3_login(p, user);
}

static void
probe_ready(struct probe *p)
{
	p->st = PROBE_READY;
	p->c.cert_ok = true;
	probe_set_str(&p->c.tls_info, conn_tls_info(p->conn));
	probe_set_str(&p->c.fingerprint, conn_tls_fingerprint(p->conn));
	/* Held until its turn to log in; the loop gives it no deadline. */
	conn_set_timeout(p->conn, 0);
	probe_progress(p);
	probe_advance(p->d);
}

static void
probe_found(struct probe *p)
{
	p->c.status = DISCOVER_FOUND;
	probe_progress(p);
}

static void
probe_imap_status(struct probe *p, const struct imap_resp *r)
{
	switch (p->st) {
	case PROBE_CAPA:
		/* A NO or BAD: the capabilities stay unknown. */
		probe_caps_done(p);
		break;
	case PROBE_STARTTLS:
		if (r->type == IMAP_RESP_OK)
			probe_starttls(p);
		else {
			probe_set_text(&p->c.error, r->text.p, r->text.len);
			probe_finish(p);
		}
		break;
	case PROBE_AUTH:
		probe_pend_clear(p);
		if (r->type == IMAP_RESP_OK) {
			/* Capabilities in the OK: no need to ask again. */
			if (r->code.type == IMAP_CODE_CAPABILITY) {
				p->st = PROBE_CAPA_AFTER;
				probe_imap_caps(p, &r->code.atoms);
			}
			probe_login_ok(p);
		} else if (r->type == IMAP_RESP_NO &&
		    r->code.type != IMAP_CODE_UNAVAILABLE)
			probe_login_refused(p, r->text.p, r->text.len);
		else
			probe_login_failed(p, r->text.p, r->text.len);
		break;
	case PROBE_CAPA_AFTER:
		probe_logout(p);
		break;
	case PROBE_LOGOUT:
		probe_finish(p);
		break;
	default:
		break;
	}
}

static void
probe_imap_resp(struct probe *p, const struct imap_resp *r)
{
	log_proto(p->peer, LOG_DIR_IN, r->first_line.p, r->first_line.len,
	    false);
	if (r->kind == IMAP_KIND_CONT) {
		if (p->st == PROBE_AUTH && p->sent < p->pend.len)
			probe_send_pend(p);
		return;
	}
	if (r->type == IMAP_RESP_CAPABILITY && r->kind == IMAP_KIND_UNTAGGED) {
		probe_imap_caps(p, &r->u.caps);
		return;
	}
	if (p->st == PROBE_GREETING) {
		if (r->kind != IMAP_KIND_UNTAGGED ||
		    (r->type != IMAP_RESP_OK && r->type != IMAP_RESP_PREAUTH)) {
			probe_set_text(&p->c.error, r->first_line.p,
			    r->first_line.len);
			probe_finish(p);
			return;
		}
		probe_found(p);
		/* The greeting may carry the list (RFC 9051 7.1). */
		if (r->code.type == IMAP_CODE_CAPABILITY) {
			probe_imap_caps(p, &r->code.atoms);
			probe_caps_done(p);
			return;
		}
		p->st = PROBE_CAPA;
		probe_imap_cmd(p, "CAPABILITY");
		return;
	}
	if (probe_is_tag(p, r))
		probe_imap_status(p, r);
}

/* One POP3 CAPA line (RFC 2449 section 6). */
static void
probe_pop3_capa_line(struct probe *p, const char *l, size_t len)
{
	const char	*name, *args, *w;
	size_t		 nlen, alen, wlen;

	if (!pop3_parse_capa_line(l, len, &name, &nlen, &args, &alen))
		return;
	if (str_eq_ci(name, nlen, "UIDL"))
		p->new_caps |= DISCOVER_CAP_UIDL;
	else if (str_eq_ci(name, nlen, "PIPELINING"))
		p->new_caps |= DISCOVER_CAP_PIPELINING;
	else if (str_eq_ci(name, nlen, "STLS"))
		p->new_caps |= DISCOVER_CAP_STARTTLS;
	else if (str_eq_ci(name, nlen, "USER"))
		p->new_caps |= DISCOVER_CAP_USER;
	else if (str_eq_ci(name, nlen, "TOP"))
		p->new_caps |= DISCOVER_CAP_TOP;
	else if (str_eq_ci(name, nlen, "SASL")) {
		while (alen > 0) {
			while (alen > 0 && *args == ' ') {
				args++;
				alen--;
			}
			w = args;
			while (alen > 0 && *args != ' ') {
				args++;
				alen--;
			}
			wlen = (size_t)(args - w);
			if (wlen == 0)
				break;
			if (str_eq_ci(w, wlen, "PLAIN"))
				p->new_caps |= DISCOVER_CAP_PLAIN;
			probe_sasl_add(&p->new_sasl, w, wlen);
		}
	}
}

static void
probe_pop3_capa_end(struct probe *p)
{
	p->c.caps = p->new_caps;
	p->c.caps_known = true;
	free(p->c.sasl);
	p->c.sasl = p->new_sasl.len > 0 ? buf_take(&p->new_sasl, NULL) : NULL;
	buf_fini(&p->new_sasl);
	probe_caps_done(p);
}

static bool
probe_pop3_code_temporary(enum pop3_code code)
{
	return code == POP3_CODE_IN_USE || code == POP3_CODE_LOGIN_DELAY ||
	    code == POP3_CODE_SYS_TEMP || code == POP3_CODE_SYS_PERM;
}

static void
probe_pop3_status(struct probe *p, const struct pop3_status *s)
{
	char	*line, *l;

	l = xasprintf("%s %.*s", s->cont ? "+" : s->ok ? "+OK" : "-ERR",
	    (int)(s->text_len > DISCOVER_TEXT_MAX ? DISCOVER_TEXT_MAX :
	    s->text_len), s->text);
	log_proto(p->peer, LOG_DIR_IN, l, strlen(l), false);
	free(l);
	switch (p->st) {
	case PROBE_GREETING:
		if (!s->ok) {
			probe_set_text(&p->c.error, s->text, s->text_len);
			probe_finish(p);
			break;
		}
		probe_found(p);
		p->st = PROBE_CAPA;
		p->new_caps = 0;
		buf_reset(&p->new_sasl);
		pop3_parser_expect(p->pp, POP3_EXPECT_MULTI);
		probe_send(p, "CAPA", false);
		break;
	case PROBE_CAPA:
		/* +OK: the list follows; -ERR: an old server without CAPA. */
		if (!s->ok)
			probe_caps_done(p);
		break;
	case PROBE_STARTTLS:
		if (s->ok)
			probe_starttls(p);
		else {
			probe_set_text(&p->c.error, s->text, s->text_len);
			probe_finish(p);
		}
		break;
	case PROBE_AUTH:
		if (s->cont) {
			/* PLAIN needs no challenge: cancel (RFC 5034 4). */
			p->c.login = DISCOVER_LOGIN_FAILED;
			probe_set_str(&p->c.login_msg, "the server asked for "
			    "more than AUTH PLAIN gives");
			probe_progress(p);
			p->st = PROBE_LOGOUT;
			pop3_parser_expect(p->pp, POP3_EXPECT_LINE);
			probe_send(p, "*", false);
			break;
		}
		/* FALLTHROUGH */
	case PROBE_PASS:
		if (s->ok)
			probe_login_ok(p);
		else if (probe_pop3_code_temporary(s->code))
			probe_login_failed(p, s->text, s->text_len);
		else
			probe_login_refused(p, s->text, s->text_len);
		break;
	case PROBE_USER:
		if (!s->ok) {
			probe_login_refused(p, s->text, s->text_len);
			break;
		}
		p->st = PROBE_PASS;
		line = xasprintf("PASS %s", p->d->password);
		pop3_parser_expect(p->pp, POP3_EXPECT_LINE);
		probe_send(p, line, true);
		explicit_bzero(line, strlen(line));
		free(line);
		break;
	case PROBE_LOGOUT:
		probe_finish(p);
		break;
	default:
		break;
	}
}

static void
probe_pop3_drain(struct probe *p)
{
	struct pop3_item	 it;
	enum pop3_parse_status	 rv;

	while (p->st != PROBE_DONE && p->st != PROBE_HANDSHAKE) {
		rv = pop3_parser_next(p->pp, &it);
		switch (rv) {
		case POP3_PARSE_MORE:
			return;
		case POP3_PARSE_STATUS:
			probe_pop3_status(p, &it.status);
			break;
		case POP3_PARSE_DATA:
			if (!p->line_long && p->line.len + it.len <=
			    DISCOVER_CAPA_LINE_MAX)
				buf_add(&p->line, it.data, it.len);
			else
				p->line_long = true;
			if (it.eol) {
				/* The parser ends each line with one LF. */
				while (p->line.len > 0 &&
				    (p->line.data[p->line.len - 1] == '\n' ||
				    p->line.data[p->line.len - 1] == '\r'))
					buf_truncate(&p->line, p->line.len - 1);
				if (p->st == PROBE_CAPA && !p->line_long)
					probe_pop3_capa_line(p, p->line.data,
					    p->line.len);
				buf_reset(&p->line);
				p->line_long = false;
			}
			break;
		case POP3_PARSE_END:
			if (p->st == PROBE_CAPA)
				probe_pop3_capa_end(p);
			break;
		case POP3_PARSE_ERROR:
			probe_fail(p, it.err.msg);
			return;
		}
	}
}

static void
probe_imap_drain(struct probe *p)
{
	const struct imap_resp	*r;
	struct err		 e;

	while (p->st != PROBE_DONE && p->st != PROBE_HANDSHAKE) {
		switch (imap_parser_next(p->ip, &r, &e)) {
		case IMAP_PARSE_MORE:
			return;
		case IMAP_PARSE_RESP:
			probe_imap_resp(p, r);
			break;
		case IMAP_PARSE_ERROR:
			if (imap_parser_is_broken(p->ip)) {
				probe_fail(p, e.msg);
				return;
			}
			break;
		}
	}
}

static void
probe_cb_connected(struct conn *conn, void *arg)
{
	struct probe	*p = arg;

	(void)conn;
	p->st = PROBE_GREETING;
	if (p->c.tls == DISCOVER_TLS_IMPLICIT)
		p->tls_up = true;
	conn_set_timeout(p->conn, p->d->timeout_ms);
}

static void
probe_cb_tls_ready(struct conn *conn, void *arg)
{
	struct probe	*p = arg;

	(void)conn;
	p->tls_up = true;
	/* RFC 3501 6.2.1, RFC 2595 4: ask again, forget what came before. */
	p->st = PROBE_CAPA;
	p->c.caps = 0;
	p->c.caps_known = false;
	if (p->c.proto == DISCOVER_IMAP)
		probe_imap_cmd(p, "CAPABILITY");
	else {
		p->new_caps = 0;
		buf_reset(&p->new_sasl);
		pop3_parser_expect(p->pp, POP3_EXPECT_MULTI);
		probe_send(p, "CAPA", false);
	}
}

static void
probe_cb_readable(struct conn *conn, void *arg)
{
	struct probe	*p = arg;
	const char	*data;
	size_t		 len;

	data = conn_peek(conn, &len);
	if (p->c.proto == DISCOVER_IMAP)
		imap_parser_feed(p->ip, data, len);
	else
		pop3_parser_feed(p->pp, data, len);
	conn_consume(conn, len);
	if (p->c.proto == DISCOVER_IMAP)
		probe_imap_drain(p);
	else
		probe_pop3_drain(p);
}

static void
probe_cb_closed(struct conn *conn, void *arg)
{
	struct probe	*p = arg;

	(void)conn;
	if (p->st == PROBE_LOGOUT)
		probe_finish(p);
	else
		probe_fail(p, "the server closed the connection");
}

static void
probe_cb_error(struct conn *conn, const struct err *e, void *arg)
{
	struct probe	*p = arg;
	const char	*fp;

	if (e->cls == ERR_TLS && (fp = conn_tls_fingerprint(conn)) != NULL) {
		/* A server answered with a certificate pons cannot trust. */
		probe_set_str(&p->c.fingerprint, fp);
		probe_set_str(&p->c.error, e->msg);
		p->c.status = DISCOVER_FOUND;
		p->c.cert_ok = false;
		probe_finish(p);
		return;
	}
	if (p->st == PROBE_LOGOUT) {
		probe_finish(p);
		return;
	}
	probe_fail(p, e->msg);
}

/* The connection is gone, for good or bad: say so and move on. */
static void
probe_finish(struct probe *p)
{
	if (p->st == PROBE_DONE)
		return;
	p->st = PROBE_DONE;
	conn_free(p->conn);
	p->conn = NULL;
	probe_pend_clear(p);
	if (p->c.status == DISCOVER_PENDING)
		p->c.status = DISCOVER_UNREACHABLE;
	probe_progress(p);
	probe_advance(p->d);
}

static void
probe_fail(struct probe *p, const char *why)
{
	switch (p->st) {
	case PROBE_AUTH:
	case PROBE_USER:
	case PROBE_PASS:
		/* A refusal seen first stays a refusal. */
		if (p->c.login != DISCOVER_LOGIN_REFUSED) {
			p->c.login = DISCOVER_LOGIN_FAILED;
			probe_set_str(&p->c.login_msg, why);
		}
		break;
	case PROBE_READY:
		probe_set_str(&p->c.login_msg, why);
		break;
	case PROBE_CAPA_AFTER:
	case PROBE_LOGOUT:
	case PROBE_DONE:
		break;
	default:
		if (p->c.error == NULL)
			probe_set_str(&p->c.error, why);
		break;
	}
	probe_finish(p);
}

static void
discover_finish_cb(void *arg)
{
	struct discover	*d = arg;
	size_t		 i;

	d->ranked = xreallocarray(NULL, d->n, sizeof *d->ranked);
	for (i = 0; i < d->n; i++)
		d->ranked[i] = &d->probes[i].c;
	qsort(d->ranked, d->n, sizeof *d->ranked, discover_rank_cmp);
	d->result.v = d->ranked;
	d->result.n = d->n;
	d->result.email = d->email;
	d->result.login_asked = d->password != NULL;
	if (d->cbs.done != NULL)
		d->cbs.done(&d->result, d->arg);
}

/*
 * Per protocol, in probe order: wait while a better candidate is still
 * being probed, log in on the first ready one, and once the question is
 * settled let the others go.
 */
static void
probe_advance(struct discover *d)
{
	struct probe	*p;
	size_t		 i;
	int		 pr;
	bool		 busy;

	for (pr = 0; pr < 2; pr++) {
		busy = false;
		for (i = 0; i < d->n; i++) {
			p = &d->probes[i];
			if ((int)p->c.proto != pr || p->st == PROBE_DONE)
				continue;
			if (p->st == PROBE_READY && (d->login[pr].decided ||
			    d->password == NULL)) {
				probe_finish(p);
				return;	/* probe_finish advanced already */
			}
			if (d->login[pr].decided || busy)
				continue;
			if (p->st == PROBE_READY) {
				p->user_form = d->login[pr].user_form;
				probe_login(p);
				if (p->st == PROBE_DONE)
					return;
			}
			busy = true;
		}
		if (!busy && !d->login[pr].decided) {
			for (i = 0; i < d->n; i++)
				if ((int)d->probes[i].c.proto == pr &&
				    d->probes[i].st != PROBE_DONE)
					break;
			if (i == d->n)
				d->login[pr].decided = true;
		}
	}
	for (i = 0; i < d->n; i++)
		if (d->probes[i].st != PROBE_DONE)
			return;
	if (!d->finishing) {
		d->finishing = true;
		loop_defer(d->loop, discover_finish_cb, d);
	}
}

static void
probe_connect(struct probe *p)
{
	static const struct conn_cbs ccbs = {
		.connected = probe_cb_connected,
		.tls_ready = probe_cb_tls_ready,
		.readable = probe_cb_readable,
		.closed = probe_cb_closed,
		.error = probe_cb_error,
	};
	struct conn_params	 cp;
	char			 port[8];

	memset(&cp, 0, sizeof cp);
	snprintf(port, sizeof port, "%u", p->c.port);
	cp.host = p->c.host;
	cp.port = port;
	cp.tls = p->c.tls == DISCOVER_TLS_IMPLICIT ? CONN_TLS_IMPLICIT :
	    CONN_TLS_STARTTLS;
	cp.ca_file = p->d->ca_file;
	cp.connect_timeout_ms = p->d->timeout_ms;
	cp.line_max = 64 * 1024;
	p->conn = conn_new(p->d->loop, &cp, &ccbs, p);
}

struct discover *
discover_start(struct loop *loop, const char *email, const char *password,
    const struct discover_opts *o, const struct discover_cbs *cbs,
    void *arg, struct err *e)
{
	struct discover_candidate	*cands;
	struct imap_limits		 lim;
	struct discover			*d;
	struct probe			*p;
	size_t				 n, i;

	if (discover_candidates(email, o, &cands, &n, e) == -1)
		return NULL;
	d = xcalloc(1, sizeof *d);
	d->loop = loop;
	if (cbs != NULL)
		d->cbs = *cbs;
	d->arg = arg;
	d->email = xstrdup(email);
	d->local = xstrndup(email, (size_t)(strrchr(email, '@') - email));
	d->password = password == NULL ? NULL : xstrdup(password);
	d->ca_file = o == NULL || o->ca_file == NULL ? NULL :
	    xstrdup(o->ca_file);
	d->timeout_ms = o == NULL || o->timeout_ms == 0 ?
	    DISCOVER_TIMEOUT_MS : o->timeout_ms;
	d->probes = xcalloc(n, sizeof *d->probes);
	d->n = n;
	/* Capabilities and greetings are small: tight limits. */
	imap_limits_default(&lim);
	lim.line_max = lim.literal_max = 64 * 1024;
	lim.resp_max = 256 * 1024;
	lim.depth_max = 8;
	for (i = 0; i < n; i++) {
		p = &d->probes[i];
		p->d = d;
		p->c = cands[i];	/* the strings move into the probe */
		p->peer = xasprintf("%s:%u", p->c.host, p->c.port);
		p->st = PROBE_CONNECTING;
		if (p->c.proto == DISCOVER_IMAP)
			p->ip = imap_parser_new(&lim);
		else {
			p->pp = pop3_parser_new(NULL);
			pop3_parser_expect(p->pp, POP3_EXPECT_LINE);
		}
	}
	free(cands);
	/* Every callback comes from the loop, after all are started. */
	for (i = 0; i < n; i++)
		probe_connect(&d->probes[i]);
	return d;
}

void
discover_free(struct discover *d)
{
	struct probe	*p;
	size_t		 i;

	if (d == NULL)
		return;
	loop_defer_cancel(d->loop, discover_finish_cb, d);
	for (i = 0; i < d->n; i++) {
		p = &d->probes[i];
		conn_free(p->conn);
		imap_parser_free(p->ip);
		pop3_parser_free(p->pp);
		buf_fini(&p->line);
		buf_fini(&p->new_sasl);
		probe_pend_clear(p);
		discover_candidate_fini(&p->c);
		free(p->peer);
	}
	free(d->probes);
	free(d->ranked);
	free(d->email);
	free(d->local);
	if (d->password != NULL) {
		explicit_bzero(d->password, strlen(d->password));
		free(d->password);
	}
	free(d->ca_file);
	free(d);
}
