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
};

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

static void
si_search_run(struct ui *ui, struct screen_index *si, bool backward)
{
	struct folder	*f = si_folder(ui);
	struct pattern	*p;
	size_t		 n, i, pos;

	if (si->search == NULL) {
		ui_note(ui, true, "No search pattern.");
		return;
	}
	if (f == NULL || (n = folder_view_count(f)) == 0 ||
	    (p = si_pattern(ui, si->search)) == NULL)
		return;
	for (i = 1; i <= n; i++) {
		pos = backward ? (si->cursor + n - i) % n :
		    (si->cursor + i) % n;
		if (pattern_match(p, f, folder_view_row(f, pos))) {
			if (!backward && pos <= si->cursor)
				ui_note(ui, false, "Search wrapped to top.");
			else if (backward && pos >= si->cursor)
				ui_note(ui, false,
				    "Search wrapped to bottom.");
			si_set_cursor(ui, si, pos);
			pattern_free(p);
			return;
		}
	}
	pattern_free(p);
	ui_note(ui, true, "Not found.");
}

static void
si_search_done(struct ui *ui, const char *text, void *arg)
{
	struct screen_index	*si = arg;

	if (text == NULL || *text == '\0')
		return;
	free(si->search);
	si->search = xstrdup(text);
	si_search_run(ui, si, false);
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
		ui_push(ui, screen_pager_new(ui, si->row));
		return;
	}
	if ((v = app_message_open(ui->app, si->row, NULL, false, &e)) ==
	    NULL) {
		ui_note(ui, true, "%s", e.msg);
		return;
	}
	ui_push(ui, screen_attach_new(ui, v));
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
	return &si->s;
}
