/* SPDX-License-Identifier: ISC */
/*
 * A POP3 account in the interactive client: the folder is the account's
 * spool Maildir (app.c reads it like any Maildir and polls it for new
 * files); here downloads run in the background on the loop, at start,
 * every check_interval and on request.  pop3_fetch takes the spool lock,
 * the one `pons fetch` takes, so two downloads never share a spool.
 * Deleting is local: it never reaches the server.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/app-account.h"
#include "app/pop3-fetch.h"
#include "loop/loop.h"
#include "util/err.h"
#include "util/xmalloc.h"
#include "compat.h"

struct app_pop3 {
	struct app			*app;
	struct pop3_fetch_params	 p;	/* strings owned */
	struct pop3_fetch		*fetch;	/* running, or NULL */
	struct loop_timer		*timer;
	unsigned int			 interval;	/* seconds, 0: none */
	bool				 told_delete;
	char				 state[96];
};

static void	ap_done(struct pop3_fetch *, void *);
static void	ap_fetch(void *);
static void	ap_free(void *);

static char *
ap_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
ap_progress(struct pop3_fetch *pf, void *arg)
{
	struct app_pop3			*ap = arg;
	const struct pop3_fetch_result	*r = pop3_fetch_result(pf);

	snprintf(ap->state, sizeof ap->state, "downloading %zu/%zu",
	    r->fetched + r->dups + r->failed, r->queued);
	app_emit_state_changed(ap->app);
}

static void
ap_done_later(void *arg)
{
	struct app_pop3			*ap = arg;
	const struct pop3_fetch_result	*r;
	char				 note[512];

	if (ap->fetch == NULL)
		return;
	r = pop3_fetch_result(ap->fetch);
	if (!r->ok && r->err.cls == ERR_TEMP)
		snprintf(note, sizeof note, "%s: not downloaded: %s",
		    ap->p.name, r->err.msg);
	else if (!r->ok)
		snprintf(note, sizeof note, "%s: download failed: %s",
		    ap->p.name, r->err.msg);
	else if (r->fetched > 0)
		snprintf(note, sizeof note, "%s: %zu new message%s "
		    "downloaded.", ap->p.name, r->fetched,
		    r->fetched == 1 ? "" : "s");
	else
		snprintf(note, sizeof note, "%s: no new mail.", ap->p.name);
	app_emit_note(ap->app, r->ok ? APP_NOTE_INFO : APP_NOTE_ERROR, note);
	pop3_fetch_free(ap->fetch);
	ap->fetch = NULL;
	ap->state[0] = '\0';
	app_emit_state_changed(ap->app);
	if (ap->interval > 0)
		loop_timer_set(ap->timer, (uint64_t)ap->interval * 1000, 0);
}

static void
ap_done(struct pop3_fetch *pf, void *arg)
{
	struct app_pop3	*ap = arg;

	(void)pf;
	/* the fetch is freed outside its own callback chain */
	loop_defer(app_loop(ap->app), ap_done_later, ap);
}

static void
ap_timer(struct loop_timer *t, void *arg)
{
	(void)t;
	ap_fetch(arg);
}


static const char *
ap_state(void *arg)
{
	struct app_pop3	*ap = arg;

	return ap->state[0] != '\0' ? ap->state : NULL;
}

static void
ap_deleting(void *arg)
{
	struct app_pop3	*ap = arg;

	if (ap->told_delete)
		return;
	ap->told_delete = true;
	app_emit_note(ap->app, APP_NOTE_INFO, "POP3: deleting is local only; "
	    "the copy on the server is never touched.");
}

static const struct app_backend ap_backend = {
	ap_state, NULL, NULL, NULL, NULL, ap_deleting, ap_fetch, ap_free
};

void
app_pop3_open(struct app *app, const struct pop3_fetch_params *p,
    unsigned int interval_s)
{
	struct app_pop3	*ap;

	ap = xcalloc(1, sizeof *ap);
	ap->app = app;
	ap->p = *p;
	ap->p.name = ap_dup(p->name);
	ap->p.host = ap_dup(p->host);
	ap->p.port = ap_dup(p->port);
	ap->p.ca_file = ap_dup(p->ca_file);
	ap->p.user = ap_dup(p->user);
	ap->p.password = ap_dup(p->password);
	ap->p.spool = ap_dup(p->spool);
	ap->interval = interval_s;
	ap->timer = loop_timer_new(app_loop(app), ap_timer, ap);
	app_backend_attach(app, &ap_backend, ap, NULL);
	ap_fetch(ap);
}

static void
ap_free(void *arg)
{
	struct app_pop3	*ap = arg;

	loop_defer_cancel(app_loop(ap->app), ap_done_later, ap);
	pop3_fetch_free(ap->fetch);
	loop_timer_free(ap->timer);
	free((char *)ap->p.name);
	free((char *)ap->p.host);
	free((char *)ap->p.port);
	free((char *)ap->p.ca_file);
	free((char *)ap->p.user);
	if (ap->p.password != NULL) {
		explicit_bzero((char *)ap->p.password, strlen(ap->p.password));
		free((char *)ap->p.password);
	}
	free((char *)ap->p.spool);
	free(ap);
}

static void
ap_fetch(void *arg)
{
	struct app_pop3	*ap = arg;

	if (ap->fetch != NULL) {
		app_emit_note(ap->app, APP_NOTE_INFO,
		    "A download is already running.");
		return;
	}
	loop_timer_stop(ap->timer);
	ap->p.now = time(NULL);
	snprintf(ap->state, sizeof ap->state, "downloading");
	ap->fetch = pop3_fetch_new(app_loop(ap->app), &ap->p, ap_done, ap);
	pop3_fetch_set_progress(ap->fetch, ap_progress, ap);
	app_emit_state_changed(ap->app);
}
