/* SPDX-License-Identifier: ISC */
/*
 * Accounts of the configuration as protocol parameters: connection options,
 * password_command and the cache file name, read in one place.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat.h"
#include "app/account.h"
#include "app/imap-account.h"
#include "app/pop3-fetch.h"
#include "config/conf.h"
#include "config/options.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define ACCOUNT_PASSWORD_MAX	4096

char *
account_password_run(const char *cmd, struct err *e)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[512], *pw;
	size_t		 n;
	FILE		*fp;
	int		 status;

	fflush(NULL);
	if ((fp = popen(cmd, "r")) == NULL) {
		err_sys(e, ERR_INPUT, "password_command");
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (b.len < ACCOUNT_PASSWORD_MAX)
			buf_add(&b, chunk, n);
	explicit_bzero(chunk, sizeof chunk);
	status = pclose(fp);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		buf_fini_secret(&b);
		err_set(e, ERR_INPUT, "password_command failed (status %d)",
		    status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) :
		    -1);
		return NULL;
	}
	/* the first line, without CR/LF */
	n = strcspn(buf_str(&b), "\r\n");
	pw = xstrndup(buf_str(&b), n);
	buf_fini_secret(&b);
	return pw;
}

int
account_password(const struct opts *o, const char *typed, char **out,
    struct err *e)
{
	const char	*cmd = opt_str(o, OPT_ACCOUNT_PASSWORD_COMMAND);
	const char	*pw = opt_str(o, OPT_ACCOUNT_PASSWORD);

	*out = NULL;
	if (cmd != NULL)
		return (*out = account_password_run(cmd, e)) == NULL ? -1 : 0;
	if (pw == NULL)
		pw = typed;
	if (pw == NULL)
		return 1;
	*out = xstrdup(pw);
	return 0;
}

char *
account_cache_path(const char *name, struct err *e)
{
	char	*dir = conf_cache_dir(), *path, *p;

	/* mkdir -p; the name is the account's, never a server's string */
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

/* The options both protocols share; 0, or -1 with e set. */
static int
account_common(const struct conf_account *a, const char *typed,
    struct account_strings *s, struct err *e)
{
	const struct opts	*o = conf_account_opts(a);
	const char		*ca = opt_str(o, OPT_ACCOUNT_CA_FILE);

	memset(s, 0, sizeof *s);
	if (opt_str(o, OPT_ACCOUNT_HOST) == NULL ||
	    opt_str(o, OPT_ACCOUNT_USER) == NULL)
		return err_set(e, ERR_INPUT, "account %s: host and user must "
		    "be set", conf_account_name(a));
	snprintf(s->port, sizeof s->port, "%d", conf_account_port(a));
	s->ca_file = ca != NULL ? conf_expand_path(ca) : NULL;
	return account_password(o, typed, &s->password, e);
}

int
account_pop3_params(const struct conf_account *a, const char *typed,
    struct pop3_fetch_params *p, struct account_strings *s, struct err *e)
{
	const struct opts	*o = conf_account_opts(a);
	int			 rc;

	memset(p, 0, sizeof *p);
	if ((rc = account_common(a, typed, s, e)) != 0)
		return rc;
	p->name = conf_account_name(a);
	p->host = opt_str(o, OPT_ACCOUNT_HOST);
	p->port = s->port;
	switch (opt_enum(o, OPT_ACCOUNT_TLS)) {
	case OPT_TLS_STARTTLS:
		p->tls = POP3_TLS_STARTTLS;
		break;
	case OPT_TLS_NONE:
		p->tls = POP3_TLS_NONE;
		break;
	default:
		p->tls = POP3_TLS_IMPLICIT;
		break;
	}
	p->ca_file = s->ca_file;
	p->user = opt_str(o, OPT_ACCOUNT_USER);
	p->password = s->password;
	p->allow_plaintext = opt_bool(o, OPT_ACCOUNT_ALLOW_PLAINTEXT);
	p->auth = opt_bool(o, OPT_ACCOUNT_APOP) ? POP3_AUTH_APOP :
	    POP3_AUTH_AUTO;
	p->policy.keep_on_server = opt_bool(o, OPT_ACCOUNT_KEEP_ON_SERVER);
	p->policy.delete_after_days =
	    (unsigned int)opt_int(o, OPT_ACCOUNT_DELETE_AFTER_DAYS);
	p->size_limit = (uint64_t)opt_size(o, OPT_ACCOUNT_SIZE_LIMIT);
	p->timeout_ms = (unsigned int)opt_duration(o, OPT_ACCOUNT_TIMEOUT) *
	    1000;
	p->now = time(NULL);
	p->spool = s->spool = conf_account_spool(a);
	return 0;
}

int
account_imap_params(const struct conf_account *a, const char *typed,
    bool cache, struct imap_account_params *p, struct account_strings *s,
    struct err *e)
{
	const struct opts	*o = conf_account_opts(a);
	int			 rc;

	memset(p, 0, sizeof *p);
	if ((rc = account_common(a, typed, s, e)) != 0)
		return rc;
	if (cache &&
	    (s->cache = account_cache_path(conf_account_name(a), e)) == NULL)
		return -1;
	p->name = conf_account_name(a);
	p->host = opt_str(o, OPT_ACCOUNT_HOST);
	p->port = s->port;
	switch (opt_enum(o, OPT_ACCOUNT_TLS)) {
	case OPT_TLS_STARTTLS:
		p->tls = IMAP_TLS_STARTTLS;
		break;
	case OPT_TLS_NONE:
		p->tls = IMAP_TLS_NONE;
		break;
	default:
		p->tls = IMAP_TLS_IMPLICIT;
		break;
	}
	p->ca_file = s->ca_file;
	p->user = opt_str(o, OPT_ACCOUNT_USER);
	p->password = s->password;
	p->allow_plaintext = opt_bool(o, OPT_ACCOUNT_ALLOW_PLAINTEXT);
	p->idle = opt_bool(o, OPT_ACCOUNT_IDLE);
	p->idle_restart = (uint64_t)opt_duration(o, OPT_ACCOUNT_IDLE_RESTART) *
	    1000;
	p->poll_interval = (uint64_t)opt_duration(o,
	    OPT_ACCOUNT_POLL_INTERVAL) * 1000;
	p->timeout = (uint64_t)opt_duration(o, OPT_ACCOUNT_TIMEOUT) * 1000;
	p->body_max = (size_t)opt_size(o, OPT_ACCOUNT_CACHE_MAX_BODY);
	p->cache_path = s->cache;
	p->reconnect = true;
	return 0;
}

void
account_strings_fini(struct account_strings *s)
{
	if (s->password != NULL) {
		explicit_bzero(s->password, strlen(s->password));
		free(s->password);
	}
	free(s->ca_file);
	free(s->spool);
	free(s->cache);
	memset(s, 0, sizeof *s);
}
