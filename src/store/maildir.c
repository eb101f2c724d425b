/* SPDX-License-Identifier: ISC */
/*
 * Maildir on local disk: tmp/ -> fsync -> rename into new/ -> fsync dir,
 * scanning, flags by rename.  Plain file I/O only; never prints.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "store/maildir.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define MAILDIR_WBUF	(64 * 1024)	/* write buffer of a delivery */

struct maildir {
	char		*path;
	int		 tmpfd;		/* directory descriptors */
	int		 newfd;
	int		 curfd;
	char		 host[128];	/* sanitised host name */
	unsigned int	 seq;		/* deliveries by this process */
	char		*found;		/* name returned by maildir_lookup */
	bool		 batch;		/* maildir_lookup_batch */
	bool		 cur_read;	/* cur_names holds cur/'s listing */
	char		**cur_names;	/* sorted by maildir_base_cmp */
	size_t		 ncur;
};

struct maildir_tmp {
	struct maildir	*md;
	char		*name;
	int		 fd;
	struct buf	 wbuf;
	uint64_t	 size;
};

struct maildir_scan {
	struct maildir	*md;
	DIR		*dir;
	int		 dirfd;		/* md->newfd or md->curfd */
	bool		 in_cur;
};

static const char	 maildir_letters[] = "DFPRST";

static int
maildir_mkdir(const char *path, struct err *e)
{
	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		return err_sys(e, ERR_LOCAL, "mkdir %s", path);
	return 0;
}

static int
maildir_opendir(const char *path, const char *sub, bool create, struct err *e)
{
	char	*p;
	int	 fd;

	p = xasprintf("%s/%s", path, sub);
	if (create && maildir_mkdir(p, e) == -1) {
		free(p);
		return -1;
	}
	fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		err_sys(e, ERR_LOCAL, "%s is not a Maildir: %s", path, sub);
	free(p);
	return fd;
}

static void
maildir_set_host(struct maildir *md)
{
	char	 h[64];
	size_t	 i, o = 0;

	if (gethostname(h, sizeof h) == -1)
		strlcpy(h, "localhost", sizeof h);
	h[sizeof h - 1] = '\0';
	/* Maildir spec: '/' and ':' in the host name are written in octal */
	for (i = 0; h[i] != '\0' && o + 5 < sizeof md->host; i++) {
		if (h[i] == '/' || h[i] == ':') {
			snprintf(md->host + o, 5, "\\%03o", (unsigned char)h[i]);
			o += 4;
		} else if (h[i] > ' ' && h[i] < 0x7f)
			md->host[o++] = h[i];
	}
	md->host[o] = '\0';
	if (o == 0)
		strlcpy(md->host, "localhost", sizeof md->host);
}

struct maildir *
maildir_open(const char *path, bool create, struct err *e)
{
	struct maildir	*md;

	if (create && maildir_mkdir(path, e) == -1)
		return NULL;
	md = xcalloc(1, sizeof *md);
	md->path = xstrdup(path);
	md->tmpfd = md->newfd = md->curfd = -1;
	if ((md->tmpfd = maildir_opendir(path, "tmp", create, e)) == -1 ||
	    (md->newfd = maildir_opendir(path, "new", create, e)) == -1 ||
	    (md->curfd = maildir_opendir(path, "cur", create, e)) == -1) {
		maildir_free(md);
		return NULL;
	}
	maildir_set_host(md);
	return md;
}

void
maildir_free(struct maildir *md)
{
	if (md == NULL)
		return;
	if (md->tmpfd != -1)
		close(md->tmpfd);
	if (md->newfd != -1)
		close(md->newfd);
	if (md->curfd != -1)
		close(md->curfd);
	maildir_lookup_batch(md, false);
	free(md->found);
	free(md->path);
	free(md);
}

const char *
maildir_path(const struct maildir *md)
{
	return md->path;
}

/* v in decimal, at least width digits, appended to b. */
static void
maildir_add_dec(struct buf *b, unsigned long long v, int width)
{
	char	 tmp[24];
	size_t	 i = sizeof tmp;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 || (int)(sizeof tmp - i) < width);
	buf_add(b, tmp + i, sizeof tmp - i);
}

/* SECONDS.MusecPpidQseq.host, without printf (once per delivery). */
static char *
maildir_tmp_name_new(struct maildir *md, const struct timespec *ts)
{
	struct buf	 b = BUF_INIT;

	buf_reserve(&b, 64 + strlen(md->host));
	maildir_add_dec(&b, ts->tv_sec < 0 ? 0 : (unsigned long long)ts->tv_sec,
	    1);
	buf_add(&b, ".M", 2);
	maildir_add_dec(&b, (unsigned long long)ts->tv_nsec / 1000, 6);
	buf_add(&b, "P", 1);
	maildir_add_dec(&b, (unsigned long long)getpid(), 1);
	buf_add(&b, "Q", 1);
	maildir_add_dec(&b, ++md->seq, 1);
	buf_add(&b, ".", 1);
	buf_add_str(&b, md->host);
	return buf_take(&b, NULL);
}

struct maildir_tmp *
maildir_tmp_new(struct maildir *md, struct err *e)
{
	struct maildir_tmp	*t;
	struct timespec		 ts;
	int			 tries;

	t = xcalloc(1, sizeof *t);
	t->md = md;
	buf_init(&t->wbuf);
	for (tries = 0; tries < 100; tries++) {
		clock_gettime(CLOCK_REALTIME, &ts);
		free(t->name);
		t->name = maildir_tmp_name_new(md, &ts);
		t->fd = openat(md->tmpfd, t->name,
		    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (t->fd != -1)
			return t;
		if (errno != EEXIST)
			break;
	}
	err_sys(e, ERR_LOCAL, "%s/tmp: cannot create a file", md->path);
	free(t->name);
	free(t);
	return NULL;
}

static int
maildir_tmp_flush(struct maildir_tmp *t, struct err *e)
{
	size_t	 off = 0;
	ssize_t	 n;

	while (off < t->wbuf.len) {
		n = write(t->fd, t->wbuf.data + off, t->wbuf.len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return err_sys(e, ERR_LOCAL, "%s/tmp/%s", t->md->path,
			    t->name);
		off += (size_t)n;
	}
	buf_reset(&t->wbuf);
	return 0;
}

int
maildir_tmp_write(struct maildir_tmp *t, const void *p, size_t len,
    struct err *e)
{
	if (t->fd == -1)
		return err_set(e, ERR_LOCAL, "write to a closed delivery");
	if (t->wbuf.len + len > MAILDIR_WBUF && maildir_tmp_flush(t, e) == -1)
		return -1;
	if (len >= MAILDIR_WBUF) {
		buf_add(&t->wbuf, p, len);
		if (maildir_tmp_flush(t, e) == -1)
			return -1;
	} else
		buf_add(&t->wbuf, p, len);
	t->size += len;
	return 0;
}

uint64_t
maildir_tmp_size(const struct maildir_tmp *t)
{
	return t->size;
}

const char *
maildir_tmp_name(const struct maildir_tmp *t)
{
	return t->name;
}

int
maildir_tmp_close(struct maildir_tmp *t, bool sync, struct err *e)
{
	int	 rc = 0;

	if (t->fd == -1)
		return 0;
	if (maildir_tmp_flush(t, e) == -1)
		rc = -1;
	else if (sync && fsync(t->fd) == -1)
		rc = err_sys(e, ERR_LOCAL, "fsync %s/tmp/%s", t->md->path,
		    t->name);
	if (close(t->fd) == -1 && rc == 0)
		rc = err_sys(e, ERR_LOCAL, "close %s/tmp/%s", t->md->path,
		    t->name);
	t->fd = -1;
	buf_fini(&t->wbuf);
	return rc;
}

static void
maildir_tmp_free(struct maildir_tmp *t)
{
	buf_fini(&t->wbuf);
	free(t->name);
	free(t);
}

int
maildir_tmp_publish(struct maildir_tmp *t, struct err *e)
{
	struct maildir	*md = t->md;

	if (t->fd != -1 && maildir_tmp_close(t, false, e) == -1)
		return -1;
	if (renameat(md->tmpfd, t->name, md->newfd, t->name) == -1)
		return err_sys(e, ERR_LOCAL, "rename %s/tmp/%s into new/",
		    md->path, t->name);
	maildir_tmp_free(t);
	return 0;
}

void
maildir_tmp_abort(struct maildir_tmp *t)
{
	if (t == NULL)
		return;
	if (t->fd != -1)
		close(t->fd);
	unlinkat(t->md->tmpfd, t->name, 0);
	maildir_tmp_free(t);
}

void
maildir_tmp_forget(struct maildir_tmp *t)
{
	if (t == NULL)
		return;
	if (t->fd != -1)
		close(t->fd);
	maildir_tmp_free(t);
}

int
maildir_sync_dirs(struct maildir *md, struct err *e)
{
	if (fsync(md->tmpfd) == -1 || fsync(md->newfd) == -1 ||
	    fsync(md->curfd) == -1)
		return err_sys(e, ERR_LOCAL, "fsync %s", md->path);
	return 0;
}

int
maildir_deliver(struct maildir *md, const void *p, size_t len, char **namep,
    struct err *e)
{
	struct maildir_tmp	*t;
	char			*name;

	if ((t = maildir_tmp_new(md, e)) == NULL)
		return -1;
	if (maildir_tmp_write(t, p, len, e) == -1 ||
	    maildir_tmp_close(t, true, e) == -1) {
		maildir_tmp_abort(t);
		return -1;
	}
	name = xstrdup(t->name);
	if (maildir_tmp_publish(t, e) == -1) {
		maildir_tmp_abort(t);
		free(name);
		return -1;
	}
	if (fsync(md->newfd) == -1) {
		free(name);
		return err_sys(e, ERR_LOCAL, "fsync %s/new", md->path);
	}
	if (namep != NULL)
		*namep = name;
	else
		free(name);
	return 0;
}

struct maildir_scan *
maildir_scan_new(struct maildir *md, struct err *e)
{
	struct maildir_scan	*s;
	int			 fd;

	if ((fd = dup(md->newfd)) == -1) {
		err_sys(e, ERR_LOCAL, "%s/new", md->path);
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->md = md;
	s->dirfd = md->newfd;
	if ((s->dir = fdopendir(fd)) == NULL) {
		err_sys(e, ERR_LOCAL, "%s/new", md->path);
		close(fd);
		free(s);
		return NULL;
	}
	rewinddir(s->dir);
	return s;
}

static int
maildir_scan_to_cur(struct maildir_scan *s, struct err *e)
{
	int	 fd;

	closedir(s->dir);
	s->dir = NULL;
	s->in_cur = true;
	s->dirfd = s->md->curfd;
	if ((fd = dup(s->md->curfd)) == -1)
		return err_sys(e, ERR_LOCAL, "%s/cur", s->md->path);
	if ((s->dir = fdopendir(fd)) == NULL) {
		close(fd);
		return err_sys(e, ERR_LOCAL, "%s/cur", s->md->path);
	}
	rewinddir(s->dir);
	return 0;
}

int
maildir_scan_next(struct maildir_scan *s, struct maildir_entry *ent,
    struct err *e)
{
	struct dirent	*d;
	struct stat	 st;

	for (;;) {
		if (s->dir == NULL)
			return 0;
		errno = 0;
		if ((d = readdir(s->dir)) == NULL) {
			if (errno != 0)
				return err_sys(e, ERR_LOCAL, "%s", s->md->path);
			if (s->in_cur) {
				closedir(s->dir);
				s->dir = NULL;
				return 0;
			}
			if (maildir_scan_to_cur(s, e) == -1)
				return -1;
			continue;
		}
		if (d->d_name[0] == '.')
			continue;
		if (fstatat(s->dirfd, d->d_name, &st, 0) == -1 ||
		    !S_ISREG(st.st_mode))
			continue;	/* renamed meanwhile, or not a mail */
		ent->name = d->d_name;
		ent->is_new = !s->in_cur;
		ent->flags = maildir_flags_parse(d->d_name);
		ent->mtime = st.st_mtime;
		ent->size = (uint64_t)st.st_size;
		return 1;
	}
}

void
maildir_scan_free(struct maildir_scan *s)
{
	if (s == NULL)
		return;
	if (s->dir != NULL)
		closedir(s->dir);
	free(s);
}

unsigned int
maildir_flags_parse(const char *name)
{
	const char	*p, *l;
	unsigned int	 flags = 0;

	if ((p = strstr(name, ":2,")) == NULL)
		return 0;
	for (p += 3; *p != '\0'; p++)
		if ((l = strchr(maildir_letters, *p)) != NULL)
			flags |= 1u << (l - maildir_letters);
	return flags;
}

char *
maildir_name_base(const char *name)
{
	return xstrndup(name, strcspn(name, ":"));
}

int
maildir_flags_set(struct maildir *md, const struct maildir_entry *ent,
    unsigned int flags, char **newname, struct err *e)
{
	const char	*p;
	char		 letters[sizeof maildir_letters];
	char		*base, *name;
	size_t		 i, n = 0;

	for (i = 0; maildir_letters[i] != '\0'; i++)
		if (flags & (1u << i))
			letters[n++] = maildir_letters[i];
	letters[n] = '\0';
	base = maildir_name_base(ent->name);
	/* keep other (experimental) info semantics out: only ":2," is ours */
	p = strchr(ent->name, ':');
	if (p != NULL && strncmp(p, ":2,", 3) != 0) {
		free(base);
		return err_set(e, ERR_LOCAL, "%s: unknown info suffix",
		    ent->name);
	}
	name = xasprintf("%s:2,%s", base, letters);
	free(base);
	if (renameat(ent->is_new ? md->newfd : md->curfd, ent->name,
	    md->curfd, name) == -1) {
		err_sys(e, ERR_LOCAL, "rename %s/%s/%s", md->path,
		    ent->is_new ? "new" : "cur", ent->name);
		free(name);
		return -1;
	}
	if (newname != NULL)
		*newname = name;
	else
		free(name);
	return 0;
}

int
maildir_remove(struct maildir *md, const struct maildir_entry *ent,
    struct err *e)
{
	if (unlinkat(ent->is_new ? md->newfd : md->curfd, ent->name, 0) == -1)
		return err_sys(e, ERR_LOCAL, "remove %s/%s/%s", md->path,
		    ent->is_new ? "new" : "cur", ent->name);
	return 0;
}

char *
maildir_entry_path(const struct maildir *md, const struct maildir_entry *ent)
{
	return xasprintf("%s/%s/%s", md->path, ent->is_new ? "new" : "cur",
	    ent->name);
}

static int
maildir_lookup_fill(struct maildir *md, int dirfd, const char *name,
    bool is_new, struct maildir_entry *ent)
{
	struct stat	 st;

	if (fstatat(dirfd, name, &st, 0) == -1)
		return 0;
	free(md->found);
	md->found = xstrdup(name);
	ent->name = md->found;
	ent->is_new = is_new;
	ent->flags = maildir_flags_parse(name);
	ent->mtime = st.st_mtime;
	ent->size = (uint64_t)st.st_size;
	return 1;
}

int
maildir_dirfd(const struct maildir *md, enum maildir_sub sub)
{
	switch (sub) {
	case MAILDIR_TMP:
		return md->tmpfd;
	case MAILDIR_NEW:
		return md->newfd;
	case MAILDIR_CUR:
		break;
	}
	return md->curfd;
}

/* Order Maildir names by their unique part (before any ':'). */
static int
maildir_base_cmp(const void *a, const void *b)
{
	const unsigned char	*x = *(const unsigned char *const *)a;
	const unsigned char	*y = *(const unsigned char *const *)b;
	int			 cx, cy;

	for (;; x++, y++) {
		cx = *x == ':' ? 0 : *x;
		cy = *y == ':' ? 0 : *y;
		if (cx != cy || cx == 0)
			return cx - cy;
	}
}

void
maildir_lookup_batch(struct maildir *md, bool on)
{
	size_t	 i;

	for (i = 0; i < md->ncur; i++)
		free(md->cur_names[i]);
	free(md->cur_names);
	md->cur_names = NULL;
	md->ncur = 0;
	md->cur_read = false;
	md->batch = on;
}

/* cur/ from its start, for reading its names; NULL with e set. */
static DIR *
maildir_cur_dir(struct maildir *md, struct err *e)
{
	DIR	*dir;
	int	 fd;

	if ((fd = dup(md->curfd)) == -1 || (dir = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		err_sys(e, ERR_LOCAL, "%s/cur", md->path);
		return NULL;
	}
	rewinddir(dir);
	return dir;
}

/* cur/'s names, sorted, into md (a batch's, read once). */
static int
maildir_cur_read(struct maildir *md, struct err *e)
{
	struct dirent	*d;
	DIR		*dir;
	size_t		 cap = 0;

	if ((dir = maildir_cur_dir(md, e)) == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if (md->ncur == cap) {
			cap = cap ? cap * 2 : 256;
			md->cur_names = xreallocarray(md->cur_names, cap,
			    sizeof *md->cur_names);
		}
		md->cur_names[md->ncur++] = xstrdup(d->d_name);
	}
	closedir(dir);
	if (md->ncur > 0)
		qsort(md->cur_names, md->ncur, sizeof *md->cur_names,
		    maildir_base_cmp);
	md->cur_read = true;
	return 0;
}

int
maildir_lookup(struct maildir *md, const char *base,
    struct maildir_entry *ent, struct err *e)
{
	struct dirent	*d;
	DIR		*dir;
	char		*name;
	size_t		 blen = strlen(base);
	int		 rc;

	if (maildir_lookup_fill(md, md->newfd, base, true, ent))
		return 1;
	name = xasprintf("%s:2,", base);
	rc = maildir_lookup_fill(md, md->curfd, name, false, ent);
	free(name);
	if (rc || maildir_lookup_fill(md, md->curfd, base, false, ent))
		return 1;
	if (md->batch) {
		char	**hit;

		if (!md->cur_read && maildir_cur_read(md, e) == -1)
			return -1;
		hit = md->ncur == 0 ? NULL : bsearch(&base, md->cur_names,
		    md->ncur, sizeof *md->cur_names, maildir_base_cmp);
		return hit != NULL &&
		    maildir_lookup_fill(md, md->curfd, *hit, false, ent);
	}
	if ((dir = maildir_cur_dir(md, e)) == NULL)
		return -1;
	rc = 0;
	while ((d = readdir(dir)) != NULL)
		if (strncmp(d->d_name, base, blen) == 0 &&
		    d->d_name[blen] == ':' &&
		    maildir_lookup_fill(md, md->curfd, d->d_name, false, ent)) {
			rc = 1;
			break;
		}
	closedir(dir);
	return rc;
}
