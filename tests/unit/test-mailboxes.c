/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the folder list model (app/mailboxes.c): order, depth and
 * labels, roles, counts, the current folder, stale folders swept after a
 * new listing, the name list for completion, and Maildir++ scans.
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

#include "app/mailboxes.h"
#include "imap/imap-parse.h"
#include "util/xmalloc.h"

static void
test_order_and_labels(void **state)
{
	struct mailboxes	*m = mailboxes_new();
	const struct mbx_entry	*e;
	size_t			 a, b;
	static const char *const want[] = {
		"work", "INBOX", "Archive", "Lists", "Lists/pons", "Lists/pons/dev",
		"Lists-old", "Sent", "home", "INBOX",
	};
	size_t			 i;

	(void)state;
	a = mailboxes_account_add(m, "work", MBX_PROTO_IMAP);
	b = mailboxes_account_add(m, "home", MBX_PROTO_POP3);
	assert_int_equal(mailboxes_account_add(m, "work", MBX_PROTO_IMAP), a);
	assert_int_equal(mailboxes_accounts(m), 2);
	assert_int_equal(mailboxes_account_find(m, "home"), b);
	assert_int_equal(mailboxes_account_find(m, "nope"), (size_t)-1);
	/* put in a jumbled order, as a server may list them */
	mailboxes_folder_put(m, a, "Sent", '/', NULL,
	    mailboxes_role_of_attrs(IMAP_MBOX_SENT | IMAP_MBOX_HASNOCHILDREN),
	    false);
	mailboxes_folder_put(m, a, "Lists-old", '/', NULL, MBX_ROLE_NONE,
	    false);
	mailboxes_folder_put(m, a, "Lists/pons/dev", '/', NULL, MBX_ROLE_NONE,
	    false);
	mailboxes_folder_put(m, a, "Lists", '/', NULL, MBX_ROLE_NONE, true);
	mailboxes_folder_put(m, a, "Archive", '/', NULL, MBX_ROLE_ARCHIVE,
	    false);
	mailboxes_folder_put(m, a, "Lists/pons", '/', NULL, MBX_ROLE_NONE,
	    false);
	mailboxes_folder_put(m, a, "INBOX", '/', NULL, MBX_ROLE_NONE, false);
	mailboxes_folder_put(m, b, "INBOX", '/', "/spool", MBX_ROLE_NONE,
	    false);
	assert_int_equal(mailboxes_count(m), sizeof want / sizeof want[0]);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		e = mailboxes_at(m, i);
		assert_non_null(e);
		assert_string_equal(e->name, want[i]);
	}
	assert_null(mailboxes_at(m, 99));
	e = mailboxes_at(m, 0);
	assert_true(e->header);
	assert_int_equal(e->proto, MBX_PROTO_IMAP);
	e = mailboxes_at(m, 1);
	assert_false(e->header);
	assert_int_equal(e->role, MBX_ROLE_INBOX);
	assert_string_equal(mailboxes_role_name(e->role), "inbox");
	e = mailboxes_at(m, 5);
	assert_int_equal(e->depth, 2);
	assert_string_equal(e->label, "dev");
	e = mailboxes_at(m, 3);
	assert_true(e->noselect);
	assert_int_equal(e->depth, 0);
	e = mailboxes_at(m, 7);
	assert_int_equal(e->role, MBX_ROLE_SENT);
	assert_string_equal(mailboxes_role_name(e->role), "sent");
	e = mailboxes_at(m, 9);
	assert_int_equal(e->account, b);
	assert_string_equal(e->path, "/spool");
	assert_int_equal(mailboxes_find(m, a, "Sent"), 7);
	assert_int_equal(mailboxes_find(m, b, "INBOX"), 9);
	assert_int_equal(mailboxes_find(m, b, "Sent"), (size_t)-1);
	mailboxes_free(m);
}

static void
test_counts_current_sweep(void **state)
{
	struct mailboxes	*m = mailboxes_new();
	const struct mbx_entry	*e;
	size_t			 a, b, n;
	char			**names;

	(void)state;
	a = mailboxes_account_add(m, "work", MBX_PROTO_IMAP);
	b = mailboxes_account_add(m, "home", MBX_PROTO_POP3);
	assert_true(mailboxes_folder_put(m, a, "INBOX", '.', NULL,
	    MBX_ROLE_NONE, false));
	assert_false(mailboxes_folder_put(m, a, "INBOX", '.', NULL,
	    MBX_ROLE_NONE, false));
	mailboxes_folder_put(m, a, "Old", '.', NULL, MBX_ROLE_NONE, false);
	mailboxes_folder_put(m, a, "Top", '.', NULL, MBX_ROLE_NONE, true);
	e = mailboxes_at(m, mailboxes_find(m, a, "Old"));
	assert_false(e->counted);
	assert_true(mailboxes_counts_set(m, a, "Old", 10, 3));
	assert_false(mailboxes_counts_set(m, a, "Old", 10, 3));
	assert_false(mailboxes_counts_set(m, a, "Missing", 1, 1));
	e = mailboxes_at(m, mailboxes_find(m, a, "Old"));
	assert_true(e->counted);
	assert_int_equal(e->total, 10);
	assert_int_equal(e->unread, 3);

	assert_int_equal(mailboxes_current(m), (size_t)-1);
	mailboxes_current_set(m, a, "Old");
	assert_int_equal(mailboxes_current(m), mailboxes_find(m, a, "Old"));
	assert_true(mailboxes_at(m, mailboxes_current(m))->current);
	mailboxes_folder_put(m, b, "INBOX", '/', "/x", MBX_ROLE_NONE, false);
	mailboxes_current_set(m, b, "INBOX");
	assert_int_equal(mailboxes_current(m), mailboxes_find(m, b, "INBOX"));
	assert_false(mailboxes_at(m, mailboxes_find(m, a, "Old"))->current);

	/* selectable names only, INBOX first */
	names = mailboxes_names(m, a, &n);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "INBOX");
	assert_string_equal(names[1], "Old");
	assert_null(names[2]);
	mailboxes_names_free(names);

	/* a child without its parent listed: the parent is implied */
	mailboxes_folder_put(m, b, "Lists/dev/pons", '/', "/y", MBX_ROLE_NONE,
	    false);
	e = mailboxes_at(m, mailboxes_find(m, b, "Lists"));
	assert_non_null(e);
	assert_true(e->noselect);
	e = mailboxes_at(m, mailboxes_find(m, b, "Lists/dev"));
	assert_non_null(e);
	assert_true(e->noselect);
	assert_int_equal(e->depth, 1);
	assert_int_equal(mailboxes_find(m, b, "Lists/dev") + 1,
	    mailboxes_find(m, b, "Lists/dev/pons"));
	/* listed later for real: it holds messages after all */
	assert_true(mailboxes_folder_put(m, b, "Lists", '/', "/z",
	    MBX_ROLE_NONE, false));
	assert_false(mailboxes_at(m, mailboxes_find(m, b, "Lists"))->noselect);
	mailboxes_clear(m, b);
	mailboxes_folder_put(m, b, "INBOX", '/', "/x", MBX_ROLE_NONE, false);

	/* a new listing without Old: it goes, its counts with it */
	mailboxes_mark(m, a);
	mailboxes_folder_put(m, a, "INBOX", '.', NULL, MBX_ROLE_NONE, false);
	mailboxes_folder_put(m, a, "Top", '.', NULL, MBX_ROLE_NONE, true);
	assert_true(mailboxes_sweep(m, a));
	assert_int_equal(mailboxes_find(m, a, "Old"), (size_t)-1);
	assert_false(mailboxes_sweep(m, a));
	assert_int_equal(mailboxes_count(m), 5);
	mailboxes_clear(m, a);
	assert_int_equal(mailboxes_count(m), 3);
	mailboxes_free(m);
}

static void
put_file(const char *dir, const char *sub, const char *name)
{
	char	*p = xasprintf("%s/%s/%s", dir, sub, name);
	FILE	*fp = fopen(p, "w");

	assert_non_null(fp);
	fputs("Subject: x\n\nbody\n", fp);
	fclose(fp);
	free(p);
}

static void
make_maildir(const char *dir)
{
	char	*p;

	assert_int_equal(mkdir(dir, 0700), 0);
	p = xasprintf("%s/cur", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	p = xasprintf("%s/new", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	p = xasprintf("%s/tmp", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
}

static void
test_scan_maildir(void **state)
{
	char			 tmpl[] = "/tmp/pons-mbx-XXXXXX";
	char			*root, *sub, *cmd;
	struct mailboxes	*m = mailboxes_new();
	const struct mbx_entry	*e;
	struct err		 err;
	uint32_t		 total, unread;
	size_t			 a, i;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	root = xasprintf("%s/Mail", tmpl);
	make_maildir(root);
	put_file(root, "new", "1.a");
	put_file(root, "new", "2.a");
	put_file(root, "cur", "3.a:2,S");
	put_file(root, "cur", "4.a:2,FS");
	put_file(root, "cur", "5.a:2,F");
	put_file(root, "cur", "6.a");
	put_file(root, "tmp", "7.a");		/* not delivered: not counted */
	sub = xasprintf("%s/.Lists.pons", root);
	make_maildir(sub);
	put_file(sub, "cur", "1.b:2,S");
	free(sub);
	sub = xasprintf("%s/.Archive", root);
	make_maildir(sub);
	free(sub);
	sub = xasprintf("%s/.notamaildir", root);	/* no cur/: skipped */
	assert_int_equal(mkdir(sub, 0700), 0);
	free(sub);

	assert_int_equal(mailboxes_maildir_counts(root, &total, &unread,
	    &err), 0);
	assert_int_equal(total, 6);
	assert_int_equal(unread, 4);

	a = mailboxes_account_add(m, "local", MBX_PROTO_LOCAL);
	assert_int_equal(mailboxes_scan_maildir(m, a, root, &err), 0);
	/* header, INBOX, Archive, Lists (implied), Lists/pons */
	assert_int_equal(mailboxes_count(m), 5);
	e = mailboxes_at(m, 1);
	assert_string_equal(e->name, "INBOX");
	assert_string_equal(e->path, root);
	assert_int_equal(e->total, 6);
	assert_int_equal(e->unread, 4);
	e = mailboxes_at(m, 2);
	assert_string_equal(e->name, "Archive");
	assert_true(e->counted);
	assert_int_equal(e->total, 0);
	e = mailboxes_at(m, 3);
	assert_string_equal(e->name, "Lists");
	assert_true(e->noselect);
	e = mailboxes_at(m, 4);
	assert_string_equal(e->name, "Lists/pons");
	assert_string_equal(e->label, "pons");
	assert_int_equal(e->depth, 1);
	assert_int_equal(e->total, 1);
	assert_int_equal(e->unread, 0);

	/* a folder removed on disk goes at the next scan */
	cmd = xasprintf("rm -rf '%s/.Archive'", root);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	assert_int_equal(mailboxes_scan_maildir(m, a, root, &err), 0);
	assert_int_equal(mailboxes_count(m), 4);
	for (i = 0; i < mailboxes_count(m); i++)
		assert_string_not_equal(mailboxes_at(m, i)->name, "Archive");

	assert_int_equal(mailboxes_scan_maildir(m, a, "/nonexistent/pons",
	    &err), -1);
	assert_int_equal(err.cls, ERR_LOCAL);

	cmd = xasprintf("rm -rf '%s'", tmpl);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(root);
	mailboxes_free(m);
}

/* A server listing without end: the list stops at MAILBOXES_MAX. */
static void
test_limit(void **state)
{
	struct mailboxes	*m = mailboxes_new();
	size_t			 a, i;
	char			 name[32];

	(void)state;
	a = mailboxes_account_add(m, "big", MBX_PROTO_IMAP);
	for (i = 0; i < MAILBOXES_MAX + 50; i++) {
		snprintf(name, sizeof name, "f%zu/x", i);
		mailboxes_folder_put(m, a, name, '/', NULL, MBX_ROLE_NONE,
		    false);
	}
	assert_int_equal(mailboxes_count(m), 1 + MAILBOXES_MAX);
	assert_false(mailboxes_folder_put(m, a, "one more", '/', NULL,
	    MBX_ROLE_NONE, false));
	assert_false(mailboxes_counts_set(m, a, "one more", 1, 1));
	mailboxes_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_labels),
		cmocka_unit_test(test_counts_current_sweep),
		cmocka_unit_test(test_scan_maildir),
		cmocka_unit_test(test_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
