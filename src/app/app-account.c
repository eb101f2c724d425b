/* SPDX-License-Identifier: ISC */
/*
 * Opening an account of the configuration in the interactive client:
 * the settings become imap_account / pop3_fetch parameters, the password
 * comes from password_command (run with sh -c, first line) or the
 * password option and is wiped once handed over.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/app-account.h"
#include "app/cmd-fetch.h"
#include "app/folder.h"
#include "app/imap-account.h"
#include "app/pop3-fetch.h"
#include "config/conf.h"
#include "config/options.h"
#include "store/maildir.h"
#include "util/err.h"
#include "util/xmalloc.h"
#include "compat.h"

static char *
acct_password(const struct opts *o, struct err *e)
{
	const char	*cmd = opt_str(o, OPT_ACCOUNT_PASSWORD_COMMAND);

	if (cmd != NULL)
		return cmd_fetch_password(cmd, e);
	if (opt_str(o, OPT_ACCOUNT_PASSWORD) != NULL)
		return xstrdup(opt_str(o, OPT_ACCOUNT_PASSWORD));
	err_set(e, ERR_INPUT, "no password: set password_command");
	return NULL;
}

static void
acct_password_free(char *pw)
{
	if (pw == NULL)
		return;
	explicit_bzero(pw, strlen(pw));
	free(pw);
}

/* The cache file of account name under the cache directory (mkdir -p). */
static char *
acct_cache_path(const char *name, struct err *e)
{
	char	*dir = conf_cache_dir(), *path, *p;

	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		(void)mkdir(dir, 0700);
		*p = '/';
	}
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		err_sys(e, ERR_LOCAL, "%s", dir);
		free(dir);
		return NULL;
	}
	path = xasprintf("%s/%s.imap.sqlite", dir, name);
	free(dir);
	return path;
}

static int
acct_open_imap(struct app *app, const struct conf_account *ca,
    struct err *e)
{
	const struct opts		*o = conf_account_opts(ca);
	struct imap_account_params	 p;
	char				 port[16], *password, *cache, *ca_file;
	int				 rc;

	memset(&p, 0, sizeof p);
	p.name = conf_account_name(ca);
	p.host = opt_str(o, OPT_ACCOUNT_HOST);
	p.user = opt_str(o, OPT_ACCOUNT_USER);
	if (p.host == NULL || p.user == NULL)
		return err_set(e, ERR_INPUT, "account %s: host and user must "
		    "be set", p.name);
	snprintf(port, sizeof port, "%d", conf_account_port(ca));
	p.port = port;
	switch (opt_enum(o, OPT_ACCOUNT_TLS)) {
	case OPT_TLS_STARTTLS:
		p.tls = IMAP_TLS_STARTTLS;
		break;
	case OPT_TLS_NONE:
		p.tls = IMAP_TLS_NONE;
		break;
	default:
		p.tls = IMAP_TLS_IMPLICIT;
		break;
	}
	if ((cache = acct_cache_path(p.name, e)) == NULL)
		return -1;
	if ((password = acct_password(o, e)) == NULL) {
		free(cache);
		return -1;
	}
	ca_file = opt_str(o, OPT_ACCOUNT_CA_FILE) != NULL ?
	    conf_expand_path(opt_str(o, OPT_ACCOUNT_CA_FILE)) : NULL;
	p.ca_file = ca_file;
	p.password = password;
	p.allow_plaintext = opt_bool(o, OPT_ACCOUNT_ALLOW_PLAINTEXT);
	p.idle = opt_bool(o, OPT_ACCOUNT_IDLE);
	p.idle_restart = (uint64_t)opt_duration(o, OPT_ACCOUNT_IDLE_RESTART) *
	    1000;
	p.poll_interval = (uint64_t)opt_duration(o,
	    OPT_ACCOUNT_POLL_INTERVAL) * 1000;
	p.timeout = (uint64_t)opt_duration(o, OPT_ACCOUNT_TIMEOUT) * 1000;
	p.body_max = (size_t)opt_size(o, OPT_ACCOUNT_CACHE_MAX_BODY);
	p.cache_path = cache;
	p.reconnect = true;
	rc = app_imap_open(app, &p, "INBOX", e);
	acct_password_free(password);
	free(cache);
	free(ca_file);
	app_account_name_set(app, p.name);
	return rc;
}

static int
acct_open_pop3(struct app *app, const struct conf_account *ca,
    struct err *e)
{
	const struct opts		*o = conf_account_opts(ca);
	struct pop3_fetch_params	 p;
	char				 port[16], *spool, *password;
	char				*ca_file;

	memset(&p, 0, sizeof p);
	p.name = conf_account_name(ca);
	p.host = opt_str(o, OPT_ACCOUNT_HOST);
	p.user = opt_str(o, OPT_ACCOUNT_USER);
	if (p.host == NULL || p.user == NULL)
		return err_set(e, ERR_INPUT, "account %s: host and user must "
		    "be set", p.name);
	snprintf(port, sizeof port, "%d", conf_account_port(ca));
	p.port = port;
	switch (opt_enum(o, OPT_ACCOUNT_TLS)) {
	case OPT_TLS_STARTTLS:
		p.tls = POP3_TLS_STARTTLS;
		break;
	case OPT_TLS_NONE:
		p.tls = POP3_TLS_NONE;
		break;
	default:
		p.tls = POP3_TLS_IMPLICIT;
		break;
	}
	p.allow_plaintext = opt_bool(o, OPT_ACCOUNT_ALLOW_PLAINTEXT);
	p.auth = POP3_AUTH_AUTO;
	p.policy.keep_on_server = opt_bool(o, OPT_ACCOUNT_KEEP_ON_SERVER);
	p.policy.delete_after_days =
	    (unsigned int)opt_int(o, OPT_ACCOUNT_DELETE_AFTER_DAYS);
	p.size_limit = (uint64_t)opt_size(o, OPT_ACCOUNT_SIZE_LIMIT);
	p.timeout_ms = (unsigned int)opt_duration(o, OPT_ACCOUNT_TIMEOUT) *
	    1000;
	p.now = time(NULL);
	spool = conf_account_spool(ca);
	p.spool = spool;
	/* the spool exists before the first download */
	{
		struct maildir	*md;

		if ((md = maildir_open(spool, true, e)) == NULL) {
			free(spool);
			return -1;
		}
		maildir_free(md);
	}
	if (app_open_maildir(app, spool, e) == -1) {
		free(spool);
		return -1;
	}
	if ((password = acct_password(o, e)) == NULL) {
		free(spool);
		return -1;
	}
	ca_file = opt_str(o, OPT_ACCOUNT_CA_FILE) != NULL ?
	    conf_expand_path(opt_str(o, OPT_ACCOUNT_CA_FILE)) : NULL;
	p.ca_file = ca_file;
	p.password = password;
	app_account_name_set(app, p.name);
	app_pop3_open(app, &p,
	    (unsigned int)opt_duration(o, OPT_ACCOUNT_CHECK_INTERVAL));
	acct_password_free(password);
	free(ca_file);
	free(spool);
	return 0;
}

int
app_open_account(struct app *app, const struct conf *c, const char *name,
    struct err *e)
{
	struct conf_account	*ca;

	ca = name != NULL ? conf_account_find(c, name) :
	    conf_account_default(c);
	if (ca == NULL)
		return err_set(e, ERR_INPUT, name != NULL ? "no account "
		    "\"%s\"" : "no account configured%s; read a local "
		    "Maildir with: pons -f PATH", name != NULL ? name : "");
	if (app_loop(app) == NULL)
		return err_set(e, ERR_INPUT, "accounts need the event loop");
	if (opt_enum(conf_account_opts(ca), OPT_ACCOUNT_PROTOCOL) ==
	    OPT_PROTO_POP3)
		return acct_open_pop3(app, ca, e);
	return acct_open_imap(app, ca, e);
}
