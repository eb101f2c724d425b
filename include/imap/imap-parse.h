/* SPDX-License-Identifier: ISC */
/*
 * imap-parse.h: IMAP response parser (RFC 3501 section 7 and 9, RFC 9051
 * section 7 and 9, with CONDSTORE/QRESYNC, ESEARCH, LIST-EXTENDED,
 * SPECIAL-USE, UIDPLUS, ID, NAMESPACE, ENABLE).
 *
 * Pure: bytes in, responses out.  It never reads or writes a descriptor,
 * never looks at a clock or a global setting.  Every growth is checked
 * against struct imap_limits.
 *
 * Work happens in two steps: a framer cuts the stream into whole
 * responses (lines plus the literals they announce, {n} or ~{n}), then a
 * tokenizer turns one response into a tree of values and a decoder fills
 * the typed view of the common responses.  All of one response lives in
 * one arena, released when the next response is asked for.
 *
 * Sequence sets and UID ranges are kept as ranges: "1:4294967295" costs
 * one struct imap_range, never four billion numbers.
 */
#ifndef PONS_IMAP_IMAP_PARSE_H
#define PONS_IMAP_IMAP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;

struct imap_limits {
	size_t		 line_max;	/* bytes of one line, outside literals */
	size_t		 literal_max;	/* bytes of one literal */
	size_t		 resp_max;	/* bytes of one response, all parts */
	unsigned int	 depth_max;	/* parenthesis nesting */
};

/* Defaults: 1 MiB lines, 64 MiB literals, 128 MiB responses, depth 32. */
void	 imap_limits_default(struct imap_limits *);

/*
 * A string from the wire.  p == NULL means NIL.  Otherwise p points at
 * len bytes followed by a NUL that is not counted (the bytes may hold
 * NULs themselves: len is the truth).  Borrowed like the response.
 */
struct imap_str {
	const char	*p;
	size_t		 len;
};

struct imap_strs {
	const struct imap_str	*v;
	size_t			 n;
};

/* One range of a sequence set; a single number has lo == hi. */
struct imap_range {
	uint32_t	 lo;
	uint32_t	 hi;		/* UINT32_MAX stands for "*" */
};

struct imap_seqset {
	const struct imap_range	*r;
	size_t			 n;
};

enum imap_val_type {
	IMAP_VAL_NIL,
	IMAP_VAL_ATOM,		/* includes numbers, flags, BODY[...]<n> */
	IMAP_VAL_STRING,	/* quoted or literal */
	IMAP_VAL_LIST,
};

struct imap_val {
	enum imap_val_type	 type;
	bool			 literal;	/* STRING came as {n} or ~{n} */
	bool			 literal8;	/* ~{n} (RFC 3516) */
	struct imap_str		 s;		/* ATOM, STRING */
	const struct imap_val	*v;		/* LIST items */
	size_t			 n;
};

struct imap_addr {
	struct imap_str	 name, adl, mailbox, host;
};

struct imap_addrs {
	const struct imap_addr	*v;
	size_t			 n;
};

struct imap_envelope {
	struct imap_str		 date, subject, in_reply_to, message_id;
	struct imap_addrs	 from, sender, reply_to, to, cc, bcc;
};

struct imap_param {
	struct imap_str	 name, value;
};

/* RFC 3501 section 7.4.2 BODYSTRUCTURE, one node of the part tree. */
struct imap_body {
	struct imap_str		 type;		/* "MULTIPART" for multiparts */
	struct imap_str		 subtype;
	const struct imap_param	*params;
	size_t			 nparams;
	struct imap_str		 id, description, encoding, md5;
	uint64_t		 size;		/* octets, encoded */
	uint64_t		 lines;		/* text and message parts */
	struct imap_str		 disposition;
	const struct imap_param	*dparams;
	size_t			 ndparams;
	struct imap_str		 language, location;
	const struct imap_body	*parts;		/* multipart children, or the */
	size_t			 nparts;	/* body of a message/rfc822 */
	const struct imap_envelope *env;	/* message/rfc822 only */
};

/* BODY[section]<origin> or BINARY[section]<origin> in a FETCH. */
struct imap_section {
	struct imap_str	 spec;		/* between the brackets */
	bool		 has_origin;
	uint32_t	 origin;
	bool		 binary;
	struct imap_str	 data;		/* NIL possible */
};

/* Bits of imap_fetch.have. */
#define IMAP_FETCH_UID		0x01
#define IMAP_FETCH_FLAGS	0x02
#define IMAP_FETCH_INTERNALDATE	0x04
#define IMAP_FETCH_SIZE		0x08
#define IMAP_FETCH_MODSEQ	0x10
#define IMAP_FETCH_ENVELOPE	0x20
#define IMAP_FETCH_BODYSTRUCTURE 0x40
#define IMAP_FETCH_HEADER	0x80	/* BODY[HEADER.FIELDS (...)] */

struct imap_fetch {
	uint32_t			 seq;
	unsigned int			 have;
	uint32_t			 uid;
	struct imap_strs		 flags;
	struct imap_str			 internaldate;
	int64_t				 internaldate_t; /* seconds UTC, or -1 */
	uint64_t			 size;
	uint64_t			 modseq;
	const struct imap_envelope	*env;
	const struct imap_body		*body;
	const struct imap_section	*sections;	/* the others */
	size_t				 nsections;
	/*
	 * The header block of BODY[HEADER.FIELDS (...)] (no origin), the
	 * index headers: kept here rather than in sections, NIL possible.
	 * A literal is handed over without a copy of its own.
	 */
	struct imap_str			 header;
};

/* Bits of imap_list.attrs (RFC 3501 7.2.2, RFC 5258, RFC 6154). */
#define IMAP_MBOX_NOINFERIORS	0x0001
#define IMAP_MBOX_NOSELECT	0x0002
#define IMAP_MBOX_MARKED	0x0004
#define IMAP_MBOX_UNMARKED	0x0008
#define IMAP_MBOX_HASCHILDREN	0x0010
#define IMAP_MBOX_HASNOCHILDREN	0x0020
#define IMAP_MBOX_NONEXISTENT	0x0040
#define IMAP_MBOX_SUBSCRIBED	0x0080
#define IMAP_MBOX_REMOTE	0x0100
#define IMAP_MBOX_ALL		0x0200
#define IMAP_MBOX_ARCHIVE	0x0400
#define IMAP_MBOX_DRAFTS	0x0800
#define IMAP_MBOX_FLAGGED	0x1000
#define IMAP_MBOX_JUNK		0x2000
#define IMAP_MBOX_SENT		0x4000
#define IMAP_MBOX_TRASH		0x8000

struct imap_list {
	unsigned int		 attrs;
	struct imap_strs	 raw_attrs;
	int			 delim;		/* -1 for NIL */
	struct imap_str		 name;		/* as sent (modified UTF-7 or UTF-8) */
	bool			 childinfo_subscribed;
	struct imap_str		 oldname;
};

/* Bits of imap_status.have. */
#define IMAP_STATUS_MESSAGES	0x01
#define IMAP_STATUS_RECENT	0x02
#define IMAP_STATUS_UIDNEXT	0x04
#define IMAP_STATUS_UIDVALIDITY	0x08
#define IMAP_STATUS_UNSEEN	0x10
#define IMAP_STATUS_HIGHESTMODSEQ 0x20
#define IMAP_STATUS_SIZE	0x40
#define IMAP_STATUS_DELETED	0x80

struct imap_status {
	struct imap_str	 mailbox;
	unsigned int	 have;
	uint32_t	 messages, recent, uidnext, uidvalidity, unseen, deleted;
	uint64_t	 highestmodseq, size;
};

struct imap_search {
	const uint32_t	*v;
	size_t		 n;
	uint64_t	 modseq;	/* 0 if absent */
};

struct imap_esearch {
	struct imap_str		 tag;	/* NIL if absent */
	bool			 uid;
	bool			 has_min, has_max, has_count, has_all;
	uint32_t		 min, max, count;
	struct imap_seqset	 all;
	uint64_t		 modseq;	/* 0 if absent */
};

struct imap_vanished {
	bool			 earlier;
	struct imap_seqset	 uids;
};

struct imap_ns {
	struct imap_str	 prefix;
	int		 delim;		/* -1 for NIL */
};

struct imap_nsgroup {
	const struct imap_ns	*v;
	size_t			 n;
};

struct imap_namespace {
	struct imap_nsgroup	 personal, other, shared;
};

struct imap_params_list {
	const struct imap_param	*v;
	size_t			 n;
};

enum imap_code_type {
	IMAP_CODE_NONE = 0,
	IMAP_CODE_ALERT,
	IMAP_CODE_APPENDUID,
	IMAP_CODE_BADCHARSET,
	IMAP_CODE_CAPABILITY,
	IMAP_CODE_CLOSED,
	IMAP_CODE_COPYUID,
	IMAP_CODE_HIGHESTMODSEQ,
	IMAP_CODE_MODIFIED,
	IMAP_CODE_NOMODSEQ,
	IMAP_CODE_PARSE,
	IMAP_CODE_PERMANENTFLAGS,
	IMAP_CODE_READ_ONLY,
	IMAP_CODE_READ_WRITE,
	IMAP_CODE_TRYCREATE,
	IMAP_CODE_UIDNEXT,
	IMAP_CODE_UIDNOTSTICKY,
	IMAP_CODE_UIDVALIDITY,
	IMAP_CODE_UNSEEN,
	IMAP_CODE_AUTHENTICATIONFAILED,
	IMAP_CODE_AUTHORIZATIONFAILED,
	IMAP_CODE_UNAVAILABLE,
	IMAP_CODE_NONEXISTENT,
	IMAP_CODE_ALREADYEXISTS,
	IMAP_CODE_OTHER,
};

/* A response code: "[NAME args]" at the start of a status text. */
struct imap_code {
	enum imap_code_type	 type;
	struct imap_str		 name;		/* as sent */
	struct imap_str		 raw;		/* the arguments, as sent */
	uint64_t		 num;		/* UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ */
	uint32_t		 uidvalidity;	/* APPENDUID, COPYUID */
	struct imap_seqset	 set1;		/* APPENDUID uids, COPYUID source, MODIFIED */
	struct imap_seqset	 set2;		/* COPYUID destination */
	struct imap_strs	 atoms;		/* CAPABILITY PERMANENTFLAGS BADCHARSET */
};

enum imap_resp_kind {
	IMAP_KIND_TAGGED,
	IMAP_KIND_UNTAGGED,
	IMAP_KIND_CONT,		/* "+ text" */
};

enum imap_resp_type {
	IMAP_RESP_OK,
	IMAP_RESP_NO,
	IMAP_RESP_BAD,
	IMAP_RESP_BYE,
	IMAP_RESP_PREAUTH,
	IMAP_RESP_CAPABILITY,
	IMAP_RESP_FLAGS,
	IMAP_RESP_EXISTS,
	IMAP_RESP_RECENT,
	IMAP_RESP_EXPUNGE,
	IMAP_RESP_VANISHED,
	IMAP_RESP_FETCH,
	IMAP_RESP_LIST,
	IMAP_RESP_LSUB,
	IMAP_RESP_STATUS,
	IMAP_RESP_SEARCH,
	IMAP_RESP_ESEARCH,
	IMAP_RESP_ENABLED,
	IMAP_RESP_ID,
	IMAP_RESP_NAMESPACE,
	IMAP_RESP_CONTINUE,	/* kind IMAP_KIND_CONT */
	IMAP_RESP_OTHER,	/* untagged data pons does not decode */
};

struct imap_resp {
	enum imap_resp_kind	 kind;
	enum imap_resp_type	 type;
	struct imap_str		 tag;		/* TAGGED only */
	struct imap_str		 keyword;	/* as sent: "FETCH", "OK" ... */
	uint32_t		 num;		/* EXISTS RECENT EXPUNGE FETCH */
	struct imap_code	 code;		/* OK NO BAD BYE PREAUTH */
	struct imap_str		 text;		/* status text; CONT text */
	const struct imap_val	*args;		/* data responses: the values */
	size_t			 nargs;		/* after the keyword */
	/*
	 * Set when the response was well framed but its typed form could not
	 * be decoded completely: the fields below hold what was decoded, args
	 * holds the values.  A one-line reason, borrowed like the response.
	 */
	const char		*decode_err;
	struct imap_str		 first_line;	/* the first line, no CRLF */
	size_t			 wire_len;	/* bytes this response took */
	union {
		struct imap_strs	 caps;		/* CAPABILITY */
		struct imap_strs	 flags;		/* FLAGS */
		struct imap_strs	 enabled;	/* ENABLED */
		struct imap_fetch	 fetch;
		struct imap_list	 list;		/* LIST, LSUB */
		struct imap_status	 status;
		struct imap_search	 search;
		struct imap_esearch	 esearch;
		struct imap_vanished	 vanished;
		struct imap_params_list	 id;		/* ID; n == 0 for NIL */
		struct imap_namespace	 ns;
	} u;
};

enum imap_parse_status {
	IMAP_PARSE_MORE,
	IMAP_PARSE_RESP,
	IMAP_PARSE_ERROR,
};

struct imap_parser;

/* A new parser; lim NULL for the defaults.  Free with imap_parser_free. */
struct imap_parser	*imap_parser_new(const struct imap_limits *lim);
void			 imap_parser_free(struct imap_parser *);
/* Forget all buffered input and any error; keeps the limits. */
void			 imap_parser_reset(struct imap_parser *);
/* Copies len bytes; may be called with any split of the stream. */
void			 imap_parser_feed(struct imap_parser *, const void *,
			     size_t len);
/*
 * Like imap_parser_feed, but the bytes are lent, not copied: they must
 * stay as they are until imap_parser_keep (or _reset, _free).  Responses
 * framed from them are copies, as ever.  Saves a copy of the stream when
 * the caller pulls every response before it keeps the rest.
 */
void			 imap_parser_feed_borrow(struct imap_parser *,
			     const void *, size_t len);
/* Copy what is left of lent bytes into the parser; they are free again. */
void			 imap_parser_keep(struct imap_parser *);
/*
 * Pull the next response.  IMAP_PARSE_RESP: *resp is borrowed until the
 * next call to imap_parser_next, _reset or _free.  IMAP_PARSE_MORE: the
 * input ends mid-response.  IMAP_PARSE_ERROR: e is filled (ERR_PROTO or
 * ERR_LIMIT); if imap_parser_is_broken() the stream is lost and the
 * parser must be reset (the connection dropped), otherwise only that one
 * response was skipped and the next call goes on with the following one.
 */
enum imap_parse_status	 imap_parser_next(struct imap_parser *,
			     const struct imap_resp **resp, struct err *e);
bool			 imap_parser_is_broken(const struct imap_parser *);
/* Bytes fed but not yet returned as a response. */
size_t			 imap_parser_pending(const struct imap_parser *);

/*
 * Parse a sequence set ("1:4,7,9:*") in p[0..len) into ranges allocated
 * with xreallocarray (the caller frees *out).  Returns false on syntax
 * error or when more than max_ranges ranges.  Never expands a range.
 */
bool	 imap_seqset_parse(const char *p, size_t len, size_t max_ranges,
	    struct imap_range **out, size_t *n);
/* True if uid is inside one of the ranges ("*" counts as UINT32_MAX). */
bool	 imap_seqset_contains(const struct imap_seqset *, uint32_t uid);
/*
 * The set's ranges sorted, overlapping and touching ones merged, in *out
 * (xreallocarray, room for at least one; the caller frees it).  Returns
 * how many.
 */
size_t	 imap_seqset_sorted(const struct imap_seqset *,
	    struct imap_range **out);
/* True if uid is in r[0..n), sorted and disjoint: O(log n). */
bool	 imap_ranges_have(const struct imap_range *r, size_t n, uint32_t uid);
/* Name of a response type, for logs and tests ("FETCH", ...). */
const char *imap_resp_type_name(enum imap_resp_type);
/* Name of a code type ("UIDVALIDITY", ...). */
const char *imap_code_type_name(enum imap_code_type);

#endif
