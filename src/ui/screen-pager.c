/* SPDX-License-Identifier: ISC */
/*
 * The pager: a message view laid out for the screen width (sanitized,
 * wrapped at word boundaries), coloured by line attribute, with search
 * highlights.  The layout is redone only when the width or the view
 * changes; drawing is O(screen).  A message whose text is still being
 * fetched shows the headers the index knows and "Loading message…" until
 * the app's message_ready event brings the text (or the reason it failed).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/folder.h"
#include "app/msgview.h"
#include "loop/loop.h"
#include "ui/render.h"
#include "ui-private.h"
#include "util/xmalloc.h"

struct pager_seg {
	size_t			 off;	/* in disp */
	size_t			 len;
	enum msgview_attr	 attr;
	unsigned int		 quote;
	size_t			 name_len; /* header name bytes in this seg */
};

struct screen_pager {
	struct screen		 s;
	uint32_t		 row;
	struct msgview		*v;
	struct buf		 disp;	/* sanitized text of all lines */
	struct pager_seg	*seg;
	size_t			 nseg;
	size_t			 cap;
	int			 width;	/* layout width, 0: stale */
	size_t			 top;
	char			*search;
	struct loop_timer	*timer;		/* mark_read_delay */
	struct ui		*ui;
	bool			 loading;	/* text on its way for row */
};

static const struct screen_ops screen_pager_ops;

static void
sp_seg_add(struct screen_pager *sp, size_t off, size_t len,
    const struct msgview_line *l, bool first)
{
	struct pager_seg	*g;

	if (sp->nseg == sp->cap) {
		sp->cap = sp->cap ? sp->cap * 2 : 256;
		sp->seg = xreallocarray(sp->seg, sp->cap, sizeof *sp->seg);
	}
	g = &sp->seg[sp->nseg++];
	g->off = off;
	g->len = len;
	g->attr = l->attr;
	g->quote = l->quote;
	/* only the first segment of a header line starts with the name */
	g->name_len = first ? l->name_len : 0;
	if (g->name_len > len)
		g->name_len = len;
}

/* Wrap one sanitized line at word boundaries into width columns. */
static void
sp_wrap(struct screen_pager *sp, size_t off, size_t len,
    const struct msgview_line *l, int width)
{
	const char	*t;
	size_t		 cut, sp_at;
	bool		 first = true;

	if (len == 0) {
		sp_seg_add(sp, off, 0, l, true);
		return;
	}
	while (len > 0) {
		t = sp->disp.data + off;
		cut = render_cut(t, len, width);
		if (cut == 0)
			cut = len;	/* cannot happen with width >= 2 */
		if (!sp->ui->opt.wrap) {	/* pager_wrap = none: cut */
			sp_seg_add(sp, off, cut, l, true);
			return;
		}
		if (cut < len) {
			for (sp_at = cut; sp_at > cut / 2; sp_at--)
				if (t[sp_at - 1] == ' ')
					break;
			if (sp_at > cut / 2)
				cut = sp_at;
		}
		sp_seg_add(sp, off, cut, l, first);
		first = false;
		off += cut;
		len -= cut;
	}
}

static void
sp_layout(struct screen_pager *sp, int width)
{
	struct msgview_line	 l;
	size_t			 i, n, off;

	if (sp->width == width)
		return;
	buf_reset(&sp->disp);
	sp->nseg = 0;
	n = msgview_line_count(sp->v);
	for (i = 0; i < n; i++) {
		msgview_line(sp->v, i, &l);
		off = sp->disp.len;
		render_fit(&sp->disp, l.text, l.len, 1 << 20, false);
		sp_wrap(sp, off, sp->disp.len - off, &l, width);
	}
	sp->width = width;
	if (sp->top >= sp->nseg)
		sp->top = sp->nseg > 0 ? sp->nseg - 1 : 0;
}

static attr_t
sp_attr(struct ui *ui, const struct pager_seg *g)
{
	switch (g->attr) {
	case MSGVIEW_HEADER:
		/* the field name is coloured, the value is plain text */
		return g->name_len > 0 ? ui->attr[UIC_NORMAL] :
		    ui->attr[UIC_HEADER];
	case MSGVIEW_QUOTE:
		return ui->attr[UIC_QUOTE1 + (g->quote > 0 ?
		    (g->quote - 1) % 4 : 0)];
	case MSGVIEW_SIGNATURE:
		return ui->attr[UIC_SIGNATURE];
	case MSGVIEW_ATTACHMENT:
		return ui->attr[UIC_ATTACHMENT];
	case MSGVIEW_NOTE:
		return ui->attr[UIC_NOTE];
	case MSGVIEW_TEXT:
		break;
	}
	return ui->attr[UIC_NORMAL];
}

/* Case-insensitive (ASCII) find of needle in p[0..len). */
static const char *
sp_find(const char *p, size_t len, const char *needle)
{
	size_t	 n = strlen(needle), i, j;

	if (n == 0)
		return NULL;
	for (i = 0; i + n <= len; i++) {
		for (j = 0; j < n; j++)
			if (tolower((unsigned char)p[i + j]) !=
			    tolower((unsigned char)needle[j]))
				break;
		if (j == n)
			return p + i;
	}
	return NULL;
}

static void
sp_draw_seg(struct ui *ui, struct screen_pager *sp, int y,
    const struct pager_seg *g)
{
	const char	*p = sp->disp.data + g->off, *m;
	size_t		 len = g->len;
	attr_t		 a = sp_attr(ui, g);
	int		 x = 0;

	if (g->name_len > 0 && sp->search == NULL) {
		ui_put(ui, y, 0, COLS, ui->attr[UIC_HEADER], p, g->name_len,
		    false);
		x = render_width(p, g->name_len);
		p += g->name_len;
		len -= g->name_len;
	}

	while (sp->search != NULL && (m = sp_find(p, len, sp->search)) !=
	    NULL) {
		size_t	 pre = (size_t)(m - p), mlen = strlen(sp->search);

		ui_put(ui, y, x, COLS - x, a, p, pre, false);
		x += render_width(p, pre);
		ui_put(ui, y, x, COLS - x, ui->attr[UIC_SEARCH], m, mlen,
		    false);
		x += render_width(m, mlen);
		p = m + mlen;
		len -= pre + mlen;
	}
	ui_put(ui, y, x, COLS - x, a, p, len, false);
}

static void
sp_draw(struct ui *ui, struct screen *s)
{
	struct screen_pager	*sp = (struct screen_pager *)s;
	struct folder		*f = app_folder(ui->app);
	const struct folder_row	*r;
	int			 rows = ui_body_rows(), y;
	struct buf		 st = BUF_INIT;
	size_t			 pct;

	sp_layout(sp, COLS);
	screen_title(ui, KEYMAP_PAGER);
	for (y = 0; y < rows && sp->top + (size_t)y < sp->nseg; y++)
		sp_draw_seg(ui, sp, 1 + y, &sp->seg[sp->top + (size_t)y]);
	for (; y < rows; y++)
		ui_put(ui, 1 + y, 0, 1, ui->attr[UIC_TREE], "~", 1, false);
	r = f != NULL ? folder_row(f, sp->row) : NULL;
	pct = sp->nseg == 0 || sp->top + (size_t)rows >= sp->nseg ? 100 :
	    (sp->top + (size_t)rows) * 100 / sp->nseg;
	buf_printf(&st, "-- %s: %s -- (%s%zu%%)%s",
	    r != NULL ? folder_str(f, r->from) : "",
	    r != NULL ? folder_str(f, r->subject) : "",
	    pct == 100 ? "end, " : "", pct,
	    sp->loading ? " -- loading\xe2\x80\xa6" : "");
	ui_status_bar(ui, LINES - 2, buf_str(&st));
	buf_fini(&st);
}

static void
sp_scroll(struct ui *ui, struct screen_pager *sp, long delta)
{
	size_t	 max = sp->nseg > 0 ? sp->nseg - 1 : 0;

	if (delta < 0)
		sp->top = (size_t)-delta > sp->top ? 0 : sp->top -
		    (size_t)-delta;
	else
		sp->top = sp->top + (size_t)delta > max ? max : sp->top +
		    (size_t)delta;
	ui_dirty(ui);
}

static void
sp_search_run(struct ui *ui, struct screen_pager *sp, bool backward)
{
	size_t	 i, n = sp->nseg;

	if (sp->search == NULL) {
		ui_note(ui, true, "No search pattern.");
		return;
	}
	for (i = 1; i <= n; i++) {
		size_t			 pos = backward ? (sp->top + n - i) % n :
					    (sp->top + i) % n;
		const struct pager_seg	*g = &sp->seg[pos];

		if (sp_find(sp->disp.data + g->off, g->len, sp->search)) {
			if (backward ? pos >= sp->top : pos <= sp->top)
				ui_note(ui, false, "Search wrapped.");
			sp->top = pos;
			ui_dirty(ui);
			return;
		}
	}
	ui_note(ui, true, "Not found.");
}

static void
sp_search_done(struct ui *ui, const char *text, void *arg)
{
	struct screen_pager	*sp = arg;

	if (text == NULL || *text == '\0')
		return;
	free(sp->search);
	sp->search = xstrdup(text);
	/* search from the line before the top, so the top line counts */
	if (sp->top > 0)
		sp->top--;
	else if (sp->nseg > 0) {
		sp->top = sp->nseg - 1;
	}
	sp_search_run(ui, sp, false);
}

/* mark_read_delay passed with the message still open. */
static void
sp_mark_read(struct loop_timer *t, void *arg)
{
	struct screen_pager	*sp = arg;
	struct err		 e;

	if (app_flags_change(sp->ui->app, sp->row, FOLDER_SEEN, FOLDER_RECENT,
	    &e) == -1)
		ui_note(sp->ui, true, "%s", e.msg);
	ui_dirty(sp->ui);
}

/* A header line "name: value" with no line break from value. */
static void
sp_header(struct buf *raw, const char *name, const char *value)
{
	const char	*p;

	if (value == NULL || *value == '\0')
		return;
	buf_printf(raw, "%s: ", name);
	for (p = value; *p != '\0'; p++)
		buf_add_byte(raw, (unsigned char)*p < 0x20 ? ' ' :
		    (unsigned char)*p);
	buf_add_byte(raw, '\n');
}

/*
 * A stand-in view of row while its text is not here: the headers the
 * index knows, then note as the body.
 */
static struct msgview *
sp_placeholder(struct ui *ui, uint32_t row, const char *note,
    const struct msgview_opts *o)
{
	struct folder		*f = app_folder(ui->app);
	const struct folder_row	*r = f != NULL ? folder_row(f, row) : NULL;
	struct buf		 raw = BUF_INIT;
	struct msgview		*v;
	struct tm		 tm;
	time_t			 t;
	char			 date[64];

	if (r != NULL) {
		sp_header(&raw, "From", folder_str(f, r->from));
		sp_header(&raw, "To", folder_str(f, r->to));
		sp_header(&raw, "Subject", folder_str(f, r->subject));
		t = (time_t)(r->date != 0 ? r->date : r->received);
		if (t != 0 && localtime_r(&t, &tm) != NULL &&
		    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S %z",
		    &tm) > 0)
			sp_header(&raw, "Date", date);
	}
	buf_add_str(&raw, "Content-Type: text/plain; charset=utf-8\n\n");
	buf_printf(&raw, "%s\n", note);
	v = msgview_new(buf_str(&raw), raw.len, o);
	buf_fini(&raw);
	return v;
}

/* Put v up as the view of row, from its first line. */
static void
sp_show(struct ui *ui, struct screen_pager *sp, uint32_t row,
    struct msgview *v, bool loading)
{
	msgview_free(sp->v);
	sp->v = v;
	sp->row = row;
	sp->loading = loading;
	sp->width = 0;
	sp->top = 0;
	ui_dirty(ui);
}

/*
 * Show row instead of the current message: 1 shown, 0 its text is on the
 * way (the headers show meanwhile), -1 with e set (nothing changed).
 */
static int
sp_load(struct ui *ui, struct screen_pager *sp, uint32_t row, struct err *e)
{
	struct msgview		*v;
	struct msgview_opts	 o;
	bool			 now;

	o.full = sp->v != NULL && msgview_full_get(sp->v);
	o.headers = (const char *const *)ui->opt.headers;
	now = ui->opt.mark_read && ui->opt.mark_read_delay == 0;
	if (sp->timer != NULL)
		loop_timer_stop(sp->timer);
	if ((v = app_message_open(ui->app, row, &o, now, e)) == NULL) {
		if (e->cls != ERR_NONE)
			return -1;
		/* app.h: not a failure, message_ready follows */
		sp_show(ui, sp, row, sp_placeholder(ui, row,
		    "Loading message\xe2\x80\xa6", &o), true);
		return 0;
	}
	if (sp->timer != NULL && ui->opt.mark_read && !now)
		loop_timer_set(sp->timer,
		    (uint64_t)ui->opt.mark_read_delay * 1000, 0);
	sp_show(ui, sp, row, v, false);
	return 1;
}

/* The text of row cannot be had: say why, in the body and below. */
static void
sp_failed(struct ui *ui, struct screen_pager *sp, uint32_t row,
    const char *why)
{
	struct msgview_opts	 o;
	struct buf		 note = BUF_INIT;

	o.full = sp->v != NULL && msgview_full_get(sp->v);
	o.headers = (const char *const *)ui->opt.headers;
	buf_printf(&note, "[-- This message could not be loaded: %s --]",
	    why);
	sp_show(ui, sp, row, sp_placeholder(ui, row, buf_str(&note), &o),
	    false);
	buf_fini(&note);
	ui_note(ui, true, "%s", why);
}

static void
sp_step(struct ui *ui, struct screen_pager *sp, int delta, bool skip)
{
	struct err	 e;
	uint32_t	 row;

	if (!screen_index_step(ui, ui->index, delta, skip)) {
		ui_note(ui, false, delta > 0 ? "You are on the last message." :
		    "You are on the first message.");
		return;
	}
	row = screen_index_current(ui->index);
	/* the pager follows the index cursor, even to a message not here */
	if (sp_load(ui, sp, row, &e) == -1)
		sp_failed(ui, sp, row, e.msg);
}

void
screen_pager_ready(struct ui *ui, struct screen *s, uint32_t row,
    const struct err *e)
{
	struct screen_pager	*sp = (struct screen_pager *)s;
	struct err		 e2;

	if (s->ops != &screen_pager_ops || !sp->loading || sp->row != row)
		return;
	if (e != NULL)
		sp_failed(ui, sp, row, e->msg);
	else if (sp_load(ui, sp, row, &e2) == -1)
		sp_failed(ui, sp, row, e2.msg);
	else if (!sp->loading && strncmp(ui->note, "Loading message",
	    strlen("Loading message")) == 0)
		ui->note[0] = '\0';	/* it is over */
}

static void
sp_flags(struct ui *ui, struct screen_pager *sp, unsigned int flag, int how)
{
	const struct folder_row	*r = folder_row(app_folder(ui->app), sp->row);
	struct err		 e;
	bool			 set;

	if (r == NULL)
		return;
	set = how > 0 || (how == 0 && (r->flags & flag) == 0);
	if (app_flags_change(ui->app, sp->row, set ? flag : 0,
	    set ? 0 : flag, &e) == -1)
		ui_note(ui, true, "%s", e.msg);
}

static void
sp_delete_chosen(struct ui *ui, int key, void *arg)
{
	struct screen_pager	*sp = arg;

	if (key != 'y')
		return;
	sp_flags(ui, sp, FOLDER_DELETED, 1);
	sp_step(ui, sp, 1, true);
}

static const struct screen_ops screen_pager_ops;

/*
 * After s/C: a local move took the message away, so show the one now
 * under the index cursor (the next); an IMAP move leaves once the server
 * confirms, so go back to the index, which follows the folder.
 */
static void
sp_after_transfer(struct ui *ui, bool removed)
{
	struct screen_pager	*sp = (struct screen_pager *)ui->top;
	struct err		 e;
	uint32_t		 row;

	if (ui->top == NULL || ui->top->ops != &screen_pager_ops)
		return;
	if (!removed) {
		ui_pop(ui);
		return;
	}
	if ((row = screen_index_current(ui->index)) == UINT32_MAX ||
	    sp_load(ui, sp, row, &e) == -1)
		ui_pop(ui);
}

static bool
sp_action(struct ui *ui, struct screen *s, enum action a)
{
	struct screen_pager	*sp = (struct screen_pager *)s;
	long			 rows = ui_body_rows();

	switch (a) {
	case ACT_NEXT_LINE:
		sp_scroll(ui, sp, 1);
		return true;
	case ACT_PREVIOUS_LINE:
		sp_scroll(ui, sp, -1);
		return true;
	case ACT_NEXT_PAGE:
		if (sp->top + (size_t)rows >= sp->nseg)
			sp_step(ui, sp, 1, true);	/* mutt: next message */
		else
			sp_scroll(ui, sp, rows > ui->opt.context ?
			    rows - ui->opt.context : 1);
		return true;
	case ACT_PREVIOUS_PAGE:
		sp_scroll(ui, sp, -(rows > ui->opt.context ?
		    rows - ui->opt.context : 1));
		return true;
	case ACT_HALF_DOWN:
		sp_scroll(ui, sp, (rows + 1) / 2);
		return true;
	case ACT_HALF_UP:
		sp_scroll(ui, sp, -(rows + 1) / 2);
		return true;
	case ACT_TOP:
		sp->top = 0;
		ui_dirty(ui);
		return true;
	case ACT_BOTTOM:
		sp->top = sp->nseg > (size_t)rows ? sp->nseg - (size_t)rows : 0;
		ui_dirty(ui);
		return true;
	case ACT_NEXT_UNDELETED:
	case ACT_NEXT_ENTRY:
		sp_step(ui, sp, 1, a == ACT_NEXT_UNDELETED);
		return true;
	case ACT_PREVIOUS_UNDELETED:
	case ACT_PREVIOUS_ENTRY:
		sp_step(ui, sp, -1, a == ACT_PREVIOUS_UNDELETED);
		return true;
	case ACT_TOGGLE_HEADERS:
		msgview_full_set(sp->v, !msgview_full_get(sp->v));
		sp->width = 0;
		sp->top = 0;
		ui_dirty(ui);
		return true;
	case ACT_SEARCH:
		ui_prompt_line(ui, "Search for: ", "", UI_HIST_SEARCH,
		    sp_search_done, sp);
		return true;
	case ACT_SEARCH_NEXT:
		sp_search_run(ui, sp, false);
		return true;
	case ACT_SEARCH_OPPOSITE:
		sp_search_run(ui, sp, true);
		return true;
	case ACT_DELETE:
		if (ui->opt.confirm_delete)
			ui_prompt_choice(ui, "Delete this message? (y/n) ",
			    "yn", sp_delete_chosen, sp);
		else
			sp_delete_chosen(ui, 'y', sp);
		return true;
	case ACT_UNDELETE:
		sp_flags(ui, sp, FOLDER_DELETED, -1);
		return true;
	case ACT_TOGGLE_NEW:
		sp_flags(ui, sp, FOLDER_SEEN, 0);
		return true;
	case ACT_FLAG:
		sp_flags(ui, sp, FOLDER_FLAGGED, 0);
		return true;
	case ACT_SAVE_MESSAGE:
	case ACT_COPY_MESSAGE:
		screen_index_transfer(ui, sp->row, a == ACT_SAVE_MESSAGE,
		    a == ACT_SAVE_MESSAGE ? sp_after_transfer : NULL);
		return true;
	case ACT_VIEW_ATTACHMENTS:
		{
			struct msgview	*v;
			struct err	 e;

			if (sp->loading)
				ui_note(ui, false, "The message is still "
				    "loading.");
			else if ((v = app_message_open(ui->app, sp->row, NULL,
			    false, &e)) == NULL)
				ui_note(ui, true, "%s", e.msg);
			else
				ui_push(ui, screen_attach_new(ui, v));
		}
		return true;
	default:
		return false;
	}
}

static void
sp_mouse(struct ui *ui, struct screen *s, enum ui_mouse kind, int y, int x)
{
	struct screen_pager	*sp = (struct screen_pager *)s;

	if (kind == UI_MOUSE_WHEEL_UP)
		sp_scroll(ui, sp, -3);
	else if (kind == UI_MOUSE_WHEEL_DOWN)
		sp_scroll(ui, sp, 3);
}

static void
sp_free(struct screen *s)
{
	struct screen_pager	*sp = (struct screen_pager *)s;

	loop_timer_free(sp->timer);
	msgview_free(sp->v);
	buf_fini(&sp->disp);
	free(sp->seg);
	free(sp->search);
	free(sp);
}

static const struct screen_ops screen_pager_ops = {
	"pager", KEYMAP_PAGER, sp_draw, sp_action, sp_mouse, NULL, sp_free
};

struct screen *
screen_pager_new(struct ui *ui, uint32_t row)
{
	struct screen_pager	*sp;
	struct err		 e;
	int			 rc;

	sp = xcalloc(1, sizeof *sp);
	sp->s.ops = &screen_pager_ops;
	sp->ui = ui;
	buf_init(&sp->disp);
	if (ui->loop != NULL)
		sp->timer = loop_timer_new(ui->loop, sp_mark_read, sp);
	if ((rc = sp_load(ui, sp, row, &e)) == -1) {
		/* mutt: the error below, and the index stays */
		ui_note(ui, true, "%s", e.msg);
		sp_free(&sp->s);
		return NULL;
	}
	if (rc == 0)
		ui_note(ui, false, "%s", e.msg);
	return &sp->s;
}
