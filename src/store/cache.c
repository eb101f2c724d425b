/* SPDX-License-Identifier: ISC */
/*
 * The IMAP cache: one SQLite file per account.  Statements are prepared
 * once and kept; every value from a server goes in as a bound parameter.
 * No knowledge of IMAP syntax beyond what cache.h names.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/cache.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/thread.h"
#include "util/xmalloc.h"

/*
 * 2: subject stored decoded, plus the first sender's and recipient's
 * display text and the parsed Date:, so opening a mailbox parses nothing.
 * 3: a message row is keyed by one integer (see row_key) and holds flags
 * and MODSEQ as columns (flag updates address them) and the rest packed
 * in one BLOB (see row_pack); rows of a transaction go in sorted, many
 * per statement (pend_flush): a third of the work per row.
 * Any other version found on disk is dropped and rebuilt (it is a cache).
 */
#define CACHE_VERSION	3

/*
 * Pages of a new or rebuilt file (cache_repage): 16 KiB holds ~50 rows,
 * so a chunk of 1000 rows writes ~20 WAL frames, not ~80.
 */
#define CACHE_PAGE_SIZE		16384
/*
 * Checkpoints (which copy the write-ahead log into the file and sync
 * both) run on a thread of the cache's own with a second connection, so
 * the owner's loop does not wait on them: it asks for one when the WAL
 * holds CACHE_WAL_PAGES pages (1 MiB of 16 KiB pages) and after every
 * journal change.  The close leaves a log of up to CACHE_WAL_LEAVE
 * pages as it is (its two syncs cost a short run ~10 ms; the next open
 * reads that much log in about a millisecond and folds it in on the
 * thread); a longer one it checkpoints and removes, so the next open
 * reads no log (tens of MiB, which a busy writer keeps from restarting,
 * cost a warm open 10-20 ms).  Only past CACHE_WAL_STUCK pages (the
 * thread cannot keep up) does a commit checkpoint in place.
 */
#define CACHE_WAL_PAGES		64
#define CACHE_WAL_LEAVE		(4 * CACHE_WAL_PAGES)
#define CACHE_WAL_STUCK		(64 * CACHE_WAL_PAGES)
#define CACHE_WAL_KEEP		(4 * 1024 * 1024)
/* Mailbox ids live in the high half of a row key. */
#define MBOX_ID_MAX		((int64_t)1 << 30)
/* The packed part of one row: a 32-bit SQLite blob length. */
#define ROW_PACK_MAX		((size_t)INT32_MAX)

enum cache_stmt {
	ST_MBOX_GET,
	ST_MBOX_ID,
	ST_MBOX_INSERT,
	ST_MBOX_SET_UV,
	ST_MBOX_SET_STATE,
	ST_MBOX_COUNT,
	ST_FLAGS_PUT,
	ST_MSG_DEL,
	ST_BODY_DEL,
	ST_MSG_LOAD,
	ST_BODY_PUT,
	ST_BODY_GET,
	ST_JOURNAL_ADD,
	ST_JOURNAL_FIRST,
	ST_JOURNAL_DONE,
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_JOURNAL_FIRST_IN,
	ST_JOURNAL_MAILBOXES,
	ST_JOURNAL_COUNT,
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
	[ST_MBOX_COUNT] = "SELECT count(*) FROM message WHERE key >= ?1 "
	    "AND key <= ?2",
	[ST_FLAGS_PUT] = "UPDATE message SET flags = ?2, modseq = "
	    "CASE WHEN ?3 = 0 THEN modseq ELSE ?3 END WHERE key = ?1",
	[ST_MSG_DEL] = "DELETE FROM message WHERE key >= ?1 AND key <= ?2",
	[ST_BODY_DEL] = "DELETE FROM body WHERE mbox = ?1 AND uid >= ?2 "
	    "AND uid <= ?3",
	[ST_MSG_LOAD] = "SELECT key, flags, modseq, packed FROM message "
	    "WHERE key > ?1 AND key <= ?2 ORDER BY key LIMIT ?3",
	[ST_BODY_PUT] = "INSERT OR REPLACE INTO body (mbox, uid, section, "
	    "data) VALUES (?1, ?2, ?3, ?4)",
	[ST_BODY_GET] = "SELECT data FROM body WHERE mbox = ?1 AND uid = ?2 "
	    "AND section = ?3",
	[ST_JOURNAL_ADD] = "INSERT INTO journal (kind, mailbox, uidvalidity, "
	    "uids, arg) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_JOURNAL_FIRST] = "SELECT id, kind, mailbox, uidvalidity, uids, arg "
	    "FROM journal ORDER BY id LIMIT 1",
	[ST_JOURNAL_DONE] = "DELETE FROM journal WHERE id = ?1",
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_JOURNAL_FIRST_IN] = "SELECT id, kind, mailbox, uidvalidity, uids, "
	    "arg FROM journal WHERE mailbox = ?1 ORDER BY id LIMIT 1",
	[ST_JOURNAL_MAILBOXES] = "SELECT mailbox FROM journal GROUP BY "
	    "mailbox ORDER BY MIN(id)",
	[ST_JOURNAL_COUNT] = "SELECT count(*) FROM journal",
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS mailbox ("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " uidvalidity INTEGER NOT NULL, uidnext INTEGER NOT NULL,"
    " highestmodseq INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS message ("
    " key INTEGER PRIMARY KEY, flags TEXT, modseq INTEGER, packed BLOB);"
    "CREATE TABLE IF NOT EXISTS body ("
    " mbox INTEGER NOT NULL, uid INTEGER NOT NULL, section TEXT NOT NULL,"
    " data BLOB, PRIMARY KEY (mbox, uid, section)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS journal ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, kind INTEGER NOT NULL,"
    " mailbox TEXT NOT NULL, uidvalidity INTEGER NOT NULL,"
    " uids TEXT NOT NULL, arg TEXT);";

/* One row waiting for pend_flush: its bytes are in the arena. */
struct pend {
	int64_t		 key;
	uint64_t	 modseq;
	size_t		 off;		/* flags' NUL-ended text, then ... */
	size_t		 flags_len;	/* ... (0: NULL, else length + 1) */
	size_t		 len;		/* ... the packed BLOB of len bytes */
	size_t		 seq;		/* put order: the last put wins */
};

/*
 * Pending rows go in with statements of put_rows[k] rows each: within
 * one step the cursor stays where the last row went, so the next one
 * needs no search from the root, and the per-statement work is paid
 * once per batch.  200 rows bind 800 parameters, under the 999 that old
 * SQLite builds allow.
 */
#define PUT_SIZES	3
static const size_t put_rows[PUT_SIZES] = { 200, 16, 1 };

/* Flush early past this many rows or bytes: memory stays bounded. */
#define PEND_ROWS	4096
#define PEND_BYTES	((size_t)4 << 20)

/* Rows waiting to go in, packed: their flags and BLOBs in the arena. */
struct pendset {
	struct pend	*v;
	size_t		 n, max;
	unsigned char	*arena;
	size_t		 len, cap;
};

/*
 * The commit flight: a transaction's waiting rows go into the table and
 * the transaction commits on a thread of its own, on the owner's
 * connection, while the owner's loop reads and packs the next chunk
 * (inserting a chunk of 1,000 rows and committing it was a seventh of
 * the loop's work on a cold open, and the server's answer waited in the
 * socket meanwhile).  The owner touches the connection again only after
 * the flight landed (fl_join): every use of it goes through db_claim().
 * A failed flight rolls its transaction back; the next cache_commit()
 * says so, or cache_mailbox_set_state() first, which then refuses.
 */
struct flight {
	pthread_t	 tid;
	bool		 on;		/* started, not yet joined */
	bool		 threaded;	/* else it ran inline */
	bool		 begun;		/* its transaction was already open */
	struct pendset	 pd;		/* its rows */
	int		 rc;		/* -1: failed, with err */
	struct err	 err;
};

/*
 * The checkpoint thread.  Requests and completions are counted: a caller
 * that needs its writes synced waits until done reaches the count of its
 * own request.  Everything below mu is guarded by it.
 */
struct ckpt {
	char		*path;
	pthread_t	 thread;
	bool		 started;
	pthread_mutex_t	 mu;
	pthread_cond_t	 ask;		/* to the thread: asked moved, or stop */
	pthread_cond_t	 done_cv;	/* from it: done moved */
	sqlite3		*db;		/* the thread's connection */
	uint64_t	 asked, done;
	int		 failed;	/* SQLite code of the last failure */
	bool		 stop;
};

struct cache {
	sqlite3		*db;
	struct ckpt	 ck;
	struct flight	 fl;
	sqlite3_stmt	*st[ST_COUNT];
	sqlite3_stmt	*put[PUT_SIZES];	/* INSERTs of put_rows[i] */
	size_t		 body_max;
	bool		 in_tx;
	bool		 begun;		/* its BEGIN ran: see db_claim() */
	bool		 journal_sync;	/* a journal change awaits a sync */
	int		 wal_pages;	/* in the log after the last commit */
	uint64_t	 journal_ask;	/* the request that syncs the last one */
	/*
	 * Rows put inside a transaction wait here, packed, and go into
	 * the table sorted by key before anything else reads or writes
	 * rows (pend_flush), or at the commit (the flight): inserted in
	 * key order, they only append.
	 */
	struct pendset	 pd;
	char		*memo_name;	/* last mailbox looked up ... */
	int64_t		 memo_id;	/* ... and its id: one lookup per chunk,
					 * not one per row */
	char		*lock_path;	/* the file it holds the lock of */
};

static void	 journal_synced(struct cache *);
static int	 mailbox_get(struct cache *, const char *,
		    struct cache_mailbox *, bool, struct err *);

static int
cache_fail(struct cache *c, struct err *e, const char *what)
{
	return err_set(e, ERR_LOCAL, "cache: %s: %s", what,
	    sqlite3_errmsg(c->db));
}

static int	 db_claim(struct cache *, struct err *);

/* Statement i, reset, on a connection this thread may use. */
static sqlite3_stmt *
stmt_get(struct cache *c, enum cache_stmt i, struct err *e)
{
	if (c->st[i] == NULL &&
	    sqlite3_prepare_v2(c->db, stmt_sql[i], -1, &c->st[i], NULL) !=
	    SQLITE_OK) {
		cache_fail(c, e, "prepare");
		return NULL;
	}
	/*
	 * Every use binds all of a statement's parameters, so no
	 * clear_bindings: a stale value cannot leak into the next use.
	 */
	sqlite3_reset(c->st[i]);
	return c->st[i];
}

/* Statement i for the owner: after the flight, inside its transaction. */
static sqlite3_stmt *
stmt(struct cache *c, enum cache_stmt i, struct err *e)
{
	if (db_claim(c, e) == -1)
		return NULL;
	return stmt_get(c, i, e);
}

/*
 * Text without a copy: t must stay valid until the statement is reset,
 * which every caller does before returning.
 */
static void
bind_text(sqlite3_stmt *s, int i, const char *t)
{
	if (t == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
}

/*
 * The key of a message row: the mailbox id in the high half and the UID
 * counted down from UINT32_MAX below it, so the newest row comes first.
 * A header fetch writes the newest chunk first: every later chunk then
 * lands after the rows in the table, and a sorted chunk only appends.
 */
static int64_t
row_key(int64_t mbox, uint32_t uid)
{
	return mbox << 32 | (int64_t)(UINT32_MAX - uid);
}

static uint32_t
key_uid(int64_t key)
{
	return UINT32_MAX - (uint32_t)(key & UINT32_MAX);
}

/*
 * The packed BLOB of a row: internaldate, size and sent as varints, then
 * date, subject, from, to, cc, message_id, in_reply_to, from_show,
 * from_addr and to_show, each as a varint n (0: NULL, else its length
 * plus one) and n - 1 bytes and a NUL.  A loaded row then points into
 * SQLite's copy of the BLOB and copies nothing.  A varint holds 7 bits a
 * byte, low bits first, the high bit set on every byte but the last;
 * signed values are zigzag-coded so -1 (unknown) takes one byte.
 */
#define ROW_STRINGS	10
#define VARINT_MAX	10

static uint64_t
zigzag(int64_t v)
{
	return v < 0 ? ~((uint64_t)v << 1) : (uint64_t)v << 1;
}

static int64_t
unzigzag(uint64_t u)
{
	return (u & 1) != 0 ? -(int64_t)(u >> 1) - 1 : (int64_t)(u >> 1);
}

static unsigned char *
varint_put(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

/* -1 if the varint runs past end or over 64 bits. */
static int
varint_get(const unsigned char **pp, const unsigned char *end, uint64_t *v)
{
	const unsigned char	*p = *pp;
	unsigned int		 shift;

	*v = 0;
	for (shift = 0; p < end && shift < 64; shift += 7) {
		*v |= (uint64_t)(*p & 0x7f) << shift;
		if ((*p++ & 0x80) == 0) {
			*pp = p;
			return 0;
		}
	}
	return -1;
}

/* Room for need more bytes at the end of the arena. */
static unsigned char *
arena_room(struct pendset *ps, size_t need)
{
	size_t	 cap;

	if (need > ps->cap - ps->len) {
		cap = ps->cap < 65536 ? 65536 : ps->cap;
		while (cap - ps->len < need)
			cap *= 2;
		ps->arena = xreallocarray(ps->arena, 1, cap);
		ps->cap = cap;
	}
	return ps->arena + ps->len;
}

/*
 * Append m's flags (NUL-ended) and packed BLOB to the arena as pending
 * row pd; 0, or -1 if the row is over ROW_PACK_MAX.
 */
static int
row_pack(struct pendset *ps, const struct cache_msg *m, struct pend *pd)
{
	const char	*v[ROW_STRINGS] = { m->date, m->subject, m->from,
	    m->to, m->cc, m->message_id, m->in_reply_to, m->from_show,
	    m->from_addr, m->to_show };
	size_t		 len[ROW_STRINGS], need = 3 * VARINT_MAX, i, fl;
	unsigned char	*p, *start;

	fl = m->flags != NULL ? strlen(m->flags) + 1 : 0;
	if (fl > ROW_PACK_MAX)
		return -1;
	/* need stays under ROW_PACK_MAX: no sum can wrap */
	for (i = 0; i < ROW_STRINGS; i++) {
		len[i] = v[i] != NULL ? strlen(v[i]) : 0;
		if (len[i] >= ROW_PACK_MAX - VARINT_MAX - need)
			return -1;
		need += VARINT_MAX + len[i] + 1;
	}
	p = arena_room(ps, fl + need);
	pd->off = ps->len;
	pd->flags_len = fl;
	if (fl > 0)
		memcpy(p, m->flags, fl);
	p = start = p + fl;
	p = varint_put(p, zigzag(m->internaldate));
	p = varint_put(p, m->size);
	p = varint_put(p, zigzag(m->sent));
	for (i = 0; i < ROW_STRINGS; i++) {
		if (v[i] == NULL) {
			*p++ = 0;
			continue;
		}
		p = varint_put(p, len[i] + 1);
		memcpy(p, v[i], len[i] + 1);
		p += len[i] + 1;
	}
	pd->len = (size_t)(p - start);
	ps->len += fl + pd->len;
	return 0;
}

/* Fill m's packed fields from b (borrowed); -1 if b is damaged. */
static int
row_unpack(struct cache_msg *m, const unsigned char *b, size_t blen)
{
	const char		**v[ROW_STRINGS] = { &m->date, &m->subject,
	    &m->from, &m->to, &m->cc, &m->message_id, &m->in_reply_to,
	    &m->from_show, &m->from_addr, &m->to_show };
	const unsigned char	*end;
	uint64_t		 u, n;
	size_t			 i;

	if (b == NULL)		/* a NULL or empty BLOB */
		return -1;
	end = b + blen;
	if (varint_get(&b, end, &u) == -1)
		return -1;
	m->internaldate = unzigzag(u);
	if (varint_get(&b, end, &m->size) == -1 ||
	    varint_get(&b, end, &u) == -1)
		return -1;
	m->sent = unzigzag(u);
	for (i = 0; i < ROW_STRINGS; i++) {
		if (varint_get(&b, end, &n) == -1 || n > (uint64_t)(end - b))
			return -1;
		if (n == 0) {
			*v[i] = NULL;
			continue;
		}
		if (b[n - 1] != '\0')
			return -1;
		*v[i] = (const char *)b;
		b += n;
	}
	return b == end ? 0 : -1;
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
pend_cmp(const void *a, const void *b)
{
	const struct pend	*x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
pend_discard(struct pendset *ps)
{
	ps->n = 0;
	ps->len = 0;
}

static void
pend_free(struct pendset *ps)
{
	free(ps->v);
	free(ps->arena);
	memset(ps, 0, sizeof *ps);
}

/* The INSERT of put_rows[k] rows, prepared on first use. */
static sqlite3_stmt *
put_stmt(struct cache *c, size_t k, struct err *e)
{
	struct buf	 sql = BUF_INIT;
	size_t		 i;
	int		 rc;

	if (c->put[k] != NULL)
		return c->put[k];
	buf_add_str(&sql, "INSERT OR REPLACE INTO message (key, flags, "
	    "modseq, packed) VALUES (?, ?, ?, ?)");
	for (i = 1; i < put_rows[k]; i++)
		buf_add_str(&sql, ", (?, ?, ?, ?)");
	rc = sqlite3_prepare_v2(c->db, buf_str(&sql), (int)sql.len + 1,
	    &c->put[k], NULL);
	buf_fini(&sql);
	if (rc != SQLITE_OK) {
		cache_fail(c, e, "prepare");
		return NULL;
	}
	return c->put[k];
}

/* Bind pending row pd as the row at parameter base + 1 .. base + 4. */
static void
pend_bind(const struct pendset *ps, sqlite3_stmt *s, int base,
    const struct pend *pd)
{
	sqlite3_bind_int64(s, base + 1, pd->key);
	if (pd->flags_len == 0)
		sqlite3_bind_null(s, base + 2);
	else
		sqlite3_bind_text(s, base + 2, (const char *)ps->arena +
		    pd->off, (int)pd->flags_len - 1, SQLITE_STATIC);
	sqlite3_bind_int64(s, base + 3, (int64_t)pd->modseq);
	sqlite3_bind_blob(s, base + 4, ps->arena + pd->off + pd->flags_len,
	    (int)pd->len, SQLITE_STATIC);
}

/*
 * Put the pending rows in key order.  They usually come with UIDs going
 * up (keys going down), so a strictly ordered run is only walked
 * backwards; anything else is sorted, a later put of a UID after an
 * earlier one so the later wins.
 */
static void
pend_order(struct pendset *ps)
{
	struct pend	 t, *v = ps->v;
	size_t		 i, n = ps->n;
	bool		 up = true, down = true;

	for (i = 1; i < n && (up || down); i++) {
		up = up && v[i - 1].key < v[i].key;
		down = down && v[i - 1].key > v[i].key;
	}
	if (up)
		return;
	if (!down) {
		qsort(v, n, sizeof *v, pend_cmp);
		return;
	}
	for (i = 0; i < n / 2; i++) {
		t = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
}

/*
 * Write the rows of ps, in key order, on a connection this thread may
 * use.  0 or -1 with e; the rows are gone either way.
 */
static int
pend_write(struct cache *c, struct pendset *ps, struct err *e)
{
	sqlite3_stmt	*s;
	size_t		 i = 0, j, k;
	int		 rv = 0;

	pend_order(ps);
	for (k = 0; k < PUT_SIZES && rv == 0; k++) {
		while (ps->n - i >= put_rows[k] && rv == 0) {
			if ((s = put_stmt(c, k, e)) == NULL) {
				rv = -1;
				break;
			}
			for (j = 0; j < put_rows[k]; j++)
				pend_bind(ps, s, (int)j * 4, &ps->v[i + j]);
			i += put_rows[k];
			rv = step_done(c, s, e);
		}
	}
	pend_discard(ps);
	return rv;
}

/*
 * Write the owner's waiting rows.  Every call that reads or writes rows
 * comes here first, so the waiting is never seen.
 */
static int
pend_flush(struct cache *c, struct err *e)
{
	if (c->pd.n == 0)
		return 0;
	if (db_claim(c, e) == -1) {
		pend_discard(&c->pd);
		return -1;
	}
	return pend_write(c, &c->pd, e);
}

/* Run BEGIN, COMMIT or ROLLBACK on a connection this thread may use. */
static int
tx_step(struct cache *c, enum cache_stmt i, struct err *e)
{
	sqlite3_stmt	*s;

	if ((s = stmt_get(c, i, e)) == NULL)
		return -1;
	return step_done(c, s, e);
}

/* The flight's work: see struct flight. */
static void
fl_run(struct cache *c)
{
	struct flight	*f = &c->fl;
	int		 rc = 0;

	if (!f->begun)
		rc = tx_step(c, ST_BEGIN, &f->err);
	if (rc == 0)
		rc = pend_write(c, &f->pd, &f->err);
	if (rc == 0)
		rc = tx_step(c, ST_COMMIT, &f->err);
	if (rc == -1)
		(void)tx_step(c, ST_ROLLBACK, NULL);
	pend_discard(&f->pd);
	f->rc = rc;
}

static void *
fl_main(void *arg)
{
	fl_run(arg);
	return NULL;
}

/* Hand the owner's rows and open transaction to a flight. */
static void
fl_start(struct cache *c)
{
	struct flight	*f = &c->fl;
	struct pendset	 t = f->pd;

	f->pd = c->pd;		/* the flight's set is empty: swap */
	c->pd = t;
	f->begun = c->begun;
	f->rc = 0;
	f->on = true;
	f->threaded = thread_start(&f->tid, fl_main, c) == 0;
	if (!f->threaded)
		fl_run(c);
}

/*
 * Wait for the flight to land.  If it failed, what was packed since
 * may name what its rollback undid (a new mailbox's id): it goes too.
 */
static void
fl_join(struct cache *c)
{
	struct flight	*f = &c->fl;

	if (!f->on)
		return;
	if (f->threaded)
		pthread_join(f->tid, NULL);
	f->on = false;
	if (f->rc == -1) {
		pend_discard(&c->pd);
		free(c->memo_name);
		c->memo_name = NULL;
	}
}

/* The landed flight's failure, once: 0, or -1 with its error in e. */
static int
fl_failed(struct cache *c, struct err *e)
{
	if (c->fl.rc != -1)
		return 0;
	c->fl.rc = 0;
	if (e != NULL)
		*e = c->fl.err;
	return -1;
}

/*
 * Before the owner uses the connection: the flight has landed, and the
 * transaction cache_begin() opened has begun (BEGIN waits for the first
 * statement, so a commit that hands its rows to a flight can return
 * before the next transaction starts).
 */
static int
db_claim(struct cache *c, struct err *e)
{
	fl_join(c);
	if (!c->in_tx || c->begun)
		return 0;
	if (tx_step(c, ST_BEGIN, e) == -1)
		return -1;
	c->begun = true;
	return 0;
}

/*
 * The emptied file of an older version takes CACHE_PAGE_SIZE too, if no
 * other connection has it open: only out of WAL mode can VACUUM change
 * the page size.  Otherwise it keeps its pages, which is only slower.
 */
static int
cache_repage(struct cache *c, struct err *e)
{
	char	 sql[128];

	if (sqlite3_exec(c->db, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) != SQLITE_OK)
		return 0;	/* in use elsewhere: WAL stays */
	snprintf(sql, sizeof sql, "PRAGMA page_size = %d; VACUUM;",
	    CACHE_PAGE_SIZE);
	(void)sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	if (sqlite3_exec(c->db, "PRAGMA journal_mode = WAL", NULL, NULL,
	    NULL) != SQLITE_OK)
		return cache_fail(c, e, "reset");
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
	if (version != 0 && cache_repage(c, e) == -1)
		return -1;
	if (sqlite3_exec(c->db, schema, NULL, NULL, NULL) != SQLITE_OK)
		return cache_fail(c, e, "schema");
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", CACHE_VERSION);
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return cache_fail(c, e, "schema");
	return 0;
}

/* The checkpoint thread: one PASSIVE checkpoint per batch of requests. */
static void *
ckpt_main(void *arg)
{
	struct ckpt	*k = arg;
	uint64_t	 n;
	int		 rc;

	pthread_mutex_lock(&k->mu);
	for (;;) {
		while (!k->stop && k->asked == k->done)
			pthread_cond_wait(&k->ask, &k->mu);
		if (k->stop)
			break;
		n = k->asked;
		rc = SQLITE_OK;
		if (k->db == NULL) {
			rc = sqlite3_open_v2(k->path, &k->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
			if (rc == SQLITE_OK) {
				(void)sqlite3_db_config(k->db,
				    SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
				rc = sqlite3_exec(k->db,
				    "PRAGMA synchronous = NORMAL", NULL, NULL,
				    NULL);
			}
		}
		pthread_mutex_unlock(&k->mu);
		/* syncs the log, copies it into the file, syncs the file */
		if (rc == SQLITE_OK)
			rc = sqlite3_wal_checkpoint_v2(k->db, NULL,
			    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&k->mu);
		k->failed = rc;
		k->done = n;
		pthread_cond_broadcast(&k->done_cv);
	}
	sqlite3_close(k->db);
	k->db = NULL;
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

/*
 * Ask for a checkpoint of everything committed so far; always, or only
 * if none is asked or running (the WAL hook, after every commit).  The
 * request's number, or 0 if there is no thread (the caller checkpoints
 * itself).
 */
static uint64_t
ckpt_ask(struct cache *c, bool always)
{
	struct ckpt	*k = &c->ck;
	uint64_t	 n;

	pthread_mutex_lock(&k->mu);
	if (!k->started && k->path != NULL)
		k->started = thread_start(&k->thread, ckpt_main, k) == 0;
	if (!k->started) {
		pthread_mutex_unlock(&k->mu);
		return 0;
	}
	if (always || k->asked == k->done) {
		k->asked++;
		pthread_cond_signal(&k->ask);
	}
	n = k->asked;
	pthread_mutex_unlock(&k->mu);
	return n;
}

/* Wait until request n is done: 0, or -1 if that checkpoint failed. */
static int
ckpt_wait(struct cache *c, uint64_t n)
{
	struct ckpt	*k = &c->ck;
	int		 rc;

	pthread_mutex_lock(&k->mu);
	while (k->done < n)
		pthread_cond_wait(&k->done_cv, &k->mu);
	rc = k->failed;
	pthread_mutex_unlock(&k->mu);
	return rc == SQLITE_OK ? 0 : -1;
}

/* A checkpoint on the owner's connection, for when the thread cannot. */
static int
ckpt_here(struct cache *c)
{
	int	 rc;

	rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    NULL, NULL);
	return rc == SQLITE_OK ? 0 : -1;
}

static void
ckpt_stop(struct cache *c)
{
	struct ckpt	*k = &c->ck;

	pthread_mutex_lock(&k->mu);
	k->stop = true;		/* a checkpoint under way is the close's work */
	pthread_cond_signal(&k->ask);
	pthread_mutex_unlock(&k->mu);
	if (k->started)
		pthread_join(k->thread, NULL);
	pthread_mutex_destroy(&k->mu);
	pthread_cond_destroy(&k->ask);
	pthread_cond_destroy(&k->done_cv);
	free(k->path);
}

/* After every commit, with the pages the log now holds. */
static int
wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct cache	*c = arg;

	(void)name;
	c->wal_pages = pages;
	if (pages >= CACHE_WAL_STUCK)
		(void)sqlite3_wal_checkpoint_v2(db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	else if (pages >= CACHE_WAL_PAGES)
		(void)ckpt_ask(c, false);
	return SQLITE_OK;
}

/* A log left by the last run (one that did not close)? */
static bool
wal_left(const char *path)
{
	struct stat	 st;
	char		*wal = xasprintf("%s-wal", path);
	bool		 left;

	left = stat(wal, &st) == 0 && st.st_size > 0;
	free(wal);
	return left;
}

/*
 * Open path as the cache into *out: 0, or -1 with e set and *damaged if
 * SQLite found the file is not a database or is damaged.
 */
static int
cache_open_at(const char *path, size_t body_max, struct cache **out,
    bool *damaged, struct err *e)
{
	struct cache	*c;
	char		 sql[256];
	bool		 left = wal_left(path);
	int		 rc;

	*out = NULL;
	*damaged = false;
	c = xcalloc(1, sizeof *c);
	c->body_max = body_max;
	pthread_mutex_init(&c->ck.mu, NULL);
	pthread_cond_init(&c->ck.ask, NULL);
	pthread_cond_init(&c->ck.done_cv, NULL);
	/*
	 * NOMUTEX: a connection is only ever used by the thread of the
	 * loop, so SQLite need not lock it around every call.
	 */
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		err_set(e, ERR_LOCAL, "cache %s: %s", path,
		    c->db != NULL ? sqlite3_errmsg(c->db) : "out of memory");
		cache_close(c);
		return -1;
	}
	sqlite3_busy_timeout(c->db, 2000);
	/*
	 * The page size only takes on a new file, so it comes before WAL.
	 * WAL: readers never block the writer; NORMAL sync is enough for a
	 * cache, which may lose its last transactions but not its shape.
	 * The checkpoints (which sync) run on a thread: see CACHE_WAL_PAGES.
	 */
	snprintf(sql, sizeof sql, "PRAGMA page_size = %d;"
	    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
	    "PRAGMA journal_size_limit = %d;", CACHE_PAGE_SIZE,
	    CACHE_WAL_KEEP);
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    cache_schema(c, e) == -1) {
		rc = sqlite3_errcode(c->db);
		*damaged = rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT;
		if (e != NULL && e->cls == ERR_NONE)
			cache_fail(c, e, "open");
		cache_close(c);
		return -1;
	}
	sqlite3_wal_hook(c->db, wal_hook, c);
	c->ck.path = xstrdup(path);
	if (left)
		(void)ckpt_ask(c, false);	/* fold it in, off the loop */
	*out = c;
	return 0;
}

/*
 * Move path and its log to path.damaged (replacing an older one), and drop
 * its shared-memory index: a log left beside a new file could be replayed
 * into it.
 */
static int
cache_move_aside(const char *path, struct err *e)
{
	static const char *const sfx[] = { "", "-wal" };
	char	*from, *to, *shm;
	size_t	 i;
	int	 rv = 0;

	for (i = 0; i < sizeof sfx / sizeof sfx[0] && rv == 0; i++) {
		from = xasprintf("%s%s", path, sfx[i]);
		to = xasprintf("%s.damaged%s", path, sfx[i]);
		if (rename(from, to) == -1 && errno != ENOENT)
			rv = err_set(e, ERR_LOCAL, "cache %s: cannot move it "
			    "aside: %s", path, strerror(errno));
		free(from);
		free(to);
	}
	shm = xasprintf("%s-shm", path);
	(void)unlink(shm);
	free(shm);
	return rv;
}

/*
 * One pons process per cache file: two would both send the journal's
 * actions (a copy made twice).  The lock, flock() on PATH.lock, is the
 * process's, shared by every handle it opens on that path (an account
 * and its side accounts), and let go by the last close.  flock() alone
 * would refuse the second handle; fcntl() locks would go with the first
 * close of any descriptor of the file.
 */
struct cache_lock {
	char		*path;
	int		 fd;
	unsigned int	 refs;
	pid_t		 pid;		/* a forked child is another pons */
};

static struct cache_lock	*cache_locks;
static size_t			 cache_nlocks;
static pthread_mutex_t		 cache_locks_mu = PTHREAD_MUTEX_INITIALIZER;

static int
cache_lock_take(const char *path, struct err *e)
{
	struct cache_lock	*l;
	char			*lp;
	size_t			 i;
	int			 fd, rv = 0;

	pthread_mutex_lock(&cache_locks_mu);
	for (i = 0; i < cache_nlocks; i++)
		if (cache_locks[i].pid == getpid() &&
		    strcmp(cache_locks[i].path, path) == 0) {
			cache_locks[i].refs++;
			goto out;
		}
	lp = xasprintf("%s.lock", path);
	fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	free(lp);
	if (fd == -1) {
		rv = err_set(e, ERR_LOCAL, "cache %s.lock: %s", path,
		    strerror(errno));
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		rv = err_set(e, errno == EWOULDBLOCK ? ERR_TEMP : ERR_LOCAL,
		    "cache %s: %s", path, errno == EWOULDBLOCK ? "in use by "
		    "another pons" : strerror(errno));
		close(fd);
		goto out;
	}
	cache_locks = xreallocarray(cache_locks, cache_nlocks + 1,
	    sizeof *cache_locks);
	l = &cache_locks[cache_nlocks++];
	l->path = xstrdup(path);
	l->fd = fd;
	l->refs = 1;
	l->pid = getpid();
out:
	pthread_mutex_unlock(&cache_locks_mu);
	return rv;
}

static void
cache_lock_give(const char *path)
{
	size_t	 i;

	pthread_mutex_lock(&cache_locks_mu);
	for (i = 0; i < cache_nlocks; i++) {
		if (cache_locks[i].pid != getpid() ||
		    strcmp(cache_locks[i].path, path) != 0)
			continue;
		if (--cache_locks[i].refs == 0) {
			close(cache_locks[i].fd);
			free(cache_locks[i].path);
			cache_locks[i] = cache_locks[--cache_nlocks];
			if (cache_nlocks == 0) {
				free(cache_locks);
				cache_locks = NULL;
			}
		}
		break;
	}
	pthread_mutex_unlock(&cache_locks_mu);
}

int
cache_open(const char *path, size_t body_max, struct cache **out,
    struct err *e)
{
	struct err	 why, why2;
	bool		 damaged;
	int		 rv;

	*out = NULL;
	if (cache_lock_take(path, e) == -1)
		return -1;
	err_clear(&why);
	err_clear(&why2);
	if (cache_open_at(path, body_max, out, &damaged, &why) == 0)
		rv = 0;
	else if (!damaged) {
		if (e != NULL)
			*e = why;
		rv = -1;
	} else if (cache_move_aside(path, e) == -1)
		rv = -1;
	else if (cache_open_at(path, body_max, out, &damaged, &why2) == -1) {
		if (e != NULL)
			*e = why2;
		rv = -1;
	} else {
		err_set(e, ERR_LOCAL, "the cache was damaged (%s): moved to "
		    "%s.damaged and made anew; changes saved offline in it, if "
		    "any, were not sent", why.msg, path);
		rv = 1;
	}
	if (rv == -1)
		cache_lock_give(path);
	else
		(*out)->lock_path = xstrdup(path);
	return rv;
}

void
cache_close(struct cache *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	fl_join(c);
	if (c->in_tx)
		cache_rollback(c);
	/* the journal's last change is synced before anything stops */
	if (c->journal_ask != 0 && ckpt_wait(c, c->journal_ask) == -1)
		(void)ckpt_here(c);
	ckpt_stop(c);
	if (c->wal_pages <= CACHE_WAL_LEAVE)
		(void)sqlite3_db_config(c->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
		    1, NULL);
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(c->st[i]);
	for (i = 0; i < PUT_SIZES; i++)
		sqlite3_finalize(c->put[i]);
	sqlite3_close(c->db);
	pend_free(&c->pd);
	pend_free(&c->fl.pd);
	free(c->memo_name);
	if (c->lock_path != NULL)
		cache_lock_give(c->lock_path);
	free(c->lock_path);
	free(c);
}

/* The BEGIN itself waits for the first statement: see db_claim(). */
int
cache_begin(struct cache *c, struct err *e)
{
	if (c->in_tx)
		return err_set(e, ERR_LOCAL, "cache: nested transaction");
	c->in_tx = true;
	c->begun = false;
	return 0;
}

/*
 * A transaction of rows and row changes commits on the flight; one
 * with a journal change (which must be synced before the call returns
 * to the loop) commits here.  -1 with e if this commit failed, or the
 * flight of the one before.
 */
int
cache_commit(struct cache *c, struct err *e)
{
	int		 rv;

	if (!c->in_tx)
		return err_set(e, ERR_LOCAL, "cache: no transaction");
	fl_join(c);
	rv = fl_failed(c, e);	/* before a new flight starts */
	if (c->journal_sync) {
		if (pend_flush(c, e) == -1 || db_claim(c, e) == -1 ||
		    tx_step(c, ST_COMMIT, e) == -1) {
			cache_rollback(c);
			return -1;
		}
		c->in_tx = c->begun = false;
		journal_synced(c);
	} else {
		if (c->pd.n > 0 || c->begun)
			fl_start(c);
		c->in_tx = c->begun = false;
	}
	return rv;
}

/*
 * A committed journal change is synced at once, off the loop (a
 * checkpoint syncs the WAL, then the file): offline actions must outlive
 * a power cut, rows need not.  The close waits for that sync.
 */
static void
journal_synced(struct cache *c)
{
	if (!c->journal_sync || c->in_tx)
		return;
	c->journal_sync = false;
	if ((c->journal_ask = ckpt_ask(c, true)) == 0)
		(void)ckpt_here(c);
}

int
cache_checkpoint(struct cache *c, struct err *e)
{
	uint64_t	 n;

	if (c->in_tx)
		return 0;	/* the next idle moment will do */
	fl_join(c);
	if ((n = ckpt_ask(c, true)) == 0 ? ckpt_here(c) == -1 :
	    ckpt_wait(c, n) == -1)
		return err_set(e, ERR_LOCAL, "cache: checkpoint failed");
	return 0;
}

void
cache_rollback(struct cache *c)
{
	fl_join(c);
	pend_discard(&c->pd);
	if (c->begun)
		(void)tx_step(c, ST_ROLLBACK, NULL);
	c->in_tx = c->begun = false;
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
	if (id <= 0 || id >= MBOX_ID_MAX)
		return err_set(e, ERR_LOCAL, "cache: mailbox id %lld",
		    (long long)id);
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
	if (pend_flush(c, e) == -1 || (s = stmt(c, ST_MBOX_COUNT, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row_key(id, UINT32_MAX));
	sqlite3_bind_int64(s, 2, row_key(id, 0));
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

	if (pend_flush(c, e) == -1 || (s = stmt(c, ST_BODY_DEL, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, lo);
	sqlite3_bind_int64(s, 3, hi);
	if (step_done(c, s, e) == -1)
		return -1;
	if ((s = stmt(c, ST_MSG_DEL, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row_key(id, hi));
	sqlite3_bind_int64(s, 2, row_key(id, lo));
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

	fl_join(c);
	if (fl_failed(c, e) == -1)
		return -1;
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
	struct pend	*pd;
	int64_t		 id;

	if (m->uid == 0)
		return err_set(e, ERR_INPUT, "cache: UID 0");
	if ((id = mbox_id(c, mailbox, true, NULL, e)) == -1)
		return -1;
	if (c->pd.n == c->pd.max) {
		c->pd.max = c->pd.max == 0 ? 256 : c->pd.max * 2;
		c->pd.v = xreallocarray(c->pd.v, c->pd.max,
		    sizeof *c->pd.v);
	}
	pd = &c->pd.v[c->pd.n];
	pd->key = row_key(id, m->uid);
	pd->modseq = m->modseq;
	pd->seq = c->pd.n;
	if (row_pack(&c->pd, m, pd) == -1)
		return err_set(e, ERR_INPUT, "cache: UID %u: row too long",
		    m->uid);
	c->pd.n++;
	if (!c->in_tx || c->pd.n >= PEND_ROWS || c->pd.len >= PEND_BYTES)
		return pend_flush(c, e);
	return 0;
}

int
cache_flags_put(struct cache *c, const char *mailbox, uint32_t uid,
    const char *flags, uint64_t modseq, struct err *e)
{
	sqlite3_stmt	*s;
	int64_t		 id;

	if ((id = mbox_id(c, mailbox, false, NULL, e)) <= 0)
		return (int)id;
	if (pend_flush(c, e) == -1 || (s = stmt(c, ST_FLAGS_PUT, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row_key(id, uid));
	bind_text(s, 2, flags);
	sqlite3_bind_int64(s, 3, (int64_t)modseq);
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
	const void	*b;
	int64_t		 id;
	int		 n = 0, rc;

	if ((id = mbox_id(c, mailbox, false, NULL, e)) <= 0)
		return (int)id;
	if (pend_flush(c, e) == -1 || (s = stmt(c, ST_MSG_LOAD, e)) == NULL)
		return -1;
	/* the integer key makes this a forward range scan of the table */
	sqlite3_bind_int64(s, 1, below == 0 ? row_key(id, UINT32_MAX) - 1 :
	    row_key(id, below));
	sqlite3_bind_int64(s, 2, row_key(id, 0));
	sqlite3_bind_int64(s, 3, limit == 0 ? -1 : (int64_t)limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&m, 0, sizeof m);
		m.uid = key_uid(sqlite3_column_int64(s, 0));
		m.flags = col_text(s, 1);
		m.modseq = (uint64_t)sqlite3_column_int64(s, 2);
		/* blob, then its length, as the SQLite docs advise */
		b = sqlite3_column_blob(s, 3);
		if (row_unpack(&m, b, (size_t)sqlite3_column_bytes(s, 3)) ==
		    -1) {
			sqlite3_reset(s);
			return err_set(e, ERR_LOCAL, "cache: %s: UID %u: "
			    "damaged row", mailbox, m.uid);
		}
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
	c->journal_sync = true;
	journal_synced(c);
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
cache_journal_mailboxes(struct cache *c, char ***names, size_t *n,
    struct err *e)
{
	sqlite3_stmt	*s;
	size_t		 cap = 0;
	int		 rc;

	*names = NULL;
	*n = 0;
	if ((s = stmt(c, ST_JOURNAL_MAILBOXES, e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			*names = xreallocarray(*names, cap, sizeof **names);
		}
		(*names)[(*n)++] = col_dup(s, 0);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	while (*n > 0)
		free((*names)[--*n]);
	free(*names);
	*names = NULL;
	return cache_fail(c, e, "read");
}

int
cache_journal_count(struct cache *c, size_t *n, struct err *e)
{
	sqlite3_stmt	*s;
	int		 rc;

	*n = 0;
	if ((s = stmt(c, ST_JOURNAL_COUNT, e)) == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : cache_fail(c, e, "read");
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
