/* SPDX-License-Identifier: ISC */
/*
 * mime.h: the MIME part tree of a message (RFC 2045, RFC 2046, RFC 2183).
 * Pure: message bytes in, a flat pre-order array of parts out; bodies are
 * views into the caller's bytes (or into buffers the tree owns when a
 * message/rfc822 part had to be transfer-decoded first).  Never fails on
 * ugly mail: whatever cannot be parsed becomes a leaf, and the deviation
 * is recorded as a MIME_NOTE_* flag.
 *
 * Lenient where real mail is broken: a leading mbox "From " line, missing
 * MIME-Version, a missing final boundary (the last part runs to the end),
 * boundaries that prefix one another (a delimiter must be followed by
 * "--", white space or the line end), parts without a header/body
 * separator, a multipart without a boundary (read as text/plain), bad
 * base64 and quoted-printable (see codec.h), unknown transfer encodings
 * (copied as they are), a message/rfc822 part in base64.
 */
#ifndef PONS_MSG_MIME_H
#define PONS_MSG_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg/codec.h"
#include "msg/rfc5322.h"

struct buf;
struct err;

#define MIME_DEPTH_MAX		32	/* nesting of multiparts and messages */
#define MIME_PARTS_MAX		2000	/* parts kept per message */
#define MIME_NONE		UINT32_MAX

/* Deviations, or-ed into mime_msg.notes and mime_part.notes. */
#define MIME_NOTE_NO_END	0x0001	/* multipart without close delimiter */
#define MIME_NOTE_NO_BOUNDARY	0x0002	/* multipart without boundary: text */
#define MIME_NOTE_NO_PARTS	0x0004	/* multipart with no delimiter at all */
#define MIME_NOTE_DEPTH		0x0008	/* nesting limit: kept as a leaf */
#define MIME_NOTE_PARTS		0x0010	/* part limit: later parts dropped */
#define MIME_NOTE_CTE		0x0020	/* unknown transfer encoding: copied */
#define MIME_NOTE_NO_SEP	0x0040	/* no empty line after the header */
#define MIME_NOTE_HDR_LIMIT	0x0080	/* header block over a limit */

struct mime_part {
	char		*type;		/* effective type, lower case, e.g.
					 * "text/plain"; never NULL */
	char		*charset;	/* declared label, lower case, or NULL */
	char		*filename;	/* decoded UTF-8, or NULL */
	char		*disposition;	/* lower case ("inline", ...), or NULL */
	char		*cte;		/* declared, lower case, or NULL */
	char		*boundary;	/* multiparts only, else NULL */
	char		*content_id;	/* without brackets, or NULL */
	enum codec_type	 codec;
	bool		 flowed;	/* text/plain; format=flowed */
	bool		 delsp;		/* ... with delsp=yes */
	struct rfc5322_hdr hdr;		/* this part's own header fields */
	const char	*body;		/* raw (still encoded) body: a view */
	size_t		 bodylen;
	size_t		 size;		/* decoded size, bytes */
	uint32_t	 index;		/* pre-order number = array index */
	uint32_t	 parent;	/* MIME_NONE for the message itself */
	uint32_t	 depth;
	uint32_t	 nchildren;	/* direct children */
	uint32_t	 next;		/* next sibling, or MIME_NONE */
	uint32_t	 child;		/* first child, or MIME_NONE */
	unsigned int	 notes;
};

struct mime_msg {
	const char	*raw;		/* the message bytes (borrowed) */
	size_t		 rawlen;
	struct mime_part *parts;	/* pre-order; parts[0] is the message */
	size_t		 nparts;
	size_t		 cap;
	unsigned int	 notes;		/* all parts' notes or-ed */
	char		**bufs;		/* decoded message/rfc822 bodies */
	size_t		 nbufs;
};

/*
 * Parse the message p[0..len) (an mbox "From " first line is skipped).
 * p must outlive m.  Returns 0, or -1 only when len is 0 (ERR_INPUT):
 * every non-empty input gives at least parts[0].  Free with
 * mime_msg_fini() in every case.
 */
int	 mime_parse(struct mime_msg *m, const char *p, size_t len,
	    struct err *e);
void	 mime_msg_fini(struct mime_msg *);

/* Append the transfer-decoded body of part to out. */
void	 mime_part_decode(const struct mime_part *, struct buf *out);
/*
 * Append the body of a text part transfer-decoded, converted to UTF-8
 * (charset.h rules; assumed may be NULL) and with CRLF and lone CR made
 * LF.  Returns the CHARSET_* flags of the conversion.
 */
unsigned int mime_part_text(const struct mime_part *, const char *assumed,
	    struct buf *out);
/* True if part is "attachment", or inline but neither text nor multipart
 * nor message. */
bool	 mime_part_is_attachment(const struct mime_part *);
/*
 * The child of multipart/alternative part alt to show: the first
 * non-empty text/plain, else the first multipart or message, else the
 * first text/html, else the first other text type (or empty text/plain);
 * attachments never; MIME_NONE if none.
 */
uint32_t mime_alternative_pick(const struct mime_msg *, uint32_t alt);
/*
 * The root part of multipart/related part idx: the child whose
 * Content-ID is the "start" parameter, else the first child (RFC 2387
 * section 3.2); MIME_NONE if it has no children.
 */
uint32_t mime_related_start(const struct mime_msg *, uint32_t idx);
/*
 * The best text part: the first text/plain met in a walk of the tree in
 * order (attachments skipped, a multipart/related entered only through
 * its start part, attached messages not entered), else the first
 * text/html met; MIME_NONE if neither.  The same choice as Python's
 * email.message.EmailMessage.get_body(("plain", "html")).
 */
uint32_t mime_text_part(const struct mime_msg *);

#endif
