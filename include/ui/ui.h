/* SPDX-License-Identifier: ISC */
/*
 * ui.h: the terminal UI.  It runs on the one event loop: the terminal is
 * one of the loop's descriptors, SIGWINCH/SIGTERM/SIGINT/SIGHUP/SIGCONT
 * arrive as loop callbacks, and the screen is redrawn once per loop pass
 * when something changed.  It reads the app's models and calls app_*()
 * for actions; it never waits on the network.
 */
#ifndef PONS_UI_UI_H
#define PONS_UI_UI_H

#include <stdbool.h>

#include "util/err.h"

struct app;
struct app_events;
struct conf;
struct loop;
struct ui;

/*
 * Take over the terminal (ncursesw, UTF-8) and register with loop.
 * conf (may be NULL: defaults) gives the [ui] options, the [colors] and
 * the [keys.SCREEN] bindings; it is only read during the call.
 * Returns NULL with e set if the terminal cannot be used.
 */
struct ui	*ui_new(struct loop *, const struct conf *, struct err *e);
/* Give the terminal back (endwin) and unregister.  NULL is fine. */
void		 ui_free(struct ui *);
/*
 * The app events table the UI wants (pass to app_new() with the ui as
 * arg), and the app the UI shows (borrowed; set once after app_new()).
 */
const struct app_events *ui_app_events(void);
void		 ui_app_set(struct ui *, struct app *);
/*
 * The [keys.SCREEN] validator to register with conf_set_key_check()
 * before the configuration is loaded (arg unused).
 */
int		 ui_key_check(void *arg, const char *screen, const char *action,
		    struct err *e);
/*
 * Open the settings screen on top (pons --settings, key S).  With
 * standalone, leaving it leaves pons.
 */
void		 ui_settings_open(struct ui *, bool standalone);
/* True once the user asked to leave (q, SIGTERM, SIGHUP). */
bool		 ui_done(const struct ui *);

#endif
