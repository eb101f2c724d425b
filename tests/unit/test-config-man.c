/* SPDX-License-Identifier: ISC */
/*
 * doc/ponsrc.5 is generated from the option table at build time; check
 * that the page in the build tree lists every option of the table, under
 * its section, once, and nothing else, each with the table's choices,
 * help line and default.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/options.h"
#include "util/buf.h"

static FILE *
man_open(void)
{
	FILE	*fp;

	fp = fopen(PONS_BUILDDIR "/doc/ponsrc.5", "r");
	if (fp == NULL)
		fp = fopen(PONS_SRCDIR "/doc/ponsrc.5", "r");
	assert_non_null(fp);
	return fp;
}

/* s as the page writes it: \ as \e, " as \(dq. */
static void
man_escaped(const char *s, struct buf *out)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			buf_add_str(out, "\\e");
		else if (*s == '"')
			buf_add_str(out, "\\(dq");
		else
			buf_add_byte(out, *s);
	}
}

/* The lines of option d's entry, up to the next entry, into out. */
static void
man_entry(const struct opt_def *d, struct buf *out)
{
	FILE		*fp = man_open();
	char		 line[1024], head[160];
	bool		 in = false;

	snprintf(head, sizeof head, ".It Ic %s Ns = Ns ", d->name);
	while (fgets(line, sizeof line, fp) != NULL) {
		if (in && (strncmp(line, ".It", 3) == 0 ||
		    strncmp(line, ".El", 3) == 0))
			break;
		if (!in && strncmp(line, head, strlen(head)) == 0)
			in = true;
		if (in)
			buf_add_str(out, line);
	}
	fclose(fp);
}

/* Each entry says what the table says: choices, help, default. */
static void
test_man_entries(void **state)
{
	const struct opt_def	*d;
	struct buf		 entry = BUF_INIT, want = BUF_INIT;
	size_t			 i, c;

	for (i = 0; i < OPT_COUNT; i++) {
		d = &opt_defs[i];
		buf_reset(&entry);
		man_entry(d, &entry);
		buf_reset(&want);
		man_escaped(d->help, &want);
		buf_add_str(&want, ".\n");
		if (strstr(buf_str(&entry), buf_str(&want)) == NULL)
			fail_msg("%s: help \"%s\" not in its entry", d->name,
			    d->help);
		if (d->default_text != NULL) {
			buf_reset(&want);
			buf_add_str(&want, ".Ql \"");
			man_escaped(d->default_text, &want);
			buf_add_str(&want, "\" .\n");
			if (strstr(buf_str(&entry), buf_str(&want)) == NULL)
				fail_msg("%s: default %s not in its entry",
				    d->name, d->default_text);
		}
		for (c = 0; d->type == OPT_T_ENUM && d->choices[c] != NULL;
		    c++) {
			buf_reset(&want);
			buf_printf(&want, "Cm %s", d->choices[c]);
			if (strstr(buf_str(&entry), buf_str(&want)) == NULL)
				fail_msg("%s: choice %s not listed", d->name,
				    d->choices[c]);
		}
	}
	buf_fini(&entry);
	buf_fini(&want);
}

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
	fp = man_open();
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
		cmocka_unit_test(test_man_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
