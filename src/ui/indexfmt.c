/* SPDX-License-Identifier: ISC */
/*
 * The index line formatter: flags, date, sender, size, tree and subject,
 * cut to the screen width in columns.  Pure apart from localtime_r().
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "app/folder.h"
#include "ui/indexfmt.h"
#include "ui/render.h"

#define INDEXFMT_DATE_COLS	10
#define INDEXFMT_SIZE_COLS	5

void
indexfmt_flags(unsigned int flags, char *out)
{
	out[0] = (flags & FOLDER_SEEN) ? ' ' :
	    (flags & FOLDER_RECENT) ? 'N' : 'O';
	out[1] = (flags & FOLDER_ANSWERED) ? 'r' : ' ';
	out[2] = (flags & FOLDER_FLAGGED) ? '!' : ' ';
	out[3] = (flags & FOLDER_DELETED) ? 'D' : ' ';
	out[4] = (flags & FOLDER_ATTACH) ? '+' : ' ';
	out[5] = '\0';
}

void
indexfmt_date(int64_t t, time_t now, char *out, size_t n)
{
	struct tm	 tm, tn;
	time_t		 tt = (time_t)t;

	if (t == 0 || localtime_r(&tt, &tm) == NULL ||
	    localtime_r(&now, &tn) == NULL) {
		snprintf(out, n, "?");
		return;
	}
	if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
		strftime(out, n, "%H:%M", &tm);
	else if (tm.tm_year == tn.tm_year)
		strftime(out, n, "%b %d", &tm);
	else
		strftime(out, n, "%Y-%m-%d", &tm);
}

void
indexfmt_size(uint64_t bytes, char *out, size_t n)
{
	if (bytes < 1000)
		snprintf(out, n, "%u", (unsigned int)bytes);
	else if (bytes < 10 * 1024)
		snprintf(out, n, "%.1fK", (double)bytes / 1024);
	else if (bytes < 1000 * 1024)
		snprintf(out, n, "%uK", (unsigned int)((bytes + 512) / 1024));
	else if (bytes < (uint64_t)10 * 1024 * 1024)
		snprintf(out, n, "%.1fM", (double)bytes / (1024 * 1024));
	else
		snprintf(out, n, "%uM", (unsigned int)(bytes / (1024 * 1024)));
}

/* A row's size: blank while not known (0: an IMAP head start's row). */
static void
indexfmt_row_size(const struct indexfmt_row *r, char *out, size_t n)
{
	if (r->size == 0)
		out[0] = '\0';
	else
		indexfmt_size(r->size, out, n);
}

/* Append text cut/padded to cols columns, then one space. */
static int
indexfmt_col(struct buf *out, const char *s, int cols)
{
	render_fit(out, s, strlen(s), cols, true);
	buf_add_byte(out, ' ');
	return cols + 1;
}

void
indexfmt_line(const struct indexfmt_row *r, time_t now, int cols,
    struct buf *out)
{
	char		 flags[6], date[32], size[16], sz[16];
	struct buf	 who = BUF_INIT;
	int		 used = 0, sendercols, rest;

	if (cols <= 0)
		return;
	indexfmt_flags(r->flags, flags);
	indexfmt_date(r->date, now, date, sizeof date);
	indexfmt_row_size(r, size, sizeof size);
	snprintf(sz, sizeof sz, "%*s", INDEXFMT_SIZE_COLS, size);
	if (r->flags & FOLDER_FROMME) {
		buf_add_str(&who, "To: ");
		buf_add_str(&who, r->recipient != NULL ? r->recipient : "");
	} else
		buf_add_str(&who, r->sender != NULL ? r->sender : "");
	/* The sender column shrinks on narrow screens; min 8 columns. */
	sendercols = cols >= 100 ? 22 : cols >= 60 ? 18 : 10;
	if (cols < 6 + INDEXFMT_DATE_COLS + 1 + sendercols + 1 +
	    INDEXFMT_SIZE_COLS + 1) {
		/* too narrow for columns: flags and subject only */
		buf_add_str(out, flags);
		render_fit(out, r->subject, strlen(r->subject), cols - 5, true);
		buf_fini(&who);
		return;
	}
	used += indexfmt_col(out, flags, 5);
	used += indexfmt_col(out, date, INDEXFMT_DATE_COLS);
	used += indexfmt_col(out, buf_str(&who), sendercols);
	used += indexfmt_col(out, sz, INDEXFMT_SIZE_COLS);
	rest = cols - used;
	if (r->tree != NULL && *r->tree != '\0')
		rest -= render_fit(out, r->tree, strlen(r->tree), rest, false);
	render_fit(out, r->subject, strlen(r->subject), rest, true);
	buf_fini(&who);
}

/* Date text for a custom spec. */
static void
indexfmt_date_spec(const struct indexfmt_spec *spec, int64_t t, time_t now,
    char *out, size_t n)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	const char	*f;

	if (spec->date == NULL && spec->recent == NULL) {
		indexfmt_date(t, now, out, n);
		return;
	}
	if (t == 0 || localtime_r(&tt, &tm) == NULL) {
		snprintf(out, n, "?");
		return;
	}
	f = t <= (int64_t)now && (int64_t)now - t < 86400 &&
	    spec->recent != NULL ? spec->recent : spec->date;
	if (f == NULL)
		f = "%Y-%m-%d";
	/* the format is the user's date_format setting, by design */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(out, n, f, &tm) == 0)
		out[0] = '\0';
#pragma GCC diagnostic pop
}

/* One field: aligned in width, cut at prec (columns; -1: none). */
static void
indexfmt_field(struct buf *out, const char *s, bool left, int width,
    int prec)
{
	int	 w = render_width(s, strlen(s));

	if (prec >= 0 && w > prec)
		w = prec;
	if (!left)
		for (; width > w; width--)
			buf_add_byte(out, ' ');
	render_fit(out, s, strlen(s), w, false);
	if (left)
		for (; width > w; width--)
			buf_add_byte(out, ' ');
}

void
indexfmt_format(const struct indexfmt_spec *spec,
    const struct indexfmt_row *r, size_t num, time_t now, int cols,
    struct buf *out)
{
	struct buf	 line = BUF_INIT, tmp = BUF_INIT;
	const char	*p = spec->format;
	char		 small[64];
	bool		 left;
	int		 width, prec;

	while (*p != '\0') {
		if (*p != '%' || p[1] == '\0') {
			buf_add_byte(&line, (unsigned char)*p++);
			continue;
		}
		p++;
		left = *p == '-';
		if (left)
			p++;
		for (width = 0; *p >= '0' && *p <= '9' && width < 1000; p++)
			width = width * 10 + (*p - '0');
		prec = -1;
		if (*p == '.')
			for (p++, prec = 0; *p >= '0' && *p <= '9' &&
			    prec < 1000; p++)
				prec = prec * 10 + (*p - '0');
		buf_reset(&tmp);
		switch (*p) {
		case 'C':
			snprintf(small, sizeof small, "%zu", num);
			buf_add_str(&tmp, small);
			break;
		case 'Z':
			indexfmt_flags(r->flags, small);
			buf_add_str(&tmp, small);
			break;
		case 'D':
			indexfmt_date_spec(spec, r->date, now, small,
			    sizeof small);
			buf_add_str(&tmp, small);
			break;
		case 'F':
			if (r->flags & FOLDER_FROMME) {
				buf_add_str(&tmp, "To: ");
				buf_add_str(&tmp, r->recipient != NULL ?
				    r->recipient : "");
			} else
				buf_add_str(&tmp, r->sender != NULL ?
				    r->sender : "");
			break;
		case 's':
			buf_add_str(&tmp, r->tree != NULL ? r->tree : "");
			buf_add_str(&tmp, r->subject != NULL ? r->subject : "");
			break;
		case 'c':
			indexfmt_row_size(r, small, sizeof small);
			buf_add_str(&tmp, small);
			break;
		case '%':
			buf_add_byte(&tmp, '%');
			break;
		default:	/* unknown: copy "%X" */
			buf_add_byte(&line, '%');
			if (*p != '\0')
				buf_add_byte(&line, (unsigned char)*p++);
			continue;
		}
		p++;
		indexfmt_field(&line, buf_str(&tmp), left, width, prec);
	}
	render_fit(out, buf_str(&line), line.len, cols, true);
	buf_fini(&line);
	buf_fini(&tmp);
}
