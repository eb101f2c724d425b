/* SPDX-License-Identifier: ISC */
/*
 * conf.h: the configuration as a whole: global options, accounts, key
 * bindings, the file they came from, and writing changes back to it.
 *
 * Life cycle:
 *	c = conf_new();
 *	conf_set_key_check(c, ui_key_check, ui);	(optional, before loading)
 *	if (conf_load(c, path, flags, &msgs) == -1)
 *		print every message of msgs and exit 1;
 *	opt_bool(conf_opts(c), OPT_UI_THREADS) ...
 *	a = conf_account_default(c);
 *	opt_enum(conf_account_opts(a), OPT_ACCOUNT_PROTOCOL) ...
 *	conf_set(c, a, OPT_ACCOUNT_IDLE, "no", &e);	(settings screen)
 *	conf_save(c, &e);				(writes only changes)
 *	conf_free(c);
 *
 * Errors and warnings from a file are collected, all of them, as
 * "FILE:LINE: message" in a struct conf_msgs; nothing here prints.
 */
#ifndef PONS_CONFIG_CONF_H
#define PONS_CONFIG_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "config/options.h"
#include "util/buf.h"
#include "util/err.h"

struct conf;
struct conf_account;

/* One diagnostic from loading a file. */
struct conf_msg {
	char		*text;		/* "FILE:LINE: message", owned */
	unsigned int	 line;		/* 0: about the whole file */
	bool		 warning;	/* false: an error, pons must not start */
};

struct conf_msgs {
	struct conf_msg	*v;
	size_t		 n;
	size_t		 cap;
	size_t		 nerrors;	/* entries with warning == false */
};

void	 conf_msgs_init(struct conf_msgs *);
void	 conf_msgs_fini(struct conf_msgs *);

/*
 * Validator for [keys.SCREEN] bindings, registered by the UI which owns
 * screens and action names.  Returns 0 if action is valid on screen, or -1
 * with e saying why (unknown screen, unknown action, a suggestion).
 * Without a validator any screen and action name made of [a-z0-9_-] pass.
 */
typedef int (*conf_key_check_cb)(void *arg, const char *screen,
    const char *action, struct err *e);

struct conf	*conf_new(void);
void		 conf_free(struct conf *);
void		 conf_set_key_check(struct conf *, conf_key_check_cb, void *arg);

/*
 * The default configuration file: $XDG_CONFIG_HOME/pons/config or
 * ~/.config/pons/config.  Owned by the caller.
 */
char		*conf_default_path(void);

#define CONF_LOAD_MISSING_OK	0x01	/* a missing file means all defaults */

/*
 * Read path (its name is kept for messages and conf_save) and replace the
 * current settings with it.  Every error and warning is appended to msgs.
 * Returns 0, or -1 if there was at least one error; the conf then holds
 * the defaults only and must not be used to start pons.
 */
int	 conf_load(struct conf *, const char *path, int flags,
	    struct conf_msgs *msgs);
/*
 * The same from text already in memory, file naming it in messages (no
 * I/O, nothing remembered for saving).  For tests and the fuzzer.
 */
int	 conf_load_text(struct conf *, const char *file, const char *text,
	    size_t len, struct conf_msgs *msgs);
/* The file last loaded, or NULL. */
const char	*conf_path(const struct conf *);

/* Global options ([general], [ui], [colors]); borrowed from the conf. */
const struct opts	*conf_opts(const struct conf *);

/*
 * Change one option at run time (settings screen): acc is NULL for a global
 * option.  Checked like a file value.  The change is saved by conf_save().
 * conf_unset() returns the option to its default (its line is removed).
 * conf_set_cmdline() is for command line options: shown by --dump-config
 * with origin "command line", never saved.
 */
int	 conf_set(struct conf *, struct conf_account *, enum opt_id,
	    const char *text, struct err *e);
void	 conf_unset(struct conf *, struct conf_account *, enum opt_id);
int	 conf_set_cmdline(struct conf *, struct conf_account *, enum opt_id,
	    const char *text, struct err *e);
/* True if there are changes not yet saved. */
bool	 conf_dirty(const struct conf *);

/* Accounts, in file order.  Pointers stay valid until load/reload/free. */
size_t			 conf_account_count(const struct conf *);
struct conf_account	*conf_account_at(const struct conf *, size_t i);
struct conf_account	*conf_account_find(const struct conf *, const char *name);
/* [general] default_account, else the first account; NULL if none. */
struct conf_account	*conf_account_default(const struct conf *);
const char		*conf_account_name(const struct conf_account *);
const struct opts	*conf_account_opts(const struct conf_account *);
/* The port: the option if set, else 993/143 (IMAP), 995/110 (POP3). */
int			 conf_account_port(const struct conf_account *);
/*
 * The POP3 spool Maildir: the spool option (~/ expanded) if set, else
 * $XDG_DATA_HOME/pons/NAME (~/.local/share/pons/NAME).  Owned by caller.
 */
char			*conf_account_spool(const struct conf_account *);
/* $XDG_CACHE_HOME/pons (~/.cache/pons), without a final slash.  Owned. */
char			*conf_cache_dir(void);
/* Expand a leading "~/" with $HOME.  Owned by the caller. */
char			*conf_expand_path(const char *);

/*
 * Add an account with the given name (checked: not empty, no quote, not
 * taken); set its protocol and host with conf_set().  The section is
 * appended on save.  Returns the account or NULL with e filled.
 */
struct conf_account	*conf_account_add(struct conf *, const char *name,
			    struct err *e);
/*
 * Rename an account (the name is checked as above); its header line is
 * rewritten on save.  The default spool follows the name: the caller moves
 * the spool directory, or sets spool to the old path first.  Returns 0 or
 * -1 with e filled.
 */
int			 conf_account_rename(struct conf *,
			    struct conf_account *, const char *name,
			    struct err *e);
/* Remove an account (its section is removed on save). */
void			 conf_account_remove(struct conf *,
			    struct conf_account *);

/* A key binding from a [keys.SCREEN] section. */
struct conf_key {
	char		*screen;	/* "index", "pager", ... */
	char		*key;		/* normalised key text: "d", "C-l", "<PageDown>" */
	char		*action;	/* as accepted by the key validator */
	enum opt_origin	 origin;
	unsigned int	 line;		/* 0 unless from the file */
};
size_t			 conf_key_count(const struct conf *);
const struct conf_key	*conf_key_at(const struct conf *, size_t i);
/* The binding of key on screen, or NULL. */
const struct conf_key	*conf_key_find(const struct conf *, const char *screen,
			    const char *key);
/*
 * Bind (action != NULL) or unbind (action NULL) key on screen at run
 * time; saved by conf_save().  Returns 0 or -1 with e filled.
 */
int	 conf_key_bind(struct conf *, const char *screen, const char *key,
	    const char *action, struct err *e);

/* A parsed key: exactly one of ch and name is set. */
enum conf_key_name {
	CONF_KEY_NONE, CONF_KEY_UP, CONF_KEY_DOWN, CONF_KEY_LEFT,
	CONF_KEY_RIGHT, CONF_KEY_PAGEUP, CONF_KEY_PAGEDOWN, CONF_KEY_HOME,
	CONF_KEY_END, CONF_KEY_INSERT, CONF_KEY_DELETE, CONF_KEY_BACKSPACE,
	CONF_KEY_ENTER, CONF_KEY_TAB, CONF_KEY_BACKTAB, CONF_KEY_ESCAPE,
	CONF_KEY_SPACE, CONF_KEY_F	/* function key, see fn */
};
struct conf_keyspec {
	unsigned int		 ch;	/* Unicode code point, 0 if a named key */
	enum conf_key_name	 name;
	int			 fn;	/* 1..24 for CONF_KEY_F */
	bool			 ctrl;	/* C- */
	bool			 meta;	/* M- (Alt, or Escape first) */
};
/*
 * Parse a key as written in the file: "d", "\$" (escaped), "C-l", "M-x",
 * "<PageDown>", "<F1>", "<Space>", or a UTF-8 character.  On success
 * fills ks and, if norm is not NULL, writes the normalised text to it.
 * Returns 0, or -1 with e filled.
 */
int	 conf_key_parse(const char *text, struct conf_keyspec *ks,
	    struct buf *norm, struct err *e);

/* Result of conf_save(). */
enum conf_save_status {
	CONF_SAVE_OK,		/* written (or nothing to write) */
	CONF_SAVE_CONFLICT,	/* the file changed since it was read: not
				   written; reload, re-apply, save again */
	CONF_SAVE_ERROR		/* I/O error in e; the old file is intact */
};
/*
 * Write the changes back to conf_path() (or to path given by
 * conf_set_path(), e.g. when no file existed): only changed lines change;
 * comments, blank lines, order, unknown lines and spacing are kept; new
 * options go to the end of their section (created if missing).  The new
 * text goes to a temporary file in the same directory, is fsync()ed and
 * renamed over the old one, then the directory is fsync()ed; a new file
 * gets mode 0600.  After CONF_SAVE_OK the conf reflects the file written.
 */
enum conf_save_status	 conf_save(struct conf *, struct err *e);
/*
 * True if conf_path() now holds something else than what was last read or
 * written (edited, created or removed outside pons).  Reads the file.
 */
bool			 conf_changed_on_disk(const struct conf *);
/* Set the file conf_save() writes when nothing was loaded. */
void			 conf_set_path(struct conf *, const char *path);

/* One option whose value changed in a reload. */
struct conf_change {
	char		*account;	/* NULL for a global option */
	enum opt_id	 id;
	bool		 reconnect;	/* applies on the next connection only */
};
struct conf_changes {
	struct conf_change	*v;
	size_t			 n;
	char			**accounts_added;	/* names */
	size_t			 nadded;
	char			**accounts_removed;
	size_t			 nremoved;
	bool			 keys_changed;
};
void	 conf_changes_fini(struct conf_changes *);

/*
 * Read conf_path() again.  On errors (appended to msgs) the current
 * settings stay and -1 is returned.  On success they are replaced, changes
 * lists what differs (for the UI: re-render, or reconnect an account) and
 * 0 is returned.  Run-time changes not yet saved are re-applied on top of
 * the new file (so a CONF_SAVE_CONFLICT is resolved by reload + save).
 * Account pointers from before the call are invalid afterwards.
 */
int	 conf_reload(struct conf *, struct conf_changes *changes,
	    struct conf_msgs *msgs);
/*
 * What differs from old to new (two confs loaded separately, e.g. the one
 * in force and a fresh read of the file), as conf_reload() reports it.
 * changes is overwritten; free it with conf_changes_fini().
 */
void	 conf_compare(const struct conf *old, const struct conf *new,
	    struct conf_changes *changes);

/*
 * Every option with its current value and origin, one per line, under
 * section headers as in the file: "sort = date  # default",
 * "host = x  # FILE:3", "default_account = a  # command line",
 * "mouse = yes  # changed, not saved"; unset options show "<unset>", an
 * unset port or spool the value derived.  Sensitive values are shown as
 * "********".  Then the key bindings.  Appended to out.
 */
void	 conf_dump(const struct conf *, struct buf *out);

#endif
