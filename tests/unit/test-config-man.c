/* SPDX-License-Identifier: ISC */
/*
 * doc/ponsrc.5 is generated from the option table at build time; check
 * that the page in the build tree lists every option of the table, under
 * its section, once, and nothing else.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/options.h"

static void
test_man_lists_every_option(void **state)
{
	static const char *const titles[OPT_SEC_COUNT] = {
		".Ss [general]", ".Ss [ui]", ".Ss [colors]", ".Ss [account "
	};
	FILE		*fp;
	char		 line[1024], name[128];
	int		 seen[OPT_COUNT], sec = -1, s;
	size_t		 i, n = 0, len;
	enum opt_id	 id;
	bool		 renamed;

	memset(seen, 0, sizeof seen);
	fp = fopen(PONS_BUILDDIR "/doc/ponsrc.5", "r");
	if (fp == NULL)
		fp = fopen(PONS_SRCDIR "/doc/ponsrc.5", "r");
	assert_non_null(fp);
	while (fgets(line, sizeof line, fp) != NULL) {
		if (strncmp(line, ".Ss ", 4) == 0) {
			sec = -1;
			for (s = 0; s < OPT_SEC_COUNT; s++)
				if (strncmp(line, titles[s],
				    strlen(titles[s])) == 0)
					sec = s;
			continue;
		}
		if (strncmp(line, ".It Ic ", 7) != 0 ||
		    strstr(line, " Ns = Ns ") == NULL)
			continue;
		len = strcspn(line + 7, " ");
		assert_true(len < sizeof name);
		memcpy(name, line + 7, len);
		name[len] = '\0';
		if (sec == -1)
			fail_msg("option %s outside the option sections", name);
		if (opt_find((enum opt_section)sec, name, &id, &renamed) != 0 ||
		    renamed)
			fail_msg("ponsrc.5 lists %s, not in the table", name);
		seen[id]++;
		n++;
	}
	fclose(fp);
	for (i = 0; i < OPT_COUNT; i++)
		if (seen[i] != 1)
			fail_msg("%s is listed %d times in ponsrc.5",
			    opt_defs[i].name, seen[i]);
	assert_int_equal(n, OPT_COUNT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_man_lists_every_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
