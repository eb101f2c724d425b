/* SPDX-License-Identifier: ISC */
/*
 * The POP3 spool: a Maildir plus an append-only journal of the UIDLs it
 * holds.  Plain file I/O; never prints, never touches the network.
 *
 * Journal lines (PATH/pons-spool.journal):
 *   M UIDLHEX|- SIZE MIDHASH TIME NAME|- [FSIZE]
 *		a held message (NAME in tmp/, new/ or cur/; "-": duplicate);
 *		FSIZE, the bytes of the file as written, is missing from
 *		lines written before it was added (not checked then)
 *   X UIDLHEX	the server deleted it
 *   P [BOOTID]	the records below are not yet known durable; written
 *		in the boot BOOTID
 *   S		every record above is durable
 *
 * Two ways to commit a batch.  Synced (a run that may DELE): message data
 * and tmp/'s entries synced (one syncfs() on Linux; else each file, then
 * tmp/), M lines written and fsync()ed (the durable point, before any
 * DELE), files renamed into new/ (not synced: the journal says where a
 * file belongs).  Deferred (spool_set_deferred, a keep_on_server run): the
 * same order without either sync, a P written before the first such M
 * line; the records are not spool_is_durable().  That is safe because
 * the server still holds every message of such a run, and the only harm
 * a crash can do is a record whose file did not reach the disk: the next
 * spool_open() finds a P without a later S, calls syncfs() once, and
 * checks each record below it.  A file shorter than FSIZE did not
 * survive: it is removed and its record forgotten by a rewrite of the
 * journal, so the next fetch downloads the message again (not as a
 * duplicate).  A longer one was changed here (a crash never makes one
 * longer) and stays.  A file found nowhere: the P carries the boot id of
 * its run (Linux's /proc/sys/kernel/random/boot_id); in the same boot
 * nothing the kernel held was lost, so the user deleted it and the record
 * stays; after a restart (a crash is one), or with no id to compare, the
 * crash may have lost the file with its directory entry, whatever the
 * file system promises, so the record is forgotten and the message
 * fetched again (one the user deleted just before a restart comes back:
 * the safe side).  Then an S, fsync()ed, is the new durable point (a
 * compacted journal needs none: it has no P).  A synced commit after
 * deferred ones appends the S itself.
 *
 * spool_open() finishes the renames a crash lost (a recorded file in tmp/
 * goes to new/; one left under both names loses its tmp/ name), then
 * checks a deferred run; a torn last line is cut off.  The disk work of a
 * commit may run in a worker thread (spool_commit_start) while the caller
 * receives the next batch; the tables change only when it has landed.
 *
 * spool_compact() rewrites the journal without the messages the server
 * deleted (a new file, fsync()ed, renamed over the old one), keeping a P
 * above records not yet known durable; a record whose UIDL was taken over
 * by another message keeps its Message-ID and size (for the duplicate
 * check) without the UIDL.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "store/spool.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/seed.h"
#include "util/str.h"
#include "util/thread.h"
#include "util/xmalloc.h"

#define SPOOL_JOURNAL	"pons-spool.journal"
#define SPOOL_LOCK	"pons-spool.lock"
#define SPOOL_HDR_MAX	(64 * 1024)	/* header bytes kept for Message-ID */
#define SPOOL_TMP_AGE	(36 * 3600)	/* Maildir: stale tmp/ files */
#define SPOOL_COMPACT_MIN 1024		/* deleted records before a rewrite */

#define SPOOL_FSIZE_NONE UINT64_MAX	/* an old M line: size unknown */
#define SPOOL_BOOT_MAX	64		/* a boot id and its NUL */

struct spool_rec {
	char		*uidl;		/* NULL: server without UIDL */
	size_t		 ulen;
	uint64_t	 size;		/* server (LIST) size */
	uint64_t	 mid;		/* hash of Message-ID or header */
	int64_t		 time;		/* when recorded */
	uint64_t	 fsize;		/* bytes of the file as written */
	char		*name;		/* Maildir base name or NULL */
	bool		 gone;		/* deleted from the server */
	bool		 replaced;	/* its UIDL now names another */
	bool		 unsynced;	/* below a P: not known durable */
	bool		 dropped;	/* its file did not survive: forgotten */
};

struct spool_tab {
	uint32_t	*slot;		/* record index + 1; 0 = empty */
	size_t		 cap;		/* power of two */
	size_t		 used;
	uint64_t	 seed;		/* see spool_slot() */
};

struct spool_pending {
	struct maildir_tmp *tmp;	/* NULL for a duplicate */
	struct spool_rec rec;
};

/*
 * A batch being committed.  While a worker thread runs it, the thread
 * owns pend[].tmp, the journal descriptor and the directory syncs; the
 * loop's thread may only read pend[].rec (the duplicate check).
 */
struct spool_flight {
	struct spool_pending *pend;
	size_t		 n;
	pthread_t	 tid;
	bool		 threaded;
	bool		 deferred;	/* no syncs: the records stay unsynced */
	bool		 mark;		/* write P before the M lines */
	bool		 settle;	/* write S after them (all synced now) */
	bool		 check;		/* no batch: spool_settle() (at open) */
	bool		 durable;	/* M lines written (fsync()ed unless
					   deferred) */
	int		 rc;
	struct err	 err;
};

struct spool {
	char			*path;
	int			 lockfd;
	int			 jfd;		/* journal */
	int			 tmpdirfd;	/* md's tmp/ (borrowed) */
	struct maildir		*md;
	struct spool_rec	*recs;
	size_t			 nrecs, caprecs, ngone, nreplaced;
	size_t			 ndropped;
	size_t			 pfrom;		/* first record below the P */
	bool			 punsure;	/* a P without a later S */
	char			 boot[SPOOL_BOOT_MAX];	/* this boot's id, or "" */
	char			 pboot[SPOOL_BOOT_MAX];	/* the P's, or "" */
	bool			 deferred;	/* spool_set_deferred */
	size_t			 nchecked, nbad; /* by spool_open */
	struct spool_tab	 by_uidl;
	struct spool_tab	 by_mid;
	struct spool_pending	*pend;
	size_t			 npend, cappend;
	uint64_t		 pend_bytes;
	/* the message being received */
	struct maildir_tmp	*cur;
	struct spool_rec	 currec;
	struct buf		 hdr;
	bool			 hdr_done;
	bool			 sync;
	time_t			 clock;		/* 0: time(NULL) */
	unsigned int		 steps, stop_after;
	bool			 stopped;
	bool			 jdirty;	/* X lines not fsync()ed */
	struct spool_flight	*fly;		/* commit in flight */
	int			 flypipe[2];	/* a byte when it lands */
};

static uint64_t
spool_hash(const void *p, size_t len, uint64_t h)
{
	const unsigned char	*c = p;
	size_t			 i;

	/* FNV-1a, 64 bit */
	for (i = 0; i < len; i++) {
		h ^= c[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define SPOOL_FNV_INIT	0xcbf29ce484222325ULL

static uint64_t
spool_rec_uidl_hash(const struct spool_rec *r)
{
	return spool_hash(r->uidl, r->ulen, SPOOL_FNV_INIT);
}

static uint64_t
spool_rec_mid_hash(uint64_t mid, uint64_t size)
{
	return spool_hash(&size, sizeof size, mid);
}

/*
 * The slot of a key's hash: UIDLs come from the server and Message-IDs
 * from whoever sends mail, and FNV's low bits depend only on the low
 * bits of what it hashed, so keys could be made up to share a slot.  The
 * hash is mixed with a seed the table draws (seed_mix).
 */
static size_t
spool_slot(const struct spool_tab *t, uint64_t h)
{
	return (size_t)seed_mix(h, t->seed) & (t->cap - 1);
}

static void spool_tab_insert(struct spool *, struct spool_tab *, uint32_t,
    bool);
static void spool_rec_format(struct buf *, const struct spool_rec *);
static int spool_write_all(struct spool *, const char *, size_t,
    struct err *);

/* Copy a boot id (letters, digits and '-' only, else none) into dst. */
static void
spool_boot_set(char *dst, const char *id)
{
	size_t	 n = strspn(id, "0123456789abcdefABCDEF-");

	if (id[n] != '\0' || n >= SPOOL_BOOT_MAX)
		n = 0;
	memcpy(dst, id, n);
	dst[n] = '\0';
}

/*
 * This boot's id (Linux: a new one at every start of the kernel), or ""
 * where there is none.  A deferred run's P carries it: records checked
 * in the same boot lost nothing the kernel held, whatever the file
 * system; after a restart (which a crash is) they may have.
 */
static void
spool_boot_read(char *dst)
{
	char	 b[SPOOL_BOOT_MAX];
	FILE	*f;

	dst[0] = '\0';
	if ((f = fopen("/proc/sys/kernel/random/boot_id", "re")) == NULL)
		return;
	if (fgets(b, sizeof b, f) != NULL) {
		b[strcspn(b, "\n")] = '\0';
		spool_boot_set(dst, b);
	}
	fclose(f);
}

/* The P line for records of a run in the boot id. */
static void
spool_p_format(struct buf *b, const char *boot)
{
	buf_add_str(b, "P");
	if (boot[0] != '\0') {
		buf_add_str(b, " ");
		buf_add_str(b, boot);
	}
	buf_add_str(b, "\n");
}

static void
spool_tab_grow(struct spool *s, struct spool_tab *t, bool uidl)
{
	uint32_t	*old = t->slot;
	size_t		 oldcap = t->cap, i;

	if (t->cap == 0)
		t->seed = seed_random();
	t->cap = t->cap ? t->cap * 2 : 64;
	t->slot = xcalloc(t->cap, sizeof *t->slot);
	t->used = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i] != 0)
			spool_tab_insert(s, t, old[i] - 1, uidl);
	free(old);
}

/* The longest walk from a key's slot to the key in t. */
static size_t
spool_tab_probe_max(const struct spool *s, const struct spool_tab *t,
    bool uidl)
{
	const struct spool_rec	*r;
	size_t			 i, d, max = 0;

	for (i = 0; i < t->cap; i++) {
		if (t->slot[i] == 0)
			continue;
		r = &s->recs[t->slot[i] - 1];
		d = (i - spool_slot(t, uidl ? spool_rec_uidl_hash(r) :
		    spool_rec_mid_hash(r->mid, r->size))) & (t->cap - 1);
		if (d > max)
			max = d;
	}
	return max;
}

size_t
spool_probe_max(const struct spool *s)
{
	size_t	 a = spool_tab_probe_max(s, &s->by_uidl, true);
	size_t	 b = spool_tab_probe_max(s, &s->by_mid, false);

	return a > b ? a : b;
}

static bool
spool_rec_same(const struct spool_rec *a, const struct spool_rec *b,
    bool uidl)
{
	if (uidl)
		return a->ulen == b->ulen &&
		    memcmp(a->uidl, b->uidl, a->ulen) == 0;
	return a->mid == b->mid && a->size == b->size;
}

/* Insert record idx, replacing an equal key. */
static void
spool_tab_insert(struct spool *s, struct spool_tab *t, uint32_t idx,
    bool uidl)
{
	const struct spool_rec	*r = &s->recs[idx];
	size_t			 i;

	if ((t->used + 1) * 2 > t->cap)
		spool_tab_grow(s, t, uidl);
	i = spool_slot(t, uidl ? spool_rec_uidl_hash(r) :
	    spool_rec_mid_hash(r->mid, r->size));
	while (t->slot[i] != 0) {
		if (spool_rec_same(&s->recs[t->slot[i] - 1], r, uidl)) {
			t->slot[i] = idx + 1;
			return;
		}
		i = (i + 1) & (t->cap - 1);
	}
	t->slot[i] = idx + 1;
	t->used++;
}

static struct spool_rec *
spool_tab_find(struct spool *s, struct spool_tab *t,
    const struct spool_rec *key, bool uidl)
{
	size_t	 i;

	if (t->cap == 0)
		return NULL;
	i = spool_slot(t, uidl ? spool_rec_uidl_hash(key) :
	    spool_rec_mid_hash(key->mid, key->size));
	while (t->slot[i] != 0) {
		if (spool_rec_same(&s->recs[t->slot[i] - 1], key, uidl))
			return &s->recs[t->slot[i] - 1];
		i = (i + 1) & (t->cap - 1);
	}
	return NULL;
}

static struct spool_rec *
spool_find_uidl(struct spool *s, const char *uidl, size_t len)
{
	struct spool_rec	 key;
	struct spool_rec	*r;

	memset(&key, 0, sizeof key);
	key.uidl = (char *)(uintptr_t)uidl;
	key.ulen = len;
	r = spool_tab_find(s, &s->by_uidl, &key, true);
	return r != NULL && !r->gone && !r->replaced && !r->dropped ? r : NULL;
}

/* Add a record (taking its strings) to the tables. */
static void
spool_rec_add(struct spool *s, struct spool_rec *r)
{
	uint32_t	 idx;

	if (s->nrecs == s->caprecs) {
		s->caprecs = s->caprecs ? s->caprecs * 2 : 256;
		s->recs = xreallocarray(s->recs, s->caprecs, sizeof *s->recs);
	}
	idx = (uint32_t)s->nrecs;
	s->recs[s->nrecs++] = *r;
	if (r->uidl != NULL)
		spool_tab_insert(s, &s->by_uidl, idx, true);
	spool_tab_insert(s, &s->by_mid, idx, false);
}

static int
spool_step(struct spool *s, struct err *e)
{
	if (s->stop_after == 0)	/* no count: a worker may be running */
		return 0;
	s->steps++;
	if (s->stop_after != 0 && s->steps >= s->stop_after) {
		s->stopped = true;
		return err_set(e, ERR_LOCAL, "spool stopped by the test hook "
		    "after step %u", s->steps);
	}
	return 0;
}

static int
spool_check(struct spool *s, struct err *e)
{
	if (s->stopped)
		return err_set(e, ERR_LOCAL, "spool stopped by the test hook");
	return 0;
}

/* Land a commit in flight before touching the journal. */
static int
spool_commit_wait(struct spool *s, struct err *e)
{
	/* a check (spool_settle_start) is what calls this, in its worker */
	if (s->fly == NULL || s->fly->check)
		return 0;
	return spool_commit_finish(s, e) == -1 ? -1 : 0;
}

/* The commit pipe: close-on-exec, never blocking. */
static int
spool_fd_setup(int fd)
{
	int	 fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return -1;
	return 0;
}

int
spool_lock(const char *path, struct err *e)
{
	char	*p;
	int	 fd;

	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		return err_sys(e, ERR_LOCAL, "mkdir %s", path);
	p = xasprintf("%s/%s", path, SPOOL_LOCK);
	fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(p);
	if (fd == -1)
		return err_sys(e, ERR_LOCAL, "%s/%s", path, SPOOL_LOCK);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		close(fd);
		if (errno == EWOULDBLOCK)
			return err_set(e, ERR_TEMP, "%s is in use by another "
			    "pons", path);
		return err_sys(e, ERR_LOCAL, "lock %s", path);
	}
	return fd;
}

void
spool_unlock(int fd)
{
	if (fd != -1)
		close(fd);
}

static int
spool_hex_decode(const char *p, size_t len, struct buf *out)
{
	static const char	 hex[] = "0123456789abcdef";
	const char		*a, *b;
	size_t			 i;

	if (len % 2 != 0 || len == 0)
		return -1;
	for (i = 0; i < len; i += 2) {
		if ((a = memchr(hex, p[i], 16)) == NULL ||
		    (b = memchr(hex, p[i + 1], 16)) == NULL)
			return -1;
		buf_add_byte(out, (unsigned char)((a - hex) << 4 | (b - hex)));
	}
	return 0;
}

static void
spool_hex_encode(struct buf *out, const char *p, size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 pair[2];
	size_t			 i;

	/* once per message and commit: no printf per byte */
	buf_reserve(out, len * 2);
	for (i = 0; i < len; i++) {
		pair[0] = hex[(unsigned char)p[i] >> 4];
		pair[1] = hex[(unsigned char)p[i] & 0xf];
		buf_add(out, pair, 2);
	}
}

/* Split line into at most n space-separated words. */
static size_t
spool_words(char *line, char **w, size_t n)
{
	size_t	 i = 0;
	char	*p = line, *sp;

	while (i < n && *p != '\0') {
		w[i++] = p;
		if ((sp = strchr(p, ' ')) == NULL)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	return i;
}

static int
spool_parse_line(struct spool *s, char *line)
{
	struct spool_rec	 r, *old;
	struct buf		 u = BUF_INIT;
	char			*w[8], *end;
	size_t			 n;

	n = spool_words(line, w, 8);
	if ((n == 1 || n == 2) && strcmp(w[0], "P") == 0) {
		if (!s->punsure) {
			s->punsure = true;
			s->pfrom = s->nrecs;
			spool_boot_set(s->pboot, n == 2 ? w[1] : "");
		}
		return 0;
	}
	if (n == 1 && strcmp(w[0], "S") == 0) {
		for (; s->punsure && s->pfrom < s->nrecs; s->pfrom++)
			s->recs[s->pfrom].unsynced = false;
		s->punsure = false;
		return 0;
	}
	if (n == 2 && strcmp(w[0], "X") == 0) {
		if (spool_hex_decode(w[1], strlen(w[1]), &u) == -1)
			goto bad;
		if ((old = spool_find_uidl(s, u.data, u.len)) != NULL) {
			old->gone = true;
			s->ngone++;
		}
		buf_fini(&u);
		return 0;
	}
	if ((n != 6 && n != 7) || strcmp(w[0], "M") != 0)
		goto bad;
	memset(&r, 0, sizeof r);
	r.fsize = SPOOL_FSIZE_NONE;
	if (strcmp(w[1], "-") != 0) {
		if (spool_hex_decode(w[1], strlen(w[1]), &u) == -1)
			goto bad;
		r.ulen = u.len;
		r.uidl = buf_take(&u, NULL);
	}
	errno = 0;
	r.size = strtoull(w[2], &end, 10);
	if (*end != '\0' || errno != 0)
		goto badrec;
	r.mid = strtoull(w[3], &end, 16);
	if (*end != '\0' || errno != 0)
		goto badrec;
	r.time = strtoll(w[4], &end, 10);
	if (*end != '\0' || errno != 0)
		goto badrec;
	if (strcmp(w[5], "-") != 0) {
		if (strchr(w[5], '/') != NULL || w[5][0] == '.')
			goto badrec;
		r.name = xstrdup(w[5]);
	}
	if (n == 7) {
		r.fsize = strtoull(w[6], &end, 10);
		if (*end != '\0' || errno != 0 || r.fsize == SPOOL_FSIZE_NONE) {
			free(r.name);
			goto badrec;
		}
	}
	r.unsynced = s->punsure;
	if (r.uidl != NULL &&
	    (old = spool_find_uidl(s, r.uidl, r.ulen)) != NULL) {
		old->replaced = true;	/* a reused UIDL: the newer one wins */
		s->nreplaced++;
	}
	spool_rec_add(s, &r);
	return 0;
badrec:
	free(r.uidl);
bad:
	buf_fini(&u);
	return -1;
}

/* Read the journal; cut off a torn or corrupt tail. */
static int
spool_load(struct spool *s, struct err *e)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[65536], *line, *nl;
	ssize_t		 n;
	size_t		 off = 0;

	while ((n = read(s->jfd, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			buf_fini(&b);
			return err_sys(e, ERR_LOCAL, "read %s/%s", s->path,
			    SPOOL_JOURNAL);
		}
		buf_add(&b, chunk, (size_t)n);
	}
	while (off < b.len && (nl = memchr(b.data + off, '\n',
	    b.len - off)) != NULL) {
		line = b.data + off;
		*nl = '\0';
		if (spool_parse_line(s, line) == -1)
			break;
		off = (size_t)(nl - b.data) + 1;
	}
	if (off < b.len) {
		log_warn("%s/%s: cutting a damaged tail of %zu bytes",
		    s->path, SPOOL_JOURNAL, b.len - off);
		if (ftruncate(s->jfd, (off_t)off) == -1 ||
		    fsync(s->jfd) == -1) {
			buf_fini(&b);
			return err_sys(e, ERR_LOCAL, "truncate %s/%s",
			    s->path, SPOOL_JOURNAL);
		}
	}
	buf_fini(&b);
	return 0;
}

static int
spool_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Finish deliveries a crash interrupted: a recorded file still in tmp/
 * was durable before it was recorded, so it goes into new/ (or, when a
 * crash kept new/'s entry but not tmp/'s removal, only leaves tmp/).
 * Unrecorded files older than 36 hours are removed (the Maildir
 * convention).
 */
static int
spool_recover(struct spool *s, struct err *e)
{
	struct dirent	*d;
	struct stat	 st;
	DIR		*dir;
	char		**names = NULL, *key;
	size_t		 n = 0, i;
	int		 fd, newfd = maildir_dirfd(s->md, MAILDIR_NEW), moved = 0;
	time_t		 now = time(NULL);

	if ((fd = dup(s->tmpdirfd)) == -1 || (dir = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return err_sys(e, ERR_LOCAL, "%s/tmp", s->path);
	}
	rewinddir(dir);
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if (names == NULL) {
			names = xreallocarray(NULL, s->nrecs + 1,
			    sizeof *names);
			for (i = 0; i < s->nrecs; i++)
				if (s->recs[i].name != NULL)
					names[n++] = s->recs[i].name;
			qsort(names, n, sizeof *names, spool_name_cmp);
		}
		key = d->d_name;
		if (bsearch(&key, names, n, sizeof *names,
		    spool_name_cmp) != NULL) {
			struct stat	 tst;

			/* both names on one file: rename() would do nothing */
			if (fstatat(s->tmpdirfd, d->d_name, &tst, 0) == 0 &&
			    fstatat(newfd, d->d_name, &st, 0) == 0 &&
			    st.st_ino == tst.st_ino && st.st_dev == tst.st_dev) {
				if (unlinkat(s->tmpdirfd, d->d_name, 0) == -1)
					goto fail;
			} else if (renameat(s->tmpdirfd, d->d_name, newfd,
			    d->d_name) == -1)
				goto fail;
			moved++;
		} else if (fstatat(s->tmpdirfd, d->d_name, &st, 0) == 0 &&
		    st.st_mtime + SPOOL_TMP_AGE < now)
			unlinkat(s->tmpdirfd, d->d_name, 0);
	}
	closedir(dir);
	free(names);
	if (moved > 0 && s->sync && fsync(newfd) == -1)
		return err_sys(e, ERR_LOCAL, "fsync %s/new", s->path);
	if (moved > 0)
		log_info("%s: finished %d interrupted deliveries", s->path,
		    moved);
	return 0;
fail:
	err_sys(e, ERR_LOCAL, "recover %s/tmp/%s", s->path, d->d_name);
	closedir(dir);
	free(names);
	return -1;
}

int
spool_compact(struct spool *s, struct err *e)
{
	struct buf		 b = BUF_INIT;
	struct spool_rec	 r;
	char			*tmp, *dst;
	size_t			 i;
	int			 fd, dfd, rc = -1;
	bool			 mark = false;

	if (spool_check(s, e) == -1 || spool_commit_wait(s, e) == -1)
		return -1;
	for (i = 0; i < s->nrecs; i++) {
		if (s->recs[i].gone || s->recs[i].dropped)
			continue;
		/* the records of a deferred run stay below a P */
		if (s->recs[i].unsynced && !mark) {
			spool_p_format(&b, s->pboot);
			mark = true;
		}
		r = s->recs[i];
		if (r.replaced)
			r.uidl = NULL;
		spool_rec_format(&b, &r);
	}
	tmp = xasprintf("%s/%s.new", s->path, SPOOL_JOURNAL);
	dst = xasprintf("%s/%s", s->path, SPOOL_JOURNAL);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1) {
		err_sys(e, ERR_LOCAL, "%s", tmp);
		goto out;
	}
	if (write(fd, b.data != NULL ? b.data : "", b.len) != (ssize_t)b.len ||
	    (s->sync && fsync(fd) == -1)) {
		err_sys(e, ERR_LOCAL, "write %s", tmp);
		close(fd);
		goto out;
	}
	close(fd);
	if (rename(tmp, dst) == -1) {
		err_sys(e, ERR_LOCAL, "rename %s", tmp);
		goto out;
	}
	if (s->sync && (dfd = open(s->path, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) != -1) {
		fsync(dfd);
		close(dfd);
	}
	close(s->jfd);
	if ((s->jfd = open(dst, O_RDWR | O_APPEND | O_CLOEXEC)) == -1) {
		err_sys(e, ERR_LOCAL, "%s", dst);
		goto out;
	}
	s->punsure = mark;	/* pfrom still indexes s->recs */
	rc = 0;
out:
	if (rc == -1)
		unlink(tmp);
	buf_fini(&b);
	free(tmp);
	free(dst);
	return rc;
}

/*
 * A deferred run (a P with no later S) recorded messages without waiting
 * for the disk.  Make everything durable (one syncfs()), then check each
 * of its records: a file shorter than written did not survive a crash,
 * so the record is forgotten (the server still holds the message and the
 * next fetch downloads it again) and the file goes; a file found nowhere
 * was deleted by the user and keeps its record.  Then the journal gets
 * its S (or, when records were dropped, is rewritten without them and
 * without the P), fsync()ed: the new durable point.  A damaged file is
 * first renamed into tmp/ under its recorded name, so a crash before the
 * journal is settled leaves it where spool_recover and this check find
 * it again; it is removed once the journal no longer names it.
 */
static int
spool_settle(struct spool *s, struct err *e)
{
	struct spool_rec	*r;
	struct maildir_entry	 ent;
	size_t			 i, j;
	int			 newfd = maildir_dirfd(s->md, MAILDIR_NEW);
	int			 curfd = maildir_dirfd(s->md, MAILDIR_CUR);
	int			 dfd, found, rc = -1;
	bool			 rebooted;

	if (!s->punsure)
		return 0;
	/* no id (either side) counts as a restart: the safe side */
	rebooted = s->pboot[0] == '\0' || s->boot[0] == '\0' ||
	    strcmp(s->pboot, s->boot) != 0;
#ifdef __linux__
	if (s->sync && syncfs(s->tmpdirfd) == -1)
		return err_sys(e, ERR_LOCAL, "syncfs %s", s->path);
#endif
	/* spool_recover already moved recorded files left in tmp/ to new/ */
	maildir_lookup_batch(s->md, true);
	for (i = s->pfrom; i < s->nrecs; i++) {
		r = &s->recs[i];
		/* a replaced record's UIDL names another message now */
		if (r->gone || r->replaced || r->name == NULL)
			continue;
		s->nchecked++;
		if ((found = maildir_lookup(s->md, r->name, &ent, e)) == -1)
			goto out;
		if (found == 0) {
			/*
			 * Found nowhere.  In the same boot the user deleted
			 * it: no new download.  After a restart the crash
			 * may have lost its directory entry (a file system
			 * need not keep a file that was never synced): the
			 * server still holds it, so it is fetched again.
			 */
			if (rebooted) {
				r->dropped = true;
				s->ndropped++;
				s->nbad++;
			}
			continue;
		}
		dfd = ent.is_new ? newfd : curfd;
#ifndef __linux__
		if (s->sync) {
			int	 fd;

			if ((fd = openat(dfd, ent.name, O_RDONLY |
			    O_CLOEXEC)) == -1 || fsync(fd) == -1) {
				if (fd != -1)
					close(fd);
				err_sys(e, ERR_LOCAL, "fsync %s", ent.name);
				goto out;
			}
			close(fd);
		}
#endif
		/* a crash leaves a file short, never longer */
		if (r->fsize == SPOOL_FSIZE_NONE || ent.size >= r->fsize)
			continue;
		if (renameat(dfd, ent.name, s->tmpdirfd, r->name) == -1) {
			err_sys(e, ERR_LOCAL, "rename %s into tmp/", ent.name);
			goto out;
		}
		r->dropped = true;
		s->ndropped++;
		s->nbad++;
	}
	/* a record of the same message under another UIDL had no file */
	for (i = s->pfrom; s->nbad > 0 && i < s->nrecs; i++) {
		r = &s->recs[i];
		if (r->gone || r->replaced || r->dropped || r->name != NULL)
			continue;
		for (j = s->pfrom; j < s->nrecs; j++)
			if (s->recs[j].dropped &&
			    spool_rec_same(&s->recs[j], r, false)) {
				r->dropped = true;
				s->ndropped++;
				break;
			}
	}
#ifndef __linux__
	if (s->sync && (fsync(newfd) == -1 || fsync(curfd) == -1 ||
	    fsync(s->tmpdirfd) == -1)) {
		err_sys(e, ERR_LOCAL, "fsync %s", s->path);
		goto out;
	}
#endif
	for (i = s->pfrom; i < s->nrecs; i++)
		s->recs[i].unsynced = false;
	if (s->ndropped > 0) {
		if (spool_compact(s, e) == -1)
			goto out;
		for (i = s->pfrom; i < s->nrecs; i++)
			if (s->recs[i].dropped && s->recs[i].name != NULL)
				unlinkat(s->tmpdirfd, s->recs[i].name, 0);
	} else {
		if (spool_write_all(s, "S\n", 2, e) == -1)
			goto out;
		if (s->sync && fsync(s->jfd) == -1) {
			err_sys(e, ERR_LOCAL, "fsync %s/%s", s->path,
			    SPOOL_JOURNAL);
			goto out;
		}
	}
	s->punsure = false;
	if (s->nbad > 0)
		log_warn("%s: %zu message(s) of the last run are short, or "
		    "missing after a restart; they will be fetched again",
		    s->path, s->nbad);
	log_info("%s: checked %zu message(s) not yet known durable, "
	    "dropped %zu", s->path, s->nchecked, s->nbad);
	rc = 0;
out:
	maildir_lookup_batch(s->md, false);
	return rc;
}

struct spool *
spool_open(const char *path, struct err *e)
{
	struct spool	*s;

	if ((s = spool_open_unsettled(path, e)) == NULL)
		return NULL;
	if (spool_settle(s, e) == -1) {
		spool_free(s);
		return NULL;
	}
	return s;
}

struct spool *
spool_open_unsettled(const char *path, struct err *e)
{
	struct spool	*s;
	char		*p;

	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->jfd = s->tmpdirfd = -1;
	s->flypipe[0] = s->flypipe[1] = -1;
	s->sync = true;
	spool_boot_read(s->boot);
	buf_init(&s->hdr);
	if ((s->lockfd = spool_lock(path, e)) == -1)
		goto fail;
	if ((s->md = maildir_open(path, true, e)) == NULL)
		goto fail;
	s->tmpdirfd = maildir_dirfd(s->md, MAILDIR_TMP);
	p = xasprintf("%s/%s", path, SPOOL_JOURNAL);
	s->jfd = open(p, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	free(p);
	if (s->jfd == -1) {
		err_sys(e, ERR_LOCAL, "%s/%s", path, SPOOL_JOURNAL);
		goto fail;
	}
	if (spool_load(s, e) == -1 || spool_recover(s, e) == -1)
		goto fail;
	if (pipe(s->flypipe) == -1 || spool_fd_setup(s->flypipe[0]) == -1 ||
	    spool_fd_setup(s->flypipe[1]) == -1) {
		err_sys(e, ERR_LOCAL, "pipe");
		goto fail;
	}
	/* a journal still to be checked is compacted by the next open */
	if (!s->punsure && s->ngone >= SPOOL_COMPACT_MIN &&
	    s->ngone * 2 >= s->nrecs && spool_compact(s, e) == -1)
		goto fail;
	return s;
fail:
	spool_free(s);
	return NULL;
}

static void
spool_rec_fini(struct spool_rec *r)
{
	free(r->uidl);
	free(r->name);
}

void
spool_free(struct spool *s)
{
	struct err	 e;
	size_t		 i;

	if (s == NULL)
		return;
	/* a batch in flight lands first (recorded or dropped whole) */
	(void)spool_commit_finish(s, &e);
	/* after the test hook fired, leave the disk as a crash would */
	if (!s->stopped) {
		maildir_tmp_abort(s->cur);
		for (i = 0; i < s->npend; i++)
			maildir_tmp_abort(s->pend[i].tmp);
		/* a commit syncs its own lines: only X lines may wait */
		if (s->jfd != -1 && s->sync && s->jdirty)
			fsync(s->jfd);
	}
	for (i = 0; i < s->npend; i++) {
		if (s->stopped)
			maildir_tmp_forget(s->pend[i].tmp);
		spool_rec_fini(&s->pend[i].rec);
	}
	free(s->pend);
	spool_rec_fini(&s->currec);
	for (i = 0; i < s->nrecs; i++)
		spool_rec_fini(&s->recs[i]);
	free(s->recs);
	free(s->by_uidl.slot);
	free(s->by_mid.slot);
	buf_fini(&s->hdr);
	maildir_free(s->md);
	if (s->jfd != -1)
		close(s->jfd);
	for (i = 0; i < 2; i++)
		if (s->flypipe[i] != -1)
			close(s->flypipe[i]);
	spool_unlock(s->lockfd);
	free(s->path);
	free(s);
}

struct maildir *
spool_maildir(struct spool *s)
{
	return s->md;
}

size_t
spool_count(const struct spool *s)
{
	return s->nrecs - s->ngone - s->nreplaced - s->ndropped;
}

void
spool_set_deferred(struct spool *s, bool deferred)
{
	s->deferred = deferred;
}

size_t
spool_open_checked(const struct spool *s, size_t *dropped)
{
	if (dropped != NULL)
		*dropped = s->nbad;
	return s->nchecked;
}

void
spool_set_stop_after(struct spool *s, unsigned int steps)
{
	s->stop_after = steps;
	s->steps = 0;
}

void
spool_set_time(struct spool *s, time_t t)
{
	s->clock = t;
}

void
spool_set_sync(struct spool *s, bool sync)
{
	s->sync = sync;
}

bool
spool_has(struct spool *s, const char *uidl, size_t len, uint64_t size)
{
	struct spool_rec	*r;

	if (uidl == NULL)
		return false;
	/* a different size under a known UIDL: the server reused it */
	return (r = spool_find_uidl(s, uidl, len)) != NULL && r->size == size;
}

bool
spool_is_durable(struct spool *s, const char *uidl, size_t len)
{
	struct spool_rec	*r;

	return uidl != NULL && (r = spool_find_uidl(s, uidl, len)) != NULL &&
	    !r->unsynced;
}

int
spool_msg_begin(struct spool *s, const char *uidl, size_t len, uint64_t size,
    struct err *e)
{
	if (spool_check(s, e) == -1)
		return -1;
	spool_msg_abort(s);
	if ((s->cur = maildir_tmp_new(s->md, e)) == NULL)
		return -1;
	memset(&s->currec, 0, sizeof s->currec);
	if (uidl != NULL) {
		s->currec.uidl = xstrndup(uidl, len);
		s->currec.ulen = len;
	}
	s->currec.size = size;
	buf_reset(&s->hdr);
	s->hdr_done = false;
	return 0;
}

static void
spool_hdr_add(struct spool *s, const char *p, size_t len)
{
	const char	*end;
	size_t		 n = len;
	bool		 found = false;

	if (s->hdr_done || len == 0)
		return;
	/* keep the header only: a piece may hold the whole message */
	if (p[0] == '\n' && (s->hdr.len == 0 ||
	    s->hdr.data[s->hdr.len - 1] == '\n')) {
		n = 1;		/* the empty line, or no header at all */
		found = true;
	} else {
		/* the first "\n\n" (memchr is much faster than memmem) */
		for (end = p; (end = memchr(end, '\n', (size_t)(p + len -
		    end))) != NULL && end + 1 < p + len; end++)
			if (end[1] == '\n') {
				n = (size_t)(end - p) + 2;
				found = true;
				break;
			}
	}
	if (s->hdr.len + n > SPOOL_HDR_MAX)
		n = SPOOL_HDR_MAX - s->hdr.len;
	buf_add(&s->hdr, p, n);
	if (found || s->hdr.len >= SPOOL_HDR_MAX)
		s->hdr_done = true;
}

int
spool_msg_write(struct spool *s, const void *p, size_t len, struct err *e)
{
	if (spool_check(s, e) == -1)
		return -1;
	if (s->cur == NULL)
		return err_set(e, ERR_LOCAL, "no message started");
	spool_hdr_add(s, p, len);
	return maildir_tmp_write(s->cur, p, len, e);
}

/*
 * Identity of a message for the duplicate check: its Message-ID (RFC
 * 5322 section 3.6.4), or the whole header when it has none.
 */
static uint64_t
spool_identity(const struct buf *hdr)
{
	const char	*h = hdr->data, *end, *p, *v;
	size_t		 len = hdr->len;
	struct buf	 val = BUF_INIT;
	uint64_t	 id;

	if (h == NULL)
		return SPOOL_FNV_INIT;
	if ((end = strstr(h, "\n\n")) != NULL)
		len = (size_t)(end - h) + 1;
	for (p = h; p < h + len; p = v + 1) {
		if ((v = memchr(p, '\n', (size_t)(h + len - p))) == NULL)
			v = h + len;
		if (str_has_prefix_ci(p, (size_t)(v - p), "Message-ID:")) {
			const char	*q = p + 11;

			/* unfold: continuation lines start with WSP */
			for (;;) {
				for (; q < v; q++)
					if (*q != ' ' && *q != '\t' &&
					    *q != '\r')
						buf_add_byte(&val,
						    (unsigned char)*q);
				if (v + 1 >= h + len || (v[1] != ' ' &&
				    v[1] != '\t'))
					break;
				q = v + 1;
				if ((v = memchr(q, '\n',
				    (size_t)(h + len - q))) == NULL)
					v = h + len;
			}
			break;
		}
	}
	if (val.len > 0)
		id = spool_hash(val.data, val.len, SPOOL_FNV_INIT);
	else
		id = spool_hash(h, len, SPOOL_FNV_INIT ^ 1);
	buf_fini(&val);
	return id;
}

static bool
spool_is_dup(struct spool *s, const struct spool_rec *r)
{
	struct spool_rec	*old;
	size_t			 i;

	/*
	 * gone or not, a copy of this message is (or was) in the spool;
	 * one whose file did not survive a crash is not a copy
	 */
	if ((old = spool_tab_find(s, &s->by_mid, r, false)) != NULL &&
	    !old->dropped)
		return true;
	for (i = 0; i < s->npend; i++)
		if (spool_rec_same(&s->pend[i].rec, r, false))
			return true;
	for (i = 0; s->fly != NULL && i < s->fly->n; i++)
		if (spool_rec_same(&s->fly->pend[i].rec, r, false))
			return true;
	return false;
}

int
spool_msg_end(struct spool *s, bool *dup, struct err *e)
{
	struct spool_pending	*pe;

	*dup = false;
	if (spool_check(s, e) == -1)
		return -1;
	if (s->cur == NULL)
		return err_set(e, ERR_LOCAL, "no message started");
	if (maildir_tmp_close(s->cur, false, e) == -1) {
		spool_msg_abort(s);
		return -1;
	}
	s->currec.mid = spool_identity(&s->hdr);
	if (spool_is_dup(s, &s->currec)) {
		/* same Message-ID and size: the server changed its UIDL */
		*dup = true;
		maildir_tmp_abort(s->cur);
		s->cur = NULL;
		if (s->currec.uidl == NULL) {
			spool_rec_fini(&s->currec);
			memset(&s->currec, 0, sizeof s->currec);
			return spool_step(s, e);
		}
	}
	if (s->npend == s->cappend) {
		s->cappend = s->cappend ? s->cappend * 2 : 64;
		s->pend = xreallocarray(s->pend, s->cappend, sizeof *s->pend);
	}
	pe = &s->pend[s->npend++];
	pe->tmp = s->cur;
	pe->rec = s->currec;
	pe->rec.fsize = SPOOL_FSIZE_NONE;
	if (s->cur != NULL) {
		pe->rec.name = xstrdup(maildir_tmp_name(s->cur));
		pe->rec.fsize = maildir_tmp_size(s->cur);
		s->pend_bytes += pe->rec.fsize;
	}
	s->cur = NULL;
	memset(&s->currec, 0, sizeof s->currec);
	return spool_step(s, e);
}

void
spool_msg_abort(struct spool *s)
{
	if (s->stopped) {
		maildir_tmp_forget(s->cur);	/* as a crash would */
		s->cur = NULL;
	}
	maildir_tmp_abort(s->cur);
	s->cur = NULL;
	spool_rec_fini(&s->currec);
	memset(&s->currec, 0, sizeof s->currec);
}

size_t
spool_pending(const struct spool *s, uint64_t *bytes)
{
	if (bytes != NULL)
		*bytes = s->pend_bytes;
	return s->npend;
}

static int
spool_write_all(struct spool *s, const char *p, size_t len, struct err *e)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(s->jfd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return err_sys(e, ERR_LOCAL, "write %s/%s", s->path,
			    SPOOL_JOURNAL);
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* " " and v in decimal, a minus first when neg. */
static void
spool_add_dec(struct buf *b, uint64_t v, bool neg)
{
	char	 tmp[22];
	size_t	 i = sizeof tmp;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if (neg)
		tmp[--i] = '-';
	tmp[--i] = ' ';
	buf_add(b, tmp + i, sizeof tmp - i);
}

/* The M line of r, without printf: it runs once per message. */
static void
spool_rec_format(struct buf *b, const struct spool_rec *r)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 mid[17];
	int			 i;

	buf_add_str(b, "M ");
	if (r->uidl != NULL)
		spool_hex_encode(b, r->uidl, r->ulen);
	else
		buf_add_str(b, "-");
	spool_add_dec(b, r->size, false);
	mid[0] = ' ';
	for (i = 0; i < 16; i++)
		mid[16 - i] = hex[(r->mid >> (4 * i)) & 0xf];
	buf_add(b, mid, sizeof mid);
	spool_add_dec(b, r->time < 0 ? (uint64_t)0 - (uint64_t)r->time :
	    (uint64_t)r->time, r->time < 0);
	buf_add_str(b, " ");
	buf_add_str(b, r->name != NULL ? r->name : "-");
	if (r->fsize != SPOOL_FSIZE_NONE)
		spool_add_dec(b, r->fsize, false);
	buf_add_str(b, "\n");
}

/* Make the data of the pending files durable (one flush if possible). */
static int
spool_sync_data(struct spool *s, struct err *e)
{
	if (!s->sync)
		return 0;
#ifdef __linux__
	/* file data and metadata, tmp/'s entries included: no fsync(tmp/) */
	if (syncfs(s->tmpdirfd) == -1)
		return err_sys(e, ERR_LOCAL, "syncfs %s", s->path);
	return 0;
#else
	{
		size_t	 i;
		int	 fd;

		for (i = 0; i < s->npend; i++) {
			if (s->pend[i].tmp == NULL)
				continue;
			fd = openat(s->tmpdirfd,
			    maildir_tmp_name(s->pend[i].tmp),
			    O_RDONLY | O_CLOEXEC);
			if (fd == -1 || fsync(fd) == -1) {
				if (fd != -1)
					close(fd);
				return err_sys(e, ERR_LOCAL, "fsync %s/tmp",
				    s->path);
			}
			close(fd);
		}
	}
	if (fsync(s->tmpdirfd) == -1)
		return err_sys(e, ERR_LOCAL, "fsync %s/tmp", s->path);
	return 0;
#endif
}

/*
 * The disk half of a commit, for the batch b (run by the worker thread,
 * or inline): data synced, M lines written and fsync()ed (b->durable),
 * files renamed into new/.  Deferred (b->deferred), the same without the
 * two syncs, the M lines below a P.  Touches only b, the journal and the
 * Maildir's directory descriptors, never the tables.
 */
static int
spool_flight_write(struct spool *s, struct spool_flight *b, struct err *e)
{
	struct buf	 jb = BUF_INIT;
	size_t		 i;
	bool		 failed = false, sync = s->sync && !b->deferred;

	/* the steps are the same either way: the test hook counts them */
	if ((sync && spool_sync_data(s, e) == -1) || spool_step(s, e) == -1)
		return -1;
	if (b->mark)
		spool_p_format(&jb, s->boot);
	for (i = 0; i < b->n; i++)
		spool_rec_format(&jb, &b->pend[i].rec);
	/* synced data and lines below: every record above is durable */
	if (b->settle)
		buf_add_str(&jb, "S\n");
	if (spool_write_all(s, jb.data, jb.len, e) == -1) {
		buf_fini(&jb);
		return -1;
	}
	buf_fini(&jb);
	if (spool_step(s, e) == -1)
		return -1;
	if (sync && fsync(s->jfd) == -1)
		return err_sys(e, ERR_LOCAL, "fsync %s/%s", s->path,
		    SPOOL_JOURNAL);
	if (spool_step(s, e) == -1)
		return -1;
	/*
	 * Recorded (durable unless deferred): a crash from here on is
	 * finished by spool_open, which checks a deferred batch's files.
	 */
	b->durable = true;
	for (i = 0; i < b->n; i++) {
		if (b->pend[i].tmp == NULL)
			continue;
		if (failed || maildir_tmp_publish(b->pend[i].tmp, e) == -1) {
			/* recorded: spool_open will finish the rename */
			maildir_tmp_forget(b->pend[i].tmp);
			failed = true;
		} else if (spool_step(s, e) == -1)
			failed = true;
		b->pend[i].tmp = NULL;
	}
	if (failed)
		return -1;
	/*
	 * No fsync(new/): the journal, not the directory, says what the
	 * spool holds.  A crash that loses these renames leaves recorded
	 * files in tmp/ (a rename is atomic in a journaling file system),
	 * and spool_open() moves them on.  The next batch's syncfs() makes
	 * them durable anyway; this saves a journal commit per batch, and
	 * one after the last message, when nothing overlaps it.
	 */
	return spool_step(s, e);
}

/* The flight's work, then a byte on the pipe: spool_commit_finish(). */
static void
spool_flight_run(struct spool *s)
{
	struct spool_flight	*b = s->fly;
	char			 c = 0;

	if (b->check)
		b->rc = spool_settle(s, &b->err);
	else
		b->rc = spool_flight_write(s, b, &b->err);
	if (s->flypipe[1] != -1)
		while (write(s->flypipe[1], &c, 1) == -1 && errno == EINTR)
			;
}

static void *
spool_flight_main(void *arg)
{
	spool_flight_run(arg);
	return NULL;
}

/*
 * Run s->fly in a worker thread, or inline when asked, while the test
 * hook is set (its step count must not depend on thread timing), or
 * when no thread can start.
 */
static void
spool_flight_go(struct spool *s, bool inline_run)
{
	if (!inline_run && s->stop_after == 0 && s->flypipe[1] != -1 &&
	    thread_start(&s->fly->tid, spool_flight_main, s) == 0) {
		s->fly->threaded = true;
		return;
	}
	spool_flight_run(s);
}

/* Hand the pending batch to a flight (spool_flight_go). */
static int
spool_flight_start(struct spool *s, bool inline_run, struct err *e)
{
	struct spool_flight	*b;
	time_t			 now = s->clock != 0 ? s->clock : time(NULL);
	size_t			 i;

	if (spool_check(s, e) == -1)
		return -1;
	if (s->npend == 0)
		return 0;
	b = xcalloc(1, sizeof *b);
	b->pend = s->pend;
	b->n = s->npend;
	b->deferred = s->deferred;
	b->mark = s->deferred && !s->punsure;
	b->settle = !s->deferred && s->punsure;
	for (i = 0; i < b->n; i++)
		b->pend[i].rec.time = now;
	s->pend = NULL;
	s->npend = s->cappend = 0;
	s->pend_bytes = 0;
	s->fly = b;
	spool_flight_go(s, inline_run);
	return (int)b->n;
}

int
spool_commit_start(struct spool *s, struct err *e)
{
	if (s->fly != NULL)
		return 0;
	return spool_flight_start(s, false, e);
}

int
spool_settle_start(struct spool *s)
{
	if (!s->punsure || s->fly != NULL)
		return 0;
	s->fly = xcalloc(1, sizeof *s->fly);
	s->fly->check = true;
	spool_flight_go(s, false);
	return 1;
}

bool
spool_commit_busy(const struct spool *s)
{
	return s->fly != NULL;
}

int
spool_commit_fd(const struct spool *s)
{
	return s->flypipe[0];
}

int
spool_commit_finish(struct spool *s, struct err *e)
{
	struct spool_flight	*b = s->fly;
	struct spool_rec	*old;
	size_t			 i;
	char			 c[16];
	int			 rc;

	if (b == NULL)
		return 0;
	if (b->threaded)
		pthread_join(b->tid, NULL);
	while (s->flypipe[0] != -1 && read(s->flypipe[0], c, sizeof c) > 0)
		;
	s->fly = NULL;
	/* the tables change only here, in the caller's thread */
	if (b->durable && b->mark) {
		s->punsure = true;
		s->pfrom = s->nrecs;
		memcpy(s->pboot, s->boot, sizeof s->pboot);
	}
	if (b->durable && b->settle) {
		for (i = s->pfrom; i < s->nrecs; i++)
			s->recs[i].unsynced = false;
		s->punsure = false;
	}
	for (i = 0; i < b->n; i++) {
		if (!b->durable) {
			if (s->stopped)	/* as a crash would leave it */
				maildir_tmp_forget(b->pend[i].tmp);
			else
				maildir_tmp_abort(b->pend[i].tmp);
			spool_rec_fini(&b->pend[i].rec);
			continue;
		}
		if (b->pend[i].rec.uidl != NULL && (old = spool_find_uidl(s,
		    b->pend[i].rec.uidl, b->pend[i].rec.ulen)) != NULL) {
			old->replaced = true;
			s->nreplaced++;
		}
		b->pend[i].rec.unsynced = b->deferred;
		spool_rec_add(s, &b->pend[i].rec);
	}
	rc = b->rc == -1 ? -1 : (int)b->n;
	if (rc == -1)
		*e = b->err;
	free(b->pend);
	free(b);
	return rc;
}

int
spool_commit(struct spool *s, struct err *e)
{
	struct err	 e2;
	int		 rc;

	if (s->fly != NULL && spool_commit_finish(s, &e2) == -1) {
		*e = e2;
		return -1;
	}
	if (spool_check(s, e) == -1)
		return -1;
	if (s->npend == 0)
		return 0;
	if ((rc = spool_flight_start(s, true, e)) == -1)
		return -1;
	return spool_commit_finish(s, e);
}

bool
spool_should_delete(struct spool *s, const char *uidl, size_t len,
    const struct spool_policy *p, time_t now)
{
	struct spool_rec	*r;

	if (uidl == NULL || (r = spool_find_uidl(s, uidl, len)) == NULL)
		return false;
	if (!p->keep_on_server)
		return true;
	return p->delete_after_days > 0 &&
	    now - r->time >= (int64_t)p->delete_after_days * 86400;
}

int
spool_forget(struct spool *s, const char *uidl, size_t len, struct err *e)
{
	struct spool_rec	*r;
	struct buf		 b = BUF_INIT;
	int			 rc;

	if (spool_check(s, e) == -1 || spool_commit_wait(s, e) == -1)
		return -1;
	if ((r = spool_find_uidl(s, uidl, len)) == NULL)
		return 0;
	buf_add_str(&b, "X ");
	spool_hex_encode(&b, uidl, len);
	buf_add_str(&b, "\n");
	rc = spool_write_all(s, b.data, b.len, e);
	buf_fini(&b);
	if (rc == -1)
		return -1;
	r->gone = true;
	s->ngone++;
	s->jdirty = true;
	return spool_step(s, e);
}
