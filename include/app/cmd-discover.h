/* SPDX-License-Identifier: ISC */
/*
 * cmd-discover.h: `pons discover EMAIL`, the batch front of app/discover:
 * finds the settings, prints them in plain words and as a config snippet.
 */
#ifndef PONS_APP_CMD_DISCOVER_H
#define PONS_APP_CMD_DISCOVER_H

/*
 * argv[0] is "discover".  Prints to stdout (findings) and stderr (errors,
 * the password prompt, progress with -v).  Returns the exit status: 0 if
 * at least one server works (login ok, or --no-login and the certificate
 * verified), 1 if none does, 2 on a usage error.
 */
int	 cmd_discover(int argc, char **argv);

#endif
