/* SPDX-License-Identifier: ISC */
/*
 * The folder list model: accounts and their folders with counts and
 * roles, read through a flat view that is rebuilt (sorted) only after a
 * change.  Maildir scanning lives here too, since it only counts files.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/mailboxes.h"
#include "imap/imap-parse.h"
#include "util/xmalloc.h"

struct mbx_folder {
	char		*name;
	char		*path;
	char		 delim;
	enum mbx_role	 role;
	bool		 noselect;
	bool		 counted;
	bool		 marked;	/* put again since mailboxes_mark() */
	uint32_t	 total, unread;
	struct timespec	 mt_new, mt_cur;	/* Maildir: when last counted */
};

struct mbx_account {
	char			*name;
	enum mbx_proto		 proto;
	struct mbx_folder	*v;
	size_t			 n, cap;
	char			*current;
};

struct mailboxes {
	struct mbx_account	*acc;
	size_t			 nacc, acccap;
	struct mbx_entry	*flat;
	size_t			 nflat, flatcap;
	bool			 dirty;
	uint64_t		 gen;		/* changes so far */
};

struct mailboxes *
mailboxes_new(void)
{
	struct mailboxes	*m;

	m = xcalloc(1, sizeof *m);
	m->dirty = true;
	m->gen++;
	return m;
}

static void
mbx_folder_fini(struct mbx_folder *f)
{
	free(f->name);
	free(f->path);
}

void
mailboxes_free(struct mailboxes *m)
{
	size_t	 i, j;

	if (m == NULL)
		return;
	for (i = 0; i < m->nacc; i++) {
		for (j = 0; j < m->acc[i].n; j++)
			mbx_folder_fini(&m->acc[i].v[j]);
		free(m->acc[i].v);
		free(m->acc[i].name);
		free(m->acc[i].current);
	}
	free(m->acc);
	free(m->flat);
	free(m);
}

size_t
mailboxes_account_find(const struct mailboxes *m, const char *name)
{
	size_t	 i;

	for (i = 0; i < m->nacc; i++)
		if (strcmp(m->acc[i].name, name) == 0)
			return i;
	return (size_t)-1;
}

size_t
mailboxes_account_add(struct mailboxes *m, const char *name,
    enum mbx_proto proto)
{
	struct mbx_account	*a;
	size_t			 i;

	if ((i = mailboxes_account_find(m, name)) != (size_t)-1) {
		m->acc[i].proto = proto;
		return i;
	}
	if (m->nacc == m->acccap) {
		m->acccap = m->acccap ? m->acccap * 2 : 4;
		m->acc = xreallocarray(m->acc, m->acccap, sizeof *m->acc);
	}
	a = &m->acc[m->nacc];
	memset(a, 0, sizeof *a);
	a->name = xstrdup(name);
	a->proto = proto;
	m->dirty = true;
	m->gen++;
	return m->nacc++;
}

size_t
mailboxes_accounts(const struct mailboxes *m)
{
	return m->nacc;
}

const char *
mailboxes_account_name(const struct mailboxes *m, size_t acct)
{
	return acct < m->nacc ? m->acc[acct].name : NULL;
}

static struct mbx_folder *
mbx_folder_find(struct mailboxes *m, size_t acct, const char *name)
{
	struct mbx_account	*a;
	size_t			 i;

	if (acct >= m->nacc || name == NULL)
		return NULL;
	a = &m->acc[acct];
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, name) == 0)
			return &a->v[i];
	return NULL;
}

static bool
mbx_str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static struct mbx_folder *
mbx_folder_new(struct mailboxes *m, size_t acct, const char *name,
    size_t len)
{
	struct mbx_account	*a = &m->acc[acct];
	struct mbx_folder	*f;

	if (a->n >= MAILBOXES_MAX)
		return NULL;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 16;
		a->v = xreallocarray(a->v, a->cap, sizeof *a->v);
	}
	f = &a->v[a->n++];
	memset(f, 0, sizeof *f);
	f->name = xstrndup(name, len);
	f->marked = true;
	m->dirty = true;
	m->gen++;
	return f;
}

/*
 * The levels above name that the server did not list (Dovecot leaves out
 * "Lists" when only "Lists/dev" exists): put them as holding no messages,
 * so a child is never shown without its parent.
 */
static bool
mbx_parents_put(struct mailboxes *m, size_t acct, const char *name,
    char delim)
{
	struct mbx_account	*a = &m->acc[acct];
	struct mbx_folder	*f;
	const char		*p;
	size_t			 len, i;
	bool			 found, added = false;

	if (delim == 0)
		return false;
	for (p = name; (p = strchr(p, delim)) != NULL; p++) {
		len = (size_t)(p - name);
		if (len == 0)
			continue;
		found = false;
		for (i = 0; i < a->n; i++)
			if (strlen(a->v[i].name) == len &&
			    strncmp(a->v[i].name, name, len) == 0) {
				a->v[i].marked = true;
				found = true;
				break;
			}
		if (!found) {
			if ((f = mbx_folder_new(m, acct, name, len)) == NULL)
				return added;
			f->delim = delim;
			f->noselect = true;
			added = true;
		}
	}
	return added;
}

bool
mailboxes_folder_put(struct mailboxes *m, size_t acct, const char *name,
    char delim, const char *path, enum mbx_role role, bool noselect)
{
	struct mbx_folder	*f;
	bool			 parents;

	if (acct >= m->nacc)
		return false;
	parents = mbx_parents_put(m, acct, name, delim);
	if (role == MBX_ROLE_NONE && strcasecmp(name, "INBOX") == 0)
		role = MBX_ROLE_INBOX;
	if ((f = mbx_folder_find(m, acct, name)) != NULL) {
		f->marked = true;
		if (f->delim == delim && f->role == role &&
		    f->noselect == noselect && mbx_str_same(f->path, path))
			return parents;
		f->delim = delim;
		f->role = role;
		f->noselect = noselect;
		free(f->path);
		f->path = path != NULL ? xstrdup(path) : NULL;
		m->dirty = true;
	m->gen++;
		return true;
	}
	if ((f = mbx_folder_new(m, acct, name, strlen(name))) == NULL)
		return parents;
	f->path = path != NULL ? xstrdup(path) : NULL;
	f->delim = delim;
	f->role = role;
	f->noselect = noselect;
	return true;
}

bool
mailboxes_counts_set(struct mailboxes *m, size_t acct, const char *name,
    uint32_t total, uint32_t unread)
{
	struct mbx_folder	*f;

	if ((f = mbx_folder_find(m, acct, name)) == NULL)
		return false;
	if (f->counted && f->total == total && f->unread == unread)
		return false;
	f->counted = true;
	f->total = total;
	f->unread = unread;
	m->dirty = true;
	m->gen++;
	return true;
}

void
mailboxes_mark(struct mailboxes *m, size_t acct)
{
	size_t	 i;

	if (acct >= m->nacc)
		return;
	for (i = 0; i < m->acc[acct].n; i++)
		m->acc[acct].v[i].marked = false;
}

bool
mailboxes_sweep(struct mailboxes *m, size_t acct)
{
	struct mbx_account	*a;
	size_t			 i, j;

	if (acct >= m->nacc)
		return false;
	a = &m->acc[acct];
	for (i = j = 0; i < a->n; i++) {
		if (a->v[i].marked)
			a->v[j++] = a->v[i];
		else
			mbx_folder_fini(&a->v[i]);
	}
	if (j == a->n)
		return false;
	a->n = j;
	m->dirty = true;
	m->gen++;
	return true;
}

void
mailboxes_clear(struct mailboxes *m, size_t acct)
{
	mailboxes_mark(m, acct);
	mailboxes_sweep(m, acct);
}

void
mailboxes_current_set(struct mailboxes *m, size_t acct, const char *name)
{
	size_t	 i;

	for (i = 0; i < m->nacc; i++) {
		free(m->acc[i].current);
		m->acc[i].current = NULL;
	}
	if (acct < m->nacc && name != NULL)
		m->acc[acct].current = xstrdup(name);
	m->dirty = true;
	m->gen++;
}

/* The flat view */

/*
 * INBOX first, then by name with the hierarchy separator ranked below
 * every other character, so children follow their parent at once.
 */
static int
mbx_folder_cmp(const void *pa, const void *pb)
{
	const struct mbx_folder	*a = pa, *b = pb;
	const unsigned char	*x = (const unsigned char *)a->name;
	const unsigned char	*y = (const unsigned char *)b->name;
	int			 ia, ib, cx, cy;

	ia = strcasecmp(a->name, "INBOX") == 0;
	ib = strcasecmp(b->name, "INBOX") == 0;
	if (ia != ib)
		return ib - ia;
	for (;; x++, y++) {
		cx = *x == '\0' ? 0 : a->delim != 0 && *x == (unsigned char)
		    a->delim ? 1 : *x + 1;
		cy = *y == '\0' ? 0 : b->delim != 0 && *y == (unsigned char)
		    b->delim ? 1 : *y + 1;
		if (cx != cy || cx == 0)
			return cx - cy;
	}
}

static struct mbx_entry *
mbx_flat_add(struct mailboxes *m)
{
	struct mbx_entry	*e;

	if (m->nflat == m->flatcap) {
		m->flatcap = m->flatcap ? m->flatcap * 2 : 32;
		m->flat = xreallocarray(m->flat, m->flatcap, sizeof *m->flat);
	}
	e = &m->flat[m->nflat++];
	memset(e, 0, sizeof *e);
	return e;
}

static void
mbx_flat_rebuild(struct mailboxes *m)
{
	struct mbx_account	*a;
	struct mbx_folder	*f;
	struct mbx_entry	*e;
	const char		*p;
	size_t			 i, j;

	if (!m->dirty)
		return;
	m->dirty = false;
	m->nflat = 0;
	for (i = 0; i < m->nacc; i++) {
		a = &m->acc[i];
		if (a->n > 1)
			qsort(a->v, a->n, sizeof *a->v, mbx_folder_cmp);
		e = mbx_flat_add(m);
		e->header = true;
		e->account = i;
		e->proto = a->proto;
		e->name = e->label = a->name;
		for (j = 0; j < a->n; j++) {
			f = &a->v[j];
			e = mbx_flat_add(m);
			e->account = i;
			e->proto = a->proto;
			e->name = e->label = f->name;
			e->path = f->path;
			if (f->delim != 0)
				for (p = f->name; *p != '\0'; p++)
					if (*p == f->delim && p[1] != '\0') {
						e->depth++;
						e->label = p + 1;
					}
			e->role = f->role;
			e->noselect = f->noselect;
			e->counted = f->counted;
			e->total = f->total;
			e->unread = f->unread;
			e->current = a->current != NULL &&
			    strcmp(a->current, f->name) == 0;
		}
	}
}

uint64_t
mailboxes_generation(const struct mailboxes *m)
{
	return m->gen;
}

size_t
mailboxes_count(struct mailboxes *m)
{
	mbx_flat_rebuild(m);
	return m->nflat;
}

const struct mbx_entry *
mailboxes_at(struct mailboxes *m, size_t i)
{
	mbx_flat_rebuild(m);
	return i < m->nflat ? &m->flat[i] : NULL;
}

size_t
mailboxes_find(struct mailboxes *m, size_t acct, const char *name)
{
	size_t	 i;

	mbx_flat_rebuild(m);
	for (i = 0; i < m->nflat; i++)
		if (!m->flat[i].header && m->flat[i].account == acct &&
		    strcmp(m->flat[i].name, name) == 0)
			return i;
	return (size_t)-1;
}

size_t
mailboxes_current(struct mailboxes *m)
{
	size_t	 i;

	mbx_flat_rebuild(m);
	for (i = 0; i < m->nflat; i++)
		if (m->flat[i].current)
			return i;
	return (size_t)-1;
}

char **
mailboxes_names(struct mailboxes *m, size_t acct, size_t *n)
{
	char	**v;
	size_t	 i, k = 0;

	mbx_flat_rebuild(m);
	v = xcalloc(m->nflat + 1, sizeof *v);
	for (i = 0; i < m->nflat; i++)
		if (!m->flat[i].header && m->flat[i].account == acct &&
		    !m->flat[i].noselect)
			v[k++] = xstrdup(m->flat[i].name);
	if (n != NULL)
		*n = k;
	return v;
}

void
mailboxes_names_free(char **v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

enum mbx_role
mailboxes_role_of_attrs(unsigned int attrs)
{
	static const struct {
		unsigned int	 bit;
		enum mbx_role	 role;
	} map[] = {
		{ IMAP_MBOX_DRAFTS, MBX_ROLE_DRAFTS },
		{ IMAP_MBOX_SENT, MBX_ROLE_SENT },
		{ IMAP_MBOX_TRASH, MBX_ROLE_TRASH },
		{ IMAP_MBOX_JUNK, MBX_ROLE_JUNK },
		{ IMAP_MBOX_ARCHIVE, MBX_ROLE_ARCHIVE },
		{ IMAP_MBOX_ALL, MBX_ROLE_ALL },
		{ IMAP_MBOX_FLAGGED, MBX_ROLE_FLAGGED },
	};
	size_t	 i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (attrs & map[i].bit)
			return map[i].role;
	return MBX_ROLE_NONE;
}

const char *
mailboxes_role_name(enum mbx_role role)
{
	static const char *const names[] = {
		"", "inbox", "drafts", "sent", "trash", "junk", "archive",
		"all", "flagged",
	};

	if ((size_t)role >= sizeof names / sizeof names[0])
		return "";
	return names[role];
}

/* Maildirs */

/* Count the entries of dir/sub: all of them, and those without S. */
static int
mbx_count_dir(const char *dir, const char *sub, bool all_unread,
    uint32_t *total, uint32_t *unread, struct err *e)
{
	DIR		*d;
	struct dirent	*de;
	char		*path, *info;

	path = xasprintf("%s/%s", dir, sub);
	if ((d = opendir(path)) == NULL) {
		err_sys(e, ERR_LOCAL, "%s", path);
		free(path);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		(*total)++;
		if (all_unread)
			(*unread)++;
		else if ((info = strstr(de->d_name, ":2,")) == NULL ||
		    strchr(info + 3, 'S') == NULL)
			(*unread)++;
	}
	closedir(d);
	free(path);
	return 0;
}

int
mailboxes_maildir_counts(const char *dir, uint32_t *total, uint32_t *unread,
    struct err *e)
{
	*total = *unread = 0;
	if (mbx_count_dir(dir, "new", true, total, unread, e) == -1 ||
	    mbx_count_dir(dir, "cur", false, total, unread, e) == -1)
		return -1;
	return 0;
}

static bool
mbx_is_maildir(const char *dir)
{
	struct stat	 st;
	char		*p;
	bool		 yes;

	p = xasprintf("%s/cur", dir);
	yes = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
	free(p);
	return yes;
}

static void
mbx_mtime(const char *dir, const char *sub, struct timespec *ts)
{
	struct stat	 st;
	char		*p;

	p = xasprintf("%s/%s", dir, sub);
	if (stat(p, &st) == 0)
		*ts = st.st_mtim;
	else
		memset(ts, 0, sizeof *ts);
	free(p);
}

static bool
mbx_ts_same(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/*
 * One folder of the scan: put it with its counts.  Its files are counted
 * again only when new/ or cur/ changed since (a delivery, a rename or an
 * unlink changes the directory's mtime), so a scan every few seconds
 * costs a few stat() calls per folder.
 */
static void
mbx_scan_one(struct mailboxes *m, size_t acct, const char *name,
    const char *dir)
{
	struct mbx_folder	*f;
	struct timespec		 tn, tc;
	uint32_t		 total, unread;
	struct err		 e;

	mailboxes_folder_put(m, acct, name, '/', dir, MBX_ROLE_NONE, false);
	if ((f = mbx_folder_find(m, acct, name)) == NULL)
		return;
	mbx_mtime(dir, "new", &tn);
	mbx_mtime(dir, "cur", &tc);
	if (f->counted && mbx_ts_same(&tn, &f->mt_new) &&
	    mbx_ts_same(&tc, &f->mt_cur))
		return;
	if (mailboxes_maildir_counts(dir, &total, &unread, &e) == 0) {
		mailboxes_counts_set(m, acct, name, total, unread);
		/* looked up again: the put above may have moved it */
		if ((f = mbx_folder_find(m, acct, name)) != NULL) {
			f->mt_new = tn;
			f->mt_cur = tc;
		}
	}
}

int
mailboxes_scan_maildir(struct mailboxes *m, size_t acct, const char *root,
    struct err *e)
{
	DIR		*d;
	struct dirent	*de;
	char		*dir, *name, *p;

	if (acct >= m->nacc)
		return err_set(e, ERR_INPUT, "no such account");
	if ((d = opendir(root)) == NULL)
		return err_sys(e, ERR_LOCAL, "%s", root);
	mailboxes_mark(m, acct);
	mbx_scan_one(m, acct, "INBOX", root);
	while ((de = readdir(d)) != NULL) {
		/* Maildir++: ".Sub.Folder", never "." or ".." */
		if (de->d_name[0] != '.' || de->d_name[1] == '\0' ||
		    de->d_name[1] == '.')
			continue;
		dir = xasprintf("%s/%s", root, de->d_name);
		if (mbx_is_maildir(dir)) {
			name = xstrdup(de->d_name + 1);
			for (p = name; *p != '\0'; p++)
				if (*p == '.')
					*p = '/';
			mbx_scan_one(m, acct, name, dir);
			free(name);
		}
		free(dir);
	}
	closedir(d);
	mailboxes_sweep(m, acct);
	return 0;
}
