/* SPDX-License-Identifier: ISC */
/*
 * indexfmt.h: one line of the index, formatted to an exact width:
 *
 *   FLAGS DATE       SENDER               SIZE  TREE SUBJECT
 *   "N r!D+" (5)  "14:05" / "Mar 05" / "2024-03-05"  ...
 *
 * Flags: N new (unread, just arrived), O old (unread), blank when read;
 * r replied; ! flagged; D deleted; + has attachments.  Pure: the caller
 * gives the time "now" and the local time zone is used for dates.
 */
#ifndef PONS_UI_INDEXFMT_H
#define PONS_UI_INDEXFMT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "util/buf.h"

struct indexfmt_row {
	unsigned int	 flags;		/* FOLDER_* */
	int64_t		 date;		/* epoch seconds */
	uint64_t	 size;		/* bytes; 0: not known, shown blank */
	const char	*sender;	/* display name or address */
	const char	*recipient;	/* used when FOLDER_FROMME */
	const char	*subject;
	const char	*tree;		/* thread tree prefix, UTF-8 */
};

/* The 5 flag columns into out (at least 6 bytes). */
void	 indexfmt_flags(unsigned int flags, char *out);
/* Date column text into out (size n). */
void	 indexfmt_date(int64_t t, time_t now, char *out, size_t n);
/* Size column text ("512", "1.2K", "34K", "2.1M") into out (size n). */
void	 indexfmt_size(uint64_t bytes, char *out, size_t n);
/* Append the line, exactly cols columns wide (sanitized). */
void	 indexfmt_line(const struct indexfmt_row *, time_t now, int cols,
	    struct buf *out);

/* A user's layout (index_format) and date formats (may be NULL). */
struct indexfmt_spec {
	const char	*format;	/* "%4C %Z %D %-20.20F %s" */
	const char	*date;		/* strftime for older dates, or NULL */
	const char	*recent;	/* strftime within a day, or NULL */
};
/*
 * Append the line laid out by spec->format, exactly cols columns wide
 * (sanitized).  Codes: %C number (num), %Z flags, %D date, %F sender (or
 * "To: recipient"), %s tree and subject, %c size, %% a percent sign;
 * each may carry a width and a precision in columns ("%-20.20F": left
 * aligned, padded and cut to 20; "%4C": right aligned).  Unknown codes
 * are copied as they are.
 */
void	 indexfmt_format(const struct indexfmt_spec *,
	    const struct indexfmt_row *, size_t num, time_t now, int cols,
	    struct buf *out);

#endif
