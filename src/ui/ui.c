/* SPDX-License-Identifier: ISC */
/*
 * The terminal: ncursesw setup and teardown, colours, the loop hooks
 * (terminal readable, signals, redraw once per pass), key dispatch through
 * the key maps, the message line and prompts, external commands.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <curses.h>

#include "app/app.h"
#include "app/events.h"
#include "app/folder.h"
#include "app/msgview.h"
#include "config/conf.h"
#include "loop/loop.h"
#include "ui/keymap.h"
#include "ui/render.h"
#include "ui/ui.h"
#include "ui-private.h"
#include "util/xmalloc.h"

#define UI_MIN_COLS	40
/* Draws for what the server did are this far apart at least (60 a second). */
#define UI_FRAME_MS	16
/* ... and while a mailbox's headers stream in (app_phase()). */
#define UI_STREAM_FRAME_MS 100
#define UI_MIN_LINES	10

static bool	ui_terminal_active;	/* for the fatal hook */

static void	ui_pass(void *);
static void	ui_frame(struct loop_timer *, void *);
static void	ui_tty_cb(struct loop_fd *, int, int, void *);
static void	ui_signal(int, void *);
static void	ui_ev_folder_changed(void *);
static void	ui_ev_row_changed(void *, uint32_t);
static void	ui_ev_state_changed(void *);
static void	ui_ev_note(void *, enum app_note, const char *);
static void	ui_ev_need_password(void *, const char *);
static void	ui_ev_message_ready(void *, uint32_t, const struct err *);
static void	ui_ev_folders_changed(void *);
static void	ui_ev_ask_create(void *, uint32_t, const char *, bool);

static const struct app_events ui_events = {
	ui_ev_folder_changed,
	ui_ev_row_changed,
	ui_ev_state_changed,
	ui_ev_note,
	ui_ev_need_password,
	ui_ev_message_ready,
	ui_ev_folders_changed,
	ui_ev_ask_create,
};

static void
ui_fatal_hook(void)
{
	if (ui_terminal_active) {
		ui_terminal_active = false;
		endwin();
	}
}

/*
 * The crash handler.  A fatal signal (a crash, an abort, a sanitizer's
 * report) first puts the terminal back as the shell had it, with only
 * async-signal-safe calls (tcsetattr, and write of a reset string made
 * at start), then hands the signal on: to the handler that was there
 * before (a sanitizer's, which then reports on a clean terminal) or to
 * the default action.
 */
static const int	 ui_crash_sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE,
			    SIGABRT };
#define UI_CRASH_NSIGS	(sizeof ui_crash_sigs / sizeof ui_crash_sigs[0])
static struct sigaction	 ui_crash_old[UI_CRASH_NSIGS];
static bool		 ui_crash_armed;
static struct termios	 ui_crash_tios;		/* the shell's */
static bool		 ui_crash_tios_ok;
static char		 ui_crash_seq[512];	/* terminfo resets */
static size_t		 ui_crash_len;

static void
ui_crash_seq_add(const char *cap)
{
	const char	*s = tigetstr(cap);
	size_t		 n;

	if (s == NULL || s == (const char *)-1)
		return;
	n = strlen(s);
	if (ui_crash_len + n <= sizeof ui_crash_seq) {
		memcpy(ui_crash_seq + ui_crash_len, s, n);
		ui_crash_len += n;
	}
}

static void
ui_crash(int sig, siginfo_t *si, void *uc)
{
	int	 saved = errno;
	ssize_t	 w;
	size_t	 i;

	(void)uc;
	if (ui_crash_tios_ok)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &ui_crash_tios);
	if (ui_crash_len > 0) {
		w = write(STDOUT_FILENO, ui_crash_seq, ui_crash_len);
		(void)w;	/* nothing more can be done here */
	}
	for (i = 0; i < UI_CRASH_NSIGS && ui_crash_sigs[i] != sig; i++)
		;
	if (i < UI_CRASH_NSIGS)
		(void)sigaction(sig, &ui_crash_old[i], NULL);
	else
		(void)signal(sig, SIG_DFL);
	/*
	 * A fault comes back when the instruction runs again; a signal sent
	 * by kill() or raise() must be sent again (it is blocked until this
	 * handler returns).
	 */
	if (si == NULL || si->si_code <= 0)
		(void)raise(sig);
	errno = saved;
}

/* Before newterm(): keep the shell's terminal modes for the handler. */
static void
ui_crash_save_modes(void)
{
	ui_crash_tios_ok = tcgetattr(STDIN_FILENO, &ui_crash_tios) == 0;
}

/* After newterm(): the reset strings, and the handlers. */
static void
ui_crash_arm(void)
{
	struct sigaction	 sa;
	size_t			 i;

	ui_crash_len = 0;
	ui_crash_seq_add("sgr0");
	ui_crash_seq_add("cnorm");
	ui_crash_seq_add("rmkx");
	if (tigetstr("kmous") != NULL && tigetstr("kmous") != (char *)-1) {
		/* mouse reports off (X10, button, any-event, SGR) */
		static const char	 moff[] = "\033[?1000l\033[?1002l"
		    "\033[?1003l\033[?1006l";

		if (ui_crash_len + sizeof moff - 1 <= sizeof ui_crash_seq) {
			memcpy(ui_crash_seq + ui_crash_len, moff,
			    sizeof moff - 1);
			ui_crash_len += sizeof moff - 1;
		}
	}
	ui_crash_seq_add("rmcup");
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = ui_crash;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < UI_CRASH_NSIGS; i++)
		(void)sigaction(ui_crash_sigs[i], &sa, &ui_crash_old[i]);
	ui_crash_armed = true;
}

static void
ui_crash_disarm(void)
{
	size_t	 i;

	if (!ui_crash_armed)
		return;
	for (i = 0; i < UI_CRASH_NSIGS; i++)
		(void)sigaction(ui_crash_sigs[i], &ui_crash_old[i], NULL);
	ui_crash_armed = false;
}

/* UTF-8 everywhere: the user's locale, or C.UTF-8 if it is not UTF-8. */
static void
ui_locale(void)
{
	const char	*cs;

	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	if (cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0))
		return;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "en_US.UTF-8");
}

struct ui_theme {
	short	 fg256, bg256, fg8, bg8;
	attr_t	 attr;		/* added in every mode */
	attr_t	 mono;		/* used instead of colour (NO_COLOR) */
};

/* The default theme; -1 is the terminal's default colour. */
static const struct ui_theme ui_theme[UIC_COUNT] = {
	[UIC_NORMAL] = { -1, -1, -1, -1, 0, 0 },
	[UIC_INDICATOR] = { 16, 117, COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[UIC_STATUS] = { 231, 24, COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[UIC_TITLE] = { 231, 24, COLOR_WHITE, COLOR_BLUE, 0, A_REVERSE },
	[UIC_HEADER] = { 110, -1, COLOR_CYAN, -1, 0, A_BOLD },
	[UIC_QUOTE1] = { 108, -1, COLOR_GREEN, -1, 0, 0 },
	[UIC_QUOTE2] = { 179, -1, COLOR_YELLOW, -1, 0, 0 },
	[UIC_QUOTE3] = { 73, -1, COLOR_CYAN, -1, 0, 0 },
	[UIC_QUOTE4] = { 139, -1, COLOR_MAGENTA, -1, 0, 0 },
	[UIC_SIGNATURE] = { 245, -1, COLOR_BLUE, -1, 0, A_DIM },
	[UIC_ATTACHMENT] = { 176, -1, COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
	[UIC_NOTE] = { 215, -1, COLOR_YELLOW, -1, 0, A_BOLD },
	[UIC_SEARCH] = { 16, 220, COLOR_BLACK, COLOR_YELLOW, 0,
	    A_REVERSE | A_UNDERLINE },
	[UIC_TREE] = { 242, -1, COLOR_RED, -1, 0, 0 },
	[UIC_NEW] = { -1, -1, -1, -1, A_BOLD, A_BOLD },
	[UIC_FLAGGED] = { 203, -1, COLOR_RED, -1, A_BOLD, A_BOLD },
	[UIC_DELETED] = { 244, -1, COLOR_RED, -1, 0, A_DIM },
	[UIC_ERROR] = { 196, -1, COLOR_RED, -1, A_BOLD, A_BOLD },
};

void
ui_colors(struct ui *ui)
{
	const char	*nc = getenv("NO_COLOR");
	bool		 c256;
	int		 i;

	if ((nc != NULL && *nc != '\0') || !has_colors() ||
	    start_color() == ERR) {
		for (i = 0; i < UIC_COUNT; i++)
			ui->attr[i] = ui_theme[i].mono |
			    (ui->opt.colour_set[i] ? ui->opt.attrs[i] : 0);
		return;
	}
	use_default_colors();
	c256 = COLORS >= 256;
	for (i = 0; i < UIC_COUNT; i++) {
		const struct ui_theme	*t = &ui_theme[i];
		short			 fg = c256 ? t->fg256 : t->fg8;
		short			 bg = c256 ? t->bg256 : t->bg8;

		if (i == UIC_NORMAL || init_pair((short)i, fg, bg) == ERR) {
			ui->attr[i] = t->attr | (i == UIC_NORMAL ? 0 : t->mono);
			continue;
		}
		ui->attr[i] = COLOR_PAIR(i) | t->attr;
	}
	/* [colors] from the configuration win over the theme */
	for (i = 0; i < UIC_COUNT; i++) {
		short	 fg = ui->opt.fg[i], bg = ui->opt.bg[i];

		if (!ui->opt.colour_set[i])
			continue;
		if (fg >= COLORS)
			fg = (short)(fg % 8);
		if (bg >= COLORS)
			bg = (short)(bg % 8);
		if (init_pair((short)i, fg, bg) != ERR)
			ui->attr[i] = COLOR_PAIR(i) | ui->opt.attrs[i];
	}
}

void
ui_mouse(const struct ui *ui)
{
	mmask_t	 mask = 0;

	if (ui->opt.mouse)
		mask = BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
	if (ui->opt.mouse)
		mask |= BUTTON5_PRESSED;
#endif
	mousemask(mask, NULL);
	mouseinterval(0);
}

static void
ui_curses_modes(const struct ui *ui)
{
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	ui_mouse(ui);
}

struct ui *
ui_new(struct loop *loop, const struct conf *conf, struct err *e)
{
	struct ui	*ui;
	static const int sigs[] = { SIGWINCH, SIGTERM, SIGINT, SIGHUP,
	    SIGCONT };
	size_t		 i;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		err_set(e, ERR_LOCAL, "the terminal UI needs a terminal");
		return NULL;
	}
	ui_locale();
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	ui_crash_save_modes();
	if (newterm(NULL, stdout, stdin) == NULL) {
		err_set(e, ERR_LOCAL, "cannot use terminal type %s",
		    getenv("TERM") != NULL ? getenv("TERM") : "(unset)");
		return NULL;
	}
	ui = xcalloc(1, sizeof *ui);
	ui->loop = loop;
	ui->km = keymap_new();
	ui->opt.help_bar = true;
	ui->opt.mark_read = true;
	ui->opt.wrap = true;
	ui->opt.context = 2;
	ui_conf_apply(ui, conf);
	ui->conf_base = conf;
	if (conf != NULL && conf_path(conf) != NULL)
		ui->conf_path = xstrdup(conf_path(conf));
	ui->curses = true;
	ui_terminal_active = true;
	fatal_set_hook(ui_fatal_hook);
	ui_crash_arm();
	buf_init(&ui->scratch);
	ui_curses_modes(ui);
	ui_colors(ui);
	ui->now = time(NULL);
	ui->tty = loop_fd_add(loop, STDIN_FILENO, LOOP_READ, ui_tty_cb, ui);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		loop_signal_set(loop, sigs[i], ui_signal, ui);
	loop_set_pass_cb(loop, ui_pass, ui);
	ui->frame = loop_timer_new(loop, ui_frame, ui);
	ui->index = screen_index_new(ui);
	ui->top = ui->index;
	ui->dirty = true;
	return ui;
}

static void
ui_prompt_free(struct ui_prompt *p)
{
	if (p == NULL)
		return;
	free(p->question);
	free(p->choices);
	if (p->secret)
		buf_fini_secret(&p->le.text);
	lineedit_fini(&p->le);
	free(p);
}

void
ui_free(struct ui *ui)
{
	size_t		 i;
	struct screen	*s;

	if (ui == NULL)
		return;
	loop_set_pass_cb(ui->loop, NULL, NULL);
	loop_fd_remove(ui->tty);
	loop_timer_free(ui->pw_later);
	loop_timer_free(ui->frame);
	while ((s = ui->top) != NULL) {
		ui->top = s->below;
		s->ops->free(s);
	}
	ui_prompt_free(ui->prompt);
	for (i = 0; i < UI_HIST_COUNT; i++)
		lineedit_history_clear(&ui->hist[i]);
	keymap_free(ui->km);
	for (i = 0; ui->opt.headers != NULL && ui->opt.headers[i] != NULL; i++)
		free(ui->opt.headers[i]);
	free(ui->opt.headers);
	free(ui->opt.index_format);
	free(ui->opt.date_format);
	free(ui->opt.date_recent);
	buf_fini(&ui->scratch);
	free(ui->conf_path);
	conf_free(ui->conf_owned);
	if (ui->curses) {
		endwin();
		ui_terminal_active = false;
		fatal_set_hook(NULL);
		ui_crash_disarm();
	}
	free(ui);
}

const struct app_events *
ui_app_events(void)
{
	return &ui_events;
}

/* A deferred call so the first loop pass (and its redraw) happens. */
static void
ui_kick(void *arg)
{
	struct ui	*ui = arg;

	ui->dirty = true;
}

void
ui_app_set(struct ui *ui, struct app *app)
{
	ui->app = app;
	ui_ev_folder_changed(ui);
	loop_defer(ui->loop, ui_kick, ui);
}

bool
ui_done(const struct ui *ui)
{
	return ui->done;
}

void
ui_dirty(struct ui *ui)
{
	ui->dirty = true;
}

void
ui_note(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(ui->note, sizeof ui->note, fmt, ap);
	va_end(ap);
	ui->note_error = error;
	ui->dirty = true;
}

void
ui_push(struct ui *ui, struct screen *s)
{
	s->below = ui->top;
	ui->top = s;
	ui->dirty = true;
}

void
ui_pop(struct ui *ui)
{
	struct screen	*s = ui->top;

	if (s == NULL || s == ui->index)
		return;
	ui->top = s->below;
	s->ops->free(s);
	ui->dirty = true;
}

int
ui_body_rows(void)
{
	return LINES - 3 > 0 ? LINES - 3 : 0;
}

void
ui_put(struct ui *ui, int y, int x, int cols, attr_t a, const char *s,
    size_t len, bool pad)
{
	if (cols <= 0 || y < 0 || y >= LINES)
		return;
	buf_reset(&ui->scratch);
	render_fit(&ui->scratch, s, len, cols, pad);
	attrset(a);
	mvaddnstr(y, x, buf_str(&ui->scratch), (int)ui->scratch.len);
	attrset(A_NORMAL);
}

void
ui_status_bar(struct ui *ui, int y, const char *text)
{
	ui_put(ui, y, 0, COLS, ui->attr[UIC_STATUS], text, strlen(text), true);
}

/* The last line: the prompt being edited, or the last note. */
static void
ui_draw_message_line(struct ui *ui)
{
	struct ui_prompt	*p = ui->prompt;
	int			 y = LINES - 1, qcols, before, start;
	const char		*text;

	move(y, 0);
	clrtoeol();
	if (p == NULL) {
		curs_set(0);
		ui_put(ui, y, 0, COLS, ui->note_error ? ui->attr[UIC_ERROR] :
		    ui->attr[UIC_NORMAL], ui->note, strlen(ui->note), false);
		return;
	}
	qcols = render_width(p->question, strlen(p->question));
	if (qcols > COLS / 2)
		qcols = COLS / 2;
	ui_put(ui, y, 0, qcols, A_NORMAL, p->question, strlen(p->question),
	    false);
	if (p->choice) {
		move(y, qcols < COLS - 1 ? qcols : COLS - 1);
		curs_set(1);
		return;
	}
	text = lineedit_text(&p->le);
	if (p->secret) {
		/* one '*' per character, never the text itself */
		size_t	 i, nchars = 0, ncur = 0;

		for (i = 0; text[i] != '\0'; i++)
			if ((text[i] & 0xc0) != 0x80) {
				nchars++;
				if (i < p->le.cursor)
					ncur++;
			}
		for (i = 0; i < nchars && qcols + (int)i < COLS - 1; i++)
			mvaddch(y, qcols + (int)i, '*');
		move(y, qcols + (int)(ncur < (size_t)(COLS - qcols - 1) ?
		    ncur : (size_t)(COLS - qcols - 1)));
		curs_set(1);
		return;
	}
	before = render_width(text, p->le.cursor);
	/* Scroll the line so the cursor stays visible. */
	start = 0;
	while (before - start >= COLS - qcols - 1 && text[start] != '\0') {
		start++;
		while ((text[start] & 0xc0) == 0x80)
			start++;
		before = render_width(text + start, p->le.cursor -
		    (size_t)start);
	}
	ui_put(ui, y, qcols, COLS - qcols, A_NORMAL, text + start,
	    strlen(text + start), false);
	move(y, qcols + before);
	curs_set(1);
}

/* The open folder shows no row (or there is none). */
static bool
ui_folder_empty(const struct ui *ui)
{
	struct folder	*f = ui->app != NULL ? app_folder(ui->app) : NULL;

	return f == NULL || folder_view_count(f) == 0;
}

void
ui_draw(struct ui *ui)
{
	static const char	*small = "terminal too small (40x10 needed)";

	if (ui->clear)
		clearok(curscr, TRUE);
	ui->clear = false;
	erase();
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) {
		curs_set(0);
		ui_put(ui, LINES / 2, 0, COLS, A_BOLD, small, strlen(small),
		    false);
		refresh();
		return;
	}
	ui->top->ops->draw(ui, ui->top);
	ui_draw_message_line(ui);
	refresh();
	ui->drawn_empty = ui_folder_empty(ui);
}

/*
 * Draw at the end of a loop pass that changed something.  What the user
 * did shows at once; what the server does (rows streaming in) at most
 * once a frame: a pass can be one network read, and drawing each of
 * them cost a cold open of a big mailbox a quarter of its CPU.  But the
 * first rows of an empty index and a new state (connecting, connected,
 * idle, offline) show at once too: waiting for the frame after the last
 * draw delayed the first screen and the end of a mailbox's headers by
 * up to a frame.
 *
 * While headers stream in, the frame is longer and a chunk's progress
 * (a new state too) waits for it: what changes then is a count on the status line, and
 * each draw costs pons and the terminal CPU that a server on the same
 * machine needs for the stream (a cold open of 100,000 messages drew
 * 235 times; 47 now).
 */
static void
ui_pass(void *arg)
{
	struct ui	*ui = arg;
	uint64_t	 now, frame;

	if (ui->done) {
		loop_break(ui->loop);
		return;
	}
	if (!ui->dirty || !ui->curses)
		return;
	now = loop_now();
	frame = ui->app != NULL && app_phase(ui->app) == APP_PHASE_STREAMING ?
	    UI_STREAM_FRAME_MS : UI_FRAME_MS;
	if (!ui->urgent && now - ui->drawn_at < frame) {
		if (!loop_timer_is_armed(ui->frame))
			loop_timer_set(ui->frame, ui->drawn_at + frame - now, 0);
		return;
	}
	loop_timer_stop(ui->frame);
	ui->now = time(NULL);
	ui->dirty = false;
	ui->urgent = false;
	ui->drawn_at = now;
	ui_draw(ui);
}

/* Nothing to do: the pass after a timer draws (ui_pass). */
static void
ui_frame(struct loop_timer *t, void *arg)
{
	(void)t;
	(void)arg;
}

static void
ui_resize(struct ui *ui)
{
	struct winsize	 ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0 && (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	ui->clear = true;
	ui->dirty = true;
	ui->urgent = true;
}

static void
ui_suspend(struct ui *ui)
{
	endwin();
	ui->curses = false;
	signal(SIGTSTP, SIG_DFL);
	kill(getpid(), SIGTSTP);
	/* continued */
	ui->curses = true;
	reset_prog_mode();
	ui_resize(ui);
}

static void
ui_signal(int signo, void *arg)
{
	struct ui	*ui = arg;

	switch (signo) {
	case SIGCONT:
		/* after a suspend the link may have died meanwhile */
		if (ui->app != NULL)
			app_link_check(ui->app);
		ui_resize(ui);
		break;
	case SIGWINCH:
		ui_resize(ui);
		break;
	case SIGHUP:
		ui_conf_reload(ui);
		break;
	default:
		ui->done = true;
		loop_break(ui->loop);
		break;
	}
}

void
ui_prompt_line(struct ui *ui, const char *question, const char *initial,
    enum ui_hist hist, ui_prompt_cb done, void *arg)
{
	struct ui_prompt	*p;

	ui_prompt_free(ui->prompt);
	p = xcalloc(1, sizeof *p);
	p->question = xstrdup(question);
	lineedit_init(&p->le, initial, &ui->hist[hist]);
	p->done = done;
	p->arg = arg;
	ui->prompt = p;
	ui->dirty = true;
}

void
ui_prompt_complete_set(struct ui *ui,
    void (*cb)(struct ui *, struct lineedit *, void *))
{
	if (ui->prompt != NULL && !ui->prompt->choice)
		ui->prompt->complete = cb;
}

void
ui_prompt_secret(struct ui *ui, const char *question, ui_prompt_cb done,
    void *arg)
{
	ui_prompt_line(ui, question, "", UI_HIST_SEARCH, done, arg);
	ui->prompt->secret = true;
	ui->prompt->le.hist = NULL;
	ui->prompt->le.hpos = 0;
}

void
ui_prompt_choice(struct ui *ui, const char *question, const char *choices,
    ui_choice_cb chosen, void *arg)
{
	struct ui_prompt	*p;

	ui_prompt_free(ui->prompt);
	p = xcalloc(1, sizeof *p);
	p->question = xstrdup(question);
	p->choice = true;
	p->choices = xstrdup(choices);
	lineedit_init(&p->le, "", NULL);
	p->chosen = chosen;
	p->arg = arg;
	ui->prompt = p;
	ui->dirty = true;
}

static void
ui_prompt_key(struct ui *ui, int key)
{
	struct ui_prompt	*p = ui->prompt;
	enum action		 a;
	enum lineedit_result	 r;
	char			*text;

	ui->dirty = true;
	a = keymap_get(ui->km, KEYMAP_PROMPT, key);
	if (p->choice) {
		if (a == ACT_EDIT_CANCEL || (key > 0 && key < 128 &&
		    strchr(p->choices, key) != NULL)) {
			ui_choice_cb	 cb = p->chosen;
			void		*arg = p->arg;

			ui->prompt = NULL;
			ui_prompt_free(p);
			ui->note[0] = '\0';
			cb(ui, a == ACT_EDIT_CANCEL ? -1 : key, arg);
		}
		return;
	}
	if (a == ACT_NONE) {
		if ((key & KEYMAP_FN) == 0)
			lineedit_insert(&p->le, key);
		return;
	}
	if (p->secret && a == ACT_EDIT_COMPLETE)
		return;		/* no file names in a password */
	if (a == ACT_EDIT_COMPLETE && p->complete != NULL) {
		p->complete(ui, &p->le, p->arg);
		return;
	}
	r = lineedit_action(&p->le, a);
	if (r == LINEEDIT_MORE)
		return;
	ui->prompt = NULL;
	ui->note[0] = '\0';
	text = r == LINEEDIT_ACCEPT ? xstrdup(lineedit_text(&p->le)) : NULL;
	if (text != NULL && p->le.hist != NULL && !p->secret)
		lineedit_history_add(p->le.hist, text);
	{
		ui_prompt_cb	 cb = p->done;
		void		*arg = p->arg;
		bool		 secret = p->secret;

		ui_prompt_free(p);
		cb(ui, text, arg);
		if (secret && text != NULL)
			explicit_bzero(text, strlen(text));
	}
	free(text);
}

static void
ui_quit_chosen(struct ui *ui, int key, void *arg)
{
	if (key == 'y') {
		ui->done = true;
		loop_break(ui->loop);
	}
}

/* Actions every screen shares. */
static void
ui_global_action(struct ui *ui, enum action a)
{
	switch (a) {
	case ACT_HELP:
		ui_push(ui, screen_help_new(ui, ui->top->ops->map));
		break;
	case ACT_REDRAW:
		ui->clear = true;
		ui->dirty = true;
		break;
	case ACT_QUIT:
		if (ui->opt.confirm_quit) {
			ui_prompt_choice(ui, "Quit pons? (y/n) ", "yn",
			    ui_quit_chosen, NULL);
			break;
		}
		ui->done = true;
		loop_break(ui->loop);
		break;
	case ACT_EXIT:
		if (ui->top != ui->index)
			ui_pop(ui);
		break;
	case ACT_SUSPEND:
		ui_suspend(ui);
		break;
	case ACT_SETTINGS:
		ui_settings_open(ui, false);
		break;
	case ACT_RELOAD_CONFIG:
		ui_conf_reload(ui);
		break;
	case ACT_NONE:
		ui_note(ui, false, "Key is not bound.  Press '?' for help.");
		break;
	default:
		ui_note(ui, false, "%s: not available yet",
		    action_defs[a].name);
		break;
	}
}

static void
ui_mouse_event(struct ui *ui)
{
	MEVENT		 me;
	enum ui_mouse	 kind;

	/* consume the event even when the mouse is off */
	if (getmouse(&me) != OK || !ui->opt.mouse ||
	    ui->top->ops->mouse == NULL)
		return;
	if (me.bstate & BUTTON4_PRESSED)
		kind = UI_MOUSE_WHEEL_UP;
#ifdef BUTTON5_PRESSED
	else if (me.bstate & BUTTON5_PRESSED)
		kind = UI_MOUSE_WHEEL_DOWN;
#endif
	else if (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
		kind = UI_MOUSE_CLICK;
	else
		return;
	ui->top->ops->mouse(ui, ui->top, kind, me.y, me.x);
	ui->dirty = true;
}

void
ui_key(struct ui *ui, int key)
{
	enum action	 a;

	if (key == (KEYMAP_FN | KEY_RESIZE)) {
		/* resizeterm() queued this: the size is already applied */
		ui->clear = true;
		ui->dirty = true;
		return;
	}
	if (key == (KEYMAP_FN | KEY_MOUSE)) {
		ui_mouse_event(ui);
		return;
	}
	if (ui->grab != NULL && ui->prompt == NULL) {
		void	(*cb)(struct ui *, int, void *) = ui->grab;

		ui->grab = NULL;
		ui->dirty = true;
		cb(ui, key, ui->grab_arg);
		return;
	}
	if (ui->prompt != NULL) {
		ui_prompt_key(ui, key);
		return;
	}
	ui->note[0] = '\0';
	ui->dirty = true;
	a = keymap_get(ui->km, ui->top->ops->map, key);
	if (a != ACT_NONE && ui->top->ops->action(ui, ui->top, a))
		return;
	ui_global_action(ui, a);
}

static void
ui_tty_cb(struct loop_fd *fd, int fdno, int events, void *arg)
{
	struct ui	*ui = arg;
	wint_t		 wc;
	int		 rc, n = 0;

	if (!ui->curses)
		return;
	ui->urgent = true;	/* the keys' effect shows at once */
	while (!ui->done && n++ < 256 &&
	    (rc = get_wch(&wc)) != ERR) {
		if (rc == KEY_CODE_YES)
			ui_key(ui, KEYMAP_FN | (int)wc);
		else
			ui_key(ui, (int)wc);
	}
	if ((events & LOOP_ERROR) && !ui->done) {
		/* the terminal went away (hangup) */
		ui->done = true;
		loop_break(ui->loop);
	}
}

int
ui_run_command(struct ui *ui, const char *cmd, const struct buf *input,
    bool wait_key)
{
	pid_t	 pid;
	int	 status = -1, fds[2] = { -1, -1 };
	size_t	 off = 0;
	ssize_t	 n;

	def_prog_mode();
	endwin();
	ui->curses = false;
	fflush(stdout);
	if (input != NULL && pipe(fds) == -1)
		goto restore;
	if ((pid = fork()) == -1)
		goto restore;
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (input != NULL) {
			dup2(fds[0], STDIN_FILENO);
			close(fds[0]);
			close(fds[1]);
		}
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (input != NULL) {
		close(fds[0]);
		fds[0] = -1;
		while (off < input->len) {
			n = write(fds[1], input->data + off, input->len - off);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			off += (size_t)n;
		}
		close(fds[1]);
		fds[1] = -1;
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
restore:
	if (fds[0] != -1)
		close(fds[0]);
	if (fds[1] != -1)
		close(fds[1]);
	if (wait_key || status != 0) {
		char	 c;

		fputs("\nPress any key to return to pons...", stdout);
		fflush(stdout);
		{
			/* the terminal is in program mode: one byte is a key */
			reset_prog_mode();
			nodelay(stdscr, FALSE);
			(void)read(STDIN_FILENO, &c, 1);
			nodelay(stdscr, TRUE);
		}
	}
	reset_prog_mode();
	ui->curses = true;
	ui_resize(ui);
	if (status == -1)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
ui_ev_folder_changed(void *arg)
{
	struct ui	*ui = arg;
	struct screen	*s;

	for (s = ui->top; s != NULL; s = s->below)
		if (s->ops->folder_changed != NULL)
			s->ops->folder_changed(ui, s);
	ui->dirty = true;
	if (ui->drawn_empty && !ui_folder_empty(ui))
		ui->urgent = true;	/* the first screen */
}

static void
ui_ev_row_changed(void *arg, uint32_t row)
{
	struct ui	*ui = arg;

	ui->dirty = true;
}

static void
ui_ev_folders_changed(void *arg)
{
	struct ui	*ui = arg;

	ui->dirty = true;
}

static void
ui_ev_state_changed(void *arg)
{
	struct ui	*ui = arg;

	ui->dirty = true;
	if (ui->app == NULL || app_phase(ui->app) != APP_PHASE_STREAMING)
		ui->urgent = true;
}

static void
ui_ev_note(void *arg, enum app_note kind, const char *text)
{
	struct ui	*ui = arg;

	ui_note(ui, kind == APP_NOTE_ERROR, "%s", text);
}

static void
ui_password_done(struct ui *ui, const char *text, void *arg)
{
	if (text == NULL) {
		ui_note(ui, false, "No password: not logged in, mail is not "
		    "downloaded (G asks again).");
		return;
	}
	app_password_set(ui->app, text);
}

static void
ui_password_later(struct loop_timer *t, void *arg)
{
	struct ui	*ui = arg;

	ui_ev_need_password(ui, ui->pw_account);
}

static void
ui_ev_need_password(void *arg, const char *account)
{
	struct ui	*ui = arg;
	char		 q[256];

	if (ui->prompt != NULL && !ui->prompt->secret) {
		/* the user is answering another prompt: never take it over */
		if (account != ui->pw_account)
			snprintf(ui->pw_account, sizeof ui->pw_account, "%s",
			    account);
		if (ui->pw_later == NULL)
			ui->pw_later = loop_timer_new(ui->loop,
			    ui_password_later, ui);
		loop_timer_set(ui->pw_later, 200, 0);
		return;
	}

	/* the error (a refusal) stays on the status bar */
	snprintf(q, sizeof q, "Password for %s%s: ", account,
	    ui->note_error && ui->note[0] != '\0' ? " (again)" : "");
	ui_prompt_secret(ui, q, ui_password_done, NULL);
}

/* A move refused for a missing folder: ask now, unless the user is
 * answering another prompt (then the refusal note stays). */
static void
ui_ev_ask_create(void *arg, uint32_t row, const char *folder, bool move)
{
	struct ui	*ui = arg;

	if (ui->prompt == NULL)
		screen_index_transfer_ask(ui, row, folder, move);
}

static void
ui_ev_message_ready(void *arg, uint32_t row, const struct err *e)
{
	struct ui	*ui = arg;
	struct screen	*s;

	for (s = ui->top; s != NULL; s = s->below)
		screen_pager_ready(ui, s, row, e);
	ui->dirty = true;
}
