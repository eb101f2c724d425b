/* SPDX-License-Identifier: ISC */
/*
 * The folder screen (c in the index): every account, and indented under
 * it its folders with unread/total counts and SPECIAL-USE roles, the open
 * one marked.  It reads app_mailboxes() at each draw, so counts that the
 * server reports (STATUS, LIST-STATUS) show as they arrive.  Enter opens
 * the folder (or, on an account's line, the account) in the index; c asks
 * for a Maildir path instead.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/app.h"
#include "app/mailboxes.h"
#include "ui-private.h"
#include "util/xmalloc.h"

#define SF_NAME_MAX	48	/* columns before the counts */

struct screen_folders {
	struct screen	 s;
	size_t		 cursor;
	bool		 placed;	/* cursor put on the open folder */
	char		*search;
};

static struct mailboxes *
sf_model(struct ui *ui)
{
	return ui->app != NULL ? app_mailboxes(ui->app) : NULL;
}

static size_t
sf_count(struct ui *ui)
{
	struct mailboxes	*m = sf_model(ui);

	return m != NULL ? mailboxes_count(m) : 0;
}

/* What an account's line says after its name. */
static void
sf_header(struct ui *ui, const struct mbx_entry *en, struct buf *out)
{
	struct mailboxes	*m = sf_model(ui);
	const struct mbx_entry	*cur;
	bool			 open;

	cur = mailboxes_at(m, mailboxes_current(m));
	open = cur != NULL && cur->account == en->account;
	switch (en->proto) {
	case MBX_PROTO_IMAP:
		buf_printf(out, "%s  IMAP", en->name);
		if (open)
			buf_printf(out, " \xc2\xb7 %s", app_state_text(ui->app));
		else
			buf_add_str(out, " \xc2\xb7 not open (Enter opens it)");
		break;
	case MBX_PROTO_POP3:
		/* the state words say "POP3 spool ..." themselves */
		buf_printf(out, "%s  %s", en->name, open ?
		    app_state_text(ui->app) : "POP3 spool");
		break;
	case MBX_PROTO_LOCAL:
		buf_printf(out, "%s  local Maildir", en->name);
		break;
	}
}

static void
sf_line(const struct mbx_entry *en, int cols, struct buf *out)
{
	const char	*role = mailboxes_role_name(en->role);
	char		 counts[32];
	int		 width, used;

	if (en->noselect)
		counts[0] = '\0';
	else if (en->counted)
		snprintf(counts, sizeof counts, "%u/%u", en->unread,
		    en->total);
	else
		snprintf(counts, sizeof counts, "-");
	used = 2 + 2 * (en->depth + 1);
	width = cols - used - 12 - 10;
	if (width > SF_NAME_MAX - used)
		width = SF_NAME_MAX - used;
	if (width < 10)
		width = 10;
	buf_printf(out, "%c %*s%-*s %10s  %s", en->current ? '*' : ' ',
	    2 * (en->depth + 1), "", width, en->label, counts,
	    en->role == MBX_ROLE_INBOX ? "" : role);
}

static void
sf_draw(struct ui *ui, struct screen *s)
{
	struct screen_folders	*sf = (struct screen_folders *)s;
	struct mailboxes	*m = sf_model(ui);
	const struct mbx_entry	*en;
	size_t			 n = sf_count(ui), top, i;
	int			 rows = ui_body_rows(), y;
	struct buf		 line = BUF_INIT;
	attr_t			 a;

	screen_title(ui, KEYMAP_FOLDERS);
	if (!sf->placed && m != NULL && mailboxes_current(m) != (size_t)-1) {
		sf->cursor = mailboxes_current(m);
		sf->placed = true;
	}
	if (sf->cursor >= n)
		sf->cursor = n > 0 ? n - 1 : 0;
	if (n == 0)
		ui_put(ui, 1, 0, COLS, A_NORMAL, "No accounts or folders.",
		    23, false);
	top = rows > 0 ? sf->cursor - sf->cursor % (size_t)rows : 0;
	for (y = 0; y < rows && top + (size_t)y < n; y++) {
		i = top + (size_t)y;
		en = mailboxes_at(m, i);
		buf_reset(&line);
		if (en->header) {
			sf_header(ui, en, &line);
			a = A_BOLD;
		} else {
			sf_line(en, COLS, &line);
			a = en->counted && en->unread > 0 ? ui->attr[UIC_NEW] :
			    ui->attr[UIC_NORMAL];
		}
		if (i == sf->cursor)
			a = ui->attr[UIC_INDICATOR];
		ui_put(ui, 1 + y, 0, COLS, a, buf_str(&line), line.len, true);
	}
	buf_reset(&line);
	screen_index_status(ui, &line);
	ui_status_bar(ui, LINES - 2, buf_str(&line));
	buf_fini(&line);
}

static void
sf_opened(struct ui *ui, const char *what)
{
	ui_pop(ui);
	ui_note(ui, false, "Opened %s.", what);
}

static void
sf_open(struct ui *ui, struct screen_folders *sf)
{
	struct mailboxes	*m = sf_model(ui);
	const struct mbx_entry	*en;
	struct err		 e;
	char			*what;

	if (m == NULL || (en = mailboxes_at(m, sf->cursor)) == NULL) {
		ui_note(ui, true, "No folder here.");
		return;
	}
	if (en->noselect) {
		ui_note(ui, true, "%s holds no messages, only other folders.",
		    en->name);
		return;
	}
	what = en->header ? xasprintf("%s", en->name) :
	    xasprintf("%s:%s", mailboxes_account_name(m, en->account),
	    en->name);
	screen_index_reset(ui, ui->index);
	if (app_mailbox_open(ui->app, sf->cursor, &e) == -1)
		ui_note(ui, true, "%s", e.msg);
	else
		sf_opened(ui, what);
	free(what);
}

static void
sf_maildir_done(struct ui *ui, const char *text, void *arg)
{
	struct err	 e;

	if (text == NULL || *text == '\0')
		return;
	screen_index_reset(ui, ui->index);
	if (app_open_maildir(ui->app, text, &e) == -1)
		ui_note(ui, true, "%s", e.msg);
	else
		sf_opened(ui, text);
}

static void
sf_search_run(struct ui *ui, struct screen_folders *sf, bool backward)
{
	struct mailboxes	*m = sf_model(ui);
	size_t			 n = sf_count(ui), i, pos;

	if (sf->search == NULL) {
		ui_note(ui, true, "No search pattern.");
		return;
	}
	for (i = 1; i <= n; i++) {
		pos = backward ? (sf->cursor + n - i) % n :
		    (sf->cursor + i) % n;
		if (strcasestr(mailboxes_at(m, pos)->name, sf->search) !=
		    NULL) {
			sf->cursor = pos;
			ui_dirty(ui);
			return;
		}
	}
	ui_note(ui, true, "Not found.");
}

static void
sf_search_done(struct ui *ui, const char *text, void *arg)
{
	struct screen_folders	*sf = arg;

	if (text == NULL || *text == '\0')
		return;
	free(sf->search);
	sf->search = xstrdup(text);
	sf_search_run(ui, sf, false);
}

static bool
sf_action(struct ui *ui, struct screen *s, enum action a)
{
	struct screen_folders	*sf = (struct screen_folders *)s;
	size_t			 n = sf_count(ui);
	size_t			 rows = (size_t)(ui_body_rows() > 0 ?
				    ui_body_rows() : 1);

	sf->placed = true;
	switch (a) {
	case ACT_NEXT_ENTRY:
		if (sf->cursor + 1 < n)
			sf->cursor++;
		break;
	case ACT_PREVIOUS_ENTRY:
		if (sf->cursor > 0)
			sf->cursor--;
		break;
	case ACT_NEXT_PAGE:
		sf->cursor = sf->cursor - sf->cursor % rows + rows;
		break;
	case ACT_PREVIOUS_PAGE:
		sf->cursor = sf->cursor >= rows ? sf->cursor - rows : 0;
		break;
	case ACT_HALF_DOWN:
		sf->cursor += (rows + 1) / 2;
		break;
	case ACT_HALF_UP:
		sf->cursor = sf->cursor >= (rows + 1) / 2 ?
		    sf->cursor - (rows + 1) / 2 : 0;
		break;
	case ACT_FIRST_ENTRY:
		sf->cursor = 0;
		break;
	case ACT_LAST_ENTRY:
		sf->cursor = n > 0 ? n - 1 : 0;
		break;
	case ACT_OPEN_FOLDER:
		sf_open(ui, sf);
		return true;
	case ACT_OPEN_MAILDIR:
		ui_prompt_line(ui, "Open Maildir: ", "", UI_HIST_PATH,
		    sf_maildir_done, sf);
		return true;
	case ACT_REFRESH_FOLDERS:
		app_mailboxes_refresh(ui->app);
		ui_note(ui, false, "Asking for the folders and their counts.");
		break;
	case ACT_SEARCH:
		ui_prompt_line(ui, "Search folders: ", "", UI_HIST_SEARCH,
		    sf_search_done, sf);
		return true;
	case ACT_SEARCH_NEXT:
		sf_search_run(ui, sf, false);
		break;
	case ACT_SEARCH_OPPOSITE:
		sf_search_run(ui, sf, true);
		break;
	default:
		return false;
	}
	if (sf->cursor >= n)
		sf->cursor = n > 0 ? n - 1 : 0;
	ui_dirty(ui);
	return true;
}

static void
sf_mouse(struct ui *ui, struct screen *s, enum ui_mouse kind, int y, int x)
{
	struct screen_folders	*sf = (struct screen_folders *)s;
	size_t			 n = sf_count(ui), top;
	int			 rows = ui_body_rows();

	sf->placed = true;
	switch (kind) {
	case UI_MOUSE_WHEEL_UP:
		sf->cursor = sf->cursor >= 3 ? sf->cursor - 3 : 0;
		break;
	case UI_MOUSE_WHEEL_DOWN:
		sf->cursor = sf->cursor + 3 < n ? sf->cursor + 3 :
		    n > 0 ? n - 1 : 0;
		break;
	case UI_MOUSE_CLICK:
		if (rows <= 0 || y < 1 || y > rows)
			break;
		top = sf->cursor - sf->cursor % (size_t)rows;
		if (top + (size_t)(y - 1) < n)
			sf->cursor = top + (size_t)(y - 1);
		break;
	}
}

static void
sf_free(struct screen *s)
{
	struct screen_folders	*sf = (struct screen_folders *)s;

	free(sf->search);
	free(sf);
}

static const struct screen_ops screen_folders_ops = {
	"folders", KEYMAP_FOLDERS, sf_draw, sf_action, sf_mouse, NULL,
	sf_free
};

struct screen *
screen_folders_new(struct ui *ui)
{
	struct screen_folders	*sf;

	sf = xcalloc(1, sizeof *sf);
	sf->s.ops = &screen_folders_ops;
	if (ui->app != NULL)
		app_mailboxes_refresh(ui->app);
	return &sf->s;
}

/* The sidebar */

#define SF_SIDEBAR_MIN_COLS	60	/* narrower terminals: no sidebar */
#define SF_SIDEBAR_WIDTH	26

int
screen_folders_sidebar(struct ui *ui)
{
	struct mailboxes	*m;
	const struct mbx_entry	*en;
	struct buf		 line = BUF_INIT;
	size_t			 n, cur, top, i;
	int			 rows = ui_body_rows(), w, y;
	char			 counts[16];
	attr_t			 a;

	if (!ui->opt.sidebar || ui->app == NULL ||
	    COLS < SF_SIDEBAR_MIN_COLS || rows <= 0)
		return 0;
	w = COLS / 4 < SF_SIDEBAR_WIDTH ? COLS / 4 : SF_SIDEBAR_WIDTH;
	m = app_mailboxes(ui->app);
	n = mailboxes_count(m);
	cur = mailboxes_current(m);
	/* the open folder stays in sight */
	top = cur != (size_t)-1 && cur >= (size_t)rows ?
	    cur - (size_t)rows + 1 : 0;
	for (y = 0, i = top; y < rows && i < n; y++, i++) {
		en = mailboxes_at(m, i);
		buf_reset(&line);
		counts[0] = '\0';
		if (en->header) {
			buf_add_str(&line, en->name);
			a = A_BOLD;
		} else {
			if (en->counted && en->unread > 0)
				snprintf(counts, sizeof counts, " %u",
				    en->unread);
			buf_printf(&line, "%*s%s", 1 + en->depth, "",
			    en->label);
			a = en->counted && en->unread > 0 ?
			    ui->attr[UIC_NEW] : ui->attr[UIC_NORMAL];
		}
		if (en->current)
			a = ui->attr[UIC_INDICATOR];
		ui_put(ui, 1 + y, 0, w - 1, a, buf_str(&line), line.len, true);
		if (counts[0] != '\0')
			ui_put(ui, 1 + y, w - 1 - (int)strlen(counts),
			    (int)strlen(counts), a, counts, strlen(counts),
			    false);
	}
	for (y = 0; y < rows; y++)
		mvaddstr(1 + y, w - 1, "\xe2\x94\x82");
	buf_fini(&line);
	return w;
}
