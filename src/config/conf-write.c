/* SPDX-License-Identifier: ISC */
/*
 * Writing settings back: conf_write_text() edits the user's text in
 * memory (only the edited lines change), conf_file_write() puts the result
 * on disk so that a crash leaves either the old or the new file.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/conf-parse.h"
#include "conf-private.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

int	conf_write_kill_after;

struct wline {
	size_t		 off;		/* start of the line in the text */
	size_t		 len;		/* without the line end */
	size_t		 eol;		/* bytes of line end: 0, 1 or 2 */
	bool		 pair;
	size_t		 value_off;
	size_t		 value_len;
	size_t		 inst;		/* section instance + 1; 0: none */
	bool		 deleted;
	const char	*replace;	/* new value, or NULL */
	const struct conf_edit *header;	/* RENAME_SECTION of this line */
};

struct winst {
	char		*section;	/* "" after a broken header */
	char		*sub;
	unsigned int	 header;	/* line of the header */
	unsigned int	 last;		/* last line holding an item */
};

struct wtext {
	struct wline	*lines;
	size_t		 nlines;
	struct winst	*insts;
	size_t		 ninsts;
};

static int
conf_write_item(void *arg, const struct conf_item *it)
{
	struct wtext	*w = arg;
	struct wline	*l = &w->lines[it->line - 1];
	struct winst	*in;

	if (it->kind == CONF_ITEM_SECTION) {
		w->insts = xreallocarray(w->insts, w->ninsts + 1,
		    sizeof *w->insts);
		in = &w->insts[w->ninsts++];
		in->section = xstrdup(it->section);
		in->sub = it->sub != NULL ? xstrdup(it->sub) : NULL;
		in->header = in->last = it->line;
	} else if (w->ninsts > 0)
		w->insts[w->ninsts - 1].last = it->line;
	if (it->kind == CONF_ITEM_PAIR) {
		l->pair = true;
		l->value_off = it->value_off;
		l->value_len = it->value_len;
	}
	l->inst = w->ninsts;
	return 0;
}

/* Split into lines, then let the lexer mark sections and values. */
static void
conf_write_scan(const char *text, size_t len, struct wtext *w)
{
	const char	*nl;
	size_t		 off = 0, cap = 0;
	struct wline	*l;

	memset(w, 0, sizeof *w);
	while (off < len) {
		if (w->nlines == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			w->lines = xreallocarray(w->lines, cap,
			    sizeof *w->lines);
		}
		l = &w->lines[w->nlines++];
		memset(l, 0, sizeof *l);
		l->off = off;
		nl = memchr(text + off, '\n', len - off);
		l->len = (nl != NULL ? (size_t)(nl - text) : len) - off;
		if (nl != NULL) {
			l->eol = 1;
			if (l->len > 0 && text[off + l->len - 1] == '\r') {
				l->len--;
				l->eol = 2;
			}
		}
		off += l->len + l->eol;
	}
	conf_parse(text, len, conf_write_item, w);
}

static void
conf_write_free(struct wtext *w)
{
	size_t	 i;

	for (i = 0; i < w->ninsts; i++) {
		free(w->insts[i].section);
		free(w->insts[i].sub);
	}
	free(w->insts);
	free(w->lines);
}

static bool
conf_write_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The last instance of section/sub, or 0. */
static size_t
conf_write_find(const struct wtext *w, const char *section, const char *sub)
{
	size_t	 i;

	for (i = w->ninsts; i > 0; i--)
		if (strcmp(w->insts[i - 1].section, section) == 0 &&
		    conf_write_same(w->insts[i - 1].sub, sub))
			return i;
	return 0;
}

static void
conf_write_pair(const struct conf_edit *ed, const char *eol, struct buf *out)
{
	buf_printf(out, "%s = ", ed->name);
	conf_quote_value(ed->value, out);
	buf_add_str(out, eol);
}

static void
conf_write_header(const char *section, const char *sub, const char *eol,
    struct buf *out)
{
	const char	*p;

	buf_printf(out, "[%s", section);
	if (sub != NULL) {
		buf_add_str(out, " \"");
		for (p = sub; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_add_byte(out, '\\');
			buf_add_byte(out, (unsigned char)*p);
		}
		buf_add_byte(out, '"');
	}
	buf_printf(out, "]%s", eol);
}

static bool
conf_write_blank(const struct wtext *w, const char *text, unsigned int ln)
{
	const struct wline	*l = &w->lines[ln - 1];
	size_t			 i;

	for (i = 0; i < l->len; i++)
		if (text[l->off + i] != ' ' && text[l->off + i] != '\t')
			return false;
	return true;
}

/*
 * Drop lines first..last (a section up to its last option), and the blank
 * lines after it when a blank line already comes before it, so that the
 * neighbours stay separated by one blank line, not two.
 */
static void
conf_write_drop_section(struct wtext *w, const char *text,
    unsigned int first, unsigned int last)
{
	unsigned int	 j;

	for (j = first; j <= last; j++)
		w->lines[j - 1].deleted = true;
	if (first > 1 && !conf_write_blank(w, text, first - 1))
		return;
	for (j = last + 1; j <= w->nlines && conf_write_blank(w, text, j);
	    j++)
		w->lines[j - 1].deleted = true;
	/* The last section: the blank lines before it go too. */
	if (j > w->nlines)
		for (j = first - 1; j > 0 && conf_write_blank(w, text, j); j--)
			w->lines[j - 1].deleted = true;
}

/* True if out ends with an empty (or blank) line. */
static bool
conf_write_ends_blank(const struct buf *out)
{
	size_t	 i = out->len;

	if (i == 0 || out->data[i - 1] != '\n')
		return false;
	for (i--; i > 0; i--) {
		if (out->data[i - 1] == '\n')
			return true;
		if (strchr(" \t\r", out->data[i - 1]) == NULL)
			return false;
	}
	return true;
}

void
conf_write_text(const char *text, size_t len, const struct conf_edit *ed,
    size_t n, struct buf *out)
{
	struct wtext	 w;
	struct wline	*l;
	const char	*eol = "\n";
	size_t		 i, j, k, *target;
	bool		*done;
	unsigned int	 ln;

	conf_write_scan(text, len, &w);
	if (w.nlines > 0 && w.lines[0].eol == 2)
		eol = "\r\n";
	target = xcalloc(n + 1, sizeof *target);
	done = xcalloc(n + 1, sizeof *done);
	/* Renamed sections take options under their new name. */
	for (i = 0; i < n; i++) {
		ln = ed[i].line;
		if (ed[i].kind != CONF_EDIT_RENAME_SECTION || ln == 0 ||
		    ln > w.nlines || (k = w.lines[ln - 1].inst) == 0 ||
		    w.insts[k - 1].header != ln || ed[i].sub == NULL)
			continue;
		free(w.insts[k - 1].sub);
		w.insts[k - 1].sub = xstrdup(ed[i].sub);
		w.lines[ln - 1].header = &ed[i];
	}
	for (i = 0; i < n; i++) {
		ln = ed[i].line;
		if (ed[i].kind == CONF_EDIT_APPEND) {
			target[i] = conf_write_find(&w, ed[i].section,
			    ed[i].sub);
			continue;
		}
		if (ln == 0 || ln > w.nlines)
			continue;
		l = &w.lines[ln - 1];
		if (ed[i].kind == CONF_EDIT_REPLACE && l->pair)
			l->replace = ed[i].value;
		else if (ed[i].kind == CONF_EDIT_DELETE && l->pair)
			l->deleted = true;
		else if (ed[i].kind == CONF_EDIT_DELETE_SECTION &&
		    l->inst > 0 && w.insts[l->inst - 1].header == ln)
			conf_write_drop_section(&w, text, ln,
			    w.insts[l->inst - 1].last);
	}
	for (i = 0; i < w.nlines; i++) {
		l = &w.lines[i];
		if (!l->deleted) {
			if (l->header != NULL) {
				conf_write_header(w.insts[l->inst - 1].section,
				    l->header->sub, "", out);
				buf_add(out, text + l->off + l->len, l->eol);
			} else if (l->replace != NULL) {
				buf_add(out, text + l->off, l->value_off);
				conf_quote_value(l->replace, out);
				k = l->value_off + l->value_len;
				buf_add(out, text + l->off + k, l->len - k +
				    l->eol);
			} else
				buf_add(out, text + l->off, l->len + l->eol);
		}
		/* Appends go after the last item of their section. */
		for (j = 0; j < n; j++) {
			if (ed[j].kind != CONF_EDIT_APPEND || target[j] == 0 ||
			    w.insts[target[j] - 1].last != i + 1)
				continue;
			if (l->eol == 0 && !done[n]) {
				buf_add_str(out, eol);
				done[n] = true;
			}
			conf_write_pair(&ed[j], eol, out);
			done[j] = true;
		}
	}
	/* New sections at the end, in the order their options came. */
	for (i = 0; i < n; i++) {
		if (ed[i].kind != CONF_EDIT_APPEND || done[i])
			continue;
		if (out->len > 0 && out->data[out->len - 1] != '\n')
			buf_add_str(out, eol);
		if (out->len > 0 && !conf_write_ends_blank(out))
			buf_add_str(out, eol);
		conf_write_header(ed[i].section, ed[i].sub, eol, out);
		for (j = i; j < n; j++) {
			if (ed[j].kind != CONF_EDIT_APPEND || done[j] ||
			    strcmp(ed[j].section, ed[i].section) != 0 ||
			    !conf_write_same(ed[j].sub, ed[i].sub))
				continue;
			if (ed[j].name != NULL)
				conf_write_pair(&ed[j], eol, out);
			done[j] = true;
		}
	}
	free(target);
	free(done);
	conf_write_free(&w);
}

static void
conf_write_step(int step)
{
	if (conf_write_kill_after == step)
		raise(SIGKILL);
}

static int
conf_write_all(int fd, const char *p, size_t len)
{
	ssize_t	 r;

	while (len > 0) {
		r = write(fd, p, len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

/* mkdir -p with mode 0700 for the directories it creates. */
static int
conf_write_mkdirs(const char *dir)
{
	char	*p, *s;
	int	 rv = 0;

	p = xstrdup(dir);
	for (s = p + 1; rv == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		if (*s == '/' && s[1] == '/')
			continue;
		if (*s == '\0') {
			if (mkdir(p, 0700) == -1 && errno != EEXIST)
				rv = -1;
			break;
		}
		*s = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST)
			rv = -1;
		*s = '/';
	}
	free(p);
	return rv;
}

int
conf_file_write(const char *path, const void *data, size_t len,
    bool private_mode, struct err *e)
{
	struct stat	 st;
	char		*real = NULL, *dir, *tmp, *slash;
	const char	*target = path;
	int		 fd, dfd, saved;
	size_t		 half = len / 2;

	/* Write through a symlink (dotfiles managers), not over it. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		if ((real = realpath(path, NULL)) == NULL)
			return err_sys(e, ERR_LOCAL, "%s", path);
		target = real;
	}
	dir = xstrdup(target);
	slash = strrchr(dir, '/');
	if (slash == NULL) {
		free(dir);
		dir = xstrdup(".");
	} else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	slash = strrchr(target, '/');
	tmp = xasprintf("%s/.%s.XXXXXX", dir, slash != NULL ? slash + 1 :
	    target);
	/* First save of a new user: ~/.config/pons may not exist yet. */
	if ((fd = mkstemp(tmp)) == -1 && errno == ENOENT &&
	    conf_write_mkdirs(dir) == 0) {
		free(tmp);
		tmp = xasprintf("%s/.%s.XXXXXX", dir, slash != NULL ?
		    slash + 1 : target);
		fd = mkstemp(tmp);
	}
	if (fd == -1) {
		err_sys(e, ERR_LOCAL, "%s: cannot create a temporary file",
		    dir);
		goto fail_nofd;
	}
	conf_write_step(1);
	/* mkstemp made it 0600; an old file gives its mode, less with a secret */
	if (stat(target, &st) == 0 && fchmod(fd, st.st_mode &
	    (private_mode ? 07700 : 07777)) == -1)
		goto fail;
	if (conf_write_all(fd, data, half) == -1)
		goto fail;
	conf_write_step(2);
	if (conf_write_all(fd, (const char *)data + half, len - half) == -1)
		goto fail;
	conf_write_step(3);
	if (fsync(fd) == -1)
		goto fail;
	conf_write_step(4);
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, target) == -1)
		goto fail;
	conf_write_step(5);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY)) != -1) {
		/* lenient: some file systems refuse fsync on directories */
		(void)fsync(dfd);
		close(dfd);
	}
	conf_write_step(6);
	free(tmp);
	free(dir);
	free(real);
	return 0;
fail:
	saved = errno;
	err_sys(e, ERR_LOCAL, "%s: cannot write", target);
	if (fd != -1)
		close(fd);
	unlink(tmp);
	errno = saved;
fail_nofd:
	free(tmp);
	free(dir);
	free(real);
	return -1;
}

int
conf_file_read(const char *path, struct buf *out, mode_t *mode,
    struct err *e)
{
	struct stat	 st;
	char		 chunk[8192];
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 1;
		return err_sys(e, ERR_LOCAL, "%s", path);
	}
	if (fstat(fd, &st) == -1) {
		close(fd);
		return err_sys(e, ERR_LOCAL, "%s", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, ERR_LOCAL, "%s: not a regular file", path);
	}
	*mode = st.st_mode & 07777;
	for (;;) {
		r = read(fd, chunk, sizeof chunk);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			close(fd);
			return err_sys(e, ERR_LOCAL, "%s", path);
		}
		if (r == 0)
			break;
		if (out->len + (size_t)r > CONF_FILE_MAX) {
			close(fd);
			return err_set(e, ERR_LIMIT, "%s: larger than %d bytes",
			    path, CONF_FILE_MAX);
		}
		buf_add(out, chunk, (size_t)r);
	}
	close(fd);
	return 0;
}
