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

#include "app/app.h"
#include "app/app-account.h"
#include "app/cmd-fetch.h"
#include "app/imap-account.h"
#include "config/conf.h"
#include "config/options.h"
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
	return rc;
}

int
app_imap_account_open(struct app *app, const struct conf_account *ca,
    struct err *e)
{
	if (app_loop(app) == NULL)
		return err_set(e, ERR_INPUT, "accounts need the event loop");
	return acct_open_imap(app, ca, e);
}
