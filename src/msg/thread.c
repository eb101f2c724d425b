/* SPDX-License-Identifier: ISC */
/*
 * JWZ threading (https://www.jwz.org/doc/threading.html) over flat arrays.
 * Box i (JWZ's container, 8 bytes: id length plus flags, parent) is
 * message i's; ids that messages name but none carries get boxes after
 * the messages.  One open-addressing table maps a Message-ID to its box;
 * a slot keeps the id's pointer and hash, so a probe reads no box.  Ids
 * are claimed first (the first message with an id owns it), then
 * References are linked in blocks of messages: all ids of a block are
 * hashed and their slots, strings and boxes prefetched before any is
 * looked up, so the cache misses of a block overlap instead of queueing.
 * Empty boxes are then skipped (their children take their place), thread
 * roots that are replies without references are grouped by subject, and
 * one radix sort by date plus one pass builds the sibling lists that an
 * iterative walk turns into display order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg/thread.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/seed.h"
#include "util/str.h"
#include "util/xmalloc.h"

/*
 * Slots of the Message-ID table.  A slot holds the id's pointer and hash,
 * so a probe needs no box, and the string and the box of a candidate can
 * be fetched at the same time.
 */
struct thread_slot {
	const char	*id;		/* borrowed; NULL: free */
	uint32_t	 hash;
	uint32_t	 box;
};

/*
 * JWZ's containers.  Box i < n is message i's own (its Message-ID, if it
 * has one that no earlier message claimed, is in the table); boxes from n
 * on stand for ids that messages refer to but no message carries.
 */
struct thread_box {
	uint32_t	 len;		/* id length | THREAD_BOX_* */
	uint32_t	 parent;	/* box index or THREAD_NONE */
};

#define THREAD_BOX_KIDS		0x80000000U	/* a child was linked */
#define THREAD_BOX_REFS		0x40000000U	/* message names a parent */
#define THREAD_BOX_LEN		0x3fffffffU

/* One id taken from a block of messages, with what the table says. */
struct thread_ref {
	const char	*p;
	uint32_t	 len;
	uint32_t	 hash;
	uint32_t	 box;
};

struct thread_ctx {
	struct thread_box	*box;
	size_t			 n;	/* messages: boxes [0, n) */
	size_t			 nbox, capbox;
	struct thread_slot	*slot;
	size_t			 mask;	/* table size - 1 */
	size_t			 used;	/* slots taken */
	struct thread_ref	*ref;	/* THREAD_BLOCK_REFS */
	uint32_t		*first;	/* THREAD_BLOCK_MSGS + 1 */
	void			*scratch; /* the table's memory, reused */
	size_t			 scratchsz;
};

#define THREAD_BLOCK_MSGS	256	/* messages linked per block */
#define THREAD_BLOCK_REFS	1024	/* ids per block, >= THREAD_REFS_MAX + 1 */
#define THREAD_AHEAD		16	/* prefetch distance in the box array */

#if defined(__GNUC__)
#define thread_prefetch(p)	__builtin_prefetch(p)
#else
#define thread_prefetch(p)	((void)(p))
#endif

/*
 * Message-IDs and subjects come from whoever sends mail: with a fixed
 * hash, a sender could make up thousands that share a slot offline and
 * make every threading of the folder walk past all of them.  The hash
 * starts from a seed drawn once per process.
 */
static uint64_t	 thread_seed;

void
thread_seed_set(uint64_t seed)
{
	thread_seed = seed;
}

static uint64_t
thread_seed_get(void)
{
	if (thread_seed == 0)
		thread_seed = seed_random() | 1;
	return thread_seed;
}

static uint32_t
thread_hash(const char *p, size_t len, bool fold)
{
	uint64_t	 h = (0x243f6a8885a308d3ULL ^ thread_seed_get()) ^ len, v;
	size_t		 i;
	unsigned char	 c;

	if (!fold) {
		for (i = 0; i + 8 <= len; i += 8) {
			memcpy(&v, p + i, 8);
			h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
			h ^= h >> 29;
		}
	} else
		i = 0;
	for (; i < len; i++) {
		c = (unsigned char)p[i];
		if (fold && c >= 'A' && c <= 'Z')
			c |= 0x20;
		h = (h ^ c) * 0x100000001b3ULL;
	}
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

uint32_t
thread_id_hash(const char *p, size_t len)
{
	return thread_hash(p, len, false);
}

/* Double the table; slots carry their hash, so no id is read again. */
static void
thread_table_grow(struct thread_ctx *c)
{
	struct thread_slot	*old = c->slot;
	size_t			 oldsize = c->mask + 1, size, i, j;

	size = oldsize * 2;
	c->slot = xcalloc(size, sizeof *c->slot);
	c->mask = size - 1;
	for (i = 0; i < oldsize; i++) {
		if (old[i].id == NULL)
			continue;
		for (j = old[i].hash & c->mask; c->slot[j].id != NULL;
		    j = (j + 1) & c->mask)
			;
		c->slot[j] = old[i];
	}
	free(old);
}

/* The slot holding r's id, or the free slot where it belongs. */
static size_t
thread_table_find(const struct thread_ctx *c, const struct thread_ref *r)
{
	const struct thread_slot *s;
	size_t			 j;

	for (j = r->hash & c->mask;; j = (j + 1) & c->mask) {
		s = &c->slot[j];
		if (s->id == NULL || (s->hash == r->hash &&
		    (c->box[s->box].len & THREAD_BOX_LEN) == r->len &&
		    memcmp(s->id, r->p, r->len) == 0))
			return j;
	}
}

static void
thread_table_set(struct thread_ctx *c, size_t j, const struct thread_ref *r,
    uint32_t b)
{
	c->slot[j].id = r->p;
	c->slot[j].hash = r->hash;
	c->slot[j].box = b;
	c->used++;
}

/*
 * Memory for a later phase, at least nmemb * size bytes: the id table's,
 * once linking is done.  Fresh pages cost a fault each, which for a
 * million messages is more than the work done in them.
 */
static void *
thread_scratch(struct thread_ctx *c, size_t nmemb, size_t size)
{
	if (c->slot != NULL) {
		c->scratch = c->slot;
		c->scratchsz = (c->mask + 1) * sizeof *c->slot;
		c->slot = NULL;
	}
	if (size != 0 && nmemb > SIZE_MAX / size)
		fatalx("thread: %zu * %zu bytes", nmemb, size);
	if (nmemb * size > c->scratchsz) {
		free(c->scratch);
		c->scratch = xreallocarray(NULL, nmemb, size);
		c->scratchsz = nmemb * size;
	}
	return c->scratch;
}

/* The box of r's id; an id no message carries gets an empty box. */
static uint32_t
thread_box_get(struct thread_ctx *c, const struct thread_ref *r)
{
	size_t		 j;
	uint32_t	 b;

	/* Linear probing stays short below a load of 3/4. */
	if ((c->used + 1) * 4 > (c->mask + 1) * 3)
		thread_table_grow(c);
	j = thread_table_find(c, r);
	if (c->slot[j].id != NULL)
		return c->slot[j].box;
	if (c->nbox == c->capbox) {
		c->capbox *= 2;
		c->box = xreallocarray(c->box, c->capbox, sizeof *c->box);
	}
	b = (uint32_t)c->nbox++;
	c->box[b].len = r->len;
	c->box[b].parent = THREAD_NONE;
	thread_table_set(c, j, r, b);
	return b;
}

/*
 * Ask for the lines a lookup of r will read: first its slot, then (once
 * that has arrived) the candidate's id and box.  Lookups of a block thus
 * wait for memory together instead of one after another.
 */
static void
thread_ref_hash(struct thread_ctx *c, struct thread_ref *r)
{
	r->hash = thread_hash(r->p, r->len, false);
	thread_prefetch(&c->slot[r->hash & c->mask]);
}

static void
thread_ref_prefetch(const struct thread_ctx *c, const struct thread_ref *r)
{
	const struct thread_slot *s;
	size_t			 j;

	for (j = r->hash & c->mask; (s = &c->slot[j])->id != NULL;
	    j = (j + 1) & c->mask) {
		if (s->hash == r->hash) {
			thread_prefetch(s->id);
			thread_prefetch(&c->box[s->box]);
			return;
		}
	}
}

/*
 * The length of p's leading run of bytes that can be in a bracketed id:
 * up to '<', '>', a space or a control byte.  Eight bytes at a time
 * (the ids are most of what the threader reads); a word that holds a
 * stop byte is finished byte by byte.
 */
static size_t
thread_id_span(const char *p, size_t len)
{
	const uint64_t	 ones = 0x0101010101010101ULL;
	const uint64_t	 highs = 0x8080808080808080ULL;
	uint64_t	 v, lt, lb, gb;
	size_t		 i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&v, p + i, 8);
		lt = (v - ones * 0x21) & ~v;		/* a byte < 0x21 */
		lb = ((v ^ ones * '<') - ones) & ~(v ^ ones * '<');
		gb = ((v ^ ones * '>') - ones) & ~(v ^ ones * '>');
		if (((lt | lb | gb) & highs) != 0)
			break;
	}
	while (i < len && (unsigned char)p[i] > ' ' && p[i] != '>' &&
	    p[i] != '<')
		i++;
	return i;
}

/*
 * The next message id in p[*off..len): the text between '<' and '>', or
 * (lenient: ids written without brackets) a whitespace-delimited word
 * when brackets is false.  Returns false when there is none.
 */
static bool
thread_id_next(const char *p, size_t len, size_t *off, bool brackets,
    struct thread_ref *id)
{
	const char	*q;
	size_t		 i = *off, s;

	if (brackets) {
		while (i < len) {
			if ((q = memchr(p + i, '<', len - i)) == NULL)
				break;
			s = i = (size_t)(q - p) + 1;
			i += thread_id_span(p + i, len - i);
			if (i < len && p[i] == '>' && i > s) {
				id->p = p + s;
				id->len = (uint32_t)(i - s);
				*off = i + 1;
				return i - s <= THREAD_BOX_LEN;
			}
		}
		*off = len;
		return false;
	}
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
	    p[i] == '\r' || p[i] == ','))
		i++;
	s = i;
	while (i < len && p[i] != ' ' && p[i] != '\t' && p[i] != '\n' &&
	    p[i] != '\r' && p[i] != ',')
		i++;
	*off = i;
	if (i == s || i - s > THREAD_BOX_LEN)
		return false;
	id->p = p + s;
	id->len = (uint32_t)(i - s);
	return true;
}

static bool
thread_has_bracket(const char *p, size_t len)
{
	return p != NULL && memchr(p, '<', len) != NULL;
}

/* Collect the last THREAD_REFS_MAX ids of References (or In-Reply-To). */
static size_t
thread_refs(const struct thread_msg *m, struct thread_ref *ids)
{
	const char	*p;
	size_t		 len, off, count, k, n;
	bool		 br;
	struct thread_ref id, ring[THREAD_REFS_MAX];

	p = m->refs;
	len = m->refs_len;
	if (p == NULL || len == 0) {
		p = m->irt;
		len = m->irt_len;
	}
	if (p == NULL || len == 0)
		return 0;
	br = thread_has_bracket(p, len);
	if (!br && p == m->irt) {
		/* lenient: a bare In-Reply-To word is only used if alone */
		off = 0;
		if (!thread_id_next(p, len, &off, false, &id))
			return 0;
		ids[0] = id;
		return thread_id_next(p, len, &off, false, &id) ? 0 : 1;
	}
	/* Keep the last THREAD_REFS_MAX in a ring, then unroll it. */
	for (count = 0, off = 0; thread_id_next(p, len, &off, br, &id);
	    count++)
		ids[count % THREAD_REFS_MAX] = id;
	n = count < THREAD_REFS_MAX ? count : THREAD_REFS_MAX;
	if ((k = count % THREAD_REFS_MAX) != 0 && count > THREAD_REFS_MAX) {
		memcpy(ring, ids, k * sizeof *ids);
		memmove(ids, ids + k, (THREAD_REFS_MAX - k) * sizeof *ids);
		memcpy(ids + THREAD_REFS_MAX - k, ring, k * sizeof *ids);
	}
	/* In-Reply-To names the parent when References does not end in it. */
	if (p == m->refs && m->irt != NULL && n > 0) {
		off = 0;
		if (thread_id_next(m->irt, m->irt_len, &off, true, &id) &&
		    (id.len != ids[n - 1].len ||
		    memcmp(id.p, ids[n - 1].p, id.len) != 0)) {
			if (n == THREAD_REFS_MAX) {
				memmove(ids, ids + 1, (n - 1) * sizeof *ids);
				n--;
			}
			ids[n++] = id;
		}
	}
	return n;
}

/* Would making p the parent of c create a loop (or go too deep)? */
static bool
thread_would_loop(const struct thread_ctx *c, uint32_t p, uint32_t child)
{
	unsigned int	 steps;

	for (steps = 0; p != THREAD_NONE; steps++) {
		if (p == child || steps >= THREAD_LOOP_WALK)
			return true;
		p = c->box[p].parent;
	}
	return false;
}

/*
 * Only a box with children can be an ancestor, so only then does a new
 * link need the loop walk; the KIDS flag is never cleared, so it may
 * overstate, which only costs a walk.
 */
static bool
thread_may_link(const struct thread_ctx *c, uint32_t child, uint32_t parent)
{
	return (c->box[child].len & THREAD_BOX_KIDS) == 0 ||
	    !thread_would_loop(c, parent, child);
}

static void
thread_set_parent(struct thread_ctx *c, uint32_t child, uint32_t parent)
{
	c->box[child].parent = parent;
	c->box[parent].len |= THREAD_BOX_KIDS;
}

/*
 * Give every message its own box and enter each Message-ID in the table,
 * in input order: of messages sharing an id, the first one owns it and
 * the others stay boxes without an id.
 */
static void
thread_claim_ids(struct thread_ctx *c, const struct thread_msg *msgs)
{
	const struct thread_msg	*m;
	struct thread_ref	*r;
	size_t			 base, cnt, k, j, off;

	for (base = 0; base < c->n; base += cnt) {
		cnt = c->n - base < THREAD_BLOCK_REFS ? c->n - base :
		    THREAD_BLOCK_REFS;
		for (k = 0; k < cnt; k++) {
			m = &msgs[base + k];
			r = &c->ref[k];
			off = 0;
			if (m->msgid == NULL || !thread_id_next(m->msgid,
			    m->msgid_len, &off, thread_has_bracket(m->msgid,
			    m->msgid_len), r))
				r->len = 0;
			else
				thread_ref_hash(c, r);
		}
		for (k = 0; k < cnt; k++) {
			r = &c->ref[k];
			c->box[base + k].len = 0;
			c->box[base + k].parent = THREAD_NONE;
			if (r->len == 0)
				continue;
			j = thread_table_find(c, r);
			if (c->slot[j].id != NULL)
				continue;	/* a duplicate */
			c->box[base + k].len = r->len;
			thread_table_set(c, j, r, (uint32_t)(base + k));
		}
	}
}

/* JWZ step 1 for the messages of one block, whose ids are looked up. */
static void
thread_link_block(struct thread_ctx *c, size_t base, size_t cnt)
{
	const struct thread_ref	*r, *end;
	uint32_t		 me, b, prev;
	size_t			 k;

	for (k = 0; k < cnt; k++) {
		me = (uint32_t)(base + k);
		prev = THREAD_NONE;
		r = &c->ref[c->first[k]];
		end = &c->ref[c->first[k + 1]];
		for (; r < end; r++) {
			if ((b = r->box) == me)
				break;
			if (b == prev)
				continue;	/* "<a> <a>" would make a loop */
			/* Keep an existing link: the first writer usually
			 * knew best. */
			if (prev != THREAD_NONE &&
			    c->box[b].parent == THREAD_NONE &&
			    thread_may_link(c, b, prev))
				thread_set_parent(c, b, prev);
			prev = b;
		}
		/* The message's own headers decide its parent (JWZ 1C):
		 * without references it is a root, whatever others said. */
		if (prev != THREAD_NONE && thread_may_link(c, me, prev))
			thread_set_parent(c, me, prev);
		else if (c->first[k] == c->first[k + 1])
			c->box[me].parent = THREAD_NONE;
	}
}

/* JWZ step 1: References and In-Reply-To become parent links. */
static void
thread_link(struct thread_ctx *c, const struct thread_msg *msgs)
{
	struct thread_ref	*r;
	size_t			 base, cnt, nr, got, k;

	for (base = 0; base < c->n; base += cnt) {
		nr = 0;
		for (cnt = 0; base + cnt < c->n && cnt < THREAD_BLOCK_MSGS &&
		    nr + THREAD_REFS_MAX + 1 <= THREAD_BLOCK_REFS; cnt++) {
			c->first[cnt] = (uint32_t)nr;
			got = thread_refs(&msgs[base + cnt], c->ref + nr);
			if (got > 0)
				c->box[base + cnt].len |= THREAD_BOX_REFS;
			nr += got;
		}
		c->first[cnt] = (uint32_t)nr;
		for (k = 0; k < nr; k++)
			thread_ref_hash(c, &c->ref[k]);
		for (k = 0; k < nr; k++)
			thread_ref_prefetch(c, &c->ref[k]);
		for (k = 0; k < nr; k++) {
			r = &c->ref[k];
			r->box = thread_box_get(c, r);
		}
		thread_link_block(c, base, cnt);
	}
}

size_t
thread_subject_base(const char *s, size_t len, size_t *blen, bool *reply)
{
	static const char *const marks[] = { "re", "fwd", "fw", "aw", "sv",
	    "vs", "wg", "antw", "rif", "odp", "tr", "enc", "res", "ynt",
	    "r", NULL };
	size_t		 i = 0, j, k, m, w;
	bool		 any = false, again = true;

	while (again) {
		again = false;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		j = i;
		/* a list tag only counts when a marker follows it */
		if (j < len && s[j] == '[') {
			for (k = j; k < len && k - j < 64 && s[k] != ']'; k++)
				;
			if (k < len && s[k] == ']') {
				j = k + 1;
				while (j < len && s[j] == ' ')
					j++;
			}
		}
		/* Every marker is a word of 1 to 4 letters. */
		for (w = j; w < len && w - j < 5 && ((s[w] | 0x20) >= 'a' &&
		    (s[w] | 0x20) <= 'z'); w++)
			;
		w -= j;
		for (m = 0; w <= 4 && marks[m] != NULL; m++) {
			k = strlen(marks[m]);
			if (k != w || len - j < k + 1 ||
			    !str_eq_ci(s + j, k, marks[m]))
				continue;
			k += j;
			/* RE[2]: and RE(2): */
			if (k < len && (s[k] == '[' || s[k] == '(')) {
				for (k++; k < len && s[k] >= '0' && s[k] <= '9';
				    k++)
					;
				if (k < len && (s[k] == ']' || s[k] == ')'))
					k++;
			}
			while (k < len && s[k] == ' ')
				k++;
			if (k < len && s[k] == ':') {
				i = k + 1;
				any = again = true;
				break;
			}
		}
	}
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (k = len; k > i && (s[k - 1] == ' ' || s[k - 1] == '\t' ||
	    s[k - 1] == '\r' || s[k - 1] == '\n'); k--)
		;
	*blen = k - i;
	if (reply != NULL)
		*reply = any;
	return i;
}

/* A thread root's base subject, for grouping. */
struct thread_subj {
	uint32_t	 msg;
	uint32_t	 hash;
	uint32_t	 off;		/* base subject in msgs[msg].subject */
	uint32_t	 len;
	bool		 reply;		/* a marker was removed */
};

static bool
thread_subj_eq(const struct thread_msg *msgs, const struct thread_subj *a,
    const struct thread_subj *b)
{
	return a->hash == b->hash && a->len == b->len &&
	    strncasecmp(msgs[a->msg].subject + a->off,
	    msgs[b->msg].subject + b->off, a->len) == 0;
}

/*
 * Replies without references go under the root of their base subject:
 * only thread roots take part, so the table holds one entry per root
 * with a subject, pointing at the best root of that subject.
 */
static void
thread_by_subject(struct thread_ctx *c, const struct thread_msg *msgs,
    uint32_t *vpar, struct thread_node *nodes)
{
	struct thread_subj	*sj, *t, *best;
	uint32_t		*slot, b;
	size_t			 size, mask, j, i, ns, off, blen;
	bool			 r;

	/* The roots' subjects, then the table (at most 4n slots). */
	sj = thread_scratch(c, c->n + 16, sizeof *sj + 4 * sizeof *slot);
	for (i = 0, ns = 0; i < c->n; i++) {
		if (vpar[i] != THREAD_NONE || msgs[i].subject == NULL ||
		    msgs[i].subject_len > UINT32_MAX)
			continue;
		off = thread_subject_base(msgs[i].subject,
		    msgs[i].subject_len, &blen, &r);
		if (blen == 0)
			continue;
		t = &sj[ns++];
		t->msg = (uint32_t)i;
		t->off = (uint32_t)off;
		t->len = (uint32_t)blen;
		t->reply = r;
		t->hash = thread_hash(msgs[i].subject + off, blen, true);
	}
	for (size = 64; size < ns * 2; size *= 2)
		;
	mask = size - 1;
	slot = (uint32_t *)(void *)(sj + ns);
	memset(slot, 0xff, size * sizeof *slot);
	for (i = 0; i < ns; i++) {
		t = &sj[i];
		for (j = t->hash & mask; (b = slot[j]) != THREAD_NONE &&
		    !thread_subj_eq(msgs, &sj[b], t); j = (j + 1) & mask)
			;
		if (b == THREAD_NONE) {
			slot[j] = (uint32_t)i;
			continue;
		}
		/* Prefer a non-reply, then the earliest. */
		best = &sj[b];
		if ((best->reply && !t->reply) || (best->reply == t->reply &&
		    msgs[t->msg].date < msgs[best->msg].date))
			slot[j] = (uint32_t)i;
	}
	for (i = 0; i < ns; i++) {
		t = &sj[i];
		if (!t->reply || (c->box[t->msg].len & THREAD_BOX_REFS) != 0)
			continue;
		for (j = t->hash & mask; !thread_subj_eq(msgs, &sj[slot[j]],
		    t); j = (j + 1) & mask)
			;
		if ((b = sj[slot[j]].msg) != t->msg) {
			vpar[t->msg] = b;
			nodes[t->msg].by_subject = true;
		}
	}
}

/*
 * Stable LSD radix sort of the message indices by date, over the bits of
 * the date range actually used, at most 11 bits a pass so that the
 * buckets being filled stay in the cache (three passes for years of
 * seconds).
 */
static void
thread_sort(uint32_t *idx, size_t n, const struct thread_msg *msgs,
    void *scratch)
{
	uint64_t	*key, *key2, *ksw, lo, hi, k;
	uint32_t	*tmp, *isw;
	size_t		 count[2048], i, sum, c, d, mask;
	unsigned int	 shift, bits, passes, digit, pass;

	/* scratch: 2n keys, then n indices */
	key = scratch;
	key2 = key + n;
	tmp = (uint32_t *)(void *)(key2 + n);
	for (i = 0; i < n; i++)
		key[i] = (uint64_t)msgs[idx[i]].date ^ (1ULL << 63);
	lo = hi = key[0];
	for (i = 1; i < n; i++) {
		if (key[i] < lo)
			lo = key[i];
		if (key[i] > hi)
			hi = key[i];
	}
	for (i = 0; i < n; i++)
		key[i] -= lo;
	for (bits = 0; bits < 64 && ((hi - lo) >> bits) != 0; bits++)
		;
	passes = (bits + 10) / 11;
	digit = passes == 0 ? 0 : (bits + passes - 1) / passes;
	mask = ((size_t)1 << digit) - 1;
	for (pass = 0, shift = 0; pass < passes; pass++, shift += digit) {
		memset(count, 0, (mask + 1) * sizeof *count);
		for (i = 0; i < n; i++)
			count[(key[i] >> shift) & mask]++;
		for (i = 0, sum = 0; i <= mask; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++) {
			k = key[i];
			d = count[(k >> shift) & mask]++;
			key2[d] = k;
			tmp[d] = idx[i];
		}
		ksw = key;
		key = key2;
		key2 = ksw;
		isw = idx;
		idx = tmp;
		tmp = isw;
	}
	/* After an odd number of passes the result sits in the scratch. */
	if (passes % 2 == 1)
		memcpy(tmp, idx, n * sizeof *idx);
}

/* Build sibling lists in date order and walk them into res. */
static void
thread_order(struct thread_ctx *c, struct thread_result *res,
    const struct thread_msg *msgs, size_t n, const uint32_t *vpar)
{
	uint32_t	*sorted, *child, *next, root = THREAD_NONE, m, p;
	size_t		 i, pos;
	uint32_t	 depth;
	bool		 inorder = true;
	void		*scratch;

	/* scratch: the sort's 2n keys and n indices, then three arrays */
	scratch = thread_scratch(c, n, 2 * sizeof(uint64_t) +
	    4 * sizeof(uint32_t));
	sorted = (uint32_t *)(void *)((uint64_t *)scratch + 2 * n) + n;
	child = sorted + n;
	next = child + n;
	for (i = 0; i < n; i++) {
		sorted[i] = (uint32_t)i;
		if (i > 0 && msgs[i].date < msgs[i - 1].date)
			inorder = false;
	}
	if (!inorder)
		thread_sort(sorted, n, msgs, scratch);
	memset(child, 0xff, n * sizeof *child);
	for (i = n; i-- > 0;) {
		m = sorted[i];
		if ((p = vpar[m]) == THREAD_NONE) {
			next[m] = root;
			root = m;
		} else {
			next[m] = child[p];
			child[p] = m;
		}
	}
	pos = 0;
	depth = 0;
	m = root;
	while (m != THREAD_NONE) {
		res->order[pos] = m;
		res->nodes[m].pos = (uint32_t)pos++;
		res->nodes[m].depth = depth;
		res->nodes[m].parent = vpar[m];
		res->nodes[m].last = next[m] == THREAD_NONE;
		if (child[m] != THREAD_NONE) {
			m = child[m];
			depth++;
			continue;
		}
		while (m != THREAD_NONE && next[m] == THREAD_NONE) {
			m = vpar[m];
			depth--;
		}
		if (m != THREAD_NONE)
			m = next[m];
	}
}

/* JWZ step 4, in effect: empty boxes hand their children up. */
static void
thread_parents(const struct thread_ctx *c, uint32_t *vpar)
{
	size_t		 i;
	uint32_t	 x;

	for (i = 0; i < c->n; i++) {
		if (i + THREAD_AHEAD < c->n &&
		    (x = c->box[i + THREAD_AHEAD].parent) != THREAD_NONE)
			thread_prefetch(&c->box[x]);
		x = c->box[i].parent;
		while (x != THREAD_NONE && x >= c->n)
			x = c->box[x].parent;
		vpar[i] = x;
	}
}

int
thread_build(struct thread_result *res, const struct thread_msg *msgs,
    size_t n, struct err *e)
{
	struct thread_ctx	 c;
	uint32_t		*vpar;
	size_t			 size;

	memset(res, 0, sizeof *res);
	if (n > THREAD_MSGS_MAX)
		return err_set(e, ERR_LIMIT, "too many messages to thread");
	memset(&c, 0, sizeof c);
	res->n = n;
	res->order = xreallocarray(NULL, n + 1, sizeof *res->order);
	res->nodes = xcalloc(n + 1, sizeof *res->nodes);
	if (n == 0)
		return 0;
	c.n = c.nbox = n;
	c.capbox = n + n / 4 + 16;
	c.box = xreallocarray(NULL, c.capbox, sizeof *c.box);
	/* Room for every Message-ID at a load of 1/2. */
	for (size = 1024; size < n * 2; size *= 2)
		;
	c.slot = xcalloc(size, sizeof *c.slot);
	c.mask = size - 1;
	c.ref = xreallocarray(NULL, THREAD_BLOCK_REFS, sizeof *c.ref);
	c.first = xreallocarray(NULL, THREAD_BLOCK_MSGS + 1, sizeof *c.first);
	thread_claim_ids(&c, msgs);
	thread_link(&c, msgs);
	free(c.ref);
	free(c.first);
	vpar = xreallocarray(NULL, n, sizeof *vpar);
	thread_parents(&c, vpar);
	thread_by_subject(&c, msgs, vpar, res->nodes);
	free(c.box);
	thread_order(&c, res, msgs, n, vpar);
	free(c.slot);
	free(c.scratch);
	free(vpar);
	return 0;
}

void
thread_result_free(struct thread_result *res)
{
	free(res->order);
	free(res->nodes);
	memset(res, 0, sizeof *res);
}

void
thread_prefix(const struct thread_result *res, uint32_t idx,
    struct buf *out)
{
	uint32_t	 lv[THREAD_PREFIX_MAX], a, d;
	int		 k, nlv;

	if (idx >= res->n || (d = res->nodes[idx].depth) == 0)
		return;
	/* Ancestors below the root, innermost first. */
	nlv = 0;
	for (a = res->nodes[idx].parent; a != THREAD_NONE &&
	    res->nodes[a].depth > 0 && nlv < THREAD_PREFIX_MAX - 1;
	    a = res->nodes[a].parent)
		lv[nlv++] = a;
	if (d - 1 > (uint32_t)nlv)
		buf_add_str(out, "\xe2\x80\xa6");
	for (k = nlv - 1; k >= 0; k--)
		buf_add_str(out, res->nodes[lv[k]].last ? "  " :
		    "\xe2\x94\x82 ");
	buf_add_str(out, res->nodes[idx].last ? "\xe2\x94\x94\xe2\x94\x80" :
	    "\xe2\x94\x9c\xe2\x94\x80");
}
