/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the rows-by-UID table: puts, replacements, growth and
 * clearing; and UIDs a server chose to collide under a fixed hash spread
 * out under the table's own seed.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/uidtab.h"

static void
test_put_get(void **state)
{
	struct uidtab	 t;
	uint32_t	 uid;

	(void)state;
	uidtab_init(&t, 0);
	assert_int_equal(uidtab_get(&t, 5), UIDTAB_NONE);
	/* through several growths, newest first as a header fetch goes */
	for (uid = 100000; uid > 0; uid--)
		uidtab_put(&t, uid, 100000 - uid);
	assert_int_equal(t.n, 100000);
	assert_int_equal(uidtab_get(&t, 100000), 0);
	assert_int_equal(uidtab_get(&t, 1), 99999);
	assert_int_equal(uidtab_get(&t, 50000), 50000);
	assert_int_equal(uidtab_get(&t, 100001), UIDTAB_NONE);
	assert_int_equal(uidtab_get(&t, 0), UIDTAB_NONE);
	/* a UID put again moves; UID 0 is never a row */
	uidtab_put(&t, 7, 3);
	assert_int_equal(uidtab_get(&t, 7), 3);
	assert_int_equal(t.n, 100000);
	uidtab_put(&t, 0, 1);
	assert_int_equal(t.n, 100000);
	assert_int_equal(uidtab_get(&t, UINT32_MAX), UIDTAB_NONE);
	uidtab_put(&t, UINT32_MAX, 8);
	assert_int_equal(uidtab_get(&t, UINT32_MAX), 8);
	uidtab_clear(&t);
	assert_int_equal(t.n, 0);
	assert_int_equal(uidtab_get(&t, 7), UIDTAB_NONE);
	uidtab_put(&t, 7, 1);
	assert_int_equal(uidtab_get(&t, 7), 1);
	uidtab_fini(&t);
	assert_int_equal(uidtab_get(&t, 7), UIDTAB_NONE);
}

/* A run of 8 UIDs shares a cache line: one block of 8 slots. */
static void
test_runs_share_a_line(void **state)
{
	struct uidtab	 t;
	size_t		 i, block = SIZE_MAX;
	uint32_t	 run;
	int		 seen;

	(void)state;
	for (run = 1; run < 200; run += 37) {
		uidtab_init(&t, 0);
		for (i = 0; i < 8; i++)
			uidtab_put(&t, run * 8 + (uint32_t)i, (uint32_t)i);
		seen = 0;
		for (i = 0; i < (size_t)1 << t.bits; i++) {
			if (t.v[i].uid == 0)
				continue;
			if (seen++ == 0)
				block = i / 8;
			assert_int_equal(i / 8, block);
			assert_int_equal(t.v[i].uid % 8, i % 8);
		}
		assert_int_equal(seen, 8);
		uidtab_fini(&t);
	}
}

/*
 * 32,767 UIDs, every one a multiple of 2^17: under the old hash (the low
 * bits of uid * 2654435761) all fell in one slot of a 65,536-slot table,
 * so the last was found 32,766 slots past its own.  Here the walks stay
 * short, with a fixed seed (that multiplier) and a random one.
 * (They all want the first slot of their block of 8, four to a block on
 * average: the longest walk of 200 random tables was 46 slots.)
 */
static void
test_chosen_uids(void **state)
{
	struct uidtab	 t;
	uint64_t	 seeds[2] = { 2654435761U, 0 };
	uint32_t	 k;
	size_t		 i;

	(void)state;
	for (i = 0; i < 2; i++) {
		uidtab_init(&t, seeds[i]);
		for (k = 1; k < 32768; k++)
			uidtab_put(&t, k << 17, k);
		assert_int_equal(t.n, 32767);
		assert_true(uidtab_probe_max(&t) < 256);
		for (k = 1; k < 32768; k++)
			assert_int_equal(uidtab_get(&t, k << 17), k);
		uidtab_fini(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_chosen_uids),
		cmocka_unit_test(test_runs_share_a_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
