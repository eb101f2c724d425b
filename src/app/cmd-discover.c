/* SPDX-License-Identifier: ISC */
/*
 * pons discover [--ca FILE] [--host H]... [--port-map 993=N,...]
 *     [--timeout MS] [--no-login] [-v] EMAIL
 *
 * Finds the settings for EMAIL with app/discover and prints them in plain
 * words, then a config snippet.  The password comes from
 * PONS_DISCOVER_PASSWORD, else from the terminal (not echoed), else from
 * the first line of stdin; never from the command line, where other users
 * could read it in the process list.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "compat.h"

#include "app/cmd-discover.h"
#include "app/discover.h"
#include "loop/loop.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define CMD_DISCOVER_HOSTS_MAX	16

static const char *cmd_discover_usage =
"usage: pons discover [--ca FILE] [--host HOST]... [--port-map 993=N,...]\n"
"                     [--timeout MS] [--no-login] [-v] EMAIL\n"
"\n"
"Finds the IMAP and POP3 servers for EMAIL: tries imap., pop., pop3.,\n"
"mail. and the domain itself on ports 993, 143, 995 and 110, verifies\n"
"the certificates and tries the login.  The password is read from\n"
"PONS_DISCOVER_PASSWORD, the terminal or stdin.\n"
"\n"
"  --ca FILE         trust only the certificates signed by FILE (PEM)\n"
"  --host HOST       try HOST instead of the usual names (repeatable)\n"
"  --port-map LIST   try other ports: 993=1993,143=0 (0: do not try)\n"
"  --timeout MS      give up on each step after MS milliseconds\n"
"  --no-login        only look; no password is asked or sent\n"
"  -v, --verbose     show every place tried, as it is tried\n"
"\n"
"Exit status: 0 if a server works, 1 if none does, 2 on bad usage.\n";

struct cmd_discover {
	struct loop		*loop;
	bool			 verbose;
	bool			 nologin;
	bool			 done;
	int			 status;	/* exit status once done */
	const char		*ca_file;
	struct discover_opts	 o;
	const char		*hosts[CMD_DISCOVER_HOSTS_MAX];
	struct discover_port	*ports;
	const char		*email;
};

/* Read the password; NULL if none was given (an empty line). */
static char *
cmd_discover_password(const char *email)
{
	struct termios	 old, noecho;
	const char	*env;
	char		*line = NULL;
	size_t		 cap = 0, len;
	ssize_t		 n;
	bool		 tty;

	if ((env = getenv("PONS_DISCOVER_PASSWORD")) != NULL)
		return env[0] == '\0' ? NULL : xstrdup(env);
	tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fprintf(stderr, "Password for %s: ", email);
		fflush(stderr);
		noecho = old;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho);
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (n <= 0) {
		if (line != NULL)
			explicit_bzero(line, cap);
		free(line);
		return NULL;
	}
	len = (size_t)n;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (len == 0) {
		free(line);
		return NULL;
	}
	return line;
}

static const char *
cmd_discover_explain(enum discover_proto proto)
{
	if (proto == DISCOVER_IMAP)
		return "two-way: changes sync both ways, live";
	return "one-way: mail is copied down to this computer";
}

static void
cmd_discover_line(const struct discover_candidate *c, bool login_asked,
    struct buf *out)
{
	struct buf	 caps = BUF_INIT;

	buf_printf(out, "%-5s %s:%u  %s  ", discover_proto_name(c->proto),
	    c->host, c->port, discover_tls_name(c->proto, c->tls));
	if (!c->cert_ok) {
		buf_printf(out, "%s (no password sent)\n      %s\n",
		    c->fingerprint != NULL ? "certificate NOT trusted" :
		    "NOT secured", c->error != NULL ? c->error :
		    "the connection was not secured");
		goto caps;
	}
	buf_add_str(out, "certificate verified  ");
	switch (c->login) {
	case DISCOVER_LOGIN_OK:
		buf_printf(out, "login ok  (%s)\n      user: %s\n",
		    cmd_discover_explain(c->proto), c->login_user);
		break;
	case DISCOVER_LOGIN_REFUSED:
		buf_printf(out, "login refused  (%s)\n"
		    "      the server said no to the password (last tried "
		    "as \"%s\"): %s\n", cmd_discover_explain(c->proto),
		    c->login_user, c->login_msg != NULL ? c->login_msg : "");
		break;
	case DISCOVER_LOGIN_FAILED:
		buf_printf(out, "login failed  (%s)\n      %s\n",
		    cmd_discover_explain(c->proto),
		    c->login_msg != NULL ? c->login_msg : "");
		break;
	case DISCOVER_LOGIN_NOT_TRIED:
		buf_printf(out, "%s(%s)\n", login_asked ?
		    "login not tried  " : "", cmd_discover_explain(c->proto));
		break;
	}
caps:
	discover_caps_describe(c, &caps);
	if (caps.len > 0)
		buf_printf(out, "      server offers%s: %s\n",
		    c->caps_logged_in ? "" : " (before login)", caps.data);
	buf_fini(&caps);
}

static void
cmd_discover_snippet(const struct discover_candidate *c, const char *email,
    const char *ca_file, bool comment, struct buf *out)
{
	const char	*dom = strrchr(email, '@') + 1, *pre = comment ? "# " :
			    "", *s;

	buf_printf(out, "%s[account \"%s\"]\n", pre, dom);
	buf_printf(out, "%sprotocol = %s\n", pre,
	    c->proto == DISCOVER_IMAP ? "imap" : "pop3");
	buf_printf(out, "%shost = %s\n", pre, c->host);
	buf_printf(out, "%sport = %u\n", pre, c->port);
	buf_printf(out, "%stls = %s\n", pre,
	    c->tls == DISCOVER_TLS_IMPLICIT ? "implicit" : "starttls");
	buf_printf(out, "%suser = %s\n", pre,
	    c->login == DISCOVER_LOGIN_OK ? c->login_user : email);
	if (ca_file != NULL) {
		buf_printf(out, "%sca_file = \"", pre);
		for (s = ca_file; *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				buf_add_byte(out, '\\');
			buf_add_byte(out, (unsigned char)*s);
		}
		buf_add_str(out, "\"\n");
	}
}

/* Nothing answered: say so, with the first reasons. */
static void
cmd_discover_nothing(const struct discover_result *r, struct buf *out)
{
	const struct discover_candidate	*c;
	size_t				 i;

	buf_printf(out, "Nothing found: no IMAP or POP3 server answered for "
	    "%s (%zu places tried).\n", r->email, r->n);
	for (i = 0; i < r->n && i < 8; i++) {
		c = r->v[i];
		buf_printf(out, "  %s %s:%u %s: %s\n",
		    discover_proto_name(c->proto), c->host, c->port,
		    discover_tls_name(c->proto, c->tls),
		    c->error != NULL ? c->error : "?");
	}
	if (r->n > i)
		buf_printf(out, "  ... and %zu more (-v shows every one)\n",
		    r->n - i);
}

static void
cmd_discover_print(struct cmd_discover *cd, const struct discover_result *r)
{
	const struct discover_candidate	*c, *best = NULL, *alt = NULL;
	struct buf			 out = BUF_INIT;
	size_t				 i, found[2] = { 0, 0 }, reached = 0;
	int				 pr;

	for (i = 0; i < r->n; i++)
		if (r->v[i]->status == DISCOVER_FOUND) {
			found[r->v[i]->proto]++;
			reached++;
		}
	if (reached == 0) {
		cmd_discover_nothing(r, &out);
		fputs(out.data, stdout);
		buf_fini(&out);
		cd->status = 1;
		return;
	}
	buf_printf(&out, "Settings found for %s:\n\n", r->email);
	for (pr = 0; pr < 2; pr++) {
		if (found[pr] == 0) {
			buf_printf(&out, "no %s server found\n\n",
			    discover_proto_name((enum discover_proto)pr));
			continue;
		}
		for (i = 0; i < r->n; i++) {
			c = r->v[i];
			if ((int)c->proto == pr && c->status == DISCOVER_FOUND)
				cmd_discover_line(c, r->login_asked, &out);
		}
		buf_add_str(&out, "\n");
	}
	if (found[DISCOVER_IMAP] == 0)
		buf_add_str(&out, "This server offers POP3 only: pons will "
		    "copy your mail down to this computer (one-way).\n\n");
	else if (found[DISCOVER_POP3] == 0)
		buf_add_str(&out, "This server offers IMAP only: pons will "
		    "keep your mail in sync with it (two-way).\n\n");
	for (i = 0; i < r->n; i++) {
		c = r->v[i];
		if (!discover_usable(c, r->login_asked))
			continue;
		if (best == NULL)
			best = c;
		else if (alt == NULL && c->proto != best->proto)
			alt = c;
	}
	if (best == NULL) {
		buf_add_str(&out, "No server can be used as it is: see "
		    "above.\n");
		cd->status = 1;
	} else {
		buf_add_str(&out, "For your configuration file "
		    "(~/.config/pons/config):\n\n");
		cmd_discover_snippet(best, r->email, cd->ca_file, false, &out);
		if (alt != NULL) {
			buf_printf(&out, "\n# Or, for %s (%s), use this "
			    "instead:\n", discover_proto_name(alt->proto),
			    cmd_discover_explain(alt->proto));
			cmd_discover_snippet(alt, r->email, cd->ca_file, true,
			    &out);
		}
		cd->status = 0;
	}
	fputs(out.data, stdout);
	buf_fini(&out);
}

static void
cmd_discover_progress(const struct discover_candidate *c, void *arg)
{
	struct cmd_discover	*cd = arg;
	const char		*what;

	if (!cd->verbose)
		return;
	if (c->status == DISCOVER_UNREACHABLE)
		what = c->error != NULL ? c->error : "nothing there";
	else if (c->status == DISCOVER_PENDING)
		what = "probing";
	else if (!c->cert_ok)
		what = c->error != NULL ? c->error : "server found";
	else if (c->login == DISCOVER_LOGIN_OK)
		what = "login ok";
	else if (c->login == DISCOVER_LOGIN_REFUSED)
		what = "login refused";
	else if (c->login == DISCOVER_LOGIN_FAILED)
		what = "login failed";
	else
		what = "certificate verified";
	fprintf(stderr, "  %s %s:%u %s: %s\n", discover_proto_name(c->proto),
	    c->host, c->port, discover_tls_name(c->proto, c->tls), what);
}

static void
cmd_discover_done(const struct discover_result *r, void *arg)
{
	struct cmd_discover	*cd = arg;

	cmd_discover_print(cd, r);
	cd->done = true;
	loop_break(cd->loop);
}

/*
 * Parse the arguments into cd.  Returns 0, 1 after --help, or -1 after a
 * usage error (already printed).
 */
static int
cmd_discover_args(struct cmd_discover *cd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ca", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "port-map", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "no-login", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct discover_opts	*o = &cd->o;
	struct err		 e;
	char			*end;
	unsigned long		 ms;
	int			 ch;

	o->hosts = cd->hosts;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "+hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->ca_file = cd->ca_file = optarg;
			break;
		case 'H':
			if (o->nhosts == CMD_DISCOVER_HOSTS_MAX) {
				fprintf(stderr, "pons discover: at most %d "
				    "hosts\n", CMD_DISCOVER_HOSTS_MAX);
				return -1;
			}
			cd->hosts[o->nhosts++] = optarg;
			break;
		case 'p':
			free(cd->ports);
			o->ports = NULL;
			if (discover_port_map_parse(optarg, &cd->ports,
			    &o->nports, &e) == -1) {
				fprintf(stderr, "pons discover: %s\n", e.msg);
				return -1;
			}
			o->ports = cd->ports;
			break;
		case 't':
			ms = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || ms == 0 ||
			    ms > 600000) {
				fprintf(stderr, "pons discover: bad timeout "
				    "\"%s\" (milliseconds, 1 to 600000)\n",
				    optarg);
				return -1;
			}
			o->timeout_ms = (unsigned int)ms;
			break;
		case 'n':
			cd->nologin = true;
			break;
		case 'v':
			cd->verbose = true;
			break;
		case 'h':
			fputs(cmd_discover_usage, stdout);
			return 1;
		default:
			fputs(cmd_discover_usage, stderr);
			return -1;
		}
	}
	if (argc - optind != 1) {
		fputs(cmd_discover_usage, stderr);
		return -1;
	}
	cd->email = argv[optind];
	return 0;
}

/* Run discovery to its end; returns the exit status. */
static int
cmd_discover_run(struct cmd_discover *cd, const char *password)
{
	static const struct discover_cbs cbs = {
		.progress = cmd_discover_progress,
		.done = cmd_discover_done,
	};
	struct discover	*d;
	struct err	 e;

	cd->loop = loop_new();
	d = discover_start(cd->loop, cd->email, password, &cd->o, &cbs, cd,
	    &e);
	if (d == NULL) {
		fprintf(stderr, "pons discover: %s\n", e.msg);
		loop_free(cd->loop);
		return 2;
	}
	if (cd->verbose)
		fprintf(stderr, "Looking for the servers of %s ...\n",
		    cd->email);
	loop_run(cd->loop);
	discover_free(d);
	loop_free(cd->loop);
	return cd->done ? cd->status : 1;
}

int
cmd_discover(int argc, char **argv)
{
	struct cmd_discover		 cd;
	struct discover_candidate	*cands;
	struct err			 e;
	char				*password = NULL;
	size_t				 ncands;
	int				 rv;

	memset(&cd, 0, sizeof cd);
	if ((rv = cmd_discover_args(&cd, argc, argv)) != 0) {
		free(cd.ports);
		return rv == 1 ? 0 : 2;
	}
	/* Check the address before asking for a password. */
	if (discover_candidates(cd.email, &cd.o, &cands, &ncands, &e) == -1) {
		fprintf(stderr, "pons discover: %s\n", e.msg);
		free(cd.ports);
		return 2;
	}
	discover_candidates_free(cands, ncands);
	if (!cd.nologin && (password = cmd_discover_password(cd.email)) ==
	    NULL)
		fprintf(stderr, "pons discover: no password: only looking\n");
	rv = cmd_discover_run(&cd, password);
	if (password != NULL) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	free(cd.ports);
	return rv;
}
