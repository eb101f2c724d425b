/* SPDX-License-Identifier: ISC */
/*
 * local.h (private to app/): a local Maildir as a folder backend.  The
 * app layer calls it; the UI never does.
 */
#ifndef PONS_APP_LOCAL_H
#define PONS_APP_LOCAL_H

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

#endif
