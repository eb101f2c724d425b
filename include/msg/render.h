/* SPDX-License-Identifier: ISC */
/*
 * render.h: what the pager shows for a message, as lines of sanitized
 * UTF-8 with attributes the UI turns into colours.  Pure: a parsed MIME
 * tree in, lines out; it never prints, and it runs no programs: an
 * external HTML converter is reached through a callback that app/
 * provides (mailcap-style copiousoutput).
 *
 * Layout: a header block (the configured fields, decoded), an empty
 * line, then the body: each inline text part (of an alternative, the
 * one mime_alternative_pick() chooses; format=flowed reflowed; HTML
 * converted), attached messages inline with their own header block,
 * notes for deviations, and at the end the list of attachments.  Every
 * line is passed through the sanitizer and wrapped at the width.
 */
#ifndef PONS_MSG_RENDER_H
#define PONS_MSG_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct mime_msg;

#define RENDER_QUOTE_MAX	32	/* quote depth recorded */
#define RENDER_LINES_MAX	1000000	/* lines produced; then a note */

enum render_attr {
	RENDER_TEXT = 0,	/* body text */
	RENDER_HEADER,		/* "Name: value"; name_len covers "Name:" */
	RENDER_QUOTE,		/* quoted text; quote says how deep */
	RENDER_SIG,		/* the signature, from a "-- " line on */
	RENDER_ATTACH,		/* an entry of the attachment list */
	RENDER_NOTE,		/* pons's own remark: "[-- ... --]" */
};

struct render_line {
	char		*text;		/* sanitized UTF-8, NUL-terminated */
	size_t		 len;		/* bytes */
	enum render_attr attr;
	uint8_t		 quote;		/* quote depth, for RENDER_QUOTE */
	uint16_t	 name_len;	/* RENDER_HEADER: bytes of "Name:" */
};

/*
 * External HTML converter: append the text for html[0..len) (UTF-8) to
 * out and return 0, or return -1 to fall back to the built-in converter.
 */
typedef int (*render_html_cb)(void *arg, const char *html, size_t len,
    struct buf *out);

struct render_opts {
	int		 width;		/* wrap column; 0 = no wrapping */
	const char *const *headers;	/* field names, NULL-terminated;
					 * NULL = From To Cc Date Subject */
	const char	*assumed_charset; /* for unlabelled 8-bit text */
	render_html_cb	 html_cb;	/* NULL: built-in converter only */
	void		*html_arg;
};

struct render_doc {
	struct render_line *v;		/* owned */
	size_t		 n;
	size_t		 cap;
};

/*
 * Render m into doc (which must be zeroed or finished).  opts may be NULL
 * for the defaults (width 80).  Never fails.  Free with
 * render_doc_fini().
 */
void	 render_message(struct render_doc *doc, const struct mime_msg *m,
	    const struct render_opts *opts);
void	 render_doc_fini(struct render_doc *);
/* Append all lines to out, each followed by LF. */
void	 render_doc_text(const struct render_doc *, struct buf *out);

/*
 * Append the wrapped, sanitized lines of one text (LF-separated UTF-8)
 * to doc, classifying quotes and the signature as in a message body.
 * For viewers of other text (the UI's help, a server alert).
 */
void	 render_text(struct render_doc *doc, const char *p, size_t len,
	    int width);

#endif
