/* SPDX-License-Identifier: ISC */
/*
 * bench-index: pons's CPU per message of a cold header sync, without the
 * network.  A capture of a server's answer to the index fetch
 * (bench/index-capture.py) is replayed by a scripted server through the
 * code path of `pons imap-sync`: imap_session_input (the parser, the
 * session's events), then the row of each message as app/imap-account.c
 * builds it (imap_index_fill and the flags).  Count its instructions with
 * valgrind --tool=callgrind: they are stable on a busy machine.
 *
 * Usage: bench-index CAPTURE [RUNS [FEED]]
 *   RUNS  how many cold syncs in a row (1)
 *   FEED  bytes handed to the session at a time (16384, a conn read)
 * With BENCH_INDEX_DUMP=FILE every row is written to FILE, one field a
 * line, to compare two builds' rows.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imap/imap.h"
#include "imap/imap-index.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct cap_resp {
	uint32_t	 uid;
	const char	*p;
	size_t		 len;
};

struct bench {
	const char		*data;		/* the capture */
	size_t			 len;
	struct cap_resp		*resp;		/* its FETCHes, by seq - 1 */
	uint32_t		 n;
	struct imap_session	*s;
	struct imap_index	 ix;
	struct buf		 flags;
	struct buf		 wire;		/* server bytes not yet fed */
	size_t			 wire_off;
	struct buf		 cmd;		/* client bytes, one line */
	uint32_t		 fetch_id;
	bool			 done;
	uint64_t		 rows, sum;	/* to keep the work honest */
	uint64_t		 now;
	FILE			*dump;
};

static uint64_t
bench_clock(void *arg)
{
	return ((struct bench *)arg)->now;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*p;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		exit(1);
	}
	p = xmalloc((size_t)n + 1);
	if (fread(p, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(1);
	}
	fclose(f);
	p[n] = '\0';
	*len = (size_t)n;
	return p;
}

/* Cut the capture into its "* N FETCH" responses (lines + literals). */
static void
index_capture(struct bench *b)
{
	const char	*p = b->data, *end = b->data + b->len, *nl, *start;
	const char	*u;
	unsigned long	 seq, lit;
	size_t		 cap = 0;

	while (p < end) {
		start = p;
		for (;;) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end - 1;
			lit = 0;
			if (nl - p >= 3 && nl[-1] == '\r' && nl[-2] == '}') {
				const char *q = nl - 3;

				while (q > p && *q >= '0' && *q <= '9')
					q--;
				if (*q == '{')
					lit = strtoul(q + 1, NULL, 10);
			}
			p = nl + 1 + lit;
			if (lit == 0 || p >= end)
				break;
		}
		if (p > end)
			p = end;
		if (p - start < 12 || strncmp(start, "* ", 2) != 0)
			continue;
		seq = strtoul(start + 2, (char **)&u, 10);
		if (seq == 0 || strncmp(u, " FETCH (UID ", 12) != 0)
			continue;
		u += 6;
		if (seq > cap) {
			size_t ncap = cap == 0 ? 1024 : cap;

			while (ncap < seq)
				ncap *= 2;
			b->resp = xreallocarray(b->resp, ncap, sizeof *b->resp);
			memset(b->resp + cap, 0,
			    (ncap - cap) * sizeof *b->resp);
			cap = ncap;
		}
		b->resp[seq - 1].uid = (uint32_t)strtoul(u + 5, NULL, 10);
		b->resp[seq - 1].p = start;
		b->resp[seq - 1].len = (size_t)(p - start);
		if (seq > b->n)
			b->n = (uint32_t)seq;
	}
}

static void
say(struct bench *b, const char *s)
{
	buf_add_str(&b->wire, s);
}

/* The FETCHes of the messages whose UID (or seq) is in the set. */
static void
serve_fetch(struct bench *b, const char *set, bool by_uid)
{
	struct imap_range	*r;
	size_t			 nr, i, len;
	uint32_t		 k;

	len = strcspn(set, " ");
	if (!imap_seqset_parse(set, len, 100000, &r, &nr)) {
		fprintf(stderr, "bench-index: bad set %.*s\n", (int)len, set);
		exit(1);
	}
	/* in sequence order, as Dovecot answers */
	for (i = 0; i < nr; i++)
		for (k = 1; k <= b->n; k++) {
			uint32_t v = by_uid ? b->resp[k - 1].uid : k;

			if (b->resp[k - 1].p != NULL && v >= r[i].lo &&
			    v <= r[i].hi)
				buf_add(&b->wire, b->resp[k - 1].p,
				    b->resp[k - 1].len);
		}
	free(r);
}

/* ESEARCH ALL as Dovecot answers it: the UIDs as ranges. */
static void
serve_esearch(struct bench *b, const char *tag)
{
	char		 out[96];
	uint32_t	 k, lo = 0, hi = 0, u;
	bool		 first = true;

	snprintf(out, sizeof out, "* ESEARCH (TAG \"%s\") UID ALL ", tag);
	say(b, out);
	for (k = 0; k <= b->n; k++) {
		u = k < b->n && b->resp[k].p != NULL ? b->resp[k].uid : 0;
		if (u != 0 && lo != 0 && u == hi + 1) {
			hi = u;
			continue;
		}
		if (lo != 0) {
			if (lo == hi)
				snprintf(out, sizeof out, "%s%u", first ? "" :
				    ",", lo);
			else
				snprintf(out, sizeof out, "%s%u:%u", first ?
				    "" : ",", lo, hi);
			say(b, out);
			first = false;
		}
		lo = hi = u;
	}
	snprintf(out, sizeof out, "\r\n%s OK Search completed.\r\n", tag);
	say(b, out);
}

/* One command line of the client: the server's whole answer. */
static void
serve(struct bench *b, const char *line)
{
	char		 tag[32], out[256];
	const char	*cmd;
	uint32_t	 k;

	if (sscanf(line, "%31s", tag) != 1)
		return;
	cmd = line + strlen(tag) + 1;
	if (strncmp(cmd, "AUTHENTICATE", 12) == 0 ||
	    strncmp(cmd, "LOGIN", 5) == 0) {
		snprintf(out, sizeof out, "%s OK [CAPABILITY IMAP4rev1 "
		    "SASL-IR LITERAL+ IDLE UIDPLUS MOVE ESEARCH ENABLE "
		    "CONDSTORE QRESYNC SPECIAL-USE LIST-STATUS] Logged in\r\n",
		    tag);
		say(b, out);
	} else if (strncmp(cmd, "ENABLE", 6) == 0) {
		say(b, "* ENABLED QRESYNC\r\n");
		snprintf(out, sizeof out, "%s OK Enabled.\r\n", tag);
		say(b, out);
	} else if (strncmp(cmd, "SELECT", 6) == 0 ||
	    strncmp(cmd, "EXAMINE", 7) == 0) {
		say(b, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen "
		    "\\Draft)\r\n");
		snprintf(out, sizeof out, "* %u EXISTS\r\n* 0 RECENT\r\n"
		    "* OK [UIDVALIDITY 1700000000] UIDs valid\r\n"
		    "* OK [UIDNEXT %u] Predicted next UID\r\n"
		    "* OK [HIGHESTMODSEQ 2] Highest\r\n"
		    "%s OK [READ-WRITE] Select completed.\r\n", b->n,
		    b->n > 0 ? b->resp[b->n - 1].uid + 1 : 1, tag);
		say(b, out);
	} else if (strncmp(cmd, "UID SEARCH RETURN", 17) == 0) {
		serve_esearch(b, tag);
	} else if (strncmp(cmd, "UID SEARCH", 10) == 0) {
		say(b, "* SEARCH");
		for (k = 0; k < b->n; k++)
			if (b->resp[k].p != NULL) {
				snprintf(out, sizeof out, " %u",
				    b->resp[k].uid);
				say(b, out);
			}
		snprintf(out, sizeof out, "\r\n%s OK Search completed.\r\n",
		    tag);
		say(b, out);
	} else if (strncmp(cmd, "UID FETCH ", 10) == 0) {
		serve_fetch(b, cmd + 10, true);
		snprintf(out, sizeof out, "%s OK Fetch completed.\r\n", tag);
		say(b, out);
	} else if (strncmp(cmd, "FETCH ", 6) == 0) {
		serve_fetch(b, cmd + 6, false);
		snprintf(out, sizeof out, "%s OK Fetch completed.\r\n", tag);
		say(b, out);
	} else if (strncmp(cmd, "LOGOUT", 6) == 0) {
		snprintf(out, sizeof out, "* BYE Logging out\r\n"
		    "%s OK Logout completed.\r\n", tag);
		say(b, out);
	} else {
		snprintf(out, sizeof out, "%s OK done\r\n", tag);
		say(b, out);
	}
}

/* Whatever the client wrote: answer each whole line. */
static void
pump_client(struct bench *b)
{
	const void	*p;
	const char	*c, *nl;
	size_t		 n;

	while ((n = imap_session_output(b->s, &p)) > 0) {
		buf_add(&b->cmd, p, n);
		imap_session_sent(b->s, n);
	}
	c = b->cmd.data;
	while (b->cmd.len > 0 &&
	    (nl = memchr(c, '\n', b->cmd.len - (size_t)(c - b->cmd.data))) !=
	    NULL) {
		char	*line = xstrndup(c, (size_t)(nl - c));

		serve(b, line);
		free(line);
		c = nl + 1;
	}
	buf_consume(&b->cmd, (size_t)(c - b->cmd.data));
}

#define S(x)	((x) != NULL ? (x) : "(null)")

static void
on_message(struct bench *b, const struct imap_event *ev)
{
	const struct imap_fetch		*f = ev->fetch;
	const struct imap_index_row	*r;
	size_t				 i;

	buf_reset(&b->flags);
	for (i = 0; i < f->flags.n; i++) {
		if (i > 0)
			buf_add_byte(&b->flags, ' ');
		buf_add(&b->flags, f->flags.v[i].p, f->flags.v[i].len);
	}
	if (f->have & IMAP_FETCH_HEADER)
		r = imap_index_fill(&b->ix, f->header.p, f->header.len);
	else if (f->env != NULL)
		r = imap_index_fill_env(&b->ix, f->env);
	else
		return;
	b->rows++;
	if (b->dump != NULL)
		fprintf(b->dump, "uid %u flags %s\ndate %s\nsent %lld\n"
		    "subject %s\nfrom %s\nto %s\ncc %s\nfrom_show %s\n"
		    "from_addr %s\nto_show %s\nmessage_id %s\nparent %s\n",
		    ev->uid, buf_str(&b->flags), S(r->date),
		    (long long)r->sent, S(r->subject), S(r->from), S(r->to),
		    S(r->cc), S(r->from_show), S(r->from_addr), S(r->to_show),
		    S(r->message_id), S(r->parent));
	b->sum += (uint64_t)r->sent + strlen(r->subject != NULL ?
	    r->subject : "") + strlen(r->from_show) + strlen(r->to_show) +
	    (r->parent != NULL) + (r->message_id != NULL) + b->flags.len;
}

static void
on_event(void *arg, const struct imap_event *ev)
{
	struct bench	*b = arg;
	struct err	 e;

	switch (ev->type) {
	case IMAP_EV_NEED_PASSWORD:
		(void)imap_session_login(b->s, "alice", "pass", &e);
		break;
	case IMAP_EV_LOGGED_IN:
		if (imap_session_select(b->s, "INBOX", NULL, false, &e) == 0)
			fprintf(stderr, "bench-index: %s\n", e.msg);
		break;
	case IMAP_EV_UIDS:
		b->fetch_id = imap_session_fetch_headers(b->s, 0, &e);
		break;
	case IMAP_EV_MESSAGE:
		on_message(b, ev);
		break;
	case IMAP_EV_DONE:
		if (ev->cmd_id == b->fetch_id && b->fetch_id != 0)
			b->done = true;
		break;
	case IMAP_EV_ERROR:
		fprintf(stderr, "bench-index: %s\n", ev->err.msg);
		b->done = true;
		break;
	default:
		break;
	}
}

static void
run_once(struct bench *b, size_t feed)
{
	struct imap_params	 p;
	size_t			 n;

	imap_params_default(&p);
	p.host = "bench";
	p.clock = bench_clock;
	p.clock_arg = b;
	b->done = false;
	b->fetch_id = 0;
	buf_reset(&b->wire);
	buf_reset(&b->cmd);
	b->wire_off = 0;
	b->s = imap_session_new(&p, on_event, b);
	imap_session_start(b->s, true);
	say(b, "* OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE "
	    "AUTH=PLAIN] ready.\r\n");
	while (!b->done && imap_session_state(b->s) != IMAP_STATE_CLOSED) {
		if (b->wire_off == b->wire.len) {
			pump_client(b);
			if (b->wire_off == b->wire.len) {
				fprintf(stderr, "bench-index: stalled\n");
				break;
			}
		}
		n = b->wire.len - b->wire_off;
		if (n > feed)
			n = feed;
		imap_session_input(b->s, b->wire.data + b->wire_off, n);
		b->wire_off += n;
		b->now++;
		if (b->wire_off == b->wire.len) {
			buf_reset(&b->wire);
			b->wire_off = 0;
		} else if (b->wire_off > (1u << 20)) {
			buf_consume(&b->wire, b->wire_off);
			b->wire_off = 0;
		}
		pump_client(b);
	}
	imap_session_free(b->s);
	b->s = NULL;
}

int
main(int argc, char **argv)
{
	struct bench	 b;
	struct timespec	 t0, t1;
	unsigned long	 runs = 1, i;
	size_t		 feed = 16384;
	double		 s;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-index CAPTURE [RUNS [FEED]]\n");
		return 2;
	}
	memset(&b, 0, sizeof b);
	if (argc > 2)
		runs = strtoul(argv[2], NULL, 10);
	if (argc > 3)
		feed = strtoul(argv[3], NULL, 10);
	if (feed == 0)
		feed = 1;
	if (getenv("BENCH_INDEX_DUMP") != NULL &&
	    (b.dump = fopen(getenv("BENCH_INDEX_DUMP"), "w")) == NULL) {
		perror(getenv("BENCH_INDEX_DUMP"));
		return 1;
	}
	b.data = slurp(argv[1], &b.len);
	index_capture(&b);
	if (b.n == 0) {
		fprintf(stderr, "bench-index: no FETCH in %s\n", argv[1]);
		return 1;
	}
	imap_index_init(&b.ix);
	buf_init(&b.flags);
	buf_init(&b.wire);
	buf_init(&b.cmd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < runs; i++)
		run_once(&b, feed);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("bench-index: %lu run(s) of %u messages, %llu rows, "
	    "checksum %llu, %.3f s (%.2f us per row)\n", runs, b.n,
	    (unsigned long long)b.rows, (unsigned long long)b.sum, s,
	    b.rows > 0 ? s * 1e6 / (double)b.rows : 0.0);
	imap_index_fini(&b.ix);
	buf_fini(&b.flags);
	buf_fini(&b.wire);
	buf_fini(&b.cmd);
	free(b.resp);
	if (b.dump != NULL)
		fclose(b.dump);
	free((void *)b.data);
	return b.rows > 0 ? 0 : 1;
}
