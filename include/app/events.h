/* SPDX-License-Identifier: ISC */
/*
 * events.h: what the app layer tells the UI.  A fixed table of callbacks
 * the UI hands to app_new(); each may be NULL.  Called from the loop, never
 * from inside a UI call into the app (so a handler may call app_*()).
 */
#ifndef PONS_APP_EVENTS_H
#define PONS_APP_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

struct err;

enum app_note {
	APP_NOTE_INFO,		/* "3 messages expunged" */
	APP_NOTE_ERROR,		/* shown until the next note */
};

struct app_events {
	/* Rows were added, removed or reordered in the open folder. */
	void	(*folder_changed)(void *arg);
	/* One row's flags changed (by us or by another client). */
	void	(*row_changed)(void *arg, uint32_t row);
	/* The connection state words changed (app_state_text()). */
	void	(*state_changed)(void *arg);
	/* A line for the status bar; text is borrowed for the call. */
	void	(*note)(void *arg, enum app_note, const char *text);
	/*
	 * The account has no password in the configuration: ask the user
	 * and answer with app_password_set() (or not at all).
	 */
	void	(*need_password)(void *arg, const char *account);
	/*
	 * The text of row, which app_message_open() was fetching, is here
	 * (e NULL: open it again), or could not be had (e: why, borrowed).
	 */
	void	(*message_ready)(void *arg, uint32_t row, const struct err *e);
	/* The folder list (app_mailboxes()) changed: folders or counts. */
	void	(*folders_changed)(void *arg);
	/*
	 * The server refused to move or copy row because folder does not
	 * exist ([TRYCREATE]); the row shows as before.  Ask, and on yes
	 * call app_message_transfer(row, folder, move, create true).
	 */
	void	(*ask_create)(void *arg, uint32_t row, const char *folder,
		    bool move);
};

#endif
