/* SPDX-License-Identifier: ISC */
/*
 * The attachments view (v): the parts of one message.  Save one to a file
 * (path prompt with completion), pipe one to a command, or open it with
 * the command mailcap gives; external commands get the terminal cleanly.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/msgview.h"
#include "ui/indexfmt.h"
#include "ui-private.h"
#include "util/xmalloc.h"

struct screen_attach {
	struct screen	 s;
	struct msgview	*v;		/* owned */
	size_t		 cursor;
};

static void
sa_draw(struct ui *ui, struct screen *s)
{
	struct screen_attach	*sa = (struct screen_attach *)s;
	struct msgview_part	 p;
	size_t			 i, n = msgview_part_count(sa->v);
	int			 rows = ui_body_rows();
	size_t			 top = rows > 0 ? sa->cursor - sa->cursor %
				    (size_t)rows : 0;
	struct buf		 line = BUF_INIT;
	char			 size[16];

	screen_title(ui, KEYMAP_ATTACH);
	for (i = top; i < n && i < top + (size_t)rows; i++) {
		msgview_part(sa->v, i, &p);
		indexfmt_size(p.size, size, sizeof size);
		buf_reset(&line);
		buf_printf(&line, "%3zu %*s%-24s %-30s %6s", i + 1,
		    (int)p.depth * 2, "", p.type, p.name, size);
		ui_put(ui, 1 + (int)(i - top), 0, COLS, i == sa->cursor ?
		    ui->attr[UIC_INDICATOR] : A_NORMAL, buf_str(&line),
		    line.len, true);
	}
	buf_reset(&line);
	buf_printf(&line, "-- pons: attachments -- %zu part%s", n,
	    n == 1 ? "" : "s");
	ui_status_bar(ui, LINES - 2, buf_str(&line));
	buf_fini(&line);
}

static void
sa_save_done(struct ui *ui, const char *text, void *arg)
{
	struct screen_attach	*sa = arg;
	struct err		 e;

	if (text == NULL || *text == '\0')
		return;
	if (msgview_part_save(sa->v, sa->cursor, text, &e) == -1)
		ui_note(ui, true, "%s", e.msg);
	else
		ui_note(ui, false, "Saved to %s", text);
}

static void
sa_pipe_done(struct ui *ui, const char *text, void *arg)
{
	struct screen_attach	*sa = arg;
	struct buf		 data = BUF_INIT;
	struct err		 e;
	int			 rc;

	if (text == NULL || *text == '\0')
		return;
	if (msgview_part_data(sa->v, sa->cursor, &data, &e) == -1) {
		ui_note(ui, true, "%s", e.msg);
		return;
	}
	rc = ui_run_command(ui, text, &data, true);
	buf_fini(&data);
	if (rc != 0)
		ui_note(ui, true, "command exited with status %d", rc);
}

static void
sa_mailcap(struct ui *ui, struct screen_attach *sa)
{
	char		 tmpl[] = "/tmp/pons-part-XXXXXX";
	char		*cmd;
	struct err	 e;
	int		 fd, rc;

	if ((fd = mkstemp(tmpl)) == -1) {
		ui_note(ui, true, "cannot create a temporary file");
		return;
	}
	close(fd);
	unlink(tmpl);
	if (msgview_part_save(sa->v, sa->cursor, tmpl, &e) == -1) {
		ui_note(ui, true, "%s", e.msg);
		return;
	}
	if ((cmd = msgview_part_mailcap(sa->v, sa->cursor, tmpl)) == NULL) {
		struct msgview_part	 p;

		msgview_part(sa->v, sa->cursor, &p);
		ui_note(ui, true, "No mailcap entry for %s", p.type);
		unlink(tmpl);
		return;
	}
	rc = ui_run_command(ui, cmd, NULL, false);
	if (rc != 0)
		ui_note(ui, true, "%s: exit status %d", cmd, rc);
	free(cmd);
	unlink(tmpl);
}

static bool
sa_action(struct ui *ui, struct screen *s, enum action a)
{
	struct screen_attach	*sa = (struct screen_attach *)s;
	size_t			 n = msgview_part_count(sa->v);
	struct msgview_part	 p;

	switch (a) {
	case ACT_NEXT_ENTRY:
		if (sa->cursor + 1 < n)
			sa->cursor++;
		break;
	case ACT_PREVIOUS_ENTRY:
		if (sa->cursor > 0)
			sa->cursor--;
		break;
	case ACT_FIRST_ENTRY:
		sa->cursor = 0;
		break;
	case ACT_LAST_ENTRY:
		sa->cursor = n > 0 ? n - 1 : 0;
		break;
	case ACT_SAVE_ENTRY:
		msgview_part(sa->v, sa->cursor, &p);
		ui_prompt_line(ui, "Save to file: ", p.name, UI_HIST_PATH,
		    sa_save_done, sa);
		break;
	case ACT_PIPE_ENTRY:
		ui_prompt_line(ui, "Pipe to command: ", "", UI_HIST_COMMAND,
		    sa_pipe_done, sa);
		break;
	case ACT_VIEW_MAILCAP:
		sa_mailcap(ui, sa);
		break;
	default:
		return false;
	}
	ui_dirty(ui);
	return true;
}

static void
sa_free(struct screen *s)
{
	struct screen_attach	*sa = (struct screen_attach *)s;

	msgview_free(sa->v);
	free(sa);
}

static const struct screen_ops screen_attach_ops = {
	"attach", KEYMAP_ATTACH, sa_draw, sa_action, NULL, NULL, sa_free
};

struct screen *
screen_attach_new(struct ui *ui, struct msgview *v)
{
	struct screen_attach	*sa;

	sa = xcalloc(1, sizeof *sa);
	sa->s.ops = &screen_attach_ops;
	sa->v = v;
	return &sa->s;
}
