/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for how the IMAP cache stores rows: every field of a row
 * round trips (NULL, empty, long and 8-bit strings, extreme integers);
 * rows put inside a transaction are seen by every later call and are
 * gone after a rollback; bulk chunks in any order; UIDs at the edges of
 * two mailboxes; damaged rows refused cleanly; a checkpoint and a
 * journal entry reach the main file (not only the write-ahead log).
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
#include <sqlite3.h>

#include "store/cache.h"
#include "util/err.h"

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
collect(void *arg, const struct cache_msg *m)
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

static char *
tmp_path(void)
{
	char	*p = strdup("/tmp/pons-cache-rows-XXXXXX");
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
	assert_int_equal(cache_msgs_load(c, "INBOX", 0, collect, &rs, &e), 5);
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
	assert_int_equal(cache_msgs_load_below(c, "INBOX", 4, 2, collect, &rs,
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
put(struct cache *c, const char *mbox, uint32_t uid, const char *subj)
{
	struct cache_msg	 m;
	struct err		 e;

	memset(&m, 0, sizeof m);
	m.uid = uid;
	m.subject = subj;
	m.flags = "\\Seen";
	m.sent = -1;
	assert_int_equal(cache_msg_put(c, mbox, &m, &e), 0);
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
	assert_int_equal(cache_msgs_load(c, "INBOX", 0, collect, &rs, &e), 5);
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
	assert_int_equal(cache_msgs_load(c, "INBOX", 2, collect, &rs, &e), 2);
	assert_int_equal(rs.r[0].m.uid, 13);
	assert_int_equal(rs.r[1].m.uid, 12);
	rows_free(&rs);
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
	assert_int_equal(cache_msgs_load(c, "INBOX", 0, collect, &rs, &e),
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
	assert_int_equal(cache_msgs_load(c, "A", 0, collect, &rs, &e), 2);
	assert_string_equal(rs.r[0].m.subject, "a-last");
	assert_string_equal(rs.r[1].m.subject, "a-first");
	rows_free(&rs);
	assert_int_equal(cache_msgs_load_below(c, "B", UINT32_MAX, 0, collect,
	    &rs, &e), 2);
	assert_int_equal(rs.r[0].m.uid, 5);
	assert_int_equal(rs.r[1].m.uid, 1);
	rows_free(&rs);
	assert_int_equal(cache_msgs_load_below(c, "B", 2, 0, collect, &rs,
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
		"UPDATE message SET packed = substr(packed, 1, "
		    "length(packed) - 1)",		/* cut short */
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
		assert_int_equal(cache_msgs_load(c, "INBOX", 0, collect, &rs,
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

static void
test_checkpoint_and_journal(void **state)
{
	struct cache		*c, *c2;
	struct cache_mailbox	 mb;
	struct cache_action	 a;
	struct err		 e;
	char			*path = tmp_path(), *copy;
	uint32_t		 uid;

	assert_int_equal(cache_open(path, 0, &c, &e), 0);
	assert_int_equal(cache_mailbox_set_uidvalidity(c, "INBOX", 1, &e), 0);
	assert_int_equal(cache_begin(c, &e), 0);
	for (uid = 1; uid <= 300; uid++)
		put(c, "INBOX", uid, "row");
	assert_int_equal(cache_commit(c, &e), 0);
	/* a no-op inside a transaction */
	assert_int_equal(cache_begin(c, &e), 0);
	assert_int_equal(cache_checkpoint(c, &e), 0);
	cache_rollback(c);
	assert_int_equal(cache_checkpoint(c, &e), 0);
	copy = main_file_copy(path);
	assert_int_equal(cache_open(copy, 0, &c2, &e), 0);
	assert_int_equal(cache_mailbox_get(c2, "INBOX", &mb, &e), 1);
	assert_int_equal(mb.count, 300);
	cache_close(c2);
	cleanup(copy);

	/* a journal entry is in the main file when the call returns ... */
	memset(&a, 0, sizeof a);
	a.kind = CACHE_ACT_EXPUNGE;
	a.mailbox = (char *)"INBOX";
	a.uidvalidity = 1;
	a.uids = (char *)"7";
	assert_int_equal(cache_journal_add(c, &a, &e), 0);
	copy = main_file_copy(path);
	assert_int_equal(cache_open(copy, 0, &c2, &e), 0);
	assert_int_equal(cache_journal_first(c2, &a, &e), 1);
	assert_int_equal(a.kind, CACHE_ACT_EXPUNGE);
	assert_string_equal(a.uids, "7");
	cache_action_fini(&a);
	cache_close(c2);
	cleanup(copy);

	/* ... or, inside a transaction, when cache_commit returns */
	assert_int_equal(cache_begin(c, &e), 0);
	a.kind = CACHE_ACT_MOVE;
	a.mailbox = (char *)"INBOX";
	a.uidvalidity = 1;
	a.uids = (char *)"8";
	a.arg = (char *)"Trash";
	assert_int_equal(cache_journal_add(c, &a, &e), 0);
	assert_int_equal(cache_commit(c, &e), 0);
	copy = main_file_copy(path);
	assert_int_equal(cache_open(copy, 0, &c2, &e), 0);
	assert_int_equal(cache_journal_first(c2, &a, &e), 1);
	assert_int_equal(cache_journal_done(c2, a.id, &e), 0);
	cache_action_fini(&a);
	assert_int_equal(cache_journal_first(c2, &a, &e), 1);
	assert_int_equal(a.kind, CACHE_ACT_MOVE);
	assert_string_equal(a.arg, "Trash");
	cache_action_fini(&a);
	cache_close(c2);
	cleanup(copy);
	cache_close(c);
	cleanup(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_rows_wait_in_tx),
		cmocka_unit_test(test_bulk_orders),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_damaged_rows),
		cmocka_unit_test(test_checkpoint_and_journal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
