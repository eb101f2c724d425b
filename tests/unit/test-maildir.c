/* SPDX-License-Identifier: ISC */
/* Unit tests for store/maildir: delivery, scanning, flags, deletion. */
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

#include "store/maildir.h"
#include "util/xmalloc.h"

static char *
tmpdir_make(void)
{
	char	 tmpl[] = "/tmp/pons-test-maildir.XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return xstrdup(tmpl);
}

static void
tmpdir_remove(const char *dir)
{
	char	*cmd;

	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static char *
file_read(const char *path, size_t *lenp)
{
	FILE	*fp;
	char	*p;
	long	 n;

	assert_non_null(fp = fopen(path, "rb"));
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	p = xmalloc((size_t)n + 1);
	assert_int_equal(fread(p, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*lenp = (size_t)n;
	return p;
}

static int
count_entries(struct maildir *md, int *nnew)
{
	struct maildir_scan	*s;
	struct maildir_entry	 ent;
	struct err		 e;
	int			 n = 0, rc;

	*nnew = 0;
	assert_non_null(s = maildir_scan_new(md, &e));
	while ((rc = maildir_scan_next(s, &ent, &e)) == 1) {
		n++;
		if (ent.is_new)
			(*nnew)++;
	}
	assert_int_equal(rc, 0);
	maildir_scan_free(s);
	return n;
}

static void
test_maildir_deliver_scan_flags(void **state)
{
	struct maildir		*md;
	struct maildir_entry	 ent;
	struct err		 e;
	char			*dir, *name, *name2, *path, *body, *newname;
	char			*other;
	size_t			 len;
	int			 nnew;

	dir = tmpdir_make();
	path = xasprintf("%s/box", dir);
	assert_null(maildir_open(path, false, &e));
	assert_int_equal(e.cls, ERR_LOCAL);
	assert_non_null(md = maildir_open(path, true, &e));
	assert_int_equal(maildir_deliver(md, "Subject: a\n\nhi\n", 15, &name,
	    &e), 0);
	assert_int_equal(maildir_deliver(md, "x", 1, &name2, &e), 0);
	assert_string_not_equal(name, name2);
	assert_null(strchr(name, '/'));
	assert_int_equal(count_entries(md, &nnew), 2);
	assert_int_equal(nnew, 2);

	assert_int_equal(maildir_lookup(md, name, &ent, &e), 1);
	assert_true(ent.is_new);
	assert_int_equal(ent.size, 15);
	other = maildir_entry_path(md, &ent);
	body = file_read(other, &len);
	assert_int_equal(len, 15);
	assert_memory_equal(body, "Subject: a\n\nhi\n", 15);
	free(body);
	free(other);

	assert_int_equal(maildir_flags_set(md, &ent,
	    MAILDIR_F_SEEN | MAILDIR_F_FLAGGED, &newname, &e), 0);
	other = xasprintf("%s:2,FS", name);
	assert_string_equal(newname, other);
	free(other);
	assert_int_equal(maildir_flags_parse(newname),
	    MAILDIR_F_SEEN | MAILDIR_F_FLAGGED);
	free(newname);
	assert_int_equal(count_entries(md, &nnew), 2);
	assert_int_equal(nnew, 1);
	assert_int_equal(maildir_lookup(md, name, &ent, &e), 1);
	assert_false(ent.is_new);
	assert_int_equal(ent.flags, MAILDIR_F_SEEN | MAILDIR_F_FLAGGED);
	assert_int_equal(maildir_flags_set(md, &ent, MAILDIR_F_REPLIED, NULL,
	    &e), 0);
	assert_int_equal(maildir_lookup(md, name, &ent, &e), 1);
	assert_int_equal(ent.flags, MAILDIR_F_REPLIED);
	assert_int_equal(maildir_remove(md, &ent, &e), 0);
	assert_int_equal(maildir_remove(md, &ent, &e), -1);
	assert_int_equal(maildir_lookup(md, name, &ent, &e), 0);
	assert_int_equal(count_entries(md, &nnew), 1);

	free(name);
	free(name2);
	maildir_free(md);
	free(path);
	tmpdir_remove(dir);
	free(dir);
}

static void
test_maildir_tmp_abort_and_stream(void **state)
{
	struct maildir		*md;
	struct maildir_tmp	*t;
	struct err		 e;
	char			*dir, *big, *name, *p, *body;
	size_t			 i, len;
	int			 nnew;

	dir = tmpdir_make();
	assert_non_null(md = maildir_open(dir, true, &e));
	assert_non_null(t = maildir_tmp_new(md, &e));
	assert_int_equal(maildir_tmp_write(t, "abc", 3, &e), 0);
	maildir_tmp_abort(t);
	assert_int_equal(count_entries(md, &nnew), 0);
	p = xasprintf("%s/tmp", dir);
	assert_int_equal(rmdir(p), 0);	/* tmp/ is empty again */
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	maildir_free(md);
	assert_non_null(md = maildir_open(dir, false, &e));

	/* a 200 KB single line written in odd pieces arrives intact */
	big = xmalloc(200001);
	for (i = 0; i < 200000; i++)
		big[i] = (char)('a' + i % 26);
	big[200000] = '\n';
	assert_non_null(t = maildir_tmp_new(md, &e));
	for (i = 0; i < 200001; i += 7777)
		assert_int_equal(maildir_tmp_write(t, big + i,
		    200001 - i < 7777 ? 200001 - i : 7777, &e), 0);
	assert_int_equal(maildir_tmp_size(t), 200001);
	name = xstrdup(maildir_tmp_name(t));
	assert_int_equal(maildir_tmp_close(t, true, &e), 0);
	assert_int_equal(maildir_tmp_publish(t, &e), 0);
	assert_int_equal(maildir_sync_dirs(md, &e), 0);
	p = xasprintf("%s/new/%s", dir, name);
	body = file_read(p, &len);
	assert_int_equal(len, 200001);
	assert_memory_equal(body, big, len);
	free(body);
	free(p);
	free(name);
	free(big);
	maildir_free(md);
	tmpdir_remove(dir);
	free(dir);
}

static void
test_maildir_flags_parse_table(void **state)
{
	static const struct {
		const char	*name;
		unsigned int	 flags;
	} t[] = {
		{ "1.2.host", 0 },
		{ "1.2.host:2,", 0 },
		{ "1.2.host:2,S", MAILDIR_F_SEEN },
		{ "1.2.host:2,DFPRST", 0x3f },
		{ "1.2.host:2,Sxa", MAILDIR_F_SEEN },
		{ "1.2.host:1,S", 0 },
	};
	size_t	 i;
	char	*b;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(maildir_flags_parse(t[i].name), t[i].flags);
	b = maildir_name_base("1.2.host:2,S");
	assert_string_equal(b, "1.2.host");
	free(b);
}

/*
 * A batch of lookups reads cur/ once: names with flags are found in that
 * listing, one taken away is absent, and one added to cur/ after it was
 * read shows only once the batch is over.
 */
static void
test_maildir_lookup_batch(void **state)
{
	struct maildir		*md;
	struct maildir_entry	 ent;
	struct err		 e;
	char			*dir, *path, *name[3], *late, *p;
	size_t			 i;
	FILE			*f;

	dir = tmpdir_make();
	path = xasprintf("%s/box", dir);
	assert_non_null(md = maildir_open(path, true, &e));
	for (i = 0; i < 3; i++) {
		assert_int_equal(maildir_deliver(md, "x", 1, &name[i], &e), 0);
		assert_int_equal(maildir_lookup(md, name[i], &ent, &e), 1);
		assert_int_equal(maildir_flags_set(md, &ent,
		    i == 0 ? MAILDIR_F_SEEN : MAILDIR_F_FLAGGED, NULL, &e), 0);
	}
	maildir_lookup_batch(md, true);
	assert_int_equal(maildir_lookup(md, name[1], &ent, &e), 1);
	assert_false(ent.is_new);
	assert_int_equal(ent.flags, MAILDIR_F_FLAGGED);
	assert_int_equal(maildir_remove(md, &ent, &e), 0);
	assert_int_equal(maildir_lookup(md, name[1], &ent, &e), 0);
	assert_int_equal(maildir_lookup(md, name[0], &ent, &e), 1);
	assert_int_equal(ent.flags, MAILDIR_F_SEEN);
	assert_int_equal(maildir_lookup(md, "no-such-name", &ent, &e), 0);
	/* written into cur/ by another reader after the listing */
	late = xstrdup("1700000000.late.host");
	p = xasprintf("%s/cur/%s:2,T", path, late);
	assert_non_null(f = fopen(p, "w"));
	fclose(f);
	free(p);
	assert_int_equal(maildir_lookup(md, late, &ent, &e), 0);
	maildir_lookup_batch(md, false);
	assert_int_equal(maildir_lookup(md, late, &ent, &e), 1);
	assert_int_equal(maildir_lookup(md, name[2], &ent, &e), 1);
	assert_int_equal(ent.flags, MAILDIR_F_FLAGGED);
	for (i = 0; i < 3; i++)
		free(name[i]);
	free(late);
	maildir_free(md);
	free(path);
	tmpdir_remove(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maildir_deliver_scan_flags),
		cmocka_unit_test(test_maildir_tmp_abort_and_stream),
		cmocka_unit_test(test_maildir_flags_parse_table),
		cmocka_unit_test(test_maildir_lookup_batch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
