/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for moving and copying messages between local Maildirs
 * (app_message_transfer on a Maildir and its Maildir++ subfolders), the
 * folder-name rules of local.c, app_folder_names(), and the notes held
 * until a listener is set.  Real files in a
 * temporary directory; no loop, no network.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "app/app.h"
#include "app/app-account.h"
#include "app/folder.h"
#include "app/msgview.h"
#include "../../src/app/local.h"
#include "util/xmalloc.h"

struct seen {
	int	 changed;
	char	 note[512];
	bool	 error;
};

static void
on_changed(void *arg)
{
	((struct seen *)arg)->changed++;
}

static void
on_note(void *arg, enum app_note kind, const char *text)
{
	struct seen	*s = arg;

	snprintf(s->note, sizeof s->note, "%s", text);
	s->error = kind == APP_NOTE_ERROR;
}

static const struct app_events events = {
	.folder_changed = on_changed,
	.note = on_note,
};

struct fix {
	char		*root;
	struct app	*app;
	struct seen	 seen;
};

static void
mkdirs(const char *root, const char *sub)
{
	static const char *const	 d[] = { "", "/tmp", "/new", "/cur" };
	char				*p;
	size_t				 i;

	for (i = 0; i < 4; i++) {
		p = xasprintf("%s%s%s", root, sub, d[i]);
		assert_int_equal(mkdir(p, 0700), 0);
		free(p);
	}
}

static void
put(const char *root, const char *rel, const char *subject)
{
	char	*p = xasprintf("%s/%s", root, rel);
	FILE	*fp;

	assert_non_null(fp = fopen(p, "w"));
	fprintf(fp, "From: a@example.org\nSubject: %s\nMessage-ID: <%s@x>\n"
	    "\nbody of %s\n", subject, subject, subject);
	fclose(fp);
	free(p);
}

/* Files in dir whose name starts with prefix (NULL: any); the last one's
 * name to *last (caller frees) if last is not NULL. */
static int
files(const char *dir, const char *prefix, char **last)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (prefix != NULL && strncmp(de->d_name, prefix,
		    strlen(prefix)) != 0)
			continue;
		n++;
		if (last != NULL) {
			free(*last);
			*last = xstrdup(de->d_name);
		}
	}
	closedir(d);
	return n;
}

static int
files_in(const struct fix *x, const char *sub, const char *prefix)
{
	char	*p = xasprintf("%s%s", x->root, sub);
	int	 n = files(p, prefix, NULL);

	free(p);
	return n;
}

static uint32_t
row_of(struct app *a, const char *subject)
{
	struct folder	*f = app_folder(a);
	size_t		 i;

	for (i = 0; i < folder_count(f); i++)
		if (strcmp(folder_str(f, folder_row(f, (uint32_t)i)->subject),
		    subject) == 0)
			return (uint32_t)i;
	return UINT32_MAX;
}

/* What the app says before anyone listens (the account runs before the
 * screen starts) comes when a listener is set, in order. */
struct heard {
	char	 notes[16][32];
	int	 n;
	char	 password[32];
	int	 asked;
};

static void
heard_note(void *arg, enum app_note kind, const char *text)
{
	struct heard	*h = arg;

	if (h->n < 16)
		snprintf(h->notes[h->n++], sizeof h->notes[0], "%s%s",
		    kind == APP_NOTE_ERROR ? "E:" : "", text);
}

static void
heard_password(void *arg, const char *account)
{
	struct heard	*h = arg;

	snprintf(h->password, sizeof h->password, "%s", account);
	h->asked++;
}

static void
test_notes_held(void **state)
{
	static const struct app_events ev = {
		.note = heard_note,
		.need_password = heard_password,
	};
	struct app	*app = app_new(NULL, NULL);
	struct heard	 h;
	char		 text[16];
	int		 i;

	(void)state;
	memset(&h, 0, sizeof h);
	for (i = 1; i <= 10; i++) {
		snprintf(text, sizeof text, "note %d", i);
		app_emit_note(app, i == 10 ? APP_NOTE_ERROR : APP_NOTE_INFO,
		    text);
	}
	app_emit_need_password(app, "work");
	app_emit_need_password(app, "home");	/* the last ask stands */
	app_events_set(app, &ev, &h);
	/* the last eight, oldest first */
	assert_int_equal(h.n, 8);
	assert_string_equal(h.notes[0], "note 3");
	assert_string_equal(h.notes[6], "note 9");
	assert_string_equal(h.notes[7], "E:note 10");
	assert_int_equal(h.asked, 1);
	assert_string_equal(h.password, "home");
	/* said once: a new listener hears nothing old */
	app_events_set(app, &ev, &h);
	assert_int_equal(h.n, 8);
	assert_int_equal(h.asked, 1);
	app_emit_note(app, APP_NOTE_INFO, "now");
	assert_int_equal(h.n, 9);
	assert_string_equal(h.notes[8], "now");
	/* held and never heard: freed with the app (ASan) */
	app_events_set(app, NULL, NULL);
	app_emit_note(app, APP_NOTE_INFO, "lost");
	app_emit_need_password(app, "lost");
	app_free(app);
}

static int
setup(void **state)
{
	char		 tmpl[] = "/tmp/pons-test-app-move.XXXXXX";
	struct fix	*x = xcalloc(1, sizeof *x);
	struct err	 e;

	assert_non_null(mkdtemp(tmpl));
	x->root = xstrdup(tmpl);
	assert_int_equal(rmdir(x->root), 0);
	mkdirs(x->root, "");
	put(x->root, "new/1000.M1P1.host", "One");
	put(x->root, "cur/1001.M2P1.host:2,FS", "Two");
	put(x->root, "cur/1002.M3P1.host:2,S", "Three");
	x->app = app_new(&events, &x->seen);
	assert_int_equal(app_open_maildir(x->app, x->root, &e), 0);
	assert_int_equal(folder_count(app_folder(x->app)), 3);
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*x = *state;
	char		*cmd;

	app_free(x->app);
	cmd = xasprintf("rm -rf '%s'", x->root);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(x->root);
	free(x);
	return 0;
}

/* Folder names map onto Maildir++ directories, or are refused. */
static void
test_subfolder_names(void **state)
{
	static const struct {
		const char	*name;
		const char	*want;	/* after the root; NULL: refused */
	} cases[] = {
		{ "Archive", "/.Archive" },
		{ "Lists/pons", "/.Lists.pons" },
		{ "Lists.pons", "/.Lists.pons" },
		{ "=Archive", "/.Archive" },
		{ "+Archive", "/.Archive" },
		{ "INBOX", "" },
		{ "inbox", "" },
		{ "INBOX/Sent", "/.Sent" },
		{ "INBOX.Sent", "/.Sent" },
		{ "a//b", NULL },
		{ "a..b", NULL },
		{ "/a", NULL },
		{ ".a", NULL },
		{ "a/", NULL },
		{ "a.", NULL },
		{ "a\x01", NULL },
	};
	struct err	 e;
	char		*p, *want;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		p = local_subfolder_path("/m", cases[i].name, &e);
		if (cases[i].want == NULL) {
			assert_null(p);
			assert_int_equal(e.cls, ERR_INPUT);
			continue;
		}
		want = xasprintf("/m%s", cases[i].want);
		assert_non_null(p);
		assert_string_equal(p, want);
		free(want);
		free(p);
	}
}

/* The root of a ".Sub" folder is its parent Maildir; others are roots. */
static void
test_root(void **state)
{
	struct fix	*x = *state;
	char		*sub, *r;

	sub = xasprintf("%s/.Archive/", x->root);
	r = local_root(sub);
	assert_string_equal(r, x->root);
	free(r);
	free(sub);
	r = local_root(x->root);
	assert_string_equal(r, x->root);
	free(r);
	r = local_root("/nonexistent/.Sub");	/* no Maildir above */
	assert_string_equal(r, "/nonexistent/.Sub");
	free(r);
}

/* A move to a missing folder asks first; with create it is made and the
 * file is renamed there with its flags, and the row leaves the index. */
static void
test_move_create(void **state)
{
	struct fix	*x = *state;
	struct err	 e;
	struct stat	 st;
	char		*p;
	uint32_t	 row = row_of(x->app, "Two");

	assert_int_not_equal(row, UINT32_MAX);
	assert_int_equal(app_message_transfer(x->app, row, "Archive", true,
	    false, &e), 1);
	p = xasprintf("%s/.Archive", x->root);
	assert_int_equal(stat(p, &st), -1);
	assert_int_equal(folder_count(app_folder(x->app)), 3);
	assert_int_equal(app_message_transfer(x->app, row, "Archive", true,
	    true, &e), 0);
	free(p);
	assert_int_equal(files_in(x, "/.Archive/cur", "1001.M2P1.host:2,FS"),
	    1);
	assert_int_equal(files_in(x, "/.Archive/new", NULL), 0);
	assert_int_equal(files_in(x, "/cur", "1001."), 0);
	p = xasprintf("%s/.Archive/maildirfolder", x->root);
	assert_int_equal(stat(p, &st), 0);
	free(p);
	assert_int_equal(folder_count(app_folder(x->app)), 2);
	assert_int_equal(folder_view_count(app_folder(x->app)), 2);
	assert_int_equal(row_of(x->app, "Two"), UINT32_MAX);
	assert_int_not_equal(row_of(x->app, "One"), UINT32_MAX);
	assert_int_not_equal(row_of(x->app, "Three"), UINT32_MAX);
	assert_true(x->seen.changed > 0);
	assert_string_equal(x->seen.note, "Moved to Archive.");
	/* the moved row's neighbour still reads its own file */
	{
		struct msgview	*v = app_message_open(x->app,
		    row_of(x->app, "Three"), NULL, false, &e);

		assert_non_null(v);
		msgview_free(v);
	}
}

/* A copy leaves the original and its row; a new unflagged message stays
 * new, a flagged one lands in cur/ with its flags. */
static void
test_copy(void **state)
{
	struct fix	*x = *state;
	struct err	 e;
	char		*name = NULL, *p, *q;
	FILE		*fp;
	char		 line[256];
	bool		 found = false;

	mkdirs(x->root, "/.Archive");
	assert_int_equal(app_message_transfer(x->app, row_of(x->app, "One"),
	    "Archive", false, false, &e), 0);
	assert_int_equal(app_message_transfer(x->app, row_of(x->app, "Two"),
	    "Archive", false, false, &e), 0);
	assert_string_equal(x->seen.note, "Copied to Archive.");
	assert_int_equal(folder_count(app_folder(x->app)), 3);
	assert_int_equal(files_in(x, "/new", NULL), 1);
	assert_int_equal(files_in(x, "/cur", NULL), 2);
	p = xasprintf("%s/.Archive/new", x->root);
	assert_int_equal(files(p, NULL, &name), 1);
	q = xasprintf("%s/%s", p, name);
	assert_non_null(fp = fopen(q, "r"));
	while (fgets(line, sizeof line, fp) != NULL)
		if (strcmp(line, "body of One\n") == 0)
			found = true;
	fclose(fp);
	assert_true(found);
	free(q);
	free(p);
	free(name);
	name = NULL;
	p = xasprintf("%s/.Archive/cur", x->root);
	assert_int_equal(files(p, NULL, &name), 1);
	assert_non_null(strstr(name, ":2,FS"));
	/* a new unique name, not the original's */
	assert_null(strstr(name, "1001.M2P1"));
	free(p);
	free(name);
}

/* Bad targets change nothing. */
static void
test_refused(void **state)
{
	struct fix	*x = *state;
	struct err	 e;

	assert_int_equal(app_message_transfer(x->app, row_of(x->app, "One"),
	    "INBOX", true, true, &e), -1);
	assert_non_null(strstr(e.msg, "already in"));
	assert_int_equal(app_message_transfer(x->app, row_of(x->app, "One"),
	    "a//b", true, true, &e), -1);
	assert_int_equal(e.cls, ERR_INPUT);
	assert_int_equal(app_message_transfer(x->app, row_of(x->app, "One"),
	    "", true, true, &e), -1);
	assert_int_equal(app_message_transfer(x->app, 99, "Archive", true,
	    true, &e), -1);
	assert_int_equal(folder_count(app_folder(x->app)), 3);
	assert_int_equal(files_in(x, "/new", NULL), 1);
	assert_int_equal(files_in(x, "/cur", NULL), 2);
	assert_int_equal(files_in(x, "/.a.b/cur", NULL), -1);
}

/* From a subfolder, "INBOX" is the root Maildir; marks of other rows
 * survive a move. */
static void
test_move_back_to_inbox(void **state)
{
	struct fix	*x = *state;
	struct err	 e;
	struct folder	*f;
	char		*sub;
	uint32_t	 row;

	mkdirs(x->root, "/.Archive");
	put(x->root, ".Archive/cur/2000.M9P1.host:2,S", "Old");
	put(x->root, ".Archive/cur/2001.M9P2.host:2,ST", "Gone");
	sub = xasprintf("%s/.Archive", x->root);
	assert_int_equal(app_open_maildir(x->app, sub, &e), 0);
	free(sub);
	f = app_folder(x->app);
	assert_int_equal(folder_count(f), 2);
	assert_true(folder_row(f, row_of(x->app, "Gone"))->flags &
	    FOLDER_DELETED);
	row = row_of(x->app, "Old");
	assert_int_equal(app_message_transfer(x->app, row, "INBOX", true,
	    false, &e), 0);
	assert_int_equal(files_in(x, "/cur", "2000.M9P1.host:2,S"), 1);
	assert_int_equal(files_in(x, "/.Archive/cur", NULL), 1);
	assert_int_equal(folder_count(f), 1);
	assert_true(folder_row(f, row_of(x->app, "Gone"))->flags &
	    FOLDER_DELETED);
}

/* Completion names: INBOX first, then the subfolders sorted, '/' for
 * levels; directories without cur/ are not folders. */
static void
test_folder_names(void **state)
{
	struct fix		*x = *state;
	char			**v, *p;
	size_t			 n;
	struct err		 e;

	mkdirs(x->root, "/.Sent");
	mkdirs(x->root, "/.Lists.pons");
	p = xasprintf("%s/.notafolder", x->root);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	v = app_folder_names(x->app, &n);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "INBOX");
	assert_string_equal(v[1], "Lists/pons");
	assert_string_equal(v[2], "Sent");
	assert_null(v[3]);
	/* and a name from the list is a valid target */
	assert_int_equal(app_message_transfer(x->app, row_of(x->app, "One"),
	    v[1], true, false, &e), 0);
	assert_int_equal(files_in(x, "/.Lists.pons/cur", "1000.M1P1.host"), 1);
	app_folder_names_free(v);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_subfolder_names),
		cmocka_unit_test(test_notes_held),
		cmocka_unit_test_setup_teardown(test_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_create, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_back_to_inbox, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_folder_names, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
