/* SPDX-License-Identifier: ISC */
/*
 * spool.h: the POP3 spool of one account: a Maildir plus the record of
 * which server messages (by UIDL) it already holds, kept in an append-only
 * journal (PATH/pons-spool.journal) that is fsync()ed in batches, or, for
 * a run that deletes nothing (spool_set_deferred), checked at the next
 * spool_open().
 *
 * Guarantees (DESIGN "Nothing is lost"):
 *   - a message is recorded only after its bytes are durable in tmp/
 *     (deferred mode: written, and checked by the next spool_open());
 *     spool_commit() then renames it into new/; a crash between the two is
 *     finished by the next spool_open();
 *   - spool_is_durable() is true only after spool_commit() or
 *     spool_commit_finish() returned, so a DELE sent after checking it
 *     never loses mail;
 *   - a recorded UIDL (with the same server size) is never stored twice;
 *     a message whose UIDL changed is recognised by Message-ID and size.
 * UIDLs are never used in file names (they are hex-encoded in the journal).
 *
 * Only one process may use a spool at a time: spool_open() takes an
 * exclusive lock on PATH/pons-spool.lock (spool_lock() takes the same
 * lock for a caller that only reads the Maildir).
 */
#ifndef PONS_STORE_SPOOL_H
#define PONS_STORE_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store/maildir.h"
#include "util/err.h"

struct spool;

struct spool_policy {
	bool		 keep_on_server;	/* false: DELE after download */
	unsigned int	 delete_after_days;	/* >0: DELE when older */
};

/*
 * Take the spool lock of the Maildir at path (created if missing).
 * Returns a descriptor for spool_unlock(), or -1: ERR_TEMP when another
 * process holds it, ERR_LOCAL on other failures.
 */
int		 spool_lock(const char *path, struct err *);
void		 spool_unlock(int fd);

/*
 * Open (creating if needed) the spool at path: lock, read the journal,
 * finish deliveries a crash interrupted.  Owned by the caller.
 */
struct spool	*spool_open(const char *path, struct err *);
/*
 * The same without the check of a deferred run (see spool_set_deferred),
 * which spool_settle_start() then runs off the caller's thread: it may
 * wait for the disk (a syncfs()).  Until spool_commit_finish() landed it
 * (spool_commit_fd() readable) and said how it went, the spool is
 * spool_commit_busy() and nothing else may be asked of it.
 * spool_settle_start() returns 1 when it started, 0 when there is
 * nothing to check.
 */
struct spool	*spool_open_unsettled(const char *path, struct err *);
int		 spool_settle_start(struct spool *);
/* Close: pending (uncommitted) messages are dropped.  NULL is fine. */
void		 spool_free(struct spool *);
/* The Maildir.  Borrowed until spool_free. */
struct maildir	*spool_maildir(struct spool *);
/* Records (messages on the server that the spool holds). */
size_t		 spool_count(const struct spool *);

/*
 * Test hook: fail every call after `steps` journal steps (a step: a
 * message closed in tmp/, the data sync, the journal write, its fsync,
 * one rename, the directory sync, a deletion record), as if the process
 * had died there.  0 turns it off.
 */
void		 spool_set_stop_after(struct spool *, unsigned int steps);
/* Clock for new records (seconds since the epoch); 0: time(NULL). */
void		 spool_set_time(struct spool *, time_t);
/* Whether fsync is used (default true; tests of logic may turn it off). */
void		 spool_set_sync(struct spool *, bool);
/*
 * Deferred durability, for a run that deletes nothing on the server
 * (keep_on_server): commits from now on write data and records without
 * waiting for the disk (no syncfs, no journal fsync); their records are
 * not spool_is_durable() (a DELE must not follow them).  The next
 * spool_open() syncs, checks their files and forgets those that did not
 * survive a crash, so the next fetch downloads them again.  A commit
 * made after turning it off makes everything before it durable.
 */
void		 spool_set_deferred(struct spool *, bool);
/*
 * How many records of a deferred run spool_open() checked (0: the
 * journal was settled), and in *dropped (may be NULL) how many it
 * forgot because their file was short.
 */
size_t		 spool_open_checked(const struct spool *, size_t *dropped);

/* The longest walk a lookup in its tables takes (for tests). */
size_t		 spool_probe_max(const struct spool *);
/* True if the message uidl (len bytes) with this server size is held. */
bool		 spool_has(struct spool *, const char *uidl, size_t len,
		    uint64_t size);
/* True once the message is durably recorded (DELE is then safe). */
bool		 spool_is_durable(struct spool *, const char *uidl,
		    size_t len);

/*
 * Receive one message (one at a time).  uidl may be NULL (server without
 * UIDL: the message is then known by Message-ID and size alone).  Bytes
 * are LF-terminated lines as the POP3 parser hands them out.
 * spool_msg_end() adds it to the pending batch, or drops it as a
 * duplicate of a held message (*dup set true).  spool_msg_abort() throws
 * away a message that did not arrive whole.
 */
int		 spool_msg_begin(struct spool *, const char *uidl, size_t len,
		    uint64_t size, struct err *);
int		 spool_msg_write(struct spool *, const void *, size_t,
		    struct err *);
int		 spool_msg_end(struct spool *, bool *dup, struct err *);
void		 spool_msg_abort(struct spool *);
/* Messages and bytes waiting for spool_commit(). */
size_t		 spool_pending(const struct spool *, uint64_t *bytes);
/*
 * Make every pending message durable and visible in new/, after landing
 * a commit in flight.  Returns the number committed, or -1 (nothing of
 * the batch may be assumed durable).  Blocks on the disk.
 */
int		 spool_commit(struct spool *, struct err *);

/*
 * The same commit without blocking the caller: spool_commit_start() hands
 * the pending batch to a worker thread (returns its size, 0 when nothing
 * is pending or a commit is already in flight, -1 on error) and receiving
 * goes on meanwhile.  spool_commit_fd() becomes readable when the batch
 * has landed; spool_commit_finish() then records it (waiting for it if
 * called early) and returns its size, or -1 as spool_commit().  Its
 * messages are spool_is_durable() only after spool_commit_finish().
 * The descriptor is the spool's, valid until spool_free().
 */
int		 spool_commit_start(struct spool *, struct err *);
bool		 spool_commit_busy(const struct spool *);
int		 spool_commit_fd(const struct spool *);
int		 spool_commit_finish(struct spool *, struct err *);

/* Should the server copy be deleted now, under policy p? */
bool		 spool_should_delete(struct spool *, const char *uidl,
		    size_t len, const struct spool_policy *p, time_t now);
/*
 * Rewrite the journal without the messages the server deleted (done by
 * spool_open when they are many).  Crash-safe: new file, fsync, rename.
 */
int		 spool_compact(struct spool *, struct err *);
/* The server confirmed (QUIT +OK) that uidl is gone: forget it. */
int		 spool_forget(struct spool *, const char *uidl, size_t len,
		    struct err *);

#endif
