/* SPDX-License-Identifier: ISC */
/*
 * cmd-show.h: "pons show", the message engine as a batch command.
 *   pons show [--width N] FILE|-        what the pager would show
 *   pons show --json [--width N] FILE... one JSON object per message
 */
#ifndef PONS_APP_CMD_SHOW_H
#define PONS_APP_CMD_SHOW_H

/*
 * argv[0] is "show".  Returns the exit status: 0, 1 if a file could not
 * be read, 2 for a usage error.  Prints to stdout and stderr.
 */
int	 cmd_show(int argc, char **argv);

#endif
