/* SPDX-License-Identifier: ISC */
/*
 * msgview.h: one message prepared for the pager: logical lines of UTF-8
 * text, each with an attribute (header, quote depth, signature, ...), and
 * the list of its parts for the attachments view.  The text is decoded but
 * NOT sanitized: the UI passes every line through its sanitizing renderer.
 */
#ifndef PONS_APP_MSGVIEW_H
#define PONS_APP_MSGVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

enum msgview_attr {
	MSGVIEW_TEXT,
	MSGVIEW_HEADER,		/* a header line */
	MSGVIEW_QUOTE,		/* quoted text; depth in quote */
	MSGVIEW_SIGNATURE,	/* after "-- " */
	MSGVIEW_ATTACHMENT,	/* "[-- Attachment #2: ... --]" */
	MSGVIEW_NOTE,		/* pons's own remark (decode problem, ...) */
};

struct msgview_line {
	const char		*text;	/* UTF-8, not NUL-terminated */
	size_t			 len;
	enum msgview_attr	 attr;
	unsigned int		 quote;	/* quote depth, 1.. */
	size_t			 name_len; /* MSGVIEW_HEADER: bytes of "Name:" */
};

struct msgview_part {
	const char	*type;		/* "text/plain" */
	const char	*name;		/* file name or "" */
	size_t		 size;		/* decoded bytes */
	unsigned int	 depth;		/* nesting, for the tree */
};

struct msgview;

struct msgview_opts {
	bool		 full;		/* every header field */
	const char *const *headers;	/* else these, in this order
					   (NULL-terminated; NULL: From To
					   Cc Date Subject) */
};

/*
 * A view of the message raw[0..len) (copied); opts (copied, may be NULL).
 * Never fails: malformed mail is shown leniently with notes.
 */
struct msgview	*msgview_new(const char *raw, size_t len,
		    const struct msgview_opts *opts);
void		 msgview_free(struct msgview *);
/* Re-render with all headers on or off. */
void		 msgview_full_set(struct msgview *, bool full);
bool		 msgview_full_get(const struct msgview *);
size_t		 msgview_line_count(const struct msgview *);
/* Borrowed until the next msgview call that changes the view. */
void		 msgview_line(const struct msgview *, size_t i,
		    struct msgview_line *out);
size_t		 msgview_part_count(const struct msgview *);
/* Borrowed like msgview_line(). */
void		 msgview_part(const struct msgview *, size_t i,
		    struct msgview_part *out);
/* Append the decoded bytes of part i to out. */
int		 msgview_part_data(const struct msgview *, size_t i,
		    struct buf *out, struct err *e);
/* Write part i to path (created, not overwritten).  0 or -1 with e. */
int		 msgview_part_save(const struct msgview *, size_t i,
		    const char *path, struct err *e);
/*
 * The mailcap command for part i with %s replaced by file (quoted), from
 * ~/.mailcap, /etc/mailcap; NULL if none.  Caller frees.
 */
char		*msgview_part_mailcap(const struct msgview *, size_t i,
		    const char *file);

#endif
