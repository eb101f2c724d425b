/* SPDX-License-Identifier: ISC */
/*
 * pop3-parse.h: POP3 response parser (RFC 1939 section 3, RFC 2449
 * extended response codes, RFC 5034 continuations).
 *
 * Pure: bytes in, items out.  It never reads or writes a descriptor.
 * POP3 responses do not say whether they are multi-line: the caller (the
 * session, which knows the command) announces each response with
 * pop3_parser_expect() before pulling it.
 *
 * Multi-line bodies come out dot-unstuffed with every line ending turned
 * into a single LF (CRLF and bare LF alike; lenient: RFC 1939 requires
 * CRLF).  A body line is never limited in length: a long line comes out
 * in several POP3_PARSE_DATA pieces, each a contiguous, unmodified part
 * of the line, so a 100 KB line is stored intact.  POP3_EXPECT_BULK
 * joins whole lines into larger pieces (the parser compacts its own
 * buffer in place to drop the CRs).
 */
#ifndef PONS_POP3_POP3_PARSE_H
#define PONS_POP3_POP3_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct pop3_limits {
	size_t		 status_max;	/* longest status line, bytes */
	size_t		 chunk_max;	/* largest DATA piece handed out */
	uint64_t	 body_max;	/* largest multi-line body, bytes */
};

/* status 1024 (RFC 2449 says 512), chunk 64 KiB, body 1 GiB */
extern const struct pop3_limits pop3_limits_default;

enum pop3_expect {
	POP3_EXPECT_LINE,	/* a single status line */
	POP3_EXPECT_MULTI,	/* +OK introduces a multi-line body */
	POP3_EXPECT_SASL,	/* "+ base64" continuation or final status */
	/*
	 * As MULTI, but a DATA piece may hold many whole lines (with their
	 * CRLFs already turned into LFs), so a message body costs one item
	 * per chunk_max bytes instead of one per line; eol then says that
	 * the piece ends at a line end.
	 */
	POP3_EXPECT_BULK,
};

enum pop3_parse_status {
	POP3_PARSE_MORE,	/* feed more bytes */
	POP3_PARSE_STATUS,	/* item.status is filled */
	POP3_PARSE_DATA,	/* item.data/len: a piece of body */
	POP3_PARSE_END,		/* the body's "." line was seen */
	POP3_PARSE_ERROR,	/* item.err; the stream is unusable */
};

enum pop3_code {
	POP3_CODE_NONE = 0,
	POP3_CODE_IN_USE,	/* [IN-USE]: maildrop locked (RFC 2449 8.1.1) */
	POP3_CODE_LOGIN_DELAY,	/* [LOGIN-DELAY] (8.1.2) */
	POP3_CODE_SYS_TEMP,	/* [SYS/TEMP] (RFC 3206) */
	POP3_CODE_SYS_PERM,	/* [SYS/PERM] */
	POP3_CODE_AUTH,		/* [AUTH]: credentials are wrong */
	POP3_CODE_OTHER,	/* any other bracketed code */
};

struct pop3_status {
	bool		 ok;		/* +OK (or a "+" continuation) */
	bool		 cont;		/* "+ ..." SASL continuation */
	enum pop3_code	 code;
	const char	*text;		/* after the code, NUL-terminated */
	size_t		 text_len;
};

struct pop3_item {
	struct pop3_status	 status;	/* POP3_PARSE_STATUS */
	const char		*data;		/* POP3_PARSE_DATA */
	size_t			 len;
	bool			 eol;		/* data ends a line ("\n") */
	struct err		 err;		/* POP3_PARSE_ERROR */
};

/* NULL limits means pop3_limits_default.  Owned by the caller. */
struct pop3_parser *pop3_parser_new(const struct pop3_limits *);
void		 pop3_parser_free(struct pop3_parser *);
/* Copy len bytes in.  Any split of the stream gives the same items. */
void		 pop3_parser_feed(struct pop3_parser *, const void *, size_t);
/* Announce the next response.  Only valid between responses. */
void		 pop3_parser_expect(struct pop3_parser *, enum pop3_expect);
/*
 * Pull the next item.  Pointers in *item are borrowed until the next
 * call on the parser.  After POP3_PARSE_ERROR every call returns it.
 */
enum pop3_parse_status pop3_parser_next(struct pop3_parser *,
		    struct pop3_item *);
/* True between responses (a new expect() may be given). */
bool		 pop3_parser_idle(const struct pop3_parser *);
/* Drop every buffered byte (after STLS: RFC 2595 section 4). */
void		 pop3_parser_discard(struct pop3_parser *);
/* Bytes buffered but not yet parsed. */
size_t		 pop3_parser_pending(const struct pop3_parser *);

/*
 * Helpers for lines of multi-line list bodies (without the "\n").
 * Each returns false on a malformed line.
 */
/* "N SIZE" (LIST, RFC 1939 section 5) */
bool		 pop3_parse_list_line(const char *, size_t, uint32_t *msgno,
		    uint64_t *size);
/* "N UIDL" (UIDL, RFC 1939 section 7): uid is a view into the line */
bool		 pop3_parse_uidl_line(const char *, size_t, uint32_t *msgno,
		    const char **uid, size_t *uid_len);
/* CAPA line: *name is the keyword, *args the rest (RFC 2449 section 5) */
bool		 pop3_parse_capa_line(const char *, size_t, const char **name,
		    size_t *name_len, const char **args, size_t *args_len);
/* Name of a code ("IN-USE"), "" for none. */
const char	*pop3_code_name(enum pop3_code);

/* Longest UIDL accepted (RFC 1939 says 70; lenient up to this). */
#define POP3_UIDL_MAX	512

#endif
