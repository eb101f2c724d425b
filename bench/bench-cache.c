/* SPDX-License-Identifier: ISC */
/*
 * bench-cache: the cost of the IMAP cache on a cold and a warm open.
 * Creates a fresh cache file, puts N rows shaped like a real mailbox's
 * (chunks of 1000 per transaction, newest chunk first, as a header fetch
 * writes them), closes it, then reopens it twice: for the first screen
 * (the mailbox's state and the newest 256 rows), and to read every row
 * back in the slices an open paints (256, then growing up to 32768).  Prints the
 * wall and CPU seconds of each phase (getrusage) and the file sizes;
 * the put phase includes the open, the close its checkpoint.
 * Usage: bench-cache N [DIR [put]]   (DIR defaults to /tmp; "put" skips
 * the reload, to count the system calls of the writes alone with strace)
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/cache.h"
#include "util/err.h"

#define CHUNK	1000

struct row {
	char	 flags[24];
	char	 date[40];
	char	 subject[96];
	char	 from[80];
	char	 to[64];
	char	 cc[64];
	char	 message_id[72];
	char	 in_reply_to[72];
	char	 from_show[32];
	char	 from_addr[48];
	char	 to_show[32];
};

struct clock {
	struct timespec	 wall;
	struct rusage	 ru;
};

static const char *const names[] = { "Alice Liddell", "Bob Marley",
	"Carol Shaw", "Dan Ingalls", "Eve Moreau", "Frank Abagnale",
	"Grace Hopper", "Heinrich Müller", "Ines Ferreira", "Jürgen Klein" };
static const char *const words[] = { "Re:", "meeting", "quarterly",
	"report", "the", "build", "is", "broken", "again", "lunch",
	"tomorrow", "invoice", "for", "November", "release", "notes",
	"draft", "review", "please", "Übersicht" };

static void
clock_now(struct clock *c)
{
	clock_gettime(CLOCK_MONOTONIC, &c->wall);
	getrusage(RUSAGE_SELF, &c->ru);
}

static double
tv_s(const struct timeval *a, const struct timeval *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_usec - a->tv_usec) / 1e6;
}

static void
clock_print(const char *what, const struct clock *a, const struct clock *b,
    size_t n)
{
	double	 wall, usr, sys;

	wall = (double)(b->wall.tv_sec - a->wall.tv_sec) +
	    (double)(b->wall.tv_nsec - a->wall.tv_nsec) / 1e9;
	usr = tv_s(&a->ru.ru_utime, &b->ru.ru_utime);
	sys = tv_s(&a->ru.ru_stime, &b->ru.ru_stime);
	printf("%-5s rows %zu wall %.3f s user %.3f s sys %.3f s "
	    "cpu %.3f s (%.2f us/row) vcsw %ld oublock %ld\n", what, n, wall,
	    usr, sys, usr + sys, n > 0 ? (usr + sys) * 1e6 / (double)n : 0.0,
	    b->ru.ru_nvcsw - a->ru.ru_nvcsw,
	    b->ru.ru_oublock - a->ru.ru_oublock);
}

/* Row i of n, with lengths and variety like a real index. */
static void
row_make(struct row *r, size_t i)
{
	const char	*fn = names[i % 10], *tn = names[(i * 7 + 3) % 10];
	time_t		 t = 1700000000 + (time_t)i * 337;
	struct tm	 tm;
	size_t		 k, len;

	gmtime_r(&t, &tm);
	snprintf(r->flags, sizeof r->flags, "%s", i % 3 == 0 ? "" :
	    i % 17 == 0 ? "\\Seen \\Flagged" : "\\Seen");
	strftime(r->date, sizeof r->date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	r->subject[0] = '\0';
	for (k = 0, len = 0; k < 4 + i % 6 && len + 16 < sizeof r->subject;
	    k++)
		len += (size_t)snprintf(r->subject + len,
		    sizeof r->subject - len, "%s%s", k > 0 ? " " : "",
		    words[(i * 13 + k * 7) % 20]);
	snprintf(r->from_addr, sizeof r->from_addr, "%.5s.%zu@example.org",
	    fn, i % 97);
	snprintf(r->from, sizeof r->from, "%s <%s>", fn, r->from_addr);
	snprintf(r->to, sizeof r->to, "%s <list%zu@lists.example.com>", tn,
	    i % 13);
	snprintf(r->cc, sizeof r->cc, "team@example.net");
	snprintf(r->message_id, sizeof r->message_id,
	    "<%zu.%08zx@mail.example.org>", i, i * 2654435761u);
	snprintf(r->in_reply_to, sizeof r->in_reply_to,
	    "<%zu.%08zx@mail.example.org>", i / 2, i * 40503u);
	snprintf(r->from_show, sizeof r->from_show, "%s", fn);
	snprintf(r->to_show, sizeof r->to_show, "%s", tn);
}

static void
msg_of(struct cache_msg *m, const struct row *r, uint32_t uid, size_t i)
{
	memset(m, 0, sizeof *m);
	m->uid = uid;
	m->flags = r->flags;
	m->modseq = 1000 + i;
	m->internaldate = 1700000000 + (int64_t)i * 337;
	m->size = 2000 + (i * 7919) % 60000;
	m->date = r->date;
	m->subject = r->subject;
	m->from = r->from;
	m->to = r->to;
	m->cc = i % 4 == 0 ? r->cc : NULL;
	m->message_id = r->message_id;
	m->in_reply_to = i % 2 == 0 ? r->in_reply_to : NULL;
	m->sent = m->internaldate - 30;
	m->from_show = r->from_show;
	m->from_addr = r->from_addr;
	m->to_show = r->to_show;
}

struct sum {
	size_t	 rows, bytes;
};

static void
count_row(void *arg, const struct cache_msg *m)
{
	struct sum	*s = arg;

	s->rows++;
	s->bytes += strlen(m->subject) + strlen(m->from_show) +
	    strlen(m->date) + (m->flags != NULL ? strlen(m->flags) : 0);
}

static long long
file_size(const char *path, const char *suffix)
{
	char		 p[1100];
	struct stat	 st;

	snprintf(p, sizeof p, "%s%s", path, suffix);
	return stat(p, &st) == 0 ? (long long)st.st_size : 0;
}

static void
cache_put_all(const char *path, const struct row *rows, size_t n)
{
	struct cache		*c;
	struct cache_msg	 m;
	struct err		 e;
	struct clock		 a, b;
	size_t			 hi, lo, i;

	clock_now(&a);
	if (cache_open(path, 65536, &c, &e) == -1)
		errx(1, "%s", e.msg);
	if (cache_begin(c, &e) == -1 ||
	    cache_mailbox_set_uidvalidity(c, "INBOX", 1234, &e) == -1 ||
	    cache_commit(c, &e) == -1)
		errx(1, "%s", e.msg);
	/* newest chunk first; UIDs ascending within a chunk */
	for (hi = n; hi > 0; hi = lo) {
		lo = hi > CHUNK ? hi - CHUNK : 0;
		if (cache_begin(c, &e) == -1)
			errx(1, "%s", e.msg);
		for (i = lo; i < hi; i++) {
			msg_of(&m, &rows[i], (uint32_t)i + 1, i);
			if (cache_msg_put(c, "INBOX", &m, &e) == -1)
				errx(1, "%s", e.msg);
		}
		if (cache_mailbox_set_state(c, "INBOX", (uint32_t)n + 1,
		    1000 + n, &e) == -1 || cache_commit(c, &e) == -1)
			errx(1, "%s", e.msg);
	}
	clock_now(&b);
	clock_print("put", &a, &b, n);
	/* the close checkpoints: its syncs are the wall time of a load */
	cache_close(c);
	clock_now(&a);
	clock_print("close", &b, &a, n);
}

/* A warm open's first paint: open, the mailbox's state, 256 rows. */
static void
cache_paint_first(const char *path, size_t n)
{
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct sum		 s;
	struct err		 e;
	struct clock		 a, b;

	memset(&s, 0, sizeof s);
	clock_now(&a);
	if (cache_open(path, 65536, &c, &e) == -1)
		errx(1, "%s", e.msg);
	if (cache_mailbox_peek(c, "INBOX", &mb, &e) != 1)
		errx(1, "no mailbox");
	if (cache_msgs_load_below(c, "INBOX", 0, 256, count_row, &s,
	    &e) == -1)
		errx(1, "%s", e.msg);
	clock_now(&b);
	cache_close(c);
	if (s.rows != (n < 256 ? n : 256))
		errx(1, "first paint: %zu rows", s.rows);
	clock_print("paint", &a, &b, s.rows);
}

static void
cache_load_all(const char *path, size_t n)
{
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct sum		 s;
	struct err		 e;
	struct clock		 a, b;
	size_t			 slice = 256, before;

	memset(&s, 0, sizeof s);
	clock_now(&a);
	if (cache_open(path, 65536, &c, &e) == -1)
		errx(1, "%s", e.msg);
	if (cache_mailbox_get(c, "INBOX", &mb, &e) != 1 || mb.count != n)
		errx(1, "mailbox: %u rows, not %zu", mb.count, n);
	for (;;) {
		before = s.rows;
		/* the next slice starts below the last UID painted */
		if (cache_msgs_load_below(c, "INBOX",
		    (uint32_t)(n - s.rows + 1), slice, count_row, &s,
		    &e) == -1)
			errx(1, "%s", e.msg);
		if (s.rows - before < slice || s.rows == n)
			break;
		slice = slice < 2048 ? 2048 : slice * 2 > 32768 ? 32768 :
		    slice * 2;
	}
	cache_close(c);
	clock_now(&b);
	if (s.rows != n)
		errx(1, "loaded %zu rows, not %zu", s.rows, n);
	clock_print("load", &a, &b, n);
}

int
main(int argc, char **argv)
{
	struct row	*rows;
	const char	*dir = argc > 2 ? argv[2] : "/tmp";
	char		 path[1024];
	size_t		 n, i;

	if (argc < 2 || (n = strtoul(argv[1], NULL, 10)) == 0 ||
	    n > 10000000)
		errx(1, "usage: bench-cache N [DIR [put]]");
	if ((rows = calloc(n, sizeof *rows)) == NULL)
		err(1, "calloc");
	for (i = 0; i < n; i++)
		row_make(&rows[i], i);
	snprintf(path, sizeof path, "%s/bench-cache-%ld.db", dir,
	    (long)getpid());
	cache_put_all(path, rows, n);
	printf("file  db %lld wal %lld bytes\n", file_size(path, ""),
	    file_size(path, "-wal"));
	if (argc <= 3 || strcmp(argv[3], "put") != 0) {
		cache_paint_first(path, n);
		cache_load_all(path, n);
	}
	unlink(path);
	snprintf(path + strlen(path), sizeof path - strlen(path), "-wal");
	unlink(path);
	path[strlen(path) - 4] = '\0';
	snprintf(path + strlen(path), sizeof path - strlen(path), "-shm");
	unlink(path);
	free(rows);
	return 0;
}
