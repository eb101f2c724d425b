/* SPDX-License-Identifier: ISC */
/*
 * min-pop3: the floor for POP3 download.  Logs in over TLS, pipelines RETR
 * for every message (a window of 32 in flight), and writes each message
 * into a Maildir (tmp/ then rename into new/), without any state file and
 * without any flush to disk: the floor, not a safe client.
 * Usage: min-pop3 PORT CA USER PASS MAILDIR
 */
#include <sys/stat.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "min-common.h"

#define WINDOW	32

static void
expect_ok(struct min_conn *c, const char *what)
{
	size_t	 len;
	char	*l = min_line(c, &len);

	if (strncmp(l, "+OK", 3) != 0)
		errx(1, "%s: %s", what, l);
}

static void
store(const char *dir, unsigned long n, const char *p, size_t len)
{
	char	 tmp[4096], dst[4096];
	FILE	*fp;

	snprintf(tmp, sizeof tmp, "%s/tmp/min.%ld.%lu", dir, (long)getpid(), n);
	snprintf(dst, sizeof dst, "%s/new/min.%ld.%lu", dir, (long)getpid(), n);
	if ((fp = fopen(tmp, "w")) == NULL || fwrite(p, 1, len, fp) != len ||
	    fclose(fp) != 0)
		err(1, "%s", tmp);
	if (rename(tmp, dst) == -1)
		err(1, "%s", dst);
}

static void
retr_one(struct min_conn *c, const char *dir, unsigned long n, char **msg,
    size_t *cap)
{
	size_t	 len, used = 0;
	char	*l;

	expect_ok(c, "RETR");
	for (;;) {
		l = min_line(c, &len);
		if (len == 1 && l[0] == '.')
			break;
		if (l[0] == '.')	/* RFC 1939 3: byte-stuffed line */
			l++, len--;
		while (used + len + 2 > *cap) {
			*cap = *cap * 2 + 65536;
			if ((*msg = realloc(*msg, *cap)) == NULL)
				err(1, "realloc");
		}
		memcpy(*msg + used, l, len);
		used += len;
		(*msg)[used++] = '\n';
	}
	store(dir, n, *msg, used);
}

int
main(int argc, char **argv)
{
	struct min_conn	 c;
	unsigned long	 count, sent = 0, got = 0;
	size_t		 len, cap = 0;
	char		*l, *msg = NULL, path[4096];

	if (argc != 6)
		errx(2, "usage: min-pop3 PORT CA USER PASS MAILDIR");
	snprintf(path, sizeof path, "%s/tmp", argv[5]);
	mkdir(argv[5], 0700), mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/new", argv[5]);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/cur", argv[5]);
	mkdir(path, 0700);
	min_connect(&c, atoi(argv[1]), argv[2]);
	expect_ok(&c, "greeting");
	min_send(&c, "USER %s\r\n", argv[3]);
	expect_ok(&c, "USER");
	min_send(&c, "PASS %s\r\n", argv[4]);
	expect_ok(&c, "PASS");
	min_send(&c, "STAT\r\n");
	l = min_line(&c, &len);
	if (sscanf(l, "+OK %lu", &count) != 1)
		errx(1, "STAT: %s", l);
	while (got < count) {
		while (sent < count && sent - got < WINDOW)
			min_send(&c, "RETR %lu\r\n", ++sent);
		retr_one(&c, argv[5], ++got, &msg, &cap);
	}
	min_send(&c, "QUIT\r\n");
	expect_ok(&c, "QUIT");
	printf("%lu messages\n", got);
	free(msg);
	return 0;
}
