/* SPDX-License-Identifier: ISC */
/*
 * The help screen (?): every key bound in the screen it was called from,
 * with its action and what it does, read from the live key map when it
 * opens, so a rebinding shows at once.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/keymap.h"
#include "ui-private.h"
#include "util/xmalloc.h"

struct screen_help {
	struct screen	 s;
	enum keymap_id	 map;		/* the screen being described */
	struct buf	 text;		/* lines, NUL-separated */
	size_t		*lines;		/* offsets into text */
	size_t		 nlines;
	size_t		 top;
};

static void
sh_line(struct screen_help *sh, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sh_line(struct screen_help *sh, const char *fmt, ...)
{
	va_list	 ap;

	sh->lines = xreallocarray(sh->lines, sh->nlines + 1,
	    sizeof *sh->lines);
	sh->lines[sh->nlines++] = sh->text.len;
	va_start(ap, fmt);
	buf_vprintf(&sh->text, fmt, ap);
	va_end(ap);
	buf_add_byte(&sh->text, '\0');
}

static void
sh_build(struct ui *ui, struct screen_help *sh)
{
	struct keymap_entry	*v;
	size_t			 n, i;
	char			 key[32];

	n = keymap_list(ui->km, sh->map, NULL, 0);
	v = xreallocarray(NULL, n ? n : 1, sizeof *v);
	keymap_list(ui->km, sh->map, v, n);
	sh_line(sh, "Keys of the %s screen:", keymap_id_name(sh->map));
	sh_line(sh, "%s", "");
	for (i = 0; i < n; i++) {
		keymap_key_name(v[i].key, key, sizeof key);
		sh_line(sh, "%-12s %-20s %s", key,
		    action_defs[v[i].action].name,
		    action_defs[v[i].action].help);
	}
	free(v);
}

static void
sh_draw(struct ui *ui, struct screen *s)
{
	struct screen_help	*sh = (struct screen_help *)s;
	int			 rows = ui_body_rows(), y;
	char			 st[128];
	const char		*l;

	screen_title(ui, KEYMAP_HELP);
	for (y = 0; y < rows && sh->top + (size_t)y < sh->nlines; y++) {
		l = sh->text.data + sh->lines[sh->top + (size_t)y];
		ui_put(ui, 1 + y, 0, COLS, A_NORMAL, l, strlen(l), false);
	}
	snprintf(st, sizeof st, "-- pons: help for %s -- (%zu keys)",
	    keymap_id_name(sh->map), sh->nlines > 2 ? sh->nlines - 2 : 0);
	ui_status_bar(ui, LINES - 2, st);
}

static bool
sh_action(struct ui *ui, struct screen *s, enum action a)
{
	struct screen_help	*sh = (struct screen_help *)s;
	size_t			 rows = (size_t)ui_body_rows();
	size_t			 max = sh->nlines > rows ? sh->nlines - rows : 0;

	switch (a) {
	case ACT_NEXT_LINE:
	case ACT_NEXT_ENTRY:
		sh->top = sh->top < max ? sh->top + 1 : max;
		break;
	case ACT_PREVIOUS_LINE:
	case ACT_PREVIOUS_ENTRY:
		sh->top = sh->top > 0 ? sh->top - 1 : 0;
		break;
	case ACT_NEXT_PAGE:
	case ACT_HALF_DOWN:
		sh->top = sh->top + rows < max ? sh->top + rows : max;
		break;
	case ACT_PREVIOUS_PAGE:
	case ACT_HALF_UP:
		sh->top = sh->top > rows ? sh->top - rows : 0;
		break;
	case ACT_TOP:
	case ACT_FIRST_ENTRY:
		sh->top = 0;
		break;
	case ACT_BOTTOM:
	case ACT_LAST_ENTRY:
		sh->top = max;
		break;
	case ACT_HELP:
		return true;	/* already here */
	default:
		return false;
	}
	ui_dirty(ui);
	return true;
}

static void
sh_mouse(struct ui *ui, struct screen *s, enum ui_mouse kind, int y, int x)
{
	if (kind == UI_MOUSE_WHEEL_UP)
		sh_action(ui, s, ACT_PREVIOUS_LINE);
	else if (kind == UI_MOUSE_WHEEL_DOWN)
		sh_action(ui, s, ACT_NEXT_LINE);
}

static void
sh_free(struct screen *s)
{
	struct screen_help	*sh = (struct screen_help *)s;

	buf_fini(&sh->text);
	free(sh->lines);
	free(sh);
}

static const struct screen_ops screen_help_ops = {
	"help", KEYMAP_HELP, sh_draw, sh_action, sh_mouse, NULL, sh_free
};

struct screen *
screen_help_new(struct ui *ui, enum keymap_id map)
{
	struct screen_help	*sh;

	sh = xcalloc(1, sizeof *sh);
	sh->s.ops = &screen_help_ops;
	sh->map = map;
	buf_init(&sh->text);
	sh_build(ui, sh);
	return &sh->s;
}
