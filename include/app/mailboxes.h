/* SPDX-License-Identifier: ISC */
/*
 * mailboxes.h: the folder list, as the folder screen shows it.  Every
 * configured account (name, protocol) and under it its folders, each with
 * a total and an unread count when known and its SPECIAL-USE role
 * (RFC 6154).  No curses, no network: the app feeds it from LIST/STATUS
 * answers, from Maildir scans and from the open folder's live model.
 *
 * Entries are read through a flat, ordered view: an account header, then
 * its folders (INBOX first, then by name, children after their parent),
 * then the next account.  Entry pointers are borrowed until the next call
 * that changes the list.
 */
#ifndef PONS_APP_MAILBOXES_H
#define PONS_APP_MAILBOXES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum mbx_proto {
	MBX_PROTO_IMAP,
	MBX_PROTO_POP3,		/* the spool Maildir (and its subfolders) */
	MBX_PROTO_LOCAL,	/* pons -f MAILDIR */
};

enum mbx_role {
	MBX_ROLE_NONE,
	MBX_ROLE_INBOX,
	MBX_ROLE_DRAFTS,
	MBX_ROLE_SENT,
	MBX_ROLE_TRASH,
	MBX_ROLE_JUNK,
	MBX_ROLE_ARCHIVE,
	MBX_ROLE_ALL,
	MBX_ROLE_FLAGGED,
};

struct mbx_entry {
	bool		 header;	/* an account line, not a folder */
	size_t		 account;	/* index of its account */
	enum mbx_proto	 proto;
	const char	*name;		/* folder: full name (UTF-8); header:
					 * the account's name */
	const char	*label;		/* folder: last level of the name */
	const char	*path;		/* Maildir folders: the directory */
	int		 depth;		/* folder: levels below the top */
	enum mbx_role	 role;
	bool		 noselect;	/* a level that holds no messages */
	bool		 counted;	/* total and unread are known */
	uint32_t	 total, unread;
	bool		 current;	/* the open folder */
};

struct mailboxes;

struct mailboxes	*mailboxes_new(void);
void			 mailboxes_free(struct mailboxes *);

/*
 * Add an account (name copied) and return its index, or the index of the
 * account already of that name.
 */
size_t		 mailboxes_account_add(struct mailboxes *, const char *name,
		    enum mbx_proto);
size_t		 mailboxes_accounts(const struct mailboxes *);
/* The account of that name, or (size_t)-1. */
size_t		 mailboxes_account_find(const struct mailboxes *,
		    const char *name);
const char	*mailboxes_account_name(const struct mailboxes *, size_t);

/*
 * Add or update folder name (copied) of account acct: delim is its
 * hierarchy separator (0 for none), path its Maildir directory (copied;
 * NULL for IMAP).  Counts are kept.  Returns true if something changed.
 * An account holds at most MAILBOXES_MAX folders (lookups are linear);
 * more are left out.
 */
#define MAILBOXES_MAX	2000
bool		 mailboxes_folder_put(struct mailboxes *, size_t acct,
		    const char *name, char delim, const char *path,
		    enum mbx_role, bool noselect);
/* Set a folder's counts; false if unknown or unchanged. */
bool		 mailboxes_counts_set(struct mailboxes *, size_t acct,
		    const char *name, uint32_t total, uint32_t unread);
/*
 * A full listing of acct starts: folders not put again before
 * mailboxes_sweep() are removed by it.  sweep returns true if any went.
 */
void		 mailboxes_mark(struct mailboxes *, size_t acct);
bool		 mailboxes_sweep(struct mailboxes *, size_t acct);
/* Remove every folder of acct (its header stays). */
void		 mailboxes_clear(struct mailboxes *, size_t acct);
/* Mark folder name of acct as the open one (NULL: none open). */
void		 mailboxes_current_set(struct mailboxes *, size_t acct,
		    const char *name);

/* A number that grows with every change (to tell whether to redraw). */
uint64_t		 mailboxes_generation(const struct mailboxes *);

/* The flat view: headers and folders, in display order. */
size_t			 mailboxes_count(struct mailboxes *);
const struct mbx_entry	*mailboxes_at(struct mailboxes *, size_t i);
/* Position of folder name of acct in the flat view, or (size_t)-1. */
size_t			 mailboxes_find(struct mailboxes *, size_t acct,
			    const char *name);
/* Position of the current folder, or (size_t)-1. */
size_t			 mailboxes_current(struct mailboxes *);
/*
 * The selectable folder names of acct, NULL-terminated, in display order:
 * a new array of new strings (mailboxes_names_free()).  *n gets how many.
 */
char			**mailboxes_names(struct mailboxes *, size_t acct,
			    size_t *n);
void			 mailboxes_names_free(char **);

/* The role of IMAP LIST attributes (IMAP_MBOX_* bits), or MBX_ROLE_NONE. */
enum mbx_role		 mailboxes_role_of_attrs(unsigned int attrs);
/* A short word for role ("sent"), or "" for none. */
const char		*mailboxes_role_name(enum mbx_role);

/*
 * Scan the Maildir at root for acct: root as INBOX, every Maildir++
 * subfolder (".A.B" as "A/B") with its counts (new/ plus cur/ files
 * without the S flag are unread).  Folders that went are removed.
 * Returns 0, or -1 with e set if root is not readable.
 */
int			 mailboxes_scan_maildir(struct mailboxes *, size_t acct,
			    const char *root, struct err *e);
/* Count the messages of one Maildir directory.  0, or -1 with e. */
int			 mailboxes_maildir_counts(const char *dir,
			    uint32_t *total, uint32_t *unread, struct err *e);

#endif
