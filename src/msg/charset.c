/* SPDX-License-Identifier: ISC */
/*
 * Charset conversion to UTF-8.  Labels go through one alias table (after
 * the WHATWG Encoding Standard's label list, with mail-specific changes
 * noted in doc/deviations.md), then iconv with a descriptor cache.  UTF-8,
 * windows-1252 and x-user-defined are decoded here without iconv: they are
 * the common case and the fallback.  Nothing here fails: bad bytes become
 * U+FFFD.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg/charset.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xmalloc.h"

#define LABEL_MAX	40	/* longer labels are not charsets */
#define CACHE_MAX	64	/* iconv descriptors kept open */

/* Decoders done here rather than by iconv. */
enum cs_kind { CS_ICONV, CS_UTF8, CS_CP1252, CS_ASCII, CS_USERDEF, CS_NONE };

struct alias {
	const char	*label;
	const char	*name;		/* iconv name, or one of ours */
};

/*
 * Labels in lower case.  Order does not matter; lookup is linear, but only
 * after the fast paths, and the table is small.
 */
static const struct alias aliases[] = {
	/* UTF-8 */
	{ "utf-8", "UTF-8" }, { "utf8", "UTF-8" },
	{ "unicode-1-1-utf-8", "UTF-8" }, { "unicode11utf8", "UTF-8" },
	{ "unicode20utf8", "UTF-8" }, { "x-unicode20utf8", "UTF-8" },
	/*
	 * WHATWG: latin1 and ASCII labels mean windows-1252; ASCII labels on
	 * text that is valid UTF-8 mean UTF-8 (see decode_as)
	 */
	{ "us-ascii", "US-ASCII" }, { "ascii", "US-ASCII" },
	{ "ansi_x3.4-1968", "US-ASCII" }, { "iso-8859-1", "WINDOWS-1252" },
	{ "iso8859-1", "WINDOWS-1252" }, { "iso88591", "WINDOWS-1252" },
	{ "iso_8859-1", "WINDOWS-1252" }, { "iso_8859-1:1987", "WINDOWS-1252" },
	{ "iso-ir-100", "WINDOWS-1252" }, { "latin1", "WINDOWS-1252" },
	{ "l1", "WINDOWS-1252" }, { "cp819", "WINDOWS-1252" },
	{ "ibm819", "WINDOWS-1252" }, { "csisolatin1", "WINDOWS-1252" },
	{ "cp1252", "WINDOWS-1252" }, { "x-cp1252", "WINDOWS-1252" },
	{ "windows-1252", "WINDOWS-1252" }, { "latin-1", "WINDOWS-1252" },
	{ "iso-8859-1:1987", "WINDOWS-1252" }, { "us", "US-ASCII" },
	{ "ansi", "WINDOWS-1252" }, { "iso646-us", "US-ASCII" },
	/* ISO 8859 */
	{ "iso-8859-2", "ISO-8859-2" }, { "iso8859-2", "ISO-8859-2" },
	{ "iso_8859-2", "ISO-8859-2" }, { "latin2", "ISO-8859-2" },
	{ "l2", "ISO-8859-2" }, { "csisolatin2", "ISO-8859-2" },
	{ "iso-8859-3", "ISO-8859-3" }, { "latin3", "ISO-8859-3" },
	{ "iso-8859-4", "ISO-8859-4" }, { "latin4", "ISO-8859-4" },
	{ "iso-8859-5", "ISO-8859-5" }, { "cyrillic", "ISO-8859-5" },
	{ "iso-8859-6", "ISO-8859-6" }, { "arabic", "ISO-8859-6" },
	{ "iso-8859-7", "ISO-8859-7" }, { "greek", "ISO-8859-7" },
	{ "iso-8859-8", "ISO-8859-8" }, { "hebrew", "ISO-8859-8" },
	{ "iso-8859-8-i", "ISO-8859-8" }, { "iso-8859-8-e", "ISO-8859-8" },
	{ "visual", "ISO-8859-8" }, { "logical", "ISO-8859-8" },
	{ "iso-8859-10", "ISO-8859-10" }, { "latin6", "ISO-8859-10" },
	{ "iso-8859-13", "ISO-8859-13" }, { "iso-8859-14", "ISO-8859-14" },
	{ "iso-8859-15", "ISO-8859-15" }, { "iso8859-15", "ISO-8859-15" },
	{ "latin9", "ISO-8859-15" }, { "latin-9", "ISO-8859-15" },
	{ "l9", "ISO-8859-15" }, { "iso-8859-16", "ISO-8859-16" },
	/* WHATWG: these ISO labels mean the Windows superset */
	{ "iso-8859-9", "WINDOWS-1254" }, { "iso8859-9", "WINDOWS-1254" },
	{ "latin5", "WINDOWS-1254" }, { "l5", "WINDOWS-1254" },
	{ "iso-8859-11", "CP874" }, { "tis-620", "CP874" },
	{ "windows-874", "CP874" }, { "dos-874", "CP874" },
	/* Windows code pages */
	{ "windows-1250", "WINDOWS-1250" }, { "cp1250", "WINDOWS-1250" },
	{ "x-cp1250", "WINDOWS-1250" },
	{ "windows-1251", "WINDOWS-1251" }, { "cp1251", "WINDOWS-1251" },
	{ "x-cp1251", "WINDOWS-1251" },
	{ "windows-1253", "WINDOWS-1253" }, { "cp1253", "WINDOWS-1253" },
	{ "windows-1254", "WINDOWS-1254" }, { "cp1254", "WINDOWS-1254" },
	{ "windows-1255", "WINDOWS-1255" }, { "cp1255", "WINDOWS-1255" },
	{ "windows-1256", "WINDOWS-1256" }, { "cp1256", "WINDOWS-1256" },
	{ "windows-1257", "WINDOWS-1257" }, { "cp1257", "WINDOWS-1257" },
	{ "windows-1258", "WINDOWS-1258" }, { "cp1258", "WINDOWS-1258" },
	/* Cyrillic */
	{ "koi8-r", "KOI8-R" }, { "koi8", "KOI8-R" }, { "cskoi8r", "KOI8-R" },
	{ "koi8_r", "KOI8-R" }, { "koi8-u", "KOI8-U" }, { "koi8-ru", "KOI8-U" },
	{ "ibm866", "IBM866" }, { "cp866", "IBM866" }, { "866", "IBM866" },
	{ "x-mac-cyrillic", "MAC-CYRILLIC" },
	{ "x-mac-ukrainian", "MAC-CYRILLIC" },
	{ "macintosh", "MACINTOSH" }, { "mac", "MACINTOSH" },
	{ "x-mac-roman", "MACINTOSH" }, { "csmacintosh", "MACINTOSH" },
	/* Chinese: WHATWG decodes all GB labels as gb18030 */
	{ "gb2312", "GB18030" }, { "gbk", "GB18030" }, { "x-gbk", "GB18030" },
	{ "gb_2312", "GB18030" }, { "gb_2312-80", "GB18030" },
	{ "csgb2312", "GB18030" }, { "chinese", "GB18030" },
	{ "iso-ir-58", "GB18030" }, { "csiso58gb231280", "GB18030" },
	{ "cp936", "GB18030" }, { "ms936", "GB18030" },
	{ "windows-936", "GB18030" }, { "euc-cn", "GB18030" },
	{ "gb18030", "GB18030" },
	{ "big5", "BIG5-HKSCS" }, { "big5-hkscs", "BIG5-HKSCS" },
	{ "cn-big5", "BIG5-HKSCS" }, { "csbig5", "BIG5-HKSCS" },
	{ "x-x-big5", "BIG5-HKSCS" }, { "cp950", "BIG5-HKSCS" },
	{ "hz-gb-2312", "HZ" }, { "iso-2022-cn", "ISO-2022-CN" },
	{ "iso-2022-cn-ext", "ISO-2022-CN-EXT" },
	/* Japanese */
	{ "shift_jis", "CP932" }, { "shift-jis", "CP932" }, { "sjis", "CP932" },
	{ "x-sjis", "CP932" }, { "ms_kanji", "CP932" }, { "ms932", "CP932" },
	{ "windows-31j", "CP932" }, { "csshiftjis", "CP932" },
	{ "cp932", "CP932" },
	{ "euc-jp", "EUC-JP" }, { "x-euc-jp", "EUC-JP" },
	{ "cseucpkdfmtjapanese", "EUC-JP" },
	{ "iso-2022-jp", "ISO-2022-JP-2" }, { "csiso2022jp", "ISO-2022-JP-2" },
	{ "iso-2022-jp-2", "ISO-2022-JP-2" },
	/* Korean: WHATWG's euc-kr is Microsoft's superset */
	{ "euc-kr", "CP949" }, { "ks_c_5601-1987", "CP949" },
	{ "ks_c_5601-1989", "CP949" }, { "ksc5601", "CP949" },
	{ "ksc_5601", "CP949" }, { "korean", "CP949" }, { "cseuckr", "CP949" },
	{ "csksc56011987", "CP949" }, { "iso-ir-149", "CP949" },
	{ "windows-949", "CP949" }, { "cp949", "CP949" }, { "uhc", "CP949" },
	{ "iso-2022-kr", "ISO-2022-KR" }, { "csiso2022kr", "ISO-2022-KR" },
	/* Unicode */
	{ "utf-16", "UTF-16" }, { "utf-16be", "UTF-16BE" },
	{ "utf-16le", "UTF-16LE" }, { "unicodefffe", "UTF-16BE" },
	{ "unicode", "UTF-16LE" }, { "ucs-2", "UTF-16" },
	{ "utf-32", "UTF-32" }, { "utf-32be", "UTF-32BE" },
	{ "utf-32le", "UTF-32LE" },
	{ "utf-7", "UTF-7" }, { "unicode-1-1-utf-7", "UTF-7" },
	{ "csunicode11utf7", "UTF-7" },
	/* ours */
	{ "x-user-defined", "x-user-defined" },
	{ "x-unknown", NULL }, { "unknown-8bit", NULL }, { "unknown", NULL },
	{ "x-unknown-8bit", NULL }, { "default", NULL }, { "8bit", NULL },
	{ "none", NULL }, { "charset", NULL },
};

#define NALIASES	(sizeof aliases / sizeof aliases[0])

/* aliases sorted by label for bsearch, built on first use */
static const struct alias	*sorted[NALIASES];
static bool			 sorted_ready;

struct cache_ent {
	char	*name;		/* iconv name */
	iconv_t	 cd;		/* (iconv_t)-1: iconv does not know it */
};

static struct cache_ent	cache[CACHE_MAX];
static size_t		ncache;

/* Windows-1252 0x80..0x9f; undefined bytes map to the C1 control. */
static const uint16_t cp1252_hi[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

static const char	 replacement[] = "\xef\xbf\xbd";	/* U+FFFD */

static bool	clean_label(const char *, size_t, char *, size_t);
static const char *lookup(const char *, size_t, bool *);
static enum cs_kind kind_of(const char *);
static iconv_t	cache_get(const char *);
static void	put_cp(struct buf *, uint32_t);
static void	dec_cp1252(const unsigned char *, size_t, struct buf *);
static void	dec_userdef(const unsigned char *, size_t, struct buf *);
static unsigned int dec_iconv(iconv_t, const unsigned char *, size_t,
		    struct buf *);
static unsigned int dec_iconv_checked(iconv_t, const unsigned char *, size_t,
		    struct buf *);
static bool	is_ascii(const unsigned char *, size_t);
static size_t	utf8_seq(const unsigned char *, size_t);
static size_t	utf8_bad_len(const unsigned char *, size_t);
static bool	utf8_mostly(const unsigned char *, size_t);

/*
 * Copy a label into out (size outsz), lower-cased, without surrounding
 * spaces or quotes.  False if it cannot be a charset name.
 */
static bool
clean_label(const char *p, size_t len, char *out, size_t outsz)
{
	size_t	 i;
	char	 c;

	str_trim(&p, &len);
	while (len > 0 && (p[0] == '"' || p[0] == '\'')) {
		p++;
		len--;
	}
	while (len > 0 && (p[len - 1] == '"' || p[len - 1] == '\'' ||
	    p[len - 1] == ';'))
		len--;
	str_trim(&p, &len);
	if (len == 0 || len >= outsz)
		return false;
	for (i = 0; i < len; i++) {
		c = p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == ':' || c == '+' ||
		    c == '(' || c == ')'))
			return false;
		out[i] = c;
	}
	out[len] = '\0';
	return true;
}

/*
 * The name to decode label with, or NULL.  *known is false when the label
 * is not a charset at all (as opposed to x-unknown and friends).
 */
static int
cmp_alias(const void *a, const void *b)
{
	const struct alias *const *x = a, *const *y = b;

	return strcmp((*x)->label, (*y)->label);
}

static void
sort_aliases(void)
{
	size_t	 i;

	for (i = 0; i < NALIASES; i++)
		sorted[i] = &aliases[i];
	qsort(sorted, NALIASES, sizeof sorted[0], cmp_alias);
	sorted_ready = true;
}

static const char *
lookup(const char *label, size_t len, bool *known)
{
	char			 l[LABEL_MAX + 1];
	struct alias		 key;
	const struct alias	*kp, *const *hit;
	size_t			 i;

	*known = false;
	/* the label of most mail, as the table has it, without the search */
	if (label != NULL && len == 5 && (label[0] | 0x20) == 'u' &&
	    (label[1] | 0x20) == 't' && (label[2] | 0x20) == 'f' &&
	    label[3] == '-' && label[4] == '8') {
		*known = true;
		return "UTF-8";
	}
	if (label == NULL || !clean_label(label, len, l, sizeof l))
		return NULL;
	if (!sorted_ready)
		sort_aliases();
	key.label = l;
	kp = &key;
	if ((hit = bsearch(&kp, sorted, NALIASES, sizeof sorted[0],
	    cmp_alias)) != NULL) {
		*known = true;
		return (*hit)->name;
	}
	/* Not in the table: whatever iconv knows by that name. */
	for (i = 0; l[i] != '\0'; i++)
		if (l[i] >= 'a' && l[i] <= 'z')
			l[i] = (char)(l[i] - 'a' + 'A');
	/* glibc's locale-dependent pseudo charsets are not labels */
	if (strcmp(l, "CHAR") == 0 || strcmp(l, "WCHAR_T") == 0 ||
	    cache_get(l) == (iconv_t)-1)
		return NULL;
	*known = true;
	for (i = 0; i < ncache; i++)
		if (strcmp(cache[i].name, l) == 0)
			return cache[i].name;
	return NULL;
}

static enum cs_kind
kind_of(const char *name)
{
	if (name == NULL)
		return CS_NONE;
	if (strcmp(name, "UTF-8") == 0)
		return CS_UTF8;
	if (strcmp(name, "WINDOWS-1252") == 0)
		return CS_CP1252;
	if (strcmp(name, "US-ASCII") == 0)
		return CS_ASCII;
	if (strcmp(name, "x-user-defined") == 0)
		return CS_USERDEF;
	return CS_ICONV;
}

static iconv_t
cache_get(const char *name)
{
	iconv_t	 cd;
	size_t	 i;

	for (i = 0; i < ncache; i++)
		if (strcmp(cache[i].name, name) == 0)
			return cache[i].cd;
	cd = iconv_open("UTF-8", name);
	if (ncache == CACHE_MAX) {
		/* Full: drop the oldest entry. */
		if (cache[0].cd != (iconv_t)-1)
			iconv_close(cache[0].cd);
		free(cache[0].name);
		memmove(cache, cache + 1, (CACHE_MAX - 1) * sizeof cache[0]);
		ncache--;
	}
	cache[ncache].name = xstrdup(name);
	cache[ncache].cd = cd;
	ncache++;
	return cd;
}

void
charset_cache_clear(void)
{
	size_t	 i;

	for (i = 0; i < ncache; i++) {
		if (cache[i].cd != (iconv_t)-1)
			iconv_close(cache[i].cd);
		free(cache[i].name);
	}
	ncache = 0;
}

const char *
charset_canon(const char *label, size_t len)
{
	bool	 known;

	return lookup(label, len, &known);
}

bool
charset_is_utf8(const char *label, size_t len)
{
	bool		 known;
	const char	*n;

	n = lookup(label, len, &known);
	return n != NULL && strcmp(n, "UTF-8") == 0;
}

static void
put_cp(struct buf *out, uint32_t c)
{
	unsigned char	 u[4];

	if (c < 0x80) {
		buf_add_byte(out, (unsigned char)c);
	} else if (c < 0x800) {
		u[0] = (unsigned char)(0xc0 | c >> 6);
		u[1] = (unsigned char)(0x80 | (c & 0x3f));
		buf_add(out, u, 2);
	} else {
		u[0] = (unsigned char)(0xe0 | c >> 12);
		u[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (c & 0x3f));
		buf_add(out, u, 3);
	}
}

static void
dec_cp1252(const unsigned char *s, size_t len, struct buf *out)
{
	size_t	 i, run;

	buf_reserve(out, len + len / 2);
	for (i = 0; i < len; i += run) {
		for (run = 0; i + run < len && s[i + run] < 0x80; run++)
			;
		if (run > 0) {
			buf_add(out, s + i, run);
			continue;
		}
		run = 1;
		put_cp(out, s[i] < 0xa0 ? cp1252_hi[s[i] - 0x80] : s[i]);
	}
}

/* WHATWG x-user-defined: 0x80..0xff map to U+F780..U+F7FF. */
static void
dec_userdef(const unsigned char *s, size_t len, struct buf *out)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		put_cp(out, s[i] < 0x80 ? s[i] : 0xf780u + (s[i] - 0x80u));
}

static unsigned int
dec_iconv(iconv_t cd, const unsigned char *s, size_t len, struct buf *out)
{
	char		*in = (char *)(uintptr_t)s, *o;
	size_t		 inleft = len, oleft, r, room;
	unsigned int	 flags = 0;

	(void)iconv(cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		room = inleft * 4 + 16;
		buf_reserve(out, room);
		o = out->data + out->len;
		oleft = room;
		r = iconv(cd, &in, &inleft, &o, &oleft);
		out->len += room - oleft;
		out->data[out->len] = '\0';
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		/* EILSEQ or EINVAL: one bad byte, or a cut sequence */
		buf_add(out, replacement, 3);
		flags |= CHARSET_REPLACED;
		if (errno == EINVAL)
			break;
		in++;
		inleft--;
	}
	/* Flush a stateful decoder's pending output. */
	room = 16;
	buf_reserve(out, room);
	o = out->data + out->len;
	oleft = room;
	(void)iconv(cd, NULL, NULL, &o, &oleft);
	out->len += room - oleft;
	out->data[out->len] = '\0';
	return flags;
}

/*
 * iconv's output is trusted only after a check: some decoders (glibc's
 * UTF-8 under another name, UTF-7) let surrogates through.
 */
static unsigned int
dec_iconv_checked(iconv_t cd, const unsigned char *s, size_t len,
    struct buf *out)
{
	struct buf	 tmp = BUF_INIT;
	size_t		 start = out->len;
	unsigned int	 flags;

	flags = dec_iconv(cd, s, len, out);
	if (charset_utf8_valid(out->data + start, out->len - start))
		return flags;
	buf_add(&tmp, out->data + start, out->len - start);
	buf_truncate(out, start);
	flags |= charset_utf8_repair(tmp.data, tmp.len, out);
	buf_fini(&tmp);
	return flags;
}

static bool
is_ascii(const unsigned char *s, size_t len)
{
	size_t		 i = 0;
	uint64_t	 w, acc = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	if (acc & 0x8080808080808080ull)
		return false;
	for (; i < len; i++)
		if (s[i] & 0x80)
			return false;
	return true;
}

/* Length of the valid UTF-8 sequence at s (len > 0), or 0 if invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char	 c = s[0], lo = 0x80, hi = 0xbf;
	size_t		 n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return 0;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/*
 * Bytes to replace with one U+FFFD at an invalid sequence s[0..len): the
 * lead byte and the continuation bytes that still fitted it.
 */
static size_t
utf8_bad_len(const unsigned char *s, size_t len)
{
	unsigned char	 c = s[0], lo = 0x80, hi = 0xbf;
	size_t		 n, i;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 1;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (len < 2 || s[1] < lo || s[1] > hi)
		return 1;
	for (i = 2; i < n && i < len && (s[i] & 0xc0) == 0x80; i++)
		;
	return i;
}

size_t
charset_utf8_prefix(const void *p, size_t len)
{
	const unsigned char	*s = p;
	size_t			 i = 0, n;
	uint64_t		 w;

	while (i < len) {
		if (i + 8 <= len) {
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ull) == 0) {
				i += 8;
				continue;
			}
		}
		if ((n = utf8_seq(s + i, len - i)) == 0)
			break;
		i += n;
	}
	return i;
}

bool
charset_utf8_valid(const void *p, size_t len)
{
	return charset_utf8_prefix(p, len) == len;
}

unsigned int
charset_utf8_repair(const void *p, size_t len, struct buf *out)
{
	const unsigned char	*s = p;
	unsigned int		 flags = 0;
	size_t			 n;

	while (len > 0) {
		n = charset_utf8_prefix(s, len);
		buf_add(out, s, n);
		s += n;
		len -= n;
		if (len == 0)
			break;
		/* One U+FFFD per maximal invalid prefix (WHATWG). */
		buf_add(out, replacement, 3);
		flags |= CHARSET_REPLACED;
		n = utf8_bad_len(s, len);
		s += n;
		len -= n;
	}
	return flags;
}

/*
 * Are there valid multibyte UTF-8 sequences in s, at least as many as
 * bytes that are not UTF-8?  Text in a legacy 8-bit charset almost never
 * has any.
 */
static bool
utf8_mostly(const unsigned char *s, size_t len)
{
	size_t	 i = 0, n, good = 0, bad = 0;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_seq(s + i, len - i)) == 0) {
			bad++;
			i++;
		} else {
			good++;
			i += n;
		}
	}
	return good > 0 && good >= bad;
}

static unsigned int
decode_as(const char *name, const unsigned char *s, size_t len,
    struct buf *out)
{
	iconv_t	 cd;

	switch (kind_of(name)) {
	case CS_UTF8:
		return charset_utf8_repair(s, len, out);
	case CS_ASCII:
		/*
		 * lenient: 8-bit bytes under an ASCII label mean the label is
		 * wrong; valid UTF-8 is then far likelier than windows-1252.
		 */
		if (charset_utf8_valid(s, len)) {
			buf_add(out, s, len);
			return CHARSET_FALLBACK;
		}
		dec_cp1252(s, len, out);
		return 0;
	case CS_CP1252:
		dec_cp1252(s, len, out);
		return 0;
	case CS_USERDEF:
		dec_userdef(s, len, out);
		return 0;
	case CS_ICONV:
		if ((cd = cache_get(name)) != (iconv_t)-1)
			return dec_iconv_checked(cd, s, len, out);
		/* FALLTHROUGH */
	default:
		dec_cp1252(s, len, out);
		return CHARSET_FALLBACK;
	}
}

unsigned int
charset_to_utf8(const char *label, size_t labellen, const void *p,
    size_t len, const char *assumed, struct buf *out)
{
	const unsigned char	*s = p;
	const char		*name = NULL, *alt;
	bool			 known = false, labelled;
	unsigned int		 flags = 0;
	enum cs_kind		 k;

	/* WHATWG "decode": a byte order mark beats the label */
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		return charset_utf8_repair(s + 3, len - 3, out);
	if (len >= 2 && (memcmp(s, "\xfe\xff", 2) == 0 ||
	    memcmp(s, "\xff\xfe", 2) == 0))
		return decode_as(s[0] == 0xfe ? "UTF-16BE" : "UTF-16LE",
		    s + 2, len - 2, out);
	labelled = label != NULL && labellen > 0;
	if (labelled) {
		name = lookup(label, labellen, &known);
		if (!known)
			flags |= CHARSET_UNKNOWN;
	}
	k = kind_of(name);
	/* Fast path: ASCII in an ASCII-compatible charset. */
	if ((k == CS_UTF8 || k == CS_CP1252 || k == CS_ASCII ||
	    k == CS_NONE) && is_ascii(s, len)) {
		buf_add(out, s, len);
		return flags;
	}
	if (name != NULL)
		return flags | decode_as(name, s, len, out);
	/*
	 * lenient: unlabelled or unknown 8-bit text is UTF-8 when it is
	 * valid UTF-8, else the assumed charset, else windows-1252.
	 */
	flags |= CHARSET_FALLBACK;
	if (charset_utf8_valid(s, len)) {
		buf_add(out, s, len);
		return flags;
	}
	/* lenient: mostly UTF-8 with a few bad bytes stays UTF-8 */
	if (utf8_mostly(s, len))
		return flags | charset_utf8_repair(s, len, out);
	if (assumed != NULL && (alt = lookup(assumed, strlen(assumed),
	    &known)) != NULL)
		return flags | (decode_as(alt, s, len, out) &
		    ~CHARSET_FALLBACK);
	dec_cp1252(s, len, out);
	return flags;
}
