/* SPDX-License-Identifier: ISC */
/*
 * gen-man: writes doc/ponsrc.5 from its template and the option table, so
 * the manual lists exactly the options pons knows.  Run at build time:
 *	gen-man doc/ponsrc.5.in > doc/ponsrc.5
 * The template line ".\" @OPTIONS@" is replaced by one subsection per
 * section of the table, ".\" @RENAMED@" by the list of old names.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/options.h"
#include "util/buf.h"

/* Escape text for an mdoc text line or a quoted macro argument. */
static void
man_escape(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '"')
			fputs("\\(dq", out);
		else
			fputc(*s, out);
	}
}

static void
man_value(FILE *out, const char *s)
{
	fputs(".Ql \"", out);
	man_escape(out, s);
	fputs("\" .\n", out);
}

static void
man_range(FILE *out, const struct opt_def *d)
{
	struct buf	 lo = BUF_INIT, hi = BUF_INIT;

	switch (d->type) {
	case OPT_T_INT:
		fprintf(out, "From %lld to %lld.\n", (long long)d->min,
		    (long long)d->max);
		break;
	case OPT_T_DURATION:
		opt_format_duration(d->min, &lo);
		opt_format_duration(d->max, &hi);
		fprintf(out, "From %s to %s.\n", buf_str(&lo), buf_str(&hi));
		break;
	case OPT_T_SIZE:
		opt_format_size(d->min, &lo);
		opt_format_size(d->max, &hi);
		fprintf(out, "From %s to %s.\n", buf_str(&lo), buf_str(&hi));
		break;
	default:
		break;
	}
	buf_fini(&lo);
	buf_fini(&hi);
}

static void
man_option(FILE *out, const struct opt_def *d)
{
	size_t	 i;

	fprintf(out, ".It Ic %s Ns = Ns ", d->name);
	if (d->type == OPT_T_ENUM) {
		for (i = 0; d->choices[i] != NULL; i++)
			fprintf(out, "%sCm %s", i > 0 ? " | " : "",
			    d->choices[i]);
		fputc('\n', out);
	} else
		fprintf(out, "Ar %s\n", opt_type_name(d->type));
	man_escape(out, d->help);
	fputs(".\n", out);
	man_range(out, d);
	if (d->flags & OPT_F_REQUIRED)
		fputs("Required.\n", out);
	if (d->default_text != NULL) {
		fputs("Default:\n", out);
		man_value(out, d->default_text);
	}
	if (d->flags & OPT_F_RECONNECT)
		fputs("A change takes effect on the next connection.\n", out);
	if (d->flags & OPT_F_START)
		fputs("A change takes effect when pons starts again.\n", out);
	if (d->flags & OPT_F_SENSITIVE)
		fputs("Never shown or logged.\n", out);
}

static void
man_options(FILE *out)
{
	static const char *const titles[OPT_SEC_COUNT] = {
		"[general]", "[ui]", "[colors]", "[account \\(dqNAME\\(dq]"
	};
	size_t	 s, i;

	for (s = 0; s < OPT_SEC_COUNT; s++) {
		fprintf(out, ".Ss %s\n.Bl -tag -width Ds\n", titles[s]);
		for (i = 0; i < OPT_COUNT; i++)
			if (opt_defs[i].section == s)
				man_option(out, &opt_defs[i]);
		fputs(".El\n", out);
	}
}

static void
man_renamed(FILE *out)
{
	size_t	 i;

	fputs(".Bl -column \"old name\" \"section\" -offset indent\n", out);
	fputs(".It Em old name Ta Em section Ta Em now called\n", out);
	for (i = 0; i < opt_nsynonyms; i++)
		fprintf(out, ".It Ic %s Ta %s Ta Ic %s\n",
		    opt_synonyms[i].old_name,
		    opt_section_name(opt_synonyms[i].section),
		    opt_defs[opt_synonyms[i].id].name);
	fputs(".El\n", out);
}

int
main(int argc, char **argv)
{
	FILE	*in;
	char	 line[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: gen-man TEMPLATE\n");
		return 2;
	}
	if ((in = fopen(argv[1], "r")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	while (fgets(line, sizeof line, in) != NULL) {
		if (strcmp(line, ".\\\" @OPTIONS@\n") == 0)
			man_options(stdout);
		else if (strcmp(line, ".\\\" @RENAMED@\n") == 0)
			man_renamed(stdout);
		else
			fputs(line, stdout);
	}
	fclose(in);
	return ferror(stdout) || fflush(stdout) != 0 ? 1 : 0;
}
