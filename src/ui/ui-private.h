/* SPDX-License-Identifier: ISC */
/*
 * ui-private.h: what the screens of ui/ share.  A screen is a small
 * vtable (tmux's window modes): draw, act on an action, react to model
 * changes.  Screens are stacked: index at the bottom, then pager, the
 * attachments list, help.  A prompt is modal on the last line.
 */
#ifndef PONS_UI_PRIVATE_H
#define PONS_UI_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <curses.h>

#include "ui/keymap.h"
#include "ui/lineedit.h"
#include "ui/ui.h"
#include "util/buf.h"

struct app;
struct conf;
struct loop;
struct loop_fd;
struct loop_timer;
struct msgview;
struct screen;

enum ui_color {
	UIC_NORMAL,
	UIC_INDICATOR,		/* the current index line */
	UIC_STATUS,		/* status bar */
	UIC_TITLE,		/* top help line */
	UIC_HEADER,		/* pager header lines */
	UIC_QUOTE1, UIC_QUOTE2, UIC_QUOTE3, UIC_QUOTE4,
	UIC_SIGNATURE,
	UIC_ATTACHMENT,
	UIC_NOTE,		/* pons's own remarks in the pager */
	UIC_SEARCH,		/* search matches */
	UIC_TREE,		/* thread tree */
	UIC_NEW,		/* unread lines in the index */
	UIC_FLAGGED,
	UIC_DELETED,
	UIC_ERROR,		/* error on the message line */
	UIC_COUNT
};

enum ui_mouse { UI_MOUSE_CLICK, UI_MOUSE_WHEEL_UP, UI_MOUSE_WHEEL_DOWN };

struct screen_ops {
	const char	*name;
	enum keymap_id	 map;
	void		(*draw)(struct ui *, struct screen *);
	/* False if the screen does not know the action. */
	bool		(*action)(struct ui *, struct screen *, enum action);
	void		(*mouse)(struct ui *, struct screen *, enum ui_mouse,
			    int y, int x);
	/* The folder's rows changed (expunge, new mail, re-sort). */
	void		(*folder_changed)(struct ui *, struct screen *);
	void		(*free)(struct screen *);
};

struct screen {
	const struct screen_ops	*ops;
	struct screen		*below;
};

/* Prompt kinds, each with its own history. */
enum ui_hist { UI_HIST_SEARCH, UI_HIST_LIMIT, UI_HIST_PATH, UI_HIST_COMMAND,
    UI_HIST_FOLDER, UI_HIST_COUNT };

/* text NULL: cancelled.  Called after the prompt is gone. */
typedef void	(*ui_prompt_cb)(struct ui *, const char *text, void *arg);
/* key -1: cancelled. */
typedef void	(*ui_choice_cb)(struct ui *, int key, void *arg);

struct ui_prompt {
	char			*question;
	struct lineedit		 le;
	bool			 choice;	/* one key answers */
	bool			 secret;	/* echo '*', no history, wiped */
	char			*choices;	/* allowed keys (choice) */
	ui_prompt_cb		 done;
	ui_choice_cb		 chosen;
	void			*arg;
	/* Tab: completes the text instead of a file path (may be NULL). */
	void			(*complete)(struct ui *, struct lineedit *,
				    void *arg);
};

/* Settings read from the configuration at start. */
struct ui_settings {
	bool		 mouse;		/* wheel scrolls, click selects */
	bool		 threads;	/* index starts threaded */
	int		 sort;		/* enum folder_sort */
	bool		 reverse;
	bool		 help_bar;	/* keys on the top line */
	bool		 mark_read;	/* opening a message marks it read */
	int64_t		 mark_read_delay; /* seconds; 0: at once */
	bool		 confirm_quit;
	bool		 confirm_delete;
	char		**headers;	/* pager header fields, or NULL */
	bool		 wrap;		/* pager_wrap: false = cut lines */
	int		 context;	/* pager_context: lines kept */
	char		*index_format;	/* set by the user, or NULL */
	char		*date_format;	/* set by the user, or NULL */
	char		*date_recent;	/* set by the user, or NULL */
	bool		 colour_set[UIC_COUNT];	/* from [colors] */
	short		 fg[UIC_COUNT];
	short		 bg[UIC_COUNT];
	attr_t		 attrs[UIC_COUNT];
	bool		 sidebar;	/* folder list beside the index */
};

struct ui {
	struct loop		*loop;
	struct loop_fd		*tty;
	struct app		*app;
	struct keymap		*km;
	struct ui_settings	 opt;
	struct screen		*top;		/* stack of screens */
	struct screen		*index;		/* bottom of the stack */
	struct ui_prompt	*prompt;	/* modal, or NULL */
	struct lineedit_history	 hist[UI_HIST_COUNT];
	attr_t			 attr[UIC_COUNT];
	bool			 dirty;
	bool			 urgent;	/* draw now, not at the frame */
	uint64_t		 drawn_at;	/* loop ms of the last draw */
	bool			 drawn_empty;	/* it showed no rows */
	struct loop_timer	*frame;		/* the next draw, when due */
	bool			 clear;		/* full repaint (^L, resize) */
	bool			 done;
	bool			 curses;	/* between initscr and endwin */
	bool			 pop3_noted;
	char			 note[512];
	bool			 note_error;
	time_t			 now;		/* cached per pass */
	struct buf		 scratch;
	char			*conf_path;	/* file the settings screen edits */
	/* The configuration ui->opt reflects, for what a reload changes:
	   the one given to ui_new() (borrowed) or conf_owned. */
	const struct conf	*conf_base;
	struct conf		*conf_owned;	/* read by a reload or a save */
	/* The next key goes here instead of the key maps (settings: bind). */
	void			(*grab)(struct ui *, int key, void *arg);
	void			*grab_arg;
	/* A password asked for while another prompt was open: asked after. */
	struct loop_timer	*pw_later;
	char			 pw_account[128];
};

/*
 * Read [ui] options, [colors] and [keys.SCREEN] from conf into ui->opt
 * and ui->km.  Problems (a key pons cannot read) become a note.
 */
void	 ui_conf_apply(struct ui *, const struct conf *);
/* Reset options, colours and keys, then apply conf's (kept: nothing). */
void	 ui_conf_reapply(struct ui *, const struct conf *);
/*
 * Reload the configuration file (SIGHUP, reload-config) and apply what
 * applies live; the note says what applied and what waits for the next
 * start.  A broken file is reported as FILE:LINE and changes nothing.
 */
void	 ui_conf_reload(struct ui *);
/* The settings screen saved the file: it is the new base for a reload. */
void	 ui_conf_saved(struct ui *);
/* Re-sort and re-thread the open folder after sort options changed. */
void	 ui_conf_resort(struct ui *);

/* Act on one key (a KEYMAP_* key code), as if typed. */
void	 ui_key(struct ui *, int key);
/* Draw the whole screen now (the pass callback does it when dirty). */
void	 ui_draw(struct ui *);

/* Mark the screen for redraw at the end of this loop pass. */
void	 ui_dirty(struct ui *);
/* Show text on the message line (error: in the error colour). */
void	 ui_note(struct ui *, bool error, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 ui_push(struct ui *, struct screen *);
/* Pop and free the top screen (never the index). */
void	 ui_pop(struct ui *);
/* Ask for a line of text. */
void	 ui_prompt_line(struct ui *, const char *question, const char *initial,
	    enum ui_hist, ui_prompt_cb, void *arg);
/* Tab in the open line prompt calls cb(ui, editor, the prompt's arg). */
void	 ui_prompt_complete_set(struct ui *,
	    void (*cb)(struct ui *, struct lineedit *, void *));
/* Ask for a password: shown as '*', kept out of history, wiped after cb. */
void	 ui_prompt_secret(struct ui *, const char *question, ui_prompt_cb,
	    void *arg);
/* Ask for one key among choices ("yn"). */
void	 ui_prompt_choice(struct ui *, const char *question, const char *choices,
	    ui_choice_cb, void *arg);
/*
 * Give the terminal to an external command: endwin, run sh -c cmd with
 * input (if not NULL) on its stdin, wait, "press a key" if it failed,
 * restore.  Returns the exit status or -1.
 */
int	 ui_run_command(struct ui *, const char *cmd, const struct buf *input,
	    bool wait_key);
/* Draw sanitized text at (y, x), at most cols columns, in attribute a. */
void	 ui_put(struct ui *, int y, int x, int cols, attr_t a, const char *s,
	    size_t len, bool pad);
/* Draw the status bar at line y with text (sanitized, padded). */
void	 ui_status_bar(struct ui *, int y, const char *text);
/* Rows available to a screen's body: LINES minus title, status, message. */
int	 ui_body_rows(void);

/* The top line: the main keys of map, from the live key map. */
void	 screen_title(struct ui *, enum keymap_id);

/* Screens. */
struct screen	*screen_index_new(struct ui *);
/* The row (folder row number) under the index cursor, or UINT32_MAX. */
uint32_t	 screen_index_current(struct screen *);
/* Move the index cursor by delta undeleted (skip) entries; false at end. */
bool		 screen_index_step(struct ui *, struct screen *, int delta,
		    bool skip_deleted);
void		 screen_index_status(struct ui *, struct buf *out);
/* Forget the cursor and limit: another folder is being opened. */
void		 screen_index_reset(struct ui *, struct screen *);
/* The folder screen (screen-folders.c): accounts and their folders. */
struct screen	*screen_folders_new(struct ui *);
/*
 * With sidebar = yes and room for it, draw the folder list in the left
 * columns of the body and return how many columns it took; else 0.
 */
int		 screen_folders_sidebar(struct ui *);
/*
 * s / C on row (index or pager): ask for a folder (completion, history),
 * "create?" for a missing local one, then app_message_transfer().  after
 * (may be NULL) runs once the request was made; removed says the row
 * already left the folder (local move).
 */
void		 screen_index_transfer(struct ui *, uint32_t row, bool move,
		    void (*after)(struct ui *, bool removed));
/* "Create folder? (y/n)" for a move or copy of row the server refused
 * for want of folder; on y, app_message_transfer() with create. */
void		 screen_index_transfer_ask(struct ui *, uint32_t row,
		    const char *folder, bool move);
/*
 * The pager of row, or NULL (with the reason on the message line) if its
 * text cannot be had; a text still on its way shows as "loading".
 */
struct screen	*screen_pager_new(struct ui *, uint32_t row);
/*
 * message_ready for row (e: why it failed, or NULL): if s is a pager
 * waiting for row, it shows the text (or the reason); else nothing.
 */
struct err;
void		 screen_pager_ready(struct ui *, struct screen *, uint32_t row,
		    const struct err *e);
struct screen	*screen_help_new(struct ui *, enum keymap_id);
struct screen	*screen_attach_new(struct ui *, struct msgview *);
/*
 * The settings screen (screen-settings.c): edits its own copy of the file
 * ui->conf_path.  NULL (with a note) if the file cannot be read.  With
 * standalone, leaving it leaves pons (pons --settings without a folder).
 */
struct screen	*screen_settings_new(struct ui *, bool standalone);

/* Set up colours and the mouse from ui->opt again (after a settings save). */
void	 ui_colors(struct ui *);
void	 ui_mouse(const struct ui *);
/* A config key to a key code; -1 if pons cannot receive it. */
struct conf_keyspec;
int	 ui_conf_key(const struct conf_keyspec *);

#endif
