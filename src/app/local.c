/* SPDX-License-Identifier: ISC */
/*
 * A local Maildir as a folder backend: the store's Maildir code scans
 * new/ and cur/, the message engine reads each header into a summary row,
 * flags are renames, expunge unlinks.  Draws nothing, never touches a
 * network.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app/folder.h"
#include "local.h"
#include "msg/addr.h"
#include "msg/date.h"
#include "msg/rfc5322.h"
#include "store/maildir.h"
#include "util/xmalloc.h"

#define LOCAL_HEADER_MAX	(256 * 1024)	/* bytes read for a summary */
#define LOCAL_MESSAGE_MAX	(64 * 1024 * 1024)

struct local {
	struct maildir	*md;
	char		*me;		/* the user's addresses, or NULL */
	uint32_t	*tab;		/* rows by unique name (hash set) */
	size_t		 tabcap;	/* power of two, or 0 */
	size_t		 tabn;
	struct timespec	 mt_new;	/* directory times at the last look */
	struct timespec	 mt_cur;
	struct maildir_scan *scan;	/* while loading */
};

/* The unique part of a row key "new/NAME:2,FL": NAME, and its length. */
static const char *
local_key_base(const char *key, size_t *len)
{
	const char	*p = strchr(key, '/'), *c;

	p = p != NULL ? p + 1 : key;
	c = strchr(p, ':');
	*len = c != NULL ? (size_t)(c - p) : strlen(p);
	return p;
}

static size_t
local_hash(const char *p, size_t len)
{
	size_t	 h = 5381, i;

	for (i = 0; i < len; i++)
		h = h * 33 + (unsigned char)p[i];
	return h;
}

/* Slot of name in the set: its row, or an empty slot (UINT32_MAX). */
static size_t
local_tab_slot(const struct local *l, const struct folder *f,
    const char *name, size_t len)
{
	size_t		 h = local_hash(name, len) & (l->tabcap - 1), blen;
	const char	*b;

	while (l->tab[h] != UINT32_MAX) {
		b = local_key_base(folder_str(f, folder_row(f, l->tab[h])->key),
		    &blen);
		if (blen == len && memcmp(b, name, len) == 0)
			break;
		h = (h + 1) & (l->tabcap - 1);
	}
	return h;
}

static void
local_tab_add(struct local *l, const struct folder *f, uint32_t row);

/* Rebuild the set from the rows (after an expunge renumbered them). */
static void
local_tab_rebuild(struct local *l, const struct folder *f)
{
	size_t	 i, n = folder_count(f);

	free(l->tab);
	for (l->tabcap = 1024; l->tabcap < n * 2; l->tabcap *= 2)
		;
	l->tab = xreallocarray(NULL, l->tabcap, sizeof *l->tab);
	memset(l->tab, 0xff, l->tabcap * sizeof *l->tab);
	l->tabn = 0;
	for (i = 0; i < n; i++)
		local_tab_add(l, f, (uint32_t)i);
}

static void
local_tab_add(struct local *l, const struct folder *f, uint32_t row)
{
	const char	*b;
	size_t		 len, slot;

	if (l->tabcap == 0 || (l->tabn + 1) * 2 > l->tabcap) {
		local_tab_rebuild(l, f);	/* adds row too if present */
		if (row < folder_count(f))
			return;
	}
	b = local_key_base(folder_str(f, folder_row(f, row)->key), &len);
	slot = local_tab_slot(l, f, b, len);
	if (l->tab[slot] == UINT32_MAX) {
		l->tab[slot] = row;
		l->tabn++;
	}
}

static bool
local_tab_has(const struct local *l, const struct folder *f,
    const char *name)
{
	size_t	 len;

	if (l->tabcap == 0)
		return false;
	name = local_key_base(name, &len);
	return l->tab[local_tab_slot(l, f, name, len)] != UINT32_MAX;
}

/* Remember the directory times so our own renames are not "news". */
static void
local_mtimes(struct local *l, struct timespec *n, struct timespec *c)
{
	struct stat	 st;
	char		*p;

	memset(n, 0, sizeof *n);
	memset(c, 0, sizeof *c);
	p = xasprintf("%s/new", maildir_path(l->md));
	if (stat(p, &st) == 0)
		*n = st.st_mtim;
	free(p);
	p = xasprintf("%s/cur", maildir_path(l->md));
	if (stat(p, &st) == 0)
		*c = st.st_mtim;
	free(p);
}

/* The first address of an address field: display text and addr-spec. */
static void
local_addr(const struct rfc5322_hdr *h, const char *field, struct buf *show,
    struct buf *spec)
{
	const struct rfc5322_field	*f;
	struct addr_list		 l;

	if ((f = rfc5322_hdr_get(h, field, NULL)) == NULL)
		return;
	memset(&l, 0, sizeof l);
	if (addr_list_parse(&l, f->value, f->valuelen, NULL) > 0) {
		buf_add_str(show, l.v[0].name != NULL && *l.v[0].name != '\0' ?
		    l.v[0].name : l.v[0].addr);
		buf_add_str(spec, l.v[0].addr);
	}
	addr_list_fini(&l);
}

/* The last <id> of a field (References, In-Reply-To, Message-ID). */
static void
local_last_id(const struct rfc5322_hdr *h, const char *field,
    struct buf *out)
{
	const struct rfc5322_field	*f;
	struct buf			 v = BUF_INIT;
	const char			*lt = NULL, *gt, *p, *s;

	if ((f = rfc5322_hdr_get(h, field, NULL)) == NULL)
		return;
	rfc5322_unfold(f->value, f->valuelen, &v);
	s = buf_str(&v);
	for (p = s; (p = strchr(p, '<')) != NULL; p++)
		lt = p;
	if (lt != NULL && (gt = strchr(lt, '>')) != NULL)
		buf_add(out, lt + 1, (size_t)(gt - lt - 1));
	buf_fini(&v);
}

static bool
local_is_me(const struct local *l, const char *addr)
{
	const char	*p;
	size_t		 n = strlen(addr);

	if (l->me == NULL || n == 0)
		return false;
	for (p = l->me; (p = strcasestr(p, addr)) != NULL; p += n)
		if ((p == l->me || p[-1] == ',' || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return true;
	return false;
}

/* Maildir flags (store) to folder flags (model), and back. */
static const struct {
	unsigned int	 md;
	unsigned int	 folder;
} local_flag_map[] = {
	{ MAILDIR_F_DRAFT, FOLDER_DRAFT },
	{ MAILDIR_F_FLAGGED, FOLDER_FLAGGED },
	{ MAILDIR_F_PASSED, FOLDER_PASSED },
	{ MAILDIR_F_REPLIED, FOLDER_ANSWERED },
	{ MAILDIR_F_SEEN, FOLDER_SEEN },
	{ MAILDIR_F_TRASHED, FOLDER_DELETED },
};

static unsigned int
local_flags_from_md(unsigned int md)
{
	unsigned int	 f = 0;
	size_t		 i;

	for (i = 0; i < sizeof local_flag_map / sizeof local_flag_map[0]; i++)
		if (md & local_flag_map[i].md)
			f |= local_flag_map[i].folder;
	return f;
}

static unsigned int
local_flags_to_md(unsigned int f)
{
	unsigned int	 md = 0;
	size_t		 i;

	for (i = 0; i < sizeof local_flag_map / sizeof local_flag_map[0]; i++)
		if (f & local_flag_map[i].folder)
			md |= local_flag_map[i].md;
	return md;
}

/* The maildir entry behind a row key "new/NAME" or "cur/NAME". */
static void
local_entry(const char *key, struct maildir_entry *ent)
{
	memset(ent, 0, sizeof *ent);
	ent->is_new = strncmp(key, "new/", 4) == 0;
	ent->name = strchr(key, '/') != NULL ? strchr(key, '/') + 1 : key;
	ent->flags = maildir_flags_parse(ent->name);
}

/* Read up to max bytes of path into out. */
static int
local_slurp(const char *path, size_t max, struct buf *out, struct err *e)
{
	char	 chunk[16384];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return err_sys(e, ERR_LOCAL, "%s", path);
	while (out->len < max && (n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			return err_sys(e, ERR_LOCAL, "%s", path);
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

/* Summarize one message file into f. */
static void
local_add(struct local *l, struct folder *f, const struct maildir_entry *ent)
{
	struct rfc5322_hdr		 h;
	const struct rfc5322_field	*fld;
	struct buf			 raw = BUF_INIT, from = BUF_INIT;
	struct buf			 to = BUF_INIT, faddr = BUF_INIT;
	struct buf			 taddr = BUF_INIT, subj = BUF_INIT;
	struct buf			 parent = BUF_INIT, msgid = BUF_INIT;
	struct buf			 ctype = BUF_INIT;
	struct folder_msg		 m;
	char				*path, *key;
	time_t				 t;

	path = maildir_entry_path(l->md, ent);
	key = xasprintf("%s/%s", ent->is_new ? "new" : "cur", ent->name);
	memset(&h, 0, sizeof h);
	if (local_slurp(path, LOCAL_HEADER_MAX, &raw, NULL) == -1)
		goto out;
	rfc5322_hdr_parse(&h, raw.data != NULL ? raw.data : "", raw.len,
	    NULL, NULL);
	local_addr(&h, "From", &from, &faddr);
	local_addr(&h, "To", &to, &taddr);
	if ((fld = rfc5322_hdr_get(&h, "Subject", NULL)) != NULL)
		rfc5322_value_decode(fld->value, fld->valuelen, NULL, &subj);
	local_last_id(&h, "References", &parent);
	if (rfc5322_hdr_get(&h, "In-Reply-To", NULL) != NULL) {
		buf_reset(&parent);
		local_last_id(&h, "In-Reply-To", &parent);
	}
	local_last_id(&h, "Message-ID", &msgid);
	memset(&m, 0, sizeof m);
	m.received = ent->mtime;
	if ((fld = rfc5322_hdr_get(&h, "Date", NULL)) != NULL &&
	    date_parse(fld->value, fld->valuelen, &t, NULL) != DATE_INVALID)
		m.date = t;
	else
		m.date = m.received;
	if ((fld = rfc5322_hdr_get(&h, "Content-Type", NULL)) != NULL)
		rfc5322_unfold(fld->value, fld->valuelen, &ctype);
	m.from = buf_str(&from);
	m.to = buf_str(&to);
	m.subject = buf_str(&subj);
	m.key = key;
	m.msgid = buf_str(&msgid);
	m.parent = buf_str(&parent);
	m.size = ent->size;
	m.flags = local_flags_from_md(ent->flags);
	if (ent->is_new)
		m.flags = (m.flags & ~FOLDER_SEEN) | FOLDER_RECENT;
	if (strcasestr(buf_str(&ctype), "multipart/mixed") != NULL)
		m.flags |= FOLDER_ATTACH;
	if (local_is_me(l, buf_str(&faddr)))
		m.flags |= FOLDER_FROMME;
	local_tab_add(l, f, folder_add(f, &m));
out:
	rfc5322_hdr_fini(&h);
	buf_fini(&raw);
	buf_fini(&from);
	buf_fini(&to);
	buf_fini(&faddr);
	buf_fini(&taddr);
	buf_fini(&subj);
	buf_fini(&parent);
	buf_fini(&msgid);
	buf_fini(&ctype);
	free(path);
	free(key);
}

struct local *
local_open(const char *path, struct folder *f, const char *me, struct err *e)
{
	struct local		*l;

	l = xcalloc(1, sizeof *l);
	l->me = me != NULL && *me != '\0' ? xstrdup(me) : NULL;
	if ((l->md = maildir_open(path, false, e)) == NULL ||
	    (l->scan = maildir_scan_new(l->md, e)) == NULL) {
		local_close(l);
		return NULL;
	}
	local_mtimes(l, &l->mt_new, &l->mt_cur);
	return l;
}

int
local_load(struct local *l, struct folder *f, size_t max, bool *done,
    struct err *e)
{
	struct maildir_entry	 ent;
	size_t			 n = 0;
	int			 rc = 1;

	*done = l->scan == NULL;
	while (l->scan != NULL && n++ < max &&
	    (rc = maildir_scan_next(l->scan, &ent, e)) == 1)
		local_add(l, f, &ent);
	if (l->scan != NULL && rc != 1) {
		maildir_scan_free(l->scan);
		l->scan = NULL;
	}
	*done = l->scan == NULL;
	return rc == -1 ? -1 : 0;
}

int
local_poll(struct local *l, struct folder *f, size_t *added, struct err *e)
{
	struct maildir_scan	*scan;
	struct maildir_entry	 ent;
	struct timespec		 n, c;
	int			 rc;

	*added = 0;
	local_mtimes(l, &n, &c);
	if (memcmp(&n, &l->mt_new, sizeof n) == 0 &&
	    memcmp(&c, &l->mt_cur, sizeof c) == 0)
		return 0;
	l->mt_new = n;
	l->mt_cur = c;
	if ((scan = maildir_scan_new(l->md, e)) == NULL)
		return -1;
	while ((rc = maildir_scan_next(scan, &ent, e)) == 1) {
		if (local_tab_has(l, f, ent.name))
			continue;
		local_add(l, f, &ent);
		(*added)++;
	}
	maildir_scan_free(scan);
	return rc == -1 ? -1 : 0;
}

void
local_close(struct local *l)
{
	if (l == NULL)
		return;
	maildir_scan_free(l->scan);
	maildir_free(l->md);
	free(l->me);
	free(l->tab);
	free(l);
}

int
local_flags_write(struct local *l, struct folder *f, uint32_t row,
    unsigned int flags, struct err *e)
{
	const struct folder_row	*r = folder_row(f, row);
	struct maildir_entry	 ent;
	char			*name, *key;

	if (r == NULL)
		return err_set(e, ERR_INPUT, "no such message");
	local_entry(folder_str(f, r->key), &ent);
	if (maildir_flags_set(l->md, &ent, local_flags_to_md(flags), &name,
	    e) == -1)
		return -1;
	key = xasprintf("cur/%s", name);
	folder_key_set(f, row, key);
	local_mtimes(l, &l->mt_new, &l->mt_cur);
	folder_flags_set(f, row, flags & ~FOLDER_RECENT);
	free(key);
	free(name);
	return 0;
}

struct local_expunge_ctx {
	struct local	*l;
	struct err	*e;
	int		 failed;
};

static void
local_expunge_one(void *arg, const struct folder *f, uint32_t row)
{
	struct local_expunge_ctx	*x = arg;
	struct maildir_entry		 ent;
	struct err			 e;

	local_entry(folder_str(f, folder_row(f, row)->key), &ent);
	if (maildir_remove(x->l->md, &ent, &e) == -1 && x->failed++ == 0)
		*x->e = e;
}

int
local_expunge(struct local *l, struct folder *f, size_t *n, struct err *e)
{
	struct local_expunge_ctx	 x = { l, e, 0 };

	*n = folder_remove_deleted(f, local_expunge_one, &x);
	local_tab_rebuild(l, f);
	local_mtimes(l, &l->mt_new, &l->mt_cur);
	return x.failed ? -1 : 0;
}

int
local_read(struct local *l, const struct folder *f, uint32_t row,
    struct buf *out, struct err *e)
{
	const struct folder_row	*r = folder_row(f, row);
	struct maildir_entry	 ent;
	char			*path;
	int			 rc;

	if (r == NULL)
		return err_set(e, ERR_INPUT, "no such message");
	local_entry(folder_str(f, r->key), &ent);
	path = maildir_entry_path(l->md, &ent);
	rc = local_slurp(path, LOCAL_MESSAGE_MAX, out, e);
	free(path);
	return rc;
}

/* Maildir++: subfolders, move and copy */

const char *
local_path(const struct local *l)
{
	return maildir_path(l->md);
}

char *
local_root(const char *path)
{
	char		*p = xstrdup(path), *slash, *parent;
	size_t		 n = strlen(p);
	struct stat	 st;

	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	slash = strrchr(p, '/');
	if (slash == NULL || slash[1] != '.' || slash[2] == '\0')
		return p;
	/* ".Sub" inside a Maildir (it has cur/): the root is the parent */
	parent = xasprintf("%.*s/cur", (int)(slash - p), p);
	if (slash > p && stat(parent, &st) == 0 && S_ISDIR(st.st_mode))
		*slash = '\0';
	free(parent);
	return p;
}

char *
local_subfolder_path(const char *root, const char *name, struct err *e)
{
	struct buf	 dir = BUF_INIT;
	const char	*p;
	char		*path;
	size_t		 n;

	if (*name == '=' || *name == '+')	/* mutt's "the folder dir" */
		name++;
	if (strncasecmp(name, "INBOX", 5) == 0 && (name[5] == '\0' ||
	    name[5] == '/' || name[5] == '.'))
		name += name[5] == '\0' ? 5 : 6;
	if (*name == '\0')
		return xstrdup(root);
	/* Maildir++: ".A.B" for the folder A/B (or A.B) */
	for (p = name; *p != '\0'; p += n) {
		n = strcspn(p, "/.");
		if (n == 0 || (p[n] != '\0' && p[n + 1] == '\0')) {
			buf_fini(&dir);
			err_set(e, ERR_INPUT, "%s: not a folder name (an empty "
			    "level)", name);
			return NULL;
		}
		buf_add_byte(&dir, '.');
		buf_add(&dir, p, n);
		if (p[n] != '\0')
			n++;
	}
	for (p = buf_str(&dir); *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			buf_fini(&dir);
			err_set(e, ERR_INPUT, "folder names have no control "
			    "characters");
			return NULL;
		}
	if (dir.len > 255) {
		buf_fini(&dir);
		err_set(e, ERR_INPUT, "folder name too long");
		return NULL;
	}
	path = xasprintf("%s/%s", root, buf_str(&dir));
	buf_fini(&dir);
	return path;
}

static int
local_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t
local_subfolders(const char *root, char ***vp)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		**v, *cur, *p;
	size_t		 n = 0, cap = 16;

	v = xreallocarray(NULL, cap, sizeof *v);
	v[n++] = xstrdup("INBOX");
	if ((d = opendir(root)) != NULL) {
		while ((de = readdir(d)) != NULL && n < LOCAL_FOLDERS_MAX) {
			if (de->d_name[0] != '.' || de->d_name[1] == '\0' ||
			    de->d_name[1] == '.')
				continue;
			cur = xasprintf("%s/%s/cur", root, de->d_name);
			if (stat(cur, &st) == 0 && S_ISDIR(st.st_mode)) {
				if (n == cap) {
					cap *= 2;
					v = xreallocarray(v, cap, sizeof *v);
				}
				v[n] = xstrdup(de->d_name + 1);
				for (p = v[n]; *p != '\0'; p++)
					if (*p == '.')
						*p = '/';
				n++;
			}
			free(cur);
		}
		closedir(d);
	}
	qsort(v + 1, n - 1, sizeof *v, local_name_cmp);
	*vp = v;
	return n;
}

/* Drop row from f (other rows' deleted marks are kept). */
static void
local_drop_row(struct local *l, struct folder *f, uint32_t row)
{
	const struct folder_row	*r;
	size_t			 n = folder_count(f), i, j;
	bool			*marked;

	marked = xcalloc(n, sizeof *marked);
	for (i = 0; i < n; i++) {
		r = folder_row(f, (uint32_t)i);
		marked[i] = (r->flags & FOLDER_DELETED) != 0;
		if (i == row)
			folder_flags_set(f, (uint32_t)i,
			    r->flags | FOLDER_DELETED);
		else if (marked[i])
			folder_flags_set(f, (uint32_t)i,
			    r->flags & ~FOLDER_DELETED);
	}
	folder_remove_deleted(f, NULL, NULL);
	for (i = j = 0; i < n; i++) {
		if (i == row)
			continue;
		if (marked[i]) {
			r = folder_row(f, (uint32_t)j);
			folder_flags_set(f, (uint32_t)j,
			    r->flags | FOLDER_DELETED);
		}
		j++;
	}
	free(marked);
	local_tab_rebuild(l, f);
}

/* "BASE:2,LETTERS" for md flags (the letters in ASCII order). */
static char *
local_info_name(const char *name, unsigned int md)
{
	static const char	 letters[] = "DFPRST";
	char			 fl[sizeof letters], *base, *s;
	size_t			 i, n = 0;

	for (i = 0; letters[i] != '\0'; i++)
		if (md & (1u << i))
			fl[n++] = letters[i];
	fl[n] = '\0';
	base = maildir_name_base(name);
	s = xasprintf("%s:2,%s", base, fl);
	free(base);
	return s;
}

/* Deliver a copy of the file at src into dest, in cur/ with md flags. */
static int
local_copy_file(const char *src, struct maildir *dest, bool to_new,
    unsigned int md, struct err *e)
{
	struct maildir_entry	 ent;
	struct buf		 raw = BUF_INIT;
	char			*name = NULL;
	int			 rc = -1;

	if (local_slurp(src, LOCAL_MESSAGE_MAX + 1, &raw, e) == -1)
		goto out;
	if (raw.len > LOCAL_MESSAGE_MAX) {
		err_set(e, ERR_LOCAL, "%s: larger than %u MiB", src,
		    LOCAL_MESSAGE_MAX >> 20);
		goto out;
	}
	if (maildir_deliver(dest, raw.data != NULL ? raw.data : "", raw.len,
	    &name, e) == -1)
		goto out;
	if (!to_new) {
		memset(&ent, 0, sizeof ent);
		ent.name = name;
		ent.is_new = true;
		if (maildir_flags_set(dest, &ent, md, NULL, e) == -1 ||
		    maildir_sync_dirs(dest, e) == -1)
			goto out;
	}
	rc = 0;
out:
	free(name);
	buf_fini(&raw);
	return rc;
}

int
local_transfer(struct local *l, struct folder *f, uint32_t row,
    struct maildir *dest, bool move, struct err *e)
{
	const struct folder_row	*r = folder_row(f, row);
	struct maildir_entry	 ent;
	unsigned int		 md;
	char			*src, *name, *dst;
	int			 rc = -1;

	if (r == NULL)
		return err_set(e, ERR_INPUT, "no such message");
	local_entry(folder_str(f, r->key), &ent);
	md = local_flags_to_md(r->flags);
	src = maildir_entry_path(l->md, &ent);
	name = local_info_name(ent.name, md);
	dst = xasprintf("%s/cur/%s", maildir_path(dest), name);
	if (!move) {
		rc = local_copy_file(src, dest, ent.is_new && md == 0, md, e);
		goto out;
	}
	/* link, then unlink: a crash in between leaves two, never none */
	if (link(src, dst) == -1) {
		if (errno == EEXIST) {
			err_set(e, ERR_LOCAL, "%s is already in %s", name,
			    maildir_path(dest));
			goto out;
		}
		/* another file system, or no hard links: copy */
		if (errno != EXDEV && errno != EPERM && errno != ENOTSUP) {
			err_sys(e, ERR_LOCAL, "link %s", dst);
			goto out;
		}
		if (local_copy_file(src, dest, false, md, e) == -1)
			goto out;
	} else if (maildir_sync_dirs(dest, e) == -1) {
		(void)unlink(dst);
		goto out;
	}
	if (maildir_remove(l->md, &ent, e) == -1)
		goto out;
	(void)maildir_sync_dirs(l->md, NULL);
	local_drop_row(l, f, row);
	local_mtimes(l, &l->mt_new, &l->mt_cur);
	rc = 0;
out:
	free(src);
	free(name);
	free(dst);
	return rc;
}
