/* SPDX-License-Identifier: ISC */
/*
 * account.h: an account of the configuration turned into the parameters of
 * the protocol glue (pop3_fetch, imap_account).  The one place that reads
 * the connection options, runs password_command and names the cache file,
 * for the batch commands and the interactive client alike.
 */
#ifndef PONS_APP_ACCOUNT_H
#define PONS_APP_ACCOUNT_H

#include <stdbool.h>

struct conf_account;
struct err;
struct imap_account_params;
struct loop;
struct opts;
struct pop3_fetch_params;

/* What the parameters borrow; free with account_strings_fini(). */
struct account_strings {
	char	 port[16];
	char	*password;	/* wiped by account_strings_fini() */
	char	*ca_file;	/* expanded path, or NULL */
	char	*spool;		/* POP3 */
	char	*cache;		/* IMAP */
};

/*
 * Run cmd (with sh -c) and return the first line of its output, without
 * the line end, in a new string (the caller wipes and frees it), or NULL
 * with e set when it fails or exits non-zero.
 */
char	*account_password_run(const char *cmd, struct err *e);
/*
 * password_command run as a child that the loop watches, for the
 * interactive client: the UI stays responsive while, say, a password
 * manager asks for its passphrase.  The child (sh -c cmd, its own process
 * group, stdin from /dev/null) writes the password on stdout; the first
 * line of its stderr explains a failure.
 */
struct account_pwcmd;
/*
 * The outcome: password (borrowed, wiped after the call) and e NULL, or
 * password NULL and e set (the command failed, exited non-zero, printed
 * nothing or ran longer than its timeout).  Called once, from the loop,
 * after the child is reaped; the callback may free the pwcmd.
 */
typedef void	(*account_pwcmd_cb)(void *arg, const char *password,
		    const struct err *e);
/*
 * Start cmd; cb(arg, ...) follows within timeout_ms (0: 120 s).  A new
 * handle (account_pwcmd_free()), or NULL with e set if it could not start.
 */
struct account_pwcmd *account_pwcmd_start(struct loop *, const char *cmd,
		    unsigned int timeout_ms, account_pwcmd_cb cb, void *arg,
		    struct err *e);
/*
 * For batch commands: cmd runs as account_password_run() runs it (it
 * keeps pons's terminal, so it may prompt there, and has no timeout), on
 * a thread, so the connection goes ahead meanwhile; cb as above, from the
 * loop.  Freeing it waits for the command.
 */
struct account_pwcmd *account_pwcmd_start_tty(struct loop *, const char *cmd,
		    account_pwcmd_cb cb, void *arg, struct err *e);
/* Free pc, killing its child if it still runs (no callback).  NULL ok. */
void	 account_pwcmd_free(struct account_pwcmd *pc);
/*
 * The account's password into *out (owned by the caller): password_command,
 * else the password option, else typed (a password the user was asked for;
 * may be NULL).  Returns 0; 1 if there is none and the user must be asked;
 * -1 with e set if password_command failed.
 */
int	 account_password(const struct opts *, const char *typed, char **out,
	    struct err *e);
/*
 * The cache file of account name, under the cache directory (created
 * 0700).  A new string, or NULL with e set.
 */
char	*account_cache_path(const char *name, struct err *e);
/*
 * Fill p from account a, for a POP3 download.  p borrows from the conf and
 * from s (account_strings_fini() after the download).  Returns 0; 1 if
 * the user must be asked for a password (pass it as typed); -1 with e set.
 */
int	 account_pop3_params(const struct conf_account *a, const char *typed,
	    struct pop3_fetch_params *p, struct account_strings *s,
	    struct err *e);
/*
 * Fill p from account a, for a live IMAP account; with cache, its cache
 * file too.  Borrowing and return values as for account_pop3_params().
 */
int	 account_imap_params(const struct conf_account *a, const char *typed,
	    bool cache, struct imap_account_params *p,
	    struct account_strings *s, struct err *e);
/* Like account_pop3_params() with p->password left NULL (see below). */
int	 account_pop3_params_bare(const struct conf_account *a,
	    struct pop3_fetch_params *p, struct account_strings *s,
	    struct err *e);
/*
 * Like account_imap_params() with p->password left NULL, and
 * password_command not run: the interactive client finds the password
 * itself (the password option, account_pwcmd_start(), or a prompt).
 */
int	 account_imap_params_bare(const struct conf_account *a, bool cache,
	    struct imap_account_params *p, struct account_strings *s,
	    struct err *e);
/* Free what s holds, wiping the password; s may be reused after. */
void	 account_strings_fini(struct account_strings *s);

#endif
