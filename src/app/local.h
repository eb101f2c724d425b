/* SPDX-License-Identifier: ISC */
/*
 * local.h (private to app/): a local Maildir as a folder backend.  The
 * app layer calls it; the UI never does.
 */
#ifndef PONS_APP_LOCAL_H
#define PONS_APP_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

struct folder;
struct local;

/*
 * Open the Maildir at path for f and start scanning it; the messages are
 * read by local_load().  me: the user's addresses (comma-separated, may
 * be NULL).  NULL with e set if path is not a readable Maildir.
 */
struct local	*local_open(const char *path, struct folder *f, const char *me,
		    struct err *e);
/*
 * Read up to max more messages into f (the view is not rebuilt).  Sets
 * *done when the scan is over.  Returns 0, or -1 with e set (then done).
 */
int		 local_load(struct local *, struct folder *f, size_t max,
		    bool *done, struct err *e);
void		 local_close(struct local *);
/* Rename the file of row so its info suffix says flags; updates f. */
int		 local_flags_write(struct local *, struct folder *f,
		    uint32_t row, unsigned int flags, struct err *e);
/* Unlink every file marked deleted and drop those rows; *n removed. */
int		 local_expunge(struct local *, struct folder *f, size_t *n,
		    struct err *e);
/*
 * Look for messages delivered since the last look (cheap when the
 * directories did not change: two stat calls).  New ones are added to f
 * (the view is not rebuilt); *added says how many.
 */
int		 local_poll(struct local *, struct folder *f, size_t *added,
		    struct err *e);
/* Append the whole message of row to out (at most 64 MiB). */
int		 local_read(struct local *, const struct folder *f,
		    uint32_t row, struct buf *out, struct err *e);

/* Maildir++ subfolders, move and copy */
#define LOCAL_FOLDERS_MAX	10000	/* subfolders listed for completion */
struct maildir;
/* The path of the open Maildir.  Borrowed until local_close(). */
const char	*local_path(const struct local *);
/*
 * The Maildir++ root of the Maildir at path: its parent when path is a
 * ".Sub" folder inside a Maildir, else path (trailing '/' removed).
 * Caller frees.
 */
char		*local_root(const char *path);
/*
 * Path of the folder name under root: "INBOX" (or "") is root itself,
 * "A/B" and "A.B" are root/.A.B; a leading '=' or '+' and "INBOX/" are
 * dropped.  Caller frees; NULL with e (ERR_INPUT) for an empty level,
 * a control character or a name over 255 bytes.
 */
char		*local_subfolder_path(const char *root, const char *name,
		    struct err *e);
/*
 * "INBOX" and the Maildir++ subfolders of root ('.' shown as '/'), the
 * rest sorted; *v and each name belong to the caller.  Returns the count.
 */
size_t		 local_subfolders(const char *root, char ***v);
/*
 * Move row into the Maildir dest (a hard link into dest's cur/ with the
 * row's flags, then the source unlinked; a copy through tmp/ across file
 * systems) and drop it from f; or copy it (delivered through dest's
 * tmp/, into cur/ with its flags, new/ if it was new and unflagged).
 * 0, or -1 with e set (f unchanged).
 */
int		 local_transfer(struct local *, struct folder *f, uint32_t row,
		    struct maildir *dest, bool move, struct err *e);

#endif
