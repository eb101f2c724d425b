/* SPDX-License-Identifier: ISC */
/*
 * pons: command line entry.  Parses global options, then hands over to a
 * batch command (pons show, pons fetch, ...) or to the interactive client.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/folder.h"
#include "app/cmd-discover.h"
#include "app/cmd-fetch.h"
#include "app/cmd-show.h"
#include "app/imap-sync.h"
#include "config/conf.h"
#include "loop/loop.h"
#include "ui/ui.h"
#include "util/buf.h"
#include "util/log.h"

static const char	*usage_text =
"usage: pons [-d FILE] [-F CONFIG] [-a ACCOUNT | -f MAILDIR]\n"
"       pons [options] COMMAND [ARGS...]\n"
"\n"
"A terminal mail client: POP3 accounts are a one-way spool into a local\n"
"Maildir; IMAP accounts are a live two-way connection.\n"
"\n"
"Options:\n"
"  -a, --account NAME   open this account instead of the default one\n"
"  -d, --debug FILE     write a debug log to FILE (passwords never logged)\n"
"  -F, --config FILE    read this configuration file\n"
"  -f, --folder PATH    read a local Maildir, without any account\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"      --dump-config    print every setting, its value and its origin\n"
"      --settings       open the settings screen at start\n"
"\n"
"Commands:\n";

/* The loaded configuration, for the commands and the client. */
static struct conf	*pons_conf;

static int
main_fetch(int argc, char **argv)
{
	return cmd_fetch(pons_conf, argc, argv);
}
static int
main_imap_sync(int argc, char **argv)
{
	return imap_sync_main(pons_conf, argc, argv);
}

/* Batch commands: each takes the arguments after its name. */
static const struct {
	const char	*name;
	const char	*help;
	int		(*run)(int, char **);
} main_commands[] = {
	{ "discover", "find the mail settings for an email address",
	    cmd_discover },
	{ "fetch", "download new mail from POP3 accounts (-a ACCOUNT)",
	    main_fetch },
	{ "show", "show messages from files as the pager would (--json)",
	    cmd_show },
	{ "imap-sync", "bring an IMAP mailbox's cache in step; -w watch it",
	    main_imap_sync },
	{ NULL, NULL, NULL },
};

/*
 * Load the configuration (path NULL: the default file, which may be
 * missing).  Prints every error and warning; NULL if pons must not start.
 */
static struct conf *
main_load_config(const char *path, const char *account)
{
	struct conf		*c = conf_new();
	struct conf_msgs	 msgs;
	struct err		 e;
	char			*def = NULL;
	size_t			 i;
	int			 rv;

	conf_msgs_init(&msgs);
	conf_set_key_check(c, ui_key_check, NULL);
	if (path == NULL)
		path = def = conf_default_path();
	rv = conf_load(c, path, def != NULL ? CONF_LOAD_MISSING_OK : 0,
	    &msgs);
	for (i = 0; i < msgs.n; i++)
		fprintf(stderr, "%s\n", msgs.v[i].text);
	if (rv == 0 && account != NULL) {
		if (conf_set_cmdline(c, NULL, OPT_GENERAL_DEFAULT_ACCOUNT,
		    account, &e) == -1 || conf_account_find(c, account) == NULL) {
			fprintf(stderr, "pons: no account \"%s\" in %s\n",
			    account, path);
			rv = -1;
		}
	}
	conf_msgs_fini(&msgs);
	free(def);
	if (rv == -1) {
		conf_free(c);
		return NULL;
	}
	return c;
}

/* The interactive client on a local Maildir or the default account. */
/*
 * On a cold open (no cached rows to show) let the account's connection
 * get under way before the screen starts: resolving and TCP take a few
 * passes of the loop, and the screen's start (the terminal's
 * description, curses, the first draw) takes milliseconds the server
 * can spend on the TLS hello meanwhile.  A slow resolver or a distant
 * server is not waited for.
 */
#define MAIN_CONNECT_FIRST_MS	20

static void
main_connect_first(struct loop *loop, struct app *app)
{
	uint64_t	 end = loop_now() + MAIN_CONNECT_FIRST_MS;
	struct folder	*f = app_folder(app);

	if (f != NULL && folder_count(f) > 0)
		return;
	while (app_phase(app) == APP_PHASE_CONNECTING && loop_now() < end)
		(void)loop_run_once(loop, 1);
}

/*
 * Changes sent just before the user quit (a copy, then q) are answered
 * before pons leaves: cut off, they would stay in the journal and go
 * again at the next start, where the server may have made them already
 * (a copy made twice).  A server that does not answer in time leaves
 * them there.
 */
#define MAIN_DRAIN_MS		5000
#define MAIN_DRAIN_SAY_MS	300

static void
main_drain(struct loop *loop, struct app *app)
{
	uint64_t	 start = loop_now();
	bool		 said = false;

	while (app_sending(app) && loop_now() < start + MAIN_DRAIN_MS) {
		if (!said && loop_now() >= start + MAIN_DRAIN_SAY_MS) {
			fprintf(stderr, "pons: waiting for the server to "
			    "take the last changes...\n");
			said = true;
		}
		(void)loop_run_once(loop, 50);
	}
}

static int
main_interactive(const char *folder, int settings)
{
	struct loop		*loop;
	struct app		*app;
	struct ui		*ui = NULL;
	struct conf_account	*acct = NULL;
	struct err		 e;

	if (folder == NULL && !settings &&
	    (acct = conf_account_default(pons_conf)) == NULL) {
		fprintf(stderr, "pons: no account in the configuration; add "
		    "one, or read a local Maildir with: pons -f PATH\n");
		return 1;
	}
	loop = loop_new();
	app = app_new(NULL, NULL);
	app_loop_set(app, loop);
	app_conf_set(app, pons_conf);
	if ((folder != NULL ? app_open_maildir(app, folder, &e) :
	    acct != NULL ? app_open_account(app, acct, &e) : 0) == -1) {
		fprintf(stderr, "pons: %s\n", e.msg);
		app_free(app);
		loop_free(loop);
		return 1;
	}
	main_connect_first(loop, app);
	if ((ui = ui_new(loop, pons_conf, &e)) == NULL) {
		fprintf(stderr, "pons: %s\n", e.msg);
		app_free(app);
		loop_free(loop);
		return 1;
	}
	ui_app_set(ui, app);
	/* what the account said before the screen started comes now */
	app_events_set(app, ui_app_events(), ui);
	if (settings)
		ui_settings_open(ui, folder == NULL);
	loop_run(loop);
	app_events_set(app, NULL, NULL);	/* the screen goes first */
	ui_free(ui);
	main_drain(loop, app);
	app_free(app);
	loop_free(loop);
	return 0;
}

static void
main_usage(FILE *fp)
{
	size_t	 i;

	fputs(usage_text, fp);
	for (i = 0; main_commands[i].name != NULL; i++)
		fprintf(fp, "  %-20s %s\n", main_commands[i].name,
		    main_commands[i].help);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "debug", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'F' },
		{ "folder", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "dump-config", no_argument, NULL, 'D' },
		{ "settings", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct buf	 dump = BUF_INIT;
	const char	*config_path = NULL, *account = NULL, *folder = NULL;
	int		 ch, dump_config = 0, settings = 0;
	size_t		 i;

	while ((ch = getopt_long(argc, argv, "+a:d:F:f:hV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			account = optarg;
			break;
		case 'F':
			config_path = optarg;
			break;
		case 'D':
			dump_config = 1;
			break;
		case 'S':
			settings = 1;
			break;
		case 'f':
			folder = optarg;
			break;
		case 'd':
			if (log_open(optarg, LOG_PROTO) == -1) {
				perror(optarg);
				return 1;
			}
			break;
		case 'h':
			main_usage(stdout);
			return 0;
		case 'V':
			printf("%s\n", PACKAGE_STRING);
			return 0;
		default:
			main_usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	/* pons does not start on a broken configuration. */
	if ((pons_conf = main_load_config(config_path, account)) == NULL)
		return 1;
	if (dump_config) {
		conf_dump(pons_conf, &dump);
		fputs(buf_str(&dump), stdout);
		buf_fini(&dump);
		conf_free(pons_conf);
		return 0;
	}
	if (argc > 0) {
		for (i = 0; main_commands[i].name != NULL; i++)
			if (strcmp(argv[0], main_commands[i].name) == 0)
				return main_commands[i].run(argc, argv);
		fprintf(stderr, "pons: unknown command: %s\n", argv[0]);
		return 2;
	}
	{
		int	 rc = main_interactive(folder, settings);

		conf_free(pons_conf);
		return rc;
	}
}
