/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the folder list through the app layer (app.h), with no
 * server and no loop: pons -f's Maildir and its Maildir++ subfolders, a
 * POP3 account's spool beside it, opening another folder and another
 * account, the open folder's counts following the live model, the
 * folders_changed event, and the names offered for completion.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "app/app.h"
#include "app/folder.h"
#include "app/mailboxes.h"
#include "config/conf.h"
#include "config/options.h"
#include "util/xmalloc.h"

static char	*tmpdir;

static void
mkmaildir(const char *dir)
{
	static const char *const sub[] = { "", "/cur", "/new", "/tmp" };
	size_t	 i;
	char	*p;

	for (i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		p = xasprintf("%s%s", dir, sub[i]);
		assert_int_equal(mkdir(p, 0700), 0);
		free(p);
	}
}

static void
put(const char *dir, const char *file, const char *subject)
{
	char	*p = xasprintf("%s/%s", dir, file);
	FILE	*fp = fopen(p, "w");

	assert_non_null(fp);
	fprintf(fp, "From: a@example.org\nSubject: %s\nMessage-ID: <%s@x>\n"
	    "\nbody\n", subject, subject);
	fclose(fp);
	free(p);
}

static int
setup(void **state)
{
	char	 tmpl[] = "/tmp/pons-appf-XXXXXX";
	char	*d;

	assert_non_null(mkdtemp(tmpl));
	tmpdir = xstrdup(tmpl);
	d = xasprintf("%s/Mail", tmpdir);
	mkmaildir(d);
	put(d, "new/1.a", "root-new");
	put(d, "cur/2.a:2,S", "root-read");
	free(d);
	d = xasprintf("%s/Mail/.Work", tmpdir);
	mkmaildir(d);
	put(d, "new/1.b", "work-1");
	put(d, "new/2.b", "work-2");
	put(d, "cur/3.b:2,S", "work-3");
	free(d);
	d = xasprintf("%s/Mail/.Lists.dev", tmpdir);	/* no .Lists */
	mkmaildir(d);
	put(d, "cur/1.c:2,S", "dev-1");
	free(d);
	d = xasprintf("%s/spool", tmpdir);
	mkmaildir(d);
	put(d, "new/1.d", "pop-1");
	free(d);
	return 0;
}

static int
teardown(void **state)
{
	char	*cmd = xasprintf("rm -rf '%s'", tmpdir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(tmpdir);
	return 0;
}

static int	changes;

static void
on_folders_changed(void *arg)
{
	changes++;
}

static const struct mbx_entry *
entry(struct app *app, size_t acct, const char *name)
{
	struct mailboxes	*m = app_mailboxes(app);

	return mailboxes_at(m, mailboxes_find(m, acct, name));
}

static void
test_local_folders(void **state)
{
	struct app_events	 ev = { .folders_changed = on_folders_changed };
	struct app		*app = app_new(&ev, NULL);
	struct mailboxes	*m;
	const struct mbx_entry	*en;
	struct err		 e;
	char			*root = xasprintf("%s/Mail", tmpdir);
	char			**names;
	size_t			 acct, n, i;

	changes = 0;
	assert_int_equal(app_open_maildir(app, root, &e), 0);
	assert_true(changes > 0);
	m = app_mailboxes(app);
	acct = mailboxes_account_find(m, "local");
	assert_int_not_equal(acct, (size_t)-1);
	en = entry(app, acct, "INBOX");
	assert_non_null(en);
	assert_true(en->current);
	assert_int_equal(en->total, 2);
	assert_int_equal(en->unread, 1);
	en = entry(app, acct, "Work");
	assert_int_equal(en->total, 3);
	assert_int_equal(en->unread, 2);
	assert_false(en->current);
	en = entry(app, acct, "Lists");
	assert_non_null(en);
	assert_true(en->noselect);

	names = app_folder_names(app, &n);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "INBOX");
	assert_string_equal(names[1], "Lists/dev");
	assert_string_equal(names[2], "Work");
	assert_null(names[3]);
	app_folder_names_free(names);

	/* a level that holds no messages does not open */
	m = app_mailboxes(app);
	assert_int_equal(app_mailbox_open(app, mailboxes_find(m, acct,
	    "Lists"), &e), -1);
	assert_int_equal(e.cls, ERR_INPUT);
	assert_string_equal(folder_name(app_folder(app)), "Mail");

	/* Work opens: its rows, its name, marked current */
	changes = 0;
	m = app_mailboxes(app);
	assert_int_equal(app_mailbox_open(app, mailboxes_find(m, acct,
	    "Work"), &e), 0);
	assert_true(changes > 0);
	assert_string_equal(folder_name(app_folder(app)), "Work");
	assert_int_equal(folder_count(app_folder(app)), 3);
	assert_true(entry(app, acct, "Work")->current);
	assert_false(entry(app, acct, "INBOX")->current);

	/* reading one in the open folder: its counts follow at once */
	for (i = 0; i < 3; i++)
		if ((folder_row(app_folder(app), (uint32_t)i)->flags &
		    FOLDER_SEEN) == 0)
			break;
	assert_true(i < 3);
	assert_int_equal(app_flags_change(app, (uint32_t)i, FOLDER_SEEN, 0,
	    &e), 0);
	en = entry(app, acct, "Work");
	assert_int_equal(en->total, 3);
	assert_int_equal(en->unread, 1);

	/* the account's line opens the -f Maildir itself again */
	m = app_mailboxes(app);
	for (i = 0; i < mailboxes_count(m); i++)
		if (mailboxes_at(m, i)->header &&
		    mailboxes_at(m, i)->account == acct)
			break;
	assert_int_equal(app_mailbox_open(app, i, &e), 0);
	assert_int_equal(folder_count(app_folder(app)), 2);
	assert_true(entry(app, acct, "INBOX")->current);
	app_free(app);
	free(root);
}

static void
test_switch_to_pop3(void **state)
{
	struct conf		*c = conf_new();
	struct conf_account	*ca;
	struct app		*app = app_new(NULL, NULL);
	struct mailboxes	*m;
	const struct mbx_entry	*en;
	struct err		 e;
	char			*root = xasprintf("%s/Mail", tmpdir);
	char			*spool = xasprintf("%s/spool", tmpdir);
	size_t			 pop, local, i;

	ca = conf_account_add(c, "home", &e);
	assert_non_null(ca);
	assert_int_equal(conf_set(c, ca, OPT_ACCOUNT_PROTOCOL, "pop3", &e), 0);
	assert_int_equal(conf_set(c, ca, OPT_ACCOUNT_HOST, "pop.invalid", &e),
	    0);
	assert_int_equal(conf_set(c, ca, OPT_ACCOUNT_SPOOL, spool, &e), 0);
	ca = conf_account_add(c, "work", &e);
	assert_non_null(ca);
	assert_int_equal(conf_set(c, ca, OPT_ACCOUNT_PROTOCOL, "imap", &e), 0);
	app_conf_set(app, c);
	assert_int_equal(app_open_maildir(app, root, &e), 0);

	m = app_mailboxes(app);
	pop = mailboxes_account_find(m, "home");
	local = mailboxes_account_find(m, "local");
	assert_int_not_equal(pop, (size_t)-1);
	assert_int_not_equal(mailboxes_account_find(m, "work"), (size_t)-1);
	en = entry(app, pop, "INBOX");
	assert_non_null(en);
	assert_int_equal(en->proto, MBX_PROTO_POP3);
	assert_int_equal(en->total, 1);
	assert_int_equal(en->unread, 1);

	/* the POP3 account's INBOX: its spool, under its name */
	m = app_mailboxes(app);
	assert_int_equal(app_mailbox_open(app, mailboxes_find(m, pop,
	    "INBOX"), &e), 0);
	assert_string_equal(app_account_name(app), "home");
	assert_int_equal(folder_count(app_folder(app)), 1);
	assert_true(entry(app, pop, "INBOX")->current);
	assert_false(entry(app, local, "INBOX")->current);

	/* the IMAP account's line: it needs the loop, so it is refused */
	m = app_mailboxes(app);
	for (i = 0; i < mailboxes_count(m); i++)
		if (mailboxes_at(m, i)->header && strcmp(mailboxes_at(m,
		    i)->name, "work") == 0)
			break;
	assert_true(i < mailboxes_count(m));
	assert_int_equal(mailboxes_at(m, i)->proto, MBX_PROTO_IMAP);
	assert_int_equal(app_mailbox_open(app, i, &e), -1);
	assert_int_equal(e.cls, ERR_INPUT);
	app_free(app);
	conf_free(c);
	free(root);
	free(spool);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_folders),
		cmocka_unit_test(test_switch_to_pop3),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
