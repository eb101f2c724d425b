/* SPDX-License-Identifier: ISC */
/*
 * Benchmark of the index screen over a 1,000,000-row folder: CPU time of
 * a key press (move, page, last, search next and previous, entering a
 * search, which builds its match set) and of a full 200x60 redraw, with
 * ncurses writing to /dev/null.  Not a test: prints figures.
 *
 *	bench/bench-ui [ROWS]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "app/app.h"
#include "app/folder.h"
#include "loop/loop.h"
#include "ui/keymap.h"
#include "ui-private.h"
#include "util/xmalloc.h"

static double
cpu_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static struct folder *
bench_folder(size_t n)
{
	static const char *const names[] = { "Alice Example", "Bob",
	    "Carol Jones", "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e",
	    "dave@example.org" };
	struct folder		*f = folder_new("bench");
	struct folder_msg	 m;
	char			 subj[80], id[40], parent[40];
	size_t			 i;

	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof m);
		snprintf(subj, sizeof subj, "%sReport number %zu about things",
		    i % 3 ? "Re: " : "", i / 3);
		snprintf(id, sizeof id, "%zu@bench", i);
		snprintf(parent, sizeof parent, "%zu@bench", i - i % 3);
		m.from = names[i % 5];
		m.to = "me@example.net";
		m.subject = subj;
		m.msgid = id;
		m.parent = i % 3 ? parent : "";
		m.date = 1700000000 + (int64_t)i * 60;
		m.received = m.date;
		m.size = 1000 + i % 50000;
		m.flags = i % 7 ? FOLDER_SEEN : 0;
		folder_add(f, &m);
	}
	return f;
}

static void
bench_keys(struct ui *ui, const char *what, int key, int count)
{
	double	 t0, t1;
	int	 i;

	t0 = cpu_ms();
	for (i = 0; i < count; i++) {
		ui_key(ui, key);
		ui->note[0] = '\0';
	}
	t1 = cpu_ms();
	printf("%-28s %10.3f us CPU per key (%d keys)\n", what,
	    (t1 - t0) * 1000 / count, count);
}

/*
 * Enter a search: time the Enter key (the first slice of the match set),
 * then the loop passes that build the rest, and the slowest of them.
 */
static void
bench_search(struct ui *ui, struct folder *f, const char *p)
{
	double	 t0, t1, slowest = 0, total = 0;
	int	 passes = 0;

	ui_key(ui, '/');
	while (*p != '\0')
		ui_key(ui, *p++);
	t0 = cpu_ms();
	ui_key(ui, '\r');
	t1 = cpu_ms();
	ui->note[0] = '\0';
	printf("%-28s %10.3f ms CPU (first slice)\n", "/ ... Enter", t1 - t0);
	while (!folder_search_complete(f)) {
		t0 = cpu_ms();
		loop_run_once(ui->loop, 0);
		t1 = cpu_ms();
		if (t1 - t0 > slowest)
			slowest = t1 - t0;
		total += t1 - t0;
		passes++;
	}
	ui->note[0] = '\0';
	printf("%-28s %10.3f ms CPU in %d passes, slowest %.3f ms\n",
	    "  rest of the match set", total, passes, slowest);
}

int
main(int argc, char **argv)
{
	size_t		 n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	struct ui	*ui;
	struct app	*app;
	struct folder	*f;
	FILE		*out, *in;
	double		 t0, t1;
	int		 i;

	setenv("TZ", "UTC", 1);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	if (out == NULL || in == NULL || newterm("xterm-256color", out, in) ==
	    NULL) {
		fprintf(stderr, "bench-ui: no terminal description\n");
		return 1;
	}
	resizeterm(60, 200);
	t0 = cpu_ms();
	f = bench_folder(n);
	t1 = cpu_ms();
	printf("%-28s %8.1f ms CPU (%zu rows)\n", "build model", t1 - t0, n);
	t0 = cpu_ms();
	folder_view_rebuild(f);
	t1 = cpu_ms();
	printf("%-28s %8.1f ms CPU\n", "sort by date", t1 - t0);

	ui = xcalloc(1, sizeof *ui);
	ui->km = keymap_new();
	ui->opt.help_bar = true;
	ui->opt.sort = FOLDER_SORT_DATE;
	ui->now = time(NULL);
	buf_init(&ui->scratch);
	for (i = 0; i < UIC_COUNT; i++)
		ui->attr[i] = A_NORMAL;
	ui->attr[UIC_INDICATOR] = A_REVERSE;
	ui->loop = loop_new();
	ui->index = screen_index_new(ui);
	ui->top = ui->index;
	app = app_new(NULL, NULL);
	ui->app = app;
	app_folder_take(app, f);
	t0 = cpu_ms();
	ui->index->ops->folder_changed(ui, ui->index);
	t1 = cpu_ms();
	printf("%-28s %8.1f ms CPU\n", "open (first unread)", t1 - t0);

	bench_keys(ui, "j (next entry)", 'j', 100000);
	bench_keys(ui, "k (previous entry)", 'k', 50000);
	bench_keys(ui, "PageDown", KEYMAP_FN | KEY_NPAGE, 10000);
	bench_keys(ui, "PageUp", KEYMAP_FN | KEY_PPAGE, 10000);
	bench_keys(ui, "* (last)", '*', 1000);
	bench_keys(ui, "= (first)", '=', 1000);
	bench_keys(ui, "N (toggle new)", 'N', 10000);

	/* search next over a pattern every 1,000th row matches */
	bench_search(ui, f, "number 3333");
	bench_keys(ui, "n (search next, sparse)", 'n', 1000);
	bench_keys(ui, "p (search previous)", 'p', 1000);
	bench_search(ui, f, "~s nowhere");
	bench_keys(ui, "n (search, no match: 1M)", 'n', 100);
	/* a changed row is matched again, alone */
	bench_search(ui, f, "~N");
	bench_keys(ui, "N (toggle new, searching)", 'N', 10000);
	bench_keys(ui, "n (search next, dense)", 'n', 10000);

	t0 = cpu_ms();
	for (i = 0; i < 1000; i++) {
		ui_key(ui, 'j');
		ui->clear = false;
		ui_draw(ui);
	}
	t1 = cpu_ms();
	printf("%-28s %8.4f ms CPU per redraw (200x60, 1000 draws)\n",
	    "key + redraw", (t1 - t0) / 1000);

	t0 = cpu_ms();
	folder_threads_set(f, true);
	folder_view_rebuild(f);
	t1 = cpu_ms();
	printf("%-28s %8.1f ms CPU\n", "threads on (rebuild)", t1 - t0);
	t0 = cpu_ms();
	for (i = 0; i < 1000; i++) {
		ui_key(ui, 'j');
		ui_draw(ui);
	}
	t1 = cpu_ms();
	printf("%-28s %8.4f ms CPU per redraw (threaded)\n", "key + redraw",
	    (t1 - t0) / 1000);

	endwin();
	ui->index->ops->free(ui->index);
	loop_free(ui->loop);
	keymap_free(ui->km);
	buf_fini(&ui->scratch);
	free(ui);
	app_free(app);
	fclose(out);
	fclose(in);
	return 0;
}
