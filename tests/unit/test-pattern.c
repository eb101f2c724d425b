/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the search/limit pattern language (app/pattern.c) and
 * the folder model's view (limit, sort, threads).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/folder.h"
#include "app/pattern.h"

/* 2026-11-26 12:00:00 UTC */
#define NOW	((time_t)1795694400)
#define DAY	86400

static struct folder *
fixture(void)
{
	static const struct {
		const char	*from, *subject, *msgid, *parent;
		int64_t		 age;		/* days before NOW */
		unsigned int	 flags;
		uint64_t	 size;
	} rows[] = {
		{ "Alice Example", "Lunch on Friday", "a@x", "", 1,
		    FOLDER_SEEN, 1200 },
		{ "Bob", "Re: Lunch on Friday", "b@x", "a@x", 0, 0, 300 },
		{ "Carol", "Invoice 2026-11", "c@x", "", 40,
		    FOLDER_SEEN | FOLDER_FLAGGED, 50000 },
		{ "dave@example.org", "Status", "d@x", "", 400,
		    FOLDER_SEEN | FOLDER_DELETED, 10 },
		{ "Alice Example", "Re: Re: Lunch on Friday", "e@x", "b@x", 0,
		    FOLDER_SEEN | FOLDER_ANSWERED, 800 },
	};
	struct folder		*f = folder_new("inbox");
	struct folder_msg	 m;
	size_t			 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		memset(&m, 0, sizeof m);
		m.from = rows[i].from;
		m.subject = rows[i].subject;
		m.msgid = rows[i].msgid;
		m.parent = rows[i].parent;
		m.date = (int64_t)NOW - rows[i].age * DAY + (int64_t)i;
		m.received = m.date;
		m.flags = rows[i].flags;
		m.size = rows[i].size;
		folder_add(f, &m);
	}
	folder_view_rebuild(f);
	return f;
}

/* Which rows match text, as a string of row digits ("024"). */
static void
matches(const char *text, char *out)
{
	struct folder	*f = fixture();
	struct pattern	*p;
	struct err	 e;
	uint32_t	 r;

	p = pattern_parse(text, NOW, &e);
	if (p == NULL)
		fail_msg("%s: %s", text, e.msg);
	for (r = 0; r < folder_count(f); r++)
		if (pattern_match(p, f, r))
			*out++ = (char)('0' + r);
	*out = '\0';
	pattern_free(p);
	folder_free(f);
}

static void
test_pattern_match_table(void **state)
{
	static const struct {
		const char	*pattern;
		const char	*want;
	} cases[] = {
		{ "~f alice", "04" },
		{ "~f ALICE", "04" },
		{ "~s lunch", "014" },
		{ "~s \"on friday\"", "014" },
		{ "~s 'invoice 2026'", "2" },
		{ "~N", "1" },
		{ "~O", "0234" },
		{ "~F", "2" },
		{ "~D", "3" },
		{ "~r", "4" },
		{ "~A", "01234" },
		{ "!~D", "0124" },
		{ "~f alice ~s re:", "4" },
		{ "~f alice & ~s re:", "4" },
		{ "~f bob | ~F", "12" },
		{ "!(~f alice | ~f bob)", "23" },
		{ "lunch", "014" },
		{ "example", "034" },
		{ "~d <2d", "014" },
		{ "~d >30d", "23" },
		{ "~d 2026-11-26", "14" },
		{ "~d 2026-10-01..2026-11-25", "02" },
		{ "~d ..2025-12-31", "3" },
		{ "~d 2026-01-01..", "0124" },
		{ "~b anything", "" },		/* no body provider */
		{ "~s nomatch", "" },
	};
	char	 got[16];
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		matches(cases[i].pattern, got);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"",
			    cases[i].pattern, got, cases[i].want);
	}
}

static void
test_pattern_errors(void **state)
{
	static const struct {
		const char	*pattern;
		const char	*msg;
	} cases[] = {
		{ "", "pattern expected" },
		{ "~q x", "unknown ~ operator" },
		{ "~f", "text expected" },
		{ "(~N", "')' expected" },
		{ "~N)", "unbalanced ')'" },
		{ "~s \"open", "unterminated quote" },
		{ "~d", "date range expected" },
		{ "~d <3x", "date unit" },
		{ "~d 2026-13-01", "date range expected" },
		{ "~N |", "pattern expected" },
		{ "!", "pattern expected" },
	};
	struct pattern	*p;
	struct err	 e;
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&e, 0, sizeof e);
		p = pattern_parse(cases[i].pattern, NOW, &e);
		if (p != NULL)
			fail_msg("%s: parsed", cases[i].pattern);
		assert_int_equal(e.cls, ERR_INPUT);
		if (strstr(e.msg, cases[i].msg) == NULL)
			fail_msg("%s: message \"%s\" lacks \"%s\"",
			    cases[i].pattern, e.msg, cases[i].msg);
		assert_non_null(strstr(e.msg, "column"));
	}
}

static void
test_pattern_depth_limit(void **state)
{
	char		 deep[400];
	struct pattern	*p;
	struct err	 e;
	size_t		 i;

	for (i = 0; i < 200; i++)
		deep[i] = '!';
	strcpy(deep + 200, "~N");
	p = pattern_parse(deep, NOW, &e);
	assert_null(p);
	assert_non_null(strstr(e.msg, "nested too deeply"));
	for (i = 0; i < 30; i++)
		deep[i] = '(';
	strcpy(deep + 30, "~N");
	for (i = 0; i < 30; i++)
		strcat(deep, ")");
	p = pattern_parse(deep, NOW, &e);
	assert_non_null(p);
	pattern_free(p);
}

static bool
body_cb(void *arg, const struct folder *f, uint32_t row, const char **p,
    size_t *len)
{
	static const char	*bodies[] = { "hello world", NULL, "pay me",
	    "", "HELLO again" };

	if (row >= 5 || bodies[row] == NULL)
		return false;
	*p = bodies[row];
	*len = strlen(bodies[row]);
	return true;
}

static void
test_pattern_body(void **state)
{
	struct folder	*f = fixture();
	struct pattern	*p;
	struct err	 e;

	p = pattern_parse("~b hello", NOW, &e);
	assert_non_null(p);
	assert_true(pattern_needs_body(p));
	pattern_body_set(p, body_cb, NULL);
	assert_true(pattern_match(p, f, 0));
	assert_false(pattern_match(p, f, 1));
	assert_false(pattern_match(p, f, 2));
	assert_true(pattern_match(p, f, 4));
	pattern_free(p);
	p = pattern_parse("~f bob", NOW, &e);
	assert_false(pattern_needs_body(p));
	pattern_free(p);
	folder_free(f);
}

static void
view_order(struct folder *f, char *out)
{
	size_t	 i;

	for (i = 0; i < folder_view_count(f); i++)
		*out++ = (char)('0' + folder_view_row(f, i));
	*out = '\0';
}

static void
test_folder_sort_limit(void **state)
{
	struct folder	*f = fixture();
	struct err	 e;
	char		 got[16];

	view_order(f, got);
	assert_string_equal(got, "32014");	/* date sent */
	folder_sort_set(f, FOLDER_SORT_SIZE, false);
	folder_view_rebuild(f);
	view_order(f, got);
	assert_string_equal(got, "31402");
	folder_sort_set(f, FOLDER_SORT_SUBJECT, true);
	folder_view_rebuild(f);
	view_order(f, got);
	assert_string_equal(got, "34102");	/* Re: ignored, reversed */
	folder_sort_set(f, FOLDER_SORT_SENDER, false);
	folder_view_rebuild(f);
	view_order(f, got);
	assert_string_equal(got, "04123");
	folder_sort_set(f, FOLDER_SORT_DATE, false);
	folder_limit_take(f, pattern_parse("~s lunch", NOW, &e));
	folder_view_rebuild(f);
	assert_true(folder_is_limited(f));
	view_order(f, got);
	assert_string_equal(got, "014");
	assert_int_equal(folder_view_find(f, 4), 2);
	assert_int_equal(folder_view_find(f, 3), (size_t)-1);
	folder_limit_take(f, NULL);
	folder_view_rebuild(f);
	assert_int_equal(folder_view_count(f), 5);
	folder_free(f);
}

/*
 * Rows that stream in batch by batch, with a rebuild after each batch
 * (the merge of the new rows into the view), end in the order one full
 * sort gives, for every sort key and direction, ties (equal dates,
 * sizes, senders) included: batches at random, and batches the way a
 * cold open brings them (chunks of 30, the newest chunk first, each
 * chunk oldest first, so that a chunk's rows go in front of the view,
 * behind it, or around it, by the sort).
 */
static void
test_folder_view_batches(void **state)
{
	static const char *const who[] = { "Carol", "alice", "Bob", "alice" };
	struct folder		*inc, *full;
	struct folder_msg	 m;
	char			 subj[32];
	unsigned int		 seed = 7;
	size_t			 i, n, sort;
	int			 rev, cold;

	(void)state;
	for (cold = 0; cold < 2; cold++)
	for (sort = 0; sort < FOLDER_SORT_COUNT; sort++)
		for (rev = 0; rev < 2; rev++) {
			inc = folder_new("inc");
			full = folder_new("full");
			folder_sort_set(inc, (enum folder_sort)sort, rev);
			folder_sort_set(full, (enum folder_sort)sort, rev);
			folder_view_rebuild(inc);
			for (n = 0; n < 300; n++) {
				seed = seed * 1103515245 + 12345;
				memset(&m, 0, sizeof m);
				m.from = who[(seed >> 8) % 4];
				snprintf(subj, sizeof subj, "%sitem %u",
				    (seed >> 4) % 3 == 0 ? "Re: " : "",
				    (seed >> 12) % 17);
				m.subject = subj;
				m.date = (int64_t)NOW - (int64_t)((seed >> 16) % 50);
				if (cold)	/* ties within a chunk too */
					m.date = (int64_t)NOW - (int64_t)(n /
					    30 * 100) + (int64_t)(n % 30 / 2);
				m.received = m.date - (int64_t)(n % 3);
				m.size = (seed >> 20) % 5;
				folder_add(inc, &m);
				folder_add(full, &m);
				if (cold ? n % 30 == 29 : (seed >> 3) % 7 == 0)
					folder_view_rebuild(inc);
			}
			folder_view_rebuild(inc);
			folder_view_rebuild(full);
			assert_int_equal(folder_view_count(inc), 300);
			assert_int_equal(folder_view_count(full), 300);
			for (i = 0; i < 300; i++)
				assert_int_equal(folder_view_row(inc, i),
				    folder_view_row(full, i));
			folder_free(inc);
			folder_free(full);
		}
}

/*
 * Rows of equal keys (messages delivered in the same second) keep the
 * order they arrived on the server (folder_msg.order, an IMAP UID), not
 * the order they were added in: a cold open adds the newest chunk first
 * and a reopen paints newest first, and both must show one order.
 */
static void
test_folder_order_ties(void **state)
{
	/* UIDs as a cold open adds them: newest chunk first, each oldest
	 * first; then as a reopen paints them: newest first */
	static const uint32_t	 cold[] = { 5, 6, 7, 1, 2, 3, 4 };
	static const uint32_t	 warm[] = { 7, 6, 5, 4, 3, 2, 1 };
	const uint32_t		*adds[] = { cold, warm };
	struct folder		*f;
	struct folder_msg	 m;
	char			 got[16];
	size_t			 i, k;
	int			 rev;

	(void)state;
	for (k = 0; k < 2; k++)
		for (rev = 0; rev < 2; rev++) {
			f = folder_new("ties");
			folder_sort_set(f, FOLDER_SORT_RECEIVED, rev);
			for (i = 0; i < 7; i++) {
				memset(&m, 0, sizeof m);
				m.subject = "same second";
				m.received = (int64_t)NOW;
				m.order = adds[k][i];
				folder_add(f, &m);
			}
			folder_view_rebuild(f);
			for (i = 0; i < 7; i++)
				got[i] = (char)('0' + adds[k][folder_view_row(f,
				    i)]);
			got[7] = '\0';
			assert_string_equal(got, rev ? "7654321" : "1234567");
			folder_free(f);
		}
}

static void
test_folder_threads(void **state)
{
	struct folder	*f = fixture();
	char		 got[16], tree[64];

	folder_threads_set(f, true);
	folder_view_rebuild(f);
	view_order(f, got);
	assert_string_equal(got, "32014");
	folder_view_tree(f, 0, tree, sizeof tree);
	assert_string_equal(tree, "");
	folder_view_tree(f, 3, tree, sizeof tree);	/* row 1 under 0 */
	assert_string_equal(tree, "\xe2\x94\x94\xe2\x94\x80");
	folder_view_tree(f, 4, tree, sizeof tree);	/* row 4 under 1 */
	assert_string_equal(tree, "  \xe2\x94\x94\xe2\x94\x80");
	folder_free(f);
}

static void
test_folder_flags_counts(void **state)
{
	struct folder		*f = fixture();
	struct folder_counts	 c;
	size_t			 n;

	folder_counts(f, &c);
	assert_int_equal(c.total, 5);
	assert_int_equal(c.unread, 1);
	assert_int_equal(c.flagged, 1);
	assert_int_equal(c.deleted, 1);
	folder_flags_set(f, 1, FOLDER_SEEN | FOLDER_DELETED);
	folder_counts(f, &c);
	assert_int_equal(c.unread, 0);
	assert_int_equal(c.deleted, 2);
	n = folder_remove_deleted(f, NULL, NULL);
	assert_int_equal(n, 2);
	folder_counts(f, &c);
	assert_int_equal(c.total, 3);
	assert_int_equal(c.deleted, 0);
	assert_int_equal(folder_view_count(f), 3);
	assert_string_equal(folder_str(f, folder_row(f, 1)->from), "Carol");
	folder_free(f);
}

/*
 * A size learnt later (an IMAP head start's row): set once, saturated
 * at 4 GiB, and the size order follows it after the rebuild.
 */
static void
test_folder_size_set(void **state)
{
	struct folder	*f = fixture();
	char		 got[16];

	folder_sort_set(f, FOLDER_SORT_SIZE, false);
	folder_view_rebuild(f);
	view_order(f, got);
	assert_string_equal(got, "31402");
	assert_true(folder_size_set(f, 3, 100000));
	assert_false(folder_size_set(f, 3, 100000));	/* no change */
	assert_int_equal(folder_row(f, 3)->size, 100000);
	folder_view_rebuild(f);
	view_order(f, got);
	assert_string_equal(got, "14023");
	assert_true(folder_size_set(f, 1, (uint64_t)1 << 40));
	assert_int_equal(folder_row(f, 1)->size, UINT32_MAX);
	assert_false(folder_size_set(f, 1, (uint64_t)1 << 41));
	assert_false(folder_size_set(f, 9, 1));		/* no such row */
	folder_free(f);
}

/* A reference loop must not hang threading. */
static void
test_folder_thread_loop(void **state)
{
	struct folder		*f = folder_new("loop");
	struct folder_msg	 m;

	memset(&m, 0, sizeof m);
	m.subject = "a";
	m.msgid = "1@x";
	m.parent = "2@x";
	folder_add(f, &m);
	m.msgid = "2@x";
	m.parent = "1@x";
	folder_add(f, &m);
	folder_threads_set(f, true);
	folder_view_rebuild(f);
	assert_int_equal(folder_view_count(f), 2);
	folder_free(f);
}

static struct pattern *
pat(const char *text)
{
	struct pattern	*p;
	struct err	 e;

	if ((p = pattern_parse(text, NOW, &e)) == NULL)
		fail_msg("%s: %s", text, e.msg);
	return p;
}

/* Set the search to text and build its match set; returns the matches. */
static size_t
search(struct folder *f, const char *text)
{
	folder_search_take(f, pat(text), 0);
	folder_search_step(f, SIZE_MAX);
	assert_true(folder_search_complete(f));
	return folder_search_count(f);
}

/* The view is rows 3 2 0 1 4 (by date). */
static void
test_folder_search_next(void **state)
{
	struct folder	*f = fixture();
	bool		 w;

	assert_false(folder_search_active(f));
	assert_int_equal(folder_search_next(f, 0, false, &w), (size_t)-1);
	assert_int_equal(search(f, "lunch"), 3);
	assert_true(folder_search_active(f));
	assert_false(folder_search_match(f, 1));
	assert_true(folder_search_match(f, 2));
	assert_int_equal(folder_search_next(f, 0, false, &w), 2);
	assert_false(w);
	assert_int_equal(folder_search_next(f, 2, false, &w), 3);
	assert_false(w);
	assert_int_equal(folder_search_next(f, 4, false, &w), 2);
	assert_true(w);
	assert_int_equal(folder_search_next(f, 4, true, &w), 3);
	assert_false(w);
	assert_int_equal(folder_search_next(f, 2, true, &w), 4);
	assert_true(w);
	assert_int_equal(folder_search_next(f, 0, true, &w), 4);
	assert_true(w);
	/* none found */
	assert_int_equal(search(f, "~s nowhere"), 0);
	assert_int_equal(folder_search_next(f, 1, false, &w), (size_t)-1);
	assert_int_equal(folder_search_next(f, 1, true, &w), (size_t)-1);
	/* dropped */
	folder_search_take(f, NULL, 0);
	assert_int_equal(folder_search_count(f), 0);
	assert_false(folder_search_active(f));
	folder_free(f);
}

static void
test_folder_search_update(void **state)
{
	struct folder		*f = fixture();
	struct folder_msg	 m;
	bool			 w;

	/* only row 1 (position 3) is unread */
	assert_int_equal(search(f, "~N"), 1);
	assert_int_equal(folder_search_next(f, 0, false, &w), 3);
	/* a row that changes is matched again */
	folder_flags_set(f, 2, 0);
	assert_int_equal(folder_search_count(f), 2);
	assert_int_equal(folder_search_next(f, 0, false, &w), 1);
	folder_flags_set(f, 1, FOLDER_SEEN);
	assert_int_equal(folder_search_count(f), 1);
	assert_int_equal(folder_search_next(f, 1, false, &w), 1);
	assert_true(w);
	/* an added row counts once the view has it */
	memset(&m, 0, sizeof m);
	m.from = "Erin";
	m.subject = "New one";
	m.date = (int64_t)NOW + 60;
	folder_add(f, &m);
	assert_int_equal(folder_search_count(f), 1);
	folder_view_rebuild(f);
	assert_int_equal(folder_view_row(f, 5), 5);
	assert_int_equal(folder_search_count(f), 2);
	assert_int_equal(folder_search_next(f, 1, false, &w), 5);
	/* an added row that does not match */
	m.flags = FOLDER_SEEN;
	folder_add(f, &m);
	folder_view_rebuild(f);
	assert_int_equal(folder_search_count(f), 2);
	assert_false(folder_search_match(f, 6));
	/* a limit narrows the view, and the positions follow */
	folder_limit_take(f, pat("~s one"));
	folder_view_rebuild(f);
	assert_int_equal(folder_view_count(f), 2);
	assert_int_equal(folder_search_count(f), 1);
	assert_int_equal(folder_search_next(f, 1, false, &w), 0);
	assert_true(w);
	folder_free(f);
}

static void
test_folder_search_expunge(void **state)
{
	struct folder	*f = fixture();
	bool		 w;

	/* rows 0 and 4 are Alice's; row 3 is deleted */
	assert_int_equal(search(f, "~f alice"), 2);
	assert_int_equal(folder_remove_deleted(f, NULL, NULL), 1);
	/* rows 0 1 2 3(was 4), view by date: 2 0 1 3 */
	assert_int_equal(folder_view_row(f, 0), 2);
	assert_int_equal(folder_view_row(f, 3), 3);
	assert_int_equal(folder_search_count(f), 2);
	assert_true(folder_search_match(f, 1));
	assert_true(folder_search_match(f, 3));
	assert_int_equal(folder_search_next(f, 1, false, &w), 3);
	assert_int_equal(folder_search_next(f, 3, false, &w), 1);
	assert_true(w);
	/* threads reorder the view; the set follows */
	folder_threads_set(f, true);
	folder_view_rebuild(f);
	assert_int_equal(folder_search_count(f), 2);
	assert_true(folder_search_match(f,
	    folder_view_find(f, 0)));
	assert_true(folder_search_match(f,
	    folder_view_find(f, 3)));
	folder_free(f);
}

/* The set is built in slices, from a view position on. */
static void
test_folder_search_slices(void **state)
{
	struct folder		*f = fixture();
	struct folder_msg	 m;
	bool			 w;

	/* "lunch": positions 2 3 4 (rows 0 1 4); start at position 3 */
	folder_search_take(f, pat("lunch"), 3);
	assert_false(folder_search_complete(f));
	assert_int_equal(folder_search_step(f, 1), 3);
	assert_int_equal(folder_search_count(f), 1);
	/* a change to a row not matched yet waits for the slices */
	folder_flags_set(f, 2, FOLDER_SEEN);
	assert_int_equal(folder_search_count(f), 1);
	/* positions 4, then 0 1 (no match), then 2 */
	assert_int_equal(folder_search_step(f, 1), 4);
	assert_int_equal(folder_search_step(f, 2), (size_t)-1);
	/* a row added meanwhile is matched after the view */
	memset(&m, 0, sizeof m);
	m.subject = "lunch again";
	m.date = (int64_t)NOW + 60;
	folder_add(f, &m);
	assert_int_equal(folder_search_step(f, 1), 2);
	assert_false(folder_search_complete(f));
	assert_int_equal(folder_search_step(f, 10), (size_t)-1);
	assert_true(folder_search_complete(f));
	assert_int_equal(folder_search_count(f), 3);
	folder_view_rebuild(f);
	assert_int_equal(folder_search_count(f), 4);
	assert_int_equal(folder_search_next(f, 4, false, &w), 5);
	/* a rebuild in the middle keeps what was matched */
	folder_search_take(f, pat("~f alice"), 0);
	assert_int_equal(folder_search_step(f, 3), 2);
	folder_threads_set(f, true);
	folder_view_rebuild(f);
	assert_int_equal(folder_search_count(f), 1);
	folder_search_step(f, SIZE_MAX);
	assert_true(folder_search_complete(f));
	assert_int_equal(folder_search_count(f), 2);
	folder_free(f);
}

/* Next and previous agree with a plain scan across word boundaries. */
static void
test_folder_search_scan(void **state)
{
	struct folder		*f = folder_new("big");
	struct folder_msg	 m;
	size_t			 n = 700, i, k, pos, want;
	unsigned int		 seed = 7;
	bool			 w, back;

	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof m);
		seed = seed * 1103515245 + 12345;
		m.subject = (seed >> 16) % 50 == 0 ? "hit" : "miss";
		m.date = (int64_t)((seed >> 8) % 100000);
		folder_add(f, &m);
	}
	folder_view_rebuild(f);
	search(f, "~s hit");
	for (pos = 0; pos < n; pos++) {
		for (back = false; ; back = true) {
			want = (size_t)-1;
			for (k = 1; k <= n; k++) {
				i = back ? (pos + n - k) % n : (pos + k) % n;
				if (strcmp(folder_str(f, folder_row(f,
				    folder_view_row(f, i))->subject),
				    "hit") == 0) {
					want = i;
					break;
				}
			}
			assert_int_equal(folder_search_next(f, pos, back, &w),
			    want);
			if (back)
				break;
		}
	}
	folder_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_match_table),
		cmocka_unit_test(test_pattern_errors),
		cmocka_unit_test(test_pattern_depth_limit),
		cmocka_unit_test(test_pattern_body),
		cmocka_unit_test(test_folder_sort_limit),
		cmocka_unit_test(test_folder_threads),
		cmocka_unit_test(test_folder_flags_counts),
		cmocka_unit_test(test_folder_size_set),
		cmocka_unit_test(test_folder_thread_loop),
		cmocka_unit_test(test_folder_search_next),
		cmocka_unit_test(test_folder_search_update),
		cmocka_unit_test(test_folder_search_expunge),
		cmocka_unit_test(test_folder_search_slices),
		cmocka_unit_test(test_folder_search_scan),
		cmocka_unit_test(test_folder_view_batches),
		cmocka_unit_test(test_folder_order_ties),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
