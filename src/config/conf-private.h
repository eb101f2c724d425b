/* SPDX-License-Identifier: ISC */
/*
 * conf-private.h: shared by src/config/conf*.c only (and their tests).
 */
#ifndef PONS_CONF_PRIVATE_H
#define PONS_CONF_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config/conf.h"
#include "config/options.h"
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
 * renamed over path, then the directory fsync()ed.  With private_mode
 * (the text holds a password) group and others lose every permission.
 * Returns 0 or -1 with e filled; on failure the old file is untouched.
 */
int	 conf_file_write(const char *path, const void *data, size_t len,
	    bool private_mode, struct err *e);
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

/* The conf as a whole, shared by conf.c, conf-change.c, conf-save.c and
   conf-dump.c. */
struct conf_account {
	char		*name;
	struct opts	*opts;
	unsigned int	 line;		/* header line; 0: added at run time */
	bool		 renamed;	/* the header needs rewriting */
};

/* What the file and the run-time changes say now. */
struct conf_state {
	struct opts		 *global;
	struct conf_account	**acc;
	size_t			  nacc;
	struct conf_key		 *keys;
	size_t			  nkeys;
	unsigned int		 *dellines;	/* option lines to remove */
	size_t			  ndellines;
	unsigned int		 *delsections;	/* account headers to remove */
	size_t			  ndelsections;
};

/* A run-time change, kept to re-apply it on top of a reloaded file. */
enum conf_op_kind {
	CONF_OP_SET, CONF_OP_UNSET, CONF_OP_CMDLINE, CONF_OP_ACC_ADD,
	CONF_OP_ACC_REMOVE, CONF_OP_ACC_RENAME, CONF_OP_KEY_BIND
};
struct conf_op {
	enum conf_op_kind	 kind;
	char			*account;	/* or NULL */
	enum opt_id		 id;
	char			*text;		/* value or action, or NULL */
	char			*screen;
	char			*key;
};

struct conf {
	struct conf_state	 st;
	char			*path;		/* file to save to, or NULL */
	struct buf		 text;		/* its content as last read/written */
	bool			 exists;	/* it existed then */
	conf_key_check_cb	 kcb;
	void			*karg;
	struct conf_op		*ops;
	size_t			 nops;
	bool			 dirty;
};


/* conf.c: messages, state, loading. */
void	 conf_msg_add(struct conf_msgs *, const char *file, unsigned int line,
	    bool warning, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* e's message without the "FILE: " it may start with. */
const char *conf_err_text(const struct err *, const char *file);
void	 conf_uint_add(unsigned int **, size_t *, unsigned int);
void	 conf_state_init(struct conf_state *);
void	 conf_state_fini(struct conf_state *);
/* Free st's contents and take over new's. */
void	 conf_replace_state(struct conf *, struct conf_state *new);
/* Parse text into a fresh state; returns the number of errors. */
size_t	 conf_state_load(const struct conf *, struct conf_state *,
	    const char *file, const char *text, size_t len,
	    struct conf_msgs *);
void	 conf_check_mode(const struct conf_state *, const char *file,
	    mode_t mode, struct conf_msgs *);
void	 conf_account_free(struct conf_account *);
void	 conf_key_fini(struct conf_key *);
struct conf_account *conf_state_account(const struct conf_state *,
	    const char *name);
struct conf_account *conf_state_account_new(struct conf_state *,
	    const char *name, unsigned int line);
struct conf_key *conf_state_key(const struct conf_state *, const char *screen,
	    const char *key);
void	 conf_state_key_add(struct conf_state *, const char *screen,
	    const char *key, const char *action, enum opt_origin,
	    unsigned int line);
void	 conf_ops_clear(struct conf *, bool keep_cmdline);
bool	 conf_is_ident(const char *);
int	 conf_check_account_name(const char *, struct err *);
/* action NULL: check the screen name only. */
int	 conf_check_action(const struct conf *, const char *screen,
	    const char *action, struct err *);

/* conf-change.c: run-time changes on a state, and their replay. */
int	 conf_state_set(struct conf_state *, const char *account, enum opt_id,
	    const char *text, enum opt_origin, struct err *);
void	 conf_state_unset(struct conf_state *, const char *account,
	    enum opt_id);
/* Re-apply the logged changes (all, or the command line ones only). */
void	 conf_ops_replay(const struct conf *, struct conf_state *, bool all);

#define CONF_FILE_MAX	(1024 * 1024)

#endif
