/* SPDX-License-Identifier: ISC */
/*
 * Date parsing (RFC 5322 section 3.3 and 4.3).  Pure: no locale, no time
 * zone database, no clock.  The text is cut into tokens (words, numbers,
 * times, numeric zones, commas); the tokens are then matched to fields by
 * their kind, so fields out of order still parse, and the kinds in order
 * tell whether the date was well-formed.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "msg/date.h"

#define DATE_INPUT_MAX	256	/* longer values are not dates */
#define NUMS_MAX	8

struct zone {
	const char	*name;
	int		 off;		/* minutes east of UTC */
	bool		 obs;		/* RFC 5322 4.3 obs-zone */
};

static const struct zone zones[] = {
	{ "ut", 0, true }, { "utc", 0, false }, { "gmt", 0, true },
	{ "z", 0, true },
	{ "est", -300, true }, { "edt", -240, true },
	{ "cst", -360, true }, { "cdt", -300, true },
	{ "mst", -420, true }, { "mdt", -360, true },
	{ "pst", -480, true }, { "pdt", -420, true },
	/* lenient: names seen in real mail, not in any RFC */
	{ "ast", -240, false }, { "adt", -180, false },
	{ "akst", -540, false }, { "akdt", -480, false },
	{ "hst", -600, false }, { "wet", 0, false }, { "west", 60, false },
	{ "bst", 60, false }, { "cet", 60, false }, { "cest", 120, false },
	{ "met", 60, false }, { "mest", 120, false }, { "mez", 60, false },
	{ "mesz", 120, false }, { "eet", 120, false }, { "eest", 180, false },
	{ "msk", 180, false }, { "ist", 330, false }, { "sgt", 480, false },
	{ "hkt", 480, false }, { "jst", 540, false }, { "kst", 540, false },
	{ "aest", 600, false }, { "aedt", 660, false },
	{ "nzst", 720, false }, { "nzdt", 780, false },
};

static const char *const months[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};

static const char *const wdays[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday",
};

struct num {
	unsigned int	 v;
	unsigned int	 digits;
};

struct dparse {
	int		 wday;		/* -1: none */
	int		 mon;		/* 0..11, -1: none */
	struct num	 nums[NUMS_MAX];
	size_t		 nnums;
	int		 hh, mm, ss;	/* hh -1: no time */
	bool		 have_zone, have_named;
	int		 zone;		/* minutes */
	int		 named;		/* minutes */
	int		 ampm;		/* 0 none, 1 am, 2 pm */
	bool		 lenient;
	char		 kinds[24];	/* token kinds in order */
	size_t		 nkinds;
};

static void	kind(struct dparse *, char);
static bool	word(struct dparse *, const char *, size_t);
static size_t	digits(const char *, size_t, size_t, unsigned int *,
		    unsigned int *);
static bool	lex(struct dparse *, const char *, size_t);
static int64_t	days_from_civil(int64_t, unsigned int, unsigned int);
static bool	prefix_of(const char *, size_t, const char *, size_t);

static bool
is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

/* Skip white space and (nested) comments from i. */
static size_t
cfws(const char *p, size_t len, size_t i)
{
	int	 depth;

	for (;;) {
		while (i < len && (p[i] == ' ' || p[i] == '\t' ||
		    p[i] == '\r' || p[i] == '\n'))
			i++;
		if (i >= len || p[i] != '(')
			return i;
		for (depth = 0; i < len; i++) {
			if (p[i] == '(')
				depth++;
			else if (p[i] == ')' && --depth == 0)
				break;
		}
		if (i < len)
			i++;
	}
}

static void
kind(struct dparse *d, char k)
{
	if (d->nkinds + 1 < sizeof d->kinds)
		d->kinds[d->nkinds++] = k;
	d->kinds[d->nkinds] = '\0';
}

/* w[0..len) (lower case) is at least min letters of full. */
static bool
prefix_of(const char *w, size_t len, const char *full, size_t min)
{
	return len >= min && len <= strlen(full) && memcmp(w, full, len) == 0;
}

static bool
word(struct dparse *d, const char *w, size_t len)
{
	size_t	 i;

	for (i = 0; i < 12; i++) {
		if (prefix_of(w, len, months[i], 3)) {
			if (len != 3)
				d->lenient = true;
			d->mon = (int)i;
			kind(d, 'm');
			return true;
		}
	}
	for (i = 0; i < 7; i++) {
		if (prefix_of(w, len, wdays[i], 3) ||
		    (len == 4 && memcmp(w, wdays[i], 3) == 0 && w[3] == 's')) {
			if (len != 3)
				d->lenient = true;
			d->wday = (int)i;
			kind(d, 'w');
			return true;
		}
	}
	for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		if (strlen(zones[i].name) == len &&
		    memcmp(zones[i].name, w, len) == 0) {
			d->have_named = true;
			d->named = zones[i].off;
			kind(d, 'n');
			return true;
		}
	}
	/* RFC 5322 4.3: military zones are to be taken as -0000 */
	if (len == 1 && w[0] != 'j') {
		d->have_named = true;
		d->named = 0;
		kind(d, 'n');
		return true;
	}
	if (len == 2 && (memcmp(w, "am", 2) == 0 || memcmp(w, "pm", 2) == 0)) {
		d->ampm = w[0] == 'a' ? 1 : 2;
		d->lenient = true;
		return true;
	}
	return false;
}

/* Read up to max digits at p[i..len); returns the index after them. */
static size_t
digits(const char *p, size_t len, size_t i, unsigned int *v, unsigned int *n)
{
	*v = 0;
	*n = 0;
	while (i < len && p[i] >= '0' && p[i] <= '9') {
		if (*n < 9)
			*v = *v * 10 + (unsigned int)(p[i] - '0');
		(*n)++;
		i++;
	}
	return i;
}

static bool
lex(struct dparse *d, const char *p, size_t len)
{
	char		 w[16];
	size_t		 i = 0, j, s, k;
	unsigned int	 v, n, v2, n2, v3, n3;
	int		 sign;
	char		 c;

	while (i < len) {
		c = p[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			i++;
		} else if (c == ',') {
			kind(d, ',');
			i++;
		} else if (c == '(') {
			/* comments, e.g. "+0000 (UTC)", are ignored */
			i = cfws(p, len, i);
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			for (s = i, k = 0; i < len && ((p[i] >= 'a' &&
			    p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')); i++)
				if (k < sizeof w)
					w[k++] = (char)(p[i] | 0x20);
			if (i - s > sizeof w || !word(d, w, i - s)) {
				/* lenient: unknown words are ignored */
				d->lenient = true;
				kind(d, '?');
			}
		} else if ((c == '+' || c == '-') && i + 1 < len &&
		    p[i + 1] >= '0' && p[i + 1] <= '9' && (i == 0 ||
		    !is_alnum(p[i - 1]) || (c == '+' && p[i - 1] > '9'))) {
			sign = c == '-' ? -1 : 1;
			i = digits(p, len, i + 1, &v, &n);
			if (n <= 2 && i + 2 < len && p[i] == ':') {
				/* lenient: "+01:00" */
				i = digits(p, len, i + 1, &v2, &n2);
				v = v * 100 + v2;
				n = n2 == 2 ? 4 : 0;
				d->lenient = true;
			} else if (n == 3) {
				/* lenient: "-600" is -06:00 */
				d->lenient = true;
				n = 4;
			} else if (n <= 2) {
				/* lenient: "+1", "+01" are hours */
				v *= 100;
				n = 4;
				d->lenient = true;
			}
			if (n != 4 || v % 100 >= 60 || v / 100 > 23) {
				d->lenient = true;	/* bad zone: ignored */
				kind(d, '?');
				continue;
			}
			d->have_zone = true;
			d->zone = sign * (int)(v / 100 * 60 + v % 100);
			kind(d, 'z');
		} else if (c >= '0' && c <= '9') {
			i = digits(p, len, i, &v, &n);
			/* RFC 5322 4.3 obs-time: CFWS around the colons */
			j = cfws(p, len, i);
			if (j < len && p[j] == ':') {
				k = cfws(p, len, j + 1);
				if (j != i || k != j + 1)
					d->lenient = true;
				i = digits(p, len, k, &v2, &n2);
				v3 = 0;
				n3 = 2;
				j = cfws(p, len, i);
				if (j < len && p[j] == ':') {
					k = cfws(p, len, j + 1);
					if (j != i || k != j + 1)
						d->lenient = true;
					i = digits(p, len, k, &v3, &n3);
				} else
					d->lenient = true; /* no seconds */
				if (n > 2 || n2 != 2 || n3 != 2 || d->hh >= 0 ||
				    (i < len && p[i] == ':'))
					return false;
				d->hh = (int)v;
				d->mm = (int)v2;
				d->ss = (int)v3;
				kind(d, 't');
				continue;
			}
			if (d->nnums == NUMS_MAX)
				return false;
			d->nums[d->nnums].v = v;
			d->nums[d->nnums].digits = n;
			d->nnums++;
			kind(d, '#');
		} else {
			/* lenient: "2-Jan-2006", stray dots and slashes */
			d->lenient = true;
			i++;
		}
	}
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int64_t y, unsigned int m, unsigned int dd)
{
	int64_t		 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Pick day and year out of the numbers; false if that cannot be done. */
static bool
day_year(struct dparse *d, unsigned int *day, unsigned int *year,
    unsigned int *ydigits)
{
	size_t	 i, di = NUMS_MAX, yi = NUMS_MAX;

	for (i = 0; i < d->nnums; i++) {
		if (d->nums[i].digits >= 3 && yi == NUMS_MAX)
			yi = i;
		else if (d->nums[i].digits <= 2 && d->nums[i].v >= 1 &&
		    d->nums[i].v <= 31 && di == NUMS_MAX)
			di = i;
	}
	if (yi == NUMS_MAX) {
		for (i = 0; i < d->nnums; i++)
			if (i != di && d->nums[i].digits == 2) {
				yi = i;
				break;
			}
	}
	if (di == NUMS_MAX || yi == NUMS_MAX)
		return false;
	if (d->nnums > 2)
		d->lenient = true;
	*day = d->nums[di].v;
	*year = d->nums[yi].v;
	*ydigits = d->nums[yi].digits;
	return true;
}

/* ISO 8601 "2006-01-02T15:04:05Z" and "2006-01-02 15:04:05+01:00". */
static bool
iso(struct dparse *d, const char *p, size_t len, unsigned int *day,
    unsigned int *year)
{
	unsigned int	 v[6], n;
	size_t		 i = 0, f;
	static const char sep[] = "--T::";

	for (f = 0; f < 6; f++) {
		i = digits(p, len, i, &v[f], &n);
		if (n != (f == 0 ? 4u : 2u))
			return false;
		if (f == 5 || i >= len)
			break;
		if (p[i] != sep[f] && !(f == 2 && (p[i] == ' ' ||
		    p[i] == 't')))
			break;
		i++;
	}
	if (f < 4)
		return false;
	*year = v[0];
	d->mon = (int)v[1] - 1;
	*day = v[2];
	d->hh = (int)v[3];
	d->mm = (int)v[4];
	d->ss = f == 5 ? (int)v[5] : 0;
	d->lenient = true;
	d->nkinds = 0;
	if (i < len && (p[i] == 'Z' || p[i] == 'z'))
		i++;
	if (i < len && !lex(d, p + i, len - i))
		return false;
	return d->mon >= 0 && d->mon < 12;
}

static const unsigned char mdays[12] = {
	31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
};

/* Index of the three letters p[0..3) (any case) in list, or -1. */
static int
abbr_index(const char *p, const char *const *list, int n)
{
	char	 w[3];
	int	 i;

	for (i = 0; i < 3; i++) {
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' &&
		    p[i] <= 'Z')))
			return -1;
		w[i] = (char)(p[i] | 0x20);
	}
	for (i = 0; i < n; i++)
		if (memcmp(w, list[i], 3) == 0)
			return i;
	return -1;
}

int
date_digits(const char *p, size_t n)
{
	size_t	 i;
	int	 v = 0;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/*
 * The form nearly every Date field has, "Mon, 2 Jan 2006 15:04:05 -0700"
 * (the weekday optional, the day one or two digits, single spaces, nothing
 * after the zone), read by position.  False for anything else, and for
 * anything the general parser would not call DATE_OK (a wrong weekday, a
 * leap second, a bad zone or day): that parser then decides.
 */
static bool
date_fast(const char *p, size_t len, time_t *t, int *offset)
{
	int	 wday = -1, day, mon, year, hh, mm, ss, z, zone;
	bool	 leap;
	int64_t	 days, secs;

	if (len >= 5 && p[3] == ',' && p[4] == ' ') {
		if ((wday = abbr_index(p, wdays, 7)) < 0)
			return false;
		p += 5;
		len -= 5;
	}
	if (len < 25 || len > 26)
		return false;
	if (len == 25) {
		day = date_digits(p, 1);
		p--;		/* as if the day had two digits */
	} else
		day = date_digits(p, 2);
	if (day < 1 || p[2] != ' ' || p[6] != ' ' || p[11] != ' ' ||
	    p[14] != ':' || p[17] != ':' || p[20] != ' ' ||
	    (p[21] != '+' && p[21] != '-'))
		return false;
	if ((mon = abbr_index(p + 3, months, 12)) < 0 ||
	    (year = date_digits(p + 7, 4)) < 1900 ||
	    (hh = date_digits(p + 12, 2)) < 0 || hh > 23 ||
	    (mm = date_digits(p + 15, 2)) < 0 || mm > 59 ||
	    (ss = date_digits(p + 18, 2)) < 0 || ss > 59 ||
	    (z = date_digits(p + 22, 4)) < 0 || z % 100 >= 60 || z / 100 > 23)
		return false;
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (day > mdays[mon] || (mon == 1 && day == 29 && !leap))
		return false;
	days = days_from_civil(year, (unsigned int)mon + 1, (unsigned int)day);
	if (wday >= 0 && (days + 4) % 7 != wday)
		return false;
	zone = (p[21] == '-' ? -1 : 1) * (z / 100 * 60 + z % 100);
	secs = days * 86400 + hh * 3600 + mm * 60 + ss - (int64_t)zone * 60;
	if ((time_t)secs != secs)
		return false;
	if (t != NULL)
		*t = (time_t)secs;
	if (offset != NULL)
		*offset = zone;
	return true;
}

enum date_status
date_parse(const char *p, size_t len, time_t *t, int *offset)
{
	struct dparse	 d;
	unsigned int	 day, year, yd = 4;
	int64_t		 days, secs;
	int		 zone, hh;
	bool		 leap;

	if (len > DATE_INPUT_MAX)
		return DATE_INVALID;
	if (date_fast(p, len, t, offset))
		return DATE_OK;
	memset(&d, 0, sizeof d);
	d.wday = d.mon = d.hh = -1;
	if (!iso(&d, p, len, &day, &year)) {
		memset(&d, 0, sizeof d);
		d.wday = d.mon = d.hh = -1;
		if (!lex(&d, p, len) || d.mon < 0 ||
		    !day_year(&d, &day, &year, &yd))
			return DATE_INVALID;
	}
	/* RFC 5322 4.3: two-digit years, and three-digit ones */
	if (yd <= 2) {
		year += year < 50 ? 2000 : 1900;
		d.lenient = true;
	} else if (yd == 3) {
		year += 1900;
		d.lenient = true;
	}
	if (year < 1900 || year > 9999)
		return DATE_INVALID;
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (day < 1 || day > mdays[d.mon] || (d.mon == 1 && day == 29 && !leap))
		return DATE_INVALID;
	hh = d.hh;
	if (hh < 0) {
		/* lenient: a date without a time is midnight */
		hh = d.mm = d.ss = 0;
		d.lenient = true;
	}
	if (d.ampm != 0) {
		if (hh < 1 || hh > 12)
			return DATE_INVALID;
		hh = hh % 12 + (d.ampm == 2 ? 12 : 0);
	}
	if (hh > 23 || d.mm > 59 || d.ss > 60)
		return DATE_INVALID;
	if (d.ss == 60)
		d.ss = 59;	/* leap second: the best time_t can do */
	zone = d.have_zone ? d.zone : d.have_named ? d.named : 0;
	if (!d.have_zone && !d.have_named)
		d.lenient = true;
	days = days_from_civil(year, (unsigned int)d.mon + 1, day);
	if (d.wday >= 0 && (days + 4) % 7 != d.wday)
		d.lenient = true;	/* wrong weekday: the date wins */
	secs = days * 86400 + hh * 3600 + d.mm * 60 + d.ss -
	    (int64_t)zone * 60;
	if ((time_t)secs != secs)
		return DATE_INVALID;
	if (strcmp(d.kinds, "w,#m#tz") != 0 && strcmp(d.kinds, "#m#tz") != 0)
		d.lenient = true;
	if (t != NULL)
		*t = (time_t)secs;
	if (offset != NULL)
		*offset = zone;
	return d.lenient ? DATE_LENIENT : DATE_OK;
}
