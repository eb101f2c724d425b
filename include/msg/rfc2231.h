/* SPDX-License-Identifier: ISC */
/*
 * rfc2231.h: the value and parameters of structured MIME fields such as
 * Content-Type and Content-Disposition (RFC 2045 section 5.1, RFC 2183,
 * RFC 2231).  Pure: text in, an owned list of decoded UTF-8 parameters out.
 *
 * Handles quoted values, comments, RFC 2231 continuations (name*0,
 * name*1*) with charset'lang'%XX encoding, pieces out of order or missing
 * (joined in index order, gaps skipped), RFC 2047 words in values (a
 * common mistake for file names), raw 8-bit bytes, duplicate parameters
 * (the first wins; an RFC 2231 form beats a plain one of the same name).
 */
#ifndef PONS_MSG_RFC2231_H
#define PONS_MSG_RFC2231_H

#include <stddef.h>

#define RFC2231_PARAMS_MAX	64	/* parameters kept */
#define RFC2231_PIECES_MAX	128	/* continuation pieces per parameter */
#define RFC2231_VALUE_MAX	(64 * 1024) /* bytes per decoded value */

struct rfc2231_param {
	char		*name;		/* lower case, without '*' suffixes */
	char		*value;		/* decoded UTF-8, NUL-terminated */
};

struct rfc2231_params {
	char			*value;	/* leading value, lower case, e.g.
					 * "text/plain" or "attachment";
					 * "" when absent */
	struct rfc2231_param	*v;
	size_t			 n;
};

/*
 * Parse a field value p[0..len) (unfolded or not) into ps.  charset (C
 * string, may be NULL) is used for raw 8-bit bytes that are not valid
 * UTF-8.  Never fails: garbage gives fewer parameters.  Free with
 * rfc2231_params_fini().
 */
void	 rfc2231_parse(struct rfc2231_params *ps, const char *p, size_t len,
	    const char *charset);
void	 rfc2231_params_fini(struct rfc2231_params *);
/*
 * The value of parameter name (ASCII case-insensitive), or NULL.
 * Borrowed: valid until rfc2231_params_fini.
 */
const char *rfc2231_get(const struct rfc2231_params *, const char *name);

#endif
