/* SPDX-License-Identifier: ISC */
/*
 * The folder model: a row array, a string pool and a display order.  No
 * I/O here.  Sorting and threading cost O(n log n) per rebuild; nothing a
 * key press does for drawing walks the whole array.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/folder.h"
#include "app/pattern.h"
#include "util/xmalloc.h"

#define FOLDER_STR_MAX		1000
#define FOLDER_DEPTH_MAX	32	/* deeper replies draw at this depth */

struct folder {
	char			*name;
	struct folder_row	*rows;
	size_t			 nrows;
	size_t			 cap;
	char			*pool;		/* NUL-separated strings */
	size_t			 poollen;
	size_t			 poolcap;
	struct folder_counts	 counts;

	enum folder_sort	 sort;
	bool			 reverse;
	bool			 threads;
	struct pattern		*limit;

	uint32_t		*view;		/* row numbers, display order */
	uint8_t			*depth;		/* per view pos (threads) */
	uint32_t		*more;		/* per view pos: bit L = level L
						   has a later sibling */
	size_t			 nview;
};

/* Used by the qsort comparator, which has no context argument. */
static const struct folder	*sort_folder;

struct folder *
folder_new(const char *name)
{
	struct folder	*f;

	f = xcalloc(1, sizeof *f);
	f->name = xstrdup(name);
	f->sort = FOLDER_SORT_DATE;
	f->poolcap = 4096;
	f->pool = xmalloc(f->poolcap);
	f->pool[0] = '\0';		/* offset 0 is the empty string */
	f->poollen = 1;
	return f;
}

void
folder_free(struct folder *f)
{
	if (f == NULL)
		return;
	pattern_free(f->limit);
	free(f->name);
	free(f->rows);
	free(f->pool);
	free(f->view);
	free(f->depth);
	free(f->more);
	free(f);
}

const char *
folder_name(const struct folder *f)
{
	return f->name;
}

static uint32_t
folder_pool_add(struct folder *f, const char *s)
{
	size_t	 len, off;

	if (s == NULL || *s == '\0')
		return 0;
	len = strnlen(s, FOLDER_STR_MAX);
	if (f->poollen + len + 1 > UINT32_MAX)
		fatalx("folder %s: string pool over 4 GiB", f->name);
	while (f->poollen + len + 1 > f->poolcap) {
		f->poolcap *= 2;
		f->pool = xreallocarray(f->pool, f->poolcap, 1);
	}
	off = f->poollen;
	memcpy(f->pool + off, s, len);
	f->pool[off + len] = '\0';
	f->poollen += len + 1;
	return (uint32_t)off;
}

static void
folder_count_flags(struct folder *f, unsigned int flags, int sign)
{
	struct folder_counts	*c = &f->counts;

	c->total += (size_t)sign;
	if ((flags & FOLDER_SEEN) == 0)
		c->unread += (size_t)sign;
	if (flags & FOLDER_FLAGGED)
		c->flagged += (size_t)sign;
	if (flags & FOLDER_DELETED)
		c->deleted += (size_t)sign;
}

uint32_t
folder_add(struct folder *f, const struct folder_msg *m)
{
	struct folder_row	*r;

	if (f->nrows == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 256;
		f->rows = xreallocarray(f->rows, f->cap, sizeof *f->rows);
	}
	r = &f->rows[f->nrows];
	memset(r, 0, sizeof *r);
	r->date = m->date;
	r->received = m->received;
	r->size = m->size > UINT32_MAX ? UINT32_MAX : (uint32_t)m->size;
	r->from = folder_pool_add(f, m->from);
	r->to = folder_pool_add(f, m->to);
	r->subject = folder_pool_add(f, m->subject);
	r->key = folder_pool_add(f, m->key);
	r->msgid = folder_pool_add(f, m->msgid);
	r->parent = folder_pool_add(f, m->parent);
	r->flags = (uint16_t)m->flags;
	folder_count_flags(f, r->flags, 1);
	return (uint32_t)f->nrows++;
}

size_t
folder_count(const struct folder *f)
{
	return f->nrows;
}

const struct folder_row *
folder_row(const struct folder *f, uint32_t row)
{
	return row < f->nrows ? &f->rows[row] : NULL;
}

const char *
folder_str(const struct folder *f, uint32_t off)
{
	return off < f->poollen ? f->pool + off : "";
}

void
folder_counts(const struct folder *f, struct folder_counts *c)
{
	*c = f->counts;
}

void
folder_key_set(struct folder *f, uint32_t row, const char *key)
{
	if (row < f->nrows)
		f->rows[row].key = folder_pool_add(f, key);
}

void
folder_flags_set(struct folder *f, uint32_t row, unsigned int flags)
{
	if (row >= f->nrows)
		return;
	folder_count_flags(f, f->rows[row].flags, -1);
	f->rows[row].flags = (uint16_t)flags;
	folder_count_flags(f, f->rows[row].flags, 1);
}

size_t
folder_remove_deleted(struct folder *f,
    void (*cb)(void *, const struct folder *, uint32_t), void *arg)
{
	size_t	 i, j;

	for (i = j = 0; i < f->nrows; i++) {
		if (f->rows[i].flags & FOLDER_DELETED) {
			if (cb != NULL)
				cb(arg, f, (uint32_t)i);
			folder_count_flags(f, f->rows[i].flags, -1);
			continue;
		}
		f->rows[j++] = f->rows[i];
	}
	i -= j;
	f->nrows = j;
	folder_view_rebuild(f);
	return i;
}

void
folder_sort_set(struct folder *f, enum folder_sort s, bool reverse)
{
	if (s < FOLDER_SORT_COUNT)
		f->sort = s;
	f->reverse = reverse;
}

enum folder_sort
folder_sort_get(const struct folder *f, bool *reverse)
{
	if (reverse != NULL)
		*reverse = f->reverse;
	return f->sort;
}

void
folder_threads_set(struct folder *f, bool on)
{
	f->threads = on;
}

bool
folder_threads_get(const struct folder *f)
{
	return f->threads;
}

void
folder_limit_take(struct folder *f, struct pattern *p)
{
	pattern_free(f->limit);
	f->limit = p;
}

bool
folder_is_limited(const struct folder *f)
{
	return f->limit != NULL;
}

const char *
folder_sort_name(enum folder_sort s)
{
	static const char *const names[FOLDER_SORT_COUNT] = {
		"date", "received", "sender", "subject", "size"
	};

	return s < FOLDER_SORT_COUNT ? names[s] : "?";
}

/* Subject without "Re:", "Fwd:" and the like, for sorting. */
static const char *
folder_subject_base(const char *s)
{
	for (;;) {
		while (*s == ' ')
			s++;
		if (strncasecmp(s, "re:", 3) == 0)
			s += 3;
		else if (strncasecmp(s, "fw:", 3) == 0)
			s += 3;
		else if (strncasecmp(s, "fwd:", 4) == 0)
			s += 4;
		else
			return s;
	}
}

static int
folder_cmp_key(const struct folder *f, uint32_t a, uint32_t b)
{
	const struct folder_row	*ra = &f->rows[a], *rb = &f->rows[b];
	int			 c = 0;

	switch (f->sort) {
	case FOLDER_SORT_DATE:
		c = (ra->date > rb->date) - (ra->date < rb->date);
		break;
	case FOLDER_SORT_RECEIVED:
		c = (ra->received > rb->received) - (ra->received < rb->received);
		break;
	case FOLDER_SORT_SENDER:
		c = strcasecmp(folder_str(f, ra->from), folder_str(f, rb->from));
		break;
	case FOLDER_SORT_SUBJECT:
		c = strcasecmp(folder_subject_base(folder_str(f, ra->subject)),
		    folder_subject_base(folder_str(f, rb->subject)));
		break;
	case FOLDER_SORT_SIZE:
		c = (ra->size > rb->size) - (ra->size < rb->size);
		break;
	case FOLDER_SORT_COUNT:
		break;
	}
	if (c == 0)	/* stable: arrival order breaks ties */
		c = (a > b) - (a < b);
	return f->reverse ? -c : c;
}

static int
folder_qsort_cmp(const void *pa, const void *pb)
{
	return folder_cmp_key(sort_folder, *(const uint32_t *)pa,
	    *(const uint32_t *)pb);
}

static uint64_t
folder_hash(const char *s)
{
	uint64_t	 h = 1469598103934665603ULL;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/*
 * Threads by reference: a message hangs under the message whose
 * Message-ID its last reference names, if that message is in the view.
 * Returns parent row numbers (UINT32_MAX for roots), indexed by row.
 */
static uint32_t *
folder_thread_parents(const struct folder *f, const uint32_t *rows, size_t n)
{
	uint32_t	*parent, *table;
	size_t		 tsize, i, mask, h;
	const char	*id;

	parent = xreallocarray(NULL, f->nrows ? f->nrows : 1, sizeof *parent);
	for (i = 0; i < f->nrows; i++)
		parent[i] = UINT32_MAX;
	for (tsize = 16; tsize < n * 2; tsize *= 2)
		;
	mask = tsize - 1;
	table = xreallocarray(NULL, tsize, sizeof *table);
	memset(table, 0xff, tsize * sizeof *table);
	for (i = 0; i < n; i++) {
		if (f->rows[rows[i]].msgid == 0)
			continue;
		id = folder_str(f, f->rows[rows[i]].msgid);
		for (h = folder_hash(id) & mask; table[h] != UINT32_MAX;
		    h = (h + 1) & mask)
			if (strcmp(folder_str(f, f->rows[table[h]].msgid), id) == 0)
				break;
		if (table[h] == UINT32_MAX)	/* first copy of an id wins */
			table[h] = rows[i];
	}
	for (i = 0; i < n; i++) {
		if (f->rows[rows[i]].parent == 0)
			continue;
		id = folder_str(f, f->rows[rows[i]].parent);
		for (h = folder_hash(id) & mask; table[h] != UINT32_MAX;
		    h = (h + 1) & mask)
			if (strcmp(folder_str(f, f->rows[table[h]].msgid), id) == 0)
				break;
		if (table[h] != UINT32_MAX && table[h] != rows[i])
			parent[rows[i]] = table[h];
	}
	free(table);
	/* Break reference loops: a row whose ancestors loop becomes a root. */
	for (i = 0; i < n; i++) {
		uint32_t	 r = parent[rows[i]];
		size_t		 steps = 0;

		while (r != UINT32_MAX && r != rows[i] && steps++ < n)
			r = parent[r];
		if (r != UINT32_MAX)
			parent[rows[i]] = UINT32_MAX;
	}
	return parent;
}

/* Lay the sorted rows out as trees: depth-first, siblings in sort order. */
static void
folder_thread_layout(struct folder *f, uint32_t *sorted, size_t n)
{
	uint32_t	*parent, *first, *next, *stack;
	uint32_t	*morestack;
	size_t		 i, sp, pos = 0;
	uint32_t	 nil = UINT32_MAX, r;

	parent = folder_thread_parents(f, sorted, n);
	first = xreallocarray(NULL, f->nrows ? f->nrows : 1, sizeof *first);
	next = xreallocarray(NULL, f->nrows ? f->nrows : 1, sizeof *next);
	memset(first, 0xff, f->nrows * sizeof *first);
	memset(next, 0xff, f->nrows * sizeof *next);
	/* Push in reverse so every child list comes out in sort order. */
	for (i = n; i-- > 0;) {
		r = sorted[i];
		if (parent[r] != nil) {
			next[r] = first[parent[r]];
			first[parent[r]] = r;
		}
	}
	stack = xreallocarray(NULL, n + 1, sizeof *stack);
	morestack = xreallocarray(NULL, n + 1, sizeof *morestack);
	for (i = 0; i < n; i++) {
		if (parent[sorted[i]] != nil)
			continue;
		sp = 0;
		stack[sp] = sorted[i];
		morestack[sp++] = 0;
		while (sp > 0) {
			uint32_t	 more, depth;

			r = stack[--sp];
			more = morestack[sp];
			/* depth = number of ancestors, counted by walking */
			depth = 0;
			for (uint32_t a = parent[r]; a != nil && depth <
			    FOLDER_DEPTH_MAX; a = parent[a])
				depth++;
			f->view[pos] = r;
			f->depth[pos] = (uint8_t)depth;
			f->more[pos] = more;
			pos++;
			/* Children: push in reverse so the first pops first. */
			{
				size_t		 k, base = sp;
				uint32_t	 c;

				for (c = first[r]; c != nil; c = next[c])
					stack[sp++] = c;
				for (k = 0; k < (sp - base) / 2; k++) {
					c = stack[base + k];
					stack[base + k] = stack[sp - 1 - k];
					stack[sp - 1 - k] = c;
				}
				for (k = base; k < sp; k++) {
					uint32_t	 m = more;

					/* the first child in the list (top
					 * of stack) is not last unless alone */
					if (depth + 1 < 32 && k != base)
						m |= 1U << (depth + 1);
					else if (depth + 1 < 32)
						m &= ~(1U << (depth + 1));
					morestack[k] = m;
				}
			}
		}
	}
	free(parent);
	free(first);
	free(next);
	free(stack);
	free(morestack);
}

void
folder_view_rebuild(struct folder *f)
{
	size_t	 i, n = 0;

	free(f->view);
	free(f->depth);
	free(f->more);
	f->view = xreallocarray(NULL, f->nrows ? f->nrows : 1,
	    sizeof *f->view);
	for (i = 0; i < f->nrows; i++)
		if (f->limit == NULL ||
		    pattern_match(f->limit, f, (uint32_t)i))
			f->view[n++] = (uint32_t)i;
	sort_folder = f;
	qsort(f->view, n, sizeof *f->view, folder_qsort_cmp);
	sort_folder = NULL;
	f->nview = n;
	f->depth = NULL;
	f->more = NULL;
	if (!f->threads || n == 0)
		return;
	f->depth = xcalloc(n, sizeof *f->depth);
	f->more = xcalloc(n, sizeof *f->more);
	{
		uint32_t	*sorted = f->view;

		f->view = xreallocarray(NULL, n, sizeof *f->view);
		folder_thread_layout(f, sorted, n);
		free(sorted);
	}
}

size_t
folder_view_count(const struct folder *f)
{
	return f->nview;
}

uint32_t
folder_view_row(const struct folder *f, size_t pos)
{
	return pos < f->nview ? f->view[pos] : UINT32_MAX;
}

void
folder_view_tree(const struct folder *f, size_t pos, char *out,
    size_t outsz)
{
	size_t		 len = 0;
	unsigned int	 d, l;
	const char	*piece;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (f->depth == NULL || pos >= f->nview || f->depth[pos] == 0)
		return;
	d = f->depth[pos];
	for (l = 1; l <= d; l++) {
		bool more = l < 32 && (f->more[pos] & (1U << l));

		if (l < d)
			piece = more ? "\xe2\x94\x82 " : "  ";	/* │ */
		else
			piece = more ? "\xe2\x94\x9c\xe2\x94\x80>" :
			    "\xe2\x94\x94\xe2\x94\x80>";	/* ├─> └─> */
		if (len + strlen(piece) + 1 > outsz)
			break;
		memcpy(out + len, piece, strlen(piece));
		len += strlen(piece);
	}
	out[len] = '\0';
}

size_t
folder_view_find(const struct folder *f, uint32_t row)
{
	size_t	 i;

	for (i = 0; i < f->nview; i++)
		if (f->view[i] == row)
			return i;
	return (size_t)-1;
}
