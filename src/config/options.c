/* SPDX-License-Identifier: ISC */
/*
 * Typed option storage, the one setter (opt_set) and its value parsers.
 * Every value, from the file, the settings screen or a default, passes
 * through opt_check(), so type, range and choice checks live only here.
 */
#include "config.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "config/options.h"
#include "conf-private.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/str.h"
#include "util/xmalloc.h"

struct opt_val {
	char		*text;		/* as given; NULL: unset */
	int64_t		 num;		/* BOOL, INT, ENUM, DURATION, SIZE */
	struct opt_colour col;		/* COLOUR */
	char		**list;		/* LIST words */
	size_t		 nlist;
	enum opt_origin	 origin;
	char		*file;		/* origin FILE */
	unsigned int	 line;
};

struct opts {
	bool		 account;
	struct opt_val	 v[OPT_COUNT];
};

static const char *const section_names[OPT_SEC_COUNT] = {
	"general", "ui", "colors", "account"
};
static const char *const type_names[OPT_T_COUNT] = {
	"bool", "integer", "choice", "string", "path", "command", "colour",
	"duration", "size", "list"
};
static const char *const colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	NULL
};
static const struct {
	const char	*name;
	int		 attr;
} attr_names[] = {
	{ "bold", OPT_ATTR_BOLD }, { "underline", OPT_ATTR_UNDERLINE },
	{ "reverse", OPT_ATTR_REVERSE }, { "dim", OPT_ATTR_DIM },
	{ "italic", OPT_ATTR_ITALIC }, { "blink", OPT_ATTR_BLINK },
	{ "none", 0 },
};

const struct opt_def *
opt_def_get(enum opt_id id)
{
	assert(id < OPT_COUNT);
	return &opt_defs[id];
}

const char *
opt_section_name(enum opt_section s)
{
	assert(s < OPT_SEC_COUNT);
	return section_names[s];
}

const char *
opt_type_name(enum opt_type t)
{
	assert(t < OPT_T_COUNT);
	return type_names[t];
}

int
opt_find(enum opt_section sec, const char *name, enum opt_id *id,
    bool *renamed)
{
	size_t	 i;

	*renamed = false;
	for (i = 0; i < OPT_COUNT; i++) {
		if (opt_defs[i].section == sec &&
		    strcmp(opt_defs[i].name, name) == 0) {
			*id = (enum opt_id)i;
			return 0;
		}
	}
	for (i = 0; i < opt_nsynonyms; i++) {
		if (opt_synonyms[i].section == sec &&
		    strcmp(opt_synonyms[i].old_name, name) == 0) {
			*id = opt_synonyms[i].id;
			*renamed = true;
			return 0;
		}
	}
	return -1;
}

/* Levenshtein distance; SIZE_MAX for names too long to matter. */
size_t
opt_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j;
	size_t	 row[64], prev, tmp, best;

	if (la >= sizeof row / sizeof row[0] || lb >= sizeof row / sizeof row[0])
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] == b[j - 1] ? 0 : 1);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *
opt_suggest(enum opt_section sec, const char *name)
{
	const char	*best = NULL;
	size_t		 i, d, bestd = SIZE_MAX, limit;

	limit = strlen(name) / 3;
	if (limit < 2)
		limit = 2;
	for (i = 0; i < OPT_COUNT; i++) {
		if (opt_defs[i].section != sec)
			continue;
		d = opt_distance(name, opt_defs[i].name);
		if (d < bestd) {
			bestd = d;
			best = opt_defs[i].name;
		}
	}
	return bestd <= limit ? best : NULL;
}

int
opt_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1", NULL };
	static const char *const no[] = { "no", "false", "off", "0", NULL };
	size_t	 i, len = strlen(s);

	for (i = 0; yes[i] != NULL; i++) {
		if (str_eq_ci(s, len, yes[i])) {
			*out = true;
			return 0;
		}
		if (str_eq_ci(s, len, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* A sequence of NUMBER[UNIT] with units from units/mult; bare: unit 1. */
static int
opt_parse_scaled(const char *s, const char *units, const int64_t *mult,
    bool many, int64_t *out)
{
	uint64_t	 n;
	int64_t		 total = 0, m;
	const char	*p = s, *q, *u;
	int		 c;

	if (*s == '\0')
		return -1;
	while (*p != '\0') {
		for (q = p; *q >= '0' && *q <= '9'; q++)
			;
		if (q == p || !str_to_u64(p, (size_t)(q - p), INT64_MAX, &n))
			return -1;
		m = 1;
		if (*q != '\0') {
			c = *q >= 'A' && *q <= 'Z' ? *q + ('a' - 'A') : *q;
			/* c is never NUL here: strchr would find the end. */
			if (c < 'a' || c > 'z' || (u = strchr(units, c)) == NULL)
				return -1;
			m = mult[u - units];
			q++;
		}
		if ((int64_t)n > (INT64_MAX - total) / m)
			return -1;
		total += (int64_t)n * m;
		p = q;
		if (!many && *p != '\0')
			return -1;
	}
	*out = total;
	return 0;
}

int
opt_parse_duration(const char *s, int64_t *seconds)
{
	static const int64_t mult[] = { 1, 60, 3600, 86400 };

	return opt_parse_scaled(s, "smhd", mult, true, seconds);
}

int
opt_parse_size(const char *s, int64_t *bytes)
{
	static const int64_t mult[] = { 1, 1024, 1024 * 1024,
	    1024 * 1024 * 1024 };
	char	 tmp[32];
	size_t	 len = strlen(s);

	/* Accept a trailing "B" (10MB, 512B): still powers of 1024. */
	if (len > 0 && len < sizeof tmp && (s[len - 1] == 'B' ||
	    s[len - 1] == 'b')) {
		memcpy(tmp, s, len - 1);
		tmp[len - 1] = '\0';
		if (len >= 2 && strchr("kKmMgG", tmp[len - 2]) == NULL &&
		    (tmp[len - 2] < '0' || tmp[len - 2] > '9'))
			return -1;
		return opt_parse_scaled(tmp, "bkmg", mult, false, bytes);
	}
	return opt_parse_scaled(s, "bkmg", mult, false, bytes);
}

static int
opt_parse_colour_word(const char *w, size_t len, int *out)
{
	uint64_t	 n;
	size_t		 i, skip = 0;

	if (str_eq_ci(w, len, "default")) {
		*out = -1;
		return 0;
	}
	if (str_has_prefix_ci(w, len, "colour"))
		skip = 6;
	else if (str_has_prefix_ci(w, len, "color"))
		skip = 5;
	if (skip > 0) {
		if (!str_to_u64(w + skip, len - skip, 255, &n))
			return -1;
		*out = (int)n;
		return 0;
	}
	if (str_has_prefix_ci(w, len, "bright"))
		skip = 6;
	for (i = 0; colour_names[i] != NULL; i++) {
		if (str_eq_ci(w + skip, len - skip, colour_names[i])) {
			*out = (int)i + (skip > 0 ? 8 : 0);
			return 0;
		}
	}
	return -1;
}

/*
 * Parse a colour; on failure *bad and *badlen give the word that is wrong
 * and *want says whether a colour (0) or an attribute (1) was expected.
 */
static int
opt_parse_colour_at(const char *s, struct opt_colour *c, const char **bad,
    size_t *badlen, int *want)
{
	const char	*p = s, *w;
	size_t		 len, i;
	int		 nword = 0;

	c->fg = c->bg = -1;
	c->attrs = 0;
	*bad = s;
	*badlen = 0;
	*want = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		for (w = p; *p != '\0' && *p != ' ' && *p != '\t'; p++)
			;
		len = (size_t)(p - w);
		if (nword < 2 && opt_parse_colour_word(w, len,
		    nword == 0 ? &c->fg : &c->bg) == 0) {
			nword++;
			continue;
		}
		for (i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
			if (str_eq_ci(w, len, attr_names[i].name))
				break;
		if (i == sizeof attr_names / sizeof attr_names[0] ||
		    nword == 0) {
			*bad = w;
			*badlen = len;
			*want = nword == 0 ? 0 : nword == 1 ? 2 : 1;
			return -1;
		}
		nword = 2;
		c->attrs |= attr_names[i].attr;
	}
	return nword == 0 ? -1 : 0;
}

int
opt_parse_colour(const char *s, struct opt_colour *c)
{
	const char	*bad;
	size_t		 badlen;
	int		 want;

	return opt_parse_colour_at(s, c, &bad, &badlen, &want);
}

void
opt_format_duration(int64_t s, struct buf *b)
{
	if (s != 0 && s % 86400 == 0)
		buf_printf(b, "%lldd", (long long)(s / 86400));
	else if (s != 0 && s % 3600 == 0)
		buf_printf(b, "%lldh", (long long)(s / 3600));
	else if (s != 0 && s % 60 == 0)
		buf_printf(b, "%lldm", (long long)(s / 60));
	else
		buf_printf(b, "%llds", (long long)s);
}

void
opt_format_size(int64_t n, struct buf *b)
{
	if (n != 0 && n % (1024 * 1024 * 1024) == 0)
		buf_printf(b, "%lldG", (long long)(n / (1024 * 1024 * 1024)));
	else if (n != 0 && n % (1024 * 1024) == 0)
		buf_printf(b, "%lldM", (long long)(n / (1024 * 1024)));
	else if (n != 0 && n % 1024 == 0)
		buf_printf(b, "%lldK", (long long)(n / 1024));
	else
		buf_printf(b, "%lld", (long long)n);
}

static int
opt_range_err(const struct opt_def *d, const char *text, const char *what,
    struct err *e)
{
	struct buf	 lo = BUF_INIT, hi = BUF_INIT;
	int		 rv;

	if (d->type == OPT_T_DURATION) {
		opt_format_duration(d->min, &lo);
		opt_format_duration(d->max, &hi);
	} else if (d->type == OPT_T_SIZE) {
		opt_format_size(d->min, &lo);
		opt_format_size(d->max, &hi);
	} else {
		buf_printf(&lo, "%lld", (long long)d->min);
		buf_printf(&hi, "%lld", (long long)d->max);
	}
	rv = err_set(e, ERR_INPUT, "%s: \"%s\" is %s %s to %s", d->name, text,
	    what, buf_str(&lo), buf_str(&hi));
	buf_fini(&lo);
	buf_fini(&hi);
	return rv;
}

/* Parse text for d into num/col; no storage. */
static int
opt_parse(const struct opt_def *d, const char *text, int64_t *num,
    struct opt_colour *col, struct err *e)
{
	struct buf	 b = BUF_INIT;
	const char	*p;
	uint64_t	 u;
	bool		 bv;
	size_t		 i;
	int		 rv;

	for (p = text; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, ERR_INPUT,
			    "%s: the value contains a control character",
			    d->name);
	switch (d->type) {
	case OPT_T_BOOL:
		if (opt_parse_bool(text, &bv) == -1)
			return err_set(e, ERR_INPUT,
			    "%s: \"%s\" is not yes or no", d->name, text);
		*num = bv;
		return 0;
	case OPT_T_INT:
		if (!str_to_u64(text, strlen(text), INT64_MAX, &u))
			return opt_range_err(d, text, "not a number from", e);
		if ((int64_t)u < d->min || (int64_t)u > d->max)
			return opt_range_err(d, text, "out of range", e);
		*num = (int64_t)u;
		return 0;
	case OPT_T_DURATION:
	case OPT_T_SIZE:
		rv = d->type == OPT_T_DURATION ?
		    opt_parse_duration(text, num) : opt_parse_size(text, num);
		if (rv == -1)
			return opt_range_err(d, text, d->type == OPT_T_SIZE ?
			    "not a size (like 512K, 10M, 1G) from" :
			    "not a duration (like 30s, 5m, 2h) from", e);
		if (*num < d->min || *num > d->max)
			return opt_range_err(d, text, "out of range", e);
		return 0;
	case OPT_T_ENUM:
		for (i = 0; d->choices[i] != NULL; i++) {
			if (str_eq_ci(text, strlen(text), d->choices[i])) {
				*num = (int64_t)i;
				return 0;
			}
		}
		for (i = 0; d->choices[i] != NULL; i++)
			buf_printf(&b, "%s%s", i > 0 ? ", " : "",
			    d->choices[i]);
		err_set(e, ERR_INPUT, "%s: \"%s\" is not one of: %s",
		    d->name, text, buf_str(&b));
		buf_fini(&b);
		return -1;
	case OPT_T_COLOUR:
		if (opt_parse_colour_at(text, col, &p, &i, &rv) == 0)
			return 0;
		if (i == 0)
			return err_set(e, ERR_INPUT, "%s: a colour is needed "
			    "(FOREGROUND [BACKGROUND] [ATTRIBUTE...])",
			    d->name);
		return err_set(e, ERR_INPUT, "%s: \"%.*s\" is not %s (%s)",
		    d->name, (int)i, p, rv == 1 ? "an attribute" :
		    rv == 2 ? "a colour or attribute" : "a colour",
		    rv == 1 ? "bold, underline, reverse, dim, italic, blink" :
		    "default, black, red, green, yellow, blue, magenta, cyan, "
		    "white, bright..., colour0 to colour255");
	case OPT_T_STRING:
	case OPT_T_PATH:
	case OPT_T_COMMAND:
	case OPT_T_LIST:
		if ((d->type == OPT_T_PATH || d->type == OPT_T_COMMAND) &&
		    *text == '\0')
			return err_set(e, ERR_INPUT, "%s: the %s is empty",
			    d->name, type_names[d->type]);
		return 0;
	case OPT_T_COUNT:
		break;
	}
	abort();
}

int
opt_check(enum opt_id id, const char *text, struct err *e)
{
	int64_t			 num;
	struct opt_colour	 col;

	assert(id < OPT_COUNT);
	return opt_parse(&opt_defs[id], text, &num, &col, e);
}

static void
opt_val_clear(struct opt_val *v)
{
	size_t	 i;

	if (v->text != NULL)
		explicit_bzero(v->text, strlen(v->text));
	free(v->text);
	free(v->file);
	for (i = 0; i < v->nlist; i++)
		free(v->list[i]);
	free(v->list);
	memset(v, 0, sizeof *v);
}

static void
opt_split_list(struct opt_val *v)
{
	const char	*p = v->text, *w;
	size_t		 cap = 0;

	for (;;) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		for (w = p; *p != '\0' && *p != ',' && *p != ' ' &&
		    *p != '\t'; p++)
			;
		if (v->nlist == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			v->list = xreallocarray(v->list, cap, sizeof *v->list);
		}
		v->list[v->nlist++] = xstrndup(w, (size_t)(p - w));
	}
}

static bool
opt_in_scope(const struct opts *o, enum opt_id id)
{
	return (opt_defs[id].section == OPT_SEC_ACCOUNT) == o->account;
}

int
opt_set(struct opts *o, enum opt_id id, const char *text,
    enum opt_origin origin, const char *file, unsigned int line,
    struct err *e)
{
	struct opt_val		*v;
	int64_t			 num = 0;
	struct opt_colour	 col = { -1, -1, 0 };
	char			*ntext, *nfile;

	assert(id < OPT_COUNT && opt_in_scope(o, id));
	if (opt_parse(&opt_defs[id], text, &num, &col, e) == -1)
		return -1;
	/* text and file may point into the old value: copy them first. */
	ntext = xstrdup(text);
	nfile = file != NULL ? xstrdup(file) : NULL;
	v = &o->v[id];
	opt_val_clear(v);
	v->text = ntext;
	v->num = num;
	v->col = col;
	if (opt_defs[id].type == OPT_T_LIST)
		opt_split_list(v);
	v->origin = origin;
	v->file = nfile;
	v->line = line;
	return 0;
}

void
opt_reset(struct opts *o, enum opt_id id)
{
	const struct opt_def	*d = &opt_defs[id];
	struct err		 e;

	assert(id < OPT_COUNT && opt_in_scope(o, id));
	opt_val_clear(&o->v[id]);
	if (d->default_text != NULL && opt_set(o, id, d->default_text,
	    OPT_ORIGIN_DEFAULT, NULL, 0, &e) == -1)
		abort();	/* a bad default: the table test catches it */
}

struct opts *
opts_new(bool account)
{
	struct opts	*o;
	size_t		 i;

	o = xcalloc(1, sizeof *o);
	o->account = account;
	for (i = 0; i < OPT_COUNT; i++)
		if (opt_in_scope(o, (enum opt_id)i))
			opt_reset(o, (enum opt_id)i);
	return o;
}

void
opts_free(struct opts *o)
{
	size_t	 i;

	if (o == NULL)
		return;
	for (i = 0; i < OPT_COUNT; i++)
		opt_val_clear(&o->v[i]);
	free(o);
}

struct opts *
opts_dup(const struct opts *o)
{
	struct opts	*n;
	size_t		 i, j;

	n = xcalloc(1, sizeof *n);
	n->account = o->account;
	for (i = 0; i < OPT_COUNT; i++) {
		n->v[i] = o->v[i];
		n->v[i].text = o->v[i].text ? xstrdup(o->v[i].text) : NULL;
		n->v[i].file = o->v[i].file ? xstrdup(o->v[i].file) : NULL;
		if (o->v[i].nlist > 0) {
			n->v[i].list = xreallocarray(NULL, o->v[i].nlist,
			    sizeof *n->v[i].list);
			for (j = 0; j < o->v[i].nlist; j++)
				n->v[i].list[j] = xstrdup(o->v[i].list[j]);
		}
	}
	return n;
}

static const struct opt_val *
opt_get(const struct opts *o, enum opt_id id, enum opt_type t)
{
	assert(id < OPT_COUNT && opt_in_scope(o, id));
	assert(opt_defs[id].type == t);
	return &o->v[id];
}

bool
opt_bool(const struct opts *o, enum opt_id id)
{
	return opt_get(o, id, OPT_T_BOOL)->num != 0;
}

int64_t
opt_int(const struct opts *o, enum opt_id id)
{
	return opt_get(o, id, OPT_T_INT)->num;
}

int
opt_enum(const struct opts *o, enum opt_id id)
{
	const struct opt_val	*v = opt_get(o, id, OPT_T_ENUM);

	return v->text != NULL ? (int)v->num : -1;
}

const char *
opt_str(const struct opts *o, enum opt_id id)
{
	assert(opt_defs[id].type == OPT_T_STRING ||
	    opt_defs[id].type == OPT_T_PATH ||
	    opt_defs[id].type == OPT_T_COMMAND);
	return opt_get(o, id, opt_defs[id].type)->text;
}

int64_t
opt_duration(const struct opts *o, enum opt_id id)
{
	return opt_get(o, id, OPT_T_DURATION)->num;
}

int64_t
opt_size(const struct opts *o, enum opt_id id)
{
	return opt_get(o, id, OPT_T_SIZE)->num;
}

struct opt_colour
opt_colour(const struct opts *o, enum opt_id id)
{
	return opt_get(o, id, OPT_T_COLOUR)->col;
}

const char *const *
opt_list(const struct opts *o, enum opt_id id, size_t *n)
{
	const struct opt_val	*v = opt_get(o, id, OPT_T_LIST);

	*n = v->nlist;
	return (const char *const *)v->list;
}

bool
opt_is_set(const struct opts *o, enum opt_id id)
{
	return opt_get(o, id, opt_defs[id].type)->text != NULL;
}

const char *
opt_text(const struct opts *o, enum opt_id id)
{
	return opt_get(o, id, opt_defs[id].type)->text;
}

enum opt_origin
opt_origin(const struct opts *o, enum opt_id id)
{
	return opt_get(o, id, opt_defs[id].type)->origin;
}

const char *
opt_origin_file(const struct opts *o, enum opt_id id)
{
	return opt_get(o, id, opt_defs[id].type)->file;
}

unsigned int
opt_origin_line(const struct opts *o, enum opt_id id)
{
	return opt_get(o, id, opt_defs[id].type)->line;
}

static bool
opt_val_differs(enum opt_id id, const struct opt_val *va,
    const struct opt_val *vb)
{
	size_t	 i;

	if ((va->text == NULL) != (vb->text == NULL))
		return true;
	if (va->text == NULL)
		return false;
	switch (opt_defs[id].type) {
	case OPT_T_BOOL:
	case OPT_T_INT:
	case OPT_T_ENUM:
	case OPT_T_DURATION:
	case OPT_T_SIZE:
		return va->num != vb->num;
	case OPT_T_COLOUR:
		return va->col.fg != vb->col.fg || va->col.bg != vb->col.bg ||
		    va->col.attrs != vb->col.attrs;
	case OPT_T_LIST:
		if (va->nlist != vb->nlist)
			return true;
		for (i = 0; i < va->nlist; i++)
			if (strcmp(va->list[i], vb->list[i]) != 0)
				return true;
		return false;
	default:
		return strcmp(va->text, vb->text) != 0;
	}
}

bool
opt_differs(const struct opts *a, const struct opts *b, enum opt_id id)
{
	return opt_val_differs(id, opt_get(a, id, opt_defs[id].type),
	    opt_get(b, id, opt_defs[id].type));
}

bool
opt_is_default(const struct opts *o, enum opt_id id)
{
	const struct opt_def	*d = &opt_defs[id];
	struct opt_val		 def;
	struct err		 e;
	bool			 same;

	memset(&def, 0, sizeof def);
	if (d->default_text != NULL) {
		if (opt_parse(d, d->default_text, &def.num, &def.col, &e) == -1)
			abort();	/* the table test catches it */
		def.text = xstrdup(d->default_text);
		if (d->type == OPT_T_LIST)
			opt_split_list(&def);
	}
	same = !opt_val_differs(id, opt_get(o, id, d->type), &def);
	opt_val_clear(&def);
	return same;
}
