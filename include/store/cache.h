/* SPDX-License-Identifier: ISC */
/*
 * cache.h: the IMAP cache of one account, one SQLite file.
 *
 * Rows are keyed by mailbox, UIDVALIDITY and UID: a mailbox remembers the
 * UIDVALIDITY its rows belong to, and setting a different one discards
 * them all (RFC 9051 section 2.3.1.1).  It keeps the index headers, the
 * flags and MODSEQ of each message, the mailbox's UIDNEXT and
 * HIGHESTMODSEQ (for QRESYNC/CONDSTORE on reopen), message parts up to a
 * size cap, and a journal of actions taken offline.
 *
 * Writes of one chunk of FETCH answers go inside cache_begin/cache_commit,
 * one transaction each.  A crash of pons loses no committed transaction;
 * a power cut may lose those since the last checkpoint, never the file's
 * consistency.  The journal of offline actions is synced as it is
 * written.  The file is a cache: safe to delete at any time (with pons
 * not running).  Mailbox names are only ever SQL values, never file
 * names.
 */
#ifndef PONS_STORE_CACHE_H
#define PONS_STORE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct err;
struct cache;

struct cache_mailbox {
	uint32_t	 uidvalidity;	/* 0: nothing cached */
	uint32_t	 uidnext;
	uint64_t	 highestmodseq;
	uint32_t	 count;		/* message rows */
};

/*
 * One index row.  Strings are UTF-8 or NULL; borrowed as documented.
 * What the index shows is stored ready to show (decoded once, when the
 * row is written), so painting a mailbox parses nothing.
 */
struct cache_msg {
	uint32_t	 uid;
	const char	*flags;		/* space-separated, e.g. "\\Seen $Junk" */
	uint64_t	 modseq;
	int64_t		 internaldate;	/* seconds UTC, -1 unknown */
	uint64_t	 size;
	const char	*date;		/* Date: as sent */
	const char	*subject;	/* decoded (RFC 2047, 8-bit) */
	const char	*from;		/* "name <addr>, ..." as sent */
	const char	*to;
	const char	*cc;
	const char	*message_id;
	const char	*in_reply_to;
	int64_t		 sent;		/* Date: in seconds UTC, -1 unknown */
	const char	*from_show;	/* first From: name (decoded), else
					 * its address; NULL: not known */
	const char	*from_addr;	/* first From: addr-spec */
	const char	*to_show;	/* first To:, as from_show */
};

/* Actions recorded while offline, replayed in order after reconnecting. */
enum cache_action_kind {
	CACHE_ACT_FLAG_ADD,
	CACHE_ACT_FLAG_REMOVE,
	CACHE_ACT_EXPUNGE,
	CACHE_ACT_COPY,
	CACHE_ACT_MOVE,
};

struct cache_action {
	int64_t			 id;
	enum cache_action_kind	 kind;
	char			*mailbox;	/* owned by the struct */
	uint32_t		 uidvalidity;	/* the UIDs belong to it */
	char			*uids;		/* sequence set "1:4,9" */
	char			*arg;		/* flags, or the target mailbox */
};

typedef void (*cache_msg_cb)(void *arg, const struct cache_msg *);

/*
 * Open (creating if needed) the cache at path; body_max caps each stored
 * part (bytes, 0 = store no bodies).  Returns 0 with *out owned by the
 * caller (cache_close), or -1 with e filled (ERR_LOCAL).  A cache file of
 * another version is emptied and rebuilt in the current schema (its
 * journal of offline actions goes with it).  A file SQLite finds is not a
 * database, or damaged, is moved to path.damaged (its log with it) and a
 * new one made: 1, with *out, and e saying so for the user.  One process
 * holds a path at a time (flock on path.lock, shared by its handles): in
 * another, -1 with ERR_TEMP "in use by another pons".
 */
int	 cache_open(const char *path, size_t body_max, struct cache **out,
	    struct err *e);
/*
 * Checkpoints what the cache's thread has not (little: it keeps up) and
 * removes the write-ahead log, so the next open has none to read.
 */
void	 cache_close(struct cache *);

/* Start / end one transaction (one FETCH chunk).  0 or -1 with e. */
int	 cache_begin(struct cache *, struct err *e);
int	 cache_commit(struct cache *, struct err *e);
/* Undo everything since cache_begin. */
void	 cache_rollback(struct cache *);
/*
 * Copy the committed writes from the write-ahead log into the file and
 * sync both, and wait for it: the cache's own thread checkpoints as the
 * log grows and after every journal change without being asked, and the
 * close does the rest, so only a caller that must know the file is
 * complete now (tests, a copy of it) needs this.  Does nothing inside a
 * transaction.  0, or -1 with e.
 */
int	 cache_checkpoint(struct cache *, struct err *e);

/* 1 and *mb filled if mailbox is cached, 0 if not, -1 on error. */
int	 cache_mailbox_get(struct cache *, const char *mailbox,
	    struct cache_mailbox *mb, struct err *e);
/* The same without counting the rows (mb->count is 0): no table scan. */
int	 cache_mailbox_peek(struct cache *, const char *mailbox,
	    struct cache_mailbox *mb, struct err *e);
/*
 * Record the UIDVALIDITY of mailbox.  If another one was stored, every
 * row, part and HIGHESTMODSEQ of the mailbox is discarded first and 1 is
 * returned; 0 if unchanged or new; -1 on error.
 */
int	 cache_mailbox_set_uidvalidity(struct cache *, const char *mailbox,
	    uint32_t uidvalidity, struct err *e);
/*
 * Store UIDNEXT and HIGHESTMODSEQ: every row below UIDNEXT is in.  So -1
 * also when an earlier commit's rows did not go in (its failure is told
 * here, not by the next cache_commit()): the state would claim them.
 */
int	 cache_mailbox_set_state(struct cache *, const char *mailbox,
	    uint32_t uidnext, uint64_t highestmodseq, struct err *e);
/* Forget the mailbox and everything under it. */
int	 cache_mailbox_drop(struct cache *, const char *mailbox,
	    struct err *e);

/*
 * Insert or replace the row of m->uid (m is only read; its strings are
 * copied).  Inside a transaction the row waits in memory and goes in
 * with the others, sorted, at cache_commit or before any call that reads
 * or changes rows: the error of that write is then that call's.
 */
int	 cache_msg_put(struct cache *, const char *mailbox,
	    const struct cache_msg *m, struct err *e);
/* Update the flags (and modseq, when not 0) of one row; 0 if no row. */
int	 cache_flags_put(struct cache *, const char *mailbox, uint32_t uid,
	    const char *flags, uint64_t modseq, struct err *e);
/* Delete rows (and parts) with UIDs in [lo, hi]; returns rows deleted. */
int	 cache_msgs_delete(struct cache *, const char *mailbox, uint32_t lo,
	    uint32_t hi, struct err *e);
/*
 * Delete every row whose UID is not in the sorted, disjoint ranges
 * (lo[i], hi[i]) (the server's UID list after a reopen without QRESYNC).
 * Returns rows deleted or -1.
 */
int	 cache_msgs_keep_only(struct cache *, const char *mailbox,
	    const uint32_t *lo, const uint32_t *hi, size_t n, struct err *e);
/*
 * Call cb for every row of mailbox, UID descending (newest first), at
 * most limit rows (0: all).  The row is borrowed for the call.  Returns
 * rows seen or -1.
 */
int	 cache_msgs_load(struct cache *, const char *mailbox, size_t limit,
	    cache_msg_cb cb, void *arg, struct err *e);
/*
 * The same for the rows with a UID below below (0: no bound), so a
 * caller can read a big mailbox in slices, newest first.
 */
int	 cache_msgs_load_below(struct cache *, const char *mailbox,
	    uint32_t below, size_t limit, cache_msg_cb cb, void *arg,
	    struct err *e);

/* Store part section of uid; parts over body_max are not stored (0). */
int	 cache_body_put(struct cache *, const char *mailbox, uint32_t uid,
	    const char *section, const void *data, size_t len, struct err *e);
/* 1 with the bytes appended to out, 0 if not cached, -1 on error. */
int	 cache_body_get(struct cache *, const char *mailbox, uint32_t uid,
	    const char *section, struct buf *out, struct err *e);

/*
 * Append an action; its id is returned in a->id.  a is only read.  It is
 * on disk (synced) when this returns, or inside a transaction when
 * cache_commit returns.
 */
int	 cache_journal_add(struct cache *, struct cache_action *a,
	    struct err *e);
/* 1 with the oldest action in *a (free with cache_action_fini), 0 if none. */
int	 cache_journal_first(struct cache *, struct cache_action *a,
	    struct err *e);
/*
 * 1 with the oldest action on mailbox in *a (free with cache_action_fini),
 * 0 if none: each mailbox's actions replay in order when it is selected.
 */
int	 cache_journal_first_in(struct cache *, const char *mailbox,
	    struct cache_action *a, struct err *e);
/*
 * The mailboxes with journaled actions, the one with the oldest action
 * first: *n names in *names (free each, then the array).  0, or -1 with e.
 */
int	 cache_journal_mailboxes(struct cache *, char ***names, size_t *n,
	    struct err *e);
/* How many actions wait in the journal, of every mailbox: 0 or -1. */
int	 cache_journal_count(struct cache *, size_t *n, struct err *e);
/* The action was replayed (or reported as a conflict): remove it. */
int	 cache_journal_done(struct cache *, int64_t id, struct err *e);
void	 cache_action_fini(struct cache_action *);

#endif
