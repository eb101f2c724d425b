/* SPDX-License-Identifier: ISC */
/*
 * imap-index.h: the index fields of a message, decoded, from what the
 * index fetch returns: the header block of BODY[HEADER.FIELDS (...)]
 * (imap_fetch.header), or an ENVELOPE when a server sends one.
 *
 * Pure (msg and util only): bytes in, UTF-8 strings out, the way
 * app/local.c reads a Maildir message.  The strings live in buffers of
 * struct imap_index that are reused from one message to the next, so a
 * cold sync of many messages allocates next to nothing per message.
 */
#ifndef PONS_IMAP_IMAP_INDEX_H
#define PONS_IMAP_IMAP_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct imap_envelope;

/* The header fields the index fetch asks for (RFC 9051 section 6.4.5). */
#define IMAP_INDEX_FIELDS	"FROM TO CC SUBJECT DATE MESSAGE-ID " \
	"IN-REPLY-TO REFERENCES CONTENT-TYPE"

/* Bytes of a header block looked at; the rest is ignored. */
#define IMAP_INDEX_HDR_MAX	(256 * 1024)

/* One message's index fields.  NULL: absent. */
struct imap_index_row {
	const char	*date;		/* Date: unfolded, as sent */
	int64_t		 sent;		/* Date: in seconds UTC, -1 unknown */
	const char	*subject;	/* decoded (RFC 2047, 8-bit) */
	const char	*from;		/* unfolded, as sent */
	const char	*to;
	const char	*cc;
	const char	*from_show;	/* first From: name (decoded), else its
					 * address; "" if none */
	const char	*from_addr;	/* first From: addr-spec */
	const char	*to_show;	/* first To:, as from_show */
	const char	*message_id;	/* unfolded, as sent */
	const char	*parent;	/* "<id>": the last of References, else
					 * of In-Reply-To */
};

#define IMAP_INDEX_NBUF	13

struct imap_index {
	struct imap_index_row	 row;
	struct buf		 b[IMAP_INDEX_NBUF];	/* row's strings */
};

void	 imap_index_init(struct imap_index *);
void	 imap_index_fini(struct imap_index *);

/*
 * Fill ix->row from the header block h[0..len) (NULL for none: an empty
 * row).  Lenient like msg/rfc5322.h: never fails; a field that cannot be
 * read is left out.  Returns &ix->row, borrowed until the next fill or
 * imap_index_fini.
 */
const struct imap_index_row *imap_index_fill(struct imap_index *ix,
	    const char *h, size_t len);
/* The same from an ENVELOPE (parent: its In-Reply-To). */
const struct imap_index_row *imap_index_fill_env(struct imap_index *ix,
	    const struct imap_envelope *env);

#endif
