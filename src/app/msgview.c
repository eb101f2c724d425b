/* SPDX-License-Identifier: ISC */
/*
 * Message views for the pager: the message as attributed lines and its
 * parts.  XXX: until the MIME engine (msg/render.h) is wired in, the body
 * is shown as one text part without transfer decoding.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app/msgview.h"
#include "util/xmalloc.h"

#define MSGVIEW_LINES_MAX	2000000

struct mv_line {
	size_t			 off;
	size_t			 len;
	enum msgview_attr	 attr;
	unsigned int		 quote;
};

struct msgview {
	char		*raw;
	size_t		 rawlen;
	size_t		 body;		/* offset of the body */
	bool		 full;
	struct buf	 text;		/* rendered text */
	struct mv_line	*lines;
	size_t		 nlines;
	size_t		 cap;
};

static void
mv_add(struct msgview *v, const char *p, size_t len, enum msgview_attr a,
    unsigned int quote)
{
	struct mv_line	*l;

	if (v->nlines >= MSGVIEW_LINES_MAX)
		return;
	if (v->nlines == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->lines = xreallocarray(v->lines, v->cap, sizeof *v->lines);
	}
	l = &v->lines[v->nlines++];
	l->off = v->text.len;
	l->len = len;
	l->attr = a;
	l->quote = quote;
	buf_add(&v->text, p, len);
}

static bool
mv_header_shown(const char *p, size_t len)
{
	static const char *const shown[] = {
		"From:", "To:", "Cc:", "Date:", "Subject:", NULL
	};
	size_t	 i, n;

	for (i = 0; shown[i] != NULL; i++) {
		n = strlen(shown[i]);
		if (len >= n && strncasecmp(p, shown[i], n) == 0)
			return true;
	}
	return false;
}

/* Header lines (unfolded into one display line each). */
static void
mv_headers(struct msgview *v)
{
	const char	*p = v->raw, *end = v->raw + v->rawlen, *eol, *s;
	struct buf	 line = BUF_INIT;

	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		s = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
		if (s == p) {			/* blank line */
			p = eol < end ? eol + 1 : end;
			break;
		}
		if ((*p == ' ' || *p == '\t') && line.len > 0) {
			buf_add_byte(&line, ' ');
			while (p < s && (*p == ' ' || *p == '\t'))
				p++;
			buf_add(&line, p, (size_t)(s - p));
		} else {
			if (line.len > 0 && (v->full ||
			    mv_header_shown(line.data, line.len)))
				mv_add(v, line.data, line.len, MSGVIEW_HEADER,
				    0);
			buf_reset(&line);
			buf_add(&line, p, (size_t)(s - p));
		}
		p = eol < end ? eol + 1 : end;
	}
	if (line.len > 0 && (v->full || mv_header_shown(line.data, line.len)))
		mv_add(v, line.data, line.len, MSGVIEW_HEADER, 0);
	buf_fini(&line);
	v->body = (size_t)(p - v->raw);
}

static unsigned int
mv_quote_depth(const char *p, size_t len)
{
	unsigned int	 d = 0;
	size_t		 i;

	for (i = 0; i < len; i++) {
		if (p[i] == '>')
			d++;
		else if (p[i] != ' ')
			break;
	}
	return d;
}

static void
mv_body(struct msgview *v)
{
	const char	*p = v->raw + v->body, *end = v->raw + v->rawlen, *eol;
	size_t		 len;
	bool		 sig = false;
	unsigned int	 q;

	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		len = (size_t)(eol - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == 3 && memcmp(p, "-- ", 3) == 0)
			sig = true;
		q = mv_quote_depth(p, len);
		mv_add(v, p, len, sig ? MSGVIEW_SIGNATURE : q > 0 ?
		    MSGVIEW_QUOTE : MSGVIEW_TEXT, q);
		p = eol < end ? eol + 1 : end;
	}
}

static void
mv_render(struct msgview *v)
{
	buf_reset(&v->text);
	v->nlines = 0;
	mv_headers(v);
	mv_add(v, "", 0, MSGVIEW_TEXT, 0);
	mv_body(v);
}

struct msgview *
msgview_new(const char *raw, size_t len, bool full)
{
	struct msgview	*v;

	v = xcalloc(1, sizeof *v);
	v->raw = xstrndup(raw, len);
	v->rawlen = len;
	v->full = full;
	buf_init(&v->text);
	mv_render(v);
	return v;
}

void
msgview_free(struct msgview *v)
{
	if (v == NULL)
		return;
	free(v->raw);
	buf_fini(&v->text);
	free(v->lines);
	free(v);
}

void
msgview_full_set(struct msgview *v, bool full)
{
	v->full = full;
	mv_render(v);
}

bool
msgview_full_get(const struct msgview *v)
{
	return v->full;
}

size_t
msgview_line_count(const struct msgview *v)
{
	return v->nlines;
}

void
msgview_line(const struct msgview *v, size_t i, struct msgview_line *out)
{
	memset(out, 0, sizeof *out);
	out->text = "";
	if (i >= v->nlines)
		return;
	out->text = v->text.data + v->lines[i].off;
	out->len = v->lines[i].len;
	out->attr = v->lines[i].attr;
	out->quote = v->lines[i].quote;
}

size_t
msgview_part_count(const struct msgview *v)
{
	return 1;
}

void
msgview_part(const struct msgview *v, size_t i, struct msgview_part *out)
{
	out->type = "text/plain";
	out->name = "";
	out->size = v->rawlen - v->body;
	out->depth = 0;
}

int
msgview_part_data(const struct msgview *v, size_t i, struct buf *out,
    struct err *e)
{
	if (i >= msgview_part_count(v))
		return err_set(e, ERR_INPUT, "no part %zu", i + 1);
	buf_add(out, v->raw + v->body, v->rawlen - v->body);
	return 0;
}

int
msgview_part_save(const struct msgview *v, size_t i, const char *path,
    struct err *e)
{
	struct buf	 data = BUF_INIT;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd, rc = 0;

	if (msgview_part_data(v, i, &data, e) == -1)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd == -1) {
		buf_fini(&data);
		return err_sys(e, ERR_LOCAL, "%s", path);
	}
	while (off < data.len) {
		n = write(fd, data.data + off, data.len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = err_sys(e, ERR_LOCAL, "%s", path);
			break;
		}
		off += (size_t)n;
	}
	if (close(fd) == -1 && rc == 0)
		rc = err_sys(e, ERR_LOCAL, "%s", path);
	buf_fini(&data);
	return rc;
}

/* Shell-quote s into out: 'it'\''s'. */
static void
mv_quote(struct buf *out, const char *s)
{
	buf_add_byte(out, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_add_str(out, "'\\''");
		else
			buf_add_byte(out, (unsigned char)*s);
	}
	buf_add_byte(out, '\'');
}

/* RFC 1524: "type/sub; command; flags" with %s for the file. */
static char *
mv_mailcap_file(const char *path, const char *type, const char *file)
{
	FILE		*fp;
	char		 line[4096], *semi, *cmd, *end, *p;
	struct buf	 out = BUF_INIT;
	size_t		 tlen;
	const char	*slash;

	if ((fp = fopen(path, "re")) == NULL)
		return NULL;
	slash = strchr(type, '/');
	while (fgets(line, sizeof line, fp) != NULL) {
		if (line[0] == '#' || (semi = strchr(line, ';')) == NULL)
			continue;
		*semi = '\0';
		for (end = semi; end > line && isspace((unsigned char)end[-1]);)
			*--end = '\0';
		tlen = strlen(line);
		if (strcasecmp(line, type) != 0 && !(slash != NULL &&
		    tlen == (size_t)(slash - type) + 2 &&
		    strncasecmp(line, type, (size_t)(slash - type) + 1) == 0 &&
		    line[tlen - 1] == '*'))
			continue;
		cmd = semi + 1;
		while (isspace((unsigned char)*cmd))
			cmd++;
		if ((end = strchr(cmd, ';')) != NULL)
			*end = '\0';
		cmd[strcspn(cmd, "\n")] = '\0';
		for (p = cmd; *p != '\0'; p++) {
			if (p[0] == '%' && p[1] == 's') {
				mv_quote(&out, file);
				p++;
			} else
				buf_add_byte(&out, (unsigned char)*p);
		}
		fclose(fp);
		return buf_take(&out, NULL);
	}
	fclose(fp);
	return NULL;
}

char *
msgview_part_mailcap(const struct msgview *v, size_t i, const char *file)
{
	struct msgview_part	 part;
	const char		*home = getenv("HOME");
	char			*path, *cmd = NULL;

	if (i >= msgview_part_count(v))
		return NULL;
	msgview_part(v, i, &part);
	if (home != NULL) {
		path = xasprintf("%s/.mailcap", home);
		cmd = mv_mailcap_file(path, part.type, file);
		free(path);
	}
	if (cmd == NULL)
		cmd = mv_mailcap_file("/etc/mailcap", part.type, file);
	return cmd;
}
