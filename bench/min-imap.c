/* SPDX-License-Identifier: ISC */
/*
 * min-imap: the floor for opening a mailbox.  Logs in over TLS, selects
 * INBOX and fetches, in one command, exactly the fields an index needs for
 * every message; it keeps nothing.  Usage: min-imap PORT CA USER PASS
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "min-common.h"

/* Wait for the tagged answer to tag; count untagged FETCH responses. */
static unsigned long
until_tagged(struct min_conn *c, const char *tag)
{
	unsigned long	 fetches = 0;
	size_t		 len, taglen = strlen(tag), lit;
	char		*l, *brace;

	for (;;) {
		l = min_line(c, &len);
		if (strncmp(l, "* ", 2) == 0 && strstr(l, " FETCH ") != NULL)
			fetches++;
		/* a line ending in {N} announces a literal of N bytes */
		while (len > 0 && l[len - 1] == '}' &&
		    (brace = strrchr(l, '{')) != NULL) {
			lit = strtoul(brace + 1, NULL, 10);
			min_read(c, NULL, lit);
			l = min_line(c, &len);
		}
		if (strncmp(l, tag, taglen) == 0 && l[taglen] == ' ') {
			if (strncmp(l + taglen + 1, "OK", 2) != 0)
				errx(1, "%s", l);
			return fetches;
		}
	}
}

int
main(int argc, char **argv)
{
	struct min_conn	 c;
	size_t		 len;
	unsigned long	 n;

	if (argc != 5)
		errx(2, "usage: min-imap PORT CA USER PASS");
	min_connect(&c, atoi(argv[1]), argv[2]);
	(void)min_line(&c, &len);
	min_send(&c, "a LOGIN \"%s\" \"%s\"\r\n", argv[3], argv[4]);
	until_tagged(&c, "a");
	min_send(&c, "b SELECT INBOX\r\n");
	until_tagged(&c, "b");
	min_send(&c, "c UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE "
	    "BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID "
	    "IN-REPLY-TO REFERENCES CONTENT-TYPE)])\r\n");
	n = until_tagged(&c, "c");
	min_send(&c, "d LOGOUT\r\n");
	printf("%lu messages\n", n);
	return 0;
}
