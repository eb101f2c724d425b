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

#include "app/account.h"
#include "app/cmd-fetch.h"
#include "app/pop3-fetch.h"
#include "compat.h"
#include "config/conf.h"
#include "config/options.h"
#include "loop/loop.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

/*
 * The account's download parameters, plus the test hooks: the clock used
 * for delete_after_days, the commit batch size, and "die" after N spool
 * steps (crash-and-resume tests).
 */
static int
fetch_params(struct conf_account *a, struct pop3_fetch_params *p,
    struct account_strings *s, struct err *e)
{
	const char	*v, *cmd;

	/* password_command runs while the connection comes up */
	cmd = opt_str(conf_account_opts(a), OPT_ACCOUNT_PASSWORD_COMMAND);
	switch (cmd != NULL ? account_pop3_params_bare(a, p, s, e) :
	    account_pop3_params(a, NULL, p, s, e)) {
	case -1:
		return -1;
	case 1:
		return err_set(e, ERR_INPUT, "no password: set "
		    "password_command");
	}
	p->password_command = cmd;
	if ((v = getenv("PONS_TEST_NOW")) != NULL)
		p->now = (time_t)strtoll(v, NULL, 10);
	if ((v = getenv("PONS_TEST_BATCH")) != NULL)
		p->batch_msgs = (unsigned int)strtoul(v, NULL, 10);
	if ((v = getenv("PONS_TEST_SPOOL_STOP")) != NULL)
		p->test_stop_after = (unsigned int)strtoul(v, NULL, 10);
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
	struct account_strings		 strs;
	struct err			 e;
	int				 rc;

	memset(&r, 0, sizeof r);
	if (fetch_params(a, &p, &strs, &e) == -1) {
		printf("%s: failed: %s\n", conf_account_name(a), e.msg);
		rc = -1;
	} else {
		rc = pop3_fetch_run(loop, &p, &r);
		fetch_summary(conf_account_name(a), &r);
	}
	account_strings_fini(&strs);
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
