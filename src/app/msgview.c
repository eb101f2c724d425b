/* SPDX-License-Identifier: ISC */
/*
 * Message views for the pager: the message engine parses the MIME tree
 * (msg/mime.h) and renders it to attributed lines (msg/render.h); this
 * file keeps them with the part list and does the file work for parts.
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
#include "msg/mime.h"
#include "msg/render.h"
#include "util/xmalloc.h"

struct msgview {
	char			*raw;
	size_t			 rawlen;
	struct mime_msg		 m;
	bool			 parsed;	/* m is valid */
	struct render_doc	 doc;
	bool			 full;
	char			**headers;	/* NULL-terminated, or NULL */
};

/* Every field name of the message's own header, once each. */
static char **
mv_all_headers(const struct msgview *v)
{
	const struct rfc5322_hdr	*h = &v->m.parts[0].hdr;
	char				**names;
	size_t				 i, j, n = 0;

	names = xcalloc(h->nfields + 1, sizeof *names);
	for (i = 0; i < h->nfields; i++) {
		for (j = 0; j < n; j++)
			if (strlen(names[j]) == h->fields[i].namelen &&
			    strncasecmp(names[j], h->fields[i].name,
			    h->fields[i].namelen) == 0)
				break;
		if (j == n)
			names[n++] = xstrndup(h->fields[i].name,
			    h->fields[i].namelen);
	}
	return names;
}

static void
mv_names_free(char **names)
{
	size_t	 i;

	for (i = 0; names != NULL && names[i] != NULL; i++)
		free(names[i]);
	free(names);
}

static void
mv_render(struct msgview *v)
{
	struct render_opts	 ro;
	char			**all = NULL;

	render_doc_fini(&v->doc);
	memset(&v->doc, 0, sizeof v->doc);
	if (!v->parsed)
		return;
	memset(&ro, 0, sizeof ro);
	ro.width = 0;		/* the pager wraps to the screen */
	if (v->full)
		ro.headers = (const char *const *)(all = mv_all_headers(v));
	else
		ro.headers = (const char *const *)v->headers;
	render_message(&v->doc, &v->m, &ro);
	mv_names_free(all);
}

struct msgview *
msgview_new(const char *raw, size_t len, const struct msgview_opts *opts)
{
	struct msgview	*v;
	size_t		 i, n;

	v = xcalloc(1, sizeof *v);
	v->raw = xstrndup(raw, len);
	v->rawlen = len;
	if (opts != NULL) {
		v->full = opts->full;
		for (n = 0; opts->headers != NULL && opts->headers[n] != NULL;
		    n++)
			;
		if (opts->headers != NULL) {
			v->headers = xcalloc(n + 1, sizeof *v->headers);
			for (i = 0; i < n; i++)
				v->headers[i] = xstrdup(opts->headers[i]);
		}
	}
	v->parsed = mime_parse(&v->m, v->raw, v->rawlen, NULL) == 0;
	mv_render(v);
	return v;
}

void
msgview_free(struct msgview *v)
{
	if (v == NULL)
		return;
	render_doc_fini(&v->doc);
	mime_msg_fini(&v->m);
	mv_names_free(v->headers);
	free(v->raw);
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
	return v->doc.n;
}

void
msgview_line(const struct msgview *v, size_t i, struct msgview_line *out)
{
	static const enum msgview_attr map[] = {
		[RENDER_TEXT] = MSGVIEW_TEXT,
		[RENDER_HEADER] = MSGVIEW_HEADER,
		[RENDER_QUOTE] = MSGVIEW_QUOTE,
		[RENDER_SIG] = MSGVIEW_SIGNATURE,
		[RENDER_ATTACH] = MSGVIEW_ATTACHMENT,
		[RENDER_NOTE] = MSGVIEW_NOTE,
	};
	const struct render_line	*l;

	memset(out, 0, sizeof *out);
	out->text = "";
	if (i >= v->doc.n)
		return;
	l = &v->doc.v[i];
	out->text = l->text;
	out->len = l->len;
	out->attr = (size_t)l->attr < sizeof map / sizeof map[0] ?
	    map[l->attr] : MSGVIEW_TEXT;
	out->quote = l->quote;
	out->name_len = l->attr == RENDER_HEADER ? l->name_len : 0;
}

size_t
msgview_part_count(const struct msgview *v)
{
	return v->parsed ? v->m.nparts : 0;
}

void
msgview_part(const struct msgview *v, size_t i, struct msgview_part *out)
{
	const struct mime_part	*p;

	memset(out, 0, sizeof *out);
	out->type = "";
	out->name = "";
	if (i >= msgview_part_count(v))
		return;
	p = &v->m.parts[i];
	out->type = p->type;
	out->name = p->filename != NULL ? p->filename : "";
	out->size = p->size;
	out->depth = p->depth;
}

int
msgview_part_data(const struct msgview *v, size_t i, struct buf *out,
    struct err *e)
{
	if (i >= msgview_part_count(v))
		return err_set(e, ERR_INPUT, "no part %zu", i + 1);
	mime_part_decode(&v->m.parts[i], out);
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
