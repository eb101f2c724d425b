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
#include "msg/thread.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define FOLDER_STR_MAX		1000

/*
 * The match set of the current search: one bit per row (kept as rows are
 * added, change or go) and one bit per view position (rebuilt with the
 * view), so that search next is a scan of words, not of rows.
 */
struct folder_search {
	struct pattern		*pat;		/* NULL: no search */
	uint64_t		*rowbits;	/* by row: matches */
	uint64_t		*evalbits;	/* by row: matched already */
	size_t			 rowcap;	/* rows the bits have room for */
	uint64_t		*viewbits;	/* by view position */
	uint32_t		*vpos;		/* row -> view position */
	size_t			 nvpos;		/* rows vpos covers */
	size_t			 nmatch;	/* matching positions in view */
	/* Building the set, in slices: the view from one position on,
	 * then the rows outside the view. */
	bool			 complete;
	size_t			 from;		/* first view position */
	size_t			 swept;		/* view positions visited */
	size_t			 rowscan;	/* rows visited after that */
};

#define FOLDER_BIT_GET(b, i)	(((b)[(i) / 64] >> ((i) % 64)) & 1)

static void	 folder_search_eval(struct folder *, uint32_t row);
static void	 folder_search_move(struct folder *, uint32_t from,
		    uint32_t to);
static void	 folder_search_view(struct folder *);

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
	size_t			 nview;
	size_t			 vrows;		/* rows the view was built from */
	bool			 vstale;	/* changed other than by appends */
	struct thread_result	 tres;		/* when threaded */
	bool			 threaded;

	struct folder_search	 search;	/* the search match set */
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
	folder_search_take(f, NULL, 0);
	free(f->name);
	free(f->rows);
	free(f->pool);
	free(f->view);
	if (f->threaded)
		thread_result_free(&f->tres);
	free(f);
}

const char *
folder_name(const struct folder *f)
{
	return f->name;
}

void
folder_name_set(struct folder *f, const char *name)
{
	free(f->name);
	f->name = xstrdup(name);
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
	r->order = m->order;
	folder_count_flags(f, r->flags, 1);
	f->nrows++;
	folder_search_eval(f, (uint32_t)(f->nrows - 1));
	return (uint32_t)(f->nrows - 1);
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
	f->vstale = true;
}

void
folder_flags_set(struct folder *f, uint32_t row, unsigned int flags)
{
	if (row >= f->nrows)
		return;
	folder_count_flags(f, f->rows[row].flags, -1);
	f->rows[row].flags = (uint16_t)flags;
	folder_count_flags(f, f->rows[row].flags, 1);
	folder_search_eval(f, row);
}

bool
folder_size_set(struct folder *f, uint32_t row, uint64_t size)
{
	uint32_t	 v = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;

	if (row >= f->nrows || f->rows[row].size == v)
		return false;
	f->rows[row].size = v;
	if (f->sort == FOLDER_SORT_SIZE)
		f->vstale = true;	/* it moves */
	folder_search_eval(f, row);
	return true;
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
		folder_search_move(f, (uint32_t)i, (uint32_t)j);
		f->rows[j++] = f->rows[i];
	}
	i -= j;
	f->nrows = j;
	f->vstale = true;
	folder_view_rebuild(f);
	return i;
}

void
folder_sort_set(struct folder *f, enum folder_sort s, bool reverse)
{
	if (s < FOLDER_SORT_COUNT)
		f->sort = s;
	f->reverse = reverse;
	f->vstale = true;
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
	f->vstale = true;
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
	f->vstale = true;
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
		c = (ra->order > rb->order) - (ra->order < rb->order);
	if (c == 0)
		c = (a > b) - (a < b);
	return f->reverse ? -c : c;
}

static int
folder_qsort_cmp(const void *pa, const void *pb)
{
	return folder_cmp_key(sort_folder, *(const uint32_t *)pa,
	    *(const uint32_t *)pb);
}

/*
 * Thread the sorted rows with the message engine (JWZ): each row's rank
 * in the sort order is its "date", so threads follow the current sort
 * order and siblings keep it too.
 */
static void
folder_thread(struct folder *f, uint32_t *sorted, size_t n)
{
	struct thread_msg	*msgs;
	const struct folder_row	*r;
	const char		*s;
	size_t			 i;

	msgs = xcalloc(n, sizeof *msgs);
	for (i = 0; i < n; i++) {
		r = &f->rows[sorted[i]];
		s = folder_str(f, r->msgid);
		msgs[i].msgid = s;
		msgs[i].msgid_len = strlen(s);
		if (r->parent != 0) {
			s = folder_str(f, r->parent);
			msgs[i].irt = s;
			msgs[i].irt_len = strlen(s);
		}
		s = folder_str(f, r->subject);
		msgs[i].subject = s;
		msgs[i].subject_len = strlen(s);
		msgs[i].date = (int64_t)i;
	}
	if (thread_build(&f->tres, msgs, n, NULL) == -1) {
		free(msgs);
		return;		/* over THREAD_MSGS_MAX: stay unthreaded */
	}
	free(msgs);
	f->threaded = true;
	for (i = 0; i < n; i++)
		f->view[i] = sorted[f->tres.order[i]];
}

/*
 * How many rows at the end of the view's first i sort after row r: the
 * view's own rows that go behind r when r is merged in.  Galloping from
 * the back, O(log m) comparisons for m rows: a cold open streams the
 * newest chunk first, so each chunk sorts before every row already in
 * (with a row at a time, merging 100,000 rows cost a rebuild 100,000
 * comparisons).
 */
static size_t
folder_view_after(const struct folder *f, size_t i, uint32_t r)
{
	size_t	 lo, hi, mid, step;

	/* after(t): the row t places from the back sorts after r */
#define after(t)	(folder_cmp_key(f, f->view[i - 1 - (t)], r) > 0)
	if (i == 0 || !after(0))
		return 0;
	lo = 0;			/* after(lo) holds */
	for (step = 1; lo + step < i && after(lo + step); step *= 2)
		lo += step;
	hi = lo + step < i ? lo + step : i;	/* !after(hi), or hi == i */
	lo++;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (after(mid))
			lo = mid + 1;
		else
			hi = mid;
	}
#undef after
	return lo;
}

/*
 * Only rows were added since the last rebuild, and the view is neither
 * threaded, limited nor stale: sort the new rows alone and merge them
 * in from the back, the view's rows that go behind each moved at once.
 * The comparison is a total order (arrival breaks ties), so the result
 * is the one a full sort gives, at O(n + k log n) instead of O(n log n)
 * for each batch of k rows that streams in, and O(k log n) comparisons.
 * (A limit may depend on the clock: it sees every row each time.)
 */
static bool
folder_view_append(struct folder *f)
{
	size_t		 i, j, w, k, m;
	uint32_t	*add;

	if (f->vstale || f->threads || f->threaded || f->limit != NULL ||
	    f->view == NULL || f->vrows > f->nrows)
		return false;
	if (f->vrows == f->nrows)
		return true;
	k = f->nrows - f->vrows;
	add = xreallocarray(NULL, k, sizeof *add);
	for (i = 0; i < k; i++)
		add[i] = (uint32_t)(f->vrows + i);
	sort_folder = f;
	qsort(add, k, sizeof *add, folder_qsort_cmp);
	sort_folder = NULL;
	f->view = xreallocarray(f->view, f->nrows, sizeof *f->view);
	i = f->nview;
	j = k;
	w = f->nview + k;
	while (j > 0) {
		m = folder_view_after(f, i, add[j - 1]);
		i -= m;
		w -= m;
		memmove(f->view + w, f->view + i, m * sizeof *f->view);
		f->view[--w] = add[--j];
	}
	f->nview += k;
	free(add);
	return true;
}

void
folder_view_rebuild(struct folder *f)
{
	size_t		 i, n = 0;
	uint32_t	*sorted;

	if (folder_view_append(f)) {
		f->vrows = f->nrows;
		folder_search_view(f);
		return;
	}
	f->vrows = f->nrows;
	f->vstale = false;
	free(f->view);
	if (f->threaded)
		thread_result_free(&f->tres);
	f->threaded = false;
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
	if (f->threads && n > 0) {
		sorted = xreallocarray(NULL, n, sizeof *sorted);
		memcpy(sorted, f->view, n * sizeof *sorted);
		folder_thread(f, sorted, n);
		free(sorted);
	}
	folder_search_view(f);
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
	struct buf	 b = BUF_INIT;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (!f->threaded || pos >= f->nview)
		return;
	thread_prefix(&f->tres, f->tres.order[pos], &b);
	if (b.len > 0 && b.len < outsz)
		memcpy(out, b.data, b.len + 1);
	buf_fini(&b);
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

/*
 * The search match set.  Building it costs one pattern match per row,
 * once per search, done in slices by folder_search_step(); afterwards
 * only rows that are added or change are matched again, and a view
 * rebuild turns the row bits into position bits in one pass.
 */
static void
folder_search_cover(struct folder_search *fs, size_t row)
{
	size_t	 cap = fs->rowcap;

	if (row < fs->rowcap)
		return;
	fs->rowcap = fs->rowcap == 0 ? 4096 : fs->rowcap * 2;
	while (fs->rowcap <= row)
		fs->rowcap *= 2;
	fs->rowbits = xreallocarray(fs->rowbits, fs->rowcap / 64,
	    sizeof *fs->rowbits);
	fs->evalbits = xreallocarray(fs->evalbits, fs->rowcap / 64,
	    sizeof *fs->evalbits);
	memset(fs->rowbits + cap / 64, 0,
	    (fs->rowcap - cap) / 64 * sizeof *fs->rowbits);
	memset(fs->evalbits + cap / 64, 0,
	    (fs->rowcap - cap) / 64 * sizeof *fs->evalbits);
}

/* Match row now; returns whether it matches. */
static bool
folder_search_match_row(struct folder *f, uint32_t row)
{
	struct folder_search	*fs = &f->search;
	size_t			 pos;
	uint64_t		 bit;
	bool			 was, now;

	folder_search_cover(fs, row);
	bit = (uint64_t)1 << (row % 64);
	was = (fs->rowbits[row / 64] & bit) != 0;
	now = pattern_match(fs->pat, f, row);
	fs->evalbits[row / 64] |= bit;
	if (now)
		fs->rowbits[row / 64] |= bit;
	else
		fs->rowbits[row / 64] &= ~bit;
	/* A row already in the view changes its position's bit too. */
	if (was == now || row >= fs->nvpos ||
	    (pos = fs->vpos[row]) == UINT32_MAX)
		return now;
	bit = (uint64_t)1 << (pos % 64);
	if (now) {
		fs->viewbits[pos / 64] |= bit;
		fs->nmatch++;
	} else {
		fs->viewbits[pos / 64] &= ~bit;
		fs->nmatch--;
	}
	return now;
}

/* Row was added or changed: match it again if the set has it already. */
static void
folder_search_eval(struct folder *f, uint32_t row)
{
	struct folder_search	*fs = &f->search;

	if (fs->pat == NULL)
		return;
	folder_search_cover(fs, row);
	if (fs->complete || FOLDER_BIT_GET(fs->evalbits, row))
		(void)folder_search_match_row(f, row);
}

/* Row from becomes row to (from >= to) while deleted rows are dropped. */
static void
folder_search_move(struct folder *f, uint32_t from, uint32_t to)
{
	struct folder_search	*fs = &f->search;
	uint64_t		 bit = (uint64_t)1 << (to % 64);

	if (fs->pat == NULL || from == to)
		return;
	if (FOLDER_BIT_GET(fs->rowbits, from))
		fs->rowbits[to / 64] |= bit;
	else
		fs->rowbits[to / 64] &= ~bit;
	if (FOLDER_BIT_GET(fs->evalbits, from))
		fs->evalbits[to / 64] |= bit;
	else
		fs->evalbits[to / 64] &= ~bit;
}

static void
folder_search_view(struct folder *f)
{
	struct folder_search	*fs = &f->search;
	size_t			 pos, words;
	uint32_t		 row;

	fs->nvpos = fs->nmatch = 0;
	if (fs->pat == NULL) {
		free(fs->viewbits);
		free(fs->vpos);
		fs->viewbits = NULL;
		fs->vpos = NULL;
		return;
	}
	/* Rows moved: a sweep not done yet starts over (it skips rows
	 * matched already). */
	fs->swept = fs->rowscan = 0;
	folder_search_cover(fs, f->nrows);
	/* Reused from the last rebuild: fresh pages cost more than this. */
	words = f->nview / 64 + 1;
	fs->viewbits = xreallocarray(fs->viewbits, words,
	    sizeof *fs->viewbits);
	memset(fs->viewbits, 0, words * sizeof *fs->viewbits);
	fs->nvpos = f->nrows;
	fs->vpos = xreallocarray(fs->vpos, fs->nvpos + 1, sizeof *fs->vpos);
	memset(fs->vpos, 0xff, (fs->nvpos + 1) * sizeof *fs->vpos);
	for (pos = 0; pos < f->nview; pos++) {
		row = f->view[pos];
		fs->vpos[row] = (uint32_t)pos;
		if (FOLDER_BIT_GET(fs->rowbits, row)) {
			fs->viewbits[pos / 64] |= (uint64_t)1 << (pos % 64);
			fs->nmatch++;
		}
	}
}

void
folder_search_take(struct folder *f, struct pattern *p, size_t from)
{
	struct folder_search	*fs = &f->search;

	pattern_free(fs->pat);
	free(fs->rowbits);
	free(fs->evalbits);
	fs->pat = p;
	fs->rowbits = fs->evalbits = NULL;
	fs->rowcap = 0;
	fs->complete = p == NULL;
	fs->from = from;
	folder_search_view(f);
}

size_t
folder_search_step(struct folder *f, size_t budget)
{
	struct folder_search	*fs = &f->search;
	size_t			 pos, first = (size_t)-1;
	uint32_t		 row;

	while (!fs->complete && budget > 0) {
		if (fs->swept < f->nview) {
			pos = (fs->from + fs->swept++) % f->nview;
			row = f->view[pos];
		} else if (fs->rowscan < f->nrows) {
			/* most rows were matched in the view: skip by words */
			if (fs->rowscan % 64 == 0 && fs->rowscan + 64 <=
			    f->nrows && fs->evalbits[fs->rowscan / 64] ==
			    UINT64_MAX) {
				fs->rowscan += 64;
				continue;
			}
			pos = (size_t)-1;
			row = (uint32_t)fs->rowscan++;
		} else {
			fs->complete = true;
			break;
		}
		folder_search_cover(fs, row);
		if (FOLDER_BIT_GET(fs->evalbits, row))
			continue;
		budget--;
		if (folder_search_match_row(f, row) && first == (size_t)-1)
			first = pos;
	}
	return first;
}

bool
folder_search_complete(const struct folder *f)
{
	return f->search.complete;
}

bool
folder_search_active(const struct folder *f)
{
	return f->search.pat != NULL;
}

size_t
folder_search_count(const struct folder *f)
{
	return f->search.nmatch;
}
bool
folder_search_match(const struct folder *f, size_t pos)
{
	return f->search.pat != NULL && pos < f->nview &&
	    FOLDER_BIT_GET(f->search.viewbits, pos);
}

/* First set bit in [lo, hi), or hi. */
static size_t
folder_bits_first(const uint64_t *b, size_t lo, size_t hi)
{
	size_t		 w;
	uint64_t	 v;

	if (lo >= hi)
		return hi;
	w = lo / 64;
	v = b[w] & (~(uint64_t)0 << (lo % 64));
	for (;;) {
		if (v != 0) {
			lo = w * 64 + (size_t)__builtin_ctzll(v);
			return lo < hi ? lo : hi;
		}
		if (++w * 64 >= hi)
			return hi;
		v = b[w];
	}
}

/* Last set bit in [lo, hi), or hi. */
static size_t
folder_bits_last(const uint64_t *b, size_t lo, size_t hi)
{
	size_t		 w, top;
	uint64_t	 v;

	if (lo >= hi)
		return hi;
	w = (hi - 1) / 64;
	top = (hi - 1) % 64;
	v = b[w] & (top == 63 ? ~(uint64_t)0 : ((uint64_t)2 << top) - 1);
	for (;;) {
		if (v != 0) {
			top = w * 64 + 63 - (size_t)__builtin_clzll(v);
			return top >= lo ? top : hi;
		}
		if (w-- == 0 || (w + 1) * 64 <= lo)
			return hi;
		v = b[w];
	}
}

size_t
folder_search_next(const struct folder *f, size_t pos, bool backward,
    bool *wrapped)
{
	const uint64_t	*b = f->search.viewbits;
	size_t		 n = f->nview, r;

	*wrapped = false;
	if (f->search.pat == NULL || f->search.nmatch == 0 || n == 0)
		return (size_t)-1;
	if (pos >= n)
		pos = backward ? n : n - 1;
	if (!backward) {
		if ((r = folder_bits_first(b, pos + 1, n)) < n)
			return r;
		*wrapped = true;
		r = folder_bits_first(b, 0, pos + 1);
		return r < pos + 1 ? r : (size_t)-1;
	}
	if ((r = folder_bits_last(b, 0, pos)) < pos)
		return r;
	*wrapped = true;
	r = folder_bits_last(b, pos, n);
	return r < n ? r : (size_t)-1;
}
