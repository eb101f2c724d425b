/* SPDX-License-Identifier: ISC */
/*
 * The UI's side of the configuration: the [keys.SCREEN] validator, and
 * reading [ui] options, [colors] and key bindings at start.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "app/app.h"
#include "app/folder.h"
#include "config/conf.h"
#include "config/options.h"
#include "ui/keymap.h"
#include "ui-private.h"
#include "util/buf.h"
#include "util/xmalloc.h"

int
ui_key_check(void *arg, const char *screen, const char *action,
    struct err *e)
{
	int		 id;
	enum action	 a;

	if ((id = keymap_id_find(screen)) == -1)
		return err_set(e, ERR_INPUT, "unknown screen \"%s\" (index, "
		    "pager, attach, help, prompt, settings)", screen);
	if (action == NULL || strcmp(action, "none") == 0)
		return 0;	/* NULL: the section name alone is checked */
	if ((a = action_find(action)) == ACT_NONE)
		return err_set(e, ERR_INPUT, "unknown action \"%s\" (see the "
		    "? screen for names)", action);
	if ((action_defs[a].maps & (1U << id)) == 0)
		return err_set(e, ERR_INPUT, "action \"%s\" does not work in "
		    "the %s screen", action, screen);
	return 0;
}

/* A config key to our key code; -1 if pons cannot receive it. */
int
ui_conf_key(const struct conf_keyspec *ks)
{
	static const int named[] = {
		[CONF_KEY_UP] = KEYMAP_FN | KEY_UP,
		[CONF_KEY_DOWN] = KEYMAP_FN | KEY_DOWN,
		[CONF_KEY_LEFT] = KEYMAP_FN | KEY_LEFT,
		[CONF_KEY_RIGHT] = KEYMAP_FN | KEY_RIGHT,
		[CONF_KEY_PAGEUP] = KEYMAP_FN | KEY_PPAGE,
		[CONF_KEY_PAGEDOWN] = KEYMAP_FN | KEY_NPAGE,
		[CONF_KEY_HOME] = KEYMAP_FN | KEY_HOME,
		[CONF_KEY_END] = KEYMAP_FN | KEY_END,
		[CONF_KEY_INSERT] = KEYMAP_FN | KEY_IC,
		[CONF_KEY_DELETE] = KEYMAP_FN | KEY_DC,
		[CONF_KEY_BACKSPACE] = KEYMAP_FN | KEY_BACKSPACE,
		[CONF_KEY_ENTER] = '\r',
		[CONF_KEY_TAB] = '\t',
		[CONF_KEY_BACKTAB] = KEYMAP_FN | KEY_BTAB,
		[CONF_KEY_ESCAPE] = 27,
		[CONF_KEY_SPACE] = ' ',
	};

	if (ks->meta)
		return -1;
	if (ks->name == CONF_KEY_F)
		return ks->fn >= 1 && ks->fn <= 24 ?
		    (int)(KEYMAP_FN | KEY_F(ks->fn)) : -1;
	if (ks->name != CONF_KEY_NONE) {
		if ((size_t)ks->name >= sizeof named / sizeof named[0] ||
		    named[ks->name] == 0)
			return -1;
		return named[ks->name];
	}
	if (ks->ctrl) {
		if (ks->ch >= '@' && ks->ch < 0x80)
			return (int)(ks->ch & 0x1f);
		return -1;
	}
	return (int)ks->ch;
}

static void
ui_conf_keys(struct ui *ui, const struct conf *conf)
{
	const struct conf_key	*k;
	struct conf_keyspec	 ks;
	struct err		 e;
	size_t			 i;
	int			 id, key;

	for (i = 0; i < conf_key_count(conf); i++) {
		k = conf_key_at(conf, i);
		if ((id = keymap_id_find(k->screen)) == -1)
			continue;
		if (conf_key_parse(k->key, &ks, NULL, &e) == -1 ||
		    (key = ui_conf_key(&ks)) == -1) {
			ui_note(ui, true, "[keys.%s] %s: pons cannot read "
			    "this key yet", k->screen, k->key);
			continue;
		}
		keymap_bind(ui->km, id, key, action_find(k->action));
	}
}

static void
ui_conf_colour(struct ui *ui, const struct opts *o, enum opt_id id,
    enum ui_color c)
{
	struct opt_colour	 oc;
	attr_t			 a = 0;

	if (opt_origin(o, id) == OPT_ORIGIN_DEFAULT)
		return;		/* keep the built-in 256/8-colour theme */
	oc = opt_colour(o, id);
	if (oc.attrs & OPT_ATTR_BOLD)
		a |= A_BOLD;
	if (oc.attrs & OPT_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (oc.attrs & OPT_ATTR_REVERSE)
		a |= A_REVERSE;
	if (oc.attrs & OPT_ATTR_DIM)
		a |= A_DIM;
	if (oc.attrs & OPT_ATTR_BLINK)
		a |= A_BLINK;
#ifdef A_ITALIC
	if (oc.attrs & OPT_ATTR_ITALIC)
		a |= A_ITALIC;
#endif
	ui->opt.colour_set[c] = true;
	ui->opt.fg[c] = (short)oc.fg;
	ui->opt.bg[c] = (short)oc.bg;
	ui->opt.attrs[c] = a;
}

static void
ui_conf_colours(struct ui *ui, const struct opts *o)
{
	static const struct {
		enum opt_id	 id;
		enum ui_color	 c;
	} map[] = {
		{ OPT_COLOR_NORMAL, UIC_NORMAL },
		{ OPT_COLOR_INDICATOR, UIC_INDICATOR },
		{ OPT_COLOR_STATUS, UIC_STATUS },
		{ OPT_COLOR_STATUS, UIC_TITLE },
		{ OPT_COLOR_ERROR, UIC_ERROR },
		{ OPT_COLOR_INDEX_NEW, UIC_NEW },
		{ OPT_COLOR_INDEX_FLAGGED, UIC_FLAGGED },
		{ OPT_COLOR_INDEX_DELETED, UIC_DELETED },
		{ OPT_COLOR_TREE, UIC_TREE },
		{ OPT_COLOR_HEADER, UIC_HEADER },
		{ OPT_COLOR_QUOTED, UIC_QUOTE1 },
		{ OPT_COLOR_SIGNATURE, UIC_SIGNATURE },
		{ OPT_COLOR_ATTACHMENT, UIC_ATTACHMENT },
		{ OPT_COLOR_SEARCH, UIC_SEARCH },
	};
	size_t	 i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		ui_conf_colour(ui, o, map[i].id, map[i].c);
}

void
ui_conf_apply(struct ui *ui, const struct conf *conf)
{
	const struct opts	*o;

	ui->opt.sort = FOLDER_SORT_DATE;
	if (conf == NULL)
		return;
	o = conf_opts(conf);
	switch (opt_enum(o, OPT_UI_SORT)) {
	case OPT_SORT_DATE_RECEIVED:
	case OPT_SORT_UNSORTED:
		ui->opt.sort = FOLDER_SORT_RECEIVED;
		break;
	case OPT_SORT_FROM:
	case OPT_SORT_TO:
		ui->opt.sort = FOLDER_SORT_SENDER;
		break;
	case OPT_SORT_SUBJECT:
		ui->opt.sort = FOLDER_SORT_SUBJECT;
		break;
	case OPT_SORT_SIZE:
		ui->opt.sort = FOLDER_SORT_SIZE;
		break;
	default:
		ui->opt.sort = FOLDER_SORT_DATE;
		break;
	}
	ui->opt.reverse = opt_bool(o, OPT_UI_SORT_REVERSE);
	ui->opt.threads = opt_bool(o, OPT_UI_THREADS);
	ui->opt.mouse = opt_bool(o, OPT_UI_MOUSE);
	ui->opt.help_bar = opt_bool(o, OPT_UI_HELP_BAR);
	ui->opt.sidebar = opt_bool(o, OPT_UI_SIDEBAR);
	ui->opt.mark_read = opt_bool(o, OPT_UI_MARK_READ);
	ui->opt.mark_read_delay = opt_duration(o, OPT_UI_MARK_READ_DELAY);
	ui->opt.confirm_quit = opt_bool(o, OPT_GENERAL_CONFIRM_QUIT);
	ui->opt.confirm_delete = opt_bool(o, OPT_UI_CONFIRM_DELETE);
	ui->opt.wrap = opt_enum(o, OPT_UI_PAGER_WRAP) != OPT_WRAP_NONE;
	ui->opt.context = (int)opt_int(o, OPT_UI_PAGER_CONTEXT);
	/* the built-in layout stays unless the user chose one */
	if (opt_origin(o, OPT_UI_INDEX_FORMAT) != OPT_ORIGIN_DEFAULT &&
	    opt_str(o, OPT_UI_INDEX_FORMAT) != NULL)
		ui->opt.index_format = xstrdup(opt_str(o,
		    OPT_UI_INDEX_FORMAT));
	if (opt_origin(o, OPT_UI_DATE_FORMAT) != OPT_ORIGIN_DEFAULT ||
	    opt_origin(o, OPT_UI_DATE_FORMAT_RECENT) != OPT_ORIGIN_DEFAULT) {
		if (opt_str(o, OPT_UI_DATE_FORMAT) != NULL)
			ui->opt.date_format = xstrdup(opt_str(o,
			    OPT_UI_DATE_FORMAT));
		if (opt_str(o, OPT_UI_DATE_FORMAT_RECENT) != NULL)
			ui->opt.date_recent = xstrdup(opt_str(o,
			    OPT_UI_DATE_FORMAT_RECENT));
	}
	{
		const char *const	*v;
		size_t			 n, i;

		v = opt_list(o, OPT_UI_PAGER_HEADERS, &n);
		if (v != NULL && n > 0) {
			ui->opt.headers = xcalloc(n + 1,
			    sizeof *ui->opt.headers);
			for (i = 0; i < n; i++)
				ui->opt.headers[i] = xstrdup(v[i]);
		}
	}
	ui_conf_colours(ui, o);
	ui_conf_keys(ui, conf);
}

void
ui_conf_reapply(struct ui *ui, const struct conf *conf)
{
	size_t	 i;

	for (i = 0; ui->opt.headers != NULL && ui->opt.headers[i] != NULL; i++)
		free(ui->opt.headers[i]);
	free(ui->opt.headers);
	ui->opt.headers = NULL;
	/* a format removed from the file goes back to the built-in one */
	free(ui->opt.index_format);
	free(ui->opt.date_format);
	free(ui->opt.date_recent);
	ui->opt.index_format = ui->opt.date_format = ui->opt.date_recent =
	    NULL;
	memset(ui->opt.colour_set, 0, sizeof ui->opt.colour_set);
	keymap_free(ui->km);
	ui->km = keymap_new();
	ui_conf_apply(ui, conf);
	if (ui->curses) {
		ui_colors(ui);
		ui_mouse(ui);
	}
	ui->clear = true;
}

void
ui_conf_resort(struct ui *ui)
{
	struct folder	*f;
	struct screen	*s;

	if (ui->app == NULL || (f = app_folder(ui->app)) == NULL)
		return;
	folder_sort_set(f, (enum folder_sort)ui->opt.sort, ui->opt.reverse);
	folder_threads_set(f, ui->opt.threads);
	folder_view_rebuild(f);
	for (s = ui->top; s != NULL; s = s->below)
		if (s->ops->folder_changed != NULL)
			s->ops->folder_changed(ui, s);
}

/* A fresh read of the file, or NULL with msgs filled. */
static struct conf *
ui_conf_read(struct ui *ui, struct conf_msgs *msgs)
{
	struct conf	*c;

	c = conf_new();
	conf_set_key_check(c, ui_key_check, NULL);
	if (conf_load(c, ui->conf_path, 0, msgs) == -1) {
		conf_free(c);
		return NULL;
	}
	return c;
}

/* Does this change apply to the running pons at once? */
static bool
ui_conf_is_live(const struct conf_change *c)
{
	/*
	 * The running account reads its settings when it opens (the app
	 * borrows the conf it started with); OPT_F_START ones at start.
	 */
	return c->account == NULL && !c->reconnect &&
	    (opt_def_get(c->id)->flags & OPT_F_START) == 0;
}

static void
ui_conf_name_add(struct buf *b, const char *prefix, const char *name)
{
	buf_printf(b, "%s%s%s%s", b->len > 0 ? ", " : "",
	    prefix != NULL ? prefix : "", prefix != NULL ? "." : "", name);
}

/* "applied: a, b; on the next start: acct.host" into out. */
static void
ui_conf_describe(const struct conf_changes *ch, struct buf *out)
{
	struct buf		 live = BUF_INIT, later = BUF_INIT;
	const struct opt_def	*d;
	size_t			 i;

	for (i = 0; i < ch->n; i++) {
		d = opt_def_get(ch->v[i].id);
		ui_conf_name_add(ui_conf_is_live(&ch->v[i]) ? &live : &later,
		    ch->v[i].account != NULL ? ch->v[i].account :
		    d->section == OPT_SEC_COLORS ? "colors" : NULL, d->name);
	}
	if (ch->keys_changed)
		ui_conf_name_add(&live, NULL, "key bindings");
	for (i = 0; i < ch->nadded; i++)
		ui_conf_name_add(&later, "new account", ch->accounts_added[i]);
	for (i = 0; i < ch->nremoved; i++)
		ui_conf_name_add(&later, "account removed",
		    ch->accounts_removed[i]);
	if (live.len == 0 && later.len == 0)
		buf_add_str(out, "nothing changed");
	if (live.len > 0)
		buf_printf(out, "applied %s", buf_str(&live));
	if (later.len > 0)
		buf_printf(out, "%sneeds a reconnect (next start): %s",
		    live.len > 0 ? "; " : "", buf_str(&later));
	buf_fini(&live);
	buf_fini(&later);
}

static bool
ui_conf_sort_changed(const struct conf_changes *ch)
{
	size_t	 i;

	for (i = 0; i < ch->n; i++)
		if (ch->v[i].account == NULL && (ch->v[i].id == OPT_UI_SORT ||
		    ch->v[i].id == OPT_UI_SORT_REVERSE ||
		    ch->v[i].id == OPT_UI_THREADS))
			return true;
	return false;
}

/* The conf in force, or an empty one (all defaults, to be freed). */
static const struct conf *
ui_conf_base(struct ui *ui, struct conf **tofree)
{
	*tofree = NULL;
	if (ui->conf_owned != NULL)
		return ui->conf_owned;
	if (ui->conf_base != NULL)
		return ui->conf_base;
	return *tofree = conf_new();
}

void
ui_conf_reload(struct ui *ui)
{
	struct conf		*c, *empty;
	struct conf_msgs	 msgs;
	struct conf_changes	 ch;
	struct buf		 b = BUF_INIT;

	if (ui->conf_path == NULL) {
		ui_note(ui, true, "No configuration file to reload.");
		return;
	}
	conf_msgs_init(&msgs);
	if ((c = ui_conf_read(ui, &msgs)) == NULL) {
		/* the count first: the message line may cut the rest */
		ui_note(ui, true, "Not reloaded (%zu error%s, old settings "
		    "kept): %s", msgs.nerrors, msgs.nerrors == 1 ? "" : "s",
		    msgs.n > 0 ? msgs.v[0].text : ui->conf_path);
		conf_msgs_fini(&msgs);
		return;
	}
	conf_msgs_fini(&msgs);
	conf_compare(ui_conf_base(ui, &empty), c, &ch);
	conf_free(empty);
	ui_conf_reapply(ui, c);
	if (ui_conf_sort_changed(&ch))
		ui_conf_resort(ui);
	conf_free(ui->conf_owned);
	ui->conf_owned = c;
	ui_conf_describe(&ch, &b);
	ui_note(ui, false, "Reloaded: %s.", buf_str(&b));
	buf_fini(&b);
	conf_changes_fini(&ch);
}

void
ui_conf_saved(struct ui *ui)
{
	struct conf		*c;
	struct conf_msgs	 msgs;

	if (ui->conf_path == NULL)
		return;
	conf_msgs_init(&msgs);
	if ((c = ui_conf_read(ui, &msgs)) != NULL) {
		conf_free(ui->conf_owned);
		ui->conf_owned = c;
	}
	conf_msgs_fini(&msgs);
}
