/* SPDX-License-Identifier: ISC */
/*
 * The settings screen's rows: built from the option table, the accounts
 * and the action registry; their text, their marks and the search.  No
 * drawing here (screen-settings.c draws), so it is unit-tested as is.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include <curses.h>

#include "config/conf.h"
#include "config/options.h"
#include "ui/keymap.h"
#include "settings.h"
#include "ui-private.h"
#include "util/xmalloc.h"

static struct srow *
sr_add(struct srows *r, enum srow_kind kind)
{
	struct srow	*row;

	r->v = xreallocarray(r->v, r->n + 1, sizeof *r->v);
	row = &r->v[r->n++];
	memset(row, 0, sizeof *row);
	row->kind = kind;
	return row;
}

static void
sr_section(struct srows *r, const char *title, const char *account)
{
	struct srow	*row = sr_add(r, SROW_SECTION);

	row->account = account != NULL ? xstrdup(account) : NULL;
	row->title = title;
}

static void
sr_options(struct srows *r, enum opt_section sec, const char *account,
    int proto)
{
	const struct opt_def	*d;
	struct srow		*row;
	unsigned int		 id;

	for (id = 0; id < OPT_COUNT; id++) {
		d = opt_def_get((enum opt_id)id);
		if (d->section != sec)
			continue;
		/* the other protocol's policies only clutter the list */
		if ((d->flags & OPT_F_POP3) && proto == OPT_PROTO_IMAP)
			continue;
		if ((d->flags & OPT_F_IMAP) && proto == OPT_PROTO_POP3)
			continue;
		row = sr_add(r, SROW_OPTION);
		row->id = (enum opt_id)id;
		row->account = account != NULL ? xstrdup(account) : NULL;
	}
}

/* The screens whose keys can be rebound here (the prompt's cannot). */
static const enum keymap_id sr_maps[] = {
	KEYMAP_INDEX, KEYMAP_PAGER, KEYMAP_ATTACH, KEYMAP_HELP,
	KEYMAP_SETTINGS,
};

void
settings_rows_build(struct srows *r, const struct conf *c)
{
	struct conf_account	*a;
	const struct opts	*o;
	size_t			 i, m;
	unsigned int		 act;

	memset(r, 0, sizeof *r);
	sr_section(r, "General", NULL);
	sr_options(r, OPT_SEC_GENERAL, NULL, -1);
	sr_section(r, "Display", NULL);
	sr_options(r, OPT_SEC_UI, NULL, -1);
	sr_options(r, OPT_SEC_COLORS, NULL, -1);
	sr_section(r, "Keys", NULL);
	for (m = 0; m < sizeof sr_maps / sizeof sr_maps[0]; m++)
		for (act = 1; act < ACT_COUNT; act++) {
			struct srow	*row;

			if ((action_defs[act].maps & (1U << sr_maps[m])) == 0)
				continue;
			row = sr_add(r, SROW_KEY);
			row->map = sr_maps[m];
			row->act = (enum action)act;
		}
	for (i = 0; i < conf_account_count(c); i++) {
		a = conf_account_at(c, i);
		o = conf_account_opts(a);
		sr_section(r, "Account", conf_account_name(a));
		sr_options(r, OPT_SEC_ACCOUNT, conf_account_name(a),
		    opt_is_set(o, OPT_ACCOUNT_PROTOCOL) ?
		    opt_enum(o, OPT_ACCOUNT_PROTOCOL) : -1);
	}
	sr_add(r, SROW_ADD_ACCOUNT);
}

void
settings_rows_free(struct srows *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].account);
	free(r->v);
	memset(r, 0, sizeof *r);
}

struct conf_account *
settings_row_account(const struct srow *row, const struct conf *c)
{
	if (row->account == NULL)
		return NULL;
	return conf_account_find(c, row->account);
}

const struct opts *
settings_row_opts(const struct srow *row, const struct conf *c)
{
	struct conf_account	*a;

	if (row->account == NULL)
		return conf_opts(c);
	if ((a = conf_account_find(c, row->account)) == NULL)
		return NULL;
	return conf_account_opts(a);
}

void
settings_row_name(const struct srow *row, struct buf *out)
{
	switch (row->kind) {
	case SROW_SECTION:
		if (row->account != NULL)
			buf_printf(out, "%s \"%s\"", row->title, row->account);
		else
			buf_add_str(out, row->title);
		break;
	case SROW_OPTION:
		if (opt_def_get(row->id)->section == OPT_SEC_COLORS)
			buf_add_str(out, "color.");
		buf_add_str(out, opt_def_get(row->id)->name);
		break;
	case SROW_KEY:
		buf_printf(out, "%s: %s", keymap_id_name(row->map),
		    action_defs[row->act].name);
		break;
	case SROW_ADD_ACCOUNT:
		buf_add_str(out, "Add an account...");
		break;
	}
}

/* The keys bound to act in map, as "d, <Delete>"; false if none. */
static bool
sr_keys(const struct keymap *km, enum keymap_id map, enum action act,
    struct buf *out)
{
	struct keymap_entry	*v;
	size_t			 n, i, found = 0;
	char			 name[32];

	n = keymap_list(km, map, NULL, 0);
	v = xreallocarray(NULL, n ? n : 1, sizeof *v);
	keymap_list(km, map, v, n);
	for (i = 0; i < n; i++) {
		if (v[i].action != act)
			continue;
		keymap_key_name(v[i].key, name, sizeof name);
		buf_printf(out, "%s%s", found++ ? ", " : "", name);
	}
	free(v);
	return found > 0;
}

void
settings_row_value(const struct srow *row, const struct conf *c,
    const struct keymap *km, struct buf *out)
{
	const struct opts	*o;
	const char		*t;

	switch (row->kind) {
	case SROW_OPTION:
		if ((o = settings_row_opts(row, c)) == NULL)
			break;
		if (opt_def_get(row->id)->flags & OPT_F_SENSITIVE) {
			buf_add_str(out, opt_is_set(o, row->id) ? "(set)" :
			    "(unset)");
			break;
		}
		if ((t = opt_text(o, row->id)) != NULL) {
			buf_add_str(out, t);
			break;
		}
		if (row->id == OPT_ACCOUNT_PORT && opt_is_set(o,
		    OPT_ACCOUNT_PROTOCOL)) {
			buf_printf(out, "%d (default)", conf_account_port(
			    settings_row_account(row, c)));
			break;
		}
		if (row->id == OPT_ACCOUNT_SPOOL &&
		    settings_row_account(row, c) != NULL) {
			char	*p = conf_account_spool(
			    settings_row_account(row, c));

			buf_printf(out, "%s (default)", p);
			free(p);
			break;
		}
		buf_add_str(out, "(unset)");
		break;
	case SROW_KEY:
		if (!sr_keys(km, row->map, row->act, out))
			buf_add_str(out, "(none)");
		break;
	default:
		break;
	}
}

bool
settings_row_changed(const struct srow *row, const struct conf *c,
    const struct keymap *km, const struct keymap *defaults)
{
	const struct opts	*o;
	struct buf		 a = BUF_INIT, b = BUF_INIT;
	bool			 rv;

	switch (row->kind) {
	case SROW_OPTION:
		if ((o = settings_row_opts(row, c)) == NULL)
			return false;
		return !opt_is_default(o, row->id);
	case SROW_KEY:
		sr_keys(km, row->map, row->act, &a);
		sr_keys(defaults, row->map, row->act, &b);
		rv = strcmp(buf_str(&a), buf_str(&b)) != 0;
		buf_fini(&a);
		buf_fini(&b);
		return rv;
	default:
		return false;
	}
}

void
settings_row_help(const struct srow *row, struct buf *out)
{
	const struct opt_def	*d;
	size_t			 i;

	switch (row->kind) {
	case SROW_SECTION:
		if (row->account != NULL)
			buf_add_str(out, "r: rename this account, x: remove "
			    "it, a: add one");
		else
			buf_add_str(out, "Enter: change, D: default, w: save, "
			    "/: find, q: leave");
		return;
	case SROW_KEY:
		buf_printf(out, "%s; Enter, then press the key to bind",
		    action_defs[row->act].help);
		return;
	case SROW_ADD_ACCOUNT:
		buf_add_str(out, "Add an account: IMAP (two-way, live) or POP3 "
		    "(one-way download)");
		return;
	case SROW_OPTION:
		break;
	}
	d = opt_def_get(row->id);
	buf_add_str(out, d->help);
	switch (d->type) {
	case OPT_T_BOOL:
		buf_add_str(out, " [yes/no]");
		break;
	case OPT_T_ENUM:
		buf_add_str(out, " [");
		for (i = 0; d->choices[i] != NULL; i++)
			buf_printf(out, "%s%s", i ? ", " : "", d->choices[i]);
		buf_add_str(out, "]");
		break;
	case OPT_T_INT:
		buf_printf(out, " [%lld..%lld]", (long long)d->min,
		    (long long)d->max);
		break;
	case OPT_T_DURATION:
	case OPT_T_SIZE: {
		struct buf	 lo = BUF_INIT, hi = BUF_INIT;

		if (d->type == OPT_T_DURATION) {
			opt_format_duration(d->min, &lo);
			opt_format_duration(d->max, &hi);
		} else {
			opt_format_size(d->min, &lo);
			opt_format_size(d->max, &hi);
		}
		buf_printf(out, " [%s..%s]", buf_str(&lo), buf_str(&hi));
		buf_fini(&lo);
		buf_fini(&hi);
		break;
	}
	default:
		break;
	}
	if (d->default_text != NULL && *d->default_text != '\0')
		buf_printf(out, " (default: %s)", d->default_text);
	/* the table says when a change takes effect */
	if (d->flags & OPT_F_RECONNECT)
		buf_add_str(out, "; applies on the next connection");
	else if (d->flags & OPT_F_START)
		buf_add_str(out, "; applies when pons starts");
	else if (d->section == OPT_SEC_ACCOUNT)
		buf_add_str(out, "; applies when the account opens");
	else
		buf_add_str(out, "; applies at once");
}

/* Case-insensitive: is word[0..len) inside s? */
static bool
sr_contains(const char *s, const char *word, size_t len)
{
	size_t	 n = strlen(s), i;

	for (i = 0; i + len <= n; i++)
		if (strncasecmp(s + i, word, len) == 0)
			return true;
	return false;
}

bool
settings_row_match(const struct srow *row, const char *query)
{
	struct buf	 name = BUF_INIT, help = BUF_INIT;
	const char	*p = query, *w;
	size_t		 len, words = 0;
	bool		 ok = true;

	if (row->kind == SROW_SECTION)
		return false;
	settings_row_name(row, &name);
	settings_row_help(row, &help);
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		w = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		len = (size_t)(p - w);
		words++;
		if (!sr_contains(buf_str(&name), w, len) &&
		    !sr_contains(buf_str(&help), w, len)) {
			ok = false;
			break;
		}
	}
	buf_fini(&name);
	buf_fini(&help);
	return ok && words > 0;
}

void
settings_row_format(const struct srow *row, const struct conf *c,
    const struct keymap *km, const struct keymap *defaults, bool unsaved,
    int namew, struct buf *out)
{
	struct buf	 name = BUF_INIT;
	size_t		 len;

	settings_row_name(row, &name);
	if (row->kind == SROW_SECTION || row->kind == SROW_ADD_ACCOUNT) {
		buf_add_str(out, buf_str(&name));
		buf_fini(&name);
		return;
	}
	buf_add_byte(out, settings_row_changed(row, c, km, defaults) ?
	    '*' : ' ');
	buf_add_byte(out, unsaved ? '+' : ' ');
	buf_add_byte(out, ' ');
	buf_add_str(out, buf_str(&name));
	for (len = name.len; len < (size_t)namew; len++)
		buf_add_byte(out, ' ');
	buf_add_byte(out, ' ');
	settings_row_value(row, c, km, out);
	buf_fini(&name);
}

int
settings_key_text(int key, struct buf *out)
{
	static const struct {
		int		 key;
		const char	*name;
	} named[] = {
		{ KEYMAP_FN | KEY_UP, "<Up>" },
		{ KEYMAP_FN | KEY_DOWN, "<Down>" },
		{ KEYMAP_FN | KEY_LEFT, "<Left>" },
		{ KEYMAP_FN | KEY_RIGHT, "<Right>" },
		{ KEYMAP_FN | KEY_PPAGE, "<PageUp>" },
		{ KEYMAP_FN | KEY_NPAGE, "<PageDown>" },
		{ KEYMAP_FN | KEY_HOME, "<Home>" },
		{ KEYMAP_FN | KEY_END, "<End>" },
		{ KEYMAP_FN | KEY_IC, "<Insert>" },
		{ KEYMAP_FN | KEY_DC, "<Delete>" },
		{ KEYMAP_FN | KEY_BACKSPACE, "<Backspace>" },
		{ KEYMAP_FN | KEY_BTAB, "<BackTab>" },
		{ '\r', "<Enter>" }, { '\t', "<Tab>" }, { 27, "<Escape>" },
		{ ' ', "<Space>" },
	};
	char		 mb[MB_LEN_MAX];
	mbstate_t	 mbs;
	size_t		 i, len;
	int		 k;

	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		if (named[i].key == key) {
			buf_add_str(out, named[i].name);
			return 0;
		}
	if (key & KEYMAP_FN) {
		k = key & ~KEYMAP_FN;
		if (k >= KEY_F(1) && k <= KEY_F(24)) {
			buf_printf(out, "<F%d>", k - KEY_F(0));
			return 0;
		}
		return -1;
	}
	if (key >= 1 && key <= 26) {
		buf_printf(out, "C-%c", 'a' + key - 1);
		return 0;
	}
	if (key == 0 || (key >= 28 && key <= 31)) {
		buf_printf(out, "C-%c", key == 0 ? '@' : "\\]^_"[key - 28]);
		return 0;
	}
	if (key < 0 || key == 127 || (key >= 0x80 && key < 0xa0) ||
	    key > 0x10ffff)
		return -1;
	if (key < 0x80) {
		if (strchr("#;[=\\\"", key) != NULL)
			buf_add_byte(out, '\\');
		buf_add_byte(out, (unsigned char)key);
		return 0;
	}
	memset(&mbs, 0, sizeof mbs);
	if ((len = wcrtomb(mb, (wchar_t)key, &mbs)) == (size_t)-1)
		return -1;
	buf_add(out, mb, len);
	return 0;
}

struct keymap *
settings_keymap(const struct conf *c)
{
	struct keymap		*km = keymap_new();
	const struct conf_key	*k;
	struct conf_keyspec	 ks;
	struct err		 e;
	size_t			 i;
	int			 id, key;

	for (i = 0; i < conf_key_count(c); i++) {
		k = conf_key_at(c, i);
		if ((id = keymap_id_find(k->screen)) == -1 ||
		    conf_key_parse(k->key, &ks, NULL, &e) == -1 ||
		    (key = ui_conf_key(&ks)) == -1)
			continue;
		keymap_bind(km, (enum keymap_id)id, key,
		    k->action != NULL ? action_find(k->action) : ACT_NONE);
	}
	return km;
}
