/* SPDX-License-Identifier: ISC */
/*
 * log.h: the optional debug log (pons -d FILE).  Off unless log_open() was
 * called.  It never records a password: protocol lines pass through
 * log_redact(), which blanks the arguments of LOGIN, AUTHENTICATE, AUTH,
 * PASS and APOP, and lines a session marks secret (SASL continuations) are
 * replaced whole.
 */
#ifndef PONS_UTIL_LOG_H
#define PONS_UTIL_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_WARN = 0, LOG_INFO, LOG_DEBUG, LOG_PROTO };

enum log_dir { LOG_DIR_IN, LOG_DIR_OUT };

/* Append to path (created 0600).  Returns 0, or -1 with errno set. */
int	 log_open(const char *path, enum log_level);
void	 log_close(void);
bool	 log_enabled(enum log_level);
void	 log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Record one protocol line (without its CRLF) sent to or received from
 * peer, at LOG_PROTO.  secret: the whole line is a credential.
 */
void	 log_proto(const char *peer, enum log_dir, const char *line,
	    size_t len, bool secret);
/*
 * Write into out (size outsz, always NUL-terminated) the line as the log
 * shows it: credentials replaced by "<redacted>", control bytes escaped.
 * Exposed for tests.
 */
void	 log_redact(const char *line, size_t len, bool secret, char *out,
	    size_t outsz);

#endif
