/* SPDX-License-Identifier: ISC */
/*
 * maildir.h: a Maildir on local disk (the layout of cr.yp.to/proto/
 * maildir.html): delivery through tmp/ into new/, scanning of new/ and
 * cur/, flags in the ":2,FLAGS" suffix changed by rename, deletion.
 *
 * Only store/ and app/ use it.  Nothing here prints or touches the network.
 * Names handed out are plain file names (no '/'); the entry's directory
 * (new/ or cur/) travels in struct maildir_entry.
 */
#ifndef PONS_STORE_MAILDIR_H
#define PONS_STORE_MAILDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/err.h"

struct maildir;
struct maildir_tmp;
struct maildir_scan;

/* Flag bits, one per letter of the ":2," info suffix (kept sorted). */
#define MAILDIR_F_DRAFT		0x01	/* D */
#define MAILDIR_F_FLAGGED	0x02	/* F */
#define MAILDIR_F_PASSED	0x04	/* P: forwarded */
#define MAILDIR_F_REPLIED	0x08	/* R */
#define MAILDIR_F_SEEN		0x10	/* S */
#define MAILDIR_F_TRASHED	0x20	/* T */

struct maildir_entry {
	const char	*name;		/* file name, with any ":2," suffix */
	bool		 is_new;	/* in new/ (unseen by any reader) */
	unsigned int	 flags;		/* MAILDIR_F_* from the suffix */
	time_t		 mtime;		/* delivery time as seen on disk */
	uint64_t	 size;		/* bytes on disk */
};

/*
 * Open the Maildir at path.  With create, path and its tmp/, new/, cur/
 * are made (mode 0700) when missing.  Fails with ERR_LOCAL when path is
 * not a Maildir.  The result is owned by the caller (maildir_free).
 */
struct maildir	*maildir_open(const char *path, bool create, struct err *);
void		 maildir_free(struct maildir *);
/* The path given to maildir_open.  Borrowed until maildir_free. */
const char	*maildir_path(const struct maildir *);

/*
 * Start a delivery: a new file in tmp/ with a unique name
 * (SECONDS.MUSECPPID_QSEQ.HOST).  Owned by the caller until
 * maildir_tmp_commit or maildir_tmp_abort, which free it.
 */
struct maildir_tmp *maildir_tmp_new(struct maildir *, struct err *);
/* Append len bytes (buffered).  -1 with ERR_LOCAL on a write error. */
int		 maildir_tmp_write(struct maildir_tmp *, const void *, size_t,
		    struct err *);
/* Bytes written so far. */
uint64_t	 maildir_tmp_size(const struct maildir_tmp *);
/* The unique base name (no directory).  Borrowed until commit/abort. */
const char	*maildir_tmp_name(const struct maildir_tmp *);
/*
 * Flush and close the tmp/ file.  With sync, fsync() it first.  The file
 * stays in tmp/ until maildir_tmp_publish().  Returns 0 or -1; either
 * way the handle is still owned by the caller.
 */
int		 maildir_tmp_close(struct maildir_tmp *, bool sync,
		    struct err *);
/*
 * Rename the closed tmp/ file into new/ and free the handle.  The new/
 * directory is not fsync()ed: call maildir_sync_dirs() once for a batch.
 */
int		 maildir_tmp_publish(struct maildir_tmp *, struct err *);
/* Remove the tmp/ file (closing it first) and free the handle.  NULL ok. */
void		 maildir_tmp_abort(struct maildir_tmp *);
/* Free the handle and leave the file as it is (crash simulation). */
void		 maildir_tmp_forget(struct maildir_tmp *);
/*
 * One-call delivery: write, fsync, rename into new/, fsync new/.  If namep
 * is not NULL it receives the base name (caller frees).
 */
int		 maildir_deliver(struct maildir *, const void *, size_t,
		    char **namep, struct err *);
/* fsync() the tmp/, new/ and cur/ directories. */
int		 maildir_sync_dirs(struct maildir *, struct err *);

/*
 * Scan new/ then cur/ in slices, so a large folder never blocks a caller
 * for long.  maildir_scan_next returns 1 with *ent filled (borrowed until
 * the next call or maildir_scan_free), 0 at the end, -1 on error.  Files
 * whose name starts with '.' are skipped.  The order is readdir order.
 */
struct maildir_scan *maildir_scan_new(struct maildir *, struct err *);
int		 maildir_scan_next(struct maildir_scan *,
		    struct maildir_entry *, struct err *);
void		 maildir_scan_free(struct maildir_scan *);

/* Flags from a file name's ":2," suffix (unknown letters ignored). */
unsigned int	 maildir_flags_parse(const char *name);
/* The part of a name before any ':' (the unique name).  Caller frees. */
char		*maildir_name_base(const char *name);
/*
 * Give the message ent the flag set flags: rename into cur/ with a new
 * ":2,..." suffix (even if flags did not change, a message in new/ moves
 * to cur/).  On success *newname (caller frees) is its new file name.
 * ERR_LOCAL if the file vanished or the rename failed.
 */
int		 maildir_flags_set(struct maildir *, const struct maildir_entry *,
		    unsigned int flags, char **newname, struct err *);
/* Unlink the message.  Deleting a file that is already gone is an error. */
int		 maildir_remove(struct maildir *, const struct maildir_entry *,
		    struct err *);
/* Full path of the entry's file.  Caller frees. */
char		*maildir_entry_path(const struct maildir *,
		    const struct maildir_entry *);
/*
 * Find a message by its unique name (the part before ':') in new/ or
 * cur/.  Returns 1 and fills ent (name borrowed until the next lookup or
 * maildir_free), 0 if absent, -1 on error.
 */
int		 maildir_lookup(struct maildir *, const char *base,
		    struct maildir_entry *ent, struct err *);
/*
 * Many lookups at once (on) until off: the last resort of a lookup (a
 * name in cur/ whose flags differ) searches one sorted listing of cur/,
 * read when first needed, instead of reading cur/ every time.  Names
 * others add to cur/ meanwhile are not seen.
 */
void		 maildir_lookup_batch(struct maildir *, bool on);

enum maildir_sub {
	MAILDIR_TMP,
	MAILDIR_NEW,
	MAILDIR_CUR,
};
/* The open descriptor of tmp/, new/ or cur/; borrowed until maildir_free. */
int		 maildir_dirfd(const struct maildir *, enum maildir_sub);

#endif
