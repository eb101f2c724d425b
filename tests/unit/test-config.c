/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for config/: the option table, value parsers, the pure
 * lexer, every loader error (tests/data/conf/bad-*.conf against their
 * .expect files), accounts and keys, the line-preserving writer, outside
 * edits, reload, and crash safety of the atomic write.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/conf-parse.h"
#include "config/conf.h"
#include "config/options.h"
#include "../../src/config/conf-private.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define DATA	PONS_SRCDIR "/tests/data/conf"

static char	 tmpdir[256];

static char *
slurp(const char *path, size_t *lenp)
{
	struct buf	 b = BUF_INIT;
	struct err	 e;
	mode_t		 mode;

	assert_int_equal(conf_file_read(path, &b, &mode, &e), 0);
	return buf_take(&b, lenp);
}

static void
spit(const char *path, const char *text, mode_t mode)
{
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd != -1);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static int
setup(void **state)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/pons-test-config.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int
teardown(void **state)
{
	DIR		*d;
	struct dirent	*de;
	char		 p[512];

	if ((d = opendir(tmpdir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
			    (de->d_name[1] == '.' && de->d_name[2] == '\0')))
				continue;
			snprintf(p, sizeof p, "%s/%s", tmpdir, de->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(tmpdir);
	return 0;
}

static void
test_table(void **state)
{
	const struct opt_def	*d;
	struct err		 e;
	enum opt_id		 id;
	bool			 renamed;
	size_t			 i, j, len;
	const char		*p;

	for (i = 0; i < OPT_COUNT; i++) {
		d = &opt_defs[i];
		assert_non_null(d->name);
		assert_non_null(d->help);
		len = strlen(d->help);
		assert_true(len > 10 && len < 100);
		assert_true(d->help[len - 1] != '.');
		for (p = d->name; *p != '\0'; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
		assert_true(d->min <= d->max);
		if (d->type == OPT_T_ENUM)
			assert_non_null(d->choices);
		if (d->default_text != NULL &&
		    opt_check((enum opt_id)i, d->default_text, &e) != 0)
			fail_msg("bad default for %s: %s", d->name, e.msg);
		for (j = 0; j < i; j++)
			assert_false(opt_defs[j].section == d->section &&
			    strcmp(opt_defs[j].name, d->name) == 0);
		assert_int_equal(opt_find(d->section, d->name, &id,
		    &renamed), 0);
		assert_int_equal(id, i);
		assert_false(renamed);
	}
	/* Synonyms never shadow a real name and lead to their option. */
	for (i = 0; i < opt_nsynonyms; i++) {
		assert_int_equal(opt_find(opt_synonyms[i].section,
		    opt_synonyms[i].old_name, &id, &renamed), 0);
		assert_true(renamed);
		assert_int_equal(id, opt_synonyms[i].id);
		assert_int_equal(opt_defs[id].section, opt_synonyms[i].section);
	}
	/* The C enums follow the choices. */
	assert_string_equal(opt_defs[OPT_UI_SORT].choices[OPT_SORT_SIZE],
	    "size");
	assert_string_equal(opt_defs[OPT_UI_SORT].choices[OPT_SORT_UNSORTED],
	    "unsorted");
	assert_string_equal(opt_defs[OPT_UI_PAGER_WRAP].choices[OPT_WRAP_WORD],
	    "word");
	assert_string_equal(opt_defs[OPT_GENERAL_LOG_LEVEL].choices[
	    OPT_LOG_PROTO], "protocol");
	assert_string_equal(opt_defs[OPT_ACCOUNT_PROTOCOL].choices[
	    OPT_PROTO_POP3], "pop3");
	assert_string_equal(opt_defs[OPT_ACCOUNT_TLS].choices[OPT_TLS_NONE],
	    "none");
	assert_true(opt_defs[OPT_ACCOUNT_HOST].flags & OPT_F_RECONNECT);
	assert_false(opt_defs[OPT_UI_SORT].flags & OPT_F_RECONNECT);
	assert_true(opt_defs[OPT_ACCOUNT_PASSWORD].flags & OPT_F_SENSITIVE);
}

static void
test_value_parsers(void **state)
{
	static const struct {
		const char	*text;
		int		 rv;
		int64_t		 v;
	} durs[] = {
		{ "30s", 0, 30 }, { "5m", 0, 300 }, { "25m", 0, 1500 },
		{ "2h", 0, 7200 }, { "1d", 0, 86400 }, { "90", 0, 90 },
		{ "1h30m", 0, 5400 }, { "0", 0, 0 }, { "5M", 0, 300 },
		{ "", -1, 0 }, { "m", -1, 0 }, { "5x", -1, 0 },
		{ "-5m", -1, 0 }, { "5 m", -1, 0 },
		{ "99999999999999999999s", -1, 0 }, { "5\xe0", -1, 0 },
		{ "5\xf3", -1, 0 }, { "5S", 0, 5 },
	}, sizes[] = {
		{ "512", 0, 512 }, { "64K", 0, 65536 }, { "10M", 0, 10485760 },
		{ "1G", 0, 1073741824 }, { "10MB", 0, 10485760 },
		{ "7b", 0, 7 }, { "512B", 0, 512 }, { "1k", 0, 1024 },
		{ "", -1, 0 }, { "M", -1, 0 }, { "10Q", -1, 0 },
		{ "1M2K", -1, 0 }, { "B", -1, 0 }, { "10xB", -1, 0 },
		{ "1\xe0", -1, 0 }, { "1\xeb", -1, 0 },
	};
	struct opt_colour	 c;
	struct buf		 b = BUF_INIT;
	int64_t			 v;
	bool			 bv;
	size_t			 i;

	for (i = 0; i < sizeof durs / sizeof durs[0]; i++) {
		v = -1;
		assert_int_equal(opt_parse_duration(durs[i].text, &v),
		    durs[i].rv);
		if (durs[i].rv == 0)
			assert_int_equal(v, durs[i].v);
	}
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		v = -1;
		if (opt_parse_size(sizes[i].text, &v) != sizes[i].rv)
			fail_msg("size \"%s\"", sizes[i].text);
		if (sizes[i].rv == 0)
			assert_int_equal(v, sizes[i].v);
	}
	assert_int_equal(opt_parse_bool("Yes", &bv), 0);
	assert_true(bv);
	assert_int_equal(opt_parse_bool("off", &bv), 0);
	assert_false(bv);
	assert_int_equal(opt_parse_bool("y", &bv), -1);
	assert_int_equal(opt_parse_colour("red", &c), 0);
	assert_int_equal(c.fg, 1);
	assert_int_equal(c.bg, -1);
	assert_int_equal(opt_parse_colour("brightwhite colour19 bold reverse",
	    &c), 0);
	assert_int_equal(c.fg, 15);
	assert_int_equal(c.bg, 19);
	assert_int_equal(c.attrs, OPT_ATTR_BOLD | OPT_ATTR_REVERSE);
	assert_int_equal(opt_parse_colour("default color255 underline", &c),
	    0);
	assert_int_equal(c.fg, -1);
	assert_int_equal(c.bg, 255);
	assert_int_equal(opt_parse_colour("red bold", &c), 0);
	assert_int_equal(c.attrs, OPT_ATTR_BOLD);
	assert_int_equal(opt_parse_colour("colour256", &c), -1);
	assert_int_equal(opt_parse_colour("bold", &c), -1);
	assert_int_equal(opt_parse_colour("", &c), -1);
	assert_int_equal(opt_parse_colour("red blue green", &c), -1);
	opt_format_duration(1500, &b);
	buf_add_byte(&b, ' ');
	opt_format_duration(90, &b);
	buf_add_byte(&b, ' ');
	opt_format_size(10485760, &b);
	buf_add_byte(&b, ' ');
	opt_format_size(1000, &b);
	assert_string_equal(buf_str(&b), "25m 90s 10M 1000");
	buf_fini(&b);
}

static void
test_opts_typed(void **state)
{
	struct opts		*g, *a, *d;
	struct err		 e;
	size_t			 n;
	const char *const	*l;

	g = opts_new(false);
	a = opts_new(true);
	assert_true(opt_bool(g, OPT_UI_THREADS));
	assert_int_equal(opt_enum(g, OPT_UI_SORT), OPT_SORT_DATE);
	assert_int_equal(opt_origin(g, OPT_UI_SORT), OPT_ORIGIN_DEFAULT);
	assert_null(opt_str(g, OPT_GENERAL_DEFAULT_ACCOUNT));
	assert_int_equal(opt_duration(a, OPT_ACCOUNT_IDLE_RESTART), 1500);
	assert_int_equal(opt_size(a, OPT_ACCOUNT_CACHE_MAX_BODY), 10485760);
	assert_int_equal(opt_enum(a, OPT_ACCOUNT_PROTOCOL), -1);
	assert_int_equal(opt_set(g, OPT_UI_SORT, "Subject", OPT_ORIGIN_SET,
	    NULL, 0, &e), 0);
	assert_int_equal(opt_enum(g, OPT_UI_SORT), OPT_SORT_SUBJECT);
	assert_int_equal(opt_set(g, OPT_UI_SORT, "nope", OPT_ORIGIN_SET, NULL,
	    0, &e), -1);
	assert_int_equal(e.cls, ERR_INPUT);
	assert_int_equal(opt_enum(g, OPT_UI_SORT), OPT_SORT_SUBJECT);
	assert_int_equal(opt_set(g, OPT_UI_PAGER_HEADERS, " From,, To  Cc ",
	    OPT_ORIGIN_FILE, "f", 3, &e), 0);
	l = opt_list(g, OPT_UI_PAGER_HEADERS, &n);
	assert_int_equal(n, 3);
	assert_string_equal(l[0], "From");
	assert_string_equal(l[2], "Cc");
	assert_string_equal(opt_origin_file(g, OPT_UI_PAGER_HEADERS), "f");
	assert_int_equal(opt_origin_line(g, OPT_UI_PAGER_HEADERS), 3);
	d = opts_dup(g);
	assert_false(opt_differs(g, d, OPT_UI_PAGER_HEADERS));
	assert_int_equal(opt_set(d, OPT_UI_THREADS, "off", OPT_ORIGIN_SET,
	    NULL, 0, &e), 0);
	assert_true(opt_differs(g, d, OPT_UI_THREADS));
	/* Same value, other spelling: not a change. */
	assert_int_equal(opt_set(d, OPT_UI_SORT, "subject", OPT_ORIGIN_SET,
	    NULL, 0, &e), 0);
	assert_false(opt_differs(g, d, OPT_UI_SORT));
	assert_true(opt_is_default(d, OPT_UI_SORT) ==
	    (strcmp(opt_defs[OPT_UI_SORT].default_text, "subject") == 0));
	assert_int_equal(opt_set(d, OPT_UI_THREADS, "Yes", OPT_ORIGIN_SET,
	    NULL, 0, &e), 0);
	assert_true(opt_is_default(d, OPT_UI_THREADS));
	assert_int_equal(opt_set(d, OPT_UI_PAGER_HEADERS,
	    "From To, Cc,Date Subject", OPT_ORIGIN_SET, NULL, 0, &e), 0);
	assert_true(opt_is_default(d, OPT_UI_PAGER_HEADERS));
	assert_int_equal(opt_set(d, OPT_UI_PAGER_HEADERS, "From", OPT_ORIGIN_SET,
	    NULL, 0, &e), 0);
	assert_false(opt_is_default(d, OPT_UI_PAGER_HEADERS));
	assert_true(opt_is_default(a, OPT_ACCOUNT_PORT));	/* unset */
	assert_int_equal(opt_set(a, OPT_ACCOUNT_PORT, "993", OPT_ORIGIN_SET,
	    NULL, 0, &e), 0);
	assert_false(opt_is_default(a, OPT_ACCOUNT_PORT));
	opt_reset(d, OPT_UI_THREADS);
	assert_true(opt_bool(d, OPT_UI_THREADS));
	assert_int_equal(opt_origin(d, OPT_UI_THREADS), OPT_ORIGIN_DEFAULT);
	assert_string_equal(opt_suggest(OPT_SEC_ACCOUNT, "pasword"),
	    "password");
	assert_string_equal(opt_suggest(OPT_SEC_UI, "mous"), "mouse");
	assert_null(opt_suggest(OPT_SEC_UI, "completely_different"));
	opts_free(d);
	opts_free(g);
	opts_free(a);
}

struct items {
	struct buf	 b;
};

static int
collect(void *arg, const struct conf_item *it)
{
	struct buf	*b = arg;

	switch (it->kind) {
	case CONF_ITEM_SECTION:
		buf_printf(b, "%u S %s|%s\n", it->line, it->section,
		    it->sub != NULL ? it->sub : "-");
		break;
	case CONF_ITEM_PAIR:
		buf_printf(b, "%u P %s|%s|%s|%zu+%zu\n", it->line,
		    it->section != NULL ? it->section : "-", it->name,
		    it->value, it->value_off, it->value_len);
		break;
	case CONF_ITEM_ERROR:
		buf_printf(b, "%u E %s\n", it->line, it->message);
		break;
	}
	return 0;
}

static void
test_lexer(void **state)
{
	static const char text[] =
	    "# c\r\n"
	    "top=1\r\n"
	    "  [ account  \"a \\\"q\\\" \\\\\" ]  # note\n"
	    "\tkey  =  v a l  \n"
	    "q = \"  x \\\" y  \"\n"
	    "\\= = eq\n"
	    "empty =\n"
	    "; semi\n"
	    "[keys.index]\n"
	    "C-l = redraw";
	struct buf	 b = BUF_INIT;

	assert_int_equal(conf_parse(text, sizeof text - 1, collect, &b), 0);
	assert_string_equal(buf_str(&b),
	    "2 P -|top|1|4+1\n"
	    "3 S account|a \"q\" \\\n"
	    "4 P account|key|v a l|9+5\n"
	    "5 P account|q|  x \" y  |4+12\n"
	    "6 P account|\\=|eq|5+2\n"
	    "7 P account|empty||7+0\n"
	    "9 S keys.index|-\n"
	    "10 P keys.index|C-l|redraw|6+6\n");
	buf_fini(&b);
	buf_init(&b);
	assert_int_equal(conf_parse("a\0b = c\n[x", 10, collect, &b), 2);
	assert_string_equal(buf_str(&b),
	    "1 E the line contains a NUL byte\n"
	    "2 E section header must end with ]\n");
	buf_fini(&b);
	buf_init(&b);
	conf_quote_value("plain", &b);
	buf_add_byte(&b, '|');
	conf_quote_value(" a\"b\\ ", &b);
	buf_add_byte(&b, '|');
	conf_quote_value("\"x", &b);
	assert_string_equal(buf_str(&b), "plain|\" a\\\"b\\\\ \"|\"\\\"x\"");
	buf_fini(&b);
}

/* The pure writer on its own: edits by line, appends by section. */
static void
test_writer(void **state)
{
	static const struct {
		const char		*in;
		struct conf_edit	 ed[3];
		size_t			 n;
		const char		*out;
	} cases[] = {
		{ "", { { CONF_EDIT_APPEND, 0, "ui", NULL, "mouse", "yes" } },
		  1, "[ui]\nmouse = yes\n" },
		{ "[ui]\nsort = date", { { CONF_EDIT_APPEND, 0, "ui", NULL,
		  "mouse", "yes" } }, 1, "[ui]\nsort = date\nmouse = yes\n" },
		{ "[ui]\nsort = date  \n", { { CONF_EDIT_REPLACE, 2, NULL,
		  NULL, NULL, "from" } }, 1, "[ui]\nsort = from  \n" },
		{ "[ui]\nsort = \"a\"\n", { { CONF_EDIT_REPLACE, 2, NULL,
		  NULL, NULL, "b" } }, 1, "[ui]\nsort = b\n" },
		{ "[ui]\nsort=\n", { { CONF_EDIT_REPLACE, 2, NULL, NULL, NULL,
		  "x" } }, 1, "[ui]\nsort=x\n" },
		{ "# a\n\n[account \"x\"]\nhost = h\n# c\nuser = u\n\n"
		  "# next\n[ui]\n", { { CONF_EDIT_DELETE_SECTION, 3 } }, 1,
		  "# a\n\n# next\n[ui]\n" },
		{ "[ui]\na = 1\n[general]\n[ui]\nb = 2\n# end\n",
		  { { CONF_EDIT_APPEND, 0, "ui", NULL, "c", "3" },
		    { CONF_EDIT_DELETE, 2 } }, 2,
		  "[ui]\n[general]\n[ui]\nb = 2\nc = 3\n# end\n" },
		{ "[ui]\nx = 1\n", { { CONF_EDIT_REPLACE, 1, NULL, NULL, NULL,
		  "no" }, { CONF_EDIT_DELETE, 9 } }, 2, "[ui]\nx = 1\n" },
	};
	struct buf	 b;
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_init(&b);
		conf_write_text(cases[i].in, strlen(cases[i].in), cases[i].ed,
		    cases[i].n, &b);
		if (strcmp(buf_str(&b), cases[i].out) != 0)
			fail_msg("case %zu: got \"%s\"", i, buf_str(&b));
		buf_fini(&b);
	}
}

/* Every bad-*.conf and warn-*.conf gives exactly its .expect lines. */
static void
test_error_files(void **state)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[512], *text, *want;
	struct buf	 got;
	struct conf	*c;
	struct conf_msgs msgs;
	size_t		 len, i, nfiles = 0, nlines = 0;
	int		 rv, bad;

	assert_non_null(d = opendir(DATA));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		bad = strncmp(de->d_name, "bad-", 4) == 0;
		if ((!bad && strncmp(de->d_name, "warn-", 5) != 0) ||
		    len < 6 || strcmp(de->d_name + len - 5, ".conf") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", DATA, de->d_name);
		text = slurp(path, &len);
		c = conf_new();
		conf_msgs_init(&msgs);
		rv = conf_load_text(c, de->d_name, text, len, &msgs);
		buf_init(&got);
		for (i = 0; i < msgs.n; i++)
			buf_printf(&got, "%s\n", msgs.v[i].text);
		snprintf(path + strlen(path) - 5, 8, ".expect");
		free(text);
		want = slurp(path, NULL);
		if (strcmp(buf_str(&got), want) != 0)
			fail_msg("%s:\n--- want\n%s--- got\n%s", de->d_name,
			    want, buf_str(&got));
		assert_int_equal(rv, bad ? -1 : 0);
		assert_true(bad ? msgs.nerrors > 0 : msgs.nerrors == 0);
		nlines += msgs.n;
		/* A failed load leaves defaults, never half a file. */
		if (bad) {
			assert_int_equal(conf_account_count(c), 0);
			assert_int_equal(conf_key_count(c), 0);
			assert_int_equal(opt_origin(conf_opts(c), OPT_UI_SORT),
			    OPT_ORIGIN_DEFAULT);
		}
		free(want);
		buf_fini(&got);
		conf_msgs_fini(&msgs);
		conf_free(c);
		nfiles++;
	}
	closedir(d);
	assert_true(nfiles >= 7);
	assert_true(nlines >= 50);
}

static void
test_good_file(void **state)
{
	struct conf		*c;
	struct conf_msgs	 msgs;
	struct conf_account	*home, *work;
	const struct conf_key	*k;
	struct opt_colour	 col;
	const char *const	*l;
	char			*s;
	size_t			 n;

	c = conf_new();
	conf_msgs_init(&msgs);
	assert_int_equal(conf_load(c, DATA "/good.conf", 0, &msgs), 0);
	/* good.conf holds a password: a warning unless it is private. */
	for (n = 0; n < msgs.n; n++)
		assert_true(msgs.v[n].warning);
	conf_msgs_fini(&msgs);
	assert_string_equal(conf_path(c), DATA "/good.conf");
	assert_string_equal(opt_str(conf_opts(c), OPT_GENERAL_EDITOR),
	    "vim -c 'set tw=72'");
	assert_int_equal(opt_enum(conf_opts(c), OPT_UI_SORT),
	    OPT_SORT_SUBJECT);
	assert_false(opt_bool(conf_opts(c), OPT_UI_THREADS));
	assert_int_equal(opt_int(conf_opts(c), OPT_UI_PAGER_CONTEXT), 5);
	assert_int_equal(opt_duration(conf_opts(c), OPT_UI_MARK_READ_DELAY),
	    90);
	l = opt_list(conf_opts(c), OPT_UI_PAGER_HEADERS, &n);
	assert_int_equal(n, 3);
	assert_string_equal(l[1], "To");
	col = opt_colour(conf_opts(c), OPT_COLOR_INDICATOR);
	assert_int_equal(col.fg, 15);
	assert_int_equal(col.bg, 19);
	assert_int_equal(col.attrs, OPT_ATTR_BOLD | OPT_ATTR_UNDERLINE);
	assert_int_equal(conf_account_count(c), 2);
	home = conf_account_at(c, 0);
	work = conf_account_find(c, "work");
	assert_string_equal(conf_account_name(home), "home");
	assert_ptr_equal(conf_account_default(c), work);
	assert_null(conf_account_find(c, "nope"));
	assert_int_equal(opt_enum(conf_account_opts(home),
	    OPT_ACCOUNT_PROTOCOL), OPT_PROTO_POP3);
	assert_int_equal(conf_account_port(home), 110);	/* STARTTLS */
	assert_int_equal(conf_account_port(work), 10993);
	assert_string_equal(opt_str(conf_account_opts(home),
	    OPT_ACCOUNT_PASSWORD), "  spaces kept  ");
	assert_false(opt_bool(conf_account_opts(home),
	    OPT_ACCOUNT_KEEP_ON_SERVER));
	assert_int_equal(opt_int(conf_account_opts(home),
	    OPT_ACCOUNT_DELETE_AFTER_DAYS), 30);
	assert_int_equal(opt_duration(conf_account_opts(home),
	    OPT_ACCOUNT_CHECK_INTERVAL), 7200);
	assert_int_equal(opt_size(conf_account_opts(work),
	    OPT_ACCOUNT_CACHE_MAX_BODY), 512 * 1024);
	l = opt_list(conf_account_opts(work), OPT_ACCOUNT_WATCH_FOLDERS, &n);
	assert_int_equal(n, 2);
	assert_string_equal(l[1], "Lists/pons");
	setenv("HOME", "/home/u", 1);
	setenv("XDG_DATA_HOME", "/data", 1);
	setenv("XDG_CACHE_HOME", "relative/ignored", 1);
	s = conf_account_spool(home);
	assert_string_equal(s, "/data/pons/home");
	free(s);
	s = conf_account_spool(work);
	assert_string_equal(s, "/home/u/Mail/work");
	free(s);
	s = conf_cache_dir();
	assert_string_equal(s, "/home/u/.cache/pons");
	free(s);
	unsetenv("XDG_CONFIG_HOME");
	s = conf_default_path();
	assert_string_equal(s, "/home/u/.config/pons/config");
	free(s);
	assert_int_equal(conf_key_count(c), 4);
	k = conf_key_find(c, "pager", "<pagedown>");
	assert_non_null(k);
	assert_string_equal(k->action, "next-page");
	assert_int_equal(k->line, 36);
	k = conf_key_find(c, "pager", "\\#");
	assert_non_null(k);
	assert_string_equal(k->action, "toggle-quotes");
	assert_non_null(conf_key_find(c, "pager", "é"));
	assert_null(conf_key_find(c, "index", "M-x"));
	conf_free(c);
}

static void
test_keys(void **state)
{
	static const struct {
		const char	*in;
		const char	*norm;	/* NULL: an error */
	} cases[] = {
		{ "d", "d" }, { "D", "D" }, { "C-l", "C-l" }, { "C-L", "C-l" },
		{ "M-x", "M-x" }, { "M-C-x", "C-M-x" }, { "<pagedown>",
		"<PageDown>" }, { "<PgDn>", "<PageDown>" }, { "<F1>", "<F1>" },
		{ "<f12>", "<F12>" }, { "\\$", "$" }, { "\\#", "\\#" },
		{ "#", "\\#" }, { "\\=", "\\=" }, { "C-<Left>", "C-<Left>" },
		{ "<Space>", "<Space>" }, { "<Return>", "<Enter>" },
		{ "ü", "ü" }, { "C", "C" }, { "C-", NULL }, { "", NULL },
		{ "ab", NULL }, { "<F0>", NULL }, { "<F25>", NULL },
		{ "<Nope>", NULL }, { "C-1", NULL }, { "<Up>x", NULL },
		{ " ", NULL }, { "\xff", NULL }, { "\xc3", NULL },
	};
	struct conf_keyspec	 ks;
	struct buf		 b;
	struct err		 e;
	size_t			 i;
	int			 rv;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_init(&b);
		rv = conf_key_parse(cases[i].in, &ks, &b, &e);
		if (cases[i].norm == NULL) {
			if (rv != -1)
				fail_msg("key \"%s\" accepted", cases[i].in);
			assert_int_equal(e.cls, ERR_INPUT);
		} else if (rv != 0 || strcmp(buf_str(&b), cases[i].norm) != 0)
			fail_msg("key \"%s\": got \"%s\"", cases[i].in,
			    buf_str(&b));
		buf_fini(&b);
	}
	assert_int_equal(conf_key_parse("C-M-<F3>", &ks, NULL, &e), 0);
	assert_true(ks.ctrl && ks.meta);
	assert_int_equal(ks.name, CONF_KEY_F);
	assert_int_equal(ks.fn, 3);
	assert_int_equal(conf_key_parse("é", &ks, NULL, &e), 0);
	assert_int_equal(ks.ch, 0xe9);
	assert_int_equal(ks.name, CONF_KEY_NONE);
}

/* A UI-like validator: two screens, a few actions. */
static int
key_check(void *arg, const char *screen, const char *action, struct err *e)
{
	int	*calls = arg;

	(*calls)++;
	if (strcmp(screen, "index") != 0 && strcmp(screen, "pager") != 0)
		return err_set(e, ERR_INPUT, "no screen %s", screen);
	if (action == NULL || strcmp(action, "delete") == 0 ||
	    strcmp(action, "quit") == 0)
		return 0;
	return err_set(e, ERR_INPUT, "unknown action \"%s\" on %s; "
	    "did you mean \"delete\"?", action, screen);
}

static void
test_key_validator(void **state)
{
	static const char text[] =
	    "[keys.index]\n"
	    "d = delete\n"
	    "x = delet\n"
	    "[keys.compose]\n"
	    "q = quit\n";
	struct conf		*c;
	struct conf_msgs	 msgs;
	struct err		 e;
	int			 calls = 0;

	c = conf_new();
	conf_set_key_check(c, key_check, &calls);
	conf_msgs_init(&msgs);
	assert_int_equal(conf_load_text(c, "k", text, sizeof text - 1, &msgs),
	    -1);
	assert_int_equal(msgs.n, 2);
	assert_string_equal(msgs.v[0].text, "k:3: key \"x\": unknown action "
	    "\"delet\" on index; did you mean \"delete\"?");
	assert_string_equal(msgs.v[1].text, "k:4: [keys.compose]: no screen "
	    "compose");
	assert_true(calls >= 3);
	conf_msgs_fini(&msgs);
	assert_int_equal(conf_key_bind(c, "pager", "q", "quit", &e), 0);
	assert_int_equal(conf_key_bind(c, "pager", "q", "fly", &e), -1);
	assert_int_equal(conf_key_bind(c, "nowhere", "q", "quit", &e), -1);
	assert_int_equal(conf_key_bind(c, "pager", "C-", "quit", &e), -1);
	assert_int_equal(conf_key_bind(c, "pager", "x", "quit\nq", &e), -1);
	assert_int_equal(conf_key_bind(c, "pager", "x", " quit", &e), -1);
	assert_string_equal(conf_key_find(c, "pager", "q")->action, "quit");
	assert_int_equal(conf_key_bind(c, "pager", "q", NULL, &e), 0);
	assert_null(conf_key_find(c, "pager", "q"));
	conf_free(c);
}

static char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static struct conf *
load_ok(const char *path)
{
	struct conf		*c = conf_new();
	struct conf_msgs	 msgs;
	size_t			 i;

	conf_msgs_init(&msgs);
	if (conf_load(c, path, CONF_LOAD_MISSING_OK, &msgs) != 0) {
		for (i = 0; i < msgs.n; i++)
			print_error("%s\n", msgs.v[i].text);
		fail();
	}
	conf_msgs_fini(&msgs);
	return c;
}

/* Change a hand-written file through the API: only those lines change. */
static void
test_round_trip(void **state)
{
	char			*path, *orig, *want, *got;
	struct conf		*c;
	struct conf_account	*a;
	struct err		 e;
	struct stat		 st;

	path = tmp_path("config");
	orig = slurp(DATA "/roundtrip.conf", NULL);
	spit(path, orig, 0640);
	c = load_ok(path);
	assert_false(conf_dirty(c));
	assert_int_equal(conf_save(c, &e), CONF_SAVE_OK);	/* no-op */
	got = slurp(path, NULL);
	assert_string_equal(got, orig);
	free(got);

	assert_int_equal(conf_set(c, NULL, OPT_UI_SORT, "from", &e), 0);
	assert_int_equal(conf_set(c, NULL, OPT_UI_THREADS, "no", &e), 0);
	assert_int_equal(conf_set(c, NULL, OPT_UI_DATE_FORMAT, " %d.%m. ",
	    &e), 0);
	assert_int_equal(conf_set(c, NULL, OPT_UI_MOUSE, "yes", &e), 0);
	assert_int_equal(conf_set(c, NULL, OPT_UI_MOUSE, "maybe", &e), -1);
	assert_int_equal(conf_set(c, NULL, OPT_ACCOUNT_HOST, "x", &e), -1);
	assert_int_equal(conf_set(c, NULL, OPT_COLOR_INDICATOR, "white red",
	    &e), 0);
	a = conf_account_find(c, "home");
	assert_int_equal(conf_set(c, a, OPT_ACCOUNT_CHECK_INTERVAL, "5m", &e),
	    0);
	assert_int_equal(conf_set(c, a, OPT_UI_SORT, "date", &e), -1);
	conf_account_remove(c, conf_account_find(c, "old"));
	a = conf_account_find(c, "work");
	conf_unset(c, a, OPT_ACCOUNT_IDLE);
	assert_int_equal(conf_set(c, a, OPT_ACCOUNT_POLL_INTERVAL, "2m", &e),
	    0);
	assert_int_equal(conf_key_bind(c, "index", "d", "archive", &e), 0);
	assert_int_equal(conf_key_bind(c, "index", "<f1>", "help", &e), 0);
	assert_null(conf_account_add(c, "home", &e));
	assert_null(conf_account_add(c, ".hidden", &e));
	assert_non_null(a = conf_account_add(c, "new", &e));
	assert_int_equal(conf_set(c, a, OPT_ACCOUNT_PROTOCOL, "imap", &e), 0);
	assert_int_equal(conf_set(c, a, OPT_ACCOUNT_HOST, "imap.new.example",
	    &e), 0);
	assert_true(conf_dirty(c));
	assert_int_equal(conf_save(c, &e), CONF_SAVE_OK);
	assert_false(conf_dirty(c));
	got = slurp(path, NULL);
	want = slurp(DATA "/roundtrip.expect", NULL);
	if (strcmp(got, want) != 0)
		fail_msg("--- want\n%s--- got\n%s", want, got);
	/* The file keeps its mode; the conf now points at the new lines. */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	a = conf_account_find(c, "work");
	assert_int_equal(opt_origin(conf_account_opts(a),
	    OPT_ACCOUNT_POLL_INTERVAL), OPT_ORIGIN_FILE);
	assert_int_equal(opt_origin_line(conf_account_opts(a),
	    OPT_ACCOUNT_POLL_INTERVAL), 32);
	assert_int_equal(conf_account_count(c), 3);
	/* A second save with nothing new changes nothing. */
	assert_int_equal(conf_save(c, &e), CONF_SAVE_OK);
	free(got);
	got = slurp(path, NULL);
	assert_string_equal(got, want);
	/* Saving again after one more change touches one more line. */
	assert_int_equal(conf_set(c, NULL, OPT_UI_MOUSE, "no", &e), 0);
	assert_int_equal(conf_save(c, &e), CONF_SAVE_OK);
	free(got);
	got = slurp(path, NULL);
	assert_non_null(strstr(got, "\nmouse = no\n"));
	assert_int_equal(strlen(got), strlen(want) - 1);
	free(got);
	free(want);
	free(orig);
	conf_free(c);
	unlink(path);
	free(path);
}

/* A change that would make the file unloadable is refused, file untouched. */
static void
test_save_refuses_broken(void **state)
{
	char			*path, *got;
	struct conf		*c;
	struct conf_account	*a;
	struct err		 e;
	static const char	 text[] = "[general]\ndefault_account = b\n"
	    "[account \"a\"]\nprotocol = imap\nhost = a\n\n"
	    "[account \"b\"]\nprotocol = pop3\nhost = b\n";

	path = tmp_path("config");
	spit(path, text, 0600);
	c = load_ok(path);
	assert_non_null(a = conf_account_add(c, "c", &e));
	assert_int_equal(conf_set(c, a, OPT_ACCOUNT_PROTOCOL, "imap", &e), 0);
	assert_int_equal(conf_save(c, &e), CONF_SAVE_ERROR);
	assert_non_null(strstr(e.msg, "account \"c\": missing host"));
	got = slurp(path, NULL);
	assert_string_equal(got, text);
	free(got);
	assert_int_equal(conf_set(c, a, OPT_ACCOUNT_HOST, "c", &e), 0);
	/* Removing the default account drops default_account with it. */
	conf_account_remove(c, conf_account_find(c, "b"));
	assert_null(opt_str(conf_opts(c), OPT_GENERAL_DEFAULT_ACCOUNT));
	assert_string_equal(conf_account_name(conf_account_default(c)), "a");
	assert_int_equal(conf_save(c, &e), CONF_SAVE_OK);
	got = slurp(path, NULL);
	assert_string_equal(got, "[general]\n"
	    "[account \"a\"]\nprotocol = imap\nhost = a\n\n"
	    "[account \"c\"]\nprotocol = imap\nhost = c\n");
	free(got);
	conf_free(c);
	unlink(path);
	free(path);
}

static void
test_new_file(void **state)
{
	char		*path, *got;
	struct conf	*c;
	struct err	 e;
	struct stat	 st;
	struct conf_account *a;

	path = tmp_path("sub/dir/fresh");
	c = load_ok(path);		/* missing: defaults */
	assert_int_equal(conf_account_count(c), 0);
	assert_null(conf_account_default(c));
	/* Nothing changed: nothing written, not even an empty file. */
	assert_int_equal(conf_save(c, &e), CONF_SAVE_OK);
	assert_int_equal(access(path, F_OK), -1);
	a = conf_account_add(c, "mail", &e);
	assert_int_equal(conf_set(c, a, OPT_ACCOUNT_PROTOCOL, "pop3", &e), 0);
	assert_int_equal(conf_set(c, a, OPT_ACCOUNT_HOST, "pop.example.org",
	    &e), 0);
	assert_int_equal(conf_set(c, a, OPT_ACCOUNT_PASSWORD, " secret", &e),
	    0);
	assert_int_equal(conf_set(c, NULL, OPT_UI_THREADS, "no", &e), 0);
	assert_int_equal(conf_save(c, &e), CONF_SAVE_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(got = tmp_path("sub/dir"));
	got = tmp_path("sub");
	assert_int_equal(stat(got, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	free(got);
	got = slurp(path, NULL);
	assert_string_equal(got,
	    "[ui]\n"
	    "threads = no\n"
	    "\n"
	    "[account \"mail\"]\n"
	    "protocol = pop3\n"
	    "host = pop.example.org\n"
	    "password = \" secret\"\n");
	free(got);
	conf_free(c);
	c = load_ok(path);
	assert_string_equal(opt_str(conf_account_opts(conf_account_default(c)),
	    OPT_ACCOUNT_PASSWORD), " secret");
	conf_free(c);
	unlink(path);
	free(path);
	path = tmp_path("sub/dir");
	rmdir(path);
	free(path);
	path = tmp_path("sub");
	rmdir(path);
	free(path);
}

/* An existing empty file is a file like any other: saved over in place. */
static void
test_save_over_empty_file(void **state)
{
	char		*path, *got;
	struct conf	*c;
	struct err	 e;

	path = tmp_path("empty");
	spit(path, "", 0600);
	c = load_ok(path);
	assert_int_equal(conf_set(c, NULL, OPT_UI_THREADS, "no", &e), 0);
	assert_int_equal(conf_save(c, &e), CONF_SAVE_OK);
	got = slurp(path, NULL);
	assert_string_equal(got, "[ui]\nthreads = no\n");
	free(got);
	conf_free(c);
	unlink(path);
	free(path);
}

static void
test_rename(void **state)
{
	char			*path, *got;
	struct conf		*c;
	struct conf_account	*a;
	struct err		 e;

	path = tmp_path("config");
	spit(path, "# x\r\n[account \"a\"]\r\nprotocol = imap\r\n"
	    "host = h\r\n[account \"z\"]\r\nprotocol = imap\r\n"
	    "host = z\r\n", 0600);
	c = load_ok(path);
	a = conf_account_find(c, "a");
	assert_int_equal(conf_account_rename(c, a, "z", &e), -1);
	assert_int_equal(conf_account_rename(c, a, "a/b", &e), -1);
	assert_int_equal(conf_account_rename(c, a, "b \"q\"", &e), 0);
	assert_null(conf_account_find(c, "a"));
	assert_ptr_equal(conf_account_find(c, "b \"q\""), a);
	assert_int_equal(conf_set(c, a, OPT_ACCOUNT_PORT, "1143", &e), 0);
	if (conf_save(c, &e) != CONF_SAVE_OK)
		fail_msg("save: %s", e.msg);
	got = slurp(path, NULL);
	/* CRLF files get CRLF lines. */
	assert_string_equal(got, "# x\r\n[account \"b \\\"q\\\"\"]\r\n"
	    "protocol = imap\r\nhost = h\r\nport = 1143\r\n"
	    "[account \"z\"]\r\nprotocol = imap\r\nhost = z\r\n");
	free(got);
	conf_free(c);
	c = load_ok(path);
	a = conf_account_find(c, "b \"q\"");
	assert_non_null(a);
	assert_int_equal(conf_account_port(a), 1143);
	conf_free(c);
	unlink(path);
	free(path);
}

/* The file changed behind our back: refuse, then reload and re-apply. */
static void
test_outside_edit(void **state)
{
	char			*path, *got;
	struct conf		*c;
	struct conf_changes	 ch;
	struct conf_msgs	 msgs;
	struct err		 e;

	path = tmp_path("config");
	spit(path, "[ui]\nsort = date\nthreads = yes\n", 0600);
	c = load_ok(path);
	assert_false(conf_changed_on_disk(c));
	assert_int_equal(conf_set(c, NULL, OPT_UI_THREADS, "no", &e), 0);
	/* Same size, other content: only the bytes can tell. */
	spit(path, "[ui]\nsort = from\nthreads = yes\n", 0600);
	assert_true(conf_changed_on_disk(c));
	assert_int_equal(conf_save(c, &e), CONF_SAVE_CONFLICT);
	assert_non_null(strstr(e.msg, "changed"));
	got = slurp(path, NULL);
	assert_string_equal(got, "[ui]\nsort = from\nthreads = yes\n");
	free(got);
	conf_msgs_init(&msgs);
	assert_int_equal(conf_reload(c, &ch, &msgs), 0);
	assert_int_equal(msgs.n, 0);
	conf_msgs_fini(&msgs);
	assert_false(conf_changed_on_disk(c));
	/* The outside edit is taken, our change is kept. */
	assert_int_equal(ch.n, 1);
	assert_int_equal(ch.v[0].id, OPT_UI_SORT);
	conf_changes_fini(&ch);
	assert_false(opt_bool(conf_opts(c), OPT_UI_THREADS));
	assert_int_equal(conf_save(c, &e), CONF_SAVE_OK);
	got = slurp(path, NULL);
	assert_string_equal(got, "[ui]\nsort = from\nthreads = no\n");
	free(got);
	/* A file deleted behind our back is an outside edit too. */
	assert_int_equal(conf_set(c, NULL, OPT_UI_MOUSE, "yes", &e), 0);
	unlink(path);
	assert_int_equal(conf_save(c, &e), CONF_SAVE_CONFLICT);
	assert_int_equal(access(path, F_OK), -1);
	conf_msgs_init(&msgs);
	assert_int_equal(conf_reload(c, &ch, &msgs), -1);
	assert_int_equal(msgs.nerrors, 1);
	conf_msgs_fini(&msgs);
	conf_changes_fini(&ch);
	assert_false(opt_bool(conf_opts(c), OPT_UI_THREADS));
	assert_true(opt_bool(conf_opts(c), OPT_UI_MOUSE));
	conf_free(c);
	free(path);
}

/* Two confs read separately: what differs, as a reload reports it. */
static void
test_compare(void **state)
{
	struct conf		*a, *b;
	struct conf_changes	 ch;
	struct conf_msgs	 msgs;

	a = conf_new();
	b = conf_new();
	conf_msgs_init(&msgs);
	assert_int_equal(conf_load_text(a, "one", "[ui]\nthreads = yes\n"
	    "[account \"x\"]\nprotocol = imap\nhost = h.example\n", 66,
	    &msgs), 0);
	assert_int_equal(conf_load_text(b, "two", "[ui]\nthreads = no\n"
	    "[account \"x\"]\nprotocol = imap\nhost = i.example\n", 65,
	    &msgs), 0);
	assert_int_equal(msgs.n, 0);
	conf_msgs_fini(&msgs);
	conf_compare(a, b, &ch);
	assert_int_equal(ch.n, 2);
	assert_null(ch.v[0].account);
	assert_int_equal(ch.v[0].id, OPT_UI_THREADS);
	assert_false(ch.v[0].reconnect);
	assert_string_equal(ch.v[1].account, "x");
	assert_int_equal(ch.v[1].id, OPT_ACCOUNT_HOST);
	assert_true(ch.v[1].reconnect);
	assert_false(ch.keys_changed);
	assert_int_equal(ch.nadded + ch.nremoved, 0);
	conf_changes_fini(&ch);
	conf_compare(a, a, &ch);
	assert_int_equal(ch.n, 0);
	conf_changes_fini(&ch);
	conf_free(a);
	conf_free(b);
}

static void
test_reload(void **state)
{
	char			*path;
	struct conf		*c;
	struct conf_changes	 ch;
	struct conf_msgs	 msgs;
	struct err		 e;
	size_t			 i;
	bool			 saw_sort = false, saw_host = false,
				 saw_poll = false;

	path = tmp_path("config");
	spit(path, "[ui]\nsort = date\n[account \"a\"]\nprotocol = imap\n"
	    "host = one.example\npoll_interval = 5m\n"
	    "[account \"b\"]\nprotocol = pop3\nhost = b.example\n", 0600);
	c = load_ok(path);
	assert_int_equal(conf_set_cmdline(c, NULL,
	    OPT_GENERAL_DEFAULT_ACCOUNT, "a", &e), 0);
	spit(path, "[ui]\nsort = size\n[account \"a\"]\nprotocol = imap\n"
	    "host = two.example\npoll_interval = 1m\n"
	    "[account \"c\"]\nprotocol = pop3\nhost = c.example\n"
	    "[keys.index]\nd = delete\n", 0600);
	conf_msgs_init(&msgs);
	assert_int_equal(conf_reload(c, &ch, &msgs), 0);
	conf_msgs_fini(&msgs);
	for (i = 0; i < ch.n; i++) {
		if (ch.v[i].account == NULL && ch.v[i].id == OPT_UI_SORT) {
			saw_sort = true;
			assert_false(ch.v[i].reconnect);
		} else if (ch.v[i].id == OPT_ACCOUNT_HOST) {
			saw_host = true;
			assert_string_equal(ch.v[i].account, "a");
			assert_true(ch.v[i].reconnect);
		} else if (ch.v[i].id == OPT_ACCOUNT_POLL_INTERVAL) {
			saw_poll = true;
			assert_false(ch.v[i].reconnect);
		} else
			fail_msg("unexpected change of %s",
			    opt_defs[ch.v[i].id].name);
	}
	assert_true(saw_sort && saw_host && saw_poll);
	assert_int_equal(ch.nadded, 1);
	assert_string_equal(ch.accounts_added[0], "c");
	assert_int_equal(ch.nremoved, 1);
	assert_string_equal(ch.accounts_removed[0], "b");
	assert_true(ch.keys_changed);
	conf_changes_fini(&ch);
	/* Command line values survive a reload. */
	assert_int_equal(opt_origin(conf_opts(c), OPT_GENERAL_DEFAULT_ACCOUNT),
	    OPT_ORIGIN_CMDLINE);
	/* A broken file: keep what we have, report every error. */
	spit(path, "[ui]\nsort = nope\nmouse = maybe\n", 0600);
	conf_msgs_init(&msgs);
	assert_int_equal(conf_reload(c, &ch, &msgs), -1);
	assert_int_equal(msgs.nerrors, 2);
	conf_msgs_fini(&msgs);
	conf_changes_fini(&ch);
	assert_int_equal(opt_enum(conf_opts(c), OPT_UI_SORT), OPT_SORT_SIZE);
	assert_non_null(conf_account_find(c, "c"));
	conf_free(c);
	unlink(path);
	free(path);
}

static void
test_password_mode(void **state)
{
	char			*path;
	struct conf		*c;
	struct conf_msgs	 msgs;

	path = tmp_path("config");
	spit(path, "[account \"a\"]\nprotocol = imap\nhost = h\n"
	    "password = pw\n", 0644);
	c = conf_new();
	conf_msgs_init(&msgs);
	assert_int_equal(conf_load(c, path, 0, &msgs), 0);
	assert_int_equal(msgs.n, 1);
	assert_true(msgs.v[0].warning);
	assert_int_equal(msgs.v[0].line, 4);
	assert_non_null(strstr(msgs.v[0].text, "can be read by others"));
	conf_msgs_fini(&msgs);
	conf_free(c);
	chmod(path, 0600);
	c = conf_new();
	conf_msgs_init(&msgs);
	assert_int_equal(conf_load(c, path, 0, &msgs), 0);
	assert_int_equal(msgs.n, 0);
	conf_msgs_fini(&msgs);
	conf_free(c);
	/*
	 * Saving: a file that will hold a password is written 0600, one
	 * without keeps its mode.
	 */
	{
		struct stat	 sb;
		struct err	 e;

		spit(path, "[account \"a\"]\nprotocol = imap\nhost = h\n",
		    0644);
		c = load_ok(path);
		assert_int_equal(conf_set(c, NULL, OPT_UI_MOUSE, "yes", &e), 0);
		assert_int_equal(conf_save(c, &e), CONF_SAVE_OK);
		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0644);
		assert_int_equal(conf_set(c, conf_account_find(c, "a"),
		    OPT_ACCOUNT_PASSWORD, "pw", &e), 0);
		assert_int_equal(conf_save(c, &e), CONF_SAVE_OK);
		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
		conf_free(c);
	}
	/* Larger than 1 MiB: refused, not read whole. */
	spit(path, "", 0600);
	assert_int_equal(truncate(path, CONF_FILE_MAX + 1), 0);
	c = conf_new();
	conf_msgs_init(&msgs);
	assert_int_equal(conf_load(c, path, 0, &msgs), -1);
	assert_int_equal(msgs.nerrors, 1);
	assert_non_null(strstr(msgs.v[0].text, "larger than"));
	conf_msgs_fini(&msgs);
	conf_free(c);
	/* A missing file named with -F is an error. */
	unlink(path);
	c = conf_new();
	conf_msgs_init(&msgs);
	assert_int_equal(conf_load(c, path, 0, &msgs), -1);
	assert_int_equal(msgs.nerrors, 1);
	conf_msgs_fini(&msgs);
	conf_free(c);
	free(path);
}

static void
test_dump(void **state)
{
	static const char text[] =
	    "[ui]\nsort = from\n[account \"x\"]\nprotocol = pop3\n"
	    "host = h\npassword = hunter2\ntls = none\n";
	struct conf	*c;
	struct buf	 b = BUF_INIT;
	struct err	 e;

	c = conf_new();
	assert_int_equal(conf_load_text(c, "f", text, sizeof text - 1, NULL),
	    0);
	assert_int_equal(conf_set_cmdline(c, NULL, OPT_UI_MOUSE, "yes", &e),
	    0);
	conf_dump(c, &b);
	assert_non_null(strstr(buf_str(&b), "\nsort = from  # f:2\n"));
	assert_non_null(strstr(buf_str(&b), "\nthreads = yes  # default\n"));
	assert_non_null(strstr(buf_str(&b), "\nmouse = yes  # command line\n"));
	assert_non_null(strstr(buf_str(&b), "\nport = 110  # default\n"));
	assert_non_null(strstr(buf_str(&b),
	    "\npassword = ********  # f:6\n"));
	assert_null(strstr(buf_str(&b), "hunter2"));
	buf_fini(&b);
	conf_free(c);
}

/* Step N of the atomic write, then SIGKILL: old or new, never torn. */
static void
test_crash_steps(void **state)
{
	char	*path, *got, *newtext;
	pid_t	 pid;
	int	 status, step;
	struct err e;
	size_t	 i;

	path = tmp_path("config");
	newtext = xmalloc(300000);
	for (i = 0; i < 299999; i++)
		newtext[i] = i % 64 == 63 ? '\n' : 'n';
	newtext[299999] = '\0';
	for (step = 1; step <= 6; step++) {
		spit(path, "old\n", 0600);
		if ((pid = fork()) == 0) {
			conf_write_kill_after = step;
			conf_file_write(path, newtext, strlen(newtext), false, &e);
			_exit(0);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGKILL);
		got = slurp(path, NULL);
		if (step < 5)
			assert_string_equal(got, "old\n");
		else
			assert_string_equal(got, newtext);
		free(got);
	}
	free(newtext);
	free(path);
}

/* Saves killed at arbitrary moments: the file is always whole. */
static void
test_crash_random(void **state)
{
	char		*path, *a, *b, *got;
	struct conf	*c;
	struct err	 e;
	pid_t		 pid;
	int		 status, round, n, olds = 0, news = 0;
	size_t		 i;

	path = tmp_path("config");
	/* Two full valid configs of different sizes. */
	a = xmalloc(200000);
	b = xmalloc(200000);
	strcpy(a, "[ui]\nsort = date\n");
	strcpy(b, "[ui]\nsort = from\n");
	for (i = 0; i < 3000; i++) {
		strcat(a + strlen(a) - 0, "# padding padding padding padding\n");
		if (i % 2 == 0)
			strcat(b + strlen(b), "# pad\n");
	}
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	spit(path, a, 0600);
	for (round = 0; round < 40; round++) {
		if ((pid = fork()) == 0) {
			for (n = 0;; n++)
				conf_file_write(path, n % 2 ? a : b,
				    strlen(n % 2 ? a : b), false, &e);
		}
		usleep((useconds_t)(rand() % 3000));
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		got = slurp(path, NULL);
		if (strcmp(got, a) == 0)
			olds++;
		else if (strcmp(got, b) == 0)
			news++;
		else
			fail_msg("round %d: torn file of %zu bytes", round,
			    strlen(got));
		free(got);
	}
	assert_int_equal(olds + news, 40);
	/* And through conf_save itself, killed after the rename. */
	spit(path, a, 0600);
	if ((pid = fork()) == 0) {
		c = load_ok(path);
		conf_set(c, NULL, OPT_UI_SORT, "size", &e);
		conf_write_kill_after = 5;
		conf_save(c, &e);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	got = slurp(path, NULL);
	assert_int_equal(strncmp(got, "[ui]\nsort = size\n# padding", 26), 0);
	assert_int_equal(strlen(got), strlen(a));
	free(got);
	free(a);
	free(b);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_value_parsers),
		cmocka_unit_test(test_opts_typed),
		cmocka_unit_test(test_lexer),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_error_files),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_key_validator),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_save_refuses_broken),
		cmocka_unit_test(test_new_file),
		cmocka_unit_test(test_save_over_empty_file),
		cmocka_unit_test(test_rename),
		cmocka_unit_test(test_outside_edit),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_password_mode),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_crash_steps),
		cmocka_unit_test(test_crash_random),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
