/* SPDX-License-Identifier: ISC */
/*
 * POP3 client session: greeting, CAPA, STLS, login, UIDL/LIST, pipelined
 * RETR/TOP/DELE, QUIT.  A state machine without I/O: bytes in, bytes out,
 * events through a callback, one deadline per response.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "pop3/pop3.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xmalloc.h"

#define POP3_LIST_MAX		(4u * 1024 * 1024)	/* messages */
#define POP3_LIST_LINE_MAX	1024
#define POP3_PROGRESS_BYTES	4096	/* bytes that push a deadline */
#define POP3_BODY_SLACK		(64 * 1024)	/* RETR beyond 2 * LIST size */

enum pop3_state {
	POP3_S_GREETING,
	POP3_S_CAPA,
	POP3_S_STLS,
	POP3_S_TLS_WAIT,
	POP3_S_AUTH,
	POP3_S_LIST,		/* UIDL, then LIST */
	POP3_S_TRANSACTION,
	POP3_S_QUIT,
	POP3_S_DONE,
	POP3_S_DEAD,
};

static const char *const pop3_state_names[] = {
	"greeting", "capa", "stls", "tls-wait", "auth", "list",
	"transaction", "quit", "done", "dead",
};

enum pop3_cmd_kind {
	POP3_C_GREETING,	/* not sent: the server speaks first */
	POP3_C_CAPA,
	POP3_C_STLS,
	POP3_C_AUTH,
	POP3_C_USER,
	POP3_C_PASS,
	POP3_C_APOP,
	POP3_C_UIDL,
	POP3_C_LIST,
	POP3_C_RETR,
	POP3_C_TOP,
	POP3_C_DELE,
	POP3_C_QUIT,
};

struct pop3_cmd {
	enum pop3_cmd_kind	 kind;
	uint32_t		 msgno;
	unsigned int		 lines;
};

struct pop3_fifo {
	struct pop3_cmd		*v;
	size_t			 head, len, cap;
};

struct pop3_session {
	struct pop3_config	 cfg;
	char			*peer;
	char			*user;
	struct buf		 password;	/* wiped on free */
	pop3_event_cb		 cb;
	void			*arg;
	struct pop3_parser	*parser;
	enum pop3_state		 state;
	bool			 encrypted;
	struct buf		 out;
	struct pop3_fifo	 queued;	/* not yet sent */
	struct pop3_fifo	 inflight;	/* sent, unanswered */
	bool			 in_body;	/* head's multi-line body */
	size_t			 window;	/* RETRs in flight; 0: ask CAPA */
	bool			 quit_queued;
	int64_t			 now;
	int64_t			 deadline;
	size_t			 progress;	/* body bytes since re-arm */
	uint64_t		 body_bytes;	/* of the current RETR */
	uint64_t		 body_limit;	/* 0: none */
	char			*timestamp;	/* APOP <...> from greeting */
	struct buf		 caps;		/* "NAME\n" per capability */
	bool			 capa_ok;
	bool			 sasl_plain;
	bool			 tried_user;
	bool			 no_uidl;
	struct buf		 line;		/* partial list line */
	struct pop3_msginfo	*list;
	size_t			 nlist, list_cap;
	struct buf		 uids;		/* UIDL bytes, list[] points here */
	size_t			*uid_off;	/* offsets while collecting */
};

static void	pop3_send(struct pop3_session *, enum pop3_cmd_kind,
		    uint32_t, unsigned int);
static enum pop3_expect pop3_expect_for(const struct pop3_cmd *);
static struct pop3_msginfo *pop3_list_find(struct pop3_session *, uint32_t);
static void	pop3_fail(struct pop3_session *, enum err_class,
		    const char *, ...) __attribute__((format(printf, 3, 4)));

static void
pop3_fifo_push(struct pop3_fifo *f, const struct pop3_cmd *c)
{
	size_t	 i;

	if (f->len == f->cap) {
		struct pop3_cmd	*v;
		size_t		 ncap = f->cap ? f->cap * 2 : 16;

		v = xreallocarray(NULL, ncap, sizeof *v);
		for (i = 0; i < f->len; i++)
			v[i] = f->v[(f->head + i) % f->cap];
		free(f->v);
		f->v = v;
		f->cap = ncap;
		f->head = 0;
	}
	f->v[(f->head + f->len) % f->cap] = *c;
	f->len++;
}

static struct pop3_cmd *
pop3_fifo_peek(struct pop3_fifo *f)
{
	return f->len == 0 ? NULL : &f->v[f->head];
}

static void
pop3_fifo_pop(struct pop3_fifo *f)
{
	if (f->len == 0)
		return;
	f->head = (f->head + 1) % f->cap;
	f->len--;
}

struct pop3_session *
pop3_session_new(const struct pop3_config *cfg, pop3_event_cb cb, void *arg)
{
	struct pop3_session	*s;

	s = xcalloc(1, sizeof *s);
	s->cfg = *cfg;
	s->peer = xstrdup(cfg->peer != NULL ? cfg->peer : "pop3");
	s->user = xstrdup(cfg->user != NULL ? cfg->user : "");
	s->cfg.peer = s->peer;
	s->cfg.user = s->user;
	s->cfg.password = NULL;
	buf_init(&s->password);
	if (cfg->password != NULL)
		buf_add_str(&s->password, cfg->password);
	if (s->cfg.pipeline_max == 0)
		s->cfg.pipeline_max = 32;
	if (s->cfg.timeout_ms == 0)
		s->cfg.timeout_ms = 60 * 1000;
	s->cb = cb;
	s->arg = arg;
	s->parser = pop3_parser_new(cfg->limits);
	s->encrypted = cfg->encrypted;
	s->deadline = -1;
	buf_init(&s->out);
	buf_init(&s->caps);
	buf_init(&s->line);
	buf_init(&s->uids);
	return s;
}

void
pop3_session_set_password(struct pop3_session *s, const char *password)
{
	buf_fini_secret(&s->password);
	if (password != NULL)
		buf_add_str(&s->password, password);
}

void
pop3_session_free(struct pop3_session *s)
{
	if (s == NULL)
		return;
	buf_fini_secret(&s->password);
	buf_fini_secret(&s->out);
	pop3_parser_free(s->parser);
	free(s->queued.v);
	free(s->inflight.v);
	free(s->timestamp);
	buf_fini(&s->caps);
	buf_fini(&s->line);
	buf_fini(&s->uids);
	free(s->list);
	free(s->uid_off);
	free(s->peer);
	free(s->user);
	free(s);
}

static void
pop3_emit(struct pop3_session *s, struct pop3_event *ev)
{
	s->cb(s->arg, ev);
}

static void
pop3_emit_simple(struct pop3_session *s, enum pop3_event_type type,
    uint32_t msgno)
{
	struct pop3_event	 ev;

	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.msgno = msgno;
	pop3_emit(s, &ev);
}

static void
pop3_fail(struct pop3_session *s, enum err_class cls, const char *fmt, ...)
{
	struct pop3_event	 ev;
	va_list			 ap;

	if (s->state == POP3_S_DEAD)
		return;
	s->state = POP3_S_DEAD;
	s->deadline = -1;
	memset(&ev, 0, sizeof ev);
	ev.type = POP3_EV_ERROR;
	ev.err.cls = cls;
	va_start(ap, fmt);
	vsnprintf(ev.err.msg, sizeof ev.err.msg, fmt, ap);
	va_end(ap);
	log_warn("%s: %s", s->peer, ev.err.msg);
	pop3_emit(s, &ev);
}

/* Class of a -ERR: RFC 2449 section 8 and RFC 3206 codes decide. */
static enum err_class
pop3_err_class(const struct pop3_status *st, enum err_class dflt)
{
	switch (st->code) {
	case POP3_CODE_IN_USE:
	case POP3_CODE_LOGIN_DELAY:
	case POP3_CODE_SYS_TEMP:
		return ERR_TEMP;
	case POP3_CODE_AUTH:
		return ERR_AUTH;
	default:
		return dflt;
	}
}

static void
pop3_arm(struct pop3_session *s)
{
	s->progress = 0;
	s->deadline = s->inflight.len > 0 ? s->now + s->cfg.timeout_ms : -1;
}

static void
pop3_write_line(struct pop3_session *s, const char *line, bool secret)
{
	log_proto(s->peer, LOG_DIR_OUT, line, strlen(line), secret);
	buf_add_str(&s->out, line);
	buf_add_str(&s->out, "\r\n");
}

static const char	 pop3_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
pop3_base64(struct buf *out, const unsigned char *p, size_t len)
{
	uint32_t	 v;
	size_t		 i;

	for (i = 0; i < len; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		buf_add_byte(out, (unsigned char)pop3_b64[v >> 18]);
		buf_add_byte(out, (unsigned char)pop3_b64[(v >> 12) & 63]);
		buf_add_byte(out, i + 1 < len ?
		    (unsigned char)pop3_b64[(v >> 6) & 63] : '=');
		buf_add_byte(out, i + 2 < len ?
		    (unsigned char)pop3_b64[v & 63] : '=');
	}
}

/* Format and send one command, and remember it in flight. */
static void
pop3_send(struct pop3_session *s, enum pop3_cmd_kind kind, uint32_t msgno,
    unsigned int lines)
{
	struct pop3_cmd	 c = { kind, msgno, lines };
	struct buf	 b = BUF_INIT;
	char		 digest[33];
	bool		 secret = false;

	switch (kind) {
	case POP3_C_GREETING:
		break;
	case POP3_C_CAPA:
		buf_add_str(&b, "CAPA");
		break;
	case POP3_C_STLS:
		buf_add_str(&b, "STLS");
		break;
	case POP3_C_AUTH: {
		/* RFC 4616: authzid NUL authcid NUL passwd */
		struct buf	 raw = BUF_INIT;

		buf_add_byte(&raw, 0);
		buf_add_str(&raw, s->user);
		buf_add_byte(&raw, 0);
		buf_add(&raw, s->password.data, s->password.len);
		buf_add_str(&b, "AUTH PLAIN ");
		pop3_base64(&b, (unsigned char *)raw.data, raw.len);
		buf_fini_secret(&raw);
		break;
	}
	case POP3_C_USER:
		buf_printf(&b, "USER %s", s->user);
		break;
	case POP3_C_PASS:
		buf_add_str(&b, "PASS ");
		buf_add(&b, s->password.data, s->password.len);
		break;
	case POP3_C_APOP: {
		struct buf	 raw = BUF_INIT;

		buf_add_str(&raw, s->timestamp);
		buf_add(&raw, s->password.data, s->password.len);
		pop3_md5_hex(raw.data, raw.len, digest);
		buf_fini_secret(&raw);
		buf_printf(&b, "APOP %s %s", s->user, digest);
		break;
	}
	case POP3_C_UIDL:
		buf_add_str(&b, "UIDL");
		break;
	case POP3_C_LIST:
		buf_add_str(&b, "LIST");
		break;
	case POP3_C_RETR:
		buf_printf(&b, "RETR %u", msgno);
		break;
	case POP3_C_TOP:
		buf_printf(&b, "TOP %u %u", msgno, lines);
		break;
	case POP3_C_DELE:
		buf_printf(&b, "DELE %u", msgno);
		break;
	case POP3_C_QUIT:
		buf_add_str(&b, "QUIT");
		break;
	}
	if (kind != POP3_C_GREETING)
		pop3_write_line(s, buf_str(&b), secret);
	buf_fini_secret(&b);
	pop3_fifo_push(&s->inflight, &c);
	if (s->inflight.len == 1)
		pop3_arm(s);
}

/* Send queued transaction commands while the window allows. */
static void
pop3_pump(struct pop3_session *s)
{
	struct pop3_cmd	*c;
	size_t		 window;

	if (s->state != POP3_S_TRANSACTION && s->state != POP3_S_QUIT)
		return;
	/* once per CAPA, not once per body piece */
	if (s->window == 0)
		s->window = pop3_session_has_capa(s, "PIPELINING") &&
		    s->cfg.pipeline_max > 1 ? s->cfg.pipeline_max : 1;
	window = s->window;
	while ((c = pop3_fifo_peek(&s->queued)) != NULL &&
	    s->inflight.len < window) {
		if (c->kind == POP3_C_QUIT)
			s->state = POP3_S_QUIT;
		pop3_send(s, c->kind, c->msgno, c->lines);
		pop3_fifo_pop(&s->queued);
	}
}

static void
pop3_enter(struct pop3_session *s, enum pop3_state st)
{
	s->state = st;
	switch (st) {
	case POP3_S_CAPA:
		buf_reset(&s->caps);
		s->window = 0;
		s->capa_ok = false;
		s->sasl_plain = false;
		pop3_send(s, POP3_C_CAPA, 0, 0);
		break;
	case POP3_S_STLS:
		pop3_send(s, POP3_C_STLS, 0, 0);
		break;
	case POP3_S_LIST:
		s->nlist = 0;
		pop3_send(s, POP3_C_UIDL, 0, 0);
		break;
	default:
		break;
	}
}

static void
pop3_auth_begin(struct pop3_session *s)
{
	s->state = POP3_S_AUTH;
	/* DESIGN 8: no credentials in clear unless the account says so */
	if (!s->encrypted && !s->cfg.allow_plaintext) {
		pop3_fail(s, ERR_REFUSED, "refusing to log in to %s without "
		    "TLS (set allow_plaintext = yes to permit it)", s->peer);
		return;
	}
	if (s->cfg.auth == POP3_AUTH_APOP) {
		if (s->timestamp == NULL) {
			pop3_fail(s, ERR_REFUSED, "%s does not offer APOP "
			    "(no timestamp in its greeting)", s->peer);
			return;
		}
		pop3_send(s, POP3_C_APOP, 0, 0);
	} else if (s->cfg.auth == POP3_AUTH_AUTO && s->sasl_plain)
		pop3_send(s, POP3_C_AUTH, 0, 0);
	else {
		s->tried_user = true;
		pop3_send(s, POP3_C_USER, 0, 0);
	}
}

static void
pop3_after_capa(struct pop3_session *s)
{
	if (!s->encrypted && s->cfg.tls == POP3_TLS_STARTTLS) {
		if (!pop3_session_has_capa(s, "STLS")) {
			pop3_fail(s, ERR_REFUSED, "%s does not offer STLS; "
			    "not continuing in clear text", s->peer);
			return;
		}
		pop3_enter(s, POP3_S_STLS);
		return;
	}
	pop3_auth_begin(s);
}

static void
pop3_on_greeting(struct pop3_session *s, const struct pop3_status *st)
{
	const char	*lt, *gt;

	if (!st->ok) {
		pop3_fail(s, pop3_err_class(st, ERR_TEMP), "%s refused the "
		    "connection: %s", s->peer, st->text);
		return;
	}
	/* RFC 1939 section 7: the timestamp is "<...>" in the greeting */
	if ((lt = strchr(st->text, '<')) != NULL &&
	    (gt = strchr(lt, '>')) != NULL && gt - lt < 256)
		s->timestamp = xstrndup(lt, (size_t)(gt - lt) + 1);
	pop3_enter(s, POP3_S_CAPA);
}

static void
pop3_capa_line(struct pop3_session *s, const char *p, size_t len)
{
	const char	*name, *args;
	size_t		 nlen, alen, i;

	if (!pop3_parse_capa_line(p, len, &name, &nlen, &args, &alen) ||
	    s->caps.len > 16 * 1024)
		return;
	for (i = 0; i < nlen; i++)
		buf_add_byte(&s->caps, (unsigned char)(name[i] >= 'a' &&
		    name[i] <= 'z' ? name[i] - 32 : name[i]));
	buf_add_byte(&s->caps, '\n');
	/* RFC 2449 section 6.3: SASL mechanisms follow the keyword */
	if (str_eq_ci(name, nlen, "SASL"))
		while (alen > 0) {
			for (i = 0; i < alen && args[i] != ' '; i++)
				;
			if (str_eq_ci(args, i, "PLAIN"))
				s->sasl_plain = true;
			while (i < alen && args[i] == ' ')
				i++;
			args += i;
			alen -= i;
		}
}

static void
pop3_on_login_status(struct pop3_session *s, const struct pop3_cmd *c,
    const struct pop3_status *st)
{
	if (st->cont) {
		/* PLAIN needs no challenge: cancel (RFC 5034 section 4) */
		pop3_write_line(s, "*", false);
		pop3_fifo_push(&s->inflight, c);
		return;
	}
	if (st->ok) {
		if (c->kind == POP3_C_USER)
			pop3_send(s, POP3_C_PASS, 0, 0);
		else
			pop3_enter(s, POP3_S_LIST);
		return;
	}
	/* lenient: an AUTH refused without [AUTH] may be the mechanism */
	if (c->kind == POP3_C_AUTH && st->code == POP3_CODE_NONE &&
	    !s->tried_user) {
		s->tried_user = true;
		pop3_send(s, POP3_C_USER, 0, 0);
		return;
	}
	pop3_fail(s, pop3_err_class(st, ERR_AUTH), "%s refused the login "
	    "for %s: %s", s->peer, s->user, st->text);
}

static int
pop3_msginfo_cmp(const void *a, const void *b)
{
	const struct pop3_msginfo	*x = a, *y = b;

	return x->msgno < y->msgno ? -1 : x->msgno > y->msgno;
}

static struct pop3_msginfo *
pop3_list_find(struct pop3_session *s, uint32_t msgno)
{
	struct pop3_msginfo	 key = { .msgno = msgno };

	if (s->nlist == 0)
		return NULL;
	return bsearch(&key, s->list, s->nlist, sizeof *s->list,
	    pop3_msginfo_cmp);
}

static void
pop3_uidl_line(struct pop3_session *s, const char *p, size_t len)
{
	const char	*uid;
	size_t		 ulen;
	uint32_t	 msgno;

	if (!pop3_parse_uidl_line(p, len, &msgno, &uid, &ulen)) {
		log_debug("%s: ignoring bad UIDL line", s->peer);
		return;
	}
	if (s->nlist >= POP3_LIST_MAX)
		return;
	if (s->nlist == s->list_cap) {
		s->list_cap = s->list_cap ? s->list_cap * 2 : 64;
		s->list = xreallocarray(s->list, s->list_cap,
		    sizeof *s->list);
		s->uid_off = xreallocarray(s->uid_off, s->list_cap,
		    sizeof *s->uid_off);
	}
	memset(&s->list[s->nlist], 0, sizeof s->list[0]);
	s->list[s->nlist].msgno = msgno;
	s->list[s->nlist].uidl_len = ulen;
	s->uid_off[s->nlist] = s->uids.len;
	buf_add(&s->uids, uid, ulen);
	s->nlist++;
}

/* The UIDL bytes are complete: point into them, sort for LIST lookups. */
static void
pop3_uidl_done(struct pop3_session *s)
{
	size_t	 i;

	for (i = 0; i < s->nlist; i++)
		s->list[i].uidl = s->uids.data + s->uid_off[i];
	if (s->nlist > 0)
		qsort(s->list, s->nlist, sizeof *s->list, pop3_msginfo_cmp);
}

static void
pop3_list_line(struct pop3_session *s, const char *p, size_t len)
{
	struct pop3_msginfo	*m;
	uint32_t		 msgno;
	uint64_t		 size;

	if (!pop3_parse_list_line(p, len, &msgno, &size)) {
		log_debug("%s: ignoring bad LIST line", s->peer);
		return;
	}
	if (s->no_uidl) {
		if (s->nlist >= POP3_LIST_MAX)
			return;
		if (s->nlist == s->list_cap) {
			s->list_cap = s->list_cap ? s->list_cap * 2 : 64;
			s->list = xreallocarray(s->list, s->list_cap,
			    sizeof *s->list);
		}
		memset(&s->list[s->nlist], 0, sizeof s->list[0]);
		s->list[s->nlist].msgno = msgno;
		s->list[s->nlist++].size = size;
	} else if ((m = pop3_list_find(s, msgno)) != NULL)
		m->size = size;
}

/* A whole line of a CAPA/UIDL/LIST body (without the LF). */
static void
pop3_body_line(struct pop3_session *s, enum pop3_cmd_kind kind,
    const char *p, size_t len)
{
	switch (kind) {
	case POP3_C_CAPA:
		pop3_capa_line(s, p, len);
		break;
	case POP3_C_UIDL:
		pop3_uidl_line(s, p, len);
		break;
	case POP3_C_LIST:
		pop3_list_line(s, p, len);
		break;
	default:
		break;
	}
}

static void
pop3_listing_done(struct pop3_session *s)
{
	struct pop3_event	 ev;

	if (s->nlist > 0)
		qsort(s->list, s->nlist, sizeof *s->list, pop3_msginfo_cmp);
	s->state = POP3_S_TRANSACTION;
	if (s->no_uidl)
		pop3_emit_simple(s, POP3_EV_NO_UIDL, 0);
	memset(&ev, 0, sizeof ev);
	ev.type = POP3_EV_LISTING;
	ev.list = s->list;
	ev.nlist = s->nlist;
	pop3_emit(s, &ev);
}

static void
pop3_on_list_status(struct pop3_session *s, const struct pop3_cmd *c,
    const struct pop3_status *st)
{
	if (c->kind == POP3_C_UIDL && !st->ok) {
		/* RFC 1939 section 7: UIDL is optional */
		s->no_uidl = true;
		log_info("%s: no UIDL; every message will be fetched",
		    s->peer);
		pop3_send(s, POP3_C_LIST, 0, 0);
	} else if (!st->ok)
		pop3_fail(s, pop3_err_class(st, ERR_PROTO), "%s: LIST "
		    "failed: %s", s->peer, st->text);
}

static void
pop3_on_status(struct pop3_session *s, const struct pop3_status *st)
{
	struct pop3_cmd		 c = *pop3_fifo_peek(&s->inflight);
	struct pop3_event	 ev;

	log_proto(s->peer, LOG_DIR_IN, st->text, st->text_len, false);
	s->in_body = st->ok && !st->cont &&
	    (pop3_expect_for(&c) == POP3_EXPECT_MULTI ||
	    pop3_expect_for(&c) == POP3_EXPECT_BULK);
	s->body_bytes = 0;
	s->body_limit = 0;
	if (c.kind == POP3_C_RETR) {
		const struct pop3_msginfo	*m = pop3_list_find(s, c.msgno);

		/* lenient on sizes, but a body far beyond LIST never ends */
		if (m != NULL)
			s->body_limit = m->size * 2 + POP3_BODY_SLACK;
	}
	/* a command with a body stays in flight until the body ends */
	if (!s->in_body)
		pop3_fifo_pop(&s->inflight);
	pop3_arm(s);
	memset(&ev, 0, sizeof ev);
	ev.msgno = c.msgno;
	ev.top = c.kind == POP3_C_TOP;
	switch (c.kind) {
	case POP3_C_GREETING:
		pop3_on_greeting(s, st);
		break;
	case POP3_C_CAPA:
		s->capa_ok = st->ok;
		if (!st->ok)
			pop3_after_capa(s);
		break;
	case POP3_C_STLS:
		if (!st->ok) {
			pop3_fail(s, ERR_TLS, "%s refused STLS: %s", s->peer,
			    st->text);
			break;
		}
		/* RFC 2595 section 4: nothing read before TLS is kept */
		pop3_parser_discard(s->parser);
		s->state = POP3_S_TLS_WAIT;
		pop3_emit_simple(s, POP3_EV_STARTTLS, 0);
		break;
	case POP3_C_AUTH:
	case POP3_C_USER:
	case POP3_C_PASS:
	case POP3_C_APOP:
		pop3_on_login_status(s, &c, st);
		break;
	case POP3_C_UIDL:
	case POP3_C_LIST:
		pop3_on_list_status(s, &c, st);
		break;
	case POP3_C_RETR:
	case POP3_C_TOP:
		if (st->ok) {
			ev.type = POP3_EV_MSG_BEGIN;
		} else {
			ev.type = POP3_EV_MSG_FAILED;
			err_set(&ev.err, pop3_err_class(st, ERR_PROTO),
			    "%s", st->text);
		}
		pop3_emit(s, &ev);
		break;
	case POP3_C_DELE:
		ev.type = st->ok ? POP3_EV_DELE_OK : POP3_EV_DELE_FAILED;
		if (!st->ok)
			err_set(&ev.err, pop3_err_class(st, ERR_PROTO), "%s",
			    st->text);
		pop3_emit(s, &ev);
		break;
	case POP3_C_QUIT:
		if (!st->ok) {
			pop3_fail(s, pop3_err_class(st, ERR_PROTO), "%s: QUIT "
			    "failed, deletions not committed: %s", s->peer,
			    st->text);
			break;
		}
		s->state = POP3_S_DONE;
		s->deadline = -1;
		pop3_emit_simple(s, POP3_EV_DONE, 0);
		break;
	}
}

static void
pop3_on_data(struct pop3_session *s, const struct pop3_item *it)
{
	struct pop3_cmd		*c = pop3_fifo_peek(&s->inflight);
	struct pop3_event	 ev;

	s->progress += it->len;
	if (s->progress >= POP3_PROGRESS_BYTES)
		pop3_arm(s);
	s->body_bytes += it->len;
	if (s->body_limit > 0 && s->body_bytes > s->body_limit) {
		pop3_fail(s, ERR_PROTO, "%s: message %u is far larger than "
		    "the %llu bytes LIST announced", s->peer, c->msgno,
		    (unsigned long long)(s->body_limit - POP3_BODY_SLACK) / 2);
		return;
	}
	if (c->kind == POP3_C_RETR || c->kind == POP3_C_TOP) {
		memset(&ev, 0, sizeof ev);
		ev.type = POP3_EV_MSG_DATA;
		ev.msgno = c->msgno;
		ev.top = c->kind == POP3_C_TOP;
		ev.data = it->data;
		ev.len = it->len;
		pop3_emit(s, &ev);
		return;
	}
	if (s->line.len + it->len > POP3_LIST_LINE_MAX) {
		buf_reset(&s->line);	/* a silly line: drop it */
		return;
	}
	buf_add(&s->line, it->data, it->len);
	if (it->eol) {
		pop3_body_line(s, c->kind, s->line.data, s->line.len - 1);
		buf_reset(&s->line);
	}
}

static void
pop3_on_end(struct pop3_session *s)
{
	struct pop3_cmd	 c = *pop3_fifo_peek(&s->inflight);

	pop3_fifo_pop(&s->inflight);
	s->in_body = false;
	buf_reset(&s->line);
	pop3_arm(s);
	switch (c.kind) {
	case POP3_C_CAPA:
		pop3_after_capa(s);
		break;
	case POP3_C_UIDL:
		pop3_uidl_done(s);
		pop3_send(s, POP3_C_LIST, 0, 0);
		break;
	case POP3_C_LIST:
		pop3_listing_done(s);
		break;
	case POP3_C_RETR:
	case POP3_C_TOP: {
		struct pop3_event	 ev;

		memset(&ev, 0, sizeof ev);
		ev.type = POP3_EV_MSG_END;
		ev.msgno = c.msgno;
		ev.top = c.kind == POP3_C_TOP;
		pop3_emit(s, &ev);
		break;
	}
	default:
		break;
	}
}

static enum pop3_expect
pop3_expect_for(const struct pop3_cmd *c)
{
	switch (c->kind) {
	case POP3_C_CAPA:
	case POP3_C_UIDL:
	case POP3_C_LIST:
		return POP3_EXPECT_MULTI;
	case POP3_C_RETR:
	case POP3_C_TOP:
		return POP3_EXPECT_BULK;	/* no line is looked at */
	case POP3_C_AUTH:
		return POP3_EXPECT_SASL;
	default:
		return POP3_EXPECT_LINE;
	}
}

static void
pop3_process(struct pop3_session *s)
{
	struct pop3_item	 it;
	struct pop3_cmd		*c;
	enum pop3_parse_status	 rc;

	while (s->state != POP3_S_DEAD && s->state != POP3_S_TLS_WAIT) {
		if ((c = pop3_fifo_peek(&s->inflight)) == NULL) {
			if (pop3_parser_pending(s->parser) > 0)
				pop3_fail(s, ERR_PROTO, "%s sent data nobody "
				    "asked for", s->peer);
			return;
		}
		if (pop3_parser_idle(s->parser))
			pop3_parser_expect(s->parser, pop3_expect_for(c));
		rc = pop3_parser_next(s->parser, &it);
		switch (rc) {
		case POP3_PARSE_MORE:
			return;
		case POP3_PARSE_STATUS:
			pop3_on_status(s, &it.status);
			break;
		case POP3_PARSE_DATA:
			pop3_on_data(s, &it);
			break;
		case POP3_PARSE_END:
			pop3_on_end(s);
			break;
		case POP3_PARSE_ERROR:
			pop3_fail(s, it.err.cls, "%s", it.err.msg);
			return;
		}
		if (s->state == POP3_S_TRANSACTION && s->inflight.len == 0 &&
		    s->queued.len == 0)
			pop3_emit_simple(s, POP3_EV_IDLE, 0);
		pop3_pump(s);
	}
}

void
pop3_session_start(struct pop3_session *s, int64_t now)
{
	s->now = now;
	s->state = POP3_S_GREETING;
	pop3_send(s, POP3_C_GREETING, 0, 0);
}

void
pop3_session_input(struct pop3_session *s, const void *p, size_t len,
    int64_t now)
{
	s->now = now;
	if (s->state == POP3_S_DEAD || s->state == POP3_S_DONE)
		return;
	if (s->state == POP3_S_TLS_WAIT) {
		/* RFC 2595 section 4: nothing before the handshake counts */
		return;
	}
	pop3_parser_feed(s->parser, p, len);
	pop3_process(s);
}

void
pop3_session_eof(struct pop3_session *s, int64_t now)
{
	s->now = now;
	if (s->state == POP3_S_DONE || s->state == POP3_S_DEAD)
		return;
	pop3_fail(s, ERR_TEMP, "%s closed the connection%s", s->peer,
	    s->in_body ? " in the middle of a response" : "");
}

void
pop3_session_tick(struct pop3_session *s, int64_t now)
{
	s->now = now;
	if (s->deadline != -1 && now >= s->deadline)
		pop3_fail(s, ERR_TEMP, "%s: no response within %u s (%s)",
		    s->peer, s->cfg.timeout_ms / 1000,
		    pop3_session_state_name(s));
}

int64_t
pop3_session_deadline(const struct pop3_session *s)
{
	return s->deadline;
}

size_t
pop3_session_output(struct pop3_session *s, struct buf *out)
{
	size_t	 n = s->out.len;

	if (n > 0) {
		buf_add(out, s->out.data, n);
		explicit_bzero(s->out.data, n);
		buf_reset(&s->out);
	}
	return n;
}

void
pop3_session_tls_done(struct pop3_session *s, int64_t now)
{
	s->now = now;
	if (s->state != POP3_S_TLS_WAIT)
		return;
	s->encrypted = true;
	/* RFC 2595 section 4: capabilities must be asked for again */
	pop3_enter(s, POP3_S_CAPA);
}

static int
pop3_queue(struct pop3_session *s, enum pop3_cmd_kind kind, uint32_t msgno,
    unsigned int lines, struct err *e)
{
	struct pop3_cmd	 c = { kind, msgno, lines };

	if (s->state != POP3_S_TRANSACTION || s->quit_queued)
		return err_set(e, ERR_PROTO, "%s: not in the transaction "
		    "state (%s)", s->peer, pop3_session_state_name(s));
	if (msgno == 0)
		return err_set(e, ERR_INPUT, "message number 0");
	pop3_fifo_push(&s->queued, &c);
	pop3_pump(s);
	return 0;
}

int
pop3_session_retr(struct pop3_session *s, uint32_t msgno, struct err *e)
{
	return pop3_queue(s, POP3_C_RETR, msgno, 0, e);
}

int
pop3_session_top(struct pop3_session *s, uint32_t msgno, unsigned int lines,
    struct err *e)
{
	return pop3_queue(s, POP3_C_TOP, msgno, lines, e);
}

int
pop3_session_dele(struct pop3_session *s, uint32_t msgno, struct err *e)
{
	return pop3_queue(s, POP3_C_DELE, msgno, 0, e);
}

void
pop3_session_quit(struct pop3_session *s)
{
	struct pop3_cmd	 c = { POP3_C_QUIT, 0, 0 };

	if (s->quit_queued || s->state == POP3_S_DEAD ||
	    s->state == POP3_S_DONE)
		return;
	s->quit_queued = true;
	if (s->state != POP3_S_TRANSACTION) {
		/* before login: just say goodbye (RFC 1939 section 4) */
		if (s->inflight.len == 0) {
			s->state = POP3_S_QUIT;
			pop3_send(s, POP3_C_QUIT, 0, 0);
		} else
			pop3_fail(s, ERR_TEMP, "%s: cancelled", s->peer);
		return;
	}
	pop3_fifo_push(&s->queued, &c);
	pop3_pump(s);
}

size_t
pop3_session_busy(const struct pop3_session *s)
{
	return s->queued.len + s->inflight.len;
}

bool
pop3_session_finished(const struct pop3_session *s)
{
	return s->state == POP3_S_DEAD || s->state == POP3_S_DONE;
}

bool
pop3_session_has_capa(const struct pop3_session *s, const char *name)
{
	const char	*p = s->caps.data, *nl;
	size_t		 len = strlen(name);

	if (p == NULL)
		return false;
	while ((nl = strchr(p, '\n')) != NULL) {
		if ((size_t)(nl - p) == len && str_eq_ci(p, len, name))
			return true;
		p = nl + 1;
	}
	return false;
}

const char *
pop3_session_state_name(const struct pop3_session *s)
{
	return pop3_state_names[s->state];
}
