/* SPDX-License-Identifier: ISC */
/*
 * cmd-fetch.h: `pons fetch [-a NAME]`: download new mail once for every
 * POP3 account (or the one named), print one summary line per account to
 * stdout, and exit 0 only if every account was fetched.
 */
#ifndef PONS_APP_CMD_FETCH_H
#define PONS_APP_CMD_FETCH_H

struct conf;
struct err;

/* argv[0] is "fetch".  Returns the exit status. */
int	 cmd_fetch(struct conf *, int argc, char **argv);

#endif
