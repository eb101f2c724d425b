/* SPDX-License-Identifier: ISC */
/*
 * conf-private.h: shared by src/config/conf*.c only (and their tests).
 */
#ifndef PONS_CONF_PRIVATE_H
#define PONS_CONF_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/buf.h"
#include "util/err.h"

/* One change to make to a config text (conf_write_text). */
enum conf_edit_kind {
	CONF_EDIT_REPLACE,	/* line: put value in place of the old one */
	CONF_EDIT_DELETE,	/* line: remove the line */
	CONF_EDIT_APPEND,	/* add "name = value" to section/sub */
	CONF_EDIT_DELETE_SECTION, /* line: header; remove the section */
	CONF_EDIT_RENAME_SECTION, /* line: header; sub: the new name */
};

struct conf_edit {
	enum conf_edit_kind	 kind;
	unsigned int		 line;		/* REPLACE, DELETE, DELETE_SECTION */
	const char		*section;	/* APPEND: "ui", "account", "keys.index" */
	const char		*sub;		/* APPEND: account name or NULL */
	const char		*name;		/* APPEND */
	const char		*value;		/* REPLACE, APPEND */
};

/*
 * Apply edits to text[0..len) and append the result to out.  Only the
 * edited lines change; every other byte is kept.  Appended options go
 * after the last option of the last matching section, new sections at the
 * end of the text.  Pure: no I/O.
 */
void	 conf_write_text(const char *text, size_t len,
	    const struct conf_edit *, size_t nedits, struct buf *out);

/*
 * Replace path with data[0..len) atomically: a temporary file in the same
 * directory, written, fsync()ed, given the old file's mode (0600 if new),
 * renamed over path, then the directory fsync()ed.  Returns 0 or -1 with
 * e filled; on failure the old file is untouched.
 */
int	 conf_file_write(const char *path, const void *data, size_t len,
	    struct err *e);
/*
 * Test hook: when > 0, conf_file_write() raises SIGKILL right after step
 * N (1 temp created, 2 half written, 3 written, 4 fsynced, 5 renamed,
 * 6 directory fsynced).  Tests fork and set this in the child.
 */
extern int	 conf_write_kill_after;

/*
 * Read a whole file (at most 1 MiB) into out.  Returns 0, 1 if it does not
 * exist, or -1 with e filled.  *mode receives its permission bits.
 */
int	 conf_file_read(const char *path, struct buf *out, mode_t *mode,
	    struct err *e);

/* Edit distance between two names, for "did you mean" (options.c). */
size_t	 opt_distance(const char *, const char *);

#define CONF_FILE_MAX	(1024 * 1024)

#endif
