/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for store/spool: records, duplicates, deletion policies, a
 * torn journal, the lock, a commit in flight, and crash-and-resume at every
 * journal step.
 */
#include "config.h"

#include <sys/stat.h>

#include <poll.h>

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
#include "store/spool.h"
#include "util/buf.h"
#include "util/xmalloc.h"

struct fake_msg {
	const char	*uidl;		/* NULL: server without UIDL */
	const char	*body;
};

/* The fake server's maildrop (sizes are body lengths). */
static const struct fake_msg server[] = {
	{ "uid-1", "Message-ID: <1@x>\nSubject: one\n\nbody one\n" },
	{ "a/../b", "Message-ID: <2@x>\nSubject: two\n\nbody two\n" },
	{ "..", "Subject: no id\n\nbody three\n" },
	{ "uid-4", "Message-ID:\n <4@x>\nSubject: four\n\n.\n..\n" },
	{ "uid-5", "Message-ID: <5@x>\n\n" },
	{ "uid-6", "Message-ID: <6@x>\nSubject: six\n\nsix\n" },
	{ "uid-7", "Message-ID: <7@x>\nSubject: seven\n\n7\n" },
};
#define NSERVER	(sizeof server / sizeof server[0])

static char *
tmpdir_make(void)
{
	char	 tmpl[] = "/tmp/pons-test-spool.XXXXXX";

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

static int
deliver(struct spool *sp, const char *uidl, const char *body, bool *dup)
{
	struct err	 e;
	size_t		 len = strlen(body), half = len / 2;

	if (spool_msg_begin(sp, uidl, uidl ? strlen(uidl) : 0, len, &e) == -1)
		return -1;
	if (spool_msg_write(sp, body, half, &e) == -1 ||
	    spool_msg_write(sp, body + half, len - half, &e) == -1)
		return -1;
	return spool_msg_end(sp, dup, &e);
}

/* Count the files holding each server body; fail on strangers. */
static void
check_maildir(const char *dir, int *counts)
{
	struct maildir		*md;
	struct maildir_scan	*sc;
	struct maildir_entry	 ent;
	struct err		 e;
	char			*path, buf[4096];
	FILE			*fp;
	size_t			 n, i;
	int			 rc, found;

	memset(counts, 0, NSERVER * sizeof *counts);
	assert_non_null(md = maildir_open(dir, false, &e));
	assert_non_null(sc = maildir_scan_new(md, &e));
	while ((rc = maildir_scan_next(sc, &ent, &e)) == 1) {
		path = maildir_entry_path(md, &ent);
		assert_non_null(fp = fopen(path, "r"));
		n = fread(buf, 1, sizeof buf - 1, fp);
		buf[n] = '\0';
		fclose(fp);
		found = 0;
		for (i = 0; i < NSERVER; i++)
			if (strcmp(buf, server[i].body) == 0) {
				counts[i]++;
				found = 1;
			}
		if (!found)
			fail_msg("stranger in the maildir: %s [%s]", path, buf);
		free(path);
	}
	assert_int_equal(rc, 0);
	maildir_scan_free(sc);
	maildir_free(md);
}

static void
test_spool_basic(void **state)
{
	struct spool	*sp;
	struct err	 e;
	char		*dir;
	int		 counts[NSERVER];
	size_t		 i;
	bool		 dup;
	uint64_t	 bytes;

	dir = tmpdir_make();
	assert_non_null(sp = spool_open(dir, &e));
	for (i = 0; i < 3; i++) {
		assert_false(spool_has(sp, server[i].uidl,
		    strlen(server[i].uidl), strlen(server[i].body)));
		assert_int_equal(deliver(sp, server[i].uidl, server[i].body,
		    &dup), 0);
		assert_false(dup);
		assert_false(spool_is_durable(sp, server[i].uidl,
		    strlen(server[i].uidl)));
	}
	assert_int_equal(spool_pending(sp, &bytes), 3);
	assert_true(bytes > 0);
	assert_int_equal(spool_commit(sp, &e), 3);
	assert_int_equal(spool_pending(sp, NULL), 0);
	for (i = 0; i < 3; i++) {
		assert_true(spool_is_durable(sp, server[i].uidl,
		    strlen(server[i].uidl)));
		assert_true(spool_has(sp, server[i].uidl,
		    strlen(server[i].uidl), strlen(server[i].body)));
	}
	/* a second open is refused while the first holds the lock */
	assert_null(spool_open(dir, &e));
	assert_int_equal(e.cls, ERR_TEMP);
	assert_int_equal(spool_lock(dir, &e), -1);
	spool_free(sp);

	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(spool_count(sp), 3);
	assert_true(spool_has(sp, "a/../b", 6, strlen(server[1].body)));
	/* a known UIDL with another size: the server reused it */
	assert_false(spool_has(sp, "a/../b", 6, 1));
	spool_free(sp);
	check_maildir(dir, counts);
	for (i = 0; i < NSERVER; i++)
		assert_int_equal(counts[i], i < 3 ? 1 : 0);
	tmpdir_remove(dir);
	free(dir);
}

static void
test_spool_duplicates(void **state)
{
	struct spool	*sp;
	struct err	 e;
	char		*dir;
	int		 counts[NSERVER];
	bool		 dup;

	dir = tmpdir_make();
	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(deliver(sp, "old", server[0].body, &dup), 0);
	assert_false(dup);
	assert_int_equal(spool_commit(sp, &e), 1);
	/* the server changed the UIDL: same Message-ID and size */
	assert_int_equal(deliver(sp, "new", server[0].body, &dup), 0);
	assert_true(dup);
	assert_int_equal(spool_commit(sp, &e), 1);
	assert_true(spool_has(sp, "new", 3, strlen(server[0].body)));
	/* no UIDL at all: a second download of the same message is dropped */
	assert_int_equal(deliver(sp, NULL, server[2].body, &dup), 0);
	assert_false(dup);
	assert_int_equal(deliver(sp, NULL, server[2].body, &dup), 0);
	assert_true(dup);
	assert_int_equal(spool_commit(sp, &e), 1);
	assert_int_equal(deliver(sp, NULL, server[2].body, &dup), 0);
	assert_true(dup);
	/* a truncated message is never stored */
	assert_int_equal(spool_msg_begin(sp, "cut", 3, 100, &e), 0);
	assert_int_equal(spool_msg_write(sp, "Subject: x\n", 11, &e), 0);
	spool_msg_abort(sp);
	assert_int_equal(spool_commit(sp, &e), 0);
	spool_free(sp);
	check_maildir(dir, counts);
	assert_int_equal(counts[0], 1);
	assert_int_equal(counts[2], 1);
	tmpdir_remove(dir);
	free(dir);
}

/*
 * The identity of a message (Message-ID, or the whole header without
 * one) does not depend on how its bytes were cut into writes: every cut
 * of a message under a new UIDL is a duplicate of the first.
 */
static void
test_spool_identity_split(void **state)
{
	static const size_t	 which[] = { 0, 2, 3, 4 };
	struct spool		*sp;
	struct err		 e;
	char			*dir, uidl[32];
	const char		*body;
	size_t			 i, k, len;
	bool			 dup;

	dir = tmpdir_make();
	assert_non_null(sp = spool_open(dir, &e));
	spool_set_sync(sp, false);
	for (i = 0; i < sizeof which / sizeof which[0]; i++) {
		body = server[which[i]].body;
		len = strlen(body);
		for (k = 0; k <= len; k++) {
			snprintf(uidl, sizeof uidl, "s%zu-%zu", i, k);
			assert_int_equal(spool_msg_begin(sp, uidl,
			    strlen(uidl), len, &e), 0);
			if (k > 0)
				assert_int_equal(spool_msg_write(sp, body, k,
				    &e), 0);
			if (k < len)
				assert_int_equal(spool_msg_write(sp, body + k,
				    len - k, &e), 0);
			assert_int_equal(spool_msg_end(sp, &dup, &e), 0);
			if (dup != (k > 0))
				fail_msg("message %zu cut at %zu: dup %d",
				    which[i], k, dup);
		}
		assert_true(spool_commit(sp, &e) >= 1);
	}
	spool_free(sp);
	tmpdir_remove(dir);
	free(dir);
}

/*
 * A commit in flight: receiving goes on, nothing of the batch counts as
 * durable before spool_commit_finish(), the descriptor says when it has
 * landed, a copy of an in-flight message is a duplicate, and closing the
 * spool lands a batch still in flight.
 */
static void
test_spool_async(void **state)
{
	struct spool	*sp;
	struct pollfd	 pfd;
	struct err	 e;
	char		*dir;
	int		 counts[NSERVER];
	size_t		 i;
	bool		 dup;

	dir = tmpdir_make();
	assert_non_null(sp = spool_open(dir, &e));
	assert_false(spool_commit_busy(sp));
	assert_int_equal(spool_commit_start(sp, &e), 0);	/* nothing */
	assert_false(spool_commit_busy(sp));
	for (i = 0; i < 3; i++)
		assert_int_equal(deliver(sp, server[i].uidl, server[i].body,
		    &dup), 0);
	assert_int_equal(spool_commit_start(sp, &e), 3);
	assert_true(spool_commit_busy(sp));
	assert_int_equal(spool_pending(sp, NULL), 0);
	/* a second start waits for the first */
	assert_int_equal(deliver(sp, server[3].uidl, server[3].body, &dup), 0);
	assert_false(dup);
	assert_int_equal(spool_commit_start(sp, &e), 0);
	/* message 1 again under a new UIDL while its batch is in flight */
	assert_int_equal(deliver(sp, "renamed", server[0].body, &dup), 0);
	assert_true(dup);
	for (i = 0; i < 3; i++)
		assert_false(spool_is_durable(sp, server[i].uidl,
		    strlen(server[i].uidl)));
	pfd.fd = spool_commit_fd(sp);
	pfd.events = POLLIN;
	assert_true(pfd.fd >= 0);
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	assert_int_equal(spool_commit_finish(sp, &e), 3);
	assert_false(spool_commit_busy(sp));
	for (i = 0; i < 3; i++)
		assert_true(spool_is_durable(sp, server[i].uidl,
		    strlen(server[i].uidl)));
	assert_false(spool_is_durable(sp, server[3].uidl,
	    strlen(server[3].uidl)));
	assert_int_equal(spool_commit_finish(sp, &e), 0);	/* no-op */
	/* the next batch; the spool closes with it in flight */
	assert_int_equal(spool_commit_start(sp, &e), 2);
	spool_free(sp);
	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(spool_count(sp), 5);
	assert_true(spool_has(sp, "renamed", 7, strlen(server[0].body)));
	assert_true(spool_is_durable(sp, server[3].uidl,
	    strlen(server[3].uidl)));
	spool_free(sp);
	check_maildir(dir, counts);
	for (i = 0; i < NSERVER; i++)
		assert_int_equal(counts[i], i < 4 ? 1 : 0);
	tmpdir_remove(dir);
	free(dir);
}

/*
 * A crash after rename() may keep new/'s entry but not tmp/'s removal (no
 * fsync of tmp/ after the renames): the next open must leave the message
 * once, in new/ only.  A recorded file left in tmp/ alone still goes on.
 */
static void
test_spool_recover_both(void **state)
{
	struct maildir_scan	*sc;
	struct maildir_entry	 ent;
	struct spool		*sp;
	struct err		 e;
	char			*dir, *src, *dst, *name = NULL, *name2 = NULL;
	int			 counts[NSERVER];
	size_t			 i;
	bool			 dup;

	dir = tmpdir_make();
	assert_non_null(sp = spool_open(dir, &e));
	for (i = 0; i < 2; i++)
		assert_int_equal(deliver(sp, server[i].uidl, server[i].body,
		    &dup), 0);
	assert_int_equal(spool_commit(sp, &e), 2);
	assert_non_null(sc = maildir_scan_new(spool_maildir(sp), &e));
	assert_int_equal(maildir_scan_next(sc, &ent, &e), 1);
	name = xstrdup(ent.name);
	assert_int_equal(maildir_scan_next(sc, &ent, &e), 1);
	name2 = xstrdup(ent.name);
	maildir_scan_free(sc);
	spool_free(sp);
	/* one name in both directories, the other back in tmp/ alone */
	src = xasprintf("%s/new/%s", dir, name);
	dst = xasprintf("%s/tmp/%s", dir, name);
	assert_int_equal(link(src, dst), 0);
	free(src);
	free(dst);
	src = xasprintf("%s/new/%s", dir, name2);
	dst = xasprintf("%s/tmp/%s", dir, name2);
	assert_int_equal(rename(src, dst), 0);
	free(src);
	free(dst);

	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(spool_count(sp), 2);
	spool_free(sp);
	dst = xasprintf("%s/tmp/%s", dir, name);
	assert_int_equal(access(dst, F_OK), -1);
	free(dst);
	dst = xasprintf("%s/tmp/%s", dir, name2);
	assert_int_equal(access(dst, F_OK), -1);
	free(dst);
	check_maildir(dir, counts);
	for (i = 0; i < NSERVER; i++)
		assert_int_equal(counts[i], i < 2 ? 1 : 0);
	free(name);
	free(name2);
	tmpdir_remove(dir);
	free(dir);
}

static void
test_spool_policies(void **state)
{
	struct spool		*sp;
	struct err		 e;
	struct spool_policy	 keep = { true, 0 }, now_del = { false, 0 };
	struct spool_policy	 days = { true, 3 };
	char			*dir, *jpath;
	time_t			 t = time(NULL);
	FILE			*fp;
	bool			 dup;

	dir = tmpdir_make();
	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(deliver(sp, "uid-1", server[0].body, &dup), 0);
	assert_false(spool_should_delete(sp, "uid-1", 5, &now_del, t));
	assert_int_equal(spool_commit(sp, &e), 1);
	assert_false(spool_should_delete(sp, "uid-1", 5, &keep, t + 86400 * 99));
	assert_true(spool_should_delete(sp, "uid-1", 5, &now_del, t));
	assert_false(spool_should_delete(sp, "uid-1", 5, &days, t + 86400 * 2));
	assert_true(spool_should_delete(sp, "uid-1", 5, &days, t + 86400 * 4));
	assert_false(spool_should_delete(sp, "nope", 4, &now_del, t));
	assert_int_equal(spool_forget(sp, "uid-1", 5, &e), 0);
	assert_false(spool_should_delete(sp, "uid-1", 5, &now_del, t));
	assert_int_equal(spool_count(sp), 0);
	assert_int_equal(deliver(sp, "uid-2", server[1].body, &dup), 0);
	assert_int_equal(spool_commit(sp, &e), 1);
	spool_free(sp);

	/* a torn last line (a crash in the middle of an append) is cut */
	jpath = xasprintf("%s/pons-spool.journal", dir);
	assert_non_null(fp = fopen(jpath, "a"));
	fputs("M 7569642d33 4", fp);
	fclose(fp);
	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(spool_count(sp), 1);
	assert_false(spool_has(sp, "uid-1", 5, strlen(server[0].body)));
	assert_true(spool_has(sp, "uid-2", 5, strlen(server[1].body)));
	assert_int_equal(deliver(sp, "uid-3", server[2].body, &dup), 0);
	assert_int_equal(spool_commit(sp, &e), 1);
	spool_free(sp);
	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(spool_count(sp), 2);
	spool_free(sp);
	free(jpath);
	tmpdir_remove(dir);
	free(dir);
}

static int
count_lines(const char *path)
{
	FILE	*fp;
	int	 c, n = 0;

	assert_non_null(fp = fopen(path, "r"));
	while ((c = fgetc(fp)) != EOF)
		n += c == '\n';
	fclose(fp);
	return n;
}

static void
test_spool_compact(void **state)
{
	struct spool	*sp;
	struct err	 e;
	char		*dir, *jpath;
	size_t		 i;
	bool		 dup;
	int		 counts[NSERVER];

	dir = tmpdir_make();
	jpath = xasprintf("%s/pons-spool.journal", dir);
	assert_non_null(sp = spool_open(dir, &e));
	for (i = 0; i < 5; i++)
		assert_int_equal(deliver(sp, server[i].uidl, server[i].body,
		    &dup), 0);
	assert_int_equal(spool_commit(sp, &e), 5);
	/* the UIDL "r" names message 5, then message 6 */
	assert_int_equal(deliver(sp, "r", server[5].body, &dup), 0);
	assert_int_equal(spool_commit(sp, &e), 1);
	assert_int_equal(deliver(sp, "r", server[6].body, &dup), 0);
	assert_false(dup);
	assert_int_equal(spool_commit(sp, &e), 1);
	for (i = 0; i < 3; i++)
		assert_int_equal(spool_forget(sp, server[i].uidl,
		    strlen(server[i].uidl), &e), 0);
	assert_int_equal(count_lines(jpath), 10);
	assert_int_equal(spool_compact(sp, &e), 0);
	/* 2 live + "r" + the record "r" no longer names */
	assert_int_equal(count_lines(jpath), 4);
	assert_int_equal(deliver(sp, "x", server[4].body, &dup), 0);
	assert_true(dup);
	assert_int_equal(spool_commit(sp, &e), 1);
	spool_free(sp);

	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(spool_count(sp), 5);	/* with the UIDL-less one */
	assert_false(spool_has(sp, server[0].uidl, strlen(server[0].uidl),
	    strlen(server[0].body)));
	assert_true(spool_has(sp, server[3].uidl, strlen(server[3].uidl),
	    strlen(server[3].body)));
	assert_true(spool_has(sp, "r", 1, strlen(server[6].body)));
	/* the message "r" named first is still known by its Message-ID */
	assert_int_equal(deliver(sp, "y", server[5].body, &dup), 0);
	assert_true(dup);
	assert_int_equal(spool_commit(sp, &e), 1);
	spool_free(sp);
	check_maildir(dir, counts);
	for (i = 0; i < NSERVER; i++)
		assert_int_equal(counts[i], 1);
	free(jpath);
	tmpdir_remove(dir);
	free(dir);
}

/*
 * One fetch of the fake server with policy "delete after download": up to
 * 3 messages per batch, DELE (recorded in deleted[]) only after checking
 * durability.  Returns 0 if it ran to the end, -1 if the hook stopped it.
 */
static int
fetch(const char *dir, unsigned int stop_after, bool *deleted)
{
	struct spool_policy	 p = { false, 0 };
	struct spool		*sp;
	struct err		 e;
	size_t			 i, len;
	bool			 dup, dele[NSERVER];
	int			 rc = 0;

	memset(dele, 0, sizeof dele);
	assert_non_null(sp = spool_open(dir, &e));
	spool_set_stop_after(sp, stop_after);
	for (i = 0; i < NSERVER && rc == 0; i++) {
		len = strlen(server[i].body);
		if (deleted[i] || spool_has(sp, server[i].uidl,
		    strlen(server[i].uidl), len))
			continue;
		if (deliver(sp, server[i].uidl, server[i].body, &dup) == -1)
			rc = -1;
		else if (spool_pending(sp, NULL) == 3 &&
		    spool_commit(sp, &e) == -1)
			rc = -1;
	}
	if (rc == 0 && spool_commit(sp, &e) == -1)
		rc = -1;
	/* DELE what the policy allows; the "server" deletes at QUIT */
	for (i = 0; i < NSERVER; i++)
		if (!deleted[i] && spool_should_delete(sp, server[i].uidl,
		    strlen(server[i].uidl), &p, time(NULL))) {
			assert_true(spool_is_durable(sp, server[i].uidl,
			    strlen(server[i].uidl)));
			dele[i] = true;
		}
	if (rc == 0) {
		for (i = 0; i < NSERVER; i++)
			if (dele[i]) {
				deleted[i] = true;	/* QUIT +OK */
				if (spool_forget(sp, server[i].uidl,
				    strlen(server[i].uidl), &e) == -1)
					rc = -1;
			}
	}
	spool_free(sp);
	return rc;
}

static void
test_spool_crash_resume(void **state)
{
	char		*dir;
	unsigned int	 n;
	int		 counts[NSERVER], rc;
	bool		 deleted[NSERVER];
	size_t		 i;

	for (n = 1; n < 200; n++) {
		dir = tmpdir_make();
		memset(deleted, 0, sizeof deleted);
		rc = fetch(dir, n, deleted);
		/* whatever was deleted on the server is in the spool */
		check_maildir(dir, counts);
		for (i = 0; i < NSERVER; i++)
			if (deleted[i])
				assert_int_equal(counts[i], 1);
		assert_int_equal(fetch(dir, 0, deleted), 0);
		check_maildir(dir, counts);
		for (i = 0; i < NSERVER; i++) {
			if (counts[i] != 1)
				fail_msg("stop after %u: message %zu stored "
				    "%d times", n, i, counts[i]);
			assert_true(deleted[i]);
		}
		/* a third run finds nothing to do and stores nothing */
		assert_int_equal(fetch(dir, 0, deleted), 0);
		check_maildir(dir, counts);
		for (i = 0; i < NSERVER; i++)
			assert_int_equal(counts[i], 1);
		tmpdir_remove(dir);
		free(dir);
		if (rc == 0)
			break;	/* the hook no longer fires: every step done */
	}
	assert_true(n > 10);
}

/* The whole journal as a string (caller frees). */
static char *
journal_text(const char *dir)
{
	struct buf	 b = BUF_INIT;
	FILE		*fp;
	char		*path, chunk[4096];
	size_t		 n;

	path = xasprintf("%s/pons-spool.journal", dir);
	assert_non_null(fp = fopen(path, "r"));
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	free(path);
	return buf_take(&b, NULL);
}

/* Occurrences of the line "P" or "S" (c) in the journal text j. */
static int
journal_marks(const char *j, char c)
{
	const char	*p;
	int		 n = 0;

	for (p = j; *p != '\0'; p = strchr(p, '\n') + 1) {
		if (p[0] == c && (p[1] == '\n' || p[1] == ' '))
			n++;
		if (strchr(p, '\n') == NULL)
			break;
	}
	return n;
}

/* The P line a deferred run writes in this boot. */
static const char *
p_line(void)
{
	static char	 line[80];
	char		 id[64] = "";
	FILE		*f;

	if (line[0] != '\0')
		return line;
	if ((f = fopen("/proc/sys/kernel/random/boot_id", "r")) != NULL) {
		if (fgets(id, sizeof id, f) == NULL)
			id[0] = '\0';
		fclose(f);
		id[strcspn(id, "\n")] = '\0';
	}
	snprintf(line, sizeof line, id[0] != '\0' ? "P %s\n" : "P\n", id);
	return line;
}

/* True if the last "P" line of j has an "S" line after it (or no P). */
static bool
journal_settled(const char *j)
{
	const char	*p, *lastp = NULL, *lasts = NULL;

	for (p = j; *p != '\0' && strchr(p, '\n') != NULL;
	    p = strchr(p, '\n') + 1) {
		if (p[0] == 'P' && (p[1] == '\n' || p[1] == ' '))
			lastp = p;
		if (p[0] == 'S' && p[1] == '\n')
			lasts = p;
	}
	return lastp == NULL || (lasts != NULL && lasts > lastp);
}

/*
 * The file name and written size the journal records for uidl (the last
 * M line naming it).  name is caller-freed.
 */
static void
journal_rec(const char *dir, const char *uidl, char **name,
    unsigned long long *fsize)
{
	struct buf	 hex = BUF_INIT;
	char		*j, *p, *line, word[7][256];
	size_t		 i;
	int		 n;

	for (i = 0; uidl[i] != '\0'; i++)
		buf_printf(&hex, "%02x", (unsigned char)uidl[i]);
	*name = NULL;
	j = journal_text(dir);
	for (line = j; (p = strchr(line, '\n')) != NULL; line = p + 1) {
		*p = '\0';
		n = sscanf(line, "%255s %255s %255s %255s %255s %255s %255s",
		    word[0], word[1], word[2], word[3], word[4], word[5],
		    word[6]);
		if (n >= 6 && strcmp(word[0], "M") == 0 &&
		    strcmp(word[1], buf_str(&hex)) == 0) {
			assert_int_equal(n, 7);
			free(*name);
			*name = xstrdup(word[5]);
			*fsize = strtoull(word[6], NULL, 10);
		}
	}
	assert_non_null(*name);
	free(j);
	buf_fini(&hex);
}

static bool
file_exists(const char *dir, const char *sub, const char *name)
{
	struct stat	 st;
	char		*p;
	int		 rc;

	p = xasprintf("%s/%s/%s", dir, sub, name);
	rc = stat(p, &st);
	free(p);
	return rc == 0;
}

/* Does any file of new/, cur/ or tmp/ start with name? */
static bool
file_anywhere(const char *dir, const char *name)
{
	char	*cmd;
	int	 rc;

	cmd = xasprintf("ls '%s/new' '%s/cur' '%s/tmp' | grep -q '^%s'", dir,
	    dir, dir, name);
	rc = system(cmd);
	free(cmd);
	return rc == 0;
}

/*
 * Deferred durability: a run that keeps its messages on the server
 * records them below a P without syncing; the next open checks their
 * files, forgets the damaged ones (fetched again, not duplicates), keeps
 * the ones deleted here, and settles the journal once.
 */
static void
test_spool_deferred(void **state)
{
	static const size_t	 pick[] = { 0, 1, 3, 5 };
	struct spool		*sp;
	struct err		 e;
	char			*dir, *j, *name[4], *from, *to;
	unsigned long long	 fsize[4];
	size_t			 i, checked, dropped;
	int			 counts[NSERVER];
	bool			 dup;

	dir = tmpdir_make();
	assert_non_null(sp = spool_open(dir, &e));
	spool_set_deferred(sp, true);
	for (i = 0; i < 4; i++)
		assert_int_equal(deliver(sp, server[pick[i]].uidl,
		    server[pick[i]].body, &dup), 0);
	assert_int_equal(spool_commit(sp, &e), 4);
	for (i = 0; i < 4; i++) {
		assert_true(spool_has(sp, server[pick[i]].uidl,
		    strlen(server[pick[i]].uidl), strlen(server[pick[i]].body)));
		/* not known durable: no DELE may follow */
		assert_false(spool_is_durable(sp, server[pick[i]].uidl,
		    strlen(server[pick[i]].uidl)));
	}
	spool_free(sp);
	j = journal_text(dir);
	assert_int_equal(journal_marks(j, 'P'), 1);
	assert_int_equal(journal_marks(j, 'S'), 0);
	/* before the M lines, with this boot's id */
	assert_true(strncmp(j, p_line(), strlen(p_line())) == 0);
	free(j);
	for (i = 0; i < 4; i++) {
		journal_rec(dir, server[pick[i]].uidl, &name[i], &fsize[i]);
		assert_int_equal(fsize[i], strlen(server[pick[i]].body));
		assert_true(file_exists(dir, "new", name[i]));
	}

	/* 0: zero length; 1: read (cur/, flags) and short; 2: deleted;
	 * 3: read, intact */
	from = xasprintf("%s/new/%s", dir, name[0]);
	assert_int_equal(truncate(from, 0), 0);
	free(from);
	from = xasprintf("%s/new/%s", dir, name[1]);
	to = xasprintf("%s/cur/%s:2,S", dir, name[1]);
	assert_int_equal(rename(from, to), 0);
	assert_int_equal(truncate(to, (off_t)fsize[1] - 3), 0);
	free(from);
	free(to);
	from = xasprintf("%s/new/%s", dir, name[2]);
	assert_int_equal(unlink(from), 0);
	free(from);
	from = xasprintf("%s/new/%s", dir, name[3]);
	to = xasprintf("%s/cur/%s:2,RS", dir, name[3]);
	assert_int_equal(rename(from, to), 0);
	free(from);
	free(to);

	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(spool_open_checked(sp, &dropped), 4);
	assert_int_equal(dropped, 2);
	assert_int_equal(spool_count(sp), 2);
	for (i = 0; i < 4; i++) {
		assert_true(spool_has(sp, server[pick[i]].uidl,
		    strlen(server[pick[i]].uidl),
		    strlen(server[pick[i]].body)) == (i >= 2));
		assert_true(spool_is_durable(sp, server[pick[i]].uidl,
		    strlen(server[pick[i]].uidl)) == (i >= 2));
	}
	assert_false(file_anywhere(dir, name[0]));
	assert_false(file_anywhere(dir, name[1]));
	assert_true(file_exists(dir, "cur", name[3]) ||
	    file_anywhere(dir, name[3]));
	j = journal_text(dir);
	assert_true(journal_settled(j));
	assert_int_equal(journal_marks(j, 'P'), 0);	/* rewritten */
	free(j);
	/* fetched again: new messages, not duplicates of the lost ones */
	spool_set_deferred(sp, true);
	for (i = 0; i < 2; i++) {
		assert_int_equal(deliver(sp, server[pick[i]].uidl,
		    server[pick[i]].body, &dup), 0);
		assert_false(dup);
	}
	assert_int_equal(spool_commit(sp, &e), 2);
	spool_free(sp);
	j = journal_text(dir);
	assert_false(journal_settled(j));
	free(j);

	/* the next open checks those two, finds them whole, appends S */
	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(spool_open_checked(sp, &dropped), 2);
	assert_int_equal(dropped, 0);
	assert_int_equal(spool_count(sp), 4);
	spool_free(sp);
	j = journal_text(dir);
	assert_int_equal(journal_marks(j, 'P'), 1);
	assert_int_equal(journal_marks(j, 'S'), 1);
	assert_true(journal_settled(j));
	assert_true(strcmp(j + strlen(j) - 2, "S\n") == 0);
	free(j);
	/* and the one after that has nothing to check */
	assert_non_null(sp = spool_open(dir, &e));
	checked = spool_open_checked(sp, &dropped);
	assert_int_equal(checked, 0);
	assert_int_equal(dropped, 0);
	assert_int_equal(spool_count(sp), 4);
	spool_free(sp);
	j = journal_text(dir);
	assert_int_equal(journal_marks(j, 'S'), 1);
	free(j);

	check_maildir(dir, counts);
	for (i = 0; i < NSERVER; i++)
		assert_int_equal(counts[i], i == 0 || i == 1 || i == 5);
	for (i = 0; i < 4; i++)
		free(name[i]);
	tmpdir_remove(dir);
	free(dir);
}

/*
 * A keep_on_server run of the first two server messages into a new
 * spool at dir, then closed; their file names (caller-freed) in name.
 */
static void
deferred_run2(const char *dir, char *name[2])
{
	struct spool		*sp;
	struct err		 e;
	unsigned long long	 fsize;
	size_t			 i;
	bool			 dup;

	assert_non_null(sp = spool_open(dir, &e));
	spool_set_deferred(sp, true);
	for (i = 0; i < 2; i++)
		assert_int_equal(deliver(sp, server[i].uidl, server[i].body,
		    &dup), 0);
	assert_int_equal(spool_commit(sp, &e), 2);
	spool_free(sp);
	for (i = 0; i < 2; i++) {
		journal_rec(dir, server[i].uidl, &name[i], &fsize);
		assert_int_equal(fsize, strlen(server[i].body));
	}
}

/*
 * The check of a deferred run off the caller's thread (what pop3-fetch
 * does, so that the UI need not wait for the disk): nothing is checked
 * by spool_open_unsettled(); the worker's result lands in
 * spool_commit_finish(), the same as spool_open()'s.
 */
static void
test_spool_settle_async(void **state)
{
	struct spool		*sp;
	struct pollfd		 pfd;
	struct err		 e;
	char			*dir, *j, *name[2], *p;
	size_t			 i, dropped;

	dir = tmpdir_make();
	deferred_run2(dir, name);
	p = xasprintf("%s/new/%s", dir, name[0]);	/* lost in a crash */
	assert_int_equal(truncate(p, 1), 0);
	free(p);

	assert_non_null(sp = spool_open_unsettled(dir, &e));
	assert_int_equal(spool_open_checked(sp, NULL), 0);
	assert_false(spool_commit_busy(sp));
	j = journal_text(dir);
	assert_false(journal_settled(j));
	free(j);
	assert_int_equal(spool_settle_start(sp), 1);
	assert_true(spool_commit_busy(sp));
	assert_int_equal(spool_settle_start(sp), 0);	/* one at a time */
	pfd.fd = spool_commit_fd(sp);
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	assert_int_equal(spool_commit_finish(sp, &e), 0);
	assert_false(spool_commit_busy(sp));
	assert_int_equal(spool_open_checked(sp, &dropped), 2);
	assert_int_equal(dropped, 1);
	assert_false(spool_has(sp, server[0].uidl, strlen(server[0].uidl),
	    strlen(server[0].body)));
	assert_true(spool_has(sp, server[1].uidl, strlen(server[1].uidl),
	    strlen(server[1].body)));
	assert_true(spool_is_durable(sp, server[1].uidl,
	    strlen(server[1].uidl)));
	assert_false(file_anywhere(dir, name[0]));
	j = journal_text(dir);
	assert_true(journal_settled(j));
	free(j);
	/* settled: nothing more to check, and the fd is quiet */
	assert_int_equal(spool_settle_start(sp), 0);
	assert_int_equal(poll(&pfd, 1, 0), 0);
	spool_free(sp);
	for (i = 0; i < 2; i++)
		free(name[i]);
	tmpdir_remove(dir);
	free(dir);
}

/*
 * A commit that syncs writes no P; one made after a deferred one settles
 * it (S), and a compaction keeps the P above records not yet durable.
 */
static void
test_spool_deferred_modes(void **state)
{
	struct spool	*sp;
	struct err	 e;
	char		*dir, *j, *b;
	size_t		 dropped;
	bool		 dup;

	dir = tmpdir_make();
	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(deliver(sp, "uid-1", server[0].body, &dup), 0);
	assert_int_equal(spool_commit(sp, &e), 1);
	j = journal_text(dir);
	assert_int_equal(journal_marks(j, 'P'), 0);
	assert_int_equal(journal_marks(j, 'S'), 0);
	free(j);
	assert_true(spool_is_durable(sp, "uid-1", 5));

	/* deferred, then a synced commit: everything durable, S */
	spool_set_deferred(sp, true);
	assert_int_equal(deliver(sp, "uid-2", server[1].body, &dup), 0);
	assert_int_equal(spool_commit(sp, &e), 1);
	assert_false(spool_is_durable(sp, "uid-2", 5));
	spool_set_deferred(sp, false);
	assert_int_equal(deliver(sp, "uid-3", server[2].body, &dup), 0);
	assert_int_equal(spool_commit(sp, &e), 1);
	assert_true(spool_is_durable(sp, "uid-2", 5));
	assert_true(spool_is_durable(sp, "uid-3", 5));
	j = journal_text(dir);
	assert_int_equal(journal_marks(j, 'P'), 1);
	assert_int_equal(journal_marks(j, 'S'), 1);
	assert_true(journal_settled(j));
	free(j);

	/* deferred again, then a compaction: the P stays above them */
	spool_set_deferred(sp, true);
	assert_int_equal(deliver(sp, "uid-4", server[3].body, &dup), 0);
	assert_int_equal(spool_commit(sp, &e), 1);
	assert_int_equal(spool_forget(sp, "uid-1", 5, &e), 0);
	assert_int_equal(spool_compact(sp, &e), 0);
	j = journal_text(dir);
	assert_int_equal(journal_marks(j, 'P'), 1);
	assert_int_equal(journal_marks(j, 'S'), 0);
	b = xasprintf("%sM 7569642d34 ", p_line());
	assert_non_null(strstr(j, b));
	free(b);
	free(j);
	/* a batch after the compaction goes below the same P */
	assert_int_equal(deliver(sp, "uid-6", server[5].body, &dup), 0);
	assert_int_equal(spool_commit(sp, &e), 1);
	spool_free(sp);
	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(spool_open_checked(sp, &dropped), 2);
	assert_int_equal(dropped, 0);
	assert_int_equal(spool_count(sp), 4);
	assert_true(spool_is_durable(sp, "uid-4", 5));
	/* a compaction after a verified open has no P */
	assert_int_equal(spool_compact(sp, &e), 0);
	spool_free(sp);
	j = journal_text(dir);
	assert_int_equal(journal_marks(j, 'P'), 0);
	assert_int_equal(journal_marks(j, 'S'), 0);
	free(j);
	tmpdir_remove(dir);
	free(dir);
}

/*
 * A file found nowhere at the check: in the run's own boot the user
 * deleted it (test_spool_deferred); after a restart, or with no boot id
 * in the P, a crash may have lost it, so it is fetched again.
 */
static void
test_spool_deferred_restart(void **state)
{
	static const char	*ids[] = {
		"P 00000000-0000-4000-8000-000000000000\n", "P\n" };
	struct spool		*sp;
	struct err		 e;
	FILE			*fp;
	char			*dir, *j, *jpath, *name[2], *p;
	size_t			 i, k, dropped;
	bool			 dup;

	for (k = 0; k < 2; k++) {
		dir = tmpdir_make();
		deferred_run2(dir, name);
		/* the run's P as another boot (or an older pons) wrote it */
		j = journal_text(dir);
		assert_true(strncmp(j, p_line(), strlen(p_line())) == 0);
		jpath = xasprintf("%s/pons-spool.journal", dir);
		assert_non_null(fp = fopen(jpath, "w"));
		fprintf(fp, "%s%s", ids[k], j + strlen(p_line()));
		assert_int_equal(fclose(fp), 0);
		free(jpath);
		free(j);
		/* 0 gone with its directory entry; 1 whole */
		p = xasprintf("%s/new/%s", dir, name[0]);
		assert_int_equal(unlink(p), 0);
		free(p);

		assert_non_null(sp = spool_open(dir, &e));
		assert_int_equal(spool_open_checked(sp, &dropped), 2);
		assert_int_equal(dropped, 1);
		assert_false(spool_has(sp, server[0].uidl,
		    strlen(server[0].uidl), strlen(server[0].body)));
		assert_true(spool_has(sp, server[1].uidl,
		    strlen(server[1].uidl), strlen(server[1].body)));
		assert_true(spool_is_durable(sp, server[1].uidl,
		    strlen(server[1].uidl)));
		assert_true(file_exists(dir, "new", name[1]));
		/* fetched again, as a new message */
		assert_int_equal(deliver(sp, server[0].uidl, server[0].body,
		    &dup), 0);
		assert_false(dup);
		assert_int_equal(spool_commit(sp, &e), 1);
		spool_free(sp);
		j = journal_text(dir);
		assert_true(journal_settled(j));
		free(j);
		for (i = 0; i < 2; i++)
			free(name[i]);
		tmpdir_remove(dir);
		free(dir);
	}
}

/* M lines written before the file size was recorded still load. */
static void
test_spool_old_format(void **state)
{
	struct spool	*sp;
	struct err	 e;
	FILE		*fp;
	char		*dir, *path;
	size_t		 dropped;
	bool		 dup;

	dir = tmpdir_make();
	assert_non_null(sp = spool_open(dir, &e));	/* the Maildir */
	spool_free(sp);
	path = xasprintf("%s/pons-spool.journal", dir);
	assert_non_null(fp = fopen(path, "w"));
	/* uid-1 (its file deleted here), uid-2 without a file name */
	fprintf(fp, "M 7569642d31 %zu 0123456789abcdef 1700000000 "
	    "1700000000.M1P1_Q1.host\n", strlen(server[0].body));
	fprintf(fp, "M 7569642d32 %zu 00000000000000ff 1700000001 -\n",
	    strlen(server[1].body));
	/* below a P, an old line has no size to check: kept */
	fprintf(fp, "P\nM 7569642d33 %zu 00000000000000fe 1700000002 "
	    "1700000002.M1P1_Q1.host\n", strlen(server[2].body));
	fclose(fp);
	free(path);
	path = xasprintf("%s/new/1700000002.M1P1_Q1.host", dir);
	assert_non_null(fp = fopen(path, "w"));
	fclose(fp);
	free(path);
	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(spool_count(sp), 3);
	assert_int_equal(spool_open_checked(sp, &dropped), 1);
	assert_int_equal(dropped, 0);
	assert_true(spool_has(sp, "uid-1", 5, strlen(server[0].body)));
	assert_true(spool_has(sp, "uid-2", 5, strlen(server[1].body)));
	assert_true(spool_has(sp, "uid-3", 5, strlen(server[2].body)));
	assert_true(spool_is_durable(sp, "uid-1", 5));
	assert_true(spool_is_durable(sp, "uid-3", 5));
	/* new lines after old ones carry the size */
	assert_int_equal(deliver(sp, "uid-4", server[3].body, &dup), 0);
	assert_int_equal(spool_commit(sp, &e), 1);
	spool_free(sp);
	assert_non_null(sp = spool_open(dir, &e));
	assert_int_equal(spool_count(sp), 4);
	assert_int_equal(spool_open_checked(sp, NULL), 0);
	spool_free(sp);
	tmpdir_remove(dir);
	free(dir);
}

/* FNV-1a, 64 bit, as the spool hashes a UIDL. */
static uint64_t
fnv(const char *p, size_t len)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * A server's UIDLs made up to share the low 12 bits of their FNV hash
 * (all in one slot of a 4,096-slot table, had the slot been those bits):
 * each lookup still walks only a little way from its slot.
 */
static void
test_spool_chosen_uidls(void **state)
{
	struct spool	*sp;
	struct err	 e;
	char		*dir, uidl[32], body[96];
	uint64_t	 want = fnv("u0", 2) & 4095;
	unsigned int	 k, n = 0;
	bool		 dup;

	(void)state;
	dir = tmpdir_make();
	assert_non_null(sp = spool_open(dir, &e));
	spool_set_sync(sp, false);
	for (k = 0; n < 1500 && k < 20000000; k++) {
		int	 len = snprintf(uidl, sizeof uidl, "u%u", k);

		if ((fnv(uidl, (size_t)len) & 4095) != want)
			continue;
		snprintf(body, sizeof body, "Message-ID: <%u@x>\n\n%u\n", k,
		    k);
		assert_int_equal(deliver(sp, uidl, body, &dup), 0);
		assert_false(dup);
		n++;
	}
	assert_int_equal(n, 1500);
	assert_int_equal(spool_commit(sp, &e), 1500);
	assert_true(spool_probe_max(sp) < 64);
	assert_true(spool_has(sp, uidl, strlen(uidl), strlen(body)));
	spool_free(sp);
	tmpdir_remove(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spool_basic),
		cmocka_unit_test(test_spool_duplicates),
		cmocka_unit_test(test_spool_async),
		cmocka_unit_test(test_spool_identity_split),
		cmocka_unit_test(test_spool_recover_both),
		cmocka_unit_test(test_spool_policies),
		cmocka_unit_test(test_spool_compact),
		cmocka_unit_test(test_spool_crash_resume),
		cmocka_unit_test(test_spool_deferred),
		cmocka_unit_test(test_spool_settle_async),
		cmocka_unit_test(test_spool_deferred_modes),
		cmocka_unit_test(test_spool_deferred_restart),
		cmocka_unit_test(test_spool_old_format),
		cmocka_unit_test(test_spool_chosen_uidls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
