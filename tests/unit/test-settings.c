/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the settings screen's row model: which rows there are,
 * their text and marks, the search, and key codes written as config text.
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "config/conf.h"
#include "config/options.h"
#include "ui/keymap.h"
#include "ui/ui.h"
#include "settings.h"
#include "ui-private.h"
#include "util/buf.h"

static const char test_conf[] =
    "# comment\n"
    "[ui]\n"
    "sort = from\n"
    "pager_context = 2\n"
    "[keys.index]\n"
    "x = sync-mailbox\n"
    "[account \"home\"]\n"
    "protocol = pop3\n"
    "host = pop.example.net\n"
    "password = hunter2\n"
    "[account \"work\"]\n"
    "protocol = imap\n"
    "host = imap.example.com\n";

static struct conf *
load(void)
{
	struct conf		*c = conf_new();
	struct conf_msgs	 msgs;

	conf_set_key_check(c, ui_key_check, NULL);
	conf_msgs_init(&msgs);
	assert_int_equal(conf_load_text(c, "test", test_conf,
	    strlen(test_conf), &msgs), 0);
	conf_msgs_fini(&msgs);
	return c;
}

/* Index of the OPTION row id of account (NULL: global), or -1. */
static long
find_opt(const struct srows *r, const char *account, enum opt_id id)
{
	size_t	 i;

	for (i = 0; i < r->n; i++) {
		const struct srow	*row = &r->v[i];

		if (row->kind != SROW_OPTION || row->id != id)
			continue;
		if ((account == NULL) != (row->account == NULL))
			continue;
		if (account != NULL && strcmp(account, row->account) != 0)
			continue;
		return (long)i;
	}
	return -1;
}

static void
test_rows_sections(void **state)
{
	struct conf	*c = load();
	struct srows	 r;
	struct buf	 b = BUF_INIT;
	size_t		 i, nsec = 0;
	const char	*want[] = { "General", "Display", "Keys",
	    "Account \"home\"", "Account \"work\"" };

	settings_rows_build(&r, c);
	for (i = 0; i < r.n; i++) {
		if (r.v[i].kind != SROW_SECTION)
			continue;
		buf_reset(&b);
		settings_row_name(&r.v[i], &b);
		assert_true(nsec < 5);
		assert_string_equal(buf_str(&b), want[nsec]);
		nsec++;
	}
	assert_int_equal(nsec, 5);
	assert_int_equal(r.v[r.n - 1].kind, SROW_ADD_ACCOUNT);
	/* each protocol shows its own policies only */
	assert_true(find_opt(&r, "home", OPT_ACCOUNT_KEEP_ON_SERVER) >= 0);
	assert_true(find_opt(&r, "home", OPT_ACCOUNT_IDLE) == -1);
	assert_true(find_opt(&r, "work", OPT_ACCOUNT_IDLE) >= 0);
	assert_true(find_opt(&r, "work", OPT_ACCOUNT_KEEP_ON_SERVER) == -1);
	/* every global option is there once */
	for (i = 0; i < OPT_COUNT; i++)
		if (opt_def_get((enum opt_id)i)->section != OPT_SEC_ACCOUNT)
			assert_true(find_opt(&r, NULL, (enum opt_id)i) >= 0);
	buf_fini(&b);
	settings_rows_free(&r);
	conf_free(c);
}

static void
test_rows_format(void **state)
{
	struct conf	*c = load();
	struct keymap	*km = settings_keymap(c), *def = keymap_new();
	struct srows	 r;
	struct buf	 b = BUF_INIT;
	long		 i;

	settings_rows_build(&r, c);
	/* differs from the default: '*' */
	i = find_opt(&r, NULL, OPT_UI_SORT);
	settings_row_format(&r.v[i], c, km, def, false, 10, &b);
	assert_string_equal(buf_str(&b), "*  sort       from");
	/* set in the file but to the default: no mark; unsaved: '+' */
	buf_reset(&b);
	i = find_opt(&r, NULL, OPT_UI_PAGER_CONTEXT);
	settings_row_format(&r.v[i], c, km, def, true, 4, &b);
	assert_string_equal(buf_str(&b), " + pager_context 2");
	/* a password is never shown */
	buf_reset(&b);
	i = find_opt(&r, "home", OPT_ACCOUNT_PASSWORD);
	settings_row_value(&r.v[i], c, km, &b);
	assert_string_equal(buf_str(&b), "(set)");
	buf_reset(&b);
	i = find_opt(&r, "work", OPT_ACCOUNT_PASSWORD);
	settings_row_value(&r.v[i], c, km, &b);
	assert_string_equal(buf_str(&b), "(unset)");
	/* an unset port shows the one derived from the protocol */
	buf_reset(&b);
	i = find_opt(&r, "home", OPT_ACCOUNT_PORT);
	settings_row_value(&r.v[i], c, km, &b);
	assert_string_equal(buf_str(&b), "995 (default)");
	/* the help of a number carries its range, an enum its choices */
	buf_reset(&b);
	settings_row_help(&r.v[find_opt(&r, NULL, OPT_UI_PAGER_CONTEXT)], &b);
	assert_non_null(strstr(buf_str(&b),
	    "[0..100] (default: 2); applies at once"));
	buf_reset(&b);
	settings_row_help(&r.v[find_opt(&r, "work", OPT_ACCOUNT_HOST)], &b);
	assert_non_null(strstr(buf_str(&b), "; applies on the next connection"));
	buf_reset(&b);
	settings_row_help(&r.v[find_opt(&r, NULL, OPT_GENERAL_LOG_LEVEL)], &b);
	assert_non_null(strstr(buf_str(&b), "; applies when pons starts"));
	buf_reset(&b);
	settings_row_help(&r.v[find_opt(&r, NULL, OPT_UI_PAGER_WRAP)], &b);
	assert_non_null(strstr(buf_str(&b), "[none, word, flowed]"));
	buf_fini(&b);
	settings_rows_free(&r);
	keymap_free(km);
	keymap_free(def);
	conf_free(c);
}

static void
test_rows_keys(void **state)
{
	struct conf	*c = load();
	struct keymap	*km = settings_keymap(c), *def = keymap_new();
	struct srows	 r;
	struct buf	 b = BUF_INIT;
	size_t		 i;
	bool		 seen_sync = false, seen_delete = false;

	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'x'), ACT_SYNC);
	assert_int_equal(keymap_get(def, KEYMAP_INDEX, 'x'), ACT_NONE);
	settings_rows_build(&r, c);
	for (i = 0; i < r.n; i++) {
		const struct srow	*row = &r.v[i];

		if (row->kind != SROW_KEY || row->map != KEYMAP_INDEX)
			continue;
		buf_reset(&b);
		settings_row_value(row, c, km, &b);
		if (row->act == ACT_SYNC) {
			seen_sync = true;
			assert_string_equal(buf_str(&b), "$, x");
			assert_true(settings_row_changed(row, c, km, def));
		}
		if (row->act == ACT_DELETE) {
			seen_delete = true;
			assert_string_equal(buf_str(&b), "d");
			assert_false(settings_row_changed(row, c, km, def));
		}
	}
	assert_true(seen_sync && seen_delete);
	buf_fini(&b);
	settings_rows_free(&r);
	keymap_free(km);
	keymap_free(def);
	conf_free(c);
}

static void
test_search(void **state)
{
	struct conf	*c = load();
	struct srows	 r;
	long		 sort, threads;

	settings_rows_build(&r, c);
	sort = find_opt(&r, NULL, OPT_UI_SORT);
	threads = find_opt(&r, NULL, OPT_UI_THREADS);
	assert_true(settings_row_match(&r.v[sort], "sort"));
	assert_true(settings_row_match(&r.v[sort], "SORT"));
	/* words of the help, all of them, in any order */
	assert_true(settings_row_match(&r.v[threads], "group threads"));
	assert_true(settings_row_match(&r.v[threads], "  messages   index "));
	assert_false(settings_row_match(&r.v[threads], "group nonsense"));
	assert_false(settings_row_match(&r.v[sort], "threads"));
	/* nothing matches an empty query; headings never match */
	assert_false(settings_row_match(&r.v[sort], ""));
	assert_false(settings_row_match(&r.v[sort], "   "));
	assert_false(settings_row_match(&r.v[0], "General"));
	settings_rows_free(&r);
	conf_free(c);
}

/* A key written by settings_key_text() reads back as the same key. */
static void
test_key_text(void **state)
{
	static const struct {
		int		 key;
		const char	*text;
	} t[] = {
		{ 'd', "d" }, { '#', "\\#" }, { '=', "\\=" }, { 12, "C-l" },
		{ 1, "C-a" }, { 31, "C-_" }, { '\r', "<Enter>" },
		{ ' ', "<Space>" }, { 27, "<Escape>" },
		{ KEYMAP_FN | KEY_NPAGE, "<PageDown>" },
		{ KEYMAP_FN | KEY_F(5), "<F5>" },
		{ KEYMAP_FN | KEY_UP, "<Up>" }, { 0xe9, "\xc3\xa9" },
	};
	struct buf		 b = BUF_INIT;
	struct conf_keyspec	 ks;
	struct err		 e;
	size_t			 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		buf_reset(&b);
		assert_int_equal(settings_key_text(t[i].key, &b), 0);
		assert_string_equal(buf_str(&b), t[i].text);
		assert_int_equal(conf_key_parse(buf_str(&b), &ks, NULL, &e),
		    0);
		assert_int_equal(ui_conf_key(&ks), t[i].key);
	}
	/* keys the file cannot name */
	assert_int_equal(settings_key_text(127, &b), -1);
	assert_int_equal(settings_key_text(KEYMAP_FN | KEY_ENTER, &b), -1);
	assert_int_equal(settings_key_text(-5, &b), -1);
	buf_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_sections),
		cmocka_unit_test(test_rows_format),
		cmocka_unit_test(test_rows_keys),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_key_text),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "en_US.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
