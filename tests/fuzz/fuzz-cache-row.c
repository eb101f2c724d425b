/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: one row of the IMAP cache as a damaged or hostile
 * cache file holds it.  The first byte is the length of the flags text
 * that follows it; the rest is the packed BLOB.  Both go into the message
 * table over a second SQLite connection, and cache_msgs_load() must refuse
 * the row or return strings that each lie, NUL and all, within what was
 * stored: never a byte read past it.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/cache.h"
#include "util/err.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct cache	*fz_cache;
static sqlite3		*fz_raw;
static sqlite3_stmt	*fz_put;
static int64_t		 fz_key;
static char		 fz_path[64];

static void
fz_cleanup(void)
{
	char	 b[80];

	sqlite3_finalize(fz_put);
	sqlite3_close(fz_raw);
	cache_close(fz_cache);
	unlink(fz_path);
	snprintf(b, sizeof b, "%s-wal", fz_path);
	unlink(b);
	snprintf(b, sizeof b, "%s-shm", fz_path);
	unlink(b);
}

static void
fz_init(void)
{
	struct cache_msg	 m;
	struct err		 e;
	sqlite3_stmt		*s;
	int64_t			 id;

	snprintf(fz_path, sizeof fz_path, "/tmp/pons-fuzz-cache-%ld.db",
	    (long)getpid());
	unlink(fz_path);
	memset(&m, 0, sizeof m);
	m.uid = 1;
	m.subject = "seed";
	if (cache_open(fz_path, 0, &fz_cache, &e) != 0 ||
	    cache_mailbox_set_uidvalidity(fz_cache, "INBOX", 1, &e) == -1 ||
	    cache_msg_put(fz_cache, "INBOX", &m, &e) == -1 ||
	    sqlite3_open(fz_path, &fz_raw) != SQLITE_OK ||
	    sqlite3_prepare_v2(fz_raw, "SELECT id FROM mailbox WHERE name = "
	    "'INBOX'", -1, &s, NULL) != SQLITE_OK)
		abort();
	if (sqlite3_step(s) != SQLITE_ROW)
		abort();
	id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	/* the row is there to overwrite */
	if (sqlite3_prepare_v2(fz_raw, "SELECT count(*) FROM message", -1, &s,
	    NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW ||
	    sqlite3_column_int(s, 0) != 1)
		abort();
	sqlite3_finalize(s);
	/* the key of UID 1 (see row_key in cache.c) */
	fz_key = id << 32 | (int64_t)(UINT32_MAX - 1);
	if (sqlite3_prepare_v2(fz_raw, "UPDATE message SET flags = ?1, "
	    "packed = ?2 WHERE key = ?3", -1, &fz_put, NULL) != SQLITE_OK)
		abort();
	atexit(fz_cleanup);
}

struct fz_in {
	const uint8_t	*data;
	size_t		 size;
	int		 rows;
};

/* s (with its NUL if nul) is part of the input, or NULL */
static void
fz_within(const struct fz_in *in, const char *s, bool nul)
{
	size_t	 n, i;

	if (s == NULL)
		return;
	n = strlen(s) + nul;
	for (i = 0; i + n <= in->size; i++)
		if (memcmp(in->data + i, s, n) == 0)
			return;
	abort();
}

static void
fz_row(void *arg, const struct cache_msg *m)
{
	struct fz_in	*in = arg;

	in->rows++;
	if (m->uid != 1)
		abort();
	fz_within(in, m->flags, false);	/* SQLite's text: its NUL added */
	fz_within(in, m->date, true);
	fz_within(in, m->subject, true);
	fz_within(in, m->from, true);
	fz_within(in, m->to, true);
	fz_within(in, m->cc, true);
	fz_within(in, m->message_id, true);
	fz_within(in, m->in_reply_to, true);
	fz_within(in, m->from_show, true);
	fz_within(in, m->from_addr, true);
	fz_within(in, m->to_show, true);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in	 in = { data, size, 0 };
	struct err	 e;
	size_t		 fl;

	if (fz_cache == NULL)
		fz_init();
	fl = size > 0 ? data[0] : 0;
	if (fl > size - (size > 0))
		fl = size - (size > 0);
	sqlite3_reset(fz_put);
	sqlite3_bind_text(fz_put, 1, (const char *)data + (size > 0), (int)fl,
	    SQLITE_STATIC);
	if (size > 1 + fl)
		sqlite3_bind_blob(fz_put, 2, data + 1 + fl, (int)(size - 1 - fl),
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(fz_put, 2);
	sqlite3_bind_int64(fz_put, 3, fz_key);
	if (sqlite3_step(fz_put) != SQLITE_DONE)
		abort();
	if (cache_msgs_load(fz_cache, "INBOX", 4, fz_row, &in, &e) > 1 ||
	    in.rows > 1)
		abort();
	return 0;
}
