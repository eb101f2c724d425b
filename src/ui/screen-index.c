/* SPDX-License-Identifier: ISC */
/*
 * The index screen: one line per message of the open folder's view.  It
 * draws only the visible lines (O(screen)); moving the cursor is O(1);
 * only search and limit walk the folder.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/folder.h"
#include "app/msgview.h"
#include "app/pattern.h"
#include "loop/loop.h"
#include "msg/rfc5322.h"
#include "ui/indexfmt.h"
#include "ui-private.h"
#include "util/xmalloc.h"

struct screen_index {
	struct screen	 s;
	size_t		 cursor;	/* view position */
	uint32_t	 row;		/* folder row under the cursor */
	bool		 keep_pos;	/* after expunge: keep the position */
	bool		 auto_pos;	/* no key yet: follow the first unread */
	char		*search;	/* last search text */
	char		*limit;		/* current limit text */
	struct ui	*ui;
	bool		 search_jump;	/* move to the first match found */
	uint32_t	 search_row;	/* ... if the cursor is still here */
};

/* Rows a slice of a new search matches (about a millisecond). */
#define SI_SEARCH_SLICE		8192

static struct folder *
si_folder(struct ui *ui)
{
	return ui->app != NULL ? app_folder(ui->app) : NULL;
}

static void
si_set_cursor(struct ui *ui, struct screen_index *si, size_t pos)
{
	struct folder	*f = si_folder(ui);
	size_t		 n = f != NULL ? folder_view_count(f) : 0;

	if (n == 0) {
		si->cursor = 0;
		si->row = UINT32_MAX;
		return;
	}
	if (pos >= n)
		pos = n - 1;
	si->cursor = pos;
	si->row = folder_view_row(f, pos);
	ui_dirty(ui);
}

uint32_t
screen_index_current(struct screen *s)
{
	return ((struct screen_index *)s)->row;
}

bool
screen_index_step(struct ui *ui, struct screen *s, int delta,
    bool skip_deleted)
{
	struct screen_index	*si = (struct screen_index *)s;
	struct folder		*f = si_folder(ui);
	size_t			 n, pos = si->cursor;

	if (f == NULL || (n = folder_view_count(f)) == 0)
		return false;
	for (;;) {
		if (delta > 0 && pos + 1 >= n)
			return false;
		if (delta < 0 && pos == 0)
			return false;
		pos = delta > 0 ? pos + 1 : pos - 1;
		if (!skip_deleted || (folder_row(f, folder_view_row(f, pos))->
		    flags & FOLDER_DELETED) == 0)
			break;
	}
	si_set_cursor(ui, si, pos);
	return true;
}

void
screen_title(struct ui *ui, enum keymap_id map)
{
	static const struct {
		enum action	 a;
		const char	*label;
	} items[] = {
		{ ACT_QUIT, "Quit" }, { ACT_EXIT, "Exit" },
		{ ACT_NEXT_UNDELETED, "Next" },
		{ ACT_PREVIOUS_UNDELETED, "Prev" },
		{ ACT_TOGGLE_HEADERS, "Headers" },
		{ ACT_PIPE_ENTRY, "Pipe" }, { ACT_VIEW_MAILCAP, "Open" },
		{ ACT_DELETE, "Del" }, { ACT_UNDELETE, "Undel" },
		{ ACT_SEARCH, "Search" }, { ACT_LIMIT, "Limit" },
		{ ACT_VIEW_ATTACHMENTS, "Parts" }, { ACT_SAVE_ENTRY, "Save" },
		{ ACT_OPEN_FOLDER, "Open" }, { ACT_CHANGE_FOLDER, "Folders" },
		{ ACT_OPEN_MAILDIR, "Maildir" },
		{ ACT_HELP, "Help" },
	};
	struct buf	 b = BUF_INIT;
	char		 key[32];
	size_t		 i;
	int		 k;

	if (!ui->opt.help_bar) {
		ui_put(ui, 0, 0, COLS, ui->attr[UIC_TITLE], "", 0, true);
		return;
	}
	for (i = 0; i < sizeof items / sizeof items[0]; i++) {
		if ((k = keymap_key_for(ui->km, map, items[i].a)) == -1)
			continue;
		keymap_key_name(k, key, sizeof key);
		buf_printf(&b, "%s:%s  ", key, items[i].label);
	}
	ui_put(ui, 0, 0, COLS, ui->attr[UIC_TITLE], buf_str(&b), b.len,
	    true);
	buf_fini(&b);
}

void
screen_index_status(struct ui *ui, struct buf *out)
{
	struct folder		*f = si_folder(ui);
	struct folder_counts	 c;
	bool			 rev;
	enum folder_sort	 sort;

	if (f == NULL) {
		buf_printf(out, "-- pons: no folder -- %s",
		    ui->app != NULL ? app_state_text(ui->app) : "");
		return;
	}
	folder_counts(f, &c);
	sort = folder_sort_get(f, &rev);
	buf_printf(out, "-- pons: %s:%s [Msgs:%zu New:%zu Flag:%zu",
	    app_account_name(ui->app), folder_name(f), c.total, c.unread,
	    c.flagged);
	if (c.deleted > 0)
		buf_printf(out, " Del:%zu", c.deleted);
	if (folder_is_limited(f))
		buf_printf(out, " Shown:%zu", folder_view_count(f));
	buf_printf(out, "] (%s%s%s) -- %s --", rev ? "reverse-" : "",
	    folder_sort_name(sort), folder_threads_get(f) ? ", threads" : "",
	    app_state_text(ui->app));
}

static attr_t
si_line_attr(struct ui *ui, unsigned int flags, bool current)
{
	if (current)
		return ui->attr[UIC_INDICATOR];
	if (flags & FOLDER_DELETED)
		return ui->attr[UIC_DELETED];
	if (flags & FOLDER_FLAGGED)
		return ui->attr[UIC_FLAGGED];
	if ((flags & FOLDER_SEEN) == 0)
		return ui->attr[UIC_NEW];
	return ui->attr[UIC_NORMAL];
}

static void
si_draw(struct ui *ui, struct screen *s)
{
	struct screen_index	*si = (struct screen_index *)s;
	struct folder		*f = si_folder(ui);
	int			 rows = ui_body_rows(), y;
	size_t			 top, pos, n;
	struct buf		 line = BUF_INIT;
	char			 tree[256];
	int			 x0, cols;

	screen_title(ui, KEYMAP_INDEX);
	x0 = screen_folders_sidebar(ui);	/* 0 without a sidebar */
	cols = COLS - x0;
	n = f != NULL ? folder_view_count(f) : 0;
	if (n == 0) {
		const char	*empty = f != NULL && folder_is_limited(f) ?
		    "No messages match the limit." : "No messages.";

		ui_put(ui, 1, x0, cols, A_NORMAL, empty, strlen(empty), false);
	}
	top = rows > 0 ? si->cursor - si->cursor % (size_t)rows : 0;
	for (y = 0; y < rows && top + (size_t)y < n; y++) {
		const struct folder_row	*r;
		struct indexfmt_row	 in;

		pos = top + (size_t)y;
		r = folder_row(f, folder_view_row(f, pos));
		folder_view_tree(f, pos, tree, sizeof tree);
		in.flags = r->flags;
		in.date = r->date;
		in.size = r->size;
		in.sender = folder_str(f, r->from);
		in.recipient = folder_str(f, r->to);
		in.subject = folder_str(f, r->subject);
		in.tree = tree;
		buf_reset(&line);
		if (ui->opt.index_format != NULL ||
		    ui->opt.date_format != NULL || ui->opt.date_recent != NULL) {
			struct indexfmt_spec	 spec;

			spec.format = ui->opt.index_format != NULL ?
			    ui->opt.index_format : "%Z %-10.10D %-22.22F %5c %s";
			spec.date = ui->opt.date_format;
			spec.recent = ui->opt.date_recent;
			indexfmt_format(&spec, &in, pos + 1, ui->now, cols,
			    &line);
		} else
			indexfmt_line(&in, ui->now, cols, &line);
		/* the line is already sanitized and cut to COLS */
		attrset(si_line_attr(ui, r->flags, pos == si->cursor));
		mvaddnstr(1 + y, x0, buf_str(&line), (int)line.len);
		attrset(A_NORMAL);
	}
	buf_reset(&line);
	screen_index_status(ui, &line);
	if (n > 0)
		buf_printf(&line, " %zu%%", (si->cursor + 1) * 100 / n);
	ui_status_bar(ui, LINES - 2, buf_str(&line));
	buf_fini(&line);
}

static void
si_flag(struct ui *ui, struct screen_index *si, unsigned int set,
    unsigned int clear, bool advance)
{
	struct err	 e;

	if (si->row == UINT32_MAX) {
		ui_note(ui, true, "No messages.");
		return;
	}
	if (app_flags_change(ui->app, si->row, set, clear, &e) == -1) {
		ui_note(ui, true, "%s", e.msg);
		return;
	}
	if (advance)
		screen_index_step(ui, &si->s, 1, true);
	ui_dirty(ui);
}

static void
si_delete_chosen(struct ui *ui, int key, void *arg)
{
	if (key == 'y')
		si_flag(ui, arg, FOLDER_DELETED, 0, true);
}

static void
si_toggle(struct ui *ui, struct screen_index *si, unsigned int flag)
{
	const struct folder_row	*r;

	if (si->row == UINT32_MAX ||
	    (r = folder_row(si_folder(ui), si->row)) == NULL)
		return;
	if (r->flags & flag)
		si_flag(ui, si, 0, flag, false);
	else
		si_flag(ui, si, flag, 0, false);
}

/* Re-find the cursor's message after the view changed. */
static void
si_refind(struct ui *ui, struct screen_index *si)
{
	struct folder	*f = si_folder(ui);
	size_t		 pos;

	if (f == NULL)
		return;
	pos = si->row != UINT32_MAX ? folder_view_find(f, si->row) :
	    (size_t)-1;
	si_set_cursor(ui, si, pos == (size_t)-1 ? si->cursor : pos);
}

static void
si_expunge(struct ui *ui, struct screen_index *si)
{
	struct folder	*f = si_folder(ui);
	struct err	 e;
	size_t		 n, i, before = 0;

	if (f == NULL)
		return;
	for (i = 0; i < si->cursor && i < folder_view_count(f); i++)
		if (folder_row(f, folder_view_row(f, i))->flags &
		    FOLDER_DELETED)
			before++;
	si->keep_pos = true;
	si->cursor -= before;
	if (app_expunge(ui->app, &n, &e) == -1)
		ui_note(ui, true, "%s", e.msg);
	else if (n == 0)
		ui_note(ui, false, "No messages marked deleted.");
	else
		ui_note(ui, false, "%zu message%s expunged.", n,
		    n == 1 ? "" : "s");
	si->keep_pos = false;
	si_set_cursor(ui, si, si->cursor);
}

static bool
si_body(void *arg, const struct folder *f, uint32_t row, const char **p,
    size_t *len)
{
	struct ui	*ui = arg;
	size_t		 hdrlen, body;

	if (!app_message_raw(ui->app, row, p, len))
		return false;
	/* ~b looks at the body only, not the header block */
	body = rfc5322_split(*p, *len, &hdrlen);
	*p += body;
	*len -= body;
	return true;
}

static struct pattern *
si_pattern(struct ui *ui, const char *text)
{
	struct pattern	*p;
	struct err	 e;

	if ((p = pattern_parse(text, ui->now, &e)) == NULL) {
		ui_note(ui, true, "%s", e.msg);
		return NULL;
	}
	pattern_body_set(p, si_body, ui);
	return p;
}

/*
 * The folder keeps the search's match set: entering a search matches the
 * rows in slices on the loop, from the line after the cursor on, and the
 * cursor moves to the first match as soon as a slice finds it.  n and N
 * then only scan the set's bits (finishing it first if it is not done);
 * a folder opened since gets a set on the first n.
 */
static void
si_search_found(struct ui *ui, struct screen_index *si, size_t pos)
{
	si->search_jump = false;
	if (si->row != si->search_row)
		return;		/* the user has moved on meanwhile */
	if (pos <= si->cursor)
		ui_note(ui, false, "Search wrapped to top.");
	si_set_cursor(ui, si, pos);
}

static void
si_search_slice(void *arg)
{
	struct ui		*ui = arg;
	struct screen_index	*si = (struct screen_index *)ui->index;
	struct folder		*f = si_folder(ui);
	size_t			 pos;

	if (f == NULL || !folder_search_active(f)) {
		si->search_jump = false;
		return;
	}
	do {
		pos = folder_search_step(f, SI_SEARCH_SLICE);
		if (si->search_jump && pos != (size_t)-1)
			si_search_found(ui, si, pos);
	} while (ui->loop == NULL && !folder_search_complete(f));
	if (!folder_search_complete(f)) {
		loop_defer(ui->loop, si_search_slice, ui);
		return;
	}
	if (si->search_jump) {
		si->search_jump = false;
		ui_note(ui, true, "Not found.");
		ui_dirty(ui);
	}
}

static void
si_search_run(struct ui *ui, struct screen_index *si, bool backward)
{
	struct folder	*f = si_folder(ui);
	struct pattern	*p;
	size_t		 pos;
	bool		 wrapped;

	if (si->search == NULL) {
		ui_note(ui, true, "No search pattern.");
		return;
	}
	if (f == NULL || folder_view_count(f) == 0)
		return;
	if (!folder_search_active(f)) {
		if ((p = si_pattern(ui, si->search)) == NULL)
			return;
		folder_search_take(f, p, 0);
	}
	/* A key while the set is being built: finish it now. */
	si->search_jump = false;
	folder_search_step(f, SIZE_MAX);
	pos = folder_search_next(f, si->cursor, backward, &wrapped);
	if (pos == (size_t)-1) {
		ui_note(ui, true, "Not found.");
		return;
	}
	if (wrapped)
		ui_note(ui, false, backward ? "Search wrapped to bottom." :
		    "Search wrapped to top.");
	si_set_cursor(ui, si, pos);
}

static void
si_search_done(struct ui *ui, const char *text, void *arg)
{
	struct screen_index	*si = arg;
	struct folder		*f = si_folder(ui);
	struct pattern		*p;

	if (text == NULL || *text == '\0')
		return;
	if ((p = si_pattern(ui, text)) == NULL)
		return;
	free(si->search);
	si->search = xstrdup(text);
	if (f == NULL || folder_view_count(f) == 0) {
		pattern_free(p);
		return;
	}
	if (ui->loop != NULL)
		loop_defer_cancel(ui->loop, si_search_slice, ui);
	folder_search_take(f, p, si->cursor + 1);
	si->search_jump = true;
	si->search_row = si->row;
	si_search_slice(ui);
}

static void
si_limit_done(struct ui *ui, const char *text, void *arg)
{
	struct screen_index	*si = arg;
	struct folder		*f = si_folder(ui);
	struct pattern		*p = NULL;

	if (text == NULL || f == NULL)
		return;
	if (*text != '\0' && strcmp(text, "all") != 0 &&
	    strcmp(text, "~A") != 0 && (p = si_pattern(ui, text)) == NULL)
		return;
	folder_limit_take(f, p);
	folder_view_rebuild(f);
	if (p != NULL && folder_view_count(f) == 0) {
		ui_note(ui, true, "No messages matched the limit; "
		    "showing all.");
		folder_limit_take(f, NULL);
		folder_view_rebuild(f);
		p = NULL;
	}
	free(si->limit);
	si->limit = p != NULL ? xstrdup(text) : NULL;
	si_refind(ui, si);
	if (si->row == UINT32_MAX || folder_view_find(f, si->row) ==
	    (size_t)-1)
		si_set_cursor(ui, si, 0);
}

static void
si_resort(struct ui *ui, struct screen_index *si)
{
	struct folder	*f = si_folder(ui);

	if (f == NULL)
		return;
	folder_view_rebuild(f);
	si_refind(ui, si);
}

static void
si_sort_chosen(struct ui *ui, int key, void *arg)
{
	struct screen_index	*si = arg;
	struct folder		*f = si_folder(ui);
	static const char	 keys[] = "drfsz";
	const char		*k;
	bool			 rev;

	if (key == -1 || f == NULL)
		return;
	folder_sort_get(f, &rev);
	if (key == 't')
		folder_threads_set(f, !folder_threads_get(f));
	else if ((k = strchr(keys, key)) != NULL)
		folder_sort_set(f, (enum folder_sort)(k - keys), false);
	si_resort(ui, si);
}

static void
si_sort_reverse_chosen(struct ui *ui, int key, void *arg)
{
	struct screen_index	*si = arg;
	struct folder		*f = si_folder(ui);
	static const char	 keys[] = "drfsz";
	const char		*k;

	if (key == -1 || f == NULL || (k = strchr(keys, key)) == NULL)
		return;
	folder_sort_set(f, (enum folder_sort)(k - keys), true);
	si_resort(ui, si);
}

/* Another folder is about to open: its first unread gets the cursor. */
void
screen_index_reset(struct ui *ui, struct screen *s)
{
	struct screen_index	*si = (struct screen_index *)s;

	si->row = UINT32_MAX;
	si->cursor = 0;
	free(si->limit);
	si->limit = NULL;
	ui_dirty(ui);
}

static void
si_open(struct ui *ui, struct screen_index *si, bool parts)
{
	struct msgview	*v;
	struct err	 e;

	if (si->row == UINT32_MAX) {
		ui_note(ui, true, "No messages.");
		return;
	}
	if (!parts) {
		struct screen	*p;

		/* NULL: the text cannot be had; the note says why */
		if ((p = screen_pager_new(ui, si->row)) != NULL)
			ui_push(ui, p);
		return;
	}
	if ((v = app_message_open(ui->app, si->row, NULL, false, &e)) ==
	    NULL) {
		ui_note(ui, true, "%s", e.msg);
		return;
	}
	ui_push(ui, screen_attach_new(ui, v));
}

/* s and C: move or copy a message to a folder */

struct si_xfer {
	uint32_t	 row;
	bool		 move;
	char		*dest;
	void		(*after)(struct ui *, bool);
	char		*stem;		/* Tab cycles the names starting so */
	char		*shown;		/* the name Tab put in last */
	size_t		 next;		/* where the next Tab looks */
};

static void
si_xfer_free(struct si_xfer *x)
{
	if (x == NULL)
		return;
	free(x->dest);
	free(x->stem);
	free(x->shown);
	free(x);
}

static void
si_xfer_run(struct ui *ui, struct si_xfer *x, bool create);

static void
si_xfer_create(struct ui *ui, int key, void *arg)
{
	struct si_xfer	*x = arg;

	if (key == 'y')
		si_xfer_run(ui, x, true);
	else {
		ui_note(ui, false, "%s not created; the message was not %s.",
		    x->dest, x->move ? "moved" : "copied");
		si_xfer_free(x);
	}
}

static void
si_xfer_run(struct ui *ui, struct si_xfer *x, bool create)
{
	struct screen_index	*si = (struct screen_index *)ui->index;
	struct folder		*f = si_folder(ui);
	struct err		 e;
	size_t			 before = f != NULL ? folder_count(f) : 0;
	char			*q;
	int			 rc;

	/* a local move removes the row now: the cursor keeps its place */
	si->keep_pos = true;
	rc = app_message_transfer(ui->app, x->row, x->dest, x->move, create,
	    &e);
	si->keep_pos = false;
	si_set_cursor(ui, si, si->cursor);
	if (rc == 1) {
		q = xasprintf("Create %s? (y/n) ", x->dest);
		ui_prompt_choice(ui, q, "yn", si_xfer_create, x);
		free(q);
		return;
	}
	if (rc == -1)
		ui_note(ui, true, "%s", e.msg);
	else if (x->after != NULL)
		x->after(ui, (f = si_folder(ui)) != NULL &&
		    folder_count(f) < before);
	si_xfer_free(x);
}

static void
si_xfer_done(struct ui *ui, const char *text, void *arg)
{
	struct si_xfer	*x = arg;
	size_t		 n;

	if (text == NULL || text[strspn(text, " ")] == '\0') {
		si_xfer_free(x);
		return;
	}
	n = strlen(text);
	while (n > 0 && text[n - 1] == ' ')
		n--;
	x->dest = xstrndup(text + strspn(text, " "),
	    n - strspn(text, " "));
	si_xfer_run(ui, x, false);
}

/*
 * Tab: the longest common start of the matching folder names; when that
 * adds nothing, each further Tab shows the next matching name in turn.
 */
static void
si_xfer_complete(struct ui *ui, struct lineedit *le, void *arg)
{
	struct si_xfer		*x = arg;
	char			**names, *before;
	size_t			 n, i, k;

	names = app_folder_names(ui->app, &n);
	if (x->shown == NULL || strcmp(lineedit_text(le), x->shown) != 0) {
		before = xstrdup(lineedit_text(le));
		k = lineedit_complete_words(le, (const char *const *)names, n);
		if (k <= 1 || strcmp(before, lineedit_text(le)) != 0) {
			if (k == 0)
				beep();
			free(before);
			app_folder_names_free(names);
			return;
		}
		free(x->stem);
		x->stem = before;
		x->next = 0;
	}
	for (i = 0; i < n; i++) {
		k = (x->next + i) % n;
		if (strncmp(names[k], x->stem, strlen(x->stem)) == 0)
			break;
	}
	if (i < n) {
		x->next = k + 1;
		buf_reset(&le->text);
		buf_add_str(&le->text, names[k]);
		le->cursor = le->text.len;
		free(x->shown);
		x->shown = xstrdup(names[k]);
	}
	app_folder_names_free(names);
}

void
screen_index_transfer(struct ui *ui, uint32_t row, bool move,
    void (*after)(struct ui *, bool))
{
	struct si_xfer		*x;

	if (row == UINT32_MAX) {
		ui_note(ui, true, "No messages.");
		return;
	}
	x = xcalloc(1, sizeof *x);
	x->row = row;
	x->move = move;
	x->after = after;
	app_folder_names_free(app_folder_names(ui->app, NULL)); /* LIST now */
	ui_prompt_line(ui, move ? "Move to folder: " : "Copy to folder: ",
	    "", UI_HIST_FOLDER, si_xfer_done, x);
	ui_prompt_complete_set(ui, si_xfer_complete);
}

void
screen_index_transfer_ask(struct ui *ui, uint32_t row, const char *folder,
    bool move)
{
	struct si_xfer	*x;
	char		*q;

	x = xcalloc(1, sizeof *x);
	x->row = row;
	x->move = move;
	x->dest = xstrdup(folder);
	q = xasprintf("Create %s? (y/n) ", folder);
	ui_prompt_choice(ui, q, "yn", si_xfer_create, x);
	free(q);
}

static bool
si_action(struct ui *ui, struct screen *s, enum action a)
{
	struct screen_index	*si = (struct screen_index *)s;
	struct folder		*f = si_folder(ui);
	int			 rows = ui_body_rows();
	size_t			 n = f != NULL ? folder_view_count(f) : 0;

	si->auto_pos = false;
	switch (a) {
	case ACT_NEXT_ENTRY:
		if (!screen_index_step(ui, s, 1, false))
			ui_note(ui, false, "You are on the last message.");
		return true;
	case ACT_PREVIOUS_ENTRY:
		if (!screen_index_step(ui, s, -1, false))
			ui_note(ui, false, "You are on the first message.");
		return true;
	case ACT_NEXT_PAGE:
		si_set_cursor(ui, si, si->cursor - si->cursor % (size_t)rows +
		    (size_t)rows);
		return true;
	case ACT_PREVIOUS_PAGE:
		si_set_cursor(ui, si, si->cursor >= (size_t)rows ?
		    si->cursor - (size_t)rows : 0);
		return true;
	case ACT_HALF_DOWN:
		si_set_cursor(ui, si, si->cursor + (size_t)(rows + 1) / 2);
		return true;
	case ACT_HALF_UP:
		si_set_cursor(ui, si, si->cursor >= (size_t)(rows + 1) / 2 ?
		    si->cursor - (size_t)(rows + 1) / 2 : 0);
		return true;
	case ACT_FIRST_ENTRY:
		si_set_cursor(ui, si, 0);
		return true;
	case ACT_LAST_ENTRY:
		si_set_cursor(ui, si, n > 0 ? n - 1 : 0);
		return true;
	case ACT_DISPLAY_MESSAGE:
		si_open(ui, si, false);
		return true;
	case ACT_VIEW_ATTACHMENTS:
		si_open(ui, si, true);
		return true;
	case ACT_DELETE:
		if (ui->opt.confirm_delete && si->row != UINT32_MAX)
			ui_prompt_choice(ui, "Delete this message? (y/n) ",
			    "yn", si_delete_chosen, si);
		else
			si_flag(ui, si, FOLDER_DELETED, 0, true);
		return true;
	case ACT_UNDELETE:
		si_flag(ui, si, 0, FOLDER_DELETED, true);
		return true;
	case ACT_TOGGLE_NEW:
		si_toggle(ui, si, FOLDER_SEEN);
		return true;
	case ACT_FLAG:
		si_toggle(ui, si, FOLDER_FLAGGED);
		return true;
	case ACT_SYNC:
		si_expunge(ui, si);
		return true;
	case ACT_SORT:
		ui_prompt_choice(ui, "Sort by (d)ate, (r)eceived, (f)rom, "
		    "(s)ubject, si(z)e, or (t)hreads on/off? ", "drfszt",
		    si_sort_chosen, si);
		return true;
	case ACT_SORT_REVERSE:
		ui_prompt_choice(ui, "Reverse sort by (d)ate, (r)eceived, "
		    "(f)rom, (s)ubject, si(z)e? ", "drfsz",
		    si_sort_reverse_chosen, si);
		return true;
	case ACT_TOGGLE_THREADS:
		if (f != NULL) {
			folder_threads_set(f, !folder_threads_get(f));
			si_resort(ui, si);
		}
		return true;
	case ACT_LIMIT:
		ui_prompt_line(ui, "Limit to messages matching: ",
		    si->limit != NULL ? si->limit : "", UI_HIST_LIMIT,
		    si_limit_done, si);
		return true;
	case ACT_SEARCH:
		ui_prompt_line(ui, "Search for: ", "", UI_HIST_SEARCH,
		    si_search_done, si);
		return true;
	case ACT_SEARCH_NEXT:
		si_search_run(ui, si, false);
		return true;
	case ACT_SEARCH_OPPOSITE:
		si_search_run(ui, si, true);
		return true;
	case ACT_FETCH_MAIL:
		{
			struct err	 e;

			if (app_fetch(ui->app, &e) == -1)
				ui_note(ui, true, "%s", e.msg);
		}
		return true;
	case ACT_CHANGE_FOLDER:
		ui_push(ui, screen_folders_new(ui));
		return true;
	case ACT_SAVE_MESSAGE:
	case ACT_COPY_MESSAGE:
		screen_index_transfer(ui, si->row, a == ACT_SAVE_MESSAGE,
		    NULL);
		return true;
	default:
		return false;
	}
}

static void
si_mouse(struct ui *ui, struct screen *s, enum ui_mouse kind, int y, int x)
{
	struct screen_index	*si = (struct screen_index *)s;
	int			 rows = ui_body_rows();
	struct folder		*f = si_folder(ui);
	size_t			 top;

	si->auto_pos = false;
	switch (kind) {
	case UI_MOUSE_WHEEL_UP:
		si_set_cursor(ui, si, si->cursor >= 3 ? si->cursor - 3 : 0);
		break;
	case UI_MOUSE_WHEEL_DOWN:
		si_set_cursor(ui, si, si->cursor + 3);
		break;
	case UI_MOUSE_CLICK:
		if (rows <= 0 || y < 1 || y > rows || f == NULL)
			break;
		top = si->cursor - si->cursor % (size_t)rows;
		if (top + (size_t)(y - 1) < folder_view_count(f))
			si_set_cursor(ui, si, top + (size_t)(y - 1));
		break;
	}
}

static void
si_folder_changed(struct ui *ui, struct screen *s)
{
	struct screen_index	*si = (struct screen_index *)s;

	struct folder		*f = si_folder(ui);
	size_t			 i, n;

	if (si->keep_pos)
		si_set_cursor(ui, si, si->cursor);
	else if (f == NULL || (si->row != UINT32_MAX && !si->auto_pos))
		si_refind(ui, si);
	else {
		/*
		 * A folder just opened: the first unread, else the last.  It
		 * streams in (a Maildir in slices, IMAP newest first), so until
		 * the user presses a key the rule is applied again to each
		 * change, not only to the first rows that arrived.
		 */
		if (si->row == UINT32_MAX) {
			folder_sort_set(f, (enum folder_sort)ui->opt.sort,
			    ui->opt.reverse);
			folder_threads_set(f, ui->opt.threads);
			folder_view_rebuild(f);
			si->auto_pos = true;
		}
		n = folder_view_count(f);
		for (i = 0; i < n; i++)
			if ((folder_row(f, folder_view_row(f, i))->flags &
			    FOLDER_SEEN) == 0)
				break;
		si_set_cursor(ui, si, i < n ? i : n > 0 ? n - 1 : 0);
	}
}

static void
si_free(struct screen *s)
{
	struct screen_index	*si = (struct screen_index *)s;

	if (si->ui != NULL && si->ui->loop != NULL)
		loop_defer_cancel(si->ui->loop, si_search_slice, si->ui);
	free(si->search);
	free(si->limit);
	free(si);
}

static const struct screen_ops screen_index_ops = {
	"index", KEYMAP_INDEX, si_draw, si_action, si_mouse,
	si_folder_changed, si_free
};

struct screen *
screen_index_new(struct ui *ui)
{
	struct screen_index	*si;

	si = xcalloc(1, sizeof *si);
	si->s.ops = &screen_index_ops;
	si->row = UINT32_MAX;
	si->ui = ui;
	return &si->s;
}
