/* SPDX-License-Identifier: ISC */
/*
 * pons show: parse messages from files with the msg layer and print what
 * the pager would show, or one JSON object per message for scripts and
 * for checking the engine against other decoders.  Ugly mail is never an
 * error: only unreadable files change the exit status.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/cmd-show.h"
#include "msg/addr.h"
#include "msg/date.h"
#include "msg/mime.h"
#include "msg/render.h"
#include "msg/rfc5322.h"
#include "msg/sanitize.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/str.h"
#include "util/xmalloc.h"

#define SHOW_FILE_MAX	(256 * 1024 * 1024)	/* bytes read per message */

static const char *show_usage =
    "usage: pons show [--width N] FILE|-\n"
    "       pons show --json [--width N] FILE...\n";

/* Read a whole file ("-" is stdin) into b.  Returns 0 or -1 with e. */
static int
show_read(const char *path, struct buf *b, struct err *e)
{
	FILE	*fp;
	size_t	 n;

	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "rb")) == NULL)
		return err_sys(e, ERR_LOCAL, "%s", path);
	for (;;) {
		buf_reserve(b, 65536);
		n = fread(b->data + b->len, 1, b->cap - b->len - 1, fp);
		b->len += n;
		b->data[b->len] = '\0';
		if (n == 0 || b->len > SHOW_FILE_MAX)
			break;
	}
	if (ferror(fp)) {
		err_sys(e, ERR_LOCAL, "%s", path);
		if (fp != stdin)
			fclose(fp);
		return -1;
	}
	if (fp != stdin)
		fclose(fp);
	if (b->len > SHOW_FILE_MAX)
		return err_set(e, ERR_LIMIT, "%s: larger than %d MB", path,
		    SHOW_FILE_MAX / (1024 * 1024));
	return 0;
}

/* A JSON string: any bytes in, invalid UTF-8 as U+FFFD. */
static void
json_str(struct buf *o, const char *p, size_t len)
{
	size_t		 i, n;
	uint32_t	 cp;
	unsigned char	 c;

	if (p == NULL) {
		buf_add_str(o, "null");
		return;
	}
	buf_add_byte(o, '"');
	for (i = 0; i < len; i += n) {
		c = (unsigned char)p[i];
		n = 1;
		if (c == '"' || c == '\\') {
			buf_add_byte(o, '\\');
			buf_add_byte(o, c);
		} else if (c == '\n')
			buf_add_str(o, "\\n");
		else if (c == '\t')
			buf_add_str(o, "\\t");
		else if (c == '\r')
			buf_add_str(o, "\\r");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(o, "\\u%04x", c);
		else if (c < 0x80)
			buf_add_byte(o, c);
		else if ((n = sanitize_utf8_next(p + i, len - i, &cp)) == 0) {
			buf_add_str(o, "\\ufffd");
			n = 1;
		} else
			buf_add(o, p + i, n);
	}
	buf_add_byte(o, '"');
}

static void
json_cstr(struct buf *o, const char *s)
{
	json_str(o, s, s != NULL ? strlen(s) : 0);
}

static void
show_addrs(struct buf *o, const struct rfc5322_hdr *h, const char *name,
    const char *charset)
{
	const struct rfc5322_field	*f;
	struct addr_list		 al;
	size_t				 i;
	bool				 first = true;

	buf_add_byte(o, '[');
	for (f = rfc5322_hdr_get(h, name, NULL); f != NULL;
	    f = rfc5322_hdr_get(h, name, f)) {
		memset(&al, 0, sizeof al);
		addr_list_parse(&al, f->value, f->valuelen, charset);
		for (i = 0; i < al.n; i++) {
			if (al.v[i].addr[0] == '\0' && al.v[i].name == NULL)
				continue;	/* an empty group */
			buf_add_str(o, first ? "{\"name\":" : ",{\"name\":");
			json_cstr(o, al.v[i].name != NULL ? al.v[i].name : "");
			buf_add_str(o, ",\"addr\":");
			json_cstr(o, al.v[i].addr);
			buf_add_byte(o, '}');
			first = false;
		}
		addr_list_fini(&al);
	}
	buf_add_byte(o, ']');
}

/* Message ids of a field value: "<a> <b>" gives a, b. */
static void
show_ids(struct buf *o, const struct rfc5322_field *f, bool list)
{
	const char	*p, *q, *end;
	size_t		 n = 0;
	struct buf	 u = BUF_INIT;

	if (f == NULL) {
		buf_add_str(o, list ? "[]" : "null");
		return;
	}
	rfc5322_unfold(f->value, f->valuelen, &u);
	p = buf_str(&u);
	end = p + u.len;
	if (list)
		buf_add_byte(o, '[');
	while (p < end && (q = memchr(p, '<', (size_t)(end - p))) != NULL) {
		p = q + 1;
		if ((q = memchr(p, '>', (size_t)(end - p))) == NULL)
			break;
		if (n++ > 0)
			buf_add_byte(o, ',');
		json_str(o, p, (size_t)(q - p));
		p = q + 1;
		if (!list)
			break;
	}
	if (n == 0 && !list) {
		/* lenient: an id without brackets */
		p = buf_str(&u);
		if (u.len > 0)
			json_str(o, p, strcspn(p, " \t"));
		else
			buf_add_str(o, "null");
	}
	if (list)
		buf_add_byte(o, ']');
	buf_fini(&u);
}

static void
show_mime_node(struct buf *o, const struct mime_msg *m, uint32_t idx,
    unsigned int depth)
{
	const struct mime_part	*pt = &m->parts[idx];
	uint32_t		 c;

	buf_add_str(o, "{\"type\":");
	json_cstr(o, pt->type);
	buf_add_str(o, ",\"charset\":");
	json_cstr(o, pt->charset);
	buf_add_str(o, ",\"filename\":");
	json_cstr(o, pt->filename);
	buf_add_str(o, ",\"disposition\":");
	json_cstr(o, pt->disposition);
	buf_add_str(o, ",\"cte\":");
	json_cstr(o, pt->cte);
	buf_printf(o, ",\"size\":%zu,\"index\":%u", pt->size, pt->index);
	if (strncmp(pt->type, "multipart/", 10) == 0 ||
	    strncmp(pt->type, "message/", 8) == 0) {
		if (pt->child != MIME_NONE || strncmp(pt->type, "multipart/",
		    10) == 0) {
			buf_add_str(o, ",\"parts\":[");
			for (c = pt->child; c != MIME_NONE && depth <
			    MIME_DEPTH_MAX; c = m->parts[c].next) {
				if (c != pt->child)
					buf_add_byte(o, ',');
				show_mime_node(o, m, c, depth + 1);
			}
			buf_add_byte(o, ']');
		}
	}
	buf_add_byte(o, '}');
}

static void
show_date(struct buf *o, const struct rfc5322_hdr *h)
{
	const struct rfc5322_field	*f;
	struct tm			 tm;
	time_t				 t;
	char				 s[32];

	f = rfc5322_hdr_get(h, "Date", NULL);
	if (f == NULL || date_parse(f->value, f->valuelen, &t, NULL) ==
	    DATE_INVALID || gmtime_r(&t, &tm) == NULL ||
	    tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999 ||
	    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		buf_add_str(o, "null");
		return;
	}
	buf_add_str(o, "\"");
	buf_add_str(o, s);
	buf_add_str(o, "\"");
}

static const char *
show_notes(unsigned int notes)
{
	if (notes & MIME_NOTE_DEPTH)
		return "parts nested too deeply";
	if (notes & MIME_NOTE_PARTS)
		return "too many parts";
	if (notes & MIME_NOTE_NO_BOUNDARY)
		return "multipart without boundary";
	if (notes & MIME_NOTE_NO_PARTS)
		return "multipart without any delimiter";
	if (notes & MIME_NOTE_NO_END)
		return "missing final boundary";
	if (notes & MIME_NOTE_HDR_LIMIT)
		return "header over a size limit";
	return NULL;
}

static void
show_json(struct buf *o, const char *path, const struct buf *in, int width)
{
	struct mime_msg			 m;
	struct render_doc		 doc;
	struct render_opts		 ro;
	struct err			 e;
	struct buf			 t = BUF_INIT;
	const struct rfc5322_field	*f;
	const struct rfc5322_hdr	*h;
	const char			*cs;
	uint32_t			 tp;

	buf_add_str(o, "{\"file\":");
	json_cstr(o, path);
	if (mime_parse(&m, in->data, in->len, &e) == -1) {
		buf_add_str(o, ",\"ok\":false,\"error\":");
		json_cstr(o, e.msg);
		buf_add_str(o, "}\n");
		fprintf(stderr, "pons: %s: %s\n", path, e.msg);
		mime_msg_fini(&m);
		return;
	}
	if (show_notes(m.notes) != NULL)
		fprintf(stderr, "pons: %s: %s\n", path, show_notes(m.notes));
	h = &m.parts[0].hdr;
	tp = mime_text_part(&m);
	cs = tp != MIME_NONE ? m.parts[tp].charset : m.parts[0].charset;
	buf_add_str(o, ",\"ok\":true,\"error\":");
	json_cstr(o, show_notes(m.notes));
	buf_add_str(o, ",\"from\":");
	show_addrs(o, h, "From", cs);
	buf_add_str(o, ",\"to\":");
	show_addrs(o, h, "To", cs);
	buf_add_str(o, ",\"cc\":");
	show_addrs(o, h, "Cc", cs);
	buf_add_str(o, ",\"subject\":");
	if ((f = rfc5322_hdr_get(h, "Subject", NULL)) != NULL) {
		rfc5322_value_decode(f->value, f->valuelen, cs, &t);
		json_str(o, buf_str(&t), t.len);
	} else
		buf_add_str(o, "null");
	buf_add_str(o, ",\"date\":");
	show_date(o, h);
	buf_add_str(o, ",\"message_id\":");
	show_ids(o, rfc5322_hdr_get(h, "Message-ID", NULL), false);
	buf_add_str(o, ",\"in_reply_to\":");
	show_ids(o, rfc5322_hdr_get(h, "In-Reply-To", NULL), true);
	buf_add_str(o, ",\"references\":");
	show_ids(o, rfc5322_hdr_get(h, "References", NULL), true);
	buf_add_str(o, ",\"mime\":");
	show_mime_node(o, &m, 0, 0);
	if (tp != MIME_NONE) {
		buf_printf(o, ",\"text_part\":%u,\"text_type\":", tp);
		json_cstr(o, m.parts[tp].type);
		buf_reset(&t);
		mime_part_text(&m.parts[tp], NULL, &t);
		buf_add_str(o, ",\"text\":");
		json_str(o, buf_str(&t), t.len);
	} else
		buf_add_str(o, ",\"text_part\":null,\"text_type\":null,"
		    "\"text\":null");
	memset(&ro, 0, sizeof ro);
	ro.width = width;
	memset(&doc, 0, sizeof doc);
	render_message(&doc, &m, &ro);
	buf_reset(&t);
	render_doc_text(&doc, &t);
	buf_add_str(o, ",\"rendered\":");
	json_str(o, buf_str(&t), t.len);
	buf_add_str(o, "}\n");
	render_doc_fini(&doc);
	buf_fini(&t);
	mime_msg_fini(&m);
}

static void
show_text(struct buf *o, const char *path, const struct buf *in, int width)
{
	struct mime_msg		 m;
	struct render_doc	 doc;
	struct render_opts	 ro;
	struct err		 e;

	if (mime_parse(&m, in->data, in->len, &e) == -1) {
		fprintf(stderr, "pons: %s: %s\n", path, e.msg);
		mime_msg_fini(&m);
		return;
	}
	memset(&ro, 0, sizeof ro);
	ro.width = width;
	memset(&doc, 0, sizeof doc);
	render_message(&doc, &m, &ro);
	render_doc_text(&doc, o);
	render_doc_fini(&doc);
	mime_msg_fini(&m);
}

int
cmd_show(int argc, char **argv)
{
	struct buf	 in = BUF_INIT, out = BUF_INIT;
	struct err	 e;
	uint64_t	 w;
	int		 i, width = 80, status = 0;
	bool		 json = false, opts = true;

	for (i = 1; i < argc && opts && argv[i][0] == '-' &&
	    argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--width") == 0 && i + 1 < argc) {
			if (!str_to_u64(argv[i + 1], strlen(argv[i + 1]), 10000,
			    &w)) {
				fputs(show_usage, stderr);
				return 2;
			}
			width = (int)w;
			i++;
		} else if (strcmp(argv[i], "--") == 0)
			opts = false;
		else {
			fputs(show_usage, stderr);
			return 2;
		}
	}
	if (i >= argc || (!json && argc - i > 1)) {
		fputs(show_usage, stderr);
		return 2;
	}
	for (; i < argc; i++) {
		buf_reset(&in);
		buf_reset(&out);
		if (show_read(argv[i], &in, &e) == -1) {
			fprintf(stderr, "pons: %s\n", e.msg);
			status = 1;
			if (json) {
				buf_add_str(&out, "{\"file\":");
				json_cstr(&out, argv[i]);
				buf_add_str(&out, ",\"ok\":false,\"error\":");
				json_cstr(&out, e.msg);
				buf_add_str(&out, "}\n");
			}
		} else if (json)
			show_json(&out, argv[i], &in, width);
		else
			show_text(&out, argv[i], &in, width);
		if (out.len > 0 && fwrite(out.data, 1, out.len, stdout) !=
		    out.len) {
			fprintf(stderr, "pons: stdout: %s\n", strerror(errno));
			status = 1;
			break;
		}
	}
	if (fflush(stdout) != 0)
		status = 1;
	buf_fini(&in);
	buf_fini(&out);
	return status;
}
