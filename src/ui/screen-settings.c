/* SPDX-License-Identifier: ISC */
/*
 * The settings screen (S, pons --settings): every option of the table in
 * sections, the key bindings and the accounts, edited in a way that fits
 * each type, saved with conf_save() which changes only the edited lines.
 * It edits its own copy of the configuration file, so leaving without
 * saving discards the changes; a save applies to the running UI what can
 * apply live and names what waits for the next connection.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "compat.h"

#include "app/app.h"
#include "app/discover.h"
#include "app/folder.h"
#include "config/conf.h"
#include "config/options.h"
#include "ui/keymap.h"
#include "ui/render.h"
#include "settings.h"
#include "ui-private.h"
#include "util/xmalloc.h"

/* A row changed since the last save: globals have account NULL. */
struct ss_touched {
	char		*account;
	int		 id;		/* opt id, or -1 for a key row */
	enum keymap_id	 map;
	enum action	 act;
};

/* A server found for a new account (copied from the discover result). */
struct ss_found {
	enum discover_proto	 proto;
	enum discover_tls	 tls;
	char			*host;
	unsigned int		 port;
	unsigned int		 std_port;
	enum discover_login	 login;		/* with the password typed */
	char			*login_user;	/* the user name that worked */
};

struct screen_settings {
	struct screen		 s;
	struct ui		*ui;
	struct conf		*conf;		/* owned copy of the file */
	struct keymap		*km;		/* defaults + conf's bindings */
	struct keymap		*defaults;
	struct srows		 rows;
	size_t			 cur;
	size_t			 top;
	char			*search;
	bool			 standalone;	/* leaving it leaves pons */
	bool			 leave_after_save;

	bool			 picking;	/* a pick list is open */
	size_t			 pick;
	size_t			 npick;
	char			**picks;	/* owned lines of the list */
	/* i == SIZE_MAX: cancelled */
	void			(*picked)(struct ui *,
				    struct screen_settings *, size_t i);

	char			 error[512];	/* why the last input was refused */
	char			 info[512];	/* a longer note, until a key */
	char			*draft;		/* refused text, offered again */
	struct ss_touched	*touched;
	size_t			 ntouched;

	/* adding an account */
	char			*new_account;
	const char		*wizard_note;	/* shown while asking */
	struct discover		*disc;		/* finding the settings */
	struct ss_found		*found;		/* what it found, usable */
	size_t			 nfound;
	char			*email;
	char			*password;	/* typed for the login test;
						   wiped when the account is
						   done */
	char			 disc_note[512]; /* what the logins said */
	enum opt_id		 add_last;	/* what the last prompt sets */
	bool			 disk_error;	/* the file on disk is broken
						   (said once) */
};

static void	ss_edit(struct ui *, struct screen_settings *);

static struct srow *
ss_row(struct screen_settings *ss)
{
	return ss->cur < ss->rows.n ? &ss->rows.v[ss->cur] : NULL;
}

static void
ss_error(struct screen_settings *ss, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ss_error(struct screen_settings *ss, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(ss->error, sizeof ss->error, fmt, ap);
	va_end(ap);
}

static void
ss_touched_clear(struct screen_settings *ss)
{
	size_t	 i;

	for (i = 0; i < ss->ntouched; i++)
		free(ss->touched[i].account);
	free(ss->touched);
	ss->touched = NULL;
	ss->ntouched = 0;
}

static bool
ss_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
ss_is_touched(const struct screen_settings *ss, const struct srow *row)
{
	size_t	 i;

	for (i = 0; i < ss->ntouched; i++) {
		const struct ss_touched	*t = &ss->touched[i];

		if (row->kind == SROW_OPTION && t->id == (int)row->id &&
		    ss_same(t->account, row->account))
			return true;
		if (row->kind == SROW_KEY && t->id == -1 &&
		    t->map == row->map && t->act == row->act)
			return true;
	}
	return false;
}

static void
ss_touch(struct screen_settings *ss, const struct srow *row)
{
	struct ss_touched	*t;

	if (ss_is_touched(ss, row))
		return;
	ss->touched = xreallocarray(ss->touched, ss->ntouched + 1,
	    sizeof *ss->touched);
	t = &ss->touched[ss->ntouched++];
	t->account = row->account != NULL ? xstrdup(row->account) : NULL;
	t->id = row->kind == SROW_OPTION ? (int)row->id : -1;
	t->map = row->map;
	t->act = row->act;
}

/* Rebuild the rows (accounts changed, reload), keeping the cursor near. */
static void
ss_rebuild(struct screen_settings *ss)
{
	settings_rows_free(&ss->rows);
	settings_rows_build(&ss->rows, ss->conf);
	keymap_free(ss->km);
	ss->km = settings_keymap(ss->conf);
	if (ss->cur >= ss->rows.n)
		ss->cur = ss->rows.n - 1;
}

static void
ss_put_line(struct ui *ui, int y, attr_t a, const char *s)
{
	ui_put(ui, y, 0, COLS, a, s, strlen(s), true);
}

static void
ss_draw_title(struct ui *ui)
{
	static const struct {
		enum action	 a;
		const char	*label;
	} items[] = {
		{ ACT_EXIT, "Leave" }, { ACT_EDIT_OPTION, "Change" },
		{ ACT_RESET_OPTION, "Default" }, { ACT_SAVE_SETTINGS, "Save" },
		{ ACT_SEARCH, "Find" }, { ACT_ACCOUNT_ADD, "Add account" },
		{ ACT_HELP, "Help" },
	};
	struct buf	 b = BUF_INIT;
	char		 key[32];
	size_t		 i;
	int		 k;

	for (i = 0; i < sizeof items / sizeof items[0]; i++) {
		if ((k = keymap_key_for(ui->km, KEYMAP_SETTINGS,
		    items[i].a)) == -1)
			continue;
		keymap_key_name(k, key, sizeof key);
		buf_printf(&b, "%s:%s  ", key, items[i].label);
	}
	ss_put_line(ui, 0, ui->attr[UIC_TITLE], buf_str(&b));
	buf_fini(&b);
}

/* The enum pick list, drawn over the rows below the current one. */
static void
ss_draw_pick(struct ui *ui, struct screen_settings *ss, int y)
{
	size_t			 i;
	char			 line[256];
	int			 x = 4, w = COLS - 8;

	/* above the two note lines: they explain the choice */
	if (y + (int)ss->npick > LINES - 5)
		y = LINES - 5 - (int)ss->npick;
	if (y < 1)
		y = 1;
	for (i = 0; i < ss->npick && y + (int)i < LINES - 5; i++) {
		snprintf(line, sizeof line, " %s %s", i == ss->pick ? ">" :
		    " ", ss->picks[i]);
		ui_put(ui, y + (int)i, x, w, i == ss->pick ?
		    ui->attr[UIC_INDICATOR] : ui->attr[UIC_STATUS], line,
		    strlen(line), true);
	}
}

static void
ss_draw(struct ui *ui, struct screen *s)
{
	struct screen_settings	*ss = (struct screen_settings *)s;
	struct buf		 b = BUF_INIT;
	int			 rows = ui_body_rows() - 3, y, cury = 1;
	size_t			 cut;
	size_t			 i;
	struct srow		*row;
	attr_t			 a;

	ss_draw_title(ui);
	if (rows < 1)
		rows = 1;
	if (ss->cur < ss->top)
		ss->top = ss->cur;
	if (ss->cur >= ss->top + (size_t)rows)
		ss->top = ss->cur - (size_t)rows + 1;
	for (y = 0; y < rows && ss->top + (size_t)y < ss->rows.n; y++) {
		i = ss->top + (size_t)y;
		row = &ss->rows.v[i];
		buf_reset(&b);
		settings_row_format(row, ss->conf, ss->km, ss->defaults,
		    ss_is_touched(ss, row), 28, &b);
		if (i == ss->cur) {
			a = ui->attr[UIC_INDICATOR];
			cury = 1 + y;
		} else if (row->kind == SROW_SECTION)
			a = ui->attr[UIC_HEADER] | A_BOLD;
		else if (settings_row_changed(row, ss->conf, ss->km,
		    ss->defaults))
			a = ui->attr[UIC_NOTE];
		else
			a = A_NORMAL;
		ss_put_line(ui, 1 + y, a, buf_str(&b));
	}
	/* the help of the current row, and why input was refused */
	buf_reset(&b);
	if (ss->wizard_note != NULL)
		buf_add_str(&b, ss->wizard_note);
	else if (ss->info[0] != '\0')
		buf_add_str(&b, ss->info);
	else if ((row = ss_row(ss)) != NULL)
		settings_row_help(row, &b);
	/* two lines, cut at a space */
	cut = render_cut(b.data != NULL ? b.data : "", b.len, COLS);
	if (cut < b.len) {
		size_t	 sp = cut;

		while (sp > 0 && b.data[sp] != ' ')
			sp--;
		if (sp > 0)
			cut = sp + 1;
	}
	ui_put(ui, LINES - 5, 0, COLS, ui->attr[UIC_NOTE], b.data != NULL ?
	    b.data : "", cut, true);
	ui_put(ui, LINES - 4, 0, COLS, ui->attr[UIC_NOTE], b.data != NULL ?
	    b.data + cut : "", b.len - cut, true);
	ss_put_line(ui, LINES - 3, ui->attr[UIC_ERROR], ss->error);
	buf_reset(&b);
	buf_printf(&b, "-- pons: settings -- %s%s", ui->conf_path != NULL ?
	    ui->conf_path : "(no file)", conf_dirty(ss->conf) ?
	    " [modified, w saves]" : "");
	ui_status_bar(ui, LINES - 2, buf_str(&b));
	buf_fini(&b);
	if (ss->picking)
		ss_draw_pick(ui, ss, cury + 1);
}

/* Move to the next row that is not a section heading, by delta. */
static void
ss_move(struct screen_settings *ss, long delta)
{
	long	 n = (long)ss->rows.n, c = (long)ss->cur + delta;

	if (c < 0)
		c = 0;
	if (c >= n)
		c = n - 1;
	while (c > 0 && c < n - 1 && ss->rows.v[c].kind == SROW_SECTION)
		c += delta < 0 ? -1 : 1;
	if (ss->rows.v[c].kind == SROW_SECTION && c + 1 < n)
		c++;
	ss->cur = (size_t)c;
}

static bool
ss_find(struct ui *ui, struct screen_settings *ss, bool forward)
{
	size_t	 n = ss->rows.n, i, k;

	if (ss->search == NULL || *ss->search == '\0') {
		ui_note(ui, false, "No search yet: / finds an option");
		return false;
	}
	for (k = 1; k <= n; k++) {
		i = forward ? (ss->cur + k) % n : (ss->cur + n - k) % n;
		if (settings_row_match(&ss->rows.v[i], ss->search)) {
			ss->cur = i;
			return true;
		}
	}
	ui_note(ui, true, "No option matches \"%s\"", ss->search);
	return false;
}

static void
ss_search_done(struct ui *ui, const char *text, void *arg)
{
	struct screen_settings	*ss = arg;

	if (text == NULL || *text == '\0')
		return;
	free(ss->search);
	ss->search = xstrdup(text);
	ss->cur = ss->cur > 0 ? ss->cur - 1 : ss->rows.n - 1;
	ss_find(ui, ss, true);
}

/* Set the option of row to text through the config layer. */
static int
ss_set(struct screen_settings *ss, struct srow *row, const char *text)
{
	struct conf_account	*a = settings_row_account(row, ss->conf);
	struct err		 e;

	if (conf_set(ss->conf, a, row->id, text, &e) == -1) {
		ss_error(ss, "Not changed: %s", e.msg);
		return -1;
	}
	ss->error[0] = '\0';
	ss_touch(ss, row);
	if (row->id == OPT_ACCOUNT_PROTOCOL)
		ss_rebuild(ss);
	return 0;
}

static void
ss_text_done(struct ui *ui, const char *text, void *arg)
{
	struct screen_settings	*ss = arg;
	struct srow		*row = ss_row(ss);

	free(ss->draft);
	ss->draft = NULL;
	if (text == NULL || row == NULL || row->kind != SROW_OPTION) {
		ss->error[0] = '\0';
		return;
	}
	if (*text == '\0' && opt_def_get(row->id)->type != OPT_T_STRING) {
		conf_unset(ss->conf, settings_row_account(row, ss->conf),
		    row->id);
		ss_touch(ss, row);
		ss->error[0] = '\0';
		return;
	}
	if (ss_set(ss, row, text) == -1) {
		/* refused in place: ask again with the same text */
		ss->draft = xstrdup(text);
		ss_edit(ui, ss);
	}
}

static void
ss_key_grabbed(struct ui *ui, int key, void *arg)
{
	struct screen_settings	*ss = arg;
	struct srow		*row = ss_row(ss);
	struct buf		 text = BUF_INIT;
	struct err		 e;
	char			 name[32];

	ss->wizard_note = NULL;
	if (row == NULL || row->kind != SROW_KEY)
		return;
	keymap_key_name(key, name, sizeof name);
	if (key == 27 || key == 7) {
		ui_note(ui, false, "Not changed");
		return;
	}
	if (settings_key_text(key, &text) == -1) {
		ss_error(ss, "Not changed: %s cannot be written in the "
		    "configuration file", name);
	} else if (conf_key_bind(ss->conf, keymap_id_name(row->map),
	    buf_str(&text), action_defs[row->act].name, &e) == -1) {
		ss_error(ss, "Not changed: %s", e.msg);
	} else {
		ss->error[0] = '\0';
		ss_touch(ss, row);
		keymap_free(ss->km);
		ss->km = settings_keymap(ss->conf);
		ui_note(ui, false, "%s now runs %s in the %s screen", name,
		    action_defs[row->act].name, keymap_id_name(row->map));
	}
	buf_fini(&text);
}

static void
ss_pick_close(struct screen_settings *ss)
{
	size_t	 i;

	for (i = 0; i < ss->npick; i++)
		free(ss->picks[i]);
	free(ss->picks);
	ss->picks = NULL;
	ss->npick = 0;
	ss->picking = false;
}

static void
ss_pick_open(struct screen_settings *ss, const char *const *items, size_t n,
    void (*picked)(struct ui *, struct screen_settings *, size_t))
{
	size_t	 i;

	ss_pick_close(ss);
	ss->picks = xcalloc(n ? n : 1, sizeof *ss->picks);
	for (i = 0; i < n; i++)
		ss->picks[i] = xstrdup(items[i]);
	ss->npick = n;
	ss->pick = 0;
	ss->picked = picked;
	ss->picking = n > 0;
}

static void
ss_enum_picked(struct ui *ui, struct screen_settings *ss, size_t i)
{
	struct srow	*row = ss_row(ss);

	if (i == SIZE_MAX || row == NULL || row->kind != SROW_OPTION)
		return;
	ss_set(ss, row, opt_def_get(row->id)->choices[i]);
}

static void
ss_edit_option(struct ui *ui, struct screen_settings *ss, struct srow *row)
{
	const struct opt_def	*d = opt_def_get(row->id);
	const struct opts	*o = settings_row_opts(row, ss->conf);
	struct buf		 q = BUF_INIT, lo = BUF_INIT, hi = BUF_INIT;
	const char		*cur;
	size_t			 i;

	if (o == NULL)
		return;
	if (d->flags & OPT_F_SENSITIVE) {
		ss_error(ss, "pons does not show or take passwords here: set "
		    "password_command instead (D clears the password)");
		return;
	}
	switch (d->type) {
	case OPT_T_BOOL:
		ss_set(ss, row, opt_bool(o, row->id) ? "no" : "yes");
		return;
	case OPT_T_ENUM:
		for (i = 0; d->choices[i] != NULL; i++)
			;
		ss_pick_open(ss, d->choices, i, ss_enum_picked);
		cur = opt_text(o, row->id);
		for (i = 0; cur != NULL && i < ss->npick; i++)
			if (strcmp(d->choices[i], cur) == 0)
				ss->pick = i;
		return;
	case OPT_T_INT:
		buf_printf(&q, "%s (%lld..%lld): ", d->name,
		    (long long)d->min, (long long)d->max);
		break;
	case OPT_T_DURATION:
		opt_format_duration(d->min, &lo);
		opt_format_duration(d->max, &hi);
		buf_printf(&q, "%s (%s..%s, like 30s 5m 2h): ", d->name,
		    buf_str(&lo), buf_str(&hi));
		break;
	case OPT_T_SIZE:
		opt_format_size(d->min, &lo);
		opt_format_size(d->max, &hi);
		buf_printf(&q, "%s (%s..%s, like 64K 10M): ", d->name,
		    buf_str(&lo), buf_str(&hi));
		break;
	case OPT_T_PATH:
		buf_printf(&q, "%s (Tab completes): ", d->name);
		break;
	case OPT_T_COLOUR:
		buf_printf(&q, "%s (FG BG [bold underline ...]): ", d->name);
		break;
	default:
		buf_printf(&q, "%s: ", d->name);
		break;
	}
	cur = ss->draft != NULL ? ss->draft : opt_text(o, row->id);
	ui_prompt_line(ui, buf_str(&q), cur != NULL ? cur : "",
	    d->type == OPT_T_PATH ? UI_HIST_PATH : UI_HIST_COMMAND,
	    ss_text_done, ss);
	buf_fini(&q);
	buf_fini(&lo);
	buf_fini(&hi);
}

static void	ss_account_add(struct ui *, struct screen_settings *);

static void
ss_edit(struct ui *ui, struct screen_settings *ss)
{
	struct srow	*row = ss_row(ss);

	if (row == NULL)
		return;
	switch (row->kind) {
	case SROW_OPTION:
		ss_edit_option(ui, ss, row);
		break;
	case SROW_KEY:
		ss->wizard_note = "Press the key to bind (Esc: cancel)";
		ss->error[0] = '\0';
		ui->grab = ss_key_grabbed;
		ui->grab_arg = ss;
		break;
	case SROW_ADD_ACCOUNT:
		ss_account_add(ui, ss);
		break;
	case SROW_SECTION:
		break;
	}
}

static void
ss_reset(struct ui *ui, struct screen_settings *ss)
{
	struct srow		*row = ss_row(ss);
	struct keymap_entry	*v;
	struct buf		 text = BUF_INIT;
	struct err		 e;
	size_t			 n, i;

	if (row == NULL)
		return;
	if (row->kind == SROW_OPTION) {
		conf_unset(ss->conf, settings_row_account(row, ss->conf),
		    row->id);
		ss_touch(ss, row);
		ss->error[0] = '\0';
		return;
	}
	if (row->kind != SROW_KEY)
		return;
	/* unbind the keys this action has beyond its defaults */
	n = keymap_list(ss->km, row->map, NULL, 0);
	v = xreallocarray(NULL, n ? n : 1, sizeof *v);
	keymap_list(ss->km, row->map, v, n);
	for (i = 0; i < n; i++) {
		if (v[i].action != row->act || keymap_get(ss->defaults,
		    row->map, v[i].key) == row->act)
			continue;
		buf_reset(&text);
		if (settings_key_text(v[i].key, &text) == 0 &&
		    conf_key_bind(ss->conf, keymap_id_name(row->map),
		    buf_str(&text), NULL, &e) == 0)
			ss_touch(ss, row);
	}
	free(v);
	buf_fini(&text);
	keymap_free(ss->km);
	ss->km = settings_keymap(ss->conf);
	ui_note(ui, false, "Keys of %s back to the defaults",
	    action_defs[row->act].name);
}

/* Apply to the running UI what applies live. */
static void
ss_apply_live(struct ui *ui, struct screen_settings *ss)
{
	ui_conf_reapply(ui, ss->conf);
}

/* The index's order follows a saved sort, sort_reverse or threads. */
static void
ss_apply_sort(struct ui *ui, struct screen_settings *ss)
{
	size_t		 i;

	for (i = 0; i < ss->ntouched; i++)
		if (ss->touched[i].account == NULL &&
		    (ss->touched[i].id == OPT_UI_SORT ||
		    ss->touched[i].id == OPT_UI_SORT_REVERSE ||
		    ss->touched[i].id == OPT_UI_THREADS)) {
			ui_conf_resort(ui);
			return;
		}
}

/* After a successful save: what applied, what waits for a reconnect. */
static void
ss_saved(struct ui *ui, struct screen_settings *ss)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, nre = 0;

	for (i = 0; i < ss->ntouched; i++) {
		const struct ss_touched	*t = &ss->touched[i];

		if (t->id < 0 || (opt_def_get((enum opt_id)t->id)->flags &
		    OPT_F_RECONNECT) == 0)
			continue;
		buf_printf(&b, "%s%s.%s", nre++ ? ", " : "",
		    t->account != NULL ? t->account : "",
		    opt_def_get((enum opt_id)t->id)->name);
	}
	ss_apply_live(ui, ss);
	ui_conf_saved(ui);
	ss_apply_sort(ui, ss);
	if (nre > 0)
		ui_note(ui, false, "Saved.  On the next connection: %s",
		    buf_str(&b));
	else
		ui_note(ui, false, "Saved to %s; applied", ui->conf_path);
	buf_fini(&b);
	ss_touched_clear(ss);
	ss->error[0] = '\0';
}

static void	ss_leave(struct ui *, struct screen_settings *);

static void
ss_save_now(struct ui *ui, struct screen_settings *ss)
{
	struct err	 e;

	switch (conf_save(ss->conf, &e)) {
	case CONF_SAVE_OK:
		ss_saved(ui, ss);
		if (ss->leave_after_save)
			ss_leave(ui, ss);
		break;
	case CONF_SAVE_CONFLICT:
		ui_note(ui, true, "The file changed again on disk: not saved");
		break;
	case CONF_SAVE_ERROR:
		ui_note(ui, true, "Not saved: %s", e.msg);
		break;
	}
	ss->leave_after_save = false;
}

static void
ss_conflict_chosen(struct ui *ui, int key, void *arg)
{
	struct screen_settings	*ss = arg;

	if (key == 'y') {
		ss_save_now(ui, ss);
		return;
	}
	ss->leave_after_save = false;
	ui_note(ui, false, "Not saved: the file on disk has the outside "
	    "changes; yours are still here");
}

static void
ss_save(struct ui *ui, struct screen_settings *ss)
{
	struct conf_changes	 ch;
	struct conf_msgs	 msgs;
	struct err		 e;

	if (!conf_dirty(ss->conf)) {
		ui_note(ui, false, "Nothing to save");
		if (ss->leave_after_save)
			ss_leave(ui, ss);
		return;
	}
	switch (conf_save(ss->conf, &e)) {
	case CONF_SAVE_OK:
		ss_saved(ui, ss);
		if (ss->leave_after_save)
			ss_leave(ui, ss);
		ss->leave_after_save = false;
		return;
	case CONF_SAVE_ERROR:
		ui_note(ui, true, "Not saved: %s", e.msg);
		ss->leave_after_save = false;
		return;
	case CONF_SAVE_CONFLICT:
		break;
	}
	/* Someone edited the file meanwhile: never overwrite it silently. */
	memset(&ch, 0, sizeof ch);
	conf_msgs_init(&msgs);
	if (conf_reload(ss->conf, &ch, &msgs) == -1) {
		ui_note(ui, true, "The file was changed outside pons and now "
		    "has errors (%s): not saved", msgs.n > 0 ?
		    msgs.v[0].text : "?");
		ss->leave_after_save = false;
	} else {
		ss_rebuild(ss);
		ui_prompt_choice(ui, "The file was changed outside pons; your "
		    "changes are now on top of it.  Save? (y/n) ", "yn",
		    ss_conflict_chosen, ss);
	}
	conf_changes_fini(&ch);
	conf_msgs_fini(&msgs);
}

static void
ss_leave(struct ui *ui, struct screen_settings *ss)
{
	if (ss->standalone) {
		ui->done = true;
		return;
	}
	if (ui->top == &ss->s)
		ui_pop(ui);
}

static void
ss_quit_chosen(struct ui *ui, int key, void *arg)
{
	struct screen_settings	*ss = arg;

	switch (key) {
	case 'y':
		ss->leave_after_save = true;
		ss_save(ui, ss);
		break;
	case 'n':
		ss_leave(ui, ss);
		break;
	default:
		ui_note(ui, false, "Still here");
		break;
	}
}

static void
ss_exit(struct ui *ui, struct screen_settings *ss)
{
	if (!conf_dirty(ss->conf)) {
		ss_leave(ui, ss);
		return;
	}
	ui_prompt_choice(ui, "Save the changes? (y)es, (n)o: discard, "
	    "(c)ancel ", "ync", ss_quit_chosen, ss);
}

/* Accounts. */

static const char ss_proto_note[] =
    "i: IMAP - two-way: the server is the truth, changes sync both ways, "
    "live.   p: POP3 - one-way: mail is copied down to this computer; "
    "what you do locally never touches the server";

static void
ss_focus_account(struct screen_settings *ss, const char *name, enum opt_id id)
{
	size_t	 i;

	for (i = 0; i < ss->rows.n; i++)
		if (ss->rows.v[i].kind == SROW_OPTION &&
		    ss->rows.v[i].id == id &&
		    ss_same(ss->rows.v[i].account, name)) {
			ss->cur = i;
			return;
		}
}

static void
ss_add_set(struct ui *ui, struct screen_settings *ss, enum opt_id id,
    const char *text)
{
	struct conf_account	*a;
	struct err		 e;
	struct srow		 row;

	if ((a = conf_account_find(ss->conf, ss->new_account)) == NULL)
		return;
	if (conf_set(ss->conf, a, id, text, &e) == -1) {
		ss_error(ss, "Not set: %s", e.msg);
		return;
	}
	memset(&row, 0, sizeof row);
	row.kind = SROW_OPTION;
	row.id = id;
	row.account = ss->new_account;
	ss_touch(ss, &row);
}

static void
ss_password_wipe(struct screen_settings *ss)
{
	if (ss->password == NULL)
		return;
	explicit_bzero(ss->password, strlen(ss->password));
	free(ss->password);
	ss->password = NULL;
}

/* The new account has its settings: show it, and forget the password. */
static void
ss_add_finish(struct ui *ui, struct screen_settings *ss)
{
	ss->wizard_note = NULL;
	ss_password_wipe(ss);
	ss_rebuild(ss);
	ss_focus_account(ss, ss->new_account, OPT_ACCOUNT_PROTOCOL);
	ui_note(ui, false, "Account \"%s\" added: check its settings, then "
	    "w saves", ss->new_account);
	free(ss->new_account);
	ss->new_account = NULL;
}

/* The answer to the last question (option ss->add_last), then done. */
static void
ss_add_last(struct ui *ui, const char *text, void *arg)
{
	struct screen_settings	*ss = arg;

	if (text != NULL && *text != '\0')
		ss_add_set(ui, ss, ss->add_last, text);
	ss_add_finish(ui, ss);
}

static void
ss_add_host(struct ui *ui, const char *text, void *arg)
{
	struct screen_settings	*ss = arg;

	if (text != NULL && *text != '\0')
		ss_add_set(ui, ss, OPT_ACCOUNT_HOST, text);
	ss->wizard_note = "The login name, often the whole address (empty: "
	    "asked when connecting)";
	ss->add_last = OPT_ACCOUNT_USER;
	ui_prompt_line(ui, "User: ", "", UI_HIST_COMMAND, ss_add_last, ss);
}

static void
ss_add_proto(struct ui *ui, int key, void *arg)
{
	struct screen_settings	*ss = arg;

	if (key == 'i' || key == 'p')
		ss_add_set(ui, ss, OPT_ACCOUNT_PROTOCOL, key == 'i' ? "imap" :
		    "pop3");
	ss->wizard_note = "The server's host name, like imap.example.net";
	ui_prompt_line(ui, "Host: ", "", UI_HIST_COMMAND, ss_add_host, ss);
}

static void
ss_found_clear(struct screen_settings *ss)
{
	size_t	 i;

	for (i = 0; i < ss->nfound; i++) {
		free(ss->found[i].host);
		free(ss->found[i].login_user);
	}
	free(ss->found);
	ss->found = NULL;
	ss->nfound = 0;
}

static void
ss_add_manual(struct ui *ui, struct screen_settings *ss)
{
	ss->wizard_note = ss_proto_note;
	ui_prompt_choice(ui, "Protocol: (i)MAP or (p)OP3? ", "ip",
	    ss_add_proto, ss);
}

static void
ss_add_pw_how(struct ui *ui, int key, void *arg)
{
	struct screen_settings	*ss = arg;

	switch (key) {
	case 'c':
		ss->wizard_note = "A command that prints the password, like: "
		    "pass show mail/home (run with sh -c when connecting)";
		ss->add_last = OPT_ACCOUNT_PASSWORD_COMMAND;
		ui_prompt_line(ui, "Password command: ", "", UI_HIST_COMMAND,
		    ss_add_last, ss);
		return;
	case 's':
		ss_add_set(ui, ss, OPT_ACCOUNT_PASSWORD, ss->password);
		snprintf(ss->info, sizeof ss->info, "Warning: the password "
		    "goes into %s in clear text.  pons writes that file with "
		    "mode 0600 (only you can read it), but backups and "
		    "anyone with your login can; password_command is safer",
		    ss->ui->conf_path != NULL ? ss->ui->conf_path :
		    "the configuration file");
		break;
	default:
		break;
	}
	ss_add_finish(ui, ss);
}

static void
ss_found_picked(struct ui *ui, struct screen_settings *ss, size_t i)
{
	const struct ss_found	*f;
	const char		*ca = getenv("PONS_DISCOVER_CA");
	char			 port[16];
	bool			 ok;

	ss->wizard_note = NULL;
	if (i == SIZE_MAX || i >= ss->nfound) {
		ss_found_clear(ss);
		ss_add_manual(ui, ss);
		return;
	}
	f = &ss->found[i];
	ss_add_set(ui, ss, OPT_ACCOUNT_PROTOCOL, f->proto == DISCOVER_IMAP ?
	    "imap" : "pop3");
	ss_add_set(ui, ss, OPT_ACCOUNT_HOST, f->host);
	ss_add_set(ui, ss, OPT_ACCOUNT_TLS, f->tls == DISCOVER_TLS_IMPLICIT ?
	    "implicit" : "starttls");
	if (f->port != f->std_port) {
		snprintf(port, sizeof port, "%u", f->port);
		ss_add_set(ui, ss, OPT_ACCOUNT_PORT, port);
	}
	if (ca != NULL && *ca != '\0')
		ss_add_set(ui, ss, OPT_ACCOUNT_CA_FILE, ca);
	ok = f->login == DISCOVER_LOGIN_OK && f->login_user != NULL;
	ss_add_set(ui, ss, OPT_ACCOUNT_USER, ok ? f->login_user : ss->email);
	ss_found_clear(ss);
	if (!ok || ss->password == NULL) {
		if (ss->password != NULL)
			snprintf(ss->info, sizeof ss->info, "The login was not "
			    "accepted: no password is kept; pons asks for it "
			    "when connecting");
		ss_add_finish(ui, ss);
		return;
	}
	/* The password worked: keep it only the way the person chooses. */
	ss->wizard_note = "c: a command prints it (pass, secret-tool...); "
	    "s: saved in clear in the file (mode 0600); n: not kept, pons "
	    "asks when connecting";
	ui_prompt_choice(ui, "Keep the password? (c)ommand, (s)ave, (n)o ",
	    "csn", ss_add_pw_how, ss);
}

static void
ss_disc_progress(const struct discover_candidate *c, void *arg)
{
	struct screen_settings	*ss = arg;

	ui_dirty(ss->ui);
}

/* " - login ok as alice", " - login refused: why", or "". */
static void
ss_login_text(const struct discover_candidate *c, struct buf *out)
{
	switch (c->login) {
	case DISCOVER_LOGIN_OK:
		buf_printf(out, " - login ok as %s", c->login_user != NULL ?
		    c->login_user : "?");
		break;
	case DISCOVER_LOGIN_REFUSED:
		buf_printf(out, " - login refused: %s", c->login_msg != NULL ?
		    c->login_msg : "wrong user or password");
		break;
	case DISCOVER_LOGIN_FAILED:
		buf_printf(out, " - login failed: %s", c->login_msg != NULL ?
		    c->login_msg : "no answer");
		break;
	case DISCOVER_LOGIN_NOT_TRIED:
		break;
	}
}

/* Shown in the list: usable, or (with a password) where a login was tried. */
static bool
ss_disc_shown(const struct discover_candidate *c, bool login_asked)
{
	if (!discover_usable(c, false))
		return false;
	return !login_asked || c->login != DISCOVER_LOGIN_NOT_TRIED;
}

/* Per protocol, what the login said: "IMAP login ok, POP3 refused". */
static void
ss_disc_summary(struct screen_settings *ss, const struct discover_result *r,
    size_t nimap, size_t npop)
{
	struct buf	 b = BUF_INIT;
	const char	*what;
	size_t		 i;
	int		 pr;

	if (npop == 0)
		buf_add_str(&b, "Only IMAP was found (two-way: the server is "
		    "the truth, changes sync both ways, live).  ");
	else if (nimap == 0)
		buf_add_str(&b, "Only POP3 was found (one-way: mail is copied "
		    "down to this computer).  ");
	for (pr = 0; r->login_asked && pr < 2; pr++) {
		what = NULL;
		for (i = 0; i < r->n && what == NULL; i++) {
			if ((int)r->v[i]->proto != pr ||
			    !ss_disc_shown(r->v[i], true))
				continue;
			what = r->v[i]->login == DISCOVER_LOGIN_OK ? "ok" :
			    r->v[i]->login == DISCOVER_LOGIN_REFUSED ?
			    "refused" : "failed";
		}
		if (what != NULL)
			buf_printf(&b, "%s login %s.  ", pr == DISCOVER_IMAP ?
			    "IMAP" : "POP3", what);
	}
	if (npop > 0 && nimap > 0)
		buf_add_str(&b, ss_proto_note);
	else
		buf_add_str(&b, "Enter picks");
	snprintf(ss->disc_note, sizeof ss->disc_note, "%s", buf_str(&b));
	buf_fini(&b);
	ss->wizard_note = ss->disc_note;
}

static void
ss_disc_done(const struct discover_result *r, void *arg)
{
	struct screen_settings	*ss = arg;
	struct ui		*ui = ss->ui;
	const struct discover_candidate *c;
	struct ss_found		*f;
	struct buf		 login = BUF_INIT;
	char			**lines;
	size_t			 i, nimap = 0, npop = 0;

	ss_found_clear(ss);
	ss->found = xcalloc(r->n + 1, sizeof *ss->found);
	lines = xcalloc(r->n + 1, sizeof *lines);
	for (i = 0; i < r->n; i++) {
		c = r->v[i];
		if (!ss_disc_shown(c, r->login_asked))
			continue;
		f = &ss->found[ss->nfound];
		f->proto = c->proto;
		f->tls = c->tls;
		f->host = xstrdup(c->host);
		f->port = c->port;
		f->std_port = c->std_port;
		f->login = c->login;
		f->login_user = c->login_user != NULL ?
		    xstrdup(c->login_user) : NULL;
		buf_reset(&login);
		ss_login_text(c, &login);
		lines[ss->nfound] = xasprintf("%-4s %s:%u, %s - %s%s",
		    discover_proto_name(c->proto), c->host, c->port,
		    discover_tls_name(c->proto, c->tls),
		    c->proto == DISCOVER_IMAP ? "two-way, live" :
		    "one-way download", buf_str(&login));
		if (c->proto == DISCOVER_IMAP)
			nimap++;
		else
			npop++;
		ss->nfound++;
	}
	buf_fini(&login);
	if (ss->nfound == 0) {
		free(lines);
		discover_free(ss->disc);
		ss->disc = NULL;
		ss_error(ss, "No mail server answered for %s: enter the "
		    "settings by hand", ss->email);
		ss_add_manual(ui, ss);
		ui_dirty(ui);
		return;
	}
	lines[ss->nfound] = xstrdup("Enter the settings by hand");
	ss_pick_open(ss, (const char *const *)lines, ss->nfound + 1,
	    ss_found_picked);
	for (i = 0; i <= ss->nfound; i++)
		free(lines[i]);
	free(lines);
	ss_disc_summary(ss, r, nimap, npop);
	/* r is borrowed from the discover object: free it last */
	discover_free(ss->disc);
	ss->disc = NULL;
	ui_dirty(ui);
}

static void
ss_disc_start(struct ui *ui, struct screen_settings *ss)
{
	static const struct discover_cbs cbs = { ss_disc_progress,
	    ss_disc_done };
	struct discover_opts	 o;
	struct discover_port	*ports = NULL;
	const char		*host = getenv("PONS_DISCOVER_HOST");
	const char		*map = getenv("PONS_DISCOVER_PORT_MAP");
	struct err		 e;

	memset(&o, 0, sizeof o);
	/* test hooks: the test bed's host name, ports and CA */
	if (host != NULL && *host != '\0') {
		o.hosts = &host;
		o.nhosts = 1;
	}
	if (map != NULL && *map != '\0' &&
	    discover_port_map_parse(map, &ports, &o.nports, &e) == 0)
		o.ports = ports;
	o.ca_file = getenv("PONS_DISCOVER_CA");
	o.timeout_ms = 5000;
	discover_free(ss->disc);
	ss->disc = discover_start(ui->loop, ss->email, ss->password, &o, &cbs,
	    ss, &e);
	free(ports);
	if (ss->disc == NULL) {
		ss_error(ss, "%s", e.msg);
		ss_password_wipe(ss);
		ss_add_manual(ui, ss);
		return;
	}
	ss->error[0] = '\0';
	ss->wizard_note = ss->password != NULL ? "Looking for the mail "
	    "servers of this address and trying the login (certificates "
	    "checked)..." : "Looking for the mail servers of this address "
	    "(certificates checked)...";
}

static void
ss_add_password(struct ui *ui, const char *text, void *arg)
{
	struct screen_settings	*ss = arg;

	ss->wizard_note = NULL;
	if (text == NULL) {
		ss_add_manual(ui, ss);
		return;
	}
	ss_password_wipe(ss);
	if (*text != '\0')
		ss->password = xstrdup(text);
	ss_disc_start(ui, ss);
}

static void
ss_add_email(struct ui *ui, const char *text, void *arg)
{
	struct screen_settings	*ss = arg;

	ss->wizard_note = NULL;
	if (text == NULL || *text == '\0') {
		ss_add_manual(ui, ss);
		return;
	}
	free(ss->email);
	ss->email = xstrdup(text);
	ss->wizard_note = "The password tries the login, only over TLS with "
	    "a verified certificate; it is kept only if you say so after. "
	    "Enter alone: no login test";
	ui_prompt_secret(ui, "Password: ", ss_add_password, ss);
}

static void
ss_add_how(struct ui *ui, int key, void *arg)
{
	struct screen_settings	*ss = arg;

	ss->wizard_note = NULL;
	if (key == 'f') {
		ss->wizard_note = "pons tries imap., pop., mail. and the domain "
		    "on the usual ports, then the login with your password";
		ui_prompt_line(ui, "Email address: ", "", UI_HIST_COMMAND,
		    ss_add_email, ss);
		return;
	}
	ss_add_manual(ui, ss);
}

static void
ss_add_name(struct ui *ui, const char *text, void *arg)
{
	struct screen_settings	*ss = arg;
	struct err		 e;

	ss->wizard_note = NULL;
	if (text == NULL || *text == '\0')
		return;
	if (conf_account_add(ss->conf, text, &e) == NULL) {
		ss_error(ss, "Not added: %s", e.msg);
		return;
	}
	ss->error[0] = '\0';
	free(ss->new_account);
	ss->new_account = xstrdup(text);
	ss->wizard_note = "f: find the settings from your email address; "
	    "m: type them yourself";
	ui_prompt_choice(ui, "(f)ind the settings, or (m)anual entry? ", "fm",
	    ss_add_how, ss);
}

static void
ss_account_add(struct ui *ui, struct screen_settings *ss)
{
	ss->wizard_note = "A short name for the account, like home or work";
	ui_prompt_line(ui, "New account name: ", "", UI_HIST_COMMAND,
	    ss_add_name, ss);
}

static void
ss_rename_done(struct ui *ui, const char *text, void *arg)
{
	struct screen_settings	*ss = arg;
	struct srow		*row = ss_row(ss);
	struct conf_account	*a;
	const struct opts	*o;
	struct err		 e;
	char			*spool, *old;
	size_t			 i;

	if (text == NULL || *text == '\0' || row == NULL ||
	    (a = settings_row_account(row, ss->conf)) == NULL)
		return;
	o = conf_account_opts(a);
	old = xstrdup(conf_account_name(a));
	/* a POP3 spool at the default place stays where the mail is */
	spool = NULL;
	if (opt_is_set(o, OPT_ACCOUNT_PROTOCOL) &&
	    opt_enum(o, OPT_ACCOUNT_PROTOCOL) == OPT_PROTO_POP3 &&
	    !opt_is_set(o, OPT_ACCOUNT_SPOOL))
		spool = conf_account_spool(a);
	if (conf_account_rename(ss->conf, a, text, &e) == -1) {
		ss_error(ss, "Not renamed: %s", e.msg);
	} else {
		if (spool != NULL && conf_set(ss->conf, a, OPT_ACCOUNT_SPOOL,
		    spool, &e) == 0)
			ui_note(ui, false, "Renamed; its mail stays in %s",
			    spool);
		else
			ui_note(ui, false, "Account \"%s\" is now \"%s\"", old,
			    text);
		ss->error[0] = '\0';
		for (i = 0; i < ss->ntouched; i++)
			if (ss_same(ss->touched[i].account, old)) {
				free(ss->touched[i].account);
				ss->touched[i].account = xstrdup(text);
			}
		ss_rebuild(ss);
	}
	free(spool);
	free(old);
}

static void
ss_remove_chosen(struct ui *ui, int key, void *arg)
{
	struct screen_settings	*ss = arg;
	struct srow		*row = ss_row(ss);
	struct conf_account	*a;
	char			*spool, *name;

	ss->wizard_note = NULL;
	if (key != 'y' || row == NULL ||
	    (a = settings_row_account(row, ss->conf)) == NULL) {
		ui_note(ui, false, "Not removed");
		return;
	}
	spool = conf_account_spool(a);
	name = xstrdup(conf_account_name(a));
	conf_account_remove(ss->conf, a);
	ss_rebuild(ss);
	ui_note(ui, false, "Account \"%s\" removed (w saves)", name);
	snprintf(ss->info, sizeof ss->info, "The mail of \"%s\" was not "
	    "deleted: it stays in %s", name, spool);
	free(spool);
	free(name);
}

static void
ss_account_action(struct ui *ui, struct screen_settings *ss, enum action a)
{
	struct srow		*row = ss_row(ss);
	struct conf_account	*acc;
	char			 q[256];

	if (row == NULL || (acc = settings_row_account(row, ss->conf)) ==
	    NULL) {
		ui_note(ui, false, "Move to an account first");
		return;
	}
	if (a == ACT_ACCOUNT_RENAME) {
		ui_prompt_line(ui, "Rename account to: ",
		    conf_account_name(acc), UI_HIST_COMMAND, ss_rename_done,
		    ss);
		return;
	}
	snprintf(q, sizeof q, "Remove account \"%s\"? (y/n) ",
	    conf_account_name(acc));
	ss->wizard_note = "Removing an account only removes its settings: "
	    "its mail stays on this computer";
	ui_prompt_choice(ui, q, "yn", ss_remove_chosen, ss);
}

static bool
ss_pick_action(struct ui *ui, struct screen_settings *ss, enum action a)
{
	switch (a) {
	case ACT_NEXT_ENTRY:
		if (ss->pick + 1 < ss->npick)
			ss->pick++;
		break;
	case ACT_PREVIOUS_ENTRY:
		if (ss->pick > 0)
			ss->pick--;
		break;
	case ACT_FIRST_ENTRY:
		ss->pick = 0;
		break;
	case ACT_LAST_ENTRY:
		ss->pick = ss->npick - 1;
		break;
	case ACT_EDIT_OPTION:
	case ACT_EXIT: {
		void	(*cb)(struct ui *, struct screen_settings *, size_t) =
		    ss->picked;
		size_t	 i = a == ACT_EXIT ? SIZE_MAX : ss->pick;

		ss_pick_close(ss);
		cb(ui, ss, i);
		break;
	}
	default:
		ui_note(ui, false, "Enter picks, q cancels");
		break;
	}
	ui_dirty(ui);
	return true;
}

/*
 * The file changed outside pons while nothing is unsaved here: show what
 * it says now (with unsaved changes, saving asks instead).
 */
static void
ss_follow_disk(struct ui *ui, struct screen_settings *ss)
{
	struct conf_changes	 ch;
	struct conf_msgs	 msgs;

	if (conf_dirty(ss->conf) || ss->new_account != NULL ||
	    !conf_changed_on_disk(ss->conf))
		return;
	conf_msgs_init(&msgs);
	if (conf_reload(ss->conf, &ch, &msgs) == 0) {
		ss->disk_error = false;
		ss_rebuild(ss);
		ui_note(ui, false, "The file changed on disk: reloaded");
	} else if (!ss->disk_error) {
		ss->disk_error = true;
		ui_note(ui, true, "The file changed on disk and has errors: %s",
		    msgs.n > 0 ? msgs.v[0].text : "?");
	}
	conf_changes_fini(&ch);
	conf_msgs_fini(&msgs);
}

static bool
ss_action(struct ui *ui, struct screen *s, enum action a)
{
	struct screen_settings	*ss = (struct screen_settings *)s;
	long			 page = ui_body_rows() - 3;

	if (ss->picking)
		return ss_pick_action(ui, ss, a);
	ss_follow_disk(ui, ss);
	ss->info[0] = '\0';
	switch (a) {
	case ACT_NEXT_ENTRY:
		ss_move(ss, 1);
		break;
	case ACT_PREVIOUS_ENTRY:
		ss_move(ss, -1);
		break;
	case ACT_NEXT_PAGE:
	case ACT_HALF_DOWN:
		ss_move(ss, a == ACT_NEXT_PAGE ? page : page / 2);
		break;
	case ACT_PREVIOUS_PAGE:
	case ACT_HALF_UP:
		ss_move(ss, -(a == ACT_PREVIOUS_PAGE ? page : page / 2));
		break;
	case ACT_FIRST_ENTRY:
		ss->cur = 0;
		ss_move(ss, 0);
		break;
	case ACT_LAST_ENTRY:
		ss->cur = ss->rows.n - 1;
		break;
	case ACT_SEARCH:
		ui_prompt_line(ui, "Find option: ", "", UI_HIST_SEARCH,
		    ss_search_done, ss);
		break;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_OPPOSITE:
		ss_find(ui, ss, a == ACT_SEARCH_NEXT);
		break;
	case ACT_EDIT_OPTION:
		free(ss->draft);
		ss->draft = NULL;
		ss_edit(ui, ss);
		break;
	case ACT_RESET_OPTION:
		ss_reset(ui, ss);
		break;
	case ACT_SAVE_SETTINGS:
		ss_save(ui, ss);
		break;
	case ACT_ACCOUNT_ADD:
		ss_account_add(ui, ss);
		break;
	case ACT_ACCOUNT_RENAME:
	case ACT_ACCOUNT_REMOVE:
		ss_account_action(ui, ss, a);
		break;
	case ACT_EXIT:
	case ACT_QUIT:
		ss_exit(ui, ss);
		break;
	case ACT_SETTINGS:
		break;		/* already here */
	default:
		return false;
	}
	ui_dirty(ui);
	return true;
}

static void
ss_mouse(struct ui *ui, struct screen *s, enum ui_mouse kind, int y, int x)
{
	struct screen_settings	*ss = (struct screen_settings *)s;

	if (kind == UI_MOUSE_WHEEL_UP)
		ss_move(ss, -3);
	else if (kind == UI_MOUSE_WHEEL_DOWN)
		ss_move(ss, 3);
	else if (y >= 1 && ss->top + (size_t)(y - 1) < ss->rows.n &&
	    y <= ui_body_rows() - 3) {
		ss->cur = ss->top + (size_t)(y - 1);
		ss_move(ss, 0);
	}
}

static void
ss_free(struct screen *s)
{
	struct screen_settings	*ss = (struct screen_settings *)s;

	conf_free(ss->conf);
	keymap_free(ss->km);
	keymap_free(ss->defaults);
	settings_rows_free(&ss->rows);
	ss_touched_clear(ss);
	free(ss->search);
	free(ss->draft);
	free(ss->new_account);
	ss_pick_close(ss);
	discover_free(ss->disc);
	ss_found_clear(ss);
	free(ss->email);
	ss_password_wipe(ss);
	free(ss);
}

static const struct screen_ops screen_settings_ops = {
	"settings", KEYMAP_SETTINGS, ss_draw, ss_action, ss_mouse, NULL,
	ss_free
};

struct screen *
screen_settings_new(struct ui *ui, bool standalone)
{
	struct screen_settings	*ss;
	struct conf		*c;
	struct conf_msgs	 msgs;
	char			*def = NULL;
	const char		*path = ui->conf_path;

	if (path == NULL)
		path = def = conf_default_path();
	c = conf_new();
	conf_set_key_check(c, ui_key_check, NULL);
	conf_msgs_init(&msgs);
	if (conf_load(c, path, CONF_LOAD_MISSING_OK, &msgs) == -1) {
		ui_note(ui, true, "Settings: %s", msgs.n > 0 ?
		    msgs.v[0].text : path);
		conf_msgs_fini(&msgs);
		conf_free(c);
		free(def);
		return NULL;
	}
	conf_msgs_fini(&msgs);
	if (ui->conf_path == NULL)
		ui->conf_path = xstrdup(path);
	free(def);
	ss = xcalloc(1, sizeof *ss);
	ss->s.ops = &screen_settings_ops;
	ss->ui = ui;
	ss->conf = c;
	ss->standalone = standalone;
	ss->defaults = keymap_new();
	ss->km = settings_keymap(c);
	settings_rows_build(&ss->rows, c);
	ss_move(ss, 0);
	return &ss->s;
}

void
ui_settings_open(struct ui *ui, bool standalone)
{
	struct screen	*s;

	if (ui->top != NULL && ui->top->ops == &screen_settings_ops)
		return;
	if ((s = screen_settings_new(ui, standalone)) == NULL)
		return;		/* the note says why */
	ui_push(ui, s);
}
