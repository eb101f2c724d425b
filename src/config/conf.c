/* SPDX-License-Identifier: ISC */
/*
 * The configuration as a whole: loading a file through the pure lexer
 * (conf-parse.c) into typed options, accounts and key bindings with every
 * error collected as FILE:LINE, run-time changes, saving them back through
 * conf-write.c, reloading, and --dump-config.  Nothing here prints.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/conf-parse.h"
#include "config/conf.h"
#include "config/options.h"
#include "conf-private.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct conf_account {
	char		*name;
	struct opts	*opts;
	unsigned int	 line;		/* header line; 0: added at run time */
	bool		 renamed;	/* the header needs rewriting */
};

/* What the file and the run-time changes say now. */
struct conf_state {
	struct opts		 *global;
	struct conf_account	**acc;
	size_t			  nacc;
	struct conf_key		 *keys;
	size_t			  nkeys;
	unsigned int		 *dellines;	/* option lines to remove */
	size_t			  ndellines;
	unsigned int		 *delsections;	/* account headers to remove */
	size_t			  ndelsections;
};

/* A run-time change, kept to re-apply it on top of a reloaded file. */
enum conf_op_kind {
	CONF_OP_SET, CONF_OP_UNSET, CONF_OP_CMDLINE, CONF_OP_ACC_ADD,
	CONF_OP_ACC_REMOVE, CONF_OP_ACC_RENAME, CONF_OP_KEY_BIND
};
struct conf_op {
	enum conf_op_kind	 kind;
	char			*account;	/* or NULL */
	enum opt_id		 id;
	char			*text;		/* value or action, or NULL */
	char			*screen;
	char			*key;
};

struct conf {
	struct conf_state	 st;
	char			*path;		/* file to save to, or NULL */
	struct buf		 text;		/* its content as last read/written */
	bool			 exists;	/* it existed then */
	conf_key_check_cb	 kcb;
	void			*karg;
	struct conf_op		*ops;
	size_t			 nops;
	bool			 dirty;
};

static void	conf_state_init(struct conf_state *);
static void	conf_state_fini(struct conf_state *);

void
conf_msgs_init(struct conf_msgs *m)
{
	memset(m, 0, sizeof *m);
}

void
conf_msgs_fini(struct conf_msgs *m)
{
	size_t	 i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].text);
	free(m->v);
	memset(m, 0, sizeof *m);
}

static void __attribute__((format(printf, 5, 6)))
conf_msg_add(struct conf_msgs *m, const char *file, unsigned int line,
    bool warning, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	if (m == NULL)
		return;
	if (line > 0)
		buf_printf(&b, "%s:%u: ", file, line);
	else
		buf_printf(&b, "%s: ", file);
	if (warning)
		buf_add_str(&b, "warning: ");
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 8 : m->cap * 2;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	m->v[m->n].text = buf_take(&b, NULL);
	m->v[m->n].line = line;
	m->v[m->n].warning = warning;
	m->n++;
	if (!warning)
		m->nerrors++;
}

static void
conf_uint_add(unsigned int **v, size_t *n, unsigned int x)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = x;
}

static void
conf_state_init(struct conf_state *st)
{
	memset(st, 0, sizeof *st);
	st->global = opts_new(false);
}

static void
conf_account_free(struct conf_account *a)
{
	free(a->name);
	opts_free(a->opts);
	free(a);
}

static void
conf_key_fini(struct conf_key *k)
{
	free(k->screen);
	free(k->key);
	free(k->action);
}

static void
conf_state_fini(struct conf_state *st)
{
	size_t	 i;

	opts_free(st->global);
	for (i = 0; i < st->nacc; i++)
		conf_account_free(st->acc[i]);
	free(st->acc);
	for (i = 0; i < st->nkeys; i++)
		conf_key_fini(&st->keys[i]);
	free(st->keys);
	free(st->dellines);
	free(st->delsections);
	memset(st, 0, sizeof *st);
}

static struct conf_account *
conf_state_account(const struct conf_state *st, const char *name)
{
	size_t	 i;

	for (i = 0; i < st->nacc; i++)
		if (strcmp(st->acc[i]->name, name) == 0)
			return st->acc[i];
	return NULL;
}

static struct conf_account *
conf_state_account_new(struct conf_state *st, const char *name,
    unsigned int line)
{
	struct conf_account	*a;

	a = xcalloc(1, sizeof *a);
	a->name = xstrdup(name);
	a->opts = opts_new(true);
	a->line = line;
	st->acc = xreallocarray(st->acc, st->nacc + 1, sizeof *st->acc);
	st->acc[st->nacc++] = a;
	return a;
}

static struct conf_key *
conf_state_key(const struct conf_state *st, const char *screen,
    const char *key)
{
	size_t	 i;

	for (i = 0; i < st->nkeys; i++)
		if (strcmp(st->keys[i].screen, screen) == 0 &&
		    strcmp(st->keys[i].key, key) == 0)
			return &st->keys[i];
	return NULL;
}

static void
conf_state_key_add(struct conf_state *st, const char *screen,
    const char *key, const char *action, enum opt_origin origin,
    unsigned int line)
{
	struct conf_key	*k;

	st->keys = xreallocarray(st->keys, st->nkeys + 1, sizeof *st->keys);
	k = &st->keys[st->nkeys++];
	k->screen = xstrdup(screen);
	k->key = xstrdup(key);
	k->action = xstrdup(action);
	k->origin = origin;
	k->line = line;
}

struct conf *
conf_new(void)
{
	struct conf	*c;

	c = xcalloc(1, sizeof *c);
	conf_state_init(&c->st);
	buf_init(&c->text);
	return c;
}

static void
conf_ops_clear(struct conf *c, bool keep_cmdline)
{
	size_t	 i, n = 0;

	for (i = 0; i < c->nops; i++) {
		if (keep_cmdline && c->ops[i].kind == CONF_OP_CMDLINE) {
			c->ops[n++] = c->ops[i];
			continue;
		}
		free(c->ops[i].account);
		if (c->ops[i].text != NULL)
			explicit_bzero(c->ops[i].text, strlen(c->ops[i].text));
		free(c->ops[i].text);
		free(c->ops[i].screen);
		free(c->ops[i].key);
	}
	c->nops = n;
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	conf_state_fini(&c->st);
	conf_ops_clear(c, false);
	free(c->ops);
	free(c->path);
	buf_fini_secret(&c->text);
	free(c);
}

void
conf_set_key_check(struct conf *c, conf_key_check_cb cb, void *arg)
{
	c->kcb = cb;
	c->karg = arg;
}

const char *
conf_path(const struct conf *c)
{
	return c->path;
}

void
conf_set_path(struct conf *c, const char *path)
{
	free(c->path);
	c->path = xstrdup(path);
}

const struct opts *
conf_opts(const struct conf *c)
{
	return c->st.global;
}

static bool
conf_is_ident(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '-'))
			return false;
	return true;
}

/* Account names become directory names (the spool): keep them tame. */
static int
conf_check_account_name(const char *name, struct err *e)
{
	const char	*p;

	if (*name == '\0')
		return err_set(e, ERR_INPUT, "an account name cannot be empty");
	if (*name == '.' || strchr(name, '/') != NULL)
		return err_set(e, ERR_INPUT, "account \"%s\": a name cannot "
		    "contain / or start with a dot", name);
	for (p = name; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, ERR_INPUT, "account name with a "
			    "control character");
	return 0;
}

static int
conf_check_action(const struct conf *c, const char *screen,
    const char *action, struct err *e)
{
	const char	*p;

	/* Whatever the UI accepts, it must fit on one line of the file. */
	for (p = action; p != NULL && *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, ERR_INPUT, "an action name cannot "
			    "hold a control character");
	if (action != NULL && (*action == ' ' || *action == '\0' ||
	    action[strlen(action) - 1] == ' '))
		return err_set(e, ERR_INPUT, "\"%s\" is not an action name",
		    action);
	if (c->kcb != NULL)
		return c->kcb(c->karg, screen, action, e);
	if (action != NULL && !conf_is_ident(action))
		return err_set(e, ERR_INPUT, "\"%s\" is not an action name",
		    action);
	return 0;
}

/* Loading: the lexer's items checked against the table. */

enum conf_cur { CUR_NONE, CUR_SKIP, CUR_OPTS, CUR_KEYS };

struct conf_loader {
	const struct conf	*c;
	struct conf_state	*st;
	const char		*file;
	struct conf_msgs	*msgs;
	enum conf_cur		 cur;
	enum opt_section	 sec;
	struct opts		*opts;		/* target of CUR_OPTS */
	struct opts		*scratch;	/* for a duplicate account */
	char			*screen;	/* CUR_KEYS */
	unsigned int		 default_line;	/* of default_account */
};

static const char *const conf_sections[] = {
	"general", "ui", "colors", "account", "keys.index", "keys.pager",
	NULL
};

static void
conf_load_section(struct conf_loader *L, const struct conf_item *it)
{
	struct conf_account	*a;
	struct err		 e;
	const char		*best = NULL, *s = it->section;
	size_t			 i, d, bestd = SIZE_MAX;

	L->cur = CUR_SKIP;
	free(L->screen);
	L->screen = NULL;
	if (strncmp(s, "x-", 2) == 0)
		return;		/* reserved for other programs and people */
	for (i = 0; i < OPT_SEC_COUNT; i++) {
		if (strcmp(s, opt_section_name((enum opt_section)i)) != 0)
			continue;
		L->sec = (enum opt_section)i;
		if (L->sec != OPT_SEC_ACCOUNT) {
			if (it->sub != NULL)
				conf_msg_add(L->msgs, L->file, it->line, false,
				    "[%s] takes no name", s);
			L->cur = CUR_OPTS;
			L->opts = L->st->global;
			return;
		}
		if (it->sub == NULL) {
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "an account section needs a name: "
			    "[account \"NAME\"]");
			return;
		}
		L->cur = CUR_OPTS;
		if (conf_check_account_name(it->sub, &e) == -1) {
			conf_msg_add(L->msgs, L->file, it->line, false, "%s",
			    e.msg);
			a = NULL;
		} else if ((a = conf_state_account(L->st, it->sub)) != NULL) {
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "duplicate account \"%s\" (first at line %u)",
			    it->sub, a->line);
			a = NULL;
		} else
			a = conf_state_account_new(L->st, it->sub, it->line);
		if (a != NULL)
			L->opts = a->opts;
		else {
			/* Check its options anyway, into a scratch set. */
			opts_free(L->scratch);
			L->scratch = opts_new(true);
			L->opts = L->scratch;
		}
		return;
	}
	if (strncmp(s, "keys.", 5) == 0) {
		if (it->sub != NULL)
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "[%s] takes no name", s);
		if (!conf_is_ident(s + 5) ||
		    conf_check_action(L->c, s + 5, NULL, &e) == -1) {
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "unknown screen \"%s\" in [%s]", s + 5, s);
			return;
		}
		L->cur = CUR_KEYS;
		L->screen = xstrdup(s + 5);
		return;
	}
	if (strcmp(s, "keys") == 0) {
		conf_msg_add(L->msgs, L->file, it->line, false, "key bindings "
		    "go in [keys.SCREEN], for example [keys.index]");
		return;
	}
	for (i = 0; conf_sections[i] != NULL; i++) {
		d = opt_distance(s, conf_sections[i]);
		if (d < bestd) {
			bestd = d;
			best = conf_sections[i];
		}
	}
	if (bestd <= 2)
		conf_msg_add(L->msgs, L->file, it->line, false,
		    "unknown section [%s]; did you mean [%s]?", s, best);
	else
		conf_msg_add(L->msgs, L->file, it->line, false,
		    "unknown section [%s]", s);
}

static void
conf_load_option(struct conf_loader *L, const struct conf_item *it)
{
	const char	*sug, *secname = opt_section_name(L->sec);
	enum opt_id	 id;
	bool		 renamed;
	struct err	 e;

	if (opt_find(L->sec, it->name, &id, &renamed) == -1) {
		if ((sug = opt_suggest(L->sec, it->name)) != NULL)
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "unknown option \"%s\" in [%s]; did you mean "
			    "\"%s\"?", it->name, secname, sug);
		else
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "unknown option \"%s\" in [%s]", it->name,
			    secname);
		return;
	}
	if (renamed)
		conf_msg_add(L->msgs, L->file, it->line, true,
		    "\"%s\" is now called \"%s\"; please rename it",
		    it->name, opt_defs[id].name);
	if (opt_origin(L->opts, id) == OPT_ORIGIN_FILE) {
		conf_msg_add(L->msgs, L->file, it->line, false,
		    "\"%s\" is already set at line %u", opt_defs[id].name,
		    opt_origin_line(L->opts, id));
		return;
	}
	if (opt_set(L->opts, id, it->value, OPT_ORIGIN_FILE, L->file,
	    it->line, &e) == -1) {
		conf_msg_add(L->msgs, L->file, it->line, false, "%s", e.msg);
		return;
	}
	if (id == OPT_GENERAL_DEFAULT_ACCOUNT)
		L->default_line = it->line;
}

static void
conf_load_key(struct conf_loader *L, const struct conf_item *it)
{
	struct conf_keyspec	 ks;
	struct conf_key		*k;
	struct buf		 norm = BUF_INIT;
	struct err		 e;

	if (conf_key_parse(it->name, &ks, &norm, &e) == -1)
		conf_msg_add(L->msgs, L->file, it->line, false, "%s", e.msg);
	else if (*it->value == '\0')
		conf_msg_add(L->msgs, L->file, it->line, false,
		    "key \"%s\" has no action", it->name);
	else if (conf_check_action(L->c, L->screen, it->value, &e) == -1)
		conf_msg_add(L->msgs, L->file, it->line, false,
		    "key \"%s\": %s", it->name, e.msg);
	else if ((k = conf_state_key(L->st, L->screen, buf_str(&norm))) !=
	    NULL)
		conf_msg_add(L->msgs, L->file, it->line, false,
		    "key \"%s\" is already bound at line %u", it->name,
		    k->line);
	else
		conf_state_key_add(L->st, L->screen, buf_str(&norm),
		    it->value, OPT_ORIGIN_FILE, it->line);
	buf_fini(&norm);
}

static int
conf_load_item(void *arg, const struct conf_item *it)
{
	struct conf_loader	*L = arg;

	switch (it->kind) {
	case CONF_ITEM_ERROR:
		conf_msg_add(L->msgs, L->file, it->line, false, "%s",
		    it->message);
		break;
	case CONF_ITEM_SECTION:
		if (*it->section == '\0')
			L->cur = CUR_SKIP;
		else
			conf_load_section(L, it);
		break;
	case CONF_ITEM_PAIR:
		if (it->section == NULL)
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "\"%s\" is outside any section; options go under "
			    "[general], [ui], [colors] or [account \"NAME\"]",
			    it->name);
		else if (*it->section == '\0' || L->cur == CUR_SKIP ||
		    L->cur == CUR_NONE || strncmp(it->name, "x-", 2) == 0)
			break;
		else if (L->cur == CUR_OPTS)
			conf_load_option(L, it);
		else
			conf_load_key(L, it);
		break;
	}
	return 0;
}

/* Checks that need the whole file. */
static void
conf_load_finish(struct conf_loader *L)
{
	struct conf_account	*a;
	const char		*def;
	size_t			 i, j;
	int			 proto, flag;

	for (i = 0; i < L->st->nacc; i++) {
		a = L->st->acc[i];
		if (!opt_is_set(a->opts, OPT_ACCOUNT_PROTOCOL))
			conf_msg_add(L->msgs, L->file, a->line, false,
			    "account \"%s\": missing protocol (imap or pop3)",
			    a->name);
		if (!opt_is_set(a->opts, OPT_ACCOUNT_HOST))
			conf_msg_add(L->msgs, L->file, a->line, false,
			    "account \"%s\": missing host", a->name);
		proto = opt_enum(a->opts, OPT_ACCOUNT_PROTOCOL);
		if (proto == -1)
			continue;
		flag = proto == OPT_PROTO_IMAP ? OPT_F_POP3 : OPT_F_IMAP;
		for (j = 0; j < OPT_COUNT; j++) {
			if ((opt_defs[j].flags & flag) == 0 ||
			    opt_origin(a->opts, (enum opt_id)j) !=
			    OPT_ORIGIN_FILE)
				continue;
			conf_msg_add(L->msgs, L->file,
			    opt_origin_line(a->opts, (enum opt_id)j), true,
			    "\"%s\" applies to %s accounts only; account "
			    "\"%s\" uses %s", opt_defs[j].name,
			    flag == OPT_F_POP3 ? "POP3" : "IMAP", a->name,
			    proto == OPT_PROTO_IMAP ? "IMAP" : "POP3");
		}
	}
	def = opt_str(L->st->global, OPT_GENERAL_DEFAULT_ACCOUNT);
	if (def != NULL && conf_state_account(L->st, def) == NULL)
		conf_msg_add(L->msgs, L->file, L->default_line, false,
		    "default_account: there is no account \"%s\"", def);
}

/* Parse text into a fresh state; returns the number of errors. */
static size_t
conf_state_load(const struct conf *c, struct conf_state *st,
    const char *file, const char *text, size_t len, struct conf_msgs *msgs)
{
	struct conf_loader	 L;
	struct conf_msgs	 local;
	size_t			 n, n0, i, j;
	struct conf_msg		 m;

	if (msgs == NULL) {
		conf_msgs_init(&local);
		msgs = &local;
	}
	n = msgs->nerrors;
	n0 = msgs->n;
	memset(&L, 0, sizeof L);
	L.c = c;
	L.st = st;
	L.file = file;
	L.msgs = msgs;
	L.cur = CUR_NONE;
	conf_parse(text, len, conf_load_item, &L);
	conf_load_finish(&L);
	opts_free(L.scratch);
	free(L.screen);
	n = msgs->nerrors - n;
	/* Whole-file checks come last; show everything in line order. */
	for (i = n0 + 1; i < msgs->n; i++) {
		m = msgs->v[i];
		for (j = i; j > n0 && msgs->v[j - 1].line > m.line; j--)
			msgs->v[j] = msgs->v[j - 1];
		msgs->v[j] = m;
	}
	if (msgs == &local)
		conf_msgs_fini(&local);
	return n;
}

static void
conf_replace_state(struct conf *c, struct conf_state *st)
{
	conf_state_fini(&c->st);
	c->st = *st;
}

int
conf_load_text(struct conf *c, const char *file, const char *text,
    size_t len, struct conf_msgs *msgs)
{
	struct conf_state	 st;

	conf_state_init(&st);
	if (conf_state_load(c, &st, file, text, len, msgs) > 0) {
		conf_state_fini(&st);
		conf_state_init(&st);
		conf_replace_state(c, &st);
		return -1;
	}
	conf_replace_state(c, &st);
	conf_ops_clear(c, false);
	c->dirty = false;
	return 0;
}

/* A password in a file others can read: say so, once per line. */
static void
conf_check_mode(const struct conf_state *st, const char *file, mode_t mode,
    struct conf_msgs *msgs)
{
	size_t	 i;

	if ((mode & 077) == 0)
		return;
	for (i = 0; i < st->nacc; i++)
		if (opt_origin(st->acc[i]->opts, OPT_ACCOUNT_PASSWORD) ==
		    OPT_ORIGIN_FILE)
			conf_msg_add(msgs, file, opt_origin_line(
			    st->acc[i]->opts, OPT_ACCOUNT_PASSWORD), true,
			    "account \"%s\": a password is set but the file "
			    "can be read by others (mode %03o); run chmod 600 "
			    "%s or use password_command", st->acc[i]->name,
			    (unsigned int)(mode & 0777), file);
}

int
conf_load(struct conf *c, const char *path, int flags,
    struct conf_msgs *msgs)
{
	struct buf	 text = BUF_INIT;
	struct err	 e;
	mode_t		 mode = 0600;
	int		 r;

	r = conf_file_read(path, &text, &mode, &e);
	if (r == -1 || (r == 1 && (flags & CONF_LOAD_MISSING_OK) == 0)) {
		if (r == 1)
			conf_msg_add(msgs, path, 0, false, "no such file");
		else
			conf_msg_add(msgs, path, 0, false, "%s", e.msg);
		buf_fini(&text);
		return -1;
	}
	if (conf_load_text(c, path, buf_str(&text), text.len, msgs) == -1) {
		buf_fini_secret(&text);
		return -1;
	}
	conf_check_mode(&c->st, path, mode, msgs);
	free(c->path);
	c->path = xstrdup(path);
	buf_fini_secret(&c->text);
	c->text = text;
	c->exists = r == 0;
	return 0;
}

/* Run-time changes. */

static struct opts *
conf_target(struct conf_state *st, const char *account, enum opt_id id,
    struct err *e)
{
	struct conf_account	*a;

	if (opt_defs[id].section != OPT_SEC_ACCOUNT) {
		if (account != NULL) {
			err_set(e, ERR_INPUT, "%s is not an account option",
			    opt_defs[id].name);
			return NULL;
		}
		return st->global;
	}
	if (account == NULL) {
		err_set(e, ERR_INPUT, "%s is an account option",
		    opt_defs[id].name);
		return NULL;
	}
	if ((a = conf_state_account(st, account)) == NULL) {
		err_set(e, ERR_INPUT, "no account \"%s\"", account);
		return NULL;
	}
	return a->opts;
}

static int
conf_state_set(struct conf_state *st, const char *account, enum opt_id id,
    const char *text, enum opt_origin origin, struct err *e)
{
	struct opts	*o;

	if ((o = conf_target(st, account, id, e)) == NULL)
		return -1;
	/* Keep the file line: that is the line the writer will change. */
	return opt_set(o, id, text, origin, opt_origin_file(o, id),
	    opt_origin_line(o, id), e);
}

static void
conf_state_unset(struct conf_state *st, const char *account, enum opt_id id)
{
	struct opts	*o;
	struct err	 e;

	if ((o = conf_target(st, account, id, &e)) == NULL)
		return;
	if (opt_origin_line(o, id) > 0)
		conf_uint_add(&st->dellines, &st->ndellines,
		    opt_origin_line(o, id));
	opt_reset(o, id);
}

/* default_account names an account renamed to "to" or removed (NULL). */
static void
conf_default_follow(struct conf_state *st, const char *from, const char *to)
{
	const char	*def;
	struct err	 e;

	def = opt_str(st->global, OPT_GENERAL_DEFAULT_ACCOUNT);
	if (def == NULL || strcmp(def, from) != 0)
		return;
	if (to != NULL)
		(void)conf_state_set(st, NULL, OPT_GENERAL_DEFAULT_ACCOUNT, to,
		    OPT_ORIGIN_SET, &e);
	else
		conf_state_unset(st, NULL, OPT_GENERAL_DEFAULT_ACCOUNT);
}

static void
conf_state_acc_remove(struct conf_state *st, const char *name)
{
	size_t	 i;

	for (i = 0; i < st->nacc; i++) {
		if (strcmp(st->acc[i]->name, name) != 0)
			continue;
		if (st->acc[i]->line > 0)
			conf_uint_add(&st->delsections, &st->ndelsections,
			    st->acc[i]->line);
		conf_default_follow(st, name, NULL);
		conf_account_free(st->acc[i]);
		memmove(&st->acc[i], &st->acc[i + 1],
		    (st->nacc - i - 1) * sizeof *st->acc);
		st->nacc--;
		return;
	}
}

static int
conf_state_bind(const struct conf *c, struct conf_state *st,
    const char *screen, const char *key, const char *action, struct err *e)
{
	struct conf_keyspec	 ks;
	struct conf_key		*k;
	struct buf		 norm = BUF_INIT;
	size_t			 i;

	if (!conf_is_ident(screen) ||
	    conf_check_action(c, screen, NULL, e) == -1)
		return err_set(e, ERR_INPUT, "unknown screen \"%s\"", screen);
	if (conf_key_parse(key, &ks, &norm, e) == -1 ||
	    (action != NULL && conf_check_action(c, screen, action, e) == -1)) {
		buf_fini(&norm);
		return -1;
	}
	k = conf_state_key(st, screen, buf_str(&norm));
	if (action == NULL && k != NULL) {
		if (k->line > 0)
			conf_uint_add(&st->dellines, &st->ndellines, k->line);
		i = (size_t)(k - st->keys);
		conf_key_fini(k);
		memmove(k, k + 1, (st->nkeys - i - 1) * sizeof *k);
		st->nkeys--;
	} else if (action != NULL && k != NULL) {
		free(k->action);
		k->action = xstrdup(action);
		k->origin = OPT_ORIGIN_SET;
	} else if (action != NULL)
		conf_state_key_add(st, screen, buf_str(&norm), action,
		    OPT_ORIGIN_SET, 0);
	buf_fini(&norm);
	return 0;
}

static void
conf_op_add(struct conf *c, enum conf_op_kind kind, const char *account,
    enum opt_id id, const char *text, const char *screen, const char *key)
{
	struct conf_op	*op;

	c->ops = xreallocarray(c->ops, c->nops + 1, sizeof *c->ops);
	op = &c->ops[c->nops++];
	op->kind = kind;
	op->account = account != NULL ? xstrdup(account) : NULL;
	op->id = id;
	op->text = text != NULL ? xstrdup(text) : NULL;
	op->screen = screen != NULL ? xstrdup(screen) : NULL;
	op->key = key != NULL ? xstrdup(key) : NULL;
	if (kind != CONF_OP_CMDLINE)
		c->dirty = true;
}

int
conf_set(struct conf *c, struct conf_account *a, enum opt_id id,
    const char *text, struct err *e)
{
	const char	*name = a != NULL ? a->name : NULL;

	if (conf_state_set(&c->st, name, id, text, OPT_ORIGIN_SET, e) == -1)
		return -1;
	conf_op_add(c, CONF_OP_SET, name, id, text, NULL, NULL);
	return 0;
}

int
conf_set_cmdline(struct conf *c, struct conf_account *a, enum opt_id id,
    const char *text, struct err *e)
{
	const char	*name = a != NULL ? a->name : NULL;

	if (conf_state_set(&c->st, name, id, text, OPT_ORIGIN_CMDLINE,
	    e) == -1)
		return -1;
	conf_op_add(c, CONF_OP_CMDLINE, name, id, text, NULL, NULL);
	return 0;
}

void
conf_unset(struct conf *c, struct conf_account *a, enum opt_id id)
{
	const char	*name = a != NULL ? a->name : NULL;

	conf_state_unset(&c->st, name, id);
	conf_op_add(c, CONF_OP_UNSET, name, id, NULL, NULL, NULL);
}

bool
conf_dirty(const struct conf *c)
{
	return c->dirty;
}

struct conf_account *
conf_account_add(struct conf *c, const char *name, struct err *e)
{
	struct conf_account	*a;

	if (conf_check_account_name(name, e) == -1)
		return NULL;
	if (conf_state_account(&c->st, name) != NULL) {
		err_set(e, ERR_INPUT, "there is already an account \"%s\"",
		    name);
		return NULL;
	}
	a = conf_state_account_new(&c->st, name, 0);
	conf_op_add(c, CONF_OP_ACC_ADD, name, 0, NULL, NULL, NULL);
	return a;
}

static int
conf_state_acc_rename(struct conf_state *st, const char *from,
    const char *to, struct err *e)
{
	struct conf_account	*a;

	if (conf_check_account_name(to, e) == -1)
		return -1;
	if ((a = conf_state_account(st, from)) == NULL)
		return err_set(e, ERR_INPUT, "no account \"%s\"", from);
	if (strcmp(from, to) == 0)
		return 0;
	if (conf_state_account(st, to) != NULL)
		return err_set(e, ERR_INPUT, "there is already an account "
		    "\"%s\"", to);
	conf_default_follow(st, from, to);
	free(a->name);
	a->name = xstrdup(to);
	a->renamed = a->line > 0;
	return 0;
}

int
conf_account_rename(struct conf *c, struct conf_account *a, const char *name,
    struct err *e)
{
	char	*from = xstrdup(a->name);
	int	 rv;

	if ((rv = conf_state_acc_rename(&c->st, from, name, e)) == 0)
		conf_op_add(c, CONF_OP_ACC_RENAME, from, 0, name, NULL, NULL);
	free(from);
	return rv;
}

void
conf_account_remove(struct conf *c, struct conf_account *a)
{
	char	*name = xstrdup(a->name);

	conf_state_acc_remove(&c->st, name);
	conf_op_add(c, CONF_OP_ACC_REMOVE, name, 0, NULL, NULL, NULL);
	free(name);
}

int
conf_key_bind(struct conf *c, const char *screen, const char *key,
    const char *action, struct err *e)
{
	if (conf_state_bind(c, &c->st, screen, key, action, e) == -1)
		return -1;
	conf_op_add(c, CONF_OP_KEY_BIND, NULL, 0, action, screen, key);
	return 0;
}

/* Re-apply run-time changes on a freshly read state; failures drop out. */
static void
conf_ops_replay(const struct conf *c, struct conf_state *st, bool all)
{
	const struct conf_op	*op;
	struct err		 e;
	size_t			 i;

	for (i = 0; i < c->nops; i++) {
		op = &c->ops[i];
		if (!all && op->kind != CONF_OP_CMDLINE)
			continue;
		switch (op->kind) {
		case CONF_OP_SET:
		case CONF_OP_CMDLINE:
			(void)conf_state_set(st, op->account, op->id, op->text,
			    op->kind == CONF_OP_SET ? OPT_ORIGIN_SET :
			    OPT_ORIGIN_CMDLINE, &e);
			break;
		case CONF_OP_UNSET:
			conf_state_unset(st, op->account, op->id);
			break;
		case CONF_OP_ACC_ADD:
			if (conf_state_account(st, op->account) == NULL)
				conf_state_account_new(st, op->account, 0);
			break;
		case CONF_OP_ACC_REMOVE:
			conf_state_acc_remove(st, op->account);
			break;
		case CONF_OP_ACC_RENAME:
			(void)conf_state_acc_rename(st, op->account, op->text,
			    &e);
			break;
		case CONF_OP_KEY_BIND:
			(void)conf_state_bind(c, st, op->screen, op->key,
			    op->text, &e);
			break;
		}
	}
}

/* Accounts and options. */

size_t
conf_account_count(const struct conf *c)
{
	return c->st.nacc;
}

struct conf_account *
conf_account_at(const struct conf *c, size_t i)
{
	return i < c->st.nacc ? c->st.acc[i] : NULL;
}

struct conf_account *
conf_account_find(const struct conf *c, const char *name)
{
	return conf_state_account(&c->st, name);
}

struct conf_account *
conf_account_default(const struct conf *c)
{
	const char	*def;

	def = opt_str(c->st.global, OPT_GENERAL_DEFAULT_ACCOUNT);
	if (def != NULL)
		return conf_state_account(&c->st, def);
	return c->st.nacc > 0 ? c->st.acc[0] : NULL;
}

const char *
conf_account_name(const struct conf_account *a)
{
	return a->name;
}

const struct opts *
conf_account_opts(const struct conf_account *a)
{
	return a->opts;
}

int
conf_account_port(const struct conf_account *a)
{
	bool	 implicit;

	if (opt_is_set(a->opts, OPT_ACCOUNT_PORT))
		return (int)opt_int(a->opts, OPT_ACCOUNT_PORT);
	implicit = opt_enum(a->opts, OPT_ACCOUNT_TLS) == OPT_TLS_IMPLICIT;
	if (opt_enum(a->opts, OPT_ACCOUNT_PROTOCOL) == OPT_PROTO_POP3)
		return implicit ? 995 : 110;
	return implicit ? 993 : 143;
}

static const char *
conf_home(void)
{
	const char	*home = getenv("HOME");

	return home != NULL && *home == '/' ? home : "/";
}

/* $VAR if set to an absolute path, else $HOME/fallback. Owned. */
static char *
conf_xdg(const char *var, const char *fallback)
{
	const char	*v = getenv(var);

	if (v != NULL && *v == '/')
		return xstrdup(v);
	return xasprintf("%s/%s", conf_home(), fallback);
}

char *
conf_expand_path(const char *p)
{
	if (p[0] == '~' && (p[1] == '/' || p[1] == '\0'))
		return xasprintf("%s%s", conf_home(), p + 1);
	return xstrdup(p);
}

char *
conf_default_path(void)
{
	char	*base, *p;

	base = conf_xdg("XDG_CONFIG_HOME", ".config");
	p = xasprintf("%s/pons/config", base);
	free(base);
	return p;
}

char *
conf_account_spool(const struct conf_account *a)
{
	const char	*s = opt_str(a->opts, OPT_ACCOUNT_SPOOL);
	char		*base, *p;

	if (s != NULL)
		return conf_expand_path(s);
	base = conf_xdg("XDG_DATA_HOME", ".local/share");
	p = xasprintf("%s/pons/%s", base, a->name);
	free(base);
	return p;
}

char *
conf_cache_dir(void)
{
	char	*base, *p;

	base = conf_xdg("XDG_CACHE_HOME", ".cache");
	p = xasprintf("%s/pons", base);
	free(base);
	return p;
}

size_t
conf_key_count(const struct conf *c)
{
	return c->st.nkeys;
}

const struct conf_key *
conf_key_at(const struct conf *c, size_t i)
{
	return i < c->st.nkeys ? &c->st.keys[i] : NULL;
}

const struct conf_key *
conf_key_find(const struct conf *c, const char *screen, const char *key)
{
	struct conf_keyspec	 ks;
	struct buf		 norm = BUF_INIT;
	struct err		 e;
	const struct conf_key	*k = NULL;

	if (conf_key_parse(key, &ks, &norm, &e) == 0)
		k = conf_state_key(&c->st, screen, buf_str(&norm));
	buf_fini(&norm);
	return k;
}

/* Saving. */

struct conf_edits {
	struct conf_edit	*v;
	size_t			 n;
};

static struct conf_edit *
conf_edit_new(struct conf_edits *ed, enum conf_edit_kind kind,
    unsigned int line)
{
	struct conf_edit	*e;

	ed->v = xreallocarray(ed->v, ed->n + 1, sizeof *ed->v);
	e = &ed->v[ed->n++];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->line = line;
	return e;
}

static void
conf_edits_opts(struct conf_edits *ed, const struct opts *o,
    const char *section, const char *sub, bool force_header)
{
	struct conf_edit	*e;
	size_t			 i;
	bool			 any = false;

	for (i = 0; i < OPT_COUNT; i++) {
		if ((opt_defs[i].section == OPT_SEC_ACCOUNT) != (sub != NULL) ||
		    strcmp(opt_section_name(opt_defs[i].section), section) != 0 ||
		    opt_origin(o, (enum opt_id)i) != OPT_ORIGIN_SET)
			continue;
		if (opt_origin_line(o, (enum opt_id)i) > 0)
			e = conf_edit_new(ed, CONF_EDIT_REPLACE,
			    opt_origin_line(o, (enum opt_id)i));
		else {
			e = conf_edit_new(ed, CONF_EDIT_APPEND, 0);
			e->section = section;
			e->sub = sub;
			e->name = opt_defs[i].name;
			any = true;
		}
		e->value = opt_text(o, (enum opt_id)i);
	}
	if (force_header && !any) {
		e = conf_edit_new(ed, CONF_EDIT_APPEND, 0);
		e->section = section;
		e->sub = sub;
	}
}

struct conf_names {
	char	**v;
	size_t	  n;
};

static const char *
conf_names_add(struct conf_names *nm, char *s)
{
	nm->v = xreallocarray(nm->v, nm->n + 1, sizeof *nm->v);
	nm->v[nm->n++] = s;
	return s;
}

static void
conf_names_fini(struct conf_names *nm)
{
	size_t	 i;

	for (i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
}

static void
conf_edits_build(const struct conf *c, struct conf_edits *ed,
    struct conf_names *names)
{
	const struct conf_state	*st = &c->st;
	const struct conf_key	*k;
	struct conf_edit	*e;
	size_t			 i;

	for (i = 0; i < st->ndelsections; i++)
		conf_edit_new(ed, CONF_EDIT_DELETE_SECTION,
		    st->delsections[i]);
	for (i = 0; i < st->ndellines; i++)
		conf_edit_new(ed, CONF_EDIT_DELETE, st->dellines[i]);
	for (i = 0; i < st->nacc; i++)
		if (st->acc[i]->renamed)
			conf_edit_new(ed, CONF_EDIT_RENAME_SECTION,
			    st->acc[i]->line)->sub = st->acc[i]->name;
	conf_edits_opts(ed, st->global, "general", NULL, false);
	conf_edits_opts(ed, st->global, "ui", NULL, false);
	conf_edits_opts(ed, st->global, "colors", NULL, false);
	for (i = 0; i < st->nacc; i++)
		conf_edits_opts(ed, st->acc[i]->opts, "account",
		    st->acc[i]->name, st->acc[i]->line == 0);
	for (i = 0; i < st->nkeys; i++) {
		k = &st->keys[i];
		if (k->origin != OPT_ORIGIN_SET)
			continue;
		e = conf_edit_new(ed, k->line > 0 ? CONF_EDIT_REPLACE :
		    CONF_EDIT_APPEND, k->line);
		e->value = k->action;
		if (k->line == 0) {
			e->section = conf_names_add(names,
			    xasprintf("keys.%s", k->screen));
			e->name = k->key;
		}
	}
}

enum conf_save_status
conf_save(struct conf *c, struct err *e)
{
	struct buf		 now = BUF_INIT, out = BUF_INIT;
	struct conf_edits	 ed = { NULL, 0 };
	struct conf_names	 names = { NULL, 0 };
	struct conf_state	 st;
	struct conf_msgs	 msgs;
	mode_t			 mode;
	size_t			 i;
	int			 r;

	if (c->path == NULL) {
		err_set(e, ERR_INPUT, "no configuration file to save to");
		return CONF_SAVE_ERROR;
	}
	r = conf_file_read(c->path, &now, &mode, e);
	if (r == -1) {
		buf_fini(&now);
		return CONF_SAVE_ERROR;
	}
	if ((r == 1) == c->exists || (r == 0 && (now.len != c->text.len ||
	    memcmp(now.data, c->text.data, now.len) != 0))) {
		buf_fini_secret(&now);
		err_set(e, ERR_LOCAL, "%s changed since it was read", c->path);
		return CONF_SAVE_CONFLICT;
	}
	buf_fini_secret(&now);
	if (!c->dirty)
		return CONF_SAVE_OK;
	conf_edits_build(c, &ed, &names);
	conf_write_text(c->text.data != NULL ? c->text.data : "", c->text.len,
	    ed.v, ed.n, &out);
	free(ed.v);
	conf_names_fini(&names);
	/*
	 * Read the new text back before writing it: a run-time change can
	 * still leave the whole inconsistent (an added account without a
	 * host), and a file pons would refuse must never reach the disk.
	 */
	conf_state_init(&st);
	conf_msgs_init(&msgs);
	if (conf_state_load(c, &st, c->path, buf_str(&out), out.len,
	    &msgs) > 0) {
		for (i = 0; i < msgs.n && msgs.v[i].warning; i++)
			;
		err_set(e, ERR_INPUT, "not saved: %s", i < msgs.n ?
		    msgs.v[i].text : "the new file does not read back");
		conf_state_fini(&st);
		conf_msgs_fini(&msgs);
		buf_fini_secret(&out);
		return CONF_SAVE_ERROR;
	}
	if (conf_file_write(c->path, out.data != NULL ? out.data : "",
	    out.len, e) == -1) {
		conf_state_fini(&st);
		conf_msgs_fini(&msgs);
		buf_fini_secret(&out);
		return CONF_SAVE_ERROR;
	}
	/* The conf now mirrors the file written: new line numbers. */
	conf_msgs_fini(&msgs);
	conf_ops_replay(c, &st, false);
	conf_replace_state(c, &st);
	conf_ops_clear(c, true);
	buf_fini_secret(&c->text);
	c->text = out;
	c->exists = true;
	c->dirty = false;
	return CONF_SAVE_OK;
}

/* Reloading. */

void
conf_changes_fini(struct conf_changes *ch)
{
	size_t	 i;

	for (i = 0; i < ch->n; i++)
		free(ch->v[i].account);
	free(ch->v);
	for (i = 0; i < ch->nadded; i++)
		free(ch->accounts_added[i]);
	free(ch->accounts_added);
	for (i = 0; i < ch->nremoved; i++)
		free(ch->accounts_removed[i]);
	free(ch->accounts_removed);
	memset(ch, 0, sizeof *ch);
}

static void
conf_change_add(struct conf_changes *ch, const char *account, enum opt_id id)
{
	ch->v = xreallocarray(ch->v, ch->n + 1, sizeof *ch->v);
	ch->v[ch->n].account = account != NULL ? xstrdup(account) : NULL;
	ch->v[ch->n].id = id;
	ch->v[ch->n].reconnect = (opt_defs[id].flags & OPT_F_RECONNECT) != 0;
	ch->n++;
}

static void
conf_name_add(char ***v, size_t *n, const char *name)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(name);
}

static bool
conf_keys_same(const struct conf_state *a, const struct conf_state *b)
{
	const struct conf_key	*k;
	size_t			 i;

	if (a->nkeys != b->nkeys)
		return false;
	for (i = 0; i < a->nkeys; i++) {
		k = conf_state_key(b, a->keys[i].screen, a->keys[i].key);
		if (k == NULL || strcmp(k->action, a->keys[i].action) != 0)
			return false;
	}
	return true;
}

static void
conf_diff(const struct conf_state *old, const struct conf_state *new,
    struct conf_changes *ch)
{
	struct conf_account	*a, *b;
	size_t			 i, j;

	for (i = 0; i < OPT_COUNT; i++)
		if (opt_defs[i].section != OPT_SEC_ACCOUNT &&
		    opt_differs(old->global, new->global, (enum opt_id)i))
			conf_change_add(ch, NULL, (enum opt_id)i);
	for (i = 0; i < new->nacc; i++) {
		b = new->acc[i];
		if ((a = conf_state_account(old, b->name)) == NULL) {
			conf_name_add(&ch->accounts_added, &ch->nadded,
			    b->name);
			continue;
		}
		for (j = 0; j < OPT_COUNT; j++)
			if (opt_defs[j].section == OPT_SEC_ACCOUNT &&
			    opt_differs(a->opts, b->opts, (enum opt_id)j))
				conf_change_add(ch, b->name, (enum opt_id)j);
	}
	for (i = 0; i < old->nacc; i++)
		if (conf_state_account(new, old->acc[i]->name) == NULL)
			conf_name_add(&ch->accounts_removed, &ch->nremoved,
			    old->acc[i]->name);
	ch->keys_changed = !conf_keys_same(old, new);
}

int
conf_reload(struct conf *c, struct conf_changes *ch, struct conf_msgs *msgs)
{
	struct buf		 text = BUF_INIT;
	struct conf_state	 st;
	struct err		 e;
	mode_t			 mode = 0600;
	int			 r;

	memset(ch, 0, sizeof *ch);
	if (c->path == NULL)
		return 0;
	r = conf_file_read(c->path, &text, &mode, &e);
	if (r == -1) {
		conf_msg_add(msgs, c->path, 0, false, "%s", e.msg);
		buf_fini(&text);
		return -1;
	}
	conf_state_init(&st);
	if (conf_state_load(c, &st, c->path, buf_str(&text), text.len,
	    msgs) > 0) {
		conf_state_fini(&st);
		buf_fini_secret(&text);
		return -1;
	}
	conf_check_mode(&st, c->path, mode, msgs);
	conf_ops_replay(c, &st, true);
	conf_diff(&c->st, &st, ch);
	conf_replace_state(c, &st);
	buf_fini_secret(&c->text);
	c->text = text;
	c->exists = r == 0;
	return 0;
}

/* --dump-config */

static void
conf_dump_origin(const struct opts *o, enum opt_id id, struct buf *out)
{
	switch (opt_origin(o, id)) {
	case OPT_ORIGIN_DEFAULT:
		buf_add_str(out, "default");
		break;
	case OPT_ORIGIN_FILE:
		buf_printf(out, "%s:%u", opt_origin_file(o, id),
		    opt_origin_line(o, id));
		break;
	case OPT_ORIGIN_CMDLINE:
		buf_add_str(out, "command line");
		break;
	case OPT_ORIGIN_SET:
		buf_add_str(out, "changed, not saved");
		break;
	}
}

static void
conf_dump_opts(const struct opts *o, enum opt_section sec,
    const struct conf_account *a, struct buf *out)
{
	const char	*text;
	char		*derived;
	size_t		 i;

	for (i = 0; i < OPT_COUNT; i++) {
		if (opt_defs[i].section != sec)
			continue;
		text = opt_text(o, (enum opt_id)i);
		buf_printf(out, "%s = ", opt_defs[i].name);
		derived = NULL;
		if (text != NULL && (opt_defs[i].flags & OPT_F_SENSITIVE))
			buf_add_str(out, "********");
		else if (text != NULL)
			conf_quote_value(text, out);
		else if (a != NULL && i == OPT_ACCOUNT_PORT)
			buf_printf(out, "%d", conf_account_port(a));
		else if (a != NULL && i == OPT_ACCOUNT_SPOOL) {
			derived = conf_account_spool(a);
			buf_add_str(out, derived);
		} else
			buf_add_str(out, "<unset>");
		buf_add_str(out, "  # ");
		conf_dump_origin(o, (enum opt_id)i, out);
		buf_add_byte(out, '\n');
		free(derived);
	}
}

void
conf_dump(const struct conf *c, struct buf *out)
{
	const struct conf_key	*k;
	const char		*screen = NULL;
	size_t			 i, sec;

	for (sec = 0; sec < OPT_SEC_ACCOUNT; sec++) {
		buf_printf(out, "[%s]\n", opt_section_name(sec));
		conf_dump_opts(c->st.global, sec, NULL, out);
	}
	for (i = 0; i < c->st.nacc; i++) {
		buf_add_str(out, "[account \"");
		buf_add_str(out, c->st.acc[i]->name);
		buf_add_str(out, "\"]\n");
		conf_dump_opts(c->st.acc[i]->opts, OPT_SEC_ACCOUNT,
		    c->st.acc[i], out);
	}
	for (i = 0; i < c->st.nkeys; i++) {
		k = &c->st.keys[i];
		if (screen == NULL || strcmp(screen, k->screen) != 0)
			buf_printf(out, "[keys.%s]\n", k->screen);
		screen = k->screen;
		buf_printf(out, "%s = %s  # ", k->key, k->action);
		if (k->origin == OPT_ORIGIN_FILE)
			buf_printf(out, "%s:%u\n", c->path != NULL ? c->path :
			    "config", k->line);
		else
			buf_add_str(out, "changed, not saved\n");
	}
}
