/* SPDX-License-Identifier: ISC */
/*
 * A local Maildir as a folder backend: scan new/ and cur/ into a folder
 * model, rename files when flags change, unlink on expunge.  This file
 * does file I/O; it draws nothing and never blocks on a network.
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
#include "util/xmalloc.h"

#define LOCAL_HEADER_MAX	(256 * 1024)	/* bytes read for a summary */
#define LOCAL_MESSAGE_MAX	(64 * 1024 * 1024)

struct local {
	char		*path;
	char		*me;		/* lower-cased addresses, or NULL */
};

/* Header fields the index needs, as text (unfolded, raw). */
struct local_hdr {
	struct buf	 from, to, subject, date, msgid, irt, refs, ctype;
};

static void
local_hdr_fini(struct local_hdr *h)
{
	buf_fini(&h->from);
	buf_fini(&h->to);
	buf_fini(&h->subject);
	buf_fini(&h->date);
	buf_fini(&h->msgid);
	buf_fini(&h->irt);
	buf_fini(&h->refs);
	buf_fini(&h->ctype);
}

static struct buf *
local_hdr_slot(struct local_hdr *h, const char *name, size_t len)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} fields[] = {
		{ "from", offsetof(struct local_hdr, from) },
		{ "to", offsetof(struct local_hdr, to) },
		{ "subject", offsetof(struct local_hdr, subject) },
		{ "date", offsetof(struct local_hdr, date) },
		{ "message-id", offsetof(struct local_hdr, msgid) },
		{ "in-reply-to", offsetof(struct local_hdr, irt) },
		{ "references", offsetof(struct local_hdr, refs) },
		{ "content-type", offsetof(struct local_hdr, ctype) },
	};
	size_t	 i;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strlen(fields[i].name) == len &&
		    strncasecmp(fields[i].name, name, len) == 0)
			return (struct buf *)((char *)h + fields[i].off);
	return NULL;
}

/*
 * Split the header block of p[0..len) into the fields we keep, unfolding
 * continuation lines.  lenient: LF-only line ends are accepted.
 */
static void
local_hdr_parse(const char *p, size_t len, struct local_hdr *h)
{
	size_t		 i = 0, eol, colon;
	struct buf	*cur = NULL;

	while (i < len) {
		for (eol = i; eol < len && p[eol] != '\n'; eol++)
			;
		if (eol == i || (eol == i + 1 && p[i] == '\r'))
			break;		/* blank line: end of header */
		if (p[i] == ' ' || p[i] == '\t') {
			if (cur != NULL)
				buf_add(cur, p + i, eol - i - (p[eol - 1] ==
				    '\r'));
		} else {
			for (colon = i; colon < eol && p[colon] != ':'; colon++)
				;
			cur = NULL;
			if (colon < eol &&
			    (cur = local_hdr_slot(h, p + i, colon - i)) != NULL &&
			    cur->len == 0)
				buf_add(cur, p + colon + 1, eol - colon - 1 -
				    (p[eol - 1] == '\r'));
			else
				cur = NULL;
		}
		i = eol + 1;
	}
}

static int64_t
local_days(int64_t y, int64_t m, int64_t d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* RFC 5322 section 3.3 date-time to epoch seconds; 0 if unreadable. */
static int64_t
local_date(const char *s)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char		 mon[4], zone[8];
	int		 d, y, hh, mm, ss = 0, n, off = 0;
	const char	*m;

	while (isspace((unsigned char)*s))
		s++;
	if (isalpha((unsigned char)*s) && (m = strchr(s, ',')) != NULL)
		s = m + 1;
	zone[0] = '\0';
	n = sscanf(s, "%d %3s %d %d:%d:%d %7s", &d, mon, &y, &hh, &mm, &ss,
	    zone);
	if (n < 5) {
		ss = 0;
		if (sscanf(s, "%d %3s %d %d:%d %7s", &d, mon, &y, &hh, &mm,
		    zone) < 5)
			return 0;
	}
	for (m = months; *m != '\0'; m += 3)
		if (strncasecmp(m, mon, 3) == 0)
			break;
	if (*m == '\0' || d < 1 || d > 31)
		return 0;
	if (y < 50)		/* RFC 5322 section 4.3: obsolete years */
		y += 2000;
	else if (y < 1000)
		y += 1900;
	if ((zone[0] == '+' || zone[0] == '-') && isdigit((unsigned char)zone[1])) {
		int z = atoi(zone + 1);

		off = (z / 100) * 3600 + (z % 100) * 60;
		if (zone[0] == '-')
			off = -off;
	}
	return local_days(y, (m - months) / 3 + 1, d) * 86400 +
	    hh * 3600 + mm * 60 + ss - off;
}

/* Display name of the first address, else the address itself. */
static void
local_addr_display(const char *s, struct buf *out, struct buf *addr)
{
	const char	*lt, *gt, *e;

	while (isspace((unsigned char)*s))
		s++;
	lt = strchr(s, '<');
	gt = lt != NULL ? strchr(lt, '>') : NULL;
	if (lt != NULL && gt != NULL) {
		buf_add(addr, lt + 1, (size_t)(gt - lt - 1));
		e = lt;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (e > s && *s == '"' && e[-1] == '"') {
			s++;
			e--;
		}
		if (e > s)
			buf_add(out, s, (size_t)(e - s));
		else
			buf_add(out, lt + 1, (size_t)(gt - lt - 1));
		return;
	}
	for (e = s; *e != '\0' && *e != ',' && !isspace((unsigned char)*e);
	    e++)
		;
	buf_add(out, s, (size_t)(e - s));
	buf_add(addr, s, (size_t)(e - s));
}

/* The last <id> in s, without brackets, into out. */
static void
local_last_id(const char *s, struct buf *out)
{
	const char	*lt = NULL, *gt, *p;

	for (p = s; (p = strchr(p, '<')) != NULL; p++)
		lt = p;
	if (lt == NULL || (gt = strchr(lt, '>')) == NULL)
		return;
	buf_add(out, lt + 1, (size_t)(gt - lt - 1));
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

/* Maildir info flags (after ":2,") to FOLDER_* flags. */
static unsigned int
local_flags_parse(const char *name)
{
	const char	*info = strstr(name, ":2,");
	unsigned int	 fl = 0;

	if (info == NULL)
		return 0;
	for (info += 3; *info != '\0'; info++) {
		switch (*info) {
		case 'S': fl |= FOLDER_SEEN; break;
		case 'R': fl |= FOLDER_ANSWERED; break;
		case 'F': fl |= FOLDER_FLAGGED; break;
		case 'T': fl |= FOLDER_DELETED; break;
		case 'D': fl |= FOLDER_DRAFT; break;
		case 'P': fl |= FOLDER_PASSED; break;
		}
	}
	return fl;
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
local_add_file(struct local *l, struct folder *f, const char *sub,
    const char *name)
{
	struct local_hdr	 h = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT,
				    BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
	struct buf		 raw = BUF_INIT, from = BUF_INIT, to = BUF_INIT;
	struct buf		 faddr = BUF_INIT, taddr = BUF_INIT;
	struct buf		 parent = BUF_INIT, msgid = BUF_INIT;
	struct folder_msg	 m;
	struct stat		 st;
	char			*path, *key;

	path = xasprintf("%s/%s/%s", l->path, sub, name);
	key = xasprintf("%s/%s", sub, name);
	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode) ||
	    local_slurp(path, LOCAL_HEADER_MAX, &raw, NULL) == -1)
		goto out;
	local_hdr_parse(raw.data ? raw.data : "", raw.len, &h);
	local_addr_display(buf_str(&h.from), &from, &faddr);
	local_addr_display(buf_str(&h.to), &to, &taddr);
	local_last_id(buf_str(&h.refs), &parent);
	if (h.irt.len > 0) {
		buf_reset(&parent);
		local_last_id(buf_str(&h.irt), &parent);
	}
	local_last_id(buf_str(&h.msgid), &msgid);
	memset(&m, 0, sizeof m);
	m.from = buf_str(&from);
	m.to = buf_str(&to);
	m.subject = buf_str(&h.subject);
	while (*m.subject == ' ' || *m.subject == '\t')
		m.subject++;
	m.key = key;
	m.msgid = buf_str(&msgid);
	m.parent = buf_str(&parent);
	m.date = local_date(buf_str(&h.date));
	m.received = st.st_mtime;
	if (m.date == 0)
		m.date = m.received;
	m.size = (uint64_t)st.st_size;
	m.flags = local_flags_parse(name);
	if (strcmp(sub, "new") == 0)
		m.flags = (m.flags & ~FOLDER_SEEN) | FOLDER_RECENT;
	if (strcasestr(buf_str(&h.ctype), "multipart/mixed") != NULL)
		m.flags |= FOLDER_ATTACH;
	if (local_is_me(l, buf_str(&faddr)))
		m.flags |= FOLDER_FROMME;
	folder_add(f, &m);
out:
	local_hdr_fini(&h);
	buf_fini(&raw);
	buf_fini(&from);
	buf_fini(&to);
	buf_fini(&faddr);
	buf_fini(&taddr);
	buf_fini(&parent);
	buf_fini(&msgid);
	free(path);
	free(key);
}

static int
local_scan(struct local *l, struct folder *f, const char *sub, struct err *e)
{
	DIR		*d;
	struct dirent	*de;
	char		*path;

	path = xasprintf("%s/%s", l->path, sub);
	if ((d = opendir(path)) == NULL) {
		err_sys(e, ERR_LOCAL, "%s: not a Maildir", l->path);
		free(path);
		return -1;
	}
	free(path);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			local_add_file(l, f, sub, de->d_name);
	closedir(d);
	return 0;
}

struct local *
local_open(const char *path, struct folder *f, const char *me, struct err *e)
{
	struct local	*l;

	l = xcalloc(1, sizeof *l);
	l->path = xstrdup(path);
	l->me = me != NULL && *me != '\0' ? xstrdup(me) : NULL;
	if (local_scan(l, f, "cur", e) == -1 ||
	    local_scan(l, f, "new", e) == -1) {
		local_close(l);
		return NULL;
	}
	folder_view_rebuild(f);
	return l;
}

void
local_close(struct local *l)
{
	if (l == NULL)
		return;
	free(l->path);
	free(l->me);
	free(l);
}

/* "cur/BASE:2,FLAGS" for key and flags (caller frees). */
static char *
local_key_for(const char *key, unsigned int flags)
{
	const char	*slash, *colon;
	char		 info[8];
	size_t		 n = 0, baselen;

	slash = strchr(key, '/');
	slash = slash != NULL ? slash + 1 : key;
	colon = strstr(slash, ":2,");
	baselen = colon != NULL ? (size_t)(colon - slash) : strlen(slash);
	/* Maildir: info flags in ASCII order */
	if (flags & FOLDER_DRAFT)
		info[n++] = 'D';
	if (flags & FOLDER_FLAGGED)
		info[n++] = 'F';
	if (flags & FOLDER_PASSED)
		info[n++] = 'P';
	if (flags & FOLDER_ANSWERED)
		info[n++] = 'R';
	if (flags & FOLDER_SEEN)
		info[n++] = 'S';
	if (flags & FOLDER_DELETED)
		info[n++] = 'T';
	info[n] = '\0';
	return xasprintf("cur/%.*s:2,%s", (int)baselen, slash, info);
}

int
local_flags_write(struct local *l, struct folder *f, uint32_t row,
    unsigned int flags, struct err *e)
{
	const struct folder_row	*r = folder_row(f, row);
	char			*newkey, *from, *to;
	int			 rc = 0;

	if (r == NULL)
		return err_set(e, ERR_INPUT, "no such message");
	newkey = local_key_for(folder_str(f, r->key), flags);
	from = xasprintf("%s/%s", l->path, folder_str(f, r->key));
	to = xasprintf("%s/%s", l->path, newkey);
	if (strcmp(from, to) != 0 && rename(from, to) == -1)
		rc = err_sys(e, ERR_LOCAL, "rename %s", folder_str(f, r->key));
	else {
		folder_key_set(f, row, newkey);
		folder_flags_set(f, row, (flags & ~FOLDER_RECENT));
	}
	free(newkey);
	free(from);
	free(to);
	return rc;
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
	char				*path;

	path = xasprintf("%s/%s", x->l->path,
	    folder_str(f, folder_row(f, row)->key));
	if (unlink(path) == -1 && errno != ENOENT && x->failed++ == 0)
		err_sys(x->e, ERR_LOCAL, "unlink %s", path);
	free(path);
}

int
local_expunge(struct local *l, struct folder *f, size_t *n, struct err *e)
{
	struct local_expunge_ctx	 x = { l, e, 0 };

	*n = folder_remove_deleted(f, local_expunge_one, &x);
	return x.failed ? -1 : 0;
}

int
local_read(struct local *l, const struct folder *f, uint32_t row,
    struct buf *out, struct err *e)
{
	const struct folder_row	*r = folder_row(f, row);
	char			*path;
	int			 rc;

	if (r == NULL)
		return err_set(e, ERR_INPUT, "no such message");
	path = xasprintf("%s/%s", l->path, folder_str(f, r->key));
	rc = local_slurp(path, LOCAL_MESSAGE_MAX, out, e);
	free(path);
	return rc;
}
