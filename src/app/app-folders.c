/* SPDX-License-Identifier: ISC */
/*
 * The folder list glue: keeps app/mailboxes.h in step with the accounts
 * of the configuration, the open IMAP account (LIST with SPECIAL-USE and
 * LIST-STATUS when offered, else STATUS per folder, again every
 * status_interval, and any STATUS the server sends on its own), Maildir
 * scans for POP3 spools and -f, and the open folder's live counts; and
 * opens the (account, folder) the user picks.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/app-account.h"
#include "app/folder.h"
#include "app/mailboxes.h"
#include "config/conf.h"
#include "config/options.h"
#include "imap/imap.h"
#include "imap/imap-parse.h"
#include "loop/loop.h"
#include "util/xmalloc.h"

#define AF_STATUS_MAX	200	/* STATUS commands per refresh, at most */

struct app_folders {
	struct app		*app;
	struct mailboxes	*mb;
	char			*local_root;	/* pons -f: its Maildir */
	size_t			 imap;		/* open IMAP account, or -1 */
	uint32_t		 list_id;	/* LIST in flight */
	bool			 list_status;	/* it returns STATUS too */
	struct loop_timer	*timer;		/* status_interval */
};

struct app_folders *
app_folders_new(struct app *app)
{
	struct app_folders	*af;

	af = xcalloc(1, sizeof *af);
	af->app = app;
	af->mb = mailboxes_new();
	af->imap = (size_t)-1;
	return af;
}

void
app_folders_free(struct app_folders *af)
{
	if (af == NULL)
		return;
	loop_timer_free(af->timer);
	mailboxes_free(af->mb);
	free(af->local_root);
	free(af);
}

static enum mbx_proto
af_proto(const struct conf_account *ca)
{
	return opt_enum(conf_account_opts(ca), OPT_ACCOUNT_PROTOCOL) ==
	    OPT_PROTO_POP3 ? MBX_PROTO_POP3 : MBX_PROTO_IMAP;
}

/* Rescan the Maildirs: every POP3 spool that exists, and -f's. */
static void
af_scan_local(struct app_folders *af)
{
	struct conf		*c = app_conf(af->app);
	struct conf_account	*ca;
	struct err		 e;
	char			*spool;
	size_t			 i, acct;

	for (i = 0; c != NULL && i < conf_account_count(c); i++) {
		ca = conf_account_at(c, i);
		if (af_proto(ca) != MBX_PROTO_POP3)
			continue;
		acct = mailboxes_account_add(af->mb, conf_account_name(ca),
		    MBX_PROTO_POP3);
		spool = conf_account_spool(ca);
		if (mailboxes_scan_maildir(af->mb, acct, spool, &e) == -1)
			mailboxes_clear(af->mb, acct);	/* no spool yet */
		free(spool);
	}
	if (af->local_root != NULL) {
		acct = mailboxes_account_add(af->mb, "local", MBX_PROTO_LOCAL);
		(void)mailboxes_scan_maildir(af->mb, acct, af->local_root, &e);
	}
}

void
app_folders_accounts(struct app_folders *af)
{
	struct conf		*c = app_conf(af->app);
	struct conf_account	*ca;
	size_t			 i;

	for (i = 0; c != NULL && i < conf_account_count(c); i++) {
		ca = conf_account_at(c, i);
		mailboxes_account_add(af->mb, conf_account_name(ca),
		    af_proto(ca));
	}
	af_scan_local(af);
	app_emit_folders_changed(af->app);
}

/* Ask the open IMAP account for its folders and their counts. */
static void
af_list(struct app_folders *af)
{
	struct err	 e;

	if (af->imap == (size_t)-1 || af->list_id != 0)
		return;
	if ((af->list_id = app_backend_list(af->app, &af->list_status,
	    &e)) == 0)
		return;		/* offline: the next tick tries again */
	mailboxes_mark(af->mb, af->imap);
}

static void
af_tick(struct loop_timer *t, void *arg)
{
	af_list(arg);
}

void
app_folders_closed(struct app_folders *af)
{
	af->imap = (size_t)-1;
	af->list_id = 0;
	loop_timer_free(af->timer);
	af->timer = NULL;
}

void
app_folders_opened(struct app_folders *af, const struct conf_account *ca,
    const char *maildir_root, const char *folder)
{
	struct loop	*loop = app_loop(af->app);
	size_t		 acct;
	int64_t		 every;

	if (ca == NULL) {
		if (maildir_root != NULL) {
			free(af->local_root);
			af->local_root = xstrdup(maildir_root);
		}
		acct = mailboxes_account_add(af->mb, "local", MBX_PROTO_LOCAL);
		af_scan_local(af);
	} else {
		acct = mailboxes_account_add(af->mb, conf_account_name(ca),
		    af_proto(ca));
		if (af_proto(ca) == MBX_PROTO_IMAP) {
			af->imap = acct;
			/* known at once, before the server lists it */
			mailboxes_folder_put(af->mb, acct, folder, 0, NULL,
			    MBX_ROLE_NONE, false);
			every = opt_duration(conf_account_opts(ca),
			    OPT_ACCOUNT_STATUS_INTERVAL);
			if (loop != NULL && every > 0) {
				af->timer = loop_timer_new(loop, af_tick, af);
				loop_timer_set(af->timer, (uint64_t)every *
				    1000, (uint64_t)every * 1000);
			}
		} else
			af_scan_local(af);
	}
	mailboxes_current_set(af->mb, acct, folder);
	app_emit_folders_changed(af->app);
}

void
app_folders_imap_ready(struct app_folders *af)
{
	/* after a reconnect, a LIST of the old session never ends */
	af->list_id = 0;
	af_list(af);
}

/* After a LIST without STATUS returns: STATUS each folder. */
static void
af_status_all(struct app_folders *af)
{
	const struct mbx_entry	*en;
	struct err		 e;
	size_t			 i, sent = 0;
	char			**names;

	names = mailboxes_names(af->mb, af->imap, NULL);
	for (i = 0; names[i] != NULL && sent < AF_STATUS_MAX; i++) {
		en = mailboxes_at(af->mb, mailboxes_find(af->mb, af->imap,
		    names[i]));
		if (en == NULL || en->current)
			continue;
		if (app_backend_status(af->app, names[i], &e) == 0)
			break;
		sent++;
	}
	mailboxes_names_free(names);
}

void
app_folders_imap_event(struct app_folders *af, const struct imap_event *ev)
{
	const struct mbx_entry	*en;
	const struct imap_status *st;
	bool			 changed = false;
	size_t			 pos;

	if (af->imap == (size_t)-1)
		return;
	switch (ev->type) {
	case IMAP_EV_MAILBOX:
		if (ev->list == NULL || ev->mailbox == NULL ||
		    ((ev->list->attrs & IMAP_MBOX_NONEXISTENT) != 0 &&
		    (ev->list->attrs & IMAP_MBOX_HASCHILDREN) == 0))
			break;
		changed = mailboxes_folder_put(af->mb, af->imap, ev->mailbox,
		    ev->list->delim > 0 ? (char)ev->list->delim : 0, NULL,
		    mailboxes_role_of_attrs(ev->list->attrs),
		    (ev->list->attrs & (IMAP_MBOX_NOSELECT |
		    IMAP_MBOX_NONEXISTENT)) != 0);
		break;
	case IMAP_EV_STATUS:
		st = ev->status;
		if (st == NULL || ev->mailbox == NULL ||
		    (st->have & (IMAP_STATUS_MESSAGES | IMAP_STATUS_UNSEEN)) == 0)
			break;
		/* the open folder's counts are the live model's */
		pos = mailboxes_find(af->mb, af->imap, ev->mailbox);
		en = mailboxes_at(af->mb, pos);
		if (en != NULL && en->current)
			break;
		/*
		 * NOTIFY's STATUS after a flag change elsewhere carries UNSEEN
		 * only: keep the total known, and wait for a full answer if
		 * none is known yet.
		 */
		if ((st->have & (IMAP_STATUS_MESSAGES | IMAP_STATUS_UNSEEN)) !=
		    (IMAP_STATUS_MESSAGES | IMAP_STATUS_UNSEEN) &&
		    (en == NULL || !en->counted))
			break;
		changed = mailboxes_counts_set(af->mb, af->imap, ev->mailbox,
		    (st->have & IMAP_STATUS_MESSAGES) ? st->messages :
		    en->total,
		    (st->have & IMAP_STATUS_UNSEEN) ? st->unseen : en->unread);
		break;
	case IMAP_EV_DONE:
		if (ev->cmd_id == 0 || ev->cmd_id != af->list_id)
			break;
		af->list_id = 0;
		if (ev->err.cls != ERR_NONE)
			break;
		changed = mailboxes_sweep(af->mb, af->imap);
		if (!af->list_status)
			af_status_all(af);
		changed = true;
		break;
	default:
		break;
	}
	if (changed)
		app_emit_folders_changed(af->app);
}

struct mailboxes *
app_folders_model(struct app_folders *af)
{
	struct folder		*f = app_folder(af->app);
	struct folder_counts	 c;
	const struct mbx_entry	*en;

	/* the open folder: the live model's counts */
	if (f != NULL && (en = mailboxes_at(af->mb,
	    mailboxes_current(af->mb))) != NULL) {
		folder_counts(f, &c);
		mailboxes_counts_set(af->mb, en->account, en->name,
		    (uint32_t)c.total, (uint32_t)c.unread);
	}
	return af->mb;
}

void
app_folders_poll(struct app_folders *af)
{
	uint64_t	 gen = mailboxes_generation(af->mb);

	af_scan_local(af);
	if (mailboxes_generation(af->mb) != gen)
		app_emit_folders_changed(af->app);
}

void
app_folders_refresh(struct app_folders *af)
{
	/* accounts added since (settings screen, reload) show up too */
	app_folders_accounts(af);
	af_list(af);
}

int
app_folders_open(struct app_folders *af, size_t i, struct err *e)
{
	const struct mbx_entry	*en;
	struct conf_account	*ca;
	char			*name, *path;
	int			 rc;

	if ((en = mailboxes_at(af->mb, i)) == NULL)
		return err_set(e, ERR_INPUT, "no folder selected");
	if (en->noselect)
		return err_set(e, ERR_INPUT, "%s holds no messages, only "
		    "other folders", en->name);
	name = xstrdup(en->header ? "INBOX" : en->name);
	path = en->path != NULL ? xstrdup(en->path) : NULL;
	if (en->proto == MBX_PROTO_LOCAL) {
		if (en->header) {
			free(path);
			path = af->local_root != NULL ?
			    xstrdup(af->local_root) : NULL;
		}
		rc = path != NULL ? app_open_maildir_in(af->app, NULL, path,
		    name, e) : err_set(e, ERR_INPUT, "no Maildir here");
	} else if ((ca = conf_account_find(app_conf(af->app),
	    mailboxes_account_name(af->mb, en->account))) == NULL)
		rc = err_set(e, ERR_INPUT, "account %s is gone from the "
		    "configuration", mailboxes_account_name(af->mb,
		    en->account));
	else
		rc = app_open_account_folder(af->app, ca, name,
		    en->header ? NULL : path, e);
	free(name);
	free(path);
	return rc;
}

char **
app_folders_names(struct app_folders *af, size_t *n)
{
	const struct mbx_entry	*en;

	/* a prompt is rare: see the Maildir++ folders made since the poll */
	app_folders_poll(af);
	if ((en = mailboxes_at(af->mb, mailboxes_current(af->mb))) == NULL) {
		if (n != NULL)
			*n = 0;
		return xcalloc(1, sizeof(char *));
	}
	return mailboxes_names(af->mb, en->account, n);
}
