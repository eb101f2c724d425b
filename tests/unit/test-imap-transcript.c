/* SPDX-License-Identifier: ISC */
/*
 * Transcript tests for the IMAP session: every tests/transcripts/imap/NAME.t
 * file is one test.  No sockets, a fake clock.  Lines:
 *   P: key=value ...   session parameters (before the first A: start)
 *   S: text            fed to imap_session_input with CRLF added
 *   s: text            fed as it is, without CRLF
 *   C: text            must be the next line the session sent
 *   E: text            must be the next event (imap_event_format)
 *   T: +DURATION       advance the clock (ms, s, m) and tick
 *   A: call args       an API call (see run_api)
 *   I: NAME            the lines of NAME.inc beside the transcript (a
 *                      shared preamble such as the usual login)
 *   # comment
 * Before each S:, A: and T: line every earlier output line and event must
 * have been matched, so a transcript also proves what was NOT sent.
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
#include <cmocka.h>

#include "imap/imap.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct lines {
	char	**v;
	size_t	  n, head;
};

struct run {
	const char		*file;
	int			 lineno;
	uint64_t		 now;
	struct imap_params	 params;
	struct imap_session	*s;
	struct lines		 out, ev;
	struct buf		 partial;	/* output line not ended yet */
	bool			 show_state;
	bool			 bytewise;	/* feed S: lines a byte at a time */
	int			 depth;		/* of I: includes */
};

static void
lines_push(struct lines *l, const char *p, size_t len)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrndup(p, len);
}

static void
lines_free(struct lines *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static uint64_t
fake_clock(void *arg)
{
	return ((struct run *)arg)->now;
}

static void
on_event(void *arg, const struct imap_event *ev)
{
	struct run	*r = arg;
	struct buf	 b = BUF_INIT;

	if (ev->type == IMAP_EV_STATE && !r->show_state)
		return;
	imap_event_format(ev, &b);
	lines_push(&r->ev, b.data, b.len);
	buf_fini(&b);
}

static void
drain_output(struct run *r)
{
	const void	*p;
	const char	*nl, *c;
	size_t		 n;

	if (r->s == NULL)
		return;
	n = imap_session_output(r->s, &p);
	buf_add(&r->partial, p, n);
	imap_session_sent(r->s, n);
	while ((nl = memchr(r->partial.data, '\n', r->partial.len)) != NULL) {
		c = r->partial.data;
		n = (size_t)(nl - c);
		lines_push(&r->out, c, n > 0 && c[n - 1] == '\r' ? n - 1 : n);
		buf_consume(&r->partial, n + 1);
	}
}

static void
check_consumed(struct run *r)
{
	drain_output(r);
	if (r->out.head < r->out.n)
		fail_msg("%s:%d: unexpected output: C: %s", r->file,
		    r->lineno, r->out.v[r->out.head]);
	if (r->ev.head < r->ev.n)
		fail_msg("%s:%d: unexpected event: E: %s", r->file, r->lineno,
		    r->ev.v[r->ev.head]);
}

static uint64_t
parse_duration(const char *p)
{
	char		*end;
	uint64_t	 v;

	v = strtoull(p, &end, 10);
	if (strcmp(end, "ms") == 0)
		return v;
	if (strcmp(end, "s") == 0)
		return v * 1000;
	if (strcmp(end, "m") == 0)
		return v * 60 * 1000;
	fail_msg("bad duration %s", p);
	return 0;
}

static void
set_param(struct run *r, const char *k, const char *v)
{
	struct imap_params	*p = &r->params;

	if (strcmp(k, "tls") == 0)
		p->tls = strcmp(v, "starttls") == 0 ? IMAP_TLS_STARTTLS :
		    strcmp(v, "none") == 0 ? IMAP_TLS_NONE : IMAP_TLS_IMPLICIT;
	else if (strcmp(k, "allow_plaintext") == 0)
		p->allow_plaintext = strcmp(v, "yes") == 0;
	else if (strcmp(k, "idle") == 0)
		p->use_idle = strcmp(v, "yes") == 0;
	else if (strcmp(k, "idle_restart") == 0)
		p->idle_restart = parse_duration(v);
	else if (strcmp(k, "poll") == 0)
		p->poll_interval = parse_duration(v);
	else if (strcmp(k, "timeout") == 0)
		p->cmd_timeout = parse_duration(v);
	else if (strcmp(k, "first_chunk") == 0)
		p->first_chunk = (uint32_t)strtoul(v, NULL, 10);
	else if (strcmp(k, "chunk") == 0)
		p->chunk = (uint32_t)strtoul(v, NULL, 10);
	else if (strcmp(k, "batch") == 0)
		p->batch = strcmp(v, "yes") == 0;
	else if (strcmp(k, "ahead") == 0)
		p->chunks_ahead = (unsigned int)strtoul(v, NULL, 10);
	else if (strcmp(k, "pipeline") == 0)
		p->pipeline_max = (unsigned int)strtoul(v, NULL, 10);
	else if (strcmp(k, "line_max") == 0)
		p->limits.line_max = strtoul(v, NULL, 10);
	else if (strcmp(k, "states") == 0)
		r->show_state = strcmp(v, "yes") == 0;
	else
		fail_msg("%s:%d: unknown parameter %s", r->file, r->lineno, k);
}

static void
params_line(struct run *r, char *line)
{
	char	*tok, *eq, *save = NULL;

	for (tok = strtok_r(line, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if ((eq = strchr(tok, '=')) == NULL)
			fail_msg("%s:%d: bad P: item", r->file, r->lineno);
		*eq = '\0';
		set_param(r, tok, eq + 1);
	}
}

/* "1,2,5:7" into a UID array (small ranges only, for tests). */
static size_t
parse_uids(const char *p, uint32_t *uids, size_t max)
{
	size_t		 n = 0;
	unsigned long	 a, b;
	char		*end;

	while (*p != '\0' && n < max) {
		a = strtoul(p, &end, 10);
		b = a;
		if (*end == ':')
			b = strtoul(end + 1, &end, 10);
		for (; a <= b && n < max; a++)
			uids[n++] = (uint32_t)a;
		p = *end == ',' ? end + 1 : end;
		if (*end != ',' )
			break;
	}
	return n;
}

/* "a\r\nb" escapes in APPEND data. */
static size_t
unescape(const char *in, char *out)
{
	size_t	 n = 0;

	for (; *in != '\0'; in++) {
		if (in[0] == '\\' && in[1] == 'r') {
			out[n++] = '\r';
			in++;
		} else if (in[0] == '\\' && in[1] == 'n') {
			out[n++] = '\n';
			in++;
		} else
			out[n++] = *in;
	}
	out[n] = '\0';
	return n;
}

static void
select_known(char *rest, struct imap_known *k, struct imap_range *r)
{
	char	*q;

	/* "qresync UIDVALIDITY MODSEQ [LO:HI]" after the name */
	memset(k, 0, sizeof *k);
	if ((q = strstr(rest, " qresync ")) == NULL)
		return;
	*q = '\0';
	q += 9;
	k->uidvalidity = (uint32_t)strtoul(q, &q, 10);
	k->highestmodseq = strtoull(q, &q, 10);
	if (*q == ' ') {
		r->lo = (uint32_t)strtoul(q + 1, &q, 10);
		r->hi = *q == ':' ? (uint32_t)strtoul(q + 1, &q, 10) : r->lo;
		k->uids.r = r;
		k->uids.n = 1;
	}
}

static void
run_api(struct run *r, char *line)
{
	struct imap_known	 known;
	struct imap_range	 kr;
	struct err		 e;
	uint32_t		 uids[64], id = 1;
	size_t			 n;
	char			*cmd = line, *rest, *arg2, data[1024];

	rest = strchr(line, ' ');
	if (rest != NULL)
		*rest++ = '\0';
	else
		rest = line + strlen(line);
	err_clear(&e);
	if (strcmp(cmd, "start") == 0) {
		r->params.clock = fake_clock;
		r->params.clock_arg = r;
		r->s = imap_session_new(&r->params, on_event, r);
		imap_session_start(r->s, strcmp(rest, "tls") == 0);
	} else if (strcmp(cmd, "tls-ready") == 0)
		imap_session_tls_ready(r->s);
	else if (strcmp(cmd, "eof") == 0)
		imap_session_eof(r->s);
	else if (strcmp(cmd, "login") == 0) {
		arg2 = strchr(rest, ' ');
		*arg2++ = '\0';
		(void)unescape(arg2, data);
		id = imap_session_login(r->s, rest, data, &e);
	} else if (strcmp(cmd, "list") == 0)
		id = imap_session_list(r->s, &e);
	else if (strcmp(cmd, "status") == 0)
		id = imap_session_status(r->s, rest, &e);
	else if (strcmp(cmd, "create") == 0)
		id = imap_session_create(r->s, rest, &e);
	else if (strcmp(cmd, "select") == 0 || strcmp(cmd, "examine") == 0) {
		select_known(rest, &known, &kr);
		id = imap_session_select(r->s, rest, &known,
		    strcmp(cmd, "examine") == 0, &e);
	} else if (strcmp(cmd, "fetch-headers") == 0)
		id = imap_session_fetch_headers(r->s,
		    (uint32_t)strtoul(rest, NULL, 10), &e);
	else if (strcmp(cmd, "fetch-flags") == 0) {
		kr.lo = (uint32_t)strtoul(rest, &arg2, 10);
		kr.hi = *arg2 == ':' ? (uint32_t)strtoul(arg2 + 1, &arg2, 10) :
		    kr.lo;
		id = imap_session_fetch_flags(r->s, &kr, 1,
		    *arg2 == ' ' ? strtoull(arg2 + 1, NULL, 10) : 0, &e);
	} else if (strcmp(cmd, "fetch-body") == 0) {
		n = strtoul(rest, &arg2, 10);
		rest = arg2 + 1;
		arg2 = strchr(rest, ' ');
		if (arg2 != NULL)
			*arg2++ = '\0';
		id = imap_session_fetch_body(r->s, (uint32_t)n,
		    strcmp(rest, "-") == 0 ? "" : rest, arg2 != NULL, &e);
	} else if (strcmp(cmd, "fetch-structure") == 0)
		id = imap_session_fetch_structure(r->s,
		    (uint32_t)strtoul(rest, NULL, 10), &e);
	else if (strcmp(cmd, "store") == 0) {
		arg2 = strchr(rest, ' ');
		*arg2++ = '\0';
		n = parse_uids(rest, uids, 64);
		id = imap_session_store(r->s, uids, n, arg2[0] == '+',
		    arg2 + 1, &e);
	} else if (strcmp(cmd, "expunge") == 0) {
		n = parse_uids(rest, uids, 64);
		id = imap_session_expunge(r->s, uids, n, &e);
	} else if (strcmp(cmd, "copy") == 0 || strcmp(cmd, "move") == 0) {
		arg2 = strchr(rest, ' ');
		*arg2++ = '\0';
		n = parse_uids(rest, uids, 64);
		id = cmd[0] == 'c' ? imap_session_copy(r->s, uids, n, arg2, &e) :
		    imap_session_move(r->s, uids, n, arg2, &e);
	} else if (strcmp(cmd, "append") == 0) {
		/* append MBOX FLAGS|- DATA */
		arg2 = strchr(rest, ' ');
		*arg2++ = '\0';
		cmd = strchr(arg2, ' ');
		*cmd++ = '\0';
		n = unescape(cmd, data);
		id = imap_session_append(r->s, rest, strcmp(arg2, "-") == 0 ?
		    NULL : arg2, data, n, &e);
	} else if (strcmp(cmd, "noop") == 0)
		id = imap_session_noop(r->s, &e);
	else if (strcmp(cmd, "logout") == 0)
		id = imap_session_logout(r->s, &e);
	else if (strcmp(cmd, "idle") == 0)
		imap_session_idle(r->s, strcmp(rest, "on") == 0);
	else if (strcmp(cmd, "notify") == 0) {
		imap_session_notify(r->s);	/* no request, no event */
		return;
	}
	else if (strcmp(cmd, "deadline") == 0) {
		char	 b[64];

		snprintf(b, sizeof b, "deadline +%llu",
		    (unsigned long long)(imap_session_next_deadline(r->s) == 0 ?
		    0 : imap_session_next_deadline(r->s) - r->now));
		lines_push(&r->ev, b, strlen(b));
	} else
		fail_msg("%s:%d: unknown call %s", r->file, r->lineno, cmd);
	if (id == 0) {
		char	 b[300];

		snprintf(b, sizeof b, "refused %s: %s", err_class_name(e.cls),
		    e.msg);
		lines_push(&r->ev, b, strlen(b));
	}
}

static void
expect_line(struct run *r, struct lines *l, const char *kind,
    const char *want)
{
	if (l->head >= l->n)
		fail_msg("%s:%d: expected %s %s, got nothing", r->file,
		    r->lineno, kind, want);
	if (strcmp(l->v[l->head], want) != 0)
		fail_msg("%s:%d: expected %s %s\n  got %s %s", r->file,
		    r->lineno, kind, want, kind, l->v[l->head]);
	l->head++;
}

/* Split invariance: byte by byte must give what whole lines give. */
static void
feed(struct run *r, const char *p, size_t len)
{
	size_t	 i;

	if (!r->bytewise) {
		imap_session_input(r->s, p, len);
		return;
	}
	for (i = 0; i < len; i++) {
		imap_session_input(r->s, p + i, 1);
		drain_output(r);
	}
}

static void	 run_line(struct run *, char *);

/* I: NAME runs NAME.inc from the transcript's directory, line by line. */
static void
run_include(struct run *r, const char *name)
{
	const char	*file = r->file, *slash = strrchr(file, '/');
	char		*path, *line = NULL;
	int		 lineno = r->lineno;
	size_t		 cap = 0;
	ssize_t		 n;
	FILE		*f;

	if (r->depth >= 4 || strchr(name, '/') != NULL)
		fail_msg("%s:%d: bad include %s", file, lineno, name);
	path = xasprintf("%.*s/%s.inc", slash != NULL ? (int)(slash - file) :
	    1, slash != NULL ? file : ".", name);
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("%s:%d: cannot open %s", file, lineno, path);
	r->depth++;
	r->file = path;
	r->lineno = 0;
	while ((n = getline(&line, &cap, f)) != -1) {
		r->lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		run_line(r, line);
	}
	free(line);
	fclose(f);
	r->file = file;
	r->lineno = lineno;
	r->depth--;
	free(path);
}

static void
run_line(struct run *r, char *line)
{
	struct buf	 b = BUF_INIT;

	if (line[0] == '#' || line[0] == '\0')
		return;
	if (strlen(line) < 3 || line[1] != ':' || line[2] != ' ')
		fail_msg("%s:%d: bad line", r->file, r->lineno);
	switch (line[0]) {
	case 'P':
		params_line(r, line + 3);
		break;
	case 'S':
		check_consumed(r);
		/* "\r\n" inside an S: line puts several lines in one read */
		buf_reserve(&b, strlen(line) + 3);
		b.len = unescape(line + 3, b.data);
		buf_add_str(&b, "\r\n");
		feed(r, b.data, b.len);
		buf_fini(&b);
		break;
	case 's':
		/* raw bytes, no CRLF added: a server that trickles */
		check_consumed(r);
		buf_reserve(&b, strlen(line) + 1);
		b.len = unescape(line + 3, b.data);
		feed(r, b.data, b.len);
		buf_fini(&b);
		break;
	case 'C':
		drain_output(r);
		expect_line(r, &r->out, "C:", line + 3);
		break;
	case 'E':
		drain_output(r);
		expect_line(r, &r->ev, "E:", line + 3);
		break;
	case 'T':
		check_consumed(r);
		r->now += parse_duration(line + 4);
		imap_session_tick(r->s, r->now);
		break;
	case 'A':
		check_consumed(r);
		run_api(r, line + 3);
		break;
	case 'I':
		run_include(r, line + 3);
		break;
	default:
		fail_msg("%s:%d: bad line", r->file, r->lineno);
	}
}

static void
run_transcript(const char *file, bool bytewise)
{
	struct run	 r;
	FILE		*f;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;

	memset(&r, 0, sizeof r);
	r.file = file;
	r.bytewise = bytewise;
	r.now = 1000000;
	imap_params_default(&r.params);
	r.params.host = "test";
	buf_init(&r.partial);
	if ((f = fopen(r.file, "r")) == NULL)
		fail_msg("cannot open %s", r.file);
	while ((n = getline(&line, &cap, f)) != -1) {
		r.lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		run_line(&r, line);
	}
	r.lineno++;
	check_consumed(&r);
	free(line);
	fclose(f);
	imap_session_free(r.s);
	lines_free(&r.out);
	lines_free(&r.ev);
	buf_fini(&r.partial);
}

static void
test_transcript(void **state)
{
	run_transcript(*state, false);
	run_transcript(*state, true);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(void)
{
	const char		*dir = PONS_SRCDIR "/tests/transcripts/imap";
	struct CMUnitTest	*tests = NULL;
	struct dirent		*de;
	char			**names = NULL;
	DIR			*d;
	size_t			 n = 0, i, len;
	int			 rc;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "cannot open %s\n", dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 3 || strcmp(de->d_name + len - 2, ".t") != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, name_cmp);
	tests = xcalloc(n + 1, sizeof *tests);
	for (i = 0; i < n; i++) {
		tests[i].name = strrchr(names[i], '/') + 1;
		tests[i].test_func = test_transcript;
		tests[i].initial_state = names[i];
	}
	rc = _cmocka_run_group_tests("imap-transcripts", tests, n, NULL, NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return rc;
}
