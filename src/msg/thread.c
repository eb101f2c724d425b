/* SPDX-License-Identifier: ISC */
/*
 * JWZ threading (https://www.jwz.org/doc/threading.html) over flat arrays.
 * Step 1 builds "boxes" (JWZ's containers) in one array, found through an
 * open-addressing table keyed by Message-ID; only parent links are kept
 * while linking, so re-parenting is O(1).  Empty boxes are then skipped
 * (their children take their place), replies that lost their references
 * are grouped by subject, and one sort by date plus one pass builds the
 * sibling lists that an iterative walk turns into display order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg/thread.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/str.h"
#include "util/xmalloc.h"

struct thread_box {
	const char	*id;		/* borrowed from the caller's headers */
	uint32_t	 idlen;
	uint32_t	 kids;		/* children linked so far (saturating) */
	uint32_t	 parent;	/* box index or THREAD_NONE */
	uint32_t	 msg;		/* message index or THREAD_NONE (empty) */
};

struct thread_ctx {
	struct thread_box	*box;
	size_t			 nbox, capbox;
	uint64_t		*slot;	/* hash << 32 | box index */
	size_t			 mask;	/* table size - 1 */
};

#define THREAD_SLOT_FREE	UINT64_MAX

struct thread_id {
	const char	*p;
	size_t		 len;
};

static uint32_t
thread_hash(const char *p, size_t len, bool fold)
{
	uint64_t	 h = 0x243f6a8885a308d3ULL ^ len, v;
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

static void
thread_table_grow(struct thread_ctx *c, size_t want)
{
	size_t		 size, j;
	uint32_t	 b, h;

	for (size = c->slot == NULL ? 1024 : (c->mask + 1) * 2; size < want;
	    size *= 2)
		;
	free(c->slot);
	c->slot = xreallocarray(NULL, size, sizeof *c->slot);
	memset(c->slot, 0xff, size * sizeof *c->slot);
	c->mask = size - 1;
	for (b = 0; b < c->nbox; b++) {
		if (c->box[b].id == NULL)
			continue;
		h = thread_hash(c->box[b].id, c->box[b].idlen, false);
		for (j = h & c->mask; c->slot[j] != THREAD_SLOT_FREE;
		    j = (j + 1) & c->mask)
			;
		c->slot[j] = (uint64_t)h << 32 | b;
	}
}

static uint32_t
thread_box_add(struct thread_ctx *c, const char *id, size_t len)
{
	struct thread_box	*b;

	if (c->nbox == c->capbox) {
		c->capbox = c->capbox == 0 ? 1024 : c->capbox * 2;
		c->box = xreallocarray(c->box, c->capbox, sizeof *c->box);
	}
	b = &c->box[c->nbox];
	b->id = id;
	b->idlen = (uint32_t)len;
	b->kids = 0;
	b->parent = THREAD_NONE;
	b->msg = THREAD_NONE;
	return (uint32_t)c->nbox++;
}

/* The box for id, created (empty) if new. */
static uint32_t
thread_box_get(struct thread_ctx *c, const char *id, size_t len)
{
	uint64_t	 v;
	uint32_t	 h, b;
	size_t		 j;

	/* Linear probing stays short below a load of 3/4. */
	if (c->slot == NULL || (c->nbox + 1) * 4 > (c->mask + 1) * 3)
		thread_table_grow(c, (c->nbox + 1) * 2);
	h = thread_hash(id, len, false);
	for (j = h & c->mask; (v = c->slot[j]) != THREAD_SLOT_FREE;
	    j = (j + 1) & c->mask) {
		if ((uint32_t)(v >> 32) != h)
			continue;
		b = (uint32_t)v;
		if (c->box[b].idlen == len &&
		    memcmp(c->box[b].id, id, len) == 0)
			return b;
	}
	b = thread_box_add(c, id, len);
	c->slot[j] = (uint64_t)h << 32 | b;
	return b;
}

/*
 * The next message id in p[*off..len): the text between '<' and '>', or
 * (lenient: ids written without brackets) a whitespace-delimited word
 * when brackets is false.  Returns false when there is none.
 */
static bool
thread_id_next(const char *p, size_t len, size_t *off, bool brackets,
    struct thread_id *id)
{
	const char	*q;
	size_t		 i = *off, s;

	if (brackets) {
		while (i < len) {
			if ((q = memchr(p + i, '<', len - i)) == NULL)
				break;
			s = i = (size_t)(q - p) + 1;
			while (i < len && (unsigned char)p[i] > ' ' &&
			    p[i] != '>' && p[i] != '<')
				i++;
			if (i < len && p[i] == '>' && i > s) {
				id->p = p + s;
				id->len = i - s;
				*off = i + 1;
				return true;
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
	if (i == s)
		return false;
	id->p = p + s;
	id->len = i - s;
	return true;
}

static bool
thread_has_bracket(const char *p, size_t len)
{
	return p != NULL && memchr(p, '<', len) != NULL;
}

/* Collect the last THREAD_REFS_MAX ids of References (or In-Reply-To). */
static size_t
thread_refs(const struct thread_msg *m, struct thread_id *ids)
{
	const char	*p;
	size_t		 len, off, count, k, n;
	bool		 br;
	struct thread_id id;

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
	for (count = 0, off = 0; thread_id_next(p, len, &off, br, &id);)
		count++;
	for (n = 0, k = 0, off = 0; thread_id_next(p, len, &off, br, &id);
	    k++)
		if (count - k <= THREAD_REFS_MAX)
			ids[n++] = id;
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
 * link need the loop walk; kids counts links made (never decremented, so
 * it may overstate, which only costs a walk).
 */
static void
thread_set_parent(struct thread_ctx *c, uint32_t child, uint32_t parent)
{
	c->box[child].parent = parent;
	if (c->box[parent].kids < UINT32_MAX)
		c->box[parent].kids++;
}

/* JWZ step 1 for one message; returns its box. */
static uint32_t
thread_link(struct thread_ctx *c, const struct thread_msg *m, uint32_t i,
    struct thread_id *ids, bool *has_refs)
{
	struct thread_id id;
	size_t		 off = 0, k, n;
	uint32_t	 me, b, prev;

	me = THREAD_NONE;
	if (m->msgid != NULL && (thread_id_next(m->msgid, m->msgid_len, &off,
	    thread_has_bracket(m->msgid, m->msgid_len), &id))) {
		me = thread_box_get(c, id.p, id.len);
		/* A duplicate Message-ID gets a box of its own. */
		if (c->box[me].msg != THREAD_NONE)
			me = thread_box_add(c, NULL, 0);
	} else
		me = thread_box_add(c, NULL, 0);
	c->box[me].msg = i;

	n = thread_refs(m, ids);
	*has_refs = n > 0;
	prev = THREAD_NONE;
	for (k = 0; k < n; k++) {
		b = thread_box_get(c, ids[k].p, ids[k].len);
		if (b == me)
			break;
		/* Keep an existing link: the first writer usually knew best. */
		if (prev != THREAD_NONE && c->box[b].parent == THREAD_NONE &&
		    (c->box[b].kids == 0 || !thread_would_loop(c, prev, b)))
			thread_set_parent(c, b, prev);
		prev = b;
	}
	/* The message's own headers decide its parent. */
	if (prev != THREAD_NONE && (c->box[me].kids == 0 ||
	    !thread_would_loop(c, prev, me)))
		thread_set_parent(c, me, prev);
	else if (n == 0)
		c->box[me].parent = THREAD_NONE;
	return me;
}

size_t
thread_subject_base(const char *s, size_t len, size_t *blen, bool *reply)
{
	static const char *const marks[] = { "re", "fwd", "fw", "aw", "sv",
	    "vs", "wg", "antw", "rif", "odp", "tr", "enc", "res", "ynt",
	    "r", NULL };
	size_t		 i = 0, j, k, m;
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
		for (m = 0; marks[m] != NULL; m++) {
			k = strlen(marks[m]);
			if (len - j < k + 1 || !str_eq_ci(s + j, k, marks[m]))
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

/* Replies without references go under the root of their base subject. */
static void
thread_by_subject(const struct thread_msg *msgs, size_t n, uint32_t *vpar,
    const bool *norefs, bool *bysubj)
{
	uint32_t	*slot, best, h, *hashes;
	size_t		 size, mask, j, i, off, blen, boff;
	bool		*isreply, r;
	size_t		*bases, *blens;

	for (size = 64; size < n * 2; size *= 2)
		;
	mask = size - 1;
	slot = xreallocarray(NULL, size, sizeof *slot);
	memset(slot, 0xff, size * sizeof *slot);
	hashes = xreallocarray(NULL, n, sizeof *hashes);
	bases = xreallocarray(NULL, n, sizeof *bases);
	blens = xreallocarray(NULL, n, sizeof *blens);
	isreply = xcalloc(n, sizeof *isreply);
	for (i = 0; i < n; i++) {
		blens[i] = 0;
		if (vpar[i] != THREAD_NONE || msgs[i].subject == NULL)
			continue;
		off = thread_subject_base(msgs[i].subject,
		    msgs[i].subject_len, &blen, &r);
		bases[i] = off;
		blens[i] = blen;
		isreply[i] = r;
		if (blen == 0)
			continue;
		h = hashes[i] = thread_hash(msgs[i].subject + off, blen, true);
		for (j = h & mask; (best = slot[j]) != THREAD_NONE;
		    j = (j + 1) & mask) {
			if (hashes[best] == h && blens[best] == blen &&
			    strncasecmp(msgs[best].subject + bases[best],
			    msgs[i].subject + off, blen) == 0)
				break;
		}
		if (best == THREAD_NONE) {
			slot[j] = (uint32_t)i;
			continue;
		}
		/* Prefer a non-reply, then the earliest. */
		if ((isreply[best] && !isreply[i]) ||
		    (isreply[best] == isreply[i] &&
		    msgs[i].date < msgs[best].date))
			slot[j] = (uint32_t)i;
	}
	for (i = 0; i < n; i++) {
		if (vpar[i] != THREAD_NONE || !norefs[i] || !isreply[i] ||
		    blens[i] == 0)
			continue;
		h = hashes[i];
		boff = bases[i];
		for (j = h & mask; (best = slot[j]) != THREAD_NONE;
		    j = (j + 1) & mask) {
			if (hashes[best] == h && blens[best] == blens[i] &&
			    strncasecmp(msgs[best].subject + bases[best],
			    msgs[i].subject + boff, blens[i]) == 0)
				break;
		}
		if (best != THREAD_NONE && best != i) {
			vpar[i] = best;
			bysubj[i] = true;
		}
	}
	free(slot);
	free(hashes);
	free(bases);
	free(blens);
	free(isreply);
}

/*
 * Stable LSD radix sort of the message indices by date, 16 bits a pass
 * over the date range actually used (two passes for decades of seconds).
 */
static void
thread_sort(uint32_t *idx, size_t n, const struct thread_msg *msgs)
{
	uint64_t	*key, *key2, *ksw, lo, hi, k;
	uint32_t	*tmp, *isw;
	size_t		*count, i, sum, c, d;
	unsigned int	 shift;

	key = xreallocarray(NULL, n, sizeof *key);
	key2 = xreallocarray(NULL, n, sizeof *key2);
	tmp = xreallocarray(NULL, n, sizeof *tmp);
	count = xreallocarray(NULL, 65536, sizeof *count);
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
	for (shift = 0; shift < 64 && ((hi - lo) >> shift) != 0;
	    shift += 16) {
		memset(count, 0, 65536 * sizeof *count);
		for (i = 0; i < n; i++)
			count[(key[i] >> shift) & 0xffff]++;
		for (i = 0, sum = 0; i < 65536; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++) {
			k = key[i];
			d = count[(k >> shift) & 0xffff]++;
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
	if ((shift / 16) % 2 == 1) {
		memcpy(tmp, idx, n * sizeof *idx);
		isw = idx;
		idx = tmp;
		tmp = isw;
	}
	free(tmp);
	free(key);
	free(key2);
	free(count);
}

/* Build sibling lists in date order and walk them into res. */
static void
thread_order(struct thread_result *res, const struct thread_msg *msgs,
    size_t n, const uint32_t *vpar)
{
	uint32_t	*sorted, *child, *next, root = THREAD_NONE, m, p;
	size_t		 i, pos;
	uint32_t	 depth;
	bool		 inorder = true;

	sorted = xreallocarray(NULL, n, sizeof *sorted);
	for (i = 0; i < n; i++) {
		sorted[i] = (uint32_t)i;
		if (i > 0 && msgs[i].date < msgs[i - 1].date)
			inorder = false;
	}
	if (!inorder)
		thread_sort(sorted, n, msgs);
	child = xreallocarray(NULL, n, sizeof *child);
	next = xreallocarray(NULL, n, sizeof *next);
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
	free(sorted);
	free(child);
	free(next);
}

int
thread_build(struct thread_result *res, const struct thread_msg *msgs,
    size_t n, struct err *e)
{
	struct thread_ctx	 c;
	struct thread_id	*ids;
	uint32_t		*mbox, *vpar, x;
	bool			*norefs, *bysubj, has;
	size_t			 i;

	memset(res, 0, sizeof *res);
	if (n > THREAD_MSGS_MAX)
		return err_set(e, ERR_LIMIT, "too many messages to thread");
	memset(&c, 0, sizeof c);
	res->n = n;
	res->order = xreallocarray(NULL, n + 1, sizeof *res->order);
	res->nodes = xcalloc(n + 1, sizeof *res->nodes);
	if (n == 0)
		return 0;
	c.capbox = n + n / 2 + 16;
	c.box = xreallocarray(NULL, c.capbox, sizeof *c.box);
	thread_table_grow(&c, c.capbox + c.capbox / 2);
	ids = xreallocarray(NULL, THREAD_REFS_MAX + 1, sizeof *ids);
	mbox = xreallocarray(NULL, n, sizeof *mbox);
	norefs = xcalloc(n, sizeof *norefs);
	bysubj = xcalloc(n, sizeof *bysubj);
	for (i = 0; i < n; i++) {
		mbox[i] = thread_link(&c, &msgs[i], (uint32_t)i, ids, &has);
		norefs[i] = !has;
	}
	/* JWZ step 4, in effect: empty boxes hand their children up. */
	vpar = xreallocarray(NULL, n, sizeof *vpar);
	for (i = 0; i < n; i++) {
		x = c.box[mbox[i]].parent;
		while (x != THREAD_NONE && c.box[x].msg == THREAD_NONE)
			x = c.box[x].parent;
		vpar[i] = x == THREAD_NONE ? THREAD_NONE : c.box[x].msg;
	}
	thread_by_subject(msgs, n, vpar, norefs, bysubj);
	thread_order(res, msgs, n, vpar);
	for (i = 0; i < n; i++)
		res->nodes[i].by_subject = bysubj[i];
	free(c.box);
	free(c.slot);
	free(ids);
	free(mbox);
	free(norefs);
	free(bysubj);
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
