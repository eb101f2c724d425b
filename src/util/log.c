/* SPDX-License-Identifier: ISC */
/*
 * The debug log.  Library code calls log_*(); nothing below app/ prints.
 * Redaction happens here, in one place, so no session can forget it.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "util/log.h"

static FILE		*log_fp;
static enum log_level	 log_level_max;

/* Commands whose arguments after the word count are credentials. */
static const struct {
	const char	*verb;
	int		 keep;		/* arguments shown before redacting */
	bool		 tagged;	/* IMAP: a tag precedes the verb */
} log_secret_verbs[] = {
	{ "LOGIN", 0, true },		/* RFC 9051 6.2.3 */
	{ "AUTHENTICATE", 1, true },	/* keep the mechanism name */
	{ "PASS", 0, false },		/* RFC 1939 7 */
	{ "APOP", 1, false },		/* keep the user name */
	{ "AUTH", 1, false },		/* RFC 5034 */
};

int
log_open(const char *path, enum log_level level)
{
	int	 fd;

	log_close();
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	if ((log_fp = fdopen(fd, "a")) == NULL) {
		close(fd);
		return -1;
	}
	setvbuf(log_fp, NULL, _IOLBF, 0);
	log_level_max = level;
	return 0;
}

void
log_close(void)
{
	if (log_fp != NULL)
		fclose(log_fp);
	log_fp = NULL;
}

bool
log_enabled(enum log_level level)
{
	return log_fp != NULL && level <= log_level_max;
}

static void __attribute__((format(printf, 2, 0)))
log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	static const char	*names[] = { "warn", "info", "debug", "proto" };
	struct timespec		 ts;

	if (!log_enabled(level))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* one line whole: worker threads (the spool's) log too */
	flockfile(log_fp);
	fprintf(log_fp, "%lld.%03ld %s ", (long long)ts.tv_sec,
	    ts.tv_nsec / 1000000, names[level]);
	vfprintf(log_fp, fmt, ap);
	fputc('\n', log_fp);
	funlockfile(log_fp);
}

#define LOG_FUNC(name, level)						\
void									\
name(const char *fmt, ...)						\
{									\
	va_list	 ap;							\
									\
	va_start(ap, fmt);						\
	log_vwrite(level, fmt, ap);					\
	va_end(ap);							\
}
LOG_FUNC(log_warn, LOG_WARN)
LOG_FUNC(log_info, LOG_INFO)
LOG_FUNC(log_debug, LOG_DEBUG)

/* Offset just past the n-th space-separated word of line, or len. */
static size_t
log_skip_words(const char *line, size_t len, int n)
{
	size_t	 i = 0;

	while (n-- > 0) {
		while (i < len && line[i] == ' ')
			i++;
		while (i < len && line[i] != ' ')
			i++;
	}
	return i;
}

/* Length of the visible prefix of line: everything if it holds no secret. */
static size_t
log_visible_len(const char *line, size_t len)
{
	size_t	 i, vlen, skip;

	for (i = 0; i < sizeof log_secret_verbs / sizeof log_secret_verbs[0];
	    i++) {
		const char	*verb = log_secret_verbs[i].verb;

		skip = log_secret_verbs[i].tagged ?
		    log_skip_words(line, len, 1) : 0;
		while (skip < len && line[skip] == ' ')
			skip++;
		/* IMAP UID-less commands only; "UID" never precedes LOGIN */
		vlen = strlen(verb);
		if (len - skip < vlen || strncasecmp(line + skip, verb, vlen))
			continue;
		if (skip + vlen < len && line[skip + vlen] != ' ')
			continue;
		return skip + vlen + log_skip_words(line + skip + vlen,
		    len - skip - vlen, log_secret_verbs[i].keep);
	}
	return len;
}

void
log_redact(const char *line, size_t len, bool secret, char *out, size_t outsz)
{
	size_t	 vis, i, o = 0;

	if (outsz == 0)
		return;
	vis = secret ? 0 : log_visible_len(line, len);
	for (i = 0; i < vis && o + 5 < outsz; i++) {
		unsigned char	 c = (unsigned char)line[i];

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	if (vis < len)
		strlcat(out, vis == 0 ? "<redacted>" : " <redacted>", outsz);
}

void
log_proto(const char *peer, enum log_dir dir, const char *line, size_t len,
    bool secret)
{
	char	 out[1024];

	if (!log_enabled(LOG_PROTO))
		return;
	log_redact(line, len, secret, out, sizeof out);
	fprintf(log_fp, "%s %s %s\n", peer, dir == LOG_DIR_IN ? "S:" : "C:",
	    out);
}
