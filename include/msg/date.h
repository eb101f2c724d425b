/* SPDX-License-Identifier: ISC */
/*
 * date.h: the Date field (RFC 5322 section 3.3, obsolete forms of section
 * 4.3) and the broken forms common in real mail: named zones (UT, GMT,
 * EST ... PDT, military letters and a few more), missing seconds, two- or
 * three-digit years, a missing or wrong weekday, extra spaces and commas,
 * zone comments "+0000 (UTC)", asctime-like "Mon Jan  2 15:04:05 2006".
 * Pure: text in, numbers out; no locale, no clock, no time zone database.
 */
#ifndef PONS_MSG_DATE_H
#define PONS_MSG_DATE_H

#include <stddef.h>
#include <time.h>

enum date_status {
	DATE_OK = 0,		/* well-formed RFC 5322 date */
	DATE_LENIENT,		/* understood, but not well-formed */
	DATE_INVALID,		/* not a date: outputs untouched */
};

/*
 * Parse p[0..len).  On DATE_OK or DATE_LENIENT, *t is the instant in UTC
 * (seconds since the epoch) and *offset the zone offset as written, in
 * minutes east of UTC (0 when no zone was given).  Either output may be
 * NULL.
 */
enum date_status date_parse(const char *p, size_t len, time_t *t,
	    int *offset);
/* The n (at most 9) decimal digits at p as a number; -1 if one is not. */
int	 date_digits(const char *p, size_t n);

#endif
