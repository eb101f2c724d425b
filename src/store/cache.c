/* SPDX-License-Identifier: ISC */
/*
 * The IMAP cache: one SQLite file per account.  Statements are prepared
 * once and kept; every value from a server goes in as a bound parameter.
 * No knowledge of IMAP syntax beyond what cache.h names.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/cache.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

/*
 * 2: subject stored decoded, plus the first sender's and recipient's
 * display text and the parsed Date:, so opening a mailbox parses nothing.
 * Any other version found on disk is dropped and rebuilt (it is a cache).
 */
#define CACHE_VERSION	2

enum cache_stmt {
	ST_MBOX_GET,
	ST_MBOX_ID,
	ST_MBOX_INSERT,
	ST_MBOX_SET_UV,
	ST_MBOX_SET_STATE,
	ST_MBOX_COUNT,
	ST_MSG_PUT,
	ST_FLAGS_PUT,
	ST_MSG_DEL,
	ST_BODY_DEL,
	ST_MSG_LOAD,
	ST_BODY_PUT,
	ST_BODY_GET,
	ST_JOURNAL_ADD,
	ST_JOURNAL_FIRST,
	ST_JOURNAL_DONE,
	ST_JOURNAL_FIRST_IN,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_MBOX_GET] = "SELECT uidvalidity, uidnext, highestmodseq, id "
	    "FROM mailbox WHERE name = ?1",
	[ST_MBOX_ID] = "SELECT id, uidvalidity FROM mailbox WHERE name = ?1",
	[ST_MBOX_INSERT] = "INSERT INTO mailbox (name, uidvalidity, uidnext, "
	    "highestmodseq) VALUES (?1, ?2, 0, 0)",
	[ST_MBOX_SET_UV] = "UPDATE mailbox SET uidvalidity = ?2, uidnext = 0, "
	    "highestmodseq = 0 WHERE id = ?1",
	[ST_MBOX_SET_STATE] = "UPDATE mailbox SET uidnext = ?2, "
	    "highestmodseq = ?3 WHERE id = ?1",
	[ST_MBOX_COUNT] = "SELECT count(*) FROM message WHERE mbox = ?1",
	[ST_MSG_PUT] = "INSERT OR REPLACE INTO message (mbox, uid, flags, "
	    "modseq, internaldate, size, date, subject, from_, to_, cc, "
	    "message_id, in_reply_to, sent, from_show, from_addr, to_show) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?16, ?17)",
	[ST_FLAGS_PUT] = "UPDATE message SET flags = ?3, modseq = "
	    "CASE WHEN ?4 = 0 THEN modseq ELSE ?4 END "
	    "WHERE mbox = ?1 AND uid = ?2",
	[ST_MSG_DEL] = "DELETE FROM message WHERE mbox = ?1 AND uid >= ?2 "
	    "AND uid <= ?3",
	[ST_BODY_DEL] = "DELETE FROM body WHERE mbox = ?1 AND uid >= ?2 "
	    "AND uid <= ?3",
	[ST_MSG_LOAD] = "SELECT uid, flags, modseq, internaldate, size, date, "
	    "subject, from_, to_, cc, message_id, in_reply_to, sent, "
	    "from_show, from_addr, to_show FROM message WHERE mbox = ?1 AND uid < ?3 ORDER BY uid DESC LIMIT ?2",
	[ST_BODY_PUT] = "INSERT OR REPLACE INTO body (mbox, uid, section, "
	    "data) VALUES (?1, ?2, ?3, ?4)",
	[ST_BODY_GET] = "SELECT data FROM body WHERE mbox = ?1 AND uid = ?2 "
	    "AND section = ?3",
	[ST_JOURNAL_ADD] = "INSERT INTO journal (kind, mailbox, uidvalidity, "
	    "uids, arg) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_JOURNAL_FIRST] = "SELECT id, kind, mailbox, uidvalidity, uids, arg "
	    "FROM journal ORDER BY id LIMIT 1",
	[ST_JOURNAL_DONE] = "DELETE FROM journal WHERE id = ?1",
	[ST_JOURNAL_FIRST_IN] = "SELECT id, kind, mailbox, uidvalidity, uids, "
	    "arg FROM journal WHERE mailbox = ?1 ORDER BY id LIMIT 1",
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS mailbox ("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " uidvalidity INTEGER NOT NULL, uidnext INTEGER NOT NULL,"
    " highestmodseq INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS message ("
    " mbox INTEGER NOT NULL, uid INTEGER NOT NULL, flags TEXT,"
    " modseq INTEGER, internaldate INTEGER, size INTEGER, date TEXT,"
    " subject TEXT, from_ TEXT, to_ TEXT, cc TEXT, message_id TEXT,"
    " in_reply_to TEXT, sent INTEGER, from_show TEXT, from_addr TEXT,"
    " to_show TEXT, PRIMARY KEY (mbox, uid)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS body ("
    " mbox INTEGER NOT NULL, uid INTEGER NOT NULL, section TEXT NOT NULL,"
    " data BLOB, PRIMARY KEY (mbox, uid, section)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS journal ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, kind INTEGER NOT NULL,"
    " mailbox TEXT NOT NULL, uidvalidity INTEGER NOT NULL,"
    " uids TEXT NOT NULL, arg TEXT);";

struct cache {
	sqlite3		*db;
	sqlite3_stmt	*st[ST_COUNT];
	size_t		 body_max;
	bool		 in_tx;
	char		*memo_name;	/* last mailbox looked up ... */
	int64_t		 memo_id;	/* ... and its id: one lookup per chunk,
					 * not one per row */
};

static int	 mailbox_get(struct cache *, const char *,
		    struct cache_mailbox *, bool, struct err *);

static int
cache_fail(struct cache *c, struct err *e, const char *what)
{
	return err_set(e, ERR_LOCAL, "cache: %s: %s", what,
	    sqlite3_errmsg(c->db));
}

static sqlite3_stmt *
stmt(struct cache *c, enum cache_stmt i, struct err *e)
{
	if (c->st[i] == NULL &&
	    sqlite3_prepare_v2(c->db, stmt_sql[i], -1, &c->st[i], NULL) !=
	    SQLITE_OK) {
		cache_fail(c, e, "prepare");
		return NULL;
	}
	sqlite3_reset(c->st[i]);
	sqlite3_clear_bindings(c->st[i]);
	return c->st[i];
}

static void
bind_text(sqlite3_stmt *s, int i, const char *t)
{
	if (t == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
}

/*
 * The same without a copy: t must stay valid until the statement is
 * reset, which step_done does before returning.  For the per-row writes.
 */
static void
bind_text_static(sqlite3_stmt *s, int i, const char *t)
{
	if (t == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
}

/* Run a statement that returns no rows. */
static int
step_done(struct cache *c, sqlite3_stmt *s, struct err *e)
{
	int	 rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return cache_fail(c, e, "write");
	return 0;
}

static int
cache_schema(struct cache *c, struct err *e)
{
	sqlite3_stmt	*s;
	char		 sql[64];
	int		 version = 0;

	if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK)
		return cache_fail(c, e, "open");
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version == CACHE_VERSION)
		return 0;	/* no write on the warm path */
	if (version != 0 &&
	    sqlite3_exec(c->db, "DROP TABLE IF EXISTS mailbox;"
	    "DROP TABLE IF EXISTS message; DROP TABLE IF EXISTS body;"
	    "DROP TABLE IF EXISTS journal;", NULL, NULL, NULL) != SQLITE_OK)
		return cache_fail(c, e, "reset");
	if (sqlite3_exec(c->db, schema, NULL, NULL, NULL) != SQLITE_OK)
		return cache_fail(c, e, "schema");
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", CACHE_VERSION);
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return cache_fail(c, e, "schema");
	return 0;
}

int
cache_open(const char *path, size_t body_max, struct cache **out,
    struct err *e)
{
	struct cache	*c;

	*out = NULL;
	c = xcalloc(1, sizeof *c);
	c->body_max = body_max;
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		err_set(e, ERR_LOCAL, "cache %s: %s", path,
		    c->db != NULL ? sqlite3_errmsg(c->db) : "out of memory");
		cache_close(c);
		return -1;
	}
	sqlite3_busy_timeout(c->db, 2000);
	/* WAL: readers never block the writer; NORMAL sync is enough for a
	 * cache, which may lose its last transaction but not its shape */
	if (sqlite3_exec(c->db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL;", NULL, NULL, NULL) != SQLITE_OK ||
	    cache_schema(c, e) == -1) {
		if (e != NULL && e->cls == ERR_NONE)
			cache_fail(c, e, "open");
		cache_close(c);
		return -1;
	}
	*out = c;
	return 0;
}

void
cache_close(struct cache *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	if (c->in_tx)
		cache_rollback(c);
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(c->st[i]);
	sqlite3_close(c->db);
	free(c->memo_name);
	free(c);
}

int
cache_begin(struct cache *c, struct err *e)
{
	if (c->in_tx)
		return err_set(e, ERR_LOCAL, "cache: nested transaction");
	if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return cache_fail(c, e, "begin");
	c->in_tx = true;
	return 0;
}

int
cache_commit(struct cache *c, struct err *e)
{
	if (!c->in_tx)
		return err_set(e, ERR_LOCAL, "cache: no transaction");
	if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		cache_fail(c, e, "commit");
		cache_rollback(c);
		return -1;
	}
	c->in_tx = false;
	return 0;
}

void
cache_rollback(struct cache *c)
{
	(void)sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	c->in_tx = false;
	free(c->memo_name);	/* the row may have gone with it */
	c->memo_name = NULL;
}

static void
memo_set(struct cache *c, const char *mailbox, int64_t id)
{
	free(c->memo_name);
	c->memo_name = xstrdup(mailbox);
	c->memo_id = id;
}

/* The id of mailbox (created with uidvalidity 0 if create), 0 if none. */
static int64_t
mbox_id(struct cache *c, const char *mailbox, bool create, uint32_t *uv,
    struct err *e)
{
	sqlite3_stmt	*s;
	int64_t		 id = 0;
	int		 rc;

	if (uv == NULL && c->memo_name != NULL &&
	    strcmp(c->memo_name, mailbox) == 0)
		return c->memo_id;
	if ((s = stmt(c, ST_MBOX_ID, e)) == NULL)
		return -1;
	bind_text(s, 1, mailbox);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		if (uv != NULL)
			*uv = (uint32_t)sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cache_fail(c, e, "read");
	if (id != 0)
		memo_set(c, mailbox, id);
	if (id != 0 || !create)
		return id;
	if ((s = stmt(c, ST_MBOX_INSERT, e)) == NULL)
		return -1;
	bind_text(s, 1, mailbox);
	sqlite3_bind_int64(s, 2, 0);
	if (step_done(c, s, e) == -1)
		return -1;
	if (uv != NULL)
		*uv = 0;
	id = sqlite3_last_insert_rowid(c->db);
	memo_set(c, mailbox, id);
	return id;
}

int
cache_mailbox_get(struct cache *c, const char *mailbox,
    struct cache_mailbox *mb, struct err *e)
{
	return mailbox_get(c, mailbox, mb, true, e);
}

int
cache_mailbox_peek(struct cache *c, const char *mailbox,
    struct cache_mailbox *mb, struct err *e)
{
	return mailbox_get(c, mailbox, mb, false, e);
}

static int
mailbox_get(struct cache *c, const char *mailbox, struct cache_mailbox *mb,
    bool count, struct err *e)
{
	sqlite3_stmt	*s;
	int64_t		 id;
	int		 rc;

	memset(mb, 0, sizeof *mb);
	if ((s = stmt(c, ST_MBOX_GET, e)) == NULL)
		return -1;
	bind_text(s, 1, mailbox);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? 0 : cache_fail(c, e, "read");
	}
	mb->uidvalidity = (uint32_t)sqlite3_column_int64(s, 0);
	mb->uidnext = (uint32_t)sqlite3_column_int64(s, 1);
	mb->highestmodseq = (uint64_t)sqlite3_column_int64(s, 2);
	id = sqlite3_column_int64(s, 3);
	sqlite3_reset(s);
	if (!count)
		return 1;
	if ((s = stmt(c, ST_MBOX_COUNT, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		mb->count = (uint32_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 1;
}

static int
rows_delete(struct cache *c, int64_t id, uint32_t lo, uint32_t hi,
    struct err *e)
{
	sqlite3_stmt	*s;
	int		 n;

	if ((s = stmt(c, ST_BODY_DEL, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, lo);
	sqlite3_bind_int64(s, 3, hi);
	if (step_done(c, s, e) == -1)
		return -1;
	if ((s = stmt(c, ST_MSG_DEL, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, lo);
	sqlite3_bind_int64(s, 3, hi);
	if (step_done(c, s, e) == -1)
		return -1;
	n = sqlite3_changes(c->db);
	return n;
}

int
cache_mailbox_set_uidvalidity(struct cache *c, const char *mailbox,
    uint32_t uidvalidity, struct err *e)
{
	sqlite3_stmt	*s;
	int64_t		 id;
	uint32_t	 old = 0;
	bool		 fresh;

	if ((id = mbox_id(c, mailbox, false, &old, e)) == -1)
		return -1;
	fresh = id == 0;
	if (fresh && (id = mbox_id(c, mailbox, true, &old, e)) == -1)
		return -1;
	if (old == uidvalidity)
		return 0;
	/* RFC 9051 2.3.1.1: the old UIDs mean nothing any more */
	if (rows_delete(c, id, 0, UINT32_MAX, e) == -1)
		return -1;
	if ((s = stmt(c, ST_MBOX_SET_UV, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, uidvalidity);
	if (step_done(c, s, e) == -1)
		return -1;
	return fresh || old == 0 ? 0 : 1;
}

int
cache_mailbox_set_state(struct cache *c, const char *mailbox,
    uint32_t uidnext, uint64_t highestmodseq, struct err *e)
{
	sqlite3_stmt	*s;
	int64_t		 id;

	if ((id = mbox_id(c, mailbox, false, NULL, e)) <= 0)
		return id == 0 ? err_set(e, ERR_LOCAL, "cache: no mailbox %s",
		    mailbox) : -1;
	if ((s = stmt(c, ST_MBOX_SET_STATE, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, uidnext);
	sqlite3_bind_int64(s, 3, (int64_t)highestmodseq);
	return step_done(c, s, e);
}

int
cache_mailbox_drop(struct cache *c, const char *mailbox, struct err *e)
{
	sqlite3_stmt	*s;
	int64_t		 id;

	if ((id = mbox_id(c, mailbox, false, NULL, e)) <= 0)
		return (int)id;
	if (rows_delete(c, id, 0, UINT32_MAX, e) == -1)
		return -1;
	if (sqlite3_prepare_v2(c->db, "DELETE FROM mailbox WHERE id = ?1", -1,
	    &s, NULL) != SQLITE_OK)
		return cache_fail(c, e, "prepare");
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_finalize(s);
		return cache_fail(c, e, "write");
	}
	sqlite3_finalize(s);
	free(c->memo_name);
	c->memo_name = NULL;
	return 0;
}

int
cache_msg_put(struct cache *c, const char *mailbox,
    const struct cache_msg *m, struct err *e)
{
	sqlite3_stmt	*s;
	int64_t		 id;

	if (m->uid == 0)
		return err_set(e, ERR_INPUT, "cache: UID 0");
	if ((id = mbox_id(c, mailbox, true, NULL, e)) == -1)
		return -1;
	if ((s = stmt(c, ST_MSG_PUT, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, m->uid);
	bind_text_static(s, 3, m->flags);
	sqlite3_bind_int64(s, 4, (int64_t)m->modseq);
	sqlite3_bind_int64(s, 5, m->internaldate);
	sqlite3_bind_int64(s, 6, (int64_t)m->size);
	bind_text_static(s, 7, m->date);
	bind_text_static(s, 8, m->subject);
	bind_text_static(s, 9, m->from);
	bind_text_static(s, 10, m->to);
	bind_text_static(s, 11, m->cc);
	bind_text_static(s, 12, m->message_id);
	bind_text_static(s, 13, m->in_reply_to);
	if (m->sent != -1)
		sqlite3_bind_int64(s, 14, m->sent);
	bind_text_static(s, 15, m->from_show);
	bind_text_static(s, 16, m->from_addr);
	bind_text_static(s, 17, m->to_show);
	return step_done(c, s, e);
}

int
cache_flags_put(struct cache *c, const char *mailbox, uint32_t uid,
    const char *flags, uint64_t modseq, struct err *e)
{
	sqlite3_stmt	*s;
	int64_t		 id;

	if ((id = mbox_id(c, mailbox, false, NULL, e)) <= 0)
		return (int)id;
	if ((s = stmt(c, ST_FLAGS_PUT, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, uid);
	bind_text(s, 3, flags);
	sqlite3_bind_int64(s, 4, (int64_t)modseq);
	if (step_done(c, s, e) == -1)
		return -1;
	return sqlite3_changes(c->db);
}

int
cache_msgs_delete(struct cache *c, const char *mailbox, uint32_t lo,
    uint32_t hi, struct err *e)
{
	int64_t		 id;

	if ((id = mbox_id(c, mailbox, false, NULL, e)) <= 0)
		return (int)id;
	return rows_delete(c, id, lo, hi, e);
}

int
cache_msgs_keep_only(struct cache *c, const char *mailbox,
    const uint32_t *lo, const uint32_t *hi, size_t n, struct err *e)
{
	int64_t		 id;
	uint32_t	 from = 1;
	size_t		 i;
	int		 total = 0, k;

	if ((id = mbox_id(c, mailbox, false, NULL, e)) <= 0)
		return (int)id;
	/* delete the gaps between the ranges: cost follows the ranges */
	for (i = 0; i < n; i++) {
		if (lo[i] > from) {
			if ((k = rows_delete(c, id, from, lo[i] - 1, e)) == -1)
				return -1;
			total += k;
		}
		if (hi[i] == UINT32_MAX)
			return total;
		from = hi[i] + 1;
	}
	if ((k = rows_delete(c, id, from, UINT32_MAX, e)) == -1)
		return -1;
	return total + k;
}

static const char *
col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

int
cache_msgs_load(struct cache *c, const char *mailbox, size_t limit,
    cache_msg_cb cb, void *arg, struct err *e)
{
	return cache_msgs_load_below(c, mailbox, 0, limit, cb, arg, e);
}

int
cache_msgs_load_below(struct cache *c, const char *mailbox, uint32_t below,
    size_t limit, cache_msg_cb cb, void *arg, struct err *e)
{
	sqlite3_stmt	*s;
	struct cache_msg m;
	int64_t		 id;
	int		 n = 0, rc;

	if ((id = mbox_id(c, mailbox, false, NULL, e)) <= 0)
		return (int)id;
	if ((s = stmt(c, ST_MSG_LOAD, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, limit == 0 ? -1 : (int64_t)limit);
	/* the primary key (mbox, uid) makes this a range scan */
	sqlite3_bind_int64(s, 3, below == 0 ? (int64_t)UINT32_MAX + 1 : below);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&m, 0, sizeof m);
		m.uid = (uint32_t)sqlite3_column_int64(s, 0);
		m.flags = col_text(s, 1);
		m.modseq = (uint64_t)sqlite3_column_int64(s, 2);
		m.internaldate = sqlite3_column_int64(s, 3);
		m.size = (uint64_t)sqlite3_column_int64(s, 4);
		m.date = col_text(s, 5);
		m.subject = col_text(s, 6);
		m.from = col_text(s, 7);
		m.to = col_text(s, 8);
		m.cc = col_text(s, 9);
		m.message_id = col_text(s, 10);
		m.in_reply_to = col_text(s, 11);
		m.sent = sqlite3_column_type(s, 12) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(s, 12);
		m.from_show = col_text(s, 13);
		m.from_addr = col_text(s, 14);
		m.to_show = col_text(s, 15);
		cb(arg, &m);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return cache_fail(c, e, "read");
	return n;
}

int
cache_body_put(struct cache *c, const char *mailbox, uint32_t uid,
    const char *section, const void *data, size_t len, struct err *e)
{
	sqlite3_stmt	*s;
	int64_t		 id;

	if (len > c->body_max || len > INT32_MAX)
		return 0;
	if ((id = mbox_id(c, mailbox, true, NULL, e)) == -1)
		return -1;
	if ((s = stmt(c, ST_BODY_PUT, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, uid);
	bind_text(s, 3, section);
	sqlite3_bind_blob(s, 4, len > 0 ? data : "", (int)len,
	    SQLITE_TRANSIENT);
	if (step_done(c, s, e) == -1)
		return -1;
	return 1;
}

int
cache_body_get(struct cache *c, const char *mailbox, uint32_t uid,
    const char *section, struct buf *out, struct err *e)
{
	sqlite3_stmt	*s;
	int64_t		 id;
	int		 rc;

	if ((id = mbox_id(c, mailbox, false, NULL, e)) <= 0)
		return (int)id;
	if ((s = stmt(c, ST_BODY_GET, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, uid);
	bind_text(s, 3, section);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		buf_add(out, sqlite3_column_blob(s, 0),
		    (size_t)sqlite3_column_bytes(s, 0));
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cache_fail(c, e, "read");
	return rc == SQLITE_ROW;
}

int
cache_journal_add(struct cache *c, struct cache_action *a, struct err *e)
{
	sqlite3_stmt	*s;

	if ((s = stmt(c, ST_JOURNAL_ADD, e)) == NULL)
		return -1;
	sqlite3_bind_int(s, 1, (int)a->kind);
	bind_text(s, 2, a->mailbox);
	sqlite3_bind_int64(s, 3, a->uidvalidity);
	bind_text(s, 4, a->uids);
	bind_text(s, 5, a->arg);
	if (step_done(c, s, e) == -1)
		return -1;
	a->id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const char	*t = col_text(s, i);

	return t != NULL ? xstrdup(t) : NULL;
}

/* The first row of a journal query s (bound) into *a: 1, 0 or -1. */
static int
journal_first(struct cache *c, sqlite3_stmt *s, struct cache_action *a,
    struct err *e)
{
	int		 rc;

	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		a->id = sqlite3_column_int64(s, 0);
		a->kind = (enum cache_action_kind)sqlite3_column_int(s, 1);
		a->mailbox = col_dup(s, 2);
		a->uidvalidity = (uint32_t)sqlite3_column_int64(s, 3);
		a->uids = col_dup(s, 4);
		a->arg = col_dup(s, 5);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cache_fail(c, e, "read");
	return rc == SQLITE_ROW;
}

int
cache_journal_first(struct cache *c, struct cache_action *a, struct err *e)
{
	sqlite3_stmt	*s;

	memset(a, 0, sizeof *a);
	if ((s = stmt(c, ST_JOURNAL_FIRST, e)) == NULL)
		return -1;
	return journal_first(c, s, a, e);
}

int
cache_journal_first_in(struct cache *c, const char *mailbox,
    struct cache_action *a, struct err *e)
{
	sqlite3_stmt	*s;

	memset(a, 0, sizeof *a);
	if ((s = stmt(c, ST_JOURNAL_FIRST_IN, e)) == NULL)
		return -1;
	bind_text(s, 1, mailbox);
	return journal_first(c, s, a, e);
}

int
cache_journal_done(struct cache *c, int64_t id, struct err *e)
{
	sqlite3_stmt	*s;

	if ((s = stmt(c, ST_JOURNAL_DONE, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return step_done(c, s, e);
}

void
cache_action_fini(struct cache_action *a)
{
	free(a->mailbox);
	free(a->uids);
	free(a->arg);
	memset(a, 0, sizeof *a);
}
