/* SPDX-License-Identifier: ISC */
/*
 * Opening an IMAP account of the configuration in the interactive client:
 * the settings become imap_account parameters; the password comes from the
 * password option, from password_command (a child the loop watches, first
 * line of its output) or from the user, and is wiped once handed over.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/account.h"
#include "app/app.h"
#include "app/app-account.h"
#include "app/imap-account.h"
#include "config/conf.h"
#include "config/options.h"
#include "util/err.h"
#include "util/xmalloc.h"
#include "compat.h"

/*
 * The password option logs in at once; password_command runs as a child
 * the loop watches, and without either the user is asked (app-imap.c).
 */
static int
acct_open_imap(struct app *app, const struct conf_account *ca,
    const char *mailbox, struct err *e)
{
	const struct opts		*o = conf_account_opts(ca);
	const char			*cmd, *pw;
	struct imap_account_params	 p;
	struct account_strings		 strs;
	int				 rc;

	cmd = opt_str(o, OPT_ACCOUNT_PASSWORD_COMMAND);
	pw = opt_str(o, OPT_ACCOUNT_PASSWORD);
	rc = account_imap_params_bare(ca, true, &p, &strs, e);
	if (rc == 0 && cmd == NULL && pw != NULL) {
		p.password = pw;
		rc = app_imap_open(app, &p, mailbox, e);
	} else if (rc == 0)
		rc = app_imap_open_later(app, &p, cmd, mailbox, e);
	account_strings_fini(&strs);
	return rc;
}

int
app_imap_account_open(struct app *app, const struct conf_account *ca,
    struct err *e)
{
	if (app_loop(app) == NULL)
		return err_set(e, ERR_INPUT, "accounts need the event loop");
	return acct_open_imap(app, ca, "INBOX", e);
}

int
app_imap_account_open_mailbox(struct app *app, const struct conf_account *ca,
    const char *mailbox, struct err *e)
{
	if (app_loop(app) == NULL)
		return err_set(e, ERR_INPUT, "accounts need the event loop");
	return acct_open_imap(app, ca, mailbox, e);
}
