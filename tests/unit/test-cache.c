/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the IMAP cache: rows keyed by mailbox, UIDVALIDITY and
 * UID; a UIDVALIDITY change discards the mailbox; chunks as transactions;
 * the body size cap; the offline journal in order; persistence; loading
 * in slices; the decoded index fields; a file of another schema version
 * rebuilt, not misread.  How rows are stored: every field round trips
 * (NULL, empty, long and 8-bit strings, extreme integers); rows put in a
 * transaction are seen by every later call and gone after a rollback;
 * bulk chunks in any order; UIDs at the edges of two mailboxes; damaged
 * rows refused cleanly; a checkpoint and a journal entry reach the main
 * file, not only the write-ahead log; a commit's flight lands before
 * anything else touches the file, and its failure is told.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "store/cache.h"
#include "util/buf.h"
#include "util/err.h"

struct seen {
	uint32_t	 uids[16];
	char		 subj[16][32];
	size_t		 n;
};

static void
collect(void *arg, const struct cache_msg *m)
{
	struct seen	*s = arg;

	if (s->n < 16) {
		s->uids[s->n] = m->uid;
		snprintf(s->subj[s->n], sizeof s->subj[0], "%s",
		    m->subject != NULL ? m->subject : "(null)");
		s->n++;
	}
}

static char *
tmp_path(void)
{
	char	*p = strdup("/tmp/pons-cache-XXXXXX");
	int	 fd = mkstemp(p);

	assert_true(fd != -1);
	close(fd);
	unlink(p);
	return p;
}

static void
cleanup(char *path)
{
	char	 b[300];

	unlink(path);
	snprintf(b, sizeof b, "%s-wal", path);
	unlink(b);
	snprintf(b, sizeof b, "%s-shm", path);
	unlink(b);
	snprintf(b, sizeof b, "%s.lock", path);
	unlink(b);
	free(path);
}

static void
put(struct cache *c, const char *mbox, uint32_t uid, const char *subj)
{
	struct cache_msg	 m;
	struct err		 e;

	memset(&m, 0, sizeof m);
	m.uid = uid;
	m.subject = subj;
	m.flags = "\\Seen";
	m.internaldate = 1000 + uid;
	m.size = uid * 10;
	assert_int_equal(cache_msg_put(c, mbox, &m, &e), 0);
}

/* A new cache at path with INBOX (UIDVALIDITY 1) and a transaction
 * begun holding the rows lo..hi with subject subj. */
static struct cache *
inbox_begun(const char *path, uint32_t lo, uint32_t hi, const char *subj)
{
	struct cache	*c;
	struct err	 e;
	uint32_t	 uid;

	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "INBOX", 1, &e), 0);
	assert_int_equal(cache_begin(c, &e), 0);
	for (uid = lo; uid <= hi; uid++)
		put(c, "INBOX", uid, subj);
	return c;
}

static void
test_rows_and_uidvalidity(void **state)
{
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct seen		 s;
	struct err		 e;
	char			*path = tmp_path();

	assert_int_equal(cache_open(path, 100, &c, &e), 0);
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "INBOX", 7, &e), 0);
	assert_int_equal(cache_begin(c, &e), 0);
	put(c, "INBOX", 3, "three");
	put(c, "INBOX", 1, "one");
	put(c, "INBOX", 2, "two");
	put(c, "Other", 2, "elsewhere");
	assert_int_equal(cache_commit(c, &e), 0);
	assert_int_equal(cache_mailbox_set_state(c, "INBOX", 4, 99, &e), 0);
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.uidvalidity, 7);
	assert_int_equal(mb.uidnext, 4);
	assert_int_equal(mb.highestmodseq, 99);
	assert_int_equal(mb.count, 3);

	/* newest first, with a limit for the first screen */
	memset(&s, 0, sizeof s);
	assert_int_equal(cache_msgs_load(c, "INBOX", 2, collect, &s, &e), 2);
	assert_int_equal(s.uids[0], 3);
	assert_int_equal(s.uids[1], 2);
	assert_string_equal(s.subj[0], "three");

	/* a rolled back chunk leaves nothing */
	assert_int_equal(cache_begin(c, &e), 0);
	put(c, "INBOX", 9, "nine");
	cache_rollback(c);
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.count, 3);

	/* flags: existing row updated, missing row reported */
	assert_int_equal(cache_flags_put(c, "INBOX", 2, "\\Flagged", 120, &e),
	    1);
	assert_int_equal(cache_flags_put(c, "INBOX", 77, "\\Seen", 0, &e), 0);

	/* same UIDVALIDITY: kept; another: the mailbox is discarded */
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "INBOX", 7, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "INBOX", 8, &e), 1);
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.count, 0);
	assert_int_equal(mb.highestmodseq, 0);
	assert_int_equal(mb.uidvalidity, 8);
	/* the other mailbox is untouched */
	assert_int_equal(cache_mailbox_get(c, "Other", &mb, &e), 1);
	assert_int_equal(mb.count, 1);
	cache_close(c);
	cleanup(path);
}

static void
test_delete_and_keep(void **state)
{
	struct cache		*c;
	struct seen		 s;
	struct err		 e;
	char			*path = tmp_path();
	uint32_t		 lo[2] = { 2, 6 }, hi[2] = { 3, 7 };
	uint32_t		 uid;

	assert_int_equal(cache_open(path, 100, &c, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "M", 1, &e), 0);
	for (uid = 1; uid <= 9; uid++)
		put(c, "M", uid, "x");
	/* VANISHED 1:1, 4:5 (one wide range must cost one statement) */
	assert_int_equal(cache_msgs_delete(c, "M", 1, 1, &e), 1);
	assert_int_equal(cache_msgs_delete(c, "M", 4, 5, &e), 2);
	assert_int_equal(cache_msgs_delete(c, "M", 100, UINT32_MAX, &e), 0);
	/* the server has 2:3 and 6:7 only */
	assert_int_equal(cache_msgs_keep_only(c, "M", lo, hi, 2, &e), 2);
	memset(&s, 0, sizeof s);
	assert_int_equal(cache_msgs_load(c, "M", 0, collect, &s, &e), 4);
	assert_int_equal(s.uids[0], 7);
	assert_int_equal(s.uids[3], 2);
	/* nothing for a mailbox never seen */
	assert_int_equal(cache_msgs_load(c, "nope", 0, collect, &s, &e), 0);
	cache_close(c);
	cleanup(path);
}

static void
test_bodies(void **state)
{
	struct cache	*c;
	struct buf	 b = BUF_INIT;
	struct err	 e;
	char		*path = tmp_path();
	char		 big[101];

	memset(big, 'x', sizeof big);
	assert_int_equal(cache_open(path, 100, &c, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "M", 1, &e), 0);
	put(c, "M", 5, "x");
	assert_int_equal(cache_body_put(c, "M", 5, "1", "he\0lo", 5, &e), 1);
	assert_int_equal(cache_body_put(c, "M", 5, "2", big, 101, &e), 0);
	assert_int_equal(cache_body_put(c, "M", 5, "3", big, 100, &e), 1);
	assert_int_equal(cache_body_get(c, "M", 5, "1", &b, &e), 1);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "he\0lo", 5);
	buf_reset(&b);
	assert_int_equal(cache_body_get(c, "M", 5, "2", &b, &e), 0);
	/* an expunge takes the parts with it */
	assert_int_equal(cache_msgs_delete(c, "M", 5, 5, &e), 1);
	assert_int_equal(cache_body_get(c, "M", 5, "3", &b, &e), 0);
	buf_fini(&b);
	cache_close(c);
	cleanup(path);
}

static void
test_journal_and_reopen(void **state)
{
	struct cache		*c;
	struct cache_action	 a;
	struct cache_mailbox	 mb;
	struct err		 e;
	char			*path = tmp_path();

	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "INBOX", 3, &e), 0);
	put(c, "INBOX", 1, "persisted");
	memset(&a, 0, sizeof a);
	a.kind = CACHE_ACT_FLAG_ADD;
	a.mailbox = (char *)"INBOX";
	a.uidvalidity = 3;
	a.uids = (char *)"1:4";
	a.arg = (char *)"\\Seen";
	assert_int_equal(cache_journal_add(c, &a, &e), 0);
	a.kind = CACHE_ACT_MOVE;
	a.uids = (char *)"2";
	a.arg = (char *)"Trash";
	assert_int_equal(cache_journal_add(c, &a, &e), 0);
	cache_close(c);

	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.count, 1);
	assert_int_equal(cache_journal_first(c, &a, &e), 1);
	assert_int_equal(a.kind, CACHE_ACT_FLAG_ADD);
	assert_string_equal(a.uids, "1:4");
	assert_int_equal(cache_journal_done(c, a.id, &e), 0);
	cache_action_fini(&a);
	assert_int_equal(cache_journal_first(c, &a, &e), 1);
	assert_int_equal(a.kind, CACHE_ACT_MOVE);
	assert_string_equal(a.arg, "Trash");
	assert_int_equal(a.uidvalidity, 3);
	assert_int_equal(cache_journal_done(c, a.id, &e), 0);
	cache_action_fini(&a);
	assert_int_equal(cache_journal_first(c, &a, &e), 0);
	cache_close(c);
	cleanup(path);
}

/* The journal's mailboxes are want (NULL-terminated), in that order. */
static void
assert_journal_mailboxes(struct cache *c, const char *const *want)
{
	struct err	 e;
	char		**names;
	size_t		 n, i;

	assert_int_equal(cache_journal_mailboxes(c, &names, &n, &e), 0);
	for (i = 0; i < n; i++) {
		assert_non_null(want[i]);
		assert_string_equal(names[i], want[i]);
		free(names[i]);
	}
	assert_null(want[n]);
	free(names);
}

/* The mailboxes with actions waiting, the one waiting longest first. */
static void
test_journal_mailboxes(void **state)
{
	static const char *const mb[] = { "Work", "INBOX", "Work", "Old" };
	static const char *const none[] = { NULL };
	static const char *const before[] = { "Work", "INBOX", "Old", NULL };
	static const char *const after[] = { "INBOX", "Work", "Old", NULL };
	struct cache		*c;
	struct cache_action	 a;
	struct err		 e;
	char			*path = tmp_path();
	int64_t			 first_work = 0;
	size_t			 i, n;

	(void)state;
	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_journal_mailboxes(c, none);
	assert_int_equal(cache_journal_count(c, &n, &e), 0);
	assert_int_equal(n, 0);
	for (i = 0; i < sizeof mb / sizeof mb[0]; i++) {
		memset(&a, 0, sizeof a);
		a.kind = CACHE_ACT_FLAG_ADD;
		a.mailbox = (char *)mb[i];
		a.uidvalidity = 7;
		a.uids = (char *)"1";
		a.arg = (char *)"\\Seen";
		assert_int_equal(cache_journal_add(c, &a, &e), 0);
		if (i == 0)
			first_work = a.id;
	}
	assert_journal_mailboxes(c, before);
	assert_int_equal(cache_journal_count(c, &n, &e), 0);
	assert_int_equal(n, 4);
	/* Work's oldest action done: INBOX now waits longest */
	assert_int_equal(cache_journal_done(c, first_work, &e), 0);
	assert_journal_mailboxes(c, after);
	assert_int_equal(cache_journal_count(c, &n, &e), 0);
	assert_int_equal(n, 3);
	cache_close(c);
	cleanup(path);
}

static void
test_open_errors(void **state)
{
	struct cache	*c;
	struct err	 e;

	err_clear(&e);
	assert_int_equal(cache_open("/nonexistent-dir/x/cache.db", 0, &c, &e),
	    -1);
	assert_int_equal(e.cls, ERR_LOCAL);
	assert_null(c);
}

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE	*f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* path's bytes are want's, len of them */
static bool
file_is(const char *path, const void *want, size_t len)
{
	char	*got = malloc(len + 1);
	FILE	*f = fopen(path, "rb");
	size_t	 n = 0;
	bool	 same;

	if (f != NULL) {
		n = fread(got, 1, len + 1, f);
		fclose(f);
	}
	same = f != NULL && n == len && memcmp(got, want, len) == 0;
	free(got);
	return same;
}

static int	 file_pragma(const char *, const char *);

/* A file that is not a database: moved aside, with its log, and made anew. */
static void
test_open_damaged(void **state)
{
	static const char	 junk_wal[] = "not a log";
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct err		 e;
	char			*path = tmp_path(), aside[300], b[300];
	unsigned char		 junk[20000];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 7 + 3);
	write_file(path, junk, sizeof junk);
	snprintf(b, sizeof b, "%s-wal", path);
	write_file(b, junk_wal, sizeof junk_wal);

	err_clear(&e);
	assert_int_equal(cache_open(path, 0, &c, &e), 1);
	assert_non_null(c);
	assert_non_null(strstr(e.msg, "damaged"));
	assert_non_null(strstr(e.msg, "not a database"));
	snprintf(aside, sizeof aside, "%s.damaged", path);
	assert_true(file_is(aside, junk, sizeof junk));
	snprintf(b, sizeof b, "%s.damaged-wal", path);
	assert_true(file_is(b, junk_wal, sizeof junk_wal));
	/* the new one works, and opens as a good file next time */
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "INBOX", 9, &e), 0);
	put(c, "INBOX", 1, "kept");
	cache_close(c);
	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.uidvalidity, 9);
	assert_int_equal(mb.count, 1);
	cache_close(c);
	unlink(aside);
	unlink(b);
	cleanup(path);
}

/* A database whose first page is damaged: the same. */
static void
test_open_corrupt(void **state)
{
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct err		 e;
	char			*path = tmp_path(), aside[300];
	unsigned char		 junk[3000];
	FILE			*f;

	(void)state;
	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "INBOX", 4, &e), 0);
	put(c, "INBOX", 1, "lost");
	cache_close(c);
	/* all of it in the file, none left in the log to cover the damage */
	assert_int_equal(file_pragma(path, "PRAGMA wal_checkpoint(TRUNCATE)"),
	    0);
	/* the schema's page, past the 100-byte file header */
	memset(junk, 0xA5, sizeof junk);
	assert_non_null(f = fopen(path, "r+b"));
	assert_int_equal(fseek(f, 100, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
	assert_int_equal(fclose(f), 0);

	err_clear(&e);
	assert_int_equal(cache_open(path, 0, &c, &e), 1);
	assert_non_null(strstr(e.msg, "damaged"));
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 0);
	cache_close(c);
	snprintf(aside, sizeof aside, "%s.damaged", path);
	assert_int_equal(access(aside, F_OK), 0);
	unlink(aside);
	snprintf(aside, sizeof aside, "%s.damaged-wal", path);
	unlink(aside);		/* if the log was left, empty */
	cleanup(path);
}

/* In a child: 0 if cache_open(path) gives want (-1: refused as in use). */
static int
open_in_child(const char *path, int want)
{
	struct cache	*c;
	struct err	 e;
	pid_t		 pid;
	int		 st, rv;

	if ((pid = fork()) == 0) {
		err_clear(&e);
		rv = cache_open(path, 0, &c, &e);
		if (rv == 0)
			cache_close(c);
		_exit(rv == want && (rv == 0 || (e.cls == ERR_TEMP &&
		    strstr(e.msg, "in use by another pons") != NULL)) ? 0 : 1);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
}

/* One process per cache file; its handles share the lock. */
static void
test_open_lock(void **state)
{
	struct cache	*c1, *c2;
	struct err	 e;
	char		*path = tmp_path();

	(void)state;
	assert_int_equal(cache_open(path, 0, &c1, &e), 0);
	assert_int_equal(cache_open(path, 0, &c2, &e), 0);
	assert_int_equal(open_in_child(path, -1), 0);
	cache_close(c1);
	/* the second handle still holds it, and still works */
	assert_int_equal(open_in_child(path, -1), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c2, "INBOX", 3, &e), 0);
	cache_close(c2);
	assert_int_equal(open_in_child(path, 0), 0);
	cleanup(path);
}

static void
test_slices_and_peek(void **state)
{
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct seen		 s;
	struct err		 e;
	char			*path = tmp_path();
	uint32_t		 uid;

	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "INBOX", 5, &e), 0);
	assert_int_equal(cache_begin(c, &e), 0);
	for (uid = 1; uid <= 10; uid++)
		put(c, "INBOX", uid, "x");
	put(c, "Other", 11, "y");
	assert_int_equal(cache_commit(c, &e), 0);
	assert_int_equal(cache_mailbox_set_state(c, "INBOX", 11, 42, &e), 0);

	/* peek: the state without counting */
	assert_int_equal(cache_mailbox_peek(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.uidvalidity, 5);
	assert_int_equal(mb.uidnext, 11);
	assert_int_equal(mb.highestmodseq, 42);
	assert_int_equal(mb.count, 0);
	assert_int_equal(cache_mailbox_peek(c, "Nowhere", &mb, &e), 0);

	/* slices newest first, each below the last UID seen */
	memset(&s, 0, sizeof s);
	assert_int_equal(cache_msgs_load_below(c, "INBOX", 0, 4, collect, &s,
	    &e), 4);
	assert_int_equal(cache_msgs_load_below(c, "INBOX", s.uids[3], 4,
	    collect, &s, &e), 4);
	assert_int_equal(cache_msgs_load_below(c, "INBOX", s.uids[7], 4,
	    collect, &s, &e), 2);
	assert_int_equal(s.n, 10);
	for (uid = 0; uid < 10; uid++)
		assert_int_equal(s.uids[uid], 10 - uid);
	assert_int_equal(cache_msgs_load_below(c, "INBOX", 1, 4, collect, &s,
	    &e), 0);
	cache_close(c);
	cleanup(path);
}

static void
one_row(void *arg, const struct cache_msg *m)
{
	struct cache_msg	*out = arg;

	assert_int_equal(out->uid, 0);
	out->uid = m->uid;
	out->sent = m->sent;
	out->subject = strdup(m->subject);
	out->from_show = strdup(m->from_show);
	out->from_addr = strdup(m->from_addr);
	out->to_show = m->to_show != NULL ? strdup(m->to_show) : NULL;
}

static void
test_decoded_fields(void **state)
{
	struct cache		*c;
	struct cache_msg	 m, got;
	struct err		 e;
	char			*path = tmp_path();

	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	memset(&m, 0, sizeof m);
	m.uid = 4;
	m.subject = "Gr\xc3\xbc\xc3\x9f" "e";
	m.from = "=?utf-8?q?J=C3=B6rg?= <j@example.org>";
	m.sent = 1700000000;
	m.from_show = "J\xc3\xb6rg";
	m.from_addr = "j@example.org";
	m.to_show = NULL;
	assert_int_equal(cache_msg_put(c, "INBOX", &m, &e), 0);
	m.uid = 5;
	m.sent = -1;
	assert_int_equal(cache_msg_put(c, "INBOX", &m, &e), 0);

	memset(&got, 0, sizeof got);
	assert_int_equal(cache_msgs_load_below(c, "INBOX", 5, 0, one_row, &got,
	    &e), 1);
	assert_int_equal(got.uid, 4);
	assert_true(got.sent == 1700000000);
	assert_string_equal(got.subject, "Gr\xc3\xbc\xc3\x9f" "e");
	assert_string_equal(got.from_show, "J\xc3\xb6rg");
	assert_string_equal(got.from_addr, "j@example.org");
	assert_null(got.to_show);
	free((char *)got.subject);
	free((char *)got.from_show);
	free((char *)got.from_addr);

	/* an unknown Date: stays unknown, not 1970 */
	memset(&got, 0, sizeof got);
	assert_int_equal(cache_msgs_load(c, "INBOX", 1, one_row, &got, &e), 1);
	assert_int_equal(got.uid, 5);
	assert_true(got.sent == -1);
	free((char *)got.subject);
	free((char *)got.from_show);
	free((char *)got.from_addr);
	cache_close(c);
	cleanup(path);
}

/*
 * A file as an older pons left it, with one row: schema version 1, or 2
 * (one column per field, in WAL mode), or an unknown one.
 */
static void
write_old_cache(const char *path, int version)
{
	sqlite3	*db;
	char	 sql[64];

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, version != 2 ?
	    "CREATE TABLE mailbox (id INTEGER PRIMARY KEY, name TEXT NOT NULL"
	    " UNIQUE, uidvalidity INTEGER NOT NULL, uidnext INTEGER NOT NULL,"
	    " highestmodseq INTEGER NOT NULL);"
	    "CREATE TABLE message (mbox INTEGER NOT NULL, uid INTEGER NOT NULL,"
	    " flags TEXT, modseq INTEGER, internaldate INTEGER, size INTEGER,"
	    " date TEXT, subject TEXT, from_ TEXT, to_ TEXT, cc TEXT,"
	    " message_id TEXT, in_reply_to TEXT, PRIMARY KEY (mbox, uid))"
	    " WITHOUT ROWID;"
	    "INSERT INTO mailbox VALUES (1, 'INBOX', 7, 3, 9);"
	    "INSERT INTO message (mbox, uid, subject) VALUES"
	    " (1, 2, '=?utf-8?q?undecoded?=');" :
	    "PRAGMA journal_mode = WAL;"
	    "CREATE TABLE mailbox (id INTEGER PRIMARY KEY, name TEXT NOT NULL"
	    " UNIQUE, uidvalidity INTEGER NOT NULL, uidnext INTEGER NOT NULL,"
	    " highestmodseq INTEGER NOT NULL);"
	    "CREATE TABLE message (mbox INTEGER NOT NULL, uid INTEGER NOT NULL,"
	    " flags TEXT, modseq INTEGER, internaldate INTEGER, size INTEGER,"
	    " date TEXT, subject TEXT, from_ TEXT, to_ TEXT, cc TEXT,"
	    " message_id TEXT, in_reply_to TEXT, sent INTEGER, from_show TEXT,"
	    " from_addr TEXT, to_show TEXT, PRIMARY KEY (mbox, uid))"
	    " WITHOUT ROWID;"
	    "CREATE TABLE journal (id INTEGER PRIMARY KEY AUTOINCREMENT,"
	    " kind INTEGER NOT NULL, mailbox TEXT NOT NULL, uidvalidity"
	    " INTEGER NOT NULL, uids TEXT NOT NULL, arg TEXT);"
	    "INSERT INTO mailbox VALUES (1, 'INBOX', 7, 3, 9);"
	    "INSERT INTO message (mbox, uid, subject, from_show) VALUES"
	    " (1, 2, 'old', 'Old');", NULL, NULL, NULL),
	    SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* The integer a PRAGMA says of the file at path. */
static int
file_pragma(const char *path, const char *pragma)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, pragma, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static int
file_version(const char *path)
{
	return file_pragma(path, "PRAGMA user_version");
}

/* 1 if the file is in WAL mode. */
static int
file_wal(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 wal = 0;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1,
	    &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		wal = strcmp((const char *)sqlite3_column_text(st, 0),
		    "wal") == 0;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return wal;
}

static void
test_schema_upgrade(void **state)
{
	static const int	 versions[] = { 1, 2, 99 };
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct seen		 s;
	struct err		 e;
	char			*path, b[300];
	size_t			 i;
	FILE			*f;

	for (i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		path = tmp_path();
		write_old_cache(path, versions[i]);
		/* rebuilt: the old rows are gone, the new schema works */
		assert_int_equal(cache_open(path, 0, &c, &e), 0);
		assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 0);
		memset(&s, 0, sizeof s);
		assert_int_equal(cache_msgs_load(c, "INBOX", 0, collect, &s,
		    &e), 0);
		put(c, "INBOX", 3, "new");
		assert_int_equal(cache_msgs_load(c, "INBOX", 0, collect, &s,
		    &e), 1);
		assert_string_equal(s.subj[0], "new");
		cache_close(c);
		assert_int_equal(file_version(path), 3);
		/* with the pages of a new file, still in WAL mode */
		assert_int_equal(file_pragma(path, "PRAGMA page_size"),
		    16384);
		assert_int_equal(file_wal(path), 1);
		/* and opened again as it is */
		assert_int_equal(cache_open(path, 0, &c, &e), 0);
		assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
		assert_int_equal(mb.count, 1);
		cache_close(c);
		cleanup(path);
	}

	/* not a database at all: said, not a crash, and made anew (see
	 * test_open_damaged) */
	path = tmp_path();
	assert_non_null(f = fopen(path, "w"));
	fputs("this is not an SQLite file, but it is long enough to look "
	    "like one might be here; pons must refuse it cleanly.\n", f);
	fclose(f);
	err_clear(&e);
	c = NULL;
	assert_int_equal(cache_open(path, 0, &c, &e), 1);
	assert_int_equal(e.cls, ERR_LOCAL);
	assert_non_null(c);
	cache_close(c);
	snprintf(b, sizeof b, "%s.damaged", path);
	assert_int_equal(unlink(b), 0);
	cleanup(path);
}

/* Storage of rows (schema 3): see the file comment. */

#define NSTR	11

/* A row copied out of a callback; strings owned, NULL kept. */
struct row {
	struct cache_msg	 m;
	char			*s[NSTR];
};

struct rows {
	struct row	*r;
	size_t		 n, cap;
};

static const char **
msg_str(struct cache_msg *m, size_t i)
{
	const char	**v[NSTR] = { &m->flags, &m->date, &m->subject,
	    &m->from, &m->to, &m->cc, &m->message_id, &m->in_reply_to,
	    &m->from_show, &m->from_addr, &m->to_show };

	return v[i];
}

static void
collect_rows(void *arg, const struct cache_msg *m)
{
	struct rows	*rs = arg;
	struct row	*r;
	size_t		 i;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap == 0 ? 64 : rs->cap * 2;
		rs->r = realloc(rs->r, rs->cap * sizeof *rs->r);
		assert_non_null(rs->r);
	}
	r = &rs->r[rs->n++];
	r->m = *m;
	for (i = 0; i < NSTR; i++) {
		const char	*t = *msg_str(&r->m, i);

		r->s[i] = t != NULL ? strdup(t) : NULL;
		*msg_str(&r->m, i) = r->s[i];
	}
}

static void
rows_free(struct rows *rs)
{
	size_t	 i, j;

	for (i = 0; i < rs->n; i++)
		for (j = 0; j < NSTR; j++)
			free(rs->r[i].s[j]);
	free(rs->r);
	memset(rs, 0, sizeof *rs);
}

static void
assert_same(const struct cache_msg *got, struct cache_msg *want)
{
	size_t	 i;

	assert_int_equal(got->uid, want->uid);
	assert_true(got->modseq == want->modseq);
	assert_true(got->internaldate == want->internaldate);
	assert_true(got->size == want->size);
	assert_true(got->sent == want->sent);
	for (i = 0; i < NSTR; i++) {
		const char	*g = *msg_str((struct cache_msg *)got, i);
		const char	*w = *msg_str(want, i);

		if (w == NULL)
			assert_null(g);
		else {
			assert_non_null(g);
			assert_string_equal(g, w);
		}
	}
}

static void
test_round_trip(void **state)
{
	static char		 longs[200001], high[256];
	struct cache_msg	 want[5];
	struct cache		*c;
	struct rows		 rs = { NULL, 0, 0 };
	struct err		 e;
	char			*path = tmp_path();
	size_t			 i, j;

	/* long, and every byte but NUL, 8-bit ones included */
	for (i = 0; i < sizeof longs - 1; i++)
		longs[i] = (char)(1 + i % 255);
	for (i = 0; i < sizeof high - 1; i++)
		high[i] = (char)(0x80 + i % 0x80);
	memset(want, 0, sizeof want);
	/* all NULL, integers at their extremes */
	want[0].uid = UINT32_MAX;
	want[0].modseq = UINT64_MAX;
	want[0].internaldate = INT64_MIN;
	want[0].size = UINT64_MAX;
	want[0].sent = INT64_MAX;
	/* all empty */
	want[1].uid = 1;
	want[1].internaldate = -1;
	want[1].sent = -1;
	for (j = 0; j < NSTR; j++)
		*msg_str(&want[1], j) = "";
	/* all long */
	want[2].uid = 2;
	want[2].modseq = 1;
	want[2].internaldate = 1700000000;
	want[2].size = 127;
	want[2].sent = 0;
	for (j = 0; j < NSTR; j++)
		*msg_str(&want[2], j) = longs;
	/* 8-bit, and a mix of NULL and text */
	want[3].uid = 0x80000000u;
	want[3].internaldate = INT64_MAX;
	want[3].size = 128;
	want[3].sent = INT64_MIN;
	for (j = 0; j < NSTR; j++)
		*msg_str(&want[3], j) = j % 2 == 0 ? high : NULL;
	/* a realistic row, put outside a transaction */
	want[4].uid = 3;
	want[4].flags = "\\Seen $Junk";
	want[4].modseq = 99;
	want[4].internaldate = 1700000123;
	want[4].size = 4242;
	want[4].date = "Tue, 14 Nov 2023 22:13:20 +0000";
	want[4].subject = "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln";
	want[4].from = "=?utf-8?q?J=C3=B6rg?= <j@example.org>";
	want[4].to = "a@example.net, b@example.net";
	want[4].message_id = "<1@example.org>";
	want[4].sent = 1700000100;
	want[4].from_show = "J\xc3\xb6rg";
	want[4].from_addr = "j@example.org";
	want[4].to_show = "a@example.net";

	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "INBOX", 1, &e), 0);
	assert_int_equal(cache_begin(c, &e), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(cache_msg_put(c, "INBOX", &want[i], &e), 0);
	assert_int_equal(cache_commit(c, &e), 0);
	assert_int_equal(cache_msg_put(c, "INBOX", &want[4], &e), 0);
	cache_close(c);

	/* from the file, newest first */
	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_msgs_load(c, "INBOX", 0, collect_rows, &rs, &e), 5);
	assert_same(&rs.r[0].m, &want[0]);
	assert_same(&rs.r[1].m, &want[3]);
	assert_same(&rs.r[2].m, &want[4]);
	assert_same(&rs.r[3].m, &want[2]);
	assert_same(&rs.r[4].m, &want[1]);
	rows_free(&rs);

	/* a flag update keeps the packed fields; modseq 0 keeps modseq */
	assert_int_equal(cache_flags_put(c, "INBOX", 3, "\\Answered", 0, &e),
	    1);
	assert_int_equal(cache_flags_put(c, "INBOX", 2, NULL, 500, &e), 1);
	assert_int_equal(cache_msgs_load_below(c, "INBOX", 4, 2, collect_rows, &rs,
	    &e), 2);
	want[4].flags = "\\Answered";
	assert_same(&rs.r[0].m, &want[4]);
	want[2].flags = NULL;
	want[2].modseq = 500;
	assert_same(&rs.r[1].m, &want[2]);
	rows_free(&rs);

	/* UID 0 is no UID */
	want[4].uid = 0;
	err_clear(&e);
	assert_int_equal(cache_msg_put(c, "INBOX", &want[4], &e), -1);
	assert_int_equal(e.cls, ERR_INPUT);
	cache_close(c);
	cleanup(path);
}

static void
test_rows_wait_in_tx(void **state)
{
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct rows		 rs = { NULL, 0, 0 };
	struct err		 e;
	char			*path = tmp_path();

	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "INBOX", 1, &e), 0);
	assert_int_equal(cache_begin(c, &e), 0);
	put(c, "INBOX", 5, "a");
	put(c, "INBOX", 3, "three");
	put(c, "INBOX", 9, "nine");
	put(c, "INBOX", 5, "b");	/* the later put wins */
	/* every call that reads or changes rows sees them */
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.count, 3);
	put(c, "INBOX", 7, "seven");
	assert_int_equal(cache_flags_put(c, "INBOX", 7, "\\Flagged", 8, &e),
	    1);
	put(c, "INBOX", 11, "eleven");
	assert_int_equal(cache_msgs_delete(c, "INBOX", 9, 9, &e), 1);
	put(c, "INBOX", 12, "twelve");
	assert_int_equal(cache_msgs_load(c, "INBOX", 0, collect_rows, &rs, &e), 5);
	assert_int_equal(rs.r[0].m.uid, 12);
	assert_int_equal(rs.r[1].m.uid, 11);
	assert_int_equal(rs.r[2].m.uid, 7);
	assert_string_equal(rs.r[2].m.flags, "\\Flagged");
	assert_true(rs.r[2].m.modseq == 8);
	assert_int_equal(rs.r[3].m.uid, 5);
	assert_string_equal(rs.r[3].m.subject, "b");
	assert_int_equal(rs.r[4].m.uid, 3);
	rows_free(&rs);
	put(c, "INBOX", 13, "thirteen");
	assert_int_equal(cache_commit(c, &e), 0);

	/* a rolled back transaction leaves neither written nor waiting rows */
	assert_int_equal(cache_begin(c, &e), 0);
	put(c, "INBOX", 20, "gone");
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.count, 7);
	put(c, "INBOX", 21, "gone too");
	cache_rollback(c);
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.count, 6);
	/* and a transaction left open at close is rolled back */
	assert_int_equal(cache_begin(c, &e), 0);
	put(c, "INBOX", 22, "never");
	cache_close(c);

	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_msgs_load(c, "INBOX", 2, collect_rows, &rs, &e), 2);
	assert_int_equal(rs.r[0].m.uid, 13);
	assert_int_equal(rs.r[1].m.uid, 12);
	rows_free(&rs);
	cache_close(c);
	cleanup(path);
}

/*
 * Another connection holding the file's write lock: a flight that runs
 * meanwhile fails once the busy timeout has passed.
 */
static sqlite3 *
lock_hold(const char *path)
{
	sqlite3	*other;

	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL), SQLITE_OK);
	return other;
}

static void
lock_release(sqlite3 *other)
{
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(other);
}

/*
 * A commit hands its rows to a flight (a thread of the cache's) and
 * returns: the next calls see them, in order with what follows, and a
 * failed flight (here: another connection holds the write lock past the
 * busy timeout) is told by the next commit, with the rows packed
 * meanwhile gone too, and nothing of it in the file.
 */
static void
test_commit_flight(void **state)
{
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct rows		 rs = { NULL, 0, 0 };
	struct err		 e;
	sqlite3			*other;
	char			*path = tmp_path();

	(void)state;
	c = inbox_begun(path, 1001, 2000, "first");
	assert_int_equal(cache_commit(c, &e), 0);
	/* the next transaction: a row of the flight again, and its flags */
	assert_int_equal(cache_begin(c, &e), 0);
	put(c, "INBOX", 1500, "later");
	assert_int_equal(cache_flags_put(c, "INBOX", 1999, "\\Flagged", 0,
	    &e), 1);
	assert_int_equal(cache_commit(c, &e), 0);
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.count, 1000);
	assert_int_equal(cache_msgs_load_below(c, "INBOX", 2001, 2,
	    collect_rows, &rs, &e), 2);
	assert_int_equal(rs.r[1].m.uid, 1999);
	assert_string_equal(rs.r[1].m.flags, "\\Flagged");
	rows_free(&rs);
	assert_int_equal(cache_msgs_load_below(c, "INBOX", 1501, 1,
	    collect_rows, &rs, &e), 1);
	assert_string_equal(rs.r[0].m.subject, "later");
	rows_free(&rs);

	/* a flight that cannot write */
	other = lock_hold(path);
	assert_int_equal(cache_begin(c, &e), 0);
	put(c, "INBOX", 3001, "lost");
	assert_int_equal(cache_commit(c, &e), 0);	/* told later */
	assert_int_equal(cache_begin(c, &e), 0);
	put(c, "INBOX", 3002, "packed meanwhile");
	/* this read waits for the flight, then cannot begin either */
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), -1);
	lock_release(other);
	/* a transaction that wrote, so its commit starts a flight too */
	assert_int_equal(cache_flags_put(c, "INBOX", 1001, "\\Seen", 0, &e),
	    1);
	put(c, "INBOX", 3003, "after");
	e.cls = ERR_NONE;
	assert_int_equal(cache_commit(c, &e), -1);
	assert_non_null(strstr(e.msg, "locked"));
	/* told once; this transaction went in */
	assert_int_equal(cache_begin(c, &e), 0);
	put(c, "INBOX", 3004, "then");
	assert_int_equal(cache_commit(c, &e), 0);
	cache_close(c);
	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.count, 1002);
	assert_int_equal(cache_msgs_load(c, "INBOX", 3, collect_rows, &rs,
	    &e), 3);
	assert_int_equal(rs.r[0].m.uid, 3004);
	assert_int_equal(rs.r[1].m.uid, 3003);
	assert_int_equal(rs.r[2].m.uid, 2000);
	rows_free(&rs);
	cache_close(c);
	cleanup(path);
}

/*
 * The in-step state after a commit whose rows did not go in: refused,
 * with that commit's error, so that it never claims the lost rows.
 */
static void
test_state_after_failed_flight(void **state)
{
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct err		 e;
	sqlite3			*other;
	char			*path = tmp_path();
	uint32_t		 uid;

	(void)state;
	c = inbox_begun(path, 1, 10, "in");
	assert_int_equal(cache_mailbox_set_state(c, "INBOX", 11, 5, &e), 0);
	assert_int_equal(cache_commit(c, &e), 0);
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1); /* landed */
	assert_int_equal(mb.uidnext, 11);
	/* the next chunk's flight cannot write */
	other = lock_hold(path);
	assert_int_equal(cache_begin(c, &e), 0);
	for (uid = 11; uid <= 20; uid++)
		put(c, "INBOX", uid, "lost");
	assert_int_equal(cache_commit(c, &e), 0);	/* told later */
	/* a read waits for the flight to give up (the busy timeout) */
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.count, 10);
	lock_release(other);
	/* the last chunk: its state is refused, with the lost rows' error */
	assert_int_equal(cache_begin(c, &e), 0);
	put(c, "INBOX", 21, "last");
	e.cls = ERR_NONE;
	assert_int_equal(cache_mailbox_set_state(c, "INBOX", 22, 9, &e), -1);
	assert_non_null(strstr(e.msg, "locked"));
	assert_int_equal(cache_commit(c, &e), 0);	/* told once */
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.uidnext, 11);
	assert_int_equal(mb.highestmodseq, 5);
	assert_int_equal(mb.count, 11);
	cache_close(c);
	cleanup(path);
}

/* Chunks newest first, of sizes that use every batch size and overflow. */
static void
test_bulk_orders(void **state)
{
	static const uint32_t	 lo[] = { 9001, 8728, 4228, 4221, 1 };
	static const uint32_t	 hi[] = { 10000, 9000, 8727, 4227, 4220 };
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct rows		 rs = { NULL, 0, 0 };
	struct err		 e;
	char			*path = tmp_path(), subj[16];
	uint32_t		 uid, n;
	size_t			 k, i;

	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "INBOX", 1, &e), 0);
	for (k = 0; k < sizeof lo / sizeof lo[0]; k++) {
		assert_int_equal(cache_begin(c, &e), 0);
		n = hi[k] - lo[k] + 1;
		for (i = 0; i < n; i++) {
			/* ascending, descending, then interleaved */
			uid = k % 3 == 0 ? lo[k] + (uint32_t)i : k % 3 == 1 ?
			    hi[k] - (uint32_t)i : lo[k] + (uint32_t)((i * 7) %
			    n);
			snprintf(subj, sizeof subj, "s%u", uid);
			put(c, "INBOX", uid, subj);
		}
		assert_int_equal(cache_commit(c, &e), 0);
	}
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.count, 10000);
	assert_int_equal(cache_msgs_load(c, "INBOX", 0, collect_rows, &rs, &e),
	    10000);
	for (i = 0; i < rs.n; i++) {
		assert_int_equal(rs.r[i].m.uid, 10000 - i);
		snprintf(subj, sizeof subj, "s%u", rs.r[i].m.uid);
		assert_string_equal(rs.r[i].m.subject, subj);
	}
	rows_free(&rs);
	cache_close(c);
	cleanup(path);
}

/* UIDs 1 and 2^32-1 in neighbouring mailboxes never mix. */
static void
test_edges(void **state)
{
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct rows		 rs = { NULL, 0, 0 };
	struct err		 e;
	char			*path = tmp_path();
	uint32_t		 lo = 2, hi = UINT32_MAX - 1;

	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "A", 1, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "B", 1, &e), 0);
	put(c, "A", 1, "a-first");
	put(c, "A", UINT32_MAX, "a-last");
	put(c, "B", 1, "b-first");
	put(c, "B", UINT32_MAX, "b-last");
	put(c, "B", 5, "b-mid");
	assert_int_equal(cache_msgs_load(c, "A", 0, collect_rows, &rs, &e), 2);
	assert_string_equal(rs.r[0].m.subject, "a-last");
	assert_string_equal(rs.r[1].m.subject, "a-first");
	rows_free(&rs);
	assert_int_equal(cache_msgs_load_below(c, "B", UINT32_MAX, 0,
	    collect_rows, &rs, &e), 2);
	assert_int_equal(rs.r[0].m.uid, 5);
	assert_int_equal(rs.r[1].m.uid, 1);
	rows_free(&rs);
	assert_int_equal(cache_msgs_load_below(c, "B", 2, 0, collect_rows, &rs,
	    &e), 1);
	assert_int_equal(rs.r[0].m.uid, 1);
	rows_free(&rs);
	/* keep only 2:2^32-2 in B: both edges go, A keeps its own */
	assert_int_equal(cache_msgs_keep_only(c, "B", &lo, &hi, 1, &e), 2);
	assert_int_equal(cache_mailbox_get(c, "B", &mb, &e), 1);
	assert_int_equal(mb.count, 1);
	assert_int_equal(cache_mailbox_get(c, "A", &mb, &e), 1);
	assert_int_equal(mb.count, 2);
	assert_int_equal(cache_msgs_delete(c, "A", 1, UINT32_MAX, &e), 2);
	assert_int_equal(cache_mailbox_get(c, "B", &mb, &e), 1);
	assert_int_equal(mb.count, 1);
	assert_int_equal(cache_flags_put(c, "A", UINT32_MAX, "x", 0, &e), 0);
	cache_close(c);
	cleanup(path);
}

static void
sql(const char *path, const char *q)
{
	sqlite3	*db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* A damaged packed field is an error to report, not a crash. */
static void
test_damaged_rows(void **state)
{
	static const char *const damage[] = {
		("UPDATE message SET packed = substr(packed, 1, "
		    "length(packed) - 1)"),		/* cut short */
		"UPDATE message SET packed = packed || x'00'",	/* too long */
		"UPDATE message SET packed = x'020202ff'",	/* n past end */
		"UPDATE message SET packed = x'ffffffffffffffffffffff'",
		"UPDATE message SET packed = x'020202027878'",	/* no NUL */
		"UPDATE message SET packed = NULL",
		"UPDATE message SET packed = 'text'",
	};
	struct cache		*c;
	struct rows		 rs = { NULL, 0, 0 };
	struct err		 e;
	char			*path;
	size_t			 i;

	for (i = 0; i < sizeof damage / sizeof damage[0]; i++) {
		path = tmp_path();
		assert_int_equal(cache_open(path, 0, &c, &e), 0);
		put(c, "INBOX", 1, "fine");
		cache_close(c);
		sql(path, damage[i]);
		assert_int_equal(cache_open(path, 0, &c, &e), 0);
		err_clear(&e);
		assert_int_equal(cache_msgs_load(c, "INBOX", 0, collect_rows, &rs,
		    &e), -1);
		assert_int_equal(e.cls, ERR_LOCAL);
		assert_int_equal(rs.n, 0);
		cache_close(c);
		cleanup(path);
	}
}

/* Copy the main file alone: what a checkpoint has put there. */
static char *
main_file_copy(const char *path)
{
	char	*copy = tmp_path(), b[4096];
	FILE	*in, *out;
	size_t	 n;

	assert_non_null(in = fopen(path, "rb"));
	assert_non_null(out = fopen(copy, "wb"));
	while ((n = fread(b, 1, sizeof b, in)) > 0)
		assert_int_equal(fwrite(b, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
	return copy;
}

/* Bytes in path's write-ahead log (0: none). */
static off_t
wal_size(const char *path)
{
	struct stat	 st;
	char		 b[300];

	snprintf(b, sizeof b, "%s-wal", path);
	return stat(b, &st) == 0 ? st.st_size : 0;
}

/* The mailbox's cached row count in a copy of path's main file alone. */
static int
main_file_count(const char *path)
{
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct err		 e;
	char			*copy = main_file_copy(path);
	int			 n = -1;

	assert_int_equal(cache_open(copy, 0, &c, &e), 0);
	if (cache_mailbox_get(c, "INBOX", &mb, &e) == 1)
		n = (int)mb.count;
	cache_close(c);
	cleanup(copy);
	return n;
}

/*
 * The first journal entry of a copy of path's main file alone, waiting
 * for it up to 10 s (the cache's thread syncs it): false if none came.
 */
static bool
main_file_journal(const char *path, struct cache_action *a)
{
	struct cache	*c;
	struct err	 e;
	char		*copy;
	int		 i, rc = 0;

	for (i = 0; i < 1000 && rc != 1; i++) {
		if (i > 0)
			usleep(10000);
		copy = main_file_copy(path);
		assert_int_equal(cache_open(copy, 0, &c, &e), 0);
		rc = cache_journal_first(c, a, &e);
		cache_close(c);
		cleanup(copy);
	}
	return rc == 1;
}

static void
test_checkpoint_and_journal(void **state)
{
	struct cache		*c;
	struct cache_mailbox	 mb;
	struct cache_action	 a;
	struct err		 e;
	char			*path = tmp_path();
	char			 big[1024];
	uint32_t		 uid;

	(void)state;
	/* committed rows wait in the log; the close leaves a short log */
	c = inbox_begun(path, 1, 300, "row");
	assert_int_equal(cache_commit(c, &e), 0);
	assert_int_equal(main_file_count(path), -1);
	cache_close(c);
	assert_true(wal_size(path) > 0);
	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.count, 300);
	cache_close(c);

	/* a long one (over 4 MiB in one commit) goes into the file */
	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(cache_begin(c, &e), 0);
	for (uid = 1000; uid < 6000; uid++)
		put(c, "INBOX", uid, big);
	assert_int_equal(cache_commit(c, &e), 0);
	cache_close(c);
	assert_int_equal(wal_size(path), 0);
	assert_int_equal(main_file_count(path), 5300);
	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_get(c, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.count, 5300);

	/* cache_checkpoint: a no-op inside a transaction, else complete */
	assert_int_equal(cache_begin(c, &e), 0);
	put(c, "INBOX", 301, "row");
	assert_int_equal(cache_checkpoint(c, &e), 0);
	assert_int_equal(cache_commit(c, &e), 0);
	assert_int_equal(cache_checkpoint(c, &e), 0);
	assert_int_equal(main_file_count(path), 5301);
	cache_close(c);
	cleanup(path);

	/* a journal entry reaches the file by itself, the cache still open */
	path = tmp_path();
	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	memset(&a, 0, sizeof a);
	a.kind = CACHE_ACT_EXPUNGE;
	a.mailbox = (char *)"INBOX";
	a.uidvalidity = 1;
	a.uids = (char *)"7";
	assert_int_equal(cache_journal_add(c, &a, &e), 0);
	assert_true(main_file_journal(path, &a));
	assert_int_equal(a.kind, CACHE_ACT_EXPUNGE);
	assert_string_equal(a.uids, "7");
	cache_action_fini(&a);
	cache_close(c);
	cleanup(path);

	/* ... or, inside a transaction, once it commits */
	path = tmp_path();
	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_begin(c, &e), 0);
	a.kind = CACHE_ACT_MOVE;
	a.mailbox = (char *)"INBOX";
	a.uidvalidity = 1;
	a.uids = (char *)"8";
	a.arg = (char *)"Trash";
	assert_int_equal(cache_journal_add(c, &a, &e), 0);
	assert_int_equal(cache_commit(c, &e), 0);
	assert_true(main_file_journal(path, &a));
	assert_int_equal(a.kind, CACHE_ACT_MOVE);
	assert_string_equal(a.arg, "Trash");
	cache_action_fini(&a);
	cache_close(c);
	cleanup(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_and_uidvalidity),
		cmocka_unit_test(test_delete_and_keep),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_journal_and_reopen),
		cmocka_unit_test(test_journal_mailboxes),
		cmocka_unit_test(test_open_damaged),
		cmocka_unit_test(test_open_corrupt),
		cmocka_unit_test(test_open_lock),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_slices_and_peek),
		cmocka_unit_test(test_decoded_fields),
		cmocka_unit_test(test_schema_upgrade),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_rows_wait_in_tx),
		cmocka_unit_test(test_commit_flight),
		cmocka_unit_test(test_state_after_failed_flight),
		cmocka_unit_test(test_bulk_orders),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_damaged_rows),
		cmocka_unit_test(test_checkpoint_and_journal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
