/* SPDX-License-Identifier: ISC */
/*
 * Opening an IMAP account of the configuration in the interactive client:
 * the settings become imap_account parameters, the password
 * comes from password_command (run with sh -c, first line) or the
 * password option and is wiped once handed over.
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

static int
acct_open_imap(struct app *app, const struct conf_account *ca,
    const char *mailbox, struct err *e)
{
	struct imap_account_params	 p;
	struct account_strings		 strs;
	int				 rc;

	rc = account_imap_params(ca, NULL, true, &p, &strs, e);
	if (rc == 1)
		rc = err_set(e, ERR_INPUT, "account %s: no password: set "
		    "password_command", conf_account_name(ca));
	if (rc == 0)
		rc = app_imap_open(app, &p, mailbox, e);
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
