/* SPDX-License-Identifier: ISC */
/*
 * keymap.h: key maps per screen and the action registry.
 *
 * A key is an int: a Unicode code point for a character key (control keys
 * are their C0 code: ^L is 12), or KEYMAP_FN | an ncurses KEY_* code for a
 * function key.  Actions are a fixed table (name, help, screens); a screen
 * implements the actions of its map.  Default bindings are those a mutt
 * user knows; [keys.SCREEN] sections of the config rebind them.
 */
#ifndef PONS_UI_KEYMAP_H
#define PONS_UI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define KEYMAP_FN	0x40000000	/* flag: ncurses function key code */

enum keymap_id {
	KEYMAP_INDEX,
	KEYMAP_PAGER,
	KEYMAP_ATTACH,
	KEYMAP_HELP,
	KEYMAP_PROMPT,
	KEYMAP_SETTINGS,
	KEYMAP_FOLDERS,
	KEYMAP_COUNT
};

enum action {
	ACT_NONE = 0,
	/* movement in lists */
	ACT_NEXT_ENTRY, ACT_PREVIOUS_ENTRY, ACT_NEXT_PAGE, ACT_PREVIOUS_PAGE,
	ACT_HALF_DOWN, ACT_HALF_UP, ACT_FIRST_ENTRY, ACT_LAST_ENTRY,
	/* pager movement */
	ACT_NEXT_LINE, ACT_PREVIOUS_LINE, ACT_TOP, ACT_BOTTOM,
	ACT_NEXT_UNDELETED, ACT_PREVIOUS_UNDELETED,
	/* messages */
	ACT_DISPLAY_MESSAGE, ACT_DELETE, ACT_UNDELETE, ACT_SYNC,
	ACT_TOGGLE_NEW, ACT_FLAG, ACT_SORT, ACT_SORT_REVERSE,
	ACT_TOGGLE_THREADS, ACT_LIMIT, ACT_SEARCH, ACT_SEARCH_NEXT,
	ACT_SEARCH_OPPOSITE, ACT_TOGGLE_HEADERS, ACT_VIEW_ATTACHMENTS,
	ACT_CHANGE_FOLDER, ACT_SAVE_MESSAGE, ACT_COPY_MESSAGE, ACT_REPLY,
	ACT_GROUP_REPLY, ACT_FORWARD, ACT_MAIL, ACT_FETCH_MAIL,
	/* attachments */
	ACT_SAVE_ENTRY, ACT_PIPE_ENTRY, ACT_VIEW_MAILCAP,
	/* anywhere */
	ACT_HELP, ACT_REDRAW, ACT_EXIT, ACT_QUIT, ACT_SUSPEND,
	/* prompt editing */
	ACT_EDIT_BOL, ACT_EDIT_EOL, ACT_EDIT_KILL_EOL, ACT_EDIT_KILL_LINE,
	ACT_EDIT_KILL_WORD, ACT_EDIT_BACKSPACE, ACT_EDIT_DELETE,
	ACT_EDIT_LEFT, ACT_EDIT_RIGHT, ACT_EDIT_HISTORY_UP,
	ACT_EDIT_HISTORY_DOWN, ACT_EDIT_COMPLETE, ACT_EDIT_ACCEPT,
	ACT_EDIT_CANCEL,
	/* settings screen */
	ACT_SETTINGS, ACT_EDIT_OPTION, ACT_RESET_OPTION, ACT_SAVE_SETTINGS,
	ACT_ACCOUNT_ADD, ACT_ACCOUNT_RENAME, ACT_ACCOUNT_REMOVE,
	/* configuration */
	ACT_RELOAD_CONFIG,
	/* folder screen */
	ACT_OPEN_FOLDER, ACT_OPEN_MAILDIR, ACT_REFRESH_FOLDERS,
	ACT_COUNT
};

struct action_def {
	const char	*name;		/* "next-entry": used in the config */
	const char	*help;		/* one line for the ? screen */
	unsigned int	 maps;		/* bit (1 << KEYMAP_*) where it works */
};

/* The registry, indexed by enum action. */
extern const struct action_def	 action_defs[ACT_COUNT];

struct keymap_entry {
	int		 key;
	enum action	 action;
};

struct keymap;

/* A key map set with the default bindings.  Free with keymap_free(). */
struct keymap	*keymap_new(void);
void		 keymap_free(struct keymap *);
/* Action bound to key in map id, or ACT_NONE. */
enum action	 keymap_get(const struct keymap *, enum keymap_id, int key);
/* Bind (or with ACT_NONE unbind) key in map id. */
void		 keymap_bind(struct keymap *, enum keymap_id, int key,
		    enum action);
/*
 * Bind from config text: screen ("index", "pager", "attach", "help",
 * "prompt"), key name, action name ("none" unbinds).  Returns 0, or -1
 * with e set (ERR_INPUT) naming what is wrong.
 */
int		 keymap_bind_text(struct keymap *, const char *screen,
		    const char *key, const char *action, struct err *e);
/* The bindings of map id, sorted by action then key, into out (max n);
 * returns how many there are (may exceed n). */
size_t		 keymap_list(const struct keymap *, enum keymap_id,
		    struct keymap_entry *out, size_t n);

/*
 * A key bound to action in map id for hints: the first printable one
 * bound (in binding order), else the first one; -1 if none.
 */
int		 keymap_key_for(const struct keymap *, enum keymap_id,
		    enum action);
/* Action by name, or ACT_NONE. */
enum action	 action_find(const char *name);
/* Map id by screen name, or -1. */
int		 keymap_id_find(const char *screen);
const char	*keymap_id_name(enum keymap_id);
/*
 * Parse a key name: "j", "é", "^L" or "C-l", "<Enter>", "<Up>",
 * "<PageDown>", "<F1>"...  (case-insensitive inside <>).  -1 with e set.
 */
int		 keymap_key_parse(const char *name, int *key, struct err *e);
/* Name of key as keymap_key_parse() reads it, into out (size n). */
void		 keymap_key_name(int key, char *out, size_t n);

#endif
