/* SPDX-License-Identifier: ISC */
/*
 * Transcript tests for the POP3 session: every .t file in
 * tests/transcripts/pop3 is one test.  Lines (see ../shared/STYLE.md):
 *   S: text     server line, fed with CRLF      R: text  raw, \r \n escapes
 *   C: text     next command the session sends  E: text  next event
 *   T: +30s     advance the fake clock, tick    A: call  an API call
 *   # comment
 * A: config key=value... creates the session: tls=implicit|starttls|none
 * encrypted=yes|no plaintext=yes|no auth=auto|user|apop user=U pass=P
 * pipeline=N timeout=MS.  Before every S/R/T/A line and at the end, every
 * command and event must have been matched.  The protocol log written
 * meanwhile must not contain the password.
 */
#include "config.h"

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "compat.h"
#include "pop3/pop3.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define TDIR	PONS_SRCDIR "/tests/transcripts/pop3"

struct tr {
	const char		*file;
	int			 lineno;
	struct pop3_config	 cfg;
	char			 user[64];
	char			 pass[64];
	struct pop3_session	*s;
	int64_t			 now;
	struct buf		 out;		/* unmatched command bytes */
	struct buf		 events;	/* unmatched events, "\n" each */
	struct buf		 body;		/* message being received */
	uint32_t		 listed[64];
	size_t			 nlisted;
};

static void
tr_escape(struct buf *b, const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\n')
			buf_add_str(b, "\\n");
		else if (p[i] == '\r')
			buf_add_str(b, "\\r");
		else
			buf_add_byte(b, (unsigned char)p[i]);
	}
}

static void
tr_event(void *arg, const struct pop3_event *ev)
{
	struct tr	*t = arg;
	struct buf	*b = &t->events;
	size_t		 i;

	switch (ev->type) {
	case POP3_EV_STARTTLS:
		buf_add_str(b, "starttls");
		break;
	case POP3_EV_LISTING:
		buf_add_str(b, "listing");
		t->nlisted = 0;
		for (i = 0; i < ev->nlist; i++) {
			buf_printf(b, " %u:", ev->list[i].msgno);
			if (ev->list[i].uidl != NULL)
				buf_add(b, ev->list[i].uidl,
				    ev->list[i].uidl_len);
			else
				buf_add_str(b, "-");
			buf_printf(b, ":%llu",
			    (unsigned long long)ev->list[i].size);
			if (t->nlisted < 64)
				t->listed[t->nlisted++] = ev->list[i].msgno;
		}
		break;
	case POP3_EV_NO_UIDL:
		buf_add_str(b, "no-uidl");
		break;
	case POP3_EV_MSG_BEGIN:
		buf_reset(&t->body);
		buf_printf(b, "%s-begin %u", ev->top ? "top" : "msg",
		    ev->msgno);
		break;
	case POP3_EV_MSG_DATA:
		buf_add(&t->body, ev->data, ev->len);
		return;
	case POP3_EV_MSG_END:
		buf_printf(b, "%s %u ", ev->top ? "top" : "msg", ev->msgno);
		tr_escape(b, t->body.data, t->body.len);
		break;
	case POP3_EV_MSG_FAILED:
		buf_printf(b, "msg-failed %u %s: %s", ev->msgno,
		    err_class_name(ev->err.cls), ev->err.msg);
		break;
	case POP3_EV_DELE_OK:
		buf_printf(b, "dele-ok %u", ev->msgno);
		break;
	case POP3_EV_DELE_FAILED:
		buf_printf(b, "dele-failed %u %s: %s", ev->msgno,
		    err_class_name(ev->err.cls), ev->err.msg);
		break;
	case POP3_EV_IDLE:
		buf_add_str(b, "idle");
		break;
	case POP3_EV_DONE:
		buf_add_str(b, "done");
		break;
	case POP3_EV_ERROR:
		buf_printf(b, "error %s: %s", err_class_name(ev->err.cls),
		    ev->err.msg);
		break;
	}
	buf_add_str(b, "\n");
}

/* Pop the first line of b (up to sep) into a malloc'ed string, or NULL. */
static char *
tr_pop(struct buf *b, const char *sep)
{
	char	*p, *line;
	size_t	 n;

	if (b->len == 0)
		return NULL;
	if ((p = strstr(b->data, sep)) == NULL)
		return NULL;
	n = (size_t)(p - b->data);
	line = xstrndup(b->data, n);
	buf_consume(b, n + strlen(sep));
	return line;
}

static void
tr_collect(struct tr *t)
{
	if (t->s != NULL)
		pop3_session_output(t->s, &t->out);
}

static void
tr_check_drained(struct tr *t)
{
	tr_collect(t);
	if (t->out.len > 0)
		fail_msg("%s:%d: unmatched command: %s", t->file, t->lineno,
		    buf_str(&t->out));
	if (t->events.len > 0)
		fail_msg("%s:%d: unmatched event: %s", t->file, t->lineno,
		    buf_str(&t->events));
}

static void
tr_config(struct tr *t, char *args)
{
	char	*w, *v;

	memset(&t->cfg, 0, sizeof t->cfg);
	t->cfg.peer = "test";
	t->cfg.tls = POP3_TLS_IMPLICIT;
	t->cfg.encrypted = true;
	strlcpy(t->user, "alice", sizeof t->user);
	strlcpy(t->pass, "secret", sizeof t->pass);
	for (w = strtok(args, " "); w != NULL; w = strtok(NULL, " ")) {
		if ((v = strchr(w, '=')) == NULL)
			fail_msg("%s:%d: bad config word %s", t->file,
			    t->lineno, w);
		*v++ = '\0';
		if (strcmp(w, "tls") == 0)
			t->cfg.tls = strcmp(v, "starttls") == 0 ?
			    POP3_TLS_STARTTLS : strcmp(v, "none") == 0 ?
			    POP3_TLS_NONE : POP3_TLS_IMPLICIT;
		else if (strcmp(w, "encrypted") == 0)
			t->cfg.encrypted = strcmp(v, "yes") == 0;
		else if (strcmp(w, "plaintext") == 0)
			t->cfg.allow_plaintext = strcmp(v, "yes") == 0;
		else if (strcmp(w, "auth") == 0)
			t->cfg.auth = strcmp(v, "apop") == 0 ?
			    POP3_AUTH_APOP : strcmp(v, "user") == 0 ?
			    POP3_AUTH_USER : POP3_AUTH_AUTO;
		else if (strcmp(w, "user") == 0)
			strlcpy(t->user, v, sizeof t->user);
		else if (strcmp(w, "pass") == 0)
			strlcpy(t->pass, v, sizeof t->pass);
		else if (strcmp(w, "pipeline") == 0)
			t->cfg.pipeline_max = (unsigned int)atoi(v);
		else if (strcmp(w, "timeout") == 0)
			t->cfg.timeout_ms = (unsigned int)atoi(v);
		else
			fail_msg("%s:%d: unknown config %s", t->file,
			    t->lineno, w);
	}
	t->cfg.user = t->user;
	t->cfg.password = t->pass;
	pop3_session_free(t->s);
	t->s = pop3_session_new(&t->cfg, tr_event, t);
}

static void
tr_api(struct tr *t, char *call)
{
	struct err	 e;
	unsigned int	 n, l;
	size_t		 i;

	if (strncmp(call, "config", 6) == 0) {
		tr_config(t, call + 6);
		return;
	}
	if (t->s == NULL)
		fail_msg("%s:%d: no session (A: config first)", t->file,
		    t->lineno);
	if (strcmp(call, "start") == 0)
		pop3_session_start(t->s, t->now);
	else if (sscanf(call, "retr %u", &n) == 1) {
		if (pop3_session_retr(t->s, n, &e) == -1)
			buf_printf(&t->events, "api-error %s\n", e.msg);
	} else if (strcmp(call, "retr-all") == 0) {
		for (i = 0; i < t->nlisted; i++)
			assert_int_equal(pop3_session_retr(t->s, t->listed[i],
			    &e), 0);
	} else if (sscanf(call, "top %u %u", &n, &l) == 2)
		assert_int_equal(pop3_session_top(t->s, n, l, &e), 0);
	else if (sscanf(call, "dele %u", &n) == 1) {
		if (pop3_session_dele(t->s, n, &e) == -1)
			buf_printf(&t->events, "api-error %s\n", e.msg);
	} else if (strcmp(call, "quit") == 0)
		pop3_session_quit(t->s);
	else if (strcmp(call, "tls-done") == 0)
		pop3_session_tls_done(t->s, t->now);
	else if (strcmp(call, "eof") == 0)
		pop3_session_eof(t->s, t->now);
	else
		fail_msg("%s:%d: unknown call %s", t->file, t->lineno, call);
}

static void
tr_raw(struct tr *t, const char *text)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; text[i] != '\0'; i++) {
		if (text[i] == '\\' && text[i + 1] == 'r') {
			buf_add_byte(&b, '\r');
			i++;
		} else if (text[i] == '\\' && text[i + 1] == 'n') {
			buf_add_byte(&b, '\n');
			i++;
		} else
			buf_add_byte(&b, (unsigned char)text[i]);
	}
	/* feed byte by byte: the session must not care how bytes arrive */
	for (i = 0; i < b.len; i++)
		pop3_session_input(t->s, b.data + i, 1, t->now);
	buf_fini(&b);
}

static void
tr_step(struct tr *t, char kind, char *text)
{
	char		*got;
	struct buf	 b = BUF_INIT;
	long		 v;
	char		*end;

	switch (kind) {
	case 'S':
		tr_check_drained(t);
		buf_printf(&b, "%s\r\n", text);
		pop3_session_input(t->s, b.data, b.len, t->now);
		buf_fini(&b);
		break;
	case 'R':
		tr_check_drained(t);
		tr_raw(t, text);
		break;
	case 'A':
		tr_check_drained(t);
		tr_api(t, text);
		break;
	case 'T':
		tr_check_drained(t);
		v = strtol(text + (text[0] == '+'), &end, 10);
		if (strcmp(end, "s") == 0)
			v *= 1000;
		else if (strcmp(end, "m") == 0)
			v *= 60000;
		t->now += v;
		pop3_session_tick(t->s, t->now);
		break;
	case 'C':
		tr_collect(t);
		if ((got = tr_pop(&t->out, "\r\n")) == NULL)
			fail_msg("%s:%d: expected command \"%s\", got none",
			    t->file, t->lineno, text);
		if (strcmp(got, text) != 0)
			fail_msg("%s:%d: expected command \"%s\", got \"%s\"",
			    t->file, t->lineno, text, got);
		free(got);
		break;
	case 'E':
		if ((got = tr_pop(&t->events, "\n")) == NULL)
			fail_msg("%s:%d: expected event \"%s\", got none",
			    t->file, t->lineno, text);
		if (strcmp(got, text) != 0)
			fail_msg("%s:%d: expected event \"%s\", got \"%s\"",
			    t->file, t->lineno, text, got);
		free(got);
		break;
	default:
		fail_msg("%s:%d: unknown line kind %c", t->file, t->lineno,
		    kind);
	}
}

static void
tr_check_log(const char *logpath, const char *pass)
{
	FILE	*fp;
	char	 line[4096];

	if ((fp = fopen(logpath, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL)
		if (strlen(pass) >= 4 && strstr(line, pass) != NULL)
			fail_msg("password in the log: %s", line);
	fclose(fp);
}

static void
test_transcript(void **state)
{
	const char	*name = *state;
	struct tr	 t;
	FILE		*fp;
	char		*path, line[8192], logpath[] = "/tmp/pons-pop3-log.XXXXXX";
	size_t		 len;
	int		 fd;

	memset(&t, 0, sizeof t);
	t.file = name;
	t.now = 1000000;
	buf_init(&t.out);
	buf_init(&t.events);
	buf_init(&t.body);
	assert_true((fd = mkstemp(logpath)) != -1);
	close(fd);
	assert_int_equal(log_open(logpath, LOG_PROTO), 0);
	path = xasprintf("%s/%s", TDIR, name);
	assert_non_null(fp = fopen(path, "r"));
	while (fgets(line, sizeof line, fp) != NULL) {
		t.lineno++;
		len = strcspn(line, "\n");
		line[len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (len < 2 || line[1] != ':')
			fail_msg("%s:%d: bad line", name, t.lineno);
		tr_step(&t, line[0], line + 2 + (line[2] == ' '));
	}
	tr_check_drained(&t);
	fclose(fp);
	log_close();
	tr_check_log(logpath, t.pass);
	unlink(logpath);
	free(path);
	pop3_session_free(t.s);
	buf_fini(&t.out);
	buf_fini(&t.events);
	buf_fini(&t.body);
}

static int
tr_filter(const struct dirent *d)
{
	size_t	 n = strlen(d->d_name);

	return n > 2 && strcmp(d->d_name + n - 2, ".t") == 0;
}

int
main(void)
{
	struct CMUnitTest	*tests;
	struct dirent		**names;
	int			 i, n, rc;

	if ((n = scandir(TDIR, &names, tr_filter, alphasort)) <= 0) {
		printf("1..1\nnot ok 1 - no transcripts in %s\n", TDIR);
		return 1;
	}
	tests = xcalloc((size_t)n, sizeof *tests);
	for (i = 0; i < n; i++) {
		tests[i].name = names[i]->d_name;
		tests[i].test_func = test_transcript;
		tests[i].initial_state = names[i]->d_name;
	}
	rc = _cmocka_run_group_tests("pop3-transcripts", tests, (size_t)n,
	    NULL, NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return rc;
}
