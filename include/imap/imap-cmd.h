/* SPDX-License-Identifier: ISC */
/*
 * imap-cmd.h: building IMAP commands (RFC 9051 section 4 and 6): tags,
 * atoms, quoted strings, literals (synchronizing, or LITERAL+/LITERAL-
 * non-synchronizing per RFC 7888), mailbox names (modified UTF-7, or
 * UTF-8 once UTF8=ACCEPT is enabled) and sequence sets.  Pure.
 */
#ifndef PONS_IMAP_IMAP_CMD_H
#define PONS_IMAP_IMAP_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct err;
struct imap_range;

enum imap_literal_mode {
	IMAP_LIT_SYNC,		/* {n}: wait for "+" before the bytes */
	IMAP_LIT_PLUS,		/* LITERAL+: {n+} always */
	IMAP_LIT_MINUS,		/* LITERAL-: {n+} up to 4096 bytes */
};

/* Largest non-synchronizing literal under LITERAL- (RFC 7888 section 5). */
#define IMAP_LITERAL_MINUS_MAX	4096

struct imap_cmd {
	struct buf		 b;	/* the command, CRLF included when ended */
	size_t			*waits;	/* offsets where the sender must wait */
	size_t			 nwaits;	/* for a "+" continuation */
	bool			 secret;	/* holds credentials */
	bool			 secret_sent;	/* SASL response went out */
	enum imap_literal_mode	 lit;
	bool			 utf8;	/* UTF8=ACCEPT is enabled */
};

/* Start "TAG " (tag NULL: no tag, e.g. DONE or a SASL line). */
void	 imap_cmd_init(struct imap_cmd *, const char *tag,
	    enum imap_literal_mode, bool utf8);
/* Free the storage (zeroed first when secret). */
void	 imap_cmd_fini(struct imap_cmd *);
/* Append raw text (keywords, numbers, spaces). */
void	 imap_cmd_add(struct imap_cmd *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Append p[0..len) as an atom if it can be one, else as a string. */
void	 imap_cmd_astring(struct imap_cmd *, const char *p, size_t len);
/* Append p[0..len) as a quoted string if it can be one, else a literal. */
void	 imap_cmd_string(struct imap_cmd *, const char *p, size_t len);
/* Append p[0..len) as a literal always (APPEND message data). */
void	 imap_cmd_literal(struct imap_cmd *, const char *p, size_t len);
/*
 * Append the UTF-8 mailbox name in its wire form (modified UTF-7, or UTF-8
 * when utf8).  Returns 0, or -1 with e filled for invalid UTF-8.
 */
int	 imap_cmd_mailbox(struct imap_cmd *, const char *name, size_t len,
	    struct err *e);
/* Append CRLF. */
void	 imap_cmd_end(struct imap_cmd *);

/* Could p[0..len) be sent as an atom (RFC 9051 ATOM-CHAR)? */
bool	 imap_is_atom(const char *p, size_t len);

/*
 * Append to out the sequence set of the n UIDs (any order, duplicates and
 * zeros ignored) with runs compressed: 1,2,3,7,9,10 → "1:3,7,9:10".
 * Appends nothing when no UID is left.
 */
void	 imap_seqset_format(struct buf *out, const uint32_t *uids, size_t n);
/* Append ranges as a sequence set; UINT32_MAX is written as "*". */
void	 imap_ranges_format(struct buf *out, const struct imap_range *,
	    size_t n);

#endif
