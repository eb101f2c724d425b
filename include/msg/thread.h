/* SPDX-License-Identifier: ISC */
/*
 * thread.h: conversation threading after Jamie Zawinski's algorithm over
 * Message-ID, In-Reply-To and References, plus subject grouping for
 * replies that lost their references.  Pure and allocation-light: a few
 * flat arrays and one open-addressing hash table per call, no per-message
 * heap objects, so a million messages thread in a fraction of a second.
 */
#ifndef PONS_MSG_THREAD_H
#define PONS_MSG_THREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct err;

#define THREAD_NONE		UINT32_MAX
#define THREAD_REFS_MAX		128	/* References ids used, the last ones */
#define THREAD_LOOP_WALK	4096	/* ancestors checked before a link */
#define THREAD_PREFIX_MAX	32	/* levels drawn by thread_prefix() */
#define THREAD_MSGS_MAX		(UINT32_MAX / 4)

/* One message, as the caller has it.  All strings are borrowed. */
struct thread_msg {
	const char	*msgid;		/* Message-ID value (brackets optional) */
	size_t		 msgid_len;
	const char	*refs;		/* References value, or NULL */
	size_t		 refs_len;
	const char	*irt;		/* In-Reply-To value, or NULL */
	size_t		 irt_len;
	const char	*subject;	/* decoded Subject, or NULL */
	size_t		 subject_len;
	int64_t		 date;		/* sort key, e.g. seconds since 1970 */
};

/* Where one message ended up (indexed by the message's input index). */
struct thread_node {
	uint32_t	 parent;	/* input index of the parent, THREAD_NONE */
	uint32_t	 depth;		/* 0 for a thread root */
	uint32_t	 pos;		/* position in thread_result.order */
	bool		 last;		/* no later sibling (for drawing) */
	bool		 by_subject;	/* attached by subject, not references */
};

struct thread_result {
	size_t			 n;
	uint32_t		*order;	/* n input indices in display order */
	struct thread_node	*nodes;	/* n nodes, by input index */
};

/*
 * Thread msgs[0..n).  Threads are ordered by the date of their root,
 * siblings by date (ties by input index).  A missing parent that
 * messages refer to does not get a row: its children take its place
 * (under its nearest present ancestor, or as threads of their own).
 * A reply (subject starting with Re:, Fwd:, AW:, SV:, ...) that has no
 * References and no In-Reply-To is put under the thread root with the
 * same base subject.  Loops in the references are broken.  Fills *res
 * (free with thread_result_free()); returns 0, or -1 with ERR_LIMIT if n
 * exceeds THREAD_MSGS_MAX.
 */
int	 thread_build(struct thread_result *res, const struct thread_msg *msgs,
	    size_t n, struct err *e);
void	 thread_result_free(struct thread_result *);
/*
 * Append the tree-drawing prefix of message idx ("│ ", "  ", then "├─"
 * or "└─"; nothing for a root) to out.  Deeper than THREAD_PREFIX_MAX
 * levels, only the innermost levels are drawn after a "…".
 */
void	 thread_prefix(const struct thread_result *, uint32_t idx,
	    struct buf *out);
/*
 * The base subject of s[0..len): leading reply and forward markers (Re:,
 * RE[2]:, Fwd:, Fw:, AW:, SV:, VS:, WG:, Antw:, Rif:, Odp:, Tr:, ...),
 * with a list tag "[list]" before them, and surrounding spaces removed.
 * Returns the offset of the base, its length in *blen, and whether a
 * marker was removed in *reply (may be NULL).
 */
size_t	 thread_subject_base(const char *s, size_t len, size_t *blen,
	    bool *reply);
/*
 * The hash of a Message-ID in the threading tables, from a seed drawn
 * once per process; thread_seed_set() fixes the seed (tests; not 0).
 */
uint32_t thread_id_hash(const char *p, size_t len);
void	 thread_seed_set(uint64_t seed);

#endif
