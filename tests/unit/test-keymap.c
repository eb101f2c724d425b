/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the key maps (ui/keymap.c) and the prompt line editor
 * (ui/lineedit.c): defaults, rebinding and its errors, key names, the
 * help listing, editing keys, history and completion.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <curses.h>

#include "ui/keymap.h"
#include "ui/lineedit.h"

#define FN(k)	(KEYMAP_FN | (k))

static void
test_keymap_defaults(void **state)
{
	struct keymap	*km = keymap_new();

	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'j'), ACT_NEXT_ENTRY);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, FN(KEY_DOWN)),
	    ACT_NEXT_ENTRY);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'k'),
	    ACT_PREVIOUS_ENTRY);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, '\r'),
	    ACT_DISPLAY_MESSAGE);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'q'), ACT_QUIT);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'd'), ACT_DELETE);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'u'), ACT_UNDELETE);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, '$'), ACT_SYNC);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'N'), ACT_TOGGLE_NEW);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'F'), ACT_FLAG);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, '='), ACT_FIRST_ENTRY);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, '*'), ACT_LAST_ENTRY);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, FN(KEY_NPAGE)),
	    ACT_NEXT_PAGE);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 12), ACT_REDRAW);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, '/'), ACT_SEARCH);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'n'), ACT_SEARCH_NEXT);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'l'), ACT_LIMIT);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'o'), ACT_SORT);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, '?'), ACT_HELP);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'r'), ACT_REPLY);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'Z'), ACT_NONE);
	/* the pager: q leaves it, j/k change message, space pages */
	assert_int_equal(keymap_get(km, KEYMAP_PAGER, 'q'), ACT_EXIT);
	assert_int_equal(keymap_get(km, KEYMAP_PAGER, 'j'),
	    ACT_NEXT_UNDELETED);
	assert_int_equal(keymap_get(km, KEYMAP_PAGER, ' '), ACT_NEXT_PAGE);
	assert_int_equal(keymap_get(km, KEYMAP_PAGER, 'h'),
	    ACT_TOGGLE_HEADERS);
	assert_int_equal(keymap_get(km, KEYMAP_PAGER, '\r'), ACT_NEXT_LINE);
	assert_int_equal(keymap_get(km, KEYMAP_ATTACH, 's'), ACT_SAVE_ENTRY);
	assert_int_equal(keymap_get(km, KEYMAP_ATTACH, '|'), ACT_PIPE_ENTRY);
	assert_int_equal(keymap_get(km, KEYMAP_PROMPT, 23),
	    ACT_EDIT_KILL_WORD);
	assert_int_equal(keymap_get(km, KEYMAP_PROMPT, '\t'),
	    ACT_EDIT_COMPLETE);
	/* every default action works in the map it is bound in */
	{
		struct keymap_entry	 v[256];
		size_t			 n, i;
		unsigned int		 id;

		for (id = 0; id < KEYMAP_COUNT; id++) {
			n = keymap_list(km, id, v, 256);
			assert_true(n > 0 && n <= 256);
			for (i = 0; i < n; i++)
				assert_true(action_defs[v[i].action].maps &
				    (1U << id));
		}
	}
	keymap_free(km);
}

static void
test_keymap_names(void **state)
{
	static const struct {
		const char	*name;
		int		 key;
		const char	*canon;
	} cases[] = {
		{ "j", 'j', "j" },
		{ "^L", 12, "^L" },
		{ "C-l", 12, "^L" },
		{ "<Enter>", '\r', "<Enter>" },
		{ "<return>", '\r', "<Enter>" },
		{ "<PageDown>", FN(KEY_NPAGE), "<PageDown>" },
		{ "<up>", FN(KEY_UP), "<Up>" },
		{ "<F5>", FN(KEY_F(5)), "<F5>" },
		{ "<Space>", ' ', "<Space>" },
		{ "\xc3\xa9", 0xe9, "\xc3\xa9" },	/* é */
		{ "$", '$', "$" },
	};
	static const char *const bad[] = {
		"", "<Nope>", "ab", "^1", "<>", "<F99>",
	};
	size_t	 i;
	int	 key;
	char	 name[32];
	struct err e;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(keymap_key_parse(cases[i].name, &key, &e), 0);
		assert_int_equal(key, cases[i].key);
		keymap_key_name(key, name, sizeof name);
		assert_string_equal(name, cases[i].canon);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (keymap_key_parse(bad[i], &key, &e) != -1)
			fail_msg("key \"%s\" parsed", bad[i]);
		assert_int_equal(e.cls, ERR_INPUT);
	}
}

static void
test_keymap_rebind(void **state)
{
	struct keymap	*km = keymap_new();
	struct err	 e;

	assert_int_equal(keymap_bind_text(km, "index", "x", "delete-message",
	    &e), 0);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'x'), ACT_DELETE);
	assert_int_equal(keymap_bind_text(km, "index", "d", "none", &e), 0);
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'd'), ACT_NONE);
	assert_int_equal(keymap_bind_text(km, "pager", "<Down>", "half-down",
	    &e), 0);
	assert_int_equal(keymap_get(km, KEYMAP_PAGER, FN(KEY_DOWN)),
	    ACT_HALF_DOWN);
	/* the index map is unchanged by a pager binding */
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, FN(KEY_DOWN)),
	    ACT_NEXT_ENTRY);

	assert_int_equal(keymap_bind_text(km, "index", "x", "explode", &e), -1);
	assert_non_null(strstr(e.msg, "unknown action explode"));
	assert_int_equal(keymap_bind_text(km, "nowhere", "x", "quit", &e), -1);
	assert_non_null(strstr(e.msg, "unknown screen"));
	assert_int_equal(keymap_bind_text(km, "index", "<Bogus>", "quit", &e),
	    -1);
	assert_non_null(strstr(e.msg, "unknown key"));
	assert_int_equal(keymap_bind_text(km, "index", "h", "toggle-headers",
	    &e), -1);
	assert_non_null(strstr(e.msg, "does not work in the index"));
	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'x'), ACT_DELETE);
	keymap_free(km);
}

static void
test_keymap_help_list(void **state)
{
	struct keymap		*km = keymap_new();
	struct keymap_entry	 v[256];
	size_t			 n, i, found = 0;
	struct err		 e;

	assert_int_equal(keymap_bind_text(km, "index", "X", "limit", &e), 0);
	n = keymap_list(km, KEYMAP_INDEX, v, 256);
	for (i = 0; i < n; i++) {
		if (i > 0)	/* sorted by action, then key */
			assert_true(v[i - 1].action < v[i].action ||
			    (v[i - 1].action == v[i].action &&
			    v[i - 1].key < v[i].key));
		if (v[i].action == ACT_LIMIT)
			found |= v[i].key == 'X' ? 1 : v[i].key == 'l' ? 2 : 4;
	}
	assert_int_equal(found, 3);
	/* a short buffer gets a prefix and the full count */
	assert_int_equal(keymap_list(km, KEYMAP_INDEX, v, 2), n);
	assert_int_equal(action_find("limit"), ACT_LIMIT);
	assert_int_equal(action_find("nope"), ACT_NONE);
	assert_int_equal(keymap_id_find("pager"), KEYMAP_PAGER);
	assert_int_equal(keymap_id_find("x"), -1);
	keymap_free(km);
}

/* The folder screen's map: its defaults, its name, rebinding in it. */
static void
test_keymap_folders(void **state)
{
	struct keymap	*km = keymap_new();
	struct err	 e;

	assert_int_equal(keymap_get(km, KEYMAP_INDEX, 'c'),
	    ACT_CHANGE_FOLDER);
	assert_int_equal(keymap_get(km, KEYMAP_FOLDERS, '\r'),
	    ACT_OPEN_FOLDER);
	assert_int_equal(keymap_get(km, KEYMAP_FOLDERS, 'j'), ACT_NEXT_ENTRY);
	assert_int_equal(keymap_get(km, KEYMAP_FOLDERS, 'q'), ACT_EXIT);
	assert_int_equal(keymap_get(km, KEYMAP_FOLDERS, 27), ACT_EXIT);
	assert_int_equal(keymap_get(km, KEYMAP_FOLDERS, '/'), ACT_SEARCH);
	assert_int_equal(keymap_get(km, KEYMAP_FOLDERS, 'c'),
	    ACT_OPEN_MAILDIR);
	assert_int_equal(keymap_get(km, KEYMAP_FOLDERS, '?'), ACT_HELP);
	assert_int_equal(keymap_get(km, KEYMAP_FOLDERS, 'd'), ACT_NONE);
	assert_int_equal(keymap_id_find("folders"), KEYMAP_FOLDERS);
	assert_string_equal(keymap_id_name(KEYMAP_FOLDERS), "folders");
	assert_int_equal(action_find("open-folder"), ACT_OPEN_FOLDER);
	assert_int_equal(keymap_bind_text(km, "folders", "o", "open-folder",
	    &e), 0);
	assert_int_equal(keymap_get(km, KEYMAP_FOLDERS, 'o'), ACT_OPEN_FOLDER);
	assert_int_equal(keymap_bind_text(km, "index", "o", "open-folder",
	    &e), -1);
	assert_int_equal(keymap_key_for(km, KEYMAP_FOLDERS, ACT_OPEN_MAILDIR),
	    'c');
	keymap_free(km);
}

static void
test_lineedit_editing(void **state)
{
	struct lineedit	 le;

	lineedit_init(&le, "hello world", NULL);
	assert_int_equal(le.cursor, 11);
	lineedit_action(&le, ACT_EDIT_KILL_WORD);
	assert_string_equal(lineedit_text(&le), "hello ");
	lineedit_insert(&le, 0x65e5);		/* 日 */
	lineedit_insert(&le, 0x672c);		/* 本 */
	assert_string_equal(lineedit_text(&le), "hello \xe6\x97\xa5\xe6\x9c\xac");
	lineedit_action(&le, ACT_EDIT_BACKSPACE);
	assert_string_equal(lineedit_text(&le), "hello \xe6\x97\xa5");
	lineedit_action(&le, ACT_EDIT_LEFT);
	assert_int_equal(le.cursor, 6);
	lineedit_insert(&le, 'X');
	assert_string_equal(lineedit_text(&le), "hello X\xe6\x97\xa5");
	lineedit_action(&le, ACT_EDIT_BOL);
	lineedit_action(&le, ACT_EDIT_DELETE);
	assert_string_equal(lineedit_text(&le), "ello X\xe6\x97\xa5");
	lineedit_action(&le, ACT_EDIT_RIGHT);
	lineedit_action(&le, ACT_EDIT_KILL_EOL);
	assert_string_equal(lineedit_text(&le), "e");
	lineedit_action(&le, ACT_EDIT_EOL);
	lineedit_insert(&le, 'n');
	lineedit_insert(&le, 27);		/* control: ignored */
	lineedit_action(&le, ACT_EDIT_KILL_LINE);
	assert_string_equal(lineedit_text(&le), "");
	assert_int_equal(lineedit_action(&le, ACT_EDIT_BACKSPACE),
	    LINEEDIT_MORE);
	assert_int_equal(lineedit_action(&le, ACT_EDIT_ACCEPT),
	    LINEEDIT_ACCEPT);
	assert_int_equal(lineedit_action(&le, ACT_EDIT_CANCEL),
	    LINEEDIT_CANCEL);
	lineedit_fini(&le);
}

static void
test_lineedit_history(void **state)
{
	struct lineedit_history	 h;
	struct lineedit		 le;

	memset(&h, 0, sizeof h);
	lineedit_history_add(&h, "one");
	lineedit_history_add(&h, "two");
	lineedit_history_add(&h, "two");	/* not kept twice */
	lineedit_history_add(&h, "");
	assert_int_equal(h.n, 2);
	lineedit_init(&le, "draft", &h);
	lineedit_action(&le, ACT_EDIT_HISTORY_UP);
	assert_string_equal(lineedit_text(&le), "two");
	lineedit_action(&le, ACT_EDIT_HISTORY_UP);
	assert_string_equal(lineedit_text(&le), "one");
	lineedit_action(&le, ACT_EDIT_HISTORY_UP);
	assert_string_equal(lineedit_text(&le), "one");
	lineedit_action(&le, ACT_EDIT_HISTORY_DOWN);
	lineedit_action(&le, ACT_EDIT_HISTORY_DOWN);
	assert_string_equal(lineedit_text(&le), "draft");
	lineedit_fini(&le);
	lineedit_history_clear(&h);
	assert_int_equal(h.n, 0);
}

static void
test_lineedit_complete(void **state)
{
	char		 dir[] = "/tmp/pons-le-XXXXXX", *p;
	struct lineedit	 le;
	FILE		*fp;

	assert_non_null(mkdtemp(dir));
	p = malloc(strlen(dir) + 32);
	sprintf(p, "%s/mailbox-one", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	sprintf(p, "%s/mailbox-two.txt", dir);
	assert_non_null(fp = fopen(p, "w"));
	fclose(fp);
	sprintf(p, "%s/m", dir);
	lineedit_init(&le, p, NULL);
	assert_int_equal(lineedit_complete(&le), 2);
	sprintf(p, "%s/mailbox-", dir);
	assert_string_equal(lineedit_text(&le), p);
	lineedit_insert(&le, 'o');
	assert_int_equal(lineedit_complete(&le), 1);
	sprintf(p, "%s/mailbox-one/", dir);
	assert_string_equal(lineedit_text(&le), p);
	lineedit_insert(&le, 'z');
	assert_int_equal(lineedit_complete(&le), 0);
	lineedit_fini(&le);
	sprintf(p, "%s/mailbox-two.txt", dir);
	unlink(p);
	sprintf(p, "%s/mailbox-one", dir);
	rmdir(p);
	rmdir(dir);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keymap_defaults),
		cmocka_unit_test(test_keymap_names),
		cmocka_unit_test(test_keymap_rebind),
		cmocka_unit_test(test_keymap_help_list),
		cmocka_unit_test(test_keymap_folders),
		cmocka_unit_test(test_lineedit_editing),
		cmocka_unit_test(test_lineedit_history),
		cmocka_unit_test(test_lineedit_complete),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
