/* SPDX-License-Identifier: ISC */
/* Unit tests for msg/thread: JWZ threading, subject grouping, drawing. */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "msg/thread.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct tmsg {
	const char	*id, *refs, *irt, *subj;
	int64_t		 date;
};

static void
run(const struct tmsg *t, size_t n, struct thread_result *res)
{
	struct thread_msg	*m;
	struct err		 e;
	size_t			 i;

	m = xcalloc(n, sizeof *m);
	for (i = 0; i < n; i++) {
		m[i].msgid = t[i].id;
		m[i].msgid_len = t[i].id ? strlen(t[i].id) : 0;
		m[i].refs = t[i].refs;
		m[i].refs_len = t[i].refs ? strlen(t[i].refs) : 0;
		m[i].irt = t[i].irt;
		m[i].irt_len = t[i].irt ? strlen(t[i].irt) : 0;
		m[i].subject = t[i].subj;
		m[i].subject_len = t[i].subj ? strlen(t[i].subj) : 0;
		m[i].date = t[i].date;
	}
	assert_int_equal(thread_build(res, m, n, &e), 0);
	free(m);
}

/* "order:depth" string, e.g. "0:0 1:1 2:2". */
static char *
shape(const struct thread_result *r)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < r->n; i++)
		buf_printf(&b, "%s%u:%u", i ? " " : "", r->order[i],
		    r->nodes[r->order[i]].depth);
	return buf_take(&b, NULL);
}

static void
check(const struct tmsg *t, size_t n, const char *want)
{
	struct thread_result	 r;
	char			*got;

	run(t, n, &r);
	got = shape(&r);
	assert_string_equal(got, want);
	free(got);
	thread_result_free(&r);
}

static void
test_thread_basic(void **state)
{
	static const struct tmsg chain[] = {
		{ "<a@x>", NULL, NULL, "topic", 1 },
		{ "<b@x>", "<a@x>", NULL, "Re: topic", 2 },
		{ "<c@x>", "<a@x> <b@x>", "<b@x>", "Re: topic", 3 },
		{ "<d@x>", NULL, "<b@x>", "Re: topic", 4 },
		{ "<e@x>", NULL, NULL, "other", 5 },
	};
	struct thread_result	 r;
	struct buf		 b = BUF_INIT;

	check(chain, 5, "0:0 1:1 2:2 3:2 4:0");
	run(chain, 5, &r);
	assert_int_equal(r.nodes[2].parent, 1);
	assert_int_equal(r.nodes[0].parent, THREAD_NONE);
	assert_false(r.nodes[2].last);
	assert_true(r.nodes[3].last);
	thread_prefix(&r, 2, &b);
	assert_string_equal(buf_str(&b), "  \xe2\x94\x9c\xe2\x94\x80");
	buf_reset(&b);
	thread_prefix(&r, 3, &b);
	assert_string_equal(buf_str(&b), "  \xe2\x94\x94\xe2\x94\x80");
	buf_reset(&b);
	thread_prefix(&r, 0, &b);
	assert_string_equal(buf_str(&b), "");
	buf_fini(&b);
	thread_result_free(&r);
}

static void
test_thread_shapes(void **state)
{
	/* the reply arrives before its parent */
	static const struct tmsg early[] = {
		{ "<b@x>", "<a@x>", NULL, "Re: t", 2 },
		{ "<a@x>", NULL, NULL, "t", 1 },
	};
	/* a missing parent: its children become threads of their own */
	static const struct tmsg missing[] = {
		{ "<x@x>", "<gone@x>", NULL, "Re: q", 1 },
		{ "<z@x>", NULL, NULL, "zzz", 2 },
		{ "<y@x>", "<gone@x>", NULL, "Re: q", 3 },
	};
	/* a missing middle: the grandchild hangs from the grandparent */
	static const struct tmsg middle[] = {
		{ "<a@x>", NULL, NULL, "t", 1 },
		{ "<c@x>", "<a@x> <b@x>", NULL, "Re: t", 3 },
	};
	/* a loop in the references does not hang or lose messages */
	static const struct tmsg loop[] = {
		{ "<a@x>", "<b@x>", NULL, "t", 1 },
		{ "<b@x>", "<a@x>", NULL, "t", 2 },
		{ "<c@x>", "<c@x>", NULL, "self", 3 },
	};
	/* duplicate ids and missing ids */
	static const struct tmsg dup[] = {
		{ "<a@x>", NULL, NULL, "t", 1 },
		{ "<a@x>", NULL, NULL, "t", 2 },
		{ NULL, "<a@x>", NULL, "Re: t", 3 },
		{ "", NULL, NULL, "u", 4 },
	};
	/* siblings in date order, not input order; bare ids tolerated */
	static const struct tmsg dates[] = {
		{ "<r@x>", NULL, NULL, "t", 1 },
		{ "<late@x>", "<r@x>", NULL, "Re: t", 9 },
		{ "<early@x>", "<r@x>", NULL, "Re: t", 5 },
		{ "bare@x", "r@x", NULL, "Re: t", 7 },
	};

	check(early, 2, "1:0 0:1");
	check(missing, 3, "0:0 1:0 2:0");
	check(middle, 2, "0:0 1:1");
	check(loop, 3, "1:0 0:1 2:0");
	check(dup, 4, "0:0 2:1 1:0 3:0");
	check(dates, 4, "0:0 2:1 3:1 1:1");
}

static void
test_thread_subject(void **state)
{
	static const struct tmsg subj[] = {
		{ "<1@x>", NULL, NULL, "Re: Meeting", 1 },
		{ "<2@x>", NULL, NULL, "Meeting", 2 },
		{ "<3@x>", NULL, NULL, "AW: meeting", 3 },
		{ "<4@x>", NULL, NULL, "Re: Unrelated", 4 },
		{ "<5@x>", NULL, NULL, "Meeting", 5 },
		{ "<6@x>", "<4@x>", NULL, "Re: Meeting", 6 },
	};
	struct thread_result	 r;

	/* Replies without references join the first non-reply root;
	 * a second "Meeting" (not a reply) stays a thread of its own. */
	check(subj, 6, "1:0 0:1 2:1 3:0 5:1 4:0");
	run(subj, 6, &r);
	assert_true(r.nodes[0].by_subject);
	assert_false(r.nodes[5].by_subject);
	thread_result_free(&r);
}

static void
test_thread_subject_base(void **state)
{
	static const struct {
		const char	*in, *base;
		bool		 reply;
	} t[] = {
		{ "Re: Re: hello", "hello", true },
		{ "RE[2]: hello ", "hello", true },
		{ "Fwd: Re: AW: SV:  x", "x", true },
		{ "[list] Re: topic", "topic", true },
		{ "[PATCH] topic", "[PATCH] topic", false },
		{ "Rex: y", "Rex: y", false },
		{ "Re:", "", true },
		{ "re : spaced", "spaced", true },
		{ "  ", "", false },
		{ "", "", false },
	};
	size_t	 i, off, blen;
	bool	 reply;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		off = thread_subject_base(t[i].in, strlen(t[i].in), &blen,
		    &reply);
		if (blen != strlen(t[i].base) ||
		    memcmp(t[i].in + off, t[i].base, blen) != 0 ||
		    reply != t[i].reply)
			fail_msg("case %zu: \"%.*s\" reply=%d", i, (int)blen,
			    t[i].in + off, reply);
	}
}

static void
test_thread_many(void **state)
{
	struct thread_msg	*m;
	struct thread_result	 r;
	struct err		 e;
	char			*ids, *refs;
	size_t			 n = 20000, i, p, seen;
	uint32_t		 idx, par;
	unsigned int		 seed = 1;
	uint8_t			*mark;

	m = xcalloc(n, sizeof *m);
	ids = xcalloc(n, 32);
	refs = xcalloc(n, 32);
	for (i = 0; i < n; i++) {
		snprintf(ids + i * 32, 32, "<m%zu@bench>", i);
		m[i].msgid = ids + i * 32;
		m[i].msgid_len = strlen(m[i].msgid);
		seed = seed * 1103515245 + 12345;
		if (i > 0 && (seed >> 16) % 4 != 0) {
			p = (seed >> 8) % i;
			snprintf(refs + i * 32, 32, "<m%zu@bench>", p);
			m[i].refs = refs + i * 32;
			m[i].refs_len = strlen(m[i].refs);
		}
		m[i].date = (int64_t)((seed >> 4) % 1000);
	}
	assert_int_equal(thread_build(&r, m, n, &e), 0);
	mark = xcalloc(n, 1);
	for (i = 0, seen = 0; i < n; i++) {
		idx = r.order[i];
		assert_true(idx < n);
		assert_false(mark[idx]);
		mark[idx] = 1;
		seen++;
		assert_int_equal(r.nodes[idx].pos, i);
		par = r.nodes[idx].parent;
		if (par == THREAD_NONE)
			assert_int_equal(r.nodes[idx].depth, 0);
		else {
			assert_true(r.nodes[par].pos < i);
			assert_int_equal(r.nodes[idx].depth,
			    r.nodes[par].depth + 1);
		}
	}
	assert_int_equal(seen, n);
	thread_result_free(&r);
	free(mark);
	free(m);
	free(ids);
	free(refs);
	assert_int_equal(thread_build(&r, NULL, 0, &e), 0);
	thread_result_free(&r);
}

static void
test_thread_deep_prefix(void **state)
{
	struct thread_msg	 m[40];
	struct thread_result	 r;
	struct err		 e;
	struct buf		 b = BUF_INIT;
	char			 ids[40][16], refs[40][16];
	size_t			 i;

	memset(m, 0, sizeof m);
	for (i = 0; i < 40; i++) {
		snprintf(ids[i], sizeof ids[i], "<%zu@x>", i);
		m[i].msgid = ids[i];
		m[i].msgid_len = strlen(ids[i]);
		m[i].date = (int64_t)i;
		if (i > 0) {
			snprintf(refs[i], sizeof refs[i], "<%zu@x>", i - 1);
			m[i].irt = refs[i];
			m[i].irt_len = strlen(refs[i]);
		}
	}
	assert_int_equal(thread_build(&r, m, 40, &e), 0);
	assert_int_equal(r.nodes[39].depth, 39);
	thread_prefix(&r, 39, &b);
	/* "…", 31 levels of two spaces, then the corner */
	assert_int_equal(b.len, 3 + 31 * 2 + 6);
	assert_memory_equal(b.data, "\xe2\x80\xa6  ", 5);
	assert_memory_equal(b.data + b.len - 6, "\xe2\x94\x94\xe2\x94\x80", 6);
	buf_fini(&b);
	thread_result_free(&r);
}

static void
test_thread_corners(void **state)
{
	/* a repeated id in References is no loop of one box */
	static const struct tmsg rep[] = {
		{ "<a@x>", "<r@x> <r@x>", NULL, "t", 1 },
		{ "<r@x>", NULL, NULL, "t", 0 },
		{ "<b@x>", "<a@x> <a@x> <a@x>", NULL, "t", 2 },
	};
	/* a longer loop: a -> b -> c -> a, each message present */
	static const struct tmsg ring[] = {
		{ "<a@x>", "<c@x>", NULL, "t", 1 },
		{ "<b@x>", "<a@x>", NULL, "t", 2 },
		{ "<c@x>", "<b@x>", NULL, "t", 3 },
	};
	/* a message without references is a root, whatever others say
	 * about its parent (JWZ step 1C) */
	static const struct tmsg says[] = {
		{ "<c@x>", "<a@x> <b@x>", NULL, "x", 3 },
		{ "<b@x>", NULL, NULL, "y", 2 },
		{ "<a@x>", NULL, NULL, "z", 1 },
	};
	/* duplicate ids: the first owns the id, replies go to it; an id
	 * given with and without brackets is the same id */
	static const struct tmsg dup[] = {
		{ "d@x", NULL, NULL, "one", 1 },
		{ "<d@x>", NULL, NULL, "two", 2 },
		{ "<e@x>", "<d@x>", NULL, "three", 3 },
		{ "<d@x>", "<e@x>", NULL, "four", 4 },
	};
	/* missing ids everywhere: only present messages get rows */
	static const struct tmsg gone[] = {
		{ NULL, "<g1@x> <g2@x>", NULL, "t", 1 },
		{ "<m@x>", "<g1@x> <g3@x>", NULL, "t", 2 },
		{ "", "<m@x>", NULL, "t", 3 },
	};
	/* subject grouping with Re:, Fwd:, case and list tags; a reply
	 * with In-Reply-To to a missing message is not regrouped */
	static const struct tmsg subj[] = {
		{ "<1@x>", NULL, NULL, "Fwd: Plan", 5 },
		{ "<2@x>", NULL, NULL, "plan", 6 },
		{ "<3@x>", NULL, NULL, "[team] Re: PLAN", 7 },
		{ "<4@x>", NULL, "<gone@x>", "Re: plan", 8 },
		{ "<5@x>", NULL, NULL, "Re: Fwd: plan", 4 },
		{ "<6@x>", NULL, NULL, "Re: other", 9 },
	};
	struct thread_result	 r;

	check(rep, 3, "1:0 0:1 2:2");
	/* the first two links are made; c's own link would close it */
	check(ring, 3, "2:0 0:1 1:2");
	check(says, 3, "2:0 1:0 0:1");
	check(dup, 4, "0:0 2:1 3:2 1:0");
	check(gone, 3, "0:0 1:0 2:1");
	check(subj, 6, "1:0 4:1 0:1 2:1 3:0 5:0");
	run(subj, 6, &r);
	assert_true(r.nodes[0].by_subject);
	assert_true(r.nodes[2].by_subject);
	assert_false(r.nodes[3].by_subject);
	assert_false(r.nodes[1].by_subject);
	thread_result_free(&r);
}

/* Many ids that no message carries make the id table grow. */
static void
test_thread_missing_many(void **state)
{
	struct thread_msg	*m;
	struct thread_result	 r;
	struct err		 e;
	char			*ids, *refs;
	size_t			 n = 5000, i;

	m = xcalloc(n, sizeof *m);
	ids = xcalloc(n, 32);
	refs = xcalloc(n, 64);
	for (i = 0; i < n; i++) {
		snprintf(ids + i * 32, 32, "<m%zu@x>", i);
		m[i].msgid = ids + i * 32;
		m[i].msgid_len = strlen(m[i].msgid);
		/* three missing ancestors, then the previous message */
		snprintf(refs + i * 64, 64, "<g%zu@x> <h%zu@x> <k%zu@x> <m%zu@x>",
		    i, i, i, i > 0 ? i - 1 : 0);
		m[i].refs = refs + i * 64;
		m[i].refs_len = strlen(m[i].refs);
		m[i].date = (int64_t)i;
	}
	assert_int_equal(thread_build(&r, m, n, &e), 0);
	/* one chain: each message under the one before */
	for (i = 0; i < n; i++) {
		assert_int_equal(r.order[i], i);
		assert_int_equal(r.nodes[i].depth, i);
		assert_int_equal(r.nodes[i].parent,
		    i == 0 ? THREAD_NONE : i - 1);
	}
	thread_result_free(&r);
	free(m);
	free(ids);
	free(refs);
}

/*
 * Message-IDs made up to share a slot of a 1,024-slot table under one
 * seed (what a sender could do offline against a fixed hash) spread out
 * under another: the seed is part of the hash.
 */
static void
test_thread_seeded_hash(void **state)
{
	char		 ids[40][32];
	size_t		 n = 0, i, j, most = 0, same;
	uint32_t	 want, h[40];
	unsigned int	 k;

	(void)state;
	thread_seed_set(0x1234);
	want = thread_id_hash("<0@x>", 5) & 1023;
	for (k = 0; n < 40 && k < 1000000; k++) {
		char	 id[32];
		int	 len = snprintf(id, sizeof id, "<%u@x>", k);

		if ((thread_id_hash(id, (size_t)len) & 1023) == want)
			memcpy(ids[n++], id, (size_t)len + 1);
	}
	assert_int_equal(n, 40);
	thread_seed_set(0x5678);
	for (i = 0; i < n; i++)
		h[i] = thread_id_hash(ids[i], strlen(ids[i])) & 1023;
	for (i = 0; i < n; i++) {
		for (j = same = 0; j < n; j++)
			same += h[j] == h[i];
		if (same > most)
			most = same;
	}
	assert_true(most <= 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thread_basic),
		cmocka_unit_test(test_thread_shapes),
		cmocka_unit_test(test_thread_subject),
		cmocka_unit_test(test_thread_subject_base),
		cmocka_unit_test(test_thread_many),
		cmocka_unit_test(test_thread_deep_prefix),
		cmocka_unit_test(test_thread_corners),
		cmocka_unit_test(test_thread_missing_many),
		cmocka_unit_test(test_thread_seeded_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
