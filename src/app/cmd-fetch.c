/* SPDX-License-Identifier: ISC */
/*
 * pons fetch: one download per POP3 account, for cron, scripts and
 * benchmarks.  The spool lock (the one the interactive client takes too)
 * keeps two downloads into one spool from ever running at once.
 */
#include "config.h"

#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/cmd-fetch.h"
#include "app/pop3-fetch.h"
#include "compat.h"
#include "config/conf.h"
#include "config/options.h"
#include "loop/loop.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define FETCH_PASSWORD_MAX	4096

char *
cmd_fetch_password(const char *cmd, struct err *e)
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
		if (b.len < FETCH_PASSWORD_MAX)
			buf_add(&b, chunk, n);
	explicit_bzero(chunk, sizeof chunk);
	status = pclose(fp);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		buf_fini_secret(&b);
		err_set(e, ERR_INPUT, "password_command failed (status %d)",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return NULL;
	}
	/* the first line, without CR/LF */
	n = b.data != NULL ? strcspn(b.data, "\r\n") : 0;
	pw = xstrndup(b.data != NULL ? b.data : "", n);
	buf_fini_secret(&b);
	return pw;
}

/* Fill p from account a; strings are borrowed from the conf or *owned. */
static int
fetch_params(struct conf_account *a, struct pop3_fetch_params *p,
    char *port, size_t portsz, char **spool, char **password,
    struct err *e)
{
	const struct opts	*o = conf_account_opts(a);
	const char		*cmd, *pw, *now;

	memset(p, 0, sizeof *p);
	p->name = conf_account_name(a);
	p->host = opt_str(o, OPT_ACCOUNT_HOST);
	snprintf(port, portsz, "%d", conf_account_port(a));
	p->port = port;
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
	p->ca_file = opt_str(o, OPT_ACCOUNT_CA_FILE);
	p->user = opt_str(o, OPT_ACCOUNT_USER);
	p->allow_plaintext = opt_bool(o, OPT_ACCOUNT_ALLOW_PLAINTEXT);
	p->auth = POP3_AUTH_AUTO;
	p->policy.keep_on_server = opt_bool(o, OPT_ACCOUNT_KEEP_ON_SERVER);
	p->policy.delete_after_days =
	    (unsigned int)opt_int(o, OPT_ACCOUNT_DELETE_AFTER_DAYS);
	p->size_limit = (uint64_t)opt_size(o, OPT_ACCOUNT_SIZE_LIMIT);
	p->timeout_ms = (unsigned int)opt_duration(o, OPT_ACCOUNT_TIMEOUT) *
	    1000;
	/*
	 * Test hooks: the clock used for delete_after_days, the commit batch
	 * size, and "die" after N spool steps (crash-and-resume tests).
	 */
	p->now = (now = getenv("PONS_TEST_NOW")) != NULL ?
	    (time_t)strtoll(now, NULL, 10) : time(NULL);
	if ((now = getenv("PONS_TEST_BATCH")) != NULL)
		p->batch_msgs = (unsigned int)strtoul(now, NULL, 10);
	if ((now = getenv("PONS_TEST_SPOOL_STOP")) != NULL)
		p->test_stop_after = (unsigned int)strtoul(now, NULL, 10);
	if (p->host == NULL || p->user == NULL)
		return err_set(e, ERR_INPUT, "host and user must be set");
	*spool = conf_account_spool(a);
	p->spool = *spool;
	if ((cmd = opt_str(o, OPT_ACCOUNT_PASSWORD_COMMAND)) != NULL) {
		if ((*password = cmd_fetch_password(cmd, e)) == NULL)
			return -1;
	} else if ((pw = opt_str(o, OPT_ACCOUNT_PASSWORD)) != NULL)
		*password = xstrdup(pw);
	else
		return err_set(e, ERR_INPUT, "no password: set "
		    "password_command");
	p->password = *password;
	return 0;
}

static void
fetch_summary(const char *name, const struct pop3_fetch_result *r)
{
	printf("%s: ", name);
	if (!r->ok)
		printf("failed: %s; ", r->err.msg);
	printf("%zu new (%llu bytes), %zu on the server", r->fetched,
	    (unsigned long long)r->bytes, r->listed);
	if (r->dups > 0)
		printf(", %zu duplicate(s) dropped", r->dups);
	if (r->deleted > 0)
		printf(", %zu deleted from the server", r->deleted);
	if (r->dele_failed > 0)
		printf(", %zu could not be deleted", r->dele_failed);
	if (r->skipped_big > 0)
		printf(", %zu over size_limit left on the server",
		    r->skipped_big);
	if (r->no_uidl)
		printf(" (server without UIDL: everything was downloaded, "
		    "duplicates dropped)");
	printf("\n");
}

static int
fetch_account(struct loop *loop, struct conf_account *a)
{
	struct pop3_fetch_params	 p;
	struct pop3_fetch_result	 r;
	struct err			 e;
	char				 port[16], *spool = NULL;
	char				*password = NULL;
	int				 rc;

	memset(&r, 0, sizeof r);
	if (fetch_params(a, &p, port, sizeof port, &spool, &password,
	    &e) == -1) {
		printf("%s: failed: %s\n", conf_account_name(a), e.msg);
		rc = -1;
	} else {
		rc = pop3_fetch_run(loop, &p, &r);
		fetch_summary(conf_account_name(a), &r);
	}
	if (password != NULL) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	free(spool);
	fflush(stdout);
	return rc;
}

static bool
fetch_is_pop3(struct conf_account *a)
{
	return opt_enum(conf_account_opts(a), OPT_ACCOUNT_PROTOCOL) ==
	    OPT_PROTO_POP3;
}

int
cmd_fetch(struct conf *c, int argc, char **argv)
{
	struct conf_account	*a;
	struct loop		*loop;
	const char		*only = NULL;
	size_t			 i, n = 0;
	int			 status = 0;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "-a") == 0 && i + 1 < (size_t)argc)
			only = argv[++i];
		else {
			fprintf(stderr, "usage: pons fetch [-a ACCOUNT]\n");
			return 2;
		}
	}
	/* pons -a NAME fetch: the global -a names the account too */
	if (only == NULL && opt_origin(conf_opts(c),
	    OPT_GENERAL_DEFAULT_ACCOUNT) == OPT_ORIGIN_CMDLINE)
		only = opt_str(conf_opts(c), OPT_GENERAL_DEFAULT_ACCOUNT);
	if (only != NULL && ((a = conf_account_find(c, only)) == NULL ||
	    !fetch_is_pop3(a))) {
		fprintf(stderr, "pons: no POP3 account \"%s\"\n", only);
		return 1;
	}
	loop = loop_new();
	for (i = 0; i < conf_account_count(c); i++) {
		a = conf_account_at(c, i);
		if (!fetch_is_pop3(a) || (only != NULL &&
		    strcmp(conf_account_name(a), only) != 0))
			continue;
		n++;
		if (fetch_account(loop, a) == -1)
			status = 1;
	}
	loop_free(loop);
	if (n == 0) {
		fprintf(stderr, "pons: no POP3 account in the configuration\n");
		return 1;
	}
	return status;
}
