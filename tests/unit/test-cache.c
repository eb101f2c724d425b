/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the IMAP cache: rows keyed by mailbox, UIDVALIDITY and
 * UID; a UIDVALIDITY change discards the mailbox; chunks as transactions;
 * the body size cap; the offline journal in order; persistence.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_and_uidvalidity),
		cmocka_unit_test(test_delete_and_keep),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_journal_and_reopen),
		cmocka_unit_test(test_open_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
