/* SPDX-License-Identifier: ISC */
/*
 * folder.h: the folder model the index screen reads.  Plain data: a compact
 * array of message summaries (no heap object per message, so a folder of
 * 1,000,000 messages costs one array and one string pool), and a view: the
 * rows in display order after sorting, threading and limiting.  The model
 * never touches a file or a socket; app.c/local.c fill and change it.
 */
#ifndef PONS_APP_FOLDER_H
#define PONS_APP_FOLDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Message flags, as the index shows them. */
#define FOLDER_SEEN	0x0001	/* read (Maildir S, IMAP \Seen) */
#define FOLDER_ANSWERED	0x0002	/* replied (Maildir R) */
#define FOLDER_FLAGGED	0x0004	/* flagged (Maildir F) */
#define FOLDER_DELETED	0x0008	/* marked for expunge (Maildir T) */
#define FOLDER_DRAFT	0x0010	/* draft (Maildir D) */
#define FOLDER_PASSED	0x0020	/* forwarded (Maildir P) */
#define FOLDER_ATTACH	0x0040	/* has attachments (not a server flag) */
#define FOLDER_FROMME	0x0080	/* sent by the user: index shows "To:" */
#define FOLDER_RECENT	0x0100	/* arrived since last look (Maildir new/) */

enum folder_sort {
	FOLDER_SORT_DATE,	/* Date: header (date sent) */
	FOLDER_SORT_RECEIVED,	/* delivery time */
	FOLDER_SORT_SENDER,
	FOLDER_SORT_SUBJECT,
	FOLDER_SORT_SIZE,
	FOLDER_SORT_COUNT
};

/* One message: 48 bytes.  Strings are offsets into the folder's pool. */
struct folder_row {
	int64_t		 date;		/* Date: header, epoch seconds; 0 unknown */
	int64_t		 received;	/* delivery time, epoch seconds */
	uint32_t	 size;		/* bytes (saturated at 4 GiB) */
	uint32_t	 from;		/* pool: sender display text */
	uint32_t	 to;		/* pool: first recipient display text */
	uint32_t	 subject;	/* pool: decoded subject */
	uint32_t	 key;		/* pool: backend key (Maildir base name) */
	uint32_t	 msgid;		/* pool: Message-ID, without <> */
	uint32_t	 parent;	/* pool: last In-Reply-To/References id */
	uint16_t	 flags;		/* FOLDER_* */
	uint16_t	 spare;
	uint32_t	 order;		/* arrival order (folder_msg) */
};

/* What a loader hands to folder_add(); strings are copied. */
struct folder_msg {
	const char	*from;
	const char	*to;
	const char	*subject;
	const char	*key;
	const char	*msgid;
	const char	*parent;
	int64_t		 date;
	int64_t		 received;
	uint64_t	 size;
	unsigned int	 flags;
	/*
	 * Breaks ties of the sort key, before the order rows were added in:
	 * the order messages arrived on their server (an IMAP UID), for a
	 * backend that adds rows in another order (newest first).  0 for all
	 * rows: the order they were added in.
	 */
	uint32_t	 order;
};

struct folder_counts {
	size_t		 total;
	size_t		 unread;	/* not FOLDER_SEEN */
	size_t		 flagged;
	size_t		 deleted;
};

struct pattern;

/* A new, empty folder named name (copied).  Free with folder_free(). */
struct folder	*folder_new(const char *name);
void		 folder_free(struct folder *);
/* Borrowed until folder_free() or folder_name_set(). */
const char	*folder_name(const struct folder *);
void		 folder_name_set(struct folder *, const char *name);

/*
 * Append one message; strings are copied (each cut at 1,000 bytes).
 * Returns the row number.  The view is not updated until
 * folder_view_rebuild() (so a loader adds many rows for one rebuild).
 */
uint32_t	 folder_add(struct folder *, const struct folder_msg *);
size_t		 folder_count(const struct folder *);
/* Borrowed until the next folder_add/folder_remove_deleted. */
const struct folder_row *folder_row(const struct folder *, uint32_t row);
/* Pool text at offset off: "" for 0.  Borrowed like folder_row(). */
const char	*folder_str(const struct folder *, uint32_t off);
void		 folder_counts(const struct folder *, struct folder_counts *);

/* Replace the backend key of row (copied; e.g. a renamed Maildir file). */
void		 folder_key_set(struct folder *, uint32_t row, const char *);
/* Replace the flags of row (keeps the counts right). */
void		 folder_flags_set(struct folder *, uint32_t row, unsigned int);
/* A row's size learnt later (saturated at 4 GiB); true if it changed. */
bool		 folder_size_set(struct folder *, uint32_t row, uint64_t);
/*
 * Drop every row whose flags have FOLDER_DELETED; calls cb (if not NULL)
 * for each first.  Rebuilds the view.  Returns the number removed.
 */
size_t		 folder_remove_deleted(struct folder *,
		    void (*cb)(void *, const struct folder *, uint32_t),
		    void *arg);

/* Sort, threading and limit settings; they take effect on rebuild. */
void		 folder_sort_set(struct folder *, enum folder_sort, bool reverse);
enum folder_sort folder_sort_get(const struct folder *, bool *reverse);
void		 folder_threads_set(struct folder *, bool);
bool		 folder_threads_get(const struct folder *);
/*
 * Show only rows matching p (taken: freed by the folder), or all rows if
 * p is NULL.
 */
void		 folder_limit_take(struct folder *, struct pattern *p);
bool		 folder_is_limited(const struct folder *);
/* Recompute the display order: O(n log n).  */
void		 folder_view_rebuild(struct folder *);

/* The view: rows in display order. */
size_t		 folder_view_count(const struct folder *);
uint32_t	 folder_view_row(const struct folder *, size_t pos);
/*
 * Thread tree prefix of the view line at pos, as UTF-8 line-drawing text
 * written to out (size outsz); "" when threads are off or for a root.
 */
void		 folder_view_tree(const struct folder *, size_t pos, char *out,
		    size_t outsz);
/* Position of row in the view, or (size_t)-1 if it is limited out.  O(n). */
size_t		 folder_view_find(const struct folder *, uint32_t row);
/* Human name of a sort order ("date", "received", ...). */
const char	*folder_sort_name(enum folder_sort);

/*
 * The search match set.  folder_search_take() sets the search pattern
 * (p taken and freed by the folder; NULL drops the set); then
 * folder_search_step() matches rows in slices: the view's lines from
 * position from on (wrapping), then the rows outside the view.  Once
 * complete the set stays current on its own: folder_add() and
 * folder_flags_set() match only their row, folder_remove_deleted() and
 * folder_view_rebuild() carry the bits along, so search next costs a
 * scan of one bit per view line.  Body matches (~b) are those of the time
 * the row was matched.
 */
void		 folder_search_take(struct folder *, struct pattern *p,
		    size_t from);
/*
 * Match up to budget rows the set does not have yet.  Returns the view
 * position of the first match this call found, or (size_t)-1.
 */
size_t		 folder_search_step(struct folder *, size_t budget);
/* True when every row is matched (or there is no search). */
bool		 folder_search_complete(const struct folder *);
bool		 folder_search_active(const struct folder *);
/* Matches among the view's lines (so far, while not complete). */
size_t		 folder_search_count(const struct folder *);
/* Does the view line at pos match the search (as far as known)? */
bool		 folder_search_match(const struct folder *, size_t pos);
/*
 * The nearest matching view position after pos (before it if backward),
 * wrapping round the ends (then *wrapped is true; pos itself is found
 * last), among the rows matched so far.  Returns (size_t)-1 if none.
 * O(view / 64) at worst.
 */
size_t		 folder_search_next(const struct folder *, size_t pos,
		    bool backward, bool *wrapped);

#endif
