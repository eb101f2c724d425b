/* SPDX-License-Identifier: ISC */
/*
 * settings.h: the settings screen's row model, shared by
 * screen-settings.c and settings-rows.c (and its unit test).  The rows
 * come from the option table, the accounts of a conf and the action
 * registry; formatting and searching them is pure (no curses calls).
 */
#ifndef PONS_UI_SETTINGS_H
#define PONS_UI_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "config/conf.h"
#include "config/options.h"
#include "ui/keymap.h"
#include "util/buf.h"

enum srow_kind {
	SROW_SECTION,		/* a heading: "General", "Account \"home\"" */
	SROW_OPTION,		/* one option of the globals or of an account */
	SROW_KEY,		/* the keys bound to one action on one screen */
	SROW_ADD_ACCOUNT,	/* "add an account" */
};

struct srow {
	enum srow_kind	 kind;
	enum opt_id	 id;		/* OPTION */
	char		*account;	/* owned; OPTION or SECTION of an
					   account, else NULL */
	enum keymap_id	 map;		/* KEY */
	enum action	 act;		/* KEY */
	const char	*title;		/* SECTION (static text or account) */
};

struct srows {
	struct srow	*v;
	size_t		 n;
};

/*
 * Build the rows for conf: General, Display ([ui] then [colors]), Keys
 * (every action of every screen but the prompt), then one section per
 * account (options of the other protocol left out) and "add an account".
 * Free with settings_rows_free().
 */
void	 settings_rows_build(struct srows *, const struct conf *);
void	 settings_rows_free(struct srows *);

/* The account of row (OPTION or SECTION), or NULL. */
struct conf_account *settings_row_account(const struct srow *,
	    const struct conf *);
/* The option storage of an OPTION row (globals or its account's). */
const struct opts *settings_row_opts(const struct srow *,
	    const struct conf *);

/* Name column: "sort", "index: delete-message". */
void	 settings_row_name(const struct srow *, struct buf *out);
/*
 * Value column: the option as written in the file; a sensitive one only
 * "(set)" or "(unset)"; an unset one "(unset)" or the value derived
 * ("993 (default)"); for a KEY row the keys bound in km ("d, <Delete>")
 * or "(none)".
 */
void	 settings_row_value(const struct srow *, const struct conf *,
	    const struct keymap *km, struct buf *out);
/* True if the row differs from the default (km against defaults). */
bool	 settings_row_changed(const struct srow *, const struct conf *,
	    const struct keymap *km, const struct keymap *defaults);
/* One line of help (static), with the range or choices for the type. */
void	 settings_row_help(const struct srow *, struct buf *out);
/*
 * True if every word of query (case-insensitive) is in the row's name or
 * its help.  An empty query matches nothing; sections never match.
 */
bool	 settings_row_match(const struct srow *, const char *query);
/*
 * The whole line: marks (2 columns: '*' differs from the default, '+'
 * changed and not saved), the name padded to namew bytes, the value.
 */
void	 settings_row_format(const struct srow *, const struct conf *,
	    const struct keymap *km, const struct keymap *defaults,
	    bool unsaved, int namew, struct buf *out);

/*
 * A key code (keymap.h) as written in a [keys.SCREEN] section: "d",
 * "\#", "C-l", "<Enter>", "<PageDown>", "<F5>".  Returns 0, or -1 if
 * the file has no way to write it.
 */
int	 settings_key_text(int key, struct buf *out);
/* The default bindings plus those of conf.  Free with keymap_free(). */
struct keymap *settings_keymap(const struct conf *);

#endif
